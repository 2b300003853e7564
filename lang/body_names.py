"""Bodies no lexicon lists, read from how the genre writes a body's name.

A plan assigns work to bodies by their names as printed: a capitalised head noun of the genre
("Chi cục", "Trung tâm", "Công an", "UBND"), then the name's capitalised words, the lower-case rest
of its compounds, and a level or place that ends it ("… tỉnh", "… huyện Mèo Vạc", "… xã", "… phường
Tân Phước Lộc"). The same reader serves the plan's text at ingest and a question (`find_bodies`).
"""

from __future__ import annotations

import re

from lang.abbreviations import ACRONYM_HEADS, LEVEL_COMPOUNDS, LEVEL_ENDS
from lang.normalize import fold_char, match_tokens

# --- bodies outside the lexicon -------------------------------------------------------------------
# A plan also assigns work to bodies no lexicon can list ("Chi cục Biển đảo và Thủy sản", "Trung tâm
# Chuyển đổi số Thành phố", "Báo Thừa Thiên Huế", "Ban Quản lý Khu kinh tế Đông Nam"): a capitalised
# head noun of the genre, then the capitalised words of the name. Lower-case words belong to the name
# only as the rest of a compound ("Biển đảo", "An ninh chính trị nội bộ") or between capitalised
# words ("Viện Nghiên cứu phát triển Thành phố"), never when they are the clause's verb.

_BODY_HEADS = (
    "Chi cục", "Cục", "Trung tâm", "Ban", "Hội", "Viện", "Phòng", "Văn phòng", "Báo", "Đài", "Tạp chí",
    "Cổng", "Kho bạc", "Ngân hàng", "Tòa án", "Toà án", "Thuế", "Kiểm toán", "Bảo hiểm", "Công an", "Bộ",
    "Sở", "Ủy ban", "Uỷ ban", "UBND", "Liên đoàn", "Liên minh", "Liên hiệp", "Đoàn", "Đảng ủy", "Đảng uỷ",
    "Hải quan", "Chi nhánh", "Tổng công ty", "Công ty", "Bưu điện", "Quỹ", "Học viện", "Trường", "Bệnh viện",
    "Hội đồng", "Thanh tra", "Bộ Chỉ huy", "Cảng vụ", "Khu", "Tập đoàn", "Viễn thông", "Chi hội",
    "Vườn quốc gia", "Vườn Quốc gia",  # a national park runs its own forest and tourism (Decree 156/2018)
    # a committee's working groups ("Tổ giúp việc Ban Chỉ đạo tỉnh" compiles what the committee receives)
    "Tổ giúp việc", "Tổ công tác", *ACRONYM_HEADS,  # "BCH PCTT&TKCN huyện", "BQL các KCN"
    # a commune's own actors (Decree 33/2023: its civil servants by their remit, the village heads,
    # the militia) and the cooperatives it works with: "Công chức Văn phòng - Thống kê", "Trưởng
    # thôn", "Trung đội dân quân cơ động xã", "Hợp tác xã Nông nghiệp Phú Thành"
    "Công chức", "công chức", "Trung đội", "Tiểu đội", "Hợp tác xã", "Liên hiệp hợp tác xã",
    *(f"Trưởng{many} {place}" for many in ("", " các") for place in ("thôn", "ấp", "bản", "khu phố", "tổ dân phố")),
)
# heads that name one actor alone ("Trưởng thôn phối hợp", "Trưởng các ấp ven sông"): the head of a
# village is a person, no capitalised name follows
WHOLE_HEADS = frozenset(h for h in _BODY_HEADS if h.startswith("Trưởng"))
BODY_HEAD = re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(sorted(map(re.escape, _BODY_HEADS), key=len, reverse=True))
                        + r")(?![\wÀ-ỹ])")
_WORD = re.compile(r"[\wÀ-ỹ&-]+|[,()]|\S", re.UNICODE)
# lower-case words that end a name: the clause goes on with a verb, a preposition or a conjunction
# (compared as printed: "tử" of "điện tử" is no "từ")
NAME_STOPS = _NAME_STOPS = frozenset(
    ["có", "là", "để", "được", "các", "những", "của", "tại", "theo", "với", "trong", "về", "cho", "từ", "đến", "khi", "nếu", "gửi", "nhằm", "cùng", "làm", "chịu", "thuộc", "tiếp", "cần", "phải", "sẽ", "đã", "đang", "mới", "trên", "dưới", "qua", "sau", "trước", "này", "đó", "ra", "vào", "hoặc", "giúp", "lập",
     "ngay"])  # "báo cáo … về Thường trực Ban Chỉ đạo ngay sau khi …": a time, never a name
