"""Who reports to whom, and by when: a reporting line of the obligations register, told in one
sentence with canonical agency names."""

from __future__ import annotations

import re

from index.models import Chunk
from index.obligations import Obligation
from index.ocr_repair import display_form, looks_ocr_damaged_snippet
from lang.agencies import find_bodies
from lang.normalize import collapse_ws, match_tokens
from rag.answers.common import (
    actor_phrase,
    checked_recipients,
    citation,
    earlier_recipients,
    instruction_like,
    recipients_named,
    reporting_sentence,
    trim_quote,
)
from rag.answers.reader import MIN_COVERAGE, PlanReader
from rag.cues import any_cue, group
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message, slot
from rag.types import Citation

REPORTER_BONUS = 0.3
SLOT_BONUS = 0.1
REPORTER_SHARE = 0.8


def reporting_record(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, best: float,
                     best_sentence: str | None = None) -> Obligation | None:
    """A reporting line stated by the plan, when the question asks who reports where or by when
    (`best`: the coverage of the best passage, `best_sentence`)."""
    if not {"deadline", "reporting"} & set(prepared.info.kinds):
        return None
    if "reporting" not in prepared.info.kinds and "document" in prepared.info.asked:
        return None  # "ban hành ngày nào?": the date of a document, not of a report
    weights = reader.weights(prepared, plan.title)
    named = set(prepared.info.agencies)
    # "Ai tổng hợp, báo cáo UBND tỉnh …?": the body a report goes to, the issuer included (the
    # question's agencies leave out the issuer, as the name of the plan)
    told = recipients_named(prepared.info.text)
    if not told and not named:
        # "hạn của báo cáo đó?" after "… tổng hợp báo cáo tổng kết gửi UBND tỉnh?": the report meant
        # goes where the turn before said (a follow-up's retrieval text carries that turn)
        told = earlier_recipients(prepared)
    # "Ngoài UBND tỉnh, Sở X còn báo cáo cơ quan nào?": the body set aside is the one NOT asked
    excluded = _excluded(prepared.info.text)
    named -= excluded
    told -= excluded
    # "X gửi báo cáo … cho Y phải không?": Y is the premise checked, not a body whose lines answer;
    # X's own line does, whatever its recipient (a wrong Y is then corrected, not made X's)
    checked = checked_recipients(prepared.info)
    named -= checked
    asks_recipient = prepared.info.asks_recipient
    records = reader.records(plan.source, "reporting")
    # "được Sở X tổng hợp", or a body that only passes reports on: its onward is what is asked
    reporting_of_named = any(r.agency in named and r.recipient and r.recipient not in named for r in records)
    passive = _passive(prepared.info.text, named) or not reporting_of_named
    # a report is what is asked ("báo cáo … về đâu?"), not any sending ("gửi kế hoạch … trong bao lâu?")
    asked_words = " ".join(match_tokens(prepared.info.text))
    asks_report = "bao cao" in asked_words
    # a submission ("gửi dự toán về Sở Tài chính trước ngày 15/7") answers a question about a report
    # or a sending, not any "by when?" ("xây dựng kế hoạch trong thời hạn bao lâu?")
    asks_sending = asks_report or "gui" in asked_words.split() or "nop" in asked_words.split()
    # a body the agency list does not know ("Cơ quan thường trực", "Tổ giúp việc"): its item's
    # heading tells its lines (a known one is weighed by name below)
    # (a body named only as where the report goes leaves the reporter to the words before the verb:
    # "tổ giúp việc báo cáo … cho UBND tỉnh?")
    actor = [] if named - told else actor_phrase(prepared.info.subject or prepared.info.text)
    # the body asked about as the question prints it, its level kept ("Ban Chỉ đạo Tổng điều tra
    # tỉnh Vĩnh Phúc": the subject drops "tỉnh Vĩnh Phúc" with the province, leaving a name every
    # level's committee shares)
    asked_bodies = [m.name for m in find_bodies(prepared.info.text) if m.name not in named]
    # "báo cáo những cơ quan nào?": a sentence that sends the report to several bodies (one row
    # each, of one quote) is the whole answer; a row naming one of them is part of it
    several = asks_several(prepared)
    recipients_of: dict[tuple[str, str], set[str]] = {}
    for record in records:
        if record.recipient:
            recipients_of.setdefault((record.section, record.quote), set()).add(record.recipient)
    candidates = []
    owned: list[bool] = []
    for record in records:
        own = ""
        if record.recipient is None:
            continue  # no recipient named: it answers neither "to whom" nor, told as a sentence, anything
        if not asks_sending and "bao cao" not in " ".join(match_tokens(record.quote)):
            continue
        if instruction_like(record.quote) or reader.chunk_for(record).facts.withholds(record.quote):
            continue
        # the row is read with the bodies it settled on: "Hằng năm báo cáo … về Ban Chỉ huy …" is
        # the line of the bodies named in the sentence before it, or in the item's heading
        # (a collective "các cơ quan, đơn vị" adds only the words "cơ quan nào?" asks with)
        names = [n for n in (record.agency, record.recipient, record.via) if n and not _collective(n)]
        # an OCR'd row is read in its repaired form too ("Bao cédo … trude ngay" is "Báo cáo …
        # trước ngày"): a consonant frame alone would let "thực hién" stand for "hạn"
        ranking, bonus = max(reader.score_sentence(" ".join([quote, *names]), set(), weights, prepared.info.kinds)
                             for quote in dict.fromkeys((record.quote, display_form(record.quote))))
        # against the plan's sentences the row competes as they do, with its own words and its
        # headings (canonical names beside an OCR'd sentence would outscore the sentence itself)
        headings = reader.chunk_for(record).facts.heading_terms
        coverage, _ = reader.score_sentence(record.quote, headings, weights, [])
        # a line of the bodies asked about, settled at ingest from the item's heading or lead-in
        # ("3. Các sở, ngành: … b) Định kỳ 6 tháng gửi báo cáo về Sở X"), is read with those
        # bodies' names: the sentence alone does not name them
        # (only when no passage covers the question: beside a passage that does, canonical names
        # would let a line outscore the sentence that says more, an OCR'd one above all)
        if best < MIN_COVERAGE:
            # (a line in the item headed by the body asked about is that body's line too)
            heading = _heads_item(actor, reader.chunk_for(record))
            if not asks_report or not (named & {record.agency, record.recipient} or heading):
                continue
            coverage, _ = reader.score_sentence(" ".join([record.quote, *names, heading]), headings, weights, [])
            if coverage < MIN_COVERAGE:
                continue  # no passage covers the question, nor does this line with its bodies
        level = _level_match(asked_bodies, record.agency or "")
        if named and record.agency in named and record.recipient not in named:
            bonus += REPORTER_BONUS  # the body asked about is the one reporting
        elif level is True:
            bonus += REPORTER_BONUS  # the body asked about, named by its kind and level ("Ban Chỉ đạo tỉnh")
        elif level is not False and (own := _heads_item(actor, reader.chunk_for(record))):
            # the line stands in the item of the body asked about: read with that item's heading,
            # which names the body the sentence leaves out
            bonus += REPORTER_BONUS
            coverage = max(coverage, reader.score_sentence(" ".join([record.quote, own]), headings, weights, [])[0])
        elif named and record.recipient in named and record.onward and passive:
            # the one passing the reports on ("được Sở X tổng hợp để trình những cơ quan nào?");
            # "Sở X tổng hợp báo cáo cho ai?" asks Sở X's own line first
            bonus += REPORTER_BONUS if not reporting_of_named else REPORTER_BONUS / 2
        elif record.recipient in (named | told) and record.agency not in named and not asks_recipient \
                and not _collective(record.agency or "các cơ quan"):
            # "Ai tổng hợp, báo cáo UBND tỉnh …?": the body named is where the report goes
            bonus += REPORTER_BONUS
        if record.recipient in excluded:
            bonus -= REPORTER_BONUS  # the recipient the question sets aside
        if level is False:
            bonus -= REPORTER_BONUS  # the same kind of body at another level ("… cấp huyện" for "… tỉnh")
        if told and not told & {record.recipient, record.via, *record.onward} and not own \
                and not (checked and record.agency in named):
            # the question says where the report goes: this one goes elsewhere (unless it is the
            # asked body's own line: "… cho UBND tỉnh hằng tháng phải không?" may be mistaken)
            bonus -= REPORTER_BONUS
        if checked and record.agency in named and checked & {record.recipient, record.via, *record.onward}:
            bonus += SLOT_BONUS  # of the asked body's lines, the one going where the question says
        bonus += SLOT_BONUS * sum(1 for slot in prepared.info.asked if _fills(record, slot))
        # an agency the question names as the one reporting is the reporter, not the recipient:
        # "Sở X gửi báo cáo cho cơ quan nào?" is not answered by "các cơ quan gửi về Sở X"
        # (unless the named recipient sends the reports on: "Sở X tổng hợp trình những cơ quan nào?")
        if named and asks_recipient and record.recipient in named and record.agency not in named \
                and not record.onward:
            bonus -= 0.5
        elif named and reporting_of_named and record.recipient in named - told and record.agency not in named \
                and not asks_recipient:
            # the body asked about as the one reporting ("Sở X báo cáo tổng kết trước ngày nào?"):
            # the line where others report TO it ("các sở gửi Sở X trước ngày 20/11 để tổng hợp")
            # answers another question when the register holds its own line
            bonus -= REPORTER_BONUS
        timed = record.due_date or record.relative or record.recurrence  # a date, an event, a period
        candidates.append((ranking + bonus + (0.2 if timed else 0.0), coverage, record))
        owned.append(bool(own) or level is True)
    if not candidates:
        return None
    if any(owned) and not named - told:
        # the lines of the body asked about win over lines that only share its words (the line that
        # sends reports TO it above all); a body the agency list knows is weighed by name instead
        candidates = [c for c, own in zip(candidates, owned, strict=True) if own]
    if several:
        # the sentences that name several recipients answer "những cơ quan nào?" whole, before a
        # line naming one of them that shares more words (a table row restating part of it)
        whole = [c for c in candidates if len(recipients_of.get((c[2].section, c[2].quote), ())) > 1]
        top = max(c[1] for c in candidates)
        whole = [c for c in whole if c[1] >= REPORTER_SHARE * top]
        if whole:
            candidates = whole
            best = min(best, max(c[1] for c in whole))  # a partial line's words are no measure
            best_sentence = None
    candidates.sort(key=lambda c: -c[0])
    bodies = [m.name for m in find_bodies(prepared.info.subject or prepared.info.text) if m.name not in checked]

    def others_line(record: Obligation) -> bool:
        """The line of a body the question does not ask about (neither reporting nor receiving)."""
        own = bool(_heads_item(actor, reader.chunk_for(record))) or _level_match(asked_bodies, record.agency or "") is True
        return bool(bodies) and not own and bool(record.agency) and not _collective(record.agency or "") \
            and not any(_same_name(n, record.agency or "") or _same_name(n, record.recipient or "") for n in bodies)

    if others_line(candidates[0][2]):
        # another body's line outranks on shared words ("Phòng X … báo cáo kết quả …" for "Sở Y báo
        # cáo kết quả cho ai?"): the asked body's own line, when the register has one, is the answer
        candidates = [c for c in candidates if not others_line(c[2])] or candidates
    _, coverage, record = candidates[0]
    if named and asks_recipient and record.recipient in named and record.agency not in named and not record.onward:
        return None  # the register has no line from that agency: its sentences are read instead
    own_item = bool(_heads_item(actor, reader.chunk_for(record))) or _level_match(asked_bodies, record.agency or "") is True
    if bodies and not own_item and record.agency and not _collective(record.agency) \
            and not any(_same_name(n, record.agency) or _same_name(n, record.recipient or "") for n in bodies):
        # the question is about another body's line ("Trung tâm Y tế các khu vực gửi báo cáo về
        # đâu?"), which the register may lack: its sentences are read instead
        return None
    if not own_item and actor_items(reader, plan.source, actor):
        # the body asked about has an item of its own ("1.5. Trách nhiệm của đối tượng thực hiện
        # kiểm kê") whose report line the register read no recipient for: its sentences answer,
        # not another body's line sharing the words
        return None
    # a line of the very body asked about may cover a little less than a passage that names that
    # body only as the recipient ("các xã báo cáo về Sở X" for "Sở X báo cáo cho ai?")
    # (a passage of the row's own section is the row's whole sentence: it is quoted instead)
    if best_sentence and _same_words(best_sentence, record.quote):
        return record if coverage > best else None  # a tie: the sentence itself, read whole
    asked_whose = record.recipient in (named | told) and record.agency not in named and not asks_recipient \
        and not _collective(record.agency or "các cơ quan")  # "Ai …?" is not answered by "các cơ quan"
    floor = REPORTER_SHARE * best if (named and record.agency in named) or asked_whose or own_item else best
    if named and record.agency in named and best_sentence and named & recipients_named(best_sentence) \
            and not any(r.onward for r in records if r.recipient in named and _same_words(best_sentence, r.quote)):
        # the best passage sends reports TO the body asked about ("… gửi về Sở X hằng quý" for "Sở X
        # báo cáo cho ai?"): it answers another question, its words in common are no measure
        # (unless it also says where that body sends them on: "… về Sở X để tổng hợp, báo cáo Y")
        floor = min(floor, MIN_COVERAGE)
    return record if coverage >= floor else None


