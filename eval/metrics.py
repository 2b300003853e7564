"""Answer and retrieval metrics. Every metric gives an aggregate and per-item scores; all are
deterministic and need no LLM."""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lang.normalize import collapse_ws, match_tokens, skeleton

GOLD_DIR = Path(__file__).resolve().parent / "gold"


@dataclass
class GoldItem:
    id: str
    kind: str
    question: str
    answerable: bool
    key_facts: list[list[str]]
    gold: list[dict[str, str]]
    history: list[str] = field(default_factory=list)
    suite: str = ""

    @classmethod
    def from_json(cls, data: dict, suite: str = "") -> GoldItem:
        return cls(id=str(data["id"]), kind=data.get("kind", "fact"), question=data["question"],
                   answerable=bool(data.get("answerable", True)), key_facts=data.get("key_facts", []),
                   gold=data.get("gold", []), history=data.get("history", []), suite=suite)


def load_gold(suite: str | None = None, directory: Path = GOLD_DIR) -> list[GoldItem]:
    """Gold questions from eval/gold/questions_*.jsonl; `suite` picks files whose name contains it."""
    items: list[GoldItem] = []
    for path in sorted(directory.glob("questions_*.jsonl")):
        name = path.stem.removeprefix("questions_")
        if suite and suite not in (name, "all") and suite not in path.stem:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                items.append(GoldItem.from_json(json.loads(line), suite=name))
    return items


def load_questions(path: Path) -> list[GoldItem]:
    """One outside suite file in the gold format (e.g. questions written by someone else)."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            items.append(GoldItem.from_json(json.loads(line), suite=path.stem))
    return items


def _norm(text: str) -> str:
    return " ".join(match_tokens(text))


def _frames(text: str) -> str:
    return " ".join(skeleton(t) for t in match_tokens(text))


def fact_present(fact: str, answer: str) -> bool:
    """Diacritic- and OCR-insensitive containment: the folded, OCR-repaired form, or failing that the
    consonant frame (OCR misreads vowels: "béo céo" for "báo cáo")."""
    if not fact.strip():
        return True
    if f" {_norm(fact)} " in f" {_norm(answer)} ":
        return True
    frame = _frames(fact)
    return len(frame.replace("*", "").replace(" ", "")) >= 5 and f" {frame} " in f" {_frames(answer)} "


def key_facts_ok(item: GoldItem, answer_text: str) -> bool:
    return all(any(fact_present(alt, answer_text) for alt in group) for group in item.key_facts)


def section_matches(cited: str, gold: str, last_part: str | None = None) -> bool:
    """`cited` is `gold` or lies inside it. The closing paragraph is cited as `closing`; gold files
    it under the plan's last part (eval/gold/README.md), so `closing` also matches that part."""
    if cited == "closing" and last_part is not None and gold == last_part:
        return True
    return cited == gold or cited.startswith(gold + ".")


def citations_ok(item: GoldItem, citations: Iterable[dict], last_parts: dict[str, str] | None = None) -> bool:
    citations = list(citations)
    last_parts = last_parts or {}
    by_source: dict[str, list[str]] = {}
    for g in item.gold:
        by_source.setdefault(g["source"], []).append(g["section"])
    if not by_source:
        return False
    return all(any(c["source"] == source
                   and any(section_matches(c["section"], s, last_parts.get(source)) for s in sections)
                   for c in citations) for source, sections in by_source.items())


def quotes_verbatim(citations: Iterable[dict], texts: dict[str, str]) -> tuple[int, int]:
    found = total = 0
    for c in citations:
        total += 1
        source = texts.get(c["source"])
        if source is not None and collapse_ws(c["quote"]) in collapse_ws(source):
            found += 1
    return found, total


@dataclass
class ItemScore:
    id: str
    kind: str
    answerable: bool
    abstained: bool
    key_facts: bool
    citation: bool
    full: bool
    answer_chars: int
    quotes_found: int
    quotes_total: int


def score_answer(item: GoldItem, answer: dict, texts: dict[str, str],
                 last_parts: dict[str, str] | None = None) -> ItemScore:
    citations = answer.get("citations", [])
    found, total = quotes_verbatim(citations, texts)
    abstained = bool(answer.get("abstained"))
    facts = key_facts_ok(item, answer.get("answer", "")) if item.answerable else False
    cites = citations_ok(item, citations, last_parts) if item.answerable else False
    return ItemScore(id=item.id, kind=item.kind, answerable=item.answerable, abstained=abstained,
                     key_facts=facts and not abstained, citation=cites and not abstained,
                     full=facts and cites and not abstained, answer_chars=len(answer.get("answer", "")),
                     quotes_found=found, quotes_total=total)


def aggregate(scores: list[ItemScore]) -> dict[str, float | int]:
    answerable = [s for s in scores if s.answerable]
    unanswerable = [s for s in scores if not s.answerable]
    abstained = [s for s in scores if s.abstained]
    correct_abstentions = [s for s in unanswerable if s.abstained]
    quotes_total = sum(s.quotes_total for s in scores)
    lengths = sorted(s.answer_chars for s in answerable if not s.abstained)
    # an answer that states a wrong or partial fact is worse for an official than a refusal:
    # counted apart from the declined ones (answerable questions answered without every key fact,
    # and unanswerable ones answered at all)
    answered_wrong = sum(1 for s in answerable if not s.abstained and not s.key_facts) + \
        sum(1 for s in unanswerable if not s.abstained)
    return {
        "questions": len(scores),
        "answerable": len(answerable),
        "key_facts": sum(s.key_facts for s in answerable),
        "citation": sum(s.citation for s in answerable),
        "full": sum(s.full for s in answerable),
        "full_rate": round(sum(s.full for s in answerable) / len(answerable), 4) if answerable else 0.0,
        "unanswerable": len(unanswerable),
        "abstained": len(abstained),
        "abstained_correctly": len(correct_abstentions),
        "abstention_precision": round(len(correct_abstentions) / len(abstained), 4) if abstained else 1.0,
        "abstention_recall": round(len(correct_abstentions) / len(unanswerable), 4) if unanswerable else 1.0,
        "quotes_verbatim": round(sum(s.quotes_found for s in scores) / quotes_total, 4) if quotes_total else 1.0,
        "median_answer_chars": int(statistics.median(lengths)) if lengths else 0,
        "p95_answer_chars": lengths[min(len(lengths) - 1, int(0.95 * len(lengths)))] if lengths else 0,
        "answered_wrong": answered_wrong,
        "declined_answerable": sum(1 for s in answerable if s.abstained),
    }


def by_kind(scores: list[ItemScore]) -> dict[str, dict[str, float | int]]:
    kinds: dict[str, list[ItemScore]] = {}
    for s in scores:
        kinds.setdefault(s.kind, []).append(s)
    return {k: aggregate(v) for k, v in sorted(kinds.items())}


def retrieval_ranks(item: GoldItem, ranked_sections: list[tuple[str, str]]) -> int | None:
    """1-based rank of the first retrieved (source, section) that answers the item, or None."""
    for rank, (source, section) in enumerate(ranked_sections, start=1):
        if any(g["source"] == source and section_matches(section, g["section"]) for g in item.gold):
            return rank
    return None


def retrieval_summary(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    return {
        "recall@1": round(sum(1 for r in ranks if r is not None and r <= 1) / n, 4),
        "recall@5": round(sum(1 for r in ranks if r is not None and r <= 5) / n, 4),
        "recall@10": round(sum(1 for r in ranks if r is not None and r <= 10) / n, 4),
        "mrr": round(sum(1.0 / r for r in ranks if r is not None and r <= 10) / n, 4),
    }
