"""A reader abbreviates a body the plan spells out by the initials of its name ("Chi cục QLTT" for
"Chi cục Quản lý thị trường thành phố", "PBGDPL" for "Phổ biến, giáo dục pháp luật"): the question
is then about that body, answered from its own item. The plans are invented, in the Decree 30/2020
layout, in other provinces and wordings than any eval plan."""

from __future__ import annotations

import pytest

from lang.abbreviations import spelled_acronyms
from rag.query_bodies import plan_acronyms
from tests.conftest import offline_app

LINES = [
    "2. Chi cục Trồng trọt và Bảo vệ thực vật tỉnh chủ trì điều tra sinh vật gây hại.",
    "3. Hội đồng Phổ biến, giáo dục pháp luật tỉnh theo dõi, đôn đốc.",
    "4. Ban Quản lý các khu công nghiệp phối hợp tuyên truyền An toàn, vệ sinh lao động.",
    "Các cơ quan quản lý thị trường báo cáo định kỳ.",  # lower case: no name the plan spells
]


@pytest.mark.parametrize(("question", "acronym", "words"), [
    ("Chi cục TT&BVTV phải làm gì?", "TT&BVTV", "Trồng trọt và Bảo vệ thực vật"),
    ("chi cục bvtv phải làm gì?", "bvtv", "Bảo vệ thực vật"),
    ("Hội đồng PBGDPL tỉnh làm gì?", "PBGDPL", "Phổ biến, giáo dục pháp luật"),
    ("Tháng hành động về ATVSLĐ do ai chủ trì?", "ATVSLĐ", "An toàn, vệ sinh lao động"),
])
def test_an_acronym_is_the_name_the_plan_spells(question, acronym, words):
    assert spelled_acronyms(question, LINES, lambda t: False) == {acronym: words}


@pytest.mark.parametrize("question", [
    "Chi cục QLTT phải làm gì?",  # the plan writes "quản lý thị trường" only as common words
    "Ai lập danh sách hộ?",  # words, no acronym
    "Sở TNMT báo cáo khi nào?",  # no name of the plan spelled by it
])
def test_no_spelling_no_acronym(question):
    assert spelled_acronyms(question, LINES, lambda t: False) == {}


def test_known_acronyms_and_document_symbols_stay():
    question = "UBND tỉnh giao gì theo KH 12/KH-BVTV cho tphcm?"
    assert plan_acronyms(question, LINES) == question


PLAN = """SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG
TỈNH HÀ GIANG
Số: 41/KH-SNNMT
Hà Giang, ngày 03 tháng 3 năm 2026
KẾ HOẠCH
Phòng, chống sinh vật gây hại cây trồng vụ Xuân năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Chủ động phòng, chống sinh vật gây hại, bảo vệ sản xuất vụ Xuân.
II. NHIỆM VỤ
1. Điều tra, phát hiện sinh vật gây hại trên lúa, ngô và cây ăn quả.
III. TỔ CHỨC THỰC HIỆN
1. Phòng Kế hoạch - Tài chính chủ trì, phối hợp với Chi cục Trồng trọt và Bảo vệ thực vật tổng hợp dự toán kinh phí, trình Giám đốc Sở trước ngày 31/3/2026.
2. Chi cục Trồng trọt và Bảo vệ thực vật
Xây dựng bản đồ phân bố sinh vật gây hại; hướng dẫn nông dân sử dụng thuốc đúng kỹ thuật; báo cáo kết quả về Sở trước ngày 25 của tháng cuối quý.
3. UBND các xã, phường chỉ đạo nông dân ra quân diệt chuột.
Nơi nhận:
- UBND tỉnh;
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Lò Văn Sáng
"""


def test_the_acronym_asks_the_bodys_own_item(tmp_path):
    app = offline_app(tmp_path, {"ha-giang-2026-sinh-vat-gay-hai.txt": PLAN})
    answer = app.assistant.ask("chi cục tt&bvtv phải làm gì theo kế hoạch phòng chống sinh vật gây hại?")
    assert not answer.abstained
    assert [c.section for c in answer.citations] == ["III.2"]
    assert "bản đồ phân bố" in answer.answer


def test_an_acronym_of_the_plans_title_names_the_plan():
    # every passage of the Hội đồng's own plan speaks of "phổ biến, giáo dục pháp luật"
    question = "Hội đồng PBGDPL tỉnh gửi báo cáo 6 tháng trước ngày nào?"
    title = "Kế hoạch hoạt động của Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh năm 2026"
    assert plan_acronyms(question, LINES, [title]) == question
    assert "Phổ biến, giáo dục pháp luật" in plan_acronyms(question, LINES, ["Kế hoạch cải cách hành chính"])
