"""A yes/no question naming the wrong body for a task ("Sở Tư pháp chịu trách nhiệm về việc báo
cáo … phải không?", "giao Văn phòng Sở chủ trì kiểm tra … phải không?") is answered from the
passage that states the task, whoever the plan names there, saying "Không đúng" and the plan's
body: the body named is the premise checked, not where to look (blind causes s35, cause 3). A
premise that holds is answered "yes" from the same passage. The plan is invented, in the Decree
30/2020 layout (content items with labelled "Đơn vị chủ trì:" fields, then Tổ chức thực hiện)."""

from __future__ import annotations

import pytest

from tests.conftest import offline_app

PLAN = """SỞ Y TẾ
TỈNH LAM SƠN
Số: 45/KH-SYT
Lam Sơn, ngày 10 tháng 02 năm 2026
KẾ HOẠCH
Phòng, chống bệnh sởi trên địa bàn tỉnh Lam Sơn năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Chủ động phát hiện sớm, khoanh vùng và xử lý kịp thời các ổ dịch sởi.
II. NỘI DUNG
1. Tiêm chủng bổ sung vắc xin sởi
Rà soát đối tượng, tổ chức tiêm bổ sung cho trẻ chưa tiêm đủ mũi.
- Đơn vị chủ trì: Trung tâm Kiểm soát bệnh tật tỉnh;
- Đơn vị phối hợp: Văn phòng Sở; Trung tâm Y tế các huyện;
- Thời gian thực hiện: Quý I/2026.
2. Truyền thông phòng, chống bệnh sởi
Truyền thông trên báo, đài và mạng xã hội về dấu hiệu bệnh và lịch tiêm chủng.
- Đơn vị chủ trì: Phòng Nghiệp vụ Y;
- Đơn vị phối hợp: Văn phòng Sở; Báo Lam Sơn;
- Thời gian thực hiện: Thường xuyên.
3. Thanh tra, kiểm tra việc tiêm chủng tại cơ sở
Thanh tra việc bảo quản vắc xin, kiểm tra việc ghi chép sổ tiêm chủng tại các trạm y tế.
- Đơn vị chủ trì: Thanh tra Sở;
- Đơn vị phối hợp: Phòng Nghiệp vụ Y;
- Thời gian thực hiện: 02 đợt, tháng 4/2026 và tháng 9/2026.
III. TỔ CHỨC THỰC HIỆN
1. Phòng Kế hoạch - Tài chính chịu trách nhiệm về việc bố trí kinh phí thực hiện Kế hoạch này.
2. Trung tâm Kiểm soát bệnh tật tỉnh phối hợp với Sở Giáo dục và Đào tạo rà soát tiêm chủng tại trường học.
3. Sở Tài chính phối hợp thẩm định dự toán kinh phí mua vắc xin.
Nơi nhận:
- Như trên;
- Lưu: VT.
GIÁM ĐỐC
Trần Văn Minh
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"lam-son-2026-benh-soi.txt": PLAN})


@pytest.mark.parametrize(("question", "body", "section"), [
    # the body the plan names for another task, as a partner ("Đơn vị phối hợp: Văn phòng Sở")
    ("Kế hoạch phòng chống bệnh sởi của Sở Y tế Lam Sơn giao Văn phòng Sở chủ trì thanh tra, kiểm tra "
     "việc tiêm chủng tại cơ sở phải không?", "Thanh tra Sở", "II.3"),
    # "chịu trách nhiệm về việc …" of the closing part, another word order
    ("Sở Tài chính chịu trách nhiệm về việc bố trí kinh phí thực hiện kế hoạch phòng chống sởi Lam Sơn phải không?",
     "Phòng Kế hoạch - Tài chính", "III.1"),
])
def test_wrong_body_answered_from_the_task(app, question: str, body: str, section: str) -> None:
    answer = app.assistant.ask(question)
    assert answer.answer.startswith("Không đúng"), answer.answer
    assert body in answer.answer.split("\n", 1)[0]
    assert section in {c.section for c in answer.citations}


@pytest.mark.parametrize(("question", "section"), [
    ("Thanh tra Sở chủ trì thanh tra, kiểm tra việc tiêm chủng tại cơ sở trong kế hoạch phòng chống sởi Lam Sơn "
     "phải không?", "II.3"),
    ("Phòng Nghiệp vụ Y chủ trì truyền thông phòng, chống bệnh sởi Lam Sơn đúng không?", "II.2"),
])
def test_premise_that_holds_is_not_contradicted(app, question: str, section: str) -> None:
    answer = app.assistant.ask(question)
    assert not answer.answer.startswith("Không đúng"), answer.answer
    assert not answer.abstained
    assert section in {c.section for c in answer.citations}
