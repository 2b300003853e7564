"""`planbot eval --rewordings`: does an answer hold when the question is worded another way?

For every question of a suite, rewordings are generated from the question's analysis
(rag/query.py): the plan named first, last, in the middle or as a heading ("Kế hoạch Huế 2024:
…"), the diacritics dropped, a polite opening ("Cho tôi hỏi, …"), agencies abbreviated (lang/agencies.py aliases, "Sở TT&TT"),
shorthand typed ("kh", "bc", "KCN": lang/lexicon.py),
phrases swapped for their synonyms (prompts/cues_vi.toml [rewordings]), clauses moved. A
rewording is invariant when it is declined exactly when the original is, and otherwise cites the
original's first section and holds every key fact the original's answer holds. The rate over all
rewordings is the invariance rate. The plan left unnamed is reported apart: unnamed, a question
may rightly reach other plans."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from eval.metrics import GoldItem, fact_present
from lang.agencies import AGENCIES
from lang.lexicon import abbreviate
from lang.normalize import fold
from rag.cues import any_cue, group, synonym_groups
from rag.query import QueryInfo, analyze

MIN_REWORDINGS = 5
# kinds of rewording that must give the same answer (the unnamed plan is reported apart)
COUNTED = ("no_diacritics", "polite", "polite_no_diacritics", "ask_prefix", "no_question_mark", "plan_first", "plan_last", "plan_middle",
           "plan_heading", "plan_last_no_diacritics", "abbreviations", "synonyms", "clauses_moved", "shorthand")


@dataclass(frozen=True)
class Rewording:
    kind: str
    question: str


def _naming(info: QueryInfo, heading: bool = False) -> str:
    """The phrase naming the question's plan, rebuilt from the analysis."""
    place = info.provinces[0] if info.provinces else ""
    spans: list[tuple[int, int] | None] = [*info.periods, *((y, y) for y in info.years)] or [None]
    span = spans[0]
    when = "" if span is None else (str(span[0]) if span[0] == span[1] else f"giai đoạn {span[0]} - {span[1]}")
    if heading:
        return " ".join(p for p in ("Kế hoạch", place, when) if p)
    out = "kế hoạch"
    if span is not None:  # `when` names it
        out += f" năm {when}" if span[0] == span[1] else f" {when}"
    if place:
        out += f" của {place}"
    return out


def _sentence(text: str) -> str:
    """The text without its closing mark, first letter kept as written."""
    return text.rstrip(" ?.!").strip()


def _lower_first(text: str) -> str:
    # a lower-case first letter, unless it begins a name ("Sở", "Ủy ban", "UBND")
    word = text.split(" ", 1)[0]
    if word[:1].isupper() and (word.isupper() or word in ("Sở", "Ủy", "Ban", "Bộ", "Công", "Văn", "Đài", "Báo")):
        return text
    return text[:1].lower() + text[1:]


def _abbreviated(text: str) -> str:
    """Agency names replaced by an abbreviation officials type ("Sở TT&TT", "UBND tỉnh")."""
    out = text
    for name, aliases in sorted(AGENCIES.items(), key=lambda kv: -len(kv[0])):
        # "Sở TT&TT" for "Sở Thông tin và Truyền thông": the same kind of body, its name in capitals
        kind = name.split(" ", 1)[0]
        short = [a for a in aliases if a.startswith(kind + " ") and len(a) < len(name)
                 and any(ch.isupper() for ch in a.split(" ", 1)[1][1:])]
        if short and name in out:
            out = out.replace(name, max(short, key=lambda a: ("&" in a, -len(a))))
    return out.replace("Ủy ban nhân dân", "UBND").replace("Uỷ ban nhân dân", "UBND")


def _synonym(text: str) -> str:
    """The first phrase of a synonym group the text holds, swapped for the next one of its group."""
    folded = fold(text)
    for phrases in synonym_groups("rewordings", "synonyms"):
        for i, phrase in enumerate(phrases):
            at = folded.find(fold(phrase))
            if at >= 0 and re.match(r"(?<![a-z0-9])", folded[at - 1:at] or " ") \
                    and not (folded[at + len(phrase):at + len(phrase) + 1].isalnum()):
                other = phrases[(i + 1) % len(phrases)]
                return text[:at] + other + text[at + len(phrase):]
    return text


def _clauses_moved(subject: str) -> str:
    """The question's clauses in another order ("Ai báo cáo cho ai, hạn khi nào?" → "Hạn khi nào,
    ai báo cáo cho ai?"); a one-clause question, or one whose commas part a list, is left as it is."""
    body = _sentence(subject)
    names = [name for canonical, aliases in AGENCIES.items() for name in (canonical, *aliases)
             if "," in name and name in body]
    for n, name in enumerate(names):  # a name's own commas ("Sở Văn hóa, Thể thao và Du lịch") stay
        body = body.replace(name, f"\x00{n}\x00")
    parts = [p.strip() for p in body.split(",") if p.strip()]
    # each part a clause that asks: the items of one list ("chủ trì, hướng dẫn, kiểm tra các sở,
    # ngành, UBND huyện …") moved would change what is asked
    if len(parts) < 2 or not all(any_cue(fold(p), group("rewordings")["asks"]) for p in parts):
        return subject
    text = ", ".join([parts[-1], *parts[:-1]])
    for n, name in enumerate(names):
        text = text.replace(f"\x00{n}\x00", name)
    return text[:1].upper() + text[1:] + "?"


