"""The one settings object (environment variables with the PLANBOT_ prefix, or a .env file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CommaList = Annotated[list[str], NoDecode]


def _split_commas(value: object) -> object:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PLANBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("planbot", appauthor=False)))
    # auto: the configured server when it answers (probed once, on the first question), else
    # extractive answers without a warning; ollama / openai: always that server, its faults reported
    llm: Literal["auto", "ollama", "openai", "none"] = "auto"
    ollama_url: str = "http://127.0.0.1:11434"
    ollama_model: str = "qwen2.5:7b-instruct"
    ollama_timeout: float = Field(default=60.0, gt=0, description="seconds for one whole answer, streamed or not")
    ollama_num_ctx: int = Field(default=8192, ge=1024, description="context window sent to Ollama")
    openai_url: str = Field(default="", description="base URL of an OpenAI-compatible "
                            "server (vLLM, llama-server, LM Studio, TGI), ending in /v1")
    openai_model: str = Field(default="", description="model name the server serves; empty = the first it lists")
    openai_api_key: SecretStr | None = None
    openai_timeout: float = Field(default=60.0, gt=0, description="seconds for one whole answer, streamed or not")
    openai_num_ctx: int = Field(default=8192, ge=512, description="context the server was started with "
                                "(budgets the prompt; the server fixes it)")
    embed_model: str = ""
    embed_device: str = "cpu"
    chroma_url: str = ""
    ask_keys: CommaList = Field(default_factory=list)
    admin_keys: CommaList = Field(default_factory=list)
    cors_origins: CommaList = Field(default_factory=list)
    rate_limit_per_minute: int = Field(default=60, ge=1)
    max_request_kb: int = Field(default=256, ge=16, description="largest HTTP request body except uploads")
    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_allowed_ids: CommaList = Field(default_factory=list)
    telegram_webhook_url: str = ""
    telegram_webhook_secret: SecretStr | None = None
    telegram_rate_seconds: float = Field(default=3.0, ge=0)
    telegram_webhook_listen: str = Field(default="127.0.0.1", description="address the webhook server binds")
    telegram_webhook_port: int = Field(default=8443, ge=1, le=65535)
    telegram_edit_seconds: float = Field(default=1.0, ge=0, description="least time between edits of a streamed answer")
    telegram_reminder_check_seconds: float = Field(default=3600.0, ge=1, description="how often the bot looks for "
                                                   "deadline reminders to send")
    telegram_reminder_hour: int = Field(default=8, ge=0, le=23, description="reminders are sent from this hour on "
                                        "(in PLANBOT_TIMEZONE)")
    timezone: str = Field(default="Asia/Ho_Chi_Minh", description="the officials' time zone: what 'today' is")
    max_question_chars: int = Field(default=2000, ge=20)
    max_file_mb: float = Field(default=20.0, gt=0)
    # tuned on eval/gold: 0.8 gave the best MRR (0.934) and full accuracy; RRF was far behind (0.81)
    fusion_weight: float = Field(default=0.8, ge=0.0, le=1.0, description="weight of lexical vs dense")
    top_k: int = Field(default=8, ge=1, le=50)
    conversation_ttl_seconds: int = Field(default=1800, ge=10)
    prompts_dir: Path | None = Field(default=None, description="folder of the LLM prompt files (answer_v2.txt, "
                                     "evidence_v1.txt); empty = the bundled prompts/")
    ocr_lang: str = Field(default="vie", description="Tesseract language(s) for scanned pages, e.g. vie or vie+eng")
    ocr_dpi: int = Field(default=300, ge=100, le=600, description="resolution scanned PDF pages are rendered at")
    ocr_max_pages: int = Field(default=200, ge=1, description="most pages of one file read by OCR; later pages "
                               "that need OCR are left out and the ingest report says which")
    ocr_workers: int = Field(default=0, ge=0, le=16, description="pages read at once; 0 = one per CPU core (at most 4)")
    ingest_workers: int = Field(default=0, ge=0, le=16, description="plans read at once in worker processes when "
                                "many are ingested; 0 = one per CPU core (at most 4), 1 = all in the ingesting process")

    @field_validator("ask_keys", "admin_keys", "cors_origins", "telegram_allowed_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return _split_commas(value)

    @field_validator("prompts_dir", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (an IANA name such as Asia/Ho_Chi_Minh)") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @field_validator("ollama_url", "telegram_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"expected an http(s) URL, got {value!r}")
        return value

    @field_validator("chroma_url", "openai_url")
    @classmethod
    def _optional_http_url(cls, value: str) -> str:
        if value:
            cls._http_url(value)
        return value

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings are read once, lazily, never at import time."""
    return Settings()
