"""Reading the retrieved evidence of one question: which words say what is asked, how well a
sentence answers it, the register rows of a plan, and the agency an item is for. Every kind of
answer (rag/answers/) reads the evidence through this one object."""

from __future__ import annotations

import copy
import re

from index.facts import ChunkFacts, headings
from index.lru import LruCache
from index.metadata import looks_ocr_damaged
from index.models import Chunk
from index.obligations import Obligation, ObligationRegister
from index.obligations.articles import in_decision_article
from index.store import PlanStore, Snapshot
from index.tables import is_table_line
from lang.agencies import find_agencies, find_bodies
from lang.dates import DAY, numeric_date, worded_date
from lang.markers import LIST_MARKER, LOOSE_LIST_MARKER
from lang.normalize import (
    ABBREVIATIONS,
    STOPWORDS,
    collapse_ws,
    expand_abbreviations,
    fold,
    match_tokens,
    search_terms,
    skeleton,
)
from rag.answers.common import checked_recipients, frame, instruction_like, shown_name, upper_ratio
from rag.answers.initials import initials_share, weigh_unwritten_abbreviations
from rag.answers.titles import TITLE_BONUS, names_title
from rag.cues import any_cue, has_cue
from rag.cues import group as cue_group
from rag.pinned import PinnedStore, unpinned
from rag.prepared import PlanEvidence, Prepared
from rag.retrieve import Retriever, query_terms
from rag.scope import is_acronym, plan_numbers
from rag.slots import asked_activity, filled

MIN_COVERAGE = 0.34
# a date, or a day of each period ("trước ngày 12 của tháng cuối quý", "ngày 20 hằng tháng")
DATE = re.compile(rf"\b{numeric_date(capture=False)}\b|\b{worded_date(year=None, capture=False)}|"
                  rf"\bngay\s+{DAY}\s+(?:cua\s+)?(?:hang\s+|moi\s+)?(?:thang|quy)\b")
# A personal name: a common family name followed by one to three capitalised syllables.
_PERSON_NAME = re.compile(
    r"\b(Nguy[ễe]n|Tr[ầa]n|L[êe]|Ph[ạa]m|Ho[àa]ng|Hu[ỳy]nh|Phan|V[ũu]|V[õo]|[ĐD][ặa]ng|B[ùu]i|[ĐD][ỗo]|H[ồo]|Ng[ôo]|D[ưu][ơo]ng|L[ýy])"
    r"(\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){1,3}")
_KIND_SIGNALS: dict[str, tuple[str, ...]] = {
    "deadline": ("truoc ngay", "han", "hang nam", "dinh ky", "dot xuat", "thang", "quy"),
    "reporting": ("bao cao", "boo coo", "gui ve", "gui", "tong hop", "trinh"),
    "lead": ("chu tri", "tham muu", "dau moi"),
    "cooperating": ("phoi hop",),
    "funding": ("kinh phi", "ngan sach", "du toan"),
}


# "ai …?", "cơ quan nào …?", "sở nào …?": a body is asked (who reports to whom is asked otherwise)
_WHO = re.compile(r"\b(?:ai|co quan nao|don vi nao|so nao|nganh nao|ben nao)\b")
# the coverage a line of the implementation part keeps against a point stating the same task
RESTATED_SHARE = 0.9
# the part that says who carries the plan out (Decree 30 layout: "Tổ chức thực hiện", "Phân công …")
_IMPLEMENTATION_PARTS = ("to chuc thuc hien", "phan cong")


def _implementation_part(chunk: Chunk) -> bool:
    part = " ".join(match_tokens(chunk.ancestors[0] if chunk.ancestors else chunk.section_title or ""))
    return any(cue in part for cue in _IMPLEMENTATION_PARTS)


