"""Slots read from an item's record (index/items.py) on the answer paths: a dash followed by its
own time line is dated by that line, never by a sibling dash's line that the question's own date
ranks close. The plans are invented (other provinces, label words and numbering than the plans
tuned on); expected answers worked out by hand."""

from __future__ import annotations

import pytest

from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN
TỈNH ĐÔNG HẢI
Số: 45/KH-UBND
Đông Hải, ngày 10 tháng 2 năm 2026
KẾ HOẠCH
Rà soát, sắp xếp nhà, đất công tỉnh Đông Hải năm 2026
I. MỤC ĐÍCH, YÊU CẦU
- Quản lý chặt chẽ nhà, đất công trên địa bàn tỉnh.
II. TỔ CHỨC THỰC HIỆN
1. Trách nhiệm của các đơn vị có nhà, đất:
- Lập danh sách cơ sở nhà, đất đang quản lý, sử dụng.
Thời hạn thực hiện: Trước ngày 15/5/2026.
- Chuẩn bị hồ sơ pháp lý, bản vẽ hiện trạng từng cơ sở nhà, đất để phục vụ rà soát.
Thời hạn thực hiện: Trước ngày 30/6/2026.
- Gửi báo cáo kết quả rà soát về Sở Tài chính.
Thời hạn thực hiện: Trước ngày 31/8/2026.
2. Trách nhiệm của Sở Tài chính:
+ Thẩm định phương án sắp xếp nhà, đất của các đơn vị.
Tiến độ: Quý IV/2026.
+ Tổng hợp kết quả, trình Ủy ban nhân dân tỉnh phê duyệt phương án.
Tiến độ: Trước ngày 20/12/2026.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Trần Văn Hải
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"dong-hai-2026-nha-dat-cong.txt": PLAN})


@pytest.mark.parametrize(("question", "own", "sibling"), [
    # the question names the sibling's date: a wrong premise, answered with the dash's own line
    ("Đông Hải rà soát nhà đất công: các đơn vị phải chuẩn bị xong hồ sơ pháp lý, bản vẽ hiện trạng "
     "trước 15/5/2026 phải không?", "30/6/2026", "15/5/2026"),
    ("Đông Hải rà soát nhà đất công: đơn vị gửi báo cáo kết quả rà soát về Sở Tài chính trước 30/6/2026 "
     "đúng không?", "31/8/2026", "30/6/2026"),
    # the sibling below it, too
    ("Đông Hải rà soát nhà đất công: các đơn vị lập danh sách cơ sở nhà, đất đang quản lý trước 30/6/2026 "
     "phải không?", "15/5/2026", "30/6/2026"),
])
def test_a_dash_is_dated_by_its_own_time_line_not_a_siblings(app, question, own, sibling):
    answer = app.assistant.ask(question)
    quoted = " ".join(c.quote for c in answer.citations)
    assert not answer.abstained and own in answer.answer
    assert sibling not in quoted


@pytest.mark.parametrize(("quote", "other", "sibling"), [
    ("- Chuẩn bị hồ sơ pháp lý, bản vẽ hiện trạng từng cơ sở nhà, đất để phục vụ rà soát.",
     "Thời hạn thực hiện: Trước ngày 15/5/2026.", True),  # the line above: the first dash's
    ("- Chuẩn bị hồ sơ pháp lý, bản vẽ hiện trạng từng cơ sở nhà, đất để phục vụ rà soát.",
     "Thời hạn thực hiện: Trước ngày 31/8/2026.", True),  # the third dash's
    ("- Chuẩn bị hồ sơ pháp lý, bản vẽ hiện trạng từng cơ sở nhà, đất để phục vụ rà soát.",
     "Thời hạn thực hiện: Trước ngày 30/6/2026.", False),  # its own
    ("- Chuẩn bị hồ sơ pháp lý, bản vẽ hiện trạng từng cơ sở nhà, đất để phục vụ rà soát.",
     "- Gửi báo cáo kết quả rà soát về Sở Tài chính.", False),  # a task, no time line
])
def test_a_sibling_dashs_time_line_is_told_from_the_quoted_ones(app, quote, other, sibling):
    from rag.answers.sentences import _sibling_dash_time
    snap = app.store.snapshot()
    chunks = [c for c in snap.chunks_of("dong-hai-2026-nha-dat-cong.txt") if other in c.text and quote in c.text]
    assert chunks
    assert _sibling_dash_time(app.assistant.reader, chunks[0], quote, other) is sibling
