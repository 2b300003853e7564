"""Abbreviated names of bodies: a plan's own definitions and the genre's acronyms written out."""

from __future__ import annotations

import pytest

from lang.abbreviations import expand_abbreviations, is_abbreviation
from lang.agencies import find_bodies
from lang.short_names import plan_abbreviations

DEFINITIONS = [
    ("Nâng cao năng lực của Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn huyện (sau đây gọi tắt "
     "là BCH PCTT&TKCN huyện) và Ban Chỉ huy cấp xã.",
     {"BCH PCTT&TKCN huyện": "Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn huyện",
      "BCH": "Ban Chỉ huy", "PCTT&TKCN": "Phòng, chống thiên tai và Tìm kiếm cứu nạn",
      # the same abbreviation at another level names the same body there (lang/short_names.py)
      **{f"BCH PCTT&TKCN {level}": f"Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn {level}"
         for level in ("tỉnh", "xã", "thành phố", "thị xã")}}),
    # the level word ("tỉnh") may go unsaid in the abbreviation
    ("phối hợp giữa Ban Quản lý các khu công nghiệp tỉnh (sau đây gọi tắt là BQL các KCN) với các sở",
     {"BQL các KCN": "Ban Quản lý các khu công nghiệp tỉnh", "BQL": "Ban Quản lý", "KCN": "khu công nghiệp"}),
    ("Sở Lao động - Thương binh và Xã hội (sau đây viết tắt là Sở LĐTBXH) chủ trì",
     {"Sở LĐTBXH": "Sở Lao động - Thương binh và Xã hội", "LĐTBXH": "Lao động - Thương binh và Xã hội"}),
    # a document's short name, a body's short name in words, or an acronym that does not spell the
    # body before it: nothing
    ("ban hành Kế hoạch thực hiện Nghị quyết (sau đây gọi tắt là Kế hoạch) như sau", {}),
    ("Ban Chỉ đạo Lễ hội Văn hóa - Du lịch biển tỉnh (sau đây gọi là Ban Chỉ đạo) ban hành", {}),
    ("Ban Chỉ đạo tỉnh (sau đây gọi tắt là BQL) họp", {}),
    ("các khu công nghiệp (viết tắt KCN) của tỉnh", {}),
]


@pytest.mark.parametrize(("text", "expected"), DEFINITIONS)
def test_defined_abbreviations(text: str, expected: dict[str, str]) -> None:
    assert plan_abbreviations(text) == expected


@pytest.mark.parametrize(("short", "expected"), [
    ("BCH PCTT&TKCN huyện", True), ("Sở LĐTBXH", True), ("BQL các KCN", True), ("Trung tâm PVHCC", True),
    ("Ban Chỉ đạo", False), ("Ban Chỉ đạo tỉnh", False), ("Tổ liên ngành", False), ("Hội đồng thi đua", False),
])
def test_abbreviation_or_short_name_in_words(short: str, expected: bool) -> None:
    assert is_abbreviation(short) is expected


EXPANSIONS = [
    ("UBND huyện", {}, "Ủy ban nhân dân huyện"),
    ("Phòng Nông nghiệp và PTNT", {}, "Phòng Nông nghiệp và Phát triển nông thôn"),
    ("Ban Chỉ huy PCTT&TKCN tỉnh", {"PCTT&TKCN": "Phòng, chống thiên tai và Tìm kiếm cứu nạn"},
     "Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn tỉnh"),
    # an acronym inside another ("TKCN" of "PCTT&TKCN") is not written out on its own
    ("BCH PCTT&TKCN tỉnh", {}, "Ban Chỉ huy PCTT&TKCN tỉnh"),
    ("Sở Tài chính", {}, "Sở Tài chính"),
    # a group outside the lexicon keeps the genre's acronyms as printed, not the plan's own
    ("Các doanh nghiệp thứ cấp đang hoạt động trong KCN", {}, "Các doanh nghiệp thứ cấp đang hoạt động trong KCN"),
    ("Các UBND xã", {"KCN": "khu công nghiệp"}, "Các UBND xã"),
    ("các chủ đầu tư trong KCN", {"KCN": "khu công nghiệp"}, "các chủ đầu tư trong khu công nghiệp"),
]


@pytest.mark.parametrize(("name", "table", "expected"), EXPANSIONS)
def test_expand_abbreviations(name: str, table: dict[str, str], expected: str) -> None:
    assert expand_abbreviations(name, table) == expected


BODIES = [
    ("a) BCH PCTT&TKCN huyện tổ chức trực ban 24/24 giờ", ["BCH PCTT&TKCN huyện"]),
    ("Công an huyện bảo đảm an ninh trật tự", ["Công an huyện"]),
    ("báo cáo UBND huyện và BCH PCTT&TKCN tỉnh định kỳ 6 tháng", ["UBND huyện", "BCH PCTT&TKCN tỉnh"]),
    ("b) UBND các xã, thị trấn rà soát phương án", ["Ủy ban nhân dân các xã, thị trấn"]),
    ("Trung tâm Y tế huyện báo cáo Phòng Y tế", ["Trung tâm Y tế huyện", "Phòng Y tế"]),
    ("Trung tâm Y tế huyện Mèo Vạc - năm 2026", ["Trung tâm Y tế huyện Mèo Vạc"]),
    # "trợ giúp" is a noun inside a name; "giúp" alone is the clause's verb
    ("Trung tâm Trợ giúp pháp lý nhà nước phối hợp", ["Trung tâm Trợ giúp pháp lý nhà nước"]),
    ("Phòng Quản lý đất đai giúp Giám đốc Sở", ["Phòng Quản lý đất đai", "Giám đốc Sở"]),
]


@pytest.mark.parametrize(("text", "expected"), BODIES)
def test_district_and_abbreviated_bodies(text: str, expected: list[str]) -> None:
    assert [m.name for m in find_bodies(text)] == expected
