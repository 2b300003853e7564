"""A body's duties gathered over the plan (its Mục III items whose fields name it the lead, a point
opening with it however abbreviated, its own item in Tổ chức thực hiện headed by its name alone),
overview questions answered by the headings ("gồm những nội dung chính nào?", "bằng những hình
thức nào?"), and a lead-in's "+" lines told whole. The plan is invented, a ward's plan in the
Decree 30/2020 layout; the expected answers are worked out by hand from its text."""

from __future__ import annotations

import pytest

from index.models import Chunk
from rag.answers.duty import _names_only
from rag.answers.listing import named_part
from rag.answers.sentences import _past_lines
from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN
PHƯỜNG AN HÒA
Số: 21/KH-UBND
An Hòa, ngày 12 tháng 01 năm 2026
KẾ HOẠCH
Bảo đảm trật tự an toàn giao thông trên địa bàn phường An Hòa năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Giảm tai nạn giao thông trên địa bàn phường.
II. NỘI DUNG, HÌNH THỨC
1. Nội dung
- Tuyên truyền pháp luật về trật tự an toàn giao thông cho người dân.
- Phổ biến quy định xử phạt vi phạm hành chính về giao thông.
2. Hình thức
- Phát tờ gấp đến từng hộ gia đình.
- Treo băng rôn, khẩu hiệu trên các tuyến đường chính.
- Tổ chức hội thi tìm hiểu Luật Giao thông đường bộ cho học sinh.
III. NHIỆM VỤ CỤ THỂ
1. Tuần tra, kiểm soát giao thông giờ cao điểm
Bố trí lực lượng tuần tra tại các nút giao thông trọng điểm.
- Đơn vị chủ trì: Phòng Văn hóa - Xã hội;
- Đơn vị phối hợp: Phòng Kinh tế, Hạ tầng và Đô thị;
- Thời gian thực hiện: Thường xuyên trong năm 2026.
2. Sửa chữa biển báo, đèn tín hiệu
Rà soát, sửa chữa biển báo hư hỏng trên các tuyến đường phường quản lý.
- Đơn vị chủ trì: Phòng Kinh tế, Hạ tầng và Đô thị;
- Đơn vị phối hợp: Phòng Văn hóa - Xã hội;
- Thời gian thực hiện: Quý II/2026.
3. Công tác văn phòng
a) Văn phòng HĐND và UBND phường chủ trì tổng hợp kết quả thực hiện Kế hoạch, hoàn thành trước ngày 10/12/2026.
4. Hỗ trợ người dân
- Các nội dung hỗ trợ bao gồm:
+ Hướng dẫn đăng ký phương tiện trực tuyến;
+ Tiếp nhận phản ánh về điểm đen giao thông;
+ Cấp mũ bảo hiểm cho học sinh tiểu học.
IV. TỔ CHỨC THỰC HIỆN
1. Phòng Kinh tế, Hạ tầng và Đô thị
- Chủ trì sửa chữa biển báo, đèn tín hiệu giao thông.
2. Phòng Văn hóa - Xã hội
- Xử lý nghiêm các hành vi lấn chiếm lòng đường, vỉa hè.
- Lắp đặt camera giám sát tại các nút giao thông trọng điểm.
- Báo cáo kết quả về UBND phường trước ngày 15 hằng tháng.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Trần Văn Bình
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"an-hoa-2026-trat-tu-giao-thong.txt": PLAN})


def test_a_heading_naming_the_body_alone():
    wanted = [["van", "phong", "uy", "ban", "nhan", "dan", "tinh"]]
    assert _names_only("2. Văn phòng UBND tỉnh", wanted)
    assert _names_only("2. Văn phòng Ủy ban nhân dân tỉnh:", wanted)
    assert not _names_only("2. Văn phòng UBND tỉnh chủ trì tổng hợp", wanted)


def _part(section: str, title: str) -> Chunk:
    return Chunk(chunk_id=section, source="p.txt", doc_title="KH", section=section, section_label=f"Mục {section}",
                 section_title=title, ancestors=(), start_line=1, end_line=2, text=f"{section}. {title}")


def test_a_part_named_by_its_title():
    parts = [_part("II", "NỘI DUNG"), _part("IV", "TỔ CHỨC THỰC HIỆN")]
    named = named_part("Sở Nội vụ được giao những nhiệm vụ gì trong phần tổ chức thực hiện?", parts)
    assert named is not None and named.section == "IV"
    assert named_part("Sở Nội vụ tổ chức thực hiện những nhiệm vụ gì?", parts) is None  # no part word


def test_a_quote_past_the_lines_it_holds():
    lines = ["+ A thứ nhất;", "+ B thứ hai."]
    assert _past_lines("+ B thứ hai. - Cơ quan thực hiện: Sở Y tế.", lines) == "- Cơ quan thực hiện: Sở Y tế."
    assert _past_lines("+ A thứ nhất;", lines) == ""
    assert _past_lines("- Cơ quan thực hiện: Sở Y tế.", lines) == "- Cơ quan thực hiện: Sở Y tế."


def test_a_body_s_duties_over_its_fields_and_its_own_item(app):
    answer = app.assistant.ask("Phòng Văn hóa - Xã hội có những nhiệm vụ gì theo kế hoạch trật tự an toàn giao thông "
                               "phường An Hòa 2026?")
    assert not answer.abstained
    sections = [c.section for c in answer.citations]
    assert "III.1" in sections and "IV.2" in sections
    assert "III.2" not in sections  # there it only cooperates
    for fact in ("tuần tra", "lấn chiếm lòng đường", "camera", "15 hằng tháng"):
        assert fact in answer.answer
    assert all(c.quote in PLAN for c in answer.citations), [c.quote for c in answer.citations]


def test_a_point_opening_with_the_body_abbreviated(app):
    answer = app.assistant.ask("Văn phòng HĐND và UBND phường An Hòa có những nhiệm vụ gì trong kế hoạch "
                               "trật tự an toàn giao thông 2026?")
    assert not answer.abstained
    assert "10/12/2026" in answer.answer


def test_the_main_contents_are_the_part_s_headings(app):
    answer = app.assistant.ask("Kế hoạch trật tự an toàn giao thông phường An Hòa 2026 gồm những nội dung chính nào?")
    assert not answer.abstained
    assert [c.section for c in answer.citations] == ["II.1"]
    assert "Tuyên truyền pháp luật" in answer.answer and "xử phạt" in answer.answer


def test_the_forms_are_the_lines_of_the_item_titled_so(app):
    answer = app.assistant.ask("Kế hoạch trật tự an toàn giao thông phường An Hòa tuyên truyền bằng những hình thức nào?")
    assert not answer.abstained
    assert [c.section for c in answer.citations] == ["II.2"]
    items = [line for line in answer.answer.split("\n") if line.startswith("- ")]
    assert len(items) == 3 and "tờ gấp" in items[0] and "băng rôn" in items[1] and "hội thi" in items[2]


def test_a_lead_in_brings_every_line_it_announces(app):
    answer = app.assistant.ask("Kế hoạch giao thông phường An Hòa: các nội dung hỗ trợ người dân bao gồm những gì?")
    assert not answer.abstained
    for fact in ("đăng ký phương tiện", "điểm đen", "mũ bảo hiểm"):
        assert fact in answer.answer
