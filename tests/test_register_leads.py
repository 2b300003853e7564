"""Who leads a task and who works with it, as the genre assigns them: one synthetic plan per family
of layouts (written for these tests, not taken from any plan)."""

from __future__ import annotations

import pytest

from index.chunking import chunk_plan
from index.obligations import Obligation, extract_plan, period_deadlines
from index.structure import parse_plan
from lang.agencies import find_bodies

AGENCY_ITEMS_PLAN = """ỦY BAN NHÂN DÂN TỈNH HÀ GIANG
Số: 31/KH-UBND
KẾ HOẠCH
Phát triển du lịch cộng đồng năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Phát triển du lịch cộng đồng.
II. TỔ CHỨC THỰC HIỆN
1. Sở Văn hóa, Thể thao và Du lịch
a) Chủ trì, phối hợp với các sở, ban, ngành tổ chức triển khai Kế hoạch này.
b) Chủ trì, phối hợp với Sở Công Thương xây dựng bộ sản phẩm du lịch đặc trưng.
c) Phối hợp với Hội Nông dân tỉnh tập huấn kỹ năng làm du lịch cho hộ gia đình.
2. Sở Nội vụ, Sở Tài chính
a) Phối hợp tham mưu Ủy ban nhân dân tỉnh cơ chế hỗ trợ hộ làm du lịch; trình trước ngày 30/6/2026.
3. Sở Xây dựng
a) Chủ trì, phối hợp với Sở Tư pháp rà soát quy hoạch điểm du lịch.
b) Sở Tài chính chủ trì, phối hợp với Công an tỉnh bố trí vốn đầu tư hạ tầng.
"""


def _rows(text: str, source: str = "p.txt") -> list[Obligation]:
    plan = parse_plan(text, source)
    return extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year)


def _partners(rows: list[Obligation], section: str, agency: str) -> set[str]:
    return {n for r in rows if r.kind == "assignment" and r.role == "lead" and r.section == section
            and r.agency == agency for n in r.cooperating}


@pytest.fixture(scope="module")
def items_rows() -> list[Obligation]:
    return _rows(AGENCY_ITEMS_PLAN)


@pytest.mark.parametrize(("section", "agency", "partners"), [
    # the item addressed to an agency works with every partner its points name (not the catch-all)
    ("II.1", "Sở Văn hóa, Thể thao và Du lịch", {"Sở Công Thương", "Hội Nông dân tỉnh"}),
    ("II.1.b", "Sở Văn hóa, Thể thao và Du lịch", {"Sở Công Thương"}),
    # a point another agency leads keeps its partners to itself
    ("II.3", "Sở Xây dựng", {"Sở Tư pháp"}),
    ("II.3.b", "Sở Tài chính", {"Công an tỉnh"}),
    # "phối hợp tham mưu Ủy ban nhân dân tỉnh": advice for the committee, no partner
    ("II.2.a", "Sở Nội vụ", set()),
])
def test_item_partners_are_its_points_partners(items_rows, section, agency, partners) -> None:
    assert _partners(items_rows, section, agency) == partners


@pytest.mark.parametrize(("text", "names"), [
    # a dash between two capitalised parts of one name
    ("Đơn vị chủ trì: Phòng Tổ chức - Hành chính.", ["Phòng Tổ chức - Hành chính"]),
    ("phối hợp với Đài Phát thanh - Truyền hình tỉnh, Sở Y tế", ["Đài Phát thanh - Truyền hình tỉnh", "Sở Y tế"]),
    # not before another body, a number or a lower-case clause
    ("Trung tâm Giám định y khoa - Sở Tài chính", ["Trung tâm Giám định y khoa", "Sở Tài chính"]),
    ("Trung tâm Y tế huyện Mèo Vạc - năm 2026", ["Trung tâm Y tế huyện Mèo Vạc"]),
    # the clause's verb ends a name outside the lexicon
    ("Bệnh viện Đa khoa Bắc Quang hỗ trợ chuyên môn cho tuyến xã", ["Bệnh viện Đa khoa Bắc Quang"]),
    # "việc làm" is a noun inside a name; "làm" alone is the clause's verb
    ("Phòng Việc làm - An toàn lao động chủ trì", ["Phòng Việc làm - An toàn lao động"]),
    ("giao Trung tâm Dịch vụ việc làm tỉnh thực hiện", ["Trung tâm Dịch vụ việc làm tỉnh"]),
    ("Phòng Kế hoạch Tài chính làm đầu mối", ["Phòng Kế hoạch Tài chính"]),
    # the head of the issuing body, by title and a bare noun; a capital after it names another body
    ("Phòng Quản lý đất đai tổng hợp, báo cáo Giám đốc Sở trước ngày 25 hằng tháng.",
     ["Phòng Quản lý đất đai", "Giám đốc Sở"]),
    ("báo cáo Giám đốc Sở Tài chính", ["Sở Tài chính"]),
    ("Giám đốc các đơn vị sự nghiệp", []),
])
def test_body_names(text, names) -> None:
    assert [m.name for m in find_bodies(text)] == names


