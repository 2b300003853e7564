"""Due dates from register rows: dated and periodic obligations, agency matching, a frozen clock."""

from __future__ import annotations

import datetime as dt

import pytest

from index.obligations import Obligation
from rag.schedule import (
    ACTOR,
    COOPERATING,
    RECIPIENT,
    SHARED,
    due_dates,
    known_agencies,
    plan_end_years,
    resolve_agency,
    rule_of,
    upcoming,
)

TODAY = dt.date(2025, 3, 20)  # the frozen clock: every date below is computed from it
SO_TC = "Sở Tài chính"
SO_TTTT = "Sở Thông tin và Truyền thông"
UBND = "Ủy ban nhân dân tỉnh"


def row(quote: str, kind: str = "deadline", agency: str | None = SO_TC, recurrence: tuple[str, ...] = (),
        due_date: str | None = None, deadline_text: str | None = None, year: int | None = 2025,
        section: str = "III.1", **extra) -> Obligation:
    return Obligation(kind=kind, source="plan-2025.txt", doc_title="Kế hoạch thử", section=section,
                      section_label=f"Mục {section}", quote=quote, agency=agency, recurrence=recurrence,
                      due_date=due_date, deadline_text=deadline_text, year=year, **extra)


def dates(record: Obligation, start: dt.date = TODAY, days: int = 400) -> list[str]:
    rule = rule_of(record)
    assert rule is not None
    return [d.isoformat() for d in rule.dates(start, start + dt.timedelta(days=days))]


def test_a_dated_obligation_is_due_once():
    record = row("Báo cáo kết quả trước ngày 15/11/2025.", due_date="2025-11-15", deadline_text="trước ngày 15/11/2025")
    assert dates(record) == ["2025-11-15"]
    assert dates(record, start=dt.date(2025, 11, 16)) == []


def test_annual_report_with_a_day_and_month_recurs_each_year():
    record = row("Định kỳ hằng năm, báo cáo kết quả về Sở Tài chính trước ngày 15/12.", recurrence=("annual", "periodic"))
    assert dates(record, days=1000)[:3] == ["2025-12-15", "2026-12-15", "2027-12-15"]


def test_dated_annual_obligation_next_occurrence_is_next_year_once_passed():
    record = row("Hằng năm, trước ngày 10/01/2025 báo cáo UBND tỉnh.", recurrence=("annual",),
                 due_date="2025-01-10", deadline_text="trước ngày 10/01/2025")
    assert dates(record)[0] == "2026-01-10"


def test_quarterly_report_before_the_15th_of_the_last_month_of_the_quarter():
    record = row("Báo cáo quý gửi Sở Tài chính trước ngày 15 của tháng cuối quý.")
    assert dates(record, days=300) == ["2025-06-15", "2025-09-15", "2025-12-15"]
    # on the very day it is still due
    assert dates(record, start=dt.date(2025, 6, 15), days=1) == ["2025-06-15"]


def test_report_in_the_first_month_of_the_next_quarter():
    record = row("Báo cáo hằng quý trước ngày 10 tháng đầu quý sau.", recurrence=("quarterly",))
    assert dates(record, days=210) == ["2025-04-10", "2025-07-10", "2025-10-10"]


def test_semiannual_report_with_one_date_is_due_twice_a_year():
    record = row("Định kỳ 6 tháng, báo cáo trước ngày 20/6.", recurrence=("periodic", "semiannual"))
    assert dates(record, days=460) == ["2025-06-20", "2025-12-20", "2026-06-20"]


def test_semiannual_and_annual_report_with_both_dates():
    record = row("Báo cáo định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12).",
                 recurrence=("annual", "periodic", "semiannual"))
    assert dates(record, days=300) == ["2025-06-15", "2025-12-15"]


def test_monthly_report_on_a_day_of_the_month():
    record = row("Báo cáo tình hình trước ngày 20 hằng tháng.", recurrence=("monthly",))
    assert dates(record, days=70) == ["2025-03-20", "2025-04-20", "2025-05-20"]  # today included
    feb = row("Báo cáo hằng tháng trước ngày 31.", recurrence=("monthly",))
    assert dates(feb, start=dt.date(2025, 2, 1), days=27) == ["2025-02-28"]  # a short month: its last day


def test_ocr_damaged_quarter_wording_is_read():
    record = row("Bao céo quy gtri S¢ Tai chinh trudc ngay 15 ctia thang cudi quy.")
    assert rule_of(record) is not None and rule_of(record).period == "quarterly"


def test_undated_periodic_or_on_request_duties_get_no_invented_date():
    assert rule_of(row("Định kỳ báo cáo UBND tỉnh kết quả thực hiện.", recurrence=("periodic",))) is None
    assert rule_of(row("Tổ chức hoạt động hằng năm.", recurrence=("annual",))) is None
    assert rule_of(row("Báo cáo đột xuất khi có yêu cầu.", recurrence=("on_request",))) is None


