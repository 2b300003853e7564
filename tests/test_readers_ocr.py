"""Scanned plans read with Tesseract's Vietnamese model: a scanned PDF must give the outline and
the answers of the same plan given as text; the text layer is judged page by page; images.

The pages are rendered here from plan text with DejaVu Sans (Vietnamese glyphs). Each test runs
Tesseract on real pages, hence `slow`.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader as PypdfReader
from pypdf import PdfWriter

from index.embedders import HashingEmbedder
from index.readers import ImageReader, PdfReader, TesseractOcr
from index.store import InMemoryStore
from index.structure import parse_plan
from planbot.factory import build_app
from tests.conftest import make_settings
from tests.fixtures import builders

pytestmark = pytest.mark.slow

SCAN_DPI = 200
SCAN_STYLE = builders.PageStyle(font=builders.SANS, size_pt=13, dpi=SCAN_DPI,
                                header="Kế hoạch thông tin đối ngoại năm 2025")
QUESTION = "Các cơ quan phải gửi báo cáo thông tin đối ngoại về đâu và trước ngày nào?"


def _outline(plan) -> list[tuple[str, str]]:
    return [(entry["section"], entry["title"]) for entry in plan.outline()]


def _page_where(text: str, phrase: str) -> int:
    """The page a phrase starts on when `text` is typeset: the page count of the text up to it."""
    return len(builders.render_pages(text[: text.index(phrase) + len(phrase)], SCAN_STYLE))


@pytest.fixture(scope="module")
def scanned_plan(tmp_path_factory):
    """The short 2025 plan as a .txt file and as a scan of its printed pages, in one index."""
    folder = tmp_path_factory.mktemp("scan")
    text = builders.short_plan_text()
    (folder / "ke-hoach.txt").write_text(text, encoding="utf-8")
    builders.scanned_pdf(folder / "ke-hoach-quet.pdf", builders.render_pages(text, SCAN_STYLE), dpi=SCAN_DPI)
    app = build_app(make_settings(folder, ocr_dpi=SCAN_DPI), store=InMemoryStore(), embedder=HashingEmbedder(),
                    generator=None)
    report = app.ingestor.ingest_paths([folder / "ke-hoach.txt", folder / "ke-hoach-quet.pdf"], progress=False)
    assert [(r.source, r.status) for r in report.results] == [("ke-hoach.txt", "added"),
                                                              ("ke-hoach-quet.pdf", "added")]
    return app, text


def test_scanned_pdf_has_the_outline_of_the_text(scanned_plan):
    app, text = scanned_plan
    snap = app.store.snapshot()
    assert snap.docs["ke-hoach-quet.pdf"].warnings == (
        "Đã đọc 3 trang: 3 trang nhận dạng chữ OCR tiếng Việt (1–3).",)
    scan = app.library.outline("ke-hoach-quet.pdf")
    txt = app.library.outline("ke-hoach.txt")
    assert [(e["section"], e["title"]) for e in scan] == [(e["section"], e["title"]) for e in txt]
    assert [e["section"] for e in txt][1:-1] == [e["section"] for e in parse_plan(text, "k.txt").outline()]


def test_scanned_pdf_gives_the_answer_of_the_text_with_its_page(scanned_plan):
    app, text = scanned_plan
    from_txt = app.assistant.ask(QUESTION, sources=["ke-hoach.txt"])
    from_scan = app.assistant.ask(QUESTION, sources=["ke-hoach-quet.pdf"])
    assert not from_txt.abstained and not from_scan.abstained
    txt_cited = [(c.section, c.section_label) for c in from_txt.citations]
    scan_cited = [(c.section, c.section_label) for c in from_scan.citations]
    assert scan_cited == txt_cited
    assert txt_cited[0] == ("II.2", "Mục II, khoản 2")
    assert "15/11/2025" in from_scan.answer and "Sở Thông tin và Truyền thông" in from_scan.answer
    assert from_scan.citations[0].page == _page_where(text, "2. Báo cáo hoạt động")
    assert from_txt.citations[0].page is None  # a text file has no pages


def test_bad_ocr_text_layer_is_read_again_page_by_page(tmp_path):
    """Page 1 has a good text layer; page 2 is a scan whose hidden layer is the English model's
    reading of Vietnamese ("ctia", "d6i"): that page alone is OCR'd again with `vie`."""
    good = builders.text_pdf(tmp_path / "good.pdf", "I. MỤC ĐÍCH, YÊU CẦU\n" + builders.short_plan_text().split(
        "I. MỤC ĐÍCH, YÊU CẦU\n", 1)[1].split("2. Yêu cầu")[0])
    page_text = "2. Yêu cầu\n" + builders.short_plan_text().split("2. Yêu cầu\n", 1)[1].split("II. TỔ CHỨC")[0]
    image = builders.render_pages(page_text, SCAN_STYLE)[0]
    image.save(tmp_path / "page.png", dpi=(SCAN_DPI, SCAN_DPI))
    english = subprocess.run(["tesseract", str(tmp_path / "page.png"), "stdout", "-l", "eng"], capture_output=True,
                             text=True, check=True, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"}).stdout
    bad = builders.ocr_layer_pdf(tmp_path / "bad.pdf", [image], [english], dpi=SCAN_DPI)
    writer = PdfWriter()
    for part in (good, bad):
        for page in PypdfReader(part).pages:
            writer.add_page(page)
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as out:
        writer.write(out)

    text = PdfReader(TesseractOcr(dpi=SCAN_DPI), progress=False)(mixed)
    assert [(r.number, r.method) for r in text.pages] == [(1, "text"), (2, "ocr")]
    assert text.pages[1].note.startswith("text layer rejected")
    assert text.pages[1].quality.looks_vietnamese()
    assert "ctia" not in text and "Bám sát, quán triệt sâu sắc" in text
    assert [e["section"] for e in parse_plan(text, "mixed.pdf").outline()] == [
        "I", "I.1", "I.1.a", "I.1.b", "I.1.c", "I.1.d", "I.2", "I.2.a", "I.2.b"]


def test_multi_page_tiff_is_read_with_its_blank_page(tmp_path):
    page = builders.render_pages("II. TỔ CHỨC THỰC HIỆN\n1. Sở Ngoại vụ chủ trì tổ chức hội nghị.",
                                 builders.PageStyle(font=builders.SANS, dpi=SCAN_DPI, page_numbers=False))[0]
    blank = Image.new("L", page.size, 255)
    path = tmp_path / "ban-chup.tiff"
    page.save(path, save_all=True, append_images=[blank], dpi=(SCAN_DPI, SCAN_DPI))
    text = ImageReader(TesseractOcr(dpi=SCAN_DPI))(Path(path))
    assert [(r.number, r.method) for r in text.pages] == [(1, "ocr"), (2, "blank")]
    assert text.split("\n")[:2] == ["II. TỔ CHỨC THỰC HIỆN", "1. Sở Ngoại vụ chủ trì tổ chức hội nghị."]
