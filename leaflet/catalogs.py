"""Message catalogs with Babel: the translations/ layout, templates, init, update, compile and status."""

from __future__ import annotations

import codecs
import functools
import gettext
import io
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog as _BabelCatalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, PoFileParser, unescape, write_po
from babel.messages.pofile import normalize as po_string

from . import __version__
from .errors import CatalogError
from .fsutil import atomic_write, read_limited, write_if_changed
from .locales import display_name, normalize
from .memory import Memory, has_text, is_translated
from .review import Review, review_of
from .model import Procedure
from .segment import segment
from .wording import DOMAIN as LEAFLET_DOMAIN

PROJECT = "leaflet"
PO_WIDTH = 76
_DOMAIN = re.compile(r"[a-z0-9][a-z0-9-]*")
# The largest shipped catalog is 21 kB (Hindi, hip-joint-denervation.po); a 43 MB one took `leaflet check` 7.5 s
# and 690 MB. 4 MB is two hundred times the largest real one: 24,500 messages read in 0.8 s, and checked whole in
# 5.4 s and 107 MB (measured).
MAX_CATALOG_BYTES = 4 * 2**20
# Flags Babel guesses from the text. Procedure text is never formatted, so "50% of" is no format string.
_FORMAT_FLAGS = ("python-format", "python-brace-format")


# Header fields Babel reads into its own attributes or writes afresh; every other field is kept as it was.
_BABEL_HEADERS = frozenset(
    """project-id-version report-msgid-bugs-to pot-creation-date po-revision-date last-translator language
    language-team plural-forms mime-version content-type content-transfer-encoding generated-by""".split()
)


class Catalog(_BabelCatalog):
    """Babel's catalog, keeping the header fields Babel does not know: the review record (X-Reviewed-By,
    X-Reviewed-Date, X-Reviewed-Digest) and what translation tools add (Poedit's X-Generator, ...). Babel drops
    them when it writes the catalog back, which would silently undo a review."""

    def __init__(self, *args, **kwargs):
        self.extra_headers: dict[str, str] = {}
        super().__init__(*args, **kwargs)

    def _set_mime_headers(self, headers) -> None:
        headers = list(headers)
        super()._set_mime_headers(headers)
        for name, value in headers:
            if name.lower() not in _BABEL_HEADERS:
                self.extra_headers[name] = value.strip()

    def _get_mime_headers(self) -> list[tuple[str, str]]:
        headers = super()._get_mime_headers()
        if not self.extra_headers:
            return headers
        # Babel ends its last field with the header's closing newline; the kept fields go after it.
        headers = [(name, value.rstrip("\n")) for name, value in headers]
        headers += list(self.extra_headers.items())
        name, value = headers[-1]
        headers[-1] = (name, value + "\n")
        return headers

    mime_headers = property(_get_mime_headers, _set_mime_headers)


@dataclass(frozen=True)
class Layout:
    """The catalogs folder: <root>/<domain>.pot and <root>/<locale>/LC_MESSAGES/<domain>.po (.mo beside it)."""

    root: Path

    def template(self, domain: str) -> Path:
        return self._inside(self.root / f"{_checked_domain(domain)}.pot")

    def po(self, domain: str, locale: str) -> Path:
        return self._inside(self.root / normalize(locale) / "LC_MESSAGES" / f"{_checked_domain(domain)}.po")

    def mo(self, domain: str, locale: str) -> Path:
        return self.po(domain, locale).with_suffix(".mo")

    def catalogs(self, domains: set[str] | None = None) -> list[tuple[str, str]]:
        """(domain, locale) of every PO under the root, sorted."""
        found = []
        if not self.root.is_dir():
            return found
        for po in sorted(self.root.glob("*/LC_MESSAGES/*.po")):
            locale, domain = po.parent.parent.name, po.stem
            if normalize(locale) != locale:
                raise CatalogError(f"the folder name is not a locale in POSIX form (use {normalize(locale)})", where=str(po.parent.parent))
            if _DOMAIN.fullmatch(domain) and (domains is None or domain in domains):
                found.append((domain, locale))
        return found

    def locales(self) -> list[str]:
        return sorted({locale for _, locale in self.catalogs()})

    def _inside(self, path: Path) -> Path:
        if "\x00" in str(path):  # only the library API can pass one; the file system cannot be asked about it
            raise CatalogError(f"refusing a catalog path with a NUL character: {str(path)!r}")
        root = self.root.resolve()
        if not path.resolve().is_relative_to(root):
            raise CatalogError(f"refusing a catalog path outside {self.root}: {path}")
        return path


