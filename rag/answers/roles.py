"""The role a body plays in a passage, read from the obligations register built at ingest.

A plan names a body in many passages, but acts through it in few: "Các sở … gửi Sở Công Thương
trước ngày 20/11" names Sở Công Thương as the recipient, "Sở Công Thương tổng hợp báo cáo UBND
tỉnh trước ngày 30/11" has it report. A question whose subject is the body ("Sở Công Thương báo
cáo … trước ngày nào?", "Sở X phải làm gì?") is answered where the register files it as the one
who acts (the row's agency, leading or alone), not where it is the recipient or a partner.
"""

from __future__ import annotations

from collections.abc import Iterable

from index.obligations import Obligation


def _related(row_section: str, section: str) -> bool:
    """A row filed at an item speaks for its points, and a point's row for the item's passage."""
    return row_section == section or section.startswith(f"{row_section}.") or row_section.startswith(f"{section}.")


def acts_in(records: Iterable[Obligation], section: str, actors: frozenset[str]) -> bool | None:
    """Whether one of `actors` acts in `section` by the register (True), is named there only as
    recipient, relay or partner (False), or no row there names any of them (None: no evidence)."""
    named = False
    for record in records:
        if not _related(record.section, section):
            continue
        if record.agency in actors and record.role != "cooperate":
            return True
        parties = {record.recipient, record.via, *record.onward, *record.cooperating}
        if record.agency in actors or actors & parties:
            named = True
    return False if named else None


def acting_first(items: list, records: list[Obligation], actors: frozenset[str]) -> list:
    """`items` (scored passages, best first) with those where an actor acts first, then those the
    register says nothing of, then those naming it only as recipient or partner; the order within
    each kept. Items are (score, coverage, chunk, sentence) tuples."""
    rank = {True: 0, None: 1, False: 2}
    return sorted(items, key=lambda item: rank[acts_in(records, item[2].section, actors)])
