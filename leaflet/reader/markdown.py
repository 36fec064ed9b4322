"""Markdown (CommonMark, with GFM tables) -> the lines the text reader reads, each marked with what it is."""

from __future__ import annotations

import re
from html import unescape

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..errors import SourceError
from .fields import label as header_label
from .lines import Line, clean, is_address, join_cells
from .textfile import decode, split_lines

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Front matter is the one thing read by hand: markdown-it would take its closing "---" for a setext heading.
_FRONT_MATTER_LINE = re.compile(r"(?:[A-Za-z_][\w-]*\s*:|\s|- |#|$)")  # a key, its continuation, or a comment
_FRONT_MATTER_TITLE = re.compile(r"title\s*:\s*(?P<title>.*)")
_HIDDEN_TAGS = ("script", "style")
# markdown-it reads a megabyte of the heaviest Markdown (emphasis opened and never closed) in about 3.5 s here.
MAX_MARKDOWN = 2**20
_MAX_ADDRESS = 500  # characters: a longer link address is not printed
# Tags inside a word ("<b>Do</b>n't"); any other tag ("<br>", "<p>") parts the words on either side of it.
_INLINE_TAGS = frozenset("a abbr b code em font i mark s small span strong sub sup u".split())
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")


def lines(data: bytes, where: str) -> list[Line]:
    if len(data) > MAX_MARKDOWN:
        raise SourceError(f"the Markdown file is over {MAX_MARKDOWN // 2**20} MB: a clinic's page is a few kB", where=where)
    source = split_lines(decode(data, where))
    walker = _Walker()
    _front_matter(source, walker)
    tokens = _PARSER.parse("\n".join(source))
    _refuse_deep_nesting(tokens, where)
    walker.walk(tokens)
    return _tidy(walker.out)


def _refuse_deep_nesting(tokens: list[Token], where: str) -> None:
    """At its nesting limit markdown-it stops reading, dropping the rest of the document without a word."""
    line = 1
    for token in tokens:
        line = token.map[0] + 1 if token.map else line
        if token.level >= _PARSER.options["maxNesting"] - 1:
            raise SourceError("lists or quotes are nested too deeply inside each other to be read", where=f"{where}:{line}")


def _front_matter(source: list[str], walker: _Walker) -> None:
    """Take YAML front matter out of `source` (its lines left blank, so that line numbers stay true), keeping its title."""
    if len(source) < 3 or source[0].rstrip() != "---" or not source[1][:1].isalpha():  # "---" then "title: ..."
        return
    end = next((i for i in range(1, len(source)) if source[i].rstrip() in ("---", "...")), None)
    if end is None or not all(_FRONT_MATTER_LINE.match(text) for text in source[1:end]):
        return  # a thematic break, then Markdown
    for number, text in enumerate(source[1:end], start=2):
        if title := _FRONT_MATTER_TITLE.fullmatch(text.rstrip()):
            value = title.group("title").strip().strip("\"'")
            walker.out.append(Line(number, value, value, marked="title", why="front matter title"))
    source[: end + 1] = [""] * (end + 1)
    walker.blank(end + 2)


class _Walker:
    """Walks markdown-it's block tokens, turning each into lines."""

    def __init__(self) -> None:
        self.out: list[Line] = []
        self.lists: list[bool] = []  # the open lists, innermost last: is each ordered?
        self.items: list[Line] = []  # the open list items, innermost last
        self.item_texts: list[list[str]] = []  # their own text gathers here, joined when the item closes
        self.cells: list[str] = []  # the table row being read
        self.row_line = 0
        self.in_head = False

    def walk(self, tokens: list[Token]) -> None:
        for i, token in enumerate(tokens):
            if token.type == "inline":
                self.inline(tokens[i - 1], token)  # its opening token says what the text is
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                self.lists.append(token.type == "ordered_list_open")
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
                self.blank()
            elif token.type == "list_item_open":
                self.open_item(token)
            elif token.type == "list_item_close":
                self.items.pop().text = " ".join(self.item_texts.pop())
            elif token.type in ("code_block", "fence"):
                first = token.map[0] + (2 if token.type == "fence" else 1)
                self.text([(first + n, text) for n, text in enumerate(token.content.split("\n"))], token)
            elif token.type == "html_block":
                self.text(_html_text(token.content, token.map[0] + 1), token)
            elif token.type in ("thead_open", "thead_close"):
                self.in_head = token.type == "thead_open"
            elif token.type == "tr_open":
                self.cells, self.row_line = [], token.map[0] + 1
            elif token.type == "tr_close":
                self.row()
            elif token.type in ("heading_close", "hr", "table_close"):
                self.blank()

    def blank(self, number: int | None = None) -> None:
        if not self.items:  # inside an item, blocks are the item's own text, not blocks of their own
            self.out.append(Line(number or (self.out[-1].number + 1 if self.out else 1), "", ""))

    def open_item(self, token: Token) -> None:
        ordered = self.lists[-1]
        mark = f"{token.info or 1}{token.markup} " if ordered else "- "
        depth = len(self.lists) - 1
        why = "Markdown numbered list" if ordered else "Markdown list"
        # The text is filled in by the item's paragraphs; `raw` holds the mark until `_tidy` adds the text.
        item = Line(token.map[0] + 1, "  " * depth + mark, "", marked="item", why=why, level=depth, ordered=ordered)
        self.out.append(item)
        self.items.append(item)
        self.item_texts.append([])

    def inline(self, parent: Token, token: Token) -> None:
        parts = _inline_text(token).split("\n")
        if parent.type == "heading_open":
            level = int(parent.tag[1])
            self.out.append(Line(parent.map[0] + 1, "", " ".join(parts), "heading", f"Markdown heading, level {level}", level))
        elif parent.type in ("th_open", "td_open"):
            self.cells.append(clean(" ".join(parts)))
        elif parent.type == "paragraph_open" and not self.items and len(parts) == 1 and _all_strong(token):
            # A paragraph that is all bold ("**Why do I need it?**") is how many pages mark a heading: the text
            # reader is told so, as a plain text file would say it.
            text = f"**{clean(parts[0])}**"
            self.out.append(Line(parent.map[0] + 1, text, text, why="bold line"))
            self.blank(parent.map[1] + 1)
        else:
            self.text([(parent.map[0] + 1 + n, part) for n, part in enumerate(parts)], parent)

    def text(self, numbered: list[tuple[int, str]], token: Token) -> None:
        """A paragraph's (or a code or HTML block's) lines: one Line each, or the open item's text."""
        if self.items:  # gathered, joined when the item closes and cleaned once in _tidy (not once a paragraph)
            self.item_texts[-1].extend(text for _, text in numbered)
            return
        self.out.extend(Line(number, text, text) for number, text in numbered)
        self.blank(token.map[1] + 1)

    def row(self) -> None:
        # A two-column row with a header field's label in its first cell is that field ("CPT code | 29881").
        label = self.cells[0].rstrip(":").strip() if len(self.cells) == 2 and self.cells[1] else ""
        if label and header_label(f"{label}: {self.cells[1]}"):
            text, marked, why = f"{label}: {self.cells[1]}", "", ""
        else:
            text = join_cells(self.cells)
            marked, why = ("paragraph", "table header row") if self.in_head else ("row", "table row")
        self.out.append(Line(self.row_line, text, text, marked, why))


