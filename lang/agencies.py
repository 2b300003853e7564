"""Agency names: one canonical Vietnamese name per agency, found in clean, unaccented or OCR'd text.

The lexicon lists the agencies that plans of this genre assign work to (provincial departments
after and before the 2025 mergers, the provincial party and state bodies, central ministries).
Matching runs on the folded, OCR-repaired tokens, with the consonant frame as a fallback, so
"S¢ Thong tin va Truyén thong" and "Sở TTTT" both give "Sở Thông tin và Truyền thông".
"""

from __future__ import annotations

import re
from functools import lru_cache

from lang.abbreviations import LEVEL_ENDS
from lang.aliases import aliases_key, spelled_out
from lang.body_names import BODY_HEAD, NAME_STOP_PAIRS, NAME_STOPS, OCR_BODY_HEAD, WHOLE_HEADS, generic_bodies
from lang.mentions import AgencyMention
from lang.normalize import match_tokens, remembered, skeleton
from lang.units import ISSUER_HEAD as _ISSUER_HEAD
from lang.units import is_issuer_head, unit_before

__all__ = ["AGENCIES", "NAME_STOP_PAIRS", "NAME_STOPS", "AgencyMention", "find_agencies", "find_bodies", "is_issuer_head"]

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
                                                     "Ủy ban nhân dân các huyện, thành phố",
                                                     # the level named, not its units: the same group
                                                     "UBND cấp huyện", "Ủy ban nhân dân cấp huyện",
                                                     "Uỷ ban nhân dân cấp huyện"),
    "Ủy ban nhân dân các xã, phường": ("UBND xã, phường", "Ủy ban nhân dân xã, phường",
                                       "UBND các xã, phường", "UBND các phường, xã", "UBND phường, xã",
                                       "Ủy ban nhân dân các phường, xã", "Ủy ban nhân dân phường, xã",
                                       "Ủy ban nhân dân các xã, phường, đặc khu", "Ủy ban nhân dân phường, xã, đặc khu",
                                       "Ủy ban nhân dân các phường, xã, đặc khu", "UBND các xã, phường, đặc khu",
                                       "Ủy ban nhân dân xã, phường, đặc khu"),
    "Các sở, ban, ngành tỉnh": ("các sở, ban, ngành", "các sở, ngành", "sở, ban, ngành", "các sở, ban ngành",
                                "các sở, ngành, đơn vị", "các sở, ban, ngành, đoàn thể"),
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
    "Hội Chữ thập đỏ tỉnh": ("Hội CTĐ tỉnh",),
    "Hội Cựu chiến binh tỉnh": (),
    "Liên đoàn Lao động tỉnh": (),
    "Tỉnh đoàn": ("Tỉnh Đoàn thanh niên", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh"),
    "Hội thân nhân người Việt Nam ở nước ngoài": ("Hội Liên lạc với người Việt Nam ở nước ngoài",),
    "Ủy ban nhân dân các xã ven biển": ("UBND các xã ven biển",),
    "Ủy ban nhân dân các xã, thị trấn": ("UBND các xã, thị trấn", "UBND xã, thị trấn", "Ủy ban nhân dân xã, thị trấn"),
    # the collective recipient of "báo cáo lãnh đạo tỉnh", "tham mưu lãnh đạo tỉnh"
    "Lãnh đạo tỉnh": (),
    # other provincial bodies plans assign work to or report to
    "Văn phòng Tỉnh ủy": ("Văn phòng Tỉnh uỷ",),
    "Ủy ban Kiểm tra Tỉnh ủy": ("Ủy ban Kiểm tra Tỉnh uỷ", "Uỷ ban Kiểm tra Tỉnh ủy"),
    "Viện Kiểm sát nhân dân tỉnh": ("Viện KSND tỉnh",),
    "Tòa án nhân dân tỉnh": ("Toà án nhân dân tỉnh", "TAND tỉnh"),
    "Thanh tra tỉnh": (),
    "Bảo hiểm xã hội tỉnh": ("BHXH tỉnh",),
    # the province's branch of the social policy bank, which plans on labour and housing give the
    # lending (and its report) to; questions abbreviate it ("chi nhánh NHCSXH tỉnh")
    "Chi nhánh Ngân hàng Chính sách xã hội tỉnh": ("Ngân hàng Chính sách xã hội tỉnh", "Chi nhánh NHCSXH tỉnh",
                                                   "NHCSXH tỉnh", "Ngân hàng Chính sách xã hội Chi nhánh tỉnh",
                                                   "Chi nhánh Ngân hàng Chính sách xã hội", "NHCSXH",
                                                   "Ngân hàng CSXH", "Ngân hàng Chính sách xã hội"),
    "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh": (
        "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh"),
    # a centrally-governed city's bodies ("Ủy ban nhân dân Thành phố" of Hồ Chí Minh, Cần Thơ):
    # the same roles as a province's, named after the city
    "Ủy ban nhân dân thành phố": ("UBND thành phố", "Uỷ ban nhân dân thành phố"),
    "Văn phòng Ủy ban nhân dân thành phố": ("Văn phòng UBND thành phố",),
    "Hội đồng nhân dân thành phố": ("HĐND thành phố",),
    "Công an thành phố": (),
    "Bộ Chỉ huy Quân sự thành phố": ("Bộ CHQS thành phố",),
    "Thành ủy": ("Thành uỷ",),
    "Ban Thường vụ Thành ủy": ("Thường vụ Thành ủy", "Ban Thường vụ Thành uỷ"),
    "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố": ("Ủy ban MTTQ Việt Nam thành phố",
                                                   "Ủy ban Mặt trận Tổ quốc thành phố"),
    "Thành đoàn": (),
    # groups addressed together ("Các sở, ngành, UBND cấp xã" names two of them)
    "Ủy ban nhân dân cấp xã": ("UBND cấp xã", "Uỷ ban nhân dân cấp xã"),
    # the recipient a plan names by competence ("báo cáo, đề xuất cấp có thẩm quyền")
    "Cấp có thẩm quyền": ("cấp thẩm quyền", "cơ quan có thẩm quyền", "cấp có thẩm quyền"),
    "Các tổ chức chính trị - xã hội": ("tổ chức chính trị - xã hội", "tổ chức chính trị xã hội",
                                       "các tổ chức chính trị xã hội"),
    # the catch-all partners of a task ("phối hợp với các cơ quan, đơn vị liên quan"): one group,
    # however the plan words it
    "Các cơ quan, đơn vị liên quan": ("các cơ quan, đơn vị có liên quan", "cơ quan, đơn vị liên quan",
                                      "các cơ quan, địa phương liên quan", "cơ quan, địa phương liên quan",
                                      "các cơ quan, địa phương có liên quan", "cơ quan, địa phương có liên quan",
                                      "các cơ quan, đơn vị, địa phương liên quan", "các cơ quan, đơn vị, địa phương có liên quan",
                                      "các cơ quan, tổ chức có liên quan", "các cơ quan, tổ chức liên quan",
                                      "các cơ quan có liên quan", "cơ quan có liên quan", "các cơ quan liên quan",
                                      "cơ quan liên quan", "các đơn vị có liên quan", "các đơn vị liên quan"),
    # central bodies reports go to
    "Văn phòng Chính phủ": (),
    "Bộ Công an": (),
    # the police's population-data units, named in every plan of the national population database
    # (Đề án 06): "quản lý" and "về" inside the name are no verb, no preposition
    "Cục Cảnh sát quản lý hành chính về trật tự xã hội": (),
    "Phòng Cảnh sát quản lý hành chính về trật tự xã hội": ("Phòng Cảnh sát QLHC về TTXH",),
    "Bộ Quốc phòng": (),
    "Bộ Tài chính": (),
    "Bộ Kế hoạch và Đầu tư": ("Bộ KH&ĐT",),
    "Bộ Công Thương": ("Bộ Công thương",),
    "Bộ Nông nghiệp và Môi trường": (),
    "Bộ Nông nghiệp và Phát triển nông thôn": ("Bộ NN&PTNT",),
    "Bộ Tài nguyên và Môi trường": ("Bộ TN&MT",),
    "Bộ Khoa học và Công nghệ": ("Bộ KH&CN", "Bộ KHCN"),
    "Bộ Giáo dục và Đào tạo": ("Bộ GD&ĐT",),
    "Bộ Y tế": (),
    "Bộ Xây dựng": (),
    "Bộ Giao thông vận tải": (),
    "Bộ Nội vụ": (),
    "Bộ Tư pháp": (),
    "Bộ Lao động - Thương binh và Xã hội": ("Bộ Lao động, Thương binh và Xã hội", "Bộ LĐTBXH"),
    "Bộ Dân tộc và Tôn giáo": (),
    "Ủy ban Dân tộc": (),
    "Thanh tra Chính phủ": (),
    "Ngân hàng Nhà nước Việt Nam": (),
}




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
    exact: set[tuple[int, int]] = set()  # (start, length) of the names printed as the lexicon spells them
    close: set[tuple[int, int]] = set()  # (pattern order, start) of the names only resembling one
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
                if window == pattern:
                    exact.add((i, n))
                    candidates.append((order, i, name, n))
                elif _close(window, tuple(frames[i : i + n]), pattern, frame):
                    candidates.append((order, i, name, n))
                    close.add((order, i))
    # a name printed exactly wins over another the same length it only resembles ("Ủy ban nhân dân
    # cấp xã" is no misread "… cấp huyện")
    candidates = [c for c in candidates if (c[0], c[1]) not in close or (c[1], c[3]) not in exact]
    # the same choice as trying patterns longest first, each left to right, skipping taken tokens
    taken = [False] * size
    mentions: list[AgencyMention] = []
    for _, i, name, n in sorted(candidates):
        if any(taken[i : i + n]):
            continue
        if i and tokens[i - 1] in _PLURALS and tokens[i] in _SINGULAR_HEADS:
            # "các sở xây dựng kế hoạch": a plural class of bodies, then what they do; one body
            # of the class is never written after "các"
            continue
        mentions.append(AgencyMention(name, i, i + n))
        for j in range(i, i + n):
            taken[j] = True
    mentions.sort(key=lambda m: m.start)
    return mentions


