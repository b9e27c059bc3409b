"""Unit cells of task tables: the seeds' own cells, group phrases, separators, names that hold
commas or "và", and the normalised names used to match the unit registry."""

from __future__ import annotations

import unicodedata

import pytest

from plans_api.task.unit_text import UnitCell, UnitGroup, UnitMention, parse_unit_cell
from plans_api.unit.groups import GroupCode
from plans_api.unit.names import normalize_name
from plans_api.unit.schemas import UnitLevel

G = GroupCode


def names(cell: UnitCell) -> list[str]:
    return [m.text for m in cell.mentions]


def keys(cell: UnitCell) -> list[str]:
    return [m.normalized for m in cell.mentions]


def codes(cell: UnitCell) -> list[GroupCode]:
    return [g.code for g in cell.groups]


# ---------------------------------------------------------------- the seeds' cells

# every lead / coordinating cell of the seeds' appendix tables (as extracted, line breaks and
# markup included), with the units and groups it names
SEED_CELLS = [
    # 000 Cần Thơ 57/KH-UBND
    ("Sở Nội vụ", ["Sở Nội vụ"], []),
    (
        "Văn phòng UBND TP,\nSở Tư pháp, Sở Tài chính, Sở Thông tin và Truyền thông, "
        "Viện Kinh tế - Xã hội\nthành phố",
        [
            "Văn phòng UBND TP",
            "Sở Tư pháp",
            "Sở Tài chính",
            "Sở Thông tin và Truyền thông",
            "Viện Kinh tế - Xã hội thành phố",
        ],
        [],
    ),
    ("Các sở ngành và địa\nphương", [], [G.PROVINCE_DEPARTMENTS, G.LOCAL_COMMITTEES]),
    ("Các cơ quan, đơn vị\ncó liên quan", [], [G.UNITS_CONCERNED]),
    # 003 Sóc Trăng 04/ĐA-UBND
    (
        "Các sở chuyên ngành phụ trách các lĩnh vực CCHC và các cơ quan, đơn vị, địa phương có "
        "liên quan",
        [],
        [G.AREA_LEAD_DEPARTMENTS, G.UNITS_CONCERNED],
    ),
    (
        "1. Sở Nội vụ (<i>tổ chức trong tỉnh</i>) 2. UBND cấp huyện (<i>tổ chức trong phạm vi "
        "quản lý</i>)",
        ["Sở Nội vụ"],
        [G.DISTRICT_COMMITTEES],
    ),
    (
        "1. Sở Thông tin và Truyền thông (<i>tổ chức trong tỉnh</i>) 2. UBND cấp huyện (<i>tổ "
        "chức trong phạm vi quản lý</i>)",
        ["Sở Thông tin và Truyền thông"],
        [G.DISTRICT_COMMITTEES],
    ),
    ("Các cơ quan, đơn vị có liên quan", [], [G.UNITS_CONCERNED]),
    ("Sở Thông tin và Truyền thông", ["Sở Thông tin và Truyền thông"], []),
    ("Văn phòng Ủy ban nhân dân tỉnh", ["Văn phòng Ủy ban nhân dân tỉnh"], []),
    (
        "Văn phòng UBND tỉnh, Sở Tư pháp, Công an tỉnh và các cơ quan đơn vị có liên quan",
        ["Văn phòng UBND tỉnh", "Sở Tư pháp", "Công an tỉnh"],
        [G.UNITS_CONCERNED],
    ),
    ("", [], []),  # 003 task 2 has no lead or coordinating unit
    # 004 Ho Chi Minh City 2709/QĐ-UBND
    (
        "Các Sở, ban - ngành, UBND quận, huyện, thành phố Thủ Đức",
        ["thành phố Thủ Đức"],
        [G.PROVINCE_DEPARTMENTS, G.DISTRICT_COMMITTEES],
    ),
    ("Học viện Cán bộ Thành phố", ["Học viện Cán bộ Thành phố"], []),
    (
        "Sở Nội vụ, Sở Tư pháp, Sở Thông tin và Truyền thông, Văn phòng UBND Thành phố, Sở Khoa "
        "học và Công nghệ",
        [
            "Sở Nội vụ",
            "Sở Tư pháp",
            "Sở Thông tin và Truyền thông",
            "Văn phòng UBND Thành phố",
            "Sở Khoa học và Công nghệ",
        ],
        [],
    ),
    (
        "Sở Thông tin và Truyền thông, Học viện Cán bộ Thành phố",
        ["Sở Thông tin và Truyền thông", "Học viện Cán bộ Thành phố"],
        [],
    ),
]


