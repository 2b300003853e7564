"""The Ollama path: real langchain-ollama / ollama clients against a fake server on 127.0.0.1."""

from __future__ import annotations

import pytest

from lang.normalize import collapse_ws
from planbot.factory import build_app
from rag.llm import OllamaGenerator
from tests.fakes import FakeOllama, block_with, free_port
from tests.test_answer import EXAMPLE

pytestmark = pytest.mark.network


def right_answer(messages: list[dict]) -> str:
    n = block_with(messages, "15/11/2024")
    return (f"Các cơ quan gửi báo cáo về Sở Thông tin và Truyền thông trước ngày 15/11/2024 [{n}]. "
            f"Sở tổng hợp trình UBND tỉnh và Bộ Thông tin và Truyền thông [{n}].")


@pytest.fixture
def llm_app(sample_app):
    def make(fake: FakeOllama, **settings):
        generator = OllamaGenerator(fake.url, fake.model, timeout=settings.pop("timeout", 10.0))
        return build_app(sample_app.settings, store=sample_app.store, embedder=sample_app.embedder,
                         generator=generator)
    return make


def test_llm_answer_streaming_with_verified_citations(llm_app, sample_texts):
    with FakeOllama(right_answer) as fake:
        app = llm_app(fake)
        pieces = list(app.assistant.ask_stream(EXAMPLE))
    final = pieces[-1]
    assert final.mode == "llm"
    assert not final.abstained
    assert len(pieces) > 3  # the text arrived in several streamed pieces
    assert "15/11/2024" in final.answer
    assert final.citations[0].section == "V.2"
    assert "[1]" in final.answer
    for c in final.citations:
        assert collapse_ws(c.quote) in collapse_ws(sample_texts[c.source])
    request = fake.requests[-1]
    assert request["stream"] is True
    assert request["options"]["num_ctx"] == 8192
    assert "DỮ LIỆU" in request["messages"][0]["content"]  # the prompt file, not inlined text


def test_llm_answer_non_streaming_generate(sample_app):
    with FakeOllama(right_answer) as fake:
        generator = OllamaGenerator(fake.url, fake.model)
        text = generator.generate([{"role": "system", "content": "x"},
                                   {"role": "user", "content": "[1] a\n<<<\n15/11/2024\n>>>"}])
    assert "15/11/2024" in text
    assert fake.requests[-1]["stream"] is False


def test_server_down_falls_back_to_extractive(sample_app):
    port = free_port()  # nothing listens there
    generator = OllamaGenerator(f"http://127.0.0.1:{port}", "qwen2.5:7b-instruct", timeout=2)
    app = build_app(sample_app.settings, store=sample_app.store, embedder=sample_app.embedder,
                    generator=generator)
    answer = app.assistant.ask(EXAMPLE)
    assert answer.mode == "extractive"
    assert not answer.abstained
    assert answer.notice
    assert "Ollama" in answer.notice
    assert answer.citations[0].section == "V.2"


def test_model_not_pulled_names_the_pull_command(llm_app, caplog):
    with FakeOllama(right_answer, behaviour="missing_model") as fake:
        app = llm_app(fake)
        answer = app.assistant.ask(EXAMPLE)
        health = app.assistant.generator.health()
    assert answer.mode == "extractive"
    assert "ollama pull qwen2.5:7b-instruct" in caplog.text
    assert health["ok"] is False
    assert "ollama pull" in health["error"]


def test_llm_citing_evidence_that_does_not_exist_falls_back(llm_app):
    with FakeOllama(lambda m: "Báo cáo gửi về Sở Tài chính trước ngày 01/01/2030 [9].") as fake:
        answer = llm_app(fake).assistant.ask(EXAMPLE)
    assert answer.mode == "extractive"
    assert answer.verification.fell_back
    assert "01/01/2030" not in answer.answer


def test_llm_insufficient_evidence_abstains(llm_app):
    with FakeOllama(lambda m: "KHÔNG_ĐỦ_THÔNG_TIN") as fake:
        answer = llm_app(fake).assistant.ask(EXAMPLE)
    assert answer.abstained
    assert answer.mode == "llm"

