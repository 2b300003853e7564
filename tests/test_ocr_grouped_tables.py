"""Grouped appendix task tables as English-model OCR prints them: the group's Roman "I" read as a
figure ("| 1 | NHOM …"), the rule under the header read as "=" and brackets, cells wrapped over
whole lines without a border and over blank lines. Rows keep their group, their path and whole
cells (docs/contract.md, Section paths)."""

from __future__ import annotations

import pytest

from index.row_paths import group_mark, row_keys
from index.structure import parse_plan
from index.tables import is_delimiter_row

_HEAD = """UBND TINH QUANG TRI
KE HOACH
Phat trien du lich cong dong giai doan 2026 - 2027
I. MUC DICH, YEU CAU
1. Muc dich
Phat trien du lich cong dong gan voi bao ton van hoa.
II. TO CHUC THUC HIEN
1. So Van hoa, The thao va Du lich chu tri theo doi, tong hop ket qua.
PHU LUC I
DANH MUC NHIEM VU
"""

_TABLE = """| STT | Noi dung nhiem vu | Co quan chu tri | Co quan phoi
hop | Thoi gian hoan thanh | San pham |

| --- | --- [= |= |---| |

| {first} | NHOM NHIEM VU QUY HOACH, HA TANG DU LICH CONG DONG
IIIT

| 1 | Ra soat quy hoach cac diem du lich cong dong tai cac xa
mien nui | So Van hoa, The thao

va Du lich | UBND cac xa | Quy II/2026 | Bao cao ra soat |

| 2 | Xay dung ha tang cho 05 diem du lich cong dong kieu mau

tai cac xa bien gioi va vung dong bao
dan toc thieu so | So Xay dung | So Tai chinh, UBND cac xa | Nam 2027 | Cong
trinh hoan thanh |

| {second} | NHOM NHIEM VU DAO TAO NGUON NHAN LUC DU LICH | | | | |
| 1 | Tap huan ky nang lam du lich cho 300 ho dan | Truong Cao dang Ky thuat | Ngan hang

Chinh sach xa hoi tinh | Hang nam | Lop tap huan |
"""


def _rows(first: str, second: str) -> list[tuple[str, str]]:
    plan = parse_plan(_HEAD + _TABLE.format(first=first, second=second), "quang-tri-du-lich.txt")
    return [(row.path, " ".join(ln.strip() for ln in row.lines if ln.strip())) for row in plan.appendices[0].children]


@pytest.mark.parametrize(("first", "second"), [("1", "II"), ("l", "Il"), ("I", "11")])
def test_ocr_group_rows_keep_their_groups_and_rows_their_cells(first: str, second: str) -> None:
    rows = _rows(first, second)
    assert [path for path, _ in rows] == ["PL1.I", "PL1.I.1", "PL1.I.2", "PL1.II", "PL1.II.1"]
    body = dict(rows)
    # a cell wrapped over a blank line and a line without a border stays in its row
    assert "So Van hoa, The thao va Du lich | UBND cac xa | Quy II/2026" in body["PL1.I.1"]
    assert "vung dong bao dan toc thieu so | So Xay dung" in body["PL1.I.2"]
    assert body["PL1.I.2"].endswith("Cong trinh hoan thanh |")
    # the chủ trì / phối hợp cell cut by a blank line ("Ngan hang" / "Chinh sach xa hoi tinh") is whole
    assert "Ngan hang Chinh sach xa hoi tinh | Hang nam" in body["PL1.II.1"]


def test_group_mark_reads_ocr_roman_only_on_a_title_row() -> None:
    assert group_mark("| 1 | NHOM NHIEM VU SAP XEP MANG LUOI |") == "I"
    assert group_mark("| 111 | NHOM NHIEM VU DAO TAO NGHE | | | |") == "III"
    assert group_mark("| IV | NHÓM NHIỆM VỤ | 12 |") == "IV"  # printed: a group whatever it carries
    # a task row numbered 1: it has a lead and a time, or its text is not a capital title
    assert group_mark("| 1 | Xay dung De an | So Noi vu | Quy II/2026 |") is None
    assert group_mark("| 1 | Xay dung De an sap xep mang luoi co so |") is None
    assert group_mark("| 2 | NHOM NHIEM VU THU HAI |") is None  # "2" is no reading of a Roman numeral


