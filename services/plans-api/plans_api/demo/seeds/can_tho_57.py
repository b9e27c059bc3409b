"""Seed 000: Cần Thơ City, Kế hoạch 57/KH-UBND (17/3/2023), 2023–2030."""

from datetime import date

from plans_api.demo.records import PlanRecord, TargetRecord, TaskRecord, milestone
from plans_api.demo.seeds.common import CT_23, NQ_76, QD_905

_CONCERNED = "Các cơ quan, đơn vị có liên quan"
_FROM_2023 = "Năm 2023 và các năm tiếp theo"

PRODUCT_1 = "\n".join(
    (
        "Chương trình, tài liệu được cập nhật, bổ sung cho phù hợp với yêu cầu CCHC giai đoạn "
        "2022-2030, bao gồm những nội dung chủ yếu sau:",
        "+ Cung cấp các kiến thức về quan điểm, chủ trương của Đảng, Nhà nước về công tác CCHC "
        "nhà nước;",
        "+ Cung cấp các chuyên đề kiến thức chuyên sâu về cải cách thể chế; cải cách thủ tục hành "
        "chính; cải cách bộ máy hành chính; cải cách chế độ công vụ; cải cách tài chính công; "
        "phát triển Chính quyền điện tử, Chính quyền số.",
        "Giới thiệu, hướng dẫn các kỹ năng, nghiệp vụ:",
        "+ Kỹ năng xây dựng kế hoạch cải cách hành chính;",
        "+ Kỹ năng triển khai công tác theo dõi, đánh giá cải cách hành chính;",
        "+ Kỹ năng xây dựng báo cáo cải cách hành chính;",
        "+ Kỹ năng nghiệp vụ thông tin, tuyên truyền về cải cách hành chính;",
        "+ Kỹ năng điều tra xã hội học, nhất là các vấn đề về điều tra, khảo sát mức độ hài lòng "
        "của cá nhân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước.",
        "+ Kỹ năng hoạch định chính sách về cải cách hành chính;",
        "+ Kỹ năng quản lý sự thay đổi;",
        "+ Kỹ năng quản lý theo kết quả.",
    )
)

TARGETS = (
    TargetRecord(
        "a",
        "Đến năm 2025 đạt trên 85% và đến năm 2030 đạt trên 95% CBCCVC thực hiện công tác CCHC "
        "các cấp được cung cấp các kiến thức, kỹ năng cần thiết phục vụ quá trình tham mưu, tổng "
        "hợp, hướng dẫn triển khai thực hiện có hiệu quả các nhiệm vụ CCHC dưới nhiều hình thức",
        "percent",
        "gt",
        (milestone(2025, 85), milestone(2030, 95)),
        source="training_coverage",
        group="cchc_officials",
    ),
    TargetRecord(
        "b",
        "100% CBCCVC thực hiện công tác CCHC được tiếp cận với các kinh nghiệm CCHC ở các bộ, "
        "ngành, địa phương để vận dụng vào thực tiễn một cách phù hợp; được tiếp cận thông tin về "
        "CCHC qua Cổng thông tin điện tử thành phố",
        "percent",
        "eq",
        (milestone(2030, 100),),
    ),
    TargetRecord(
        "c",
        "100% CBCCVC thực hiện công tác CCHC, nhất là những người làm việc tại Bộ phận Tiếp nhận "
        "và Trả kết quả các cấp được tiếp cận các bài giảng, tài liệu, số liệu, cơ sở dữ liệu về "
        "CCHC để tra cứu, tham khảo trong thực hiện nhiệm vụ; được kịp thời hỗ trợ và giải đáp "
        "các thắc mắc trực tiếp hoặc gián tiếp qua kênh hỏi đáp về CCHC",
        "percent",
        "eq",
        (milestone(2030, 100),),
    ),
)

TASKS = (
    TaskRecord(
        "1",
        "Cập nhật chương trình, tài liệu bồi dưỡng dành cho cán bộ, công chức, viên chức cấp "
        "thành phố",
        lead="Sở Nội vụ",
        coordinating="Văn phòng UBND TP, Sở Tư pháp, Sở Tài chính, Sở Thông tin và Truyền thông, "
        "Viện Kinh tế - Xã hội thành phố",
        product=PRODUCT_1,
        schedule="Hàng năm (nếu cần thiết)",
    ),
    TaskRecord(
        "2",
        "Xây dựng kế hoạch tổ chức bồi dưỡng kiến thức, kỹ năng, chuyên môn nghiệp vụ cho cán bộ, "
        "công chức, viên chức thực hiện công tác cải cách hành chính trên địa bàn thành phố",
        lead="Các sở ngành và địa phương",
        coordinating=_CONCERNED,
        product="Kế hoạch năm",
        schedule=_FROM_2023,
    ),
    TaskRecord(
        "3",
        "Tổ chức Hội nghị, tọa đàm chia sẻ kinh nghiệm về công tác CCHC",
        lead="Sở Nội vụ",
        coordinating=_CONCERNED,
        product="Các Hội nghị, tọa đàm",
        schedule=_FROM_2023,
    ),
    TaskRecord(
        "4",
        "Tiếp cận thực tế với kinh nghiệm CCHC ngoài thành phố cho cán bộ, công chức, viên chức "
        "các cấp",
        lead="Các sở ngành và địa phương",
        coordinating=_CONCERNED,
        product="Kế hoạch học tập kinh nghiệm",
        schedule=_FROM_2023,
    ),
    TaskRecord(
        "5",
        "Sơ kết, tổng kết thực hiện Kế hoạch",
        lead="Sở Nội vụ",
        coordinating=_CONCERNED,
        product="Báo cáo",
    ),
)

PLAN = PlanRecord(
    key="ct-57",
    code="57/KH-UBND",
    kind="ke_hoach",
    title="Tăng cường năng lực đội ngũ cán bộ, công chức, viên chức thực hiện công tác cải cách "
    "hành chính giai đoạn 2023 - 2030",
    issuer="ct",
    province="ct",
    issued_on=date(2023, 3, 17),
    start_year=2023,
    end_year=2030,
    legal_bases=(NQ_76, CT_23, QD_905),
    targets=TARGETS,
    tasks=TASKS,
    summary="Triển khai thực hiện theo mục tiêu, nhiệm vụ, giải pháp của Đề án “Tăng cường năng "
    "lực đội ngũ cán bộ, công chức thực hiện công tác cải cách hành chính giai đoạn 2022 - 2030” "
    "được phê duyệt tại Quyết định số 905/QĐ-BNV ngày 17 tháng 11 năm 2022 của Bộ trưởng Bộ Nội "
    "vụ. Năm nhóm nhiệm vụ: xây dựng đội ngũ CBCCVC thực hiện nhiệm vụ CCHC; hoàn thiện chương "
    "trình, tài liệu tập huấn, bồi dưỡng; đổi mới phương pháp đào tạo, bồi dưỡng gắn với chuyển "
    "đổi số; xây dựng các nền tảng cơ sở dữ liệu (kênh tra cứu, hỏi đáp tự động về CCHC trên phần "
    "mềm đào tạo bồi dưỡng trực tuyến); tổ chức các đoàn khảo sát, học tập kinh nghiệm.",
    source="000_68d1c657453e2558.txt",
)
