"""Appendix tables in answers (issue 21): rows grouped under Roman-numbered rows cited by group and
STT, the row whose task matches the question's both ways, a target table's cell by row x year (a
year that is no column is declined), and a time column that answers "how often". One small plan
written here in the Decree 30/2020 layout; expected answers worked out by hand."""

from __future__ import annotations

import pytest

from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH HÀ GIANG                        Độc lập - Tự do - Hạnh phúc
Số: 42/KH-UBND                       Hà Giang, ngày 12 tháng 3 năm 2026

KẾ HOẠCH
Xây dựng cơ sở dữ liệu đất đai tỉnh Hà Giang giai đoạn 2026 - 2028

I. MỤC TIÊU
1. Các chỉ tiêu tại Phụ lục II kèm theo Kế hoạch này.
II. NHIỆM VỤ
1. Các nhiệm vụ tại Phụ lục I kèm theo Kế hoạch này.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
Chủ trì theo dõi, đôn đốc thực hiện Kế hoạch.

Nơi nhận:                                              TM. ỦY BAN NHÂN DÂN
- Như trên;                                            KT. CHỦ TỊCH
- Lưu: VT.                                             PHÓ CHỦ TỊCH
                                                       Hoàng Văn Nam

Phụ lục I
DANH MỤC NHIỆM VỤ
(Kèm theo Kế hoạch số 42/KH-UBND ngày 12/3/2026 của Ủy ban nhân dân tỉnh)

STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành
I | NHÓM NHIỆM VỤ HOÀN THIỆN THỂ CHẾ
1 | Rà soát quy định về cập nhật dữ liệu đất đai | Sở Tư pháp | Sở Nông nghiệp và Môi trường | Quý II/2026
2 | Ban hành quy chế khai thác dữ liệu đất đai | Sở Nông nghiệp và Môi trường | Sở Tư pháp | Quý III/2026
II | NHÓM NHIỆM VỤ VẬN HÀNH
1 | Vận hành hệ thống thông tin đất đai bảo đảm hoạt động thông suốt, liên tục 24/7 | Sở Khoa học và Công nghệ | Sở Nông nghiệp và Môi trường | Quý IV/2026
2 | Vận hành, kết nối, chia sẻ hệ thống thông tin đất đai | Sở Nông nghiệp và Môi trường | Công an tỉnh | Quý I/2027
3 | Tổng hợp tình hình khai thác dữ liệu đất đai | Sở Nông nghiệp và Môi trường | Sở Tài chính | Hằng năm

Phụ lục II
CHỈ TIÊU GIAI ĐOẠN 2026 - 2028
(Kèm theo Kế hoạch số 42/KH-UBND ngày 12/3/2026 của Ủy ban nhân dân tỉnh)

STT | Chỉ tiêu | Đơn vị tính | Năm 2026 | Năm 2027 | Năm 2028
1 | Tỷ lệ xã có cơ sở dữ liệu địa chính | % | 40 | 70 | 100
2 | Tỷ lệ hồ sơ đăng ký đất đai được số hóa | % | 50 | 80 | 95

Phụ lục III
KINH PHÍ THỰC HIỆN
(ĐVT: triệu đồng)

