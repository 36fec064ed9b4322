"""The one entry point the CLI calls to make leaflets: documents x locales x formats, each file written atomically.

OUT/<domain>/<locale>/<domain>.pdf and OUT/<domain>/<locale>/audio/ (step MP3s, the whole guide, a playlist and
transcripts). Default locales: the source language plus every locale whose catalogs for
the domain (and the leaflet domain) are complete. Every document and locale is checked before anything is
written, so a bad request writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import guide, speech
from .catalogs import Layout, leaflet_template
from .config import Config, check_font_size
from .errors import CatalogError, EngineError, LeafletError, RenderError
from .fsutil import atomic_write
from .locales import SOURCE_LOCALE, normalize
from .localize import (
    build_date,
    catalog_path,
    completeness,
    is_source_locale,
    localize,
    require_complete,
    templates_for,
    version_stamp,
)
from .model import Procedure
from .reader import find_procedures, read
from .render.fonts import FontSet
from .speech import DEFAULT_ENGINE, DEFAULT_RATE, Engine, Voice, check_rate, spoken
from .speech.cache import SpeechCache

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
    seconds: float = 0.0  # the audio guide's length
    steps: int = 0
    voice: str = ""
    lufs: float = 0.0


@dataclass
class BuildReport:
    outputs: list[Output] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things the user should know (not errors)
    warnings: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # audio guides a voice could not be found for
    refused_asked: bool = False  # one of those locales was asked for by name: the command fails
    synthesized: int = 0  # sentences sent to the engine (the rest came from the cache)
    cached: int = 0


@dataclass(frozen=True)
class AudioOptions:
    engine: str = DEFAULT_ENGINE
    rate: int | None = None  # words a minute; None: the patient rate
    speech: Engine | None = None  # a ready engine (tests inject a gtts transport this way)
    cache: Path | None = None  # None: LEAFLET_CACHE or ~/.cache/leaflet/speech
    loudness: float = -19.0  # LUFS, integrated (STANDARDS.md: -19 for mono speech; -23 for broadcast)


def default_locales(
    procedure: Procedure, layout: Layout, templates: dict, report: "BuildReport | None" = None, checked: dict | None = None
) -> list[str]:
    """English and every locale whose catalogs for the procedure are complete; the others are named in a warning,
    so that a clinic does not find out from a patient that the Spanish leaflet was never made."""
    locales = [SOURCE_LOCALE]
    for locale in layout.locales():
        if is_source_locale(locale) or not layout.po(procedure.domain, locale).exists():
            continue
        untranslated, fuzzy = completeness(layout, locale, templates)
        if (untranslated, fuzzy) != (0, 0):
            if report is not None:
                report.warnings.append(
                    f"{locale}: {procedure.domain} not built: the catalogs have {untranslated} untranslated and {fuzzy}"
                    f" fuzzy messages (finish them, or build it with -l {locale} --allow-incomplete)"
                )
        elif (error := first_error(layout, locale, templates, checked)) is not None:
            if report is not None:
                report.warnings.append(f"{locale}: {procedure.domain} not built: {error}")
        else:
            locales.append(locale)
    return locales


def first_error(layout: Layout, locale: str, templates: dict, checked: dict | None = None) -> str | None:
    """What stops a locale's leaflet: an error 'leaflet check' finds in one of its catalogs (a number changed, a
    placeholder lost, markup). A wrong translation never reaches a patient: with --allow-incomplete the English
    stands in for it, as for a missing one. `checked` keeps each catalog's answer for the rest of a build: the
    leaflet wording is shared by every procedure."""
    from .checks import catalog_errors

    checked = {} if checked is None else checked
    for domain in templates:
        if (domain, locale) not in checked:
            errors = catalog_errors(layout, domain, locale)
            checked[(domain, locale)] = (
                f"the {locale} catalog for {domain} has {len(errors)} errors that 'leaflet check' finds, the first:"
                f" {errors[0].line()}"
            ) if errors else None
        if checked[(domain, locale)]:
            return checked[(domain, locale)]
    return None


@dataclass(frozen=True)
class _Job:
    procedure: Procedure
    source: bytes
    locale: str
    pdf: bool
    voice: Voice | None


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
    audio: AudioOptions | None = None,
) -> BuildReport:
    """Build every document in every locale; nothing is written until everything has been made."""
    if fmt not in FORMATS:
        raise LeafletError(f"unknown format {fmt!r} (use pdf, audio or all)")
    size = check_font_size(font_size if font_size is not None else config.font_size)
    report = BuildReport()
    audio = audio or AudioOptions()
    engine = _engine(audio, report) if fmt in ("audio", "all") else None
    if engine is not None:
        from .render.sound import check_loudness

        check_loudness(audio.loudness)
    jobs = _plan(paths, layout, config, locales, fmt, allow_incomplete, engine, report)
    if config.is_example:
        report.warnings.append(
            "the contact box shows the example clinic from the default configuration; "
            "put your clinic's name and phone in leaflet.toml"
        )
    files: list[tuple[Path, bytes]] = []
    if any(job.pdf for job in jobs):
        from .render.pdf import PdfOptions  # ReportLab loads only when a leaflet is built

        options = PdfOptions(size, (paper or config.paper).lower())
    rate = check_rate(audio.rate if audio.rate is not None else DEFAULT_RATE)
    voicing = _Voicing(engine, rate, audio.loudness, SpeechCache(audio.cache), layout) if engine is not None else None
    for job in jobs:
        doc = localize(job.procedure, job.locale, layout, source_bytes=job.source)
        where = f"{job.procedure.source} [{job.locale}]"
        if job.pdf:
            files.append(_pdf(doc, config, options, where, out, report))
        if job.voice is not None:
            files.extend(_audio(doc, job.voice, voicing, config, where, out, report))
    if voicing is not None:
        report.synthesized, report.cached = voicing.cache.misses, voicing.cache.hits
    for target, data in files:
        atomic_write(target, data)
    for folder in {target.parent for target, _ in files if target.parent.name == "audio"}:
        _remove_stale_steps(folder, {target.name for target, _ in files if target.parent == folder})
    return report


def _engine(audio: AudioOptions, report: BuildReport) -> Engine:
    engine = audio.speech or speech.get(audio.engine)
    if not engine.is_available():
        raise EngineError(f"the {engine.name} speech engine cannot run here", hint="run 'make setup'")
    if engine.sends_text:
        report.notes.append(f"the {engine.name} engine sends the text of the guides to Google to be spoken")
    if engine.fixed_rate and audio.rate is not None:
        report.notes.append(f"the {engine.name} voice speaks at its own pace; --rate applies to espeak only")
    return engine


def _plan(paths, layout, config, locales, fmt, allow_incomplete, engine, report) -> list[_Job]:
    """Check everything first: a locale that cannot be built stops the command before any file is written.
    A locale with no voice loses only its audio guide."""
    procedures = [(read(f), f) for f in find_procedures(paths)]
    for procedure, _ in procedures:
        report.warnings.extend(procedure.warnings)
        report.warnings.extend(capitals_warnings(procedure))
    asked = [normalize(l) for l in locales] if locales else None
    jobs: list[_Job] = []
    fonts_checked: set[str] = set()
    voices: dict[str, Voice | None] = {}
    checked: dict[tuple[str, str], str | None] = {}  # (domain, locale) -> the first check error, once per build
    leaflet = leaflet_template()
    for procedure, path in procedures:
        templates = templates_for(procedure, leaflet)
        # default locales are complete by choice; asked ones are checked below
        chosen = asked if asked is not None else default_locales(procedure, layout, templates, report, checked)
        for locale in dict.fromkeys(chosen):
            if not is_source_locale(locale) and not catalog_path(layout, procedure.domain, locale).exists():
                # even with --allow-incomplete: an English leaflet labelled as another language helps nobody
                raise CatalogError(
                    f"no {locale} catalog for {procedure.domain}",
                    hint=f"start one with 'leaflet init {procedure.source} -l {locale}'",
                )
            if asked is not None and not is_source_locale(locale) and not allow_incomplete:
                require_complete(procedure, layout, locale, templates)
                if (error := first_error(layout, locale, templates, checked)) is not None:
                    raise CatalogError(
                        error, hint="fix it, or build with --allow-incomplete to print the English text in its place"
                    )
            pdf = fmt in ("pdf", "all")
            if pdf and locale not in fonts_checked:
                FontSet(locale, config.fonts)  # refuses a locale no installed font can write
                fonts_checked.add(locale)
            if engine is not None and locale not in voices:
                voices[locale] = _voice(engine, locale, asked is not None, report)
            voice = voices.get(locale)
            if pdf or voice is not None:
                jobs.append(_Job(procedure, Path(path).read_bytes(), locale, pdf, voice))
    return jobs


def _voice(engine: Engine, locale: str, asked: bool, report: BuildReport) -> Voice | None:
    try:
        return engine.voice_for(locale)
    except EngineError as error:
        report.refused.append(f"{locale}: no audio guide: {error}")
        report.refused_asked = report.refused_asked or asked
        return None


def _pdf(doc, config, options, where, out, report) -> tuple[Path, bytes]:
    from .render.pdf import render

    try:
        data = render(doc, config, options, where=where)
    except RenderError as error:
        if error.where is None:
            error.where = where
        raise
    target = out / doc.domain / doc.locale / f"{doc.domain}.pdf"
    report.outputs.append(Output(doc.domain, doc.locale, "pdf", target, _pages(data), doc.draft, doc.missing))
    return target, data


@dataclass
class _Voicing:
    """How every guide of a build is spoken; each locale's pronunciation list is read once per build."""

    engine: Engine
    rate: int
    loudness: float
    cache: SpeechCache
    layout: Layout
    _rules: dict[str, spoken.Rules] = field(default_factory=dict)

    def rules(self, locale: str) -> spoken.Rules:
        if locale not in self._rules:
            self._rules[locale] = spoken.load(self.layout.root, locale)
        return self._rules[locale]


