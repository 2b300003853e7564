"""The docs stand alone: every file that README, SECURITY.md, docs/*.md and the CLI's help name
is in the repository (a clone has nothing else; CONTRACT.md once lived outside it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").glob("*.md"))]
CODE_DOCS = [ROOT / "bot" / "cli.py"]  # its docstring and --help texts are read by people too

# `code` spans and link targets in Markdown; in code, words that look like file paths.
_MARKDOWN_REF = re.compile(r"`([^`\n]+)`|\]\(([^)\s]+)\)")
_CODE_REF = re.compile(r"[\w.-]*(?:/[\w.-]+)*\.(?:md|py|sh|txt|toml|yml|json|jsonl)\b")
_FILE_SUFFIXES = (".md", ".py", ".sh", ".txt", ".toml", ".yml", ".yaml", ".json", ".jsonl", ".npz", ".js",
                  ".css", ".html", ".cfg", ".ini")
_TOP_LEVEL = {p.name for p in ROOT.iterdir() if not p.name.startswith(".") or p.name == ".ci"}
# The public corpus the project is developed beside (plans, LM corpus, OCR tool): the docs name
# it as outside the repository, for rebuilding models and running the shared suites.
OUTSIDE = "../shared/"


def candidates(text: str, markdown: bool) -> set[str]:
    if not markdown:  # the module's string constants: docstrings and help texts
        strings = [n.value for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        return {ref for string in strings for ref in _CODE_REF.findall(string)}
    found = set()
    for match in _MARKDOWN_REF.finditer(text):
        if match.group(2):
            found.add(match.group(2).split("#", 1)[0])
        else:
            found.update(match.group(1).split())  # `python scripts/x.py --flag`: each word
    return {f for f in found if f}


def file_reference(token: str) -> str | None:
    """The repository path a token names, or None when it names no file (a URL, an API route, a
    document number like 4155/KH-UBND, a model id like BAAI/bge-m3, a placeholder)."""
    token = token.lstrip("\"'(").rstrip("\"'.,;:)")
    if not token or "://" in token or token.startswith(("/", "-", "$", "~")) or re.search(r"[<>{}*=@?|]", token):
        return None
    first = token.split("/", 1)[0]
    # `index/lexical.indexed_terms`: a module's attribute
    module = re.fullmatch(r"((?:[a-z_]+/)+[a-z_0-9]+)\.[A-Za-z_]\w*", token)
    if module and not token.endswith(_FILE_SUFFIXES) and first in _TOP_LEVEL:
        return module.group(1) + ".py"
    if re.fullmatch(r"\.\w+", token):
        return None  # a kind of file: `.txt`
    if token.endswith(_FILE_SUFFIXES):
        stem = Path(token).stem
        if stem.isupper() and not token.endswith(".md"):
            return None  # a placeholder the reader fills in: FILE.jsonl, OUT.json
        return token
    if "/" in token and first in _TOP_LEVEL:
        return token  # a folder or extensionless file of the repository: scripts/, .ci/run
    return None


def exists(reference: str, doc: Path, root: Path) -> bool:
    if reference.startswith((OUTSIDE, "../" + OUTSIDE)):
        return True

    def inside(path: Path) -> bool:
        path = path.resolve()
        return path.exists() and path.is_relative_to(root)

    if "/" in reference.rstrip("/"):
        return inside(root / reference) or inside(doc.parent / reference)
    # a bare file name ("duty.py", "hung-yen-2026.txt"): somewhere in the repository
    return inside(doc.parent / reference) or any(root.rglob(reference))


def missing_references(doc: Path, root: Path = ROOT) -> list[str]:
    text = doc.read_text(encoding="utf-8")
    refs = {file_reference(t) for t in candidates(text, doc.suffix == ".md")}
    return sorted(r for r in refs if r is not None and not exists(r, doc, root))


@pytest.mark.parametrize("doc", DOCS + CODE_DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_a_doc_names_is_in_the_repository(doc):
    assert missing_references(doc) == []


def test_the_reference_check_finds_what_a_clone_lacks(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "contract.md").write_text("contract", encoding="utf-8")
    doc = tmp_path / "docs" / "guide.md"
    doc.write_text("See [the contract](../CONTRACT.md), `CONTRACT.md`, `rag/nowhere.plan_years` and `scripts/nothing.sh`; "
                   "`docs/contract.md`, [here](contract.md), `FILE.jsonl`, `.txt`, `4155/KH-UBND`, `BAAI/bge-m3`, "
                   "`/v1/ask`, `eval/runs/<timestamp>.json` and `../shared/plans/` are fine.",
                   encoding="utf-8")
    assert missing_references(doc, root=tmp_path) == ["../CONTRACT.md", "CONTRACT.md", "rag/nowhere.py",
                                                       "scripts/nothing.sh"]


def test_the_contract_is_in_the_repository_and_linked_from_the_readme():
    assert (ROOT / "docs" / "contract.md").is_file()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/contract.md" in readme
