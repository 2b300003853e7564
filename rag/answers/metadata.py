"""Questions about the document itself: its number, signing date, issuer, signer and period
("Kế hoạch … có số hiệu gì, ký ngày nào?", "Ai ký Kế hoạch 45/KH-SNNMT?"). They are answered
from the plan's metadata read at ingest (index/metadata.py), cited where the plan states it: the
header (`preamble`), the signature's section (`closing`), the title or time section for the period."""

from __future__ import annotations

import re

from index.metadata import find_provinces
from index.models import Chunk, DocumentMeta
from lang.normalize import collapse_ws, match_tokens
from lang.numbers import document_key
from lang.provinces import with_kind
from rag.answers.common import citation, date_vi
from rag.answers.reader import PlanReader
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message, slot
from rag.types import Citation

FIELDS = ("number", "signed", "issuer", "signer", "period", "province")
_SECTION_LABELS = {"preamble": "Phần mở đầu", "closing": "Phần kết"}


def _authority(chain: str | None) -> str | None:
    """"KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" → "Phó Chủ tịch (ký thay Chủ tịch)": the title the signer signs
    with, and on whose behalf. The signer's own title is the one under the last authority ("TM.
    BAN CHỈ ĐẠO / TRƯỞNG BAN / PHÓ CHỦ TỊCH UBND TỈNH" is signed by the Trưởng ban); a title after
    it is the post the signer holds concurrently."""
    if not chain:
        return None
    parts = [p.strip() for p in chain.split("/") if p.strip()]
    prefixes = {"KT.": "ký thay", "TL.": "thừa lệnh", "TUQ.": "thừa ủy quyền", "TM.": "thay mặt"}
    last = max((k for k, p in enumerate(parts) if p.split(" ", 1)[0] in prefixes), default=-1)
    # no title under the last authority ("TM. ỦY BAN NHÂN DÂN" alone), or no authority: the last line
    titles = parts[last + 1:] if 0 <= last < len(parts) - 1 else parts[-1:]
    own = _title_words(titles[0].split(". ", 1)[-1])
    behalf = [p for p in parts[: min(last + 1, len(parts) - 1)] if p.split(" ", 1)[0] in prefixes]
    notes = [f"{prefixes[p.split(' ', 1)[0]]} {_title_words(p.split(' ', 1)[1])}" for p in behalf if " " in p]
    notes += [slot("meta_concurrent", post=_title_words(p)) for p in titles[1:]]
    return own + (f" ({'; '.join(notes)})" if notes else "")


_TITLE_NAMES = ("chủ tịch", "giám đốc", "trưởng ban", "chánh văn phòng", "ủy ban nhân dân")


def _title_words(text: str) -> str:
    """A title printed in capitals, written as prose: "PHÓ CHỦ TỊCH UBND TỈNH NGHỆ AN" → "Phó Chủ
    tịch UBND tỉnh Nghệ An", "GIÁM ĐỐC SỞ Y TẾ" → "Giám đốc Sở Y tế"."""
    out = " ".join(text.lower().split())
    for name in _TITLE_NAMES:
        out = out.replace(name, name[0].upper() + name[1:])
    out = re.sub(r"\bubnd\b", "UBND", out)
    out = re.sub(r"\bsở (\w)", lambda m: "Sở " + m.group(1).upper(), out)
    for province in find_provinces(text):
        out = re.sub(re.escape(province.lower()), province, out)
    return out[0].upper() + out[1:]


_WRITTEN_DATE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.IGNORECASE)


def _written_date(iso: str, where: tuple[int, str] | None) -> str:
    """The signing date as the header writes it ("ngày 21 tháng 11 năm 2025"), the form readers
    search a decision by; without the header line, the same words from the date."""
    found = _WRITTEN_DATE.search(where[1]) if where is not None else None
    if found:
        return collapse_ws(found.group(0))
    year, month, day = iso.split("-")
    return f"ngày {int(day)} tháng {int(month)} năm {year}"


def _period(meta: DocumentMeta) -> str | None:
    years = sorted(meta.years)
    if not years:
        return None
    if len(years) == 1:
        return f"năm {years[0]}"
    return f"giai đoạn {years[0]}–{years[-1]}"


def _chunk_at(chunks: list[Chunk], line: int) -> Chunk | None:
    return next((c for c in chunks if c.start_line <= line <= c.end_line), None)


