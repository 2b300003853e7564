"""DOCX drafts: body paragraphs in order, Word's automatic numbering drawn back in, tables as rows.

The package is read with zipfile and lxml, not python-docx: python-docx builds the whole
document tree in memory, while the body is streamed here (iterparse), one top-level block at a time.

The numbers Word shows before a numbered paragraph ("I.", "1.", "a)") are not in the paragraph's
text: Word draws them from the list definitions in numbering.xml. The structure parser needs
them, so they are reconstructed the way Word counts (ECMA-376 §17.9): one running counter per
abstract list definition, shared by every list instance (`w:num`) that uses it; a level restarts
when a higher level advances (or as `w:lvlRestart` says); an instance carrying a `startOverride`
restarts the level the first time it is used. Headers, footers, comments, footnotes, text boxes
and deleted revisions are not read (they are not the plan's text); inserted revisions are.
"""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from index.errors import IngestError
from index.readers.base import PlanText, check_size
from index.readers.layout import clean_cell, table_lines
from planbot.messages import message

log = logging.getLogger(__name__)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}


def qn(tag: str) -> str:
    """"w:p" → "{namespace}p" (python-docx's helper, without importing python-docx)."""
    prefix, local = tag.split(":")
    return f"{{{_NS[prefix]}}}{local}"

# Runs of the paragraph itself: not those inside text boxes, deleted or moved-away revisions, or
# the fallback copy of alternate content (which repeats the choice).
_RUNS = etree.XPath(
    ".//w:r[not(ancestor::w:txbxContent) and not(ancestor::w:del) and not(ancestor::w:moveFrom)"
    " and not(ancestor::mc:Fallback)]", namespaces=_NS)
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
# Word numbers a list from 0 to 32767 (its largest "start at"); a bigger or malformed value in the
# XML is ignored (the level's default applies): a 41-digit start must not make a label of millions
# of characters. Roman numerals stop at 3999 and letters at 30 repetitions (zzz…z): beyond, decimal.
MAX_LIST_NUMBER = 32767
MAX_ROMAN = 3999
MAX_LETTER_REPEAT = 30
MAX_GRID_SPAN = 63  # Word's most columns in a table
# Bullet glyphs of Symbol/Wingdings fonts live in the private use area; the plan means a dash.
_PRINTABLE_BULLETS = "-–—+•*▪●◦○"


def _val(element, tag: str) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


def _whole(raw: str | None, default: int, most: int = MAX_LIST_NUMBER) -> int:
    """A non-negative count from the XML, or default when it is missing, malformed or above most
    (the digits are counted before int() so a huge value costs nothing)."""
    raw = (raw or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > len(str(most)) or int(raw) > most:
        return default
    return int(raw)


def roman(n: int) -> str:
    if not 0 < n <= MAX_ROMAN:
        return str(n)
    out = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def letters(n: int) -> str:
    """Word's letter numbering: a … z, then aa, bb … (the letter repeated)."""
    n = max(n, 1)
    if (n - 1) // 26 + 1 > MAX_LETTER_REPEAT:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman",):
        return roman(n)
    if fmt == "lowerRoman":
        return roman(n).lower()
    if fmt == "upperLetter":
        return letters(n).upper()
    if fmt == "lowerLetter":
        return letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal and the rest (ordinal words, East Asian digits) as numbers


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False  # isLgl: every level's number shown as decimal
    suffix: str = " "

    @classmethod
    def parse(cls, lvl) -> Level:
        level = cls(fmt=_val(lvl, "w:numFmt") or "decimal", text=_val(lvl, "w:lvlText") or "",
                    start=_whole(_val(lvl, "w:start"), 1))
        restart = _val(lvl, "w:lvlRestart")
        restart_after = _whole(restart, -1, 9) if restart is not None else -1
        level.restart = restart_after if restart_after >= 0 else None
        level.legal = lvl.find(qn("w:isLgl")) is not None and _val(lvl, "w:isLgl") not in ("0", "false")
        level.suffix = {"nothing": "", "space": " "}.get(_val(lvl, "w:suff") or "tab", " ")
        return level


@dataclass
class _Instance:
    abstract: str
    levels: dict[int, Level] = field(default_factory=dict)  # whole-level overrides
    start_overrides: dict[int, int] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)


