"""Document metadata read the way administrative documents are laid out (Decree 30/2020/NĐ-CP,
Appendix I): issuing body, number and symbol, place and date, document type and summary title
(trích yếu), body, signer's authority and name.

Hand-written rather than a library: no parser for this layout exists, and the fields must be read
through English-model OCR damage ("Két luan sé" = "Kết luận số", "$6: 4155 /KH-UBND"), which is
done on the OCR-tolerant matching tokens of lang/normalize.py. A field that cannot be read is
None, never guessed: a handwritten day ("ngay A8 théng €") gives no signing date.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache

from index.header import (
    DOC_TYPES,
    YEAR,
    Header,
    date_in,
    doc_type_line,
    first_lines_end,
    is_upper,
    number_in,
    read_header,
    words_of,
)
from index.models import DocumentMeta, Section
from index.signature import COLUMN_GAP, read_signatures
from lang.normalize import clean_text, fold, match_tokens, skeleton
from lang.provinces import ALIASES, KNOWN, patterns, with_kind
from lang.short_names import plan_aliases
from lang.syllables import text_quality

log = logging.getLogger(__name__)

# Kept for callers that list the known names (bench/).
PROVINCES: dict[str, tuple[str, ...]] = {name: () for name in KNOWN}

_VIETNAMESE_MARKS = re.compile("[ăâêôơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹàáèìíòóùúýõãĩũ]")
_VIETNAMESE_MARK_CHARS = frozenset(_VIETNAMESE_MARKS.pattern.strip("[]"))


# Topics common in this genre, to name an OCR'd plan readably (folded form → Vietnamese).
_TOPICS = {
    "thong tin doi ngoai": "thông tin đối ngoại",
    "chuyen doi so": "chuyển đổi số",
    "cai cach hanh chinh": "cải cách hành chính",
    "phong chong thien tai": "phòng, chống thiên tai",
    "xay dung nong thon moi": "xây dựng nông thôn mới",
    "giam ngheo": "giảm nghèo",
    "an toan giao thong": "an toàn giao thông",
}


# --- provinces in running text ----------------------------------------------------------------
def _marked_where_name_is_not(printed: list[str], name: str) -> bool:
    """A printed word with a tone or vowel mark where the name's word has none ("Lam Sơn là" is not
    "Sơn La"): a different word, not OCR damage, which drops or swaps marks but rarely adds one."""
    forms = [w.lower() for w in name.split()]
    if len(forms) != len(printed):
        return False
    return any(_VIETNAMESE_MARKS.search(p.lower()) and not _VIETNAMESE_MARKS.search(f)
               for p, f in zip(printed, forms, strict=True))


@lru_cache(maxsize=512)
def _printed_forms(name: str, pattern: tuple[str, ...]) -> tuple[str, ...]:
    """The name and aliases of a province, as printed, that read as this pattern."""
    return tuple(f for f in (name, *ALIASES.get(name, ())) if tuple(match_tokens(f)) == pattern)


def find_provinces(text: str) -> list[str]:
    """Canonical provinces named in a text (folded, OCR-tolerant), in order of first mention."""
    words = words_of(text)
    tokens = [t for w in words for t in w.tokens]
    printed = [w.text.strip(".,;:()?!\"“”") for w in words for _ in w.tokens]
    hits: list[tuple[int, str]] = []
    used: set[int] = set()
    for name, pattern in patterns():
        n = len(pattern)
        forms = _printed_forms(name, pattern)
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i : i + n]) == pattern and not used.intersection(range(i, i + n)) \
                    and not all(_marked_where_name_is_not(printed[i : i + n], f) for f in forms):
                used.update(range(i, i + n))
                hits.append((i, name))
    found: list[str] = []
    for _, name in sorted(hits):
        if name not in found:
            found.append(name)
    return found


def looks_ocr_damaged(text: str) -> bool:
    """Clean Vietnamese has a diacritic in most syllables; English-model OCR output has few."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 30:
        return False
    marked = sum(1 for w in words if not _VIETNAMESE_MARK_CHARS.isdisjoint(w))
    return marked / len(words) < 0.25



# --- title and years ----------------------------------------------------------------------------
_BASIS = (["can", "cu"], ["thuc", "hien"], ["thue", "hien"], ["trien", "khai"], ["theo", "de"])


