"""The one entry point the CLI calls to make leaflets: documents x locales x formats, in parallel, incrementally.

OUT/<domain>/<locale>/<domain>.pdf and OUT/<domain>/<locale>/audio/ (step MP3s, the whole guide, a playlist and
transcripts), and OUT/manifest.json recording what each file was made from, so that a rebuild makes only what
changed. Default locales: the source language plus every locale with catalogs for the domain that are complete
and pass the checks (the others are named, and not built). A request that cannot be met (an option out of range,
an output folder that cannot be one, a locale asked for with -l that cannot be built, no source that can be read)
is refused before anything is written; one source that cannot be read, or one output failing while it is made,
does not stop the others.
"""

from __future__ import annotations

import functools
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import batch, speech
from .catalogs import Catalog, Layout
from .config import Config, check_font_size, insecure_urls
from .errors import CacheError, CatalogError, DiskFull, EngineError, LeafletError, SourceError, UnsafeOutput, Unwritable
from .inputs import Digests, combined
from .locales import SOURCE_LOCALE, normalize
from .localize import catalog_path, is_source_locale, require_complete, templates_for
from .make import Output, Result, Settings, Task, first_error, leaflet_template_for
from .manifest import Manifest
from .model import Procedure
from .reader import domain_for, find_procedures, read, safety_warnings
from .seal import STEPS, TEMPLATES, open_cache
from .speech import DEFAULT_ENGINE, DEFAULT_RATE, Engine, Voice, check_rate
from .speech.cache import default_root

FORMATS = ("pdf", "audio", "all")
SAVE_EVERY = 2.0  # seconds between manifest saves while a batch runs: an interrupted build keeps what it made

__all__ = ["AudioOptions", "BuildReport", "Output", "Progress", "build", "first_error"]


@dataclass(frozen=True)
class Unmade:
    """An output that was not made this time, and why."""

    domain: str
    locale: str
    format: str
    reason: str = ""


@dataclass
class BuildReport:
    outputs: list[Output] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things the user should know (not errors)
    warnings: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # audio guides a voice could not be found for
    refused_asked: bool = False  # one of those locales was asked for by name: the command fails
    synthesized: int = 0  # sentences sent to the engine: those of the steps made (a kept step says none)
    cached: int = 0  # sentences of the steps made read from the speech cache (engines whose sentences are kept)
    steps_encoded: int = 0  # guide steps normalized, encoded and checked (the rest came from the step cache)
    steps_cached: int = 0
    up_to_date: list[Unmade] = field(default_factory=list)  # skipped: nothing they depend on changed
    not_built: list[Unmade] = field(default_factory=list)  # refused: a catalog, a font or a voice is missing
    failed: list[Unmade] = field(default_factory=list)  # an error while it was made
    unreadable: list[str] = field(default_factory=list)  # sources that could not be read, one error line each
    details: list[str] = field(default_factory=list)  # tracebacks of bugs, for -v
    seconds: float = 0.0
    jobs: int = 0  # worker processes started (0: the outputs were made in the build's own process, or none)
    peak_rss: int = 0  # bytes: this process's peak and each worker's, added up (at most what the tree held at once)
    worker_peaks: dict[int, int] = field(default_factory=dict)  # worker pid -> its peak memory so far, bytes


@dataclass(frozen=True)
class AudioOptions:
    engine: str = DEFAULT_ENGINE
    rate: int | None = None  # words a minute; None: the patient rate
    speech: Engine | None = None  # a ready engine (tests inject a gtts transport this way)
    cache: Path | None = None  # None: LEAFLET_CACHE or ~/.cache/leaflet/speech
    loudness: float = -19.0  # LUFS, integrated (STANDARDS.md: -19 for mono speech; -23 for broadcast)


