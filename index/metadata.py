"""Document metadata read the way administrative documents are laid out (Decree 30/2020/NĐ-CP,
Appendix I): issuing body, number and symbol, place and date, document type and summary title
(trích yếu), body, signer's authority and name.

Hand-written rather than a library: no parser for this layout exists, and the fields must be read
through English-model OCR damage ("Két luan sé" = "Kết luận số", "$6: 4155 /KH-UBND"), which is
done on the OCR-tolerant matching tokens of index/normalize.py. A field that cannot be read is
None, never guessed: a handwritten day ("ngay A8 théng €") gives no signing date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from index.models import DocumentMeta, Section
from index.normalize import clean_text, match_tokens, skeleton
from index.provinces import ALIASES, KNOWN, known_province, patterns, with_kind

# Kept for callers that list the known names (bench/).
PROVINCES: dict[str, tuple[str, ...]] = {name: () for name in KNOWN}

_YEAR = re.compile(r"^(19[89]\d|20\d\d)$")
_VIETNAMESE_MARKS = re.compile("[ăâêôơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹàáèìíòóùúýõãĩũ]")
_VIETNAMESE_MARK_CHARS = frozenset(_VIETNAMESE_MARKS.pattern.strip("[]"))
_WORD = re.compile(r"\S+")

# Document types of Decree 30 (folded tokens → display), the heading line that opens the body.
DOC_TYPES: dict[tuple[str, ...], str] = {
    ("ke", "hoach"): "Kế hoạch", ("quyet", "dinh"): "Quyết định", ("chuong", "trinh"): "Chương trình",
    ("ke", "hoach", "hanh", "dong"): "Kế hoạch hành động", ("huong", "dan"): "Hướng dẫn",
    ("cong", "van"): "Công văn", ("thong", "bao"): "Thông báo", ("chi", "thi"): "Chỉ thị",
    ("nghi", "quyet"): "Nghị quyết", ("bao", "cao"): "Báo cáo", ("to", "trinh"): "Tờ trình",
    ("de", "an"): "Đề án",
}

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
    words = _words(text)
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


# --- words with their matching tokens -----------------------------------------------------------
@dataclass(frozen=True)
class _Word:
    text: str  # as printed
    tokens: tuple[str, ...]  # matching tokens (usually one)

    @property
    def key(self) -> str:
        return " ".join(self.tokens)


def _words(line: str) -> list[_Word]:
    return [_Word(w, _word_tokens(w)) for w in _WORD.findall(line)]


@lru_cache(maxsize=65_536)
def _word_tokens(word: str) -> tuple[str, ...]:
    """A printed word's matching tokens: header and signature lines of every plan repeat the
    same few thousand words."""
    return tuple(match_tokens(word))


def _flat(words: Sequence[_Word]) -> list[str]:
    return [t for w in words for t in w.tokens]


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) >= 0.7


# the same test for one printed word, remembered: the signature search reads every body line
_upper_word = lru_cache(maxsize=65_536)(_is_upper)


def _motto_start(words: list[_Word]) -> int:
    """Where the national motto starts on a header line ("CỘNG HÒA XÃ HỘI …", "Độc lập - Tự do"):
    the left column (issuer, number) and the right (motto, place and date) are often merged."""
    for i, w in enumerate(words):
        nxt = words[i + 1].key if i + 1 < len(words) else ""
        if w.key == "cong" and nxt.startswith("hoa"):
            return i
        if nxt == "lap" and w.tokens and skeleton(w.tokens[0]) == "d*c":
            return i  # "Độc lập", OCR'd "Poc lap", "Péc lap"
    return len(words)


# --- the header ---------------------------------------------------------------------------------
def _doc_type_line(lines: list[str], limit: int = 16) -> int | None:
    """Index of the first line that is only a document type ("KẾ HOẠCH", "QUYẾT ĐỊNH") among the
    first `limit` non-blank lines."""
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > limit:
            return None
        tokens = tuple(match_tokens(line))
        if tokens in DOC_TYPES and _is_upper(line):
            return i
    return None


_NUMBER_AFTER = re.compile(
    r"^\s*(?P<num>\d{1,6}[a-zA-Z]?)\s*/\s*(?:(?P<year>\d{4})\s*/\s*)?"
    r"(?P<sym>[A-ZĐ][A-ZĐ0-9&]{0,9}(?:\s?-\s?[A-ZĐ][A-ZĐ0-9&]{0,12}){0,3})")


def _number(line: str) -> tuple[str | None, int] | None:
    """"Số: 141/KH-UBND" → ("141/KH-UBND", end); an illegible number ("sé: /00 /KH-UBND") → (None,
    end). None when the line has no "Số:"."""
    for m in re.finditer(r"(\S{1,4})\s*:", line):
        if match_tokens(m.group(1)) != ["so"]:
            continue
        after = _NUMBER_AFTER.match(line[m.end():])
        if after is None:
            rest = re.match(r"[^,]*?/\s*[A-ZĐ][A-ZĐ0-9-]*", line[m.end():])
            return None, m.end() + (rest.end() if rest else 0)
        parts = [after.group("num")] + ([after.group("year")] if after.group("year") else [])
        symbol = re.sub(r"\s", "", after.group("sym"))
        return "/".join(parts + [symbol]), m.end() + after.end()
    return None


def _date_in(words: list[_Word]) -> tuple[int, str | None, int | None, int] | None:
    """Find "ngày D tháng M năm YYYY" in a header line's words (through OCR damage: "ngéy",
    "théng", "nim"); returns (index of "ngày", ISO date or None, year or None, index after)."""
    for i, w in enumerate(words):
        if not w.tokens or skeleton(w.tokens[0]) != "ng*":  # "ngày", "ngéy" ("y" is a vowel here)
            continue
        if i == 0 or not words[i - 1].text.endswith(","):
            continue  # the header's date follows its place: "Bắc Ninh, ngày …"; others are cited dates
        rest = words[i + 1 : i + 7]
        if len(rest) >= 3 and skeleton(rest[0].key or "x") == "th*ng" and skeleton(rest[1].key or "x") in ("n*m", "n*"):
            year = rest[2].text.strip(",.;")  # "ngày   tháng   năm 2026": day and month left blank
            return i, None, int(year) if _YEAR.match(year) else None, i + 4
        if len(rest) >= 4 and skeleton(rest[0].key or "x") == "th*ng" and skeleton(rest[2].key or "x") in ("n*m", "n*"):
            # "ngày   tháng 12 năm 2025": the day is left blank (filled in by hand at issue)
            year = rest[3].text.strip(",.;")
            return i, None, int(year) if _YEAR.match(year) else None, i + 5
        if len(rest) >= 5 and skeleton(rest[1].key or "x") == "th*ng" and skeleton(rest[3].key or "x") in ("n*m", "n*"):
            day, month, year = rest[0].text.strip(",."), rest[2].text.strip(",."), rest[4].text.strip(",.;")
            y = int(year) if _YEAR.match(year) else None
            iso = None
            if y and day.isdigit() and month.isdigit() and 1 <= int(day) <= 31 and 1 <= int(month) <= 12:
                iso = f"{y:04d}-{int(month):02d}-{int(day):02d}"
            return i, iso, y, i + 6
        m = re.match(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", " ".join(x.text for x in rest[:3]))
        if m and 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12:
            y = int(m.group(3))
            return i, f"{y:04d}-{int(m.group(2)):02d}-{int(m.group(1)):02d}", y, i + 2
    return None


def _place_name(words: list[_Word]) -> str | None:
    """The place before the date: a known province's name, else the words as printed."""
    words = [w for w in words if w.tokens and not any(ch.isdigit() for ch in w.text) and "/" not in w.text]
    if not words:
        return None
    tokens = _flat(words)
    for start in range(len(words)):
        known = known_province(_flat(words[start:]))
        if known:
            return known
    text = " ".join(w.text for w in words).strip(" ,.;")
    return text if tokens and len(tokens) <= 6 else None