NAME_STOP_PAIRS = _NAME_STOP_PAIRS = frozenset(
    ("thực hiện", "triển khai", "tổ chức", "báo cáo", "tham mưu", "phối hợp", "chủ trì", "kiểm tra", "hướng dẫn",
     "xây dựng", "chỉ đạo", "tăng cường", "đẩy mạnh", "bảo đảm", "đảm bảo", "ban hành", "cấp xã", "hằng năm",
     "hàng năm", "định kỳ", "tổng hợp", "theo dõi", "rà soát", "tuyên truyền", "cập nhật", "đôn đốc", "có liên",
     "liên quan", "cấp tỉnh", "quản lý", "phát huy", "tiếp tục", "chủ động", "hỗ trợ", "cung cấp", "giám sát",
     "vận động", "xử lý", "thông báo", "nghiên cứu", "đề xuất", "bố trí", "hoàn thành",
     # what is sent to a body, written right after it ("báo cáo Ban Chỉ đạo kết quả quyết toán")
     "kết quả", "tình hình", "danh sách", "số liệu",
     # how the actor acts, never part of its name ("Trưởng ấp kịp thời báo cáo")
     "kịp thời", "thường xuyên", "nghiêm túc", "khẩn trương", "trực tiếp"))

# nouns whose second syllable is also a stop word: inside a name they go on ("Phòng Việc làm - An
# toàn lao động", "Trung tâm Dịch vụ việc làm tỉnh", "Phòng Người có công"), the stop word is no verb there
_NAME_NOUN_PAIRS = frozenset(("việc làm", "trợ giúp", "người có"))  # "Phòng Người có công"

# the council and the committee of one level, served by one office ("Văn phòng HĐND và UBND
# phường", the 2025 commune and ward office): "và" between them joins the office's name
JOINT_COUNCILS = (("HĐND", "UBND"), ("Hội đồng nhân dân", "Ủy ban nhân dân"), ("Hội đồng nhân dân", "Uỷ ban nhân dân"))

# what "các" starts inside a body's name ("Ban Quản lý các khu …", "… các cụm công nghiệp")
_AFTER_CAC = frozenset(("khu", "cụm", "dự", "chương"))
# the same verbs in text without diacritics (OCR)
_FOLDED_STOP_PAIRS = frozenset(" ".join(match_tokens(pair)) for pair in _NAME_STOP_PAIRS)


def _upper_word(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


# OCR'd text (Tesseract's English model) drops or misreads the marks of a head ("Chi cuc", "Bénh
# vién", "Phong Nghiép vu Y"): the heads of two or more syllables, and "Phòng", matched letter by
# letter whatever marks each letter carries. One-syllable heads stay exact: unmarked they are common
# words ("Ban", "Ho", "Bo", "Khu").
_OCR_HEADS = tuple(h for h in _BODY_HEADS if " " in h or h == "Phòng")


def _any_marks(ch: str) -> str:
    """A regex class for a letter with any (or no) Vietnamese marks, in the letter's case."""
    base = fold_char(ch)
    if not base.isalpha():
        return re.escape(ch)
    variants = {c for c in map(chr, range(0x41, 0x1EFA)) if c.isalpha() and fold_char(c) == base
                and c.isupper() == ch.isupper()}
    return "[" + "".join(sorted(variants)) + "]"


OCR_BODY_HEAD = re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(
    "".join(_any_marks(c) if c != " " else r"\s" for c in head)
    for head in sorted(_OCR_HEADS, key=len, reverse=True)) + r")(?![\wÀ-ỹ])")


def _next_head(text: str, pos: int) -> re.Match[str] | None:
    """The next body head from pos: as printed, or with its marks lost or misread by OCR."""
    exact = BODY_HEAD.search(text, pos)
    damaged = OCR_BODY_HEAD.search(text, pos, exact.start() if exact else len(text))
    return damaged if damaged and (exact is None or damaged.start() < exact.start()) else exact


