"""The answer's types: its fields declared once (the API's AnswerOut derives them), modes and
fusions as enums that serialise as the contract's strings."""

from __future__ import annotations

import functools
import json

import pytest

from bot.api.schemas import AnswerOut, CitationOut
from index.embedders import HashingEmbedder
from index.store import InMemoryStore
from rag.retrieve import Fusion, Retriever
from rag.types import Answer, AnswerMode


def test_answer_out_has_the_answer_fields_in_order_plus_its_own():
    assert list(AnswerOut.model_fields) == [*Answer.model_fields, "answer_with_sources", "blocks", "sections"]
    assert AnswerOut.model_fields["citations"].annotation == list[CitationOut]


def test_modes_serialise_as_the_contract_strings():
    answer = Answer.model_validate({"question": "q", "answer": "a", "abstained": True, "mode": "extractive"})
    assert answer.mode is AnswerMode.EXTRACTIVE and answer.mode == "extractive"
    assert json.loads(answer.model_dump_json())["mode"] == "extractive"
    assert json.dumps(answer.to_contract())  # the CLI's --json path: plain JSON
    with pytest.raises(ValueError, match="mode"):
        Answer.model_validate({"question": "q", "answer": "a", "abstained": True, "mode": "creative"})


def test_a_fusion_that_does_not_exist_fails_when_the_retriever_is_built():
    assert Retriever(InMemoryStore(), HashingEmbedder(), fusion="rrf").fusion is Fusion.RRF
    with pytest.raises(ValueError, match="bogus"):
        Retriever(InMemoryStore(), HashingEmbedder(), fusion="bogus")


def test_an_lru_cache_keeps_at_most_its_size_and_the_recently_used():
    from index.lru import LruCache

    cache: LruCache[int, int] = LruCache(3)
    for i in range(10):
        assert cache.get_or_make(i, functools.partial(pow, i, 2)) == i * i
        cache.get_or_make(0, lambda: -1)  # used again each time: never the oldest
    assert len(cache) == 3 and 0 in cache and 9 in cache and 1 not in cache
    assert cache.get_or_make(0, lambda: -1) == 0  # kept, not made again


def test_the_per_generation_caches_do_not_grow_with_every_generation(tmp_path):
    """Twelve ingestions of one changing plan beside one that never changes: the OCR verdicts are
    one per plan version (13, not 24) and bounded, the lexical index keeps the mean idf of the
    generations it keeps (KEEP_GENERATIONS), not of all twelve."""
    from index.ingest import Ingestor
    from index.lexical import KEEP_GENERATIONS, LexicalIndex
    from index.lru import LruCache
    from planbot.factory import build_app
    from tests.conftest import make_settings

    lexical = LexicalIndex(tmp_path / "lexical")
    app = build_app(make_settings(tmp_path), store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    ingestor = Ingestor(app.store, app.embedder, lexical=lexical)
    reader = app.assistant.reader
    folder = tmp_path / "plans"
    folder.mkdir()
    text = "UBND TỈNH HƯNG YÊN\nKẾ HOẠCH\nvề thông tin đối ngoại năm {year}\nI. MỤC ĐÍCH\n1. Sở Ngoại vụ chủ trì.\n"
    (folder / "co-dinh.txt").write_text(text.format(year=1999), encoding="utf-8")
    for n in range(12):
        (folder / "thay-doi.txt").write_text(text.format(year=2000 + n), encoding="utf-8")
        ingestor.ingest_paths([folder], progress=False)
        snap = app.store.snapshot()
        assert snap is not None
        lexical.view(snap)
        for source in ("co-dinh.txt", "thay-doi.txt"):
            reader.ocr_damaged(source)
    assert len(lexical._average_idf) <= KEEP_GENERATIONS
    assert len(reader._ocr) == 13
    reader._ocr = LruCache(4)
    for source in ("co-dinh.txt", "thay-doi.txt", "co-dinh.txt"):
        reader.ocr_damaged(source)
    assert len(reader._ocr) == 2


_OCR_QUOTE = "a) Chu tri t6 chitc hoi chg du lich tinh Lam Dong nam 2025."


@pytest.mark.parametrize(("added", "shown"), [
    # an item's labelled lines the answer adds beside its quote: verbatim OCR text, shown repaired
    ("- Co quan phéi hop: So Van hoa, Thé thao va Du lich; Hiép hoi Du lich tinh.",
     "- Cơ quan phối hợp: Sở Văn hóa, Thể thao và Du lịch; Hiệp hội Du lịch tỉnh."),
    # known unaccented syllables only (no unknown word to betray it): still damage in an OCR'd plan
    ("Thoi gian hoan thanh: trudc ngay 15/11/2025.", "Thời gian hoàn thành: trước ngày 15/11/2025."),
    # the answer's own words and short runs stay as they are
    ("(Chủ trì: Sở Công Thương.)", "(Chủ trì: Sở Công Thương.)"),
    ("Quy II/2025", "Quy II/2025"),
])
def test_an_answer_from_an_ocrd_plan_shows_its_added_verbatim_runs_repaired(added, shown):
    citation = {"id": 1, "source": "lam-dong.txt", "doc_title": "Kế hoạch", "section": "III.2",
                "section_label": "Mục III, khoản 2", "section_title": "t", "quote": _OCR_QUOTE}
    answer = Answer.model_validate({"question": "q", "abstained": False, "mode": "extractive",
                                    "citations": [citation], "answer": f"Theo Kế hoạch: {_OCR_QUOTE} [1] {added}"})
    assert answer.answer == f"Theo Kế hoạch: a) Chủ trì tổ chức hội chợ du lịch tỉnh Lâm Đồng năm 2025. [1] {shown}"


def test_an_answer_from_a_clean_plan_is_left_as_written():
    quote = "a) Chủ trì tổ chức hội chợ du lịch tỉnh Lâm Đồng năm 2025."
    citation = {"id": 1, "source": "lam-dong.txt", "doc_title": "Kế hoạch", "section": "III.2",
                "section_label": "Mục III, khoản 2", "section_title": "t", "quote": quote}
    text = f"Theo Kế hoạch: {quote} [1] Thoi gian hoan thanh: trudc ngay 15/11/2025 (a quoted foreign run)."
    answer = Answer.model_validate({"question": "q", "abstained": False, "mode": "extractive",
                                    "citations": [citation], "answer": text})
    assert answer.answer == text
