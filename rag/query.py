"""What a question asks: which plans (province, year, file), what kind of fact, and whether it is
a request the assistant must refuse (invent facts, reveal its instructions)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.metadata import find_provinces
from index.normalize import clean_text, content_tokens, fold

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
    years: list[int]
    sources: list[str]
    kinds: list[str]
    content: list[str]
    invent: bool = False
    reveal: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def hostile(self) -> bool:
        return self.invent or self.reveal


def analyze(question: str) -> QueryInfo:
    text = clean_text(question).strip()
    folded = fold(text)
    years = sorted({int(y) for y in _YEAR.findall(folded) if not _date_part(folded, y)})
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
    )


def _date_part(folded: str, year: str) -> bool:
    """A year inside a full date ("15/11/2024") names a deadline, not the plan's year."""
    return re.search(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*" + year, folded) is not None
