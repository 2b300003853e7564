"""One record per task item (index/items.py) and its use on the answer path (rag/answers/record.py).
The plans here are written for these tests, in other wordings and layouts than the dev plans:
labelled a)-d) points, titled sub-items with their value on the next line, a deadline line under
each dash, a dated heading, an agency heading, an OCR'd label, fields missing."""

from __future__ import annotations

import pytest

from index.facts import ChunkFacts, read_plan_chunks
from index.items import dash_times, field_label
from index.models import Chunk
from tests.conftest import offline_app


@pytest.mark.parametrize(("line", "expected"), [
    ("b) Cơ quan chủ trì: Sở Y tế.", ("lead", True)),
    ("- Đơn vị chủ trì thực hiện: Công an tỉnh", ("lead", True)),
    ("b) Cơ quan thực hiện:", ("lead", False)),
    ("c) Đơn vị phối hợp: Sở Tài chính", ("cooperating", True)),
    ("Co quan ph6i hop: So Y te", ("cooperating", True)),  # OCR'd, read as its matching words
    ("d) Tiến độ: Quý III/2027", ("time", True)),
    ("2.3. Thời gian thực hiện", ("time", False)),  # a sub-item's title, its value below
    ("Thời hạn hoàn thành: Trước ngày 30/11/2025.", ("time", True)),
    ("a) Nhiệm vụ:", ("task", False)),
    ("- Sản phẩm: Báo cáo đánh giá", ("product", True)),
    ("1.1. Đối tượng: 40 cơ sở", ("object", True)),
    ("1. Nhiệm vụ trọng tâm", None),  # a title, not a label
    ("- Phối hợp với Bộ Công an trong việc bảo đảm an toàn thông tin", None),
    ("3. Về bảo đảm an toàn thông tin", None),
])
def test_field_labels(line, expected):
    assert field_label(line) == expected


def test_a_time_line_belongs_to_the_dash_above_it():
    lines = ["2.4. Trách nhiệm của các xã:", "- Lập danh sách hộ nghèo.", "tiếp theo dòng trên",
             "Thời hạn: Trước ngày 15/10/2026.", "- Tổng hợp kết quả.", "Thời hạn: Trước ngày 20/12/2026."]
    assert dash_times(lines) == ((1, 3), (4, 5))
    # a time line under the heading itself dates no dash
    assert dash_times(["3. Kiểm tra:", "Thời gian: Quý II/2027", "- Kiểm tra cơ sở."]) == ()


def _chunk(section: str, label: str, text: str, ancestors: tuple[str, ...] = ()) -> Chunk:
    first = text.split("\n", 1)[0]
    return Chunk(f"p.txt#{section}#0-0", "p.txt", "Kế hoạch", section, label, first, ancestors, 1, 1, text)


def test_labelled_points_are_one_record_of_their_parent_stored_with_each():
    chunks = [_chunk("III.2", "khoản 2", "2. Phòng, chống dịch bệnh trên đàn gia cầm", ("III. NHIỆM VỤ",)),
              _chunk("III.2.a", "điểm a", "a) Nhiệm vụ: Tiêm phòng vắc xin cúm gia cầm.", ("III. NHIỆM VỤ", "2.")),
              _chunk("III.2.b", "điểm b", "b) Đơn vị chủ trì: Chi cục Chăn nuôi và Thú y.", ("III. NHIỆM VỤ", "2.")),
              _chunk("III.2.c", "điểm c", "c) Tiến độ: Tháng 3 và tháng 9 hằng năm.", ("III. NHIỆM VỤ", "2."))]
    facts = read_plan_chunks(chunks)
    slots = {item.slot: (item.section, item.line) for item in facts[1].item}
    assert slots["lead"] == ("III.2.b", "b) Đơn vị chủ trì: Chi cục Chăn nuôi và Thú y.")
    assert slots["time"] == ("III.2.c", "c) Tiến độ: Tháng 3 và tháng 9 hằng năm.")
    assert "cooperating" not in slots  # a field the plan leaves out is no slot
    assert facts[0].item == facts[1].item == facts[3].item  # the parent and each field: one record
    again = ChunkFacts.from_json(facts[2].to_json(), chunks[2].text)
    assert again is not None and again.item == facts[2].item


