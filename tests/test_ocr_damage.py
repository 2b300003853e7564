"""Reading plans through the damage Tesseract's English model does to rendered Vietnamese pages
(../shared/tools/ocr_channel.py): short synthetic snippets, one per kind of damage."""

import pytest

from lang.agencies import find_agencies, heading_agency
from lang.normalize import OCR_RULES, match_tokens


def test_so_y_glued_into_one_word_is_two_syllables() -> None:
    # "Sở Y tế" printed without the space after the horned o: "SOY té", "S@Y té"
    assert match_tokens("1. SOY té") == ["1", "so", "y", "te"]
    assert [m.name for m in find_agencies("Phéi hop S@Y té thaém dinh, lap tht tuc")] == ["Sở Y tế"]
    assert heading_agency("SOY té") == "Sở Y tế"


def test_glued_y_split_leaves_real_syllables_alone() -> None:
    # "oy" is no Vietnamese rhyme, but "oai", "uy", "y" are
    assert match_tokens("Quy định ngoài Sở Y tế") == ["quy", "dinh", "ngoai", "so", "y", "te"]
    assert match_tokens("SOY", rules=["symbols", "digits"]) == ["soy"]


def test_date_with_a_space_inside_a_number_is_read() -> None:
    from index.obligations import _deadline_in

    iso, words, flags = _deadline_in("Báo cáo kết quả về Sở Nội vụ trước ngày 15/1 1/2026.")
    assert (iso, flags) == ("2026-11-15", ())
    assert "15/1 1/2026" in words
    iso, _, _ = _deadline_in("Hoan thanh truéc ngay 1 5 thang 11 nam 2026")
    assert iso == "2026-11-15"


def test_clean_dates_and_document_numbers_unchanged() -> None:
    from index.obligations import _deadline_in

    assert _deadline_in("Hoàn thành trước ngày 15/11/2026.")[0] == "2026-11-15"
    # the date of a cited document is not a deadline, damaged or not
    assert _deadline_in("theo Kết luận số 57-KL/TW ngày 15/1 1/2023 của Bộ Chính trị")[0] is None
    assert _deadline_in("Hoàn thành trước ngày 1 2026")[0] is None


def test_points_closed_by_a_brace_or_bracket_are_points() -> None:
    from index.structure import parse_plan

    text = "\n".join([
        "KẾ HOẠCH", "Thực hiện nhiệm vụ năm 2026", "",
        "I. MỤC ĐÍCH, YÊU CẦU", "Bảo đảm thực hiện đúng tiến độ.",
        "TV. TỔ CHỨC THỰC HIỆN", "1. Sở Nội vụ",
        "a} Chủ trì tổng hợp kết quả;", "b] Báo cáo Ủy ban nhân dân tỉnh trước ngày 15/1 1/2026.",
        "c) Phối hợp với Sở Tài chính.",
    ])
    plan = parse_plan(text, "x.txt")
    paths = [s.path for part in plan.parts for s in part.walk()]
    assert paths == ["I", "II", "II.1", "II.1.a", "II.1.b", "II.1.c"]


def test_number_label_and_doubled_vowel_read_as_so() -> None:
    # "Số" printed "S06", "Hỗ" printed "HO6": the vowel, then its marks read as a digit
    assert match_tokens("S06: 208/KH-UBND") == ["so", "208", "kh", "ubnd"]
    assert match_tokens("HO6 tro") == ["ho", "tro"]
    # real doubled o ("boong") and numbers stay
    assert match_tokens("boong 100 2006 S0") == ["boong", "100", "2006", "so"]


def test_misread_a_before_o_reads_as_bao_cao() -> None:
    # "báo cáo" printed "bdo cdo", "đầu" printed "ddu"; "dbi" is still "đối"
    assert match_tokens("bdo cdo ddu dbi ngudi") == ["bao", "cao", "dau", "doi", "nguoi"]