# the level of a body, told by its name's last words: a steering committee, a working group or a
# district office exists at each level of the administration, under one name
_LEVELS = (("trung", "uong"), ("cap", "xa"), ("cap", "huyen"), ("huyen",), ("cap", "tinh"), ("tinh",))
_LEVEL_OF = {"trung uong": "central", "cap xa": "commune", "cap huyen": "district", "huyen": "district",
             "cap tinh": "province", "tinh": "province"}


def _level(tokens: list[str]) -> str | None:
    """"Ban Chỉ đạo Tổng điều tra cấp huyện" → district; None when the name tells no level."""
    for words in _LEVELS:
        n = len(words)
        for start in range(len(tokens) - n, 0, -1):
            if tuple(tokens[start:start + n]) == words:
                return _LEVEL_OF[" ".join(words)]
    return None


def _level_match(asked: list[str], agency: str) -> bool | None:
    """Is the reporting body the one asked about, both named by kind and level ("Ban Chỉ đạo Tổng
    điều tra tỉnh" asked, "Ban Chỉ đạo tỉnh" reporting)? True: the same kind at the same level;
    False: the same kind at another level; None: another kind, or no level told."""
    name = match_tokens(agency)
    verdict = None
    for body in asked:
        words = match_tokens(body)
        if len(words) < 3 or len(name) < 3 or words[:3] != name[:3]:
            continue
        mine, theirs = _level(words), _level(name)
        if mine is None or theirs is None:
            continue
        if mine == theirs:
            return True
        verdict = False
    return verdict


