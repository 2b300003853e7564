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
    found = _block(lines, after)
    return (found[0], found[1]) if found else (None, None)




def read_signatures(lines: list[str], after: int) -> list[tuple[str, str | None]]:
    """Every signature block of the document's end, (authority, signer) in print order: a joint
    plan (KHLN, KHLT) is signed by the head of each issuing body. Blocks printed side by side
    ("KT. GIÁM ĐỐC SỞ …      GIÁM ĐỐC SỞ Y TẾ") are read column by column."""
    found = _block(lines, after)
    if found is None:
        return []
    out: list[tuple[str, str | None]] = []
    authority, signer, start, end = found
    columns = _columns(lines, start, end)
    if columns:
        return columns
    out.append((authority, signer))
    while True:
        written = [k for k in range(end + 1, len(lines)) if lines[k].strip()][:1]
        if not written:
            break
        nxt = _block(lines, end + 1, cosigner=True)
        if nxt is None or nxt[2] != written[0]:
            break  # a co-signer's block is the next thing printed; "PHỤ LỤC", a decision's opening is not
        authority, signer, _, end = nxt
        if signer is None or all(signer != s for _, s in out):
            out.append((authority, signer))
    return out


def _columns(lines: list[str], start: int, end: int) -> list[tuple[str, str | None]]:
    """The blocks of a signature printed in columns: its authority line holds two chains apart
    (a run of spaces), each column read down to its name. A line's words go to the column whose
    start they stand nearest (a line may print one column only, the other left blank)."""
    heads = _cells(lines[start])
    if len(heads) < 2 or not all(_authority_chain(c) for _, c in heads):
        return []
    columns: list[list[str]] = [[] for _ in heads]
    for line in lines[start : end + 3]:
        cells = _cells(line)
        for col in range(len(heads)):
            columns[col].append("")
        for index, (at, cell) in enumerate(cells):
            col = index if len(cells) == len(heads) else min(range(len(heads)), key=lambda k: abs(heads[k][0] - at))
            columns[col][-1] = cell
    out: list[tuple[str, str | None]] = []
    for column in columns:
        block = _block(column, 0, cosigner=True)  # side by side, each column may title its body
        if block is None:
            return []
        out.append((block[0], block[1]))
    return out


def _cells(line: str) -> list[tuple[int, str]]:
    """The columns of a printed line with where each starts."""
    return [(m.start(), m.group(0)) for m in re.finditer(r"\S+(?:[ ]\S+)*", line.replace("\t", "  "))]


def _block(lines: list[str], after: int, cosigner: bool = False) -> tuple[str, str | None, int, int] | None:
    """(authority, signer, its first line, its last line) of the first signature block after `after`.
    A co-signer's block right after another may print its title over the body it heads ("GIÁM ĐỐC
    SỞ Y TẾ"); alone, such a line opens a decision ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …")."""
    for i in range(after, len(lines)):
        chain = _authority_chain(lines[i])
        if not chain:
            continue
        prefixed = any(c.startswith(("KT.", "TM.", "TL.", "TUQ.", "Q.")) for c in chain)
        bare = " ".join(match_tokens(lines[i])) in {" ".join(k) for k in _TITLES}
        titled = cosigner and words_of(lines[i].strip())[:1] != [] and is_upper(lines[i]) and any(
            tuple(match_tokens(lines[i]))[: len(k)] == k for k in _TITLES)
        if not prefixed and not bare and not titled and _name_after(lines[i]) is None:
            continue  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …" opens a decision; it does not sign one
        parts = list(chain)
        signer = _name_after(lines[i])
        last = i
        for last, line in enumerate(lines[i + 1 : i + 30], start=i + 1):
            if signer:
                last -= 1
                break
            more = _authority_chain(line)
            if len(more) == 1 and not more[0].startswith(_PREFIXES) and _has_own_title(parts):
                # "TM. BAN CHỈ ĐẠO / TRƯỞNG BAN / PHÓ CHỦ TỊCH UBND TỈNH": the signer's title is the
                # one under the last authority; a title line after it is the post held concurrently,
                # kept with the body it names
                name = _name_after(line)
                post = " ".join(line.split())
                post = post[: len(post) - len(name)].strip() if name and post.endswith(name) else post
                more = [post.upper() if is_upper(post) and len(post.split()) <= _MAX_POST_WORDS else more[0]]
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
        return " / ".join(parts), signer, i, last
    return None


_PREFIXES = ("KT.", "TM.", "TL.", "TUQ.", "Q.")
_MAX_POST_WORDS = 10


def _has_own_title(parts: list[str]) -> bool:
    """Does the chain already give the signer's own title (a title after its last authority)?"""
    last = max((k for k, p in enumerate(parts) if p.startswith(_PREFIXES)), default=-1)
    return last >= 0 and any(not p.startswith(_PREFIXES) for p in parts[last + 1:])


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
    if all(len(w) > 1 and w[1].isupper() for w in name if len(w.rstrip(".,;")) > 1):
        return None  # "GIÁM ĐỐC SỞ Y TẾ": the body a title heads, in capitals, is no person's name
    return " ".join(name) if 2 <= len(name) <= 5 else None


# a police or army signer's rank before the name ("Đại tá Lê Văn Khiêm", "Thiếu tướng …"): the
# rank is lower case after its first word, so the name is read after it
_RANK = re.compile(r"^(?:Đại|Thượng|Trung|Thiếu)\s+(?:tá|tướng|úy|uý)\s+")


def _name_only(line: str) -> str | None:
    words = _RANK.sub("", line.strip()).split()
    if 2 <= len(words) <= 5 and all(_NAME_WORD.match(w) for w in words):
        return " ".join(w.rstrip(".,;") for w in words)
    return None


