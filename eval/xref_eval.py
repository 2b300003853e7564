"""Cross-reference resolution (index/xrefs.py) against eval/gold/xrefs.jsonl: references written by
hand from the plan texts, each with the section path it points to (null: another document's, or a
part the file does not contain)."""

from __future__ import annotations

import json
from pathlib import Path

from eval.metadata_eval import plan_texts
from eval.metrics import GOLD_DIR
from index.structure import parse_plan
from index.xrefs import find_xrefs

XREF_GOLD = GOLD_DIR / "xrefs.jsonl"


def load_xref_gold(path: Path = XREF_GOLD) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def xref_scores(texts: dict[str, str] | None = None, gold: list[dict] | None = None) -> dict:
    """Precision and recall of resolved (source, line, target) triples on the plans the gold covers:
    a resolved reference is right when the gold has that target on that line."""
    texts = plan_texts() if texts is None else texts
    gold = load_xref_gold() if gold is None else gold
    sources = sorted({g["source"] for g in gold if g["source"] in texts})
    expected = {(g["source"], int(g["line"]), g["target"]) for g in gold if g["source"] in texts and g["target"]}
    found: set[tuple[str, int, str]] = set()
    for source in sources:
        plan = parse_plan(texts[source], source)
        for ref in find_xrefs(plan):
            found.update((source, ref.line, target) for target in ref.targets)
    right = found & expected
    return {
        "plans": len(sources), "gold": len(expected), "found": len(found), "right": len(right),
        "precision": len(right) / len(found) if found else 1.0,
        "recall": len(right) / len(expected) if expected else 1.0,
        "wrong": sorted(found - expected), "missed": sorted(expected - found),
    }


def xref_table(scores: dict) -> str:
    lines = [f"cross-references on {scores['plans']} plans: gold {scores['gold']}, resolved {scores['found']}, "
             f"right {scores['right']}  P {scores['precision']:.3f}  R {scores['recall']:.3f}"]
    lines += [f"  wrong: {s} l.{n} → {t}" for s, n, t in scores["wrong"][:10]]
    lines += [f"  missed: {s} l.{n} → {t}" for s, n, t in scores["missed"][:10]]
    return "\n".join(lines)
