"""Rows of a task table ("STT | Nhiệm vụ | Cơ quan chủ trì | …"), read by their header."""

from __future__ import annotations

import re
from dataclasses import replace

from index.obligations.actors import _DUTY_VERBS, _Frames
from index.obligations.deadlines import _time_value, period_cell
from index.obligations.records import Obligation, _Place, _Section
from index.obligations.reporting import _report_positions, _reporting_rows
from index.tables import RowFields, cells, column_roles, is_table_line, reports_table, row_fields
from lang.agencies import find_bodies
from lang.normalize import collapse_ws, match_tokens


def _agency_names(cell: str) -> list[str]:
    """Canonical names of the agencies a table cell lists, or its own parts ("; ", ", ") when
    the lexicon knows none of them."""
    names = list(dict.fromkeys(m.name for m in find_bodies(cell)))
    if names:
        # "Viễn thông Huế; Viettel Huế", "Hội đồng đánh giá; UBND các xã": a part between
        # semicolons is one body, named as printed when the lexicon and the heads know none in it
        out: list[str] = []
        for part in re.split(r";", cell):
            found = [m.name for m in find_bodies(part)]
            out += found or _own_parts(part, ";")
        return list(dict.fromkeys(out))
    return _own_parts(cell, ";,")


def _own_parts(cell: str, separators: str) -> list[str]:
    # short parts only: a long one is a task that spilled into the column (a group row); a group of
    # bodies opened by "Các" may run longer ("Các cơ sở giáo dục nghề nghiệp", "Các hợp tác xã nông
    # nghiệp trên địa bàn")
    parts = [collapse_ws(part) for part in re.split(f"[{separators}]", cell) if part.strip()]
    return [p for p in parts if len(p.split()) <= (_GROUP_WORDS if p.split()[0] == "Các" else 6)
            and p[:1].isupper() and not _is_duty(p)]


_GROUP_WORDS = 10


def _is_duty(text: str) -> bool:
    folded = " ".join(match_tokens(text))
    return any(folded.startswith(verb) for verb in (*_DUTY_VERBS, "hoan thien", "quan ly", "dao tao", "van hanh",
                                                     "khai thac", "cac nhiem vu"))


_WITH_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def _row_records(header: str, row: str, base: _Place) -> list[Obligation]:
    """An assignment (and a deadline, when the row has one) from one row of a task table."""
    fields = row_fields(header, row)
    if fields is None or not (fields.task or fields.lead):
        return []
    lead_cell, partner_cell = _split_roles(fields.lead)
    leads = _agency_names(lead_cell) if lead_cell else []  # several in the column: co-leads
    lead = leads[0] if leads else None
    cooperating = tuple(n for n in _agency_names(f"{fields.cooperating}; {partner_cell}".strip("; ")) if n not in leads)
    quote = collapse_ws(row)
    task = collapse_ws(fields.task) or None
    out = [Obligation(kind="assignment", role="lead", agency=name, cooperating=tuple(c for c in cooperating if c != name),
                      quote=quote, task=task, **base) for name in ([*leads] if leads else [None])]
    if _reporter_column(header) or _named_reports(header):
        out = []  # "Cơ quan báo cáo": the row's body reports (below); it leads no task
    # "Báo cáo Bộ Tài chính tình hình thực hiện" in the task cell, "định kỳ hằng quý báo cáo về Sở
    # Tài chính" in the time cell: the lead reports
    row_time = _time_value(fields.deadline) if fields.deadline else None
    in_cells: list[Obligation] = []
    for cell in (task, collapse_ws(fields.deadline)):
        if cell:
            lines = _cell_reports(cell, lead, quote, base)
            if cell == task and row_time:
                # "Báo cáo sơ kết 6 tháng" with its date in the time column: the report is due then
                lines = [_timed(r, row_time) for r in lines]
            in_cells.extend(lines)
    in_columns = _report_column(fields, lead, quote, base, header)
    # "Sản phẩm: Báo cáo UBND tỉnh", "Ghi chú: Gửi Sở X": a product or note column names where a
    # report goes; a product that is only a document ("Báo cáo kết quả", "Kế hoạch được phê duyệt")
    # is no reporting line. The product is delivered, the note's report sent, at the row's time.
    for cell in (fields.product, fields.note):
        if cell:
            in_columns.extend(_timed(r, row_time) if row_time else r
                              for r in _cell_reports(_sent(collapse_ws(cell)), lead, quote, base) if r.recipient)
    # one row, one report: the column that says where it goes ("Báo cáo Bộ X, UBND tỉnh") reads it
    # rather than the task's words ("Báo cáo kết quả hoạt động năm của Ban Chỉ đạo")
    out.extend(in_columns or in_cells)
    if any(r.kind == "reporting" and r.recipient for r in out):
        # one row, one report: the task cell's "Báo cáo sơ kết" and the report column's "Gửi Sở X"
        # are the same report, the one with its recipient kept
        out = [r for r in out if r.kind != "reporting" or r.recipient]
    if fields.deadline:
        # the column says it is a deadline: no "trước ngày" cue is needed for its date
        due, _, flags, recurrence, relative = row_time or _time_value(fields.deadline)
        # "Kỳ báo cáo: Năm | Thời hạn gửi: Trước ngày 10/12": the period column says how often it falls due
        # ("Báo cáo 6 tháng | Trước ngày 20/6/2026": a date with its year is that one report, not a recurrence)
        recurrence = tuple(dict.fromkeys((*recurrence, *period_cell(fields.frequency)))) \
            if fields.frequency and not _WITH_YEAR.search(fields.deadline) else recurrence
        out.append(Obligation(kind="deadline", agency=lead, due_date=due, deadline_text=collapse_ws(fields.deadline),
                              recurrence=recurrence, flags=flags, relative=relative, quote=quote, task=task, **base))
    return out


