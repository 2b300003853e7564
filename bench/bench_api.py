"""Latency and throughput of `POST /v1/ask` (extractive answers, sample corpus) against the same
question answered in-process, with 1, 8 and 32 concurrent clients.

    .venv/bin/python bench/bench_api.py [--clients 1,8,32] [--seconds 8] [--rounds 4] [--scale 1] [--json OUT]

The server is `planbot serve`'s stack (create_app + uvicorn, one process, access log off as behind
a proxy that logs) in a subprocess, on an in-memory index of the sample plans with caches warmed.
With --scale N above 1 the index (4·N plans, embedded Chroma) is ingested first by a process of its
own, and the server then opens it as `planbot serve` opens an existing data dir: its RSS (now and
high-water) is that of a server, not of an ingestion.
The clients are threads with one keep-alive `httpx.Client` each, in this process. The baseline is
`Assistant.ask(question, mode="extractive")` called by the same number of threads in this process:
the ratio of the two is what HTTP, JSON, authentication and the conversation store cost. On a
2-core machine the client threads and the server share the cores, as a co-located help-desk
integration would.

Two kinds of figures:
- wall clock (p50, p95, requests/s): what a client sees. Other processes on the machine skew them,
  so each level alternates short in-process and HTTP rounds (`--rounds`) and merges them: both
  sides see the same background load, on average.
- CPU time per request: the server process's CPU time over the HTTP rounds against this process's
  over the in-process rounds (psutil), each divided by its requests. It is what the HTTP layer
  really adds, and it barely moves with background load.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

QUESTION = ("Các cơ quan phải gửi báo cáo về đâu và trước ngày nào theo kế hoạch thông tin đối ngoại năm 2024 "
            "của Thừa Thiên Huế?")
KEY = "bench-key"


def build(data_dir: str, scale: int = 1, chroma: str | None = None):
    """The sample corpus in memory (scale 1), or `scale` copies of it (bench_ingest_query's
    replicated corpus) in embedded Chroma at `chroma`, ingested by the first process to build it
    and read by the other (with its own lexical index in its own data dir)."""
    from index.embedders import HashingEmbedder
    from index.store import ChromaStore, InMemoryStore
    from planbot import SAMPLE_PLANS_DIR
    from planbot.factory import build_app
    from planbot.settings import Settings

    settings = Settings(_env_file=None, data_dir=data_dir, llm="none", ask_keys=KEY,
                        rate_limit_per_minute=10_000_000)
    store = ChromaStore.embedded(Path(chroma)) if chroma else InMemoryStore()
    app = build_app(settings, store=store, embedder=HashingEmbedder(), generator=None)
    if scale > 1:
        from bench_ingest_query import replicated_corpus

        if store.snapshot() is None:
            app.ingestor.ingest_texts(replicated_corpus(scale), progress=False)
    else:
        app.ingestor.ingest_paths([SAMPLE_PLANS_DIR], progress=False)
    app.warm_up()
    return app


def serve_forever(port: int, data_dir: str, scale: int = 1, chroma: str | None = None) -> None:
    import uvicorn

    from bot.api import create_app

    api = create_app(build(data_dir, scale, chroma))
    uvicorn.run(api, host="127.0.0.1", port=port, log_level="warning", access_log=False, server_header=False)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Load:
    """Accumulates the rounds of one side (in-process or HTTP) at one concurrency level."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.elapsed = 0.0
        self.cpu = 0.0

    def summary(self) -> dict[str, float]:
        n = len(self.latencies)
        return {"requests": n, "errors": self.errors, "rps": n / self.elapsed,
                "p50_ms": 1000 * statistics.median(self.latencies), "p95_ms": 1000 * percentile(self.latencies, 0.95),
                "cpu_ms_per_request": 1000 * self.cpu / n}


def run_round(states: list[dict], seconds: float, call: Callable[[dict], bool], into: Load,
              cpu_seconds: Callable[[], float]) -> None:
    """One thread per entry of `states` calling `call(state)` back to back for `seconds`."""
    clients = len(states)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    gate = threading.Barrier(clients + 1)
    stop_at = [float("inf")]

    def worker(i: int) -> None:
        call(states[i])  # warm-up (connection set-up on the first round), not measured
        gate.wait()
        while time.perf_counter() < stop_at[0]:
            began = time.perf_counter()
            ok = call(states[i])
            latencies[i].append(time.perf_counter() - began)
            errors[i] += 0 if ok else 1

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    cpu_before = cpu_seconds()
    gate.wait()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    for thread in threads:
        thread.join()
    into.elapsed += time.perf_counter() - began
    into.cpu += cpu_seconds() - cpu_before
    for per in latencies:
        into.latencies.extend(per)
    into.errors += sum(errors)


