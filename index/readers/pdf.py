"""PDF plans: the text layer where it is good Vietnamese, Tesseract `vie` where it is not.

Each page is judged on its own. A page whose text layer is mostly valid Vietnamese syllables
with diacritics is read from the layer (pdfplumber, MIT; tables found from their ruling lines);
a page without a layer, or whose layer is itself a bad OCR (the English model's "ctia", "Pang")
or a legacy-font mojibake, is rendered with poppler and read again with Tesseract's Vietnamese
model. Which way each page went is recorded in the returned PlanText.
"""

from __future__ import annotations

import logging
import os
import sys
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from index.errors import IngestError
from index.readers.base import PageRecord, PlanText, check_size, page_ranges, report_pages, summarise
from index.readers.layout import Line, PageContent, Table, assemble, clean_cell
from index.readers.ocr import OcrPage, TesseractOcr, ocr_needed, workdir
from lang.syllables import TextQuality, text_quality
from planbot.messages import message

log = logging.getLogger(__name__)

# Fewer judged words than this and a page's text layer says little about its quality.
MIN_JUDGED_WORDS = 15
# A page mostly covered by images with (almost) no text layer is a scan.
SCAN_IMAGE_SHARE = 0.3
PROGRESS_MIN_PAGES = 10
# OCR costs seconds a page: a file may have at most this many pages read by OCR (PLANBOT_OCR_MAX_PAGES)
# so one huge scan cannot hold the ingest for hours; the later pages that need OCR are left out.
DEFAULT_OCR_MAX_PAGES = 200


@dataclass
class _LayerPage:
    content: PageContent
    quality: TextQuality
    image_share: float


def _read_layer(page, number: int) -> _LayerPage:
    """The page's text layer as positioned lines and ruled tables (pdfplumber's own units)."""
    tables: list[Table] = []
    boxes: list[tuple[float, float, float, float]] = []
    if page.edges:  # ruling lines: there may be a table; finding none costs nothing otherwise
        for found in page.find_tables():
            rows = [[clean_cell(cell) for cell in row] for row in found.extract()]
            rows = [row for row in rows if any(row)]
            if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                x0, top, x1, bottom = found.bbox
                boxes.append(found.bbox)
                tables.append(Table(top, bottom, rows))
    source = page
    if boxes:
        def outside(obj: dict) -> bool:
            if obj.get("object_type") != "char":
                return True
            cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
            return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

        source = page.filter(outside)
    lines = [Line(ln["text"], ln["x0"], ln["x1"], ln["top"], ln["bottom"])
             for ln in source.extract_text_lines(return_chars=False) if ln["text"].strip()]
    area = float(page.width * page.height) or 1.0
    image_area = sum(max(0.0, min(img["x1"], page.width) - max(img["x0"], 0))
                     * max(0.0, min(img["bottom"], page.height) - max(img["top"], 0)) for img in page.images)
    text = "\n".join([ln.text for ln in lines] + [" ".join(r) for t in tables for r in t.rows])
    content = PageContent(number, float(page.width), float(page.height), lines, tables, method="text")
    return _LayerPage(content, text_quality(text), min(1.0, image_area / area))


def layer_is_usable(layer: _LayerPage) -> bool:
    if layer.quality.judged >= MIN_JUDGED_WORDS:
        return layer.quality.looks_vietnamese()
    return layer.image_share < SCAN_IMAGE_SHARE


