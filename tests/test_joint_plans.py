"""A joint plan (Kế hoạch liên ngành / liên tịch, "…/KHLN-SYT-SGDĐT") names each of its issuers in
the header's left column and is signed by the head of each: all of them are stored."""

import pytest

from index.metadata import extract_metadata
from index.signature import read_signature, read_signatures

_HEADER = """UBND TỈNH BÌNH THUẬN
SỞ Y TẾ - SỞ GIÁO DỤC VÀ ĐÀO TẠO
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 58/KHLN-SYT-SGDĐT
Bình Thuận, ngày 16 tháng 6 năm 2025

KẾ HOẠCH LIÊN NGÀNH
Triển khai công tác y tế trường học năm học 2025 - 2026

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Bảo vệ sức khỏe học sinh.

Nơi nhận:
- Lưu: VT SYT, VT SGDĐT.
"""

_ONE_AFTER_OTHER = """
KT. GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO
PHÓ GIÁM ĐỐC

Lê Thị Hồng Nhung

GIÁM ĐỐC SỞ Y TẾ

Trần Quốc Dũng
"""

_SIDE_BY_SIDE = """
KT. GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO        GIÁM ĐỐC SỞ Y TẾ
PHÓ GIÁM ĐỐC

Lê Thị Hồng Nhung                          Trần Quốc Dũng
"""


@pytest.mark.parametrize("signature", [_ONE_AFTER_OTHER, _SIDE_BY_SIDE])
def test_joint_plan_keeps_every_issuer_and_signer(signature: str) -> None:
    meta = extract_metadata(_HEADER + signature, "joint.txt")
    assert meta.issuers == ("Sở Y tế tỉnh Bình Thuận", "Sở Giáo dục và Đào tạo tỉnh Bình Thuận")
    assert meta.issuer == "Sở Y tế tỉnh Bình Thuận"  # the single field stays the first issuer
    assert [name for name, _ in meta.signers] == ["Lê Thị Hồng Nhung", "Trần Quốc Dũng"]
    assert meta.signer == "Lê Thị Hồng Nhung"
    assert meta.title.startswith("Kế hoạch liên ngành triển khai công tác y tế trường học")
    assert {t for f, _, t in meta.quotes if f == "signer"} == {"Lê Thị Hồng Nhung", "Trần Quốc Dũng"}


def test_one_issuer_one_signer() -> None:
    lines = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Phạm Văn Thạnh", "",
             "PHỤ LỤC", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", "Nguyễn Văn An"]
    assert read_signatures(lines, 0) == [("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "Phạm Văn Thạnh")]


def test_body_in_capitals_after_a_title_is_no_signer_name() -> None:
    # "GIÁM ĐỐC SỞ Y TẾ": the body's name is read as capitals, not as the person "SỞ Y TẾ"
    assert read_signature(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC SỞ Y TẾ", "", "Lê Văn Bình"], 0)[1] == "Lê Văn Bình"


def test_signer_repeated_after_the_plan_is_one_signer() -> None:
    block = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phạm Văn Thạnh"]
    assert [s for _, s in read_signatures(block + [""] + block, 0)] == ["Phạm Văn Thạnh"]


@pytest.mark.parametrize("rank", ["Đại tá", "Thiếu tướng", "Thượng tá"])
def test_a_signers_police_or_army_rank_is_no_part_of_the_name(rank: str) -> None:
    # a Công an or Bộ Chỉ huy Quân sự signer prints the rank before the name; the second block of
    # a joint plan was lost with it
    lines = ["GIÁM ĐỐC", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "", "Lê Thị Hồng Nhung", "",
             "KT. GIÁM ĐỐC", "CÔNG AN TỈNH", "PHÓ GIÁM ĐỐC", "", f"{rank} Trần Quốc Dũng"]
    assert [name for _, name in read_signatures(lines, 0)] == ["Lê Thị Hồng Nhung", "Trần Quốc Dũng"]
