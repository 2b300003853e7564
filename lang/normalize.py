"""Text normalisation for Vietnamese plans, clean or OCR'd.

Three forms of every text exist side by side:
- the display form: NFC, invisible characters removed, otherwise verbatim (quotes come from it);
- the folded form: lower case, diacritics removed, đ → d (what users type without accents);
- the matching form: folded, then OCR confusions undone token by token, plus a vowel skeleton.

Word segmenters and accent restorers are trained on clean accented text and fail on OCR output,
so matching works on syllables and skeletons instead (see STACK.md / DESIGN.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

# Zero-width and bidi controls survive copy/paste from Word and web pages; they split words.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Form feed (\x0c) is kept: it separates pages (pdftotext, index/readers), and chunks count it for
# their page number. It is whitespace to every regex here and to str.strip().
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_INVISIBLE_OR_CONTROL = re.compile(f"{_INVISIBLE.pattern}|{_CONTROL.pattern}")
_WS = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """NFC, unified newlines, no invisible or control characters but the page break (form feed).
    Keeps everything else verbatim."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _INVISIBLE_OR_CONTROL.search(text):  # one scan for the usual text that has neither
        text = _INVISIBLE.sub("", text)
        text = _CONTROL.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def collapse_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


# Texts read while one plan is ingested: its parsing, facts and register read the same lines and
# sentences several times over. A scope (see `text_memo`) remembers what `fold`, `match_tokens`
# (and readers built on them, see `memo_table`) made of each; it is dropped when the scope ends, so
# memory is bounded by one plan.
_MEMO: ContextVar[defaultdict[str, dict] | None] = ContextVar("text_memo", default=None)
_MEMO_LIMIT = 200_000  # entries per table: a pathological plan clears its table rather than grow it


@contextmanager
def text_memo() -> Iterator[None]:
    """Within this block (this thread or task only) `fold` and `match_tokens` read each text once."""
    token = _MEMO.set(defaultdict(dict))
    try:
        yield
    finally:
        _MEMO.reset(token)


def memo_table(name: str) -> dict | None:
    """The current `text_memo` scope's table `name` (text → what a pure function made of it), or
    None outside a scope. The caller stores only values it never mutates."""
    memo = _MEMO.get()
    if memo is None:
        return None
    table = memo[name]
    if len(table) >= _MEMO_LIMIT:
        table.clear()
    return table


def remembered(name: str, read, text: str):
    """read(text), remembered in the current `text_memo` scope's table `name` (read is pure and its
    result never mutated); outside a scope, read(text)."""
    table = memo_table(name)
    if table is None:
        return read(text)
    try:
        return table[text]
    except KeyError:
        value = table[text] = read(text)
        return value


def fold_char(ch: str, *, compatibility: bool = False) -> str:
    """One character folded: lower case, diacritics dropped, đ → d (NFD does not decompose it).
    The one folding of the project: `fold` reads text with it through a table. `compatibility`
    also folds compatibility forms (full-width and styled letters: "ｉｇｎｏｒｅ" = "ignore"), drops
    invisible format characters and stray combining marks and makes every space " ": what the
    injection scan needs to see through a disguise, while the index keeps such characters."""
    if compatibility and unicodedata.category(ch) in ("Cf", "Mn"):
        return ""  # zero-width, bidi controls, stray combining marks (NFD input)
    piece = unicodedata.normalize("NFKD" if compatibility else "NFD", ch).lower().replace("đ", "d")
    kept = (c for c in piece if not unicodedata.combining(c))
    return "".join(" " if compatibility and c.isspace() else c for c in kept)


