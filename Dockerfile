# syntax=docker/dockerfile:1
# One image for every planbot service (api, bot, ingest): CPU-only torch, runs as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    ANONYMIZED_TELEMETRY=False \
    PLANBOT_DATA_DIR=/data

# Tesseract with Vietnamese data and poppler read scanned PDF plans.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-vie poppler-utils \
 && rm -rf /var/lib/apt/lists/*

# /data is created here, owned by the app user, so a named volume mounted on it starts writable.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin planbot \
 && mkdir -p /data \
 && chown planbot:planbot /data

WORKDIR /app

# Dependencies first: this layer survives code changes. torch comes from the CPU index (from
# PyPI it drags in CUDA wheels, gigabytes); constraints.txt pins it for every install after.
COPY constraints.txt pyproject.toml README.md ./
RUN pip install --index-url https://download.pytorch.org/whl/cpu -c constraints.txt torch \
 && python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\n'.join(p['dependencies'] + p['optional-dependencies']['models']))" > /tmp/requirements.txt \
 && pip install --extra-index-url https://download.pytorch.org/whl/cpu -c constraints.txt -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY planbot planbot
COPY bot bot
COPY rag rag
COPY lang lang
COPY index index
COPY eval eval
COPY prompts prompts
COPY data/sample_plans data/sample_plans
# Editable, so prompts/ and data/sample_plans/ are found next to the code (planbot.PROJECT_ROOT).
RUN pip install --no-deps --extra-index-url https://download.pytorch.org/whl/cpu -c constraints.txt -e ".[models]"

USER planbot
EXPOSE 8000
CMD ["planbot", "serve", "--host", "0.0.0.0", "--port", "8000"]
