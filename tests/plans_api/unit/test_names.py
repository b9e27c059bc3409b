"""The key unit names are matched with: accents, case, punctuation and abbreviations."""

from __future__ import annotations

import unicodedata
import uuid
from types import SimpleNamespace

import pytest

from plans_api.unit.names import match_names, normalize_name


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Sở Nội vụ", "so noi vu"),
        ("SỞ NỘI VỤ", "so noi vu"),
        ("  Sở   Nội\nvụ. ", "so noi vu"),
        ("Sở Tư pháp", "so tu phap"),
        ("Đài Phát thanh - Truyền hình", "dai phat thanh truyen hinh"),
        ("Uỷ ban nhân dân tỉnh", "uy ban nhan dan tinh"),  # old accent placement
        ("Ủy ban nhân dân tỉnh", "uy ban nhan dan tinh"),
        ("UBND tỉnh", "uy ban nhan dan tinh"),
        ("Văn phòng UBND TP", "van phong uy ban nhan dan thanh pho"),
        ("VP UBND TP.", "van phong uy ban nhan dan thanh pho"),
        ("UBND TP. Cần Thơ", "uy ban nhan dan thanh pho can tho"),
        ("UBND TP.HCM", "uy ban nhan dan thanh pho ho chi minh"),
        ("UBND TPHCM", "uy ban nhan dan thanh pho ho chi minh"),
        ("Sở TT&TT", "so thong tin va truyen thong"),
        ("Sở TT-TT", "so thong tin va truyen thong"),
        ("Sở TTTT", "so thong tin va truyen thong"),
        ("Sở Thông tin và Truyền thông", "so thong tin va truyen thong"),
        ("Sở Thông tin & Truyền thông", "so thong tin va truyen thong"),
        ("Sở KH&ĐT", "so ke hoach va dau tu"),
        ("Sở KHĐT", "so ke hoach va dau tu"),
        ("Sở KH-ĐT", "so ke hoach va dau tu"),
        ("Sở Kế hoạch và Đầu tư", "so ke hoach va dau tu"),
        ("Sở LĐ-TB&XH", "so lao dong thuong binh va xa hoi"),
        ("Sở LĐTB&XH", "so lao dong thuong binh va xa hoi"),
        ("Sở LĐTBXH", "so lao dong thuong binh va xa hoi"),
        ("Sở Lao động, Thương binh và Xã hội", "so lao dong thuong binh va xa hoi"),
        ("Sở GD&ĐT", "so giao duc va dao tao"),
        ("Sở GDĐT", "so giao duc va dao tao"),
        ("Sở Giáo dục và Đào tạo", "so giao duc va dao tao"),
        ("Sở VH,TT&DL", "so van hoa the thao va du lich"),
        ("Sở VHTTDL", "so van hoa the thao va du lich"),
        ("Sở Văn hóa, Thể thao và Du lịch", "so van hoa the thao va du lich"),
        ("Sở TN&MT", "so tai nguyen va moi truong"),
        ("Sở NN&PTNT", "so nong nghiep va phat trien nong thon"),
        ("Sở KH&CN", "so khoa hoc va cong nghe"),
        ("Sở GTVT", "so giao thong van tai"),
        ("HĐND tỉnh", "hoi dong nhan dan tinh"),
        ("TT HĐND TP", "tt hoi dong nhan dan thanh pho"),
        ("UBMTTQ VN tỉnh", "uy ban mat tran to quoc viet nam tinh"),
        ("UBMTTQ tỉnh", "uy ban mat tran to quoc viet nam tinh"),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "uy ban mat tran to quoc viet nam tinh"),
        ("Bộ phận một cửa giải quyết TTHC", "bo phan mot cua giai quyet thu tuc hanh chinh"),
        ("Phòng CCHC", "phong cai cach hanh chinh"),
        ("BCH Quân sự tỉnh", "ban chi huy quan su tinh"),
        ("BCHQS tỉnh", "ban chi huy quan su tinh"),
        ("BQL các Khu công nghiệp", "ban quan ly cac khu cong nghiep"),
        ("Đài PTTH", "dai phat thanh truyen hinh"),
        ("TTPVHCC tỉnh", "trung tam phuc vu hanh chinh cong tinh"),
        ("Trung tâm Phục vụ hành chính công tỉnh", "trung tam phuc vu hanh chinh cong tinh"),
        ("Ban Tổ chức Thành ủy", "ban to chuc thanh uy"),
        ("Ban Tổ chức Thành uỷ", "ban to chuc thanh uy"),
        ("Cơ quan TW", "co quan trung uong"),
        ("Văn phòng Đoàn ĐBQH và HĐND", "van phong doan dai bieu quoc hoi va hoi dong nhan dan"),
        ("UBKT Thành ủy", "uy ban kiem tra thanh uy"),
        ("Quận 1", "quan 1"),
        ("Đ", "d"),
        ("", ""),
    ],
)
def test_normalize_name(name: str, key: str) -> None:
    assert normalize_name(name) == key


def test_normalize_name_is_stable() -> None:
    for name in ["Sở TT&TT", "UBND TP.HCM", "Sở LĐ-TB&XH", "Viện Kinh tế - Xã hội thành phố"]:
        key = normalize_name(name)
        assert normalize_name(key) == key
        assert normalize_name(unicodedata.normalize("NFD", name)) == key


def test_abbreviations_only_whole_words() -> None:
    assert normalize_name("Trường THPT Tp") == "truong thpt thanh pho"
    assert normalize_name("Sở Tư pháp") == "so tu phap"  # "tp" inside a word is left alone
    assert normalize_name("Ubndx") == "ubndx"


class TestMatchNames:
    """In memory, on the rows ``match_unit_names`` loads (id, name, short_name)."""

    PROVINCE = SimpleNamespace(id=uuid.uuid4(), name="Tỉnh Sóc Trăng", short_name=None)
    CITY = SimpleNamespace(id=uuid.uuid4(), name="Thành phố Sóc Trăng", short_name=None)
    JUSTICE = SimpleNamespace(id=uuid.uuid4(), name="Sở Tư pháp", short_name="STP")

    def match(self, *names: str):
        units = [self.PROVINCE, self.CITY, self.JUSTICE]
        return match_names(units, self.PROVINCE.id, self.PROVINCE.name, names)

    def test_strict_then_looser_forms(self) -> None:
        found = self.match("SỞ TƯ PHÁP", "Sở Tư pháp tỉnh Sóc Trăng", "stp", "UBND tỉnh")
        assert list(found.values()) == [self.JUSTICE.id] * 3 + [self.PROVINCE.id]
        assert found.misses == {}

    def test_a_people_s_committee_is_its_unit(self) -> None:
        assert self.match("UBND TP Sóc Trăng")["UBND TP Sóc Trăng"] == self.CITY.id

    def test_ambiguous_and_unknown_names_say_why(self) -> None:
        found = self.match("Sóc Trăng", "Sở Nội vụ")
        assert found == {"Sóc Trăng": None, "Sở Nội vụ": None}
        assert found.misses["Sóc Trăng"].code == "ambiguous"
        assert found.misses["Sóc Trăng"].candidates == ("Thành phố Sóc Trăng", "Tỉnh Sóc Trăng")
        assert found.misses["Sở Nội vụ"].code == "unknown"
