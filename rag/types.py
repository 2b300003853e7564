"""Answer and citation: the answer JSON of CONTRACT.md is `Answer` serialised."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Citation(BaseModel):
    id: int
    source: str
    doc_title: str
    section: str
    section_label: str
    section_title: str
    quote: str = Field(description="verbatim passage of the source file (whitespace normalised)")
    start_line: int | None = None
    end_line: int | None = None
    page: int | None = None


class Verification(BaseModel):
    checked_facts: list[str] = Field(default_factory=list)
    dropped_claims: list[str] = Field(default_factory=list)
    dropped_citations: list[str] = Field(default_factory=list)
    fell_back: bool = False


class Answer(BaseModel):
    id: str | int | None = None
    question: str
    answer: str
    abstained: bool
    mode: Literal["llm", "extractive"]
    citations: list[Citation] = Field(default_factory=list)
    notice: str | None = Field(default=None, description="short Vietnamese note, e.g. LLM unavailable")
    verification: Verification | None = None
    model: str | None = None
    prompt: str | None = None

    def to_contract(self) -> dict:
        data = self.model_dump(exclude_none=True)
        data.setdefault("citations", [])
        if self.id is None:
            data.pop("id", None)
        return data
