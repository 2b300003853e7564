"""One plan's rows (computed at ingest, or extracted from its chunks) and the register of every
plan with its queries."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

from index.models import Chunk
from index.obligations.articles import _decision_articles
from index.obligations.by_reference import assigned_by_reference
from index.obligations.headings import _is_field_point
from index.obligations.parties import parties_rows, party_names
from index.obligations.records import Obligation, _Section, _sections
from index.obligations.reporting import COMMITTEE_HEAD, STANDING_OFFICE
from index.obligations.sections import _extract_section
from index.obligations.table_rows import table_note_recipients
from index.store import DocRecord, PlanStore, Snapshot
from lang.abbreviations import expand_abbreviations
from lang.agencies import find_agencies, find_bodies
from lang.normalize import match_tokens
from lang.short_names import aliases_of, plan_abbreviations

_REGISTERS_PER_FETCH = 200  # plans whose stored rows one fetch reads


class ObligationRegister:
    """The union of every plan's register rows. Rows are computed once per plan at ingest and kept
    in its DocRecord (index/ingest.py), so every process reads them without recomputing; a record
    written before rows were kept gets them derived from its chunks here."""

    def __init__(self, store: PlanStore) -> None:
        self.store = store
        self._cache: tuple[str, list[Obligation]] | None = None
        self._by_plan: dict[str, list[Obligation]] = {}  # DocRecord.key -> rows (kept across generations)
        self._lock = threading.Lock()

    def records(self, snap: Snapshot | None = None) -> list[Obligation]:
        """Every plan's rows, in plan order."""
        snap = snap or self.store.snapshot()
        if snap is None:
            return []
        with self._lock:
            if self._cache is not None and self._cache[0] == snap.generation:
                return self._cache[1]
        with self._lock:
            known = set(self._by_plan)
        # the plans not read yet, their stored rows fetched together (not one round trip each)
        unread = [source for source, record in snap.docs.items() if record.key not in known]
        for start in range(0, len(unread), _REGISTERS_PER_FETCH):
            group = unread[start: start + _REGISTERS_PER_FETCH]
            stored = snap.registers(group)
            for source in group:
                rows = plan_records(snap.docs[source], partial(snap.chunks_of, source), stored.get(source))
                with self._lock:
                    self._by_plan[snap.docs[source].key] = rows
        rows = [row for source in sorted(snap.docs) for row in self.of_plan(source, snap)]
        with self._lock:
            self._cache = (snap.generation, rows)
            live = {record.key for record in snap.docs.values()}
            for key in [k for k in self._by_plan if k not in live]:
                del self._by_plan[key]
        return rows

    def of_plan(self, source: str, snap: Snapshot | None = None) -> list[Obligation]:
        """One plan's rows (what a question about that plan needs: no other plan is read)."""
        snap = snap or self.store.snapshot()
        record = snap.docs.get(source) if snap is not None else None
        if snap is None or record is None:
            return []
        with self._lock:
            rows = self._by_plan.get(record.key)
        if rows is None:
            rows = plan_records(record, partial(snap.chunks_of, source), snap.registers([source]).get(source))
            with self._lock:
                self._by_plan[record.key] = rows
        return rows

    def query(self, doc: str | None = None, agency: str | None = None, before: str | None = None,
              kind: str | None = None, sources: list[str] | None = None) -> list[Obligation]:
        wanted_agency = None
        if agency:
            found = find_agencies(agency)
            wanted_agency = found[0].name if found else None
        out = []
        for r in self.records():
            if doc and r.source != doc:
                continue
            if sources is not None and r.source not in sources:
                continue
            if kind and r.kind != kind:
                continue
            if agency:
                names = {n for n in (r.agency, r.recipient, r.via, *r.cooperating, *r.onward) if n is not None}
                if wanted_agency not in names and not any(
                        " ".join(match_tokens(agency)) in " ".join(match_tokens(n)) for n in names):
                    continue
            if before and not (r.due_date and r.due_date < before):
                continue
            out.append(r)
        return out

    def deadlines(self, start: str | None = None, end: str | None = None) -> list[Obligation]:
        """Dated obligations across all plans, soonest first (one per plan, section and date)."""
        seen: set[tuple[str, str, str]] = set()
        out = []
        for r in self.records():
            if not r.due_date or (start and r.due_date < start) or (end and r.due_date > end):
                continue
            key = (r.source, r.section, r.due_date)
            if key in seen:
                continue
            seen.add(key)
            out.append(r)
        return sorted(out, key=lambda r: (r.due_date, r.source, r.section))

    def upcoming(self, limit: int = 10, today: dt.date | None = None) -> list[Obligation]:
        today = today or dt.date.today()
        return self.deadlines(start=today.isoformat())[:limit]


