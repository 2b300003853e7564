"""Wrong premises answered with the plan's facts (blind causes, s35): a yes/no question about
where a body's report goes ("X gửi … về Y phải không?", "báo cáo … lên Y", "… tới Y") is answered
"Không đúng" with the plan's own line when that line sends X's report elsewhere, even when the
line names its task only by reference ("Chủ trì thực hiện điểm a khoản 2 Mục II"); a premise that
holds is not contradicted, and another body's line is no answer about X; a body the plan names
only in a list of partners ("phối hợp với A, X và B") is given no report of its own. The plan is invented, in
the Decree 30/2020 layout."""

from __future__ import annotations

import pytest

from rag.answers.common import checked_recipients
from rag.answers.premise import nearest_recipient_premise
from rag.prepared import Prepared
from rag.query import analyze
from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN
TỈNH LAM SƠN
Số: 21/KH-UBND
Lam Sơn, ngày 12 tháng 01 năm 2026
KẾ HOẠCH
Phòng cháy, chữa cháy rừng tỉnh Lam Sơn năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Chủ động phòng ngừa, phát hiện sớm và dập tắt kịp thời các đám cháy rừng.
II. NỘI DUNG
1. Tuyên truyền phòng cháy rừng cho người dân sống gần rừng.
2. Tuần tra, canh gác lửa rừng
a) Tổ chức tuần tra, canh gác lửa rừng tại các vùng trọng điểm cháy trong mùa khô.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
a) Chủ trì hướng dẫn phương án phòng cháy rừng cho các chủ rừng trước ngày 28/02/2026.
b) Tổng hợp tình hình cháy rừng, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2026.
c) Chủ trì, phối hợp với Công an tỉnh, Vườn quốc gia Pù Luông và UBND các xã, phường xây dựng bản đồ vùng trọng điểm cháy rừng, hoàn thành trước ngày 30/4/2026.
2. Công an tỉnh
a) Kiểm tra, xử lý tình trạng đốt nương làm rẫy trái phép gần rừng, nhất là cao điểm mùa khô.
b) Điều tra, xử lý các vụ cháy rừng; phối hợp với Sở Nông nghiệp và Môi trường kiểm tra các chủ rừng.
3. UBND các xã, phường
a) Rà soát các chủ rừng trên địa bàn trước ngày 31/01/2026.
b) Chủ trì thực hiện điểm a khoản 2 Mục III trên địa bàn:
+ Thành lập tổ kiểm tra tại các thôn có rừng;
+ Báo cáo kết quả kiểm tra về Sở Nông nghiệp và Môi trường chậm nhất 05 ngày sau mỗi đợt kiểm tra.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lê Văn Hòa
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"lam-son-2026-chay-rung.txt": PLAN})


@pytest.mark.parametrize(("question", "checked"), [
    ("Phường An Lạc báo cáo kết quả năm 2026 lên Sở Xây dựng phải không?", {"Sở Xây dựng"}),
    ("UBND các xã, phường gửi báo cáo tới Công an tỉnh đúng không?", {"Công an tỉnh"}),
    ("UBND các xã, phường gửi báo cáo tới Công an tỉnh khi nào?", set()),  # asked, not checked
])
def test_report_sent_up_or_to_names_the_recipient_checked(question: str, checked: set[str]) -> None:
    assert checked_recipients(analyze(question)) == checked


def test_a_report_sent_elsewhere_by_a_point_naming_its_task_by_reference(app) -> None:
    answer = app.assistant.ask("UBND các xã, phường ở Lam Sơn gửi kết quả kiểm tra tình trạng đốt nương làm rẫy trái phép về Công an tỉnh phải không, hạn thế nào?")
    assert not answer.abstained
    assert answer.answer.startswith("Không đúng")
    assert "Sở Nông nghiệp và Môi trường" in answer.answer
    assert [c.section for c in answer.citations] == ["III.3.b"]


def test_a_right_recipient_is_not_contradicted(app) -> None:
    answer = app.assistant.ask("UBND các xã, phường ở Lam Sơn gửi kết quả kiểm tra tình trạng đốt nương làm rẫy trái phép về Sở Nông nghiệp và Môi trường phải không?")
    assert not answer.answer.startswith("Không đúng")


def test_another_bodys_line_is_no_answer_about_the_body_asked(app) -> None:
    answer = app.assistant.ask("Hội Nông dân tỉnh Lam Sơn gửi kết quả kiểm tra tình trạng đốt nương làm rẫy trái phép về Công an tỉnh phải không?")
    assert "chậm nhất 05 ngày" not in answer.answer or not answer.answer.startswith("Không đúng")


def _point(app, section: str):
    snap = app.store.snapshot()
    return next(c for c in snap.chunks_of("lam-son-2026-chay-rung.txt") if c.section == section)


@pytest.mark.parametrize(("question", "section", "corrected"), [
    # the body asked owns the point, which sends its report to another body: "no"
    ("UBND các xã, phường gửi kết quả kiểm tra về Công an tỉnh phải không?", "III.3.b", True),
    # the premise holds: nothing to correct
    ("UBND các xã, phường gửi kết quả kiểm tra về Sở Nông nghiệp và Môi trường phải không?", "III.3.b", False),
    # another body's point says nothing of the body asked
    ("Hội Nông dân tỉnh gửi kết quả kiểm tra về Công an tỉnh phải không?", "III.3.b", False),
    # the body's own point, but no report in it: no recipient to set against the premise
    ("UBND các xã, phường gửi kết quả rà soát về Công an tỉnh phải không?", "III.3.a", False),
])
def test_the_closest_point_corrects_a_recipient_only_when_it_is_the_bodys_report(
        app, question: str, section: str, corrected: bool) -> None:
    chunk = _point(app, section)
    prepared = Prepared(analyze(question), question)
    quote = chunk.text.splitlines()[-1]
    said = nearest_recipient_premise(app.assistant.reader, prepared, chunk, quote)
    assert (said is not None and said.startswith("Không đúng")) is corrected


def test_a_body_named_only_among_partners_is_given_no_report(app) -> None:
    # "phối hợp với A, X và B": X cooperates in A's item; its own report is nowhere in the plan
    answer = app.assistant.ask("Vườn quốc gia Pù Luông báo cáo kết quả xây dựng bản đồ vùng trọng điểm cháy rừng cho ai, trước ngày nào?")
    assert answer.abstained
    assert answer.answer.startswith("Kế hoạch không giao nội dung này cho Vườn quốc gia Pù Luông")
    assert [c.section for c in answer.citations] == ["III.1.c"]