def po_names(path: Path) -> tuple[str, str | None]:
    """(domain, locale) of a PO from the layout <locale>/LC_MESSAGES/<domain>.po; the locale is None elsewhere."""
    return path.stem, (path.parent.parent.name if path.parent.name == "LC_MESSAGES" else None)


def _checked_domain(domain: str) -> str:
    if not _DOMAIN.fullmatch(domain):
        raise CatalogError(f"not a domain name: {domain!r} (letters a-z, digits and '-')")
    return domain


# --- reading and writing ---------------------------------------------------------------------------


def catalog_bytes(path: Path) -> bytes:
    """A catalog's bytes: a regular file of at most 4 MB, else refused in one line naming it."""
    return read_limited(path, MAX_CATALOG_BYTES, "catalog", CatalogError)


def read_catalog(path: Path, *, locale: str | None = None, domain: str | None = None,
                 data: bytes | None = None) -> Catalog:
    """Read a POT or PO file (`data`: its bytes, already read with `catalog_bytes`); a file that does not parse
    is refused with its file and line."""
    if data is None:
        data = catalog_bytes(path)
    text = _decode_po(data, path)
    if not _HEADER.search(text):
        raise CatalogError(
            "not a valid PO file (no header entry: msgid \"\" with Language and Plural-Forms)",
            where=str(path),
            hint="start it again with 'leaflet init', or restore it from version control",
        )
    # GNU msgmerge writes `#~| msgid` (the previous source of an obsolete entry), which Babel cannot read;
    # it is only a note, so it is blanked out (blank, not dropped, so that line numbers stay true).
    lines = ["\n" if line.lstrip().startswith("#~|") else line for line in text.splitlines(keepends=True)]
    try:
        catalog = Catalog(locale=locale, domain=domain)
        _StrictParser(catalog, abort_invalid=True).parse(io.StringIO("".join(lines)))
    except PoFileError as exc:
        reason = printable(re.sub(r" on \d+$", "", str(exc)))
        raise CatalogError(f"not a valid PO file ({reason})", where=f"{path}:{exc.lineno + 1}") from None
    except ValueError as exc:
        raise CatalogError(f"not a valid PO file ({printable(str(exc))})", where=str(path)) from None
    if catalog.charset.upper() == "CHARSET":
        catalog.charset = "utf-8"
    for message in [*catalog, *catalog.obsolete.values()]:
        _restore_previous(message)
    return catalog


def printable(text: str) -> str:
    """Text from a catalog as it may be shown on a terminal: a control character (an ESC would start a terminal
    command) or a bidi override is shown as its code."""
    return "".join(c if c.isprintable() or c == " " else f"[U+{ord(c):04X}]" for c in text)


