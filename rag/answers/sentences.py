"""The general answer: the plan's sentence that best covers what is asked (and a second one from
the same passage when it adds what the first lacks), with the item's agency and the roles it
names spelled canonically."""

from __future__ import annotations

import re

from index.facts import SentenceFacts, is_time_line
from index.models import Chunk
from index.obligations.sections import labelled_field
from lang.agencies import AGENCIES, find_bodies
from lang.normalize import collapse_ws, fold, match_tokens, search_terms
from rag import passage
from rag.answers.common import MAX_QUOTE_CHARS, citation, trim_quote
from rag.answers.continuing import with_continuation
from rag.answers.listing import MAX_ITEMS, group_lines, heading_line, listed_lines
from rag.answers.reader import MIN_COVERAGE, PlanReader, quote_roles, whole_name
from rag.answers.record import item_slot
from rag.answers.references import follow
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message, slot
from rag.slots import filled, money_figures
from rag.types import Citation


def sentence_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence,
                    scored: list[tuple[float, float, Chunk, str]], citations: list[Citation]) -> str:
    scored = _several_sums_first(prepared, scored)
    _, _, chunk, sentence = scored[0]
    weights = _with_roles(reader.weights(prepared, plan.title), prepared.info.kinds)
    quote = trim_quote(collapse_ws(sentence), weights)
    picked = [(chunk, quote)]
    # the rest of the point (bullet or field) when it holds what the first sentence lacks
    continued = with_continuation(chunk, sentence, quote,
                                  lambda text: reader.score_sentence(text, set(), weights, [])[0],
                                  MAX_QUOTE_CHARS, lambda text, limit: trim_quote(text, weights, limit))
    if continued is not None:
        picked = [(chunk, continued[0]), (chunk, continued[1])]
    # a second sentence when the question asks two things (where *and* when) or it adds facts
    for score, coverage, other_chunk, other in scored[1:4] if continued is None else ():
        if (other_chunk.chunk_id == chunk.chunk_id and coverage >= 0.5 * scored[0][1]
                and score >= 0.8 * scored[0][0] and len(quote) + len(other) < MAX_QUOTE_CHARS
                and not _sibling_dash_time(reader, chunk, quote, other)):
            picked.append((other_chunk, trim_quote(collapse_ws(other), {})))
            break
    # a lead-in ("- Các nội dung … bao gồm:") announces the "+" lines under it: they are the
    # answer, every one, one a line (a second quote that is one of them would drop the others)
    announced = group_lines(chunk, quote) if quote.rstrip().endswith(":") else None
    if announced:
        picked = [(c, rest) for c, q in picked if (rest := _past_lines(q, announced) if c.chunk_id == chunk.chunk_id
                                                     else q)]
    quotes = [q for _, q in picked]
    asked_item = _heading_asked(chunk, quotes, scored)
    listed = _heading_list(reader, prepared, plan, asked_item, quotes if asked_item is chunk else [], citations)
    if listed is not None:
        return listed
    lead_in = _lead_in(reader, prepared, plan, chunk, " ".join(q for _, q in picked))
    if lead_in is None:
        lead_in = _role_heading(prepared, chunk, " ".join(q for _, q in picked))
    if lead_in is not None:
        picked.insert(0, lead_in)
    sibling = _sibling_point(reader, prepared, plan, chunk, " ".join(q for _, q in picked))
    if sibling is not None:
        picked.insert(0, sibling)
    parts = []
    for picked_chunk, picked_quote in picked:
        citations.append(citation(len(citations) + 1, picked_chunk, picked_quote))
        parts.append(f"{picked_quote} [{len(citations)}]")
    kinds = set(prepared.info.kinds)
    said = " ".join(q for _, q in picked)
    quoted = said  # the roles a sentence names are read from the quote, not from the fields added
    # "những cơ quan nào chủ trì/phối hợp …?": the item's labelled lines name them all
    for wanted in ("lead", "cooperating"):
        line = passage.labelled(chunk, wanted) if wanted in kinds or "duty" in kinds else None
        line_chunk = chunk
        if line is None and wanted in prepared.info.asked:
            # the item's fields stand in sibling points ("a) Nhiệm vụ: …", "b) Cơ quan thực
            # hiện: - Đơn vị chủ trì: …", "c) Thời gian thực hiện: …")
            line_chunk, line = _labelled_in_item(reader, chunk, wanted) or (chunk, None)
        if line and collapse_ws(line) not in said:
            citations.append(citation(len(citations) + 1, line_chunk, collapse_ws(line)))
            parts.append(f"{collapse_ws(line).lstrip('-–+• ')} [{len(citations)}]")
            said += " " + line
    # every part the question asks: a reporting line or a time the quote lacks is looked for in
    # the same item ("… tổ chức thực hiện Tiểu dự án 1 … Hoàn thành, báo cáo kết quả … trong tháng 11")
    wants = []
    if "reporting" in kinds and not _REPORTING.search(fold(said)):
        wants.append(lambda text: bool(_REPORTING.search(fold(text))))
    if "deadline" in kinds and not passage.has_time(said):
        wants.append(passage.has_time)
    if "deadline" in kinds and passage.labelled(chunk, "time") is None:
        # the item's own time field, in a sibling point ("c) Thời gian thực hiện: Hoàn thành trong
        # năm 2025"): the time of the task quoted, even when the quote cites a dated decision
        field_time = _labelled_in_item(reader, chunk, "time")
        if field_time is not None and passage.has_time(field_time[1]) and collapse_ws(field_time[1]) not in said:
            citations.append(citation(len(citations) + 1, field_time[0], collapse_ws(field_time[1])))
            parts.append(f"{collapse_ws(field_time[1]).lstrip('-–+• ')} [{len(citations)}]")
            said += " " + field_time[1]
            wants = [w for w in wants if w is not passage.has_time]
    for want in wants:
        found = _own_field(chunk, quote) if want is passage.has_time else None
        if want is passage.has_time and found is None and chunk.facts.dash_time:
            # each dash carries its own time line (index/items.py): the quoted dash's, or none, never
            # a sibling dash's that ranks close
            own = item_slot(reader, chunk, "time", quote)
            if own is None:
                continue
            found = (own[0], own[1].line)
        found = found or next(((other_chunk, other) for _, _, other_chunk, other in scored
                               if other_chunk.chunk_id == chunk.chunk_id and other not in said and want(other)), None)
        if found is None:
            # another point of the same item ("a) Là cơ quan thường trực …" asked when that body
            # reports: its point "c) … báo cáo Bộ Nội vụ trước ngày 15/12/2026")
            found = _in_same_item(reader, prepared, plan, chunk, said, want)
        if found:
            found_chunk, extra = found
            extra = trim_quote(collapse_ws(extra), reader.weights(prepared, plan.title))
            citations.append(citation(len(citations) + 1, found_chunk, extra))
            parts.append(f"{extra} [{len(citations)}]")
            said += " " + extra
    parts.extend(follow(reader, chunk, said, citations))  # "quy định tại điểm b khoản 1 Mục II"
    items: list[str] = []
    if len(chunk.text.strip().split("\n")) == 1 and collapse_ws(chunk.text) == collapse_ws(sentence):
        # the best match is a heading (“2. Hình thức khen thưởng”): what it heads is the answer,
        # one item a line
        items = _items_under(reader, prepared, plan, chunk, scored[0][1], citations)
    elif announced:
        items = [*announced[:MAX_ITEMS], *([f"(và {len(announced) - MAX_ITEMS} mục khác)"]
                                           if len(announced) > MAX_ITEMS else [])]
    roles = quote_roles(reader, chunk, quoted) if quoted == said else None
    if roles:
        parts[-1] = parts[-1] + " " + roles
    if ("lead" in kinds or "lead" in prepared.info.asked) and not _lead_named(said, roles) \
            and reader.section_agency(chunk) is None:
        # a body the quote names without leading ("trình UBND tỉnh ban hành") is no lead: the
        # lead may still be given by reference
        # a task of the plan's body whose lead the implementation part gives by reference ("3.2.
        # Giao Bộ Chỉ huy BĐBP tỉnh: - Chủ trì thực hiện nhiệm vụ tại điểm c khoản 2.2 mục 2")
        by_reference = _lead_by_reference(reader, chunk)
        if by_reference is not None:
            referring, line, lead = by_reference
            citations.append(citation(len(citations) + 1, referring, line))
            parts.append(slot("lead_by_reference", label=referring.section_label, lead=lead,
                              text=line.lstrip("-–+• ")) + f" [{len(citations)}]")
    if ("cooperating" in kinds or "cooperating" in prepared.info.asked) and not filled("cooperating", said):
        # "- Phối hợp thực hiện nhiệm vụ tại điểm a khoản 2 Mục II" under a body's heading: that
        # body partners the item (the register row where the line is written, read at ingest)
        by_reference = _lead_by_reference(reader, chunk, role="cooperate")
        if by_reference is not None:
            referring, line, partner = by_reference
            citations.append(citation(len(citations) + 1, referring, line))
            parts.append(slot("partner_by_reference", label=referring.section_label, partner=partner,
                              text=line.lstrip("-–+• ")) + f" [{len(citations)}]")
    label = chunk.section_label
    agency = reader.section_agency(chunk)
    if agency:
        agency = whole_name(chunk, agency)
    if agency and match_tokens(agency)[:3] != match_tokens(quote)[:3]:
        label = f"{label} – {agency}"  # the heading names who the point is for
    head = message("according_to", title=plan.title, label=label) + ": " + " ".join(parts)
    return "\n".join([head, *(item if item.startswith("(") else "- " + item.lstrip("-–+• ") for item in items)])