def _title_after(lines: list[str], start: int) -> str:
    """The trích yếu: the lines after the document type. Crawled text prints it in capitals on
    one line; OCR keeps the line breaks, so sentence-case lines are read up to the basis
    ("Căn cứ …", "Thực hiện …") or a blank line."""
    block: list[str] = []
    upper = None
    window = lines[start : start + 12]
    for at, line in enumerate(window):
        stripped = line.strip()
        if not stripped:
            if block and not _continues_after_blank(window[at + 1 :]):
                break
            continue
        tokens = match_tokens(stripped)
        if stripped.startswith("(") or tokens[:2] in (["kem", "theo"],):
            break  # "(Kèm theo Quyết định số …)"
        if upper is None:
            upper = is_upper(stripped)
        elif upper and not is_upper(stripped) or not upper and tokens[:2] in _BASIS:
            break
        if re.match(r"^(?:[IVX]{1,4}|\d{1,2})\s*\.", stripped):
            break  # the body's first heading: there is no title
        block.append(stripped)
        if len(block) == 4:
            break
    return " ".join(block)


def _continues_after_blank(rest: list[str]) -> bool:
    """A blank line inside the trích yếu: OCR re-wraps each printed line to the page width and
    leaves a blank line after it, so a title's next line follows a blank. It continues the title
    when it starts in lower case (a sentence-case title goes on; the basis, a heading or the
    issuing sentence start with a capital)."""
    following = next((line.strip() for line in rest if line.strip()), "")
    return bool(following) and following[0].isalpha() and following[0].islower()


def _plan_title_block(lines: list[str], first_type: int | None) -> tuple[str, str | None]:
    """(title, doc_type): the plan's own title. A decision that issues a plan ("QUYẾT ĐỊNH … Ban
    hành kèm theo Quyết định này Kế hoạch …") carries the plan after its signature, under its own
    "KẾ HOẠCH" heading: that title names the plan."""
    if first_type is None:
        return _title_after(lines, 0), None
    doc_type = DOC_TYPES[tuple(match_tokens(lines[first_type]))]
    if doc_type != "Kế hoạch":
        for i in range(first_type + 1, min(len(lines), first_type + 200)):
            if tuple(match_tokens(lines[i])) == ("ke", "hoach") and is_upper(lines[i]):
                return _title_after(lines, i + 1), doc_type
            if re.match(r"^I\s*\.\s", lines[i].strip()):
                break
    title = _title_after(lines, first_type + 1)
    qualifier = " ".join(lines[first_type].split()[2:])  # "KẾ HOẠCH LIÊN NGÀNH": the plan is a joint one
    if qualifier and title and not is_upper(title):
        title = f"{qualifier.lower()} {title[0].lower()}{title[1:]}"
    elif qualifier and title:
        title = f"{qualifier} {title}"
    return title, doc_type


_HORIZON = {"den", "toi", "truoc", "nhin", "huong"}  # "đến năm", "tầm nhìn", "định hướng", "trước"


