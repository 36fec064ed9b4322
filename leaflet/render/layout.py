"""Text -> lines: break in logical order, then order each line for display (bidi) and shape it (HarfBuzz).

ReportLab's paragraph needs `rlbidi` for right-to-left text, which is not on PyPI, and reads markup, which
document text must never be. So leaflet sets its own lines: it measures shaped words, breaks where a reader
allows (never inside a number with its unit or a phone number), and orders each line's runs with the Unicode
bidi levels that python-bidi resolves.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import bidi.algorithm as uba
import uharfbuzz
from bidi import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, ShapeData, ShapedStr

from .fonts import Face, FontSet

# Closing punctuation never starts a line, opening punctuation never ends one (CJK line-breaking rules).
_NO_LINE_START = set("，。、；：！？）」』】〉》〕”’,.;:!?)]}%·・ー～…")
_NO_LINE_END = set("（「『【〈《〔“‘([{")
# Units kept on the line of the number before them.
_UNITS = re.compile(
    r"(?:(?:mg|mcg|µg|μg|g|kg|ml|mL|l|L|cc|mm|cm|m|km|IU|units?|mmHg|h|hrs?|min|s|мг|мл|г|кг|мм|см|ч|мин"
    r"|ملغ|مغ|مل|كغ|سم|مم)(?:/\w+)?|%|°C|°F)[.,;:)]?$"
)
_ENDS_NUMBER = re.compile(r"\d[\d.,]*[)]?$")
_STARTS_NUMBER = re.compile(r"^[(]?\d")
# Complex scripts whose shaped glyphs do not map back to characters one to one: their runs carry ActualText.
_COMPLEX = re.compile("[\u0900-\u0dff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff]")


# Isolates, embeddings, overrides and marks: they order the text, and are not drawn.
BIDI_CONTROLS = set("\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e\u200e\u200f\u061c")


def isolate(text: str, *, ltr: bool = False) -> str:
    """Text set as one unit inside a line of either direction: a phone number stays "020 7946 0958" in Arabic."""
    return ("\u2066" if ltr else "\u2068") + text + "\u2069"


def clean(text: str) -> str:
    """Text as it is set: composed (NFC), white space as single spaces, no soft hyphens (a hint to break that
    leaflet does not use, which some fonts would draw), no leading or trailing space."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip(" ")


def is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x20000 <= code <= 0x2FFFF
    )


# The characters is_cjk names, for a search of a whole word at once.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
                  "\U00020000-\U0002ffff]")


def tokens(text: str) -> list[str]:
    """The pieces between which a line may break, each with the spaces after it, in logical order."""
    # Only ordinary spaces break: a no-break space (U+00A0, U+202F) holds a date or phone number together.
    words = re.findall(r"[^ \t\n\u2009\u3000]+[ \t\n\u2009\u3000]*", text)
    pieces: list[str] = []
    for word in words:
        if not _CJK.search(word):
            pieces.append(word)
            continue
        current = ""
        for char in word:
            breakable = current and is_cjk(char) or current and is_cjk(current[-1]) and not char.isspace()
            if breakable and char not in _NO_LINE_START and current[-1] not in _NO_LINE_END:
                # digits and Latin letters inside CJK stay one piece ("30", "CT")
                # nor beside a digit: "2026年11月24日", "30到60分钟" keep their numbers whole
                if not (char.isascii() and char.isalnum() and current[-1].isascii() and current[-1].isalnum()) and not (
                    char.isdigit() or current[-1].isdigit()
                ):
                    pieces.append(current)
                    current = ""
            current += char
        if current:
            pieces.append(current)
    return _glue(pieces)


def _glue(pieces: list[str]) -> list[str]:
    """No break before a number, nor between a number and the number or unit after it: "Page 3", "6 mg",
    "555 0100" never split."""
    out: list[str] = []
    for piece in pieces:
        if out and out[-1][-1:].isspace():
            before = out[-1].rstrip()
            word = piece.strip()
            if _STARTS_NUMBER.match(word) or _ENDS_NUMBER.search(before) and (_UNITS.match(word) or word[:1] in "-\u2013"):
                out[-1] += piece
                continue
        out.append(piece)
    return out


@lru_cache(maxsize=None)
def register(face: Face) -> str:
    """Register a face with ReportLab once, under leaflet's stable name. Asked by name, not with getFont: for
    a name it does not know, getFont reads every Type 1 metrics file on its search path (about 20 ms) first."""
    if face.name not in pdfmetrics.getRegisteredFontNames():
        # the bytes the face was checked in, not the file again (it may have changed since, or grown)
        source = io.BytesIO(face.data) if face.data else str(face.path)
        pdfmetrics.registerFont(TTFont(face.name, source, subfontIndex=face.index))
    return face.name


