"""A font's glyph outlines, checked before ReportLab embeds them: its raw glyph tables once when the face is loaded,
and each glyph a leaflet draws decoded in full the first time it is set.

ReportLab reads a font's glyph table itself, only as it saves the PDF, to copy the glyphs drawn; a damaged one made
it fail there (an IndexError from a scrambled table, after the whole leaflet was set), or embed an outline no viewer
draws as the letter. A damaged font is refused in one line naming the file instead.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont as ToolsFont
from fontTools.ttLib.tables._g_l_y_f import Glyph

from ..errors import RenderError


def check_tables(font, data: bytes, path: Path) -> None:
    """Every glyph of the font as ReportLab will read it to embed the ones a leaflet draws: its place in the glyph
    table inside the table, its header's box inside the font's own (with an em to spare), its contours and
    instructions inside the glyph, a composite's parts glyphs of the font; and the advance widths all there.
    Decoding every outline with fontTools would take 3.7 s for a Chinese font (measured, 45,000 glyphs) in every
    worker; this reads the raw tables in a tenth of that. A scrambled glyph table fails it at its first glyph,
    where ReportLab failed with an IndexError when it saved the PDF, after the whole leaflet was set. The tables
    are read in place in the font's bytes (`data`), not copied (13 MB of a Chinese font's glyphs)."""
    count = font["maxp"].numGlyphs
    head = font["head"]
    glyf = _table(font, data, "glyf", path)
    loca = _table(font, data, "loca", path)
    short = head.indexToLocFormat == 0
    size = 2 if short else 4
    if len(loca) < (count + 1) * size:
        raise damaged(path, "its glyph locations are cut short")
    offsets = struct.unpack_from(f">{count + 1}{'H' if short else 'L'}", loca)
    scale = 2 if short else 1
    margin = head.unitsPerEm
    low_x, low_y = head.xMin - margin, head.yMin - margin
    high_x, high_y = head.xMax + margin, head.yMax + margin
    end = 0
    for gid in range(count):
        start, end = offsets[gid] * scale, offsets[gid + 1] * scale
        if end < start or end > len(glyf):
            raise damaged(path, f"glyph {gid} lies outside its glyph table")
        if start == end:
            continue
        if end - start < 10:
            raise damaged(path, f"glyph {gid} is cut short")
        contours, x_min, y_min, x_max, y_max = struct.unpack_from(">hhhhh", glyf, start)
        if not (low_x <= x_min <= x_max <= high_x and low_y <= y_min <= y_max <= high_y):
            raise damaged(path, f"glyph {gid} has a box outside the font's")
        if contours >= 0:
            _check_simple(glyf, start, end, contours, path, gid)
        elif contours == -1:
            _check_composite(glyf, start, end, count, path, gid)
        else:
            raise damaged(path, f"glyph {gid} is neither an outline nor a composite")
    metrics = font["hhea"].numberOfHMetrics
    if not 0 < metrics <= count or len(_table(font, data, "hmtx", path)) < 4 * metrics + 2 * (count - metrics):
        raise damaged(path, "its advance widths are cut short")


def _table(font, data: bytes, tag: str, path: Path) -> memoryview:
    if tag not in font.reader.tables:
        raise damaged(path, f"it has no {tag} table")
    entry = font.reader.tables[tag]
    view = memoryview(data)[entry.offset : entry.offset + entry.length]
    if len(view) != entry.length:
        raise damaged(path, f"its {tag} table is cut short")
    return view


def _check_simple(glyf: memoryview, start: int, end: int, contours: int, path: Path, gid: int) -> None:
    at = start + 10 + 2 * contours
    if at + 2 > end:
        raise damaged(path, f"glyph {gid} is cut short")
    ends = struct.unpack_from(f">{contours}H", glyf, start + 10)
    if any(later <= earlier for earlier, later in zip(ends, ends[1:])):
        raise damaged(path, f"glyph {gid} has its contours out of order")
    instructions = struct.unpack_from(">H", glyf, at)[0]
    # every point takes a flag byte at least (a repeated flag covers several): the points must fit what is left
    if at + 2 + instructions > end or (contours and at + 2 + instructions + 1 > end):
        raise damaged(path, f"glyph {gid} is cut short")


def _check_composite(glyf: memoryview, start: int, end: int, count: int, path: Path, gid: int) -> None:
    at, more = start + 10, True
    while more:
        if at + 4 > end:
            raise damaged(path, f"glyph {gid} is cut short")
        flags, part = struct.unpack_from(">HH", glyf, at)
        if part >= count:
            raise damaged(path, f"glyph {gid} is made of a glyph the font does not have")
        at += 4 + (4 if flags & 0x0001 else 2)  # the offsets: words or bytes
        at += 2 if flags & 0x0008 else 4 if flags & 0x0040 else 8 if flags & 0x0080 else 0  # the scale
        more = bool(flags & 0x0020)
    if at > end:
        raise damaged(path, f"glyph {gid} is cut short")


def damaged(path: Path, what: str) -> RenderError:
    return RenderError(f"this font is damaged ({what}); install it again or use another", where=str(path))


class Outlines:
    """One face's glyphs decoded by fontTools, each the first time a leaflet draws it (the whole of a Chinese font,
    45,000 glyphs, took 3.7 s; a leaflet draws a few hundred): its points must be all there and inside the
    font's box, a composite's parts likewise. Each glyph is decoded from its own bytes in the font's, so that
    nothing of the glyph table is copied. One per face for the life of the process (`Face.outlines`)."""

    def __init__(self, data: bytes, index: int, path: Path):
        self.path = path
        if data[:4] == b"ttcf":
            font = TTCollection(io.BytesIO(data), lazy=True).fonts[index]
        else:
            font = ToolsFont(io.BytesIO(data), lazy=True, fontNumber=index)
        self.count = font["maxp"].numGlyphs
        head = font["head"]
        margin = head.unitsPerEm
        self.box = (head.xMin - margin, head.yMin - margin, head.xMax + margin, head.yMax + margin)
        self.glyf = _table(font, data, "glyf", path)
        self.loca = _table(font, data, "loca", path)
        self.short = head.indexToLocFormat == 0
        self.checked: set[int] = set()

    extended = False  # what fontTools asks of a glyph table as it decodes a glyph: the standard one, not its extension

    def getGlyphName(self, gid: int) -> str:  # noqa: N802 - what fontTools asks a composite's parts by
        return f"glyph{gid}"

    def check(self, gids) -> None:
        for gid in gids:
            if gid not in self.checked:
                self._check(gid, 0)

    def _check(self, gid: int, depth: int) -> None:
        if not 0 <= gid < self.count or depth > 8:  # nested deeper than any real composite: a loop
            raise damaged(self.path, f"glyph {gid} cannot be drawn")
        if self.short:
            start, end = (2 * x for x in struct.unpack_from(">HH", self.loca, 2 * gid))
        else:
            start, end = struct.unpack_from(">LL", self.loca, 4 * gid)
        try:
            glyph = Glyph(bytes(self.glyf[start:end]))
            glyph.expand(self)
            parts = [int(c.glyphName[5:]) for c in glyph.components] if glyph.isComposite() else []
            points = glyph.coordinates if glyph.numberOfContours > 0 else []
            ends = glyph.endPtsOfContours if glyph.numberOfContours > 0 else []
        except Exception:  # fontTools raises many kinds for a glyph's damaged data
            raise damaged(self.path, f"glyph {gid} cannot be drawn") from None
        if ends and ends[-1] + 1 != len(points):
            raise damaged(self.path, f"glyph {gid} has points missing")
        if len(points):
            low_x, low_y, high_x, high_y = points.calcIntBounds()
            if not (self.box[0] <= low_x and self.box[1] <= low_y and high_x <= self.box[2] and high_y <= self.box[3]):
                raise damaged(self.path, f"glyph {gid} has points outside the font's box")
        for part in parts:
            self._check(part, depth + 1)
        self.checked.add(gid)
