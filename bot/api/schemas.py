"""Request and response models of the HTTP API; their examples end up in the OpenAPI schema."""

from __future__ import annotations

import builtins
import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator

from rag.prompts import message
from rag.types import AnswerFields, AnswerMode, Citation

EXAMPLE_QUESTION = ("Các cơ quan phải gửi báo cáo về đâu và trước ngày nào theo kế hoạch thông tin đối ngoại "
                    "năm 2024 của Thừa Thiên Huế?")
EXAMPLE_CITATION: dict[str, JsonValue] = {
    "id": 1,
    "source": "thua-thien-hue-2024.txt",
    "doc_title": "Kế hoạch thông tin đối ngoại của UBND tỉnh Thừa Thiên Huế năm 2024",
    "section": "V.2",
    "section_label": "Mục V, khoản 2",
    "section_title": "Bao cédo hoat dong thong tin d01 ngoai gui Ve S¢ Thong tin va Truyén",
    "quote": "2. Bao cédo hoat dong thong tin d01 ngoai gui Ve S¢ Thong tin va Truyén thong trude ngay "
             "15/11/2024 va dot xuat khi c¢6 yéu cau, dé tong hop trinh UBND tinh, B6 Thong tin va Truyén "
             "thong theo quy dinh.",
    "start_line": 711,
    "end_line": 713,
    "plan": "Thừa Thiên Huế 2024",
    "label": "Thừa Thiên Huế 2024 · Mục V.2",
    "href": "/v1/documents/thua-thien-hue-2024.txt/sections/V.2",
}
EXAMPLE_ANSWER_TEXT = ("Theo Kế hoạch thông tin đối ngoại của UBND tỉnh Thừa Thiên Huế năm 2024 (Mục V, khoản 2): "
                       "Các cơ quan, đơn vị, địa phương gửi báo cáo về Sở Thông tin và Truyền thông trước ngày "
                       "15/11/2024 và đột xuất khi có yêu cầu; Sở Thông tin và Truyền thông tổng hợp trình Ủy ban "
                       "nhân dân tỉnh và Bộ Thông tin và Truyền thông. [1]")
CONVERSATION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
# One server-sent event, as OpenAPI 3.2 describes text/event-stream items; `data` carries JSON.
SSE_EVENT_SCHEMA = {
    "type": "object",
    "properties": {
        "event": {"type": "string"},
        "data": {"type": "string", "contentMediaType": "application/json"},
        "id": {"type": "string"},
        "retry": {"type": "integer", "minimum": 0},
    },
}


# Unicode category Cc is exactly U+0000-001F and U+007F-009F; tab and line breaks are allowed.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def reject_control_chars(value: str) -> str:
    if _CONTROL_CHARS.search(value):
        raise ValueError(message("api_control_chars"))
    return value


# --- problems ------------------------------------------------------------------------------------
class FieldProblem(BaseModel):
    field: str
    message: str = Field(description="Vietnamese, for the end user")
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "type": "urn:planbot:problem:unauthorized", "title": "Unauthorized", "status": 401,
        "detail": "Thiếu khóa API hoặc khóa không đúng. Hãy gửi tiêu đề \"Authorization: Bearer <khóa>\".",
        "instance": "/v1/ask"}]})

    type: str = Field(description="urn:planbot:problem:<slug>, see docs/api.md")
    title: str
    status: int
    detail: str = Field(description="Vietnamese, for the end user")
    instance: str | None = None
    errors: list[FieldProblem] | None = None


