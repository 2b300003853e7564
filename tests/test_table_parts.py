"""Appendix tables asked the ways the genre's readers ask them (issue 21): an indicator's "Trong
đó" sub-row (a part of its parent's figure) by its qualifier, in both layouts the genre prints
("| | - Trong đó: …" under an empty STT, "| - | Trong đó …" with the dash as STT). One plan written
here, another province and other wordings than the plans the bug was seen in; expected answers
worked out by hand. A task table whose every row repeats a long phrase, one task opening with
the column word "Phối hợp", named by the words only it holds. A reports table named as the genre
calls it ("biểu trách nhiệm báo cáo"), its row named by the body reporting."""

from __future__ import annotations

import pytest

from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH QUẢNG TRỊ                       Độc lập - Tự do - Hạnh phúc
Số: 58/KH-UBND                       Quảng Trị, ngày 12 tháng 3 năm 2026

KẾ HOẠCH
Giải quyết việc làm và giảm nghèo bền vững tỉnh Quảng Trị giai đoạn 2026 - 2028

I. MỤC TIÊU
1. Các chỉ tiêu tại Phụ lục I kèm theo Kế hoạch này.
II. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ chủ trì theo dõi, tổng hợp kết quả thực hiện, báo cáo UBND tỉnh trước ngày 15/12 hằng năm.

Nơi nhận:                                              TM. ỦY BAN NHÂN DÂN
- Như trên;                                            KT. CHỦ TỊCH
- Lưu: VT.                                             PHÓ CHỦ TỊCH
                                                       Lê Văn Hùng

PHỤ LỤC I
CHỈ TIÊU GIẢI QUYẾT VIỆC LÀM, GIẢM NGHÈO

| STT | Chỉ tiêu | Đơn vị tính | Năm 2026 | Năm 2027 | Năm 2028 |
| --- | --- | --- | --- | --- | --- |
| 1 | Số lao động được giải quyết việc làm mới | Người | 12.000 | 12.500 | 13.000 |
| - | Trong đó: đi làm việc ở nước ngoài theo hợp đồng | Người | 1.500 | 1.700 | 1.900 |
| 2 | Tỷ lệ hộ nghèo giảm bình quân | % | 1,2 | 1,1 | 1,0 |
| | - Trong đó: hộ nghèo dân tộc thiểu số | % | 4,5 | 4,0 | 3,5 |
| 3 | Số người tham gia bảo hiểm xã hội tự nguyện | Người | 21.000 | 23.000 | 25.000 |
| | - Riêng khu vực nông thôn | Người | 14.000 | 15.200 | 16.500 |

PHỤ LỤC II
PHÂN CÔNG NHIỆM VỤ

| TT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn |
| --- | --- | --- | --- | --- |
| 1 | Phối hợp xây dựng cổng thông tin việc làm trên Nền tảng số dùng chung về lao động, việc làm của tỉnh, đáp ứng yêu cầu kết nối, chia sẻ dữ liệu với hệ thống của Bộ Nội vụ, phục vụ người dân, doanh nghiệp tra cứu thông tin tuyển dụng | Trung tâm Dịch vụ việc làm tỉnh | Sở Khoa học và Công nghệ, Bưu điện tỉnh | Quý II/2026 |
| 2 | Cập nhật dữ liệu người lao động vào Nền tảng số dùng chung về lao động, việc làm của tỉnh | UBND các xã, phường | Sở Nội vụ | Hằng tháng |
| 3 | Tập huấn khai thác Nền tảng số dùng chung về lao động, việc làm của tỉnh | Sở Nội vụ | Trường Cao đẳng Quảng Trị | Năm 2027 |

PHỤ LỤC III
BIỂU TRÁCH NHIỆM BÁO CÁO