class PdfReader:
    """`reader(path) -> PlanText` for .pdf files. `ocr=None` reads text layers only and fails
    with the install message on a page that needs OCR."""

    def __init__(self, ocr: TesseractOcr | None, max_bytes: int | None = None, workers: int | None = None,
                 progress: bool | None = None, ocr_max_pages: int = DEFAULT_OCR_MAX_PAGES) -> None:
        self.ocr = ocr
        self.ocr_max_pages = ocr_max_pages
        self.max_bytes = max_bytes
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))
        self.progress = progress

    def __call__(self, path: Path) -> PlanText:
        import pdfplumber  # imported on first use: about 0.15 s that other commands need not pay
        from pdfplumber.utils.exceptions import PdfminerException

        check_size(path, self.max_bytes)
        try:
            pdf = pdfplumber.open(path)
        except PdfminerException as exc:
            raise self._open_error(path, exc) from exc
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IngestError(message("reader_pdf_broken", name=path.name, detail=type(exc).__name__)) from exc
        with pdf:
            try:
                pages, records = self._read_pages(path, pdf)
            except PdfminerException as exc:
                raise self._open_error(path, exc) from exc
        skipped = [r.number for r in records if r.method == "skipped"]
        if skipped:
            log.warning("%s: %d pages need OCR beyond the cap of %d and were not read: %s", path.name,
                        len(skipped), self.ocr_max_pages, page_ranges(skipped))
        text = assemble(pages)
        if not text.replace("\f", "").strip():
            raise IngestError(message("reader_no_text", name=path.name, pages=len(pages)))
        return PlanText(text, tuple(records), summarise(path.name, records))

    def _open_error(self, path: Path, exc: Exception) -> IngestError:
        from pdfminer.pdfdocument import PDFPasswordIncorrect

        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            return IngestError(message("reader_pdf_encrypted", name=path.name))
        detail = str(cause) or type(cause).__name__
        return IngestError(message("reader_pdf_broken", name=path.name, detail=detail[:120]))

    def _read_pages(self, path: Path, pdf) -> tuple[list[PageContent], list[PageRecord]]:
        from pdfplumber.utils.exceptions import PdfminerException

        total = len(pdf.pages)
        show = sys.stderr.isatty() if self.progress is None else self.progress
        bar = None
        if show and total >= PROGRESS_MIN_PAGES:
            from tqdm import tqdm

            bar = tqdm(total=total, desc=f"Đọc {path.name}", unit="trang", file=sys.stderr)
        pending: deque[tuple[_LayerPage, Future[OcrPage] | None, str]] = deque()
        pages: list[PageContent] = []
        records: list[PageRecord] = []
        executor: ThreadPoolExecutor | None = None
        ocr_pages = 0

        def settle(keep: int) -> None:
            """Take finished pages off the front in page order, waiting for the oldest page
            while more than `keep` are pending (so at most that many page images are held)."""
            while pending:
                layer, future, note = pending[0]
                if future is not None and not future.done() and len(pending) <= keep:
                    return
                pending.popleft()
                content, record = self._decide(layer, future.result() if future else None, note)
                pages.append(content)
                records.append(record)
                report_pages(len(records), total)
                if bar is not None:
                    bar.update(1)

        try:
            for number, page in enumerate(pdf.pages, start=1):
                note = ""
                try:
                    layer = _read_layer(page, number)
                except PdfminerException:
                    raise
                except Exception as exc:  # one malformed page: read its image instead
                    log.warning("%s: page %d text layer unreadable (%s); using OCR", path.name, number, exc)
                    layer = _LayerPage(PageContent(number, float(page.width), float(page.height)),
                                       TextQuality(0, 0, 0), 1.0)
                    note = "text layer unreadable"
                finally:
                    page.close()  # drop the page's parsed objects: memory stays flat over long files
                future = None
                if not layer_is_usable(layer):
                    if self.ocr is None:
                        raise ocr_needed(path.name)
                    if ocr_pages >= self.ocr_max_pages:  # past the cap: the page is left out, and said so
                        layer = _LayerPage(PageContent(number, layer.content.width, layer.content.height,
                                                       method="skipped"), layer.quality, layer.image_share)
                        pending.append((layer, None, f"not read: over the OCR cap of {self.ocr_max_pages} pages"))
                        settle(keep=self.workers * 2)
                        continue
                    ocr_pages += 1
                    self.ocr.require(path.name, pdf=True)
                    executor = executor or ThreadPoolExecutor(self.workers, thread_name_prefix="ocr")
                    future = executor.submit(self._ocr_page, path, number)
                pending.append((layer, future, note))
                settle(keep=self.workers * 2)
            settle(keep=0)
        finally:
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)
            if bar is not None:
                bar.close()
        return pages, records

    def _ocr_page(self, path: Path, number: int) -> OcrPage:
        assert self.ocr is not None
        with workdir() as tmp:
            image = self.ocr.render_pdf_page(path, number, Path(tmp))
            return self.ocr.read_image(image, number)

    @staticmethod
    def _decide(layer: _LayerPage, ocr: OcrPage | None, note: str) -> tuple[PageContent, PageRecord]:
        if ocr is None and layer.content.method == "skipped":
            return layer.content, PageRecord(layer.content.number, "skipped", layer.quality, note)
        if ocr is None:
            method = "text" if layer.content.lines or layer.content.tables else "blank"
            layer.content.method = method
            return layer.content, PageRecord(layer.content.number, method, layer.quality, note)
        has_layer = layer.quality.judged >= MIN_JUDGED_WORDS
        if has_layer and ocr.quality.valid_share <= layer.quality.valid_share:
            note = f"text layer kept: OCR was not better ({ocr.quality.valid_share:.2f} valid)"
            return layer.content, PageRecord(layer.content.number, "text", layer.quality, note)
        if has_layer:
            note = f"text layer rejected ({layer.quality.valid_share:.2f} valid, {layer.quality.marked_share:.2f} marked)"
        if ocr.rotated:
            note = f"{note}; turned {ocr.rotated}°".lstrip("; ")
        method = ocr.content.method
        return ocr.content, PageRecord(layer.content.number, method, ocr.quality, note)

