"""Appendix task tables (the genre's "Phụ lục I: danh mục nhiệm vụ" — STT | Nhiệm vụ | Cơ quan chủ
trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm — and budget tables): a question names a
row (its STT, "nhiệm vụ số 10", or its task's words) and a column (by the header's own words);
the answer names the row's task and gives the cells asked, cited as the row (`PL<n>.<STT>`,
"Phụ lục I, dòng 10"; `PL<n>.<group>.<STT>` in a table grouped under Roman-numbered rows). A table
of targets with a column a year gives the cell at the row asked x the year asked. Rows are the
chunks ingest made of each table line (index/chunking.py)."""

from __future__ import annotations

import re

from index.models import Chunk
from index.obligations.deadlines import _time_value
from index.tables import cells, reports_table
from lang.agencies import find_agencies, find_bodies
from lang.dates import months_asked, months_covered
from lang.normalize import collapse_ws, fold, match_tokens
from rag.answers.common import citation
from rag.answers.reader import MIN_COVERAGE, PlanReader
from rag.answers.reporting import actor_phrase
from rag.answers.table_cells import UNIT as _UNIT
from rag.answers.table_cells import YEAR as _YEAR
from rag.answers.table_cells import appendix_number as _appendix_number
from rag.answers.table_cells import is_row, plan_rows
from rag.answers.table_cells import row_columns as _columns
from rag.answers.table_cells import row_header as _header
from rag.answers.table_cells import row_line as _row_line
from rag.answers.table_cells import table_unit as _table_unit
from rag.answers.table_cells import terms as _terms
from rag.answers.table_select import (
    measure_rows,
    neighbour_row,
    neighbour_step,
    selected_rows,
    sub_parent,
    sub_task,
)
from rag.cues import any_cue, group, has_cue
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message, slot
from rag.types import Citation

# a row the question names by its number: "STT 6", "nhiệm vụ số 10", "dòng 12", "số thứ tự 3"
_ROW_NUMBER = re.compile(r"\b(?:stt|so thu tu|dong(?: so)?|nhiem vu(?: so| thu)?|muc so|noi dung so)\s+(\d{1,3})\b")
_APPENDIX = re.compile(r"\bphu luc\s+(\d+|[ivx]+)\b")
# the further rows of one reference: "nhiệm vụ số 4 và 8", "các dòng 2, 3, 5"
_MORE_ROWS = re.compile(r"^(?:\s*(?:,|va)\s*(\d{1,3})\b)")


def row_numbers(text: str) -> list[str]:
    """The row numbers a sentence names ("Chủ trì các nhiệm vụ số 4 và 8 tại Phụ lục I" → 4, 8)."""
    folded = " ".join(fold(text).split())
    found: list[str] = []
    for match in _ROW_NUMBER.finditer(folded):
        found.append(match.group(1))
        rest = folded[match.end():]
        while (more := _MORE_ROWS.match(rest)) is not None:
            found.append(more.group(1))
            rest = rest[more.end():]
    return list(dict.fromkeys(found))


