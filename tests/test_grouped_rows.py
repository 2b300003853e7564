"""Appendix table rows are named by the table's own STT: group rows (Roman, capital letter, a spanning title) as parents, "-" sub-rows under their row, positions only without an STT."""

from __future__ import annotations

import pytest

from index.row_paths import row_keys
from index.structure import parse_plan

_PLAN = """ỦY BAN NHÂN DÂN TỈNH X
KẾ HOẠCH
Triển khai nhiệm vụ năm 2026
I. MỤC ĐÍCH
1. Mục đích
Thực hiện tốt nhiệm vụ.
II. TỔ CHỨC THỰC HIỆN
1. Các sở thực hiện các nhiệm vụ tại Phụ lục kèm theo.
PHỤ LỤC
DANH MỤC NHIỆM VỤ
STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành
{rows}
"""

_RESTARTING = """I | NHÓM NHIỆM VỤ THỂ CHẾ
1 | Rà soát quy định | Sở Tư pháp | Các sở | Quý II/2026
2 | Ban hành quy chế | Sở Nội vụ | Các sở | Quý III/2026
II | NHÓM NHIỆM VỤ HẠ TẦNG
1 | Đầu tư thiết bị | Sở Tài chính | Các sở | Quý IV/2026
Sao lưu dữ liệu | Sở Khoa học và Công nghệ | Sở Tài chính
2 | Vận hành hệ thống | Sở Tài chính | Các sở | Năm 2027"""

_RUNNING_ON = """I | NHÓM NHIỆM VỤ THỂ CHẾ
1 | Rà soát quy định | Sở Tư pháp | Các sở | Quý II/2026
2 | Ban hành quy chế | Sở Nội vụ | Các sở | Quý III/2026
II | NHÓM NHIỆM VỤ HẠ TẦNG
3 | Đầu tư thiết bị | Sở Tài chính | Các sở | Quý IV/2026"""

_PLAIN = """1 | Rà soát quy định | Sở Tư pháp | Các sở | Quý II/2026
2 | Ban hành quy chế | Sở Nội vụ | Các sở | Quý III/2026"""


def _rows(rows: str) -> list[tuple[str, str]]:
    plan = parse_plan(_PLAN.format(rows=rows), "t.txt")
    return [(row.path, row.label) for row in plan.appendices[0].children]


@pytest.mark.parametrize(("rows", "expected"), [
    (_RESTARTING, ["PL1.I", "PL1.I.1", "PL1.I.2", "PL1.II", "PL1.II.1", "PL1.II.1.1", "PL1.II.2"]),
    (_RUNNING_ON, ["PL1.I", "PL1.1", "PL1.2", "PL1.II", "PL1.3"]),
    (_PLAIN, ["PL1.1", "PL1.2"]),  # no group rows: by the STT
])
def test_row_paths_follow_the_tables_numbers(rows, expected):
    assert [path for path, _ in _rows(rows)] == expected


def test_grouped_row_labels_name_group_and_row():
    labels = dict(_rows(_RESTARTING))
    assert labels["PL1.II.2"] == "Phụ lục 1, nhóm II, dòng 2"
    assert labels["PL1.II"] == "Phụ lục 1, nhóm II"
    assert labels["PL1.II.1.1"] == "Phụ lục 1, nhóm II, dòng 1 (tiếp)"


@pytest.mark.parametrize(("rows", "expected"), [
    # a table cut short ("…" then rows of a group not printed): the repeated numbers stay unique
    (["I | A", "1 | a", "2 | b", "II | B", "1 | c", "2 | d", "2 | e"], ["I", "I.1", "I.2", "II", "II.1", "II.2", "II.2.1"]),
    # the row numbering the columns is not a data row
    (["1 | 2 | 3 | 4", "I | A | 5 | 6", "1 | a | 1 | 2", "II | B | 1 | 1", "2 | b | 1 | 1"],
     ["0", "I", "1", "II", "2"]),
    (["1 | a", "2 | b"], ["1", "2"]),  # a plain table: its own STT
    (["Xã A | 5", "Xã B | 6"], None),  # no STT: positions
    (["Tổng | 5", "I | A", "1 | a"], None),  # nothing to number the first row by
])
def test_row_keys(rows, expected):
    keys = row_keys(rows)
    assert (None if keys is None else [key for key, _ in keys]) == expected


