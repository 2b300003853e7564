"""Task tables the parser must recognise as tables (contract: `PL<n>.<STT>`, body rows `<part>.<STT>`):
an appendix headed by "Phụ lục" alone, a body table whose header rule OCR printed as noise, and
OCR-wrapped figures of a row that must stay in their row. Small plans written in the genre's layout."""

from __future__ import annotations

from typing import Any

import pytest

from index.structure import parse_plan

_HEAD = """ỦY BAN NHÂN DÂN TỈNH NINH BÌNH
Số: 12/KH-UBND
KẾ HOẠCH
Chuyển đổi cây trồng năm 2026

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao hiệu quả sử dụng đất.
II. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường chủ trì theo dõi, báo cáo UBND tỉnh.
Các cơ quan báo cáo theo Phụ lục kèm theo Kế hoạch này.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn A
"""


def _paths(text: str) -> dict[str, str]:
    plan = parse_plan(text, "plan.txt")
    sections = [s for part in plan.parts for s in part.walk()] + [s for a in plan.appendices for s in a.walk()]
    return {s.path: " ".join(line.strip() for line in s.lines) for s in sections}


def test_an_appendix_headed_phu_luc_alone_is_an_appendix_with_its_title_below() -> None:
    text = _HEAD + """
Phụ lục
LỊCH GỬI BÁO CÁO THỰC HIỆN KẾ HOẠCH
(Kèm theo Kế hoạch số 12/KH-UBND)

| STT | Nội dung báo cáo | Đơn vị báo cáo | Nơi nhận báo cáo | Thời hạn gửi |
| --- | --- | --- | --- | --- |
| 1 | Danh mục vùng chuyển đổi | UBND các huyện | Sở Nông nghiệp và Môi trường | Trước ngày 30/4/2026 |
| 2 | Kết quả cấp phát kinh phí | Sở Tài chính | UBND tỉnh | Trước ngày 30/11/2026 |
"""
    plan = parse_plan(text, "plan.txt")
    assert [a.path for a in plan.appendices] == ["PL1"]
    assert plan.appendices[0].title == "LỊCH GỬI BÁO CÁO THỰC HIỆN KẾ HOẠCH"
    paths = _paths(text)
    assert "Sở Tài chính" in paths["PL1.2"]
    assert "Danh mục" in paths["PL1.1"]


def test_a_sentence_mentioning_an_appendix_is_no_appendix() -> None:
    plan = parse_plan(_HEAD.replace("Nguyễn Văn A", "Nguyễn Văn A\nPhụ lục kèm theo gồm 02 biểu."), "plan.txt")
    assert plan.appendices == []


_BODY_TABLE = """ỦY BAN NHÂN DÂN TỈNH NINH BÌNH
KẾ HOẠCH
Đưa người lao động đi làm việc ở nước ngoài năm 2026

PHAN I
MUC DICH, YEU CAU
1. Muc dich
- Giai quyet viec lam.
PHAN II
NHIEM VU CU THE
Cac nhiem vu duoc phan cong theo bang sau:

| STT | Noi dung nhiem vu | Don vi chu tri | Don vi phoi hop |
Thoi gian hoan thanh |

eed lee eed eed ee ;

| A | THONG TIN, TUYEN TRUYEN | | | |

| 1 | Xay dung chuyen muc thong tin thi truong lao dong ngoai
nuoc | Van phong So | Phong Viec lam | Thang 3/2024 |

| 2 | Phat hanh to roi canh bao lua dao | Phong Viec lam |
Cong an tinh | Quy II/2024 |
PHAN III
TO CHUC THUC HIEN
1. Van phong So bao cao Giam doc So.
"""


def test_noise_between_a_body_tables_header_and_first_row_does_not_end_the_table() -> None:
    paths = _paths(_BODY_TABLE)
    assert "Van phong So" in paths["II.1"]
    assert "Cong an tinh" in paths["II.2"]


_TARGETS = _HEAD + """
Phu luc I
CHI TIEU THUC HIEN DE AN

STT | Chi tieu | Don vi tinh | Nam 2025 | Nam 2026 | Nam 2027 |
Nam 2028 | Don vi chu tri

1 | Dien tich vung chuyen canh | ha | 30.000 | 45.000 | 60.000 |
75.000 | So Nong nghiep

2 | Ty le dien tich thu gom rom ra | % | 40 | 50 | 60

| 80 | So Tai nguyen va Moi truong

3 | Kilomet giao thong noi dong | km | 20 | 45 | 70
| 90 | UBND cac huyen
"""


def test_figures_ocr_wrapped_to_a_lines_start_stay_in_their_row() -> None:
    paths = _paths(_TARGETS)
    rows = sorted(p for p in paths if p.startswith("PL1."))
    assert rows == ["PL1.1", "PL1.2", "PL1.3"]
    assert "So Tai nguyen" in paths["PL1.2"]
    assert "UBND cac huyen" in paths["PL1.3"]


_TIME_CUT = _HEAD + """
Phu luc
PHAN CONG NHIEM VU

STT | Noi dung cong viec | Co quan chu tri | Co quan phoi hop | Thoi gian hoan thanh | Bao cao ket qua
5 | Tuyen chon dieu tra vien | Cuc Thong ke tinh | Ban Chi dao cap huyen | Thang 6/2025 | Tong cuc Thong ke
6 | Tuyen truyen tren bao chi | So Thong tin va Truyen thong | Bao tinh; UBND cac huyen | Tu thang
5/2025 den het thang 7/2025 | Ban Chi dao tinh
7 | Bo tri kinh phi | So Tai chinh | Cuc Thong ke tinh | Quy IV/2024 | UBND tinh
"""


