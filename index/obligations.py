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
from dataclasses import asdict, dataclass, field, replace

from index.models import Chunk
from index.store import DocRecord, PlanStore, Snapshot
from index.tables import is_table_line, row_fields, rows_with_headers
from lang.agencies import AgencyMention, find_agencies, find_bodies, heading_agency
from lang.normalize import collapse_ws, fold, match_tokens, skeleton
from lang.sentences import split_sentences
from lang.syllables import is_valid_syllable

RECURRENCES = {  # folded cue → tag
    "hang nam": "annual", "dinh ky": "periodic", "theo giai doan": "periodic", "6 thang": "semiannual",
    "sau thang": "semiannual", "hang quy": "quarterly", "hang thang": "monthly", "hang tuan": "weekly",
    "dot xuat": "on_request", "khi co yeu cau": "on_request", "cuoi quy": "quarterly",
    "nua nam": "semiannual", "cac nam tiep theo": "annual", "moi nam": "annual", "moi quy": "quarterly",
    "moi thang": "monthly",
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
    directed_by: str | None = None  # "Sở X chỉ đạo Chi cục Y thực hiện": Y acts, directed by Sở X
    relative: str | None = None  # a deadline counted from an event, as printed ("trong 15 ngày kể từ …")

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


def _deadline_in(sentence: str, need_cue: bool = True) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(ISO date, verbatim words, flags) of the first deadline date in a sentence that is not the
    date of a cited document ("Kết luận số 57-KL/TW ngày 15/6/2023")."""
    return next(_deadlines_in(sentence, need_cue), (None, None, ()))


def _deadlines_in(sentence: str, need_cue: bool = True):
    """Every deadline date of a sentence, as `_deadline_in` reads the first."""
    for pattern, text in ((_NUMERIC_DATE, sentence), (_WORDED_DATE, " ".join(match_tokens(sentence)))):
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 40): m.start()]
            if pattern is _NUMERIC_DATE and _DOC_NUMBER_BEFORE.search(before):
                continue
            folded_before = " ".join(match_tokens(before)[-4:])
            cue = next((c for c in _DEADLINE_CUES if f" {c} " in f" {folded_before} "), None)
            if not cue and need_cue:
                continue  # a date without "trước ngày", "chậm nhất", "hạn" … is an event or a citation
            day, month, year = (_date_number(g) for g in m.groups())
            iso = parse_date(day, month, year)
            verbatim = m.group(0) if pattern is _NUMERIC_DATE else _verbatim_worded(sentence, day, month, year)
            words = _cue_words(sentence, verbatim) if cue else verbatim
            yield iso, words, () if iso else ("impossible_date",)
        if pattern is _NUMERIC_DATE and _NUMERIC_DATE.search(text):
            return  # the worded form is read only when no numeric date is printed


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
    if "periodic" in tags and set(tags) & _PERIODS:
        tags.remove("periodic")  # "định kỳ hằng quý" is quarterly: "định kỳ" names no period of its own
    return tuple(tags)


_PERIODS = frozenset(("annual", "semiannual", "quarterly", "monthly", "weekly"))


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
             if (i + 2 >= len(tokens) or tokens[i + 2] not in ("vien", "cua"))
             and "che do" not in " ".join(tokens[max(0, i - 4): i])]  # "Chế độ (thông tin,) báo cáo": a heading
    # "gửi về" is short enough that its frame alone meets "giới và" ("biên giới và"): one word exact
    found += [i for i in _positions(tokens, "gui ve", "gui bao cao", frames=frames)
              if tokens[i] == "gui" or tokens[i + 1] in ("ve", "bao")]
    starts = {m.start for m in mentions}
    # "phản ánh (kịp thời) về Sở X": difficulties reported to an agency
    found += [i for i in _positions(tokens, "phan anh", frames=frames)
              if {i + 2, i + 3, i + 4} & starts and "ve" in tokens[i + 2: i + 4]]
    # "gửi kết quả rà soát … về Sở X": the "về" before an agency, a few words after "gửi"
    for i in _positions(tokens, "gui", frames=frames) if "gui" in tokens else ():
        for j in range(i + 2, min(len(tokens) - 1, i + 60)):
            if tokens[j] == "ve" and j + 1 in starts:
                found.append(j)
                break
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
    actors: dict[tuple[str, str], tuple[str, ...]] = {}  # the lead agencies each section settled on
    for section in sections:
        if section.path == "preamble":
            records.extend(_decision_articles(section, province, year))
            continue
        parent_path = section.path.rsplit(".", 1)[0] if "." in section.path else None
        parent = by_path.get((section.source, parent_path)) if parent_path else None
        inherited = actors.get((section.source, parent_path), ()) if parent_path else ()
        rows = _extract_section(section, province, year, parent.text if parent else "", inherited)
        actors[(section.source, section.path)] = tuple(
            dict.fromkeys(r.agency for r in rows if r.kind == "assignment" and r.agency and r.task == section.title))
        if parent is not None and _is_field_point(section.title):
            # "1.1. Xây dựng …" then "a) Nhiệm vụ", "b) Cơ quan thực hiện: - Đơn vị chủ trì: Sở X",
            # "c) Thời gian thực hiện": the points are fields of the item's task, filed with the item
            rows = [replace(r, section=parent.path, section_label=parent.label) for r in rows]
        records.extend(rows)
    return records


# point headings that label a field of their item's task rather than a task of their own
_FIELD_POINTS = frozenset(("co quan thuc hien", "don vi thuc hien", "co quan don vi thuc hien", "trach nhiem thuc hien",
                           "phan cong thuc hien", "co quan chu tri", "don vi chu tri", "co quan phoi hop",
                           "don vi phoi hop", "thoi gian thuc hien", "thoi gian hoan thanh", "thoi han hoan thanh",
                           "thoi gian", "thoi han", "tien do thuc hien"))


def _is_field_point(title: str) -> bool:
    label = " ".join(match_tokens(_NUMBERING.sub("", title).split(":", 1)[0]))
    return label in _FIELD_POINTS


# A plan issued by a decision opens with its articles: "Điều 1. Ban hành kèm theo …" (the plan itself),
# "Điều 2. Giao Sở X chủ trì …" and "Điều 3. Chánh Văn phòng …, Giám đốc Sở X, Thủ trưởng các sở …
# chịu trách nhiệm thi hành Quyết định này" (who executes it). The preamble's other lines (legal bases,
# "Căn cứ …") assign nothing.
_ARTICLE = re.compile(r"(?:^|(?<=\s))Điều\s+(\d+)\s*[.:]\s*(.+?)(?=\s+Điều\s+\d+\s*[.:]|\Z)", re.DOTALL)
_EXECUTES = re.compile(r"\s+(?:chịu\s+trách\s+nhiệm|có\s+trách\s+nhiệm)\s+(?:thi\s+hành|tổ\s+chức\s+thực\s+hiện|thực\s+hiện)\b",
                       re.IGNORECASE)
# a comma or "và" starts the next addressee before a person's title, "các …" or a people's committee;
# elsewhere it is inside one name ("Sở Nông nghiệp và Môi trường", "các sở, ban, ngành")
_NEXT_ADDRESSEE = re.compile(r"\s*(?:,|\bvà)\s+(?=(?:Giám đốc|Thủ trưởng|Chủ tịch|Chánh|Trưởng|Ủy ban|Uỷ ban|UBND|các)\s)")
_PERSON_TITLES = re.compile(r"^(?:Giám đốc|Thủ trưởng|Chủ tịch|Chánh|Trưởng)\s+", re.IGNORECASE)


def _decision_articles(section: _Section, province: str | None, year: int | None) -> list[Obligation]:
    """Rows of a decision's articles: "Giao X chủ trì …" as any sentence, and each addressee of
    "A, B; C và D chịu trách nhiệm thi hành Quyết định này" as a lead, filed under `preamble`."""
    text = section.text
    cut = _RECIPIENTS_LIST.search(text)
    text = text[: cut.start()] if cut else text
    articles = [m for m in _ARTICLE.finditer(text) if int(m.group(1)) >= 2]
    if not articles:
        return []
    base = {"source": section.source, "doc_title": section.doc_title, "section": section.path,
            "section_label": section.label, "province": province, "year": year}
    out: list[Obligation] = []
    duties = []
    for article in articles:
        body = collapse_ws(article.group(2))
        executes = _EXECUTES.search(body)
        if executes:
            # the list is the sentence before the verb ("Quyết định này có hiệu lực …. Chánh Văn phòng …")
            start = max((m.end() for m in re.finditer(r"[.!?]\s+(?=[A-ZĐÀ-Ỹ])", body[: executes.start()])), default=0)
            quote = body[start: body.find(".", executes.end()) + 1 or len(body)]
            for name in _addressees(body[start: executes.start()]):
                out.append(Obligation(kind="assignment", role="lead", agency=name, quote=quote, task=quote, **base))
            continue
        for sentence in split_sentences(body):
            if " ".join(match_tokens(sentence)[:3]).startswith(("giao", "yeu cau", "de nghi")):
                duties.append(collapse_ws(sentence))
    if duties:
        own = replace(section, chunks=[type("Text", (), {"text": "\n".join(duties)})()])
        out.extend(_extract_section(own, province, year))
    return out


def _addressees(subject: str) -> list[str]:
    """The addressees of an article's list ("Giám đốc Sở Tài chính; Thủ trưởng các sở, ban, ngành …;
    Chủ tịch UBND các xã, phường và các thành viên Ban Chỉ đạo tỉnh"): split at ";", at a comma before
    a capital or "các", and at "và" before one; a person's title stays off a known agency's name."""
    parts: list[str] = []
    for piece in re.split(r"\s*;\s*", subject):
        parts += [p for p in _NEXT_ADDRESSEE.split(piece) if p and p.strip()]
    out = []
    for part in parts:
        name = collapse_ws(part).strip(" ,.;:")
        bare = _PERSON_TITLES.sub("", name)
        if bare != name and find_agencies(bare) and find_agencies(bare)[0].start == 0:
            name = bare
        known = find_agencies(name)
        if len(known) == 1 and known[0].start == 0 and known[0].end == len(match_tokens(name)):
            name = known[0].name  # the lexicon's name, as every other row gives it
        if len(name.split()) >= 2 and name not in out:
            out.append(name)
    return out


_NUMBERING = re.compile(r"^\s*(?:[\dIVX]+(?:\.\d+)*[.)]|[a-zđ]\))\s*")


# words that address a heading to an agency ("Trách nhiệm của Sở X", "Giao Sở X", "Nhiệm vụ của …")
_ADDRESS = re.compile(r"^\s*(?:trách nhiệm (?:của )?|nhiệm vụ (?:của )?|giao |yêu cầu |đối với )", re.IGNORECASE)


def _heading_text(section: _Section) -> str:
    """The section's heading as printed, wrapped lines joined (its title is cut at 70 characters),
    without its number."""
    lines = [line.strip() for line in section.text.split("\n") if line.strip()]
    out: list[str] = []
    for i, line in enumerate(lines[:3]):
        if i and (line[:1] in "-–+•*" or _NUMBERING.match(line) or is_table_line(line)
                  or (line[:1].isupper() and (len(lines[i - 1]) < 60 or len(line) >= 90))):
            break  # a new paragraph, not the heading wrapped (wrapped lines are long, or go on in lower case)
        out.append(line)
        if line.endswith((":", ".", ";")):
            break
    return _NUMBERING.sub("", collapse_ws(" ".join(out)), count=1)


def _heading_leads(section: _Section, first: str) -> list[str]:
    """The agencies a heading lists after its first ("6. Đề nghị Văn phòng Tỉnh ủy và các Ban …,
    Thuế tỉnh, …"): each one shares the section's work."""
    heading = _heading_text(section).split(":", 1)[0]
    mentions = find_bodies(heading)
    start = next((m for m in mentions if m.name == first), mentions[0] if mentions else None)
    if start is None:
        return []
    return [m.name for m in _listed_from(start, mentions, match_tokens(heading), [], glue=_HEADING_GLUE)]


def _section_agency(section: _Section) -> str | None:
    if "." not in section.path or not section.ancestors:
        return None
    first = next((line for line in section.text.split("\n") if line.strip()), "")
    if is_table_line(first):
        return None  # a table row: its columns say who leads
    heading = _ADDRESS.sub("", _heading_text(section).split(":", 1)[0])
    named = _heading_named(heading) or _heading_named(_ADDRESS.sub("", section.title))
    if named:  # an item whose heading is an agency assigns work to it, whatever its part is called
        return named
    if section.path.count(".") != 1:
        return _generic_heading(section.title)
    part = " ".join(match_tokens(section.ancestors[0]))
    if not any(cue in part for cue in _ASSIGNMENT_PARTS):
        return _generic_heading(section.title)
    title = collapse_ws(section.title.rstrip(":. "))
    if match_tokens(title)[:1] == ["cac"] and len(match_tokens(title)) <= 14 and ":" not in section.title:
        # "4. Các doanh nghiệp viễn thông": an item of the part that assigns work, named for its addressees
        return title
    return _generic_heading(section.title)


def _heading_named(heading: str) -> str | None:
    """The agency a heading is addressed to; "Tham mưu UBND tỉnh …" is a task, not an address."""
    named = heading_agency(heading)
    if named is None:
        return None
    first = find_agencies(heading)[0]
    before = [t for t in match_tokens(heading)[: first.start] if not t.isdigit() and len(t) > 1]
    return named if all(t in ("de", "nghi", "cac", "giao", "yeu", "cau", "doi", "voi", "thu", "truong", "giam", "doc",
                              "chu", "tich") for t in before) else None


def _generic_heading(title: str) -> str | None:
    """Headings naming a body outside the lexicon ("Trung tâm Bảo tồn Di tích cố đô Huế",
    "Chi cục Biển đảo và Thủy sản:")."""
    tokens = match_tokens(title)
    if tokens and tokens[0] in ("trung", "dai", "hoi", "vien", "lien"):
        return collapse_ws(title.rstrip(":. "))
    return _body_heading(title)


def _body_heading(title: str) -> str | None:
    """A heading that is a body's name, alone or before a colon."""
    bodies = find_bodies(title)
    if not bodies or bodies[0].start > 1:
        return None
    label = title.split(":", 1)[0]
    if len(match_tokens(label)) - bodies[0].end > 1:
        return None  # the heading goes on after the name: a task, not an agency
    return bodies[0].name


# "Nơi nhận:" opens the distribution list: "(để báo cáo)" there is no reporting line
_RECIPIENTS_LIST = re.compile(r"(?:^|(?<=\s))N[ơo]i\s+nh[ậa]n\s*:", re.IGNORECASE)
# labelled fields of a task: "- Cơ quan chủ trì: …", "- Cơ quan phối hợp: …", "- Thời gian thực hiện: …"
_LEAD_LABELS = ("co quan chu tri", "don vi chu tri", "chu tri", "co quan thuc hien", "don vi thuc hien",
                "co quan don vi chu tri", "co quan don vi thuc hien", "trach nhiem thuc hien", "co quan thuc hien chinh",
                "don vi thuc hien chinh", "co quan dau moi", "don vi dau moi")
_COOPERATING_LABELS = ("co quan phoi hop", "don vi phoi hop", "phoi hop", "co quan don vi phoi hop",
                       "co quan phoi hop thuc hien", "don vi phoi hop thuc hien")
_TIME_LABELS = ("thoi gian", "thoi han", "tien do", "thoi gian thuc hien", "thoi gian hoan thanh", "thoi han hoan thanh")
_RELATIVE = re.compile(
    r"(?:(?:trong(?:\s+vòng|\s+thời\s+hạn)?|chậm\s+nhất|sau)\s+\d+\s+(?:ngày|tháng|tuần)(?:\s+làm\s+việc)?"
    r"\s+(?:kể\s+từ|sau\s+khi|từ\s+ngày|từ\s+khi)[^,;.]{0,80}"
    r"|ngay\s+sau\s+khi[^,;.]{0,80}|khi\s+nước\s+rút|đến\s+khi\s+[^,;.]{0,80}|sau\s+khi\s+có\s+[^,;.]{0,60}|sau\s+khi\s+[^,;.]{0,60}(?:kết\s+thúc|được\s+ban\s+hành|được\s+phê\s+duyệt))",
    re.IGNORECASE)


def _relative_deadline(sentence: str) -> str | None:
    m = _RELATIVE.search(sentence)
    return collapse_ws(m.group(0)).rstrip(" )") if m else None


# A deadline given as a month, a quarter or a year ("trong tháng 11/2025", "Quý III/2026", "đến hết
# năm 2030", a time column's bare "2025") falls due at the end of that period, as the genre's task
# tables and targets mean it. On folded text: "quý II/2026" must not be OCR-repaired into a word.
_ROMAN_QUARTERS = {"i": 3, "ii": 6, "iii": 9, "iv": 12, "1": 3, "2": 6, "3": 9, "4": 12}
_PERIOD = re.compile(
    r"(?P<quarter>quy\s+(?P<q>iv|i{1,3}|[1-4])\s*(?:/|-|\s+nam\s+|\s+)\s*(?P<qy>20\d{2}))"
    r"|(?P<month>thang\s+(?:\d{1,2}\s*[-–,]\s*)?(?P<m>\d{1,2})\s*(?:/|-|\s+nam\s+)\s*(?P<my>20\d{2}))"
    r"|(?P<year>nam\s+(?P<y>20\d{2}))"
    r"|(?P<bare>(?<![\d/.,-])(?P<b>20\d{2})(?![\d/.,%]))")
# words right before a period that make it a due time, not a mention ("Luật Việc làm năm 2025",
# "Kế hoạch năm 2025"): "đến (hết/cuối) năm", "vào năm", "(hoàn thành) trong tháng", "phấn đấu năm"
_PERIOD_CUES = ("den", "den het", "den cuoi", "vao", "trong", "ngay trong", "het", "cuoi", "truoc", "hoan thanh",
                "phan dau", "chi tieu", "muc tieu", "han", "thoi gian", "thoi han")
# what a period after these words is not: a window's start ("Từ năm 2025 …"), a title's horizon
# ("tầm nhìn đến năm 2045", "định hướng đến năm 2030"), a full date's month ("ngày 15 tháng 6 năm 2025");
# in running text also a programme's phase ("giai đoạn I: từ năm 2021 đến năm 2025")
_PERIOD_NOT_AFTER = re.compile(r"(?:\btu|\bt\w{1,2}m nh\w{1,2}n(?: den)?|\bdinh huong(?: den)?|\bngay\s+\d{1,2})\s*$")
# a target named inside a cited document's title ("Chiến lược phát triển … đến năm 2030", "Nghị quyết
# … về chuyển đổi số đến năm 2025", "các mục tiêu phát triển đất nước đến năm 2045"); OCR'd vowels too
_CITED_TITLE = re.compile(r"\b(?:chi\w{1,2}n l\w{1,3}c|ngh\w quy\w{1,2}t|quy\w{1,2}t d\w{1,2}nh|d\w an|k\w{1,2}t lu\w{1,2}n|"
                          r"ch\w th\w|m\w{1,2}c ti\w{1,2}u ph\w{1,2}t tri\w{1,2}n)\b[^;.]*$")
_CITATION_BEFORE = re.compile(r"\d+\s*/\s*(?:\d{4}\s*/\s*)?[a-z]{1,6}-[a-z]")


def _period_end(match: re.Match) -> str | None:
    if match.group("quarter"):
        year, month = int(match.group("qy")), _ROMAN_QUARTERS[match.group("q")]
    elif match.group("month"):
        year, month = int(match.group("my")), int(match.group("m"))
    else:
        year, month = int(match.group("y") or match.group("b")), 12
    if not 1 <= month <= 12:
        return None
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
    return last.isoformat()


def period_deadlines(text: str, need_cue: bool = True) -> list[tuple[str, str]]:
    """(ISO end, verbatim) of each month, quarter or year a text gives as a due time; with
    `need_cue` False (a time column or field: "2025", "Tháng 11 - 12/2025", "Quý IV/2025 - Quý
    II/2026") a range gives its end only. A year of a cited document or a title's horizon is none."""
    folded = fold(text)
    found: list[tuple[str, str, int]] = []
    for m in _PERIOD.finditer(folded):
        if m.group("bare") and need_cue:
            continue
        before = folded[max(0, m.start() - 40): m.start()]
        if _PERIOD_NOT_AFTER.search(before.rstrip(" :,")) or (need_cue and "giai doan" in before):
            continue  # "Từ tháng 11/2025 đến …" (the window's end is read next), "ngày 15 tháng 6 năm 2025"
        if folded[m.end(): m.end() + 24].lstrip(" ,").startswith(("va cac nam", "va nhung nam", "tro di")):
            continue  # "Năm 2025 và các năm tiếp theo": every year, not 2025's end
        if need_cue:
            words = re.findall(r"[a-z0-9]+", before)
            tail = " ".join(words[-2:])
            label = (not folded[: m.start()].strip() or re.search(r"[:.;]\s*$", before)
                     or re.search(r"(?:chi tieu|muc tieu)\s*\d*\s*:?\s*$", before))
            if not (any(tail == c or tail.endswith(" " + c) for c in _PERIOD_CUES) or label
                    or folded[m.end(): m.end() + 8].lstrip(" ,").startswith(("dat", "co "))):
                continue
            if (_CITATION_BEFORE.search(folded[max(0, m.start() - 240): m.start()])
                    or _CITED_TITLE.search(folded[max(0, m.start() - 100): m.start()])):
                continue
        end = _period_end(m)
        if end:
            found.append((end, text[m.start(): m.end()] if len(text) == len(folded) else m.group(0), m.start()))
    if not found:
        return []
    if not need_cue:
        return [found[-1][:2]]
    return list({end: (end, verbatim) for end, verbatim, _ in found}.values())


def _time_value(value: str) -> tuple[str | None, str | None, tuple[str, ...], tuple[str, ...], str | None]:
    """(ISO date, words, flags, recurrence, relative) of a time field or column ("Thời gian thực
    hiện: Tháng 11 - 12/2025", "| 2025 |", "Từ ngày 01/01/2026 đến ngày 31/3/2026", "Thường
    xuyên"): the column says it is a due time, so no "trước ngày" cue is needed; a window falls due
    at its end."""
    dates = [m for m in _NUMERIC_DATE.finditer(value) if not _DOC_NUMBER_BEFORE.search(value[max(0, m.start() - 40): m.start()])]
    due, words, flags = None, None, ()
    if dates:
        last = dates[-1]
        due = parse_date(*(_date_number(last.group(i)) for i in (1, 2, 3)))
        words, flags = collapse_ws(value), (() if due else ("impossible_date",))
    else:
        due, words, flags = _deadline_in(value, need_cue=False)
    relative = _relative_deadline(value)
    if not due and not relative:
        periods = period_deadlines(value, need_cue=False)
        if periods:
            due, words, flags = periods[0][0], collapse_ws(value), ("period_end",)
    recurrence = _recurrences(value)
    if not recurrence and " thuong xuyen " in f" {' '.join(match_tokens(value))} ":
        recurrence = ("ongoing",)  # "Thường xuyên" in a time column: all along, no date
    return due, words, flags, recurrence, relative


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


def _listed_names(text: str) -> list[str]:
    """The agencies a list names from its start ("Sở A; Sở B, Báo C và các sở, ngành liên quan"):
    the first one and each one listed right after the previous."""
    mentions = find_bodies(text)
    if not mentions or mentions[0].start > 2:
        return []
    return list(dict.fromkeys(_listed_after(mentions, mentions[0].start)))


def _delegation(tokens: list[str], mentions: list[AgencyMention], frames: _Frames) -> tuple[str, str] | None:
    """(director, actor) of "Sở X chỉ đạo Chi cục Y thực hiện …"."""
    for pos in _positions(tokens, "chi dao", frames=frames):
        before = [m for m in mentions if m.end <= pos and pos - m.end <= 2]
        after = [m for m in mentions if 0 <= m.start - (pos + 2) <= 1]
        if before and after and before[-1].name != after[0].name:
            return before[-1].name, after[0].name
    return None


def _subject(sentence: str, mentions: list[AgencyMention]) -> list[str]:
    """The agencies a sentence opens with as its subject ("Các sở, ngành, UBND cấp xã chủ động …")."""
    if not mentions:
        return []
    listed = _listed_from(mentions[0], mentions, match_tokens(sentence), [], glue=_HEADING_GLUE)
    if not _opens_with(sentence, mentions[0], listed[-1].end):
        # an opening adverbial clause before the subject ("Căn cứ nội dung Kế hoạch …, các sở, ban,
        # ngành … xây dựng …"): the subject is what follows its comma
        folded = " ".join(t for t in match_tokens(sentence[:40]) if not t.isdigit() and len(t) > 1)
        comma = sentence.find(",")
        if comma > 0 and folded.startswith(_OPENING_CLAUSES):
            rest = sentence[comma + 1:]
            return _subject(rest, find_bodies(rest))
        # a point's label before its subject ("b) Mở tài khoản: Ủy ban nhân dân xã, phường phối hợp …")
        colon = sentence.find(":")
        if 0 < colon < 120 and not find_bodies(sentence[:colon]):
            rest = sentence[colon + 1:]
            return _subject(rest, find_bodies(rest)) if rest.strip() else []
        return []
    return list(dict.fromkeys(m.name for m in listed))


# how the genre opens a sentence before its subject: "Căn cứ …,", "Trên cơ sở …,", "Để …,"
_OPENING_CLAUSES = ("can cu", "tren co so", "de ", "nham ", "sau khi", "trong qua trinh", "hang nam", "dinh ky")


def _extract_section(section: _Section, province: str | None, year: int | None,
                     parent_text: str = "", inherited: tuple[str, ...] = ()) -> list[Obligation]:
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
    cut = _RECIPIENTS_LIST.search(text)
    if cut:
        text = text[:cut.start()]
    # labelled fields name the leads, partners and time of the section's task
    field_leads: list[str] = []
    field_lines: set[str] = set()
    for line in text.split("\n"):
        found = _labelled(line)
        if found is None:
            continue
        role, value = found
        field_lines.add(collapse_ws(line))
        if role == "lead":
            # "Cơ quan thực hiện: Sở A chủ trì …; Sở B và các sở, ngành …": each part names leads
            for part in value.split(";"):
                field_leads += [n for n in _listed_names(part.strip()) if n not in field_leads]
        elif role == "cooperating":
            cooperating += [n for n in _listed_names(value) if n not in cooperating]
        elif value:
            due, words, flags, recurrence, relative = _time_value(value)
            out.append(Obligation(kind="deadline", agency=(field_leads or [agency])[0], due_date=due,
                                  deadline_text=words or collapse_ws(value), recurrence=recurrence, flags=flags,
                                  relative=relative, quote=collapse_ws(line), **base))
    if field_leads and not agency:
        agency = field_leads[0]
    heading, rest = _heading_apart(text)
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
            out.append(Obligation(kind="assignment", role="lead", agency=found[1], directed_by=found[0],
                                  quote=quote, task=quote, **base))
        subject = _subject(sentence, mentions)
        if index == opening and subject and not agency and not field_leads:
            subject_leads = subject
        actor = delegate[1] if delegate else (subject[0] if subject else None) or agency or (
            subject_leads[0] if subject_leads else None) or (inherited[0] if inherited else None)
        # cooperating agencies: named after "phối hợp với"
        coop_at = _positions(tokens, "phoi hop", frames=frames)
        partner_lists = [_listed_after(mentions, pos + 2) for pos in coop_at]
        for partners in partner_lists:
            for name in partners:
                if name != agency and name not in cooperating:
                    cooperating.append(name)
        # lead agencies named in a sentence: "X chủ trì, phối hợp với Y"
        for pos in _positions(tokens, "chu tri", frames=frames):
            if quote in field_lines:
                break
            leads = [m for m in mentions if m.end <= pos and pos - m.end <= 3]
            lead = leads[-1].name if leads else actor
            if lead:
                after = [_listed_after(mentions, p + 2) for p in coop_at if p > pos]
                coop = tuple(dict.fromkeys(n for names in after[:1] for n in names if n != lead))
                out.append(Obligation(kind="assignment", role="lead", agency=lead, cooperating=coop,
                                      quote=quote, task=quote, **base))
        # "…, giao Sở Y tế thành lập đoàn kiểm tra": the agency given the task leads it
        for pos in _positions(tokens, "giao", frames=frames):
            if pos == 0 or tokens[pos - 1] in ("duoc", "ban", "chuyen") or quote in field_lines:
                continue
            given = [m for m in mentions if m.start == pos + 1]
            if given and given[0].name != agency:
                out.append(Obligation(kind="assignment", role="lead", agency=given[0].name, quote=quote,
                                      task=quote, **base))
        # reporting lines
        reports = _reporting_rows(sentence, tokens, frames, mentions, actor, parent_text, quote, base)
        if not reports and last_reports and _positions(tokens, "bao cao", frames=frames):
            # "…; báo cáo năm gửi trước ngày 15/11/2026": the same report line again, another due date
            due, words, flags = _deadline_in(sentence)
            if due:
                reports = [replace(last_reports[0], due_date=due, deadline_text=words, flags=flags,
                                   recurrence=_recurrences(sentence), relative=None, quote=quote)]
        if reports:
            last_reports = reports
        out.extend(reports)
        # deadlines and recurring duties
        if quote in field_lines and _labelled(quote) and _labelled(quote)[0] == "deadline":
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
    leads = list(dict.fromkeys([*( [agency] if agency else []), *field_leads]))
    if agency:
        # a heading may name several agencies that share the section's work ("Các sở, ban, ngành,
        # UBND các huyện, thành phố"): each is a lead
        leads += [name for name in _heading_leads(section, agency) if name not in leads]
    elif subject_leads:
        # a section whose text opens with agencies as its subject ("Sở Thông tin và Truyền thông:",
        # "Các sở, ngành, UBND cấp xã chủ động …") assigns its work to them
        leads = subject_leads
    elif "." in section.path and not any(r.kind == "assignment" for r in out):
        lines = [line for line in text.split("\n") if line.strip()]
        for line in lines[:3]:  # the heading (which may wrap), then the first line
            leads = _subject(line, find_bodies(line))
            if leads:
                break
        if not leads and inherited:
            leads = list(inherited)  # a point of an agency's item ("1. Sở Tài chính:", then a), b))
    first_quote = collapse_ws(sentences[0]) if sentences else ""
    for name in reversed(leads):
        out.insert(0, Obligation(kind="assignment", role="lead", agency=name,
                                 cooperating=tuple(c for c in cooperating if c != name),
                                 quote=first_quote, task=section.title, **base))
    return out


def _heading_apart(text: str) -> tuple[str | None, str]:
    """(heading, the rest) when a part's heading in capitals ("VII. CHẾ ĐỘ BÁO CÁO") opens the
    text: it is a sentence of its own, the next line's subject ("Các sở, ban, ngành … gửi báo cáo
    …") is not inside it. (None, text) otherwise."""
    first, sep, rest = text.partition("\n")
    head = first.strip()
    if sep and _NUMBERING.match(head) and head.isupper() and not head.endswith((".", ":", ";")):
        return head, rest
    return None, text


_LIST_GLUE = frozenset(("va", "cac", "voi", "hoac"))
# a heading's list of addressees may qualify each ("Các sở, ban, ngành, đoàn thể cấp tỉnh và UBND …")
_HEADING_GLUE = _LIST_GLUE | frozenset(["doan", "the", "cap", "tinh", "co", "lien", "quan", "thanh", "pho", "dac", "khu", "don", "vi", "nganh"])


def _listed_from(head: AgencyMention, mentions: list[AgencyMention], tokens: list[str],
                 skip: list[AgencyMention], glue: frozenset[str] = _LIST_GLUE) -> list[AgencyMention]:
    """`head` and the agencies listed right after it: only commas, "và", "các" between two names
    ("báo cáo Bộ Công an, UBND tỉnh"; "báo cáo UBND tỉnh để báo cáo Thường vụ" lists one)."""
    out = [head]
    for m in mentions:
        if m.start < out[-1].end or m in skip:
            continue
        between = tokens[out[-1].end: m.start]
        if len(between) > (2 if glue is _LIST_GLUE else 5) or any(t not in glue for t in between):
            break
        out.append(m)
    return out


# a day without its month ("trước ngày 15 của tháng cuối quý", "hằng tháng, trước ngày 25"): a recurring date
_DAY_ONLY = re.compile(r"trước\s+ngày\s+\d{1,2}(?!\s*[/\d])(?!\s+tháng\s+\d)", re.IGNORECASE)


def _reporting_rows(sentence: str, tokens: list[str], frames: _Frames, mentions: list[AgencyMention],
                    actor: str | None, parent_text: str, quote: str, base: dict) -> list[Obligation]:
    """One row per recipient of each report a sentence states ("báo cáo Bộ Công an, UBND tỉnh": two
    rows), its recipient the one it goes to first ("báo cáo UBND tỉnh (qua Sở X)": via Sở X; "gửi
    Sở X tổng hợp, báo cáo UBND tỉnh": Sở X, onward UBND tỉnh)."""
    report_at = _report_positions(tokens, mentions, frames)
    if not report_at:
        return []
    # "(qua Sở X)"; "kết quả", "hiệu quả" fold to the same word
    via_at = [v for v in _positions(tokens, "qua", frames=frames) if v == 0 or tokens[v - 1] not in ("ket", "hieu")]
    vias = [m for m in mentions for v in via_at if 0 < m.start - v <= 2]
    due, words, flags = _deadline_in(sentence)
    recurrence = _recurrences(sentence)
    relative = _relative_deadline(sentence)
    # "hằng quý, trước ngày 15 của tháng cuối quý; báo cáo năm trước ngày 15/11/2026": the recurring
    # report and each dated one are rows of their own
    dated = list(dict.fromkeys((d, w, f) for d, w, f in _deadlines_in(sentence) if d))
    dues: list[tuple[str | None, str | None, tuple[str, ...], tuple[str, ...]]] = [(due, words, flags, recurrence)]
    if dated and recurrence and (len(dated) > 1 or _DAY_ONLY.search(sentence)):
        dues = [(d, w, f, ()) for d, w, f in dated]
        if _DAY_ONLY.search(sentence):
            dues.insert(0, (None, None, (), recurrence))
    # what passes a report on: "tổng hợp", "trình", another "báo cáo" (OCR spellings by frame)
    cue_positions = set(report_at) | set(_positions(tokens, "trinh", "tong hop", frames=frames))
    default_reporter = actor or _reporter_phrase(sentence, parent_text) or "các cơ quan, đơn vị được giao nhiệm vụ"
    out: list[Obligation] = []
    consumed = -1
    for cue in report_at:
        if cue < consumed:
            continue  # part of the report read before ("… tổng hợp, báo cáo UBND tỉnh")
        passed_on = bool(out) and 0 <= cue - consumed <= 3 and "de" in tokens[consumed:cue]
        after = [m for m in mentions if m.start > cue and m not in vias]
        if not after:
            heads = [m for m in vias if m.start > cue]
            if not heads:
                continue
            after = heads
        head = after[0]
        if head.start - cue > 25:
            continue  # too far to be what this report goes to
        listed = _listed_from(head, mentions, tokens, vias)
        end = listed[-1].end
        via = next((m.name for m in vias if 0 <= m.start - end <= 3), None)
        if via:
            end = next(m.end for m in vias if m.name == via)
        # onward: "… (để) tổng hợp, báo cáo / trình Y"
        onward: list[str] = []
        while True:
            nxt = next((m for m in mentions if m.start >= end and m not in vias), None)
            if nxt is None:
                break
            # the cue right before the next agency, the words between may give the deadline
            if nxt.start - end > 20 or not any(end <= p < nxt.start and nxt.start - p <= 4 for p in cue_positions):
                break
            chain = _listed_from(nxt, mentions, tokens, vias)
            onward += [m.name for m in chain]
            end = chain[-1].end
        consumed = end
        if passed_on:  # "báo cáo UBND tỉnh để báo cáo Thường vụ Tỉnh ủy và Bộ …": onward of the report before
            more = [m.name for m in listed] + onward
            out = [replace(r, onward=tuple(dict.fromkeys([*r.onward, *(n for n in more if n != r.recipient)])))
                   for r in out]
            continue
        # "tham mưu UBND tỉnh báo cáo Chính phủ": the report is the one right before the cue's
        before = [m for m in mentions if m.end <= cue and cue - m.end <= 1 and cue > 0]
        reporter = before[-1].name if before and out else default_reporter
        names = [m.name for m in listed if m.name != reporter] or [m.name for m in listed]
        for name in dict.fromkeys(names):
            for when, printed, marks, tags in dues:
                out.append(Obligation(kind="reporting", agency=reporter, recipient=name,
                                      via=via if via != name else None,
                                      onward=tuple(o for o in dict.fromkeys(onward) if o not in (name, via)),
                                      due_date=when, deadline_text=printed, flags=marks, recurrence=tags,
                                      relative=relative, quote=quote, **base))
    if not out and any(_duty_report(tokens, cue) for cue in report_at if tokens[cue] == "bao"):
        # "b) Báo cáo kết quả thực hiện 6 tháng trước ngày 20/6/2026": a report the plan asks for
        # without naming where it goes
        out = [Obligation(kind="reporting", agency=default_reporter, due_date=when, deadline_text=printed,
                          flags=marks, recurrence=tags, relative=relative, quote=quote, **base)
               for when, printed, marks, tags in dues]
    return out


def _duty_report(tokens: list[str], cue: int) -> bool:
    """"Báo cáo …" opening a point (its number or letter before it only) or after a period word
    ("định kỳ báo cáo", "hằng quý báo cáo"): a duty to report, not a report as a noun ("xây dựng
    báo cáo", "báo cáo của …")."""
    before = [t for t in tokens[:cue] if not (t.isdigit() or len(t) == 1)]
    if not before:
        return True
    return " ".join(before[-2:]) in ("dinh ky", "hang quy", "hang nam", "hang thang", "6 thang", "nua nam")


def _opens_with(sentence: str, mention: AgencyMention, end: int | None = None) -> bool:
    """The agency is the sentence's subject: nothing but "Đề nghị"/"Các" or a list marker before it."""
    tokens = match_tokens(sentence)
    before = [t for t in tokens[: mention.start] if not t.isdigit() and len(t) > 1]
    # a person's title may head the subject ("Thủ trưởng các sở, ban, ngành …", "Chủ tịch UBND …")
    if mention.start > 4 or not all(t in ("de", "nghi", "cac", "giao", "yeu", "cau", "thu", "truong", "giam", "doc",
                                          "chu", "tich") for t in before):
        return False
    # a subject is followed by its verb, or stands alone as a label ("Sở Thông tin và Truyền thông:");
    # a wrapped line ("… kịp thời báo cáo / lãnh đạo tỉnh để chỉ đạo …") starts with an object
    end = mention.end if end is None else end
    after = " ".join(tokens[end: end + 3])
    return not after or any(after.startswith(verb) for verb in _DUTY_VERBS)


_DUTY_VERBS = ("chu tri", "phoi hop", "trien khai", "thuc hien", "tham muu", "xay dung", "to chuc",
               "huong dan", "theo doi", "chi dao", "tiep tuc", "tang cuong", "day manh", "can cu",
               "co trach nhiem", "chu dong", "bao cao", "gui", "tong hop", "ra soat", "kiem tra", "lap",
               "ban hanh", "bao dam", "dam bao", "cap nhat", "quan ly", "nghien cuu", "de xuat", "phan cong",
               "bo tri", "can doi", "dinh ky", "kip thoi", "khan truong", "nghiem tuc", "tuyen truyen",
               "chiu trach nhiem")


def _agency_names(cell: str) -> list[str]:
    """Canonical names of the agencies a table cell lists, or its own parts ("; ", ", ") when
    the lexicon knows none of them."""
    names = list(dict.fromkeys(m.name for m in find_bodies(cell)))
    if names:
        return names
    # short parts only: a long one is a task that spilled into the column (a group row)
    parts = [collapse_ws(part) for part in re.split(r"[;,]", cell) if part.strip()]
    return [p for p in parts if len(p.split()) <= 6 and p[:1].isupper() and not _is_duty(p)]


def _is_duty(text: str) -> bool:
    folded = " ".join(match_tokens(text))
    return any(folded.startswith(verb) for verb in (*_DUTY_VERBS, "hoan thien", "quan ly", "dao tao", "van hanh",
                                                     "khai thac", "cac nhiem vu"))


def _row_records(header: str, row: str, base: dict) -> list[Obligation]:
    """An assignment (and a deadline, when the row has one) from one row of a task table."""
    fields = row_fields(header, row)
    if fields is None or not (fields.task or fields.lead):
        return []
    leads = _agency_names(fields.lead) if fields.lead else []  # several in the column: co-leads
    lead = leads[0] if leads else None
    cooperating = tuple(n for n in _agency_names(fields.cooperating) if n not in leads)
    quote = collapse_ws(row)
    task = collapse_ws(fields.task) or None
    out = [Obligation(kind="assignment", role="lead", agency=name, cooperating=tuple(c for c in cooperating if c != name),
                      quote=quote, task=task, **base) for name in (leads or [None])]
    # "Báo cáo Bộ Tài chính tình hình thực hiện" in the task cell, "định kỳ hằng quý báo cáo về Sở
    # Tài chính" in the time cell: the lead reports
    for cell in (task, collapse_ws(fields.deadline)):
        if cell:
            tokens = match_tokens(cell)
            out.extend(_reporting_rows(cell, tokens, _Frames(tokens), find_bodies(cell), lead, "", quote, base))
    if fields.deadline:
        # the column says it is a deadline: no "trước ngày" cue is needed for its date
        due, _, flags, recurrence, relative = _time_value(fields.deadline)
        out.append(Obligation(kind="deadline", agency=lead, due_date=due, deadline_text=collapse_ws(fields.deadline),
                              recurrence=recurrence, flags=flags, relative=relative, quote=quote, task=task, **base))
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
