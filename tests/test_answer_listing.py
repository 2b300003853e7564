"""List and table answers (issue 21): a heading the question matches answers with every line it
heads (the group named, when the list is grouped); "X chủ trì những nhiệm vụ nào ở Mục III / Phần
thứ hai" gathers every item of that part X leads; a task table's rows are matched by the body its
Chủ trì cell prints; a two-line header names each column by both its lines. The plan is invented,
in the Decree 30/2020 layout; the expected answers are worked out by hand from its text."""

from __future__ import annotations

import pytest

from index.models import Chunk
from rag.answers.listing import heading_line, listed_lines, named_part
from rag.answers.table import row_numbers
from rag.answers.table_cells import stacked_header as _stacked_header
from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN TỈNH NAM HÀ
Số: 44/KH-UBND
Nam Hà, ngày 10 tháng 3 năm 2026
KẾ HOẠCH
Phòng, chống sốt xuất huyết tỉnh Nam Hà năm 2026
I. MỤC TIÊU
1. Mục tiêu chung
Giảm số ca mắc sốt xuất huyết trên địa bàn tỉnh.
2. Mục tiêu cụ thể
- Đến năm 2026, 95% ổ dịch được xử lý trong 48 giờ.
- Đến năm 2026, 80% hộ gia đình được hướng dẫn diệt lăng quăng.
- Giảm 20% số ca mắc so với năm 2025.
II. CÁC BƯỚC GIÁM SÁT
1. Các bước giám sát
- Cấp tỉnh
+ Thông báo kế hoạch giám sát cho các huyện.
+ Chọn ngẫu nhiên xã để giám sát thực tế.
- Cấp xã
+ Chọn ngẫu nhiên thôn để tiến hành giám sát.
+ Phỏng vấn trực tiếp hộ gia đình về diệt lăng quăng.
III. NHIỆM VỤ, GIẢI PHÁP
1. Công tác chỉ đạo
- Sở Y tế chủ trì tham mưu kiện toàn Ban Chỉ đạo phòng, chống dịch tỉnh; thời gian: Quý I/2026.
2. Công tác truyền thông
- Sở Văn hóa, Thể thao và Du lịch chủ trì tuyên truyền trên báo, đài tỉnh; thời gian: thường xuyên.
3. Công tác chuyên môn
- Sở Y tế chủ trì tổ chức phun hóa chất diệt muỗi tại các ổ dịch; thời gian: khi có dịch.
4. Công tác kiểm tra
- Sở Y tế chủ trì kiểm tra việc thực hiện Kế hoạch tại các huyện; thời gian: Quý IV/2026.
5. Công tác đào tạo
- Sở Y tế chủ trì tập huấn cho nhân viên y tế xã; thời gian: Quý II/2026.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Y tế
- Tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2026.
2. Đề nghị Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh, Kho bạc nhà nước khu vực IX tăng cường phối hợp giám sát công tác phòng, chống dịch.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn An
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"nam-ha-2026-sot-xuat-huyet.txt": PLAN})


def _chunk(text: str, title: str, section: str = "I.2") -> Chunk:
    return Chunk(chunk_id="c", source="p.txt", doc_title="KH", section=section, section_label="Mục I, khoản 2",
                 section_title=title, ancestors=(), start_line=1, end_line=5, text=text)


def test_a_heading_is_its_title_a_run_in_sentence_is_not():
    assert heading_line(_chunk("2. Mục tiêu cụ thể\n- A.", "Mục tiêu cụ thể")) == "2. Mục tiêu cụ thể"
    assert heading_line(_chunk("1. Sở Y tế chủ trì kiểm tra …\n- A.", "Công tác kiểm tra")) is None


