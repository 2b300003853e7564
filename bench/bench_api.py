"""Latency and throughput of `POST /v1/ask` (extractive answers, sample corpus) against the same
question answered in-process, with 1, 8 and 32 concurrent clients.

    .venv/bin/python bench/bench_api.py [--clients 1,8,32] [--seconds 8] [--json OUT]

The server is `planbot serve`'s stack (create_app + uvicorn, one process, access log off as behind
a proxy that logs) in a subprocess, on an in-memory index of the sample plans with caches warmed.
The clients are threads with one keep-alive `httpx.Client` each, in this process. The baseline is
`Assistant.ask(question, mode="extractive")` called by the same number of threads in this process:
the ratio of the two is what HTTP, JSON, authentication and the conversation store cost. On a
2-core machine the client threads and the server share the cores, as a co-located help-desk
integration would.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUESTION = ("Các cơ quan phải gửi báo cáo về đâu và trước ngày nào theo kế hoạch thông tin đối ngoại năm 2024 "
            "của Thừa Thiên Huế?")
KEY = "bench-key"


def build(data_dir: str):
    from index.embedders import HashingEmbedder
    from index.store import InMemoryStore
    from planbot import SAMPLE_PLANS_DIR
    from planbot.factory import build_app
    from planbot.settings import Settings

    settings = Settings(_env_file=None, data_dir=data_dir, llm="none", ask_keys=KEY,
                        rate_limit_per_minute=10_000_000)
    app = build_app(settings, store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    app.ingestor.ingest_paths([SAMPLE_PLANS_DIR], progress=False)
    from bot.api.deps import warm_up

    warm_up(app)
    return app


def serve_forever(port: int, data_dir: str) -> None:
    import uvicorn

    from bot.api import create_app

    api = create_app(build(data_dir))
    uvicorn.run(api, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_load(clients: int, seconds: float, call) -> dict[str, float]:
    """`clients` threads calling `call(worker_state)` back to back for `seconds`."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    start_gate = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def worker(i: int) -> None:
        state: dict = {}
        call(state)  # per-thread warm-up (connection set-up), not measured
        start_gate.wait()
        while time.perf_counter() < stop_at[0]:
            began = time.perf_counter()
            ok = call(state)
            latencies[i].append(time.perf_counter() - began)
            errors[i] += 0 if ok else 1

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds + 3600  # set properly once everyone is ready
    start_gate.wait()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    flat = [x for per in latencies for x in per]
    return {"requests": len(flat), "errors": sum(errors), "rps": len(flat) / elapsed,
            "p50_ms": 1000 * statistics.median(flat), "p95_ms": 1000 * percentile(flat, 0.95)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    levels = [int(x) for x in args.clients.split(",")]

    import socket
    import tempfile

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data_dir = tempfile.mkdtemp(prefix="planbot-bench-")
    server = multiprocessing.get_context("spawn").Process(target=serve_forever, args=(port, data_dir), daemon=True)
    server.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
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

    app = build(data_dir)
    expected = app.assistant.ask(QUESTION, mode="extractive").answer
    body = {"question": QUESTION, "mode": "extractive"}
    headers = {"Authorization": f"Bearer {KEY}"}

    def in_process(state: dict) -> bool:
        return app.assistant.ask(QUESTION, mode="extractive").answer == expected

    def over_http(state: dict) -> bool:
        client = state.setdefault("client", httpx.Client(base_url=url, headers=headers, timeout=60))
        response = client.post("/v1/ask", json=body)
        return response.status_code == 200 and response.json()["answer"] == expected

    rows = []
    load_before = os.getloadavg()[0]
    try:
        for clients in levels:
            base = run_load(clients, args.seconds, in_process)
            http = run_load(clients, args.seconds, over_http)
            rows.append({"clients": clients, "in_process": base, "http": http,
                         "overhead_p50": http["p50_ms"] / base["p50_ms"] - 1,
                         "overhead_rps": base["rps"] / http["rps"] - 1})
    finally:
        server.terminate()
        server.join(timeout=10)

    print(f"POST /v1/ask, extractive, sample corpus; {args.seconds:.0f} s per run; "
          f"{multiprocessing.cpu_count()} cores; load average before {load_before:.1f}, after "
          f"{os.getloadavg()[0]:.1f} (other processes on the machine skew every figure)")
    print(f"{'clients':>7} | {'in-process p50/p95 ms':>22} {'req/s':>7} | {'HTTP p50/p95 ms':>16} {'req/s':>7} "
          f"{'errors':>6} | {'overhead p50':>12} {'overhead req/s':>14}")
    for row in rows:
        b, h = row["in_process"], row["http"]
        print(f"{row['clients']:>7} | {b['p50_ms']:>10.1f} / {b['p95_ms']:>8.1f} {b['rps']:>7.1f} | "
              f"{h['p50_ms']:>7.1f} / {h['p95_ms']:>6.1f} {h['rps']:>7.1f} {h['errors']:>6} | "
              f"{row['overhead_p50']:>+11.0%} {row['overhead_rps']:>+13.0%}")
    target = next((r for r in rows if r["clients"] == 8), None)
    if target:
        print(f"target at 8 clients: p95 {target['http']['p95_ms']:.0f} ms (< 200 ms: "
              f"{'yes' if target['http']['p95_ms'] < 200 else 'NO'}), overhead in req/s "
              f"{target['overhead_rps']:+.0%} (< 20 %: {'yes' if target['overhead_rps'] < 0.20 else 'NO'})")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