def _past_lines(quote: str, lines: list[str]) -> str:
    """A quote without the listed lines it holds: a sentence read across the last "+" line and the
    field after it ("+ Bảo đảm … - Cơ quan thực hiện: …") keeps the field; one of the lines, nothing."""
    text = collapse_ws(quote)
    for line in lines:
        line = collapse_ws(line)
        if text.startswith(line) or line.startswith(text.rstrip(" .;…")):
            text = text[len(line):].strip() if text.startswith(line) else ""
    return text


def _heading_asked(chunk: Chunk, quotes: list[str], scored: list[tuple[float, float, Chunk, str]]) -> Chunk | None:
    """The item whose heading the question matched: the best passage's own heading among the
    sentences picked, or a heading that covers the question as fully as the best sentence does
    ("6. Các doanh nghiệp thứ cấp …" for "doanh nghiệp thứ cấp phải làm gì?", where a dash of
    another item also names them): the heading names its item, a passing mention does not."""
    if heading_line(chunk) in quotes or group_lines(chunk, quotes[0]):
        return chunk
    best = scored[0][1]
    for _, coverage, other, sentence in scored[1:4]:
        if coverage >= best and heading_line(other) == collapse_ws(sentence):
            return other
    return None


def _heading_list(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, chunk: Chunk | None,
                  quotes: list[str], citations: list[Citation]) -> str | None:
    """The question matched an item's heading ("2. Mục tiêu cụ thể" for "liệt kê các mục tiêu cụ
    thể"): the heading alone says nothing, the lines it heads are the answer, every one, whole.
    Not when a value is asked (a date, a body, a sum): that is one sentence of the item."""
    if chunk is None or prepared.info.asked:
        return None
    heading = heading_line(chunk)
    group = group_lines(chunk, quotes[0]) if quotes and heading not in quotes else None
    if group:
        heading = collapse_ws(quotes[0]).lstrip("-–+• ")  # "- Cấp xã": the group the question named
    if heading is None:
        return None
    weights = reader.weights(prepared, plan.title)
    lines = group or listed_lines(chunk, lambda text: reader.score_sentence(text, set(), weights, [])[0])
    if not lines:
        return None
    shown = lines[:MAX_ITEMS]
    listed = []
    for line in shown:
        citations.append(citation(len(citations) + 1, chunk, line))
        listed.append("- " + line.lstrip("-–+• ") + f" [{len(citations)}]")
    if len(lines) > len(shown):
        listed.append(f"(và {len(lines) - len(shown)} mục khác)")
    agency = reader.section_agency(chunk)
    # the heading names the item: its body ("6. Các doanh nghiệp thứ cấp …") or its subject
    named = f" – {whole_name(chunk, agency)}:" if agency else f" — {heading}:"
    head = message("according_to", title=plan.title, label=chunk.section_label) + named
    return "\n".join([head, *listed])


