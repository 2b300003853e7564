"""Reporting lines a task table states by its columns: a report column ("Báo cáo kết quả"), a
table of reports ("Cơ quan báo cáo | Kỳ báo cáo") with the recipient in a note under it, a report in
the task cell timed by the row's time column. Plans written for these tests (not from any plan)."""

from __future__ import annotations

import pytest

from index.chunking import chunk_plan
from index.obligations import Obligation, extract_plan
from index.obligations.table_rows import _agency_names
from index.structure import parse_plan
from index.tables import column_roles, reports_table, row_fields

REPORT_COLUMN_PLAN = """ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG
Số: 77/KH-UBND
KẾ HOẠCH
Phòng, chống sạt lở đất mùa mưa năm 2026
I. MỤC ĐÍCH, YÊU CẦU
- Chủ động ứng phó sạt lở.
II. NHIỆM VỤ CỤ THỂ
Các nhiệm vụ cụ thể như sau:
STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Hình thức báo cáo
1 | Rà soát khu dân cư có nguy cơ sạt lở | Sở Xây dựng | UBND các xã, phường | Tháng 5/2026 | Báo cáo UBND tỉnh (qua Sở Nông nghiệp và Môi trường) hằng quý
2 | Lắp đặt trạm quan trắc mưa | Đài Khí tượng Thủy văn tỉnh | Sở Khoa học và Công nghệ | Quý III/2026 | Gửi Sở Nông nghiệp và Môi trường để tổng hợp
3 | Di dời hộ dân khỏi vùng nguy hiểm | UBND các xã, phường | Công an tỉnh | Trước ngày 30/8/2026 | Không
4 | Báo cáo sơ kết công tác phòng, chống sạt lở | Sở Nông nghiệp và Môi trường | Các sở, ngành | Trước ngày 20/9/2026 | Báo cáo Bộ Nông nghiệp và Môi trường và UBND tỉnh
III. TỔ CHỨC THỰC HIỆN
Sở Nông nghiệp và Môi trường theo dõi, đôn đốc thực hiện Kế hoạch.
"""

REPORTS_TABLE_PLAN = """ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI
Số: 15/KH-UBND
KẾ HOẠCH
Theo dõi công tác giảm nghèo năm 2026
I. MỤC TIÊU
- Giảm tỷ lệ hộ nghèo.
II. TỔ CHỨC THỰC HIỆN
Sở Y tế chủ trì theo dõi, tổng hợp kết quả thực hiện.
PHỤ LỤC
BIỂU THEO DÕI CHỈ TIÊU
STT | Chỉ tiêu | Đơn vị tính | Kế hoạch năm 2026 | Đơn vị báo cáo | Kỳ báo cáo
1 | Số hộ nghèo thoát nghèo | hộ | 1.200 | UBND các xã, phường | 6 tháng, năm
2 | Số lao động được đào tạo nghề | người | 3.000 | Sở Nội vụ | Hằng quý
3 | Số hộ được hỗ trợ nhà ở | hộ | 450 | Sở Y tế | năm
Nơi gửi báo cáo: Sở Y tế (Phòng Bảo trợ xã hội).
"""


def _rows(text: str, source: str) -> list[Obligation]:
    plan = parse_plan(text, source)
    return extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year)


@pytest.fixture(scope="module")
def column_rows() -> list[Obligation]:
    return _rows(REPORT_COLUMN_PLAN, "lam-dong.txt")


def _lines(rows: list[Obligation], section: str) -> list[Obligation]:
    return [r for r in rows if r.kind == "reporting" and r.section == section]


def test_header_names_the_report_recipient_frequency_and_unit_columns():
    roles = column_roles("STT | Nội dung báo cáo | Cơ quan báo cáo | Cơ quan nhận báo cáo | Thời hạn báo cáo | Kỳ báo cáo")
    assert roles == {"number": 0, "task": 1, "lead": 2, "recipient": 3, "deadline": 4, "frequency": 5}
    roles = column_roles("STT | Nhiệm vụ | Đơn vị chủ trì | Thời gian hoàn thành | Báo cáo kết quả | Sản phẩm")
    assert roles["report"] == 4 and roles["product"] == 5 and roles["deadline"] == 3
    assert column_roles("STT | Chỉ tiêu | Đơn vị tính | Cơ quan báo cáo")["lead"] == 3  # "đơn vị tính" is a unit
    assert reports_table("STT | Chỉ tiêu | Cơ quan báo cáo | Kỳ báo cáo")
    assert not reports_table("STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian | Báo cáo kết quả")
    fields = row_fields("STT | Nhiệm vụ | Chủ trì | Báo cáo kết quả", "1 | Rà soát | Sở Tư pháp | Báo cáo UBND tỉnh")
    assert fields is not None and fields.report == "Báo cáo UBND tỉnh"


