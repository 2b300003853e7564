"""The LLM's evidence: what the model reads holds every fact the answer needs (issue 21: evidence
recall ≥ 0.98), found through the genre's structure (the agency's whole item, the appendix rows,
the closing paragraph, the document's header), within the prompt budget. Small synthetic plans."""

from __future__ import annotations

from index.embedders import HashingEmbedder
from index.store import InMemoryStore
from planbot.factory import build_app
from planbot.settings import Settings


def make_app(tmp_path, plans: dict[str, str]):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", llm="none")
    app = build_app(settings, store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    report = app.ingestor.ingest_texts(plans, progress=False)
    assert not report.errors
    return app


def test_the_plans_wordings_appended_to_a_question_are_not_a_phrase_no_plan_has(sample_app):
    # "định kỳ nào" is matched with the plans' wordings ("hằng năm hằng quý hằng tháng …") appended:
    # read as one phrase, they made the question look off-topic and it was declined
    question = "Theo kế hoạch của Vĩnh Phúc năm 2024, các địa phương đánh giá tình hình thực hiện theo định kỳ nào?"
    evidence = sample_app.assistant.llm_evidence(question)
    assert evidence is not None and "hằng năm" in evidence.lower()
    assert sample_app.assistant.llm_evidence("Thủ đô của nước Pháp là gì?") is None  # still off-topic