def _audio(doc, voice, voicing: _Voicing, config, where, out, report) -> list[tuple[Path, bytes]]:
    from .render.audio import Tags, iso639_2, render_guide

    engine = voicing.engine
    script = guide.script(doc, voicing.rules(doc.locale), config.clinic, config.phone, voicing.rules(SOURCE_LOCALE))
    others = {}
    if any(line.lang == SOURCE_LOCALE for step in script.steps for line in step.lines):
        others[SOURCE_LOCALE] = engine.voice_for(SOURCE_LOCALE)
    tags = Tags(
        title=doc.title,
        clinic=config.clinic,
        language=iso639_2(doc.locale),
        date=build_date().isoformat(),
        stamp=version_stamp(doc),
        summary=script.summary,
    )
    try:
        made = render_guide(script, engine, voice, voicing.rate, voicing.cache, tags, others, voicing.loudness)
    except LeafletError as error:
        if error.where is None:
            error.where = where
        raise
    folder = out / doc.domain / doc.locale / "audio"
    report.outputs.append(
        Output(doc.domain, doc.locale, "audio", folder / f"{doc.domain}.mp3", draft=doc.draft, missing=doc.missing,
               seconds=made.seconds, steps=len(script.steps), voice=f"{engine.name} {voice.name}", lufs=made.lufs)
    )
    return [(folder / name, data) for name, data in made.files.items()]


_STEP_FILE = re.compile(r"\d\d-[a-z]+\.mp3")


def _remove_stale_steps(folder: Path, written: set[str]) -> None:
    """A step that is gone from the guide (its section was removed) must not linger beside the new ones."""
    for path in folder.glob("*.mp3"):
        if _STEP_FILE.fullmatch(path.name) and path.name not in written:
            path.unlink()


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
