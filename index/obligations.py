"""The obligations register: who must do what, who reports to whom, and by when.

Extracted from every indexed plan by rules over the section tree (not by similarity search), so a
question about a reporting line or a deadline gets the one passage that states it, with its section.
Each plan's rows are extracted once, at ingest, and kept with the plan in the index generation;
the register is their union, so every process sharing one index reads the same register without
recomputing it.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from index.agencies import AgencyMention, find_agencies, heading_agency
from index.models import Chunk
from index.normalize import collapse_ws, match_tokens, skeleton
from index.readers.syllables import is_valid_syllable
from index.sentences import split_sentences
from index.store import DocRecord, PlanStore, Snapshot
from index.tables import is_table_line, row_fields, rows_with_headers

RECURRENCES = {  # folded cue → tag
    "hang nam": "annual", "dinh ky": "periodic", "theo giai doan": "periodic", "6 thang": "semiannual",
    "sau thang": "semiannual", "hang quy": "quarterly", "hang thang": "monthly", "hang tuan": "weekly",
    "dot xuat": "on_request", "khi co yeu cau": "on_request",
}
# cues whose consonant frame is distinctive enough to match OCR'd vowels ("hing nam", "dot xudt")
_FRAME_CUES = ("hang nam", "dinh ky", "dot xuat")
_ASSIGNMENT_PARTS = ("phan cong", "to chuc thuc hien", "trach nhiem", "nhiem vu cu the")
# OCR of a rendered page may put a space inside a number ("15/1 1/2026", "ngày 1 5 tháng"): one
# space between two digits is still one number (_date_number drops it).
_NUMERIC_DATE = re.compile(r"(?<![\d/])(\d ?\d|\d)\s*/\s*(\d ?\d|\d)\s*/\s*(\d{4}|\d{2} \d{2})(?![\d/])")
_WORDED_DATE = re.compile(r"ngay\s+(\d \d|\d{1,2})\s+thang\s+(\d \d|\d{1,2})\s+nam\s+(\d{4}|\d{2} \d{2})")
_DOC_NUMBER_BEFORE = re.compile(r"(\d+\s*[/-]\s*[A-ZĐa-zđ]{1,10}[^\s]*|\bs[ốoô6é&b§]\s*\d+[^\s]*)\s*(ngày|ngay|ngdy)?\s*$",
                                re.IGNORECASE)
_DEADLINE_CUES = ("truoc", "truoe", "trudc", "cham nhat", "han", "han chot", "hoan thanh", "den ngay", "trong ngay",
                  "thoi gian")


@dataclass(frozen=True, slots=True)
class Obligation:
    kind: str  # assignment | reporting | deadline
    source: str
    doc_title: str
    section: str
    section_label: str
    quote: str  # verbatim passage, whitespace collapsed
    agency: str | None = None  # assignment: the assigned agency; reporting: who reports
    role: str | None = None  # assignment: lead | cooperate
    cooperating: tuple[str, ...] = ()
    recipient: str | None = None
    via: str | None = None
    onward: tuple[str, ...] = ()
    due_date: str | None = None  # ISO date
    recurrence: tuple[str, ...] = ()
    deadline_text: str | None = None  # the deadline words as printed
    flags: tuple[str, ...] = ()
    task: str | None = None
    province: str | None = None
    year: int | None = None

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict) -> Obligation:
        values = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in _FIELDS}
        for name in _SHARED_FIELDS:  # one copy per plan, not per row: 2,000 plans hold ~60,000 rows
            if isinstance(values.get(name), str):
                values[name] = sys.intern(values[name])
        return cls(**values)


_FIELDS = frozenset(Obligation.__dataclass_fields__)
_SHARED_FIELDS = ("kind", "source", "doc_title", "section", "section_label", "province", "agency", "role",
                  "recipient")


@dataclass
class _Section:
    source: str
    doc_title: str
    path: str
    label: str
    title: str
    ancestors: tuple[str, ...]
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(c.text for c in self.chunks)


def _sections(chunks: list[Chunk]) -> list[_Section]:
    by_key: dict[tuple[str, str], _Section] = {}
    for chunk in sorted(chunks, key=lambda c: (c.source, c.start_line)):
        key = (chunk.source, chunk.section)
        if key not in by_key:  # the first chunk of a section carries only its parents' headings
            by_key[key] = _Section(chunk.source, chunk.doc_title, chunk.section, chunk.section_label,
                                   chunk.section_title, chunk.ancestors)
        by_key[key].chunks.append(chunk)
    return list(by_key.values())


def parse_date(day: int, month: int, year: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _date_number(printed: str) -> int:
    return int(printed.replace(" ", ""))


def _deadline_in(sentence: str) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(ISO date, verbatim words, flags) of the first deadline date in a sentence that is not the
    date of a cited document ("Kết luận số 57-KL/TW ngày 15/6/2023")."""
    for pattern, text in ((_NUMERIC_DATE, sentence), (_WORDED_DATE, " ".join(match_tokens(sentence)))):
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 40): m.start()]
            if pattern is _NUMERIC_DATE and _DOC_NUMBER_BEFORE.search(before):
                continue
            folded_before = " ".join(match_tokens(before)[-4:])
            cue = next((c for c in _DEADLINE_CUES if f" {c} " in f" {folded_before} "), None)
            if not cue:
                continue  # a date without "trước ngày", "chậm nhất", "hạn" … is an event or a citation
            day, month, year = (_date_number(g) for g in m.groups())
            iso = parse_date(day, month, year)
            verbatim = m.group(0) if pattern is _NUMERIC_DATE else _verbatim_worded(sentence, day, month, year)
            words = _cue_words(sentence, verbatim) if cue else verbatim
            return iso, words, () if iso else ("impossible_date",)
    return None, None, ()


