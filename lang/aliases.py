"""The short names in force while one plan is read, and the full body each mention of them names.

lang/short_names.py reads a plan's definitions ("(sau đây gọi tắt là BCH PCTT&TKCN huyện)") and
puts them in force here; `find_bodies` (lang/agencies.py) spells them out with `spelled_out`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace

from lang.mentions import AgencyMention

# (the short form's tokens, the short form, the full name), longest first
Forms = tuple[tuple[tuple[str, ...], str, str], ...]
_ACTIVE: ContextVar[Forms] = ContextVar("plan_aliases", default=())


@contextmanager
def short_forms_in_force(forms: Forms) -> Iterator[None]:
    """Within this block (this thread or task only) `spelled_out` names these short forms."""
    token = _ACTIVE.set(forms)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def aliases_key() -> str:
    """A key of the short names in force ("" outside a plan that defines any)."""
    forms = _ACTIVE.get()
    return f"|{hash(forms)}" if forms else ""


def spelled_out(tokens: list[str], mentions: list[AgencyMention]) -> list[AgencyMention]:
    """`find_bodies`'s mentions with the plan's short forms named by their full body: a short form
    alone ("gửi BCH PCTT&TKCN huyện") is that body; inside a longer name ("Văn phòng thường trực
    BCH PCTT&TKCN huyện") it is spelled out there."""
    forms = _ACTIVE.get()
    if not forms:
        return mentions
    out = list(mentions)
    i = 0
    while i < len(tokens):
        form = next((f for f in forms if tuple(tokens[i:i + len(f[0])]) == f[0]), None)
        if form is None:
            i += 1
            continue
        end = i + len(form[0])
        holder = next((m for m in out if m.start <= i and end <= m.end), None)
        if holder is not None and (holder.start, holder.end) != (i, end):
            if holder.start < i and holder.name.endswith(" và " + form[1]):
                # "UBND huyện và BCH PCTT&TKCN tỉnh": two bodies, the second the short form
                out[out.index(holder)] = AgencyMention(holder.name[: -len(" và " + form[1])], holder.start, i - 1)
                out.append(AgencyMention(form[2], i, end))
            elif holder.start < i and form[1] in holder.name:
                out[out.index(holder)] = replace(holder, name=holder.name.replace(form[1], form[2]))
        else:
            out = [m for m in out if m.end <= i or m.start >= end]
            out.append(AgencyMention(form[2], i, end))
        i = end
    return sorted(out, key=lambda m: m.start)
