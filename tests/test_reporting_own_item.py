"""Reporting answers (issue 21): a steering committee's plan gives each body an item of its own
("3. Cơ quan thường trực Ban Chỉ đạo (Sở X)"); a question about that body's report ("Cơ quan thường
trực … tổng hợp báo cáo gửi ai?") is answered with a line of its item, not with another body's line
that only names it as the recipient ("… gửi Cơ quan thường trực Ban Chỉ đạo tỉnh để tổng hợp").
The plan is invented in the Decree 30/2020 layout (another province and topic than the plans
tuned on); expected answers worked out by hand."""

from __future__ import annotations

import pytest

from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN
TỈNH SƠN NAM
Số: 57/KH-BCĐ
Sơn Nam, ngày 12 tháng 2 năm 2026
KẾ HOẠCH
Hoạt động của Ban Chỉ đạo chuyển đổi số tỉnh Sơn Nam năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Đẩy mạnh chuyển đổi số trong các cơ quan nhà nước của tỉnh.
II. NHIỆM VỤ
1. Hoàn thiện nền tảng dữ liệu dùng chung của tỉnh.
III. PHÂN CÔNG NHIỆM VỤ
1. Trưởng ban Ban Chỉ đạo (Chủ tịch UBND tỉnh)
- Chỉ đạo chung hoạt động của Ban Chỉ đạo.
2. Các thành viên Ban Chỉ đạo
- Theo dõi, chỉ đạo chuyển đổi số theo lĩnh vực được phân công.
3. Cơ quan thường trực Ban Chỉ đạo (Sở Khoa học và Công nghệ)
a) Hướng dẫn các huyện xây dựng kế hoạch chuyển đổi số năm 2026.
b) Tổng hợp báo cáo của các thành viên và các huyện, báo cáo Trưởng ban Ban Chỉ đạo và Ủy ban nhân dân tỉnh trước ngày 25 hằng tháng.
4. Ban Chỉ đạo chuyển đổi số các huyện, thị xã
- Báo cáo kết quả chuyển đổi số hằng quý, gửi Cơ quan thường trực Ban Chỉ đạo tỉnh (Sở Khoa học và Công nghệ) để tổng hợp, báo cáo Ủy ban nhân dân tỉnh.
IV. CHẾ ĐỘ BÁO CÁO
1. Báo cáo quý: Ban Chỉ đạo các huyện, thị xã gửi Cơ quan thường trực Ban Chỉ đạo tỉnh trước ngày 15 của tháng cuối quý.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. BAN CHỈ ĐẠO
TRƯỞNG BAN
Lê Văn Hùng
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"son-nam-2026-chuyen-doi-so.txt": PLAN})


@pytest.mark.parametrize("question", [
    "Cơ quan thường trực Ban Chỉ đạo chuyển đổi số tỉnh Sơn Nam tổng hợp báo cáo gửi ai?",
    "Theo kế hoạch chuyển đổi số của Sơn Nam, cơ quan thường trực BCĐ báo cáo cho ai, hạn khi nào?",
])
def test_the_line_of_the_body_whose_item_it_is_answers(app, question):
    answer = app.assistant.ask(question)
    assert not answer.abstained, answer.answer
    assert answer.citations[0].section == "III.3.b", answer.answer
    assert "25 hằng tháng" in answer.answer


def test_a_line_that_only_names_the_body_as_recipient_answers_for_its_sender(app):
    # the county committees' line, not the standing body's
    answer = app.assistant.ask("Theo kế hoạch chuyển đổi số của Sơn Nam, Ban Chỉ đạo chuyển đổi số các huyện "
                               "gửi báo cáo về đâu?")
    assert not answer.abstained, answer.answer
    assert answer.citations[0].section in ("III.4", "IV.1"), answer.answer
