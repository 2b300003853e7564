"""Sentence splitting (lang/sentences.py): a list of documents after semicolons stays one sentence."""

from __future__ import annotations

import pytest

from lang.sentences import split_sentences

CASES = [
    # the replaced decisions of a closing article: one list
    ("Thay thế Quyết định số 3089/QĐ-UBND ngày 24/8/2021 của UBND Thành phố; Quyết định số 1397/QĐ-UBND "
     "ngày 08/6/2022 của UBND tỉnh Bình Dương; Quyết định 1179/QĐ-UBND ngày 1/1/2023. Sở Tài chính thực hiện.",
     2),
    ("Thực hiện Nghị quyết số 12/NQ-HĐND; Thông tư số 5/2019/TT-BTC hướng dẫn.", 1),
    # a date after a semicolon is no document
    ("Thực hiện Kế hoạch số 12/KH-UBND; Sở Tài chính 15/3 báo cáo.", 2),
    # no document before the semicolon: a new clause
    ("Sở Y tế chủ trì; Quyết định số 5/QĐ-UBND được ban hành.", 2),
    # the legal bases, one a line, stay apart
    ("Căn cứ Luật Tổ chức chính quyền địa phương;\nCăn cứ Nghị định số 30/2020/NĐ-CP ngày 5/3/2020;\n"
     "Căn cứ Quyết định số 12/QĐ-UBND;", 3),
    ("Căn cứ Nghị định số 30/2020/NĐ-CP; Căn cứ Quyết định số 12/QĐ-UBND.", 2),
]


@pytest.mark.parametrize(("text", "count"), CASES)
def test_a_list_of_documents_is_one_sentence(text: str, count: int) -> None:
    assert len(split_sentences(text)) == count


@pytest.mark.parametrize(("text", "count"), [
    # the members of a parenthesis, one per party of a joint plan: one sentence
    ("Các đơn vị báo cáo về đầu mối của mỗi bên (Phòng Cảnh sát giao thông - Công an tỉnh; Phòng Giáo dục "
     "trung học - Sở Giáo dục và Đào tạo) để thống nhất giải quyết.", 1),
    ("Gửi báo cáo về UBND tỉnh (qua Sở Tài chính; Sở Nội vụ) trước ngày 15/12/2026.", 1),
    # a parenthesis never closed on its line (OCR lost the ")"): the semicolon still ends the piece
    ("Báo cáo (qua Sở X; Sở Y thực hiện sau.", 2),
    # a semicolon after the parenthesis closed ends it as before
    ("Sở Y tế (cơ quan thường trực) chủ trì; Sở Tài chính bảo đảm kinh phí.", 2),
])
def test_a_semicolon_inside_a_parenthesis_ends_no_sentence(text: str, count: int) -> None:
    assert len(split_sentences(text)) == count
