"""Questions about the plan itself in new wordings (issue 21): the date asked beside the issuer or
the number is the signing date; the plan (or "đợt thi đua") said to run "trong thời gian nào",
"từ khi nào đến khi nào", "kéo dài đến khi nào" asks its period, answered from the time heading
("1. Thời gian: …") and the title, never a legal basis "Căn cứ …". A small plan issued by a
decision (Decree 30/2020 layout, another province and topic), expected answers worked out by hand."""

from __future__ import annotations

import pytest

from index.embedders import HashingEmbedder
from index.store import InMemoryStore
from lang.normalize import collapse_ws
from planbot.factory import build_app
from planbot.settings import Settings
from rag.query import analyze
from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH QUẢNG TRỊ                       Độc lập - Tự do - Hạnh phúc
Số: 417/QĐ-UBND                      Quảng Trị, ngày 08 tháng 4 năm 2026

QUYẾT ĐỊNH
Ban hành Kế hoạch phát triển nghề muối bền vững tỉnh Quảng Trị đến năm 2028
ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ
Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2026;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phát triển nghề muối bền vững.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

KẾ HOẠCH
Phát triển nghề muối bền vững tỉnh Quảng Trị đến năm 2028
(Ban hành kèm theo Quyết định số 417/QĐ-UBND ngày 08 tháng 4 năm 2026 của Ủy ban nhân dân tỉnh)

I. MỤC TIÊU
1. Nâng sản lượng muối sạch của tỉnh lên 20 nghìn tấn mỗi năm.
II. THỜI GIAN VÀ PHẠM VI
1. Thời gian: từ năm 2026 đến hết năm 2028.
2. Phạm vi: các xã ven biển của tỉnh.
III. NHIỆM VỤ
1. Sở Nông nghiệp và Môi trường chủ trì xây dựng vùng sản xuất muối sạch, hoàn thành trong năm 2027.
2. Sở Công Thương chủ trì xúc tiến tiêu thụ muối, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12 hằng năm.

                                                       TM. ỦY BAN NHÂN DÂN
                                                       KT. CHỦ TỊCH
                                                       PHÓ CHỦ TỊCH
                                                       Hồ Văn Tâm
"""
SOURCE = "quang-tri-2026-nghe-muoi.txt"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {SOURCE: PLAN})


@pytest.mark.parametrize(("question", "asked"), [
    ("Kế hoạch nghề muối tỉnh Quảng Trị do cơ quan nào ban hành, ngày nào?", ["issuer", "signed"]),
    ("Kế hoạch nghề muối được ban hành kèm quyết định số mấy, ngày nào?", ["number", "signed"]),
    ("Ke hoach nghe muoi Quang Tri thuc hien trong thoi gian nao?", ["period"]),
    ("Đợt thi đua chào mừng ngày thành lập tỉnh được triển khai từ khi nào đến khi nào?", ["period"]),
    ("Đợt thi đua yêu nước của tỉnh kéo dài đến khi nào?", ["period"]),
    ("kế hoạch truyền thông giảm nghèo của tỉnh thực hiện tới khi nào", ["period"]),
    ("Kế hoạch nghề muối triển khai trong giai đoạn nào?", ["period"]),
    ("Kế hoạch nghề muối: Sở Công Thương triển khai xúc tiến tiêu thụ tới khi nào?", []),
    # a task's time, not the plan's: a body named, or the question does not open on the plan
    ("Kế hoạch nghề muối: Sở Công Thương triển khai xúc tiến tiêu thụ đến khi nào?", []),
    ("Việc xây dựng vùng sản xuất muối sạch thực hiện từ khi nào?", []),
    ("Kế hoạch số 417/QĐ-UBND giao Sở Công Thương báo cáo trước ngày nào?", []),
    ("Kế hoạch nghề muối do cơ quan nào ban hành?", ["issuer"]),
])
def test_the_document_fields_asked(question, asked):
    assert analyze(question).document == asked


@pytest.mark.parametrize(("question", "facts", "sections"), [
    ("Kế hoạch phát triển nghề muối tỉnh Quảng Trị do cơ quan nào ban hành, ngày nào?",
     ["08/04/2026", "ngày 08 tháng 4 năm 2026", "UBND tỉnh Quảng Trị"], {"preamble"}),
    ("Kế hoạch phát triển nghề muối Quảng Trị được ban hành kèm quyết định số mấy, ngày nào?",
     ["417/QĐ-UBND", "08/04/2026"], {"preamble"}),
    ("Ke hoach phat trien nghe muoi Quang Tri thuc hien trong thoi gian nao?",
     ["từ năm 2026 đến hết năm 2028"], {"II.1", "preamble"}),
])
def test_the_document_answers(app, question, facts, sections):
    answer = app.assistant.ask(question, mode="extractive")
    assert not answer.abstained, answer.answer
    for fact in facts:
        assert fact in answer.answer, answer.answer
    assert {c.section for c in answer.citations} <= sections and answer.citations
    for c in answer.citations:
        assert collapse_ws(c.quote) in collapse_ws(PLAN), c.quote
        assert not c.quote.startswith("Căn cứ")  # a legal basis is not the plan's period


@pytest.mark.parametrize("question", [
    "Kế hoạch nghề muối Quảng Trị quy định mức phạt tiền bao nhiêu đối với cơ sở sản xuất muối không đạt chuẩn?",
    "Theo kế hoạch nghề muối, cơ sở làm muối bẩn bị phạt bao nhiêu?",
])
def test_a_fine_the_plan_never_states_is_declined(app, question):
    # a fine is a sum of money: a sentence without one ("20 nghìn tấn", "15/12") does not answer it
    assert analyze(question).money
    answer = app.assistant.ask(question, mode="extractive")
    assert answer.abstained, answer.answer


FIELDS_PLAN = """ỦY BAN NHÂN DÂN TỈNH BẮC KẠN
Số: 93/KH-UBND                       Bắc Kạn, ngày 12 tháng 3 năm 2026