| STT | Nguồn vốn | Năm 2026 | Năm 2027 |
| --- | --- | --- | --- |
| 1 | Ngân sách tỉnh | 7.500 | 8.200 |
| 2 | Vốn xã hội hóa | 1.300 | 1.900 |
"""

SOURCE = "ha-giang-2026-co-so-du-lieu-dat-dai.txt"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {SOURCE: PLAN})


def ask(app, question: str):
    return app.assistant.ask(question, mode="extractive")


@pytest.mark.parametrize(("question", "section", "label", "cells", "not_cells"), [
    # the row in a group whose STT restarts: cited by group and STT; the longer task asked, not the
    # shorter one inside it
    ("Trong Phụ lục I, nhiệm vụ vận hành hệ thống thông tin đất đai thông suốt 24/7 do cơ quan nào chủ trì, "
     "hoàn thành khi nào?", "PL1.II.1", "Phụ lục I, nhóm II, dòng 1", ["Sở Khoa học và Công nghệ", "Quý IV/2026"],
     ["Quý I/2027"]),
    ("Theo phụ lục, việc rà soát quy định về cập nhật dữ liệu đất đai của Hà Giang do ai chủ trì?", "PL1.I.1",
     "Phụ lục I, nhóm I, dòng 1", ["Sở Tư pháp"], []),
    # a time column answers how often
    ("Theo phụ lục, nhiệm vụ tổng hợp tình hình khai thác dữ liệu đất đai làm với tần suất nào?", "PL1.II.3",
     "Phụ lục I, nhóm II, dòng 3", ["Hằng năm"], []),
    ("Theo phụ lục, ai tổng hợp tình hình khai thác dữ liệu đất đai và bao lâu một lần?", "PL1.II.3",
     "Phụ lục I, nhóm II, dòng 3", ["Sở Nông nghiệp và Môi trường", "Hằng năm"], ["Sở Tài chính"]),
    # a row addressed by its group and its number, in the words people use
    ("Trong phụ lục, nhiệm vụ số 2 của nhóm II là gì và cơ quan nào chủ trì?", "PL1.II.2",
     "Phụ lục I, nhóm II, dòng 2", ["Sở Nông nghiệp và Môi trường", "Vận hành, kết nối"], ["Sở Khoa học và Công nghệ"]),
    ("Nhóm I, STT 2 trong danh mục nhiệm vụ Hà Giang: ai chủ trì, hạn khi nào?", "PL1.I.2",
     "Phụ lục I, nhóm I, dòng 2", ["Sở Nông nghiệp và Môi trường", "Quý III/2026"], []),
    ("Dòng 3 nhóm II của phụ lục kế hoạch dữ liệu đất đai: cơ quan phối hợp là ai?", "PL1.II.3",
     "Phụ lục I, nhóm II, dòng 3", ["Sở Tài chính"], []),
    # a target table: the cell at the row asked x the year asked
    ("Theo phụ lục chỉ tiêu Hà Giang, năm 2027 tỷ lệ hồ sơ đăng ký đất đai được số hóa đạt bao nhiêu phần trăm?",
     "PL2.2", "Phụ lục II, dòng 2", ["80", "%"], ["95", "50"]),
])
def test_a_row_and_column_give_the_cell(app, question, section, label, cells, not_cells):
    answer = ask(app, question)
    assert not answer.abstained, answer.answer
    assert [c.section for c in answer.citations] == [section]
    assert answer.citations[0].section_label == label
    for cell in cells:
        assert cell in answer.answer
    for cell in not_cells:
        assert cell not in answer.answer


def test_a_budget_cell_carries_the_unit_stated_above_its_table(app):
    answer = ask(app, "Theo phụ lục kinh phí, vốn xã hội hóa năm 2027 là bao nhiêu triệu đồng?")
    assert not answer.abstained, answer.answer
    assert [c.section for c in answer.citations] == ["PL3.2"]
    assert "1.900 triệu đồng" in answer.answer and "1.300" not in answer.answer


def test_a_year_that_is_no_column_is_declined_naming_the_row(app):
    answer = ask(app, "Theo phụ lục chỉ tiêu Hà Giang, năm 2030 tỷ lệ hồ sơ đăng ký đất đai được số hóa "
                      "đạt bao nhiêu phần trăm?")
    assert answer.abstained, answer.answer
    assert [c.section for c in answer.citations] in ([], ["PL2.2"])  # the closest row, when one is named
    assert "Năm 2028: 95" not in answer.answer


def test_an_agency_asked_what_it_leads_lists_its_rows(app):
    answer = ask(app, "ke hoach du lieu dat dai ha giang so nong nghiep va moi truong chu tri viec gi trong phu luc")
    assert not answer.abstained, answer.answer
    assert [c.section for c in answer.citations] == ["PL1.I.2", "PL1.II.2", "PL1.II.3"]
