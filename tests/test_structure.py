"""Structure parser: the hand-checked outlines, and each OCR form of numbering on its own."""

from __future__ import annotations

import json

import pytest

from index.structure import parse_plan
from planbot import SAMPLE_PLANS_DIR
from tests.conftest import GOLD_DIR, SHARED_OUTLINES

OUTLINE_FILES = sorted({p.name: p for p in [*SHARED_OUTLINES.glob("*.json"),
                                             *(GOLD_DIR / "outlines").glob("*.json")]}.values())


@pytest.mark.parametrize("outline_path", OUTLINE_FILES, ids=lambda p: p.stem)
def test_outline_matches_hand_checked_outline(outline_path):
    source = SAMPLE_PLANS_DIR / (outline_path.stem + ".txt")
    plan = parse_plan(source.read_text(encoding="utf-8"), source.name)
    assert plan.outline() == json.loads(outline_path.read_text(encoding="utf-8"))


def test_shared_outlines_are_present():
    assert {p.stem for p in OUTLINE_FILES} >= {"thua-thien-hue-2024", "vinh-phuc-2024"}


def _paths(text: str) -> list[str]:
    return [str(e["section"]) for e in parse_plan(text, "t.txt").outline()]


PLAN = """UBND TỈNH X
KẾ HOẠCH
Thông tin đối ngoại năm 2030

I. MỤC ĐÍCH
1. Mục đích
- nội dung
II. NHIỆM VỤ
1. Nhiệm vụ một
{third}
2. Nhiệm vụ hai
Nơi nhận:
- Như trên;
"""


@pytest.mark.parametrize("numeral", ["III.", "M.", "IIT.", "I11.", "III ."])
def test_ocr_roman_numerals_after_part_two_mean_three(numeral):
    text = PLAN.format(third="") + f"{numeral} TỔ CHỨC THỰC HIỆN\n1. Sở A\n"
    text = text.replace("Nơi nhận:\n- Như trên;\n", "") + "Nơi nhận:\n- Như trên;\n"
    assert _paths(text)[-2:] == ["III", "III.1"]


def test_part_without_space_and_item_without_space():
    text = ("I. MỤC ĐÍCH\n1. Mục đích\nII. NHIỆM VỤ\n1. A\n2. B\n3. C\n4. D\n5.Sé Vin héa\n"
            "III. KINH PHÍ\nIV. PHÂN CÔNG\nV.TO CHUC THUC HIEN\n1. Báo cáo\n")
    assert _paths(text) == ["I", "I.1", "II", "II.1", "II.2", "II.3", "II.4", "II.5", "III", "IV", "V", "V.1"]


def test_a_numeral_far_ahead_of_the_sequence_is_not_a_part():
    assert _paths("I. MỤC ĐÍCH\n1. Mục đích\nV. LẠC CHỖ TRONG VĂN BẢN\n") == ["I", "I.1"]


def test_ocr_point_letters():
    text = ("I. NHIỆM VỤ\n1. Sở A\na) một\nb). hai\n¢) ba\nd) bốn\nd) năm là đ\n4 e) sáu có số trang\n"
            "2. Sở B\na) một\nc¢) ba in OCR\n")
    assert _paths(text) == ["I", "I.1", "I.1.a", "I.1.b", "I.1.c", "I.1.d", "I.1.đ", "I.1.e",
                            "I.2", "I.2.a", "I.2.c"]


def test_sub_items_and_points_under_them():
    text = "I. YÊU CẦU\n1. Mục đích\n1.1. Thứ nhất\na) ý a\nb) ý b\n1.2. Thứ hai\n2. Yêu cầu\n2.1. Một\n"
    assert _paths(text) == ["I", "I.1", "I.1.1", "I.1.1.a", "I.1.1.b", "I.1.2", "I.2", "I.2.1"]


def test_running_text_that_starts_with_a_number_is_not_a_heading():
    text = ("I. NHIỆM VỤ\n1. Sở A\n- phối hợp tổ chức hội nghị tại\n5. khu vực biên giới, không phải mục\n"
            "2024. là năm\n2. Sở B\n")
    assert _paths(text) == ["I", "I.1", "I.2"]


def test_page_numbers_are_not_content_and_closing_is_separate():
    text = "Căn cứ Luật X\nI. NHIỆM VỤ\n1. Sở A\ndòng một\n\n12\n\ndòng hai\nTrên đây là Kế hoạch.\nNơi nhận:\n"
    plan = parse_plan(text, "t.txt")
    item = plan.find("I.1")
    assert "12" not in [ln.strip() for ln in item.lines]
    assert plan.preamble.text.startswith("Căn cứ")
    assert plan.closing is not None
    assert plan.closing.text.startswith("Trên đây")
    assert item.label == "Mục I, khoản 1"


def test_a_reports_recipient_field_is_not_the_distribution_list():
    # "- Nơi nhận: Sở X" is a field of the report's item (where it goes); the closing's "Nơi nhận:"
    # opens its own line
    text = ("Căn cứ Luật X\nI. NHIỆM VỤ\n1. Sở A\ndòng một\nII. CHẾ ĐỘ BÁO CÁO\n1. Báo cáo định kỳ\n"
            "- Nơi nhận: Sở B.\n- Thời hạn: trước ngày 15/6/2026.\n2. Báo cáo đột xuất\n- Khi có yêu cầu.\n"
            "Trên đây là Kế hoạch.\nNơi nhận:\n- Như trên;\n")
    plan = parse_plan(text, "t.txt")
    assert _paths(text) == ["I", "I.1", "II", "II.1", "II.2"]
    assert "15/6/2026" in plan.find("II.1").text
    assert plan.closing is not None and plan.closing.text.startswith("Trên đây")


def test_labels_and_titles():
    plan = parse_plan((SAMPLE_PLANS_DIR / "thua-thien-hue-2024.txt").read_text(encoding="utf-8"), "t.txt")
    section = plan.find("V.2")
    assert section.label == "Mục V, khoản 2"
    assert "15/11/2024" in section.full_text()
    assert plan.find("II.3.b").label == "Mục II, khoản 3, điểm b"


@pytest.mark.parametrize(("name", "province", "year", "number"), [
    ("thua-thien-hue-2024.txt", "Thừa Thiên Huế", 2024, None),
    ("thua-thien-hue-2025.txt", "Thừa Thiên Huế", 2025, None),
    ("vinh-phuc-2024.txt", "Vĩnh Phúc", 2024, "4155/KH-UBND"),
    ("hung-yen-2026.txt", "Hưng Yên", 2026, None),
])
def test_metadata(name, province, year, number):
    plan = parse_plan((SAMPLE_PLANS_DIR / name).read_text(encoding="utf-8"), name)
    assert (plan.meta.province, plan.meta.year, plan.meta.number) == (province, year, number)
    assert plan.meta.title.startswith("Kế hoạch")
    assert str(year) in plan.meta.title
