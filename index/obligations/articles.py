"""A decision's articles in the preamble: "Giao Sở X …" and the addressees of "… chịu trách nhiệm
thi hành Quyết định này", each a lead."""

from __future__ import annotations

import re
from dataclasses import replace

from index.obligations.records import Obligation, _place, _Section
from index.obligations.sections import _RECIPIENTS_LIST, _extract_section
from lang.agencies import find_agencies
from lang.normalize import collapse_ws, match_tokens
from lang.sentences import split_sentences

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
    base = _place(section, province, year)
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


# an article of the issuing decision ("Điều 2. Giao Sở Nội vụ …"), wherever the passage's lines were joined
_ARTICLE_LINE = re.compile(r"(?:^|(?<=\s))Điều\s+\d+\s*[.:]\s*(?=[A-ZĐÀ-Ỹ]|$)", re.MULTILINE)


def in_decision_article(text: str, sentence: str) -> bool:
    """Is `sentence` of a preamble `text` inside an article of the decision that issues the plan
    ("Điều 2. … Giao Sở Nội vụ … báo cáo UBND tỉnh … trước ngày 05/12/2025"), before its recipients'
    list? Such an article assigns this plan's work, unlike the legal bases above it."""
    at = text.find(sentence[:60])
    if at < 0:
        return False
    opened = [m.start() for m in _ARTICLE_LINE.finditer(text, 0, at + 1)]
    if not opened:
        return False
    return _RECIPIENTS_LIST.search(text, opened[-1], at) is None
