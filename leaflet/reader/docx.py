"""Word documents (.docx) -> the lines the text reader reads, each marked with what the document's styles say it is."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from ..errors import SourceError
from .docx_package import open_document
from .fields import label as header_label
from .lines import SENTENCE_END, Line, clean, is_address, join_cells, text_line

_BOLD_LINE = 80  # characters: a bold paragraph shorter than this is a heading typed by hand
_HEADING_NAME = re.compile(r"heading ([1-9])", re.I)
_LIST_STYLE = re.compile(r"list (?:bullet|number) ([2-9])", re.I)  # Word's second list level is its own style
_HYPERLINK = re.compile(r'\s*HYPERLINK\s+"([^"]+)"')
_W = {name: qn(f"w:{name}") for name in (
    "p r t tab ptab br cr sym noBreakHyphen fldChar instrText fldSimple hyperlink ins del moveFrom moveTo "
    "smartTag customXml sdt sdtContent dir bdo tbl tr tc trPr tblHeader pPr rPr pStyle "
    "rStyle numPr numId ilvl outlineLvl b vanish val type char instr fldCharType style styleId name "
    "basedOn num abstractNum abstractNumId lvl lvlOverride numFmt start numStyleLink default"
).split()}
_CHANGED = {_W["ins"], _W["moveTo"]}  # kept: the text as if every change were accepted
_DROPPED = {_W["del"], _W["moveFrom"]}
_INLINE = {_W["smartTag"], _W["customXml"], _W["dir"], _W["bdo"]}  # wrappers whose runs are the text
_R_ID = qn("r:id")
_MAX_INSTRUCTION = 2000  # characters of a field's instruction kept (a hyperlink's address is the longest)
_NOT_TEXT = {"Cc", "Cs", "Cn"}  # control characters, lone surrogates and unassigned code points are no symbol
# Soft line breaks are the author's line ends; a page break inside a paragraph is only a space.
_CHARS = {_W["tab"]: "\t", _W["ptab"]: "\t", _W["br"]: "\n", _W["cr"]: "\n", _W["noBreakHyphen"]: "-"}


def lines(data: bytes, where: str) -> list[Line]:
    """A Word document's body as lines; a file that is no readable .docx is refused with one line saying why."""
    document = open_document(data, where)
    reader = _Reader(document)
    reader.blocks(document.element.body if document.element.body is not None else ())
    result = _layout(reader.out, reader.styled)
    if not result:
        raise SourceError("the Word document has no text", where=where)
    return result


# --- styles and numbering --------------------------------------------------------------------------


def _val(element, tag: str) -> str | None:
    child = element.find(_W[tag]) if element is not None else None
    return None if child is None else child.get(_W["val"])


def _flag(rpr, tag: str) -> bool | None:
    """A toggle property (w:b, w:vanish): None when not set here, so that the style decides."""
    child = rpr.find(_W[tag]) if rpr is not None else None
    return None if child is None else child.get(_W["val"], "1").lower() not in ("0", "false", "off")


def _int(text: str | None, default: int = 0) -> int:
    """A small whole number Word wrote ("2", "-1"); anything else ("²", five thousand digits) is the default."""
    digits = text.strip().lstrip("-") if text else ""
    return int(text) if digits.isascii() and digits.isdigit() and len(digits) <= 6 else default


@dataclass
class _Style:
    """A paragraph or character style with what it inherits through w:basedOn."""

    name: str = ""
    title: bool = False
    level: int = 0  # a heading's level
    why: str = ""
    num: tuple[str, str | None] | None = None  # (numId, ilvl) of the style's Word numbering
    bold: bool | None = None


