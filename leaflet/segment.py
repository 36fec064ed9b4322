"""Procedure model -> translatable messages: one per name field and per block, placed for the translator."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .model import NAME_FIELDS, OTHER, Procedure, Section

# How the translator is told where a header field comes from.
FIELD_COMMENTS = {
    "title": "Official descriptor (title line)",
    "name": "Name of the procedure",
    "common_names": "Common names",
    "medical_terms": "Medical terms",
}


@dataclass(frozen=True)
class Message:
    """One translatable unit. `context` is the msgctxt: the section key or the header field's name."""

    id: str
    context: str
    comment: str
    location: tuple[str, int]


def segment(procedure: Procedure, *, location_base: str | Path | None = None) -> list[Message]:
    """The procedure's messages in document order.

    Locations name the source file relative to `location_base` (the working directory by default) when it
    lies below it, so that catalogs do not change with the machine they were made on.
    """
    where = _location_path(procedure.source, location_base)
    messages: list[Message] = []
    for name in NAME_FIELDS:
        value = procedure.field(name)
        if value is not None and value.text:
            messages.append(Message(value.text, name, FIELD_COMMENTS[name], (where, value.line)))
    for section in procedure.sections:
        if section.key == OTHER:
            messages.append(Message(section.heading, OTHER, "Heading of a section of its own", (where, section.line)))
        messages.extend(_section_messages(section, where))
    return messages


def _section_messages(section: Section, where: str) -> list[Message]:
    totals = Counter(_kind_word(b) for b in section.blocks)
    seen: Counter[str] = Counter()
    out = []
    for block in section.blocks:
        word = _kind_word(block)
        seen[word] += 1
        comment = f"{section.heading}, {word} {seen[word]} of {totals[word]}"
        if block.level:
            comment += " (nested under the item before)"
        out.append(Message(block.text, section.key, comment, (where, block.line)))
    return out


def _kind_word(block) -> str:
    if block.kind == "paragraph":
        return "paragraph"
    return "step" if block.ordered else "item"


def _location_path(source: str, base: str | Path | None) -> str:
    path = Path(source)
    base_path = Path(base) if base is not None else Path.cwd()
    try:
        return path.resolve().relative_to(base_path.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