_AND_CAPITAL = re.compile(r"\s+và\s+[A-ZĐÀ-Ỹ]")
# where a name that fills its line, cell or list item ends
_SEGMENT_END = frozenset((";", "|", "(", ")", ".", ":"))
# lower-case nouns that start the next body or group of a list ("Trung tâm Y tế, trạm y tế xã"),
# never an activity of a unit's remit
_LIST_NOUNS = frozenset(["trạm", "cơ", "đơn", "xã", "phường", "huyện", "thị", "thôn", "tổ", "người", "doanh",
                         "hộ", "nhân", "hợp", "tổ", "ngành", "đoàn", "địa", "lực", "chính", "ủy", "uỷ"]
                        + [h.split()[0].lower() for h in _BODY_HEADS])


def _remit_after_comma(text: str, nxt: re.Match[str] | None, words: list[re.Match[str]], comma: int) -> int:
    """How many words after a comma inside a unit's name go on with it (0: the name ends there).
    A unit's name may list its remit: a field that is also a body's head, then "và" and a capital
    ("Phòng Bưu chính, Viễn thông và Chuyển đổi số": no body is named by its head alone), or
    lower-case activities that run to the end of the line or cell ("Trung tâm Giám sát, điều hành
    đô thị thông minh"), with no verb, preposition or conjunction among them."""
    if nxt is None:
        return 0
    head = BODY_HEAD.match(text, nxt.start())
    if head is not None:
        return len(head.group().split()) if _AND_CAPITAL.match(text, head.end()) else 0
    if not nxt.group()[:1].islower() or nxt.group() in _LIST_NOUNS:
        return 0
    run: list[str] = []
    for w in words[comma + 1:]:
        word = w.group()
        if word in _SEGMENT_END or "\n" in text[words[comma].end(): w.start()]:
            break
        if not word[:1].islower() or word in _NAME_STOPS or len(run) >= 6:
            return 0
        run.append(word)
    pairs = (f"{a} {b}" for a, b in zip(run, run[1:], strict=False))
    if len(run) < 2 or any(p in _NAME_STOP_PAIRS or " ".join(match_tokens(p)) in _FOLDED_STOP_PAIRS for p in pairs):
        return 0
    return len(run)