class _Styles:
    """The document's styles by id, each resolved once along its w:basedOn chain."""

    def __init__(self, element):
        styles = list(element.iterfind(_W["style"])) if element is not None else []
        self.by_id = {s.get(_W["styleId"]): s for s in styles}
        self.default = next((s.get(_W["styleId"]) for s in styles if s.get(_W["type"]) == "paragraph"
                             and s.get(_W["default"]) in ("1", "true", "on")), None)
        self.cache: dict[str | None, _Style] = {}

    def get(self, style_id: str | None) -> _Style:
        if style_id not in self.cache:
            chain, current = [], style_id
            while current in self.by_id and len(chain) < 20 and self.by_id[current] not in chain:
                chain.append(self.by_id[current])
                current = _val(chain[-1], "basedOn")
            self.cache[style_id] = self._resolve(chain)
        return self.cache[style_id]

    @staticmethod
    def _resolve(chain: list) -> _Style:
        names = [_val(s, "name") or "" for s in chain]
        style = _Style(name=names[0] if names else "")
        for index, (name, element) in enumerate(zip(names, chain)):
            ppr = element.find(_W["pPr"])
            heading, outline = _HEADING_NAME.fullmatch(name), _int(_val(ppr, "outlineLvl"), 9)
            if style.title or style.level:
                pass  # the nearest style decides
            elif name.lower() == "title":
                style.title, style.why = True, "Title style" if not index else f"{names[0]} style (based on Title)"
            elif heading or outline < 9:
                style.level = int(heading.group(1)) if heading else outline + 1
                kind = f"Heading {style.level}" if heading else f"outline level {style.level}"
                style.why = f"{kind} style" if heading and not index else f"{names[0]} style ({kind})"
            numpr = ppr.find(_W["numPr"]) if ppr is not None else None
            if style.num is None and numpr is not None:
                style.num = (_val(numpr, "numId") or "0", _val(numpr, "ilvl"))
            if style.bold is None:
                style.bold = _flag(element.find(_W["rPr"]), "b")
        return style


class _Numbering:
    """Word's list definitions: num -> abstractNum -> lvl -> numFmt."""

    def __init__(self, element, styles: _Styles):
        def by(tag: str, key: str) -> dict:
            return {e.get(_W[key]): e for e in element.iterfind(_W[tag])} if element is not None else {}

        self.nums, self.abstracts, self.styles = by("num", "numId"), by("abstractNum", "abstractNumId"), styles

    def level(self, num_id: str, ilvl: int, depth: int = 0) -> tuple[bool, int] | None:
        """(ordered, start) of a list level; None when the list is not defined, for then Word shows no mark."""
        num = self.nums.get(num_id)
        if num is None or depth > 3:
            return None
        overrides = (o.find(_W["lvl"]) for o in num.iterfind(_W["lvlOverride"]) if _int(o.get(_W["ilvl"])) == ilvl)
        lvl = next(overrides, None)
        if lvl is None:
            abstract = self.abstracts.get(_val(num, "abstractNumId"))
            if abstract is None:
                return None
            link = _val(abstract, "numStyleLink")  # the list is defined by a list style's numbering
            if link:
                linked = self.styles.get(link).num
                return self.level(linked[0], ilvl, depth + 1) if linked else None
            lvl = next((x for x in abstract.iterfind(_W["lvl"]) if _int(x.get(_W["ilvl"])) == ilvl), None)
        if lvl is None:
            return False, 1
        return (_val(lvl, "numFmt") or "decimal") not in ("bullet", "none"), _int(_val(lvl, "start"), 1)


# --- the body -------------------------------------------------------------------------------------


@dataclass
class _Text:
    """A paragraph's text as Word shows it, gathered run by run; "\n" where the author broke the line."""

    parts: list[str] = field(default_factory=list)
    bold: bool = True  # every run with text is bold
    fields: list[list] = field(default_factory=list)  # open complex fields: [instruction, where its result starts]
    codes: int = 0  # open fields still in their instruction (counted, not searched for at every run)

    def add(self, text: str, bold: bool | None = True) -> None:
        if self.codes:
            return  # a field's instruction ("PAGE", "HYPERLINK ..."), not what it shows
        self.parts.append(text)
        if not bold and text.strip():
            self.bold = False

    def field(self, kind: str | None) -> None:
        if kind == "begin":
            self.fields.append(["", None])
            self.codes += 1
        elif kind == "separate" and self.fields and self.fields[-1][1] is None:
            self.fields[-1][1] = len(self.parts)
            self.codes -= 1
        elif kind == "end" and self.fields:
            instruction, start = self.fields.pop()
            self.codes -= start is None
            if start is not None and (link := _HYPERLINK.match(instruction)):
                self.address(link.group(1), start)

    def address(self, address: str, start: int) -> None:
        """A link's address after its text, unless the text is the address: the leaflet reader cannot click."""
        shown = "".join(self.parts[start:])
        if shown.strip() and not is_address(shown, address):
            self.add(f" ({address})")


