"""The audio guide's script: a localized leaflet -> numbered steps of short spoken lines with their pauses.

The guide walks the patient through the experience in up to eight steps (introduction, before, arriving, during,
after, risks, other options, and when to get help); a step with nothing to say is left out and the numbering
follows. "When to get help" is always the last step, and its last line is the clinic's phone number alone, so
that a translation cannot move the number away from the end. Every phrase the guide adds comes from the leaflet
domain. Lines keep the text as written (for the transcript) beside the spoken form the voice is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from . import wording
from .checks import excerpt
from .errors import CatalogError
from .locales import SOURCE_LOCALE
from .localize import Entry, Localized, Part
from .model import OTHER
from .speech.spoken import Rules, spoken

# Seconds of quiet after a line (../shared/STANDARDS.md: 0.5-0.8 s between sentences).
SENTENCE_PAUSE = 0.6
ITEM_PAUSE = 0.75
ANNOUNCEMENT_PAUSE = 0.8

# Guide steps in order, with the leaflet parts each speaks, in the order it speaks them.
STEPS = (
    ("introduction", ("purpose", "indications")),
    ("before", ("preparation",)),
    ("arriving", ("setting+personnel", "setting", "personnel", "duration")),
    ("during", ("procedure", "experience")),
    ("after", ("recovery",)),
    ("risks", ("risks",)),
    ("options", ("benefits", "alternatives")),
    ("warning", ("warning",)),  # always the last step: it ends with the clinic's phone number
)

# The part whose heading the step's own title already says; every other part is introduced by its heading.
TITLED_BY_STEP = {"before": "preparation", "during": "procedure", "after": "recovery", "risks": "risks",
                  "warning": "warning"}


@dataclass(frozen=True)
class Line:
    text: str  # as written: the transcript shows this
    spoken: str  # what the voice is given
    pause: float  # seconds of quiet after it
    lang: str | None = None  # "en" where the English source stands in for a missing translation


@dataclass(frozen=True)
class GuideStep:
    key: str
    number: int
    title: str
    lines: tuple[Line, ...]
    sections: tuple[str, ...] = ()  # the source's sections it says: '"heading" (line n)' each

    @property
    def stem(self) -> str:
        return f"{self.number:02d}-{self.key}"


@dataclass(frozen=True)
class Script:
    domain: str
    locale: str
    title: str
    summary: str  # the first sentence of the lead, for the MP3's comment
    steps: tuple[GuideStep, ...]
    draft: bool
    pronunciation: str = ""  # the locale's pronunciation list, as <locale>/pronunciation.toml ("" without one)
    forms: str = ""  # how a range and a percentage are said, shown to the reviewer whether or not the text has one

    def text(self) -> str:
        """The spoken script as plain text: a step's lines under its announcement."""
        return "\n\n".join("\n".join(line.text for line in step.lines) for step in self.steps) + "\n"

    def differences(self) -> str:
        """The reviewer's file: every sentence the voice says otherwise than it is written (the pronunciation list,
        ranges, phone numbers), under its step, so that what patients hear can be read and signed off."""
        listed = self.pronunciation or "none"
        out = [f"What the audio guide of {self.domain} ({self.locale}) says where it differs from the written text.",
               f"Pronunciation list: {listed}. The leaflet and the transcript (.txt, .vtt) show the written text;"
               " patients hear the spoken one."] + ([self.forms] if self.forms else []) + [""]
        count = 0
        for step in self.steps:
            changed = [line for line in step.lines if line.spoken not in (line.text, _voiced(line.text))]
            if not changed:
                continue
            out.append(f"Step {step.number} of {len(self.steps)}: {step.title}")
            for line in changed:
                english = " (said in English)" if line.lang else ""
                out += [f"  written: {line.text}", f"  spoken:  {line.spoken}{english}", ""]
            count += len(changed)
        out.append(f"{count} sentence{'s differ' if count != 1 else ' differs'}." if count
                   else "Nothing differs: the voice says every sentence as it is written.")
        return "\n".join(out) + "\n"


def _forms(rules: Rules) -> str:
    """The range form (the catalog's) and the percent form (the list's) as the voice says them: `leaflet check` holds
    them to their numbers, and their words are the reviewer's to hear, even in a text that has neither."""
    said = f'A range is said "{spoken("6-8", rules)}" (6-8)'
    if rules.percent_template is not None:
        said += f'; a percentage "{spoken("50%", rules)}" (50%)'
    return said + "."


