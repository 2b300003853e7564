"""Whether any indexed plan speaks of a question's subject at all (the off-topic gate of
rag/answer.py). It reads phrases: the pairs of adjacent content words of the question, each
either written somewhere in the plans or not. The words that ask ("mấy", "nào", "bao nhiêu") and
the word they ask about ("tháng mấy", "đơn vị nào") are the question's, never its subject."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from lang.agencies import find_agencies
from lang.normalize import ABBREVIATIONS, STOPWORDS, SYNONYMS, match_tokens
from rag.cues import group

UNSEEN_PHRASE_PAIRS = 4

_PHRASE_BREAK = re.compile(r"[;:,()?!]")
_ABBREVIATED = re.compile(r"(?<!\w)[A-ZĐ][A-ZĐ&\-]*[A-ZĐ](?!\w)")


class Lexicon(Protocol):
    @property
    def empty(self) -> bool: ...

    def contains(self, term: str) -> bool: ...


def abbreviation_tokens(text: str) -> set[str]:
    """The matching tokens of the abbreviations a text holds ("UBND", "TT&TT", "VH-TT&DL", "ubnd")."""
    found = {t for word in _ABBREVIATED.findall(text) for t in match_tokens(word)}
    return found | {t for t in match_tokens(text) if t in ABBREVIATIONS}


@lru_cache(maxsize=1)
def _asking() -> re.Pattern[str]:
    words = sorted(group("question_words")["asks"], key=len, reverse=True)
    # the word before the question word is what is asked ("tháng mấy", "cơ quan nào"): cut with it
    return re.compile(r"(?:\w+\s+)?(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


def phrases(text: str) -> list[str]:
    """The stretches of a question that may name its subject: between punctuation marks and
    around the words that ask, those left out."""
    asking = _asking()
    return [piece for segment in _PHRASE_BREAK.split(text) for piece in asking.split(segment.lower())]


def off_topic(text: str, lexicon: Lexicon) -> bool:
    """No two adjacent content words of the question (with its synonyms and expansions) are
    ever adjacent in the plans ("Thủ đô của nước Pháp", "thời tiết Hà Nội ngày mai"), or a
    phrase of five content words no plan writes is longer than any the plans do write."""
    tokens = match_tokens(text)
    pairs = [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)
             if a not in STOPWORDS and b not in STOPWORDS]
    if not pairs or lexicon.empty:
        return False
    if not any(lexicon.contains(p) for p in pairs):
        # folded, "tài" (Tài chính) is the stop word "tại": "Sở Tài chính tỉnh X phải làm gì?"
        # keeps only the pair "chinh_tinh". A question that names a body is left to the evidence.
        return not find_agencies(text)
    # a phrase of five content words that no plan ever writes ("chuyển đổi xe máy chạy xăng
    # sang xe điện") is a subject no plan has, whatever common words surround it; an
    # abbreviation ("TTĐN, Sở TTTT", "Sở VH-TT&DL") is a name the plans spell out, not a phrase
    short = abbreviation_tokens(text)
    # a phrase runs between punctuation marks: the plans' wordings appended to the question
    # ("định kỳ nào" → "(hằng năm hằng quý …)") are alternatives, never one phrase with it
    appended = set(SYNONYMS.values()) | set(ABBREVIATIONS.values())
    longest_unseen = longest_seen = 0
    for piece in phrases(text):
        if piece.strip() in appended:
            continue
        words = match_tokens(piece)
        # a body's name is written in every plan: its words make no phrase of the subject
        named = {i for mention in find_agencies(piece) for i in range(mention.start, mention.end)}
        unseen_run = seen_run = 0
        for i, (a, b) in enumerate(zip(words, words[1:], strict=False)):
            content = a not in STOPWORDS and b not in STOPWORDS and not a.isdigit() and not b.isdigit() \
                and a not in short and b not in short
            seen = content and lexicon.contains(f"{a}_{b}")
            unseen_run = unseen_run + 1 if content and not seen else 0
            seen_run = seen_run + 1 if seen and not {i, i + 1} <= named else 0
            longest_unseen, longest_seen = max(longest_unseen, unseen_run), max(longest_seen, seen_run)
    # the question words a plan writes in a run as long are its subject; the unseen run around it
    # is the asker's own wording of it ("… ở khu du lịch biển … mùa hè tiến hành tháng mấy?")
    return longest_unseen >= UNSEEN_PHRASE_PAIRS and longest_unseen > longest_seen