def test_report_column_gives_the_row_lead_a_reporting_line(column_rows):
    (line,) = _lines(column_rows, "II.1")
    assert (line.agency, line.recipient, line.via, line.recurrence) == (
        "Sở Xây dựng", "Ủy ban nhân dân tỉnh", "Sở Nông nghiệp và Môi trường", ("quarterly",))
    # "Gửi Sở X để tổng hợp": the column says it is the row's report
    (sent,) = _lines(column_rows, "II.2")
    assert (sent.agency, sent.recipient) == ("Đài Khí tượng Thủy văn tỉnh", "Sở Nông nghiệp và Môi trường")
    assert _lines(column_rows, "II.3") == []  # "Không"


def test_report_task_row_takes_recipients_of_its_column_and_no_recipientless_twin(column_rows):
    lines = _lines(column_rows, "II.4")
    assert {r.recipient for r in lines} == {"Bộ Nông nghiệp và Môi trường", "Ủy ban nhân dân tỉnh"}
    assert all(r.agency == "Sở Nông nghiệp và Môi trường" for r in lines)


def test_report_task_without_recipient_is_due_at_the_row_time():
    text = REPORT_COLUMN_PLAN.replace(" | Báo cáo Bộ Nông nghiệp và Môi trường và UBND tỉnh", " | ")
    (line,) = _lines(_rows(text, "lam-dong-2.txt"), "II.4")
    assert (line.recipient, line.due_date) == (None, "2026-09-20")


def test_table_of_reports_takes_its_recipient_from_the_note_under_it():
    rows = _rows(REPORTS_TABLE_PLAN, "quang-ngai.txt")
    table = [r for r in rows if r.section.startswith("PL1.")]
    assert not [r for r in table if r.kind == "assignment"]  # "Đơn vị báo cáo" leads no task
    first = _lines(rows, "PL1.1")
    assert [(r.agency, r.recipient) for r in first] == [("Ủy ban nhân dân các xã, phường", "Sở Y tế")]
    assert first[0].recurrence
    assert [r.recipient for r in _lines(rows, "PL1.2")] == ["Sở Y tế"]
    assert _lines(rows, "PL1.3") == []  # the body the reports go to does not report to itself


def test_product_column_naming_a_recipient_is_a_report_due_at_the_row_time():
    header = "STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian thực hiện | Sản phẩm"
    text = REPORT_COLUMN_PLAN.replace(
        "STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Hình thức báo cáo\n", header + "\n")
    text = text.split("1 | Rà soát")[0] + (
        "1 | Tổng kết công tác năm | Sở Xây dựng | Trước ngày 05/12/2026 | Báo cáo UBND tỉnh\n"
        "2 | Ban hành quy chế | Sở Tư pháp | Quý II/2026 | Quyết định của UBND tỉnh\n"
        "III. TỔ CHỨC THỰC HIỆN\n- Theo dõi.\n")
    rows = _rows(text, "lam-dong-3.txt")
    assert [(r.recipient, r.due_date) for r in _lines(rows, "II.1")] == [("Ủy ban nhân dân tỉnh", "2026-12-05")]
    assert _lines(rows, "II.2") == []  # a decision as product is no report


NOTE_COLUMN_PLAN = """ỦY BAN NHÂN DÂN TỈNH CAO BẰNG
Số: 31/KH-BCĐ
KẾ HOẠCH
Hoạt động của Ban Chỉ đạo phát triển du lịch cộng đồng năm 2026
I. MỤC ĐÍCH
- Phát triển du lịch cộng đồng.
II. NHIỆM VỤ
Các nhiệm vụ tại Phụ lục kèm theo.
PHỤ LỤC
STT | Nội dung | Cơ quan thực hiện | Thời gian | Ghi chú
1 | Khảo sát điểm du lịch cộng đồng | Sở Văn hóa, Thể thao và Du lịch chủ trì; Sở Tài chính phối hợp | Quý II/2026 | 05 điểm
2 | Báo cáo kết quả hoạt động năm của Ban Chỉ đạo | Sở Văn hóa, Thể thao và Du lịch | Trước ngày 10/12/2026 | Báo cáo Bộ Văn hóa, Thể thao và Du lịch, UBND tỉnh
3 | Thống kê lượt khách | UBND các xã, phường | Trước ngày 25/6/2026 | Gửi Sở Văn hóa, Thể thao và Du lịch
"""


