"""The PDF's logical structure: marked content while ReportLab draws, then the structure tree added with pikepdf.

ReportLab writes no tags. Each flowable wraps what it draws in `/<Type> <</MCID n>> BDC ... EMC` and records
the marked-content id on its structure element; page furniture is wrapped as an artifact. After ReportLab has
written the file, `finish` builds StructTreeRoot, ParentTree, MarkInfo, /Lang, XMP and the viewer preferences.
Elements are created in reading order, so structure order is reading order.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name, String

import leaflet


@dataclass(eq=False)
class Element:
    """A structure element (Document, H1, P, L, LI, Lbl, LBody, Figure, Span...)."""

    kind: str
    parent: "Element | None" = None
    alt: str | None = None
    lang: str | None = None  # BCP 47, when it differs from the document's
    actual: list = field(default_factory=list)  # children in order: Element or (page index, mcid)

    def child(self, kind: str, **attributes) -> "Element":
        element = Element(kind, self, **attributes)
        self.actual.append(element)
        return element


class Tagger:
    """Hands out marked-content ids per page while the document is drawn, and remembers who owns each."""

    def __init__(self):
        self.root = Element("Document")
        self._next: dict[int, int] = {}
        self.owners: dict[int, list[Element]] = {}  # page index -> element per MCID

    def begin(self, canvas, element: Element, extra: str = "") -> None:
        page = canvas.getPageNumber() - 1
        mcid = self._next.get(page, 0)
        self._next[page] = mcid + 1
        self.owners.setdefault(page, []).append(element)
        element.actual.append((page, mcid))
        canvas.addLiteral(f"/{element.kind} <</MCID {mcid}{extra}>> BDC")

    @staticmethod
    def end(canvas) -> None:
        canvas.addLiteral("EMC")

    @staticmethod
    def begin_artifact(canvas, kind: str = "Layout", subtype: str | None = None) -> None:
        attributes = f"/Type /{kind}" + (f" /Subtype /{subtype}" if subtype else "")
        canvas.addLiteral(f"/Artifact <<{attributes}>> BDC")

    @staticmethod
    def begin_actual_text(canvas, text: str) -> None:
        """Say which characters a run of shaped glyphs stands for (Devanagari conjuncts have no code of their own)."""
        canvas.addLiteral(f"/Span <</ActualText <FEFF{text.encode('utf-16-be').hex().upper()}>>> BDC")


_TARGET = re.compile(rb"(<[0-9A-F]{2}> )<([0-9A-F]{4,6})>")


def _target(code: int) -> bytes:
    """What a glyph stands for, as the map wants it: UTF-16 (a surrogate pair beyond U+FFFF), and an Arabic
    presentation form (a joined or ligated shape HarfBuzz picked) as the letters it shows, so that copying,
    searching and screen readers get "ب", not U+FE91 (a lam-alef ligature stays as it is: poppler turns a
    two-letter mapping around)."""
    char = chr(code)
    if 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        letters = unicodedata.normalize("NFKC", char)
        # a ligature (lam-alef) stays a presentation form: poppler would reverse its two letters
        char = letters if len(letters) == 1 else char
    return b"<" + char.encode("utf-16-be").hex().upper().encode() + b">"


def _fix_unicode_maps(pdf: pikepdf.Pdf) -> None:
    """ReportLab writes a character beyond U+FFFF (an emoji, a rare Han character) into a font's ToUnicode map
    as five hex digits, which readers take for a different character, and Arabic as the presentation forms
    it drew. Both are rewritten (see `_target`)."""
    seen = set()
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            cmap = font.get("/ToUnicode")
            if cmap is None or cmap.objgen in seen:
                continue
            seen.add(cmap.objgen)
            data = cmap.read_bytes()
            fixed = _TARGET.sub(lambda m: m.group(1) + _target(int(m.group(2), 16)), data)
            if fixed != data:
                cmap.write(fixed)


def finish(pdf_bytes: bytes, tagger: Tagger, *, title: str, lang: str, subject: str = "", creator: str = "") -> bytes:
    """Add the structure tree and the document-level accessibility entries to ReportLab's output."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root
        pages = pdf.pages
        tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        made: dict[int, pikepdf.Object] = {}

        def build(element: Element, parent_ref) -> pikepdf.Object:
            node = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + element.kind), P=parent_ref))
            made[id(element)] = node
            if element.alt is not None:
                node.Alt = String(element.alt)
            if element.lang:
                node.Lang = String(element.lang)
            marked_pages = {kid[0] for kid in element.actual if not isinstance(kid, Element)}
            if len(marked_pages) == 1:  # all its content on one page: plain MCIDs, the page on the element
                node.Pg = pages[next(iter(marked_pages))].obj
            kids = []
            for kid in element.actual:
                if isinstance(kid, Element):
                    kids.append(build(kid, node))
                elif len(marked_pages) == 1:
                    kids.append(kid[1])
                else:
                    page, mcid = kid
                    kids.append(Dictionary(Type=Name.MCR, Pg=pages[page].obj, MCID=mcid))
            node.K = kids[0] if len(kids) == 1 else Array(kids)
            return node

        _fix_unicode_maps(pdf)
        document = build(tagger.root, tree)
        tree.K = Array([document])
        numbers = Array()
        for index, page in enumerate(pages):
            page.obj.StructParents = index
            page.obj.Tabs = Name.S
            owners = tagger.owners.get(index, [])
            numbers.append(index)
            numbers.append(pdf.make_indirect(Array([made[id(e)] for e in owners])))
        tree.ParentTree = pdf.make_indirect(Dictionary(Nums=numbers))
        tree.ParentTreeNextKey = len(pages)
        root.StructTreeRoot = tree
        root.MarkInfo = Dictionary(Marked=True)
        root.Lang = String(lang)
        root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        if "/Outlines" in root:
            root.PageMode = Name.UseOutlines
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
            meta["dc:language"] = [lang]
            if subject:
                meta["dc:description"] = subject
            meta["pdf:Producer"] = f"leaflet {leaflet.__version__} (ReportLab, pikepdf)"
            meta["xmp:CreatorTool"] = creator or f"leaflet {leaflet.__version__}"
            meta.register_xml_namespace("http://www.aiim.org/pdfua/ns/id/", "pdfuaid")
            meta["{http://www.aiim.org/pdfua/ns/id/}part"] = "1"
        pdf.docinfo.Title = String(title)
        pdf.docinfo.Producer = String(f"leaflet {leaflet.__version__} (ReportLab, pikepdf)")
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
