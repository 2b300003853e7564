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

from lang.normalize import match_tokens

CELL_SEPARATOR = " | "
_ROW_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*|[IVXLC]+|[a-zđ])[.)]?$")
PAGE_BREAK = "\f"


def is_table_line(line: str) -> bool:
    return CELL_SEPARATOR in line.strip(" \t")


def _has_cells(line: str) -> bool:
    """A table line, or a piece of a re-wrapped row that starts or ends at a cell border ("| Sở
    Nông nghiệp ... |")."""
    stripped = line.strip()
    return is_table_line(stripped) or (len(stripped) > 1 and (stripped.startswith("|") or stripped.endswith("|")))


def cells(line: str) -> list[str]:
    """The cells of a table line. A line that opens with a border ("| 1 | Rà soát … | Quý II |",
    a bordered or Markdown table) has no cell before it: its first cell is the STT, as in a
    borderless line ("1 | Rà soát …")."""
    stripped = line.strip()
    values = [cell.strip() for cell in stripped.split(CELL_SEPARATOR.strip())]
    if len(values) > 2 and stripped.startswith("|") and is_table_line(stripped[1:]):
        values = values[1:]
    return values


_DELIMITER_CELL = re.compile(r"^:?-{3,}:?$")


# an OCR'd rule: its dashes read as "=", "[", "_" ("| --- | --- [= |= |---| |")
_RULE_CELL = re.compile(r"^[-=_:;.,'\[\](){}| ]+$")


def is_delimiter_row(line: str) -> bool:
    """The rule under a Markdown table's header ("| --- | :---: |"): a border, not a row. An
    OCR'd rule keeps some of its dashes and reads the rest as "=" or brackets: a line whose cells
    hold no letter nor figure and that has a run of dashes is a rule too (a row always says
    something)."""
    values = [v for v in cells(line) if v]
    if bool(values) and all(_DELIMITER_CELL.match(v) for v in values):
        return True
    return bool(values) and "--" in line and all(_RULE_CELL.match(v) for v in values)


def table_headers(lines: Sequence[str]) -> dict[int, int]:
    """{index of a data row: index of its table's header row} (0-based indexes into lines).

    A table is a run of table lines; blank lines and page breaks inside the run do not end it
    (a table continued on the next page keeps its header), nor does a short line between two
    table lines (the end of a cell OCR wrapped onto its own line; in OCR'd text a line of any
    length: a long cell wraps over whole lines, and the rule under a header comes out as letters,
    "Deed eed el eed"). Its first line is the header, and the lines an OCR'd copy wrapped it over
    are the header too, not rows (`_header_goes_on`)."""
    return {row: header for row, (header, _) in _table_rows(lines).items()}


def joined_headers(lines: Sequence[str]) -> dict[int, str]:
    """{index of a data row: its table's header as one line}: a header OCR wrapped over several
    lines ("| STT | Xã | Lực lượng (người) | Dân" / "quân (người) | … |") comes back whole, so the
    row's search text and the answer name every column."""
    return {row: text for row, (_, text) in _table_rows(lines).items()}


def _table_rows(lines: Sequence[str]) -> dict[int, tuple[int, str]]:
    ocr = _looks_ocr(lines)
    out: dict[int, tuple[int, str]] = {}
    header: int | None = None
    header_text = ""
    in_header = False  # the header's lines go on (OCR wrapped it)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped == PAGE_BREAK:
            continue
        if not _has_cells(stripped):
            if header is not None and _wrapped_cell_end(stripped, lines[index + 1:], ocr):
                if in_header and not (ocr and header_text.endswith("|")):
                    header_text = f"{header_text} {stripped}"  # a header cell's wrapped words
                continue
            header = None
        elif header is None:
            header, header_text = index, stripped
            in_header = ocr and _header_goes_on(header_text, stripped, True)
        elif in_header and _header_goes_on(header_text, stripped, False):
            header_text = f"{header_text} {stripped}"
            in_header = not (header_text.startswith("|") and header_text.endswith("|"))
        elif not is_delimiter_row(stripped):
            in_header = False
            out[index] = (header, header_text)
    return out


def _header_goes_on(header: str, line: str, first: bool) -> bool:
    """Is `line` more of an OCR-wrapped header? A bordered header ("| STT | … |") is open until a
    line closes it with its border; a header numbered by STT goes on until a line opens with a
    row's number (a row, and so the table's first row, opens with its STT)."""
    bordered = header.startswith("|")
    numbered = cells(header)[0].lower() in ("stt", "tt")
    if first:
        # OCR closes a re-wrapped line with a border of its own ("| STT | … | Nơi nhận |" / "Kỳ báo
        # cáo | Thời hạn gửi |"): a header numbered by STT may go on even so
        return numbered or (bordered and not header.endswith("|"))
    if is_delimiter_row(line):
        return False
    if _ROW_NUMBER.match(cells(line)[0]):
        return False  # the first row
    if bordered and header.endswith("|"):
        # the rest of the header opens mid-cell, without a border (a row opens with "| <STT> |",
        # a group with its own cell); a line without cells is the rule under it, OCR'd as letters
        return numbered and _has_cells(line) and not line.strip().startswith("|")
    return True


