"""Reporting answers (issues 21, 23): a general question ("ai báo cáo cho ai, hạn khi nào?") is
answered with the plan's reporting lines, the one to the issuer first, then those to central
bodies, then the delegated ones, each cited; a line whose reporters the item's heading names (a
point "b) Hằng năm báo cáo …" under "1. Các sở, ngành") answers a question about those bodies
even though the sentence alone does not name them. The plan is invented in the Decree 30/2020
layout (another province and topic than the plans tuned on); expected answers worked out by hand."""

from __future__ import annotations

import pytest

from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN
TỈNH HÀ BẮC
Số: 412/KH-UBND
Hà Bắc, ngày 10 tháng 3 năm 2026
KẾ HOẠCH
Phát triển du lịch cộng đồng tỉnh Hà Bắc năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Phát huy giá trị văn hóa của các làng nghề truyền thống.
II. NHIỆM VỤ
1. Xây dựng sản phẩm du lịch cộng đồng gắn với làng nghề.
III. TỔ CHỨC THỰC HIỆN
1. Sở Văn hóa, Thể thao và Du lịch
a) Chủ trì, hướng dẫn các xã xây dựng sản phẩm du lịch cộng đồng.
b) Tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 20/12/2026.
2. Sở Tài chính
a) Bố trí kinh phí thực hiện Kế hoạch.
b) Báo cáo Bộ Tài chính kết quả giải ngân trước ngày 30/11/2026.
3. Các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường
a) Phối hợp triển khai các nhiệm vụ được giao.
b) Định kỳ 6 tháng (trước ngày 15/6) gửi báo cáo về Sở Văn hóa, Thể thao và Du lịch để tổng hợp.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Trần Văn Bình
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"ha-bac-2026-du-lich.txt": PLAN})


@pytest.mark.parametrize("question", [
    "Theo kế hoạch du lịch cộng đồng của Hà Bắc, ai báo cáo cho ai, hạn khi nào?",
    "Kế hoạch phát triển du lịch cộng đồng tỉnh Hà Bắc năm 2026: ai báo cáo ai và trước ngày nào?",
])
def test_a_general_question_lists_every_line_main_one_first(app, question):
    answer = app.assistant.ask(question)
    assert not answer.abstained, answer.answer
    sections = [c.section for c in answer.citations]
    # to the issuer first, then the ministry, then the delegated one
    assert sections == ["III.1.b", "III.2.b", "III.3.b"], answer.answer
    assert answer.answer.index("20/12/2026") < answer.answer.index("30/11/2026") < answer.answer.index("15/6")


def test_a_line_whose_reporters_only_the_heading_names_answers_for_them(app):
    answer = app.assistant.ask("KH 412 của Hà Bắc về du lịch cộng đồng: các sở ngành và UBND xã phường "
                               "gửi báo cáo về đâu, định kỳ ra sao?")
    assert not answer.abstained, answer.answer
    assert answer.citations[0].section == "III.3.b", answer.answer
    assert "15/6" in answer.answer


def test_a_question_about_a_body_the_plan_gives_no_line_is_not_answered_with_another_line(app):
    answer = app.assistant.ask("Theo kế hoạch du lịch cộng đồng của Hà Bắc, Công an tỉnh báo cáo về đâu?")
    assert "Công an tỉnh" not in " ".join(c.quote for c in answer.citations)
    assert not any(c.section in ("III.1.b", "III.2.b") for c in answer.citations) or answer.abstained