# the words that state a role in a sentence: a long sentence is cut where they stand when the role is asked
# ("phối hợp với Sở Y tế", not "cơ chế phối hợp liên ngành")
_ROLE_TERMS = {"lead": ("chu_tri",), "cooperating": ("phoi_hop", "hop_voi")}


def _with_roles(weights: dict[str, float], kinds: list[str]) -> dict[str, float]:
    """The question's weights with the role asked as heavy as its heaviest term: a long sentence
    cut to a window ("d) Phối hợp với Sở Nội vụ … tham mưu, đề xuất … theo Thông tư số …") keeps the
    words naming who leads or cooperates (the answer, not words of the question) before any other."""
    roles = [term for k in kinds for term in _ROLE_TERMS.get(k, ())]
    if not roles or not weights:
        return weights
    whole = sum(weights.values())
    return {**weights, **{term: weights.get(term, 0.0) + whole for term in roles}}


def _lead_in(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, chunk: Chunk,
             said: str) -> tuple[Chunk, str] | None:
    """The sentence that leads into a point's list ("1. Tổng kinh phí … là 4.850.000.000 đồng,
    trong đó:" above "a) Ngân sách tỉnh: …"), when it holds question words the point lacks: a
    question asking the whole and a part is answered by both."""
    own = _dash_lead_in(chunk, said)
    if own is not None:
        parent, lead = own  # "1. Tổng kinh phí … là 186.500 triệu đồng, trong đó:" over "- Ngân sách tỉnh: …"
    else:
        if chunk.section.count(".") < 2:
            return None
        parent_path = chunk.section.rsplit(".", 1)[0]
        snap = reader.store.snapshot()
        found = next((c for c in (snap.chunks_of(chunk.source) if snap else []) if c.section == parent_path), None)
        if found is None or not found.facts.sentences:
            return None
        parent, lead = found, found.facts.sentences[-1]
    if not lead.text.rstrip().endswith(":") or len(lead.tokens) < LEAD_IN_TOKENS or lead.withheld:
        return None
    weights = reader.weights(prepared, plan.title)
    have = set(search_terms(match_tokens(said)))
    missing = {t: w for t, w in weights.items() if t not in have}
    if not missing or sum(missing.values()) < LEAD_IN_SHARE * sum(weights.values()):
        return None
    gained, _ = reader.score_sentence(lead.text, set(), missing, [], lead.tokens)
    return (parent, trim_quote(collapse_ws(lead.text), weights)) if gained >= LEAD_IN_SHARE else None


