"""A catalog's review record: who checked the translation and when, kept in its PO header, and whether any
translated message has changed since (which makes the catalog a draft again)."""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from babel.messages.catalog import Catalog

from .errors import CatalogError
from .legible import unprintable
from .memory import is_translated

REVIEWED_BY = "X-Reviewed-By"
REVIEWED_DATE = "X-Reviewed-Date"
# A fingerprint of the translated messages at the time of the review; any later change to one of them (a new
# wording, a message turned fuzzy by an update, a new translation) no longer matches it.
REVIEWED_DIGEST = "X-Reviewed-Digest"
# The locale's pronunciation list at the time of the review (what patients hear): an edit to it makes every
# catalog of the locale a draft again. "none" when the locale had no list.
REVIEWED_PRONUNCIATION = "X-Reviewed-Pronunciation"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_NAME = 120


@dataclass(frozen=True)
class Review:
    """state: "draft" (never reviewed), "reviewed", or "changed" (reviewed, then changed: a draft again)."""

    state: str = "draft"
    by: str = ""
    date: str = ""
    why: str = ""  # what changed, where it is not the catalog itself ("the pronunciation list changed")

    @property
    def reviewed(self) -> bool:
        return self.state == "reviewed"

    def describe(self) -> str:
        if self.state == "reviewed":
            return f"reviewed by {self.by} on {self.date}" if self.date else f"reviewed by {self.by}"
        if self.state == "changed":
            why = f": {self.why}" if self.why else ""
            return f"draft (changed since the review by {self.by} on {self.date}{why})"
        return "draft"

    def to_dict(self) -> dict:
        return {"review": self.state, "reviewed_by": self.by or None, "reviewed_date": self.date or None,
                **({"changed": self.why} if self.why else {})}


SOURCE = Review("reviewed")  # the source text needs no translator's review


def fingerprint(catalog: Catalog) -> str:
    """A digest of what the patient reads: every message's context and source, and its translation where it
    is used (translated and not fuzzy). A new message, a translation edited or made fuzzy, or a message gone
    changes it; comments, the order of entries, obsolete entries and the header do not."""
    digest = hashlib.sha256()
    rows = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        used = list(strings) if is_translated(message) else ["\x00untranslated"]
        rows.append("\x1f".join([message.context or "", *ids, "\x1e", *used]))
    for row in sorted(rows):
        digest.update(row.encode("utf-8") + b"\x1d")
    return digest.hexdigest()[:16]


def review_of(catalog: Catalog | None, pronunciation: str | None = None) -> Review:
    """The review state recorded in a catalog's header, checked against its messages as they are now and, given
    `pronunciation` (the digest of the locale's list as it is now, speech.pronunciation.digest), against the list."""
    if catalog is None:
        return Review()
    headers = getattr(catalog, "extra_headers", {})
    by, date = headers.get(REVIEWED_BY, "").strip(), headers.get(REVIEWED_DATE, "").strip()
    if not by or record_problem(catalog):
        return Review()  # a record that cannot be printed as it stands vouches for nothing: a draft
    recorded = headers.get(REVIEWED_DIGEST, "").strip()
    # A review written by hand, without a fingerprint, is taken as it is: the header is the record.
    if recorded and recorded != fingerprint(catalog):
        return Review("changed", by, date)
    listed = headers.get(REVIEWED_PRONUNCIATION, "").strip()
    if recorded and pronunciation is not None and listed != pronunciation:
        # a review recorded before lists were reviewed did not hear them: it does not vouch for the guide
        why = "the pronunciation list changed" if listed else "the pronunciation list was not part of the review"
        return Review("changed", by, date, why)
    return Review("reviewed", by, date)


def record_problem(catalog: Catalog) -> str | None:
    """What is wrong with a review record written into a header by hand, or None. The name and date are printed
    in the leaflet's footer and on the terminal, so they are held to what --by and --date accept."""
    headers = getattr(catalog, "extra_headers", {})
    by, date = headers.get(REVIEWED_BY, "").strip(), headers.get(REVIEWED_DATE, "").strip()
    if any(unicodedata.category(c).startswith("C") for c in by) or len(by) > MAX_NAME:
        return f"{REVIEWED_BY} must be a name of at most {MAX_NAME} characters, with no control characters"
    if by and (why := unprintable(by)):
        return f"{REVIEWED_BY} must be a name that can be printed: {why}"
    if date and not (_DATE.fullmatch(date) and _is_date(date)):
        return f"{REVIEWED_DATE} must be a date as YYYY-MM-DD, not {date[:20]!r}"
    return None


def _is_date(text: str) -> bool:
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def checked_name(name: str) -> str:
    """A reviewer's name fit for a PO header line and a leaflet's footer."""
    if any(unicodedata.category(c).startswith("C") for c in name):  # a newline would start a new header field
        raise CatalogError("the reviewer's name has control characters; write it as plain text")
    name = " ".join(name.split())
    if not name:
        raise CatalogError("--by needs the reviewer's name")
    if len(name) > MAX_NAME:
        raise CatalogError(f"the reviewer's name is longer than {MAX_NAME} characters")
    if (why := unprintable(name)) is not None:
        raise CatalogError(f"the reviewer's name has {why}")
    return name


def checked_date(text: str, today: _dt.date) -> str:
    if not _DATE.fullmatch(text):
        raise CatalogError(f"--date must be a date as YYYY-MM-DD, not {text!r}")
    try:
        when = _dt.date.fromisoformat(text)
    except ValueError:
        raise CatalogError(f"--date is not a real date: {text}") from None
    if when > today:
        raise CatalogError(f"--date {text} is in the future")
    return text


def record(catalog: Catalog, by: str, date: str, pronunciation: str | None = None) -> None:
    """Write the review into the catalog's header (the caller writes the file), with the digest of the locale's
    pronunciation list when one is given."""
    catalog.extra_headers[REVIEWED_BY] = checked_name(by)
    catalog.extra_headers[REVIEWED_DATE] = date
    catalog.extra_headers[REVIEWED_DIGEST] = fingerprint(catalog)
    if pronunciation is not None:
        catalog.extra_headers[REVIEWED_PRONUNCIATION] = pronunciation
