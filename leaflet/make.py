"""Making one output: a procedure's PDF leaflet or audio guide in one locale, written atomically, reported small.

A worker process (or the build itself, for one task) keeps a `Maker`: the speech engine, the speech cache, the
pronunciation lists and the catalog checks live as long as the process, so a batch pays for them once. What goes
back to the build is only what the summary and the manifest need, never the files' bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from . import guide, speech
from .catalogs import Layout, leaflet_template
from .config import Config
from .errors import LeafletError, Unwritable
from .fsutil import atomic_write, open_folder, read_limited
from .locales import SOURCE_LOCALE
from .localize import build_date, completeness, localize, templates_for, version_stamp
from .manifest import Written, locked, written
from .reader import read
from .seal import TEMPLATES, Seal, keep, open_cache
from .speech import Engine, Voice, spoken
from .speech.cache import SpeechCache, default_root


@dataclass(frozen=True)
class Settings:
    """What every task of a build shares (sent once to each worker process)."""

    layout: Layout
    config: Config
    out: Path
    font_size: float = 18.0
    paper: str = "auto"
    engine: str | None = None  # None: no audio in this build
    rate: int = speech.DEFAULT_RATE
    loudness: float = -19.0
    cache: Path | None = None
    allow_incomplete: bool = False
    seal: Seal | None = None  # the cache's, opened once by the build: no worker reads the key again
    threads: int = 0  # threads a guide's steps are made ready on (0: one per core); batch sets it per process


@dataclass(frozen=True)
class Task:
    """One output to make."""

    domain: str
    source: Path
    locale: str
    format: str  # "pdf" | "audio"
    inputs: str  # the combined digest the manifest records
    depends: tuple[tuple[str, str], ...]
    voice: Voice | None = None
    gate: bool = False  # a default locale: check its catalogs and fonts here, and refuse rather than fail


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
class Result:
    task: Task
    state: str  # "built" | "refused" | "failed"
    output: Output | None = None
    files: list[Written] = field(default_factory=list)
    reason: str = ""  # why it was refused or failed, one line
    error: LeafletError | None = None
    detail: str = ""  # a bug's traceback, for -v
    synthesized: int = 0
    cached: int = 0
    steps_encoded: int = 0  # audio guide steps made ready (normalized, encoded, checked) ...
    steps_cached: int = 0  # ... and read back from the step cache
    worker: int = 0  # the worker process that made it (its pid; 0: the build's own process) ...
    peak_rss: int = 0  # ... and that process's peak memory so far, in bytes


class Maker:
    """Makes tasks one after another in this process."""

    def __init__(self, settings: Settings, engine: Engine | None = None, catch_bugs: bool = True):
        self.settings = settings
        self.catch_bugs = catch_bugs
        self.engine = engine if engine is not None else (speech.get(settings.engine) if settings.engine else None)
        from .render import steps  # numpy: not for a build that makes nothing

        self.cache = SpeechCache(settings.cache, settings.seal)
        self.steps = steps.StepCache(steps.default_root(self.cache.root), self.cache.seal)
        self._rules: dict[str, spoken.Rules] = {}
        self._checked: dict[tuple[str, str], str | None] = {}  # (domain, locale) -> the first check error
        self._fonts: dict[str, str | None] = {}  # locale -> why no font covers it

    def make(self, task: Task) -> Result:
        where = f"{task.source} [{task.locale}]"
        try:
            procedure = read(task.source, self.settings.config.headings)
            if task.gate and (reason := self._refusal(procedure, task)) is not None:
                return Result(task, "refused", reason=reason)
            doc = localize(procedure, task.locale, self.settings.layout)
            before = (self.cache.misses, self.cache.hits, self.steps.misses, self.steps.hits)
            output, files = (self._pdf if task.format == "pdf" else self._audio)(doc, task)
            made = self._write(files, task.format == "audio")
            return Result(task, "built", output, made, synthesized=self.cache.misses - before[0],
                          cached=self.cache.hits - before[1], steps_encoded=self.steps.misses - before[2],
                          steps_cached=self.steps.hits - before[3])
        except LeafletError as error:
            if error.where is None:
                error.where = where
            return Result(task, "failed", reason=str(error), error=error)
        except MemoryError:  # not a bug: the system had no more to give (other work, a limit on this process)
            error = LeafletError("the system ran out of memory while making it", where=where,
                                 hint="build it with fewer --jobs, or where more memory is free")
            return Result(task, "failed", reason=str(error), error=error)
        except Exception as error:  # a bug: this output fails, the others go on
            if not self.catch_bugs:
                raise
            return Result(task, "failed", reason=f"internal error: {type(error).__name__}: {error} (a bug in leaflet)",
                          detail=traceback.format_exc())

    def _refusal(self, procedure, task: Task) -> str | None:
        """Why a default locale is not built (its catalogs are incomplete or wrong, or no font writes it)."""
        if not self.settings.allow_incomplete:
            templates = templates_for(procedure, leaflet_template_for(self.settings.cache, self.settings.seal))
            untranslated, fuzzy = completeness(self.settings.layout, task.locale, templates)
            if (untranslated, fuzzy) != (0, 0):
                return (f"the catalogs have {untranslated} untranslated and {fuzzy} fuzzy messages (finish them, or"
                        f" build it with -l {task.locale} --allow-incomplete)")
            if (error := first_error(self.settings.layout, task.locale, templates, self._checked)) is not None:
                return error
        if task.format == "pdf":
            if task.locale not in self._fonts:
                from .render.fonts import FontSet

                try:
                    FontSet(task.locale, self.settings.config.fonts)
                    self._fonts[task.locale] = None
                except LeafletError as error:
                    self._fonts[task.locale] = str(error)
            return self._fonts[task.locale]
        return None

    def _pdf(self, doc, task: Task) -> tuple[Output, list[tuple[Path, bytes]]]:
        from .render.pdf import PdfOptions, render_counted

        options = PdfOptions(self.settings.font_size, self.settings.paper)
        data, pages = render_counted(doc, self.settings.config, options, where=f"{task.source} [{task.locale}]")
        target = self.settings.out / doc.domain / doc.locale / f"{doc.domain}.pdf"
        return Output(doc.domain, doc.locale, "pdf", target, pages, doc.draft, doc.missing), [(target, data)]

    def _audio(self, doc, task: Task) -> tuple[Output, list[tuple[Path, tuple[bytes, ...]]]]:
        from .render.audio import Tags, iso639_2, render_guide

        engine, config = self.engine, self.settings.config
        script = guide.script(doc, self._rules_for(doc.locale), config.clinic, config.phone, self._rules_for(SOURCE_LOCALE))
        others = {}
        if any(line.lang == SOURCE_LOCALE for step in script.steps for line in step.lines):
            others[SOURCE_LOCALE] = engine.voice_for(SOURCE_LOCALE)
        tags = Tags(title=doc.title, clinic=config.clinic, language=iso639_2(doc.locale), date=build_date().isoformat(),
                    stamp=version_stamp(doc), summary=script.summary)
        made = render_guide(script, engine, task.voice, self.settings.rate, self.cache, tags, others, self.settings.loudness,
                            self.steps, self.settings.threads)
        folder = self.settings.out / doc.domain / doc.locale / "audio"
        output = Output(doc.domain, doc.locale, "audio", folder / f"{doc.domain}.mp3", draft=doc.draft,
                        missing=doc.missing, seconds=made.seconds, steps=len(script.steps),
                        voice=f"{engine.name} {task.voice.name}", lufs=made.lufs)
        files = [(folder / name, data) for name, data in made.files.items()]
        # beside the transcript: what the voice says where it differs from the text, for the reviewer
        return output, files + [(folder / f"{doc.domain}.spoken.txt", script.differences().encode("utf-8"))]

    def _rules_for(self, locale: str) -> spoken.Rules:
        if locale not in self._rules:
            self._rules[locale] = spoken.load(self.settings.layout.root, locale)
        return self._rules[locale]

    def _write(self, files: list[tuple[Path, bytes | tuple[bytes, ...]]], audio: bool) -> list[Written]:
        """Every file of the output, each atomically (the digest recorded is of the bytes written), then the steps
        gone from a guide; under OUT's lock, so that another build writing the same output does not mix its files
        with these (espeak-ng's samples differ a little from one take to the next)."""
        made, out = [], self.settings.out
        try:
            with locked(out):
                for target, data in files:
                    info = atomic_write(target, data, inside=out)
                    made.append(written(out, target, _sha256(data), info))
                if audio:
                    _remove_stale_steps(out, files[0][0].parent, {path.name for path, _ in files})
        except OSError as error:
            raise Unwritable.because(error) from None
        return made


def _sha256(data: bytes | tuple[bytes, ...]) -> str:
    """The digest of a file's bytes, given whole or in pieces."""
    digest = hashlib.sha256()
    for piece in (data,) if isinstance(data, bytes) else data:
        digest.update(piece)
    return digest.hexdigest()


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
                f"the {locale} catalog for {domain} has {len(errors)} error{'s' if len(errors) != 1 else ''} that"
                f" 'leaflet check' finds, the first:"
                f" {errors[0].line()}"
            ) if errors else None
        if checked[(domain, locale)]:
            return checked[(domain, locale)]
    return None


