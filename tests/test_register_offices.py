"""Reports sent to an office of a steering committee go to that office: "gửi Cơ quan thường trực
Ban Chỉ đạo" to the body the plan names as the standing office, "báo cáo Trưởng ban Ban Chỉ đạo"
to the committee's head. The plans are written for these tests, not taken from any plan."""

from __future__ import annotations

import pytest

from index.chunking import chunk_plan
from index.obligations import Obligation, extract_plan
from index.structure import parse_plan

# the office named in a heading with its body in brackets
BRACKETED_PLAN = """ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN
KẾ HOẠCH
Hoạt động năm 2026 của Ban Chỉ đạo phát triển du lịch tỉnh
I. NHIỆM VỤ
1. Rà soát điểm du lịch cộng đồng
- Các huyện, thành phố rà soát điểm du lịch cộng đồng, gửi Cơ quan thường trực Ban Chỉ đạo tỉnh trước ngày 15/4/2026.
II. PHÂN CÔNG NHIỆM VỤ
1. Cơ quan thường trực Ban Chỉ đạo (Sở Văn hóa, Thể thao và Du lịch)
a) Tổng hợp báo cáo của các thành viên, báo cáo Trưởng ban Ban Chỉ đạo định kỳ hằng quý, trước ngày 20 của tháng cuối quý.
2. Ban Chỉ đạo phát triển du lịch các huyện, thành phố
- Xây dựng kế hoạch của địa phương, gửi Cơ quan thường trực Ban Chỉ đạo tỉnh trước ngày 31/3/2026.
Trên đây là Kế hoạch; nếu có vướng mắc, các thành viên phản ánh về Cơ quan thường trực Ban Chỉ đạo để tổng hợp./.
"""

# the office named in a sentence ("Sở X là cơ quan thường trực")
STATED_PLAN = """ỦY BAN NHÂN DÂN TỈNH BẾN TRE
KẾ HOẠCH
Phòng, chống thiên tai năm 2026
I. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường là cơ quan thường trực của Ban Chỉ huy, theo dõi việc thực hiện Kế hoạch.
2. Ủy ban nhân dân các xã
- Kiểm tra đê bao, gửi Cơ quan thường trực Ban Chỉ đạo trước ngày 30/5/2026.
"""

# two bodies both called the standing office: the plan names no one office, the row keeps its words
AMBIGUOUS_PLAN = """KẾ HOẠCH
Phòng, chống dịch năm 2026
I. TỔ CHỨC THỰC HIỆN
1. Cơ quan thường trực Ban Chỉ đạo (Sở Y tế)
- Theo dõi dịch bệnh.
2. Cơ quan thường trực Ban Chỉ đạo (Sở Nông nghiệp và Môi trường)
- Theo dõi dịch bệnh động vật.
3. Ủy ban nhân dân các xã
- Gửi Cơ quan thường trực Ban Chỉ đạo trước ngày 30/5/2026.
"""


def _reports(text: str) -> list[Obligation]:
    plan = parse_plan(text, "p.txt")
    return [r for r in extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year) if r.kind == "reporting"]


@pytest.mark.parametrize(("text", "section", "recipient", "due"), [
    (BRACKETED_PLAN, "I.1", "Sở Văn hóa, Thể thao và Du lịch", "2026-04-15"),  # resolved from the heading
    (BRACKETED_PLAN, "II.1.a", "Trưởng ban Ban Chỉ đạo", None),  # the head, not the whole committee
    (BRACKETED_PLAN, "II.2", "Sở Văn hóa, Thể thao và Du lịch", "2026-03-31"),
    (BRACKETED_PLAN, "closing", "Sở Văn hóa, Thể thao và Du lịch", None),  # "phản ánh về" the office
    (STATED_PLAN, "I.2", "Sở Nông nghiệp và Môi trường", "2026-05-30"),  # "Sở X là cơ quan thường trực"
])
def test_report_to_committee_office(text, section, recipient, due) -> None:
    rows = [r for r in _reports(text) if r.section == section]
    assert any(r.recipient == recipient and (due is None or r.due_date == due) for r in rows), \
        [(r.recipient, r.due_date) for r in rows]
    assert not any(r.recipient in ("Ban Chỉ đạo", "Ban Chỉ đạo tỉnh") for r in rows)


