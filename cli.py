"""The `leaflet` command: a thin Typer adapter over the leaflet library. Only this module prints."""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

# Ctrl-C while the command is still starting ends it quietly, with nothing written yet (not a traceback from
# inside an import); main() puts Python's own handler back.
signal.signal(signal.SIGINT, lambda signum, frame: os._exit(128 + signum))

import typer  # noqa: E402

import leaflet  # noqa: E402
from leaflet.errors import LeafletError  # noqa: E402

if TYPE_CHECKING:
    from leaflet.model import Procedure

# The library is imported by the commands that use it: `leaflet --help` answers without loading Babel,
# ReportLab or numpy.

app = typer.Typer(
    name="leaflet",
    help="Turn a medical procedure description into patient leaflets and audio guides in many languages.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # leaflet text must never spill into a crash dump
    rich_markup_mode=None,  # plain help: Rich's help renderer alone doubled the time `leaflet --help` takes
)


# What a terminal would take as a command, not text: control characters (ESC starts one: a file named with
# "\x1b]0;..." retitled the window, "\x1b[31m" coloured what followed) and the bidi overrides that reorder a line.
# File names, catalog text and a document's words reach messages; each such character is shown as its code.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _shown(text: str) -> str:
    return _UNSHOWABLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", str(text))


def _echo(text: str = "", err: bool = False) -> None:
    typer.echo(_shown(text), err=err)


class _Output:
    verbosity = 1  # 0 quiet, 1 normal, 2 verbose

    def info(self, text: str) -> None:
        if self.verbosity >= 1:
            _echo(text)

    def detail(self, text: str) -> None:
        if self.verbosity >= 2:
            _echo(text)

    def warn(self, text: str) -> None:
        if self.verbosity >= 1:
            _echo(f"leaflet: warning: {text}", err=True)


out = _Output()

TRANSLATIONS = typer.Option(
    Path("translations"), "--translations", help="The catalogs folder.", metavar="DIR", show_default=True
)


def _layout(root: Path):
    from leaflet.catalogs import Layout

    return Layout(root)


def _version(value: bool) -> None:
    if value:
        _echo(f"leaflet {leaflet.__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Print more detail."),
) -> None:
    """Turn a medical procedure description into patient leaflets and audio guides in many languages.

    Example: leaflet extract assets/procedures && leaflet status
    """
    out.verbosity = 0 if quiet else 2 if verbose else 1


def _warnings(procedures: list[Procedure]) -> None:
    for procedure in procedures:
        for warning in procedure.warnings:
            out.warn(warning)


@app.command()
def inspect(
    file: Path = typer.Argument(..., help="A procedure description (.txt, .md or .docx).", metavar="FILE"),
    as_json: bool = typer.Option(False, "--json", help="Print the parsed document as JSON."),
    explain: bool = typer.Option(False, "--explain", help="Say why each line was read as it was (heading, item, ...)."),
) -> None:
    """Show how leaflet reads a procedure description.

    Example: leaflet inspect clinic/tooth-extraction.docx --explain
    """
    from leaflet.reader import read, safety_warnings

    procedure = read(file, explain=explain)
    _warnings([procedure])
    for warning in safety_warnings(procedure):
        out.warn(warning)
    if as_json:
        typer.echo(json.dumps(procedure.to_dict(), ensure_ascii=False, indent=2))
    elif explain:
        _echo(_explanation(procedure))
    else:
        _echo(_outline(procedure))


def _explanation(procedure: Procedure) -> str:
    """One line per line of the source (a paragraph of a Word document): how the reader took it."""
    unit = "paragraph" if procedure.source.lower().endswith(".docx") else "line"
    return "\n".join(f"{unit} {line}: {how}" for line, how in procedure.notes)


