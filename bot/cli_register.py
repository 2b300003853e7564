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
    p.add_argument("--agency", metavar="NAME", help="only this agency's due dates (any spelling: \"Sở TT&TT\")")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--ics", action="store_true", help="print an iCalendar file: each due date, periodic ones at "
                     "each occurrence (90 days back to a year ahead, or --from/--to), alarms 7 days and 1 day before")
    p.set_defaults(func=cmd_deadlines)


def _app():
    # heavy: the whole app (chromadb, numpy, the readers); `planbot --help` loads none of it
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
        if r.directed_by:
            who += f" (do {r.directed_by} chỉ đạo)"
        if r.kind == "reporting":
            # a report the plan asks for without naming where it goes has no recipient
            who = f"{r.agency} → {r.recipient or '(kế hoạch không nêu nơi nhận)'}" + (f" (qua {r.via})" if r.via else "")
        when = _date_vi(r.due_date) if r.due_date else ", ".join(r.recurrence) or r.relative or ""
        print(f"{r.source:<26} {r.section:<9} {r.kind:<10} {who[:60]:<60} {when}")
    print(f"{len(records)} bản ghi.")
    return 0


def _resolve_agency(app, text: str) -> str | None:
    """The canonical agency, or None after saying in Vietnamese why there is none."""
    from rag.schedule import known_agencies, resolve_agency  # heavy: the register (index.store, numpy)

    match = resolve_agency(text, known_agencies(app.register.records()))
    if match.name:
        return match.name
    if match.ambiguous:
        print(f"Lỗi: “{text}” có thể là nhiều cơ quan: {'; '.join(match.candidates)}. Hãy ghi tên đầy đủ.",
              file=sys.stderr)
    else:
        hint = f" Có phải ý bạn là: {'; '.join(match.candidates)}?" if match.candidates else ""
        print(f"Lỗi: không tìm thấy cơ quan “{text}” trong các kế hoạch đang có.{hint}", file=sys.stderr)
    return None


def cmd_deadlines(args: argparse.Namespace) -> int:
    app = _app()
    agency = None
    if args.agency:
        agency = _resolve_agency(app, args.agency)
        if agency is None:
            return 2
    if args.ics:
        return _print_ics(app, agency, args.start, args.end)
    records = app.register.deadlines(args.start, args.end)
    from index.ocr_repair import display_form  # heavy: numpy, rapidfuzz and the repair model

    if agency:
        from rag.schedule import role_of  # heavy: the register (index.store, numpy)

        records = [r for r in records if role_of(r, agency)]
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


def _print_ics(app, agency: str | None, start: str | None, end: str | None) -> int:
    # heavy: icalendar and the register (index.store, numpy)
    from bot.ics import calendar_ics, feed_window
    from rag.schedule import due_dates, plan_end_years

    today = dt.datetime.now(app.settings.zone).date()
    first, last = feed_window(today)
    first = dt.date.fromisoformat(start) if start else first
    last = dt.date.fromisoformat(end) if end else last
    docs = app.library.documents()
    names = {d.meta.source: d.meta.short_name for d in docs}
    dues = due_dates(app.register.records(), first, last, agency, plan_end_years(docs))
    body = calendar_ics(dues, lambda s: names.get(s, s), agency, stamp=dt.datetime.now(dt.UTC).replace(microsecond=0),
                        timezone=app.settings.timezone)
    sys.stdout.buffer.write(body)
    sys.stdout.flush()
    return 0