class _FoldedChars(dict):
    """Each character's folded form, computed on first sight: lower-cased NFC text folds character
    by character (NFD only reorders the combining marks that folding drops), and a plan uses a few
    hundred distinct characters."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


_FOLDED_CHARS = _FoldedChars()


def fold(text: str) -> str:
    """Lower case without diacritics; đ is mapped explicitly because NFD does not decompose it."""
    return remembered("fold", _fold, text)


def _fold(text: str) -> str:
    return clean_text(text).lower().replace("đ", "d").translate(_FOLDED_CHARS)


# --- OCR confusions -------------------------------------------------------------------------
# Each rule is named so the eval can switch rules off and measure what each one contributes.
# They describe how an English OCR model reads Vietnamese letters, not any one file:
# "ố" → "6"/"b"/"d", "ơ" → "¢"/"&"/"@", "ư" → "w"/"ir", "Đ" → "P", "ủ" → "ti"/"ii".

_TOKEN = re.compile(r"[a-z0-9¢&@§$€¥]+")
_VOWELS = "aeiouy"
# Function words whose OCR shapes are too damaged for character rules.
_WHOLE_TOKEN = {
    "ctia": "cua", "cta": "cua", "ciia": "cua", "cia": "cua", "cila": "cua",
    "tir": "tu", "1a": "la", "13": "la", "v6i": "voi", "vdi": "voi", "vol": "voi",
    # "Sở" and "số" both fold to "so"; OCR gives "sé", "s&", "sb", "s6"
    "se": "so",
    # a lone capital before a name lost its vowel: "S Ngoại vụ" = "Sở", "B Chỉ huy" = "Bộ"
    "s": "so", "b": "bo",
    # "xã" printed without its vowel: "Bao hiém x h6i" = "Bảo hiểm xã hội", "cac x, phuong" = "các xã,
    # phường"; no Vietnamese word is a bare small "x" (a capital X is a Roman numeral: left alone)
    "x": "xa",
    # "ứng" with no onset printed "tng" ("tng dung" = "ứng dụng", "tng pho" = "ứng phó"): the t is
    # the "ư", not an onset (no syllable "tưng" in the genre); capitals "TNG" stay an abbreviation
    "tng": "ung",
}
_SYMBOL_VOWEL = str.maketrans({"¢": "o", "@": "o", "§": "o", "&": "e", "€": "e", "¥": "y", "$": "s"})
_DIGIT_VOWEL = str.maketrans({"0": "o", "6": "o", "9": "o", "3": "a", "4": "a", "8": "e"})

OCR_RULES: tuple[str, ...] = (
    "whole_token", "symbols", "digits", "initial_p", "double_i", "ir_w", "inner_bd", "one", "glued_y", "ue_uo",
    "t_for_u", "capital_g", "e_for_o", "ae_a",
)

# "ố"/"ổ"/"ớ"/"ó" with their marks stacked read as "é": "phéi" = "phối", "vei" = "với", "héa" = "hóa",
# "Céng" = "Công", "cé" = "có". Only where no clean syllable can be: no rhyme is "ei" or "ea", and
# "c" and "ng" never stand before "e" (the spelling is "k", "ngh"; "g" is left: the loanword "gen").
_E_FOR_O = re.compile(r"^(?:(ngh|nh|ch|gh|gi|kh|ph|th|tr|[bdhlmnrstvx])e([ia])|(ng|c)e(ng|nh|ch|[cmnpt])?)$")

# The same "ố" before a final "c": "Giám déc" = "đốc", "quéc" = "quốc", "téc độ" = "tốc", "géc" = "gốc",
# or printed with its o kept ("d6éc", "nuoéc", "truoéc"). The genre's clean text has no "éc" after
# these onsets (only the loanwords "séc", "véc tơ", "héc ta", whose onsets are left out), and no
# rhyme is "oec".
_EC_FOR_OC = re.compile(r"^(ngh|nh|ch|gh|gi|kh|ph|th|tr|qu|[bdglnrtx])ec$|^([a-z]*[a-z]o)ec$")

# "ở"/"ờ"/"ớ" (o with horn and tone) is tall enough that the English model reads it as a capital
# "G": "SG Nội vụ" = "Sở", "LG mồm" = "Lở", "cơ sG" = "sở". No syllable is an onset and "g" alone,
# and a clean abbreviation of that shape ("NG", "KG") is left out with its onset.
_CAPITAL_G_FOR_O = re.compile(r"^(ch|kh|nh|ph|th|tr|[bcdhlmstvx])g$")

# "ươ"/"uô" printed "ué" ("truéc" = "trước", "nuéc" = "nước", "huéng" = "hướng", "thuéc" = "thuốc"):
# "uê" ends a syllable or takes only "ch"/"nh" ("thuê", "khuếch", "huênh"); after "q" the u is the
# onset's ("quen", "quét"). So "ue" before another final is the horned or hatted "uo".
_UE_FOR_UO = re.compile(r"^((?!q)[a-z]*u)e(ng|[cimnptu])$")

# No Vietnamese rhyme is "oy": "soy" is "Sở Y" ("Sở Y tế") printed without its space ("SOY té", "S@Y").
_GLUED_Y = re.compile(r"^([a-z]+o)y$")


# "ư"/"ủ"/"ứ" printed "t", "tt" or "tr" between an onset and a final, leaving no vowel at all:
# "cht tri" = "chủ trì", "chttc"/"chtrc" = "chức", "ctr" = "cứ", "xt ly" = "xử lý", "rtrng" = "rừng".
# Only a lowercase token with no vowel letter left: clean syllables always keep one, and
# abbreviations are capitals ("CT") or mixed case ("TTr").
_T_FOR_U = re.compile(r"^(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|[bcdghklmnrstvx])(?:ttr|tt|tr|t)(ch|ng|nh|[cmnpt])?$")
# The same "ư" printed "v" or "it" before a final ("rvng", "ritng" = "rừng", "nhitng" = "những"):
# "it" already ends in a final, so no clean syllable goes on after it, and "v" is no vowel.
# The rhyme "ưa" ("cửa", "sửa", "giữa", "chữa", "ngừa", "lửa") printed "tra", "tta" or "iva" after
# an onset ("ctra khẩu", "chtra cháy", "gitra"), and "ua" with its grave or hook printed "uta"/"tia"
# ("muta khô", "mtia" = "mùa"); "ữa"/"ừa" printed "ita" too ("chita" = "chữa", "ngita" = "ngừa").
# No clean syllable has "t" right after a consonant onset other than "t"/"tr" (left out: "tra",
# "tia" stay), nor the rhymes "iva", "uta", "ita".
_UA_PRINTED_TRA = re.compile(r"^(ngh|ng|nh|ch|gh|gi|kh|ph|th|[bcdghklmnrsvx])(?:ttr|tt|tr|iv|it|ut|ti)a$")
# The rhyme "ưi" ("gửi", "ngửi") printed "ti"/"tti" after an onset ("gti bdo cdo" = "gửi báo cáo"): no
# clean syllable has "t" right after a consonant onset other than "t"/"tr" (left out: "ti", "tri" stay).
_UI_PRINTED_TI = re.compile(r"^(ngh|ng|nh|ch|gh|kh|ph|[bcdghklmnrsvx])tt?i$")
_V_IT_FOR_U = re.compile(r"^(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|[bcdghklmnrstvx])(?:v|it)(ch|ng|nh|[cmnpt])$")


# "ă"/"â" with a tone mark printed "aé" ("phaém" = "phẩm", "naém" = "năm", "ngaén" = "ngăn",
# "toaén" = "toàn", "xuaét" = "xuất"): no Vietnamese rhyme holds "ae", so after an onset the "aé"
# (and "aéa") is one a. A token opening on "ae" ("Aedes") is left as it is.
_AE_FOR_A = re.compile(r"^((?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnrstvx])[ou]?)aea?(ch|ng|nh|[cmnpty])$")


_D_FOR_A = re.compile(r"^(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|[cghklmnrstvx])d(ch|nh|[cmn])$")


# an onset of two letters, the a/â of "ao"/"au" printed as b/d, then the o/u ("Gido" = "Giáo")
_TWO_LETTER_ONSET_D_VOWEL = re.compile(r"^(?:ch|gh|gi|kh|ng|nh|ph|th|tr)[bd][ou]$")


def _split_glued(token: str) -> tuple[str, ...]:
    m = _GLUED_Y.match(token)
    return (m.group(1), "y") if m else (token,)


# onset, a b/d where the vowel should be, then a syllable-final consonant: a syllable, not an abbreviation
_MISREAD_VOWEL = re.compile(r"^(?:ch|gh|gi|kh|ngh|ng|nh|ph|th|tr|[cghklmnrstvx])[bd](?:ch|ng|nh|[cmnpt])?$")


def _ocr_token(token: str, rules: frozenset[str], abbreviation: bool = False, mixed_case: bool = False) -> str:
    if token.isdigit():
        return token
    if "symbols" in rules:
        token = token.translate(_SYMBOL_VOWEL)
    # a lone small "b" is a point's label ("b) Công an huyện …"), not "Bộ" that lost its vowel (a lone
    # small "s" is still "sở": "Các s, ban, ngành"; no point runs to "s)")
    if "whole_token" in rules and token in _WHOLE_TOKEN and (token != "b" or abbreviation) \
            and (token not in ("x", "tng") or not abbreviation):
        return _WHOLE_TOKEN[token]
    if "capital_g" in rules and (abbreviation or mixed_case) and _CAPITAL_G_FOR_O.match(token):
        return token[:-1] + "o"
    if "one" in rules and "1" in token:
        # "1am" = "làm" (l at the start), "d01" = "đối" (i elsewhere)
        token = ("l" + token[1:] if token[0] == "1" else token).replace("1", "i")
        if token.startswith("ll"):
            token = token[1:]  # "1lén" = "lên": the l printed twice, once as 1 (no onset is "ll")
    if "digits" in rules:
        digits = token.translate(_DIGIT_VOWEL)
        # "S06" = "Số", "HO6" = "Hỗ": the vowel printed, then its marks read as a digit. No
        # Vietnamese rhyme is a bare "oo" (only "oong", "ooc"), so the doubled vowel is one.
        if digits != token and digits.endswith("oo") and len(digits) > 2 and not token.endswith(("00", "0")):
            digits = digits[:-1]
        token = digits
    if "initial_p" in rules and token.startswith("p") and not token.startswith("ph"):
        token = "d" + token[1:]  # Vietnamese has no bare "p" onset in native words: "Pang" = "Đảng"
    if "double_i" in rules:
        token = token.replace("ii", "u").replace("cti", "cu")
    if "ir_w" in rules:
        token = token.replace("ir", "u").replace("w", "u")
    # "ttdn", "hdnd" are abbreviations; "ndm", "tdng" are "năm", "tổng" with the vowel misread as d
    vowelless = len(token) >= 3 and not any(v in token for v in _VOWELS) and not _MISREAD_VOWEL.match(token)
    if "t_for_u" in rules and not abbreviation and not mixed_case and not any(v in token for v in _VOWELS):
        m = _T_FOR_U.match(token)
        if m:
            return m.group(1) + "u" + (m.group(2) or "")
    if "t_for_u" in rules and not abbreviation and not mixed_case:
        m = _V_IT_FOR_U.match(token)
        if m:
            return m.group(1) + "u" + m.group(2)
        m = _UA_PRINTED_TRA.match(token)
        if m:
            return m.group(1) + "ua"
        m = _UI_PRINTED_TI.match(token)
        if m:
            return m.group(1) + "ui"
    if "inner_bd" in rules and len(token) > 1 and not abbreviation and not vowelless:
        # b and d are onsets only: inside a syllable they are misread vowels ("dbi", "ngudi", "sb").
        # "dé", "de" inside a word is one vowel with marks ("phdéi" = "phối", "trudéc" = "trước")
        inner = re.sub(r"[bd]", "o", re.sub(r"(?<=[a-z])[bd]e(?=[icnmtu])", "o", token[1:]) if len(token) > 3 else token[1:])
        if inner != token[1:] and inner.endswith(("oo", "ou")) and len(token) == 3:
            # "bdo cdo" = "báo cáo", "ddu" = "đầu": before o/u the misread vowel is a/â (no rhyme
            # is a bare "oo" or "ou")
            inner = inner[0].replace("o", "a") + inner[1:] if token[1] in "bd" else inner
        elif inner != token[1:] and _TWO_LETTER_ONSET_D_VOWEL.match(token):
            # the same after a two-letter onset: "Gido dục" = "Giáo dục", "thdo" = "thảo"
            inner = inner[:-2] + "a" + inner[-1]
        if (d_for_a := _D_FOR_A.match(token)) is not None:
            # "d" between an onset and -c, -ch, -m, -n, -nh is "á"/"a" (the acute glued to the a's
            # bowl): "cdc" = "các", "Gidm" = "Giám", "sdch" = "sách", "ndm" = "năm"; measured on the
            # OCR'd blind plans against their clean twins, that d was a in 650 words and o in none
            # ("b", and "d" before -p, -ng or no final, stay "o": "ldp" = "lớp", "Sd" = "Sở")
            inner = f"{d_for_a.group(1)}a{d_for_a.group(2)}"[1:]
        token = token[0] + inner
        if token.endswith("uoe"):  # "trude" → "truoe": no syllable ends so; it is "trước"
            token = token[:-1] + "c"
    if "ae_a" in rules:
        token = _AE_FOR_A.sub(r"\1a\2", token)
    if "ue_uo" in rules:
        token = _UE_FOR_UO.sub(r"\1o\2", token)
    if "e_for_o" in rules and not abbreviation and not mixed_case:
        m = _E_FOR_O.match(token)
        if m:
            token = f"{m.group(1)}o{m.group(2)}" if m.group(1) else f"{m.group(3)}o{m.group(4) or ''}"
        m = _EC_FOR_OC.match(token)
        if m:
            token = f"{m.group(1) or m.group(2)[:-1]}oc"
    return token


_ALL_RULES = frozenset(OCR_RULES)


@lru_cache(maxsize=200_000)
def _ocr_token_cached(token: str, abbreviation: bool, mixed_case: bool = False) -> str:
    return _ocr_token(token, _ALL_RULES, abbreviation, mixed_case)


def match_tokens(text: str, rules: Iterable[str] | None = None) -> list[str]:
    """Folded, OCR-repaired syllables of a text, in order.

    All-capital short tokens ("UBND", "HĐND", "TTTT") are abbreviations: their inner b/d are real.
    """
    if rules is None:
        memo = _MEMO.get()
        if memo is None:
            return _all_rule_tokens(text)
        table = memo["match_tokens"]
        done = table.get(text)
        # a list of its own: callers may extend it
        return list(done) if done is not None else list(_remembered_tokens(table, text))
    active = frozenset(rules)
    out: list[str] = []
    for raw in _TOKEN_WITH_CASE.findall(_without_inner_apostrophes(text)):
        abbreviation = raw.isupper() and len(raw) <= 6
        mixed_case = _mixed_case(raw)
        for token in _TOKEN.findall(fold(raw)):
            repaired = _ocr_token(token, active, abbreviation, mixed_case)
            out.extend(_split_glued(repaired) if "glued_y" in active else (repaired,))
    return out


def _remembered_tokens(table: dict[str, tuple[str, ...]], text: str) -> tuple[str, ...]:
    done = table.get(text)
    if done is None:
        if len(table) >= _MEMO_LIMIT:
            table.clear()
        if "\n" in text:
            # line by line, each line remembered: a chunk's text, its headings and its search text
            # are made of lines already read. The same tokens: no token spans a line break, and
            # what cleaning and the apostrophe rule do next to one leaves the tokens as they are.
            tokens: list[str] = []
            for line in text.split("\n"):
                found = table.get(line)
                tokens.extend(found if found is not None else _remembered_tokens(table, line))
            done = tuple(tokens)
        else:
            done = tuple(_all_rule_tokens(text))
        table[text] = done
    return done


def _without_inner_apostrophes(text: str) -> str:
    # OCR prints the horn of ư/ơ as an apostrophe inside the word: "THU'C" = "THỰC", "S6'" = "Sở"
    text = clean_text(text)
    if "'" in text or "’" in text or ";" in text:  # what the pattern removes (most lines have none)
        text = _INNER_APOSTROPHE.sub("", text)
    return text


def _all_rule_tokens(text: str) -> list[str]:
    return [token for raw in _TOKEN_WITH_CASE.findall(_without_inner_apostrophes(text))
            for token in _raw_tokens_cached(raw)]


@lru_cache(maxsize=200_000)
def _raw_tokens_cached(raw: str) -> tuple[str, ...]:
    """The repaired tokens of one printed word with every rule on: a plan's vocabulary is small
    and every ingest, register build and question re-reads it, so each word is folded once."""
    abbreviation = raw.isupper() and len(raw) <= 6
    mixed_case = _mixed_case(raw)
    return tuple(part for token in _TOKEN.findall(fold(raw))
                 for part in _split_glued(_ocr_token_cached(token, abbreviation, mixed_case)))


def _mixed_case(raw: str) -> bool:
    """Capitals inside a word that is not all capitals ("TTr" of "TTr-SYT"): an abbreviation, not a syllable."""
    return any(ch.isupper() for ch in raw[1:]) and not raw.isupper()


_INNER_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['’;](?=[^\W\d_])|(?<=[^\W_])['’](?=\s)")
_TOKEN_WITH_CASE = re.compile(r"[^\s\-/.,;:()\[\]\"'“”‘’!?]+")


_VOWEL_RUN = re.compile(f"[{_VOWELS}]+")


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Consonant frame of a syllable with its vowels collapsed: robust to misread vowels."""
    return _VOWEL_RUN.sub("*", token)