# the group a grouped table's row is under: "nhóm II", "nhom iv" (rows `PL<n>.<group>.<STT>`)
_GROUP = re.compile(r"\bnhom\s+([ivxlc]+|\d{1,2})\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_ROMAN_MARKS = {value: mark.upper() for mark, value in _ROMAN.items()}
# enough of a row's task words in the question to name that row without its number
MIN_TASK_OVERLAP = 0.6
# a task named this well is the row asked, whatever month the question names with it
NAMED_TASK = 0.8
def _asked_roles(folded: str) -> set[str]:
    cues = group("table")
    roles = {role for role in ("lead", "cooperating", "deadline", "product", "amount", "task", "place", "recipient")
             if any_cue(folded, cues[role])}
    if any_cue(folded, cues["to_whom"]):
        roles.add("recipient")
    if "recipient" in roles:
        roles.add("report")  # a task table's "Báo cáo kết quả" column says to whom the row reports
    if "deadline" in roles or any_cue(folded, cues["frequency"]):
        roles.add("frequency")  # a report's "Kỳ báo cáo" ("6 tháng, năm") is half of when it is due
    if "place" in roles:
        roles.add("note")  # "Ghi chú: Tại phường X" says where when no column does
    if "cooperating" not in roles and any_cue(folded, ("ai",)):
        roles.add("lead")  # "ai tham mưu …?": who does the row's task is its lead
    return roles


def _appendix(folded: str) -> int | None:
    match = _APPENDIX.search(folded)
    if not match:
        return None
    value = match.group(1)
    return int(value) if value.isdigit() else _ROMAN.get(value)


def _asks_frequency(prepared: Prepared) -> bool:
    """How often is asked: "theo định kỳ nào", "bao lâu … một lần", "mấy lần"."""
    folded = fold(prepared.info.text)
    return "frequency" in prepared.info.asked or ("bao lau" in folded and "mot lan" in folded)


def _names_table(prepared: Prepared) -> bool:
    """The question names a table: in its subject, or with the plan it names ("Theo Phụ lục Kế
    hoạch số 47/KH-UBND, …", words the subject leaves out as the plan's name)."""
    cues = group("table")["names"]
    # a follow-up ("còn xoài thì sao?") asks of the table the turn before it named
    return any(any_cue(fold(text), cues) for text in (prepared.info.subject, prepared.info.text, prepared.before))


def pick_row(prepared: Prepared, rows: list[Chunk], best: Chunk | None, headers: dict[str, str],
             target: bool = False) -> Chunk | None:
    """The row the question names: by its number (within the appendix named), else by its task's
    words, else the row the retrieval ranked first. `target`: a figure of a year asked of a
    targets table the question does not name: only a row its task's words name well will do."""
    folded = fold(prepared.info.subject or prepared.info.text)
    named_table = _names_table(prepared)
    appendix = _appendix(folded) or _appendix(fold(prepared.info.text)) or _appendix(fold(prepared.before))
    if appendix is not None:
        rows = [r for r in rows if _appendix_number(r.section) == str(appendix)] or rows
    near = neighbour_row(prepared, rows, best, headers)
    if near is not None:
        return near  # "còn dòng tiếp theo …?": the row after the one the previous answer gave
    number = _ROW_NUMBER.search(folded)
    group_named = _GROUP.search(folded)
    if number and group_named:
        # "nhiệm vụ số 2 của nhóm II", "Nhóm I, STT 4", "dòng 3 nhóm IV": the row under that group
        mark = group_named.group(1)
        mark = _ROMAN_MARKS.get(int(mark), mark) if mark.isdigit() else mark.upper()
        hit = [r for r in rows if r.section.endswith(f".{mark}.{number.group(1)}")]
        if len(hit) == 1:
            return hit[0]
    if number and named_table or number and appendix is not None:
        wanted = number.group(1)
        hit = [r for r in rows if r.section.rsplit(".", 1)[-1] == wanted]
        if len(hit) == 1:
            return hit[0]
    # the subject without the plan's own words ("tỉnh Lạng Sơn", "năm 2026"), which a row's task may
    # hold too ("Phiên chợ … tỉnh Lạng Sơn năm 2026"): a task word the question names is asked
    asked = _terms(prepared.info.subject or prepared.info.text) | _terms(prepared.info.text)
    tasks: list[tuple[Chunk, set[str]]] = []
    texts: dict[Chunk, str] = {}
    by_section = {r.section: r for r in rows}
    for row in rows:
        line = _row_line(row)
        header = headers.get(row.chunk_id)
        if not line or not header:
            continue
        columns = _columns(header, line)
        if not any(value for role, _, value in columns if role not in ("number", "task")):
            continue  # a group's title row ("IV | NHÓM NHIỆM VỤ …"): no cell to answer with
        texts[row] = next((v for role, _, v in columns if role == "task"), "")
        words = _terms(texts[row])
        if (parent := sub_parent(row, by_section)) is not None:
            # "- Trong đó: có văn bằng, chứng chỉ" is the part of its parent's indicator: asked
            # with the parent's words and its own, it is the better match than the parent alone
            words |= _terms(sub_task(row, parent, header))
        if words:
            tasks.append((row, words))
    # the question's words that could name a task (not the plan's number, the column asked, …)
    about_tasks = asked & set().union(*(words for _, words in tasks)) if tasks else set()
    scored = []
    for row, words in tasks:
        matched = len(words & asked)
        share = matched / len(words)
        # how well the task and the question's task words match each other (a short task inside
        # a longer one asked is not the one asked), then the share of the task's words asked, then
        # how many ("Tổng cộng" is asked too)
        both = 2 * matched / (len(words) + len(about_tasks))
        scored.append(((both, share, matched), row))
    scored.sort(key=lambda x: x[0], reverse=True)
    unique = bool(scored) and scored[0][0][1] >= MIN_TASK_OVERLAP and (len(scored) == 1 or scored[0][0] > scored[1][0])
    if unique and named_table:
        pairs = _own_pairs(prepared.info.text, texts)
        own = max(pairs, key=lambda r: len(pairs[r]), default=None)
        if own is not None and own is not scored[0][1] and not pairs.get(scored[0][1]) \
                and len(pairs[own]) >= MIN_OWN_WORDS and all(len(pairs[r]) * 2 < len(pairs[own]) for r in pairs if r is not own):
            # every row repeats a long phrase ("… Hệ thống thông tin và cơ sở dữ liệu quốc gia về
            # quy hoạch"): a short task wins on its share of it, yet the question quotes another
            # row's own words ("… xây dựng phần mềm của …"), which no other task holds
            scored.insert(0, next(item for item in scored if item[1] is own))
    if named_table and not unique and (led := _by_lead(prepared, [item[1] for item in scored], headers)) is not None:
        # "theo biểu trách nhiệm báo cáo, UBND các xã gửi … cho ai?": a reports table's row is named
        # by the body in its first column more than by its task's words
        return led
    by_month = _by_month(prepared, rows, headers) if named_table or appendix is not None else None
    if by_month is not None and not (unique and scored[0][0][1] >= NAMED_TASK):
        return by_month  # "tháng 8 kiểm tra gì?" of a schedule: the row whose time cell covers August
    if unique and (named_table or target or sub_parent(scored[0][1], by_section) is best):
        # the table named, the row by its task's words; or the retrieval's row's own part its
        # qualifier names ("… khu vực nông thôn" under "Số người tham gia bảo hiểm …")
        return scored[0][1]
    if target:
        return None
    if named_table and (own := _by_own_words(tasks, asked)) is not None:
        return own  # "tiêm vắc xin Td" for "Tiêm vắc xin Td cho học sinh lớp 2 và lớp 7"
    if best is not None and is_row(best):
        return best
    return None


def _by_lead(prepared: Prepared, ranked: list[Chunk], headers: dict[str, str]) -> Chunk | None:
    """The row whose lead cell names the body the question names, when one row's does (of several,
    the first by its task's words: `ranked` is in their order); None when none does."""
    asked_words = match_tokens(prepared.info.text)
    wanted = set(prepared.info.agencies)
    led = []
    for row in ranked:
        cell = next((v for role, _, v in _columns(headers[row.chunk_id], _row_line(row) or "") if role == "lead"), "")
        if cell and (wanted & {m.name for m in find_agencies(cell)} or _names_cell_body(asked_words, cell)):
            led.append(row)
    return led[0] if led else None


def _by_month(prepared: Prepared, rows: list[Chunk], headers: dict[str, str]) -> Chunk | None:
    """The one row whose time cell covers the month the question names ("tháng 8" → "Tháng 8/2026",
    "tháng 6" → "Tháng 6 - 7/2026"): a schedule's rows are named by when, and a task's own words
    ("Tháng hành động …") must not outweigh it. None when no month is asked or several rows cover it."""
    asked = months_asked(fold(prepared.info.text))
    if not asked:
        return None
    hits = []
    for row in rows:
        line = _row_line(row)
        if not line:
            continue
        when = next((v for role, _, v in _columns(headers[row.chunk_id], line) if role == "deadline"), "")
        if when and asked & months_covered(fold(when)):
            hits.append(row)
    return hits[0] if len(hits) == 1 else None


# the words of a row's task the question names that no other row's task holds: enough of them
# name the row by its opening words, however long the task goes on
MIN_OWN_WORDS = 2


def _pairs(text: str) -> set[tuple[str, str]]:
    words = match_tokens(text)
    return set(zip(words, words[1:], strict=False))


def _own_pairs(question: str, texts: dict[Chunk, str]) -> dict[Chunk, set[tuple[str, str]]]:
    """{row: the pairs of adjacent words of the question its task holds and no other row's task
    does}: syllables are no words in Vietnamese ("phần" is in "phân công", "bộ phận"), two in a row
    are ("phần mềm")."""
    by_row = {row: _pairs(text) for row, text in texts.items()}
    asked = _pairs(question)
    out = {}
    for row, pairs in by_row.items():
        others = set().union(*(p for other, p in by_row.items() if other is not row))
        if own := pairs & asked - others:
            out[row] = own
    return out


def _by_own_words(tasks: list[tuple[Chunk, set[str]]], asked: set[str]) -> Chunk | None:
    """The row whose task holds words of the question no other row's task holds (at least
    MIN_OWN_WORDS, more than twice as many as any other row: a function word, "thì", may be a
    word of another task, "Hội thi"): a task named short ("tiêm vắc xin Td")."""
    hits = []
    for index, (row, words) in enumerate(tasks):
        others = set().union(*(w for i, (_, w) in enumerate(tasks) if i != index))
        own = (words & asked) - others
        if own:
            hits.append((row, len(own)))
    hits.sort(key=lambda hit: hit[1], reverse=True)
    if hits and hits[0][1] >= MIN_OWN_WORDS and (len(hits) == 1 or hits[0][1] > 2 * hits[1][1]):
        return hits[0][0]
    return None


def table_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence,
                 scored: list[tuple[float, float, Chunk, str]], citations: list[Citation]) -> str | None:
    info = prepared.info
    if info.document:
        return None
    snap = reader.store.snapshot()
    if snap is None:
        return None
    best = scored[0][2] if scored else None
    folded = fold(info.subject or info.text)
    # "năm 2026 hỗ trợ bao nhiêu hộ?" of a plan whose targets table has a column a year: its row,
    # whichever sentence ranked first (a body sentence gives the period's figure only)
    target = "amount" in info.asked and bool(asked_years(prepared))
    if not _names_table(prepared) and not target and not (
            best is not None and is_row(best) and scored[0][1] >= MIN_COVERAGE):
        return None  # neither a table named nor a row that covers the question found first
    chunks = snap.chunks_of(plan.source)
    rows, headers, appendices = plan_rows(list(chunks))
    target = target and not _names_table(prepared) and not (
        best is not None and is_row(best) and scored[0][1] >= MIN_COVERAGE)
    if target:
        rows = [r for r in rows if sum(bool(_YEAR.search(n)) for n in cells(headers[r.chunk_id])) >= 2]
    if not rows:
        return None
    if any_cue(folded, group("table")["names"]) and any_cue(folded, group("table")["rows"]):
        # (a body outside the lexicon, "Phòng Bưu chính, Viễn thông và Chuyển đổi số", is matched
        # by the name its cell prints: _agency_rows)
        listed = _agency_rows(prepared, plan, rows, headers, folded, citations)
        if listed:
            return listed
    selected = selected_rows(prepared, rows, headers, citations)
    if selected is not None:
        # "những nhiệm vụ nào thuộc nhóm …?", "nhiệm vụ nào có thời gian “Hằng năm”?": every row chosen
        return message("according_to", title=plan.title, label=selected[0]) + ":\n" + selected[1]
    row = pick_row(prepared, rows, best, headers, target=target)
    if row is None:
        return None
    line, header = _row_line(row) or "", headers[row.chunk_id]  # rows have both
    columns = _columns(header, line)
    if _asks_frequency(prepared) and not any_cue(fold(info.text), group("table")["names"]) and not any(
            _time_value(value)[3] for role, _, value in columns if role == "deadline"):
        # "báo cáo theo định kỳ nào?" without a table named, and the row found states no recurrence:
        # the answer is where the plan states one (the agency's item), not this row
        return None
    # the table named by the question's own words, not by the row's task ("danh mục vùng …")
    task_folded = fold(next((v for role, _, v in columns if role == "task"), ""))
    named = any(has_cue(fold(info.text), cue) and not has_cue(task_folded, cue) for cue in group("table")["names"])
    reports = reports_table(header)
    if reports and not named and any_cue(fold(info.text), group("table")["leads_task"]):
        # "ai chủ trì thẩm định danh mục …?" without a table named: a reports table's row ("Danh mục
        # … | UBND các huyện | Sở X") names who sends it, not who leads the task asked
        return None
    if _another_reporter(prepared, columns):
        return None
    measures = measure_rows(prepared, row, rows, headers)
    if measures:
        # "diện tích chè … sản lượng chè …": an indicator row's "-" sub-rows, each measure named
        parent, subs = measures
        parts = [_row_body(prepared, plan, sub, headers[sub.chunk_id], appendices, citations, reports) for sub in subs]
        return message("according_to", title=plan.title, label=parent.section_label) + ": " + slot(
            "table_measures", task=row_task(parent, appendices.get(parent.section.split(".")[0])) or "",
            parts="; ".join(parts))
    body = _row_body(prepared, plan, row, header, appendices, citations, reports,
                     parent=sub_parent(row, {r.section: r for r in rows}))
    return message("according_to", title=plan.title, label=row.section_label) + f": {body}"


