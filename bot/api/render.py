"""Answers as the API shows them: citations with their plan's short name, chip label and link, and
the plain-text form (answer, then numbered sources) that chat clients and the copy button use."""

from __future__ import annotations

from urllib.parse import quote

from bot.api.schemas import AnswerOut, CitationOut
from bot.format import citation_label  # one label for every channel: "Thừa Thiên Huế 2024 · Mục V.2"
from index.ocr_repair import display_form
from planbot.factory import App
from rag.prompts import message
from rag.types import Answer, Citation


def section_href(base: str, source: str, section: str) -> str:
    return f"{base}/v1/documents/{quote(source, safe='')}/sections/{quote(section, safe='')}"


def plan_names(app: App) -> dict[str, str]:
    return {d.meta.source: d.meta.short_name for d in app.library.documents()}


def citation_out(citation: Citation, names: dict[str, str], base: str) -> CitationOut:
    plan = names.get(citation.source, citation.doc_title)
    data = citation.model_dump()
    data["section_title"] = display_form(citation.section_title)  # people read it; `quote` stays verbatim
    return CitationOut(**data, plan=plan,
                       label=citation_label(plan, citation.section, citation.section_label),
                       href=section_href(base, citation.source, citation.section))


def sources_text(citations: list[CitationOut]) -> str:
    if not citations:
        return ""
    lines = [f"{message('sources_heading')}:"]
    for c in citations:
        # what people read and copy: the repaired passage (the verbatim one is in the JSON's `quote`)
        lines.append(f"[{c.id}] {c.label} ({c.source}): “{c.quote_display or c.quote}”")
    return "\n".join(lines)


def with_sources(text: str, notice: str | None, citations: list[CitationOut]) -> str:
    parts = [f"({notice})"] if notice else []
    parts.append(text)
    sources = sources_text(citations)
    if sources:
        parts.append("\n" + sources)
    return "\n".join(parts)


def answer_out(answer: Answer, app: App, base: str = "") -> AnswerOut:
    names = plan_names(app)
    citations = [citation_out(c, names, base) for c in answer.citations]
    data = answer.model_dump(exclude={"citations"})
    return AnswerOut(**data, citations=citations,
                     answer_with_sources=with_sources(answer.answer, answer.notice, citations))
