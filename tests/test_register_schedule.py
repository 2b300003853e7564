"""Deadlines of a reporting part written as fields ("- Nơi nhận: …", "- Thời hạn: báo cáo quý …;
báo cáo 6 tháng …; báo cáo năm …"), a lone "Phụ lục" heading its report table, and deadlines named
by a season or the quarter after. One synthetic plan written for these tests, not from any plan."""

from __future__ import annotations

import pytest

from index.chunking import chunk_plan
from index.obligations import Obligation, extract_plan
from index.obligations.deadlines import _deadlines_in, _recurrences, _relative_deadline
from index.structure import parse_plan

SCHEDULE_PLAN = """ỦY BAN NHÂN DÂN TỈNH CAO BẰNG
Số: 31/KH-UBND
KẾ HOẠCH
Phát triển chăn nuôi nông hộ năm 2026
I. MỤC ĐÍCH, YÊU CẦU
- Nâng cao thu nhập của nông hộ.
II. NHIỆM VỤ
1. Sở Nông nghiệp và Môi trường
- Xây dựng phương án cấp giống, hoàn thành trước vụ Xuân năm 2026.
- Gửi kết quả tiêm phòng về Ủy ban nhân dân tỉnh trước ngày 10 của tháng đầu quý sau.
III. CHẾ ĐỘ BÁO CÁO
1. Báo cáo định kỳ
- Đơn vị báo cáo: Ủy ban nhân dân các xã, phường.
- Nơi nhận: Sở Nông nghiệp và Môi trường.
- Thời hạn: báo cáo quý gửi trước ngày 15 của tháng cuối quý; báo cáo 6 tháng gửi trước ngày 15/6/2026; báo cáo năm gửi trước ngày 15/11/2026.
2. Báo cáo đột xuất
- Khi xảy ra dịch bệnh, Ủy ban nhân dân các xã, phường báo cáo ngay về Sở Nông nghiệp và Môi trường.
- Thời gian: Từ ngày 01/3/2026 đến ngày 30/11/2026.

Trên đây là Kế hoạch phát triển chăn nuôi nông hộ năm 2026.

Nơi nhận:
- Như trên;
- Lưu: VT.

Phụ lục
LỊCH GỬI BÁO CÁO
| STT | Nội dung báo cáo | Đơn vị báo cáo | Nơi nhận báo cáo | Thời hạn gửi |
| --- | --- | --- | --- | --- |
| 1 | Báo cáo tiến độ | UBND các xã, phường | Sở Nông nghiệp và Môi trường | Trước ngày 20 của tháng cuối quý |
| 2 | Báo cáo năm | Sở Nông nghiệp và Môi trường | UBND tỉnh | Trước ngày 05/12/2026 |
"""


@pytest.fixture(scope="module")
def rows() -> list[Obligation]:
    plan = parse_plan(SCHEDULE_PLAN, "cao-bang-2026-chan-nuoi.txt")
    return extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year)


def _deadlines(rows: list[Obligation], section: str) -> list[tuple[str | None, tuple[str, ...]]]:
    return [(r.due_date, tuple(r.recurrence)) for r in rows if r.kind == "deadline" and r.section == section]


def test_a_reports_recipient_field_does_not_end_its_item(rows):
    # "- Nơi nhận: Sở X" is a field: the time field under it and the next item are still read
    assert {r.section for r in rows} >= {"III.1", "III.2"}
    assert not any(r.section == "closing" and r.kind == "deadline" for r in rows)


def test_each_clause_of_a_time_field_is_due_apart(rows):
    found = _deadlines(rows, "III.1")
    assert (None, ("quarterly",)) in found
    assert ("2026-06-15", ("semiannual",)) in found
    assert ("2026-11-15", ()) in found


def test_a_window_field_is_one_deadline_at_its_end(rows):
    assert ("2026-11-30", ()) in _deadlines(rows, "III.2")


def test_a_lone_phu_luc_heads_the_appendix_and_its_rows(rows):
    assert _deadlines(rows, "PL1.1") == [(None, ("quarterly",))]
    assert _deadlines(rows, "PL1.2") == [("2026-12-05", ())]


