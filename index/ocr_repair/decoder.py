"""Noisy-channel decoding of OCR'd Vietnamese: candidates per token from the channel model,
a trigram language model over the whole text, beam search, then a local posterior per token.

Text that is already Vietnamese (letters the English model cannot print: ơ, ư, ă, đ, ạ, ...) and
lines that are not Vietnamese at all are passed through unchanged; numbers, dates and document
numbers are never candidates for change (tokens.repairable).
"""

from __future__ import annotations

import json
import pathlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from index.ocr_repair.channel import Channel, ocr_key
from index.ocr_repair.lm import TrigramLM
from index.ocr_repair.tokens import (
    BOUNDARY,
    NUMBER,
    STOP,
    Piece,
    lm_symbols,
    repairable,
    split_line,
    word_symbol,
)
from lang.lexicon import known_abbreviations
from lang.normalize import fold, skeleton
from lang.syllables import is_valid_syllable

PRE_CANDIDATES = 32
RULE_FLOOR = -4.0  # log 0.018
PRIOR_WEIGHT = 1.0  # candidates kept by P(o|s) P(s)^w: Bayes keeps w = 1
MODEL_PATH = pathlib.Path(__file__).with_name("model_v1.npz")
# (OCR token -> syllable) counts learnt from real scans' residue (scripts/scan_pairs.py), added to
# the token table learnt on rendered pages: real scans misprint differently ("dén" = "dân").
SCAN_TABLE_PATH = pathlib.Path(__file__).with_name("scan_table.json")


@dataclass(frozen=True)
class Settings:
    """Decoder weights (tuned on training fonts/plans only, see bench/ocr_repair_bench.py)."""

    channel_weight: float = 1.0
    # Extra cost of keeping a token the vocabulary does not know ("ctia"): the language model's
    # <unk> stands for every unknown word at once, so one of them is far less likely than <unk>
    # (about log of the number of unknown types); 8-12 measured alike on the training fonts.
    oov_penalty: float = 10.0
    beam: int = 8
    candidates: int = 12  # 8 loses tones of short syllables (đổi among đối, đời, đội, ...)
    min_confidence: float = 0.5  # below this a change is not made: the token stays as printed
    # ... unless the change is still the likeliest reading and the token as printed is this many
    # times less likely: a word the English model dropped a stacked-mark vowel from ("mi tháng" =
    # "mỗi tháng") has its mass spread over the syllables sharing its letters, none above one half
    dominant_ratio: float = 10.0
    dominant_floor: float = 0.4
    # Pass clean and foreign lines through untouched (off only to measure the decoder alone).
    line_gates: bool = True


@dataclass
class RepairedToken:
    line: int
    start: int  # character offsets of the source span in its line
    end: int
    source: str
    repaired: str
    confidence: float

    @property
    def changed(self) -> bool:
        return self.source != self.repaired


@dataclass
class RepairResult:
    text: str
    tokens: list[RepairedToken] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "tokens": [
                {"line": t.line, "start": t.start, "end": t.end, "source": t.source,
                 "repaired": t.repaired, "confidence": round(t.confidence, 3)}
                for t in self.tokens
            ],
        }


# Letter groups of document numbers (Decree 30/2020 abbreviations) whose Đ the English model
# reads as D, b or P: "213/QD-TTg" = "213/QĐ-TTg", "72/2015/ND-CP" = "72/2015/NĐ-CP". Only letters
# change; the digits of a document number never do.
_DOC_LETTERS = {"QD": "QĐ", "Qb": "QĐ", "QP": "QĐ", "ND": "NĐ", "Nb": "NĐ", "HDND": "HĐND", "HPND": "HĐND",
                "BCD": "BCĐ", "BCP": "BCĐ", "TTDN": "TTĐN", "DHDCD": "ĐHĐCĐ"}
