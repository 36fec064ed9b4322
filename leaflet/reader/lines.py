"""The lines of a procedure file: their list marks, and whether each line break was the author's or an editor's.

A person tells a wrapped sentence from a list written one entry a line at a glance; the reader needs the
clues spelled out: a line that continues in lower case, or ends on "the" or a comma, was wrapped; in a file
wrapped at a fixed width, a break that leaves room for the next word on the line was made by the author;
in a file of long unwrapped lines, every break was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..legible import visible

# "-", "*", "–", "—" need a space after them ("-5 °C" is no item); symbol bullets, Word's Symbol-font
# bullets (U+F0B7 ...) and a dash before a letter ("-Bring ID") do not.
_SYMBOL_BULLETS = (
    "\u2022\u00b7\u25aa\u25e6\u2023\u25cf\u25cb\u25a0\u25a1\u25ba\u27a2\u2713\u2714\u2192"
    "\uf0b7\uf0a7\uf0a8\uf0d8\uf076\uf0fc\uf06e"
)
ITEM = re.compile(
    rf"(?P<indent> *)(?:[-*\u2013\u2014]\s+|[{_SYMBOL_BULLETS}]\s*|-(?=[^\W\d_])|(?P<number>\d{{1,3}})[.)]\s+)"
    r"(?P<text>\S.*)"
)
# Marks word processors put before nested items: Word's "o", and letters "a." "b)" "(c)".
SUBITEM = re.compile(r"(?P<indent> *)(?P<mark>o|\(?[a-z][.)])\s+(?P<text>\S.*)")
_RULE_CHARS = frozenset("-=_*~\u2013\u2014\u2022")
_RULE = re.compile(r"\s*(?:[-=_*~\u2013\u2014\u2022]\s*){3,}|\s*[-*\u2022\u2013\u2014]\s*")
# A line ending in one of these was cut in the middle of a sentence.
CONNECTIVE_END = re.compile(
    r"(?:[,(\-\u2013/&]|\b(?:and|or|nor|but|of|the|a|an|to|with|without|for|in|into|onto|by|on|at|from|as|"
    r"is|are|was|were|be|been|will|may|can|should|must|your|their|his|her|its|our|my|this|that|these|those|"
    r"which|who|whose|than|between|about|after|before|over|under|through|during|until|within|such|like|"
    r"including|every|each|per|very|more|less|if|when|while|because|least|most|approximately|around|not))$",
    re.I,
)
# A full stop (or "?", "!", ":", ";"), perhaps inside closing quotes or brackets; "(rare)" alone is none.
SENTENCE_END = re.compile(r"[.!?:;][)\]\"\u201d\u2019\u00bb]*$")
SHORT_LINE = 50  # characters: without other clues, a line this short was ended by its author
_MAX_WRAP = 100  # wider than this, a file is not hard-wrapped: its authors break lines themselves
_MIN_WRAP = 30  # no editor wraps narrower; shorter "wraps" are the author's own
_SLACK = 8  # a long word or a URL may stick out of a wrapped file's width by this much


@dataclass
class Line:
    """One line as the text reader sees it. A plain text file's lines are its own; a Markdown or Word document
    becomes lines too, with `number` its own position (a Markdown line, a Word paragraph) and `marked` what the
    document itself says the line is, which the reader believes over any guess from the line's shape."""

    number: int
    raw: str  # tabs expanded, right-stripped
    text: str  # stripped, inner white space collapsed
    marked: str = ""  # "" (plain text: judged by its shape), "heading", "title", "item", "row" or "paragraph"
    why: str = ""  # how the document marks it, for `inspect --explain` ("Heading 2 style", "Word numbering")
    level: int = 0  # a marked heading's level (1 = the top), or a marked item's nesting (0 = the top)
    ordered: bool = False  # a marked item that is numbered or lettered
    cells: tuple[str, ...] = ()  # a plain text line's cells, where tabs split it ("Warfarin<tab>Stop 5 days before")

    @property
    def indent(self) -> int:
        return len(self.raw) - len(self.raw.lstrip(" "))


MARK_ONLY = re.compile(rf"o|[-*\u2013\u2014{_SYMBOL_BULLETS}]|\(?\w{{1,3}}[.)]")


def text_line(number: int, raw: str) -> Line:
    """A plain text line; one with tabs inside it (not only before it, or after a list mark) keeps its cells."""
    cells: tuple[str, ...] = ()
    if "\t" in raw and "\t" in raw.strip():
        parts = [part.strip() for part in raw.strip().split("\t") if part.strip()]
        if len(parts) >= 2 and not MARK_ONLY.fullmatch(parts[0]):
            cells = tuple(parts)
    return Line(number, raw.expandtabs(4).rstrip(), clean(raw), cells=cells)


