"""Scanned pages sent as images (PNG, JPEG, TIFF; a multi-page TIFF is several pages)."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from index.errors import IngestError
from index.readers.base import PageRecord, PlanText, check_size, page_ranges, report_pages, summarise
from index.readers.layout import assemble
from index.readers.ocr import TesseractOcr, ocr_needed, workdir
from index.readers.pdf import DEFAULT_OCR_MAX_PAGES
from lang.syllables import TextQuality
from planbot.messages import message

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


class ImageReader:
    """`reader(path) -> PlanText` for page images: every page goes through Tesseract (`ocr=None`:
    every image is refused with the install message, OcrNeeded)."""

    def __init__(self, ocr: TesseractOcr | None, max_bytes: int | None = None, workers: int = 2,
                 ocr_max_pages: int = DEFAULT_OCR_MAX_PAGES) -> None:
        self.ocr = ocr
        self.ocr_max_pages = ocr_max_pages
        self.max_bytes = max_bytes
        self.workers = max(1, workers)

    def __call__(self, path: Path) -> PlanText:
        check_size(path, self.max_bytes)
        ocr = self.ocr
        if ocr is None:
            raise ocr_needed(path.name)
        ocr.require(path.name)
        with workdir() as tmp:
            try:
                frames = list(ocr.image_pages(path, Path(tmp)))
            except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
                raise IngestError(message("reader_image_broken", name=path.name,
                                          detail=str(exc)[:120] or type(exc).__name__)) from exc
            frames, over = frames[:self.ocr_max_pages], frames[self.ocr_max_pages:]  # a TIFF of many frames
            with ThreadPoolExecutor(self.workers, thread_name_prefix="ocr") as pool:
                read = []
                report_pages(0, len(frames))
                for page in pool.map(lambda item: ocr.read_image(item[1], item[0]), frames):
                    read.append(page)
                    report_pages(len(read), len(frames))
        pages = [r.content for r in read]
        records = [PageRecord(r.content.number, r.content.method, r.quality,
                              f"turned {r.rotated}°" if r.rotated else "") for r in read]
        if over:
            skipped = [number for number, _ in over]
            log.warning("%s: %d frames beyond the OCR cap of %d were not read: %s", path.name, len(skipped),
                        self.ocr_max_pages, page_ranges(skipped))
            records += [PageRecord(number, "skipped", TextQuality(0, 0, 0), "not read: over the OCR cap")
                        for number in skipped]
        text = assemble(pages)
        if not text.replace("\f", "").strip():
            raise IngestError(message("reader_no_text", name=path.name, pages=len(pages)))
        return PlanText(text, tuple(records), summarise(path.name, records))

