"""The register reads the genre's ways of saying who acts, who reports to whom and by when: one
synthetic snippet per rule (written for these tests, not taken from any plan)."""

from __future__ import annotations

import json

import pytest

from eval.register_eval import (
    agency_keys,
    evaluate_register,
    load_register_gold,
    normalise_gold,
    place_gold,
)
from index.chunking import chunk_plan
from index.obligations import Obligation, extract_plan, period_deadlines
from index.obligations.actors import _directed
from index.structure import PLAN_MODEL_VERSION, parse_plan
from lang.agencies import find_bodies

HEADINGS_PLAN = """ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ
Số: 12/KH-UBND
KẾ HOẠCH
Phát triển hạ tầng số năm 2026
Căn cứ Luật Viễn thông ngày 24 tháng 11 năm 2023; căn cứ Nghị định số 10/2024/NĐ-CP báo cáo Chính phủ;
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Hoàn thiện hạ tầng số.
II. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ:
a) Xây dựng bản đồ trạm phát sóng, hoàn thành trước ngày 30/06/2026.
b) Tổng hợp kết quả, báo cáo UBND tỉnh trước ngày 15/12/2027.
2. Sở Nông nghiệp và Môi trường
- Sở Nông nghiệp và Môi trường chỉ đạo Chi cục Biển đảo và Thủy sản thực hiện khảo sát vùng phủ sóng ven biển.
- Lập dự toán kinh phí báo cáo Sở Nông nghiệp và Môi trường.
3. Các sở, ngành, UBND cấp xã chủ động bố trí kinh phí; định kỳ hằng quý báo cáo kết quả về Sở Tài chính.
4. Công an tỉnh
- Định kỳ 6 tháng báo cáo Bộ Công an, UBND tỉnh kết quả thực hiện.
- Trong 15 ngày kể từ khi xảy ra sự cố, báo cáo UBND tỉnh (qua Sở Khoa học và Công nghệ).
- Khắc phục hạ tầng khi nước rút.
5. Trung tâm Chuyển đổi số tỉnh
- Trước ngày 15 của tháng cuối quý, gửi số liệu về Sở Khoa học và Công nghệ để tổng hợp, báo cáo UBND tỉnh.
6. Thực hiện rà soát thủ tục hành chính
- Cơ quan chủ trì: Sở Tư pháp.
- Cơ quan phối hợp: Văn phòng UBND tỉnh; Sở Nội vụ.
- Thời gian thực hiện: hằng năm.
Trên đây là Kế hoạch phát triển hạ tầng số năm 2026, đề nghị các cơ quan, đơn vị báo cáo kết quả về Sở Khoa học và Công nghệ trước ngày 01/12/2026 để tổng hợp, báo cáo UBND tỉnh./.
Nơi nhận:
- Bộ Khoa học và Công nghệ (để báo cáo);
- Thường trực Tỉnh ủy (để báo cáo);
- Lưu: VT.
"""

TABLE_PLAN = """KẾ HOẠCH
Chuyển đổi số tỉnh Hà Tĩnh năm 2026
I. MỤC TIÊU
1. Mục tiêu
- Số hóa hồ sơ.
II. TỔ CHỨC THỰC HIỆN
Các cơ quan thực hiện nhiệm vụ tại Phụ lục kèm theo.
PHỤ LỤC
DANH MỤC NHIỆM VỤ
STT | Nhiệm vụ | Chủ trì | Phối hợp | Thời gian
1 | Xây dựng kho dữ liệu dùng chung | Sở Khoa học và Công nghệ; Trung tâm Công nghệ thông tin tỉnh | Sở Tài chính, Công an tỉnh | Quý IV/2026
2 | Báo cáo Bộ Khoa học và Công nghệ tình hình thực hiện | Sở Khoa học và Công nghệ | Các sở, ngành | Hằng năm
"""


def _rows(text: str, source: str = "p.txt") -> list[Obligation]:
    plan = parse_plan(text, source)
    return extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year)


@pytest.fixture(scope="module")
def headings_rows() -> list[Obligation]:
    return _rows(HEADINGS_PLAN)


def _leads(rows: list[Obligation], section: str) -> set[str]:
    return {r.agency for r in rows if r.kind == "assignment" and r.section == section and r.agency}


def _reports(rows: list[Obligation], section: str) -> list[Obligation]:
    return [r for r in rows if r.kind == "reporting" and r.section == section]


def test_points_inherit_the_agency_of_their_heading(headings_rows):
    assert _leads(headings_rows, "II.1.a") == {"Sở Khoa học và Công nghệ"}
    assert _leads(headings_rows, "II.1.b") == {"Sở Khoa học và Công nghệ"}
    dated = [r for r in headings_rows if r.kind == "deadline" and r.section == "II.1.a"]
    assert [r.due_date for r in dated] == ["2026-06-30"]
    assert dated[0].agency == "Sở Khoa học và Công nghệ"
    report = _reports(headings_rows, "II.1.b")
    assert [(r.agency, r.recipient, r.due_date) for r in report] == [
        ("Sở Khoa học và Công nghệ", "Ủy ban nhân dân tỉnh", "2027-12-15")]


def test_delegation_makes_the_delegate_act_and_report_to_its_director(headings_rows):
    delegated = [r for r in headings_rows if r.kind == "assignment" and r.section == "II.2" and r.directed_by]
    assert [(r.agency, r.directed_by) for r in delegated] == [
        ("Chi cục Biển đảo và Thủy sản", "Sở Nông nghiệp và Môi trường")]
    reports = _reports(headings_rows, "II.2")
    assert [(r.agency, r.recipient) for r in reports] == [
        ("Chi cục Biển đảo và Thủy sản", "Sở Nông nghiệp và Môi trường")]  # never X → X