def test_ocr_header_with_wrapped_date_and_s06_number() -> None:
    from index.metadata import extract_metadata

    text = ("UY BAN NHAN DAN TINH QUANG TRI CONG HOA XA HOI CHU\n"
            "NGHIA VIET NAM\nDoc lap - Tu do - Hanh\nphuc\n"
            "S06: 208/KH-UBND Quang Tri, ngay 08 thang\n9 nam 2026\n\nKE HOACH\n"
            "Ho tro nguoi dan khac phuc hau qua mua lu\n\nI. MUC DICH\n1. Bao dam an sinh.\n")
    meta = extract_metadata(text, "qt.txt")
    assert meta.number == "208/KH-UBND"
    assert meta.signed == "2026-09-08" and meta.signed_year == 2026
    text = text.replace("ngay 08 thang\n9 nam 2026", "ngay 08 thang 9\nnam 2026")
    assert extract_metadata(text, "qt.txt").signed == "2026-09-08"
    # a clean header on one line is read as before
    clean = text.replace("S06: 208/KH-UBND Quang Tri, ngay 08 thang 9\nnam 2026", "Số: 208/KH-UBND Quảng Trị, ngày 08 tháng 9 năm 2026")
    assert extract_metadata(clean, "qt.txt").signed == "2026-09-08"


OCR_TABLE_PLAN = (
    "KE HOACH\nPhat trién thuong mai dién tu nam 2026\n\nI. MUC TIEU\n1. Nang cao nang luc.\n"
    "II. TO CHUC THUC HIEN\n1. Sé Céng Thuong chu tri.\na) Chu tri xay dung Quy ché.\n"
    "Cc) Bao cdo Uy ban nhan dan tinh trudc ngay 15 hang thang.\n\n"
    "Phu luc I\nDANH MUC NHIEM VU\n\n"
    "STT | NOi dung nhiém vu | Co quan cht tri | Co quan phdéi hop |\nThoi gian thuc hién\n\n"
    "1 | Xay dung Quy ché quan ly, van hanh San giao dich thuong mai\n"
    "dién tt tinh | SO Céng Thuong | Sd Khoa hoc va Cong nghé; So Tu\nphap | Thang 6/2026\n\n"
    "2 | Tap huan ky nang ban hang trén nén tang s6 cho 3.000 luot\n"
    "nguoi | So Céng Thuong | UBND cac xa, phuong; Tinh doan | Quy\nII1/2026\n"
    "3 | Kiém tra, xt ly kinh doanh hang gia | Céng an tinh | So Cong Thuong | Hang quy\n"
)


def test_doubled_point_letter_is_the_point() -> None:
    from index.structure import parse_plan

    paths = [s.path for s in parse_plan(OCR_TABLE_PLAN, "ocr.txt").sections()]
    assert "II.1.c" in paths  # "Cc)" is point c


def test_ocr_rewrapped_table_rows_are_read_whole() -> None:
    from index.tables import row_fields, rows_with_headers

    table = OCR_TABLE_PLAN.split("DANH MUC NHIEM VU\n\n", 1)[1]
    table += ("4 | T6 chtic Tuan 1é néng san Gia Lai truc tuyén | SO Céng Thuong\n"
              "| So Nong nghiép va M6i truong; Hiép héi Doanh nghiép tinh |\nThang 8/2026\n")
    rows = [row_fields(h, r) for h, r in rows_with_headers(table)]
    assert [r.number for r in rows] == ["1", "2", "3", "4"]
    assert rows[0].deadline == "Thang 6/2026" and rows[0].cooperating.endswith("So Tu phap")
    assert rows[1].deadline == "Quy II1/2026"
    assert rows[3].lead == "SO Céng Thuong" and rows[3].deadline == "Thang 8/2026"


def test_clean_table_rows_read_one_line_each() -> None:
    from index.tables import row_fields, rows_with_headers

    clean = ("STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành\n"
             "A | Nhóm nhiệm vụ hạ tầng số\n"
             "1 | Xây dựng Quy chế quản lý sàn | Sở Công Thương | Sở Tư pháp | Tháng 6/2026\n"
             "B | Nhóm nhiệm vụ đào tạo nhân lực\n"
             "2 | Tập huấn kỹ năng bán hàng | Sở Công Thương | Tỉnh đoàn | Quý III/2026\n"
             "| Tổng cộng | 2 nhiệm vụ\n")
    rows = [row_fields(h, r) for h, r in rows_with_headers(clean)]
    assert len(rows) == 5 and rows[1].number == "1" and rows[3].number == "2"  # group and total rows stay rows
    assert rows[1].deadline == "Tháng 6/2026"


