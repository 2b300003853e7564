#!/usr/bin/env bash
# The whole test suite (slow, network-on-loopback and browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh models,dev
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
