"""Threat: questions dressed up in Unicode — zero-width characters, NFD-decomposed Vietnamese,
emoji, look-alike letters of other scripts, full-width forms, bidi controls. Each must retrieve
exactly what the clean question retrieves, and get the same answer."""

from __future__ import annotations

import unicodedata

import pytest

from tests.test_answer import EXAMPLE

QUESTIONS = [
    EXAMPLE,
    "Kinh phí thực hiện kế hoạch thông tin đối ngoại năm 2025 của Thừa Thiên Huế lấy từ đâu?",
    "Sở Văn hóa, Thể thao và Du lịch Hưng Yên có nhiệm vụ gì năm 2026?",
]
_CYRILLIC = str.maketrans({"o": "о", "a": "а", "e": "е", "c": "с", "p": "р", "x": "х", "y": "у"})


def zero_width(q: str) -> str:
    return "\u200b".join(q[:20]) + q[20:].replace(" ", " \u200c\u200d\ufeff\u2060")


def fullwidth(q: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in q)


VARIANTS = {
    "zero_width": zero_width,
    "nfd": lambda q: unicodedata.normalize("NFD", q),
    "nfd_and_zero_width": lambda q: zero_width(unicodedata.normalize("NFD", q)),
    "emoji_between_words": lambda q: "📅 " + q.replace(" ", " 👉 ", 3).replace("?", " 🙏🇻🇳?"),
    "emoji_inside_words": lambda q: " ".join(w[:2] + "😀👍🏽" + w[2:] if i % 3 == 0 and len(w) > 3 else w
                                             for i, w in enumerate(q.split(" "))),
    "cyrillic_look_alikes": lambda q: q.translate(_CYRILLIC),
    "greek_look_alikes": lambda q: q.replace("o", "ο").replace("a", "α"),
    "full_width": fullwidth,
    "bidi_controls": lambda q: "\u202e" + q + "\u202c\u200f",
}


def retrieved(app, question: str) -> list[str]:
    prepared = app.assistant.prepare(question)
    assert prepared.early is None
    return [hit.chunk.chunk_id for plan in prepared.plans for hit in plan.hits[:5]]


@pytest.mark.parametrize("question", QUESTIONS, ids=["deadline", "funding", "duty"])
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_same_retrieval_as_the_clean_question(sample_app, question, variant):
    dressed = VARIANTS[variant](question)
    assert dressed != question
    assert retrieved(sample_app, dressed) == retrieved(sample_app, question)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_same_answer_as_the_clean_question(sample_app, variant):
    clean = sample_app.assistant.ask(EXAMPLE)
    dressed = sample_app.assistant.ask(VARIANTS[variant](EXAMPLE))
    assert dressed.answer == clean.answer
    assert [c.section for c in dressed.citations] == [c.section for c in clean.citations] == ["V.2"]
