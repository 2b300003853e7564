"""Repair Vietnamese text that Tesseract's English model produced ("Két luan sé" -> "Kết luận số").

Noisy-channel decoding: candidates for each OCR token from a confusion model learnt on rendered
and re-read pages (scripts/ocr_pairs.py), scored by a syllable trigram language model, best
sequence by beam search (decoder.py). Every output token maps to its verbatim source span
(RepairResult.tokens); line structure, numbers, dates and document numbers never change, and
already clean Vietnamese passes through. The model (model_v1.npz) is built by
scripts/build_ocr_model.py and holds counts and weights only.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from index.ocr_repair.decoder import (
    MODEL_PATH,
    OcrRepairer,
    RepairedToken,
    RepairResult,
    Settings,
    load_repairer,
)
from index.ocr_repair.tokens import split_line

log = logging.getLogger(__name__)

__all__ = ["MODEL_PATH", "display_form", "looks_ocr_damaged_snippet", "OcrRepairer", "RepairResult", "RepairedToken", "Settings", "load_repairer", "repair_text"]


def repair_text(text: str) -> RepairResult:
    """The repaired text and its token alignment, with the shipped model (loaded once)."""
    return load_repairer().repair(text)


def looks_ocr_damaged_snippet(text: str) -> bool:
    """A cheap test for a passage (a quote, a section): Vietnamese words but almost none with a
    letter Tesseract's English model cannot print (ơ, ư, ă, đ, ạ, ế, ...). Clean Vietnamese has
    such a letter in about half its syllables."""
    words = [w for w in text.split() if any(ch.isalpha() for ch in w)]
    if len(words) < 2:
        return False
    marked = sum(any(ch.isalpha() and 0x100 <= ord(ch) <= 0x1EFF for ch in w) for w in words)
    return marked < 0.1 * len(words)


@lru_cache(maxsize=1024)  # sections repeat (every view, every answer); texts up to ~20k chars
def display_form(text: str, from_ocr: bool = False) -> str:
    """The passage as a reader should see it: repaired when it looks OCR-damaged, else as is.
    Display only, never for verification; if the model cannot be loaded the text is shown as is.
    `from_ocr`: the passage is known to come from an OCR'd plan, so a short run without a single
    Vietnamese-only letter is damage even when its words happen to be known unaccented syllables
    ("Thoi gian hoan thanh: trong 30 ngay")."""
    if not text or not looks_ocr_damaged_snippet(text):
        return text
    try:
        repairer = load_repairer()
        # and shows damage (misread letters, unknown words): a short clean passage without
        # Vietnamese-only letters ("Cà Mau, Kiên Giang") stays as it is
        cores = [p.core for line in text.split("\n") for p in split_line(line)]
        if not from_ocr and not repairer.line_is_damaged(cores):
            return text
        return repairer.repair(text).text
    except Exception:  # display must never break an answer: fall back to the verbatim text
        log.warning("OCR repair failed; showing the verbatim text", exc_info=True)
        return text
