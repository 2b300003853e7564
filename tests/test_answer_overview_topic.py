"""An overview question narrowed by a topic ("… có những nội dung nào về diễn tập?") lists the
titles that hold the topic, not the whole part (rag/answers/overview.py). Invented part titles in
the Decree 30/2020 layout; the expected lines are read off them by hand."""

from __future__ import annotations

import pytest

from index.models import Chunk
from rag.answers.overview import _about_topic
from rag.prepared import PlanEvidence

PLAN = PlanEvidence(source="p.txt", title="Kế hoạch ứng phó sự cố tràn dầu tỉnh Hà Tĩnh năm 2026", hits=[])
LINES = ["Kiện toàn Ban Chỉ huy ứng phó sự cố tràn dầu", "Huấn luyện lực lượng ứng phó tại chỗ",
         "Diễn tập ứng phó sự cố tràn dầu cấp tỉnh", "Diễn tập ứng phó tại cảng Vũng Áng",
         "Đầu tư trang thiết bị ứng phó theo đề án"]


def _chunk(section: str, text: str) -> Chunk:
    return Chunk(chunk_id=section, source="p.txt", doc_title="KH", section=section, section_label=f"Mục {section}",
                 section_title=text.split("\n", 1)[0], ancestors=(), start_line=1, end_line=2, text=text)


CHUNKS = [_chunk("preamble", "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH\nSố: 45/KH-UBND\nHà Tĩnh, ngày 02 tháng 3 năm 2026"),
          *(_chunk(f"II.{i}", f"{i}. {line}.") for i, line in enumerate(LINES, 1))]


@pytest.mark.parametrize(("question", "expected"), [
    # the topic two lines hold: those lines
    ("kh 45 hà tĩnh có những nội dung nào về diễn tập?", LINES[2:4]),
    ("Kế hoạch ứng phó tràn dầu gồm những nội dung gì về huấn luyện lực lượng?", LINES[1:2]),  # a title alone
    # no topic, or words the plan's name and header say: the whole part
    ("kh 45 hà tĩnh gồm những nội dung chính nào?", None),
    ("Kế hoạch ứng phó sự cố tràn dầu Hà Tĩnh 2026 có những nội dung nào?", None),
    # a syllable of the header ("Hà Tĩnh") a line holds in another word does not narrow
    ("Kế hoạch tràn dầu Hà Tĩnh gồm những nội dung chính nào?", None),
    # a topic no line holds: not the headings' business here (the caller's other checks decide)
    ("kh 45 có những nội dung nào về tuyên truyền?", None),
    # a topic every line holds narrows nothing
    ("kh 45 có những nội dung nào về ứng phó?", None),
])
def test_the_lines_a_topic_holds(question: str, expected: list[str] | None) -> None:
    from lang.normalize import fold
    assert _about_topic(fold(question).lower(), "noi dung", PLAN, CHUNKS, LINES) == expected


def test_one_line_of_an_item_with_a_body_leaves_it_to_the_passages() -> None:
    chunks = [*CHUNKS[:3], _chunk("II.3", "3. Diễn tập ứng phó sự cố tràn dầu cấp tỉnh.\n- Sở Công Thương chủ trì."),
              *CHUNKS[4:]]
    lines = [*LINES[:3], LINES[4]]
    assert _about_topic("kh 45 co nhung noi dung nao ve dien tap?", "noi dung", PLAN, chunks, lines) == []
