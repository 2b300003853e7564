"""How the OCR repairer cuts text into tokens, shared by the model build and the decoder so the
language model sees exactly the symbols the decoder asks about."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Punctuation around a word. The core keeps inner apostrophes: OCR prints the horn of ư/ơ as one
# ("THU'C" = "THỰC"), and symbols the English model puts for Vietnamese vowels ("s¢", "d&").
_PREFIX = re.compile(r"^[\"'“”‘’(\[«*•·\-–—…]+")
# "./." closes Vietnamese documents; "[1]" is a footnote mark.
_SUFFIX = re.compile(r"(?:\[\d+\]?)?[\"'“”‘’)\]»,.;:!?…*/]*$")
# A repairable core: letters, a few digits/symbols that stand for misread letters, apostrophes,
# a question mark inside a word ("chi?c" = "chức": a letter the model could not read) and a colon
# between letters (real scans print the horn of "ươ" so: "phu:ong" = "phương").
_REPAIRABLE = re.compile(r"^[^\W_]+(?:['’?:][^\W_]+)*['’]?$|^[^\W_]*[¢&@§$€¥][^\W_¢&@§$€¥]*$")
_DIGIT_RUN = re.compile(r"\d+")
_FOOTNOTE = re.compile(r"^([^\W\d_]{3,})(\d{1,2})$")

BOUNDARY = "<s>"
NUMBER = "<n>"
COMMA = "<c>"
STOP = "<p>"
UNKNOWN = "<unk>"
SPECIALS = (UNKNOWN, BOUNDARY, NUMBER, COMMA, STOP)


@dataclass(frozen=True)
class Piece:
    """One whitespace-separated token of a line: start offset, prefix, core, suffix."""

    start: int
    prefix: str
    core: str
    suffix: str

    @property
    def core_start(self) -> int:
        return self.start + len(self.prefix)


def split_line(line: str) -> list[Piece]:
    """Whitespace tokens of a line, split into punctuation and core; words joined by a slash
    ("tỉnh/thành") are separate pieces, a footnote mark ("hoạch[1]") is punctuation."""
    pieces = []
    for m in re.finditer(r"\S+", line):
        tok = m.group()
        pm = _PREFIX.match(tok)
        prefix = pm.group() if pm else ""
        rest = tok[len(prefix):]
        sm = _SUFFIX.search(rest)
        suffix = sm.group() if sm else ""
        core = rest[: len(rest) - len(suffix)]
        if core.endswith(("'", "’")) and not core[:-1].isalpha():
            core, suffix = core[:-1], core[-1] + suffix
        # A footnote number glued to a word ("Trung ương2"): the digits are not misread letters.
        if (fm := _FOOTNOTE.match(core)) is not None:
            core, suffix = fm.group(1), fm.group(2) + suffix
        start = m.start()
        parts = core.split("/")
        if len(parts) > 1 and all(part.isalpha() for part in parts):
            offset = start + len(prefix)
            for i, part in enumerate(parts):
                last = i == len(parts) - 1
                pieces.append(Piece(offset - (len(prefix) if i == 0 else 0), prefix if i == 0 else "", part,
                                    suffix if last else "/"))
                offset += len(part) + 1
            continue
        pieces.append(Piece(start, prefix, core, suffix))
    return pieces


def repairable(core: str) -> bool:
    """May the decoder change this core? Words and words with a letter misread as a digit or a
    symbol ("d6i", "d01", "4m", "s¢") yes; numbers, dates, document numbers ("57-KL/TW",
    "15/11/2024", "4155/KH-UBND"), numbers with units ("10ha") and codes ("5G", "H5N1") never."""
    if not core or not _REPAIRABLE.match(core) or not any(ch.isalpha() for ch in core):
        return False
    runs = _DIGIT_RUN.findall(core)
    if not runs:
        return True
    if any(len(r) > 2 for r in runs) or (core[0].isdigit() and sum(map(len, runs)) > 1):
        return False  # "COVID2019", "10ha", "15km": numbers with a unit or a code
    letters = [ch for ch in core if ch.isalpha()]
    # "5G", "3D", "H5N1": a digit among capitals is a code; a lone capital ("B6" = "Bộ") is not.
    return not (all(ch.isupper() for ch in letters) and (len(letters) > 1 or core[0].isdigit()))


def word_symbol(core: str) -> str:
    """The language-model symbol of a clean word core."""
    return unicodedata.normalize("NFC", core.lower().replace("’", "'").replace("'", "").replace(":", ""))


def lm_symbols(piece: Piece) -> list[str]:
    """Symbols one piece contributes to the language model's stream, in order."""
    out = []
    core = piece.core
    if core:
        if any(ch.isdigit() for ch in core) and not repairable(core):
            out.append(NUMBER)
        elif any(ch.isalpha() for ch in core):
            out.append(word_symbol(core))
    if "," in piece.suffix:
        out.append(COMMA)
    elif any(ch in piece.suffix for ch in ".;:!?"):
        out.append(STOP)
    return out


def text_symbols(text: str) -> list[str]:
    """The language-model stream of a clean text: one boundary symbol before each paragraph."""
    out: list[str] = []
    for line in text.split("\n"):
        pieces = split_line(line)
        if not pieces:
            continue
        out.append(BOUNDARY)
        for p in pieces:
            out.extend(lm_symbols(p))
    return out