@dataclass
class _Issuer:
    body: str | None = None  # "UBND", "Sở Y tế"
    kind: str | None = None  # "tỉnh", "thành phố"
    province: str | None = None


_LEVEL_WORDS = {("tinh",): "tỉnh", ("thanh", "pho"): "thành phố", ("tp",): "thành phố"}


def _title_case(words: Sequence[_Word]) -> str:
    return " ".join(w.text[:1].upper() + w.text[1:].lower() if w.text.isupper() else w.text for w in words)


def _agency_name(words: Sequence[_Word]) -> str:
    """"SỞ Y TẾ" → "Sở Y tế", "SỞ KHOA HỌC VÀ CÔNG NGHỆ" → "Sở Khoa học và Công nghệ": the first
    syllable of each component of an agency name is capitalised, the rest is not."""
    out: list[str] = []
    capital = True
    for w in words:
        text = w.text.lower() if w.text.isupper() else w.text
        if w.key in ("va",) or text in ("-", ",", "–"):
            out.append(text)
            capital = True
            continue
        out.append(text[:1].upper() + text[1:] if capital else text)
        capital = text.endswith(",")
    return " ".join(out).replace(" ,", ",")


def _parse_issuer(words: list[_Word]) -> _Issuer:
    """The left column of the header: "ỦY BAN NHÂN DÂN / TỈNH BẮC NINH", "UBND TỈNH HÀ TĨNH / SỞ Y
    TẾ", "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"."""
    found = _Issuer()
    tokens = _flat(words)
    # positions of the level words ("tỉnh", "thành phố") and of the bodies
    i = 0
    spans: list[tuple[str, int, int]] = []  # (what, start word, end word)
    while i < len(words):
        key = words[i].tokens
        two = tuple(_flat(words[i : i + 2]))
        four = tuple(_flat(words[i : i + 4]))
        if four == ("uy", "ban", "nhan", "dan"):
            spans.append(("ubnd", i, i + 4))
            i += 4
            continue
        if key == ("ubnd",):
            spans.append(("ubnd", i, i + 1))
        elif two == ("thanh", "pho") or key in (("tinh",), ("tp",)):
            width = 2 if two == ("thanh", "pho") else 1
            spans.append(("level", i, i + width))
            # a known name right after is taken whole: "TỈNH HÀ TĨNH" is not "tỉnh Hà" + "tỉnh"
            for n in (4, 3, 2, 1):
                if known_province(_flat(words[i + width : i + width + n])):
                    spans.append(("name", i + width, i + width + n))
                    i += width + n
                    break
            else:
                i += width
            continue
        elif key == ("so",) and words[i].text[:1].isupper():
            spans.append(("so", i, i + 1))
        i += 1
    if not tokens:
        return found
    for n, (what, start, end) in enumerate(spans):
        if what == "name":
            continue
        if n + 1 < len(spans) and spans[n + 1][0] == "name":
            name_words = words[spans[n + 1][1] : spans[n + 1][2]]
        else:
            stop = spans[n + 1][1] if n + 1 < len(spans) else len(words)
            name_words = words[end:stop]
        if what == "level" and name_words and found.province is None:
            found.kind = _LEVEL_WORDS.get(tuple(_flat(words[start:end])), "tỉnh")
            found.province = known_province(_flat(name_words)) or _title_case(name_words)
        elif what == "so" and name_words:
            found.body = "Sở " + _agency_name(name_words)
        elif what == "ubnd" and found.body is None:
            found.body = "UBND"
    return found


