"""Targets tables in answers (issue 21): a table with a column a year names its rows in its first
column that is no year and no unit, whatever its header says ("Sản phẩm"); a row's cells are the
ones asked (the year's, of the measure named; the period's total; the money column); a period
named ("giai đoạn 2026 - 2028") is no year column; a follow-up asks of the table and the year the
turn before named; a task table's row is found by its task's opening words. One small plan written
here in the Decree 30/2020 layout, issued through a Quyết định; expected answers worked out by hand."""

from __future__ import annotations

import pytest

from rag.query import analyze
from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH YÊN BÁI                         Độc lập - Tự do - Hạnh phúc
Số: 77/KH-UBND                       Yên Bái, ngày 05 tháng 3 năm 2026

KẾ HOẠCH
Phát triển sản phẩm nông nghiệp chủ lực tỉnh Yên Bái giai đoạn 2026 - 2028

I. MỤC TIÊU
1. Các chỉ tiêu tại Phụ lục 01 và Phụ lục 02 kèm theo Kế hoạch này.
II. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
Chủ trì theo dõi, đôn đốc thực hiện Kế hoạch; hoạt động tại Phụ lục 03.

Nơi nhận:                                              TM. ỦY BAN NHÂN DÂN
- Như trên;                                            KT. CHỦ TỊCH
- Lưu: VT.                                             PHÓ CHỦ TỊCH
                                                       Đỗ Văn Hùng

PHỤ LỤC 01
SẢN PHẨM XUẤT KHẨU GIAI ĐOẠN 2026 - 2028
TT | Sản phẩm | Kế hoạch 2026 | Kế hoạch 2027 | Kế hoạch 2028
Lượng (Tấn) | Giá trị (Nghìn USD) | Lượng (Tấn) | Giá trị (Nghìn USD) | Lượng (Tấn) | Giá trị (Nghìn USD) |
1 | Quế | 3.100 | 4.200 | 3.300 | 4.500 | 3.600 | 4.900
2 | Sản phẩm chè | 1.700 | 2.600 | 1.800 | 2.750 | 1.950 | 2.930
3 | Sản phẩm măng tre | 820 | 610 | 870 | 650 | 930 | 700

PHỤ LỤC 02
CHỈ TIÊU VÀ KINH PHÍ HỖ TRỢ GIAI ĐOẠN 2026 - 2028

| STT | Nội dung hỗ trợ | Đơn vị tính | Năm 2026 | Năm 2027 | Năm 2028 | Tổng chỉ tiêu | Kinh phí (triệu đồng) |
| --- | --- | --- | --- | --- | --- | --- | --- |
| 1 | Hỗ trợ giống quế (5 triệu đồng/hộ) | Hộ | 300 | 350 | 400 | 1.050 | 5.250 |
| 2 | Xây dựng nhà sơ chế chè | Công trình | 4 | 5 | 6 | 15 | 31.000 |
| | Tổng cộng | | | | | | 36.250 |

PHỤ LỤC 03
LỊCH HOẠT ĐỘNG

