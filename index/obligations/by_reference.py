"""Work assigned by reference: under a body's heading in the implementation part, "- Chủ trì các
nhiệm vụ tại điểm a, điểm c khoản 1 và điểm c khoản 2 Mục II", "- Phối hợp thực hiện nhiệm vụ nêu
tại khoản 3 Mục III". The body leads (or, by the verb, partners) the items the line names. The row
stays where the assignment is written (its section and quote) and lists the items in `refers_to`,
flagged `by_reference`: the reverse map the answers read (an item that names no body is led by the
body of the row that refers to it), built once at ingest from the references index/xrefs.py
resolved, not searched for at question time."""

from __future__ import annotations

import re
from dataclasses import replace

from index.models import Chunk
from index.obligations.records import Obligation, _Section
from index.xrefs import names_path
from lang.agencies import find_bodies
from lang.markers import LOOSE_LIST_MARKER
from lang.normalize import collapse_ws, match_tokens

BY_REFERENCE = "by_reference"
# the clause's verb says the role: a lead's ("chủ trì", "thực hiện", "triển khai", "tổ chức") or,
# opening the clause without "chủ trì", a partner's ("phối hợp thực hiện nhiệm vụ tại …")
_LEAD_VERBS = (("chu", "tri"), ("thuc", "hien"), ("trien", "khai"), ("to", "chuc"), ("dam", "nhiem"),
               ("phu", "trach"))
_PARTNER = ("phoi", "hop")


def _has(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(tokens[i:i + n]) == phrase for i in range(len(tokens) - n + 1))


def _role(clause: str) -> str | None:
    tokens = match_tokens(re.sub(LOOSE_LIST_MARKER, "", clause.strip().lstrip("-–+•* ")))
    if _has(tokens, ("chu", "tri")):
        return "lead"
    if tuple(tokens[:2]) == _PARTNER:
        return "cooperate"
    return "lead" if any(_has(tokens, verb) for verb in _LEAD_VERBS) else None


def _heading_lead(section: _Section, by_path: dict[str, _Section], records: list[Obligation]) -> str | None:
    """The body the section's heading names ("3. Công chức Địa chính …", "3.2. Giao Bộ Chỉ huy
    Bộ đội Biên phòng tỉnh:"): the one lead the register files for the section's own title, or for
    the item it is a point of."""
    paths = [section.path, *(section.path.rsplit(".", n)[0] for n in range(1, section.path.count(".")))]
    for path in paths:
        title = by_path[path].title if path in by_path else None
        leads = {r.agency for r in records if r.kind == "assignment" and r.role == "lead" and r.agency
                 and r.section == path and r.task and r.task == title and BY_REFERENCE not in r.flags}
        if len(leads) == 1:
            return leads.pop()
    return None


def _opens_with_body(line: str) -> bool:
    """Does the line name its own actor first ("- Sở X chủ trì …")? A line opening with its verb
    ("- Chủ trì …", "- Là cơ quan thường trực của Ban Chỉ huy xã; chủ trì …") is its heading's body's."""
    tokens = match_tokens(re.sub(LOOSE_LIST_MARKER, "", line.strip().lstrip("-–+•* ")))
    return any(m.start == 0 for m in find_bodies(" ".join(tokens)))


def assigned_by_reference(records: list[Obligation], sections: list[_Section], chunks: list[Chunk],
                          province: str | None, year: int | None) -> list[Obligation]:
    """The register with each line that assigns work by reference read as such: its row (made
    when the line had none) carries the items it names in `refers_to`, its body the heading's
    when the line opens with its verb."""
    out = list(records)
    by_path = {s.path: s for s in sections}
    for chunk in chunks:
        section = by_path.get(chunk.section)
        if not chunk.xrefs or section is None or chunk.section in ("preamble", "closing"):
            continue
        # every line, the section's first too: a point's title line is its task ("a) Là cơ quan
        # thường trực …; chủ trì … thực hiện nhiệm vụ tại khoản 1 Mục III")
        for line in chunk.text.split("\n"):
            named: dict[str, list[str]] = {}
            for clause in line.split(";"):
                role = _role(clause)
                targets = [t for t in chunk.xrefs if t != chunk.section and names_path(clause, t)]
                # the point, not its item: "điểm a khoản 1" names II.1.a, and II.1 only by its number
                targets = [t for t in targets if not any(o.startswith(t + ".") for o in targets)]
                if role and targets:
                    named.setdefault(role, []).extend(t for t in targets if t not in named.get(role, []))
            if not named:
                continue
            quote = collapse_ws(line)
            own = _opens_with_body(line)
            lead = None if own else _heading_lead(section, by_path, out)
            if not own and lead is None:
                continue  # a heading the register reads no body from: who the line is for is not known
            for role, targets in named.items():
                rows = [i for i, r in enumerate(out) if r.kind == "assignment" and r.section == chunk.section
                        and collapse_ws(r.quote) == quote and (r.role or "lead") == role]
                if rows:
                    for i in rows:
                        agency = lead or out[i].agency
                        out[i] = replace(out[i], agency=agency, refers_to=tuple(targets),
                                         flags=tuple(dict.fromkeys((*out[i].flags, BY_REFERENCE))))
                    continue
                agency = lead or next((r.agency for r in out if r.kind == "assignment" and r.section == chunk.section
                                       and collapse_ws(r.quote) == quote), None)
                if agency is None:
                    continue
                out.append(Obligation(kind="assignment", source=chunk.source, doc_title=chunk.doc_title,
                                      section=chunk.section, section_label=chunk.section_label, quote=quote,
                                      agency=agency, role=role, refers_to=tuple(targets), flags=(BY_REFERENCE,),
                                      province=province, year=year))
    return out
