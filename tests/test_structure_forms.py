"""The top-level forms of the genre (issue 21) read into one section tree: parts printed "PHẦN I",
"Phần thứ hai", "Phần 3", "Chương I", Arabic top-level parts with "2.1." items, unnumbered capital
parts, a task table inside a body part (rows `<part>.<STT>`), and a plan whose outline cannot be
read at all, which must still be answered from its text. Small plans written here, paths by hand."""

from __future__ import annotations

import pytest

from index.chunking import chunk_plan
from index.embedders import HashingEmbedder
from index.store import InMemoryStore
from index.structure import parse_plan, top_level_form
from planbot.factory import build_app
from planbot.settings import Settings

HEAD = """ỦY BAN NHÂN DÂN                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH HÀ GIANG                             Độc lập - Tự do - Hạnh phúc
Số: 52/KH-UBND                      Hà Giang, ngày 12 tháng 4 năm 2026

KẾ HOẠCH
Phát triển du lịch cộng đồng trên địa bàn tỉnh Hà Giang năm 2026

Căn cứ Nghị quyết của Hội đồng nhân dân tỉnh về phát triển du lịch giai đoạn 2026-2030;
Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
"""

BODY = """{p1}
1. Mục đích
- Khai thác tiềm năng văn hóa các dân tộc để phát triển du lịch bền vững.
2. Yêu cầu
- Phân công cụ thể, gắn trách nhiệm người đứng đầu.
{p2}
1. Xây dựng sản phẩm du lịch
a) Sở Văn hóa, Thể thao và Du lịch chủ trì xây dựng 05 làng du lịch cộng đồng, hoàn thành trong quý III/2026.
b) UBND các xã đăng ký mô hình homestay trước ngày 30/6/2026.
2. Quảng bá du lịch
Phần kinh phí quảng bá do ngân sách tỉnh bảo đảm theo phân cấp hiện hành.
{p3}
1. Sở Tài chính
Tham mưu bố trí kinh phí, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/11/2026.
"""

WANT = ["I", "I.1", "I.2", "II", "II.1", "II.1.a", "II.1.b", "II.2", "III", "III.1"]


def _outline(text: str) -> list[tuple[str, str]]:
    return [(str(e["section"]), str(e["title"])) for e in parse_plan(text, "t.txt").outline()]


@pytest.mark.parametrize(("p1", "p2", "p3"), [
    ("PHẦN I. MỤC ĐÍCH, YÊU CẦU", "PHẦN II. NHIỆM VỤ, GIẢI PHÁP", "PHẦN III. TỔ CHỨC THỰC HIỆN"),
    ("Phần I: MỤC ĐÍCH, YÊU CẦU", "Phần II: NHIỆM VỤ, GIẢI PHÁP", "Phần III: TỔ CHỨC THỰC HIỆN"),
    ("Phần thứ nhất\nMỤC ĐÍCH, YÊU CẦU", "Phần thứ hai\nNHIỆM VỤ, GIẢI PHÁP", "Phần thứ ba\nTỔ CHỨC THỰC HIỆN"),
    ("PHẦN THỨ NHẤT. MỤC ĐÍCH, YÊU CẦU", "PHẦN THỨ HAI. NHIỆM VỤ, GIẢI PHÁP", "PHẦN THỨ BA. TỔ CHỨC THỰC HIỆN"),
    ("Phần 1 - MỤC ĐÍCH, YÊU CẦU", "Phần 2 - NHIỆM VỤ, GIẢI PHÁP", "Phần 3 - TỔ CHỨC THỰC HIỆN"),
    ("CHƯƠNG I\nMỤC ĐÍCH, YÊU CẦU", "CHƯƠNG II\nNHIỆM VỤ, GIẢI PHÁP", "CHƯƠNG III\nTỔ CHỨC THỰC HIỆN"),
    ("I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ, GIẢI PHÁP", "III. TỔ CHỨC THỰC HIỆN"),
    ("MỤC ĐÍCH, YÊU CẦU", "NHIỆM VỤ, GIẢI PHÁP", "TỔ CHỨC THỰC HIỆN"),
])
def test_every_form_of_part_gives_the_same_tree(p1, p2, p3):
    outline = _outline(HEAD + BODY.format(p1=p1, p2=p2, p3=p3))
    assert [path for path, _ in outline] == WANT
    # a part whose title is printed on the line after its number takes that line as its title
    assert outline[0][1] == "MỤC ĐÍCH, YÊU CẦU" and outline[8][1] == "TỔ CHỨC THỰC HIỆN"


