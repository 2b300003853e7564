"""When no answer unit composes, or the answer lacks the value asked: where the plan still says it.

Declining is for evidence of absence (issue 21). Before the extractive answer declines, it looks
where an informal, abbreviated question's answer stands in the genre's layout: the best-matching
item's sentences, when they hold every value asked (`fallback_lines`); the item the plan heads
with a body's name, for "what must X do?" (`own_item_lines`); a sibling point of the item quoted
(`completing_line`); an item of the plan's body instead of the legal bases (`body_line`); a money
unit in a table row's unit column (`row_in_money`). Each keeps a guard against answering what the
plan does not say: the values asked must be in the plan's own sentences."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from index.models import Chunk
from index.ocr_repair import display_form
from lang.agencies import AGENCIES, find_agencies, find_bodies
from lang.markers import CITATION_TEXT
from lang.normalize import STOPWORDS, collapse_ws, expand_abbreviations, fold, match_tokens
from rag.answers.common import checked_recipients, citation, trim_quote
from rag.answers.reader import PlanReader
from rag.answers.sentences import sentence_answer
from rag.cues import group
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message, slot
from rag.query_bodies import upper_abbreviations, without_place
from rag.scope import is_acronym, sole_issuer
from rag.slots import filled
from rag.types import Citation

MARKERS = re.compile(rf"{CITATION_TEXT}|\((?:Mục|Phần)[^)]*\)")


_MONEY_UNIT = re.compile(r"\b(?:ty|trieu|nghin) dong\b|\bdong\b|\bvnd\b")
_ROW_SECTION = re.compile(r"^PL\d+\.")


def row_in_money(reader: PlanReader, lines: list[str], citations: list[Citation]) -> bool:
    """A table row whose unit column is money ("6 | Vốn … | tỷ đồng | 50 | 60 …"): the figure
    the answer reads from it ("Năm 2027: 60") is a sum of money."""
    snap = reader.store.snapshot()
    if snap is None or not any(fills("amount", MARKERS.sub("", line.split("): ", 1)[-1])) for line in lines):
        return False
    for cited in citations:
        if not _ROW_SECTION.match(cited.section):
            continue
        row = next((c for c in snap.chunks_of(cited.source) if c.section == cited.section), None)
        if row is not None and any(_MONEY_UNIT.search(" ".join(fold(cell).split())) for cell in row.text.split("|")[1:]
                                   if len(cell.split()) <= 3):
            return True
    return False


def fills(slot_name: str, said: str) -> bool:
    """Whether what the answer quotes holds the slot's value, read as the reader will see it too:
    an OCR'd quote ("bdo cdo SG Nong nghiép") is shown repaired ("báo cáo Sở Nông nghiệp")."""
    return filled(slot_name, said) or filled(slot_name, display_form(said))


Scored = list[tuple[float, float, Chunk, str]]


# Named in nearly every plan as issuer or recipient: naming it says nothing about which body acts
_EVERYWHERE = frozenset({"Ủy ban nhân dân tỉnh"})
# the lexicon's catch-all group of partners: no lead of its own where an item names a body
_CATCH_ALL = frozenset({"Các cơ quan, đơn vị liên quan"})


@dataclass
class Unanswered:
    """Why plans gave no lines: the closest passage each had, and the bodies asked about that a
    plan never speaks of (evidence of absence, not a weak match)."""

    nearest: list[tuple[float, PlanEvidence, Chunk, str]]
    absent: list[str]
    cited: set[str] = field(default_factory=set)  # plan numbers asked about that no indexed plan has
    # each plan's ranking, when its best passage covered too little of the question for the units
    # that need coverage: where the fallback looks (`fallback_lines`)
    uncovered: list[tuple[PlanEvidence, Scored]] = field(default_factory=list)
    # every plan's ranking: where a value the answer lacks is looked for in the item it cites
    rankings: list[tuple[PlanEvidence, Scored]] = field(default_factory=list)


