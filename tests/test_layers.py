"""Layers point one way (planbot's settings and messages <- lang <- index <- rag <- planbot.factory <- bot):
checked on the source, every import statement (including those inside functions) and every module
named in a string (importlib.import_module), so an arrow running up the layers fails here. Also:
no import cycle in the project, no project import hidden inside a function without a reason, and
the question path never loads the plan readers."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from planbot import PROJECT_ROOT
from tests.conftest import load_script

PACKAGES = ("planbot", "lang", "index", "rag", "bot")
# A module (or package) → the top-level packages and modules it must never import.
FORBIDDEN = {
    "planbot": ("lang", "index", "rag", "bot", "eval"),  # settings, messages, scratch: the ground floor
    "lang": ("index", "rag", "bot", "eval", "planbot.factory"),  # Vietnamese text: below index and rag
    "planbot.factory": ("bot", "eval"),  # the composition root: builds index and rag for bot
    "index": ("rag", "bot", "eval", "planbot.factory"),
    "rag": ("bot", "eval", "planbot.factory"),
}
_MODULE_NAME = re.compile(r"(?:planbot|lang|index|rag|bot|eval)(?:\.[A-Za-z_]\w*)+")


def module_of(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    base = PROJECT_ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module the file imports: import statements, anywhere, and strings that name a
    project module (what importlib.import_module is given)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and _MODULE_NAME.fullmatch(node.value)
              and _is_module(node.value)):
            out.append((node.lineno, node.value))
    return out


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def rule_of(module: str) -> tuple[str, ...]:
    """The banned imports of the most specific FORBIDDEN entry that covers `module`."""
    covering = [key for key in FORBIDDEN if _within(module, key)]
    return FORBIDDEN[max(covering, key=len)] if covering else ()


def arrows_up(package: str) -> list[str]:
    found = []
    for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
        banned = rule_of(module_of(path))
        for line, module in imported_modules(path):
            if any(_within(module, b) for b in banned):
                found.append(f"{path.relative_to(PROJECT_ROOT)}:{line} imports {module}")
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_lower_layers_never_import_upper_ones(package):
    assert arrows_up(package) == []


def test_the_check_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "x.py"
    source.write_text("import os\n\ndef f():\n    from rag.prompts import message\n    import bot.cli\n")
    assert imported_modules(source) == [(1, "os"), (4, "rag.prompts"), (5, "bot.cli")]


def test_the_check_sees_modules_named_in_strings(tmp_path):
    source = tmp_path / "x.py"
    source.write_text('import importlib\n\nfor name in ("bot.cli", "rag.answer"):\n    importlib.import_module(name)\n'
                      'log = "planbot.api"  # a logger name, not a module\n')
    assert imported_modules(source) == [(1, "importlib"), (3, "bot.cli"), (3, "rag.answer")]


def test_the_rules_are_the_most_specific_ones():
    assert rule_of("planbot.settings") == FORBIDDEN["planbot"]
    assert rule_of("planbot.factory") == ("bot", "eval")
    assert "planbot.factory" in rule_of("rag.answers.duty")
    assert rule_of("bot.telegram") == ()
    assert "lang" not in rule_of("index.facts") and "lang" not in rule_of("rag.verify")
    assert {"index", "rag", "bot"} <= set(rule_of("lang.dates"))



def test_no_import_cycle_in_the_project():
    """`python scripts/import_graph.py index rag bot planbot` shows the graph; a cycle, even one
    behind a function-local import, fails here."""
    graph = load_script("import_graph")
    edges = graph.import_graph(PACKAGES)
    assert {"index.ingest", "index.readers.docx", "rag.answer", "bot.telegram"} <= set(edges)
    assert "index.readers" in edges["index.ingest"]
    assert graph.find_cycles(edges) == []


def test_the_cycle_finder_finds_cycles():
    find_cycles = load_script("import_graph").find_cycles
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"a"}, "b": set()}) == [["a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def late_project_imports(path: Path) -> list[str]:
    """Project imports inside a function with no `# heavy:` comment on the line or directly above
    the block of imports (the one reason to import late: a heavy dependency, named)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for func in ast.walk(ast.parse("\n".join(lines), str(path))):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            if not any(n.split(".")[0] in (*PACKAGES, "eval") for n in names):
                continue
            row = node.lineno - 1
            while row > 0 and lines[row - 1].lstrip().startswith(("from ", "import ")):
                row -= 1
            said = lines[node.lineno - 1] + (lines[row - 1] if row > 0 else "")
            if "# heavy:" not in said:
                found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_no_late_project_import_without_a_heavy_reason(package):
    assert [hit for path in sorted((PROJECT_ROOT / package).rglob("*.py")) for hit in late_project_imports(path)] == []


def test_the_late_import_check_wants_a_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "PROJECT_ROOT", tmp_path)
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from rag.answer import Assistant\n\n\ndef g():\n"
                      "    # heavy: fastapi\n    from bot.api import serve\n    from bot.api import app\n")
    assert late_project_imports(source) == ["x.py:2"]


def test_a_question_never_loads_the_plan_readers():
    """rag.answer (the question path) loads no DOCX reader, lxml, PDF reader or Chroma client."""
    probe = ("import sys, rag.answer; print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('lxml', 'docx', 'pdfplumber', 'pypdf', 'chromadb') or m.startswith('index.readers')))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_messages_are_shared_and_still_importable_from_rag_prompts():
    from planbot import messages as home
    from rag import prompts

    assert prompts.message is home.message and prompts.load_prompt is home.load_prompt
    assert home.message("reader_legacy_format", name="a.doc", suffix=".doc").startswith("a.doc: định dạng .doc")


MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 300
# Modules allowed over the limit, each with why; an entry that no longer needs it fails the test.
OVERSIZED: dict[str, str] = {}


def test_no_module_over_600_lines_and_no_class_over_300():
    found = {}
    for package in ("lang", "index", "rag", "bot"):
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            name = str(path.relative_to(PROJECT_ROOT))
            if text.count("\n") > MAX_MODULE_LINES:
                found[name] = text.count("\n")
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.ClassDef) and (node.end_lineno or 0) - node.lineno + 1 > MAX_CLASS_LINES:
                    found[f"{name}:{node.name}"] = (node.end_lineno or 0) - node.lineno + 1
    assert set(found) == set(OVERSIZED), found