@pytest.mark.parametrize(("text", "units", "groups"), SEED_CELLS)
def test_seed_cells(text: str, units: list[str], groups: list[GroupCode]) -> None:
    cell = parse_unit_cell(text)
    assert cell.text == text
    assert names(cell) == units
    assert codes(cell) == groups


def test_seed_cell_keys() -> None:
    cell = parse_unit_cell(SEED_CELLS[1][0])
    assert keys(cell) == [
        "van phong uy ban nhan dan thanh pho",
        "so tu phap",
        "so tai chinh",
        "so thong tin va truyen thong",
        "vien kinh te xa hoi thanh pho",
    ]


def test_seed_numbered_leads_keep_their_remarks() -> None:
    cell = parse_unit_cell(SEED_CELLS[5][0])
    assert cell.mentions == (UnitMention("Sở Nội vụ", "so noi vu", "tổ chức trong tỉnh"),)
    assert cell.groups == (
        UnitGroup(
            G.DISTRICT_COMMITTEES,
            "UBND cấp huyện",
            ("district",),
            every=True,
            note="tổ chức trong phạm vi quản lý",
        ),
    )


def test_seed_hcmc_districts_and_thu_duc() -> None:
    cell = parse_unit_cell("Các Sở, ban - ngành, UBND quận, huyện, thành phố Thủ Đức")
    departments, districts = cell.groups
    assert (departments.text, departments.levels, departments.every) == (
        "Các Sở, ban - ngành",
        ("department",),
        True,
    )
    assert (districts.text, districts.levels) == ("UBND quận, huyện", ("district",))
    # the city's committee, named after the list that "UBND" governs
    assert cell.mentions == (UnitMention("thành phố Thủ Đức", "uy ban nhan dan thanh pho thu duc"),)
    assert normalize_name("UBND thành phố Thủ Đức") == cell.mentions[0].normalized


def test_seed_groups_levels() -> None:
    area_leads, concerned = parse_unit_cell(SEED_CELLS[4][0]).groups
    assert area_leads.text == "Các sở chuyên ngành phụ trách các lĩnh vực CCHC"
    assert (area_leads.levels, area_leads.every) == (("department",), False)
    assert concerned.text == "các cơ quan, đơn vị, địa phương có liên quan"
    assert (concerned.levels, concerned.every) == ((), False)
    departments, localities = parse_unit_cell("Các sở ngành và địa\nphương").groups
    assert departments.text == "Các sở ngành"
    assert localities.text == "địa phương"
    assert localities.levels == ("district", "commune")


