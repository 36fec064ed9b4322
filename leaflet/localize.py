"""Procedure model + catalogs -> the leaflet a patient reads, in one locale, with a report of what was missing.

The writers take what this module gives and translate nothing themselves. Sections are put in the order a
patient lives them, under patient-friendly headings from the leaflet domain.
"""

from __future__ import annotations

import datetime as _dt
import gettext
import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal

from . import checks, wording
from .catalogs import Catalog, Layout, catalog_bytes, catalog_status, read_catalog, translations_of
from .errors import CatalogError
from .locales import SOURCE_LOCALE, normalize, to_bcp47
from .memory import has_text, is_translated
from .review import SOURCE as SOURCE_REVIEW
from .review import Review, review_of
from .speech import pronunciation
from .model import OTHER, Procedure, Section

# Sections in the order a patient lives them; each entry is (heading key, section keys shown under it).
PATIENT_ORDER = (
    ("indications", ("purpose", "indications")),
    ("preparation", ("preparation",)),
    ("procedure", ("procedure",)),
    ("duration", ("duration",)),
    ("setting+personnel", ("setting", "personnel")),
    ("experience", ("experience",)),
    ("recovery", ("recovery",)),
    ("risks", ("risks",)),
    ("benefits", ("benefits",)),
    ("alternatives", ("alternatives",)),
    ("warning", ("warning",)),  # when to get help: always last, printed in a box right before the contact box
)
# The safety content's part ("When should I get help?"): always the last, and no section of the clinic's own follows it.
WARNING = "warning"
# Items of these sections are steps the patient goes through: numbered, whatever mark the source used.
STEP_SECTIONS = {"procedure"}
_DIGIT_SYSTEMS = {"arab": "\u0660", "arabext": "\u06f0", "deva": "\u0966", "beng": "\u09e6"}


@dataclass(frozen=True)
class Entry:
    """A paragraph or list item as the patient reads it. `lang` is set ("en") where the source text stands in
    for a missing translation, so that a screen reader switches voice."""

    kind: str  # "paragraph" | "item"
    text: str
    level: int = 0
    ordered: bool = False
    lang: str | None = None
    section_start: bool = False  # the first of a section's entries, where two sections share a heading


@dataclass(frozen=True)
class Part:
    """A section of the leaflet: a heading and what is under it."""

    key: str
    heading: str
    entries: tuple[Entry, ...]
    heading_lang: str | None = None
    sources: tuple[str, ...] = ()  # where it comes from: the source's sections, "heading (line n)"


@dataclass(frozen=True)
class Localized:
    domain: str
    locale: str
    lang: str  # BCP 47
    title: str
    lead: tuple[Entry, ...]
    parts: tuple[Part, ...]
    staff: tuple[tuple[str, str], ...]  # (label, value)
    source_missing: int  # procedure messages shown in English because the catalog lacks them
    review: Review
    is_source: bool
    digest: str
    words: "Words"  # the leaflet domain, for page furniture
    numbering: str  # CLDR numbering system for numbers lealeft prints itself ("latn", "arab", ...)

    @property
    def missing(self) -> int:
        """Messages shown in English so far: the procedure's, and the leaflet wording's looked up until now
        (ask after rendering for the whole count)."""
        return self.source_missing + len(self.words.fallbacks)

    @property
    def draft(self) -> bool:
        return not self.is_source and not self.review.reviewed

    def number(self, value: int) -> str:
        return self.digits(format_decimal(value, locale=self.locale))

    def date(self, when: _dt.date) -> str:
        return self.digits(format_date(when, format="long", locale=self.locale))

    def digits(self, text: str) -> str:
        """Western digits in text leaflet prints itself, in the digits the translation uses."""
        zero = _DIGIT_SYSTEMS.get(self.numbering)
        if zero is None:
            return text
        return text.translate({ord("0") + i: chr(ord(zero) + i) for i in range(10)})


