"""Uploads of real plan files through the HTTP stack (FastAPI's TestClient: routing, multipart,
auth, middleware): a DOCX with Word's automatic numbering and a PDF with a text layer are indexed
within the request; a scanned page goes to a background job reported by GET /v1/jobs/{id}; legacy
formats and missing Tesseract are refused in Vietnamese, and no refused upload changes the index."""

from __future__ import annotations

import io
import time

import pytest
from fastapi.testclient import TestClient

from bot.api import create_app
from index.readers import TesseractOcr, build_readers
from tests.fixtures import builders
from tests.test_api import ADMIN, ASK, make_fresh_app

MISSING = "/nonexistent-planbot-test"
SCAN_DPI = 200
# a one-page plan: two parts, numbered items, a reporting deadline (the genre's layout, not a real plan)
SCANNED_PLAN = ("ỦY BAN NHÂN DÂN TỈNH CAO BẰNG\nKẾ HOẠCH\nPhòng, chống thiên tai năm 2027\n"
                "I. MỤC ĐÍCH, YÊU CẦU\n1. Giảm thiệt hại do lũ quét và sạt lở đất gây ra.\n"
                "II. TỔ CHỨC THỰC HIỆN\n1. Sở Nông nghiệp và Môi trường gửi báo cáo kết quả thực hiện về "
                "Ủy ban nhân dân tỉnh trước ngày 20/12/2027.\n")


@pytest.fixture(scope="module")
def upload_app(tmp_path_factory):
    """The sample plans in a private index that these tests upload into (distinct names each)."""
    return make_fresh_app(tmp_path_factory.mktemp("uploads"), ocr_dpi=SCAN_DPI)


@pytest.fixture
def client(upload_app) -> TestClient:
    return TestClient(create_app(upload_app), raise_server_exceptions=False)


def post(client: TestClient, name: str, data: bytes, headers=ADMIN, **form):
    return client.post("/v1/documents", files={"file": (name, data, "application/octet-stream")}, data=form,
                       headers=headers)


def sources(client: TestClient) -> list[str]:
    return [d["source"] for d in client.get("/v1/documents", headers=ASK).json()["documents"]]


def wait_for_job(client: TestClient, href: str, timeout: float = 180) -> list[dict]:
    seen: list[dict] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(href, headers=ADMIN).json()
        if not seen or seen[-1]["status"] != job["status"]:
            seen.append(job)
        if job["status"] in ("done", "failed"):
            return seen
        time.sleep(0.1)
    raise AssertionError(f"job not finished in {timeout} s: {seen}")


def test_docx_with_word_numbering_is_indexed_in_the_request(client, tmp_path):
    path, _ = builders.numbered_docx(tmp_path / "du-thao-hue-2025.docx")
    created = post(client, path.name, path.read_bytes())
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "added" and body["chunks"] > 0 and body["document"]["year"] == 2025
    outline = client.get("/v1/documents/du-thao-hue-2025.docx/outline", headers=ASK).json()["sections"]
    # the numbers Word draws (not in the paragraphs' text) became the section paths
    assert [s["section"] for s in outline if s["section"] not in ("preamble", "closing")][:5] == [
        "I", "I.1", "I.1.a", "I.1.b", "I.2"]
    assert "III.1.a" in [s["section"] for s in outline]
    answer = client.post("/v1/ask", headers=ASK, json={
        "question": "Báo cáo kết quả thực hiện gửi Sở Thông tin và Truyền thông trước ngày nào?",
        "sources": ["du-thao-hue-2025.docx"]}).json()
    assert "15/11/2025" in answer["answer"]
    assert answer["citations"][0]["source"] == "du-thao-hue-2025.docx"
    assert answer["citations"][0]["section"].startswith("III.1")
    assert post(client, path.name, path.read_bytes()).json()["status"] == "unchanged"


def test_text_pdf_is_indexed_in_the_request_with_its_pages(client, tmp_path):
    pdf = builders.text_pdf(tmp_path / "ke-hoach-pdf-2025.pdf", builders.short_plan_text(),
                            table=[builders.TABLE_HEADER, *builders.TABLE_ROWS], table_title=["PHỤ LỤC"])
    created = post(client, pdf.name, pdf.read_bytes())
    assert created.status_code == 201, created.text
    document = created.json()["document"]
    assert any("lớp chữ của PDF" in w for w in document["warnings"])  # how its pages were read
    answer = client.post("/v1/ask", headers=ASK, json={
        "question": "Các cơ quan gửi báo cáo về đâu và trước ngày nào?", "sources": [pdf.name]}).json()
    assert "15/11/2025" in answer["answer"] and answer["citations"][0]["page"] >= 1


