"""Ollama misbehaving in every way an operator meets: the user still gets a cited extractive
answer with a short notice, and the log says what happened (and what to run)."""

from __future__ import annotations

import logging
import re
import time

import pytest

from planbot.factory import build_generator
from rag.answer import Assistant
from rag.llm import (
    ContextTooLong,
    GeneratorTimeout,
    MalformedReply,
    ModelNotPulled,
    OllamaGenerator,
    prompt_chars,
    reply_token_cap,
    trim_evidence,
)
from rag.prompts import message
from rag.types import Answer
from tests.conftest import make_settings
from tests.fakes import FakeOllama, free_port
from tests.test_answer import EXAMPLE
from tests.test_ollama import right_answer

pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def warm_app(sample_app):
    sample_app.assistant.ask(EXAMPLE)  # builds the lexical index and register once for the module
    return sample_app


@pytest.fixture
def assistant_for(warm_app, tmp_path):
    def make(url: str, **settings) -> Assistant:
        """The generator as the factory wires it from settings, over the shared sample index."""
        generator = build_generator(make_settings(tmp_path, llm="ollama", ollama_url=url, **settings))
        return Assistant(warm_app.store, warm_app.assistant.retriever, generator, register=warm_app.register)
    return make


def ask(assistant: Assistant):
    return list(assistant.ask_stream(EXAMPLE))[-1]


def assert_extractive_fallback(answer, notice_key: str, **values: str) -> None:
    assert answer.mode == "extractive"
    assert answer.to_contract()["mode"] == "extractive"
    assert not answer.abstained
    assert answer.citations[0].source == "thua-thien-hue-2024.txt"
    assert answer.citations[0].section == "V.2"
    assert answer.notice == message("llm_fallback", reason=message(notice_key, **values))
    assert answer.verification.fell_back


def test_server_down_from_the_start(assistant_for, caplog):
    assistant = assistant_for(f"http://127.0.0.1:{free_port()}", ollama_timeout=2)
    with caplog.at_level(logging.WARNING):
        answer = ask(assistant)
    assert_extractive_fallback(answer, "llm_down")
    assert "Ollama" in answer.notice
    assert re.search(r"unreachable|did not list", caplog.text)


def test_server_going_down_after_a_good_answer(assistant_for, caplog):
    with FakeOllama(right_answer) as fake:
        assistant = assistant_for(fake.url)
        assert ask(assistant).mode == "llm"
    # the server is gone, but the generator's last health check (seconds ago) said it was up
    with caplog.at_level(logging.WARNING):
        answer = ask(assistant)
    assert_extractive_fallback(answer, "llm_down")
    assert "unreachable" in caplog.text
    started = time.perf_counter()
    assert_extractive_fallback(ask(assistant), "llm_down")  # remembered: no wait for another failure
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("behaviour", ["missing_model", "vanished"])
def test_model_not_pulled_tells_the_exact_pull_command(assistant_for, caplog, behaviour):
    with FakeOllama(right_answer, model="qwen2.5:7b-instruct", behaviour=behaviour) as fake:
        assistant = assistant_for(fake.url, ollama_model="qwen2.5:7b-instruct")
        with caplog.at_level(logging.WARNING):
            answer = ask(assistant)
    assert_extractive_fallback(answer, "llm_not_pulled", model="qwen2.5:7b-instruct")
    assert "ollama pull qwen2.5:7b-instruct)" in answer.notice  # the user can pass it on as is
    assert "run: ollama pull qwen2.5:7b-instruct" in caplog.text


def test_timeout_comes_from_settings(assistant_for, caplog):
    with FakeOllama(right_answer, behaviour="slow", delay=8.0) as fake:
        assistant = assistant_for(fake.url, ollama_timeout=0.5)
        assert assistant.generator.timeout == 0.5
        started = time.perf_counter()
        with caplog.at_level(logging.WARNING):
            answer = ask(assistant)
        elapsed = time.perf_counter() - started
    assert_extractive_fallback(answer, "llm_timeout")
    assert elapsed < 4.0  # the user waited about the configured 0.5 s, not the server's 8 s
    assert "did not finish its answer within 0.5 s" in caplog.text
    assert "PLANBOT_OLLAMA_TIMEOUT" in caplog.text


