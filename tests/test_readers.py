"""Readers of real plan files without OCR: DOCX with Word's numbering, PDFs with a text layer,
appendix tables, bad input, and what happens when Tesseract or poppler is missing.

Every file is built here from plan text (tests/fixtures/builders.py); nothing binary is committed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader as PypdfReader

from index.chunking import chunk_plan
from index.embedders import HashingEmbedder
from index.ingest import IngestError, Ingestor, read_plan_file
from index.readers import OcrUnavailable, PlanText, TesseractOcr, build_readers
from index.readers.docx import DocxReader, format_number, letters
from index.readers.layout import join_wrapped
from index.readers.ocr import fix_eth
from index.store import InMemoryStore
from index.structure import parse_plan
from index.tables import column_roles, row_fields
from lang.syllables import is_valid_syllable, text_quality
from planbot.factory import build_app
from tests.conftest import make_settings
from tests.fixtures import builders

APPENDIX_TITLE = ["PHỤ LỤC", "DANH MỤC NHIỆM VỤ NĂM 2025"]
RUNNING_HEADER = "Kế hoạch thông tin đối ngoại năm 2025 - tỉnh Thừa Thiên Huế"
MISSING = "/nonexistent/bin"


@pytest.fixture(scope="module")
def readers():
    return build_readers(TesseractOcr(), progress=False)


@pytest.fixture(scope="module")
def plan_pdf(tmp_path_factory) -> Path:
    """The short 2025 plan as Word exports it, with a running header, page numbers and an
    appendix task table on its own page."""
    folder = tmp_path_factory.mktemp("pdf")
    return builders.text_pdf(folder / "ke-hoach-2025.pdf", builders.short_plan_text(),
                             table=[builders.TABLE_HEADER, *builders.TABLE_ROWS], table_title=APPENDIX_TITLE,
                             running_header=RUNNING_HEADER)


@pytest.fixture(scope="module")
def pdf_text(readers, plan_pdf) -> PlanText:
    return readers[".pdf"](plan_pdf)


def _outline(plan) -> list[tuple[str, str]]:
    return [(entry["section"], entry["title"]) for entry in plan.outline()]


def _pdf_page_of(path: Path, phrase: str) -> int:
    """The page a phrase is printed on, by pypdf's own extraction (an independent reading)."""
    for number, page in enumerate(PypdfReader(path).pages, start=1):
        if phrase in re.sub(r"\s+", " ", page.extract_text()):
            return number
    raise AssertionError(f"{phrase!r} not in {path}")


# --- DOCX --------------------------------------------------------------------------------------
def test_docx_numbering_is_drawn_back_in_and_noise_left_out(tmp_path):
    path, expected = builders.numbered_docx(tmp_path / "du-thao.docx")
    text = DocxReader()(path)
    assert text.strip() == expected.strip()
    for noise in ("DỰ THẢO - KHÔNG PHỔ BIẾN", "Trang chân", "Ý kiến góp ý"):
        assert noise not in text  # header, footer, comment
    plan = parse_plan(text, path.name)
    assert [s for s, _ in _outline(plan)] == [
        "I", "I.1", "I.1.a", "I.1.b", "I.2", "I.2.a", "II", "II.1", "III", "III.1", "III.1.a",
        "PL1", "PL1.1", "PL1.2", "PL1.3"]
    assert plan.find("III.1.a").label == "Mục III, khoản 1, điểm a"
    assert plan.find("PL1.2").label == "Phụ lục 1, dòng 2"


def test_docx_list_instances_share_counters_and_start_overrides_restart(tmp_path):
    import docx

    document = docx.Document()
    builders._numbering_definition(document, 70, [("decimal", "%1."), ("lowerLetter", "%2)")], [701, 702, 703],
                                   restart_num=703)
    rows = [("Một", 701, 0), ("Một a", 701, 1), ("Một b", 701, 1), ("Hai", 702, 0), ("Hai a", 702, 1),
            ("Lại một", 703, 0), ("Lại một a", 703, 1)]
    for text, num, level in rows:
        builders._numbered(document.add_paragraph(text), num, level)
    document.add_paragraph("")  # an empty paragraph is kept out of the text
    path = tmp_path / "lists.docx"
    document.save(str(path))
    assert DocxReader()(path).split("\n")[:7] == [
        "1. Một", "a) Một a", "b) Một b", "2. Hai", "a) Hai a", "1. Lại một", "a) Lại một a"]


