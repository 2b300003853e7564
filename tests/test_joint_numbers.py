"""A plan issued jointly by two bodies of different kinds (Decree 30/2020: "kế hoạch liên tịch /
phối hợp", a block, a "Số:" and a signer per issuer) keeps both numbers and both issuers, whatever
the layout of its header: the blocks one under the other, side by side in columns, or side by side
read line by line by OCR. Its "Hai bên … / Các bên …" points are each party's work. The plans are
invented, in other provinces and with other pairs of issuers than any plan seen."""

from __future__ import annotations

import pytest

from index.chunking import chunk_plan
from index.header import read_header
from index.metadata import extract_metadata
from index.obligations.register import extract_plan
from index.structure import parse_plan
from tests.conftest import offline_app

_STACKED = """UBND TỈNH HÒA SƠN
SỞ TƯ PHÁP
Số: 41/KH-STP
BAN CHẤP HÀNH TỈNH ĐOÀN HÒA SƠN
Số: 126/KH-TĐTN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hòa Sơn, ngày 05 tháng 02 năm 2026
"""

_COLUMNS = """UBND TỈNH HÒA SƠN            BAN CHẤP HÀNH TỈNH ĐOÀN HÒA SƠN
SỞ TƯ PHÁP
Số: 41/KH-STP                 Số: 126/KH-TĐTN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hòa Sơn, ngày 05 tháng 02 năm 2026
"""

# OCR reads two columns line by line: each column's lines alternate, then both numbers
_INTERLEAVED = """UBND TINH HOA SON

LIEN DOAN LAO DONG TINH HOA SON

SO Y TE

SO: 41/KH-SYT

S6: 126/KH-LDLD

CONG HOA XA HOI CHU NGHIA VIET NAM
Doc lap - Tu do - Hanh phuc
Hoa Son, ngay 05 thang 02 nam 2026
"""

_BODY = """
KẾ HOẠCH LIÊN TỊCH
Phối hợp tuyên truyền pháp luật cho đoàn viên thanh niên năm 2026

Sở Tư pháp tỉnh Hòa Sơn (sau đây gọi tắt là Sở) và Ban Chấp hành Tỉnh đoàn Hòa Sơn thống nhất ban hành Kế hoạch liên tịch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao hiểu biết pháp luật của đoàn viên thanh niên.
II. TRÁCH NHIỆM CỦA CÁC BÊN
1. Trách nhiệm chung
a) Hai bên cùng chủ trì, phối hợp với Ủy ban nhân dân các xã tổ chức Ngày hội pháp luật thanh niên trong tháng 5/2026.
b) Hai bên thống nhất xây dựng báo cáo chung, gửi Ủy ban nhân dân tỉnh trước ngày 15/12/2026.
2. Sở Tư pháp
a) Biên soạn tài liệu hỏi đáp pháp luật trước ngày 31/3/2026.
3. Tỉnh đoàn
a) Tổ chức 20 buổi sinh hoạt chuyên đề pháp luật tại các chi đoàn.
Nơi nhận:
- UBND tỉnh;
"""


@pytest.mark.parametrize(("header", "numbers", "issuers"), [
    (_STACKED, ["41/KH-STP", "126/KH-TĐTN"], ["Sở Tư pháp tỉnh Hòa Sơn", "Ban Chấp hành Tỉnh đoàn Hòa Sơn"]),
    (_COLUMNS, ["41/KH-STP", "126/KH-TĐTN"], ["Sở Tư pháp tỉnh Hòa Sơn", "Ban Chấp hành Tỉnh đoàn Hòa Sơn"]),
    (_INTERLEAVED, ["41/KH-SYT", "126/KH-LDLD"], ["Sở Y te tỉnh Hoa Son", "Liên đoàn Lao động tỉnh Hoa Son"]),
])
def test_a_joint_header_keeps_each_number_and_issuer(header: str, numbers: list[str], issuers: list[str]) -> None:
    read = read_header(header.split("\n"))
    assert read.numbers == numbers
    assert read.number == numbers[0]  # the single field stays the first
    assert [name.lower() for name in read.joint] == [name.lower() for name in issuers]


def test_a_plan_of_one_number_is_no_joint_plan() -> None:
    read = read_header(["UBND TỈNH HÒA SƠN", "SỞ Y TẾ", "Số: 12/KH-SYT", "Hòa Sơn, ngày 05 tháng 02 năm 2026", ""])
    assert (read.numbers, read.joint) == (["12/KH-SYT"], [])


def test_the_metadata_keeps_both_numbers_and_quotes_each() -> None:
    meta = extract_metadata(_STACKED + _BODY, "hoa-son-2026-lien-tich.txt")
    assert meta.all_numbers == ("41/KH-STP", "126/KH-TĐTN")
    assert meta.issuers[0] == "Sở Tư pháp tỉnh Hòa Sơn" and len(meta.issuers) == 2
    assert [line for field, line, _ in meta.quotes if field == "number"] == [3, 5]