class Numbering:
    """Counts list paragraphs as Word does and returns each one's label ("II.", "1.2.", "a)")."""

    def __init__(self, root) -> None:
        """`root`: numbering.xml's w:numbering element, or None when the package has no lists."""
        self.abstract: dict[str, dict[int, Level]] = {}
        self.instances: dict[str, _Instance] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_links: dict[str, str] = {}  # abstract id → numbering style it links to
        if root is None:
            return
        for abstract in root.findall(qn("w:abstractNum")):
            aid = abstract.get(qn("w:abstractNumId"))
            self.abstract[aid] = {_whole(lvl.get(qn("w:ilvl")), 0, 8): Level.parse(lvl)
                                  for lvl in abstract.findall(qn("w:lvl"))}
            link = _val(abstract, "w:numStyleLink")
            if link:
                self.style_links[aid] = link
        for num in root.findall(qn("w:num")):
            instance = _Instance(_val(num, "w:abstractNumId") or "")
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = _whole(override.get(qn("w:ilvl")), 0, 8)
                start = _val(override, "w:startOverride")
                if start is not None:
                    instance.start_overrides[ilvl] = _whole(start, 1)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    instance.levels[ilvl] = Level.parse(lvl)
            self.instances[num.get(qn("w:numId"))] = instance

    def link_styles(self, styles: Styles) -> None:
        """An abstract list that only points at a numbering style uses that style's list."""
        for aid, style_id in self.style_links.items():
            num_id, _ = styles.numbering(style_id)
            if num_id and num_id in self.instances and self.instances[num_id].abstract != aid:
                self.abstract[aid] = self.abstract.get(self.instances[num_id].abstract, {})

    def label(self, num_id: str, ilvl: int) -> str:
        instance = self.instances.get(num_id)
        if instance is None or num_id == "0":
            return ""
        levels = self.abstract.get(instance.abstract, {})
        definition = instance.levels.get(ilvl) or levels.get(ilvl)
        if definition is None:
            return ""
        counters = self.counters.setdefault(instance.abstract, {})
        if ilvl not in instance.used and ilvl in instance.start_overrides:
            counters[ilvl] = instance.start_overrides[ilvl]
        elif ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = definition.start
        instance.used.add(ilvl)
        for deeper in [k for k in counters if k > ilvl]:
            restart_after = (instance.levels.get(deeper) or levels.get(deeper) or Level()).restart
            # lvlRestart N: restart when a level N (1-based) or higher is used; 0: never
            if restart_after is None or (restart_after != 0 and ilvl <= restart_after - 1):
                del counters[deeper]
        if definition.fmt == "bullet":
            glyph = definition.text.strip()
            return ((glyph if glyph and glyph in _PRINTABLE_BULLETS else "•") + definition.suffix) if glyph else ""

        def number(level_index: int) -> str:
            level = instance.levels.get(level_index) or levels.get(level_index) or Level()
            value = counters.get(level_index, level.start)
            return str(value) if definition.legal and level_index < ilvl else format_number(value, level.fmt)

        text = definition.text
        for index in range(8, -1, -1):
            if f"%{index + 1}" in text:
                text = text.replace(f"%{index + 1}", number(index))
        return text + definition.suffix if text.strip() else ""