def test_which_form_a_plan_uses():
    form = {k: top_level_form((HEAD + BODY.format(p1=a, p2=b, p3=c)).split("\n")) for k, (a, b, c) in {
        "word": ("PHẦN I. A B", "PHẦN II. C D", "PHẦN III. E F"),
        "roman": ("I. MỤC ĐÍCH", "II. NHIỆM VỤ", "III. TỔ CHỨC"),
        "caps": ("MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG", "TỔ CHỨC THỰC HIỆN"),
    }.items()}
    assert form == {"word": "word", "roman": "roman", "caps": "caps"}


def test_a_sentence_opening_with_phan_is_no_part():
    # "Phần kinh phí …" in running text and a lone "Phần II" mention stay text of their item
    text = HEAD + BODY.format(p1="PHẦN I. MỤC ĐÍCH", p2="PHẦN II. NHIỆM VỤ", p3="PHẦN III. TỔ CHỨC THỰC HIỆN")
    text = text.replace("2. Quảng bá du lịch\n", "2. Quảng bá du lịch\nPhần II của Kế hoạch được cập nhật hằng năm.\n")
    assert [p for p, _ in _outline(text)] == WANT


ARABIC = HEAD + """1. MỤC ĐÍCH, YÊU CẦU
1.1. Mục đích
Khai thác tiềm năng văn hóa các dân tộc.
1.2. Yêu cầu
Phân công cụ thể, rõ người, rõ việc.
2. NỘI DUNG
2.1. Xây dựng sản phẩm du lịch
a) Xây dựng 05 làng du lịch cộng đồng.
b) Đăng ký mô hình homestay.
2.2. Quảng bá du lịch
Tổ chức 02 hội chợ du lịch trong năm.
3. TỔ CHỨC THỰC HIỆN
3.1. Sở Văn hóa, Thể thao và Du lịch
Chủ trì, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2026.
3.2. Sở Tài chính
Tham mưu bố trí kinh phí.
"""


def test_arabic_top_level_parts_are_parts_named_by_their_number():
    assert [p for p, _ in _outline(ARABIC)] == ["1", "1.1", "1.2", "2", "2.1", "2.1.a", "2.1.b", "2.2", "3", "3.1", "3.2"]
    assert top_level_form(ARABIC.split("\n")) == "arabic"


def test_capital_items_under_a_roman_part_stay_items():
    text = HEAD + "I. MỤC ĐÍCH, YÊU CẦU\n1. MỤC ĐÍCH\nNội dung.\n2. YÊU CẦU\nNội dung.\nII. NHIỆM VỤ\n1. Sở A\n"
    assert [p for p, _ in _outline(text)] == ["I", "I.1", "I.2", "II", "II.1"]


TABLE = HEAD + """I. MỤC ĐÍCH, YÊU CẦU
1. Tổ chức chu đáo, an toàn.
II. NỘI DUNG, THỜI GIAN
Các nội dung công việc như sau:

| STT | Nội dung công việc | Thời gian | Đơn vị chủ trì | Đơn vị phối hợp |
| 1 | Thành lập Ban Chỉ đạo hội chợ | Tháng 5/2026 | Sở Công Thương | Sở Nội vụ |
| 2 | Lập dự toán kinh phí tổ chức, | Quý II/2026 | Sở Công Thương | Sở Tài chính |
|   | trình phê duyệt | | | |
| … | … | … | … | … |
| 5 | Bảo đảm an ninh, trật tự | Từ ngày 01/9 đến ngày 05/9/2026 | Công an tỉnh | UBND phường Hà Giang 1 |

III. TỔ CHỨC THỰC HIỆN
1. Sở Công Thương
Chủ trì, báo cáo Ủy ban nhân dân tỉnh trước ngày 30/9/2026.
"""


def test_a_task_table_in_a_body_part_names_its_rows_by_their_stt():
    plan = parse_plan(TABLE, "t.txt")
    outline = [(str(e["section"]), str(e["title"]), e["line"]) for e in plan.outline()]
    assert [p for p, _, _ in outline] == ["I", "I.1", "II", "II.1", "II.2", "II.5", "III", "III.1"]
    assert outline[3][1] == "Thành lập Ban Chỉ đạo hội chợ"
    row2 = next(s for s in plan.sections() if s.path == "II.2")
    assert "trình phê duyệt" in "\n".join(row2.lines)  # the wrapped line belongs to its row
    chunks = {c.section: c for c in chunk_plan(plan)}
    assert "| STT | Nội dung công việc" in " ".join(chunks["II.5"].ancestors)  # the header goes with the row


