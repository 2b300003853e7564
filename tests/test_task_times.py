"""When a task is due (issue 21): a question about time names a task, and the answer is the time
of that task's item, in its own words, cited — wherever the item states it (its sentence, a field
line, its appendix row, a sibling field point) — never another item's date; an item that states no
time is declined. A plan written here in the Decree 30/2020 layout (another province and topic than
any eval plan); the expected answers are worked out by hand."""

from __future__ import annotations

import pytest

from lang.normalize import collapse_ws
from rag.answers.timing import asks_time, states_time
from rag.prepared import Prepared
from rag.query import analyze
from rag.scope import plan_topic
from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH SƠN LA                          Độc lập - Tự do - Hạnh phúc
Số: 42/KH-UBND                       Sơn La, ngày 12 tháng 3 năm 2026

KẾ HOẠCH
Phát triển thể thao quần chúng tỉnh Sơn La giai đoạn 2026 - 2028

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao sức khỏe người dân qua phong trào tập luyện thể dục, thể thao.
II. NHIỆM VỤ
1. Về phong trào tập luyện
a) Tổ chức Giải chạy vì sức khỏe cộng đồng cấp tỉnh.
- Cơ quan chủ trì: Sở Văn hóa, Thể thao và Du lịch.
- Cơ quan phối hợp: Tỉnh đoàn, Hội Liên hiệp Phụ nữ tỉnh.
- Thời gian thực hiện: chậm nhất 45 ngày sau khi khai mạc Đại hội Thể dục thể thao tỉnh.
b) Xây dựng sân tập thể thao ngoài trời tại các trường học vùng cao.
- Cơ quan chủ trì: Sở Giáo dục và Đào tạo.
- Thời gian thực hiện: theo Phụ lục I.
c) Kiểm tra việc duy trì câu lạc bộ thể thao cơ sở.
- Cơ quan chủ trì: Sở Văn hóa, Thể thao và Du lịch.
- Thời gian thực hiện: Năm 2027 và các năm tiếp theo.
2. Về tuyên truyền
a) Tháng vận động toàn dân tập luyện thể dục, thể thao.
b) Thời gian: Từ ngày 01/6/2026 đến ngày 30/6/2026.
c) Sở Y tế hướng dẫn kỹ năng sơ cứu chấn thương khi tập luyện cho hướng dẫn viên cơ sở.
III. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính
Tham mưu bố trí kinh phí mua sắm dụng cụ thể thao, trình Ủy ban nhân dân tỉnh trước ngày 15/8/2026.
2. Ủy ban nhân dân các xã, phường
a) Xây dựng kế hoạch phát triển thể thao quần chúng của địa phương trong 20 ngày kể từ ngày nhận được Kế hoạch này, gửi Sở Văn hóa, Thể thao và Du lịch.
b) Báo cáo kết quả thực hiện về Sở Văn hóa, Thể thao và Du lịch trước ngày 25 hằng tháng.

Nơi nhận:                                              TM. ỦY BAN NHÂN DÂN
- Như trên;                                            KT. CHỦ TỊCH
- Lưu: VT.                                             PHÓ CHỦ TỊCH
                                                       Cầm Văn Lả

Phụ lục I
DANH MỤC CÔNG TRÌNH THỂ THAO TRƯỜNG HỌC
(Kèm theo Kế hoạch số 42/KH-UBND ngày 12/3/2026 của Ủy ban nhân dân tỉnh)

STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm
1 | Xây dựng sân tập thể thao ngoài trời tại các trường học vùng cao | Sở Giáo dục và Đào tạo | UBND các xã | Quý III/2027 | 30 sân tập
2 | Mua sắm dụng cụ thể thao cho nhà văn hóa bản | Sở Văn hóa, Thể thao và Du lịch | UBND các xã | Tháng 11/2026 | Dụng cụ được cấp
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"son-la-2026-the-thao.txt": PLAN})


def _ask(app, question: str):
    return app.assistant.ask(question, mode="extractive")


