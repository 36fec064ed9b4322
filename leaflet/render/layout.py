"""Text -> lines: break in logical order, then order each line for display (bidi) and shape it (HarfBuzz).

ReportLab's paragraph needs `rlbidi` for right-to-left text, which is not on PyPI, and reads markup, which
document text must never be. So leaflet sets its own lines: it measures shaped words, breaks where a reader
allows (never inside a number with its unit or a phone number), and orders each line's runs with the Unicode
bidi levels that python-bidi resolves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import bidi.algorithm as uba
from reportlab.pdfbase import pdfmetrics
from reportlab.lib.abag import ABag
from reportlab.pdfbase.ttfonts import TTFont, ShapedStr, shapeFragWord

from .fonts import Face, FontSet

# Closing punctuation never starts a line, opening punctuation never ends one (CJK line-breaking rules).
_NO_LINE_START = set("，。、；：！？）」』】〉》〕”’,.;:!?)]}%·・ー～…")
_NO_LINE_END = set("（「『【〈《〔“‘([{")
# Units kept on the line of the number before them.
_UNITS = re.compile(
    r"(?:mg|mcg|µg|μg|g|kg|ml|mL|l|L|cc|mm|cm|m|km|°C|°F|%|IU|units?|mmHg|h|hrs?|min|s)\b[.,;:)]?$"
)
_ENDS_NUMBER = re.compile(r"\d[\d.,]*[)]?$")
_STARTS_NUMBER = re.compile(r"^[(]?\d")
# Complex scripts whose shaped glyphs do not map back to characters one to one: their runs carry ActualText.
_COMPLEX = re.compile("[\u0900-\u0dff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff]")


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


def tokens(text: str) -> list[str]:
    """The pieces between which a line may break, each with the spaces after it, in logical order."""
    # Only ordinary spaces break: a no-break space (U+00A0, U+202F) holds a date or phone number together.
    words = re.findall(r"[^ \t\n\u2009\u3000]+[ \t\n\u2009\u3000]*", text)
    pieces: list[str] = []
    for word in words:
        if not any(is_cjk(ch) for ch in word):
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
            if _STARTS_NUMBER.match(word) or _ENDS_NUMBER.search(before) and _UNITS.match(word):
                out[-1] += piece
                continue
        out.append(piece)
    return out


@lru_cache(maxsize=None)
def register(face: Face) -> str:
    """Register a face with ReportLab once, under leaflet's stable name."""
    try:
        pdfmetrics.getFont(face.name)
    except KeyError:
        pdfmetrics.registerFont(TTFont(face.name, str(face.path), subfontIndex=face.index))
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
    """Measures and shapes text in a font set at one size, caching per piece."""

    def __init__(self, fonts: FontSet, size: float, bold: bool = False, where: str | None = None):
        self.fonts = fonts
        self.size = size
        self.bold = bold
        self.where = where
        self._cache: dict[tuple[str, bool], tuple[str, float]] = {}

    def glyphs(self, text: str, face: Face, rtl: bool) -> tuple[str, float]:
        key = (text, rtl, face.name)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        name = register(face)
        font = pdfmetrics.getFont(name)
        if rtl and not _has_strong_rtl(text):
            # Neutrals at a right-to-left level (brackets, full stops): HarfBuzz would guess left-to-right.
            drawn = "".join(uba.mirrored(ch) and _mirror(ch) or ch for ch in reversed(text))
            result = (drawn, pdfmetrics.stringWidth(drawn, name, self.size))
        elif font.shapable and _needs_shaping(text):
            shaped = _shape(text, name, self.size)
            if isinstance(shaped, ShapedStr):
                width = sum(d.x_advance for d in shaped.__shapeData__) * self.size / 1000
            else:
                width = pdfmetrics.stringWidth(shaped, name, self.size)
            result = (shaped, width)
        else:
            result = (text, pdfmetrics.stringWidth(text, name, self.size))
        self._cache[key] = result
        return result

    def width(self, text: str) -> float:
        return sum(self.glyphs(t, face, False)[1] for t, face in self.fonts.runs(text, self.bold, self.where))

    def lines(self, text: str, width: float, *, rtl: bool | None = None) -> list[Line]:
        """Break text to lines at most `width` wide, in logical order, each ordered for display."""
        rtl = self.fonts.rtl if rtl is None else rtl
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
        chunks, current = [], ""
        for char in piece:
            if current and self.width((current + char).rstrip()) > width:
                chunks.append(current)
                current = ""
            current += char
        if current:
            chunks.append(current)
        return chunks

    def _line(self, text: str, start: int, levels: list[int], rtl: bool) -> Line:
        logical = text.rstrip()
        line_levels = levels[start : start + len(logical)]
        runs: list[tuple[str, Face, int, bool]] = []
        position = 0
        for part, face in self.fonts.runs(logical, self.bold, self.where) if logical else []:
            for i, char in enumerate(part):
                level = line_levels[position + i] if position + i < len(line_levels) else int(rtl)
                # A bracket at a right-to-left level is drawn mirrored, on its own, so that it can say
                # which character it stands for (text extraction does not mirror it back).
                alone = level % 2 == 1 and _mirror(char) != char
                if runs and runs[-1][1] == face and runs[-1][2] == level and not alone and not runs[-1][3]:
                    runs[-1] = (runs[-1][0] + char, face, level, False)
                else:
                    runs.append((char, face, level, alone))
            position += len(part)
        ordered = _visual_order(runs)
        shaped = []
        for part, face, level, alone in ordered:
            glyphs, width = self.glyphs(part, face, bool(level % 2))
            actual = part if alone or (level % 2 == 0 and _COMPLEX.search(part)) else None
            shaped.append(Run(part, face, self.size, self.bold, bool(level % 2), glyphs, width, actual))
        return Line(tuple(shaped), sum(r.width for r in shaped), logical)