# how close to the best a passage stating every sum asked must rank to answer before it
SUMS_SHARE = 0.7
_HOW_MUCH = "bao nhieu"


def _several_sums_first(prepared: Prepared, scored: list[tuple[float, float, Chunk, str]]
                        ) -> list[tuple[float, float, Chunk, str]]:
    """"Tổng kinh phí … bao nhiêu, Quỹ X chi bao nhiêu?": two sums asked, and the best sentence
    states one ("tham mưu bố trí kinh phí …; tổng kinh phí dự kiến 38.600 triệu đồng"): the item
    ranked close whose sentences state as many ("1. Tổng kinh phí dự kiến 38.600 triệu đồng, trong
    đó: …; Quỹ … 9.500 triệu đồng") answers first, its sentences in the item's order."""
    asks = prepared.info.folded.count(_HOW_MUCH)
    if not prepared.info.money or asks < 2 or len(scored) < 2 or money_figures(scored[0][3]) >= asks:
        return scored
    close = [item for item in scored[:4] if item[0] >= SUMS_SHARE * scored[0][0]]
    for item in close:
        chunk_id = item[2].chunk_id
        same = [other for other in close if other[2].chunk_id == chunk_id]
        if chunk_id != scored[0][2].chunk_id and sum(money_figures(other[3]) for other in same) >= asks:
            same.sort(key=lambda other: other[2].text.find(other[3][:40]))  # as the item says them
            return same + [other for other in scored if other[2].chunk_id != chunk_id]
    return scored


def _dash_lead_in(chunk: Chunk, said: str) -> tuple[Chunk, SentenceFacts] | None:
    """The item's own sentence that leads into its dashes (dashes belong to their item's section),
    when the quote is one of those dashes: the last sentence ending in ":" before it."""
    folded_said = collapse_ws(said)
    before: SentenceFacts | None = None
    for sentence in chunk.facts.sentences:
        text = collapse_ws(sentence.text)
        if text and (text in folded_said or folded_said in text):
            if before is not None and text.startswith(("-", "+")):
                return chunk, before
            return None
        if text.rstrip().endswith(":"):
            before = sentence
    return None