def _years_in(text: str, start_year: int | None = None, time_section: bool = False) -> list[int]:
    """The years a title (or a plan's own "Thời gian thực hiện" section) says the plan covers.
    Not a year: a date ("ngày 15 tháng 8 năm 2024", "15/8/2024") or a cited document's number
    ("163/2024/QH15") — unless `time_section`, where dates bound the period; a horizon or target
    ("đến năm 2030", "tầm nhìn đến năm 2045") — unless `time_section`, where "từ nay đến năm 2030"
    is the period from `start_year`."""
    text = clean_text(text)
    dates: list[int] = []
    for m in re.finditer(r"\b\d{1,2}\s*/\s*(?:\d{1,2}\s*/\s*)?(\d{4})\b", text):
        dates.append(int(m.group(1)))
    text = re.sub(r"\b\d+\s*/\s*\d{4}\s*/\s*[A-ZĐa-zđ][\w-]*", " ", text)  # 163/2024/QH15
    text = re.sub(r"\b\d{1,2}\s*/\s*(?:\d{1,2}\s*/\s*)?\d{4}\b", " ", text)  # 15/8/2024, 11/2025
    text = re.sub(r"(\d{4})\s*[-–—]\s*(\d{4})", r"\1 den \2", text)  # 2026 - 2030
    # OCR spells "năm" "nim", "ndm", "tháng" "théng": read them by their consonant frame
    tokens = ["nam" if skeleton(t) == "n*m" else "thang" if skeleton(t) == "th*ng" else t for t in match_tokens(text)]
    years: set[int] = set()
    ranges: list[tuple[int, int]] = []
    for i, tok in enumerate(tokens):
        if not YEAR.match(tok):
            continue
        y = int(tok)
        before = tokens[max(0, i - 4) : i]
        if len(before) >= 3 and before[-1] == "nam" and before[-3] == "thang" and before[-2].isdigit():
            if time_section:
                dates.append(y)
            continue  # a date
        prev = [t for t in before if t not in ("nam", "het", "ca")]
        if prev and prev[-1] == "den" and i >= 1:
            # "A đến B", "từ năm A đến hết năm B", "giai đoạn 2026 - 2030"
            j = i - 1
            while j >= 0 and not YEAR.match(tokens[j]) and i - j <= 5:
                j -= 1
            between = set(tokens[j + 1 : i]) if j >= 0 else set()
            if j >= 0 and YEAR.match(tokens[j]) and "den" in between and between <= {"den", "nam", "het", "cuoi"}:
                ranges.append((int(tokens[j]), y))
                continue
            if time_section and "nay" in tokens[max(0, i - 5) : i] and start_year:
                ranges.append((start_year, y))  # "từ nay đến năm 2030"
                continue
            if time_section:
                years.add(y)
            continue  # a horizon or target
        if prev and prev[-1] in _HORIZON and not time_section:
            continue
        if i + 1 < len(tokens) and tokens[i + 1] == "den":
            continue  # the start of a range, read with its end
        if before and before[-1] == "nam" or time_section or before[-1:] == ["doan"]:
            years.add(y)
    for a, b in ranges:
        if a <= b <= a + 15:
            years.update(range(a, b + 1))
    if time_section and dates:
        years.update(d for d in dates if 1980 <= d <= 2100)
    if time_section and years:
        low, high = min(years), max(years)
        if high - low <= 15:
            return list(range(low, high + 1))
    return sorted(years)


def _horizon(title: str) -> int | None:
    """The year a title looks to ("… đến năm 2030", "tầm nhìn đến năm 2045"): not a year the plan
    covers, but the plan runs up to it (question scope reads it when the plan states no years)."""
    # after a cited document ("… Nghị quyết số 47/NQ-CP … đến năm 2030") the horizon is that document's
    text = re.split(r"(?i)\bs[ốo]\s*:?\s*\d|\b\d+\s*/\s*[A-ZĐ]", clean_text(title))[0]
    tokens = ["nam" if skeleton(t) == "n*m" else t for t in match_tokens(text)]
    found = [int(t) for i, t in enumerate(tokens) if YEAR.match(t)
             and "den" in [x for x in tokens[max(0, i - 3) : i] if x not in ("nam", "het")][-1:]]
    return max(found) if found else None


def _time_section_years(sections: Sequence[Section], start_year: int | None) -> list[int]:
    """The plan's own period, from a part or item headed "Thời gian thực hiện" / "Thời gian thi
    đua" / "Thời gian:" (a task's "- Thời gian thực hiện:" line is that task's, not the plan's)."""
    for section in sections:
        if section.level not in (1, 2):
            continue
        tokens = match_tokens(section.title)
        if tokens[:2] != ["thoi", "gian"] and not (section.level == 1 and tokens[-2:] == ["thoi", "gian"]):
            continue
        years = _years_in(section.full_text(), start_year, time_section=True)
        if years:
            return years
    return []


# Names in this genre that keep their capitals when a title printed in capitals is lowered.
_PROPER_TERMS = ("Thủ tướng Chính phủ", "Chính phủ", "Quốc hội", "Bộ Chính trị", "Ban Bí thư", "Đảng",
                 "Trung ương", "Nghị quyết", "Nghị định", "Quyết định", "Chỉ thị", "Thông tư", "Kết luận",
                 "Luật", "Bộ Tài chính", "Bộ Công an", "Đại hội", "Nhà nước", "Chương trình mục tiêu quốc gia")