def _row_body(prepared: Prepared, plan: PlanEvidence, row: Chunk, header: str, appendices: dict[str, Chunk],
              citations: list[Citation], reports: bool, parent: Chunk | None = None) -> str:
    """The row's task and the cells the question asks of it, cited: "Nhiệm vụ “…” — Thời gian: … [n]";
    a sub-row (`parent`) is named with its parent's task, of which it is a part."""
    folded = fold(prepared.info.subject or prepared.info.text)
    line = _row_line(row) or ""
    columns = _columns(header, line)
    task_name, task = next(((n, v) for role, n, v in columns if role == "task"), ("", ""))
    if parent is not None and task:
        task = sub_task(row, parent, header)
    asked = _asked_roles(folded) - {"task"}
    if reports and asked & {"lead", "recipient", "report"}:
        asked |= {"lead", "recipient", "report"}  # a report's sender and its recipient are one line
    shown = [(name, value) for role, name, value in columns if value and role not in ("number", "task")
             and (not asked or role in asked)]
    if not shown:  # the cell asked is empty: the row as the plan prints it
        shown = [(name, value) for role, name, value in columns if value and role not in ("number", "task")]
    by_year = [(name, value) for role, name, value in columns if role == "amount" and _YEAR.search(name)]
    years = asked_years(prepared)
    targets = _target_cells(prepared, plan.title, columns, years) if len(by_year) >= 2 and (not asked or "amount" in asked) else None
    if targets is not None:
        # a table with a column a year ("Năm 2026 | Năm 2027 | Năm 2028 | Tổng | Kinh phí"): the
        # cells of the year, the total or the money asked; a year that is no column has no figure
        # here (the row is shown without one, so the answer says the plan gives none and names
        # this row as the closest)
        shown = targets
        unit = [(name, value) for role, name, value in columns if value and (role == "unit" or _UNIT.search(fold(name)))]
        # the unit, its column's or printed above the table, belongs with the figures ("60 tỷ đồng")
        stated = unit[0][1] if unit else _table_unit(appendices.get(row.section.split(".")[0]))
        if stated:
            # (a column whose header states its own unit, "Kinh phí (triệu đồng)", keeps it)
            shown = [(name, f"{value} {stated}" if re.fullmatch(r"[\d.,]+", value) and "(" not in name else value)
                     for name, value in shown]
    citations.append(citation(len(citations) + 1, row, collapse_ws(line)))
    cells_text = "; ".join(slot("table_cell", header=name, value=value) for name, value in shown)
    body = slot("table_row", name=task_name or "Nhiệm vụ", task=task, cells=cells_text) if task else cells_text
    if not shown:  # no cell holds what is asked: the row is named, nothing more
        body = f"{task_name or 'Nhiệm vụ'} “{task}”"
    return f"{body} [{len(citations)}]"


