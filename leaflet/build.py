"""The one entry point the CLI calls to make leaflets: documents x locales x formats, each file written atomically.

OUT/<domain>/<locale>/<domain>.pdf. Default locales: the source language plus every locale whose catalogs for
the domain (and the leaflet domain) are complete. Every document and locale is checked before anything is
written, so a bad request writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .catalogs import Layout, leaflet_template
from .config import Config, check_font_size
from .errors import CatalogError, LeafletError, RenderError
from .fsutil import atomic_write
from .locales import SOURCE_LOCALE, normalize
from .localize import catalog_path, completeness, is_source_locale, localize, require_complete, templates_for
from .model import Procedure
from .reader import find_procedures, read
from .render.fonts import FontSet

FORMATS = ("pdf", "audio", "all")


@dataclass(frozen=True)
class Output:
    domain: str
    locale: str
    format: str
    path: Path
    pages: int = 0
    draft: bool = False
    missing: int = 0


@dataclass
class BuildReport:
    outputs: list[Output] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things the user should know (not errors)
    warnings: list[str] = field(default_factory=list)


def default_locales(procedure: Procedure, layout: Layout, templates: dict) -> list[str]:
    locales = [SOURCE_LOCALE]
    for locale in layout.locales():
        if is_source_locale(locale) or not layout.po(procedure.domain, locale).exists():
            continue
        if completeness(layout, locale, templates) == (0, 0):
            locales.append(locale)
    return locales


def build(
    paths: list[str | Path],
    *,
    layout: Layout,
    config: Config,
    out: Path = Path("out"),
    locales: list[str] | None = None,
    fmt: str = "all",
    font_size: float | None = None,
    paper: str | None = None,
    allow_incomplete: bool = False,
) -> BuildReport:
    from .render.pdf import PdfOptions, render  # ReportLab loads only when a leaflet is built

    if fmt not in FORMATS:
        raise LeafletError(f"unknown format {fmt!r} (use pdf, audio or all)")
    if fmt == "audio":
        raise LeafletError("the audio guide is not built yet; use --format pdf")
    size = check_font_size(font_size if font_size is not None else config.font_size)
    options = PdfOptions(size, (paper or config.paper).lower())
    report = BuildReport()
    if fmt == "all":
        report.notes.append("the audio guide is not built yet: PDF leaflets only")
    files = find_procedures(paths)
    procedures = [(read(f), f) for f in files]
    for procedure, _ in procedures:
        report.warnings.extend(procedure.warnings)
        report.warnings.extend(capitals_warnings(procedure))
    asked = [normalize(l) for l in locales] if locales else None
    # Plan everything first: a locale that cannot be built stops the command before any file is written.
    plan: list[tuple[Procedure, bytes, str]] = []
    fonts_checked: set[str] = set()
    leaflet = leaflet_template()
    for procedure, path in procedures:
        templates = templates_for(procedure, leaflet)
        # default locales are complete by choice; asked ones are checked below
        chosen = asked if asked is not None else default_locales(procedure, layout, templates)
        for locale in dict.fromkeys(chosen):
            if not is_source_locale(locale) and not catalog_path(layout, procedure.domain, locale).exists():
                # even with --allow-incomplete: an English leaflet labelled as another language helps nobody
                raise CatalogError(
                    f"no {locale} catalog for {procedure.domain}",
                    hint=f"start one with 'leaflet init {procedure.source} -l {locale}'",
                )
            if asked is not None and not is_source_locale(locale) and not allow_incomplete:
                require_complete(procedure, layout, locale, templates)
            if locale not in fonts_checked:
                FontSet(locale, config.fonts)  # refuses a locale no installed font can write
                fonts_checked.add(locale)
            plan.append((procedure, Path(path).read_bytes(), locale))
    if config.is_example:
        report.warnings.append(
            "the contact box shows the example clinic from the default configuration; "
            "put your clinic's name and phone in leaflet.toml"
        )
    rendered: list[tuple[Path, bytes, Output]] = []
    for procedure, source, locale in plan:
        doc = localize(procedure, locale, layout, source_bytes=source)
        where = f"{procedure.source} [{locale}]"
        try:
            data = render(doc, config, options, where=where)
        except RenderError as error:
            if error.where is None:
                error.where = where
            raise
        target = out / procedure.domain / locale / f"{procedure.domain}.pdf"
        rendered.append((target, data, Output(procedure.domain, locale, "pdf", target, _pages(data), doc.draft, doc.missing)))
    for target, data, output in rendered:
        atomic_write(target, data)
        report.outputs.append(output)
    return report


# Three or more words in capitals: hard to read in large print (STANDARDS.md: no runs of capitals). A short
# acronym (MRI, CT) is fine.
_CAPITALS = re.compile(r"\b[A-Z]{2,}(?:[\s,]+[A-Z]{2,}){2,}\b")


def capitals_warnings(procedure: Procedure) -> list[str]:
    """The clinic's text is the clinic's to change: runs of capitals are reported, not rewritten."""
    found = []
    for section in procedure.sections:
        for block in section.blocks:
            match = _CAPITALS.search(block.text)
            if match:
                found.append(
                    f"{procedure.source}:{block.line}: words in capitals ({match.group(0)[:40]!r}) are hard to read"
                    " in large print; write them in sentence case and let the leaflet's bold headings carry emphasis"
                )
    return found


def _pages(data: bytes) -> int:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)