# --- the readable title -------------------------------------------------------------------------
def _repaired_title(title_raw: str) -> str | None:
    """An OCR'd trích yếu read back into Vietnamese by the repair model (index/ocr_repair), when
    the repair reads as Vietnamese; None when it does not (the title is then built from the number,
    the province and the year)."""
    from index.ocr_repair import repair_text  # heavy: numpy, rapidfuzz and the model, for OCR'd plans only

    try:
        repaired = repair_text(title_raw).text
    except Exception:  # a title is worth no failed ingest: fall back to the built title
        log.warning("OCR repair of the title failed", exc_info=True)
        return None
    quality = text_quality(repaired)
    # a title is short and shown everywhere: one word left unread ("HO6") is borne, more are not
    if quality.judged < 3 or quality.judged - quality.valid > 1 or not quality.looks_vietnamese(min_marked=0.4):
        return None
    return repaired


def _readable_title(title_raw: str, doc_type: str | None, province: str | None, number: str | None,
                    year: int | None, ocr: bool) -> str:
    repaired = _repaired_title(title_raw) if title_raw and ocr else None
    if repaired:
        # its first word is a common word ("Hỗ trợ", "Phát triển"), however its residue is cased ("HO6")
        first, _, rest = repaired.partition(" ")
        title_raw = repaired if is_upper(repaired) else f"{first.lower()} {rest}".strip()
    if title_raw and (not ocr or repaired):
        body = title_raw.lower() if is_upper(title_raw) else title_raw[0].lower() + title_raw[1:]
        # document numbers keep their capitals ("27/CT-TTg" is printed "27/CT-TTG" in capitals)
        for m in re.finditer(r"\S*\d\S*/\S+", title_raw):
            body = body.replace(m.group(0).lower(), m.group(0))
        for term in _PROPER_TERMS:
            body = re.sub(r"(?<!\w)" + re.escape(term.lower()) + r"(?!\w)", term, body)
        for name in {*find_provinces(title_raw), *([province] if province else [])}:
            body = re.sub(re.escape(name.lower()), name, body)
        return "Kế hoạch " + body
    folded_title = " ".join(match_tokens(title_raw))
    topic = next((name for key, name in _TOPICS.items() if key in folded_title), None)
    title = "Kế hoạch" + (f" {topic}" if topic else "") + (f" số {number}" if number else "")
    title += f" của UBND {with_kind(province)}" if province else ""
    title += f" năm {year}" if year else ""
    return title


# --- where the metadata is stated ----------------------------------------------------------------
def _cell_with(line: str, needle: str) -> str | None:
    """The column of a header line (two columns are set apart by a run of spaces) that holds needle."""
    for cell in COLUMN_GAP.split(line.strip()):
        if needle in cell:
            return cell.strip()
    return None


_MOTTO_WORDS = re.compile(r"\b(cong hoa|viet nam|doc lap|tu do|hanh phuc)\b")


def _before_motto(cell: str) -> str:
    """The words of a header cell before the national motto (an OCR'd header runs the columns together)."""
    folded = fold(cell).lower()
    match = _MOTTO_WORDS.search(folded) if len(folded) == len(cell) else None
    return cell[: match.start()].strip(" -") if match else cell