def search_terms(tokens: list[str]) -> list[str]:
    """Terms indexed for lexical search: syllables, syllable bigrams and skeleton bigrams."""
    terms = list(tokens)
    terms.extend(f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False))
    skel = [skeleton(t) for t in tokens]
    terms.extend(f"~{a}_{b}" for a, b in zip(skel, skel[1:], strict=False))
    return terms


def matching_form(text: str) -> str:
    """The matching form as one string: folded, OCR-repaired syllables joined by spaces."""
    return " ".join(match_tokens(text))


# Question words and function syllables that carry no topic (folded). Kept short on purpose:
# agency words such as "so" (Sở) and "ban" are content in this genre.
STOPWORDS = frozenset(
    ["a", "ai", "bao", "cac", "cai", "can", "chi", "dau", "nao", "cho", "co", "cua", "da", "dang", "day", "de", "den", "do", "duoc", "gi", "gio", "ha", "hay", "hoi", "khi", "khong", "la", "lam", "luc", "ma", "minh", "moi", "mot", "nao", "nay", "neu", "nhu", "nhung", "nhieu", "o", "phai", "ra", "roi", "sao", "se", "tai", "thi", "the", "theo", "thoi", "tren", "trong", "tu", "va", "ve", "voi", "vay", "viec", "duoi", "toi", "sanh", "khac", "nhau", "giong", "please", "what", "which", "who", "when", "where", "how", "is", "are", "the", "of", "to", "and", "in", "for", "on", "by"]
)