def _heads_item(actor: list[str], chunk: Chunk) -> str:
    """A steering committee's plan gives each body an item of its own ("5. Cơ quan thường trực
    Ban Chỉ đạo (Sở X)", "6. Tổ giúp việc"): a line in the item headed by the body the question
    asks about is that body's line, whatever the sentence names. The heading's name (before any
    bracket) and the question's actor open alike, on two words or more."""
    if len(actor) < 2:
        return ""
    for heading in (chunk.section_title, *chunk.ancestors[-1:]):
        title = re.sub(r"^\s*(?:[\dIVXivx]+[.)])+\s*|^\s*[a-zđ][)]\s*", "", heading.split("(")[0])
        name = _bound_body(match_tokens(title))
        levels = _level(actor), _level(name)
        if None not in levels and levels[0] != levels[1]:
            continue  # the same kind of body at another level ("Ban Chỉ đạo … cấp huyện")
        if len(name) >= 2 and (_opens_alike(actor, name) or _same_task_body(actor, name)):
            return title
    return ""


def actor_items(reader: PlanReader, source: str, actor: list[str]) -> set[str]:
    """The sections of the items the plan heads by the body the question names by its words
    (a body outside the agency list: "đơn vị thực hiện kiểm kê")."""
    snap = reader.store.snapshot()
    named_generically = any(" ".join(actor).startswith(g + " ") for g in group("actor")["generic"])
    if len(actor) < 2 or snap is None or not named_generically:
        return set()  # only a body the question names by a generic noun and its task has such items
    return {c.section for c in snap.chunks_of(source) if c.section not in ("preamble", "closing")
            and _heads_item(actor, c)}


