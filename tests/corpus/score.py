"""Score what leaflet's reader understood of one clinic document against its answer key.

An answer key (`keys/<document name>.key`) is a plain text file a person can read and edit:

    # free comment lines start with "#"
    title: Tooth extraction (simple)
    code: D7140
    name:
    common_names:
    medical_terms:

    == summary ==
    p | Having a tooth | few days.

    == purpose indications == Why is this done?
    p | Your dentist may | the tooth.
    i | Severe decay |
    o1 | Take it | water.

Header field lines are `field: value` (empty: none). A section line is `== <accepted keys, the first
preferred> == <heading as written>` (an empty heading for the text between the title and the first
heading). A block line is `<code> | <first words> | <last words>`: `p` a paragraph, `i` an unordered item,
`o` an ordered item, with a level digit when nested (`i1`, `o1`); the last words may be empty for a short
block, then only the first words are checked.

Scores (see `score`): fields right out of 5; sections right out of expected + produced sections that match
none; blocks right out of expected + produced blocks that match none. A `Result` keeps the counts and a
readable line for every misreading.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

FIELDS = ("title", "code", "name", "common_names", "medical_terms")
SECTION_KEYS = (
    "summary", "purpose", "indications", "preparation", "procedure", "duration", "setting", "personnel",
    "risks", "benefits", "recovery", "alternatives", "experience", "warning", "other",
)
KINDS = {"p": "paragraph", "i": "item", "o": "item"}

# Characters stripped from both ends of every word before words are compared.
_STRIP = ".,;:!?\"'()[]\u201c\u201d\u2018\u2019\u00bf\u00a1\u00ab\u00bb"
# Tokens that are no words: the cell separators of a table row, a dash between two phrases.
_SEPARATORS = {"|", "-", "\u2013", "\u2014", "/"}
# Markup a reader should have consumed: bold or underline marks, link syntax, a heading or quote mark.
_MARKUP = re.compile(r"\*\*|__|\]\(|^#{1,6}\s|^>\s")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")
_LEADING_NUMBER = re.compile(r"^(?:\d{1,2}|[A-Za-z]|[IVX]{1,4})[.)]\s+")


class KeyFileError(ValueError):
    """An answer key that cannot be parsed (with its file and line)."""


@dataclass
class ExpectedBlock:
    code: str
    kind: str
    level: int
    ordered: bool
    first: str
    last: str
    line: int

    @property
    def first_words(self) -> list[str]:
        return words(self.first)

    @property
    def last_words(self) -> list[str]:
        return words(self.last)

    def describe(self) -> str:
        return f"{self.code} | {self.first} | {self.last}"


@dataclass
class ExpectedSection:
    keys: list[str]
    heading: str
    line: int
    blocks: list[ExpectedBlock] = field(default_factory=list)


@dataclass
class Key:
    fields: dict[str, str]
    sections: list[ExpectedSection]


@dataclass
class Result:
    name: str
    fields_right: int = 0
    fields_total: int = len(FIELDS)
    sections_right: int = 0
    sections_total: int = 0
    blocks_right: int = 0
    blocks_total: int = 0
    misreadings: list[str] = field(default_factory=list)
    error: str | None = None

    def add(self, other: "Result") -> None:
        self.fields_right += other.fields_right
        self.fields_total += other.fields_total
        self.sections_right += other.sections_right
        self.sections_total += other.sections_total
        self.blocks_right += other.blocks_right
        self.blocks_total += other.blocks_total

    @staticmethod
    def ratio(right: int, total: int) -> float:
        return right / total if total else 1.0

    @property
    def section_score(self) -> float:
        return self.ratio(self.sections_right, self.sections_total)

    @property
    def block_score(self) -> float:
        return self.ratio(self.blocks_right, self.blocks_total)

    @property
    def field_score(self) -> float:
        return self.ratio(self.fields_right, self.fields_total)


# --- words and headings ---------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Casefolded words, punctuation stripped from their ends; separators dropped, leftover markup kept."""
    out = []
    for token in text.split():
        word = token.strip(_STRIP).casefold()
        if word and word not in _SEPARATORS:
            out.append(word)
    return out


def collapse(text: str | None) -> str:
    return " ".join((text or "").split())


def heading_id(heading: str) -> str:
    """A heading as compared: white space collapsed, no case, no trailing ':' or '.', no leading number."""
    text = collapse(heading).casefold()
    text = text.rstrip(":.").rstrip()
    return _LEADING_NUMBER.sub("", text)


# --- the key --------------------------------------------------------------------------------------------


