"""“What must agency X do?”: the items of the plan that give that body work, its tasks quoted and cited."""

from __future__ import annotations

import re

from index.models import Chunk
from index.obligations import Obligation
from index.obligations.sections import labelled_field
from index.ocr_repair import display_form
from index.xrefs import names_path
from lang.agencies import AgencyMention, find_bodies
from lang.normalize import STOPWORDS, collapse_ws, match_tokens
from lang.parties import PLAN_PARTY_WORDS
from lang.units import unit_short_form
from rag.answers.common import citation, instruction_like, trim_quote
from rag.answers.listing import NamedPart, named_part
from rag.answers.reader import PlanReader
from rag.answers.references import referenced_chunks
from rag.answers.table import is_row, row_numbers, row_task
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message, slot
from rag.scope import spells_out
from rag.types import Citation

MAX_TASKS = 10
MAX_SECTIONS = 3  # items of the plan that give one body work (its own, delegations to it)
MAX_TASK_CHARS = 420
REFERRED_CHARS = 240  # the task a reference names, told in its first line
MIN_OCR_VARIANT = 4  # letters a title word needs before a one-letter OCR misreading is tolerated
MAX_HEADING_TOKENS = 12  # an item's heading names its body ("8. UBND các xã, phường, đặc khu"), not a task
# a task begins a line with its point letter or a dash: "a) …", "- …", "+ …"
_DOCUMENT_NUMBER = re.compile(r"\d+\s*/\s*[\w&.-]+")
_NUMBER = re.compile(r"^\s*(?:[\dIVX]+(?:\.\d+)*[.)]|[a-zđ]\))\s*")
_PARENTHESIS = re.compile(r"\([^()]*\)")
# "Giao Sở X …", "Đề nghị Ủy ban MTTQ …", "Yêu cầu Công an tỉnh …": a run-in assignment's verb
_ASSIGNING = (["giao"], ["de", "nghi"], ["yeu", "cau"])
MIN_RUN_IN_TASK_TOKENS = 5  # a heading's words past its body that make a task ("chủ trì kiểm tra …")
# bodies that are no unit of a Sở named after them ("UBND tỉnh Sở Y tế" is two bodies)
_PARENT_BODIES = ("Sở ", "UBND", "Ủy ban", "Uỷ ban", "Ban ", "Bộ ", "Công an", "Bộ Chỉ huy")
# the level a local body's name ends with ("Công an huyện", "Phòng Y tế thị xã"): the place's name
# may follow it in a question
_LEVELS = frozenset({"huyen", "xa", "thi", "pho", "quan", "tinh"})
_LOCALITY = re.compile(r"\b(?:huyện|thị xã|thành phố|quận|xã|phường)\s+((?:[A-ZĐ][\w-]*\s?)+)")
_TASK_START = re.compile(r"^\s*(?:[a-zđ¢][).]|[-–+•])\s")