# "các", "những" before a head that names one body ("Sở", "Bộ"): the class, not that body
_PLURALS = frozenset(("cac", "nhung"))
_SINGULAR_HEADS = frozenset(("so", "bo"))


_FOLDED_LEVELS = frozenset(match_tokens(" ".join(LEVEL_ENDS)))


def _close(window: tuple[str, ...], window_frames: tuple[str, ...], pattern: tuple[str, ...],
           frame: tuple[str, ...]) -> bool:
    """OCR-damaged spelling of a long name: at most two syllables differ, those keep their consonant
    frame (misread vowels), except one badly broken syllable at the end of a long name ("Du l;ch")."""
    n = len(pattern)
    if n < 3 or window_frames[0] != frame[0]:
        return False
    wrong = [i for i in range(n) if window[i] != pattern[i]]
    if len(wrong) > 2 or any(pattern[i] in _FOLDED_LEVELS and (window[i] in _FOLDED_LEVELS or window[i - 1] in _FOLDED_LEVELS)
                             for i in wrong if i):
        # another level in place of the lexicon's ("Ủy ban Mặt trận Tổ quốc Việt Nam xã" is no misread
        # "… tỉnh"), or a place after a level ("Ủy ban nhân dân xã Phước Tân" is no "… xã, phường"):
        # not OCR damage; a level left out ("Ban Quản lý các khu công nghiệp chủ trì") still is close
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


