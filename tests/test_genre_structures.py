"""The genre's structures in answers (issue 21): appendix task tables (row + column → the cell,
cited `PL<n>.<STT>`), questions about the document itself (number, date, signer, issuer, period)
answered from its metadata, a plan asked by its subject alone, and a Part number printed twice.
Three small plans written here in the Decree 30/2020 layout; expected answers worked out by hand."""

from __future__ import annotations

import pytest

from index.embedders import HashingEmbedder
from index.store import InMemoryStore
from index.structure import parse_plan
from lang.normalize import collapse_ws
from planbot.factory import build_app
from planbot.settings import Settings
from rag.query import analyze
from rag.scope import title_words

PLAN_TABLE = """ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH CAO BẰNG                        Độc lập - Tự do - Hạnh phúc
Số: 15/KH-UBND                       Cao Bằng, ngày 10 tháng 02 năm 2026

KẾ HOẠCH
Chuyển đổi số nông nghiệp tỉnh Cao Bằng năm 2026

I. MỤC ĐÍCH, YÊU CẦU
1. Đưa nông sản của tỉnh lên sàn giao dịch điện tử.
II. NHIỆM VỤ
1. Các nhiệm vụ trọng tâm tại Phụ lục I kèm theo Kế hoạch này.
III. KINH PHÍ
Ngân sách tỉnh bảo đảm theo phân cấp.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
Chủ trì theo dõi việc thực hiện Kế hoạch, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2026.
2. Sở Tài chính
Tham mưu bố trí kinh phí thực hiện Kế hoạch.

Nơi nhận:                                              TM. ỦY BAN NHÂN DÂN
- Như trên;                                            KT. CHỦ TỊCH
- Các sở, ngành;                                       PHÓ CHỦ TỊCH
- Lưu: VT.                                             Nông Văn Thạch

Phụ lục I
DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NÔNG NGHIỆP NĂM 2026
(Kèm theo Kế hoạch số 15/KH-UBND ngày 10/02/2026 của Ủy ban nhân dân tỉnh)

STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm
1 | Xây dựng bản đồ số vùng trồng hồi, quế | Sở Nông nghiệp và Môi trường | Sở Khoa học và Công nghệ | Tháng 8/2026 | Bản đồ số vùng trồng
2 | Cấp mã số vùng trồng cho hợp tác xã chè | Sở Nông nghiệp và Môi trường | UBND các xã | Quý III/2026 | Mã số vùng trồng được cấp
3 | Tập huấn bán hàng trực tuyến cho nông dân | Sở Công Thương | Hội Nông dân tỉnh; Tỉnh đoàn | Tháng 10/2026 | 1.000 lượt nông dân được tập huấn
"""

PLAN_TWICE = """SỞ Y TẾ TỈNH ĐIỆN BIÊN                CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                      Độc lập - Tự do - Hạnh phúc
Số: 88/KH-SYT                         Điện Biên, ngày 05 tháng 3 năm 2026

KẾ HOẠCH
Phòng, chống thiên tai ngành y tế tỉnh Điện Biên năm 2026

I. MỤC ĐÍCH
1. Bảo đảm cấp cứu người bị nạn khi có thiên tai.
II. NHIỆM VỤ
1. Dự trữ cơ số thuốc, hóa chất phòng, chống thiên tai tại các bệnh viện.
III. KINH PHÍ
Nguồn chi thường xuyên của Sở Y tế.
IV. TỔ CHỨC THỰC HIỆN
1. Trung tâm Kiểm soát bệnh tật tỉnh
Chủ trì hướng dẫn xử lý môi trường sau thiên tai.
2. Các bệnh viện tuyến tỉnh
Bố trí đội cấp cứu cơ động thường trực khi có bão, lũ.
IV. CHẾ ĐỘ BÁO CÁO
1. Các bệnh viện báo cáo tình hình thiệt hại về Sở Y tế ngay sau khi thiên tai xảy ra.
2. Trung tâm Kiểm soát bệnh tật tỉnh tổng hợp, báo cáo Sở Y tế trước ngày 20/12/2026.

Nơi nhận:
- Bộ Y tế;
- Lưu: VT.
                                      KT. GIÁM ĐỐC
                                      PHÓ GIÁM ĐỐC

                                      Lò Thị Hoa
"""