@dataclass
class _Header:
    issuer: _Issuer
    number: str | None = None
    number_symbol: str | None = None
    place: str | None = None
    signed: str | None = None
    signed_year: int | None = None


def _read_header(lines: list[str]) -> _Header:
    """Issuer, number, place and date from the lines before the document type ("KẾ HOẠCH"), or,
    for a text without one, from its first lines that look like header lines."""
    stop = _doc_type_line(lines)
    zone = _join_wrapped_date(lines[:stop] if stop is not None else lines[:6])
    header = _Header(_Issuer())
    left: list[_Word] = []
    for line in zone:
        if not line.strip():
            continue
        words = _words(line)
        cut = _motto_start(words)
        number = _number(line)
        date = _date_in(words)
        if number is not None:
            header.number = number[0]
            symbol = re.search(r"/\s*([A-ZĐ][A-ZĐ0-9-]*)\s*$", line[: number[1]])
            header.number_symbol = symbol.group(1) if symbol else None
        if date is not None:
            at, iso, year, _ = date
            header.signed, header.signed_year = iso, year
            before = words[:at]
            comma = max((k for k, w in enumerate(before) if w.text.endswith(",")), default=None)
            if comma is not None:
                start = 0
                if number is not None:
                    consumed = len(_WORD.findall(line[: number[1]]))
                    start = consumed
                start = max(start, _motto_end(before))
                header.place = _place_name(before[start : comma + 1])
        # the issuer's words: what is left of the motto, the number and the date
        end = cut
        if number is not None:
            end = min(end, _word_index(line, words, "so"))
        elif date is not None:
            # "TỈNH BẮC NINH   Bắc Ninh, ngày …": the issuer is in capitals, the place is not
            end = min(end, next((k for k, w in enumerate(words) if not w.text.isupper()), len(words)))
        if stop is None and not _looks_like_issuer(words[:end]):
            continue
        left.extend(words[:end])
    header.issuer = _parse_issuer(left)
    return header


