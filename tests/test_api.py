"""The HTTP API: answers, conversations, streaming, the OpenAI-compatible route, documents, probes."""

from __future__ import annotations

import dataclasses
import json

import pytest
from fastapi.testclient import TestClient

from bot.api import AuthConfigError, create_app, serve
from bot.api.routes_web import WEB_DIR
from index.embedders import HashingEmbedder
from index.store import InMemoryStore
from lang.normalize import collapse_ws
from planbot import SAMPLE_PLANS_DIR
from planbot.factory import build_app
from rag.answer import Assistant
from rag.conversation import ConversationStore
from rag.llm import OllamaGenerator
from tests.conftest import make_settings
from tests.fakes import FakeOllama, free_port
from tests.test_answer import EXAMPLE
from tests.test_ollama import right_answer

ASK = {"Authorization": "Bearer ask-key"}
ADMIN = {"Authorization": "Bearer admin-key"}
SSE = {"Accept": "text/event-stream"}


def keyed(app, tmp_path, **overrides):
    values = {"ask_keys": "ask-key", "admin_keys": "admin-key", "rate_limit_per_minute": 10_000} | overrides
    return dataclasses.replace(app, settings=make_settings(tmp_path, **values))


@pytest.fixture
def client(sample_app, tmp_path) -> TestClient:
    return TestClient(create_app(keyed(sample_app, tmp_path)), raise_server_exceptions=False)


def with_generator(app, tmp_path, generator, **settings):
    """The shared index with another generator: the same retriever and register, so their caches
    (built once per session) are reused rather than rebuilt for each test."""
    assistant = Assistant(app.store, app.assistant.retriever, generator, register=app.register,
                          max_question_chars=app.assistant.max_question_chars, top_k=app.assistant.top_k)
    return dataclasses.replace(app, settings=make_settings(tmp_path, **settings), assistant=assistant)


def make_fresh_app(tmp_path, ingest: bool = True, **overrides):
    """A private index for tests that upload or delete."""
    values = {"ask_keys": "ask-key", "admin_keys": "admin-key", "rate_limit_per_minute": 10_000} | overrides
    app = build_app(make_settings(tmp_path, **values), store=InMemoryStore(), embedder=HashingEmbedder(),
                    generator=None)
    if ingest:
        assert not app.ingestor.ingest_paths([SAMPLE_PLANS_DIR], progress=False).errors
    return app


@pytest.fixture
def fresh_app(tmp_path):
    return make_fresh_app(tmp_path)


def events(text: str) -> list[tuple[str, dict]]:
    out = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line for line in block.split("\n") if line and not line.startswith(":")]
        if not lines:
            continue
        name = next((line[6:].strip() for line in lines if line.startswith("event:")), "message")
        data = "\n".join(line[5:].lstrip() for line in lines if line.startswith("data:"))
        out.append((name, json.loads(data)))
    return out


# --- asking -------------------------------------------------------------------------------------
def test_ask_returns_the_contract_answer_with_links_to_verbatim_sections(client, sample_texts):
    response = client.post("/v1/ask", json={"question": EXAMPLE, "id": "ignored-extra-field"}, headers=ASK)
    assert response.status_code == 200
    body = response.json()
    assert body["question"] == EXAMPLE
    assert not body["abstained"]
    assert body["mode"] == "extractive"
    assert "15/11/2024" in body["answer"]
    assert len(body["conversation_id"]) == 32
    first = body["citations"][0]
    assert (first["source"], first["section"], first["section_label"]) == ("thua-thien-hue-2024.txt", "V.2",
                                                                          "Mục V, khoản 2")
    assert first["label"] == "Thừa Thiên Huế 2024 · Mục V.2"
    assert collapse_ws(first["quote"]) in collapse_ws(sample_texts[first["source"]])
    assert body["answer_with_sources"].startswith(body["answer"])
    assert "Nguồn:\n[1] Thừa Thiên Huế 2024 · Mục V.2 (thua-thien-hue-2024.txt)" in body["answer_with_sources"]
    section = client.get(first["href"], headers=ASK)
    assert section.status_code == 200
    text = section.json()["text"]
    assert collapse_ws(first["quote"]) in collapse_ws(text)
    assert text in sample_texts["thua-thien-hue-2024.txt"]  # verbatim, line breaks included