class _StrictParser(PoFileParser):
    """Babel's parser, refusing what msgfmt refuses and Babel would silently change or drop: a second entry for
    the same msgid and msgctxt, a second msgstr for one msgid, a msgstr with no msgid, plural forms that do not
    fit the message or the header, a string with no closing quote or an escape Babel does not read (it would keep
    the backslash), and a Plural-Forms header gettext could not use (either would lose a translator's text or
    print it wrong)."""

    def __init__(self, catalog: Catalog, **options):
        self._seen: set[tuple[str, str | None]] = set()
        self._plural_forms_line: int | None = None
        super().__init__(catalog, **options)

    def _process_keyword_line(self, lineno, line, obsolete=False) -> None:
        keyword, _, arg = line.partition(" ")
        if _KEYWORD.fullmatch(keyword):  # Babel refuses an unknown keyword itself
            self._check_string(arg.strip(), line, lineno, keyword)
            if keyword.startswith("msgstr"):
                self._check_msgstr(keyword, line, lineno)
            elif keyword == "msgid_plural" and not self.messages:
                self._invalid_pofile(line, lineno, "msgid_plural with no msgid before it")
        super()._process_keyword_line(lineno, line, obsolete)

    def _check_msgstr(self, keyword: str, line: str, lineno: int) -> None:
        if not self.messages:
            self._invalid_pofile(line, lineno, f"{keyword} with no msgid before it")
        index = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        plural = len(self.messages) > 1
        if keyword != "msgstr" and index is None:
            self._invalid_pofile(line, lineno, f"{keyword}: a plural form's index is a number, as in msgstr[0]")
        elif index and not plural:
            self._invalid_pofile(line, lineno, f"{keyword} for a message with no msgid_plural; write msgstr")
        elif keyword == "msgstr" and plural:
            self._invalid_pofile(line, lineno, "a message with msgid_plural needs msgstr[0], msgstr[1], ...")
        elif index and int(index.group(1)) >= self.catalog.num_plurals:
            self._invalid_pofile(line, lineno, f"{keyword}, but the header's Plural-Forms has nplurals={self.catalog.num_plurals}")

    def _process_string_continuation_line(self, line, lineno) -> None:
        self._check_string(line, line, lineno)
        if line.startswith('"Plural-Forms:'):
            self._plural_forms_line = lineno
        super()._process_string_continuation_line(line, lineno)

    def _check_string(self, token: str, line: str, lineno: int, keyword: str | None = None) -> None:
        problem = string_problem(token)
        if problem:
            self._invalid_pofile(line, lineno, f"{keyword or 'the string'} {problem}")

    def _add_message(self) -> None:
        indices = [index for index, _ in self.translations]
        if len(indices) != len(set(indices)):
            self._invalid_pofile("", self.offset, "two msgstr lines for one msgid; keep one")
        if not self.obsolete and self.messages:
            key = (self.messages[0].denormalize(), self.context.denormalize() if self.context else None)
            if key[0] and key in self._seen:
                self._invalid_pofile("", self.offset, "a second entry for the same msgid and msgctxt; merge the two")
            if key == ("", None):
                self._check_header()
            self._seen.add(key)
        super()._add_message()

    def _check_header(self) -> None:
        """Refuse a Plural-Forms gettext could not use before Babel reads it (nplurals=99999999999 would have it
        make that many forms of every plural message)."""
        header = self.translations[0][1].denormalize() if self.translations else ""
        found = re.search(r"^Plural-Forms:(.*)$", header, re.M | re.I)
        if found:
            problem = plural_forms_problem(found.group(1).strip())
            if problem:
                self._invalid_pofile("", self._plural_forms_line or self.offset, f"Plural-Forms: {problem}")


_KEYWORD = re.compile(r"msgctxt|msgid|msgid_plural|msgstr|msgstr\[[^\]]*\]")
# A PO string: in double quotes, with only the escapes Babel reads (gettext's \\a, \\v, octal and hex escapes
# Babel would keep as a backslash and letters: the leaflet would print "\\x41" where gettext prints "A").
_STRING = re.compile(r'"(?:[^"\\]|\\[\\"ntr])*"')
_STRING_BODY = re.compile(r'"(?:[^"\\]|\\.)*')


