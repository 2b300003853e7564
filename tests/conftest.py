from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

# Tests never reach a model hub; a missing model must fail at once, not after retries.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from index.embedders import HashingEmbedder  # noqa: E402
from index.store import InMemoryStore  # noqa: E402
from planbot import PROJECT_ROOT, SAMPLE_PLANS_DIR  # noqa: E402
from planbot.factory import App, build_app  # noqa: E402
from planbot.settings import Settings  # noqa: E402

# copies of ../shared/outlines (hand-checked by the project owner), kept in the repo so CI has them
# Figures tests measured (tests/test_llm_real.py: model load time, tokens/s), printed in the run's
# summary so they stay in CI's log without -s.
MEASURED = pytest.StashKey[list[str]]()

SHARED_OUTLINES = PROJECT_ROOT / "tests" / "fixtures" / "shared_outlines"
GOLD_DIR = PROJECT_ROOT / "eval" / "gold"


def pytest_terminal_summary(terminalreporter) -> None:
    lines = terminalreporter.config.stash.get(MEASURED, [])
    if lines:
        terminalreporter.section("measured")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No test reads the developer's .env or real data dir."""
    for key in list(os.environ):
        if key.startswith("PLANBOT_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


def load_script(name: str) -> ModuleType:
    """A script of scripts/ (not a package) loaded as a module, for tests of its functions."""
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_settings(tmp_path: Path, **overrides) -> Settings:
    values: dict[str, Any] = {"data_dir": tmp_path / "data", "llm": "none"} | overrides
    return Settings(_env_file=None, **values)


def offline_app(data_dir: Path, texts: dict[str, str]) -> App:
    """An extractive app over an in-memory store holding `texts` ({file name: plan text})."""
    settings = Settings(_env_file=None, data_dir=data_dir, llm="none")
    app = build_app(settings, store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    report = app.ingestor.ingest_texts(texts, progress=False)
    assert not report.errors
    return app


@pytest.fixture(scope="session")
def sample_app(tmp_path_factory) -> App:
    """The sample corpus in an in-memory store, extractive only (shared, read-only)."""
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("data"), llm="none")
    app = build_app(settings, store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    report = app.ingestor.ingest_paths([SAMPLE_PLANS_DIR], progress=False)
    assert not report.errors
    return app


@pytest.fixture(scope="session")
def sample_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SAMPLE_PLANS_DIR.glob("*.txt"))}
