"""The floor a leaflet build is measured against: the same text drawn and spoken with no leaflet code in the way.

PDF: plain ReportLab (SimpleDocTemplate + Paragraph) draws the localized title, lead, headings, entries and staff
lines once, in leaflet's sizes, margins, paper and font files: no shaping, bidi, tagging, second pass or pikepdf.
Audio: espeak-ng speaks each line of leaflet's spoken script, and lameenc encodes the speech once at leaflet's
settings: no cache, trimming, pauses, loudness, limiter, steps or tags. Localizing and making the script are
leaflet's work and are not timed. The floor is a lower bound of cost, not a correct leaflet: Arabic and Devanagari
are drawn unshaped.

Run: .venv/bin/python bench/floor.py [locale...]   (the shipped seed; en and es by default)
"""

from __future__ import annotations

import io
import multiprocessing
import sys
import time
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportlab.lib.enums import TA_LEFT, TA_RIGHT  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402

from leaflet import guide, speech  # noqa: E402
from leaflet.catalogs import Layout  # noqa: E402
from leaflet.config import Config, load  # noqa: E402
from leaflet.errors import EngineError  # noqa: E402
from leaflet.locales import SOURCE_LOCALE  # noqa: E402
from leaflet.localize import Localized, localize  # noqa: E402
from leaflet.reader import read  # noqa: E402
from leaflet.render import sound  # noqa: E402
from leaflet.render.fonts import Face, FontSet  # noqa: E402
from leaflet.render.pdf import paper_for  # noqa: E402
from leaflet.speech import DEFAULT_RATE, spoken  # noqa: E402

SEED = ROOT / "assets" / "procedures" / "hip-joint-denervation.txt"
MARGIN = 25 * mm
LEADING = 1.5
CJK_SCRIPTS = {"Hans", "Hant", "Jpan"}  # written without spaces: ReportLab breaks them anywhere only when told

_registered: set[str] = set()


def _font(face: Face) -> str:
    """A face registered with ReportLab under a name of the floor's own, once per process (not timed)."""
    name = f"floor-{face.name}"
    if name not in _registered:
        pdfmetrics.registerFont(TTFont(name, str(face.path), subfontIndex=face.index))
        _registered.add(name)
    return name


def _styles(fonts: FontSet, size: float) -> dict[str, ParagraphStyle]:
    regular, bold = _font(fonts.main.regular), _font(fonts.main.bold)
    common = dict(
        alignment=TA_RIGHT if fonts.rtl else TA_LEFT,
        wordWrap="CJK" if fonts.script in CJK_SCRIPTS else None,
    )
    marks = dict(bulletFontName=regular, bulletFontSize=size)  # nothing on the page smaller than the body

    def style(name: str, font: str, points: float, **more) -> ParagraphStyle:
        leading = points * LEADING
        return ParagraphStyle(name, fontName=font, fontSize=points, leading=leading, spaceAfter=leading, **common, **more)

    return {
        "h1": style("h1", bold, size + 4),
        "h2": style("h2", bold, size + 2),
        "body": style("body", regular, size),
        "item": style("item", regular, size, leftIndent=size * 1.5, bulletIndent=0, **marks),
        "nested": style("nested", regular, size, leftIndent=size * 2.7, bulletIndent=size * 1.2, **marks),
    }


def _story(doc: Localized, styles: dict[str, ParagraphStyle], bullet: str) -> list[Paragraph]:
    """Every paragraph of the leaflet's own text, in its order: title, lead, each part, the staff lines."""
    story = [Paragraph(escape(doc.title), styles["h1"])]

    def entries(items) -> None:
        number = 0
        for entry in items:
            if entry.kind != "item":
                number = 0
                story.append(Paragraph(escape(entry.text), styles["body"]))
                continue
            number = 1 if entry.section_start else number + (entry.level == 0)
            mark = f"{number}." if entry.ordered and not entry.level else bullet
            story.append(Paragraph(escape(entry.text), styles["nested" if entry.level else "item"], bulletText=mark))

    entries(doc.lead)
    for part in doc.parts:
        story.append(Paragraph(escape(part.heading), styles["h2"]))
        entries(part.entries)
    story.extend(Paragraph(escape(f"{label}: {value}"), styles["body"]) for label, value in doc.staff)
    return story


def pdf_floor(procedure_path, locale: str, layout_root, config: Config | None = None) -> dict:
    """Plain ReportLab drawing the localized text once: {"seconds", "cpu_seconds", "bytes", "paragraphs"}. The
    config gives the type size, paper and font overrides (leaflet's defaults without one)."""
    config = config or Config()
    doc = localize(read(procedure_path), locale, Layout(Path(layout_root)))
    fonts = FontSet(doc.locale, config.fonts)
    styles = _styles(fonts, config.font_size)
    bullet = "\u2022" if fonts.main.regular.covers("\u2022") else "-"
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=paper_for(doc.locale, config.paper), leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN, bottomMargin=MARGIN, title=doc.title, invariant=1,
    )
    start, cpu = time.perf_counter(), time.process_time()
    story = _story(doc, styles, bullet)  # Paragraph() parses its text: ReportLab's work, so timed with the build
    count = len(story)
    template.build(story)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "bytes": len(buffer.getvalue()), "paragraphs": count}


def _encode(pcm: bytes, rate: int) -> bytes:
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(sound.BIT_RATE)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(sound.MP3_QUALITY)
    return bytes(encoder.encode(pcm) + encoder.flush())


