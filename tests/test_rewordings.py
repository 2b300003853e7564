"""`planbot eval --rewordings` (eval/rewordings.py): at least five distinct rewordings per
question, the plan moved, diacritics dropped, agencies abbreviated; invariance judged on section,
facts and declining."""

from __future__ import annotations

from eval.metrics import GoldItem
from eval.rewordings import COUNTED, invariant, rewordings


def test_five_or_more_distinct_rewordings() -> None:
    question = "Theo kế hoạch năm 2024 của Thừa Thiên Huế, Sở Thông tin và Truyền thông phải làm gì?"
    found = rewordings(question)
    kinds = {r.kind for r in found}
    assert sum(r.kind in COUNTED for r in found) >= 5
    assert len({r.question for r in found}) == len(found) and question not in {r.question for r in found}
    assert {"no_diacritics", "plan_last", "plan_heading", "abbreviations"} <= kinds
    by_kind = {r.kind: r.question for r in found}
    assert by_kind["plan_last"] == "Sở Thông tin và Truyền thông phải làm gì theo kế hoạch năm 2024 của Thừa Thiên Huế?"
    assert "Sở TT&TT" in by_kind["abbreviations"]


def test_clauses_keep_agency_names_whole() -> None:
    found = {r.kind: r.question for r in rewordings("Sở Văn hóa, Thể thao và Du lịch báo cáo cho ai, hạn khi nào?")}
    assert found["clauses_moved"].startswith("Hạn khi nào, Sở Văn hóa, Thể thao và Du lịch")


def test_invariance() -> None:
    item = GoldItem(id="1", kind="fact", question="q", answerable=True, key_facts=[["15/11/2024"]], gold=[])
    cite = [{"source": "a.txt", "section": "V.2"}]
    original = {"abstained": False, "answer": "… trước ngày 15/11/2024 [1]", "citations": cite}
    assert invariant(item, original, dict(original))
    assert not invariant(item, original, {"abstained": True, "answer": "", "citations": []})
    assert not invariant(item, original, {"abstained": False, "answer": "… [1]", "citations": cite})
    assert not invariant(item, original, {"abstained": False, "answer": original["answer"],
                                          "citations": [{"source": "a.txt", "section": "IV.2"}]})


def test_clauses_moved_only_when_each_part_asks() -> None:
    # the commas of a list ("chủ trì, hướng dẫn, … các sở, ngành, UBND huyện") part no clauses
    listed = "Cơ quan nào chủ trì, hướng dẫn, đôn đốc, kiểm tra các sở, ngành, UBND huyện triển khai kế hoạch?"
    assert "clauses_moved" not in {r.kind for r in rewordings(listed)}
    found = {r.kind: r.question for r in rewordings("Ai báo cáo cho ai, hạn khi nào?")}
    assert found["clauses_moved"] == "Hạn khi nào, Ai báo cáo cho ai?"