def script(doc: Localized, rules: Rules, clinic: str, phone: str, source_rules: Rules | None = None) -> Script:
    """`rules` are the locale's spoken forms; `source_rules` the English ones, for the English text that stands in
    where a translation is missing (such a line is marked lang="en", to be said by an English voice)."""
    t = doc.words
    rules = replace(rules, range_template=wording.spoken_range(t))
    say = _Sayer(rules, source_rules if not doc.is_source else rules, t)
    bodies: list[tuple[str, list[Line], tuple[str, ...]]] = []
    for key, parts in _assign(doc.parts):
        if not parts and key != "introduction":
            continue  # a step whose sections are missing is left out, and the numbering follows
        lines: list[Line | None] = []
        if key == "introduction":
            say.sentence(lines, doc.title)
            lines.append(None)  # the guide's length goes here, once the number of steps is known
            if doc.draft:
                say.sentence(lines, t.gettext(wording.DRAFT_NOTICE))
            for entry in doc.lead:
                say.entry(lines, entry)
        for part in parts:
            if part.key != TITLED_BY_STEP.get(key):  # "Before your procedure" needs no "How do I get ready?"
                say.sentence(lines, part.heading, lang=part.heading_lang)
            for entry in part.entries:
                say.entry(lines, entry)
        if key == "risks":
            say.phrase(lines, wording.call_for_help(t, clinic, phone))
        if key == "warning":
            say.phrase(lines, wording.call_on_this_number(t, clinic))
            say.number(lines, phone)  # the last thing the guide says, whatever the translation's word order
        bodies.append((key, lines, tuple(where for part in parts for where in part.sources)))
    total = len(bodies)
    steps = []
    for number, (key, lines, sections) in enumerate(bodies, start=1):
        title = t.gettext(wording.GUIDE_STEPS[key])
        head: list[Line] = []
        say.phrase(head, wording.step_announcement(t, number, total, title), pause=ANNOUNCEMENT_PAUSE)
        body: list[Line] = []
        for line in lines:
            if line is None:
                say.phrase(body, wording.guide_length(t, total))
            else:
                body.append(line)
        steps.append(GuideStep(key, number, title, tuple(head + body), sections))
    summary = next(iter(_sentences(doc.lead[0].text, rules)), doc.title) if doc.lead else doc.title
    listed = Path(rules.where) if rules.where else None
    made = Script(doc.domain, doc.locale, doc.title, summary, tuple(steps), doc.draft,
                  f"{listed.parent.name}/{listed.name}" if listed else "", _forms(rules))
    _bounded(made, rules.where)
    return made


# What the voice says may be longer than the text ("mg" -> "milligrams", "6-8" -> "6 to 8"), within bounds: a
# pronunciation list must not make a guide grow without end (each entry is already limited; see
# speech/pronunciation.py). Measured on the seed's guide in the 13 shipped locales: a sentence grew 1.14 times at
# most, a whole guide 1.01 times; a short sentence may grow more ("5 mg." -> "5 miligramos."), hence the slack.
SENTENCE_GROWTH, SENTENCE_SLACK = 4, 200
GUIDE_GROWTH, GUIDE_SLACK = 2, 1000


def _bounded(made: Script, where: str) -> None:
    lines = [line for step in made.steps for line in step.lines]
    for line in lines:
        if len(line.spoken) > SENTENCE_GROWTH * len(line.text) + SENTENCE_SLACK:
            raise CatalogError(f"the pronunciation list makes a sentence {len(line.spoken) / len(line.text):.0f} times as"
                               f" long spoken as written (at most {SENTENCE_GROWTH}): {excerpt(line.text)!r}",
                               where=where or None, hint="shorten the entries that match it")
    written, said = sum(len(line.text) for line in lines), sum(len(line.spoken) for line in lines)
    if said > GUIDE_GROWTH * written + GUIDE_SLACK:
        raise CatalogError(f"the pronunciation list makes the guide {said / written:.1f} times as long spoken as written"
                           f" (at most {GUIDE_GROWTH})", where=where or None)


def _assign(parts: tuple[Part, ...]) -> list[tuple[str, list[Part]]]:
    """Each leaflet part under its guide step, in the step's order; a section of the clinic's own follows the
    part it followed in the leaflet (or opens the introduction)."""
    rank = {part: (s, r) for s, (_, keys) in enumerate(STEPS) for r, part in enumerate(keys)}
    placed: list[tuple[tuple[int, int, int], Part]] = []
    where = (0, -1)
    for order, part in enumerate(parts):
        if part.key != OTHER and part.key in rank:
            where = rank[part.key]
        elif part.key != OTHER:
            continue
        placed.append(((where[0], where[1], order), part))
    placed.sort(key=lambda item: item[0])
    return [(key, [p for (s, _, _), p in placed if s == index]) for index, (key, _) in enumerate(STEPS)]


