"""Vietnam's provincial units: the 63 before and the 34 after the 2025 reorganisation.

Resolution 202/2025/QH15 (12 June 2025, in force 1 July 2025) merged 52 of the 63 provinces and
centrally-run cities into 23 units and left 11 unchanged. Earlier, Thừa Thiên Huế became the
centrally-run city of Huế (Resolution 1314/NQ-UBTVQH15, from 1 January 2025). Plans issued before a
merger keep the old name: a province is always the name the document gives, and a question that
names a new unit also reaches its predecessors' plans.
"""

from __future__ import annotations

from functools import lru_cache

from lang.normalize import match_tokens

# The 34 units from 1 July 2025 → the former units merged into them (the unit's own former
# territory is the unit itself and is not repeated). The 11 units left unchanged map to ().
UNITS_2025: dict[str, tuple[str, ...]] = {
    # unchanged
    "Hà Nội": (), "Huế": ("Thừa Thiên Huế",), "Lai Châu": (), "Điện Biên": (), "Sơn La": (),
    "Lạng Sơn": (), "Quảng Ninh": (), "Thanh Hóa": (), "Nghệ An": (), "Hà Tĩnh": (), "Cao Bằng": (),
    # merged
    "Tuyên Quang": ("Hà Giang",),
    "Lào Cai": ("Yên Bái",),
    "Thái Nguyên": ("Bắc Kạn",),
    "Phú Thọ": ("Vĩnh Phúc", "Hòa Bình"),
    "Bắc Ninh": ("Bắc Giang",),
    "Hưng Yên": ("Thái Bình",),
    "Hải Phòng": ("Hải Dương",),
    "Ninh Bình": ("Hà Nam", "Nam Định"),
    "Quảng Trị": ("Quảng Bình",),
    "Đà Nẵng": ("Quảng Nam",),
    "Quảng Ngãi": ("Kon Tum",),
    "Gia Lai": ("Bình Định",),
    "Khánh Hòa": ("Ninh Thuận",),
    "Lâm Đồng": ("Đắk Nông", "Bình Thuận"),
    "Đắk Lắk": ("Phú Yên",),
    "Thành phố Hồ Chí Minh": ("Bình Dương", "Bà Rịa - Vũng Tàu"),
    "Đồng Nai": ("Bình Phước",),
    "Tây Ninh": ("Long An",),
    "Cần Thơ": ("Sóc Trăng", "Hậu Giang"),
    "Vĩnh Long": ("Bến Tre", "Trà Vinh"),
    "Đồng Tháp": ("Tiền Giang",),
    "Cà Mau": ("Bạc Liêu",),
    "An Giang": ("Kiên Giang",),
}

# Centrally-run cities ("thành phố"), before and after; every other unit is a "tỉnh".
CITIES = frozenset({"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Thành phố Hồ Chí Minh", "Cần Thơ"})

# Other spellings people and documents use (not other places).
ALIASES: dict[str, tuple[str, ...]] = {
    "Bà Rịa - Vũng Tàu": ("Bà Rịa Vũng Tàu", "Vũng Tàu", "BR-VT"),
    "Bắc Kạn": ("Bắc Cạn",), "Đắk Lắk": ("Đắc Lắc", "Daklak"), "Đắk Nông": ("Đắc Nông",),
    "Hòa Bình": ("Hoà Bình",), "Khánh Hòa": ("Khánh Hoà",), "Thanh Hóa": ("Thanh Hoá",),
    "Thừa Thiên Huế": ("Thừa Thiên - Huế", "TT Huế", "TTH"),
    "Thành phố Hồ Chí Minh": ("Hồ Chí Minh", "TP HCM", "TPHCM", "HCM", "Sài Gòn"),
}

# Every name a plan may carry: the 34 units and the former units.
KNOWN: tuple[str, ...] = tuple(dict.fromkeys(
    [*UNITS_2025, *(p for preds in UNITS_2025.values() for p in preds)]))
# A former unit whose territory became one new unit whole and alone: only renamed.
RENAMED = {"Thừa Thiên Huế": "Huế"}
_SUCCESSOR = {old: new for new, olds in UNITS_2025.items() for old in olds}


def successor(province: str) -> str | None:
    """The unit a former province belongs to since 2025 ("Vĩnh Phúc" → "Phú Thọ"); None for a
    current unit or an unknown name."""
    return _SUCCESSOR.get(province)


def predecessors(unit: str) -> tuple[str, ...]:
    return UNITS_2025.get(unit, ())


def unit_kind(province: str) -> str:
    """"thành phố" for a centrally-run city, "tỉnh" otherwise (the word before the name)."""
    return "thành phố" if province in CITIES or province.lower().startswith("thành phố") else "tỉnh"


def at_own_level(name: str, province: str | None) -> str:
    """A province-level body as a centrally-run city's plan names it: the lexicon's "… tỉnh"
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Hội Liên hiệp Phụ nữ tỉnh") is "… thành phố" in
    a plan of Cần Thơ or Huế (Decree 30 plans name their own level by its kind word). Any other
    name, or a plan of a "tỉnh", keeps its form."""
    if province and unit_kind(province) == "thành phố" and name.endswith(" tỉnh"):
        return name[: -len("tỉnh")] + "thành phố"
    return name


def with_kind(province: str) -> str:
    """"tỉnh Vĩnh Phúc", "thành phố Huế", "Thành phố Hồ Chí Minh" (the name already says it)."""
    if province.lower().startswith("thành phố"):
        return province
    return f"{unit_kind(province)} {province}"


def same_place(name: str) -> set[str]:
    """The names whose plans a question naming `name` should reach: the name, the units merged into
    it, and for a renamed unit its former name (Huế ↔ Thừa Thiên Huế)."""
    names = {name, *predecessors(name)}
    if name in RENAMED:
        names.add(RENAMED[name])
    return names


def now_part_of(province: str) -> str | None:
    """"Vĩnh Phúc, nay thuộc tỉnh Phú Thọ" / "Thừa Thiên Huế, nay là thành phố Huế": what a
    reader needs to know when a plan carries a former name; None for a current unit."""
    new = successor(province)
    if new is None:
        return None
    verb = "nay là" if RENAMED.get(province) == new else "nay thuộc"
    return f"{province}, {verb} {with_kind(new)}"


@lru_cache(maxsize=1)
def patterns() -> list[tuple[str, tuple[str, ...]]]:
    """(canonical name, matching tokens) for every known name and alias, longest first, so that
    "Thừa Thiên Huế" wins over "Huế"."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for name in KNOWN:
        for form in (name, *ALIASES.get(name, ())):
            tokens = tuple(match_tokens(form))
            if tokens:
                out.append((name, tokens))
    out.sort(key=lambda p: -len(p[1]))
    return out


def known_province(tokens: list[str] | tuple[str, ...]) -> str | None:
    """The canonical name whose tokens are exactly these (OCR-repaired, folded) tokens."""
    key = tuple(tokens)
    return next((name for name, pattern in patterns() if pattern == key), None)