def test_ocr_title_rewrapped_over_blank_lines_is_read_and_repaired() -> None:
    from index.metadata import extract_metadata

    # OCR re-wraps each printed title line to the page width and leaves a blank line after it
    text = ("UY BAN NHAN DAN TINH QUANG TRI CONG HOA XA HOI CHU\nNGHIA VIET NAM\n"
            "S06: 208/KH-UBND Quang Tri, ngay 08 thang 9 nam 2026\n\nKE HOACH\n\n"
            "Hé tro nguoi dan, bao dam an sinh x4 hdi va khac phuc hau qua\nmua lu\n\n"
            "trén dia ban tinh Quang Tri mua mua bao nam 2026\n\n"
            "Can ct Luat Phong, chong thién tai ngay 19 thang 6 nam 2013;\n\n"
            "I. MUC DICH, YEU CAU\n1. Bao dam an sinh cho nguoi dan trong mua mua bao nam 2026.\n"
            "II. TO CHUC THUC HIEN\n1. S6 N6i vu chu tri, phéi hop véi cac so, nganh trién khai Ké hoach.\n")
    title = extract_metadata(text, "qt.txt").title
    assert title.startswith("Kế hoạch hỗ trợ người dân, bảo đảm an sinh xã hội"), title
    assert title.endswith("trên địa bàn tỉnh Quảng Trị mùa mưa bão năm 2026"), title
    assert "Căn cứ" not in title and "Can" not in title


def test_clean_title_stops_at_blank_line_before_a_capital() -> None:
    from index.metadata import extract_metadata

    text = ("ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\nSố: 208/KH-UBND\n\nKẾ HOẠCH\n"
            "Hỗ trợ người dân khắc phục hậu quả mưa lũ năm 2026\n\n"
            "Căn cứ Luật Phòng, chống thiên tai;\n\nI. MỤC ĐÍCH, YÊU CẦU\n1. Bảo đảm an sinh.\n")
    assert extract_metadata(text, "qt.txt").title == "Kế hoạch hỗ trợ người dân khắc phục hậu quả mưa lũ năm 2026"


def test_horned_uo_printed_ue_reads_as_uo() -> None:
    # "trước", "nước", "hướng", "thuốc" printed "truéc", "nuéc", "huéng", "thuéc"
    assert match_tokens("truéc ngay 15/12/2026, nuéc rut, huéng dan, thuéc") == [
        "truoc", "ngay", "15", "12", "2026", "nuoc", "rut", "huong", "dan", "thuoc"]
    # real "uê" syllables end the syllable or take "ch"/"nh"; after "q" the u is the onset's
    assert match_tokens("thuê tuệ khuếch huênh quen quét Huế") == ["thue", "tue", "khuech", "huenh", "quen", "quet", "hue"]
    assert match_tokens("truéc", rules=[r for r in OCR_RULES if r != "ue_uo"]) == ["truec"]


def test_ocr_deadline_after_horned_uo_printed_ue_is_read() -> None:
    from index.obligations import _deadline_in

    assert _deadline_in("Téng hop két qua, bdo cdo Uy ban nhan dan tinh truéc ngay 15/12/2026.")[0] == "2026-12-15"


def test_ocr_damaged_body_heads_name_bodies_outside_the_lexicon() -> None:
    from lang.agencies import find_bodies

    # heads of two or more syllables, and "Phòng", whatever marks OCR left on them
    assert [m.name for m in find_bodies("1. Chi cuc Chan nu6i va Tht y")] == ["Chi cuc Chan nu6i va Tht y"]
    assert [m.name for m in find_bodies("2. Bénh vién Da khoa tinh")] == ["Bénh vién Da khoa tinh"]
    assert [m.name for m in find_bodies("4. Phong Nghiép vu Y, So Y té")] == ["Phong Nghiép vu Y", "Sở Y tế"]
    # unmarked common words are no heads: "Phòng, chống", one-syllable heads, lower case
    assert find_bodies("Phong, chéng thién tai va tim kiém cttu nan") == []
    assert find_bodies("ban chi dao cac cap va chi cuc kiem lam") == []
    # a dash inside a name goes on with it ("Phòng Tài chính - Kế hoạch" is one office)
    assert [m.name for m in find_bodies("Phòng Tài chính - Kế hoạch chủ trì")] == ["Phòng Tài chính - Kế hoạch"]


