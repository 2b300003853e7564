"""eval/: metrics on hand-made inputs (expected values worked out by hand), the gold data's
integrity against the plans, the register and parser scoring, the report writer, compare, and a
small end-to-end run."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import asdict

import pytest

from eval.baseline import CHUNK_OVERLAP, CHUNK_SIZE, NaiveBaseline, split_texts
from eval.compare import compare
from eval.metrics import (
    GoldItem,
    aggregate,
    by_kind,
    citations_ok,
    fact_present,
    key_facts_ok,
    load_gold,
    quotes_verbatim,
    retrieval_ranks,
    retrieval_summary,
    score_answer,
    section_matches,
)
from eval.parser_eval import outline_scores
from eval.register_eval import evaluate_register, load_gold_obligations
from eval.report import render_html, text_table, write_report
from eval.runner import evaluate
from index.embedders import HashingEmbedder
from index.structure import parse_plan
from planbot import PROJECT_ROOT
from tests.conftest import GOLD_DIR

PLAN = """KẾ HOẠCH
Thông tin đối ngoại tỉnh A năm 2024
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao hiệu quả.
2. Yêu cầu
a) Bám sát chỉ đạo.
b) Đúng hạn.
II. TỔ CHỨC THỰC HIỆN
1. Sở Thông tin và Truyền thông
Chủ trì, phối hợp với Sở Ngoại vụ tổng hợp, báo cáo UBND tỉnh trước ngày 15/11/2024.
Trên đây là Kế hoạch.
"""


def item(id: str = "q1", kind: str = "deadline", answerable: bool = True, facts=None, gold=None) -> GoldItem:
    if answerable:
        facts = [["15/11/2024"], ["Sở Thông tin và Truyền thông", "Sở TTTT"]] if facts is None else facts
        gold = [{"source": "p.txt", "section": "II.1"}] if gold is None else gold
    return GoldItem(id=id, kind=kind, question=f"question {id}", answerable=answerable,
                    key_facts=facts or [], gold=gold or [])


def cite(source: str = "p.txt", section: str = "II.1", quote: str = "báo cáo UBND tỉnh") -> dict:
    return {"id": 1, "source": source, "section": section, "section_label": section, "quote": quote}


# --- answer metrics ----------------------------------------------------------------------------

def test_fact_matching_ignores_diacritics_and_case_but_not_digits_or_agency():
    assert fact_present("Sở Thông tin và Truyền thông", "gửi về SO THONG TIN VA TRUYEN THONG trước")
    assert fact_present("15/11/2024", "truoc ngay 15/11/2024.")
    assert not fact_present("15/11/2024", "trước ngày 15/11/2025")
    assert not fact_present("Sở Thông tin và Truyền thông", "gửi Bộ Thông tin và Truyền thông")
    assert not fact_present("Tin", "Ủy ban nhân dân tỉnh")  # whole syllables, not substrings
    assert fact_present("Tin", "thông tin đối ngoại")


def test_key_facts_need_every_group_and_any_alternative():
    gold = item()
    assert key_facts_ok(gold, "Gửi Sở TTTT trước ngày 15/11/2024.")
    assert key_facts_ok(gold, "gui so thong tin va truyen thong truoc 15/11/2024")
    assert not key_facts_ok(gold, "Gửi Sở TTTT trước ngày 15/12/2024.")
    assert not key_facts_ok(gold, "Trước ngày 15/11/2024.")


def test_section_and_citation_matching():
    assert section_matches("V.2", "V.2") and section_matches("V.2.a", "V.2")
    assert not section_matches("V.20", "V.2") and not section_matches("V", "V.2")
    two_plans = item(gold=[{"source": "a.txt", "section": "IV"}, {"source": "b.txt", "section": "V.2"}])
    assert citations_ok(two_plans, [cite("a.txt", "IV.3"), cite("b.txt", "V.2")])
    assert not citations_ok(two_plans, [cite("a.txt", "IV.3")])  # both plans must be cited
    assert not citations_ok(two_plans, [cite("a.txt", "IV.3"), cite("b.txt", "V.1")])
    assert not citations_ok(item(answerable=False), [cite()])


def test_the_closing_paragraph_matches_gold_filed_under_the_last_part():
    closing_gold = item(gold=[{"source": "a.txt", "section": "V"}])
    assert citations_ok(closing_gold, [cite("a.txt", "closing")], {"a.txt": "V"})
    assert not citations_ok(closing_gold, [cite("a.txt", "closing")], {"a.txt": "VI"})
    assert not citations_ok(closing_gold, [cite("a.txt", "closing")])  # without the plan's parts: strict
    assert not section_matches("closing", "V.2", "V")


def test_quotes_are_found_after_whitespace_normalisation():
    texts = {"p.txt": PLAN}
    quotes = [cite(quote="Chủ trì, phối hợp với\n  Sở Ngoại vụ"), cite(quote="không có trong kế hoạch"),
              cite(source="other.txt", quote="Chủ trì")]
    assert quotes_verbatim(quotes, texts) == (1, 3)


def test_scores_and_aggregate_on_five_hand_made_answers():
    texts = {"p.txt": PLAN}
    right = "Sở TTTT, trước ngày 15/11/2024."  # 31 characters
    cases = [
        # answerable, facts and section right
        (item("a1"), {"answer": right, "abstained": False, "citations": [cite(section="II.1")]}),
        # answerable, facts right, wrong section, quote not in the plan
        (item("a2"), {"answer": "Sở TTTT 15/11/2024", "abstained": False,
                      "citations": [cite(section="I.2", quote="bịa")]}),
        # answerable, abstained although the plan answers it
        (item("a3", kind="reporting"), {"answer": "Không tìm thấy.", "abstained": True, "citations": []}),
        # unanswerable, abstained: right
        (item("u1", kind="unanswerable", answerable=False), {"answer": "Không có.", "abstained": True}),
        # unanswerable, answered anyway
        (item("u2", kind="unanswerable", answerable=False),
         {"answer": "x" * 99, "abstained": False, "citations": [cite(section="I.1", quote="Mục đích")]}),
    ]
    scores = [score_answer(g, a, texts) for g, a in cases]
    assert [(s.key_facts, s.citation, s.full) for s in scores[:3]] == [
        (True, True, True), (True, False, False), (False, False, False)]
    assert scores[2].abstained and not scores[2].key_facts  # the facts of an abstention never count
    summary = aggregate(scores)
    assert summary == {
        "questions": 5, "answerable": 3, "key_facts": 2, "citation": 1, "full": 1, "full_rate": 0.3333,
        "unanswerable": 2, "abstained": 2, "abstained_correctly": 1,
        "abstention_precision": 0.5,  # 1 of the 2 abstentions was on an unanswerable question
        "abstention_recall": 0.5,  # 1 of the 2 unanswerable questions was abstained on
        "quotes_verbatim": 0.6667,  # a1's and u2's quotes are in the plan, a2's is not
        "median_answer_chars": 24,  # median of 31 and 18 (answered, answerable) = 24.5, floored
        "p95_answer_chars": 31,  # the longer of the two
        # a2 states its facts (only its section is wrong); u2 answered what it should decline
        "answered_wrong": 1,
        "declined_answerable": 1,  # a3
    }
    kinds = by_kind(scores)
    assert list(kinds) == ["deadline", "reporting", "unanswerable"]
    assert (kinds["deadline"]["full"], kinds["deadline"]["answerable"], kinds["deadline"]["abstained"]) == (1, 2, 0)
    assert kinds["reporting"]["abstention_precision"] == 0.0
    assert (kinds["unanswerable"]["abstention_precision"], kinds["unanswerable"]["abstention_recall"]) == (1.0, 0.5)


def test_retrieval_ranks_and_summary():
    gold = item(gold=[{"source": "b.txt", "section": "V.2"}])
    assert retrieval_ranks(gold, [("a.txt", "V.2"), ("b.txt", "V.1"), ("b.txt", "V.2.a")]) == 3
    assert retrieval_ranks(gold, [("a.txt", "V.2")]) is None
    # ranks 1, 3, 7, 12 and a miss: R@1 = 1/5, R@5 = 2/5, R@10 = 3/5, MRR = (1 + 1/3 + 1/7) / 5
    assert retrieval_summary([1, 3, 7, 12, None]) == {
        "recall@1": 0.2, "recall@5": 0.4, "recall@10": 0.6, "mrr": 0.2952}


def test_load_gold_reads_suites_from_a_directory(tmp_path):
    rows = [{"id": "x1", "kind": "fact", "question": "Q1", "answerable": True, "key_facts": [["a"]],
             "gold": [{"source": "p.txt", "section": "I"}]},
            {"id": "x2", "kind": "followup", "question": "Q2", "answerable": True, "key_facts": [["b"]],
             "gold": [{"source": "p.txt", "section": "II"}], "history": ["Q1"]}]
    (tmp_path / "questions_one.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    (tmp_path / "questions_two.jsonl").write_text(json.dumps(rows[0] | {"id": "y1"}) + "\n", encoding="utf-8")
    assert [i.id for i in load_gold(None, tmp_path)] == ["x1", "x2", "y1"]
    picked = load_gold("one", tmp_path)
    assert [(i.id, i.suite, i.history) for i in picked] == [("x1", "one", []), ("x2", "one", ["Q1"])]
    assert load_gold("three", tmp_path) == []


# --- the gold data itself ----------------------------------------------------------------------

REQUIRED_KINDS = {"deadline", "reporting", "lead", "cooperating", "fact", "unaccented", "comparison",
                  "followup", "unanswerable"}


def test_gold_questions_cover_what_the_suite_needs(sample_texts):
    items = load_gold()
    assert len(items) >= 80
    assert len({i.id for i in items}) == len(items)
    assert {i.kind for i in items} >= REQUIRED_KINDS
    unanswerable = [i for i in items if not i.answerable]
    assert len(unanswerable) >= 15
    assert all(not i.gold and not i.key_facts for i in unanswerable)
    for i in items:
        if i.answerable:
            assert i.key_facts and all(group for group in i.key_facts), i.id
            assert i.gold, i.id
        if i.kind == "followup":
            assert i.history, i.id
        if i.kind == "comparison":
            assert len({g["source"] for g in i.gold}) == 2, i.id
        if i.kind == "unaccented":
            assert i.question == i.question.encode("ascii", "ignore").decode(), i.id


def test_gold_sections_exist_in_their_plans(sample_texts):
    sections = {src: {s.path for s in parse_plan(text, src).sections()} for src, text in sample_texts.items()}
    for i in load_gold():
        for g in i.gold:
            assert g["section"] in sections[g["source"]], (i.id, g)
    shared_plans = PROJECT_ROOT.parent / "shared" / "plans"
    for record in load_gold_obligations():
        source = record["source"]
        if source not in sections:
            path = shared_plans / source
            assert path.is_file() or not shared_plans.is_dir(), record
            if not shared_plans.is_dir():
                continue
            sections[source] = {s.path for s in parse_plan(path.read_text(encoding="utf-8"), source).sections()}
        assert record["section"] in sections[source], record


# --- parser and register scoring ---------------------------------------------------------------

def test_outline_scores_exact_and_differences(tmp_path):
    outline = parse_plan(PLAN, "p.txt").outline()
    (tmp_path / "p.json").write_text(json.dumps(outline, ensure_ascii=False), encoding="utf-8")
    wrong = [dict(e) for e in outline]
    wrong[3]["section"] = "I.2.c"
    (tmp_path / "q.json").write_text(json.dumps(wrong, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "absent.json").write_text("[]", encoding="utf-8")  # no such plan given: skipped
    scores = outline_scores({"p.txt": PLAN, "q.txt": PLAN}, tmp_path)
    assert (scores["exact"], scores["plans_total"]) == (1, 2)
    q = scores["plans"]["q.txt"]
    assert (q["exact"], q["gold_sections"], q["entries_matched"]) == (False, 7, 6)
    assert q["missing"] == [{"section": "I.2.c", "line": 7, "title": "Bám sát chỉ đạo."}]
    assert q["extra"] == [{"section": "I.2.a", "line": 7, "title": "Bám sát chỉ đạo."}]


def test_register_scores_on_hand_made_records():
    gold: list[dict] = [
        {"source": "p.txt", "kind": "reporting", "section": "V.2", "recipient": "Sở Thông tin và Truyền thông",
         "deadline_verbatim": "trước ngày 15/11/2024"},
        {"source": "p.txt", "kind": "reporting", "section": "IV", "recipient": "Sở Tài chính"},
        {"source": "p.txt", "kind": "deadline", "section": "V.2", "date": "2024-11-15"},
        {"source": "p.txt", "kind": "deadline", "section": "II.1", "recurrence": "annual"},
        {"source": "p.txt", "kind": "assignment", "section": "IV.2", "agency": "Sở Thông tin và Truyền thông",
         "cooperating": ["Sở Ngoại vụ", "Công an tỉnh"]},
    ]
    records: list[dict] = [
        # "báo cáo UBND tỉnh (qua Sở TTTT)": the other reading of the same line, and the same date
        {"source": "p.txt", "kind": "reporting", "section": "V.2", "recipient": "UBND tỉnh", "via": "Sở TTTT",
         "due_date": "2024-11-15"},
        # the closing paragraph, which the gold files under the last part
        {"source": "p.txt", "kind": "reporting", "section": "closing", "recipient": "Sở Tài chính"},
        {"source": "p.txt", "kind": "reporting", "section": "II.4.b", "recipient": "Chính phủ"},
        {"source": "p.txt", "kind": "deadline", "section": "V.2", "due_date": "2024-11-15",
         "recurrence": ["on_request"]},
        {"source": "p.txt", "kind": "assignment", "section": "IV.2", "agency": "Sở TTTT",
         "cooperating": ["Sở Ngoại vụ", "Bộ Ngoại giao"]},
        {"source": "other.txt", "kind": "deadline", "section": "I", "due_date": "2030-01-01"},  # not scored
    ]
    scores = evaluate_register(records, gold, {"p.txt": "IV"})
    figures = {k: (v["gold"], v["extracted"], v["matched"], v["precision"], v["recall"]) for k, v in scores.items()}
    assert figures == {
        "reporting": (2, 3, 2, 0.6667, 1.0),
        "deadline": (2, 2, 1, 0.5, 0.5),  # the date is found, "annual" missed, "on_request" extra
        "lead": (1, 1, 1, 1.0, 1.0),
        "cooperating": (2, 2, 1, 0.5, 0.5),
    }
    assert [m["fact"] for m in scores["cooperating"]["missed"]] == ["Công an tỉnh"]
    assert [m["fact"] for m in scores["reporting"]["spurious"]] == ["→ Chính phủ"]


# --- naive baseline ----------------------------------------------------------------------------

def test_baseline_chunks_are_fixed_size_and_answer_is_top_three(sample_texts):
    texts = {"thua-thien-hue-2024.txt": sample_texts["thua-thien-hue-2024.txt"]}
    chunks = split_texts(texts)
    assert len(chunks) > 10 and all(len(c.text) <= CHUNK_SIZE for c in chunks)
    text = texts["thua-thien-hue-2024.txt"]
    assert all(text[c.start:c.start + len(c.text)] == c.text for c in chunks)
    assert any(chunks[i + 1].start < chunks[i].start + len(chunks[i].text) for i in range(len(chunks) - 1))
    assert CHUNK_OVERLAP == 200
    baseline = NaiveBaseline(texts, HashingEmbedder())
    answer = baseline.answer("gửi báo cáo về Sở Thông tin và Truyền thông trước ngày 15/11/2024")
    hits = baseline.search("gửi báo cáo về Sở Thông tin và Truyền thông trước ngày 15/11/2024", k=3)
    assert answer["answer"] == "\n\n".join(h.chunk.text for h in hits) and len(hits) == 3
    assert "15/11/2024" in answer["answer"] and not answer["abstained"]
    assert ("thua-thien-hue-2024.txt", "V.2") in {(c["source"], c["section"]) for c in answer["citations"]}


# --- report and compare ------------------------------------------------------------------------

def make_result(full: list[bool], answers: list[str] | None = None) -> dict:
    """A run over len(full) answerable deadline questions plus one unanswerable, which abstains."""
    items = [item(f"a{n}") for n in range(len(full))] + [item("u1", kind="unanswerable", answerable=False)]
    answers = answers or ["Sở TTTT trước ngày 15/11/2024."] * len(full)
    plan = {"p.txt": PLAN}
    raw = [{"answer": a if ok else "Không rõ <b>", "abstained": False,
            "citations": [cite(section="II.1" if ok else "I.1")]} for ok, a in zip(full, answers, strict=True)]
    raw.append({"answer": "Các kế hoạch không nêu.", "abstained": True, "citations": []})
    scores = [score_answer(i, a, plan) for i, a in zip(items, raw, strict=True)]
    retrieval = {"recall@1": 0.5, "recall@5": 1.0, "recall@10": 1.0, "mrr": 0.75}
    return {
        "run": {"started": "2026-01-01T00:00:00+00:00", "embedder": "hashing"}, "mode": "extractive",
        "summary": aggregate(scores) | {"p50_ms": 10.0, "p95_ms": 20.0}, "by_kind": by_kind(scores),
        "retrieval": {"lexical": retrieval, "fused-weighted": retrieval},
        "items": [asdict(s) | {"question": i.question, "history": [], "answer": a["answer"],
                               "citations": a.get("citations"), "gold": i.gold, "expected_facts": i.key_facts}
                  for i, s, a in zip(items, scores, raw, strict=True)],
        "parser": {"exact": 1, "plans_total": 1, "plans": {"p.txt": {
            "exact": True, "gold_sections": 7, "parsed_sections": 7, "entries_matched": 7, "missing": [],
            "extra": []}}},
        "register": {"reporting": {"gold": 2, "extracted": 3, "matched": 2, "precision": 0.6667, "recall": 1.0,
                                   "missed": [], "spurious": [{"source": "p.txt", "section": "II.4.b",
                                                               "fact": "→ Chính phủ"}]}},
        "baseline": {"name": "naive", "chunks": 3, "summary": aggregate(scores[-1:] + scores[:1]),
                     "by_kind": by_kind(scores[-1:] + scores[:1]),
                     "retrieval": {"baseline-fused": retrieval},
                     "items": [asdict(s) | {"answer": "chunk", "citations": []} for s in scores]},
        "seconds": 1.5,
    }


def test_text_table_shows_both_systems_and_every_section():
    table = text_table(make_result([True, False]))
    assert re.search(r"full accuracy.*1/2 \(50%\)\s+1/1 \(100%\)", table)
    assert re.search(r"abstention recall\s+1\.000", table)
    assert re.search(r"lexical\s+0\.5000\s+1\.0000\s+1\.0000\s+0\.7500", table)
    assert "baseline-fused" in table
    assert "parser outline exact match: 1/1" in table
    assert "(answered:" not in table
    fell_back = make_result([True]) | {"mode": "llm", "answer_modes": {"extractive": 2}}
    assert "mode llm (answered: extractive 2)" in text_table(fell_back)  # no LLM was reachable
    assert re.search(r"reporting\s+2\s+3\s+2\s+0\.6667\s+1\.0", table)


def test_html_report_is_self_contained_with_charts_and_failures(tmp_path):
    result = make_result([True, False])
    page = render_html(result)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "<link" not in page and "src=" not in page and "@import" not in page
    assert set(re.findall(r"https?://[^\"' ]+", page)) == {"http://www.w3.org/2000/svg"}  # SVG namespace only
    assert page.count("<svg") == len(result["by_kind"]) == 2
    assert "1/2 fully right" in page
    failing = page[page.index("Failing questions"):]
    assert "a1" in failing and "a0" not in failing  # only the wrong one is listed
    assert "Không rõ &lt;b&gt;" in failing  # what was answered, escaped
    assert "p.txt I.1" in failing and "p.txt II.1" in failing  # what was cited and what was expected
    assert "→ Chính phủ" in page  # the register's spurious records are listed
    json_path, html_path = write_report(result, tmp_path / "runs" / "r.json")
    assert html_path == tmp_path / "runs" / "r.html" and html_path.read_text(encoding="utf-8") == page
    assert json.loads(json_path.read_text(encoding="utf-8"))["summary"]["full"] == 1


def test_compare_prints_changed_figures_and_questions():
    old, new = make_result([True, False]), make_result([False, True])
    new["summary"]["full"] = 2  # as if both had become right
    new["retrieval"]["lexical"] = new["retrieval"]["lexical"] | {"mrr": 0.8}
    out = compare(old, new)
    assert re.search(r"full accuracy.*1/2 \(50%\)\s+2/2 \(100%\)\s+\+50\.0 pt", out)
    assert re.search(r"lexical mrr\s+0\.75\s+0\.8\s+\+0\.05", out)
    assert re.search(r"right → wrong \(1\):\n\s+a0 ", out)
    assert re.search(r"wrong → right \(1\):\n\s+a1 ", out)
    same = compare(old, old)
    assert "right → wrong (0)" in same and not re.search(r"\s[+-]\d", same)  # no figure changed


# --- end to end --------------------------------------------------------------------------------

@pytest.mark.slow  # the first answer builds the obligations register of the whole corpus
def test_evaluate_end_to_end_on_a_few_gold_questions(sample_app):
    chosen = {"tth-001", "tth-002", "hyvp-041", "hyvp-046"}
    items = [i for i in load_gold() if i.id in chosen]
    result = evaluate(sample_app, items, mode="extractive")
    s = result["summary"]
    assert (s["questions"], s["answerable"], s["unanswerable"]) == (4, 2, 2)
    assert s["full"] == 2 and s["abstained_correctly"] == 2 and s["quotes_verbatim"] == 1.0
    assert set(result["retrieval"]) == {"lexical", "dense", "fused-rrf", "fused-weighted"}
    assert set(result["baseline"]["retrieval"]) == {"baseline-lexical", "baseline-dense", "baseline-fused"}
    assert result["baseline"]["summary"]["questions"] == 4
    assert result["parser"]["exact"] == result["parser"]["plans_total"] == 4
    assert set(result["register"]) == {"reporting", "deadline", "lead", "cooperating"}
    first = next(i for i in result["items"] if i["id"] == "tth-001")
    assert "15/11/2024" in first["answer"] and first["citations"][0]["section"] == "V.2"
    assert result["run"]["embedder"] == sample_app.embedder.name and result["run"]["prompt"]
    assert result["answer_modes"] == {"extractive": 4}
    # what the LLM would read: its size is measured beside its recall
    assert 0 < s["median_evidence_chars"] <= s["max_evidence_chars"] < 30000
    assert first["evidence_chars"] and first["in_evidence"]
    assert "<svg" in render_html(result)


@pytest.mark.slow
def test_eval_command_writes_json_and_html_and_compares(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    env |= {"PLANBOT_DATA_DIR": str(tmp_path / "data"), "PLANBOT_LLM": "none", "HF_HUB_OFFLINE": "1"}
    out = tmp_path / "run.json"

    def eval_cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot.cli", "eval", "--suite", "tth", "--limit", "2",
                               "--json", str(out), *args], capture_output=True, text=True, env=env, timeout=300)

    old = tmp_path / "old.json"
    old.write_text(json.dumps(make_result([True])), encoding="utf-8")
    run = eval_cli("--no-baseline", "--compare", str(old))
    assert run.returncode == 0, run.stderr
    assert "full accuracy" in run.stdout and "parser outline exact match" in run.stdout
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["summary"]["questions"] == 2 and "baseline" not in result
    assert out.with_suffix(".html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"compared with {old}" in run.stdout
    assert "only in old run: a0, u1; only in new run: tth-001, tth-002" in run.stdout
    assert eval_cli("--compare", str(tmp_path / "missing.json")).returncode == 2


def test_gold_readme_documents_every_field():
    readme = (GOLD_DIR / "README.md").read_text(encoding="utf-8")
    fields = {k for line in (GOLD_DIR / "questions_tth.jsonl").read_text(encoding="utf-8").splitlines()
              if line.strip() for k in json.loads(line)}
    fields |= {k for record in load_gold_obligations() for k in record}
    missing = [f for f in sorted(fields) if f"`{f}`" not in readme]
    assert not missing, missing

