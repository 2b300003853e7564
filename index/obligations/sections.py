"""One section's rows: its labelled fields (lead, partners, time), its table rows, then sentence by
sentence its assignments, reporting lines and deadlines."""

from __future__ import annotations

import re
from dataclasses import replace

from index.obligations.actors import (
    _DUTY_VERBS,
    _delegation,
    _directed,
    _Frames,
    _listed_after,
    _listed_names,
    _parenthesised_leads,
    _positions,
    _subject,
    dash_subject,
)
from index.obligations.deadlines import (
    _deadline_in,
    _deadlines_in,
    _recurrences,
    _relative_deadline,
    _time_value,
    period_deadlines,
)
from index.obligations.headings import (
    _NUMBERING,
    _heading_apart,
    _heading_leads,
    _is_field_point,
    _run_in_leads,
    _section_agency,
    in_pure_statement_part,
    in_reporting_part,
    in_statement_part,
)
from index.obligations.records import Obligation, _place, _Section
from index.obligations.regime import regime_rows
from index.obligations.reporting import _reporting_rows
from index.obligations.table_rows import _row_records
from index.tables import is_table_line, rows_with_headers
from lang.agencies import find_bodies
from lang.normalize import collapse_ws, match_tokens
from lang.sentences import split_sentences

# "Nơi nhận:" opens the distribution list: "(để báo cáo)" there is no reporting line ("- Nơi nhận:
# Sở X", a dash line, is the recipient field of a reporting regime, not the list)
_RECIPIENTS_LIST = re.compile(r"(?:^|(?<=\s))(?<![-–+•*]\s)N[ơo]i\s+nh[ậa]n\s*:", re.IGNORECASE)
# labelled fields of a task: "- Cơ quan chủ trì: …", "- Cơ quan phối hợp: …", "- Thời gian thực hiện: …"
_LEAD_LABELS = ("co quan chu tri", "don vi chu tri", "chu tri", "co quan thuc hien", "don vi thuc hien",
                "co quan don vi chu tri", "co quan don vi thuc hien", "trach nhiem thuc hien", "co quan thuc hien chinh",
                "don vi thuc hien chinh", "co quan dau moi", "don vi dau moi")
_COOPERATING_LABELS = ("co quan phoi hop", "don vi phoi hop", "phoi hop", "co quan don vi phoi hop",
                       "co quan phoi hop thuc hien", "don vi phoi hop thuc hien")
_TIME_LABELS = ("thoi gian", "thoi han", "tien do", "thoi gian thuc hien", "thoi gian hoan thanh", "thoi han hoan thanh")


# a line that is a dash or a point of its own: "- …", "+ …", "b) …"
_BULLETED = re.compile(r"^\s*(?:[-–+•]|[a-zđ]\))\s")

# "phối hợp với các cơ quan, đơn vị liên quan" names no partner: every task has that catch-all
_CATCH_ALL_PARTNERS = frozenset(("Các cơ quan, đơn vị liên quan",))


def _partners_after(tokens: list[str], mentions: list, position: int) -> list[str]:
    """The partners listed after "phối hợp" at `position` ("phối hợp (chặt chẽ) với A, B"): none when
    a duty verb comes between ("phối hợp tham mưu Ủy ban nhân dân tỉnh …": advice for the committee,
    which is no partner)."""
    names = _listed_after(mentions, position + 2)
    listed = [m for m in mentions if m.start >= position + 2][: len(names)]
    edge = position + 2
    for n, m in enumerate(listed):
        # "phối hợp với các đơn vị liên quan tham mưu Ủy ban nhân dân tỉnh": a duty verb between two
        # bodies ends the list, the body after it is the one advised, no partner
        between = f" {' '.join(tokens[edge: m.start])} "
        if any(f" {verb} " in between for verb in _DUTY_VERBS):
            return names[:n]
        edge = m.end
    return names


def _labelled(line: str) -> tuple[str, str] | None:
    """(role, value) of a labelled field line ("- Cơ quan chủ trì: Sở Tài chính.")."""
    # "- Cơ quan chủ trì: …", or a point that is the field ("c) Thời gian thực hiện: Thường xuyên.")
    head, sep, value = _NUMBERING.sub("", line.strip().lstrip("-–+•* "), count=1).partition(":")
    if not sep:
        return None
    label = " ".join(match_tokens(head))
    if label in _LEAD_LABELS:
        return "lead", value.strip()
    if label in _COOPERATING_LABELS:
        return "cooperating", value.strip()
    if label in _TIME_LABELS:
        return "deadline", value.strip()
    return None


