#!/usr/bin/env bash
# Debian packages the tests need: Chromium + ChromeDriver (web page tests), Tesseract with
# Vietnamese data and poppler (scanned PDFs), DejaVu, Liberation (2.x has the Vietnamese glyphs) and FreeFont fonts (rendering Vietnamese pages for tests and for scripts/ocr_pairs.py).
set -euo pipefail
packages=(chromium chromium-driver tesseract-ocr tesseract-ocr-vie poppler-utils fonts-dejavu-core fonts-liberation fonts-liberation2 fonts-freefont-ttf)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