def duty_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, citations: list[Citation]) -> str | None:
    """"What must agency X do?": every item of the plan that gives that body work (its own item,
    and an item that delegates to it: "Sở X chỉ đạo Chi cục Y …"), each task a whole sentence on
    its own line, each item cited once."""
    if "duty" not in prepared.info.kinds or {"deadline", "reporting"} & set(prepared.info.kinds):
        return None
    # a plan's number ("Kế hoạch 87/KH-UBND") names the plan, not a body nor a task
    question = _DOCUMENT_NUMBER.sub(" ", prepared.info.text)
    # the lexicon's bodies and those it does not know ("Chi cục Chăn nuôi và Thú y")
    mentions = find_bodies(question)
    mentions = [*mentions, *_collective_bodies(reader, plan, question, mentions)]
    mentions.sort(key=lambda m: m.start)
    mentions = _without_issuers(question, mentions)
    named = _unit_names(mentions)
    snap = reader.store.snapshot()
    document = snap.docs.get(plan.source) if snap else None
    if len(named) > 1 and document is not None and document.meta.issuer:
        # "UBND các xã phải làm gì theo kế hoạch … của Sở KH&CN?": the issuer names the plan (each
        # issuer of a joint plan)
        issuer = {m.name for name in (*document.meta.issuers, document.meta.issuer) for m in find_bodies(name)}
        named = [name for name in named if name not in issuer] or named
    if not named:
        return None
    places = {t for province in prepared.info.provinces for t in match_tokens(province)}
    # a district's (a commune's) plan names its own place: "huyện Thạch Thành" in its title
    places |= {t for m in _LOCALITY.finditer(f"{plan.title} {document.meta.issuer or '' if document else ''}")
               for t in match_tokens(m.group(1))}
    chunks = snap.chunks_of(plan.source) if snap else []
    # "… chủ trì những nhiệm vụ nào ở Mục III?": the tasks of that part only, however many items
    part = named_part(question, chunks)
    body_records = [r for r in reader.records(plan.source, "assignment")
                    if r.agency and r.task and _same_body(r.agency, named, places)
                    and (part is None or r.section.startswith(part.section + "."))]
    records = [r for r in body_records if r.section.count(".") == 1]
    # a task item deeper in the plan whose field names the body its lead ("2.1. Xây dựng tài liệu
    # …", "- Đơn vị chủ trì: Văn phòng Sở."): each such item is one of its tasks
    fielded_deep = [r for r in body_records if r.section.count(".") >= 2 and r.role == "lead"
                    and not any(r.section.startswith(o.section + ".") for o in records)
                    and _led_by_field(chunks, r.section, named, places)]
    records += [r for i, r in enumerate(fielded_deep) if r.section not in {o.section for o in fielded_deep[:i]}]
    # the names asked, and the plan's own forms of them ("Ban Chỉ huy Quân sự huyện" for "… huyện Thạch Thành")
    wanted = [match_tokens(name) for name in dict.fromkeys([*named, *(r.agency or "" for r in body_records)]) if name]
    # a point of another item whose sentence opens with the body ("a) Công an tỉnh xây dựng phương
    # án …" under "4. Bảo đảm an ninh, trật tự"): the body's task wherever the plan gives it
    run_in = [r for r in body_records if r.section.count(".") >= 2 and r.role == "lead"
              and not any(r.section.startswith(o.section + ".") for o in records)
              and not any(r.section == o.section or r.section.startswith(o.section + ".") for o in records)
              and _opens_with(r.quote, wanted)]
    # a point of another body's item that directs this one ("b) Chỉ đạo Trung tâm Kiểm soát bệnh
    # tật tỉnh tổ chức tập huấn …" under "1. Sở Y tế"): the task is the body's as well
    run_in += [r for i, r in enumerate(body_records) if r.directed_by and r.section.count(".") >= 2
               and r.role == "lead" and not any(r.section == o.section or r.section.startswith(o.section + ".")
                                                for o in [*records, *run_in, *body_records[:i]] if not o.directed_by)
               and r.section not in {o.section for o in body_records[:i] if o.directed_by}]
    run_in += _opening_points(reader, plan, chunks, wanted, [*records, *run_in], part,
                              next((r.agency for r in body_records if r.agency), named[0]))
    # the body's own item, headed by its name alone ("2. Công an phường", "6. Tổ giúp việc Ban Chỉ
    # đạo"), that the register read no lead from: its dashes are the body's work, beside the task
    # rows and fields of Mục III that name it their lead
    headed = next((c for c in sorted(chunks, key=lambda c: c.start_line) if c.section.count(".") == 1
                   and c.section not in {r.section for r in records}
                   and len(match_tokens(c.text.strip().split("\n", 1)[0])) <= MAX_HEADING_TOKENS
                   and _names_only(c.text.strip().split("\n", 1)[0], wanted)), None)
    if headed is not None and (part is None or headed.section.startswith(part.section + ".")):
        records.append(Obligation(kind="assignment", source=plan.source, doc_title=plan.title,
                                  section=headed.section, section_label=headed.section_label, quote="",
                                  agency=(records or run_in)[0].agency if records or run_in else named[0],
                                  role="lead", task=_NUMBER.sub("", headed.text.strip().split("\n", 1)[0])))
    if not records and not run_in:
        return None
    # only "what must X do?" in general: a question about one task is answered by its sentence.
    # Words that name the plan (its title as printed, an OCR'd title too), the province, or the
    # body as its own item's heading writes it ("UBND các xã, phường, đặc khu") ask nothing more.
    tokens = match_tokens(question)
    # "… chủ trì việc gì trong phụ lục?": the appendix is asked, its rows answer (rag/answers/table.py)
    if any(a == "phu" and b == "luc" for a, b in zip(tokens, tokens[1:], strict=False)):
        return None
    taken = {i for m in mentions for i in range(m.start, m.end)}
    # the issuer named ("… trong kế hoạch tri ân của Sở Nội vụ Hà Tĩnh") names the plan too
    issuer_words = {t for name in ((*document.meta.issuers, document.meta.issuer) if document else ())
                    if name for t in match_tokens(name)}
    plan_words = set(match_tokens(plan.title)) | _title_words(chunks) | places | issuer_words | {
        "ke", "hoach", "nam", "tinh", "theo", "trong"} | (part.words if part else frozenset())
    heading_words = {t for r in records if not r.section.startswith("PL")
                     for t in match_tokens(r.task or "") if len(match_tokens(r.task or "")) <= MAX_HEADING_TOKENS}
    # "… có những nhiệm vụ gì?", "… chủ trì những nhiệm vụ nào?", "… phải làm những việc gì?"
    duty_words = {"nhiem", "vu", "gi", "phai", "lam", "duoc", "giao", "co", "cua", "nhung", "cac", "cu", "the",
                  "viec", "la", "chu", "tri", "nao", "trach"}
    title_tokens = match_tokens(plan.title)
    rest = [t for i, t in enumerate(tokens) if i not in taken and t not in plan_words | duty_words | heading_words
            and t not in STOPWORDS and not t.isdigit() and not _ocr_variant(t, plan_words)
            # the plan's subject abbreviated ("kế hoạch phòng chống SXH, TCM" of "sốt xuất huyết",
            # "tay chân miệng" in its title) names the plan, no task
            and not spells_out(t, title_tokens)]

    if len(rest) > 1:
        return None
    agency = (records or run_in)[0].agency
    items: list[tuple[str, str, list[tuple[Chunk, str]]]] = []  # (section, label, tasks)
    fielded: set[str] = set()  # items that are one task, their lead named by a field ("Cơ quan chủ trì: X")
    for record in records:
        if record.section in {section for section, _, _ in items}:
            continue
        if _led_by_field(chunks, record.section, named, places):
            # a task item whose fields name X its lead: the task is the item, one line (its heading
            # and its time), however many such items the plan spreads over its parts
            task = _fielded_task(chunks, record.section)
            if task:
                items.append((record.section, record.section_label, [task]))
                fielded.add(record.section)
            continue
        if len(items) - len(fielded) == MAX_SECTIONS and part is None:
            continue
        own = min((c for c in chunks if c.section == record.section), key=lambda c: c.start_line, default=None)
        heading = own.text.strip().split("\n", 1)[0] if own else ""
        tasks = _tasks(chunks, record.section, _NUMBER.sub("", heading) if own else record.task or "",
                       keep_heading=_run_in_heading(heading, wanted))
        if not _opens_with(heading, wanted):
            # an item shared by several bodies ("2. Các sở, ngành khác:" with a line per body,
            # "- Sở X: chủ trì …"): the lines that open with the body asked are its tasks (an item
            # none of whose lines does, an OCR'd heading maybe, stays whole)
            tasks = [t for t in tasks if _opens_with(t[1], wanted)] or tasks
        if tasks:
            items.append((record.section, record.section_label, tasks))
    for record in run_in:
        if record.section in {section for section, _, _ in items}:
            continue
        own = min((c for c in chunks if c.section == record.section), key=lambda c: c.start_line, default=None)
        heading = own.text.strip().split("\n", 1)[0] if own else ""
        name_only = match_tokens(_PARENTHESIS.sub(" ", _NUMBER.sub("", heading))) in wanted \
            or _names_bodies_only(heading, wanted)  # "2.4. Bộ Chỉ huy Quân sự tỉnh", "2.10. Đề nghị VKS, TAND"
        if (heading.rstrip().endswith(":") and _opens_with(heading, wanted)) or name_only:
            # a point headed by the body ("b) Đề nghị Công an tỉnh:", "b) Trung tâm X phối hợp với
            # Phòng Y:") over its dashes: each dash is one of its tasks, the heading told only
            # when it says more than the body's name
            tasks = _tasks(chunks, record.section, _NUMBER.sub("", heading),
                           keep_heading=not name_only and _run_in_heading(heading, wanted))
            if tasks:
                items.append((record.section, record.section_label, tasks))
            continue
        tasks = _tasks(chunks, record.section, "")
        if tasks:
            items.append((record.section, record.section_label, tasks[:1]))
            fielded.add(record.section)  # one task, one line: no heading line of its own
    if not items:
        return None
    # the plan's order: a reader follows the tasks as the plan gives them
    start = {c.section: c.start_line for c in reversed(chunks)}
    items.sort(key=lambda item: start.get(item[0], 0))
    # the genre's list: an intro line, then one task a line (whole sentences), up to MAX_TASKS
    # (beyond, the count); one citation per item, on its first task
    total = sum(len(tasks) for _, _, tasks in items)
    first_label = items[0][1]
    lines = [message("according_to", title=plan.title, label=first_label) + f", {agency} có {total} nhiệm vụ:"]
    shown = 0
    for number, (section, label, tasks) in enumerate(items):
        if shown >= MAX_TASKS:
            break
        if number and section not in fielded:
            lines.append(slot("list_section", label=label))
        chunks = [chunk for chunk, _ in tasks]
        # the item's own chunk (its heading) opens the cited lines, its last task closes them
        own = next((c for c in (snap.chunks_of(plan.source) if snap else []) if c.section == section), chunks[0])
        # a task told from its fields ("Giám sát …: … (thời gian: …)") is no verbatim passage: the
        # item's heading line is quoted instead
        quote = collapse_ws(tasks[0][1])
        if quote not in collapse_ws("\n".join(c.text for c in [own, *chunks])):
            quote = collapse_ws(own.text.strip().split("\n", 1)[0])
        cite = citation(len(citations) + 1, own, quote)
        cite = cite.model_copy(update={"section": section, "section_label": label,
                                       "start_line": min(c.start_line for c in [own, *chunks]),
                                       "end_line": max(c.end_line for c in [own, *chunks])})
        citations.append(cite)
        for index, (_, sentence) in enumerate(tasks):
            if shown >= MAX_TASKS:
                break
            quote = display_form(collapse_ws(sentence)).lstrip("-–+• ")  # OCR'd text as a reader sees it
            lines.append(f"- {quote}" + (f" [{len(citations)}]" if index == 0 else ""))
            shown += 1
            referred = _referred_task(reader, tasks[index][0], sentence, citations)
            if referred:
                lines[-1] += " " + referred
    more = total - shown
    if more > 0:
        lines.append(f"(và {more} nhiệm vụ khác trong {first_label})")
    return "\n".join(lines)


