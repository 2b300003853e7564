"""Runs the gold questions through the same public functions the interfaces use, and the naive
baseline, the parser and the obligations register against their gold data in the same run."""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
import statistics
import subprocess
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from eval.baseline import NAME as BASELINE_NAME
from eval.baseline import NaiveBaseline
from eval.metrics import (
    GoldItem,
    aggregate,
    by_kind,
    key_facts_ok,
    retrieval_ranks,
    retrieval_summary,
    score_answer,
    section_matches,
)
from eval.parser_eval import outline_scores
from eval.register_eval import evaluate_register, load_gold_obligations
from index.structure import parse_plan
from planbot import PROJECT_ROOT, PROMPTS_DIR, SAMPLE_PLANS_DIR
from planbot.factory import App
from rag.answer import ANSWER_PROMPT, EVIDENCE_PROMPT, QuestionError
from rag.retrieve import Fusion, Retriever
from rag.types import Answer, AnswerMode

RETRIEVERS = {
    "lexical": {"mode": "lexical"},
    "dense": {"mode": "dense"},
    "fused-rrf": {"mode": "hybrid", "fusion": "rrf"},
    "fused-weighted": {"mode": "hybrid", "fusion": "weighted"},
}


def source_texts(plans_dir: Path | None = None) -> dict[str, str]:
    """The files citations must quote from (by file name): the sample plans, or an outside suite's."""
    folder = plans_dir or SAMPLE_PLANS_DIR
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())
            if p.is_file() and p.suffix.lower() in (".txt", ".md")}


def run_answers(app: App, items: list[GoldItem], mode: str | None = "extractive") -> list[dict]:
    out = []
    for item in items:
        started = time.perf_counter()
        try:
            answer = app.assistant.ask(item.question, history=item.history, mode=mode)
        except QuestionError as exc:
            answer = Answer(question=item.question, answer=str(exc), abstained=True, mode=AnswerMode.EXTRACTIVE)
        data = answer.to_contract()
        data["seconds"] = round(time.perf_counter() - started, 4)
        generator = app.assistant.generator
        if mode == "llm" and generator is not None:
            usage = getattr(generator, "last_usage", None) or {}
            fell_back = bool(answer.verification and answer.verification.fell_back)
            # the LLM's own figures for this question: accepted or fallen back, its latency and tokens
            data["llm"] = {"accepted": answer.mode == "llm", "fell_back": fell_back,
                           "seconds": usage.get("seconds"), "prompt_tokens": usage.get("prompt_tokens"),
                           "reply_tokens": usage.get("reply_tokens"), "reply_cap": usage.get("reply_cap")}
            if hasattr(generator, "last_usage"):  # not part of the Generator protocol
                generator.last_usage = None
        out.append(data)
    return out


def run_evidence(app: App, items: list[GoldItem], sizes: dict[str, int] | None = None) -> dict[str, bool]:
    """Per answerable question: are all its key facts in the evidence the LLM would receive?
    `sizes` gets the characters of that evidence (the user message: records and passages)."""
    out: dict[str, bool] = {}
    for item in items:
        if not item.answerable:
            continue
        try:
            evidence = app.assistant.llm_evidence(item.question, item.history)
        except QuestionError:
            evidence = None
        out[item.id] = evidence is not None and key_facts_ok(item, evidence)
        if sizes is not None and evidence is not None:
            sizes[item.id] = len(evidence)
    return out


def run_retrieval(app: App, items: list[GoldItem], fusion_weight: float | None = None) -> dict[str, dict]:
    """Section-level recall@k / MRR per retriever, on the plans the question names (as `ask` does)."""
    snap = app.store.snapshot()
    if snap is None:
        raise RuntimeError("eval: nothing is indexed")
    results: dict[str, dict] = {}
    answerable = [i for i in items if i.answerable and i.gold]
    queries = {}  # the question as `ask` understands it does not depend on the retriever compared
    for item in answerable:
        prepared = app.assistant.prepare(item.question, item.history)
        sources = None if prepared.early else sorted({p.source for p in prepared.plans}) or None
        queries[item.id] = (prepared.retrieval_text, sources)
    for name, options in RETRIEVERS.items():
        retriever = Retriever(app.store, app.embedder,
                              fusion_weight=fusion_weight if fusion_weight is not None else app.settings.fusion_weight,
                              fusion=options.get("fusion", Fusion.WEIGHTED), lexical=app.assistant.retriever.lexical)
        ranks = []
        per_item = {}
        for item in answerable:
            query, sources = queries[item.id]
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


