"""The translation gate: small checks that each find one kind of problem in a catalog and say where.

Errors make a leaflet wrong (a dose with another number, a placeholder lost, markup that would be drawn);
warnings ask a translator to look (fuzzy, untranslated, same as the source, length, punctuation, a changed
negation, hard reading). A check that cries wolf gets turned off, so each one stays narrow.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from babel.core import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import PLURALS, get_plural

from . import readability, wording
from .catalogs import Layout, leaflet_template, po_names, printable, read_catalog
from .errors import CatalogError, LeafletError
from .legible import too_many_marks, visible
from .locales import SOURCE_LOCALE, display_name, normalize
from .memory import is_translated, negation_differs, negation_words, negation_words_in
from .review import record_problem
from .wording import DOMAIN as LEAFLET_DOMAIN

ERROR, WARNING = "error", "warning"
EXCERPT = 40
LENGTH_RATIO = (0.5, 2.5)
_MIN_LENGTH_FOR_RATIO = 20  # "Yes" -> "Oui" says nothing about a translation
# Scripts whose lengths compare with English (measured on the shipped catalogs: median ratio 0.9-1.3); not
# CJK or Hangul, where a translation is a third to a half as long.
_ALPHABETIC = {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN", "ARABIC", "HEBREW", "DEVANAGARI", "BENGALI"}
_BRACKETED = re.compile(r"\s*[(\uff08][^()\uff08\uff09]*[)\uff09]")
# A format field, also one that reaches into an object ("{pages.__class__}") or converts ("{phone!r}").
_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}\s]*)\}(?!\})")
# Tags (<b>, </font>, <img src=...>, <br/>, <!-- -->) and character references (&amp; &#60;). A "<" followed by
# a space or a digit ("< 5 mg") is not markup.
_MARKUP = re.compile(
    r"<\s*/?\s*[A-Za-z!?][^<>]*>|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);|<!\[CDATA\[|\]\]>"
)
# Digit-group separators: "1,000", "1.000", "1 000" (no-break and thin spaces too), "1'000", Arabic "١٬٠٠٠". After a
# lone 0 the separator is a decimal point: "0.125 mg" is an eighth of a milligram, never 125 mg.
_GROUPING = re.compile(r"(?<=\d)(?<!(?<!\d)0)[,.\u00a0\u202f\u2009'\u066c ](?=\d{3}(?!\d))")
# A number, or a fraction written with a slash as one: "1/2" is not "2/1".
_NUMBER = re.compile(r"[0-9]+(?:/[0-9]+)?")
# The digits after a decimal point or the minutes after an hour keep their leading zeros: "0.05" is not "0.5".
_AFTER_POINT = re.compile(r"[0-9](?:[.,:\u066b]|\s?[hH]\s?)$")
# "8:00" is said "8 h" or "8 Uhr" in other languages: the zero minutes are no number of their own.
_ON_THE_HOUR = re.compile(r"(?<![\d.,:])(\d{1,2})\s?[:.hH]\s?00(?!\d)")
_END_CLASSES = {
    ".": ".\u3002\uff0e\u0964\u06d4\u1362\u2026",  # full stop, CJK and fullwidth stops, danda, Urdu, Ethiopic, ellipsis
    "?": "?\uff1f\u061f\u037e\u055e",
    "!": "!\uff01\u055c",
    ":": ":\uff1a",
    ";": ";\uff1b\u061b",
}
_CLOSING = " \t\n)]}\u00bb\u201d\u2019\"'\uff09\u300d\u300f\u3011"
_END_NAMES = {".": "a full stop", "?": "a question mark", "!": "an exclamation mark", ":": "a colon", ";": "a semicolon", "": "no end punctuation"}


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning"
    code: str  # a short name of the check, for --json and for filtering
    domain: str
    locale: str
    context: str | None
    excerpt: str
    message: str
    where: str  # file:line

    def line(self) -> str:
        context = f" [{self.context}]" if self.context else ""
        excerpt = f' "{self.excerpt}"' if self.excerpt else ""
        return f"{self.where}: {self.severity}: {self.domain} {self.locale}{context}{excerpt}: {self.message}"

    def to_dict(self) -> dict:
        return {
            "severity": self.severity,
            "check": self.code,
            "domain": self.domain,
            "locale": self.locale,
            "msgctxt": self.context,
            "excerpt": self.excerpt,
            "message": self.message,
            "where": self.where,
        }


def excerpt(text: str, limit: int = EXCERPT) -> str:
    text = printable(" ".join(text.split()))  # an ESC from a translation must not reach the terminal as one
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


@dataclass(frozen=True)
class Pair:
    """One message: its source (singular, plural) and translation forms, as the checks see it."""

    source: tuple[str, ...]
    strings: tuple[str, ...]
    context: str | None
    fuzzy: bool
    previous: tuple[str, ...]
    plural: bool

    @classmethod
    def of(cls, message: Message) -> "Pair":
        ids = tuple(message.id) if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = tuple(message.string) if isinstance(message.string, (list, tuple)) else (message.string or "",)
        return cls(ids, tuple(s or "" for s in strings), message.context, message.fuzzy,
                   tuple(message.previous_id or ()), len(ids) > 1)

    def forms(self) -> Iterator[tuple[str, str]]:
        """(source, translation) for each form: every plural form is compared with the English plural."""
        for string in self.strings:
            yield self.source[-1], string


Problem = tuple[str, str, str]  # (severity, code, what is wrong)
MessageCheck = Callable[[Pair, str], Iterable[Problem]]


# --- errors ----------------------------------------------------------------------------------------


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # a decimal digit of another script: Arabic-Indic, Devanagari, fullwidth


def numbers(text: str) -> Counter[str]:
    """The numbers of a text, compared across digit systems ("٣٠" is 30) and grouping ("1,000" is "1 000"). A
    whole number's leading zeros do not count ("08" is 8); a decimal's do ("0.05" is not "0.5"). A
    fraction is one number ("1/2" is not "2/1"), and a number sign counts as the digits it stands for ("½" is 1/2,
    "1½" is 1 1/2, "²" is 2)."""
    ascii_digits = _OTHER_DIGIT.sub(lambda digit: str(unicodedata.decimal(digit[0])), text)
    spelled = "".join(_spelled(char) if unicodedata.category(char) in ("No", "Nl") else char
                      for char in ascii_digits.replace("\u2044", "/"))  # the fraction slash
    joined = _ON_THE_HOUR.sub(r"\1", _GROUPING.sub("", spelled))
    return Counter(run[0] if _AFTER_POINT.search(joined, max(run.start() - 4, 0), run.start())
                   else run[0].lstrip("0") or "0" for run in _NUMBER.finditer(joined))


def _spelled(char: str) -> str:
    """A number sign as the digits it stands for, apart from its neighbours: "½" is " 1/2 ", "Ⅻ" is " 12 "."""
    compatible = unicodedata.normalize("NFKC", char).replace("\u2044", "/")  # "½" is "1⁄2" with a fraction slash
    if re.search("[0-9]", compatible):
        return f" {compatible} "
    return f" {unicodedata.numeric(char):g} "  # every character of category No or Nl has a numeric value


def check_numbers(pair: Pair, locale: str) -> Iterator[Problem]:
    for source, string in pair.forms():
        wanted, found = numbers(source), numbers(string)
        missing, added = wanted - found, found - wanted
        if missing:
            extra = f" (the translation has {_list(added)})" if added else ""
            yield ERROR, "number", f"the number {_list(missing)} of the source is missing or changed{extra}"
        elif added:
            yield WARNING, "number-added", f"the translation has a number the source does not: {_list(added)}"


def _list(counter: Counter[str]) -> str:
    return ", ".join(sorted(counter.elements(), key=lambda s: (len(s), s)))


def check_placeholders(pair: Pair, locale: str) -> Iterator[Problem]:
    for source, string in pair.forms():
        wanted, found = set(_PLACEHOLDER.findall(source)), set(_PLACEHOLDER.findall(string))
        if pair.plural:
            wanted.discard("count")  # a plural form may say its number in words ("one step")
            found.discard("count")
        for name in sorted(wanted - found):
            yield ERROR, "placeholder", f"the placeholder {{{name}}} is missing; keep it exactly as written"
        for name in sorted(found - wanted):
            yield ERROR, "placeholder", f"{{{name}}} is not a placeholder of this message; remove it or write it as it is meant"


def check_empty(pair: Pair, locale: str) -> Iterator[Problem]:
    blank = [s for s in pair.strings if not s.strip()]
    if any(s and not s.strip() for s in pair.strings):
        yield ERROR, "empty", "the translation is only white space; write it, or leave it empty to mark it untranslated"
    elif blank and len(blank) < len(pair.strings):
        yield ERROR, "empty", f"{len(blank)} of the {len(pair.strings)} plural forms are empty"


def check_markup(pair: Pair, locale: str) -> Iterator[Problem]:
    for source, string in pair.forms():
        allowed = {_markup_key(m) for m in _MARKUP.findall(source)}
        for token in dict.fromkeys(_MARKUP.findall(string)):
            if _markup_key(token) not in allowed:
                yield ERROR, "markup", f"markup-like text the source does not have: {excerpt(token, 30)} (it would be printed as it is)"


def _markup_key(token: str) -> str:
    return " ".join(token.lower().split())


def check_invisible(pair: Pair, locale: str) -> Iterator[Problem]:
    """Characters no font draws, or that would reorder or hide what a patient reads: control characters (a tab
    and a line end print as a space), a bidi override (RLO turns "10" into "01"), private-use and unassigned
    code points, interlinear annotation marks, tag characters and U+FFFD, the mark of a character a conversion
    lost. Joiners, direction marks and isolates are left alone: Arabic and Hindi need them."""
    for source, string in pair.forms():
        for char in dict.fromkeys(string):
            why = _invisible(char)
            if why and char not in source:
                yield ERROR, "invisible", f"{why} U+{ord(char):04X} the source does not have; delete it or retype the text around it"


def _invisible(char: str) -> str | None:
    category = unicodedata.category(char)
    if category == "Cc" and char not in "\t\n":
        return "a control character"
    if char in "\u202d\u202e":
        return "a bidi override"
    if category in ("Co", "Cn"):
        return "an unassigned or private-use code point"
    if char in "\ufff9\ufffa\ufffb" or 0xE0000 <= ord(char) <= 0xE007F:
        return "an invisible format character"
    if char == "\ufffd":
        return "the replacement character (a character lost in a conversion)"
    return None


def check_marks(pair: Pair, locale: str) -> Iterator[Problem]:
    """A tower of combining marks on one letter, drawn as a line down the page through the text around it."""
    for source, string in pair.forms():
        why = too_many_marks(string)
        if why and not too_many_marks(source):
            yield ERROR, "marks", f"the translation has {why}"


def check_nothing_visible(pair: Pair, locale: str) -> Iterator[Problem]:
    """A translation of only zero-width or format characters: it passes for written, and prints as nothing."""
    for source, string in pair.forms():
        if string.strip() and not visible(string) and visible(source):
            yield ERROR, "invisible-only", ("the translation has nothing visible in it (only invisible or zero-width"
                                            " characters); write it, or leave it empty to mark it untranslated")


def check_spoken_form(pair: Pair, locale: str) -> Iterator[Problem]:
    """A message of msgctxt "spoken" ("{low} to {high}") is how the voice says every range of the guide: each
    placeholder once, in the source's order, with words between them, and no number or negation of its own
    ("de {low} a {low}{high}" said 6-8 as "de 6 a 68")."""
    if pair.context != "spoken":
        return
    for source, string in pair.forms():
        if not string.strip():
            continue
        names = _PLACEHOLDER.findall(source)
        found = _PLACEHOLDER.findall(string)
        if sorted(found) != sorted(names) or found != names:
            yield ERROR, "spoken-form", (f"say each of {' '.join('{' + n + '}' for n in names)} exactly once, in that"
                                         " order: this is how the voice says every range")
        elif re.search(r"\}\s*\{", string):
            yield ERROR, "spoken-form", "words must stand between the placeholders, or the two numbers are heard as one"
        if any(_is_number(c) for c in _PLACEHOLDER.sub("", string)):
            yield ERROR, "spoken-form", "no number of its own: the voice says the range's numbers, and only them"
        if _has_negation(_PLACEHOLDER.sub(" ", string), locale):
            yield ERROR, "spoken-form", "no negation word: this says a range, not whether to do something"


# The page furniture printed on every page: "Page 3 of 7" and the stamp for consent records. Each must stay
# within two lines of the footer. Their length is bounded here in characters, with no font at hand, so that a
# catalog that passes is never refused for it by a build at any size or paper: an average letter of the body
# fonts is under 0.6 em (DejaVu Sans, measured), a CJK character 1 em (counted as two). "Page 99 of 99" at
# 36 pt, the largest size, on A4's 453 pt of line: 21 letters a line, 42 in two, less what a line break wastes.
# A build measures the page line with the real fonts too, at the size it sets, and names the entry it refuses.
# The stamp's own words: at the default 18 pt it stays in every page's footer within 84 letters a line pair,
# with about 40 taken by the version, digest, state and date (larger sizes print it once, at the end).
FOOTER_WORDS = {wording.PAGE_OF: 24, wording.STAMP: 40}


def check_footer_length(pair: Pair, locale: str) -> Iterator[Problem]:
    limit = FOOTER_WORDS.get(pair.source[0]) if pair.context is None else None
    if limit is None:
        return
    for _, string in pair.forms():
        own = _PLACEHOLDER.sub("", string)
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.category(ch) in ("Mn", "Me", "Cf") else 1
                    for ch in own.strip())
        if width > limit:
            yield ERROR, "footer-length", (f"the translation's own words are {width} characters long; this line is"
                                           f" printed in every page's footer and must fit two lines: at most {limit}")


def check_plural_count(pair: Pair, locale: str) -> Iterator[Problem]:
    wanted = plural_forms_of(locale)
    if pair.plural and wanted is not None and len(pair.strings) != wanted.num_plurals:
        yield ERROR, "plural-forms", (f"{len(pair.strings)} plural forms, but {display_name(locale)} has"
                                      f" {wanted.num_plurals}: set the header to Plural-Forms: {wanted.plural_forms}")


@functools.lru_cache(maxsize=64)
def plural_forms_of(locale: str):
    """The gettext plural rule of a language (as 'leaflet init' writes it), or None for one Babel has none for."""
    try:
        parsed = Locale.parse(normalize(locale))
    except (ValueError, TypeError, UnknownLocaleError, CatalogError):
        return None
    known = next((key for key in (str(parsed), parsed.language) if key in PLURALS), None)
    return get_plural(known) if known else None


# --- warnings --------------------------------------------------------------------------------------


def check_same(pair: Pair, locale: str) -> Iterator[Problem]:
    for source, string in pair.forms():
        words = re.findall(r"[^\W\d_]+", _PLACEHOLDER.sub("", source))
        if len(words) >= 2 and any(c.islower() for c in source) and _folded(source) == _folded(string):
            yield WARNING, "same", "the translation is the same as the source"


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def script_of(text: str) -> str | None:
    """The script most of a text's letters are written in (LATIN, CYRILLIC, ARABIC, CJK, HANGUL, ...)."""
    scripts = Counter(unicodedata.name(c, "?").split(" ")[0] for c in text if c.isalpha())
    return scripts.most_common(1)[0][0] if scripts else None