def selected_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence,
                    scored: list[tuple[float, float, Chunk, str]], citations: list[Citation]) -> str | None:
    """The rows a question naming a table selects together (by group, by a cell's value), or the
    row next to the previous answer's ("còn dòng tiếp theo …?"), before any unit answers from one
    passage: "thời gian thực hiện “Hằng năm”" is no question of when."""
    if neighbour_step(prepared):
        return table_answer(reader, prepared, plan, scored, citations)
    snap = reader.store.snapshot()
    if prepared.info.document or snap is None or not _names_table(prepared):
        return None
    rows, headers, _ = plan_rows(list(snap.chunks_of(plan.source)))
    selected = selected_rows(prepared, rows, headers, citations) if rows else None
    if selected is None:
        return None
    return message("according_to", title=plan.title, label=selected[0]) + ":\n" + selected[1]


# a period the question names ("giai đoạn 2026 - 2028"): the plan's span, no year column asked
_PERIOD = re.compile(r"\b(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d\b")


def asked_years(prepared: Prepared) -> set[str]:
    """The years whose cells a question asks of a targets table: those it names outside a period
    ("năm 2026", not "giai đoạn 2026 - 2028"); a follow-up naming none ("còn xoài năm đó thì
    sao?") asks the year the turn before named."""
    own = set(_YEAR.findall(_PERIOD.sub(" ", prepared.info.text)))
    return own or set(_YEAR.findall(_PERIOD.sub(" ", prepared.before)))


