"""The header block of a document in the Decree 30/2020/NĐ-CP layout, read through OCR damage:
the issuing body, the number and symbol, the national motto, the place and date, the document
type line; and the words-with-matching-tokens the metadata readers share. index/metadata.py
assembles a plan's DocumentMeta from this, its title (metadata.py) and its signature
(index/signature.py)."""


import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from lang.agencies import AGENCIES
from lang.dates import numeric_date
from lang.normalize import clean_text, match_tokens, skeleton
from lang.provinces import known_province

YEAR = re.compile(r"^(19[89]\d|20\d\d)$")
WORD = re.compile(r"\S+")


# Document types of Decree 30 (folded tokens → display), the heading line that opens the body.
DOC_TYPES: dict[tuple[str, ...], str] = {
    ("ke", "hoach"): "Kế hoạch", ("quyet", "dinh"): "Quyết định", ("chuong", "trinh"): "Chương trình",
    ("ke", "hoach", "hanh", "dong"): "Kế hoạch hành động", ("huong", "dan"): "Hướng dẫn",
    ("cong", "van"): "Công văn", ("thong", "bao"): "Thông báo", ("chi", "thi"): "Chỉ thị",
    ("nghi", "quyet"): "Nghị quyết", ("bao", "cao"): "Báo cáo", ("to", "trinh"): "Tờ trình",
    ("de", "an"): "Đề án",
    # a joint plan of several departments (Decree 30 names it by its issuers): still a plan
    ("ke", "hoach", "lien", "nganh"): "Kế hoạch", ("ke", "hoach", "lien", "tich"): "Kế hoạch",
    ("ke", "hoach", "phoi", "hop"): "Kế hoạch", ("chuong", "trinh", "phoi", "hop"): "Chương trình",
}


# --- words with their matching tokens -----------------------------------------------------------
@dataclass(frozen=True)
class _Word:
    text: str  # as printed
    tokens: tuple[str, ...]  # matching tokens (usually one)

    @property
    def key(self) -> str:
        return " ".join(self.tokens)


def words_of(line: str) -> list[_Word]:
    return [_Word(w, _word_tokens(w)) for w in WORD.findall(line)]


@lru_cache(maxsize=65_536)
def _word_tokens(word: str) -> tuple[str, ...]:
    """A printed word's matching tokens: header and signature lines of every plan repeat the
    same few thousand words."""
    return tuple(match_tokens(word))


def flat_tokens(words: Sequence[_Word]) -> list[str]:
    return [t for w in words for t in w.tokens]


def is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) >= 0.7


# the same test for one printed word, remembered: the signature search reads every body line
upper_word = lru_cache(maxsize=65_536)(is_upper)


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
def doc_type_line(lines: list[str], limit: int = 16) -> int | None:
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
        if tokens in DOC_TYPES and is_upper(line):
            return i
    return None


_NUMBER_AFTER = re.compile(
    r"^\s*(?P<num>\d{1,6}[a-zA-Z]?)\s*/\s*(?:(?P<year>\d{4})\s*/\s*)?"
    r"(?P<sym>[A-ZĐ][A-ZĐ0-9&]{0,9}(?:\s?-\s?[A-ZĐ][A-ZĐ0-9&]{0,12}){0,3})")


def number_in(line: str) -> tuple[str | None, int] | None:
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