BASELINE_MODES = {"baseline-lexical": "lexical", "baseline-dense": "dense", "baseline-fused": "hybrid"}


def run_baseline(app: App, items: list[GoldItem], texts: dict[str, str]) -> dict:
    """The naive baseline on the same plans and embedder: answers, their scores, and chunk-level
    retrieval ranks (rank k = the k-th chunk, whose sections it overlaps are all counted)."""
    started = time.perf_counter()
    baseline = NaiveBaseline(texts, app.embedder, fusion_weight=app.settings.fusion_weight)
    indexed = time.perf_counter() - started
    answers = []
    for item in items:
        began = time.perf_counter()
        answer = baseline.answer(item.question, item.history)
        answer["seconds"] = round(time.perf_counter() - began, 4)
        answers.append(answer)
    last_parts = last_part_paths(texts)
    scores = [score_answer(item, answer, texts, last_parts) for item, answer in zip(items, answers, strict=True)]
    retrieval: dict[str, dict] = {}
    answerable = [i for i in items if i.answerable and i.gold]
    for name, mode in BASELINE_MODES.items():
        ranks: dict[str, int | None] = {}
        for item in answerable:
            hits = baseline.search(baseline.query_text(item.question, item.history), k=10, mode=mode)
            ranks[item.id] = next((rank for rank, hit in enumerate(hits, start=1)
                                   if retrieval_ranks(item, [(hit.chunk.source, path)
                                                             for path, _ in hit.chunk.sections])), None)
        retrieval[name] = {"summary": retrieval_summary(list(ranks.values())), "ranks": ranks}
    return {"name": BASELINE_NAME, "chunks": len(baseline.chunks), "index_seconds": round(indexed, 3),
            "answers": answers, "scores": scores, "retrieval": retrieval}


def last_part_paths(texts: dict[str, str]) -> dict[str, str]:
    """Each plan's last part path: where gold files the closing paragraph."""
    last_parts = {}
    for source, text in texts.items():
        parts = parse_plan(text, source).parts
        if parts:
            last_parts[source] = parts[-1].path
    return last_parts


def run_register(app: App, texts: dict[str, str]) -> dict:
    """The extracted obligations register against eval/gold/obligations.jsonl."""
    last_parts = last_part_paths(texts)
    gold = [g for g in load_gold_obligations() if g.get("source") in texts]
    with_gold = {g["source"] for g in gold}  # plans nobody wrote a gold register for are not scored
    records = [r.to_dict() for r in app.register.records() if r.source in with_gold]
    return evaluate_register(records, gold, last_parts)


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def run_metadata(app: App, mode: str | None, suite: str | None) -> dict:
    """What produced this run: code version, prompt files, model and embedder, retrieval settings."""
    prompt = PROMPTS_DIR / ANSWER_PROMPT
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "suite": suite or "all",
        "mode": mode or "auto",
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": bool(status) if status is not None else None,
        "prompt": ANSWER_PROMPT,
        "prompt_sha256": hashlib.sha256(prompt.read_bytes()).hexdigest()[:16] if prompt.exists() else None,
        "evidence_prompt": EVIDENCE_PROMPT,
        "llm": app.settings.llm,
        "ollama_model": app.settings.ollama_model,
        "embedder": app.embedder.name,
        "fusion_weight": app.settings.fusion_weight,
        "top_k": app.settings.top_k,
        "python": platform.python_version(),
    }


def _latency(answers: list[dict]) -> dict[str, float]:
    seconds = sorted(a.get("seconds", 0.0) for a in answers)
    if not seconds:
        return {"p50_ms": 0.0, "p95_ms": 0.0}
    p95 = statistics.quantiles(seconds, n=20, method="inclusive")[-1] if len(seconds) > 1 else seconds[0]
    return {"p50_ms": round(statistics.median(seconds) * 1000, 1), "p95_ms": round(p95 * 1000, 1)}