def build_date() -> _dt.date:
    """Today, or SOURCE_DATE_EPOCH for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc).date()
    return _dt.date.today()


def version_stamp(doc: Localized, *, keep_date_together: bool = False) -> str:
    """The stamp for consent records, the same in the PDF's footer and the audio guide's tags: leaflet's
    version, the inputs' digest, the review state and the date."""
    from . import __version__

    t = doc.words
    when = doc.date(build_date())
    if keep_date_together:
        when = when.replace(" ", "\u00a0")  # a date is never split across lines
    if doc.is_source:
        state = "original"
    elif doc.review.reviewed:
        state = wording.reviewed_state(t, doc.review.by, doc.review.date)
    else:
        state = wording.draft_state(t)
    return wording.version_stamp(t, __version__, doc.digest, state, when)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class Words(gettext.NullTranslations):
    """The leaflet domain's translations, checked as they are used: a translation that is blank, or whose
    {placeholders} differ from the source's (a phone number would silently vanish), is not used; the source
    text stands in, and the message is recorded in `fallbacks`."""

    def __init__(self, translations: gettext.NullTranslations, is_source: bool):
        super().__init__()
        self._t = translations
        self._is_source = is_source
        self.fallbacks: dict[str, str] = {}  # msgid -> why the source stands in
        self.last_fallback = False  # whether the latest lookup gave the source text (the guide picks a voice by it)
        self.places: dict[str, str] = {}  # msgid -> "catalog:line" of its translation, for a refusal to name
        self._known = set()
        for key in getattr(translations, "_catalog", {}):
            msgid = key[0] if isinstance(key, tuple) else key
            if msgid:
                self._known.add(msgid.split("\x04", 1)[-1])

    def _checked(self, source: str, translated: str, *, count_optional: bool = False, english: str | None = None) -> str:
        """The translation, or `english` (by default the source) when it is not used."""
        result = self._check(source, translated, count_optional=count_optional)
        self.last_fallback = not self._is_source and source in self.fallbacks and result == source
        return english if self.last_fallback and english is not None else result

    def _check(self, source: str, translated: str, *, count_optional: bool = False) -> str:
        if self._is_source:
            return translated
        if source not in self._known:
            self.fallbacks[source] = "untranslated"
            return source
        if not translated.strip():
            self.fallbacks[source] = "blank translation"
            return source
        wanted, found = set(_PLACEHOLDER.findall(source)), set(_PLACEHOLDER.findall(translated))
        lost = wanted - found - ({"count"} if count_optional else set())
        if lost or found - wanted:
            self.fallbacks[source] = f"placeholders differ ({', '.join(sorted(lost | (found - wanted)))})"
            return source
        return translated

    def is_fallback(self, text: str) -> bool:
        return text in self.fallbacks

    def gettext(self, message: str) -> str:
        return self._checked(message, self._t.gettext(message))

    def pgettext(self, context: str, message: str) -> str:
        return self._checked(message, self._t.pgettext(context, message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        translated = self._t.ngettext(singular, plural, n)
        self.last_fallback = False
        if not self._is_source and singular not in self._known:
            self.fallbacks[singular] = "untranslated"
            self.last_fallback = True
            return singular if n == 1 else plural
        # a plural form may say the number in words ("one minute"), so {count} is optional there
        if self._is_source:
            return translated
        return self._checked(singular, translated, count_optional=True, english=singular if n == 1 else plural)


class _Catalog:
    """One PO read for lookup: translated messages only (fuzzy and blank ones fall back to the source)."""

    def __init__(self, path: Path | None, locale: str, domain: str, pronunciation: str | None = None):
        self.path = path
        self.data = catalog_bytes(path) if path is not None and path.exists() else b""
        self.catalog = read_catalog(path, locale=locale, domain=domain, data=self.data) if self.data else None
        self._review = review_of(self.catalog, pronunciation)
        # A translation `leaflet check` calls wrong (a number changed, a placeholder lost, markup) is not used: the
        # source stands in for it, as for a missing one (a build reaches here with one only under --allow-incomplete).
        if self.catalog is not None:
            checks.set_aside_wrong(self.catalog, locale, domain)
        self._missing: set[tuple[str, str]] = set()  # a message looked up twice (the title) is one message missing

    @property
    def missing(self) -> int:
        return len(self._missing)

    def text(self, msgid: str, context: str) -> tuple[str, bool]:
        """The translation, and whether the source stands in for it."""
        if self.catalog is None:
            return msgid, self.path is not None
        message = self.catalog.get(msgid, context=context)
        if message is not None and is_translated(message) and has_text(message):
            return message.string, False
        self._missing.add((msgid, context))
        return msgid, True

    def translations(self) -> gettext.NullTranslations:
        return translations_of(self.catalog) if self.catalog is not None else gettext.NullTranslations()

    def places(self) -> dict[str, str]:
        """msgid -> "catalog:line" of each message without a context."""
        if self.catalog is None:
            return {}
        return {m.id: f"{self.path}:{m.lineno}" for m in self.catalog if isinstance(m.id, str) and m.id and not m.context}

    def review(self) -> Review:
        return self._review


def is_source_locale(locale: str) -> bool:
    """English in any country (en, en_US, en_GB) is the source text itself."""
    return normalize(locale).split("_")[0] == SOURCE_LOCALE


def catalog_path(layout: Layout, domain: str, locale: str) -> Path:
    """The PO for a locale, or for its parent as gettext falls back: ru_RU -> ru, zh_Hans_CN -> zh_Hans -> zh."""
    parts = normalize(locale).split("_")
    candidates = ["_".join(parts[:i]) for i in range(len(parts), 0, -1)]
    for candidate in candidates:
        path = layout.po(domain, candidate)
        if path.exists():
            return path
    return layout.po(domain, locale)


def templates_for(procedure: Procedure, leaflet_template: Catalog) -> dict[str, Catalog]:
    """The templates a locale's completeness is counted against: the procedure's and the leaflet domain's.
    The leaflet template is extracted from the package's source (about 0.2 s): make it once per build."""
    from .catalogs import procedure_template

    return {procedure.domain: procedure_template(procedure), wording.DOMAIN: leaflet_template}


def completeness(layout: Layout, locale: str, templates: dict[str, Catalog]) -> tuple[int, int]:
    """(untranslated, fuzzy) messages of a locale in the given domains, counted against their templates."""
    untranslated = fuzzy = 0
    for domain, template in templates.items():
        path = catalog_path(layout, domain, locale)
        if not path.exists():
            untranslated += sum(1 for m in template if m.id)
            continue
        status = catalog_status(read_catalog(path, locale=locale, domain=domain), domain, locale, template)
        untranslated += status.untranslated
        fuzzy += status.fuzzy
    return untranslated, fuzzy


def localize(procedure: Procedure, locale: str, layout: Layout, *, source_bytes: bytes | None = None) -> Localized:
    locale = normalize(locale)
    is_source = is_source_locale(locale)
    if is_source:
        texts, words = _Catalog(None, locale, procedure.domain), _Catalog(None, locale, wording.DOMAIN)
    else:
        heard = pronunciation.digest(layout.root, locale)  # a review vouches for the list it heard
        texts = _Catalog(catalog_path(layout, procedure.domain, locale), locale, procedure.domain, heard)
        words = _Catalog(catalog_path(layout, wording.DOMAIN, locale), locale, wording.DOMAIN, heard)
    t = Words(words.translations(), is_source)
    t.places = words.places()

    def field(name: str) -> str:
        value = procedure.field(name)
        return texts.text(value.text, name)[0] if value and value.text else ""

    name = field("name")
    title_line = field("title")
    lead: list[Entry] = []
    for section in procedure.sections:
        if section.key == "summary":
            lead.extend(_entries(section, texts))
    parts = _parts(procedure, texts, t)
    staff = []
    for key in ("common_names", "medical_terms", "title"):
        value = field(key)
        if value and not (key == "title" and not name):
            staff.append((t.gettext(wording.STAFF_LABELS[key]), value))
    if procedure.code:
        label = wording.STAFF_LABELS[_code_kind(procedure.code)]
        staff.append((t.gettext(label), procedure.code))
    digest = hashlib.sha256()
    digest.update(source_bytes if source_bytes is not None else Path(procedure.source).read_bytes())
    digest.update(texts.data)
    digest.update(words.data)
    translated_text = " ".join([name, *(e.text for e in lead), *(e.text for p in parts for e in p.entries)])
    review = texts.review() if not is_source else SOURCE_REVIEW
    if not is_source and review.reviewed and not words.review().reviewed:
        review = words.review()  # the leaflet's own wording is part of what the patient reads
    return Localized(
        domain=procedure.domain,
        locale=locale,
        lang=to_bcp47(locale),
        title=name or title_line or procedure.domain,
        lead=tuple(lead),
        parts=tuple(parts),
        staff=tuple(staff),
        source_missing=texts.missing,
        review=review,
        is_source=is_source,
        digest=digest.hexdigest()[:8],
        words=t,
        numbering=_numbering(translated_text),
    )


def _entries(section: Section, texts: _Catalog, *, steps: bool = False) -> list[Entry]:
    out = []
    for block in section.blocks:
        text, fallback = texts.text(block.text, section.key)
        ordered = block.ordered or (steps and block.kind == "item")
        out.append(Entry(block.kind, text, block.level, ordered, SOURCE_LOCALE if fallback else None))
    return out


def _parts(procedure: Procedure, texts: _Catalog, t: "Words") -> list[Part]:
    """Known sections in the patient's order; a section of its own follows every known section that came
    before it in the source (so it never moves ahead of what it followed), except the warning section: that one
    is always last, right before the contact box, and a section of the clinic's own that followed it in the
    source comes where it would have come without it (after the known sections before it, the warning aside)."""
    slot_of = {key: i for i, (_, keys) in enumerate(PATIENT_ORDER) for key in keys}
    grouped: dict[int, list[Section]] = {}
    others: dict[int, list[Section]] = {}
    last = -1
    for section in procedure.sections:
        if section.key == "summary":
            continue
        if section.key == OTHER:
            others.setdefault(last, []).append(section)
            continue
        slot = slot_of.get(section.key)
        if slot is None:
            continue
        grouped.setdefault(slot, []).append(section)
        if section.key != WARNING:
            last = max(last, slot)
    parts: list[Part] = []

    def add_others(slot: int) -> None:
        for section in others.get(slot, []):
            heading, fallback = texts.text(section.heading, OTHER)
            parts.append(Part(OTHER, heading, tuple(_entries(section, texts)), SOURCE_LOCALE if fallback else None,
                              (_where(section),)))

    add_others(-1)
    for slot, (heading_key, keys) in enumerate(PATIENT_ORDER):
        sections = grouped.get(slot, [])
        if sections:
            present = {s.key for s in sections}
            if heading_key == "setting+personnel" and len(present) == 1:
                heading_key = next(iter(present))
            if heading_key == "indications" and present == {"purpose"}:
                heading_key = "purpose"
            entries: list[Entry] = []
            sources = []
            for key in keys:  # the section keys' own order, whatever order the source had
                for section in sections:
                    if section.key == key:
                        sources.append(_where(section))
                        more = _entries(section, texts, steps=key in STEP_SECTIONS)
                        if more and entries:  # a list of one section does not run on into the next one's
                            more[0] = replace(more[0], section_start=True)
                        entries.extend(more)
            heading = wording.heading_for(t, heading_key)
            fallback = isinstance(t, Words) and t.is_fallback(heading)
            parts.append(Part(heading_key, heading, tuple(entries), SOURCE_LOCALE if fallback else None,
                              tuple(sources)))
        add_others(slot)
    return parts


def _where(section) -> str:
    return f'"{section.heading}" (line {section.line})'


def _code_kind(code: str) -> str:
    """CDT codes start with D ("D7140"), other HCPCS level II codes with another letter ("G0121"); CPT codes are
    five digits, or four and a letter ("0232T")."""
    first = code.strip()[:1].upper()
    return "dental_code" if first == "D" else "hcpcs_code" if first.isalpha() else "code"


def _numbering(text: str) -> str:
    """Print numbers in the digits the translation uses: Arabic-Indic when the Arabic text has them."""
    counts = {system: sum(1 for ch in text if zero <= ch <= chr(ord(zero) + 9)) for system, zero in _DIGIT_SYSTEMS.items()}
    latin = sum(1 for ch in text if "0" <= ch <= "9")
    best = max(counts, key=counts.get)
    return best if counts[best] > latin else "latn"


def require_complete(procedure: Procedure, layout: Layout, locale: str, templates: dict[str, Catalog]) -> None:
    untranslated, fuzzy = completeness(layout, locale, templates)
    if untranslated or fuzzy:
        raise CatalogError(
            f"the {locale} catalogs for {procedure.domain} are not complete: {untranslated} untranslated, {fuzzy} fuzzy",
            hint="finish them, or build with --allow-incomplete to print the English text where one is missing",
        )
