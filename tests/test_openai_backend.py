"""PLANBOT_LLM=openai: the real `openai` client against a fake OpenAI-compatible server."""

from __future__ import annotations

import logging
import time

import pytest

from planbot.factory import build_generator
from rag.answer import Assistant
from rag.llm import OpenAIGenerator, prompt_chars
from tests.conftest import make_settings
from tests.fakes import FakeOpenAI, block_with
from tests.test_ollama import right_answer
from tests.test_ollama_faults import EXAMPLE, ask, assert_extractive_fallback

pytestmark = pytest.mark.network


@pytest.fixture
def openai_for(sample_app, tmp_path):
    def make(url: str, **settings) -> Assistant:
        """The generator as the factory wires it from PLANBOT_LLM=openai settings."""
        generator = build_generator(make_settings(tmp_path, llm="openai", openai_url=url, **settings))
        return Assistant(sample_app.store, sample_app.assistant.retriever, generator, register=sample_app.register)
    return make


def full_prompt_chars(openai_for) -> int:
    with FakeOpenAI(right_answer) as fake:
        assert ask(openai_for(fake.url)).mode == "llm"
        return prompt_chars(fake.requests[-1]["messages"])


def test_factory_builds_the_openai_generator(openai_for):
    with FakeOpenAI(right_answer) as fake:
        assistant = openai_for(fake.url, openai_model=fake.model)
        assert isinstance(assistant.generator, OpenAIGenerator)


def test_streamed_answer_verified_and_capped(openai_for):
    with FakeOpenAI(right_answer) as fake:
        assistant = openai_for(fake.url)  # empty model: the one the server lists
        pieces = list(assistant.ask_stream(EXAMPLE))
        request = fake.requests[-1]
    answer = pieces[-1]
    assert answer.mode == "llm" and answer.citations[0].section == "V.2"
    assert len(pieces) > 3
    assert request["stream"] is True and request["model"] == fake.model
    assert request["max_tokens"] == assistant.generator.reply_tokens == 512
    assert assistant.generator.last_usage["prompt_tokens"] == 100
    assert assistant.generator.last_usage["reply_tokens"] > 0


def test_non_streamed_generate():
    with FakeOpenAI(right_answer) as fake:
        generator = OpenAIGenerator(fake.url, fake.model)
        text = generator.generate([{"role": "user", "content": "[1] a\n<<<\n15/11/2024\n>>>"}])
        assert "15/11/2024" in text
        assert fake.requests[-1]["max_tokens"] == 512 and not fake.requests[-1].get("stream")


def test_endless_stream_is_cut_at_the_deadline(openai_for, caplog):
    with FakeOpenAI(right_answer, behaviour="endless") as fake:
        assistant = openai_for(fake.url, openai_timeout=2)
        started = time.perf_counter()
        with caplog.at_level(logging.WARNING):
            answer = ask(assistant)
        elapsed = time.perf_counter() - started
        request = fake.requests[-1]
    assert_extractive_fallback(answer, "llm_timeout_openai")
    assert 2.0 <= elapsed < 5.0
    assert request["max_tokens"] == 512
    assert "PLANBOT_OPENAI_TIMEOUT" in caplog.text


def test_model_not_served(openai_for, caplog):
    with FakeOpenAI(right_answer) as fake:
        assistant = openai_for(fake.url, openai_model="other-model")
        with caplog.at_level(logging.WARNING):
            answer = ask(assistant)
    assert_extractive_fallback(answer, "llm_model_missing", model="other-model")
    assert "set PLANBOT_OPENAI_MODEL" in caplog.text
    assert "ollama pull" not in caplog.text


def test_model_vanished_after_the_check_404():
    with FakeOpenAI(right_answer) as fake:
        generator = OpenAIGenerator(fake.url, fake.model)
        generator.ensure_ready()
        generator.model = "gone"
        with pytest.raises(Exception, match="does not serve model 'gone'"):
            list(generator.stream([{"role": "user", "content": "x"}]))


def test_context_too_long_is_trimmed_and_recovered(openai_for, caplog):
    full = full_prompt_chars(openai_for)
    with FakeOpenAI(right_answer, behaviour="context", max_prompt_chars=full - 600) as fake:
        assistant = openai_for(fake.url)
        with caplog.at_level(logging.WARNING):
            answer = ask(assistant)
        first, retried = fake.requests
    assert answer.mode == "llm" and answer.notice is None
    assert "exceeds the available context size" in caplog.text
    assert prompt_chars(retried["messages"]) <= full - 600 < prompt_chars(first["messages"])
    assert block_with(retried["messages"], "15/11/2024") >= 1


def _item(question: str):
    from eval.metrics import GoldItem

    return GoldItem(id="q", kind="fact", question=question, answerable=True, key_facts=[], gold=[])


def test_eval_reports_per_question_whether_the_llm_answer_was_kept(sample_app):
    from eval.runner import run_answers
    from planbot.factory import build_app

    with FakeOpenAI(right_answer) as fake:
        app = build_app(sample_app.settings, store=sample_app.store, embedder=sample_app.embedder,
                        generator=OpenAIGenerator(fake.url, fake.model))
        good = run_answers(app, [_item(EXAMPLE)], mode="llm")[0]
    assert good["llm"]["accepted"] is True and good["llm"]["fell_back"] is False
    assert good["llm"]["prompt_tokens"] == 100 and good["llm"]["reply_tokens"] > 0
    assert good["llm"]["reply_cap"] == 512 and good["llm"]["seconds"] >= 0
    with FakeOpenAI(lambda messages: "Không có trích dẫn nào.") as fake:
        app.assistant.generator = OpenAIGenerator(fake.url, fake.model)
        refused = run_answers(app, [_item(EXAMPLE)], mode="llm")[0]
    assert refused["llm"]["accepted"] is False and refused["llm"]["fell_back"] is True
