"""A reporting regime written as labelled fields (index/obligations/regime.py)."""

import pytest

from index.obligations.regime import regime_field, regime_rows
from lang.sentences import is_closing_line

BASE = {"source": "p.txt", "doc_title": "KH", "section": "V.1", "section_label": "Mục V, khoản 1",
        "province": None, "year": 2024}

REGIME = """1. Báo cáo định kỳ
- Đơn vị báo cáo: Ủy ban nhân dân các huyện, thành phố.
- Nội dung: số lao động đăng ký, số lao động xuất cảnh.
- Nơi nhận: Sở Lao động - Thương binh và Xã hội (qua Văn phòng Sở).
- Thời hạn: báo cáo năm gửi trước ngày 15/11/2024."""


@pytest.mark.parametrize(("line", "expected"), [
    ("- Đơn vị báo cáo: Sở Tài chính.", ("reporter", "Sở Tài chính.")),
    ("- Nơi nhận: Sở Y tế (qua Phòng Nghiệp vụ).", ("recipient", "Sở Y tế (qua Phòng Nghiệp vụ).")),
    ("b) Thời hạn gửi báo cáo: trước ngày 20 hằng tháng.", ("time", "trước ngày 20 hằng tháng.")),
    ("- Nội dung: số lao động.", None),
    ("Nơi nhận:", None),  # the distribution list's heading holds no value
])
def test_field_lines(line: str, expected: tuple[str, str] | None) -> None:
    assert regime_field(line) == expected


def test_regime_is_one_reporting_line_with_its_channel_and_time() -> None:
    rows, lines = regime_rows(REGIME, BASE)  # type: ignore[arg-type]
    assert [(r.agency, r.recipient, r.via, r.due_date) for r in rows] == [
        ("Ủy ban nhân dân các huyện, thị xã, thành phố", "Sở Lao động - Thương binh và Xã hội", "Văn phòng Sở",
         "2024-11-15")]
    assert rows[0].quote.startswith("- Đơn vị báo cáo:") and rows[0].quote.endswith("15/11/2024.")
    assert len(lines) == 3


def test_fields_without_a_recipient_are_no_line() -> None:
    assert regime_rows("- Đơn vị báo cáo: Sở Tài chính.\n- Thời hạn: trước ngày 15/11/2024.", BASE) == ([], set())  # type: ignore[arg-type]


@pytest.mark.parametrize(("line", "closing"), [
    ("Nơi nhận:", True),
    ("Nơi nhận: - Như trên;", True),
    ("- Nơi nhận: Sở Lao động - Thương binh và Xã hội (qua Phòng Việc làm).", False),
    ("Trên đây là Kế hoạch …", True),
])
def test_recipient_field_is_not_the_distribution_list(line: str, closing: bool) -> None:
    assert is_closing_line(line) is closing