def test_malformed_stream(assistant_for, caplog):
    with FakeOllama(right_answer, behaviour="malformed") as fake:
        assistant = assistant_for(fake.url)
        with caplog.at_level(logging.WARNING):
            pieces = list(assistant.ask_stream(EXAMPLE))
    answer = pieces[-1]
    assert_extractive_fallback(answer, "llm_malformed")
    assert "malformed reply" in caplog.text
    # what the user reads last is the extractive answer, whatever was streamed before the break
    assert pieces[-2] == answer.answer


def test_malformed_non_streamed_reply():
    with FakeOllama(right_answer, behaviour="malformed") as fake:
        generator = OllamaGenerator(fake.url, fake.model)
        with pytest.raises(MalformedReply):
            generator.generate([{"role": "user", "content": "x"}])


def test_server_error(assistant_for, caplog):
    with FakeOllama(right_answer, behaviour="error500") as fake:
        assistant = assistant_for(fake.url)
        with caplog.at_level(logging.WARNING):
            answer = ask(assistant)
    assert_extractive_fallback(answer, "llm_error")
    assert "HTTP 500: internal error" in caplog.text


def full_prompt_chars(assistant_for) -> int:
    with FakeOllama(right_answer) as fake:
        assert ask(assistant_for(fake.url)).mode == "llm"
        return prompt_chars(fake.requests[-1]["messages"])


def blocks_in(request: dict) -> list[int]:
    return [int(n) for n in re.findall(r"^\[(\d+)\]", request["messages"][-1]["content"], flags=re.M)]


def test_context_too_long_trims_evidence_and_still_answers(assistant_for, caplog):
    full = full_prompt_chars(assistant_for)
    with FakeOllama(right_answer, behaviour="context", max_prompt_chars=full - 600) as fake:
        assistant = assistant_for(fake.url)
        with caplog.at_level(logging.WARNING):
            answer = ask(assistant)
        first, retried = fake.requests
        assert answer.mode == "llm"
        assert answer.notice is None
        assert answer.citations[0].section == "V.2"
        assert "input length exceeds the context length" in caplog.text
        assert "retrying with the prompt trimmed" in caplog.text
        # the blocks that stayed kept their numbers; the last ones went, the question and rules stayed
        assert blocks_in(retried) == blocks_in(first)[: len(blocks_in(retried))]
        assert len(blocks_in(retried)) < len(blocks_in(first))
        assert prompt_chars(retried["messages"]) <= full - 600
        assert retried["messages"][0] == first["messages"][0]
        assert retried["messages"][-1]["content"].endswith(first["messages"][-1]["content"][-60:])
        # the next question is trimmed before it is sent: one request, no refusal
        again = ask(assistant)
        assert again.mode == "llm"
        assert len(fake.requests) == 3


def test_context_too_long_even_with_one_block_falls_back(assistant_for, caplog):
    with FakeOllama(right_answer, behaviour="context", max_prompt_chars=200) as fake:
        assistant = assistant_for(fake.url)
        with caplog.at_level(logging.WARNING):
            answer = ask(assistant)
    assert_extractive_fallback(answer, "llm_context")
    assert "no evidence left to drop" in caplog.text