def find_bodies(text: str) -> list[AgencyMention]:
    """The agencies of the lexicon, and the capitalised bodies it does not know (named as printed),
    in order, no overlaps; offsets in `match_tokens(text)` as for `find_agencies`."""
    # a plan's short names change what a text names: one memo table per set of them
    return list(remembered(f"find_bodies{aliases_key()}", _found_bodies, text))


def _found_bodies(text: str) -> tuple[AgencyMention, ...]:
    known = find_agencies(text)
    generic = generic_bodies(text)
    # "Thanh tra Sở Xây dựng", "Văn phòng Sở Y tế", "Đảng ủy Sở Tài chính": a unit named by its head
    # and the body it belongs to is a body of its own, not that body (which the lexicon names)
    units = {}
    for start, _end, name in generic:
        head = BODY_HEAD.match(name) or OCR_BODY_HEAD.match(name)
        if head is not None:
            units[len(match_tokens(text[:start])) + len(match_tokens(head.group()))] = head.group()
    known = [AgencyMention(f"{units[m.start]} {m.name}", m.start - len(match_tokens(units[m.start])), m.end)
             if m.start in units and not _is_head_of_lexicon_name(units[m.start], m.name) else m for m in known]
    # the same units typed in small letters or abbreviated ("vp sở tư pháp", "thanh tra sở y tế"):
    # a unit head right before a lexicon body, named in full
    tokens = match_tokens(text)
    known = [AgencyMention(f"{unit[0]} {m.name}", m.start - unit[1], m.end)
             if m.name.split()[0] in ("Sở", "Bộ") and (unit := unit_before(tokens, m.start)) is not None
             and not any(k.end > m.start - unit[1] and k.start < m.start for k in known) else m for m in known]
    # "Chi cục Thủy lợi thuộc Sở Nông nghiệp và Môi trường": the owner qualifies the unit, it is no
    # second body of the sentence; the unit's mention spans it
    owned: dict[int, int] = {}  # token where the unit's name ends → token where its owner's ends
    for _start, end, _name in generic:
        if _OWNED_BY.match(text, end):
            after = len(match_tokens(text[:end])) + 1
            owner = next((m for m in known if m.start == after), None)
            if owner is not None:
                owned[after - 1] = owner.end
    known = [m for m in known if m.start - 1 not in owned]
    # "Ủy ban Mặt trận Tổ quốc Việt Nam xã", "Hội Nông dân phường": a body the lexicon knows at
    # another level, its name ended by a commune's level word: the commune's body, read whole
    levelled = [(len(match_tokens(text[:s])), len(match_tokens(text[:e]))) for s, e, _ in generic]
    known = [m for m in known if not any(
        first <= m.start and m.end < last and tokens[m.end - 1] not in _FOLDED_LEVELS
        and any(tokens[j] in _FOLDED_LEVELS for j in range(m.end, last))
        for first, last in levelled)]
    taken: set[int] = set()
    for m in known:
        taken.update(range(m.start, m.end))
    extra = []
    for start, _end, name in generic:
        first = len(match_tokens(text[:start]))
        words = name.split()
        while words:  # a lexicon name inside ends it ("Phòng An ninh … Công an tỉnh")
            last = first + len(match_tokens(" ".join(words)))
            if not taken & set(range(first, last)):
                break
            words.pop()
        if len(words) < 2 or last <= first or (BODY_HEAD.fullmatch(" ".join(words)) and " ".join(words) not in WHOLE_HEADS):
            continue  # the lexicon named it already (a head alone left names nothing)
        extra.append(AgencyMention(collapse_name(" ".join(words)), first, owned.get(last, last)))
        taken.update(range(first, owned.get(last, last)))
    for match in _ISSUER_HEAD.finditer(text):
        first = len(match_tokens(text[:match.start()]))
        last = first + len(match_tokens(match.group()))
        if not taken & set(range(first, last)):
            extra.append(AgencyMention(collapse_name(match.group()), first, last))
            taken.update(range(first, last))
    return tuple(spelled_out(tokens, sorted([*known, *extra], key=lambda m: m.start)))


_OWNED_BY = re.compile(r"\s+thuộc\s+(?=[A-ZĐÀ-Ỹ])")


def _is_head_of_lexicon_name(head: str, name: str) -> bool:
    """"Ủy ban" before "nhân dân tỉnh" is no unit: the lexicon's match starts at the head itself
    only when the head is inside the name, which `find_agencies` already chose longest."""
    return match_tokens(name)[: len(match_tokens(head))] == match_tokens(head)


def collapse_name(name: str) -> str:
    return " ".join(name.split()).strip(" ,.;:()")