PLAN_OTHER = """ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH LAI CHÂU                        Độc lập - Tự do - Hạnh phúc
Số: 301/KH-UBND                      Lai Châu, ngày 20 tháng 01 năm 2026

KẾ HOẠCH
Phát triển du lịch cộng đồng tỉnh Lai Châu năm 2026

I. MỤC ĐÍCH
1. Phát triển du lịch cộng đồng gắn với bản sắc dân tộc.
II. TỔ CHỨC THỰC HIỆN
1. Sở Văn hóa, Thể thao và Du lịch
Chủ trì xây dựng sản phẩm du lịch cộng đồng, báo cáo Ủy ban nhân dân tỉnh trước ngày 30/11/2026.
2. Sở Xây dựng
Hướng dẫn cải tạo nhà ở truyền thống làm cơ sở lưu trú du lịch.

Nơi nhận:
- Lưu: VT.
                                      KT. CHỦ TỊCH
                                      PHÓ CHỦ TỊCH

                                      Giàng A Tính
"""

TEXTS = {"cao-bang-2026-chuyen-doi-so-nong-nghiep.txt": PLAN_TABLE,
         "dien-bien-2026-thien-tai-y-te.txt": PLAN_TWICE,
         "lai-chau-2026-du-lich-cong-dong.txt": PLAN_OTHER}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("data"), llm="none")
    app = build_app(settings, store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    report = app.ingestor.ingest_texts(TEXTS, progress=False)
    assert not report.errors
    return app


def ask(app, question: str):
    return app.assistant.ask(question, mode="extractive")


def assert_verbatim(answer) -> None:
    for c in answer.citations:
        assert collapse_ws(c.quote) in collapse_ws(TEXTS[c.source]), c.quote


# --- appendix tables ------------------------------------------------------------------------------
@pytest.mark.parametrize(("question", "row", "cells", "not_cells"), [
    # by its number and the column's header words
    ("Cơ quan phối hợp của nhiệm vụ số 3 trong Phụ lục I Kế hoạch 15/KH-UBND là những cơ quan nào?", "PL1.3",
     ["Hội Nông dân tỉnh", "Tỉnh đoàn"], ["Tháng 10/2026"]),
    ("Nhiệm vụ STT 2 trong phụ lục kế hoạch chuyển đổi số nông nghiệp Cao Bằng là gì, sản phẩm là gì?", "PL1.2",
     ["Cấp mã số vùng trồng cho hợp tác xã chè", "Mã số vùng trồng được cấp"], []),
    # by its task's words, the table named
    ("Trong Phụ lục I, việc xây dựng bản đồ số vùng trồng hồi, quế hoàn thành khi nào?", "PL1.1",
     ["Tháng 8/2026"], ["Sở Khoa học và Công nghệ"]),
    # by its task's words alone
    ("Ai chủ trì tập huấn bán hàng trực tuyến cho nông dân ở Cao Bằng và hạn hoàn thành?", "PL1.3",
     ["Sở Công Thương", "Tháng 10/2026"], []),
])
def test_a_table_row_and_column_give_the_cell_cited_as_the_row(app, question, row, cells, not_cells):
    answer = ask(app, question)
    assert not answer.abstained, answer.answer
    assert [c.section for c in answer.citations] == [row]
    assert answer.citations[0].section_label == f"Phụ lục I, dòng {row.rsplit('.', 1)[1]}"
    for cell in cells:
        assert cell in answer.answer
    for cell in not_cells:
        assert cell not in answer.answer  # only the column asked
    assert_verbatim(answer)


def test_a_row_answer_names_the_rows_task(app):
    answer = ask(app, "Trong Phụ lục I kế hoạch 15/KH-UBND, dòng 1 do cơ quan nào chủ trì?")
    assert "Xây dựng bản đồ số vùng trồng hồi, quế" in answer.answer
    assert "Sở Nông nghiệp và Môi trường" in answer.answer


# --- the document itself --------------------------------------------------------------------------
@pytest.mark.parametrize(("question", "asked"), [
    ("Kế hoạch chuyển đổi số nông nghiệp có số hiệu gì, ký ngày nào?", ["number", "signed"]),
    ("Ai ký Kế hoạch 88/KH-SYT, với chức vụ gì?", ["signer"]),
    ("nguoi ky ke hoach 88/KH-SYT la ai", ["signer"]),
    ("Kế hoạch số 88/KH-SYT do cơ quan nào ban hành?", ["issuer"]),
    ("Kế hoạch 15/KH-UBND áp dụng cho năm nào?", ["period"]),
    # the plan's name holds another document; the decision issuing the plan is the plan's own
    ("Kế hoạch thực hiện Chương trình chuyển đổi số năm 2026 có số hiệu gì, ký ngày nào?", ["number", "signed"]),
    ("Kế hoạch triển khai Nghị quyết 57 được ban hành bằng quyết định số mấy, ai ký?", ["number", "signer"]),
    ("Ai ký Quyết định ban hành kế hoạch phòng cháy rừng, và quyết định có số hiệu gì?", ["number", "signer"]),
    ("Kế hoạch 15/KH-UBND do cơ quan nào ban hành và áp dụng cho giai đoạn nào?", ["period", "issuer"]),
    # not about the plan: a task, another document, a time counted from the signing
    ("Cơ quan nào ban hành quy chế quản lý sàn giao dịch?", []),
    ("Kế hoạch triển khai Quyết định số mấy của Thủ tướng?", []),
    ("Đợt thi đua thực hiện từ ngày ban hành Kế hoạch đến khi nào?", []),
    ("Sở Y tế phải làm gì khi có thiên tai?", []),
    ("Ai ký Hiệp định Paris năm 1973?", []),
    ("Ai ký biên bản kiểm tra theo kế hoạch?", []),
    ("Kế hoạch này căn cứ Quyết định số mấy?", []),
])
def test_questions_about_the_document_are_recognised(question, asked):
    assert analyze(question).document == asked


@pytest.mark.parametrize(("question", "source", "facts", "section"), [
    ("Kế hoạch chuyển đổi số nông nghiệp tỉnh Cao Bằng năm 2026 có số hiệu gì, ký ngày nào?",
     "cao-bang-2026-chuyen-doi-so-nong-nghiep.txt", ["15/KH-UBND", "10/02/2026"], "preamble"),
    ("Người ký kế hoạch 15/KH-UBND của tỉnh Cao Bằng là ai?",
     "cao-bang-2026-chuyen-doi-so-nong-nghiep.txt", ["Nông Văn Thạch", "Phó Chủ tịch"], "closing"),
    ("Ai ký Kế hoạch 88/KH-SYT, với chức vụ gì?", "dien-bien-2026-thien-tai-y-te.txt",
     ["Lò Thị Hoa", "Phó Giám đốc"], "closing"),
    ("Kế hoạch số 88/KH-SYT do cơ quan nào ban hành?", "dien-bien-2026-thien-tai-y-te.txt",
     ["Sở Y tế tỉnh Điện Biên"], "preamble"),
    ("Kế hoạch 301/KH-UBND áp dụng cho năm nào?", "lai-chau-2026-du-lich-cong-dong.txt", ["năm 2026"], "preamble"),
])
def test_the_documents_metadata_answers_with_its_place(app, question, source, facts, section):
    answer = ask(app, question)
    assert not answer.abstained, answer.answer
    assert {c.source for c in answer.citations} == {source}
    assert answer.citations[0].section == section
    for fact in facts:
        assert fact in answer.answer
    assert_verbatim(answer)


def test_the_header_lines_are_read_verbatim_at_ingest():
    meta = parse_plan(PLAN_TABLE, "cao-bang.txt").meta
    quotes = {name: (line, text) for name, line, text in meta.quotes}
    assert quotes["number"] == (3, "Số: 15/KH-UBND")
    assert quotes["signed"] == (3, "Cao Bằng, ngày 10 tháng 02 năm 2026")
    assert quotes["signer"][1] == "Nông Văn Thạch"
    twice = parse_plan(PLAN_TWICE, "dien-bien.txt").meta
    assert twice.signer == "Lò Thị Hoa" and dict((n, t) for n, _, t in twice.quotes)["issuer"] == "SỞ Y TẾ TỈNH ĐIỆN BIÊN"


def test_a_signer_beside_the_recipients_list_is_read():
    text = PLAN_OTHER.replace("Nơi nhận:\n- Lưu: VT.\n                                      KT. CHỦ TỊCH\n"
                              "                                      PHÓ CHỦ TỊCH\n\n"
                              "                                      Giàng A Tính\n",
                              "Nơi nhận:                              KT. CHỦ TỊCH\n"
                              "- Như trên;                            PHÓ CHỦ TỊCH\n"
                              "- Lưu: VT.                             Giàng A Tính\n")
    meta = parse_plan(text, "lai-chau.txt").meta
    assert meta.signer == "Giàng A Tính"


# --- a plan asked by its subject alone ------------------------------------------------------------
def test_a_plan_named_by_its_subject_alone_is_that_plan(app):
    answer = ask(app, "Kế hoạch phòng chống thiên tai năm 2026 giao các bệnh viện tuyến tỉnh làm gì?")
    assert not answer.abstained, answer.answer
    assert {c.source for c in answer.citations} == {"dien-bien-2026-thien-tai-y-te.txt"}
    answer = ask(app, "Ai ký kế hoạch phát triển du lịch cộng đồng năm 2026?")
    assert "Giàng A Tính" in answer.answer
    assert {c.source for c in answer.citations} == {"lai-chau-2026-du-lich-cong-dong.txt"}


@pytest.mark.parametrize(("question", "words"), [
    ("Kế hoạch phòng chống thiên tai năm 2026 giao Sở Xây dựng làm gì?", "phong chong thien"),
    ("Kế hoạch TMĐT 2026: ai chủ trì?", "thuong mai dien tu"),
    ("Kế hoạch số 45/KH-SNNMT do cơ quan nào ban hành?", ""),
    ("Sở Y tế xây dựng kế hoạch truyền thông khi nào?", ""),
])
def test_the_subject_words_that_name_a_plan(question, words):
    assert title_words(question) == words


# --- a Part number printed twice ------------------------------------------------------------------
def test_a_part_printed_twice_is_the_next_part(app):
    paths = [s.path for s in parse_plan(PLAN_TWICE, "dien-bien.txt").sections()]
    assert "V" in paths and "V.2" in paths and paths.count("IV") == 1
    # and the Parts after it follow on
    later = PLAN_TWICE.replace("\nNơi nhận:", "V. KHEN THƯỞNG\n1. Sở Y tế khen thưởng đơn vị làm tốt.\n\nNơi nhận:")
    assert [s.path for s in parse_plan(later, "dien-bien.txt").sections() if s.level == 1] == \
        ["I", "II", "III", "IV", "V", "VI"]
    answer = ask(app, "Theo kế hoạch 88/KH-SYT, Trung tâm Kiểm soát bệnh tật tỉnh báo cáo Sở Y tế trước ngày nào?")
    assert "20/12/2026" in answer.answer
    assert answer.citations[0].section == "V.2"
    assert answer.citations[0].section_label.startswith("Mục V")
    assert_verbatim(answer)


def test_the_rows_an_agency_leads_are_listed_one_a_line(app):
    answer = ask(app, "Phụ lục I kế hoạch 15/KH-UBND giao Sở NN&MT chủ trì những nhiệm vụ nào?")
    assert [c.section for c in answer.citations] == ["PL1.1", "PL1.2"]
    lines = answer.answer.split("\n")
    assert len(lines) == 3 and lines[1].startswith("- Xây dựng bản đồ số") and "(Quý III/2026)" in lines[2]
    assert "Tập huấn bán hàng" not in answer.answer  # led by Sở Công Thương
    assert_verbatim(answer)


WRAPPED = """Phụ lục I
DANH MỤC NHIỆM VỤ
STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian
hoàn thành | Sản phẩm
1 | Xây dựng bản đồ số vùng trồng | Sở Nông nghiệp và
Môi trường | Sở Khoa học và Công nghệ | Tháng 8/2026 | Bản đồ số
2 | Cấp mã số vùng trồng | Sở Nông nghiệp và Môi trường | UBND các xã
| Quý III/2026 | Mã số vùng trồng
Tổ chức nghiệm thu mã số vùng trồng | Sở Công Thương | Sở Tài chính | Quý IV/2026 | Biên bản
3 | Tập huấn bán hàng trực tuyến | Sở Công Thương | Tỉnh đoàn | Tháng
10/2026 | Lớp tập huấn
Phụ lục II
DỰ TOÁN KINH PHÍ
STT | Nội dung | Tổng cộng | Ngân sách tỉnh
1 | Xây dựng bản đồ số vùng trồng |
3.500 | 2.000
2 | Tập huấn | 1.000 | 800
"""


def test_table_rows_and_headers_wrapped_over_lines_are_one_row_each():
    plan = parse_plan(PLAN_TABLE.split("\nPhụ lục I\n")[0] + "\n" + WRAPPED, "wrapped.txt")
    first, second = plan.appendices
    rows = {c.path: " ".join(x.strip() for x in c.lines) for c in first.children}
    # rows are named by their own STT; a full row without a number of its own is the row above's
    assert list(rows) == ["PL1.1", "PL1.2", "PL1.2.1", "PL1.3"]
    assert rows["PL1.1"].endswith("Tháng 8/2026 | Bản đồ số")
    assert rows["PL1.2"].endswith("| Quý III/2026 | Mã số vùng trồng")
    # a full row without a number of its own stays a row; a row's time wrapped past the line joins it
    assert rows["PL1.2.1"].startswith("Tổ chức nghiệm thu")
    assert rows["PL1.3"].startswith("3 | Tập huấn") and "10/2026" in rows["PL1.3"]
    # a figure at a line's start ("3.500") is no row number
    assert [c.path for c in second.children] == ["PL2.1", "PL2.2"]


def test_a_wrapped_row_answers_with_its_cells(tmp_path):
    text = PLAN_TABLE.split("\nPhụ lục I\n")[0] + "\n" + WRAPPED
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", llm="none")
    app = build_app(settings, store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    app.ingestor.ingest_texts({"wrapped.txt": text}, progress=False)
    answer = app.assistant.ask("Trong Phụ lục I, nhiệm vụ số 1 do cơ quan nào chủ trì, sản phẩm là gì?", mode="extractive")
    assert answer.citations[0].section == "PL1.1"
    assert "Sở Nông nghiệp và Môi trường" in answer.answer and "Bản đồ số" in answer.answer
    assert collapse_ws(answer.citations[0].quote) in collapse_ws(text)
    answer = app.assistant.ask("Phụ lục II: xây dựng bản đồ số vùng trồng được dự toán tổng cộng bao nhiêu?",
                               mode="extractive")
    assert answer.citations[0].section == "PL2.1" and "3.500" in answer.answer


def test_an_ocr_header_and_signature_run_together_are_still_read():
    text = ("UY BAN NHAN DAN TINH CAO BANG CONG HOA XA HOI CHU NGHIA\nVIET NAM\nDoc lap - Tu do - Hanh\nphuc\n"
            "S6: 15/KH-UBND Cao Bang, ngay 10 thang 02\nnam 2026\n\nKE HOACH\nChuyen doi so nong nghiep nam 2026\n"
            "I. MUC DICH\n1. Dua nong san len san.\nII. TO CHUC THUC HIEN\n1. So Cong Thuong chu tri.\n\n"
            "Noi nhan: KT. CHU TICH\n- Nhu tren; PHO CHU TICH\n- Luu: VT, KT. Nong Van Thach\n")
    meta = parse_plan(text, "ocr.txt").meta
    assert meta.signed == "2026-02-10"
    assert meta.signer == "Nong Van Thach"
    assert ("signer", 17, "Nong Van Thach") in meta.quotes
