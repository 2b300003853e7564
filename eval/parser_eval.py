"""Parser accuracy: each plan's parsed outline against its hand-checked outline in eval/gold/outlines."""

from __future__ import annotations

import json
from pathlib import Path

from eval.metrics import GOLD_DIR
from index.structure import parse_plan

OUTLINES_DIR = GOLD_DIR / "outlines"


def _entry(e: dict) -> tuple[str, int, str]:
    return (str(e["section"]), int(e["line"]), str(e["title"]))


def outline_scores(texts: dict[str, str], directory: Path = OUTLINES_DIR) -> dict:
    """Per plan: exact match of `parse_plan(...).outline()` with the gold outline, the share of gold
    entries (section, line, title) reproduced, and the first differences. Plans without a gold
    outline, and gold outlines whose plan is not given, are skipped."""
    plans: dict[str, dict] = {}
    for path in sorted(directory.glob("*.json")):
        source = path.stem + ".txt"
        if source not in texts:
            continue
        gold = json.loads(path.read_text(encoding="utf-8"))
        parsed = parse_plan(texts[source], source).outline()
        gold_entries = [_entry(e) for e in gold]
        parsed_entries = [_entry(e) for e in parsed]
        parsed_set, gold_set = set(parsed_entries), set(gold_entries)
        missing = [e for e in gold_entries if e not in parsed_set]
        extra = [e for e in parsed_entries if e not in gold_set]
        plans[source] = {
            "exact": parsed == gold,
            "gold_sections": len(gold_entries),
            "parsed_sections": len(parsed_entries),
            "entries_matched": len(gold_entries) - len(missing),
            "missing": [{"section": s, "line": n, "title": t} for s, n, t in missing[:10]],
            "extra": [{"section": s, "line": n, "title": t} for s, n, t in extra[:10]],
        }
    return {"exact": sum(p["exact"] for p in plans.values()), "plans_total": len(plans), "plans": plans}