def rewordings(question: str, follow_up: bool = False) -> list[Rewording]:
    """The rewordings of one question (distinct, none equal to it). A follow-up's plan is named by
    the turns before it: its rewordings do not name one."""
    info = analyze(question)
    subject = info.subject or info.text
    body = _sentence(subject)
    several = len(info.provinces) > 1 or len(info.years) > 1
    polite = f"Cho tôi hỏi, {_lower_first(question)}"
    out: list[Rewording] = [Rewording("no_diacritics", fold(question)), Rewording("polite", polite),
                            Rewording("polite_no_diacritics", fold(polite)),
                            Rewording("ask_prefix", f"Xin hỏi: {question}"),
                            Rewording("no_question_mark", _sentence(question))]
    if not several and not follow_up:
        out.append(Rewording("plan_first", f"Theo {_naming(info)}, {_lower_first(body)}?"))
        out.append(Rewording("plan_last", f"{body[:1].upper()}{body[1:]} theo {_naming(info)}?"))
        out.append(Rewording("plan_heading", f"{_naming(info, heading=True)}: {_lower_first(body)}?"))
        agencies = [a for a in AGENCIES if a in body]
        if agencies:  # the plan between the agency and what it is asked: "Sở X, theo kế hoạch …, phải làm gì?"
            name = agencies[0]
            at = body.index(name) + len(name)
            if body[at:].strip():
                out.append(Rewording("plan_middle", f"{body[:at]}, theo {_naming(info)},{body[at:]}?"))
        if info.provinces or info.years:
            out.append(Rewording("plan_unnamed", f"{body[:1].upper()}{body[1:]}?"))
        out.append(Rewording("plan_last_no_diacritics", fold(f"{body} theo {_naming(info)}?")))
    out.append(Rewording("abbreviations", _abbreviated(question)))
    out.append(Rewording("synonyms", _synonym(question)))
    # shorthand officials type ("kh", "bc", "KCN", "HCM": prompts/lexicon_vi.toml), on the
    # question with its agencies abbreviated too
    out.append(Rewording("shorthand", abbreviate(_abbreviated(question))))
    moved = _clauses_moved(subject)
    if moved != subject:
        out.append(Rewording("clauses_moved", moved if several or follow_up or not (info.provinces or info.years)
                             else f"{_sentence(moved)} theo {_naming(info)}?"))
    seen = {" ".join(question.split())}
    distinct = []
    for r in out:
        key = " ".join(r.question.split())
        if key not in seen:
            seen.add(key)
            distinct.append(r)
    return distinct


def _first_section(answer: dict) -> tuple[str, str] | None:
    cites = answer.get("citations") or []
    return (cites[0]["source"], cites[0]["section"]) if cites else None


def invariant(item: GoldItem, original: dict, reworded: dict) -> bool:
    """Declined exactly when the original is; else the original's first section is cited and every
    key fact the original holds is held."""
    if bool(original["abstained"]) != bool(reworded["abstained"]):
        return False
    if original["abstained"]:
        return True
    first = _first_section(original)
    cited = {(c["source"], c["section"]) for c in reworded.get("citations") or []}
    if first is not None and first not in cited:
        return False
    for alternatives in item.key_facts:
        held = [alt for alt in alternatives if fact_present(alt, original["answer"])]
        if held and not any(fact_present(alt, reworded["answer"]) for alt in alternatives):
            return False
    return True


def run_rewordings(app, items: list[GoldItem], mode: str | None = "extractive") -> dict:
    """Ask every question and its rewordings; the invariance rate, by kind, and the failures."""
    from eval.runner import run_answers

    checked: Counter[str] = Counter()
    held: Counter[str] = Counter()
    per_question: list[int] = []
    failures: list[dict] = []
    for item in items:
        variants = rewordings(item.question, follow_up=bool(item.history))
        per_question.append(sum(v.kind in COUNTED for v in variants))
        asked = [item] + [GoldItem(id=f"{item.id}~{v.kind}", kind=item.kind, question=v.question,
                                   answerable=item.answerable, key_facts=item.key_facts, gold=item.gold,
                                   history=item.history, suite=item.suite) for v in variants]
        original, *answers = run_answers(app, asked, mode=mode)
        for variant, answer in zip(variants, answers, strict=True):
            ok = invariant(item, original, answer)
            checked[variant.kind] += 1
            held[variant.kind] += ok
            if not ok and len(failures) < 200:
                failures.append({"id": item.id, "kind": variant.kind, "question": variant.question,
                                 "original_section": _first_section(original),
                                 "section": _first_section(answer), "abstained": answer["abstained"],
                                 "original_abstained": original["abstained"]})
    counted = sum(checked[k] for k in COUNTED)
    invariant_n = sum(held[k] for k in COUNTED)
    return {
        "questions": len(items),
        "rewordings": counted,
        "invariant": invariant_n,
        "invariance_rate": round(invariant_n / counted, 4) if counted else 0.0,
        "min_per_question": min(per_question) if per_question else 0,
        "questions_with_5_or_more": sum(n >= MIN_REWORDINGS for n in per_question),
        "by_kind": {k: {"n": checked[k], "invariant": held[k]} for k in (*COUNTED, "plan_unnamed") if checked[k]},
        "failures": failures,
    }


def rewordings_table(result: dict) -> str:
    lines = [f"rewordings: {result['rewordings']} of {result['questions']} questions "
             f"({result['questions_with_5_or_more']} with ≥ {MIN_REWORDINGS})  invariant {result['invariant']}"
             f"/{result['rewordings']} ({result['invariance_rate']:.1%})", "", f"{'kind':<16}{'n':>6}{'same':>6}"]
    for kind, row in result["by_kind"].items():
        note = "  (not counted: unnamed, other plans may answer)" if kind == "plan_unnamed" else ""
        lines.append(f"{kind:<16}{row['n']:>6}{row['invariant']:>6}{note}")
    return "\n".join(lines)