def test_one_titled_point_is_no_field_of_a_record():
    chunks = [_chunk("II", "Mục II", "II. MỤC TIÊU, NHIỆM VỤ"),
              _chunk("II.2", "khoản 2", "2. Nhiệm vụ\n- Tuyên truyền pháp luật.\n- Kiểm tra cơ sở.", ("II.",))]
    facts = read_plan_chunks(chunks)
    assert all(item.section == "II.2" for item in facts[1].item)


PLAN = """ỦY BAN NHÂN DÂN TỈNH BÌNH MINH
Số: 77/KH-UBND
KẾ HOẠCH
Phòng, chống tác hại của thuốc lá trên địa bàn tỉnh Bình Minh năm 2027
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao nhận thức của người dân về tác hại của thuốc lá.
II. NỘI DUNG
1. Truyền thông về tác hại của thuốc lá điện tử
a) Nội dung: Tổ chức tọa đàm về tác hại của thuốc lá điện tử tại các trường trung học phổ thông.
b) Cơ quan chủ trì: Sở Giáo dục và Đào tạo.
c) Cơ quan phối hợp: Tỉnh đoàn, Sở Y tế.
d) Thời gian: Tháng 9 hằng năm.
2. Kiểm tra việc cấm hút thuốc lá nơi công cộng
2.1. Đối tượng: Các bến xe, nhà ga, chợ đầu mối trên địa bàn tỉnh.
2.2. Nội dung: Kiểm tra việc treo biển cấm hút thuốc lá và xử lý vi phạm.
2.3. Thời gian: Quý II và Quý IV/2027.
3. Mục tiêu đến hết năm 2027
- Giảm tỷ lệ hút thuốc lá ở nam giới trưởng thành xuống dưới 38%.
- Toàn bộ cơ sở y tế không có khói thuốc lá.
4. Trách nhiệm của các cơ sở kinh doanh:
- Niêm yết biển cấm bán thuốc lá cho người dưới 18 tuổi tại quầy hàng.
Thời hạn hoàn thành: Trước ngày 30/6/2027.
- Gỡ bỏ quảng cáo thuốc lá điện tử tại điểm bán.
Thời hạn hoàn thành: Trước ngày 31/3/2027.
III. TỔ CHỨC THỰC HIỆN
Sở Y tế tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh.
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"binh-minh-2027-thuoc-la.txt": PLAN})


def test_a_follow_up_asks_the_same_items_other_slot(app):
    first = "Kế hoạch thuốc lá Bình Minh: cơ quan nào chủ trì tọa đàm về tác hại của thuốc lá điện tử?"
    answer = app.assistant.ask("còn thời gian thực hiện thì sao?", [first])
    assert not answer.abstained, answer.answer
    assert "Tháng 9 hằng năm" in answer.answer
    assert answer.citations[0].section == "II.1.d", answer.answer
    partners = app.assistant.ask("vậy cơ quan phối hợp là ai?", [first])
    assert "Tỉnh đoàn" in partners.answer, partners.answer


def test_a_deadline_line_dates_the_dash_above_it(app):
    answer = app.assistant.ask("Bình Minh thuốc lá: gỡ bỏ quảng cáo thuốc lá điện tử tại điểm bán phải xong trước "
                               "30/6/2027 phải không?")
    assert "31/3/2027" in answer.answer, answer.answer


def test_a_dash_takes_the_time_of_its_dated_heading(app):
    answer = app.assistant.ask("Bình Minh: giảm tỷ lệ hút thuốc lá ở nam giới trưởng thành xuống dưới 38% là "
                               "đến khi nào?")
    assert not answer.abstained, answer.answer
    assert "hết năm 2027" in answer.answer
