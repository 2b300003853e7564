"""Text for chat interfaces: citation labels, Telegram HTML, and message splitting.

Telegram's HTML mode accepts a few tags and only the entities `&lt; &gt; &amp; &quot;` (plus
numeric ones); every text that comes from a plan or a model is escaped here before it is
wrapped in tags. Messages are limited to 4096 characters, counted in UTF-16 code units.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.ocr_repair import display_form
from lang.markers import CITATION_TEXT, MARKER
from rag.prompts import message
from rag.types import Answer, Citation

TELEGRAM_LIMIT = 4096
UNNUMBERED_SECTIONS = ("preamble", "closing")

_MARKERS = re.compile(rf"([.;:!?]?)((?:\s*{CITATION_TEXT})+)")
# A tag, an entity, a run of whitespace, a run of other text; a stray "<" or "&" stands alone.
_TOKEN = re.compile(r"<[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|\s+|[^<&\s]+|[<&]")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9-]*)")


def escape(text: str) -> str:
    """Plan text and model output as Telegram HTML text (quotes too, so it is safe anywhere)."""
    return html.escape(text, quote=True)


def section_name(section: str, section_label: str = "") -> str:
    """"Mục V.2"; the unnumbered parts keep their label ("Phần kết")."""
    if section in UNNUMBERED_SECTIONS:
        return section_label or section
    return message("tg_section", path=section)


def citation_label(short_name: str, section: str, section_label: str = "") -> str:
    """"Thừa Thiên Huế 2024 · Mục V.2"."""
    return f"{short_name} · {section_name(section, section_label)}"


@dataclass(frozen=True)
class SectionButton:
    """One "Xem nguyên văn" button: the text shown and the section it opens."""

    text: str
    source: str
    section: str


def _citation_labels(citations: Sequence[Citation], short_name: Callable[[str], str]) -> dict[int, str]:
    return {c.id: citation_label(short_name(c.source), c.section, c.section_label) for c in citations}


def _replace_markers(body: str, labels: dict[int, str], shown: set[str] | None = None) -> str:
    """`… có yêu cầu. [1][2]` → `… có yêu cầu (A; B).`: the label goes before the sentence's stop.
    With `shown`, a label already given (an earlier item of the same list) is not repeated."""

    def repl(match: re.Match[str]) -> str:
        stop = match.group(1)
        names = list(dict.fromkeys(labels[n] for n in map(int, MARKER.findall(match.group(2)))
                                   if n in labels))
        if shown is not None:
            names = [name for name in names if name not in shown]
            shown.update(names)
        if not names:
            return stop
        return f" ({'; '.join(names)}){stop}"

    return _MARKERS.sub(repl, body)


_LIST_ITEM = re.compile(r"^\s*[-•]\s+")


def _body_blocks(text: str, labels: dict[int, str]) -> list[str]:
    """The answer's lines as Telegram HTML blocks: a paragraph per line, and a run of "- item [n]"
    lines as one block, one "• item" a line, each section named once for the whole list."""
    blocks: list[str] = []
    items: list[str] = []
    shown: set[str] = set()

    def close_list() -> None:
        if items:
            blocks.append("\n".join(items))
            items.clear()
            shown.clear()

    for line in text.split("\n"):
        if not line.strip():
            close_list()
        elif _LIST_ITEM.match(line):
            items.append("• " + _replace_markers(escape(_LIST_ITEM.sub("", line)), labels, shown).strip())
        else:
            close_list()
            blocks.append(_replace_markers(escape(line), labels).strip())
    close_list()
    return blocks


def _source_entries(citations: Sequence[Citation], labels: dict[int, str]) -> list[str]:
    """One entry per cited section (its citation numbers, its label), each cited passage under it."""
    groups: dict[tuple[str, str], list[Citation]] = {}
    for citation in citations:
        groups.setdefault((citation.source, citation.section), []).append(citation)
    entries = []
    for group in groups.values():
        numbers = ", ".join(str(c.id) for c in group)
        lines = [f"{numbers}. <b>{escape(labels[group[0].id])}</b>"]
        for citation in group:
            shown = citation.quote_display or citation.quote
            lines.append(f"<blockquote expandable>{escape(shown)}</blockquote>")
            if shown != citation.quote:  # OCR'd plan: the verbatim text one tap away
                lines.append(f"<i>{escape(message('tg_ocr_original'))}:</i>\n"
                             f"<blockquote expandable>{escape(citation.quote)}</blockquote>")
        entries.append("\n".join(lines))
    return entries


def answer_html(answer: Answer, short_name: Callable[[str], str], question: str | None = None) -> str:
    """The whole answer as Telegram HTML: an optional notice line, the answer with its citations
    named in place (a list one item a line), then each cited section's passages."""
    labels = _citation_labels(answer.citations, short_name)
    blocks: list[str] = []
    if question:
        blocks.append(f"<b>{escape(message('tg_question', question=question))}</b>")
    if answer.notice:
        blocks.append(f"<i>{escape(answer.notice)}</i>")
    # Markers are replaced after escaping: labels are escaped on their own.
    escaped_labels = {n: escape(label) for n, label in labels.items()}
    blocks.extend(_body_blocks(answer.answer, escaped_labels))
    if answer.citations and not answer.abstained:
        sources = [f"<b>{escape(message('tg_sources'))}</b>", *_source_entries(answer.citations, labels)]
        blocks.append("\n".join(sources))
    return "\n\n".join(blocks)


def section_buttons(citations: Sequence[Citation], short_name: Callable[[str], str]) -> list[SectionButton]:
    """One button per cited section; the plan is named on the button only when several are cited."""
    seen: dict[tuple[str, str], Citation] = {}
    for citation in citations:
        seen.setdefault((citation.source, citation.section), citation)
    several_plans = len({source for source, _ in seen}) > 1
    buttons = []
    for (source, section), citation in seen.items():
        text = message("tg_button_verbatim", section=section_name(section, citation.section_label))
        if several_plans:
            text += f" ({short_name(source)})"
        buttons.append(SectionButton(text, source, section))
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