def _ocr_variant(token: str, words: set[str]) -> bool:
    """Is a word of the question one of the title's as OCR misread it, one letter changed
    ("chung" read "ching", "rong" read "reng")? Only words of four letters or more: shorter ones
    are too many words apart by one letter."""
    if len(token) < MIN_OCR_VARIANT:
        return False
    return any(len(w) == len(token) and sum(a != b for a, b in zip(w, token, strict=True)) == 1 for w in words)


def _title_words(chunks: list[Chunk]) -> set[str]:
    """The words of the plan's title as the document prints it: the preamble's lines before its
    first legal basis ("Căn cứ …"). The indexed title may be a fallback ("Kế hoạch số 208/KH-UBND")
    when an OCR'd title is illegible; folded, its words still match the question's."""
    words: set[str] = set()
    preamble = next((c for c in chunks if c.section == "preamble"), None)
    if preamble is None:
        return words
    for line in preamble.text.split("\n"):
        folded = match_tokens(line)
        if folded[:2] == ["can", "cu"] or (folded[:1] == ["can"] and len(folded) > 1 and folded[1].startswith("c")):
            break
        words.update(folded)
    return words


def _unit_names(mentions: list[AgencyMention]) -> list[str]:
    """The bodies a question names. A unit followed by a Sở ("Văn phòng Sở TN&MT", "Thanh tra Sở
    Y tế") is that Sở's unit: a plan the Sở issues names it "Văn phòng Sở", others in full."""
    names: list[str] = []
    skip = False
    for index, mention in enumerate(mentions):
        after = mentions[index + 1] if index + 1 < len(mentions) else None
        if skip:
            skip = False
            continue
        if (after is not None and after.start == mention.end and after.name.startswith("Sở ")
                and not mention.name.startswith(_PARENT_BODIES)):
            names += [f"{mention.name} Sở", f"{mention.name} {after.name}"]
            skip = True
        elif (short := unit_short_form(mention.name)) is not None:
            names += [short, mention.name]  # "vp sở tư pháp", read whole by find_bodies
        else:
            names.append(mention.name)
            head, sep, _ = mention.name.partition(" Sở ")
            if sep and head and not mention.name.startswith(_PARENT_BODIES):
                # "Thanh tra Sở Tư pháp" read as one body: the Sở's own plan calls it "Thanh tra Sở"
                names.append(f"{head} Sở")
    return names


