"""Private scratch directories named after the process that owns them, and the removal of those
left behind by processes that died (killed readers leave `/dev/shm` full: it is RAM).

A name is `planbot-<kind>-<pid>-<random>`: the pid lets any later process judge whether the owner
is alive (`os.kill(pid, 0)`), so a directory a running ingest or server is using is never removed.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger("planbot.scratch")

SHARED_MEMORY = Path("/dev/shm")
KINDS = ("plans", "upload")
_NAME = re.compile(r"^planbot-(?:plans|upload)-(\d+)-")


def scratch_dir(kind: str, parent: str | Path | None = None) -> str:
    """A new private directory `planbot-<kind>-<pid>-…` under parent (default: the temp folder)."""
    return tempfile.mkdtemp(prefix=f"planbot-{kind}-{os.getpid()}-", dir=str(parent) if parent else None)


def owner_alive(pid: int) -> bool:
    if pid <= 0:
        return True  # not a pid we wrote: leave it alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process (or cannot tell): not ours to judge dead
    return True


def remove_stale_scratch(parents: list[Path] | None = None) -> list[Path]:
    """Remove the scratch directories (or files) of dead processes; the removed paths. Names without
    a pid (written before pids were added) are left: their owner cannot be judged."""
    if parents is None:
        parents = [SHARED_MEMORY, Path(tempfile.gettempdir())]
    removed: list[Path] = []
    for parent in dict.fromkeys(parents):
        try:
            entries = list(parent.iterdir())
        except OSError:
            continue
        for entry in entries:
            match = _NAME.match(entry.name)
            if match is None or owner_alive(int(match.group(1))):
                continue
            try:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
            except FileNotFoundError:
                continue  # another process cleaned it first
            except OSError as exc:
                log.warning("cannot remove stale scratch %s: %s", entry, exc)
                continue
            removed.append(entry)
    if removed:
        log.info("removed %d scratch folders left by dead processes", len(removed))
    return removed
