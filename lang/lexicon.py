"""The question as officials type it, spelled out: shorthand ("kh", "bc", "UB", "CA tỉnh",
"CTMTQG"), province abbreviations ("HCM", "ĐN") and typing slips ("phoiw hopj", "bao coa") are
rewritten into the formal wording before the one question analysis (rag/query.py) reads it, so an
informal question and its formal wording give one analysis. The shorthand is data
(prompts/lexicon_vi.toml); the vocabulary a slip is matched against is the cue words
(prompts/cues_vi.toml), the lexicon, the agencies and the provinces: the words an analysis reads.

Accents typed wrongly or not at all ("gủi", "khảo sat", "thuc hien") need nothing here: every
reading folds the text first.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from lang.agencies import AGENCIES
from lang.normalize import fold
from lang.provinces import ALIASES, KNOWN
from lang.syllables import ONSETS, RHYMES, is_valid_syllable
from planbot import PROMPTS_DIR

LEXICON_FILE = "lexicon_vi.toml"
CUES_FILE = "cues_vi.toml"

# a printed word: letters and digits, with the "." of "TP.HCM", "k.h" and the "&" of "KH&CN" inside it
_WORD = re.compile(r"[^\W_]+(?:[.&][^\W_]+)*")
# letters a shorthand may carry: no tone or vowel marks, "đ" kept ("ĐN", "QĐ")
_PLAIN = re.compile(r"[a-z0-9đ.&]+")
_ABBREVIATION_DOT = re.compile(r"\.(?=\s+\w)")
_GLUED_NUMBER = re.compile(r"([a-zđ]{2,3})(\d{1,5})")
# an agency's own abbreviation follows these: "Sở KH và CN" is not "Sở kế hoạch và CN"
_AGENCY_HEADS = {"so", "bo"}


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, dict]:
    with (PROMPTS_DIR / LEXICON_FILE).open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=1)
def _keys() -> dict[tuple[str, ...], str]:
    """Every key (its words, lower case) → what it spells out; province names joined by "và"."""
    table = _lexicon()
    out = {tuple(key.split()): value for key, value in table["shorthand"].items()}
    out.update({tuple(key.split()): " và ".join(names) for key, names in table["provinces"].items()})
    return out


@lru_cache(maxsize=1)
def known_abbreviations() -> frozenset[str]:
    """The one-word abbreviations of three letters or more the genre writes in capitals ("bql",
    "kcn", "pccc"), lower case: what a word in capitals inside running text may stand for."""
    return frozenset(key for key in _lexicon()["shorthand"] if key.isalpha() and len(key) >= 3 and " " not in key)


def province_abbreviations() -> dict[str, tuple[str, ...]]:
    """Abbreviation → the provinces it may name ("đn" → Đồng Nai, Đà Nẵng)."""
    return {key: tuple(names) for key, names in _lexicon()["provinces"].items()}


def provinces_also(typed: str) -> dict[str, tuple[str, ...]]:
    """The usual province of each abbreviation the question types that may name others too →
    those others ("sở y tế HN" → {"Hà Nội": ("Hà Nam",)}): the indexed plans decide which."""
    table = _lexicon()
    folded = f" {' '.join(fold(m.group(0).lower()) for m in _WORD.finditer(typed))} "
    for longer in sorted((k for k in table["provinces"] if " " in k), key=len, reverse=True):
        folded = folded.replace(f" {fold(longer)} ", " ")  # "TP HN" names the city alone
    words = set(folded.split())
    out: dict[str, tuple[str, ...]] = {}
    for key, others in table.get("province_also", {}).items():
        if fold(key) in words:
            for usual in table["provinces"].get(key, ()):
                out[usual] = tuple(dict.fromkeys([*out.get(usual, ()), *others]))
    return out


def spell_out(text: str) -> str:
    """The question with its shorthand spelled out and its slips corrected; the text itself when it
    holds none (everything else verbatim: accents, case, punctuation)."""
    words = list(_WORD.finditer(text))
    if not words:
        return text
    keys = _keys()
    longest = max(len(k) for k in keys)
    lowered = [m.group(0).lower() for m in words]
    folded = [fold(w) for w in lowered]
    out: list[str] = []
    last = 0
    i = 0
    while i < len(words):
        replaced = False
        if _PLAIN.fullmatch(lowered[i]) and not _inside_number(text, words[i]) \
                and not (i and folded[i - 1] in _AGENCY_HEADS and _joined(text, words[i - 1], words[i])):
            for n in range(min(longest, len(words) - i), 0, -1):
                # the first word as typed (no marks but "đ"), the others folded ("CA tỉnh")
                key = (lowered[i], *folded[i + 1 : i + n])
                value = keys.get(key)
                if value is None and "đ" not in lowered[i]:
                    value = keys.get((folded[i], *folded[i + 1 : i + n]))
                if value is not None and all(_joined(text, words[j], words[j + 1]) for j in range(i, i + n - 1)):
                    out.append(text[last:words[i].start()])
                    out.append(value)
                    last = words[i + n - 1].end()
                    if _ABBREVIATION_DOT.match(text, last):  # "TP. Hồ Chí Minh": the shorthand's own dot
                        last += 1
                    i += n
                    replaced = True
                    break
        if replaced:
            continue
        glued = _GLUED_NUMBER.fullmatch(lowered[i])
        if glued and keys.get((glued.group(1),)) and not _inside_number(text, words[i]):
            # "KH157", "QĐ2820": the shorthand typed against its number
            out.append(text[last:words[i].start()])
            out.append(f"{keys[(glued.group(1),)]} {glued.group(2)}")
            last = words[i].end()
            i += 1
            continue
        # a word with capitals is an abbreviation or a numeral ("XIV"), never a slip
        fixed = _slip(folded, i) if words[i].group(0).islower() else None
        if fixed is not None:
            out.append(text[last:words[i].start()])
            out.append(fixed)
            last = words[i].end()
        i += 1
    out.append(text[last:])
    return "".join(out)


def _inside_number(text: str, word: re.Match[str]) -> bool:
    """A piece of a document number or compound ("153/KH-UBND", "KH-UBND", "VH-TT&DL")."""
    before = text[word.start() - 1] if word.start() else " "
    after = text[word.end()] if word.end() < len(text) else " "
    return before in "/-" or after in "/-"


def _joined(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    """Two words with only spaces between them (a phrase of the lexicon does not cross a comma)."""
    return not text[a.end():b.start()].strip()


# --- typing slips ------------------------------------------------------------------------------
# A slip is a word no analysis knows that sits one keystroke away from one it does: a Telex
# keystroke left in ("hopj", "phoiw" for "hợp", "phối"), a letter dropped, doubled, swapped or
# mistyped ("chu tir", "phoi hpo"). Only words that are no Vietnamese syllable, even with their
# marks dropped, are corrected: a real word ("làm xong", "khảo sát", "lua" of "lừa đảo") is kept,
# whatever word of the vocabulary it is one letter from.
# rapidfuzz gives the edit distance with transpositions (OSA) and the search over the vocabulary in
# C; a Vietnamese spell checker (trained on accented news text) would "correct" the folded,
# abbreviated wording officials type, and no maintained one ships for Python without a model.

_TELEX_TAIL = re.compile(r"^([a-z]+?)[sfrxjw]$")
_ROMAN = re.compile(r"[ivxlc]+")  # "đại hội xiv", "phần iii": numerals, typed lower case


@lru_cache(maxsize=1)
def _folded_inventory() -> tuple[frozenset[str], frozenset[str]]:
    """The onsets and rhymes of Vietnamese syllables with their marks dropped ("uôn" → "uon")."""
    return frozenset(fold(o) for o in ONSETS), frozenset(fold(r) for r in RHYMES)


def _plausible(word: str) -> bool:
    """Whether a folded word is a Vietnamese syllable with its marks dropped ("buon" is "buôn"):
    an onset and a rhyme of the inventory (lang/syllables.py)."""
    onsets, rhymes = _folded_inventory()
    return is_valid_syllable(word) or any(word[:n] in onsets and word[n:] in rhymes for n in range(4))


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], frozenset[tuple[str, str]], tuple[str, ...]]:
    """The words (folded) an analysis reads, their bigrams, and the list searched for a slip."""
    phrases: list[str] = []
    with (PROMPTS_DIR / CUES_FILE).open("rb") as handle:
        for table in tomllib.load(handle).values():
            for values in table.values():
                for value in values:
                    phrases.extend(value if isinstance(value, list) else [value])
    table = _lexicon()
    phrases += [fold(v) for v in table["shorthand"].values()]
    phrases += [fold(n) for names in table["provinces"].values() for n in names]
    phrases += [fold(n) for name, aliases in AGENCIES.items() for n in (name, *aliases)]
    phrases += [fold(n) for name in KNOWN for n in (name, *ALIASES.get(name, ()))]
    sequences = [re.findall(r"[a-z]+", fold(p)) for p in phrases]
    words = frozenset(w for seq in sequences for w in seq)
    bigrams = frozenset((a, b) for seq in sequences for a, b in zip(seq, seq[1:], strict=False))
    return words, bigrams, tuple(sorted(w for w in words if len(w) >= 2))


def _slip(folded: list[str], i: int) -> str | None:
    """The word the i-th (folded) word was meant to be, or None when it is no slip."""
    word = folded[i]
    if not word.isalpha() or len(word) < 3 or _ROMAN.fullmatch(word):
        return None
    words, bigrams, searched = _vocabulary()
    if word in words:
        return None
    valid = _plausible(word)
    before = folded[i - 1] if i else ""
    after = folded[i + 1] if i + 1 < len(folded) else ""

    def phrased(candidate: str) -> bool:
        return (before, candidate) in bigrams or (candidate, after) in bigrams

    tail = _TELEX_TAIL.match(word)
    if not valid and tail and tail.group(1) in words:
        return tail.group(1)  # "hopj", "phoiw": the tone or vowel key typed after the syllable
    found = [c for c, _, _ in process.extract(word, searched, scorer=OSA.distance, score_cutoff=1, limit=8)]
    if valid:  # a syllable typed without its marks is a word ("lua" of "lừa đảo" is no "lau")
        return None
    if len(found) > 1:
        found = [c for c in found if phrased(c)] or found[:0]
    return found[0] if len(found) == 1 else None


# --- the reverse: formal wording → shorthand (eval/rewordings.py asks each question so) --------

@lru_cache(maxsize=1)
def _shorthands() -> list[tuple[re.Pattern[str], str]]:
    """(formal phrase, its shorthand) for the phrases of two words or more, longest first: a
    shorthand of one letter or with a number ("j", "1 lan") is texting, not how officials abbreviate."""
    table = _lexicon()
    pairs: dict[str, str] = {}  # the first shorthand of a phrase in the file is its usual one
    for key, value in table["shorthand"].items():
        if " " not in key and "." not in key and len(value.split()) >= 2 and len(key) >= 2 and not key[0].isdigit():
            pairs.setdefault(value, key)
    for key, names in table["provinces"].items():
        if len(names) == 1 and " " not in key and "." not in key:
            pairs.setdefault(names[0], key)
    ordered = sorted(pairs.items(), key=lambda kv: -len(kv[0]))
    return [(re.compile(r"(?<![^\W_])" + re.escape(value) + r"(?![^\W_])", re.IGNORECASE), key.upper() if len(key) > 2 else key)
            for value, key in ordered]


def abbreviate(text: str) -> str:
    """The text as an official might type it: its phrases replaced by their shorthand ("Kế hoạch"
    → "kh", "báo cáo" → "bc", "khu công nghiệp" → "KCN", "Thành phố Hồ Chí Minh" → "HCM")."""
    for pattern, short in _shorthands():
        text = pattern.sub(short, text)
    return text
