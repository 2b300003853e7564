"""Store deployment figures, measured in one run against a baseline from the same run:

1. `ask` latency with Chroma as a server (`chroma run` on 127.0.0.1, HttpClient) against embedded
   Chroma (PersistentClient): p50/p90 of `Assistant.ask` (extractive, the real service with the
   obligations register) over the gold questions, the two stores interleaved question by
   question, and the ratio server / embedded of the p50s. Dense search alone is timed too.
2. Re-indexing the sample corpus while a reader thread asks the example question in a loop, for
   both stores: the time of each re-index, the reader's errors and empty answers (abstained or
   not citing Mục V, khoản 2 of thua-thien-hue-2024.txt), and its latency before and during.
   Re-indexes: every plan changed (all 4 re-embedded), then one plan changed, then one removed.

    .venv/bin/python bench/bench_store.py [--rounds 5] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from planbot import PROJECT_ROOT, SAMPLE_PLANS_DIR  # noqa: E402
from planbot.factory import App, build_app  # noqa: E402
from planbot.settings import Settings  # noqa: E402
from tests.fakes import ChromaServer  # noqa: E402

EXAMPLE = ("Các cơ quan phải gửi báo cáo về đâu và trước ngày nào theo kế hoạch thông tin đối ngoại "
           "năm 2024 của Thừa Thiên Huế?")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def make_app(data_dir: Path, chroma_url: str) -> App:
    settings = Settings(_env_file=None, data_dir=data_dir, llm="none", chroma_url=chroma_url)
    return build_app(settings, generator=None)


def questions() -> list[str]:
    path = PROJECT_ROOT / "eval" / "gold" / "questions_tth.jsonl"
    out = [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out or [EXAMPLE]


def bench_ask(apps: dict[str, App], rounds: int) -> dict:
    qs = questions()
    for app in apps.values():  # warm: lexical index, obligations register, collection handles
        app.ingestor.ingest_paths([SAMPLE_PLANS_DIR], progress=False)
        for q in qs:
            app.assistant.ask(q)
    times: dict[str, list[float]] = {name: [] for name in apps}
    dense: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(rounds):
        for q in qs:
            for name, app in apps.items():  # interleaved: drift of the machine hits both alike
                started = time.perf_counter()
                app.assistant.ask(q)
                times[name].append(time.perf_counter() - started)
                snap = app.store.snapshot()
                vector = app.embedder.embed_query(q)
                started = time.perf_counter()
                app.store.dense_search(snap.generation, vector, 50)
                dense[name].append(time.perf_counter() - started)
    out = {"questions": len(qs), "rounds": rounds}
    for name in apps:
        out[name] = {"ask_p50_ms": ms(percentile(times[name], 0.5)), "ask_p90_ms": ms(percentile(times[name], 0.9)),
                     "dense_p50_ms": ms(percentile(dense[name], 0.5))}
    out["ask_p50_ratio_server_vs_embedded"] = round(
        percentile(times["server"], 0.5) / percentile(times["embedded"], 0.5), 3)
    out["dense_p50_ratio_server_vs_embedded"] = round(
        percentile(dense["server"], 0.5) / percentile(dense["embedded"], 0.5), 3)
    return out


def answer_is_empty(answer) -> bool:
    return (answer.abstained or not answer.citations or answer.citations[0].source != "thua-thien-hue-2024.txt"
            or answer.citations[0].section != "V.2")


def bench_reindex(app: App, workdir: Path) -> dict:
    plans = workdir / "plans"
    shutil.copytree(SAMPLE_PLANS_DIR, plans)
    app.ingestor.ingest_paths([plans], prune=True, progress=False)
    app.assistant.ask(EXAMPLE)
    log: list[tuple[float, float, str]] = []  # (start, seconds, outcome)
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                outcome = "empty" if answer_is_empty(app.assistant.ask(EXAMPLE)) else "ok"
            except Exception as exc:
                outcome = f"error: {exc!r}"
            log.append((started, time.perf_counter() - started, outcome))

    thread = threading.Thread(target=reader)
    thread.start()
    time.sleep(1.0)  # the reader's latency before any re-index
    steps = []

    def reindex(label: str) -> None:
        started = time.perf_counter()
        report = app.ingestor.ingest_paths([plans], prune=True, progress=False)
        seconds = time.perf_counter() - started
        steps.append({"step": label, "seconds": round(seconds, 3), "start": started,
                      "changed": sorted(f"{r.source}: {r.status}" for r in report.results if r.status != "unchanged")})

    for path in sorted(plans.glob("*.txt")):
        path.write_text(path.read_text(encoding="utf-8") + "\nGhi chú: bản cập nhật.\n", encoding="utf-8")
    reindex("every plan changed")
    time.sleep(0.5)
    vinh_phuc = plans / "vinh-phuc-2024.txt"
    vinh_phuc.write_text(vinh_phuc.read_text(encoding="utf-8") + "Phụ lục.\n", encoding="utf-8")
    reindex("one plan changed")
    time.sleep(0.5)
    (plans / "hung-yen-2026.txt").unlink()
    reindex("one plan removed")
    time.sleep(1.0)
    stop.set()
    thread.join()
    first_reindex = steps[0]["start"]
    before = [s for start, s, _ in log if start + s < first_reindex]
    during = [s for start, s, _ in log if start + s >= first_reindex]
    outcomes = [o for _, _, o in log]
    for step in steps:
        del step["start"]
    return {
        "reindex": steps,
        "reindex_seconds_total": round(sum(s["seconds"] for s in steps), 3),
        "reader_asks": len(log),
        "reader_errors": sum(o.startswith("error") for o in outcomes),
        "reader_empty_answers": outcomes.count("empty"),
        "first_errors": sorted({o for o in outcomes if o.startswith("error")})[:3],
        "reader_p50_ms_before": ms(percentile(before, 0.5)) if before else None,
        "reader_p50_ms_during_and_after": ms(percentile(during, 0.5)) if during else None,
        "reader_max_ms_during_and_after": ms(max(during)) if during else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="passes over the gold questions")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with ChromaServer(root / "server-ask") as server:
            apps = {"embedded": make_app(root / "embedded-ask", ""), "server": make_app(root / "server-data", server.url)}
            results["ask"] = bench_ask(apps, args.rounds)
        for name in ("embedded", "server"):
            workdir = root / f"reindex-{name}"
            workdir.mkdir()
            if name == "server":
                with ChromaServer(workdir / "chroma") as server:
                    results[f"reindex_{name}"] = bench_reindex(make_app(workdir / "data", server.url), workdir)
            else:
                results[f"reindex_{name}"] = bench_reindex(make_app(workdir / "data", ""), workdir)
    ask = results["ask"]
    print(f"ask p50: embedded {ask['embedded']['ask_p50_ms']} ms, server {ask['server']['ask_p50_ms']} ms "
          f"-> server/embedded = {ask['ask_p50_ratio_server_vs_embedded']} "
          f"({ask['questions']} questions x {ask['rounds']} rounds, interleaved)")
    print(f"ask p90: embedded {ask['embedded']['ask_p90_ms']} ms, server {ask['server']['ask_p90_ms']} ms")
    print(f"dense search p50: embedded {ask['embedded']['dense_p50_ms']} ms, server {ask['server']['dense_p50_ms']} ms "
          f"-> {ask['dense_p50_ratio_server_vs_embedded']}")
    for name in ("embedded", "server"):
        r = results[f"reindex_{name}"]
        steps = ", ".join(f"{s['step']} {s['seconds']} s" for s in r["reindex"])
        print(f"re-index with a reader ({name}): {steps}; reader {r['reader_asks']} asks, "
              f"{r['reader_errors']} errors, {r['reader_empty_answers']} empty answers; reader p50 "
              f"{r['reader_p50_ms_before']} ms before, {r['reader_p50_ms_during_and_after']} ms during/after, "
              f"max {r['reader_max_ms_during_and_after']} ms")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
