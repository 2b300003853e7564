"""Rows of an appendix table asked together rather than one by one: an indicator row's "-"
sub-rows ("2 | Chè" over "- | Diện tích | Ha | …" and "- | Sản lượng chè búp tươi | Tấn | …"),
where the question names the measures it wants by their words; the row next to the one the
previous answer gave ("còn dòng tiếp theo thì sao?")."""

from __future__ import annotations

import re

from index.models import Chunk
from index.row_paths import SUB_MARKS
from index.tables import cells
from lang.normalize import collapse_ws, fold, match_tokens
from rag.answers.common import citation
from rag.answers.table_cells import row_columns, row_line, terms
from rag.cues import any_cue, group
from rag.prepared import Prepared
from rag.prompts import slot
from rag.types import Citation

# the first cell of a sub-row: a dash in the STT column ("- | Diện tích | Ha | …")
_SUB_MARKS = SUB_MARKS


def _first_cell(row: Chunk) -> str:
    return (cells(collapse_ws(row_line(row) or ""))[:1] or [""])[0]


def _only_task(row: Chunk, header: str) -> bool:
    """A row with nothing but its number and task ("2 | Chè | | |"): a heading for the rows under it."""
    line = row_line(row) or ""
    return not any(value for role, _, value in row_columns(header, line) if role not in ("number", "task"))


def _task_terms(row: Chunk, header: str) -> set[str]:
    line = row_line(row) or ""
    return terms(next((v for role, _, v in row_columns(header, line) if role == "task"), ""))


def sub_parent(row: Chunk, by_section: dict[str, Chunk]) -> Chunk | None:
    """The row a "-" sub-row stands under ("2 | Tỷ lệ lao động qua đào tạo" over "| | - Trong đó: có
    văn bằng, chứng chỉ"): a sub-row names a part or a measure of its parent's indicator, so it is
    read, and named, with its parent's words. None for a numbered row, or a row's own second line
    (no dash: the same task wrapped)."""
    parent_section, _, last = row.section.rpartition(".")
    if not last.isdigit() or parent_section not in by_section:
        return None
    row_cells = cells(collapse_ws(row_line(row) or ""))
    first = row_cells[0] if row_cells else ""
    # the dash in the STT column, or opening the task cell under an empty STT ("| | - Trong đó: …")
    opening = next((c for c in row_cells if c), "")
    if first in _SUB_MARKS or not first and opening[:1] in _SUB_MARKS:
        return by_section[parent_section]
    return None


def sub_task(row: Chunk, parent: Chunk, header: str) -> str:
    """The task a sub-row names in full: its parent's and its own ("Tỷ lệ lao động qua đào tạo —
    Trong đó: có văn bằng, chứng chỉ"), its dash dropped."""
    own = next((v for role, _, v in row_columns(header, row_line(row) or "") if role == "task"), "")
    above = next((v for role, _, v in row_columns(header, row_line(parent) or "") if role == "task"), "")
    own = own.lstrip("".join(_SUB_MARKS) + " ")
    return f"{above} — {own}" if above and own else own or above


def measure_rows(prepared: Prepared, row: Chunk, rows: list[Chunk],
                 headers: dict[str, str]) -> tuple[Chunk, list[Chunk]] | None:
    """(the indicator row, its sub-rows asked) when the row picked is an indicator whose figures
    stand in "-" sub-rows, or one of those sub-rows: the sub-rows whose measure the question
    names ("diện tích … sản lượng" → both; "diện tích" → that one), every sub-row when the
    indicator itself was picked and no measure is named. None when the row has no such sub-rows
    or the answer is the row picked alone."""
    by_section = {r.section: r for r in rows}
    parent = row
    if row.section.rsplit(".", 1)[0] in by_section and row.section.rsplit(".", 1)[-1].isdigit() \
            and _first_cell(row) in _SUB_MARKS:  # a sub-row, not a numbered row under its group row
        above = by_section[row.section.rsplit(".", 1)[0]]
        if _only_task(above, headers[above.chunk_id]):
            parent = above
    if not _only_task(parent, headers[parent.chunk_id]):
        return None
    subs = [r for r in rows if r.section.rsplit(".", 1)[0] == parent.section
            and r.section.rsplit(".", 1)[-1].isdigit()
            and _first_cell(r) in _SUB_MARKS]
    if len(subs) < 2:
        return None
    asked = terms(prepared.info.text)
    own_terms = _task_terms(parent, headers[parent.chunk_id])
    measures = {sub.chunk_id: _task_terms(sub, headers[sub.chunk_id]) - own_terms for sub in subs}
    named = [sub for sub in subs if measures[sub.chunk_id] & asked]
    if not named:
        return (parent, subs) if parent is row else None
    if named == [row]:
        return None
    return parent, named