@dataclass(frozen=True)
class Run:
    """Text in one face at one bidi level, shaped, ready to draw left to right."""

    text: str  # logical order, as the reader reads it
    face: Face
    size: float
    bold: bool  # drawn bold; synthetic when the face is not a bold face
    rtl: bool
    glyphs: str  # what to draw: a ShapedStr, or plain text
    width: float
    # The characters the glyphs stand for, where their own codes do not say it: shaped Devanagari (conjuncts
    # have no code of their own) and mirrored brackets. None where the glyphs map back by themselves.
    actual_text: str | None = None


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]  # in visual order, left to right
    width: float
    text: str  # logical text of the line, trailing spaces removed


class Shaper:
    """Measures and shapes text in a font set at one size, caching per piece, per measured text and per
    paragraph set: a paragraph's candidate lines measure the same words again and again, and a leaflet is laid
    out twice (the second time with "Page X of Y" known). Make one per render: the caches hold that leaflet's
    text and go with it, so a batch build's memory stays flat."""

    def __init__(self, fonts: FontSet, size: float, bold: bool = False, where: str | None = None):
        self.fonts = fonts
        self.size = size
        self.bold = bold
        self.where = where
        self._cache: dict[tuple[str, bool, str], tuple[str, float]] = {}  # (text, rtl, face) -> glyphs, width
        self._widths: dict[str, float] = {}  # text -> width
        self._lines: dict[tuple[str, float, bool], tuple[Line, ...]] = {}  # (text, width, rtl) -> lines

    def glyphs(self, text: str, face: Face, rtl: bool) -> tuple[str, float]:
        key = (text, rtl, face.name)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        name = register(face)
        font = pdfmetrics.getFont(name)
        if font.shapable and _needs_shaping(text, rtl):
            shaped = _shape(text, name, self.size, rtl, face)
            result = (shaped, sum(d.x_advance for d in shaped.__shapeData__) * self.size / 1000)
        else:
            drawn = "".join(_mirror(ch) for ch in reversed(text)) if rtl else text  # no HarfBuzz: order and mirrors
            face.outlines.check(font.face.charToGlyph.get(ord(ch), 0) for ch in drawn)
            result = (drawn, pdfmetrics.stringWidth(drawn, name, self.size))
        self._cache[key] = result
        return result

    def width(self, text: str) -> float:
        hit = self._widths.get(text)
        if hit is None:
            # measured in the direction it will be drawn: Arabic shaped left to right joins differently
            runs = self.fonts.runs(text.replace("\u00ad", ""), self.bold, self.where)
            hit = self._widths[text] = sum(self.glyphs(t, face, _has_strong_rtl(t))[1] for t, face in runs)
        return hit

    def lines(self, text: str, width: float, *, rtl: bool | None = None) -> list[Line]:
        """Break text to lines at most `width` wide, in logical order, each ordered for display."""
        rtl = self.fonts.rtl if rtl is None else rtl
        key = (text, width, rtl)
        hit = self._lines.get(key)
        if hit is None:
            hit = self._lines[key] = tuple(self._break(text, width, rtl))
        return list(hit)

    def _break(self, text: str, width: float, rtl: bool) -> list[Line]:
        text = clean(text)
        levels = _levels(text, rtl)
        pieces = tokens(text)
        widths = [self.width(p.rstrip()) for p in pieces]
        spaces = [self.width(p[len(p.rstrip()):]) if p[-1:].isspace() else 0.0 for p in pieces]
        out: list[Line] = []
        i = offset = 0
        while i < len(pieces):
            if widths[i] > width + 0.01:
                # One piece wider than the line (a long web address): break it by characters, nothing lost.
                for chunk in self._split_long(pieces[i], width):
                    if chunk.strip():
                        out.append(self._line(chunk, offset, levels, rtl))
                    offset += len(chunk)
                i += 1
                continue
            j, used = i + 1, widths[i] + spaces[i]
            while j < len(pieces) and used + widths[j] <= width + 0.01:
                used += widths[j] + spaces[j]
                j += 1
            line = self._line("".join(pieces[i:j]), offset, levels, rtl)
            # Shaped as a whole, a line can come out a little wider than its pieces measured apart.
            while line.width > width + 0.01 and j > i + 1:
                j -= 1
                line = self._line("".join(pieces[i:j]), offset, levels, rtl)
            out.append(line)
            offset += sum(len(p) for p in pieces[i:j])
            i = j
        return out

    def _split_long(self, piece: str, width: float) -> list[str]:
        """A piece wider than the line: at its (glued) spaces if that is enough, else between characters,
        never inside a character cluster (a letter and its marks, a conjunct) nor before closing punctuation."""
        words = re.findall(r"[^ ]+ *", piece)  # ordinary spaces only: a no-break space holds
        if len(words) > 1 and all(self.width(w.rstrip()) <= width for w in words):
            chunks, current = [], ""
            for word in words:
                if current and self.width((current + word).rstrip()) > width:
                    chunks.append(current)
                    current = ""
                current += word
            return chunks + [current] if current else chunks
        chunks, current = [], ""
        for char in piece:
            while current and self.width((current + char).rstrip()) > width:
                cut = _best_cut(current + char, len(current))
                chunks.append(current[:cut])
                current = current[cut:]
            current += char
        if current:
            chunks.append(current)
        return chunks

    def _line(self, text: str, start: int, levels: list[int], rtl: bool) -> Line:
        logical = text.rstrip()
        line_levels = levels[start : start + len(logical)]
        parts = self.fonts.runs(logical, self.bold, self.where) if logical else []
        ordered = _visual_order(_levelled(parts, line_levels, rtl))
        shaped = []
        for part, face, level, alone in ordered:
            glyphs, width = self.glyphs(part, face, bool(level % 2))
            actual = part if alone or (level % 2 == 0 and _COMPLEX.search(part)) else None
            shaped.append(Run(part, face, self.size, self.bold, bool(level % 2), glyphs, width, actual))
        return Line(tuple(shaped), sum(r.width for r in shaped), logical)


