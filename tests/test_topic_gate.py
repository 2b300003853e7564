"""The off-topic gate (rag/topic.py): the words that ask are never the subject, and a subject a
plan writes at length is not refused for the asker's own wording around it."""

from __future__ import annotations

import pytest

from lang.normalize import match_tokens
from rag.topic import off_topic, phrases

PLAN = """Kiểm tra dịch vụ ăn uống tại khu du lịch biển Sầm Sơn trong mùa du lịch hè.
Kiểm tra cơ sở sản xuất nước uống đóng chai trên địa bàn tỉnh. Sở Y tế chủ trì, phối hợp với
Sở Công Thương kiểm tra liên ngành an toàn thực phẩm dịp Tết Nguyên đán. Ủy ban nhân dân tỉnh
chỉ đạo các sở, ngành thực hiện. Báo cáo kết quả về Ủy ban nhân dân tỉnh trước ngày 15/12/2026.
Tổ chức tập huấn kiến thức an toàn thực phẩm cho người chế biến thức ăn đường phố."""


class Pairs:
    """The adjacent word pairs of a plan text: what the lexical index answers `contains` from."""

    def __init__(self, text: str) -> None:
        tokens = match_tokens(text)
        self.pairs = {f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)}
        self.empty = not self.pairs

    def contains(self, term: str) -> bool:
        return term in self.pairs


@pytest.mark.parametrize("question", [
    # a question word folds to a content word ("mấy" = "máy"): it asks, it names nothing
    "Kiểm tra dịch vụ ăn uống ở khu du lịch biển Sầm Sơn mùa hè tiến hành tháng mấy?",
    "Kiểm tra dịch vụ ăn uống ở khu du lịch biển Sầm Sơn mùa hè làm vào tháng mấy, đoàn nào chủ trì?",
    "kiểm tra cơ sở sản xuất nước uống đóng chai dịp hè năm nay làm mấy đợt",
    "Tập huấn kiến thức an toàn thực phẩm cho người chế biến thức ăn đường phố vùng ven biển hè thu bao giờ?",
    "Sở Y tế phối hợp với ai khi kiểm tra liên ngành an toàn thực phẩm dịp Tết?",
])
def test_a_subject_the_plan_writes_is_not_refused_for_the_askers_wording(question):
    assert not off_topic(question, Pairs(PLAN))


@pytest.mark.parametrize("question", [
    "Thủ đô của nước Pháp là gì?",
    "thời tiết Hà Nội ngày mai thế nào",
    "chuyển đổi xe máy chạy xăng sang xe điện thực hiện thế nào?",
    # a body's name the plans write is no phrase of the subject
    "Ủy ban nhân dân tỉnh chuyển đổi xe máy chạy xăng sang xe điện tháng mấy?",
    "Sở Y tế hỗ trợ nông dân trồng cà phê xuất khẩu giống mới bao nhiêu tiền?",
])
def test_a_subject_no_plan_writes_is_refused(question):
    assert off_topic(question, Pairs(PLAN))


@pytest.mark.parametrize(("question", "kept"), [
    ("tiến hành tháng mấy", ["tiến hành"]),
    ("cơ quan nào chủ trì", ["cơ", "chủ trì"]),
    ("máy móc thiết bị bao nhiêu", ["máy móc thiết"]),  # "máy" (a machine) is a word of the subject
    ("sở nào, hạn khi nào?", ["hạn"]),
    ("Sở Y tế và UBND huyện", ["sở y tế và ubnd huyện"]),  # "à" inside "và" asks nothing
])
def test_the_words_that_ask_and_what_they_ask_about_are_left_out(question, kept):
    assert [p.strip() for p in phrases(question) if p.strip()] == kept
