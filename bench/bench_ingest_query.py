"""Ingestion and query cost of planbot against the naive baseline, on the sample corpus (4 plans)
and on corpora scaled ×10, ×100 and ×500 (40, 400 and 2,000 plans: each plan replicated under
other provinces and years, so the copies are distinct plans to the parser, the metadata and the
plan selection).

    .venv/bin/python bench/bench_ingest_query.py [--sizes 1,10,100,500] [--questions 30]
                                                 [--store memory|chroma] [--timeout 240] [--json OUT]

After the questions, planbot adds one more plan to the full index (time to add it, and the next
answer), then reports its RSS and the size of its data dir (Chroma and the lexical index).

Every (size, system) runs in its own subprocess so that peak memory (the process's high-water RSS
less its RSS before indexing) belongs to that run alone. planbot ingests through `Ingestor`
(parse, chunk, embed, commit to the store) and answers with `Assistant.ask(mode="extractive")`;
the first question is timed apart (what a help desk sees right after an ingestion).
The baseline is eval/baseline.py: langchain's fixed-size splitter, BM25 and the same embedder,
top-3 chunks. Both use the embedder configured by PLANBOT_EMBED_MODEL (default: the offline one).
A run that exceeds --timeout is stopped; what it measured before that is still reported.
Wall-clock figures suffer when other work shares the machine; the CPU-time table beside them
(time.process_time of the measured process, plus the CPU time of the worker processes it reads
plans in when many change, see index/parsing.py) does not.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval.metrics import load_gold  # noqa: E402
from eval.replicate import replicated_corpus  # noqa: E402,F401 (the other benches import it from here)


def _questions(n: int) -> list[tuple[str, list[str]]]:
    """n gold questions spread over all kinds (every k-th one), with their history."""
    items = load_gold()
    step = max(len(items) // max(n, 1), 1)
    return [(i.question, i.history) for i in items[::step][:n]]


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 1_048_576


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _percentiles(seconds: list[float], prefix: str = "") -> dict[str, float]:
    if not seconds:
        return {}
    p95 = statistics.quantiles(seconds, n=20, method="inclusive")[-1] if len(seconds) > 1 else seconds[0]
    return {f"{prefix}p50_ms": round(statistics.median(seconds) * 1000, 2),
            f"{prefix}p95_ms": round(p95 * 1000, 2)}


def _cpu() -> float:
    """CPU seconds of this process and of the children it has waited for: ingestion reads many
    plans in worker processes (index/parsing.py), whose time is the ingestion's too."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _emit(record: dict) -> None:
    print(json.dumps(record), flush=True)


def worker_planbot(scale: int, n_questions: int, store_kind: str) -> None:
    from index.store import ChromaStore, InMemoryStore
    from planbot.factory import build_app
    from planbot.settings import get_settings

    texts = replicated_corpus(scale)
    questions = _questions(n_questions)
    with tempfile.TemporaryDirectory(prefix="planbot-bench-") as tmp:
        settings = get_settings().model_copy(update={"data_dir": Path(tmp), "llm": "none"})
        store = ChromaStore.embedded(Path(tmp) / "chroma") if store_kind == "chroma" else InMemoryStore()
        app = build_app(settings, store=store, generator=None)
        app.embedder.embed_query("khởi động")  # load a model before the clock starts
        before = _rss_mb()
        started, cpu_started = time.perf_counter(), _cpu()
        report = app.ingestor.ingest_texts(texts, progress=False)
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu_started
        chunks = sum(r.chunks for r in report.results)
        provinces = {d.meta.province for d in app.store.snapshot().docs.values()}
        _emit({"phase": "ingest", "plans": len(texts), "chunks": chunks, "seconds": round(seconds, 3),
               "cpu_seconds": round(cpu, 3), "chunks_per_s": round(chunks / seconds, 1),
               "chunks_per_cpu_s": round(chunks / cpu, 1) if cpu else None,
               "peak_mb": round(_peak_mb() - before, 1), "errors": len(report.errors),
               "distinct_provinces": len(provinces)})
        question, history = questions[0]
        _emit({"phase": "cold_started", "at": time.time()})  # lets the parent bound a first ask it stops
        started, cpu_started = time.perf_counter(), time.process_time()
        app.assistant.ask(question, history=history, mode="extractive")
        cold, cold_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        _emit({"phase": "cold", "seconds": round(cold, 3), "cpu_seconds": round(cold_cpu, 3)})
        timings, cpu_timings = [], []
        for question, history in questions:
            started, cpu_started = time.perf_counter(), time.process_time()
            app.assistant.ask(question, history=history, mode="extractive")
            timings.append(time.perf_counter() - started)
            cpu_timings.append(time.process_time() - cpu_started)
        _emit({"phase": "query", "questions": len(timings), **_percentiles(timings),
               **_percentiles(cpu_timings, "cpu_"), "peak_mb": round(_peak_mb() - before, 1)})
        # one more plan into the full index: its own parse, embedding and postings, the rest copied
        extra = next((s, t) for s, t in replicated_corpus(scale + 1).items() if s not in texts)
        started, cpu_started = time.perf_counter(), _cpu()
        app.ingestor.ingest_texts(dict([extra]), progress=False)
        add, add_cpu = time.perf_counter() - started, _cpu() - cpu_started
        started = time.perf_counter()
        app.assistant.ask(question, history=history, mode="extractive")
        after_add = time.perf_counter() - started
        _emit({"phase": "add_one", "seconds": round(add, 3), "cpu_seconds": round(add_cpu, 3),
               "first_answer_seconds": round(after_add, 3)})
        disk = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file())
        _emit({"phase": "footprint", "rss_mb": round(_rss_mb(), 1), "disk_mb": round(disk / 1_048_576, 1)})