def string_problem(token: str) -> str | None:
    """What is wrong with a PO string token as written (after its keyword, or on a line of its own), or None."""
    if _STRING.fullmatch(token):
        return None
    if not token.startswith('"'):
        return "needs its text in double quotes"
    end = _STRING_BODY.match(token).end()
    if end == len(token) or token[end] != '"':
        return "has no closing quote"
    for escape in re.finditer(r"\\(.)", token[1:end]):
        if escape.group(1) not in '\\"ntr':
            return f"has an escape leaflet cannot read ({escape.group()}); write the character itself"
    return f"has text after its closing quote: {token[end + 1:][:20]!r}"


_MAX_PLURALS = 6  # CLDR's most forms (Arabic); a bigger number is a typing error


@functools.lru_cache(maxsize=64)
def plural_forms_problem(value: str) -> str | None:
    """Why a Plural-Forms value ("nplurals=2; plural=(n != 1);") cannot be used, or None. The expression is
    compiled by the standard library's gettext, which admits only numbers, n and C operators, and then tried on
    0-1000, as msgfmt does: a form it picks must exist, and it must not divide by zero."""
    parts = (part.partition("=") for part in value.split(";"))
    fields = {name.strip().lower(): setting.strip() for name, _, setting in parts}
    count = fields.get("nplurals", "2")
    if not count.isdigit() or not 1 <= int(count) <= _MAX_PLURALS:
        return f"nplurals must be a whole number from 1 to {_MAX_PLURALS}, not {count!r}"
    expression = fields.get("plural", "(n != 1)")
    try:
        pick = gettext.c2py(expression)
    except ValueError as exc:
        return f"the plural expression cannot be read ({exc})"
    for n in range(1001):
        try:
            form = pick(n)
        except ZeroDivisionError:
            return f"the plural expression divides by zero for n={n}"
        if not 0 <= form < int(count):
            return f"the plural expression gives form {form} for n={n}, but nplurals is {count}"
    return None


def _usable_charset(charset: str) -> bool:
    """A text encoding that keeps ASCII as ASCII, as gettext needs (not base64, UTF-16, IDNA or a BOM)."""
    try:
        name = codecs.lookup(charset).name
        return "msgid".encode(charset) == b"msgid" and name not in {"idna", "punycode", "utf-8-sig", "utf-7"}
    except (LookupError, UnicodeError, ValueError):
        return False


_HEADER = re.compile(r'^msgid\s+""\s*\n\s*msgstr\s', re.M)
_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")


def _decode_po(data: bytes, path: Path) -> str:
    """The file's text, in the charset its header declares (UTF-8 when it declares none)."""
    if not data.strip():
        raise CatalogError("the catalog is empty", where=str(path), hint="start it again with 'leaflet init'")
    if data.startswith(codecs.BOM_UTF8):  # some editors add one; gettext does not want it
        data = data[len(codecs.BOM_UTF8):]
    declared = _CHARSET.search(data[:8192])
    charset = declared.group(1).decode("ascii") if declared else "utf-8"
    if charset.upper() == "CHARSET":  # the placeholder of a fresh template
        charset = "utf-8"
    if not _usable_charset(charset):
        line = data.count(b"\n", 0, declared.start()) + 1 if declared else 1
        raise CatalogError(f"unknown charset {charset!r} in the header (use UTF-8)", where=f"{path}:{line}") from None
    _refuse_utf8_declared_otherwise(data, charset, path)
    try:
        return data.decode(charset)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError(
            f"not a valid PO file (the header says {charset}, but byte {exc.start} is not {charset})",
            where=f"{path}:{line}",
        ) from None


