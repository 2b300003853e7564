"""The obligations register: extraction on the sample plans and on hand-made edge cases."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from index.embedders import HashingEmbedder
from index.ingest import Ingestor
from index.obligations import ObligationRegister
from index.store import InMemoryStore
from lang.agencies import canonical_agency
from lang.normalize import collapse_ws
from rag.answer import reporting_sentence

EDGE_PLAN = """KẾ HOẠCH
Chuyển đổi số tỉnh Nghệ An năm 2025

I. NHIỆM VỤ
1. Sở Thông tin và Truyền thông
- Chủ trì, phối hợp với Sở Tài chính, Công an tỉnh xây dựng cổng dữ liệu.
II. TỔ CHỨC THỰC HIỆN
1. Các sở, ngành báo cáo kết quả gửi về Sở TTTT trước ngày 31/02/2025 để tổng hợp trình UBND tỉnh.
2. Công an tỉnh gửi báo cáo về Văn phòng UBND tỉnh trước ngày 15 tháng 11 năm 2024 và định kỳ hằng quý.
3. Sở Tài chính
- Phối hợp với Sở Nội vụ thẩm định kinh phí hằng năm.
Nơi nhận:
- Như trên;
"""

NO_ASSIGNMENT_PLAN = "KẾ HOẠCH\nTuyên truyền tỉnh Nam Định năm 2025\nI. MỤC ĐÍCH\n1. Mục đích\n- Nâng cao nhận thức.\n"


@pytest.fixture(scope="module")
def edge_register():
    store = InMemoryStore()
    Ingestor(store, HashingEmbedder()).ingest_texts({"edge.txt": EDGE_PLAN, "none.txt": NO_ASSIGNMENT_PLAN},
                                                     progress=False)
    return ObligationRegister(store)


def test_impossible_date_is_kept_verbatim_and_flagged(edge_register):
    record = next(r for r in edge_register.query(doc="edge.txt", kind="reporting") if r.section == "II.1")
    assert record.due_date is None
    assert "31/02/2025" in record.deadline_text
    assert "impossible_date" in record.flags
    assert record.recipient == "Sở Thông tin và Truyền thông"
    assert record.onward == ("Ủy ban nhân dân tỉnh",)
    assert "31/02/2025" in reporting_sentence(record)


def test_worded_date_and_recurrence(edge_register):
    record = next(r for r in edge_register.query(doc="edge.txt", kind="reporting") if r.section == "II.2")
    assert record.due_date == "2024-11-15"
    assert "quarterly" in record.recurrence
    assert record.recipient == "Văn phòng Ủy ban nhân dân tỉnh"


def test_assignment_lead_and_cooperating(edge_register):
    leads = edge_register.query(doc="edge.txt", kind="assignment", agency="Sở TTTT")
    assert any(set(r.cooperating) >= {"Sở Tài chính", "Công an tỉnh"} for r in leads)
    finance = [r for r in edge_register.query(doc="edge.txt", kind="assignment") if r.section == "II.3"]
    assert finance and finance[0].agency == "Sở Tài chính"
    assert "Sở Nội vụ" in finance[0].cooperating


def test_plan_without_assignment_section_gives_no_records_and_no_crash(edge_register):
    assert edge_register.query(doc="none.txt") == []


def test_sample_reporting_lines(sample_app, sample_texts):
    reporting = {(r.source, r.section): r for r in sample_app.register.query(kind="reporting")}
    tth = reporting[("thua-thien-hue-2024.txt", "V.2")]
    assert (tth.recipient, tth.due_date) == ("Sở Thông tin và Truyền thông", "2024-11-15")
    assert "on_request" in tth.recurrence
    assert tth.onward == ("Ủy ban nhân dân tỉnh", "Bộ Thông tin và Truyền thông")
    hy = reporting[("hung-yen-2026.txt", "closing")]
    assert (hy.recipient, hy.due_date) == ("Sở Văn hóa, Thể thao và Du lịch", "2026-12-01")
    vp = reporting[("vinh-phuc-2024.txt", "closing")]
    assert (vp.recipient, vp.via) == ("Ủy ban nhân dân tỉnh", "Sở Thông tin và Truyền thông")
    for record in sample_app.register.records():
        assert collapse_ws(record.quote) in collapse_ws(sample_texts[record.source])


def test_citation_dates_are_not_deadlines(sample_app):
    dates = {r.due_date for r in sample_app.register.deadlines()}
    assert "2023-06-15" not in dates  # Kết luận số 57-KL/TW ngày 15/6/2023
    assert dates >= {"2024-11-15", "2025-11-15", "2026-12-01"}


@pytest.mark.parametrize(("spelling", "canonical"), [
    ("S¢ Thong tin va Truyén thong", "Sở Thông tin và Truyền thông"),
    ("Sở TTTT", "Sở Thông tin và Truyền thông"),
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
    ("Bộ TTTT", "Bộ Thông tin và Truyền thông"),
    ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Đề nghị Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy"),
    ("S& Vin hoa, Thé thao va Du lich", "Sở Văn hóa, Thể thao và Du lịch"),
])
def test_agency_names_are_canonical(spelling, canonical):
    assert canonical_agency(spelling) == canonical


def test_register_answers_reporting_questions_in_one_clean_sentence(sample_app):
    answer = sample_app.assistant.ask("Hưng Yên 2026: các cơ quan báo cáo kết quả về đâu, trước ngày nào?")
    assert "Sở Văn hóa, Thể thao và Du lịch" in answer.answer
    assert "01/12/2026" in answer.answer
    assert answer.citations[0].section == "closing"


def test_what_must_an_agency_do_returns_its_section(sample_app):
    answer = sample_app.assistant.ask("Sở Tài chính Hưng Yên có nhiệm vụ gì trong kế hoạch năm 2026?")
    assert "Sở Tài chính" in answer.answer
    assert {c.section.rsplit(".", 1)[0] if c.section.count(".") == 2 else c.section
            for c in answer.citations} == {"IV.3"}


def _cli(args, tmp_path):
    import os

    env = {**os.environ, "PLANBOT_DATA_DIR": str(tmp_path), "PLANBOT_LLM": "none"}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.mark.slow
def test_cli_obligations_and_deadlines(tmp_path):
    out = _cli(["obligations", "--agency", "Sở TTTT", "--kind", "reporting", "--json"], tmp_path)
    assert out.returncode == 0, out.stderr
    records = json.loads(out.stdout)
    assert {r["source"] for r in records} >= {"thua-thien-hue-2024.txt", "thua-thien-hue-2025.txt"}
    before = json.loads(_cli(["obligations", "--before", "2025-01-01", "--json"], tmp_path).stdout)
    assert before and all(r["due_date"] < "2025-01-01" for r in before)
    listing = _cli(["deadlines", "--from", "01/01/2025"], tmp_path)
    lines = listing.stdout.splitlines()
    assert lines[0].startswith("15/11/2025") and lines[1].startswith("01/12/2026")
    # hung-yen-2026 is English-model OCR: its quote is shown repaired, the JSON has both forms
    rows = json.loads(_cli(["deadlines", "--from", "01/01/2025", "--json"], tmp_path).stdout)
    ocr = next(r for r in rows if r["source"] == "hung-yen-2026.txt")
    assert ocr["quote_display"] != ocr["quote"]
    assert ocr["quote_display"][:40] in listing.stdout and ocr["quote"][:40] not in listing.stdout
    bad = _cli(["deadlines", "--to", "31/02/2025"], tmp_path)
    assert bad.returncode == 2 and "ngày không hợp lệ" in bad.stderr


PHRASING_PLAN = """KẾ HOẠCH
Thông tin đối ngoại tỉnh Quảng Trị năm 2025