# --- asking --------------------------------------------------------------------------------------
class AskRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"question": EXAMPLE_QUESTION},
        {"question": "Còn năm 2025 thì sao?", "conversation_id": "3f2a9c1e5b7d4e60a1b2c3d4e5f60718"},
        {"question": "Ai chủ trì tổ chức thực hiện kế hoạch?", "sources": ["vinh-phuc-2024.txt"]},
    ]})

    question: str = Field(description="the question, in Vietnamese", examples=[EXAMPLE_QUESTION])
    conversation_id: str | None = Field(
        default=None, pattern=CONVERSATION_ID_PATTERN,
        description="continue this conversation (follow-ups resolve references from its last turns); "
                    "omit to start a new one. Conversations expire after a while of silence.")
    sources: list[str] | None = Field(default=None, max_length=100,
                                      description="restrict to these plans (file names from GET /v1/documents)",
                                      examples=[["thua-thien-hue-2024.txt"]])
    mode: AnswerMode | None = Field(
        default=None, description="force extractive answers; default: the LLM when configured and reachable")

    _no_controls = field_validator("question")(reject_control_chars)


class CitationOut(Citation):
    plan: str = Field(description="short name of the plan, e.g. \"Thừa Thiên Huế 2024\"")
    label: str = Field(description="chip text, e.g. \"Thừa Thiên Huế 2024 · Mục V.2\"")
    href: str = Field(description="GET this for the verbatim text of the cited section")


class AnswerBlockOut(BaseModel):
    """A paragraph (one line) or a list (a run of "- item" lines, the dash dropped); `[n]` markers kept."""

    kind: Literal["paragraph", "list"]
    lines: list[str]


class CitedSectionOut(BaseModel):
    """One cited plan section (the page's chip): nine items of one section are one entry, not nine."""

    source: str
    section: str
    section_label: str
    label: str = Field(description="chip text, e.g. \"Thừa Thiên Huế 2024 · Mục V.2\"")
    citation_ids: list[int] = Field(description="the `[n]` citations of this section")


class AnswerOut(AnswerFields[CitationOut]):
    """The answer JSON of docs/contract.md, citations extended with links, and the answer as the page
    draws it (bot/render/model.py: the same blocks and sections the Telegram bot shows)."""

    answer_with_sources: str = Field(description="the answer followed by its numbered sources, as plain text "
                                                 "(what the page copies and chat clients show)")
    blocks: list[AnswerBlockOut] = Field(default_factory=list, description="the answer's paragraphs and lists")
    sections: list[CitedSectionOut] = Field(default_factory=list,
                                            description="the cited sections, in order of first citation")


class AskResponse(AnswerOut):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "question": EXAMPLE_QUESTION, "answer": EXAMPLE_ANSWER_TEXT, "abstained": False, "mode": "extractive",
        "citations": [EXAMPLE_CITATION],
        "answer_with_sources": EXAMPLE_ANSWER_TEXT + "\n\nNguồn:\n[1] Thừa Thiên Huế 2024 · Mục V.2 …",
        "conversation_id": "3f2a9c1e5b7d4e60a1b2c3d4e5f60718"}]})

    conversation_id: str


class TurnOut(BaseModel):
    question: str
    answer: AnswerOut


class ConversationOut(BaseModel):
    conversation_id: str
    turns: list[TurnOut]


# --- OpenAI-compatible chat ----------------------------------------------------------------------
class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        if not self.content:
            return ""
        return "\n".join(part.text for part in self.content if part.type == "text" and part.text)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"model": "planbot", "messages": [{"role": "user", "content": EXAMPLE_QUESTION}]},
        {"model": "planbot", "stream": True, "messages": [
            {"role": "user", "content": EXAMPLE_QUESTION},
            {"role": "assistant", "content": EXAMPLE_ANSWER_TEXT},
            {"role": "user", "content": "Còn năm 2025 thì sao?"}]},
    ]})

    model: str = Field(default="planbot", examples=["planbot"])
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool = False
    sources: list[str] | None = Field(default=None, max_length=100,
                                      description="planbot extension: restrict to these plans")


class ChatChoiceMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str
    citations: list[CitationOut] = Field(default_factory=list,
                                         description="planbot extension: the structured citations")


class ChatChoice(BaseModel):
    index: int = 0
    message: ChatChoiceMessage
    finish_reason: Literal["stop"] = "stop"


class ChatResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "chatcmpl-5b1f0c2a9d8e4f7a", "object": "chat.completion", "created": 1767225600, "model": "planbot",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {
            "role": "assistant", "content": EXAMPLE_ANSWER_TEXT + "\n\nNguồn:\n[1] Thừa Thiên Huế 2024 · Mục V.2 …",
            "citations": [EXAMPLE_CITATION]}}],
        "citations": [EXAMPLE_CITATION], "planbot": {"mode": "extractive", "abstained": False}}]})

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    citations: list[CitationOut] = Field(default_factory=list, description="planbot extension")
    # `object` is a field of this model: the builtin is named through its module
    planbot: dict[str, builtins.object] = Field(default_factory=dict, description="planbot extension: mode, abstained, notice")


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "planbot"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


# --- documents -----------------------------------------------------------------------------------
class FlaggedPassage(BaseModel):
    """A passage of the plan that reads like an instruction to an AI (index/injection.py): it is
    withheld from the LLM and never quoted; an administrator should look at the file."""

    section: str
    line: int
    kind: str = Field(description="instruction-vi | instruction-en | base64 | base64-instruction")
    excerpt: str


class DocumentOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "source": "vinh-phuc-2024.txt", "title": "Kế hoạch thông tin đối ngoại số 4155/KH-UBND của UBND tỉnh "
        "Vĩnh Phúc năm 2024", "short_name": "Vĩnh Phúc 2024", "doc_type": "Kế hoạch", "issuer": "UBND tỉnh Vĩnh Phúc",
        "province": "Vĩnh Phúc", "province_now": "Vĩnh Phúc, nay thuộc tỉnh Phú Thọ", "year": 2024,
        "number": "4155/KH-UBND", "place": "Vĩnh Phúc", "chunks": 31, "warnings": [], "ingested_at": "2026-01-01T00:00:00Z",
        "outline_href": "/v1/documents/vinh-phuc-2024.txt/outline"}]})

    source: str
    title: str
    short_name: str
    doc_type: str | None = None
    issuer: str | None = Field(None, description="issuing body, e.g. 'UBND tỉnh Bắc Ninh'")
    province: str | None = Field(None, description="the province the plan names (a former unit keeps its name)")
    province_now: str | None = Field(None, description="for a former unit: 'Vĩnh Phúc, nay thuộc tỉnh Phú Thọ'")
    year: int | None = None
    years: list[int] | None = Field(None, description="the years the plan covers")
    number: str | None = None
    signed: dt.date | None = Field(None, description="signing date, when legible")
    place: str | None = None
    signer: str | None = None
    signer_authority: str | None = None
    chunks: int
    warnings: list[str] = Field(default_factory=list)
    flagged_passages: list[FlaggedPassage] = Field(default_factory=list)
    ingested_at: dt.datetime | None = None
    outline_href: str


class DocumentList(BaseModel):
    documents: list[DocumentOut]


class OutlineEntry(BaseModel):
    section: str
    label: str
    title: str
    title_display: str = Field("", description="the title as a reader should see it (OCR damage repaired)")
    line: int
    href: str


class OutlineOut(BaseModel):
    source: str
    title: str
    short_name: str
    sections: list[OutlineEntry]


class SectionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "source": "thua-thien-hue-2024.txt", "doc_title": EXAMPLE_CITATION["doc_title"],
        "plan": "Thừa Thiên Huế 2024", "section": "V.2", "section_label": "Mục V, khoản 2",
        "section_title": EXAMPLE_CITATION["section_title"], "start_line": 711, "end_line": 713,
        "text": "2. Bao cédo hoat dong thong tin d01 ngoai gui Ve S¢ Thong tin va Truyén\nthong trude ngay "
                "15/11/2024 va dot xuat khi c¢6 yéu cau, dé tong hop trinh UBND\ntinh, B6 Thong tin va Truyén "
                "thong theo quy dinh."}]})

    source: str
    doc_title: str
    plan: str
    section: str
    section_label: str
    section_title: str
    start_line: int
    end_line: int
    text: str = Field(description="verbatim, the section with its sub-sections, in reading order")
    text_display: str = Field("", description="the same text as a reader should see it: OCR damage repaired "
                              "(index/ocr_repair), same lines and words; equals text for clean plans")


class IngestOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "source": "du-thao-ke-hoach.docx", "status": "added", "chunks": 12, "generation": "g-1767225600-3f2a9c1e"}]})

    source: str
    status: Literal["added", "updated", "unchanged", "removed"]
    chunks: int = 0
    generation: str | None = None
    document: DocumentOut | None = None


class JobError(BaseModel):
    type: str = Field(description="urn:planbot:problem:<slug>, as in problem documents")
    detail: str = Field(description="Vietnamese, for the end user")


class JobOut(BaseModel):
    """An upload that needs OCR, read and indexed in the background."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "5b1f0c2a9d8e4f7a8c6d4e2f1a0b9c8d", "source": "ke-hoach-quet.pdf", "status": "reading",
        "pages_done": 3, "pages_total": 12,
        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:01Z",
        "href": "/v1/jobs/5b1f0c2a9d8e4f7a8c6d4e2f1a0b9c8d"}]})

    id: str
    source: str
    status: Literal["queued", "reading", "indexing", "done", "failed"] = Field(
        description="queued → reading (OCR) → indexing → done | failed")
    created_at: dt.datetime
    updated_at: dt.datetime
    href: str = Field(description="GET this for the job's progress")
    pages_done: int | None = Field(default=None, description="pages read so far, once reading has started")
    pages_total: int | None = Field(default=None, description="pages in the file")
    result: IngestOut | None = Field(default=None, description="when done: what a synchronous upload returns")
    error: JobError | None = Field(default=None, description="when failed: why")


class KeyInfo(BaseModel):
    role: Literal["ask", "admin"] = Field(description="admin keys may also upload and remove plans")


# --- obligations register ------------------------------------------------------------------------
class ObligationOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    kind: str = Field(description="assignment | reporting | deadline")
    source: str
    doc_title: str
    section: str
    section_label: str
    quote: str
    quote_display: str = Field("", description="the quote as a reader should see it (OCR damage repaired); "
                               "`quote` stays verbatim")
    task_display: str | None = Field(None, description="the task text, OCR damage repaired")
    agency: str | None = None
    recipient: str | None = None
    due_date: dt.date | None = None
    href: str


class ObligationList(BaseModel):
    records: list[ObligationOut]


class DueOut(BaseModel):
    date: dt.date
    period: str = Field(description="once | yearly | semiannual | quarterly | monthly")
    period_label: str | None = Field(None, description="the period in Vietnamese (\"hằng quý\"), for periodic duties")
    role: str | None = Field(None, description="what the agency asked about has to do with it: actor | cooperating | "
                                               "recipient | shared (a duty of all departments); null without agency")
    uid: str = Field(description="stable id of this due date (the iCalendar event UID)")
    plan: str = Field(description="the plan's short name")
    label: str = Field(description="the citation: \"Thừa Thiên Huế 2024 · Mục V.2\"")
    what: str = Field(description="what is due, one Vietnamese sentence")
    record: ObligationOut


class UpcomingList(BaseModel):
    agency: str | None = Field(None, description="the canonical name of the agency asked about")
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    ics_path: str = Field(description="the iCalendar feed of the same agency (add ?key= for a calendar app)")
    items: list[DueOut]

    model_config = ConfigDict(populate_by_name=True)


# --- health --------------------------------------------------------------------------------------
class Health(BaseModel):
    status: Literal["ok"] = "ok"


class LlmStatus(BaseModel):
    configured: bool
    ok: bool | None = Field(default=None, description="whether Ollama answers with the model; null when not configured")
    model: str | None = None


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    generation: str | None = None
    documents: int
    chunks: int
    llm: LlmStatus