def check_length(pair: Pair, locale: str) -> Iterator[Problem]:
    low, high = LENGTH_RATIO
    for source, string in pair.forms():
        # Measured as written and with what is in brackets left out on both sides; either in range is enough. The
        # plain explanation a translator adds beside a medical term ("NSAIDs (medicines that ease pain)") is asked
        # for, not padding, and a translator may also move the source's bracket into the sentence.
        if len(source) < _MIN_LENGTH_FOR_RATIO or not string.strip():
            continue
        if script_of(source) not in _ALPHABETIC or script_of(string) not in _ALPHABETIC:
            continue
        bare_source, bare_string = _BRACKETED.sub("", source).strip(), _BRACKETED.sub("", string).strip()
        ratios = [len(string) / len(source)] + ([len(bare_string) / len(bare_source)] if bare_source else [])
        ratio = min(ratios, key=lambda r: abs(r - 1))
        if not any(low <= r <= high for r in ratios):
            yield WARNING, "length", f"the translation is {ratio:.1f} times the length of the source (expected {low}-{high}); is something missing or added?"


def end_class(text: str) -> str:
    text = text.rstrip(_CLOSING)
    if not text:
        return ""
    for name, marks in _END_CLASSES.items():
        if text[-1] in marks:
            return name
    return ""


