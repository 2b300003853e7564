"""Build the OCR repairer's model (index/ocr_repair/model_v1.npz) from documented sources.

Sources (read at build time, never copied into the repository):
- ../shared/lmcorpus/corpus.txt and corpus_extra.txt: clean national legal/administrative text
  (sources and licences in its README) -> syllable trigram counts for the language model;
- ../shared/plans/*.txt minus the held-out plans, and the clean sample plan
  data/sample_plans/thua-thien-hue-2025.txt -> more language-model counts (the plan genre);
- (OCR output, clean text) pairs made by scripts/ocr_pairs.py (Tesseract `eng` on rendered
  pages, several fonts, cached in /work/ocrcache) -> the confusion (channel) model.

What is written: a vocabulary of syllables, pruned n-gram scores (quantised), a table of
OCR token -> syllable counts and a character confusion table. No sentence of any source.

Usage: python scripts/build_ocr_model.py [--out index/ocr_repair/model_v1.npz] [--min-tri 1]
Reproducible: the same sources and OCR cache give the same file (sorted keys, no randomness).
"""

from __future__ import annotations

import argparse
import collections
import json
import pathlib
import sys
import time

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from ocr_pairs import CACHE, SHARED, cached_pairs, clean_sources  # noqa: E402

from index.metadata import PROVINCES  # noqa: E402
from index.ocr_repair import channel as channel_mod  # noqa: E402
from index.ocr_repair.lm import BITS, QSTEP, encode_scores  # noqa: E402
from index.ocr_repair.tokens import SPECIALS, text_symbols  # noqa: E402
from lang.syllables import is_valid_syllable  # noqa: E402


def log(msg: str) -> None:
    print(f"[build_ocr_model {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def lm_texts() -> list[pathlib.Path]:
    files = [SHARED / "lmcorpus" / "corpus.txt", SHARED / "lmcorpus" / "corpus_extra.txt"]
    return [f for f in files if f.exists()] + clean_sources("train")


def build_lm(min_bi: int, min_tri: int, plan_weight: int) -> dict[str, np.ndarray]:
    counts: collections.Counter[str] = collections.Counter()
    streams: list[list[str]] = []
    for f in lm_texts():
        syms = text_symbols(f.read_text(encoding="utf-8"))
        weight = 1 if "lmcorpus" in str(f) else plan_weight
        streams.extend([syms] * weight)
        for _ in range(weight):
            counts.update(syms)
        log(f"read {f.name}: {len(syms):,} symbols (weight {weight})")
    # Province names (index/metadata.PROVINCES, a public list): plans name provinces the legal
    # corpus rarely does ("Quảng Ngãi"), so each name counts as a few short paragraphs.
    names = [form for name, aliases in PROVINCES.items() for form in (name, *aliases)]
    syms = text_symbols("\n".join(f"tỉnh {n}\nUBND tỉnh {n}\n{n}" for n in names))
    streams.extend([syms] * plan_weight)
    for _ in range(plan_weight):
        counts.update(syms)
    # Vocabulary: valid Vietnamese syllables seen twice, other words (abbreviations, loans) often.
    words = sorted(w for w, c in counts.items() if w not in SPECIALS and (
        (c >= 2 and is_valid_syllable(w)) or c >= 20))
    vocab = list(SPECIALS) + words
    assert len(vocab) < (1 << BITS)
    index = {w: i for i, w in enumerate(vocab)}
    ids = np.fromiter((index.get(s, 0) for st in streams for s in st), dtype=np.int64)
    log(f"vocabulary {len(vocab):,}; {len(ids):,} symbols")
    uni = np.bincount(ids, minlength=len(vocab)).astype(np.float64)
    total = uni.sum()
    uni_score = np.log((uni + 0.5) / (total + 0.5 * len(vocab))).astype(np.float32)
    # Stream boundaries are <s> symbols, so n-grams never span two paragraphs in a harmful way.
    bi_keys_all = (ids[:-1] << BITS) | ids[1:]
    bk, bc = np.unique(bi_keys_all, return_counts=True)
    tri_keys_all = (bi_keys_all[:-1] << BITS) | ids[2:]
    del bi_keys_all
    tk, tc = np.unique(tri_keys_all, return_counts=True)
    del tri_keys_all
    log(f"{len(bk):,} bigram types, {len(tk):,} trigram types")
    # Trigram score: log c(uvw)/c(uv), taken before pruning the bigrams.
    ctx = np.searchsorted(bk, tk >> BITS)
    tri_logp = np.log(tc / bc[ctx])
    keep = tc >= min_tri
    tk, tri_logp = tk[keep], tri_logp[keep]
    bi_logp = np.log(bc / uni[(bk >> BITS)])
    keep = bc >= min_bi
    bk, bi_logp = bk[keep], bi_logp[keep]
    # Drop n-grams whose conditional score the shorter context predicts within a quantum anyway.
    log(f"kept {len(bk):,} bigrams (>= {min_bi}), {len(tk):,} trigrams (>= {min_tri})")
    return {
        "vocab": np.frombuffer("\n".join(vocab).encode(), dtype=np.uint8),
        "uni": uni_score,
        "bi_keys": bk.astype(np.uint64), "bi_q": encode_scores(bi_logp),
        "tri_keys": tk.astype(np.uint64), "tri_q": encode_scores(tri_logp),
        "lm_meta": np.frombuffer(json.dumps({"tokens": int(total), "qstep": QSTEP}).encode(), dtype=np.uint8),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(REPO / "index" / "ocr_repair" / "model_v1.npz"))
    ap.add_argument("--min-bi", type=int, default=2)
    ap.add_argument("--min-tri", type=int, default=1)
    ap.add_argument("--plan-weight", type=int, default=5, help="plans count this many times (genre)")
    ap.add_argument("--lm-cache", default=str(CACHE / "lm_arrays_t1.npz"),
                    help="n-gram arrays are cached here (delete it after changing tokens.py)")
    a = ap.parse_args()
    cache = pathlib.Path(a.lm_cache)
    if cache.exists():
        arrays = dict(np.load(cache))
        log(f"language model from cache {cache}")
    else:
        arrays = build_lm(a.min_bi, a.min_tri, a.plan_weight)
        # numpy's stub types savez's keyword arrays against its own `allow_pickle: bool` keyword
        np.savez(cache, **arrays)  # type: ignore[arg-type]
    pairs = cached_pairs("train")
    log(f"channel from {len(pairs)} OCR files")
    vocab = bytes(arrays["vocab"]).decode().split("\n")
    table = channel_mod.train(pairs, set(vocab), log)
    arrays["channel"] = np.frombuffer(json.dumps(table, ensure_ascii=False).encode(), dtype=np.uint8)
    np.savez_compressed(a.out, **arrays)
    log(f"wrote {a.out}: {pathlib.Path(a.out).stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