def named_actors(prepared: Prepared) -> frozenset[str]:
    """The bodies the question names in so many words (its name or an abbreviation of it), not
    a close OCR-tolerant match: what is absent from a plan must be what the user wrote."""
    def words(text: str) -> str:
        return f" {' '.join(match_tokens(expand_abbreviations(upper_abbreviations(text))))} "  # "sở gd&đt" as typed

    tokens, whole = words(prepared.info.subject or prepared.info.text), words(prepared.info.text)

    def written(form: str) -> bool:
        full = match_tokens(form)
        if f" {' '.join(full)} " in tokens:
            return True
        # "BHXH tỉnh Bắc Giang": the plan-naming cut took the name's "tỉnh" with the province
        kept = without_place(full)
        return kept != full and f" {' '.join(kept)} " in tokens and f" {' '.join(full)} " in whole

    out = set()
    for name in prepared.info.agencies:
        forms = [name, *AGENCIES.get(name, ())]
        if any(written(form) for form in forms):
            out.add(name)
    # (a body named as where a yes/no question says the report goes is the premise checked, not
    # one asked to act: "X báo cáo cho Y phải không?")
    return frozenset(out) - _EVERYWHERE - checked_recipients(prepared.info)


# Words before a body's name that make it the one reported to or worked with, not the one asked
# to act ("gửi báo cáo về Sở Công Thương", "phối hợp với Hội Chữ thập đỏ tỉnh")
# ("các đơn vị thuộc Sở …" are its units, not the body itself)
# ("ngoài Sở X, … còn gửi cơ quan nào?": the body set aside is not the one asked to act)
_NOT_ACTOR_BEFORE = frozenset({"ve", "cho", "gui", "toi", "den", "len", "voi", "cung", "hop", "thuoc", "ngoai"})
_PARTNER_BEFORE = frozenset({"voi", "cung", "hop"})
_PLAN_NAMED = re.compile(r"\b(?:ke hoach|kh|phu luc)\b")
# A question about a body's part beside another's ("phối hợp …", "vai trò", "tham gia") is
# answered by an item that names it as a partner
_PARTNER_ASKED = re.compile(r"\b(?:phoi hop|vai tro|tham gia|cung voi|ho tro)\b")


def asked_actor(prepared: Prepared) -> str | None:
    """The body the question asks to act: the first it names in so many words that is not where
    a report goes or whom another works with ("Sở KH&CN gửi báo cáo về Sở Công Thương …" → Sở
    Khoa học và Công nghệ)."""
    actors = named_actors(prepared)
    if not actors:
        return None
    text = expand_abbreviations(prepared.info.text)  # whole: the plan-naming phrase tells an issuer
    tokens = match_tokens(text)
    issuer_end = -1  # where the last issuer named ends: "của Sở Y tế và Sở GD&ĐT" names two
    for mention in find_agencies(text):
        before = tokens[mention.start - 1] if mention.start else ""
        if before == "cua" and _PLAN_NAMED.search(" ".join(tokens[:mention.start])) \
                or (issuer_end >= 0 and mention.start == issuer_end + 1 and before == "va"):
            issuer_end = mention.end
            continue  # the plan's issuer ("kế hoạch … của Sở TN&MT"), not who acts
        if mention.name not in actors or before in _NOT_ACTOR_BEFORE:
            continue
        return mention.name
    return None