def _related(part, reltype: str):
    try:
        return part.part_related_by(reltype).element
    except (KeyError, ValueError, AttributeError):  # no such part, two of them, or one that is not XML
        return None


class _Reader:
    """Walks the document body in order, gathering (kind, lines) blocks for `_layout`."""

    def __init__(self, document):
        part = document.part
        self.rels = part.rels
        self.styles = _Styles(_related(part, RT.STYLES))
        self.numbering = _Numbering(_related(part, RT.NUMBERING), self.styles)
        self.out: list[tuple[str, list[Line]]] = []
        self.number = 0  # the block's position in the body: paragraphs and table rows
        self.styled = False  # the document uses Heading styles or Word numbering
        self.changed = self.said = False  # tracked changes met; said on a line
        self.counts: dict[str, list[int]] = {}  # numId -> the count of items at each level

    def next(self) -> int:
        self.number += 1
        return self.number

    def note(self, line: Line) -> Line:
        """The first line with text after a tracked change says that the changes were accepted."""
        if self.changed and not self.said and line.text:
            line.why, self.said = "; ".join(filter(None, (line.why, "tracked changes accepted"))), True
        return line

    def blocks(self, container, number: int | None = None) -> None:
        for child in container:
            tag = child.tag
            if tag == _W["p"]:
                self.paragraph(child, number or self.next())
            elif tag == _W["tbl"]:
                self.table(child, number)
            elif tag == _W["sdt"] and (content := child.find(_W["sdtContent"])) is not None:
                self.blocks(content, number)
            elif tag in _CHANGED or tag == _W["customXml"]:
                self.changed |= tag in _CHANGED
                self.blocks(child, number)
            elif tag in _DROPPED:
                self.changed = True

    def style(self, p) -> tuple[object, _Style]:
        ppr = p.find(_W["pPr"])
        return ppr, self.styles.get(_val(ppr, "pStyle") or self.styles.default)

    def paragraph(self, p, number: int) -> None:
        ppr, style = self.style(p)
        if style.name.lower().startswith("toc "):
            return  # a table of contents ("TOC Heading", "toc 1" styles) repeats the headings
        mark = ppr.find(_W["rPr"]) if ppr is not None else None
        deleted = mark is not None and mark.find(_W["del"]) is not None
        self.changed |= mark is not None and (deleted or mark.find(_W["ins"]) is not None)
        text = self.text(p, style.bold)
        pieces = "".join(text.parts).split("\n")
        words = clean(" ".join(pieces))
        outline = _int(_val(ppr, "outlineLvl"), 9)
        if not words:
            if not deleted:  # a deleted paragraph mark joins its empty paragraph to the next one
                self.out.append(("blank", [Line(number, "", "")]))
        elif outline < 9 or style.level or style.title:
            marked = "heading" if outline < 9 or style.level else "title"
            level = outline + 1 if outline < 9 else style.level
            why = f"outline level {level}" if outline < 9 else style.why
            self.styled |= marked == "heading"
            self.out.append((marked, [self.note(Line(number, words, words, marked, why, level))]))
        elif item := self.item(ppr, style):
            self.styled = True
            level, ordered, count = item
            prefix = "  " * level + (f"{count}. " if ordered else "- ")
            why = f"Word numbering ({'numbered' if ordered else 'bulleted'})"
            first, *more = [clean(x) for x in pieces if x.strip()]
            # a soft break inside an item: its next line, indented to the item's text as the text reader expects
            self.out.append(("item", [self.note(Line(number, prefix + first, first, "item", why, level, ordered))]
                             + [self.note(Line(number, " " * len(prefix) + x, x)) for x in more]))
        elif text.bold and len(words) < _BOLD_LINE:
            self.out.append(("plain", [self.note(Line(number, f"**{words}**", f"**{words}**", why="bold line"))]))
        else:
            self.out.append(("plain", [self.note(text_line(number, x)) for x in pieces if x.strip()]))  # as if typed

    def item(self, ppr, style: _Style) -> tuple[int, bool, int] | None:
        """(level, ordered, number) of a paragraph in a Word list, its own numbering or its style's."""
        numpr = ppr.find(_W["numPr"]) if ppr is not None else None
        num_id, ilvl = (_val(numpr, "numId"), _val(numpr, "ilvl")) if numpr is not None else (None, None)
        num_id = num_id or (style.num[0] if style.num else None)
        ilvl = min(max(_int(ilvl if ilvl is not None else style.num[1] if style.num else None), 0), 8)
        found = self.numbering.level(num_id, ilvl) if num_id and num_id != "0" else None
        if found is None:
            return None
        counts = self.counts.setdefault(num_id, [0] * 9)
        counts[ilvl] += 1
        counts[ilvl + 1:] = [0] * (8 - ilvl)
        nested = _LIST_STYLE.fullmatch(style.name)  # "List Bullet 2" is level 0 of a list of its own
        level = int(nested.group(1)) - 1 if nested and not ilvl else ilvl
        return level, found[0], found[1] + counts[ilvl] - 1

    def text(self, container, bold: bool | None) -> _Text:
        out = _Text()
        self.runs(container, out, bold)
        return out

    def runs(self, element, out: _Text, bold: bool | None) -> None:
        for child in element:
            tag = child.tag
            if tag == _W["r"]:
                self.run(child, out, bold)
            elif tag in _DROPPED:
                self.changed = True
            elif tag == _W["hyperlink"]:
                start = len(out.parts)
                self.runs(child, out, bold)
                rel = self.rels.get(child.get(_R_ID))
                if rel is not None and rel.is_external:
                    out.address(rel.target_ref, start)
            elif tag == _W["fldSimple"]:
                start = len(out.parts)
                self.runs(child, out, bold)
                if link := _HYPERLINK.match(child.get(_W["instr"]) or ""):
                    out.address(link.group(1), start)
            elif tag == _W["sdt"] and (content := child.find(_W["sdtContent"])) is not None:
                self.runs(content, out, bold)
            elif tag in _CHANGED or tag in _INLINE:
                self.changed |= tag in _CHANGED
                self.runs(child, out, bold)

    def run(self, r, out: _Text, paragraph_bold: bool | None) -> None:
        rpr = r.find(_W["rPr"])
        bold = _flag(rpr, "b")
        if bold is None:
            char_style = _val(rpr, "rStyle")
            bold = self.styles.get(char_style).bold if char_style else None
        bold = paragraph_bold if bold is None else bold
        hidden = _flag(rpr, "vanish")  # hidden text is not shown; a field's marks in it still count
        for child in r:
            tag = child.tag
            if tag == _W["fldChar"]:
                out.field(child.get(_W["fldCharType"]))
            elif tag == _W["instrText"]:
                if out.fields and len(out.fields[-1][0]) < _MAX_INSTRUCTION:
                    out.fields[-1][0] += child.text or ""
            elif hidden:
                continue
            elif tag == _W["t"]:
                out.add(child.text or "", bold)
            elif tag in _CHARS:  # a tab matters: "•<tab>Item" is a typed bullet
                out.add(" " if child.get(_W["type"]) == "page" else _CHARS[tag], bold)
            elif tag == _W["sym"]:
                code = child.get(_W["char"]) or ""
                if re.fullmatch(r"[0-9A-Fa-f]{1,6}", code) and unicodedata.category(chr(min(int(code, 16), 0x10FFFF))) not in _NOT_TEXT:
                    out.add(chr(int(code, 16)), bold)  # Word's Symbol-font bullet F0B7: the text reader knows it

    def table(self, tbl, number: int | None) -> None:
        rows = [tr for tr in tbl.iterfind(_W["tr"]) if tr.find(f"{_W['trPr']}/{_W['del']}") is None]
        if len(rows) == 1 and len(rows[0].findall(_W["tc"])) == 1:
            # one cell: a frame around paragraphs ("Important: ..."), read as those paragraphs
            n = number or self.next()
            self.out.append(("blank", [Line(n, "", "")]))
            self.blocks(rows[0].find(_W["tc"]), n)
            self.out.append(("blank", [Line(n, "", "")]))
            return
        lines = []
        for index, tr in enumerate(rows):
            n = number or self.next()
            row = [self.cell(tc) for tc in tr.iterfind(_W["tc"])]
            texts = [t for t, _ in row if t]
            if not texts:
                continue
            if len(texts) == 2 and header_label(f"{texts[0].rstrip(':')}: {texts[1]}"):
                written = f"{texts[0].rstrip(':').rstrip()}: {texts[1]}"  # the header reader's "Label: value"
                lines.append(self.note(Line(n, written, written, why="table row with a header label")))
            else:
                kind, why = ("paragraph", "table header row") if self.header(index, tr, row, rows) else ("row", "table row")
                lines.append(self.note(Line(n, join_cells(texts), join_cells(texts), kind, why)))
        if lines:
            self.out.append(("table", lines))

    @staticmethod
    def header(index: int, tr, row: list[tuple[str, bool]], rows: list) -> bool:
        """Is this its table's header row: marked so, all bold, or short labels above rows that say more?"""
        if _flag(tr.find(_W["trPr"]), "tblHeader"):
            return True
        texts = [t for t, _ in row if t]
        if index or not texts:
            return False
        if all(bold for t, bold in row if t):
            return True
        labels = all(len(t.split()) <= 4 and not SENTENCE_END.search(t) and not any(c.isdigit() for c in t) for t in texts)
        later = (clean("".join(t.text or "" for t in tc.iter(_W["t"]))) for tr in rows[1:] for tc in tr.iterfind(_W["tc"]))
        return len(rows) >= 3 and len(texts) >= 2 and labels and any(len(t.split()) > 4 or SENTENCE_END.search(t) for t in later)

    def cell(self, container) -> tuple[str, bool]:
        """A cell's text in reading order (nested tables too), and whether all of it is bold."""
        parts, bold = [], True
        for child in container:
            if child.tag == _W["p"]:
                text = self.text(child, self.style(child)[1].bold)
                parts.append("".join(text.parts))
                bold &= text.bold
            elif child.tag == _W["tbl"]:
                parts += [join_cells([self.cell(c)[0] for c in tr.iterfind(_W["tc"])]) for tr in child.iterfind(_W["tr"])]
            elif child.tag in (_W["sdt"], _W["customXml"]):
                content = child.find(_W["sdtContent"]) if child.tag == _W["sdt"] else child
                text, inner_bold = self.cell(content if content is not None else ())
                parts.append(text)
                bold &= inner_bold
        return clean(" ".join(parts)), bold


def _layout(blocks: list[tuple[str, list[Line]]], styled: bool) -> list[Line]:
    """The lines with blank lines where plain text would have them: around headings, titles and tables, and,
    in a styled document, around each plain paragraph, for there each Word paragraph is one of its own."""
    out: list[Line] = []

    def blank(number: int) -> None:
        if out and out[-1].text:
            out.append(Line(number, "", ""))

    for kind, block in blocks:
        spaced = kind in ("heading", "title", "table") or (styled and kind == "plain")
        if spaced or kind == "blank":
            blank(block[0].number)
        if kind != "blank":
            out.extend(block)
        if spaced:
            blank(block[-1].number)
    while out and not out[-1].text:
        out.pop()
    return out