def _verbatim_worded(sentence: str, day: int, month: int, year: int) -> str:
    m = re.search(rf"\S+\s+0?{day}\s+\S+\s+0?{month}\s+\S+\s+{year}", sentence)
    return m.group(0) if m else f"{day}/{month}/{year}"


def _cue_words(sentence: str, verbatim: str) -> str:
    idx = sentence.find(verbatim)
    head = sentence[max(0, idx - 14): idx]
    words = head.split()[-2:]
    return collapse_ws(" ".join([*words, verbatim])) if words else verbatim


# "vấn đề đột xuất" is an unexpected issue, not a duty done on request
_EVENT_NOUNS = re.compile(r" (?:van de|su viec|tinh huong|su co|tin) (?:nong |nhay cam )?dot xuat ")


# each cue with its consonant frame ("hang nam" → "h*ng n*m")
_RECURRENCE_FRAMES = tuple((cue, tag, " ".join(skeleton(t) for t in cue.split())) for cue, tag in RECURRENCES.items())


def _recurrences(sentence: str) -> tuple[str, ...]:
    folded = _EVENT_NOUNS.sub(" ", " " + " ".join(match_tokens(sentence)) + " ")
    frames = None  # made only when a frame cue is not found as it is
    tags: list[str] = []
    for cue, tag, frame in _RECURRENCE_FRAMES:
        if tag in tags:
            continue
        if f" {cue} " in folded:
            tags.append(tag)
        elif cue in _FRAME_CUES:
            if frames is None:
                frames = " " + " ".join(map(skeleton, folded.split())) + " "
            if f" {frame} " in frames:
                tags.append(tag)
    return tuple(tags)


class _Frames:
    """A sentence's token frames, and where each frame occurs: every phrase search of the sentence
    starts from them."""

    def __init__(self, tokens: list[str]) -> None:
        self.of_tokens = list(map(skeleton, tokens))
        self._starts: dict[str, list[int]] = {}

    def starts(self, frame: str) -> list[int]:
        """Where `frame` occurs, in order (found once per sentence and frame)."""
        found = self._starts.get(frame)
        if found is None:
            found = self._starts[frame] = [i for i, f in enumerate(self.of_tokens) if f == frame]
        return found


def _positions(tokens: list[str], *phrases: str, frames: _Frames | None = None) -> list[int]:
    """Where a phrase starts in folded tokens: exactly, or by consonant frame when the window shows
    OCR damage ("bdo cdo", "béo cdo" for "báo cáo"). A frame match of real, different syllables
    is another phrase ("giới và" is not "gửi về"), so at least one word must be exact or invalid.
    `frames`: the tokens' frames, when the caller has them."""
    out = []
    frames = frames if frames is not None else _Frames(tokens)
    token_frames = frames.of_tokens
    for phrase in phrases:
        words = phrase.split()
        frames_of_words = [skeleton(w) for w in words]
        # either way the first frame matches: only those positions are tried
        last = len(tokens) - len(words)
        for i in frames.starts(frames_of_words[0]):
            if i > last:
                break
            window = tokens[i: i + len(words)]
            if window == words or (
                len(words) > 1 and token_frames[i: i + len(words)] == frames_of_words
                and any(w == p or not is_valid_syllable(w) for w, p in zip(window, words, strict=True))
            ):
                out.append(i)
    return sorted(set(out))


