#!/usr/bin/env bash
# The whole test suite (slow, network-on-loopback and browser tests included), from a fresh Debian
# machine: the Debian packages the tests need (scripts/ci-system-packages.sh: apt-get as root, else
# sudo, else it stops naming them), the virtualenv with every extra (scripts/setup.sh), llama.cpp's
# llama-server and the Gemma 3 270M model for the real-model tests (scripts/llama_server.py), ruff,
# mypy (the whole project, as pyproject.toml's [tool.mypy] says), pytest. Each step does nothing
# when already done. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ci-system-packages.sh
bash scripts/setup.sh models,dev
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False
# tests/test_llm_real.py (slow) runs a real model: llama-server is built from source the first time
# (10-15 minutes on 2 cores; cached in ~/.cache/planbot or $PLANBOT_LLAMA_CACHE), here with its
# progress rather than silently inside pytest. A failure does not stop the suite: those tests then
# fail at once with what went wrong (LLAMA_SERVER_SETUP_FAILED names the log), never skip.
if [[ " $* " != *"not slow"* ]]; then
  setup_log="$(mktemp -t llama-server-setup.XXXXXX)"
  if ! { .venv/bin/python scripts/llama_server.py build && .venv/bin/python scripts/llama_server.py model; } \
      2>&1 >/dev/null | tee "$setup_log" >&2; then
    export LLAMA_SERVER_SETUP_FAILED="$setup_log"
  fi
fi
.venv/bin/ruff check .
.venv/bin/python -m mypy
.venv/bin/python -m pytest "$@"