def check_punctuation(pair: Pair, locale: str) -> Iterator[Problem]:
    for source, string in pair.forms():
        if not string.strip():
            continue
        wanted, found = end_class(source), end_class(string)
        if wanted != found:
            yield WARNING, "punctuation", f"the source ends with {_END_NAMES[wanted]}, the translation with {_END_NAMES[found]}"


# The checks that find errors (check_numbers also warns of an added number); the others only warn.
ERROR_CHECKS: list[MessageCheck] = [check_numbers, check_placeholders, check_empty, check_markup, check_invisible,
                                     check_marks, check_nothing_visible, check_footer_length, check_plural_count,
                                     check_spoken_form]
MESSAGE_CHECKS: list[MessageCheck] = [*ERROR_CHECKS, check_same, check_length, check_punctuation]


# --- a catalog -------------------------------------------------------------------------------------


def _finding(message: Message, severity: str, code: str, text: str, domain: str, locale: str, where: str) -> Finding:
    line = f"{where}:{message.lineno}" if message.lineno else where
    return Finding(severity, code, domain, locale, message.context, excerpt(_first(message.id)), text, line)


def _used(message: Message) -> bool:
    """A translation a leaflet would print: not fuzzy, and not left empty."""
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return bool(message.id) and not message.fuzzy and any(strings)