def worker_baseline(scale: int, n_questions: int) -> None:
    from eval.baseline import NaiveBaseline
    from index.embedders import build_embedder
    from planbot.settings import get_settings

    texts = replicated_corpus(scale)
    questions = _questions(n_questions)
    settings = get_settings()
    embedder = build_embedder(settings.embed_model, settings.embed_device)
    embedder.embed_query("khởi động")
    before = _rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    baseline = NaiveBaseline(texts, embedder, fusion_weight=settings.fusion_weight, map_sections=False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    chunks = len(baseline.chunks)
    _emit({"phase": "ingest", "plans": len(texts), "chunks": chunks, "seconds": round(seconds, 3),
           "cpu_seconds": round(cpu, 3), "chunks_per_s": round(chunks / seconds, 1),
           "chunks_per_cpu_s": round(chunks / cpu, 1) if cpu else None,
           "peak_mb": round(_peak_mb() - before, 1)})
    timings, cpu_timings = [], []
    for question, history in questions:
        started, cpu_started = time.perf_counter(), time.process_time()
        baseline.answer(question, history)
        timings.append(time.perf_counter() - started)
        cpu_timings.append(time.process_time() - cpu_started)
    _emit({"phase": "query", "questions": len(timings), **_percentiles(timings),
           **_percentiles(cpu_timings, "cpu_"), "peak_mb": round(_peak_mb() - before, 1)})
    _emit({"phase": "footprint", "rss_mb": round(_rss_mb(), 1)})


def _run_worker(system: str, scale: int, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--worker", system, "--scale", str(scale),
               "--questions", str(args.questions), "--store", args.store]
    env = dict(os.environ, PLANBOT_LLM="none", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               ANONYMIZED_TELEMETRY="False")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    timed_out = False
    try:
        out, err = process.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        timed_out = True
    phases = {}
    for line in out.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            phases[record.pop("phase")] = record
    if process.returncode not in (0, None) and not timed_out:
        phases["error"] = err.strip().splitlines()[-1] if err.strip() else f"exit {process.returncode}"
    if timed_out:
        phases["timeout"] = args.timeout
        if "cold_started" in phases and "cold" not in phases:
            phases["cold"] = {"at_least_seconds": round(time.time() - phases["cold_started"]["at"], 1)}
    phases.pop("cold_started", None)
    return phases


def _fmt(value: object, width: int) -> str:
    return f"{'–' if value is None else value:>{width}}"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a is not None and b else "–"


def _cold(r: dict) -> str | float | None:
    cold = r.get("cold", {})
    if "at_least_seconds" in cold:
        return f">{cold['at_least_seconds']}"
    return cold.get("seconds")


def _get(r: dict, phase: str, key: str) -> float | None:
    return r.get(phase, {}).get(key)


def report(results: dict[int, dict[str, dict]], store: str) -> str:
    lines = [f"planbot (store: {store}) vs naive baseline. MB = high-water RSS above the RSS before indexing,",
             "after ingestion and after the questions; '1st ask' is the first question after the ingestion.", ""]
    header = (f"{'size':>5}{'plans':>7}{'chunks':>8}{'ingest s':>10}{'chunks/s':>10}{'ingest MB':>11}"
              f"{'1st ask s':>11}{'p50 ms':>9}{'p95 ms':>9}{'total MB':>10}")
    for system in ("planbot", "baseline"):
        lines += [system, header]
        for scale, by_system in results.items():
            r = by_system[system]
            ingest, query = r.get("ingest", {}), r.get("query", {})
            note = f"  (stopped after {r['timeout']:g} s)" if "timeout" in r else (
                f"  ({r['error']})" if "error" in r else "")
            lines.append(f"{'×' + str(scale):>5}{_fmt(ingest.get('plans'), 7)}{_fmt(ingest.get('chunks'), 8)}"
                         f"{_fmt(ingest.get('seconds'), 10)}{_fmt(ingest.get('chunks_per_s'), 10)}"
                         f"{_fmt(ingest.get('peak_mb'), 11)}{_fmt(_cold(r) if system == 'planbot' else None, 11)}"
                         f"{_fmt(query.get('p50_ms'), 9)}{_fmt(query.get('p95_ms'), 9)}"
                         f"{_fmt(query.get('peak_mb'), 10)}{note}")
        lines.append("")
    lines += ["planbot / baseline (time and memory: lower is better for planbot below 1×)",
              f"{'size':>5}{'ingest s':>10}{'chunks/s':>10}{'ingest MB':>11}{'p50':>9}{'p95':>9}{'total MB':>10}"]
    for scale, by_system in results.items():
        p, b = by_system["planbot"], by_system["baseline"]
        lines.append(f"{'×' + str(scale):>5}"
                     f"{_ratio(_get(p, 'ingest', 'seconds'), _get(b, 'ingest', 'seconds')):>10}"
                     f"{_ratio(_get(p, 'ingest', 'chunks_per_s'), _get(b, 'ingest', 'chunks_per_s')):>10}"
                     f"{_ratio(_get(p, 'ingest', 'peak_mb'), _get(b, 'ingest', 'peak_mb')):>11}"
                     f"{_ratio(_get(p, 'query', 'p50_ms'), _get(b, 'query', 'p50_ms')):>9}"
                     f"{_ratio(_get(p, 'query', 'p95_ms'), _get(b, 'query', 'p95_ms')):>9}"
                     f"{_ratio(_get(p, 'query', 'peak_mb'), _get(b, 'query', 'peak_mb')):>10}")
    lines += ["", "CPU time of the measured process and of the plan reader processes it started (what the run "
              "itself cost, whatever else the machine ran)",
              f"{'size':>5} {'system':<9}{'ingest s':>10}{'chunks/cpu-s':>13}{'1st ask s':>11}{'p50 ms':>9}{'p95 ms':>9}"]
    for scale, by_system in results.items():
        for system in ("planbot", "baseline"):
            r = by_system[system]
            lines.append(f"{'×' + str(scale):>5} {system:<9}{_fmt(_get(r, 'ingest', 'cpu_seconds'), 10)}"
                         f"{_fmt(_get(r, 'ingest', 'chunks_per_cpu_s'), 13)}"
                         f"{_fmt(_get(r, 'cold', 'cpu_seconds'), 11)}{_fmt(_get(r, 'query', 'cpu_p50_ms'), 9)}"
                         f"{_fmt(_get(r, 'query', 'cpu_p95_ms'), 9)}")
        p, b = by_system["planbot"], by_system["baseline"]
        lines.append(f"{'':>5} {'ratio':<9}"
                     f"{_ratio(_get(p, 'ingest', 'cpu_seconds'), _get(b, 'ingest', 'cpu_seconds')):>10}{'':>24}"
                     f"{_ratio(_get(p, 'query', 'cpu_p50_ms'), _get(b, 'query', 'cpu_p50_ms')):>9}"
                     f"{_ratio(_get(p, 'query', 'cpu_p95_ms'), _get(b, 'query', 'cpu_p95_ms')):>9}")
    lines += ["", "one plan added to the full index, and footprint (RSS of the measuring process after "
              "everything; disk = the data dir: Chroma and the lexical index)",
              f"{'size':>5} {'system':<9}{'add 1 s':>9}{'add cpu s':>10}{'then ask s':>11}{'RSS MB':>9}{'disk MB':>9}"]
    for scale, by_system in results.items():
        for system in ("planbot", "baseline"):
            r = by_system[system]
            lines.append(f"{'×' + str(scale):>5} {system:<9}{_fmt(_get(r, 'add_one', 'seconds'), 9)}"
                         f"{_fmt(_get(r, 'add_one', 'cpu_seconds'), 10)}"
                         f"{_fmt(_get(r, 'add_one', 'first_answer_seconds'), 11)}"
                         f"{_fmt(_get(r, 'footprint', 'rss_mb'), 9)}{_fmt(_get(r, 'footprint', 'disk_mb'), 9)}")
    scales = list(results)
    if len(scales) > 1:
        first = scales[0]
        lines += ["", f"growth against the smallest size (×{first}); target: question cost at 2,000 plans "
                  "≤ 3× the cost at 4",
                  f"{'size':>5} {'system':<9}{'plans':>7}{'p50':>9}{'p95':>9}{'cpu p50':>9}{'1st ask':>9}"]
        for scale in scales:
            for system in ("planbot", "baseline"):
                a, z = results[first][system], results[scale][system]
                lines.append(f"{'×' + str(scale):>5} {system:<9}{_fmt(_get(z, 'ingest', 'plans'), 7)}"
                             f"{_ratio(_get(z, 'query', 'p50_ms'), _get(a, 'query', 'p50_ms')):>9}"
                             f"{_ratio(_get(z, 'query', 'p95_ms'), _get(a, 'query', 'p95_ms')):>9}"
                             f"{_ratio(_get(z, 'query', 'cpu_p50_ms'), _get(a, 'query', 'cpu_p50_ms')):>9}"
                             f"{_ratio(_get(z, 'cold', 'seconds'), _get(a, 'cold', 'seconds')):>9}")
        lines += ["", "growth from one size to the next (the corpus grows by the size ratio)",
                  f"{'step':>10} {'system':<9}{'ingest s':>10}{'ingest MB':>11}{'1st ask':>9}{'p50':>9}{'p95':>9}"]
        for small, large in zip(scales, scales[1:], strict=False):
            for system in ("planbot", "baseline"):
                a, z = results[small][system], results[large][system]
                lines.append(f"{f'×{small}→×{large}':>10} {system:<9}"
                             f"{_ratio(_get(z, 'ingest', 'seconds'), _get(a, 'ingest', 'seconds')):>10}"
                             f"{_ratio(_get(z, 'ingest', 'peak_mb'), _get(a, 'ingest', 'peak_mb')):>11}"
                             f"{_ratio(_get(z, 'cold', 'seconds'), _get(a, 'cold', 'seconds')):>9}"
                             f"{_ratio(_get(z, 'query', 'p50_ms'), _get(a, 'query', 'p50_ms')):>9}"
                             f"{_ratio(_get(z, 'query', 'p95_ms'), _get(a, 'query', 'p95_ms')):>9}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,100", help="corpus scales, comma-separated")
    parser.add_argument("--questions", type=int, default=30, help="questions timed per size")
    parser.add_argument("--store", choices=["memory", "chroma"], default="memory",
                        help="planbot's store: in memory (like the baseline) or embedded Chroma on disk")
    parser.add_argument("--timeout", type=float, default=240, help="seconds allowed per size and system")
    parser.add_argument("--json", dest="json_out", help="also write the figures here")
    parser.add_argument("--worker", choices=["planbot", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "planbot":
        worker_planbot(args.scale, args.questions, args.store)
        return 0
    if args.worker == "baseline":
        worker_baseline(args.scale, args.questions)
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results: dict[int, dict[str, dict]] = {}
    for scale in sizes:
        results[scale] = {}
        for system in ("planbot", "baseline"):
            started = time.perf_counter()
            results[scale][system] = _run_worker(system, scale, args)
            print(f"×{scale} {system}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    print(report(results, args.store))
    if args.json_out:
        Path(args.json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json_out).write_text(json.dumps({"store": args.store, "questions": args.questions,
                                                   "results": results}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
