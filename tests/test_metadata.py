"""Document metadata read the Decree 30/2020/NĐ-CP way, through OCR damage and bad input."""

from __future__ import annotations

import pytest

from eval.metadata_eval import SHARED_PLANS_DIR, metadata_scores, plan_texts
from index.chunking import chunk_plan
from index.store import DocRecord
from index.structure import parse_plan
from planbot import SAMPLE_PLANS_DIR

HEADER = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
          "Số: 141/KH-UBND\nBắc Ninh, ngày 20 tháng 11 năm 2025\n")
BODY = ("I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nNâng cao hiệu quả công tác ở Hà Nội và Thái Bình.\n"
        "II. TỔ CHỨC THỰC HIỆN\n1. Sở Khoa học và Công nghệ chủ trì, báo cáo trước ngày 15/12/2026.\n"
        "Nơi nhận:\n- Như trên;\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n")


def meta(text: str):
    return parse_plan(text, "plan.txt").meta


def test_the_decree_30_header():
    m = meta(HEADER + "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ TỈNH BẮC NINH NĂM 2026\nCăn cứ Luật Tổ chức chính quyền địa phương;\n" + BODY)
    assert (m.issuer, m.province, m.number, m.signed, m.place) == (
        "UBND tỉnh Bắc Ninh", "Bắc Ninh", "141/KH-UBND", "2025-11-20", "Bắc Ninh")
    assert (m.doc_type, m.years, m.signer) == ("Kế hoạch", (2026,), "Nguyễn Văn An")
    assert m.signer_authority == "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    assert m.title == "Kế hoạch chuyển đổi số tỉnh Bắc Ninh năm 2026" and m.year == 2026


def test_issuer_columns_joined_on_one_line():
    m = meta("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH SỞ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc\n"
             "Số: 1234/KH-SYT Hà Tĩnh, ngày 02 tháng 12 năm 2025\nKẾ HOẠCH\nPHÒNG CHỐNG SỐT XUẤT HUYẾT NĂM 2026\n"
             + BODY.replace("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC").replace("TM. ỦY BAN NHÂN DÂN\n", ""))
    assert (m.issuer, m.province, m.number, m.signed, m.place) == (
        "Sở Y tế tỉnh Hà Tĩnh", "Hà Tĩnh", "1234/KH-SYT", "2025-12-02", "Hà Tĩnh")
    assert m.signer_authority == "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" and m.years == (2026,)


def test_a_department_and_a_city_issue_plans_too():
    dept = meta("UBND TỈNH HÀ TĨNH\nSỞ Y TẾ\nSố: 25/KH-SYT\nHà Tĩnh, ngày 05 tháng 12 năm 2025\nKẾ HOẠCH\n"
                "PHÒNG CHỐNG DỊCH BỆNH NĂM 2026\n" + BODY)
    assert (dept.issuer, dept.province, dept.number, dept.signed) == (
        "Sở Y tế tỉnh Hà Tĩnh", "Hà Tĩnh", "25/KH-SYT", "2025-12-05")
    city = meta("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 310/KH-UBND\nHà Nội, ngày 24 tháng 11 năm 2025\n"
                "KẾ HOẠCH\nPHÁT TRIỂN HẠ TẦNG 5G ĐẾN NĂM 2030\n" + BODY)
    assert (city.issuer, city.province, city.years, city.horizon) == ("UBND thành phố Hà Nội", "Hà Nội", (), 2030)
    cited = meta(HEADER + "KẾ HOẠCH\nTHỰC HIỆN NGHỊ QUYẾT SỐ 47/NQ-CP VỀ CHƯƠNG TRÌNH HÀNH ĐỘNG ĐẾN NĂM 2030\n" + BODY)
    assert (cited.years, cited.horizon) == ((), None)  # the cited document's horizon


