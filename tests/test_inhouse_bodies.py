"""A commune's and a department's in-house actors are bodies (issue 23, R1/R5): its civil servants
by their remit, the village heads, the militia, the cooperatives, named whole in any wording."""

from __future__ import annotations

import pytest

from lang.agencies import find_bodies


@pytest.mark.parametrize(("text", "names"), [
    ("Công chức Văn phòng - Thống kê chủ trì, phối hợp với Công chức Văn hóa - Xã hội tổng hợp",
     ["Công chức Văn phòng - Thống kê", "Công chức Văn hóa - Xã hội"]),
    ("Công chức Tài chính - Kế toán phường bố trí kinh phí", ["Công chức Tài chính - Kế toán phường"]),
    # lower-case inside a sentence: the same actor, printed as its heading prints it
    ("báo cáo Chủ tịch UBND xã (qua công chức Tư pháp - Hộ tịch) để xem xét",
     ["UBND xã", "Công chức Tư pháp - Hộ tịch"]),
    ("Trưởng thôn phối hợp với Chi hội Nông dân thôn", ["Trưởng thôn", "Chi hội Nông dân thôn"]),
    ("Trưởng các bản vùng cao tuyên truyền", ["Trưởng các bản vùng cao"]),
    ("Trưởng khu phố kịp thời báo cáo", ["Trưởng khu phố"]),
    ("Trưởng bản, Trưởng tổ dân phố thông báo", ["Trưởng bản", "Trưởng tổ dân phố"]),
    ("Chỉ đạo Trung đội dân quân thường trực phường tham gia", ["Trung đội dân quân thường trực phường"]),
    # a cooperative is no commune: "xã" of "Hợp tác xã" ends no name
    ("phối hợp với Liên minh Hợp tác xã tỉnh, Hợp tác xã Dịch vụ Hòa Bình",
     ["Liên minh Hợp tác xã tỉnh", "Hợp tác xã Dịch vụ Hòa Bình"]),
])
def test_inhouse_actors_are_bodies(text: str, names: list[str]) -> None:
    assert [m.name for m in find_bodies(text)] == names


@pytest.mark.parametrize("text", ["cán bộ, công chức, viên chức thực hiện", "Công chức, viên chức các cơ quan"])
def test_civil_servants_in_general_name_no_body(text: str) -> None:
    assert find_bodies(text) == []


def test_a_unit_named_for_people_with_merit_keeps_its_whole_name() -> None:
    # "có" is a verb that ends a name, but "Người có công" (people with merit) is the unit's remit
    from lang.agencies import find_bodies
    assert [m.name for m in find_bodies("Phòng Người có công có những nhiệm vụ gì?")] == ["Phòng Người có công"]
    assert [m.name for m in find_bodies("Phòng Người có công với cách mạng báo cáo Sở")][:1] == ["Phòng Người có công"]
    # a body that "có" something still ends before it
    assert [m.name for m in find_bodies("Sở Lao động có trách nhiệm báo cáo")] == ["Sở Lao động"]