def test_day_and_month_without_year_or_recurrence_is_the_plans_year():
    assert dates(row("Hoàn thành trước ngày 30/6.", year=2025)) == ["2025-06-30"]


def test_date_of_a_cited_document_is_not_a_day_month_anchor():
    assert rule_of(row("Căn cứ Kế hoạch số 07/KH-UBND ngày 15/01/2024 của UBND tỉnh.", recurrence=("annual",))) is None


def test_periodic_duties_stop_after_the_plans_last_year():
    record = row("Báo cáo quý trước ngày 15 của tháng cuối quý.")
    found = due_dates([record], TODAY, dt.date(2026, 12, 31), end_years={"plan-2025.txt": 2025})
    assert [d.date.isoformat() for d in found] == ["2025-06-15", "2025-09-15", "2025-12-15"]


def test_roles_of_an_agency():
    reporting = row("Sở Tài chính phối hợp; báo cáo UBND tỉnh (qua Sở Thông tin và Truyền thông) trước ngày 15/12/2025.",
                    kind="reporting", recipient=UBND, via=SO_TTTT, due_date="2025-12-15", cooperating=("Sở Nội vụ",))
    shared = row("Các cơ quan, đơn vị báo cáo trước ngày 01/12/2025.", agency="các cơ quan, đơn vị",
                 due_date="2025-12-01", section="V.2")
    records = [reporting, shared]
    assert [(d.role, d.date.day) for d in due_dates(records, TODAY, dt.date(2025, 12, 31), SO_TC)] == \
        [(SHARED, 1), (ACTOR, 15)]
    assert [d.role for d in due_dates(records, TODAY, dt.date(2025, 12, 31), "Sở Nội vụ")] == [SHARED, COOPERATING]
    assert [d.role for d in due_dates(records, TODAY, dt.date(2025, 12, 31), UBND)] == [RECIPIENT]
    assert due_dates(records, TODAY, dt.date(2025, 12, 31), "Sở Y tế")[0].role == SHARED


def test_the_reporting_row_wins_over_the_deadline_row_of_the_same_sentence():
    quote = "Các sở báo cáo Sở Tài chính trước ngày 15/11/2025."
    deadline = row(quote, agency=None, due_date="2025-11-15")
    reporting = row(quote, kind="reporting", agency=SO_TTTT, recipient=SO_TC, due_date="2025-11-15")
    (only,) = due_dates([deadline, reporting], TODAY, dt.date(2025, 12, 31))
    assert only.record.kind == "reporting"
    assert only.uid == due_dates([reporting], TODAY, dt.date(2025, 12, 31))[0].uid  # stable
    assert only.uid.endswith("-2025-11-15@planbot")


@pytest.mark.parametrize(("typed", "expected"), [
    ("Sở TT&TT", SO_TTTT), ("so thong tin va truyen thong", SO_TTTT), ("Sở Thông tin và Truyền thông", SO_TTTT),
    ("STTTT", SO_TTTT), ("công an tinh", "Công an tỉnh"), ("UBND tỉnh", UBND),
])
def test_agency_spellings_meet(typed, expected):
    assert resolve_agency(typed, known_agencies([])).name == expected


def test_ambiguous_and_unknown_agencies_come_with_close_names():
    vague = resolve_agency("Sở Văn hóa", known_agencies([]))
    assert vague.ambiguous and "Sở Văn hóa và Thể thao" in vague.candidates
    assert "Sở Văn hóa, Thể thao và Du lịch" in vague.candidates
    assert resolve_agency("Sở Tài chánh", known_agencies([])).name == SO_TC  # the lexicon forgives misspelt vowels
    unknown = resolve_agency("Tổng cục Tài chính", known_agencies([]))
    assert unknown.name is None and SO_TC in unknown.candidates
    assert resolve_agency("!!!", known_agencies([])).candidates == ()


def test_names_outside_the_lexicon_are_known_from_the_register():
    heading = "Trung tâm Bảo tồn Di tích cố đô Huế"
    names = known_agencies([row("…", agency=heading)])
    assert resolve_agency("trung tam bao ton di tich", names).name == heading


def test_sample_plans_thirty_days_before_the_hue_deadline(sample_app):
    records = sample_app.register.records()
    ends = plan_end_years(sample_app.library.documents())
    today = dt.date(2024, 10, 20)
    tttt = upcoming(records, today, 30, SO_TTTT, ends)
    assert [(d.date.isoformat(), d.record.source, d.record.section, d.role) for d in tttt] == [
        ("2024-11-15", "thua-thien-hue-2024.txt", "V.2", RECIPIENT)]
    everything = upcoming(records, today, 30, None, ends)
    assert [d.date.isoformat() for d in everything] == ["2024-11-15"]
    assert upcoming(records, dt.date(2024, 11, 16), 30, SO_TTTT, ends) == []
