"""Do answers stay the same when the sample plans sit among thousands of others?

    .venv/bin/python bench/bench_eval_scale.py [--scale 500] [--data-dir DIR] [--limit N]

Runs the sample gold questions (eval/gold) against two indexes in embedded Chroma: the 4 sample
plans alone (the baseline, ×1) and the replicated corpus of bench/bench_ingest_query.py (×N: each
sample plan copied under other provinces and later years, 4·N plans). Both answer extractively
with the offline defaults. Printed: each index's summary (full, answered wrong, declined,
evidence recall) and every question whose answer changed, with both answers' first lines.

--data-dir keeps the ×N index between runs (an ingestion of unchanged files costs nothing), so a
second run measures only the questions.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest_query import replicated_corpus  # noqa: E402

FIELDS = ("full", "answered_wrong", "declined_answerable", "abstained_correctly", "evidence_recall")


def run(scale: int, data_dir: Path, limit: int | None) -> tuple[dict, list[dict], float]:
    from eval.metrics import aggregate, load_gold, score_answer
    from eval.runner import run_answers, run_evidence, source_texts
    from index.store import ChromaStore
    from planbot.factory import build_app
    from planbot.settings import Settings

    settings = Settings(_env_file=None, data_dir=data_dir, llm="none")
    app = build_app(settings, store=ChromaStore.embedded(data_dir / "chroma"), generator=None)
    started = time.perf_counter()
    report = app.ingestor.ingest_texts(replicated_corpus(scale), prune=True, progress=True)
    ingest_seconds = time.perf_counter() - started
    items = load_gold()[:limit] if limit else load_gold()
    answers = run_answers(app, items)
    texts = source_texts()
    scores = [score_answer(item, answer, texts) for item, answer in zip(items, answers, strict=True)]
    evidence = run_evidence(app, items)
    summary = aggregate(scores) | {"evidence_recall": round(sum(evidence.values()) / max(len(evidence), 1), 4),
                                   "plans": len(app.store.snapshot().docs), "errors": len(report.errors)}
    rows = [{"id": i.id, "question": i.question, "answer": a.get("answer") or "", "full": s.full,
             "abstained": s.abstained} for i, a, s in zip(items, answers, scores, strict=True)]
    return summary, rows, ingest_seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=500)
    parser.add_argument("--data-dir", type=Path, help="keep the ×N index here (reused when present)")
    parser.add_argument("--limit", type=int, help="only the first N questions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="planbot-evalscale-") as tmp:
        base, base_rows, _ = run(1, Path(tmp) / "x1", args.limit)
        big_dir = args.data_dir or Path(tmp) / f"x{args.scale}"
        big, big_rows, ingest = run(args.scale, big_dir, args.limit)
    print(f"\nsample gold questions, extractive, offline defaults; ×{args.scale} ingest (or check) {ingest:.0f} s")
    print(f"{'index':<22}" + "".join(f"{f:>22}" for f in ("plans",) + FIELDS))
    for name, summary in (("×1 (4 sample plans)", base), (f"×{args.scale}", big)):
        print(f"{name:<22}" + "".join(f"{summary.get(f, ''):>22}" for f in ("plans",) + FIELDS))
    changed = [(a, b) for a, b in zip(base_rows, big_rows, strict=True) if a["answer"] != b["answer"]]
    print(f"\nanswers that changed: {len(changed)} of {len(base_rows)}")
    for a, b in changed:
        print(f"- {a['id']}: {a['question']}\n    ×1 ({'full' if a['full'] else 'not full'}): "
              f"{a['answer'].splitlines()[0][:160] if a['answer'] else ''}\n"
              f"    ×{args.scale} ({'full' if b['full'] else 'not full'}): "
              f"{b['answer'].splitlines()[0][:160] if b['answer'] else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