def _target_cells(prepared: Prepared, title: str, columns: list[tuple[str, str, str]],
                  years: set[str]) -> list[tuple[str, str]] | None:
    """The cells of a targets row the question asks: the year's (of the measure it names, "bao
    nhiêu tấn" → "Lượng (Tấn)"), the period's total ("cả giai đoạn" → "Tổng chỉ tiêu"), the money
    ("kinh phí" → "Kinh phí (triệu đồng)", the money cell of the year asked when there is one);
    None when it asks none of them (the row is shown as the other roles choose)."""
    cues = group("table")
    folded = fold(prepared.info.text)
    cells_ = [(name, value) for role, name, value in columns if role == "amount"]

    def is_money(name: str) -> bool:
        return any_cue(fold(name), cues["money_columns"])

    # a spanning header's period ("GIAI ĐOẠN 2026 - 2030 Năm 2027") names no year of its column
    of_year = [(n, v) for n, v in cells_ if set(_YEAR.findall(_PERIOD.sub(" ", n))) & years]
    totals = [(n, v) for n, v in cells_ if not _YEAR.search(_PERIOD.sub(" ", n))
              and any_cue(fold(n), cues["total_columns"])]
    if any_cue(folded, cues["money"]):
        money = [(n, v) for n, v in (of_year or cells_) if is_money(n)] or [(n, v) for n, v in cells_ if is_money(n)]
        if money:
            return money
    picked = _of_measure(prepared, title, of_year) + (totals if any_cue(folded, cues["total"]) else [])
    if not picked:
        return [] if years else None
    return picked


