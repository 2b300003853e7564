"""Generic agency kinds every province has, named in full, abbreviated or in lower case by a
question: each is read as the one canonical body (the lexicon, lang/agencies.py)."""

from __future__ import annotations

import pytest

from lang.agencies import find_agencies, find_bodies

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


# a unit's remit listed inside its name, after a comma, and lists that only look like it
REMITS = [
    ("Phòng Bưu chính, Viễn thông và Chuyển đổi số chủ trì", ["Phòng Bưu chính, Viễn thông và Chuyển đổi số"]),
    ("3. Trung tâm Giám sát, điều hành đô thị thông minh", ["Trung tâm Giám sát, điều hành đô thị thông minh"]),
    ("Viễn thông Huế; Trung tâm Giám sát, điều hành đô thị thông minh",
     ["Viễn thông Huế", "Trung tâm Giám sát, điều hành đô thị thông minh"]),
    ("Trung tâm Y tế, trạm y tế xã", ["Trung tâm Y tế"]),
    ("Trung tâm Kiểm soát bệnh tật, đồng thời báo cáo Sở Y tế", ["Trung tâm Kiểm soát bệnh tật", "Sở Y tế"]),
    ("Sở Nội vụ, Phòng Tư pháp, Sở Y tế", ["Sở Nội vụ", "Phòng Tư pháp", "Sở Y tế"]),
]


@pytest.mark.parametrize(("text", "names"), REMITS)
def test_remit_after_comma_stays_in_the_name(text: str, names: list[str]) -> None:
    assert [m.name for m in find_bodies(text)] == names


# a unit of a body ("Thanh tra Sở X", "Văn phòng Sở X", "Chi cục … thuộc Sở X") is a body of its own
UNITS = [
    ("Thanh tra Sở Tài chính chủ trì kiểm tra", ["Thanh tra Sở Tài chính"]),
    ("Văn phòng Sở Y tế tổng hợp, báo cáo", ["Văn phòng Sở Y tế"]),
    ("Thanh tra Sở TN&MT phối hợp", ["Thanh tra Sở Tài nguyên và Môi trường"]),
    ("Chi cục Thủy lợi thuộc Sở Nông nghiệp và Phát triển nông thôn thực hiện", ["Chi cục Thủy lợi"]),
    ("Chi cục Thủy lợi thuộc Sở Nông nghiệp và Phát triển nông thôn, Sở Tài chính",
     ["Chi cục Thủy lợi", "Sở Tài chính"]),
    ("các đơn vị thuộc Sở Y tế", ["Sở Y tế"]),  # no unit named: the body itself
    ("Giám đốc Sở Tài chính chỉ đạo", ["Sở Tài chính"]),  # its head is no unit
    ("Văn phòng UBND tỉnh theo dõi", ["Văn phòng Ủy ban nhân dân tỉnh"]),  # the lexicon's own unit
    ("Sở Tài chính, Thanh tra tỉnh thực hiện", ["Sở Tài chính", "Thanh tra tỉnh"]),
    # what is sent to a body is no part of its name
    ("báo cáo Ban Chỉ đạo kết quả quyết toán trước ngày 25/12", ["Ban Chỉ đạo"]),
    ("gửi Ban Quản lý dự án danh sách đề nghị", ["Ban Quản lý dự án"]),
]


@pytest.mark.parametrize(("text", "names"), UNITS)
def test_a_unit_of_a_body_is_its_own_body(text: str, names: list[str]) -> None:
    assert [m.name for m in find_bodies(text)] == names