def _same_body(agency: str, named: list[str], places: set[str]) -> bool:
    """Is a register row's body one the question names? Its name, or the name with the province
    after it ("Chi cục Chăn nuôi và Thú y Lâm Đồng")."""
    have = match_tokens(agency)
    for name in named:
        want = match_tokens(name)
        if want == have or (want[:len(have)] == have and set(want[len(have):]) <= places | {"tinh"}):
            return True
        if (have and have[-1] in _LEVELS and want[:len(have)] == have and len(want) > len(have)
                and set(want[len(have):]) <= places):
            # "Ban Chỉ huy Quân sự huyện Thạch Thành" of the district's plan, "Công an huyện" there
            return True
    return False


def _tasks(chunks: list[Chunk], section: str, task: str, keep_heading: bool = False) -> list[tuple[Chunk, str]]:
    """The tasks of one item, in order: a point ("a) …") or a dash line, with every sentence of
    it (up to MAX_TASK_CHARS): a task cut after its first sentence loses its deadline. A heading
    that assigns work itself ("7. Giao Sở X chỉ đạo …; hỗ trợ …:") is the item's first task."""
    chunks = sorted((c for c in chunks if c.section == section or c.section.startswith(section + ".")),
                    key=lambda c: c.start_line)
    heading = " ".join(match_tokens(task))
    tasks: list[tuple[Chunk, str]] = []
    for chunk in chunks:
        facts = chunk.facts  # sentences and tokens read at ingest
        lines = chunk.text.split("\n")
        seen_lines: set[int] = set()
        for fact in facts.sentences:
            line = lines[fact.line] if fact.line < len(lines) else ""
            text = fact.text
            line_key = " ".join(facts.line_tokens[fact.line]).lstrip("0123456789 ")
            # a point's heading ("b) Trung tâm X:") read without its letter as an item's without its number
            is_heading = line_key == heading or " ".join(match_tokens(_NUMBER.sub("", line))) == heading
            if keep_heading and is_heading:
                text = _NUMBER.sub("", text.strip()).rstrip(" :")  # "7. Giao Sở X …" told without its number
            elif is_heading:
                # the item's own heading ("10. Sở Tài chính"): a sentence read across it keeps the
                # lines after it (an item whose one task follows the heading unpunctuated)
                head, _, rest = text.partition("\n")
                if not rest.strip() or fact.line in seen_lines:
                    continue
                text, line = rest.strip(), rest.strip().split("\n", 1)[0]
            if fact.withheld or instruction_like(text):
                continue
            starts = fact.line not in seen_lines and (not tasks or _starts_task(line)
                                                      or tasks[-1][0].chunk_id != chunk.chunk_id)
            seen_lines.add(fact.line)
            if starts:
                tasks.append((chunk, text))
            elif tasks and tasks[-1][0].chunk_id == chunk.chunk_id:
                # a later sentence of the same task: kept whole while the task stays short
                joined = f"{tasks[-1][1]} {text}"
                if len(collapse_ws(joined)) <= MAX_TASK_CHARS:
                    tasks[-1] = (chunk, joined)
    return tasks