def test_trim_evidence_drops_whole_blocks_from_the_end():
    blocks = [f"[{n}] Kế hoạch — Mục V, khoản {n} (a.txt)\n<<<\n{'nội dung ' * 20}\n>>>" for n in (1, 2, 3)]
    user = "Câu hỏi: ?\n\nCác TRÍCH ĐOẠN:\n" + "\n\n".join(blocks) + "\n\nHãy trả lời."
    messages = [{"role": "system", "content": "quy tắc"}, {"role": "user", "content": user}]
    trimmed = trim_evidence(messages, prompt_chars(messages) - 10)
    assert trimmed[1]["content"] == "Câu hỏi: ?\n\nCác TRÍCH ĐOẠN:\n" + "\n\n".join(blocks[:2]) + "\n\nHãy trả lời."
    assert trimmed[0] == messages[0]
    one = trim_evidence(messages, len(blocks[0]) + 80)
    assert one[1]["content"].count("<<<") == 1
    assert trim_evidence(messages, 10) is None  # one block is the least that is worth asking
    # when the limit is a guess, the shortest prompt with evidence is worth one more try
    assert trim_evidence(messages, 10, best_effort=True) == one
    assert trim_evidence(one, 10, best_effort=True) is None  # nothing left to drop
    assert trim_evidence([{"role": "user", "content": "không có trích đoạn"}], 5) is None


def test_generate_trims_too():
    blocks = [f"[{n}] T — Mục {n} (a.txt)\n<<<\n{'x' * 300}\n>>>" for n in (1, 2, 3, 4)]
    messages = [{"role": "user", "content": "\n\n".join(blocks)}]
    with FakeOllama(lambda m: "ok [1]", behaviour="context", max_prompt_chars=700) as fake:
        generator = OllamaGenerator(fake.url, fake.model)
        assert generator.generate(messages) == "ok [1]"
        assert prompt_chars(fake.requests[-1]["messages"]) <= 700
    with FakeOllama(lambda m: "ok", behaviour="context", max_prompt_chars=100) as tiny, \
            pytest.raises(ContextTooLong):
        OllamaGenerator(tiny.url, tiny.model).generate(messages)


def test_health_reports_the_pull_command():
    with FakeOllama(right_answer, behaviour="missing_model") as fake:
        generator = OllamaGenerator(fake.url, "qwen2.5:7b-instruct")
        health = generator.health()
        with pytest.raises(ModelNotPulled):
            generator.ensure_ready()
    assert health["ok"] is False
    assert "ollama pull qwen2.5:7b-instruct" in str(health["error"])


# --- the reply cap, the whole-answer deadline, a server that is not Ollama ---------------------
def test_the_reply_cap_is_sent_on_both_paths(assistant_for):
    with FakeOllama(right_answer) as fake:
        assistant = assistant_for(fake.url, ollama_num_ctx=4096)
        assert ask(assistant).mode == "llm"
        streamed = fake.requests[-1]
        assistant.generator.generate([{"role": "user", "content": "[1] a\n<<<\n15/11/2024\n>>>"}])
        batch = fake.requests[-1]
    assert streamed["stream"] is True and batch["stream"] is False
    for request in (streamed, batch):
        assert request["options"]["num_predict"] == assistant.generator.reply_tokens == 512
        assert request["options"]["num_ctx"] == 4096


def test_the_cap_follows_a_small_context():
    assert reply_token_cap(1024) == 256
    assert reply_token_cap(8192) == 512


def test_a_stream_that_never_ends_is_cut_at_the_deadline(assistant_for, caplog):
    with FakeOllama(right_answer, behaviour="endless") as fake:
        assistant = assistant_for(fake.url, ollama_timeout=2)
        started = time.perf_counter()
        with caplog.at_level(logging.WARNING):
            pieces = list(assistant.ask_stream(EXAMPLE))
        elapsed = time.perf_counter() - started
        request = fake.requests[-1]
    assert len(pieces) > 10  # it did stream, for the whole two seconds
    assert_extractive_fallback(pieces[-1], "llm_timeout")
    assert 2.0 <= elapsed < 5.0
    assert request["options"]["num_predict"] == 512  # the cap was sent; this server ignores it
    assert "did not finish its answer within 2 s" in caplog.text


