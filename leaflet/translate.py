"""The translator's workflow over many procedures: extract, init, update, compile and status.

Each function reads every input first and refuses before writing anything, then writes file by file
(each write atomic), and returns what it did for the caller to report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import catalogs
from .catalogs import Catalog, Layout, MergeReport, Status
from .errors import CatalogError
from .locales import normalize
from .model import Procedure
from .reader import read_all
from .speech import pronunciation
from .review import Review, review_of
from .wording import DOMAIN as LEAFLET_DOMAIN


@dataclass(frozen=True)
class TemplateReport:
    domain: str
    path: Path
    messages: int
    written: bool  # False when the file already held these messages


def _templates(procedures: list[Procedure], *, with_leaflet: bool = True) -> dict[str, Catalog]:
    templates = {p.domain: catalogs.procedure_template(p) for p in procedures}
    if with_leaflet:
        templates[LEAFLET_DOMAIN] = catalogs.leaflet_template()
    return templates


def _write_templates(layout: Layout, templates: dict[str, Catalog]) -> list[TemplateReport]:
    reports = []
    for domain, template in templates.items():
        written = catalogs.write_template(layout, domain, template)
        count = sum(1 for m in template if m.id)
        reports.append(TemplateReport(domain, layout.template(domain), count, written))
    return reports


def extract(paths: list[str | Path], layout: Layout) -> tuple[list[Procedure], list[TemplateReport]]:
    """Write <domain>.pot for each procedure, and leaflet.pot for the leaflet's own wording."""
    procedures = read_all(paths)
    return procedures, _write_templates(layout, _templates(procedures))


def init(paths: list[str | Path], locale: str, layout: Layout) -> tuple[list[Procedure], list[MergeReport]]:
    """Start translating procedures into a locale: their POs, and leaflet.po if the locale has none yet."""
    locale = normalize(locale)
    procedures = read_all(paths)
    for procedure in procedures:
        path = layout.po(procedure.domain, locale)
        if path.exists():
            raise CatalogError("the catalog exists already; use 'leaflet update' to merge new messages", where=str(path))
    templates = _templates(procedures)
    loaded = _read_every_catalog(layout, locale)
    _write_templates(layout, templates)
    reports = []
    if not layout.po(LEAFLET_DOMAIN, locale).exists():
        reports.append(catalogs.init_catalog(layout, templates[LEAFLET_DOMAIN], LEAFLET_DOMAIN, locale, loaded=loaded))
    for procedure in procedures:
        reports.append(catalogs.init_catalog(layout, templates[procedure.domain], procedure.domain, locale, loaded=loaded))
    return procedures, reports


def update(paths: list[str | Path], layout: Layout) -> tuple[list[Procedure], list[MergeReport]]:
    """Re-extract and merge into every existing PO of those domains (every domain with a template when no path)."""
    if paths:
        procedures = read_all(paths)
        templates = _templates(procedures)
    else:
        procedures = []
        templates = {LEAFLET_DOMAIN: catalogs.leaflet_template()}
        for domain, _ in layout.catalogs():
            if domain not in templates and layout.template(domain).exists():
                templates[domain] = catalogs.read_catalog(layout.template(domain))
    targets = [(d, loc) for d, loc in layout.catalogs(set(templates))]
    loaded = _read_every_catalog(layout)
    _write_templates(layout, templates if paths else {LEAFLET_DOMAIN: templates[LEAFLET_DOMAIN]})
    reports = [catalogs.update_catalog(layout, templates[d], d, loc, loaded=loaded) for d, loc in targets]
    if not paths:
        reports += [
            MergeReport(layout.po(d, loc), skipped=f"no template {layout.template(d)}; run 'leaflet update FILE'")
            for d, loc in layout.catalogs()
            if d not in templates
        ]
    return procedures, reports


def _read_every_catalog(layout: Layout, locale: str | None = None) -> catalogs.Loaded:
    """Read every catalog (of one locale, or all) once, before writing anything: the ones to merge and the
    others, which serve as translation memory, so that a broken one stops the command with nothing
    half-written."""
    return {
        (domain, other): catalogs.read_catalog(layout.po(domain, other), locale=other, domain=domain)
        for domain, other in layout.catalogs()
        if locale is None or other == locale
    }


def compile_all(layout: Layout) -> list[Path]:
    targets = layout.catalogs()
    for domain, locale in targets:
        catalogs.read_catalog(layout.po(domain, locale), locale=locale, domain=domain)
    return [catalogs.compile_catalog(layout, d, loc) for d, loc in targets]


def status(paths: list[str | Path], layout: Layout) -> list[Status]:
    """Per domain and locale, counted against the current template so that a stale PO is not called complete."""
    if paths:
        templates: dict[str, Catalog | None] = dict(_templates(read_all(paths), with_leaflet=False))
    else:
        templates = {LEAFLET_DOMAIN: catalogs.leaflet_template()}
        for domain, _ in layout.catalogs():
            if domain not in templates:
                pot = layout.template(domain)
                templates[domain] = catalogs.read_catalog(pot) if pot.exists() else None
    result = []
    heard: dict[str, str] = {}
    for domain, locale in layout.catalogs(set(templates)):
        catalog = catalogs.read_catalog(layout.po(domain, locale), locale=locale, domain=domain)
        if locale not in heard:
            heard[locale] = pronunciation.digest(layout.root, locale)
        result.append(catalogs.catalog_status(catalog, domain, locale, templates[domain], heard[locale]))
    return result