def test_seed_recipient_lists() -> None:
    can_tho = (  # 000, "Nơi nhận"
        "- Bộ Nội vụ (Vụ CCHC);\n- TT TU, TT HĐND TP;\n- CT, PCT UBND TP;\n"
        "- Trường Chính trị TP;\n- Sở, ban, ngành TP;\n"
        "- Các Cơ quan được tổ chức theo ngành dọc\nđóng trên địa bàn TP;\n"
        "- UBND quận, huyện;\n- UBND xã, phường, thị trấn;\n- VP UBND TP (2AC, 3EG, 4);"
    )
    cell = parse_unit_cell(can_tho)
    assert codes(cell) == [
        G.PROVINCE_DEPARTMENTS,
        G.CENTRAL_AGENCIES,
        G.DISTRICT_COMMITTEES,
        G.COMMUNE_COMMITTEES,
    ]
    assert cell.groups[1].text == "Các Cơ quan được tổ chức theo ngành dọc đóng trên địa bàn TP"
    assert "Bộ Nội vụ" in names(cell)
    assert cell.mentions[0].note == "Vụ CCHC"
    assert "truong chinh tri thanh pho" in keys(cell)
    assert "van phong uy ban nhan dan thanh pho" in keys(cell)

    soc_trang = (  # 003, "Nơi nhận"
        "- TT. Tỉnh ủy;\n- TT. HĐND tỉnh;\n- UBMTTQ VN tỉnh;\n- CT và các PCT. UBND tỉnh;\n"
        "- Sở, ngành tỉnh;\n- Đơn vị sự nghiệp công lập tỉnh;\n"
        "- Cơ quan Trung ương đặt tại tỉnh;\n- Báo ST, Đài PTTH;\n- Trường Chính trị tỉnh;\n"
        "- UBND các huyện, thị xã, thành phố;\n- UBND các xã, phường, thị trấn;"
    )
    cell = parse_unit_cell(soc_trang)
    assert codes(cell) == [
        G.PROVINCE_DEPARTMENTS,
        G.CENTRAL_AGENCIES,
        G.DISTRICT_COMMITTEES,
        G.COMMUNE_COMMITTEES,
    ]
    assert {"Báo ST", "Đài PTTH", "Trường Chính trị tỉnh"} <= set(names(cell))
    assert "uy ban mat tran to quoc viet nam tinh" in keys(cell)
    assert "dai phat thanh truyen hinh" in keys(cell)


def test_seed_body_lists() -> None:
    # 003 task 5: "đôn đốc các sở, ban ngành tỉnh, UBND các huyện, thị xã, thành phố"
    cell = parse_unit_cell("các sở, ban ngành tỉnh, UBND các huyện, thị xã, thành phố")
    assert codes(cell) == [G.PROVINCE_DEPARTMENTS, G.DISTRICT_COMMITTEES]
    assert [g.text for g in cell.groups] == [
        "các sở, ban ngành tỉnh",
        "UBND các huyện, thị xã, thành phố",
    ]
    # 003 V.1.a: the units responsible for the scheme
    cell = parse_unit_cell(
        "Thủ trưởng các sở ban ngành, Thủ trưởng các cơ quan Trung ương đóng trên địa bàn tỉnh; "
        "Chủ tịch UBND các huyện, thị xã, thành phố; UBND các xã, phường, thị trấn"
    )
    assert codes(cell) == [
        G.PROVINCE_DEPARTMENTS,
        G.CENTRAL_AGENCIES,
        G.DISTRICT_COMMITTEES,
        G.COMMUNE_COMMITTEES,
    ]
    # 003: the eight departments that hand one-stop-shop work to the post office
    cell = parse_unit_cell(
        "Sở Khoa học và Công nghệ; Sở Tài chính; Sở Thông tin và Truyền thông; Sở Văn hóa, Thể "
        "thao và Du lịch; Sở Giao thông và vận tải; Sở Giáo dục và Đào tạo; Sở Công Thương; Sở "
        "Lao động, Thương binh và Xã hội"
    )
    assert names(cell) == [
        "Sở Khoa học và Công nghệ",
        "Sở Tài chính",
        "Sở Thông tin và Truyền thông",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Giao thông và vận tải",
        "Sở Giáo dục và Đào tạo",
        "Sở Công Thương",
        "Sở Lao động, Thương binh và Xã hội",
    ]
    assert cell.groups == ()


