"""Cross-references resolved at ingest to section paths of the same plan."""

from __future__ import annotations

import pytest

from eval.metadata_eval import SHARED_PLANS_DIR, plan_texts
from eval.xref_eval import xref_scores
from index.chunking import chunk_plan
from index.models import Chunk
from index.structure import parse_plan
from index.xrefs import find_xrefs
from planbot import SAMPLE_PLANS_DIR

PLAN = """ỦY BAN NHÂN DÂN
TỈNH BẮC NINH
Số: 141/KH-UBND
Bắc Ninh, ngày 20 tháng 11 năm 2025
KẾ HOẠCH
CHUYỂN ĐỔI SỐ NĂM 2026
Căn cứ Điều 5 Nghị định 30/2020/NĐ-CP về công tác văn thư;
I. MỤC TIÊU
1. Mục tiêu chung
Hoàn thành các nhiệm vụ nêu tại Mục II.
2. Mục tiêu cụ thể
Thực hiện theo Mục VI Quyết định số 213/QĐ-TTg ngày 01/3/2024.
II. NHIỆM VỤ
1. Hạ tầng số
a) Xây dựng trung tâm dữ liệu.
b) Phủ sóng 5G các khu công nghiệp.
2. Dữ liệu số
Các sở thực hiện nhiệm vụ quy định tại điểm b khoản 1 Mục II.
3. Nhân lực số
Đào tạo theo khoản 2 Mục này và theo Phụ lục kèm theo Kế hoạch này.
4. Giám sát
Theo dõi việc thực hiện khoản 1, khoản 2 Mục III và các nội dung tại Mục II.3.
III. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ chủ trì các chỉ tiêu tại điểm 1 Mục III Kế hoạch; báo cáo theo điểm a
khoản 2 Điều 9 Quyết định số 10/2024/QĐ-UBND.
2. Các sở thực hiện các nội dung tại khoản 3 Mục này, điểm a và điểm b khoản 1 Mục II.
Nơi nhận:
- Các đơn vị tại Mục III;
PHỤ LỤC
DANH MỤC NHIỆM VỤ
TT | Nhiệm vụ | Cơ quan chủ trì
1 | Trung tâm dữ liệu | Sở Khoa học và Công nghệ
"""


def line_of(fragment: str) -> int:
    return next(n for n, line in enumerate(PLAN.split("\n"), start=1) if fragment in line)


def refs() -> dict[tuple[int, str], tuple[str, ...]]:
    plan = parse_plan(PLAN, "bac-ninh.txt")
    return {(r.line, r.phrase): r.targets for r in find_xrefs(plan)}


def test_references_resolve_to_this_plans_sections():
    found = refs()
    assert found[(line_of("nêu tại Mục II"), "Mục II")] == ("II",)
    assert found[(line_of("quy định tại điểm b"), "điểm b khoản 1 Mục II")] == ("II.1.b",)
    training = line_of("Đào tạo theo")
    assert found[(training, "khoản 2 Mục này")] == ("II.2",)
    assert found[(training, "Phụ lục")] == ("PL1",)
    assert found[(line_of("điểm 1 Mục III"), "điểm 1 Mục III")] == ("III.1",)  # an item written as "điểm"
    both = line_of("khoản 3 Mục này, điểm a")
    assert found[(both, "khoản 3 Mục này")] == ()  # part III has no item 3: nothing is invented
    assert found[(both, "điểm a")] == ("II.1.a",)  # "điểm a và điểm b khoản 1 Mục II"
    assert found[(both, "điểm b khoản 1 Mục II")] == ("II.1.b",)
    assert found[(line_of("Các đơn vị tại Mục III"), "Mục III")] == ("III",)  # Nơi nhận
    watch = line_of("Theo dõi việc thực hiện")
    assert found[(watch, "khoản 1")] == ("III.1",)  # a list shares the last member's part
    assert found[(watch, "khoản 2 Mục III")] == ("III.2",)
    assert found[(watch, "Mục II.3")] == ("II.3",)


