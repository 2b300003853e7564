"""What every reader returns: the plan text, plus how each page was read."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from index.errors import IngestError
from lang.syllables import TextQuality
from planbot.messages import message

log = logging.getLogger(__name__)

METHOD_KEYS = {"text": "reader_pages_text", "ocr": "reader_pages_ocr", "blank": "reader_pages_blank",
               "skipped": "reader_pages_ocr_skipped"}

# Set by a caller that reports progress (the HTTP upload's OCR job): the PDF and image readers call
# it with (pages read, pages in the file) in the caller's thread. A context variable rather than a
# reader argument: readers are plain `reader(path)` callables, and tests pass their own.
PAGE_PROGRESS: ContextVar[Callable[[int, int], None] | None] = ContextVar("planbot_page_progress", default=None)


def report_pages(done: int, total: int) -> None:
    report = PAGE_PROGRESS.get()
    if report is not None:
        report(done, total)


@dataclass(frozen=True)
class PageRecord:
    number: int
    method: str  # text (the PDF's text layer) | ocr | blank | skipped (needed OCR, over the page cap)
    quality: TextQuality
    note: str = ""  # e.g. "text layer rejected: 0.62 valid syllables"


class PlanText(str):
    """The plan's text (a str, so the ingestor treats it like any text file) carrying the
    per-page record of how it was read and the warnings to store with the document."""

    pages: tuple[PageRecord, ...]
    warnings: tuple[str, ...]

    def __new__(cls, text: str, pages: tuple[PageRecord, ...] = (), warnings: tuple[str, ...] = ()) -> PlanText:
        obj = super().__new__(cls, text)
        obj.pages = pages
        obj.warnings = warnings
        return obj


def page_ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7, 9, 10] → "1–3, 7, 9–10"."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def summarise(name: str, pages: list[PageRecord]) -> tuple[str, ...]:
    """One Vietnamese line for the document's warnings, and an English log line per file."""
    if not pages:
        return ()
    parts = []
    for method, key in METHOD_KEYS.items():
        numbers = [p.number for p in pages if p.method == method]
        if numbers:
            parts.append(message(key, count=len(numbers), pages=page_ranges(numbers)))
    log.info("%s: %d pages read: %s", name, len(pages), "; ".join(
        f"p{p.number} {p.method} (valid {p.quality.valid_share:.2f}, marked {p.quality.marked_share:.2f}"
        f"{', ' + p.note if p.note else ''})" for p in pages))
    return (message("reader_summary", pages=len(pages), parts="; ".join(parts)),)


def check_size(path: Path, max_bytes: int | None) -> None:
    if max_bytes is None:
        return
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(message("reader_too_large", name=path.name, size=size / 1_048_576,
                                  limit=max_bytes / 1_048_576))