@pytest.mark.parametrize(("left", "issuer", "province", "quote"), [
    # a committee under the provincial header: the body issues, the province is the parent's
    ("UBND TỈNH BÀ RỊA - VŨNG TÀU\nBAN CHỈ ĐẠO LỄ HỘI VĂN HÓA - DU LỊCH BIỂN\nVÀ GIẢI ĐUA THUYỀN NĂM 2024",
     "Ban Chỉ đạo lễ hội văn hóa - du lịch biển và giải đua thuyền năm 2024 tỉnh Bà Rịa - Vũng Tàu",
     "Bà Rịa - Vũng Tàu", "BAN CHỈ ĐẠO LỄ HỘI VĂN HÓA - DU LỊCH BIỂN\nVÀ GIẢI ĐUA THUYỀN NĂM 2024"),
    # the name's own trailing "TỈNH" is no second province
    ("UBND TỈNH PHÚ YÊN\nBAN CHỈ ĐẠO PHỔ CẬP GIÁO DỤC,\nXÓA MÙ CHỮ TỈNH",
     "Ban Chỉ đạo phổ cập giáo dục, xóa mù chữ tỉnh Phú Yên", "Phú Yên",
     "BAN CHỈ ĐẠO PHỔ CẬP GIÁO DỤC,\nXÓA MÙ CHỮ TỈNH"),
    ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH\nHỘI ĐỒNG PHỐI HỢP PHỔ BIẾN, GIÁO DỤC PHÁP LUẬT",
     "Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh Hà Tĩnh", "Hà Tĩnh",
     "HỘI ĐỒNG PHỐI HỢP PHỔ BIẾN, GIÁO DỤC PHÁP LUẬT"),
    ("UBND TỈNH HÀ TĨNH\nSỞ Y TẾ", "Sở Y tế tỉnh Hà Tĩnh", "Hà Tĩnh", "SỞ Y TẾ"),
])
def test_a_body_under_the_provincial_header_issues_the_plan_of_that_province(left, issuer, province, quote):
    m = meta(left + "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 05/KH-BCĐ\n"
             "Hà Tĩnh, ngày 12 tháng 9 năm 2024\nKẾ HOẠCH\nTỔ CHỨC LỄ HỘI NĂM 2024\n" + BODY)
    assert (m.issuer, m.province, m.number) == (issuer, province, "05/KH-BCĐ")
    assert dict((f, t) for f, _, t in m.quotes)["issuer"] == quote


def test_an_unknown_province_is_kept_as_written_never_replaced_by_a_known_one():
    m = meta(HEADER.replace("TỈNH BẮC NINH", "TỈNH ĐẮK TÂN").replace("Bắc Ninh, ngày", "Đắk Tân, ngày")
             + "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ NĂM 2026\n" + BODY)  # the body names Hà Nội and Thái Bình
    assert (m.province, m.issuer, m.place) == ("Đắk Tân", "UBND tỉnh Đắk Tân", "Đắk Tân")
    assert DocRecord.from_json(DocRecord(m, 3).to_json()).meta == m


def test_ocr_header_with_merged_columns_and_a_handwritten_day():
    m = meta("UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM\nTINH BAC NINH Poc lap - Tu do - Hanh phuc\n"
             "$6: 141 /KH-UBND Bac Ninh, ngay A8 théng € nam 2025\nKE HOACH\n"
             "Thuc hién Két luan sé 57-KL/TW vé thong tin dbi ngoai nam 2026\n\n" + BODY)
    assert (m.province, m.issuer, m.number, m.place) == ("Bắc Ninh", "UBND tỉnh Bắc Ninh", "141/KH-UBND", "Bắc Ninh")
    assert m.signed is None and m.signed_year == 2025  # "A8 théng €": never guessed
    assert m.years == (2026,)


def test_a_blank_day_gives_the_year_but_no_date():
    m = meta(HEADER.replace("ngày 20 tháng 11", "ngày     tháng 11") + "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ NĂM 2026\n" + BODY)
    assert (m.signed, m.signed_year, m.place, m.number) == (None, 2025, "Bắc Ninh", "141/KH-UBND")
    m = meta(HEADER.replace("ngày 20 tháng 11", "ngày    tháng   ") + "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ NĂM 2026\n" + BODY)
    assert (m.signed, m.signed_year) == (None, 2025)


