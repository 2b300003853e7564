"""What a question asks for, slot by slot, and whether an answer fills each slot.

A question can ask several things at once ("cơ quan nào chủ trì và thời hạn nào?", "báo cáo cho
ai, qua cơ quan nào, định kỳ ra sao?"). The topic words say where to look; these cues say which
values must be in the answer. An answer that lacks a value asked for says so, and an answer to a
one-slot question that lacks it is no answer at all: the plan does not say."""

from __future__ import annotations

import re

from index.facts import has_time, has_time_field
from lang.agencies import find_agencies
from lang.normalize import fold, match_tokens
from rag.cues import group, matching

# a recurrence ("định kỳ" alone names none: it is the question's own word; "hoàn thành" is the
# task's verb or its deadline's label, "Thời gian hoàn thành: Quý III", never a rate); an activity's rate
# ("ít nhất 02 lần mỗi tuần", "2 lần/tháng") and a round-the-clock regime ("vận hành 24/7", not
# the date "ngày 24/7") are one too; "chi thường xuyên" is a kind of spending, not a rate
_FREQUENCY = re.compile(r"\b(hang (nam|quy|thang|tuan|ngay|gio)|(?<!chi )(?<!su nghiep )thuong xuyen|dot xuat|\d+ thang (mot|1) lan|"
                        r"6 thang|sau thang|moi (nam|quy|thang|tuan|ngay)|"
                        r"\d+ lan ?(?:/|moi|mot|1|trong|tren) ?(?:ngay|tuan|thang|quy|nam|dot))\b|"
                        r"(?<!ngay )(?<![\d/])\b24 ?/ ?(?:7|24)\b(?! ?/ ?\d)|"
                        # "trước ngày 05 của tháng cuối quý": the last month of each quarter, a quarterly time
                        r"\b(?:thang )?(?:cuoi|dau) (?:moi )?quy\b|"
                        # a "Kỳ báo cáo" cell of a row: the period bare ("| Năm |", "| 6 tháng, năm |")
                        r"\| ?(?:(?:hang |0?6 |sau |nua )?(?:nam|quy|thang|tuan)|dot xuat)"
                        r"(?: ?(?:,|va) ?(?:(?:0?6 )?thang|nam|quy))* ?\|")
# a time stated by an event, not a date: "ngay khi nước rút", "ngay sau khi kết thúc đợt lũ",
# "trong vòng 05 ngày", "khi có yêu cầu"
# "trong 15 ngày kể từ ngày nước rút", "chậm nhất 10 ngày sau khi …", "kể từ khi có quyết định";
# an event the task waits for is its time too: "sau khi Chiến lược … được ban hành", a bracketed
# "(khi Bộ Công an triển khai)" after the task, "Thời gian: khi có hướng dẫn"
_RELATIVE_TIME = re.compile(r"(?:\(\s*|\bthoi gian(?: thuc hien)?\s*:?\s*)khi\b|"
                            r"\b(ngay (sau )?khi|ngay sau|sau khi|truoc khi|trong vong \d+|"
                            r"trong thoi gian \d+|khi co yeu cau|truoc mua|dau mua|cuoi (nam|quy|thang)|"
                            r"(trong|cham nhat|sau|truoc) \d+ (ngay|thang|tuan|gio)|ke tu (ngay|khi))\b")
_REPORTING = re.compile(r"\b(bao cao|gui|trinh|tong hop)\b")
# a number standing alone ("1.500 triệu", "20%"), not a digit OCR put inside a word ("c6" = "có")
_FIGURE = re.compile(r"(?<![^\W\d_])\d[\d.,]*(?![^\W\d_])")
# a sum of money: a figure with its unit ("1.500 triệu đồng", "3,2 tỷ", "500.000 đồng/người")
_MONEY = re.compile(r"(?<![^\W\d_])\d[\d.,]*\s*(?:nghin |ngan |trieu |ty )?(?:dong|trieu|ty|vnd|usd)\b")
# nor is a date ("ngày 19 tháng 6", "15/12/2026", "quý III/2026")
_NOT_AMOUNTS = re.compile(r"\b(?:nam |giai doan )(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\b|"
                          r"\b\d+\s*/\s*[a-z][\w-]*|\bngay \d{1,2} thang \d{1,2}\b|\bthang \d{1,2}\b|"
                          r"\b\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?\b|/(?:19|20)\d\d\b")
_DURATION = re.compile(r"\b(?:trong|sau|truoc|cham nhat|vong|moi) \d+\s*(?:ngay|thang|nam|tuan|gio|quy)\b")
_DOCUMENT = re.compile(r"\d+\s*/\s*\w")
# a body named: its kind, then a name ("Sở Y tế", "Ban Quản lý …"). Matched on the text with its
# accents taken off and the kind's first letter as written: an OCR'd plan says "phoi hop voi Chi
# cuc Chan nudi" or "bao cao SỞ Nông nghiệp", and lowercase kinds are common words ("toàn bộ").
_BODY_KINDS = ("So", "Ban", "Uy ban", "UBND", "Cong an", "Bo", "Van phong", "Dai", "Bao", "Hoi", "Lien doan",
               "Lien minh", "Trung tam", "Kho bac", "Thue", "Tinh doan", "Thanh doan", "Mat tran", "Ngan hang",
               "Bao hiem", "Chi cuc", "Cuc", "Vien", "Toa an", "Doanh nghiep", "Cac so", "Cac co quan", "Chu tich",
               "Benh vien", "Phong", "Thanh tra")
