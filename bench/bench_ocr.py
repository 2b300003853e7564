"""OCR syllable accuracy and time per page: Tesseract `vie` (what planbot uses) against `eng`
(what produced the damage in the OCR'd sample plans), measured in the same run on the same pages.

Pages are typeset from the clean 2025 sample plan with Debian's DejaVu fonts in several sizes and
resolutions, some turned slightly, blurred or speckled as a scanner would, then read back. The
accuracy is the share of the page's syllables found, in order and exactly (diacritics and all),
in what Tesseract read (difflib alignment of the two syllable sequences, case-insensitive).

    .venv/bin/python bench/bench_ocr.py [--pages N] [--pdf-pages N]

Prints one row per page style, the totals, and the seconds per page of the whole scanned-PDF
path (poppler rendering at the default 300 dpi + Tesseract `vie` + layout), one page at a time.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.readers import PdfReader, TesseractOcr  # noqa: E402
from planbot import SAMPLE_PLANS_DIR  # noqa: E402
from tests.fixtures import builders  # noqa: E402

_SYLLABLE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Case:
    name: str
    style: builders.PageStyle


def cases() -> list[Case]:
    base = builders.PageStyle(page_numbers=False, dpi=300)
    out = [
        Case("Serif 13pt 300dpi", replace(base, font=builders.SERIF, size_pt=13)),
        Case("Sans 12pt 300dpi", replace(base, font=builders.SANS, size_pt=12)),
        Case("Serif 11pt 200dpi", replace(base, font=builders.SERIF, size_pt=11, dpi=200)),
        Case("Serif 14pt 300dpi turned 1.0° + noise", replace(base, font=builders.SERIF, size_pt=14, rotation=1.0,
                                                              noise=0.002)),
        Case("Sans 13pt 200dpi turned -0.7° + blur", replace(base, font=builders.SANS, size_pt=13, dpi=200,
                                                             rotation=-0.7, blur=0.8)),
    ]
    condensed = builders.FONT_DIR / "DejaVuSerifCondensed.ttf"  # fonts-dejavu-extra, when installed
    if condensed.exists():
        out.append(Case("Serif Condensed 12pt 300dpi turned 0.5°",
                        replace(base, font=condensed, size_pt=12, rotation=0.5)))
    return out


def syllables(text: str) -> list[str]:
    return _SYLLABLE.findall(unicodedata.normalize("NFC", text).lower())


def accuracy(reference: str, read: str) -> tuple[int, int]:
    """(reference syllables found in order in the reading, reference syllables)."""
    ref, got = syllables(reference), syllables(read)
    matcher = difflib.SequenceMatcher(a=ref, b=got, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()), len(ref)


def one_page_of(paragraphs: list[str], start: int, style: builders.PageStyle) -> tuple[str, int]:
    """The paragraphs from `start` that fit on one page in this style, and where the next begins."""
    end = start + 1
    while end < len(paragraphs) and len(builders.render_pages("\n".join(paragraphs[start:end + 1]), style)) == 1:
        end += 1
    return "\n".join(paragraphs[start:end]), end


def read_page(ocr: TesseractOcr, image_path: Path, try_rotations: bool) -> tuple[str, float]:
    started = time.perf_counter()
    page = ocr.read_image(image_path, 1, try_rotations=try_rotations)
    return "\n".join(line.text for line in page.content.lines), time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=0, help="page styles to run (0 = all)")
    parser.add_argument("--pdf-pages", type=int, default=2, help="pages of the scanned-PDF timing (0 = skip)")
    args = parser.parse_args(argv)

    text = (SAMPLE_PLANS_DIR / "thua-thien-hue-2025.txt").read_text(encoding="utf-8")
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    vie = TesseractOcr(lang="vie")
    eng = TesseractOcr(lang="eng")
    vie.require("bench")
    eng.require("bench")
    selected = cases()[: args.pages or None]
    totals = {"vie": [0, 0, 0.0], "eng": [0, 0, 0.0]}
    print(f"{'page style':42} {'syllables':>9} {'vie acc':>8} {'eng acc':>8} {'vie s':>6} {'eng s':>6}")
    start = 0
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        for case in selected:
            reference, start = one_page_of(paragraphs, start if start < len(paragraphs) - 5 else 0, case.style)
            image = builders.render_pages(reference, case.style)[0]
            image_path = Path(tmp) / f"{case.name.split()[0]}-{start}.png"
            image.save(image_path, dpi=(case.style.dpi, case.style.dpi))
            row = []
            for lang, ocr in (("vie", replace_dpi(vie, case.style.dpi)), ("eng", replace_dpi(eng, case.style.dpi))):
                read, seconds = read_page(ocr, image_path, try_rotations=lang == "vie")
                found, total = accuracy(reference, read)
                totals[lang][0] += found
                totals[lang][1] += total
                totals[lang][2] += seconds
                row.append((found / total, seconds))
            print(f"{case.name:42} {total:9d} {row[0][0]:8.1%} {row[1][0]:8.1%} {row[0][1]:6.1f} {row[1][1]:6.1f}")
        n = len(selected)
        vie_acc = totals["vie"][0] / totals["vie"][1]
        eng_acc = totals["eng"][0] / totals["eng"][1]
        print(f"{'all ' + str(n) + ' pages':42} {totals['vie'][1]:9d} {vie_acc:8.1%} {eng_acc:8.1%} "
              f"{totals['vie'][2] / n:6.1f} {totals['eng'][2] / n:6.1f}")
        print(f"vie/eng: accuracy x{vie_acc / eng_acc:.2f}, syllables missed {1 - vie_acc:.1%} vs {1 - eng_acc:.1%}; "
              f"time per page x{totals['vie'][2] / max(totals['eng'][2], 1e-9):.2f}")
        if args.pdf_pages:
            pdf_time(paragraphs, args.pdf_pages, Path(tmp))
    return 0


def replace_dpi(ocr: TesseractOcr, dpi: int) -> TesseractOcr:
    return TesseractOcr(lang=ocr.lang, dpi=dpi, tesseract=ocr.tesseract, pdftoppm=ocr.pdftoppm)


def pdf_time(paragraphs: list[str], pages: int, tmp: Path) -> None:
    """The whole path a scanned PDF takes through the reader, one worker, default settings."""
    style = builders.PageStyle(font=builders.SERIF, size_pt=13, dpi=200)
    images = builders.render_pages("\n".join(paragraphs), style)[:pages]
    pdf = builders.scanned_pdf(tmp / "scan.pdf", images, dpi=200)
    reader = PdfReader(TesseractOcr(), workers=1, progress=False)
    started = time.perf_counter()
    text = reader(pdf)
    seconds = time.perf_counter() - started
    methods = ", ".join(f"p{r.number} {r.method} {r.quality.valid_share:.1%} valid" for r in text.pages)
    print(f"scanned PDF path (pdftoppm 300 dpi + tesseract vie + layout, 1 worker): "
          f"{seconds / len(images):.1f} s per page over {len(images)} pages ({methods})")


if __name__ == "__main__":
    raise SystemExit(main())