I. NHIỆM VỤ
1. Tuyên truyền về biên giới
- Tuyên truyền về Hiệp định quy chế quản lý biên giới và cửa khẩu biên giới giữa Chính phủ hai nước.
- Tổ chức hội nghị báo cáo viên Tỉnh ủy hằng quý; kịp thời định hướng khi có vấn đề đột xuất nảy sinh.
II. TỔ CHỨC THỰC HIỆN
1. Các sở, ban, ngành, UBND các huyện, thành phố:
Định kỳ đánh giá tình hình, gửi Sở Thông tin và Truyền thông tổng hợp, báo cáo UBND tỉnh theo quy định.
2. Triển khai Đề án tuyên truyền biển đảo
Sở Thông tin và Truyền thông phối hợp với Hội Nhà báo tỉnh triển khai thực hiện.
3. Sở Ngoại vụ
- Chủ trì, phối hợp chặt chẽ với Mặt trận Tổ quốc, các đoàn thể, Hội Nông dân tỉnh tổ chức hoạt động, báo cáo UBND tỉnh kết quả.
- Kịp thời báo cáo
lãnh đạo tỉnh để chỉ đạo xử lý thông tin sai lệch.
"""


@pytest.fixture(scope="module")
def phrasing_register():
    store = InMemoryStore()
    Ingestor(store, HashingEmbedder()).ingest_texts({"qt.txt": PHRASING_PLAN}, progress=False)
    return ObligationRegister(store)


def test_lookalike_phrases_are_not_reporting_lines(phrasing_register):
    # "biên giới và" has the consonant frame of "gửi về"; "báo cáo viên" is a person, not a duty
    reporting = phrasing_register.query(kind="reporting")
    assert {r.section for r in reporting} == {"II.1", "II.3"}
    # "vấn đề đột xuất" is an unexpected issue; "hằng quý" is a real recurrence
    recurrences = {tag for r in phrasing_register.query(kind="deadline") if r.section == "I.1" for tag in r.recurrence}
    assert recurrences == {"quarterly"}


def test_bare_gui_before_an_agency_names_the_first_recipient(phrasing_register):
    record = next(r for r in phrasing_register.query(kind="reporting") if r.section == "II.1")
    assert record.recipient == "Sở Thông tin và Truyền thông"
    assert record.onward == ("Ủy ban nhân dân tỉnh",)
    assert "periodic" in record.recurrence


def test_heading_listing_agencies_makes_each_a_lead(phrasing_register):
    leads = {r.agency for r in phrasing_register.query(kind="assignment") if r.section == "II.1"}
    assert leads == {"Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các huyện, thị xã, thành phố"}


def test_section_opening_with_an_agency_as_subject_assigns_it(phrasing_register):
    record = next(r for r in phrasing_register.query(kind="assignment") if r.section == "II.2")
    assert record.agency == "Sở Thông tin và Truyền thông"
    assert record.cooperating == ("Hội Nhà báo tỉnh",)


def test_partners_are_the_agencies_listed_after_phoi_hop_only(phrasing_register):
    section = next(r for r in phrasing_register.query(kind="assignment") if r.section == "II.3" and r.task == "Sở Ngoại vụ")
    # UBND tỉnh, named later in the clause ("báo cáo UBND tỉnh"), is no partner
    assert section.cooperating == ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Hội Nông dân tỉnh")
    # a wrapped line starting with "lãnh đạo tỉnh" is an object, not the subject of a new duty
    assert not [r for r in phrasing_register.query(kind="assignment") if r.agency == "Lãnh đạo tỉnh"]
