"""Sentence splitting that keeps every piece a verbatim span of the plan text."""

from __future__ import annotations

import re

from index.structure import is_closing_line

_SENT_SPLIT = re.compile(r"(?<=[.;!?])\s+(?=[\"“(\-–+•]?\s*[A-ZĐÀ-Ỹ0-9])|\n(?=\s*[-–+•]\s)")


def split_sentences(text: str) -> list[str]:
    # "Nơi nhận:" starts the distribution list even where OCR left no full stop before it
    blocks: list[str] = [""]
    for line in text.split("\n"):
        if blocks[-1] and is_closing_line(line.strip()):
            blocks.append("")
        blocks[-1] = f"{blocks[-1]}\n{line}" if blocks[-1] else line
    pieces = [p.strip() for block in blocks for p in _SENT_SPLIT.split(block)]
    out: list[str] = []
    carry = ""
    for piece in pieces:
        if not piece:
            continue
        if len(piece) <= 5:  # a bare marker such as "2." or "b)." belongs to what follows
            carry = f"{carry} {piece}".strip()
            continue
        out.append(f"{carry} {piece}".strip() if carry else piece)
        carry = ""
    if carry and out:
        out[-1] = f"{out[-1]} {carry}"
    return [s for s in out if any(c.isalnum() for c in s)]


