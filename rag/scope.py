"""Which plans a question is about: the plans it names by file, province (a 2025 unit also reaches
its predecessors' plans) or year (the years a plan covers, read at ingest), or every plan; or a
polite refusal naming the plans that are indexed when the question names a plan that is not."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from index.models import DocumentMeta
from index.normalize import match_tokens
from index.provinces import KNOWN, now_part_of, same_place, with_kind
from index.store import DocRecord
from rag.prompts import message
from rag.query import QueryInfo


@dataclass
class Scope:
    sources: list[str]
    # what the answer must say about the plans found: "Vĩnh Phúc, nay thuộc tỉnh Phú Thọ"
    notes: list[str] = field(default_factory=list)


# A refusal names at most this many plans: a province's archive holds thousands.
AVAILABLE_SHOWN = 12


def available_plans(docs: Iterable[DocRecord]) -> str:
    names = sorted(d.meta.short_name for d in docs)
    if len(names) > AVAILABLE_SHOWN:
        return "; ".join([*names[:AVAILABLE_SHOWN], message("available_more", n=len(names) - AVAILABLE_SHOWN)])
    return "; ".join(names) or "không có"


def covers(meta: DocumentMeta, low: int, high: int) -> bool:
    """Does the plan cover a year of low…high? A plan whose years cannot be read is named by the
    year it was signed (its only year)."""
    if meta.years:
        return any(low <= y <= high for y in meta.years)
    return meta.signed_year is not None and low <= meta.signed_year <= high


def _years_text(info: QueryInfo) -> str:
    spans = info.periods or [(y, y) for y in info.years]
    return ", ".join(str(a) if a == b else f"giai đoạn {a}–{b}" for a, b in spans)


def select_plans(info: QueryInfo, docs: Iterable[DocRecord], restrict: Sequence[str] | None = None) -> Scope | str:
    """The plans to search, or the Vietnamese refusal (message 'unknown_plan') when the question
    names a plan that is not indexed."""
    all_docs = list(docs)
    candidates = [d for d in all_docs if not restrict or d.meta.source in restrict]
    available = available_plans(all_docs)
    notes: list[str] = []
    provinces = list(info.provinces) + _unlisted_provinces(info, all_docs)
    if info.sources:
        named = [d for d in candidates if d.meta.source in info.sources]
        if not named:
            return message("unknown_plan", what="kế hoạch " + ", ".join(info.sources), available=available)
        candidates = named
    if provinces:
        # a province that has no plan here may be a partner in the question ("phối hợp với tỉnh
        # X"): the plans are those of the named provinces that have one; none → not indexed
        reach = {name: same_place(name) for name in provinces}
        named = [d for d in candidates if any(d.meta.province in names for names in reach.values())]
        if not named:
            years = _years_text(info)
            return message("unknown_plan", what="kế hoạch của " + ", ".join(with_kind(p) for p in provinces)
                           + (f" năm {years}" if years else ""), available=available)
        for doc in named:
            province = doc.meta.province or ""
            if province not in provinces:
                note = now_part_of(province)
                if note and note not in notes:
                    notes.append(note)
        candidates = named
    periods = info.periods or [(y, y) for y in info.years]
    if periods or info.signed_years:
        named = [d for d in candidates
                 if any(covers(d.meta, a, b) for a, b in periods)
                 or (d.meta.signed_year in info.signed_years)]
        if not named:
            where = f" của {', '.join(with_kind(p) for p in provinces)}" if provinces else ""
            spans = _years_text(info) or ", ".join(map(str, info.signed_years))
            return message("unknown_plan", what=f"kế hoạch năm {spans}{where}", available=available)
        candidates = named
    return Scope([d.meta.source for d in candidates], notes)


def _unlisted_provinces(info: QueryInfo, docs: Sequence[DocRecord]) -> list[str]:
    """Indexed plans' provinces that are in no list (kept as the plan wrote them) and that the
    question names."""
    tokens = f" {' '.join(match_tokens(info.text))} "
    out: list[str] = []
    for doc in docs:
        name = doc.meta.province
        if name and name not in KNOWN and name not in out and f" {' '.join(match_tokens(name))} " in tokens:
            out.append(name)
    return out


def with_scope_notes(text: str, notes: Sequence[str]) -> str:
    """The answer, opened by what the reader must know about the plans' provinces."""
    if not notes:
        return text
    return f"(Kế hoạch của {'; '.join(notes)}.) {text}"