def _bound_body(name: list[str]) -> list[str]:
    """A heading's body without the words that say the item binds it ("Trách nhiệm của …")."""
    text = " ".join(name)
    for opener in group("actor")["heading_openers"]:
        if text.startswith(opener + " "):
            return name[len(opener.split()):]
    return name


def _same_task_body(actor: list[str], name: list[str]) -> bool:
    """A body named by a generic noun and the task that defines it ("đơn vị thực hiện kiểm kê"),
    the heading naming it by another generic noun ("đối tượng thực hiện kiểm kê"): the same body
    when the task's words (three at least) open alike."""
    def task(words: list[str]) -> list[str] | None:
        text = " ".join(words)
        opener = next((g for g in group("actor")["generic"] if text.startswith(g + " ")), None)
        return words[len(opener.split()):] if opener else None
    mine, theirs = task(actor), task(name)
    if not mine or not theirs or len(theirs) < 3 or len(mine) < len(theirs):
        return False
    return mine[:len(theirs)] == theirs


def _opens_alike(actor: list[str], name: list[str]) -> bool:
    """One's words open the other's, an abbreviation standing for the words it is the initials of
    ("cơ quan thường trực BCĐ" and "Cơ quan thường trực Ban Chỉ đạo")."""
    a = n = 0
    while a < len(actor) and n < len(name):
        if actor[a] == name[n]:
            n += 1
        elif len(actor[a]) >= 2 and actor[a] == "".join(w[0] for w in name[n:n + len(actor[a])]):
            n += len(actor[a])
        else:
            # the kind of body told (three words at least: "Tổ giúp việc", "Ban Chỉ đạo"), the
            # question may go on with the plan's words ("tổ giúp việc BCĐ tổng điều tra")
            return n >= 3
        a += 1
    return True


