"""Learn how real scans misprint syllables, from the scans' own residue: writes
index/ocr_repair/scan_table.json, (OCR token -> syllable) counts the repairer adds to the token
table it learnt on rendered pages (scripts/build_ocr_model.py).

Tesseract on real scans errs differently from rendered pages: "nhan dén tinh" is "nhân dân tỉnh"
there ("â" read as "é"), which rendered pages never showed, so the token table rules it out. One
step of self-training finds such confusions: for every word of the scans' damaged lines, the
syllables that share its consonant frame and are within one letter of its folded reading are
scored by the language model in the context of the current repair, plus the character model only
(not the token table); where one wins clearly (posterior >= 0.9), differs from the current repair
and the same (token, syllable) pair wins at least MIN_COUNT times over the scans, the pair is kept.
Only counts are written, no text.

Usage: PYTHONPATH=. python scripts/scan_pairs.py [PLAN.txt ...]   (default: the three OCR'd sample plans)
"""

from __future__ import annotations

import argparse
import collections
import json
import pathlib
import sys
import unicodedata

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index.ocr_repair.channel import ocr_key  # noqa: E402
from index.ocr_repair.decoder import SCAN_TABLE_PATH, OcrRepairer  # noqa: E402
from index.ocr_repair.tokens import BOUNDARY, STOP, lm_symbols, repairable, split_line, word_symbol  # noqa: E402
from lang.normalize import fold, skeleton  # noqa: E402
from lang.syllables import is_valid_syllable  # noqa: E402

SCANS = ("hung-yen-2026.txt", "thua-thien-hue-2024.txt", "vinh-phuc-2024.txt")
MIN_POSTERIOR = 0.9
MIN_COUNT = 2


def mine(repairer: OcrRepairer, text: str) -> collections.Counter[tuple[str, str]]:
    lm, channel = repairer.lm, repairer.channel
    repaired = repairer.repair(text).text
    found: collections.Counter[tuple[str, str]] = collections.Counter()
    # one symbol stream over the whole repaired text, as the decoder reads it (a wrapped line is
    # not a sentence break), and the words of damaged lines to try
    syms = [BOUNDARY, BOUNDARY]
    trials: list[tuple[int, str, str]] = []  # (position in syms, OCR token, current repair)
    prev_stop = True
    for src_line, out_line in zip(text.split("\n"), repaired.split("\n"), strict=True):
        src_pieces, out_pieces = split_line(src_line), split_line(out_line)
        if not out_pieces:
            prev_stop = True
            continue
        if prev_stop:
            syms.append(BOUNDARY)
        damaged = len(src_pieces) == len(out_pieces) and repairer.line_is_damaged([p.core for p in src_pieces])
        for k, p in enumerate(out_pieces):
            piece_syms = lm_symbols(p)
            if damaged and piece_syms and p.core.isalpha():
                src = src_pieces[k].core
                o = unicodedata.normalize("NFC", src.lower())
                letters = sum(ch.isalpha() for ch in o)
                known_foreign = lm.id(o) != 0 and not is_valid_syllable(o)  # "video", "clip"
                if (repairable(src) and not src.isupper() and sum(ch.isupper() for ch in src) < 2
                        and letters >= 2 and not known_foreign):
                    trials.append((len(syms), o, word_symbol(p.core)))
            syms.extend(piece_syms)
        prev_stop = lm_symbols(out_pieces[-1])[-1:] == [STOP]
    syms += [BOUNDARY, BOUNDARY]
    for i, o, current in trials:
        key = ocr_key(o)
        pool = {s for s in repairer.by_skeleton.get(skeleton(key), ()) if is_valid_syllable(s) and _close(fold(s), key)}
        pool.update(repairer._candidates(o)[0][1:])
        if len(pool) < 2:
            continue
        cands = sorted(pool)
        ids = np.array([lm.id(word_symbol(s)) for s in cands], dtype=np.int64)
        u, v, w1, w2 = (np.int64(lm.id(syms[i + d])) for d in (-2, -1, 1, 2))
        local = lm.score(u, v, ids) + lm.score(v, ids, w1) + lm.score(ids, w1, w2)
        local = local + np.array([channel.char_logp(s, o) for s in cands])
        post = np.exp(local - local.max())
        post /= post.sum()
        best = int(np.argmax(post))
        if post[best] >= MIN_POSTERIOR and cands[best] != current:
            found[(o, cands[best])] += 1
    return found


def _close(a: str, b: str) -> bool:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b) <= 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("plans", nargs="*", type=pathlib.Path)
    ap.add_argument("--out", type=pathlib.Path, default=SCAN_TABLE_PATH)
    args = ap.parse_args()
    plans = args.plans or [REPO / "data" / "sample_plans" / name for name in SCANS]
    repairer = OcrRepairer(scan_table=None)  # the rendered-page model alone
    total: collections.Counter[tuple[str, str]] = collections.Counter()
    for plan in plans:
        total.update(mine(repairer, plan.read_text(encoding="utf-8")))
    table: dict[str, dict[str, int]] = collections.defaultdict(dict)
    for (o, s), n in sorted(total.items()):
        if n >= MIN_COUNT:
            table[o][s] = n
    args.out.write_text(json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{sum(len(r) for r in table.values())} pairs, {len(table)} tokens -> {args.out}")
    for o, row in sorted(table.items(), key=lambda kv: -sum(kv[1].values()))[:40]:
        print(f"  {o:10} {row}")


if __name__ == "__main__":
    main()