# the body that issues the plan: named in lines that propose to it, not by who does the work
_ISSUERS = (["uy", "ban", "nhan", "dan", "tinh"], ["uy", "ban", "nhan", "dan", "thanh", "pho"])
# what a line naming a body gains when the question asks who
WHO_BONUS = 0.1
# a sentence naming another level than the one asked ("cấp thành phố" for "cấp xã")
OTHER_LEVEL_SHARE = 0.8
# Kinds of question about what the plan assigns (as opposed to what it says or cites)
_OBLIGATION_KINDS = frozenset({"deadline", "reporting", "lead", "cooperating", "duty"})
# What a sentence that holds the value a question asks for ("hằng năm" for "tần suất nào?") gains
SLOT_BONUS = 0.3
# A cue word's weight at most (the weight of a common word)
CUE_WEIGHT = 0.5
# Plans whose OCR verdict is kept (a verdict per plan version: a re-ingested plan gets a new one).
OCR_VERDICTS_KEPT = 4_096
# A follow-up's words from the earlier turn count this much beside the words of the turn itself.
EARLIER_TURN_WEIGHT = 0.5


class PlanReader:
    def __init__(self, store: PlanStore, retriever: Retriever, register: ObligationRegister | None) -> None:
        self.store = store
        self.retriever = retriever
        self.register = register
        self._ocr: LruCache[str, bool] = LruCache(OCR_VERDICTS_KEPT)  # plan version -> OCR'd?
        # plan version -> (agencies of its body, of the whole plan)
        self._plan_agencies: LruCache[str, tuple[frozenset[str], frozenset[str]]] = LruCache(OCR_VERDICTS_KEPT)
        self._has_body: LruCache[str, bool] = LruCache(OCR_VERDICTS_KEPT)  # plan version -> sections past the preamble?

    def pinned(self, snap: Snapshot | None) -> PlanReader:
        """This reader seeing the index at one snapshot (rag/pinned.py); caches are shared."""
        view = copy.copy(self)
        view.store = PinnedStore(unpinned(self.store), snap)
        return view

    def _unwritten(self, term: str) -> bool:
        """Whether no indexed passage holds the term."""
        snap = self.store.snapshot()
        return snap is not None and not self.retriever.lexical_index(snap).contains(term)

    def ocr_damaged(self, source: str) -> bool:
        """Whether a plan's text is English-model OCR (its answers are then told, not quoted)."""
        snap = self.store.snapshot()
        record = snap.docs.get(source) if snap else None
        if snap is None or record is None:
            return False
        return self._ocr.get_or_make(record.key, lambda: looks_ocr_damaged(
            "\n".join(c.text for c in snap.chunks_of(source)[:40])))

    def weights(self, prepared: Prepared, title: str) -> dict[str, float]:
        """Query terms that say *what* is asked, weighted by rarity; words that only name the
        plan (its title, province, year) are left out: every passage of the plan shares them."""
        snap = self.store.snapshot()
        if snap is None:  # nothing indexed: no term is rare
            return {}
        lexical = self.retriever.lexical_index(snap)
        places = {"ke", "hoach", "nam", "tinh", "theo"}
        for province in prepared.info.provinces:
            places.update(match_tokens(province))
        plan_words = set(match_tokens(title)) - _secondary_subject(
            title, prepared.info.subject or prepared.info.text, places)
        plan_words |= places
        for number in plan_numbers(prepared.info.text):  # "Kế hoạch 87/KH-UBND" names the plan too
            # (its symbol's letters too, as the query expands them: "UBND", Ủy ban nhân dân)
            plan_words.update(match_tokens(number) + match_tokens(expand_abbreviations(number)))
        plan_words.update(_plan_verb(prepared.info.folded))
        own = set(match_tokens(prepared.info.subject or prepared.info.text))
        # a follow-up's retrieval text carries the earlier turn: its words give the subject, the
        # current turn's say what is asked now ("Cơ quan đó còn … gì?" asks for something else)
        said_now = set(match_tokens(expand_abbreviations(prepared.info.subject or prepared.info.text)))
        weights: dict[str, float] = {}
        for term in query_terms(prepared.retrieval_text):
            if term.startswith("~"):
                continue
            parts = term.split("_")
            if any(p in STOPWORDS for p in parts) or all(p in plan_words or p.isdigit() and len(p) == 4 for p in parts):
                continue
            if any(p in ABBREVIATIONS for p in parts) and not lexical.contains(term):
                continue  # the plans spell it out, and so does the expanded query
            if len(parts) == 2:
                if lexical.contains(term):  # a phrase of the plan's own: worth half its rarity
                    weights[term] = 0.5 * max(lexical.idf(term), 0.1) * (
                        1.0 if all(p in said_now for p in parts) else EARLIER_TURN_WEIGHT)
                continue
            # a word the plans never use still counts when the question itself says it: it is what
            # makes off-topic questions fail. One an expansion added ("KOL" beside the plans'
            # "KOLs") or an earlier turn brought does not: its weight (the rarest term's idf) grows
            # with the archive and would drown what the question asks.
            if term not in own and not lexical.contains(term):
                continue
            weights[term] = max(lexical.idf(term), 0.1) * (1.0 if term in said_now else EARLIER_TURN_WEIGHT)
        weigh_unwritten_abbreviations(weights, lexical)
        for term in weights:
            if all(p in prepared.info.cue_words for p in term.split("_")):
                # "hạn khi nào", "báo cáo cho ai": what kind of value is asked, not the topic; a
                # rare cue word ("hạn" is also "hạn chế") must not outweigh the topic
                weights[term] = min(weights[term], CUE_WEIGHT)
        # "X báo cáo … cho Y phải không?": Y is the premise checked, maybe wrong; its name must not
        # pick Y's own passages over X's line (words the question says elsewhere keep their weight)
        checked = {t for name in checked_recipients(prepared.info) for t in match_tokens(name)}
        if checked:
            rest = set(match_tokens(prepared.info.text)) - checked
            weights = {t: w for t, w in weights.items() if not all(p in checked and p not in rest for p in t.split("_"))}
        return weights

    def topic_weights(self, prepared: Prepared, title: str) -> dict[str, float]:
        """The weighted terms that say what the question is about, its cue words aside: empty
        when only the kind of fact is asked ("Ai báo cáo cho ai, hạn khi nào?")."""
        cue = prepared.info.cue_words
        return {t: w for t, w in self.weights(prepared, title).items() if not all(p in cue for p in t.split("_"))}

    def score_sentence(self, sentence: str, heading_terms: set[str] | frozenset[str], weights: dict[str, float],
                       kinds: list[str], tokens: tuple[str, ...] | None = None) -> tuple[float, float]:
        """(coverage of the weighted question terms, bonus for the kind asked); `tokens` are the
        sentence's matching tokens when read at ingest (index/facts.py)."""
        words = list(tokens) if tokens is not None else match_tokens(sentence)
        terms = set(search_terms(words))
        skeletons = {t for t in terms if t.startswith("~")} | {"~" + skeleton(t) for t in words}
        total = sum(weights.values()) or 1.0
        got = 0.0
        for term, weight in weights.items():
            if term in terms:
                got += weight
            elif term in heading_terms:
                got += 0.6 * weight
            elif is_acronym(term) and (share := initials_share(term, words, heading_terms)) and self._unwritten(term):
                got += share * weight
            elif "~" + "_".join(skeleton(p) for p in term.split("_")) in skeletons:
                # OCR misread a vowel ("béo céo" for "báo cáo"): the consonant frame still matches
                got += (0.7 if "_" in term else 0.4) * weight
        coverage = got / total
        folded = " ".join(words)
        frames = " ".join(skeleton(t) for t in words)
        bonus = 0.0
        for kind in kinds:
            signals = _KIND_SIGNALS.get(kind, ())
            if kind == "deadline" and (DATE.search(sentence) or DATE.search(folded)):
                bonus += 0.35
            elif any(f" {s} " in f" {folded} " or f" {frame(s)} " in f" {frames} " for s in signals):
                bonus += 0.15
        return coverage, bonus

    def _header_in_unit(self, chunk: Chunk, unit: str) -> bool:
        """Does a table row's header name the unit (its own header line, or the header lines its
        appendix prints above the rows: a two-line header puts "Lượng (Tấn)" under the years)?"""
        if " | " not in chunk.text:
            return False
        header = [a for a in chunk.ancestors if " | " in a]
        snap = self.store.snapshot()
        root = chunk.section.split(".")[0]
        if snap is not None and root != chunk.section:
            appendix = next((c for c in snap.chunks_of(chunk.source) if c.section == root), None)
            if appendix is not None:
                header += [line for line in appendix.text.split("\n")
                           if " | " in line and not re.match(r"\s*\d", line)]
        return any(re.search(rf"\b{unit}\b", fold(line).lower()) for line in header)

    def best_passages(self, prepared: Prepared, plan: PlanEvidence) -> list[tuple[float, float, Chunk, str]]:
        weights = self.weights(prepared, plan.title)
        if not weights:
            return []
        top = plan.hits[0].score or 1.0
        named = set(prepared.info.agencies)
        # the topic without the agency names: agency words match every section they head
        agency_words = {t for name in named for t in match_tokens(name)}
        topic = {t: w for t, w in weights.items() if not set(t.split("_")) <= agency_words}
        quantity = prepared.info.quantity
        unit = re.escape(prepared.info.quantity_unit) if quantity else ""
        asks_name = prepared.info.person
        # who must do what, by when: the preamble (legal bases "Căn cứ Chỉ thị …, trong đó yêu cầu
        # …", "Xét đề nghị của Sở X", the issuing formula) says what other documents ask and who
        # proposed the plan, never what this plan assigns
        obligation = asks_obligation(prepared)
        # who does a task: asked by its role ("chủ trì", "phối hợp") or plainly ("ai đăng …", "sở nào …")
        # (who reports to whom has its own reading: rag/answers/reporting.py)
        reporting = "reporting" in prepared.info.kinds
        asks_who = bool(_WHO.search(prepared.info.subject_folded)) and not (
            prepared.info.asks_recipient or prepared.info.person or reporting)
        role_asked = asks_who or (bool({"lead", "cooperating"} & set(prepared.info.kinds)) and not reporting)
        level = _asked_level(prepared.info.folded)
        activity = asked_activity(prepared.info.text) if "frequency" in prepared.info.asked else None
        asked_tokens = match_tokens(prepared.info.text)
        asked_joined = f" {' '.join(asked_tokens)} "
        scored: list[tuple[float, float, Chunk, str]] = []
        # an item the question names by its title is read wherever retrieval ranked it
        titled = [h for h in plan.hits[6:] if names_title(h.chunk, set(asked_tokens), asked_joined)]
        for rank, hit in enumerate([*plan.hits[:6], *titled]):
            chunk = hit.chunk
            facts = chunk.facts  # sentences and tokens read at ingest
            heading_terms = facts.heading_terms
            owner_bonus = 0.15 if named and self.section_agency(chunk) in named else 0.0
            owner_bonus += TITLE_BONUS if names_title(chunk, set(asked_tokens), asked_joined) else 0.0
            # who leads or cooperates in a task: the task and the sentence naming its bodies are one
            # point ("a) Rà soát …, đề xuất ban hành Quy chế …. Sở X chủ trì, phối hợp với Sở Y.")
            units = task_units(facts) if role_asked else {}
            for index, fact in enumerate(facts.sentences):
                sentence = fact.text
                tokens: tuple[str, ...] | None = fact.tokens
                if index in units:
                    if units[index] is None:
                        continue  # a later sentence of a point scored whole at its first
                    sentence, tokens = units[index]  # type: ignore[misc]
                if fact.withheld or instruction_like(sentence):
                    continue  # a passage addressed to an AI is never an answer (index/injection.py)
                if obligation and chunk.section == "preamble" and self.has_body(chunk.source) \
                        and not in_decision_article(chunk.text, fact.text):
                    continue  # (an article of the issuing decision, "Điều 2. Giao Sở X …", assigns work)
                coverage, bonus = self.score_sentence(sentence, heading_terms, weights, prepared.info.kinds, tokens)
                if "frequency" in prepared.info.asked and filled("frequency", sentence):
                    bonus += SLOT_BONUS  # "với tần suất nào?": "Hằng năm báo cáo …" holds the value
                    if activity and activity in search_terms(list(tokens or match_tokens(sentence))):
                        bonus += SLOT_BONUS  # the rate of the activity asked ("giao ban hằng tháng"), not of its reports
                if topic and len(topic) < len(weights):
                    topic_coverage, _ = self.score_sentence(sentence, heading_terms, topic, [], tokens)
                    coverage = min(coverage, max(topic_coverage, 0.0) * 1.15)
                if prepared.info.asked and names_columns(chunk, sentence):
                    continue  # a table's header names the column asked ("Thời gian hoàn thành"); its rows hold the values
                if upper_ratio(sentence) > 0.6:
                    coverage *= 0.5  # letterheads and part titles name things; they do not answer
                other_level = _of_other_level(sentence, level)
                if other_level:
                    coverage *= OTHER_LEVEL_SHARE
                if quantity and not re.search(r"\d", LOOSE_LIST_MARKER.sub("", sentence)):
                    coverage *= 0.5  # "bao nhiêu …?" is answered by a number
                elif unit and (re.search(rf"\d\s+{unit}\b", fold(sentence).lower())
                               or self._header_in_unit(chunk, unit)):
                    # "bao nhiêu trang?": "… 2.700.000 trang" counts in it; a table row's figures
                    # count in the unit its header prints ("Lượng (Tấn)" over "16.000")
                    bonus += SLOT_BONUS
                if asks_name and not _PERSON_NAME.search(sentence):
                    coverage *= 0.3  # "họ tên …?" is answered by a person's name
                if role_asked and _implementation_part(chunk):
                    # the implementation part restates, body by body, what the parts before it assign:
                    # a task named there and in a point of its own is answered by that point
                    coverage *= RESTATED_SHARE
                if asks_who and any(m.name not in named and match_tokens(m.name) not in _ISSUERS
                                    for m in find_bodies(sentence)):
                    bonus += WHO_BONUS  # "ai …?" is answered by a line that names who does it
                score = coverage + bonus + owner_bonus + 0.3 * (hit.score / top) - 0.02 * rank
                if other_level:
                    score *= OTHER_LEVEL_SHARE  # its bonuses too: the role cue it shares is that level's
                scored.append((score, coverage, chunk, sentence))
        scored.sort(key=lambda item: -item[0])
        return scored

    def agencies_of(self, chunk: Chunk) -> frozenset[str]:
        """The agencies a passage speaks of: named in its text or in a heading above it, or the
        body its assignment item is for."""
        names = {m.name for m in find_agencies(chunk.text)}
        names.update(m.name for m in find_agencies(" \n ".join(chunk.ancestors)))
        if chunk.facts.heading_agency:
            names.add(chunk.facts.heading_agency[0])
        owner = self.section_agency(chunk)
        if owner:
            names.add(owner)
        return frozenset(names)

    def plan_agencies(self, source: str, preamble: bool = True) -> frozenset[str]:
        """The agencies a plan speaks of anywhere; with preamble=False, those of its body only:
        the preamble's "Căn cứ …" clauses tell what other documents ask of other bodies, not
        what this plan assigns."""
        snap = self.store.snapshot()
        record = snap.docs.get(source) if snap else None
        if snap is None or record is None:
            return frozenset()

        def read() -> tuple[frozenset[str], frozenset[str]]:
            body: set[str] = set()
            opening: set[str] = set()
            whole = not self.has_body(source)  # a plan whose outline was not read is all preamble
            for chunk in snap.chunks_of(source):
                names = opening if chunk.section == "preamble" and not whole else body
                names.update(m.name for m in find_agencies(chunk.text))
            return frozenset(body), frozenset(opening | body)

        return self._plan_agencies.get_or_make(record.key, read)[1 if preamble else 0]

    def has_body(self, source: str) -> bool:
        """Whether the plan has sections beyond its preamble and closing. A plan whose outline could
        not be read is indexed whole as its preamble (index/structure.py): its text is then the
        plan's body, read for who does what like any part."""
        snap = self.store.snapshot()
        record = snap.docs.get(source) if snap else None
        if snap is None or record is None:
            return True
        return self._has_body.get_or_make(record.key, lambda: any(
            c.section not in ("preamble", "closing") for c in snap.chunks_of(source)))

    def records(self, source: str, kind: str) -> list[Obligation]:
        if self.register is None:
            return []
        return [r for r in self.register.of_plan(source, self.store.snapshot()) if r.kind == kind]

    def section_agency(self, chunk: Chunk) -> str | None:
        """The agency an assignment item (e.g. "IV.2 Sở Thông tin và Truyền thông") names, for the
        item and its points."""
        parts = chunk.section.split(".")
        item = ".".join(parts[:2])
        if "." not in item:
            return None
        records = self.records(chunk.source, "assignment")
        owner = next((r.agency for r in records if r.section == item and r.task and r.agency), None)
        if owner is not None:
            return owner
        # an item that is a topic ("4. Quản lý doanh nghiệp dịch vụ") whose points each name their
        # body ("b) Đề nghị Công an tỉnh:" over "- Chủ trì điều tra …"): the point's (or sub-item's)
        # one lead, when every row the register files there agrees on it
        for depth in range(3, len(parts) + 1):
            section = ".".join(parts[:depth])
            leads = {r.agency for r in records if r.section == section and r.task and r.agency
                     and r.role == "lead" and not r.directed_by}
            if len(leads) == 1:
                return leads.pop()
        return _heading_owner(chunk)

    def chunk_for(self, record: Obligation) -> Chunk:
        snap = self.store.snapshot()
        candidates = [c for c in (snap.chunks_of(record.source) if snap else []) if c.section == record.section]
        return next((c for c in candidates if record.quote in collapse_ws(c.text)), candidates[0])