_DATE_CUT = re.compile(r",\s*\S+\s+\d{1,2}(?:\s+\S+(?:\s+\d{1,2})?)?\s*$")


def _join_wrapped_date(zone: list[str]) -> list[str]:
    """Header lines with the signing date put back on one line: a scan re-wrapped to the page width
    cuts "Quảng Trị, ngày 08 tháng | 9 năm 2026" after the day or the month. The continuation (a
    line that starts with the month or "năm") joins the line before it, so the date reads whole."""
    out = list(zone)
    for i, line in enumerate(out):
        if not _DATE_CUT.search(line):
            continue
        j = next((k for k in range(i + 1, len(out)) if out[k].strip()), None)
        if j is None:
            break
        tail = _words(line)[-4:]
        nxt = out[j].split()
        first = match_tokens(nxt[0])[:1] if nxt else []
        # "ngày D tháng" + "M năm YYYY", or "ngày D tháng M" + "năm YYYY"
        at_day = any(w.tokens and skeleton(w.tokens[0]) == "ng*" for w in tail)
        starts = bool(nxt) and (nxt[0][:1].isdigit() or (bool(first) and skeleton(first[0]) in ("n*m", "n*")))
        if at_day and starts and any(_YEAR.match(x.strip(",.;")) for x in nxt[:4]):
            out[i] = f"{line.rstrip()} {out[j].strip()}"
            out[j] = ""
    return out


def _motto_end(words: list[_Word]) -> int:
    """After "Độc lập - Tự do - Hạnh phúc" on a merged line: the index after "phúc"."""
    for i, w in enumerate(words):
        if i >= 1 and skeleton(w.key or "x") in ("ph*c", "p*c") and skeleton(words[i - 1].key or "x") == "h*nh":
            return i + 1
    return 0


def _word_index(line: str, words: list[_Word], key: str) -> int:
    for i, w in enumerate(words):
        if w.key == key and w.text.rstrip().endswith(":") or (w.key == key and i + 1 < len(words) and words[i + 1].text.startswith(":")):
            return i
    for i, w in enumerate(words):
        if ":" in w.text and match_tokens(w.text.split(":")[0]) == [key]:
            return i
    return len(words)


def _looks_like_issuer(words: list[_Word]) -> bool:
    tokens = _flat(words)
    return bool(tokens) and _is_upper(" ".join(w.text for w in words)) and (
        tokens[:4] == ["uy", "ban", "nhan", "dan"] or tokens[:1] in (["ubnd"], ["tinh"], ["so"])
        or tokens[:2] == ["thanh", "pho"])


def header_line_count(text: str) -> int:
    """How many lines the Decree 30 header block takes (issuer, motto, number, place and date)
    before the document type line; 0 when the text has no such block. Its content is metadata:
    chunks leave it out, so no answer quotes "ỦY BAN NHÂN DÂN … Số: …" as if it said something."""
    lines = clean_text(text).split("\n")
    stop = _doc_type_line(lines)
    if not stop:
        return 0
    header = _read_header(lines)
    known = header.number or header.signed_year or header.issuer.province or header.issuer.body
    return stop if known else 0


# --- title and years ----------------------------------------------------------------------------
_BASIS = (["can", "cu"], ["thuc", "hien"], ["thue", "hien"], ["trien", "khai"], ["theo", "de"])


def _title_after(lines: list[str], start: int) -> str:
    """The trích yếu: the lines after the document type. Crawled text prints it in capitals on
    one line; OCR keeps the line breaks, so sentence-case lines are read up to the basis
    ("Căn cứ …", "Thực hiện …") or a blank line."""
    block: list[str] = []
    upper = None
    for line in lines[start : start + 12]:
        stripped = line.strip()
        if not stripped:
            if block:
                break
            continue
        tokens = match_tokens(stripped)
        if stripped.startswith("(") or tokens[:2] in (["kem", "theo"],):
            break  # "(Kèm theo Quyết định số …)"
        if upper is None:
            upper = _is_upper(stripped)
        elif upper and not _is_upper(stripped) or not upper and tokens[:2] in _BASIS:
            break
        if re.match(r"^(?:[IVX]{1,4}|\d{1,2})\s*\.", stripped):
            break  # the body's first heading: there is no title
        block.append(stripped)
        if len(block) == 4:
            break
    return " ".join(block)