COMMITTEE_PLAN = """BAN CHỈ ĐẠO CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA TỈNH CAO BẰNG
Số: 05/KH-BCĐ
KẾ HOẠCH
Hoạt động của Ban Chỉ đạo năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nâng cao hiệu quả chỉ đạo.
II. NHIỆM VỤ CỦA CÁC THÀNH VIÊN BAN CHỈ ĐẠO
1. Trưởng Ban Chỉ đạo (Chủ tịch Ủy ban nhân dân tỉnh)
Lãnh đạo, chỉ đạo toàn diện hoạt động của Ban Chỉ đạo.
2. Phó Trưởng ban Thường trực (Giám đốc Sở Dân tộc và Tôn giáo)
a) Điều hành hoạt động thường xuyên của Ban Chỉ đạo.
b) Chủ trì, phối hợp với Sở Y tế tổ chức khám bệnh lưu động.
3. Các thành viên Ban Chỉ đạo
a) Thành viên là lãnh đạo Sở Giáo dục và Đào tạo: chỉ đạo tuyển sinh lớp bán trú.
b) Thành viên là lãnh đạo Ngân hàng Chính sách xã hội Chi nhánh tỉnh Cao Bằng: bố trí vốn vay ưu đãi.
4. Tổ giúp việc Ban Chỉ đạo
a) Chuẩn bị nội dung các cuộc họp của Ban Chỉ đạo.
"""


@pytest.fixture(scope="module")
def committee_rows() -> list[Obligation]:
    return _rows(COMMITTEE_PLAN)


@pytest.mark.parametrize(("section", "leads"), [
    # the Head acts as the committee's head: named by the office
    ("II.1", {"Trưởng Ban Chỉ đạo"}),
    # a deputy acts for the agency in brackets, and so do the points of the deputy's item
    ("II.2", {"Sở Dân tộc và Tôn giáo"}),
    ("II.2.b", {"Sở Dân tộc và Tôn giáo"}),
    # a member named by the agency the member leads
    ("II.3.a", {"Sở Giáo dục và Đào tạo"}),
    ("II.3.b", {"Ngân hàng Chính sách xã hội Chi nhánh tỉnh Cao Bằng"}),
    # the support team by its name, not the committee it helps
    ("II.4", {"Tổ giúp việc Ban Chỉ đạo"}),
    ("II.4.a", {"Tổ giúp việc Ban Chỉ đạo"}),
])
def test_committee_offices_lead(committee_rows, section, leads) -> None:
    assert {r.agency for r in committee_rows
            if r.kind == "assignment" and r.role == "lead" and r.section == section} == leads


UNITS_PLAN = """SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH PHÚ YÊN
Số: 77/KH-SNNMT
KẾ HOẠCH
Phòng, chống hạn hán năm 2026
I. MỤC ĐÍCH
1. Mục đích
- Chủ động ứng phó hạn hán.
II. TỔ CHỨC THỰC HIỆN
1. Các phòng, đơn vị thuộc Sở
a) Phòng Quản lý nước là đầu mối, tham mưu Giám đốc Sở theo dõi việc thực hiện Kế hoạch.
b) Chi cục Thủy lợi chủ trì vận hành hồ chứa, phối hợp với Phòng Quản lý nước điều tiết nước.
2. Ủy ban nhân dân các huyện, thị xã, thành phố
a) Chỉ đạo Phòng Nông nghiệp và Môi trường phối hợp với Phòng Kinh tế rà soát diện tích thiếu nước.
b) Chỉ đạo phòng, chống hạn hán trên địa bàn.
"""


