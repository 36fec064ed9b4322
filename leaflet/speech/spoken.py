"""Spoken forms: what the voice is given instead of what the page prints, for what a voice reads badly.

A chain of small str -> str functions, used on the audio path only: the leaflet and the transcript keep the
text as written. Each locale's list lives in translations/<locale>/pronunciation.toml for translators to edit.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..locales import SOURCE_LOCALE, normalize
from ..wording import fill
from .pronunciation import list_path, read_list


@dataclass(frozen=True)
class Rules:
    """A locale's spoken forms: written -> spoken pairs, and how a range of numbers is said."""

    say: tuple[tuple[str, str], ...] = ()
    range_template: str = "{low} to {high}"
    # How "50%" is said where the word goes before the number (Chinese "百分之{number}"); None: as written.
    percent_template: str | None = None
    where: str = ""  # the list they came from, for a refusal to name

    @property
    def abbreviations(self) -> frozenset[str]:
        """Written forms ending in a full stop that does not end a sentence ("e.g.")."""
        return frozenset(written for written, _ in self.say if written.endswith("."))

    @functools.cached_property
    def _trie(self) -> tuple[re.Pattern, dict]:
        """The written forms as a tree of characters (a spoken form under the key "" where one ends), and a pattern
        for the characters they start with: every form that starts at one place is found in one walk."""
        root: dict = {}
        for written, said in self.say:
            node = root
            for char in written:
                node = node.setdefault(char, {})
            node[""] = said
        return re.compile("[" + "".join(re.escape(char) for char in root) + "]"), root


def pronunciation_path(translations: Path, locale: str) -> Path | None:
    """The list for a locale or its parent (pt_BR -> pt), as gettext falls back; None if there is none."""
    return list_path(translations, locale)


def load(translations: Path, locale: str) -> Rules:
    """A locale's list (the range template is the catalog's: guide.script sets it). An entry `leaflet check`
    calls wrong (a number or a negation changed, over the limits) is left out: the voice says the text as
    written there (a build reaches here with one only under --allow-incomplete)."""
    from ..checks import wrong_entries

    path = pronunciation_path(translations, locale)
    if path is None and normalize(locale).split("_")[0] == SOURCE_LOCALE:
        path = pronunciation_path(translations, SOURCE_LOCALE)
    if path is None:
        return Rules()
    found = read_list(path)
    wrong = wrong_entries(found, locale)
    pairs = tuple((e.written, e.spoken) for e in found.entries if e not in wrong)
    percent = found.percent if not any(e.table == "forms" for e in wrong) else None
    return Rules(tuple(sorted(pairs, key=lambda kv: -len(kv[0]))), percent_template=percent, where=str(path))


def _say(text: str, rules: Rules) -> str:
    """Every written form replaced in one pass over the text, the longest first where several start at one place:
    what a replacement says is never read again, so that no entry can work on another's output (a list of
    entries that each double the text would otherwise grow it without bound)."""
    if not rules.say:
        return text
    starts, trie = rules._trie
    out: list[str] = []
    done = at = 0
    while (match := starts.search(text, at)) is not None:
        start = match.start()
        for end, said in reversed(_forms_at(text, start, trie)):
            if _whole(text, start, end):
                out += [text[done:start], _spaced(text, start, end, said)]
                done = at = end
                break
        else:
            at = start + 1
    return "".join(out) + text[done:]


def _forms_at(text: str, start: int, trie: dict) -> list[tuple[int, str]]:
    """(end, spoken) of every written form that starts at `start`, shortest first."""
    found = []
    node = trie
    for at in range(start, len(text)):
        node = node.get(text[at])
        if node is None:
            break
        if "" in node:
            found.append((at + 1, node[""]))
    return found


def _whole(text: str, start: int, end: int) -> bool:
    """Whole words only: "NSAIDs" not inside "NSAIDsX", "мг" not inside "мгла". A neighbour stops the match only if
    it continues the word in the same script (a letter, digit or vowel sign), so a unit stuck to its number
    ("5mg") and a Latin acronym stuck to Chinese or Korean ("CT扫描", "MRI나") are still found."""
    written = text[start:end]
    return not (start and _continues(text[start - 1], written[0])) and not (
        end < len(text) and _continues(text[end], written[-1])
    )


def _continues(neighbour: str, edge: str) -> bool:
    if not _wordlike(edge):
        return False  # "°C", "~": a symbol at the edge has no word to continue
    if unicodedata.category(neighbour).startswith("M"):
        return True  # a vowel sign or accent belongs to the letter before it
    if not _wordlike(neighbour):
        return False
    if neighbour.isdigit() or edge.isdigit():
        return neighbour.isdigit() and edge.isdigit()
    return _script(neighbour) == _script(edge)


def _wordlike(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _script(ch: str) -> str:
    """The script a letter belongs to, near enough: the first word of its Unicode name (LATIN, CYRILLIC, CJK,
    HANGUL, DEVANAGARI, ARABIC ...)."""
    return unicodedata.name(ch, "?").split(" ")[0]


def _spaced(text: str, start: int, end: int, spoken: str) -> str:
    """'38°C' -> '38 degrees Celsius': a spoken word never runs into the number before or the word after."""
    if start and text[start - 1].isalnum() and spoken[:1].isalnum():
        spoken = " " + spoken
    if end < len(text) and text[end].isalnum() and spoken[-1:].isalnum():
        spoken += " "
    return spoken


# "6-8 hours" -> "6 to 8 hours"; not a phone number, date or code ("555-0100", "2026-11-24", "1-2-3").
_RANGE = re.compile(r"(?<![\d.,/:\-–])(\d{1,3})\s?[-–]\s?([1-9]\d{0,2})(?![\d.,/:\-–]\d|\d)")


def _ranges(text: str, rules: Rules) -> str:
    return _RANGE.sub(lambda m: fill(rules.range_template, low=m.group(1), high=m.group(2)), text)


_PERCENT = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s?[%\uff05]")


def _percent(text: str, rules: Rules) -> str:
    if rules.percent_template is None:
        return text
    return _PERCENT.sub(lambda m: fill(rules.percent_template, number=m.group(1)), text)


# Seven or more digits in groups: a phone number, said digit by digit with a pause between the groups.
_PHONE = re.compile(r"(?<![\w.,])\+?\(?\d[\d\s().\-]{5,}\d(?![\w,.]\d)")

_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


def _phones(text: str, rules: Rules) -> str:
    def spell(match: re.Match) -> str:
        number = match.group(0)
        if sum(ch.isdigit() for ch in number) < 7 or _DATE.fullmatch(number.strip()):
            return number
        groups = [g for g in re.split(r"[\s().\-]+", number) if g]
        return ", ".join(" ".join(group) for group in groups)

    return _PHONE.sub(spell, text)


# Ranges and phone numbers are read first, while their digits are as written: a list that spells numbers out
# (Haitian Creole's "45" = "karannsenk", for a voice that drops the tens) must not turn "30-45" into
# "30-karannsenk", which is no longer a range. So the list also sees the digits leaflet spelled out ("5 5 5, 0 1 0 0");
# `leaflet check` holds every [say] entry to saying its numbers exactly as written (checks.number_shape), so an entry
# that matches them can change none of them.
_CHAIN: tuple[Callable[[str, Rules], str], ...] = (_ranges, _percent, _phones, _say)


def spoken(text: str, rules: Rules) -> str:
    for step in _CHAIN:
        text = step(text, rules)
    return text