def _citation(number: int, meta: DocumentMeta, chunks: list[Chunk], section: str, line: int,
              quote: str) -> Citation:
    chunk = _chunk_at(chunks, line)  # the header is in no passage: it is the preamble
    if chunk is not None:
        section, label, title = chunk.section, chunk.section_label, chunk.section_title
    else:
        label = next((c.section_label for c in chunks if c.section == section), _SECTION_LABELS.get(section, section))
        title = ""
    return Citation(id=number, source=meta.source, doc_title=meta.title, section=section, section_label=label,
                    section_title=title, quote=collapse_ws(quote), start_line=line,
                    end_line=line + quote.count("\n"))  # a header field wrapped over lines


_NOT_TITLE = re.compile(r"^(?:căn cứ|theo đề nghị|xét đề nghị)|ngày \d{1,2} tháng \d{1,2}", re.IGNORECASE)


def _period_quote(meta: DocumentMeta, chunks: list[Chunk]) -> tuple[int, str] | None:
    """The line that states the plan's years: its title (the preamble line that shares most words
    with the title; not a legal basis "Căn cứ …", nor the place-and-date line), else its time
    section."""
    if not meta.years:
        return None
    years = [str(y) for y in sorted(meta.years)]
    title_words = set(match_tokens(meta.title))
    best: tuple[int, int, str] | None = None
    for chunk in chunks:
        if chunk.section != "preamble" and "thời gian" not in chunk.section_title.lower():
            continue
        for offset, line in enumerate(chunk.text.split("\n")):
            text = line.strip()
            if not text or not any(y in text for y in years) or _NOT_TITLE.search(text):
                continue
            shared = len(title_words & set(match_tokens(text)))
            if best is None or shared > best[0]:
                best = (shared, chunk.start_line + offset, text)
    return (best[1], best[2]) if best is not None else None


_TIME_HEADINGS = (("thoi", "gian", "thuc", "hien"), ("thoi", "gian", "trien", "khai"))
MAX_PERIOD_CHARS = 300


def _stated_period(chunks: list[Chunk]) -> tuple[Chunk, str] | None:
    """The period the body states under its own heading ("1. Thời gian thực hiện" then "Từ ngày
    ban hành Kế hoạch đến …", or "Thời gian thực hiện: năm 2026 …"): the heading's sentence, not a
    task's time column nor a point inside a task."""
    for chunk in chunks:
        if chunk.section in ("preamble", "closing") or chunk.section.startswith("PL"):
            continue
        lines = [line.strip() for line in chunk.text.split("\n") if line.strip()]
        for index, line in enumerate(lines):
            words = match_tokens(line)
            while words and (words[0].isdigit() or len(words[0]) == 1):  # "1. Thời gian …", "a) …"
                words = words[1:]
            _, colon, after = line.partition(":")
            # "1. Thời gian thực hiện" (then its line), or "1. Thời gian: từ nay đến năm 2030"
            if tuple(words[:4]) not in _TIME_HEADINGS and not (
                    tuple(words[:2]) == ("thoi", "gian") and colon and len(match_tokens(line.partition(":")[0])) <= 6
                    and any(ch.isdigit() for ch in after)):
                continue
            # the heading's own words after a colon, else the line that follows it
            stated = after.strip() if colon and after.strip() else (lines[index + 1] if index + 1 < len(lines) else "")
            if stated and len(stated) <= MAX_PERIOD_CHARS:
                return chunk, stated
    return None


