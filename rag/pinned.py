"""One index generation per question: the question path reads the store through a view whose
`snapshot()` is the one snapshot taken when the question arrived, so an answer that is slow (an
LLM streaming, a large plan) never mixes two generations when an ingestion switches the index."""

from __future__ import annotations

from typing import Any

from index.store import PlanStore, Snapshot


class PinnedStore:
    """A store seen at one snapshot; everything else is the store's own."""

    def __init__(self, store: PlanStore, snap: Snapshot | None) -> None:
        self._store = store
        self._snap = snap

    def snapshot(self) -> Snapshot | None:
        return self._snap

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def unpinned(store: Any) -> PlanStore:
    """The store under a pinned view (a view of a view pins nothing new)."""
    return store._store if isinstance(store, PinnedStore) else store