def neighbour_step(prepared: Prepared) -> int:
    """1 for "dòng tiếp theo", -1 for "dòng trước đó", 0 when no row is named by its place."""
    folded = fold(prepared.info.text)
    cues = group("table")
    return 1 if any_cue(folded, cues["next_row"]) else -1 if any_cue(folded, cues["previous_row"]) else 0


def neighbour_row(prepared: Prepared, rows: list[Chunk], best: Chunk | None,
                  headers: dict[str, str]) -> Chunk | None:
    """"còn dòng tiếp theo thì sao?" (or "dòng trước đó"): the row next to the one the previous
    answer gave (its cited row, else the row ranked first), in the table's order; a row's own
    second line and a group's title row are passed over. None when no such row is asked."""
    step = neighbour_step(prepared)
    if not step:
        return None
    ordered = sorted(rows, key=lambda r: (r.source, r.start_line))
    anchors = [r for r in ordered if (r.source, r.section) in prepared.follows]
    anchor = anchors[0] if anchors else best if best is not None and best in ordered else None
    if anchor is None:
        return None
    position = ordered.index(anchor)
    candidates = ordered[position + 1:] if step > 0 else list(reversed(ordered[:position]))
    for row in candidates:
        if row.source != anchor.source or _appendix(row) != _appendix(anchor):
            return None
        if row.section.startswith(anchor.section + ".") or _only_task(row, headers[row.chunk_id]):
            continue  # the anchor's own second line, a group's title row
        if step < 0 and anchor.section.startswith(row.section + "."):
            continue
        return row
    return None


def _appendix(row: Chunk) -> str:
    return row.section.split(".", 1)[0]


# a group row's title shares this much of its words with the question to name the group
MIN_GROUP_SHARE = 0.75
# a group title's opening words the question holds in a row to name it ("cải cách tổ chức bộ máy")
MIN_OPENING = 3
# a cell value the question quotes names rows when it has this many words ("Hằng năm", "Quý III/2025")
MIN_VALUE_WORDS = 2
# cells that name who acts: rows asked by a body are listed by _agency_rows (rag/answers/table.py)
_BODY_ROLES = ("number", "task", "lead", "cooperating")


def _group_rows(rows: list[Chunk], headers: dict[str, str]) -> dict[str, list[Chunk]]:
    """{group row's section: its rows} for each table grouped under Roman-numbered rows, in the
    table's order; a row's own second line (`PL1.IV.2.1`) stays with its row, not listed."""
    out: dict[str, list[Chunk]] = {}
    current: str | None = None
    for row in sorted(rows, key=lambda r: (r.source, r.start_line)):
        if _GROUP_SECTION.match(row.section):
            current = row.section
            out[current] = [row]
        elif current is not None and _appendix(row) == _appendix(out[current][0]):
            if not any(row.section.startswith(kept.section + ".") for kept in out[current][1:]):
                out[current].append(row)
        else:
            current = None
    return out


_GROUP_SECTION = re.compile(r"^PL\d+\.(?:[IVXLC]+|[A-Z])$")  # a group row: Roman or capital letter (index/row_paths.py)