| STT | Hoạt động | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian |
| --- | --- | --- | --- | --- |
| 1 | Tập huấn kỹ thuật trồng quế hữu cơ cho hợp tác xã | Sở Nông nghiệp và Môi trường | Hội Nông dân tỉnh | Tháng 4/2026 |
| 2 | Hội thi sản phẩm chè ngon cấp tỉnh | Sở Công Thương | Hiệp hội Chè tỉnh; Hội Liên hiệp Phụ nữ tỉnh | Tháng 9/2026 |
| 3 | Xúc tiến thương mại măng tre tại hội chợ quốc tế năm 2026 | Sở Công Thương | Các hợp tác xã | Tháng 11/2026 |
"""

SOURCE = "yen-bai-2026-san-pham-chu-luc.txt"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {SOURCE: PLAN})


def ask(app, question: str, history: tuple[str, ...] = ()):
    return app.assistant.ask(question, history=history, mode="extractive")


@pytest.mark.parametrize(("question", "section", "cells", "not_cells"), [
    # a "Sản phẩm" column names the rows of a targets table; both measures of the year asked
    ("Theo phụ lục 01 kế hoạch Yên Bái, sản phẩm măng tre năm 2028 xuất khẩu bao nhiêu tấn, giá trị bao nhiêu "
     "nghìn USD?", "PL1.3", ["930", "700"], ["870", "820"]),
    # only the measure named after "bao nhiêu"
    ("Phụ lục 01 kế hoạch Yên Bái: năm 2027 quế xuất khẩu bao nhiêu tấn?", "PL1.1", ["3.300"], ["4.500", "3.100"]),
    # the year's cell and the period's total
    ("Theo phụ lục 02 kế hoạch Yên Bái, hỗ trợ giống quế năm 2026 bao nhiêu hộ, cả giai đoạn bao nhiêu hộ?",
     "PL2.1", ["300", "1.050"], ["5.250", "350"]),
    # money asked of the period: the money column, its own unit kept (no "Công trình" after it)
    ("Theo phụ lục 02, kinh phí xây dựng nhà sơ chế chè cả giai đoạn 2026 - 2028 ở Yên Bái là bao nhiêu?",
     "PL2.2", ["31.000"], ["31.000 Công trình", "Năm 2026"]),
    # a task named by its opening words, however long it goes on
    ("phụ lục 03 kế hoạch Yên Bái: hội thi chè ngon thì đơn vị phối hợp gồm những ai", "PL3.2",
     ["Hiệp hội Chè tỉnh", "Hội Liên hiệp Phụ nữ tỉnh"], ["Hội Nông dân tỉnh"]),
])
def test_a_targets_row_gives_the_cells_asked(app, question, section, cells, not_cells):
    answer = ask(app, question)
    assert not answer.abstained, answer.answer
    assert [c.section for c in answer.citations] == [section]
    for cell in cells:
        assert cell in answer.answer
    for cell in not_cells:
        assert cell not in answer.answer


def test_a_year_asked_of_a_targets_row_needs_no_table_named(app):
    answer = ask(app, "hỗ trợ giống quế ở yên bái năm 2027 bao nhiêu hộ?")
    assert not answer.abstained, answer.answer
    assert [c.section for c in answer.citations] == ["PL2.1"]
    assert "350" in answer.answer and "1.050" not in answer.answer


def test_a_follow_up_asks_of_the_table_and_year_named_before(app):
    first = "Phụ lục 01 kế hoạch Yên Bái: năm 2027 quế xuất khẩu bao nhiêu tấn?"
    answer = ask(app, "còn sản phẩm chè năm đó thì sao, lượng và giá trị bao nhiêu?", (first,))
    assert not answer.abstained, answer.answer
    assert [c.section for c in answer.citations] == ["PL1.2"]
    assert "1.800" in answer.answer and "2.750" in answer.answer
    assert "1.700" not in answer.answer and "3.300" not in answer.answer


@pytest.mark.parametrize(("question", "document"), [
    # the decision issuing the plan: its number asked where a clause ends, its date beside it
    ("Quyết định ban hành kế hoạch phát triển sản phẩm chủ lực Yên Bái số bao nhiêu, ngày nào, ai ký?",
     {"number", "signed", "signer"}),
    # the signer named and checked
    ("kế hoạch sản phẩm chủ lực yên bái có phải chủ tịch ubnd tỉnh ký không?", {"signer"}),
    # "số bao nhiêu" counting a noun asks no document number
    ("Kế hoạch sản phẩm chủ lực Yên Bái hỗ trợ số bao nhiêu hộ trồng quế?", set()),
])
def test_the_document_asked(question, document):
    assert set(analyze(question).document) == document


def test_the_issuing_decision_number_and_signer_are_answered(app):
    answer = ask(app, "Quyết định ban hành kế hoạch phát triển sản phẩm chủ lực Yên Bái số bao nhiêu, ngày nào, ai ký?")
    assert not answer.abstained, answer.answer
    assert "77/KH-UBND" in answer.answer and "05/03/2026" in answer.answer and "Đỗ Văn Hùng" in answer.answer
