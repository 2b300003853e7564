"""Answer and citation: the answer JSON of docs/contract.md is `Answer` serialised."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field, computed_field, model_validator

from index.ocr_repair import display_form
from lang.markers import CITATION_TEXT

# what splits an answer into runs of verbatim text: citation markers, lines, added parentheses
# ("(Chủ trì: …)" is the answer's own words)
_RUN_BOUNDARY = re.compile(rf"({CITATION_TEXT}|\n|\([^()\n]*\))")
_MIN_RUN_WORDS = 4  # a short run ("Quý II/2024", "UBND tỉnh") is left as it is


def readable_runs(text: str) -> str:
    """`text` (an answer from an OCR'd plan) with each OCR-damaged run of verbatim plan text shown repaired: an answer adds to
    its quotes the item's other lines (its labelled fields, the sentence a line break cut) and
    those are verbatim too. Clean runs and the answer's own words pass through unchanged."""
    out = []
    for run in _RUN_BOUNDARY.split(text):
        if run and not _RUN_BOUNDARY.fullmatch(run) and len(run.split()) >= _MIN_RUN_WORDS:
            core = run.strip()
            start = run.index(core)
            run = run[:start] + display_form(core, from_ocr=True) + run[start + len(core):]
        out.append(run)
    return "".join(out)


class AnswerMode(StrEnum):
    """How an answer was written: by the LLM (verified against the passages) or extractively."""

    LLM = "llm"
    EXTRACTIVE = "extractive"


class Citation(BaseModel):
    id: int
    source: str
    doc_title: str
    section: str
    section_label: str
    section_title: str
    quote: str = Field(description="verbatim passage of the source file (whitespace normalised)")
    quote_display: str = Field("", description="the same passage as a reader should see it (OCR damage "
                               "repaired, index/ocr_repair); equals quote for clean plans")
    start_line: int | None = None
    end_line: int | None = None
    page: int | None = None

    @model_validator(mode="after")
    def _fill_quote_display(self) -> Citation:
        # Filled here so every producer of citations gets it; `quote` stays verbatim for verification.
        if not self.quote_display:
            self.quote_display = display_form(self.quote)
        return self


class DroppedClaim(BaseModel):
    """A sentence of the LLM's answer that was removed, and why. What no passage supports is
    masked ("…"): a hallucinated deadline or an injected string does not travel on in the JSON;
    a claim that repeated the instructions is left empty."""

    claim: str
    reason: Literal["unsupported_fact", "unsupported_words", "no_citation", "unknown_citation", "prompt_leak"]
    unsupported: list[str] = Field(default_factory=list, description="kinds of the facts its cited passages do "
                                   "not hold (date, number, document_number, agency, code), or unknown [n] markers")


class Verification(BaseModel):
    """How an LLM answer was checked against its cited passages (rag/verify.py)."""

    checked_facts: list[str] = Field(default_factory=list, description="dates, numbers, document numbers, "
                                     "agency names found in the cited passages")
    dropped_claims: list[str] = Field(default_factory=list)
    dropped_citations: list[str] = Field(default_factory=list)
    fell_back: bool = False
    dropped: list[DroppedClaim] = Field(default_factory=list)
    withheld_passages: int = Field(default=0, description="instruction-like passages kept from the LLM")
    prompt_leak: bool = False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outcome(self) -> Literal["verified", "claims_removed", "fell_back"]:
        """verified: every claim held; claims_removed: unsupported ones were cut; fell_back: the
        answer is the extractive one."""
        if self.fell_back:
            return "fell_back"
        return "claims_removed" if self.dropped_claims else "verified"


CitationT = TypeVar("CitationT", bound=Citation)


class AnswerFields(BaseModel, Generic[CitationT]):
    """The fields of the answer JSON (docs/contract.md), declared once: `Answer` holds Citations,
    the API's AnswerOut its citations with links (bot/api/schemas.py)."""

    id: str | int | None = None
    question: str
    answer: str
    abstained: bool
    mode: AnswerMode
    citations: list[CitationT] = Field(default_factory=list)
    notice: str | None = Field(default=None, description="short Vietnamese note, e.g. LLM unavailable")
    verification: Verification | None = None
    model: str | None = None
    prompt: str | None = None


class Answer(AnswerFields[Citation]):
    """An answer as the assistant gives it; `to_contract()` is the answer JSON."""

    @model_validator(mode="after")
    def _readable_quotes(self) -> Answer:
        # An extractive answer copies passages verbatim; from an OCR'd plan a reader is shown the
        # repaired passage (citations keep the verbatim `quote` for verification).
        for citation in self.citations:
            if citation.quote_display != citation.quote and citation.quote and citation.quote in self.answer:
                self.answer = self.answer.replace(citation.quote, citation.quote_display)
        if any(c.quote_display != c.quote for c in self.citations):
            # from an OCR'd plan: what the answer adds beside its quotes is verbatim text too
            self.answer = readable_runs(self.answer)
        return self

    def to_contract(self) -> dict:
        data = self.model_dump(exclude_none=True)
        data.setdefault("citations", [])
        if self.id is None:
            data.pop("id", None)
        return data
