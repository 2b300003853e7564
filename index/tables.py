"""Table rows in plan text: one line per row, cells joined by " | " (how the DOCX and PDF readers
write tables), the first row of each table being its header.

Appendix tables of the form STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn
thành are where many plans put their assignments; `row_fields` reads such a row by what its
header says each column is, for the obligations register.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.normalize import match_tokens

CELL_SEPARATOR = " | "
_ROW_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*|[IVXLC]+|[a-zđ])[.)]?$")
PAGE_BREAK = "\f"


def is_table_line(line: str) -> bool:
    return CELL_SEPARATOR in line.strip(" \t")


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().split(CELL_SEPARATOR.strip())]


def table_headers(lines: Sequence[str]) -> dict[int, int]:
    """{index of a data row: index of its table's header row} (0-based indexes into lines).

    A table is a run of table lines; blank lines and page breaks inside the run do not end it
    (a table continued on the next page keeps its header). Its first line is the header."""
    headers: dict[int, int] = {}
    header: int | None = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped == PAGE_BREAK:
            continue
        if not is_table_line(stripped):
            header = None
        elif header is None:
            header = index
        else:
            headers[index] = header
    return headers


# Column roles by the words of their header cell (folded, OCR-repaired syllables).
_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("number", ("stt", "tt", "so tt", "so thu tu")),
    ("cooperating", ("phoi hop",)),
    ("lead", ("chu tri", "co quan", "don vi")),
    ("deadline", ("thoi gian", "thoi han", "tien do", "han hoan thanh", "hoan thanh")),
    ("task", ("nhiem vu", "noi dung", "cong viec", "hoat dong", "de an", "ten chuong trinh")),  # not "tên": "Họ và tên"
    ("lead", ("thuc hien",)),  # last: "Nội dung thực hiện" is a task, "Thời gian thực hiện" a deadline
)


def column_roles(header: str) -> dict[str, int]:
    """{role: column} for the roles a header names (number, task, lead, cooperating, deadline)."""
    roles: dict[str, int] = {}
    for column, cell in enumerate(cells(header)):
        words = " " + " ".join(match_tokens(cell)) + " "
        for role, cues in _ROLES:
            if role not in roles and any(f" {cue} " in words for cue in cues):
                roles[role] = column
                break
    return roles


@dataclass(frozen=True)
class RowFields:
    number: str
    task: str
    lead: str
    cooperating: str
    deadline: str


def row_fields(header: str, row: str) -> RowFields | None:
    """The row's task, lead agency, cooperating agencies and deadline, by its header's column
    names; None when the header names neither a task nor a lead column."""
    roles = column_roles(header)
    if "task" not in roles and "lead" not in roles:
        return None
    values = cells(row)
    if roles.get("number") == 0 and len(values) < len(cells(header)) and not _ROW_NUMBER.match(values[0]):
        values = ["", *values]  # a row under a merged STT cell: its cells start at the task

    def get(role: str) -> str:
        column = roles.get(role)
        return values[column] if column is not None and column < len(values) else ""

    return RowFields(get("number"), get("task"), get("lead"), get("cooperating"), get("deadline"))


def rows_with_headers(text: str, headers: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(header, row) for every data row of the tables in a text. `headers` are the header rows
    of tables the text starts inside (a chunk's table-line ancestors): a table line opening the
    text is then a row of the last of them, not a header."""
    out: list[tuple[str, str]] = []
    header: str | None = headers[-1] if headers else None
    at_start = True
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue  # blank lines and page breaks do not end a table
        if not is_table_line(stripped):
            header, at_start = None, False
            continue
        if header is None or (at_start and not headers):
            header = stripped  # the first line of a table is its header
        else:
            out.append((header, stripped))
        at_start = False
    return out