@dataclass(frozen=True)
class ListState:
    """A locale's pronunciation list as `leaflet status` shows it: there or not, what `leaflet check` finds in it,
    and whether the locale's review covers it as it is now."""

    locale: str
    path: Path | None
    entries: int = 0
    errors: int = 0
    warnings: int = 0
    problem: str = ""  # why it cannot be read
    review: str = "draft"  # "reviewed" | "changed" | "draft" | "source"
    describe_review: str = "draft"

    @property
    def check(self) -> str:
        if self.path is None:
            return "no list"
        if self.problem:
            return "unreadable"
        if not (self.errors or self.warnings):
            return "ok"
        return f"{_count(self.errors, 'error')}, {_count(self.warnings, 'warning')}"

    def to_dict(self) -> dict:
        return {"locale": self.locale, "path": str(self.path) if self.path else None, "entries": self.entries,
                "errors": self.errors, "warnings": self.warnings, "problem": self.problem or None,
                "review": self.review}


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def list_states(layout: Layout, rows: list[Status]) -> dict[str, ListState]:
    """The pronunciation list of each locale with a catalog among `rows` (and English, whose list is the source's),
    its review read from the locale's catalogs: reviewed when every catalog's review heard it as it is now."""
    from . import checks
    from .locales import SOURCE_LOCALE

    states = {}
    for locale in dict.fromkeys([SOURCE_LOCALE, *(r.locale for r in rows)]):
        path = pronunciation.list_path(layout.root, locale)
        entries = errors = warnings = 0
        problem = ""
        if path is not None:
            try:
                found = pronunciation.read_list(path)
                findings = checks.check_pronunciation(found, path.parent.name)
                entries = len(found.entries)
                errors = sum(1 for f in findings if f.severity == checks.ERROR)
                warnings = len(findings) - errors
            except CatalogError as exc:
                problem, errors = str(exc), 1
        reviews = [r.review for r in rows if r.locale == locale]
        changed = [r for r in reviews if r.state == "changed" and r.why]
        if locale == SOURCE_LOCALE:
            state, said = "source", "the source's list: checked, not reviewed" if path else "-"
        elif changed:
            state, said = "changed", changed[0].describe()
        elif reviews and all(r.reviewed for r in reviews):
            state, said = "reviewed", reviews[0].describe()
        else:
            state, said = "draft", "draft"
        states[locale] = ListState(locale, path, entries, errors, warnings, problem, state, said)
    return states


@dataclass(frozen=True)
class ReviewReport:
    path: Path
    domain: str
    locale: str
    before: Review
    after: Review


def review(paths: list[str | Path], locale: str, by: str, layout: Layout, *, date: str | None = None) -> list[ReviewReport]:
    """Record that a qualified reviewer checked a locale's catalogs: each PO named, or, for procedure files, the
    procedure's catalog and the leaflet wording (both are on the patient's page). A catalog with untranslated or
    fuzzy messages, or with errors `leaflet check` finds, cannot be signed off; nothing is written then."""
    from . import checks
    from .review import checked_date, checked_name, record

    locale = normalize(locale)
    by = checked_name(by)
    today = catalogs.now().date()
    date = checked_date(date, today) if date else today.isoformat()
    targets: dict[tuple[str, str], Catalog | None] = {}  # (domain, locale) -> template
    procedures = []
    for path in map(Path, paths):
        if path.suffix == ".po":
            domain, its_locale = catalogs.po_names(path)
            if its_locale is None:
                raise CatalogError("not in the catalogs layout <locale>/LC_MESSAGES/<domain>.po", where=str(path))
            if normalize(its_locale) != locale:
                raise CatalogError(f"this catalog is for {its_locale}, not {locale}", where=str(path))
            pot = layout.template(domain)
            targets[(domain, locale)] = catalogs.leaflet_template() if domain == LEAFLET_DOMAIN else (
                catalogs.read_catalog(pot) if pot.exists() else None)
        else:
            procedures.extend(read_all([path]))
    if procedures:
        for domain, template in _templates(procedures).items():
            targets[(domain, locale)] = template
    problems = checks.list_errors(layout, locale)
    if problems:
        raise CatalogError(f"cannot record a review: the pronunciation list has {len(problems)} errors that 'leaflet check'"
                           f" finds, the first: {problems[0].line()}")
    heard = pronunciation.digest(layout.root, locale)  # the review covers what patients hear, too
    loaded: dict[tuple[str, str], Catalog] = {}
    for (domain, loc), template in targets.items():
        path = layout.po(domain, loc)
        catalog = catalogs.read_catalog(path, locale=loc, domain=domain)
        status = catalogs.catalog_status(catalog, domain, loc, template)
        if status.untranslated or status.fuzzy:
            raise CatalogError(
                f"cannot record a review: {status.untranslated} untranslated and {status.fuzzy} fuzzy messages",
                where=str(path),
                hint="finish and check them first",
            )
        errors = checks.errors_in(catalog, domain, loc, str(path))
        if errors:
            raise CatalogError(
                f"cannot record a review: 'leaflet check' finds {len(errors)} errors, the first: {errors[0].line()}",
                where=str(path),
            )
        loaded[(domain, loc)] = catalog
    reports = []
    for (domain, loc), catalog in loaded.items():
        before = review_of(catalog, heard)
        record(catalog, by, date, heard)
        catalogs.write_catalog(layout.po(domain, loc), catalog, document=domain != LEAFLET_DOMAIN)
        reports.append(ReviewReport(layout.po(domain, loc), domain, loc, before, review_of(catalog, heard)))
    return reports
