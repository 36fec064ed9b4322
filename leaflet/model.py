"""The procedure document model: frozen values, no I/O. Every node keeps its source line."""

from __future__ import annotations

from dataclasses import dataclass, field

# Canonical section keys in the order the source format lists them.
SECTION_KEYS = (
    "summary",
    "purpose",
    "indications",
    "preparation",
    "procedure",
    "duration",
    "setting",
    "personnel",
    "risks",
    "benefits",
    "recovery",
    "alternatives",
    "experience",
    "warning",  # when to get help: the safety content every real leaflet has
)
OTHER = "other"

# The header fields that carry translatable text, in document order.
NAME_FIELDS = ("title", "name", "common_names", "medical_terms")


@dataclass(frozen=True)
class Block:
    """A paragraph or a list item. `level` is 1 for a nested item; `ordered` for numbered steps."""

    kind: str  # "paragraph" | "item"
    text: str
    line: int
    level: int = 0
    ordered: bool = False


@dataclass(frozen=True)
class Section:
    key: str  # one of SECTION_KEYS, or OTHER
    heading: str  # as written in the source, without a trailing colon
    line: int
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Field:
    """A header value (title, name, ...) and the line it starts on."""

    text: str
    line: int


@dataclass(frozen=True)
class Procedure:
    domain: str
    source: str  # the path as given, used in catalog locations
    title: Field | None = None
    code: str | None = None
    name: Field | None = None
    common_names: Field | None = None
    medical_terms: Field | None = None
    sections: tuple[Section, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # How each line was read, for `leaflet inspect --explain`: (line, "heading, capitals and colon -> preparation")
    notes: tuple[tuple[int, str], ...] = field(default=(), compare=False, repr=False)

    def field(self, name: str) -> Field | None:
        return getattr(self, name)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_dict(self) -> dict:
        """The `leaflet inspect --json` contract."""

        def text(f: Field | None) -> str:
            return f.text if f else ""

        return {
            "domain": self.domain,
            "title": text(self.title),
            "code": self.code,
            "name": text(self.name),
            "common_names": text(self.common_names),
            "medical_terms": text(self.medical_terms),
            "sections": [
                {
                    "key": s.key,
                    "heading": s.heading,
                    "blocks": [
                        {"kind": b.kind, "text": b.text, "level": b.level, "ordered": b.ordered}
                        for b in s.blocks
                    ],
                }
                for s in self.sections
            ],
        }
