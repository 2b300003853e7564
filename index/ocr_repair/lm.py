"""Syllable trigram language model with stupid backoff, stored as sorted numpy arrays.

Hand-written rather than kenlm: kenlm's PyPI package is a source-only build that needs a C++
toolchain, and its estimator (lmplz) is not part of it at all; what the decoder needs is a few
thousand vectorised look-ups per line, which sorted uint64 keys and np.searchsorted give without
any build step, and the arrays load in milliseconds. Stupid backoff (Brants et al. 2007) rather
than Kneser-Ney: the decoder only ranks candidates for one position against each other, where
the two give nearly the same order, and backoff needs no normalisation pass over the counts.
"""

from __future__ import annotations

import numpy as np

BITS = 20  # ids are < 2**20, a trigram key packs three ids in 60 bits
QSTEP = 0.08  # quantisation step of -log p, in nats (uint8: down to about e^-20)
BACKOFF = float(np.log(0.4))


def encode_scores(logp: np.ndarray) -> np.ndarray:
    return np.clip(np.round(-logp / QSTEP), 0, 255).astype(np.uint8)


class TrigramLM:
    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.vocab: list[str] = bytes(arrays["vocab"]).decode().split("\n")
        self.index = {w: i for i, w in enumerate(self.vocab)}
        self.uni = arrays["uni"].astype(np.float64)
        self.bi_keys = arrays["bi_keys"].astype(np.int64)
        self.bi_score = -arrays["bi_q"].astype(np.float64) * QSTEP
        self.tri_keys = arrays["tri_keys"].astype(np.int64)
        self.tri_score = -arrays["tri_q"].astype(np.float64) * QSTEP

    def id(self, symbol: str) -> int:
        return self.index.get(symbol, 0)

    @staticmethod
    def _lookup(keys: np.ndarray, scores: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pos = keys.searchsorted(query)
        np.minimum(pos, len(keys) - 1, out=pos)
        return keys[pos] == query, scores[pos]

    def score(self, u, v, w) -> np.ndarray:
        """log S(w | u v) for ids or arrays of ids (numpy broadcasting)."""
        w = np.asarray(w, dtype=np.int64)
        bi = (np.asarray(v, dtype=np.int64) << BITS) | w
        tri = (np.asarray(u, dtype=np.int64) << (2 * BITS)) | bi
        shape = np.broadcast_shapes(tri.shape, bi.shape, w.shape)
        tri, bi, w = (np.broadcast_to(x, shape).ravel() for x in (tri, bi, w))
        f3, s3 = self._lookup(self.tri_keys, self.tri_score, tri)
        f2, s2 = self._lookup(self.bi_keys, self.bi_score, bi)
        out = np.where(f3, s3, np.where(f2, BACKOFF + s2, 2 * BACKOFF + self.uni[w]))
        return out.reshape(shape)