def date_in(words: list[_Word]) -> tuple[int, str | None, int | None, int] | None:
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
            return i, None, int(year) if YEAR.match(year) else None, i + 4
        if len(rest) >= 4 and skeleton(rest[0].key or "x") == "th*ng" and skeleton(rest[2].key or "x") in ("n*m", "n*"):
            # "ngày   tháng 12 năm 2025": the day is left blank (filled in by hand at issue)
            year = rest[3].text.strip(",.;")
            return i, None, int(year) if YEAR.match(year) else None, i + 5
        if len(rest) >= 5 and skeleton(rest[1].key or "x") == "th*ng" and skeleton(rest[3].key or "x") in ("n*m", "n*"):
            day, month, year = rest[0].text.strip(",."), rest[2].text.strip(",."), rest[4].text.strip(",.;")
            y = int(year) if YEAR.match(year) else None
            iso = None
            if y and day.isdigit() and month.isdigit() and 1 <= int(day) <= 31 and 1 <= int(month) <= 12:
                iso = f"{y:04d}-{int(month):02d}-{int(day):02d}"
            return i, iso, y, i + 6
        m = re.match(numeric_date(), " ".join(x.text for x in rest[:3]))
        if m and 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12:
            y = int(m.group(3))
            return i, f"{y:04d}-{int(m.group(2)):02d}-{int(m.group(1)):02d}", y, i + 2
    return None


def _place_name(words: list[_Word]) -> str | None:
    """The place before the date: a known province's name, else the words as printed."""
    words = [w for w in words if w.tokens and not any(ch.isdigit() for ch in w.text) and "/" not in w.text]
    if not words:
        return None
    tokens = flat_tokens(words)
    for start in range(len(words)):
        known = known_province(flat_tokens(words[start:]))
        if known:
            return known
    text = " ".join(w.text for w in words).strip(" ,.;")
    return text if tokens and len(tokens) <= 6 else None


@dataclass
class _Issuer:
    body: str | None = None  # "UBND", "Sở Y tế"
    kind: str | None = None  # "tỉnh", "thành phố"
    province: str | None = None
    # every body of the left column: a joint plan (KHLN, KHLT) names each of its issuers there
    # ("SỞ Y TẾ - SỞ GIÁO DỤC VÀ ĐÀO TẠO"), `body` is then the first of them
    bodies: list[str] = field(default_factory=list)
    # a commune-level (or, before July 2025, district-level) people's committee names its own unit
    # under "ỦY BAN NHÂN DÂN" ("PHƯỜNG TÂN PHƯỚC LỘC", "XÃ NGHI LỘC"): "phường Tân Phước Lộc".
    # Its header names no province; the plan's text does (index/metadata.py)
    local: str | None = None


_LEVEL_WORDS = {("tinh",): "tỉnh", ("thanh", "pho"): "thành phố", ("tp",): "thành phố"}
_LEVEL_TAIL = {("tinh",), ("thanh",), ("pho",), ("tp",)}
# the levels below the province, as Decree 30 prints them under "ỦY BAN NHÂN DÂN" (folded → written)
_LOCAL_LEVELS = {("phuong",): "phường", ("xa",): "xã", ("dac", "khu"): "đặc khu", ("thi", "tran"): "thị trấn",
                 ("thi", "xa"): "thị xã", ("huyen",): "huyện", ("quan",): "quận"}
_NAME_WORDS = 6  # the longest province name in printed words ("BÀ RỊA - VŨNG TÀU" is 5)


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


def _body_name(words: Sequence[_Word]) -> str:
    """"BAN CHỈ ĐẠO LỄ HỘI …" → "Ban Chỉ đạo lễ hội …": a body printed in capitals, written as the
    agency lexicon writes the longest name it shares its first words with, the rest lower case."""
    tokens = flat_tokens(words)
    best: tuple[int, list[str]] = (0, [])
    for name in _lexicon_names():
        printed = name.split()
        shared = 0
        for k, form in enumerate(printed):
            if k >= len(words) or tuple(match_tokens(form)) != words[k].tokens:
                break
            shared = k + 1
        if shared > best[0]:
            best = (shared, printed[:shared])
    shared, head = best
    if not tokens:
        return ""
    tail = [w.text.lower() for w in words[shared:]]
    if not head:
        first = tail.pop(0)
        head = [first[:1].upper() + first[1:]]
    return " ".join(head + tail).replace(" ,", ",")


@lru_cache(maxsize=1)
def _lexicon_names() -> tuple[str, ...]:
    return tuple(AGENCIES)