def _levelled(parts: list[tuple[str, Face]], levels: list[int], rtl: bool,
              whole: bool = True) -> list[tuple[str, Face, int, bool]]:
    """A line's font runs cut where the bidi level changes: (text, face, level, alone) in logical order. A part
    at one even level with no bidi control in it (all of a left-to-right line, most of a mixed one) joins as a
    whole, as its characters one at a time would (`whole=False` walks them all: the tests compare the two)."""
    runs: list[tuple[str, Face, int, bool]] = []
    position = 0
    for part, face in parts:
        end = position + len(part)
        same = levels[position:end]
        if whole and part and len(same) == len(part) and same[0] % 2 == 0 and same.count(same[0]) == len(same) \
                and BIDI_CONTROLS.isdisjoint(part):
            _join(runs, part, face, same[0], False)
        else:
            for i, char in enumerate(part):
                level = levels[position + i] if position + i < len(levels) else int(rtl)
                if char in BIDI_CONTROLS:  # they set the levels; there is nothing to draw
                    continue
                # A bracket at a right-to-left level is drawn mirrored, on its own, so that it can say
                # which character it stands for (text extraction does not mirror it back).
                _join(runs, char, face, level, level % 2 == 1 and _mirror(char) != char)
        position = end
    return runs


def _join(runs: list[tuple[str, Face, int, bool]], text: str, face: Face, level: int, alone: bool) -> None:
    """Add text to the last run when it has the same face and level and neither stands alone."""
    if runs and not alone and not runs[-1][3] and runs[-1][2] == level and (runs[-1][1] is face or runs[-1][1] == face):
        runs[-1] = (runs[-1][0] + text, face, level, False)
    else:
        runs.append((text, face, level, alone))


# HarfBuzz features: kerning and the script's required forms, but no optional ligatures, so that "fi" stays
# two letters for a screen reader and for copy and paste.
_FEATURES = {"kern": True, "liga": False, "dlig": False, "clig": False}


# ReportLab raises (or lowers) a mark placed on its letter with the text rise operator. poppler puts a glyph moved
# by more than about 0.2 em on a line of its own, and then orders a right-to-left line's pieces wrongly
# (measured: fathatan at 0.202 em split the line; 0.195 em did not). Marks are kept just below that.
_MAX_MARK_RISE = 190  # thousandths of an em


