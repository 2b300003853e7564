"""Embedders: an offline default that needs no weights, and sentence-transformers by name or path."""

from __future__ import annotations

import logging
import os
import threading
import zlib
from collections import Counter
from itertools import chain
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from lang.normalize import match_tokens, skeleton

if TYPE_CHECKING:  # heavy: imported for real only when the model loads
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)


@runtime_checkable
class Embedder(Protocol):
    name: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class _Vocabulary:
    """Feature strings seen so far, numbered, with each number's hashed slot, sign and kind in
    arrays: a text's features are then counted and summed by numpy rather than one by one.
    Only grows (under its lock); the embedder starts a new one when it is full, and a text being
    embedded meanwhile finishes with the one it started with."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.ids: dict[str, int] = {}
        self.token_ids: dict[str, tuple[int, ...]] = {}  # a syllable → its word and trigram features
        self.slot = np.zeros(4096, dtype=np.int64)
        self.sign = np.zeros(4096, dtype=np.float64)
        self.kind = np.zeros(4096, dtype=np.int64)
        self._lock = threading.Lock()

    def add(self, feature: str, kind: int) -> int:
        with self._lock:
            found = self.ids.get(feature)
            if found is not None:
                return found
            found = len(self.ids)
            if found == len(self.slot):  # grown by copying: a reader keeps a complete old array
                self.slot, self.sign, self.kind = (np.concatenate([a, np.zeros_like(a)])
                                                   for a in (self.slot, self.sign, self.kind))
            h = zlib.crc32(feature.encode())
            self.slot[found] = h % self.dim
            self.sign[found] = 1.0 if (h >> 31) & 1 else -1.0
            self.kind[found] = kind
            self.ids[feature] = found
            return found

    def of_token(self, token: str) -> tuple[int, ...]:
        found = self.token_ids.get(token)
        if found is None:
            padded = f"<{skeleton(token)}>"
            found = (self.add("w:" + token, 0),
                     *(self.add("c:" + padded[i : i + 3], 1) for i in range(len(padded) - 2)))
            self.token_ids[token] = found
        return found


class HashingEmbedder:
    """Hashed syllables, syllable bigrams and character n-grams of the OCR-repaired folded text.

    No download, a few ms per chunk, and it meets "đối ngoại", "doi ngoai" and "d6i ngoai" in one
    place because it embeds the matching form. Character n-grams of the vowel skeleton catch the
    OCR damage that the token rules miss.

    Each feature (syllable "w:", skeleton trigram "c:", syllable bigram "b:") adds
    sign × (1 + log(weighted count)) to the slot its CRC-32 hashes to, features in the order they
    first occur, and the vector is scaled to unit length.
    """

    # a feature's weight by its kind: syllable, character trigram of the skeleton, syllable bigram
    _WEIGHTS = (1.0, 0.3, 1.5)
    # features numbered before the vocabulary starts anew (bigrams grow with the corpus)
    _VOCABULARY_LIMIT = 400_000

    def __init__(self, dim: int = 1024) -> None:
        self.dim = dim
        self.name = f"hashing-ngrams-v1-{dim}"
        self._vocabulary = _Vocabulary(dim)
        self._values = np.zeros((len(self._WEIGHTS), 0), dtype=np.float64)  # [kind, count]
        self._values_lock = threading.Lock()

    def _value_table(self, largest: int) -> np.ndarray:
        """[kind, n] → 1 + log of the kind's weight added up n times, one by one as the features'
        counts were (0.3 * 3 is not 0.3 + 0.3 + 0.3 in floats)."""
        table = self._values
        if largest < table.shape[1]:
            return table
        with self._values_lock:
            size = max(largest + 1, 2 * self._values.shape[1], 64)
            table = np.zeros((len(self._WEIGHTS), size), dtype=np.float64)
            for kind, weight in enumerate(self._WEIGHTS):
                count = 0.0
                for n in range(1, size):
                    count += weight
                    table[kind, n] = 1.0 + np.log(count)
            self._values = table
        return table

    def _row(self, text: str) -> np.ndarray:
        """One text's vector, unnormalised, in float64."""
        vocabulary = self._vocabulary
        if len(vocabulary.ids) > self._VOCABULARY_LIMIT:
            vocabulary = self._vocabulary = _Vocabulary(self.dim)
        tokens = match_tokens(text)
        try:  # most texts hold only syllables and bigrams seen before: looked up at C speed
            ids = list(chain.from_iterable(map(vocabulary.token_ids.__getitem__, tokens)))
        except KeyError:
            ids = [i for token in tokens for i in vocabulary.of_token(token)]
        bigrams = [f"b:{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]
        known = vocabulary.ids
        try:
            bigram_ids = list(map(known.__getitem__, bigrams))
        except KeyError:
            bigram_ids = [known[feature] if feature in known else vocabulary.add(feature, 2) for feature in bigrams]
        ids += bigram_ids
        if not ids:
            return np.zeros(self.dim, dtype=np.float64)
        counted = Counter(ids)  # the features in the order they first occur, with their counts
        features = np.fromiter(counted.keys(), dtype=np.int64, count=len(counted))
        counts = np.fromiter(counted.values(), dtype=np.int64, count=len(counted))
        values = vocabulary.sign[features] * self._value_table(int(counts.max()))[vocabulary.kind[features], counts]
        # bincount adds in input order, from 0.0: the same sums as adding feature by feature
        return np.bincount(vocabulary.slot[features], weights=values, minlength=self.dim)

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
        self._model: SentenceTransformer | None = None

    def _load(self) -> SentenceTransformer:
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
