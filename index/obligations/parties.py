"""The parties of a joint plan as actors of its rows. A plan issued jointly (Decree 30/2020:
"kế hoạch liên tịch / phối hợp / liên ngành", a "Số:" and a signer per issuer) gives work to its
issuers together: "Hai bên cùng chủ trì …", "Hai bên thống nhất xây dựng báo cáo chung, gửi …",
"Các bên …". Such a point is read once per party, the words for the parties read as that party,
so that each issuer has its own row (as a point opened by one body has its row)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from index.obligations.records import Obligation, _Section
from lang.agencies import find_bodies
from lang.markers import LIST_MARKER
from lang.normalize import match_tokens
from lang.parties import opening_parties

# the agency a point without a named subject falls back to: every body, none by name
_GENERIC = (None, "các cơ quan, đơn vị được giao nhiệm vụ")
# the level words a body's place starts with ("… tỉnh Hòa Sơn", "… thành phố Cần Thơ")
_LEVELS = frozenset({"tinh", "thanh", "tp"})


def party_names(issuers: Sequence[str]) -> list[tuple[str, str]]:
    """Each issuer as the register names a body ("Sở Nông nghiệp và Môi trường thành phố Cần Thơ"
    → "Sở Nông nghiệp và Môi trường"): the lexicon's name when it covers the issuer's name but for
    its place, else the printed name ("Hội Nông dân thành phố Cần Thơ"); with the printed name."""
    out: list[tuple[str, str]] = []
    for issuer in issuers:
        tokens = match_tokens(issuer)
        # "Tỉnh đoàn", "Thành ủy": a level word that starts a body's name is no place
        level = max((i for i, t in enumerate(tokens) if t in _LEVELS
                     and tokens[i + 1: i + 2] not in (["doan"], ["uy"])), default=len(tokens))
        found = find_bodies(issuer)
        covered = bool(found) and found[0].start == 0 and found[0].end >= level
        name = found[0].name if covered else issuer
        if name not in {n for n, _ in out}:
            out.append((name, issuer))
    return out


def parties_rows(section: _Section, rows: list[Obligation], parties: Sequence[tuple[str, str]],
                 extract: Callable[[_Section], list[Obligation]]) -> list[Obligation]:
    """The rows of a point that a joint plan opens with its parties ("c) Hai bên cùng chủ trì,
    phối hợp với …"): read again with the parties' words read as each party in turn. A point whose
    rows already name a body of their own ("Mỗi bên cử đầu mối: Sở giao Chi cục X …") keeps them."""
    if len(parties) < 2 or not section.chunks:
        return rows
    first = section.chunks[0]
    body = LIST_MARKER.sub("", first.text, count=1) if LIST_MARKER.match(first.text) else first.text
    span = opening_parties(body)
    if span is None:
        return rows
    if any(r.kind in ("assignment", "reporting") and r.agency not in _GENERIC for r in rows):
        return rows
    offset = len(first.text) - len(body)
    phrase = first.text[offset + span[0]: offset + span[1]]
    out = [r for r in rows if r.kind == "deadline" and r.agency in _GENERIC]
    reads: dict[str, list[Obligation]] = {}
    for party, printed in parties:
        text = first.text[: offset + span[0]] + printed + first.text[offset + span[1]:]
        read = extract(replace(section, chunks=[replace(first, text=text), *section.chunks[1:]]))
        # quotes stay verbatim: the party's name back to the plan's own words
        reads[party] = [replace(r, quote=r.quote.replace(printed, phrase),
                                task=r.task.replace(printed, phrase) if r.task else r.task)
                        for r in read if _acts(r, party, printed)]
    # a party the sentence reader does not take for a body ("Ban Chấp hành Tỉnh đoàn …") acts as
    # the other party is read to: the point is the same for both
    template = next((rows for rows in reads.values() if any(r.kind != "deadline" for r in rows)), [])
    for party, _ in parties:
        own = reads[party] if any(r.kind != "deadline" for r in reads[party]) else template
        for r in own:
            if r.kind == "deadline" and any(o.kind == "deadline" and o.due_date == r.due_date for o in out):
                continue  # the point's dates are the point's, once
            out.append(replace(r, agency=party) if r.kind != "deadline" else r)
    return _unique(out)


def _acts(row: Obligation, party: str, printed: str) -> bool:
    """Is the row the party's own (its agency the name put there, maybe cut short or run on into
    the verb, or none named), not a body the point names besides? A date is the point's."""
    agency = row.agency or ""
    return row.kind == "deadline" or row.agency in _GENERIC or any(
        agency.startswith(name) or (bool(agency) and name.startswith(agency)) for name in (party, printed))


def _unique(rows: list[Obligation]) -> list[Obligation]:
    seen: set[tuple] = set()
    out = []
    for r in rows:
        key = (r.kind, r.agency, r.role, r.recipient, r.due_date, re.sub(r"\s+", " ", r.quote))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
