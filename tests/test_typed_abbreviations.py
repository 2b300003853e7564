"""An abbreviation a question types that the plans spell out ("vay ngân hàng CSXH", the plan:
"Ngân hàng Chính sách xã hội") is matched by its initials in the sentence or in its headings."""

from __future__ import annotations

import pytest

from lang.normalize import match_tokens, search_terms
from rag.answers.reader import _spelled_in_pairs


def _terms(text: str) -> set[str]:
    return set(search_terms(match_tokens(text)))


@pytest.mark.parametrize(("acronym", "heading", "spelled"), [
    ("csxh", "5. Ngân hàng Chính sách xã hội chi nhánh tỉnh", True),
    ("dtnt", "1. Sở Nông nghiệp và Phát triển nông thôn", True),  # "PTNT" as matching reads it
    ("ptnt", "1. Sở Nông nghiệp và Phát triển nông thôn", True),
    ("csxh", "5. Ngân hàng Nhà nước chi nhánh tỉnh", False),
    ("csxh", "chính sách, hỗ trợ xã hội", False),  # the initials are there, not as one run
])
def test_an_abbreviation_is_read_in_a_heading_by_its_initials(acronym: str, heading: str, spelled: bool) -> None:
    assert _spelled_in_pairs(acronym, _terms(heading)) is spelled
