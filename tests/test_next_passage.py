"""Choosing among found passages (rag/answers/next_passage.py): a length of time asked is answered
by a count of days ranked close to the best, not by a date."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from rag.answers.next_passage import asks_duration, duration_first, said_missing
from rag.query import analyze

DATED = "| 5 | Báo cáo kết quả thanh tra, kiểm tra | Thanh tra Sở | Giám đốc Sở | Trước ngày 15/11/2025 |"
COUNTED = "- Sản phẩm: Kết luận kiểm tra gửi Giám đốc Sở trong 15 ngày kể từ ngày kết thúc đợt kiểm tra."


def prepared(question: str) -> Any:  # a stand-in for Prepared: only .info is read
    return SimpleNamespace(info=analyze(question))


@pytest.mark.parametrize(("question", "duration"), [
    ("Thanh tra gửi kết luận kiểm tra cho Giám đốc Sở trong thời hạn bao lâu?", True),
    ("Sau khi kết thúc đợt kiểm tra, mấy ngày phải gửi kết luận?", True),
    ("UBND huyện có bao nhiêu ngày để báo cáo kết quả?", True),
    ("Ban Chỉ đạo giao ban bao lâu một lần?", False),  # how often, not how long
    ("Thanh tra gửi kết luận kiểm tra trước ngày nào?", False),
])
def test_a_length_of_time_is_asked(question, duration):
    assert asks_duration(prepared(question)) is duration


@pytest.mark.parametrize(("dated_score", "counted_score", "counted_first"), [
    (1.04, 1.00, True),   # ranked close: the count of days answers "bao lâu"
    (1.04, 0.60, False),  # ranked far below: another task's time
])
def test_a_count_of_days_ranked_close_answers_how_long(dated_score, counted_score, counted_first):
    scored: list[Any] = [(dated_score, 0.45, None, DATED), (counted_score, 0.7, None, COUNTED)]
    ranked = duration_first(scored, prepared("Thanh tra gửi kết luận kiểm tra cho Giám đốc Sở trong thời hạn bao lâu?"))
    assert (ranked[0][3] == COUNTED) is counted_first and len(ranked) == 2


def test_a_date_asked_keeps_the_ranking():
    scored: list[Any] = [(1.04, 0.45, None, DATED), (1.0, 0.7, None, COUNTED)]
    assert duration_first(scored, prepared("Thanh tra gửi kết luận kiểm tra trước ngày nào?")) == scored


def test_what_an_answer_lacks_is_read_from_what_it_quotes():
    text, said, missing = said_missing(["Theo Kế hoạch X (Mục II, khoản 2): Xóa bỏ 100% điểm tập kết rác [1]"],
                                       ["cooperating"])
    assert "[1]" not in said and missing == ["cooperating"]
    _, _, missing = said_missing(["Theo Kế hoạch X (Mục III, dòng 4): Chủ trì: Phòng Kinh tế; "
                                  "Phối hợp: Công ty Dịch vụ môi trường [1]"], ["cooperating"])
    assert missing == []


WARD_PLAN = """ỦY BAN NHÂN DÂN
PHƯỜNG HÒA LẠC
Số: 21/KH-UBND
Hòa Lạc, ngày 10 tháng 01 năm 2026
KẾ HOẠCH
Bảo đảm vệ sinh môi trường trên địa bàn phường Hòa Lạc năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao ý thức giữ gìn vệ sinh môi trường của người dân.
II. CHỈ TIÊU
1. Xóa bỏ 100% điểm tập kết rác thải tự phát trước ngày 30/6/2026.
2. 100% tuyến đường chính có thùng rác công cộng.
III. NỘI DUNG, THỜI GIAN THỰC HIỆN
| STT | Nội dung | Thời gian | Chủ trì | Phối hợp |
| 1 | Rà soát, lập danh sách điểm tập kết rác tự phát | Tháng 01/2026 | Phòng Kinh tế | Tổ dân phố |
| 2 | Xóa bỏ điểm tập kết rác tự phát, bố trí thùng rác công cộng thay thế | Trước ngày 30/6/2026 | Phòng Kinh tế | Công ty Cổ phần Môi trường Hòa Lạc |
| 3 | Ra quân vệ sinh môi trường ngày Chủ nhật | Hằng tháng | Đoàn Thanh niên phường | Hội Phụ nữ phường |
IV. TỔ CHỨC THỰC HIỆN
1. Phòng Kinh tế theo dõi, tổng hợp, báo cáo kết quả về Ủy ban nhân dân phường hằng quý.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn An
"""


@pytest.fixture(scope="module")
def ward_app(tmp_path_factory):
    from tests.conftest import offline_app
    return offline_app(tmp_path_factory.mktemp("data"), {"hoa-lac-2026.txt": WARD_PLAN})


@pytest.mark.parametrize("question", [
    "Xóa điểm tập kết rác tự phát thì phối hợp với đơn vị nào?",
    "xoa diem tap ket rac tu phat phoi hop voi ai",
    "Xóa bỏ điểm tập kết rác thải tự phát, đơn vị nào phối hợp?",
])
def test_the_item_ranked_as_well_that_names_the_partner_answers(ward_app, question):
    answer = ward_app.assistant.ask(question)
    assert not answer.abstained and "Công ty Cổ phần Môi trường Hòa Lạc" in answer.answer


def test_a_value_no_well_ranked_item_gives_is_still_declined(ward_app):
    answer = ward_app.assistant.ask("Nâng cao ý thức giữ gìn vệ sinh môi trường thì phối hợp với cơ quan nào?")
    assert answer.abstained or "Công ty" not in answer.answer
