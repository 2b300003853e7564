"""Reading page images with Tesseract's Vietnamese model, and rendering PDF pages with poppler.

The Tesseract command line is called directly rather than through pytesseract so that each run
gets `OMP_THREAD_LIMIT=1`: Tesseract's OpenMP threads fight each other on small machines (one
page took 14.7 s with two threads and 3.0 s with one, on 2 cores), so pages are read in
parallel processes instead, one thread each.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from PIL import Image, ImageOps

from index.errors import IngestError, OcrNeeded, OcrUnavailable
from index.readers.layout import Line, PageContent
from lang.syllables import TextQuality, text_quality
from planbot.messages import message

log = logging.getLogger(__name__)

DEBIAN_PACKAGES = ("tesseract-ocr", "tesseract-ocr-vie", "poppler-utils")


def ocr_needed(name: str) -> OcrNeeded:
    return OcrNeeded(message("reader_ocr_missing", name=name, missing="Tesseract",
                             packages=" ".join(DEBIAN_PACKAGES)))


@dataclass(frozen=True)
class OcrPage:
    content: PageContent
    quality: TextQuality
    rotated: int = 0  # degrees the page was turned before reading (0, 90, 180, 270)


class TesseractOcr:
    """OCR with the `tesseract` command (language `vie` by default) and PDF page rendering with
    poppler's `pdftoppm`. Command names are constructor arguments so a deployment can point at
    other binaries and tests can point at missing ones."""

    def __init__(self, lang: str = "vie", dpi: int = 300, tesseract: str = "tesseract",
                 pdftoppm: str = "pdftoppm", timeout: float = 300.0) -> None:
        self.lang = lang
        self.dpi = dpi
        self.tesseract = tesseract
        self.pdftoppm = pdftoppm
        self.timeout = timeout

    # --- availability -------------------------------------------------------------------------
    @cached_property
    def _problems(self) -> tuple[str, ...]:
        problems: list[str] = []
        binary = shutil.which(self.tesseract)
        if binary is None:
            problems.append(f"chương trình {self.tesseract} (gói tesseract-ocr)")
        else:
            langs = self._languages(binary)
            missing = [code for code in self.lang.split("+") if code not in langs]
            if missing:
                problems.append("dữ liệu ngôn ngữ " + ", ".join(missing) + " của Tesseract (gói tesseract-ocr-vie)")
        return tuple(problems)

    def _languages(self, binary: str) -> set[str]:
        try:
            done = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30,
                                  check=False)
        except (OSError, subprocess.SubprocessError):
            return set()
        return {ln.strip() for ln in (done.stdout + done.stderr).splitlines()[1:] if ln.strip()}

    def require(self, name: str, pdf: bool = False) -> None:
        """Raise OcrUnavailable, naming the Debian packages, unless OCR (and, for PDFs, page
        rendering) can run here."""
        problems = list(self._problems)
        if pdf and shutil.which(self.pdftoppm) is None:
            problems.append(f"chương trình {self.pdftoppm} (gói poppler-utils)")
        if problems:
            raise OcrUnavailable(message("reader_ocr_missing", name=name, missing="; ".join(problems),
                                         packages=" ".join(DEBIAN_PACKAGES)))

    # --- rendering ------------------------------------------------------------------------------
    def render_pdf_page(self, path: Path, number: int, workdir: Path) -> Path:
        """One page of a PDF as a greyscale PNG at `dpi` (one page at a time: bounded memory)."""
        prefix = workdir / f"page-{number}"
        self._run([self.pdftoppm, "-r", str(self.dpi), "-gray", "-png", "-singlefile",
                   "-f", str(number), "-l", str(number), str(path), str(prefix)])
        return prefix.with_suffix(".png")

    # --- reading ----------------------------------------------------------------------------------
    def read_image(self, image_path: Path, number: int, try_rotations: bool = True) -> OcrPage:
        """Read one page image. Blank pages are recognised without running Tesseract; a page
        that reads as non-Vietnamese is checked for orientation (a page scanned upside down or
        sideways) and read again turned upright."""
        with Image.open(image_path) as image:
            grey = ImageOps.grayscale(image)
            width, height = grey.size
            if is_blank(grey):
                return OcrPage(PageContent(number, width, height, method="blank"), TextQuality(0, 0, 0))
        page = self._recognise(image_path, number, width, height)
        quality = text_quality("\n".join(ln.text for ln in page.lines))
        if not try_rotations or quality.looks_vietnamese() or quality.judged == 0:
            return OcrPage(page, quality)
        angle = self._orientation(image_path)
        if not angle:
            return OcrPage(page, quality)
        with Image.open(image_path) as image:
            turned = image.rotate(-angle, expand=True)  # OSD reports the clockwise turn needed
            turned_path = image_path.with_name(image_path.stem + f"-r{angle}.png")
            turned.save(turned_path)
        again = self._recognise(turned_path, number, *turned.size)
        again_quality = text_quality("\n".join(ln.text for ln in again.lines))
        if again_quality.valid > quality.valid:
            return OcrPage(again, again_quality, rotated=angle)
        return OcrPage(page, quality)

    def _recognise(self, image_path: Path, number: int, width: int, height: int) -> PageContent:
        tsv = self._run([self.tesseract, str(image_path), "stdout", "-l", self.lang, "--dpi", str(self.dpi),
                         "--psm", "3", "tsv"])
        return PageContent(number, width, height, lines=tsv_lines(tsv), method="ocr")

    def _orientation(self, image_path: Path) -> int:
        try:
            out = self._run([self.tesseract, str(image_path), "stdout", "--psm", "0", "-l", "osd"])
        except IngestError:
            return 0  # no orientation data (tesseract-ocr-osd) or too little text to tell
        for row in out.splitlines():
            if row.startswith("Rotate:"):
                return int(row.split(":")[1].strip() or 0) % 360
        return 0

    def _run(self, command: list[str]) -> str:
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        try:
            done = subprocess.run(command, capture_output=True, timeout=self.timeout, env=env, check=False)
        except FileNotFoundError as exc:
            raise OcrUnavailable(message("reader_ocr_missing", name=command[0], missing=command[0],
                                         packages=" ".join(DEBIAN_PACKAGES))) from exc
        except subprocess.TimeoutExpired as exc:
            raise IngestError(message("reader_ocr_failed", name=Path(command[1]).name,
                                      detail=f"quá {self.timeout:.0f} giây")) from exc
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [str(done.returncode)]
            raise IngestError(message("reader_ocr_failed", name=Path(command[1]).name, detail=detail[0][:200]))
        return done.stdout.decode("utf-8", "replace")

    # --- images -----------------------------------------------------------------------------------
    def image_pages(self, path: Path, workdir: Path) -> Iterator[tuple[int, Path]]:
        """Each frame of an image file (a multi-page TIFF has several) saved as a PNG to read."""
        with Image.open(path) as image:
            for index in range(getattr(image, "n_frames", 1)):
                image.seek(index)
                frame = ImageOps.exif_transpose(image.copy())
                out = workdir / f"frame-{index + 1}.png"
                ImageOps.grayscale(frame).save(out, dpi=(self.dpi, self.dpi))
                yield index + 1, out


def tsv_lines(tsv: str) -> list[Line]:
    """Tesseract's TSV output → lines (level-4 rows give the box, level-5 rows the words)."""
    boxes: dict[tuple[int, int, int], Line] = {}
    words: dict[tuple[int, int, int], list[str]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        try:
            level = int(row["level"])
            key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
            left, top, width, height = (float(row[k]) for k in ("left", "top", "width", "height"))
        except (KeyError, TypeError, ValueError):
            continue
        if level == 4:
            boxes[key] = Line("", left, left + width, top, top + height, block=key[0])
        elif level == 5 and (row.get("text") or "").strip():
            words.setdefault(key, []).append(row["text"].strip())
    lines = []
    for key, box in boxes.items():
        if key in words:
            box.text = fix_eth(" ".join(words[key]))
            lines.append(box)
    return lines


_ETH = re.compile("ĐÐ|ÐĐ|Ð|đð|ðđ|ð")


def fix_eth(text: str) -> str:
    """Tesseract's `vie` model sometimes reads "Đ" as the Icelandic eth "Ð" (which looks the
    same), or as both ("TTĐÐN"); Vietnamese has no eth, so it is always a "Đ"."""
    return _ETH.sub(lambda m: "đ" if m.group(0)[0] in "đð" else "Đ", text)


def is_blank(image: Image.Image) -> bool:
    """A page with (almost) no ink: under 0.05 % dark pixels once specks are filtered out."""
    small = image.reduce(4) if min(image.size) > 400 else image
    dark = sum(small.point(lambda v: 255 if v < 128 else 0).histogram()[255:])
    return dark < small.size[0] * small.size[1] * 0.0005


def workdir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="planbot-ocr-")
