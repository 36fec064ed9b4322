"""Procedure description text -> Procedure model: the header fields, the sections and their blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourceError
from .model import OTHER, SECTION_KEYS, Block, Field, Procedure, Section
from .textfile import decode, split_lines

# The seed's headings (normalized: lower case, "&" read as "and"), plus a few plain variants.
HEADINGS = {
    "summary": "summary",
    "purpose": "purpose",
    "indications": "indications",
    "preparation": "preparation",
    "procedure description": "procedure",
    "description of the procedure": "procedure",
    "duration": "duration",
    "setting": "setting",
    "personnel": "personnel",
    "risks and complications": "risks",
    "risks": "risks",
    "benefits": "benefits",
    "recovery": "recovery",
    "alternatives": "alternatives",
    "patient experience": "experience",
}
assert set(HEADINGS.values()) == set(SECTION_KEYS)
_HEADING_FIRST_WORDS = frozenset(heading.split()[0] for heading in HEADINGS)

RESERVED_DOMAINS = {"leaflet"}  # the leaflet's own wording has this domain
PROCEDURE_SUFFIX = ".txt"

_LABELS = (
    # "CPT4 code", "CPT-4 Code:", "CPT® code(s) -", "CPT:", "CPT 4 code #"
    ("code", re.compile(r"cpt\s*(?:\u00ae|\(r\))?\s*-?\s*4?\s*(?:codes?|code\(s\))?(?:\s*[:#\-\u2013]\s*|\s+|$)(?P<rest>.*)", re.I)),
    ("name", re.compile(r"(?:name of (?:the )?procedure|procedure name)\s*(?::\s*(?P<rest>.*))?", re.I)),
    ("common_names", re.compile(r"common names?\s*(?::\s*(?P<rest>.*))?", re.I)),
    ("medical_terms", re.compile(r"medical terms?\s*(?::\s*(?P<rest>.*))?", re.I)),
)
_CODE = re.compile(r"[0-9]{4}[0-9A-Z](?:\s*(?:[,/;]|and|or)\s*[0-9]{4}[0-9A-Z])*", re.I)
_NO_CODE = {"", "n/a", "na", "none", "unknown", "not assigned", "tbd", "-", "\u2013", "\u2014"}
_ITEM = re.compile(r"(?P<indent> *)(?:(?P<bullet>[-*\u2022\u2013\u2014\u00b7\u25aa\u25e6\u2023\u25cf\u25cb\u25a0\u25a1\u25ba\u27a2\u2713\u2714\u2192\uf0b7\uf0a7\uf0a8\uf0d8\uf076\uf0fc\uf06e])|(?P<number>\d{1,3})[.)])\s+(?P<text>\S.*)")
# Marks word processors put before nested items: Word's "o", and letters "a." "b)" "(c)", on a line
# indented under a list item and no deeper than the nested item before it (deeper is its continuation).
# "o" is also a word (Spanish, Portuguese: "or"), so it must sit past the text of the item above, or be
# followed by a tab as Word writes it.
_SUBITEM = re.compile(r"(?P<indent> +)(?P<mark>o|\(?[a-z][.)])\s+(?P<text>\S.*)")
_RULE_CHARS = frozenset("-=_*~\u2013\u2014\u2022")
_RULE = re.compile(r"\s*(?:[-=_*~\u2013\u2014\u2022]\s*){3,}|\s*[-*\u2022\u2013\u2014]\s*")
_HEADING_DECORATION = re.compile(r"\s*(?:#+|\d{1,2}[.)])\s+")
_EMPHASIS = re.compile(r"\*\*|__")
_CONNECTIVE_END = re.compile(r"(?:[,(\-\u2013/&]|\b(?:and|or|of|the|a|an|to|with|for|in|by|on|at|from|as|is|are))$", re.I)
_SENTENCE_END = re.compile(r"[.!?:;)\]\"\u201d\u2019\u00bb]$")
_MAX_HEADING = 60  # characters; a heading is a short line
_MAX_HEADING_WORDS = 6
_SHORT_LINE = 50  # a line this short was ended by its author, not wrapped by an editor


def domain_for(path: str | Path) -> str:
    """A procedure's domain: its file stem in lower case, reduced to [a-z0-9-]."""
    stem = Path(path).stem.lower()
    domain = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]", "-", stem)).strip("-")
    if not domain:
        raise SourceError("cannot make a domain name from the file name (use letters or digits)", where=str(path))
    if domain in RESERVED_DOMAINS:
        raise SourceError(f"the name '{domain}' is reserved for leaflet's own wording; rename the file", where=str(path))
    return domain


