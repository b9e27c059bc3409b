"""The units the four seed plans name, with the 2025 reorganisation as dated data.

- From 1 March 2025 each province's Sở Thông tin và Truyền thông is merged into its Sở Khoa học
  và Công nghệ.
- From 1 July 2025 Sóc Trăng and Hậu Giang (and their departments) are merged into Cần Thơ,
  Bình Dương and Bà Rịa - Vũng Tàu into Hồ Chí Minh City, and the district level is gone.
- Commune code 26740 was Phường Bến Nghé and is Phường Sài Gòn from 1 July 2025.

Provinces, districts and 26740 carry their official codes (QĐ 19/2025/QĐ-TTg and the earlier
list). Departments and other agencies have no such code: theirs, written ``<province>.<abbr>``,
are identifiers of this demo data only, and so are the codes of the other communes.
"""

from __future__ import annotations

from datetime import date

from plans_api.demo.records import SuccessionRecord, UnitRecord

TT_MERGED = date(2025, 3, 1)  # Sở TT&TT into Sở KH&CN
MERGED = date(2025, 7, 1)  # provinces merged, district level abolished
_TT_LAST_DAY = date(2025, 2, 28)
_LAST_DAY = date(2025, 6, 30)

U = UnitRecord


def _department(
    province: str, key: str, name: str, short: str | None = None, *, valid_to: date | None = None
) -> UnitRecord:
    code = f"{_CODES[province]}.{key.upper()}"
    return U(f"{province}.{key}", code, name, "department", province, short, valid_to=valid_to)


_CODES = {"ct": "92", "hg": "93", "st": "94", "hcm": "79", "bd": "74", "vt": "77"}

UNITS: tuple[UnitRecord, ...] = (
    # ------------------------------------------------------------ Cần Thơ (92)
    U("ct", "92", "Thành phố Cần Thơ", "province", short_name="TP Cần Thơ"),
    _department("ct", "snv", "Sở Nội vụ"),
    _department("ct", "vp", "Văn phòng Ủy ban nhân dân thành phố", "Văn phòng UBND TP"),
    _department("ct", "stp", "Sở Tư pháp"),
    _department("ct", "stc", "Sở Tài chính"),
    _department("ct", "stttt", "Sở Thông tin và Truyền thông", "Sở TT&TT", valid_to=_TT_LAST_DAY),
    _department("ct", "skhcn", "Sở Khoa học và Công nghệ", "Sở KH&CN"),
    U("ct.vktxh", "92.VKTXH", "Viện Kinh tế - Xã hội thành phố", "other", "ct"),
    U("ct.tct", "92.TCT", "Trường Chính trị thành phố", "other", "ct"),
    U("ct.ca", "92.CA", "Công an thành phố", "other", "ct"),
    U("ct.ninhkieu", "916", "Quận Ninh Kiều", "district", "ct", valid_to=_LAST_DAY),
    U("ct.tanan", "92.P-TANAN", "Phường Tân An", "commune", "ct.ninhkieu", valid_to=_LAST_DAY),
    U("ct.p-ninhkieu", "92.P-NINHKIEU", "Phường Ninh Kiều", "commune", "ct", valid_from=MERGED),
    # ------------------------------------------------------------ Sóc Trăng (94), until 2025-06-30
    U("st", "94", "Tỉnh Sóc Trăng", "province", valid_to=_LAST_DAY),
    _department("st", "snv", "Sở Nội vụ", valid_to=_LAST_DAY),
    _department(
        "st", "vp", "Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng UBND tỉnh", valid_to=_LAST_DAY
    ),
    _department("st", "stp", "Sở Tư pháp", valid_to=_LAST_DAY),
    _department("st", "stc", "Sở Tài chính", valid_to=_LAST_DAY),
    _department("st", "stttt", "Sở Thông tin và Truyền thông", "Sở TT&TT", valid_to=_TT_LAST_DAY),
    _department("st", "skhcn", "Sở Khoa học và Công nghệ", "Sở KH&CN", valid_to=_LAST_DAY),
    U("st.ca", "94.CA", "Công an tỉnh", "other", "st", valid_to=_LAST_DAY),
    U("st.tct", "94.TCT", "Trường Chính trị tỉnh", "other", "st", valid_to=_LAST_DAY),
    U("st.tpst", "941", "Thành phố Sóc Trăng", "district", "st", valid_to=_LAST_DAY),
    # ------------------------------------------------------------ Hậu Giang (93), until 2025-06-30
    U("hg", "93", "Tỉnh Hậu Giang", "province", valid_to=_LAST_DAY),
    _department("hg", "snv", "Sở Nội vụ", valid_to=_LAST_DAY),
    # ------------------------------------------------------------ Hồ Chí Minh City (79)
    U("hcm", "79", "Thành phố Hồ Chí Minh", "province", short_name="TP.HCM"),
    _department("hcm", "snv", "Sở Nội vụ"),
    _department("hcm", "stp", "Sở Tư pháp"),
    _department("hcm", "stc", "Sở Tài chính"),
    _department("hcm", "stttt", "Sở Thông tin và Truyền thông", "Sở TT&TT", valid_to=_TT_LAST_DAY),
    _department("hcm", "skhcn", "Sở Khoa học và Công nghệ", "Sở KH&CN"),
    _department("hcm", "vp", "Văn phòng Ủy ban nhân dân Thành phố", "Văn phòng UBND Thành phố"),
    U("hcm.hvcb", "79.HVCB", "Học viện Cán bộ Thành phố", "other", "hcm"),
    U("hcm.vnc", "79.VNCPT", "Viện Nghiên cứu phát triển Thành phố", "other", "hcm"),
    U("hcm.q1", "760", "Quận 1", "district", "hcm", valid_to=_LAST_DAY),
    U("hcm.q12", "761", "Quận 12", "district", "hcm", valid_to=_LAST_DAY),
    U("hcm.thuduc", "769", "Thành phố Thủ Đức", "district", "hcm", valid_to=_LAST_DAY),
    U("hcm.bennghe", "26740", "Phường Bến Nghé", "commune", "hcm.q1", valid_to=_LAST_DAY),
    U("hcm.saigon", "26740", "Phường Sài Gòn", "commune", "hcm", valid_from=MERGED),
    # ------------------------------------------------------------ merged into HCMC on 2025-07-01
    U("bd", "74", "Tỉnh Bình Dương", "province", valid_to=_LAST_DAY),
    U("vt", "77", "Tỉnh Bà Rịa - Vũng Tàu", "province", valid_to=_LAST_DAY),
)


def _merge(predecessor: str, successor: str, on: date = MERGED) -> SuccessionRecord:
    return SuccessionRecord(predecessor, successor, "merge", on)


SUCCESSIONS: tuple[SuccessionRecord, ...] = (
    _merge("ct.stttt", "ct.skhcn", TT_MERGED),
    _merge("st.stttt", "st.skhcn", TT_MERGED),
    _merge("hcm.stttt", "hcm.skhcn", TT_MERGED),
    _merge("st", "ct"),
    _merge("hg", "ct"),
    _merge("bd", "hcm"),
    _merge("vt", "hcm"),
    *(_merge(f"st.{d}", f"ct.{d}") for d in ("snv", "vp", "stp", "stc", "skhcn", "ca", "tct")),
    _merge("hg.snv", "ct.snv"),
    _merge("ct.tanan", "ct.p-ninhkieu"),
    _merge("hcm.bennghe", "hcm.saigon"),
)