class Styles:
    """Paragraph styles' numbering (a heading style may carry its list), following basedOn."""

    def __init__(self, root) -> None:
        """`root`: styles.xml's w:styles element, or None when the package has no styles."""
        self.by_id: dict[str, etree._Element] = {}
        self.default: str | None = None
        if root is None:
            return
        for style in root.findall(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            self.by_id[sid] = style
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true"):
                self.default = sid

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                num_id = _val(num_pr, "w:numId")
                ilvl = _val(num_pr, "w:ilvl")
                return num_id, _whole(ilvl, 0, 8) if ilvl is not None else None
            style_id = _val(style, "w:basedOn")
        return None, None


def paragraph_text(p) -> str:
    """The paragraph's own text: w:t, tabs as spaces, line breaks as new lines, no deletions."""
    parts: list[str] = []
    for run in _RUNS(p):
        for child in run:
            tag = child.tag
            if tag == qn("w:t"):
                parts.append(child.text or "")
            elif tag in (qn("w:tab"), qn("w:ptab")):
                parts.append(" ")
            elif tag in (qn("w:br"), qn("w:cr")):
                parts.append("\n" if child.get(qn("w:type")) in (None, "textWrapping") else " ")
            elif tag == qn("w:noBreakHyphen"):
                parts.append("-")
            elif tag == qn("w:sym"):
                parts.append(" ")
    return "".join(parts)


# A DOCX is a zip of XML parts; Word's XML compresses about 5-10 times and embedded images not at
# all, so a package that unpacks to more than MAX_UNPACKED_RATIO times its own size (or beyond an
# absolute cap) is a zip bomb, not a plan (uploads reach this reader through the HTTP API). The
# members are inflated in chunks and counted as they come, so a bomb whose headers lie about its
# sizes is stopped at the limit, never unpacked whole.
MAX_UNPACKED_RATIO = 100
MIN_UNPACKED_LIMIT = 16 * 1_048_576  # small packages: their styles and theme alone compress ~10x
MAX_FILE_RATIO = 25  # absolute cap: 25 × the file size limit …
MAX_UNPACKED_BYTES = 512 * 1_048_576  # … and never more than this
_INFLATE_CHUNK = 1_048_576


def unpacked_limit(packed_bytes: int, max_bytes: int | None) -> int:
    """How many bytes a DOCX of `packed_bytes` may unpack to, all members together."""
    cap = min(MAX_UNPACKED_BYTES, max_bytes * MAX_FILE_RATIO) if max_bytes else MAX_UNPACKED_BYTES
    return min(max(packed_bytes * MAX_UNPACKED_RATIO, MIN_UNPACKED_LIMIT), cap)


class DocxReader:
    """`reader(path) -> PlanText` for .docx files."""

    def __init__(self, max_bytes: int | None = None) -> None:
        self.max_bytes = max_bytes

    def _check_unpacked_size(self, path: Path) -> None:
        """Raise IngestError once the members, inflated chunk by chunk, pass the unpacked limit."""
        packed = path.stat().st_size
        limit = unpacked_limit(packed, self.max_bytes)

        def refuse() -> IngestError:
            log.warning("%s: DOCX unpacks to more than %d bytes (%d packed); refused as a zip bomb",
                        path.name, limit, packed)
            return IngestError(message("reader_docx_unpacked", name=path.name, limit=limit / 1_048_576,
                                       packed=packed / 1_048_576))

        try:
            with zipfile.ZipFile(path) as package:
                members = package.infolist()
                if sum(info.file_size for info in members) > limit:  # the headers alone say so
                    raise refuse()
                unpacked = 0
                for info in members:
                    with package.open(info) as member:
                        while chunk := member.read(_INFLATE_CHUNK):
                            unpacked += len(chunk)
                            if unpacked > limit:
                                raise refuse()
        except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, RuntimeError) as exc:
            detail = "không phải tệp DOCX hợp lệ" if isinstance(exc, zipfile.BadZipFile) else type(exc).__name__
            raise IngestError(message("reader_docx_broken", name=path.name, detail=detail)) from exc

    def __call__(self, path: Path) -> PlanText:
        check_size(path, self.max_bytes)
        self._check_unpacked_size(path)
        try:
            with zipfile.ZipFile(path) as package:
                return self._read(path, package)
        except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
            detail = "không phải tệp DOCX hợp lệ" if isinstance(exc, (zipfile.BadZipFile, KeyError, _NotWord)) \
                else type(exc).__name__
            raise IngestError(message("reader_docx_broken", name=path.name, detail=detail)) from exc

    def _read(self, path: Path, package: zipfile.ZipFile) -> PlanText:
        """The body streamed with iterparse, one top-level paragraph or table at a time and then
        dropped, so memory follows the largest paragraph or table, not the document."""
        main = _target("", _relationships(package, "_rels/.rels"), "/officeDocument")
        if main is None:
            raise _NotWord("no main document part")
        folder, _, leaf = main.rpartition("/")
        related = _relationships(package, f"{folder}/_rels/{leaf}.rels" if folder else f"_rels/{leaf}.rels")
        styles = Styles(_part(package, _target(folder, related, "/styles")))
        numbering = Numbering(_part(package, _target(folder, related, "/numbering")))
        numbering.link_styles(styles)
        lines: list[str] = []
        sections = 0
        body_depth = 2  # w:document > w:body > the blocks read here
        depth = 0
        with package.open(main) as stream:
            for event, element in etree.iterparse(stream, events=("start", "end"), resolve_entities=False,
                                                  no_network=True, load_dtd=False):
                if event == "start":
                    depth += 1
                    if depth == 1 and element.tag != qn("w:document"):
                        raise _NotWord(f"root {element.tag}")
                    continue
                depth -= 1
                if element.tag == qn("w:sectPr"):
                    sections += 1
                if depth == body_depth:
                    self._block([element], styles, numbering, lines)
                    element.clear()
                    parent = element.getparent()
                    while parent is not None and element.getprevious() is not None:
                        del parent[0]
        text = "\n".join(_squeeze(lines)).strip("\n")
        if not text.strip():
            raise IngestError(message("reader_no_text", name=path.name, pages=max(sections, 1)))
        return PlanText(text + "\n")

    def _block(self, container, styles: Styles, numbering: Numbering, lines: list[str]) -> None:
        for child in container:
            if child.tag == qn("w:p"):
                lines.extend(self._paragraph(child, styles, numbering).split("\n"))
            elif child.tag == qn("w:tbl"):
                lines.append("")
                lines.extend(table_lines(self._rows(child, styles, numbering)))
                lines.append("")
            elif child.tag in (qn("w:sdt"), qn("w:customXml")):
                content = child.find(qn("w:sdtContent"))
                self._block(content if content is not None else child, styles, numbering, lines)

    def _paragraph(self, p, styles: Styles, numbering: Numbering) -> str:
        text = paragraph_text(p).strip(" ")
        num_pr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        num_id = _val(num_pr, "w:numId") if num_pr is not None else None
        ilvl_raw = _val(num_pr, "w:ilvl") if num_pr is not None else None
        style_num, style_ilvl = styles.numbering(_val(p.find(qn("w:pPr")), "w:pStyle") or styles.default)
        num_id = num_id or style_num
        ilvl = _whole(ilvl_raw, 0, 8) if ilvl_raw is not None else (style_ilvl or 0)
        if not num_id:
            return text
        label = numbering.label(num_id, ilvl)  # an empty list paragraph still takes its number
        return label + text if text.strip() else text

    def _rows(self, tbl, styles: Styles, numbering: Numbering) -> list[list[str]]:
        rows: list[list[str]] = []
        for tr in tbl.findall(qn("w:tr")):
            cells: list[str] = []
            for tc in tr.findall(qn("w:tc")):
                merged = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                if merged is not None and merged.get(qn("w:val")) in (None, "continue") and rows:
                    # a cell merged with the one above: the row still belongs to that value
                    column = len(cells)
                    above = rows[-1][column] if column < len(rows[-1]) else ""
                    cells.append(above)
                    continue
                inner: list[str] = []
                self._block(tc, styles, numbering, inner)
                span = max(_whole(_val(tc.find(qn("w:tcPr")), "w:gridSpan"), 1, MAX_GRID_SPAN), 1)
                cells.append(clean_cell("\n".join(inner)))
                cells.extend([""] * (span - 1))
            rows.append(cells)
        return rows


