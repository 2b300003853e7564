#!/usr/bin/env bash
# Debian packages the tests need: Chromium + ChromeDriver (web page tests), Tesseract with
# Vietnamese data and poppler (scanned PDFs), DejaVu, Liberation (2.x has the Vietnamese glyphs) and
# FreeFont fonts (rendering Vietnamese pages for tests and for scripts/ocr_pairs.py), cmake, g++ and
# make (scripts/llama_server.py builds llama.cpp's llama-server for tests/test_llm_real.py; it
# needs no libcurl or OpenSSL), and python3-venv when the Python that scripts/setup.sh uses cannot
# make a virtualenv.
# Installs only what is missing: with apt-get as root, through sudo otherwise; when neither is
# possible it stops and names the packages. scripts/test.sh runs it first.
set -euo pipefail
packages=(chromium chromium-driver tesseract-ocr tesseract-ocr-vie poppler-utils fonts-dejavu-core fonts-liberation
          fonts-liberation2 fonts-freefont-ttf cmake g++ make)
python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  packages+=(python3 python3-venv)
elif ! "$python" -c "import ensurepip, venv" >/dev/null 2>&1; then
  packages+=(python3-venv)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "scripts/ci-system-packages.sh: not a Debian system (no apt-get); install the equivalents of: ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "scripts/ci-system-packages.sh: the tests need these Debian packages, and this user can neither" >&2
  echo "install them (not root) nor use sudo: ${missing[*]}" >&2
  echo "Ask an administrator to run: apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages the tests need: ${missing[*]}" >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