def _outline(procedure: Procedure) -> str:
    data = procedure.to_dict()
    lines = [f"{data['domain']}  ({procedure.source})"]
    for label, key in (
        ("Title", "title"),
        ("CPT code", "code"),
        ("Name", "name"),
        ("Common names", "common_names"),
        ("Medical terms", "medical_terms"),
    ):
        lines.append(f"  {label}: {data[key] or '(none)'}")
    lines.append(f"  Sections: {len(procedure.sections)}")
    for section in procedure.sections:
        lines.append(f"  [{section.key}] {section.heading}  (line {section.line})")
        numbers = {0: 0, 1: 0}
        for block in section.blocks:
            indent = "      " + "    " * block.level
            if block.kind == "paragraph":
                lines.append(f"{indent}{block.text}")
                continue
            numbers[block.level] += 1
            if block.level == 0:
                numbers[1] = 0
            number = numbers[block.level]
            mark = (f"{number}." if block.level == 0 else f"{chr(96 + number)}.") if block.ordered and number <= 26 else "-"
            lines.append(f"{indent}{mark} {block.text}")
    return "\n".join(lines)


@app.command()
def extract(
    files: List[Path] = typer.Argument(..., help="Procedure files or folders of them.", metavar="FILE"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="DIR", help="Where to write the .pot files; by default the catalogs folder."),
    translations: Path = TRANSLATIONS,
) -> None:
    """Extract the messages to translate into DIR/<domain>.pot (and leaflet.pot).

    Example: leaflet extract assets/procedures/hip-joint-denervation.txt -o translations
    """
    from leaflet import translate

    procedures, reports = translate.extract(files, _layout(output or translations))
    _warnings(procedures)
    for report in reports:
        state = "wrote" if report.written else "unchanged"
        out.info(f"{state} {report.path} ({report.messages} messages)")


@app.command()
def init(
    file: List[Path] = typer.Argument(..., help="Procedure files or folders of them.", metavar="FILE"),
    locale: str = typer.Option(..., "--locale", "-l", help="The language to translate into, e.g. es, pt-BR, zh-Hans."),
    translations: Path = TRANSLATIONS,
) -> None:
    """Start a translation: create <locale>/LC_MESSAGES/<domain>.po, pre-filled from the locale's other catalogs.

    Example: leaflet init assets/procedures/hip-joint-denervation.txt -l es
    """
    from leaflet import translate

    procedures, reports = translate.init(file, locale, _layout(translations))
    _warnings(procedures)
    for report in reports:
        out.info(f"created {report.path}")
        _merge_detail(report)


def _merge_detail(report) -> None:
    if report.from_memory or report.fuzzy or report.refused_negation:
        out.info(
            f"  from memory: {report.from_memory} translated, {report.fuzzy} fuzzy to check"
            + (f", {report.refused_negation} close matches not offered (a negation word differs)" if report.refused_negation else "")
        )


@app.command()
def update(
    files: Optional[List[Path]] = typer.Argument(None, help="Procedure files or folders; without them, every template.", metavar="FILE"),
    translations: Path = TRANSLATIONS,
) -> None:
    """Re-extract and merge new messages into every existing catalog; nothing translated is lost.

    Changed messages become fuzzy with the previous source kept (#| msgid), removed ones obsolete (#~).

    Example: leaflet update assets/procedures/hip-joint-denervation.txt
    """
    from leaflet import translate

    procedures, reports = translate.update(files or [], _layout(translations))
    _warnings(procedures)
    for report in reports:
        if report.skipped:
            out.warn(f"{report.path}: not updated: {report.skipped}")
            continue
        out.info(f"{'updated' if report.written else 'unchanged'} {report.path}")
        _merge_detail(report)
        out.detail(f"  kept {report.kept} translations, {report.obsolete} obsolete")
    if not reports:
        out.info("no catalogs to update yet; start one with 'leaflet init FILE -l LOCALE'")


@app.command(name="compile")
def compile_(translations: Path = TRANSLATIONS) -> None:
    """Compile every .po under the catalogs folder to a .mo beside it (fuzzy entries left out).

    Example: leaflet compile --translations translations
    """
    from leaflet import translate

    paths = translate.compile_all(_layout(translations))
    for path in paths:
        out.detail(f"wrote {path}")
    out.info(f"compiled {len(paths)} catalogs")