class Progress:
    """What a build tells its caller as it goes (the CLI draws a progress bar or prints lines)."""

    def notes(self, notes: list[str]) -> None:
        """What the caller should know before anything is made (a voice that sends the text away)."""

    def start(self, total: int, up_to_date: int) -> None:
        pass

    def done(self, result: Result) -> None:
        pass


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
    all_locales: bool = False,
    jobs: int = 1,
    force: bool = False,
    keep_going: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build every document in every locale and format whose inputs changed since the last build into `out`.
    `keep_going`: an output that fails is reported and the others are made (the CLI); otherwise the first
    failure stops the build and is raised. An engine that cannot speak stops the build either way."""
    started = time.monotonic()
    if fmt not in FORMATS:
        raise LeafletError(f"unknown format {fmt!r} (use pdf, audio or all)")
    if all_locales and locales:
        raise LeafletError("--all-locales builds every locale with catalogs: give it or -l, not both")
    size = check_font_size(font_size if font_size is not None else config.font_size)
    _check_folder(Path(out), "the output folder", "-o")
    _check_folder(layout.root, "the catalogs folder", "--translations")
    report = BuildReport()
    audio = audio or AudioOptions()
    engine = _engine(audio, report) if fmt in ("audio", "all") else None
    if engine is not None:
        from .render.sound import check_loudness

        check_loudness(audio.loudness)
    rate = check_rate(audio.rate if audio.rate is not None else DEFAULT_RATE)
    cache = audio.cache or default_root()
    _apart(Path(cache), Path(out))
    seal = open_cache(cache)  # a cache someone else could change is refused here
    settings = Settings(layout, config, Path(out), size, (paper or config.paper).lower(), engine.name if engine else None,
                        rate, audio.loudness, audio.cache, allow_incomplete, seal=seal)
    planner = _Planner(settings, engine, report, force)
    tasks = planner.plan(paths, locales, fmt, all_locales, keep_going)
    report.warnings.extend(insecure_urls(config))
    if config.is_example:
        report.warnings.append(
            "the contact box shows the example clinic from the default configuration; "
            "put your clinic's name and phone in leaflet.toml"
        )
    progress = progress or Progress()
    progress.notes(list(report.notes))
    progress.start(len(tasks), len(report.up_to_date))
    _run(tasks, settings, planner.manifest, jobs, audio.speech, keep_going, progress, report)
    report.seconds = time.monotonic() - started
    report.peak_rss = batch.peak_memory() + sum(report.worker_peaks.values())
    return report


def _run(tasks, settings, manifest: Manifest, jobs, injected, keep_going, progress, report) -> None:
    """Make the tasks, recording each output in the manifest as it is written (saved every few seconds and at
    the end, also when interrupted or stopped)."""
    saved = time.monotonic()
    report.jobs = batch.workers_for(jobs, len(tasks)) if tasks and injected is None else 0
    results = batch.run(tasks, settings, jobs, injected, catch_bugs=keep_going)
    try:
        for result in results:
            if _stops(result, keep_going):  # the caller tells this error, once
                raise result.error or LeafletError(result.reason)
            _collect(result, manifest, report)
            progress.done(result)
            if manifest.dirty and time.monotonic() - saved > SAVE_EVERY:
                manifest.save()
                saved = time.monotonic()
    except BaseException:
        results.close()  # a stopped build ends its workers before the manifest is written
        _save_after(manifest)
        raise
    manifest.save()


def _stops(result: Result, keep_going: bool) -> bool:
    """A failure the build ends at: any, unless it keeps going; an engine that cannot speak or a full disk always
    (every output after it would fail the same way), and a link or a pipe planted in OUT (nothing more is written
    there until it is gone)."""
    stopping = isinstance(result.error, (EngineError, DiskFull, UnsafeOutput))
    return result.state == "failed" and (stopping or not keep_going)


def _save_after(manifest: Manifest) -> None:
    """Record what was made before the build stopped; the error that stopped it is the one to tell (a full disk
    may refuse the manifest too: the outputs it leaves out are made again next time)."""
    try:
        manifest.save()
    except Unwritable:
        pass


def _collect(result: Result, manifest: Manifest, report: BuildReport) -> None:
    task = result.task
    if result.worker:  # a worker's peak only grows: its last result has its peak
        report.worker_peaks[result.worker] = max(result.peak_rss, report.worker_peaks.get(result.worker, 0))
    if result.state == "built":
        report.outputs.append(result.output)
        report.synthesized += result.synthesized
        report.cached += result.cached
        report.steps_encoded += result.steps_encoded
        report.steps_cached += result.steps_cached
        manifest.record(task.domain, task.locale, task.format, task.inputs, dict(task.depends), result.files)
    elif result.state == "refused":
        report.not_built.append(Unmade(task.domain, task.locale, task.format, result.reason))
        warning = f"{task.locale}: {task.domain} not built: {result.reason}"
        if warning not in report.warnings:  # the PDF and the guide are refused for the same reason
            report.warnings.append(warning)
        if (task.domain, task.locale, task.format) in manifest.groups:
            # a clinic publishing from OUT must not take last month's leaflet for today's
            report.warnings.append(f"{task.locale}: the {task.format} of {task.domain} in {manifest.out} is from an"
                                   " earlier build and out of date: its inputs have changed since")
    else:
        report.failed.append(Unmade(task.domain, task.locale, task.format, result.reason))
        if result.detail:
            report.details.append(result.detail)


class _Planner:
    """What to make: every document x locale x format, minus what is up to date or cannot be made."""

    def __init__(self, settings: Settings, engine: Engine | None, report: BuildReport, force: bool):
        self.settings, self.engine, self.report, self.force = settings, engine, report, force
        self.layout = settings.layout
        self.manifest = Manifest(settings.out)
        if self.manifest.warning:
            report.warnings.append(self.manifest.warning)
        self.digests = Digests(settings.layout, settings.config)
        self.voices: dict[str, Voice | None] = {}
        self.fonts_checked: set[str] = set()
        self.checked: dict[tuple[str, str], str | None] = {}  # (domain, locale) -> the first check error
        self.lists: dict[str, str | None] = {}  # locale -> why its pronunciation list stops a guide
        self._leaflet: Catalog | None = None
        self._locales: list[str] | None = None

    def plan(self, paths, locales, fmt: str, all_locales: bool, keep_going: bool) -> list[Task]:
        skipped: list[str] = []
        procedures = self._readable(find_procedures(paths, output=self.settings.out, skipped=skipped), keep_going)
        self.report.warnings.extend(skipped)
        for procedure, _ in procedures:
            self.report.warnings.extend(procedure.warnings)
            self.report.warnings.extend(capitals_warnings(procedure))
            self.report.warnings.extend(safety_warnings(procedure))
        asked = [normalize(l) for l in locales] if locales else None
        formats = ("pdf", "audio") if fmt == "all" else (fmt,)
        tasks: list[Task] = []
        for procedure, path in procedures:
            chosen = asked if asked is not None else [SOURCE_LOCALE, *self._with_catalogs(procedure.domain, all_locales)]
            for locale in dict.fromkeys(chosen):
                tasks.extend(self._tasks(procedure, Path(path), locale, formats, asked is not None))
        # the guides first: they take longest (a better share of the cores) and need the engine, which may fail
        return sorted(tasks, key=_order)

    def _readable(self, paths: list[Path], keep_going: bool) -> list[tuple[Procedure, Path]]:
        """The procedures that can be read. One that cannot fails alone, as an output does (the others are made
        and the build ends in failure), unless the build stops at the first failure; when none can be read the
        request is refused, with the first one's reason, before anything is written."""
        procedures, errors = [], []
        for path in paths:
            try:
                procedures.append((read(path, self.settings.config.headings), path))
            except SourceError as error:
                errors.append(error)
                domain = domain_for(path)
                if any(key[0] == domain for key in self.manifest.groups):  # not to be taken for today's
                    self.report.warnings.append(f"the outputs of {domain} in {self.manifest.out} are from an earlier"
                                                " build: its source could not be read this time")
        if errors and (not keep_going or not procedures):
            raise errors[0]
        self.report.unreadable.extend(map(str, errors))
        return procedures

    def _with_catalogs(self, domain: str, all_locales: bool) -> list[str]:
        """The locales with a catalog for the domain; with --all-locales every locale of the catalogs folder, so
        that the summary shows the whole matrix, a procedure nobody has started translating included."""
        if self._locales is None:
            self._locales = [l for l in self.layout.locales() if not is_source_locale(l)]
        return [l for l in self._locales if all_locales or self.layout.po(domain, l).exists()]

    def _tasks(self, procedure: Procedure, path: Path, locale: str, formats, asked: bool) -> list[Task]:
        translated = not is_source_locale(locale)
        if translated and not catalog_path(self.layout, procedure.domain, locale).exists():
            # even with --allow-incomplete: an English leaflet labelled as another language helps nobody
            missing = CatalogError(f"no {locale} catalog for {procedure.domain}",
                                   hint=f"start one with 'leaflet init {procedure.source} -l {locale}'")
            if asked:
                raise missing
            self.report.not_built.extend(Unmade(procedure.domain, locale, fmt, str(missing)) for fmt in formats)
            return []
        tasks, strict = [], asked and translated and not self.settings.allow_incomplete
        for fmt in formats:
            voice = None
            if fmt == "audio":
                voice = self._voice(locale, asked)
                if voice is None or not self._list_passes(procedure.domain, locale, asked):
                    continue
            elif asked and locale not in self.fonts_checked:
                from .render.fonts import FontSet

                FontSet(locale, self.settings.config.fonts)  # refuses a locale no installed font can write
                self.fonts_checked.add(locale)
            depends = self.digests.parts(path, procedure.domain, locale, fmt, self._options(fmt, voice))
            inputs = combined(depends)
            if not self.force and self.manifest.up_to_date(procedure.domain, locale, fmt, inputs):
                self.report.up_to_date.append(Unmade(procedure.domain, locale, fmt))
                continue
            if strict:  # asked for by name: refused before anything is written; checked once per locale
                self._require(procedure, locale)
                strict = False
            tasks.append(Task(procedure.domain, path, locale, fmt, inputs, tuple(sorted(depends.items())), voice,
                              gate=translated and not asked))
        return tasks

    def _options(self, fmt: str, voice: Voice | None) -> dict[str, str]:
        s = self.settings
        if fmt == "pdf":
            return {"options": f"pdf size={s.font_size:g} paper={s.paper} incomplete={s.allow_incomplete}"}
        engine = self.engine
        rate = 0 if engine.fixed_rate else s.rate
        return {"options": f"audio rate={rate} loudness={s.loudness:g} incomplete={s.allow_incomplete}",
                "voice": f"{engine.name} {engine.version} {voice.name} {voice.options!r}"}

    def _require(self, procedure: Procedure, locale: str) -> None:
        if self._leaflet is None:
            self._leaflet = leaflet_template_for(self.settings.cache, self.settings.seal)
        templates = templates_for(procedure, self._leaflet)
        require_complete(procedure, self.layout, locale, templates)
        if (error := first_error(self.layout, locale, templates, self.checked)) is not None:
            raise CatalogError(error, hint="fix it, or build with --allow-incomplete to print the English text in its place")

    def _list_passes(self, domain: str, locale: str, asked: bool) -> bool:
        """A guide is made from a pronunciation list with errors only under --allow-incomplete, where the voice says
        the written text in place of each wrong entry (as the English stands in for a wrong translation). Otherwise
        the guide asked for by name stops the build before anything is written, and a default one is not made."""
        if locale not in self.lists:
            from .checks import list_errors

            errors = list_errors(self.layout, locale)
            self.lists[locale] = (
                f"the {locale} pronunciation list has {len(errors)} error{'s' if len(errors) != 1 else ''} that"
                f" 'leaflet check' finds, the first: {errors[0].line()}"
            ) if errors else None
            if errors and self.settings.allow_incomplete:
                self.report.warnings.append(f"{locale}: {self.lists[locale]}; the voice says the written text in place"
                                            " of each wrong entry (--allow-incomplete)")
        problem = self.lists[locale]
        if problem is None or self.settings.allow_incomplete:
            return True
        if asked:
            raise CatalogError(problem, hint="fix it, or build with --allow-incomplete to have the voice say the written"
                                             " text in place of each wrong entry")
        self.report.not_built.append(Unmade(domain, locale, "audio", problem))
        self.report.warnings.append(f"{locale}: the audio guide of {domain} not built: {problem}")
        return False

    def _voice(self, locale: str, asked: bool) -> Voice | None:
        if locale not in self.voices:
            try:
                self.voices[locale] = self.engine.voice_for(locale)
            except EngineError as error:
                self.report.refused.append(f"{locale}: no audio guide: {error}")
                self.report.refused_asked = self.report.refused_asked or asked
                self.voices[locale] = None
        return self.voices[locale]