def test_note_column_and_one_cell_naming_lead_and_partner():
    rows = _rows(NOTE_COLUMN_PLAN, "cao-bang.txt")
    (first,) = [r for r in rows if r.kind == "assignment" and r.section == "PL1.1"]
    assert (first.agency, first.cooperating) == ("Sở Văn hóa, Thể thao và Du lịch", ("Sở Tài chính",))
    assert _lines(rows, "PL1.1") == []  # "05 điểm" says no report
    # the note names the recipients: the task's "… của Ban Chỉ đạo" is no recipient
    assert sorted((r.recipient, r.due_date) for r in _lines(rows, "PL1.2")) == [
        ("Bộ Văn hóa, Thể thao và Du lịch", "2026-12-10"), ("Ủy ban nhân dân tỉnh", "2026-12-10")]
    assert [(r.agency, r.recipient) for r in _lines(rows, "PL1.3")] == [
        ("Ủy ban nhân dân các xã, phường", "Sở Văn hóa, Thể thao và Du lịch")]


TARGETS_PLAN = """ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN
Số: 58/KH-UBND
KẾ HOẠCH
Phát triển thủy sản bền vững giai đoạn 2026 - 2028
I. MỤC TIÊU
1. Các chỉ tiêu tại Phụ lục I kèm theo.
II. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường chủ trì theo dõi thực hiện.
Phụ lục I
CHỈ TIÊU GIAI ĐOẠN 2026 - 2028
STT | Chỉ tiêu | Đơn vị | Năm 2026 | Năm 2027 | Năm 2028
1 | Sản lượng nuôi trồng thủy sản | tấn | 12.000 | 13.500 | 15.000
2 | Vốn hỗ trợ ngư dân đóng mới tàu cá | tỷ đồng | 25 | 30 | 35
"""


def test_a_bare_unit_column_of_a_target_table_is_no_lead_and_its_unit_goes_with_the_figure(tmp_path):
    from tests.conftest import offline_app

    assert column_roles("STT | Chỉ tiêu | Đơn vị | Năm 2026 | Năm 2027")["unit"] == 2
    assert column_roles("STT | Nhiệm vụ | Đơn vị | Thời gian")["lead"] == 2  # a task table's "Đơn vị" acts
    app = offline_app(tmp_path, {"phu-yen-2026-thuy-san.txt": TARGETS_PLAN})
    answer = app.assistant.ask("Năm 2027 vốn hỗ trợ ngư dân đóng mới tàu cá của Phú Yên là bao nhiêu tỷ đồng?",
                               mode="extractive")
    assert not answer.abstained
    assert "30 tỷ đồng" in answer.answer and "35" not in answer.answer
    assert [c.section for c in answer.citations] == ["PL1.2"]


EVENTS_PLAN = """ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG
Số: 64/KH-UBND
KẾ HOẠCH
Xúc tiến thương mại năm 2026
I. MỤC ĐÍCH
- Quảng bá sản phẩm.
II. NHIỆM VỤ
1. Các hoạt động tại Phụ lục I kèm theo.
Phụ lục I
STT | Nội dung | Cơ quan thực hiện | Thời gian | Ghi chú
1 | Hội chợ nông sản tỉnh Sóc Trăng năm 2026 | Sở Công Thương | Quý II/2026 | Tại phường Phú Lợi
2 | Hội nghị kết nối cung cầu | Sở Công Thương | Quý IV/2026 | 200 doanh nghiệp
"""


def test_a_row_named_with_the_plan_words_and_where_asked_gives_the_note(tmp_path):
    from tests.conftest import offline_app

    app = offline_app(tmp_path, {"soc-trang-2026-xuc-tien.txt": EVENTS_PLAN})
    answer = app.assistant.ask("Hội chợ nông sản tỉnh Sóc Trăng năm 2026 tổ chức ở đâu theo phụ lục?", mode="extractive")
    assert "Phú Lợi" in answer.answer and "200 doanh nghiệp" not in answer.answer
    assert [c.section for c in answer.citations] == ["PL1.1"]


