"""A Sở's unit named in a question, typed in any case, is that unit (lang/units.py via find_bodies)."""

from __future__ import annotations

import pytest

from lang.agencies import find_bodies


@pytest.mark.parametrize(("question", "names"), [
    ("Thanh tra Sở Tư pháp Bắc Ninh được giao những nhiệm vụ gì?", ["Thanh tra Sở Tư pháp"]),
    ("thanh tra sở tư pháp bắc ninh phải làm gì?", ["Thanh tra Sở Tư pháp"]),
    ("Văn phòng sở tư pháp phải làm những việc gì?", ["Văn phòng Sở Tư pháp"]),
    ("Sở Tư pháp phải làm gì?", ["Sở Tư pháp"]),
    # a unit of another body is not a Sở's
    ("Sở Y tế và Văn phòng UBND tỉnh làm gì?", ["Sở Y tế", "Văn phòng Ủy ban nhân dân tỉnh"]),
])
def test_a_unit_of_a_so_is_named_whole(question: str, names: list[str]) -> None:
    assert [m.name for m in find_bodies(question)] == names
