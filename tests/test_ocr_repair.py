"""OCR repair (index/ocr_repair): repairs English-model Tesseract output, never changes facts,
leaves clean Vietnamese and other languages alone, keeps line structure and a verbatim alignment."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from bot.cli import main
from index.ocr_repair import MODEL_PATH, repair_text
from index.ocr_repair.tokens import repairable

# Generic OCR damage of this genre (English-model Tesseract on Vietnamese administrative text).
DAMAGED = (
    "Thuc hién Két luan sé 57-KL/TW ngay 15/6/2023 ctia Bo Chinh tri vé tiép\n"
    "tuc nang cao chat luong, hiéu qua cong tac thong tin d6i ngoai trong tinh hinh méi\n"
)
CLEAN = (
    "Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị về tiếp tục nâng cao chất\n"
    "lượng, hiệu quả công tác thông tin đối ngoại; Sở Thông tin và Truyền thông chủ trì, phối hợp\n"
    "với các sở, ngành báo cáo UBND tỉnh trước ngày 15/11/2024 (Kế hoạch số 4155/KH-UBND).\n"
)


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def test_repairs_english_model_damage():
    out = repair_text(DAMAGED).text
    assert "Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị" in out
    assert "thông tin đối ngoại" in out
    assert out.count("\n") == DAMAGED.count("\n")


@pytest.mark.parametrize(("ocr", "kept", "repaired"), [
    # an ethnic-minority name is no Vietnamese syllable: the language model must not give it a
    # final it does not have ("Mah" = "Mạch"); the misread vowels of a name are still repaired
    ("KT. CHU TICH\nPHO CHU TICH\nRo Mah Tuan", "Mah Tuan", "PHÓ CHỦ TỊCH"),
    ("Gidm déc Sé Y té chi dao", "Y", "Giám đốc Sở Y tế"),
    ("Bao hiém x h6i tinh ph6éi hop véi Bénh vién Da khoa tinh", "Bảo hiểm", "Bệnh viện Đa khoa tỉnh"),
])
def test_a_name_keeps_its_consonant_frame(ocr: str, kept: str, repaired: str) -> None:
    out = repair_text(ocr).text
    assert kept in out
    assert repaired in out


def test_clean_vietnamese_is_left_alone():
    result = repair_text(CLEAN)
    assert result.text == CLEAN
    assert not any(t.changed for t in result.tokens)


def test_numbers_dates_and_document_numbers_never_change():
    text = "Ké hoach s6 4155/KH-UBND ngay 15/11/2024 vé 1.250 triéu déng, 12 % va 57-KL/TW\n"
    out = repair_text(text).text
    for fact in ("4155/KH-UBND", "15/11/2024", "1.250", "12", "57-KL/TW"):
        assert fact in _words(out) or any(w.startswith(fact) for w in _words(out))
    assert [w for w in _words(out) if any(c.isdigit() for c in w)] == ["4155/KH-UBND", "15/11/2024", "1.250", "12", "57-KL/TW"]
    assert not repairable("2024") and not repairable("57-KL/TW") and not repairable("5G")
    assert repairable("d6i") and repairable("ctia")


def test_alignment_maps_every_token_to_its_verbatim_source_span():
    result = repair_text(DAMAGED)
    lines = DAMAGED.split("\n")
    assert result.tokens
    for t in result.tokens:
        assert lines[t.line][t.start:t.end] == t.source
        assert 0.0 <= t.confidence <= 1.0
    assert any(t.source == "ctia" and t.repaired == "của" for t in result.tokens)


def test_bad_input_no_crash_and_clean_parts_unchanged():
    assert repair_text("").text == ""
    assert repair_text("\n\n").text == "\n\n"
    english = "The committee will review the annual budget report and submit its findings next week.\n"
    assert repair_text(english).text == english
    long_line = ("ctia Bo Chinh tri " * 3000).strip()
    out = repair_text(long_line).text
    assert out.count("\n") == 0 and len(_words(out)) == len(_words(long_line))
    mixed = CLEAN + "\n" + DAMAGED + "\n" + CLEAN
    out = repair_text(mixed).text
    parts = out.split("\n")
    n = CLEAN.count("\n")
    assert "\n".join(parts[:n]) + "\n" == CLEAN
    assert "\n".join(parts[-n - 1:]) == CLEAN
    assert "của Bộ Chính trị" in out


def test_model_is_small_versioned_and_holds_no_sentences():
    assert MODEL_PATH.name == "model_v1.npz"
    assert MODEL_PATH.stat().st_size < 30_000_000
    with np.load(MODEL_PATH) as z:
        vocab = bytes(z["vocab"]).decode().split("\n")
        table = json.loads(bytes(z["channel"]).decode())["table"]
    assert all(" " not in w for w in vocab)
    assert all(" " not in o and all(" " not in s for s in row) for o, row in table.items())


def test_cli_repair_keeps_lines_and_json_alignment(tmp_path, capsys):
    f = tmp_path / "plan.txt"
    f.write_text(DAMAGED, encoding="utf-8")
    assert main(["repair", str(f)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == DAMAGED.count("\n") and "của Bộ Chính trị" in out
    assert main(["repair", str(f), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["changed"] > 0
    assert {"line", "start", "end", "source", "repaired", "confidence"} <= set(data["tokens"][0])


@pytest.mark.parametrize("content", [b"", b"   \n"])
def test_cli_repair_empty_file(tmp_path, capsys, content):
    f = tmp_path / "empty.txt"
    f.write_bytes(content)
    assert main(["repair", str(f)]) == 0
    assert capsys.readouterr().out.strip() == ""


def test_cli_repair_missing_file(tmp_path, capsys):
    assert main(["repair", str(tmp_path / "nope.txt")]) == 2
    assert "không tìm thấy" in capsys.readouterr().err


# --- display: quote_display, answers, Telegram ------------------------------------------------
OCR_QUOTE = "Bao cédo hoat dong thong tin d01 ngoai gui vé S¢ Thong tin va Truyén thong trude ngay 15/11/2024"


def _citation(quote: str):
    from rag.types import Citation

    return Citation(id=1, source="plan.txt", doc_title="Kế hoạch", section="V.2", section_label="Mục V, khoản 2",
                    section_title="", quote=quote)


def test_citation_quote_stays_verbatim_and_display_is_repaired():
    damaged = _citation(OCR_QUOTE)
    assert damaged.quote == OCR_QUOTE
    assert damaged.quote_display != OCR_QUOTE
    assert "hoạt động thông tin đối ngoại" in damaged.quote_display and "15/11/2024" in damaged.quote_display
    assert len(damaged.quote_display.split()) == len(OCR_QUOTE.split())
    clean = _citation("Báo cáo kết quả thực hiện trước ngày 15/11/2024.")
    assert clean.quote_display == clean.quote


def test_answer_text_shows_repaired_passage_and_citation_keeps_quote():
    from rag.types import Answer, AnswerMode

    answer = Answer(question="q", answer=f"Theo Mục V, khoản 2: {OCR_QUOTE} [1]", abstained=False,
                    mode=AnswerMode.EXTRACTIVE, citations=[_citation(OCR_QUOTE)])
    assert OCR_QUOTE not in answer.answer and answer.citations[0].quote_display in answer.answer
    assert answer.to_contract()["citations"][0]["quote"] == OCR_QUOTE


def test_telegram_shows_repaired_text_with_verbatim_ocr_one_tap_away():
    from bot.render.telegram import answer_html, section_html
    from rag.types import Answer, AnswerMode

    html_text = section_html("Huế 2024", "Kế hoạch", "V.2", "Mục V, khoản 2", "", 1, 2, OCR_QUOTE)
    assert "đối ngoại" in html_text and "d01" not in html_text
    original = section_html("Huế 2024", "Kế hoạch", "V.2", "Mục V, khoản 2", "", 1, 2, OCR_QUOTE, original=True)
    assert "Văn bản gốc (OCR)" in original and OCR_QUOTE in original
    clean = section_html("Huế 2025", "Kế hoạch", "V.2", "Mục V, khoản 2", "", 1, 2, "Báo cáo trước ngày 15/11/2025.")
    assert "OCR" not in clean
    answer = Answer(question="q", answer="Xem [1].", abstained=False, mode=AnswerMode.EXTRACTIVE, citations=[_citation(OCR_QUOTE)])
    shown = answer_html(answer, lambda s: s)
    assert "đối ngoại" in shown and "Văn bản gốc (OCR)" in shown


def test_short_clean_passage_without_vietnamese_only_letters_is_not_repaired():
    from index.ocr_repair import display_form

    for clean in ("Cà Mau, Kiên Giang", "Giao cho các xã thi hành", "Ban hành theo Quyết định số 12/QĐ-UBND"):
        assert display_form(clean) == clean
    assert display_form("ctia Bo Chinh tri vé tiép tuc") != "ctia Bo Chinh tri vé tiép tuc"


# --- residue of real scans: lone symbols and digits for letters (index/ocr_repair/decoder.py) -------
def test_scan_residue_lone_symbols_and_digits_for_letters_are_repaired():
    from index.ocr_repair import repair_text

    text = ("Chu tri, phdi hop voi cac co quan, don vi ¢ lién quan t6 chirc bién dich cac an pham\n"
            "cong déng ngudi Viét Nam & nudc ngoai\n"
            "¢) Phdi hop voi cac co quan lién quan")
    out = repair_text(text).text.split("\n")
    assert "đơn vị có liên quan" in out[0]
    assert "Việt Nam ở nước ngoài" in out[1]
    assert out[2].startswith("c) ")  # a point's letter, as the parser reads it


def test_scan_residue_repair_never_touches_numbers_dates_or_codes():
    from index.ocr_repair import load_repairer, repair_text

    repairer = load_repairer()
    for token in ("2024", "15/11/2024", "10ha", "15km", "16h", "3C", "5G", "57-KL/TW", "4155/KH-UBND", "601"):
        assert not repairer.misread_word(token), token
    text = ("Bao céo gui vé S¢ Thong tin va Truyén thong trudc ngay 15/11/2024; dién tich 10ha, 15km\n"
            "duong, 16h ngay 3C, mang 5G, Két luan s6 57-KL/TW, Ké hoach 4155/KH-UBND, 601 nguoi")
    out = repair_text(text).text
    for kept in ("15/11/2024", "10ha", "15km", "16h", "3C", "5G", "57-KL/TW", "4155/KH-UBND", "601"):
        assert re.search(rf"(?<!\S){re.escape(kept)}(?=[\s,;.]|$)", out), (kept, out)


def test_scan_residue_digit_words_colon_horn_and_same_shape_capitals():
    from index.ocr_repair import repair_text

    text = ("- Phdi hop Vo1 cac co quan co lién quan trién khai ké hoach cua dia phu:ong da dugc phé duyét.\n"
            "dung tra 161 phong van cta lanh dao tinh; thong tin 601 ngoai va cung cap thong tin\n"
            "16n cta dat nudc; cac hoat dong ky niém nhitng ngay 1& 16n cua tinh")
    out = repair_text(text).text.split("\n")
    assert "Phối hợp với các cơ quan" in out[0]  # "Vo1": a capital V for a small v, inside a sentence
    assert "địa phương" in out[0]  # "u:o": the horns printed as a colon
    assert "trả lời phỏng vấn" in out[1] and "thông tin đối ngoại" in out[1]
    assert out[2].startswith("lớn của đất nước") and "ngày lễ lớn" in out[2]


def test_a_same_shape_capital_before_a_name_is_still_a_small_letter():
    from index.ocr_repair import repair_text

    # "Về" mid-sentence before a body's name (the README's example passage): "về", not "Về"
    out = repair_text("2. Bao cao hoat dong thong tin déi ngoai gui Ve S¢ Thong tin va Truyén thong "
                      "trude ngay 15/11/2024.").text
    assert "gửi về Sở Thông tin" in out and "Về" not in out


def test_numbers_between_words_stay_numbers():
    from index.ocr_repair import repair_text

    text = ("b) Trong 15 ngay ké tir ngay nudc rut, chu tri; trong vong 24 gio, co 18 xa va 161 nguoi\n"
            "duoc ho tro 10 trieu dong mdi ho; Dy an 13 cua Chuong trinh, Muc 16 cua Ké hoach 4155/KH-UBND,\n"
            "hoan thanh truéc ngay 15/11/2024; tuan 3 thang 10; Sé Noi vu (601 ngudi)")
    out = repair_text(text).text
    for kept in (" 15 ", " 24 ", " 18 ", " 161 ", " 10 ", " 13 ", "Mục 16", "4155/KH-UBND", "15/11/2024", "(601"):
        assert kept in out, (kept, out)


def test_same_shape_capital_of_a_name_stays():
    from index.ocr_repair import repair_text

    out = repair_text("phdi hop voi So Thong tin va Truyén thong, Cong an tinh va cac Co quan lién quan").text
    assert "Sở Thông tin" in out and "Công an tỉnh" in out


def test_so_y_te_glued_keeps_its_y_and_scan_confusions_are_learnt():
    from index.ocr_repair import repair_text

    out = repair_text("3. S@Y té chu tri, phdi hop voi SOY té va cac boy\n"
                      "- Gitp Uy ban nhan dén tinh quan 1y phéng vién nudce ngoai").text.split("\n")
    assert out[0].startswith("3. Sở Y tế chủ trì") and out[0].count("Sở Y tế") == 2  # "SOY": ở read as a capital O
    assert out[0].endswith("các boy")  # a lower-case y is not a glued "Y"
    # "dén" = "dân" in real scans (scan_table.json, learnt by scripts/scan_pairs.py)
    assert "Ủy ban nhân dân tỉnh" in out[1]


def test_a_capital_word_in_a_sentence_is_capitalised_not_shouted():
    from index.ocr_repair import repair_text

    # "ở" read as a capital G or O makes the whole word capitals: inside a sentence it is "Sở"
    out = repair_text("bao cao tién d6 vé SG Noi vu; déng gti SO Khoa hoc va Cong nghé").text
    assert "về Sở Nội vụ" in out and "gửi Sở Khoa học" in out and "SỞ" not in out
    # a heading in capitals stays in capitals
    assert repair_text("CHE DO THONG TIN, BAO CAO").text == "CHẾ ĐỘ THÔNG TIN, BÁO CÁO"


def test_a_dropped_stacked_vowel_is_restored_when_its_reading_dominates():
    from index.ocr_repair import repair_text
    from index.ocr_repair.decoder import OcrRepairer, Settings

    text = "Xay dung chuyén trang, chuyén muc tuyén truyén vé truy xuat\nnguon g6c, it nhat 01 chuyén muc mi thang."
    # "mỗi" printed "mi": no reading reaches one half, but "mỗi" dominates the token as printed
    assert "mỗi tháng" in repair_text(text).text
    assert "mi tháng" in OcrRepairer(settings=Settings(dominant_ratio=1e9)).repair(text).text