@app.command()
def status(
    files: Optional[List[Path]] = typer.Argument(None, help="Procedure files or folders; without them, every catalog.", metavar="FILE"),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list."),
    translations: Path = TRANSLATIONS,
) -> None:
    """Show how much of each catalog is translated, and whether it is reviewed or a draft, per domain and locale;
    then each locale's pronunciation list: its entries, what 'leaflet check' finds, and whether the review heard it.

    Example: leaflet status --json
    """
    from leaflet import translate

    rows = translate.status(files or [], _layout(translations))
    lists = translate.list_states(_layout(translations), rows)
    if as_json:
        typer.echo(json.dumps([{**r.to_dict(), "pronunciation": lists[r.locale].to_dict()} for r in rows], indent=2))
        return
    if not rows:
        out.info(f"no catalogs under {translations}; start one with 'leaflet init FILE -l LOCALE'")
        return
    width = max(len(r.domain) for r in rows)
    _echo(f"{'domain':<{width}}  locale   translated  fuzzy  untranslated  obsolete  percent  review")
    for r in rows:
        _echo(
            f"{r.domain:<{width}}  {r.locale:<7}  {r.translated:>10}  {r.fuzzy:>5}  {r.untranslated:>12}"
            f"  {r.obsolete:>8}  {r.percent:>6.1f}%  {r.review.describe()}"
        )
    _echo("")
    _echo("pronunciation list  locale   entries  check                  review")
    for state in lists.values():
        _echo(f"{'present' if state.path else 'none':<18}  {state.locale:<7}  {state.entries:>7}  {state.check:<21}"
                   f"  {state.describe_review}")


@app.command()
def check(
    files: Optional[List[Path]] = typer.Argument(None, help="PO files or folders of them; without them, every catalog.", metavar="FILE"),
    locale: Optional[List[str]] = typer.Option(None, "--locale", "-l", help="Only this locale (repeat for more)."),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    translations: Path = TRANSLATIONS,
) -> None:
    """Check translations before they reach a patient: exit status 1 if any error is found.

    Errors: a number missing or changed, a {placeholder} missing or added, a translation that is only white
    space or has nothing visible, markup-like text or an invisible character the source does not have, more than
    4 combining marks on one letter, a footer line too long for two lines, a PO file that does not parse or is
    over 4 MB. Warnings: fuzzy,
    untranslated, same as the source, length far from the source's, end punctuation changed, a fuzzy entry whose
    source changed a negation, and hard reading. One line per finding.

    Pronunciation lists (<locale>/pronunciation.toml) are checked too: an entry whose spoken form changes, adds
    or drops a number or a negation word, or whose written form is blank, is an error; one over 10 times as long
    as what it replaces, or over 200 characters, is a warning.

    Example: leaflet check translations/es/LC_MESSAGES/hip-joint-denervation.po --json
    """
    from leaflet.checks import check_files

    report = check_files(files or [], _layout(translations), locale or None)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            if finding.severity == "error" or out.verbosity >= 1:
                _echo(finding.line())
        lists = f" and {report.lists} pronunciation lists" if report.lists else ""
        out.info(f"checked {report.catalogs} catalogs{lists}: {report.errors} errors, {report.warnings} warnings")
    if report.errors:
        raise typer.Exit(1)