# Column roles by the words of their header cell (folded, OCR-repaired syllables), first match wins.
_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("number", ("stt", "tt", "so tt", "so thu tu")),
    ("unit", ("don vi tinh", "dvt")),  # "Đơn vị tính" is no lead ("đơn vị")
    # "Cơ quan nhận báo cáo", "Nơi nhận", "Gửi về": where the row's report goes (before "cơ quan": a lead)
    ("recipient", ("nhan bao cao", "noi nhan", "co quan nhan", "don vi nhan", "gui ve", "gui den")),
    ("cooperating", ("phoi hop",)),
    ("frequency", ("tan suat", "ky bao cao", "dinh ky")),  # "Kỳ báo cáo", "Tần suất": how often
    ("lead", ("chu tri", "co quan", "don vi")),
    ("deadline", ("thoi gian", "thoi han", "tien do", "han hoan thanh", "hoan thanh")),
    ("task", ("nhiem vu", "noi dung", "cong viec", "hoat dong", "de an", "ten chuong trinh")),  # not "tên": "Họ và tên"
    # "Báo cáo kết quả", "Hình thức báo cáo", "Chế độ báo cáo" (a second time column, "Thời hạn báo
    # cáo", lands here too): what the row's lead reports, to whom, when
    ("report", ("bao cao",)),
    ("product", ("san pham", "ket qua")),
    ("note", ("ghi chu",)),
    ("place", ("dia diem",)),
    ("lead", ("thuc hien",)),  # last: "Nội dung thực hiện" is a task, "Thời gian thực hiện" a deadline
)


_YEAR_COLUMN = re.compile(r"\b(?:19|20)\d\d\b")


def column_roles(header: str) -> dict[str, int]:
    """{role: column} for the roles a header names (number, task, lead, cooperating, deadline,
    recipient, frequency, report, product)."""
    roles: dict[str, int] = {}
    names = cells(header)
    folded = [" ".join(match_tokens(cell)) for cell in names]
    # "Đơn vị" alone in a table of targets ("Chỉ tiêu | Đơn vị | Năm 2026 | Năm 2027"): the unit
    targets = any(f.startswith("chi tieu") for f in folded) or sum(bool(_YEAR_COLUMN.search(f)) for f in folded) >= 2
    for column in range(len(names)):
        if targets and folded[column] == "don vi" and "unit" not in roles:
            roles["unit"] = column
            continue
        words = " " + folded[column] + " "
        for role, cues in _ROLES:
            if role not in roles and any(f" {cue} " in words for cue in cues):
                roles[role] = column
                break
    return roles


def reports_table(header: str) -> bool:
    """A table whose rows are reports ("Nội dung báo cáo | Cơ quan báo cáo | Cơ quan nhận báo cáo |
    Thời hạn báo cáo"): its task, lead or time column says "báo cáo", or it has a recipient column."""
    roles = column_roles(header)
    names = cells(header)
    if "recipient" in roles:
        return True
    return any(" bao cao " in f" {' '.join(match_tokens(names[roles[role]]))} "
               for role in ("task", "lead", "deadline") if role in roles)


@dataclass(frozen=True)
class RowFields:
    number: str
    task: str
    lead: str
    cooperating: str
    deadline: str
    report: str = ""  # the row's report column ("Báo cáo UBND tỉnh (qua Sở X) hằng tháng")
    recipient: str = ""
    frequency: str = ""
    product: str = ""
    note: str = ""  # "Ghi chú": may say where the result goes ("Gửi Sở X", "Báo cáo UBND tỉnh")


def row_fields(header: str, row: str) -> RowFields | None:
    """The row's task, lead agency, cooperating agencies and deadline (and its report, recipient,
    frequency and product cells), by its header's column names; None when the header names neither
    a task nor a lead column."""
    roles = column_roles(header)
    if "task" not in roles and "lead" not in roles:
        return None
    values = cells(row)
    if roles.get("number") == 0 and len(values) < len(cells(header)) and not _ROW_NUMBER.match(values[0]):
        values = ["", *values]  # a row under a merged STT cell: its cells start at the task

    def get(role: str) -> str:
        column = roles.get(role)
        return values[column] if column is not None and column < len(values) else ""

    return RowFields(get("number"), get("task"), get("lead"), get("cooperating"), get("deadline"),
                     get("report"), get("recipient"), get("frequency"), get("product"),
                     get("note"))