def acts_in(reader: PlanReader, chunk: Chunk, actor: str, partner_too: bool) -> bool:
    """Does the item make the body its actor: the body the item is headed with or assigned to, or
    one its text names other than as the one worked with ("Phối hợp với Hội Chữ
    thập đỏ tỉnh tập huấn …" under "7. Sở Y tế" is Sở Y tế's task)? A table row's cells are its
    columns: naming the body in any of them counts."""
    owners = {m.name for m in find_agencies(" \n ".join(chunk.ancestors))}
    if chunk.facts.heading_agency:
        owners.add(chunk.facts.heading_agency[0])
    owner = reader.section_agency(chunk)
    if owner:
        owners.add(owner)
    if actor in owners:
        return True
    if "|" in chunk.text and not partner_too and _row_partner(reader, chunk, actor):
        return False  # a table row naming the body only in its Phối hợp column: the lead acts
    tokens = match_tokens(chunk.text)
    for mention in find_agencies(chunk.text):
        if mention.name != actor:
            continue
        # named as the one reported to ("gửi về Sở X để tổng hợp, báo cáo …") it may act next:
        # only a partner's mention ("phối hợp với X", "cùng X") is no task of its own
        before = tokens[max(0, mention.start - 3):mention.start]
        if partner_too or "|" in chunk.text or not set(before) & _PARTNER_BEFORE:
            return True
    return False


def _row_partner(reader: PlanReader, chunk: Chunk, actor: str) -> bool:
    """Does the register read the body among a table row's partners (its Phối hợp cell) and
    never as the row's lead, the row naming it nowhere else (a task cell "Tổng hợp kế hoạch của
    UBND xã" speaks of it: no evidence either way)?"""
    if sum(m.name == actor for m in find_agencies(chunk.text)) > 1:
        return False
    rows = [r for r in reader.records(chunk.source, "assignment") if r.section == chunk.section]
    if any(r.agency and actor in {r.agency, *(m.name for m in find_agencies(r.agency))} for r in rows):
        return False
    return any(actor in {m.name for m in find_agencies(c)} for r in rows for c in r.cooperating)


def not_the_actor(reader: PlanReader, prepared: Prepared, citations: list[Citation]) -> str | None:
    """The body asked to act, when none of the items an answer cites makes it their actor: the
    plan names it (it was not declined as never spoken of) but does not give it what is asked,
    it only cooperates, receives a report, or stands in another item. None when the answer
    stands (no body asked, or an item cited is its own)."""
    actor = asked_actor(prepared)
    snap = prepared.snap
    partner_too = bool(_PARTNER_ASKED.search(prepared.info.folded))
    if actor is None and snap is not None and citations and not partner_too:
        return _partner_only(reader, prepared, citations)
    if actor is None or snap is None or not citations:
        return None
    if any(sole_issuer(snap.docs[c.source].meta, actor) for c in citations if c.source in snap.docs):
        return None  # a Sở's or a council's own plan: what it gives its units is its own work
    # "Sở A chủ trì hay Sở B chủ trì?": either body offered may be the plan's; the one it names answers
    offered = [actor, *(a for a in either_or(prepared) if a != actor)]
    for cited in citations:
        chunk = next((c for c in snap.chunks_of(cited.source) if c.section == cited.section), None)
        # an item we cannot read, the document's own data (number, date, signer) or the legal
        # bases: no evidence of who acts either way
        if chunk is None or chunk.section in ("preamble", "closing") \
                or any(acts_in(reader, chunk, body, partner_too) for body in offered):
            return None
    return actor


def either_or(prepared: Prepared) -> list[str]:
    """The bodies an either-or question offers ("Sở GD&ĐT chủ trì hay Sở Tài chính chủ trì?" → both),
    in the question's order; empty when it offers no choice between bodies."""
    text = expand_abbreviations(prepared.info.text)
    tokens = match_tokens(text)
    joins = [tuple(w.split()) for w in group("either")["words"]]
    mentions = find_agencies(text)
    out: list[str] = []
    for first, second in zip(mentions, mentions[1:], strict=False):
        between = tokens[first.end:second.start]
        if len(between) <= _EITHER_GAP and any(
                tuple(between[i:i + len(j)]) == j for j in joins for i in range(len(between))):
            out += [n for n in (first.name, second.name) if n not in out]
    return out


# at most this many words between two bodies offered as alternatives ("A chủ trì hay B")
_EITHER_GAP = 4


