"""Questions about what a plan rests on are answered from its preamble's basis sentences; the
articles of the decision issuing a plan are read for who does what."""

from __future__ import annotations

import pytest

from index.obligations.articles import in_decision_article
from rag.answers.basis import asks_basis
from tests.conftest import offline_app

PLAN = ("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 980/KH-UBND\nNghệ An, ngày 18 tháng 11 năm 2025\nKẾ HOẠCH\n"
        "THỰC HIỆN QUYẾT ĐỊNH SỐ 1899/QĐ-TTG CỦA THỦ TƯỚNG CHÍNH PHỦ VỀ PHÒNG THỦ DÂN SỰ\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;\n"
        "Thực hiện Quyết định số 1899/QĐ-TTg ngày 04/9/2025 của Thủ tướng Chính phủ ban hành Kế hoạch triển khai "
        "thi hành Nghị định số 200/2025/NĐ-CP.\n"
        "Theo đề nghị của Sở Tài chính tại Công văn số 3679/STC-QLGCS ngày 05/11/2025.\n"
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:\nI. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n"
        "Tuyên truyền, phổ biến pháp luật về phòng thủ dân sự.\nII. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Tài chính chủ trì tham mưu bố trí kinh phí thực hiện Kế hoạch.\n"
        "Nơi nhận:\n- Như trên;\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n")


@pytest.mark.parametrize(("folded", "asked"), [
    ("kh 980 thuc hien quyet dinh nao cua thu tuong", True),
    ("ke hoach phong thu dan su can cu nhung van ban nao", True),
    ("qd 1627 ban hanh ke hoach theo de nghi cua co quan nao, tai cong van so may", True),
    ("so tai chinh thuc hien nhiem vu gi", False),
    ("ke hoach do ai ky", False),
    # a task's criteria and its trigger are no basis of the plan
    ("ai binh xet de nghi khen thuong, can cu vao dau", False),
    ("cac so cu cong chuc tham gia khi co de nghi cua co quan nao", False),
])
def test_a_question_about_the_plans_basis(folded: str, asked: bool) -> None:
    assert asks_basis(folded) is asked


@pytest.mark.parametrize(("question", "said", "unsaid"), [
    ("Kế hoạch 980/KH-UBND thực hiện quyết định nào của Thủ tướng?", "1899/QĐ-TTg", "3679/STC-QLGCS"),
    ("Kế hoạch 980/KH-UBND ban hành theo đề nghị của cơ quan nào, tại công văn số mấy?", "3679/STC-QLGCS", "1899/QĐ-TTg"),
    ("Kế hoạch 980/KH-UBND căn cứ những văn bản nào?", "Luật Tổ chức chính quyền địa phương", "THỰC HIỆN QUYẾT"),
])
def test_the_basis_is_answered_from_the_preamble(tmp_path, question: str, said: str, unsaid: str) -> None:
    answer = offline_app(tmp_path, {"nghe-an-2025-phong-thu.txt": PLAN}).assistant.ask(question)
    stated = answer.answer.split("): ", 1)[-1]  # what is said, the plan's title aside
    assert not answer.abstained and said in stated and unsaid not in stated
    assert {c.section for c in answer.citations} == {"preamble"}


def test_the_articles_of_the_issuing_decision_assign_work() -> None:
    text = ("Căn cứ Quyết định số 1840/QĐ-UBND giao Sở Nội vụ báo cáo trước ngày 15/12. QUYẾT ĐỊNH: Điều 1. Ban hành "
            "kèm theo Quyết định này Kế hoạch. Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Giao Sở Nội vụ "
            "tổng hợp, báo cáo UBND tỉnh trước ngày 05/12/2025.\nNơi nhận:\n- Như Điều 2;")
    assert in_decision_article(text, "Giao Sở Nội vụ tổng hợp, báo cáo UBND tỉnh trước ngày 05/12/2025.")
    assert not in_decision_article(text, "Căn cứ Quyết định số 1840/QĐ-UBND giao Sở Nội vụ báo cáo trước ngày 15/12.")
    assert not in_decision_article(text, "- Như Điều 2;")  # the recipients' list


PLAN_TITLED = ("ỦY BAN NHÂN DÂN\nTỈNH HÒA SƠN\nSố: 41/KH-UBND\nHòa Sơn, ngày 02 tháng 3 năm 2026\nKẾ HOẠCH\n"
               "Thực hiện Chương trình quốc gia về phòng cháy rừng giai đoạn 2026 - 2030 trên địa bàn tỉnh Hòa Sơn\n"
               "Căn cứ Luật Lâm nghiệp năm 2017;\n"
               "Căn cứ Quyết định số 512/QĐ-TTg ngày 10/01/2026 của Thủ tướng Chính phủ phê duyệt Chương trình;\n"
               "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:\nI. TỔ CHỨC THỰC HIỆN\n"
               "1. Sở Nông nghiệp và Môi trường chủ trì tổ chức thực hiện Kế hoạch.\n")


def test_the_document_kind_asked_outranks_a_title_opening_with_the_formula(tmp_path) -> None:
    # the title under "KẾ HOẠCH" opens "Thực hiện Chương trình …" but names no decision: the
    # decision implemented is the one the bases name
    answer = offline_app(tmp_path, {"hoa-son-2026-chay-rung.txt": PLAN_TITLED}).assistant.ask(
        "Kế hoạch phòng cháy rừng của Hòa Sơn thực hiện quyết định nào của Thủ tướng?")
    stated = answer.answer.split("): ", 1)[-1]
    assert not answer.abstained and "512/QĐ-TTg" in stated and "Luật Lâm nghiệp" not in stated