def extract(snap: Snapshot) -> list[Obligation]:
    """Every plan's rows, in plan order (what the register holds)."""
    return [row for source in sorted(snap.docs)
            for row in plan_records(snap.docs[source], partial(snap.chunks_of, source),
                                    snap.registers([source]).get(source))]


def plan_records(record: DocRecord, chunks: Callable[[], list[Chunk]],
                 stored: list[dict] | None = None) -> list[Obligation]:
    """A plan's rows: the ones computed at ingest (kept in its record, or stored apart from it),
    else extracted from its chunks (a plan indexed before rows were kept)."""
    if record.register is not None:
        return [Obligation.from_dict(row) for row in record.register]
    if stored is not None:
        return [Obligation.from_dict(row) for row in stored]
    return extract_plan(chunks(), record.meta.province, record.meta.year, record.meta.issuers)


def extract_plan(chunks: list[Chunk], province: str | None, year: int | None,
                 issuers: Sequence[str] = ()) -> list[Obligation]:
    """The register rows of one plan's chunks. The abbreviations the plan defines for its bodies
    ("… huyện (sau đây gọi tắt là BCH PCTT&TKCN huyện)") name the full body in every row; its short
    names in words ("Ban Chỉ đạo") are kept as printed (lang/short_names.py). A joint plan's
    `issuers` (DocumentMeta.issuers) each act where it gives work to "hai bên" (parties.py)."""
    text = "\n".join(c.text for c in chunks)
    abbreviations = plan_abbreviations(text)  # read outside the plan's aliases: the names as printed
    with aliases_of(text):
        return _extract_plan(chunks, province, year, abbreviations, party_names(issuers))


def _extract_plan(chunks: list[Chunk], province: str | None, year: int | None,
                  abbreviations: dict[str, str], parties: Sequence[tuple[str, str]] = ()) -> list[Obligation]:
    records: list[Obligation] = []
    sections = _sections(chunks)
    by_path = {(s.source, s.path): s for s in sections}
    actors: dict[tuple[str, str], tuple[str, ...]] = {}  # the lead agencies each section settled on
    for section in sections:
        if section.path == "preamble":
            records.extend(_decision_articles(section, province, year))
            continue
        parent_path = section.path.rsplit(".", 1)[0] if "." in section.path else None
        parent = by_path.get((section.source, parent_path)) if parent_path else None
        inherited = actors.get((section.source, parent_path), ()) if parent_path else ()
        part = by_path.get((section.source, section.path.split(".", 1)[0]))
        read = partial(_extract_section, province=province, year=year, parent_text=parent.text if parent else "",
                       inherited=inherited,
                       part_title=f"{part.label} {part.title}" if part is not None and part is not section else "")
        rows = parties_rows(section, read(section), parties, read)
        actors[(section.source, section.path)] = tuple(
            dict.fromkeys(r.agency for r in rows if r.kind == "assignment" and r.agency and r.task == section.title))
        if parent is not None and _is_field_point(section.title):
            # "1.1. Xây dựng …" then "a) Nhiệm vụ", "b) Cơ quan thực hiện: - Đơn vị chủ trì: Sở X",
            # "c) Thời gian thực hiện": the points are fields of the item's task, filed with the item
            rows = [replace(r, section=parent.path, section_label=parent.label) for r in rows]
        records.extend(rows)
    records = _committee_head_named(_standing_office_resolved(records, sections))
    records = _names_written_out(records, abbreviations)
    records = _names_completed(_province_named(records, province))
    records = assigned_by_reference(records, sections, chunks, province, year)
    return _points_partners_to_item(_partners_to_leads(_groups_named_apart(table_note_recipients(records, sections))))


def _names_written_out(records: list[Obligation], table: dict[str, str]) -> list[Obligation]:
    """Every body by its full name: a plan abbreviates a body after its first mention ("BCH PCTT&TKCN
    huyện", "BQL các KCN", "UBND huyện"), and the register names it as one body wherever it acts."""
    def full(name: str | None) -> str | None:
        return expand_abbreviations(name, table) if name else name

    out = []
    for r in records:
        names = (r.agency, r.recipient, r.via, r.directed_by, *r.cooperating, *r.onward)
        if not any(names):
            out.append(r)
            continue
        out.append(replace(r, agency=full(r.agency), recipient=full(r.recipient), via=full(r.via),
                           directed_by=full(r.directed_by),
                           cooperating=tuple(dict.fromkeys(e for n in r.cooperating if (e := full(n)))),
                           onward=tuple(dict.fromkeys(e for n in r.onward if (e := full(n))))))
    return out


