"""A department's own plan hands its tasks to its units ("Sở X giao Phòng Y chủ trì …"): the unit
leads, directed by the department; a People's Committee's "giao" stays the plan's own assignment.
Synthetic plans in several wordings and provinces (written for these tests)."""

from __future__ import annotations

import pytest

from index.chunking import chunk_plan
from index.obligations import Obligation, extract_plan
from index.structure import parse_plan
from lang.agencies import find_bodies

_HEADER = """{issuer_parent}
{issuer}
Số: 12/KH-{code}
KẾ HOẠCH
Kiểm tra chuyên ngành năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nâng cao hiệu quả quản lý.
II. TỔ CHỨC THỰC HIỆN
1. Nhiệm vụ
"""


def _rows(issuer: str, line: str, code: str = "SCT", parent: str = "UBND TỈNH AN GIANG") -> list[Obligation]:
    text = _HEADER.format(issuer_parent=parent, issuer=issuer, code=code) + line + "\n"
    plan = parse_plan(text, "p.txt")
    return extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year)


def _leads(rows: list[Obligation]) -> dict[str, set[str | None]]:
    """Each lead and who directs it (None: the plan assigns it directly)."""
    out: dict[str, set[str | None]] = {}
    for r in rows:
        if r.kind == "assignment" and r.role == "lead" and r.agency:
            out.setdefault(r.agency, set()).add(r.directed_by)
    return out


@pytest.mark.parametrize(("issuer", "code", "line", "director", "unit"), [
    ("SỞ CÔNG THƯƠNG", "SCT", "1.1. Sở Công Thương giao Phòng Kỹ thuật an toàn - Môi trường chủ trì, phối hợp với "
     "Công an tỉnh thành lập Đoàn kiểm tra trước ngày 31/3/2026.", "Sở Công Thương", "Phòng Kỹ thuật an toàn"),
    ("SỞ Y TẾ", "SYT", "a) Sở Y tế giao Văn phòng Sở thực hiện tổng hợp kết quả, báo cáo UBND tỉnh.",
     "Sở Y tế", "Văn phòng Sở"),
    ("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "SNNMT", "- Sở Nông nghiệp và Môi trường giao Chi cục Thủy lợi chủ trì "
     "rà soát các công trình đê điều xung yếu.", "Sở Nông nghiệp và Môi trường", "Chi cục Thủy lợi"),
])
def test_department_giao_makes_its_unit_lead(issuer: str, code: str, line: str, director: str, unit: str) -> None:
    leads = _leads(_rows(issuer, line, code))
    assert director in leads.get(unit, set())
    assert director not in leads  # the department hands the task on, it does not lead it here


def test_committee_giao_is_the_plan_assignment() -> None:
    """"UBND tỉnh giao Sở X chủ trì": the plan's own act, Sở X leads undirected."""
    leads = _leads(_rows("ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", "- UBND tỉnh giao Sở Tài chính chủ trì, phối hợp với "
                         "Sở Nội vụ bố trí kinh phí.", code="UBND", parent=""))
    assert leads.get("Sở Tài chính") == {None}


def test_giao_of_a_budget_is_no_delegation() -> None:
    """"… giao Sở X là 1.850 triệu đồng": an allotment, no task handed on."""
    leads = _leads(_rows("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "- Kinh phí từ dự toán giao Sở Khoa học và Công nghệ là "
                         "1.850 triệu đồng.", code="SKHCN"))
    assert "Sở Khoa học và Công nghệ" not in leads


@pytest.mark.parametrize(("text", "name"), [
    ("Phòng Quản lý - Hạ tầng phối hợp", "Phòng Quản lý - Hạ tầng"),
    ("Phòng Kế hoạch - Tài chính chủ trì", "Phòng Kế hoạch - Tài chính"),
])
def test_dash_joins_two_parts_of_a_unit_name(text: str, name: str) -> None:
    assert find_bodies(text)[0].name == name


def test_dash_before_a_clause_ends_the_name() -> None:
    """A lower-case clause before the dash is no part of a name."""
    names = [m.name for m in find_bodies("Trung tâm Y tế tổ chức tập huấn - Hội Chữ thập đỏ tỉnh tham gia")]
    assert names[0] == "Trung tâm Y tế"


def _register(text: str) -> list[Obligation]:
    from index.obligations import extract_plan as _extract
    plan = parse_plan(text, "p.txt")
    return _extract(chunk_plan(plan), plan.meta.province, plan.meta.year)


@pytest.mark.parametrize(("province", "line", "name"), [
    ("LAI CHÂU", "- Tỉnh đoàn Lai Châu chủ trì tổ chức ngày hội việc làm.", "Tỉnh đoàn Lai Châu"),
    ("HÀ GIANG", "b) Tỉnh đoàn Hà Giang chủ trì, phối hợp với Sở Nội vụ tuyên truyền chính sách.", "Tỉnh đoàn Hà Giang"),
    ("ĐIỆN BIÊN", "- Tỉnh Đoàn Điện Biên chủ trì vận động đoàn viên tham gia.", "Tỉnh đoàn Điện Biên"),
])
def test_province_after_a_body_kind_belongs_to_its_name(province: str, line: str, name: str) -> None:
    rows = _register(f"ỦY BAN NHÂN DÂN TỈNH {province}\nSố: 5/KH-UBND\nKẾ HOẠCH\nViệc làm năm 2026\n"
                     f"I. TỔ CHỨC THỰC HIỆN\n1. Nhiệm vụ\n{line}\n")
    assert name in {r.agency for r in rows if r.kind == "assignment"}


def test_province_after_a_level_word_stays_the_lexicon_name() -> None:
    rows = _register("ỦY BAN NHÂN DÂN TỈNH LAI CHÂU\nSố: 5/KH-UBND\nKẾ HOẠCH\nViệc làm năm 2026\n"
                     "I. TỔ CHỨC THỰC HIỆN\n1. Nhiệm vụ\n- Công an tỉnh Lai Châu chủ trì bảo đảm an ninh.\n")
    agencies = {r.agency for r in rows if r.kind == "assignment"}
    assert "Công an tỉnh" in agencies and "Công an tỉnh Lai Châu" not in agencies


@pytest.mark.parametrize(("cell", "names"), [
    ("Các cơ sở giáo dục nghề nghiệp", ["Các cơ sở giáo dục nghề nghiệp"]),
    ("Các hợp tác xã nông nghiệp trên địa bàn; Sở Tài chính", ["Các hợp tác xã nông nghiệp trên địa bàn", "Sở Tài chính"]),
    ("Tổ chức tập huấn cho cán bộ quản lý giáo dục nghề nghiệp các cấp", []),  # a task spilled into the column
])
def test_partner_cell_names_a_group_of_bodies(cell: str, names: list[str]) -> None:
    from index.obligations.table_rows import _agency_names
    assert _agency_names(cell) == names


@pytest.mark.parametrize(("sentence", "tag"), [
    ("Tổ chức kiểm tra đê bao ít nhất 02 lần mỗi tuần trong mùa lũ.", "weekly"),
    ("Đăng tải tin, bài phổ biến pháp luật ít nhất 02 lần/tháng trên Cổng thông tin.", "monthly"),
    ("Tổ chức đối thoại với doanh nghiệp 01 lần/quý.", "quarterly"),
    ("Tổ chức 02 lần trong năm 2026.", None),
])
def test_counted_frequency_is_its_period(sentence: str, tag: str | None) -> None:
    from index.obligations.deadlines import _recurrences
    tags = _recurrences(sentence)
    assert (tag in tags) if tag else not tags
