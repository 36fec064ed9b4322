"""Procedure model + catalogs -> the leaflet a patient reads, in one locale, with a report of what was missing.

The writers take what this module gives and translate nothing themselves. Sections are put in the order a
patient lives them, under patient-friendly headings from the leaflet domain.
"""

from __future__ import annotations

import datetime as _dt
import gettext
import hashlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.numbers import format_decimal

import leaflet

from . import wording
from .catalogs import Layout, catalog_status, read_catalog
from .errors import CatalogError
from .locales import SOURCE_LOCALE, normalize, to_bcp47
from .memory import has_text, is_translated
from .model import OTHER, Block, Procedure, Section

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
)
# Items of these sections are steps the patient goes through: numbered, whatever mark the source used.
STEP_SECTIONS = {"procedure"}
_REVIEWED_BY = re.compile(r"^X-Reviewed-By:\s*(.*?)\s*(?:\\n)?$", re.M)
_REVIEWED_DATE = re.compile(r"^X-Reviewed-Date:\s*(.*?)\s*(?:\\n)?$", re.M)
_DIGIT_SYSTEMS = {"arab": "\u0660", "arabext": "\u06f0", "deva": "\u0966", "beng": "\u09e6"}


@dataclass(frozen=True)
class Entry:
    """A paragraph or list item as the patient reads it."""

    kind: str  # "paragraph" | "item"
    text: str
    level: int = 0
    ordered: bool = False


@dataclass(frozen=True)
class Part:
    """A section of the leaflet: a heading and what is under it."""

    key: str
    heading: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Review:
    reviewed: bool
    by: str = ""
    date: str = ""


@dataclass(frozen=True)
class Localized:
    domain: str
    locale: str
    lang: str  # BCP 47
    title: str
    lead: tuple[Entry, ...]
    parts: tuple[Part, ...]
    staff: tuple[tuple[str, str], ...]  # (label, value)
    missing: int  # messages shown in the source language because the catalog lacks them
    review: Review
    is_source: bool
    digest: str
    words: gettext.NullTranslations  # the leaflet domain, for page furniture
    numbering: str  # CLDR numbering system for numbers lealeft prints itself ("latn", "arab", ...)

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


class _Catalog:
    """One PO read for lookup: translated messages only (fuzzy and blank ones fall back to the source)."""

    def __init__(self, path: Path | None, locale: str, domain: str):
        self.path = path
        self.data = path.read_bytes() if path is not None and path.exists() else b""
        self.catalog = read_catalog(path, locale=locale, domain=domain) if self.data else None
        self.missing = 0

    def text(self, msgid: str, context: str) -> str:
        if self.catalog is None:
            return msgid
        message = self.catalog.get(msgid, context=context)
        if message is not None and is_translated(message) and has_text(message):
            return message.string
        self.missing += 1
        return msgid

    def translations(self) -> gettext.NullTranslations:
        if self.catalog is None:
            return gettext.NullTranslations()
        buffer = io.BytesIO()
        write_mo(buffer, self.catalog, use_fuzzy=False)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)

    def review(self) -> Review:
        header = self.data.decode("utf-8", "replace")[:4000]
        by, date = _REVIEWED_BY.search(header), _REVIEWED_DATE.search(header)
        if by and by.group(1).strip('"').strip():
            return Review(True, by.group(1).strip('"').strip(), date.group(1).strip('"').strip() if date else "")
        return Review(False)


def completeness(procedure: Procedure, layout: Layout, locale: str) -> tuple[int, int]:
    """(untranslated, fuzzy) messages of a locale for a procedure and the leaflet domain, against the templates."""
    from .catalogs import leaflet_template, procedure_template

    untranslated = fuzzy = 0
    for domain, template in ((procedure.domain, procedure_template(procedure)), (wording.DOMAIN, leaflet_template())):
        path = layout.po(domain, locale)
        if not path.exists():
            untranslated += sum(1 for m in template if m.id)
            continue
        status = catalog_status(read_catalog(path, locale=locale, domain=domain), domain, locale, template)
        untranslated += status.untranslated
        fuzzy += status.fuzzy
    return untranslated, fuzzy


