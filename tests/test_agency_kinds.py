"""Generic agency kinds every province has, named in full, abbreviated or in lower case by a
question: each is read as the one canonical body (the lexicon, lang/agencies.py)."""

from __future__ import annotations

import pytest

from lang.agencies import find_agencies

CASES = [
    ("chi nhánh NHCSXH tỉnh KG gửi kết quả cho vay", "Chi nhánh Ngân hàng Chính sách xã hội tỉnh"),
    ("b) Chi nhánh Ngân hàng Chính sách xã hội tỉnh", "Chi nhánh Ngân hàng Chính sách xã hội tỉnh"),
    ("Ngân hàng Chính sách xã hội chi nhánh Đồng Tháp báo cáo", "Chi nhánh Ngân hàng Chính sách xã hội tỉnh"),
]


@pytest.mark.parametrize(("text", "name"), CASES)
def test_generic_kind_is_one_body(text: str, name: str) -> None:
    assert [m.name for m in find_agencies(text)][:1] == [name]


def test_other_banks_are_not_the_social_policy_bank() -> None:
    assert "Chi nhánh Ngân hàng Chính sách xã hội tỉnh" not in {m.name for m in find_agencies(
        "Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh")}


PLURALS = [
    ("các sở xây dựng kế hoạch cụ thể xong gửi về đâu", []),  # the class, then its verb
    ("Sở Xây dựng chủ trì thẩm định", ["Sở Xây dựng"]),
    ("các sở, ngành xây dựng kế hoạch", ["Các sở, ban, ngành tỉnh"]),
]


@pytest.mark.parametrize(("text", "names"), PLURALS)
def test_plural_class_is_no_one_body(text: str, names: list[str]) -> None:
    assert [m.name for m in find_agencies(text)] == names