def _passive(question: str, named: set[str]) -> bool:
    """"được Sở X tổng hợp …": the body named receives the reports and passes them on."""
    tokens = match_tokens(question)
    return any(tokens[m.start - 1: m.start] == ["duoc"] for m in find_bodies(question) if m.name in named)


_EXCLUDING = frozenset(("ngoai",))  # "Ngoài X, …": X set aside


def _excluded(question: str) -> set[str]:
    """Bodies the question sets aside ("Ngoài UBND tỉnh, … còn báo cáo cơ quan nào?")."""
    tokens = match_tokens(question)
    return {m.name for m in find_bodies(question) if tokens[m.start - 1: m.start] and tokens[m.start - 1] in _EXCLUDING}


def _same_words(sentence: str, quote: str) -> bool:
    a, b = " ".join(match_tokens(sentence)), " ".join(match_tokens(quote))
    return bool(a and b) and (a in b or b in a)


def _collective(name: str) -> bool:
    """"các cơ quan, đơn vị được giao nhiệm vụ": every body, none by name."""
    return match_tokens(name)[:3] in (["cac", "co", "quan"], ["cac", "don", "vi"])


def _same_name(asked: str, name: str) -> bool:
    """The body the question names is this one: the same words, or one's words opening the
    other's ("Chi cục Chăn nuôi và Thú y Lâm Đồng", "Các sở, ban, ngành tỉnh")."""
    a, b = match_tokens(asked), match_tokens(name)
    if not a or not b:
        return False
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return longer[:len(shorter)] == shorter