@pytest.mark.parametrize(("title", "years"), [
    ("Thong tin dbi ngoai tinh Bac Ninh nim 2026", (2026,)),  # OCR
    ("CHUYỂN ĐỔI SỐ NĂM 2026", (2026,)),
    ("XUẤT KHẨU GIAI ĐOẠN 2026 - 2030", (2026, 2027, 2028, 2029, 2030)),
    ("PHÁT TRIỂN 5G GIAI ĐOẠN 2026 – 2030, TẦM NHÌN ĐẾN NĂM 2045", (2026, 2027, 2028, 2029, 2030)),
    ("PHÒNG, CHỐNG MA TÚY ĐẾN NĂM 2030", ()),  # a horizon
    ("THỰC HIỆN NGHỊ QUYẾT SỐ 163/2024/QH15 CỦA QUỐC HỘI", ()),  # a cited document's year
    ("THỰC HIỆN CHỈ THỊ SỐ 27/CT-TTG NGÀY 15 THÁNG 8 NĂM 2024", ()),  # a cited document's date
    ("KIỂM KÊ TÀI SẢN CÔNG THỜI ĐIỂM 0H00 NGÀY 01 THÁNG 01 NĂM 2026", ()),  # a reference date
    ("NHIỆM VỤ TRỌNG TÂM CUỐI NĂM 2025", (2025,)),
    ("CÔNG TÁC 6 THÁNG CUỐI NĂM 2025", (2025,)),
    ("TUYỂN SINH NĂM HỌC 2025 - 2026", (2025, 2026)),
    ("GIẢM NGHÈO GIAI ĐOẠN 2021-2025 VÀ ĐỊNH HƯỚNG ĐẾN NĂM 2030", (2021, 2022, 2023, 2024, 2025)),
])
def test_the_years_a_plan_covers(title, years):
    assert meta(HEADER + f"KẾ HOẠCH\n{title}\n" + BODY).years == years


def test_the_plans_own_time_section_gives_its_years_when_the_title_does_not():
    body = BODY.replace("II. TỔ CHỨC", "II. THỜI GIAN THỰC HIỆN\nTừ nay đến hết năm 2027.\nIII. TỔ CHỨC")
    assert meta(HEADER + "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ\n" + body).years == (2025, 2026, 2027)
    # a task's own "- Thời gian thực hiện:" line is that task's, not the plan's
    task = BODY.replace("Nâng cao hiệu quả", "- Thời gian thực hiện: Năm 2026 và các năm tiếp theo.\nNâng cao")
    assert meta(HEADER + "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ\n" + task).years == ()


# --- bad input: sensible metadata, no crash ------------------------------------------------------
def test_a_plan_without_header():
    plan = parse_plan("Kế hoạch thông tin đối ngoại tỉnh Nghệ An năm 2026\n\n" + BODY, "x.txt")
    m = plan.meta
    assert (m.province, m.years, m.number, m.signed, m.issuer) == ("Nghệ An", (2026,), None, None, None)
    body_only = parse_plan(BODY, "y.txt")
    assert body_only.meta.province is None and body_only.meta.number is None and body_only.meta.years == ()
    assert [p.path for p in body_only.parts] == ["I", "II"]


def test_a_header_only():
    plan = parse_plan(HEADER + "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ NĂM 2026\n", "x.txt")
    assert (plan.meta.number, plan.meta.years, plan.meta.signer) == ("141/KH-UBND", (2026,), None)
    assert plan.parts == [] and chunk_plan(plan)  # the title is still searchable


def test_two_plans_pasted_in_one_file_take_the_first_header():
    second = HEADER.replace("141/KH-UBND", "99/KH-UBND").replace("TỈNH BẮC NINH", "TỈNH LẠNG SƠN")
    plan = parse_plan(HEADER + "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ NĂM 2026\n" + BODY + second
                      + "KẾ HOẠCH\nGIẢM NGHÈO NĂM 2027\n" + BODY, "x.txt")
    assert (plan.meta.number, plan.meta.province, plan.meta.years) == ("141/KH-UBND", "Bắc Ninh", (2026,))
    assert chunk_plan(plan)


