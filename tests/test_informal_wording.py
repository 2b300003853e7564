"""The question as officials type it (lang/lexicon.py, prompts/lexicon_vi.toml, rag/query.py):
shorthand, province abbreviations, unaccented and misspelt words, the plan named by its bare
number. Each informal wording must give the analysis of its formal wording: the slots asked, the
agencies, the plan (province, year, number) and the words of the task."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lang.agencies import find_agencies
from lang.lexicon import spell_out
from lang.normalize import content_tokens, match_tokens
from rag.cues import cues
from rag.query import QueryInfo, analyze

FIXTURE = Path(__file__).parent / "fixtures" / "informal_rewordings.jsonl"

SPELLED = [
    ("hạn bc quý của huyện", "hạn báo cáo quý của huyện"),
    ("sở tài chính làm gì trong kh 165?", "sở tài chính làm gì trong kế hoạch 165?"),
    ("gửi CA tỉnh trước ngày mấy", "gửi Công an tỉnh trước ngày mấy"),
    ("UB TP giao BQL các KCN", "UBND thành phố giao Ban Quản lý các khu công nghiệp"),
    ("BCHQS tỉnh phối hợp với BHYT", "Bộ Chỉ huy Quân sự tỉnh phối hợp với bảo hiểm y tế"),
    ("hạn BCĐ cấp huyện gửi báo cáo tổng điều tra NTNN", "hạn Ban Chỉ đạo cấp huyện gửi báo cáo tổng điều tra nông thôn, nông nghiệp"),
    ("bao lâu 1 lần", "bao lâu một lần"),
    ("ĐN: ma túy", "Đồng Nai và Đà Nẵng: ma túy"),
    ("QĐ 2820 TP.HCM", "Quyết định 2820 Thành phố Hồ Chí Minh"),
    ("KH157 Cần Thơ", "kế hoạch 157 Cần Thơ"),
    # typing slips: a Telex key left in, two letters swapped, a letter mistyped
    ("phoiw hopj voi ai", "phoi hop voi ai"),
    ("phoi hpo voi ai", "phoi hop voi ai"),
    ("TP. Hồ Chí Minh", "thành phố Hồ Chí Minh"),
    ("cảnh báo lừa đảo", "cảnh báo lừa đảo"),
    ("canh bao lua dao", "canh bao lua dao"),
    ("co quan nao chu tir", "co quan nao chu tri"),
    # what must stay as typed
    ("cả tỉnh có bao nhiêu xã", "cả tỉnh có bao nhiêu xã"),  # "cả" is no "CA" (police)
    ("Sở KH và CN báo cáo", "Sở KH và CN báo cáo"),  # an agency's own abbreviation
    ("Sở KH&CN, Sở TT&TT", "Sở KH&CN, Sở TT&TT"),
    ("Kế hoạch 153/KH-UBND", "Kế hoạch 153/KH-UBND"),  # a document number's symbol
    ("Đại hội XIV", "Đại hội XIV"),  # a numeral is no slip
    ("phải làm xong trước ngày nào", "phải làm xong trước ngày nào"),  # a real word is no slip
    ("khảo sát thực trạng", "khảo sát thực trạng"),
    # a syllable typed without its marks is a word, not a slip ("buon" is "buôn", "nguoi" "người")
    ("chong buon lau, nguoi dan, truong hoc", "chong buon lau, nguoi dan, truong hoc"),
    ("chống buôn lậu", "chống buôn lậu"),
]


@pytest.mark.parametrize(("typed", "spelled"), SPELLED)
def test_spell_out(typed: str, spelled: str) -> None:
    assert spell_out(typed) == spelled


# (question, slots asked)
SLOTS = [
    ("hạn bc quý của huyện", ["deadline"]),
    ("thời hạn nộp báo cáo của Sở Y tế", ["deadline"]),
    ("Sở Tài chính báo cáo gửi đâu, hạn chót?", ["deadline", "recipient"]),
    ("các sở ngành báo cáo bao lâu 1 lần, trước ngày mấy?", ["deadline", "frequency"]),
    ("báo cáo theo những kỳ nào?", ["frequency"]),
    ("ai lo vụ tập huấn", ["lead"]),
    ("Sở Y tế phối hợp với sở nào?", ["cooperating"]),
    ("tổng hợp báo cáo gửi lên đâu?", ["recipient"]),
    ("vướng mắc thì báo cáo UBND tỉnh qua đơn vị nào?", ["recipient"]),
    # a question about a topic, not a time, that opens on no slot noun
    ("hạ tầng 5G có những nhiệm vụ gì?", []),
    # the plan's own period is no deadline
    ("Kế hoạch này áp dụng cho năm nào?", []),
]


@pytest.mark.parametrize(("question", "slots"), SLOTS)
def test_informal_slots(question: str, slots: list[str]) -> None:
    assert sorted(analyze(question).asked) == slots


def test_plan_named_by_bare_number() -> None:
    assert analyze("sở y tế làm gì trong kh 153?").plan_refs == [153]
    assert analyze("Theo kế hoạch số 86, ai chủ trì?").plan_refs == [86]
    assert analyze("Nhờ tra giúp phụ lục QĐ 2820 TP.HCM").plan_refs == [2820]
    # a year names the plan's year, a full number is a number, another document is none
    assert analyze("Kế hoạch 2025 của Huế: ai chủ trì?").plan_refs == []
    assert analyze("Kế hoạch 153/KH-UBND: ai chủ trì?").plan_refs == []
    assert analyze("Nghị quyết 214 về cơ quan nào?").plan_refs == []
    # the number names the plan: it is no word of the task
    assert "153" not in analyze("sở y tế làm gì trong kh 153?").subject


def test_ambiguous_province_abbreviation_reaches_each_province() -> None:
    assert analyze("ĐN ma tuý: ai chủ trì?").provinces == ["Đồng Nai", "Đà Nẵng"]
    assert analyze("dn phải báo cáo gì?").provinces == []  # "dn" is "doanh nghiệp"
    # "HN": its usual reading, and the others it may name for the indexed plans to decide
    hn = analyze("sở y tế hn kiểm tra định kỳ thế nào")
    assert (hn.provinces, hn.provinces_also) == (["Hà Nội"], {"Hà Nội": ("Hà Nam",)})
    assert analyze("tp hn giao ai?").provinces_also == {}  # "thành phố": only the city
    assert analyze("Hà Nội giao ai?").provinces_also == {}


# --- informal rewordings: one analysis for the informal and the formal wording ------------------

def _cue_words() -> set[str]:
    table = cues()
    return {w for group in ("kinds", "slots", "slot_openings", "recipient", "opening", "naming")
            for phrases in table[group].values() for p in phrases for w in p.split()}


def task_words(info: QueryInfo) -> set[str]:
    """The words of what is asked about: the subject without cue words, agency names, numbers."""
    agency = {t for m in find_agencies(info.subject) for t in match_tokens(m.name)}
    skip = _cue_words() | agency | {"ke", "hoach", "co", "quan", "don", "vi", "nhung", "cac"}
    subject = " ".join(w for w in info.subject.split() if "&" not in w)  # "Sở KH&CN": the agency
    return {t for t in content_tokens(subject) if t not in skip and not t.isdigit()}


def signature(info: QueryInfo) -> dict:
    return {
        "asked": sorted(info.asked),
        "agencies": sorted(info.agencies),
        "provinces": sorted(info.provinces),
        "years": info.years,
        "plan": sorted(info.plan_refs),
        "document": sorted(info.document),
        "hostile": info.hostile,
        "task": sorted(task_words(info)),
    }


def _rewordings() -> list[dict]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_informal_rewordings_give_the_formal_analysis() -> None:
    rows = _rewordings()
    assert len(rows) >= 40
    differ = [(row["from"], signature(analyze(row["informal"])), signature(analyze(row["formal"])))
              for row in rows if signature(analyze(row["informal"])) != signature(analyze(row["formal"]))]
    assert not differ, "\n".join(f"{i}: {a} != {b}" for i, a, b in differ)


def test_abbreviate_spells_back() -> None:
    from lang.lexicon import abbreviate

    formal = "Theo Kế hoạch năm 2024 của Thừa Thiên Huế, Sở Ngoại vụ báo cáo khu công nghiệp về đâu?"
    short = abbreviate(formal)
    assert short == "Theo kh năm 2024 của TTH, Sở Ngoại vụ bc KCN về đâu?"
    assert spell_out(short).lower() == formal.lower()
