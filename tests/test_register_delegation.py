"""Register: a task handed to an agency by reference ("Chủ trì thực hiện khoản 2.5 mục 2") is led by it."""

from __future__ import annotations

from index.chunking import chunk_plan
from index.obligations import extract_plan
from index.structure import parse_plan
from index.xrefs import reference_lines

PLAN = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NAM
Số: 12/KH-UBND
KẾ HOẠCH
PHÒNG, CHỐNG MUA BÁN NGƯỜI NĂM 2024
1. MỤC ĐÍCH, YÊU CẦU
1.1. Mục đích
- Ngăn chặn tội phạm mua bán người trên địa bàn tỉnh.
2. NHIỆM VỤ TRỌNG TÂM
2.1. Công tác truyền thông
a) Tuyên truyền trên báo chí, mạng xã hội.
b) Tổ chức các đợt cao điểm hưởng ứng ngày toàn dân phòng, chống mua bán người.
2.2. Công tác đấu tranh
a) Rà soát, lập danh sách đối tượng nghi vấn.
b) Mở các đợt cao điểm tấn công, trấn áp tội phạm.
c) Kiểm soát người, phương tiện qua cửa khẩu.
2.3. Hợp tác quốc tế
Trao đổi thông tin với tỉnh bạn về các đối tượng truy nã.
2.4. Công tác kiểm tra, giám sát
Kiểm tra việc thực hiện Kế hoạch tại các sở, ngành, địa phương.
3. TỔ CHỨC THỰC HIỆN
3.1. Giao Công an tỉnh (cơ quan thường trực Ban Chỉ đạo 138 tỉnh) chủ trì:
- Hướng dẫn, kiểm tra việc triển khai Kế hoạch; thực hiện các nhiệm vụ tại điểm a, b khoản 2.2 mục 2.
- Chủ trì thực hiện khoản 2.4 mục 2; thành lập đoàn kiểm tra liên ngành.
3.2. Giao Bộ Chỉ huy Bộ đội Biên phòng tỉnh
- Chủ trì, phối hợp với Sở Ngoại vụ thực hiện nhiệm vụ tại khoản 2.3 mục 2.
- Phối hợp với Công an tỉnh thực hiện điểm c khoản 2.2 mục 2.
3.3. Giao Sở Tư pháp
- Thực hiện chế độ báo cáo theo quy định tại khoản 2.1 mục 2.
"""


def _leads() -> set[tuple[str, str]]:
    plan = parse_plan(PLAN, "quang-nam.txt")
    rows = extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year, reference_lines(plan))
    return {(r.section, r.agency or "") for r in rows if r.kind == "assignment"}


def test_the_referenced_sections_are_led_by_the_agency_they_are_handed_to() -> None:
    leads = _leads()
    for section in ("2.2.a", "2.2.b", "2.4"):
        assert (section, "Công an tỉnh") in leads
    assert ("2.3", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh") in leads


def test_a_partner_share_or_a_rule_followed_hands_nothing_over() -> None:
    leads = _leads()
    # "Phối hợp với Công an tỉnh thực hiện điểm c": Biên phòng is a partner there, not the lead
    assert ("2.2.c", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh") not in leads
    # "Thực hiện chế độ báo cáo theo quy định tại khoản 2.1": the rule's section is not its task
    assert not {s for s, a in leads if a == "Sở Tư pháp" and s.startswith("2.")}


def test_without_references_the_rows_stay_where_they_are_written() -> None:
    plan = parse_plan(PLAN, "quang-nam.txt")
    rows = extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year)
    assert ("2.4", "Công an tỉnh") not in {(r.section, r.agency) for r in rows if r.kind == "assignment"}