# words that end a body's own name and begin where it sits ("Trường Chính trị | tỉnh Bắc Kạn")
_PLACE_START = frozenset({"tinh", "thanh", "tp", "huyen", "xa", "phuong"})


def _core(name: str) -> list[str]:
    """A body's name without the place it is of ("Trường Chính trị thành phố Huế" → truong chinh tri)."""
    words = match_tokens(name)
    cut = next((i for i, w in enumerate(words) if i >= 2 and w in _PLACE_START), len(words))
    return words[:cut]


def _holds(words: list[str], core: list[str]) -> bool:
    return bool(core) and f" {' '.join(core)} " in f" {' '.join(words)} "


def _partner_only(reader: PlanReader, prepared: Prepared, citations: list[Citation]) -> str | None:
    """A body the agency list does not know ("Trường Chính trị tỉnh"), asked for its own line (who
    it reports to, what it leads): when every item cited names it only as a partner (a "Cơ quan
    phối hợp:" field, a table's Phối hợp column, "phối hợp với X"), the plan gives it no such
    line; a yes/no question's item that does not name it at all gives it none either. The body
    as the question prints it, else None."""
    kinds = set(prepared.info.kinds)
    if not {"reporting", "lead"} & kinds:
        return None
    issuer_words = {" ".join(match_tokens(p.title)) for p in prepared.plans}
    subject = prepared.info.subject or prepared.info.text
    words = match_tokens(subject)
    whole = match_tokens(prepared.info.text)
    # the plan's issuer ("kế hoạch … của Sở Y tế giao Văn phòng Sở …") does not act in it
    issuers = {m.name for m in find_bodies(prepared.info.text) if whole[m.start - 1:m.start] == ["cua"]}
    # the body asked to act, not one the question asks about ("cơ quan nào là Cơ quan thường trực …?")
    asked = [m.name for m in find_bodies(subject)
             if len(_core(m.name)) >= 2 and not any(" ".join(_core(m.name)) in t for t in issuer_words)
             and words[m.start - 1:m.start] != ["la"] and m.name not in issuers]
    if len(asked) != 1:
        return None  # none, or several (who reports to whom between them): no one actor
    actor, core = asked[0], _core(asked[0])
    if not find_bodies(actor) or find_agencies(actor):
        return None  # a body the agency list knows is weighed by `acts_in`
    snap = prepared.snap
    partnered = False
    for cited in citations:
        chunk = next((c for c in snap.chunks_of(cited.source) if c.section == cited.section), None) if snap else None
        if chunk is None or chunk.section in ("preamble", "closing"):
            return None
        rows = [r for r in reader.records(cited.source, "assignment") if r.section == chunk.section]
        # the bodies of a "phối hợp với A, B và X" list, as the register or the text names them
        partners = [match_tokens(c) for r in rows for c in r.cooperating] + [
            match_tokens(m.name) for m in find_bodies(chunk.text)]
        heading = match_tokens(" \n ".join([*chunk.ancestors, chunk.section_title]))
        # (a point's title is its own first words: "c) Chủ trì, phối hợp với A, X …" is no item of X's)
        if _holds(heading, core) and not _only_as_partner(heading, core, partners):
            return None  # its own item
        if any(r.agency and _holds(match_tokens(r.agency), core) for r in rows):
            return None  # it leads there
        listed = any(_holds(match_tokens(c), core) for r in rows for c in r.cooperating)
        only_partner = _only_as_partner(match_tokens(chunk.text), core, partners)
        if (listed and "|" in chunk.text) or only_partner:
            partnered = True  # a table's Phối hợp column, or "phối hợp với X" / "Cơ quan phối hợp: X"
            continue
        if _holds(match_tokens(chunk.text), core):
            return None  # named otherwise than as a partner: it may act there
        if prepared.info.confirm:
            # "giao Văn phòng Sở chủ trì kiểm tra … phải không?" of an item that states the task
            # and never names that body: the premise is checked against the item's own lead
            partnered = True
    return actor if partnered else None