def _parse_issuer(words: list[_Word]) -> _Issuer:
    """The left column of the header: "ỦY BAN NHÂN DÂN / TỈNH BẮC NINH", "UBND TỈNH HÀ TĨNH / SỞ Y
    TẾ", "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"."""
    found = _Issuer()
    tokens = flat_tokens(words)
    # positions of the level words ("tỉnh", "thành phố") and of the bodies
    i = 0
    spans: list[tuple[str, int, int]] = []  # (what, start word, end word)
    while i < len(words):
        key = words[i].tokens
        two = tuple(flat_tokens(words[i : i + 2]))
        four = tuple(flat_tokens(words[i : i + 4]))
        if four == ("uy", "ban", "nhan", "dan"):
            spans.append(("ubnd", i, i + 4))
            i += 4
            continue
        if key == ("ubnd",):
            spans.append(("ubnd", i, i + 1))
        elif two == ("thanh", "pho") or key in (("tinh",), ("tp",)):
            width = 2 if two == ("thanh", "pho") else 1
            spans.append(("level", i, i + width))
            # a known name right after is taken whole: "TỈNH HÀ TĨNH" is not "tỉnh Hà" + "tỉnh";
            # counted in printed words, so "BÀ RỊA - VŨNG TÀU" (its dash a word) is five
            for n in range(min(_NAME_WORDS, len(words) - i - width), 0, -1):
                if known_province(flat_tokens(words[i + width : i + width + n])):
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
            # Decree 30 prints the issuing body under its parent ("UBND TỈNH X / BAN CHỈ ĐẠO …",
            # "… / HỘI ĐỒNG …"): the words left after the province's name, up to the next body,
            # are the body that issued the plan; a trailing level word ("… XÓA MÙ CHỮ TỈNH") is
            # the name's own "tỉnh", not another province.
            stop = next((s for w, s, _ in spans[n + 1:] if w in ("so", "ubnd")), len(words))
            rest = [w for w in words[end:stop] if w.tokens or w.text in ("-", "–", ",")]
            while rest and (not rest[-1].tokens or tuple(rest[-1].tokens) in _LEVEL_TAIL):
                rest.pop()
            printed = " ".join(w.text for w in rest)
            if len(flat_tokens(rest)) >= 2 and found.body in (None, "UBND") and is_upper(printed):
                found.body = _body_name(rest)
            continue
        if n + 1 < len(spans) and spans[n + 1][0] == "name":
            name_words = words[spans[n + 1][1] : spans[n + 1][2]]
        else:
            stop = spans[n + 1][1] if n + 1 < len(spans) else len(words)
            name_words = words[end:stop]
        if what == "level" and name_words and found.province is None:
            found.kind = _LEVEL_WORDS.get(tuple(flat_tokens(words[start:end])), "tỉnh")
            found.province = known_province(flat_tokens(name_words)) or _title_case(name_words)
        elif what == "so" and name_words:
            # the joint issuers are set apart by a dash or a comma ("SỞ Y TẾ - SỞ GIÁO DỤC …")
            while name_words and not name_words[-1].tokens:
                name_words = name_words[:-1]
            if name_words:
                found.bodies.append("Sở " + _agency_name(name_words))
                found.body = found.bodies[0]
        elif what == "ubnd" and found.body is None:
            found.body = "UBND"
            if found.province is None and found.local is None:
                found.local = _local_unit(words[end:spans[n + 1][1] if n + 1 < len(spans) else len(words)])
    return found


def _local_unit(words: Sequence[_Word]) -> str | None:
    """"PHƯỜNG TÂN PHƯỚC LỘC" right under "ỦY BAN NHÂN DÂN" → "phường Tân Phước Lộc"."""
    for width in (2, 1):
        level = _LOCAL_LEVELS.get(tuple(flat_tokens(words[:width])))
        name = [w for w in words[width : width + _NAME_WORDS] if w.tokens]
        if level and name and is_upper(" ".join(w.text for w in words[: width + len(name)])):
            return f"{level} {_title_case(name)}"
    return None


