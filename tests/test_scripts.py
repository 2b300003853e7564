"""The README's test command sets up a fresh Debian machine itself: scripts/test.sh installs the
Debian packages (as root with apt-get, else through sudo, else it stops naming them), and .ci/run
is exactly that command. The package script runs here against fake dpkg-query, id, apt-get and
sudo on a PATH of their own, so nothing is installed."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from planbot import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "ci-system-packages.sh"
FONTS = "fonts-liberation fonts-liberation2 fonts-freefont-ttf"  # rendering pages for OCR repair training
BUILD = "cmake g++ make"  # scripts/llama_server.py builds llama-server for the real-model tests
PACKAGES = f"chromium chromium-driver tesseract-ocr tesseract-ocr-vie poppler-utils fonts-dejavu-core {FONTS} {BUILD}"


def fake_tools(folder: Path, uid: int, sudo: bool, installed: set[str]) -> Path:
    folder.mkdir()
    log = folder / "calls.log"
    tools = {
        "id": f'[ "$1" = -u ] && echo {uid}',
        "dpkg-query": 'for last; do :; done\n'
                      f'case " {" ".join(sorted(installed))} " in *" $last "*) echo -n "install ok installed";; '
                      '*) exit 1;; esac',
        "apt-get": f'echo "apt-get $*" >> {log}',
        "python-ok": "exit 0",
    }
    if sudo:
        tools["sudo"] = f'echo "sudo $1 $2" >> {log}; "$@"'
    for name, body in tools.items():
        path = folder / name
        path.write_text(f"#!/bin/bash\n{body}\n")
        path.chmod(0o755)
    for real in ("grep", "env", "cat"):
        (folder / real).symlink_to(subprocess.run(["bash", "-c", f"command -v {real}"], capture_output=True,
                                                  text=True, check=True).stdout.strip())
    return log


def run(tmp_path: Path, uid: int, sudo: bool, installed: frozenset[str] | set[str] = frozenset()) -> tuple[int, str, list[str]]:
    tools = tmp_path / "bin"
    log = fake_tools(tools, uid, sudo, set(installed))
    env = {"PATH": str(tools), "PYTHON": str(tools / "python-ok"), "HOME": str(tmp_path)}
    done = subprocess.run(["/bin/bash", str(SCRIPT)], capture_output=True, text=True, env=env, timeout=60)
    calls = log.read_text().splitlines() if log.exists() else []
    return done.returncode, done.stderr, calls


def test_as_root_apt_get_installs_only_the_missing_packages(tmp_path):
    code, err, calls = run(tmp_path, uid=0, sudo=False, installed={"chromium", "fonts-dejavu-core"})
    assert code == 0, err
    assert calls[0] == "apt-get update -qq"
    assert calls[1].startswith("apt-get install -y -qq --no-install-recommends ")
    assert calls[1].split()[5:] == ["chromium-driver", "tesseract-ocr", "tesseract-ocr-vie", "poppler-utils",
                                    *FONTS.split(), *BUILD.split()]


def test_not_root_goes_through_sudo(tmp_path):
    code, err, calls = run(tmp_path, uid=1000, sudo=True)
    assert code == 0, err
    assert calls[:2] == ["sudo env DEBIAN_FRONTEND=noninteractive", "apt-get update -qq"]
    assert calls[-1] == f"apt-get install -y -qq --no-install-recommends {PACKAGES}"


def test_not_root_without_sudo_stops_naming_the_packages(tmp_path):
    code, err, calls = run(tmp_path, uid=1000, sudo=False, installed={"poppler-utils"})
    assert code == 1 and calls == []
    assert f"chromium chromium-driver tesseract-ocr tesseract-ocr-vie fonts-dejavu-core {FONTS} {BUILD}" in err
    assert "apt-get install -y --no-install-recommends chromium" in err


def test_nothing_missing_does_nothing(tmp_path):
    code, err, calls = run(tmp_path, uid=1000, sudo=False, installed=set(PACKAGES.split()))
    assert (code, err, calls) == (0, "", [])


def test_ci_runs_exactly_the_readme_test_command_which_installs_the_packages():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "```bash\nbash scripts/test.sh\n```" in readme
    commands = [line for line in (PROJECT_ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert commands == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', "bash scripts/test.sh"]
    steps = [shlex.split(line) for line in (PROJECT_ROOT / "scripts" / "test.sh").read_text().splitlines()
             if line.startswith(("bash ", ".venv/"))]
    assert steps[0] == ["bash", "scripts/ci-system-packages.sh"]  # before anything that needs them
    assert steps[1] == ["bash", "scripts/setup.sh", "models,dev"]


@pytest.mark.skipif(os.geteuid() != 0 and not Path("/usr/bin/sudo").exists(), reason="cannot install here")
def test_the_packages_the_suite_needs_are_installed_by_the_script():
    """On this machine the script has run (scripts/test.sh runs it first): nothing is missing."""
    done = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for package in PACKAGES.split():
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
        assert status.stdout == "install ok installed", package