# the words that give a line the role a question asks for
_ROLE_CUES = {"lead": ("chu tri", "dau moi"), "cooperating": ("phoi hop",)}


def _role_heading(prepared: Prepared, chunk: Chunk, said: str) -> tuple[Chunk, str] | None:
    """The heading line of the quoted list when it names the role asked and the quote does not
    ("5. Sở Y tế chủ trì, phối hợp với Sở Nông nghiệp và Môi trường thực hiện …, như:" above
    "- Nâng cao năng lực ứng phó thiên tai …"): who leads and who cooperates is said once, for the list."""
    roles = [r for r in ("lead", "cooperating") if r in prepared.info.asked and not filled(r, said)]
    first = chunk.text.strip().split("\n", 1)[0]
    if not roles or collapse_ws(first) in collapse_ws(said) or not first.rstrip().endswith(":"):
        return None
    folded = " ".join(fold(first).split())
    if all(filled(r, first) and any(f" {cue} " in f" {folded} " for cue in _ROLE_CUES[r]) for r in roles):
        return chunk, trim_quote(collapse_ws(first), {})
    return None


def _sibling_point(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, chunk: Chunk,
                   said: str) -> tuple[Chunk, str] | None:
    """The point beside the quoted one that says the other thing asked ("Chủ đề và thời gian …?"
    answered by "b) Thời gian: …" and "a) Chủ đề …"): a question asking two things of one item is
    answered by both of its points."""
    if chunk.section.count(".") < 2 or not _asks_two(prepared):
        return None
    parent_path = chunk.section.rsplit(".", 1)[0]
    snap = reader.store.snapshot()
    weights = reader.weights(prepared, plan.title)
    have = set(search_terms(match_tokens(said)))
    missing = {t: w for t, w in weights.items() if t not in have}
    if not missing or sum(missing.values()) < SIBLING_SHARE * sum(weights.values()):
        return None
    missing_share = sum(missing.values()) / sum(weights.values())
    best: tuple[float, Chunk, str] | None = None
    for other in snap.chunks_of(chunk.source) if snap else []:
        if other.section.rsplit(".", 1)[0] != parent_path or other.section == chunk.section \
                or other.section.count(".") != chunk.section.count(".") or not other.facts.sentences:
            continue
        first = other.facts.sentences[0]
        if first.withheld:
            continue
        gained, _ = reader.score_sentence(first.text, set(), missing, [], first.tokens)
        gained *= missing_share  # the share of the whole question the point adds
        if gained >= SIBLING_SHARE and (best is None or gained > best[0]):
            best = (gained, other, first.text)
    return (best[1], trim_quote(collapse_ws(best[2]), weights)) if best else None


def _asks_two(prepared: Prepared) -> bool:
    """Does the question join two things it asks with "và", outside the bodies it names ("Sở Nông
    nghiệp và Môi trường" is one body)?"""
    folded = f" {prepared.info.folded} "
    for name in prepared.info.agencies:
        for form in (name, *AGENCIES.get(name, ())):
            folded = folded.replace(f" {' '.join(fold(form).split())} ", " _ ")
    return " va " in folded


SIBLING_SHARE = 0.15  # of the question's weight the sibling point must add
LEAD_IN_TOKENS = 8  # longer than a heading naming a body ("8. Ủy ban nhân dân các xã, phường:")
LEAD_IN_SHARE = 0.25


def _in_same_item(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, chunk: Chunk, said: str,
                  want) -> tuple[Chunk, str] | None:
    """The sentence of another point of the chunk's item (a numbered item of a part: "IV.1") that
    holds what is wanted and covers the question best; None for a chunk not inside such an item."""
    parts = chunk.section.split(".")
    if len(parts) < 3:
        return None
    item = ".".join(parts[:2])
    snap = reader.store.snapshot()
    weights = reader.weights(prepared, plan.title)
    best: tuple[float, Chunk, str] | None = None
    for other in snap.chunks_of(chunk.source) if snap else []:
        if other.chunk_id == chunk.chunk_id or not other.section.startswith(item + "."):
            continue
        for fact in other.facts.sentences:
            if fact.withheld or collapse_ws(fact.text) in said or not want(fact.text):
                continue
            coverage, _ = reader.score_sentence(fact.text, other.facts.heading_terms, weights, [], fact.tokens)
            if coverage >= MIN_COVERAGE and (best is None or coverage > best[0]):
                best = (coverage, other, fact.text)
    return (best[1], best[2]) if best else None


