"""Embedders: an offline default that needs no weights, and sentence-transformers by name or path."""

from __future__ import annotations

import logging
import os
import zlib
from typing import Protocol, runtime_checkable

import numpy as np

from index.normalize import match_tokens, skeleton

log = logging.getLogger(__name__)


@runtime_checkable
class Embedder(Protocol):
    name: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class HashingEmbedder:
    """Hashed syllables, syllable bigrams and character n-grams of the OCR-repaired folded text.

    No download, a few ms per chunk, and it meets "đối ngoại", "doi ngoai" and "d6i ngoai" in one
    place because it embeds the matching form. Character n-grams of the vowel skeleton catch the
    OCR damage that the token rules miss.
    """

    def __init__(self, dim: int = 1024) -> None:
        self.dim = dim
        self.name = f"hashing-ngrams-v1-{dim}"

    def _features(self, text: str) -> dict[int, float]:
        tokens = match_tokens(text)
        counts: dict[str, float] = {}

        def add(feature: str, weight: float) -> None:
            counts[feature] = counts.get(feature, 0.0) + weight

        for token in tokens:
            add("w:" + token, 1.0)
            padded = f"<{skeleton(token)}>"
            for i in range(len(padded) - 2):
                add("c:" + padded[i : i + 3], 0.3)
        for a, b in zip(tokens, tokens[1:], strict=False):
            add(f"b:{a}_{b}", 1.5)
        vector: dict[int, float] = {}
        for feature, count in counts.items():
            h = zlib.crc32(feature.encode())
            sign = 1.0 if (h >> 31) & 1 else -1.0
            index = h % self.dim
            vector[index] = vector.get(index, 0.0) + sign * (1.0 + np.log(count))
        return vector

    def _embed(self, text: str) -> list[float]:
        dense = np.zeros(self.dim, dtype=np.float32)
        for index, value in self._features(text).items():
            dense[index] += value
        norm = float(np.linalg.norm(dense))
        if norm > 0:
            dense /= norm
        return dense.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


class SentenceTransformerEmbedder:
    """A sentence-transformers model by hub name or local path, loaded lazily (torch is heavy)."""

    def __init__(self, model: str, device: str = "cpu", batch_size: int = 16) -> None:
        self.model_name = model
        self.name = f"st:{model}"
        self.device = device
        self.batch_size = batch_size
        lowered = model.lower()
        # e5 models were trained with these prefixes and lose accuracy without them.
        self.query_prefix, self.passage_prefix = ("query: ", "passage: ") if "e5" in lowered else ("", "")
        self._model = None

    def _load(self):
        if self._model is None:
            # Deployments pre-download weights; without these a missing model retries for ~74 s.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            log.info("loading sentence-transformers model %s on %s", self.model_name, self.device)
            self._model = SentenceTransformer(self.model_name, device=self.device)
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        model = self._load()
        vectors = model.encode(
            [self.passage_prefix + t for t in texts], batch_size=self.batch_size,
            normalize_embeddings=True, show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        model = self._load()
        vector = model.encode([self.query_prefix + text], normalize_embeddings=True, show_progress_bar=False)
        return vector[0].tolist()


def build_embedder(model: str, device: str = "cpu") -> Embedder:
    """Empty model name → the offline default; anything else → sentence-transformers."""
    if not model:
        return HashingEmbedder()
    return SentenceTransformerEmbedder(model, device=device)