def generic_bodies(text: str) -> list[tuple[int, int, str]]:
    """(start char, end char, name) of capitalised bodies in `text`."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    while True:
        head = _next_head(text, pos)
        if head is None:
            return out
        if re.match(r"\s+c[áa]o\b", text[head.end(): head.end() + 5], re.IGNORECASE) and head.group() == "Báo":
            pos = head.end()  # "Báo cáo" (a report, to report), not a newspaper
            continue
        words = list(_WORD.finditer(text, head.end()))
        end = reached = head.end()  # end of the name so far; end of the last word read
        capitals = 0
        provincial = False
        lower_run: list[re.Match] = []
        i = 0
        while i < len(words):
            w = words[i]
            gap = text[reached:w.start()]
            # a line break ends the name, unless the line goes on in small letters: a name wrapped
            # with its sentence ("Phòng Giáo dục nghề" / "nghiệp sau mỗi khóa học", OCR'd or PDF text)
            wrapped = gap.strip(" ") == "\n" and w.group()[:1].islower()
            if (gap.count("\n") and not wrapped) or (len(gap) > 2 and not wrapped):
                break
            reached = w.end()
            word = w.group()
            if word == ",":
                nxt = words[i + 1] if i + 1 < len(words) else None
                remit = _remit_after_comma(text, nxt, words, i) if capitals and len(lower_run) <= 1 else 0
                if remit:
                    # "Phòng Bưu chính, Viễn thông và Chuyển đổi số", "Trung tâm Giám sát, điều hành
                    # đô thị thông minh": the unit's remit listed inside its name
                    i += remit + 1
                    end = reached = words[i - 1].end()
                    lower_run = []
                    continue
                # "Báo và Phát thanh, Truyền hình Cần Thơ": a comma inside a name, before a capital
                # that starts no other body
                if nxt is None or not _upper_word(nxt.group()) or BODY_HEAD.match(text, nxt.start()) or len(lower_run) > 1:
                    break
                end = w.end()
                i += 1
                continue
            if word in ("-", "–"):
                nxt = words[i + 1] if i + 1 < len(words) else None
                # "Phòng Kế hoạch - Tài chính", "Đài Phát thanh - Truyền hình tỉnh": a dash between two
                # capitalised parts of one name (not before another body, nor a lower-case clause)
                if not capitals or nxt is None or not _upper_word(nxt.group()) or nxt.group()[:1].isdigit() \
                        or BODY_HEAD.match(text, nxt.start()) or len(lower_run) > 2:
                    break
                i += 1
                continue
            if not (word[:1].isalnum()):
                break
            if _upper_word(word):
                head_here = BODY_HEAD.match(text, w.start())
                # a one-word head followed by a lower-case word is a common noun inside the name
                # ("Ban Chỉ huy Phòng thủ dân sự tỉnh"), not the next body ("… Phòng Tài chính")
                common_noun = head_here is not None and " " not in head_here.group() and i + 1 < len(words) \
                    and words[i + 1].group()[:1].islower() and words[i + 1].group() not in _NAME_STOPS
                # "Ngân hàng Chính sách xã hội Chi nhánh tỉnh …": the branch is the body itself
                branch = head_here is not None and head_here.group() == "Chi nhánh"
                if head_here and capitals and word not in ("Khu",) and not common_noun and not branch:
                    break  # the next body of a list ("Sở Tài chính Công an tỉnh" never happens)
                capitals += 1
                lower_run = []
                end = w.end()
            else:
                nxt = words[i + 1] if i + 1 < len(words) else None
                if word == "và":  # "… Biển đảo và Thủy sản": only before a capital, not before the next body
                    joint = any(text[:w.start()].rstrip().endswith(a) and text.startswith(b, nxt.start())
                                for a, b in JOINT_COUNCILS) if nxt is not None else False
                    if joint:  # "Văn phòng HĐND và UBND phường": one office of both
                        i += 1
                        continue
                    if nxt is None or not _upper_word(nxt.group()) or BODY_HEAD.match(text, nxt.start()):
                        break
                    lower_run.append(w)
                else:
                    lowered = word.lower()
                    pair = f"{lowered} {nxt.group().lower()}" if nxt is not None else ""
                    if lowered == "các" and capitals <= 2 and nxt is not None and (
                            _upper_word(nxt.group()) or nxt.group() in _AFTER_CAC):
                        # "Ban Quản lý các khu công nghệ cao", "Ban Chỉ đạo các Chương trình mục tiêu
                        # quốc gia": the body's remit, inside its name
                        end = w.end()
                        i += 1
                        continue
                    noun = i > 0 and f"{words[i - 1].group().lower()} {lowered}" in _NAME_NOUN_PAIRS
                    if (lowered in _NAME_STOPS and not noun) or pair in _NAME_STOP_PAIRS or len(lower_run) >= 5 \
                            or " ".join(match_tokens(pair)) in _FOLDED_STOP_PAIRS:
                        break
                    lower_run.append(w)
                    end = w.end()
                    # "Thuế tỉnh", "Công an huyện", "Công an xã" end the name ("… huyện Mèo Vạc", "… phường
                    # Tân Phước Lộc" go on); "Bảo hiểm xã hội" is no commune's
                    # "Hợp tác xã" is a cooperative, no commune: "Liên minh Hợp tác xã tỉnh" goes on
                    cooperative = i > 0 and f"{words[i - 1].group().lower()} {lowered}" == "tác xã"
                    if lowered in LEVEL_ENDS and pair not in LEVEL_COMPOUNDS and not cooperative:
                        provincial = True
                        if lowered == "tỉnh" or not (nxt and _upper_word(nxt.group())) or BODY_HEAD.match(text, nxt.start()):
                            break
            i += 1
        whole = head.group() in WHOLE_HEADS
        if not capitals and not provincial and not whole:
            end = head.end()
        if capitals or provincial or whole:
            name = re.sub(r"(?:[\s,]+và)+$", "", text[head.start():end].rstrip(" ,"))
            # "phối hợp với công chức Địa chính - …": the civil servant named in a sentence is the
            # same actor as the heading's "Công chức Địa chính - …"
            name = name[:1].upper() + name[1:]
            out.append((head.start(), head.start() + len(name), name))
            pos = head.start() + len(name)
        else:
            pos = head.end()
