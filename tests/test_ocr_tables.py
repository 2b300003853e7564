"""Tables as English-model OCR prints them: the header wrapped over lines, the rule under it read
as letters, rows re-wrapped with their last cell's border on the next line."""

from __future__ import annotations

from index.tables import joined_headers, table_headers

_OCR_TABLE = """PHU LUC
LUC LUONG, PHUONG TIEN SAN SANG UNG PHO TAI CAC XA

| STT | Xa, phuong | Luc luong xung kich (nguoi) | Dan quan
(nguoi) | Xuong (chiec) | Diém so tan
tap trung |

Deed eed el eed ed
| 1 | Xa Kim Son | 60 | 35 | 4 | Truong THCS Kim Son
|

| 2 | Xa Van Du | 45 | 30 | 2 | Nha van hoa thon 3 |
""".splitlines()


def test_ocr_wrapped_bordered_header_is_one_header_of_every_row() -> None:
    headers = table_headers(_OCR_TABLE)
    texts = joined_headers(_OCR_TABLE)
    rows = sorted(headers)
    assert [_OCR_TABLE[i].split("|")[1].strip() for i in rows] == ["1", "2"]  # the header's lines are no rows
    assert {headers[i] for i in rows} == {3}
    assert texts[rows[0]] == ("| STT | Xa, phuong | Luc luong xung kich (nguoi) | Dan quan (nguoi) | Xuong (chiec) "
                              "| Diém so tan tap trung |")


def test_ocr_stt_header_without_border_goes_on_until_the_first_row() -> None:
    lines = ["STT | Nhiem vu | Co quan chu", "tri | Thoi gian hoan thanh",
             "1 | Ra soat quy hoach | So Xay dung | Quy II", "2 | Lap danh muc | So Tai chinh | Quy III"]
    assert joined_headers(lines) == {2: "STT | Nhiem vu | Co quan chu tri | Thoi gian hoan thanh",
                                     3: "STT | Nhiem vu | Co quan chu tri | Thoi gian hoan thanh"}


def test_clean_table_header_is_its_first_line() -> None:
    lines = ["| STT | Nhiệm vụ | Cơ quan chủ trì |", "| --- | --- | --- |",
             "| 1 | Rà soát quy hoạch | Sở Xây dựng |", "Đoạn văn sau bảng có nhiều từ tiếng Việt đầy đủ dấu thanh.",
             "| 2 | Lập danh mục | Sở Tài chính |"]
    assert table_headers(lines) == {2: 0}
    assert joined_headers(lines) == {2: "| STT | Nhiệm vụ | Cơ quan chủ trì |"}


_OCR_JOINT_HEADER = """UBND TINH BINH THUAN

SO Y TE - SO GIAO DUC VA DAO TAO
CONG HOA XA HOI CHU NGHIA VIET NAM
Doc lap - Tu do - Hanh phtc

S6: 58/KHLN-SYT-SGDDT

Binh Thuan, ngay 16 thang 6 nam 2025

KE HOACH LIEN NGANH
Trién khai cong tac y té truong hoc nam hoc 2025 - 2026
trén dia ban tinh Binh Thuan

Can ct Luat Giao duc ngay 14 thang 6 nam 2019;
"""


def test_ocr_header_set_apart_by_blank_lines_keeps_number_and_date() -> None:
    """OCR sets header lines apart with blank lines; a joint plan ("KẾ HOẠCH LIÊN NGÀNH") is a plan."""
    from index.header import read_header
    from index.metadata import extract_metadata

    meta = extract_metadata(_OCR_JOINT_HEADER, "x.txt")
    assert (meta.number, meta.signed, meta.doc_type) == ("58/KHLN-SYT-SGDDT", "2025-06-16", "Kế hoạch")
    assert "y tế trường học" in meta.title and "ngành" in meta.title
    # without the document type line, the six lines that hold words still reach the number and date
    no_type = _OCR_JOINT_HEADER.replace("KE HOACH LIEN NGANH", "")
    header = read_header(no_type.split("\n"))
    assert (header.number, header.signed) == ("58/KHLN-SYT-SGDDT", "2025-06-16")