_TEMPLATE: list = []


def leaflet_template_for(cache: Path | None, seal: Seal | None = None):
    """The leaflet wording's template, which completeness is counted against: extracted from leaflet's source
    (about 0.4 s), so kept once per process and on disk beside the speech cache, named by a digest of that
    source (a changed leaflet extracts it anew) and sealed with the cache's secret (`seal`, or the cache's own
    opened here). A damaged, edited, re-sealed, unreadable or unwritable copy costs only the extraction: it never
    changes what counts as complete."""
    if _TEMPLATE:
        return _TEMPLATE[0]
    from .catalogs import serialize
    from .inputs import code

    root = cache or default_root()
    seal = seal or open_cache(root)
    path = Path(root).parent / TEMPLATES / f"leaflet-{code()}.pot"
    template = _kept_template(path, seal)
    if template is None:
        template = leaflet_template()
        data = serialize(template, document=False)
        keep(path, _SEAL + seal.of("template", path.name, data) + b"\n" + data)
    _TEMPLATE.append(template)
    return template


_SEAL = b"# leaflet template hmac-sha256 "
TEMPLATE_LIMIT = 2**20  # bytes: the copy is some 5 kB


def _kept_template(path: Path, seal: Seal):
    """The copy on disk if it is byte for byte the one extracted and sealed with this cache's secret (a PO comment
    line carries the seal), else None. Read once, never through a link, never waiting on a pipe."""
    from .catalogs import read_catalog

    try:
        head, _, data = read_limited(path, TEMPLATE_LIMIT, "leaflet template copy", follow=False).partition(b"\n")
    except LeafletError:
        return None
    if not (head.startswith(_SEAL) and seal.verifies(head.removeprefix(_SEAL), "template", path.name, data)):
        return None
    try:
        return read_catalog(path, data=data)
    except LeafletError:
        return None


_STEP_FILE = re.compile(r"\d\d-[a-z]+\.mp3")


def _remove_stale_steps(out: Path, audio: Path, written_names: set[str]) -> None:
    """A step that is gone from the guide (its section was removed) must not linger beside the new ones. Only a
    regular file or a link is removed (the link itself, never what it points to: a link under a step's name would
    serve the patient another file), and only in the guide's own folder inside OUT, opened as `atomic_write`
    opens it: never a folder a link planted in OUT points to."""
    with open_folder(audio, inside=out) as where:
        with os.scandir(where) as entries:
            stale = [entry.name for entry in entries if _STEP_FILE.fullmatch(entry.name)
                     and entry.name not in written_names
                     and (entry.is_file(follow_symlinks=False) or entry.is_symlink())]
        for name in stale:
            os.unlink(name, dir_fd=where)