# a point read whole when asked who does its task: a task sentence, its bodies' sentence, its time
UNIT_SENTENCES = 5
UNIT_CHARS = 700


def asks_who(prepared: Prepared) -> bool:
    """Does the question ask who ("ai làm", "cơ quan nào")? Then the bodies it names are not its subject."""
    return bool(_WHO.search(prepared.info.subject_folded))


def asks_obligation(prepared: Prepared) -> bool:
    """Does the question ask what the plan assigns (who does, reports, by when), rather than
    what it says or cites ("ban hành ngày nào", "căn cứ văn bản nào")?"""
    return bool(_OBLIGATION_KINDS & set(prepared.info.kinds)) and "document" not in prepared.info.asked


def names_columns(chunk: Chunk, sentence: str) -> bool:
    """Is the sentence the header of an appendix's table ("… | STT | Nhiệm vụ | Thời gian hoàn
    thành |" in the appendix's own passage `PL1`, not a row `PL1.11`)? It names the columns; the
    values asked are in its rows."""
    return chunk.section.startswith("PL") and "." not in chunk.section and is_table_line(sentence)


def task_units(facts: ChunkFacts) -> dict[int, tuple[str, tuple[str, ...]] | None]:
    """The points of a chunk made of a few sentences, read as one unit: sentence index -> (the
    point's text, its tokens) for its first sentence, None for the others. A point starts on a line
    that opens with the genre's numbering or a dash; a sentence on another line goes on its point.
    Points of one sentence, or longer than UNIT_SENTENCES or UNIT_CHARS, are left out (read by
    sentence)."""
    lines = facts.text.split("\n")
    groups: list[list[int]] = []
    for index, fact in enumerate(facts.sentences):
        line = lines[fact.line] if fact.line < len(lines) else ""
        # a field line ("- Cơ quan chủ trì: Sở X.", "- Thời gian thực hiện: …") belongs to the task above it
        field = fact.line < len(facts.line_labels) and facts.line_labels[fact.line] != ""
        opens = not groups or (LIST_MARKER.match(line) is not None and not field
                               and fact.line != facts.sentences[groups[-1][-1]].line)
        if opens:
            groups.append([index])
        else:
            groups[-1].append(index)
    units: dict[int, tuple[str, tuple[str, ...]] | None] = {}
    for group in groups:
        facts_of = [facts.sentences[i] for i in group]
        text = " ".join(f.text.strip() for f in facts_of)
        if len(group) < 2 or len(group) > UNIT_SENTENCES or len(text) > UNIT_CHARS or any(f.withheld for f in facts_of):
            continue
        units[group[0]] = (text, tuple(t for f in facts_of for t in f.tokens))
        units.update({i: None for i in group[1:]})
    return units


