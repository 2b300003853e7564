"""Answers as the API shows them: citations with their plan's short name, chip label and link, and
the plain-text form (bot/render/text.py: answer, then numbered sources) that chat clients and the
copy button use."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from bot.api.schemas import AnswerBlockOut, AnswerOut, CitationOut, CitedSectionOut
from bot.render.model import RenderedAnswer, render
from bot.render.text import answer_text
from index.ocr_repair import display_form
from planbot.factory import App
from rag.types import Answer


def section_href(base: str, source: str, section: str) -> str:
    return f"{base}/v1/documents/{quote(source, safe='')}/sections/{quote(section, safe='')}"


def plan_names(app: App) -> dict[str, str]:
    return {d.meta.source: d.meta.short_name for d in app.library.documents()}


def plan_namer(answer: Answer, app: App) -> Callable[[str], str]:
    """A cited plan's short name; a plan no longer indexed is named by its title."""
    names = plan_names(app)
    titles = {c.source: c.doc_title for c in answer.citations}
    return lambda source: names[source] if source in names else titles[source]


def rendered_answer(answer: Answer, app: App) -> RenderedAnswer:
    return render(answer, plan_namer(answer, app))


def answer_out(answer: Answer, app: App, base: str = "") -> AnswerOut:
    short_name = plan_namer(answer, app)
    rendered = render(answer, short_name)
    citations = []
    for c in answer.citations:
        data = c.model_dump()
        data["section_title"] = display_form(c.section_title)  # people read it; `quote` stays verbatim
        citations.append(CitationOut(**data, plan=short_name(c.source), label=rendered.labels[c.id],
                                     href=section_href(base, c.source, c.section)))
    data = answer.model_dump(exclude={"citations"})
    blocks = [AnswerBlockOut(kind="list" if b.is_list else "paragraph", lines=list(b.lines)) for b in rendered.blocks]
    sections = [CitedSectionOut(source=s.source, section=s.section, section_label=s.section_label, label=s.label,
                                citation_ids=s.ids) for s in rendered.sections]
    return AnswerOut(**data, citations=citations, answer_with_sources=answer_text(rendered),
                     blocks=blocks, sections=sections)
