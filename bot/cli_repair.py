"""`planbot repair FILE [--json]`: the OCR-repaired text of a plan file, same line structure."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def cmd_repair(args: argparse.Namespace) -> int:
    # heavy: the plan readers (lxml, pdfplumber, PIL) and the repair model (numpy, rapidfuzz)
    from index.ingest import IngestError, read_plan_file
    from index.ocr_repair import repair_text
    from index.readers import default_readers
    from planbot.settings import get_settings

    path = Path(args.file)
    if not path.is_file():
        print(f"Lỗi: {path}: không tìm thấy tệp", file=sys.stderr)
        return 2
    if not path.read_bytes().strip():
        # Nothing to repair: an empty file gives empty output, not an error.
        print(f"{path.name}: tệp rỗng, không có gì để sửa", file=sys.stderr)
        text = ""
    else:
        try:
            text = read_plan_file(path, int(get_settings().max_file_mb * 1_048_576),
                                  default_readers(get_settings()))  # OCR language, dpi, page cap
        except IngestError as exc:
            print(f"Lỗi: {exc}", file=sys.stderr)
            return 2
    result = repair_text(text)
    if args.json:
        data = {"file": path.name, **result.to_json(),
                "changed": sum(t.changed for t in result.tokens)}
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(result.text)
        if result.text and not result.text.endswith("\n"):
            sys.stdout.write("\n")
    return 0


def register(sub) -> None:
    p = sub.add_parser("repair", help="repair OCR'd Vietnamese (Tesseract English model) in a plan file")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="add per-token source span, repaired form and confidence")
    p.set_defaults(func=cmd_repair)