def _plan_title_block(lines: list[str], first_type: int | None) -> tuple[str, str | None]:
    """(title, doc_type): the plan's own title. A decision that issues a plan ("QUYẾT ĐỊNH … Ban
    hành kèm theo Quyết định này Kế hoạch …") carries the plan after its signature, under its own
    "KẾ HOẠCH" heading: that title names the plan."""
    if first_type is None:
        return _title_after(lines, 0), None
    doc_type = DOC_TYPES[tuple(match_tokens(lines[first_type]))]
    if doc_type != "Kế hoạch":
        for i in range(first_type + 1, min(len(lines), first_type + 200)):
            if tuple(match_tokens(lines[i])) == ("ke", "hoach") and _is_upper(lines[i]):
                return _title_after(lines, i + 1), doc_type
            if re.match(r"^I\s*\.\s", lines[i].strip()):
                break
    return _title_after(lines, first_type + 1), doc_type


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
        if not _YEAR.match(tok):
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
            while j >= 0 and not _YEAR.match(tokens[j]) and i - j <= 5:
                j -= 1
            between = set(tokens[j + 1 : i]) if j >= 0 else set()
            if j >= 0 and _YEAR.match(tokens[j]) and "den" in between and between <= {"den", "nam", "het", "cuoi"}:
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
    found = [int(t) for i, t in enumerate(tokens) if _YEAR.match(t)
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


# --- signature ----------------------------------------------------------------------------------
_AUTHORITY = {
    ("kt",): "KT.", ("tm",): "TM.", ("tl",): "TL.", ("tuq",): "TUQ.", ("q",): "Q.",
}
_TITLES = {
    ("pho", "chu", "tich"): "PHÓ CHỦ TỊCH", ("chu", "tich"): "CHỦ TỊCH",
    ("pho", "giam", "doc"): "PHÓ GIÁM ĐỐC", ("giam", "doc"): "GIÁM ĐỐC",
    ("pho", "truong", "ban"): "PHÓ TRƯỞNG BAN", ("truong", "ban"): "TRƯỞNG BAN",
    ("chanh", "van", "phong"): "CHÁNH VĂN PHÒNG", ("pho", "chanh", "van", "phong"): "PHÓ CHÁNH VĂN PHÒNG",
    ("uy", "ban", "nhan", "dan"): "ỦY BAN NHÂN DÂN", ("ubnd",): "ỦY BAN NHÂN DÂN",
}
_TITLE_STARTS = frozenset(key[0] for key in _TITLES)
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]+[.,;]?$")


def _signature(lines: list[str], after: int) -> tuple[str | None, str | None]:
    """(authority, signer) from the first signature block after line `after`: "TM. ỦY BAN NHÂN
    DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" then the name. Only capitals count as authority, so the
    recipients' "Chủ tịch, các Phó Chủ tịch UBND tỉnh" is not one."""
    for i in range(after, len(lines)):
        chain = _authority_chain(lines[i])
        if not chain:
            continue
        prefixed = any(c.startswith(("KT.", "TM.", "TL.", "TUQ.", "Q.")) for c in chain)
        bare = " ".join(match_tokens(lines[i])) in {" ".join(k) for k in _TITLES}
        if not prefixed and not bare and _name_after(lines[i]) is None:
            continue  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …" opens a decision; it does not sign one
        parts = list(chain)
        signer = _name_after(lines[i])
        for line in lines[i + 1 : i + 30]:
            if signer:
                break
            more = _authority_chain(line)
            parts += [c for c in more if c not in parts]
            if (not line.strip() or line.strip().startswith(("-", "—", "+"))) and not more:
                continue
            signer = _name_after(line) if more else _name_only(line)
        if not any(("CHỦ TỊCH" in p or "GIÁM ĐỐC" in p or "TRƯỞNG" in p or "VĂN PHÒNG" in p) for p in parts):
            continue
        return " / ".join(parts), signer
    return None, None


