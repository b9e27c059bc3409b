"""Seed 003: Sóc Trăng Province, Đề án 04/ĐA-UBND (30/12/2022), 2022–2030, and its appendix
(Bảng phân công thực hiện nhiệm vụ của Đề án). Italic remarks of the table (``<i>…</i>`` in the
extraction) are kept as plain text."""

from datetime import date

from plans_api.demo.records import LegalBasis, PlanRecord, TargetRecord, TaskRecord, milestone
from plans_api.demo.seeds.common import CT_23, NQ_76, QD_905

_CONCERNED = "Các cơ quan, đơn vị có liên quan"
_YEARS = "2023 - 2030"
_END = 2030  # "Thời gian thực hiện Đề án: Từ nay đến năm 2030"

LEGAL_BASES = (
    LegalBasis(
        "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Sóc Trăng lần thứ XIV",
        "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Sóc Trăng lần thứ XIV nhiệm kỳ 2020 - 2025",
    ),
    LegalBasis(
        "Nghị quyết số 10-NQ/TU",
        "Nghị quyết số 10-NQ/TU ngày 29/12/2021 của Ban Chấp hành Đảng bộ tỉnh Sóc Trăng về đẩy "
        "mạnh cải cách hành chính tỉnh Sóc Trăng đến năm 2025, định hướng đến năm 2030",
        date(2021, 12, 29),
    ),
    NQ_76,
    CT_23,
    LegalBasis(
        "Kế hoạch số 163/KH-UBND",
        "Kế hoạch số 163/KH-UBND ngày 24/11/2021 của UBND tỉnh Sóc Trăng về cải cách hành chính "
        "tỉnh Sóc Trăng giai đoạn 2021 – 2030",
        date(2021, 11, 24),
    ),
    LegalBasis(
        "Kế hoạch số 61/KH-UBND",
        "Kế hoạch số 61/KH-UBND ngày 25/4/2022 của UBND tỉnh Sóc Trăng triển khai Nghị quyết của "
        "Ban Chấp hành Đảng bộ tỉnh về đẩy mạnh cải cách hành chính tỉnh Sóc Trăng đến năm 2025, "
        "định hướng đến năm 2030",
        date(2022, 4, 25),
    ),
    QD_905,
)

TARGETS = (
    TargetRecord(
        "1",
        "Trên 95% CBCCVC tham mưu thực hiện công tác CCHC được cung cấp kiến thức, kỹ năng cần "
        "thiết phục vụ quá trình tổng hợp, hướng dẫn triển khai thực hiện có hiệu quả nhiệm vụ "
        "CCHC; được tiếp cận (bằng nhiều hình thức) kinh nghiệm CCHC của các tỉnh, thành phố có "
        "nền hành chính tiến bộ, phát triển để vận dụng vào thực tiễn địa phương mình một cách phù "
        "hợp; được tiếp cận thông tin về CCHC qua Cổng Thông tin điện tử của tỉnh, Trang thông tin "
        "điện tử CCHC của tỉnh.",
        "percent",
        "gt",
        (milestone(_END, 95),),
        source="training_coverage",
        group="cchc_officials",
    ),
    TargetRecord(
        "2",
        "Từ 90% trở lên CBCCVC tham gia thực hiện công tác CCHC, tham mưu giải quyết hồ sơ thủ tục "
        "hành chính; đội ngũ làm việc tại Bộ phận Một cửa các cấp, những người thường xuyên tiếp "
        "xúc với cá nhân, tổ chức được nâng cao trình độ chuyên môn, kỹ năng, nghiệp vụ; khả năng "
        "giao tiếp, ứng xử thông qua các lớp tập huấn, các cuộc khảo sát kiến thức nhằm đảm bảo có "
        "đủ năng lực, phẩm chất thực hiện nhiệm vụ, đem lại sự hài lòng cho người dân, doanh "
        "nghiệp.",
        "percent",
        "gte",
        (milestone(_END, 90),),
        source="training_coverage",
        group="one_stop_shop",
    ),
    TargetRecord(
        "3",
        "100% CBCCVC tham mưu nhiệm vụ CCHC thực hiện xử lý hồ sơ công việc trên môi trường mạng "
        "(trừ hồ sơ công việc thuộc phạm vi bí mật nhà nước).",
        "percent",
        "eq",
        (milestone(_END, 100),),
    ),
)


