"""A rendered answer (bot/render/model.py) as Telegram HTML, the "Xem nguyên văn" buttons, a
section's text, and message splitting.

Telegram's HTML mode accepts a few tags and only the entities `&lt; &gt; &amp; &quot;` (plus
numeric ones); every text that comes from a plan or a model is escaped here before it is
wrapped in tags. Messages are limited to 4096 characters, counted in UTF-16 code units.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.render.model import (
    CitedSection,
    RenderedAnswer,
    citation_label,
    cited_sections,
    render,
    replace_markers,
    section_name,
)
from index.ocr_repair import display_form
from rag.prompts import message
from rag.types import Answer, Citation

TELEGRAM_LIMIT = 4096

# A tag, an entity, a run of whitespace, a run of other text; a stray "<" or "&" stands alone.
_TOKEN = re.compile(r"<[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|\s+|[^<&\s]+|[<&]")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9-]*)")


def escape(text: str) -> str:
    """Plan text and model output as Telegram HTML text (quotes too, so it is safe anywhere)."""
    return html.escape(text, quote=True)


@dataclass(frozen=True)
class SectionButton:
    """One "Xem nguyên văn" button: the text shown and the section it opens."""

    text: str
    source: str
    section: str


def _body_blocks(rendered: RenderedAnswer, labels: dict[int, str]) -> list[str]:
    """The answer's blocks as Telegram HTML: a paragraph per line, a list one "• item" a line,
    each section named once for the whole list."""
    blocks: list[str] = []
    for block in rendered.blocks:
        if block.is_list:
            shown: set[str] = set()
            blocks.append("\n".join("• " + replace_markers(escape(item), labels, shown).strip()
                                    for item in block.lines))
        else:
            blocks.append(replace_markers(escape(block.lines[0]), labels).strip())
    return blocks


def _source_entry(section: CitedSection) -> str:
    """A cited section: its citation numbers and label, each cited passage quoted under it."""
    lines = [f"{', '.join(map(str, section.ids))}. <b>{escape(section.label)}</b>"]
    for passage in section.passages:
        lines.append(f"<blockquote expandable>{escape(passage.shown)}</blockquote>")
        if passage.repaired:  # OCR'd plan: the verbatim text one tap away
            lines.append(f"<i>{escape(message('tg_ocr_original'))}:</i>\n"
                         f"<blockquote expandable>{escape(passage.citation.quote)}</blockquote>")
    return "\n".join(lines)


def answer_html(answer: Answer, short_name: Callable[[str], str], question: str | None = None) -> str:
    """The whole answer as Telegram HTML: an optional notice line, the answer with its citations
    named in place (a list one item a line), then each cited section's passages."""
    rendered = render(answer, short_name)
    blocks: list[str] = []
    if question:
        blocks.append(f"<b>{escape(message('tg_question', question=question))}</b>")
    if rendered.notice:
        blocks.append(f"<i>{escape(rendered.notice)}</i>")
    # Markers are replaced after escaping: labels are escaped on their own.
    blocks.extend(_body_blocks(rendered, {n: escape(label) for n, label in rendered.labels.items()}))
    if rendered.shows_sources:
        sources = [f"<b>{escape(message('tg_sources'))}</b>", *map(_source_entry, rendered.sections)]
        blocks.append("\n".join(sources))
    return "\n\n".join(blocks)


def section_buttons(citations: Sequence[Citation], short_name: Callable[[str], str]) -> list[SectionButton]:
    """One button per cited section; the plan is named on the button only when several are cited."""
    sections = cited_sections(citations, short_name)
    several_plans = len({s.source for s in sections}) > 1
    buttons = []
    for s in sections:
        text = message("tg_button_verbatim", section=section_name(s.section, s.section_label))
        if several_plans:
            text += f" ({s.plan})"
        buttons.append(SectionButton(text, s.source, s.section))
    return buttons