def _wrong(catalog: Catalog, locale: str) -> Iterator[tuple[Message, str, str]]:
    """(message, code, what is wrong) for every error in the translations a leaflet would print."""
    for message in catalog:
        if _used(message):
            pair = Pair.of(message)
            for check in ERROR_CHECKS:
                for severity, code, text in check(pair, locale):
                    if severity == ERROR:
                        yield message, code, text


def errors_in(catalog: Catalog, domain: str, locale: str, where: str) -> list[Finding]:
    """Only the errors: what stops a build or a review (no warnings, no reading measure)."""
    return [_finding(m, ERROR, code, text, domain, locale, where) for m, code, text in _wrong(catalog, locale)]


def check_catalog(catalog: Catalog, domain: str, locale: str, where: str, template: Catalog | None = None) -> list[Finding]:
    """Every finding in one catalog; `template` adds the messages the catalog does not have yet."""
    findings = []

    def add(message: Message, severity: str, code: str, text: str) -> None:
        findings.append(_finding(message, severity, code, text, domain, locale, where))

    for message in catalog:
        if not message.id:
            continue
        pair = Pair.of(message)
        if not any(pair.strings):
            add(message, WARNING, "untranslated", "not translated yet (the English text stands in)")
        elif message.fuzzy:
            if pair.previous and negation_differs(pair.previous[0], pair.source[0]):
                add(message, WARNING, "fuzzy-negation",
                    "fuzzy, and the source now says the opposite (a negation or an opposite word changed): translate it afresh")
            else:
                add(message, WARNING, "fuzzy", "fuzzy: a suggestion not used until a translator checks it and removes the mark")
        else:
            for check in MESSAGE_CHECKS:
                for severity, code, text in check(pair, locale):
                    add(message, severity, code, text)
    if template is not None:
        have = {(_first(m.id), m.context) for m in catalog if m.id}
        for message in template:
            if message.id and (_first(message.id), message.context) not in have:
                findings.append(Finding(WARNING, "untranslated", domain, locale, message.context,
                                        excerpt(_first(message.id)), "not in the catalog yet (run 'leaflet update')", where))
    if (problem := record_problem(catalog)) is not None:
        findings.append(Finding(WARNING, "review", domain, locale, None, "",
                                f"{problem}; the leaflet says draft until the review is recorded again", where))
    findings.extend(_translation_reading(catalog, domain, locale, where))
    return findings