_BODY = re.compile(r"\b(?:" + "|".join(k[0] + "(?i:" + k[1:] + ")" for k in _BODY_KINDS) + r")\s+[A-Za-z]"
                   # forces named by their kind alone ("phối hợp với Công an, lực lượng Hải quan")
                   r"|\b(?:Cong an|Hai quan|Bien phong|Bo doi|Quan doi|Dan quan|Kiem lam|Luc luong [A-Za-z])")


def _unaccented(text: str) -> str:
    """The text without its accents, case kept ("Sở Y tế" -> "So Y te")."""
    return "".join(ch if ch.isspace() else (fold(ch)[:1].upper() if ch.isupper() else fold(ch)[:1]) or ch
                   for ch in text)


def asked_slots(question: str) -> list[str]:
    """The slots a question asks for (cue words: prompts/cues_vi.toml [slots])."""
    return matching(" ".join(fold(question).split()), "slots")


def asked_activity(question: str) -> str | None:
    """The activity whose rate a question asks, as a pair of folded words ("giao_ban"): the two
    content words right before its frequency cue ("Ban Chỉ đạo giao ban bao lâu một lần?", "Tổ
    liên ngành kiểm tra mấy lần/tuần?"). The plan's rate of another activity (its reports' "định
    kỳ 6 tháng") is no answer. None when no frequency cue follows two content words."""
    tokens = match_tokens(question)
    joined = " ".join(tokens)
    starts = [len(joined[:at].split()) for phrase in group("slots")["frequency"]
              if (at := f" {joined} ".find(f" {phrase} ")) >= 0]
    if not starts:
        return None
    before = [t for t in tokens[:min(starts)] if t not in _NO_ACTIVITY and not t.isdigit()]
    if len(before) >= 2:
        return "_".join(before[-2:])
    # the noun opening the question names the activity after it ("tần suất kiểm tra của Tổ liên
    # ngành là bao nhiêu?", "định kỳ giao ban của Ban Chỉ đạo thế nào?")
    for phrase in group("slot_openings")["frequency"]:
        at = f" {joined} ".find(f" {phrase} ")
        if at < 0:
            continue
        after: list[str] = []
        for token in tokens[len(joined[:at].split()) + len(phrase.split()):]:
            if token in _ACTIVITY_ENDS:
                break
            if token not in _NO_ACTIVITY and not token.isdigit():
                after.append(token)
        if len(after) >= 2:
            return "_".join(after[:2])
    return None


# words between an activity and its frequency cue that name none ("được tổ chức, thực hiện theo
# định kỳ nào", "theo chế độ")
_NO_ACTIVITY = frozenset(("duoc", "theo", "thuc", "hien", "to", "chuc", "phai", "can", "se", "deu", "che", "do",
                          "co", "la", "thi", "nay", "do", "ay"))


# words that end the activity named after its frequency noun: its owner or the question itself
_ACTIVITY_ENDS = frozenset(("cua", "la", "nao", "bao", "nhu", "ra", "the", "may", "duoc", "theo", "o", "tai"))


def money_figures(text: str) -> int:
    """How many sums of money a text states ("38.600 triệu đồng", "9.500 triệu đồng" → 2)."""
    return len(_MONEY.findall(fold(text)))


def filled(slot: str, answer: str) -> bool:
    """Whether an answer's text holds a value for the slot."""
    folded = " ".join(fold(answer).split())
    if slot == "deadline":
        return has_time(answer) or bool(_RELATIVE_TIME.search(folded)) or has_time_field(answer)
    if slot == "frequency":
        return bool(_FREQUENCY.search(folded))
    if slot == "recipient":
        # an OCR'd quote's report word may be misprinted ("bdo cdo" = "báo cáo"): its matching form
        # (lang.normalize.match_tokens) is read too
        reports = bool(_REPORTING.search(folded)) or bool(_REPORTING.search(" ".join(match_tokens(answer))))
        return reports and (bool(find_agencies(answer)) or bool(_BODY.search(_unaccented(answer))))
    if slot in ("lead", "cooperating"):
        return bool(find_agencies(answer)) or bool(_BODY.search(_unaccented(answer)))
    if slot == "amount":
        # the year of a plan or period, or a document's number, is not the figure "bao nhiêu?" asks for
        return bool(_FIGURE.search(_NOT_AMOUNTS.sub(" ", folded)))
    if slot == "rate":
        # a level of money or a share ("10 triệu đồng/người", "70% học phí"): a duration is none
        return bool(_FIGURE.search(_DURATION.sub(" ", _NOT_AMOUNTS.sub(" ", folded))))
    if slot == "money":
        return bool(_MONEY.search(folded))
    if slot == "document":
        return bool(_DOCUMENT.search(folded))
    return True
