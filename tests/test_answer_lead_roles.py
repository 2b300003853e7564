"""Who leads a task, wherever the genre states it (issue 21): a point headed by its body
("b) Đề nghị Công an tỉnh:" over "- Chủ trì điều tra …"), the implementation part naming the point
by reference ("Chủ trì thực hiện nhiệm vụ tại điểm c khoản 2.2 mục 2"), and a premise the question
asks to confirm ("Sở X chủ trì … đúng không?") that the plan gives to another body: "Không", with
the body it does give it to. The plan is invented, numbered by Arabic parts as many provincial
plans are; the expected answers are worked out by hand from its text."""

from __future__ import annotations

import pytest

from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN
TỈNH NAM HÀ
Số: 31/KH-UBND
Nam Hà, ngày 05 tháng 3 năm 2026
KẾ HOẠCH
Phòng, chống mua bán người trên địa bàn tỉnh Nam Hà năm 2026
1. MỤC ĐÍCH, YÊU CẦU
1.1. Mục đích
- Kiềm chế, làm giảm tội phạm mua bán người.
2. NHIỆM VỤ TRỌNG TÂM
2.1. Công tác truyền thông
a) Đưa nội dung phòng, chống mua bán người vào hoạt động ngoại khóa của các trường trung học.
b) Tuyên truyền trên hệ thống thông tin cơ sở về thủ đoạn lừa đảo việc nhẹ lương cao.
2.2. Công tác đấu tranh, xử lý tội phạm
a) Rà soát, lập danh sách đối tượng nghi vấn ở các huyện miền núi; hoàn thành trong quý II/2026.
b) Đề nghị Viện Kiểm sát nhân dân tỉnh:
- Chủ trì kiểm sát việc giải quyết tin báo về tội phạm mua bán người.
- Phối hợp với Công an tỉnh trao đổi thông tin về các vụ án có yếu tố nước ngoài.
c) Kiểm soát chặt chẽ người, phương tiện qua cửa khẩu quốc tế, các đường mòn, lối mở biên giới.
3. TỔ CHỨC THỰC HIỆN
3.1. Giao Công an tỉnh
- Chủ trì thực hiện nhiệm vụ tại điểm a khoản 2.2 mục 2; tổng hợp kết quả, báo cáo UBND tỉnh.
3.2. Giao Bộ Chỉ huy Bộ đội Biên phòng tỉnh
- Chủ trì thực hiện nhiệm vụ tại điểm c khoản 2.2 mục 2; phối hợp với Công an tỉnh đấu tranh với các đường dây mua bán người qua biên giới.
3.3. Giao Sở Giáo dục và Đào tạo
- Chủ trì thực hiện điểm a khoản 2.1 mục 2.
- Phối hợp với Tỉnh Đoàn tổ chức cuộc thi tìm hiểu về phòng, chống mua bán người cho học sinh.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn An
"""

SOURCE = "nam-ha-2026-mua-ban-nguoi.txt"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {SOURCE: PLAN})


def test_a_point_headed_by_its_body_names_the_lead_of_its_dashes(app):
    answer = app.assistant.ask("Ai chủ trì kiểm sát việc giải quyết tin báo về tội phạm mua bán người ở Nam Hà?")
    assert not answer.abstained
    assert "Viện Kiểm sát nhân dân tỉnh" in answer.answer
    assert answer.citations[0].section == "2.2.b"


def test_a_point_headed_by_its_body_lists_each_of_its_dashes_as_a_task(app):
    answer = app.assistant.ask("Viện Kiểm sát nhân dân tỉnh Nam Hà phải làm những việc gì?")
    assert not answer.abstained
    tasks = [line for line in answer.answer.split("\n") if line.startswith("- ")]
    # the point's heading names the body: its two dashes are the tasks, not the heading
    assert len(tasks) == 2
    assert tasks[0].startswith("- Chủ trì kiểm sát") and tasks[1].startswith("- Phối hợp với Công an tỉnh")
    assert [c.section for c in answer.citations] == ["2.2.b"]


def test_a_lead_given_by_reference_in_the_implementation_part(app):
    answer = app.assistant.ask(
        "Việc kiểm soát người, phương tiện qua cửa khẩu quốc tế do cơ quan nào chủ trì theo kế hoạch của Nam Hà?")
    assert not answer.abstained
    assert "Bộ Chỉ huy Bộ đội Biên phòng tỉnh" in answer.answer
    # the point and the line that gives it its lead, each cited once; not item 3.1, which names
    # another point of the same item
    assert [c.section for c in answer.citations] == ["2.2.c", "3.2"]
    assert "Công an tỉnh;" not in answer.answer


@pytest.mark.parametrize(("question", "lead", "section"), [
    ("Công an tỉnh chủ trì kiểm soát người, phương tiện qua cửa khẩu quốc tế ở Nam Hà đúng không?",
     "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "2.2.c"),
    # a body the plan never names: the task is the plan's, so the answer is still "no"
    ("Sở Tư pháp Nam Hà chủ trì kiểm sát việc giải quyết tin báo về tội phạm mua bán người phải không?",
     "Viện Kiểm sát nhân dân tỉnh", "2.2.b"),
])
def test_a_premise_the_plan_contradicts_is_answered_no_with_the_lead(app, question, lead, section):
    answer = app.assistant.ask(question)
    assert not answer.abstained
    assert answer.answer.startswith("Không")
    assert lead in answer.answer.split("\n")[0].split(". Theo")[0]  # named in the correction itself
    assert answer.citations[0].section == section


def test_a_premise_about_a_task_the_plan_does_not_have_is_declined(app):
    answer = app.assistant.ask("Sở Tư pháp Nam Hà chủ trì cấp phép xây dựng nhà ở xã hội đúng không?")
    assert answer.abstained


def test_a_listed_task_given_by_reference_is_told_with_what_the_point_says(app):
    answer = app.assistant.ask("Sở Giáo dục và Đào tạo Nam Hà được giao những nhiệm vụ gì?")
    assert not answer.abstained
    tasks = [line for line in answer.answer.split("\n") if line.startswith("- ")]
    assert len(tasks) == 2
    assert "ngoại khóa" in tasks[0] and "cuộc thi tìm hiểu" in tasks[1]
    assert [c.section for c in answer.citations] == ["3.3", "2.1.a"]
    assert len({c.section for c in answer.citations}) == len(answer.citations)


@pytest.mark.parametrize(("text", "name"), [
    ("Trung tâm Dịch vụ việc làm tỉnh Bạc Liêu phải làm những việc gì?", "Trung tâm Dịch vụ việc làm tỉnh"),
    ("a) Trung tâm Dịch vụ việc làm tỉnh chủ trì tư vấn", "Trung tâm Dịch vụ việc làm tỉnh"),
    ("Phòng Lao động - Việc làm - Giáo dục nghề nghiệp chủ trì", "Phòng Lao động - Việc làm - Giáo dục nghề nghiệp"),
    ("Phòng Việc làm - An toàn lao động làm đầu mối", "Phòng Việc làm - An toàn lao động"),  # the verb still ends it
])
def test_viec_lam_is_a_noun_inside_a_bodys_name(text, name):
    from lang.agencies import find_bodies

    assert [m.name for m in find_bodies(text)] == [name]