def test_standing_office_unresolved_when_the_plan_names_two() -> None:
    rows = [r for r in _reports(AMBIGUOUS_PLAN) if r.section == "I.3"]
    assert [r.recipient for r in rows] == ["Cơ quan thường trực Ban Chỉ đạo"]


# the standing office and the chairman named as recipients of their own, in a plan that defines a
# short name for its committee; the title of one body and another body after a comma
OWN_OFFICES_PLAN = """ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH
KẾ HOẠCH
Chuyển đổi số cấp xã năm 2026
I. MỤC ĐÍCH
Làm cơ sở để Ban Chỉ đạo chuyển đổi số tỉnh Hà Tĩnh (sau đây gọi tắt là Ban Chỉ đạo) theo dõi việc thực hiện.
II. NHIỆM VỤ
1. Số hóa hồ sơ
- Sở Tư pháp số hóa hồ sơ hộ tịch; báo cáo kết quả về Thường trực Ban Chỉ đạo trước ngày 15/9/2026.
2. Kiểm tra
- Công an tỉnh kiểm tra việc cấp tài khoản, báo cáo Chủ tịch UBND tỉnh khi có yêu cầu.
3. Giao ban
- Ủy ban nhân dân các xã báo cáo kết quả về UBND tỉnh (qua Thường trực Ban Chỉ đạo) trước ngày 20 hằng tháng.
4. Sự cố
- Sở Khoa học và Công nghệ báo cáo Trưởng ban, UBND tỉnh ngay sau khi xảy ra sự cố.
5. Tổng kết
- Sở Nội vụ báo cáo Thường trực Hội đồng nhân dân tỉnh kết quả trước ngày 30/11/2026.
"""


@pytest.mark.parametrize(("section", "recipient", "via"), [
    # the standing office is no committee: named by the plan's short name for it, as printed
    ("II.1", "Thường trực Ban Chỉ đạo", None),
    ("II.2", "Chủ tịch Ủy ban nhân dân tỉnh", None),
    ("II.3", "Ủy ban nhân dân tỉnh", "Thường trực Ban Chỉ đạo"),
    ("II.4", "Ủy ban nhân dân tỉnh", None),  # "Trưởng ban, UBND tỉnh": no "Trưởng ban" of UBND
    ("II.5", "Thường trực Hội đồng nhân dân tỉnh", None),
])
def test_report_to_an_office_of_its_own(section, recipient, via) -> None:
    rows = [r for r in _reports(OWN_OFFICES_PLAN) if r.section == section]
    assert any(r.recipient == recipient and r.via == via for r in rows), [(r.recipient, r.via) for r in rows]
    assert not any(r.recipient in ("Ban Chỉ đạo", "Trưởng ban Ủy ban nhân dân tỉnh")
                   for r in rows)


# the committee's head named by the title alone, in a plan of the committee
BARE_HEAD_PLAN = """BAN CHỈ ĐẠO PHÒNG, CHỐNG DỊCH BỆNH TỈNH QUẢNG TRỊ
KẾ HOẠCH
Phòng, chống dịch bệnh mùa đông năm 2026
I. NHIỆM VỤ
1. Sở Y tế
- Giám sát ổ dịch; báo cáo Trưởng ban ngay sau khi phát hiện ổ dịch mới.
2. Thường trực Ban Chỉ đạo
- Tổng hợp kết quả, báo cáo Trưởng ban, UBND tỉnh trước ngày 10 hằng tháng.
3. Các thành viên Ban Chỉ đạo
- Gửi báo cáo về Ban Chỉ đạo (qua Sở Y tế) để tổng hợp, báo cáo Trưởng ban.
"""


@pytest.mark.parametrize(("section", "recipients"), [
    ("I.1", {"Trưởng ban Ban Chỉ đạo"}),
    ("I.2", {"Trưởng ban Ban Chỉ đạo", "Ủy ban nhân dân tỉnh"}),  # two recipients, the comma between
    ("I.3", {"Ban Chỉ đạo"}),  # the head receives it passed on, not from the members
])
def test_report_to_the_committee_head_by_title(section, recipients) -> None:
    rows = [r for r in _reports(BARE_HEAD_PLAN) if r.section == section]
    assert {r.recipient for r in rows} == recipients, [(r.recipient, r.via) for r in rows]
