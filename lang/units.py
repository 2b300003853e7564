"""A Sở's own units as a question names them ("Thanh tra Sở Tư pháp", "vp sở tư pháp"): the
Sở's own plans call them "Thanh tra Sở", "Văn phòng Sở"."""

from __future__ import annotations

from lang.agencies import AgencyMention, find_bodies
from lang.normalize import match_tokens

# The units every Sở has, which its own plans name "Văn phòng Sở", "Thanh tra Sở"
SO_UNIT_HEADS = ("Văn phòng", "Thanh tra")


def asked_bodies(text: str) -> list[AgencyMention]:
    """The bodies a question names (`find_bodies`), with a Sở's unit typed in lower case ("vp sở
    tư pháp", "thanh tra sở tư pháp") read as that unit: questions are typed in any case, the
    plans' capitals are what `find_bodies` reads a unit's head by."""
    tokens = match_tokens(text)
    out: list[AgencyMention] = []
    for mention in find_bodies(text):
        head = next((h for h in SO_UNIT_HEADS if tokens[max(0, mention.start - len(match_tokens(h))):mention.start]
                     == match_tokens(h)), None) if mention.name.startswith("Sở ") else None
        if head is not None:
            mention = AgencyMention(f"{head} {mention.name}", mention.start - len(match_tokens(head)), mention.end)
            if out and out[-1].end > mention.start:
                out.pop()  # the head read as a body of its own ("Văn phòng")
        out.append(mention)
    return out
