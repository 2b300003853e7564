"""The confusion (channel) model: how likely Tesseract's English model prints `o` for syllable `s`.

Two levels, learnt from (OCR, clean) pairs made by scripts/ocr_pairs.py:
- a token table: how often each clean syllable came out as each OCR token ("của" -> "ctia");
- a character model for tokens the table has not seen: a weighted edit distance whose
  substitution/insertion/deletion weights are the confusion counts of single characters
  ("ố" -> "6", "ư" -> "u"). Combined as a Dirichlet-smoothed estimate with the character model
  as the prior, so frequent syllables trust the table and rare ones the characters.

The weighted edit distance is hand-written (a 10x10 dynamic programme in Python): rapidfuzz and
editdistance only offer uniform or per-operation weights, not a per-character-pair table; rapidfuzz
is still used to align training tokens and to find candidates within edit distance.
"""

from __future__ import annotations

import collections
import math
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from index.ocr_repair.tokens import split_line, word_symbol
from lang.normalize import OCR_RULES, fold, match_tokens

TABLE_PRIOR = 2.0  # beta: pseudo-counts the character model contributes per syllable


def _align_key_clean(core: str) -> str:
    return fold(core)


# The keys the shipped model (model_v1.npz) was built with: the matching rules of its time. "t_for_u"
# reads a vowelless word as a syllable, which a lowercased abbreviation ("vtc") would be taken for;
# "capital_g" and "e_for_o" came after the model too.
_KEY_RULES = frozenset(OCR_RULES) - {"t_for_u", "capital_g", "e_for_o"}


@lru_cache(maxsize=200_000)
def _align_key_ocr(core: str) -> str:
    return "".join(match_tokens(core, _KEY_RULES)) or core.lower()


def _cores(text: str) -> list[str]:
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(p.core for p in split_line(line) if p.core)
    return out


def _opcodes(a: str | list[str], b: str | list[str]) -> list[tuple[str, int, int, int, int]]:
    """rapidfuzz's opcodes as (tag, i1, i2, j1, j2) tuples: its stubs type the tuple items as
    `str | int`, which hides the positions' type."""
    return [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end) for op in Levenshtein.opcodes(a, b)]


def aligned_pairs(ocr_text: str, clean_text: str) -> list[tuple[str, str]]:
    """(clean syllable, OCR token) pairs, lower case, from a word alignment of the two texts on
    their folded/OCR-normalised forms (line breaks differ: the channel re-wraps paragraphs)."""
    ocr = _cores(ocr_text)
    clean = _cores(clean_text)
    a = [_align_key_clean(c) for c in clean]
    b = [_align_key_ocr(c) for c in ocr]
    pairs = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1 and i2 - i1 <= 3):
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                s, o = word_symbol(clean[i]), ocr[j].lower()
                if s.isalpha() and not any(ch.isdigit() for ch in clean[i]):
                    pairs.append((s, unicodedata.normalize("NFC", o)))
    return pairs


def train(files: Iterable[tuple[str, Path, Path]], vocab: set[str],
          log: Callable[[str], None] = print) -> dict:
    """Token table and character confusion counts from cached (config, OCR file, clean file)."""
    table: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    sub: collections.Counter[str] = collections.Counter()
    chars: collections.Counter[str] = collections.Counter()
    segments: collections.Counter[str] = collections.Counter()
    n_pairs = 0
    for config, ocr_file, clean_file in files:
        pairs = aligned_pairs(ocr_file.read_text(encoding="utf-8"), clean_file.read_text(encoding="utf-8"))
        log(f"  {config} {clean_file.stem}: {len(pairs):,} aligned tokens")
        for s, o in pairs:
            n_pairs += 1
            table[o][s] += 1
            chars.update(s)
            for a, printed in char_segments(s, o):
                if printed != a:
                    segments[f"{a}\t{printed}"] += 1
            for op in Levenshtein.editops(s, o):
                if op.tag == "replace":
                    sub[s[op.src_pos] + o[op.dest_pos]] += 1
                elif op.tag == "delete":
                    sub[s[op.src_pos] + "\0"] += 1
                else:
                    sub["\0" + o[op.dest_pos]] += 1
    log(f"channel: {n_pairs:,} pairs, {len(table):,} OCR token types")
    return {
        "table": {o: dict(c) for o, c in sorted(table.items())},
        "sub": dict(sorted(sub.items())),
        "chars": dict(sorted(chars.items())),
        "segments": {k: v for k, v in sorted(segments.items()) if v >= 2},
        "pairs": n_pairs,
    }


def _base_letters(text: str) -> str:
    return "".join((fold(ch) or ch)[:1] for ch in text)