def test_the_parties_of_a_joint_plan_each_have_their_row() -> None:
    plan = parse_plan(_STACKED + _BODY, "hoa-son-2026-lien-tich.txt")
    rows = extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year, plan.meta.issuers)
    leads = {r.agency for r in rows if r.section == "II.1.a" and r.kind == "assignment" and r.role == "lead"}
    assert len(leads) == 2 and any(lead.startswith("Sở Tư pháp") for lead in leads)
    assert any(lead.lower().startswith("ban chấp hành tỉnh đoàn") for lead in leads)
    reporters = {r.agency for r in rows if r.section == "II.1.b" and r.kind == "reporting"}
    assert reporters == leads
    # quotes stay verbatim: the plan's own words for the parties
    assert all("Hai bên" in r.quote for r in rows if r.section == "II.1.a" and r.kind == "assignment")
    # a plan of one issuer reads the same point as before: no party is made up
    alone = extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year)
    assert not {r.agency for r in alone if r.section == "II.1.a" and r.kind == "assignment"} & leads


def test_either_number_names_the_plan(tmp_path) -> None:
    app = offline_app(tmp_path, {"hoa-son-2026-lien-tich.txt": _STACKED + _BODY})
    answer = app.assistant.ask("Kế hoạch liên tịch tuyên truyền pháp luật cho đoàn viên thanh niên Hòa Sơn có những số hiệu nào?")
    assert "41/KH-STP" in answer.answer and "126/KH-TĐTN" in answer.answer
    second = app.assistant.ask("Theo kế hoạch 126/KH-TĐTN, Sở Tư pháp biên soạn tài liệu hỏi đáp pháp luật trước ngày nào?")
    assert not second.abstained and "31/3/2026" in second.answer


@pytest.mark.parametrize(("text", "names"), [
    ("gửi Ủy ban nhân dân thành phố và Ban Thường vụ Trung ương Hội Nông dân Việt Nam",
     ["Ủy ban nhân dân thành phố", "Ban Thường vụ Trung ương Hội Nông dân Việt Nam"]),
    ("báo cáo Ban Thường vụ Tỉnh đoàn", ["Ban Thường vụ Tỉnh đoàn"]),
    # two bodies side by side, neither an organ: both stay
    ("gửi Sở Y tế, Sở Tài chính", ["Sở Y tế", "Sở Tài chính"]),
])
def test_an_organ_before_its_organisation_is_one_body(text: str, names: list[str]) -> None:
    from lang.agencies import find_bodies
    from lang.normalize import match_tokens
    from lang.parties import organs_joined
    assert [m.name for m in organs_joined(match_tokens(text), find_bodies(text))] == names


@pytest.mark.parametrize(("question", "offered"), [
    ("Việc đầu tư thiết bị là Sở GD&ĐT chủ trì hay Sở Tài chính chủ trì?",
     ["Sở Giáo dục và Đào tạo", "Sở Tài chính"]),
    ("Sở Y tế hoặc Sở Nội vụ chủ trì tập huấn?", ["Sở Y tế", "Sở Nội vụ"]),
    # a body and its partner are no choice
    ("Sở Y tế phối hợp với Sở Nội vụ tổ chức tập huấn khi nào?", []),
])
def test_an_either_or_question_offers_its_bodies(question: str, offered: list[str]) -> None:
    from rag.answers.fallback import either_or
    from rag.prepared import Prepared
    from rag.query import analyze
    prepared = Prepared.__new__(Prepared)
    prepared.info = analyze(question)
    assert either_or(prepared) == offered


def test_a_yes_no_question_about_no_report_checks_no_recipient() -> None:
    from rag.answers.common import checked_recipients
    from rag.query import analyze
    assert checked_recipients(analyze("Công an tỉnh chủ trì mua sắm trang thiết bị cho Bộ đội Biên phòng đúng không?")) == set()
    assert checked_recipients(analyze("Sở Y tế gửi báo cáo quý cho Sở Nội vụ phải không?")) == {"Sở Nội vụ"}


@pytest.mark.parametrize("type_line", ["KẾ HOẠCH LIÊN TỊCH", "KẾ HOẠCH PHỐI HỢP", "KẾ HOẠCH LIÊN NGÀNH"])
def test_every_printed_kind_of_joint_plan_is_a_plan_with_its_title(type_line: str) -> None:
    # Decree 30 names a joint plan by the kind after "KẾ HOẠCH"; an unread kind line left the
    # plan with the header as its title and no date, so no question found it
    meta = extract_metadata(_STACKED + _BODY.replace("KẾ HOẠCH LIÊN TỊCH", type_line), "hoa-son-2026.txt")
    assert meta.doc_type == "Kế hoạch" and meta.signed == "2026-02-05"
    assert meta.title.lower().endswith("phối hợp tuyên truyền pháp luật cho đoàn viên thanh niên năm 2026")
