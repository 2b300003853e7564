"""Abbreviations a question types and the plans only spell out ("vay ngân hàng CSXH", "Ngân
hàng Chính sách xã hội"): how much they weigh and where a passage matches them by initials."""

from __future__ import annotations

from index.lexical import LexicalView
from rag.scope import is_acronym, spells_out


def weigh_unwritten_abbreviations(weights: dict[str, float], lexical: LexicalView) -> None:
    """An abbreviation the plans never write ("CSXH", "PTNT") stands for words they do, which
    passages match by their initials (`initials_share`): as rare as the question's words are on
    average, not as the unseen word it looks like (it would outweigh the rest of the question)."""
    spelled = [t for t in weights if is_acronym(t) and not lexical.contains(t) and _vietnamese_initials(t)]
    words = [w for t, w in weights.items() if "_" not in t and t not in spelled]
    for term in spelled:
        weights[term] = min(weights[term], sum(words) / len(words)) if words else weights[term]


def _vietnamese_initials(acronym: str) -> bool:
    """Could the abbreviation be the initials of Vietnamese words? No Vietnamese syllable starts
    with f, j, w or z, so "AFF" or "WTO" abbreviate foreign words no plan spells out: they stay as
    rare as unseen, the evidence that a question is about something else."""
    return not set(acronym) & set("fjwz")


def initials_share(acronym: str, words: list[str], heading_terms: set[str] | frozenset[str]) -> float:
    """How much an abbreviation the question types and the plans only spell out ("vay ngân hàng
    CSXH", "Ngân hàng Chính sách xã hội") counts for a sentence: whole where the sentence's
    initials spell it, as a heading word where its headings' do ("Sở NN và PTNT" asked, a point
    under "1. Sở Nông nghiệp và Phát triển nông thôn"). One the plans write is matched where written."""
    if len(acronym) < 3 or not _vietnamese_initials(acronym):
        return 0.0
    if spells_out(acronym, words):
        return 1.0
    return 0.6 if _spelled_in_pairs(acronym, heading_terms) else 0.0


def _spelled_in_pairs(acronym: str, terms: set[str] | frozenset[str]) -> bool:
    """Do the word pairs of a heading's terms ("phat_trien", "trien_nong", "nong_thon") chain into
    a run whose initials are the abbreviation (read as `spells_out` reads a sentence)?"""
    pairs = [tuple(t.split("_")) for t in terms if t.count("_") == 1 and not t.startswith("~")]
    for letters in {acronym, "p" + acronym[1:] if acronym[0] == "d" else acronym}:
        ends = {b for a, b in pairs if a[:1] == letters[0] and b[:1] == letters[1]}
        for letter in letters[2:]:
            ends = {b for a, b in pairs if a in ends and b[:1] == letter}
        if ends:
            return True
    return False
