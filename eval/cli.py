"""`planbot eval`: accuracy of answers and retrieval on the gold questions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("eval", help="run the gold questions and print accuracy figures")
    p.add_argument("--suite", default=None, help="gold file name part, e.g. tth (default: all)")
    p.add_argument("--mode", choices=["extractive", "llm"], default="extractive")
    p.add_argument("--json", dest="json_out", metavar="OUT.json", help="write the full result here")
    p.set_defaults(func=cmd_eval)


def _table(result: dict) -> str:
    s = result["summary"]
    lines = [
        f"questions {s['questions']}  (answerable {s['answerable']}, unanswerable {s['unanswerable']})  "
        f"mode {result['mode']}  {result['seconds']} s",
        f"full (facts + right section, not abstained): {s['full']}/{s['answerable']}  "
        f"key facts: {s['key_facts']}/{s['answerable']}  citation: {s['citation']}/{s['answerable']}",
        f"abstention: {s['abstained_correctly']}/{s['unanswerable']} correct  precision {s['abstention_precision']}  "
        f"recall {s['abstention_recall']}",
        f"quotes verbatim: {s['quotes_verbatim']}  median answer: {s['median_answer_chars']} chars",
        "",
        f"{'kind':<14}{'n':>4}{'full':>6}{'facts':>7}{'cite':>6}{'abst':>6}",
    ]
    for kind, k in result["by_kind"].items():
        n = k["answerable"] or k["unanswerable"]
        lines.append(f"{kind:<14}{n:>4}{k['full']:>6}{k['key_facts']:>7}{k['citation']:>6}"
                     f"{k['abstained_correctly']:>6}")
    lines += ["", f"{'retriever':<16}{'R@1':>7}{'R@5':>7}{'R@10':>7}{'MRR':>7}"]
    for name, r in result["retrieval"].items():
        lines.append(f"{name:<16}{r['recall@1']:>7}{r['recall@5']:>7}{r['recall@10']:>7}{r['mrr']:>7}")
    return "\n".join(lines)


def cmd_eval(args: argparse.Namespace) -> int:
    from eval.metrics import load_gold
    from eval.runner import evaluate
    from planbot.factory import build_app
    from planbot.settings import get_settings

    items = load_gold(args.suite)
    if not items:
        print(f"Lỗi: không có câu hỏi chuẩn nào cho bộ {args.suite!r} trong eval/gold/", file=sys.stderr)
        return 2
    app = build_app(get_settings())
    app.ensure_index()
    result = evaluate(app, items, mode=args.mode)
    print(_table(result))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0