# HarfBuzz features: kerning and the script's required forms, but no optional ligatures, so that "fi" stays
# two letters for a screen reader and for copy and paste.
_FEATURES = {"kern": True, "liga": False, "dlig": False, "clig": False}


# ReportLab raises (or lowers) a mark placed on its letter with the text rise operator. poppler puts a glyph moved
# by more than about 0.2 em on a line of its own, and then orders a right-to-left line's pieces wrongly
# (measured: fathatan at 0.202 em split the line; 0.195 em did not). Marks are kept just below that.
_MAX_MARK_RISE = 190  # thousandths of an em


def _shape(text: str, name: str, size: float) -> str:
    word = [pdfmetrics.stringWidth(text, name, size), (ABag(fontName=name, fontSize=size), text)]
    shaped = shapeFragWord(word, features=_FEATURES)[1][1]
    if isinstance(shaped, ShapedStr) and _has_strong_rtl(text):
        shaped.__shapeData__ = [
            d._replace(y_offset=max(-_MAX_MARK_RISE, min(d.y_offset, _MAX_MARK_RISE))) if abs(d.y_offset) > _MAX_MARK_RISE else d
            for d in shaped.__shapeData__
        ]
    return shaped


def _has_strong_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def _mirror(char: str) -> str:
    return uba.MIRRORED.get(char, char)


def _needs_shaping(text: str) -> bool:
    return any(ord(ch) > 0x2FF for ch in text)


def _levels(text: str, rtl: bool) -> list[int]:
    """The resolved bidi embedding level of every character of a paragraph (python-bidi's algorithm)."""
    if not rtl and not _has_strong_rtl(text):
        return [0] * len(text)
    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels(text, storage, False, False)
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    levels = [c["level"] for c in storage["chars"]]
    if len(levels) != len(text):  # format characters removed by the algorithm: keep the base direction
        return [int(rtl)] * len(text)
    # Trailing white space takes the paragraph level (rule L1), so a line's end stays at its margin.
    return levels


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
