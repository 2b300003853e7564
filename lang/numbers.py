"""Document numbers as they are compared: the home of every number key."""

from __future__ import annotations

import re

from lang.normalize import fold

# A plan's number as a question writes it: "112/KH-UBND", "45/KH-SNNMT", "số 87 / KH-UBND"
# "Phần thứ hai", "thứ tư": a part's number written as an ordinal word (folded)
ORDINALS = {"nhat": 1, "mot": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5, "sau": 6, "bay": 7,
            "tam": 8, "chin": 9, "muoi": 10}
PLAN_NUMBER = re.compile(r"(?<![\d/])(\d{1,6})\s*/\s*(KH(?:-[A-Za-zĐđ0-9&]+)+)", re.IGNORECASE)

# Any document's number and symbol: "112/KH-UBND", "2954/QĐ-UBND", "197/2025/QH15", "05/KH-BCĐ";
# its digits are a number, never a year, even when they look like one ("Kế hoạch 2047/KH-UBND")
DOCUMENT_NUMBER = re.compile(r"\b\d{1,5}\s*/\s*(?:\d{4}\s*/\s*)?[A-ZĐ][A-ZĐa-zđ0-9]*(?:-[A-ZĐa-zđ0-9&]+)*")


def document_key(number: str) -> str:
    """Any document number as it is compared: no spaces, folded, upper case ("112/kh-ubnd" =
    "112/KH-UBND", "85/QĐ-UBND" = "85/qd-ubnd"); number_key below reads plan numbers only."""
    return re.sub(r"[^0-9A-Z]", "", fold(number).upper())


def number_key(number: str) -> str:
    """A plan number compared without spaces, case or leading zeros."""
    match = PLAN_NUMBER.search(number)
    return f"{int(match.group(1))}/{match.group(2).upper().replace('Đ', 'D')}" if match else number.upper()
