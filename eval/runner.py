"""Runs the gold questions through the same public functions the interfaces use."""

from __future__ import annotations

import time
from dataclasses import asdict

from eval.metrics import GoldItem, aggregate, by_kind, retrieval_ranks, retrieval_summary, score_answer
from planbot import SAMPLE_PLANS_DIR
from planbot.factory import App
from rag.answer import QuestionError
from rag.retrieve import Retriever
from rag.types import Answer

RETRIEVERS = {
    "lexical": {"mode": "lexical"},
    "dense": {"mode": "dense"},
    "fused-rrf": {"mode": "hybrid", "fusion": "rrf"},
    "fused-weighted": {"mode": "hybrid", "fusion": "weighted"},
}


def source_texts(app: App) -> dict[str, str]:
    """The files citations must quote from: the sample plans (by file name)."""
    return {p.name: p.read_text(encoding="utf-8") for p in SAMPLE_PLANS_DIR.iterdir() if p.is_file()}


def run_answers(app: App, items: list[GoldItem], mode: str | None = "extractive") -> list[dict]:
    out = []
    for item in items:
        started = time.perf_counter()
        try:
            answer = app.assistant.ask(item.question, history=item.history, mode=mode)
        except QuestionError as exc:
            answer = Answer(question=item.question, answer=str(exc), abstained=True, mode="extractive")
        data = answer.to_contract()
        data["seconds"] = round(time.perf_counter() - started, 4)
        out.append(data)
    return out


def run_retrieval(app: App, items: list[GoldItem], fusion_weight: float | None = None) -> dict[str, dict]:
    """Section-level recall@k / MRR per retriever, on the plans the question names (as `ask` does)."""
    snap = app.store.snapshot()
    results: dict[str, dict] = {}
    answerable = [i for i in items if i.answerable and i.gold]
    for name, options in RETRIEVERS.items():
        retriever = Retriever(app.store, app.embedder,
                              fusion_weight=fusion_weight if fusion_weight is not None else app.settings.fusion_weight,
                              fusion=options.get("fusion", "weighted"))
        ranks = []
        per_item = {}
        for item in answerable:
            prepared = app.assistant.prepare(item.question, item.history)
            sources = None if prepared.early else sorted({p.source for p in prepared.plans}) or None
            query = prepared.retrieval_text
            hits = retriever.search(snap, query, sources=sources, k=10, mode=options["mode"])
            seen: list[tuple[str, str]] = []
            for hit in hits:
                key = (hit.chunk.source, hit.chunk.section)
                if key not in seen:
                    seen.append(key)
            rank = retrieval_ranks(item, seen)
            ranks.append(rank)
            per_item[item.id] = rank
        results[name] = {"summary": retrieval_summary(ranks), "ranks": per_item}
    return results


def evaluate(app: App, items: list[GoldItem], mode: str | None = "extractive") -> dict:
    started = time.perf_counter()
    texts = source_texts(app)
    answers = run_answers(app, items, mode)
    scores = [score_answer(item, answer, texts) for item, answer in zip(items, answers, strict=True)]
    retrieval = run_retrieval(app, items)
    return {
        "mode": mode or "auto",
        "summary": aggregate(scores),
        "by_kind": by_kind(scores),
        "retrieval": {k: v["summary"] for k, v in retrieval.items()},
        "items": [asdict(s) | {"question": i.question, "answer": a.get("answer"), "citations": a.get("citations"),
                               "gold": i.gold, "key_facts": i.key_facts,
                               "retrieval_rank": retrieval["fused-weighted"]["ranks"].get(i.id)}
                  for i, s, a in zip(items, scores, answers, strict=True)],
        "seconds": round(time.perf_counter() - started, 2),
    }