def _only_as_partner(tokens: list[str], core: list[str], partners: Sequence[list[str]] = ()) -> bool:
    """Every mention of the body stands right after a partner's words ("phối hợp với X", "Cơ quan
    phối hợp: X", "cùng X"), or after the other partners the item lists before it ("phối hợp với
    Sở A, Sở B và X": `partners`, the register's cooperating bodies of the item)."""
    starts = [i for i in range(len(tokens) - len(core) + 1) if tokens[i:i + len(core)] == core]

    def after_partners(i: int) -> bool:
        while True:
            if set(tokens[max(0, i - 2):i]) & _PARTNER_BEFORE:
                return True
            i -= 1 if tokens[i - 1:i] == ["va"] else 0
            lead = next((p for p in partners if p and p != core and tokens[max(0, i - len(p)):i] == p), None)
            if lead is None:
                return False
            i -= len(lead)
    return bool(starts) and all(after_partners(i) for i in starts)


def cited_leads(reader: PlanReader, prepared: Prepared, citations: list[Citation]) -> list[str]:
    """The leads of the items an answer cites: the register's lead of the section itself (a table
    row's Chủ trì column) or of its item ("4. Sở Công Thương:" and its dashes), else the body the
    item is headed with."""
    snap = prepared.snap
    leads: list[str] = []
    for cited in citations:
        chunk = next((c for c in snap.chunks_of(cited.source) if c.section == cited.section), None) if snap else None
        if chunk is None:
            continue
        own = [r.agency for r in reader.records(cited.source, "assignment") if r.section == cited.section and r.agency]
        # the catch-all group ("các cơ quan, đơn vị liên quan") is whom a named body directs or
        # works with: the body the item names leads ("Đề nghị Ủy ban MTTQ … chỉ đạo các đơn vị liên quan")
        own = [a for a in own if a not in _CATCH_ALL] or own
        lead = own[0] if own else reader.section_agency(chunk)
        if lead is None and chunk.facts.heading_agency:
            lead = chunk.facts.heading_agency[0]
        if lead is None:
            lead = _headed_by(chunk)
        if lead and lead not in leads:
            leads.append(lead)
    return leads


def _headed_by(chunk: Chunk) -> str | None:
    """The body a point is headed with, as printed ("b) Phòng Kế hoạch - Tài chính:"), when the
    lexicon does not know it: the heading line ends with a colon and names the body first."""
    first = chunk.text.strip().split("\n", 1)[0].strip()
    if not first.endswith(":"):
        return None
    bodies = find_bodies(first)
    return bodies[0].name if bodies and bodies[0].start <= 3 else None


def premise_corrected(reader: PlanReader, prepared: Prepared, actor: str, citations: list[Citation]) -> str | None:
    """"Sở X chủ trì … đúng không?" when the items found give the task to another body: the
    question checks who leads, so the answer is the plan's lead, saying the premise is wrong (a
    question asking what X itself must do or report is declined instead: no duty is made up for
    X). None when the question checks nothing or no other lead is read."""
    info = prepared.info
    # "X chịu trách nhiệm về việc báo cáo … phải không?" checks who does the task as well: a
    # question asking a value besides (where the report goes, by when) is not who leads
    if not info.confirm or any(name != "lead" for name in info.asked) or checked_recipients(info):
        return None
    leads = [lead for lead in cited_leads(reader, prepared, citations) if lead != actor]
    if not leads:
        return None
    return slot("premise_agency", agency=actor, lead=", ".join(leads))


def where_named(reader: PlanReader, prepared: Prepared, actor: str, unanswered: Unanswered) -> Chunk | None:
    """The best-ranked item of the plan's body that names the body: what the plan does give it."""
    for _plan, scored in unanswered.rankings:
        for _score, _cov, chunk, _sentence in scored:
            if chunk.section not in ("preamble", "closing") and actor in reader.agencies_of(chunk):
                return chunk
    return None


_POINT = re.compile(r"\.[a-zđ]$")


