"""Who a section's heading addresses, the heading as printed, and the points that are fields of
their item's task rather than tasks of their own."""

from __future__ import annotations

import re

from index.obligations.actors import _DUTY_VERBS, _HEADING_GLUE, _listed_from
from index.obligations.records import _Section
from index.tables import is_table_line
from lang.agencies import find_agencies, find_bodies, heading_agency
from lang.normalize import collapse_ws, match_tokens

_ASSIGNMENT_PARTS = ("phan cong", "to chuc thuc hien", "trach nhiem", "nhiem vu cu the")
# the parts that state what the plan is for, whom it concerns or what was done ("I. MỤC ĐÍCH, YÊU CẦU",
# "II. ĐỐI TƯỢNG, PHẠM VI"): a body opening a line there is what the line is about, not who acts
_STATEMENT_PARTS = ("muc dich", "muc tieu", "yeu cau", "quan diem", "doi tuong", "pham vi", "tinh hinh",
                    "danh gia", "can cu")


# the part that sets the reporting regime ("V. CHẾ ĐỘ THÔNG TIN, BÁO CÁO"): its lines say who reports
# to whom, the tasks they report on are led elsewhere in the plan
_REPORTING_PARTS = ("che do bao cao", "che do thong tin", "thong tin bao cao")


def _part_title(section: _Section, part_title: str) -> str:
    """The title of the section's part: given by the caller (a part printed "Phần V" over its title
    line), else its first ancestor, else its own title."""
    return part_title or (section.ancestors[0] if "." in section.path and section.ancestors else section.title)


def in_reporting_part(section: _Section, part_title: str = "") -> bool:
    """The section belongs to the part that sets the plan's reporting regime."""
    folded = " ".join(match_tokens(_part_title(section, part_title)))
    return any(cue in folded for cue in _REPORTING_PARTS)


def in_statement_part(section: _Section, part_title: str = "") -> bool:
    """The section belongs to a part that states aims, scope or the situation, not tasks."""
    folded = " ".join(match_tokens(_part_title(section, part_title)))
    return any(cue in folded for cue in _STATEMENT_PARTS)


def in_pure_statement_part(section: _Section, part_title: str = "") -> bool:
    """A statement part that sets no task ("I. MỤC ĐÍCH, YÊU CẦU", "II. TÌNH HÌNH VÀ DỰ BÁO", not
    "II. MỤC TIÊU, NHIỆM VỤ"): "báo cáo kịp thời về Ban Chỉ huy" there is a requirement and
    "theo dự báo của Đài …" a source, no reporting line."""
    folded = " ".join(match_tokens(_part_title(section, part_title)))
    return any(cue in folded for cue in _AIMS_PARTS) and not any(cue in folded for cue in _TASK_PARTS)


# the parts that state only aims, requirements or the situation (not "đánh giá", "đối tượng", whose
# parts may set steps and reports: "IV. PHƯƠNG PHÁP, CÁC BƯỚC GIÁM SÁT, ĐÁNH GIÁ")
_AIMS_PARTS = ("muc dich", "yeu cau", "quan diem", "tinh hinh", "du bao")
# the parts that set tasks, though their titles may also name aims ("MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP")
_TASK_PARTS = ("nhiem vu", "giai phap", "thuc hien", "phan cong", "trach nhiem", "hoat dong", "noi dung", "che do",
               "buoc", "phuong phap")


# point headings that label a field of their item's task rather than a task of their own
_FIELD_POINTS = frozenset(("co quan thuc hien", "don vi thuc hien", "co quan don vi thuc hien", "trach nhiem thuc hien",
                           "phan cong thuc hien", "co quan chu tri", "don vi chu tri", "co quan phoi hop",
                           "don vi phoi hop", "thoi gian thuc hien", "thoi gian hoan thanh", "thoi han hoan thanh",
                           "thoi gian", "thoi han", "tien do thuc hien"))


def _is_field_point(title: str) -> bool:
    label = " ".join(match_tokens(_NUMBERING.sub("", title).split(":", 1)[0]))
    return label in _FIELD_POINTS


# A plan issued by a decision opens with its articles: "Điều 1. Ban hành kèm theo …" (the plan itself),


_NUMBERING = re.compile(r"^\s*(?:[\dIVX]+(?:\.\d+)*[.)]|[a-zđ]\))\s*")


# words that address a heading to an agency ("Trách nhiệm của Sở X", "Giao Sở X", "Nhiệm vụ của …")
_ADDRESS = re.compile(r"^\s*(?:trách nhiệm (?:của )?|nhiệm vụ (?:của )?|giao |yêu cầu |đối với )", re.IGNORECASE)


