"""What a Chroma write costs by what its records hold: the reason index/store/ stores plan
records, membership pieces and register rows compressed (zlib, base64) rather than as JSON.

Writes the same records, 8 to an upsert as a build writes a batch's plan records, into a fresh
embedded collection: once as the JSON of real chunks of the sample plans (Vietnamese text), once
that JSON as the store packs it (`index.store.chroma.codec.packed`). Prints the time of the first and the last
upserts and of all of them, and the ratio JSON / compressed, from the same run.

    .venv/bin/python bench/bench_chroma_records.py [--records 800] [--per-upsert 8]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval.replicate import replicated_corpus  # noqa: E402
from index.parsing import read_plan  # noqa: E402
from index.store import _packed  # noqa: E402


def sample_records(n: int) -> list[str]:
    """n chunk JSONs of the replicated sample plans (about 1.7 KB of Vietnamese each)."""
    out: list[str] = []
    scale = 1
    while len(out) < n:
        out = []
        for source, text in replicated_corpus(scale).items():
            out.extend(chunk.stored_json for chunk in read_plan(source, text).chunks)
        scale *= 2
    return out[:n]


def write(documents: list[str], per_upsert: int) -> list[float]:
    """Seconds of each upsert of per_upsert records into a new collection."""
    import chromadb

    client = chromadb.PersistentClient(path=tempfile.mkdtemp(prefix="planbot-bench-records-"))
    collection = client.get_or_create_collection("bench-records", embedding_function=None)
    seconds = []
    for start in range(0, len(documents), per_upsert):
        part = documents[start: start + per_upsert]
        began = time.perf_counter()
        collection.upsert(ids=[f"plan:{start + i}" for i in range(len(part))], documents=part,
                          metadatas=[{"kind": "plan", "plan": str(start + i)} for i in range(len(part))],
                          embeddings=[[1.0]] * len(part))
        seconds.append(time.perf_counter() - began)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=800)
    parser.add_argument("--per-upsert", type=int, default=8)
    args = parser.parse_args()
    records = sample_records(args.records)
    runs = {"JSON": write(records, args.per_upsert),
            "compressed": write([_packed(r) for r in records], args.per_upsert)}
    print(f"{len(records)} records, {args.per_upsert} per upsert, "
          f"mean {statistics.mean(map(len, records)):.0f} characters of JSON")
    print(f"{'records as':12} {'first 5 ms':>11} {'last 5 ms':>10} {'total s':>8}")
    for name, seconds in runs.items():
        print(f"{name:12} {statistics.mean(seconds[:5]) * 1000:11.1f} {statistics.mean(seconds[-5:]) * 1000:10.1f} "
              f"{sum(seconds):8.2f}")
    print(f"JSON / compressed: last upserts {statistics.mean(runs['JSON'][-5:]) / statistics.mean(runs['compressed'][-5:]):.1f}x, "
          f"total {sum(runs['JSON']) / sum(runs['compressed']):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
