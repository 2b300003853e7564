"""Precision and recall of the obligations register against eval/gold/obligations.jsonl.

Each kind is compared on the facts a user asks about, not on whole records:
- reporting lines: (plan, section, recipient, deadline date when the gold has one). The gold files
  the closing paragraph ("Trên đây là Kế hoạch …, đề nghị …") under the last part's path ("IV"),
  the extractor under `closing`; both name the same place. For "báo cáo UBND tỉnh (qua Sở X)" the
  gold records recipient = Sở X, onward = UBND tỉnh, the extractor recipient = UBND tỉnh, via =
  Sở X: either reading counts. A row for a gold row's parallel recipient (`also_recipients`) at
  its place restates that report and is not counted against precision.
- deadlines: (plan, ISO date) for dated ones, (plan, recurrence tag) for recurring ones; an
  extracted record with a date and a recurrence states two facts. Records in the same section
  are paired first, so a fact is matched where it is stated when possible.
- lead agencies: (plan, section, agency) over the assignment records, the gold's co-leads
  ("also") and the sections it says an agency leads in running text ("lead_in") included. A lead
  extracted at a point (II.1.a) whose section (II.1) the gold gives the same lead restates that
  assignment and is not counted against precision.
- cooperating agencies: per gold assignment section, the gold set against the union of what the
  extractor lists for that section (sections the gold does not label are not scored here; a lead
  found in them already counts against lead precision).
Agencies compare by the lexicon's canonical name, or else by their folded consonant frame, so OCR
spellings of names outside the lexicon ("Trung tim Bao ton") still meet the clean ones.

The gold writers' conventions the scorer reads as they are documented (eval/gold/register_real/README.md):
- a gold `recipient` null (the plan names none) meets an extracted row without recipient at its place;
- recurrence `periodic` in a gold meets any recurring tag (obligations.jsonl and the synthetic sets
  write "định kỳ hằng quý" as periodic); `ongoing` and `periodic` ("Thường xuyên") are one tag;
- grouped appendix rows `PL<n>.<group>.<STT>` are placed on the parsed row of that group and STT;
- leads under `preamble` (a decision's articles) are scored only for plans whose gold files some
  (obligations.jsonl predates that convention); a person's title ("Thủ trưởng", "Giám đốc") is no
  part of an agency's key; a long name outside the lexicon and its longer form at one place are one
  lead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sized
from dataclasses import dataclass
from pathlib import Path

from eval.metrics import GOLD_DIR
from lang.agencies import find_agencies
from lang.dates import SLASH, numeric_date
from lang.normalize import match_tokens, skeleton

OBLIGATIONS_FILE = GOLD_DIR / "obligations.jsonl"
_DATE = re.compile(numeric_date(sep=SLASH))


def load_gold_obligations(path: Path = OBLIGATIONS_FILE) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# words that qualify a group without naming another body ("các sở, ngành có liên quan", "cơ quan
# cấp tỉnh", "UBND xã, phường, đặc khu")
_QUALIFIERS = frozenset(["cac", "co", "lien", "quan", "cap", "tinh", "thanh", "pho", "dac", "khu", "don", "vi", "doan", "the", "chuc", "nang", "nhiem", "vu", "tren", "dia", "ban", "va",
                         # a person's title before the body ("Thủ trưởng các sở …", "Giám đốc Sở …") and "(trực) thuộc"
                         "thu", "truong", "giam", "doc", "chanh", "chu", "tich", "thuoc", "truc"])


def agency_keys(name: str | None) -> tuple[str, ...]:
    """The agencies a phrase names: the canonical lexicon names when the lexicon names (nearly) all
    of it ("Các sở, ngành, Ủy ban nhân dân xã, phường, đặc khu" names two groups; "Ban Chỉ huy Bộ
    đội biên phòng" is the lexicon's "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"), else the consonant frame
    of its folded tokens as one name."""
    if not name:
        return ("",)
    tokens = match_tokens(name)
    found = find_agencies(name)
    covered = {i for m in found for i in range(m.start, m.end)}
    rest = [t for i, t in enumerate(tokens) if i not in covered and t not in _QUALIFIERS]
    if found and len(covered) >= 0.6 * (len(covered) + len(rest)):
        return tuple(dict.fromkeys(m.name for m in found))
    while tokens[:1] in (["cac"], ["de"], ["nghi"]):  # "Các Ban Xây dựng Đảng", "Đề nghị …"
        tokens = tokens[1:]
    return (" ".join(skeleton(t) for t in tokens),)


def agency_key(name: str | None) -> str:
    """One key per agency (the first of `agency_keys`)."""
    return agency_keys(name)[0]


def _same_body(a: str, b: str) -> bool:
    """Two keys name one body: equal, or a long name outside the lexicon and the same name with its
    parent body added ("Phòng An ninh chính trị nội bộ" / "… nội bộ Công an tỉnh")."""
    if a == b:
        return True
    short, long = sorted((a.split(), b.split()), key=len)
    return len(short) >= 4 and long[: len(short)] == short


def _iso(text: str | None) -> str | None:
    m = _DATE.search(text or "")
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


@dataclass(frozen=True)
class Fact:
    source: str
    section: str
    key: tuple  # what must agree, beyond the plan
    shown: str  # readable form for the list of misses

    def to_dict(self) -> dict:
        return {"source": self.source, "section": self.section, "fact": self.shown}


def _place(source: str, section: str, last_parts: dict[str, str]) -> str:
    return last_parts.get(source, section) if section == "closing" else section


def _pair(gold: list[Fact], found: list[Fact], agree: Callable[[Fact, Fact], bool],
          last_parts: dict[str, str]) -> tuple[list[Fact], list[Fact], int]:
    """One-to-one pairing, same place first: (gold facts missed, extracted facts unmatched, matched)."""
    free_gold = list(gold)
    free_found = list(found)
    matched = 0
    for same_place in (True, False):
        for g in list(free_gold):
            for f in free_found:
                if f.source != g.source or not agree(g, f):
                    continue
                if same_place and _place(f.source, f.section, last_parts) != g.section:
                    continue
                free_gold.remove(g)
                free_found.remove(f)
                matched += 1
                break
    return free_gold, free_found, matched


def _scores(kind: str, gold: Sized, found: Sized, missed: list[Fact], extra: list[Fact],
            matched: int) -> dict:
    return {
        "kind": kind, "gold": len(gold), "extracted": len(found), "matched": matched,
        "precision": round(matched / len(found), 4) if found else 1.0,
        "recall": round(matched / len(gold), 4) if gold else 1.0,
        "missed": [m.to_dict() for m in missed], "spurious": [e.to_dict() for e in extra],
    }


def _reporting(gold: list[dict], records: list[dict], last_parts: dict[str, str]) -> dict:
    g_facts = []
    for g in gold:
        date = _iso(g.get("deadline_verbatim"))
        shown = f"→ {g['recipient']}" + (f" by {date}" if date else "")
        # "(qua Sở X)": a gold row may give the first recipient as `via` and the final as `recipient`;
        # either one found counts, as for the extractor's rows
        names = tuple(k for n in (g.get("recipient"), g.get("via")) if n for k in agency_keys(n))
        g_facts.append(Fact(g["source"], g["section"], (names, date), shown))
    f_facts = []
    for r in records:
        names = tuple(k for n in (r.get("recipient"), r.get("via")) if n for k in agency_keys(n))
        shown = f"→ {r.get('recipient')}" + (f" (via {r['via']})" if r.get("via") else "") + (
            f" by {r['due_date']}" if r.get("due_date") else "")
        f_facts.append(Fact(r["source"], r["section"], (names, r.get("due_date")), shown))

    def agree(g: Fact, f: Fact) -> bool:
        recipients, date = g.key
        names, due = f.key
        if not recipients:  # the plan names no recipient (README of register_real): neither may the row
            return not names and g.section == _place(f.source, f.section, last_parts) and (date is None or date == due)
        return any(_same_body(a, b) for a in recipients for b in names) and (date is None or date == due)

    missed, extra, matched = _pair(g_facts, f_facts, agree, last_parts)
    # a gold row's parallel recipients ("báo cáo Tỉnh ủy, HĐND, UBND tỉnh": `also_recipients`, README
    # of register_real) are the same report: a row the extractor gives each of them at that place
    # restates it and is not counted against precision
    parallel = {(g["source"], g["section"], k) for g in gold for n in g.get("also_recipients") or ()
                for k in agency_keys(n)}

    def restated(f: Fact) -> bool:
        place = _place(f.source, f.section, last_parts)
        return any((f.source, place, k) in parallel for k in f.key[0])

    kept = [f for f in extra if not restated(f)]
    return _scores("reporting", g_facts, f_facts[len(extra) - len(kept):], missed, kept, matched)


# "Thường xuyên" (all along) is `periodic` to one gold writer and `ongoing` to the other (README of
# register_real): one fact
_SAME_RECURRENCE = {"ongoing": "periodic"}
_RECURRING = frozenset(("periodic", "annual", "semiannual", "quarterly", "monthly", "weekly"))


def _deadlines(gold: list[dict], records: list[dict], last_parts: dict[str, str]) -> dict:
    g_facts = []
    for g in gold:
        if g.get("date"):
            g_facts.append(Fact(g["source"], g["section"], ("date", g["date"]), f"date {g['date']}"))
        elif g.get("recurrence"):
            tag = _SAME_RECURRENCE.get(g["recurrence"], g["recurrence"])
            g_facts.append(Fact(g["source"], g["section"], ("recurrence", tag),
                                f"{g['recurrence']} ({g.get('verbatim', '')})"))
    f_facts = []
    for r in records:
        if r.get("due_date"):
            f_facts.append(Fact(r["source"], r["section"], ("date", r["due_date"]), f"date {r['due_date']}"))
        for tag in dict.fromkeys(_SAME_RECURRENCE.get(t, t) for t in r.get("recurrence") or ()):
            f_facts.append(Fact(r["source"], r["section"], ("recurrence", tag),
                                f"{tag} ({r.get('deadline_text') or ''})".replace(" ()", "")))
    def agree(g: Fact, f: Fact) -> bool:
        # a gold that writes any recurring duty as `periodic` (obligations.jsonl, the synthetic sets)
        # meets the extractor's finer tag ("định kỳ hằng quý" → quarterly)
        return g.key == f.key or (g.key == ("recurrence", "periodic") and f.key[0] == "recurrence"
                                  and f.key[1] in _RECURRING)

    missed, extra, matched = _pair(g_facts, f_facts, agree, last_parts)
    return _scores("deadline", g_facts, f_facts, missed, extra, matched)


def _leads(gold: list[dict], records: list[dict]) -> dict:
    g_set: dict[tuple[str, str, str], str] = {}
    for g in gold:
        for name in (g["agency"], *g.get("also", [])):
            for key in agency_keys(name):  # a shared subject names several agencies, each a lead
                g_set.setdefault((g["source"], g["section"], key), name)
        for section in g.get("lead_in", []):
            for key in agency_keys(g["agency"]):
                g_set.setdefault((g["source"], section, key), g["agency"])
    # a gold that files no decision article of a plan under `preamble` (obligations.jsonl predates that
    # convention of register_real) does not score the extractor's preamble leads of that plan
    with_preamble = {g["source"] for g in gold if g["section"] == "preamble"}
    f_set: dict[tuple[str, str, str], str] = {}
    for r in records:
        if r["section"] == "preamble" and r["source"] not in with_preamble:
            continue
        if r.get("role", "lead") == "lead" and r.get("agency"):
            for key in agency_keys(r["agency"]):
                f_set.setdefault((r["source"], r["section"], key), r["agency"])
    # a lead found at a point of a section the gold gives that lead restates the section's
    # assignment ("1. Sở Tài chính:" then a), b)): gold that labels only the section does not count it
    def restated(key: tuple[str, str, str]) -> bool:
        source, section, agency = key
        parts = section.split(".")
        return any((source, ".".join(parts[:n]), agency) in g_set for n in range(1, len(parts)))

    f_set = {key: name for key, name in f_set.items() if key in g_set or not restated(key)}
    matched = g_set.keys() & f_set.keys()
    # a long name outside the lexicon and the same name with more words ("Ban Quản lý các khu công
    # nghệ cao" / "… cao và khu công nghiệp") at one place are one body, as for reporting lines
    f_matched = set(matched)
    for lone in [k for k in g_set if k not in matched]:
        twin = next((k for k in f_set if k not in f_matched and k[:2] == lone[:2] and _same_body(lone[2], k[2])), None)
        if twin is not None:
            matched.add(lone)
            f_matched.add(twin)
    missed = [Fact(key[0], key[1], (), name) for key, name in g_set.items() if key not in matched]
    extra = [Fact(key[0], key[1], (), name) for key, name in f_set.items() if key not in f_matched]
    return _scores("lead", list(g_set), list(f_set), missed, extra, len(matched))


def _cooperating(gold: list[dict], records: list[dict]) -> dict:
    g_sets: dict[tuple[str, str], dict[str, str]] = {}
    for g in gold:
        g_sets.setdefault((g["source"], g["section"]), {}).update(
            {key: n for n in g.get("cooperating", []) for key in agency_keys(n)})
    f_sets: dict[tuple[str, str], dict[str, str]] = {place: {} for place in g_sets}
    for r in records:
        place = (r["source"], r["section"])
        if place in f_sets:
            lead = agency_key(r.get("agency"))
            f_sets[place].update({key: n for n in r.get("cooperating") or () for key in agency_keys(n) if key != lead})
    missed, extra, matched, n_gold, n_found = [], [], 0, 0, 0
    for place, g in g_sets.items():
        f = f_sets[place]
        n_gold += len(g)
        n_found += len(f)
        matched += len(g.keys() & f.keys())
        missed += [Fact(*place, (), name) for key, name in g.items() if key not in f]
        extra += [Fact(*place, (), name) for key, name in f.items() if key not in g]
    out = _scores("cooperating", [], [], missed, extra, matched)
    out |= {"gold": n_gold, "extracted": n_found,
            "precision": round(matched / n_found, 4) if n_found else 1.0,
            "recall": round(matched / n_gold, 4) if n_gold else 1.0}
    return out


def evaluate_register(records: Iterable[dict], gold: list[dict], last_parts: dict[str, str]) -> dict:
    """Scores per kind. `records` are `Obligation.to_dict()`s; `last_parts` maps each plan to the path
    of its last part (where the gold files closing-paragraph records)."""
    records = list(records)
    by_kind = {kind: [r for r in records if r["kind"] == kind] for kind in ("reporting", "deadline", "assignment")}
    gold_by_kind = {kind: [g for g in gold if g["kind"] == kind] for kind in ("reporting", "deadline", "assignment")}
    sources = {g["source"] for g in gold}
    for kind in by_kind:  # plans without any gold record are not scored
        by_kind[kind] = [r for r in by_kind[kind] if r["source"] in sources]
    kinds = [
        _reporting(gold_by_kind["reporting"], by_kind["reporting"], last_parts),
        _deadlines(gold_by_kind["deadline"], by_kind["deadline"], last_parts),
        _leads(gold_by_kind["assignment"], by_kind["assignment"]),
        _cooperating(gold_by_kind["assignment"], by_kind["assignment"]),
    ]
    return {k["kind"]: k for k in kinds}


# --- `planbot eval --suite register`: the register alone, per plan, on any gold and plan folders ---

SCORED_KINDS = ("reporting", "lead", "cooperating", "deadline")


def load_register_gold(path: Path) -> list[dict]:
    """Gold rows from one JSONL file, or from every `*.jsonl` of a folder (sub-folders included;
    README files are not gold)."""
    files = sorted(p for p in path.rglob("*.jsonl")) if path.is_dir() else [path]
    rows: list[dict] = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{file}:{number}: {exc}") from exc
            if not isinstance(row, dict) or "source" not in row or "kind" not in row:
                raise ValueError(f"{file}:{number}: a gold row needs `source` and `kind`")
            rows.append(row)
    return rows


def _section_of_line(plan, line: int) -> str | None:
    """The deepest section whose lines hold `line` (1-based); the closing paragraph's line is filed
    under the last part, as the gold files it."""
    found = None
    for part in plan.parts:
        for section in part.walk():
            if section.start_line <= line <= section.end_line:
                found = section.path
    if found is None and plan.parts and line > plan.parts[-1].start_line:
        found = plan.parts[-1].path
    return found


def _line_of_quote(text: str, quote: str) -> int | None:
    """The 1-based line where a quote starts, compared on folded tokens (line breaks, spacing and
    diacritics of the quote may differ from the file's)."""
    wanted = match_tokens(quote)[:8]
    if not wanted:
        return None
    tokens: list[str] = []
    line_of: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for token in match_tokens(line):
            tokens.append(token)
            line_of.append(number)
    n = len(wanted)
    for i in range(len(tokens) - n + 1):
        if tokens[i: i + n] == wanted:
            return line_of[i]
    return None


_GROUPED_ROW = re.compile(r"^(PL\d+)\.([IVXL]+)\.(\d+)$")


def _grouped_rows(plan) -> dict[str, str]:
    """`PL<n>.<group>.<STT>` → the row's path in the parsed plan (`PL<n>.<row>`, by position), for
    appendix tables whose STT restarts inside Roman-numbered groups: the gold addresses those rows
    by group (README of register_real), the parser by position."""
    out: dict[str, str] = {}
    for appendix in getattr(plan, "appendices", None) or ():
        group = None
        for row in appendix.children:
            cell = row.heading.split("|", 1)[0].strip().rstrip(".")
            if re.fullmatch(r"[IVXL]+", cell):
                group = cell
            elif group and cell.isdigit():
                out.setdefault(f"{appendix.path}.{group}.{int(cell)}", row.path)
    return out


def place_gold(gold: list[dict], plans: dict) -> list[dict]:
    """Gold rows with a `section`: kept; with a `line` or only a `quote`: given the section of that
    line in the parsed plan (`plans`: source → ParsedPlan). Rows that cannot be placed keep
    section None (they still count, and can only match by plan)."""
    out = []
    grouped = {source: _grouped_rows(plan) for source, plan in plans.items()}
    for row in gold:
        if row.get("section"):
            path = grouped.get(row["source"], {}).get(row["section"]) if _GROUPED_ROW.match(row["section"]) else None
            out.append(row | {"section": path} if path else row)
            continue
        plan = plans.get(row["source"])
        line = row.get("line")
        if plan is not None and not isinstance(line, int) and row.get("quote"):
            line = _line_of_quote(plan.text, row["quote"])
        section = _section_of_line(plan, line) if plan is not None and isinstance(line, int) else None
        out.append(row | {"section": section or "?"})
    return out


def normalise_gold(gold: list[dict]) -> list[dict]:
    """Optional fields of the gold format mapped onto the scored ones: `frequency` is a recurrence;
    a `relative` deadline ("trong 15 ngày kể từ …", "khi nước rút") is scored as the tag `relative`."""
    out = []
    for row in gold:
        row = dict(row)
        if row["kind"] == "deadline":
            if not row.get("recurrence") and row.get("frequency"):
                row["recurrence"] = row["frequency"]
            if not row.get("date") and not row.get("recurrence") and row.get("relative"):
                row["recurrence"] = "relative"
        out.append(row)
    return out


def register_records_for_eval(records: Iterable[dict]) -> list[dict]:
    """Extracted rows as the scorer reads them: a relative deadline is the recurrence tag `relative`."""
    out = []
    for r in records:
        if r.get("kind") == "deadline" and r.get("relative") and "relative" not in (r.get("recurrence") or ()):
            r = r | {"recurrence": [*(r.get("recurrence") or ()), "relative"]}
        out.append(r)
    return out


def register_suite(records: list[dict], gold: list[dict], last_parts: dict[str, str]) -> dict:
    """Scores per kind over all plans, and per plan."""
    records = register_records_for_eval(records)
    total = evaluate_register(records, gold, last_parts)
    per_plan = {}
    for source in sorted({g["source"] for g in gold}):
        per_plan[source] = evaluate_register([r for r in records if r["source"] == source],
                                             [g for g in gold if g["source"] == source], last_parts)
    return {"total": total, "plans": per_plan}


def register_table(result: dict) -> str:
    def cells(scores: dict) -> str:
        return "".join(f"{scores[k]['precision']:>6.2f}{scores[k]['recall']:>6.2f}{scores[k]['gold']:>5}"
                       for k in SCORED_KINDS)

    head = f"{'plan':<52}" + "".join(f"{k[:11]:>17}" for k in SCORED_KINDS)
    sub = f"{'':<52}" + "".join(f"{'P':>6}{'R':>6}{'n':>5}" for _ in SCORED_KINDS)
    lines = [head, sub]
    for source, scores in result["plans"].items():
        lines.append(f"{source[:51]:<52}" + cells(scores))
    lines.append(f"{'TOTAL':<52}" + cells(result["total"]))
    return "\n".join(lines)


def register_misses(result: dict) -> str:
    """The facts behind the figures, per plan and kind: gold facts not extracted ("- ") and
    extracted facts not in the gold ("+ "), so a miss can be traced to its section."""
    lines = []
    for source, scores in result["plans"].items():
        for kind in SCORED_KINDS:
            entries = [("-", m) for m in scores[kind]["missed"]] + [("+", e) for e in scores[kind]["spurious"]]
            if not entries:
                continue
            lines.append(f"## {source} {kind}: {len(scores[kind]['missed'])} missed, "
                         f"{len(scores[kind]['spurious'])} spurious")
            lines += [f"{sign} {e['section']}: {e['fact']}" for sign, e in entries]
    return "\n".join(lines)
