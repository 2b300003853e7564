"""Telegram HTML for answers: citation labels, escaping, and splitting long messages."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.model import citation_label
from bot.render.telegram import (
    answer_html,
    escape,
    section_buttons,
    split_html,
    utf16_len,
)
from rag.types import Answer, AnswerMode, Citation

NAMES = {"thua-thien-hue-2024.txt": "Thừa Thiên Huế 2024", "vinh-phuc-2024.txt": "Vĩnh Phúc 2024"}


def cite(n: int, source: str = "thua-thien-hue-2024.txt", section: str = "V.2", quote: str = "q",
         label: str = "Mục V, khoản 2") -> Citation:
    return Citation(id=n, source=source, doc_title="Kế hoạch", section=section, section_label=label,
                    section_title="", quote=quote)


def test_citation_labels():
    assert citation_label("Thừa Thiên Huế 2024", "V.2") == "Thừa Thiên Huế 2024 · Mục V.2"
    assert citation_label("Hưng Yên 2026", "IV.10.đ") == "Hưng Yên 2026 · Mục IV.10.đ"
    assert citation_label("Hưng Yên 2026", "closing", "Phần kết") == "Hưng Yên 2026 · Phần kết"


def test_escape_covers_what_plan_text_contains():
    assert escape('Sở <TT&TT> "gửi" \'về\'') == "Sở &lt;TT&amp;TT&gt; &quot;gửi&quot; &#x27;về&#x27;"


def test_answer_html_names_citations_in_place_and_quotes_them():
    answer = Answer(question="?", abstained=False, mode=AnswerMode.LLM, notice="Mô hình ngôn ngữ chưa sẵn sàng",
                    answer="Gửi về Sở <TT&TT> trước ngày 15/11/2024. [1][2] Vĩnh Phúc giao Sở Ngoại vụ [3].",
                    citations=[cite(1, quote='"báo cáo" <gửi>'), cite(2, section="V.3", label="Mục V, khoản 3"),
                               cite(3, source="vinh-phuc-2024.txt", section="III.2")])
    assert answer_html(answer, NAMES.__getitem__) == (
        "<i>Mô hình ngôn ngữ chưa sẵn sàng</i>\n\n"
        "Gửi về Sở &lt;TT&amp;TT&gt; trước ngày 15/11/2024 (Thừa Thiên Huế 2024 · Mục V.2; "
        "Thừa Thiên Huế 2024 · Mục V.3). Vĩnh Phúc giao Sở Ngoại vụ (Vĩnh Phúc 2024 · Mục III.2).\n\n"
        "<b>Nguồn</b>\n"
        "1. <b>Thừa Thiên Huế 2024 · Mục V.2</b>\n<blockquote expandable>&quot;báo cáo&quot; &lt;gửi&gt;</blockquote>\n"
        "2. <b>Thừa Thiên Huế 2024 · Mục V.3</b>\n<blockquote expandable>q</blockquote>\n"
        "3. <b>Vĩnh Phúc 2024 · Mục III.2</b>\n<blockquote expandable>q</blockquote>")


def test_list_answer_is_one_item_a_line_with_each_section_named_once():
    answer = Answer(question="?", abstained=False, mode=AnswerMode.EXTRACTIVE,
                    answer="Sở Ngoại vụ có 3 nhiệm vụ:\n- Phối hợp <tổ chức>. [1]\n- Cung cấp thông tin. [2]\n"
                           "- Báo cáo kết quả. [3]",
                    citations=[cite(1, section="IV.4", quote="a"), cite(2, section="IV.4", quote="b"),
                               cite(3, section="V.2", quote="c")])
    rendered = answer_html(answer, NAMES.__getitem__)
    body, sources = rendered.split("\n\n<b>Nguồn</b>\n")
    assert body == ("Sở Ngoại vụ có 3 nhiệm vụ:\n\n"
                    "• Phối hợp &lt;tổ chức&gt; (Thừa Thiên Huế 2024 · Mục IV.4).\n"
                    "• Cung cấp thông tin.\n"
                    "• Báo cáo kết quả (Thừa Thiên Huế 2024 · Mục V.2).")
    # one entry per section, its passages under it
    assert sources == ("1, 2. <b>Thừa Thiên Huế 2024 · Mục IV.4</b>\n<blockquote expandable>a</blockquote>\n"
                       "<blockquote expandable>b</blockquote>\n"
                       "3. <b>Thừa Thiên Huế 2024 · Mục V.2</b>\n<blockquote expandable>c</blockquote>")


def test_abstained_answer_is_just_its_text():
    answer = Answer(question="?", abstained=True, mode=AnswerMode.EXTRACTIVE, answer="Không tìm thấy <nội dung>.")
    assert answer_html(answer, NAMES.__getitem__) == "Không tìm thấy &lt;nội dung&gt;."


def test_one_button_per_section_and_the_plan_named_only_when_several():
    one_plan = [cite(1), cite(2), cite(3, section="V.3")]
    assert [b.text for b in section_buttons(one_plan, NAMES.__getitem__)] == [
        "Xem nguyên văn Mục V.2", "Xem nguyên văn Mục V.3"]
    two_plans = [cite(1), cite(2, source="vinh-phuc-2024.txt")]
    assert [(b.text, b.source, b.section) for b in section_buttons(two_plans, NAMES.__getitem__)] == [
        ("Xem nguyên văn Mục V.2 (Thừa Thiên Huế 2024)", "thua-thien-hue-2024.txt", "V.2"),
        ("Xem nguyên văn Mục V.2 (Vĩnh Phúc 2024)", "vinh-phuc-2024.txt", "V.2")]


def test_short_text_is_one_part():
    assert split_html("<b>a</b> b") == ["<b>a</b> b"]
    assert split_html("  \n ") == []


def test_split_prefers_paragraphs_then_lines():
    paragraphs = [f"Đoạn {i}: " + "chữ " * 30 for i in range(10)]
    parts = split_html("\n\n".join(p.strip() for p in paragraphs), limit=400)
    assert all(utf16_len(p) <= 400 for p in parts)
    # every part is a run of whole paragraphs
    for part in parts:
        assert all(chunk.startswith("Đoạn ") and chunk.endswith("chữ") for chunk in part.split("\n\n"))
    assert sum(len(p.split("\n\n")) for p in parts) == 10


def test_tag_open_across_a_cut_is_closed_and_reopened_with_its_attributes():
    text = "<b>Nguồn</b>\n<blockquote expandable>" + "\n".join(f"dòng {i} &amp; tiếp" for i in range(60)) + "</blockquote>"
    parts = split_html(text, limit=200)
    assert len(parts) > 3
    for part in parts[1:]:
        assert part.startswith("<blockquote expandable>") and part.endswith("</blockquote>")
    assert parts[0].startswith("<b>Nguồn</b>\n<blockquote expandable>dòng 0")


def test_emoji_count_twice():
    parts = split_html("😀 " * 100, limit=50)
    assert all(utf16_len(p) <= 50 for p in parts)
    assert "".join(parts).count("😀") == 100


class _Checker(HTMLParser):
    """Fails on unbalanced tags; collects the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()

    def handle_data(self, data) -> None:
        self.text.append(data)


