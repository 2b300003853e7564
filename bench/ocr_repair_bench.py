"""Measure the OCR repairer (index/ocr_repair) on plans and a font held out from training.

Figures printed:
- syllable accuracy (exact, with diacritics; case-insensitive and case-sensitive) of the raw
  Tesseract `eng` output (baseline) and of the repaired text, per test font, on the held-out plans
  (scripts/ocr_pairs.HELDOUT_PLANS; OCR output cached by scripts/ocr_pairs.py --split test);
- numbers/dates/document numbers kept (every digit token of the OCR input present unchanged);
- share of syllables of clean plans left unchanged (all ../shared/plans + the clean sample);
- model load time and decoding speed (syllables/s, one process, cold candidate cache).

Usage: PYTHONPATH=. python bench/ocr_repair_bench.py [--model PATH]
Needs ../shared/plans and the OCR cache (/work/ocrcache or PLANBOT_OCR_CACHE); skips what is absent.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys
import time

from rapidfuzz.distance import Levenshtein

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from ocr_pairs import CACHE, SHARED, cached_pairs  # noqa: E402

from index.ocr_repair.decoder import MODEL_PATH, OcrRepairer, Settings  # noqa: E402
from index.ocr_repair.tokens import repairable, split_line  # noqa: E402


def words(text: str) -> list[str]:
    return [p.core for line in text.split("\n") for p in split_line(line)
            if p.core and any(ch.isalpha() for ch in p.core)]


def accuracy(output: str, clean: str, lower: bool) -> tuple[int, int]:
    a, b = words(clean), words(output)
    if lower:
        a, b = [w.lower() for w in a], [w.lower() for w in b]
    right = sum(i2 - i1 for tag, i1, i2, _, _ in Levenshtein.opcodes(a, b) if tag == "equal")
    return right, len(a)


def number_tokens(text: str) -> list[str]:
    """Digits and punctuation of every number, date, document number and footnote mark, in
    order; the letters of a document number may be repaired ("213/QD-TTg" -> "213/QĐ-TTg"), and
    a digit inside a word is a misread letter ("d6i"), not a number."""
    out = []
    for line in text.split("\n"):
        for p in split_line(line):
            core = "" if repairable(p.core) else re.sub(r"[^\W\d_]", "", p.core)
            if any(ch.isdigit() for ch in p.prefix + core + p.suffix):
                out.append(p.prefix + core + p.suffix)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(MODEL_PATH))
    ap.add_argument("--split", default="test", help="test (held out) or train (tuning only)")
    ap.add_argument("--channel-weight", type=float)
    ap.add_argument("--oov-penalty", type=float)
    ap.add_argument("--min-confidence", type=float)
    ap.add_argument("--candidates", type=int)
    ap.add_argument("--beam", type=int)
    ap.add_argument("--no-line-gates", action="store_true", help="measure the decoder alone on clean text")
    a = ap.parse_args()
    overrides: dict = {"line_gates": False} if a.no_line_gates else {}
    overrides |= {k: v for k, v in {"channel_weight": a.channel_weight, "oov_penalty": a.oov_penalty,
                                   "min_confidence": a.min_confidence,
                                   "candidates": a.candidates, "beam": a.beam}.items() if v is not None}
    t0 = time.perf_counter()
    repairer = OcrRepairer(a.model, Settings(**overrides))
    load_s = time.perf_counter() - t0
    size_mb = pathlib.Path(a.model).stat().st_size / 1e6
    print(f"model {a.model}: {size_mb:.1f} MB, loads in {load_s:.2f} s; settings {repairer.settings}")
    pairs = cached_pairs(a.split)
    if not pairs:
        print(f"no OCR pairs in {CACHE}: run scripts/ocr_pairs.py --split {a.split}")
    by_config: dict[str, list[tuple[pathlib.Path, pathlib.Path]]] = {}
    for config, ocr_file, clean_file in pairs:
        by_config.setdefault(config, []).append((ocr_file, clean_file))
    total_syll = 0
    total_time = total_cpu = 0.0
    cold: tuple[int, float] | None = None
    nums_in = nums_kept = 0
    for config, files in sorted(by_config.items()):
        stats = {"base": [0, 0], "rep": [0, 0], "base_cs": [0, 0], "rep_cs": [0, 0]}
        for ocr_file, clean_file in files:
            ocr = ocr_file.read_text(encoding="utf-8")
            clean = clean_file.read_text(encoding="utf-8")
            t, c = time.perf_counter(), time.process_time()
            out = repairer.repair(ocr).text
            total_time += time.perf_counter() - t
            total_cpu += time.process_time() - c
            if cold is None:  # the first document: empty candidate cache
                cold = (len(words(ocr)), time.process_time() - c)
            total_syll += len(words(ocr))
            assert out.count("\n") == ocr.count("\n")
            for key, text, lower in (("base", ocr, True), ("rep", out, True), ("base_cs", ocr, False), ("rep_cs", out, False)):
                r, n = accuracy(text, clean, lower)
                stats[key][0] += r
                stats[key][1] += n
            before, after = number_tokens(ocr), number_tokens(out)
            nums_in += len(before)
            nums_kept += sum(x == y for x, y in zip(before, after, strict=False)) if len(before) == len(after) else 0
        pct = {k: 100 * r / max(n, 1) for k, (r, n) in stats.items()}
        print(f"{a.split} {config} ({len(files)} plans, {stats['base'][1]:,} syllables): "
              f"raw OCR {pct['base']:.1f} % -> repaired {pct['rep']:.1f} % (case-insensitive); "
              f"case-sensitive {pct['base_cs']:.1f} % -> {pct['rep_cs']:.1f} %")
    if nums_in:
        print(f"numbers/dates/document numbers kept: {nums_kept}/{nums_in} ({100 * nums_kept / nums_in:.2f} %)")
    if total_time:
        print(f"speed: {total_syll:,} syllables in {total_cpu:.1f} s CPU = {total_syll / total_cpu:,.0f} syllables/s "
              f"on one core ({total_syll / total_time:,.0f}/s wall clock on this shared machine)")
    if cold:
        print(f"first document, cold caches: {cold[0]:,} syllables in {cold[1]:.2f} s CPU = {cold[0] / cold[1]:,.0f} syllables/s")
    clean_files = sorted((SHARED / "plans").glob("*.txt")) + [REPO / "data" / "sample_plans" / "thua-thien-hue-2025.txt"]
    changed = total = 0
    examples = []
    for f in clean_files:
        if not f.exists():
            continue
        text = f.read_text(encoding="utf-8")
        res = repairer.repair(text)
        total += len(words(text))
        diff = [t for t in res.tokens if t.changed]
        changed += len(diff)
        examples += [f"{t.source}->{t.repaired}" for t in diff[:3]]
    if total:
        gates = "" if repairer.settings.line_gates else " (line gates off: the decoder alone)"
        print(f"clean plans{gates}: {total - changed:,}/{total:,} syllables unchanged ({100 * (total - changed) / total:.2f} %); "
              f"changes e.g. {examples[:10]}")


if __name__ == "__main__":
    main()
