"""The signature block of a Decree 30/2020/NĐ-CP document: the signer's authority chain
("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH") and name, read through OCR damage."""


import re

from index.header import WORD, flat_tokens, is_upper, upper_word, words_of
from lang.normalize import match_tokens

# --- signature ----------------------------------------------------------------------------------
_AUTHORITY = {
    ("kt",): "KT.", ("tm",): "TM.", ("tl",): "TL.", ("tuq",): "TUQ.", ("q",): "Q.",
}
_TITLES = {
    ("pho", "chu", "tich"): "PHÓ CHỦ TỊCH", ("chu", "tich"): "CHỦ TỊCH",
    ("pho", "giam", "doc"): "PHÓ GIÁM ĐỐC", ("giam", "doc"): "GIÁM ĐỐC",
    ("pho", "truong", "ban"): "PHÓ TRƯỞNG BAN", ("truong", "ban"): "TRƯỞNG BAN",
    ("chanh", "van", "phong"): "CHÁNH VĂN PHÒNG", ("pho", "chanh", "van", "phong"): "PHÓ CHÁNH VĂN PHÒNG",
    ("uy", "ban", "nhan", "dan"): "ỦY BAN NHÂN DÂN", ("ubnd",): "ỦY BAN NHÂN DÂN",
}
_TITLE_STARTS = frozenset(key[0] for key in _TITLES)
# a syllable of a personal name; one capital alone is one too ("Giàng A Tính", "Lò Văn A"). OCR
# prints a marked small letter shaped like its capital as that capital ("Đỗ" → "DO", "Võ" → "VO")
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ](?:[a-zđà-ỹ]+|[OCSVWXZ])?[.,;]?$")
# two columns of one printed line are set apart by a run of spaces
COLUMN_GAP = re.compile(r"\s{2,}|\t")

# the commonest Vietnamese family names (folded): a name OCR ran into the recipients' column
_FAMILY_NAMES = {"nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho",
                 "ngo", "duong", "ly", "lo", "giang", "nong", "ha", "trinh", "dinh", "lam", "mai", "cao", "luong",
                 "ta", "quach", "chu", "doan", "to", "kieu", "truong", "luu", "thai", "vuong", "tong", "khuat"}


def read_signature(lines: list[str], after: int) -> tuple[str | None, str | None]:
    """(authority, signer) from the first signature block after line `after`: "TM. ỦY BAN NHÂN
    DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" then the name. Only capitals count as authority, so the
    recipients' "Chủ tịch, các Phó Chủ tịch UBND tỉnh" is not one."""
    for i in range(after, len(lines)):
        chain = _authority_chain(lines[i])
        if not chain:
            continue
        prefixed = any(c.startswith(("KT.", "TM.", "TL.", "TUQ.", "Q.")) for c in chain)
        bare = " ".join(match_tokens(lines[i])) in {" ".join(k) for k in _TITLES}
        if not prefixed and not bare and _name_after(lines[i]) is None:
            continue  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …" opens a decision; it does not sign one
        parts = list(chain)
        signer = _name_after(lines[i])
        for line in lines[i + 1 : i + 30]:
            if signer:
                break
            more = _authority_chain(line)
            parts += [c for c in more if c not in parts]
            if (not line.strip() or line.strip().startswith(("-", "—", "+"))) and not more:
                # "- UBND các xã, phường;          Lê Thị Minh Hạnh": the recipients' column beside
                # the signature's, the signer's name in the right one
                cells = COLUMN_GAP.split(line.strip())
                if len(cells) > 1:
                    signer = _name_only(cells[-1].strip())
                elif line.strip().startswith("-"):
                    # an OCR'd copy runs the columns together with one space: a name that opens
                    # with a family name ends the line ("- UBND các xã, đặc khu; Lê Thị Minh Hạnh")
                    name = _name_after(line)
                    if name and match_tokens(name.split()[0])[:1] and match_tokens(name.split()[0])[0] in _FAMILY_NAMES:
                        signer = name
                continue
            signer = _name_after(line) if more else _name_only(line)
        if not any(("CHỦ TỊCH" in p or "GIÁM ĐỐC" in p or "TRƯỞNG" in p or "VĂN PHÒNG" in p) for p in parts):
            continue
        return " / ".join(parts), signer
    return None, None


def _authority_chain(line: str) -> list[str]:
    # A title counts only where its words are (mostly) capitals, so a line none of whose words is
    # mostly capitals names none: most body lines are skipped before their words are tokenized.
    if not any(upper_word(w) for w in WORD.findall(line) if not w.islower()):
        return []
    words = words_of(line)
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w.key in ("kt", "tm", "tl", "tuq") and w.text[:1].isupper() and (w.text.endswith((".", ",")) or w.text.isupper()):
            prefix = _AUTHORITY[(w.key,)]
            j = i + 1
            for n in (4, 3, 2, 1):
                key = tuple(flat_tokens(words[j : j + n]))
                if key in _TITLES and is_upper(" ".join(x.text for x in words[j : j + n])):
                    out.append(f"{prefix} {_TITLES[key]}")
                    i = j + n
                    break
            else:
                # "TM. BAN CHỈ ĐẠO", "TM. HỘI ĐỒNG": a collegial body signs through its head; the
                # body is any capitals that follow the prefix, not one of the titles
                rest = " ".join(x.text for x in words[j:])
                if rest and is_upper(rest) and len(words) - j <= 8:
                    out.append(f"{prefix} {rest.upper()}")
                    i = len(words)
                else:
                    i += 1
            continue
        if w.tokens and w.tokens[0] not in _TITLE_STARTS:
            i += 1  # no title starts with this word
            continue
        for n in (4, 3, 2, 1):
            key = tuple(flat_tokens(words[i : i + n]))
            if key in _TITLES and key != ("ubnd",) and is_upper(" ".join(x.text for x in words[i : i + n])):
                if _TITLES[key] != "ỦY BAN NHÂN DÂN":
                    out.append(_TITLES[key])
                i += n
                break
        else:
            i += 1
    return out


def _name_after(line: str) -> str | None:
    """The personal name at the end of a line that ends a signature ("… PHÓ CHỦ TỊCH Nguyễn Văn A")."""
    words = line.split()
    name: list[str] = []
    for w in reversed(words):
        if _NAME_WORD.match(w):
            name.insert(0, w.rstrip(".,;"))
        else:
            break
    return " ".join(name) if 2 <= len(name) <= 5 else None


def _name_only(line: str) -> str | None:
    words = line.split()
    if 2 <= len(words) <= 5 and all(_NAME_WORD.match(w) for w in words):
        return " ".join(w.rstrip(".,;") for w in words)
    return None


