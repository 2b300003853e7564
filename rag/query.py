"""The one analysis of a question (`QueryInfo`, made once by `analyze`): what is asked (kinds of
fact and the slots an answer must fill), the agencies, which plans (province, year, file, topic),
the question without its plan-naming phrase, and whether it is a request the assistant must refuse
(invent facts, reveal its instructions). Cue words are data: prompts/cues_vi.toml (rag/cues.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from index.metadata import find_provinces
from lang.agencies import find_agencies
from lang.dates import DAY, MONTH, SEPARATOR
from lang.lexicon import provinces_also, spell_out
from lang.normalize import ABBREVIATIONS, clean_text, content_tokens, fold, match_tokens
from lang.numbers import DOCUMENT_NUMBER  # re-exported: rag/scope.py reads it from here
from lang.provinces import patterns
from rag.cues import (
    any_cue,
    checks_premise,
    group,
    has_cue,
    matching,
    names_money,
    plan_wording,
    without_homographs,
)
from rag.query_bodies import asked_agencies

_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
_STATED_DATE = re.compile(rf"\b{DAY}{SEPARATOR}{MONTH}\b")  # "31/3", "15/11/2025"
_SOURCE = re.compile(r"[\w.-]+\.(?:txt|md|docx|pdf)\b", re.IGNORECASE)

def _has(folded: str, cue: str) -> bool:
    return has_cue(folded, cue)


@dataclass
class QueryInfo:
    """Everything the question path needs to know about a question, made once (`analyze`).

    `subject` is the question without the phrase that names the plan ("Theo kế hoạch năm 2024 của
    Thừa Thiên Huế, …", "… theo kế hoạch của Hưng Yên năm 2026"): the plan-naming words choose
    plans (rag/scope.py) and never rank passages, wherever they stand in the sentence."""

    text: str
    folded: str
    provinces: list[str]
    years: list[int]  # years that name a plan ("kế hoạch … năm 2024"), not targets, deadlines, numbers
    sources: list[str]
    kinds: list[str]
    content: list[str]
    invent: bool = False
    reveal: bool = False
    notes: list[str] = field(default_factory=list)
    periods: list[tuple[int, int]] = field(default_factory=list)  # each plan-naming year or period
    signed_years: list[int] = field(default_factory=list)  # "ban hành năm 2025": the signing year
    subject: str = ""  # the question without the plan-naming phrase
    asked: list[str] = field(default_factory=list)  # the slots whose values the answer must hold
    agencies: list[str] = field(default_factory=list)  # canonical names, abbreviations expanded
    money: bool = False  # a money figure is asked ("bao nhiêu tỷ đồng")
    quantity: bool = False  # any number is asked ("bao nhiêu", "mấy")
    # the measure the number is asked in, folded ("bao nhiêu trang" → "trang"): a sentence that
    # counts in it answers ("nâng tổng số lên 2.700.000 trang"), not one with any number ("100%")
    quantity_unit: str = ""
    person: bool = False  # a person's name is asked ("ai ký")
    asks_recipient: bool = False  # where a report goes ("gửi về đâu", "cho ai")
    # the question states a fact and asks whether it holds ("… đúng không?"): a wrong premise is
    # corrected from the plan, never declined (rag/answers/fallback.py)
    confirm: bool = False
    # what is asked about the document itself: "number", "signed", "signer", "issuer", "period"
    # (answered from the plan's metadata, rag/answers/metadata.py)
    document: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)  # document numbers named ("112/KH-UBND")
    # the words of the cues that say what kind of value is asked ("hạn khi nào", "báo cáo cho ai"):
    # they select answer units and bonus sentences of that kind, never rank passages by topic
    cue_words: frozenset[str] = frozenset()
    # plans named by their number alone ("KH 153", "kế hoạch số 86", "QĐ 2820": the decision
    # issuing the plan), without the symbol a full number carries ("153/KH-UBND" is in `numbers`)
    plan_refs: list[int] = field(default_factory=list)
    typed: str = ""  # the question as typed; `text` is it with its shorthand spelled out
    # a province read from an abbreviation that may name others too ("HN": Hà Nội, also Hà Nam)
    # → those others; the question reaches the plans of whichever is indexed (rag/scope.py)
    provinces_also: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def hostile(self) -> bool:
        return self.invent or self.reveal

    @property
    def subject_folded(self) -> str:
        return fold(self.subject or self.text)


def _asks_to_invent(text: str, folded: str) -> bool:
    """A request to make something up ("hãy bịa", "giả sử …"). Folding merges words: "đánh giá sự
    phù hợp" folds to the cue "gia su"; a question typed with diacritics is read as written."""
    if not any_cue(folded, group("refuse")["invent"]):
        return False
    written = " ".join(text.lower().split())
    # a cue typed without diacritics is read as typed, also beside a body name the analysis wrote
    # out with its diacritics ("tu nghi ra han chot cho Sở Tài chính")
    return any_cue(written, group("refuse")["invent_written"]) or any_cue(written, group("refuse")["invent"])


def analyze(question: str) -> QueryInfo:
    """The one analysis of a question: the same for any word order, with or without diacritics,
    abbreviations spelled out or not, the plan named first, in the middle, last or not at all."""
    typed = clean_text(question).strip()
    # a document number typed in lower case ("27/kh-skhcn") is the number its plan prints in capitals
    # (its symbol is upper case in the genre): read, and kept from slip correction, as such
    typed_numbers = _LOWER_NUMBER.sub(lambda m: m.group(0).upper(), typed)
    text = spell_out(typed_numbers)  # "kh 153", "bc", "CA tỉnh", "ĐN": the formal wording (lang/lexicon.py)
    text = plan_wording(text)  # "ai phụ trách" → "ai chủ trì": the plans' word (prompts/cues_vi.toml)
    # an abbreviation typed in lower case ("so tttt", "ttdn") is the abbreviation in the whole text
    # too, as in the subject: OCR repair would read "tttt" as a word ("tut") and lose the body
    text = _ABBREVIATION.sub(lambda m: m.group(0).upper(), text)
    folded = " ".join(fold(text).split())
    asked_text = without_opening(text)  # "Xin hỏi: Còn năm 2025 thì …" names the plan as "Còn năm 2025 …" does
    periods, signed_years = plan_years(asked_text)
    years = sorted({lo for lo, _ in periods})
    provinces = find_provinces(text)
    named_years = {y for span in periods for y in span} | set(signed_years)
    refs = plan_refs(folded, named_years)
    subject = plan_subject(asked_text, provinces, named_years, refs)
    subject_folded = " ".join(fold(subject).split())
    document = document_asked(folded)
    if document:
        # "số hiệu bao nhiêu?": the document's number is asked, not a quantity
        for phrase in group("document")["not_quantity"]:
            subject_folded = re.sub(rf"\b{re.escape(phrase)}\b", " ", subject_folded)
    # the plan's own period ("kéo dài trong thời gian nào") is a span the plan states, not a
    # task's due date: no date slot must hold it
    asked = [name for name in [*matching(subject_folded, "slots"), *_opening_slots(subject_folded)]
             if not (name == "deadline" and "period" in document)]
    sent = _sent_to_asked(subject_folded)
    if sent and "recipient" not in asked:
        asked.append("recipient")
    asked = list(dict.fromkeys(asked))
    named_money = names_money(subject_folded, asked)  # "mức chi đặc thù … khi nào?" names the task
    asked = [name for name in asked if not (named_money and name == "amount")]
    kinds = [name for name in group("kinds") if name in matching(without_homographs(text, name, folded), "kinds")
             or (sent and name == "reporting")]
    agencies = asked_agencies(text, subject)  # not the issuer naming the plan
    confirm = checks_premise(typed, folded)
    if confirm and agencies and not kinds and not asked and not document \
            and not any_cue(folded, group("amount")["money"]) and not _STATED_DATE.search(folded):
        # "… giao Sở Nội vụ chỉ đạo … hả?": a yes/no question stating a body's task asks who does it;
        # one stating a date ("… trước 31/3/2025 phải ko") checks that date, read by the time units
        kinds = ["lead"]
    return QueryInfo(
        text=text,
        folded=folded,
        provinces=provinces,
        years=years,
        sources=[m.group(0) for m in _SOURCE.finditer(text)],
        kinds=kinds,
        content=content_tokens(asked_text),
        invent=_asks_to_invent(text, folded),
        reveal=any_cue(folded, group("refuse")["reveal"]),
        periods=periods,
        signed_years=signed_years,
        subject=subject,
        asked=asked,
        agencies=agencies,
        money=any_cue(folded, group("amount")["money"]) and not named_money,
        quantity=any_cue(subject_folded, group("amount")["quantity"]),
        quantity_unit=quantity_unit(subject_folded),
        person=any_cue(folded, group("person")["name"]),
        asks_recipient=any_cue(subject_folded, group("recipient")["asks"]),
        confirm=confirm,
        cue_words=_cue_words(subject_folded),
        document=document,
        numbers=[m.group(0).replace(" ", "") for m in DOCUMENT_NUMBER.finditer(text)],
        plan_refs=refs,
        typed=typed,
        provinces_also={k: v for k, v in provinces_also(typed).items() if k in provinces},
    )


def quantity_unit(folded: str) -> str:
    """The word after "bao nhiêu" / "mấy" (folded): the measure a number is asked in."""
    for phrase in group("amount")["quantity"]:
        match = re.search(rf"\b{re.escape(phrase)}\s+([a-z]+)\b", folded)
        if match:
            return match.group(1)
    return ""


# "kế hoạch 153", "kế hoạch số 86", "quyết định 2820" (folded, shorthand spelled out), not a full
# number ("153/KH-UBND") nor a year ("kế hoạch 2025" names the plan's year)
_PLAN_REF = re.compile(r"\b(?:ke hoach|quyet dinh)(?: so)?\s*(\d{1,5})\b(?!\s*/)")


def plan_refs(folded: str, years: set[int]) -> list[int]:
    """The plan numbers named without their symbol."""
    found = [int(m.group(1)) for m in _PLAN_REF.finditer(folded)]
    return list(dict.fromkeys(n for n in found if n not in years and not 1980 <= n <= 2100))


# a document number typed in lower case, its symbol with a dash at least ("27/kh-skhcn",
# "641/ctr-stttt-bchbdbp"); no unit ("1 lần/năm") nor date ("15/11") is one
_LOWER_NUMBER = re.compile(r"\b\d{1,5}\s*/\s*(?:\d{4}\s*/\s*)?[a-zđ][a-zđ0-9]*(?:-[a-zđ0-9&]+)+\b")


def document_asked(folded: str) -> list[str]:
    """What a question asks about the document itself (prompts/cues_vi.toml [document]): its
    number, signing date, signer, issuer, period. An "issuer_end" cue counts only where it ends a
    clause ("… do cơ quan nào ban hành?"): followed by an object, it asks about a task."""
    cues = group("document")
    if not (any_cue(folded, cues["plan"]) or re.search(r"\d+ ?/ ?[a-z]", folded)):
        return []  # no plan spoken of
    # Another document asked about ("Hiệp định Paris ký ngày nào?", "từ ngày ban hành") — but not
    # one the plan's own name holds ("Kế hoạch triển khai Quyết định 06/QĐ-TTg …", "Kế hoạch thực
    # hiện Chương trình …"), nor the decision that issues the plan ("Quyết định ban hành Kế hoạch
    # … do ai ký?": Decree 30/2020 plans are often issued by one; its number is the plan's).
    plan_at = re.search(r"\b(?:ke hoach|kh)\b", folded)
    before_plan = folded[: plan_at.start()] if plan_at else folded
    # after the plan's name begins, another document is the one asked only when the ask follows
    # it at once ("Kế hoạch triển khai Quyết định số mấy của Thủ tướng?")
    asked_other = any(re.search(r"\b" + re.escape(word) + r"(?: so)? (?:may|nao|gi|bao nhieu)\b", folded)
                      for word in cues["other"])
    issuing = any_cue(folded, cues["issuing"])
    if any_cue(folded, cues["other_anywhere"]) or (
            (any_cue(before_plan, cues["other"]) or asked_other) and not issuing):
        return []
    asked = [name for name in FIELDS_ASKED if any_cue(folded, cues[name])]
    if "issuer" not in asked and any(
            re.search(r"(?<![a-z0-9])" + re.escape(p) + r"(?: (?:ke hoach|van ban)(?: (?:nay|tren|do))?)?\s*(?:[?.!,;]|\s+va\b|$)",
                      folded) for p in cues["issuer_end"]):
        asked.append("issuer")
    if "number" not in asked and any(
            re.search(r"(?<![a-z0-9])" + re.escape(p) + r"\s*(?:[?.!,;]|\s+va\b|$)", folded) for p in cues["number_end"]):
        asked.append("number")
    if "issuer" not in asked and _issuer_of_named_plan(folded, cues["issuer_end"]):
        asked.append("issuer")
    if ("issuer" in asked or "number" in asked) and "signed" not in asked and any_cue(folded, cues["date_asked"]):
        asked.append("signed")  # "do cơ quan nào ban hành, ngày nào?": the date it was issued on
    if "period" not in asked and _plan_runs_when(folded, cues):
        asked.append("period")
    return asked


FIELDS_ASKED = ("number", "signed", "signer", "issuer", "period", "province")

# a plan the plan asks for ("… ban hành kế hoạch chi tiết …"): a task's product, not the plan asked about
_PRODUCT_PLAN = ("chi tiet", "cu the", "rieng", "cua")


def _issuer_of_named_plan(folded: str, ends: tuple[str, ...]) -> bool:
    """"Ai ký, do cơ quan nào ban hành Kế hoạch hỗ trợ chuyển đổi số …?": the object of the issuing
    verb is the plan the question names there and nowhere before, so its issuer is asked (the
    order of the clauses changes nothing)."""
    for phrase in ends:
        match = re.search(r"(?<![a-z0-9])" + re.escape(phrase) + r" (?:ke hoach|kh)\b(?: (\w+ \w+))?", folded)
        if match and not re.search(r"\b(?:ke hoach|kh)\b", folded[:match.start()]) \
                and not (match.group(1) or "").startswith(_PRODUCT_PLAN):
            return True
    return False


def _plan_runs_when(folded: str, cues: dict[str, tuple[str, ...]]) -> bool:
    """The plan itself is the subject of a time asked ("Kế hoạch … thực hiện trong thời gian
    nào?", "Đợt thi đua … kéo dài đến khi nào?"): the question opens on the plan, ends on a verb
    of running and the time asked, and names no body (with one, a task's time is asked: "Kế hoạch
    X: Sở Y triển khai việc Z đến khi nào?")."""
    if not re.match(r"(?:theo )?(?:" + "|".join(re.escape(p) for p in cues["plan"]) + r")\b", folded):
        return False
    verbs = "|".join(re.escape(v) for v in cues["period_verb"])
    asks = "|".join(re.escape(a) for a in cues["period_ask"])
    asked = re.search(rf"\b(?:duoc )?(?:{verbs}) (?:{asks})\s*[?.!]*\s*$", folded)
    if not asked:
        return False
    clauses = re.split(r"[,:;]", folded[:asked.start()])
    if len(clauses) > 1 and any_cue(clauses[-1], cues["item_subject"]):
        return False  # "Theo kế hoạch X, nội dung Y thực hiện …": the clause's subject is an item
    return all(a.name.startswith(("Ủy ban nhân dân", "Hội đồng nhân dân")) for a in find_agencies(folded))


def _sent_to_asked(folded: str) -> bool:
    """A clause that sends something and asks where to, words between ("gửi kết quả kiểm tra bếp
    ăn tập thể cho cơ quan nào?") (prompts/cues_vi.toml [recipient])."""
    cues = group("recipient")
    for clause in re.split(r"[,;:?]", folded):
        verbs = [m.start() for verb in cues["send_verbs"]
                 for m in re.finditer(rf"(?<![a-z0-9]){verb}(?![a-z0-9])", clause)]
        asks = [m.start() for ask in cues["after_send"]
                for m in re.finditer(rf"(?<![a-z0-9]){ask}(?![a-z0-9])", clause)
                if _ends_ask(clause[m.end():], cues["after_send_next"])]
        if verbs and asks and min(verbs) < max(asks):
            return True
    return False


def _ends_ask(rest: str, next_words: tuple[str, ...]) -> bool:
    """The words after an asked recipient end its clause, or go on with a listed word ("… và trong
    thời hạn bao lâu?"), not with a verb of its own ("cho cơ quan nào thẩm định?")."""
    rest = " ".join(re.findall(r"[a-z0-9]+", rest))
    return not rest or any(rest == w or rest.startswith(w + " ") for w in next_words)


def _opening_slots(folded: str) -> list[str]:
    """The slots a question asks by the noun it opens on ("hạn bc quý của huyện?") or ends on
    alone (", hạn chót?") (prompts/cues_vi.toml [slot_openings])."""
    words = re.findall(r"[a-z0-9]+", folded)
    text = " ".join(words)
    last_clause = re.split(r"[,;:]", folded.rstrip(" ?!."))[-1].split()
    return [name for name, phrases in group("slot_openings").items()
            if any(text.startswith(p + " ") or last_clause == p.split() for p in phrases)]


def _cue_words(folded: str) -> frozenset[str]:
    """The words of the cues that ask *when*, *how often* and *to whom* ("hạn khi nào", "báo cáo
    cho ai"). Cues that also name what a passage is about ("tổng hợp báo cáo", "chủ trì", "ban
    hành ngày") stay content."""
    phrases = [p for slot in ("deadline", "frequency", "recipient") for p in group("slots")[slot]]
    phrases += list(group("kinds")["deadline"])
    words = {w for p in phrases if has_cue(folded, p) for w in p.split()}
    opening = " ".join(re.findall(r"[a-z0-9]+", folded)[:2])
    words.update(w for p in group("followup")["openers"] if has_cue(opening, p) and opening.startswith(p) for w in p.split())
    return frozenset(words)


def is_follow_up(info: QueryInfo) -> bool:
    """A turn that leans on the one before it ("Còn Sở Y tế thì sao?", "Cơ quan đó …")."""
    return len(info.content) <= 5 or any_cue(info.folded, group("followup")["cues"]) \
        or _ANAPHOR.search(info.folded) is not None


# A noun taken up by a demonstrative ("cơ quan này", "đơn vị ấy", "kế hoạch trên") points back to
# the previous exchange; "năm nay" and "hiện nay" mean *now* and do not. Folded "sở đó"/"ban đó"
# are also "sơ đồ"/"bản đồ" (a diagram, a map): not listed (a short "Sở đó…?" is a follow-up anyway).
_ANAPHOR = re.compile(r"\b(?:co quan|don vi|nganh|dia phuong|ke hoach|van ban|nhiem vu|viec|hoat dong"
                      r"|bao cao|thoi han|han|chuong trinh|de an|cai|muc|khoan|diem|phan) (?:do|nay|ay|tren|noi tren)\b")

_WORD = re.compile(r"[a-z0-9]+")
# an abbreviation typed in lower case ("ubnd", "ttdn") is read as the abbreviation, not as a word
# that OCR repair would "correct"
_ABBREVIATION = re.compile(r"\b(?:" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")\b")
# "Ủy ban nhân dân" / "UBND" joins a naming phrase only right before the province ("của UBND tỉnh X")
_BODY_JOINERS = {"ubnd", "uy", "nhan", "dan"}


def plan_subject(text: str, provinces: list[str], years: set[int], refs: list[int] | None = None) -> str:
    """The question without the phrase that names its plan: the province, the plan's years and
    "kế hoạch", with the words that join them ("theo", "của", "tỉnh", "năm", "giai đoạn"), cut out
    wherever they stand; "kế hoạch 153" / "kế hoạch số 86" when `refs` holds the number (a full
    number, "Kế hoạch số 07/KH-UBND", may be the subject itself and stays). A clause mark ends a
    phrase. What is left is what the question asks."""
    folded = fold(text)
    if len(folded) != len(text):  # folding changed the length (rare characters): cut the folded text
        text = folded
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(folded)]
    if not words:
        return text
    tokens = [w for _, _, w in words]
    anchor = [False] * len(tokens)
    names = set(provinces)
    for name, pattern in _province_patterns():
        if name not in names:
            continue
        n = len(pattern)
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i:i + n]) == pattern:
                anchor[i:i + n] = [True] * n
    for i, tok in enumerate(tokens):
        if tok.isdigit() and len(tok) == 4 and int(tok) in years:
            anchor[i] = True
    for i in range(len(tokens) - 1):
        # "kế hoạch" names the plan when it opens the question or follows "theo/trong/thuộc/của";
        # "xây dựng kế hoạch …", "tổng hợp việc thực hiện kế hoạch" are what is asked about
        numbered = i + 3 < len(tokens) and tokens[i + 2] == "so" and tokens[i + 3].isdigit()
        if (tokens[i], tokens[i + 1]) == ("ke", "hoach") and not numbered and (
                i == 0 or tokens[i - 1] in ("theo", "trong", "thuoc")):
            anchor[i] = anchor[i + 1] = True
        if (tokens[i], tokens[i + 1]) == ("ke", "hoach") and refs:
            at = i + 3 if i + 3 < len(tokens) and tokens[i + 2] == "so" else i + 2
            if at < len(tokens) and tokens[at].isdigit() and int(tokens[at]) in refs \
                    and not re.match(r"\s*/", folded[words[at][1]:]):
                anchor[i:at + 1] = [True] * (at + 1 - i)
    joiners = set(group("naming")["joiners"])

    def joined(a: int, b: int) -> bool:  # no clause mark between word a and word b
        return not re.search(r"[,;:?!.()]", folded[words[a][1]:words[b][0]])

    def joiner(i: int) -> bool:
        tok = tokens[i]
        if tok == "so":  # "Sở" is an agency; "số 12/KH-UBND" may be another document (stays)
            return False
        if tok in _BODY_JOINERS:
            return True
        if tok == "doan" and tokens[i - 1:i] != ["giai"]:
            return False  # folded "đoàn" of a body ("Tỉnh đoàn X"), not "giai đoạn"
        return tok in joiners or (tok.isdigit() and anchor[i])

    marked = list(anchor)
    changed = True
    while changed:
        changed = False
        for i in range(len(tokens)):
            if marked[i]:
                continue
            left = i > 0 and marked[i - 1] and joined(i - 1, i)
            right = i + 1 < len(tokens) and marked[i + 1] and joined(i, i + 1)
            if (left or right) and joiner(i) and (tokens[i] not in _BODY_JOINERS or right):
                marked[i] = changed = True
    # a run that holds no anchor is ordinary words ("của", "trong"); a run of joiners with an anchor
    # is the naming phrase
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if not marked[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and marked[j + 1] and joined(j, j + 1):
            j += 1
        if any(anchor[i:j + 1]):
            spans.append((words[i][0], words[j][1]))
        i = j + 1
    if not spans:
        return text
    out, last = [], 0
    for a, b in spans:
        out.append(text[last:a])
        out.append(" ")
        last = b
    out.append(text[last:])
    subject = " ".join("".join(out).split())
    subject = re.sub(r"\(\s*\)", " ", subject)  # "(KH 172)" cut out of its brackets
    subject = " ".join(subject.split())
    subject = re.sub(r"\s+([,;:?!.])", r"\1", subject)
    subject = re.sub(r"^[\s,;:.\-–]+|(?<=[,;:])[\s,;:]+(?=[?!.]?$)", "", subject)
    subject = re.sub(r"[\s,;:\-–]+([?!.]?)$", r"\1", subject).strip()
    subject = _ABBREVIATION.sub(lambda m: m.group(0).upper(), subject)
    return subject if any(ch.isalpha() for ch in subject) and len(_WORD.findall(fold(subject))) >= 2 else text


@lru_cache(maxsize=1)
def _province_patterns() -> list[tuple[str, tuple[str, ...]]]:
    return patterns()


# A year right after these (folded) words is a target, deadline or an activity's time, not the
# plan's: "đến năm 2030", "trước năm 2026", "trong năm 2026", "vào năm 2025", "tầm nhìn 2045".
_ROLE_BEFORE = {"den", "toi", "truoc", "sau", "trong", "vao", "dat", "tu", "nhin", "huong", "han", "dau"}
# Words that end the phrase naming a plan: after them a year belongs to what the plan asks for.
_PHRASE_BREAK = {"muc", "chi", "dat", "hoan", "bao", "gui", "thoi", "han", "phan", "giao", "nop", "yeu", "nhiem",
                 "phai"}
_PLAN_WORDS = (("ke", "hoach"), ("kh",))
# the role words as written with their marks (folded, "tử", "hàn", "trọng" read as "từ", "hạn", "trong")
_ROLE_WRITTEN = {"đến", "tới", "trước", "sau", "trong", "vào", "đạt", "từ", "nhìn", "hướng", "hạn", "đầu"}
_ACCENTED_WORD = re.compile(r"\b\w*[^\W\d_a-zA-Z]\w*\b")


def _role_as_written(word: str) -> bool:
    """Keep a word with marks unless it folds to a role word it is not ("tử" for "từ")."""
    folded = fold(word)
    return folded not in _ROLE_BEFORE or word.lower() in _ROLE_WRITTEN
# typed in lower case too ("kh 2047/kh-ubnd"): for telling a number from a year only
_ANY_CASE_NUMBER = re.compile(DOCUMENT_NUMBER.pattern, re.IGNORECASE)
_SIGNING = (("ban", "hanh"), ("ky",), ("ky", "ban", "hanh"))


def plan_years(question: str) -> tuple[list[tuple[int, int]], list[int]]:
    """The years (as ranges) by which a question names plans, and the signing years it names.

    A year names a plan when it belongs to the phrase that names the plan: "Kế hoạch thông tin
    đối ngoại năm 2024", "kế hoạch xuất khẩu giai đoạn 2026 - 2030", "Hưng Yên năm 2026",
    "năm 2024 của tỉnh Vĩnh Phúc". It does not when it is a target or horizon ("đến năm 2030"), a
    deadline ("trước ngày 15/12/2025", "trong năm 2026"), the time of an activity ("Thời gian thực
    hiện: Năm 2026 và các năm tiếp theo", "mục tiêu giai đoạn 2026 - 2030"), or part of a document
    number ("197/2025/QH15") or date."""
    text = clean_text(question)
    text = _ANY_CASE_NUMBER.sub(" ", text)  # "2047/KH-UBND", "2047/kh-ubnd", "197/2025/QH15": not years
    text = re.sub(rf"\b{DAY}{SEPARATOR}(?:{MONTH}{SEPARATOR})?(?:19|20)\d\d\b", " ", text)  # dates
    text = re.sub(r"((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)", r"\1 đến \2", text)
    # folded, "điện tử" ends in the role word "từ" (from): a word written with its marks is a role
    # word only when it is one ("Kế hoạch thương mại điện tử năm 2025" names a plan)
    text = _ACCENTED_WORD.sub(lambda m: m.group(0) if _role_as_written(m.group(0)) else "x", text)
    # a clause break (",", ";", ":", ".") ends the phrase that names a plan; a comma inside a name
    # ("Kế hoạch phòng, chống sốt xuất huyết năm 2025") is followed by a lower-case word and does not
    tokens: list[str] = []
    for piece, mark, after in re.findall(r"([^,;:.?!()]*)([,;:.?!()]|$)(?=(\s*\w?))", text):
        tokens.extend(match_tokens(piece))
        if mark == "," and after.strip() and after.strip().islower() and not after.strip().isdigit():
            continue
        tokens.append(":" if mark in ":()" else "|")  # after "Thời gian thực hiện:" or "(" comes a value
    periods: list[tuple[int, int]] = []
    signed: list[int] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not _YEAR.fullmatch(tok):
            i += 1
            continue
        year, end = int(tok), int(tok)
        j = i + 1
        # "2026 đến 2030", "năm 2025 đến hết năm 2030"
        k = j
        while k < len(tokens) and tokens[k] in ("den", "nam", "het") and k - j < 3:
            k += 1
        if k > j and "den" in tokens[j:k] and k < len(tokens) and _YEAR.fullmatch(tokens[k]):
            end, j = int(tokens[k]), k + 1
        if i >= 3 and tokens[i - 1] == "nam" and tokens[i - 3] == "thang":
            i = j  # "ngày 15 tháng 12 năm 2025": a date
            continue
        before = [t for t in tokens[max(0, i - 3) : i] if t not in ("nam", "het", "giai", "doan", "ca")]
        if before[-2:-1] == ["quy"] or before[-1:] == ["quy"]:
            i = j  # "quý IV năm 2025": when something is done
            continue
        if before and before[-1] in _ROLE_BEFORE and end == year:
            i = j
            continue
        if tokens[i - 1 : i] == ["so"]:  # "Kế hoạch số 2047": the plan's number
            i = j
            continue
        if before and before[-1] in ("den",):  # "từ nay đến 2030"
            i = j
            continue
        back = tokens[max(0, i - 4) : i]
        if any(tuple(back[n : n + len(w)]) == w for w in _SIGNING for n in range(len(back))):
            signed.append(year)
            i = j
            continue
        if _names_plan(tokens, i, j):
            periods.append((year, end))
        i = j
    return periods, signed


def _names_plan(tokens: list[str], start: int, end: int) -> bool:
    """Is the year at tokens[start:end] part of the phrase that names a plan?"""
    # a year that opens the question or a clause is its frame: "Năm 2024, Huế …", "Còn năm 2025 thì …"
    opening = []
    for back in range(start - 1, -1, -1):
        if tokens[back] in ("|", ":"):
            opening.append(tokens[back])
            break
        opening.append(tokens[back])
    if ":" not in opening and all(t in ("|",) or t in ("con", "the", "vay", "nam", "va", "rieng", "doi", "voi") for t in opening):
        return True
    # "kế hoạch … năm 2024" in the same clause, with no role word between
    for back in range(start - 1, max(-1, start - 16), -1):
        tok = tokens[back]
        if tok in ("|", ":"):
            break
        pair = tuple(tokens[back : back + 2])
        if pair == ("ke", "hoach") or tok == "kh":
            return True
        if tok in _PHRASE_BREAK:
            break
    # "tỉnh Hưng Yên năm 2026" / "năm 2024 của tỉnh Vĩnh Phúc": a province next to the year
    near_before = " ".join(tokens[max(0, start - 5) : start])
    after = tokens[end : end + 8]
    while after and after[0] in ("cua", "o", "tai", "tren", "dia", "ban", "tinh", "thanh", "pho", "tp", "ubnd"):
        after = after[1:]
    near_after = " ".join(after)
    for name in _province_keys():
        if near_before.endswith((name + " nam", name)) or near_after.startswith(name):
            return True
    return False


def _province_keys() -> list[str]:
    return [" ".join(p) for _, p in patterns()]


def without_opening(text: str) -> str:
    """The question without a polite opening ("Xin hỏi:", "Cho tôi hỏi,", "Vui lòng cho biết"):
    it asks nothing, and a word of it no plan uses ("xin") would weigh against every passage."""
    folded = fold(text).split()
    for phrase in sorted(group("opening")["phrases"], key=len, reverse=True):
        words = phrase.split()
        if len(folded) > len(words) and [w.strip(",:;.!?-") for w in folded[:len(words)]] == words:
            return text.split(maxsplit=len(words))[-1].lstrip(",:;.!?- ")
    return text