def _fills(record: Obligation, slot: str) -> bool:
    """Does a reporting row hold the value a question asks for?"""
    if slot == "frequency":
        return bool(record.recurrence)
    if slot == "deadline":
        return bool(record.due_date or record.relative or record.recurrence)
    if slot == "recipient":
        return bool(record.recipient)
    return False


def asks_several(prepared: Prepared) -> bool:
    """"báo cáo những cơ quan nào?": several recipients asked (prompts/cues_vi.toml [recipient])."""
    return "reporting" in prepared.info.kinds and any_cue(prepared.info.subject_folded, group("recipient")["several"])


def sends_to_several(reader: PlanReader, record: Obligation) -> bool:
    """Does the row's sentence send its report to several bodies (one register row each)?"""
    return len({r.recipient for r in reader.records(record.source, "reporting")
                if r.recipient and r.section == record.section and r.quote == record.quote}) > 1


def reporting_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, record: Obligation,
                     citations: list[Citation]) -> str:
    """Clean text is quoted whole (every recipient, the frequency, the "qua …" channel, in the
    plan's own words); OCR-damaged text is told in one sentence with canonical names, which is
    what makes it readable."""
    chunk = reader.chunk_for(record)
    citations.append(citation(len(citations) + 1, chunk, record.quote))
    lead = message("according_to", title=plan.title, label=record.section_label) + ": "
    if reader.ocr_damaged(plan.source) and not sends_to_several(reader, record) \
            and looks_ocr_damaged_snippet(display_form(record.quote)):
        # (repaired, the sentence reads as clean text does and is quoted like it: it names every
        # recipient and the time in the plan's words, where one row tells one recipient)
        return lead + reporting_sentence(record) + f" [{len(citations)}]"
    said = _with_run_on(collapse_ws(record.quote), chunk.text)
    weights = {t: 1.0 for t in match_tokens(prepared.info.text)}
    if said != collapse_ws(record.quote):
        # the line the sentence runs on into holds the time or the channel: the window keeps the
        # recipient and the time together
        weights |= {t: 1.0 for name in (record.recipient, record.via) if name for t in match_tokens(name)}
    quote = trim_quote(said, weights)
    citations[-1] = citation(len(citations), chunk, quote)
    return lead + quote + f" [{len(citations)}]" + _reporter_note(record, quote)


def _reporter_note(record: Obligation, quote: str) -> str:
    """The reporter, when neither the quoted sentence nor its item's label names it: a dash line
    under a lead-in ("3.1. Giao Công an tỉnh chủ trì …: / - Tổng hợp …, tham mưu UBND tỉnh báo cáo
    Thủ tướng Chính phủ …") says who reports only in that lead-in, settled at ingest."""
    agency = record.agency
    if not agency or _collective(agency):
        return ""
    said = " ".join(match_tokens(f"{quote} {record.section_label}"))
    if " ".join(match_tokens(agency)) in said or agency in {m.name for m in find_bodies(quote)}:
        return ""  # named in full, or by an abbreviation ("UBND tỉnh", "Sở LĐTBXH")
    return " " + slot("passage_agency", agency=agency, label=record.section_label)


_SENTENCE_END = re.compile(r"[.;:!?…][\"”’)]*\s*$")
_DASH_LINE = re.compile(r"\s*[-–+•]\s+\S")


