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
from lang.parties import opening_parties

# the agency a point without a named subject falls back to: every body, none by name
_GENERIC = (None, "các cơ quan, đơn vị được giao nhiệm vụ")


def party_names(issuers: Sequence[str]) -> list[str]:
    """Each issuer as the register names a body ("Sở Nông nghiệp và Môi trường thành phố Cần Thơ"
    → "Sở Nông nghiệp và Môi trường"; a body the lexicon does not know keeps its printed name)."""
    out: list[str] = []
    for issuer in issuers:
        found = find_bodies(issuer)
        name = found[0].name if found and found[0].start == 0 else issuer
        if name not in out:
            out.append(name)
    return out


def parties_rows(section: _Section, rows: list[Obligation], parties: Sequence[str],
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
    for party in parties:
        text = first.text[: offset + span[0]] + party + first.text[offset + span[1]:]
        read = extract(replace(section, chunks=[replace(first, text=text), *section.chunks[1:]]))
        for r in read:
            if r.kind == "deadline" and any(o.kind == "deadline" and o.due_date == r.due_date for o in out):
                continue  # the point's dates are the point's, once
            # a name the lexicon does not know runs on into the verb ("… Cần Thơ thống nhất"): the
            # party is the name put there
            agency = party if r.agency and r.agency.startswith(party) else r.agency
            # quotes stay verbatim: the party's name back to the plan's own words
            out.append(replace(r, agency=agency, quote=r.quote.replace(party, phrase),
                               task=r.task.replace(party, phrase) if r.task else r.task))
    return _unique(out)


def _unique(rows: list[Obligation]) -> list[Obligation]:
    seen: set[tuple] = set()
    out = []
    for r in rows:
        key = (r.kind, r.agency, r.role, r.recipient, r.due_date, re.sub(r"\s+", " ", r.quote))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