def find_procedures(paths: list[str | Path]) -> list[Path]:
    """Expand files and folders into procedure files, refusing missing paths, empty folders and name clashes."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.rglob(f"*{PROCEDURE_SUFFIX}") if p.is_file())
            if not files:
                raise SourceError(f"no procedure files (*{PROCEDURE_SUFFIX}) in this folder", where=str(path))
            found.extend(files)
        elif path.is_file():
            found.append(path)
        else:
            raise SourceError("no such file or folder", where=str(path))
    by_domain: dict[str, Path] = {}
    unique: list[Path] = []
    for path in found:
        domain = domain_for(path)
        if domain in by_domain:
            if by_domain[domain].resolve() == path.resolve():
                continue
            raise SourceError(f"two procedures would share the name '{domain}': {by_domain[domain]} and {path}", where=str(path))
        by_domain[domain] = path
        unique.append(path)
    return unique


def read(path: str | Path) -> Procedure:
    """Read and parse one procedure file."""
    path = Path(path)
    where = str(path)
    if path.is_dir():
        raise SourceError("this is a folder, not a procedure file", where=where)
    domain = domain_for(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", where=where) from None
    except OSError as exc:
        raise SourceError(f"cannot read the file ({exc.strerror})", where=where) from None
    return parse(decode(data, where), source=where, domain=domain)


def read_all(paths: list[str | Path]) -> list[Procedure]:
    return [read(p) for p in find_procedures(paths)]


# --- parsing ---------------------------------------------------------------------------------------


@dataclass
class _Line:
    number: int
    raw: str  # tabs expanded, right-stripped
    text: str  # stripped, inner white space collapsed

    @property
    def indent(self) -> int:
        return len(self.raw) - len(self.raw.lstrip(" "))


def _clean(text: str) -> str:
    return " ".join(text.split())


def _known_heading(text: str) -> tuple[str, str, str] | None:
    """(key, heading as written, inline value) when the line is one of the known headings."""
    if len(text) > 200 and ":" not in text[:60]:
        return None
    bare = _HEADING_DECORATION.sub("", text, count=1) if _HEADING_DECORATION.match(text) else text
    head, colon, rest = bare.partition(":")
    head = _EMPHASIS.sub("", head)  # "**Benefits**", "__Duration:__ 20 minutes"
    first = head.replace("&", " ").split(None, 1)[0].lower() if head.strip() else ""
    if first not in _HEADING_FIRST_WORDS:  # most lines: decided without normalizing them
        return None
    key = HEADINGS.get(_normal_heading(head))
    if key is None:
        return None
    rest = _EMPHASIS.sub("", rest, count=1) if rest.lstrip().startswith(("**", "__")) else rest
    if rest.strip() and bare is not text and not text.lstrip().startswith("#"):
        return None  # "1. Summary: text" is a numbered step, not a heading
    return key, head.strip().rstrip(":").strip(), rest.strip() if colon else ""


def _normal_heading(text: str) -> str:
    if len(text) > _MAX_HEADING:
        return ""
    return _clean(text.replace("&", " and ")).lower().rstrip(":").strip()


def _label(text: str) -> tuple[str, str] | None:
    for name, pattern in _LABELS:
        m = pattern.fullmatch(text)
        if m:
            return name, (m.group("rest") or "").strip()
    return None


def _is_rule(text: str) -> bool:
    return text[:1] in _RULE_CHARS and bool(_RULE.fullmatch(text))


def _heading_shape(line: _Line) -> bool:
    """Could this line be a heading the reader does not know (e.g. "Follow-up")?"""
    text = line.text
    if not text or len(text) > _MAX_HEADING or len(text.split()) > _MAX_HEADING_WORDS:
        return False
    if not text[0].isupper() or _ITEM.fullmatch(line.raw):
        return False
    body = text[:-1] if text.endswith(":") else text
    return not re.search(r"[.!?]$|[,;:]", body)


def _ends_thought(prev: _Line | None) -> bool:
    """Did the line before end a thought, so that a heading may follow it without a blank line?"""
    if prev is None or not prev.text:
        return True
    text = prev.text
    if _SENTENCE_END.search(text):
        return True
    return len(text) < _SHORT_LINE and not _CONNECTIVE_END.search(text)


def _bare_short(line: _Line | None) -> bool:
    """A short unmarked line that ends without punctuation: one entry of a list written without marks."""
    return (
        line is not None
        and 0 < len(line.text) < _SHORT_LINE
        and not _SENTENCE_END.search(line.text)
        and not _CONNECTIVE_END.search(line.text)
        and not _ITEM.fullmatch(line.raw)
    )


def _deliberate_break(prev: _Line | None, line: _Line) -> bool:
    """Did the author end the line before on purpose? (It is short, and this one starts a new thought.)

    An editor's wrapping leaves lines of 60 or more characters, and breaks sentences after words like
    "the" and "of"; a short line followed by a capital or a digit was ended by its writer.
    """
    return (
        prev is not None
        and len(prev.text) < _SHORT_LINE
        and not _CONNECTIVE_END.search(prev.text)
        and (line.text[0].isupper() or line.text[0].isdigit())
    )


@dataclass
class _BlockBuilder:
    kind: str
    line: int
    parts: list[str]
    level: int = 0
    ordered: bool = False
    unmarked: bool = False  # an item of a list written one entry a line, without marks

    def build(self) -> Block:
        return Block(self.kind, " ".join(self.parts), self.line, self.level, self.ordered)


@dataclass
class _SectionBuilder:
    key: str
    heading: str
    line: int
    blocks: list[Block] = field(default_factory=list)


class _Parser:
    def __init__(self, text: str, source: str):
        self.source = source
        self.lines = [
            _Line(n, raw.expandtabs(4).rstrip(), _clean(raw)) for n, raw in enumerate(split_lines(text), start=1)
        ]
        self.warnings: list[str] = []
        self.fields: dict[str, tuple[int, list[str]]] = {}  # name -> (first line, wrapped parts)
        self.code: str | None = None
        self.sections: list[Section] = []

    # Where an unknown heading may start a section: the line has a heading's shape, the line before ended a
    # thought, and what follows is content (not another heading or label).
    def _starts_other_section(self, i: int, prev: _Line | None) -> bool:
        line = self.lines[i]
        if not _heading_shape(line) or _label(line.text) or not _ends_thought(prev):
            return False
        following = self._next_content(i)
        if following is None:
            return False
        nxt = self.lines[following]
        if _bare_short(prev) and _bare_short(nxt):
            return False  # the middle of a list written one entry a line ("Less pain / Better sleep / ...")
        return not (_known_heading(nxt.text) or _label(nxt.text) or _is_rule(nxt.text))

    def _next_content(self, i: int) -> int | None:
        for j in range(i + 1, len(self.lines)):
            if self.lines[j].text and not _is_rule(self.lines[j].text):
                return j
        return None

    def _warn(self, line: int, message: str) -> None:
        self.warnings.append(f"{self.source}:{line}: {message}")

    def parse(self) -> None:
        body_start = self._parse_header()
        self._parse_body(body_start)

    def _parse_header(self) -> int:
        current: str | None = None  # the field wrapped lines join
        expect_code = False
        prev: _Line | None = None
        for i, line in enumerate(self.lines):
            text = line.text
            if not text or _is_rule(text):
                if current and current in self.fields:
                    current = None
                prev = None
                continue
            # A label written without its value ("Name of the Procedure:") takes the next line as its value,
            # even when that line is shaped like a heading.
            awaiting_value = current is not None and current not in self.fields
            if _known_heading(text) or (self.fields and not awaiting_value and self._starts_other_section(i, prev)):
                return i
            label = _label(text)
            if label:
                name, rest = label
                expect_code, current = False, None
                if name == "code":
                    value = rest.rstrip(".").strip()
                    if value.lower() in _NO_CODE:
                        expect_code = not value
                    else:
                        self.code = value
                        if not _CODE.fullmatch(value):
                            self._warn(line.number, f"the CPT code {value!r} does not look like one (such as 27035); kept as written")
                else:
                    current = name
                    if rest:
                        self.fields[name] = (line.number, [rest])
            elif expect_code:
                expect_code = False
                if _CODE.fullmatch(text.rstrip(".")):
                    self.code = text.rstrip(".")
                elif text.lower().rstrip(".") not in _NO_CODE:
                    self._header_text(line)
            elif current:
                self.fields.setdefault(current, (line.number, []))[1].append(text)
            elif "title" not in self.fields:
                self.fields["title"] = (line.number, [text])
                current = "title"
            else:
                self._header_text(line)
            prev = line
        return len(self.lines)

    def _header_text(self, line: _Line) -> None:
        excerpt = line.text if len(line.text) <= 60 else line.text[:57] + "..."
        self._warn(line.number, f"text before the first section is not part of any section and was left out: {excerpt!r}")

    def _parse_body(self, start: int) -> None:
        section: _SectionBuilder | None = None
        block: _BlockBuilder | None = None
        list_indent: int | None = None  # indentation of the current list's top-level items
        # Where the last top-level item's text starts, and the last nested item's mark: a line indented past
        # either is the continuation of that item.
        text_column = nested_mark = 0
        prev: _Line | None = None

        def close_block() -> None:
            nonlocal block
            if block is not None and section is not None:
                section.blocks.append(block.build())
            block = None

        def close_section() -> None:
            close_block()
            if section is None:
                return
            if section.blocks:
                if section.key != OTHER and any(s.key == section.key for s in self.sections):
                    self._warn(section.line, f"a second {section.heading!r} section; check that its text belongs there")
                self.sections.append(Section(section.key, section.heading, section.line, tuple(section.blocks)))
            else:
                self._warn(section.line, f"the section {section.heading!r} has no text and was left out")

        for i in range(start, len(self.lines)):
            line = self.lines[i]
            text = line.text
            if not text or _is_rule(text):
                close_block()
                if not text:
                    list_indent = None
                prev = None
                continue
            known = _known_heading(text)
            if known and (text[0].isupper() or not text[0].isalpha() or _ends_thought(prev)):
                close_section()
                key, heading, inline = known
                section = _SectionBuilder(key, heading, line.number)
                list_indent = None
                if inline:
                    block = _BlockBuilder("paragraph", line.number, [inline])
            elif section is None or ((section.blocks or block) and self._starts_other_section(i, prev)):
                close_section()
                section = _SectionBuilder(OTHER, text.rstrip(":").strip(), line.number)
                list_indent = None
            elif item := _ITEM.fullmatch(line.raw):
                close_block()
                indent = len(item.group("indent"))
                if list_indent is None or indent <= list_indent:
                    list_indent = indent
                level = 1 if indent > list_indent else 0
                if level:
                    nested_mark = indent
                else:
                    text_column, nested_mark = item.start("text"), len(line.raw)
                block = _BlockBuilder("item", line.number, [_clean(item.group("text"))], level, bool(item.group("number")))
            elif (
                list_indent is not None
                and (sub := _SUBITEM.fullmatch(line.raw))
                and _is_sub_item(sub, list_indent, text_column, nested_mark)
            ):
                close_block()
                nested_mark = len(sub.group("indent"))
                lettered = not line.text.startswith("o")
                block = _BlockBuilder("item", line.number, [_clean(sub.group("text"))], 1, lettered)
            elif block is not None and (block.kind == "paragraph" or block.unmarked) and _deliberate_break(prev, line):
                # One entry a line: "Less pain" / "Better sleep" are items, not one run-on paragraph.
                as_items = block.unmarked or (len(block.parts) == 1 and block.line != section.line)
                if as_items:
                    block.kind, block.unmarked = "item", True
                close_block()
                block = _BlockBuilder("item" if as_items else "paragraph", line.number, [text], unmarked=as_items)
            elif block is not None:
                block.parts.append(text)
            else:
                list_indent = None
                block = _BlockBuilder("paragraph", line.number, [text])
            prev = line
        close_section()


def _is_sub_item(sub: re.Match, list_indent: int, text_column: int, nested_mark: int) -> bool:
    indent = len(sub.group("indent"))
    if indent > nested_mark:
        return False
    if sub.group("mark") != "o":  # "a." "b)": no sentence line starts that way
        return indent > list_indent
    tab_after_mark = sub.start("text") - sub.end("mark") >= 2  # tabs are expanded to spaces by now
    return indent > text_column or (tab_after_mark and indent > list_indent)


def parse(text: str, *, source: str = "<text>", domain: str = "procedure") -> Procedure:
    """Parse a procedure description; refuse text in which no section can be recognised."""
    parser = _Parser(text, source)
    parser.parse()
    if not parser.sections:
        raise SourceError(
            "no recognisable section (expected headings such as Summary, Purpose, Preparation, Recovery)",
            where=source,
        )
    fields = {name: Field(" ".join(parts), number) for name, (number, parts) in parser.fields.items()}
    return Procedure(
        domain=domain,
        source=source,
        title=fields.get("title"),
        code=parser.code,
        name=fields.get("name"),
        common_names=fields.get("common_names"),
        medical_terms=fields.get("medical_terms"),
        sections=tuple(parser.sections),
        warnings=tuple(parser.warnings),
    )