@app.command()
def review(
    files: List[Path] = typer.Argument(..., help="Procedure files (their catalogs and the leaflet wording) or PO files.", metavar="FILE"),
    locale: str = typer.Option(..., "--locale", "-l", help="The locale reviewed."),
    by: str = typer.Option(..., "--by", help="The reviewer: a qualified medical translator, not the translator.", metavar="NAME"),
    date: Optional[str] = typer.Option(None, "--date", help="When the review was done (YYYY-MM-DD); by default today.", metavar="DATE"),
    translations: Path = TRANSLATIONS,
) -> None:
    """Record that a qualified medical translator reviewed a locale's catalogs as they are now.

    The review is kept in the PO header (X-Reviewed-By, X-Reviewed-Date). Leaflets built from reviewed catalogs
    name the reviewer and date in the footer instead of the draft line. Any later change to a translated message
    returns the catalog to draft. A catalog with untranslated or fuzzy messages, or with errors from
    'leaflet check', cannot be reviewed.

    Example: leaflet review assets/procedures/hip-joint-denervation.txt -l es --by "Ana Ruiz, CHI"
    """
    from leaflet import translate

    reports = translate.review(files, locale, by, _layout(translations), date=date)
    for report in reports:
        again = " (again)" if report.before.state != "draft" else ""
        out.info(f"{report.path}: {report.after.describe()}{again}")