def test_shared_subject_gives_each_agency_a_lead(headings_rows):
    assert {"Các sở, ban, ngành tỉnh", "Ủy ban nhân dân cấp xã"} <= _leads(headings_rows, "II.3")
    report = _reports(headings_rows, "II.3")
    assert [r.recipient for r in report] == ["Sở Tài chính"]
    assert "quarterly" in report[0].recurrence


def test_several_recipients_one_row_each_and_ministries(headings_rows):
    first = [r for r in _reports(headings_rows, "II.4") if "6 tháng" in r.quote]
    assert [r.recipient for r in first] == ["Bộ Công an", "Ủy ban nhân dân tỉnh"]
    assert all(r.agency == "Công an tỉnh" and "semiannual" in r.recurrence for r in first)


def test_report_through_an_agency_keeps_both(headings_rows):
    via = [r for r in _reports(headings_rows, "II.4") if r.via]
    assert [(r.recipient, r.via) for r in via] == [("Ủy ban nhân dân tỉnh", "Sở Khoa học và Công nghệ")]


def test_relative_deadlines_are_kept_as_printed(headings_rows):
    relative = [r.relative for r in headings_rows if r.kind == "deadline" and r.section == "II.4" and r.relative]
    assert any(text.startswith("Trong 15 ngày kể từ") for text in relative)
    assert "khi nước rút" in relative
    assert all(r.due_date is None for r in headings_rows if r.relative)


def test_body_outside_the_lexicon_leads_and_forwards_a_quarterly_report(headings_rows):
    assert _leads(headings_rows, "II.5") == {"Trung tâm Chuyển đổi số tỉnh"}
    report = _reports(headings_rows, "II.5")
    assert [(r.agency, r.recipient, r.onward) for r in report] == [
        ("Trung tâm Chuyển đổi số tỉnh", "Sở Khoa học và Công nghệ", ("Ủy ban nhân dân tỉnh",))]
    assert "quarterly" in report[0].recurrence


def test_labelled_fields_give_lead_partners_and_time(headings_rows):
    assert _leads(headings_rows, "II.6") == {"Sở Tư pháp"}
    lead = next(r for r in headings_rows if r.kind == "assignment" and r.section == "II.6")
    assert set(lead.cooperating) == {"Văn phòng Ủy ban nhân dân tỉnh", "Sở Nội vụ"}
    time = [r for r in headings_rows if r.kind == "deadline" and r.section == "II.6"]
    assert [r.recurrence for r in time] == [("annual",)] and time[0].agency == "Sở Tư pháp"


def test_closing_paragraph_reports_and_the_distribution_list_does_not(headings_rows):
    closing = [r for r in headings_rows if r.kind == "reporting" and r.section == "closing"]
    assert [(r.recipient, r.onward, r.due_date) for r in closing] == [
        ("Sở Khoa học và Công nghệ", ("Ủy ban nhân dân tỉnh",), "2026-12-01")]
    everyone = {r.recipient for r in headings_rows if r.kind == "reporting"}
    assert "Tỉnh ủy" not in everyone and "Bộ Khoa học và Công nghệ" not in everyone  # "Nơi nhận" only


def test_legal_bases_of_the_preamble_are_no_obligations(headings_rows):
    assert all(r.section != "preamble" for r in headings_rows)
    assert "Chính phủ" not in {r.recipient for r in headings_rows}


def test_appendix_task_table_one_assignment_per_row():
    rows = _rows(TABLE_PLAN)
    first = [r for r in rows if r.kind == "assignment" and r.section == "PL1.1"]
    assert {r.agency for r in first} == {"Sở Khoa học và Công nghệ", "Trung tâm Công nghệ thông tin tỉnh"}
    assert set(first[0].cooperating) == {"Sở Tài chính", "Công an tỉnh"}
    second = [r for r in rows if r.section == "PL1.2"]
    assert [(r.agency, r.recipient) for r in second if r.kind == "reporting"] == [
        ("Sở Khoa học và Công nghệ", "Bộ Khoa học và Công nghệ")]
    assert [r.recurrence for r in second if r.kind == "deadline"] == [("annual",)]


@pytest.mark.parametrize(("text", "names"), [
    ("Chi cục Biển đảo và Thủy sản thực hiện", ["Chi cục Biển đảo và Thủy sản"]),
    ("báo cáo Công an tỉnh (qua Phòng An ninh chính trị nội bộ).", ["Công an tỉnh", "Phòng An ninh chính trị nội bộ"]),
    ("Ban Chỉ đạo và Ban Tổ chức", ["Ban Chỉ đạo", "Ban Tổ chức"]),
    ("Thuế tỉnh, Kho bạc nhà nước khu vực XI", ["Thuế tỉnh", "Kho bạc nhà nước khu vực XI"]),
    ("Ban hành kế hoạch. Hội nghị tổng kết", []),
    ("Báo cáo Ban Quản lý các khu công nghệ cao và khu công nghiệp", ["Ban Quản lý các khu công nghệ cao"]),
    ("gửi về Ban Chỉ đạo các Chương trình mục tiêu quốc gia thành phố", ["Ban Chỉ đạo các Chương trình mục tiêu quốc gia"]),
    ("Ban Chỉ đạo các cấp triển khai", ["Ban Chỉ đạo"]),
    # the district level named as a level is the group of the districts
    ("Giao UBND cấp huyện, UBND cấp xã triển khai", ["Ủy ban nhân dân các huyện, thị xã, thành phố",
                                                    "Ủy ban nhân dân cấp xã"]),
    # a name printed exactly is not read as a misprint of another ("cấp xã" is no "cấp huyện")
    ("Ủy ban nhân dân cấp xã tổ chức", ["Ủy ban nhân dân cấp xã"]),
    ("báo cáo, đề xuất cấp có thẩm quyền quyết định", ["Cấp có thẩm quyền"]),
])
def test_bodies_outside_the_lexicon(text, names):
    assert [m.name for m in find_bodies(text)] == names


