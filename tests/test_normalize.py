from __future__ import annotations

import pytest

from lang.normalize import clean_text, fold, match_tokens


def test_fold_removes_diacritics_and_maps_d_bar():
    assert fold("Đối ngoại ĐẢNG") == "doi ngoai dang"


def test_clean_text_removes_invisible_characters_and_composes():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Kế hoạch")
    assert clean_text("Kế\u200b" + nfd[2:]) == clean_text("Kế" + nfd[2:])
    assert clean_text(nfd) == "Kế hoạch"


@pytest.mark.parametrize(("ocr", "clean"), [
    ("Két luan sé", "Kết luận số"),
    ("d6i ngoai", "đối ngoại"),
    ("dbi ngoai", "đối ngoại"),
    ("d01 ngoai", "đối ngoại"),
    ("ctia Pang", "của Đảng"),
    ("ngudi dan", "người dân"),
    ("Thira Thién Hué", "Thừa Thiên Huế"),
    ("S¢ Thong tin", "Sở Thông tin"),
    ("1am viéc", "làm việc"),
    ("UBND tinh", "UBND tỉnh"),
])
def test_ocr_forms_meet_clean_forms(ocr, clean):
    assert match_tokens(ocr) == match_tokens(clean)


def test_unaccented_and_accented_meet():
    assert match_tokens("doi ngoai") == match_tokens("đối ngoại") == match_tokens("d6i ngoai")


def test_vowel_misread_as_d_is_repaired_but_abbreviations_are_kept():
    # "héng ndm" = "hằng năm", "tdng hop" = "tổng hợp"; lowercase "ttdn", "hdnd" stay abbreviations
    assert match_tokens("héng ndm tdng hop") == ["heng", "nam", "tong", "hop"]  # d before -m is a
    assert match_tokens("ttdn hdnd") == ["ttdn", "hdnd"]


@pytest.mark.parametrize(("ocr", "clean"), [
    ("Co quan cht tri", "Cơ quan chủ trì"),  # "ủ" printed "t"
    ("t6 chttc", "tổ chức"),  # "ứ" printed "tt"
    ("chtrc nang", "chức năng"),  # "ứ" printed "tr"
    ("Can ctr", "Căn cứ"),
    ("xt ly vi pham", "xử lý vi phạm"),
    ("bao vé rtrng", "bảo vệ rừng"),
    ("ttrng xa", "từng xã"),
    ("gti bdo cdo vé Sé", "gửi báo cáo về Sở"),  # "ửi" printed "ti"
    ("Bao hiém x h6i tinh", "Bảo hiểm xã hội tỉnh"),  # "xã" lost its vowel
    ("UBND cac x, phuong", "UBND các xã, phường"),
    ("tng dung VNeID, tng pho", "ứng dụng VNeID, ứng phó"),  # "ứ" with no onset printed "t"
    ("kham, chita bénh; phong ngita", "khám, chữa bệnh; phòng ngừa"),  # "ữa" printed "ita"
])
def test_horned_u_printed_as_t_meets_clean_form(ocr, clean):
    assert match_tokens(ocr) == match_tokens(clean)


def test_t_for_u_leaves_abbreviations_and_syllables_alone():
    # capitals are abbreviations; a token with a vowel or without a final that follows a "t" stays
    assert match_tokens("CT TTr TNG ttdn tri") == ["ct", "ttr", "tng", "ttdn", "tri"]
    # "ti", "tri", "thi" are syllables; a capital X is a Roman numeral ("Mục X", "X. KINH PHÍ")
    assert match_tokens("ti tri thi Muc X") == ["ti", "tri", "thi", "muc", "x"]


@pytest.mark.parametrize(("typed", "spelled"), [
    ("Sở VH,TT&DL Đồng Nai", "Sở văn hóa thể thao và du lịch Đồng Nai"),
    ("Sở NN&MT TP.HCM", "Sở nông nghiệp và môi trường TP.HCM"),
    ("Sở LĐ-TB&XH", "Sở lao động thương binh và xã hội"),
    ("chi nhánh KV14 làm gì", "chi nhánh khu vực 14 làm gì"),
    ("A&B cùng QĐ-XYZ", "A&B cùng QĐ-XYZ"),  # parts no lexicon entry spells: left as typed
    # typed in small letters in a chat: the same abbreviations, and only those
    ("phong gd&dt huyen", "phong giáo dục và đào tạo huyen"),
    ("so ld-tb&xh", "so lao động thương binh và xã hội"),
    ("kinh te - xa hoi", "kinh te - xa hoi"),
])
def test_an_abbreviation_typed_in_parts_is_spelled_out_in_place(typed: str, spelled: str) -> None:
    from lang.normalize import expand_abbreviations
    assert expand_abbreviations(typed) == spelled
    assert "ttedl" not in match_tokens(expand_abbreviations(typed))


@pytest.mark.parametrize(("ocr", "clean"), [
    ("cdc", "các"), ("Gidm đốc", "Giám đốc"), ("sdch", "sách"), ("ndm", "năm"), ("nhdnh", "nhanh"),
    ("ldp", "lớp"), ("Sd", "Sở"),  # d before -p or with no final is o
])
def test_d_between_onset_and_final_reads_by_the_final(ocr: str, clean: str) -> None:
    assert match_tokens(ocr) == match_tokens(clean)


@pytest.mark.parametrize(("typed", "words"), [
    # a school level typed as officials type it is the plan's spelled-out sender
    ("Trường THPT nộp báo cáo qua đâu?", "trung học phổ thông"),
    ("các trường THCS báo cáo ai", "trung học cơ sở"),
])
def test_a_school_level_is_spelled_out(typed: str, words: str) -> None:
    from lang.normalize import expand_abbreviations
    assert words in expand_abbreviations(typed)
