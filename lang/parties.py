"""The words of a joint plan (Decree 30/2020: "kế hoạch liên tịch / phối hợp / liên ngành") for its
own parties: the issuers are named once in the header and the preamble, then as "hai bên", "mỗi
bên", "các bên", "hai cơ quan", "hai ngành"; a question names the plan by one party "kế hoạch …
của / với / giữa" another."""

from __future__ import annotations

from lang.agencies import AgencyMention
from lang.normalize import match_tokens

# after "kế hoạch": a body named after one of these words names the plan (its issuer, its other
# party), not the body asked about ("Sở X phải làm gì theo kế hoạch liên tịch với Hội Y?")
PLAN_PARTY_WORDS = frozenset({"cua", "voi", "giua"})

# a joint plan's words for all of its issuers at once (folded tokens)
_PARTIES = tuple(tuple(match_tokens(p)) for p in (
    "hai bên", "ba bên", "các bên", "mỗi bên", "hai cơ quan", "các cơ quan ban hành", "hai ngành",
    "liên ngành", "hai đơn vị", "cả hai bên",
))
# "liên ngành" alone is a kind of plan or inspection ("kiểm tra liên ngành"), not the parties
_NOT_ALONE = {("lien", "nganh")}


def names_the_parties(text: str) -> bool:
    """Does the text (a point, a sentence) give its work to all the plan's issuers at once ("Hai bên
    thống nhất xây dựng báo cáo chung", "Mỗi bên cử 01 đầu mối")?"""
    tokens = match_tokens(text)
    return any(tuple(tokens[i:i + len(p)]) == p for p in _PARTIES if p not in _NOT_ALONE
               for i in range(len(tokens) - len(p) + 1))


def opening_parties(text: str) -> tuple[int, int] | None:
    """The character span of the parties' words that open a text ("Hai bên cùng chủ trì …" →
    (0, 7)), None when it opens otherwise."""
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    words = stripped.split()
    for phrase in sorted(_PARTIES, key=len, reverse=True):
        if phrase in _NOT_ALONE or len(words) < len(phrase):
            continue
        if tuple(match_tokens(" ".join(words[:len(phrase)]))) == phrase:
            end = lead
            for w in words[:len(phrase)]:
                end = text.index(w, end) + len(w)
            return lead, end
    return None


# The leading organs of a mass organisation ("Ban Thường vụ", "Ban Chấp hành", "Ban Thường trực"),
# printed before the organisation they lead: "Ban Thường vụ Trung ương Hội Nông dân Việt Nam",
# "Ban Chấp hành Tỉnh đoàn" is one body, the organ of that organisation, never two recipients.
_ORGANS = tuple(tuple(match_tokens(p)) for p in ("Ban Thường vụ", "Ban Chấp hành", "Ban Thường trực"))


def organs_joined(tokens: list[str], mentions: list[AgencyMention]) -> list[AgencyMention]:
    """The mentions of a text, an organ and the organisation printed right after it one mention
    ("Ban Thường vụ Trung ương" + "Hội Nông dân Việt Nam" → "Ban Thường vụ Trung ương Hội Nông dân
    Việt Nam")."""
    out: list[AgencyMention] = []
    for m in mentions:
        last = out[-1] if out else None
        if last is not None and last.end == m.start and any(tuple(tokens[last.start:last.start + len(o)]) == o
                                                            for o in _ORGANS):
            out[-1] = AgencyMention(f"{last.name} {m.name}", last.start, m.end)
            continue
        out.append(m)
    return out