def _led_by_field(chunks: list[Chunk], section: str, named: list[str], places: set[str]) -> bool:
    """Does the item name the body its lead in a field of its own ("- Cơ quan chủ trì: Sở Y tế.")?"""
    for chunk in chunks:
        if chunk.section != section:
            continue
        for line in chunk.text.split("\n"):
            field = labelled_field(line)
            if field and field[0] == "lead" and any(
                    _same_body(m.name, named, places) for m in find_bodies(field[1])):
                return True
    return False


def _fielded_task(chunks: list[Chunk], section: str) -> tuple[Chunk, str] | None:
    """A task item told by its fields ("1. Kiện toàn Ban Chỉ đạo …", "- Cơ quan chủ trì: …",
    "- Thời gian thực hiện: …"): its heading, with its time when a field gives one."""
    own = sorted((c for c in chunks if c.section == section or c.section.startswith(section + ".")),
                 key=lambda c: c.start_line)
    if not own:
        return None
    lines = [line.strip() for c in own for line in c.text.split("\n") if line.strip()]
    heading = _NUMBER.sub("", lines[0]).rstrip(" :.;") if lines else ""
    if not heading or labelled_field(lines[0]):
        return None
    time = next((value.rstrip(" .;") for line in lines[1:] if (field := labelled_field(line))
                 and field[0] == "deadline" and (value := field[1])), None)
    # a titled item states its task on the line under its title ("6. Ứng dụng công nghệ thông tin"
    # over "Cập nhật văn bản, tài liệu … lên Cổng thông tin điện tử …", then its fields): the
    # title alone says too little of the work
    statement = next((line for line in lines[1:3] if not labelled_field(line) and not _TASK_START.match(line)
                      and not line.lstrip().startswith("-")), None)
    if statement and len(match_tokens(heading)) <= MAX_HEADING_TOKENS \
            and len(heading) + len(statement) <= MAX_TASK_CHARS:
        heading = f"{heading}: {statement.rstrip(' .;')}"
    return own[0], f"{heading} (thời gian: {time})" if time else heading