def _report_positions(tokens: list[str], mentions: list[AgencyMention], frames: _Frames | None = None) -> list[int]:
    """Where a sentence states a reporting line: "báo cáo", "gửi (báo cáo) về", or "gửi" right
    before an agency ("gửi Sở Thông tin và Truyền thông tổng hợp"). "Báo cáo viên" (a person) and
    "báo cáo của X" (a document) are nouns, not duties."""
    found = [i for i in _positions(tokens, "bao cao", frames=frames)
             if i + 2 >= len(tokens) or tokens[i + 2] not in ("vien", "cua")]
    # "gửi về" is short enough that its frame alone meets "giới và" ("biên giới và"): one word exact
    found += [i for i in _positions(tokens, "gui ve", "gui bao cao", frames=frames)
              if tokens[i] == "gui" or tokens[i + 1] in ("ve", "bao")]
    starts = {m.start for m in mentions}
    if found:
        # "gửi Sở X tổng hợp, báo cáo UBND tỉnh": the first recipient is the one after a bare
        # "gửi" right before an agency. OCR'd "giti", "giri" are no syllable; "giữa" (between, OCR'd
        # "gitta", "gilra") ends in "a". Alone, "gửi Sở Tài chính thẩm định" is no report.
        found += [i for i, t in enumerate(tokens)
                  if {i + 1, i + 2} & starts
                  and (t == "gui" or (t[:1] == "g" and t[-1:] == "i" and len(t) <= 4 and not is_valid_syllable(t)))]
    return sorted(set(found))


def _listed_after(mentions: list[AgencyMention], position: int) -> list[str]:
    """The agencies listed right after a cue ("phối hợp (chặt chẽ) với A, B và C"): the first starts
    within three tokens, each next one within three tokens of the previous; the list ends where the
    clause goes on ("… triển khai …, báo cáo UBND tỉnh" names no partner)."""
    names: list[str] = []
    edge = position
    for m in mentions:
        if m.start < position:
            continue
        if m.start - edge > 3:
            break
        names.append(m.name)
        edge = m.end
    return names


def _after(mentions: list[AgencyMention], position: int, until: int | None = None) -> list[AgencyMention]:
    return [m for m in mentions if m.start > position and (until is None or m.start < until)]


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
                rows = plan_records(snap.docs[source], lambda s=source: snap.chunks_of(s), stored.get(source))
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
        if record is None:
            return []
        with self._lock:
            rows = self._by_plan.get(record.key)
        if rows is None:
            rows = plan_records(record, lambda: snap.chunks_of(source), snap.registers([source]).get(source))
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
                names = {r.agency, r.recipient, r.via, *r.cooperating, *r.onward} - {None}
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
            for row in plan_records(snap.docs[source], lambda s=source: snap.chunks_of(s),
                                    snap.registers([source]).get(source))]


def plan_records(record: DocRecord, chunks: Callable[[], list[Chunk]],
                 stored: list[dict] | None = None) -> list[Obligation]:
    """A plan's rows: the ones computed at ingest (kept in its record, or stored apart from it),
    else extracted from its chunks (a plan indexed before rows were kept)."""
    if record.register is not None:
        return [Obligation.from_dict(row) for row in record.register]
    if stored is not None:
        return [Obligation.from_dict(row) for row in stored]
    return extract_plan(chunks(), record.meta.province, record.meta.year)


def extract_plan(chunks: list[Chunk], province: str | None, year: int | None) -> list[Obligation]:
    """The register rows of one plan's chunks."""
    records: list[Obligation] = []
    sections = _sections(chunks)
    by_path = {(s.source, s.path): s for s in sections}
    for section in sections:
        if section.path == "preamble":
            continue
        parent = by_path.get((section.source, section.path.rsplit(".", 1)[0])) if "." in section.path else None
        records.extend(_extract_section(section, province, year, parent.text if parent else ""))
    return records


def _section_agency(section: _Section) -> str | None:
    if section.path.count(".") != 1 or not section.ancestors:
        return None
    named = heading_agency(section.title)
    if named:  # an item whose heading is an agency assigns work to it, whatever its part is called
        return named
    part = " ".join(match_tokens(section.ancestors[0]))
    if not any(cue in part for cue in _ASSIGNMENT_PARTS):
        return None
    return _generic_heading(section.title)