# A well-formed UTF-8 sequence of two to four bytes.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _refuse_utf8_declared_otherwise(data: bytes, charset: str, path: Path) -> None:
    """A header that says ISO-8859-1 (or another one-byte charset) over a file saved as UTF-8 would turn every
    accented letter into two ("clÃnica"), and Cyrillic into symbols: refused, not printed. Text in a one-byte
    charset with a letter beyond ASCII is practically never valid UTF-8 as well."""
    if codecs.lookup(charset).name == "utf-8" or len(bytes(range(256)).decode(charset, "replace")) != 256:
        return  # UTF-8 itself, or a multi-byte charset (Shift_JIS, GBK), whose bytes can look like UTF-8
    first = _UTF8_MULTIBYTE.search(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return
    if first is not None:
        line = data.count(b"\n", 0, first.start()) + 1
        raise CatalogError(
            f"the header says charset={charset}, but the file is UTF-8",
            where=f"{path}:{line}",
            hint="change the header to charset=UTF-8",
        )


_PREVIOUS = re.compile(r'\|\s*(?:(?P<keyword>msgctxt|msgid_plural|msgid)\s+)?(?P<string>".*")\s*')


def _restore_previous(message) -> None:
    """Babel reads `#| msgid` (the source a fuzzy entry was translated from) as a user comment; put it back."""
    fields: dict[str, str] = {}
    keyword = None
    kept = []
    for comment in message.user_comments:
        m = _PREVIOUS.fullmatch(comment)
        if not m or (m.group("keyword") is None and keyword is None):
            kept.append(comment)
            continue
        keyword = m.group("keyword") or keyword
        fields[keyword] = fields.get(keyword, "") + unescape(m.group("string"))
    if "msgid" not in fields:
        return
    if fields.get("msgctxt", message.context) != message.context:
        message.previous_context = fields["msgctxt"]  # Babel has no field for it; serialize() writes it back
    message.previous_id = [fields["msgid"]] + ([fields["msgid_plural"]] if "msgid_plural" in fields else [])
    message.user_comments = kept


def serialize(catalog: Catalog, *, document: bool) -> bytes:
    """The PO text of a catalog, written by Babel, with the `#|` lines and the flags of obsolete entries
    written in GNU's form (Babel wraps a long `#| msgid` inside its quotes, which msgfmt refuses, and drops
    the flags of an obsolete entry: a lost fuzzy mark would bring an unchecked suggestion back as checked)."""
    if document:
        for message in list(catalog) + list(catalog.obsolete.values()):
            message.flags.difference_update(_FORMAT_FLAGS)
    live, old = list(catalog), list(catalog.obsolete.values())
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=PO_WIDTH, include_previous=False, ignore_obsolete=False)
    text = buffer.getvalue().decode(catalog.charset)
    blocks = text.split("\n\n")
    if len(blocks) != len(live) + len(old) + 1 or blocks[-1]:
        raise RuntimeError(f"unexpected layout of Babel's PO output for {catalog.domain}")  # a Babel change
    for i, message in enumerate(live):
        if message.id and message.previous_id:
            blocks[i] = _insert_before(blocks[i], ("msgctxt ", "msgid "), _previous_lines(message))
    for i, message in enumerate(old, start=len(live)):
        if message.flags:
            blocks[i] = _insert_before(blocks[i], ("#~ ",), ["#, " + ", ".join(sorted(message.flags))])
    return "\n\n".join(blocks).encode(catalog.charset)


def _previous_lines(message) -> list[str]:
    lines = []
    context = getattr(message, "previous_context", None)
    if context is not None and context != message.context:
        lines.append(f"#| msgctxt {po_string(context, prefix='#| ', width=PO_WIDTH)}")
    lines.append(f"#| msgid {po_string(message.previous_id[0], prefix='#| ', width=PO_WIDTH)}")
    if len(message.previous_id) > 1:
        lines.append(f"#| msgid_plural {po_string(message.previous_id[1], prefix='#| ', width=PO_WIDTH)}")
    return lines


def _insert_before(block: str, starts: tuple[str, ...], new: list[str]) -> str:
    lines = block.split("\n")
    at = next((n for n, line in enumerate(lines) if line.startswith(starts)), len(lines))
    return "\n".join(lines[:at] + new + lines[at:])


