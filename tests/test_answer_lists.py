"""List answers (issue 21): "what must body X do?" gives every task of every item that gives X
work (its own item and an item delegating to it), each task whole (its sentences across wrapped
lines), one line each, each item cited once. The plan is invented, in the Decree 30/2020 layout of
a plan issued by a Sở, wrapped at 72 columns like a typed plan; the expected answers are worked
out by hand from its text."""

from __future__ import annotations

import re

import pytest

from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN TỈNH NAM HÀ
SỞ Y TẾ
Số: 18/KH-SYT
Nam Hà, ngày 02 tháng 3 năm 2026
KẾ HOẠCH
Phòng, chống bệnh tay chân miệng tỉnh Nam Hà năm 2026
I. MỤC TIÊU
1. Giảm 10% số ca mắc so với năm 2025.
II. TỔ CHỨC THỰC HIỆN
1. Trung tâm Kiểm soát bệnh tật tỉnh
a) Là đơn vị đầu mối, chủ trì tham mưu Sở Y tế tổ chức triển khai Kế hoạch;
hướng dẫn chuyên môn cho các trạm y tế xã, phường.
b) Chủ trì giám sát dịch tễ tại trường mầm non; hoàn thành tập huấn
trước ngày 30/4/2026.
c) Tổng hợp tình hình dịch, báo cáo Sở Y tế trước ngày 20 hằng tháng.
Báo cáo năm gửi Sở Y tế trước ngày 05/12/2026.
2. Bệnh viện Đa khoa tỉnh
a) Bố trí khu điều trị riêng cho bệnh nhi nặng.
3. Sở Y tế chỉ đạo Trung tâm Kiểm soát bệnh tật tỉnh chủ trì, phối hợp với
Bệnh viện Đa khoa tỉnh tổ chức diễn tập đáp ứng ổ dịch, báo cáo Sở Y tế
trước ngày 15/6/2026.
III. KINH PHÍ
1. Tổng kinh phí thực hiện Kế hoạch là 900 triệu đồng từ ngân sách nhà nước, trong đó:
a) Ngân sách tỉnh: 600 triệu đồng.
b) Ngân sách cấp xã: 300 triệu đồng.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Trần Thị Lan
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"nam-ha-2026.txt": PLAN})


def test_every_task_of_every_item_giving_the_body_work_whole_and_cited_once(app):
    answer = app.assistant.ask("Trung tâm Kiểm soát bệnh tật tỉnh Nam Hà phải làm những việc gì?")
    assert not answer.abstained
    lines = answer.answer.split("\n")
    tasks = [line for line in lines if line.startswith("- ")]
    assert len(tasks) == 4  # a), b), c) of its own item and the delegation in item 3
    # whole tasks: wrapped lines joined, and the second sentence of c) kept
    assert "các trạm y tế xã, phường." in tasks[0]
    assert "trước ngày 30/4/2026" in tasks[1]
    assert "20 hằng tháng" in tasks[2] and "05/12/2026" in tasks[2]
    assert "15/6/2026" in tasks[3]
    # one citation per item, each quoting the plan verbatim
    assert [c.section for c in answer.citations] == ["II.1", "II.3"]
    assert all(c.quote in " ".join(PLAN.split()) for c in answer.citations)
    assert sorted(int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)) == [1, 2]


def test_the_llm_reads_every_task_of_a_list_cited_once(app):
    evidence = app.assistant.llm_evidence("Trung tâm Kiểm soát bệnh tật tỉnh Nam Hà phải làm những việc gì?")
    for fact in ("đầu mối", "30/4/2026", "05/12/2026", "15/6/2026"):
        assert fact in evidence


def test_a_question_asking_the_whole_and_a_part_gets_the_lead_in_and_the_point(app):
    answer = app.assistant.ask("Tổng kinh phí kế hoạch của tỉnh Nam Hà là bao nhiêu, ngân sách tỉnh chiếm bao nhiêu?")
    assert "900 triệu đồng" in answer.answer and "600 triệu đồng" in answer.answer
    assert [c.section for c in answer.citations] == ["III.1", "III.1.a"]