def metadata_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence,
                    citations: list[Citation]) -> str | None:
    info = prepared.info
    asked = [f for f in FIELDS if f in info.document]
    snap = reader.store.snapshot()
    if not asked or snap is None or plan.source not in snap.docs:
        return None
    meta = snap.docs[plan.source].meta
    # a number the plan's own title holds names the plan ("Kế hoạch triển khai Quyết định
    # 06/QĐ-TTg … được ban hành bằng quyết định số mấy?"), as its own number does
    title_key = document_key(meta.title)
    others = [n for n in info.numbers if document_key(n) not in title_key]
    if others and not {document_key(n) for n in meta.all_numbers} & {document_key(n) for n in info.numbers}:
        return None  # the number named is another document's ("Kế hoạch số 07/KH-UBND … được viện dẫn")
    chunks = snap.chunks_of(plan.source)
    quotes = {name: (line, text) for name, line, text in meta.quotes}
    values = {
        # a joint plan has a number per issuer: both are its số hiệu
        "number": " và ".join(meta.all_numbers) or None,
        "signed": date_vi(meta.signed) if meta.signed else None,
        # a joint plan names every issuer and signer (KHLN, KHLT): one of them is half the answer
        "issuer": " và ".join(meta.issuers) if len(meta.issuers) > 1 else meta.issuer,
        "signer": meta.signer,
        "period": _period(meta),
        "province": with_kind(meta.province) if meta.province else None,
    }
    parts: list[str] = []
    missing: list[str] = []
    header_cited: dict[int, int] = {}  # header line → its citation's number (number and date share one)
    for name in asked:
        value = values[name]
        if name == "period" and (stated := _stated_period(chunks)) is not None:
            # the body states the period in so many words: its sentence, cited where it stands,
            # with the title's years when the title names them
            chunk, sentence = stated
            citations.append(citation(len(citations) + 1, chunk, sentence))
            said = slot("meta_period", period=collapse_ws(sentence).rstrip(".")) + f" [{len(citations)}]"
            where = _period_quote(meta, chunks)
            if value and where is not None:
                citations.append(_citation(len(citations) + 1, meta, chunks, "preamble", *where))
                said += "; " + slot("meta_period_title", period=value) + f" [{len(citations)}]"
            parts.append(said)
            continue
        if not value:
            missing.append(slot("meta_part_" + name))
            continue
        if name == "signer" and len(meta.signers) > 1:
            signed_by: list[str] = []
            for k, (person, chain) in enumerate(meta.signers):
                authority = _authority(chain)
                kind = "meta_signer" if k == 0 else "meta_cosigner"
                text = slot(kind + "_authority", signer=person, authority=authority) if authority \
                    else slot(kind, signer=person)
                where = next(((n, t) for f, n, t in meta.quotes if f == "signer" and t == person), None)
                if where is not None:
                    citations.append(_citation(len(citations) + 1, meta, chunks, "closing", *where))
                    text += f" [{len(citations)}]"
                signed_by.append(text)
            parts.append(" và ".join(signed_by))
            continue
        numbered = [(n, t) for f, n, t in meta.quotes if f == "number"]
        if name == "number" and len(numbered) > 1:
            # a joint plan: each number cited where its issuer's block prints it
            cited_numbers: list[str] = []
            for printed, (line, quote) in zip(meta.all_numbers, numbered, strict=False):
                citations.append(_citation(len(citations) + 1, meta, chunks, "preamble", line, quote))
                header_cited.setdefault(line, len(citations))
                cited_numbers.append(f"{printed} [{len(citations)}]")
            parts.append(slot("meta_number", number=" và ".join(cited_numbers)))
            continue
        if name == "signer":
            authority = _authority(meta.signer_authority)
            text = slot("meta_signer_authority", signer=value, authority=authority) if authority \
                else slot("meta_signer", signer=value)
        elif name == "signed" and meta.signed:
            text = slot("meta_signed_written", date=value, written=_written_date(meta.signed, quotes.get("signed")))
        else:
            text = slot("meta_" + name, **{name: value})
        where = quotes.get(name) if name != "period" else _period_quote(meta, chunks)
        if where is None and name in ("period", "issuer", "province"):
            # a provincial plan states its province where its header states the issuer
            where = quotes.get("issuer") if name == "province" else None
        if where is None and name in ("period", "issuer", "province"):
            where = quotes.get("number")
        if where is None:
            parts.append(text)
            continue
        line, quote = where
        if name != "signer" and line in header_cited:
            # one header line states both: the citation quotes the line's columns together
            cited = citations[header_cited[line] - 1]
            if quote not in cited.quote:
                cited.quote = collapse_ws(f"{cited.quote} {quote}")
                cited.quote_display = cited.quote
            parts.append(f"{text} [{header_cited[line]}]")
            continue
        section = "closing" if name == "signer" else "preamble"
        citations.append(_citation(len(citations) + 1, meta, chunks, section, line, quote))
        header_cited[line] = len(citations)
        parts.append(f"{text} [{len(citations)}]")
    if not parts:
        return None
    if missing:
        parts.append(slot("meta_unknown", part=", ".join(missing)))
    own = [c for c in citations if c.source == plan.source]
    label = own[0].section_label if own else _SECTION_LABELS["preamble"]
    return message("according_to", title=plan.title, label=label) + ": " + "; ".join(parts) + "."
