"""Shared core of planbot: settings and the one factory that wires the parts together."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROMPTS_DIR = PROJECT_ROOT / "prompts"
SAMPLE_PLANS_DIR = PROJECT_ROOT / "data" / "sample_plans"