@pytest.mark.parametrize(("question", "facts", "section", "not_facts"), [
    # a duration counted from an event, in the task's own sentence
    ("Sơn La: UBND các xã phải xây dựng kế hoạch phát triển thể thao quần chúng của địa phương trong thời hạn nào?",
     ["20 ngày kể từ ngày nhận được Kế hoạch này"], "III.2.a", ["25 hằng tháng"]),
    ("Ủy ban nhân dân các xã ở Sơn La có bao nhiêu ngày để xây dựng kế hoạch thể thao quần chúng của địa phương?",
     ["20 ngày"], "III.2.a", []),
    # a duration in the item's field line, not the sentence
    ("Giải chạy vì sức khỏe cộng đồng cấp tỉnh Sơn La tổ chức trong bao lâu sau khai mạc Đại hội?",
     ["chậm nhất 45 ngày sau khi khai mạc"], "II.1.a", []),
    # a start: "Năm 2027 và các năm tiếp theo"
    ("kiem tra duy tri cau lac bo the thao co so o son la bat dau tu nam nao",
     ["Năm 2027 và các năm tiếp theo"], "II.1.c", []),
    # a span in a sibling point holding the item's time field
    ("Tháng vận động toàn dân tập luyện thể dục, thể thao ở Sơn La diễn ra từ ngày nào đến ngày nào?",
     ["01/6/2026", "30/6/2026"], "II.2.b", []),
    # the field sends to the appendix: the appendix row of the same task states the time
    ("Sân tập thể thao ngoài trời tại các trường học vùng cao của Sơn La phải xây dựng xong khi nào?",
     ["Quý III/2027"], "PL1.1", ["Tháng 11/2026"]),
    # how often, and by which day
    ("UBND các xã Sơn La báo cáo kết quả thực hiện kế hoạch thể thao quần chúng bao lâu 1 lần, trước ngày mấy?",
     ["25 hằng tháng"], "III.2.b", []),
])
def test_the_time_of_the_task_asked_is_its_items_time(app, question, facts, section, not_facts):
    answer = _ask(app, question)
    assert not answer.abstained, answer.answer
    text = collapse_ws(answer.answer)
    for fact in facts:
        assert fact in text, text
    for fact in not_facts:
        assert fact not in text, text
    assert section in [c.section for c in answer.citations], [c.section for c in answer.citations]


def test_a_task_whose_item_states_no_time_is_declined_not_given_another_date(app):
    answer = _ask(app, "Sở Y tế Sơn La hướng dẫn kỹ năng sơ cứu chấn thương khi tập luyện cho hướng dẫn viên cơ sở "
                       "hạn khi nào?")
    assert answer.abstained, answer.answer
    for other in ("30/6/2026", "01/6/2026", "15/8/2026", "Quý III/2027"):
        assert other not in answer.answer


@pytest.mark.parametrize(("question", "expected"), [
    ("Tài liệu hỏi đáp về chính sách (Bạc Liêu) hạn 30/9/2024 phải không?", True),
    ("Hạn BCĐ cấp huyện gửi báo cáo tổng kết là 30/9/2025 đúng không?", True),
    # a yes/no check with no date, or a date with no check, asks no time this way
    ("Sở Công Thương chủ trì hội nghị kết nối cung cầu đúng không?", False),
    ("Văn bản ngày 15/3/2024 nói gì về hạn?", False),
])
def test_a_date_checked_against_a_deadline_word_asks_the_deadline(question, expected):
    assert asks_time(Prepared(info=analyze(question), retrieval_text=question)) is expected


def test_duration_start_and_span_questions_ask_a_time():
    for question in ("… trong bao lâu?", "… bao nhiêu ngày?", "… bắt đầu từ năm nào?", "… từ ngày nào đến ngày nào?",
                     "Còn thời gian tổ chức lễ hội thì sao?"):
        assert "deadline" in analyze(question).asked, question
    assert "frequency" in analyze("Báo cáo bao lâu 1 lần?").asked
    # the plan's own period stays a question about the document
    info = analyze("Kế hoạch phòng cháy rừng của tỉnh Gia Lai áp dụng cho thời gian nào?")
    assert "period" in info.document and "deadline" not in info.asked