def test_numbering_that_starts_at_II_and_sub_items():
    body = BODY.replace("I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n", "II. NHIỆM VỤ\n1. Hạ tầng\n1.1. Trung tâm dữ liệu\n"
                        "1.2. Mạng 5G\n")
    plan = parse_plan(HEADER + "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ NĂM 2026\n" + body, "x.txt")
    paths = [s.path for s in plan.sections()]
    assert "II.1.1" in paths and "II.1.2" in paths
    assert (plan.meta.number, plan.meta.years) == ("141/KH-UBND", (2026,))


@pytest.mark.parametrize("text", ["", "\n\n", "   ", "KẾ HOẠCH", "Số:", "Số: /KH-UBND", ", ngày tháng năm",
                                  "TM. ỦY BAN NHÂN DÂN", "I.\n1.\na)", "PHỤ LỤC\n1 | x"])
def test_fragments_do_not_crash(text):
    m = parse_plan(text, "x.txt").meta
    assert m.source == "x.txt" and m.signed is None


# --- the gold ----------------------------------------------------------------------------------
def test_gold_metadata_of_the_sample_plans_is_exact():
    scores = metadata_scores(plan_texts((SAMPLE_PLANS_DIR,)))
    assert scores["plans"] == 4
    assert not scores["differences"], scores["differences"]


@pytest.mark.skipif(not SHARED_PLANS_DIR.is_dir(), reason="../shared/plans is not present")
def test_gold_metadata_of_the_real_plans_is_exact():
    scores = metadata_scores()
    assert scores["plans"] == 23
    for name in ("province", "number", "signed", "years"):
        assert scores["fields"][name]["exact"] == scores["fields"][name]["total"], scores["differences"]


def test_records_written_before_the_metadata_fields_still_load_and_are_read_again():
    old = ('{"source": "vinh-phuc-2024.txt", "title": "Kế hoạch", "province": "Vĩnh Phúc", "year": 2024, '
           '"number": "4155/KH-UBND", "sha256": "ab", "n_chunks": 31, "warnings": [], "ingested_at": 0}')
    record = DocRecord.from_json(old)
    assert (record.meta.years, record.meta.year, record.meta.issuer, record.meta.signed) == ((2024,), 2024, None, None)
    assert record.meta.model_version == 0  # so ingest reads the unchanged file again (index/ingest.py)


def test_the_header_block_is_metadata_not_a_passage():
    plan = parse_plan(HEADER + "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ NĂM 2026\nCăn cứ Luật Tổ chức chính quyền địa phương;\n" + BODY,
                      "x.txt")
    assert plan.header_lines == 6
    first = chunk_plan(plan)[0]
    assert first.section == "preamble" and first.start_line == 7 and first.text.startswith("KẾ HOẠCH")
    assert not any("Số: 141/KH-UBND" in c.text or "CỘNG HÒA" in c.text for c in chunk_plan(plan))
    # without a header block nothing is left out
    bare = parse_plan("Kế hoạch chuyển đổi số năm 2026\n" + BODY, "y.txt")
    assert bare.header_lines == 0 and chunk_plan(bare)[0].start_line == 1


def test_a_steering_committee_signs_through_its_deputy_head():
    # "TM. BAN CHỈ ĐẠO" names a collegial body, not a title; the head's title line carries a
    # qualifier ("THƯỜNG TRỰC") and a second post follows it before the name
    m = meta("ỦY BAN NHÂN DÂN TỈNH BẮC NINH\nSố: 03/KH-BCĐ\nKẾ HOẠCH\nTổng điều tra năm 2025\n"
             + BODY.replace("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An",
                            "TM. BAN CHỈ ĐẠO\nPHÓ TRƯỞNG BAN THƯỜNG TRỰC\nCỤC TRƯỞNG CỤC THỐNG KÊ\n\nPhạm Văn Thắng"))
    assert m.signer == "Phạm Văn Thắng"
    assert m.signer_authority is not None and m.signer_authority.startswith("TM. BAN CHỈ ĐẠO")