_SECTION_LINE = re.compile(r"^==\s*(?P<keys>[^=]*?)\s*==\s*(?P<heading>.*?)\s*$")
_BLOCK_CODE = re.compile(r"^(?P<kind>[pio])(?P<level>\d?)$")


def parse_key(text: str, where: str = "key") -> Key:
    fields: dict[str, str] = {name: "" for name in FIELDS}
    sections: list[ExpectedSection] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        at = f"{where}:{number}"
        if line.startswith("=="):
            match = _SECTION_LINE.match(line)
            if not match:
                raise KeyFileError(f"{at}: a section line is '== keys == heading'")
            keys = match["keys"].split()
            if not keys or any(k not in SECTION_KEYS for k in keys):
                raise KeyFileError(f"{at}: unknown section key in {match['keys']!r}")
            sections.append(ExpectedSection(keys, match["heading"].rstrip(":").strip(), number))
            continue
        if "|" in line:
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 2:
                parts.append("")
            code = _BLOCK_CODE.match(parts[0])
            if len(parts) != 3 or not code or not parts[1]:
                raise KeyFileError(f"{at}: a block line is 'code | first words | last words'")
            if not sections:
                raise KeyFileError(f"{at}: a block before the first section line")
            kind = code["kind"]
            sections[-1].blocks.append(ExpectedBlock(
                code=parts[0], kind=KINDS[kind], level=int(code["level"] or 0), ordered=kind == "o",
                first=parts[1], last=parts[2], line=number,
            ))
            continue
        name, sep, value = line.partition(":")
        if sep and name.strip() in FIELDS and not sections:
            fields[name.strip()] = collapse(value)
            continue
        raise KeyFileError(f"{at}: not a field, section or block line: {line!r}")
    return Key(fields, sections)


def read_key(path: str | Path) -> Key:
    path = Path(path)
    return parse_key(path.read_text(encoding="utf-8"), where=str(path))


# --- alignment ------------------------------------------------------------------------------------------


def _align(n: int, m: int, spans) -> list[tuple[int, int, int]]:
    """Expected 0..n against produced 0..m, both in order: the matches (i, j, k), expected i matching
    produced j..k-1, that make the most matches (then consume the most produced). `spans(i, j)` lists
    the k for which expected i matches produced j..k-1. This is a walk with a pointer that may skip
    ahead, choosing its skips well."""
    options = [[spans(i, j) for j in range(m)] for i in range(n)]
    best = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            value = max(best[i + 1][j], best[i][j + 1])
            for k in options[i][j]:
                right, used = best[i + 1][k]
                value = max(value, (right + 1, used + k - j))
            best[i][j] = value
    pairs = []
    i = j = 0
    while i < n and j < m:
        taken = False
        for k in options[i][j]:
            right, used = best[i + 1][k]
            if (right + 1, used + k - j) == best[i][j]:
                pairs.append((i, j, k))
                i, j, taken = i + 1, k, True
                break
        if taken:
            continue
        if best[i + 1][j] == best[i][j]:
            i += 1
        else:
            j += 1
    return pairs


# --- blocks ---------------------------------------------------------------------------------------------


def _starts(have: list[str], prefix: list[str]) -> bool:
    return have[: len(prefix)] == prefix


def _ends(have: list[str], suffix: list[str]) -> bool:
    return not suffix or (len(have) >= len(suffix) and have[-len(suffix):] == suffix)


def _shape_ok(expected: ExpectedBlock, block) -> bool:
    return (block.kind == expected.kind and block.level == expected.level
            and bool(block.ordered) == expected.ordered)


def _text_ok(expected: ExpectedBlock, text: str) -> bool:
    have = words(text)
    return not _MARKUP.search(text) and _starts(have, expected.first_words) and _ends(have, expected.last_words)


def _spans(expected: ExpectedBlock, produced: list, j: int) -> list[int]:
    """The ends k for which `expected` matches produced[j:k]: the block itself, or, for a paragraph, a run
    of paragraphs, each ending a sentence, that starts with its first words and ends with its last."""
    block = produced[j]
    out = []
    if _shape_ok(expected, block) and _text_ok(expected, block.text):
        out.append(j + 1)
    if expected.kind != "paragraph" or not expected.last_words:
        return out
    if not (_shape_ok(expected, block) and _starts(words(block.text), expected.first_words)):
        return out
    run = [block]
    for k in range(j + 1, len(produced)):
        if not _SENTENCE_END.search(run[-1].text.rstrip()) or _MARKUP.search(run[-1].text):
            break
        nxt = produced[k]
        if not _shape_ok(expected, nxt):
            break
        run.append(nxt)
        text = " ".join(b.text for b in run)
        if _text_ok(expected, text) and _SENTENCE_END.search(nxt.text.rstrip()):
            out.append(k + 1)
    return out