def _sibling_dash_time(reader: PlanReader, chunk: Chunk, quote: str, other: str) -> bool:
    """Whether `other` is the time line of another dash of an item that writes one under each dash
    (index/items.py): it ranks close when the question names its date ("… trước 30/11/2025 phải
    không?"), but it dates the sibling task, never the one quoted."""
    if not chunk.facts.dash_time or not is_time_line(other):
        return False
    own = item_slot(reader, chunk, "time", quote)
    return own is None or collapse_ws(own[1].line) != collapse_ws(other)


def _own_field(chunk: Chunk, quote: str) -> tuple[Chunk, str] | None:
    """The time field right under the quoted dash ("- Báo cáo kết quả … \nThời hạn hoàn thành:
    Trước ngày 31/3/2026."): in an item whose dashes each carry one, the dash's own, never the
    first of the item that a sibling's ranking brings."""
    lines = chunk.text.split("\n")
    at = next((i for i, line in enumerate(lines) if quote[:60] and quote[:60] in collapse_ws(line)), None)
    if at is None or at + 1 >= len(lines) or not is_time_line(lines[at + 1]) or not passage.has_time(lines[at + 1]):
        return None
    return chunk, lines[at + 1].strip()


def _labelled_in_item(reader: PlanReader, chunk: Chunk, label: str) -> tuple[Chunk, str] | None:
    """A labelled line ("lead", "cooperating", "time") of the item a point belongs to: in the
    point's siblings or in the item's own text. Decree 30 plans often write a task as an item whose
    lettered points are its fields; the field belongs to the task the quoted point states."""
    if chunk.section.count(".") < 2:
        return None
    parent_path = chunk.section.rsplit(".", 1)[0]
    snap = reader.store.snapshot()
    for other in snap.chunks_of(chunk.source) if snap else []:
        if other.chunk_id == chunk.chunk_id:
            continue
        sibling = other.section.rsplit(".", 1)[0] == parent_path and other.section.count(".") == chunk.section.count(".")
        if not (sibling or other.section == parent_path):
            continue
        if sibling and not _field_point(other):
            # a sibling that is a task of its own ("a) Tổ chức tuyên truyền …" over its "- Đơn vị
            # chủ trì: …" dashes): its fields are its task's, never the quoted point's
            continue
        line = passage.labelled(other, label)
        if line:
            return other, line
    return None


MAX_LIST_ITEMS = 10
_REPORTING = re.compile(r"\b(bao cao|gui ve|gui bao cao|tong hop bao cao)\b")
_POINT = re.compile(r"^\s*[a-zđ]\)\s*")  # a point's letter


def _below(chunks: list[Chunk], section: str) -> list[Chunk]:
    return sorted((c for c in chunks if c.section.startswith(section + ".")), key=lambda c: c.start_line)


def _items_under(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, heading: Chunk, coverage: float,
                 citations: list[Citation]) -> list[str]:
    """The items a heading heads, each its first line, cited: a list comes whole (up to ten;
    beyond that the count). When one sub-heading answers the question as well as the heading
    does ("a) Hình thức khen thưởng" under "2. Hình thức và tiêu chuẩn khen thưởng"), its own
    lines are the list."""
    snap = reader.store.snapshot()
    below = _below(snap.chunks_of(heading.source) if snap else [], heading.section)
    weights = reader.weights(prepared, plan.title)
    depth = heading.section.count(".") + 1
    children = [c for c in below if c.section.count(".") == depth]
    if children:
        best = max(children, key=lambda c: reader.score_sentence(c.text.split("\n", 1)[0], set(), weights, [])[0])
        best_coverage = reader.score_sentence(best.text.split("\n", 1)[0], set(), weights, [])[0]
        lines = [ln for ln in best.text.split("\n")[1:] if ln.strip()]
        if best_coverage >= 0.9 * coverage and lines:
            listed = []
            for line in lines[:MAX_LIST_ITEMS]:
                quote = trim_quote(collapse_ws(line), {}, limit=240)
                citations.append(citation(len(citations) + 1, best, quote))
                listed.append(f"{quote} [{len(citations)}]")
            return listed
    items: list[str] = []
    seen: set[str] = set()
    for chunk in below:
        if chunk.section in seen:
            continue
        seen.add(chunk.section)
        if len(items) == MAX_LIST_ITEMS:
            items.append(f"(và {len({c.section for c in below}) - MAX_LIST_ITEMS} mục khác)")
            break
        line = trim_quote(collapse_ws(chunk.text.split("\n", 1)[0]), {}, limit=240)
        citations.append(citation(len(citations) + 1, chunk, line))
        items.append(f"{line} [{len(citations)}]")
    return items


