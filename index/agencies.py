"""Agency names: one canonical Vietnamese name per agency, found in clean, unaccented or OCR'd text.

The lexicon lists the agencies that plans of this genre assign work to (provincial departments
after and before the 2025 mergers, the provincial party and state bodies, central ministries).
Matching runs on the folded, OCR-repaired tokens, with the consonant frame as a fallback, so
"S¢ Thong tin va Truyén thong" and "Sở TTTT" both give "Sở Thông tin và Truyền thông".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.normalize import match_tokens, remembered, skeleton

# canonical name → aliases (abbreviations and older names)
AGENCIES: dict[str, tuple[str, ...]] = {
    "Ủy ban nhân dân tỉnh": ("UBND tỉnh", "Uỷ ban nhân dân tỉnh", "UBND tinh"),
    "Văn phòng Ủy ban nhân dân tỉnh": ("Văn phòng UBND tỉnh", "VP UBND tỉnh"),
    "Sở Thông tin và Truyền thông": ("Sở TTTT", "Sở TT&TT", "Sở TT và TT", "STTTT"),
    "Sở Văn hóa, Thể thao và Du lịch": ("Sở VHTTDL", "Sở VH-TT&DL", "Sở Văn hóa Thể thao và Du lịch",
                                        "Sở Văn hoá, Thể thao và Du lịch", "VHTTDL"),
    "Sở Văn hóa và Thể thao": ("Sở VHTT", "Sở Văn hoá và Thể thao"),
    "Sở Du lịch": (),
    "Sở Ngoại vụ": (),
    "Sở Tài chính": (),
    "Sở Kế hoạch và Đầu tư": ("Sở KHĐT", "Sở KH&ĐT"),
    "Sở Công Thương": ("Sở Công thương",),
    "Sở Tài nguyên và Môi trường": ("Sở TNMT", "Sở TN&MT"),
    "Sở Nông nghiệp và Môi trường": ("Sở NN&MT", "Sở NNMT", "Sở NN và MT"),
    "Sở Nông nghiệp và Phát triển nông thôn": ("Sở NN&PTNT", "Sở NNPTNT"),
    "Sở Lao động - Thương binh và Xã hội": ("Sở Lao động, Thương binh và Xã hội", "Sở LĐTBXH",
                                            "Sở Lao động Thương binh và Xã hội"),
    "Sở Nội vụ": (),
    "Sở Tư pháp": (),
    "Sở Giáo dục và Đào tạo": ("Sở GDĐT", "Sở GD&ĐT"),
    "Sở Y tế": (),
    "Sở Xây dựng": (),
    "Sở Giao thông vận tải": ("Sở GTVT",),
    "Sở Khoa học và Công nghệ": ("Sở KHCN", "Sở KH&CN"),
    "Sở Dân tộc và Tôn giáo": (),
    "Công an tỉnh": (),
    "Bộ Chỉ huy Quân sự tỉnh": ("Bộ CHQS tỉnh",),
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh": ("BĐBP tỉnh", "Bộ Chỉ huy BĐBP tỉnh", "Bộ đội Biên phòng tỉnh"),
    "Ban Tuyên giáo Tỉnh ủy": ("Ban Tuyên giáo Tỉnh uỷ",),
    "Ban Tuyên giáo và Dân vận Tỉnh ủy": (),
    "Ban Chỉ đạo công tác thông tin đối ngoại tỉnh": ("Ban Chỉ đạo Công tác thông tin đối ngoại của tỉnh",
                                                      "Ban Chỉ đạo công tác TTĐN tỉnh"),
    "Ban Quản lý các khu công nghiệp tỉnh": ("Ban Quản lý khu kinh tế và các khu công nghiệp tỉnh",),
    "Liên hiệp các tổ chức hữu nghị tỉnh": (),
    "Đài Phát thanh và Truyền hình tỉnh": (),
    "Các cơ quan báo chí tỉnh": ("cơ quan báo chí",),
    "Ủy ban nhân dân các huyện, thị xã, thành phố": ("UBND các huyện, thị xã và thành phố",
                                                     "UBND các huyện, thành phố", "UBND các huyện",
                                                     "Ủy ban nhân dân các huyện, thành phố"),
    "Ủy ban nhân dân các xã, phường": ("UBND xã, phường", "Ủy ban nhân dân xã, phường",
                                       "UBND các xã, phường"),
    "Các sở, ban, ngành tỉnh": ("các sở, ban, ngành", "các sở, ngành"),
    "Bộ Thông tin và Truyền thông": ("Bộ TTTT", "BTTTT", "Bộ TT&TT"),
    "Bộ Văn hóa, Thể thao và Du lịch": ("Bộ VHTTDL", "Bộ Văn hóa Thể thao và Du lịch",
                                        "Bộ Văn hoá, Thể thao và Du lịch"),
    "Bộ Ngoại giao": (),
    "Bộ Chính trị": (),
    "Chính phủ": (),
    "Thủ tướng Chính phủ": (),
    "Ban Thường vụ Tỉnh ủy": ("Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh uỷ"),
    "Tỉnh ủy": ("Tỉnh uỷ",),
    "Hội đồng nhân dân tỉnh": ("HĐND tỉnh",),
    # the Front and the mass organisations plans of this genre ask to cooperate
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh": ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban MTTQVN tỉnh",
                                              "Mặt trận Tổ quốc Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc tỉnh", "Mặt trận Tổ quốc",
                                              "Uỷ ban Mặt trận Tổ quốc Việt Nam tỉnh"),
    "Hội Nhà báo tỉnh": (),
    "Hội Liên hiệp Phụ nữ tỉnh": ("Hội LHPN tỉnh",),
    "Hội Nông dân tỉnh": (),
    "Hội Cựu chiến binh tỉnh": (),
    "Liên đoàn Lao động tỉnh": (),
    "Tỉnh đoàn": ("Tỉnh Đoàn thanh niên", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh"),
    "Hội thân nhân người Việt Nam ở nước ngoài": ("Hội Liên lạc với người Việt Nam ở nước ngoài",),
    "Ủy ban nhân dân các xã ven biển": ("UBND các xã ven biển",),
    # the collective recipient of "báo cáo lãnh đạo tỉnh", "tham mưu lãnh đạo tỉnh"
    "Lãnh đạo tỉnh": (),
}


@dataclass(frozen=True)
class AgencyMention:
    name: str  # canonical
    start: int  # token offsets in the matched token list
    end: int


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    out = []
    for name, aliases in AGENCIES.items():
        for form in (name, *aliases):
            tokens = tuple(match_tokens(form))
            if tokens:
                out.append((name, tokens, tuple(skeleton(t) for t in tokens)))
    # longest first: "Văn phòng Ủy ban nhân dân tỉnh" before "Ủy ban nhân dân tỉnh"
    out.sort(key=lambda p: -len(p[1]))
    return out


@lru_cache(maxsize=1)
def _patterns_by_frames() -> tuple[dict[tuple[str, str], list[tuple[int, str, tuple[str, ...], tuple[str, ...]]]],
                                   dict[str, list[tuple[int, str, tuple[str, ...], tuple[str, ...]]]]]:
    """Patterns keyed by the frames of their first two syllables (one-syllable patterns by the
    first), which every match shares: an exact match has them, and a close one (`_close`) may
    break a syllable's frame only at the end of a long name. Each text position then tries the
    few patterns that can match there instead of all of them."""
    by_two: dict[tuple[str, str], list[tuple[int, str, tuple[str, ...], tuple[str, ...]]]] = {}
    by_one: dict[str, list[tuple[int, str, tuple[str, ...], tuple[str, ...]]]] = {}
    for order, (name, pattern, frame) in enumerate(_patterns()):
        if len(frame) == 1:
            by_one.setdefault(frame[0], []).append((order, name, pattern, frame))
        else:
            by_two.setdefault((frame[0], frame[1]), []).append((order, name, pattern, frame))
    return by_two, by_one


@lru_cache(maxsize=1)
def _first_frames() -> frozenset[str]:
    """The frames a name can start with: most positions of a text start none."""
    by_two, by_one = _patterns_by_frames()
    return frozenset(by_one) | frozenset(first for first, _ in by_two)


def find_agencies(text: str) -> list[AgencyMention]:
    """Agencies named in a text, in order, longest match first, no overlaps."""
    # a plan's headings are read for each chunk under them; a tuple is kept, each caller gets a list
    return list(remembered("find_agencies", _found_agencies, text))


def _found_agencies(text: str) -> tuple[AgencyMention, ...]:
    return tuple(_find_agencies(text))


def _find_agencies(text: str) -> list[AgencyMention]:
    tokens = match_tokens(text)
    frames = [skeleton(t) for t in tokens]
    by_two, by_one = _patterns_by_frames()
    starts = _first_frames()
    candidates: list[tuple[int, int, str, int]] = []  # (pattern order, start, name, length)
    size = len(tokens)
    for i in [i for i, first in enumerate(frames) if first in starts]:
        first = frames[i]
        found = by_one.get(first)
        if found:
            candidates.extend((order, i, name, 1) for order, name, pattern, _ in found if tokens[i] == pattern[0])
        if i + 1 < size:
            for order, name, pattern, frame in by_two.get((first, frames[i + 1]), ()):
                n = len(pattern)
                if i + n > size:
                    continue
                window = tuple(tokens[i : i + n])
                if window == pattern or _close(window, tuple(frames[i : i + n]), pattern, frame):
                    candidates.append((order, i, name, n))
    # the same choice as trying patterns longest first, each left to right, skipping taken tokens
    taken = [False] * size
    mentions: list[AgencyMention] = []
    for _, i, name, n in sorted(candidates):
        if any(taken[i : i + n]):
            continue
        mentions.append(AgencyMention(name, i, i + n))
        for j in range(i, i + n):
            taken[j] = True
    mentions.sort(key=lambda m: m.start)
    return mentions


def _close(window: tuple[str, ...], window_frames: tuple[str, ...], pattern: tuple[str, ...],
           frame: tuple[str, ...]) -> bool:
    """OCR-damaged spelling of a long name: at most two syllables differ, those keep their consonant
    frame (misread vowels), except one badly broken syllable at the end of a long name ("Du l;ch")."""
    n = len(pattern)
    if n < 3 or window_frames[0] != frame[0]:
        return False
    wrong = [i for i in range(n) if window[i] != pattern[i]]
    if len(wrong) > 2:
        return False
    broken = [i for i in wrong if window_frames[i] != frame[i]]
    return not broken or (len(broken) == 1 and broken[0] == n - 1 and n >= 6)


def canonical_agency(text: str) -> str | None:
    """The canonical name of the agency a heading or phrase names first, if it is in the lexicon."""
    found = find_agencies(text)
    return found[0].name if found else None


_LEADING = re.compile(r"^(đề nghị|de nghi|pé nghi|pe nghi)\s+", re.IGNORECASE)


def heading_agency(title: str) -> str | None:
    """The agency an assignment heading names ("2. Sở Thông tin và Truyền thông", "Đề nghị Ban …"):
    the lexicon name when the heading starts with it, else None."""
    found = find_agencies(title)
    if not found:
        return None
    first = found[0]
    lead = [t for t in match_tokens(title)[: first.start] if not t.isdigit() and len(t) > 1]
    if len(lead) <= 2:  # "Đề nghị", "Các" may precede the name
        return first.name
    return None
