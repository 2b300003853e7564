"""Appendices printed after the closing paragraph and the signature block (Decree 30/2020 plans)."""

from __future__ import annotations

import pytest

from index.structure import appendix_heading, parse_plan

_BODY = """KẾ HOẠCH
Triển khai nhiệm vụ năm 2025

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Triển khai đồng bộ các nhiệm vụ theo Phụ lục kèm theo Kế hoạch này.
II. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính: bố trí kinh phí.
2. Sở Nội vụ: hướng dẫn khen thưởng.

Trên đây là Kế hoạch triển khai nhiệm vụ năm 2025./.

Nơi nhận:
- Các sở, ban, ngành;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn A

{heading}
PHÂN CÔNG NHIỆM VỤ TRIỂN KHAI
(Kèm theo Kế hoạch số 12/KH-UBND ngày 18/10/2024 của UBND tỉnh)

STT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành
1 | Thành lập Tổ giúp việc | Cục Thống kê tỉnh | Sở Nội vụ | Tháng 11/2024
2 | Bố trí kinh phí | Sở Tài chính | Cục Thống kê tỉnh | Quý IV/2024
"""


@pytest.mark.parametrize("heading", ["Phụ lục", "PHỤ LỤC", "Phu luc", "PHU LUC I", "Phụ lục I", "Phụ lục 01",
                                     "Phụ lục: BIỂU TỔNG HỢP NHIỆM VỤ", "Phụ lục 01 Danh mục nhiệm vụ"])
def test_appendix_after_signature_is_not_closing(heading: str) -> None:
    plan = parse_plan(_BODY.format(heading=heading), "x.txt")
    assert [a.path for a in plan.appendices] == ["PL1"]
    assert [row.path for row in plan.appendices[0].children] == ["PL1.1", "PL1.2"]
    assert plan.closing is not None and "Cục Thống kê tỉnh" not in "\n".join(plan.closing.lines)
    assert "Nơi nhận:" in "\n".join(plan.closing.lines)  # the distribution list stays in the closing


def test_bare_appendix_takes_the_capital_title_below() -> None:
    plan = parse_plan(_BODY.format(heading="Phụ lục"), "x.txt")
    assert plan.appendices[0].title == "PHÂN CÔNG NHIỆM VỤ TRIỂN KHAI"


@pytest.mark.parametrize(("line", "after_body", "expected"), [
    ("PHỤ LỤC II", False, ("II", "")),
    ("Phụ lục 2", False, ("2", "")),
    ("Phụ lục: BIỂU TỔNG HỢP", False, (None, "BIỂU TỔNG HỢP")),
    ("Phụ lục", True, (None, "")),
    ("Phụ lục 01 Danh mục nhiệm vụ", True, ("01", "Danh mục nhiệm vụ")),
    # in the body a line with a lower-case title is a wrapped sentence, not a heading
    ("Phụ lục 01 Danh mục nhiệm vụ", False, None),
    ("Phụ lục kèm theo Kế hoạch này", False, None),
    # after the signature a sentence that mentions an appendix is still a sentence
    ("Phụ lục kèm theo Kế hoạch này gồm 02 biểu.", True, None),
    ("Phụ", True, None),
])
def test_appendix_heading(line: str, after_body: bool, expected: tuple[str | None, str] | None) -> None:
    assert appendix_heading(line, after_body=after_body) == expected
