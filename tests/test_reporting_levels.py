"""A body named by its kind and level ("Ban Chỉ đạo Tổng điều tra tỉnh") is the one reporting
only at that level: a steering committee exists at each level under one name."""

from __future__ import annotations

import pytest

from index.obligations import Obligation
from rag.answers.reporting import _level_match, _reporter_note, recipients_named

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
    assert recipients_named("tổ giúp việc báo cáo tiến độ cho UBND tỉnh hằng tháng phải không?") \
        == {"Ủy ban nhân dân tỉnh"}
    assert recipients_named("Sở Tài chính chủ trì việc gì?") == set()


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


def _line(quote: str, agency: str | None, label: str = "Mục 3, khoản 1") -> Obligation:
    return Obligation(kind="reporting", source="p.txt", doc_title="Kế hoạch", section="3.1", section_label=label,
                      quote=quote, agency=agency, recipient="Thủ tướng Chính phủ")


REPORTER_NOTES = [
    # a dash line under "3.1. Giao Công an tỉnh chủ trì …:": the reporter is named only in the lead-in
    ("- Tổng hợp kết quả, tham mưu UBND tỉnh báo cáo Thủ tướng Chính phủ.", "Công an tỉnh", "Mục 3, khoản 1",
     " Cơ quan được giao mục này: Công an tỉnh (Mục 3, khoản 1)."),
    # the sentence names it: nothing added
    ("Công an tỉnh tổng hợp, báo cáo Thủ tướng Chính phủ.", "Công an tỉnh", "Mục 3, khoản 1", ""),
    # the item's label names it ("Mục IV, khoản 4 – Thanh tra Sở"): nothing added
    ("Báo cáo Thủ tướng Chính phủ.", "Thanh tra Sở", "Mục IV, khoản 4 – Thanh tra Sở", ""),
    # every body, none by name, or no reporter settled: nothing to name
    ("- Báo cáo Thủ tướng Chính phủ.", "các cơ quan, đơn vị được giao nhiệm vụ", "Mục 3", ""),
    ("- Báo cáo Thủ tướng Chính phủ.", None, "Mục 3", ""),
]


@pytest.mark.parametrize(("quote", "agency", "label", "note"), REPORTER_NOTES)
def test_reporter_named_only_in_the_lead_in_is_told(quote: str, agency: str | None, label: str, note: str) -> None:
    assert _reporter_note(_line(quote, agency, label), quote) == note


def test_reporter_named_by_abbreviation_is_not_told_again() -> None:
    quote = "UBND tỉnh báo cáo Thủ tướng Chính phủ trước ngày 20/10/2024."
    assert _reporter_note(_line(quote, "Ủy ban nhân dân tỉnh"), quote) == ""