@pytest.mark.parametrize(("n", "fmt", "shown"), [
    (4, "upperRoman", "IV"), (14, "upperRoman", "XIV"), (3, "lowerLetter", "c"), (27, "lowerLetter", "aa"),
    (9, "decimalZero", "09"), (12, "decimal", "12"), (2, "upperLetter", "B")])
def test_word_number_formats(n, fmt, shown):
    assert format_number(n, fmt) == shown
    assert letters(28) == "bb"


# --- PDF with a text layer ------------------------------------------------------------------------
def test_text_pdf_reads_like_the_text_file(plan_pdf, pdf_text):
    assert [r.method for r in pdf_text.pages] == ["text"] * len(PypdfReader(plan_pdf).pages)
    assert RUNNING_HEADER not in pdf_text  # running header dropped
    lines = [ln for ln in pdf_text.split("\n") if ln.strip()]
    assert not any(re.fullmatch(r"\d{1,3}", ln.strip()) for ln in lines)  # page numbers dropped
    txt_plan = parse_plan(builders.short_plan_text() + "\n".join(builders.appendix_lines()) + "\n", "plan.txt")
    pdf_plan = parse_plan(pdf_text, plan_pdf.name)
    assert _outline(pdf_plan) == _outline(txt_plan)
    assert read_plan_file(plan_pdf, 20 * 1_048_576) == pdf_text  # `planbot outline` reads it the same way
    # every paragraph wrapped by the page width is one line again, word for word
    for section in txt_plan.sections():
        if section.path not in ("preamble", "closing"):
            assert pdf_plan.find(section.path).heading.split() == section.heading.split()


def test_table_rows_stay_whole_with_their_header_and_carry_their_page(plan_pdf, pdf_text):
    plan = parse_plan(pdf_text, plan_pdf.name)
    chunks = chunk_plan(plan)
    rows = {" | ".join(row) for row in builders.TABLE_ROWS}
    header = " | ".join(builders.TABLE_HEADER)
    row_chunks = [c for c in chunks if c.section.startswith("PL1.")]
    assert [c.section_label for c in row_chunks] == ["Phụ lục 1, dòng 1", "Phụ lục 1, dòng 2", "Phụ lục 1, dòng 3"]
    for chunk in row_chunks:
        assert chunk.text in rows  # one whole row, never part of one
        assert chunk.ancestors[-1] == header  # searched together with its header
        assert chunk.page == _pdf_page_of(plan_pdf, "Xuất bản ấn phẩm quảng bá")
    table_lines = [ln for c in chunks for ln in c.text.split("\n") if " | " in ln]
    assert set(table_lines) == rows | {header}