@pytest.mark.parametrize(("sentence", "tags"), [
    ("Gửi kết quả trước ngày 10 của tháng đầu quý sau.", ("quarterly",)),
    ("báo cáo quý gửi trước ngày 15 của tháng cuối quý", ("quarterly",)),
    ("Định kỳ 6 tháng một lần kiểm tra.", ("semiannual",)),
    ("Hoàn thành trước ngày 15 tháng 3.", ()),
])
def test_recurrence_cues(sentence, tags):
    assert _recurrences(sentence) == tags


@pytest.mark.parametrize(("sentence", "relative"), [
    ("- Xây dựng phương án cấp giống, hoàn thành trước vụ Xuân năm 2026.", "trước vụ Xuân năm 2026"),
    ("Gia cố đê điều trước mùa mưa bão.", "trước mùa mưa bão"),
    ("Hỗ trợ lao động học ngoại ngữ trước khi xuất cảnh.", None),
    ("Hoàn thành trước ngày 30/4/2026.", None),
])
def test_a_season_or_a_holiday_is_a_relative_deadline(sentence, relative):
    assert _relative_deadline(sentence) == relative


@pytest.mark.parametrize(("sentence", "relative"), [
    ("- Gửi danh sách vận động viên chậm nhất 07 ngày trước ngày khai mạc.", "chậm nhất 07 ngày trước ngày khai mạc"),
    ("c) Tổ chức thi đấu; trao giải ngay sau vòng chung kết.", "ngay sau vòng chung kết"),
    ("4. Khi xảy ra sự cố, báo cáo ngay Trưởng Ban Chỉ đạo.", "Khi xảy ra sự cố"),
    ("Thực hiện ngay sau đây.", None),
    ("Báo cáo trước ngày 20/6/2026.", None),
])
def test_a_step_counted_from_an_event_is_relative(sentence, relative):
    assert _relative_deadline(sentence) == relative


@pytest.mark.parametrize(("sentence", "dates"), [
    ("a) Tổng duyệt chương trình nghệ thuật khai mạc vào ngày 11/11/2024.", ["2024-11-11"]),
    ("b) Khai mạc vào tối ngày 13/11/2024; lễ rước vào sáng ngày 15/11/2024.", ["2024-11-13", "2024-11-15"]),
    ("c) Thi đấu vào ngày 14/11/2024 và ngày 15/11/2024.", ["2024-11-15"]),
    ("Căn cứ Quyết định số 12/QĐ-UBND ngày 05/01/2024 của UBND tỉnh.", []),
])
def test_a_scheduled_step_is_due_on_its_day(sentence, dates):
    assert [d for d, _, _ in _deadlines_in(sentence)] == dates


def test_daily_is_a_recurrence_of_no_named_period():
    assert _recurrences("báo cáo nhanh trước 20 giờ hằng ngày") == ("periodic",)


@pytest.mark.parametrize(("sentence", "relative"), [
    # an OCR'd page: "kể từ" read as "ké tir", "ngày" without its mark; the words kept as printed
    ("dap tam trong 07 ngay ké tir khi két thic mua kh6 theo théng bao",
     "trong 07 ngay ké tir khi két thic mua kh6 theo théng bao"),
    ("bao cao So Nong nghiép trong 03 ngay ké tir khi xay ra thiét hai.", "trong 03 ngay ké tir khi xay ra thiét hai"),
    # clean text is read by the printed pattern only: "ngày khi" is no "ngay khi"
    ("Tổ chức tổng kết vào ngày khi kết thúc mùa khô.", None),
])
def test_relative_deadline_on_ocr_words(sentence, relative) -> None:
    assert _relative_deadline(sentence) == relative


@pytest.mark.parametrize(("sentence", "due"), [
    # "trước" as OCR leaves it, beyond the repair rules: still the deadline's cue
    ("thiéu nuoc truodc ngay 31/01/2025.", "2025-01-31"),
    ("trinh UBND tinh truséc ngay 30/11/2024;", "2024-11-30"),
    ("gui UBND cap huyén trucdc ngay 20/12/2024.", "2024-12-20"),
    # a date with no cue is an event, not a deadline
    ("Hội nghị tổ chức ngày 20/12/2024 tại huyện.", None),
])
def test_deadline_cue_on_ocr_words(sentence, due) -> None:
    assert next(iter(_deadlines_in(sentence)), (None,))[0] == due