def _lead_by_reference(reader: PlanReader, chunk: Chunk, role: str = "lead") -> tuple[Chunk, str, str] | None:
    """The line of another item that gives this point or item its lead by naming it ("Chủ trì thực
    hiện nhiệm vụ tại điểm c khoản 2.2 mục 2" under "3.2. Giao Bộ Chỉ huy Bộ đội Biên phòng
    tỉnh"): that line's chunk, the line, and its lead. The register read it at ingest
    (index/obligations/by_reference.py): the row where the line is written lists the items it
    names; the point named is preferred to its item. `role` "cooperate": the body partnering it
    ("- Phối hợp thực hiện nhiệm vụ tại điểm a khoản 2 Mục II")."""
    parts = chunk.section.split(".")
    targets = [".".join(parts[:depth]) for depth in range(len(parts), 1, -1)]  # the point before its item
    rows = [(next(len(t) for t in targets if t in r.refers_to), r) for r in reader.records(chunk.source, "assignment")
            if r.role == role and r.agency and set(targets) & set(r.refers_to)]
    if not rows:
        return None
    _, row = max(rows, key=lambda item: item[0])
    referring = reader.chunk_for(row)
    return referring, trim_quote(row.quote, {}), whole_name(referring, row.agency or "")


MAX_FIELD_HEADING_TOKENS = 5  # "b) Tổ chức thực hiện:" heads fields; a task's heading says more


def _field_point(chunk: Chunk) -> bool:
    """Is a point one of its item's fields rather than a task of its own? Its first line is a
    labelled field ("c) Thời gian thực hiện: Năm 2025", "b) Cơ quan thực hiện:") or a short heading
    over field lines ("b) Tổ chức thực hiện:"); "a) Tổ chức tuyên truyền …" with its own "- Đơn vị
    chủ trì: …" dashes is a task, and its fields are its own."""
    first = chunk.text.strip().split("\n", 1)[0]
    if labelled_field(first) is not None:
        return True
    return first.rstrip().endswith(":") and len(match_tokens(_POINT.sub("", first))) <= MAX_FIELD_HEADING_TOKENS


_LINES = re.compile(r"\n|(?=\s[-–+•]\s)")  # a quote's lines, its dashes run in after whitespace was collapsed
_OPENING_VERBS = (("giao",), ("de", "nghi"), ("yeu", "cau"))  # "Giao Sở X chủ trì …": X opens the task


def _lead_named(said: str, roles: str | None) -> bool:
    """Does the quoted task name its lead: a body before "chủ trì" (the quote's roles say it), a
    lead field ("- Đơn vị chủ trì: Văn phòng Sở;"), or a body opening the task ("a) Sở X tổ chức
    …", "Giao Sở X …")? A body named only as partner or recipient ("- Đơn vị phối hợp: …",
    "trình UBND tỉnh ban hành") leads nothing."""
    if (roles or "").startswith("(Chủ trì"):
        return True
    for line in _LINES.split(said):
        field = labelled_field(line)
        if field is not None:
            if field[0] == "lead" and filled("lead", field[1]):
                return True
            continue
        tokens = match_tokens(_POINT.sub("", line.strip().lstrip("-–+• ")))
        skip = next((len(v) for v in _OPENING_VERBS if tuple(tokens[:len(v)]) == v), 0)
        if any(m.start == skip for m in find_bodies(" ".join(tokens))):
            return True
    return False
