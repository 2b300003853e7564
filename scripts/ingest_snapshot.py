"""Everything ingestion makes of some plans, written to JSON, to check that a change meant to be
faster (or a refactoring) changes none of it: run it on two checkouts and compare.

    .venv/bin/python scripts/ingest_snapshot.py OUT.json [PLAN.txt|FOLDER ...]
    .venv/bin/python scripts/ingest_snapshot.py --compare BEFORE.json AFTER.json

Default plans: the bundled sample plans and ../shared/plans when present. Per plan it keeps the
metadata, outline, cross-references, every chunk (id, text, metadata with the facts JSON, search
text), the register rows, the injection flags and a digest of the offline embedder's vectors
(float32 bytes); --compare names every plan and field that differs. Each plan is read the way
ingestion reads it (index/parsing.read_plan) when that exists, else step by step.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from planbot import PROJECT_ROOT, SAMPLE_PLANS_DIR  # noqa: E402


def _plans(paths: list[str]) -> list[Path]:
    if not paths:
        shared = PROJECT_ROOT.parent / "shared" / "plans"
        folders = [SAMPLE_PLANS_DIR, *([shared] if shared.is_dir() else [])]
        return [p for folder in folders for p in sorted(folder.glob("*.txt"))]
    out: list[Path] = []
    for path in map(Path, paths):
        out.extend(sorted(path.glob("*.txt")) if path.is_dir() else [path])
    return out


def snapshot(files: list[Path]) -> dict[str, dict]:
    from index.chunking import chunk_plan
    from index.embedders import HashingEmbedder
    from index.injection import scan_plan
    from index.obligations import extract_plan
    from index.structure import parse_plan

    embedder = HashingEmbedder()
    result: dict[str, dict] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        plan = parse_plan(text, path.name, sha)  # the tree: outline and cross-references
        try:
            from index.parsing import ParseFailure, read_plan  # what ingestion does with the text
        except ImportError:  # a checkout from before index/parsing.py
            chunks = chunk_plan(plan)
            rows = [r.to_dict() for r in extract_plan(chunks, plan.meta.province, plan.meta.year)]
            flags = scan_plan(plan)
        else:
            parsed = read_plan(path.name, text)
            if isinstance(parsed, ParseFailure):
                raise RuntimeError(f"{path.name}: {parsed.error}\n{parsed.trace}")
            chunks, rows, flags = parsed.chunks, list(parsed.rows), parsed.flags
        vectors = np.asarray(embedder.embed_documents([c.search_text() for c in chunks]), dtype=np.float32)
        query = np.asarray(embedder.embed_query(chunks[0].text if chunks else text[:200]), dtype=np.float32)
        result[path.name] = {
            "meta": dataclasses.asdict(plan.meta), "outline": plan.outline(), "header_lines": plan.header_lines,
            "xrefs": [repr(x) for x in plan.xrefs],
            "chunks": [{"id": c.chunk_id, "text": c.text, "meta": c.metadata(), "search": c.search_text()}
                       for c in chunks],
            "rows": rows, "flags": [dataclasses.asdict(f) | {"warning": f.warning()} for f in flags],
            "vectors_sha256": hashlib.sha256(vectors.tobytes()).hexdigest(),
            "query_vector_sha256": hashlib.sha256(query.tobytes()).hexdigest(),
        }
    return result


def compare(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    problems = [f"{name}: only in the first" for name in sorted(set(before) - set(after))]
    problems += [f"{name}: only in the second" for name in sorted(set(after) - set(before))]
    for name in sorted(set(before) & set(after)):
        problems += [f"{name}: {key} differs" for key in sorted(set(before[name]) | set(after[name]))
                     if before[name].get(key) != after[name].get(key)]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", help="where to write the snapshot (JSON)")
    parser.add_argument("plans", nargs="*", help="plan files or folders (default: samples and ../shared/plans)")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="compare two snapshots")
    args = parser.parse_args(argv)
    if args.compare:
        before, after = (json.loads(Path(p).read_text(encoding="utf-8")) for p in args.compare)
        problems = compare(before, after)
        print("\n".join(problems) or f"identical: {len(before)} plans")
        return 1 if problems else 0
    if not args.out:
        parser.error("give OUT.json, or --compare BEFORE AFTER")
    files = _plans(args.plans)
    result = snapshot(files)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    print(f"{len(files)} plans, {sum(len(r['chunks']) for r in result.values())} chunks, "
          f"{sum(len(r['rows']) for r in result.values())} register rows, "
          f"{sum(len(r['flags']) for r in result.values())} flags → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
