#!/usr/bin/env bash
# The whole test suite (slow, network-on-loopback and browser tests included), from a fresh Debian
# machine: the Debian packages the tests need (scripts/ci-system-packages.sh: apt-get as root, else
# sudo, else it stops naming them), the virtualenv with every extra (scripts/setup.sh), ruff, pytest.
# Each step does nothing when already done. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ci-system-packages.sh
bash scripts/setup.sh models,dev
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