# Symbols the English model prints for a Vietnamese vowel with marks (tokens._REPAIRABLE's set).
LETTER_SYMBOLS = frozenset("¢&@§€¥")
# A word whose first letters came out as digits ("16n" = "lớn", "14m" = "làm", "1&" = "lễ"), or a
# whole short word read as a number ("161" = "lối", "601" = "đối", "13" = "là"): real scans show
# both, rendered pages rarely. How each digit reads: a leading 1 is l (or i), a leading 6 is đ (or
# a vowel with marks), inside a word 0/6/9 are o, 1 is i, 3/4 are a, 8 is e.
_DIGIT_WORD = re.compile(r"\d{1,3}[a-z¢&@]*")
_FIRST_DIGIT = {"1": "li", "6": "do", "0": "o", "9": "o", "3": "a", "4": "a", "8": "e"}
_INNER_DIGIT = {"0": "o", "6": "o", "9": "o", "1": "i", "3": "a", "4": "a", "8": "e", "¢": "o", "@": "o", "&": "e"}
# A number between two words changes only when the language model is this sure, and pays this much
# (log) for leaving the number reading: "trong 15 ngày", "có 18 xã" stay numbers.
NUMBER_WORD_CONFIDENCE = 0.85
NUMBER_WORD_PENALTY = 2.0
# Capitals with the shape of their small letter: Tesseract confuses the two ("Phdi hop Vo1 cac").
_SAME_SHAPE_CAPITALS = frozenset("COSVWXZ")
# Function words a sentence never capitalises inside it (a capital there is a misread small letter)
_NEVER_CAPITALISED_INSIDE = frozenset(["với", "và", "các", "của", "có", "cho", "về", "sẽ", "cũng", "còn", "cùng", "cả",
                                       "vào", "vì", "so", "xong", "sau", "ở", "cần", "cấp"])
_DOC_GROUP = re.compile(r"(?<=[/-])[A-Za-z]+(?=$|[-/])|^[A-Za-z]+(?=-)")


def fix_document_number(core: str) -> str:
    """A document number with its Đ restored; unchanged unless it has digits and a slash."""
    if "/" not in core or not any(ch.isdigit() for ch in core):
        return core
    return _DOC_GROUP.sub(lambda m: _DOC_LETTERS.get(m.group(), m.group()), core)


def _vietnamese_only(ch: str) -> bool:
    """A letter outside Latin-1 (ơ, ư, ă, đ, ạ, ế, ...): Tesseract's English model never prints it."""
    return ch.isalpha() and 0x100 <= ord(ch) <= 0x1EFF