def item_of(section: str) -> str:
    """The item a point belongs to ("IV.11.a" → "IV.11"); an item is its own."""
    return _POINT.sub("", section)


def body_line(reader: PlanReader, prepared: Prepared, unanswered: Unanswered,
               missing: list[str]) -> tuple[str, Citation] | None:
    """The best-ranked sentence of the plan's body, close to the best passage and covering the
    question, that holds every value missing: its line and citation."""
    for plan, scored in unanswered.rankings[:1]:
        top = scored[0][0]
        for score, coverage, chunk, sentence in scored[:6]:
            if chunk.section in ("preamble", "closing") or score < 0.6 * top or coverage < FALLBACK_COVERAGE \
                    or not all(fills(m, sentence) for m in missing) \
                    or len(_shared_words(prepared, chunk)) < FALLBACK_SHARED or not _speaks_to(prepared, chunk):
                continue
            quote = trim_quote(collapse_ws(sentence), reader.weights(prepared, plan.title))
            line = message("according_to", title=plan.title, label=chunk.section_label) + f": {quote} [1]"
            return line, citation(1, chunk, quote)
    return None


_TIME_SLOTS = frozenset({"deadline", "frequency"})


def completing_line(prepared: Prepared, unanswered: Unanswered, citations: list[Citation],
                     missing: list[str], said: str) -> str | None:
    """A sentence of an item the answer cites, ranked close to the best, that holds the values
    the answer lacks: the answer's line quoting it (its citation appended), or None."""
    cited = {(c.source, item_of(c.section)) for c in citations}
    quoted = {(c.source, c.section): collapse_ws(c.quote) for c in citations}
    for _plan, scored in unanswered.rankings:
        for _, _, chunk, sentence in scored:
            # the sentence right after the one quoted, on its line ("… gửi Bộ Tài chính. Thời gian
            # hoàn thành: Trước ngày 31/5/2026."): the quoted task's own time or recipient, however
            # few of the question's words it shares
            # only a time: a next sentence naming a body is often another task's partner
            # ("- Phối hợp với Thanh tra Sở …"), not the lead or recipient asked
            before = quoted.get((chunk.source, chunk.section))
            if not before or not set(missing) <= _TIME_SLOTS or not all(fills(m, sentence) for m in missing) \
                    or collapse_ws(sentence)[:60] in said:
                continue
            text = collapse_ws(chunk.text)
            at = text.find(before)
            if at >= 0 and text[at + len(before):].lstrip().startswith(collapse_ws(sentence)[:60]):
                quote = collapse_ws(sentence)
                citations.append(citation(len(citations) + 1, chunk, quote))
                return f"{quote} [{len(citations)}]"
    for _plan, scored in unanswered.rankings:
        top = scored[0][0]
        for score, _, chunk, sentence in scored[:6]:
            if (chunk.source, item_of(chunk.section)) not in cited or score < 0.6 * top \
                    or collapse_ws(sentence)[:60] in said or not all(fills(m, sentence) for m in missing):
                continue
            quote = collapse_ws(sentence)
            citations.append(citation(len(citations) + 1, chunk, quote))
            return f"{quote} [{len(citations)}]"
    return None


# The least coverage of the question the fallback's passage must have: the words the question
# shares with it beyond the kind of fact asked (its task, its bodies)
FALLBACK_COVERAGE = 0.2


# The fallback's item shares at least this many words with the question, beyond the words that
# name any plan ("kế hoạch", the province), abbreviations and question words: a plan's every row
# says "PCCCR", and "xây dựng" is not "áp dụng"
FALLBACK_SHARED = 2
_PLAN_WORDS = frozenset({"ke", "hoach", "tinh", "thanh", "pho", "nam", "so", "kh", "theo", "uy", "ban", "nhan", "dan",
                         "ubnd"})