def localize(procedure: Procedure, locale: str, layout: Layout, *, source_bytes: bytes | None = None) -> Localized:
    locale = normalize(locale)
    is_source = locale == SOURCE_LOCALE
    if is_source:
        texts, words = _Catalog(None, locale, procedure.domain), _Catalog(None, locale, wording.DOMAIN)
    else:
        texts = _Catalog(layout.po(procedure.domain, locale), locale, procedure.domain)
        words = _Catalog(layout.po(wording.DOMAIN, locale), locale, wording.DOMAIN)
    t = words.translations()
    # Count the leaflet domain's gaps too: a heading left in English is as missing as a paragraph.
    if words.catalog is not None:
        words.missing = sum(1 for m in words.catalog if m.id and not (is_translated(m) and has_text(m)))

    def field(name: str) -> str:
        value = procedure.field(name)
        return texts.text(value.text, name) if value and value.text else ""

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
        label = wording.STAFF_LABELS["dental_code" if procedure.code.upper().startswith("D") else "code"]
        staff.append((t.gettext(label), procedure.code))
    digest = hashlib.sha256()
    digest.update(source_bytes if source_bytes is not None else Path(procedure.source).read_bytes())
    digest.update(texts.data)
    digest.update(words.data)
    translated_text = " ".join([name, *(e.text for e in lead), *(e.text for p in parts for e in p.entries)])
    review = texts.review() if not is_source else Review(True)
    if not is_source and review.reviewed and not words.review().reviewed:
        review = Review(False)
    return Localized(
        domain=procedure.domain,
        locale=locale,
        lang=to_bcp47(locale),
        title=name or title_line or procedure.domain,
        lead=tuple(lead),
        parts=tuple(parts),
        staff=tuple(staff),
        missing=texts.missing + words.missing,
        review=review,
        is_source=is_source,
        digest=digest.hexdigest()[:8],
        words=t,
        numbering=_numbering(translated_text),
    )


def _entries(section: Section, texts: _Catalog, *, steps: bool = False) -> list[Entry]:
    return [
        Entry(b.kind, texts.text(b.text, section.key), b.level, b.ordered or (steps and b.kind == "item"))
        for b in section.blocks
    ]


def _parts(procedure: Procedure, texts: _Catalog, t: gettext.NullTranslations) -> list[Part]:
    """Known sections in the patient's order; a section of its own follows the known one it followed."""
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
        last = max(last, slot)
    parts: list[Part] = []

    def add_others(slot: int) -> None:
        for section in others.get(slot, []):
            heading = texts.text(section.heading, OTHER)
            parts.append(Part(OTHER, heading, tuple(_entries(section, texts))))

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
            for key in keys:  # the section keys' own order, whatever order the source had
                for section in sections:
                    if section.key == key:
                        entries.extend(_entries(section, texts, steps=key in STEP_SECTIONS))
            parts.append(Part(heading_key, wording.heading_for(t, heading_key), tuple(entries)))
        add_others(slot)
    return parts


def _numbering(text: str) -> str:
    """Print numbers in the digits the translation uses: Arabic-Indic when the Arabic text has them."""
    counts = {system: sum(1 for ch in text if zero <= ch <= chr(ord(zero) + 9)) for system, zero in _DIGIT_SYSTEMS.items()}
    latin = sum(1 for ch in text if "0" <= ch <= "9")
    best = max(counts, key=counts.get)
    return best if counts[best] > latin else "latn"


def require_complete(procedure: Procedure, layout: Layout, locale: str) -> None:
    untranslated, fuzzy = completeness(procedure, layout, locale)
    if untranslated or fuzzy:
        raise CatalogError(
            f"the {locale} catalogs for {procedure.domain} are not complete: {untranslated} untranslated, {fuzzy} fuzzy",
            hint="finish them, or build with --allow-incomplete to print the English text where one is missing",
        )