@pytest.mark.parametrize(("follow_up", "source", "expected"), [
    ("Còn năm 2025 thì sao?", "thua-thien-hue-2025.txt", "15/11/2025"),
    ("Cơ quan đó phải báo cáo khi nào?", "thua-thien-hue-2024.txt", "15/11/2024"),
])
def test_follow_up_resolves_references_from_the_conversation(client, follow_up, source, expected):
    first = client.post("/v1/ask", json={"question": EXAMPLE}, headers=ASK).json()
    alone = client.post("/v1/ask", json={"question": follow_up}, headers=ASK).json()
    assert alone["citations"][0]["section"] != "V.2" or alone["citations"][0]["source"] != source
    answer = client.post("/v1/ask", json={"question": follow_up, "conversation_id": first["conversation_id"]},
                         headers=ASK).json()
    assert answer["conversation_id"] == first["conversation_id"]
    assert expected in answer["answer"]
    assert (answer["citations"][0]["source"], answer["citations"][0]["section"]) == (source, "V.2")


def test_conversation_history_keeps_citations_and_belongs_to_its_key(client):
    first = client.post("/v1/ask", json={"question": EXAMPLE}, headers=ASK).json()
    cid = first["conversation_id"]
    client.post("/v1/ask", json={"question": "Còn năm 2025 thì sao?", "conversation_id": cid}, headers=ASK)
    history = client.get(f"/v1/conversations/{cid}", headers=ASK)
    assert history.status_code == 200
    turns = history.json()["turns"]
    assert [t["question"] for t in turns] == [EXAMPLE, "Còn năm 2025 thì sao?"]
    assert turns[0]["answer"]["citations"][0]["label"] == "Thừa Thiên Huế 2024 · Mục V.2"
    assert turns[1]["answer"]["citations"][0]["label"] == "Thừa Thiên Huế 2025 · Mục V.2"
    # another key cannot read it, nor continue it: the same id is a different conversation there
    assert client.get(f"/v1/conversations/{cid}", headers=ADMIN).status_code == 404
    other = client.post("/v1/ask", json={"question": "Còn năm 2025 thì sao?", "conversation_id": cid},
                        headers=ADMIN).json()
    assert "15/11/2025" not in other["answer"]
    assert client.delete(f"/v1/conversations/{cid}", headers=ASK).status_code == 204
    assert client.get(f"/v1/conversations/{cid}", headers=ASK).status_code == 404


def test_conversations_expire(sample_app, tmp_path):
    now = [1000.0]
    store = ConversationStore(ttl_seconds=60, clock=lambda: now[0])
    client = TestClient(create_app(keyed(sample_app, tmp_path), conversations=store))
    cid = client.post("/v1/ask", json={"question": EXAMPLE}, headers=ASK).json()["conversation_id"]
    now[0] += 61
    answer = client.post("/v1/ask", json={"question": "Còn năm 2025 thì sao?", "conversation_id": cid},
                         headers=ASK).json()
    assert "15/11/2025" not in answer["answer"]  # the previous question was forgotten
    assert client.get(f"/v1/conversations/{cid}", headers=ASK).json()["turns"][0]["question"] == "Còn năm 2025 thì sao?"


def test_sources_restrict_the_search(client):
    body = client.post("/v1/ask", json={"question": EXAMPLE, "sources": ["vinh-phuc-2024.txt"]}, headers=ASK).json()
    assert all(c["source"] == "vinh-phuc-2024.txt" for c in body["citations"])
    assert "15/11/2024" not in body["answer"]
    unknown = client.post("/v1/ask", json={"question": EXAMPLE, "sources": ["ha-noi-2030.txt"]}, headers=ASK)
    assert unknown.status_code == 422
    assert "ha-noi-2030.txt" in unknown.json()["detail"]
    assert "vinh-phuc-2024.txt" in unknown.json()["detail"]  # says what there is