def test_references_to_other_documents_are_not_this_plans():
    phrases = {phrase for _, phrase in refs()}
    assert not any(p.startswith("điểm a khoản 2") for p in phrases)  # … Điều 9 Quyết định số 10/2024
    lines = {line for line, _ in refs()}
    assert line_of("Điều 5 Nghị định") not in lines and line_of("Mục VI Quyết định") not in lines


def test_a_reference_to_a_part_the_plan_does_not_have_resolves_to_nothing():
    plan = parse_plan("KẾ HOẠCH\nX\nI. MỤC TIÊU\n1. Làm theo khoản 9 Mục V và Phụ lục kèm theo.\n", "x.txt")
    assert all(r.targets == () for r in find_xrefs(plan))


def test_chunks_carry_the_sections_they_refer_to_through_the_store_metadata():
    plan = parse_plan(PLAN, "bac-ninh.txt")
    chunk = next(c for c in chunk_plan(plan) if c.section == "II.2")
    assert chunk.xrefs == ("II.1.b",)
    again = Chunk.from_metadata(chunk.chunk_id, chunk.text, chunk.metadata())
    assert again.xrefs == ("II.1.b",)
    plain = next(c for c in chunk_plan(plan) if c.section == "II.1.a")
    assert plain.xrefs == () and "xrefs" not in plain.metadata()


def test_ocr_numerals_in_references():
    plan = parse_plan((SAMPLE_PLANS_DIR / "thua-thien-hue-2024.txt").read_text(encoding="utf-8"),
                      "thua-thien-hue-2024.txt")
    assert [r.targets for r in find_xrefs(plan) if r.section == "closing"] == [("IV",)]  # "tai Muc 1V"


def test_gold_cross_references_on_the_samples():
    scores = xref_scores(plan_texts((SAMPLE_PLANS_DIR,)))
    assert scores["gold"] == 2 and scores["precision"] == 1.0 and scores["recall"] == 1.0


@pytest.mark.skipif(not SHARED_PLANS_DIR.is_dir(), reason="../shared/plans is not present")
def test_gold_cross_references_on_the_real_plans():
    scores = xref_scores()
    assert scores["plans"] >= 8 and scores["gold"] >= 8
    assert scores["precision"] >= 0.85 and scores["recall"] >= 0.85, scores


def test_the_library_follows_a_chunks_references():
    from index.embedders import HashingEmbedder
    from index.ingest import Ingestor
    from index.store import InMemoryStore
    from rag.library import Library

    store = InMemoryStore()
    Ingestor(store, HashingEmbedder()).ingest_texts({"bac-ninh.txt": PLAN}, progress=False)
    chunk = next(c for c in store.snapshot().chunks_of("bac-ninh.txt") if c.section == "II.2")
    (view,) = Library(store).referenced(chunk)
    assert (view.section, view.text.strip()) == ("II.1.b", "b) Phủ sóng 5G các khu công nghiệp.")


BRACKETED = """ỦY BAN NHÂN DÂN
TỈNH BẮC NINH
Số: 142/KH-UBND
Bắc Ninh, ngày 20 tháng 11 năm 2025
KẾ HOẠCH
CHUYỂN ĐỔI SỐ NĂM 2026
I. NHIỆM VỤ
1. Hạ tầng số
a) Xây dựng trung tâm dữ liệu dùng chung của tỉnh.
II. GIẢI PHÁP
1. Giải pháp thể chế
Rà soát quy định.
2. Giải pháp nguồn lực
2.1. Giải pháp đầu tư
Đầu tư hạ tầng.
2.2. Giải pháp tài chính
a) Bố trí 12.000 triệu đồng từ ngân sách tỉnh cho trung tâm dữ liệu.
b) Huy động xã hội hóa.
III. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính thực hiện nội dung tại mục (II)(2.2)(a) và các giải pháp tại Mục II.
2. Các sở thực hiện theo điểm (b) tiểu mục 2.2 mục II; nội dung tại Mục II.2.2.b; điểm a khoản 1 Mục I.
"""