def _province_named(records: list[Obligation], province: str | None) -> list[Obligation]:
    """A body whose name carries no level word is named with the plan's province where the plan
    prints it so ("Tỉnh đoàn Lai Châu", "VNPT Nghệ An"): the place is part of that name; a name with
    its level ("Công an tỉnh Lai Châu") is the level's body, read as the lexicon names it."""
    if not province:
        return records
    place = match_tokens(province)

    def named(name: str | None, quote: str) -> str | None:
        tokens = match_tokens(name) if name else []
        if not tokens or tokens[-1] in _LEVEL_ENDS:
            return name
        printed = match_tokens(quote)
        whole = tokens + place
        if any(printed[i: i + len(whole)] == whole for i in range(len(printed) - len(whole) + 1)):
            return f"{name} {province}"
        return name

    return [replace(r, agency=named(r.agency, r.quote), recipient=named(r.recipient, r.quote),
                    via=named(r.via, r.quote),
                    cooperating=tuple(dict.fromkeys(c for n in r.cooperating if (c := named(n, r.quote)))))
            if r.quote else r for r in records]


# the level words that close a body's name ("… tỉnh", "… thành phố", "… huyện", "… xã"); a level
# word that opens it ("Tỉnh đoàn") is part of its kind
_LEVEL_ENDS = frozenset(("tinh", "huyen", "xa", "phuong", "pho", "quan"))


def _names_completed(records: list[Obligation]) -> list[Obligation]:
    """A body whose name has a comma in it ("Phòng Phổ biến, giáo dục pháp luật") is read whole where
    a field or a heading closes it, and cut at its comma in a sentence that goes on after it ("báo
    cáo … về Phòng Phổ biến, giáo dục pháp luật trong 05 ngày …"): where a row's quote prints the
    whole name the plan reads elsewhere, the cut one is that body."""
    whole = {n for r in records for n in (r.agency, r.recipient, r.via, *r.cooperating) if n and "," in n}
    if not whole:
        return records

    def completed(name: str | None, quote: str) -> str | None:
        if not name or "," in name:
            return name
        longer = [w for w in whole if w.startswith(name + ",") and w in quote]
        return max(longer, key=len) if longer else name

    out = []
    for r in records:
        names = (r.agency, r.recipient, r.via, *r.cooperating)
        if not any(n and n + "," in r.quote for n in names):
            out.append(r)
            continue
        out.append(replace(r, agency=completed(r.agency, r.quote), recipient=completed(r.recipient, r.quote),
                           via=completed(r.via, r.quote),
                           cooperating=tuple(dict.fromkeys(c for n in r.cooperating if (c := completed(n, r.quote))))))
    return out


def _standing_body(sections: list[_Section]) -> str | None:
    """The body a plan names as its committee's standing office: "Cơ quan thường trực Ban Chỉ đạo
    (Sở X)", "Sở X là / làm cơ quan thường trực …". None when it names none, or several."""
    found: list[str] = []
    for section in sections:
        for line in section.text.split("\n"):
            tokens = match_tokens(line)
            if "thuong truc" not in " ".join(tokens):
                continue
            mentions = find_bodies(line)
            for i, m in enumerate(mentions):
                if tokens[max(0, m.start - 4): m.start] == ["co", "quan", "thuong", "truc"] \
                        and i + 1 < len(mentions) and mentions[i + 1].start == m.end:
                    found.append(mentions[i + 1].name)
                elif tokens[m.end: m.end + 5] in (["la", "co", "quan", "thuong", "truc"],
                                                  ["lam", "co", "quan", "thuong", "truc"]):
                    found.append(m.name)
    names = set(found)
    return found[0] if len(names) == 1 else None


def _standing_office_resolved(records: list[Obligation], sections: list[_Section]) -> list[Obligation]:
    """Reports sent to "Cơ quan thường trực Ban Chỉ đạo" go to the body the plan names as that office."""
    if not any(r.recipient and r.recipient.startswith(STANDING_OFFICE) for r in records):
        return records
    body = _standing_body(sections)
    if body is None:
        return records
    return [replace(r, recipient=body) if r.recipient and r.recipient.startswith(STANDING_OFFICE) else r
            for r in records]


def _committee_head_named(records: list[Obligation]) -> list[Obligation]:
    """A report to "Trưởng ban" alone goes to the head of the committee the plan names most ("Ban
    Chỉ đạo", its short name or its full one): "Trưởng ban Ban Chỉ đạo". With no committee in the
    plan's rows, the title stays as printed."""
    if not any(r.recipient == COMMITTEE_HEAD for r in records):
        return records
    named = Counter(n for r in records for n in (r.agency, r.recipient, r.via)
                    if n and match_tokens(n)[:1] == ["ban"])
    if not named:
        return records
    head = f"{COMMITTEE_HEAD} {named.most_common(1)[0][0]}"
    return [replace(r, recipient=head) if r.recipient == COMMITTEE_HEAD else r for r in records]


