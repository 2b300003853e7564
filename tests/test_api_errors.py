"""Bad input, authentication, rate limits and body limits: a clear 4xx problem each, index unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.api import create_app
from bot.api.deps import RateLimiter
from tests.test_answer import EXAMPLE
from tests.test_api import ADMIN, ASK, keyed, make_fresh_app

PROBLEM = "application/problem+json"


@pytest.fixture
def fresh_app(tmp_path):
    return make_fresh_app(tmp_path)


@pytest.fixture(scope="module")
def upload_target(tmp_path_factory) -> tuple:
    """One private index for all the refused uploads: each case checks it is left unchanged."""
    app = make_fresh_app(tmp_path_factory.mktemp("uploads"))
    return app, TestClient(create_app(app), raise_server_exceptions=False)


@pytest.fixture
def client(fresh_app) -> TestClient:
    return TestClient(create_app(fresh_app), raise_server_exceptions=False)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:planbot:problem:")
    assert body["title"]
    assert any(ch in body["detail"] for ch in "ăâđêôơưáàảãạếềểễệóòỏõọ"), body["detail"]  # Vietnamese
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401),
    ({"Authorization": "Bearer wrong-key"}, 401),
    ({"Authorization": "Basic YXNrLWtleTo="}, 401),
    ({"Authorization": "Bearer "}, 401),
    (ASK, 200),
    (ADMIN, 200),  # admin keys may ask too
])
def test_keys_and_roles(sample_app, tmp_path, headers, status):
    # the shared read-only index: its caches are built once per session, not per case
    client = TestClient(create_app(keyed(sample_app, tmp_path)), raise_server_exceptions=False)
    response = client.post("/v1/ask", json={"question": EXAMPLE}, headers=headers)
    assert response.status_code == status
    if status == 401:
        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"


def test_admin_routes_need_the_admin_role(client):
    files = {"file": ("x.txt", b"I. MUC DICH\n1. Noi dung.\n", "text/plain")}
    body = assert_problem(client.post("/v1/documents", files=files, headers=ASK), 403)
    assert "quản trị" in body["detail"]
    assert_problem(client.delete("/v1/documents/vinh-phuc-2024.txt", headers=ASK), 403)
    assert_problem(client.delete("/v1/documents/vinh-phuc-2024.txt"), 401)


def test_rate_limit_per_key_with_retry_after(fresh_app):
    now = [0.0]
    limiter = RateLimiter(per_minute=3, clock=lambda: now[0])
    client = TestClient(create_app(fresh_app, limiter=limiter))
    for _ in range(3):
        assert client.get("/v1/documents", headers=ASK).status_code == 200
    limited = client.get("/v1/documents", headers=ASK)
    body = assert_problem(limited, 429)
    assert limited.headers["retry-after"] == "20"  # 3 a minute: one more token every 20 s
    assert "20 giây" in body["detail"]
    assert client.get("/v1/documents", headers=ADMIN).status_code == 200  # another key has its own budget
    now[0] += 20
    assert client.get("/v1/documents", headers=ASK).status_code == 200
    assert client.get("/v1/documents", headers=ASK).status_code == 429
    # guessing keys is limited too, per client address
    statuses = [client.get("/v1/documents", headers={"Authorization": f"Bearer guess-{i}"}).status_code
                for i in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


def test_bad_input_gets_a_clear_4xx_and_leaves_the_index_unchanged(client, fresh_app):
    generation = fresh_app.store.snapshot().generation
    cases: list[tuple[str, str, dict[str, Any], int, str]] = [
        # (method, path, kwargs, status, words the Vietnamese detail must contain)
        ("post", "/v1/ask", {"content": b'{"question": "abc', "headers": {"Content-Type": "application/json"}},
         400, "JSON"),
        ("post", "/v1/ask", {"content": b"not json at all", "headers": {"Content-Type": "application/json"}}, 400, "JSON"),
        ("post", "/v1/ask", {"json": {}}, 422, "thiếu trường \"question\""),
        ("post", "/v1/ask", {"json": {"question": 42}}, 422, "sai kiểu"),
        ("post", "/v1/ask", {"json": ["question"]}, 422, "sai kiểu"),
        ("post", "/v1/ask", {"json": {"question": ""}}, 422, "trống"),
        ("post", "/v1/ask", {"json": {"question": "   ?!  "}}, 422, "trống"),
        ("post", "/v1/ask", {"json": {"question": "x" * 2001}}, 422, "quá dài"),
        ("post", "/v1/ask", {"json": {"question": "x" * (1 << 20)}}, 413, "quá lớn"),
        ("post", "/v1/ask", {"json": {"question": "Báo cáo\x00 gửi\x1b[31m về đâu?"}}, 422, "ký tự điều khiển"),
        ("post", "/v1/ask", {"json": {"question": EXAMPLE, "conversation_id": "../../x"}}, 422, "conversation_id"),
        ("post", "/v1/ask", {"json": {"question": EXAMPLE, "sources": "vinh-phuc-2024.txt"}}, 422, "sources"),
        ("post", "/v1/ask", {"content": b"question=abc", "headers": {"Content-Type": "text/plain"}}, 422, "sai kiểu"),
        ("post", "/v1/chat/completions", {"json": {"model": "planbot"}}, 422, "messages"),
        ("get", "/v1/nowhere", {}, 404, "Không tìm thấy"),
        ("put", "/v1/ask", {"json": {"question": EXAMPLE}}, 405, "Phương thức"),
        ("get", "/v1/documents/..%2F..%2Fetc%2Fpasswd/outline", {}, 404, "Không tìm thấy"),
        ("get", "/v1/documents/thua-thien-hue-2024.txt/sections/IX.99", {}, 404, "IX.99"),
        ("delete", "/v1/documents/..%2F..%2Fetc%2Fpasswd", {}, 404, "Không tìm thấy"),
    ]
    for method, path, kwargs, status, words in cases:
        headers = (ADMIN if method == "delete" else ASK) | kwargs.pop("headers", {})
        response = getattr(client, method)(path, headers=headers, **kwargs)
        body = assert_problem(response, status)
        assert words in body["detail"], (path, body)
        assert "x" * 100 not in response.text  # the input is not echoed back
    assert fresh_app.store.snapshot().generation == generation


def test_chunked_body_over_the_limit_is_refused(client):
    def body():
        yield b'{"question": "'
        for _ in range(64):
            yield b"x" * 8192
        yield b'"}'

    response = client.post("/v1/ask", content=body(), headers=ASK | {"Content-Type": "application/json"})
    assert "content-length" not in response.request.headers  # really sent chunked
    assert_problem(response, 413)


@pytest.mark.parametrize(("name", "data", "words"), [
    ("plan.bin", b"\x00\x01\x02\x03" * 100, "định dạng .bin không được hỗ trợ"),
    ("plan.txt", b"\x00\x01\x02\x03PK\x03\x04" * 100, "nhị phân"),
    ("plan.txt", b"", "rỗng"),
    ("plan.txt", b"   \n\n  ", "rỗng"),
    ("plan.pdf", b"%PDF-1.4 ...", "tệp PDF bị hỏng"),
    ("plan.docx", b"PK\x03\x04 not a zip", "không đọc được tệp DOCX"),
    ("../../etc/passwd.txt", b"I. MUC DICH\n", "không hợp lệ"),
    ("a/b.txt", b"I. MUC DICH\n", "không hợp lệ"),
    ("..\\..\\win.txt", b"I. MUC DICH\n", "không hợp lệ"),
    ("bad\x07name.txt", b"I. MUC DICH\n", "không hợp lệ"),
    (".hidden.txt", b"I. MUC DICH\n", "không hợp lệ"),
    (".txt", b"I. MUC DICH\n", "không hợp lệ"),
])
def test_bad_uploads_are_refused_and_leave_the_index_unchanged(upload_target, name, data, words):
    app, client = upload_target
    generation = app.store.snapshot().generation
    response = client.post("/v1/documents", files={"file": (name, data, "application/octet-stream")}, headers=ADMIN)
    body = assert_problem(response, 422)
    assert words in body["detail"]
    assert app.store.snapshot().generation == generation
    assert len(app.library.documents()) == 4


def test_upload_errors_for_missing_file_and_oversize(tmp_path):
    app = make_fresh_app(tmp_path, ingest=False, max_file_mb=0.01)  # about 10 KB
    client = TestClient(create_app(app), raise_server_exceptions=False)
    missing = assert_problem(client.post("/v1/documents", data={"source": "x.txt"}, headers=ADMIN), 422)
    assert "\"file\"" in missing["detail"]
    for lines in (1000, 10_000):  # over the file limit; over the request limit as well
        big = b"I. MUC DICH\n" + b"1. Noi dung ke hoach.\n" * lines
        response = client.post("/v1/documents", files={"file": ("big.txt", big, "text/plain")}, headers=ADMIN)
        assert "quá lớn" in assert_problem(response, 413)["detail"]
    assert app.store.snapshot() is None