def _run_in_heading(heading: str, wanted: list[list[str]]) -> bool:
    """Does an agency's item heading give it work in its own sentence ("5. Giao Sở Giáo dục và Đào
    tạo phối hợp với Sở Y tế kiểm tra bếp ăn …:", "2. Sở Y tế: chủ trì tổ chức …"), rather than
    only name the body ("3. Sở Tài chính:", "1. Sở Y tế (cơ quan thường trực):")? The words left
    after the number, the assigning verb, the body and any parenthesis make a task."""
    tokens = match_tokens(_PARENTHESIS.sub(" ", _NUMBER.sub("", heading.strip())))
    for verb in _ASSIGNING:
        if tokens[:len(verb)] == verb:
            tokens = tokens[len(verb):]
            break
    body = next((w for w in wanted if w and tokens[:len(w)] == w), None)
    return body is not None and len(tokens) - len(body) >= MIN_RUN_IN_TASK_TOKENS


def _opens_with(text: str, wanted: list[list[str]]) -> bool:
    """Does a line, its numbering aside, open with one of the bodies ("a) Công an tỉnh xây dựng …",
    "- Sở Y tế: chủ trì …"), or name it in its run-in label ("c) Thành viên là lãnh đạo Sở Nội vụ:
    chủ trì …")?"""
    line = _NUMBER.sub("", text.strip().lstrip("-–+• "))
    tokens = match_tokens(line)
    # "a) Giao Sở Công Thương chủ trì …": the assigning verb stands before the body
    verb = next((len(v) for v in _ASSIGNING if tokens[:len(v)] == v), 0)
    if any(w and tokens[verb:verb + len(w)] == w for w in wanted):
        return True
    # the body abbreviated or spelt out otherwise than asked ("a) Văn phòng UBND tỉnh chủ trì …" for
    # "Văn phòng Ủy ban nhân dân tỉnh"): the lexicon's name of the body opening the line
    if any(m.start == verb and match_tokens(m.name) in wanted for m in find_bodies(line)):
        return True
    label, colon, _ = line.partition(":")
    label_tokens = match_tokens(label)
    return bool(colon) and len(label_tokens) <= MAX_HEADING_TOKENS and any(
        w and label_tokens[-len(w):] == w for w in wanted)


def _names_only(heading: str, wanted: list[list[str]]) -> bool:
    """Is a heading the body's name and nothing more ("2. Công an phường", "3. Văn phòng UBND
    tỉnh:"), however the plan abbreviates it?"""
    line = _NUMBER.sub("", heading.strip()).rstrip(" :.")
    tokens = match_tokens(line)
    if tokens in wanted:
        return True
    bodies = find_bodies(line)
    return len(bodies) == 1 and bodies[0].start == 0 and bodies[0].end == len(tokens) \
        and match_tokens(bodies[0].name) in wanted