def _authority_chain(line: str) -> list[str]:
    # A title counts only where its words are (mostly) capitals, so a line none of whose words is
    # mostly capitals names none: most body lines are skipped before their words are tokenized.
    if not any(_upper_word(w) for w in _WORD.findall(line) if not w.islower()):
        return []
    words = _words(line)
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w.key in ("kt", "tm", "tl", "tuq") and w.text[:1].isupper() and (w.text.endswith((".", ",")) or w.text.isupper()):
            prefix = _AUTHORITY[(w.key,)]
            j = i + 1
            for n in (4, 3, 2, 1):
                key = tuple(_flat(words[j : j + n]))
                if key in _TITLES and _is_upper(" ".join(x.text for x in words[j : j + n])):
                    out.append(f"{prefix} {_TITLES[key]}")
                    i = j + n
                    break
            else:
                i += 1
            continue
        if w.tokens and w.tokens[0] not in _TITLE_STARTS:
            i += 1  # no title starts with this word
            continue
        for n in (4, 3, 2, 1):
            key = tuple(_flat(words[i : i + n]))
            if key in _TITLES and key != ("ubnd",) and _is_upper(" ".join(x.text for x in words[i : i + n])):
                if _TITLES[key] != "ỦY BAN NHÂN DÂN":
                    out.append(_TITLES[key])
                i += n
                break
        else:
            i += 1
    return out


def _name_after(line: str) -> str | None:
    """The personal name at the end of a line that ends a signature ("… PHÓ CHỦ TỊCH Nguyễn Văn A")."""
    words = line.split()
    name: list[str] = []
    for w in reversed(words):
        if _NAME_WORD.match(w):
            name.insert(0, w.rstrip(".,;"))
        else:
            break
    return " ".join(name) if 2 <= len(name) <= 5 else None


def _name_only(line: str) -> str | None:
    words = line.split()
    if 2 <= len(words) <= 5 and all(_NAME_WORD.match(w) for w in words):
        return " ".join(w.rstrip(".,;") for w in words)
    return None


# Names in this genre that keep their capitals when a title printed in capitals is lowered.
_PROPER_TERMS = ("Thủ tướng Chính phủ", "Chính phủ", "Quốc hội", "Bộ Chính trị", "Ban Bí thư", "Đảng",
                 "Trung ương", "Nghị quyết", "Nghị định", "Quyết định", "Chỉ thị", "Thông tư", "Kết luận",
                 "Luật", "Bộ Tài chính", "Bộ Công an", "Đại hội", "Nhà nước", "Chương trình mục tiêu quốc gia")


# --- the readable title -------------------------------------------------------------------------
def _readable_title(title_raw: str, doc_type: str | None, province: str | None, number: str | None,
                    year: int | None, ocr: bool) -> str:
    if title_raw and not ocr:
        body = title_raw.lower() if _is_upper(title_raw) else title_raw[0].lower() + title_raw[1:]
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


# --- the whole ----------------------------------------------------------------------------------
def extract_metadata(text: str, source: str, sha256: str = "",
                     sections: Sequence[Section] = ()) -> DocumentMeta:
    """Read a plan's metadata from its text (and its parsed sections, for the plan's period)."""
    text = clean_text(text)
    lines = text.split("\n")
    header = _read_header(lines)
    first_type = _doc_type_line(lines)
    title_raw, doc_type = _plan_title_block(lines, first_type)
    issuer = header.issuer
    province = issuer.province
    if province is None:
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
    body = issuer.body
    if body is None and header.number_symbol and header.number_symbol.endswith("UBND"):
        body = "UBND"  # the line "ỦY BAN NHÂN DÂN" was lost; the number's symbol says who issued it
    issuer_text = None
    if body and (issuer.province or (province and header.number)):
        where = issuer.province or province
        kind = issuer.kind or "tỉnh"
        place_text = where if where and where.lower().startswith("thành phố") else f"{kind} {where}"
        issuer_text = f"{body} {place_text}"
    if doc_type is None and first_type is None and title_raw:
        doc_type = None
    years = _years_in(title_raw)
    if not years and sections:
        years = _time_section_years(sections, header.signed_year)
    ocr = looks_ocr_damaged(text)
    # the signature follows the body: search from the first section heading (or the title)
    start = (first_type or 0) + 1
    authority, signer = _signature(lines, start)
    year_for_title = years[0] if years else header.signed_year
    title = _readable_title(title_raw, doc_type, province, header.number, year_for_title, ocr)
    return DocumentMeta(
        source=source, title=title, province=province, years=tuple(years), number=header.number,
        sha256=sha256, issuer=issuer_text, signed=header.signed, place=header.place,
        doc_type=doc_type if doc_type else ("Kế hoạch" if title_raw and first_type is not None else None),
        signer=signer, signer_authority=authority, signed_year=header.signed_year,
        horizon=_horizon(title_raw),
    )
