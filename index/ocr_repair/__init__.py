"""Repair Vietnamese text that Tesseract's English model produced ("Két luan sé" -> "Kết luận số").

Noisy-channel decoding: candidates for each OCR token from a confusion model learnt on rendered
and re-read pages (scripts/ocr_pairs.py), scored by a syllable trigram language model, best
sequence by beam search (decoder.py). Every output token maps to its verbatim source span
(RepairResult.tokens); line structure, numbers, dates and document numbers never change, and
already clean Vietnamese passes through. The model (model_v1.npz) is built by
scripts/build_ocr_model.py and holds counts and weights only.
"""

from __future__ import annotations

from index.ocr_repair.decoder import MODEL_PATH, OcrRepairer, RepairedToken, RepairResult, Settings, load_repairer

__all__ = ["MODEL_PATH", "OcrRepairer", "RepairResult", "RepairedToken", "Settings", "load_repairer", "repair_text"]


def repair_text(text: str) -> RepairResult:
    """The repaired text and its token alignment, with the shipped model (loaded once)."""
    return load_repairer().repair(text)
