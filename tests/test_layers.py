"""Layers point one way (index <- rag <- bot): checked on the source, every import statement
(including those inside functions), so an arrow running up the layers fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from planbot import PROJECT_ROOT

FORBIDDEN = {"index": ("rag", "bot"), "rag": ("bot",)}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
    return out


def arrows_up(package: str) -> list[str]:
    banned = FORBIDDEN[package]
    found = []
    for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
        for line, module in imported_modules(path):
            if module.split(".")[0] in banned:
                found.append(f"{path.relative_to(PROJECT_ROOT)}:{line} imports {module}")
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_lower_layers_never_import_upper_ones(package):
    assert arrows_up(package) == []


def test_the_check_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "x.py"
    source.write_text("import os\n\ndef f():\n    from rag.prompts import message\n    import bot.cli\n")
    assert imported_modules(source) == [(1, "os"), (4, "rag.prompts"), (5, "bot.cli")]


def test_messages_are_shared_and_still_importable_from_rag_prompts():
    from planbot import messages as home
    from rag import prompts

    assert prompts.message is home.message and prompts.load_prompt is home.load_prompt
    assert home.message("reader_legacy_format", name="a.doc", suffix=".doc").startswith("a.doc: định dạng .doc")
