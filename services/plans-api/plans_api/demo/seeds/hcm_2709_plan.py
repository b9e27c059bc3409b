"""Seed 001: Ho Chi Minh City's plan implementing its scheme 2709/QĐ-UBND, 2022–2025, as a news
article reports it: its ten targets with year-end milestones.

The article gives neither the plan's number nor its date, cites no legal basis and publishes no
task table: the code below says so instead of inventing one, the scheme it implements (004) is
its parent plan, and it has no tasks of its own (the scheme has them).
"""

from plans_api.demo.records import (
    MilestoneRecord,
    PlanRecord,
    TargetRecord,
    milestone,
)
from plans_api.demo.seeds.hcm_2709 import PLAN as SCHEME

_YEARS = range(2023, 2026)  # "mỗi năm": the first year-end the article names is 2023's
_STAGED = (milestone(2023, 80), milestone(2024, 90), milestone(2025, 100, "eq"))
_FROM_2024 = (milestone(2024, 80), milestone(2025, 100, "eq"))


def _yearly(value: int) -> tuple[MilestoneRecord, ...]:
    return tuple(milestone(year, value) for year in _YEARS)


TARGETS = (
    TargetRecord(
        "CT1",
        "Đến cuối năm 2023 đạt trên 80%, cuối năm 2024 đạt trên 90% và đến hết năm 2025 đạt 100% "
        "cơ quan chuyên môn thuộc UBND Thành phố và 22 phòng nội vụ thuộc UBND quận, huyện, Thành "
        "phố Thủ Đức ngoài việc thực hiện theo hướng dẫn tiêu chuẩn vị trí, việc làm chuyên ngành, "
        "phải bố trí, bổ sung trong bảng mô tả công việc làm công tác CCHC của cơ quan, đơn vị ít "
        "nhất 1 vị trí, việc làm",
        "percent",
        "gt",
        _STAGED,
        note="Khuyến khích xây dựng và bố trí vị trí, việc làm công tác CCHC tại các cơ quan, đơn "
        "vị để tham mưu các chức năng, nhiệm vụ liên quan đến các lĩnh vực công tác CCHC của các "
        "cơ quan, đơn vị.",
    ),
    TargetRecord(
        "CT2",
        "Đến cuối năm 2023 đạt trên 80%, cuối năm 2024 đạt trên 90% và đến hết năm 2025 đạt 100% "
        "cán bộ, công chức lãnh đạo các sở - ngành, UBND cấp huyện và UBND các cấp trên địa bàn "
        "Thành phố được bồi dưỡng, tập huấn về công tác cải cách hành chính.",
        "percent",
        "gt",
        _STAGED,
        source="training_coverage",
        group="leaders",
    ),
    TargetRecord(
        "CT3",
        "Đến cuối năm 2024 đạt trên 80% và đến hết năm 2025 đạt 100% công chức, viên chức làm "
        "công tác cải cách hành chính được cung cấp các kiến thức, kỹ năng cần thiết phục vụ quá "
        "trình tham mưu, tổng hợp, hướng dẫn triển khai thực hiện có hiệu quả các nhiệm vụ cải "
        "cách hành chính.",
        "percent",
        "gt",
        _FROM_2024,
        source="training_coverage",
        group="cchc_officials",
    ),
    TargetRecord(
        "CT4",
        "Đến cuối năm 2024 đạt trên 80% và đến hết năm 2025 đạt 100% công chức, viên chức làm "
        "công tác CCHC được tiếp cận các tài liệu, bài giảng điện tử về CCHC; được tiếp cận bằng "
        "tài liệu, trao đổi trực tiếp kinh nghiệm CCHC với các tỉnh, Thành phố trong nước và các "
        "mô hình của các nước phát triển trên thế giới.",
        "percent",
        "gt",
        _FROM_2024,
    ),
    # The fifth target names two figures: each is a target of its own here.
    TargetRecord(
        "CT5.1",
        "Mỗi năm phấn đấu ít nhất từ 10 công chức, viên chức làm công tác CCHC ở các sở - ngành, "
        "UBND các cấp trên địa bàn Thành phố được quy hoạch chức danh lãnh đạo",
        "count",
        "gte",
        _yearly(10),
        note="Mỗi năm (không cộng dồn).",
    ),
    TargetRecord(
        "CT5.2",
        "5 công chức, viên chức được luân chuyển, bổ nhiệm giữ chức vụ lãnh đạo.",
        "count",
        "gte",
        _yearly(5),
        note="Vế thứ hai của chỉ tiêu 5: mỗi năm (không cộng dồn).",
    ),
    TargetRecord(
        "CT6",
        "Phấn đấu đến năm 2025 đào tạo, bồi dưỡng ít nhất 50 cán bộ, công chức, viên chức làm công "
        "tác CCHC ở các sở - ngành, UBND các cấp trên địa bàn Thành phố và từ các nguồn khác để "
        "trở thành các chuyên gia về CCHC.",
        "count",
        "gte",
        (milestone(2025, 50),),
    ),
    TargetRecord(
        "CT7",
        "Mỗi năm tổ chức ít nhất 1 lớp bồi dưỡng ở nước ngoài về CCHC, tập trung nâng cao công tác "
        "quản trị công, chất lượng tham mưu các giải pháp, sáng kiến cải tiến trong hoạt động quản "
        "lý nhà nước của các cơ quan, đơn vị. Trong đó, ưu tiên công chức trực tiếp làm công tác "
        "CCHC không giữ chức vụ lãnh đạo tham gia.",
        "count",
        "gte",
        _yearly(1),
    ),
    TargetRecord(
        "CT8",
        "Mỗi năm tổ chức ít nhất 1 lớp bồi dưỡng về CCHC ở trong nước theo phương pháp trực tiếp "
        "kết hợp với trực tuyến, tập trung các kỹ năng.",
        "count",
        "gte",
        _yearly(1),
    ),
    TargetRecord(
        "CT9",
        "Hàng năm tổ chức tập huấn, trao đổi, hướng dẫn nghiệp vụ về CCHC.",
        "count",
        "gte",
        _yearly(1),
        note="Văn bản ghi “hàng năm” mà không nêu số lượng: mốc ít nhất 01 lần mỗi năm.",
    ),
    TargetRecord(
        "CT10",
        "Mỗi năm tổ chức ít nhất 1 đoàn công tác nghiên cứu, trao đổi kinh nghiệm triển khai, thực "
        "hiện công tác CCHC ở các tỉnh, Thành phố có các mô hình hay, hiệu quả, kết quả chỉ số "
        "CCHC cấp tỉnh cao hơn Thành phố.",
        "count",
        "gte",
        _yearly(1),
    ),
)

