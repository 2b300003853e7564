"""Readable forms of an eval result: the console table and a self-contained HTML report
(inline CSS and SVG, no script, no network), written next to the JSON."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

SUMMARY_ROWS = [  # (label, key, kind): kind says how to show the number
    ("full accuracy (facts + section, not abstained)", "full", "count"),
    ("key-fact accuracy", "key_facts", "count"),
    ("citation accuracy (plan + section)", "citation", "count"),
    ("answered wrong (facts missing, or not declined)", "answered_wrong", "of_all"),
    ("answerable questions declined", "declined_answerable", "count"),
    ("evidence recall (facts all in LLM evidence)", "evidence_recall", "rate"),
    ("median LLM evidence (chars)", "median_evidence_chars", "int"),
    ("max LLM evidence (chars)", "max_evidence_chars", "int"),
    ("abstention precision", "abstention_precision", "rate"),
    ("abstention recall", "abstention_recall", "rate"),
    ("quotes found verbatim", "quotes_verbatim", "rate"),
    ("median answer length (chars)", "median_answer_chars", "int"),
    ("p95 answer length (chars)", "p95_answer_chars", "int"),
    ("latency p50 (ms)", "p50_ms", "float"),
    ("latency p95 (ms)", "p95_ms", "float"),
]


def _rate(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def summary_value(summary: dict, key: str, kind: str) -> tuple[str, float | None]:
    """(shown text, comparable number) of one summary figure."""
    if key not in summary:
        return "–", None
    value = summary[key]
    if key == "abstention_precision" and summary.get("abstained") == 0:
        return "n/a (never)", None  # no abstention at all: precision is undefined, not perfect
    if kind == "count":
        rate = _rate(value, summary["answerable"])
        return f"{value}/{summary['answerable']} ({rate:.0%})", rate
    if kind == "of_all":
        rate = _rate(value, summary["questions"])
        return f"{value}/{summary['questions']} ({rate:.0%})", rate
    if kind == "rate":
        return f"{value:.3f}", float(value)
    if kind == "int":
        return str(int(value)), float(value)
    return f"{value:.1f}", float(value)


def kind_rates(k: dict) -> dict[str, float]:
    """The per-kind figures the charts show, as shares."""
    if k["answerable"]:
        return {"full": _rate(k["full"], k["answerable"]), "facts": _rate(k["key_facts"], k["answerable"]),
                "citation": _rate(k["citation"], k["answerable"])}
    return {"abstained": _rate(k["abstained_correctly"], k["unanswerable"])}


def kind_cells(k: dict) -> list[str]:
    """One kind's figures as shown: counts over the questions they apply to, '–' where undefined
    (no abstention precision without abstentions, no abstention recall without unanswerable ones)."""
    n = k["answerable"] or k["unanswerable"]

    def count(key: str) -> str:
        return f"{k[key]}/{k['answerable']}" if k["answerable"] else "–"

    return [str(n), count("full"), count("key_facts"), count("citation"),
            f"{k['abstention_precision']:.2f}" if k.get("abstained", 1) else "–",
            f"{k['abstention_recall']:.2f}" if k["unanswerable"] else "–",
            f"{k['quotes_verbatim']:.2f}", str(k["median_answer_chars"]) if k["answerable"] else "–"]


def correct(item: dict) -> bool:
    """Right for its kind: full accuracy when answerable, an abstention when not."""
    return bool(item["full"]) if item["answerable"] else bool(item["abstained"])


def _answered_by(result: dict) -> str:
    """' (answered: extractive 96)' when the answers' modes are not all the requested one."""
    modes = result.get("answer_modes") or {}
    if not modes or set(modes) == {result["mode"]}:
        return ""
    return " (answered: " + ", ".join(f"{m} {n}" for m, n in sorted(modes.items())) + ")"


# --- console ----------------------------------------------------------------------------------