# ---------------------------------------------------------------- group phrases


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sở, ban, ngành TP", [G.PROVINCE_DEPARTMENTS]),
        ("các sở, ban, ngành thành phố", [G.PROVINCE_DEPARTMENTS]),
        ("Sở, ban, ngành tỉnh", [G.PROVINCE_DEPARTMENTS]),
        ("Các sở, ban, ngành", [G.PROVINCE_DEPARTMENTS]),
        ("Sở - ngành", [G.PROVINCE_DEPARTMENTS]),
        ("các Sở - ban, ngành", [G.PROVINCE_DEPARTMENTS]),
        ("Sở, ngành tỉnh", [G.PROVINCE_DEPARTMENTS]),
        ("sở ban ngành", [G.PROVINCE_DEPARTMENTS]),
        ("SỞ, BAN, NGÀNH TP.", [G.PROVINCE_DEPARTMENTS]),
        ("So, ban, nganh TP", [G.PROVINCE_DEPARTMENTS]),
        ("các sở, ban, ngành trên địa bàn tỉnh", [G.PROVINCE_DEPARTMENTS]),
        ("các cơ quan chuyên môn thuộc UBND tỉnh", [G.PROVINCE_DEPARTMENTS]),
        ("Các cơ quan chuyên môn thuộc Ủy ban nhân dân Thành phố", [G.PROVINCE_DEPARTMENTS]),
        ("Các sở chuyên ngành", [G.PROVINCE_DEPARTMENTS]),
        ("Tất cả các sở, ngành", [G.PROVINCE_DEPARTMENTS]),
        ("UBND quận, huyện", [G.DISTRICT_COMMITTEES]),
        ("UBND các quận, huyện", [G.DISTRICT_COMMITTEES]),
        ("UBND cấp huyện", [G.DISTRICT_COMMITTEES]),
        ("Ủy ban nhân dân quận - huyện", [G.DISTRICT_COMMITTEES]),
        ("UBND các huyện, thị xã, thành phố", [G.DISTRICT_COMMITTEES]),
        ("Uỷ ban nhân dân các huyện", [G.DISTRICT_COMMITTEES]),
        ("các quận, huyện", [G.DISTRICT_COMMITTEES]),
        ("quận - huyện", [G.DISTRICT_COMMITTEES]),
        ("UBND cấp xã", [G.COMMUNE_COMMITTEES]),
        ("UBND xã, phường, thị trấn", [G.COMMUNE_COMMITTEES]),
        ("UBND các xã, phường, thị trấn", [G.COMMUNE_COMMITTEES]),
        ("UBND phường, xã, đặc khu", [G.COMMUNE_COMMITTEES]),
        ("Ủy ban nhân dân cấp xã", [G.COMMUNE_COMMITTEES]),
        ("UBND cấp huyện, cấp xã", [G.DISTRICT_COMMITTEES, G.COMMUNE_COMMITTEES]),
        ("UBND cấp huyện và cấp xã", [G.DISTRICT_COMMITTEES, G.COMMUNE_COMMITTEES]),
        ("UBND quận, huyện, xã, phường, thị trấn", [G.DISTRICT_COMMITTEES, G.COMMUNE_COMMITTEES]),
        ("UBND các cấp", [G.ALL_COMMITTEES]),
        ("Ủy ban nhân dân các cấp", [G.ALL_COMMITTEES]),
        ("các địa phương", [G.LOCAL_COMMITTEES]),
        ("Các cơ quan, đơn vị có liên quan", [G.UNITS_CONCERNED]),
        ("các đơn vị liên quan", [G.UNITS_CONCERNED]),
        ("Các cơ quan, đơn vị liên quan khác", [G.UNITS_CONCERNED]),
        ("các cơ quan, tổ chức, cá nhân có liên quan", [G.UNITS_CONCERNED]),
        ("các sở, ngành liên quan", [G.UNITS_CONCERNED]),
        ("các địa phương có liên quan", [G.UNITS_CONCERNED]),
        ("UBND các huyện có liên quan", [G.UNITS_CONCERNED]),
        ("Cơ quan Trung ương đặt tại tỉnh", [G.CENTRAL_AGENCIES]),
        ("các cơ quan ngành dọc", [G.CENTRAL_AGENCIES]),
        (
            "Các sở, ban, ngành TP; UBND quận, huyện",
            [G.PROVINCE_DEPARTMENTS, G.DISTRICT_COMMITTEES],
        ),
        (
            "Sở, ban, ngành TP, UBND cấp huyện, cấp xã",
            [G.PROVINCE_DEPARTMENTS, G.DISTRICT_COMMITTEES, G.COMMUNE_COMMITTEES],
        ),
        ("Các sở, ngành, quận, huyện", [G.PROVINCE_DEPARTMENTS, G.DISTRICT_COMMITTEES]),
        ("Sở, ban, ngành và UBND cấp huyện", [G.PROVINCE_DEPARTMENTS, G.DISTRICT_COMMITTEES]),
        ("Các sở, ban, ngành, địa phương", [G.PROVINCE_DEPARTMENTS, G.LOCAL_COMMITTEES]),
        ("Các đơn vị, địa phương có liên quan", [G.UNITS_CONCERNED]),
        ("Sở, ban, ngành và các đơn vị liên quan", [G.PROVINCE_DEPARTMENTS, G.UNITS_CONCERNED]),
    ],
)
def test_group_phrases(text: str, expected: list[GroupCode]) -> None:
    cell = parse_unit_cell(text)
    assert codes(cell) == expected
    assert cell.mentions == ()


