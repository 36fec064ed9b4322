"""Text that can be drawn legibly: no tower of combining marks on one letter, and something visible to read.

A letter carries a few marks in real writing (Vietnamese two, Thai and Hebrew with points three or four); ten
thousand of them are drawn as a line down the whole page, through the text around it. A clinic name made only of
zero-width characters prints an empty contact box. Both pass every check of characters one at a time.
"""

from __future__ import annotations

import unicodedata

MAX_MARKS = 4  # combining marks on one base character
_MARKS = frozenset(("Mn", "Mc", "Me"))
# Letters that are drawn as nothing at all: the Hangul fillers and the blank Braille pattern.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def most_marks(text: str) -> int:
    """The longest run of combining marks on one base character. Invisible format characters (a zero-width
    joiner) between the marks neither end the run nor count in it."""
    if not text or max(text) < "\u0300":  # no combining mark comes before U+0300
        return 0
    most = run = 0
    for char in text:
        category = unicodedata.category(char)
        if category in _MARKS:
            run += 1
            most = max(most, run)
        elif category != "Cf":
            run = 0
    return most


def too_many_marks(text: str) -> str | None:
    """Why a text cannot be drawn sanely, or None."""
    most = most_marks(text)
    if most > MAX_MARKS:
        return f"{most} combining marks on one letter (at most {MAX_MARKS}): they would be drawn as a line through the text"
    return None


def visible(text: str) -> bool:
    """Whether anything is left to read once white space, invisible format characters (category Cf: zero-width
    spaces and joiners, direction marks), the letters drawn blank (Hangul fillers) and marks with no letter are
    removed."""
    return any(not char.isspace() and char not in _BLANK_LETTERS and unicodedata.category(char) not in ("Cf", *_MARKS)
               for char in text)


def unprintable(text: str) -> str | None:
    """Why a name or a field printed on every leaflet (a clinic's name, a reviewer's) cannot be, or None."""
    if not visible(text):
        return "nothing visible in it (only invisible or zero-width characters)"
    return too_many_marks(text)