def _task(
    number: str,
    title: str,
    lead: str,
    product: str,
    coordinating: str = _CONCERNED,
    schedule: str = _YEARS,
) -> TaskRecord:
    return TaskRecord(number, title, lead, coordinating, product, schedule)


TASKS = (
    _task(
        "1",
        "Xây dựng, cập nhật chương trình, biên soạn tài liệu bồi dưỡng chuyên môn, nghiệp vụ; tài "
        "liệu tập huấn kiến thức, kỹ năng cho đội ngũ CBCCVC tham mưu thực hiện CCHC giai đoạn "
        "2022 - 2030 (Trường hợp Bộ Nội vụ có ban hành tài liệu bồi dưỡng công chức thực hiện CCHC "
        "thì khai thác, sử dụng, đồng thời cập nhật, bổ sung những nội dung CCHC sao cho phù hợp "
        "với tình hình thực tế tại địa phương)",
        "Sở Nội vụ",
        "Chương trình tài liệu được cập nhật, bổ sung phù hợp với yêu cầu CCHC giai đoạn 2021 - "
        "2030, tỉnh Sóc Trăng",
        coordinating="Các sở chuyên ngành phụ trách các lĩnh vực CCHC và các cơ quan, đơn vị, địa "
        "phương có liên quan",
    ),
    TaskRecord(
        "2",
        "Bồi dưỡng CBCCVC (các lớp bồi dưỡng phải được kiểm tra, đánh giá chất lượng học tập khi "
        "kết thúc khóa học)",
        product="Báo cáo kết quả, chất lượng học tập",
        schedule=_YEARS,
    ),
    _task(
        "2.1",
        "Xây dựng kế hoạch tổ chức bồi dưỡng kiến thức, kỹ năng, chuyên môn nghiệp vụ cho cán bộ "
        "công chức, viên chức làm công tác CCHC",
        "1. Sở Nội vụ (tổ chức trong tỉnh) 2. UBND cấp huyện (tổ chức trong phạm vi quản lý)",
        "Kế hoạch CCHC hàng năm",
    ),
    _task(
        "2.2",
        "Xây dựng kế hoạch tổ chức bồi dưỡng cho CBCCVC về văn hóa công vụ, trong đó lưu ý một số "
        "nội dung có liên quan đến giải pháp cải thiện tiêu chí: Chi phí không chính thức trong "
        "Chỉ số PCI cấp tỉnh",
        "Sở Nội vụ",
        "Kế hoạch CCHC hàng năm",
    ),
    _task(
        "2.3",
        "Xây dựng kế hoạch tổ chức bồi dưỡng nghiệp vụ cho công chức làm việc tại Bộ phận Một cửa "
        "các cấp",
        "Sở Thông tin và Truyền thông",
        "Các lớp bồi dưỡng",
    ),
    _task(
        "2.4",
        "Xây dựng kế hoạch và tổ chức tuyên truyền, nâng cao nhận thức, năng lực và hỗ trợ người "
        "dân, doanh nghiệp về chính quyền số",
        "1. Sở Thông tin và Truyền thông (tổ chức trong tỉnh) 2. UBND cấp huyện (tổ chức trong "
        "phạm vi quản lý)",
        "Hội nghị hoặc lớp bồi dưỡng",
    ),
    _task(
        "2.5",
        "Xây dựng kế hoạch và tổ chức tập huấn, bồi dưỡng nghiệp vụ về kiểm soát thủ tục hành "
        "chính cho hệ thống CBCCVC làm đầu mối trên địa bàn tỉnh",
        "Văn phòng Ủy ban nhân dân tỉnh",
        "Lớp bồi dưỡng, tập huấn",
    ),
    _task(
        "3",
        "Triển khai thông tin CCHC trên Trang Thông tin điện tử CCHC tỉnh",
        "Sở Nội vụ",
        "Các tin bài",
        schedule="Thường xuyên",
    ),
    _task(
        "4",
        "Tổ chức Hội nghị, Hội thảo (có sự tham gia của các chuyên gia, Lãnh đạo tỉnh) để nâng cao "
        "năng lực, sự hiểu biết của cán bộ, công chức, viên chức tham mưu thực hiện CCHC.",
        "Sở Nội vụ",
        "Hội nghị, Hội thảo",
    ),
    _task(
        "5",
        "Theo dõi, kiểm tra, đôn đốc các sở, ban ngành tỉnh, UBND các huyện, thị xã, thành phố kết "
        "quả phát sinh hồ sơ thực hiện dịch vụ công trực tuyến theo chỉ tiêu được giao, trong đó "
        "chú trọng đề xuất giải pháp nâng cao tỷ lệ dịch vụ công trực tuyến phát sinh đối với các "
        "lĩnh vực cần thiết nhất cho đời sống người dân như dịch vụ chứng thực bảo sao điện tử từ "
        "bản chính của chính quyền cơ sở, dịch vụ hành chính công cấp xã,...; vai trò gương mẫu đi "
        "đầu của đội ngũ CBCCVC.",
        "Sở Thông tin và Truyền thông",
        "Báo cáo định kỳ hàng quý",
        coordinating="Văn phòng UBND tỉnh, Sở Tư pháp, Công an tỉnh và các cơ quan đơn vị có liên "
        "quan",
    ),
    _task(
        "6",
        "Theo dõi, kiểm tra, đôn đốc các sở, ban ngành tỉnh, UBND các huyện, thị xã, thành phố "
        "trong xử lý hồ sơ công việc trên môi trường mạng",
        "Sở Thông tin và Truyền thông",
        "Báo cáo kết quả",
    ),
    _task("7", "Kiểm tra công vụ", "Sở Nội vụ", "Báo cáo hàng năm"),
    _task(
        "8",
        "Tổ chức Học tập kinh nghiệm về CCHC trong và ngoài tỉnh.",
        "Sở Nội vụ",
        "Báo cáo kết quả",
    ),
    _task(
        "9",
        "Sơ kết, tổng kết Đề án",
        "Sở Nội vụ",
        "Báo cáo sơ kết, tổng kết",
        schedule="2025, 2030",
    ),
)

PLAN = PlanRecord(
    key="st-04",
    code="04/ĐA-UBND",
    kind="de_an",
    title="Nâng cao năng lực đội ngũ cán bộ, công chức, viên chức thực hiện công tác cải cách "
    "hành chính tỉnh Sóc Trăng giai đoạn 2022 - 2030",
    issuer="st",
    province="st",
    issued_on=date(2022, 12, 30),
    start_year=2022,
    end_year=2030,
    legal_bases=LEGAL_BASES,
    targets=TARGETS,
    tasks=TASKS,
    summary="Toàn tỉnh có 146 công chức, viên chức cấp tỉnh, huyện được phân công thực hiện công "
    "tác CCHC (04 chuyên trách, 142 kiêm nhiệm) và 736 người làm việc tại Bộ phận Một cửa các cấp "
    "(07 tại Trung tâm Phục vụ hành chính công tỉnh, 52 do các Sở, ngành cử đến, 103 cấp huyện, "
    "574 cấp xã). Các lớp bồi dưỡng phải được kiểm tra, đánh giá chất lượng học tập khi kết thúc "
    "khóa học.",
    source="003_e0442cbf38a1882a.txt",
)