def _named_group(prepared: Prepared, groups: dict[str, list[Chunk]], headers: dict[str, str]) -> list[Chunk] | None:
    """The group row (first) and its rows, when the question names the group: most of its
    title's words, or its title's opening words in a row ("nhóm cải cách tổ chức bộ máy" for "CẢI
    CÁCH TỔ CHỨC BỘ MÁY, CHẾ ĐỘ CÔNG VỤ"); a title named in part needs "nhóm", "thuộc" … with it."""
    asked = terms(prepared.info.text)
    spoken = " " + " ".join(match_tokens(prepared.info.text)) + " "
    scored = []
    for section, members in groups.items():
        line = row_line(members[0]) or ""
        title_text = next((v for role, _, v in row_columns(headers[members[0].chunk_id], line) if role == "task"), "")
        title, words = terms(title_text), match_tokens(title_text)
        if len(title) < 2 or len(members) < 2:
            continue
        share = len(title & asked) / len(title)
        opening = max((n for n in range(MIN_OPENING, len(words) + 1) if f" {' '.join(words[:n])} " in spoken), default=0)
        if share >= MIN_GROUP_SHARE and len(title & asked) >= 2 or opening:
            scored.append((share == 1, opening + len(title & asked), section))
    scored.sort(reverse=True)
    if not scored or len(scored) > 1 and scored[1][:2] == scored[0][:2]:
        return None
    if not scored[0][0] and not any_cue(fold(prepared.info.text), group("table")["group_named"]):
        return None
    return groups[scored[0][2]]


def _by_value(prepared: Prepared, rows: list[Chunk], headers: dict[str, str]) -> tuple[str, str, list[Chunk]] | None:
    """(column name, value, rows) when the question quotes a cell value several rows may share
    ("có thời gian thực hiện “Hằng năm”" → the rows whose time cell reads "Hằng năm"); the longest
    value quoted wins; a value every row holds selects nothing."""
    asked = " " + " ".join(match_tokens(prepared.info.text)) + " "
    found: dict[tuple[str, str], list[Chunk]] = {}
    for row in rows:
        for role, name, value in row_columns(headers[row.chunk_id], row_line(row) or ""):
            words = match_tokens(value)
            if role in _BODY_ROLES or len(words) < MIN_VALUE_WORDS or f" {' '.join(words)} " not in asked:
                continue
            found.setdefault((name, " ".join(words)), []).append(row)
    if not found:
        return None
    (name, _), hits = max(found.items(), key=lambda item: (len(item[0][1]), len(item[1])))
    if len(hits) >= len(rows):
        return None
    value = next(v for role, n, v in row_columns(headers[hits[0].chunk_id], row_line(hits[0]) or "") if n == name)
    return name, value, hits


def selected_rows(prepared: Prepared, rows: list[Chunk], headers: dict[str, str],
                  citations: list[Citation]) -> tuple[str, str] | None:
    """(label, lines) of the rows a question selects together: those under the group it names
    ("những nhiệm vụ nào thuộc nhóm chính quyền số?"), those whose cell holds the value it quotes
    ("nhiệm vụ nào có thời gian Hằng năm?"), or both; None when it selects none this way."""
    folded = fold(prepared.info.text)
    if prepared.info.agencies or not any_cue(folded, group("table")["select"]):
        return None
    data = [r for r in rows if not _only_task(r, headers[r.chunk_id])]
    chosen = _named_group(prepared, _group_rows(rows, headers), headers)
    head: Chunk | None = None
    if chosen is not None:
        head, data = chosen[0], [r for r in chosen[1:] if not _only_task(r, headers[r.chunk_id])]
    valued = _by_value(prepared, data, headers)
    if head is None and valued is None:
        return None
    if valued is not None:
        data = valued[2]
    if not data:
        return None
    lines = []
    if head is not None:
        citations.append(citation(len(citations) + 1, head, collapse_ws(row_line(head) or "")))
        title = next((v for role, _, v in row_columns(headers[head.chunk_id], row_line(head) or "") if role == "task"), "")
        lines.append(slot("table_group_intro", group=f"{title} [{len(citations)}]", count=len(data)))
    if valued is not None:
        lines.append(slot("table_value_intro", header=valued[0], value=valued[1], count=len(data)))
    for row in data:
        columns = row_columns(headers[row.chunk_id], row_line(row) or "")
        task = next((v for role, _, v in columns if role == "task"), "") or collapse_ws(row_line(row) or "")
        when = "; ".join(v for role, _, v in columns if v and role in ("lead", "deadline")
                         and (valued is None or v != valued[1]))
        citations.append(citation(len(citations) + 1, row, collapse_ws(row_line(row) or "")))
        lines.append(slot("table_rows_item", task=task, when=f" ({when})" if when else "", n=len(citations)))
    label = re.sub(r",\s*(?:nhóm|dòng).*$", "", (head or data[0]).section_label)
    return label, "\n".join(lines)