def _heading_text(section: _Section) -> str:
    """The section's heading as printed, wrapped lines joined (its title is cut at 70 characters),
    without its number."""
    lines = [line.strip() for line in section.text.split("\n") if line.strip()]
    out: list[str] = []
    for i, line in enumerate(lines[:3]):
        if i and (line[:1] in "-–+•*" or _NUMBERING.match(line) or is_table_line(line)
                  or (line[:1].isupper() and (len(lines[i - 1]) < 60 or len(line) >= 90))):
            break  # a new paragraph, not the heading wrapped (wrapped lines are long, or go on in lower case)
        out.append(line)
        if line.endswith((":", ".", ";")):
            break
    return _NUMBERING.sub("", collapse_ws(" ".join(out)), count=1)


def _heading_leads(section: _Section, first: str) -> list[str]:
    """The agencies a heading lists after its first ("6. Đề nghị Văn phòng Tỉnh ủy và các Ban …,
    Thuế tỉnh, …"): each one shares the section's work."""
    listed = _heading_addressees(section)
    if listed:
        return listed
    if committee_role(_heading_text(section)):
        return []  # "6. Tổ giúp việc Ban Chỉ đạo": the office, not the committee, has the item's work
    heading = _heading_text(section).split(":", 1)[0]
    mentions = find_bodies(heading)
    start = next((m for m in mentions if m.name == first), mentions[0] if mentions else None)
    if start is None:
        return []
    return [m.name for m in _listed_from(start, mentions, match_tokens(heading), [], glue=_HEADING_GLUE)]


def _section_agency(section: _Section) -> str | None:
    if "." not in section.path or not section.ancestors:
        return None
    first = next((line for line in section.text.split("\n") if line.strip()), "")
    if is_table_line(first):
        return None  # a table row: its columns say who leads
    heading = _ADDRESS.sub("", _heading_text(section).split(":", 1)[0])
    role = committee_role(_heading_text(section))
    if role:  # "2. Phó Trưởng ban (Giám đốc Sở Tài chính)", "6. Tổ giúp việc Ban Chỉ đạo"
        return role
    listed = _heading_addressees(section)
    if listed:  # "5. Bệnh viện Đa khoa tỉnh, Bệnh viện Sản - Nhi tỉnh và các cơ sở y tế có phòng sinh"
        return listed[0]
    named = _heading_named(heading) or _heading_named(_ADDRESS.sub("", section.title))
    if named:  # an item whose heading is an agency assigns work to it, whatever its part is called
        return named
    if section.path.count(".") != 1:
        return _generic_heading(section.title)
    part = " ".join(match_tokens(section.ancestors[0]))
    if not any(cue in part for cue in _ASSIGNMENT_PARTS):
        return _generic_heading(section.title)
    title = collapse_ws(section.title.rstrip(":. "))
    if match_tokens(title)[:1] == ["cac"] and len(match_tokens(title)) <= 14 and ":" not in section.title:
        # "4. Các doanh nghiệp viễn thông": an item of the part that assigns work, named for its addressees
        return title
    return _generic_heading(section.title)


# the head nouns that open a body's name ("Phòng …", "Trạm y tế …", "Bệnh viện …", "Các cơ sở …")
_ADDRESSEE_HEADS = ("phong", "tram", "benh vien", "thanh tra", "chi cuc", "trung tam", "toa an", "vien kiem sat",
                    "ngan hang", "doanh nghiep", "cac doanh nghiep", "cac co so", "cac co quan", "cac don vi",
                    "cac to chuc", "cac truong", "cac benh vien", "cac tram", "cac phong", "cac trung tam",
                    "cac hoi", "cac ban", "truong", "hoi", "lien minh", "lien doan", "lien hiep", "hiep hoi",
                    "cong an", "ban", "van phong", "kho bac", "bao", "dai", "cong ty", "tong cong ty", "quy",
                    "vien thong", "buu dien")
# the verbs that make a heading a task ("… cung cấp tài liệu …") rather than a body's name
_TASK_VERBS = (*_DUTY_VERBS, "nhac", "tiem", "lien thong")
# heads that are also words of a task: a body's name goes on capitalised ("Phòng Kế hoạch - Tài chính")
_AMBIGUOUS_HEADS = frozenset(("phong", "ban", "bao", "dai", "quy", "hoi", "truong", "cong an", "van phong"))
# a part of an addressee list starts with a capital letter or "các" ("…, Bệnh viện Sản - Nhi tỉnh và
# các cơ sở y tế có phòng sinh"); "Trạm y tế xã, phường" is one name
_ADDRESSEE_SPLIT = re.compile(r"\s*(?:,|;|\bvà\b)\s*(?=[A-ZĐÀ-Ỹ]|các\s)")


