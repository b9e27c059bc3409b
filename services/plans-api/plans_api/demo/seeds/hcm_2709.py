"""Seed 004: Ho Chi Minh City, Đề án ban hành kèm theo Quyết định 2709/QĐ-UBND (10/8/2022),
2022–2025, and its appendix of focus tasks (Phụ lục: Các nhiệm vụ trọng tâm).

The extraction of the appendix stops inside row 8, after its coordinating cell: its product and
time are not in the seed and are left empty here rather than guessed.
"""

from datetime import date

from plans_api.demo.records import LegalBasis, PlanRecord, TargetRecord, TaskRecord, milestone
from plans_api.demo.seeds.common import NQ_76

_EVERY = "Các Sở, ban - ngành, UBND quận, huyện, thành phố Thủ Đức"
_DUE = 2025  # "Thời gian thực hiện: Từ năm 2022 đến hết năm 2025"

_KL_73 = (
    "Kết luận số 73-KL/TW ngày 20 tháng 5 năm 2020 của Ban Bí thư về việc tiếp tục thực hiện Chỉ "
    "thị số 39-CT/TW của Ban Bí thư khóa X về hợp tác với nước ngoài trong lĩnh vực pháp luật, "
    "cải cách hành chính, cải cách tư pháp"
)

LEGAL_BASES = (
    LegalBasis(
        "Chỉ thị số 26/CT-TTg",
        "Chỉ thị số 26/CT-TTg ngày 05 tháng 9 năm 2016 của Thủ tướng Chính phủ về tăng cường kỷ "
        "luật kỷ cương trong các cơ quan hành chính nhà nước các cấp",
        date(2016, 9, 5),
    ),
    LegalBasis(
        "Nghị quyết số 26-NQ/TW",
        "Nghị quyết số 26-NQ/TW ngày 19 tháng 5 năm 2018 của Hội nghị lần thứ 7, Ban Chấp hành "
        "Trung ương Đảng Cộng sản Việt Nam khóa XII về tập ung xây dựng đội ngũ cán bộ các cấp, "
        "nhất là cấp chiến lược đầy đủ phẩm chất, năng lực và uy tín, ngang tầm nhiệm vụ",
        date(2018, 5, 19),
    ),
    LegalBasis("Kết luận số 73-KL/TW", _KL_73, date(2020, 5, 20)),
    LegalBasis(
        "Quyết định số 84/QĐ-TTg",
        "Quyết định số 84/QĐ-TTg ngày 22 tháng 9 năm 2020 của Thủ tướng Chính phủ về việc ban "
        f"hành Kế hoạch thực hiện {_KL_73}",
        date(2020, 9, 22),
    ),
    LegalBasis(
        "Kế hoạch của Ban Thường vụ Thành ủy",
        f"Kế hoạch của Ban Thường vụ Thành ủy về việc thực hiện {_KL_73}",
    ),
    LegalBasis(
        "Kết luận số 14-KL/TW",
        "Kết luận số 14-KL/TW ngày 22 tháng 9 năm 2021 của Bộ Chính trị về chủ trương khuyến "
        "khích và bảo vệ cán bộ năng động, sáng tạo vì lợi ích chung",
        date(2021, 9, 22),
    ),
    LegalBasis(
        "Quyết định số 1191/QĐ-UBND",
        "Quyết định số 1191/QĐ-UBND ngày 07 tháng 4 năm 2021 của Ủy ban nhân dân Thành phố Hồ Chí "
        "Minh về ban hành Kế hoạch thực hiện Chương trình cải cách hành chính và giải pháp nâng "
        "cao Chỉ số cải cách hành chính trên địa bàn Thành phố Hồ Chí Minh giai đoạn 2020 - 2025",
        date(2021, 4, 7),
    ),
    NQ_76,
)


def _target(
    code: str, title: str, measure: str, comparator: str, value: int, **kw: str
) -> TargetRecord:
    return TargetRecord(code, title, measure, comparator, (milestone(_DUE, value),), **kw)


