"""List answers (issue 21): an agency item whose heading assigns work in its own sentence
("2. Giao Sở X chủ trì …; phối hợp …:", then its points) gives the heading's task as the first
line of "what must X do?", before the points; a heading that only names the body ("3. Sở Tài
chính:", "1. Sở Nội vụ (cơ quan thường trực):") is no task. The plan is invented, in the Decree
30/2020 layout of a plan issued by a provincial People's Committee; the expected lines are worked
out by hand from its text."""

from __future__ import annotations

import pytest

from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN TỈNH BẮC LIÊU
Số: 44/KH-UBND
Bạc Liêu, ngày 10 tháng 2 năm 2026
KẾ HOẠCH
Phát triển giáo dục nghề nghiệp tỉnh Bạc Liêu năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng tỷ lệ lao động qua đào tạo nghề lên 70%.
II. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ (cơ quan thường trực):
+ Theo dõi, đôn đốc các cơ quan triển khai Kế hoạch.
+ Tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2026.
2. Giao Sở Công Thương chủ trì khảo sát nhu cầu tuyển dụng lao động của doanh nghiệp trong các cụm công nghiệp; phối hợp với các trường cao đẳng mở lớp đào tạo theo đơn đặt hàng:
+ Cung cấp danh sách doanh nghiệp có nhu cầu tuyển dụng trước ngày 30/4/2026.
+ Tổ chức 02 phiên giao dịch việc làm tại các cụm công nghiệp.
3. Sở Tài chính:
+ Thẩm định dự toán kinh phí đào tạo nghề cho lao động nông thôn.
4. Đề nghị Tỉnh đoàn Bạc Liêu tổ chức tư vấn hướng nghiệp cho đoàn viên thanh niên tại các xã ven biển trong tháng 5/2026.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Lê Văn Tâm
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"bac-lieu-2026.txt": PLAN})


@pytest.mark.parametrize(("question", "expected"), [
    # a run-in heading with points: its own task first, then each point
    ("Sở Công Thương Bạc Liêu có những nhiệm vụ gì?",
     ["khảo sát nhu cầu tuyển dụng lao động", "danh sách doanh nghiệp", "02 phiên giao dịch việc làm"]),
    # a heading that names the body with a parenthesis: only its points are tasks
    ("Sở Nội vụ phải làm những việc gì?", ["Theo dõi, đôn đốc", "Tổng hợp kết quả"]),
    # a bare heading "3. Sở Tài chính:": its one point
    ("Sở Tài chính được giao những việc gì?", ["Thẩm định dự toán"]),
])
def test_a_run_in_heading_is_the_items_first_task(app, question, expected):
    answer = app.assistant.ask(question)
    assert not answer.abstained
    tasks = [line for line in answer.answer.split("\n") if line.startswith("- ")]
    assert len(tasks) == len(expected), answer.answer
    for line, words in zip(tasks, expected, strict=True):
        assert words in line, answer.answer
    assert [c.section for c in answer.citations] == [answer.citations[0].section]
    # the heading told without its number nor its trailing colon
    assert not any(line.startswith("- 2.") or line.rstrip(" [1]").endswith(":") for line in tasks)


# a heading deeper in the plan that only lists the bodies it addresses ("2.3. Đề nghị X, Y", "… và
# các tổ chức … trực thuộc"): its dashes are their work, the heading itself no task
DEEP_PLAN = PLAN.replace("""4. Đề nghị Tỉnh đoàn""", """4. Các cơ quan ngoài tỉnh
4.1. Đề nghị Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh
- Phối hợp đẩy nhanh tiến độ xét xử các vụ án liên quan đến đào tạo nghề.
- Kiến nghị các cơ quan liên quan khắc phục sơ hở trong quản lý.
4.2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội trực thuộc
- Vận động đoàn viên, hội viên tham gia học nghề.
5. Đề nghị Tỉnh đoàn""")


@pytest.mark.parametrize(("question", "expected", "absent"), [
    ("Kế hoạch đề nghị Viện kiểm sát nhân dân tỉnh làm những gì?",
     ["xét xử các vụ án", "khắc phục sơ hở"], "Đề nghị Viện kiểm sát nhân dân tỉnh, Tòa án"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh được đề nghị làm gì?",
     ["Vận động đoàn viên, hội viên"], "trực thuộc"),
])
def test_a_heading_listing_bodies_gives_them_its_dashes(tmp_path, question, expected, absent):
    answer = offline_app(tmp_path, {"bac-lieu-2026-giao-duc-nghe-nghiep.txt": DEEP_PLAN}).assistant.ask(question)
    assert not answer.abstained
    assert all(fact in answer.answer for fact in expected), answer.answer
    assert absent not in answer.answer.split("\n", 1)[1], answer.answer