@dataclass
class Header:
    issuer: _Issuer
    number: str | None = None  # the first number printed
    # every "Số:" of the header in print order: a joint plan (liên tịch, phối hợp) prints one per
    # issuer, each under its own issuer block
    numbers: list[str] = field(default_factory=list)
    # the issuer of each block of a joint header, as written ("Hội Nông dân thành phố Cần Thơ"), in
    # the order of its numbers; empty for a plan of one issuer
    joint: list[str] = field(default_factory=list)
    number_symbol: str | None = None
    place: str | None = None
    signed: str | None = None
    signed_year: int | None = None


def read_header(lines: list[str]) -> Header:
    """_Issuer, number, place and date from the lines before the document type ("KẾ HOẠCH"), or,
    for a text without one, from its first lines that look like header lines."""
    stop = doc_type_line(lines)
    # without a document type, the first six lines that hold words (OCR sets header lines apart
    # with blank lines: the number and the date would fall outside six lines counted as printed)
    zone = lines[:stop] if stop is not None else lines[:first_lines_end(lines, 6)]
    header = Header(_Issuer())
    left: list[_Word] = []
    for k, line in enumerate(zone):
        if not line.strip():
            continue
        words = words_of(line)
        cut = _motto_start(words)
        number = number_in(line)
        date = date_in(words)
        if (date is None or date[2] is None) and k + 1 < len(zone) and zone[k + 1].strip():
            # an OCR'd header wraps its date: "Gia Lai, ngày 20 tháng 01" / "năm 2026"
            wrapped = date_in(words_of(f"{line} {zone[k + 1].strip()}"))
            date = wrapped if wrapped is not None and wrapped[2] is not None else date
        for cell in COLUMN_GAP.split(line.strip()) if number is not None else ():
            found = number_in(cell)
            if found is not None and found[0]:
                header.numbers.append(found[0])
        if number is not None and header.number is None:
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
                    consumed = len(WORD.findall(line[: number[1]]))
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
    if len(header.numbers) > 1:
        header.joint = [name for block in _joint_blocks(zone, len(header.numbers))
                        if (name := _block_issuer(block))]
    return header


# a header printed in columns: cells apart by two spaces or a tab
COLUMN_GAP = re.compile(r"\s{2,}|\t")


def _issuer_cells(line: str) -> list[str]:
    """The issuer words of each column cell of a header line: the motto, the date and the place
    are not (an OCR'd header runs its columns together)."""
    out: list[str] = []
    for cell in COLUMN_GAP.split(line.strip()):
        words = words_of(cell)
        cut = _motto_start(words)
        if cut < len(words) or date_in(words) is not None or not is_upper(cell):
            cell = " ".join(w.text for w in words[:cut]) if cut < len(words) else ""
        if cell and is_upper(cell):
            out.append(cell)
    return out


def _joint_blocks(zone: Sequence[str], count: int) -> list[list[str]]:
    """The issuer lines of each of the `count` issuers of a joint header (Decree 30: each issuer's
    block, its parent body above it, ends with its own "Số:"). Three layouts: the blocks one under
    the other (each closed by its number); side by side in columns (the numbers share a line; each
    cell goes to the column it starts under); side by side read line by line (OCR interleaves the
    columns: all issuer lines come before the numbers, the k-th line of each pair being the k-th
    issuer's)."""
    blocks: list[list[str]] = [[]]
    raw: list[str] = []  # the lines before the first number, as printed (their cells' positions)
    for line in zone:
        if not line.strip():
            continue
        cells = COLUMN_GAP.split(line.strip())
        numbered = [c for c in cells if number_in(c) is not None]
        if len(numbered) == count:  # the numbers side by side: the columns are the issuers
            return _columns(raw, line, count)
        if numbered:  # a block's number closes it; the issuer words before it on its line are its own
            before = cells[: cells.index(numbered[0])]
            blocks[-1].extend(c for cell in before for c in _issuer_cells(cell))
            blocks.append([])
            continue
        if len(blocks) == 1:
            raw.append(line)
        blocks[-1].extend(_issuer_cells(line))
    filled = [b for b in blocks if b]
    if len(filled) >= count:
        return filled[:count]
    if filled and len(filled[0]) >= count and all(not b for b in blocks[1:count]):
        return [filled[0][k::count] for k in range(count)]  # interleaved columns
    return []