TAGS = [None, "b", "i", "code", "blockquote expandable", 'a href="https://vd.gov.vn/?a=1&amp;b=2"']
words = st.text(alphabet=st.sampled_from(list("abcđêơư <>&\"'—😀\n")), min_size=1, max_size=60)
spans = st.lists(st.tuples(st.sampled_from(TAGS), words), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(paragraphs=st.lists(spans, min_size=1, max_size=12), limit=st.integers(min_value=90, max_value=700))
def test_split_parts_are_short_valid_html_and_lose_nothing(paragraphs, limit):
    def render(tag: str | None, text: str) -> str:
        if tag is None:
            return escape(text)
        return f"<{tag}>{escape(text)}</{tag.split()[0]}>"

    source = "\n\n".join("".join(render(tag, text) for tag, text in spans) for spans in paragraphs)
    parts = split_html(source, limit=limit)
    visible = []
    for part in parts:
        assert utf16_len(part) <= limit
        assert not re.search(r"&(?!(?:amp|lt|gt|quot|#x27|#\d+);)", part)  # no torn entity
        checker = _Checker()
        checker.feed(part)
        checker.close()
        assert checker.stack == []
        visible.append("".join(checker.text))
    original = _Checker()
    original.feed(source)
    assert "".join("".join(visible).split()) == "".join(html.unescape("".join(original.text)).split())


def test_an_endless_word_is_cut_anyway():
    parts = split_html("<code>" + "x" * 5000 + "</code> hết", limit=1000)
    assert all(utf16_len(p) <= 1000 and p.startswith("<code>") for p in parts)
    assert "".join(re.sub(r"</?code>", "", p) for p in parts).replace(" ", "") == "x" * 5000 + "hết"