def clean(text: str) -> str:
    """A line's text, inner white space collapsed; a line with nothing visible in it (zero-width spaces only)
    is a blank line, not an empty item or paragraph printed as a bullet with nothing after it."""
    text = " ".join(text.split())
    return text if not text or visible(text) else ""


def is_address(text: str, address: str) -> bool:
    """Is a link's text its address ("example.org" for "https://www.example.org/", "0123 456 789" for
    "tel:0123456789")? Then the address is not printed after it again."""
    return _bare(text) == _bare(address)


def _bare(address: str) -> str:
    address = re.sub(r"^(?:https?://|mailto:|tel:)?(?:www\.)?", "", address.strip().lower()).rstrip("/")
    return re.sub(r"[^\w@+/]", "", address)


def join_cells(cells: list[str]) -> str:
    """A table row as one list item, its cells in order: "Warfarin: Stop 5 days before. Ask your doctor."

    The first cell names what the row is about, so a colon follows it; later cells follow as sentences,
    with a semicolon where a cell ends without punctuation. Empty cells are left out."""
    cells = [clean(c) for c in cells if c and c.strip()]
    text = ""
    for index, cell in enumerate(cells):
        if index:
            text += " " if text[-1] in ".!?:;" else (": " if index == 1 else "; ")
        text += cell
    return text


SIGNATURE_MARK = "--"  # "-- " starts an e-mail signature: what follows is no part of the procedure
_HYPHEN_END = re.compile(r"[^\W_]-$")


def join_wrapped(parts: list[str]) -> str:
    """Join wrapped lines with one space; a word or range hyphenated at the end of a line ("gall-" /
    "bladder", "6-" / "8 hours") keeps its hyphen and no space (whether the hyphen was the word's own
    cannot be known)."""
    pieces = parts[:1]
    for before, part in zip(parts, parts[1:]):
        joined = (part[:1].islower() or part[:1].isdigit()) and _HYPHEN_END.search(before)  # "gall-/bladder", "6-/8"
        pieces.append(("" if joined else " ") + part)
    return "".join(pieces)


def is_rule(text: str) -> bool:
    return text[:1] in _RULE_CHARS and bool(_RULE.fullmatch(text))


def bare_short(line: Line | None, *, any_length: bool = False) -> bool:
    """A short unmarked line that ends without punctuation: one entry of a list written without marks.

    In a file that is not hard-wrapped every line break is the author's, so there a line of any length
    (`any_length`) can be an entry: "Sciatica from a disc bulge that has lasted more than six weeks".
    """
    return (
        line is not None
        and 0 < len(line.text)
        and (any_length or len(line.text) < SHORT_LINE)
        and not SENTENCE_END.search(line.text)
        and not CONNECTIVE_END.search(line.text)
        and not ITEM.fullmatch(line.raw)
    )


def wrap_width(lines: list[Line]) -> int | None:
    """The width a file was hard-wrapped at, or None when its authors broke the lines themselves.

    Measured on the lines that certainly were wrapped (the next line goes on in lower case): the longest of
    them is the editor's width. Two such lines are needed, a width an editor would use, and hardly a line
    longer than it.
    """
    widths = [
        len(a.raw)
        for a, b in zip(lines, lines[1:])
        if a.text and b.text and b.text[0].islower() and not ITEM.fullmatch(b.raw)
    ]
    if len(widths) < 2:
        return None
    width = max(widths)
    if not _MIN_WRAP <= width <= _MAX_WRAP:
        return None
    # In a wrapped file no line is much longer than the width; a few wrapped list items in a file of long
    # lines say nothing about the long lines.
    longer = sum(1 for line in lines if len(line.raw) > width + _SLACK)
    return None if longer > max(1, len(lines) // 20) else width


class Breaks:
    """Judges the break between two consecutive non-blank lines of one file."""

    def __init__(self, lines: list[Line]):
        self.width = wrap_width(lines)

    def continues(self, prev: Line | None, line: Line) -> bool:
        """Does `line` carry on the sentence of `prev` (an editor's wrap or a break mid-sentence)?"""
        if prev is None or not prev.text:
            return False
        return line.text[0].islower() or self.cut(prev, line)

    def cut(self, prev: Line, line: Line) -> bool:
        """Was `prev` cut short of its end: after a word like "the", or where the next word would not fit?"""
        if CONNECTIVE_END.search(prev.text):
            return True
        if self.width is None:
            return False
        word = line.text.split(None, 1)[0]
        return len(prev.raw) + 1 + len(word) > self.width

    def deliberate(self, prev: Line | None, line: Line, *, heading: bool = False) -> bool:
        """Did the author end `prev` (or is there no line before), so that a new block may start here?

        A heading the reader knows may be written in lower case ("purpose"): then only a cut counts.
        """
        if prev is None or not prev.text:
            return True
        return not (self.cut(prev, line) if heading else self.continues(prev, line))
