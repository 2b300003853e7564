"""Appendix rows asked by what they share, or by where they stand (issue 21): the rows under the
group a question names, the rows whose cell holds the value it quotes, a schedule's row by the
month its time cell covers, an indicator's "-" sub-rows by the measures named, the row next to
the one the previous answer gave. One plan written here in the Decree 30/2020 layout (a task table
grouped under Roman rows with its STT restarting, a targets table with "-" sub-rows, a schedule);
expected answers worked out by hand."""

from __future__ import annotations

import pytest

from lang.dates import months_asked, months_covered
from lang.normalize import fold
from rag.query import analyze
from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH HÀ TĨNH                         Độc lập - Tự do - Hạnh phúc
Số: 91/KH-UBND                       Hà Tĩnh, ngày 10 tháng 02 năm 2026

KẾ HOẠCH
Phát triển nông nghiệp và kinh tế số tỉnh Hà Tĩnh năm 2026

I. MỤC TIÊU
1. Các chỉ tiêu tại Phụ lục 01 kèm theo Kế hoạch này.
II. TỔ CHỨC THỰC HIỆN
1. Các sở, ngành thực hiện các nhiệm vụ tại Phụ lục 02, lịch kiểm tra tại Phụ lục 03.
2. Thanh tra chuyên ngành về giống cây trồng
Thanh tra các cơ sở sản xuất, kinh doanh giống cây trồng; xử lý vi phạm theo thẩm quyền.
- Đơn vị chủ trì: Chi cục Trồng trọt và Bảo vệ thực vật;
- Thời gian thực hiện: 03 đợt, tháng 4/2026, tháng 8/2026 và tháng 11/2026;
- Sản phẩm: Kết luận thanh tra gửi UBND tỉnh trong 10 ngày kể từ ngày kết thúc đợt thanh tra.

Nơi nhận:                                              TM. ỦY BAN NHÂN DÂN
- Như trên;                                            KT. CHỦ TỊCH
- Lưu: VT.                                             PHÓ CHỦ TỊCH
                                                       Trần Văn Nam

PHỤ LỤC 01
CHỈ TIÊU SẢN XUẤT

| STT | Chỉ tiêu | Đơn vị tính | Năm 2026 | Năm 2027 | Năm 2028 |
| --- | --- | --- | --- | --- | --- |
| I | CÂY ĂN QUẢ | | | | |
| 1 | Cam | | | | |
| - | Diện tích | Ha | 4.100 | 4.300 | 4.500 |
| - | Sản lượng cam quả | Tấn | 52.000 | 55.000 | 58.000 |
| 2 | Bưởi Phúc Trạch | | | | |
| - | Diện tích | Ha | 2.200 | 2.350 | 2.500 |
| - | Sản lượng bưởi quả | Tấn | 21.000 | 23.500 | 26.000 |

PHỤ LỤC 02
DANH MỤC NHIỆM VỤ

| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện |
| --- | --- | --- | --- | --- |
| I | PHÁT TRIỂN HẠ TẦNG SỐ | | | |
| 1 | Phủ sóng di động các thôn vùng sâu | Sở Khoa học và Công nghệ | Các doanh nghiệp viễn thông | Quý III/2026 |
| 2 | Nâng cấp trung tâm dữ liệu tỉnh | Sở Khoa học và Công nghệ | Sở Tài chính | Thường xuyên |
| II | NÔNG NGHIỆP CÔNG NGHỆ CAO, HỮU CƠ | | | |
| 1 | Xây dựng vùng cam hữu cơ tập trung | Sở Nông nghiệp và Môi trường | UBND các xã | Hằng năm |
| 2 | Truy xuất nguồn gốc bưởi Phúc Trạch | Sở Nông nghiệp và Môi trường | Sở Công Thương | Quý III/2026 |
| 3 | Tập huấn quy trình VietGAP | Hội Nông dân tỉnh | Sở Nông nghiệp và Môi trường | Hằng năm |

PHỤ LỤC 03
LỊCH KIỂM TRA

