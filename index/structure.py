"""Plan text → section tree (part I. → item 1. → sub-item 1.1. or point a) → dashes).

Hand-written rather than a library splitter: the numbering must be read through OCR damage
("M." / "IIT." / "I11." for III, "¢)" for c, "4 ¢)" with a page number glued on, a second "d)"
meaning đ), and every heading is accepted only where it continues the plan's own numbering
sequence, which is what keeps wrapped lines of running text from being taken for headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from index.header import header_line_count
from index.metadata import extract_metadata
from index.models import ParsedPlan, Section
from index.row_paths import group_mark, row_keys, spanning_title
from index.tables import cells, column_roles, is_delimiter_row, is_table_line
from index.xrefs import find_xrefs
from lang.normalize import clean_text, match_tokens
from lang.numbers import ORDINALS as _ORDINALS
from lang.sentences import is_closing_line

TITLE_CHARS = 70
# Bump when what ingest reads from a plan changes (metadata fields, cross-references): indexed plans
# read by an older version are read again at the next ingest, their unchanged files included.
PLAN_MODEL_VERSION = 30  # 30 (session 37): a joint plan keeps each issuer block and number (c-joint); "KẾ HOẠCH PHỐI HỢP" a plan's type line; a signer's rank ("Đại tá") before the name; a semicolon inside a parenthesis ends no sentence; "Phòng Người có công" read whole; a report-period cell ("Năm", "6 tháng, năm") times its row's lines (c-xref); one record per task item in the chunk facts (c-card); OCR'd appendix tables: a group's Roman "I" read as "1", the rule under the header read as "=", cells wrapped over whole lines without a border (c-ocr2); 29 (session 36): "Vườn quốc gia …" is a body (c-premise); appendix rows named by their table's own STT, group rows as parents (r2-stt); OCR-wrapped table headers and rows whole, labelled fields wrapped over lines (r2-regrec); a commune's and ward's bodies ("Công an xã", "UBND phường"), police units named whole (c-wards); a phường/xã plan's own unit as issuer and its province from its text, a signer's concurrent post kept apart (c-meta); OCR'd "x" = xã, "gti", "tng", "ita" in matching tokens, repair keeps a name's consonants (c-ocr); register offices of a body as recipients ("Thường trực Ban Chỉ đạo", "Chủ tịch UBND phường", "Trưởng ban" alone), short names in words kept as printed (c-reg); 27: register rows of a point opened by a body whatever its verb, OCR'd relative deadlines (r2-reg); a joint plan's issuers and signers, a plan's defined short names in its metadata (r2-meta); OCR'd "aé" read as the a it is ("phaém" = "phẩm", r2-unacc); 26: register names bodies by their full names, abbreviations written out (c-reg); OCR-wrapped table headers whole in their rows' search text (c-ocr); a unit head in small letters or abbreviated before a Sở names the unit, a plan's defined short names read as the full body (c-names); 25: "hướng dẫn hệ thống <bodies>" is plan wording, not an injection (c-rep), OCR'd "Phần thứ" and field labels (c-ocrtime), committee issuers (c-plan); 5: facts per section stored with chunks (index/facts.py); 6: withheld sentences after a
# flagged injection; 7: register rows read the genre (labelled fields, delegation, bodies outside the lexicon);
# 8: OCR damage read (points closed by '}' or ']', dates with a space inside a number); 9: where the header
# states the number, date, issuer and the signer's line (DocumentMeta.quotes); a table row wrapped over
# several lines is one row; 10: the years a plan reports results or estimates for
# (DocumentMeta.reported_years); references printed in brackets ("mục (IV)(3.4)(a)", "điểm (b)") or as a
# dotted path with its point ("Mục III.3.4.b"); 11: register rows read month/quarter/year deadlines, a
# decision's articles (preamble) and more shared subjects; OCR'd headers ("S06:"), re-wrapped table rows, "Cc)";
# 12: a same-shape capital function word mid-sentence is small before a name too ("gửi Về Sở" → "gửi về Sở")
# 13: register rows: item headings listing bodies outside the lexicon, "Chỉ đạo <bodies> <verb>" points,
# deadlines counted in hours or from an event, bracketed roadmap windows, no catch-all partner;
# rows of a table grouped under Roman-numbered rows are named by the table's numbers (PL1.IV.2)
# 14: an OCR'd plan's title is read across its re-wrapped lines and repaired (index/ocr_repair); "ươ" printed "ué"
# 15: reporting rows read "(qua Sở X)" after the report's purpose, "báo cáo từ X" and "để Y báo cáo Z" (onward)
# 16: parts printed "PHẦN II", "Phần thứ hai", "CHƯƠNG II", Arabic or unnumbered capitals; body task-table rows
# 17: bordered ("| --- |") tables read by their STT and groups; register leads: run-in subjects ("- Sở X: …"), a dash line's subject, fields inside a sentence or a
# parenthesis, "(Sở A, Sở B thực hiện)", "Giao Sở X là cơ quan thường trực"; a field point's partners
# 18: OCR matching tokens read "ư"/"ủ" printed "t"/"tt"/"tr" in a vowelless word ("cht tri" = "chủ trì") and an item "4," (OCR for "4."); "Quý 11/2026" is quý II;
#     OCR re-wrapped table rows: "| <STT> |" opens a row, a tail "… |" stays in it, a "| STT |" header joins its wrap
# 19: OCR'd parts "PHAN I." / "Phan III].", sub-items "4.4,"; a body task table's rows re-wrapped over lines of text
# 20: register: an agency item lists its points' partners; steering-committee offices as actors; group headings
#     whose points name who acts are no lead; dashes inside names; every date of a sentence; "năm 2026–2027";
#     reporting lines from a task table's report column; "gửi Sở X" submissions; ";" clauses timed apart
# 21: register: reports to a committee's office ("Cơ quan thường trực Ban Chỉ đạo" → the body the plan names
#     as it; "Trưởng ban Ban Chỉ đạo")
# 22: an appendix headed "Phụ lục" alone (title the capital line below); an OCR'd rule line between a body
#     table's header and its first row; OCR-wrapped figures ("| 80 |", "5/2025 đến …") stay in their row
# 23: a body's name wrapped with its sentence onto a line in small letters goes on (OCR'd register rows);
#     labelled report fields, heads and working groups as recipients, point-level leads (session 33)
# 24: appendices "Phụ lục: <CAPITALS>", and below the signature "Phụ lục 01 <title>" (not the closing's);
#     references "điểm a, b khoản 2.2" (each point) and "mục 2" in a plan whose parts are 1., 2. (its part 2)
# 25: OCR'd "Phan tht nam" (Phần thứ năm) is a part; "CHẾ ĐỘ THÔNG TIN" a genre part title; "SG" (Sở), "phéi" (phối) matched

_ROMAN_VALUES = {
    "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
    "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15,
}
_ROMAN_NAMES = {v: k for k, v in _ROMAN_VALUES.items()}
# Characters an OCR engine prints for I, V and X at the start of a line.
_PART = re.compile(r"^(?P<num>[IVXLTMl1|]{1,5})\s*\.\s*(?P<title>\S.*)$")
_SUB_ITEM = re.compile(r"^(?P<item>\d{1,2})\.(?P<sub>\d{1,2})\.?\s+(?P<title>\S.*)$")
# "4.4, Lắp đặt …": OCR read the sub-item's closing period as a comma (a capital title must follow)
_SUB_ITEM_COMMA = re.compile(r"^(?P<item>\d{1,2})\.(?P<sub>\d{1,2}),\s+(?P<title>\S.*)$")
_ITEM = re.compile(r"^(?P<num>\d{1,2})\s*\.(?!\d)\s*(?P<title>\S.*)$")
# OCR reads an item's period as a comma ("4, Phòng Tuyên truyền"): taken only for the very next
# number with a capitalised title, so a wrapped line ("4, 5 và 6 tháng") stays text
_ITEM_COMMA = re.compile(r"^(?P<num>\d{1,2}),\s+(?P<title>\S.*)$")
# "a)", "đ)", "¢)" (c), "c¢)" (c), "4 ¢)" (page number 4 glued in front), "b)." (stray dot),
# "a}" / "b]" (the English model's reading of a thin closing parenthesis)
# "Cc)": OCR printed the point's c twice, as a capital (same shape) and as itself
_POINT = re.compile(r"^(?:\d{1,3}\s+)?(?P<letter>c¢|¢|Cc|[a-zđ])\s*[)}\]]\s*\.?\s*(?P<title>.*)$")
_LETTERS = ["a", "b", "c", "d", "đ", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"]
_PAGE_NUMBER = re.compile(r"^[-–—\s]*\d{1,3}[-–—\s]*$")
_APPENDIX_NUMBER = re.compile(r"^(?:[IVXL]{1,6}|\d{1,2})$")
# A top-level part named by a word: "PHẦN I. MỤC ĐÍCH", "Phần thứ hai: NỘI DUNG", "Phần 3 - …",
# "CHƯƠNG II" (the title on the line or on the next one).
_WORD_PART = re.compile(
    r"^(?P<word>ph[aăâàảãáạằẳẵắặầẩẫấậ]n|ch[uư][oơô]ng)\s+(?:thứ\s+)?(?P<num>[IVXLTMl1|]{1,5}[\]}]?|\d{1,2}|[^\W\d_]{2,5})(?=$|[\s.:\-–—])"
    r"\s*[.:\-–—]?\s*(?P<title>.*)$", re.IGNORECASE)
# The genre's top-level parts (Decree 30/2020 plans), as a plan prints them in capitals without a
# number: "MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG", "NHIỆM VỤ, GIẢI PHÁP", "TỔ CHỨC THỰC HIỆN", …
_PART_TITLES = ("muc dich", "muc tieu", "yeu cau", "quan diem", "noi dung", "nhiem vu", "giai phap",
                "to chuc thuc hien", "kinh phi", "che do bao cao", "che do thong tin", "phan cong", "trach nhiem",
                "doi tuong", "pham vi", "tinh hinh", "ket qua", "danh gia", "thoi gian", "lo trinh",
                "cac hoat dong", "hoat dong", "dieu khoan thi hanh", "kien nghi", "de xuat")


def _upper_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(c.isupper() for c in letters) / len(letters)


# The issuer's closing formula (Decree 30/2020: the body ends with what the issuer asks of its
# recipients): "Ủy ban nhân dân Thành phố yêu cầu các Sở …", "UBND tỉnh Nghệ An đề nghị …".
_CLOSING_FORMULA = re.compile(r"^(uy ban nhan dan|ubnd) (tinh|thanh pho)\b.{0,40}?\b(yeu cau|de nghi)\b")


def _closing_formula(parts: list[Section], closing: Section | None, lines: list[str]) -> Section | None:
    """A paragraph in the last item's text that opens with the issuer's closing formula starts
    the closing, where no "Trên đây là …" came before it."""
    if not parts:
        return closing
    last = parts[-1]
    while last.children:
        last = last.children[-1]
    for k, line in enumerate(last.lines[1:], start=1):
        if not _CLOSING_FORMULA.match(" ".join(match_tokens(line.strip()[:80]))):
            continue
        number = next(n for n in range(last.start_line, len(lines) + 1) if lines[n - 1] == line)
        moved, last.lines = last.lines[k:], last.lines[:k]
        last.end_line = max((n for n in range(last.start_line, number) if lines[n - 1].strip()),
                            default=last.start_line)
        if closing is None:
            end = max((n for n in range(number, len(lines) + 1) if lines[n - 1].strip() and lines[n - 1] in moved),
                      default=number)
            return Section("closing", "Phần kết", "", line.strip(), number, end, 0, lines=moved)
        closing.lines = moved + closing.lines
        closing.start_line, closing.heading = number, line.strip()
        return closing
    return closing


def appendix_heading(stripped: str, after_body: bool = False) -> tuple[str | None, str] | None:
    """"PHỤ LỤC", "PHỤ LỤC II", "PHỤ LỤC SỐ 01: DANH MỤC …", "Phụ lục 2", "Phụ lục: BIỂU TỔNG HỢP"
    → (printed number or None, title). A sentence that merely mentions an appendix ("Phụ lục kèm
    theo …") is not one: the words must be in capitals, or be alone, or be followed by a number
    alone or by a title in capitals. `after_body`: the line comes after the closing paragraph /
    signature block, where the genre prints nothing but the appendices, so one with a lower-case
    title ("Phụ lục 01 Danh mục nhiệm vụ") opens one too, unless it reads as a sentence."""
    words = stripped.split()
    if len(words) < 2 or match_tokens(" ".join(words[:2])) != ["phu", "luc"]:
        return None
    rest = words[2:]
    if len(rest) >= 2 and match_tokens(rest[0]) == ["so"]:
        rest = rest[1:]  # "PHỤ LỤC SỐ 01"
    number = rest[0].rstrip(".:-–—") if rest and _APPENDIX_NUMBER.match(rest[0].rstrip(".:-–—")) else None
    title = " ".join(rest[1:] if number else rest).lstrip(".:-–— ").strip()
    # "Phụ lục" alone on its line (a plan's only appendix, its title in capitals below): a sentence
    # that mentions an appendix always says more
    alone = not rest
    if _upper_ratio(" ".join(words[:2])) >= 0.7 or (number and not title) or alone:
        return number, title
    if title and _upper_ratio(title) >= 0.7 and len(title) >= 3:
        return number, title  # "Phụ lục: BIỂU TỔNG HỢP …", "Phụ lục 2. DANH MỤC …"
    if after_body and len(stripped) <= 120 and not stripped.endswith((".", ";", ",")):
        return number, title  # "Phụ lục 01 Danh mục nhiệm vụ" below the signature
    return None


def _label(kind: str, value: str) -> str:
    return {"part": f"Mục {value}", "item": f"khoản {value}", "sub": f"tiểu mục {value}",
            "point": f"điểm {value}"}[kind]


@dataclass
class _Heading:
    kind: str  # part | item | sub | point
    key: str  # path component
    value: int
    title: str


def part_number(token: str) -> int | None:
    """The number a part's numbering token stands for ("II", "2", "hai" of "thứ hai"): how a
    question names a part the way the plan printed it ("Mục III", "Phần thứ hai")."""
    return _roman_value(token)


def _roman_value(token: str) -> int | None:
    """"II" → 2, "2" → 2, "thứ hai" → 2 ("hai"), else None."""
    if token.upper() in _ROMAN_VALUES:
        return _ROMAN_VALUES[token.upper()]
    if token.isdigit():
        return int(token)
    folded = match_tokens(token)
    return _ORDINALS.get(folded[0]) if len(folded) == 1 else None


# A Roman numeral as the English OCR model prints it: I as l, 1, | or T, a closing "]" or "}" glued on
_DAMAGED_ROMAN = re.compile(r"^[IVXLTMl1|]{1,5}[\]}]?$")


def _word_part(stripped: str) -> tuple[int, str] | None:
    """(number, title) of "PHẦN II. NỘI DUNG", "Phần thứ hai", "Chương 3: …"; None for a sentence
    that opens with the word ("Phần kinh phí còn lại …"): the title, if any, is in capitals."""
    m = _WORD_PART.match(stripped)
    if not m:
        return None
    if match_tokens(m.group("word")) not in (["phan"], ["chuong"]):
        return None  # "Phấn I", "Phán 2": the folded pattern below let a misprinted vowel in
    num = m.group("num")
    title = m.group("title").strip()
    if match_tokens(num) == ["thu"] and title:
        # "thứ" as the English OCR model prints it ("Phan tht nam" = "Phần thứ năm"): the literal
        # "thứ" of the pattern missed it, so the ordinal is the title's first word
        ordinal, _, rest = title.partition(" ")
        if _ORDINALS.get("".join(match_tokens(ordinal.rstrip(".:-–—")))) is not None:
            num, title = ordinal.rstrip(".:-–—"), rest.lstrip(".:-–— ").strip()
    value = _roman_value(num)
    if value is None and _DAMAGED_ROMAN.match(num) and m.group("word")[:1].isupper():
        value = 0  # OCR-damaged numeral ("PHAN III].", "Phan IIT."): the plan's next part
    if value is None or (title and _upper_ratio(title) < 0.7):
        return None
    return value, title


def _caps_part(stripped: str) -> bool:
    """An unnumbered part of the genre printed in capitals ("MỤC ĐÍCH, YÊU CẦU", "TỔ CHỨC THỰC HIỆN")."""
    if len(stripped) > 90 or _upper_ratio(stripped) < 0.9 or stripped.endswith((".", ";", ",")):
        return False
    folded = " ".join(match_tokens(stripped))
    return folded.startswith(_PART_TITLES)


_ARABIC_PART = re.compile(r"^(?P<num>\d{1,2})\s*\.(?!\d)\s*(?P<title>\S.*)$")
_TRUE_ROMAN_PART = re.compile(r"^(?:I|II|III|IV|V)\s*\.\s*\S")


def _arabic_part(stripped: str) -> int | None:
    m = _ARABIC_PART.match(stripped)
    if m and _upper_ratio(m.group("title")) >= 0.7 and len(m.group("title")) >= 3:
        return int(m.group("num"))
    return None


def top_level_form(lines: list[str]) -> str:
    """How the plan numbers its parts: `word` ("PHẦN I", "Phần thứ nhất", "Chương I"), `roman`
    ("I."), `arabic` ("1. MỤC ĐÍCH, YÊU CẦU" / "2. NỘI DUNG" with "2.1." items, no Roman part) or
    `caps` (unnumbered capital titles of the genre's parts). Read once, before the parse, from the
    whole plan: which form a heading is depends on the form the plan's other headings use."""
    stripped = [line.strip() for line in lines]
    words = [v for v in (_word_part(s) for s in stripped if s) if v is not None]
    if any(v == 1 for v, _ in words) and any(v == 2 for v, _ in words):
        return "word"
    roman = [s for s in stripped if _TRUE_ROMAN_PART.match(s) and _upper_ratio(s) >= 0.7]
    if not roman:
        arabic = [v for v in (_arabic_part(s) for s in stripped) if v is not None]
        if 1 in arabic and 2 in arabic:
            return "arabic"
        body = False
        caps = 0
        for s in stripped:
            if _caps_part(s) and body:
                caps += 1
            elif len(s) > 20 and _upper_ratio(s) < 0.5:
                body = True
        if caps >= 2:
            return "caps"
    return "roman"


class _Parser:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.form = top_level_form(lines)
        self.part_value = 0
        self.item_value = 0
        self.sub_value = 0
        self.point_index = -1
        self.in_parts = False
        self.body = False  # caps form: a line of running text came (the title block is over)

    def _part(self, stripped: str) -> _Heading | None:
        expected = self.part_value + 1
        if self.form == "word":
            found = _word_part(stripped)
            if found and found[0] == 0:
                found = (expected, found[1])
            if found and self.part_value < found[0] <= expected + 1:
                return _Heading("part", _ROMAN_NAMES.get(found[0], str(found[0])), found[0], found[1])
            return None
        if self.form == "arabic":
            value = _arabic_part(stripped)
            if value is not None and self.part_value < value <= expected + 1 and not _SUB_ITEM.match(stripped):
                return _Heading("part", str(value), value, _ARABIC_PART.match(stripped).group("title"))  # type: ignore[union-attr]
            return None
        if self.form == "caps":
            if self.body and _caps_part(stripped):
                return _Heading("part", _ROMAN_NAMES.get(expected, str(expected)), expected, stripped)
            if len(stripped) > 20 and _upper_ratio(stripped) < 0.5:
                self.body = True
            return None
        m = _PART.match(stripped)
        if m and _upper_ratio(m.group("title")) >= 0.7 and len(m.group("title")) >= 3:
            token = m.group("num")
            value = _ROMAN_VALUES.get(token)
            if value is None or value <= self.part_value:
                # OCR-damaged numeral ("M.", "IIT.", "I11."): the plan means the next part; but a
                # lone "1." ("l.", "|.") after part I is an item printed in capitals ("1. MỤC ĐÍCH")
                lone_one = token in ("l", "1", "|")
                value = expected if (self.part_value > 0 and not lone_one or self.part_value == 0
                                     and token in ("I", "l", "1", "|")) else None
            if value is not None and value <= expected + 1:
                return _Heading("part", _ROMAN_NAMES.get(value, str(value)), value, m.group("title"))
        return None

    def heading(self, stripped: str) -> _Heading | None:
        part = self._part(stripped)
        if part is not None:
            return part
        if not self.in_parts:
            return None
        m = _SUB_ITEM.match(stripped)
        if m is None:
            m = _SUB_ITEM_COMMA.match(stripped)
            m = m if m and m.group("title")[0].isupper() else None
        if m and self.form == "arabic" and int(m.group("item")) == self.part_value:
            # "2.1." under part "2. NỘI DUNG" is its item 1 (path 2.1)
            sub = int(m.group("sub"))
            if sub in (self.item_value + 1, self.item_value + 2):
                return _Heading("item", str(sub), sub, m.group("title"))
        if m and self.item_value and int(m.group("item")) == self.item_value:
            sub = int(m.group("sub"))
            if sub in (self.sub_value + 1, self.sub_value + 2):
                return _Heading("sub", f"{self.item_value}.{sub}", sub, m.group("title"))
        m = _ITEM.match(stripped)
        if m and not _SUB_ITEM.match(stripped):
            num = int(m.group("num"))
            if num in (self.item_value + 1, self.item_value + 2) and m.group("title")[0] not in ")/":
                return _Heading("item", str(num), num, m.group("title"))
        m = _ITEM_COMMA.match(stripped)
        if m and self.item_value and int(m.group("num")) == self.item_value + 1 and m.group("title")[0].isupper():
            return _Heading("item", m.group("num"), self.item_value + 1, m.group("title"))
        m = _POINT.match(stripped)
        if m and (self.item_value or self.part_value):
            printed = m.group("letter")
            letter = "c" if "¢" in printed or printed == "Cc" else printed
            if letter == "d" and self.point_index == _LETTERS.index("d"):
                letter = "đ"  # a second "d)" right after "d)" is OCR for "đ)"
            elif letter == "đ" and self.point_index == _LETTERS.index("c"):
                letter = "d"  # no plan skips d: an "đ)" right after "c)" is OCR for "d)"
            index = _LETTERS.index(letter)
            if (self.point_index == -1 and letter == "a") or (
                self.point_index >= 0 and 0 < index - self.point_index <= 2
            ):
                return _Heading("point", letter, index, m.group("title"))
        return None

    def accept(self, h: _Heading) -> None:
        if h.kind == "part":
            self.part_value, self.item_value, self.sub_value, self.point_index = h.value, 0, 0, -1
            self.in_parts = True
        elif h.kind == "item":
            self.item_value, self.sub_value, self.point_index = h.value, 0, -1
        elif h.kind == "sub":
            self.sub_value, self.point_index = h.value, -1
        else:
            self.point_index = h.value


# the first cell of a table row: its STT ("3", "1.2", "II", "a"), a group's capital letter ("A")
_ROW_START = re.compile(r"^(?:\d{1,3}(?:\.\d{1,2})*|[IVXLC]+|[A-Z]|[a-zđ])[.)]?$")


def _key_rows(appendix: Section) -> None:
    """An appendix's rows are named by the table's own STT (`PL1.3`, `PL1.IV.2` where the STT
    restarts in each group, `PL1.2.1` for a "-" sub-row), by position only without an STT."""
    keys = row_keys([row.heading for row in appendix.children])
    for row, (path, label) in zip(appendix.children, keys or (), strict=False):
        row.path = f"{appendix.path}.{path}"
        row.label = f"{appendix.label}, {label}"


def _body_row(stripped: str, header: str | None, in_row: bool, stack: list[Section]) -> tuple[str, bool] | None:
    """A row of a task table inside a body part ("III. NỘI DUNG, THỜI GIAN" holding `STT | Nội dung |
    Thời gian | Chủ trì | Phối hợp`): (STT, True) for a numbered row, which is the section `<part>.<STT>`,
    ("", False) for a line that goes on with the row above (its STT cell empty or "…"); None for no row.
    Only a table numbered by STT placed directly in a part (before its first item) is read so."""
    if header is None or not is_table_line(stripped) or not stack:
        return None
    first = cells(stripped)[0].rstrip(".")
    if first.isdigit() and (len(stack) == 1 or in_row):
        return first, True
    if in_row and first in ("", "…", "...", "..."):
        return "", False
    return None


def _next_is_row(lines: list[str], number: int) -> bool:
    """The next non-blank line after line `number` (1-based) is a table row."""
    following = next((x.strip() for x in lines[number:] if x.strip()), "")
    return is_table_line(following)


def parse_plan(raw_text: str, source: str, sha256: str = "") -> ParsedPlan:
    """Parse a plan's text (any encoding already decoded) into its section tree and metadata."""
    text = clean_text(raw_text)
    lines = text.split("\n")
    parser = _Parser(lines)
    preamble = Section("preamble", "Phần mở đầu", "", "", 1, 1, 0)
    parts: list[Section] = []
    closing: Section | None = None
    appendices: list[Section] = []
    current = preamble
    stack: list[Section] = []  # open sections, outermost first
    in_table = False  # inside an appendix: the previous non-blank line was a table row
    header: str | None = None  # the current appendix table's header row (joined when wrapped)
    body_header: str | None = None  # the header row (STT | …) of a task table inside a body part
    body_rows: set[str] = set()  # the paths of that table's rows

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        found = appendix_heading(stripped, after_body=closing is not None or bool(appendices)) \
            if parser.in_parts and stripped and not is_table_line(stripped) else None
        if found is not None:
            # An appendix after the plan: a top-level section PL{n}; its table rows are PL{n}.{row}.
            printed, title = found
            if not title:
                # "PHỤ LỤC I" / "LỊCH GỬI BÁO CÁO …": the appendix's title is the capital line below
                following = next((x.strip() for x in lines[number:number + 3] if x.strip()), "")
                if following and not is_table_line(following) and _upper_ratio(following) >= 0.7:
                    title = following
            ordinal = len(appendices) + 1
            current = Section(f"PL{ordinal}", f"Phụ lục {printed or ordinal}", (title or stripped)[:TITLE_CHARS],
                              stripped, number, number, 1, lines=[line])
            appendices.append(current)
            in_table, header = False, None
            continue
        if appendices:
            appendix = appendices[-1]
            # a wrapped row's tail ("Quý II/2026 |") is part of the table too
            tabular = is_table_line(stripped) or stripped.startswith("|") or stripped.endswith("|")
            first = cells(stripped)[0] if stripped else ""
            # the row's STT opens it, or a group's capital title spans it (merged cells, no STT)
            numbered = bool(_ROW_START.match(first)) or spanning_title(stripped) is not None
            if stripped and header and in_table and is_delimiter_row(stripped):
                current.lines.append(line)  # the rule under a Markdown table's header is not a row
                current.end_line = number
                continue
            # a line opened by "| <STT> |" starts a row even when the rest of it was wrapped away
            # ("| 3 | Đầu tư xây dựng 06 công trình" / "tại khu vực … | Ban Quản lý … |"): OCR re-wraps
            # rows, and a cell's continuation never opens with a cell of its own holding an STT
            opened = cells(stripped) if stripped.startswith("|") else []  # cells() drops the border's empty cell
            opened_row = len(opened) >= 2 and bool(_ROW_START.match(opened[0].strip())) and header is not None
            if stripped and current is appendix and header and in_table and not numbered and not opened_row and \
                    cells(header)[0].lower() in ("stt", "tt"):
                # a header an OCR'd or narrow copy wrapped ("… | Thời gian" / "thực hiện | Sản phẩm"):
                # the rows of a table numbered by STT start with their number
                header = f"{header} {stripped}"
                current.lines.append(line)
                current.end_line = number
                continue
            so_far = len(cells(" ".join(x.strip() for x in current.lines).rstrip(" |"))) \
                if current.parent is appendix else 0
            # the line completes the row without going past the header's cells (a line that would is
            # a row of its own, unnumbered: "Thực hiện sao lưu … | Sở KH&CN | Sở Tài chính")
            # and a row that reached its time column is whole ("2 | … | Sở Tài chính | … | Quý IV/2026")
            limit = len(cells(header)) if header is not None else 0
            if header is not None and "deadline" in column_roles(header):
                # (the time column may come before the agencies: "STT | Thời gian | Nội dung | Chủ
                # trì | Phối hợp | Địa bàn" is whole once its lead and partners are there too)
                roles = column_roles(header)
                limit = max(roles[r] for r in ("deadline", "task", "lead", "cooperating") if r in roles) + 1
            # unless the time itself was cut ("… | Tháng" / "10/2026 | Lớp tập huấn", "… | Từ tháng" /
            # "5/2025 đến hết tháng 7/2025 | …": a row's own first cell, its task, never opens with a figure)
            # and in a bordered table a row whose last line stops inside a cell ("… | SG" / "Văn hóa, …
            # | Phường … |") goes on whatever its columns
            last = next((x.strip() for x in reversed(current.lines) if x.strip()), "")
            cut_cell = bool(header and header.startswith("|") and last and not last.endswith("|"))
            row_open = (0 < so_far < limit or 0 < so_far == limit and (len(first.split()) <= 3 or first[:1].isdigit() or cut_cell)) \
                and so_far + len(cells(stripped)) - 1 <= len(cells(header or ""))
            previous_stt = cells(current.heading)[0].rstrip(".)") if current.parent is appendix else ""
            if previous_stt and group_mark(current.heading) is not None:
                previous_stt = ""  # a group row OCR read as "| 1 | NHOM …": its first row "| 1 |" is a row
            if numbered and row_open and first.isdigit() and previous_stt.isdigit():
                # a figure wrapped to the line's start ("5." / "600 | 3.100"), not the next STT
                numbered = int(first) == int(previous_stt) + 1
            if opened_row and row_open and opened[0].strip().isdigit() and previous_stt.isdigit():
                # the same with a border: "| 80 | Sở Tài nguyên …" goes on with row 4 of a table of targets
                opened_row = int(opened[0].strip()) == int(previous_stt) + 1
            if numbered and len(first.rstrip(".)")) == 1 and first[0] in _LETTERS and current.parent is appendix:
                # a lettered row ("a", "b") follows the letter before it or opens the lettering with
                # "a"; any other lone small letter is a word an OCR'd row wrapped ("Thú" / "y | …")
                before = cells(current.heading)[0].rstrip(".)") if current.heading else ""
                step = _LETTERS.index(first[0]) - _LETTERS.index(before) if before in _LETTERS else None
                numbered = first[0] == "a" or step in (1, 2)
            # a line that opens in lower case is the rest of a cell, never a new row (a cell, and so a
            # row, starts with a capital or its number): "nhận đủ dự toán | Quyết định giao kinh phí"
            lower = current.parent is appendix and first[:1].islower() and not numbered
            # in a row still short of its cells, a line without a border is a cell OCR wrapped over
            # whole lines ("| 3 | Rà soát … không" / "đủ điều kiện hoạt động" / "| Sở …"), and so is the
            # rest of an OCR'd group row (its empty cells read as "IIIT"): it does not end the table
            wrapped = current.parent is appendix and row_open and not tabular
            if stripped and (row_open or lower) and not numbered and not opened_row and (tabular or wrapped):
                # a row an OCR'd or narrow copy wrapped: its cells go on until the header's are all there
                current.lines.append(line)
                current.end_line = number
                continue
            if stripped and (is_table_line(stripped) or opened_row) and (in_table or numbered and header is not None):
                row = len(appendix.children) + 1
                current = Section(f"{appendix.path}.{row}", f"{appendix.label}, dòng {row}",
                                  stripped[:TITLE_CHARS], stripped, number, number, 2, lines=[line], parent=appendix)
                appendix.children.append(current)
                in_table = True
                continue
            if stripped:
                if is_table_line(stripped) and not in_table:
                    header = stripped  # a table's first row is its header: it is not a row
                in_table = is_table_line(stripped)
            current.lines.append(line)
            if stripped:
                current.end_line = number
            continue
        if closing is None and parser.in_parts and stripped and is_closing_line(stripped):
            closing = Section("closing", "Phần kết", "", stripped, number, number, 0)
            current = closing
        if closing is None and parser.in_parts and stripped and is_table_line(stripped):
            in_row = current.path in body_rows
            table_row = _body_row(stripped, body_header, in_row, stack)
            if table_row is not None and table_row[1] and in_row and \
                    int(table_row[0]) <= int(current.path.rsplit(".", 1)[-1]):
                # a figure a re-wrapped row put at the line's start ("2 | đơn vị" in row 7), not a row
                # (rows may skip numbers: "… | … |" stands for rows left out)
                table_row = ("", False)
            if table_row is not None and table_row[1] and table_row[0] != current.path.rsplit(".", 1)[-1]:
                part = stack[0]
                task = next((c for c in cells(stripped)[1:] if c), stripped)
                current = Section(f"{part.path}.{table_row[0]}", f"{part.label}, dòng {table_row[0]}", task[:TITLE_CHARS],
                                  stripped, number, number, 2, lines=[line], parent=part)
                body_rows.add(current.path)
                part.children.append(current)
                del stack[1:]
                stack.append(current)
                continue
            if table_row is None and cells(stripped)[0].lower() in ("stt", "tt"):
                body_header = stripped
        elif stripped and not is_table_line(stripped) and current.path not in body_rows and \
                not (body_header and stripped.endswith("|")) and \
                not (body_header and current is stack[0] and _next_is_row(lines, number)):
            # the header's wrapped tail ("phối hợp |") does not end the table, nor does a line between
            # the header and its first row (the rule under it, OCR'd as noise: "eed lee eed ee ;")
            # a line of text ends the table, but not a row's cell that an OCR'd or narrow copy
            # re-wrapped onto a line without a border ("Kiểm lâm các huyện | Trước ngày …" / "Nông
            # nghiệp và Phát triển nông thôn"); a heading ends it below
            body_header = None
        # a table row is never a heading ("1. | Tổ chức hội nghị" is row 1, not item 1)
        heading = parser.heading(stripped) if closing is None and stripped and not is_table_line(stripped) else None
        if heading is None:
            if stripped and _PAGE_NUMBER.match(stripped):
                continue  # page numbers are layout, not content
            current.lines.append(line)
            if stripped:
                current.end_line = number
            continue
        parser.accept(heading)
        body_header = None
        depth = {"part": 1, "item": 2, "sub": 3, "point": 4 if parser.sub_value else 3}[heading.kind]
        while len(stack) >= depth:
            stack.pop()
        parent = stack[-1] if stack else None
        path = heading.key if parent is None else f"{parent.path}.{heading.key.split('.')[-1]}"
        label_value = heading.key
        label = _label(heading.kind, label_value) if parent is None else (
            f"{parent.label}, {_label(heading.kind, label_value)}"
        )
        section = Section(
            path=path, label=label, title=heading.title.rstrip()[:TITLE_CHARS], heading=stripped,
            start_line=number, end_line=number, level=depth, lines=[line], parent=parent,
        )
        if heading.kind == "part" and not section.title:
            # "PHẦN THỨ NHẤT" / "MỤC ĐÍCH, YÊU CẦU": the part's title is the capital line after it
            following = next((x.strip() for x in lines[number:number + 3] if x.strip()), "")
            if following and _upper_ratio(following) >= 0.7:
                section.title = following[:TITLE_CHARS]
        if parent is None:
            parts.append(section)
        else:
            parent.children.append(section)
        stack.append(section)
        current = section

    for appendix in appendices:
        _key_rows(appendix)
    closing = _closing_formula(parts, closing, lines)
    sections = [s for part in parts for s in part.walk()]
    meta = replace(extract_metadata(text, source, sha256, sections), model_version=PLAN_MODEL_VERSION)
    plan = ParsedPlan(meta=meta, text=text, preamble=preamble, parts=parts, closing=closing, appendices=appendices)
    plan.xrefs = find_xrefs(plan)
    plan.header_lines = header_line_count(text)
    return plan