def _abbrev(text: str, head: int = 6, tail: int = 4) -> str:
    parts = text.split()
    if len(parts) <= head + tail + 1:
        return " ".join(parts)
    return " ".join(parts[:head]) + " ... " + " ".join(parts[-tail:])


def _shape(block) -> str:
    name = "ordered item" if block.kind == "item" and block.ordered else block.kind
    return f"{name} (level {block.level})" if block.level else name


def _contains(have: list[str], part: list[str]) -> bool:
    n = len(part)
    return any(have[i:i + n] == part for i in range(len(have) - n + 1)) if n else False


def _why(expected: ExpectedBlock, nxt: ExpectedBlock | None, block) -> str:
    """Why a produced block that starts like the expected one is not it."""
    reasons = []
    if not _shape_ok(expected, block):
        want = "ordered item" if expected.ordered else expected.kind
        reasons.append(f"expected {want} level {expected.level}")
    have = words(block.text)
    if _MARKUP.search(block.text):
        reasons.append("markup left in")
    if not _ends(have, expected.last_words):
        if nxt is not None and (_contains(have[len(expected.first_words):], nxt.first_words)):
            reasons.append("merged")
        elif _contains(have, expected.last_words):
            reasons.append("merged")
        elif not expected.last_words or len(have) > len(expected.first_words) + len(expected.last_words) + 12:
            reasons.append("merged or different ending")
        else:
            reasons.append("cut")
    return ", ".join(reasons) or "same text"


def _find_like(expected: ExpectedBlock, nxt, sections, prefer) -> str:
    """Where the words of a missed block went, for the misreading line: a block with its first and last
    words, else one that starts with its first words, else one that holds them; in its own section first."""
    first, last = expected.first_words, expected.last_words
    order = [prefer] + [s for s in sections if s is not prefer] if prefer is not None else list(sections)
    tests = (
        lambda have: _starts(have, first) and _ends(have, last),
        lambda have: _starts(have, first),
    )
    for test in tests:
        for section in order:
            for block in section.blocks:
                if test(words(block.text)):
                    where = "" if section is prefer else f" in section '{section.heading}'"
                    return f"read as {_shape(block)} '{_abbrev(block.text)}'{where} ({_why(expected, nxt, block)})"
    for section in order:
        for block in section.blocks:
            if _contains(words(block.text), first):
                where = "" if section is prefer else f" in section '{section.heading}'"
                return f"found inside {_shape(block)} '{_abbrev(block.text)}'{where} (merged)"
    return "not found (its words are not in what was read)"


# --- scoring --------------------------------------------------------------------------------------------


def score_procedure(procedure, key: Key, name: str) -> Result:
    """Score a `leaflet.model.Procedure` against a key."""
    result = Result(name)
    for field_name in FIELDS:
        value = getattr(procedure, field_name)
        text = value if isinstance(value, str) or value is None else value.text
        if collapse(text) == key.fields[field_name]:
            result.fields_right += 1
        else:
            result.misreadings.append(f"{name}: field {field_name} read as {collapse(text)!r}, "
                                      f"expected {key.fields[field_name]!r}")

    produced = list(procedure.sections)
    expected = key.sections
    pairs = _align(len(expected), len(produced),
                   lambda i, j: [j + 1] if heading_id(produced[j].heading) == heading_id(expected[i].heading) else [])
    matched = {i: j for i, j, _ in pairs}
    used = set(matched.values())
    extra_sections = [s for j, s in enumerate(produced) if j not in used]
    result.sections_total = len(expected) + len(extra_sections)
    result.blocks_total = sum(len(s.blocks) for s in expected)

    for i, section in enumerate(expected):
        label = section.heading or "(intro)"
        if i not in matched:
            result.misreadings.append(f"{name}: section '{label}' ({section.keys[0]}) not found")
            for number, block in enumerate(section.blocks, 1):
                nxt = section.blocks[number] if number < len(section.blocks) else None
                result.misreadings.append(f"{name}: block {number} of '{label}' ({block.describe()}) "
                                          f"{_find_like(block, nxt, produced, None)}")
            continue
        got = produced[matched[i]]
        if got.key in section.keys:
            result.sections_right += 1
        else:
            result.misreadings.append(f"{name}: section '{label}' read as {got.key}, expected {section.keys[0]}")
        blocks = list(got.blocks)
        block_pairs = _align(len(section.blocks), len(blocks), lambda a, b: _spans(section.blocks[a], blocks, b))
        result.blocks_right += len(block_pairs)
        hit = {a for a, _, _ in block_pairs}
        consumed = {b for _, j, k in block_pairs for b in range(j, k)}
        for number, block in enumerate(section.blocks, 1):
            if number - 1 in hit:
                continue
            nxt = section.blocks[number] if number < len(section.blocks) else None
            result.misreadings.append(f"{name}: block {number} of '{label}' ({block.describe()}) "
                                      f"{_find_like(block, nxt, produced, got)}")
        for b, block in enumerate(blocks):
            if b not in consumed:
                result.blocks_total += 1
                result.misreadings.append(f"{name}: extra block in '{label}': {_shape(block)} '{_abbrev(block.text)}'")

    for section in extra_sections:
        result.misreadings.append(f"{name}: extra section '{section.heading}' ({section.key}, "
                                  f"{len(section.blocks)} blocks)")
        result.blocks_total += len(section.blocks)
    return result


