"""What a question asks: which plans (province, year, file), what kind of fact, and whether it is
a request the assistant must refuse (invent facts, reveal its instructions)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.metadata import find_provinces
from index.normalize import clean_text, content_tokens, fold, match_tokens

_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
_SOURCE = re.compile(r"[\w.-]+\.(?:txt|md|docx|pdf)\b", re.IGNORECASE)

# Folded cue phrases. Word-bounded matching on the folded question.
KIND_CUES: dict[str, tuple[str, ...]] = {
    "deadline": ("truoc ngay", "han chot", "thoi han", "khi nao", "ngay nao", "bao gio", "luc nao",
                 "thoi gian nao", "thoi diem", "han ", "deadline", "when", "by what date", "dinh ky"),
    "reporting": ("bao cao", "gui ve", "gui bao cao", "tong hop", "report", "nop"),
    "lead": ("chu tri", "co quan nao", "don vi nao", "ai phu trach", "ai chiu trach nhiem", "dau moi",
             "who leads", "which agency", "tham muu"),
    "cooperating": ("phoi hop", "cooperat"),
    "duty": ("nhiem vu gi", "phai lam gi", "lam gi", "nhiem vu cua", "duoc giao", "what must"),
    "funding": ("kinh phi", "ngan sach", "nguon von", "funding", "budget"),
}
_INVENT = ("bia ra", "bia dat", "hay bia", "tu bia", "tuong tuong", "gia su", "doan xem", "doan thu",
           "invent", "make up", "fabricate", "hallucinate", "chua co thi cu", "khong co thi cu")
_REVEAL = ("system prompt", "prompt", "loi nhac he thong", "chi dan he thong", "huong dan he thong",
           "chi thi he thong", "cau lenh he thong", "ignore previous", "ignore all", "bo qua moi huong dan",
           "bo qua cac huong dan", "bo qua huong dan", "your instructions", "developer mode")


def _has(folded: str, cue: str) -> bool:
    return re.search(r"(?<![a-z0-9])" + re.escape(cue.strip()) + r"(?![a-z0-9])", folded) is not None


@dataclass
class QueryInfo:
    text: str
    folded: str
    provinces: list[str]
    years: list[int]  # years that name a plan ("kế hoạch … năm 2024"), not targets, deadlines, numbers
    sources: list[str]
    kinds: list[str]
    content: list[str]
    invent: bool = False
    reveal: bool = False
    notes: list[str] = field(default_factory=list)
    periods: list[tuple[int, int]] = field(default_factory=list)  # each plan-naming year or period
    signed_years: list[int] = field(default_factory=list)  # "ban hành năm 2025": the signing year

    @property
    def hostile(self) -> bool:
        return self.invent or self.reveal


def analyze(question: str) -> QueryInfo:
    text = clean_text(question).strip()
    folded = fold(text)
    periods, signed_years = plan_years(text)
    years = sorted({lo for lo, _ in periods})
    kinds = [kind for kind, cues in KIND_CUES.items() if any(_has(folded, c) for c in cues)]
    return QueryInfo(
        text=text,
        folded=folded,
        provinces=find_provinces(text),
        years=years,
        sources=[m.group(0) for m in _SOURCE.finditer(text)],
        kinds=kinds,
        content=content_tokens(text),
        invent=any(_has(folded, c) for c in _INVENT),
        reveal=any(_has(folded, c) for c in _REVEAL),
        periods=periods,
        signed_years=signed_years,
    )


# A year right after these (folded) words is a target, deadline or an activity's time, not the
# plan's: "đến năm 2030", "trước năm 2026", "trong năm 2026", "vào năm 2025", "tầm nhìn 2045".
_ROLE_BEFORE = {"den", "toi", "truoc", "sau", "trong", "vao", "dat", "tu", "nhin", "huong", "han", "dau"}
# Words that end the phrase naming a plan: after them a year belongs to what the plan asks for.
_PHRASE_BREAK = {"muc", "chi", "dat", "hoan", "bao", "gui", "thoi", "han", "phan", "giao", "nop", "yeu", "nhiem",
                 "phai"}
_PLAN_WORDS = (("ke", "hoach"), ("kh",))
_SIGNING = (("ban", "hanh"), ("ky",), ("ky", "ban", "hanh"))


def plan_years(question: str) -> tuple[list[tuple[int, int]], list[int]]:
    """The years (as ranges) by which a question names plans, and the signing years it names.

    A year names a plan when it belongs to the phrase that names the plan: "Kế hoạch thông tin
    đối ngoại năm 2024", "kế hoạch xuất khẩu giai đoạn 2026 - 2030", "Hưng Yên năm 2026",
    "năm 2024 của tỉnh Vĩnh Phúc". It does not when it is a target or horizon ("đến năm 2030"), a
    deadline ("trước ngày 15/12/2025", "trong năm 2026"), the time of an activity ("Thời gian thực
    hiện: Năm 2026 và các năm tiếp theo", "mục tiêu giai đoạn 2026 - 2030"), or part of a document
    number ("197/2025/QH15") or date."""
    text = clean_text(question)
    text = re.sub(r"\b\d+\s*/\s*(?:19|20)\d\d\s*/\s*[A-Za-zĐđ][\w-]*", " ", text)  # 197/2025/QH15
    text = re.sub(r"\b\d{1,2}\s*[/.-]\s*(?:\d{1,2}\s*[/.-]\s*)?(?:19|20)\d\d\b", " ", text)  # dates
    text = re.sub(r"((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)", r"\1 đến \2", text)
    # a clause break (",", ";", ":", ".") ends the phrase that names a plan
    tokens: list[str] = []
    for piece, mark in re.findall(r"([^,;:.?!()]*)([,;:.?!()]|$)", text):
        tokens.extend(match_tokens(piece))
        tokens.append(":" if mark in ":()" else "|")  # after "Thời gian thực hiện:" or "(" comes a value
    periods: list[tuple[int, int]] = []
    signed: list[int] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not _YEAR.fullmatch(tok):
            i += 1
            continue
        year, end = int(tok), int(tok)
        j = i + 1
        # "2026 đến 2030", "năm 2025 đến hết năm 2030"
        k = j
        while k < len(tokens) and tokens[k] in ("den", "nam", "het") and k - j < 3:
            k += 1
        if k > j and "den" in tokens[j:k] and k < len(tokens) and _YEAR.fullmatch(tokens[k]):
            end, j = int(tokens[k]), k + 1
        if i >= 3 and tokens[i - 1] == "nam" and tokens[i - 3] == "thang":
            i = j  # "ngày 15 tháng 12 năm 2025": a date
            continue
        before = [t for t in tokens[max(0, i - 3) : i] if t not in ("nam", "het", "giai", "doan", "ca")]
        if before[-2:-1] == ["quy"] or before[-1:] == ["quy"]:
            i = j  # "quý IV năm 2025": when something is done
            continue
        if before and before[-1] in _ROLE_BEFORE and end == year:
            i = j
            continue
        if before and before[-1] in ("den",):  # "từ nay đến 2030"
            i = j
            continue
        back = tokens[max(0, i - 4) : i]
        if any(tuple(back[n : n + len(w)]) == w for w in _SIGNING for n in range(len(back))):
            signed.append(year)
            i = j
            continue
        if _names_plan(tokens, i, j):
            periods.append((year, end))
        i = j
    return periods, signed


def _names_plan(tokens: list[str], start: int, end: int) -> bool:
    """Is the year at tokens[start:end] part of the phrase that names a plan?"""
    # a year that opens the question or a clause is its frame: "Năm 2024, Huế …", "Còn năm 2025 thì …"
    opening = []
    for back in range(start - 1, -1, -1):
        if tokens[back] in ("|", ":"):
            opening.append(tokens[back])
            break
        opening.append(tokens[back])
    if ":" not in opening and all(t in ("|",) or t in ("con", "the", "vay", "nam", "va", "rieng", "doi", "voi") for t in opening):
        return True
    # "kế hoạch … năm 2024" in the same clause, with no role word between
    for back in range(start - 1, max(-1, start - 16), -1):
        tok = tokens[back]
        if tok in ("|", ":"):
            break
        pair = tuple(tokens[back : back + 2])
        if pair == ("ke", "hoach") or tok == "kh":
            return True
        if tok in _PHRASE_BREAK:
            break
    # "tỉnh Hưng Yên năm 2026" / "năm 2024 của tỉnh Vĩnh Phúc": a province next to the year
    near_before = " ".join(tokens[max(0, start - 5) : start])
    after = tokens[end : end + 8]
    while after and after[0] in ("cua", "o", "tai", "tren", "dia", "ban", "tinh", "thanh", "pho", "tp", "ubnd"):
        after = after[1:]
    near_after = " ".join(after)
    for name in _province_keys():
        if near_before.endswith((name + " nam", name)) or near_after.startswith(name):
            return True
    return False


def _province_keys() -> list[str]:
    from index.provinces import patterns

    return [" ".join(p) for _, p in patterns()]