def test_ocr_title_with_words_left_unread_is_built_instead() -> None:
    from index import metadata

    # the repair leaves two words unread: the title is built from the number, province and year
    assert metadata._repaired_title("Trién khai Chlro'ng trinh hanh déng cua Chinh phtit Xyzq nam 2026") is None
    assert metadata._repaired_title("Phat trién du lich tinh Tay Ninh nam 2026") == "Phát triển du lịch tỉnh Tây Ninh năm 2026"


def test_item_period_read_as_comma_is_the_next_item() -> None:
    from index.structure import parse_plan

    text = "\n".join([
        "KẾ HOẠCH", "Phát triển du lịch cộng đồng năm 2026", "",
        "I. NHIỆM VỤ", "1. Sở Văn hóa, Thể thao và Du lịch", "Chủ trì xây dựng sản phẩm du lịch.",
        "2, Sở Tài chính", "Bố trí kinh phí trong các tháng", "3, 4 và 5 năm 2026.",
        "4, trong quý III", "5, Công an tỉnh", "Bảo đảm an ninh.",
    ])
    paths = [s.path for s in parse_plan(text, "x.txt").sections()]
    # "2," follows 1 with a capital: item 2; "3, 4 và 5" starts with a digit (a wrapped line), so
    # "4, trong" (small letter) and "5," (not the next number) stay text
    assert [p for p in paths if p.startswith("I.")] == ["I.1", "I.2"]


@pytest.mark.parametrize(("text", "due"), [
    ("Thời gian hoàn thành: Quy 11/2027", "2027-06-30"),  # II read as "11"
    ("Thời gian hoàn thành: Quy ITI/2027", "2027-09-30"),  # III read as "ITI"
    ("Thời gian hoàn thành: quý 1V/2027", "2027-12-31"),
    ("Thời gian hoàn thành: Quý I/2027", "2027-03-31"),
    ("Thời gian hoàn thành: Quý 4/2027", "2027-12-31"),
])
def test_ocr_roman_quarter_is_read(text: str, due: str) -> None:
    from index.obligations import period_deadlines

    assert [d for d, _ in period_deadlines(text)] == [due]


def test_number_that_cannot_be_a_quarter_is_no_quarter() -> None:
    from index.obligations import period_deadlines

    assert period_deadlines("Thời gian hoàn thành: quý 12/2027") == []


# An appendix printed as a pipe table and re-wrapped by OCR: a row's first line may hold only its
# STT and the start of its task, its tail ("Quy 11/2027 |") may stand alone.
OCR_PIPE_TABLE_PLAN = (
    "KE HOACH\nPhat trién du lich cong déng nam 2027\n\nI. MUC TIEU\n1. Thu hut khach.\n"
    "II. TO CHUC THUC HIEN\n1. So Van hoa chu tri.\n\n"
    "PHU LUC\nDANH MUC NHIEM VU\n\n"
    "| STT | N6i dung nhiém vu | Co quan cht tri | Co quan phéi hop | Thoi gian hoan thanh |\n\n"
    "| I | NHOM NHIEM VU VE QUANG BA | | | |\n\n"
    "| 1 | Xay dung bo nhan dién du lich cong\n\n"
    "déng cua tinh | So Van hoa | So Tai chinh |\nQuy 11/2027 |\n\n"
    "| 2 | T6 chttc hoi cho du lich | So Van hoa | Cac xa |\nThang 9/2027 |\n"
    "| II | NHOM NHIEM VU VE DAO TAO | | | |\n"
    "| 1 | Tap huan ky nang cho 200 ho\n\n"
    "dan lam du lich | So Van hoa | Truong Cao dang | Quy ITI/2027 |\n"
)


def test_ocr_rewrapped_pipe_table_rows_are_rows_of_their_groups() -> None:
    from index.structure import parse_plan

    plan = parse_plan(OCR_PIPE_TABLE_PLAN, "ocr.txt")
    rows = [s for s in plan.sections() if s.path.startswith("PL1.")]
    # the header is no row; each "| <STT> |" line opens one
    assert [r.heading.split("|")[1].strip() for r in rows] == ["I", "1", "2", "II", "1"]
    assert "Quy 11/2027" in " ".join(rows[1].lines)  # the wrapped tail stays in its row
    assert "T6 chttc" not in " ".join(rows[1].lines)
    assert "dan lam du lich" in " ".join(rows[4].lines)


