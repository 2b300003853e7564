"""Issue 21: list answers prefer the body's own numbered item to an appendix row where it leads;
a list question may name its plan by the title's topic and its body as the item's heading writes
it; a turn that names neither a plan nor a body leans on the conversation; the plan's period is
answered from where the plan states it. The two plans are invented, in the Decree 30/2020 layout;
the expected answers are worked out by hand from their text."""

from __future__ import annotations

import pytest

from index.embedders import HashingEmbedder
from index.store import InMemoryStore
from planbot.factory import build_app
from planbot.settings import Settings
from rag.conversation import leans_on_previous
from rag.query import analyze

QUANG_NGAI = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
Số: 41/KH-UBND
Quảng Ngãi, ngày 12 tháng 2 năm 2026
KẾ HOẠCH
Phòng, chống sạt lở bờ sông trên địa bàn tỉnh Quảng Ngãi giai đoạn 2026 - 2027
Căn cứ Luật Phòng, chống thiên tai ngày 19 tháng 6 năm 2013;
I. MỤC ĐÍCH, YÊU CẦU
1. Giảm thiệt hại do sạt lở bờ sông gây ra.
II. THỜI GIAN THỰC HIỆN
1. Thời gian thực hiện
Kế hoạch được triển khai từ ngày ký ban hành đến hết ngày 31/12/2027.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
a) Là cơ quan thường trực, chủ trì tổ chức triển khai Kế hoạch.
b) Lắp đặt mốc cảnh báo sạt lở tại các điểm xung yếu, hoàn thành trước ngày 30/6/2026.
2. Sở Xây dựng
a) Thẩm định thiết kế các công trình kè chống sạt lở theo thẩm quyền.
b) Phối hợp với Sở Nông nghiệp và Môi trường rà soát quy hoạch khu dân cư ven sông.
3. Trung tâm Quan trắc tỉnh
a) Quan trắc diễn biến lòng sông tại các điểm xung yếu.
b) Tổng hợp số liệu quan trắc, báo cáo Sở Nông nghiệp và Môi trường trước ngày 08 hằng tháng.
4. UBND các xã, phường, đặc khu ven sông
a) Di dời các hộ dân ra khỏi vùng nguy hiểm trước mùa mưa lũ.
b) Cắm biển cảnh báo tại các điểm sạt lở.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lê Văn Hòa

Phụ lục I
DANH MỤC NHIỆM VỤ PHÒNG, CHỐNG SẠT LỞ BỜ SÔNG
(Kèm theo Kế hoạch số 41/KH-UBND ngày 12/02/2026 của UBND tỉnh Quảng Ngãi)

STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành
1 | Thẩm định thiết kế công trình kè chống sạt lở | Sở Xây dựng | Sở Nông nghiệp và Môi trường | Quý II/2026
2 | Lắp đặt mốc cảnh báo sạt lở | Sở Nông nghiệp và Môi trường | UBND các xã, phường | Tháng 6/2026
"""

CAO_BANG = """ỦY BAN NHÂN DÂN
TỈNH CAO BẰNG
Số: 77/KH-UBND
Cao Bằng, ngày 03 tháng 3 năm 2026
KẾ HOẠCH
Quan trắc chất lượng nước mặt tỉnh Cao Bằng năm 2026
Căn cứ Luật Bảo vệ môi trường ngày 17 tháng 11 năm 2020;
I. TỔ CHỨC THỰC HIỆN
1. Trung tâm Quan trắc tỉnh
a) Quan trắc chất lượng nước mặt tại các điểm quan trắc định kỳ.
b) Tổng hợp số liệu quan trắc, báo cáo Sở Nông nghiệp và Môi trường trước ngày 25 hằng tháng.
Nơi nhận:
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Minh Tâm
"""

DAK_NONG = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK NÔNG
Số: 315/KH-UBND
Đắk Nông, ngày 09 tháng 4 năm 2026
KẾ HOẠCH
Triển khai Quyết định số 88/QĐ-TTg ngày 15 tháng 01 năm 2026 của Thủ tướng Chính phủ về đề án
số hóa hồ sơ đất đai trên địa bàn tỉnh Đắk Nông
Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;
I. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
a) Chủ trì số hóa hồ sơ địa chính, hoàn thành trước ngày 30/11/2026.
Nơi nhận:
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Phạm Quốc Bảo
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("data"), llm="none")
    app = build_app(settings, store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    report = app.ingestor.ingest_texts({"quang-ngai-2026.txt": QUANG_NGAI, "cao-bang-2026.txt": CAO_BANG,
                                        "dak-nong-2026.txt": DAK_NONG},
                                       progress=False)
    assert not report.errors
    return app


def test_a_list_prefers_the_bodys_own_item_to_an_appendix_row_it_leads(app):
    answer = app.assistant.ask("Sở Xây dựng có những nhiệm vụ gì theo kế hoạch phòng, chống sạt lở bờ sông Quảng Ngãi?")
    assert not answer.abstained
    sections = [c.section for c in answer.citations]
    assert sections[0] == "III.2"  # its own item first; the row it leads may follow, never another's item
    assert "III.1" not in sections
    tasks = [line for line in answer.answer.split("\n") if line.startswith("- ")]
    assert "Thẩm định thiết kế các công trình kè" in tasks[0]
    assert "rà soát quy hoạch khu dân cư ven sông" in tasks[1]


def test_a_body_written_as_its_items_heading_gets_its_list(app):
    answer = app.assistant.ask("UBND các xã, phường, đặc khu ven sông phải làm gì trong kế hoạch sạt lở bờ sông Quảng Ngãi?")
    assert not answer.abstained
    assert [c.section for c in answer.citations][0] == "III.4"
    assert "Di dời các hộ dân" in answer.answer and "Cắm biển cảnh báo" in answer.answer


def test_a_question_about_one_task_is_not_answered_with_the_whole_list(app):
    answer = app.assistant.ask("Sở Nông nghiệp và Môi trường lắp đặt mốc cảnh báo sạt lở trước ngày nào ở Quảng Ngãi?")
    assert "30/6/2026" in answer.answer
    assert "cơ quan thường trực" not in answer.answer


def test_the_period_the_body_states_is_the_answer_cited_where_stated(app):
    answer = app.assistant.ask("Kế hoạch phòng, chống sạt lở bờ sông của Quảng Ngãi kéo dài trong thời gian nào?")
    assert not answer.abstained
    assert "31/12/2027" in answer.answer
    sections = [c.section for c in answer.citations]
    assert sections[0] == "II.1"
    assert "preamble" in sections  # the title's years, cited on the title


def test_the_period_from_the_title_when_the_body_states_none(app):
    answer = app.assistant.ask("Kế hoạch quan trắc chất lượng nước mặt Cao Bằng được thực hiện trong giai đoạn nào?")
    assert not answer.abstained
    assert "2026" in answer.answer
    assert [c.section for c in answer.citations] == ["preamble"]


def test_a_turn_naming_no_plan_nor_body_leans_on_the_previous_one(app):
    history = ["Ở Quảng Ngãi, Trung tâm Quan trắc tỉnh báo cáo số liệu quan trắc cho ai?"]
    answer = app.assistant.ask("Hạn nộp hằng tháng là trước ngày mấy?", history=history)
    assert not answer.abstained
    assert "ngày 08 hằng tháng" in answer.answer and "ngày 25" not in answer.answer
    assert {c.source for c in answer.citations} == {"quang-ngai-2026.txt"}


def test_a_number_the_plans_title_holds_names_the_plan_not_another_document(app):
    answer = app.assistant.ask("Kế hoạch triển khai Quyết định 88/QĐ-TTg của Đắk Nông có số hiệu gì, ai ký?")
    assert not answer.abstained
    assert "315/KH-UBND" in answer.answer and "Phạm Quốc Bảo" in answer.answer


@pytest.mark.parametrize(("question", "leans"), [
    ("Hạn nộp hằng tháng là trước ngày mấy?", True),  # names neither a plan nor a body
    ("Thế còn Sở Văn hóa, Thể thao và Du lịch thì phải làm gì?", True),  # a follow-up by its words
    ("Cơ quan đó phải báo cáo Bộ nào?", True),
    ("Sở Y tế tỉnh Quảng Ngãi phải báo cáo định kỳ cho ai và trước ngày nào trong năm 2026?", False),
    ("Theo kế hoạch quan trắc nước mặt Cao Bằng năm 2026, Trung tâm Quan trắc tỉnh phải làm gì?", False),
])
def test_which_turns_lean_on_the_conversation(question, leans):
    assert leans_on_previous(analyze(question)) is leans


@pytest.mark.parametrize(("token", "variant"), [
    ("chung", True),   # "chủng" OCR'd "ching"
    ("rong", True),    # "rộng" OCR'd "reng"
    ("mo", False),     # too short to tell a misreading from another word
    ("phong", False),  # three letters apart: another word
    ("tiem", False),   # an exact title word is matched before, never as a variant of itself
])
def test_a_title_word_misread_by_one_letter(token, variant):
    from rag.answers.duty import _ocr_variant
    assert _ocr_variant(token, {"ching", "reng", "me", "tiem", "chung"} - {token}) is variant