def test_scorer_places_gold_by_line_or_quote_and_splits_shared_subjects(tmp_path):
    plan = parse_plan(HEADINGS_PLAN, "p.txt")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    rows = [
        {"source": "p.txt", "kind": "assignment", "line": 11, "agency": "Sở Khoa học và Công nghệ", "cooperating": []},
        {"source": "p.txt", "kind": "reporting", "quote": "định kỳ hằng quý báo cáo kết quả về Sở Tài chính",
         "recipient": "Sở Tài chính"},
        {"source": "p.txt", "kind": "deadline", "section": "II.4", "date": None, "recurrence": None,
         "relative": True, "verbatim": "khi nước rút"},
        {"source": "p.txt", "kind": "assignment", "section": "II.3", "agency": "Các sở, ngành, UBND cấp xã",
         "cooperating": []},
    ]
    (gold_dir / "p.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    (gold_dir / "README.md").write_text("not gold", encoding="utf-8")
    gold = normalise_gold(place_gold(load_register_gold(gold_dir), {"p.txt": plan}))
    assert [g["section"] for g in gold] == ["II.1.a", "II.3", "II.4", "II.3"]
    assert gold[2]["recurrence"] == "relative"
    assert agency_keys("Các sở, ngành, UBND cấp xã") == ("Các sở, ban, ngành tỉnh", "Ủy ban nhân dân cấp xã")
    records = [r.to_dict() for r in extract_plan(chunk_plan(plan), None, None)]
    from eval.register_eval import register_records_for_eval

    scores = evaluate_register(register_records_for_eval(records), gold, {"p.txt": "II"})
    assert scores["reporting"]["recall"] == 1.0
    assert scores["deadline"]["recall"] == 1.0
    assert scores["lead"]["recall"] == 1.0, scores["lead"]["missed"]


def test_plan_model_version_makes_indexes_read_plans_again():
    assert PLAN_MODEL_VERSION >= 6


ADDRESSED_PLAN = """KẾ HOẠCH
Cải cách hành chính tỉnh Bình Định năm 2026
I. NỘI DUNG
1. Nội dung
- Đơn giản hóa thủ tục.
II. TỔ CHỨC THỰC HIỆN
1. Trách nhiệm của Sở Nội vụ
a) Hướng dẫn các cơ quan triển khai.
2. Giao Sở Tư pháp chủ trì, phối hợp với Sở Tài chính rà soát văn bản; hằng năm báo cáo UBND tỉnh.
3. Triển khai ứng dụng
Các sở, ngành, UBND cấp xã có trách nhiệm cập nhật dữ liệu, gửi về Trung tâm Phục vụ hành chính công tỉnh trước ngày 20/11/2026.
"""


def test_headings_and_sentences_addressed_to_an_agency():
    rows = _rows(ADDRESSED_PLAN)
    assert _leads(rows, "II.1") == {"Sở Nội vụ"}
    assert _leads(rows, "II.1.a") == {"Sở Nội vụ"}
    assert "Sở Tư pháp" in _leads(rows, "II.2")
    assert [(r.agency, r.recipient) for r in _reports(rows, "II.2")] == [("Sở Tư pháp", "Ủy ban nhân dân tỉnh")]
    assert {"Các sở, ban, ngành tỉnh", "Ủy ban nhân dân cấp xã"} <= _leads(rows, "II.3")
    report = _reports(rows, "II.3")
    assert [(r.recipient, r.due_date) for r in report] == [("Trung tâm Phục vụ hành chính công tỉnh", "2026-11-20")]


OPENING_CLAUSE_PLAN = """ỦY BAN NHÂN DÂN TỈNH BẮC KẠN
Số: 12/KH-UBND
KẾ HOẠCH
Triển khai thi hành Nghị định về phòng thủ dân sự năm 2026
I. MỤC ĐÍCH, YÊU CẦU
Bảo đảm thống nhất.
II. TỔ CHỨC THỰC HIỆN
1. Căn cứ nội dung Kế hoạch và tình hình thực tiễn, các sở, ban, ngành, Ủy ban nhân dân các xã, phường xây dựng kế hoạch triển khai trong phạm vi quản lý. Hằng năm báo cáo kết quả thực hiện về Ban Chỉ huy Phòng thủ dân sự tỉnh qua Văn phòng Ban Chỉ huy Phòng thủ dân sự tỉnh để tổng hợp.
"""


def test_subject_after_an_opening_clause_reports_and_a_common_noun_stays_inside_the_name():
    rows = _reports(_rows(OPENING_CLAUSE_PLAN), "II.1")
    # the subject follows "Căn cứ …,"; "Phòng thủ" (a common noun) does not start another body
    assert {(r.agency, r.recipient) for r in rows} == {("Các sở, ban, ngành tỉnh", "Ban Chỉ huy Phòng thủ dân sự tỉnh")}
    assert find_bodies("Ban Chỉ huy Phòng thủ dân sự tỉnh và Phòng Tài chính huyện")[0].name == \
        "Ban Chỉ huy Phòng thủ dân sự tỉnh"


PERIODS_PLAN = """KẾ HOẠCH
Phát triển thương mại điện tử tỉnh Phú Yên năm 2026
I. MỤC TIÊU
1. Mục tiêu chung
- Phấn đấu đến hết năm 2030 có 80% hộ kinh doanh bán hàng trực tuyến, thực hiện Luật Thương mại năm 2025.
2. Chỉ tiêu
- Chỉ tiêu 1: Năm 2026 đạt 40% doanh nghiệp dùng hợp đồng điện tử.
II. TỔ CHỨC THỰC HIỆN
1. Sở Công Thương
- Hoàn thành cổng thông tin trong tháng 9/2026; định kỳ hằng quý báo cáo UBND tỉnh.
- Thời gian thực hiện: Năm 2026 và các năm tiếp theo.
2. Sở Tài chính
- Thời gian thực hiện: Từ ngày 01/3/2026 đến ngày 30/6/2026.
3. Sở Nội vụ
- Thời gian hoàn thành: Từ tháng 10/2026 đến khi kết thúc đợt rà soát.
PHỤ LỤC
DANH MỤC NHIỆM VỤ
STT | Nhiệm vụ | Chủ trì | Phối hợp | Thời gian
1 | Xây dựng sàn giao dịch | Sở Công Thương | Sở Tài chính | Quý IV/2026 - Quý II/2027
2 | Cập nhật dữ liệu | Sở Công Thương | Các sở, ngành | Thường xuyên
3 | Tập huấn doanh nghiệp | Sở Công Thương | Các sở, ngành | 2027
"""


def test_months_quarters_and_years_fall_due_at_the_period_end():
    rows = [r for r in _rows(PERIODS_PLAN) if r.kind == "deadline"]
    due = {(r.section, r.due_date) for r in rows if r.due_date}
    assert ("I.1", "2030-12-31") in due and ("I.1", "2025-12-31") not in due  # a law's year is no deadline
    assert ("I.2", "2026-12-31") in due
    assert ("II.1", "2026-09-30") in due
    assert ("II.2", "2026-06-30") in due and ("II.2", "2026-03-01") not in due  # a window falls due at its end
    assert ("PL1.1", "2027-06-30") in due and ("PL1.3", "2027-12-31") in due
    recurring = [r.recurrence for r in rows if r.section == "II.1" and r.recurrence]
    assert sorted(recurring) == [("annual",), ("quarterly",)]  # "định kỳ hằng quý": no separate "periodic"
    every_year = [r for r in rows if r.section == "II.1" and "annual" in r.recurrence]
    assert every_year and every_year[0].due_date is None  # "Năm 2026 và các năm tiếp theo"
    assert [r.recurrence for r in rows if r.section == "PL1.2"] == [("ongoing",)]
    bounded = [r for r in rows if r.section == "II.3"]
    assert bounded and bounded[0].relative and bounded[0].due_date is None


def test_scorer_reads_periodic_as_any_recurrence_and_ongoing_as_periodic():
    gold = [{"source": "p.txt", "section": "II", "kind": "deadline", "date": None, "recurrence": "periodic"},
            {"source": "p.txt", "section": "PL1.2", "kind": "deadline", "date": None, "recurrence": "ongoing"}]
    records = [{"source": "p.txt", "section": "II", "kind": "deadline", "recurrence": ["quarterly"]},
               {"source": "p.txt", "section": "PL1.2", "kind": "deadline", "recurrence": ["periodic"]}]
    scores = evaluate_register(records, gold, {"p.txt": "II"})["deadline"]
    assert (scores["precision"], scores["recall"]) == (1.0, 1.0)


def test_shared_subjects_with_socio_political_organisations_and_catch_all_partners():
    text = """KẾ HOẠCH
Phòng chống thiên tai tỉnh Kon Tum năm 2026
I. TỔ CHỨC THỰC HIỆN
1. Các sở, ban, ngành, tổ chức chính trị - xã hội, Ủy ban nhân dân các xã, phường chịu trách nhiệm thực hiện.
2. Sở Tài chính chủ trì, phối hợp với các cơ quan, địa phương có liên quan bố trí kinh phí.
"""
    rows = _rows(text)
    assert _leads(rows, "I.1") == {"Các sở, ban, ngành tỉnh", "Các tổ chức chính trị - xã hội",
                                   "Ủy ban nhân dân các xã, phường"}
    lead = next(r for r in rows if r.kind == "assignment" and r.section == "I.2")
    # the catch-all is read as one body (never as a list of parts), and it names no partner
    assert [m.name for m in find_bodies("các cơ quan, địa phương có liên quan")] == ["Các cơ quan, đơn vị liên quan"]
    assert lead.cooperating == ()
    assert [m.name for m in find_bodies("Ủy ban nhân dân phường, xã, đặc khu")] == ["Ủy ban nhân dân các xã, phường"]


DECISION_PLAN = """ỦY BAN NHÂN DÂN TỈNH GIA LAI
Số: 45/QĐ-UBND
QUYẾT ĐỊNH
Ban hành Kế hoạch chuyển đổi số năm 2026
Căn cứ Luật Tổ chức chính quyền địa phương; theo đề nghị của Sở Khoa học và Công nghệ,
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số năm 2026.
Điều 2. Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Tài chính triển khai Kế hoạch.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng UBND tỉnh; Giám đốc Sở Nông nghiệp và Môi trường, Thủ trưởng các sở, ban, ngành và các thành viên Tổ công tác tỉnh chịu trách nhiệm thi hành Quyết định này./.
Nơi nhận:
- Bộ Khoa học và Công nghệ (b/c);
KẾ HOẠCH
Chuyển đổi số năm 2026
I. MỤC TIÊU
1. Số hóa hồ sơ.
"""


def test_decision_articles_name_who_executes_the_plan_under_preamble():
    rows = _rows(DECISION_PLAN)
    leads = _leads(rows, "preamble")
    assert leads == {"Sở Khoa học và Công nghệ", "Văn phòng Ủy ban nhân dân tỉnh", "Sở Nông nghiệp và Môi trường",
                     "Các sở, ban, ngành tỉnh", "các thành viên Tổ công tác tỉnh"}
    first = next(r for r in rows if r.section == "preamble" and r.agency == "Sở Khoa học và Công nghệ")
    assert first.cooperating == ("Sở Tài chính",)
    assert "Bộ Khoa học và Công nghệ" not in {r.recipient for r in rows}  # "Nơi nhận" stays out


def test_field_points_of_an_item_are_filed_with_the_item():
    text = """KẾ HOẠCH
Dữ liệu số tỉnh Bắc Ninh năm 2026
I. NHIỆM VỤ
1. Về dữ liệu
1.1. Xây dựng kho dữ liệu dùng chung:
a) Nhiệm vụ: Rà soát, chuẩn hóa dữ liệu của các ngành.
b) Cơ quan thực hiện:
- Đơn vị chủ trì: Sở Khoa học và Công nghệ.
- Đơn vị phối hợp: Các sở, ban, ngành.
c) Thời gian thực hiện: Hoàn thành trong năm 2026.
"""
    rows = _rows(text)
    assert _leads(rows, "I.1.1") == {"Sở Khoa học và Công nghệ"}
    assert not _leads(rows, "I.1.1.b")
    assert [(r.section, r.due_date) for r in rows if r.kind == "deadline"] == [("I.1.1", "2026-12-31")]


def test_scorer_meets_a_long_name_outside_the_lexicon_and_its_longer_form():
    gold = [{"source": "p.txt", "section": "PL1.1", "kind": "assignment", "cooperating": [],
             "agency": "Ban Quản lý các khu công nghệ cao và khu công nghiệp"}]
    records = [{"source": "p.txt", "section": "PL1.1", "kind": "assignment", "role": "lead",
                "agency": "Ban Quản lý các khu công nghệ cao", "cooperating": []}]
    scores = evaluate_register(records, gold, {"p.txt": "II"})["lead"]
    assert (scores["precision"], scores["recall"]) == (1.0, 1.0)


def test_a_recurring_report_and_its_dated_ones_are_rows_of_their_own():
    text = """KẾ HOẠCH
Cải cách hành chính tỉnh Hà Nam năm 2026
I. CHẾ ĐỘ BÁO CÁO
1. Sở Nội vụ tổng hợp, báo cáo Ủy ban nhân dân tỉnh kết quả hằng quý, trước ngày 15 của tháng cuối quý; báo cáo năm trước ngày 20/11/2026.
"""
    rows = _reports(_rows(text), "I.1")
    assert {(r.agency, r.recipient) for r in rows} == {("Sở Nội vụ", "Ủy ban nhân dân tỉnh")}
    assert sorted((r.due_date or "", r.recurrence) for r in rows) == [("", ("quarterly",)), ("2026-11-20", ())]


def test_subject_after_a_points_label_and_an_agency_given_the_task_mid_sentence():
    text = """KẾ HOẠCH
Chi trả không dùng tiền mặt tỉnh Cà Mau năm 2026
I. PHƯƠNG ÁN TRIỂN KHAI
1. Phương án
a) Mở tài khoản: Ủy ban nhân dân xã, phường phối hợp với các ngân hàng mở tài khoản cho người hưởng.
b) Trên cơ sở kết quả thực hiện, giao Sở Y tế thành lập đoàn kiểm tra.
c) Các cá nhân được giao Sở Tài chính hướng dẫn thì thực hiện đúng.
"""
    rows = _rows(text)
    assert _leads(rows, "I.1.a") == {"Ủy ban nhân dân các xã, phường"}
    assert _leads(rows, "I.1.b") == {"Sở Y tế"}
    assert "Sở Tài chính" not in _leads(rows, "I.1.c")


def test_every_part_of_an_executing_field_and_a_titled_subject_lead():
    text = """KẾ HOẠCH
Triển khai Luật Việc làm tỉnh Long An năm 2026
I. NỘI DUNG
1. Phổ biến Luật
- Cơ quan thực hiện: Sở Nội vụ chủ trì tham mưu Ủy ban nhân dân tỉnh ban hành văn bản; Sở Tư pháp và các sở, ban, ngành phối hợp tuyên truyền.
II. TỔ CHỨC THỰC HIỆN
1. Thủ trưởng các sở, ban, ngành và Ủy ban nhân dân các xã, phường chịu trách nhiệm triển khai Kế hoạch này.
"""
    rows = _rows(text)
    assert {"Sở Nội vụ", "Sở Tư pháp", "Các sở, ban, ngành tỉnh"} <= _leads(rows, "I.1")
    assert "Ủy ban nhân dân tỉnh" not in _leads(rows, "I.1")
    assert _leads(rows, "II.1") == {"Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các xã, phường"}


def test_a_titled_heading_and_a_parts_opening_subject_lead():
    text = """KẾ HOẠCH
Bình đẳng giới tỉnh Sóc Trăng năm 2026
I. TỔ CHỨC THỰC HIỆN
1. Thủ trưởng các sở, ban, ngành
- Chủ động triển khai các nhiệm vụ được giao.
II. CHẾ ĐỘ BÁO CÁO
Các sở, ban, ngành, Ủy ban nhân dân các xã, phường gửi báo cáo về Sở Nội vụ trước ngày 15/11/2026.
"""
    rows = _rows(text)
    assert _leads(rows, "I.1") == {"Các sở, ban, ngành tỉnh"}
    assert _leads(rows, "II") == {"Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các xã, phường"}
    assert [(r.agency, r.recipient) for r in _reports(rows, "II")] == [("Các sở, ban, ngành tỉnh", "Sở Nội vụ")]


def test_a_report_asked_for_without_a_recipient_is_a_row_and_scores_against_a_null_recipient():
    text = """KẾ HOẠCH
Giám sát giảm nghèo tỉnh Bến Tre năm 2026
I. NỘI DUNG GIÁM SÁT
1. Cấp xã
a) Báo cáo tình hình thực hiện Chương trình trước ngày 30/6/2026.
b) Xây dựng báo cáo đánh giá giữa kỳ.
"""
    rows = _rows(text)
    assert [(r.recipient, r.due_date) for r in _reports(rows, "I.1.a")] == [(None, "2026-06-30")]
    assert not _reports(rows, "I.1.b")  # "xây dựng báo cáo": a report as a thing made
    gold = [{"source": "p.txt", "section": "I.1.a", "kind": "reporting", "recipient": None,
             "deadline_verbatim": "trước ngày 30/6/2026"}]
    scores = evaluate_register([r.to_dict() for r in rows], gold, {"p.txt": "I"})["reporting"]
    assert (scores["precision"], scores["recall"]) == (1.0, 1.0)


def test_a_point_that_is_a_labelled_field():
    text = """KẾ HOẠCH
An toàn thông tin tỉnh Bình Phước năm 2026
I. NHIỆM VỤ
1. Bảo đảm an toàn thông tin
a) Nhiệm vụ: Triển khai phương án bảo đảm an toàn thông tin.
b) Cơ quan chủ trì: Công an tỉnh.
c) Thời gian thực hiện: Thực hiện thường xuyên.
"""
    rows = _rows(text)
    assert _leads(rows, "I.1") == {"Công an tỉnh"}
    assert [r.recurrence for r in rows if r.kind == "deadline" and r.section == "I.1"] == [("ongoing",)]


ADDRESSEES_PLAN = """SỞ Y TẾ TỈNH AN GIANG
KẾ HOẠCH
Phòng chống bệnh tay chân miệng năm 2026
I. NHIỆM VỤ
1. Truyền thông
a) Sở Y tế chỉ đạo Chi cục Dân số tỉnh thực hiện truyền thông tại các ấp.
b) Trung tâm Kiểm soát bệnh tật tỉnh cung cấp tài liệu truyền thông trong quý I/2026.
c) Liên thông dữ liệu với ứng dụng VNeID.
2. Đáp ứng
a) Khi xuất hiện ổ dịch, tổ chức khử khuẩn theo hướng dẫn.
b) Lấy mẫu xét nghiệm trong 48 giờ kể từ khi phát hiện ca bệnh.
c) Báo cáo ngay khi phát hiện ca bệnh nặng.
d) Khi có phát sinh, cập nhật danh sách ổ dịch.
II. TỔ CHỨC THỰC HIỆN
1. Phòng Kế hoạch - Tài chính
a) Chủ trì phân bổ kinh phí, hoàn thành trước ngày 31/3/2026.
2. Bệnh viện Đa khoa tỉnh, Bệnh viện Sản - Nhi tỉnh và các cơ sở y tế có phòng khám nhi
a) Thu dung, điều trị bệnh nhi.
3. Trạm y tế xã, phường
a) Cập nhật dữ liệu trong vòng 24 giờ sau mỗi buổi khám.
4. Thanh tra Sở Y tế
a) Kiểm tra các cơ sở khám bệnh trong quý III/2026.
5. Phòng, chống dịch tại trường học
a) Vệ sinh lớp học hằng tuần.
"""


@pytest.fixture(scope="module")
def addressee_rows() -> list[Obligation]:
    return _rows(ADDRESSEES_PLAN)


@pytest.mark.parametrize(("section", "leads"), [
    ("II.1", {"Phòng Kế hoạch - Tài chính"}),
    ("II.1.a", {"Phòng Kế hoạch - Tài chính"}),
    ("II.2", {"Bệnh viện Đa khoa tỉnh", "Bệnh viện Sản - Nhi tỉnh", "các cơ sở y tế có phòng khám nhi"}),
    ("II.3.a", {"Trạm y tế xã, phường"}),  # one name: "phường" goes on in lower case
    ("II.4", {"Thanh tra Sở Y tế"}),  # the inspectorate of the Sở, not the Sở
    ("II.5", set()),  # "Phòng, chống …" is a task, not a body
])
def test_an_item_heading_that_lists_bodies_outside_the_lexicon_gives_its_leads(addressee_rows, section, leads):
    assert _leads(addressee_rows, section) == leads


def test_a_delegating_point_is_the_delegates_and_a_heading_that_goes_on_is_a_task(addressee_rows):
    assert _leads(addressee_rows, "I.1.a") == {"Chi cục Dân số tỉnh"}
    assert _leads(addressee_rows, "I.1.b") == {"Trung tâm Kiểm soát bệnh tật tỉnh"}
    assert _leads(addressee_rows, "I.1.c") == set()


@pytest.mark.parametrize(("section", "relative", "recurrence"), [
    ("I.2.a", "Khi xuất hiện ổ dịch", ()),
    ("I.2.b", "trong 48 giờ kể từ khi phát hiện ca bệnh", ()),
    ("I.2.c", "ngay khi phát hiện ca bệnh nặng", ()),
    ("I.2.d", None, ("on_request",)),
    ("II.3.a", "trong vòng 24 giờ sau mỗi buổi khám", ()),
])
def test_deadlines_counted_in_hours_or_from_an_event(addressee_rows, section, relative, recurrence):
    rows = [r for r in addressee_rows if r.kind == "deadline" and r.section == section]
    assert [(r.relative, r.recurrence) for r in rows] == [(relative, recurrence)]


def test_the_catch_all_partner_is_no_cooperating_agency():
    text = """KẾ HOẠCH
Quản lý chất thải rắn tỉnh Hậu Giang năm 2026
I. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
a) Chủ trì, phối hợp với Sở Xây dựng và các cơ quan, đơn vị liên quan rà soát bãi chôn lấp.
b) Phối hợp với các cơ quan, đơn vị có liên quan kiểm tra cơ sở xử lý chất thải.
"""
    rows = _rows(text)
    partners = {name for r in rows if r.kind == "assignment" for name in r.cooperating}
    assert partners == {"Sở Xây dựng"}


@pytest.mark.parametrize(("sentence", "due"), [
    ("1. Hoàn thiện hạ tầng, tiến tới thí điểm (2025 - 2026).", [("2026-12-31", "(2025 - 2026)")]),
    ("5. Đào tạo nhân lực (xuyên suốt 2025 - 2035).", [("2035-12-31", "(xuyên suốt 2025 - 2035)")]),
    ("1. Thi đua thực hiện Kế hoạch 5 năm (2021 - 2025) theo Nghị quyết Đại hội.", []),  # a title's window
])
def test_a_roadmap_step_closed_by_its_window_falls_due_at_its_end(sentence, due):
    assert period_deadlines(sentence) == due


@pytest.mark.parametrize(("sentence", "directed"), [
    ("a) Chỉ đạo các ban, ngành, đoàn thể ở cơ sở phối hợp với trạm y tế vận động người dân.",
     "các ban, ngành, đoàn thể ở cơ sở"),
    ("- Chỉ đạo công an xã, phường cung cấp thông tin trẻ mới sinh.", "công an xã, phường"),
    ("a) Chỉ đạo, hướng dẫn các cơ sở giáo dục trên địa bàn tăng cường giáo dục kỹ năng.",
     "các cơ sở giáo dục trên địa bàn"),
    ("d) Chỉ đạo, điều hành các cơ sở cai nghiện hoạt động hiệu quả.", None),  # directing is the task
    ("b) Xây dựng văn bản chỉ đạo các đơn vị thực hiện.", None),  # not the point's opening
])
def test_a_point_opening_chi_dao_names_who_acts(sentence, directed):
    assert _directed(sentence) == directed


def test_the_directed_bodies_lead_with_their_partners_and_the_director_keeps_its_point():
    text = """KẾ HOẠCH
Tiêm chủng mở rộng tỉnh Sóc Trăng năm 2026
I. TỔ CHỨC THỰC HIỆN
1. Sở Giáo dục và Đào tạo
a) Chỉ đạo các cơ sở giáo dục mầm non phối hợp với Trung tâm Kiểm soát bệnh tật tỉnh kiểm tra sổ tiêm chủng.
"""
    rows = [r for r in _rows(text) if r.kind == "assignment" and r.section == "I.1.a"]
    directed = [r for r in rows if r.directed_by]
    assert [(r.agency, r.directed_by, r.cooperating) for r in directed] == [
        ("các cơ sở giáo dục mầm non", "Sở Giáo dục và Đào tạo", ("Trung tâm Kiểm soát bệnh tật tỉnh",))]
    assert "Sở Giáo dục và Đào tạo" in {r.agency for r in rows}


def test_scorer_counts_a_row_for_a_parallel_recipient_as_the_same_report():
    # "báo cáo Ủy ban nhân dân tỉnh và Bộ Nội vụ": the gold's first recipient, the other in
    # `also_recipients`; a third body at that place is still spurious
    gold = [{"source": "p.txt", "section": "V.3", "kind": "reporting", "recipient": "Ủy ban nhân dân tỉnh",
             "also_recipients": ["Bộ Nội vụ"], "deadline_verbatim": None}]
    records = [{"source": "p.txt", "section": "V.3", "kind": "reporting", "recipient": name}
               for name in ("Ủy ban nhân dân tỉnh", "Bộ Nội vụ", "Bộ Tài chính")]
    scores = evaluate_register(records, gold, {"p.txt": "V"})["reporting"]
    assert (scores["precision"], scores["recall"]) == (0.5, 1.0)
    assert [s["fact"] for s in scores["spurious"]] == ["→ Bộ Tài chính"]


def test_channels_after_the_purpose_reports_gathered_from_bodies_and_a_report_passed_on():
    text = """KẾ HOẠCH
Chuyển đổi số tỉnh Bình Sơn năm 2026
I. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ
a) Theo dõi, tổng hợp báo cáo từ các sở, ban, ngành về kết quả thực hiện Kế hoạch.
2. Trung tâm Kiểm soát bệnh tật tỉnh tổng hợp kết quả, báo cáo Sở Y tế trước ngày 20 hằng tháng để Sở Y tế báo cáo Ủy ban nhân dân tỉnh và Bộ Y tế.
3. Sở Tài chính cân đối để báo cáo Ủy ban nhân dân tỉnh; tham mưu Ủy ban nhân dân tỉnh báo cáo Bộ Tài chính.
Trong quá trình thực hiện nếu có khó khăn, vướng mắc, các cơ quan, đơn vị báo cáo Ủy ban nhân dân tỉnh (qua Sở Khoa học và Công nghệ đối với nhiệm vụ chuyển đổi số, qua Sở Nội vụ đối với nhiệm vụ cải cách hành chính) để xem xét, giải quyết./.
"""
    rows = [r for r in _rows(text) if r.kind == "reporting"]
    assert [(r.agency, r.recipient) for r in _reports(rows, "I.1.a")] == [("Các sở, ban, ngành tỉnh", "Sở Nội vụ")]
    # the same report, passed on by the body it went to: one row, its onward the next recipients
    assert [(r.recipient, r.onward) for r in _reports(rows, "I.2")] == [
        ("Sở Y tế", ("Ủy ban nhân dân tỉnh", "Bộ Y tế"))]
    # "tham mưu UBND tỉnh báo cáo Bộ": the Sở's report, reaching the ministry through UBND tỉnh
    assert ("Sở Tài chính", "Bộ Tài chính", "Ủy ban nhân dân tỉnh") in [
        (r.agency, r.recipient, r.via) for r in _reports(rows, "I.3")]
    closing = [r for r in rows if "vướng mắc" in r.quote]
    assert {(r.recipient, r.via) for r in closing} == {("Ủy ban nhân dân tỉnh", "Sở Khoa học và Công nghệ"),
                                                        ("Ủy ban nhân dân tỉnh", "Sở Nội vụ")}


def test_a_closing_sentence_reports_for_the_bodies_it_opens_with():
    text = """KẾ HOẠCH
Bảo vệ môi trường làng nghề tỉnh Bình Sơn năm 2026
I. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường theo dõi việc thực hiện.
Trên đây là Kế hoạch bảo vệ môi trường làng nghề tỉnh Bình Sơn năm 2026. Các sở, ngành, UBND các xã, phường căn cứ nhiệm vụ được giao xây dựng kế hoạch cụ thể; báo cáo UBND tỉnh (qua Sở Nông nghiệp và Môi trường) kết quả thực hiện hằng năm trước ngày 05/12. Ủy ban nhân dân tỉnh giao Sở Tài chính tổng hợp, báo cáo UBND tỉnh trước ngày 10/12/2026./.
"""
    rows = [r for r in _rows(text) if r.kind == "reporting" and r.section == "closing"]
    assert [(r.agency.split(",")[0], r.recipient, r.via) for r in rows if r.agency] == [
        ("Các sở", "Ủy ban nhân dân tỉnh", "Sở Nông nghiệp và Môi trường"),
        ("Sở Tài chính", "Ủy ban nhân dân tỉnh", None)]


def test_the_body_advised_is_the_channel_of_the_advising_body_s_report():
    text = """KẾ HOẠCH
Tiêm chủng tỉnh Bình Sơn năm 2026
I. TỔ CHỨC THỰC HIỆN
1. Phòng Nghiệp vụ Y tổng hợp kết quả, tham mưu Sở Y tế báo cáo UBND tỉnh và Bộ Y tế trước ngày 30/11/2026.
"""
    rows = _reports(_rows(text), "I.1")
    # the Phòng drafts it, Sở Y tế signs and sends it: Phòng → UBND tỉnh / Bộ Y tế through Sở Y tế
    assert {(r.agency, r.recipient, r.via) for r in rows} == {("Phòng Nghiệp vụ Y", "Ủy ban nhân dân tỉnh", "Sở Y tế"),
                                                             ("Phòng Nghiệp vụ Y", "Bộ Y tế", "Sở Y tế")}


@pytest.mark.parametrize(("line", "closing"), [
    ("Nơi nhận:", True),
    ("Noi nhan:", True),
    ("Trên đây là Kế hoạch thực hiện …", True),
    # a report's labelled field, a bullet among "- Đơn vị báo cáo:" and "- Thời hạn:", is no distribution list
    ("- Nơi nhận: Sở Tài chính (qua Phòng Ngân sách).", False),
    ("+ Nơi nhận: Ủy ban nhân dân tỉnh.", False),
])
def test_the_distribution_list_starts_the_closing_a_labelled_field_does_not(line, closing) -> None:
    from lang.sentences import is_closing_line

    assert is_closing_line(line) is closing


PARTNERS_PLAN = """ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ
Số: 14/KH-UBND
KẾ HOẠCH
Phòng, chống thiên tai năm 2026
I. MỤC ĐÍCH, YÊU CẦU
- Giảm thiệt hại.
II. TỔ CHỨC THỰC HIỆN
1. Sở Xây dựng:
a) Chủ trì, phối hợp với các đơn vị liên quan tham mưu Ủy ban nhân dân tỉnh bố trí khu tái định cư.
b) Chủ trì, phối hợp với Sở Tài chính, Công an tỉnh kiểm tra công trình.
"""


def test_a_duty_verb_ends_the_partner_list():
    rows = [r for r in _rows(PARTNERS_PLAN) if r.kind == "assignment"]
    # the committee advised after "tham mưu" is no partner, even after a catch-all group
    assert "Ủy ban nhân dân tỉnh" not in {c for r in rows if r.section == "II.1.a" for c in r.cooperating}
    assert {c for r in rows if r.section == "II.1.b" for c in r.cooperating} == {"Sở Tài chính", "Công an tỉnh"}


FOLLOW_ON_PLAN = """ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ
Số: 15/KH-UBND
KẾ HOẠCH
Đưa người lao động đi làm việc ở nước ngoài năm 2026
I. MỤC ĐÍCH, YÊU CẦU
- Tăng số lao động.
II. CHẾ ĐỘ BÁO CÁO
1. Báo cáo của Sở
- Sở Nội vụ tổng hợp, báo cáo Bộ Nội vụ và UBND tỉnh 6 tháng đầu năm và cả năm.
- Báo cáo 6 tháng gửi trước ngày 20/6/2026; báo cáo năm gửi trước ngày 10/12/2026.
"""


def test_a_follow_on_line_times_the_reporting_lines_before():
    rows = _rows(FOLLOW_ON_PLAN)
    # the follow-on line restates the lines before: no report without a recipient, its dates kept
    assert {r.recipient for r in rows if r.kind == "reporting"} == {"Bộ Nội vụ", "Ủy ban nhân dân tỉnh"}
    assert {r.due_date for r in rows if r.kind == "deadline"} >= {"2026-06-20", "2026-12-10"}