def _plan_verb(folded: str) -> list[str]:
    """The words of the verb the question gives the plan itself ("Kế hoạch 2047/KH-UBND đặt …",
    "Kế hoạch này đề ra …"): what the document does frames the question, the passage asked holds
    the targets, not that verb ("đặt" folded is also "đạt", in every target)."""
    verbs = "|".join(re.escape(v) for v in cue_group("naming")["plan_verbs"])
    match = re.search(rf"(?:\d+\s*/\s*kh[\w-]*|ke hoach(?: nay| tren| do)?)\s+({verbs})\b", folded)
    return match.group(1).split() if match else []


def _secondary_subject(title: str, question: str, places: set[str]) -> set[str]:
    """The words of a second subject the title joins to the plan's main one ("Kế hoạch tổ chức
    Lễ hội … và Giải đua thuyền truyền thống …") when the question names it alone: that event has
    items of its own, and its words pick them (the main subject's are shared by every passage)."""
    parts = re.split(r"\s+và\s+", title, maxsplit=1)
    if len(parts) < 2:
        return set()
    main, second = set(match_tokens(parts[0])), match_tokens(parts[1])
    asked = {t for t in match_tokens(question) if t not in STOPWORDS and t not in places and not t.isdigit()}
    # the question names the second subject by its opening words, as the title prints them
    # ("giải đua thuyền truyền thống"), not by words it happens to share with the title
    said = f" {' '.join(match_tokens(question))} "
    run = 0
    while run < len(second) and f" {' '.join(second[:run + 1])} " in said:
        run += 1
    named = set(second[:run]) - main
    # (the main subject's verb, "tổ chức", may be said of the second one too)
    if run < 3 or len(named) < 2 or len(named) <= len(asked & (main - set(second))):
        return set()
    return named