@pytest.fixture(scope="module")
def units_rows() -> list[Obligation]:
    return _rows(UNITS_PLAN)


def _leads(rows: list[Obligation], section: str) -> set[str | None]:
    return {r.agency for r in rows if r.kind == "assignment" and r.role == "lead" and r.section == section}


@pytest.mark.parametrize(("section", "leads"), [
    # a group heading whose points each name who acts is a category, not a lead
    ("II.1", set()),
    ("II.1.a", {"Phòng Quản lý nước"}),
    ("II.1.b", {"Chi cục Thủy lợi"}),
    ("II.2", {"Ủy ban nhân dân các huyện, thị xã, thành phố"}),
    # "Chỉ đạo phòng, chống …" directs no unit: the addressee acts
    ("II.2.b", {"Ủy ban nhân dân các huyện, thị xã, thành phố"}),
])
def test_units_named_apart_lead(units_rows, section, leads) -> None:
    assert _leads(units_rows, section) == leads


def test_directed_unit_leads_its_point(units_rows) -> None:
    # "Chỉ đạo Phòng X phối hợp với Phòng Y …": the unit acts, directed by the item's addressee
    rows = [r for r in units_rows if r.kind == "assignment" and r.section == "II.2.a" and r.directed_by]
    assert [(r.agency, r.directed_by, r.cooperating) for r in rows] == [
        ("Phòng Nông nghiệp và Môi trường", "Ủy ban nhân dân các huyện, thị xã, thành phố", ("Phòng Kinh tế",))]


def test_each_date_of_a_sentence_is_due() -> None:
    rows = _rows(UNITS_PLAN.replace(
        "b) Chỉ đạo phòng, chống hạn hán trên địa bàn.",
        "b) Báo cáo kết quả 6 tháng đầu năm và cả năm về Sở trước ngày 10/6/2026 và trước ngày 20/11/2026."))
    assert {r.due_date for r in rows if r.kind == "deadline" and r.section == "II.2.b"} == {"2026-06-10", "2026-11-20"}


@pytest.mark.parametrize(("text", "due"), [
    ("hoàn thành trong năm 2026–2027.", [("2027-12-31", "năm 2026–2027")]),
    ("Thời gian thực hiện: năm 2026 - 2027.", [("2027-12-31", "năm 2026 - 2027")]),
    ("hoàn thành trong năm 2026.", [("2026-12-31", "năm 2026")]),
])
def test_a_named_window_of_years_is_due_at_its_end(text, due) -> None:
    assert period_deadlines(text) == due


def test_directed_unit_name_goes_on_past_a_capitalised_verb() -> None:
    from index.obligations.actors import _directed

    # "Quản lý" capitalised is part of the unit's name, "kiểm tra" is the verb
    assert _directed("- Chỉ đạo Chi cục Quản lý thị trường kiểm tra hàng hóa tại hội chợ.") == "Chi cục Quản lý thị trường"


@pytest.mark.parametrize(("text", "partners"), [
    # the issuing body's head the partners advise ends the list of partners
    ("Văn phòng Sở chủ trì, phối hợp với Chi cục Bảo vệ môi trường tham mưu Giám đốc Sở báo cáo UBND tỉnh.",
     ["Chi cục Bảo vệ môi trường"]),
    ("Văn phòng Sở chủ trì, phối hợp với Chi cục Bảo vệ môi trường, Thanh tra Sở thực hiện.",
     ["Chi cục Bảo vệ môi trường", "Thanh tra Sở"]),
])
def test_partners_end_before_the_head_they_advise(text, partners) -> None:
    from index.obligations.actors import _listed_after
    from lang.normalize import match_tokens

    at = match_tokens(text).index("voi") + 1
    assert _listed_after(find_bodies(text), at) == partners


