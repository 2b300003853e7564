"""Each Vietnamese text pattern is written once, in lang/: the date pieces (lang/dates.py), the
citation marker and the list markers (lang/markers.py), the folding of a character
(lang/normalize.py), the document number keys (lang/numbers.py). Checked on the source text: the
regex text of each piece may appear in its home only; other modules compose it from there."""

from __future__ import annotations

import re
from pathlib import Path

from lang.dates import OCR_DAY, OCR_MONTH, OCR_YEAR, SLASH, numeric_date, worded_date
from lang.markers import LIST_MARKER, LOOSE_LIST_MARKER, MARKER
from lang.normalize import fold_char
from lang.numbers import document_key, number_key
from planbot import PROJECT_ROOT

SOURCE_PACKAGES = ("planbot", "lang", "index", "rag", "bot", "eval", "scripts", "bench")
# piece → (its home, the source texts that write it)
HOMES = {
    "citation marker": ("lang/markers.py", (r"\[\d", r"\[(\d")),
    "list marker": ("lang/markers.py", (r"[IVXLC]{1,5}", r"[\w¢]{1,4}\s*[.)]", "LEADING_MARKER =")),
    "numeric date": ("lang/dates.py", (r"\d{1,2}\s*[/", r"\d{1,2})\s*[/", r"\d{1,2})\s*/", r"\d{1,2}/\d{1,2}",
                                       r"\d ?\d|\d", r"\d{2} \d{2}")),
    "worded date": ("lang/dates.py", (r"ngay\s+(\d", r"ngay\s+\d", r"thang\s+(\d", r"thang\s+\d")),
    "quarter": ("lang/dates.py", (r"iv|i{1,3}",)),
    "folding": ("lang/normalize.py", ("unicodedata.combining",)),
    "number key": ("lang/numbers.py", ("[^0-9A-Z]", "[^0-9a-z]", "def document_key", "def number_key")),
}
# Files allowed to keep a copy for now, each with why; an entry that no longer needs it fails.
PENDING = {
    ("index/ocr_repair/tokens.py", "citation marker"): "a footnote number glued to an OCR token, "
    "'[1' with or without its bracket: not an answer's citation",
}


def copies(root: Path) -> dict[tuple[str, str], list[str]]:
    """(file, piece) → the texts of that piece written outside its home."""
    found: dict[tuple[str, str], list[str]] = {}
    for package in SOURCE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            text = path.read_text(encoding="utf-8")
            for piece, (home, needles) in HOMES.items():
                hits = [n for n in needles if n in text]
                if hits and name != home:
                    found[(name, piece)] = hits
    return found


def _pending_key(name: str, piece: str) -> tuple[str, str]:
    # index/obligations.py becomes a package: its modules share the entry
    return (re.sub(r"^index/obligations/.*", "index/obligations.py", name), piece)


def test_each_pattern_is_written_once():
    found = copies(PROJECT_ROOT)
    unexplained = {key: hits for key, hits in found.items() if _pending_key(*key) not in PENDING}
    assert unexplained == {}
    stale = set(PENDING) - {_pending_key(*key) for key in found}
    assert stale == set(), "these no longer keep a copy: drop them from PENDING"


def test_the_check_sees_a_copy(tmp_path):
    (tmp_path / "rag").mkdir()
    (tmp_path / "rag" / "x.py").write_text('import re\nDATE = re.compile(r"ngay\\s+(\\d{1,2})")\n'
                                           'CITE = re.compile(r"\\[(\\d+)\\]")\n', encoding="utf-8")
    assert copies(tmp_path) == {("rag/x.py", "citation marker"): [r"\[(\d"],
                                ("rag/x.py", "worded date"): [r"ngay\s+(\d"]}


def test_the_homes_compose_what_the_modules_wrote():
    assert worded_date() == r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})"
    assert worded_date(year=None, capture=False) == r"ngay\s+\d{1,2}\s+thang\s+\d{1,2}"
    assert numeric_date() == r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
    assert re.fullmatch(numeric_date(day=OCR_DAY, month=OCR_MONTH, year=OCR_YEAR, sep=SLASH), "1 5/06/20 25")
    assert MARKER.findall("[1] [12] [123] [2025]") == ["1", "12", "123"]
    assert LIST_MARKER.sub("", "II. Nhiệm vụ") == "Nhiệm vụ" and LOOSE_LIST_MARKER.sub("", "¢) 5 ngày") == "5 ngày"
    assert fold_char("Ố") == "o" and fold_char("ｉ", compatibility=True) == "i" and fold_char("ｉ") == "ｉ"
    assert document_key("85/QĐ-UBND") == document_key("85 / qd-ubnd") and number_key("số 087/KH-UBND") == "87/KH-UBND"
