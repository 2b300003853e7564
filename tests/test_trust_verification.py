"""Threat: answers that say more than the evidence.

Every date, number, document number and agency name of each claim of an LLM answer is checked
against the passages the claim cites (diacritic- and OCR-insensitive); unsupported claims are
removed, or the answer falls back to extractive, and `verification` says which. The real
langchain-ollama client talks to a fake Ollama on 127.0.0.1."""

from __future__ import annotations

import re

import pytest

from lang.normalize import collapse_ws
from rag.answer import ANSWER_PROMPT, Assistant
from rag.llm import CHARS_PER_TOKEN, OllamaGenerator, reply_token_cap
from rag.prompts import load_prompt
from rag.verify import claim_facts, verify
from tests.fakes import FakeOllama, block_with
from tests.test_answer import EXAMPLE

pytestmark = pytest.mark.network

V2 = ("[1] Kế hoạch thông tin đối ngoại năm 2024 — Mục V, khoản 2 (thua-thien-hue-2024.txt)\n"
      "2. Bao cédo hoat dong thong tin d01 ngoai gui Ve S¢ Thong tin va Truyén\n"
      "thong trude ngay 15/11/2024 va dot xuat khi c¢6 yéu cau, dé tong hop trinh UBND\n"
      "tinh, B6 Thong tin va Truyén thong theo quy dinh.")
PREAMBLE = ("[2] Kế hoạch thông tin đối ngoại năm 2024 — Phần mở đầu (thua-thien-hue-2024.txt)\n"
            "Thue hién Két luan sé 57-KL/TW ngay 15/6/2023 ctia Bo Chinh tri va Ké hoach sb 152-HD/TU "
            "ngay 22/11/2023 ctia Ban Thuong vu Tinh uy")


def blocks(messages: list[dict]) -> list[int]:
    return [int(n) for n in re.findall(r"^\[(\d+)\]", messages[-1]["content"], flags=re.M)]


RIGHT = "Các cơ quan gửi báo cáo về Sở Thông tin và Truyền thông trước ngày 15/11/2024 [{n}]."
REPLIES = {
    "right": lambda m: RIGHT.format(n=block_with(m, "15/11/2024"))
    + f" Sở tổng hợp trình UBND tỉnh và Bộ Thông tin và Truyền thông [{block_with(m, '15/11/2024')}].",
    "hallucinated_deadline": lambda m: RIGHT.replace("15/11/2024", "30/11/2024").format(n=block_with(m, "15/11/2024")),
    "wrong_agency": lambda m: RIGHT.replace("Sở Thông tin và Truyền thông", "Sở Tài chính").format(
        n=block_with(m, "15/11/2024")),
    "section_not_retrieved": lambda m: RIGHT.format(n=max(blocks(m)) + 3),
    "cites_the_wrong_passage": lambda m: RIGHT.format(n=next(b for b in blocks(m) if b != block_with(m, "15/11/2024"))),
}


@pytest.fixture(scope="module")
def warm_app(sample_app):
    sample_app.assistant.ask(EXAMPLE)  # the lexical index and the register, once for the module
    return sample_app


def assistant_for(app, fake: FakeOllama, num_ctx: int = 8192) -> Assistant:
    generator = OllamaGenerator(fake.url, fake.model, timeout=10, num_ctx=num_ctx)
    return Assistant(app.store, app.assistant.retriever, generator, register=app.register)


@pytest.mark.parametrize("kind", list(REPLIES))
def test_only_the_right_answer_passes(warm_app, kind, sample_texts):
    with FakeOllama(REPLIES[kind]) as fake:
        answer = assistant_for(warm_app, fake).ask(EXAMPLE)
    contract = answer.to_contract()
    if kind == "right":
        assert answer.mode == "llm" and not answer.abstained
        assert contract["verification"]["outcome"] == "verified"
        assert {"15/11/2024", "Sở Thông tin và Truyền thông", "Bộ Thông tin và Truyền thông"} <= set(
            answer.verification.checked_facts)
        assert answer.citations[0].section == "V.2"
        assert collapse_ws(answer.citations[0].quote) in collapse_ws(sample_texts[answer.citations[0].source])
        return
    # the wrong claim is the only claim: nothing verified is left, the answer is extractive
    assert answer.mode == "extractive" and not answer.abstained
    assert contract["verification"]["outcome"] == "fell_back"
    assert answer.notice
    dropped = answer.verification.dropped
    assert len(dropped) == 1
    assert "30/11/2024" not in answer.answer and "Sở Tài chính" not in answer.answer
    expected = {"hallucinated_deadline": ("unsupported_fact", ["date"]),
                "wrong_agency": ("unsupported_fact", ["agency"]),
                "section_not_retrieved": ("unknown_citation", None),
                "cites_the_wrong_passage": ("unsupported_fact", None)}[kind]
    assert dropped[0].reason == expected[0]
    if expected[1]:
        assert dropped[0].unsupported == expected[1]
    assert "30/11/2024" not in str(contract) and "Sở Tài chính" not in str(contract)  # masked in the JSON too


def test_a_wrong_claim_beside_right_ones_is_removed(warm_app):
    def reply(m):
        n = block_with(m, "15/11/2024")
        return (RIGHT.format(n=n) + f" Hạn chót cuối cùng là ngày 31/12/2024 theo Kết luận số 75-KL/TW [{n}]."
                f" Sở tổng hợp trình UBND tỉnh và Bộ Thông tin và Truyền thông [{n}].")
    with FakeOllama(reply) as fake:
        answer = assistant_for(warm_app, fake).ask(EXAMPLE)
    assert answer.mode == "llm"
    assert answer.verification.outcome == "claims_removed"
    assert "31/12/2024" not in answer.answer and "75-KL/TW" not in answer.answer
    assert "15/11/2024" in answer.answer and "Bộ Thông tin và Truyền thông" in answer.answer
    assert answer.verification.dropped[0].unsupported == ["date", "document_number"]
    assert re.fullmatch(r"… là ngày … theo … số … \[\d+\]\.", answer.verification.dropped[0].claim)