def test_table_numbering_its_groups_in_figures_keeps_them_as_rows() -> None:
    rows = ["| STT | Noi dung | Chu tri |", "| 1 | NHIEM VU TRONG TAM VE DAT DAI | |",
            "| 1.1 | Ra soat quy hoach | So Xay dung |", "| 2 | NHIEM VU TRONG TAM VE MOI TRUONG | |",
            "| 2.1 | Quan trac nuoc | So Nong nghiep va Moi truong |"]
    keys = row_keys(rows[1:])
    assert keys is not None and [path for path, _ in keys] == ["1", "1.1", "2", "2.1"]


def test_ocr_rule_is_a_border_not_a_row() -> None:
    assert is_delimiter_row("| --- | --- [= |= |---| |")
    assert is_delimiter_row("| :---: | --- |")
    assert not is_delimiter_row("| 1 | --- |")
    assert not is_delimiter_row("| - | Dien tich | ha |")  # a sub-row's dash is no rule


@pytest.mark.parametrize(("heading", "name"), [
    ("4. Van phong So", "Văn phòng Sở"),
    ("3. Chi cuc Quan ly thi truong thanh pho", "Chi cục Quản lý thị trường thành phố"),
    ("2. Trung tam Khuyen cong va Tu van phat trien cong nghiep", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp"),
    ("5. Văn phòng Sở", "Văn phòng Sở"),  # printed with its marks: as printed
])
def test_ocr_heading_names_the_body_as_asked(heading: str, name: str) -> None:
    """A body's block headed by its OCR'd name is that body's block: the name a question asks
    ("Văn phòng Sở Công Thương") is the one the heading gives."""
    from index.facts import _heading_agency

    assert _heading_agency(heading) == name


@pytest.mark.parametrize("wrapped", ["của UBND tỉnh Quảng\nNgãi về", "cua UBND tinh Quang\nNgai vé", "của UBND tỉnh\nQuảng Ngãi về"])
def test_a_commune_plan_takes_its_province_from_a_name_wrapped_over_lines(wrapped: str) -> None:
    from index.metadata import extract_metadata

    text = ("UY BAN NHAN DAN\nXA NGHIA HANH\nCONG HOA XA HOI CHU NGHIA VIET NAM\nS6: 21/KH-UBND\n\n"
            "KE HOACH\nPhong, chong dich benh tren dia ban xa nam 2026\n\n"
            f"Can cu Ke hoach so 55/KH-UBND ngay 10/01/2026 {wrapped} phong, chong dich benh;\n\n"
            "I. MUC DICH, YEU CAU\n1. Tram Y te xa chu tri giam sat dich benh.\n")
    assert extract_metadata(text, "nghia-hanh.txt").province == "Quảng Ngãi"


def test_ocr_header_closed_by_a_border_at_each_line_goes_on_to_its_last_columns() -> None:
    """OCR ends a re-wrapped header line with a border ("… | Noi nhan |" / "Ky bao cao | Thoi han
    gui |") and reads the rule under it as letters: the header is every column, the rule no cell."""
    from index.tables import column_roles, rows_with_headers

    text = ("| STT | Co quan, don vi bao cao | Noi dung bao cao | Noi nhan |\nKy bao cao | Thoi han gui |\n\n"
            "Ja fa ff pe\n\n| 1 | So Y te | Tinh hinh benh nghe nghiep | So Noi vu | 6 thang, nam | Truoc ngay\n"
            "10/6, 10/12 |\n| 2 | Cong an tinh | Cac vu tai nan lao dong | So Noi vu | Khi co vu viec | Trong\n"
            "vong 24 gio |\n")
    rows = rows_with_headers(text)
    header = rows[0][0]
    assert header == "| STT | Co quan, don vi bao cao | Noi dung bao cao | Noi nhan | Ky bao cao | Thoi han gui |"
    assert set(column_roles(header)) >= {"lead", "task", "recipient", "frequency", "deadline"}
    assert [row for _, row in rows] == [
        "| 1 | So Y te | Tinh hinh benh nghe nghiep | So Noi vu | 6 thang, nam | Truoc ngay 10/6, 10/12 |",
        "| 2 | Cong an tinh | Cac vu tai nan lao dong | So Noi vu | Khi co vu viec | Trong vong 24 gio |"]
