"""The life of ChromaStore generations after the switch: builds' heartbeats, retired generations
dropped after their grace, crashed builds dropped, and plan versions no generation names deleted."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import time
from typing import TYPE_CHECKING

from index.store.chroma.codec import LEGACY_CHUNK_COLLECTION_PREFIX, generation_time, paged, unpacked

if TYPE_CHECKING:  # the store builds this collector
    from index.store.chroma.store import ChromaStore

log = logging.getLogger("index.store")

# A build whose writer cannot be checked (another host) is presumed dead after this much silence;
# writers refresh their heartbeat at least every HEARTBEAT_SECONDS.
ORPHAN_GRACE_SECONDS = 900.0
HEARTBEAT_SECONDS = 30.0


class GenerationCollector:
    """Heartbeats and garbage collection of one ChromaStore's generations."""

    def __init__(self, store: ChromaStore) -> None:
        self.store = store
        # the pointer update after which this process last ran the collector (see maybe_collect)
        self._collected_after = 0.0

    def heartbeat(self, generation: str) -> None:
        self.store._meta.upsert(ids=[f"build:{generation}"], documents=[""], embeddings=[[1.0]], metadatas=[{
            "generation": generation, "kind": "build", "host": socket.gethostname(), "pid": os.getpid(),
            "heartbeat": time.time(),
        }])

    def abandon(self, generation: str) -> None:
        """Drop a build that will not be switched in; if even that fails, the collector will."""
        try:
            pointer = self.store._pointer()
            if pointer and str(pointer["current_generation"]) == generation:
                return  # the switch landed although its reply was lost
            self.drop(generation)
            self.collect_versions()
        except Exception:
            log.warning("could not drop the abandoned generation %s", generation, exc_info=True)

    def drop(self, generation: str) -> None:
        """Forget a generation (its plan versions go with the next collect_versions)."""
        from chromadb.errors import NotFoundError

        self.store._meta.delete(where={"generation": generation})
        self.store._remember(generation, None)
        with contextlib.suppress(NotFoundError, ValueError):  # a generation of layout 1
            self.store.client.delete_collection(LEGACY_CHUNK_COLLECTION_PREFIX + generation)

    def generations(self) -> list[str]:
        """Every generation present (current, retired, being built; of either layout)."""
        names = {record_id.split(":", 1)[1]
                 for record_id, _, _ in paged(self.store._meta, {"kind": {"$in": ["gen", "build"]}}, [])}
        for collection in self.store.client.list_collections():
            name = collection if isinstance(collection, str) else collection.name
            if name.startswith(LEGACY_CHUNK_COLLECTION_PREFIX):
                names.add(name[len(LEGACY_CHUNK_COLLECTION_PREFIX):])
        return sorted(names)

    def maybe_collect(self, pointer: dict) -> None:
        """Readers collect too: the generation a switch retired must not stay in the collection
        (its versions slow every search down) until some process next commits. Once per switch
        and process, after the grace, by the one thread refreshing the snapshot (the others go on
        answering meanwhile); not in a background thread, which the interpreter's exit (or a test's
        teardown) could cut off inside Chroma."""
        updated = float(pointer.get("updated") or 0.0)
        if not pointer.get("previous") or updated <= self._collected_after:
            return
        if time.time() - updated < self.store.retire_grace_seconds:
            return
        self._collected_after = updated
        try:
            self.collect_garbage(str(pointer["current_generation"]))
        except Exception:  # another process may be collecting the same garbage
            log.debug("collection after a switch failed", exc_info=True)

    def collect_garbage(self, current: str) -> None:
        """Drop retired generations past their grace and builds whose writer died, then the plan
        versions no generation names any more."""
        now = time.time()
        got = self.store._meta.get(where={"kind": {"$in": ["build", "retired"]}}, include=["metadatas"])
        builds: dict[str, dict] = {}
        retired: dict[str, float] = {}
        for meta in got["metadatas"]:
            if meta.get("kind") == "retired":
                retired[str(meta["generation"])] = float(meta["retired_at"])
            else:
                builds[str(meta["generation"])] = meta
        for generation in self.generations():
            if generation == current:
                continue
            if generation in retired:
                reclaim = now - retired[generation] >= self.store.retire_grace_seconds
            elif generation in builds:
                reclaim = self.writer_gone(builds[generation], now)
            else:  # no record at all: a crash between dropping records and the collection
                reclaim = now - generation_time(generation) >= self.store.orphan_grace_seconds
            if reclaim:
                try:
                    self.drop(generation)
                    log.info("dropped generation %s", generation)
                except Exception:  # another process may be collecting the same garbage
                    log.debug("could not drop %s", generation, exc_info=True)
        self.collect_versions()

    def collect_versions(self) -> None:
        """Delete the chunks and records of plan versions that no generation names. Version
        records are listed before memberships: a build writes its membership before its versions,
        so a version seen here whose build is alive is named by a membership read after it."""
        stored = [meta["plan"] for _, _, meta in paged(self.store._meta, {"kind": "plan"}, ["metadatas"])]
        live: set[str] = set()
        for _, raw, _ in paged(self.store._meta, {"kind": "members"}, ["documents"]):
            live.update(json.loads(unpacked(raw)).values())
        dead = [version for version in stored if version not in live]
        for start in range(0, len(dead), 100):
            group = dead[start: start + 100]
            where = {"plan": group[0]} if len(group) == 1 else {"plan": {"$in": group}}
            self.store._chunks.delete(where=where)
            self.store._registers.delete(where=where)
            self.store._meta.delete(ids=[f"plan:{version}" for version in group])  # after its chunks
        self.store._search.forget(dead)
        if dead:
            log.info("deleted %d plan versions no generation holds", len(dead))

    def writer_gone(self, build: dict, now: float) -> bool:
        if build.get("host") == socket.gethostname() and not pid_alive(int(build.get("pid", 0))):
            return True
        return now - float(build.get("heartbeat", 0.0)) >= self.store.orphan_grace_seconds


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