def _heading_owner(chunk: Chunk) -> str | None:
    """An item headed by a body the register files no assignment for ("1. Ban Quản lý các khu
    công nghệ cao và khu công nghiệp" over dashes of its work): the heading, read at ingest, names
    whose item it is (an item's or a point's heading, never a part's title)."""
    found = chunk.facts.heading_agency
    if found is not None and len(chunk.section.split(".")) - found[1] >= 2:
        return found[0]
    return None


def _asked_level(folded: str) -> tuple[str, ...]:
    """The level the question names ("… Ban Chỉ đạo … cấp xã"), when it names one."""
    level = tuple(lv for lv in cue_group("followup")["levels"] if has_cue(folded, lv))
    return level if len(level) == 1 else ()


def _of_other_level(sentence: str, level: tuple[str, ...]) -> bool:
    """A sentence about another level than the one asked ("… cấp thành phố" for "… cấp xã"): it
    shares every other word, and is another body's task."""
    if not level:
        return False
    folded = " ".join(fold(sentence).split())
    return not any_cue(folded, level) and any_cue(folded, cue_group("followup")["levels"])


def whole_name(chunk: Chunk, agency: str) -> str:
    """The body as the item's heading names it when the heading names a unit of another body
    ("7. Thanh tra Sở Y tế", "3. Văn phòng Ủy ban nhân dân tỉnh"): the unit's bare name
    ("Thanh tra") would say another body does the work."""
    wanted = match_tokens(agency)
    for heading in headings(chunk):
        text = _NAME_END.split(LIST_MARKER.sub("", heading).strip(), maxsplit=1)[0].strip()
        words = text.split()
        if match_tokens(text)[:len(wanted)] != wanted or len(words) > MAX_NAME_WORDS:
            continue
        rest = " ".join(words[len(agency.split()):])
        mentions = find_agencies(rest)
        if rest and mentions and mentions[0].start == 0:
            return shown_name(text)
    for heading in headings(chunk):
        # the heading is the body itself under the plan's own spelling ("6. Ủy ban nhân dân xã,
        # phường" for Ủy ban nhân dân các xã, phường): the answer names it as the plan does, unless
        # the plan abbreviates ("Sở TN&MT"), which the full name reads better than
        text = _NAME_END.split(LIST_MARKER.sub("", heading).strip(), maxsplit=1)[0].strip()
        found = find_agencies(text)
        printed = set(re.findall(r"\w+", text.lower()))
        if len(found) == 1 and found[0].name == agency and found[0].start == 0 \
                and found[0].end == len(match_tokens(text)) and not _ABBREVIATED.search(text) \
                and printed <= set(re.findall(r"\w+", agency.lower())):
            return text  # (its words spelled as the full name spells them: no OCR'd or bare letters)
    return shown_name(agency)


