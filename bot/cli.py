"""The `planbot` command line (see docs/contract.md for the contract it implements)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from planbot import SAMPLE_PLANS_DIR

log = logging.getLogger("planbot")


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs full request URLs, and Telegram's contain the bot token.
    for noisy in ("httpx", "httpcore", "chromadb", "telegram.ext.Updater"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _app():
    # heavy: the whole app (chromadb, numpy, the readers); `planbot --help` loads none of it
    from planbot.factory import build_app
    from planbot.settings import get_settings

    return build_app(get_settings())


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


# --- commands ---------------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace) -> int:
    app = _app()
    paths = [Path(p) for p in args.paths] or [SAMPLE_PLANS_DIR]
    report = app.ingestor.ingest_paths(paths, prune=args.prune)
    if args.json:
        _print_json({"generation": report.generation, "seconds": round(report.seconds, 3),
                     "files": [r.__dict__ for r in report.results]})
    else:
        labels = {"added": "đã thêm", "updated": "đã cập nhật", "unchanged": "không đổi",
                  "removed": "đã xóa", "error": "LỖI"}
        for r in report.results:
            detail = f" ({r.chunks} đoạn)" if r.chunks else ""
            line = f"{labels[r.status]:>12}  {r.source}{detail}"
            if r.message:
                line += f": {r.message}" if r.status != "error" else ""
            print(line if r.status != "error" else f"{labels[r.status]:>12}  {r.message}")
        verb = "Không có thay đổi." if not report.changed else f"Xong trong {report.seconds:.1f} giây."
        print(verb)
    return 1 if report.errors else 0


def cmd_outline(args: argparse.Namespace) -> int:
    # heavy: the plan readers (lxml, pdfplumber, PIL)
    from index.ingest import IngestError, read_plan_file
    from index.readers import default_readers
    from index.structure import parse_plan
    from planbot.settings import get_settings

    path = Path(args.file)
    try:
        if not path.is_file():
            raise IngestError(f"{path}: không tìm thấy tệp")
        text = read_plan_file(path, int(get_settings().max_file_mb * 1_048_576),
                              default_readers(get_settings()))  # OCR language, dpi, page cap
    except IngestError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    plan = parse_plan(text, path.name)
    outline = plan.outline()
    if args.json:  # the contract's verbatim titles (the API's outline adds `title_display`)
        sys.stdout.write(json.dumps(outline, ensure_ascii=False, indent=1) + "\n")
    else:
        # an OCR'd plan's headings as a reader should see them
        shown = _repaired_lines([str(e["title"]) for e in outline])
        print(f"{plan.meta.title} ({path.name})")
        for entry, title in zip(outline, shown, strict=True):
            depth = str(entry["section"]).count(".")
            print(f"{'  ' * depth}{entry['section']:<10} dòng {entry['line']:<5} {title}")
    return 0


def _repaired_lines(lines: list[str]) -> list[str]:
    """Lines repaired together (the decoder sees their neighbours), one output line per input line."""
    from index.ocr_repair import display_form  # heavy: numpy, rapidfuzz and the repair model

    if not lines or any("\n" in line for line in lines):
        return [display_form(line) for line in lines]
    shown = display_form("\n".join(lines)).split("\n")
    return shown if len(shown) == len(lines) else lines


def cmd_documents(args: argparse.Namespace) -> int:
    app = _app()
    records = app.library.documents()
    if args.json:
        for record in records:
            _print_json(record.meta.listing())
        return 0
    if not records:
        print("Chưa có kế hoạch nào trong chỉ mục (chạy: planbot ingest).")
        return 0
    for record in records:
        d = record.meta.listing()
        years = d["years"]
        when = f"{years[0]}–{years[-1]}" if years and len(years) > 1 else (str(years[0]) if years else "—")
        print(f"{d['source']}\n  {d['title']}")
        print(f"  Cơ quan ban hành: {d['issuer'] or '—'} · Số: {d['number'] or '—'} · "
              f"Ngày ký: {d['signed'] or '—'} · Năm áp dụng: {when}")
        if d["province_now"]:
            print(f"  Địa bàn: {d['province_now']}")
    return 0


def _answer_text(app, answer, original: bool = False) -> str:
    """The copy text of the page (bot/render/text.py), with each passage's lines; with `original`
    (`planbot ask --ocr-original`), an OCR'd plan's verbatim text under its repaired passage."""
    # heavy: the question path's types (pydantic, the prompts)
    from bot.render.model import render
    from bot.render.text import answer_text

    def short_name(source: str) -> str:
        record = app.library.document(source)
        return record.meta.short_name if record is not None else source

    return answer_text(render(answer, short_name), detail=True, original=original)


def cmd_ask(args: argparse.Namespace) -> int:
    from rag.answer import QuestionError  # heavy: the question path (numpy, tantivy, pydantic models)

    app = _app()
    app.ensure_index()
    mode = args.mode
    if args.questions:
        return _ask_many(app, Path(args.questions), mode)
    if not args.question:
        print("Lỗi: hãy nhập câu hỏi, ví dụ: planbot ask \"Báo cáo gửi về đâu?\"", file=sys.stderr)
        return 2
    try:
        answer = app.assistant.ask(args.question, mode=mode)
    except QuestionError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    if args.json:
        _print_json(answer.to_contract())
    else:
        print(_answer_text(app, answer, original=args.ocr_original))
    return 0


def _ask_many(app, path: Path, mode: str | None) -> int:
    # heavy: the question path (numpy, tantivy, pydantic models)
    from rag.answer import QuestionError
    from rag.types import Answer, AnswerMode

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"Lỗi: không đọc được tệp câu hỏi {path}: {exc}", file=sys.stderr)
        return 2
    status = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("question"), str):
                raise ValueError("mỗi dòng phải là một đối tượng JSON có trường \"question\"")
        except (json.JSONDecodeError, ValueError) as exc:
            _print_json({"line": number, "error": f"Dòng {number} không hợp lệ: {exc}"})
            status = 1
            continue
        history = [h for h in item.get("history", []) if isinstance(h, str)]
        try:
            answer = app.assistant.ask(item["question"], history=history, mode=mode)
        except QuestionError as exc:
            answer = Answer(question=item["question"], answer=str(exc), abstained=True, mode=AnswerMode.EXTRACTIVE)
        out = {k: v for k, v in item.items() if k not in ("question",)}
        out.update(answer.to_contract())
        if "id" in item:
            out["id"] = item["id"]
        _print_json(out)
        sys.stdout.flush()
    return status


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.api import serve  # heavy: fastapi, uvicorn

    return serve(_app(), host=args.host, port=args.port, insecure_no_auth=args.insecure_no_auth)


def cmd_bot(args: argparse.Namespace) -> int:
    from bot.telegram import run_bot  # heavy: python-telegram-bot

    return run_bot(_app())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="planbot", description="Hỏi đáp kế hoạch của UBND tỉnh, có trích dẫn mục.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index plan files or folders (default: the bundled sample plans)")
    p.add_argument("paths", nargs="*")
    p.add_argument("--prune", action="store_true", help="remove indexed plans not among PATHs")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("outline", help="print a plan's section outline (needs no index)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_outline)

    p = sub.add_parser("ask", help="answer one question, or many with --questions FILE.jsonl")
    p.add_argument("question", nargs="?")
    p.add_argument("--json", action="store_true")
    p.add_argument("--questions", metavar="FILE.jsonl")
    p.add_argument("--ocr-original", action="store_true",
                   help="under each repaired passage of an OCR'd plan, also its verbatim OCR text")
    p.add_argument("--mode", choices=["extractive", "llm"], default=None,
                   help="force extractive answers (default: the LLM when configured and reachable)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("documents", help="list the indexed plans with their metadata")
    p.add_argument("--json", action="store_true", help="one JSON object per plan")
    p.set_defaults(func=cmd_documents)

    p = sub.add_parser("serve", help="HTTP API and web page")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--insecure-no-auth", action="store_true", help="allow starting without API keys")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("bot", help="Telegram bot")
    p.set_defaults(func=cmd_bot)

    for extra in _EXTRA_COMMANDS:
        extra(sub)
    return parser


# Other modules add their sub-commands here (register functions taking the sub-parsers object).
_EXTRA_COMMANDS: list = []


def _load_extras() -> None:
    import importlib

    for module in ("bot.cli_register", "bot.cli_repair", "eval.cli"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        if mod.register not in _EXTRA_COMMANDS:  # main() may run twice in one process (tests)
            _EXTRA_COMMANDS.append(mod.register)


def main(argv: Sequence[str] | None = None) -> int:
    _load_extras()
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `planbot ask … | head`: the reader has what it wanted. Point stdout at /dev/null so the
        # interpreter's final flush does not complain either.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # last resort: a clear message, the trace only with -v
        from pydantic import ValidationError

        if isinstance(exc, ValidationError):
            print(f"Lỗi cấu hình (biến môi trường PLANBOT_*): {exc}", file=sys.stderr)
            return 2
        log.debug("failed", exc_info=True)
        if args.verbose:
            raise
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