def _quotes(lines: list[str], header: Header, signers: Sequence[str], after: int) -> tuple[tuple[str, int, str], ...]:
    """(field, 1-based line, verbatim words) where the header states the number, the date and the
    issuer, and where the signature names the signer."""
    stop = doc_type_line(lines)
    zone = range(stop if stop is not None else first_lines_end(lines, 6))
    out: list[tuple[str, int, str]] = []
    issuer_lines: list[tuple[int, str]] = []
    for i in zone:
        line = lines[i]
        if not line.strip():
            continue
        number = number_in(line)
        quoted = sum(1 for f, _, _ in out if f == "number")
        for own in header.numbers[quoted:] if number is not None else ():
            # each number of a joint plan where its line prints it (two may share a line)
            digits = re.match(r"\d+", own)
            cell = _cell_with(line, digits.group(0)) if digits else None
            if cell:
                out.append(("number", i + 1, cell))
            else:
                break
        date = date_in(words_of(line))
        if date is not None and header.signed_year and not any(f == "signed" for f, _, _ in out):
            cell = _cell_with(line, str(header.signed_year))
            if cell:
                out.append(("signed", i + 1, cell))
        if number is None and date is None:
            first = _before_motto(COLUMN_GAP.split(line.strip())[0].strip())
            if first and is_upper(first):
                issuer_lines.append((i + 1, first))
    if issuer_lines:
        # the issuing body's own line: the last of the header's left column ("SỞ Y TẾ" under
        # "UBND TỈNH …", "TỈNH GIA LAI" under "ỦY BAN NHÂN DÂN")
        line_no, text = issuer_lines[-1]
        body = header.issuer.body
        if body and body != "UBND":
            # a body whose name wraps ("BAN CHỈ ĐẠO LỄ HỘI … / VÀ GIẢI ĐUA … NĂM 2024"): the line
            # its name starts on, which names it
            head = match_tokens(body)[:2]
            start = next((k for k, (_, t) in enumerate(issuer_lines) if match_tokens(t)[:2] == head), None)
            if start is not None:
                # its name whole, from that line to the column's last (one line a field)
                line_no = issuer_lines[start][0]
                # only where each line is the column alone: a quote must be verbatim
                whole = [t for n, t in issuer_lines[start:] if lines[n - 1].strip() == t]
                text = "\n".join(whole) if len(whole) == len(issuer_lines) - start else issuer_lines[start][1]
        out.append(("issuer", line_no, text))
    for name in signers:  # each signer of a joint plan where its block names it
        for i in range(len(lines) - 1, after, -1):
            if name in lines[i]:
                out.append(("signer", i + 1, name))  # the name as printed: a span of that line
                break
    return tuple(out)


# A year whose results the plan reports or estimates: "ước thực hiện năm 2025", "kết quả thực hiện
# Kế hoạch năm 2025", "đánh giá kết quả năm 2025", "sơ kết 6 tháng năm 2025" (folded, one clause).
_REPORTED_YEAR = re.compile(r"\b(?:uoc (?:thuc hien|dat|tinh)|ket qua(?: thuc hien)?|danh gia|tong ket|so ket)"
                            r"\b[^.;:]{0,60}?\bnam ((?:19|20)\d\d)\b(?!\s*[-–]\s*(?:19|20)\d\d)")


def reported_years(text: str) -> tuple[int, ...]:
    """The years a plan reports results or estimates for, as its text says so: a plan for 2026
    that gives "ước thực hiện năm 2025" is the plan a question about 2025 names."""
    folded = " ".join(fold(text).split())
    return tuple(sorted({int(m.group(1)) for m in _REPORTED_YEAR.finditer(folded)}))


_PARENT_LEVELS = (("tinh",), ("thanh", "pho"), ("tp",))


def _province_of_local(lines: list[str], local: str) -> tuple[str, int, str] | None:
    """(province, 1-based line, that line) of a plan issued below the province: the province the
    plan names with its level most often ("UBND tỉnh Đồng Nai", "Sở Xây dựng tỉnh …"), and the
    first line naming it so; a province named bare ("phong trào … Đồng Nai chung sức") counts only
    when none is named with its level. The unit's own name is no province ("phường Bắc Giang")."""
    own = tuple(match_tokens(local))
    own = own[2:] if own[:2] in (("dac", "khu"), ("thi", "xa"), ("thi", "tran")) else own[1:]
    counts: dict[str, int] = {}
    loose: dict[str, int] = {}
    first: dict[tuple[bool, str], int] = {}
    for at, line in enumerate(lines):
        named = find_provinces(line)
        if at + 1 < len(lines) and lines[at + 1].strip():
            # a name wrapped over the line's end ("… của UBND tỉnh Vĩnh" / "Long về …"): a hard-wrapped
            # (OCR'd) plan breaks its lines anywhere, a province's name too
            joined = f"{line.strip()} {lines[at + 1].strip()}"
            across = [n for n in find_provinces(joined) if n not in named and n not in find_provinces(lines[at + 1])]
            if across:
                named, line = [*named, *across], joined
        if not named:
            continue
        tokens = match_tokens(line)
        for name in named:
            key = tuple(match_tokens(name))
            if key == own:
                continue
            levelled = any(tuple(tokens[i - len(level) : i + len(key)]) == level + key
                           for level in _PARENT_LEVELS for i in range(len(level), len(tokens)))
            target = counts if levelled else loose
            target[name] = target.get(name, 0) + 1
            first.setdefault((levelled, name), at)
    chosen = counts or loose
    if not chosen:
        return None
    name = max(chosen, key=lambda n: (chosen[n], -first[(chosen is counts, n)]))
    at = first[(chosen is counts, name)]
    return name, at + 1, lines[at].strip()


