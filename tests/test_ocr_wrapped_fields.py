"""Fields and table rows a printed page wrapped, as OCR gives them back: a labelled field goes on
over the next line, a bordered header and its rows are put back whole even when the time column
comes before the agencies. Synthetic texts written for these tests (unaccented, as English-model
OCR prints Vietnamese), not taken from any plan."""

from __future__ import annotations

import pytest

from index.obligations.deadlines import _deadlines_in
from index.obligations.sections import _field_lines
from index.structure import parse_plan
from index.tables import row_fields, rows_with_headers

FIELD_CASES = [
    # wrapped inside a partner's name, the rest in lower case
    ("- Don vi phoi hop: Benh vien Da khoa tinh; Trung tam Kiem soat\nbenh tat tinh;\n- Thoi gian: thang 5/2025.",
     ["- Don vi phoi hop: Benh vien Da khoa tinh; Trung tam Kiem soat benh tat tinh;", "- Thoi gian: thang 5/2025."]),
    # wrapped between two words of a name that go on in capitals, after a line that ran to the edge
    ("- Co quan chu tri: So Y te; Trung tam Kiem soat benh tat tinh; Benh vien\nDa khoa tinh\n+ Noi dung: tap huan.",
     ["- Co quan chu tri: So Y te; Trung tam Kiem soat benh tat tinh; Benh vien Da khoa tinh", "+ Noi dung: tap huan."]),
    # a closed field takes no more lines; a short open field does not swallow a capitalised sentence
    ("- Don vi phoi hop: So Tai chinh.\nbao cao ket qua.", ["- Don vi phoi hop: So Tai chinh.", "bao cao ket qua."]),
    ("- Phoi hop: So Tu phap\nSo Noi vu huong dan.", ["- Phoi hop: So Tu phap", "So Noi vu huong dan."]),
    # a dash or a numbered item below opens its own line
    ("- Don vi phoi hop: Cong an tinh, So Cong Thuong, So Nong nghiep va Moi truong\n2. Kiem tra",
     ["- Don vi phoi hop: Cong an tinh, So Cong Thuong, So Nong nghiep va Moi truong", "2. Kiem tra"]),
]


@pytest.mark.parametrize(("text", "lines"), FIELD_CASES)
def test_wrapped_field_is_one_line(text: str, lines: list[str]) -> None:
    assert [line for line, _ in _field_lines(text)] == lines


SCHEDULE = """| STT | Thoi gian | Noi dung kiem tra | Don vi chu tri | Don vi

phoi hop | Dia ban |

|| =f [ll]

| 1 | Thang 01 - 02/2026 | Kiem tra phuc vu Tet Nguyen dan Binh
Ngo | So Y te (Doan so 1) | Cong an

tinh, So Cong Thuong | Phuong Vinh Phu |

| 2 | Thang 6 - 7/2026 | Kiem tra dich vu an uong tai khu du

lich bien | So Y te (Doan so 1) | So
Van hoa, The thao va Du lich | Phuong Cua Lo |

| 3 | Thang 8/2026 | Kiem tra cho dau moi | So Cong Thuong | So Nong nghiep va Moi truong | Toan tinh |
"""

ROWS = [("So Y te (Doan so 1)", "Cong an tinh, So Cong Thuong"),
        ("So Y te (Doan so 1)", "So Van hoa, The thao va Du lich"),
        ("So Cong Thuong", "So Nong nghiep va Moi truong")]


def test_ocr_schedule_rows_read_by_their_wrapped_header() -> None:
    read = [row_fields(header, row) for header, row in rows_with_headers(SCHEDULE)]
    assert [(f.lead, f.cooperating) for f in read if f and f.number] == ROWS


def test_ocr_schedule_rows_are_the_appendix_rows() -> None:
    plan = parse_plan("KE HOACH\nKiem tra an toan thuc pham nam 2026\nI. MUC DICH\n1. Bao dam an toan.\n"
                      "PHU LUC: LICH KIEM TRA\n" + SCHEDULE, "x.txt")
    rows = plan.appendices[0].children
    assert [r.path for r in rows] == ["PL1.1", "PL1.2", "PL1.3"]


DATE_LISTS = [
    ("báo cáo định kỳ 6 tháng, hằng năm trước ngày 15/6/2025 và 15/12/2025.", ["2025-06-15", "2025-12-15"]),
    ("Báo cáo gửi chậm nhất ngày 20/6/2026, ngày 20/12/2026.", ["2026-06-20", "2026-12-20"]),
    ("trudc ngay 15/6/2025 va 15/12/2025", ["2025-06-15", "2025-12-15"]),
    # a date after other words is an event, not the list's next deadline
    ("Hoàn thành trước ngày 15/6/2025; tổ chức hội nghị ngày 20/7/2025.", ["2025-06-15"]),
]


@pytest.mark.parametrize(("sentence", "dates"), DATE_LISTS)
def test_listed_dates_share_their_cue(sentence: str, dates: list[str]) -> None:
    assert [d for d, _, _ in _deadlines_in(sentence, lists=True)] == dates