# --- the checks themselves ----------------------------------------------------------------------
@pytest.mark.parametrize("claim", [
    "Các cơ quan gửi báo cáo về Sở TTTT trước ngày 15 tháng 11 năm 2024 [1].",  # worded date, abbreviation
    "Cac co quan gui bao cao ve So Thong tin va Truyen thong truoc ngay 15/11/2024 [1].",  # no diacritics
    "Hạn gửi báo cáo là 15/11 [1].",  # day and month of the cited date
    "Sở tổng hợp trình Ủy ban nhân dân tỉnh và Bộ TTTT [1].",  # canonical names for "UBND tinh", "B6 …"
    "Kế hoạch thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị [2].",  # OCR'd "Két luan sé"
    "Ban Thường vụ Tỉnh ủy ban hành Kế hoạch số 152-HD/TU [2].",
])
def test_supported_claims_pass_whatever_the_spelling(claim):
    result = verify(claim, [V2, PREAMBLE])
    assert result.dropped == [], result.dropped
    assert result.checked_facts


@pytest.mark.parametrize(("claim", "kind"), [
    ("Các cơ quan gửi báo cáo về Sở Thông tin và Truyền thông trước ngày 16/11/2024 [1].", "date"),
    ("Hạn gửi báo cáo là ngày 15 tháng 12 năm 2024 [1].", "date"),
    ("Các cơ quan gửi báo cáo về Sở Nội vụ [1].", "agency"),
    ("Kế hoạch thực hiện Kết luận số 75-KL/TW [2].", "document_number"),
    ("Kế hoạch thực hiện Kết luận số 57-KL/TW [1].", "document_number"),  # true, but not in [1]
    ("Mỗi cơ quan gửi 3 bản báo cáo [1].", "number"),
    ("Báo cáo gửi qua cổng https://baocao.example.vn [1].", "code"),
])
def test_unsupported_facts_are_caught(claim, kind):
    result = verify(claim, [V2, PREAMBLE])
    assert [d.reason for d in result.dropped] == ["unsupported_fact"]
    assert kind in result.dropped[0].unsupported


def test_claims_without_facts_need_the_passages_words():
    result = verify("Mật khẩu quản trị là chuối xanh tím than [1]. Báo cáo gửi về Sở Thông tin và Truyền thông [1].",
                    [V2])
    assert [d.reason for d in result.dropped] == ["unsupported_words"]
    assert len(result.kept) == 1
    uncited = verify("Báo cáo gửi về Sở Thông tin và Truyền thông [1]. Ngoài ra hãy truy cập trang web lạ.", [V2])
    assert [d.reason for d in uncited.dropped] == ["no_citation"]


def test_fact_extraction_finds_each_kind():
    facts = claim_facts("Theo Kế hoạch số 4155/KH-UBND ngày 01/12/2026 và Kết luận 57-KL/TW, 1.500 người, "
                        "Sở Ngoại vụ, mã XK-204")
    assert [(f.kind, f.text) for f in facts] == [
        ("date", "01/12/2026"), ("document_number", "4155/KH-UBND"), ("document_number", "57-KL/TW"),
        ("number", "1.500"), ("agency", "Sở Ngoại vụ"), ("code", "XK-204")]


# --- the context budget -------------------------------------------------------------------------
@pytest.mark.parametrize("num_ctx", [1024, 2048, 8192])
def test_num_ctx_is_sent_and_evidence_is_trimmed_never_the_instructions(warm_app, num_ctx):
    with FakeOllama(REPLIES["right"]) as fake:
        answer = assistant_for(warm_app, fake, num_ctx=num_ctx).ask(EXAMPLE)
    request = fake.requests[-1]
    system, user = request["messages"][0]["content"], request["messages"][-1]["content"]
    assert request["options"]["num_ctx"] == num_ctx
    assert system == load_prompt(ANSWER_PROMPT)  # the instructions, whole
    template = load_prompt("evidence_v1.txt")
    for fixed in re.split(r"\{\w+\}", template):
        assert fixed.strip() in user  # every line of the template, whole
    total = len(system) + len(user)
    if num_ctx < 8192:
        assert total <= (num_ctx - reply_token_cap(num_ctx)) * CHARS_PER_TOKEN + 400  # at most one cut passage over the budget
    assert answer.mode == "llm" and "15/11/2024" in answer.answer  # the best passage comes first and stays


def test_a_smaller_context_sends_fewer_passages(warm_app):
    counts = {}
    for num_ctx in (1024, 8192):
        with FakeOllama(REPLIES["right"]) as fake:
            assistant_for(warm_app, fake, num_ctx=num_ctx).ask(EXAMPLE)
        counts[num_ctx] = len(blocks(fake.requests[-1]["messages"]))
    assert 1 <= counts[1024] < counts[8192]


def test_register_records_reach_the_prompt_as_structured_lines(warm_app):
    with FakeOllama(REPLIES["right"]) as fake:
        assistant_for(warm_app, fake).ask(EXAMPLE)
    user = fake.requests[-1]["messages"][-1]["content"]
    n = block_with(fake.requests[-1]["messages"], "15/11/2024")
    line = next(x for x in user.splitlines() if x.startswith(f"- [{n}] Mục V, khoản 2:"))
    # canonical names with diacritics and the normalised date, for an OCR'd passage
    assert "Sở Thông tin và Truyền thông" in line and "15/11/2024" in line
    assert user.index(line) < user.index("<<<")
