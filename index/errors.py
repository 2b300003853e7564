"""The exceptions that ingestion and the plan readers share.

They live here, below both, so a reader can raise IngestError without importing the ingest
orchestrator (which imports the readers) and a caller can catch them without loading the readers.
"""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be indexed; the message is Vietnamese, for the person who gave it."""


class OcrUnavailable(IngestError):
    """Tesseract, its Vietnamese data or poppler is missing; the message names the packages."""


class OcrNeeded(OcrUnavailable):
    """A reader built without OCR met a file (or a PDF page) that needs it. Callers that read
    text formats first and leave OCR for later (the HTTP upload) catch this one."""