def text_table(result: dict) -> str:
    s = result["summary"]
    base = result.get("baseline")
    b = base["summary"] if base else {}
    run = result.get("run", {})
    lines = [
        f"questions {s['questions']}  (answerable {s['answerable']}, unanswerable {s['unanswerable']})  "
        f"mode {result['mode']}{_answered_by(result)}  embedder {run.get('embedder', '?')}  {result['seconds']} s",
        "",
        f"{'':<48}{'planbot':>16}{'baseline':>16}",
    ]
    for label, key, kind in SUMMARY_ROWS:
        mine, _ = summary_value(s, key, kind)
        theirs, _ = summary_value(b, key, kind) if b else ("–", None)
        lines.append(f"{label:<48}{mine:>16}{theirs:>16}")
    def counts(k: dict) -> str:
        return f"{k['full']:>6}{k['key_facts']:>7}{k['citation']:>6}{k['abstained_correctly']:>6}"

    lines += ["", f"{'':<18}{'planbot':^25}" + (f"   {'baseline':^25}" if base else ""),
              f"{'kind':<14}{'n':>4}{'full':>6}{'facts':>7}{'cite':>6}{'abst':>6}"
              + (f"   {'full':>6}{'facts':>7}{'cite':>6}{'abst':>6}" if base else "")]
    for kind, k in result["by_kind"].items():
        row = f"{kind:<14}{k['answerable'] or k['unanswerable']:>4}{counts(k)}"
        if base and kind in base["by_kind"]:
            row += f"   {counts(base['by_kind'][kind])}"
        lines.append(row)
    lines += ["", f"{'retriever (section level)':<28}{'R@1':>8}{'R@5':>8}{'R@10':>8}{'MRR':>8}"]
    retrievers = dict(result["retrieval"]) | (dict(base["retrieval"]) if base else {})
    for name, r in retrievers.items():
        lines.append(f"{name:<28}{r['recall@1']:>8.4f}{r['recall@5']:>8.4f}{r['recall@10']:>8.4f}{r['mrr']:>8.4f}")
    parser = result.get("parser")
    if parser:
        marks = ", ".join(f"{src.removesuffix('.txt')} {'ok' if p['exact'] else 'DIFF'}"
                          f" ({p['entries_matched']}/{p['gold_sections']})" for src, p in parser["plans"].items())
        lines += ["", f"parser outline exact match: {parser['exact']}/{parser['plans_total']}  [{marks}]"]
    register = result.get("register")
    if register:
        lines += ["", f"{'register':<14}{'gold':>6}{'found':>7}{'match':>7}{'P':>8}{'R':>8}"]
        for kind, r in register.items():
            lines.append(f"{kind:<14}{r['gold']:>6}{r['extracted']:>7}{r['matched']:>7}"
                         f"{r['precision']:>8}{r['recall']:>8}")
    llm_items = [item for item in result.get("items", []) if item.get("llm")]
    if llm_items:  # --mode llm: per question, was the LLM's answer kept, how long, how many tokens
        lines += ["", f"{'question (LLM)':<52}{'answer':>10}{'seconds':>9}{'prompt':>8}{'reply':>7}"]
        for item in llm_items:
            llm = item["llm"]
            lines.append(f"{item['question'][:50]:<52}{'accepted' if llm['accepted'] else 'fallback':>10}"
                         f"{llm['seconds'] if llm['seconds'] is not None else '–':>9}"
                         f"{llm['prompt_tokens'] if llm['prompt_tokens'] is not None else '–':>8}"
                         f"{llm['reply_tokens'] if llm['reply_tokens'] is not None else '–':>7}")
    if base:
        lines += ["", f"baseline: {base['name']} ({base['chunks']} chunks)"]
    return "\n".join(lines)


