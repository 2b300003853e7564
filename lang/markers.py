"""Markers written once: the answer's citation marker `[n]` and the numbering that opens a list
item or heading."""

from __future__ import annotations

import re

# A citation marker: "[1]" … "[999]" (an answer cites at most a few dozen passages; three digits
# leave room and never swallow a year such as "[2025]").
CITATION_TEXT = r"\[\d{1,3}\]"
# The same with the number as group 1.
CITATION_NUMBER_TEXT = r"\[(\d{1,3})\]"
MARKER = re.compile(CITATION_NUMBER_TEXT)

# The genre's numbering at the start of a line (Decree 30/2020 layout): "-", "•", "1.", "1.2.",
# "(3)", "a)", "đ.", "II." — what is stripped to read a heading's or an item's words.
LIST_MARKER = re.compile(r"^\s*(?:[-–+•*]|\(?[0-9]{1,2}(?:\.[0-9]{1,2})*[.)]|\(?[a-zđ][.)]|[IVXLC]{1,5}\.)\s*")
# Any short token closed by "." or ")" at the start of a sentence, OCR-damaged numbering included
# ("¢)", "1l."): looser than LIST_MARKER, for asking whether the rest of a sentence holds a digit.
LOOSE_LIST_MARKER = re.compile(r"^\W*[\w¢]{1,4}\s*[.)]\s*")
