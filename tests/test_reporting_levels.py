"""A body named by its kind and level ("Ban Chỉ đạo Tổng điều tra tỉnh") is the one reporting
only at that level: a steering committee exists at each level under one name."""

from __future__ import annotations

import pytest

from rag.answers.reporting import _level_match, _recipients_named

CASES = [
    (["Ban Chỉ đạo Tổng điều tra tỉnh"], "Ban Chỉ đạo tỉnh", True),
    (["Ban Chỉ đạo Tổng điều tra tỉnh"], "Ban Chỉ đạo Tổng điều tra cấp huyện", False),
    (["Ban Chỉ đạo Tổng điều tra tỉnh"], "Ban Chỉ đạo Tổng điều tra Trung ương", False),
    (["Ban Chỉ đạo cấp huyện"], "Ban Chỉ đạo Tổng điều tra cấp huyện", True),
    (["Ban Chỉ đạo Tổng điều tra tỉnh"], "Sở Tài chính", None),
    (["Ban Chỉ đạo Tổng điều tra"], "Ban Chỉ đạo tỉnh", None),  # no level asked: no verdict
    ([], "Ban Chỉ đạo tỉnh", None),
]


@pytest.mark.parametrize(("asked", "agency", "verdict"), CASES)
def test_level_match(asked: list[str], agency: str, verdict: bool | None) -> None:
    assert _level_match(asked, agency) is verdict


def test_cho_names_the_recipient() -> None:
    assert _recipients_named("tổ giúp việc báo cáo tiến độ cho UBND tỉnh hằng tháng phải không?") \
        == {"Ủy ban nhân dân tỉnh"}
    assert _recipients_named("Sở Tài chính chủ trì việc gì?") == set()


def test_kind_then_plan_words_opens_alike() -> None:
    from lang.normalize import match_tokens
    from rag.answers.reporting import _opens_alike
    actor = match_tokens("tổ giúp việc BCĐ tổng điều tra")
    assert _opens_alike(actor, match_tokens("Tổ giúp việc Ban Chỉ đạo tỉnh"))
    assert not _opens_alike(match_tokens("sở tài nguyên"), match_tokens("Sở Tài chính"))


def test_heading_numbered_in_two_levels_names_its_body() -> None:
    from types import SimpleNamespace

    from lang.normalize import match_tokens
    from rag.answers.reporting import _heads_item
    chunk = SimpleNamespace(section_title="b)", ancestors=["4. PHÂN CÔNG", "4.2. Tổ giúp việc Ban Chỉ đạo tỉnh"])
    assert _heads_item(match_tokens("tổ giúp việc BCĐ tổng điều tra"), chunk)  # type: ignore[arg-type]
    district = SimpleNamespace(section_title="b)", ancestors=["11. Ban Chỉ đạo Tổng điều tra cấp huyện:"])
    assert not _heads_item(match_tokens("Ban Chỉ đạo Tổng điều tra tỉnh"), district)  # type: ignore[arg-type]


def test_ngoai_sets_a_body_aside() -> None:
    from rag.answers.reporting import _excluded
    assert _excluded("Ngoài UBND tỉnh, Sở Tài nguyên và Môi trường còn phải báo cáo cơ quan nào?") \
        == {"Ủy ban nhân dân tỉnh"}
    assert _excluded("Sở Tài nguyên và Môi trường báo cáo UBND tỉnh khi nào?") == set()
