"""`planbot obligations` and `planbot deadlines`: the obligations register on the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys


def parse_user_date(text: str) -> str:
    """ISO date from "2024-11-15", "15/11/2024" or "15-11-2024"; a clear Vietnamese error otherwise."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text!r} (dùng dạng 15/11/2024 hoặc 2024-11-15)")


def register(sub) -> None:
    p = sub.add_parser("obligations", help="list the obligations register (who does what, reports to whom, by when)")
    p.add_argument("--doc", metavar="FILE", help="only this plan (file name)")
    p.add_argument("--agency", metavar="NAME", help="only records naming this agency (any spelling)")
    p.add_argument("--before", metavar="DATE", type=parse_user_date, help="only deadlines before this date")
    p.add_argument("--kind", choices=["assignment", "reporting", "deadline"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_obligations)

    p = sub.add_parser("deadlines", help="dated obligations across all plans, soonest first")
    p.add_argument("--from", dest="start", metavar="DATE", type=parse_user_date)
    p.add_argument("--to", dest="end", metavar="DATE", type=parse_user_date)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deadlines)


def _app():
    from planbot.factory import build_app
    from planbot.settings import get_settings

    app = build_app(get_settings())
    app.ensure_index()
    return app


def _date_vi(iso: str | None) -> str:
    if not iso:
        return "—"
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def cmd_obligations(args: argparse.Namespace) -> int:
    app = _app()
    if args.doc and app.library.document(args.doc) is None:
        print(f"Lỗi: không có kế hoạch {args.doc!r} trong chỉ mục", file=sys.stderr)
        return 2
    records = app.register.query(doc=args.doc, agency=args.agency, before=args.before, kind=args.kind)
    if args.json:
        sys.stdout.write(json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=1) + "\n")
        return 0
    for r in records:
        who = r.agency or ""
        if r.kind == "reporting":
            who = f"{r.agency} → {r.recipient}" + (f" (qua {r.via})" if r.via else "")
        when = _date_vi(r.due_date) if r.due_date else ", ".join(r.recurrence) or ""
        print(f"{r.source:<26} {r.section:<9} {r.kind:<10} {who[:60]:<60} {when}")
    print(f"{len(records)} bản ghi.")
    return 0


def cmd_deadlines(args: argparse.Namespace) -> int:
    app = _app()
    records = app.register.deadlines(args.start, args.end)
    from index.ocr_repair import display_form

    if args.json:
        # `quote` stays verbatim (it is what the register was read from); people read `quote_display`
        rows = [{**r.to_dict(), "quote_display": display_form(r.quote)} for r in records]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return 0
    if not records:
        print("Không có thời hạn nào trong khoảng đã chọn.")
        return 0
    for r in records:
        doc = app.library.document(r.source)
        name = doc.meta.short_name if doc else r.source
        who = r.agency or "các cơ quan, đơn vị"
        print(f"{_date_vi(r.due_date)}  {name} · {r.section_label}: {who} — “{display_form(r.quote)[:120]}”")
    return 0
