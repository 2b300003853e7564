"""The frequency of an activity that is no report (blind cause 5, s35): "Ban Chỉ đạo giao ban bao
lâu một lần?" is answered by the rate of the "giao ban", not by the plan's reporting regime;
"ít nhất 03 lần mỗi tuần", "2 lần/tháng" and "24/7" are rates, "chi thường xuyên" (a kind of
spending) and the date "ngày 24/7" are not. The plan is invented, in the Decree 30/2020 layout."""

from __future__ import annotations

import pytest

from rag.slots import asked_activity, filled
from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN
TỈNH LAM SƠN
Số: 34/KH-UBND
Lam Sơn, ngày 20 tháng 01 năm 2026
KẾ HOẠCH
Bảo đảm trật tự an toàn giao thông tỉnh Lam Sơn năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Giảm tai nạn giao thông trên cả ba tiêu chí.
II. NHIỆM VỤ
1. Công tác chỉ đạo
a) Ban An toàn giao thông tỉnh họp giao ban định kỳ hằng tháng để đánh giá tình hình.
b) Đội tuần tra liên ngành tuần tra ít nhất 03 lần mỗi tuần trên quốc lộ 1A.
2. Hạ tầng
- Duy trì cổng thông tin phản ánh về an toàn giao thông hoạt động 24/7.
III. KINH PHÍ
Kinh phí từ nguồn chi thường xuyên của ngân sách tỉnh.
IV. TỔ CHỨC THỰC HIỆN
1. Công an tỉnh
- Chủ trì Đội tuần tra liên ngành; tổng hợp kết quả, báo cáo Ban An toàn giao thông tỉnh định kỳ 6 tháng trước ngày 15/6/2026.
2. Ban An toàn giao thông tỉnh
- Tổng hợp, báo cáo Ủy ban nhân dân tỉnh hằng quý trước ngày 20 của tháng cuối quý.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lê Văn Hòa
"""


@pytest.mark.parametrize(("question", "activity"), [
    ("Ban Chỉ đạo giao ban bao lâu một lần?", "giao_ban"),
    ("tổ liên ngành kiểm tra mấy lần/tuần", "kiem_tra"),
    ("Sở Y tế báo cáo định kỳ nào?", "bao_cao"),
    ("Hội nghị sơ kết được tổ chức theo định kỳ nào?", "so_ket"),
    ("Cổng thông tin được vận hành theo chế độ thời gian nào?", "van_hanh"),
    ("Ai chủ trì giao ban?", None),  # no rate asked
    # the frequency noun first, the activity after it, its owner last
    ("Tần suất kiểm tra của Tổ liên ngành là bao nhiêu?", "kiem_tra"),
    ("tần suất giao ban của Ban Chỉ đạo thế nào?", "giao_ban"),
    ("Tần suất tuần tra, canh gác lửa rừng trong mùa khô?", "tuan_tra"),
    ("Tần suất báo cáo là gì?", None),  # one word: the report's own rate, read as before
])
def test_the_activity_whose_rate_is_asked(question: str, activity: str | None) -> None:
    assert asked_activity(question) == activity


@pytest.mark.parametrize(("text", "rate"), [
    ("Tổ liên ngành kiểm tra ít nhất 02 lần mỗi tuần", True),
    ("kiểm tra 2 lần/tháng", True),
    ("vận hành hệ thống 24/7", True),
    ("giao ban định kỳ hằng tháng", True),
    ("báo cáo trước ngày 24/7/2026", False),
    ("tổ chức vào ngày 24/7", False),
    ("Kinh phí từ nguồn chi thường xuyên của ngân sách tỉnh", False),
    # "hoàn thành" is the task's verb or its deadline's label, never a rate
    ("Hoàn thành bổ sung, điều chỉnh quy hoạch vùng nguyên liệu", False),
    ("Thời gian hoàn thành: Quý III/2026", False),
    ("- Thời hạn hoàn thành: trước ngày 30/6/2025", False),
    ("Tổ chức đoàn kiểm tra hằng quý, hoàn thành báo cáo trước ngày 15/12", True),
])
def test_what_states_a_rate(text: str, rate: bool) -> None:
    assert filled("frequency", text) is rate


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"lam-son-2026-an-toan-giao-thong.txt": PLAN})


@pytest.mark.parametrize(("question", "fact", "section"), [
    ("Ban An toàn giao thông tỉnh Lam Sơn giao ban bao lâu một lần?", "hằng tháng", "II.1.a"),
    ("Đội tuần tra liên ngành ở Lam Sơn tuần tra mấy lần mỗi tuần?", "03 lần mỗi tuần", "II.1.b"),
    ("Cổng thông tin phản ánh về an toàn giao thông Lam Sơn hoạt động theo chế độ thời gian nào?", "24/7", "II.2"),
])
def test_the_rate_of_the_activity_asked_not_of_the_reports(app, question: str, fact: str, section: str) -> None:
    answer = app.assistant.ask(question)
    assert not answer.abstained
    assert fact in answer.answer
    assert answer.citations[0].section == section