def _field_lines(text: str) -> list[tuple[str, list[str]]]:
    """The section's lines, a labelled field whole: a field a printed page wrapped ("- Đơn vị phối
    hợp: Bệnh viện Đa khoa tỉnh; Trung tâm Kiểm soát" / "bệnh tật tỉnh;") goes on over the lines
    below it while it stays open (no closing "." or ";") and the next line opens no dash, point or
    field of its own: lower case, or after a line that ran to the page's edge. Each comes with the
    printed lines it joins."""
    out: list[tuple[str, list[str]]] = []
    field = False
    for line in text.split("\n"):
        stripped = line.strip()
        previous = out[-1][0].rstrip() if out else ""
        goes_on = (field and stripped and previous[-1:] not in ".;:" and not _BULLETED.match(stripped)
                   and not _NUMBERING.match(stripped) and _labelled(stripped) is None
                   and (stripped[:1].islower() or len(previous) >= _WRAP_WIDTH))
        if goes_on:
            out[-1] = (f"{previous} {stripped}", [*out[-1][1], line])
            continue
        out.append((line, [line]))
        found = _labelled(line)
        field = found is not None and found[0] != "deadline"
    return out


# a printed page's line holds about 60-90 characters: a line that long ran to the edge and wrapped
_WRAP_WIDTH = 50


def _time_clauses(value: str) -> list[str]:
    """A time field's due times, one per clause when its clauses each state one ("Thời hạn: báo cáo
    quý gửi trước ngày 15 của tháng cuối quý; báo cáo 6 tháng gửi trước ngày 15/6/2024; báo cáo
    năm …"): each report is due on its own; else the field whole ("Từ ngày A đến ngày B")."""
    clauses = [c.strip() for c in value.split(";") if c.strip()]
    if len(clauses) < 2:
        return [value]
    timed = [c for c in clauses if any(_time_value(c)[i] for i in (0, 3, 4))]
    return timed if len(timed) >= 2 else [value]


def labelled_field(line: str) -> tuple[str, str] | None:
    """(role, value) of a task's labelled field line: role "lead", "cooperating" or "deadline"."""
    return _labelled(line)