PLAN = PlanRecord(
    key="hcm-2709-kh",
    code="KH triển khai 2709/QĐ-UBND",
    kind="ke_hoach",
    title="Kế hoạch triển khai Đề án nâng cao năng lực, trình độ đội ngũ cán bộ, công chức, viên "
    "chức làm công tác cải cách hành chính (CCHC) ở các sở - ngành, UBND các cấp trên địa bàn "
    "TPHCM giai đoạn 2022 – 2025",
    issuer="hcm",
    province="hcm",
    issued_on=None,
    start_year=2022,
    end_year=2025,
    targets=TARGETS,
    summary="Kế hoạch nhằm xây dựng đội ngũ cán bộ, công chức, viên chức thực hiện CCHC của Thành "
    "phố ổn định, có phẩm chất đạo đức, đủ năng lực đáp ứng yêu cầu chỉ đạo, tham mưu, triển khai "
    "CCHC nhà nước; đồng thời, đáp ứng đi đầu trong việc thực hiện chuyển đổi số. Các sở - ngành, "
    "UBND quận, huyện, Thành phố Thủ Đức cùng các đơn vị liên quan phối hợp triển khai quán triệt "
    "nội dung, nhiệm vụ của kế hoạch; cụ thể hóa các nhiệm vụ vào kế hoạch CCHC hàng năm. (Nguồn: "
    "bài viết đưa tin; số, ký hiệu và ngày ban hành của Kế hoạch không được nêu.)",
    parent=SCHEME.key,
    source="001_2ac59002f1de5abd.txt",
)
