"""Document metadata: province, year, plan number (số hiệu) and a readable title."""

from __future__ import annotations

import re

from index.models import DocumentMeta
from index.normalize import clean_text, match_tokens

# Provinces and centrally-run cities, before and after the 2025 mergers; aliases map to one name.
PROVINCES: dict[str, tuple[str, ...]] = {
    "An Giang": (), "Bà Rịa - Vũng Tàu": ("Bà Rịa Vũng Tàu", "Vũng Tàu"), "Bắc Giang": (),
    "Bắc Kạn": ("Bắc Cạn",), "Bạc Liêu": (), "Bắc Ninh": (), "Bến Tre": (), "Bình Định": (),
    "Bình Dương": (), "Bình Phước": (), "Bình Thuận": (), "Cà Mau": (), "Cần Thơ": (),
    "Cao Bằng": (), "Đà Nẵng": (), "Đắk Lắk": ("Đắc Lắc",), "Đắk Nông": (), "Điện Biên": (),
    "Đồng Nai": (), "Đồng Tháp": (), "Gia Lai": (), "Hà Giang": (), "Hà Nam": (), "Hà Nội": (),
    "Hà Tĩnh": (), "Hải Dương": (), "Hải Phòng": (), "Hậu Giang": (), "Hòa Bình": ("Hoà Bình",),
    "Hưng Yên": (), "Khánh Hòa": ("Khánh Hoà",), "Kiên Giang": (), "Kon Tum": (),
    "Lai Châu": (), "Lâm Đồng": (), "Lạng Sơn": (), "Lào Cai": (), "Long An": (),
    "Nam Định": (), "Nghệ An": (), "Ninh Bình": (), "Ninh Thuận": (), "Phú Thọ": (),
    "Phú Yên": (), "Quảng Bình": (), "Quảng Nam": (), "Quảng Ngãi": (), "Quảng Ninh": (),
    "Quảng Trị": (), "Sóc Trăng": (), "Sơn La": (), "Tây Ninh": (), "Thái Bình": (),
    "Thái Nguyên": (), "Thanh Hóa": ("Thanh Hoá",), "Thừa Thiên Huế": ("Huế", "TT Huế", "TTH"),
    "Tiền Giang": (), "Thành phố Hồ Chí Minh": ("Hồ Chí Minh", "TP HCM", "TPHCM", "Sài Gòn"),
    "Trà Vinh": (), "Tuyên Quang": (), "Vĩnh Long": (), "Vĩnh Phúc": (), "Yên Bái": (),
}


def _province_patterns() -> list[tuple[str, tuple[str, ...]]]:
    patterns = []
    for name, aliases in PROVINCES.items():
        for form in (name, *aliases):
            tokens = tuple(match_tokens(form))
            if tokens:
                patterns.append((name, tokens))
    # Longer names first, so "Thừa Thiên Huế" wins over its alias "Huế".
    patterns.sort(key=lambda p: -len(p[1]))
    return patterns


_PATTERNS = _province_patterns()


def find_provinces(text: str) -> list[str]:
    """Canonical provinces named in a text (folded, OCR-tolerant), in order of first mention."""
    tokens = match_tokens(text)
    found: list[str] = []
    used: set[int] = set()
    for name, pattern in _PATTERNS:
        n = len(pattern)
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i : i + n]) == pattern and not used.intersection(range(i, i + n)):
                used.update(range(i, i + n))
                if name not in found:
                    found.append(name)
    positions = {}
    for name, pattern in _PATTERNS:
        n = len(pattern)
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i : i + n]) == pattern:
                positions.setdefault(name, i)
    return sorted(found, key=lambda name: positions.get(name, 0))


_YEAR = re.compile(r"\b(19[89]\d|20[0-9]\d)\b")
_NUMBER = re.compile(r":\s*(\d{1,6})\s*/\s*([A-ZĐ]{1,6}(?:\s?-\s?[A-ZĐ]{1,10}){1,3})")
_VIETNAMESE_MARKS = re.compile("[ăâêôơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹàáèìíòóùúýõãĩũ]")


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


def looks_ocr_damaged(text: str) -> bool:
    """Clean Vietnamese has a diacritic in most syllables; English-model OCR output has few."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 30:
        return False
    marked = sum(1 for w in words if _VIETNAMESE_MARKS.search(w))
    return marked / len(words) < 0.25


def _title_block(lines: list[str]) -> str:
    """The plan's own title: the lines after "KẾ HOẠCH", or the first paragraph."""
    head = [ln.strip() for ln in lines[:30]]
    start = 0
    for i, line in enumerate(head):
        if match_tokens(line) == ["ke", "hoach"]:
            start = i + 1
            break
    block: list[str] = []
    for line in head[start:]:
        first = match_tokens(line)[:2]
        # the title ends at a blank line, or where the basis ("Căn cứ", "Thực hiện …") begins
        if (not line and block) or (block and first in (["can", "cu"], ["thuc", "hien"], ["thue", "hien"])):
            break
        if line:
            block.append(line)
        if len(block) == 4:
            break
    return " ".join(block)


def _plan_year(title: str, header: str) -> int | None:
    tokens = match_tokens(title)
    for i, tok in enumerate(tokens[:-1]):
        # "đến năm 2030" is a horizon, not the plan's year
        if tok == "nam" and _YEAR.fullmatch(tokens[i + 1]) and (i == 0 or tokens[i - 1] not in ("den", "toi")):
            return int(tokens[i + 1])
    # else the year the plan was signed ("…, ngày 18 tháng 6 năm 2024")
    tokens = match_tokens(header)
    for i, tok in enumerate(tokens[:-1]):
        if tok in ("nam", "nim", "ndm") and _YEAR.fullmatch(tokens[i + 1]):
            return int(tokens[i + 1])
    return None


def extract_metadata(text: str, source: str, sha256: str = "") -> DocumentMeta:
    text = clean_text(text)
    lines = text.split("\n")
    header = "\n".join(lines[:5])
    title_raw = _title_block(lines)
    front = "\n".join(lines[:40])
    provinces = find_provinces(header + "\n" + title_raw) or find_provinces(front)
    province = provinces[0] if provinces else None
    year = _plan_year(title_raw, header)
    m = _NUMBER.search(header)
    number = m.group(1) + "/" + re.sub(r"\s", "", m.group(2)) if m else None
    if title_raw and not looks_ocr_damaged(text):
        body = title_raw.lower() if title_raw.isupper() else title_raw[0].lower() + title_raw[1:]
        if province:
            body = re.sub(re.escape(province.lower()), province, body)
        title = "Kế hoạch " + body
    else:
        # The OCR'd title is unreadable; say what is known for sure instead.
        folded_title = " ".join(match_tokens(title_raw))
        topic = next((name for key, name in _TOPICS.items() if key in folded_title), None)
        title = "Kế hoạch" + (f" {topic}" if topic else "") + (f" số {number}" if number else "")
        title += f" của UBND tỉnh {province}" if province else ""
        title += f" năm {year}" if year else ""
    return DocumentMeta(source=source, title=title, province=province, year=year, number=number,
                        sha256=sha256)