TARGETS = (
    _target(
        "CT1",
        "100% cơ quan chuyên môn thuộc Ủy ban nhân dân Thành phố và 22 Phòng Nội vụ thuộc Ủy ban "
        "nhân dân quận, huyện, thành phố Thủ Đức ngoài việc thực hiện theo hướng dẫn tiêu chuẩn vị "
        "trí việc làm chuyên ngành, phải bố trí, bổ sung trong bảng mô tả công việc làm công tác "
        "cải cách hành chính của ít nhất 01 vị trí việc làm.",
        "percent",
        "eq",
        100,
        note="Khuyến khích xây dựng và bố trí vị trí việc làm công tác cải cách hành chính tại các "
        "cơ quan, đơn vị để tham mưu các chức năng, nhiệm vụ liên quan đến các lĩnh vực của công "
        "tác cải cách hành chính của các cơ quan, đơn vị.",
    ),
    _target(
        "CT2",
        "100% cán bộ, công chức lãnh đạo các Sở - ngành, Ủy ban nhân dân cấp huyện và lãnh đạo "
        "các phòng chuyên môn, đơn vị trực thuộc các Sở - ngành, Ủy ban nhân dân trên địa bàn "
        "Thành phố phải được bồi dưỡng, tập huấn về công tác cải cách hành chính.",
        "percent",
        "eq",
        100,
        source="training_coverage",
        group="leaders",
    ),
    _target(
        "CT3",
        "100% công chức, viên chức làm công tác cải cách hành chính được cung cấp các kiến thức, "
        "kỹ năng cần thiết phục vụ quá trình tham mưu, tổng hợp, hướng dẫn triển khai thực hiện có "
        "hiệu quả các nhiệm vụ cải cách hành chính.",
        "percent",
        "eq",
        100,
        source="training_coverage",
        group="cchc_officials",
    ),
    _target(
        "CT4",
        "100% công chức, viên chức làm công tác cải cách hành chính được tiếp cận các tài liệu, "
        "bài giảng điện tử về cải cách hành chính. Được tiếp cận bằng tài liệu và trao đổi trực "
        "tiếp với kinh nghiệm cải cách hành chính của các tỉnh, thành phố trong nước và các mô "
        "hình của các nước phát triển trên thế giới.",
        "percent",
        "eq",
        100,
    ),
    _target(
        "CT5",
        "Ít nhất 20 công chức, viên chức làm công tác cải cách hành chính ở các Sở - ngành, Ủy ban "
        "nhân dân các cấp trên địa bàn Thành phố được quy hoạch chức danh lãnh đạo, luân chuyển, "
        "bổ nhiệm giữ chức vụ lãnh đạo.",
        "count",
        "gte",
        20,
    ),
    _target(
        "CT6",
        "Phấn đấu đào tạo, bồi dưỡng ít nhất 50 cán bộ, công chức, viên chức làm công tác cải cách "
        "hành chính ở các Sở - ngành, Ủy ban nhân dân các cấp trên địa bàn Thành phố và các nguồn "
        "khác trở thành các chuyên gia về cải cách hành chính.",
        "count",
        "gte",
        50,
    ),
    _target(
        "CT7",
        "Tổ chức ít nhất 05 lớp bồi dưỡng ở nước ngoài về cải cách hành chính, tập trung nâng cao "
        "công tác quản trị công, chất lượng tham mưu các giải pháp, sáng kiến cải tiến trong hoạt "
        "động quản lý nhà nước của các cơ quan, đơn vị. Trong đó, ưu tiên công chức trực tiếp làm "
        "công tác cải cách hành chính không giữ chức vụ lãnh đạo tham gia.",
        "count",
        "gte",
        5,
    ),
    _target(
        "CT8",
        "Tổ chức ít nhất 05 lớp bồi dưỡng về cải cách hành chính ở trong nước theo phương pháp "
        "trực tiếp kết hợp với trực tuyến, tập trung các kỹ năng.",
        "count",
        "gte",
        5,
    ),
    TargetRecord(
        "CT9",
        "Hàng năm tổ chức tập huấn, trao đổi, hướng dẫn nghiệp vụ về cải cách hành chính.",
        "count",
        "gte",
        tuple(milestone(year, 1) for year in range(2022, 2026)),
        note="Văn bản ghi “hàng năm” mà không nêu số lượng: mốc ít nhất 01 lần mỗi năm.",
    ),
    _target(
        "CT10",
        "Tổ chức ít nhất 05 đoàn công tác nghiên cứu, trao đổi kinh nghiệm triển khai, thực hiện "
        "công tác cải cách hành chính ở các tỉnh, thành phố có các mô hình hay, hiệu quả, kết quả "
        "Chỉ số cải cách hành chính cấp tỉnh cao hơn Thành phố.",
        "count",
        "gte",
        5,
    ),
)

