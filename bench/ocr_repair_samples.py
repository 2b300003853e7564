"""Random repaired sentences of the OCR'd sample plans beside their OCR text, for a person to judge
(no clean original of these plans exists). Sentences are cut from the repaired text at full
stops/semicolons; the OCR side is the same span of the verbatim text (the repair keeps every
line and whitespace, so word i of one is word i of the other).

Usage: PYTHONPATH=. python bench/ocr_repair_samples.py [-n 50] [--seed 14] [--out FILE.md]
"""

from __future__ import annotations

import argparse
import pathlib
import random
import re
import sys

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index.ocr_repair import repair_text  # noqa: E402

OCR_SAMPLES = ("hung-yen-2026.txt", "thua-thien-hue-2024.txt", "vinh-phuc-2024.txt")


def sentences(ocr: str, repaired: str) -> list[tuple[str, str]]:
    src, out = ocr.split(), repaired.split()
    assert len(src) == len(out)
    pairs, start = [], 0
    for i, word in enumerate(out):
        if re.search(r"[.;:!?]$", word) or i == len(out) - 1:
            if 6 <= i + 1 - start <= 45:
                pairs.append((" ".join(src[start:i + 1]), " ".join(out[start:i + 1])))
            start = i + 1
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--out")
    a = ap.parse_args()
    pool = []
    for name in OCR_SAMPLES:
        text = (REPO / "data" / "sample_plans" / name).read_text(encoding="utf-8")
        pool += [(name, o, r) for o, r in sentences(text, repair_text(text).text)]
    picked = random.Random(a.seed).sample(pool, min(a.n, len(pool)))
    lines = [f"# {len(picked)} random repaired sentences of the OCR'd sample plans (seed {a.seed})", "",
             "Left: the verbatim OCR text (Tesseract, English model). Right: `planbot repair` output.", ""]
    for i, (name, ocr, rep) in enumerate(picked, 1):
        lines += [f"{i}. `{name}`", f"   - OCR: {ocr}", f"   - repaired: {rep}", ""]
    text = "\n".join(lines)
    if a.out:
        pathlib.Path(a.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