def _first(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


# The names printed in the part for staff (the official descriptor, other names, medical terms): not for patients
# to read, so not measured.
STAFF_CONTEXTS = frozenset({"title", "medical_terms", "common_names"})


def _for_patients(message: Message) -> bool:
    return bool(message.id) and isinstance(message.id, str) and message.context not in STAFF_CONTEXTS


def _translation_reading(catalog: Catalog, domain: str, locale: str, where: str) -> list[Finding]:
    """How hard the translated text reads, where the language has a formula (Spanish, French, ...): one line."""
    if domain == LEAFLET_DOMAIN:
        return []
    result = readability.score("\n".join(m.string for m in catalog if _for_patients(m) and is_translated(m)), locale)
    if result is None or not result.too_hard:
        return []
    return [Finding(WARNING, "reading", domain, locale, None, "", f"the translation {result.describe()}", where)]


def check_source(template: Catalog, domain: str, where: str) -> list[Finding]:
    """How hard the source reads (the clinic's to change): one line for the whole text, naming the hardest message."""
    if domain == LEAFLET_DOMAIN:
        return []
    messages = [m for m in template if _for_patients(m)]
    whole = readability.score("\n".join(m.id for m in messages), SOURCE_LOCALE)
    if whole is None or not whole.too_hard:
        return []
    scored = [(s.value, m) for m in messages if (s := readability.score(m.id, SOURCE_LOCALE)) is not None]
    hard = [(value, m) for value, m in scored if value > readability.GRADE_LIMIT]
    text = f"the source {whole.describe()}; {len(hard)} of {len(messages)} messages read above grade {readability.GRADE_LIMIT:g}"
    if hard:
        value, hardest = max(hard, key=lambda pair: pair[0])
        text += f", the hardest [{hardest.context}] at {value:.1f}: \"{excerpt(hardest.id)}\""
    return [Finding(WARNING, "reading", domain, SOURCE_LOCALE, None, "", text, where)]


# --- pronunciation lists ---------------------------------------------------------------------------
# Each entry of translations/<locale>/pronunciation.toml changes what a patient hears where the text says the
# written form: held to the same errors as a translation (a number or a negation changed) and to limits.

SPOKEN_RATIO = 10  # a spoken form over 10 times as long as the written one is a warning ...
SPOKEN_LONG = 200  # ... as is one over 200 characters (the limits in speech/pronunciation.py are errors)
PRONUNCIATION = "pronunciation"


_SHORTEST = 3  # a symbol or a two-letter abbreviation ("℃", "АД") is said in words: its ratio counts from 3


def _letters(text: str) -> int:
    """Length as a voice reads it: the Arabic vowel marks and Devanagari vowel signs of a spoken form add no length,
    nor does the percent form's {number}."""
    return sum(1 for c in text.replace("{number}", "") if not unicodedata.category(c).startswith("M"))


def _pronunciation_problems(entry, language: str) -> Iterator[Problem]:
    from .speech.pronunciation import MAX_SPOKEN, MAX_WRITTEN

    written, said = entry.written, entry.spoken
    if len(written) > MAX_WRITTEN or len(said) > MAX_SPOKEN:
        yield ERROR, "pron-limit", (f"over the limits leaflet uses ({MAX_WRITTEN} characters written, {MAX_SPOKEN} spoken):"
                                    " the entry is not used")
    elif _letters(said) > SPOKEN_LONG or _letters(said) > SPOKEN_RATIO * max(_letters(written), _SHORTEST):
        yield WARNING, "pron-length", (f"the spoken form is {_letters(said) / max(_letters(written), 1):.1f} times as long"
                                       f" as the written one ({_letters(said)} characters): is something added?")
    if not said.strip():
        yield ERROR, "pron-empty", "the spoken form is empty: the voice would skip what the patient reads; write what it says"
    for char in dict.fromkeys(written + said):
        why = _invisible(char) or ("a line break" if char in "\n\r\t" else None)
        if why:
            yield ERROR, "pron-invisible", f"{why} U+{ord(char):04X} in the entry; write it as plain text"
    if entry.table == "numbers":
        if not re.fullmatch(r"[0-9]{1,6}", written) or any(_is_number(c) for c in said):
            yield ERROR, "pron-number", "under [numbers] a whole number written in digits (31) is said in words, with no digit"
        elif language.split("_")[0] == SOURCE_LOCALE:
            yield ERROR, "pron-number", ("[numbers] in the English list: the English voice says numbers itself, and a list"
                                         " for it is never reviewed; remove the table")
    elif entry.table == "forms":
        if said.count("{number}") != 1 or any(c.isdigit() or unicodedata.category(c) in ("No", "Nl") for c in said):
            yield ERROR, "pron-number", "the percent form says {number} once and no other number"
    else:
        wanted, found = numbers(written), numbers(said)
        missing, added = wanted - found, found - wanted
        if missing:
            words = (" (a number said in words goes under [numbers], where a reviewer listens to it)"
                     if re.fullmatch(r"[0-9]+", written.strip()) and not found else "")
            extra = f" (it says {_list(added)})" if added else ""
            yield ERROR, "pron-number", f"the spoken form does not say the number {_list(missing)}{extra}{words}"
        elif added:
            yield ERROR, "pron-number", f"the spoken form says a number the written form does not have: {_list(added)}"
        else:
            yield from _symbols_and_numbers(written, said)
    negating = entry.table != "numbers" and _has_negation(written + " " + said, language)
    if negating and not _same_words(written, said):
        yield ERROR, "pron-negation", ("a negation word in an entry: a pronunciation list says how a word is said, not"
                                       " what a sentence says; leave the sentence to the catalog (only \"don't\" ="
                                       " \"do not\" may be written out)")
    elif not negating and _negation_changed(written, said, language):
        yield ERROR, "pron-negation", "a negation word is added or dropped: the voice would say the opposite of the text"
    for token in dict.fromkeys(_MARKUP.findall(said)):
        if token not in written:
            yield ERROR, "pron-markup", f"markup-like text the written form does not have: {excerpt(token, 30)}"


# A side of an entry with no letter is one of these symbols, which a language may need said in words. Any other
# ("," = ".", "<" = "more than", "−5" = "5") would change a number or a comparison the patient reads, everywhere
# it stands: the voice reads those itself.
SPOKEN_SYMBOLS = frozenset("% \u066a \uff05 \u2030 \u2103 \u2109 \u00b0 ~ \uff5e".split())
# Chinese and Japanese numerals are letters to Unicode, but numbers to a patient: "三" = "五" changes a dose.
_CJK_NUMERALS = frozenset("〇零一二三四五六七八九十百千万萬亿億兩两廿卅")
# What may stand between the digits of one number ("1,500", "2 500", "0.5", "1/2", "555-0100") or before it
# ("−5", "<5", "±2"): kept as written too, so that an entry cannot regroup or reorder the numbers it holds.
_NUMBER_GAPS = " .,:/'\u2019\u00a0\u202f\u2009\u066b\u066c-\u2013"
_NUMBER_SIGNS = "+-\u2212\u00b1<>\u2264\u2265~\u2248\uff5e"


def _is_number(char: str) -> bool:
    return char.isdigit() or unicodedata.category(char) in ("Nd", "No", "Nl") or char in _CJK_NUMERALS


def number_shape(text: str) -> list[str]:
    """The numbers of a text as written, in order: each with its sign and what stands between its digits (any
    script's decimal digit read as its ASCII digit; fractions, superscripts and CJK numerals as they are)."""
    marked = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c if _is_number(c)
                     else c if c in _NUMBER_GAPS or c in _NUMBER_SIGNS else "\0" for c in text)
    gap, sign = re.escape(_NUMBER_GAPS), re.escape(_NUMBER_SIGNS)
    number = f"[^\\0{gap}{sign}]+"
    return re.findall(f"[{sign}]?{number}(?:[{gap}]+{number})*", marked)


