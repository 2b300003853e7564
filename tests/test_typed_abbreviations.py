"""An abbreviation a question types that the plans spell out ("vay ngân hàng CSXH", the plan:
"Ngân hàng Chính sách xã hội") is matched by its initials in the sentence or in its headings."""

from __future__ import annotations

import pytest

from lang.normalize import match_tokens, search_terms
from rag.answers.initials import _spelled_in_pairs, initials_share


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


@pytest.mark.parametrize(("acronym", "share"), [
    ("csxh", 1.0),  # "Ngân hàng Chính sách xã hội" spells it
    ("aff", 0.0),  # no Vietnamese syllable starts with f: a foreign abbreviation no plan spells out
])
def test_only_vietnamese_initials_are_matched(acronym: str, share: float) -> None:
    words = match_tokens("vay vốn Ngân hàng Chính sách xã hội, Ann Fan Fun")
    assert initials_share(acronym, words, frozenset()) == share