def high_water_mb(pid: int) -> float:
    """The process's peak RSS (VmHWM), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_of(process) -> Callable[[], float]:
    def total() -> float:
        times = process.cpu_times()
        return times.user + times.system
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per side and level")
    parser.add_argument("--rounds", type=int, default=4, help="alternations of in-process and HTTP per level")
    parser.add_argument("--scale", type=int, default=1,
                        help="copies of the sample corpus (4 plans each), in embedded Chroma when above 1")
    parser.add_argument("--chroma", metavar="DIR",
                        help="with --scale: an embedded Chroma dir already holding that corpus (reused, not ingested)")
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    levels = [int(x) for x in args.clients.split(",")]

    import socket
    import tempfile

    import httpx
    import psutil

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data_dir = tempfile.mkdtemp(prefix="planbot-bench-")
    chroma = (args.chroma or str(Path(data_dir) / "chroma")) if args.scale > 1 else None
    if chroma and not args.chroma:  # ingest apart: the server's memory must be a server's
        started = time.perf_counter()
        builder = multiprocessing.get_context("spawn").Process(target=build, args=(data_dir, args.scale, chroma))
        builder.start()
        builder.join()
        if builder.exitcode != 0:
            print("building the index failed", file=sys.stderr)
            return 1
        print(f"ingested {4 * args.scale} plans in {time.perf_counter() - started:.0f} s (separate process)",
              flush=True)
    server = multiprocessing.get_context("spawn").Process(target=serve_forever, args=(port, data_dir, args.scale, chroma),
                                                          daemon=True)
    server.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120 * max(1, args.scale // 10)
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not server.is_alive():
            print("the server did not start", file=sys.stderr)
            return 1
        time.sleep(0.2)

    app = build(tempfile.mkdtemp(prefix="planbot-bench-") if chroma else data_dir, args.scale, chroma)
    expected = app.assistant.ask(QUESTION, mode="extractive").answer
    body = {"question": QUESTION, "mode": "extractive"}
    headers = {"Authorization": f"Bearer {KEY}"}
    server_cpu = cpu_of(psutil.Process(server.pid))
    own_cpu = cpu_of(psutil.Process())

    def in_process(state: dict) -> bool:
        return app.assistant.ask(QUESTION, mode="extractive").answer == expected

    def over_http(state: dict) -> bool:
        # not `setdefault(..., httpx.Client(...))`: that builds a client (and its TLS context, about 50 ms
        # of CPU) on every call, and measures the benchmark instead of the server
        if "client" not in state:
            state["client"] = httpx.Client(base_url=url, headers=headers, timeout=60)
        response = state["client"].post("/v1/ask", json=body)
        return response.status_code == 200 and response.json()["answer"] == expected

    rows = []
    load_before = os.getloadavg()[0]
    slice_seconds = args.seconds / args.rounds
    try:
        for clients in levels:
            base, http = Load(), Load()
            http_states: list[dict] = [{} for _ in range(clients)]
            for _ in range(args.rounds):
                run_round([{} for _ in range(clients)], slice_seconds, in_process, base, own_cpu)
                run_round(http_states, slice_seconds, over_http, http, server_cpu)
            for state in http_states:
                state["client"].close()
            b, h = base.summary(), http.summary()
            rows.append({"clients": clients, "in_process": b, "http": h,
                         "overhead_p50": h["p50_ms"] / b["p50_ms"] - 1,
                         "overhead_rps": b["rps"] / h["rps"] - 1,
                         "overhead_cpu": h["cpu_ms_per_request"] / b["cpu_ms_per_request"] - 1})
        server_rss_mb = psutil.Process(server.pid).memory_info().rss / 1_048_576
        server_peak_mb = high_water_mb(server.pid)
    finally:
        server.terminate()
        server.join(timeout=10)

    corpus = "sample corpus" if args.scale == 1 else f"{4 * args.scale} plans in embedded Chroma"
    print(f"POST /v1/ask, extractive, {corpus}; server RSS {server_rss_mb:.0f} MB "
          f"(high-water {server_peak_mb:.0f} MB; target at 2,000 plans <= 1024 MB); "
          f"{args.seconds:.0f} s per side and level in {args.rounds} "
          f"alternating rounds; {multiprocessing.cpu_count()} cores; load average before {load_before:.1f}, "
          f"after {os.getloadavg()[0]:.1f} (other processes on the machine skew the wall-clock figures)")
    print(f"{'clients':>7} | {'in-process p50/p95 ms':>21} {'req/s':>6} {'CPU ms':>6} | {'HTTP p50/p95 ms':>16} "
          f"{'req/s':>6} {'CPU ms':>6} {'errors':>6} | {'overhead p50':>12} {'req/s':>6} {'CPU':>5}")
    for row in rows:
        b, h = row["in_process"], row["http"]
        print(f"{row['clients']:>7} | {b['p50_ms']:>10.1f} / {b['p95_ms']:>8.1f} {b['rps']:>6.1f} "
              f"{b['cpu_ms_per_request']:>6.1f} | {h['p50_ms']:>7.1f} / {h['p95_ms']:>6.1f} {h['rps']:>6.1f} "
              f"{h['cpu_ms_per_request']:>6.1f} {h['errors']:>6} | {row['overhead_p50']:>+12.0%} "
              f"{row['overhead_rps']:>+6.0%} {row['overhead_cpu']:>+5.0%}")
    target = next((r for r in rows if r["clients"] == 8), None)
    if target:
        print(f"target at 8 clients: p95 {target['http']['p95_ms']:.0f} ms (< 200 ms: "
              f"{'yes' if target['http']['p95_ms'] < 200 else 'NO'}); HTTP overhead: req/s "
              f"{target['overhead_rps']:+.0%}, CPU per request {target['overhead_cpu']:+.0%} (< 20 %: "
              f"{'yes' if max(target['overhead_rps'], target['overhead_cpu']) < 0.20 else 'NO'})")
    if args.json:
        Path(args.json).write_text(json.dumps({"scale": args.scale, "server_rss_mb": server_rss_mb,
                                               "server_peak_mb": server_peak_mb, "levels": rows}, indent=1),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