def _columns(lines: list[str], numbers: str, count: int) -> list[list[str]]:
    """The issuer blocks printed side by side: each cell of a line goes to the column whose number
    starts nearest to where the cell starts."""
    starts = [m.start() for m in re.finditer(r"\S+(?:\s\S+)*", numbers)][:count]
    if len(starts) < count:
        return []
    out: list[list[str]] = [[] for _ in range(count)]
    for line in lines:
        for m in re.finditer(r"\S+(?:\s\S+)*", line):
            for cell in _issuer_cells(m.group(0)):
                column = min(range(count), key=lambda k: abs(starts[k] - m.start()))
                out[column].append(cell)
    return out if all(out) else []


def _block_issuer(lines: list[str]) -> str | None:
    """"UBND THÀNH PHỐ CẦN THƠ / SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" → "Sở Nông nghiệp và Môi trường
    thành phố Cần Thơ"; "HỘI NÔNG DÂN VIỆT NAM / HỘI NÔNG DÂN THÀNH PHỐ CẦN THƠ" → "Hội Nông dân
    thành phố Cần Thơ": the body under its parent (Decree 30), placed where the block places it."""
    if not lines:
        return None
    words = [w for line in lines for w in words_of(line)]
    found = _parse_issuer(words)
    own = [w for line in (lines[1:] or lines) for w in words_of(line)]
    # the body's own words end where its place starts ("… THÀNH PHỐ CẦN THƠ", "… TỈNH")
    for k, w in enumerate(own):
        two = tuple(flat_tokens(own[k : k + 2]))
        if (two == ("thanh", "pho") or w.tokens in (("tinh",), ("tp",))) and k > 0:
            own = own[:k]
            break
    while own and not own[-1].tokens:
        own = own[:-1]
    if flat_tokens(own)[:1] == ["so"] and len(own) > 1:
        body = "Sở " + _agency_name(own[1:])
    elif own and tuple(flat_tokens(own)) not in (("uy", "ban", "nhan", "dan"), ("ubnd",)):
        body = _body_name(own)
    else:
        body = "UBND"
    if found.province is None:
        return body
    place = found.province if found.province.lower().startswith("thành phố") else f"{found.kind or 'tỉnh'} {found.province}"
    return f"{body} {place}"


def first_lines_end(lines: list[str], count: int) -> int:
    """The index just after the `count`-th non-blank line (len(lines) when there are fewer)."""
    seen = 0
    for index, line in enumerate(lines):
        seen += bool(line.strip())
        if seen == count:
            return index + 1
    return len(lines)


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
    tokens = flat_tokens(words)
    return bool(tokens) and is_upper(" ".join(w.text for w in words)) and (
        tokens[:4] == ["uy", "ban", "nhan", "dan"] or tokens[:1] in (["ubnd"], ["tinh"], ["so"])
        or tokens[:2] == ["thanh", "pho"])


def header_line_count(text: str) -> int:
    """How many lines the Decree 30 header block takes (issuer, motto, number, place and date)
    before the document type line; 0 when the text has no such block. Its content is metadata:
    chunks leave it out, so no answer quotes "ỦY BAN NHÂN DÂN … Số: …" as if it said something."""
    lines = clean_text(text).split("\n")
    stop = doc_type_line(lines)
    if not stop:
        return 0
    header = read_header(lines)
    known = header.number or header.signed_year or header.issuer.province or header.issuer.body
    return stop if known else 0