def test_pdf_citation_carries_the_page_and_rows_reach_the_register(tmp_path, plan_pdf):
    # the embedded Chroma store: the page must survive its metadata round trip
    app = build_app(make_settings(tmp_path), embedder=HashingEmbedder(), generator=None)
    report = app.ingestor.ingest_paths([plan_pdf], progress=False)
    assert [r.status for r in report.results] == ["added"]
    assert app.store.snapshot().docs[plan_pdf.name].warnings == ("Đã đọc 3 trang: 3 trang từ lớp chữ của PDF (1–3).",)

    answer = app.assistant.ask("Báo cáo hoạt động thông tin đối ngoại gửi về đâu và trước ngày nào?",
                               sources=[plan_pdf.name])
    cited = answer.citations[0]
    assert (cited.section, cited.section_label) == ("II.2", "Mục II, khoản 2")
    assert cited.page == _pdf_page_of(plan_pdf, "trước ngày 15/11/2025")
    assert answer.to_contract()["citations"][0]["page"] == cited.page

    row = app.assistant.ask("Cơ quan nào chủ trì xuất bản ấn phẩm quảng bá hình ảnh tỉnh bằng tiếng Anh và tiếng Lào?",
                            sources=[plan_pdf.name]).citations[0]
    assert (row.section, row.section_label) == ("PL1.2", "Phụ lục 1, dòng 2")
    assert "Sở Ngoại vụ" in row.quote

    records = [r for r in app.register.query(doc=plan_pdf.name) if r.section.startswith("PL1.")]
    assignments = {r.section_label: r for r in records if r.kind == "assignment"}
    assert assignments["Phụ lục 1, dòng 1"].agency == "Sở Thông tin và Truyền thông"
    assert "Sở Ngoại vụ" in assignments["Phụ lục 1, dòng 1"].cooperating
    assert assignments["Phụ lục 1, dòng 2"].task == builders.TABLE_ROWS[1][1]
    deadlines = {r.section_label: r for r in records if r.kind == "deadline"}
    assert deadlines["Phụ lục 1, dòng 3"].due_date == "2025-11-15"
    assert deadlines["Phụ lục 1, dòng 3"].agency == "Sở Du lịch"
    assert deadlines["Phụ lục 1, dòng 2"].due_date == "2025-09-30"  # a quarter falls due at its end
    assert deadlines["Phụ lục 1, dòng 2"].deadline_text == "Quý III/2025"
    # a row is not a sentence: "Báo cáo …" in row 3 is Sở Du lịch's task (a report the plan names no
    # recipient for), never a reporting line to the body in its cooperating column
    reports = [(r.section, r.agency, r.recipient) for r in records if r.kind == "reporting"]
    assert reports in ([], [("PL1.3", "Sở Du lịch", None)])


def test_join_wrapped_lines_and_hyphens():
    assert join_wrapped("phát triển kinh tế-", "xã hội") == "phát triển kinh tế-xã hội"
    assert join_wrapped("Kết luận số 57-", "KL/TW") == "Kết luận số 57-KL/TW"
    assert join_wrapped("thông tin đối ngo\u00ad", "ại") == "thông tin đối ngoại"
    assert join_wrapped("kinh tế -", "xã hội") == "kinh tế - xã hội"
    assert join_wrapped("gửi về Sở", "Tài chính") == "gửi về Sở Tài chính"


# --- tables and syllables ------------------------------------------------------------------------------
def test_column_roles_follow_the_header_words():
    header = "STT | Nội dung thực hiện | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian thực hiện"
    assert column_roles(header) == {"number": 0, "task": 1, "lead": 2, "cooperating": 3, "deadline": 4}
    fields = row_fields(header, "4 | Tổ chức triển lãm ảnh | Sở Ngoại vụ | Sở Du lịch | Tháng 9/2025")
    assert (fields.task, fields.lead, fields.cooperating, fields.deadline) == (
        "Tổ chức triển lãm ảnh", "Sở Ngoại vụ", "Sở Du lịch", "Tháng 9/2025")
    assert row_fields("Họ và tên | Chữ ký", "Nguyễn Văn A | x") is None


def test_syllable_quality_tells_vietnamese_from_english_ocr():
    clean = text_quality("Báo cáo kết quả thực hiện gửi về Sở Thông tin và Truyền thông trước ngày 15/11/2024.")
    english_ocr = text_quality("Bao cao két qua thuc hién gtri vé S& Thong tin va Truyén thong truéc ngay 15/11/2024 ctia d6i")
    assert clean.looks_vietnamese() and not english_ocr.looks_vietnamese()
    assert all(is_valid_syllable(w) for w in ("nghiêng", "khuyết", "gì", "quốc", "Đảng", "thuở"))
    assert not any(is_valid_syllable(w) for w in ("ctia", "Pang", "Hué", "kà", "ngé", "hoạch1"))
    assert fix_eth("TTĐÐN, Ðảng") == "TTĐN, Đảng"


