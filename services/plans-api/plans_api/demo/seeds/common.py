"""Legal bases several seed documents cite."""

from datetime import date

from plans_api.demo.records import LegalBasis

NQ_76 = LegalBasis(
    "Nghị quyết số 76/NQ-CP",
    "Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ ban hành Chương trình tổng "
    "thể cải cách hành chính nhà nước giai đoạn 2021-2030",
    date(2021, 7, 15),
)
CT_23 = LegalBasis(
    "Chỉ thị số 23/CT-TTg",
    "Chỉ thị số 23/CT-TTg ngày 02 tháng 9 năm 2021 của Thủ tướng Chính phủ về việc đẩy mạnh "
    "thực hiện Chương trình tổng thể cải cách hành chính giai đoạn 2021-2030",
    date(2021, 9, 2),
)
QD_905 = LegalBasis(
    "Quyết định số 905/QĐ-BNV",
    "Quyết định số 905/QĐ-BNV ngày 17 tháng 11 năm 2022 của Bộ Nội vụ phê duyệt Đề án “Tăng "
    "cường năng lực đội ngũ cán bộ, công chức thực hiện công tác cải cách hành chính giai đoạn "
    "2022-2030”",
    date(2022, 11, 17),
)