def _with_run_on(quote: str, text: str) -> str:
    """A sentence that stops at a line's end without its full stop and runs on into a dash line
    ("… báo cáo kết quả về Cục X" / "- Cơ quan thường trực … trước ngày 20 hằng tháng …"): the
    report's time or channel is in that line, quoted with it."""
    if _SENTENCE_END.search(quote):
        return quote
    lines = text.splitlines()
    for number, line in enumerate(lines[:-1]):
        if collapse_ws(line).endswith(quote[-60:]) and _DASH_LINE.match(lines[number + 1]):
            return quote + " " + collapse_ws(lines[number + 1])
    return quote


# how many reporting lines a general question is answered with (a plan states a handful)
MAX_LINES = 6
# where a report goes, in the order a plan's reporting is told: the issuing People's Committee
# first, then the central bodies it reports on to, then the bodies reports are delegated to
_ISSUER_WORDS = ("uy ban nhan dan tinh", "uy ban nhan dan thanh pho", "ubnd tinh", "ubnd thanh pho", "chu tich uy ban")
_CENTRAL_WORDS = ("bo ", "chinh phu", "thu tuong", "tinh uy", "thanh uy", "hoi dong nhan dan", "ban chi dao trung uong")


def _recipient_rank(record: Obligation) -> int:
    """0: the issuer (UBND tỉnh / thành phố, directly or through a body); 1: the central and
    Party bodies (Bộ, Chính phủ, Tỉnh ủy, HĐND); 2: any other (a Sở, a steering committee)."""
    first = " ".join(match_tokens(record.recipient or "")) + " "
    if first.startswith(_ISSUER_WORDS):
        return 0
    return 1 if first.startswith(_CENTRAL_WORDS) else 2


def reporting_lines(reader: PlanReader, plan: PlanEvidence, timed_first: bool = False) -> list[Obligation]:
    """The plan's reporting lines for a general question ("Ai báo cáo cho ai, hạn khi nào?"): one
    row per sentence, those to the issuer first, then to central bodies, then delegated ones; a
    timed line before an untimed one, in the plan's order otherwise. When the question asks by
    when (`timed_first`), the lines that state a time lead whatever their recipient."""
    best: dict[tuple[str, str], tuple[int, int, int, Obligation]] = {}
    for order, record in enumerate(reader.records(plan.source, "reporting")):
        if not record.recipient or instruction_like(record.quote) \
                or reader.chunk_for(record).facts.withholds(record.quote):
            continue
        key = (record.section, " ".join(match_tokens(record.quote)))
        timed = 0 if record.due_date or record.relative or record.recurrence else 1
        first = best[key][2] if key in best else order
        if key not in best or (_recipient_rank(record), timed) < best[key][:2]:
            best[key] = (_recipient_rank(record), timed, first, record)
    def sort_key(entry: tuple[int, int, int, Obligation]) -> tuple[int, int, int]:
        return (entry[1], entry[0], entry[2]) if timed_first else (entry[0], entry[1], entry[2])
    return [entry[3] for entry in sorted(best.values(), key=sort_key)][:MAX_LINES]


def reporting_lines_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, records: list[Obligation],
                           citations: list[Citation]) -> str:
    """Several reporting lines, one a line, each cited: quoted whole from clean text, told in one
    sentence with canonical names from OCR-damaged text."""
    damaged = reader.ocr_damaged(plan.source)
    lines = [message("reporting_lines", title=plan.title) + ":"]
    for record in records:
        chunk = reader.chunk_for(record)
        if damaged:
            said = reporting_sentence(record)
            citations.append(citation(len(citations) + 1, chunk, record.quote))
        else:
            said = trim_quote(collapse_ws(record.quote), {t: 1.0 for t in match_tokens(prepared.info.text)})
            citations.append(citation(len(citations) + 1, chunk, said))
        lines.append(f"- ({record.section_label}) {said} [{len(citations)}]")
    return "\n".join(lines)
