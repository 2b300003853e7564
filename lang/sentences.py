"""Sentence splitting that keeps every piece a verbatim span of the plan text."""

from __future__ import annotations

import re

from lang.normalize import match_tokens, remembered
from lang.numbers import DOCUMENT_NUMBER

# A candidate break: after . ; ! ? and space, before an optional quote/bullet and a letter or digit;
# or a new dash line. Whether the letter is a capital is checked in code: the range À-Ỹ of a
# character class holds lower-case letters too ("cao; địa bàn" is one sentence).
_SENT_SPLIT = re.compile(r"(?<=[.;!?])\s+(?=[\"“(\-–+•]?\s*\w)|\n(?=\s*[-–+•]\s)")
_OPENING = re.compile(r"[\"“(\-–+•]?\s*(\w)")


# "…; Quyết định số 1397/QĐ-UBND …": a document reference after a semicolon on the same line, when
# the piece before it names a document too, is the next member of a list of documents ("Thay thế
# Quyết định số 3089/QĐ-UBND …; Quyết định số 1397/QĐ-UBND …"), not a new sentence. The kind is one
# to three words ("Quyết định", "Thông tư"); "Căn cứ Nghị định số …" (four) stays a sentence of its own.
_NEXT_DOCUMENT = re.compile(r"[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[\wÀ-ỹ]+){0,2}?\s+(?:số\s+)?\d{1,5}\s*/\s*(?:\d{4}\s*/\s*)?[A-ZĐ]")


def _continues_document_list(block: str, start: int, m: re.Match[str]) -> bool:
    return block[m.start() - 1] == ";" and "\n" not in m.group() and _NEXT_DOCUMENT.match(block, m.end()) is not None \
        and DOCUMENT_NUMBER.search(block, start, m.start()) is not None


def _inside_parentheses(block: str, m: re.Match[str]) -> bool:
    """A semicolon between "(" and its ")" on one line lists the members of a parenthesis ("đầu mối
    của mỗi bên (Phòng Cảnh sát giao thông - Công an thành phố; Phòng Chính trị tư tưởng …)"): the
    sentence goes on after the ")"."""
    if block[m.start() - 1] != ";" or "\n" in m.group():
        return False
    line_start = block.rfind("\n", 0, m.start()) + 1
    before = block[line_start:m.start()]
    if before.count("(") <= before.count(")"):
        return False
    line_end = block.find("\n", m.end())
    after = block[m.end():len(block) if line_end < 0 else line_end]
    close, reopen = after.find(")"), after.find("(")
    return close >= 0 and (reopen < 0 or close < reopen)


def _pieces(block: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _SENT_SPLIT.finditer(block):
        if _continues_document_list(block, start, m) or _inside_parentheses(block, m):
            continue
        if m.group().startswith("\n") or (first := _OPENING.match(block, m.end())) and (
                first.group(1).isupper() or first.group(1).isdigit()):
            out.append(block[start:m.start()])
            start = m.end()
    out.append(block[start:])
    return out


_BULLETS = frozenset("-–+•*")


def is_closing_line(stripped: str) -> bool:
    """'Trên đây là Kế hoạch …' or 'Nơi nhận:' starts the closing, however OCR spelt it."""
    # the parser, the facts and the register ask it of each line
    return remembered("is_closing_line", _is_closing_line, stripped)


def _is_closing_line(stripped: str) -> bool:
    if stripped[:1] in _BULLETS:
        # "- Nơi nhận: Sở X (qua Phòng Y)" is a labelled field of a reporting regime ("- Đơn vị báo
        # cáo: …", "- Nơi nhận: …", "- Thời hạn: …"): the distribution list's heading never opens
        # with a dash
        return False
    tokens = match_tokens(stripped[:40])
    if len(tokens) >= 2 and tokens[0] == "tren" and tokens[1] in ("day", "doy"):
        return True
    return len(tokens) >= 2 and tokens[0] == "noi" and tokens[1] in ("nhan", "nhin", "nhon")


def split_sentences(text: str) -> list[str]:
    # "Nơi nhận:" starts the distribution list even where OCR left no full stop before it
    blocks: list[str] = [""]
    for line in text.split("\n"):
        if blocks[-1] and is_closing_line(line.strip()):
            blocks.append("")
        blocks[-1] = f"{blocks[-1]}\n{line}" if blocks[-1] else line
    pieces = [p.strip() for block in blocks for p in _pieces(block)]
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