def _symbols_and_numbers(written: str, said: str) -> Iterator[Problem]:
    """A [say] entry: each side has a letter or is a known symbol, and says its numbers exactly as written."""
    for side, text in (("written", written), ("spoken", said)):
        if not any(unicodedata.category(c).startswith("L") and c not in _CJK_NUMERALS for c in text) \
                and text.strip() and text.strip() not in SPOKEN_SYMBOLS:
            yield ERROR, "pron-symbol", (f"the {side} form has no letter: an entry says how a word or a unit is said, and"
                                         " leaves numbers, punctuation and signs as written (a symbol said in words"
                                         f" may be one of {' '.join(sorted(SPOKEN_SYMBOLS))})")
            return
    if numbers(written) == numbers(said) and number_shape(written) != number_shape(said):
        yield ERROR, "pron-number", (f"the numbers must be said as written, in order and grouped the same way"
                                     f" ({' '.join(number_shape(written)) or 'none'} written,"
                                     f" {' '.join(number_shape(said)) or 'none'} spoken)")


def _has_negation(text: str, language: str) -> bool:
    return bool(+negation_words_in(text, language)) or bool(+negation_words(text))


def _same_words(written: str, said: str) -> bool:
    """The same words once contractions are written out: "don't" = "do not" says how, not what."""
    return _expanded(written) == _expanded(said)