def _cited(answer: dict) -> list[dict]:
    return [{"source": c.get("source"), "section": c.get("section"), "section_label": c.get("section_label")}
            for c in answer.get("citations") or []]


def _right_plan(item: GoldItem, answer: dict) -> bool:
    sources = {g["source"] for g in item.gold}
    return bool(sources) and sources <= {c.get("source") for c in answer.get("citations") or []}


def _wrong_sections(item: GoldItem, answer: dict, last_parts: dict[str, str]) -> list[str]:
    return [c["section"] for c in answer.get("citations") or []
            if not any(g["source"] == c.get("source")
                       and section_matches(c.get("section", ""), g["section"], last_parts.get(g["source"]))
                       for g in item.gold)]


def evaluate(app: App, items: list[GoldItem], mode: str | None = "extractive", *, baseline: bool = True,
             suite: str | None = None, plans_dir: Path | None = None) -> dict:
    started = time.perf_counter()
    stages: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        stages[name] = round(now - since, 2)
        return now

    meta = run_metadata(app, mode, suite)
    texts = source_texts(plans_dir)
    clock = time.perf_counter()
    answers = run_answers(app, items, mode)
    last_parts = last_part_paths(texts)
    scores = [score_answer(item, answer, texts, last_parts) for item, answer in zip(items, answers, strict=True)]
    clock = lap("answers", clock)
    evidence_chars: dict[str, int] = {}
    evidence = run_evidence(app, items, evidence_chars)
    clock = lap("evidence", clock)
    retrieval = run_retrieval(app, items)
    clock = lap("retrieval", clock)
    parser = outline_scores(texts)
    clock = lap("parser", clock)
    register = run_register(app, texts)
    clock = lap("register", clock)
    result: dict[str, object] = {
        "run": meta,
        "mode": mode or "auto",
        "summary": aggregate(scores) | _latency(answers)
        | {"evidence_recall": round(sum(evidence.values()) / len(evidence), 4) if evidence else 1.0,
           "median_evidence_chars": int(statistics.median(evidence_chars.values())) if evidence_chars else 0,
           "max_evidence_chars": max(evidence_chars.values(), default=0)},
        # what answered, which differs from the requested mode when no LLM was reachable
        "answer_modes": dict(Counter(a.get("mode") or "?" for a in answers)),
        "by_kind": by_kind(scores),
        "retrieval": {k: v["summary"] for k, v in retrieval.items()},
        "items": [asdict(s) | {"question": i.question, "history": i.history, "answer": a.get("answer"),
                               "citations": a.get("citations"), "gold": i.gold, "expected_facts": i.key_facts,
                               "right_plan": _right_plan(i, a), "wrong_sections": _wrong_sections(i, a, last_parts),
                               "retrieval_rank": retrieval["fused-weighted"]["ranks"].get(i.id),
                               "in_evidence": evidence.get(i.id), "evidence_chars": evidence_chars.get(i.id)} | ({"llm": a["llm"]} if "llm" in a else {})
                  for i, s, a in zip(items, scores, answers, strict=True)],
        "parser": parser,
        "register": register,
    }
    if baseline:
        base = run_baseline(app, items, texts)
        result["baseline"] = {
            "name": base["name"], "chunks": base["chunks"], "index_seconds": base["index_seconds"],
            "summary": aggregate(base["scores"]) | _latency(base["answers"]),
            "by_kind": by_kind(base["scores"]),
            "retrieval": {k: v["summary"] for k, v in base["retrieval"].items()},
            "items": [asdict(s) | {"answer": a["answer"], "citations": _cited(a),
                                   "retrieval_rank": base["retrieval"]["baseline-fused"]["ranks"].get(i.id)}
                      for i, s, a in zip(items, base["scores"], base["answers"], strict=True)],
        }
        lap("baseline", clock)
    result["stage_seconds"] = stages
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result
