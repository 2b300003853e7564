"""The obligations register: who must do what, who reports to whom, and by when.

Extracted from every indexed plan by rules over the section tree (not by similarity search), so a
question about a reporting line or a deadline gets the one passage that states it, with its section.
Each plan's rows are extracted once, at ingest, and kept with the plan in the index generation;
the register is their union, so every process sharing one index reads the same register without
recomputing it.

The package, by what each part reads:
- records: the register row (`Obligation`) and the section a plan's chunks make up;
- deadlines: dates, recurrences, relative deadlines and period ends in a sentence or a time field;
- actors: phrase positions (OCR'd spellings by consonant frame) and the agencies a sentence names
  as its subject, its list or its delegation;
- reporting: reporting lines (who reports to whom, through whom, onward to whom);
- headings: who a section's heading addresses, and the points that are fields of their item;
- table_rows: rows of a task table, read by their header;
- sections: one section's rows (labelled fields, then sentence by sentence);
- articles: a decision's articles in the preamble ("Điều 3. … chịu trách nhiệm thi hành …");
- register: one plan's rows, and the register of every plan with its queries.
"""

# `_positions` and `_deadline_in` stay importable from here: tests check them against references
from index.obligations.actors import _positions as _positions
from index.obligations.deadlines import RECURRENCES, parse_date, period_deadlines
from index.obligations.deadlines import _deadline_in as _deadline_in
from index.obligations.records import Obligation
from index.obligations.register import ObligationRegister, extract, extract_plan, plan_records

__all__ = [
    "RECURRENCES",
    "Obligation",
    "ObligationRegister",
    "extract",
    "extract_plan",
    "parse_date",
    "period_deadlines",
    "plan_records",
]