| STT | Đơn vị báo cáo | Nội dung | Nơi nhận báo cáo | Kỳ báo cáo | Thời hạn |
| --- | --- | --- | --- | --- | --- |
| 1 | Sở Y tế | Số người lao động được khám sức khỏe định kỳ, phát hiện bệnh nghề nghiệp | Sở Nội vụ | 6 tháng, năm | Trước ngày 10/6 và 10/12 |
| 2 | UBND các xã, phường | Số hộ thoát nghèo, tái nghèo trên địa bàn | Sở Nội vụ | Quý | Ngày 20 tháng cuối quý |
| 3 | Ngân hàng Chính sách xã hội chi nhánh tỉnh | Dư nợ cho vay giải quyết việc làm | UBND tỉnh (qua Sở Nội vụ) | Năm | Trước ngày 05/12 |
"""

SOURCE = "quang-tri-2026-viec-lam-giam-ngheo.txt"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {SOURCE: PLAN})


def ask(app, question: str):
    return app.assistant.ask(question, mode="extractive")


@pytest.mark.parametrize(("question", "section", "present", "absent"), [
    # the part named by its qualifier: the sub-row, named with its parent's indicator
    ("Quảng Trị đặt chỉ tiêu số lao động đi làm việc ở nước ngoài theo hợp đồng năm 2027 là bao nhiêu?",
     "PL1.1.1", ["1.700", "giải quyết việc làm mới"], ["12.500"]),
    ("Theo Phụ lục I kế hoạch Quảng Trị, tỷ lệ giảm hộ nghèo dân tộc thiểu số năm 2028 là bao nhiêu?",
     "PL1.2.1", ["3,5"], ["1,0"]),
    ("Năm 2026 Quảng Trị phấn đấu bao nhiêu người ở khu vực nông thôn tham gia bảo hiểm xã hội tự nguyện?",
     "PL1.3.1", ["14.000"], ["21.000"]),
    # the parent asked without the qualifier: the parent row, not its part
    ("Theo Phụ lục I kế hoạch Quảng Trị, năm 2027 giải quyết việc làm mới cho bao nhiêu lao động?",
     "PL1.1", ["12.500"], ["1.700"]),
    ("Quảng Trị đặt tỷ lệ hộ nghèo giảm bình quân năm 2026 là bao nhiêu?", "PL1.2", ["1,2"], ["4,5"]),
])
def test_a_part_of_an_indicator_by_its_qualifier(app, question, section, present, absent):
    answer = ask(app, question)
    assert not answer.abstained, answer.answer
    assert [c.section for c in answer.citations] == [section], answer.answer
    for text in present:
        assert text in answer.answer
    for text in absent:
        assert text not in answer.answer


@pytest.mark.parametrize(("question", "section", "present"), [
    # the row quoted by its own words ("cổng thông tin việc làm"), though a shorter row holds more
    # of the phrase every row repeats, and the task opens with the column word asked
    ("Theo phụ lục phân công của kế hoạch Quảng Trị, việc phối hợp xây dựng cổng thông tin việc làm trên nền tảng số"
     " dùng chung về lao động, việc làm của tỉnh có những đơn vị phối hợp nào?", "PL2.1", "Bưu điện tỉnh"),
    ("Phụ lục II kế hoạch Quảng Trị: tập huấn khai thác nền tảng số dùng chung về lao động do ai chủ trì?",
     "PL2.3", "Sở Nội vụ"),
])
def test_a_row_by_its_own_words_among_rows_repeating_a_phrase(app, question, section, present):
    answer = ask(app, question)
    assert not answer.abstained, answer.answer
    assert [c.section for c in answer.citations] == [section], answer.answer
    assert present in answer.answer


@pytest.mark.parametrize(("question", "section", "present"), [
    # the table named a "biểu", the row by the body in its first column: the row answers, not a body
    # sentence; the report's period is half of when it is due
    ("Theo biểu trách nhiệm báo cáo kèm kế hoạch Quảng Trị, UBND các xã, phường báo cáo số hộ thoát nghèo cho ai,"
     " hạn nào?", "PL3.2", "Ngày 20 tháng cuối quý"),
    ("Theo phụ lục báo cáo của kế hoạch Quảng Trị, Sở Y tế gửi báo cáo bệnh nghề nghiệp về đâu, kỳ báo cáo nào?",
     "PL3.1", "6 tháng, năm"),
])
def test_a_reports_table_named_by_its_title_answers_from_its_row(app, question, section, present):
    answer = ask(app, question)
    assert not answer.abstained, answer.answer
    assert [c.section for c in answer.citations] == [section], answer.answer
    assert present in answer.answer
