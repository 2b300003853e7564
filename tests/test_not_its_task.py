"""A body the plan names but never gives the task asked (issue 21): it only cooperates in
another body's item ("phối hợp với Hội Chữ thập đỏ tỉnh …"), stands in a table row's partner
column, receives the report, or is named in another item. The answer declines and says where the
plan does name it; a question about its part beside another body, or a task it is given, stays
answered. The plan is invented, in the Decree 30/2020 layout (a body's item, an appendix table)."""

from __future__ import annotations

import pytest

from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN
TỈNH VÂN SƠN
Số: 58/KH-UBND
Vân Sơn, ngày 03 tháng 02 năm 2026
KẾ HOẠCH
Phòng, chống thiên tai và tìm kiếm cứu nạn tỉnh Vân Sơn năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Chủ động ứng phó với thiên tai, giảm thiểu thiệt hại về người và tài sản.
II. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
a) Chủ trì tổ chức diễn tập ứng phó lũ quét tại các huyện miền núi, hoàn thành trước ngày 30/6/2026.
b) Phối hợp với Hội Chữ thập đỏ tỉnh tập huấn kỹ năng sơ cấp cứu cho lực lượng xung kích trong quý II/2026.
c) Tổng hợp kết quả diễn tập, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/7/2026.
2. Hội Liên hiệp Phụ nữ tỉnh
a) Tuyên truyền kỹ năng phòng tránh thiên tai cho hội viên phụ nữ trong năm 2026.
3. Sở Tài chính
a) Bố trí kinh phí diễn tập trong dự toán năm 2026.
PHỤ LỤC I
DANH MỤC NHIỆM VỤ
TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành
1 | Kiểm tra hệ thống đê điều trước mùa mưa bão | Sở Nông nghiệp và Môi trường | Sở Xây dựng | Tháng 4/2026
2 | Báo cáo nhanh thiệt hại do thiên tai gửi Sở Nông nghiệp và Môi trường | UBND các huyện | Công an tỉnh | Trong vòng 24 giờ
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Minh Quang
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"van-son-2026-thien-tai.txt": PLAN})


CASES = [
    # (question, declined, text the answer must hold)
    # only cooperating in another body's point: declined, the plan's mention of it shown
    ("Hội Chữ thập đỏ tỉnh Vân Sơn phải tập huấn sơ cấp cứu cho lực lượng xung kích trước ngày nào?", True,
     "Hội Chữ thập đỏ tỉnh"),
    # named in another item, never given the row's task: declined
    ("Hội Liên hiệp Phụ nữ tỉnh Vân Sơn phải kiểm tra hệ thống đê điều trước ngày nào?", True,
     "Hội Liên hiệp Phụ nữ tỉnh"),
    # the one the report goes to is not the one asked to send it
    ("hạn sở tài chính vân sơn gửi báo cáo nhanh thiệt hại do thiên tai về sở nông nghiệp và môi trường là khi nào",
     True, "Sở Tài chính"),
    # the body's own point, and the body that acts in the row: answered
    ("Sở Nông nghiệp và Môi trường tỉnh Vân Sơn phải hoàn thành diễn tập ứng phó lũ quét trước ngày nào?", False,
     "30/6/2026"),
    ("UBND các huyện gửi báo cáo nhanh thiệt hại do thiên tai trong thời hạn nào?", False, "24 giờ"),
    ("Hội Liên hiệp Phụ nữ tỉnh Vân Sơn có nhiệm vụ gì?", False, "hội viên phụ nữ"),
    # its part beside another body is what is asked: the partner's mention answers
    ("Hội Chữ thập đỏ tỉnh phối hợp tập huấn kỹ năng gì cho lực lượng xung kích?", False, "sơ cấp cứu"),
    # the body that issues the plan names the plan, it is not asked to act
    ("Theo kế hoạch của Sở Nông nghiệp và Môi trường Vân Sơn, Hội Liên hiệp Phụ nữ tỉnh tuyên truyền cho ai?",
     False, "hội viên phụ nữ"),
]


@pytest.mark.parametrize(("question", "declined", "held"), CASES)
def test_a_body_the_plan_names_but_not_for_the_task_asked(app, question, declined, held):
    answer = app.assistant.ask(question)
    assert answer.abstained is declined, answer.answer
    assert held in answer.answer
    if declined:
        assert answer.citations  # the refusal shows where the plan names the body, or comes nearest