REQUEST_PLAN = """SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH QUẢNG TRỊ
Số: 12/KH-SKHCN
KẾ HOẠCH
Phủ sóng di động vùng cao năm 2026
I. MỤC ĐÍCH, YÊU CẦU
- Xóa vùng lõm sóng.
II. TỔ CHỨC THỰC HIỆN
1. Đề nghị Viễn thông Quảng Trị (VNPT) và Viettel Quảng Trị
- Phối hợp hỗ trợ đường truyền cho các xã.
2. Đề nghị Ban Tuyên giáo và Dân vận Tỉnh ủy
- Chỉ đạo tuyên truyền về chuyển đổi số.
"""


@pytest.mark.parametrize(("section", "leads"), [
    ("II.1", {"Viễn thông Quảng Trị", "Viettel Quảng Trị"}),
    ("II.2", {"Ban Tuyên giáo và Dân vận Tỉnh ủy"}),
])
def test_a_request_heading_names_its_bodies(section: str, leads: set[str]) -> None:
    """"Đề nghị A (abbr.) và B": each body asked leads the item, a brand name without a head too;
    a name with "và" inside stays one."""
    assert _leads(_rows(REQUEST_PLAN), section) == leads


ROADMAP_PLAN = """SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI TỈNH CÀ MAU
Số: 12/KH-SLĐTBXH
KẾ HOẠCH
Hỗ trợ việc làm năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Yêu cầu
- Các phòng, đơn vị thuộc Sở nghiêm túc quán triệt Kế hoạch.
II. LỘ TRÌNH THỰC HIỆN
1. Giai đoạn 1
- Trung tâm Dịch vụ việc làm tỉnh khảo sát nhu cầu lao động tại các huyện.
- Thanh tra Sở kiểm tra các doanh nghiệp dịch vụ trong quý II/2026.
- Phòng Việc làm - An toàn lao động hoàn thành tài liệu hỏi đáp.
"""


def test_dash_subject_leads_whatever_its_verb() -> None:
    """A dash opening with a body then a verb outside the duty verbs ("khảo sát", "kiểm tra",
    "hoàn thành") makes the body its lead; a body opening a dash in the part of aims and requirements
    leads nothing."""
    rows = _rows(ROADMAP_PLAN)
    leads = {(r.section, r.agency) for r in rows if r.kind == "assignment" and r.role == "lead"}
    assert {("II.1", "Trung tâm Dịch vụ việc làm tỉnh"), ("II.1", "Thanh tra Sở"),
            ("II.1", "Phòng Việc làm - An toàn lao động")} <= leads
    assert not {name for section, name in leads if section.startswith("I.")}


REGIME_PART_PLAN = """SỞ XÂY DỰNG TỈNH CÀ MAU
Số: 14/KH-SXD
KẾ HOẠCH
Kiểm tra chất lượng công trình năm 2026
Phần III
TỔ CHỨC THỰC HIỆN
1. Phòng Kinh tế - Hạ tầng chủ trì kiểm tra các công trình trọng điểm.
Phần IV
CHẾ ĐỘ THÔNG TIN, BÁO CÁO
1. Thanh tra Sở báo cáo kết quả từng đợt kiểm tra cho Giám đốc Sở trong 10 ngày kể từ ngày kết thúc đợt kiểm tra.
2. Phòng Kinh tế - Hạ tầng chủ trì tổng kết Kế hoạch trong tháng 12/2026.
"""


def test_reporter_in_the_reporting_part_leads_no_task() -> None:
    """In the part that sets the reporting regime (its title on the line under "Phần IV"), a line
    stating a report gives a reporting row and no lead; a line there that states no report still
    assigns its work."""
    rows = _rows(REGIME_PART_PLAN)
    leads = {(r.section, r.agency) for r in rows if r.kind == "assignment" and r.role == "lead"}
    assert ("II.1", "Thanh tra Sở") not in leads
    assert any(r.kind == "reporting" and r.section == "II.1" and r.agency == "Thanh tra Sở" for r in rows)
    assert ("I.1", "Phòng Kinh tế - Hạ tầng") in leads
    assert ("II.2", "Phòng Kinh tế - Hạ tầng") in leads