KẾ HOẠCH
Số hóa hồ sơ địa chính tỉnh Bắc Kạn năm 2026

I. MỤC ĐÍCH
Hoàn thành số hóa hồ sơ địa chính toàn tỉnh.
II. NHIỆM VỤ
1. Nhóm nhiệm vụ về dữ liệu
1.1. Xây dựng cơ sở dữ liệu đất đai:
a) Nhiệm vụ: Tham mưu Ủy ban nhân dân tỉnh hoàn thiện cơ sở dữ liệu đất đai đã phê duyệt tại Quyết định số 55/QĐ-UBND ngày 10/01/2025.
b) Cơ quan thực hiện:
- Đơn vị chủ trì: Sở Nông nghiệp và Môi trường.
- Đơn vị phối hợp: Các sở, ban, ngành.
c) Thời gian thực hiện: Hoàn thành trong quý III năm 2026.
1.2. Đào tạo cán bộ địa chính:
a) Nhiệm vụ: Tổ chức lớp tập huấn cho cán bộ địa chính cấp xã.
b) Cơ quan thực hiện:
- Đơn vị chủ trì: Sở Nội vụ.
- Đơn vị phối hợp: Ủy ban nhân dân các xã.
c) Thời gian thực hiện: Tháng 5 năm 2026.
"""


@pytest.fixture(scope="module")
def fields_app(tmp_path_factory):
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("data"), llm="none")
    app = build_app(settings, store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    assert not app.ingestor.ingest_texts({"bac-kan-2026-so-hoa.txt": FIELDS_PLAN}, progress=False).errors
    return app


@pytest.mark.parametrize(("question", "facts", "not_facts"), [
    # the quoted point dates a decision; the item's own time field is the task's time
    ("Việc hoàn thiện cơ sở dữ liệu đất đai phải hoàn thành khi nào, ai chủ trì?",
     ["quý III năm 2026", "Sở Nông nghiệp và Môi trường"], ["Tháng 5 năm 2026"]),
    ("Nhiệm vụ tập huấn cán bộ địa chính cấp xã có thời hạn thế nào?", ["Tháng 5 năm 2026"], ["quý III"]),
])
def test_an_items_fields_in_sibling_points_answer_for_its_task(fields_app, question, facts, not_facts):
    answer = fields_app.assistant.ask(question, mode="extractive")
    assert not answer.abstained, answer.answer
    for fact in facts:
        assert fact in answer.answer, answer.answer
    for fact in not_facts:
        assert fact not in answer.answer, answer.answer