def test_a_reply_that_never_comes_is_cut_at_the_deadline_without_streaming():
    with FakeOllama(right_answer, behaviour="endless") as fake:
        generator = OllamaGenerator(fake.url, fake.model, timeout=1.5)
        started = time.perf_counter()
        with pytest.raises(GeneratorTimeout):
            generator.generate([{"role": "user", "content": "x"}])
        assert time.perf_counter() - started < 4.0
        assert fake.requests[-1]["options"]["num_predict"] == 512


def test_a_server_that_is_not_ollama_is_named_so(assistant_for, caplog):
    with FakeOllama(right_answer, behaviour="not_ollama") as fake:
        assistant = assistant_for(fake.url)
        with caplog.at_level(logging.WARNING):
            answer = ask(assistant)
        health = assistant.generator.health()
    assert_extractive_fallback(answer, "llm_wrong_server")
    assert "is not an Ollama server (HTTP 404 on /api/tags)" in caplog.text
    assert "PLANBOT_LLM=openai" in caplog.text
    assert "ollama pull" not in caplog.text  # nothing to pull: the advice would be wrong
    assert "ollama pull" not in answer.notice
    assert health["ok"] is False and "not an Ollama server" in health["error"]


def test_usage_of_the_last_call_is_recorded(assistant_for):
    with FakeOllama(right_answer) as fake:
        assistant = assistant_for(fake.url)
        assert ask(assistant).mode == "llm"
    usage = assistant.generator.last_usage
    assert usage["reply_cap"] == 512
    assert usage["prompt_chars"] == prompt_chars(fake.requests[-1]["messages"])
    assert usage["seconds"] >= 0


# --- PLANBOT_LLM=auto (the default) -------------------------------------------------------------
def auto_assistant(warm_app, tmp_path, url: str) -> Assistant:
    generator = build_generator(make_settings(tmp_path, llm="auto", ollama_url=url, ollama_timeout=2))
    return Assistant(warm_app.store, warm_app.assistant.retriever, generator, register=warm_app.register)


def test_auto_is_the_default():
    from planbot.settings import Settings

    assert Settings(_env_file=None).llm == "auto"


def test_auto_without_a_server_answers_extractively_quietly_and_says_so_once(warm_app, tmp_path, caplog):
    assistant = auto_assistant(warm_app, tmp_path, f"http://127.0.0.1:{free_port()}")
    with caplog.at_level(logging.INFO, logger="rag"):
        first, second = ask(assistant), ask(assistant)
    for answer in (first, second):
        assert answer.mode == "extractive" and not answer.abstained
        assert answer.notice is None and "Không kết nối" not in answer.answer
        assert answer.verification is None or not answer.verification.fell_back
        assert answer.citations[0].section == "V.2"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    said = [r.getMessage() for r in caplog.records if "PLANBOT_LLM=auto" in r.getMessage()]
    assert len(said) == 1 and "answering extractively" in said[0]  # probed once, said once
    # asked for the LLM explicitly: then its absence is worth a notice
    forced = list(assistant.ask_stream(EXAMPLE, mode="llm"))[-1]
    assert isinstance(forced, Answer)
    assert forced.mode == "extractive" and forced.notice


def test_auto_with_a_server_uses_it(warm_app, tmp_path, caplog):
    with FakeOllama(right_answer) as fake:
        assistant = auto_assistant(warm_app, tmp_path, fake.url)
        with caplog.at_level(logging.INFO, logger="rag"):
            assert ask(assistant).mode == "llm"
            assert ask(assistant).mode == "llm"
    said = [r.getMessage() for r in caplog.records if "PLANBOT_LLM=auto" in r.getMessage()]
    assert len(said) == 1 and "answers" in said[0]


def test_auto_with_the_model_not_pulled_says_what_to_run(warm_app, tmp_path):
    # the server is there but lacks the model: a setup to fix, so the notice names `ollama pull`
    with FakeOllama(right_answer, behaviour="missing_model") as fake:
        answer = ask(auto_assistant(warm_app, tmp_path, fake.url))
    assert answer.mode == "extractive" and answer.notice and "ollama pull" in answer.notice