@pytest.mark.parametrize(("text", "question", "expected"), [
    ("trong 20 ngày kể từ ngày nhận được Kế hoạch này", "", True),
    ("ngay sau khi kết thúc lễ hội", "", True),
    ("Thường xuyên", "", True),
    ("Hằng năm, trước ngày 31/10, đề xuất danh mục dự án", "", True),
    # a year the question itself names is the task's name, not its time
    ("Xây dựng kế hoạch phòng, chống dịch năm 2025 của địa phương", "ke hoach phong chong dich nam 2025", False),
    ("Xây dựng kế hoạch phòng, chống dịch năm 2025 của địa phương", "", True),
])
def test_what_states_a_time(text, question, expected):
    assert states_time(text, question) is expected


def test_a_plan_the_plan_asks_for_is_not_the_plan_named():
    assert plan_topic("Kế hoạch chi tiết tổ chức hội chợ nông sản phải trình UBND tỉnh trước ngày nào?") is None
    assert plan_topic("Kế hoạch PCCR Gia Lai cho UBND các xã bao nhiêu ngày để lập kế hoạch của xã?") is None
    assert plan_topic("Kế hoạch phát triển du lịch cộng đồng năm 2025 của tỉnh Lào Cai giao ai?") is not None


@pytest.mark.parametrize("question", [
    "Sở Tài chính Sơn La trình kinh phí mua sắm dụng cụ thể thao hạn 25/8/2026 phải không?",
    "Hạn Sở Tài chính Sơn La trình kinh phí mua sắm dụng cụ thể thao là 25/8/2026 đúng không?",
])
def test_a_date_the_question_checks_asks_the_deadline_and_is_no_word_of_the_task(app, question):
    # "… hạn 25/8/2026 phải không?": the deadline is asked; the date is the value checked, not a
    # word naming the task (the item "trước ngày 25 hằng tháng" is another task)
    answer = _ask(app, question)
    assert not answer.abstained, answer.answer
    assert "15/8/2026" in answer.answer, answer.answer
    assert [c.section for c in answer.citations] == ["III.1"]


@pytest.mark.parametrize(("said", "time"), [
    # the genre writes times as events: whatever its time field holds is the time the plan sets
    ("Nhiệm vụ “Đề xuất điều chỉnh Đề án.” — Thời gian dự kiến hoàn thành: Khi có phát sinh.", True),
    ("- Thời gian thực hiện: Sau khi Nghị định quy định chi tiết được ban hành.", True),
    ("c) Thời gian thực hiện: Thực hiện thường xuyên .", True),
    # an event the task waits for, in its sentence or bracketed after it, is its time
    ("6. Tổ chức triển khai Chiến lược Thời gian thực hiện sau khi Chiến lược được ban hành.", True),
    ("c) Triển khai các dự án do Bộ Công an chủ trì (khi Bộ Công an triển khai):", True),
    ("Gửi báo cáo trong 03 ngày kể từ khi bão tan.", True),
    # "khi" inside a clause of the task is no time
    ("Kịp thời báo cáo khi có khó khăn, vướng mắc phát sinh.", False),
    # a field named without its value, or the word in a sentence, says no time
    ("b) Thời gian thực hiện:", False),
    ("Tiết kiệm thời gian của người dân khi làm thủ tục.", False),
])
def test_a_time_field_states_a_time(said: str, time: bool) -> None:
    from rag.slots import filled

    assert filled("deadline", said) is time


@pytest.mark.parametrize(("question", "text", "opposite"), [
    # a reporting regime by period: the question's word picks the period, its opposite is another item
    ("ngoai thoi ky cao diem, cac don vi bao cao bao lau mot lan?",
     "1. trong thoi ky cao diem (tu ngay 01/02/2025), ubnd cac huyen bao cao dinh ky hang tuan", True),
    ("ngoai thoi ky cao diem, cac don vi bao cao bao lau mot lan?",
     "2. ngoai thoi ky cao diem, cac don vi bao cao dinh ky hang thang", False),
    ("trong mua mua bao, xa bao cao may lan?", "ngoai mua mua bao, xa bao cao hang thang", True),
    # the period not named by the text, or named both ways, is no contrast
    ("trong thoi ky cao diem bao cao khi nao?", "bao cao hang tuan vao thu nam", False),
    ("trong mua mua bao bao cao khi nao?", "trong mua mua bao va ngoai mua mua bao deu bao cao", False),
])
def test_the_opposite_period_is_another_item(question: str, text: str, opposite: bool) -> None:
    from rag.answers.timing import _opposite_period

    assert _opposite_period(question, text) is opposite
