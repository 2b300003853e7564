"""Implicit periods: a reporting-responsibility table names each row's period bare in its "Kỳ báo
cáo" column ("Năm", "6 tháng, năm", "Quý"), and a sentence may say "trước ngày 05 của tháng cuối
quý" without "hằng quý". Plans written for these tests (other provinces, layouts, wordings)."""

from __future__ import annotations

import pytest

from index.chunking import chunk_plan
from index.obligations import Obligation, extract_plan
from index.obligations.deadlines import period_cell
from index.structure import parse_plan
from rag.slots import filled

DUTY_TABLE_PLAN = """ỦY BAN NHÂN DÂN TỈNH HÀ GIANG
Số: 91/KH-UBND
KẾ HOẠCH
Thực hiện công tác bình đẳng giới năm 2026
I. MỤC ĐÍCH, YÊU CẦU
- Nâng cao nhận thức về bình đẳng giới.
II. TỔ CHỨC THỰC HIỆN
Sở Y tế theo dõi, tổng hợp kết quả thực hiện Kế hoạch.
PHỤ LỤC II
TRÁCH NHIỆM BÁO CÁO
| STT | Đơn vị báo cáo | Nội dung báo cáo | Nơi nhận | Kỳ báo cáo | Thời hạn gửi |
| --- | --- | --- | --- | --- | --- |
| 1 | Sở Giáo dục và Đào tạo | Bình đẳng giới trong trường học | Sở Y tế | Năm | Trước ngày 15/11 |
| 2 | Công an tỉnh | Bạo lực gia đình | Sở Y tế | Quý, năm | Trước ngày 20 tháng cuối quý |
| 3 | Sở Văn hóa, Thể thao và Du lịch | Truyền thông về bình đẳng giới | Sở Y tế | 06 tháng và năm | Trước ngày 10/6 và 10/12 |
| 4 | UBND các xã, phường | Số vụ bạo lực phát sinh | Sở Y tế | Đột xuất | Khi có yêu cầu |
"""


@pytest.fixture(scope="module")
def rows() -> list[Obligation]:
    plan = parse_plan(DUTY_TABLE_PLAN, "ha-giang.txt")
    return extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year)


@pytest.mark.parametrize(("cell", "tags"), [
    ("Năm", ("annual",)), ("6 tháng, năm", ("semiannual", "annual")), ("Quý", ("quarterly",)),
    ("Hằng tháng", ("monthly",)), ("Đột xuất", ("on_request",)), ("06 tháng và năm", ("semiannual", "annual")),
    ("Báo cáo năm", ("annual",)),
    # a cell that says more than periods is no period cell: its words are read as a sentence's
    ("Năm 2026", ()), ("Trước ngày 10/12", ()), ("Khi có vụ việc", ()), ("", ()),
])
def test_period_cell(cell: str, tags: tuple[str, ...]) -> None:
    assert period_cell(cell) == tags


@pytest.mark.parametrize(("section", "tags"), [
    ("PL1.1", {"annual"}), ("PL1.2", {"quarterly", "annual"}), ("PL1.3", {"semiannual", "annual"}),
])
def test_each_row_falls_due_by_its_period_column(rows: list[Obligation], section: str, tags: set[str]) -> None:
    due = [r for r in rows if r.kind == "deadline" and r.section == section]
    assert due and tags <= set(due[0].recurrence)
    lines = [r for r in rows if r.kind == "reporting" and r.section == section]
    assert lines and all(tags <= set(r.recurrence) for r in lines)


@pytest.mark.parametrize(("text", "said"), [
    ("| 6 | Sở Nông nghiệp | An toàn lao động | Sở Nội vụ | Năm | Trước ngày 10/12 |", True),
    ("| 2 | Sở Y tế | Bệnh nghề nghiệp | Sở Nội vụ | 6 tháng, năm | Trước ngày 10/6, 10/12 |", True),
    ("báo cáo Hội Nông dân tỉnh trước ngày 05 của tháng cuối quý.", True),
    ("gửi Sở Tài chính trong tháng đầu quý", True),
    # a year in a cell, a plain date: no period
    ("| 1 | Năm 2026 | Xây dựng trường |", False),
    ("báo cáo Sở Nội vụ trước ngày 10/12/2026.", False),
])
def test_an_answer_quoting_an_implicit_period_states_a_frequency(text: str, said: bool) -> None:
    assert filled("frequency", text) is said
