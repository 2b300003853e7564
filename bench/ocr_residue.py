"""OCR residue left in the repaired text of the three OCR'd sample plans (real scans read by
Tesseract's English model), counted by class, beside the same counts on the verbatim OCR text.

No clean original of these plans exists, so this counts what can be seen without one: tokens no
Vietnamese reader would accept. Classes (one token may fall in several):
- not_syllable: a lower-case or capitalised word that is not a Vietnamese syllable
  (index/syllables.is_valid_syllable); all-capital tokens (abbreviations: UBND, ASEAN)
  and words of a line in another language are left out;
- symbol_in_word: letters with a symbol inside or glued on ("s¢", "phu:ong", "chi?c", "THU'C");
- lone_symbol: a symbol standing alone between words ("¢", "&", "@");
- digit_letter: digits and letters mixed in a word ("16n", "d6i", "1&"), not numbers, dates,
  document numbers, numbers with units or codes (index/ocr_repair/tokens.repairable, or digits
  then small letters that read as a syllable: `digit_reading`);
- digit_word: a number of 2-3 digits between two lower-case words that reads, through the OCR
  confusions, as a syllable ("601 ngoại" = "đối ngoại", "161" = "lối"); a heuristic, so it also
  counts real numbers ("có 161 người") and is reported apart;
- case: a capitalised word inside a sentence, between two lower-case words, whose capital has the
  shape of its small letter (c, o, s, v, w, x, z: "Phối hợp Với các"), and which the same text
  writes in small letters inside sentences at least 3 times and 5 times as often as capitalised
  (so names such as "Chính phủ", "Sở" are not counted).

Usage: PYTHONPATH=. python bench/ocr_residue.py [--examples N]
"""

from __future__ import annotations

import argparse
import collections
import pathlib
import re
import sys

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index.ocr_repair import repair_text  # noqa: E402
from index.ocr_repair.tokens import repairable, split_line  # noqa: E402
from lang.syllables import is_valid_syllable  # noqa: E402

OCR_SAMPLES = ("hung-yen-2026.txt", "thua-thien-hue-2024.txt", "vinh-phuc-2024.txt")
SYMBOLS = set("¢&@§€¥$")
SAME_SHAPE_CAPITALS = set("CcOoSsVvWwXxZz")
CLASSES = ("not_syllable", "symbol_in_word", "lone_symbol", "digit_letter", "digit_word", "case")


def _is_word(core: str) -> bool:
    return core.isalpha()


def digit_reading(core: str) -> str:
    """The letters a number stands for when Tesseract read a word as digits: first 1 = l, 6 = đ
    ("161" = "lối", "601" = "đối"), then 0/6/9 = o, 1 = i, 3/4 = a, 8 = e."""
    first = {"1": "l", "6": "d"}.get(core[0], core[0])
    return first + core[1:].translate(str.maketrans("069134" + "8¢@&", "oooiaa" + "eooe"))


def mid_sentence_case(text: str) -> tuple[collections.Counter, collections.Counter]:
    """How often each word is written in small letters and capitalised inside a sentence."""
    lower, title = collections.Counter(), collections.Counter()
    for line in text.split("\n"):
        pieces = split_line(line)
        for prev, p in zip(pieces, pieces[1:], strict=False):
            if p.core.isalpha() and prev.core.isalpha() and not re.search(r"[.;:!?)]", prev.suffix) and not p.prefix:
                if p.core.islower():
                    lower[p.core] += 1
                elif p.core[0].isupper() and p.core[1:].islower():
                    title[p.core.lower()] += 1
    return lower, title


def residue(text: str) -> dict[str, list[str]]:
    """Residue tokens of a text by class (each a short context string)."""
    found: dict[str, list[str]] = collections.defaultdict(list)
    lower_mid, title_mid = mid_sentence_case(text)
    for line in text.split("\n"):
        pieces = split_line(line)
        for i, p in enumerate(pieces):
            core = p.core
            if not core:
                continue
            prev = pieces[i - 1] if i else None
            nxt = pieces[i + 1] if i + 1 < len(pieces) else None
            ctx = " ".join(f"[{q.prefix}{q.core}{q.suffix}]" if q is p else q.prefix + q.core + q.suffix
                           for q in pieces[max(0, i - 2): i + 3])
            letters = [ch for ch in core if ch.isalpha()]
            if len(core) == 1 and core in SYMBOLS:
                found["lone_symbol"].append(ctx)
                continue
            if len(core) == 1 and p.suffix.startswith((")", ".")):
                continue  # a point's or a list's letter: "b)", "a."
            if letters and any(not ch.isalnum() and ch not in "-/." for ch in core):
                found["symbol_in_word"].append(ctx)
                continue
            if "/" in core or "-" in core:
                continue  # document numbers, dates, "kinh tế - xã hội" hyphens
            if letters and any(ch.isdigit() for ch in core):
                if repairable(core) or (core.islower() and re.fullmatch(r"\d{1,3}[a-z¢&@]+", core)
                                        and is_valid_syllable(digit_reading(core))):
                    found["digit_letter"].append(ctx)
                continue
            if core.isdigit() and 2 <= len(core) <= 3 and not p.prefix and not p.suffix:
                if (prev is not None and nxt is not None and prev.core.isalpha() and nxt.core.isalpha()
                        and prev.core.islower() and nxt.core.islower() and not prev.suffix
                        and is_valid_syllable(digit_reading(core))):
                    found["digit_word"].append(ctx)
                continue
            if not _is_word(core):
                continue
            if core.isupper() and len(core) > 1:
                continue  # abbreviations, headings in capitals
            if not is_valid_syllable(core):
                found["not_syllable"].append(ctx)
            if (core[0] in SAME_SHAPE_CAPITALS and core[0].isupper() and len(core) > 1 and core[1:].islower()
                    and prev is not None and nxt is not None and prev.core.isalpha() and prev.core.islower()
                    and not re.search(r"[.;:!?)]", prev.suffix) and nxt.core[:1].islower()
                    and lower_mid.get(core.lower(), 0) >= 3 and title_mid.get(core.lower(), 0) * 5 < lower_mid[core.lower()]):
                found["case"].append(ctx)
    return found


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=0, help="print this many repaired examples per class")
    args = ap.parse_args()
    totals = {"ocr": collections.Counter(), "repaired": collections.Counter()}
    examples: dict[str, list[str]] = collections.defaultdict(list)
    print(f"{'plan':28} {'class':16} {'OCR text':>9} {'repaired':>9}")
    for name in OCR_SAMPLES:
        text = (REPO / "data" / "sample_plans" / name).read_text(encoding="utf-8")
        before, after = residue(text), residue(repair_text(text).text)
        for cls in CLASSES:
            print(f"{name:28} {cls:16} {len(before[cls]):9d} {len(after[cls]):9d}")
            totals["ocr"][cls] += len(before[cls])
            totals["repaired"][cls] += len(after[cls])
            examples[cls].extend(after[cls])
    print()
    for cls in CLASSES:
        print(f"{'all three':28} {cls:16} {totals['ocr'][cls]:9d} {totals['repaired'][cls]:9d}")
    main_classes = [c for c in CLASSES if c != "digit_word"]
    print(f"{'all three':28} {'total (no digit_word)':16} {sum(totals['ocr'][c] for c in main_classes):9d} "
          f"{sum(totals['repaired'][c] for c in main_classes):9d}")
    if args.examples:
        for cls in CLASSES:
            print(f"\n## {cls}")
            for ex in examples[cls][: args.examples]:
                print("  ", ex)


if __name__ == "__main__":
    main()
