"""Checking an LLM answer against the passages it cites, claim by claim.

A claim is a sentence of the answer. Its facts — dates, numbers, document numbers ("57-KL/TW",
"4155/KH-UBND"), agency names, and code-like strings ("CANARY-7", "http://…") — must each be found
in the passages the claim cites, diacritic- and OCR-insensitively: "15/11/2024" matches "ngày 15
tháng 11 năm 2024", "Sở Thông tin và Truyền thông" matches "Sở TTTT" and "S¢ Thong tin va Truyén
thong". Most of its content words must be there too, so a sentence without any fact ("Mật khẩu
là …") cannot ride on a valid citation. A sentence that repeats the instructions (the prompt
files) is a leak, whatever it cites. What fails is dropped and listed; the caller decides whether
what is left still answers (else it answers extractively).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from lang.agencies import find_agencies
from lang.dates import day_month, numeric_date, worded_date
from lang.markers import MARKER
from lang.normalize import ABBREVIATIONS, STOPWORDS, clean_text, collapse_ws, fold, match_tokens, skeleton
from lang.sentences import split_sentences
from rag.types import DroppedClaim

# share of a claim's content words (agency names and facts aside) that its passages must hold
MIN_WORD_SUPPORT = 0.5
# a claim is a prompt leak when this many of its word 4-grams are the instructions' own
LEAK_NGRAMS = 2
LEAK_SHARE = 0.3

_DATE_NUMERIC = re.compile(rf"(?<!\d){numeric_date()}(?!\d)")
_DATE_WORDED = re.compile(worded_date(year_optional=True))
_DAY_MONTH = re.compile(rf"(?<![\d/.-]){day_month()}(?![\d/])")
_DOC_NUMBER = re.compile(r"(?<![\w/])(\d{1,5})\s*[-/]\s*([A-ZĐ]{1,8}(?:\s*[-/]\s*[A-ZĐ]{1,10})*)(?![\w])")
_NUMBER = re.compile(r"(?<![\w/.,-])\d{1,3}(?:[.,]\d{3})+(?![\d])|(?<![\w/.,-])\d+(?:[.,]\d+)?(?![\w/])")
_CODE = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+\.[\w.]+|\b(?=[\w-]*[A-Za-z])(?=[\w-]*\d)[\w]+(?:-[\w]+)+\b"
                   r"|\b[A-Z][A-Z0-9]{2,}(?:-[A-Z0-9]+)*\b")
# the answer's own framing words: they need no support from the passages
_FRAME_WORDS = frozenset(match_tokens(
    "theo ke hoach muc khoan diem phan nhiem vu can phai duoc thuc hien so co quan don vi cu the "
    "gom bao gom la cung nhu sau ngay truoc sau ve quy dinh yeu cau noi dung tren duoi dong thoi"))


@dataclass(frozen=True)
class Fact:
    kind: str  # date | document_number | number | agency | code
    text: str  # as the claim writes it
    key: str  # normalised for comparison


@dataclass
class Evidence:
    """One cited passage, prepared once for every claim that cites it."""

    text: str
    tokens: set[str] = field(init=False)
    frames: set[str] = field(init=False)
    facts: set[str] = field(init=False)
    compact: str = field(init=False)

    def __post_init__(self) -> None:
        tokens = match_tokens(self.text)
        self.tokens = set(tokens)
        self.frames = {skeleton(t) for t in tokens}
        self.facts = {f.key for f in facts_of(self.text)}
        self.compact = _compact(self.text)


@dataclass
class ClaimCheck:
    sentence: str
    citations: list[int]
    facts: list[Fact]
    dropped: DroppedClaim | None = None


@dataclass
class Result:
    kept: list[ClaimCheck] = field(default_factory=list)
    dropped: list[DroppedClaim] = field(default_factory=list)
    unknown_citations: list[str] = field(default_factory=list)
    checked_facts: list[str] = field(default_factory=list)
    prompt_leak: bool = False
    originals: list[str] = field(default_factory=list)  # the dropped claims unmasked, for the log


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _digits_fixed(fold(text)))


def _digits_fixed(folded: str) -> str:
    """OCR letters inside numbers: "1l/11/2O24" is "11/11/2024"."""
    folded = re.sub(r"(?<=\d)[o](?=[\d/.])|(?<=[/.])[o](?=\d)", "0", folded)
    return re.sub(r"(?<=\d)[li|](?=[\d/.])|(?<=[/.])[li|](?=\d)", "1", folded)


def _date_key(day: str, month: str, year: str | None) -> str | None:
    d, m = int(day), int(month)
    if not (1 <= d <= 31 and 1 <= m <= 12):
        return None
    return f"date:{year}-{m:02d}-{d:02d}" if year else f"daymonth:{m:02d}-{d:02d}"


def facts_of(text: str) -> list[Fact]:
    """Every fact a text states; a full date also states its day and month."""
    out: list[Fact] = []
    text = clean_text(text)
    folded = _digits_fixed(fold(text))
    spans: list[tuple[int, int]] = []
    for pattern in (_DATE_NUMERIC, _DATE_WORDED):
        for m in pattern.finditer(folded):
            key = _date_key(*m.groups())
            if key:
                out.append(Fact("date", collapse_ws(text[m.start():m.end()]), key))
                if key.startswith("date:"):  # a full date also states its day and month, and its year
                    out.append(Fact("date", "", "daymonth:" + key[10:]))
                    out.append(Fact("number", "", "num:" + key[5:9]))
                spans.append(m.span())
    for m in _DAY_MONTH.finditer(folded):
        if not any(a <= m.start() < b for a, b in spans):
            key = _date_key(m.group(1), m.group(2), None)
            if key:
                out.append(Fact("date", m.group(0), key))
                spans.append(m.span())
    for m in _DOC_NUMBER.finditer(text):
        if not any(a <= m.start() < b for a, b in spans):
            key = "doc:" + _compact(m.group(0))
            out.append(Fact("document_number", collapse_ws(m.group(0)), key))
            spans.append(m.span())
    for m in _NUMBER.finditer(folded):
        if not any(a <= m.start() < b for a, b in spans):
            digits = re.sub(r"[.,](?=\d{3}(?!\d))", "", m.group(0)).replace(",", ".")
            out.append(Fact("number", m.group(0), "num:" + format(Decimal(digits).normalize(), "f")))
    for mention in find_agencies(text):
        out.append(Fact("agency", mention.name, "agency:" + mention.name))
    return out


def _codes(sentence: str) -> list[Fact]:
    found = []
    agency_words = {t for m in find_agencies(sentence) for t in _mention_words(sentence, m.start, m.end)}
    for m in _CODE.finditer(sentence):
        word = m.group(0)
        if word.lower() in ABBREVIATIONS or fold(word) in agency_words or _DOC_NUMBER.fullmatch(word):
            continue
        if re.fullmatch(r"[\d/.,-]+", word):
            continue
        found.append(Fact("code", word, "code:" + _compact(word)))
        # a web address or code is one fact: its pieces are not numbers of their own
    return found


def _mention_words(sentence: str, start: int, end: int) -> set[str]:
    return set(match_tokens(sentence)[start:end])


def claim_facts(sentence: str) -> list[Fact]:
    facts = [f for f in facts_of(sentence) if f.text]
    return facts + _codes(sentence)


def _supported(fact: Fact, passages: Sequence[Evidence]) -> bool:
    if fact.kind == "code":
        needle = fact.key.removeprefix("code:")
        return bool(needle) and any(needle in p.compact for p in passages)
    if fact.kind == "document_number":
        needle = fact.key.removeprefix("doc:")
        return any(fact.key in p.facts or re.search(rf"(?<!\d){re.escape(needle)}", p.compact) for p in passages)
    return any(fact.key in p.facts for p in passages)


def _word_support(sentence: str, passages: Sequence[Evidence]) -> float:
    tokens = match_tokens(sentence)
    taken = {i for m in find_agencies(sentence) for i in range(m.start, m.end)}
    words = [t for i, t in enumerate(tokens) if i not in taken and t not in STOPWORDS and t not in _FRAME_WORDS
             and len(t) > 1 and not t.isdigit()]
    if not words:
        return 1.0
    tokens_all = set().union(*(p.tokens for p in passages))
    frames_all = set().union(*(p.frames for p in passages))
    found = sum(1 for t in words if t in tokens_all or (len(t) > 2 and skeleton(t) in frames_all))
    return found / len(words)


def prompt_ngrams(texts: Sequence[str], n: int = 4) -> set[tuple[str, ...]]:
    """Word n-grams of the instructions (prompt files with their placeholders removed)."""
    grams: set[tuple[str, ...]] = set()
    for text in texts:
        tokens = match_tokens(re.sub(r"\{\w+\}", " ", text))
        grams.update(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return grams


def _leaks(sentence: str, prompt: set[tuple[str, ...]], passages: Sequence[Evidence], n: int = 4) -> bool:
    tokens = match_tokens(sentence)
    grams = [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    if not grams:
        return False
    evidence_words = set().union(*(p.tokens for p in passages)) if passages else set()
    # 4-grams the cited passages also hold are the plan's words, not the instructions'
    own = [g for g in grams if g in prompt and not set(g) <= evidence_words]
    return len(own) >= LEAK_NGRAMS and len(own) >= LEAK_SHARE * len(grams)


def masked(sentence: str, passages: Sequence[Evidence], missing: Sequence[str] = ()) -> str:
    """A dropped claim as the answer JSON shows it: its unsupported facts and the words no passage
    holds are replaced by "…", so a hallucinated deadline, an injected canary or the instructions
    never travel on in the JSON (the log keeps the whole claim for the operator)."""
    for fact in missing:
        if fact:
            sentence = sentence.replace(fact, "…")
    words = set().union(*(p.tokens for p in passages)) if passages else set()
    out: list[str] = []
    for word in sentence.split():
        tokens = match_tokens(word)
        keep = MARKER.fullmatch(word.strip(".,;:")) or all(t in words or t in STOPWORDS for t in tokens)
        piece = word if keep else "…"
        if not (piece == "…" and out and out[-1] == "…"):
            out.append(piece)
    return " ".join(out)


def verify(text: str, passages: Sequence[str], prompt: set[tuple[str, ...]] | None = None) -> Result:
    """Check each sentence of `text` against the passages its [n] markers cite (1-based)."""
    prepared = [Evidence(p) for p in passages]
    result = Result()
    for sentence in split_sentences(text.strip()):
        numbers = [int(n) for n in MARKER.findall(sentence)]
        valid = list(dict.fromkeys(n for n in numbers if 1 <= n <= len(prepared)))
        result.unknown_citations.extend(f"[{n}]" for n in numbers if n not in valid)
        plain = collapse_ws(MARKER.sub("", sentence))
        cited = [prepared[n - 1] for n in valid]
        facts = claim_facts(plain)
        check = ClaimCheck(sentence, valid, facts)
        if prompt and _leaks(plain, prompt, cited):
            result.prompt_leak = True
            check.dropped = DroppedClaim(claim=sentence, reason="prompt_leak")
        elif numbers and not valid:
            check.dropped = DroppedClaim(claim=sentence, reason="unknown_citation",
                                         unsupported=[f"[{n}]" for n in numbers])
        elif not valid:
            # connective text may stay uncited, when it states no fact and its words are the plans'
            if facts or not result.kept or _word_support(plain, prepared) < MIN_WORD_SUPPORT:
                check.dropped = DroppedClaim(claim=sentence, reason="no_citation",
                                             unsupported=[f.text for f in facts])
        else:
            missing = [f.text for f in facts if not _supported(f, cited)]
            if missing:
                check.dropped = DroppedClaim(claim=sentence, reason="unsupported_fact", unsupported=missing)
            elif _word_support(plain, cited) < MIN_WORD_SUPPORT:
                check.dropped = DroppedClaim(claim=sentence, reason="unsupported_words")
        if check.dropped is not None:
            result.originals.append(sentence)
            if check.dropped.reason == "prompt_leak":
                check.dropped.claim = ""
            else:
                against = cited or prepared
                unsupported = [f for f in facts if not _supported(f, against)]
                check.dropped.claim = masked(sentence, against, [f.text for f in unsupported])
                if check.dropped.reason != "unknown_citation":
                    check.dropped.unsupported = list(dict.fromkeys(f.kind for f in unsupported))
            result.dropped.append(check.dropped)
            continue
        result.checked_facts.extend(f.text for f in facts)
        result.kept.append(check)
    return result