# --- HTML -------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2rem auto;
max-width:72rem;padding:0 1rem;color:#1a202c;line-height:1.4}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #cbd5e0}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #cbd5e0;padding:.25rem .5rem;
text-align:right;vertical-align:top}th{background:#edf2f7}td.l,th.l{text-align:left}
.meta td{text-align:left}.ok{color:#276749}.bad{color:#c53030}.charts{display:flex;flex-wrap:wrap;gap:1rem}
figure{margin:0;border:1px solid #e2e8f0;padding:.5rem}figcaption{font-weight:600}
.fail{border:1px solid #e2e8f0;margin:.75rem 0;padding:.5rem .75rem}.fail pre{white-space:pre-wrap;font-family:inherit;
background:#f7fafc;padding:.5rem;margin:.25rem 0;max-height:18rem;overflow:auto}
.tag{display:inline-block;padding:0 .4rem;border-radius:.25rem;background:#edf2f7;margin-right:.25rem}
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}
"""
PLANBOT_COLOUR = "#2b6cb0"
BASELINE_COLOUR = "#a0aec0"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def bar_chart(kind: str, mine: dict[str, float], theirs: dict[str, float] | None) -> str:
    """An inline SVG: one group of bars per figure, planbot beside the baseline, 0–100 %."""
    width, height, top, bottom, left = 90 + 70 * len(mine), 170, 14, 34, 34
    plot = height - top - bottom
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{_e(kind)}">']
    for tick in (0, 0.5, 1.0):
        y = top + plot * (1 - tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 4}" y2="{y:.1f}" stroke="#e2e8f0"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{tick:.0%}</text>')
    for i, (name, value) in enumerate(mine.items()):
        x = left + 10 + i * 70
        bars = [(value, PLANBOT_COLOUR)] + ([(theirs.get(name, 0.0), BASELINE_COLOUR)] if theirs is not None else [])
        for j, (v, colour) in enumerate(bars):
            h = plot * max(0.0, min(1.0, v))
            bx = x + j * 26
            parts.append(f'<rect x="{bx}" y="{top + plot - h:.1f}" width="24" height="{h:.1f}" fill="{colour}">'
                         f'<title>{_e(name)}: {v:.0%}</title></rect>'
                         f'<text x="{bx + 12}" y="{top + plot - h - 2:.1f}" font-size="9" '
                         f'text-anchor="middle">{v:.0%}</text>')
        parts.append(f'<text x="{x + 25}" y="{height - 18}" font-size="11" text-anchor="middle">{_e(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _summary_html(result: dict) -> str:
    s = result["summary"]
    base = result.get("baseline")
    rows = ["<table><tr><th class=l>figure</th><th>planbot</th><th>baseline</th><th>gap</th></tr>"]
    for label, key, kind in SUMMARY_ROWS:
        mine, mv = summary_value(s, key, kind)
        theirs, tv = summary_value(base["summary"], key, kind) if base else ("–", None)
        gap = "–" if mv is None or tv is None else (
            f"{(mv - tv) * 100:+.1f} pt" if kind in ("count", "rate") else f"{mv - tv:+.1f}")
        rows.append(f"<tr><td class=l>{_e(label)}</td><td>{_e(mine)}</td><td>{_e(theirs)}</td><td>{_e(gap)}</td></tr>")
    rows.append("</table>")
    return "".join(rows)


def _kinds_html(result: dict) -> str:
    base = result.get("baseline")
    charts = []
    for kind, k in result["by_kind"].items():
        theirs = kind_rates(base["by_kind"][kind]) if base and kind in base["by_kind"] else None
        n = k["answerable"] or k["unanswerable"]
        charts.append(f"<figure><figcaption>{_e(kind)} (n={n})</figcaption>"
                      f"{bar_chart(kind, kind_rates(k), theirs)}</figure>")
    legend = (f'<p class=legend><span style="background:{PLANBOT_COLOUR}"></span>planbot'
              f'<span style="background:{BASELINE_COLOUR}"></span>baseline</p>')
    rows = ["<table><tr><th class=l>kind</th><th class=l>system</th><th>n</th><th>full</th><th>key facts</th>"
            "<th>citation</th><th>abstention precision</th><th>abstention recall</th><th>quotes verbatim</th>"
            "<th>median chars</th></tr>"]
    for kind, k in result["by_kind"].items():
        systems = [("planbot", k)] + ([("baseline", base["by_kind"][kind])] if base and kind in base["by_kind"] else [])
        for i, (system, figures) in enumerate(systems):
            head = f"<td class=l rowspan={len(systems)}>{_e(kind)}</td>" if i == 0 else ""
            rows.append(f"<tr>{head}<td class=l>{system}</td>"
                        + "".join(f"<td>{_e(c)}</td>" for c in kind_cells(figures)) + "</tr>")
    rows.append("</table>")
    return legend + '<div class="charts">' + "".join(charts) + "</div>" + "".join(rows)


def _retrieval_html(result: dict) -> str:
    base = result.get("baseline")
    rows = ["<table><tr><th class=l>retriever</th><th>R@1</th><th>R@5</th><th>R@10</th><th>MRR</th></tr>"]
    retrievers = dict(result["retrieval"]) | (dict(base["retrieval"]) if base else {})
    for name, r in retrievers.items():
        rows.append(f"<tr><td class=l>{_e(name)}</td><td>{r['recall@1']:.4f}</td><td>{r['recall@5']:.4f}</td>"
                    f"<td>{r['recall@10']:.4f}</td><td>{r['mrr']:.4f}</td></tr>")
    rows.append("</table><p>planbot ranks distinct sections of the plans the question names; the baseline "
                "ranks its fixed-size chunks over all plans, a chunk counting for every section it overlaps.</p>")
    return "".join(rows)


def _parser_html(parser: dict) -> str:
    rows = [f"<p>outline exact match: <b>{parser['exact']}/{parser['plans_total']}</b> plans</p>"
            "<table><tr><th class=l>plan</th><th>exact</th><th>gold entries reproduced</th><th>parsed</th>"
            "<th class=l>first differences</th></tr>"]
    for source, p in parser["plans"].items():
        diff = "; ".join([f"missing {d['section']} (l.{d['line']})" for d in p["missing"]]
                         + [f"extra {d['section']} (l.{d['line']})" for d in p["extra"]])
        mark = '<span class="ok">yes</span>' if p["exact"] else '<span class="bad">no</span>'
        rows.append(f"<tr><td class=l>{_e(source)}</td><td>{mark}</td><td>{p['entries_matched']}/{p['gold_sections']}</td>"
                    f"<td>{p['parsed_sections']}</td><td class=l>{_e(diff or '–')}</td></tr>")
    rows.append("</table>")
    return "".join(rows)


def _register_html(register: dict) -> str:
    rows = ["<table><tr><th class=l>kind</th><th>gold</th><th>extracted</th><th>matched</th>"
            "<th>precision</th><th>recall</th></tr>"]
    details = []
    for kind, r in register.items():
        rows.append(f"<tr><td class=l>{_e(kind)}</td><td>{r['gold']}</td><td>{r['extracted']}</td>"
                    f"<td>{r['matched']}</td><td>{r['precision']}</td><td>{r['recall']}</td></tr>")
        for title, entries in (("missed (in gold, not extracted)", r["missed"]),
                               ("spurious (extracted, not in gold)", r["spurious"])):
            if entries:
                items = "".join(f"<li>{_e(m['source'])} {_e(m['section'])}: {_e(m['fact'])}</li>" for m in entries)
                details.append(f"<details><summary>{_e(kind)}: {len(entries)} {_e(title)}</summary>"
                               f"<ul>{items}</ul></details>")
    rows.append("</table>")
    return "".join(rows) + "".join(details)


def _citations_html(citations: list[dict] | None) -> str:
    if not citations:
        return "<i>none</i>"
    seen = []
    for c in citations:
        label = f"{c.get('source')} {c.get('section')}" + (f" ({c['section_label']})" if c.get("section_label") else "")
        if label not in seen:
            seen.append(label)
    return "; ".join(_e(s) for s in seen)


def _failures_html(result: dict) -> str:
    base_items = {i["id"]: i for i in result["baseline"]["items"]} if result.get("baseline") else {}
    out = []
    failing = [i for i in result["items"] if not correct(i)]
    if not failing:
        return "<p>none</p>"
    for item in failing:
        flags = []
        if item["answerable"]:
            flags += [("key facts", item["key_facts"]), ("citation", item["citation"])]
            if item["abstained"]:
                flags.append(("abstained", False))
        else:
            flags.append(("abstained", item["abstained"]))
        tags = "".join(f'<span class="tag {"ok" if ok else "bad"}">{_e(name)} {"✓" if ok else "✗"}</span>'
                       for name, ok in flags)
        facts = " AND ".join("(" + " | ".join(group) + ")" for group in item.get("expected_facts") or [])
        gold = ", ".join(f"{g['source']} {g['section']}" for g in item.get("gold") or [])
        history = "".join(f"<div>earlier: {_e(h)}</div>" for h in item.get("history") or [])
        base = base_items.get(item["id"])
        base_line = f"<div>baseline: {'right' if correct(base) else 'wrong'}</div>" if base else ""
        out.append(
            f'<div class="fail"><div><b>{_e(item["id"])}</b> <span class="tag">{_e(item["kind"])}</span>{tags}</div>'
            f"{history}<div>question: {_e(item['question'])}</div>"
            f"<div>expected facts: {_e(facts or '– (should abstain)')}</div>"
            f"<div>gold sections: {_e(gold or '–')}</div>"
            f"<div>answered:</div><pre>{_e(item.get('answer') or '')}</pre>"
            f"<div>cited: {_citations_html(item.get('citations'))}</div>{base_line}</div>")
    return "".join(out)


def render_html(result: dict) -> str:
    run = result.get("run", {})
    meta_rows = [("started", run.get("started")), ("suite", run.get("suite")), ("mode", f"{result.get('mode')}{_answered_by(result)}"),
                 ("git commit", f"{run.get('git_commit') or 'unknown'}{' (uncommitted changes)' if run.get('git_dirty') else ''}"),
                 ("embedder", run.get("embedder")), ("answer prompt", f"{run.get('prompt')} ({run.get('prompt_sha256')})"),
                 ("LLM", f"{run.get('llm')} / {run.get('ollama_model')}"), ("fusion weight", run.get("fusion_weight")),
                 ("baseline", (result.get("baseline") or {}).get("name", "not run")),
                 ("run time", f"{result.get('seconds')} s")]
    meta = "<table class=meta>" + "".join(f"<tr><th class=l>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in meta_rows) + "</table>"
    s = result["summary"]
    sections = [
        f"<h1>planbot eval: {s['full']}/{s['answerable']} fully right, "
        f"{s['abstained_correctly']}/{s['unanswerable']} abstentions right</h1>", meta,
        "<h2>Answers</h2>", _summary_html(result),
        "<h2>By question kind</h2>", _kinds_html(result),
        "<h2>Retrieval</h2>", _retrieval_html(result),
    ]
    if result.get("parser"):
        sections += ["<h2>Parser</h2>", _parser_html(result["parser"])]
    if result.get("register"):
        sections += ["<h2>Obligations register</h2>", _register_html(result["register"])]
    sections += ["<h2>Failing questions</h2>", _failures_html(result)]
    return ("<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<title>planbot eval {_e(run.get('started', ''))}</title><style>{_CSS}</style></head><body>"
            + "".join(sections) + "</body></html>\n")


def write_report(result: dict, json_path: Path, html_path: Path | None = None) -> tuple[Path, Path]:
    """Write the JSON result and its HTML report (beside the JSON unless a path is given)."""
    json_path = Path(json_path)
    html_path = Path(html_path) if html_path else json_path.with_suffix(".html")
    json_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    html_path.write_text(render_html(result), encoding="utf-8")
    return json_path, html_path
