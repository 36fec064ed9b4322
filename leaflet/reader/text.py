"""Plain text (and the marked lines the other readers make) -> Procedure model: header fields, sections, blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import SourceError
from ..legible import too_many_marks
from ..model import OTHER, Block, Field, Procedure, Section
from .fields import label
from .furniture import without_furniture
from .header import HeaderReader
from .headings import (
    EMPHASISED_LINE,
    NUMBERED_HEADING,
    capitals,
    explicit_heading,
    heading_key,
    heading_shape,
    known_heading,
    lexicon_rule,
    normal_heading,
    topical,
    usual_heading,
)
from .lines import (
    CONNECTIVE_END,
    ITEM,
    SENTENCE_END,
    SHORT_LINE,
    SIGNATURE_MARK,
    SUBITEM,
    Breaks,
    Line,
    bare_short,
    clean,
    is_rule,
    join_wrapped,
    text_line,
)
from .tables import mark_tables
from .textfile import decode, split_lines

_ENTRY_LABEL = re.compile(r"[A-Z][\w/ -]{0,20}:\s+\S")  # "Common: bruising.", "Fasting: 6 hours"
# A word longer than this is no word (a pasted data URI, a file that is one run of bytes): refused, for gettext's
# line wrapping and the PDF's line breaking take time that grows with the square of a word's length.
MAX_WORD = 1000


# --- parsing ---------------------------------------------------------------------------------------


@dataclass
class _BlockBuilder:
    kind: str
    line: int
    parts: list[str]
    level: int = 0
    ordered: bool = False
    unmarked: bool = False  # an item of a list written one entry a line, without marks
    run: int | None = None  # the first line of a run of lines the author ended one by one, without a blank line

    def build(self) -> Block:
        parts = [_unemphasised(part) for part in self.parts]
        return Block(self.kind, join_wrapped(parts), self.line, self.level, self.ordered)


@dataclass
class _SectionBuilder:
    key: str
    heading: str
    line: int
    blocks: list[Block] = field(default_factory=list)
    level: int = 0  # a marked heading's level; 0 for a heading judged by its shape
    runs: dict[int, list[int]] = field(default_factory=dict)  # lines written one a line: run start -> block indexes


class _Parser(HeaderReader):
    def __init__(self, lines: list[Line], source: str, own_headings: dict[str, str] | None = None, explain: bool = False):
        self.source = source
        self.explain = explain
        self.own_headings = own_headings or {}
        self.warnings: list[str] = []
        self.notes: dict[int, list[str]] = {}  # line -> how it was read, for `inspect --explain`
        lines, dropped = without_furniture(lines)
        for line in dropped:
            self._warn(line.number, f"a page header or footer was left out: {line.text!r}")
            self._note(line.number, "page header or footer (it comes back on every page): left out")
        self.lines = mark_tables(lines, label)
        changed = next((line for line in self.lines if "tracked changes" in line.why), None)
        if changed is not None:
            self._warn(changed.number, "the Word document has tracked changes: read as if every change were accepted;"
                       " accept or reject them in Word so that the leaflet says what you meant")
        self.fields: dict[str, tuple[int, list[str]]] = {}  # name -> (first line, wrapped parts)
        self.code: str | None = None
        self.sections: list[Section] = []
        self.breaks = Breaks(self.lines)
        self.hanging = _hanging_items(self.lines)
        self.heading_number: int | None = None  # the last heading's number, when the file numbers them
        self.in_sections = False
        self.heading_line = 0  # the line of the last heading
        self.intro = False  # the body starts with text under the title, before any heading
        # Markdown, or Word with heading styles or with bold lines for headings: a plain line is no heading there
        self.styled = any(line.marked == "heading" for line in self.lines) or sum(
            1 for line in self.lines if line.why == "bold line" and explicit_heading(line.text)
        ) >= 2
        self.capital_headings = sum(1 for line in self.lines if capitals(line.text) and heading_shape(line.text)) >= 2

    def _other_heading(self, i: int, prev: Line | None, *, in_body: bool = True) -> str | None:
        """The heading, when line i starts a section the reader does not know ("Follow-up").

        It is marked as a heading ("## Follow-up"), or it has a heading's shape after a line that ended a
        thought, and what follows is content: not another heading or label, not the rest of a sentence, and
        not the next entry of a list written one entry a line ("Less pain / Better sleep / ...").
        """
        line = self.lines[i]
        text = line.text
        explicit = explicit_heading(text) if text[0] in "#*_" else None
        if explicit is None:
            numbered = self._next_heading_number(text, prev) if text[0].isdigit() else None
            if not (numbered or text.lstrip("\u00bf\u00a1")[:1].isupper() or capitals(text)):
                return None
            if numbered:
                text = text[numbered.end():]
            elif ITEM.fullmatch(line.raw):
                return None
            if not heading_shape(text) or label(text):
                return None
            if self.styled and not capitals(text):
                return None  # a document with heading styles marks its headings; a plain line is text
            if self.capital_headings and text.endswith(":") and not capitals(text):
                return None  # where the headings are in capitals, "What to bring:" leads into a list
            if prev is not None and prev.text.endswith(":"):
                return None  # "The team will include:" leads into a list; its first entry heads nothing
            ended = prev is not None and SENTENCE_END.search(prev.text)  # a heading after a full margin
            if not (ended or self.breaks.deliberate(prev, line)):
                return None
        following = self._next_content(i)
        if following is None:
            return None
        nxt = self.lines[following]
        if known_heading(nxt.text) or label(nxt.text):
            return None
        if explicit is not None:
            return explicit
        if nxt.text[0].islower() and self._key(text) != "warning":
            return None  # the rest of a sentence; but "Call 911 if" / "you have signs of ..." heads the warning
        unwrapped = self.breaks.width is None
        if in_body and bare_short(prev, any_length=unwrapped) and (len(nxt.text) < SHORT_LINE or unwrapped) and not usual_heading(text):
            return None  # the middle of a list written one entry a line ("Cardiologist / Cardiac nurse / ...")
        return text.rstrip(":").strip()

    def _next_heading_number(self, text: str, prev: Line | None, *, known: bool = False) -> re.Match | None:
        """ "3. Follow-up" after "2. Preparation" in a file that numbers its headings: the next number, and,
        unless it is a heading the reader knows ("5. Duration"), not the next step of a numbered list
        ("3. Hold still" after "2. Breathe in")."""
        numbered = NUMBERED_HEADING.match(text)
        if numbered is None or int(numbered.group("number")) != (self.heading_number or 0) + 1:
            return None
        if self.heading_number is None and self.in_sections:
            return None  # the file's headings so far were not numbered
        if known:
            return numbered
        if prev is not None and prev.number != self.heading_line and (item := ITEM.fullmatch(prev.raw)) and item.group("number"):
            return None
        return numbered

    def _next_content(self, i: int) -> int | None:
        for j in range(i + 1, len(self.lines)):
            if self.lines[j].text and not is_rule(self.lines[j].text):
                return j
        return None

    def _warn(self, line: int, message: str) -> None:
        self.warnings.append(f"{self.source}:{line}: {message}")

    def _note(self, line: int, how: str, *, instead: bool = False) -> None:
        """Say how a line was read; `instead` of what was said before, when a later line changed its reading."""
        if not self.explain:
            return
        if instead:
            self.notes[line] = [how]
        else:
            self.notes.setdefault(line, []).append(how)

    def _key(self, heading: str) -> str:
        return heading_key(heading, self.own_headings)

    def parse(self) -> None:
        body_start = self._parse_header()
        self._parse_body(body_start)

    def _dash_inside_sentence(self, item: re.Match, block: _BlockBuilder | None, prev: Line | None, line: Line) -> bool:
        """ "...stomach and duodenum / - the first part of the small intestine - using a camera": a dash that
        an editor's wrap put at the start of a line, inside a paragraph's sentence, is no list mark."""
        return (
            block is not None
            and block.kind == "paragraph"
            and line.text[:1] in "-\u2013\u2014"
            and item.group("text")[:1].islower()
            and prev is not None
            and not SENTENCE_END.search(prev.text)
            and self.breaks.width is not None
            and self.breaks.cut(prev, line)
        )

    def _count_heading(self, text: str, number: int) -> None:
        self.in_sections, self.heading_line = True, number
        numbered = NUMBERED_HEADING.match(text)
        if numbered and int(numbered.group("number")) == (self.heading_number or 0) + 1:
            self.heading_number = int(numbered.group("number"))

    def _entry_a_line(self, prev: Line | None, line: Line) -> bool:
        """Is `line` the next entry of a list written one entry a line, without marks (after an entry, or
        after a lead-in such as "The team will include:")?"""
        if not (line.text[0].isupper() or line.text[0].isdigit()) or not self.breaks.deliberate(prev, line):
            return False  # a digit starts an entry too: "Rest today" / "2 tablets every 6 hours" are two
        if _ENTRY_LABEL.match(prev.text) and _ENTRY_LABEL.match(line.text):
            return True  # "Common: bruising." / "Rare: infection."
        return prev.text.endswith(":") or bare_short(prev, any_length=self.breaks.width is None)

    def _after_list(self, prev: Line | None, line: Line, list_indent: int | None) -> bool:
        """Is `line` a paragraph that follows a list without a blank line (not the wrapped end of an item)?

        The item before must have ended: on a full stop, or as a short entry ("- Bleeding") before a line
        that is a sentence of its own; "- Tell your doctor if you take / Warfarin" is one item. A line that
        starts with a number after a short entry is its own whether or not it ends a sentence: joined,
        "- Bleeding / 2 tablets every 6 hours" would read as a dose for the bleeding.
        """
        number = line.text[0].isdigit()
        if line.indent > (list_indent or 0) or not (line.text[0].isupper() or number):
            return False
        if self.hanging:
            return True  # this file indents the wrapped lines of its items, and this line is not indented
        if not self.breaks.deliberate(prev, line):
            return False
        if self.breaks.width is None:
            return True  # nothing is wrapped in this file: the item ended where its line did
        ended = prev is not None and prev.text[-1:] in ".!?"
        short_entry = prev is not None and (len(prev.text) < SHORT_LINE or self.breaks.width is None)
        return ended or (short_entry and (number or line.text[-1:] in ".!?"))

    def _own_line(self, prev: Line | None, line: Line, in_run: bool = False) -> bool:
        """Did the author end `prev` on a full stop and start `line` afresh (not an editor's wrap)? Among lines
        already found to be written one a line, a full line ending a sentence is one too: when unsure, keep lines
        apart (a wrong split costs a line break; a wrong join can move an instruction)."""
        return (
            prev is not None
            and line.text[:1].isupper()
            and prev.text[-1:] in ".!?"
            and (in_run or self.breaks.deliberate(prev, line))
            and not CONNECTIVE_END.search(prev.text)
        )

    def _why_joined(self, prev: Line | None, line: Line) -> str:
        if prev is not None and line.text[:1].islower():
            return "it goes on in lower case"
        if prev is not None and CONNECTIVE_END.search(prev.text):
            return f"the line before ends on {prev.text.split()[-1]!r}"
        if self.breaks.width:
            return f"the file is wrapped at {self.breaks.width} characters and the line before was full"
        return "the line before did not end a sentence"

    def _lists_one_a_line(self, section: _SectionBuilder) -> None:
        """Lines the author ended one by one, each a sentence or two ("Do not drive." / "Rest today."), are a
        list; a long line among them (a paragraph of its own) and a lead-in ending in a colon stay paragraphs."""
        for indexes in section.runs.values():
            entries = [i for i in indexes if _entry(section.blocks[i].text)]
            if len(entries) < 2:
                continue
            for i in entries:
                b = section.blocks[i]
                section.blocks[i] = Block("item", b.text, b.line)
                self._note(b.line, "item: one of several sentences written one a line", instead=True)

    def _because(self, heading: str, key: str) -> str:
        if key == OTHER:
            return " (no section key fits it)"
        if normal_heading(heading) in self.own_headings:
            return " ([headings] in leaflet.toml)"
        words = lexicon_rule(heading)
        return f" (its words: {words})" if words and not known_heading(heading) else ""

    def _parse_body(self, start: int) -> None:
        section: _SectionBuilder | None = None
        if self.intro and start < len(self.lines):
            section = _SectionBuilder("summary", "", self.lines[start].number)
            self._note(self.lines[start].number, "text under the title, before any heading: read as the summary")
        block: _BlockBuilder | None = None
        list_indent: int | None = None  # indentation of the current list's top-level items
        # Where the last top-level item's text starts, and the last nested item's mark: a line indented past
        # either is the continuation of that item.
        text_column = nested_mark = 0
        prev: Line | None = None

        def close_block() -> None:
            nonlocal block
            built = block.build() if block is not None else None
            if built is not None and built.text and section is not None:  # an item of zero-width spaces: none
                if block.run is not None and block.kind == "paragraph":
                    section.runs.setdefault(block.run, []).append(len(section.blocks))
                section.blocks.append(built)
            block = None

        def close_section() -> None:
            close_block()
            if section is None:
                return
            self._lists_one_a_line(section)
            if section.blocks:
                if section.key != OTHER and any(s.key == section.key for s in self.sections):
                    self._warn(section.line, f"a second {section.heading!r} section; check that its text belongs there")
                self.sections.append(Section(section.key, section.heading, section.line, tuple(section.blocks)))
            else:
                self._warn(section.line, f"the section {section.heading!r} has no text and was left out")

        for i in range(start, len(self.lines)):
            line = self.lines[i]
            text = line.text
            if text == SIGNATURE_MARK:
                self._warn(line.number, "the text after the e-mail signature mark '--' was left out")
                break
            if not text or is_rule(text):
                close_block()
                prev = None
                continue
            if section is not None and not section.heading and self._field(line):
                close_block()  # "Also known as: ...", "CDT code: D6010" among the text under the title: the header's
                prev = None
                continue
            if line.marked:  # what the document itself says the line is
                if line.marked in ("heading", "title"):
                    key = self._key(text)
                    if (
                        section is not None and section.level and line.level > section.level
                        and (key in (OTHER, section.key) or (topical(text) and section.key != OTHER))
                    ):
                        # "### At home" under "## After your procedure", "## Eating and drinking" under "# Before
                        # your procedure": part of that section. A subheading that names another moment ("## What
                        # you may feel", "## When to call us") is a section of its own.
                        close_block()
                        section.blocks.append(Block("paragraph", text, line.number))
                        self._note(line.number, f"subheading ({line.why}) under {section.heading!r}: a paragraph of that section")
                    else:
                        close_section()
                        self._count_heading(text, line.number)
                        section = _SectionBuilder(key, text.rstrip(":").strip(), line.number, level=line.level)
                        self._note(line.number, f"heading ({line.why}) → {key}{self._because(text, key)}")
                else:
                    close_block()
                    if section is None:
                        section = _SectionBuilder("summary", "", line.number)
                    kind = "paragraph" if line.marked == "paragraph" else "item"
                    level, ordered = (min(line.level, 1), line.ordered) if line.marked == "item" else (0, False)
                    section.blocks.append(Block(kind, text, line.number, level, ordered))
                    self._note(line.number, f"{kind}{' ' + str(level) if level else ''}{', numbered' if ordered else ''} ({line.why})")
                list_indent, prev = None, None
                continue
            known = known_heading(text, numbered_inline=text[0].isdigit() and self._next_heading_number(text, prev, known=True) is not None)
            if known and (text[0].isupper() or not text[0].isalpha() or self.breaks.deliberate(prev, line, heading=True)):
                close_section()
                key, heading, inline = known
                key = self.own_headings.get(normal_heading(heading), key)
                self._count_heading(text, line.number)
                section = _SectionBuilder(key, heading, line.number)
                self._note(line.number, f"heading, one leaflet knows → {key}")
                list_indent = None
                if inline:
                    block = _BlockBuilder("paragraph", line.number, [inline])
            elif section is None or ((section.blocks or block) and (other := self._other_heading(i, prev))):
                heading = self._other_heading(i, prev) if section is None else other
                close_section()
                self._count_heading(text, line.number)
                heading = heading or text.rstrip(":").strip()
                key = self._key(heading)
                section = _SectionBuilder(key, heading, line.number)
                self._note(line.number, f"heading, {_heading_clue(text)} → {key}{self._because(heading, key)}")
                list_indent = None
            elif not (section.blocks or block) and (sub := explicit_heading(text) if text[0] in "#*_" else None):
                # A subheading straight under a heading ("# Recovery" / "## At home"): its words, not its marks.
                section.blocks.append(Block("paragraph", sub, line.number))
            elif (item := ITEM.fullmatch(line.raw)) and not self._dash_inside_sentence(item, block, prev, line):
                close_block()
                indent = len(item.group("indent"))
                if list_indent is None or indent <= list_indent:
                    list_indent = indent
                level = 1 if indent > list_indent else 0
                if level:
                    nested_mark = indent
                else:
                    text_column, nested_mark = item.start("text"), len(line.raw)
                block = _BlockBuilder("item", line.number, [clean(item.group("text"))], level, bool(item.group("number")))
                self._note(line.number, f"item{' 1' if level else ''}, {'numbered' if item.group('number') else 'bulleted'} (a list mark{', indented' if level else ''})")
            elif (
                list_indent is not None
                and (sub := SUBITEM.fullmatch(line.raw))
                and _is_sub_item(sub, list_indent, text_column, nested_mark)
            ):
                close_block()
                nested_mark = len(sub.group("indent"))
                lettered = sub.group("mark") != "o"
                block = _BlockBuilder("item", line.number, [clean(sub.group("text"))], 1, lettered)
                self._note(line.number, f"item 1, {'lettered' if lettered else 'bulleted'} ('{sub.group('mark')}' mark, indented)")
            elif block is not None and (block.kind == "paragraph" or block.unmarked) and self._entry_a_line(prev, line):
                # One entry a line: "Less pain" / "Better sleep" are items, not one run-on paragraph.
                lead_in = prev.text.endswith(":")
                as_items = block.unmarked or lead_in or (
                    len(block.parts) == 1
                    and block.line != section.line
                    and (bare_short(line, any_length=True) or bool(_ENTRY_LABEL.match(line.text)))
                )
                if as_items and not lead_in:
                    block.kind, block.unmarked = "item", True
                close_block()
                block = _BlockBuilder("item" if as_items else "paragraph", line.number, [text], unmarked=as_items)
                self._note(line.number, ("item: one entry a line" if as_items else "paragraph") + (", after a lead-in ending in a colon" if lead_in else ""))
            elif block is not None and block.kind == "item" and self._after_list(prev, line, list_indent):
                close_block()
                block = _BlockBuilder("paragraph", line.number, [text])
                self._note(line.number, "paragraph: after the list, the item before it ended")
            elif block is not None and self._own_line(prev, line, block.run is not None):
                # The author ended the line before on a full stop: a line of its own, never joined to it.
                run = block.run if block.run is not None else block.line
                if block.run is None and block.kind == "paragraph":
                    block.run = run
                close_block()
                block = _BlockBuilder("paragraph", line.number, [text], run=run)
                self._note(line.number, "a line of its own: the line before ended on a full stop")
            elif block is not None:
                block.parts.append(text)
                self._note(line.number, f"joined to the line before ({self._why_joined(prev, line)})")
            else:
                list_indent = None
                block = _BlockBuilder("paragraph", line.number, [text])
                self._note(line.number, "paragraph")
            prev = line
        close_section()


def _unemphasised(text: str) -> str:
    """A line set all in bold ("**Do not eat after midnight.**") as its words: the leaflet sets its own emphasis."""
    m = EMPHASISED_LINE.fullmatch(text) if text[:1] in "*_" else None
    return clean(m.group("text")) + (":" if text.endswith(":") and not m.group("text").endswith(":") else "") if m else text


_MAX_ENTRY_WORDS = 25  # a line written as one entry of a list says a thing or two; a longer one is a paragraph


def _entry(text: str) -> bool:
    return not text.endswith(":") and len(text.split()) <= _MAX_ENTRY_WORDS


def _heading_clue(text: str) -> str:
    """Why a line reads as a heading, in a few words for `inspect --explain`."""
    if text[:1] in "#*_":
        return "marked with " + ("#" if text[0] == "#" else "bold marks")
    if capitals(text):
        return "capitals" + (" and colon" if text.endswith(":") else "")
    if text.endswith("?"):
        return "a question on its own line"
    if text.endswith(":"):
        return "a short line ending in a colon"
    return "a short line of its own"


def _hanging_items(lines: list[Line]) -> bool:
    """Does this file indent the wrapped lines of its list items (and only those)?"""
    indents = [
        b.indent > a.indent
        for a, b in zip(lines, lines[1:])
        if a.text and b.text[:1].islower() and ITEM.fullmatch(a.raw) and not ITEM.fullmatch(b.raw)
    ]
    return bool(indents) and all(indents)


def _is_sub_item(sub: re.Match, list_indent: int, text_column: int, nested_mark: int) -> bool:
    indent = len(sub.group("indent"))
    if indent > nested_mark:
        return False
    if sub.group("mark") != "o":  # "a." "b)": no sentence line starts that way
        return indent > list_indent
    tab_after_mark = sub.start("text") - sub.end("mark") >= 2  # tabs are expanded to spaces by now
    return indent > text_column or (tab_after_mark and indent >= list_indent)


def lines(data: bytes, where: str) -> list[Line]:
    """A plain text file's lines (this module is also the reader of .txt files)."""
    return text_lines(decode(data, where))


def text_lines(text: str) -> list[Line]:
    return [
        text_line(n, raw) if "\t" in raw else Line(n, raw.rstrip(), clean(raw))
        for n, raw in enumerate(split_lines(text), start=1)
    ]


# Control characters (tabs and line ends aside: they are white space by now) and lone surrogates: no document
# means them, and on a terminal (`leaflet inspect`) some are commands.
_NOT_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _refuse_what_is_no_text(lines: list[Line], source: str) -> None:
    """A word longer than any word, a control character or a tower of combining marks on one letter, refused with
    its line (a Word paragraph's number)."""
    dirty = bool(_NOT_TEXT.search("".join(line.text for line in lines)))  # almost never: then line by line
    for line in lines:
        if len(line.text) > MAX_WORD and max(map(len, line.text.split()), default=0) > MAX_WORD:
            word = max(line.text.split(), key=len)
            raise SourceError(
                f"{len(word)} characters without a space: no word is that long (at most {MAX_WORD});"
                " is this the procedure's text?",
                where=f"{source}:{line.number}",
            )
        bad = _NOT_TEXT.search(line.text) if dirty else None
        if bad:
            raise SourceError(f"this is not a text file (control character U+{ord(bad.group()):04X})",
                              where=f"{source}:{line.number}")
        if (why := too_many_marks(line.text)) is not None:
            raise SourceError(f"this line has {why}", where=f"{source}:{line.number}")


def parse(
    text: str, *, source: str = "<text>", domain: str = "procedure", headings: dict[str, str] | None = None,
    explain: bool = False,
) -> Procedure:
    """Parse a procedure description written as plain text."""
    return parse_lines(text_lines(text), source=source, domain=domain, headings=headings, explain=explain)


def parse_lines(
    lines: list[Line], *, source: str = "<text>", domain: str = "procedure", headings: dict[str, str] | None = None,
    explain: bool = False,
) -> Procedure:
    """Parse a procedure description's lines; refuse one in which no section can be recognised. `headings` are a
    clinic's own headings (normalized, as [headings] in leaflet.toml gives them) and their keys; with `explain`,
    the Procedure's notes say how each line was read."""
    _refuse_what_is_no_text(lines, source)
    parser = _Parser(lines, source, headings, explain)
    parser.parse()
    if not any(section.heading for section in parser.sections):  # text under a title alone is no procedure
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
        notes=tuple((line, "; ".join(hows)) for line, hows in sorted(parser.notes.items())),
    )
