"""A plan issued by a Sở (or jointly) gives its tasks to the Sở's own units and to "hai bên": a
question naming the issuer asks about the plan's own work and is answered, never declined as a
task "the plan does not give" the issuer. A body that is not an issuer is still checked. The plan
is invented, in the Decree 30/2020 layout."""

from __future__ import annotations

from tests.conftest import offline_app

PLAN = """SỞ XÂY DỰNG
TỈNH HÒA SƠN
Số: 57/KH-SXD
Hòa Sơn, ngày 12 tháng 02 năm 2026
KẾ HOẠCH
Kiểm tra công tác quản lý chất lượng công trình xây dựng năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao chất lượng công trình xây dựng trên địa bàn tỉnh.
II. NỘI DUNG KIỂM TRA
1. Kiểm tra 24 công trình sử dụng vốn đầu tư công do các chủ đầu tư quản lý.
III. TỔ CHỨC THỰC HIỆN
1. Phòng Quản lý chất lượng công trình chủ trì thành lập các Đoàn kiểm tra, hoàn thành trước ngày 15/3/2026.
2. Văn phòng Sở bố trí kinh phí và phương tiện cho các Đoàn kiểm tra.
3. Trưởng các Đoàn kiểm tra tổng hợp kết quả, báo cáo Giám đốc Sở trước ngày 20/11/2026.
4. Ban Quản lý dự án đầu tư xây dựng tỉnh phối hợp cung cấp hồ sơ công trình khi được yêu cầu.
Nơi nhận:
- UBND tỉnh;
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Trần Văn Bình
"""


def test_the_issuers_own_plan_is_its_work(tmp_path):
    app = offline_app(tmp_path, {"hoa-son-2026-kiem-tra-chat-luong.txt": PLAN})
    answer = app.assistant.ask("Theo kế hoạch kiểm tra chất lượng công trình, Sở Xây dựng báo cáo kết quả kiểm tra "
                               "trước ngày nào?")
    assert not answer.abstained and "20/11/2026" in answer.answer
    assert "không giao" not in answer.answer


def test_a_body_not_issuing_the_plan_is_still_checked(tmp_path):
    app = offline_app(tmp_path, {"hoa-son-2026-kiem-tra-chat-luong.txt": PLAN})
    answer = app.assistant.ask("Theo kế hoạch kiểm tra chất lượng công trình, Ban Quản lý dự án đầu tư xây dựng "
                               "tỉnh báo cáo kết quả kiểm tra trước ngày nào?")
    assert answer.abstained or "Ban Quản lý" not in answer.answer.split("):")[0]


UNITS_PLAN = PLAN.replace("""III. TỔ CHỨC THỰC HIỆN
1. Phòng Quản lý chất lượng công trình chủ trì thành lập các Đoàn kiểm tra, hoàn thành trước ngày 15/3/2026.
2. Văn phòng Sở bố trí kinh phí và phương tiện cho các Đoàn kiểm tra.""", """III. TỔ CHỨC THỰC HIỆN
1. Phòng Quản lý chất lượng công trình
1.1. Chủ trì thành lập các Đoàn kiểm tra, hoàn thành trước ngày 15/3/2026.
1.2. Tổng hợp danh sách công trình được kiểm tra, trình Giám đốc Sở trước ngày 28/02/2026.
2. Văn phòng Sở bố trí kinh phí và phương tiện cho các Đoàn kiểm tra.""")


def test_a_units_duties_asked_with_the_issuer_naming_the_plan(tmp_path):
    # "… trong kế hoạch … của Sở Xây dựng Hòa Sơn": the issuer names the plan, the unit is asked;
    # its "1.1/1.2" sub-items are its duties (the issuer's words were read as a task asked, and
    # the question declined)
    app = offline_app(tmp_path, {"hoa-son-2026-kiem-tra-chat-luong.txt": UNITS_PLAN})
    answer = app.assistant.ask("Phòng Quản lý chất lượng công trình có những nhiệm vụ gì trong kế hoạch kiểm tra "
                               "chất lượng công trình của Sở Xây dựng Hòa Sơn?")
    assert not answer.abstained
    assert "15/3/2026" in answer.answer and "28/02/2026" in answer.answer
