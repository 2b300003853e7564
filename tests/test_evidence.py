"""The LLM's evidence: what the model reads holds every fact the answer needs (issue 21: evidence
recall ≥ 0.98), found through the genre's structure (the agency's whole item, the appendix rows,
the closing paragraph, the document's header), within the prompt budget. Small synthetic plans."""

from __future__ import annotations

import pytest

from index.embedders import HashingEmbedder
from index.store import InMemoryStore
from planbot.factory import build_app
from planbot.settings import Settings


def make_app(tmp_path, plans: dict[str, str]):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", llm="none")
    app = build_app(settings, store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    report = app.ingestor.ingest_texts(plans, progress=False)
    assert not report.errors
    return app


def test_the_plans_wordings_appended_to_a_question_are_not_a_phrase_no_plan_has(sample_app):
    # "định kỳ nào" is matched with the plans' wordings ("hằng năm hằng quý hằng tháng …") appended:
    # read as one phrase, they made the question look off-topic and it was declined
    question = "Theo kế hoạch của Vĩnh Phúc năm 2024, các địa phương đánh giá tình hình thực hiện theo định kỳ nào?"
    evidence = sample_app.assistant.llm_evidence(question)
    assert evidence is not None and "hằng năm" in evidence.lower()
    assert sample_app.assistant.llm_evidence("Thủ đô của nước Pháp là gì?") is None  # still off-topic


# A plan of the genre, invented: a Sở-issued plan with an agency item of several points, a
# delegation in another item, an appendix task table, reporting in the closing paragraph.
PLAN = """ỦY BAN NHÂN DÂN TỈNH NAM ĐỒNG          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ Y TẾ                                Độc lập - Tự do - Hạnh phúc
Số: 318/KH-SYT                         Nam Đồng, ngày 05 tháng 02 năm 2026

KẾ HOẠCH
Phòng, chống bệnh tay chân miệng trên địa bàn tỉnh Nam Đồng năm 2026

Căn cứ Luật Phòng, chống bệnh truyền nhiễm ngày 21 tháng 11 năm 2007;
Sở Y tế ban hành Kế hoạch phòng, chống bệnh tay chân miệng năm 2026 như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Giảm số mắc và tử vong do bệnh tay chân miệng so với năm 2025.
2. Yêu cầu
Các nhiệm vụ phải có cơ quan chủ trì, thời hạn hoàn thành rõ ràng.
II. NHIỆM VỤ VÀ GIẢI PHÁP
1. Giám sát dịch tễ tại cộng đồng và trường mầm non.
2. Truyền thông phòng bệnh trên báo chí và mạng xã hội.
III. KINH PHÍ
Kinh phí thực hiện từ nguồn sự nghiệp y tế năm 2026.
IV. TỔ CHỨC THỰC HIỆN
1. Trung tâm Kiểm soát bệnh tật tỉnh
a) Là đơn vị thường trực, tham mưu Sở Y tế tổ chức triển khai Kế hoạch.
b) Chủ trì giám sát, lấy mẫu xét nghiệm vi rút EV71 tại các ổ dịch.
c) Cấp phát cloramin B cho các trạm y tế trước ngày 20/3/2026.
d) Tập huấn phác đồ điều trị cho nhân viên y tế xã trong quý II/2026.
đ) Hằng quý, tổng hợp tình hình dịch gửi Sở Y tế trước ngày 10 của tháng cuối quý.
2. Bệnh viện Nhi tỉnh
a) Thu dung, điều trị bệnh nhi nặng; bố trí khu cách ly riêng.
3. Sở Giáo dục và Đào tạo
Chỉ đạo các trường mầm non vệ sinh đồ chơi, lớp học hằng tuần.
4. Sở Y tế chỉ đạo Trung tâm Kiểm soát bệnh tật tỉnh chủ trì tổ chức Chiến dịch vệ sinh môi trường
diệt khuẩn đợt 1 trong tháng 4/2026.
5. Ủy ban nhân dân các xã, phường
Phối hợp khoanh vùng, xử lý ổ dịch trên địa bàn.

Trên đây là Kế hoạch phòng, chống bệnh tay chân miệng năm 2026 của Sở Y tế tỉnh Nam Đồng. Các cơ quan,
đơn vị báo cáo kết quả thực hiện về Sở Y tế trước ngày 05/12/2026 để tổng hợp, báo cáo Ủy ban nhân dân tỉnh./.

Nơi nhận:
- UBND tỉnh (b/c);
- Lưu: VT, NVY.
                                        KT. GIÁM ĐỐC
                                        PHÓ GIÁM ĐỐC

                                        Đỗ Thị Lan Anh

Phụ lục I
DANH MỤC NHIỆM VỤ PHÒNG, CHỐNG BỆNH TAY CHÂN MIỆNG NĂM 2026
(Kèm theo Kế hoạch số 318/KH-SYT ngày 05/02/2026 của Sở Y tế)
STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện
1 | Xây dựng bản tin dịch hằng tuần | Trung tâm Kiểm soát bệnh tật tỉnh | Bệnh viện Nhi tỉnh | Hằng tuần
2 | In tờ rơi phòng bệnh tại trường học | Sở Giáo dục và Đào tạo | Trung tâm Kiểm soát bệnh tật tỉnh | Tháng 3/2026
3 | Kiểm tra vệ sinh nhà trẻ tư thục | Ủy ban nhân dân các xã, phường | Sở Giáo dục và Đào tạo | Quý II/2026
4 | Diễn tập đáp ứng ổ dịch lớn | Bệnh viện Nhi tỉnh | Công an tỉnh; Sở Tài chính | Tháng 5/2026
5 | Đánh giá kết quả phòng chống dịch | Sở Y tế | Các sở, ngành | Tháng 11/2026
6 | Tổ chức hội thảo chuyên đề về vắc xin EV71 | Trung tâm Kiểm soát bệnh tật tỉnh | Viện Pasteur Nha Trang | Tháng 9/2026
7 | Tăng cường xét nghiệm nhanh tại tuyến xã | Trạm y tế các xã | Trung tâm Kiểm soát bệnh tật tỉnh | Tháng 6/2026
"""


@pytest.fixture(scope="module")
def plan_app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("evidence"), {"nam-dong-2026-tay-chan-mieng.txt": PLAN})