def _speaks_to(prepared: Prepared, chunk: Chunk) -> bool:
    """Is the item about what is asked? The question's words that the plan uses anywhere are
    mostly in the item (a plan that speaks of "Quốc hội" elsewhere and not here is not answered
    here), and at most one of them is a word the plan never uses ("ngư dân", "tàu thuyền bị chìm"
    in a plan that has none: the plan does not say it, whatever its items share)."""
    if prepared.snap is None:
        return False
    places = {t for p in prepared.info.provinces for t in match_tokens(p)}
    # this turn's own words (a follow-up's earlier turn asked about another slot of the task)
    asked = {t for t in match_tokens(prepared.info.subject or prepared.info.text) if t not in STOPWORDS and len(t) > 1
             and not t.isdigit() and t not in _PLAN_WORDS and t not in places and not is_acronym(t)}
    plan_words: set[str] = set()
    for other in prepared.snap.chunks_of(chunk.source):
        plan_words.update(other.facts.tokens)
    seen = asked & plan_words
    item = set(match_tokens(" ".join([*chunk.ancestors, chunk.text])))
    return len(asked - plan_words) <= 1 and 2 * len(seen & item) >= len(seen)


def _shared_words(prepared: Prepared, chunk: Chunk) -> set[str]:
    """The content words the question (a follow-up's with the turn it leans on) shares with a
    passage and the headings above it."""
    places = {t for p in prepared.info.provinces for t in match_tokens(p)}
    asked = {t for t in match_tokens(prepared.retrieval_text) if t not in STOPWORDS and len(t) > 1
             and not t.isdigit() and t not in _PLAN_WORDS and t not in places and not is_acronym(t)}
    return asked & set(match_tokens(" ".join([*chunk.ancestors, chunk.text])))


_NUMBERING = re.compile(r"^\s*(?:[IVXL]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s*")
# A body's own item is listed whole up to this many of its sentences
OWN_ITEM_SENTENCES = 16


def own_item_lines(reader: PlanReader, prepared: Prepared, unanswered: Unanswered,
                   citations: list[Citation]) -> list[str]:
    """"What must X do?" that no unit answered (the question words the plan by another name, "kế
    hoạch cải cách TTHC", or the body's item sits a level deeper, "1.2. Sở Tài chính"): the item
    the plan heads with that body's name is its work, every sentence of it, cited."""
    actors = named_actors(prepared)
    if "duty" not in prepared.info.kinds or not actors or not prepared.plans or prepared.snap is None \
            or unanswered.cited or unanswered.absent:  # a plan named by a number no plan has; a body never spoken of
        return []
    plan = prepared.plans[0]
    chunks = sorted(prepared.snap.chunks_of(plan.source), key=lambda c: c.start_line)
    roots = [c for c in chunks if c.facts.heading_agency and c.facts.heading_agency[1] == 0 and "." in c.section
             and not c.section.startswith("PL") and actors & {m.name for m in find_agencies(c.facts.heading_agency[0])}]
    if not roots:
        # an item whose first sentence names the body and its work ("2. Sở Giáo dục và Đào tạo
        # chủ trì, phối hợp với …:"), read at ingest as an assignment of that body
        sections = [r.section for r in reader.records(plan.source, "assignment")
                    if r.agency in actors and "." in r.section and not r.section.startswith("PL")]
        roots = [c for c in chunks if sections and c.section == sections[0]]
    if not roots:
        return []
    root = roots[0]
    heading = match_tokens(root.facts.heading_agency[0]) if root.facts.heading_agency else []
    item = [c for c in chunks if c.section == root.section or c.section.startswith(root.section + ".")]
    parts: list[str] = []
    trial = list(citations)
    for chunk in item:
        for fact in chunk.facts.sentences:
            if fact.withheld:
                continue
            for line in fact.text.split("\n"):
                text = collapse_ws(line)
                tokens = match_tokens(_NUMBERING.sub("", text))
                if not tokens or len(parts) >= OWN_ITEM_SENTENCES or \
                        (heading and tokens[:len(heading)] == heading and len(tokens) <= len(heading) + 6):
                    continue  # the heading itself ("7. Bảo hiểm xã hội tỉnh") is in the label
                trial.append(citation(len(trial) + 1, chunk, text))
                parts.append(f"- {text.lstrip('-–+• ')} [{len(trial)}]")
    if not parts:
        return []
    citations[:] = trial
    head = message("according_to", title=plan.title, label=root.section_label) + ":"
    return ["\n".join([head, *parts])]