def _groups_named_apart(records: list[Obligation]) -> list[Obligation]:
    """A heading that names a group ("1. Các phòng, đơn vị thuộc Sở") whose points each name the body
    that acts ("a) Phòng Quản lý du lịch là đầu mối …", "b) Trung tâm X chủ trì …") is a category,
    not a lead: those bodies lead, the group does not."""
    leads: dict[tuple[str, str], set[str]] = {}
    for r in records:
        if r.kind == "assignment" and r.role == "lead" and r.agency and not r.directed_by:
            leads.setdefault((r.source, r.section), set()).add(r.agency)
    headed: dict[tuple[str, str], set[str]] = {}  # the agencies each heading names (co-leads too)
    for r in records:
        if r.kind == "assignment" and r.role == "lead" and r.agency and not r.directed_by and r.task != r.quote:
            headed.setdefault((r.source, r.section), set()).add(r.agency)
    groups: set[tuple[str, str, str]] = set()
    for r in records:
        # the heading's row (its task is the heading, not a sentence of the section) for a group
        if not (r.kind == "assignment" and r.role == "lead" and r.agency and not r.directed_by
                and r.agency.lower().startswith("các ") and r.task != r.quote and _opens_section(r)):
            continue
        points = [names for (source, section), names in leads.items() if source == r.source
                  and section.rsplit(".", 1)[0] == r.section]
        heading = headed.get((r.source, r.section), set())
        if points and all(names - heading for names in points):
            groups.add((r.source, r.section, r.agency))
    if not groups:
        return records
    return [r for r in records
            if not (r.kind == "assignment" and r.role == "lead" and not r.directed_by
                    and ((r.source, r.section, r.agency) in groups
                         or ((r.source, r.section.rsplit(".", 1)[0], r.agency) in groups
                             and leads.get((r.source, r.section), set()) - {r.agency})))]


def _opens_section(row: Obligation) -> bool:
    """The row quotes its section's numbered heading ("1. Các phòng, đơn vị thuộc Sở" at IV.1), not a
    field point filed with it nor a table row."""
    number = re.escape(row.section.rsplit(".", 1)[-1])
    return re.match(rf"^\s*(?:[\dIVXLC]+\.)*{number}[.)]\s", row.quote) is not None


# "phối hợp với các sở, ban, ngành" at a point is how every task is done, no partner of the item
_WHOLE_ADMINISTRATION = frozenset(("Các sở, ban, ngành tỉnh", "Các cơ quan, đơn vị liên quan"))


def _points_partners_to_item(records: list[Obligation]) -> list[Obligation]:
    """An item addressed to an agency ("1. Sở Tư pháp", then "a) Chủ trì, phối hợp với Công an tỉnh
    …", "b) Phối hợp với Sở Y tế …") works with the partners its points name: the item's row for
    that agency lists them all (the points keep their own rows). Partners of a point another agency
    leads, or of a body the agency directs, are not the item's."""
    partners: dict[tuple[str, str, str], list[str]] = {}  # (source, item, lead) -> its points' partners
    for r in records:
        if r.kind != "assignment" or r.role != "lead" or not r.agency or r.directed_by or "." not in r.section:
            continue
        parts = r.section.split(".")
        for depth in range(1, len(parts)):
            found = partners.setdefault((r.source, ".".join(parts[:depth]), r.agency), [])
            found += [n for n in r.cooperating if n not in found and n != r.agency and n not in _WHOLE_ADMINISTRATION]
    out: list[Obligation] = []
    done: set[tuple[str, str, str]] = set()
    for r in records:
        key = (r.source, r.section, r.agency or "")
        extra = partners.get(key) if r.kind == "assignment" and r.role == "lead" and not r.directed_by else None
        if extra and key not in done:
            done.add(key)
            r = replace(r, cooperating=tuple(dict.fromkeys((*r.cooperating, *extra))))
        out.append(r)
    return out


def _partners_to_leads(records: list[Obligation]) -> list[Obligation]:
    """The partners a field point names apart from the lead ("b) Đơn vị chủ trì: X", "c) Đơn vị phối
    hợp: Y, Z") go with the item's lead: one row per lead; none when the item names no lead."""
    leads: dict[tuple[str, str], list[str]] = {}
    for r in records:
        if r.kind == "assignment" and r.role == "lead" and r.agency and not r.directed_by:
            leads.setdefault((r.source, r.section), []).append(r.agency)
    out: list[Obligation] = []
    for r in records:
        if r.kind == "assignment" and r.role == "cooperate" and r.agency is None:
            out += [replace(r, role="lead", agency=name, cooperating=tuple(c for c in r.cooperating if c != name))
                    for name in dict.fromkeys(leads.get((r.source, r.section), []))]
        else:
            out.append(r)
    return out
