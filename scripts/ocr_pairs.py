"""Make (OCR, clean) training and test pairs for the OCR repairer (index/ocr_repair).

Renders clean plans to page images and reads them back with Tesseract's English model through
../shared/tools/ocr_channel.py, for a fixed list of font/size/dpi/noise settings. Output is
cached outside the repository (default /work/ocrcache, or PLANBOT_OCR_CACHE) as
``{split}__{config}__{plan}.txt`` next to nothing else: the clean text is read again from its
source when pairs are aligned, so no plan text is copied into the project.

Held out from training: the plans in HELDOUT_PLANS and the font Liberation Serif (test only).

Usage: python scripts/ocr_pairs.py [--split train|test|all] [--limit-configs N]
Tesseract is slow (seconds a page) and runs one page at a time: one process, no parallelism.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import sys
import time

SHARED = pathlib.Path(os.environ.get("PLANBOT_SHARED_DIR", pathlib.Path(__file__).resolve().parents[1] / ".." / "shared"))
CACHE = pathlib.Path(os.environ.get("PLANBOT_OCR_CACHE", "/work/ocrcache"))
REPO = pathlib.Path(__file__).resolve().parents[1]
FONTS = "/usr/share/fonts/truetype"  # Debian fonts-dejavu-core, fonts-freefont-ttf, fonts-liberation(2)

# Plans never rendered for training and never fed to the language model: the measurement set.
HELDOUT_PLANS = (
    "can-tho-2025-cong-tac-dan-so",
    "ha-noi-2025-ha-tang-5g-iot",
    "nghe-an-2025-phong-thu-dan-su",
    "quang-ngai-2025-kiem-ke-tai-san-cong",
)

# Tesseract takes ~15 s a page here; each training config renders every TRAIN_SHARDS-th plan.
TRAIN_SHARDS = int(os.environ.get("PLANBOT_OCR_SHARDS", "3"))

# name: (font file, size pt, dpi, noise, rotate). Liberation Serif appears only in TEST_CONFIGS.
TRAIN_CONFIGS = {
    "dejavuserif13": (f"{FONTS}/dejavu/DejaVuSerif.ttf", 13, 300, 0.0, 0.0),
    "freeserif14": (f"{FONTS}/freefont/FreeSerif.ttf", 14, 300, 0.0, 0.0),
    "dejavusans12n": (f"{FONTS}/dejavu/DejaVuSans.ttf", 12, 250, 0.002, 0.0),
    "freeserif12r": (f"{FONTS}/freefont/FreeSerif.ttf", 12, 300, 0.001, 0.3),
    "liberationsans13": (f"{FONTS}/liberation2/LiberationSans-Regular.ttf", 13, 300, 0.0, 0.0),
    "dejavuserif11": (f"{FONTS}/dejavu/DejaVuSerif.ttf", 11, 300, 0.0, 0.0),
    "freesans13": (f"{FONTS}/freefont/FreeSans.ttf", 13, 300, 0.0, 0.0),
}
TEST_CONFIGS = {
    "dejavuserif13": (f"{FONTS}/dejavu/DejaVuSerif.ttf", 13, 300, 0.0, 0.0),
    "liberationserif14": (f"{FONTS}/liberation2/LiberationSerif-Regular.ttf", 14, 300, 0.0, 0.0),
    # Debian's fonts-liberation 1.07 has no glyphs for ạ, ế, ự, ... (Latin Extended Additional):
    # they render as boxes, so the vowel is lost before OCR. Measured for information only.
    "liberation1serif14": (f"{FONTS}/liberation/LiberationSerif-Regular.ttf", 14, 300, 0.0, 0.0),
}


def clean_sources(split: str) -> list[pathlib.Path]:
    """Clean texts of one split: the shared plans (minus/only the held-out ones) and, for
    training, the clean sample plan (thua-thien-hue-2025; the other three samples are OCR output)."""
    plans = sorted((SHARED / "plans").glob("*.txt"))
    if split == "test":
        return [p for p in plans if p.stem in HELDOUT_PLANS]
    sample = REPO / "data" / "sample_plans" / "thua-thien-hue-2025.txt"
    return [p for p in plans if p.stem not in HELDOUT_PLANS] + ([sample] if sample.exists() else [])


def cached_pairs(split: str) -> list[tuple[str, pathlib.Path, pathlib.Path]]:
    """(config, OCR output, clean source) for every OCR file already in the cache."""
    out = []
    sources = {p.stem: p for p in clean_sources(split)}
    for f in sorted(CACHE.glob(f"{split}__*__*.txt")):
        _, config, stem = f.stem.split("__")
        if stem in sources:
            out.append((config, f, sources[stem]))
    return out


def run(split: str, limit: int | None) -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    configs = TRAIN_CONFIGS if split == "train" else TEST_CONFIGS
    items = list(configs.items())[:limit]
    channel = SHARED / "tools" / "ocr_channel.py"
    for ci, (config, (font, size, dpi, noise, rotate)) in enumerate(items):
        for i, src in enumerate(clean_sources(split)):
            if split == "train" and i % TRAIN_SHARDS != ci % TRAIN_SHARDS:
                continue  # each training font reads a third of the plans: more fonts, same time
            out = CACHE / f"{split}__{config}__{src.stem}.txt"
            if out.exists():
                continue
            t0 = time.time()
            cmd = [sys.executable, str(channel), str(src), str(out) + ".part", "--font", font,
                   "--size", str(size), "--dpi", str(dpi), "--noise", str(noise), "--rotate", str(rotate),
                   "--seed", str(i)]
            # One thread: the machine's two cores are shared.
            subprocess.run(cmd, check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
            os.replace(str(out) + ".part", out)
            print(f"[ocr_pairs] {split} {config} {src.stem}: {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="all", choices=["train", "test", "all"])
    ap.add_argument("--limit-configs", type=int)
    a = ap.parse_args()
    if a.split in ("test", "all"):
        run("test", a.limit_configs)
    if a.split in ("train", "all"):
        run("train", a.limit_configs)