def _generic_heading(title: str) -> str | None:
    """Headings naming a body outside the lexicon ("Trung tâm Bảo tồn Di tích cố đô Huế")."""
    tokens = match_tokens(title)
    if tokens and tokens[0] in ("trung", "dai", "hoi", "vien", "lien"):
        return collapse_ws(title.rstrip(":. "))
    return None


def _extract_section(section: _Section, province: str | None, year: int | None,
                     parent_text: str = "") -> list[Obligation]:
    base = {"source": section.source, "doc_title": section.doc_title, "section": section.path,
            "section_label": section.label, "province": province, "year": year}
    out: list[Obligation] = []
    agency = _section_agency(section)
    cooperating: list[str] = []
    # Table rows ("STT | Nhiệm vụ | Cơ quan chủ trì | …") say by their columns who does what by
    # when: they are read by the header, not as sentences (a row is not a sentence).
    headers = tuple(a for a in section.ancestors if is_table_line(a))
    for header, row in rows_with_headers(section.text, headers):
        out.extend(_row_records(header, row, base))
    text = "\n".join(line for line in section.text.split("\n") if not is_table_line(line))
    sentences = split_sentences(text)
    for sentence in sentences:
        tokens = match_tokens(sentence)
        frames = _Frames(tokens)
        mentions = find_agencies(sentence)
        quote = collapse_ws(sentence)
        # cooperating agencies: named after "phối hợp với"
        coop_at = _positions(tokens, "phoi hop", frames=frames)
        partner_lists = [_listed_after(mentions, pos + 2) for pos in coop_at]
        for partners in partner_lists:
            for name in partners:
                if name != agency and name not in cooperating:
                    cooperating.append(name)
        # lead agencies named in a sentence: "X chủ trì, phối hợp với Y"
        for pos in _positions(tokens, "chu tri", frames=frames):
            leads = [m for m in mentions if m.end <= pos and pos - m.end <= 3]
            lead = leads[-1].name if leads else agency
            if lead:
                after = [_listed_after(mentions, p + 2) for p in coop_at if p > pos]
                coop = tuple(dict.fromkeys(n for names in after[:1] for n in names if n != lead))
                out.append(Obligation(kind="assignment", role="lead", agency=lead, cooperating=coop,
                                      quote=quote, task=quote, **base))
        # reporting lines
        report_at = _report_positions(tokens, mentions, frames)
        if report_at:
            first = report_at[0]
            via_at = _positions(tokens, "qua", frames=frames)
            onward_at = _positions(tokens, "trinh", "tong hop", frames=frames)
            recipients = [m for m in _after(mentions, first)
                          if not any(v < m.start and m.start - v <= 2 for v in via_at)
                          and not any(o < m.start and m.start - o <= 4 for o in onward_at)]
            via = next((m.name for m in mentions for v in via_at if 0 < m.start - v <= 2), None)
            onward_cues = [o for o in onward_at if o > first]  # "… báo cáo X để tổng hợp trình Y"
            onward = tuple(dict.fromkeys(m.name for m in mentions if onward_cues and m.start > onward_cues[0]))
            recipient = recipients[0].name if recipients else (via if via else None)
            if recipient:
                due, words, flags = _deadline_in(sentence)
                reporter = agency or _reporter_phrase(sentence, parent_text) or "các cơ quan, đơn vị được giao nhiệm vụ"
                out.append(Obligation(kind="reporting", agency=reporter, recipient=recipient,
                                      via=via if via != recipient else None,
                                      onward=tuple(o for o in onward if o not in (recipient, via)),
                                      due_date=due, deadline_text=words, flags=flags,
                                      recurrence=_recurrences(sentence), quote=quote, **base))
        # deadlines and recurring duties
        due, words, flags = _deadline_in(sentence)
        recurrence = _recurrences(sentence)
        if words or recurrence:
            owner = agency or (out[-1].agency if out and out[-1].kind == "reporting" and out[-1].quote == quote else None)
            out.append(Obligation(kind="deadline", agency=owner, due_date=due, deadline_text=words,
                                  recurrence=recurrence, flags=flags, quote=quote, **base))
    if agency:
        # a heading may name several agencies that share the section's work ("Các sở, ban, ngành,
        # UBND các huyện, thành phố"): each is a lead
        co_leads = [m.name for m in find_agencies(section.title) if m.name != agency]
        for name in reversed(list(dict.fromkeys([agency, *co_leads]))):
            out.insert(0, Obligation(kind="assignment", role="lead", agency=name,
                                     cooperating=tuple(c for c in cooperating if c != name),
                                     quote=collapse_ws(sentences[0]) if sentences else "",
                                     task=section.title, **base))
    elif "." in section.path and not any(r.kind == "assignment" for r in out):
        # a section whose text opens with an agency as its subject ("Sở Thông tin và Truyền thông:",
        # "Sở X phối hợp với Ban Y triển khai …") assigns its work to that agency
        lines = [line for line in text.split("\n") if line.strip()]
        for line in lines[:3]:  # the heading (which may wrap), then the first line
            opening = find_agencies(line)
            if opening and _opens_with(line, opening[0]):
                name = opening[0].name
                quote = next((collapse_ws(s) for s in sentences if collapse_ws(line)[:40] in collapse_ws(s)), line)
                out.insert(0, Obligation(kind="assignment", role="lead", agency=name,
                                         cooperating=tuple(c for c in cooperating if c != name),
                                         quote=quote, task=section.title, **base))
                break
    return out