# A plan of another province and topic, numbered by "Phần I", as the English OCR model prints it:
# the word loses its hat ("PHAN", "Phan"), a numeral gains a bracket ("III]."), a sub-item's period
# becomes a comma ("2.2,").
OCR_WORD_PARTS_PLAN = "\n".join([
    "KE HOACH", "Phat trién nghé thii céng my nghé nam 2027", "",
    "Can ctr Luat Doanh nghiép ngay 17 thang 6 nam 2020;", "",
    "PHAN I. MUC DICH, YEU CAU", "", "1. Muc dich", "", "1.1. Bao tén lang nghé truyén théng.", "",
    "Phan II. NHIEM VU", "", "1. Nhém nhiém vu dao tao", "",
    "1.1. Day nghé cho lao déng néng thén", "", "- Co quan cht tri: S6 Néi vu.", "",
    "1.2, Tap huan thiét ké mau ma", "", "- Co quan cht tri: S6 Cong Thuong.", "",
    "Phan III]. KINH PHI", "", "1. Tong kinh phi 1a 900 triéu dong.", "",
    "Phan IV. TO CHUC THUC HIEN", "", "1. Cac so, nganh theo chirc nang thuc hién.",
])


def test_ocr_word_parts_and_comma_sub_items_are_read() -> None:
    from index.structure import parse_plan

    paths = [s.path for s in parse_plan(OCR_WORD_PARTS_PLAN, "ocr.txt").sections()]
    assert paths == ["preamble", "I", "I.1", "I.1.1", "II", "II.1", "II.1.1", "II.1.2", "III", "III.1", "IV", "IV.1"]


def test_sentence_opening_with_phan_is_no_part() -> None:
    from index.structure import parse_plan

    text = "\n".join(["KẾ HOẠCH", "Phát triển nghề năm 2027", "PHẦN I. MỤC ĐÍCH", "1. Bảo tồn nghề",
                      "PHẦN II. NHIỆM VỤ", "1. Đào tạo nghề", "Phấn III. ĐẤU", "Phần kinh phí còn lại chuyển sang năm sau.",
                      "PHẦN III. TỔ CHỨC THỰC HIỆN"])
    paths = [s.path for s in parse_plan(text, "x.txt").sections()]
    # "Phấn" is no "Phần" (hat and accent both there, and wrong); a small-letter sentence no part
    assert paths == ["preamble", "I", "I.1", "II", "II.1", "III"]


# A body task table ("STT | Nội dung | Chủ trì | …" directly under a part) whose rows and header an
# OCR'd copy re-wrapped to the page width, with blank lines inside rows and cells on lines of their own.
OCR_BODY_TABLE_PLAN = "\n".join([
    "KE HOACH", "Phong, chong han han nam 2027", "",
    "I. MUC DICH", "", "1. Chu déng ting pho han han.", "",
    "II. NHIEM VU VA PHAN CONG", "", "Cac nhiém vu duoc phan cong nhu sau:",
    "STT | N6i dung | Don vi chu tri | Don vi phéi hop |", "", "Thoi gian | Bao cao", "",
    "1 | Nao vét kénh muong noi déng | UBND cac huyén | Cong ty Thuy loi |", "",
    "Thang 3/2027 | Bao cao Sé Nong nghiép", "va Moi truong", "",
    "2 | Lap phuong an cap nuéc sinh hoat | Sé Xay dung | UBND cac xa",
    "| Quy II/2027 | Khong", "",
    "3 | Kiém tra do man trén séng | Chi cuc Thuy loi | Dai Khi tuong", "Thuy van tinh | Hang tuan |",
    "2 | don vi bao cao", "",
    "III. TO CHUC THUC HIEN", "", "1. Cac don vi theo chirc nang trién khai.",
])


def test_ocr_rewrapped_body_task_table_rows_are_sections() -> None:
    from index.structure import parse_plan

    plan = parse_plan(OCR_BODY_TABLE_PLAN, "ocr.txt")
    paths = [s.path for s in plan.sections()]
    assert paths == ["preamble", "I", "I.1", "II", "II.1", "II.2", "II.3", "III", "III.1"]
    rows = {s.path: " ".join(s.lines) for s in plan.sections()}
    assert "va Moi truong" in rows["II.1"] and "Quy II/2027" in rows["II.2"]
    assert "2 | don vi bao cao" in rows["II.3"]  # a figure wrapped to the line's start is no row 2 after row 3