SCHEDULE_TABLE_PLAN = """ỦY BAN NHÂN DÂN TỈNH CAO BẰNG
Số: 31/KH-UBND
KẾ HOẠCH
Phát triển chăn nuôi nông hộ năm 2026
I. MỤC ĐÍCH, YÊU CẦU
- Nâng cao thu nhập của nông hộ.
II. TỔ CHỨC THỰC HIỆN
Các đơn vị gửi báo cáo theo Phụ lục kèm theo.
Phụ lục
LỊCH GỬI BÁO CÁO
STT | Nội dung báo cáo | Đơn vị báo cáo | Nơi nhận báo cáo | Thời hạn gửi
1 | Danh sách hộ nhận giống bò | UBND các xã, phường | Sở Nông nghiệp và Môi trường | Trước ngày 30/4/2026
2 | Báo cáo năm | Sở Nông nghiệp và Môi trường | UBND tỉnh | Trước ngày 05/12/2026
"""


def test_a_report_row_asked_to_whom_and_when_gives_both_cells(tmp_path):
    from tests.conftest import offline_app

    app = offline_app(tmp_path, {"cao-bang-2026-chan-nuoi.txt": SCHEDULE_TABLE_PLAN})
    answer = app.assistant.ask("UBND xã gửi danh sách hộ nhận giống bò cho ai, hạn khi nào?", mode="extractive")
    assert "Sở Nông nghiệp và Môi trường" in answer.answer and "30/4/2026" in answer.answer, answer.answer
    assert [c.section for c in answer.citations] == ["PL1.1"]


NAMED_REPORTS_PLAN = """SỞ Y TẾ TỈNH GIA LAI
Số: 31/KH-SYT
KẾ HOẠCH
Theo dõi tiêm chủng mở rộng năm 2026
I. MỤC TIÊU
- Tỷ lệ tiêm chủng đạt 95%.
II. TỔ CHỨC THỰC HIỆN
Phòng Nghiệp vụ Y theo dõi, đôn đốc thực hiện Kế hoạch.
Phụ lục
DANH MỤC BÁO CÁO
| STT | Tên báo cáo | Đơn vị thực hiện | Nơi nhận | Kỳ báo cáo | Thời hạn |
| --- | --- | --- | --- | --- | --- |
| 1 | Báo cáo tiến độ tiêm chủng | Trung tâm Kiểm soát bệnh tật tỉnh | Sở Y tế (qua Phòng Nghiệp vụ Y) | Hằng tháng | Trước ngày 20 hằng tháng |
| 2 | Báo cáo kết quả năm | Sở Y tế | UBND tỉnh; Bộ Y tế | Hằng năm | Trước ngày 10/12/2026 |
"""


def test_named_reports_go_to_the_recipient_column_and_lead_no_task() -> None:
    """"Tên báo cáo | Đơn vị thực hiện | Nơi nhận": the name column is no recipient-less report, the
    sender column leads no task, and "(qua Phòng Y)" is the route of the report."""
    rows = _rows(NAMED_REPORTS_PLAN, "gia-lai.txt")
    lines = [r for r in rows if r.kind == "reporting"]
    assert all(r.recipient for r in lines)
    first = [r for r in lines if r.agency == "Trung tâm Kiểm soát bệnh tật tỉnh"]
    assert first and first[0].recipient == "Sở Y tế" and first[0].via == "Phòng Nghiệp vụ Y"
    assert "monthly" in first[0].recurrence
    second = {r.recipient for r in lines if r.agency == "Sở Y tế"}
    assert second == {"Ủy ban nhân dân tỉnh", "Bộ Y tế"}
    assert [r.deadline_text for r in lines if r.agency == "Sở Y tế"][0].startswith("Trước ngày 10/12/2026")
    assert not [r for r in rows if r.kind == "assignment" and r.section.startswith("PL")]


@pytest.mark.parametrize(("cell", "names"), [
    ("Viễn thông Huế; Viettel Huế", ["Viễn thông Huế", "Viettel Huế"]),
    ("Hội đồng đánh giá; UBND các xã, phường", ["Hội đồng đánh giá", "Ủy ban nhân dân các xã, phường"]),
    ("Sở Nội vụ; Văn phòng UBND thành phố", ["Sở Nội vụ", "Văn phòng Ủy ban nhân dân thành phố"]),
    ("Sở Tài chính; các đơn vị có liên quan", ["Sở Tài chính", "Các cơ quan, đơn vị liên quan"]),
])
def test_each_part_of_a_cell_is_a_body(cell: str, names: list[str]) -> None:
    """A part between semicolons names one body, as printed when no head or lexicon name is in it."""
    assert _agency_names(cell) == names