def _extract_section(section: _Section, province: str | None, year: int | None,
                     parent_text: str = "", inherited: tuple[str, ...] = (), part_title: str = "") -> list[Obligation]:
    base = _place(section, province, year)
    out: list[Obligation] = []
    agency = _section_agency(section)
    cooperating: list[str] = []
    # Table rows ("STT | Nhiệm vụ | Cơ quan chủ trì | …") say by their columns who does what by
    # when: they are read by the header, not as sentences (a row is not a sentence).
    headers = tuple(a for a in section.ancestors if is_table_line(a))
    for header, row in rows_with_headers(section.text, headers):
        out.extend(_row_records(header, row, base))
    text = "\n".join(line for line in section.text.split("\n") if not is_table_line(line))
    cut = _RECIPIENTS_LIST.search(text)
    if cut:
        text = text[:cut.start()]
    regime, regime_lines = regime_rows(text, base)
    # labelled fields name the leads, partners and time of the section's task
    field_leads: list[str] = []
    field_lines: set[str] = set()
    for line, printed in _field_lines(text):
        found = _labelled(line)
        if found is None:
            continue
        role, value = found
        field_lines.update(collapse_ws(ln) for ln in (line, *printed))
        if role == "lead":
            # "Cơ quan thực hiện: Sở A chủ trì …; Sở B và các sở, ngành …": each part names leads
            for part in value.split(";"):
                field_leads += [n for n in _listed_names(part.strip()) if n not in field_leads]
        elif role == "cooperating":
            cooperating += [n for n in _listed_names(value) if n not in cooperating]
        elif value:
            for clause in _time_clauses(value):
                due, words, flags, recurrence, relative = _time_value(clause)
                out.append(Obligation(kind="deadline", agency=field_leads[0] if field_leads else agency, due_date=due,
                                      deadline_text=words or collapse_ws(clause), recurrence=recurrence, flags=flags,
                                      relative=relative, quote=collapse_ws(line), **base))
    # fields written inside a sentence or a parenthesis ("… dự phòng. Cơ quan chủ trì: Sở Tài chính;
    # cơ quan phối hợp: …", "(Đơn vị chủ trì: Sở X; thời gian: …)"): their leads and partners (the
    # time is read with the sentence)
    for clause in re.split(r"[;()]|\.\s", collapse_ws(text)):
        found = _labelled(clause)
        if found is None or found[0] == "deadline":
            continue
        names = _listed_names(found[1])
        target = field_leads if found[0] == "lead" else cooperating
        target += [n for n in names if n not in target]
    if field_leads and not agency:
        agency = field_leads[0]
    # lines that open with their subject before a colon ("- Sở Tài chính: chủ trì …"): keyed by
    # their opening, so the sentence that starts the line finds who acts in it
    run_in_lines: dict[str, list[str]] = {}
    # (not in the closing: its lines are the distribution list, "- UBND tỉnh: CT, các PCT;")
    for line in text.split("\n") if section.path != "closing" else ():
        if collapse_ws(line) and collapse_ws(line) not in field_lines:
            run_in_lines[collapse_ws(line)[:40]] = _run_in_leads(line)
    run_in: list[str] = []
    # a heading that ends "… phối hợp (với):" makes the lines under it its partners, not leads
    lists_partners = match_tokens(section.title)[-3:] in (["phoi", "hop", "voi"], ["hop", "phoi", "hop"]) or (
        match_tokens(section.title)[-2:] == ["phoi", "hop"])
    heading, rest = _heading_apart(text)
    statement_part = in_statement_part(section, part_title)
    opening = 1 if heading else 0  # the sentence that may open with the section's subject
    sentences = ([heading] if heading else []) + split_sentences(rest)
    delegate: tuple[str, str] | None = None  # (director, actor) once the section delegates
    last_reports: list[Obligation] = []  # the report lines the previous sentence stated
    subject_leads: list[str] = []
    for index, sentence in enumerate(sentences):
        tokens = match_tokens(sentence)
        frames = _Frames(tokens)
        mentions = find_bodies(sentence)
        quote = collapse_ws(sentence)
        found = _delegation(tokens, mentions, frames)
        if found:
            delegate = found
            if index == opening and agency == found[0]:
                agency = found[1]  # a point that opens "Sở X chỉ đạo Chi cục Y …" is Y's work
            out.append(Obligation(kind="assignment", role="lead", agency=found[1], directed_by=found[0],
                                  quote=quote, task=quote, **base))
        # a field's value ("c) Đơn vị phối hợp: Sở A, Sở B.") is no subject: the field says their role
        subject = [] if _labelled(sentence) else _subject(sentence, mentions)
        if quote[:40] in run_in_lines:
            # the sentence starts a line: its run-in subject ("- Sở Tài chính: …"), or the subject
            # of a dash or point ("- Sở Nội vụ chủ trì, …", "b) Công an tỉnh rà soát …"), leads it
            run_in = run_in_lines[quote[:40]] or (
                (subject or ([] if statement_part else dash_subject(sentence, mentions))) if _BULLETED.match(sentence) and not found else [])
            if run_in and not run_in_lines[quote[:40]] and lists_partners:
                # "b) Chủ trì, phối hợp" then "- Sở Tài chính … tham mưu …": the lines name the partners
                cooperating += [n for n in run_in if n not in cooperating and n not in _CATCH_ALL_PARTNERS]
                run_in = []
            if run_in:
                line_partners = tuple(dict.fromkeys(
                    n for pos in _positions(tokens, "phoi hop", frames=frames)
                    for n in _partners_after(tokens, mentions, pos) if n not in run_in and n not in _CATCH_ALL_PARTNERS))
                out.extend(Obligation(kind="assignment", role="lead", agency=name, cooperating=line_partners,
                                      quote=quote, task=quote, **base) for name in run_in)
        directed = None if found else _directed(sentence)
        if index == opening and subject and not agency and not field_leads:
            # "Sở Y tế chỉ đạo Chi cục Dân số tỉnh thực hiện …": the delegate leads, not the director
            subject_leads = [found[1]] if found else subject
        actor = delegate[1] if delegate else (subject[0] if subject else None) or (
            run_in[0] if run_in else None) or agency or (
            subject_leads[0] if subject_leads else None) or (inherited[0] if inherited else None)
        # cooperating agencies: named after "phối hợp với"
        coop_at = _positions(tokens, "phoi hop", frames=frames)
        partner_lists = [_partners_after(tokens, mentions, pos) for pos in coop_at]
        if directed and actor and directed != actor:
            # "Chỉ đạo các cơ sở giáo dục … phối hợp với …": the directed bodies act, directed by the actor
            directed_partners = tuple(dict.fromkeys(
                n for names in partner_lists for n in names if n not in _CATCH_ALL_PARTNERS))
            out.append(Obligation(kind="assignment", role="lead", agency=directed, directed_by=actor,
                                  cooperating=directed_partners, quote=quote, task=quote, **base))
        for partners in partner_lists:
            for name in partners:
                if name != agency and name not in cooperating and name not in _CATCH_ALL_PARTNERS:
                    cooperating.append(name)
        # "(Sở A, Sở B thực hiện; thời gian: …)": the doers of the task in parentheses at its end
        for name in _parenthesised_leads(sentence):
            coop = tuple(dict.fromkeys(n for p in coop_at for n in _partners_after(tokens, mentions, p)
                                       if n != name and n not in _CATCH_ALL_PARTNERS))
            out.append(Obligation(kind="assignment", role="lead", agency=name, cooperating=coop,
                                  quote=quote, task=quote, **base))
        # lead agencies named in a sentence: "X chủ trì, phối hợp với Y"
        for pos in _positions(tokens, "chu tri", frames=frames):
            if quote in field_lines:
                break
            before = [m for m in mentions if m.end <= pos and pos - m.end <= 3]
            lead = before[-1].name if before else actor
            if lead:
                after = [_partners_after(tokens, mentions, p) for p in coop_at if p > pos]
                coop = tuple(dict.fromkeys(n for names in after[:1] for n in names
                                           if n != lead and n not in _CATCH_ALL_PARTNERS))
                out.append(Obligation(kind="assignment", role="lead", agency=lead, cooperating=coop,
                                      quote=quote, task=quote, **base))
        # "…, giao Sở Y tế thành lập đoàn kiểm tra": the agency given the task leads it
        for pos in _positions(tokens, "giao", frames=frames):
            # "Giao Sở X là cơ quan thường trực, chủ trì …" opens with it; "được giao", "bàn giao" give nothing
            if (pos and tokens[pos - 1] in ("duoc", "ban", "chuyen")) or quote in field_lines:
                continue
            if "du toan" in " ".join(tokens[max(0, pos - 8): pos]):
                continue  # "từ dự toán ngân sách năm 2025 giao Sở X": the budget allotted to it, no task
            given = [m for m in mentions if m.start == pos + 1]
            if given and given[0].name != agency:
                # "Giao Sở X chủ trì, phối hợp với Sở Y, Sở Z …": the partners of the task given
                after = [_partners_after(tokens, mentions, p) for p in coop_at if p > pos]
                coop = tuple(dict.fromkeys(n for names in after[:1] for n in names
                                           if n != given[0].name and n not in _CATCH_ALL_PARTNERS))
                out.append(Obligation(kind="assignment", role="lead", agency=given[0].name, cooperating=coop,
                                      quote=quote, task=quote, **base))
        # reporting lines
        reports = _reporting_rows(sentence, tokens, frames, mentions, actor, parent_text, quote, base)
        if not reports and last_reports and _positions(tokens, "bao cao", frames=frames):
            # "…; báo cáo năm gửi trước ngày 15/11/2026": the same report line again, another due date
            due, words, flags = _deadline_in(sentence)
            if due:
                reports = [replace(last_reports[0], due_date=due, deadline_text=words, flags=flags,
                                   recurrence=_recurrences(sentence), relative=None, quote=quote)]
        if reports and any(r.recipient for r in last_reports) and not any(r.recipient for r in reports):
            # "- Sở X báo cáo Bộ Y và UBND tỉnh 6 tháng và cả năm." then "- Báo cáo 6 tháng gửi trước
            # ngày 20/6; báo cáo năm gửi trước ngày 10/12.": the follow-on line times the lines before
            # (its dates are the section's deadline rows), it states no report of its own
            reports = []
        if reports:
            last_reports = reports
        out.extend(reports)
        # deadlines and recurring duties
        if quote in field_lines and (labelled := _labelled(quote)) and labelled[0] == "deadline":
            continue  # read above as the task's time
        due, words, flags = _deadline_in(sentence)
        recurrence = _recurrences(sentence)
        relative = _relative_deadline(sentence)
        # "hoàn thành trong tháng 11/2025", "đến năm 2030 đạt …": a period's end, one row per period
        periods = [p for p in period_deadlines(sentence) if p[0] != due]
        if periods and not due:
            (due, words), periods, flags = periods[0], periods[1:], ("period_end",)
        if words or recurrence or relative:
            owner = actor or (out[-1].agency if out and out[-1].kind == "reporting" and out[-1].quote == quote else None)
            out.append(Obligation(kind="deadline", agency=owner, due_date=due, deadline_text=words or relative,
                                  recurrence=recurrence, flags=flags, relative=relative, quote=quote, **base))
            out.extend(Obligation(kind="deadline", agency=owner, due_date=end, deadline_text=printed,
                                  flags=("period_end",), quote=quote, **base) for end, printed in periods)
            # "… 6 tháng đầu năm và cả năm, trước ngày 15/6/2026 và trước ngày 15/11/2026": each date is due
            out.extend(Obligation(kind="deadline", agency=owner, due_date=later, deadline_text=printed,
                                  flags=later_flags, quote=quote, **base)
                       for later, printed, later_flags in list(_deadlines_in(sentence, lists=True))[1:] if later and later != due)
    leads = list(dict.fromkeys([*( [agency] if agency else []), *field_leads]))
    if agency:
        # a heading may name several agencies that share the section's work ("Các sở, ban, ngành,
        # UBND các huyện, thành phố"): each is a lead
        leads += [name for name in _heading_leads(section, agency) if name not in leads]
    elif subject_leads:
        # a section whose text opens with agencies as its subject ("Sở Thông tin và Truyền thông:",
        # "Các sở, ngành, UBND cấp xã chủ động …") assigns its work to them
        leads = subject_leads
    elif "." in section.path and not any(r.kind == "assignment" and not r.directed_by for r in out):
        lines = [line for line in text.split("\n") if line.strip()]
        for line in lines[:3]:  # the heading (which may wrap), then the first line
            leads = [] if _labelled(line) else _subject(line, find_bodies(line))
            if leads:
                break
        if not leads and inherited:
            leads = list(inherited)  # a point of an agency's item ("1. Sở Tài chính:", then a), b))
    first_quote = collapse_ws(sentences[0]) if sentences else ""
    if lists_partners and cooperating:
        out = [replace(r, cooperating=tuple(dict.fromkeys((*r.cooperating, *(c for c in cooperating if c != r.agency)))))
               if r.kind == "assignment" and r.role == "lead" and not r.directed_by else r for r in out]
    if cooperating and not leads and not any(r.kind == "assignment" for r in out) and _is_field_point(section.title):
        # "c) Đơn vị phối hợp: Sở A, Sở B." apart from the point naming the lead: the partners of
        # the item's lead, who is settled once the item's points are read (register.extract_plan)
        out.append(Obligation(kind="assignment", role="cooperate", cooperating=tuple(cooperating),
                              quote=first_quote, task=section.title, **base))
    for name in reversed(leads):
        out.insert(0, Obligation(kind="assignment", role="lead", agency=name,
                                 cooperating=tuple(c for c in cooperating if c != name),
                                 quote=first_quote, task=section.title, **base))
    if in_reporting_part(section, part_title):
        # "2. Trung tâm X báo cáo … gửi Phòng Y" in the reporting part: a reporting line, its reporter
        # leads no task there (a line of the part that states no report, or says who "chủ trì" the
        # report, still assigns its work)
        reporters = {(r.quote, r.agency) for r in out if r.kind == "reporting"
                     and not _positions(match_tokens(r.quote), "chu tri")}
        quoted = {q for q, _ in reporters}
        out = [r for r in out if not (r.kind == "assignment" and r.role == "lead"
                                      and ((r.quote, r.agency) in reporters or r.quote in quoted
                                           or first_quote in quoted and r.quote == first_quote))]
    if in_pure_statement_part(section, part_title):
        out = [r for r in out if r.kind != "reporting"]
    if regime:
        # a regime's field lines are read together (index/obligations/regime.py), not as sentences
        out = [r for r in out if not (r.kind == "reporting" and r.quote in regime_lines)] + regime
    return out