def test_lone_small_letter_opening_a_wrapped_line_is_no_lettered_row() -> None:
    from index.structure import parse_plan

    text = (
        "KE HOACH\nKiém soat dich bénh thuy san nam 2027\n\nI. MUC TIEU\n1. Giam thiét hai.\n"
        "II. TO CHUC THUC HIEN\n1. Cac so thuc hién.\n\n"
        "Phu luc 1\nDANH MUC NHIEM VU\n\n"
        "STT | Nhiém vu | Co quan chu tri | Co quan phéi hop | Thoi gian\n"
        "1 | Giam sat bénh trén tom nuéi | Chi cuc Thuy san va Tht\n\n"
        "y | Trung tam Khuyén nong, UBND huyén Ba Tri |\nQuy III/2027\n\n"
        "2 | Lap ké hoach tiém phong | Chi cuc Thuy san | Cac xa | Quy I/2027\n"
        "a | Vung nuéi tap trung | Chi cuc Thuy san | Cac xa | Quy I/2027\n"
        "b | Vung nuéi nho lé | UBND cac xa | Cac ho | Quy II/2027\n"
    )
    rows = [s for s in parse_plan(text, "ocr.txt").sections() if s.path.startswith("PL1.")]
    # "Thú y" wrapped after "Thu": its "y" opens no row; "a", "b" are lettered rows
    assert [s.heading.split(" | ")[0] for s in rows] == ["1", "2", "a", "b"]
    assert "Trung tam Khuyén nong" in " ".join(rows[0].lines)


@pytest.mark.parametrize(("printed", "read"), [
    ("Cac chu ritng", ["cac", "chu", "rung"]), ("rvng phong ho", ["rung", "phong", "ho"]),
    ("nhitng viéc", ["nhung", "viec"]), ("phat trién bén vitng", ["phat", "trien", "ben", "vung"]),
    ("Kiém soat ctra khau", ["kiem", "soat", "cua", "khau"]), ("phong ngtra, chtra chay", ["phong", "ngua", "chua", "chay"]),
    ("chiva chay ring gitta mia", ["chua", "chay", "ring", "giua", "mia"]),
    ("muta kh6, mtia mua", ["mua", "kho", "mua", "mua"]),
])
def test_horned_u_printed_v_or_it_before_a_final_is_read(printed: str, read: list[str]) -> None:
    assert match_tokens(printed) == read


def test_clean_syllables_with_it_stay() -> None:
    assert match_tokens("vịt, kít, thịt lợn, vững") == ["vit", "kit", "thit", "lon", "vung"]
    assert match_tokens("tra cứu, trà, thửa, chưa, tia sáng") == ["tra", "cuu", "tra", "thua", "chua", "tia", "sang"]


def test_body_name_wrapped_with_its_sentence_goes_on_in_small_letters() -> None:
    """OCR keeps the page's line breaks: "… vé Phong Gido duc nghé" / "nghiép sau mOi khéa hoc." is
    one name; a line that opens with a capital (a new paragraph, a field) still ends it."""
    from lang.agencies import find_bodies

    wrapped = "- Bao cdo két qua tuyén sinh, dao tao vé Phong Gido duc nghé\nnghiép sau mOi khéa hoc."
    assert [m.name for m in find_bodies(wrapped)] == ["Phong Gido duc nghé nghiép"]
    assert [m.name for m in find_bodies("b) Phòng Tài chính\nChủ trì thẩm định dự toán.")] == ["Phòng Tài chính"]
    assert [m.name for m in find_bodies("b) Phòng Tài chính\n\nthẩm định dự toán.")] == ["Phòng Tài chính"]


@pytest.mark.parametrize(("printed", "read"), [
    ("SG Nong nghiép va M6i trudng", ["so", "nong", "nghiep", "va", "moi", "truong"]),
    ("LG mém long mong", ["lo", "mem", "long", "mong"]),
    ("cơ sG", ["co", "so"]),
])
def test_horned_o_printed_capital_g_is_read(printed: str, read: list[str]) -> None:
    # the tall "ở" read as a capital "G": no syllable is an onset and "g"
    assert match_tokens(printed) == read


def test_clean_g_abbreviations_and_units_stay() -> None:
    assert match_tokens("10 kg, KG, NG, ng") == ["10", "kg", "kg", "ng", "ng"]
    assert match_tokens("SG", rules=[r for r in OCR_RULES if r != "capital_g"]) == ["sg"]


