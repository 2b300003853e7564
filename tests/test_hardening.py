"""Issue 24: defects a hostile tester reproduced, each pinned by a test that failed before its fix."""

from __future__ import annotations

import pytest

from index.embedders import HashingEmbedder
from planbot.factory import build_app
from tests.conftest import make_settings

PLAN = ("KẾ HOẠCH\nThông tin đối ngoại tỉnh Hưng Yên năm 2026\nI. NHIỆM VỤ\n1. Sở Tài chính\n"
        "- Bố trí kinh phí cho hoạt động thông tin đối ngoại năm 2026.\n"
        "2. Sở Nội vụ\n- Tổng hợp báo cáo kết quả gửi UBND tỉnh trước ngày 15/12/2026.\n")


@pytest.fixture
def chroma_app(tmp_path):
    return build_app(make_settings(tmp_path), embedder=HashingEmbedder(), generator=None)


# 5. a plan file name holding "#" is citable (chunk ids are split from the right)
def test_a_plan_named_with_hash_is_cited(chroma_app, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ke#hoach 2026.txt").write_text(PLAN, encoding="utf-8")
    report = chroma_app.ingestor.ingest_paths([folder], progress=False)
    assert not report.errors
    answer = chroma_app.assistant.ask("Sở Nội vụ gửi báo cáo trước ngày nào?")
    assert not answer.abstained
    assert any(c.source == "ke#hoach 2026.txt" for c in answer.citations)
    assert "15/12/2026" in answer.answer
