"""The cells of an appendix or body table's row, read by its table's header: the header (a
two-line header joined), the unit stated above the table, each cell's role (lead, deadline, a
year's figure …). Shared by the one-row answer (rag/answers/table.py) and the answers that gather
several rows (rag/answers/table_select.py)."""

from __future__ import annotations

import re

from index.models import Chunk
from index.ocr_repair import display_form
from index.tables import cells, column_roles, is_delimiter_row, is_table_line
from lang.normalize import collapse_ws, match_tokens, search_terms

ROW_SECTION = re.compile(r"^PL(\d+)(?:\.[\w]+)+$")
UNIT = re.compile(r"\b(?:don vi tinh|dvt)\b")
YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# header words of the columns a question may ask for, beyond index/tables.py's roles
_PRODUCT = ("san pham", "ket qua")


def row_header(chunk: Chunk, appendix: Chunk | None = None) -> str | None:
    """The row's table header: the appendix's own text from its first table line on (a header an
    OCR'd copy wrapped is joined), else the header the chunk carries."""
    if appendix is not None:
        lines = appendix.text.split("\n")
        start = next((i for i, line in enumerate(lines) if is_table_line(line)), None)
        if start is not None:
            table = [line for line in lines[start:] if not is_delimiter_row(line)]
            stacked = stacked_header(table, len(cells(collapse_ws(chunk.text))))
            return stacked or collapse_ws(" ".join(table))
    return next((a for a in reversed(chunk.ancestors) if is_table_line(a)), None)


def stacked_header(lines: list[str], width: int) -> str | None:
    """A header printed on two lines, the first spanning the second ("TT | Sản phẩm | Kế hoạch
    2026 | … | Kế hoạch 2030" over "Lượng (Tấn) | Giá trị (Nghìn USD) | …" repeated for each
    year): one name a column, the spanning cell before the cell under it ("Kế hoạch 2030 Lượng
    (Tấn)"). The row's own width tells how many leading cells stand alone and how wide each span is."""
    if len(lines) < 2:
        return None
    top = cells(collapse_ws(lines[0]))
    under = cells(collapse_ws(lines[1]))
    while under and not under[-1]:
        under.pop()  # a closing border
    alone = width - len(under)
    spanning = len(top) - alone
    if not (len(top) < width and len(under) < width and 0 < alone < len(top) and spanning > 0
            and len(under) % spanning == 0 and len(under) // spanning >= 2):
        return None
    span = len(under) // spanning
    names = top[:alone] + [f"{top[alone + i // span]} {name}" for i, name in enumerate(under)]
    return " | ".join(names)


# the unit a budget or target table states above it: "Đơn vị tính: triệu đồng", "(ĐVT: tỷ đồng)"
_STATED_UNIT = re.compile(r"^\(?\s*(?:đơn vị tính|đơn vị|đvt)\s*:\s*([^()|]{1,40}?)\s*\)?\s*$", re.IGNORECASE)


def table_unit(appendix: Chunk | None) -> str:
    """The unit the appendix states for its figures above its table, "" when it states none."""
    if appendix is None:
        return ""
    for line in appendix.text.split("\n"):
        if is_table_line(line):
            break
        match = _STATED_UNIT.match(display_form(line.strip()))
        if match:
            return match.group(1)
    return ""


# a body task table's row ("Mục III, dòng 12", section `III.12`): its label says it is a row
_BODY_ROW_LABEL = re.compile(r", dòng \S+$")


def is_row(chunk: Chunk) -> bool:
    """A table row: an appendix's (`PL1.10`) or a body task table's (`III.12`, "Mục III, dòng 12")."""
    return bool(ROW_SECTION.match(chunk.section) or _BODY_ROW_LABEL.search(chunk.section_label))


def appendix_number(section: str) -> str | None:
    """The appendix number of a table row's section ("PL2.6" → "2"), None for another section."""
    match = ROW_SECTION.match(section)
    return match.group(1) if match else None


def row_line(chunk: Chunk) -> str | None:
    """The row as one line (a row wrapped over several lines is joined: still a verbatim span)."""
    text = collapse_ws(chunk.text)
    return text if is_table_line(text) else None


def terms(text: str) -> set[str]:
    return {t for t in search_terms(match_tokens(text)) if "_" not in t and len(t) > 1}


def row_columns(header: str, row: str) -> list[tuple[str, str, str]]:
    """(role, header cell, value) for each column of the row, as a reader should see them (OCR
    damage repaired; the citation quotes the row verbatim); a row under a merged STT cell is
    shifted to start at the task."""
    header, row = display_form(header), display_form(row)
    names = cells(header)
    values = cells(row)
    roles = column_roles(header)
    if roles.get("number") == 0 and len(values) < len(names) and not re.match(r"^\d", values[0]):
        values = ["", *values]
    if "task" not in roles and sum(bool(YEAR.search(name)) for name in names) >= 2:
        # a table of targets with a column a year ("STT | Chỉ tiêu | Đơn vị tính | Năm 2026 | …")
        # names its rows in the first column after the STT that is no year and no unit, whatever
        # its header's words: "Sản phẩm | Kế hoạch 2026 …" lists products, it is no output column
        named = [c for c in range(len(names)) if c not in (roles.get("number"), roles.get("unit"))
                 and not YEAR.search(names[c])]
        if named:
            roles = {role: column for role, column in roles.items() if column != named[0]}
            roles["task"] = named[0]
    by_column = {column: role for role, column in roles.items()}
    lead_words = match_tokens(names[roles["lead"]])[:2] if "lead" in roles else []
    out = []
    for index, name in enumerate(names):
        value = values[index] if index < len(values) else ""
        role = by_column.get(index)
        if role is None:
            folded = " ".join(match_tokens(name))
            if lead_words and match_tokens(name)[:2] == lead_words and "cooperating" not in roles:
                role = "cooperating"  # "Cơ quan phdéi hợp" (OCR) beside "Cơ quan chủ trì"
            else:
                role = "product" if any(cue in folded for cue in _PRODUCT) else "amount"
        out.append((role, name, value))
    return out


def plan_rows(chunks: list[Chunk]) -> tuple[list[Chunk], dict[str, str], dict[str, Chunk]]:
    """A plan's table rows (each with its one-line text and its table's header), the headers by
    chunk id, and the appendices by section (`PL1`), from the plan's chunks in reading order."""
    appendices = {c.section: c for c in chunks if re.fullmatch(r"PL\d+", c.section)}
    headers = {c.chunk_id: header for c in chunks if is_row(c)
               if (header := row_header(c, appendices.get(c.section.split(".")[0])))}
    rows = [c for c in chunks if is_row(c) and row_line(c) and headers.get(c.chunk_id)]
    return rows, headers, appendices
