"""`planbot eval --compare old.json`: what changed between two runs."""

from __future__ import annotations

from eval.report import SUMMARY_ROWS, correct, summary_value


def _figures(result: dict) -> dict[str, tuple[str, float | None]]:
    """Every comparable figure of a run, by a stable name."""
    out: dict[str, tuple[str, float | None]] = {}
    for label, key, kind in SUMMARY_ROWS:
        out[label] = summary_value(result.get("summary", {}), key, kind)
        if result.get("baseline"):
            out[f"baseline {label}"] = summary_value(result["baseline"]["summary"], key, kind)
    retrievers = dict(result.get("retrieval", {})) | dict((result.get("baseline") or {}).get("retrieval", {}))
    for name, r in retrievers.items():
        for metric in ("recall@1", "recall@5", "recall@10", "mrr"):
            if metric in r:
                out[f"{name} {metric}"] = (str(r[metric]), float(r[metric]))
    parser = result.get("parser")
    if parser:
        out["parser outlines exact"] = (f"{parser['exact']}/{parser['plans_total']}", float(parser["exact"]))
    for kind, r in (result.get("register") or {}).items():
        out[f"register {kind} precision"] = (str(r["precision"]), float(r["precision"]))
        out[f"register {kind} recall"] = (str(r["recall"]), float(r["recall"]))
    return out


def compare(old: dict, new: dict) -> str:
    lines = [f"{'figure':<58}{'old':>16}{'new':>16}{'change':>10}"]
    before, after = _figures(old), _figures(new)
    for name in [*after, *[n for n in before if n not in after]]:
        (old_text, old_value), (new_text, new_value) = before.get(name, ("–", None)), after.get(name, ("–", None))
        if old_value is None or new_value is None:
            change = "new" if old_value is None else "gone"
        elif new_value == old_value:
            change = ""
        elif "%" in new_text:  # counts are compared by their share of answerable questions
            change = f"{(new_value - old_value) * 100:+.1f} pt"
        else:
            change = f"{new_value - old_value:+.4g}"
        lines.append(f"{name:<58}{old_text:>16}{new_text:>16}{change:>10}")

    old_items = {i["id"]: i for i in old.get("items", [])}
    new_items = {i["id"]: i for i in new.get("items", [])}
    worse = [i for i in new_items.values() if i["id"] in old_items and correct(old_items[i["id"]]) and not correct(i)]
    better = [i for i in new_items.values() if i["id"] in old_items and not correct(old_items[i["id"]]) and correct(i)]
    lines += ["", f"right → wrong ({len(worse)}):"]
    lines += [f"  {i['id']:<10} [{i['kind']}] {i['question']}" for i in worse] or ["  none"]
    lines += [f"wrong → right ({len(better)}):"]
    lines += [f"  {i['id']:<10} [{i['kind']}] {i['question']}" for i in better] or ["  none"]
    only_old = sorted(old_items.keys() - new_items.keys())
    only_new = sorted(new_items.keys() - old_items.keys())
    if only_old or only_new:
        lines += [f"only in old run: {', '.join(only_old) or 'none'}; only in new run: {', '.join(only_new) or 'none'}"]
    return "\n".join(lines)
