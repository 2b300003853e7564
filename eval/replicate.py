"""The replicated corpus of the scale benchmarks and tests: the sample plans, each copied under
other provinces and later years (the copies are distinct plans to the parser, the metadata and
the plan selection). Since 1 July 2025 only the 34 units issue plans, so a copy dated 2026 or
later is only ever given to one of them."""

from __future__ import annotations

import re

from index.metadata import PROVINCES
from index.structure import parse_plan
from lang.normalize import fold, match_tokens
from lang.provinces import UNITS_2025
from planbot import SAMPLE_PLANS_DIR


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


_WORD = re.compile(r"\w+")


def _province_spans(text: str, province: str) -> list[tuple[int, int]]:
    """Character spans where the text names `province`, however OCR spelt it."""
    pattern = tuple(match_tokens(province))
    words = [(m.start(), m.end(), tuple(match_tokens(m.group()))) for m in _WORD.finditer(text)]
    spans = []
    i = 0
    while i < len(words):
        tokens: list[str] = []
        j = i
        while j < len(words) and len(tokens) < len(pattern):
            tokens.extend(words[j][2])
            j += 1
        if tuple(tokens) == pattern:
            spans.append((words[i][0], words[j - 1][1]))
            i = j
        else:
            i += 1
    return spans


def replicated_corpus(scale: int) -> dict[str, str]:
    """The sample plans, plus scale-1 copies of each under another province and a later year."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(SAMPLE_PLANS_DIR.glob("*.txt"))}
    if scale <= 1:
        return texts
    originals = list(texts.items())
    own = set()
    plans = []
    for source, text in originals:
        meta = parse_plan(text, source).meta
        own.add(meta.province)
        plans.append((source, text, meta.year, _province_spans(text, meta.province or "")))
    others = [p for p in PROVINCES if p not in own]
    # since 1 July 2025 only the 34 units issue plans: a copy dated 2026 or later is never given
    # to a former province (a "Thái Bình 2027" plan cannot exist, and it would join Hưng Yên's)
    units = [p for p in others if p in UNITS_2025]
    out = dict(texts)
    for copy in range(1, scale):
        for b, (source, text, year, spans) in enumerate(plans):
            index = copy * len(plans) + b
            new_year = (year or 2024) + 1 + index // len(others)
            pool = units if new_year >= 2026 else others
            new_province = pool[index % len(pool)]
            pieces, last = [], 0
            for start, end in spans:
                pieces += [text[last:start], new_province]
                last = end
            pieces.append(text[last:])
            copied = "".join(pieces)
            if year:
                copied = re.sub(rf"(?<!\d){year}(?!\d)", str(new_year), copied)
            out[f"{_slug(new_province)}-{new_year}-from-{source}"] = copied
    return out