_HOW_MUCH = ("bao", "nhieu")
_BEFORE_WORDS = 4  # "lượng và giá trị bao nhiêu": the measures named before the ask


def _of_measure(prepared: Prepared, title: str, picked: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Of one year's cells, those of the measure the question names by the words after its "bao
    nhiêu" ("bao nhiêu tấn" → "Lượng (Tấn)", not "Giá trị"), else by those before it ("lượng và
    giá trị bao nhiêu"; the plan's title words aside, they name the plan); all of them when it
    names none."""
    if len(picked) < 2:
        return picked
    words = [set(match_tokens(name)) for name, _ in picked]
    common = set.intersection(*words)
    tokens = match_tokens(prepared.info.text)
    after: set[str] = set()
    before: set[str] = set()
    for i in range(len(tokens) - 1):
        if (tokens[i], tokens[i + 1]) == _HOW_MUCH:
            after.update(tokens[i + 2:i + 4])
            before.update(tokens[max(0, i - _BEFORE_WORDS):i])
    before -= set(match_tokens(title))
    for measure in (after, before):
        named = [cell for cell, own in zip(picked, words, strict=True) if (own - common) & measure]
        if named:
            return named
    return picked


def _another_reporter(prepared: Prepared, columns: list[tuple[str, str, str]]) -> bool:
    """"Tổ giúp việc báo cáo ai?" found a row whose lead is another body ("Báo cáo tiến độ | Ban
    Chỉ đạo cấp huyện | … | Tổ giúp việc"): the asked body only receives that report; its own line
    is in its item (rag/answers/reporting.py). Only without a table named: "theo phụ lục …" asks the row."""
    info = prepared.info
    if "reporting" not in info.kinds or any_cue(fold(info.subject or info.text), group("table")["names"]):
        return False
    actor = actor_phrase(info.subject or info.text)
    lead = next((v for role, _, v in columns if role == "lead"), "")
    if len(actor) < 2 or not lead or set(info.agencies) & {m.name for m in find_agencies(lead)}:
        return False
    return match_tokens(lead)[:2] != actor[:2]


def _cell_bodies(cell: str) -> list[str]:
    """The bodies a table cell names, as printed (several split by ";" or ","), the lexicon's and
    those it does not know ("Hội Khuyến học tỉnh", "Phòng Bưu chính, Viễn thông và Chuyển đổi số")."""
    names = [m.name for m in find_agencies(cell)] + [m.name for m in find_bodies(cell)]
    return [*names, *(collapse_ws(part) for part in cell.split(";") if part.strip())]


def _names_cell_body(asked_words: list[str], cell: str) -> bool:
    """Does the question name a body of the cell, by its printed words (with or without diacritics)?"""
    return any(_contains(asked_words, match_tokens(name)) for name in _cell_bodies(cell)
               if len(match_tokens(name)) >= 2)


def _contains(words: list[str], part: list[str]) -> bool:
    return any(words[i:i + len(part)] == part for i in range(len(words) - len(part) + 1))


def _cell_body(asked_words: list[str], line: str, headers: dict[str, str], row: Chunk, role: str) -> str:
    """The body the question named, as the row's cell prints it: the answer names it so."""
    cell = next((v for r, _, v in _columns(headers[row.chunk_id], line) if r == role), "")
    named = [n for n in _cell_bodies(cell) if len(match_tokens(n)) >= 2 and _contains(asked_words, match_tokens(n))]
    return max(named, key=len) if named else cell


def row_task(row: Chunk, appendix: Chunk | None = None) -> str | None:
    """The task cell of a table row, read by its table's header; None when the row has none."""
    line, header = _row_line(row), _header(row, appendix)
    if not line or not header:
        return None
    return next((value for role, _, value in _columns(header, line) if role == "task" and value), None)


def _agency_rows(prepared: Prepared, plan: PlanEvidence, rows: list[Chunk], headers: dict[str, str], folded: str,
                 citations: list[Citation]) -> str | None:
    """"Phụ lục I giao Sở X chủ trì những nhiệm vụ nào?": every row whose lead cell (the
    cooperating cell when only cooperation is asked) names the agency, one line each."""
    asked = _asked_roles(folded)
    role = "cooperating" if "cooperating" in asked and "lead" not in asked else "lead"
    appendix = _appendix(folded)
    wanted = set(prepared.info.agencies)
    asked_words = match_tokens(prepared.info.text)
    found: list[tuple[Chunk, str, str, str]] = []
    for row in rows:
        if appendix is not None and _appendix_number(row.section) != str(appendix):
            continue
        line = _row_line(row) or ""  # rows have one
        columns = _columns(headers[row.chunk_id], line)
        cell = next((v for r, _, v in columns if r == role), "")
        if cell and (wanted & {m.name for m in find_agencies(cell)} or _names_cell_body(asked_words, cell)):
            task = next((v for r, _, v in columns if r == "task"), "")
            when = next((v for r, _, v in columns if r == "deadline"), "")
            found.append((row, line, task, when))
    if not found:
        return None
    label = re.sub(r",\s*(?:nhóm|dòng).*$", "", found[0][0].section_label)  # "Phụ lục I"
    agency = prepared.info.agencies[0] if prepared.info.agencies else _cell_body(asked_words, found[0][1], headers,
                                                                                   found[0][0], role)
    lines = [message("according_to", title=plan.title, label=label) + ": "
             + slot("table_rows_intro", agency=agency, role=slot("table_role_" + role),
                    count=len(found))]
    for row, line, task, when in found:
        citations.append(citation(len(citations) + 1, row, collapse_ws(line)))
        lines.append(slot("table_rows_item", task=task or collapse_ws(line), when=f" ({when})" if when else "",
                          n=len(citations)))
    return "\n".join(lines)