def _heading_addressees(section: _Section) -> list[str]:
    """The bodies an item heading of its own is addressed to, printed as a list of names with no
    verb ("6. Trạm y tế xã, phường", "7. Thanh tra Sở Y tế", "5. Bệnh viện A, Bệnh viện B và các cơ
    sở y tế có phòng sinh"): each part is one name, as printed (the lexicon's name when the part is
    exactly one lexicon body). A heading that goes on with a verb is a task, not an address."""
    if "." not in section.path or not section.ancestors:
        return []
    text = _heading_text(section)
    label, colon, rest = text.partition(":")
    if colon and rest.strip():
        return []  # "b) Báo cáo 6 tháng: Trung tâm … báo cáo …": a label, then a sentence
    unrequested = re.sub(r"^\s*Đề\s+nghị\s+", "", label.strip().rstrip(".;"), flags=re.IGNORECASE)
    # "Đề nghị" asks bodies by name, whatever their names start with ("Đề nghị Viễn thông Huế (VNPT)
    # và Viettel Huế": a firm is named by its brand, every word capitalised; "Dân vận Thành ủy" of
    # "Ban Tuyên giáo và Dân vận Thành ủy" is no name of its own); a bracket after a name is its
    # abbreviation
    requested = unrequested != label.strip().rstrip(".;")
    label = re.sub(r"\s*\([^()]*\)", "", unrequested)
    tokens = match_tokens(label)
    if not tokens or len(tokens) > 24 or not label[:1].isupper():
        return []
    folded = " " + " ".join(tokens) + " "
    if any(f" {verb} " in folded for verb in _TASK_VERBS):
        return []
    names: list[str] = []
    for part in _ADDRESSEE_SPLIT.split(label):
        part = collapse_ws(part.strip(" ,;."))
        words = match_tokens(part)
        head = next((h for h in _ADDRESSEE_HEADS if " ".join(words[: len(h.split())]) == h), None)
        printed = part.split()
        if not words or len(words) > 14 or (head is None and not (requested and all(w[:1].isupper() for w in printed))):
            return []
        if head in _AMBIGUOUS_HEADS and not (len(printed) > 1 and printed[1][:1].isupper()):
            return []  # "Phòng, chống …", "Ban hành …", "Báo cáo …", "Trường hợp …": not a body
        found = find_agencies(part)
        exact = found and found[0].start == 0 and found[0].end == len(words) and len(found) == 1
        names.append(found[0].name if exact else part)
    return list(dict.fromkeys(names))


# the offices of a steering committee a plan it issues gives duties to: "Trưởng Ban Chỉ đạo", "Phó
# Trưởng ban Thường trực (Giám đốc Sở X)", "Các thành viên Ban Chỉ đạo", "Tổ giúp việc Ban Chỉ đạo",
# "Cơ quan thường trực (Sở X)"; the committee named after the office, or not at all
_COMMITTEE_ROLE = re.compile(
    r"^\s*(?P<role>(?:Phó\s+)?Trưởng\s+[Bb]an(?:\s+[Tt]hường\s+trực)?|(?:Các\s+)?[Tt]hành\s+viên|Tổ\s+giúp\s+việc"
    r"|Tổ\s+công\s+tác|Tổ\s+thường\s+trực|Cơ\s+quan\s+thường\s+trực)"
    r"(?P<body>\s+(?:Ban|Hội\s+đồng|Tiểu\s+ban|BCĐ|Chỉ\s+đạo)\b[^():;]*)?\s*(?:\((?P<who>[^()]*)\))?\s*[:.]?\s*$")


def committee_role(heading: str) -> str | None:
    """Who a heading naming a steering committee's office addresses: the agency a deputy, a member
    or the standing office stands for, named in brackets ("Phó Trưởng ban (Giám đốc Sở Tài chính)"
    → "Sở Tài chính"); the Head (who acts as the committee's head, not for an agency), the support
    team and an office without an agency, by the office as printed ("Trưởng Ban Chỉ đạo")."""
    m = _COMMITTEE_ROLE.match(_NUMBERING.sub("", heading, count=1))
    if not m:
        return None
    role = collapse_ws(m.group("role"))
    head = match_tokens(role)[-2:] == ["truong", "ban"] and not role.lower().startswith("phó")
    if m.group("who") and not head:
        bodies = find_bodies(m.group("who"))
        if bodies:
            return bodies[0].name
    return collapse_ws(f"{role}{m.group('body') or ''}").rstrip(" .:")


