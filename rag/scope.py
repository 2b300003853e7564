"""Which plans a question is about: the plans it names by file, province (a 2025 unit also reaches
its predecessors' plans) or year (the years a plan covers, read at ingest), or every plan; or a
polite refusal naming the plans that are indexed when the question names a plan that is not."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from index.metadata import find_provinces
from index.models import DocumentMeta
from index.store import DocRecord
from lang.agencies import AGENCIES, find_agencies
from lang.normalize import ABBREVIATIONS, match_tokens
from lang.numbers import PLAN_NUMBER, document_key, number_key
from lang.provinces import KNOWN, at_own_level, now_part_of, same_place, successor, with_kind
from lang.units import unit_as_owner_names_it
from rag.prompts import message
from rag.query import DOCUMENT_NUMBER, QueryInfo


@dataclass
class Scope:
    sources: list[str]
    # what the answer must say about the plans found: "Vĩnh Phúc, nay thuộc tỉnh Phú Thọ"
    notes: list[str] = field(default_factory=list)
    note_of: dict[str, str] = field(default_factory=dict)  # the note each plan in scope needs

    def notes_for(self, cited: Sequence[str]) -> list[str]:
        """The notes of the plans an answer cites (all of the scope's for an answer citing none)."""
        if not cited:
            return list(self.notes)
        return list(dict.fromkeys(self.note_of[s] for s in cited if s in self.note_of))


@dataclass(frozen=True)
class NotIndexed:
    """The question names a plan that is not indexed: what the assistant answers (message
    'unknown_plan', with the plans that are)."""

    refusal: str


# A refusal names at most this many plans: a province's archive holds thousands.
AVAILABLE_SHOWN = 12


def available_plans(docs: Iterable[DocRecord]) -> str:
    """The indexed plans as a reader tells them apart: "Vĩnh Phúc 2024", and where several share
    that name, with their numbers ("Cần Thơ 2025 (153/KH-UBND)"); at most AVAILABLE_SHOWN of them,
    then how many more there are."""
    docs = list(docs)
    counts: dict[str, int] = {}
    for d in docs:
        counts[d.meta.short_name] = counts.get(d.meta.short_name, 0) + 1
    names = sorted(d.meta.short_name + (f" ({d.meta.number or d.meta.source})" if counts[d.meta.short_name] > 1 else "")
                   for d in docs)
    if len(names) > AVAILABLE_SHOWN:
        return "; ".join([*names[:AVAILABLE_SHOWN], message("available_more", n=len(names) - AVAILABLE_SHOWN)])
    return "; ".join(names) or "không có"


def covers(meta: DocumentMeta, low: int, high: int) -> bool:
    """Does the plan cover a year of low…high? When its years cannot be read, it is named by the
    year it was signed, or any year from then to its own horizon ("Kế hoạch phát triển … đến năm
    2030"): such a plan is not refused for a year it runs through."""
    if meta.years:
        return any(low <= y <= high for y in meta.years)
    if meta.signed_year is None:
        return False
    end = max(meta.horizon or 0, meta.signed_year)
    return low <= end and high >= meta.signed_year


def issued_or_reports(meta: DocumentMeta, low: int, high: int) -> bool:
    """Was the plan signed in a year of low…high, or does its text report results or estimates
    for one ("ước thực hiện năm 2025", read at ingest)? The year before the plan's first is not
    enough by itself: a 2026 plan that never speaks of 2025 is not "the 2025 plan"."""
    if meta.signed_year is not None and low <= meta.signed_year <= high:
        return True
    return any(low <= y <= high for y in meta.reported_years)


MERGER_DATE = "2025-07-01"  # Resolution 202/2025/QH15 takes effect


def _after_merger(meta: DocumentMeta) -> bool:
    """Was the plan issued for the reorganised unit (signed from 1 July 2025, or covering only
    years after 2025)? Unknown is no."""
    if meta.signed:
        return meta.signed >= MERGER_DATE
    if meta.years:
        return min(meta.years) >= 2026
    return meta.signed_year is not None and meta.signed_year >= 2026


def _years_text(info: QueryInfo) -> str:
    spans = info.periods or [(y, y) for y in info.years]
    return ", ".join(str(a) if a == b else f"giai đoạn {a}–{b}" for a, b in spans)


# A plan's passages, as text (its headings with them): what the plan says, when its title is not enough
PassagesOf = Callable[[str], Iterable[str]]


def select_plans(info: QueryInfo, docs: Iterable[DocRecord], restrict: Sequence[str] | None = None,
                 passages: PassagesOf | None = None) -> Scope | NotIndexed:
    """The plans to search, or NotIndexed (with the Vietnamese refusal) when the question names a
    plan that is not indexed. `passages` (a plan's source → its passages' text) lets a plan named
    by a subject its title does not hold be found by what it says."""
    all_docs = list(docs)
    candidates = [d for d in all_docs if not restrict or d.meta.source in restrict]

    def available() -> str:  # only a refusal lists the plans: at 2,000 plans it costs 20 ms
        return available_plans(all_docs)

    note_of: dict[str, str] = {}
    provinces = list(info.provinces) + _unlisted_provinces(info, all_docs)
    if info.sources:
        named = [d for d in candidates if d.meta.source in info.sources]
        if not named:
            return NotIndexed(message("unknown_plan", what="kế hoạch " + ", ".join(info.sources), available=available()))
        candidates = named
    wanted = {document_key(n) for n in [*info.numbers, *plan_numbers(info.text)]}
    def numbered(d: DocRecord) -> bool:  # any number of a joint plan names it ("38/KH-SNNMT", "215/KH-HND")
        return any(document_key(n) in wanted for n in d.meta.all_numbers)

    def referred(d: DocRecord) -> bool:
        return any(_leading_number(n) in info.plan_refs for n in d.meta.all_numbers)

    if wanted and any(numbered(d) for d in candidates):
        # "Kế hoạch số 31/KH-UBND", "Quyết định 85/QĐ-UBND" (the decision issuing a plan): that plan,
        # or one whose number cannot be read (it may be it). A number no indexed plan has may be a
        # document the plans cite (rag/answers/extractive.py reads that), and narrows nothing.
        candidates = [d for d in candidates if d.meta.number is None or numbered(d)]
    elif info.plan_refs and any(referred(d) for d in candidates):
        # "KH 153", "kế hoạch số 86", "QĐ 2820": the number without its symbol names the plan too
        candidates = [d for d in candidates if d.meta.number is None or referred(d)]
    if provinces:
        # a province that has no plan here may be a partner in the question ("phối hợp với tỉnh
        # X"): the plans are those of the named provinces that have one; none → not indexed
        also = {p for name in provinces for p in info.provinces_also.get(name, ())}
        reach = {name: same_place(name).union(*(same_place(p) for p in info.provinces_also.get(name, ())))
                 for name in provinces}
        named = []
        for doc in candidates:
            province = doc.meta.province or ""
            if any(province in names for names in reach.values()):
                named.append(doc)
                if province not in provinces and province not in also:
                    note = now_part_of(province)  # a predecessor's plan found by the new unit's name
                    if note:
                        note_of[doc.meta.source] = note
                continue
            # a former province's territory is governed by its new unit's plans issued since 1 July 2025
            for name in provinces:
                if successor(name) == province and _after_merger(doc.meta):
                    named.append(doc)
                    note = now_part_of(name)
                    if note:
                        note_of[doc.meta.source] = note
                    break
        if not named:
            years = _years_text(info)
            return NotIndexed(message("unknown_plan", what="kế hoạch của " + ", ".join(with_kind(p) for p in provinces)
                                      + (f" năm {years}" if years else ""), available=available()))
        candidates = named
    periods = info.periods or [(y, y) for y in info.years]
    if periods or info.signed_years:
        named = [d for d in candidates
                 if any(covers(d.meta, a, b) for a, b in periods)
                 or (d.meta.signed_year in info.signed_years)]
        if not named:
            # no plan covers the year: one issued in it, or one whose first year follows it (a plan
            # for 2026 reports what is estimated for 2025, "ước thực hiện năm 2025"), is that plan.
            # A period named ("giai đoạn 2021–2025") is the span a plan covers: a plan for
            # 2026–2030 signed in 2025 is not the plan of 2021–2025.
            named = [d for d in candidates if any(issued_or_reports(d.meta, a, b) for a, b in periods
                                                  if a == b or not d.meta.years)]
        if not named:
            # a plan whose years and signing date could not be read (an OCR'd header, a title
            # broken across lines) may be the plan named: refusing it would decline on no evidence
            named = [d for d in candidates if not d.meta.years and d.meta.signed_year is None]
        if not named:
            where = f" của {', '.join(with_kind(p) for p in provinces)}" if provinces else ""
            spans = _years_text(info) or ", ".join(map(str, info.signed_years))
            return NotIndexed(message("unknown_plan", what=f"kế hoạch năm {spans}{where}", available=available()))
        candidates = named
    topic = plan_topic(info.text)
    if topic and (provinces or periods) and not any(_shares_topic(topic, d.meta.title, d.meta.province) for d in candidates) \
            and not any(speaks_of(title_words(info.text) or topic, passages(d.meta.source))
                        for d in candidates if passages is not None):
        # "Kế hoạch phát triển du lịch cộng đồng … của tỉnh X": X has plans, none on that subject,
        # neither in its title nor anywhere in its text (evidence of absence). A plan named by a
        # subject it treats ("Kế hoạch chi tiết tổ chức Lễ hội Dừa …" that the plan asks for, "kế
        # hoạch cải cách TTHC" for a plan titled "kiểm soát thủ tục hành chính") is that plan.
        where = f" của {', '.join(with_kind(p) for p in provinces)}" if provinces else ""
        return NotIndexed(message("unknown_plan", what=f"kế hoạch về nội dung này{where}", available=available()))
    named_topic = title_words(info.text)
    if named_topic and not provinces and not info.sources and len(candidates) > 1:
        # "Kế hoạch phòng chống thiên tai năm 2026 …" with no province: the plans whose titles
        # share most of the subject words (several when they share as many: each answer names its plan)
        candidates = by_topic(named_topic, candidates)
    # only the plans still in scope (a year may have left the predecessor's plans out) need a note
    kept = {d.meta.source: note_of[d.meta.source] for d in candidates if d.meta.source in note_of}
    return Scope([d.meta.source for d in candidates], list(dict.fromkeys(kept.values())), kept)


# Words of a plan's name that say what kind of work it is, not its subject.
_GENERIC = {"ke", "hoach", "trien", "khai", "thuc", "hien", "phat", "nang", "cao", "tang", "cuong", "day",
            "manh", "xay", "dung", "cong", "tac", "ve", "cua", "cac", "nhung", "so", "dot", "chuong", "trinh",
            "nam", "giai", "doan", "tinh", "thanh", "pho", "tren", "dia", "ban", "va", "moi", "tiep", "tuc"}
_NOT_SUBJECT = {"cua", "nam", "tinh", "thanh", "so", "tai", "o", "nay", "do", "tren", "giai", "ve"}
# The phrase that names a plan by its subject: at the question's start or after "theo/trong/thuộc"
# ("Theo Kế hoạch …"), not a plan the answer is about ("xây dựng kế hoạch truyền thông …"); it ends
# where the question turns to what it asks.
_PLAN_PHRASE = re.compile(r"(?:^|\b(?:theo|trong|thuoc)\s+)ke hoach\s+(.+?)(?=\s+(?:nam|giai doan|cua|tai|tren|o|"
                          r"giao|quy dinh|yeu cau|de ra|co|la|duoc|theo|thi(?! hanh)|neu|ve viec|cho)\b|$)")
# a plan the plan asks for ("Kế hoạch chi tiết tổ chức lễ hội … phải trình trước ngày nào?"): a
# task's product, not the plan asked about
_PRODUCT_PLAN = ("chi tiet", "cu the", "rieng")


# a clause ends at ":", ";", "?", "!" or a comma before a capitalised word (a comma before a
# lower-case one stays inside a name: "Kế hoạch phòng, chống dịch …")
_CLAUSE_BREAK = re.compile(r"[:;?!]|,(?=\s*[A-ZĐÀ-Ỹ])")


# "kế hoạch" right before a comma or colon ("Theo kế hoạch, sản phẩm của nhiệm vụ … là gì?"): the
# plan in scope, named by nothing; the words after the break are what is asked, not its subject
_BARE_PLAN = re.compile(r"\b[kK][eếEẾ]\s+[hH][oO][aạAẠ][cC][hH]\s*[,:;]")


def _without_bare_plan(question: str) -> str:
    return _BARE_PLAN.sub(" ; ", question)


def plan_topic(question: str) -> str | None:
    """The subject words by which a question names a plan ("Kế hoạch phát triển du lịch cộng đồng
    năm 2025 …" → lich dong); None when it names none, or names it by a document number."""
    question = _without_bare_plan(question)
    # a province named in the phrase ("Kế hoạch của tỉnh Vĩnh Phúc") is scope, not subject
    places = {t for name in find_provinces(question) for t in match_tokens(name)}
    # the phrase ends at a clause break: "Kế hoạch Gia Lai: quy chế … ban hành trước ngày nào?"
    # names the plan by its province, and what follows the colon is what is asked
    match = next((m for clause in _CLAUSE_BREAK.split(question)
                  if (m := _PLAN_PHRASE.search(" ".join(match_tokens(clause))))), None)
    if not match or any(ch.isdigit() for ch in match.group(1)) or match.group(1).split()[0] in _NOT_SUBJECT \
            or match.group(1).startswith(_PRODUCT_PLAN):
        return None  # "Kế hoạch của tỉnh X, …", "Kế hoạch số 12/KH-UBND": no subject named
    words = [w for w in match.group(1).split() if w not in _GENERIC and len(w) >= 3 and w not in places]
    return " ".join(dict.fromkeys(words)) if len(words) >= 2 else None


# "kế hoạch" that names the plan asked about, not one the plan asks for ("xây dựng kế hoạch …");
# the phrase ends where the question turns to what it asks (or to the plan's year, number, province)
# ("thì" ends it, "thi hành" is the subject: "Kế hoạch triển khai thi hành Luật …")
_PHRASE_END = ("nam|giai doan|cua|tai|tren|o|giao|quy dinh|yeu cau|de ra|co|la|duoc|theo|thi(?! hanh)|neu|ve viec|so|do|"
               "ai|nguoi|ky|ban hanh|ap dung|thuc hien|phai|can|chu tri|phoi hop|bao cao|gui|lam gi|nhu the nao|"
               "va|nay|tren|nhu|kem|tai|den|de|voi|trong|ma")
# "Theo kế hoạch, Công an tỉnh …": a body, not the plan's subject, follows "kế hoạch"
_BODIES = "uy ban|ubnd|cong an|cac|trung tam|chi cuc|bo|hoi|ban|vien|tinh doan|benh vien|truong"
_NAMED_PLAN = re.compile(r"(?<!xay dung )(?<!trien khai )(?<!thuc hien )(?<!ban hanh )(?<!lap )(?<!tong ket )"
                         r"(?<!danh gia )(?<!cac )(?<!nhung )(?<!noi dung )(?<!vao )\bke hoach\s+(?!(?:" + _PHRASE_END + "|" + _BODIES + r")\b)(.+?)"
                         r"(?=\s+(?:" + _PHRASE_END + r")\b|$)")


def title_words(question: str) -> str:
    """The subject words of every phrase naming a plan by its subject ("Kế hoạch phòng chống
    thiên tai năm 2026", "Ai ký Kế hoạch phát triển du lịch …", "kế hoạch TMĐT"), abbreviations
    spelled out; empty when none."""
    question = DOCUMENT_NUMBER.sub(" ", question)  # "Kế hoạch 45/KH-SNNMT": a number, not a subject
    question = _without_bare_plan(question)
    tokens = [w for t in match_tokens(question) for w in (match_tokens(ABBREVIATIONS[t]) if t in ABBREVIATIONS else [t])]
    places = {t for name in find_provinces(question) for t in match_tokens(name)}
    words: list[str] = []
    for match in _NAMED_PLAN.finditer(" ".join(tokens)):
        words += [w for w in match.group(1).split() if w not in _GENERIC and w not in places
                  and not any(c.isdigit() for c in w) and len(w) >= 2]
    topic = " ".join(dict.fromkeys(words))
    return topic if len(topic.replace(" ", "")) >= 4 else ""


def by_topic(topic: str, docs: Sequence[DocRecord]) -> list[DocRecord]:
    """The plans whose titles hold the most of a topic's words, when one holds at least half of
    them (words that only happen to be in a title, "dân" of "người dân", choose nothing); else all."""
    words = topic.split()

    def shared(doc: DocRecord) -> int:
        title = set(match_tokens(doc.meta.title))
        return sum(word in title for word in words)

    best = max((shared(d) for d in docs), default=0)
    if not best or 2 * best < len(words):
        return list(docs)
    return [d for d in docs if shared(d) == best]


def _shares_topic(topic: str, title: str, province: str | None = None) -> bool:
    """Paraphrases share words, not phrases ("sóng 5G, IoT" for "hệ thống sóng viễn thông 5G,
    internet vạn vật (IoT)"): one subject word in the title is enough, an abbreviation the title
    spells out ("PCCCR" for "Phòng cháy, chữa cháy rừng") too. A title that names no subject (an
    unreadable OCR title, "Kế hoạch số 12/KH-UBND") may be any plan."""
    tokens = match_tokens(title)
    words = set(tokens)
    place = set(match_tokens(province or ""))  # the province a title names is not its subject
    subject = [w for w in words if w not in _GENERIC and w not in place and len(w) >= 3
               and not any(c.isdigit() for c in w)]
    named = topic.split()
    shared = sum(word in words or spells_out(word, tokens) for word in named)
    # one common syllable ("hành" of "ban hành kế hoạch hành động") in a long title does not make a
    # plan "Kế hoạch thi hành Luật Việc làm": two words, or half of the subject's, do; else the
    # plan's text decides (`speaks_of`)
    return len(subject) < 3 or shared >= 2 or (shared >= 1 and 2 * shared >= len(named))


# a Vietnamese syllable, folded: an onset, a vowel nucleus, a final consonant or none
_SYLLABLE = re.compile(r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]+(?:ch|ng|nh|[cmnpt])?$")


def is_acronym(token: str) -> bool:
    """A folded word that is no Vietnamese syllable is an abbreviation ("tthc", "pcccr", "bhxh",
    "atvstp": a syllable has one vowel nucleus and at most one final consonant)."""
    return len(token) >= 2 and token.isalpha() and not _SYLLABLE.match(token)


def spells_out(token: str, tokens: Sequence[str]) -> bool:
    """Does a run of syllables have the abbreviation's letters as initials ("tthc" → "thủ tục hành
    chính", "pcccr" → "phòng cháy, chữa cháy rừng")? Abbreviations of the genre are made so."""
    if not is_acronym(token) or len(token) > len(tokens):
        return False
    initials = "".join(t[0] for t in tokens)
    # matching reads a leading "p" as a misread "đ" (lang/normalize.py, rule initial_p): "PCCCR"
    # comes as "dcccr"
    return token in initials or (token[0] == "d" and "p" + token[1:] in initials)


def speaks_of(topic: str, passages: Iterable[str]) -> bool:
    """Does one passage state a topic: every subject word of it (an abbreviation spelled out
    counts), most of them next to the word they follow in the question (one word may stand
    between: "du lịch cộng đồng" for "du lịch … đồng")? Folded syllables are ambiguous ("dự" and
    "du", "lịch sử"): words scattered over a passage are not its subject."""
    words = topic.split()
    if len(words) < 2:
        return False
    pairs = list(zip(words, words[1:], strict=False))
    for text in passages:
        tokens = match_tokens(text)
        present = set(tokens)
        if not all(w in present or spells_out(w, tokens) for w in words):
            continue
        follows = {(a, b) for i, a in enumerate(tokens) for b in tokens[i + 1:i + 3]}
        if 3 * sum(pair in follows for pair in pairs) >= 2 * len(pairs):
            return True
    return False


def _leading_number(number: str | None) -> int | None:
    """The number of "153/KH-UBND" (153), None when the document has none."""
    match = re.match(r"\s*(\d{1,6})", number or "")
    return int(match.group(1)) if match else None


def plan_numbers(question: str) -> set[str]:
    """The numbers of plans ("…/KH-…") a question names, compared without spaces or case."""
    return {number_key(m.group(0)) for m in PLAN_NUMBER.finditer(question)}


def foreign_numbers(question: str, docs: Iterable[DocRecord]) -> set[str]:
    """The plan numbers a question names that no indexed plan has: plans the indexed ones may
    cite, never the indexed plans themselves."""
    named = plan_numbers(question)
    return named - {number_key(n) for d in docs for n in d.meta.all_numbers} if named else set()


def names_a_plan(info: QueryInfo, docs: Iterable[DocRecord]) -> bool:
    """Does the question name a plan (by province, year, file or number), not only a subject?"""
    return bool(info.provinces or info.years or info.periods or info.signed_years or info.sources
                or plan_numbers(info.text) or info.plan_refs or _unlisted_provinces(info, list(docs)))


def _unlisted_provinces(info: QueryInfo, docs: Sequence[DocRecord]) -> list[str]:
    """Indexed plans' provinces that are in no list (kept as the plan wrote them) and that the
    question names."""
    tokens = f" {' '.join(match_tokens(info.text))} "
    out: list[str] = []
    for doc in docs:
        name = doc.meta.province
        if name and name not in KNOWN and name not in out and f" {' '.join(match_tokens(name))} " in tokens:
            out.append(name)
    return out


def with_scope_notes(text: str, notes: Sequence[str]) -> str:
    """The answer, opened by what the reader must know about the plans' provinces."""
    if not notes:
        return text
    return f"(Kế hoạch của {'; '.join(notes)}.) {text}"


def _committee(name: str) -> bool:
    return name.startswith(("UBND", "Ủy ban nhân dân"))


def issuing_bodies(meta: DocumentMeta) -> dict[str, str]:
    """The bodies that issue a plan, each as the agency lexicon names it → as the plan names it:
    a Sở's own plan, a council's, each party of a joint plan. A People's Committee is left out: it
    issues most plans and is asked as the body reports go to, never as the plan's own subject."""
    out: dict[str, str] = {}
    for name in dict.fromkeys(n for n in (*meta.issuers, meta.issuer) if n and not _committee(n)):
        out[name] = name
        for m in find_agencies(name):
            out.setdefault(m.name, name)
    return out


def issues_the_plan(meta: DocumentMeta, actor: str) -> bool:
    """Is the body asked an issuer of the plan, other than a People's Committee? A Sở's plan gives
    its tasks to its own units ("Phòng Kế hoạch - Tài chính", "các Đoàn kiểm tra") and a joint plan
    to "hai bên": the issuer is the plan's subject, never a body it leaves out."""
    return actor in issuing_bodies(meta)


def sole_issuer(meta: DocumentMeta, actor: str) -> bool:
    """Is the body asked the one body that issues the plan (a Sở's own plan, not a joint one,
    whose parties each have their own block)?"""
    bodies = {m.name for name in (*meta.issuers, meta.issuer) if name for m in find_agencies(name)}
    return bodies == {actor} and issues_the_plan(meta, actor)


def issuer_naming_the_plan(info: QueryInfo, issuer: DocumentMeta | str | None) -> QueryInfo:
    """The question's bodies once its one plan is chosen: a plan issued by a body other than the
    UBND (a Sở's, a committee's, a joint plan's parties) is named by its issuers ("Theo Kế hoạch …
    của Sở Tư pháp tỉnh Bắc Ninh, đơn vị nào chủ trì …?"). When the question asks who leads, or
    names another body too, the issuer names the plan and its units are the ones asked about: the
    issuer is set aside. Where the issuer is asked as the recipient, or is the only body of a
    question asking no lead ("Sở Tư pháp phải làm gì?"), it stays."""
    if isinstance(issuer, str):
        issuer = DocumentMeta(source="", title="", province=None, issuer=issuer)
    names = issuing_bodies(issuer) if issuer is not None else {}
    owners = list(dict.fromkeys(m.name for printed in set(names.values()) for m in find_agencies(printed)))
    if owners:
        # "Thanh tra Sở Tư pháp" asked of a plan of Sở Tư pháp: the unit its plan calls "Thanh tra Sở"
        own = [next((s for o in owners if (s := unit_as_owner_names_it(name, o))), name) for name in info.agencies]
        info = info if own == info.agencies else replace(info, agencies=list(dict.fromkeys(own)))
    if not names or "recipient" in info.asked:
        return info
    kept = [name for name in info.agencies if name not in names]
    if kept == info.agencies or not (kept or "lead" in info.asked):
        return info
    return replace(info, agencies=kept)


def bodies_at_plan_level(info: QueryInfo, metas: Sequence[DocumentMeta]) -> QueryInfo:
    """The question's province-level bodies as the plans of one province name them: "Mặt trận Tổ quốc" read
    by the lexicon as "… tỉnh" is "… thành phố" in a centrally-run city's plan, the same body.
    Only a body the lexicon knows at both levels: the others ("Hội Liên hiệp Phụ nữ tỉnh") are
    read as one name whatever the level word, in the plan as in the question."""
    provinces = {meta.province for meta in metas}
    if len(provinces) != 1:
        return info  # plans of several provinces: each names its own bodies
    province = provinces.pop()
    named = list(dict.fromkeys(
        city if (city := at_own_level(name, province)) in AGENCIES else name for name in info.agencies))
    return info if named == info.agencies else replace(info, agencies=named)