TASKS = (
    TaskRecord(
        "1",
        "Ban hành Quy định về vai trò, trách nhiệm của người đứng đầu các cơ quan hành chính các "
        "cấp và quy định tiêu chuẩn, vị trí, chức danh, nhiệm vụ, trách nhiệm của công chức trong "
        "việc thực hiện công tác cải cách hành chính.",
        lead="Sở Nội vụ",
        coordinating=_EVERY,
        product="Quyết định; có vị trí việc làm trong đề án sửa đổi, bổ sung tại các đơn vị",
        schedule="2022 - 2023",
    ),
    TaskRecord(
        "2",
        "Xây dựng nội dung quy định về tiêu chuẩn, vị trí, chức năng, nhiệm vụ và trách nhiệm của "
        "công chức thực hiện công tác cải cách hành chính",
        lead="Sở Nội vụ",
        coordinating=_EVERY,
        product="Quyết định",
        schedule="2022 - 2023",
    ),
    TaskRecord(
        "3",
        "Kiểm tra, đánh giá năng lực công chức giữ nhiệm vụ, vị trí việc làm tham mưu công tác cải "
        "cách hành chính",
        lead="Sở Nội vụ",
        coordinating=_EVERY,
        product="Kế hoạch",
        schedule="2023 - 2025",
    ),
    TaskRecord(
        "4",
        "Kịp thời bố trí công việc khác phù hợp đối với cán bộ, công chức lãnh đạo không thực hiện "
        "tốt công tác cải cách hành chính. Bố trí công việc khác phù hợp với công chức thực hiện "
        "cải cách hành chính không đạt yêu cầu về năng lực vị trí việc làm",
        lead=_EVERY,
        coordinating="Sở Nội vụ",
        product="Báo cáo kết quả thực hiện về Sở Nội vụ",
        schedule="2022 - 2025",
    ),
    TaskRecord(
        "5",
        "Rà soát, đánh giá công nhận và quản lý danh sách nguồn cán bộ, công chức lãnh đạo công "
        "tác cải cách hành chính, công chức, viên chức làm công tác cải cách hành chính và các "
        "chuyên gia về cải cách hành chính",
        lead="Sở Nội vụ",
        coordinating=_EVERY,
        product="Quyết định",
        schedule="2022 - 2025",
    ),
    TaskRecord(
        "6",
        "Xây dựng chương trình, biên soạn tài liệu tập huấn, bồi dưỡng để cập nhật, nâng cao kiến "
        "thức, kỹ năng cho cán bộ, công chức lãnh đạo; cán bộ, công chức thực hiện công tác cải "
        "cách hành chính",
        lead="Học viện Cán bộ Thành phố",
        coordinating="Sở Nội vụ, Sở Tư pháp, Sở Thông tin và Truyền thông, Văn phòng UBND Thành "
        "phố, Sở Khoa học và Công nghệ",
        product="Chương trình, tài liệu được cập nhật, bổ sung hàng năm, phù hợp với mục tiêu cải "
        "cách hành chính của Thành phố",
        schedule="Năm 2023",
    ),
    TaskRecord(
        "7",
        "Xây dựng hệ thống đào tạo trực tuyến một số chuyên đề cơ bản, đáp ứng nhu cầu học tập "
        "linh hoạt của đội ngũ cán bộ, công chức lãnh đạo, công chức thực hiện công tác cải cách "
        "hành chính",
        lead="Sở Nội vụ",
        coordinating="Sở Thông tin và Truyền thông, Học viện Cán bộ Thành phố",
        product="Phần mềm, quy chế quản lý",
        schedule="2022 - 2023",
    ),
    TaskRecord(
        "8",
        "Tổ chức bồi dưỡng kỹ năng, chuyên môn nghiệp vụ cho cán bộ, công chức lãnh đạo, công "
        "chức thực hiện công tác cải cách hành chính của Thành phố",
        lead="Sở Nội vụ",
        coordinating=_EVERY,
    ),
)

PLAN = PlanRecord(
    key="hcm-2709",
    code="2709/QĐ-UBND",
    kind="de_an",
    title="Nâng cao năng lực, trình độ đội ngũ cán bộ, công chức, viên chức làm công tác cải cách "
    "hành chính ở các Sở - ngành, Ủy ban nhân dân các cấp trên địa bàn Thành phố Hồ Chí Minh giai "
    "đoạn 2022 - 2025",
    issuer="hcm",
    province="hcm",
    issued_on=date(2022, 8, 10),
    start_year=2022,
    end_year=2025,
    legal_bases=LEGAL_BASES,
    targets=TARGETS,
    tasks=TASKS,
    summary="Đề án ban hành kèm theo Quyết định số 2709/QĐ-UBND ngày 10 tháng 8 năm 2022 của Chủ "
    "tịch Ủy ban nhân dân Thành phố Hồ Chí Minh. Hệ thống đào tạo trực tuyến (Phần thứ Tư, III.1): "
    "số hóa nội dung, bài giảng công tác cải cách hành chính; quản lý nội dung, tổ chức các khóa "
    "học, tổ chức các đợt kiểm tra, khảo sát; quản lý, kiểm soát thời gian, đo lường chất lượng "
    "học viên tham gia nghiên cứu, học tập trên Hệ thống; tích hợp, đồng bộ với các hệ thống của "
    "Thành phố, đảm bảo an toàn thông tin. Thí điểm đổi mới phương pháp làm việc, sắp xếp nơi làm "
    "việc theo tiêu chuẩn thực hành 5S tại một số Sở - ngành, quận - huyện, phường, xã, thị trấn.",
    source="004_cdbf17cb0d563be8.txt",
)
