"""Bodies of a commune or ward (the 2025 two-tier local government), read by `find_bodies` the same
way for a plan's text and a question."""

import pytest

from lang.agencies import find_bodies

CASES = [
    ("UBND xã Tân Phước chủ trì, phối hợp với Công an xã thực hiện.", ["UBND xã Tân Phước", "Công an xã"]),
    ("Ban Chỉ huy quân sự xã phối hợp với Công an phường kiểm tra.", ["Ban Chỉ huy quân sự xã", "Công an phường"]),
    ("Chủ tịch UBND xã chịu trách nhiệm trước Chủ tịch UBND tỉnh.", ["UBND xã", "Ủy ban nhân dân tỉnh"]),
    ("Đảng ủy xã lãnh đạo.", ["Đảng ủy xã"]),
    ("Văn phòng HĐND và UBND phường tham mưu.", ["Văn phòng HĐND và UBND phường"]),
    ("Sở Tài chính và UBND phường thực hiện.", ["Sở Tài chính", "UBND phường"]),
    # a place name after the level word is no OCR misreading of the lexicon's "xã, phường"
    ("Ủy ban nhân dân xã Phước Tân báo cáo Ủy ban nhân dân tỉnh.", ["Ủy ban nhân dân xã Phước Tân", "Ủy ban nhân dân tỉnh"]),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam xã phối hợp.", ["Ủy ban Mặt trận Tổ quốc Việt Nam xã"]),
    # a level left out of a lexicon name is still that name
    ("Giao Ban Quản lý các khu công nghiệp chủ trì, phối hợp", ["Ban Quản lý các khu công nghiệp tỉnh"]),
    # the levels named, and "xã hội", are no commune's body
    ("UBND các xã, phường triển khai thực hiện.", ["Ủy ban nhân dân các xã, phường"]),
    ("UBND cấp xã tổ chức thực hiện.", ["Ủy ban nhân dân cấp xã"]),
    ("Bảo hiểm xã hội tỉnh phối hợp.", ["Bảo hiểm xã hội tỉnh"]),
    # "quản lý" and "về" inside a police unit's name
    ("báo cáo về Phòng Cảnh sát quản lý hành chính về trật tự xã hội Công an tỉnh.",
     ["Phòng Cảnh sát quản lý hành chính về trật tự xã hội", "Công an tỉnh"]),
]


@pytest.mark.parametrize(("text", "names"), CASES)
def test_commune_bodies(text: str, names: list[str]) -> None:
    assert [m.name for m in find_bodies(text)] == names
