"""Tasks handed out by reference. The genre's part on who carries out the plan often assigns the
tasks another part lists by their numbers instead of repeating them ("3.2. Giao Bộ Chỉ huy Bộ đội
Biên phòng tỉnh: - Chủ trì thực hiện nhiệm vụ tại điểm c khoản 2.2 mục 2"): the agency then leads
the referenced sections as well, and the register files it there."""

from __future__ import annotations

from collections.abc import Sequence

from index.obligations.records import Obligation, _Section
from lang.normalize import collapse_ws, match_tokens

# (section where it is written, the line, the reference as printed, the section paths it resolves to)
Reference = tuple[str, str, str, tuple[str, ...]]

# verbs by which a clause takes a task on ("Chủ trì thực hiện …", "triển khai nội dung tại …")
_LEAD_VERBS = (("thuc", "hien"), ("chu", "tri"), ("trien", "khai"), ("dam", "nhiem"), ("dam", "nhan"))
# words that may stand between the verb and the reference ("thực hiện các nhiệm vụ nêu tại");
# anything else ("thực hiện chế độ báo cáo theo quy định tại khoản 5") is not a hand-over of the task
_BETWEEN = frozenset(("cac", "nhiem", "vu", "noi", "dung", "tai", "neu", "o", "giai", "phap", "hoat", "dong",
                      "cong", "viec", "duoc", "giao", "nhu", "va", "khoan", "muc", "diem", "tieu"))


def _hands_over(clause: list[str], at: int) -> bool:
    """The reference starting at token `at` of the clause is the object of a lead verb: only
    connecting words, or the numbers of a reference listed before it ("khoản 2.3 mục 2 và điểm b
    khoản 2.1"), stand between them."""
    k = at
    while k >= 2:
        if tuple(clause[k - 2:k]) in _LEAD_VERBS:
            return True
        word = clause[k - 1]
        if word not in _BETWEEN and not word.replace(".", "").isdigit() and len(word) > 1:
            return False
        k -= 1
    return False


def _clause_of(line: str, phrase: list[str]) -> tuple[list[str], int] | None:
    """The ';'-clause holding the reference, and where the reference starts in it."""
    for clause in (match_tokens(part) for part in line.split(";")):
        for i in range(len(clause) - len(phrase) + 1):
            if clause[i:i + len(phrase)] == phrase:
                return clause, i
    return None


def leads_by_reference(records: list[Obligation], sections: list[_Section],
                       references: Sequence[Reference]) -> list[Obligation]:
    """Lead rows for the sections an agency is handed by reference, appended to the plan's rows."""
    if not references or not sections:
        return records
    source = sections[0].source
    by_path = {s.path: s for s in sections}
    leads = {(r.section, r.agency) for r in records if r.kind == "assignment" and r.agency}
    added: list[Obligation] = []
    for where, line, phrase, targets in references:
        found = _clause_of(line, match_tokens(phrase))
        if found is None or not _hands_over(*found):
            continue
        clause = " ".join(found[0])
        if "phoi hop" in clause and "chu tri" not in clause:
            continue  # "Phối hợp với Sở X thực hiện khoản 2.4": a partner's share, not the lead
        agencies = _line_leads(records, where, line) or _heading_lead(records, by_path.get(where))
        for target in targets:
            section = by_path.get(target)
            if section is None or "." not in target or target.startswith("PL") or \
                    where == target or where.startswith(target + "."):
                continue  # a whole part, an appendix (its rows name their leads) or where it is written
            for agency in agencies:
                if (target, agency) in leads:
                    continue
                leads.add((target, agency))
                added.append(Obligation(
                    kind="assignment", source=source, doc_title=section.doc_title, section=target,
                    section_label=section.label, quote=collapse_ws(line), agency=agency, role="lead",
                    task=section.title, province=records[0].province if records else None,
                    year=records[0].year if records else None))
    return records + added


def _line_leads(records: list[Obligation], where: str, line: str) -> list[str]:
    """The leads of the row the line itself gave ("- Chủ trì thực hiện khoản 2.5 mục 2" under
    "3.1. Giao Công an tỉnh")."""
    text = collapse_ws(line)
    return list(dict.fromkeys(r.agency for r in records if r.kind == "assignment" and r.agency and r.role == "lead"
                              and r.section == where and r.task and collapse_ws(r.task)[:40] in text))


def _heading_lead(records: list[Obligation], section: _Section | None) -> list[str]:
    """The agency the section's heading names first ("3.1. Giao Công an tỉnh (cơ quan thường trực
    Ban Chỉ đạo 138 tỉnh) chủ trì …"): a dash line with no subject of its own is its task."""
    if section is None:
        return []
    first = next((r.agency for r in records if r.kind == "assignment" and r.agency and r.role == "lead"
                  and r.section == section.path and r.task == section.title), None)
    return [first] if first else []
