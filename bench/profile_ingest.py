"""Where ingestion's CPU goes, stage by stage, on the sample plans replicated as in
bench_ingest_query.py (and ../shared/plans when present), read the way ingestion reads a plan
(index/parsing.read_plan: one text memo per plan, the offline vectors made inside it).

    .venv/bin/python bench/profile_ingest.py [--scale 10] [--no-shared] [--profile]

Prints CPU seconds and ms per chunk of: parsing (structure, metadata, cross-references),
chunking with facts, register extraction, the injection scan and the offline embedding; then
the chunks per CPU second of these stages together (the store, the lexical index and the worker
processes are measured by bench_ingest_query.py). --profile adds the top of a cProfile run.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_ingest_query import replicated_corpus  # noqa: E402
from index import chunking  # noqa: E402
from index.embedders import HashingEmbedder  # noqa: E402
from index.injection import scan_plan  # noqa: E402
from index.obligations import extract_plan  # noqa: E402
from index.structure import parse_plan  # noqa: E402
from lang.normalize import text_memo  # noqa: E402
from planbot import PROJECT_ROOT  # noqa: E402

STAGES = ("parse", "chunk + facts", "  of which facts", "register", "injection scan", "embedding")


def measure(texts: dict[str, str]) -> tuple[dict[str, float], int]:
    """CPU seconds per stage over all texts, and the number of chunks."""
    spent = dict.fromkeys(STAGES, 0.0)
    read_chunk = chunking.read_chunk

    def timed_read_chunk(chunk):
        started = time.process_time()
        try:
            return read_chunk(chunk)
        finally:
            spent["  of which facts"] += time.process_time() - started

    chunking.read_chunk = timed_read_chunk  # chunk_plan calls it once per chunk
    embedder = HashingEmbedder()
    chunks_seen = 0
    try:
        for source, text in texts.items():
            with text_memo():
                t0 = time.process_time()
                plan = parse_plan(text, source, hashlib.sha256(text.encode("utf-8")).hexdigest())
                t1 = time.process_time()
                chunks = chunking.chunk_plan(plan)
                t2 = time.process_time()
                extract_plan(chunks, plan.meta.province, plan.meta.year)
                t3 = time.process_time()
                scan_plan(plan)
                t4 = time.process_time()
                embedder.embed_array([c.search_text() for c in chunks])
                t5 = time.process_time()
            for stage, seconds in zip(("parse", "chunk + facts", "register", "injection scan", "embedding"),
                                      (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
                spent[stage] += seconds
            chunks_seen += len(chunks)
    finally:
        chunking.read_chunk = read_chunk
    return spent, chunks_seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10, help="copies of the sample plans, as in bench_ingest_query")
    parser.add_argument("--no-shared", action="store_true", help="leave out ../shared/plans")
    parser.add_argument("--profile", action="store_true", help="also print the top of a cProfile run")
    args = parser.parse_args(argv)
    texts = replicated_corpus(args.scale)
    shared = PROJECT_ROOT.parent / "shared" / "plans"
    if shared.is_dir() and not args.no_shared:
        texts.update({p.name: p.read_text(encoding="utf-8") for p in sorted(shared.glob("*.txt"))})
    profile = cProfile.Profile() if args.profile else None
    if profile:
        profile.enable()
    spent, chunks = measure(texts)
    if profile:
        profile.disable()
    total = sum(v for k, v in spent.items() if not k.startswith(" "))
    print(f"{len(texts)} plans, {chunks} chunks: {total:.2f} CPU s, {chunks / total:.0f} chunks per CPU second"
          + (" (under the profiler)" if profile else ""))
    for stage, seconds in spent.items():
        print(f"  {stage:<18}{seconds:7.2f} s {1000 * seconds / max(chunks, 1):7.3f} ms/chunk")
    if profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