def _split_roles(cell: str) -> tuple[str, str]:
    """(lead part, partner part) of one agency cell that says both ("Sở Công Thương chủ trì; Liên
    minh Hợp tác xã tỉnh phối hợp" in "Cơ quan thực hiện")."""
    parts = [p for p in re.split(r"[;\n]", cell) if p.strip()]
    partners = [p for p in parts if " phoi hop" in f" {' '.join(match_tokens(p))}"]
    if not partners or len(partners) == len(parts):
        return cell, ""
    return "; ".join(p for p in parts if p not in partners), "; ".join(partners)


def _named_reports(header: str) -> bool:
    """A table of reports by name ("Tên báo cáo | Đơn vị thực hiện | Nơi nhận | Kỳ báo cáo | Thời
    hạn"): the report column names each row's report, the recipient column says where it goes, and
    the lead column is who sends it, no task of its own."""
    roles = column_roles(header)
    return "recipient" in roles and "report" in roles and "task" not in roles


def _sent(cell: str) -> str:
    """A note or product that opens by sending to a body ("Gửi Sở X") reads as its report."""
    tokens = match_tokens(cell)
    if tokens[:1] == ["gui"] and any(m.start in (1, 2) for m in find_bodies(cell)):
        return f"Báo cáo {cell}"
    return cell


def _reporter_column(header: str) -> bool:
    """The lead column of a table of reports: "Cơ quan báo cáo", "Đơn vị báo cáo"."""
    roles = column_roles(header)
    names = cells(header)
    return "lead" in roles and "bao cao" in " ".join(match_tokens(names[roles["lead"]]))


def _cell_reports(cell: str, actor: str | None, quote: str, base: _Place) -> list[Obligation]:
    """The reporting lines one cell states, its row's lead reporting."""
    tokens = match_tokens(cell)
    return _reporting_rows(cell, tokens, _Frames(tokens), find_bodies(cell), actor, "", quote, base)


def _timed(line: Obligation, time: tuple) -> Obligation:
    """A report stated without its time, given the row's time column (a line with a time of its own
    keeps it)."""
    if line.due_date or line.recurrence or line.relative:
        return line
    due, words, flags, recurrence, relative = time
    return replace(line, due_date=due, deadline_text=words, flags=flags, recurrence=recurrence, relative=relative)


_NO_REPORT = ("khong", "khong bao cao", "khong co", "")