def test_a_grouped_list_gives_the_group_the_question_names_else_everything():
    chunk = _chunk("1. Các bước\n- Cấp tỉnh\n+ A.\n+ B.\n- Cấp xã\n+ C.\n+ D.", "Các bước")
    assert listed_lines(chunk, lambda text: 1.0 if "xã" in text else 0.0) == ["+ C.", "+ D."]
    assert listed_lines(chunk, lambda text: 0.0) == ["- Cấp tỉnh", "+ A.", "+ B.", "- Cấp xã", "+ C.", "+ D."]


def test_a_part_named_by_number_or_ordinal_word_and_its_title_words():
    parts = [_chunk("III. NHIỆM VỤ, GIẢI PHÁP", "NHIỆM VỤ, GIẢI PHÁP", "III"),
             _chunk("Phần thứ hai", "NHIỆM VỤ CỤ THỂ", "II")]
    named = named_part("Sở Y tế chủ trì những nhiệm vụ nào ở Mục III (nhiệm vụ, giải pháp)?", parts)
    assert named is not None and named.section == "III" and {"muc", "giai", "phap"} <= named.words
    second = named_part("Trung tâm X chủ trì những nhiệm vụ nào trong Phần thứ hai?", parts)
    assert second is not None and second.section == "II"
    assert named_part("Mục tiêu của kế hoạch là gì?", parts) is None
    assert named_part("nội dung tại mục 3.2 là gì?", parts) is None  # an item, not part III


def test_rows_named_by_number_and_a_stacked_header():
    assert row_numbers("Chủ trì các nhiệm vụ số 4 và 8 tại Phụ lục I") == ["4", "8"]
    header = _stacked_header(["TT | Sản phẩm | Năm 2029 | Năm 2030", "Lượng | Giá trị | Lượng | Giá trị |"], 6)
    assert header == "TT | Sản phẩm | Năm 2029 Lượng | Năm 2029 Giá trị | Năm 2030 Lượng | Năm 2030 Giá trị"
    assert _stacked_header(["STT | Nhiệm vụ | Chủ trì", "1 | Rà soát | Sở Y tế"], 3) is None


def test_the_targets_a_heading_heads_are_the_answer(app):
    answer = app.assistant.ask("Liệt kê các mục tiêu cụ thể của kế hoạch phòng, chống sốt xuất huyết Nam Hà.")
    assert not answer.abstained
    items = [line for line in answer.answer.split("\n") if line.startswith("- ")]
    assert len(items) == 3 and "95%" in items[0] and "80%" in items[1] and "20%" in items[2]
    assert [c.section for c in answer.citations] == ["I.2"]
    assert all(c.quote in PLAN for c in answer.citations)


def test_the_group_asked_of_a_grouped_list(app):
    answer = app.assistant.ask("Các bước giám sát ở cấp xã trong kế hoạch sốt xuất huyết Nam Hà gồm những gì?")
    items = [line for line in answer.answer.split("\n") if line.startswith("- ")]
    assert len(items) == 2 and "thôn" in items[0] and "Phỏng vấn" in items[1]


def test_every_item_of_the_part_named_that_the_body_leads(app):
    answer = app.assistant.ask("Sở Y tế chủ trì những nhiệm vụ nào ở Mục III (nhiệm vụ, giải pháp) của kế hoạch "
                               "sốt xuất huyết Nam Hà?")
    assert not answer.abstained
    assert [c.section for c in answer.citations] == ["III.1", "III.3", "III.4", "III.5"]
    for fact in ("Ban Chỉ đạo", "phun hóa chất", "kiểm tra", "tập huấn"):
        assert fact in answer.answer
    assert "tuyên truyền" not in answer.answer  # another body's item


def test_the_bodies_an_item_asks_by_its_verb(app):
    answer = app.assistant.ask("Kế hoạch sốt xuất huyết Nam Hà đề nghị những cơ quan nào tăng cường phối hợp giám sát?")
    assert not answer.abstained
    for body in ("Viện kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh", "Kho bạc nhà nước khu vực IX"):
        assert body in answer.answer
    assert [c.section for c in answer.citations] == ["IV.2"]