def test_budget_allotted_by_giao_is_no_task() -> None:
    """"Kinh phí … từ dự toán ngân sách năm 2026 giao Sở X là …" names the budget allotted to the
    agency, no task it leads; "giao Sở Y chủ trì …" still gives Sở Y the task."""
    rows = _rows("""ỦY BAN NHÂN DÂN TỈNH CÀ MAU
Số: 15/KH-UBND
KẾ HOẠCH
Chuyển đổi số năm 2026
I. TỔ CHỨC THỰC HIỆN
1. Nhiệm vụ
- Kinh phí thực hiện từ dự toán ngân sách năm 2026 giao Sở Khoa học và Công nghệ là 1.850 triệu đồng.
- Giao Sở Nội vụ chủ trì rà soát bộ thủ tục hành chính.
""")
    leads = {r.agency for r in rows if r.kind == "assignment" and r.role == "lead"}
    assert "Sở Khoa học và Công nghệ" not in leads
    assert "Sở Nội vụ" in leads


def test_lead_named_by_chu_tri_in_the_reporting_part_stays() -> None:
    """"Văn phòng Sở chủ trì, phối hợp với … tham mưu Giám đốc Sở báo cáo …" in the reporting part
    names who leads the report: that lead stays."""
    rows = _rows(REGIME_PART_PLAN + "3. Văn phòng Sở chủ trì, phối hợp với Thanh tra Sở tham mưu Giám đốc Sở "
                 "báo cáo UBND tỉnh trước ngày 10/12/2026.\n")
    assert any(r.kind == "assignment" and r.role == "lead" and r.section == "II.3" and r.agency == "Văn phòng Sở"
               for r in rows)


PHASES_PLAN = """ỦY BAN NHÂN DÂN HUYỆN NGỌC LẶC
Số: 12/KH-UBND
KẾ HOẠCH
Phòng, chống lụt bão năm 2026
I. NHIỆM VỤ THEO TỪNG GIAI ĐOẠN
1. Khi có bão khẩn cấp
a) Ban Chỉ huy Quân sự huyện điều động lực lượng dân quân sẵn sàng cơ động khi có lệnh của Trưởng ban.
b) Công an huyện phân luồng giao thông tại các ngầm, tràn.
c) Trung tâm Y tế huyện bố trí xe cứu thương.
d) Phòng Kinh tế và Hạ tầng huyện thuộc Ủy ban nhân dân huyện.
"""


@pytest.mark.parametrize(("section", "leads"), [
    # a point opens with its subject whatever its verb ("điều động", "phân luồng", "điều phối")
    ("I.1.a", {"Ban Chỉ huy Quân sự huyện"}),
    # "b)" is the point's label, not "Bộ" that lost its vowel ("Bộ Công an")
    ("I.1.b", {"Công an huyện"}),
    ("I.1.c", {"Trung tâm Y tế huyện"}),
    # a body described, with no verb of its own, acts in nothing
    ("I.1.d", set()),
])
def test_point_subject_leads_whatever_its_verb(section, leads) -> None:
    rows = _rows(PHASES_PLAN)
    assert {r.agency for r in rows if r.kind == "assignment" and r.role == "lead" and r.section == section} == leads


COMMA_NAME_PLAN = """SỞ TƯ PHÁP TỈNH HÀ NAM
Số: 15/KH-STP
KẾ HOẠCH
Công tác hòa giải ở cơ sở năm 2026
I. TỔ CHỨC THỰC HIỆN
1. Phòng Hành chính, tư pháp
Chủ trì tập huấn hòa giải viên.
2. Trung tâm Trợ giúp pháp lý nhà nước
Tư vấn pháp luật lưu động; báo cáo kết quả về Phòng Hành chính, tư pháp trong 05 ngày làm việc kể từ ngày kết thúc đợt.
"""


def test_name_with_comma_read_whole_where_the_plan_prints_it() -> None:
    # the sentence goes on after the name ("… tư pháp trong 05 ngày"): the body the heading names whole
    rows = _rows(COMMA_NAME_PLAN)
    assert {r.recipient for r in rows if r.kind == "reporting" and r.section == "I.2"} == {"Phòng Hành chính, tư pháp"}