_HEAVY_SCRIPTS = {"Hans": 0, "Hant": 0, "Jpan": 0, "Kore": 0, "Arab": 1, "Hebr": 1, "Deva": 1, "Beng": 1, "Guru": 1,
                  "Gujr": 1, "Taml": 1, "Thai": 1}


def _order(task: Task) -> tuple[int, int]:
    """The order tasks are handed to the workers: the guides first, then the leaflets that are most work to set
    (Chinese, Japanese and Korean, with the largest fonts to load; then the scripts HarfBuzz shapes), so that
    what is left at the end, when a core may wait for the other, is short (measured here: a Chinese leaflet
    last kept one core idle for 0.4 s)."""
    return (0, 0) if task.format == "audio" else (1, _setting_weight(task.locale))


@functools.lru_cache(maxsize=None)
def _setting_weight(locale: str) -> int:
    """0 for the scripts that are most work to set, 1 for the shaped ones, 2 for the rest (once per locale)."""
    from babel import UnknownLocaleError

    from .render.fonts import locale_script

    try:
        return _HEAVY_SCRIPTS.get(locale_script(locale), 2)
    except (UnknownLocaleError, ValueError):  # not a locale Babel knows: it is refused when it is made
        return 2


def _apart(cache: Path, out: Path) -> None:
    """The cache (its speech entries' folder and, beside it, its key, steps and templates) and OUT, which is
    published, never inside one another: the secret that seals the cache would be served with the leaflets, and a
    build would read its own outputs back as cache entries. A relative LEAFLET_CACHE would put the key in
    whatever folder leaflet runs in."""
    if not cache.is_absolute():
        raise CacheError(f"LEAFLET_CACHE must be an absolute path, not {str(cache)!r}: the cache's key, steps and"
                         " templates are kept beside it, which would be whatever folder leaflet runs in")
    home, published = os.path.realpath(cache.parent), os.path.realpath(out)
    kept = [os.path.realpath(cache), os.path.join(home, STEPS), os.path.join(home, TEMPLATES)]
    if _within(home, published) or any(_within(published, folder) for folder in kept):
        raise CacheError(f"the cache ({cache.parent}) and the output folder ({out}) are inside one another: the"
                         " cache's secret key would be published with the leaflets",
                         hint="set LEAFLET_CACHE to a folder of its own, or build into another folder with -o")


def _within(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def _check_folder(folder: Path, what: str, option: str) -> None:
    """A folder that a file stands in the way of (it is one, or is inside one) is refused before anything is read
    or made, naming the file, rather than failing at the first output written into it."""
    if "\x00" in str(folder):  # only the library API can pass one
        raise LeafletError(f"{what} cannot have a NUL character in its name", where=str(folder).replace("\x00", "\\0"))
    for path in (folder, *folder.parents):
        if path.is_dir():
            return
        if path.exists():
            problem = "is a file, not a folder" if path == folder else f"cannot be made inside {path}, a file"
            raise LeafletError(f"{what} {problem}", where=str(folder), hint=f"choose another with {option}")


def _engine(audio: AudioOptions, report: BuildReport) -> Engine:
    engine = audio.speech or speech.get(audio.engine)
    if not engine.is_available():
        raise EngineError(f"the {engine.name} speech engine cannot run here", hint="run 'make setup'")
    if engine.sends_text:
        report.notes.append(f"the {engine.name} engine sends the text of the guides to Google to be spoken")
    if engine.fixed_rate and audio.rate is not None:
        report.notes.append(f"the {engine.name} voice speaks at its own pace; --rate applies to espeak only")
    return engine


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
