"""Abbreviations in capitals inside OCR'd running text stay abbreviations: the English model drops
the tail of Q ("BQL" printed "BOL"), and no Vietnamese syllable is read into them."""

from __future__ import annotations

import pytest

from index.ocr_repair import repair_text
from index.ocr_repair.decoder import plan_abbreviation


@pytest.mark.parametrize(("core", "caps_line", "read"), [
    ("BOL", False, "BQL"),  # Q printed O, a known abbreviation with Q
    ("KCN", False, "KCN"),
    ("PCCC", False, "PCCC"),
    ("KHLN", False, "KHLN"),  # unknown, but no syllable reads so: as printed
    ("VOI", False, None),  # a well-formed syllable in capitals: may be a misread word
    ("SG", False, None),  # two letters: "Sở" printed SG
    ("BOL", True, None),  # a line in capitals: its words are words
])
def test_capitals_in_running_text(core: str, caps_line: bool, read: str | None) -> None:
    assert plan_abbreviation(core, caps_line) == read


def test_ocr_line_keeps_its_abbreviations() -> None:
    text = "a) Giao SG Céng Thuong chu tri, phoi hop v6i BOL cac KCN va Cong\nty Dién luc huéng dan doanh nghiép"
    repaired = repair_text(text).text
    assert "BQL các KCN" in repaired


def test_ocr_signer_with_a_marked_small_letter_printed_capital_is_read() -> None:
    """"Đỗ Thị Thanh Loan" printed "DO Thi Thanh Loan": the signer is still read."""
    from index.metadata import extract_metadata

    text = ("SỞ TƯ PHÁP TỈNH BẮC NINH\nSố: 09/KH-STP\nBắc Ninh, ngày 12 tháng 01 năm 2026\n\nKẾ HOẠCH\n"
            "Công tác phổ biến pháp luật năm 2026\n\nI. MỤC ĐÍCH\nNâng cao hiểu biết.\n\nNơi nhận:\n- Như trên;\n\n"
            "KT. GIAM DOC\nPHO GIAM DOC\n\nDO Thi Thanh Loan\n")
    assert extract_metadata(text, "x.txt").signer == "DO Thi Thanh Loan"
