"""Cross-references inside a plan, resolved at ingest to section paths of the same plan.

"… quy định tại điểm b khoản 1 Mục II" → II.1.b (the point, not the khoản); "mục (IV)(3.4)(a)"
(the path printed in brackets) → IV.3.4.a; "Mục III.3.4.b" → III.3.4.b; "các nhiệm vụ nêu tại Mục II" → II; "tại khoản 3
Mục này" → the current part's item 3; "điểm 1 Mục III Kế hoạch" (an item written as "điểm") →
III.1; "mục 6 III Kế hoạch" → III.6; "tại Mục 1.3" → the sub-item 1.3 of the current part;
"theo Phụ lục kèm theo Kế hoạch này" → the plan's appendix. A reference that names another
document ("Điều 5 Nghị định 30/2020/NĐ-CP", "Mục VI Quyết định số 213/QĐ-TTg") is not this plan's.

Hand-written: reference phrases are read on OCR-repaired tokens ("Muc 1V" = "Mục IV"), and whether
they point inside the plan depends on what follows them, which no general library models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.models import ParsedPlan, Section
from lang.normalize import content_tokens, fold, match_tokens
from lang.numbers import ORDINALS

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
          "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15}
_ROMAN_NAME = {v: k for k, v in _ROMAN.items()}
# a word, or a run of bracketed parts kept whole: "mục (IV)(3.4)(a)" prints the path as brackets
_WORD = re.compile(r"(?:\([^\s()]{1,8}\))+|[^\s,;:()]+")
_BRACKETED = re.compile(r"\(([^()]+)\)")
# Words that, right after a reference, name another document: the reference is that document's.
_OTHER_DOCUMENT = {
    ("dieu",), ("nghi", "dinh"), ("nghi", "quyet"), ("quyet", "dinh"), ("luat",), ("thong", "tu"),
    ("chi", "thi"), ("ket", "luan"), ("cong", "van"), ("de", "an"), ("chuong", "trinh"), ("van", "ban"),
    ("thong", "bao"), ("hien", "phap"), ("bo", "luat"), ("phap", "lenh"), ("quy", "che"), ("quy", "dinh"),
    ("huong", "dan"), ("to", "trinh"), ("dieu", "le"),
}
_THIS = {"nay", "tren", "kem", "dinh"}  # "… này", "nêu trên", "kèm theo", "đính kèm"


@dataclass(frozen=True)
class CrossRef:
    section: str  # where the reference is written
    line: int  # 1-based line of the plan file
    phrase: str  # the reference as printed, e.g. "điểm b khoản 1 Mục II"
    targets: tuple[str, ...]  # section paths of this plan it points to (empty: not resolvable)


@dataclass
class _Word:
    text: str
    tokens: tuple[str, ...]

    @property
    def key(self) -> str:
        return " ".join(self.tokens)


def _roman(text: str) -> int | None:
    """A part numeral as printed, OCR included ("1V", "lI", "IIT" are not guessed beyond 1/l/| → I)."""
    cleaned = re.sub(r"[1l|]", "I", text.strip(".,;:()")).upper()
    return _ROMAN.get(cleaned)


def _number(text: str) -> str | None:
    m = re.fullmatch(r"(\d{1,2}(?:\.\d{1,2})*)\.?", text.strip(",;:()"))
    return m.group(1) if m else None


def _letter(text: str) -> str | None:
    t = text.strip(",;:()").lower()
    return t if re.fullmatch(r"[a-zđ]", t) else None


@dataclass
class _Ref:
    point: str | None = None  # letter, or an item number written as "điểm 1"
    item: str | None = None  # "3" or "1.3"
    part: int | None = None
    this_part: bool = False  # "Mục này"
    appendix: str | None = None  # "" for an unnumbered "Phụ lục", else its number
    more_points: tuple[str, ...] = ()  # "điểm a, b khoản 2.2": the points listed after the first
    muc_number: bool = False  # "mục 2": a plain number after "mục" (a part, where parts are 1., 2.)
    start: int = 0
    end: int = 0


def _parse_at(words: list[_Word], i: int) -> _Ref | None:
    """A reference chain starting at words[i] ("điểm", "khoản", "tiểu mục", "mục", "phần", "phụ lục")."""
    ref = _Ref(start=i)
    j = i
    seen = False
    while j < len(words):
        key = words[j].key
        nxt = words[j + 1].text if j + 1 < len(words) else ""
        if key == "diem" and ref.point is None and ref.item is None and ref.part is None and (_letter(nxt) or _number(nxt)):
            ref.point = _letter(nxt) or _number(nxt)
            j += 2
            listed, k = [], j
            while k < len(words) and (_letter(words[k].text) or words[k].key in ("va", "hoac")):
                letter = _letter(words[k].text)
                if letter:
                    listed.append(letter)
                k += 1
            if listed and ref.point and ref.point.isalpha() and k < len(words) and words[k].key in ("khoan", "muc", "tieu"):
                # "điểm a, b khoản 2.2": the letters are points of the same item (only a list that goes
                # on to its item, so a one-letter word of the sentence is not taken for a point)
                ref.more_points, j = tuple(listed), k
        elif key == "khoan" and ref.item is None and ref.part is None and _number(nxt):
            ref.item = _number(nxt)
            j += 2
        elif key == "tieu" and j + 1 < len(words) and words[j + 1].key == "muc" and ref.part is None:
            num = _number(words[j + 2].text) if j + 2 < len(words) else None
            if num is None:
                break
            ref.item = num
            j += 3
        elif key in ("muc", "phan") and ref.part is None and not ref.this_part:
            if words[j].text[:1].islower() and _roman(nxt) is None and _number(nxt) is None and key == "phan":
                break
            roman = _roman(nxt) if not re.fullmatch(r"[\d.]+", nxt.strip(",;:()")) else None
            if roman is None and j + 2 < len(words) and words[j + 1].key == "thu":
                # "Phần thứ hai": the part's number as an ordinal word
                ordinal = ORDINALS.get(words[j + 2].key)
                if ordinal is None:
                    break
                ref.part = ordinal
                j += 3
                seen = True
                continue
            dotted = re.fullmatch(r"([IVXLl1|]{1,5})\.(\d{1,2}(?:\.\d{1,2})*)(?:\.([a-zđ]))?\.?", nxt.strip(",;:)"))
            brackets = _BRACKETED.findall(nxt) if nxt.startswith("(") else []
            if len(brackets) > 1 and _roman(brackets[0]) is not None and ref.item is None:
                # "mục (IV)(3.4)(a)": part, item, point, each in brackets
                ref.part = _roman(brackets[0])
                ref.item = _number(brackets[1])
                if ref.item is None:
                    break
                if len(brackets) > 2 and _letter(brackets[2]) and ref.point is None:
                    ref.point = _letter(brackets[2])
                j += 2
            elif dotted and not dotted.group(1).isdigit() and _roman(dotted.group(1)) is not None and ref.item is None:
                ref.part, ref.item = _roman(dotted.group(1)), dotted.group(2)  # "Mục II.3"
                if dotted.group(3) and ref.point is None:
                    ref.point = dotted.group(3)  # "Mục III.3.4.b"
                j += 2
            elif roman is not None:
                ref.part = roman
                j += 2
            elif _number(nxt) and ref.item is None:
                # "mục 6 III Kế hoạch" (item 6 of part III), "Mục 1.3" (a sub-item)
                ref.item = _number(nxt)
                after = words[j + 2].text if j + 2 < len(words) else ""
                roman_after = _roman(after)
                if roman_after is not None and not after.strip(",;:)").isdigit():
                    ref.part = roman_after
                    j += 3
                else:
                    ref.muc_number = key == "muc" and nxt.strip(",;:().").isdigit()
                    j += 2
            elif _number(nxt) and ref.item is not None and ref.item.split(".")[0] == _number(nxt):
                j += 2  # "khoản 2.2 mục 2": the Arabic part the item's whole number already holds
            elif nxt and match_tokens(nxt) == ["nay"]:
                ref.this_part = True
                j += 2
            else:
                break
        elif key == "phu" and j + 1 < len(words) and words[j + 1].key == "luc" and not seen:
            ref.appendix = ""
            j += 2
            if j < len(words) and words[j].key == "so" and j + 1 < len(words):
                j += 1
            if j < len(words):
                value = _roman(words[j].text) or (int(words[j].text.strip(",;:)."))
                                                  if words[j].text.strip(",;:).").isdigit() else None)
                if value is not None:
                    ref.appendix = str(value)
                    j += 1
            ref.end = j
            return ref
        else:
            break
        seen = True
    if not seen:
        return None
    ref.end = j
    return ref


# between a task list and the part or appendix that numbers it: "nhiệm vụ số 4 và 8 tại Phụ lục I",
# "các nhiệm vụ được giao tại Phần thứ hai", "nhiệm vụ 6 Phần II", "nhiệm vụ nêu tại Mục II"
_TASK_LINK = {"tai", "thuoc", "cua", "theo", "o", "neu", "quy", "dinh", "duoc", "giao", "ghi"}


def _task_list(words: list[_Word], i: int) -> tuple[tuple[str, ...], _Ref] | None:
    """"nhiệm vụ [số] 4 và 8 tại Phụ lục I" at words[i]: the task numbers (rows of an appendix table,
    items of a part) and the part or appendix they are numbered in. A task list naming no part or
    appendix is not read (which part's "nhiệm vụ 6" is meant is not written)."""
    if not (words[i].key == "nhiem" and i + 1 < len(words) and words[i + 1].key == "vu"):
        return None
    j = i + 2
    if j < len(words) and words[j].key == "so":
        j += 1
    numbers: list[str] = []
    while j < len(words):
        number = _number(words[j].text)
        if number is not None and "." not in number:
            numbers.append(number)
        elif not (numbers and words[j].key in ("va", "hoac")):
            break
        j += 1
    links = 0
    while j < len(words) and words[j].key in _TASK_LINK and links < 4:
        j, links = j + 1, links + 1
    if j >= len(words) or words[j].key not in ("phu", "phan", "muc") or (not numbers and not links):
        return None
    container = _parse_at(words, j)
    if container is None or container.item is not None or container.point is not None \
            or (container.part is None and container.appendix is None):
        return None
    if numbers:
        container.start = i  # the phrase is the list with its part; without numbers, the part alone
    return tuple(numbers), container


def _names_other_document(words: list[_Word], end: int, attached_to_decision: bool) -> bool:
    """Does the reference at words[..end] belong to another document? It does when a document
    name follows ("Quyết định số 213/QĐ-TTg", "Nghị định", "Điều 4 Luật …"), unless that name is
    this document ("Kế hoạch này", "Kế hoạch", "Quyết định này" for a plan issued by decision)."""
    rest = words[end : end + 4]
    tokens = [t for w in rest for t in w.tokens]
    while tokens and tokens[0] in ("cua", "tai", "theo", "thuoc", "ban", "hanh", "kem"):
        tokens = tokens[1:]
    if not tokens:
        return False
    if tokens[:2] == ["ke", "hoach"]:
        return len(tokens) > 2 and tokens[2] == "so"  # "Kế hoạch số 12/KH-UBND" is another plan
    for n in (2, 1):
        if tuple(tokens[:n]) in _OTHER_DOCUMENT:
            this_document = tokens[n : n + 1] == ["nay"] and (tokens[:n] != ["quyet", "dinh"] or attached_to_decision)
            return not this_document
    return False


def _unnumbered_appendix(plan: ParsedPlan, line_text: str) -> tuple[str, ...]:
    """"phụ lục kèm theo" with several appendices: the one whose title shares the most words with
    the referring sentence ("Mục tiêu xuất khẩu chi tiết …" → "DANH MỤC HÀNG HÓA … XUẤT KHẨU");
    all of them when none or several share as many."""
    if len(plan.appendices) == 1:
        return (plan.appendices[0].path,)
    words = set(content_tokens(line_text)) - {"phu", "luc", "kem", "theo", "chi", "tiet"}
    scores = []
    for appendix in plan.appendices:
        head = " ".join(appendix.lines[:3])
        scores.append(len(words & (set(content_tokens(head)) - {"phu", "luc"})))
    best = max(scores)
    if best > 0 and scores.count(best) == 1:
        return (plan.appendices[scores.index(best)].path,)
    return tuple(a.path for a in plan.appendices)


def _resolve(ref: _Ref, plan: ParsedPlan, here: Section, line_text: str = "") -> tuple[str, ...]:
    paths = {s.path for s in plan.sections()}
    if ref.appendix is not None:
        if not plan.appendices:
            return ()
        if ref.appendix == "":
            return _unnumbered_appendix(plan, line_text)
        wanted = int(ref.appendix)
        for a in plan.appendices:
            printed = a.label.removeprefix("Phụ lục ").strip()
            value = _ROMAN.get(printed.upper()) or (int(printed) if printed.isdigit() else None)
            if value == wanted:
                return (a.path,)
        return ()
    current_part = next((s for s in [*here.ancestors(), here] if s.level == 1), None)
    current_item = next((s for s in [*here.ancestors(), here] if s.level == 2), None)
    if ref.part is not None:
        part = _ROMAN_NAME.get(ref.part)
    elif ref.this_part or ref.item is not None:
        part = current_part.path if current_part is not None else None
    else:
        part = None
    if ref.point is not None and ref.point.isdigit() and ref.item is None and part is not None:
        ref = _Ref(item=ref.point, part=ref.part, this_part=ref.this_part)  # "điểm 1 Mục III": item 1
    path: str | None
    if ref.muc_number and ref.point is None and current_part is not None and current_part.path.isdigit() \
            and ref.item in paths:
        return (ref.item,)  # "nhiệm vụ tại mục 2 của Kế hoạch" where parts are 1., 2.: part 2
    if ref.item is not None and ref.part is None and current_part is not None and current_part.path.isdigit() \
            and "." in ref.item and ref.item in paths:
        # a plan whose parts are Arabic ("2. NHIỆM VỤ TRỌNG TÂM") names its items by their whole
        # number: "điểm c khoản 2.2 mục 2" is point 2.2.c wherever it is written
        path = ref.item
    elif ref.item is not None:
        if part is None:
            return ()
        path = f"{part}.{ref.item}"
        if path not in paths and "." in ref.item:
            # "Mục 1.3" read from inside a part: its sub-item, wherever the part numbers it
            found = [p for p in paths if p.startswith(part + ".") and p.endswith("." + ref.item)]
            path = found[0] if len(found) == 1 else None
    elif part is not None:
        path = part
    elif ref.point is not None and current_item is not None:
        path = current_item.path  # "điểm b" alone: a point of the current item
    else:
        return ()
    if path is not None and ref.point is not None and (ref.item is not None or ref.part is None):
        return tuple(p for p in (f"{path}.{x}" for x in (ref.point, *ref.more_points)) if p in paths)
    return (path,) if path in paths else ()


def find_xrefs(plan: ParsedPlan) -> list[CrossRef]:
    """Every reference to a part, item, point or appendix of this plan, in reading order, with the
    section paths it resolves to."""
    lines = plan.text.split("\n")
    attached = plan.meta.doc_type == "Quyết định"
    out: list[CrossRef] = []
    paths = {s.path for s in plan.sections()}
    for section in plan.sections():
        for number in range(section.start_line, section.end_line + 1):
            line = lines[number - 1] if number - 1 < len(lines) else ""
            if number == section.start_line and section.path.startswith("PL") and section.level == 1:
                continue  # the appendix's own heading ("PHỤ LỤC 01")
            if number == section.start_line and section.level and section.path not in ("preamble", "closing"):
                line = line.strip()  # the heading's own numbering is not a reference
                line = re.sub(r"^(?:[IVXLT1l|]{1,5}|\d{1,2}(?:\.\d{1,2})*|[a-zđ¢])\s*[.)]\s*", "", line)
            if not _might_refer(line):
                continue
            words = [_Word(w, tuple(match_tokens(w))) for w in _WORD.findall(line)]
            i = 0
            while i < len(words):
                tasks = _task_list(words, i)
                if tasks is not None:
                    numbers, container = tasks
                    if not _names_other_document(words, container.end, attached):
                        whole = _resolve(container, plan, section, line)
                        rows = tuple(f"{whole[0]}.{n}" for n in numbers) if len(whole) == 1 else ()
                        found = tuple(r for r in rows if r in paths)
                        phrase = " ".join(w.text for w in words[container.start : container.end]).rstrip(".,;")
                        out.append(CrossRef(section.path, number, phrase, found or whole))
                    i = container.end
                    continue
                if words[i].key not in ("diem", "khoan", "tieu", "muc", "phan", "phu"):
                    i += 1
                    continue
                ref = _parse_at(words, i)
                if ref is None:
                    i += 1
                    continue
                if _names_other_document(words, ref.end, attached):
                    i = ref.end
                    continue
                if ref.part is None and not ref.this_part and (ref.point is not None or ref.item is not None):
                    # "điểm a và điểm b khoản 1 Mục II", "khoản 1, khoản 2 Mục III": a member of a
                    # list shares what the last member says of the levels above it
                    k = ref.end + (1 if ref.end < len(words) and words[ref.end].key in ("va", "hoac") else 0)
                    following = (_parse_at(words, k) if k < len(words) and words[k].key in ("diem", "khoan")
                                 else None)
                    if following is not None and (following.part or following.this_part
                                                  or (ref.item is None and following.item)):
                        if _names_other_document(words, following.end, attached):
                            i = following.end
                            continue
                        if ref.item is None:
                            ref.item = following.item
                        ref.part, ref.this_part = following.part, following.this_part
                phrase = " ".join(w.text for w in words[ref.start : ref.end]).rstrip(".,;")
                targets = _resolve(ref, plan, section, line)
                if number == section.start_line and ref.start == 0 and targets == (section.path,):
                    i = max(ref.end, i + 1)
                    continue  # "PHẦN I", "Phần thứ hai": the part's own heading names it, it does not refer
                out.append(CrossRef(section.path, number, phrase, targets))
                i = max(ref.end, i + 1)
    return out


_CUE = re.compile(r"(?i)\b(m[uụ]c|kho[aả]n|[đd]i[eểê]m|ph[uụ]\s+l[uụ]c|ph[aầ]n)\b")


def _might_refer(line: str) -> bool:
    return bool(_CUE.search(line)) or "Muc" in line or "muc" in line


def xrefs_by_section(plan: ParsedPlan) -> dict[str, list[CrossRef]]:
    out: dict[str, list[CrossRef]] = {}
    for ref in find_xrefs(plan):
        if ref.targets:
            out.setdefault(ref.section, []).append(ref)
    return out


def names_path(sentence: str, section: str) -> bool:
    """Does a sentence name the section by its number, and its point by its letter ("… tại điểm c
    khoản 2.2 mục 2" names 2.2.c; "điểm a, b khoản 2.2" names 2.2.a and 2.2.b, not 2.2 whole)?
    A chunk's references were resolved at ingest (`find_xrefs`); this tells which of them one of
    its sentences makes."""
    steps = section.split(".")
    letter = steps[-1] if len(steps) > 2 and not steps[-1].isdigit() else None
    number = ".".join(p for p in steps if p.isdigit())
    folded = " ".join(fold(sentence).split())
    named = re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", folded) if number else None
    if named is None:
        return False
    points = re.search(r"\bdiem\b([^.;]*)$", folded[:named.start()])
    if points is None:
        return letter is None
    return letter is not None and re.search(rf"\b{letter}\b", points.group(1)) is not None