# an abbreviation in a printed name: two capitals in a word ("UBND", "TN&MT", "BCĐ")
_ABBREVIATED = re.compile(r"\b\w*[A-ZĐ]\w*[A-ZĐ&]")


MAX_NAME_WORDS = 14
# where a heading's name ends: "3. Sở Y tế: …", "1.2. Sở Tài chính - Cơ quan thường trực …"
_NAME_END = re.compile(r"\s+(?:-|–|\(|:)\s*|\s*[.:;]\s*$")


# --- LLM ---------------------------------------------------------------------------------

def quote_roles(reader: PlanReader, chunk: Chunk, quote: str) -> str:
    """Who leads and who cooperates in a quoted task, with canonical names: OCR'd quotes are hard
    to read ("phbi hop v&i Ban Tuyén gido Tinh dy") and the names are what officials look for."""
    tokens = match_tokens(quote)
    frames = [skeleton(t) for t in tokens]
    mentions = find_agencies(quote)
    lead_at = [i for i in range(len(tokens) - 1) if frames[i:i + 2] == ["ch*", "tr*"]]
    coop_at = [i for i in range(len(tokens) - 1) if frames[i:i + 2] == ["ph*", "h*p"]]
    lead = None
    if lead_at:
        before = [m for m in mentions if m.end <= lead_at[0]]
        owner = reader.section_agency(chunk)
        lead = before[-1].name if before else (whole_name(chunk, owner) if owner else None)
    cooperating: list[str] = []
    if coop_at:  # "phối hợp với A, B và C": a chain of names right after the cue
        position = coop_at[0] + 2
        for m in sorted(mentions, key=lambda m: m.start):
            if m.start < position:
                continue
            if m.start - position > 2:
                break
            if m.name != lead:
                cooperating.append(m.name)
            position = m.end
    others = [m.name for m in mentions if m.name not in cooperating and m.name != lead]
    parts = []
    lead, cooperating, others = (shown_name(lead) if lead else None, [*map(shown_name, cooperating)],
                                 [*map(shown_name, others)])
    if lead:
        parts.append(f"chủ trì: {lead}")
    if cooperating:
        parts.append("phối hợp: " + ", ".join(dict.fromkeys(cooperating)))
    elif others and not lead:
        parts.append("cơ quan được nêu: " + ", ".join(dict.fromkeys(others)))
    if not parts:
        return ""
    summary = "; ".join(parts)
    plain = collapse_ws(quote).casefold()
    names = [lead, *cooperating, *others]
    if all(n and n.casefold() in plain for n in names if n):
        return ""  # the quote already spells every name properly
    return f"({summary[0].upper()}{summary[1:]}.)"