# --- the whole ----------------------------------------------------------------------------------
def extract_metadata(text: str, source: str, sha256: str = "",
                     sections: Sequence[Section] = ()) -> DocumentMeta:
    """Read a plan's metadata from its text (and its parsed sections, for the plan's period)."""
    text = clean_text(text)
    lines = text.split("\n")
    header = read_header(lines)
    first_type = doc_type_line(lines)
    title_raw, doc_type = _plan_title_block(lines, first_type)
    issuer = header.issuer
    province = issuer.province
    province_quote: tuple[tuple[str, int, str], ...] = ()
    if province is None and not issuer.local:
        # No readable issuer: the title names the plan's province ("… trên địa bàn tỉnh X").
        named = find_provinces(title_raw)
        province = named[0] if named else None
    if province is None and first_type is None:
        # A text without a header: the sentence that issues the plan names the province.
        for line in lines[:40]:
            tokens = match_tokens(line)
            if "ban" in tokens and "hanh" in tokens and ("ke", "hoach") in zip(tokens, tokens[1:], strict=False):
                named = find_provinces(line)
                if named:
                    province = named[0]
                    break
    if province is None and issuer.local:
        # a phường or xã plan: its header names its own unit only; the province is the one its
        # bases and its recipients name ("Căn cứ … của UBND tỉnh Đồng Nai", "Nơi nhận: - UBND tỉnh …")
        found = _province_of_local(lines, issuer.local)
        province = found[0] if found else None
        province_quote = (("province", found[1], found[2]),) if found else ()
    body = issuer.body
    if body is None and header.number_symbol and header.number_symbol.endswith("UBND"):
        body = "UBND"  # the line "ỦY BAN NHÂN DÂN" was lost; the number's symbol says who issued it
    issuer_text = None
    if body and issuer.local and not issuer.province:
        issuer_text = f"{body} {issuer.local}"
        issuers: tuple[str, ...] = (issuer_text,)
    elif body and (issuer.province or (province and header.number)):
        where = issuer.province or province
        kind = issuer.kind or "tỉnh"
        place_text = where if where and where.lower().startswith("thành phố") else f"{kind} {where}"
        issuer_text = f"{body} {place_text}"
        issuers = tuple(f"{b} {place_text}" for b in issuer.bodies) if len(issuer.bodies) > 1 else (issuer_text,)
    else:
        issuers = tuple(issuer.bodies) if len(issuer.bodies) > 1 else ()
    if len(header.joint) > 1:
        # a joint header of a block and a number per issuer: each issuer as its block names it
        issuers = tuple(header.joint)
        issuer_text = issuers[0]
    if doc_type is None and first_type is None and title_raw:
        doc_type = None
    years = _years_in(title_raw)
    if not years and sections:
        years = _time_section_years(sections, header.signed_year)
    ocr = looks_ocr_damaged(text)
    # the signature follows the body: search from the first section heading (or the title)
    start = (first_type or 0) + 1
    signatures = read_signatures(lines, start)
    authority, signer = signatures[0] if signatures else (None, None)
    year_for_title = years[0] if years else header.signed_year
    title = _readable_title(title_raw, doc_type, province, header.number, year_for_title, ocr)
    return DocumentMeta(
        source=source, title=title, province=province, years=tuple(years), number=header.number,
        sha256=sha256, issuer=issuer_text, signed=header.signed, place=header.place,
        doc_type=doc_type if doc_type else ("Kế hoạch" if title_raw and first_type is not None else None),
        signer=signer, signer_authority=authority, signed_year=header.signed_year,
        horizon=_horizon(title_raw), quotes=_quotes(lines, header, [name for _, name in signatures if name], start) + province_quote,
        reported_years=reported_years(text), issuers=issuers,
        numbers=tuple(header.numbers) if len(header.numbers) > 1 else (),
        signers=tuple((name, chain) for chain, name in signatures if name),
        short_names=tuple(sorted(plan_aliases(text).items())),
    )