def test_a_line_opening_in_lower_case_continues_the_row_above():
    rows = """1 | Thẩm định, bố trí kinh phí thực hiện Kế hoạch | Sở Tài chính | Các sở | Trong 20 ngày kể từ ngày
nhận đủ dự toán | Quyết định giao kinh phí
2 | Sơ kết công tác 6 tháng đầu năm | Sở Nông nghiệp và Môi trường | Các sở | Tháng 7/2026"""
    plan = parse_plan(_PLAN.format(rows=rows), "t.txt")
    assert [row.path for row in plan.appendices[0].children] == ["PL1.1", "PL1.2"]
    assert "nhận đủ dự toán" in plan.appendices[0].children[0].text


# a bordered (Markdown) table, another province and topic: border pipes open and close each line,
# a rule line sits under the header, group rows leave their other cells empty
_BORDERED = """ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ
KẾ HOẠCH
Phát triển du lịch cộng đồng năm 2026
I. MỤC ĐÍCH
1. Mục đích
Phát triển du lịch.
II. TỔ CHỨC THỰC HIỆN
1. Các đơn vị thực hiện nhiệm vụ tại Phụ lục kèm theo.
PHỤ LỤC
DANH MỤC NHIỆM VỤ
| TT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Tiến độ |
| :---: | --- | --- | --- | --- |
| I | HẠ TẦNG DU LỊCH | | | |
| 1 | Cải tạo đường vào bản | Sở Xây dựng | UBND các xã | Quý III/2026 |
| 2 | Xây nhà đón khách | Sở Văn hóa, Thể thao và Du lịch | UBND các xã | Năm 2026 |
| II | QUẢNG BÁ | | | |
| 1 | In ấn tài liệu | Trung tâm Xúc tiến | Các sở | Quý II/2026 |
|   | và bản đồ du lịch | | | |
| 2 | Tổ chức hội chợ | Sở Công Thương | Các sở | Tháng 10/2026 |
"""


def test_bordered_table_groups_its_rows_and_skips_the_rule_line():
    plan = parse_plan(_BORDERED, "qt.txt")
    paths = [row.path for row in plan.appendices[0].children]
    assert paths[:4] == ["PL1.I", "PL1.I.1", "PL1.I.2", "PL1.II"]
    assert "PL1.II.2" in paths and "PL1.1" not in paths


def test_bordered_cells_start_at_the_stt():
    from index.tables import cells, is_delimiter_row
    assert cells("| II | QUẢNG BÁ | | |")[:2] == ["II", "QUẢNG BÁ"]
    assert cells("|   | và bản đồ | | |")[0] == ""
    assert cells("| Sở Nông nghiệp |") == ["", "Sở Nông nghiệp", ""]  # a wrapped cell piece, not a row
    assert is_delimiter_row("| :---: | --- |") and not is_delimiter_row("| 1 | --- |")


@pytest.mark.parametrize(("rows", "expected"), [
    # a group row that carries a figure is still a group; only one group is numbered: nothing says
    # the STT runs on, so its rows are the group's (PL1.I.3)
    (["I | NHÓM CÁC XÃ | 120 |", "1 | Tỷ lệ hồ sơ trực tuyến | 40 | Cách chấm", "2 | Tỷ lệ thanh toán | 30 | Cách chấm",
      "3 | Điểm thưởng | 10 |", "3.1 | Đạt 100% | 5 |", "II | NHÓM ĐƠN VỊ CUNG CẤP | |", " | Căn cứ số hồ sơ | |"],
     ["I", "I.1", "I.2", "I.3", "I.3.1", "II", "II.1"]),
    # "-" sub-rows under their row in a plain table; a skipped number stays the number printed
    (["1 | Bưởi | | |", "- | Diện tích | Ha | 100", "- | Sản lượng | Tấn | 900", "2 | Cam | | |",
      "- | Diện tích | Ha | 50", "5 | Rau | | |"], ["1", "1.1", "1.2", "2", "2.1", "5"]),
    # groups lettered in capitals, numbers restarting
    (["A | KHỐI SỞ, NGÀNH", "1 | Sở Nội vụ", "2 | Sở Tư pháp", "B | KHỐI ĐỊA PHƯƠNG", "1 | UBND xã Tân Lập"],
     ["A", "A.1", "A.2", "B", "B.1"]),
    # a capital title spanning the row (merged cells, no STT) is a group, I, II in reading order
    (["| NHIỆM VỤ THƯỜNG XUYÊN | | |", "1 | Kiểm tra định kỳ | Sở Y tế | Quý I", "2 | Báo cáo | Sở Y tế | Tháng 12",
      "NHIỆM VỤ ĐỘT XUẤT | NHIỆM VỤ ĐỘT XUẤT | NHIỆM VỤ ĐỘT XUẤT", "1 | Xử lý dịch | Sở Y tế | Khi có dịch"],
     ["I", "I.1", "I.2", "II", "II.1"]),
    # the numbering runs on through the groups: the rows are the table's
    (["I | A", "1 | a", "2 | b", "II | B", "3 | c"], ["I", "1", "2", "II", "3"]),
    # lettered rows under a numbered row
    (["1 | Tập huấn", "a | Cấp tỉnh", "b | Cấp xã", "2 | Kiểm tra"], ["1", "1.a", "1.b", "2"]),
    # two tables in one appendix numbered alike: the numbers say nothing sure, positions
    (["1 | a", "2 | b", "1 | c"], None),
    # a wrapped cell in small letters is no title
    (["1 | Tổ chức hội chợ", "| và bản đồ du lịch | |", "2 | In ấn"], ["1", "1.1", "2"]),
])
def test_rows_follow_their_own_stt(rows, expected):
    keys = row_keys(rows)
    assert (None if keys is None else [key for key, _ in keys]) == expected


