"""A rendered answer, independent of the surface: the answer's lines as paragraphs and lists
(a run of "- item [n]" lines is one list), each citation marker resolved to its section's label,
and the cited sections (one per plan section, in order of first citation) with their passages.

Every surface names a citation the same way ("Thừa Thiên Huế 2024 · Mục V.2") and shows the
repaired passage of an OCR'd plan (`quote_display`), the verbatim one kept beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lang.markers import CITATION_TEXT, MARKER
from rag.prompts import message
from rag.types import Answer, Citation

UNNUMBERED_SECTIONS = ("preamble", "closing")

# a run of markers after a sentence, with the sentence's stop before it: "… yêu cầu. [1][2]"
MARKERS = re.compile(rf"([.;:!?]?)((?:\s*{CITATION_TEXT})+)")  # a sentence's stop and its markers
LIST_ITEM = re.compile(r"^\s*[-•]\s+")


def section_name(section: str, section_label: str = "") -> str:
    """"Mục V.2"; the unnumbered parts keep their label ("Phần kết")."""
    if section in UNNUMBERED_SECTIONS:
        return section_label or section
    return message("tg_section", path=section)


def citation_label(short_name: str, section: str, section_label: str = "") -> str:
    """"Thừa Thiên Huế 2024 · Mục V.2": one label for every channel."""
    return f"{short_name} · {section_name(section, section_label)}"


@dataclass(frozen=True)
class Passage:
    """One cited passage: what people read (repaired when the plan was OCR'd) and the verbatim text."""

    citation: Citation

    @property
    def shown(self) -> str:
        return self.citation.quote_display or self.citation.quote

    @property
    def repaired(self) -> bool:
        """The passage is shown repaired: the verbatim OCR text is worth offering beside it."""
        return self.shown != self.citation.quote


@dataclass(frozen=True)
class CitedSection:
    """One cited plan section (a chip, a "Xem nguyên văn" button, a sources entry) and its passages."""

    source: str
    section: str
    section_label: str
    plan: str
    label: str
    passages: tuple[Passage, ...]

    @property
    def ids(self) -> list[int]:
        return [p.citation.id for p in self.passages]


@dataclass(frozen=True)
class Block:
    """A paragraph (one line) or a list (its items); lines keep their `[n]` markers."""

    lines: tuple[str, ...]
    is_list: bool = False


@dataclass(frozen=True)
class RenderedAnswer:
    answer: Answer
    blocks: tuple[Block, ...]
    sections: tuple[CitedSection, ...]
    labels: dict[int, str] = field(default_factory=dict)

    @property
    def notice(self) -> str | None:
        return self.answer.notice

    @property
    def shows_sources(self) -> bool:
        """Passages are listed after the answer unless it declined (its citations only point)."""
        return bool(self.answer.citations) and not self.answer.abstained


def answer_blocks(text: str) -> list[Block]:
    """Lines are paragraphs; a run of "- item" lines (blank lines end it) is one list."""
    blocks: list[Block] = []
    items: list[str] = []
    for line in text.split("\n"):
        if LIST_ITEM.match(line):
            items.append(LIST_ITEM.sub("", line))
            continue
        if items:
            blocks.append(Block(tuple(items), is_list=True))
            items = []
        if line.strip():
            blocks.append(Block((line,)))
    if items:
        blocks.append(Block(tuple(items), is_list=True))
    return blocks


def cited_sections(citations: Sequence[Citation], short_name: Callable[[str], str]) -> list[CitedSection]:
    """One entry per cited section, in order of first citation, with all its passages."""
    groups: dict[tuple[str, str], list[Citation]] = {}
    for citation in citations:
        groups.setdefault((citation.source, citation.section), []).append(citation)
    sections = []
    for (source, section), group in groups.items():
        plan = short_name(source)
        sections.append(CitedSection(source, section, group[0].section_label, plan,
                                     citation_label(plan, section, group[0].section_label),
                                     tuple(Passage(c) for c in group)))
    return sections


def render(answer: Answer, short_name: Callable[[str], str]) -> RenderedAnswer:
    """The answer read once; `short_name` names a plan by its source file."""
    labels = {c.id: citation_label(short_name(c.source), c.section, c.section_label) for c in answer.citations}
    return RenderedAnswer(answer, tuple(answer_blocks(answer.answer)),
                          tuple(cited_sections(answer.citations, short_name)), labels)


def replace_markers(line: str, labels: dict[int, str], shown: set[str] | None = None) -> str:
    """`… có yêu cầu. [1][2]` → `… có yêu cầu (A; B).`: the labels go before the sentence's stop.
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

    return MARKERS.sub(repl, line)