def score(path: str | Path, key_path: str | Path) -> Result:
    """Read `path` with leaflet's reader and score it against the key at `key_path`."""
    from leaflet.errors import SourceError
    from leaflet.reader import read

    path = Path(path)
    key = read_key(key_path)
    try:
        procedure = read(path)
    except SourceError as exc:
        result = Result(path.name, sections_total=len(key.sections),
                        blocks_total=sum(len(s.blocks) for s in key.sections))
        result.error = str(exc)
        result.misreadings.append(f"{path.name}: not read: {exc}")
        return result
    return score_procedure(procedure, key, path.name)


# --- checking a key against its document (not the reader) -----------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def document_text(path: str | Path) -> str:
    """A document's words as a person reads them, without any reader's judgement: Markdown marks and link
    syntax removed; for Word, the body's paragraphs and table cells (inserted text kept, deleted text and
    field codes dropped, a hyperlink followed by its address in brackets)."""
    path = Path(path)
    if path.suffix.lower() != ".docx":
        text = path.read_bytes().decode("utf-8-sig")
        text = re.sub(r"\[([^\]]*)\]\(([^)\s]*)\)", r"\1 (\2)", text)
        text = re.sub(r"(?<!\w)_(\S(?:[^_]*\S)?)_(?!\w)", r"\1", text)  # _italic_
        return re.sub(r"\*+|__|^\s{0,3}(#{1,6}|>)\s", " ", text, flags=re.M)
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = []
    for para in body.iter(_W + "p"):
        parts = []
        for node in para.iter(_W + "t", _W + "br", _W + "tab", _W + "hyperlink"):
            if any(a.tag == _W + "del" for a in node.iterancestors()):
                continue
            if node.tag == _W + "t":
                parts.append(node.text or "")
            elif node.tag == _W + "hyperlink":
                continue
            else:
                parts.append(" ")
        for link in para.iter(_W + "hyperlink"):
            if link.get(_R + "id") in targets:
                parts.append(f" ({targets[link.get(_R + 'id')]})")
        out.append("".join(parts))
    return "\n".join(out)


def _find(stream: list[str], part: list[str], start: int) -> int:
    n = len(part)
    for i in range(start, len(stream) - n + 1):
        if stream[i:i + n] == part:
            return i
    return -1


def check_key(text: str, key: Key) -> list[str]:
    """What in a key cannot be found, in order, in its document's text: a typo in the key."""
    stream = words(text)
    problems = []
    for name, value in key.fields.items():
        if value and _find(stream, words(value), 0) < 0:
            problems.append(f"field {name} {value!r} not in the document")
    pos = 0
    for section in key.sections:
        if section.heading:
            at = _find(stream, words(section.heading), pos)
            if at < 0:
                problems.append(f"line {section.line}: heading {section.heading!r} not found after word {pos}")
                continue
            pos = at + len(words(section.heading))
        for block in section.blocks:
            at = _find(stream, block.first_words, pos)
            if at < 0:
                problems.append(f"line {block.line}: first words {block.first!r} not found after word {pos}")
                continue
            pos = at + len(block.first_words)
            if block.last_words:
                end = _find(stream, block.last_words, at)  # the last words may overlap the first
                if end < 0:
                    problems.append(f"line {block.line}: last words {block.last!r} not found after word {pos}")
                    continue
                pos = max(pos, end + len(block.last_words))
    return problems


if __name__ == "__main__":  # python tests/corpus/score.py DOCUMENT KEY
    outcome = score(sys.argv[1], sys.argv[2])
    print(f"fields {outcome.fields_right}/{outcome.fields_total}  sections {outcome.sections_right}/"
          f"{outcome.sections_total}  blocks {outcome.blocks_right}/{outcome.blocks_total}")
    print("\n".join(outcome.misreadings))
