"""A rendered answer as plain text: the notice in parentheses, the answer, then its sources
numbered as the answer's `[n]` markers. The copy button, OpenAI-compatible clients and the CLI
read the same text; the CLI adds where each passage is in the file (`detail`) and, when asked
(`planbot ask --ocr-original`), an OCR'd plan's verbatim text (`original`): by default an answer shows only
repaired text, the raw OCR's symbols ("¢", "Vo1") are for checking a repair, not for reading."""

from __future__ import annotations

from bot.render.model import Passage, RenderedAnswer
from rag.prompts import message


def answer_head(rendered: RenderedAnswer) -> str:
    """The notice (if any) and the answer, without sources."""
    parts = [f"({rendered.notice})"] if rendered.notice else []
    parts.append(rendered.answer.answer)
    return "\n".join(parts)


def sources_text(rendered: RenderedAnswer, detail: bool = False, original: bool = False) -> str:
    """"Nguồn:" and one line per citation, in the order of the answer's markers, the passage as
    people read it (repaired if the plan was OCR'd)."""
    if not rendered.answer.citations:
        return ""
    lines = [f"{message('sources_heading')}:"]
    for c in rendered.answer.citations:
        passage = Passage(c)
        where = f"{c.source}, dòng {c.start_line}–{c.end_line}" if detail else c.source
        lines.append(f"[{c.id}] {rendered.labels[c.id]} ({where}): “{passage.shown}”")
        if original and passage.repaired:
            lines.append(f"    {message('tg_ocr_original')}: “{c.quote}”")
    return "\n".join(lines)


def answer_text(rendered: RenderedAnswer, detail: bool = False, original: bool = False) -> str:
    """The whole answer as text: notice, answer, a blank line, sources."""
    head = answer_head(rendered)
    sources = sources_text(rendered, detail, original)
    return f"{head}\n\n{sources}" if sources else head