def section_html(short_name: str, doc_title: str, section: str, section_label: str, section_title: str,
                 start_line: int, end_line: int, text: str, original: bool = False) -> str:
    """A section: a bold label, where it is in the file, then the text quoted. An OCR'd plan's
    text is shown repaired (index/ocr_repair) unless `original`: then verbatim, marked as the
    OCR text."""
    text = text.strip()
    shown = text if original else display_form(text)
    head = f"<b>{escape(citation_label(short_name, section, section_label))}</b>"
    if section_title:
        head += f" — {escape(section_title if original else display_form(section_title))}"
    if original:
        head += f" ({escape(message('tg_ocr_original'))})"
    where = message("tg_section_lines", title=doc_title, start=start_line, end=end_line)
    return f"{head}\n<i>{escape(where)}</i>\n\n<blockquote>{escape(shown)}</blockquote>"


# --- splitting --------------------------------------------------------------------------------
def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji outside the BMP is two)."""
    return len(text.encode("utf-16-le")) // 2


def _tag_name(tag: str) -> str:
    found = _TAG_NAME.match(tag)
    return found.group(1).lower() if found else ""


def _apply(stack: tuple[str, ...], token: str) -> tuple[str, ...]:
    """The open tags (as written, attributes kept) after `token`."""
    if not token.startswith("<") or len(token) < 3 or not token.endswith(">"):
        return stack
    name = _tag_name(token)
    if not name:
        return stack
    if token.startswith("</"):
        for i in range(len(stack) - 1, -1, -1):
            if _tag_name(stack[i]) == name:
                return stack[:i] + stack[i + 1:]
        return stack
    if token.endswith("/>"):
        return stack
    return (*stack, token)


def _closing(stack: tuple[str, ...]) -> str:
    return "".join(f"</{_tag_name(tag)}>" for tag in reversed(stack))


def _break_rank(token: str, previous: str) -> int:
    """How good a place to cut this whitespace is: paragraph 4, line 3, sentence 2, word 1."""
    if "\n\n" in token:
        return 4
    if "\n" in token:
        return 3
    if previous.rstrip(")»”\"'").endswith((".", "!", "?", ";", ":")):
        return 2
    return 1


def _tokens(text: str, limit: int) -> list[str]:
    out: list[str] = []
    size = max(16, limit // 4)
    for token in _TOKEN.findall(text):
        if token[0] not in "<&" and not token.isspace() and len(token) > size:
            # a "word" longer than a quarter message (a URL, a table row): cut it anywhere
            out.extend(token[i:i + size] for i in range(0, len(token), size))
        else:
            out.append(token)
    return out


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Cut Telegram HTML into messages of at most `limit` UTF-16 units.

    Cuts fall at the last paragraph break of a part, else a line break, a sentence end, a space,
    and only for an endless word inside it — never inside a tag or an entity. Tags open at a cut
    are closed at the end of one part and reopened (attributes kept) at the start of the next,
    so every part is valid HTML on its own.
    """
    if utf16_len(text) <= limit:
        return [text] if text.strip() else []
    tokens = _tokens(text, limit)
    parts: list[str] = []
    start = 0
    stack: tuple[str, ...] = ()
    while start < len(tokens):
        prefix = "".join(stack)
        used = utf16_len(prefix)
        current = stack
        end = start
        # (rank, cut index, stack at the cut, units used): the best place seen so far to cut
        cuts: list[tuple[int, int, tuple[str, ...], int]] = []
        while end < len(tokens):
            token = tokens[end]
            after = _apply(current, token)
            cost = utf16_len(token)
            if end > start and used + cost + utf16_len(_closing(after)) > limit:
                break
            if token.isspace() and end > start:
                cuts.append((_break_rank(token, tokens[end - 1]), end, current, used))
            used += cost
            current = after
            end += 1
        if end >= len(tokens):
            cut, cut_stack, resume = end, current, end
        else:
            cut, cut_stack, resume = end, current, end
            # prefer the best kind of break that still keeps a quarter of a message
            for rank in (4, 3, 2, 1):
                candidates = [c for c in cuts if c[0] == rank and c[3] >= limit // 4]
                if candidates:
                    _, cut, cut_stack, _ = candidates[-1]
                    resume = cut + 1
                    break
        body = "".join(tokens[start:cut])
        part = prefix + body + _closing(cut_stack)
        if body.strip():
            parts.append(part.strip())
        start, stack = resume, cut_stack
    return parts
