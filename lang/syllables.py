"""How much of a text is well-formed Vietnamese: the share of valid syllables.

A Vietnamese syllable is (onset)(rhyme) plus one tone, and the inventory of both is small and
closed, so validity is a set lookup rather than a dictionary. What this catches is exactly what
goes wrong in bad text layers: Tesseract's English model on Vietnamese ("ctia", "d6i", "Pang",
"Hué"), and legacy TCVN3/VNI fonts whose text layer decodes to "KÕ ho¹ch". What it cannot catch
is Vietnamese with every mark dropped ("Thong tin doi ngoai" is valid, tone-less Vietnamese),
so `TextQuality` also reports the share of syllables carrying a diacritic.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

ONSETS = frozenset(
    ["b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]
) | {""}

# Rhymes without tone, built as nucleus + ending; the lists follow the standard inventory of
# Vietnamese orthography (about 160 rhymes). Loan spellings such as "oong"/"ooc" are included.
_RHYME_ENDINGS = {
    "a": ", i, o, u, y, m, n, ng, nh, p, t, c, ch",
    "ă": "m, n, ng, p, t, c",
    "â": "u, y, m, n, ng, p, t, c",
    "e": ", o, m, n, ng, p, t, c",
    "ê": ", u, m, n, nh, p, t, ch",
    "i": ", u, a, m, n, nh, p, t, ch",
    "o": ", i, m, n, ng, p, t, c, ong, oc",
    "ô": ", i, m, n, ng, p, t, c",
    "ơ": ", i, m, n, p, t",
    "u": ", i, a, m, n, ng, p, t, c",
    "ư": ", i, u, a, m, n, ng, t, c",
    "y": "",
    "iê": "u, m, n, ng, p, t, c",
    "yê": "u, m, n, t",
    "uô": "i, m, n, ng, t, c",
    "ươ": "i, u, m, n, ng, p, t, c",
    "oa": ", i, y, o, m, n, ng, nh, p, t, c, ch",
    "oă": "m, n, ng, t, c",
    "oe": ", o, m, n, t",
    "uâ": "n, ng, t, y",
    "uê": ", nh, ch",
    "uy": ", u, a, n, nh, t, ch, p, ên, êt",
    "uơ": "",
}
RHYMES = frozenset(
    nucleus + ending.strip()
    for nucleus, endings in _RHYME_ENDINGS.items()
    for ending in endings.split(",")
)
_STOP_CODAS = ("p", "t", "c", "ch")
# Combining marks of the five tones (grave, acute, hook above, tilde, dot below).
_TONE_MARKS = {"\u0300": "huyền", "\u0301": "sắc", "\u0309": "hỏi", "\u0303": "ngã", "\u0323": "nặng"}
# Letters that only occur with a diacritic in Vietnamese: their presence marks accented text.
_MARKED = re.compile("[ăâêôơưđàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")
_WORD = re.compile(r"[^\W_]+")
_FRONT_VOWELS = ("i", "e", "ê", "y")


def _split_tone(syllable: str) -> tuple[str, list[str]]:
    """The syllable without its tone mark(s), and the tones found (a valid syllable has <= 1)."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [_TONE_MARKS[ch] for ch in decomposed if ch in _TONE_MARKS]
    base = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    return unicodedata.normalize("NFC", base), tones


def _spelling_ok(onset: str, rhyme: str) -> bool:
    # k, gh and ngh are written only before front vowels; c, g, ng and q never are.
    front = rhyme.startswith(_FRONT_VOWELS)
    if onset in ("k", "gh", "ngh"):
        return front
    if onset in ("c", "ng"):
        return not front
    if onset == "qu":
        return not rhyme.startswith(("u", "o"))
    return True


@lru_cache(maxsize=100_000)
def is_valid_syllable(word: str) -> bool:
    """True for a well-formed Vietnamese syllable (any case, NFC or NFD): a known onset, a known
    rhyme, at most one tone, and only the sắc or nặng tone on a stop ending (-p, -t, -c, -ch)."""
    base, tones = _split_tone(word.lower())
    if len(tones) > 1 or not base.isalpha():
        return False
    if base in ("gi", "gin"):  # "gì", "gìn": gi- absorbs the vowel i
        return True
    for size in (3, 2, 1, 0):
        onset, rhyme = base[:size], base[size:]
        if onset not in ONSETS or rhyme not in RHYMES:
            continue
        if onset == "gi" and rhyme.startswith(("i", "ê")):
            continue
        if not _spelling_ok(onset, rhyme):
            continue
        if tones and rhyme.endswith(_STOP_CODAS) and tones[0] not in ("sắc", "nặng"):
            continue
        return True
    return False


@dataclass(frozen=True)
class TextQuality:
    """How Vietnamese a text looks: `valid` syllables out of `judged` word tokens, and how many
    of them carry a Vietnamese diacritic. Tokens mixing letters and digits ("d6i") count as
    invalid; all-capital tokens that are not syllables ("UBND", "TTĐN") are abbreviations and
    are not judged."""

    judged: int
    valid: int
    marked: int

    @property
    def valid_share(self) -> float:
        return self.valid / self.judged if self.judged else 0.0

    @property
    def marked_share(self) -> float:
        return self.marked / self.judged if self.judged else 0.0

    def looks_vietnamese(self, min_valid: float = 0.85, min_marked: float = 0.3) -> bool:
        """Clean Vietnamese scores above 0.95 valid and about 0.7 marked; the English model's
        output on Vietnamese about 0.75 valid and under 0.25 marked (measured on the samples)."""
        return self.valid_share >= min_valid and self.marked_share >= min_marked


def text_quality(text: str) -> TextQuality:
    judged = valid = marked = 0
    for token in _WORD.findall(unicodedata.normalize("NFC", text)):
        if token.isdigit():
            continue
        if any(ch.isdigit() for ch in token):
            judged += 1  # "d6i", "s6": digits inside a word are misread letters
            continue
        ok = is_valid_syllable(token)
        if not ok and len(token) > 1 and token.isupper():
            continue  # an abbreviation such as UBND, not a misread syllable
        judged += 1
        valid += ok
        marked += bool(_MARKED.search(token.lower()))
    return TextQuality(judged, valid, marked)