def test_references_in_every_written_form_resolve_to_the_point():
    plan = parse_plan(BRACKETED, "bac-ninh-2.txt")
    found = {(r.line, r.phrase): r.targets for r in find_xrefs(plan)}
    line = next(n for n, text in enumerate(BRACKETED.split("\n"), start=1) if text.startswith("1. Sở Tài chính"))
    assert found[(line, "mục (II)(2.2)(a)")] == ("II.2.2.a",)  # part, item, point in brackets
    assert found[(line, "Mục II")] == ("II",)
    line += 1
    assert found[(line, "điểm (b) tiểu mục 2.2 mục II")] == ("II.2.2.b",)
    assert found[(line, "Mục II.2.2.b")] == ("II.2.2.b",)  # a dotted path with its point
    assert found[(line, "điểm a khoản 1 Mục I")] == ("I.1.a",)  # the point, not the khoản


def test_a_bracketed_reference_is_followed_in_the_answer(tmp_path):
    from index.embedders import HashingEmbedder
    from index.store import InMemoryStore
    from planbot.factory import build_app
    from planbot.settings import Settings

    settings = Settings(_env_file=None, data_dir=tmp_path / "data", llm="none")
    app = build_app(settings, store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    app.ingestor.ingest_texts({"bac-ninh-2.txt": BRACKETED}, progress=False)
    answer = app.assistant.ask("Theo kế hoạch của Bắc Ninh, Sở Tài chính thực hiện nội dung nào?")
    sections = [c.section for c in answer.citations]
    assert "III.1" in sections and "II.2.2.a" in sections
    assert "12.000 triệu đồng" in answer.answer  # what the referenced point says


ARABIC_PARTS = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NAM
Số: 12/KH-UBND
KẾ HOẠCH
PHÒNG, CHỐNG MUA BÁN NGƯỜI NĂM 2024
1. MỤC ĐÍCH, YÊU CẦU
1.1. Mục đích
- Ngăn chặn tội phạm.
2. NHIỆM VỤ TRỌNG TÂM
2.1. Công tác truyền thông
a) Tuyên truyền trên báo chí.
2.2. Công tác đấu tranh
a) Rà soát đối tượng.
c) Kiểm soát người, phương tiện qua cửa khẩu.
3. TỔ CHỨC THỰC HIỆN
3.1. Giao Công an tỉnh
- Thực hiện các nhiệm vụ tại khoản 2.1 mục 2.
3.2. Giao Bộ Chỉ huy Bộ đội Biên phòng tỉnh
- Chủ trì thực hiện nhiệm vụ tại điểm c khoản 2.2 mục 2.
"""


@pytest.mark.parametrize(("phrase", "target"), [("khoản 2.1 mục 2", "2.1"), ("điểm c khoản 2.2 mục 2", "2.2.c")])
def test_a_plan_with_arabic_parts_names_its_items_by_their_whole_number(phrase, target):
    # "khoản 2.2 mục 2" written in part 3 is item 2.2, not item 3.2; the trailing "mục 2" is its part
    found = {r.phrase: r.targets for r in find_xrefs(parse_plan(ARABIC_PARTS, "quang-nam.txt"))}
    assert found == {"khoản 2.1 mục 2": ("2.1",), "điểm c khoản 2.2 mục 2": ("2.2.c",)}
    assert found[phrase] == (target,)


ARABIC_LISTS = ARABIC_PARTS + """- Chủ trì thực hiện các nhiệm vụ tại điểm a, c khoản 2.2 mục 2; phối hợp theo mục 2 của Kế hoạch.
- Thực hiện điểm a và c khoản 2.2 mục 2.
"""


def test_a_list_of_points_and_an_arabic_part_resolve_each():
    # "điểm a, c khoản 2.2": both points of item 2.2; "mục 2" alone where parts are numbered 1., 2. is part 2
    found = [(r.phrase, r.targets) for r in find_xrefs(parse_plan(ARABIC_LISTS, "quang-nam.txt"))]
    assert [t for _, t in found[2:]] == [("2.2.a", "2.2.c"), ("2",), ("2.2.a", "2.2.c")]


TASK_LISTS = """ỦY BAN NHÂN DÂN
TỈNH BẮC KẠN
Số: 30/KH-UBND
KẾ HOẠCH
SỐ HÓA TÀI LIỆU LƯU TRỮ NĂM 2025
Phần thứ nhất
MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Bảo quản an toàn tài liệu.
Phần thứ hai
NHIỆM VỤ CỤ THỂ
1. Rà soát tài liệu
- Cơ quan chủ trì: Trung tâm Lưu trữ lịch sử tỉnh.
2. Xây dựng quy trình
- Cơ quan chủ trì: Sở Nội vụ.
3. Đầu tư hạ tầng
- Cơ quan chủ trì: Sở Khoa học và Công nghệ.
Phần thứ ba
TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ
- Chỉ đạo Trung tâm Lưu trữ lịch sử tỉnh thực hiện các nhiệm vụ được giao tại Phần thứ hai.
- Chủ trì các nhiệm vụ số 1 và 3 tại Phần thứ hai; báo cáo theo nhiệm vụ 2 Phần II.
- Thực hiện nhiệm vụ 9 tại Phần II; nhiệm vụ 1 tại Điều 3 Quyết định số 12/QĐ-UBND; nhiệm vụ 2 năm 2025.
"""


def test_a_task_list_resolves_to_the_numbered_tasks_of_its_part():
    # "nhiệm vụ số 1 và 3 tại Phần thứ hai": the part's items 1 and 3; "Phần thứ hai" is part II; a task
    # number the part does not have falls back to the part; the part headings are not references
    found = [(r.phrase, r.targets) for r in find_xrefs(parse_plan(TASK_LISTS, "bac-kan.txt"))]
    assert found == [
        ("Phần thứ hai", ("II",)),
        ("nhiệm vụ số 1 và 3 tại Phần thứ hai", ("II.1", "II.3")),
        ("nhiệm vụ 2 Phần II", ("II.2",)),
        ("nhiệm vụ 9 tại Phần II", ("II",)),
    ]



APPENDIX_TASKS = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HUẾ
Số: 27/KH-UBND
KẾ HOẠCH
CHUYỂN ĐỔI SỐ CẤP XÃ NĂM 2026
I. MỤC ĐÍCH
1. Mục đích
- Hỗ trợ các xã.
II. TỔ CHỨC THỰC HIỆN
1. UBND các xã, phường
- Chủ trì các nhiệm vụ số 1 và 3 tại Phụ lục I; thực hiện báo cáo theo Phụ lục I.
Phụ lục I
DANH MỤC NHIỆM VỤ
| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |
| --- | --- | --- | --- |
| 1 | Khảo sát hiện trạng | UBND các xã, phường | Tháng 3/2026 |
| 2 | Tập huấn | Sở Khoa học và Công nghệ | Tháng 4/2026 |
| 3 | Cấp chữ ký số | UBND các xã, phường | Tháng 5/2026 |
"""


def test_a_task_list_numbered_in_an_appendix_resolves_to_its_rows():
    # "nhiệm vụ số 1 và 3 tại Phụ lục I": rows 1 and 3 of the appendix table, not the appendix whole
    found = [(r.phrase, r.targets) for r in find_xrefs(parse_plan(APPENDIX_TASKS, "hue.txt"))]
    assert found == [("nhiệm vụ số 1 và 3 tại Phụ lục I", ("PL1.1", "PL1.3")), ("Phụ lục I", ("PL1",))]