def _expanded(text: str) -> str:
    text = " ".join(text.casefold().replace("\u2019", "'").split())
    text = re.sub(r"\bwon't\b", "will not", re.sub(r"\bcan't\b|\bcannot\b", "can not", text))
    return re.sub(r"n't\b", " not", text)


def _negation_changed(written: str, said: str, language: str) -> bool:
    if language.split("_")[0] == SOURCE_LOCALE:
        return negation_differs(written, said)  # English: also an opposite word ("before" / "after")
    return negation_words_in(written, language) != negation_words_in(said, language)


BLANK_WRITTEN = ("the written form is blank ({}): the voice would say the entry at every space (or nowhere); the"
                 " entry is not used: remove it, or write the word it says")


def _code_points(text: str) -> str:
    """What a blank text holds, shown where its excerpt shows nothing."""
    return " ".join(f"U+{ord(c):04X}" for c in text) or "nothing"


def pronunciation_findings(plist, locale: str) -> list[tuple[object, Finding]]:
    """(entry, finding) for every problem of a list's entries; the percent form is an entry of the table "forms"."""
    from .speech.pronunciation import Entry

    entries = list(plist.entries)
    if plist.percent is not None:
        entries.append(Entry("%", plist.percent, plist.percent_line, "forms"))
    found = []
    problems = [(entry, problem) for entry in entries for problem in _pronunciation_problems(entry, locale)]
    problems += [(entry, (ERROR, "pron-empty", BLANK_WRITTEN.format(_code_points(entry.written))))
                 for entry in plist.blank]
    for entry, (severity, code, text) in problems:
        shown = f"{excerpt(entry.written, 30)} = {excerpt(entry.spoken, 40)}"
        found.append((entry, Finding(severity, code, PRONUNCIATION, locale, entry.table, shown, text,
                                     plist.where(entry.line))))
    in_words = [e for e in plist.entries if e.table == "numbers"]
    if in_words:
        first = min(in_words, key=lambda e: e.line)
        found.append((None, Finding(WARNING, "pron-numbers", PRONUNCIATION, locale, "numbers", "",
                                    f"{len(in_words)} numbers are said in words ({in_words[0].written} ... {in_words[-1].written}):"
                                    " leaflet cannot check that the words say the number; a speaker of the language must"
                                    " listen to them (the guide's <domain>.spoken.txt lists each sentence)",
                                    plist.where(first.line))))
    return found


def check_pronunciation(plist, locale: str) -> list[Finding]:
    return [finding for _, finding in pronunciation_findings(plist, locale)]


def pronunciation_errors(plist, locale: str) -> list[Finding]:
    return [finding for _, finding in pronunciation_findings(plist, locale) if finding.severity == ERROR]


def wrong_entries(plist, locale: str) -> set:
    """The entries with an error: left out of what the voice is given."""
    return {entry for entry, finding in pronunciation_findings(plist, locale) if finding.severity == ERROR and entry}


def list_errors(layout: Layout, locale: str) -> list[Finding]:
    """The errors in the pronunciation list a guide of the locale would use, a list that cannot be read included."""
    from .speech.pronunciation import list_path, read_list

    path = list_path(layout.root, locale)
    if path is None and normalize(locale).split("_")[0] == SOURCE_LOCALE:
        path = list_path(layout.root, SOURCE_LOCALE)
    if path is None:
        return []
    try:
        return pronunciation_errors(read_list(path), _list_locale(path))
    except LeafletError as exc:
        return [_unreadable(exc, path)]


def _list_locale(path: Path) -> str:
    return path.parent.name


def _unreadable(exc: LeafletError, path: Path) -> Finding:
    said = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
    return Finding(ERROR, "syntax", PRONUNCIATION, _list_locale(path), None, "", said, exc.where or str(path))