def test_report_through_an_agency_printed_sg_keeps_its_via() -> None:
    text = "bao cao UBND tinh (qua SG Nong\nnghiép va M6i trudng) trudéc ngay 15/6"
    assert [m.name for m in find_agencies(text)] == ["Ủy ban nhân dân tỉnh", "Sở Nông nghiệp và Môi trường"]


@pytest.mark.parametrize(("printed", "read"), [
    ("Co quan phéi hop vei Céng an", ["co", "quan", "phoi", "hop", "voi", "cong", "an"]),
    ("cé tai liéu s6 héa, khéa hoc", ["co", "tai", "lieu", "so", "hoa", "khoa", "hoc"]),
])
def test_stacked_o_read_as_e_is_o_where_no_syllable_has_e(printed: str, read: list[str]) -> None:
    # no rhyme is "ei" or "ea", and "c" / "ng" never stand before "e": the é was an ố, ổ or ó
    assert match_tokens(printed) == read


def test_clean_e_syllables_and_abbreviations_stay() -> None:
    assert match_tokens("nghe, kẻ, ghé, kem, gen, hiện, CE") == ["nghe", "ke", "ghe", "kem", "gen", "hien", "ce"]
    assert match_tokens("phéi", rules=[r for r in OCR_RULES if r != "e_for_o"]) == ["phei"]


def test_l_printed_twice_once_as_one_is_one_l() -> None:
    # "lên" printed "1lén": no onset is "ll"
    assert match_tokens("95% ngudi tt 40 tudi tro 1lén") == ["95", "nguoi", "tu", "40", "tuoi", "tro", "len"]


@pytest.mark.parametrize(("line", "label"), [
    ("- Co quan ph6i hop: cac co quan cé tai liéu thu6dc dién nop luu.", "cooperating"),
    ("- Co quan phéi hop: Sé Khoa hoc va Cong nghé.", "cooperating"),
    ("- Co quan cht tri: Trung tam Luu tri lich st tinh.", "lead"),
    ("- Thoi gian thuc hién: ttr thang 7/2025 dén ngay 15/12/2025.", "time"),
    ("Ghi chú: không", ""),
])
def test_ocr_damaged_field_labels_are_read(line: str, label: str) -> None:
    from index.facts import _label

    assert _label(line) == label


@pytest.mark.parametrize(("printed", "read"), [
    ("phaém", "pham"), ("naém", "nam"), ("ngaén", "ngan"), ("toaén", "toan"), ("xuaét", "xuat"),
    ("Giaém", "giam"), ("traéch", "trach"), ("xaéy", "xay"), ("phaéam", "pham"), ("PHAÉM", "pham"),
])
def test_hatted_or_breved_a_printed_ae_is_a(printed: str, read: str) -> None:
    # "ă"/"â" with a tone mark read "aé" by the English model: no Vietnamese rhyme holds "ae"
    assert match_tokens(printed) == [read]


def test_ae_without_an_onset_stays() -> None:
    assert match_tokens("Aedes aegypti") == ["aeoes", "aegypti"]
    assert match_tokens("phaém", rules=[r for r in OCR_RULES if r != "ae_a"]) == ["phaem"]


@pytest.mark.parametrize(("printed", "read"), [
    ("Gidm déc", ["giam", "doc"]), ("quéc gia", ["quoc", "gia"]), ("téc độ", ["toc", "do"]),
    ("d6éc", ["doc"]), ("nuoéc", ["nuoc"]), ("truoéc", ["truoc"]), ("Giám đốc", ["giam", "doc"]),
])
def test_o_with_hat_before_c_printed_e_is_o(printed: str, read: list[str]) -> None:
    assert match_tokens(printed) == read


def test_clean_ec_loanwords_and_other_rhymes_stay() -> None:
    # "séc", "véc tơ", "héc ta" are clean words; "việc", "nghiệp" have their own rhymes
    assert match_tokens("séc véc héc việc nghiệp DEC") == ["sec", "vec", "hec", "viec", "nghiep", "dec"]
    assert match_tokens("déc", rules=[r for r in OCR_RULES if r != "e_for_o"]) == ["dec"]


def test_a_printed_d_before_o_after_a_two_letter_onset() -> None:
    # "Giáo dục" printed "Gido dục": no rhyme is a bare "oo"
    assert match_tokens("Phong Gido duc, Gido vién, thdo") == ["phong", "giao", "duc", "giao", "vien", "thao"]
