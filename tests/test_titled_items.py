"""An item titled by what it states ("3. Thành phần đoàn kiểm tra", "a) Chủ đề Tuần lễ …") answers a
question that names its title, over a passage that shares the question's other words. The plan is
invented, in the Decree 30/2020 layout; the unit test reads the title rule on its own."""

from __future__ import annotations

import pytest

from index.models import Chunk
from rag.answers.titles import names_title
from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG TRỊ
Số: 88/KH-UBND
Quảng Trị, ngày 06 tháng 4 năm 2026
KẾ HOẠCH
Kiểm tra công tác cải cách hành chính năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Đánh giá kết quả thực hiện cải cách hành chính của các cơ quan, đơn vị.
II. ĐỐI TƯỢNG, THỜI GIAN VÀ THÀNH PHẦN ĐOÀN KIỂM TRA
1. Đối tượng kiểm tra
Các sở, ban, ngành tỉnh và Ủy ban nhân dân các xã, phường được kiểm tra theo lịch.
2. Thời gian kiểm tra
Đoàn kiểm tra làm việc tại các cơ quan, đơn vị từ tháng 6 đến tháng 10 năm 2026.
3. Thành phần đoàn kiểm tra
- Lãnh đạo Sở Nội vụ làm Trưởng đoàn;
- Đại diện Văn phòng Ủy ban nhân dân tỉnh, Sở Tư pháp và Sở Khoa học và Công nghệ.
III. NỘI DUNG KIỂM TRA
1. Kiểm tra việc ban hành kế hoạch cải cách hành chính, thành phần hồ sơ thủ tục hành chính và kết quả thực hiện.
2. Chủ đề Tuần lễ cải cách hành chính năm 2026
"Chính quyền phục vụ, người dân hài lòng".
IV. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ chủ trì tổ chức kiểm tra, báo cáo UBND tỉnh trước ngày 15/11/2026.
Nơi nhận:
- Bộ Nội vụ;
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Võ Văn Hưng
"""


@pytest.mark.parametrize(("question", "section"), [
    ("Thành phần đoàn kiểm tra cải cách hành chính của Quảng Trị gồm những ai?", "II.3"),
    ("Chủ đề Tuần lễ cải cách hành chính năm 2026 của Quảng Trị là gì?", "III.2"),
])
def test_the_item_titled_by_what_is_asked(tmp_path, question, section):
    app = offline_app(tmp_path, {"quang-tri-2026-kiem-tra-cchc.txt": PLAN})
    answer = app.assistant.ask(question)
    assert not answer.abstained
    assert answer.citations[0].section == section


def _chunk(section: str, title: str, stated: str = "- Nội dung nêu dưới tiêu đề.") -> Chunk:
    return Chunk(chunk_id=f"p#{section}", source="p.txt", doc_title="Kế hoạch", section=section,
                 section_label=section, section_title=title, ancestors=(), start_line=1, end_line=2,
                 text=f"{title}\n{stated}".strip())


@pytest.mark.parametrize(("section", "title", "question", "named"), [
    ("II.3", "Thành phần thực hiện", "thành phần thực hiện giám sát gồm những ai", True),
    ("II.2.a", "Chủ đề Tháng hành động năm 2025", "chủ đề tháng hành động vì trẻ em năm 2025 là gì", True),
    ("II.2", "Thời gian thực hiện", "thành phần thực hiện giám sát gồm những ai", False),
    ("IV", "TỔ CHỨC THỰC HIỆN", "ai tổ chức thực hiện kế hoạch", False),  # a part's title heads every task
    ("I.1", "Mục đích", "mục đích của kế hoạch là gì", False),  # one word: every plan's item
    ("II.3", "Thành phần thực hiện", "thực hiện thành phần hồ sơ gồm những gì", False),  # not its head
])
def test_a_title_is_named_whole_from_its_head(section, title, question, named):
    from lang.normalize import match_tokens
    tokens = match_tokens(question)
    assert names_title(_chunk(section, title), set(tokens), f" {' '.join(tokens)} ") is named



def test_an_item_of_points_only_is_stated_by_its_points():
    # "1. Ngày hội mua sắm trực tuyến" over "a) Chủ đề …", "b) Thời gian: …": asked for both, the
    # points answer, not the item's bare title
    from lang.normalize import match_tokens
    tokens = match_tokens("chủ đề và thời gian ngày hội mua sắm trực tuyến năm 2026 là gì")
    chunk = _chunk("IV.1", "Ngày hội mua sắm trực tuyến", stated="")
    assert not names_title(chunk, set(tokens), f" {' '.join(tokens)} ")


def test_a_bodys_own_item_is_no_titled_thing():
    # "8. Bộ Chỉ huy Bộ đội Biên phòng tỉnh" names who acts in the item, not a thing it states
    chunk = Chunk(chunk_id="p#IV.8", source="p.txt", doc_title="Kế hoạch", section="IV.8", section_label="IV.8",
                  section_title="Bộ Chỉ huy Bộ đội Biên phòng tỉnh", ancestors=("IV. TỔ CHỨC THỰC HIỆN",),
                  start_line=1, end_line=2,
                  text="8. Bộ Chỉ huy Bộ đội Biên phòng tỉnh\n- Phối hợp tuyên truyền khu vực biên giới.")
    from lang.normalize import match_tokens
    tokens = match_tokens("chương trình phối hợp giữa Sở Nội vụ và Bộ Chỉ huy Bộ đội Biên phòng tỉnh có số hiệu gì")
    assert not names_title(chunk, set(tokens), f" {' '.join(tokens)} ")