def _wrapped_cell_end(stripped: str, following: Sequence[str], ocr: bool = False) -> bool:
    """A short line without cells followed by a table line: the end of a cell that OCR wrapped
    onto its own line ("Quý" | "III/2026"), or a page number between two rows of a table. In
    OCR'd text (`ocr`) a line of any length: a long cell wraps over whole lines."""
    after = next((ln.strip() for ln in following if ln.strip() and ln.strip() != PAGE_BREAK), "")
    return (ocr or len(stripped.split()) <= 4) and _has_cells(after)


def _starts_row(line: str) -> bool:
    """A table line whose first cell is a row number or a group's mark ("9 | ...", "II | ...")."""
    return bool(_ROW_NUMBER.match(cells(line)[0]))


def _looks_ocr(lines: Sequence[str]) -> bool:
    """Text that English-model OCR made: hardly a word with a Vietnamese-only letter (clean
    Vietnamese has one in about half its words)."""
    words = [w for ln in lines for w in ln.split() if any(ch.isalpha() for ch in w)]
    marked = sum(any(ch.isalpha() and 0x100 <= ord(ch) <= 0x1EFF for ch in w) for w in words)
    return len(words) >= 8 and marked < 0.1 * len(words)


def _logical_rows(lines: list[str], header_cells: int | None) -> list[str]:
    """Table lines put back into rows. In OCR'd text a row re-wrapped to the page width goes on
    over the next lines while it has fewer cells than the header or its last cell is open
    ("... |"), unless a line starts with the next row's number; a short line without cells
    between table lines ends a cell. A clean table (one line a row: DOCX, PDF readers) comes back
    as it is."""
    if not _looks_ocr(lines):
        return [ln for ln in lines if is_table_line(ln)]  # as before: one line a row
    out: list[str] = []
    cells_so_far = 0
    last_number: int | None = None
    building_header = header_cells is None
    if building_header and lines:
        # a header OCR wrapped over lines ("| STT | … | Đơn vị" / "phối hợp | Địa bàn |") is one
        # row: its cells count the columns every row must fill before it closes
        header, taken = lines[0], 1
        if _header_goes_on(header, header, True):
            while taken < len(lines) and _header_goes_on(header, lines[taken], False):
                header, taken = f"{header} {lines[taken]}", taken + 1
        out, lines, header_cells, building_header = [header], lines[taken:], len(cells(header)), False
        cells_so_far = header_cells
    rows_from = len(out)  # a closed header takes no more lines (the rule under it, OCR'd "|| =f [ll]")
    for line in lines:
        if out and not _has_cells(line):
            if len(out) > rows_from:
                out[-1] = f"{out[-1]} {line}"  # a cell's words wrapped onto a line of their own
            continue  # right under the closed header: its rule, OCR'd as letters ("Ja fa ff pe")
        first = cells(line)[0]
        number = int(first) if re.fullmatch(r"\d{1,3}", first) else None
        open_row = len(out) > rows_from and (cells_so_far < (header_cells or 0) or out[-1].endswith("|"))
        next_row = number is not None and number == (last_number or 0) + 1
        if open_row and not next_row:
            out[-1] = f"{out[-1]} {line}"
            cells_so_far += len(cells(line)) - 1
        else:
            out.append(line)
            cells_so_far = len(cells(line))
            if number is not None:
                last_number = number
        if building_header and len(out) == 1:
            header_cells = cells_so_far
    return out


def rows_with_headers(text: str, headers: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(header, row) for every data row of the tables in a text. `headers` are the header rows
    of tables the text starts inside (a chunk's table-line ancestors): a table line opening the
    text is then a row of the last of them, not a header. Rows OCR re-wrapped over several
    lines are put back together (`_logical_rows`)."""
    out: list[tuple[str, str]] = []
    lines = [ln.strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if ln and ln != PAGE_BREAK]  # blank lines and page breaks do not end a table
    ocr = _looks_ocr(lines)  # a row re-wrapped by OCR may have lines without cells, of any length
    index = 0
    first = True
    while index < len(lines):
        if not is_table_line(lines[index]):
            index += 1
            first = False
            continue
        run = [lines[index]]
        index += 1
        while index < len(lines) and (_has_cells(lines[index]) or _wrapped_cell_end(lines[index], lines[index + 1:], ocr)
                                      or (ocr and run[-1].endswith("|"))):  # an open last cell goes on below
            run.append(lines[index])
            index += 1
        inherited = headers[-1] if headers and first else None
        rows = _logical_rows(run, len(cells(inherited)) if inherited else None)
        if inherited is None:
            header, rows = rows[0], rows[1:]  # the first line of a table is its header
        else:
            header = inherited
        out.extend((header, row) for row in rows if not is_delimiter_row(row))
        first = False
    return out
