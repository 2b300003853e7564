"""Embedders: an offline default that needs no weights, and sentence-transformers by name or path."""

from __future__ import annotations

import logging
import os
import zlib
from collections import Counter
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
        # feature string → (slot, sign); a token → its word and character-trigram features. Both
        # are bounded (a plan's vocabulary is small; a flood of new words just starts them anew).
        self._slots: dict[str, tuple[int, float]] = {}
        self._token_features: dict[str, tuple[str, ...]] = {}
        # (weight, n) → the feature's value: 1 + log of the weight added up n times, as floats add
        self._values: dict[tuple[float, int], float] = {}

    _CACHE_LIMIT = 500_000

    def _features_of_token(self, token: str) -> tuple[str, ...]:
        found = self._token_features.get(token)
        if found is None:
            padded = f"<{skeleton(token)}>"
            found = ("w:" + token, *("c:" + padded[i : i + 3] for i in range(len(padded) - 2)))
            if len(self._token_features) >= self._CACHE_LIMIT:
                self._token_features.clear()
            self._token_features[token] = found
        return found

    def _slot(self, feature: str) -> tuple[int, float]:
        found = self._slots.get(feature)
        if found is None:
            h = zlib.crc32(feature.encode())
            found = (h % self.dim, 1.0 if (h >> 31) & 1 else -1.0)
            if len(self._slots) >= self._CACHE_LIMIT:
                self._slots.clear()
            self._slots[feature] = found
        return found

    def _value(self, weight: float, n: int) -> float:
        found = self._values.get((weight, n))
        if found is None:
            count = 0.0
            for _ in range(n):  # summed one by one: 0.3 * 3 is not 0.3 + 0.3 + 0.3 in floats
                count += weight
            found = self._values[(weight, n)] = 1.0 + np.log(count)
        return found

    # a feature's weight by its kind: syllable, character trigram of the skeleton, syllable bigram
    _WEIGHTS = {"w": 1.0, "c": 0.3, "b": 1.5}

    def _row(self, text: str) -> np.ndarray:
        """One text's vector, unnormalised, in float64: each feature's 1 + log(weighted count),
        signed, added into its hashed slot in the order the features first occur."""
        tokens = match_tokens(text)
        features: list[str] = []
        for token in tokens:
            features.extend(self._features_of_token(token))
        features.extend(f"b:{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False))
        counts = Counter(features)  # first-occurrence order, as the slots' sums need
        slots = np.empty(len(counts), dtype=np.int64)
        values = np.empty(len(counts), dtype=np.float64)
        for i, (feature, n) in enumerate(counts.items()):
            slot, sign = self._slot(feature)
            slots[i] = slot
            values[i] = sign * self._value(self._WEIGHTS[feature[0]], n)
        # bincount adds in input order, from 0.0: the same sums as adding feature by feature
        return np.bincount(slots, weights=values, minlength=self.dim)

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """The texts' unit vectors as float32 rows (what `embed_documents` gives as lists)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            dense = self._row(text).astype(np.float32)
            norm = float(np.linalg.norm(dense))
            if norm > 0:
                dense /= norm
            out[i] = dense
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_array([text])[0].tolist()


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
