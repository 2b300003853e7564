"""Readers of real plan files: DOCX, PDF (text layer or OCR), scanned images.

Each reader is a callable `reader(path) -> PlanText` (a str): the plan's text, one paragraph per
line, pages separated by a form-feed line, tables as " | "-separated rows. The ingestor sends
that text through the same normalisation and structure parser as a .txt file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from index.errors import OcrNeeded, OcrUnavailable
from index.readers.base import PageRecord, PlanText
from index.readers.docx import DocxReader
from index.readers.images import IMAGE_SUFFIXES, ImageReader
from index.readers.ocr import TesseractOcr
from index.readers.pdf import DEFAULT_OCR_MAX_PAGES, PdfReader

__all__ = ["IMAGE_SUFFIXES", "DocxReader", "ImageReader", "OcrNeeded", "OcrUnavailable", "PageRecord", "PdfReader", "PlanText",
           "TesseractOcr", "build_readers", "default_readers"]


def build_readers(ocr: TesseractOcr | None, max_bytes: int | None = None, workers: int | None = None,
                  progress: bool | None = None, ocr_max_pages: int = DEFAULT_OCR_MAX_PAGES) -> dict[str, Callable[[Path], str]]:
    """Readers by file suffix; `ocr=None` reads text formats only and refuses what needs OCR (a
    scanned page, an image) with the install message, as OcrNeeded."""
    readers: dict[str, Callable[[Path], str]] = {
        ".docx": DocxReader(max_bytes),
        ".pdf": PdfReader(ocr, max_bytes, workers=workers, progress=progress, ocr_max_pages=ocr_max_pages),
    }
    image_reader = ImageReader(ocr, max_bytes, workers=workers or 2, ocr_max_pages=ocr_max_pages)
    readers.update({suffix: image_reader for suffix in IMAGE_SUFFIXES})
    return readers


def default_readers(settings) -> dict[str, Callable[[Path], str]]:
    """The readers the app uses, from settings (OCR language, resolution and page cap, file size limit)."""
    ocr = TesseractOcr(lang=settings.ocr_lang, dpi=settings.ocr_dpi)
    return build_readers(ocr, max_bytes=int(settings.max_file_mb * 1_048_576),
                         workers=settings.ocr_workers or None, ocr_max_pages=settings.ocr_max_pages)
