"""The paths of an appendix table's rows, by the table's own STT column (docs/contract.md, Section
paths): every table of the genre numbers its rows itself, and a reader cites "dòng 3" by that
number, not by counting lines.

- A group row is a path parent: its STT is a Roman numeral or a capital letter ("I | NHÓM XÃ,
  PHƯỜNG | 115 |" — a group row that carries a figure is still a group; "A | KHỐI SỞ, NGÀNH"), or
  it has no STT and one capital title spans its cells ("| NHIỆM VỤ TRỌNG TÂM | | |"), which is
  numbered I, II, … in reading order, as the genre numbers its groups.
- A numbered row ("3", "5.1") is `<STT>`, or `<group>.<STT>` where the STT restarts in each group
  (or where only one group is numbered: nothing says it runs on).
- A row under a numbered row is `<row>.<k>`: a "-" sub-row ("2 | Chè" over "- | Diện tích"), a
  second line with its STT cell merged; a lettered row ("a | …") is `<row>.<letter>`.
- A table without an STT (its first row is not numbered) keeps its rows' positions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.tables import cells, is_delimiter_row

_GROUP_MARK = re.compile(r"^([IVXLC]+|[A-Z])[.)]?$")
_STT = re.compile(r"^(\d{1,3}(?:\.\d{1,2})*)[.)]?$")
_LETTER = re.compile(r"^([a-zđ])[.)]?$")
# the STT cell of a sub-row: a dash or a bullet
SUB_MARKS = frozenset({"-", "–", "—", "+", "*", "•"})
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
          "XVI", "XVII", "XVIII", "XIX", "XX")
# a title spanning a row is written in capitals (a row's wrapped cell or a note is not)
_TITLE_CAPITALS = 0.7


def _numbers_columns(row: str) -> bool:
    values = cells(row)
    return len(values) >= 3 and values == [str(n) for n in range(1, len(values) + 1)]


def spanning_title(row: str) -> str | None:
    """The title of a row with no STT whose only text is one capital title (a merged row: its
    cells empty or repeating it)."""
    values = cells(row)
    filled = {v for v in values if v}
    if values[0] not in ("", *filled) or len(filled) != 1:
        return None
    title = next(iter(filled))
    letters = [ch for ch in title if ch.isalpha()]
    if len(letters) < 4 or _STT.match(title) or _GROUP_MARK.match(title):
        return None
    return title if sum(ch.isupper() for ch in letters) >= _TITLE_CAPITALS * len(letters) else None


# the letters English-model OCR reads a Roman "I" as ("| 1 | NHÓM …", "| 11 | NHÓM …", "| Il |")
_ROMAN_I_READINGS = frozenset("1lI|!")


def group_mark(row: str) -> str | None:
    """The Roman numeral of a group row ("II | NHÓM NHIỆM VỤ …" → "II"), read through OCR that
    printed its "I"s as "1" or "l" ("| 1 | NHOM NHIEM VU …" → "I"): a row is a group when its STT
    is a Roman numeral, or reads as one, and its only text is a capital title (a numbered task row
    has a lead, a time; a group row spans the table with its title alone). None for any other row."""
    values = cells(row)
    if not values:
        return None
    first = values[0].rstrip(".)")
    roman = "".join("I" if ch in _ROMAN_I_READINGS else ch for ch in first)
    if not roman or roman not in _ROMAN:
        return None
    if first == roman and _GROUP_MARK.match(first):
        return roman  # printed as a Roman numeral: a group whatever its cells (a group row may carry a figure)
    filled = [v for v in values[1:] if v]
    if len(filled) != 1:
        return None
    letters = [ch for ch in filled[0] if ch.isalpha()]
    capitals = sum(ch.isupper() for ch in letters)
    return roman if len(letters) >= 8 and capitals >= _TITLE_CAPITALS * len(letters) else None


def _kinds(rows: Sequence[str]) -> list[tuple[str, str]]:
    """(kind, mark) per row: kind one of columns, group, title (the rest of a group's title), number,
    letter, sub, other."""
    out: list[tuple[str, str]] = []
    titled = 0
    printed_groups = any(_GROUP_MARK.match(cells(row)[0]) and not _STT.match(cells(row)[0]) for row in rows)
    for index, row in enumerate(rows):
        if _numbers_columns(row) or is_delimiter_row(row):
            out.append(("columns", "0"))
            continue
        first = cells(row)[0]
        if mark := _GROUP_MARK.match(first):
            out.append(("group", mark.group(1)))
        elif (roman := group_mark(row)) is not None and (printed_groups or _first_below(rows, index) == "1"):
            # an OCR'd group row ("| 1 | NHOM …" in a table whose other groups print II, III, or
            # whose row below starts its own count at 1): a table numbering its groups 1, 2 in
            # figures keeps them as rows
            out.append(("group", roman))
        elif number := _STT.match(first):
            out.append(("number", number.group(1)))
        elif letter := _LETTER.match(first):
            out.append(("letter", letter.group(1)))
        elif first in SUB_MARKS:
            out.append(("sub", ""))
        elif spanning_title(row) is not None and out and out[-1][0] in ("group", "title"):
            # a group's title wrapped onto a line of its own ("III | NHÓM … LAO ĐỘNG NÔNG THÔN," over
            # "| DÂN TỘC THIỂU SỐ | | |"): the rest of that title, not a group of its own
            out.append(("title", ""))
        elif spanning_title(row) is not None and titled < len(_ROMAN):
            out.append(("group", _ROMAN[titled]))
            titled += 1
        else:
            out.append(("other", ""))
    return out


def _first_below(rows: Sequence[str], index: int) -> str:
    """The STT of the row after `index` ("" at the end)."""
    return cells(rows[index + 1])[0].rstrip(".)") if index + 1 < len(rows) else ""


def _restarts(kinds: Sequence[tuple[str, str]]) -> bool:
    """Does the STT restart in each group? Yes where a number comes again in a later group, or
    where no later group goes on from the numbers before it (one numbered group says nothing of
    running on, and the genre's grouped tables mostly restart); no where a later group's first
    row goes on from the groups before ("3" after a group ending in "2")."""
    seen: set[str] = set()
    current: set[str] = set()
    in_group = False
    first_in_group: list[int] = []
    for kind, mark in kinds:
        if kind == "group":
            seen |= current
            current = set()
            in_group = True
            first_in_group.append(0)
        elif kind == "number" and in_group:
            top = mark.split(".")[0]
            if top in seen:
                return True
            if not current:
                first_in_group[-1] = int(top)
            current.add(top)
    numbered = [n for n in first_in_group if n]
    return not any(n > 1 for n in numbered[1:])


def row_keys(rows: Sequence[str]) -> list[tuple[str, str]] | None:
    """(path suffix, label suffix) for each row of an appendix's table, `rows` being the rows'
    lines in order; None for a table without an STT (its rows keep their positions)."""
    kinds = _kinds(rows)
    grouped = any(kind == "group" for kind, _ in kinds)
    restarts = grouped and _restarts(kinds)
    keys: list[tuple[str, str]] = []
    group: str | None = None
    parent: tuple[str, str] | None = None  # the last group or numbered row
    below = 0  # rows under `parent` so far
    for kind, mark in kinds:
        if kind == "columns":
            key = ("0", "dòng số thứ tự cột")  # its row below ("| Tổng I + II |") is `0.1`
        elif kind == "group":
            group = mark
            key = (mark, f"nhóm {mark}")
        elif kind == "title" and group is not None:
            keys.append((f"{group}.0", f"nhóm {group} (tiếp)"))  # the group's rows keep their numbers
            continue
        elif kind == "number":
            key = (f"{group}.{mark}", f"nhóm {group}, dòng {mark}") if restarts and group else (mark, f"dòng {mark}")
        elif parent is None:
            return None  # an unnumbered first row: a table without an STT
        elif kind == "letter":
            keys.append((f"{parent[0]}.{mark}", f"{parent[1]}, {mark})"))
            continue
        else:
            below += 1
            keys.append((f"{parent[0]}.{below}", f"{parent[1]} (tiếp)"))
            continue
        keys.append(key)
        parent, below = key, 0
    return _unique(keys, grouped)


def _unique(keys: list[tuple[str, str]], grouped: bool) -> list[tuple[str, str]] | None:
    """A key met twice: in a grouped table (cut short: "…" then rows of a group not printed) the
    later row keeps its key made unique and its position as label; in a plain table the numbers
    say nothing sure (two tables in one appendix, a number printed twice): positions."""
    unique: list[tuple[str, str]] = []
    used: set[str] = set()
    for position, (path, label) in enumerate(keys, start=1):
        if path in used:
            if not grouped:
                return None
            k = 1
            while f"{path}.{k}" in used:
                k += 1
            path, label = f"{path}.{k}", f"dòng {position}"
        used.add(path)
        unique.append((path, label))
    return unique