class _Sayer:
    """Turns written text into lines: one per sentence, list items as sentences of their own."""

    def __init__(self, rules: Rules, source_rules: Rules | None = None, words=None):
        self.rules = rules
        self.source_rules = source_rules or Rules()
        self.words = words

    def sentence(self, lines: list, text: str, pause: float = SENTENCE_PAUSE, lang: str | None = None) -> None:
        if lang is None and self.words is not None and self.words.is_fallback(text):
            lang = SOURCE_LOCALE  # the leaflet's own words, untranslated: said in English, by an English voice
        rules = self.rules if lang is None else self.source_rules
        for sentence in _sentences(text, rules):
            if not any(ch.isalnum() for ch in sentence):
                continue  # a stray mark ("-", "*") has nothing to say, and Google refuses empty text
            lines.append(Line(sentence, _voiced(spoken(sentence, rules)), pause, lang))

    def phrase(self, lines: list, text: str, pause: float = SENTENCE_PAUSE) -> None:
        """A phrase the guide adds, just looked up in the leaflet domain and filled in."""
        fallback = self.words is not None and getattr(self.words, "last_fallback", False)
        self.sentence(lines, text, pause, SOURCE_LOCALE if fallback else None)

    def number(self, lines: list, phone: str) -> None:
        """A phone number on a line of its own, said in the locale's voice as the rules say a phone number."""
        if any(ch.isalnum() for ch in phone):
            lines.append(Line(phone, _voiced(spoken(phone, self.rules)), SENTENCE_PAUSE))

    def entry(self, lines: list, entry: Entry) -> None:
        before = len(lines)
        self.sentence(lines, entry.text, lang=entry.lang)
        if entry.kind == "item" and len(lines) > before:
            lines[-1] = replace(lines[-1], pause=ITEM_PAUSE)


# A sentence ends at . ! ? (and their Arabic, Devanagari and CJK forms) followed by a space, or at a CJK stop.
_END = re.compile(r"(?<=[.!?؟।])\s+|(?<=[。！？])\s*")
_KNOWN_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "Dr.", "Mr.", "Mrs.", "Ms.", "vs.", "approx.", "No.", "St.")


def _sentences(text: str, rules: Rules) -> list[str]:
    pieces = [p for p in _END.split(text.strip()) if p]
    abbreviations = set(_KNOWN_ABBREVIATIONS) | rules.abbreviations
    out: list[str] = []
    for piece in pieces:
        if out and (
            _ends_with_abbreviation(out[-1], abbreviations)
            or _is_initial(out[-1])
            or _inside_abbreviation(out[-1], piece, abbreviations)
        ):
            out[-1] = f"{out[-1]} {piece}"  # "e.g. fluoroscopy" and "J. Smith" do not end a sentence
        else:
            out.append(piece)
    return out


# An initial is one capital letter ("J. Smith"); a lowercase one ends a sentence (Haitian Creole "...doulè a.").
_INITIAL = re.compile(r"(?:^|\s)([^\W\d_])\.$")


def _is_initial(text: str) -> bool:
    match = _INITIAL.search(text)
    return bool(match) and match.group(1).isupper()


def _ends_with_abbreviation(text: str, abbreviations: set[str]) -> bool:
    """Whole words only: "mahal." (Filipino "dear") ends a sentence although "hal." is an abbreviation."""
    for abbreviation in abbreviations:
        if text.endswith(abbreviation):
            before = text[: -len(abbreviation)]
            if not before or not (before[-1].isalnum() and abbreviation[0].isalnum()):
                return True
    return False


def _inside_abbreviation(before: str, after: str, abbreviations: set[str]) -> bool:
    """A split inside an abbreviation of several words: "p." | "ex. ..." of "p. ex.", "т." | "е. ..." of "т. е."."""
    for abbreviation in abbreviations:
        words = abbreviation.split(" ")
        for cut in range(1, len(words)):
            head, rest = " ".join(words[:cut]), " ".join(words[cut:])
            if head.endswith(".") and _ends_with_abbreviation(before, {head}) and after.startswith(rest):
                return True
    return False


def _voiced(text: str) -> str:
    """A list item has no full stop; give the voice one so that it ends the sentence, not a question. An item
    that ends in a bracket or a quote gets one too: "Anesthesiologist (if needed)"."""
    bare = text.rstrip(")]}\u00bb\u201d\u2019\"'\uff09")
    return text + "." if bare[-1:].isalnum() else text
