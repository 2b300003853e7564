"""Rows of an appendix table asked together rather than one by one: an indicator row's "-"
sub-rows ("2 | Chè" over "- | Diện tích | Ha | …" and "- | Sản lượng chè búp tươi | Tấn | …"),
where the question names the measures it wants by their words; the row next to the one the
previous answer gave ("còn dòng tiếp theo thì sao?")."""

from __future__ import annotations

from index.models import Chunk
from index.tables import cells
from lang.normalize import collapse_ws, fold
from rag.answers.table_cells import row_columns, row_line, terms
from rag.cues import any_cue, group
from rag.prepared import Prepared

# the first cell of a sub-row: a dash in the STT column ("- | Diện tích | Ha | …")
_SUB_MARKS = frozenset({"-", "–", "—", "+", "*", "•"})


def _only_task(row: Chunk, header: str) -> bool:
    """A row with nothing but its number and task ("2 | Chè | | |"): a heading for the rows under it."""
    line = row_line(row) or ""
    return not any(value for role, _, value in row_columns(header, line) if role not in ("number", "task"))


def _task_terms(row: Chunk, header: str) -> set[str]:
    line = row_line(row) or ""
    return terms(next((v for role, _, v in row_columns(header, line) if role == "task"), ""))


def measure_rows(prepared: Prepared, row: Chunk, rows: list[Chunk],
                 headers: dict[str, str]) -> tuple[Chunk, list[Chunk]] | None:
    """(the indicator row, its sub-rows asked) when the row picked is an indicator whose figures
    stand in "-" sub-rows, or one of those sub-rows: the sub-rows whose measure the question
    names ("diện tích … sản lượng" → both; "diện tích" → that one), every sub-row when the
    indicator itself was picked and no measure is named. None when the row has no such sub-rows
    or the answer is the row picked alone."""
    by_section = {r.section: r for r in rows}
    parent = row
    if row.section.rsplit(".", 1)[0] in by_section and row.section.rsplit(".", 1)[-1].isdigit():
        above = by_section[row.section.rsplit(".", 1)[0]]
        if _only_task(above, headers[above.chunk_id]):
            parent = above
    if not _only_task(parent, headers[parent.chunk_id]):
        return None
    subs = [r for r in rows if r.section.rsplit(".", 1)[0] == parent.section
            and r.section.rsplit(".", 1)[-1].isdigit()
            and (cells(collapse_ws(row_line(r) or ""))[:1] or [""])[0] in _SUB_MARKS]
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


def neighbour_row(prepared: Prepared, rows: list[Chunk], best: Chunk | None,
                  headers: dict[str, str]) -> Chunk | None:
    """"còn dòng tiếp theo thì sao?" (or "dòng trước đó"): the row next to the one the previous
    answer gave (its cited row, else the row ranked first), in the table's order; a row's own
    second line and a group's title row are passed over. None when no such row is asked."""
    folded = fold(prepared.info.text)
    cues = group("table")
    step = 1 if any_cue(folded, cues["next_row"]) else -1 if any_cue(folded, cues["previous_row"]) else 0
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
