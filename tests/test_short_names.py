"""A plan's defined short names (lang/short_names.py): read once, they name the full body."""

from __future__ import annotations

import pytest

from lang.agencies import find_bodies
from lang.short_names import aliases_of, plan_aliases

BCH = "Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn huyện"
PLAN = (f"- Nâng cao năng lực chỉ huy của {BCH} (sau đây gọi tắt là BCH PCTT&TKCN huyện).\n"
        "Ban Chỉ đạo phát triển kinh tế tập thể tỉnh (gọi tắt là Ban Chỉ đạo) họp định kỳ.\n"
        "Giao Ban Quản lý các khu công nghiệp tỉnh (sau đây gọi tắt là BQL các KCN) chủ trì.\n"
        "Giao Ban Chỉ huy Quân sự huyện (BCHQS huyện) chủ trì.\n"
        "- Lưu: VT, UBND tỉnh; - Chánh VP, Phó CVP (NC).\n")


def test_definitions_read() -> None:
    table = plan_aliases(PLAN)
    assert table["BCH PCTT&TKCN huyện"] == BCH
    assert table["BCH PCTT&TKCN tỉnh"] == BCH.removesuffix("huyện") + "tỉnh"  # the same body, another level
    assert table["Ban Chỉ đạo"] == "Ban Chỉ đạo phát triển kinh tế tập thể tỉnh"
    assert table["BQL các KCN"] == "Ban Quản lý các khu công nghiệp tỉnh"
    assert table["BCHQS huyện"] == "Ban Chỉ huy Quân sự huyện"  # an abbreviation alone
    assert "NC" not in table  # a list's initials, no body's


@pytest.mark.parametrize(("text", "names"), [
    ("a) BCH PCTT&TKCN huyện tổ chức trực ban", [BCH]),
    ("gửi BCH PCTT&TKCN huyện (qua Phòng Nông nghiệp và PTNT)", [BCH, "Phòng Nông nghiệp và PTNT"]),
    ("báo cáo UBND huyện và BCH PCTT&TKCN tỉnh", ["UBND huyện", BCH.removesuffix("huyện") + "tỉnh"]),
    ("về Văn phòng thường trực BCH PCTT&TKCN huyện", [f"Văn phòng thường trực {BCH}"]),
    # a short name in words is the plan's own name for the body, kept as printed in the register
    ("báo cáo Ban Chỉ đạo kết quả", ["Ban Chỉ đạo"]),
])
def test_short_names_name_the_full_body(text: str, names: list[str]) -> None:
    with aliases_of(PLAN):
        assert [m.name for m in find_bodies(text)] == names


def test_outside_the_plan_nothing_changes() -> None:
    with aliases_of(PLAN):
        assert [m.name for m in find_bodies("gửi BQL các KCN kết quả")] == ["Ban Quản lý các khu công nghiệp tỉnh"]
    assert [m.name for m in find_bodies("gửi BQL các KCN kết quả")] != ["Ban Quản lý các khu công nghiệp tỉnh"]


def test_short_names_of_the_answers_plans_name_the_full_body_in_a_question() -> None:
    from lang.agencies import find_bodies
    from lang.aliases import short_forms_in_force
    from lang.short_names import shared_short_names

    flood = (("BCH PCTT&TKCN huyện", "Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn huyện"),)
    with short_forms_in_force(shared_short_names([flood])):
        names = [m.name for m in find_bodies("BCH PCTT&TKCN huyện báo cáo ai?")]
    assert names == ["Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn huyện"]
    # two plans whose "Ban Chỉ đạo" are different bodies: the short form names neither
    both = shared_short_names([(("Ban Chỉ đạo", "Ban Chỉ đạo 35 tỉnh"),), (("Ban Chỉ đạo", "Ban Chỉ đạo 389 tỉnh"),)])
    assert both == ()