def audio_floor(
    procedure_path, locale: str, layout_root, config: Config | None = None, rate: int = DEFAULT_RATE,
    checks: bool = False,
) -> dict | None:
    """espeak-ng speaking leaflet's script line by line, the speech encoded once: {"synth_seconds",
    "encode_seconds", "check_seconds", "seconds", "cpu_seconds", "audio_seconds" (length of the speech), "lines",
    "bytes"}; None for a locale espeak-ng has no voice for (fil). With `checks`, the encoded speech is also
    decoded and its loudness and true peak measured, as STANDARDS.md asks of the encoded file (leaflet's own
    meters): not part of the floor the issue defines, timed apart to show what the rules themselves cost."""
    config = config or Config()
    engine = speech.get("espeak")
    try:
        voices = {None: engine.voice_for(locale), SOURCE_LOCALE: engine.voice_for(SOURCE_LOCALE)}
    except EngineError:
        return None
    root = Path(layout_root)
    doc = localize(read(procedure_path), locale, Layout(root))
    rules, source_rules = spoken.load(root, doc.locale), spoken.load(root, SOURCE_LOCALE)
    script = guide.script(doc, rules, config.clinic, config.phone, source_rules)
    lines = [line for step in script.steps for line in step.lines]
    chunks, sample_rate = [], 0
    start, cpu = time.perf_counter(), time.process_time()
    for line in lines:  # English standing in for a missing translation is said by the English voice, as leaflet does
        said = engine.synthesize(line.spoken, voices.get(line.lang, voices[None]), rate)
        chunks.append(said.samples)
        sample_rate = said.rate
    synth, synth_cpu = time.perf_counter() - start, time.process_time() - cpu
    pcm = b"".join(chunks)
    start, cpu = time.perf_counter(), time.process_time()
    mp3 = _encode(pcm, sample_rate) if pcm else b""
    encode, encode_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    if checks and mp3:
        decoded, decoded_rate = sound.decode_mp3(mp3)
        sound.loudness(decoded, decoded_rate)
        sound.true_peak(decoded, decoded_rate)
    check, check_cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "synth_seconds": synth,
        "encode_seconds": encode,
        "check_seconds": check,
        "seconds": synth + encode + check,
        "cpu_seconds": synth_cpu + encode_cpu + check_cpu,
        "audio_seconds": len(pcm) / 2 / sample_rate if sample_rate else 0.0,
        "lines": len(lines),
        "bytes": len(mp3),
    }


def _floor_job(job: tuple, layout_root, config: Config, formats: tuple[str, ...],
               checks: bool = False) -> tuple[dict | None, dict | None]:
    path, locale = job
    pdf = pdf_floor(path, locale, layout_root, config) if "pdf" in formats else None
    audio = audio_floor(path, locale, layout_root, config, checks=checks) if "audio" in formats else None
    return pdf, audio


def _pool_context():
    """forkserver where there is one, else spawn: a worker starts clean, with its own espeak-ng and fonts."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def floor_all(jobs: list[tuple], layout_root, config: Config, formats=("pdf", "audio"), processes: int = 1,
              checks: bool = False) -> dict:
    """The floor of every (procedure path, locale) job, in `processes` worker processes. pdf_seconds and
    audio_seconds are the timed work summed over jobs; cpu_seconds the CPU time of that work; wall_seconds the
    whole call (worker start, localizing and the script included), to compare with a build run with --jobs N.
    Workers start by forkserver or spawn, so a script calling this with processes > 1 needs the
    `if __name__ == "__main__":` guard."""
    work = partial(_floor_job, layout_root=layout_root, config=config, formats=tuple(formats), checks=checks)
    start = time.perf_counter()
    if processes <= 1:
        results = [work(job) for job in jobs]
    else:
        with _pool_context().Pool(processes) as pool:
            results = pool.map(work, jobs, chunksize=1)
    wall = time.perf_counter() - start
    pdfs = [pdf for pdf, _ in results if pdf is not None]
    guides = [audio for _, audio in results if audio is not None]
    return {
        "pdf_seconds": sum(r["seconds"] for r in pdfs),
        "audio_seconds": sum(r["seconds"] for r in guides),
        "check_seconds": sum(r["check_seconds"] for r in guides),  # 0 without checks
        "wall_seconds": wall,
        "cpu_seconds": sum(r["cpu_seconds"] for r in pdfs + guides),
        "count": len(jobs),
        "pdfs": len(pdfs),
        "guides": len(guides),  # fewer than count where espeak-ng has no voice
        "speech_seconds": sum(r["audio_seconds"] for r in guides),
    }


def main() -> None:
    locales = sys.argv[1:] or ["en", "es"]
    config = load(ROOT / "assets" / "leaflet.toml")
    translations = ROOT / "translations"
    print(f"{'locale':<8} {'pdf s':>6} {'paras':>6} {'KB':>5} {'synth s':>8} {'encode s':>9} {'speech':>7} {'lines':>6}")
    for locale in locales:
        pdf_floor(SEED, locale, translations, config)  # the first drawing in a locale loads its font files
        pdf = pdf_floor(SEED, locale, translations, config)
        audio = audio_floor(SEED, locale, translations, config)
        spoken_part = f"{'no voice':>8}"
        if audio:
            minutes = audio["audio_seconds"] / 60
            spoken_part = f"{audio['synth_seconds']:8.2f} {audio['encode_seconds']:9.2f} {minutes:6.1f}m {audio['lines']:6d}"
        print(f"{locale:<8} {pdf['seconds']:6.3f} {pdf['paragraphs']:6d} {pdf['bytes'] // 1024:5d} {spoken_part}")


if __name__ == "__main__":
    main()
