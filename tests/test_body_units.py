"""One reading of a body's units for the plan and the question (lang/units.py via find_bodies)."""

from __future__ import annotations

import pytest

from lang.agencies import find_bodies
from lang.units import unit_as_owner_names_it, unit_short_form

# text → the bodies find_bodies names, in order
CASES = [
    ("Thanh tra Sở Tư pháp Bắc Ninh phải báo cáo Giám đốc Sở", ["Thanh tra Sở Tư pháp", "Giám đốc Sở"]),
    ("vp sở tư pháp bắc ninh phải làm những việc gì?", ["Văn phòng Sở Tư pháp"]),
    ("VP Sở Y tế", ["Văn phòng Sở Y tế"]),
    ("văn phòng sở tư pháp làm gì", ["Văn phòng Sở Tư pháp"]),
    ("thanh tra sở xây dựng", ["Thanh tra Sở Xây dựng"]),
    ("đảng ủy sở y tế", ["Đảng ủy Sở Y tế"]),
    ("3. Thanh tra Sở", ["Thanh tra Sở"]),
    # lexicon names that start with a unit head stay themselves
    ("Văn phòng UBND tỉnh", ["Văn phòng Ủy ban nhân dân tỉnh"]),
    ("thanh tra tỉnh", ["Thanh tra tỉnh"]),
    ("Thanh tra Chính phủ", ["Thanh tra Chính phủ"]),
    # a unit head before a body that is no Sở or Bộ is not joined to it
    ("thanh tra Công an tỉnh", ["Công an tỉnh"]),
    ("Chi cục Thủy lợi thuộc Sở Nông nghiệp và Môi trường phải làm gì?", ["Chi cục Thủy lợi"]),
]


@pytest.mark.parametrize(("text", "names"), CASES)
def test_units_read_alike_in_plan_and_question(text: str, names: list[str]) -> None:
    assert [m.name for m in find_bodies(text)] == names


@pytest.mark.parametrize(("name", "owner", "short"), [
    ("Thanh tra Sở Tư pháp", "Sở Tư pháp", "Thanh tra Sở"),
    ("Văn phòng Sở Y tế", "Sở Y tế", "Văn phòng Sở"),
    ("Văn phòng Sở Y tế", "Sở Tư pháp", None),  # another Sở's unit
    ("Sở Tư pháp", "Sở Tư pháp", None),
    ("Văn phòng Ủy ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh", None),
])
def test_unit_as_owner_names_it(name: str, owner: str, short: str | None) -> None:
    assert unit_as_owner_names_it(name, owner) == short


@pytest.mark.parametrize(("name", "short"), [
    ("Văn phòng Sở Tư pháp", "Văn phòng Sở"),
    ("Thanh tra Bộ Y tế", "Thanh tra Bộ"),
    ("Thanh tra tỉnh", None),
    ("Phòng Phổ biến, giáo dục pháp luật", None),
])
def test_unit_short_form(name: str, short: str | None) -> None:
    assert unit_short_form(name) == short