def _all_strong(token: Token) -> bool:
    children = [c for c in token.children or [] if not (c.type == "text" and not c.content.strip())]
    return (
        len(children) >= 3 and children[0].type == "strong_open" and children[-1].type == "strong_close"
        and not any(c.type == "strong_open" for c in children[1:])
    )


def _inline_text(token: Token) -> str:
    """The words of an inline token, a "\n" where each source line or hard break ends."""
    pieces: list[str] = []
    links: list[tuple[str, int]] = []  # the open links: their address, and where their text starts
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            pieces.append(child.content.replace("\n", " "))
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append("\n")
        elif child.type == "html_inline":  # the tag left out, but not the lines it spans
            tag = _TAG_NAME.match(child.content)
            pieces.append("\n" * child.content.count("\n") or (" " if tag and tag[1].lower() not in _INLINE_TAGS else ""))
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            address = _PARSER.normalizeLinkText(href) if len(href) <= _MAX_ADDRESS else href
            links.append((re.sub(r"^(?:mailto|tel):", "", address), len(pieces)))
        elif child.type == "link_close" and links:
            address, start = links.pop()
            words = clean("".join(pieces[start:]))
            if address.startswith("#"):
                continue  # a jump within the page: no address on paper
            if len(address) > _MAX_ADDRESS:
                continue  # no one types that address from paper; a reference used many times would repeat it
            if not words or not is_address(words, address):
                pieces.append(f" ({address})" if words else address)
    return "".join(pieces)


def _html_text(html: str, first: int) -> list[tuple[int, str]]:
    """The text of an HTML block by its source line: tags, comments, scripts and styles left out.

    One pass, each search bounded by the next "<", so that no block takes longer than its length (Python's
    html.parser takes time that grows with the square of some blocks' length, CVE-2025-6069). A script or style
    that is never closed hides nothing past its own tag: the rest is the clinic's text."""
    by_line: dict[int, list[str]] = {}
    line, position, lower, comments_close, unclosed = first, 0, html.lower(), True, set()

    def add(text: str, shown: bool = True) -> None:
        nonlocal line
        for offset, part in enumerate(text.split("\n")):
            line += offset > 0
            if shown:
                by_line.setdefault(line, []).append(unescape(part))

    while position < len(html):
        start = html.find("<", position)
        if start < 0:
            add(html[position:])
            break
        add(html[position:start])
        if html.startswith("<!--", start) and comments_close:
            close = html.find("-->", start + 4)
            comments_close = close >= 0  # one unclosed comment: no later one closes either
            if comments_close:  # a comment may hold "<" and ">"; the searches never overlap
                add(html[start:close + 3], shown=False)
                position = close + 3
                continue
        following = html.find("<", start + 1)
        end = html.find(">", start, following if following >= 0 else len(html))
        if end < 0:  # a "<" that opens no tag is text
            add("<")
            position = start + 1
            continue
        tag = _TAG_NAME.match(html, start)
        name = tag[1].lower() if tag else ""
        add(html[start:end + 1], shown=False)
        add("" if name in _INLINE_TAGS else " ")
        position = end + 1
        if name in _HIDDEN_TAGS and name not in unclosed and not html.startswith("</", start):
            close = lower.find(f"</{name}", position)
            if close < 0:
                unclosed.add(name)  # and no later one is closed either
            else:  # what a browser would not show, up to its closing tag
                add(html[position:close], shown=False)
                position = close
    return sorted((number, "".join(parts)) for number, parts in by_line.items())


def _tidy(found: list[Line]) -> list[Line]:
    """Text cleaned of marks' white space; empty items out; blank lines single, between blocks."""
    tidy: list[Line] = []
    for line in found:
        line.text = clean(line.text)  # a control character is refused by the text reader, with its line
        line.raw = line.raw + line.text if line.marked == "item" else line.text
        if line.text:
            tidy.append(line)
        elif tidy and tidy[-1].text:
            tidy.append(Line(line.number, "", ""))
    return tidy[:-1] if tidy and not tidy[-1].text else tidy
