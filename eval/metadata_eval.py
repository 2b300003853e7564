"""Metadata accuracy: each plan's header fields (index/metadata.py) against eval/gold/metadata.jsonl,
written by hand from the texts of the sample plans and of the real plans in ../shared/plans."""

from __future__ import annotations

import json
from pathlib import Path

from eval.metrics import GOLD_DIR
from index.structure import parse_plan
from planbot import PROJECT_ROOT, SAMPLE_PLANS_DIR

METADATA_GOLD = GOLD_DIR / "metadata.jsonl"
# The development set of real plans lives beside the project and is never copied into it.
SHARED_PLANS_DIR = PROJECT_ROOT.parent / "shared" / "plans"
FIELDS = ("province", "number", "signed", "years", "issuer", "place")


def load_metadata_gold(path: Path = METADATA_GOLD) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def plan_texts(dirs: tuple[Path, ...] = (SAMPLE_PLANS_DIR, SHARED_PLANS_DIR)) -> dict[str, str]:
    """Every plan file found in `dirs` (a missing folder is skipped), by file name."""
    texts: dict[str, str] = {}
    for directory in dirs:
        if directory.is_dir():
            for path in sorted(directory.glob("*.txt")):
                texts[path.name] = path.read_text(encoding="utf-8")
    return texts


def _value(meta, name: str):
    value = getattr(meta, name)
    if name == "years":
        return list(value) or None
    return value


def metadata_scores(texts: dict[str, str] | None = None, gold: list[dict] | None = None) -> dict:
    """Exact match per field over the gold plans whose text is available, with every difference."""
    texts = plan_texts() if texts is None else texts
    gold = load_metadata_gold() if gold is None else gold
    rows = [g for g in gold if g["source"] in texts]
    fields: dict[str, dict[str, int]] = {f: {"exact": 0, "total": 0} for f in FIELDS}
    diffs: list[dict] = []
    for row in rows:
        meta = parse_plan(texts[row["source"]], row["source"]).meta
        for name in FIELDS:
            if name not in row:
                continue
            got, want = _value(meta, name), row[name]
            fields[name]["total"] += 1
            if got == want:
                fields[name]["exact"] += 1
            else:
                diffs.append({"source": row["source"], "field": name, "gold": want, "got": got})
    return {"plans": len(rows), "fields": fields, "differences": diffs}


def metadata_table(scores: dict) -> str:
    head = f"metadata exact match on {scores['plans']} plans: "
    parts = [f"{name} {v['exact']}/{v['total']}" for name, v in scores["fields"].items() if v["total"]]
    lines = [head + ", ".join(parts)]
    for d in scores["differences"][:20]:
        lines.append(f"  {d['source']} {d['field']}: gold {d['gold']!r} got {d['got']!r}")
    return "\n".join(lines)
