"""Which item answers a question that names a task: the point that states the task and its bodies,
not a line that only shares the task's words or the body (rag/answers/reader.py task_units)."""

from __future__ import annotations

import pytest

from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ
Số: 41/KH-UBND
KẾ HOẠCH
Chuyển đổi số trong sản xuất nông nghiệp tỉnh Quảng Trị năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Đẩy mạnh ứng dụng công nghệ số trong trồng trọt, chăn nuôi và thủy sản.
2. Yêu cầu
Các nhiệm vụ được triển khai đồng bộ, đúng tiến độ.
II. NHIỆM VỤ, GIẢI PHÁP
1. Hoàn thiện thể chế
a) Rà soát các quy định hiện hành, đề xuất Ủy ban nhân dân tỉnh ban hành Quy định quản lý nhật ký canh tác điện tử trên địa bàn tỉnh; hoàn thành trước ngày 30/9/2026. Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Sở Tư pháp, Sở Tài chính thực hiện.
b) Tổ chức tập huấn cho hợp tác xã về truy xuất nguồn gốc nông sản.
2. Hạ tầng dữ liệu
a) Xây dựng kho dữ liệu số về vùng trồng và cơ sở nuôi trồng thủy sản, kết nối với nền tảng dữ liệu dùng chung của tỉnh.
- Cơ quan chủ trì: Sở Nông nghiệp và Môi trường.
- Cơ quan phối hợp: Sở Xây dựng, Trung tâm Giám sát điều hành đô thị thông minh.
- Thời gian thực hiện: năm 2026–2027.
b) Phủ sóng Internet tại các vùng sản xuất tập trung.
3. Truyền thông
a) Phát sóng phóng sự về nông dân số trên kênh truyền hình của tỉnh, mỗi quý ít nhất 01 phóng sự.
+ Báo và Phát thanh, Truyền hình Quảng Trị đăng tải tin bài về mô hình nông nghiệp số trên chuyên trang điện tử, tại các điểm bưu điện văn hóa xã.
b) Tăng cường đăng tải tin bài về mô hình nông nghiệp số trên các phương tiện thông tin đại chúng, tại các điểm bưu điện văn hóa xã, hệ thống loa truyền thanh cơ sở.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường là cơ quan thường trực, chủ trì, phối hợp với các sở, ngành triển khai Kế hoạch.
2. Các sở, ngành khác:
- Sở Tư pháp: chủ trì thẩm định dự thảo Quy định quản lý nhật ký canh tác điện tử trước khi trình Ủy ban nhân dân tỉnh.
- Sở Tài chính: chủ trì tham mưu bố trí kinh phí thực hiện Kế hoạch.
3. Sở Xây dựng
Phối hợp với Sở Nông nghiệp và Môi trường xây dựng kho dữ liệu số về vùng trồng; hướng dẫn gắn mã địa chỉ số cho cơ sở nuôi trồng.
4. Sở Khoa học và Công nghệ
a) Phối hợp với Sở Nội vụ và các cơ quan liên quan tham mưu, đề xuất việc kiện toàn tổ chức bộ máy, nhân lực làm công tác chuyển đổi số nông nghiệp các cấp, đáp ứng yêu cầu nhiệm vụ theo quy định, quan tâm xây dựng chính sách thu hút đội ngũ chuyên gia công nghệ; thực hiện công tác đào tạo, bồi dưỡng, nâng cao năng lực, chuẩn hóa đội ngũ làm công tác chuyển đổi số đáp ứng yêu cầu triển khai theo cơ chế phối hợp liên ngành và Thông tư số 12/2025/TT-BKHCN ngày 10 tháng 3 năm 2025 của Bộ Khoa học và Công nghệ.
Nơi nhận:
- Như trên;
- Lưu: VT.
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"quang-tri-2026-nong-nghiep-so.txt": PLAN})


