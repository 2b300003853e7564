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