def test_dash_sub_rows_of_a_plain_appendix_table_sit_under_their_row():
    rows = """1 | Bưởi | Sở Nông nghiệp và Môi trường | UBND các xã | Năm 2027
- | Diện tích trồng mới | Sở Nông nghiệp và Môi trường | UBND các xã | Năm 2027
2 | Cam | Sở Nông nghiệp và Môi trường | UBND các xã | Năm 2028"""
    plan = parse_plan(_PLAN.format(rows=rows), "t.txt")
    assert [row.path for row in plan.appendices[0].children] == ["PL1.1", "PL1.1.1", "PL1.2"]


@pytest.mark.parametrize(("rows", "expected"), [
    ("A | KHỐI SỞ, NGÀNH | | | |\n1 | Rà soát quy định | Sở Nội vụ | Các sở | Quý I/2026\n"
     "B | KHỐI XÃ, PHƯỜNG | | | |\n1 | Kiểm tra hồ sơ | UBND các xã | Các phòng | Quý II/2026",
     ["PL1.A", "PL1.A.1", "PL1.B", "PL1.B.1"]),
    ("| NHIỆM VỤ THƯỜNG XUYÊN | | | | |\n1 | Rà soát quy định | Sở Nội vụ | Các sở | Quý I/2026\n"
     "| NHIỆM VỤ ĐỘT XUẤT | | | | |\n1 | Xử lý sự cố | Sở Y tế | Các sở | Khi phát sinh",
     ["PL1.I", "PL1.I.1", "PL1.II", "PL1.II.1"]),
])
def test_letter_and_title_groups_open_rows_of_their_own(rows, expected):
    """A group row right under the header is a row, not the header's wrapped tail."""
    plan = parse_plan(_PLAN.format(rows=rows), "t.txt")
    assert [row.path for row in plan.appendices[0].children] == expected


def test_a_group_title_wrapped_onto_a_line_of_its_own_stays_with_its_group():
    """OCR and narrow columns wrap a long group title ("III | NHÓM … LAO ĐỘNG NÔNG THÔN," over
    "| DÂN TỘC THIỂU SỐ | | |"): the second line is the rest of the title, not a group of its own,
    and the group's rows keep their numbers."""
    rows = ("I | NHÓM NHIỆM VỤ SẮP XẾP MẠNG LƯỚI | | | |\n1 | Rà soát mạng lưới | Sở Nội vụ | Các sở | Quý I/2026\n"
            "II | NHÓM NHIỆM VỤ ĐÀO TẠO CHO LAO ĐỘNG NÔNG THÔN, | | | |\n| ĐỒNG BÀO DÂN TỘC THIỂU SỐ | | | | |\n"
            "1 | Đào tạo nghề trồng chè | Sở Nông nghiệp và Môi trường | UBND các xã | Năm 2026\n"
            "2 | Đào tạo nghề du lịch | Sở Văn hóa, Thể thao và Du lịch | UBND các xã | Năm 2027")
    plan = parse_plan(_PLAN.format(rows=rows), "t.txt")
    assert [row.path for row in plan.appendices[0].children] == ["PL1.I", "PL1.I.1", "PL1.II", "PL1.II.0",
                                                                 "PL1.II.1", "PL1.II.2"]