def check_lists(paths: list[Path]) -> list[Finding]:
    from .speech.pronunciation import read_list

    findings = []
    for path in paths:
        try:
            findings.extend(check_pronunciation(read_list(path), _list_locale(path)))
        except LeafletError as exc:
            findings.append(_unreadable(exc, path))
    return findings


# --- files -----------------------------------------------------------------------------------------


@dataclass
class Report:
    findings: list[Finding]
    catalogs: int
    lists: int = 0  # pronunciation lists

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)

    def to_dict(self) -> dict:
        return {
            "catalogs": self.catalogs,
            "pronunciation_lists": self.lists,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.to_dict() for f in self.findings],
        }


def targets(paths: list[Path], layout: Layout) -> list[Path]:
    """The PO files and pronunciation lists to check: those named, those under a folder named, or every one under
    the catalogs folder."""
    from .speech.pronunciation import PRONUNCIATION_FILE, list_paths

    if not paths:
        return [layout.po(domain, locale) for domain, locale in layout.catalogs()] + list_paths(layout.root)
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.rglob("*.po")))
            found.extend(sorted(path.rglob(PRONUNCIATION_FILE)))
        elif path.is_file():
            found.append(path)
        else:
            raise CatalogError("no such catalog", where=str(path))
    return list(dict.fromkeys(found))


def check_files(paths: list[Path], layout: Layout, locales: list[str] | None = None) -> Report:
    """Check catalogs and pronunciation lists (all under the catalogs folder when no path is given), and each
    domain's source once."""
    wanted = {normalize(locale) for locale in locales} if locales else None
    findings: list[Finding] = []
    templates: dict[str, Catalog | None] = {}
    checked = 0
    every = targets(paths, layout)
    lists = [p for p in every if p.suffix == ".toml" and (wanted is None or _guides_use(p, wanted))]
    if wanted is not None and not paths:  # pt_BR's guide speaks with pt's list when pt_BR has none
        lists += [p for p in _lists_of(layout.root, wanted) if p not in lists]
    for path in every:
        if path.suffix == ".toml":
            continue
        domain, locale = po_names(path)
        locale = locale or "?"
        try:
            catalog = read_catalog(path, domain=domain)
            locale = locale if locale != "?" else str(catalog.locale_identifier or "?")  # from its header
        except LeafletError as exc:
            catalog = None
            said = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
            problem = Finding(ERROR, "syntax", domain, locale, None, "", said, exc.where or str(path))
        if wanted is not None and normalize(locale) not in wanted:
            continue
        checked += 1
        if catalog is None:
            findings.append(problem)
            continue
        if domain not in templates:
            templates[domain] = _template(layout, domain)
        findings.extend(check_catalog(catalog, domain, locale, str(path), templates[domain]))
    findings.extend(check_lists(lists))
    if not checked and not lists:  # a gate that checked nothing must not pass: a mistyped folder or locale would look fine
        where = ", ".join(map(str, paths)) if paths else str(layout.root)
        only = f" for {', '.join(sorted(wanted))}" if wanted else ""
        raise CatalogError(f"no catalogs to check{only}", where=where)
    for domain, template in templates.items():
        if template is not None:
            findings.extend(check_source(template, domain, str(layout.template(domain))))
    return Report(findings, checked, len(lists))


def _lists_of(root: Path, locales: Iterable[str]) -> list[Path]:
    """The lists the guides of these locales would use (speech.spoken.load's choice)."""
    from .speech.pronunciation import list_path

    found = []
    for locale in sorted(locales):
        path = list_path(root, locale)
        if path is None and locale.split("_")[0] == SOURCE_LOCALE:
            path = list_path(root, SOURCE_LOCALE)
        if path is not None and path not in found:
            found.append(path)
    return found


def _guides_use(path: Path, locales: set[str]) -> bool:
    """A list named on the command line is checked with -l when one of the locales' guides would use it."""
    return _list_locale(path) in locales or path in _lists_of(path.parent.parent, locales)


def _template(layout: Layout, domain: str) -> Catalog | None:
    if domain == LEAFLET_DOMAIN:
        return leaflet_template()
    try:
        pot = layout.template(domain)
        return read_catalog(pot) if pot.exists() else None
    except LeafletError:
        return None


def catalog_errors(layout: Layout, domain: str, locale: str) -> list[Finding]:
    """The errors in the catalog a build would use for a domain and locale (none when there is no catalog)."""
    from .localize import catalog_path

    path = catalog_path(layout, domain, locale)
    if not path.exists():
        return []
    return errors_in(read_catalog(path, locale=locale, domain=domain), domain, locale, str(path))


def set_aside_wrong(catalog: Catalog, locale: str, domain: str) -> int:
    """Blank every translation with an error, so that the source stands in for it; say how many."""
    wrong = list({id(message): message for message, _, _ in _wrong(catalog, locale)}.values())
    for message in wrong:
        message.string = ("",) * len(message.string) if isinstance(message.string, (list, tuple)) else ""
    return len(wrong)