# --- bad input ------------------------------------------------------------------------------------------
def test_encrypted_truncated_and_blank_pdfs_are_refused_clearly(tmp_path, readers, plan_pdf):
    encrypted = builders.encrypted_pdf(plan_pdf, tmp_path / "mat-khau.pdf")
    with pytest.raises(IngestError, match="đặt mật khẩu"):
        readers[".pdf"](encrypted)
    data = plan_pdf.read_bytes()
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match="bị hỏng hoặc không đầy đủ"):
        readers[".pdf"](truncated)
    not_pdf = tmp_path / "fake.pdf"
    not_pdf.write_text("không phải PDF", encoding="utf-8")
    with pytest.raises(IngestError, match="fake.pdf: tệp PDF bị hỏng"):
        readers[".pdf"](not_pdf)
    blank = builders.blank_pdf(tmp_path / "trang.pdf", pages=3)
    with pytest.raises(IngestError, match=r"3 trang đều trắng"):
        readers[".pdf"](blank)  # blank pages are recognised without running Tesseract


@pytest.mark.parametrize("name", ["cu.doc", "ban-thao.odt", "van-ban.rtf"])
def test_legacy_office_files_ask_for_docx_or_pdf(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    with pytest.raises(IngestError, match="không được hỗ trợ, hãy chuyển sang DOCX/PDF"):
        read_plan_file(path, 1_048_576)


def test_broken_docx_and_unknown_formats(tmp_path, readers):
    fake = tmp_path / "hong.docx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(IngestError, match="không đọc được tệp DOCX"):
        readers[".docx"](fake)
    other = tmp_path / "bang.xlsx"
    other.write_bytes(b"PK")
    with pytest.raises(IngestError, match=r"\.xlsx không được hỗ trợ.*\.docx.*\.pdf"):
        read_plan_file(other, 1_048_576)


def test_docx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    import zipfile

    bomb = tmp_path / "bom.docx"
    plan, _ = builders.numbered_docx(tmp_path / "that.docx", with_noise=False)
    with zipfile.ZipFile(plan) as real, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in real.infolist():
            out.writestr(item, real.read(item))
        with out.open("word/media/padding.bin", "w") as padding:  # 30 MB of zeros, about 30 KB packed
            for _ in range(30):
                padding.write(bytes(1_048_576))
    assert bomb.stat().st_size < 100_000
    reader = DocxReader(max_bytes=1_048_576)  # unpacked limit: 16 MB (the floor; 25 MB absolute)
    with pytest.raises(IngestError, match=r"^bom.docx: tệp DOCX giải nén ra hơn 16 MB, vượt giới hạn"):
        reader(bomb)
    assert "Thông tin đối ngoại" in reader(plan)  # a real DOCX of the same size passes


def test_file_size_limit_applies_to_every_reader(tmp_path, plan_pdf):
    small = build_readers(TesseractOcr(), max_bytes=1000, progress=False)
    with pytest.raises(IngestError, match="tệp quá lớn"):
        small[".pdf"](plan_pdf)


# --- Tesseract or poppler missing ------------------------------------------------------------------------
def test_missing_ocr_tools_name_the_debian_packages_and_text_formats_still_work(tmp_path, plan_pdf):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "ke-hoach.txt").write_text(builders.short_plan_text(), encoding="utf-8")
    builders.numbered_docx(folder / "du-thao.docx")
    (folder / plan_pdf.name).write_bytes(plan_pdf.read_bytes())
    page = builders.render_pages("I. MỤC ĐÍCH\n1. Mục đích của kế hoạch", builders.PageStyle(dpi=100))
    builders.scanned_pdf(folder / "ban-quet.pdf", page, dpi=100)
    page[0].save(folder / "trang.png")
    ocr = TesseractOcr(tesseract=f"{MISSING}/tesseract", pdftoppm=f"{MISSING}/pdftoppm")
    ingestor = Ingestor(InMemoryStore(), HashingEmbedder(), readers=build_readers(ocr, progress=False))
    report = ingestor.ingest_paths([folder], progress=False)
    status = {r.source: r for r in report.results}
    assert {s: r.status for s, r in status.items()} == {
        "ke-hoach.txt": "added", "du-thao.docx": "added", plan_pdf.name: "added",
        "ban-quet.pdf": "error", "trang.png": "error"}
    for name in ("ban-quet.pdf", "trang.png"):
        text = status[name].message
        assert text.startswith(f"{name}: tệp này cần nhận dạng chữ (OCR)")
        assert "tesseract-ocr tesseract-ocr-vie poppler-utils" in text
        assert f"{MISSING}/tesseract (gói tesseract-ocr)" in text
    assert f"{MISSING}/pdftoppm (gói poppler-utils)" in status["ban-quet.pdf"].message


