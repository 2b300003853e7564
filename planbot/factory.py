"""The one place that wires planbot's parts together from settings."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from index.embedders import Embedder, build_embedder
from index.ingest import Ingestor
from index.lexical import LexicalIndex
from index.obligations import ObligationRegister
from index.readers import default_readers
from index.store import ChromaStore, PlanStore
from planbot import SAMPLE_PLANS_DIR
from planbot.settings import Settings
from rag.answer import Assistant
from rag.library import Library
from rag.llm import AutoGenerator, Generator, OllamaGenerator, OpenAIGenerator
from rag.retrieve import Retriever

log = logging.getLogger(__name__)


@dataclass
class App:
    """Everything an interface needs: the settings, the answering and the ingesting services."""

    settings: Settings
    store: PlanStore
    embedder: Embedder
    assistant: Assistant
    ingestor: Ingestor
    library: Library
    register: ObligationRegister

    def ensure_index(self) -> None:
        """`ask`, `serve` and `bot` on an empty index first ingest the bundled sample plans."""
        snap = self.store.snapshot()
        if snap is None or not snap.docs:
            log.info("index is empty: ingesting the bundled sample plans from %s", SAMPLE_PLANS_DIR)
            self.ingestor.ingest_paths([SAMPLE_PLANS_DIR], progress=False)
        where, plans, generation = self.index_in_use()
        log.info("using the index in %s: %d plans, generation %s", where, plans, generation)

    def warm_up(self) -> None:
        """Build the current generation's caches (lexical index, obligations register) now, not in
        the next question: `serve` and `bot` at start, the API after each ingestion (the register
        takes seconds on the sample corpus, and the first official to ask would wait for it)."""
        started = time.monotonic()
        snap = self.store.snapshot()
        if snap is None:
            return
        self.assistant.retriever.lexical_index(snap)
        self.register.records(snap)
        log.info("caches of generation %s ready in %.1f s", snap.generation, time.monotonic() - started)

    def index_in_use(self) -> tuple[str, int, str]:
        """Which index this process answers from (where, plans, generation): a per-user data dir
        outlives a clone, so `ask` and `serve` say it at start instead of reusing it silently."""
        snap = self.store.snapshot()
        where = str(self.settings.data_dir)
        if self.settings.chroma_url:
            where += f" + Chroma {self.settings.chroma_url}"
        return where, len(snap.docs) if snap else 0, snap.generation if snap else "-"


def build_store(settings: Settings) -> PlanStore:
    if settings.chroma_url:
        return ChromaStore.server(settings.chroma_url)
    return ChromaStore.embedded(settings.chroma_path)


def ollama_generator(settings: Settings) -> Generator:
    return OllamaGenerator(settings.ollama_url, settings.ollama_model, timeout=settings.ollama_timeout,
                           num_ctx=settings.ollama_num_ctx)


def openai_generator(settings: Settings) -> Generator:
    if not settings.openai_url:
        raise ValueError("PLANBOT_LLM=openai needs PLANBOT_OPENAI_URL, the server's base URL ending in /v1 "
                         "(e.g. http://127.0.0.1:8080/v1 for llama-server, http://127.0.0.1:8000/v1 for vLLM)")
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
    return OpenAIGenerator(settings.openai_url, settings.openai_model, api_key=key,
                           timeout=settings.openai_timeout, num_ctx=settings.openai_num_ctx)


# PLANBOT_LLM → how its generator is built; a new backend (or a choosing one) is one more entry.
GENERATORS: dict[str, Callable[[Settings], Generator]] = {"ollama": ollama_generator, "openai": openai_generator}


def build_generator(settings: Settings) -> Generator | None:
    """The one place that chooses the answer writer from PLANBOT_LLM: none, a server, or (auto)
    the server when it answers a probe on the first question."""
    if settings.llm == "none":
        return None
    if settings.llm == "auto":
        # the OpenAI-compatible server when one is configured, else Ollama at its (default) URL
        backend = "openai" if settings.openai_url else "ollama"
        server = GENERATORS[backend](settings)
        return AutoGenerator(server, where=settings.openai_url or settings.ollama_url)
    return GENERATORS[settings.llm](settings)


class FromSettings(Enum):
    """build_app's default for a part: build it from the settings (None means "no LLM")."""

    FROM_SETTINGS = "from-settings"


FROM_SETTINGS = FromSettings.FROM_SETTINGS


def build_app(settings: Settings, store: PlanStore | None = None, embedder: Embedder | None = None,
              generator: Generator | None | FromSettings = FROM_SETTINGS) -> App:
    """Build from settings; tests pass fakes for any part instead."""
    store = store if store is not None else build_store(settings)
    embedder = embedder if embedder is not None else build_embedder(settings.embed_model, settings.embed_device)
    if isinstance(generator, FromSettings):
        generator = build_generator(settings)
    # Each process keeps its own lexical index beside its data; an in-memory store gets one in memory.
    lexical = LexicalIndex(settings.data_dir / "lexical" if isinstance(store, ChromaStore) else None)
    retriever = Retriever(store, embedder, fusion_weight=settings.fusion_weight, lexical=lexical)
    register = ObligationRegister(store)
    assistant = Assistant(store, retriever, generator,
                          max_question_chars=settings.max_question_chars, top_k=settings.top_k,
                          register=register, prompts_dir=settings.prompts_dir)
    ingestor = Ingestor(store, embedder, max_file_bytes=int(settings.max_file_mb * 1_048_576),
                        readers=default_readers(settings), lexical=lexical, workers=settings.ingest_workers)
    return App(settings, store, embedder, assistant, ingestor, Library(store), register)