def apply_case(source: str, lower: str) -> str:
    letters = [ch for ch in source if ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return lower.upper()
    if source[:1].isupper() or (not source[:1].isalpha() and letters and letters[0].isupper()):
        return lower[:1].upper() + lower[1:]
    return lower


def digit_readings(core: str) -> set[str]:
    """The folded letters a token with digits may stand for ("161" -> {"loi", "ioi"}), or nothing
    when it is not a short word read as digits."""
    if not _DIGIT_WORD.fullmatch(core):
        return set()
    out = {""}
    for i, ch in enumerate(core):
        if ch.isdigit():
            options = (_FIRST_DIGIT if i == 0 else _INNER_DIGIT).get(ch, "")
        else:
            options = _INNER_DIGIT.get(ch, ch)
        out = {r + o for r in out for o in options}
    return {r for r in out if r}


@dataclass
class _Slot:
    line: int
    start: int
    source: str
    ids: np.ndarray  # candidate ids in the language model (0 = unknown word)
    forms: list[str]  # candidate forms, lower case; forms[0] is the token as printed
    channel: np.ndarray  # channel log-probabilities (identity carries the OOV penalty)
    min_confidence: float | None = None  # instead of Settings.min_confidence
    lower_inside: bool = False  # a same-shape capital inside a sentence: small letter if the word never takes one
    # the token is in capitals on a line mostly in small letters: a capital word whose marked vowel
    # the English model read as a capital letter ("SG Nội vụ", "SO Khoa học" = "Sở"), not a heading
    caps_in_text: bool = False


# --- gates and candidates that need no model (module functions: the repairer's class stays small) ---
def line_is_clean(cores: list[str]) -> bool:
    words = [c for c in cores if any(ch.isalpha() for ch in c)]
    marked = sum(any(_vietnamese_only(ch) for ch in c) for c in words)
    return bool(words) and marked >= 1 and marked >= 0.2 * len(words)


def line_in_capitals(cores: list[str]) -> bool:
    """A heading or title line printed in capitals ("CHẾ ĐỘ THÔNG TIN, BÁO CÁO"): at least half its
    words of two letters or more are capitals. A capital word on any other line is a capitalised
    word misread ("SG" = "Sở": ở read as a capital G or O)."""
    words = [c for c in cores if sum(ch.isalpha() for ch in c) >= 2]
    return bool(words) and sum(c.isupper() for c in words) >= 0.5 * len(words)


def plan_abbreviation(core: str, caps_line: bool) -> str | None:
    """A word in capitals inside running text that is an abbreviation ("KCN", "PCTT", "BQL các KCN"
    printed "BOL": the English model drops the tail of Q): as printed, or with that Q restored
    when so it is a known abbreviation (lang/lexicon); None for a word that may be a misread
    syllable (on a line in capitals, a well-formed syllable, two letters: "SG" = "Sở")."""
    if caps_line or len(core) < 3 or not core.isalpha() or not core.isupper():
        return None
    known = known_abbreviations()
    if core.lower() in known:
        return core
    for i, ch in enumerate(core):
        if ch == "O" and f"{core[:i]}Q{core[i + 1:]}".lower() in known:
            return f"{core[:i]}Q{core[i + 1:]}"
    return None if is_valid_syllable(core) else core


def abbreviation_repairs(line: int, piece: Piece, caps_line: bool) -> list[RepairedToken] | None:
    """None for a word that is no abbreviation (`plan_abbreviation`); else the repairs it needs:
    none when printed right, its Q restored ("BOL" → "BQL")."""
    abbreviation = plan_abbreviation(piece.core, caps_line)
    if abbreviation is None or abbreviation == piece.core:
        return None if abbreviation is None else []
    return [RepairedToken(line, piece.core_start, piece.core_start + len(piece.core), piece.core, abbreviation, 1.0)]


def number_may_be_word(pieces: list[Piece], i: int) -> bool:
    """A short number (2-3 digits) inside a sentence, between two lower-case words on its line,
    with no punctuation around it: "trả 161 phỏng vấn", "thông tin 601 ngoại". Whether it is a
    word is left to the language model (with a penalty and a high bar)."""
    p = pieces[i]
    if not (p.core.isdigit() and 2 <= len(p.core) <= 3) or p.prefix or p.suffix or not 0 < i < len(pieces) - 1:
        return False
    before, after = pieces[i - 1], pieces[i + 1]
    return (repairable(before.core) and before.core[:1].islower() and not before.suffix
            and repairable(after.core) and after.core[:1].islower() and not after.prefix)


def _title_word(core: str) -> bool:
    return len(core) > 1 and core.isalpha() and core[0].isupper() and core[1:].islower()


def in_name(pieces: list[Piece], i: int) -> bool:
    """A capitalised word beside another one: a proper name ("Ro Mah Tuan", "Ksor Phuoc"), a
    body's name ("Sé Y té") or a heading's words."""
    if not _title_word(pieces[i].core):
        return False
    return any(0 <= j < len(pieces) and _title_word(pieces[j].core) for j in (i - 1, i + 1))


def same_frame(o: str, forms: tuple[str, ...], channel: tuple[float, ...]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """In a name, only the candidates that keep the word's consonant frame (its vowels and marks
    may be misread: "Phuéc" = "Phước", "Gidm" = "Giám"): names of the ethnic minorities are not
    Vietnamese syllables ("Rơ Mah", "Ksor", "Kdoh") and the language model would otherwise give
    them a consonant they do not have ("Mah" = "Mạch"). English-model OCR misreads vowels and
    marks, and the letters the matching rules read back (a digit, "P" for "Đ"), not whole finals."""
    frame = skeleton(ocr_key(o))
    kept = [k for k in range(len(forms)) if k == 0 or skeleton(fold(forms[k])) == frame]
    return tuple(forms[k] for k in kept), tuple(channel[k] for k in kept)


def text_is_clean(text: str) -> bool:
    """Mostly clean Vietnamese (a third of its words carry a letter the English model cannot
    print): then a line without such letters ("Cà Mau, Kiên Giang") is still taken as clean
    unless it shows damage."""
    words = [w for w in text.split() if any(ch.isalpha() for ch in w)]
    marked = sum(any(_vietnamese_only(ch) for ch in w) for w in words)
    return bool(words) and marked >= 0.3 * len(words)


def accepted(item: _Slot, post: np.ndarray, k: int, st: Settings) -> int:
    """The candidate kept for a slot (0: the token as printed), from its local posterior `post`."""
    bar = st.min_confidence if item.min_confidence is None else item.min_confidence
    dominant = item.min_confidence is None and post[k] >= st.dominant_floor \
        and post[k] >= post.max() and post[k] >= st.dominant_ratio * post[0]
    return 0 if k != 0 and post[k] < bar and not dominant else k


def slot_form(item: _Slot, k: int) -> str:
    """The printed form of candidate `k` of a slot, in the case the source calls for."""
    if k == 0:
        return item.source
    if item.lower_inside and item.forms[k] in _NEVER_CAPITALISED_INSIDE:
        return item.forms[k]  # "Phối hợp Vo1 các" = "với": a same-shape capital misread
    if item.caps_in_text:
        return item.forms[k][:1].upper() + item.forms[k][1:]
    return apply_case(item.source, item.forms[k])


class OcrRepairer:
    def __init__(self, path: pathlib.Path | str = MODEL_PATH, settings: Settings | None = None,
                 scan_table: pathlib.Path | None = SCAN_TABLE_PATH) -> None:
        with np.load(path) as z:
            arrays = {k: z[k] for k in z.files}
        self.lm = TrigramLM(arrays)
        channel = json.loads(bytes(arrays["channel"]).decode())
        if scan_table is not None and scan_table.exists():
            for o, row in json.loads(scan_table.read_text(encoding="utf-8")).items():
                merged = channel["table"].setdefault(o, {})
                for syllable, count in row.items():
                    merged[syllable] = merged.get(syllable, 0) + count
        self.channel = Channel(channel)
        self.settings = settings or Settings()
        self.by_fold: dict[str, list[str]] = defaultdict(list)
        self.by_skeleton: dict[str, list[str]] = defaultdict(list)
        self.fold_of: dict[str, str] = {}
        for w in self.lm.vocab[5:]:
            if w.isalpha():
                f = self.fold_of[w] = fold(w)
                self.by_fold[f].append(w)
                self.by_skeleton[skeleton(f)].append(w)
        self.folded_forms = sorted(self.by_fold)
        self._candidates = lru_cache(maxsize=100_000)(self._make_candidates)

    # --- candidates ---------------------------------------------------------------------------
    def _make_candidates(self, o: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """Candidate syllables for one OCR token (lower case), best first by channel and unigram
        prior; the token itself always comes first."""
        key = ocr_key(o)
        pool: set[str] = set(self.channel.table.get(o, {}))
        for f in {key, fold(o)}:
            pool.update(self.by_fold.get(f, ()))
        for f, _dist, _ in process.extract(key, self.folded_forms, scorer=Levenshtein.distance,
                                           score_cutoff=1, limit=None):
            pool.update(self.by_fold[f])
        for s in self.by_skeleton.get(skeleton(key), ()):
            if Levenshtein.distance(self.fold_of[s], key) <= 2:
                pool.add(s)
        pool.discard(o)
        lm = self.lm
        # Cheap pre-ranking (C edit distance on both forms, unigram prior) before the weighted
        # edit distance, which is the expensive part; tokens seen in training always stay.
        seen = self.channel.table.get(o, {})
        fold_of = self.fold_of
        pre = sorted(pool, key=lambda s: (s not in seen, fold_of.get(s) != key,
                                          Levenshtein.distance(s, o) - 0.3 * lm.uni[lm.id(s)]))
        scored = sorted(((self._channel_with_rules(o, key, s) + PRIOR_WEIGHT * lm.uni[lm.id(s)], s)
                         for s in pre[:PRE_CANDIDATES]), reverse=True)
        keep = [s for _, s in scored[: self.settings.candidates - 1]]
        ident = self._channel_with_rules(o, key, o) if lm.id(o) else self.channel.logp(o, o)
        channel = [self._channel_with_rules(o, key, s) for s in keep]
        if lm.id(o) == 0:
            ident -= self.settings.oov_penalty
        return (o, *keep), (ident, *channel)

    @lru_cache(maxsize=64)  # noqa: B019 - a handful of symbols, the repairer lives for the process
    def _symbol_candidates(self, o: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """Candidates for a lone symbol ("¢", "&"): it stands for one short syllable, a vowel with
        marks and maybe one consonant before it, and says little about which ("¢" is "ở" as
        often as "có"): the most frequent such syllables near its reading, all equally likely
        under the channel, so the language model decides from the context."""
        key = ocr_key(o)
        pool = {s for f, forms in self.by_fold.items() if len(f) <= 2 and Levenshtein.distance(f, key) <= 1
                for s in forms if is_valid_syllable(s) and any(ch in "aeiouy" for ch in f)}
        lm = self.lm
        room = self.settings.candidates - 1
        # what the training pages showed the symbol for comes first ("ơ" in "s¢" = "sở"), then
        # the most frequent short syllables
        learnt = [s for s in self._candidates(o)[0][1:] if s in pool][: room // 2]
        keep = learnt + sorted(pool - set(learnt), key=lambda s: (-lm.uni[lm.id(s)], s))[: room - len(learnt)]
        ident = self.channel.logp(o, o) - self.settings.oov_penalty
        return (o, *keep), (ident, *([RULE_FLOOR] * len(keep)))

    def _channel_with_rules(self, o: str, key: str, s: str) -> float:
        """Channel score, floored where the project's OCR matching rules (lang/normalize:
        "dbi" -> "doi", "ctia" -> "cua", "Pang" -> "dang") read `o` as `s`'s letters: those rules
        describe real scans that the rendered training pages may not show (the tone stays for
        the language model to choose)."""
        score = self.channel.logp(o, s)
        if key != o and self.fold_of.get(s) == key:
            score = max(score, RULE_FLOOR)
        return score

    # --- gates --------------------------------------------------------------------------------
    def misread_word(self, core: str) -> bool:
        """A token `tokens.repairable` keeps as printed that real scans show is a misread word:
        a lone symbol standing for a syllable ("¢", "&" for "ở", "có": Tesseract's English model
        prints them for a small round vowel with marks), or a word whose first letters came out
        as digits ("16n" = "lớn", "14m" = "làm", "1&" = "lễ"). The digits case only when the
        token reads as the letters of a known syllable: "10ha", "15km", "16h" do not, and a
        number without letters ("2024", "601", "15/11/2024") is not one on its own (see
        `number_may_be_word` for a number between two words)."""
        if len(core) == 1:
            return core in LETTER_SYMBOLS
        if core.isdigit() or any(ch.isupper() for ch in core):
            return False  # "3C", "5G": capitals after digits are a code
        return bool(self._digit_candidates(core)[0][1:])

    @lru_cache(maxsize=4096)  # noqa: B019 - the repairer lives for the process
    def _digit_candidates(self, o: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """Candidates for a token with digits for letters: the known syllables its digit reading
        folds to, the ones training pages showed for it first, then by frequency; the language
        model chooses among them (the channel says little about the tone)."""
        readings = digit_readings(o)
        if not readings:
            return (o,), (0.0,)  # "15", "24": digits no letter looks like
        lm = self.lm
        seen = self.channel.table.get(o, {})
        pool = {s for r in readings for s in self.by_fold.get(r, ()) if is_valid_syllable(s)}
        pool.update(s for s in seen if is_valid_syllable(s))
        keep = sorted(pool, key=lambda s: (-seen.get(s, 0), -lm.uni[lm.id(s)], s))[: self.settings.candidates - 1]
        return (o, *keep), (0.0, *(max(self.channel.logp(o, s), RULE_FLOOR) for s in keep))

    def _split_glued_y(self, pieces: list[Piece], line: int, fixed: list[RepairedToken]) -> list[Piece]:
        """"S@Y té", "SOY té" = "Sở Y tế" printed without its space: no Vietnamese rhyme is "oy", so
        the Y is a word of its own. The word before it becomes its own piece, and the Y gets its
        space back (a fixed edit); everything else is as it was."""
        out = []
        for p in pieces:
            core = p.core
            if (len(core) >= 3 and core[-1] == "Y" and not is_valid_syllable(core)
                    and re.fullmatch(r"[a-z]+o", ocr_key(core[:-1].lower()))):
                y_start = p.core_start + len(core) - 1
                out.append(Piece(p.start, p.prefix, core[:-1], ""))
                out.append(Piece(y_start, "", core[-1], p.suffix))
                fixed.append(RepairedToken(line, y_start, y_start + 1, core[-1], " " + core[-1], 1.0))
            else:
                out.append(p)
        return out

    def _known_abbreviation(self, core: str) -> bool:
        """"UBND", "TW", "TT": capitals the corpus uses as they are and no syllable reads so."""
        lower = core.lower()
        return (len(core) > 1 and core.isalpha() and core.isupper() and self.lm.id(lower) != 0
                and not is_valid_syllable(lower))

    def line_is_damaged(self, cores: list[str]) -> bool:
        """Signs of the English model: a digit or symbol inside a word ("d6i", "s¢"), or many
        words no Vietnamese vocabulary knows ("ctia", "nudc")."""
        words = [c for c in cores if any(ch.isalpha() for ch in c) and repairable(c)]
        if any(not c.isalpha() and "'" not in c for c in words):
            return True
        unknown = sum(self.lm.id(word_symbol(c)) == 0 for c in words if len(c) > 1 and not c.isupper())
        return unknown >= max(1, 0.15 * len(words))

    def _line_is_foreign(self, cores: list[str]) -> bool:
        """A line of another language: most of its words are not Vietnamese syllables even after
        undoing OCR confusions (OCR'd Vietnamese keeps about 85 % valid)."""
        words = [ocr_key(c.lower()) for c in cores if c.isalpha() and len(c) > 1]
        if len(words) < 4:
            return False
        valid = sum(w in self.by_fold for w in words)
        return valid < 0.5 * len(words)

    # --- decoding -----------------------------------------------------------------------------
    def repair(self, text: str) -> RepairResult:
        lines = text.split("\n")
        doc_clean = text_is_clean(text)
        stream: list[_Slot | int] = []
        fixed: list[RepairedToken] = []
        lm = self.lm
        prev_stop = True
        for n, line in enumerate(lines):
            pieces = split_line(line)
            if not pieces:
                prev_stop = True
                continue
            cores = [p.core for p in pieces]
            passthrough = self.settings.line_gates and (line_is_clean(cores) or self._line_is_foreign(cores)
                           or (doc_clean and not self.line_is_damaged(cores)))
            if not passthrough:
                pieces = self._split_glued_y(pieces, n, fixed)
            first = pieces[0]
            if prev_stop or not first.core or first.prefix or first.core[:1].isdigit():
                stream.append(lm.id(BOUNDARY))
            glued_y = {t.start for t in fixed if t.line == n and t.repaired == " Y"}
            caps_line = line_in_capitals(cores)
            for i, p in enumerate(pieces):
                syms = lm_symbols(p)
                word = p.core and repairable(p.core) and p.core_start not in glued_y
                if not passthrough and p.core in LETTER_SYMBOLS and p.suffix.startswith(")"):
                    # a point's letter ("¢) Phối hợp"): the parser reads "¢)" as c) (docs/contract.md)
                    if p.core == "¢" and i <= 1:
                        fixed.append(RepairedToken(n, p.core_start, p.core_start + 1, p.core, "c", 1.0))
                elif not passthrough and number_may_be_word(pieces, i) and len(self._digit_candidates(p.core)[0]) > 1:
                    forms, ch = self._digit_candidates(p.core)
                    ids = np.array([lm.id(NUMBER), *(lm.id(f) for f in forms[1:])], dtype=np.int64)
                    channel = np.array([0.0, *(c - NUMBER_WORD_PENALTY for c in ch[1:])])
                    stream.append(_Slot(n, p.core_start, p.core, ids, list(forms), channel, NUMBER_WORD_CONFIDENCE))
                    syms = syms[1:]  # the slot is the number's symbol
                elif not passthrough and (kept := abbreviation_repairs(n, p, caps_line)) is not None:
                    fixed.extend(kept)  # an abbreviation: as printed (no syllable reads so), or its Q restored
                elif (not passthrough and p.core and (word or (len(pieces) > 1 and self.misread_word(p.core)))
                        and not any(map(_vietnamese_only, p.core)) and not self._known_abbreviation(p.core)):
                    o = unicodedata.normalize("NFC", p.core.lower())
                    if word:  # a name keeps its consonant frame (same_frame)
                        forms, ch = same_frame(o, *self._candidates(o)) if in_name(pieces, i) else self._candidates(o)
                    elif len(o) > 1:
                        forms, ch = self._digit_candidates(o)
                        ch = (self.channel.logp(o, o) - self.settings.oov_penalty, *ch[1:])
                    else:
                        forms, ch = self._symbol_candidates(o)
                    ids = np.array([lm.id(word_symbol(f)) for f in forms], dtype=np.int64)
                    # mid-sentence, whatever follows ("gửi Ve S¢ Thông tin" = "gửi về Sở Thông tin")
                    inside = (p.core[0] in _SAME_SHAPE_CAPITALS and p.core[1:] == p.core[1:].lower() and i > 0
                              and pieces[i - 1].core[:1].islower() and not pieces[i - 1].suffix and not p.prefix)
                    stream.append(_Slot(n, p.core_start, p.core, ids, list(forms), np.array(ch), lower_inside=inside,
                                        caps_in_text=p.core.isupper() and not caps_line))
                    # the slot is the word's symbol; what follows is its punctuation's
                    syms = syms[1:] if word else lm_symbols(Piece(p.start, p.prefix, "", p.suffix))
                elif not passthrough and p.core and (doc := fix_document_number(p.core)) != p.core:
                    fixed.append(RepairedToken(n, p.core_start, p.core_start + len(p.core), p.core, doc, 1.0))
                stream.extend(lm.id(s) for s in syms)
            prev_stop = bool(pieces) and lm_symbols(pieces[-1])[-1:] == [STOP]
        choice = self._beam(stream)
        return self._assemble(lines, stream, choice, fixed)

    def _beam(self, stream: list[_Slot | int]) -> dict[int, int]:
        lm, st = self.lm, self.settings
        b = lm.id(BOUNDARY)
        U = np.array([b])
        V = np.array([b])
        score = np.zeros(1)
        back: list[tuple[int, np.ndarray, np.ndarray]] = []  # (stream index, parent, candidate)
        for i, item in enumerate(stream):
            if isinstance(item, int):
                score = score + lm.score(U, V, np.int64(item))
                U, V = V, np.full_like(V, item)
                continue
            m = score[:, None] + lm.score(U[:, None], V[:, None], item.ids[None, :]) \
                + st.channel_weight * item.channel[None, :]
            flat = np.argsort(-m, axis=None)
            k = len(item.ids)
            parents, cands, seen = [], [], set()
            for f in flat[: st.beam * 4]:
                s, c = divmod(int(f), k)
                key = (int(V[s]), c)
                if key in seen:
                    continue
                seen.add(key)
                parents.append(s)
                cands.append(c)
                if len(parents) == st.beam:
                    break
            pa, ca = np.array(parents), np.array(cands)
            score = m[pa, ca]
            U, V = V[pa], item.ids[ca]
            back.append((i, pa, ca))
        best = int(np.argmax(score))
        choice: dict[int, int] = {}
        for i, pa, ca in reversed(back):
            choice[i] = int(ca[best])
            best = int(pa[best])
        return choice

    def _assemble(self, lines: list[str], stream: list[_Slot | int], choice: dict[int, int],
                  fixed: list[RepairedToken]) -> RepairResult:
        lm, st = self.lm, self.settings
        path = [item if isinstance(item, int) else int(item.ids[choice[i]]) for i, item in enumerate(stream)]
        b = lm.id(BOUNDARY)
        padded = [b, b, *path, b, b]
        slots = [i for i, item in enumerate(stream) if not isinstance(item, int)]
        tokens: list[RepairedToken] = []
        edits: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        if slots:
            # Local posterior of every candidate given the chosen neighbours, all slots at once.
            k_max = max(len(stream[i].ids) for i in slots)  # type: ignore[union-attr]
            cand = np.zeros((len(slots), k_max), dtype=np.int64)
            chan = np.full((len(slots), k_max), -np.inf)
            for r, i in enumerate(slots):
                item = stream[i]
                cand[r, : len(item.ids)] = item.ids  # type: ignore[union-attr]
                chan[r, : len(item.ids)] = item.channel  # type: ignore[union-attr]
            pos = np.array(slots) + 2
            arr = np.array(padded, dtype=np.int64)
            u, v, w1, w2 = (arr[pos + d][:, None] for d in (-2, -1, 1, 2))
            local = st.channel_weight * chan + lm.score(u, v, cand) + lm.score(v, cand, w1) + lm.score(cand, w1, w2)
            post = np.exp(local - local.max(axis=1, keepdims=True))
            post /= post.sum(axis=1, keepdims=True)
        for r, i in enumerate(slots):
            item = stream[i]
            assert isinstance(item, _Slot)
            k = choice[i]
            k = accepted(item, post[r], k, st)
            form = slot_form(item, k)
            tokens.append(RepairedToken(item.line, item.start, item.start + len(item.source),
                                        item.source, form, float(post[r, k])))
            if form != item.source:
                edits[item.line].append((item.start, item.start + len(item.source), form))
        for t in fixed:
            edits[t.line].append((t.start, t.end, t.repaired))
        tokens = sorted(tokens + fixed, key=lambda t: (t.line, t.start))
        out = list(lines)
        for n, changes in edits.items():
            line = out[n]
            for start, end, form in sorted(changes, reverse=True):
                line = line[:start] + form + line[end:]
            out[n] = line
        return RepairResult("\n".join(out), tokens)


@lru_cache(maxsize=2)
def load_repairer(path: str = str(MODEL_PATH)) -> OcrRepairer:
    return OcrRepairer(path)