def test_scanned_page_becomes_a_job_with_progress_then_answers(client):
    (page,) = builders.render_pages(SCANNED_PLAN, builders.PageStyle(font=builders.SANS, dpi=SCAN_DPI))
    image = io.BytesIO()
    page.save(image, "PNG", dpi=(SCAN_DPI, SCAN_DPI))
    before = sources(client)
    accepted = post(client, "cao-bang-2027.png", image.getvalue())
    assert accepted.status_code == 202, accepted.text
    job = accepted.json()
    assert job["status"] in ("queued", "reading") and job["source"] == "cao-bang-2027.png"
    assert accepted.headers["location"] == job["href"] == f"/v1/jobs/{job['id']}"
    assert client.get(job["href"], headers=ASK).status_code == 403  # jobs are the admins'
    seen = wait_for_job(client, job["href"])
    statuses = [j["status"] for j in seen]
    assert statuses[-1] == "done", seen
    assert statuses == sorted(statuses, key=["queued", "reading", "indexing", "done"].index)  # only forward
    done = seen[-1]
    assert (done["pages_done"], done["pages_total"]) == (1, 1) and done["result"]["status"] == "added"
    assert done["result"]["document"]["year"] == 2027
    assert sorted(sources(client)) == sorted([*before, "cao-bang-2027.png"])  # nothing else changed
    answer = client.post("/v1/ask", headers=ASK, json={
        "question": "Sở Nông nghiệp và Môi trường gửi báo cáo trước ngày nào?",
        "sources": ["cao-bang-2027.png"]}).json()
    assert "20/12/2027" in answer["answer"]
    assert answer["citations"][0]["section"] == "II.1"


@pytest.mark.slow
def test_scanned_pdf_job_reports_its_pages_as_they_are_read(client):
    text = SCANNED_PLAN.replace("II. TỔ CHỨC THỰC HIỆN", "\n".join(
        f"{n}. Nhiệm vụ thứ {n}: tuyên truyền phòng, chống thiên tai tại các xã vùng cao." for n in range(2, 30))
        + "\nII. TỔ CHỨC THỰC HIỆN")
    pages = builders.render_pages(text, builders.PageStyle(font=builders.SANS, dpi=SCAN_DPI))
    assert len(pages) == 2
    scan = io.BytesIO()
    pages[0].save(scan, "PDF", resolution=SCAN_DPI, save_all=True, append_images=pages[1:])
    accepted = post(client, "cao-bang-quet-2027.pdf", scan.getvalue())
    assert accepted.status_code == 202, accepted.text  # no text layer: OCR, in the background
    href = accepted.json()["href"]
    progress = []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        job = client.get(href, headers=ADMIN).json()
        progress.append((job.get("pages_done"), job.get("pages_total")))
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert job["status"] == "done", job
    read = [p for p in progress if p[0] is not None]
    assert read[-1] == (2, 2) and all(total == 2 for _, total in read)
    assert [done for done, _ in read] == sorted(done for done, _ in read)  # only forward
    assert any("OCR" in w for w in job["result"]["document"]["warnings"])