def write_catalog(path: Path, catalog: Catalog, *, document: bool) -> bool:
    """Write a POT or PO atomically, only when its content changed; say whether it wrote."""
    return write_if_changed(path, serialize(catalog, document=document), CatalogError)


def now() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


# --- templates -------------------------------------------------------------------------------------


def procedure_template(procedure: Procedure, *, location_base: Path | None = None) -> Catalog:
    catalog = Catalog(
        project=PROJECT,
        version=__version__,
        charset="utf-8",
        domain=procedure.domain,
        header_comment=(
            f"# Messages of the procedure {procedure.domain}, for translation.\n"
            f"# Extracted by leaflet from {Path(procedure.source).name}; the msgctxt names the section."
        ),
        creation_date=now(),
        fuzzy=False,
    )
    for message in segment(procedure, location_base=location_base):
        catalog.add(message.id, locations=[message.location], auto_comments=[message.comment], context=message.context)
    return catalog


def leaflet_template() -> Catalog:
    """The leaflet's own wording, extracted from the package's source with Babel's extractor."""
    package = Path(__file__).resolve().parent
    catalog = Catalog(
        project=PROJECT,
        version=__version__,
        charset="utf-8",
        domain=LEAFLET_DOMAIN,
        header_comment="# The leaflet's own wording (headings, page furniture, the audio guide's phrases).\n"
        "# Shared by every procedure. Keep every {placeholder} exactly as it is.",
        creation_date=now(),
        fuzzy=False,
    )
    for path in _sources_with_messages(package):
        for lineno, message, comments, context in extract_from_file(
            "python", str(path), comment_tags=("TRANSLATORS:",), strip_comment_tags=True
        ):
            catalog.add(
                message,
                locations=[(f"leaflet/{path.relative_to(package).as_posix()}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def _sources_with_messages(package: Path) -> list[Path]:
    """The package's Python files, in the order Babel's extract_from_dir walks them, that call a gettext keyword
    at all: only they are tokenized (4 of some 45 files: the extraction took 0.18 s in every worker of a first
    build, now a fifth of that)."""
    calls = re.compile(r"\b(?:%s)\s*\(" % "|".join(map(re.escape, DEFAULT_KEYWORDS)))
    found = []
    for root, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(files):
            path = Path(root) / name
            if name.endswith(".py") and calls.search(path.read_text("utf-8")):
                found.append(path)
    return found


def write_template(layout: Layout, domain: str, template: Catalog) -> bool:
    """Write <domain>.pot unless only its creation date would change."""
    path = layout.template(domain)
    if path.exists():
        try:
            old = read_catalog(path)
        except CatalogError:
            old = None
        if old is not None:
            created = template.creation_date
            template.creation_date = old.creation_date
            if serialize(template, document=domain != LEAFLET_DOMAIN) == path.read_bytes():
                return False
            template.creation_date = created
    return write_catalog(path, template, document=domain != LEAFLET_DOMAIN)


# --- init and update -------------------------------------------------------------------------------


@dataclass
class MergeReport:
    path: Path
    created: bool = False
    written: bool = False
    kept: int = 0  # translations carried over unchanged
    from_memory: int = 0  # exact matches taken from other catalogs as translated
    fuzzy: int = 0  # close matches offered as fuzzy
    refused_negation: int = 0  # close matches not offered because a negation word differs
    obsolete: int = 0
    skipped: str | None = None  # why the catalog was left as it was


Loaded = dict[tuple[str, str], Catalog]  # (domain, locale) -> the catalog as read, for one command


def init_catalog(layout: Layout, template: Catalog, domain: str, locale: str, *, loaded: Loaded | None = None) -> MergeReport:
    """Create <locale>/LC_MESSAGES/<domain>.po from a template, pre-filled from the locale's other catalogs."""
    locale = normalize(locale)
    path = layout.po(domain, locale)
    if path.exists():
        raise CatalogError("the catalog exists already; use 'leaflet update' to merge new messages", where=str(path))
    catalog = Catalog(
        locale=locale,
        domain=domain,
        project=PROJECT,
        version=__version__,
        charset="utf-8",
        language_team=display_name(locale),
        header_comment=f"# {display_name(locale)} translation of the leaflet domain {domain}.\n"
        "# Draft until a qualified medical translator has reviewed it.",
        creation_date=template.creation_date,
        revision_date=now(),
        fuzzy=False,
    )
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=True)
    report = MergeReport(path, created=True)
    _fill_from_memory(catalog, Memory.from_catalogs(_other_catalogs(layout, domain, locale, loaded)), set(), report)
    report.written = write_catalog(path, catalog, document=domain != LEAFLET_DOMAIN)
    return report


def update_catalog(layout: Layout, template: Catalog, domain: str, locale: str, *, loaded: Loaded | None = None) -> MergeReport:
    """Merge a new template into an existing PO: nothing a translator wrote is lost."""
    path = layout.po(domain, locale)
    catalog = loaded[(domain, locale)] if loaded and (domain, locale) in loaded else read_catalog(path, locale=locale, domain=domain)
    previous = {(_key(m.id), m.context): m for m in catalog if m.id}
    before = set(previous)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    for message in catalog:  # Babel's merge drops the `#|` lines of an entry that is still fuzzy
        old = previous.get((_key(message.id), message.context)) if message.id else None
        if old is not None and message.fuzzy and not message.previous_id:
            message.previous_id = list(old.previous_id or [])
            if hasattr(old, "previous_context"):
                message.previous_context = old.previous_context
    report = MergeReport(path)
    report.kept = sum(1 for m in catalog if m.id and (_key(m.id), m.context) in before and is_translated(m))
    # What the template no longer has is the first memory: an edited sentence finds its old translation there.
    own = Memory(catalog.obsolete.values(), unchecked=True)
    used = _fill_from_memory(catalog, own, before, report, keep_comments=True)
    for key in used:
        catalog.obsolete.pop(key, None)
    others = Memory.from_catalogs(_other_catalogs(layout, domain, locale, loaded))
    _fill_from_memory(catalog, others, before, report)
    report.obsolete = len(catalog.obsolete)
    report.written = write_catalog(path, catalog, document=domain != LEAFLET_DOMAIN)
    return report


def _fill_from_memory(
    catalog: Catalog, memory: Memory, skip: set, report: MergeReport, *, keep_comments: bool = False
) -> set:
    """Pre-fill untranslated messages: exact matches as translated, close ones as fuzzy.

    Returns the keys of the entries that came back whole (same msgid and msgctxt); an entry that only lent
    its translation to a close match stays where it was, so that undoing the edit finds it again.
    """
    used = set()
    if not len(memory):
        return used
    for message in catalog:
        if not message.id or (_key(message.id), message.context) in skip or has_text(message):
            continue
        suggestion = memory.suggest(message.id, message.context)
        if suggestion is None:
            if isinstance(message.id, str) and memory.refused_negation(message.id):
                report.refused_negation += 1
            continue
        message.string = suggestion.string
        if keep_comments:  # the catalog's own earlier entry: its translator's notes and flags come along
            message.user_comments = list(dict.fromkeys([*message.user_comments, *suggestion.user_comments]))
            message.flags.update(suggestion.flags)
        if suggestion.same_key:
            used.add(suggestion.previous_id if suggestion.previous_context is None else (suggestion.previous_id, suggestion.previous_context))
        if suggestion.exact:
            message.flags.discard("fuzzy")
            report.from_memory += 1
        else:
            message.flags.add("fuzzy")
            message.previous_id = list(suggestion.previous) if suggestion.same_key else [suggestion.previous_id]
            if suggestion.previous_context != message.context:
                message.previous_context = suggestion.previous_context  # "#| msgctxt": why it is fuzzy
            report.fuzzy += 1
    return used


def _other_catalogs(layout: Layout, domain: str, locale: str, loaded: Loaded | None = None) -> list[Catalog]:
    if loaded is not None:
        return [catalog for (d, loc), catalog in loaded.items() if loc == locale and d != domain]
    out = []
    for other_domain, other_locale in layout.catalogs():
        if other_locale == locale and other_domain != domain:
            out.append(read_catalog(layout.po(other_domain, locale), locale=locale, domain=other_domain))
    return out


def _key(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


# --- compile and load ------------------------------------------------------------------------------


def mo_bytes(catalog: Catalog) -> bytes:
    """The compiled form of a catalog: fuzzy entries left out, as gettext does, and white space, which is no
    translation, left empty so that gettext falls back to the source. A plural message with no translated form is
    left out: Babel would compile it with the English forms as its translation. (Changes the catalog.)"""
    for message in list(catalog):
        if message.id and not has_text(message):
            if isinstance(message.string, tuple):
                catalog.delete(message.id, context=message.context)
            else:
                message.string = ""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def translations_of(catalog: Catalog) -> gettext.GNUTranslations:
    """A catalog's translations through gettext, compiled in memory (nothing written beside the PO)."""
    return gettext.GNUTranslations(io.BytesIO(mo_bytes(catalog)))


def compile_catalog(layout: Layout, domain: str, locale: str) -> Path:
    """Write the .mo beside the .po."""
    catalog = read_catalog(layout.po(domain, locale), locale=locale, domain=domain)
    mo = layout.mo(domain, locale)
    atomic_write(mo, mo_bytes(catalog))
    return mo


def is_stale(layout: Layout, domain: str, locale: str) -> bool:
    po, mo = layout.po(domain, locale), layout.mo(domain, locale)
    try:
        return mo.stat().st_mtime_ns < po.stat().st_mtime_ns
    except FileNotFoundError:
        return True


def load_translations(layout: Layout, domain: str, locale: str) -> gettext.NullTranslations:
    """The locale's translations for a domain through gettext, compiling a missing or stale .mo first."""
    locale = normalize(locale)
    if not layout.po(domain, locale).exists():
        return gettext.NullTranslations()
    if is_stale(layout, domain, locale):
        compile_catalog(layout, domain, locale)
    with open(layout.mo(domain, locale), "rb") as handle:
        return gettext.GNUTranslations(handle)


# --- status ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    domain: str
    locale: str
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int
    review: Review = Review()

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        """Translated share, rounded down: 100 only when every message is translated."""
        if not self.total:
            return 100.0
        return int(1000 * self.translated / self.total) / 10

    @property
    def complete(self) -> bool:
        return self.translated == self.total

    def to_dict(self) -> dict:
        return {
            "domain": self.domain,
            "locale": self.locale,
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "obsolete": self.obsolete,
            "percent": self.percent,
            **self.review.to_dict(),
        }


def catalog_status(catalog: Catalog, domain: str, locale: str, template: Catalog | None = None,
                   pronunciation: str | None = None) -> Status:
    """Counts against the template when one is given, so that a PO not yet updated is not reported complete;
    the review is checked against the locale's pronunciation list when its digest is given."""
    live = {(_key(m.id), m.context): m for m in catalog if m.id}
    wanted = [(_key(m.id), m.context) for m in template if m.id] if template is not None else list(live)
    translated = fuzzy = 0
    for key in wanted:
        message = live.get(key)
        if message is None or not has_text(message):
            continue
        if is_translated(message):
            translated += 1
        elif message.fuzzy:
            fuzzy += 1
    stale = len(set(live) - set(wanted))
    return Status(
        domain, locale, translated, fuzzy, len(wanted) - translated - fuzzy, len(catalog.obsolete) + stale,
        review_of(catalog, pronunciation)
    )
