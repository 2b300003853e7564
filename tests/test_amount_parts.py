"""Sums asked in two parts (issue 21): "Tổng kinh phí … bao nhiêu, trong đó X bao nhiêu?". The item
stating the total and its breakdown answers, not a task sentence stating the total alone; a dash
of the breakdown is led in by its item's sentence stating the total. One small plan written here
in the Decree 30/2020 layout; expected answers worked out by hand."""

from __future__ import annotations

import pytest

from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH PHÚ YÊN                         Độc lập - Tự do - Hạnh phúc
Số: 91/KH-UBND                       Phú Yên, ngày 10 tháng 4 năm 2025

KẾ HOẠCH
Phòng, chống sạt lở bờ biển tỉnh Phú Yên năm 2025

I. NHIỆM VỤ
1. Sở Tài chính
a) Chủ trì, phối hợp với Sở Nông nghiệp và Môi trường tham mưu UBND tỉnh bố trí kinh phí từ nguồn dự phòng ngân sách tỉnh và Quỹ Phòng, chống thiên tai tỉnh để thực hiện Kế hoạch; tổng kinh phí dự kiến 12.400 triệu đồng.
II. KINH PHÍ THỰC HIỆN
1. Tổng kinh phí dự kiến 12.400 triệu đồng, trong đó: ngân sách tỉnh 8.000 triệu đồng; Quỹ Phòng, chống thiên tai tỉnh 3.100 triệu đồng; huy động xã hội hóa 1.300 triệu đồng.
2. Kinh phí kè biển giai đoạn sau là 30.000 triệu đồng, trong đó:
- Ngân sách trung ương: 21.000 triệu đồng (vốn đầu tư công 18.000 triệu đồng; vốn sự nghiệp 3.000 triệu đồng);
- Ngân sách tỉnh: 9.000 triệu đồng.

Nơi nhận:                                              TM. ỦY BAN NHÂN DÂN
- Như trên;                                            KT. CHỦ TỊCH
- Lưu: VT.                                             PHÓ CHỦ TỊCH
                                                       Lê Tấn Hổ
"""

SOURCE = "phu-yen-2025-sat-lo-bo-bien.txt"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {SOURCE: PLAN})


@pytest.mark.parametrize(("question", "section", "figures"), [
    ("Tổng kinh phí dự kiến phòng, chống sạt lở bờ biển Phú Yên là bao nhiêu, Quỹ Phòng, chống thiên tai tỉnh "
     "chi bao nhiêu?", "II.1", ["12.400 triệu đồng", "3.100 triệu đồng"]),
    ("Kinh phí kè biển giai đoạn sau ở Phú Yên là bao nhiêu, trong đó ngân sách trung ương bao nhiêu?", "II.2",
     ["30.000 triệu đồng", "21.000 triệu đồng"]),
])
def test_a_sum_and_its_part_are_answered_together(app, question, section, figures):
    answer = app.assistant.ask(question, mode="extractive")
    assert not answer.abstained, answer.answer
    assert [c.section for c in answer.citations] == [section]
    for figure in figures:
        assert figure in answer.answer