def test_a_broken_image_job_fails_with_a_vietnamese_reason_and_changes_nothing(client, upload_app):
    generation = upload_app.store.snapshot().generation
    accepted = post(client, "hong.png", b"\x89PNG\r\n\x1a\n but not really an image")
    assert accepted.status_code == 202, accepted.text
    seen = wait_for_job(client, accepted.json()["href"], timeout=60)
    failed = seen[-1]
    assert failed["status"] == "failed" and "result" not in failed
    assert failed["error"]["type"] == "urn:planbot:problem:unreadable-plan"
    assert failed["error"]["detail"].startswith("Không lập chỉ mục được tệp: hong.png: không mở được tệp ảnh")
    assert upload_app.store.snapshot().generation == generation
    unknown = client.get("/v1/jobs/" + "0" * 32, headers=ADMIN)
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(("name", "words"), [
    ("ke-hoach.doc", "định dạng .doc không được hỗ trợ, hãy chuyển sang DOCX/PDF"),
    ("ke-hoach.odt", "định dạng .odt không được hỗ trợ, hãy chuyển sang DOCX/PDF"),
    ("bang.xlsx", "định dạng .xlsx không được hỗ trợ. Các định dạng đọc được:"),
])
def test_legacy_and_unknown_formats_are_refused_in_vietnamese(client, upload_app, name, words):
    generation = upload_app.store.snapshot().generation
    response = post(client, name, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert words in response.json()["detail"]
    assert upload_app.store.snapshot().generation == generation


def test_missing_tesseract_refuses_scans_at_once_and_text_formats_still_work(client, upload_app, tmp_path,
                                                                              monkeypatch):
    # the real readers with a Tesseract and a poppler that are not there: the real "missing" error
    missing = TesseractOcr(tesseract=f"{MISSING}/tesseract", pdftoppm=f"{MISSING}/pdftoppm")
    monkeypatch.setattr(upload_app.ingestor, "readers", build_readers(missing, upload_app.ingestor.max_file_bytes,
                                                                      progress=False))
    generation = upload_app.store.snapshot().generation
    pages = builders.render_pages("I. MỤC ĐÍCH\n1. Mục đích của kế hoạch", builders.PageStyle(dpi=100))
    image, scan = io.BytesIO(), tmp_path / "ban-quet.pdf"
    pages[0].save(image, "PNG")
    builders.scanned_pdf(scan, pages, dpi=100)
    for name, data in (("trang-quet.png", image.getvalue()), (scan.name, scan.read_bytes())):
        response = post(client, name, data)
        assert response.status_code == 422, response.text
        body = response.json()
        assert body["type"] == "urn:planbot:problem:ocr-unavailable"
        assert f"{name}: tệp này cần nhận dạng chữ (OCR)" in body["detail"]
        assert "tesseract-ocr tesseract-ocr-vie poppler-utils" in body["detail"]
        assert f"{MISSING}/tesseract (gói tesseract-ocr)" in body["detail"]
    assert upload_app.store.snapshot().generation == generation
    path, _ = builders.numbered_docx(tmp_path / "van-doc-duoc.docx", with_noise=False)
    assert post(client, path.name, path.read_bytes()).status_code == 201


def test_size_limit_and_names(tmp_path):
    app = make_fresh_app(tmp_path, ingest=False, max_file_mb=0.01)  # about 10 KB
    client = TestClient(create_app(app), raise_server_exceptions=False)
    path, _ = builders.numbered_docx(tmp_path / "lon.docx")
    assert path.stat().st_size > 10_240
    too_large = post(client, path.name, path.read_bytes())
    assert too_large.status_code == 413 and "quá lớn" in too_large.json()["detail"]
    small = post(client, "ke-hoach.pdf", b"%PDF-1.4 plan", source="ke-hoach.txt")
    assert small.status_code == 422 and "cùng phần mở rộng" in small.json()["detail"]
    assert app.store.snapshot() is None


def test_the_role_of_a_key(client):
    assert client.get("/v1/me", headers=ADMIN).json() == {"role": "admin"}
    assert client.get("/v1/me", headers=ASK).json() == {"role": "ask"}
    assert client.get("/v1/me").status_code == 401


def test_every_operation_documents_its_success_body(client):
    """Response models on every route: each documented 2xx answer (but 204) has a schema."""
    schema = client.get("/openapi.json").json()
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith("2") and status != "204":
                    content = response.get("content", {})
                    # a route without a model gets an empty schema, `{}`
                    if not any(media.get("schema") for media in content.values()):
                        missing.append(f"{method.upper()} {path} {status}")
    assert missing == []
    upload = schema["paths"]["/v1/documents"]["post"]["responses"]
    assert upload["202"]["content"]["application/json"]["schema"]["$ref"].endswith("/JobOut")
    assert schema["paths"]["/v1/jobs/{job_id}"]["get"]["responses"]["200"]["content"]


def test_a_reader_bug_on_one_file_is_said_as_ingest_says_it(client, upload_app, monkeypatch, caplog):
    def broken(path):
        raise KeyError("w:numId")  # what a reader's bug on an odd file looks like

    monkeypatch.setattr(upload_app.ingestor, "read_without_ocr", broken)
    generation = upload_app.store.snapshot().generation
    response = post(client, "la.docx", b"PK\x03\x04")
    assert response.status_code == 422
    assert response.json()["detail"] == ("Không lập chỉ mục được tệp: la.docx: không đọc được tệp do lỗi không "
                                         "lường trước (KeyError). Hãy thử xuất lại tệp dưới dạng DOCX hoặc PDF.")
    assert any(r.exc_info for r in caplog.records)  # the trace is in the server log
    assert upload_app.store.snapshot().generation == generation