# Abbreviations officials type; the plans mostly spell the words out (OCR'd plans always do).
ABBREVIATIONS = {
    "ttdn": "thông tin đối ngoại", "tttt": "thông tin và truyền thông", "ubnd": "ủy ban nhân dân",
    "hdnd": "hội đồng nhân dân", "vhttdl": "văn hóa thể thao và du lịch", "mtqg": "mục tiêu quốc gia",
    "bcd": "ban chỉ đạo", "khdt": "kế hoạch và đầu tư", "tnmt": "tài nguyên và môi trường",
    "ldtbxh": "lao động thương binh và xã hội", "bdbp": "bộ đội biên phòng", "chqs": "chỉ huy quân sự",
    "kcn": "khu công nghiệp", "ktxh": "kinh tế xã hội", "tmdt": "thương mại điện tử",
    "nnmt": "nông nghiệp và môi trường", "khcn": "khoa học và công nghệ", "gddt": "giáo dục và đào tạo",
    "kv": "khu vực", "nhnn": "ngân hàng nhà nước",
    # school levels, the senders of education and school-health plans' reporting lines
    "thpt": "trung học phổ thông", "thcs": "trung học cơ sở",
}

# An abbreviation typed in parts ("VH,TT&DL", "LĐ-TB&XH", "NN&MT") or glued to its number ("KV14"):
# folded whole, "&" reads as the OCR'd "ơ" and the digits as OCR'd letters, giving junk syllables
# ("ttedl", "kvia") that no plan has and that outweigh the question's real words.
_ABBREVIATION_IN_PARTS = re.compile(
    r"(?<![\w&])([A-ZĐ]{1,6}(?:\s?[,&-]\s?[A-ZĐ]{1,6})+|[A-ZĐ]{1,6}(?=\d{1,3}\b))(\d*)(?![\w&])",
    # typed in small letters too ("phong gd&dt", "kv14" in a chat): only a known abbreviation's
    # letters are spelled out, so a word pair such as "te - xa" stays as it is
    re.IGNORECASE)