class _NotWord(ValueError):
    """A zip that is not a Word document (a spreadsheet or presentation renamed .docx)."""


_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _relationships(package: zipfile.ZipFile, name: str) -> list[tuple[str, str]]:
    """(type, target) of a .rels part; [] when the part is missing."""
    try:
        root = etree.fromstring(package.read(name), etree.XMLParser(resolve_entities=False, no_network=True))
    except KeyError:
        return []
    return [(rel.get("Type", ""), rel.get("Target", "")) for rel in root.iter(_RELATIONSHIPS)
            if rel.get("TargetMode") != "External"]


def _target(folder: str, relationships: list[tuple[str, str]], kind: str) -> str | None:
    """The package path of the first relationship whose type ends with `kind` ("/styles")."""
    for rel_type, target in relationships:
        if rel_type.endswith(kind) and target:
            parts: list[str] = [] if target.startswith("/") or not folder else folder.split("/")
            for piece in target.lstrip("/").split("/"):
                if piece == "..":
                    if parts:
                        parts.pop()
                elif piece not in ("", "."):
                    parts.append(piece)
            return "/".join(parts)
    return None


def _part(package: zipfile.ZipFile, name: str | None):
    """A small part (styles, numbering) parsed whole; None when it is absent."""
    if name is None:
        return None
    try:
        data = package.read(name)
    except KeyError:
        return None
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _squeeze(lines: list[str]) -> list[str]:
    """At most one blank line in a row (Word drafts space paragraphs with empty ones)."""
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if line or (out and out[-1]):
            out.append(line)
    return out