| STT | Thời gian | Nội dung kiểm tra | Đơn vị chủ trì | Địa bàn |
| --- | --- | --- | --- | --- |
| 1 | Tháng 3/2026 | Kiểm tra vật tư nông nghiệp trong Tháng hành động | Sở Nông nghiệp và Môi trường | Xã Hương Khê |
| 2 | Tháng 5 - 6/2026 | Kiểm tra vùng trồng cam | Sở Nông nghiệp và Môi trường | Xã Vũ Quang |
| 3 | Từ ngày 15/9 đến ngày 15/10/2026 | Kiểm tra cơ sở đóng gói bưởi | Sở Công Thương | Phường Thành Sen |
"""

SOURCE = "ha-tinh-2026-nong-nghiep-kinh-te-so.txt"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {SOURCE: PLAN})


def ask(app, question: str, history: tuple[str, ...] = ()):
    return app.assistant.ask(question, history=history, mode="extractive")


@pytest.mark.parametrize(("cell", "months"), [
    ("Tháng 8/2026", {8}),
    ("Tháng 01 - 02/2026", {1, 2}),
    ("Từ ngày 15/4 đến ngày 15/6/2026", {4, 5, 6}),
    ("Quý III/2026", set()),
    ("Hằng năm", set()),
])
def test_months_a_time_cell_covers(cell, months):
    assert months_covered(fold(cell)) == months


@pytest.mark.parametrize(("question", "months"), [
    ("tháng 8 kiểm tra gì?", {8}),
    ("vào tháng 10 năm 2026 làm gì", {10}),
    ("6 tháng đầu năm báo cáo gì", set()),  # a duration, no month
])
def test_months_a_question_names(question, months):
    assert months_asked(fold(question)) == months


@pytest.mark.parametrize(("question", "sections", "present", "absent"), [
    # the group named by its title's words ("thuộc nhóm"), every row under it
    ("Phụ lục 02 kế hoạch Hà Tĩnh có những nhiệm vụ nào thuộc nhóm nông nghiệp công nghệ cao, hữu cơ?",
     ["PL2.II", "PL2.II.1", "PL2.II.2", "PL2.II.3"], ["vùng cam hữu cơ", "VietGAP"], ["Phủ sóng"]),
    # the group named by its title's opening words only
    ("Theo phụ lục kế hoạch Hà Tĩnh, nhóm phát triển hạ tầng có những nhiệm vụ nào?",
     ["PL2.I", "PL2.I.1", "PL2.I.2"], ["Phủ sóng", "trung tâm dữ liệu"], ["VietGAP"]),
    # rows by a value of their time cell, across groups
    ("Những nhiệm vụ nào trong phụ lục kế hoạch Hà Tĩnh thực hiện hằng năm?",
     ["PL2.II.1", "PL2.II.3"], ["vùng cam hữu cơ", "VietGAP"], ["Truy xuất", "Phủ sóng"]),
    # a group and a value together
    ("phụ lục kế hoạch Hà Tĩnh: nhóm nông nghiệp công nghệ cao có nhiệm vụ nào hoàn thành trong Quý III/2026?",
     ["PL2.II", "PL2.II.2"], ["Truy xuất"], ["Phủ sóng", "VietGAP"]),
])
def test_rows_selected_together(app, question, sections, present, absent):
    answer = ask(app, question)
    assert not answer.abstained, answer.answer
    assert [c.section for c in answer.citations] == sections
    for text in present:
        assert text in answer.answer
    for text in absent:
        assert text not in answer.answer


def test_a_body_asked_of_the_table_is_still_its_lead_cells(app):
    answer = ask(app, "Phụ lục 02 kế hoạch Hà Tĩnh: Sở Nông nghiệp và Môi trường chủ trì những nhiệm vụ nào?")
    assert [c.section for c in answer.citations] == ["PL2.II.1", "PL2.II.2"]


@pytest.mark.parametrize(("question", "section", "present"), [
    # the month, not the task's own word "Tháng hành động"
    ("Theo phụ lục lịch kiểm tra của Hà Tĩnh, tháng 6 kiểm tra nội dung gì, ở đâu?", "PL3.2", "Vũ Quang"),
    ("Phụ lục 03 kế hoạch Hà Tĩnh: tháng 10 đoàn nào kiểm tra?", "PL3.3", "Sở Công Thương"),
    ("Phụ lục 03 kế hoạch Hà Tĩnh: tháng 3 kiểm tra gì?", "PL3.1", "vật tư"),
])
def test_a_schedule_row_by_the_month_asked(app, question, section, present):
    answer = ask(app, question)
    assert not answer.abstained, answer.answer
    assert [c.section for c in answer.citations] == [section]
    assert present in answer.answer


@pytest.mark.parametrize(("question", "history", "sections", "present", "absent"), [
    # both measures of the indicator named: both sub-rows, the year asked
    ("Phụ lục 01 kế hoạch Hà Tĩnh: diện tích cam năm 2028 bao nhiêu ha, sản lượng cam quả bao nhiêu tấn?", (),
     ["PL1.I.1.1", "PL1.I.1.2"], ["4.500", "58.000"], ["4.300", "55.000"]),
    # one measure named, of another indicator, in a follow-up
    ("còn bưởi Phúc Trạch năm 2028 thì diện tích bao nhiêu?",
     ("Phụ lục 01 kế hoạch Hà Tĩnh: diện tích cam năm 2028 bao nhiêu ha, sản lượng cam quả bao nhiêu tấn?",),
     ["PL1.I.2.1"], ["2.500"], ["26.000", "4.500"]),
])
def test_an_indicators_sub_rows_by_the_measures_named(app, question, history, sections, present, absent):
    answer = ask(app, question, history)
    assert not answer.abstained, answer.answer
    assert [c.section for c in answer.citations] == sections
    for text in present:
        assert text in answer.answer
    for text in absent:
        assert text not in answer.answer


def test_the_next_row_after_the_previous_answers(app):
    first = "Phụ lục 02 kế hoạch Hà Tĩnh: nhiệm vụ xây dựng vùng cam hữu cơ tập trung ai chủ trì, khi nào?"
    assert [c.section for c in ask(app, first).citations] == ["PL2.II.1"]
    answer = ask(app, "còn dòng tiếp theo thì hạn khi nào?", (first,))
    assert [c.section for c in answer.citations] == ["PL2.II.2"]
    assert "Quý III/2026" in answer.answer


@pytest.mark.parametrize(("question", "period"), [
    # the plan itself runs: its period
    ("Theo kế hoạch của phường Tân Phong, kế hoạch thực hiện trong thời gian nào?", True),
    ("Kế hoạch phát triển nông nghiệp Hà Tĩnh thực hiện trong thời gian nào?", True),
    # an item of the plan is the subject of the time asked: its own row or field
    ("Theo kế hoạch của phường Tân Phong, nội dung ra quân dọn vệ sinh thực hiện trong thời gian nào?", False),
    ("Kế hoạch Hà Tĩnh: nhiệm vụ truy xuất nguồn gốc bưởi triển khai đến khi nào?", False),
])
def test_an_items_time_is_not_the_plans_period(question, period):
    assert ("period" in analyze(question).document) is period


def test_an_items_time_asked_is_its_rows(app):
    answer = ask(app, "Theo kế hoạch Hà Tĩnh, nhiệm vụ truy xuất nguồn gốc bưởi Phúc Trạch thực hiện trong thời gian nào?")
    assert [c.section for c in answer.citations] == ["PL2.II.2"]
    assert "Quý III/2026" in answer.answer


def test_the_time_field_answers_a_follow_up(app):
    first = "Ai chủ trì thanh tra chuyên ngành về giống cây trồng theo kế hoạch Hà Tĩnh?"
    answer = ask(app, "đơn vị đó thanh tra mấy đợt, vào tháng nào?", (first,))
    assert not answer.abstained, answer.answer
    assert "03 đợt" in answer.answer and "tháng 11/2026" in answer.answer
    assert [c.section for c in answer.citations] == ["II.2"]