def _spell_parts(match: re.Match[str]) -> str:
    letters = fold(re.sub(r"[^A-ZĐ]", "", match.group(1).upper()))
    spelled = ABBREVIATIONS.get(letters)
    if spelled is None:
        return match.group(0)
    return f"{spelled} {match.group(2)}" if match.group(2) else spelled


# How officials phrase a question vs how plans phrase the answer (folded phrase → plan wording).
SYNONYMS = {
    "nop": "gửi", "han chot": "trước ngày thời hạn", "han nop": "trước ngày", "thoi han": "trước ngày",
    "deadline": "trước ngày", "gui cho": "gửi về", "nhan bao cao": "gửi về", "kinh phi": "ngân sách",
    "ngan sach": "kinh phí", "phu trach": "chủ trì", "dau moi": "chủ trì", "ho tro": "phối hợp",
    # "định kỳ nào?" asks for a recurrence: the plans write it as one of these
    "dinh ky nao": "hằng năm hằng quý hằng tháng 6 tháng", "bao lau mot lan": "hằng năm hằng quý hằng tháng",
    "nguoi co anh huong": "KOL KOLs", "nguoi anh huong": "KOL KOLs",
}


def expand_abbreviations(text: str) -> str:
    """The question with the spelled-out forms of its abbreviations, and the plans' wording of its
    common phrasings, appended (for matching only)."""
    # spelled out in place, not appended: the junk syllables of its parts must not stay behind
    text = _ABBREVIATION_IN_PARTS.sub(_spell_parts, text)
    tokens = match_tokens(text)
    extra = [ABBREVIATIONS[t] for t in dict.fromkeys(tokens) if t in ABBREVIATIONS]
    joined = f" {' '.join(tokens)} "
    extra += [plan_words for phrase, plan_words in SYNONYMS.items() if f" {phrase} " in joined]
    return f"{text} ({'; '.join(extra)})" if extra else text


def content_tokens(text: str) -> list[str]:
    return [t for t in match_tokens(text) if t not in STOPWORDS and len(t) > 1]
