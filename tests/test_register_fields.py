"""Who leads, who cooperates, by when: each way the genre writes it (run-in subjects, labelled
fields in a line, a sentence or a parenthesis, the doers in parentheses at a task's end, "Giao Sở X
là cơ quan thường trực …"). One synthetic plan written for these tests, not taken from any plan."""

from __future__ import annotations

import pytest

from index.chunking import chunk_plan
from index.obligations import Obligation, extract_plan
from index.obligations.actors import _parenthesised_leads
from index.obligations.headings import _run_in_leads
from index.structure import parse_plan

FIELDS_PLAN = """ỦY BAN NHÂN DÂN TỈNH NGHỆ AN
Số: 45/KH-UBND
KẾ HOẠCH
Phòng, chống thiên tai năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Chủ động ứng phó thiên tai.
II. NHIỆM VỤ CỤ THỂ
1. Công tác chỉ đạo
a) Kiện toàn Ban Chỉ huy phòng thủ dân sự các cấp (Sở Nông nghiệp và Môi trường chủ trì, phối hợp
Sở Nội vụ, Công an tỉnh; thời gian: quý I/2026).
b) Rà soát phương án sơ tán dân cư vùng ven biển (Giao Bộ Chỉ huy Quân sự tỉnh chủ trì; thời gian: trước ngày 31/5/2026).
c) Tập huấn kỹ năng cứu hộ cho lực lượng xung kích (Sở Nông nghiệp và Môi trường, Sở Y tế thực hiện; hoàn thành trong tháng 8/2026).
2. Công tác bảo đảm
a) Bố trí kinh phí dự phòng. Cơ quan chủ trì: Sở Tài chính; cơ quan phối hợp: Sở Nông nghiệp và Môi trường; thời gian thực hiện: tháng 3/2026.
b) Cung cấp số liệu mưa, lũ
- Đơn vị chủ trì: Đài Khí tượng Thủy văn tỉnh.
- Đơn vị phối hợp: Sở Khoa học và Công nghệ, Báo Nghệ An.
- Thời gian hoàn thành: trước ngày 15/6/2026.
3. Diễn tập ứng phó lũ quét
a) Nội dung: Tổ chức diễn tập tại 02 xã miền núi.
b) Đơn vị chủ trì: Bộ Chỉ huy Quân sự tỉnh.
c) Đơn vị phối hợp: Sở Y tế, Công an tỉnh.
d) Thời gian: tháng 7/2026.
III. TỔ CHỨC THỰC HIỆN
- Sở Xây dựng: hướng dẫn gia cố nhà ở trước mùa mưa bão; phối hợp với UBND các xã, phường kiểm tra công trình.
- Công an tỉnh: phối hợp bảo đảm an ninh trật tự vùng bị thiên tai. Tổng hợp thiệt hại gửi Sở Nông nghiệp và Môi trường trước ngày 20/12/2026.
- Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh: vận động Nhân dân ủng hộ vùng bị thiên tai.
- Các sở, ban, ngành và đơn vị được phân công tại Mục II: bố trí nguồn lực thực hiện nhiệm vụ.
- Tổng hợp, báo cáo: các cơ quan gửi kết quả về Sở Nông nghiệp và Môi trường.
IV. PHÂN CÔNG
1. Sở Nội vụ, Sở Tài chính:
Hướng dẫn bố trí biên chế và kinh phí cho lực lượng xung kích.
2. Giao Sở Nông nghiệp và Môi trường là cơ quan thường trực, chủ trì theo dõi, đôn đốc việc thực hiện Kế hoạch.
V. TRÁCH NHIỆM CỦA CÁC CƠ QUAN
1. Sở Y tế
a) Chủ trì, phối hợp
- Sở Tài chính bố trí kinh phí mua cơ số thuốc dự phòng.
2. Bảo đảm hậu cần
- Sở Công Thương bảo đảm nguồn hàng thiết yếu cho vùng bị chia cắt.
"""


@pytest.fixture(scope="module")
def rows() -> list[Obligation]:
    plan = parse_plan(FIELDS_PLAN, "nghe-an.txt")
    return extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year)


def _leads(rows: list[Obligation], section: str) -> set[str]:
    return {r.agency for r in rows if r.kind == "assignment" and r.section == section and r.agency
            and not r.directed_by}


def _partners(rows: list[Obligation], section: str) -> set[str]:
    return {n for r in rows if r.kind == "assignment" and r.section == section for n in r.cooperating}


def _dates(rows: list[Obligation], section: str) -> set[str]:
    return {r.due_date for r in rows if r.kind == "deadline" and r.section == section and r.due_date}


