"""Page furniture of exported documents: the page headers and footers that Word or a PDF viewer copies into the
text once a page ("Page 1 of 3   Rev. 02/2025", "Form PI-112 (03/24)"), found by their repetition."""

from __future__ import annotations

import re
from collections import Counter

from .lines import CONNECTIVE_END, SENTENCE_END, Line

# A line that is only a page number: "2", "- 2 -", "Page 2", "Page 2 of 3", "2/3", "p. 2".
_PAGE_NUMBER = re.compile(r"[-\u2013\u2014 ]*(?:(?:page|p\.|pg\.?|página|pagina|seite)\s*)?\d{1,3}(?:\s*(?:of|/|de|sur|von)\s*\d{1,3})?[-\u2013\u2014 ]*", re.I)
# "... Page 1 of 2" at the end of a longer line (a footer with the document's name before it).
_PAGE_OF = re.compile(r"\b(?:page|página|pagina|seite)\s*\d{1,3}\s*(?:of|/|de|sur|von)\s*\d{1,3}\b", re.I)
# What else page furniture says: a revision or form number, a date of issue, a copyright.
_CUES = re.compile(
    r"\b(?:page|rev(?:ision|ised)?\.?|version|ver\.|form|printed|issued|updated|review(?:ed)? date|leaflet (?:no|number|ref)|"
    r"ref(?:erence)?\.?|doc(?:ument)? (?:no|id)|patient (?:information|education|handout|leaflet)|copyright|confidential)\b"
    r"|\u00a9|\(c\)\s*\d{4}|\b\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}\b",
    re.I,
)
_CANDIDATE = re.compile(rf"\d|{_CUES.pattern}", re.I)  # every page number has a digit
_MAX_FURNITURE = 120  # characters: a footer is one short line
_MIN_REPEATS = 2


def _shape(text: str) -> str:
    """A line with its numbers blanked, so that "Page 1 of 3" and "Page 2 of 3" are one footer."""
    return re.sub(r"\d+", "#", text.lower())


def furniture(lines: list[Line]) -> set[int]:
    """The indexes of the lines that are page furniture.

    A page number alone is furniture wherever it is. Any other line is when it says what furniture says (a page,
    a revision, a form number, a date, "Patient Information") and comes back on later pages (its shape, numbers
    aside, at least twice). A repeated line without such a cue ("Bleeding") is content, and so is a repeated
    sentence.
    """
    # Most lines say nothing of pages; only those that do are counted and compared (a cheap first look).
    candidates = [
        (index, line.text) for index, line in enumerate(lines)
        if len(line.text) <= _MAX_FURNITURE and _CANDIDATE.search(line.text) and not line.marked
    ]
    shapes = Counter(_shape(text) for _, text in candidates)
    found: set[int] = set()
    for index, text in candidates:
        if _PAGE_NUMBER.fullmatch(text) and not text.rstrip().endswith("."):
            found.add(index)
        elif _PAGE_OF.search(text) and not SENTENCE_END.search(text.rstrip(" .")):
            found.add(index)  # "Cardiology Patient Information  Page 1 of 2", even once
        elif shapes[_shape(text)] >= _MIN_REPEATS and _CUES.search(text) and not _sentence(text):
            found.add(index)
    return found


def _sentence(text: str) -> bool:
    """A line of prose, which a footer is not: several words ending a sentence ("See page 2 for more.")."""
    return len(text.split()) > 6 and text.rstrip()[-1:] in ".!?" and not _PAGE_OF.search(text)


def without_furniture(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """The lines with their page furniture left out, and the furniture.

    Where a page break cut a paragraph ("...do not eat" / footer / "or drink after midnight"), the blank lines
    around the footer go with it, so that the paragraph joins again.
    """
    found = furniture(lines)
    if not found:
        return lines, []
    kept: list[Line] = []
    index = 0
    while index < len(lines):
        if index not in found:
            kept.append(lines[index])
            index += 1
            continue
        end = index
        while end < len(lines) and (end in found or not lines[end].text):
            end += 1  # the footer, the header of the next page, and the blank lines between them
        before = next((line for line in reversed(kept) if line.text), None)
        after = lines[end] if end < len(lines) else None
        if before is not None and after is not None and not SENTENCE_END.search(before.text) and (
            after.text[:1].islower() or CONNECTIVE_END.search(before.text)
        ):
            while kept and not kept[-1].text:
                kept.pop()  # a sentence the page break cut: its two halves join again
        elif kept and kept[-1].text and any(not lines[k].text for k in range(index, end)):
            kept.append(Line(lines[index].number, "", ""))  # the paragraph ended at the page break
        index = end
    return kept, [lines[i] for i in sorted(found)]