def evidence(app, question: str) -> str:
    text = app.assistant.llm_evidence(question)
    assert text is not None, question
    return text


def test_an_agencys_whole_item_and_its_tasks_elsewhere_are_read(plan_app):
    text = evidence(plan_app, "Trung tâm Kiểm soát bệnh tật tỉnh Nam Đồng được giao những nhiệm vụ gì?")
    for point in ("đơn vị thường trực", "EV71 tại các ổ dịch", "20/3/2026", "quý II/2026", "tháng cuối quý"):
        assert point in text, point
    assert "Chiến dịch vệ sinh môi trường" in text  # "Sở Y tế chỉ đạo Trung tâm … chủ trì …" (IV.4)
    assert "hội thảo chuyên đề" in text  # its appendix rows as lead


def test_an_appendix_row_named_by_its_number_is_read(plan_app):
    text = evidence(plan_app, "Nhiệm vụ số 6 trong Phụ lục I của kế hoạch tay chân miệng Nam Đồng do ai chủ trì?")
    assert "Viện Pasteur Nha Trang" in text
    text = evidence(plan_app, "Phụ lục I kế hoạch tay chân miệng Nam Đồng: STT 4 phối hợp với những cơ quan nào?")
    assert "Công an tỉnh; Sở Tài chính" in text


def test_a_question_about_the_document_reads_its_header_and_signature(plan_app):
    text = evidence(plan_app, "Ai ký Kế hoạch phòng chống tay chân miệng năm 2026 của Sở Y tế Nam Đồng?")
    assert "Đỗ Thị Lan Anh" in text
    text = evidence(plan_app, "Kế hoạch số 318/KH-SYT có số hiệu gì, ban hành ngày nào?")
    assert "318/KH-SYT" in text and "ngày 05 tháng 02 năm 2026" in text


def test_a_reporting_question_reads_the_closing_paragraph(plan_app):
    text = evidence(plan_app, "Theo kế hoạch tay chân miệng Nam Đồng 2026, Bệnh viện Nhi tỉnh báo cáo kết quả về đâu, hạn nào?")
    assert "05/12/2026" in text


LONG_PLAN = PLAN + "".join(f"{n} | Giám sát dịch tại cộng đồng dân cư khu vực {n} | Trạm y tế xã {n} | "
                           f"Trung tâm Kiểm soát bệnh tật tỉnh | Tháng {n % 12 + 1}/2026\n" for n in range(8, 200))


@pytest.fixture(scope="module")
def long_app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("long"), {"nam-dong-2026-tay-chan-mieng.txt": LONG_PLAN})


def test_a_row_named_by_its_number_is_found_among_many_alike(long_app):
    text = evidence(long_app, "Phụ lục I kế hoạch tay chân miệng Nam Đồng: nhiệm vụ số 4 phối hợp với những cơ quan nào?")
    assert "Công an tỉnh; Sở Tài chính" in text


def test_the_structure_adds_a_bounded_amount(long_app):
    from rag.evidence import STRUCTURE_CHARS

    text = evidence(long_app, "Phụ lục I của kế hoạch tay chân miệng Nam Đồng giao Trung tâm Kiểm soát bệnh tật tỉnh "
                              "những việc gì?")
    assert "hội thảo chuyên đề" in text  # its rows are read…
    assert len(text) < STRUCTURE_CHARS + 4000 < len(LONG_PLAN) / 2  # …not the whole appendix of 199 rows


class Scripted:
    """A generator that replies with what `reply` makes of the messages (no server)."""

    name = "scripted"
    num_ctx = 8192

    def __init__(self, reply) -> None:
        self.reply = reply

    def stream(self, messages):
        yield self.reply(messages)


def test_the_llm_answers_from_the_header_passage_and_quotes_the_plans_words(plan_app):
    from lang.normalize import collapse_ws
    from tests.fakes import block_with

    def reply(messages):
        n = block_with(messages, "Số: 318/KH-SYT")
        return f"Kế hoạch số 318/KH-SYT được ban hành ngày 05 tháng 02 năm 2026 [{n}]."

    plan_app.assistant.generator = Scripted(reply)
    try:
        answer = plan_app.assistant.ask("Kế hoạch số 318/KH-SYT ban hành ngày nào?")
    finally:
        plan_app.assistant.generator = None
    assert answer.mode == "llm" and not answer.abstained
    assert "05 tháng 02 năm 2026" in answer.answer
    cited = answer.citations[0]
    assert cited.section == "preamble" and cited.source == "nam-dong-2026-tay-chan-mieng.txt"
    # The plan's own words: the metadata unit quotes the printed lines that state the issuer, the
    # number, the date and the signer (header columns and signature), joined in the plan's order.
    plan_words = iter(collapse_ws(PLAN).split())
    assert all(word in plan_words for word in collapse_ws(cited.quote).split())
    assert "Số: 318/KH-SYT" in cited.quote