@pytest.mark.parametrize(("question", "section", "wanted"), [
    # the task's own point names its lead in a sentence after the task; the implementation line
    # shares the task's words but gives another body another task (appraising the draft)
    ("Cơ quan nào chủ trì xây dựng Quy định quản lý nhật ký canh tác điện tử của Quảng Trị?",
     "II.1.a", ["Sở Nông nghiệp và Môi trường"]),
    ("Khi xây dựng Quy định quản lý nhật ký canh tác điện tử, Sở Nông nghiệp và Môi trường phối hợp với những cơ quan nào?",
     "II.1.a", ["Sở Tư pháp", "Sở Tài chính"]),
    # the task's point gives its bodies in field lines; the item of the partner names the task too
    ("Xây dựng kho dữ liệu số về vùng trồng thì Sở Nông nghiệp và Môi trường phối hợp với những đơn vị nào?",
     "II.2.a", ["Sở Xây dựng", "Trung tâm Giám sát điều hành đô thị thông minh"]),
    # "ai …?" without a role word: the line naming who does it
    ("nong nghiep so quang tri: ai dang tai tin bai ve mo hinh nong nghiep so tai cac diem buu dien van hoa xa?",
     "II.3.a", ["Báo và Phát thanh, Truyền hình Quảng Trị"]),
])
def test_the_point_stating_the_task_answers(app, question, section, wanted):
    answer = app.assistant.ask(question)
    assert not answer.abstained, answer.answer
    assert answer.citations[0].section == section, answer.answer
    for name in wanted:
        assert name in answer.answer, answer.answer


def test_a_long_sentence_keeps_the_partner_named(app):
    answer = app.assistant.ask("Sở Khoa học và Công nghệ Quảng Trị phối hợp với sở nào để kiện toàn tổ chức bộ máy, "
                               "nhân lực làm công tác chuyển đổi số nông nghiệp?")
    assert answer.citations[0].section == "III.4.a", answer.answer
    assert "Phối hợp với Sở Nội vụ" in answer.citations[0].quote, answer.answer


LIST_PLAN = """ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN
Số: 77/KH-UBND
KẾ HOẠCH
Phát triển du lịch biển đảo tỉnh Phú Yên năm 2026
I. MỤC ĐÍCH, YÊU CẦU
Phát triển du lịch biển bền vững, an toàn.
II. NHIỆM VỤ, GIẢI PHÁP
1. Bảo đảm an toàn cho du khách
a) Bộ Chỉ huy Bộ đội Biên phòng tỉnh xây dựng phương án cứu hộ, cứu nạn tại các bãi tắm; tuần tra vào mùa cao điểm từ tháng 5 đến tháng 8.
b) Bộ Chỉ huy Bộ đội Biên phòng tỉnh định kỳ hằng quý, trước ngày 15 của tháng cuối quý, báo cáo tình hình an toàn vùng biển về Sở Văn hóa, Thể thao và Du lịch.
c) Các cơ sở lưu trú niêm yết nội quy an toàn tại nơi đón khách.
2. Quảng bá điểm đến
a) Xây dựng video quảng bá biển đảo Phú Yên bằng ba thứ tiếng.
III. TỔ CHỨC THỰC HIỆN
1. Sở Văn hóa, Thể thao và Du lịch
a) Chủ trì triển khai Kế hoạch; hướng dẫn, kiểm tra việc thực hiện.
b) Tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 20/12/2026.
2. Các sở, ngành khác:
- Sở Xây dựng: chủ trì rà soát quy hoạch các bãi tắm công cộng.
- Bộ Chỉ huy Bộ đội Biên phòng tỉnh: chủ trì kiểm tra an ninh vùng biển; phối hợp với Sở Y tế bố trí điểm sơ cứu.
- Sở Y tế: chủ trì bảo đảm y tế tại các lễ hội biển.
Nơi nhận:
- Như trên;
- Lưu: VT.
"""


@pytest.fixture(scope="module")
def list_app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"phu-yen-2026-du-lich-bien.txt": LIST_PLAN})


def test_a_body_s_list_gathers_its_points_wherever_the_plan_gives_them(list_app):
    answer = list_app.assistant.ask("Bộ Chỉ huy Bộ đội Biên phòng tỉnh Phú Yên phải làm gì?")
    assert not answer.abstained, answer.answer
    cited = [c.section for c in answer.citations]
    assert {"II.1.a", "II.1.b", "III.2"} <= set(cited), answer.answer
    assert cited.index("II.1.a") < cited.index("III.2"), answer.answer  # the plan's order
    # the shared item gives only the body's own line, not every body's
    assert "Sở Xây dựng: chủ trì rà soát" not in answer.answer, answer.answer
    assert "kiểm tra an ninh vùng biển" in answer.answer, answer.answer
    assert len(answer.answer.split("Nguồn")[0]) < 900
