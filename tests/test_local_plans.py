"""Plans not issued by the provincial UBND: a phường/xã plan's issuer and province, a committee's
signer signing with the title under the authority (the other line a concurrent post), and the
questions about such a document."""

from __future__ import annotations

import pytest

from index.header import read_header
from index.signature import read_signatures
from index.structure import parse_plan
from rag.answers.metadata import _authority
from rag.query import analyze
from tests.conftest import offline_app

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"


def _ward_plan(unit: str = "PHƯỜNG TÂN PHƯỚC LỘC", province_line: str = "của UBND tỉnh Đồng Nai") -> str:
    return (f"ỦY BAN NHÂN DÂN\n{unit}\n{MOTTO}Số: 14/KH-UBND\nTân Phước Lộc, ngày 08 tháng 01 năm 2026\n\n"
            "KẾ HOẠCH\nLập lại trật tự đô thị trên địa bàn phường năm 2026\n\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;\n"
            f"Căn cứ Kế hoạch số 512/KH-UBND ngày 22/12/2025 {province_line} về trật tự đô thị;\n"
            "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nGắn với phong trào \"Bình Dương văn minh\".\n"
            "II. TỔ CHỨC THỰC HIỆN\n1. Công an phường chủ trì kiểm tra, xử lý vi phạm lòng đường, vỉa hè.\n"
            "Nơi nhận:\n- UBND tỉnh Đồng Nai (b/c);\n- Lưu: VT.\n"
            "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nPhan Thị Mỹ Hạnh\n")


@pytest.mark.parametrize(("unit", "local"), [
    ("PHƯỜNG TÂN PHƯỚC LỘC", "phường Tân Phước Lộc"),
    ("XÃ NGHI LỘC", "xã Nghi Lộc"),
    ("ĐẶC KHU PHÚ QUỐC", "đặc khu Phú Quốc"),
    ("THỊ XÃ HOÀNG MAI", "thị xã Hoàng Mai"),
    ("HUYỆN QUỲNH LƯU", "huyện Quỳnh Lưu"),
])
def test_the_unit_under_the_peoples_committee_is_the_issuer(unit: str, local: str) -> None:
    issuer = read_header(["ỦY BAN NHÂN DÂN", unit, *MOTTO.splitlines(), "Số: 1/KH-UBND", "", "KẾ HOẠCH"]).issuer
    assert (issuer.body, issuer.local, issuer.province) == ("UBND", local, None)


def test_a_provincial_header_names_no_local_unit() -> None:
    issuer = read_header(["ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN", *MOTTO.splitlines(), "Số: 1/KH-UBND", "KẾ HOẠCH"]).issuer
    assert (issuer.local, issuer.province) == (None, "Nghệ An")


def test_a_ward_plan_takes_its_province_from_its_bases_and_recipients() -> None:
    meta = parse_plan(_ward_plan(), "p.txt").meta
    assert (meta.issuer, meta.province, meta.number) == ("UBND phường Tân Phước Lộc", "Đồng Nai", "14/KH-UBND")
    # cited where the plan says it: the first line naming the province with its level
    assert ("province", 12, "Căn cứ Kế hoạch số 512/KH-UBND ngày 22/12/2025 của UBND tỉnh Đồng Nai về trật tự "
            "đô thị;") in meta.quotes
    assert meta.short_name == "Đồng Nai 2026"  # the plan list labels it by its province


def test_a_province_named_with_its_level_outweighs_one_named_bare() -> None:
    # "Bình Dương văn minh" names a province without its level; the bases and recipients name Đồng Nai
    assert parse_plan(_ward_plan(), "p.txt").meta.province == "Đồng Nai"


def test_the_units_own_name_is_no_province() -> None:
    # "phường Bắc Giang" bears a former province's name; the province is the one named "tỉnh …"
    text = _ward_plan("PHƯỜNG BẮC GIANG", "của UBND tỉnh Bắc Ninh").replace("UBND tỉnh Đồng Nai (b/c)",
                                                                       "UBND tỉnh Bắc Ninh (b/c)")
    text = text.replace("Gắn với phong trào", "UBND phường Bắc Giang gắn với phong trào")
    assert parse_plan(text, "p.txt").meta.province == "Bắc Ninh"


@pytest.mark.parametrize(("block", "chain", "shown"), [
    (["TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN", "PHÓ CHỦ TỊCH UBND TỈNH", "Trần Quốc Thiện"],
     "TM. BAN CHỈ ĐẠO / TRƯỞNG BAN / PHÓ CHỦ TỊCH UBND TỈNH",
     "Trưởng ban (thay mặt Ban chỉ đạo; kiêm Phó Chủ tịch UBND tỉnh)"),
    (["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "GIÁM ĐỐC SỞ Y TẾ", "Lê Văn Bình"],
     "KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN / GIÁM ĐỐC SỞ Y TẾ",
     "Phó Trưởng ban (ký thay Trưởng ban; kiêm Giám đốc Sở Y tế)"),
    (["TM. HỘI ĐỒNG", "CHỦ TỊCH", "CHỦ TỊCH UBND TỈNH NGHỆ AN", "Lê Hồng Vinh"],
     "TM. HỘI ĐỒNG / CHỦ TỊCH / CHỦ TỊCH UBND TỈNH NGHỆ AN",
     "Chủ tịch (thay mặt Hội đồng; kiêm Chủ tịch UBND tỉnh Nghệ An)"),
    (["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phan Thị Mỹ Hạnh"],
     "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
     "Phó Chủ tịch (thay mặt Ủy ban nhân dân; ký thay Chủ tịch)"),
    (["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"], "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
     "Phó Giám đốc (ký thay Giám đốc)"),
    (["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Võ Văn Hưng"], "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH",
     "Chủ tịch (thay mặt Ủy ban nhân dân)"),
])
def test_the_signer_signs_with_the_title_under_the_last_authority(block: list[str], chain: str, shown: str) -> None:
    [(read_chain, name)] = read_signatures(["Nơi nhận:", "- Lưu: VT.", *block], 0)
    assert (read_chain, name) == (chain, block[-1])
    assert _authority(read_chain) == shown


@pytest.mark.parametrize(("question", "asked"), [
    ("Kế hoạch trật tự đô thị của phường Tân Phước Lộc thuộc tỉnh nào?", ["province"]),
    ("Kế hoạch trật tự đô thị năm 2026 của phường Tân Phước Lộc thuộc tỉnh nào và do ai ký?", ["signer", "province"]),
    ("kh trật tự đô thị phường tân phước lộc số mấy", ["number"]),
    ("Sở Xây dựng phải làm gì theo Kế hoạch trật tự đô thị?", []),
])
def test_what_is_asked_about_the_document(question: str, asked: list[str]) -> None:
    assert sorted(analyze(question).document) == sorted(asked)


def test_ward_plan_questions_are_answered_from_its_metadata(tmp_path) -> None:
    app = offline_app(tmp_path, {"dong-nai-2026-phuong.txt": _ward_plan()})
    number = app.assistant.ask("kh lập lại trật tự đô thị trên địa bàn phường năm 2026 số mấy")
    # the plan named by its title's words is no pasted line: its number is answered
    assert "14/KH-UBND" in number.answer and number.citations[0].section == "preamble"
    where = app.assistant.ask("Kế hoạch lập lại trật tự đô thị của phường Tân Phước Lộc thuộc tỉnh nào, ai ký?")
    assert "tỉnh Đồng Nai" in where.answer and "Phan Thị Mỹ Hạnh" in where.answer
    assert {c.section for c in where.citations} == {"preamble", "closing"}