# the words that join bodies in such a heading ("… và các tổ chức chính trị - xã hội trực thuộc",
# "… và các cơ quan có liên quan")
_LIST_WORDS = frozenset({"va", "cac", "truc", "thuoc", "co", "lien", "quan", "khac"})


def _names_bodies_only(heading: str, wanted: list[list[str]]) -> bool:
    """Is a heading, after its number and an assigning verb, only a list of bodies, one of them
    asked ("2.10. Đề nghị Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh")? Its dashes are the
    work of each of them."""
    line = _PARENTHESIS.sub(" ", _NUMBER.sub("", heading.strip())).rstrip(" :.")
    tokens = match_tokens(line)
    verb = next((len(v) for v in _ASSIGNING if tokens[:len(v)] == v), 0)
    bodies = find_bodies(line)
    if not bodies or not any(match_tokens(m.name) in wanted or tokens[m.start:m.end] in wanted for m in bodies):
        return False
    covered = set(range(verb)) | {i for m in bodies for i in range(m.start, m.end)}
    return all(i in covered or tokens[i] in _LIST_WORDS for i in range(len(tokens)))


def _starts_task(line: str) -> bool:
    return bool(_TASK_START.match(line))


def _appendix_rows(reader: PlanReader, appendix: Chunk, sentence: str) -> list[tuple[Chunk, str]]:
    """The rows of an appendix table a sentence names by number, with each row's task cell."""
    whole = re.fullmatch(r"(PL\d+)(?:\.\d+)?", appendix.section)
    if whole is None:
        return []
    numbers = row_numbers(sentence)
    if not numbers:
        return []
    snap = reader.store.snapshot()
    if whole.group(1) != appendix.section:
        # the reference was resolved at ingest to the rows themselves ("nhiệm vụ số 4 và 8 tại Phụ lục
        # I" → PL1.4, PL1.8): the table's header is read from the appendix they belong to
        appendix = next((c for c in (snap.chunks_of(appendix.source) if snap else []) if c.section == whole.group(1)),
                        appendix)
    rows = {c.section: c for c in (snap.chunks_of(appendix.source) if snap else []) if is_row(c)}
    found = []
    for number in numbers:
        row = rows.get(f"{whole.group(1)}.{number}")
        task = row_task(row, appendix) if row is not None else None
        if row is not None and task:
            found.append((row, task))
    return found


def _referred_task(reader: PlanReader, chunk: Chunk, sentence: str, citations: list[Citation]) -> str | None:
    """A task given by reference ("Chủ trì thực hiện điểm c khoản 2.1 mục 2"): what the point it
    names says, cited there (the reference alone tells the reader nothing of the work)."""
    own = {c.section for c in citations}
    for target in referenced_chunks(reader, chunk):
        rows = _appendix_rows(reader, target, sentence)
        if rows:
            # "Chủ trì các nhiệm vụ số 4 và 8 tại Phụ lục I": those rows' tasks, each cited
            told = []
            for row, task in rows:
                citations.append(citation(len(citations) + 1, row, collapse_ws(row.text)))
                told.append(slot("followed_reference", label=row.section_label, text=task) + f" [{len(citations)}]")
            return " ".join(told)
        if target.section in own or not names_path(sentence, target.section):
            continue
        lines = target.text.strip().split("\n")
        text = trim_quote(collapse_ws(_NUMBER.sub("", lines[0])), {}, limit=REFERRED_CHARS)
        citations.append(citation(len(citations) + 1, target, collapse_ws(lines[0])))
        return slot("followed_reference", label=target.section_label, text=text) + f" [{len(citations)}]"
    return None