@pytest.mark.parametrize(("section", "leads", "partners", "dates"), [
    # the doers in parentheses at the end of the task, the time after ";"
    ("II.1.a", {"Sở Nông nghiệp và Môi trường"}, {"Sở Nội vụ", "Công an tỉnh"}, {"2026-03-31"}),
    ("II.1.b", {"Bộ Chỉ huy Quân sự tỉnh"}, set(), {"2026-05-31"}),
    ("II.1.c", {"Sở Nông nghiệp và Môi trường", "Sở Y tế"}, set(), {"2026-08-31"}),
    # fields written inside the task's sentence
    ("II.2.a", {"Sở Tài chính"}, {"Sở Nông nghiệp và Môi trường"}, {"2026-03-31"}),
    # fields on lines of their own; the partners are no leads
    ("II.2.b", {"Đài Khí tượng Thủy văn tỉnh"}, {"Sở Khoa học và Công nghệ", "Báo Nghệ An"}, {"2026-06-15"}),
    # fields as points of their item: filed with it, the partners go with the point's lead
    ("II.3", {"Bộ Chỉ huy Quân sự tỉnh"}, {"Sở Y tế", "Công an tỉnh"}, {"2026-07-31"}),
    # run-in subjects before a colon, a body outside the lexicon as printed; a label is no subject
    ("III", {"Sở Xây dựng", "Công an tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
             "Các sở, ban, ngành và đơn vị được phân công tại Mục II"},
     {"Ủy ban nhân dân các xã, phường"}, {"2026-12-20"}),
    # several agencies sharing an item; "Giao Sở X là cơ quan thường trực, chủ trì …"
    ("IV.1", {"Sở Nội vụ", "Sở Tài chính"}, set(), set()),
    ("IV.2", {"Sở Nông nghiệp và Môi trường"}, set(), set()),
    # a dash line's subject leads its task; under "Chủ trì, phối hợp" the lines name the partners
    ("V.2", {"Sở Công Thương"}, set(), set()),
    ("V.1.a", {"Sở Y tế"}, {"Sở Tài chính"}, set()),
])
def test_each_layout_names_leads_partners_and_time(rows, section, leads, partners, dates):
    assert _leads(rows, section) == leads
    assert partners <= _partners(rows, section)
    assert _partners(rows, section).isdisjoint(leads) or section == "III"
    assert _dates(rows, section) == dates


def test_the_run_in_subjects_sentences_are_its_own():
    deadlines = {r.agency: r for r in rows_of("III") if r.kind == "deadline"}
    # the dated deadline of Công an tỉnh's second sentence is its own, not the line before's
    assert {a for a, r in deadlines.items() if r.due_date} == {"Công an tỉnh"}
    assert deadlines["Công an tỉnh"].due_date == "2026-12-20"
    # Sở Xây dựng's own line states a time bound to an event ("trước mùa mưa bão"): kept as such
    assert deadlines["Sở Xây dựng"].relative == "trước mùa mưa bão" and deadlines["Sở Xây dựng"].due_date is None


def rows_of(section: str) -> list[Obligation]:
    plan = parse_plan(FIELDS_PLAN, "nghe-an.txt")
    return [r for r in extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year) if r.section == section]


@pytest.mark.parametrize(("line", "names"), [
    ("- Sở Tài chính: chủ trì thẩm định dự toán.", ["Sở Tài chính"]),
    ("b) Sở Nội vụ, Sở Tư pháp: hướng dẫn …", ["Sở Nội vụ", "Sở Tư pháp"]),
    ("- Đề nghị Liên đoàn Lao động tỉnh: vận động đoàn viên.", ["Liên đoàn Lao động tỉnh"]),
    ("- Tổng hợp, báo cáo: Sở Y tế gửi …", []),  # a task's label, not a subject
    ("- Thời gian thực hiện: quý II/2026.", []),
    ("- Sở Y tế chủ trì: xem Phụ lục.", []),  # the label goes on with a verb
    ("- Nguồn kinh phí: ngân sách tỉnh.", []),
])
def test_run_in_subject(line, names):
    assert _run_in_leads(line) == names


@pytest.mark.parametrize(("sentence", "names"), [
    ("Tuần tra biên giới (Bộ Chỉ huy Bộ đội Biên phòng tỉnh chủ trì, phối hợp Công an tỉnh).",
     ["Bộ Chỉ huy Bộ đội Biên phòng tỉnh"]),
    ("Tập huấn (Sở Y tế, Sở Nội vụ thực hiện; thời gian: quý III/2026).", ["Sở Y tế", "Sở Nội vụ"]),
    ("Kiểm tra cơ sở (theo Quyết định số 12/QĐ-UBND, Sở Y tế thực hiện).", []),  # not a list of bodies alone
    ("Tuyên truyền (thời gian: hằng tháng).", []),
])
def test_parenthesised_doers(sentence, names):
    assert _parenthesised_leads(sentence) == names