def char_segments(s: str, o: str) -> list[tuple[str, str]]:
    """What each written character of `s` came out as in `o` (zero, one or more characters),
    from a minimal edit alignment; inserted characters go with the written one before them
    ("ớ" -> "dé" in "trước" -> "trudéc"), or with the first one at the very start."""
    out = [[ch, ""] for ch in s]
    if not out:
        return []
    src_of_dest: dict[int, int] = {}
    # Aligned on base letters, so "ư" lines up with the "u" it usually prints as.
    for tag, i1, i2, j1, j2 in _opcodes(_base_letters(s), _base_letters(o)):
        if tag in ("equal", "replace") and i2 - i1 == j2 - j1:
            src_of_dest.update({j: i for i, j in zip(range(i1, i2), range(j1, j2), strict=True)})
        elif tag == "replace":  # unequal block: spread over its written characters
            for k, j in enumerate(range(j1, j2)):
                src_of_dest[j] = min(i1 + k * (i2 - i1) // (j2 - j1), i2 - 1)
    changed = [True] * len(s)
    for j, i in src_of_dest.items():
        changed[i] = s[i] != o[j]
    # An inserted character goes with the next written character when that one was misprinted
    # ("của" -> "ctia": ủ -> "ti"), else with the previous one ("Thừa" -> "Thira": ừ -> "ir").
    owner = [0] * len(o)
    last = 0
    for j in range(len(o)):
        if j in src_of_dest:
            last = owner[j] = src_of_dest[j]
            continue
        nxt = next((src_of_dest[k] for k in range(j + 1, len(o)) if k in src_of_dest), None)
        owner[j] = nxt if nxt is not None and (changed[nxt] or not src_of_dest) else last
    for j, ch in enumerate(o):
        out[owner[j]][1] += ch
    return [(a, b) for a, b in out]


class Channel:
    def __init__(self, data: dict) -> None:
        self.table: dict[str, dict[str, int]] = data["table"]
        self.sub: dict[str, int] = data["sub"]
        self.chars: dict[str, int] = data["chars"]
        # (written character, printed string) counts for one-to-many confusions ("ủ" -> "ti")
        self.segments: dict[str, dict[str, int]] = collections.defaultdict(dict)
        for key, count in data.get("segments", {}).items():
            a, printed = key.split("\t")
            self.segments[a][printed] = count
        self.total_chars = max(1, sum(self.chars.values()))
        # How often each syllable was seen at all (the denominator of the table estimate).
        seen: collections.Counter[str] = collections.Counter()
        for row in self.table.values():
            for s, c in row.items():
                seen[s] += c
        self.seen = seen
        self._cost = lru_cache(maxsize=50_000)(self._char_cost)
        self.char_logp = lru_cache(maxsize=200_000)(self._char_logp)

    def _char_cost(self, a: str, b: str) -> float:
        """log P(b printed | a written); "\0" is the empty character."""
        if a == "\0":
            return math.log((self.sub.get("\0" + b, 0) + 0.1) / self.total_chars)
        n = self.chars.get(a, 0)
        if a == b:
            changed = sum(v for k, v in self.sub.items() if k[0] == a) if n else 0
            return math.log((n - changed + 1) / (n + 1))
        prior = 0.5 if b != "\0" and fold(a) == fold(b) else 0.02
        return math.log((self.sub.get(a + b, 0) + prior) / (n + 1 + prior))

    def _char_logp(self, s: str, o: str) -> float:
        """Best alignment score: each written character prints as nothing, one character, or a
        learnt string of up to three ("ư" -> "ir", "ớ" -> "dé"), or is followed by insertions."""
        cost = self._cost
        m = len(o)
        prev = [0.0]
        for ch in o:
            prev.append(prev[-1] + cost("\0", ch))
        for a in s:
            learnt = self.segments.get(a, {})
            n = self.chars.get(a, 0) + 1
            cur = [prev[0] + cost(a, "\0")]
            for j in range(1, m + 1):
                b = o[j - 1]
                best = max(prev[j - 1] + cost(a, b), prev[j] + cost(a, "\0"), cur[j - 1] + cost("\0", b))
                for k in (2, 3):
                    if j >= k and (c := learnt.get(o[j - k:j])):
                        best = max(best, prev[j - k] + math.log(c / n))
                cur.append(best)
            prev = cur
        return prev[-1]

    def logp(self, o: str, s: str) -> float:
        """log P(OCR token o | syllable s), both lower case."""
        seen = self.seen.get(s, 0)
        row = self.table.get(o)
        hits = row.get(s, 0) if row else 0
        char = math.exp(self.char_logp(s, o))
        return math.log((hits + TABLE_PRIOR * char) / (seen + TABLE_PRIOR) + 1e-12)


def ocr_key(core_lower: str) -> str:
    """Folded, OCR-normalised form of an OCR token (the project's matching form, lang/normalize)."""
    return _align_key_ocr(core_lower)