def _heading_named(heading: str) -> str | None:
    """The agency a heading is addressed to; "Tham mưu UBND tỉnh …" is a task, not an address."""
    named = heading_agency(heading)
    if named is None:
        return None
    first = find_agencies(heading)[0]
    before = [t for t in match_tokens(heading)[: first.start] if not t.isdigit() and len(t) > 1]
    return named if all(t in ("de", "nghi", "cac", "giao", "yeu", "cau", "doi", "voi", "thu", "truong", "giam", "doc",
                              "chu", "tich") for t in before) else None


def _generic_heading(title: str) -> str | None:
    """Headings naming a body outside the lexicon ("Trung tâm Bảo tồn Di tích cố đô Huế",
    "Chi cục Biển đảo và Thủy sản:")."""
    tokens = match_tokens(title)
    if tokens and tokens[0] in ("trung", "dai", "hoi", "vien", "lien") and not _goes_on(title):
        return collapse_ws(title.rstrip(":. "))
    return _body_heading(title)


def _goes_on(title: str) -> bool:
    """The heading goes on with a verb ("Trung tâm X cung cấp tài liệu …", "Liên thông dữ liệu …"):
    a task, not a body's name."""
    label = match_tokens(title.split(":", 1)[0])
    if label[:2] and label[0] == "lien" and label[1:2] not in (["minh"], ["doan"], ["hiep"]):
        return True
    folded = " " + " ".join(label) + " "
    return any(f" {verb} " in folded for verb in _TASK_VERBS)


def _body_heading(title: str) -> str | None:
    """A heading that is a body's name, alone or before a colon."""
    bodies = find_bodies(title)
    if not bodies or bodies[0].start > 1:
        return None
    label = title.split(":", 1)[0]
    if len(match_tokens(label)) - bodies[0].end > 1:
        return None  # the heading goes on after the name: a task, not an agency
    return bodies[0].name


def _heading_apart(text: str) -> tuple[str | None, str]:
    """(heading, the rest) when a part's heading in capitals ("VII. CHẾ ĐỘ BÁO CÁO") opens the
    text: it is a sentence of its own, the next line's subject ("Các sở, ban, ngành … gửi báo cáo
    …") is not inside it. (None, text) otherwise."""
    first, sep, rest = text.partition("\n")
    head = first.strip()
    if sep and _NUMBERING.match(head) and head.isupper() and not head.endswith((".", ":", ";")):
        return head, rest
    return None, text


# "Đề nghị" before an addressee asks a body outside the province's command to act: it is still the subject
# so is the office a committee member holds for an agency ("Thành viên là lãnh đạo Sở X: …")
_REQUEST = re.compile(r"^\s*(?:Đề\s+nghị|Giao|Yêu\s+cầu|Thành\s+viên\s+là\s+(?:lãnh\s+đạo|đại\s+diện)(?:\s+của)?)\s+",
                      re.IGNORECASE)


def _run_in_leads(line: str) -> list[str]:
    """The agencies a line names as its run-in subject before a colon ("- Sở Tài chính: chủ trì …",
    "b) Sở Nội vụ, Sở Tài chính: …", "- Đề nghị Ủy ban MTTQ tỉnh: vận động …"): the genre's way of
    assigning a task in one line; each one named leads it. A label that goes on with a verb ("-
    Tổng hợp, báo cáo: …") or names no body first is no subject. The names are the lexicon's when
    the label is a list of known bodies, else the label as printed ("Các sở, ban, ngành và đơn vị
    được giao nhiệm vụ tại Phụ lục")."""
    body = _NUMBERING.sub("", line.strip().lstrip("-–+•* "), count=1)
    label, colon, rest = body.partition(":")
    if not colon or not rest.strip():
        return []
    label = _REQUEST.sub("", label.strip().rstrip(".;,"))
    tokens = match_tokens(label)
    if not tokens or len(tokens) > 24 or not label[:1].isupper():
        return []
    folded = " " + " ".join(tokens) + " "
    # a verb makes the label a task ("Tổng hợp, báo cáo:"); "được phân công" qualifies the subject
    if any(re.search(rf"(?<! duoc) {verb} ", folded) for verb in _TASK_VERBS):
        return []
    mentions = find_bodies(label)
    if not mentions or mentions[0].start > (1 if tokens[0] == "cac" else 0):
        return []
    listed = _listed_from(mentions[0], mentions, tokens, [], glue=_HEADING_GLUE)
    if listed[-1].end >= len(tokens):
        return list(dict.fromkeys(m.name for m in listed))
    return [collapse_ws(label)]