def fallback_lines(reader: PlanReader, prepared: Prepared, unanswered: Unanswered,
                    citations: list[Citation]) -> list[str]:
    """No unit composed, because the best passage covers too little of an informal, abbreviated
    question for them ("Sở VH,TT&DL làm Tiểu dự án 1 … xong thì báo cáo kết quả cho ai?"): the
    best-matching item answers when what its sentences say holds every value asked (a recipient,
    a time, a body); else nothing, and the refusal names the closest passage. A question that asks
    no value (nothing to check the passage against) gets no fallback."""
    asked = prepared.info.asked
    if not asked or unanswered.absent or unanswered.cited or not unanswered.uncovered:
        return []
    indexed = len(prepared.snap.docs) if prepared.snap is not None else 0
    if len(prepared.plans) > 1 and len(prepared.selected) >= indexed:
        # several plans found and none named: a weak match in one of them is no evidence that it
        # is the plan asked about
        return []
    lines: list[str] = []
    for plan, scored in unanswered.uncovered[:1]:  # the best-ranked plan's item, one answer
        if scored[0][1] < FALLBACK_COVERAGE or len(_shared_words(prepared, scored[0][2])) < FALLBACK_SHARED \
                or not _speaks_to(prepared, scored[0][2]) \
                or not _ITEM_SECTION.match(scored[0][2].section):
            continue  # the preamble, the closing, a table's header: no item of the plan's body
        trial: list[Citation] = list(citations)
        text = sentence_answer(reader, prepared, plan, scored, trial)
        top = scored[0]
        # a sentence the plan runs on over a line break ("… báo cáo kết quả về Cục X" / "- Cơ quan
        # thường trực … trước ngày 20 hằng tháng …") is read at ingest as two: the close runner-up
        # of the same section is the sentence's other half
        other = next((item for item in scored[1:3] if item[2].section == top[2].section and item[0] >= 0.8 * top[0]
                      and collapse_ws(item[3])[:60] not in text), None)
        if text and other is not None and "): " in text:
            quote = trim_quote(collapse_ws(other[3]), reader.weights(prepared, plan.title))
            trial.append(citation(len(trial) + 1, other[2], quote))
            head, rest = text.split("): ", 1)
            text = f"{head}): {quote} [{len(trial)}] {rest}"
        # what the plan's sentences say, not the roles added beside them ("(Chủ trì: …)"); a time
        # must be one the reader can date ("định kỳ … theo quy định" is no "ngày mấy?")
        said = " ".join(c.quote for c in trial[len(citations):])
        if text and all(fills(name, said) if name != "deadline" else _dated_strictly(said) for name in asked):
            citations[:] = trial
            lines.append(text)
    return lines


# an item of the plan's body ("II.3.2", "IV.11.a", a table row "PL1.6"), not the preamble, the
# closing, a part's heading alone, or a table's header
_ITEM_SECTION = re.compile(r"^(?:[IVXLC]+\.\S+|PL\d+\.\S+)$")
_STRICT_TIME = re.compile(r"\b(?:\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?|ngay \d{1,2}|thang \d{1,2}|quy [ivx1-4]+\b|"
                          r"nam (?:19|20)\d\d|\d+ (?:ngay|thang|tuan|gio)|hang (?:nam|quy|thang|tuan))")


def _dated_strictly(text: str) -> bool:
    """A time with a number in it, or a recurrence: what the fallback may answer "khi nào?" with."""
    return bool(_STRICT_TIME.search(" ".join(fold(text).split())))