def test_streaming_extractive_sends_the_text_then_the_final_answer(client):
    response = client.post("/v1/ask", json={"question": EXAMPLE}, headers=ASK | SSE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    stream = events(response.text)
    assert [name for name, _ in stream] == ["token", "answer"]
    final = stream[-1][1]
    assert final["citations"][0]["section"] == "V.2"
    assert stream[0][1]["text"] == final["answer"]
    # the streamed turn is part of the conversation like any other
    follow = client.post("/v1/ask", json={"question": "Còn năm 2025 thì sao?",
                                          "conversation_id": final["conversation_id"]}, headers=ASK).json()
    assert "15/11/2025" in follow["answer"]


@pytest.mark.network
def test_streaming_llm_tokens_arrive_before_the_verified_answer(sample_app, tmp_path, sample_texts):
    with FakeOllama(right_answer) as fake:
        generator = OllamaGenerator(fake.url, fake.model, timeout=10)
        client = TestClient(create_app(with_generator(sample_app, tmp_path, generator, ask_keys="ask-key")))
        response = client.post("/v1/ask", json={"question": EXAMPLE}, headers=ASK | SSE)
        ready = client.get("/readyz").json()
    stream = events(response.text)
    tokens = [data["text"] for name, data in stream if name == "token"]
    assert len(tokens) > 5  # word by word, as the fake server streams them
    assert stream[-1][0] == "answer"
    final = stream[-1][1]
    assert final["mode"] == "llm"
    assert final["model"] == f"ollama:{fake.model}"
    assert "15/11/2024" in "".join(tokens) and "15/11/2024" in final["answer"]
    for citation in final["citations"]:
        assert collapse_ws(citation["quote"]) in collapse_ws(sample_texts[citation["source"]])
    assert final["citations"][0]["section"] == "V.2"
    assert ready["llm"] == {"configured": True, "ok": True, "model": fake.model}


class ExplodingGenerator:
    """A generator with a bug (not GeneratorUnavailable): the API must answer 500 without a trace."""

    name = "exploding"

    def generate(self, messages):
        raise RuntimeError("secret internal detail /srv/planbot/key.txt")

    def stream(self, messages):
        raise RuntimeError("secret internal detail /srv/planbot/key.txt")
        yield ""

    def health(self):
        return {"ok": True, "model": "exploding"}


def test_unexpected_errors_are_500_problems_without_internals(sample_app, tmp_path):
    app = with_generator(sample_app, tmp_path, ExplodingGenerator(), ask_keys="ask-key")
    client = TestClient(create_app(app), raise_server_exceptions=False)
    response = client.post("/v1/ask", json={"question": EXAMPLE}, headers=ASK)
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "secret" not in response.text and "Traceback" not in response.text
    assert response.json()["detail"].startswith("Đã xảy ra lỗi")
    streamed = events(client.post("/v1/ask", json={"question": EXAMPLE}, headers=ASK | SSE).text)
    assert streamed[-1][0] == "error" and streamed[-1][1]["status"] == 500
    assert "secret" not in json.dumps(streamed)


# --- OpenAI-compatible --------------------------------------------------------------------------
def chat(client, messages, **extra):
    return client.post("/v1/chat/completions", json={"model": "planbot", "messages": messages, **extra}, headers=ASK)


def test_chat_completions_carry_citations_as_text_and_as_a_field(client):
    response = chat(client, [{"role": "system", "content": "Bạn là trợ lý."}, {"role": "user", "content": EXAMPLE}])
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "chat.completion" and body["model"] == "planbot"
    message = body["choices"][0]["message"]
    assert message["role"] == "assistant" and body["choices"][0]["finish_reason"] == "stop"
    assert "15/11/2024" in message["content"]
    assert "Nguồn:\n[1] Thừa Thiên Huế 2024 · Mục V.2" in message["content"]
    assert message["citations"][0]["section"] == "V.2"
    assert body["citations"] == message["citations"]
    assert client.get("/v1/models", headers=ASK).json()["data"][0]["id"] == "planbot"


def test_chat_completions_stream_the_same_text_and_end_with_citations(client):
    plain = chat(client, [{"role": "user", "content": EXAMPLE}]).json()
    response = chat(client, [{"role": "user", "content": EXAMPLE}], stream=True)
    assert response.headers["content-type"].startswith("text/event-stream")
    lines = [line[6:] for line in response.text.split("\n") if line.startswith("data: ")]
    assert lines[-1] == "[DONE]"
    chunks = [json.loads(line) for line in lines[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert text == plain["choices"][0]["message"]["content"]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["citations"][0]["label"] == "Thừa Thiên Huế 2024 · Mục V.2"


def test_chat_completions_use_earlier_user_messages_as_context(client):
    first = chat(client, [{"role": "user", "content": EXAMPLE}]).json()["choices"][0]["message"]["content"]
    follow = chat(client, [{"role": "user", "content": EXAMPLE}, {"role": "assistant", "content": first},
                           {"role": "user", "content": [{"type": "text", "text": "Còn năm 2025 thì sao?"}]}]).json()
    content = follow["choices"][0]["message"]["content"]
    assert "15/11/2025" in content
    assert "Thừa Thiên Huế 2025 · Mục V.2" in content


def test_chat_completions_refuse_unknown_models_and_non_user_turns(client):
    wrong = client.post("/v1/chat/completions", json={"model": "gpt-4o", "messages": [
        {"role": "user", "content": EXAMPLE}]}, headers=ASK)
    assert wrong.status_code == 404
    assert wrong.json()["error"]["message"] == wrong.json()["detail"]  # what OpenAI clients display
    assert "planbot" in wrong.json()["detail"]
    last_assistant = chat(client, [{"role": "user", "content": EXAMPLE}, {"role": "assistant", "content": "…"}])
    assert last_assistant.status_code == 422
    assert chat(client, []).status_code == 422


# --- documents ----------------------------------------------------------------------------------
def test_documents_outline_and_sections(client, sample_texts):
    docs = client.get("/v1/documents", headers=ASK).json()["documents"]
    assert [d["source"] for d in docs] == sorted(sample_texts)
    vp = next(d for d in docs if d["source"] == "vinh-phuc-2024.txt")
    assert vp["short_name"] == "Vĩnh Phúc 2024" and vp["number"] == "4155/KH-UBND" and vp["chunks"] > 10
    # the header read at ingest: what the OCR'd header says, null where it is illegible
    assert (vp["issuer"], vp["province"], vp["place"]) == ("UBND tỉnh Vĩnh Phúc", "Vĩnh Phúc", "Vĩnh Phúc")
    assert vp["province_now"] == "Vĩnh Phúc, nay thuộc tỉnh Phú Thọ"
    assert vp["signed"] is None and vp["years"] is None  # "ngay A8 théng €": the day is handwritten
    hy = next(d for d in docs if d["source"] == "hung-yen-2026.txt")
    assert hy["years"] == [2026] and hy["number"] is None and hy["issuer"] == "UBND tỉnh Hưng Yên"
    outline = client.get(vp["outline_href"], headers=ASK).json()
    sections = [s["section"] for s in outline["sections"]]
    assert sections[0] == "preamble" and "I" in sections
    for entry in outline["sections"][:8]:
        view = client.get(entry["href"], headers=ASK)
        assert view.status_code == 200, entry
        assert view.json()["text"].strip()
    part = client.get("/v1/documents/thua-thien-hue-2024.txt/sections/V", headers=ASK).json()
    assert "15/11/2024" in part["text"]  # a part includes its items
    # an OCR'd plan: text verbatim, text_display repaired with the same words at the same places
    assert part["text_display"] != part["text"] and "15/11/2024" in part["text_display"]
    assert part["text_display"].count("\n") == part["text"].count("\n")
    assert len(part["text_display"].split()) == len(part["text"].split())
    clean = client.get("/v1/documents/thua-thien-hue-2025.txt/sections/V", headers=ASK).json()
    assert clean["text_display"] == clean["text"]
    assert client.get("/v1/documents/thua-thien-hue-2024.txt", headers=ASK).json()["year"] == 2024


@pytest.mark.parametrize("path", [
    "/v1/documents/thua-thien-hue-2024.txt/sections/IX.99",
    "/v1/documents/thua-thien-hue-2024.txt/sections/..%2F..%2Fetc%2Fpasswd",
    "/v1/documents/..%2F..%2Fetc%2Fpasswd/outline",
    "/v1/documents/..%2F..%2Fetc%2Fpasswd",
    "/v1/documents/%2Fetc%2Fpasswd/sections/V.2",
    "/v1/documents/no-such-plan.txt/sections/V.2",
    "/v1/documents/no-such-plan.txt/outline",
])
def test_unknown_plans_and_sections_are_404_problems(client, path):
    response = client.get(path, headers=ASK)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "root:" not in response.text


def test_obligations_and_deadlines(client):
    deadlines = client.get("/v1/deadlines", params={"from": "2024-01-01", "to": "2024-12-31"}, headers=ASK).json()
    dates = [r["due_date"] for r in deadlines["records"]]
    assert "2024-11-15" in dates and dates == sorted(dates)
    assert all("2024-01-01" <= d <= "2024-12-31" for d in dates)
    hue = next(r for r in deadlines["records"] if r["source"] == "thua-thien-hue-2024.txt" and r["section"] == "V.2")
    assert hue["href"].endswith("/thua-thien-hue-2024.txt/sections/V.2")
    reporting = client.get("/v1/obligations", params={"source": "thua-thien-hue-2024.txt", "kind": "reporting"},
                           headers=ASK).json()["records"]
    assert reporting and all(r["kind"] == "reporting" and r["source"] == "thua-thien-hue-2024.txt" for r in reporting)
    assert client.get("/v1/obligations", params={"source": "x.txt"}, headers=ASK).status_code == 404
    assert client.get("/v1/deadlines", params={"from": "15/11/2024"}, headers=ASK).status_code == 422


def test_upload_makes_a_plan_searchable_and_delete_keeps_the_others(fresh_app, tmp_path):
    client = TestClient(create_app(fresh_app))
    plan = ("ỦY BAN NHÂN DÂN TỈNH BẮC KẠN\nKẾ HOẠCH\nPhòng chống thiên tai năm 2027\n"
            "I. MỤC ĐÍCH\n1. Giảm thiệt hại do lũ quét.\nII. TỔ CHỨC THỰC HIỆN\n"
            "1. Sở Nông nghiệp và Môi trường gửi báo cáo về Ủy ban nhân dân tỉnh trước ngày 20/12/2027.\n")
    files = {"file": ("bac-kan-2027.txt", plan.encode("utf-8"), "text/plain")}
    assert client.post("/v1/documents", files=files, headers=ASK).status_code == 403
    created = client.post("/v1/documents", files=files, headers=ADMIN)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "added" and created.json()["document"]["year"] == 2027
    again = client.post("/v1/documents", files=files, headers=ADMIN)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    answer = client.post("/v1/ask", json={"question": "Sở Nông nghiệp và Môi trường gửi báo cáo trước ngày nào?",
                                          "sources": ["bac-kan-2027.txt"]}, headers=ASK).json()
    assert "20/12/2027" in answer["answer"]
    assert answer["citations"][0]["source"] == "bac-kan-2027.txt"
    assert answer["citations"][0]["section"] == "II.1"
    assert len(client.get("/v1/documents", headers=ASK).json()["documents"]) == 5

    assert client.delete("/v1/documents/vinh-phuc-2024.txt", headers=ASK).status_code == 403
    removed = client.delete("/v1/documents/vinh-phuc-2024.txt", headers=ADMIN)
    assert removed.status_code == 200 and removed.json()["status"] == "removed"
    left = [d["source"] for d in client.get("/v1/documents", headers=ASK).json()["documents"]]
    assert left == ["bac-kan-2027.txt", "hung-yen-2026.txt", "thua-thien-hue-2024.txt", "thua-thien-hue-2025.txt"]
    assert client.delete("/v1/documents/vinh-phuc-2024.txt", headers=ADMIN).status_code == 404
    # the others still answer
    assert "15/11/2024" in client.post("/v1/ask", json={"question": EXAMPLE}, headers=ASK).json()["answer"]


# --- probes, auth configuration, the page -------------------------------------------------------
def test_health_and_readiness(client, tmp_path):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready" and ready.json()["documents"] == 4
    assert ready.json()["llm"] == {"configured": False, "ok": None, "model": None}
    empty = build_app(make_settings(tmp_path, ask_keys="k"), store=InMemoryStore(), embedder=HashingEmbedder(),
                      generator=None)
    not_ready = TestClient(create_app(empty)).get("/readyz")
    assert not_ready.status_code == 503 and not_ready.json()["status"] == "not_ready"


def test_readiness_reports_an_unreachable_ollama_without_failing(sample_app, tmp_path):
    generator = OllamaGenerator(f"http://127.0.0.1:{free_port()}", "qwen2.5:7b-instruct", timeout=2)
    ready = TestClient(create_app(with_generator(sample_app, tmp_path, generator, ask_keys="k"))).get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["llm"] == {"configured": True, "ok": False, "model": "qwen2.5:7b-instruct"}


def test_without_keys_the_api_refuses_to_start_unless_insecure(sample_app, tmp_path, capsys):
    app = dataclasses.replace(sample_app, settings=make_settings(tmp_path))
    with pytest.raises(AuthConfigError):
        create_app(app)
    assert serve(app, port=free_port()) == 2
    assert "--insecure-no-auth" in capsys.readouterr().err
    open_client = TestClient(create_app(app, insecure_no_auth=True))
    assert open_client.post("/v1/ask", json={"question": EXAMPLE}).status_code == 200
    # insecure mode opens asking only: changing the index still needs an admin key
    assert open_client.delete("/v1/documents/vinh-phuc-2024.txt").status_code == 403


def test_cors_is_closed_by_default_and_configurable(sample_app, tmp_path):
    preflight = {"Origin": "https://helpdesk.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
    closed = TestClient(create_app(keyed(sample_app, tmp_path)))
    assert "access-control-allow-origin" not in closed.options("/v1/ask", headers=preflight).headers
    assert "access-control-allow-origin" not in closed.get("/healthz", headers={"Origin": "https://x.example"}).headers
    opened = TestClient(create_app(keyed(sample_app, tmp_path, cors_origins="https://helpdesk.example")))
    response = opened.options("/v1/ask", headers=preflight)
    assert response.headers["access-control-allow-origin"] == "https://helpdesk.example"
    refused = opened.options("/v1/ask", headers=preflight | {"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in refused.headers


def test_page_is_served_self_contained(client):
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<html lang="vi">' in page.text
    for asset in ("static/app.js", "static/style.css"):
        assert client.get("/" + asset).status_code == 200
    for path in WEB_DIR.iterdir():  # no CDN, no internet: nothing is fetched from elsewhere
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, path.name
    ui = client.get("/ui/messages.json").json()
    assert ui["web_thinking"].startswith("Đang") and all(key.startswith("web_") for key in ui)
    used: set[str] = set()
    for path in WEB_DIR.iterdir():
        used.update(k for k in ui if k in path.read_text(encoding="utf-8"))
    assert used == set(ui)  # every page message is used, and they all come from messages_vi.txt


def test_openapi_schema_has_examples(client):
    schema = client.get("/openapi.json").json()
    components = schema["components"]["schemas"]
    for name in ("AskRequest", "AskResponse", "ChatRequest", "ChatResponse", "DocumentOut", "SectionOut", "Problem"):
        assert components[name].get("examples"), name
    ask = schema["paths"]["/v1/ask"]["post"]
    assert "text/event-stream" in ask["responses"]["200"]["content"]
    assert "401" in ask["responses"] and "429" in ask["responses"]
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


@pytest.mark.slow
@pytest.mark.network
def test_planbot_serve_end_to_end(tmp_path):
    """The real command: empty index → sample plans ingested into embedded Chroma → uvicorn."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import httpx

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    env |= {"PLANBOT_DATA_DIR": str(tmp_path / "data"), "PLANBOT_LLM": "none", "PLANBOT_ASK_KEYS": "ask-key"}
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], env=env,
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, process.stderr.read().decode()
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "planbot serve did not become ready"
            time.sleep(0.3)
        answer = httpx.post(f"{url}/v1/ask", json={"question": EXAMPLE}, headers=ASK, timeout=60).json()
        assert "15/11/2024" in answer["answer"]
        assert httpx.get(f"{url}/v1/documents", timeout=10).status_code == 401
        assert "server" not in httpx.get(f"{url}/healthz", timeout=10).headers  # no version banner
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    # uvicorn shuts down gracefully, then re-raises the signal so the exit status tells why it ended
    assert code in (0, -signal.SIGTERM)
    assert "Traceback" not in process.stderr.read().decode()


@pytest.mark.network
def test_the_openai_client_works_unchanged(sample_app, tmp_path):
    """The official `openai` package, pointed at planbot: what existing integrations do."""
    from openai import NotFoundError, OpenAI

    from bot.api.server import ServerThread

    with ServerThread(create_app(keyed(sample_app, tmp_path)), free_port()) as server:
        client = OpenAI(base_url=f"{server.url}/v1", api_key="ask-key", max_retries=0, timeout=60)
        assert [m.id for m in client.models.list()] == ["planbot"]
        completion = client.chat.completions.create(model="planbot", messages=[{"role": "user", "content": EXAMPLE}])
        content = completion.choices[0].message.content
        assert "15/11/2024" in content and "Nguồn:" in content
        assert completion.model_extra["citations"][0]["label"] == "Thừa Thiên Huế 2024 · Mục V.2"
        assert completion.choices[0].message.model_extra["citations"][0]["section"] == "V.2"
        stream = client.chat.completions.create(model="planbot", stream=True, messages=[
            {"role": "user", "content": EXAMPLE}, {"role": "assistant", "content": content},
            {"role": "user", "content": "Còn năm 2025 thì sao?"}])
        chunks = list(stream)
        text = "".join(c.choices[0].delta.content or "" for c in chunks)
        assert "15/11/2025" in text and "Thừa Thiên Huế 2025 · Mục V.2" in text
        assert chunks[-1].model_extra["citations"][0]["source"] == "thua-thien-hue-2025.txt"
        with pytest.raises(NotFoundError) as error:
            client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": EXAMPLE}])
        assert "planbot" in str(error.value)


def test_text_people_read_and_copy_is_the_repaired_text(client):
    """thua-thien-hue-2024 is English-model OCR: the copy text (`answer_with_sources`), the OpenAI
    route's content and the citation's section title are repaired; `quote` stays verbatim."""
    from index.ocr_repair import display_form

    body = client.post("/v1/ask", json={"question": EXAMPLE}, headers=ASK).json()
    first = body["citations"][0]
    assert first["quote_display"] != first["quote"]  # an OCR'd passage
    assert f"“{first['quote_display']}”" in body["answer_with_sources"]
    assert first["quote"] not in body["answer_with_sources"]
    raw_title = client.get(first["href"], headers=ASK).json()["section_title"]
    assert first["section_title"] == display_form(raw_title) != raw_title
    content = chat(client, [{"role": "user", "content": EXAMPLE}]).json()["choices"][0]["message"]["content"]
    assert f"“{first['quote_display']}”" in content and first["quote"] not in content


def test_outline_titles_and_register_records_are_shown_repaired(client):
    """OCR'd plans (vinh-phuc-2024 is English-model OCR): titles and register quotes come with a
    readable form beside the verbatim one."""
    outline = client.get("/v1/documents/vinh-phuc-2024.txt/outline", headers=ASK).json()
    titles = [(e["title"], e["title_display"]) for e in outline["sections"]]
    assert all(display or not raw for raw, display in titles)
    assert any(raw != display for raw, display in titles)  # at least one OCR'd title was repaired
    records = client.get("/v1/obligations", params={"source": "vinh-phuc-2024.txt"}, headers=ASK).json()["records"]
    assert records and all(r["quote_display"] for r in records)
    assert any(r["quote_display"] != r["quote"] for r in records)


def test_serve_says_where_the_page_is_how_to_key_it_and_which_index(sample_app):
    from bot.api.server import page_url, startup_text

    assert page_url("0.0.0.0", 8000) == "http://127.0.0.1:8000/"
    assert page_url("10.0.0.5", 8001) == "http://10.0.0.5:8001/"
    assert page_url("::", 8000) == "http://[::1]:8000/"
    text = startup_text(sample_app, "127.0.0.1", 8123, open_access=False)
    assert "http://127.0.0.1:8123/" in text and "PLANBOT_ASK_KEYS" in text and "Lưu khóa" in text
    assert f"{sample_app.settings.data_dir} (4 kế hoạch" in text
    assert "--insecure-no-auth" in startup_text(sample_app, "127.0.0.1", 8123, open_access=True)