def _shape(text: str, name: str, size: float, rtl: bool, face: Face) -> ShapedStr:
    """Shape a run with HarfBuzz in the direction its bidi level gives (ReportLab's own shaper guesses it from
    the script, and would turn Arabic-Indic digits "١٢٥" of a left-to-right number around)."""
    font = pdfmetrics.getFont(name)
    hb_font = font.hbFont(size)
    buffer = uharfbuzz.Buffer()
    buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    uharfbuzz.shape(hb_font, buffer, _FEATURES)
    face.outlines.check(info.codepoint for info in buffer.glyph_infos)  # what will be embedded, checked first
    chars, data = [], []
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions):
        glyph = info.codepoint
        try:
            code = font.face.glyphToChar[glyph][0]
        except (KeyError, IndexError):  # a glyph of no character of its own (a conjunct, a joining form)
            code = font.hbAddPrivate(hb_font.glyph_to_string(glyph), glyph, position.x_advance)
        y_offset = font.pdfScale(position.y_offset)
        if rtl and abs(y_offset) > _MAX_MARK_RISE:
            y_offset = _MAX_MARK_RISE if y_offset > 0 else -_MAX_MARK_RISE
        data.append(ShapeData(info.cluster, font.pdfScale(position.x_advance), font.pdfScale(position.y_advance),
                              font.pdfScale(position.x_offset), y_offset, font.face.charWidths[code]))
        chars.append(chr(code))
    return ShapedStr("".join(chars), shapeData=data)


def _best_cut(text: str, limit: int) -> int:
    """Where to cut text[:limit + 1] when no space is left: the last place that is not inside a character
    cluster, before closing punctuation or beside a digit; else the last not inside a cluster or a number;
    else right at the limit (a single unbreakable run wider than the line). Before a number is a fair place;
    after a digit (inside the number, or between it and its unit) is not."""
    def inside(i: int) -> bool:
        return _continues_cluster(text[i - 1], text[i])

    for allowed in (
        lambda i: not inside(i) and text[i] not in _NO_LINE_START and not text[i - 1].isdigit(),
        lambda i: not inside(i) and not (text[i].isdigit() and text[i - 1].isdigit()),
    ):
        for i in range(limit, 0, -1):
            if allowed(i):
                return i
    return limit


def _continues_cluster(before: str, char: str) -> bool:
    """No break between these two: a mark or joiner after its letter, or a letter after a virama."""
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me") or char in "\u200c\u200d"
        or before in "\u200d" or unicodedata.combining(before) == 9  # virama: the conjunct goes on
    )


def _has_strong_rtl(text: str) -> bool:
    if not text or max(text) < "\u0590":  # before Hebrew there is no right-to-left letter (a C loop, not Python's)
        return False
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def _mirror(char: str) -> str:
    return uba.MIRRORED.get(char, char)


def _needs_shaping(text: str, rtl: bool) -> bool:
    return rtl or bool(text) and max(text) > "\u02ff"


def _levels(text: str, rtl: bool) -> list[int]:
    """The resolved bidi embedding level of every character of a paragraph.

    python-bidi's Rust core (the unicode-bidi crate: Unicode 6.3+ bracket pairs, isolates, and a level for
    every character, invisible ones included) reports its levels only in its debug text, one per UTF-8
    byte; they are read from there. Should that text ever change shape, the library's pure-Python
    algorithm stands in, with each character's level mapped back by position.
    """
    if not rtl and not _has_strong_rtl(text):
        return [0] * len(text)
    levels = _crate_levels(text, rtl)
    return levels if levels is not None else _python_levels(text, rtl)


_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _crate_levels(text: str, rtl: bool) -> list[int] | None:
    try:
        debug = get_display(text, base_dir="R" if rtl else "L", debug=True)
        section = debug[debug.index("levels:") : debug.index("paragraphs:")]
    except (ValueError, TypeError):
        return None
    per_byte = [int(level) for level in _LEVEL.findall(section)]
    if len(per_byte) != len(text.encode("utf-8")):
        return None
    levels, position = [], 0
    for char in text:
        levels.append(per_byte[position])
        position += len(char.encode("utf-8"))
    return levels


def _python_levels(text: str, rtl: bool) -> list[int]:
    # The pure-Python algorithm knows no isolates: read them as the embeddings they resemble.
    text = text.translate({0x2066: 0x202A, 0x2067: 0x202B, 0x2068: 0x202A, 0x2069: 0x202C})
    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels(text, storage, False, False)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    uba.explicit_embed_and_overrides(storage, False)  # drops format characters (rule X9)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    levels: list[int | None] = [None] * len(text)
    for char in storage["chars"]:
        levels[char["index"]] = char["level"]
    last = int(rtl)
    for i, level in enumerate(levels):  # a dropped character takes the level of the one before it
        last = level if level is not None else last
        levels[i] = last
    return levels  # type: ignore[return-value]


def _visual_order(runs: list[tuple]) -> list[tuple]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every sequence at that level or above."""
    if not runs:
        return runs
    order = list(runs)
    highest = max(r[2] for r in order)
    lowest_odd = min((r[2] for r in order if r[2] % 2), default=None)
    if lowest_odd is None:
        return order
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if order[i][2] >= level:
                j = i
                while j < len(order) and order[j][2] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order
