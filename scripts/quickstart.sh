#!/usr/bin/env bash
# The main job on the embedded defaults: sample plans, embedded Chroma, no Ollama needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PLANBOT_LLM="${PLANBOT_LLM:-none}"
.venv/bin/planbot ingest
.venv/bin/planbot ask "${1:-Các cơ quan phải gửi báo cáo về đâu và trước ngày nào theo kế hoạch thông tin đối ngoại năm 2024 của Thừa Thiên Huế?}"
