"""The pieces of a Vietnamese date, written once; each module composes the date it means from them.

Plans write dates as "15/6/2026" (also "15.6.2026", "15-6-2026"), as "ngày 15 tháng 6 năm 2026"
(matched on folded text: "ngay 15 thang 6 nam 2026"), and periods as "tháng 6/2026", "quý II/2026",
"năm 2026". What differs between modules is the meaning (a due date, a date to check in an answer,
a deadline cue), not the pieces: so the pieces live here as pattern text and the modules keep
their own composition (their anchors, their groups, their OCR tolerance).
"""

from __future__ import annotations

import re

DAY = r"\d{1,2}"
MONTH = r"\d{1,2}"
YEAR = r"\d{4}"
# A year of the plans' era, when a bare number must not be read as one ("năm 2025", "quý II/2026").
PLAN_YEAR = r"20\d{2}"
# Quarters as plans write them: Roman or Arabic ("quý II", "quý 2"), on folded text. OCR reads a
# Roman I as "1", "l" or "T" ("Quý 11/2026", "Quý ITI/2026"); a quarter is 1-4, so "11" is II.
QUARTER = r"[i1lt]v|[i1l][i1lt]{0,2}|[2-4]"


def quarter_end_month(printed: str) -> int:
    """The last month of a quarter matched by QUARTER ("iii" → 9, "11" → 6, "4" → 12)."""
    if printed in ("2", "3", "4"):
        return int(printed) * 3
    return 12 if printed.endswith("v") else 3 * len(printed)
# OCR splits digit pairs with a space ("1 5/0 6/20 25" for 15/06/2025).
OCR_DAY = r"\d ?\d|\d"
OCR_MONTH = OCR_DAY
OCR_YEAR = r"\d{4}|\d{2} \d{2}"

# Between day, month and year: "/" is what plans write; ".", "-" also occur in answers.
SLASH = r"\s*/\s*"
SEPARATOR = r"\s*[/.-]\s*"


def _group(piece: str, capture: bool) -> str:
    return f"({piece})" if capture else piece


def numeric_date(*, day: str = DAY, month: str = MONTH, year: str = YEAR, sep: str = SEPARATOR,
                 capture: bool = True) -> str:
    """A dd/mm/yyyy date (no anchors: the caller says what may stand around it). With `capture`,
    groups 1-3 are day, month, year."""
    return f"{_group(day, capture)}{sep}{_group(month, capture)}{sep}{_group(year, capture)}"


def day_month(*, day: str = DAY, month: str = MONTH, sep: str = SLASH, capture: bool = True) -> str:
    """A dd/mm date without its year ("trước 15/6")."""
    return f"{_group(day, capture)}{sep}{_group(month, capture)}"


def worded_date(*, day: str = DAY, month: str = MONTH, year: str | None = YEAR, year_optional: bool = False,
                capture: bool = True) -> str:
    """'ngày D tháng M năm Y' on folded text; `year=None` stops after the month, `year_optional`
    lets the year be absent. With `capture`, groups 1-3 are day, month, year."""
    text = rf"ngay\s+{_group(day, capture)}\s+thang\s+{_group(month, capture)}"
    if year is None:
        return text
    tail = rf"\s+nam\s+{_group(year, capture)}"
    return text + (f"(?:{tail})?" if year_optional else tail)


# Periods that fall due at their end (folded text): "quý II/2026", "tháng 6/2026" (also "tháng 5-6
# năm 2026"), "năm 2026". Named groups: q/qy, m/my, y.
QUARTER_OF_YEAR = rf"quy\s+(?P<q>{QUARTER})\s*(?:/|-|\s+nam\s+|\s+)\s*(?P<qy>{PLAN_YEAR})"
MONTH_OF_YEAR = rf"thang\s+(?:{MONTH}\s*[-–,]\s*)?(?P<m>{MONTH})\s*(?:/|-|\s+nam\s+)\s*(?P<my>{PLAN_YEAR})"
YEAR_NAMED = rf"nam\s+(?P<y>{PLAN_YEAR})"


# The months a schedule's time cell covers (folded text): "tháng 8/2026", "tháng 6 - 7/2026"
# (a span), "từ ngày 15/4 đến ngày 15/5/2026" (the months of its dates, and those between).
_MONTH_SPAN = re.compile(rf"\bthang\s+({MONTH})(?:\s*[-–]\s*({MONTH}))?(?!\d)")
_DATE_MONTH = re.compile(rf"(?<![\d/]){DAY}/({MONTH})(?![\d])")
# A month a question names: "tháng 8", "vào tháng 10" (not "6 tháng đầu năm", a duration).
_MONTH_ASKED = re.compile(rf"(?<!\d\s)\bthang\s+({MONTH})(?!\d)")


def months_covered(folded: str) -> set[int]:
    """The months 1-12 a period printed in a table cell covers; empty when it names none."""
    months: list[int] = []
    for match in _MONTH_SPAN.finditer(folded):
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        months += range(first, last + 1) if first <= last else [first, last]
    dated = [int(m.group(1)) for m in _DATE_MONTH.finditer(folded)]
    if len(dated) >= 2 and dated[0] <= dated[-1]:
        dated = list(range(dated[0], dated[-1] + 1))
    return {m for m in months + dated if 1 <= m <= 12}


def months_asked(folded: str) -> set[int]:
    """The months a question names by "tháng N"."""
    return {int(m.group(1)) for m in _MONTH_ASKED.finditer(folded) if 1 <= int(m.group(1)) <= 12}