PLAIN = HEAD + """Để phát triển du lịch cộng đồng, Ủy ban nhân dân tỉnh giao nhiệm vụ như sau.
Sở Văn hóa, Thể thao và Du lịch chủ trì xây dựng 05 làng du lịch cộng đồng, hoàn thành trong quý III/2026.
Sở Tài chính tham mưu bố trí kinh phí thực hiện, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/11/2026.
Ủy ban nhân dân các xã đăng ký mô hình homestay với Sở Văn hóa, Thể thao và Du lịch trước ngày 30/6/2026.
"""


def test_a_plan_without_an_outline_is_chunked_whole_and_answered(tmp_path):
    plan = parse_plan(PLAIN, "plain.txt")
    assert plan.outline() == []
    chunks = chunk_plan(plan)
    body = [line for line in PLAIN.split("\n")[plan.header_lines:] if line.strip()]
    kept = "\n".join(c.text for c in chunks)
    assert all(line.strip() in kept for line in body)  # no line of the plan is dropped
    assert {c.section for c in chunks} == {"preamble"}
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", llm="none")
    app = build_app(settings, store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    # beside a plan of another province with parts (a one-plan index gives every word no weight)
    app.ingestor.ingest_texts({"plain.txt": PLAIN, "lao-cai.txt": TABLE.replace("Hà Giang", "Lào Cai").replace("HÀ GIANG", "LÀO CAI")}, progress=False)
    answer = app.assistant.ask("Theo kế hoạch du lịch cộng đồng tỉnh Hà Giang, Sở Tài chính phải báo cáo Ủy ban nhân dân "
                               "tỉnh trước ngày nào?", mode="extractive")
    assert answer.citations and answer.citations[0].section == "preamble"
    assert answer.citations[0].source == "plain.txt" and "15/11/2026" in answer.answer
    answer = app.assistant.ask("Kế hoạch du lịch cộng đồng Hà Giang giao cơ quan nào xây dựng làng du lịch cộng đồng?",
                               mode="extractive")
    assert not answer.abstained and "Sở Văn hóa, Thể thao và Du lịch" in answer.answer


def test_word_parts_read_through_the_english_ocr_model():
    # Tesseract's English model prints "Phần thứ năm" as "Phan tht nam": the part is still read,
    # its damaged "thứ" folded like any other OCR confusion, whatever the ordinal
    parts = ("Phan tht nhat\nMUC DICH, YEU CAU", "Phan tht hai\nNHIEM VU, GIAI PHAP",
             "Phan tht ba\nTO CHUC THUC HIEN")
    assert [p for p, _ in _outline(HEAD + BODY.format(p1=parts[0], p2=parts[1], p3=parts[2]))] == WANT
    text = HEAD + BODY.format(p1="Phần thứ nhất\nMỤC ĐÍCH", p2="Phần thứ hai\nNHIỆM VỤ", p3="Phần thứ ba\nTỔ CHỨC")
    text += "Phan tht tw\nKINH PHI\n1. Ngân sách tỉnh.\nPhan tht nam\nCHE DO THONG TIN, BAO CAO\n1. Sở Tài chính báo cáo.\n"
    assert [p for p, _ in _outline(text)][-4:] == ["IV", "IV.1", "V", "V.1"]
    # a sentence opening with "Phần thu …" (revenue) stays text
    text = text.replace("1. Ngân sách tỉnh.\n", "1. Ngân sách tỉnh.\nPhần thu ba tháng đầu năm nộp ngân sách.\n")
    assert [p for p, _ in _outline(text)][-4:] == ["IV", "IV.1", "V", "V.1"]


def test_a_caps_plan_reads_its_reporting_part():
    text = HEAD + BODY.format(p1="MỤC ĐÍCH, YÊU CẦU", p2="NHIỆM VỤ, GIẢI PHÁP", p3="TỔ CHỨC THỰC HIỆN")
    text += "CHẾ ĐỘ THÔNG TIN, BÁO CÁO\n1. Sở Tài chính báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12.\n"
    assert [p for p, _ in _outline(text)][-2:] == ["IV", "IV.1"]