def _opens_with(sentence: str, mention: AgencyMention) -> bool:
    """The agency is the sentence's subject: nothing but "Đề nghị"/"Các" or a list marker before it."""
    tokens = match_tokens(sentence)
    before = [t for t in tokens[: mention.start] if not t.isdigit() and len(t) > 1]
    if mention.start > 3 or not all(t in ("de", "nghi", "cac") for t in before):
        return False
    # a subject is followed by its verb, or stands alone as a label ("Sở Thông tin và Truyền thông:");
    # a wrapped line ("… kịp thời báo cáo / lãnh đạo tỉnh để chỉ đạo …") starts with an object
    after = " ".join(tokens[mention.end: mention.end + 2])
    return not after or any(after.startswith(verb) for verb in _DUTY_VERBS)


_DUTY_VERBS = ("chu tri", "phoi hop", "trien khai", "thuc hien", "tham muu", "xay dung", "to chuc",
               "huong dan", "theo doi", "chi dao", "tiep tuc", "tang cuong", "day manh", "can cu")


def _agency_names(cell: str) -> list[str]:
    """Canonical names of the agencies a table cell lists, or its own parts ("; ", ", ") when
    the lexicon knows none of them."""
    names = list(dict.fromkeys(m.name for m in find_agencies(cell)))
    if names:
        return names
    return [collapse_ws(part) for part in re.split(r"[;,]", cell) if part.strip()]


def _row_records(header: str, row: str, base: dict) -> list[Obligation]:
    """An assignment (and a deadline, when the row has one) from one row of a task table."""
    fields = row_fields(header, row)
    if fields is None or not (fields.task or fields.lead):
        return []
    leads = _agency_names(fields.lead) if fields.lead else []
    lead = leads[0] if leads else None
    cooperating = tuple(n for n in [*leads[1:], *_agency_names(fields.cooperating)] if n != lead)
    quote = collapse_ws(row)
    task = collapse_ws(fields.task) or None
    out = [Obligation(kind="assignment", role="lead", agency=lead, cooperating=cooperating, quote=quote,
                      task=task, **base)]
    if fields.deadline:
        # the column says it is a deadline: no "trước ngày" cue is needed for its date
        found = _NUMERIC_DATE.search(fields.deadline)
        due = parse_date(*(_date_number(found.group(i)) for i in (1, 2, 3))) if found else None
        flags = ("impossible_date",) if found and due is None else ()
        out.append(Obligation(kind="deadline", agency=lead, due_date=due, deadline_text=collapse_ws(fields.deadline),
                              recurrence=_recurrences(fields.deadline), flags=flags, quote=quote, task=task, **base))
    return out


def _reporter_phrase(sentence: str, context: str) -> str | None:
    """Who a reporting sentence addresses, from its own words or its part's lead-in
    ("Yêu cầu các cơ quan, đơn vị, địa phương …")."""
    folded = " ".join(match_tokens(sentence + " " + context))
    if "co quan" in folded and "dia phuong" in folded:
        return "các cơ quan, đơn vị, địa phương"
    if "cac so" in folded or "don vi" in folded:
        return "các cơ quan, đơn vị"
    return None