def test_missing_vietnamese_data_names_its_package(tmp_path):
    ocr = TesseractOcr(lang="vie+zzz")
    with pytest.raises(OcrUnavailable, match=r"dữ liệu ngôn ngữ zzz của Tesseract \(gói tesseract-ocr-vie\)"):
        ocr.require("scan.pdf", pdf=True)


# --- long files ----------------------------------------------------------------------------------------------
_READ_LONG = """
import resource, sys
from pathlib import Path
from index.readers import TesseractOcr, build_readers
from index.structure import parse_plan
text = build_readers(TesseractOcr(), progress=True)[".pdf"](Path(sys.argv[1]))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
last = parse_plan(text, "dai.pdf").outline()[-1]["section"]
print(len(text.pages), text.count("\\f"), last, peak)
"""


@pytest.mark.slow
def test_300_page_pdf_shows_progress_and_memory_stays_flat(tmp_path):
    """Peak memory reading 300 pages is that of reading 60 (pages are dropped once read)."""
    peaks = {}
    for pages in (60, 300):
        pdf = builders.many_pages_pdf(tmp_path / f"dai-{pages}.pdf", pages)
        done = subprocess.run([sys.executable, "-c", _READ_LONG, str(pdf)], capture_output=True, text=True,
                              timeout=600, check=True)
        read, breaks, last, peak_kb = done.stdout.split()
        assert (int(read), int(breaks), last) == (pages, pages - 1, builders.many_pages_last_item(pages))
        assert f"Đọc {pdf.name}" in done.stderr and f"{pages}/{pages}" in done.stderr  # the progress bar
        peaks[pages] = int(peak_kb) / 1024
    assert peaks[300] < peaks[60] + 40, peaks


def test_layout_drops_furniture_and_joins_a_paragraph_cut_by_the_page_break():
    from index.readers.layout import Line, PageContent, assemble

    def page(number: int, rows: list[tuple[float, float, str]]) -> PageContent:
        return PageContent(number, 600, 800, [Line(text, x0, x0 + 8 * len(text), top, top + 12)
                                               for x0, top, text in rows])

    body = "Các sở, ngành báo cáo kết quả thực hiện về Sở Thông tin và"  # 59 characters: a full line
    first = page(1, [(60, 20, "KẾ HOẠCH NĂM 2025 - TRANG 1"), (90, 100, "1. Mục đích của kế hoạch"),
                     (60, 116, body), (60, 132, body), (290, 780, "1")])
    second = page(2, [(60, 20, "KẾ HOẠCH NĂM 2025 - TRANG 2"), (60, 100, "Truyền thông trước ngày 15/11/2025."),
                      (90, 116, "2. Yêu cầu"), (290, 780, "- 2 -")])
    text = assemble([first, second])
    assert text.endswith("\n") and text[:-1].split("\n") == [
        "1. Mục đích của kế hoạch",
        f"{body} {body} Truyền thông trước ngày 15/11/2025.",
        "\f",
        "2. Yêu cầu",
    ]