def _report_column(fields: RowFields, lead: str | None, quote: str, base: _Place, header: str) -> list[Obligation]:
    """The reporting lines of a row's report column ("Báo cáo kết quả": "Báo cáo UBND tỉnh (qua Sở
    X) hằng tháng", "Gửi Sở Y để tổng hợp"), of its recipient column ("Cơ quan nhận báo cáo"), and
    of a table whose rows are reports. The reporter is the row's lead; "Không" is no report."""
    report = collapse_ws(fields.report)
    folded = " ".join(match_tokens(report)).strip(" .-")
    out: list[Obligation] = []
    if report and folded not in _NO_REPORT and not re.fullmatch(r"[-–—x]*", folded) and not _named_reports(header):
        tokens = match_tokens(report)
        if not _report_positions(tokens, find_bodies(report), _Frames(tokens)):
            # the header says the cell is the row's report: "Gửi Sở X", "Hằng quý" read as a report
            report = f"Báo cáo {report}"
        lines = _cell_reports(report, lead, quote, base)
        if not lines:
            time = _time_value(report)
            if any(time[i] for i in (0, 3, 4)):
                lines = [_timed(Obligation(kind="reporting", agency=lead or "các cơ quan, đơn vị được giao nhiệm vụ",
                                           quote=quote, **base), time)]
        out.extend(lines)
    elif (not report or _named_reports(header)) and reports_table(header):
        # a table of reports: the row's lead reports to the recipient column's bodies, by its time
        time = _time_value(f"{fields.deadline} {fields.frequency}".strip())
        if fields.frequency and not _WITH_YEAR.search(fields.deadline):
            # a bare period cell ("Năm", "6 tháng, năm") is read by its column; a dated report is one
            time = (*time[:3], tuple(dict.fromkeys((*time[3], *period_cell(fields.frequency)))), time[4])
        reporter = lead or "các cơ quan, đơn vị được giao nhiệm vụ"
        # "Sở X (qua Phòng Y)", "UBND thành phố; Bộ Z": the cell read as the report it states
        lines = _cell_reports(f"Báo cáo {collapse_ws(fields.recipient)}", reporter, quote, base) \
            if fields.recipient else []
        recipients: list[str | None] = [*_agency_names(fields.recipient)] if fields.recipient and not lines else []
        lines += [Obligation(kind="reporting", agency=reporter, recipient=name, quote=quote, **base)
                  for name in recipients or ([] if lines else [None])]
        out.extend(_timed(line, time) for line in lines)
    return out


# "Nơi gửi báo cáo: Sở X (Chi cục Y)", "Cơ quan nhận báo cáo: …" printed under a table of reports
_NOTE = re.compile(r"^[-+*•\s]*(?:nơi gửi báo cáo|nơi nhận báo cáo|cơ quan nhận báo cáo|đơn vị nhận báo cáo"
                   r"|báo cáo gửi về|gửi báo cáo về)\s*:\s*(.+)$", re.IGNORECASE)


def table_note_recipients(records: list[Obligation], sections: list[_Section]) -> list[Obligation]:
    """The recipient a note under a table names ("Nơi gửi báo cáo: Sở X") for the reports its rows
    state without one ("Cơ quan báo cáo | Kỳ báo cáo"); the note's own line is then no report of its
    own. The note sits in the last row's section: the table's rows are that section's siblings."""
    notes: dict[tuple[str, str], tuple[str, str]] = {}  # (source, parent path) → (recipient, note section)
    for section in sections:
        if "." not in section.path:
            continue
        for line in section.text.split("\n"):
            match = _NOTE.match(line.strip())
            bodies = find_bodies(match.group(1)) if match and not is_table_line(line) else []
            if bodies:
                notes[(section.source, section.path.rsplit(".", 1)[0])] = (bodies[0].name, section.path)
    if not notes:
        return records
    out: list[Obligation] = []
    for r in records:
        parent = (r.source, r.section.rsplit(".", 1)[0])
        note = notes.get(parent) if "." in r.section else None
        if note is None:
            out.append(r)
        elif r.section == note[1] and not is_table_line(r.quote) and _NOTE.match(r.quote):
            continue  # the note itself: where the rows' reports go, no duty of its own
        elif r.kind == "reporting" and r.recipient is None and is_table_line(r.quote):
            if r.agency != note[0]:  # the body the reports go to does not report to itself
                out.append(replace(r, recipient=note[0]))
        else:
            out.append(r)
    return out