@pytest.mark.parametrize(
    ("text", "levels", "every"),
    [
        ("Sở, ban, ngành TP", ("department",), True),
        ("UBND quận, huyện", ("district",), True),
        ("UBND cấp xã", ("commune",), True),
        (
            "UBND các cấp",
            ("province", "district", "commune"),
            True,
        ),
        ("các địa phương", ("district", "commune"), True),
        ("Các cơ quan, đơn vị có liên quan", (), False),
        ("các sở, ngành liên quan", ("department",), False),
        ("các địa phương có liên quan", ("district", "commune"), False),
        ("UBND các huyện có liên quan", ("district",), False),
        ("Cơ quan Trung ương đặt tại tỉnh", ("other",), False),
    ],
)
def test_group_levels(text: str, levels: tuple[UnitLevel, ...], every: bool) -> None:
    (group,) = parse_unit_cell(text).groups
    assert group.text == text
    assert group.levels == levels
    assert group.every is every


def test_combined_groups_share_their_words() -> None:
    district, commune = parse_unit_cell("UBND cấp huyện, cấp xã").groups
    assert district.text == commune.text == "UBND cấp huyện, cấp xã"
    assert (district.levels, commune.levels) == (("district",), ("commune",))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("UBND thành phố", "uy ban nhan dan thanh pho"),  # the city's own committee
        ("UBND TP", "uy ban nhan dan thanh pho"),
        ("UBND tỉnh", "uy ban nhan dan tinh"),
        ("UBND huyện Châu Thành", "uy ban nhan dan huyen chau thanh"),
        ("UBND Quận 1", "uy ban nhan dan quan 1"),
        ("Phòng Nội vụ quận, huyện", "phong noi vu quan huyen"),
        ("Sở Lao động, Thương binh và Xã hội", "so lao dong thuong binh va xa hoi"),
    ],
)
def test_single_units_that_look_like_groups(text: str, key: str) -> None:
    cell = parse_unit_cell(text)
    assert cell.groups == ()
    assert cell.mentions == (UnitMention(text, key),)


def test_a_named_unit_after_a_governed_list() -> None:
    cell = parse_unit_cell("UBND các quận, huyện và thành phố Thủ Đức")
    assert codes(cell) == [G.DISTRICT_COMMITTEES]
    assert cell.groups[0].text == "UBND các quận, huyện"
    assert cell.mentions == (UnitMention("thành phố Thủ Đức", "uy ban nhan dan thanh pho thu duc"),)


# ---------------------------------------------------------------- separators


@pytest.mark.parametrize(
    "text",
    [
        "Sở Nội vụ, Sở Tài chính",
        "Sở Nội vụ,Sở Tài chính",
        "Sở Nội vụ và Sở Tài chính",
        "Sở Nội vụ; Sở Tài chính",
        "Sở Nội vụ\nSở Tài chính",
        "Sở Nội vụ\r\nSở Tài chính",
        "- Sở Nội vụ\n- Sở Tài chính",
        "-Sở Nội vụ;\n-Sở Tài chính.",
        "+ Sở Nội vụ\n+ Sở Tài chính",
        "• Sở Nội vụ\n• Sở Tài chính",
        "– Sở Nội vụ\n– Sở Tài chính",
        "1. Sở Nội vụ\n2. Sở Tài chính",
        "1) Sở Nội vụ 2) Sở Tài chính",
        "1. Sở Nội vụ 2. Sở Tài chính",
        "a) Sở Nội vụ\nb) Sở Tài chính",
        "Sở Nội vụ,\nSở Tài chính",
        "Sở Nội vụ\n\n  Sở Tài chính  ",
        "Sở Nội vụ, Sở Tài chính, Sở Nội vụ",
        "<b>Sở Nội vụ</b>, Sở\u00a0Tài chính",
    ],
)
def test_separators(text: str) -> None:
    cell = parse_unit_cell(text)
    assert names(cell) == ["Sở Nội vụ", "Sở Tài chính"]
    assert keys(cell) == ["so noi vu", "so tai chinh"]
    assert cell.groups == ()