def _opening_points(reader: PlanReader, plan: PlanEvidence, chunks: list[Chunk], wanted: list[list[str]],
                    known: list[Obligation], part: NamedPart | None, agency: str) -> list[Obligation]:
    """The points whose sentence opens with the body ("d) Ban Chỉ huy Quân sự huyện điều động lực
    lượng dân quân …" under "2. Khi có bão khẩn cấp") that the register read no lead from (a verb
    it does not list): in a part where the plan assigns work, the body's task all the same."""
    tasked = {r.section.split(".", 1)[0] for r in reader.records(plan.source, "assignment")}
    found: list[Obligation] = []
    for chunk in sorted(chunks, key=lambda c: c.start_line):
        section = chunk.section
        if (section.count(".") < 2 or section.startswith("PL") or section.split(".", 1)[0] not in tasked
                or (part is not None and not section.startswith(part.section + "."))
                or any(section == o.section or section.startswith(o.section + ".") for o in [*known, *found])):
            continue
        first = chunk.text.strip().split("\n", 1)[0]
        if _opens_with(first, wanted) and len(match_tokens(first)) > MAX_HEADING_TOKENS // 2:
            found.append(Obligation(kind="assignment", source=plan.source, doc_title=plan.title, section=section,
                                    section_label=chunk.section_label, quote=first, agency=agency, role="lead",
                                    task=_NUMBER.sub("", first)))
    return found


MIN_COLLECTIVE_TOKENS = 3  # "các cơ sở giáo dục": a collective named in a few words, not one word
MIN_LISTED_TOKENS = 4  # "các doanh nghiệp viễn thông", one body of a heading's listing ("các tổ chức" is any)
_LISTING = re.compile(r"[,;]|\bvà\b")  # the separators of a heading that lists several bodies


def _collective_bodies(reader: PlanReader, plan: PlanEvidence, question: str,
                       mentions: list[AgencyMention]) -> list[AgencyMention]:
    """The plan's collective actors the question names in lower case ("Các cơ sở giáo dục có trách
    nhiệm gì?" of an item "6. Các cơ sở giáo dục"): names without capitals that no lexicon knows,
    read as the plan's own register prints them."""
    tokens = match_tokens(question)
    taken = {i for m in mentions for i in range(m.start, m.end)}
    found: list[AgencyMention] = []
    for name in dict.fromkeys(r.agency for r in reader.records(plan.source, "assignment") if r.agency):
        for want in _listed(name):
            at = next((i for i in range(len(tokens) - len(want) + 1) if tokens[i:i + len(want)] == want
                       and not taken & set(range(i, i + len(want)))), None)
            if at is not None:
                found.append(AgencyMention(name, at, at + len(want)))
                taken.update(range(at, at + len(want)))
                break
    return found


def _listed(name: str) -> list[list[str]]:
    """A collective heading's name whole, then each body it lists ("5. Các doanh nghiệp viễn
    thông, tổ chức, cá nhân có liên quan" heads the work of each): the question names one of them
    ("các doanh nghiệp viễn thông có trách nhiệm gì?"). A listed body is named by enough words to
    tell it ("các tổ chức" alone would be any organisation)."""
    whole = match_tokens(name)
    if len(whole) < MIN_COLLECTIVE_TOKENS or whole[0] not in ("cac", "nhung"):
        return []
    # "các" before a listing is every listed body's ("các doanh nghiệp, tổ chức" = các tổ chức)
    parts = [match_tokens(part) for part in _LISTING.split(name)]
    parts = [part if part[:1] == whole[:1] else [whole[0], *part] for part in parts if part]
    return [whole] + [part for part in parts if part != whole and len(part) >= MIN_LISTED_TOKENS]


def _without_issuers(question: str, mentions: list[AgencyMention]) -> list[AgencyMention]:
    """The bodies asked, without those that name the plan by its issuers ("Các cơ sở giáo dục có
    trách nhiệm gì theo kế hoạch liên ngành … của Sở Y tế và Sở GD&ĐT?"; "Sở X phải làm gì theo
    kế hoạch liên tịch với Hội Y?", the other party of a joint plan): a body after "kế hoạch …
    của / với / giữa" is the plan's, when the question names another before it."""
    tokens = match_tokens(question)
    plan_at = next((i for i in range(len(tokens) - 1) if tokens[i:i + 2] == ["ke", "hoach"]), None)
    if plan_at is None:
        return mentions
    of_at = next((i for i in range(plan_at + 2, len(tokens)) if tokens[i] in PLAN_PARTY_WORDS), None)
    before = [m for m in mentions if m.end <= plan_at]
    if of_at is None or not before:
        return mentions
    return [m for m in mentions if m.start < of_at]
