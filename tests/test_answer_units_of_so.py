"""Who does what in a plan a Sở issues for its own units, and in a district's plan (issue 21):
a unit named with its Sở ("Thanh tra Sở Tư pháp", "vp sở tư pháp") is the plan's "Thanh tra Sở";
a titled task item is told with its statement; a task without a lead field of its own is led by the
unit whose item names it ("Chủ trì thực hiện nhiệm vụ tại điểm b khoản 2 Mục II"), never by a
sibling point's field; a district body asked with its place ("… huyện Hòa Sơn") gathers the points
that open with it. The plans are invented in the Decree 30/2020 layout."""

from __future__ import annotations

import pytest

from tests.conftest import offline_app

SO_PLAN = """ỦY BAN NHÂN DÂN TỈNH NAM HÀ
SỞ TƯ PHÁP
Số: 12/KH-STP
Nam Hà, ngày 10 tháng 01 năm 2026
KẾ HOẠCH
Công tác hòa giải ở cơ sở năm 2026 của Sở Tư pháp tỉnh Nam Hà
I. MỤC ĐÍCH
1. Nâng cao chất lượng hòa giải ở cơ sở.
II. NHIỆM VỤ
1. Tập huấn hòa giải viên
a) Tổ chức tập huấn cho hòa giải viên các xã miền núi.
- Đơn vị chủ trì: Phòng Phổ biến, giáo dục pháp luật;
- Thời gian: Quý II/2026;
b) Tư vấn pháp luật lưu động cho người dân tại các chợ đầu mối.
- Đơn vị phối hợp: Hội Luật gia tỉnh;
- Thời gian: Quý III/2026;
2. Kiểm tra công tác hòa giải
Kiểm tra việc thực hiện công tác hòa giải tại ít nhất 15 xã, phường.
Đơn vị chủ trì: Thanh tra Sở; Đơn vị phối hợp: Phòng Phổ biến, giáo dục pháp luật; Thời gian: Quý III/2026.
III. KINH PHÍ
1. Kinh phí thực hiện Kế hoạch là 300 triệu đồng từ ngân sách năm 2026 của Sở Tư pháp, trong đó tư vấn lưu động 80 triệu đồng, kiểm tra 40 triệu đồng.
IV. TỔ CHỨC THỰC HIỆN
1. Thanh tra Sở
Chủ trì nhiệm vụ tại khoản 2 Mục II; báo cáo Giám đốc Sở kết quả kiểm tra trong 07 ngày làm việc.
2. Trung tâm Trợ giúp pháp lý nhà nước
Chủ trì thực hiện nhiệm vụ tại điểm b khoản 1 Mục II; báo cáo kết quả về Phòng Phổ biến, giáo dục pháp luật.
Nơi nhận:
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Lê Văn Nam
"""

DISTRICT_PLAN = """ỦY BAN NHÂN DÂN HUYỆN HÒA SƠN
Số: 40/KH-UBND
Hòa Sơn, ngày 05 tháng 3 năm 2026
KẾ HOẠCH
Phòng, chống lụt bão trên địa bàn huyện Hòa Sơn năm 2026
I. MỤC ĐÍCH
1. Chủ động ứng phó với lụt bão.
II. NHIỆM VỤ
1. Trước mùa mưa bão
a) Ban Chỉ huy Quân sự huyện chủ trì, phối hợp với UBND các xã tổ chức diễn tập cứu nạn tại xã Hòa Bình.
2. Khi có bão
a) Ban Chỉ huy Quân sự huyện điều động lực lượng dân quân bảo vệ tài sản của Nhân dân ở vùng sơ tán.
III. TỔ CHỨC THỰC HIỆN
1. Ban Chỉ huy Quân sự huyện
Chủ trì xây dựng kế hoạch huy động lực lượng tìm kiếm cứu nạn, hoàn thành trước ngày 31/5/2026.
2. Phòng Nông nghiệp và Môi trường
Tổng hợp thiệt hại, báo cáo UBND huyện.
Nơi nhận:
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Trần Văn Hòa
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"),
                       {"nam-ha-2026-hoa-giai.txt": SO_PLAN, "hoa-son-2026-lut-bao.txt": DISTRICT_PLAN})


@pytest.mark.parametrize("question", [
    "Thanh tra Sở Tư pháp Nam Hà được giao những nhiệm vụ gì năm 2026?",
    "thanh tra sở tư pháp nam hà phải làm gì theo kh 12?",
])
def test_a_unit_named_with_its_so_gets_its_tasks(app, question):
    answer = app.assistant.ask(question)
    assert not answer.abstained
    assert "15 xã, phường" in answer.answer  # the titled item's statement, not its title alone
    assert "07 ngày làm việc" in answer.answer
    sections = [c.section for c in answer.citations]
    assert {"II.2", "IV.1"} <= set(sections)
    assert "III.1" not in sections  # the budget item names the Sở, not its Thanh tra


def test_a_lead_given_by_reference_and_not_by_a_sibling_point(app):
    answer = app.assistant.ask("Theo Kế hoạch 12/KH-STP của Sở Tư pháp Nam Hà, đơn vị nào chủ trì "
                               "tư vấn pháp luật lưu động cho người dân tại các chợ đầu mối?")
    assert not answer.abstained
    assert "Trung tâm Trợ giúp pháp lý nhà nước" in answer.answer
    assert "IV.2" in [c.section for c in answer.citations]
    assert "Phòng Phổ biến, giáo dục pháp luật;" not in answer.answer  # point a)'s field is a)'s


def test_a_district_body_asked_with_its_place_gathers_its_points(app):
    answer = app.assistant.ask("Ban Chỉ huy Quân sự huyện Hòa Sơn có những nhiệm vụ gì trong kế hoạch phòng, chống lụt bão năm 2026?")
    assert not answer.abstained
    sections = {c.section for c in answer.citations}
    assert {"II.1.a", "II.2.a", "III.1"} <= sections
    assert "bảo vệ tài sản" in answer.answer
