"""Reporting lines of the register read by genre rules (issue 23): a bare "gửi Sở X" the plan times
or ends on, a report being written ("xây dựng báo cáo … của Ban Chỉ đạo") that goes nowhere, a
report whose owner follows "của", each clause of a sentence timed by its own words, and the body a
Sở advises as the channel of its report. The plan is invented (another province, another topic);
the expected rows are worked out by hand."""

from __future__ import annotations

import pytest

from index.chunking import chunk_plan
from index.obligations import Obligation, extract_plan
from index.structure import parse_plan

PLAN = """ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG BẮC
Số: 41/KH-UBND
KẾ HOẠCH
Phát triển lâm nghiệp bền vững tỉnh Hà Giang Bắc năm 2027
I. MỤC TIÊU
1. Nâng tỷ lệ che phủ rừng.
II. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
a) Tổng hợp kết quả thực hiện, tham mưu Ủy ban nhân dân tỉnh báo cáo Thủ tướng Chính phủ trước ngày 10/12/2027.
b) Tổng hợp, báo cáo Ủy ban nhân dân tỉnh hằng quý, trước ngày 20 của tháng cuối quý; báo cáo năm gửi Tỉnh ủy và Bộ Nông nghiệp và Môi trường trước ngày 15/12/2027.
2. Sở Tài chính
a) Lập dự toán kinh phí, gửi Sở Kế hoạch và Đầu tư trước ngày 15/7/2027.
b) Hướng dẫn các đơn vị lập hồ sơ quyết toán, gửi Sở Tư pháp thẩm định.
3. Ủy ban nhân dân các xã, phường
a) Đề xuất danh mục diện tích trồng rừng thay thế trên địa bàn, gửi Sở Nông nghiệp và Môi trường.
b) Hoàn thành, báo cáo kết quả Ủy ban nhân dân tỉnh (qua Sở Nông nghiệp và Môi trường) trong tháng 11/2027.
c) Báo cáo đột xuất theo yêu cầu của Sở Nông nghiệp và Môi trường.
4. Tổ giúp việc Ban Chỉ đạo
a) Xây dựng báo cáo định kỳ của Ban Chỉ đạo; dự thảo các báo cáo, văn bản chỉ đạo của Ban Chỉ đạo.
b) Báo cáo kết quả hoạt động năm của Ban Chỉ đạo, trình Hội nghị tổng kết.
"""


@pytest.fixture(scope="module")
def rows() -> list[Obligation]:
    plan = parse_plan(PLAN, "ha-giang-bac-2027.txt")
    return [r for r in extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year) if r.kind == "reporting"]


def _lines(rows: list[Obligation], section: str) -> set[tuple]:
    return {(r.agency, r.recipient, r.via, r.due_date, r.recurrence) for r in rows if r.section == section}


@pytest.mark.parametrize(("section", "expected"), [
    # the Sở drafts it, UBND tỉnh signs it: the Sở's line to the Prime Minister through UBND tỉnh
    ("II.1.a", {("Sở Nông nghiệp và Môi trường", "Thủ tướng Chính phủ", "Ủy ban nhân dân tỉnh", "2027-12-10", ())}),
    # each clause's report by its own time; the second one's recipients are not the first's onward
    ("II.1.b", {("Sở Nông nghiệp và Môi trường", "Ủy ban nhân dân tỉnh", None, None, ("quarterly",)),
                ("Sở Nông nghiệp và Môi trường", "Tỉnh ủy", None, "2027-12-15", ()),
                ("Sở Nông nghiệp và Môi trường", "Bộ Nông nghiệp và Môi trường", None, "2027-12-15", ())}),
    # a bare "gửi Sở X" with its time is a submission, one with a purpose of Sở X's own is not
    ("II.2.a", {("Sở Tài chính", "Sở Kế hoạch và Đầu tư", None, "2027-07-15", ())}),
    ("II.2.b", set()),
    # "…, gửi Sở X." ending the sentence
    ("II.3.a", {("Ủy ban nhân dân các xã, phường", "Sở Nông nghiệp và Môi trường", None, None, ())}),
    # "theo yêu cầu của X": X asks for the report and receives it
    ("II.3.c", {("Ủy ban nhân dân các xã, phường", "Sở Nông nghiệp và Môi trường", None, None, ("on_request",))}),
    # a month the report is due in: by its last day
    ("II.3.b", {("Ủy ban nhân dân các xã, phường", "Ủy ban nhân dân tỉnh", "Sở Nông nghiệp và Môi trường", "2027-11-30", ())}),
    # a report being written, or whose owner follows "của", goes to no one
    ("II.4.a", set()),
])
def test_reporting_lines_by_genre_rules(rows, section, expected):
    found = _lines(rows, section)
    assert {(a, r, v, d, t) for a, r, v, d, t in found} == expected


def test_a_report_of_the_committee_is_not_a_line_to_it(rows):
    assert all(r.recipient != "Ban Chỉ đạo" for r in rows if r.section == "II.4.b")


@pytest.mark.parametrize(("quote", "text", "expected_tail"), [
    # stops at the line's end without its full stop, runs on into a dash line: that line is quoted too
    ("tham mưu UBND tỉnh báo cáo kết quả về Cục Kiểm lâm",
     "1. Sở X theo dõi; tham mưu UBND tỉnh báo cáo kết quả về Cục Kiểm lâm\n- Văn phòng Cục trước ngày 25 hằng tháng.\n2. Khác.",
     "- Văn phòng Cục trước ngày 25 hằng tháng."),
    # a sentence with its full stop, or no dash line after it, is quoted alone
    ("báo cáo UBND tỉnh trước ngày 10/12.", "a) báo cáo UBND tỉnh trước ngày 10/12.\n- Khác.", "trước ngày 10/12."),
    ("báo cáo UBND tỉnh kết quả", "a) báo cáo UBND tỉnh kết quả\nb) Khác.", "kết quả"),
])
def test_a_report_sentence_running_on_into_a_dash_line_is_quoted_with_it(quote, text, expected_tail):
    from rag.answers.reporting import _with_run_on
    assert _with_run_on(quote, text).endswith(expected_tail)