@pytest.mark.parametrize(
    "text",
    [
        "Sở Thông tin và Truyền thông",
        "Sở Kế hoạch và Đầu tư",
        "Sở Giáo dục và Đào tạo",
        "Sở Khoa học và Công nghệ",
        "Sở Tài nguyên và Môi trường",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Lao động, Thương binh và Xã hội",
        "Sở Văn hóa và Thể thao",
        "Viện Kinh tế - Xã hội thành phố",
        "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
        "Ban Dân tộc và Tôn giáo",
        "Sở VH,TT&DL",
    ],
)
def test_names_holding_commas_or_va_stay_whole(text: str) -> None:
    assert names(parse_unit_cell(text)) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sở Thông tin và\nTruyền thông", "Sở Thông tin và Truyền thông"),
        ("Sở Kế hoạch và Đầu\ntư", "Sở Kế hoạch và Đầu tư"),
        ("Ủy ban nhân dân\nthành phố", "Ủy ban nhân dân thành phố"),
        ("Viện Kinh tế -\nXã hội", "Viện Kinh tế - Xã hội"),
        ("Văn phòng Ủy ban\nnhân dân tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
    ],
)
def test_wrapped_lines_are_joined(text: str, expected: str) -> None:
    assert names(parse_unit_cell(text)) == [expected]


def test_mixed_cell() -> None:
    cell = parse_unit_cell(
        "- Sở Nội vụ (chủ trì);\n- Sở TT&TT, Sở KH&ĐT và UBND cấp huyện, cấp xã;\n"
        "- Các cơ quan, đơn vị có liên quan"
    )
    assert cell.mentions == (
        UnitMention("Sở Nội vụ", "so noi vu", "chủ trì"),
        UnitMention("Sở TT&TT", "so thong tin va truyen thong"),
        UnitMention("Sở KH&ĐT", "so ke hoach va dau tu"),
    )
    assert codes(cell) == [G.DISTRICT_COMMITTEES, G.COMMUNE_COMMITTEES, G.UNITS_CONCERNED]


def test_leader_titles_are_kept_in_the_words_not_the_key() -> None:
    cell = parse_unit_cell("Giám đốc Sở Nội vụ; Chủ tịch UBND cấp huyện")
    assert cell.mentions == (UnitMention("Giám đốc Sở Nội vụ", "so noi vu"),)
    assert cell.groups[0].text == "Chủ tịch UBND cấp huyện"


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "-", "- ;", "()", "…"])
def test_empty_cells(text: str) -> None:
    cell = parse_unit_cell(text)
    assert cell.text == text
    assert cell.mentions == ()
    assert cell.groups == ()


def test_duplicates_are_named_once() -> None:
    cell = parse_unit_cell("Sở Nội vụ, SỞ NỘI VỤ; Sở, ban, ngành TP; các sở, ban, ngành thành phố")
    assert names(cell) == ["Sở Nội vụ"]
    assert codes(cell) == [G.PROVINCE_DEPARTMENTS]
    assert cell.groups[0].text == "Sở, ban, ngành TP"


def test_decomposed_input_reads_like_composed() -> None:
    text = "Sở Nội vụ, UBND cấp huyện, cấp xã"
    decomposed = unicodedata.normalize("NFD", text)
    assert parse_unit_cell(decomposed).groups == parse_unit_cell(text).groups
    assert keys(parse_unit_cell(decomposed)) == ["so noi vu"]