@app.command()
def build(
    files: List[Path] = typer.Argument(..., help="Procedure files or folders of them.", metavar="FILE_OR_DIR"),
    locale: Optional[List[str]] = typer.Option(
        None, "--locale", "-l", help="A locale to build (repeat for more); by default English and every locale whose catalogs are complete."
    ),
    all_locales: bool = typer.Option(
        False, "--all-locales", help="Every locale of the catalogs folder for every procedure; the summary names each one not built and why."
    ),
    fmt: str = typer.Option("all", "--format", help="pdf, audio or all.", metavar="pdf|audio|all"),
    output: Path = typer.Option(Path("out"), "--output", "-o", metavar="OUT", help="Output folder."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", metavar="N", help="Outputs made at once, in separate processes; by default, and at most, the number of cores."),
    force: bool = typer.Option(False, "--force", help="Make everything again, even what OUT/manifest.json says is up to date."),
    font_size: Optional[float] = typer.Option(None, "--font-size", help="Body text size in points, 16 to 36; by default 18, or the config's."),
    paper: Optional[str] = typer.Option(None, "--paper", help="a4 or letter; by default from the locale's country.", metavar="a4|letter"),
    config_path: Optional[Path] = typer.Option(None, "--config", metavar="PATH", help="A leaflet.toml; by default ./leaflet.toml, else the shipped assets/leaflet.toml."),
    allow_incomplete: bool = typer.Option(False, "--allow-incomplete", help="Build a locale whose catalogs are not complete; the English text stands in."),
    engine: str = typer.Option(
        "espeak", "--engine", metavar="espeak|gtts",
        help="The voice of the audio guide: espeak (offline, the default) or gtts (Google Translate's voice: sends the text to Google over the internet).",
    ),
    rate: Optional[int] = typer.Option(None, "--rate", metavar="WPM", help="Speaking rate in words a minute, 80 to 220; by default 135, the patient rate (espeak only)."),
    loudness: float = typer.Option(-19.0, "--loudness", metavar="LUFS", help="The guide's integrated loudness, -24 to -14; -19 suits speech (use -23 for broadcast, EBU R128)."),
    translations: Path = TRANSLATIONS,
) -> None:
    """Build large-print PDF leaflets and spoken audio guides, in parallel, making only what changed.

    Writes OUT/<domain>/<locale>/<domain>.pdf and, for audio, OUT/<domain>/<locale>/audio/: one MP3 per step,
    <domain>.mp3 with chapters, <domain>.m3u8, a WebVTT transcript, the spoken script and <domain>.spoken.txt (what
    the voice says where it differs from the text, for the reviewer). OUT/manifest.json
    records what each file was made from: a rebuild skips what is up to date. A locale with no voice in the
    chosen engine still gets its PDF. One output failing does not stop the others (exit status 1). With
    --engine gtts the text is sent to Google.

    Example: leaflet build assets/procedures -l ar -l zh-Hans --format all -o out --jobs 2
    """
    from leaflet.batch import default_jobs
    from leaflet.build import AudioOptions
    from leaflet.build import build as build_all
    from leaflet.config import load as load_config

    if paper is not None and paper.lower() not in ("a4", "letter"):
        raise LeafletError(f"--paper must be a4 or letter, not {paper!r}")
    if jobs is not None and jobs < 1:
        raise LeafletError(f"--jobs must be 1 or more, not {jobs}")
    shown = _BuildProgress()
    try:
        report = build_all(
            files,
            layout=_layout(translations),
            config=load_config(config_path),
            out=output,
            locales=locale or None,
            fmt=fmt.lower(),
            font_size=font_size,
            paper=paper,
            allow_incomplete=allow_incomplete,
            audio=AudioOptions(engine=engine.lower(), rate=rate, loudness=loudness),
            all_locales=all_locales,
            jobs=jobs or default_jobs(),
            force=force,
            keep_going=True,
            progress=shown,
        )
    except KeyboardInterrupt:
        shown.stop()
        raise _Interrupted("what was finished is kept in the manifest; run the same command to make the rest") from None
    finally:
        shown.stop()
    for warning in report.warnings:
        out.warn(warning)
    if report.synthesized or report.cached:
        out.detail(f"speech: {report.synthesized} sentences synthesized, {report.cached} from the cache")
    if report.steps_encoded or report.steps_cached:
        out.detail(f"steps: {report.steps_encoded} encoded, {report.steps_cached} from the step cache")
    for refusal in report.refused:
        if report.refused_asked:
            _echo(f"leaflet: error: {refusal}", err=True)
        else:
            out.warn(refusal)
    for detail in report.details:
        out.detail(detail)
    for unreadable in report.unreadable:  # its leaflets were not made; the others were
        _echo(f"leaflet: error: {unreadable}", err=True)
    if out.verbosity >= 1:
        _echo(_summary(report))
    if report.refused_asked or report.failed or report.unreadable:
        raise typer.Exit(1)


def _wrote(item) -> str:
    extra = ", draft translation" if item.draft else ""
    if item.missing:
        extra += f", {item.missing} messages in English (incomplete catalog)"
    if item.format == "audio":
        minutes, seconds = divmod(round(item.seconds), 60)
        return f"wrote {item.path} ({item.steps} steps, {minutes}:{seconds:02d}, {item.voice}{extra})"
    return f"wrote {item.path} ({item.pages} pages{extra})"


class _BuildProgress:
    """A progress bar on a terminal (outputs made, time left), plain lines otherwise; a failure is an error line
    on stderr as soon as it happens."""

    def __init__(self):
        self.bar = None
        self.task = None

    def notes(self, notes: list[str]) -> None:
        for note in notes:  # before the first sentence goes to Google, not after
            out.info(f"note: {note}")

    def start(self, total: int, up_to_date: int) -> None:
        if total > 1 and out.verbosity >= 1 and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(), TextColumn("outputs"),
                                TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("build", total=total)

    def done(self, result) -> None:
        if result.state == "failed":
            self._print(f"leaflet: error: {result.reason}", err=True)
        elif result.state == "built" and (self.bar is None or out.verbosity >= 2):
            self._print(_wrote(result.output))
        if self.bar is not None:
            self.bar.advance(self.task)

    def _print(self, text: str, err: bool = False) -> None:
        if self.bar is not None:
            self.bar.console.print(_shown(text), markup=False, highlight=False, soft_wrap=True)
        elif err or out.verbosity >= 1:
            _echo(text, err=err)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _summary(report) -> str:
    """The build at a glance: how many of each format were built, up to date, refused or failed."""
    formats = ("pdf", "audio")
    counts = {
        "built": [sum(1 for o in report.outputs if o.format == f) for f in formats],
        "up to date": [sum(1 for u in report.up_to_date if u.format == f) for f in formats],
        "refused": [sum(1 for u in report.not_built if u.format == f) + (len(report.refused) if f == "audio" else 0) for f in formats],
        "failed": [sum(1 for u in report.failed if u.format == f) for f in formats],
    }
    lines = [f"{'':<12}{'pdf':>6}{'audio':>7}"]
    lines += [f"{state:<12}{pdf:>6}{audio:>7}" for state, (pdf, audio) in counts.items()]
    for unmade in report.failed:
        lines.append(f"failed: {unmade.domain} {unmade.locale} {unmade.format}: {unmade.reason}")
    lines += [f"not read: {unreadable}" for unreadable in report.unreadable]
    for unmade in report.not_built:
        lines.append(f"refused: {unmade.domain} {unmade.locale} {unmade.format}: {unmade.reason}")
    together = "the build and its workers, each at its own peak, added up" if report.jobs else "the build"
    lines.append(f"{report.seconds:.1f} s with {report.jobs or 1} jobs; peak memory {report.peak_rss / 2**20:.0f} MB"
                 f" ({together})")
    return "\n".join(lines)


@app.command()
def voices(
    engine: Optional[str] = typer.Option(None, "--engine", metavar="espeak|gtts", help="Only this engine."),
    translations: Path = TRANSLATIONS,
) -> None:
    """List every shipped locale with the voice each speech engine would use for it, or why there is none.

    Nothing is sent anywhere: gtts's list of languages is part of the gTTS package.

    Example: leaflet voices --engine espeak
    """
    from leaflet.voices import voice_table

    rows, engines = voice_table(_layout(translations), [engine.lower()] if engine else None)
    table = [["locale", "language", *engines]] + [[row.locale, row.language, *(row.voices[e] for e in engines)] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    for line in table:
        _echo("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())


class _Interrupted(Exception):
    """Ctrl-C or SIGTERM in a command that has something to say about it (a build: what was kept)."""


_STOPPED_BY = [signal.SIGINT]  # the signal that ended the command: the exit status is 128 + its number


def _terminated(signum, frame) -> None:
    _STOPPED_BY[0] = signum
    raise KeyboardInterrupt  # `kill` ends a build as Ctrl-C does: what was made is kept, nothing half-written


def main() -> None:
    """Entry point: a usage error (exit 2) and leaflet's errors (exit 1) are one line on stderr each."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _terminated)
    try:
        # not standalone: Typer would print a usage error as four lines, and Ctrl-C as nothing at all
        status = app(standalone_mode=False)
    except typer.TyperException as exc:
        sys.exit(_usage_error(exc))
    except LeafletError as exc:
        _echo(f"leaflet: error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _echo(f"leaflet: error: {where}{exc.strerror or exc}", err=True)
        sys.exit(1)
    except (KeyboardInterrupt, typer.Abort):
        status = 130
    except _Interrupted as exc:
        _echo(f"leaflet: interrupted: {exc}", err=True)
        sys.exit(128 + _STOPPED_BY[0])
    except Exception as exc:  # a bug in leaflet, not the user's input: one line, the details on request
        if out.verbosity >= 2:
            raise
        _echo(
            f"leaflet: internal error: {type(exc).__name__}: {exc} (a bug in leaflet; run again with -v to see"
            " where, and please report it)",
            err=True,
        )
        sys.exit(70)
    if status == 130:  # Typer's word for a Ctrl-C it caught
        _echo("leaflet: interrupted", err=True)
        sys.exit(128 + _STOPPED_BY[0])
    sys.exit(status if isinstance(status, int) else 0)


def _usage_error(exc) -> int:
    """`leaflet` alone shows the help; any other usage error is one line naming the help to read."""
    if type(exc).__name__ == "NoArgsIsHelpError" or not hasattr(exc, "format_message"):
        exc.show()
        return getattr(exc, "exit_code", 2)
    context = getattr(exc, "ctx", None)
    command = context.command_path if context is not None else "leaflet"
    _echo(f"leaflet: error: {exc.format_message()} (see '{command} --help')", err=True)
    return exc.exit_code


if __name__ == "__main__":
    main()