def test_a_time_cell_cut_before_its_date_goes_on_in_the_row() -> None:
    paths = _paths(_TIME_CUT)
    rows = sorted(p for p in paths if p.startswith("PL1."))
    assert rows == ["PL1.5", "PL1.6", "PL1.7"]  # the rows' own STT (the table starts at 5)
    assert "7/2025" in paths["PL1.6"]
    assert "Bo tri kinh phi" in paths["PL1.7"]


_SCHEDULE = """ỦY BAN NHÂN DÂN TỈNH NINH BÌNH
Số: 12/KH-UBND
KẾ HOẠCH
Chuyển đổi cây trồng trên đất lúa tỉnh Ninh Bình năm 2026

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao hiệu quả sử dụng đất lúa.
II. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
- Chủ trì thẩm định danh mục vùng chuyển đổi do các huyện đề xuất, trình UBND tỉnh trước ngày 31/5/2026.
2. Ủy ban nhân dân các huyện
- Báo cáo sơ kết 6 tháng đầu năm gửi UBND tỉnh theo thời hạn tại Phụ lục kèm theo.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn A

Phụ lục
LỊCH GỬI BÁO CÁO THỰC HIỆN KẾ HOẠCH

| STT | Nội dung báo cáo | Đơn vị báo cáo | Nơi nhận báo cáo | Thời hạn gửi |
| --- | --- | --- | --- | --- |
| 1 | Danh mục vùng chuyển đổi đề xuất | UBND các huyện | Sở Nông nghiệp và Môi trường | Trước ngày 30/4/2026 |
| 2 | Báo cáo sơ kết 6 tháng đầu năm | UBND các huyện | UBND tỉnh (qua Sở Nông nghiệp và Môi trường) | Trước ngày 10/6/2026 |
| 3 | Kết quả cấp phát kinh phí hỗ trợ | Sở Tài chính | UBND tỉnh | Trước ngày 30/11/2026 |
"""


@pytest.fixture(scope="module")
def schedule_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from tests.conftest import offline_app

    return offline_app(tmp_path_factory.mktemp("schedule"), {"ninh-binh-2026-chuyen-doi.txt": _SCHEDULE})


def test_a_reports_table_row_answers_who_sends_it_and_to_whom(schedule_app: Any) -> None:
    answer = schedule_app.assistant.ask("Ninh Bình: UBND huyện gửi danh mục vùng chuyển đổi đề xuất cho ai, hạn khi nào?",
                                        mode="extractive")
    assert "Sở Nông nghiệp và Môi trường" in answer.answer and "30/4/2026" in answer.answer
    assert [c.section for c in answer.citations] == ["PL1.1"]


def test_the_appendix_named_answers_from_its_row_before_a_sentence_deferring_to_it(schedule_app: Any) -> None:
    answer = schedule_app.assistant.ask("Theo phụ lục, báo cáo sơ kết 6 tháng của huyện ở Ninh Bình hạn gửi ngày nào?",
                                        mode="extractive")
    assert "10/6/2026" in answer.answer
    assert [c.section for c in answer.citations] == ["PL1.2"]


def test_who_leads_a_task_is_not_the_sender_of_a_report_row_with_its_words(schedule_app: Any) -> None:
    answer = schedule_app.assistant.ask(
        "Ở Ninh Bình, cơ quan nào chủ trì thẩm định danh mục vùng chuyển đổi do các huyện đề xuất?", mode="extractive")
    assert "Sở Nông nghiệp và Môi trường" in answer.answer
    assert [c.section for c in answer.citations] == ["II.1"]


_BODY_TABLE_CLEAN = """ỦY BAN NHÂN DÂN TỈNH NINH BÌNH
Số: 20/KH-UBND
KẾ HOẠCH
Đưa người lao động tỉnh Ninh Bình đi làm việc ở nước ngoài năm 2026

I. MỤC ĐÍCH, YÊU CẦU
1. Giải quyết việc làm cho lao động.
II. NHIỆM VỤ CỤ THỂ VÀ PHÂN CÔNG THỰC HIỆN
Các nhiệm vụ được phân công theo bảng sau:
| STT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |
| --- | --- | --- | --- | --- |
| A | THÔNG TIN, TUYÊN TRUYỀN | | | |
| 1 | Phát hành tờ rơi cảnh báo lừa đảo | Phòng Việc làm | Công an tỉnh | Quý II/2026 |
| B | HỖ TRỢ NGƯỜI LAO ĐỘNG | | | |
| 2 | Tổ chức gặp mặt, đối thoại với người lao động về nước | Trung tâm Dịch vụ việc làm tỉnh | Hội Liên hiệp Phụ nữ tỉnh | Tháng 01/2027 |
III. TỔ CHỨC THỰC HIỆN
1. Phòng Việc làm theo dõi, tổng hợp kết quả thực hiện.
"""


def test_a_body_tables_row_named_by_its_number_gives_its_cells(tmp_path: Any) -> None:
    from tests.conftest import offline_app

    app = offline_app(tmp_path, {"ninh-binh-2026-lao-dong.txt": _BODY_TABLE_CLEAN})
    answer = app.assistant.ask("Bảng phân công ở Mục II kế hoạch lao động Ninh Bình, dòng 2 là việc gì, ai chủ trì?",
                               mode="extractive")
    assert "Trung tâm Dịch vụ việc làm tỉnh" in answer.answer and "đối thoại" in answer.answer
    assert [c.section for c in answer.citations] == ["II.2"]
