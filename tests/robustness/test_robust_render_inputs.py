"""What the PDF writer draws from, made bad on purpose, through the real `leaflet` command (issue 21): a logo,
a font, a catalog or leaflet.toml that passed every check and then failed every leaflet with an internal error,
printed a grey box or a line down the page, or cost a gigabyte to read. Each is refused in one line naming the
file (and key or catalog line), with exit status 1 and nothing written to OUT.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from conftest import ROOT
from robust import refused, run, snapshot

ASSETS = ROOT / "assets"
WORDS = ROOT / "translations" / "es" / "LC_MESSAGES" / "leaflet.po"
# A short procedure with a part on when to get help: a build that succeeds says nothing on stderr.
SOURCE = """Knee check
Summary
A short visit checks your knee. It takes little time.
Procedure Description
1. You sit on the bed.
2. The nurse looks at your knee.
Recovery
- Go home the same day.
When to call us
- Call us if it hurts a lot.
"""
CLINIC = '[clinic]\nname = "Riverside Clinic"\nphone = "555 0199"\n'
GIGABYTE = 2**30
TIMEOUT = 30


@pytest.fixture
def clinic(tmp_path) -> Path:
    (tmp_path / "knee-check.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "leaflet.toml").write_text(CLINIC + 'logo = ""\n', encoding="utf-8")
    return tmp_path


def build(cwd: Path, *extra: str):
    return run("build", "knee-check.txt", "--format", "pdf", "-o", "out", *extra, cwd=cwd, timeout=TIMEOUT)


def refused_whole(cwd: Path, *extra: str, needles: tuple[str, ...] = ()) -> str:
    """A build refused in one line (each needle in it), leaving the folder as it was: no OUT, no temporary file."""
    before = snapshot(cwd)
    line = refused(build(cwd, *extra), *needles)
    assert snapshot(cwd) == before
    return line


def configure(cwd: Path, text: str) -> None:
    (cwd / "leaflet.toml").write_text(text, encoding="utf-8")


# --- the logo --------------------------------------------------------------------------------------


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_not_zlib() -> bytes:
    """A 16x16 PNG whose checksums are all right and whose picture data is no zlib stream."""
    header = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"this is no zlib stream " * 8) + chunk(b"IEND", b"")


def jpeg() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (200, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 180, 180), fill="navy")
    draw.rectangle((60, 60, 140, 140), fill="orange")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def jpeg_garbage_scan() -> bytes:
    """The picture data replaced by random bytes (no 0xFF, so no marker in it): Pillow decodes it without a word."""
    data = jpeg()
    scan = data.index(b"\xff\xda")
    start = scan + 2 + struct.unpack_from(">H", data, scan + 2)[0]
    rnd = random.Random(21)
    return data[:start] + bytes(rnd.randrange(255) for _ in range(len(data) - 2 - start)) + data[-2:]


def jpeg_lying_height() -> bytes:
    """A header that says 200x2000 over the data of 200x200: libjpeg draws the rest grey and only warns."""
    data = bytearray(jpeg())
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 7] = struct.pack(">H", 2000)
    return bytes(data)


BAD_LOGOS = {
    "png-idat-not-zlib": (png_not_zlib, "not a PNG or JPEG image that can be read whole"),
    "jpeg-garbage-scan": (jpeg_garbage_scan, "garbage in its JPEG picture data"),
    "jpeg-lying-height": (jpeg_lying_height, "ends before the picture does"),
}


def test_the_pillow_decoder_takes_the_garbage_jpeg_and_the_lie():
    """The cases are ones Pillow alone lets through (else the test would prove nothing of leaflet's own check)."""
    from PIL import Image

    for make in (jpeg_garbage_scan, jpeg_lying_height):
        with Image.open(io.BytesIO(make())) as image:
            image.load()


@pytest.mark.parametrize("case", BAD_LOGOS)
def test_a_damaged_logo_is_refused_when_the_configuration_is_read(clinic, case):
    make, needle = BAD_LOGOS[case]
    (clinic / "logo.img").write_bytes(make())
    configure(clinic, CLINIC + 'logo = "logo.img"\n')
    refused_whole(clinic, needles=("leaflet.toml", "clinic.logo", "logo.img", needle))


def leaflet_pdf(path: Path) -> tuple[int, str, list[str], list[tuple[int, int]]]:
    """What a reader gets from a leaflet: its number of pages, its text (poppler's pdftotext), its figures' alt
    texts (from the structure tree) and its images' sizes in pixels."""
    import subprocess

    import pikepdf

    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    figures: list[str] = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure":
                figures.append(str(node.get("/Alt", "")))
            walk(node.get("/K"))

    with pikepdf.open(path) as pdf:
        walk(pdf.Root.StructTreeRoot)
        images = [(int(image.Width), int(image.Height)) for page in pdf.pages for image in page.get_images().values()]
        return len(pdf.pages), text, figures, images


def test_a_good_jpeg_logo_builds(clinic):
    (clinic / "logo.jpg").write_bytes(jpeg())
    configure(clinic, CLINIC + 'logo = "logo.jpg"\n')
    result = build(clinic)
    assert result.returncode == 0 and not result.stderr, result
    pages, text, figures, images = leaflet_pdf(clinic / "out" / "knee-check" / "en" / "knee-check.pdf")
    assert pages >= 1 and text.startswith("Knee check\n") and "Call us if it hurts a lot." in text
    assert figures == ["Logo of Riverside Clinic"]
    assert images == [(200, 200)]  # the logo, drawn whole


def test_a_logo_padded_past_the_limit_is_refused_unread(clinic):
    logo = clinic / "logo.png"
    shutil.copy(ASSETS / "logo.png", logo)
    os.truncate(logo, GIGABYTE)  # sparse: no disk used, and a whole read would cost a gigabyte of memory
    configure(clinic, CLINIC + 'logo = "logo.png"\n')
    refused_whole(clinic, needles=("logo.png", "over 10 MB"))


def test_a_logo_over_the_pixel_limit_says_the_limit(clinic):
    header = struct.pack(">IIBBBBB", 5000, 5000, 8, 0, 0, 0, 0)
    data = zlib.compress(b"\x00" * 5001 * 5000)
    (clinic / "huge.png").write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b""))
    configure(clinic, CLINIC + 'logo = "huge.png"\n')
    refused_whole(clinic, needles=("huge.png", "5000x5000", "4000x4000"))


# --- fonts -----------------------------------------------------------------------------------------


def scrambled_font(path: Path) -> None:
    """DejaVu Sans (shipped) with its glyph table overwritten by random bytes; every checksum elsewhere intact."""
    data = bytearray((ASSETS / "fonts" / "DejaVuSans.ttf").read_bytes())
    count = struct.unpack_from(">H", data, 4)[0]
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"glyf":
            rnd = random.Random(21)
            data[offset : offset + length] = bytes(rnd.randrange(256) for _ in range(length))
    path.write_bytes(bytes(data))
    assert "glyf" in TTFont(str(path), lazy=True)  # still a font to fontTools


def test_a_font_with_a_scrambled_glyph_table_is_refused_naming_it(clinic):
    scrambled_font(clinic / "scrambled.ttf")
    configure(clinic, CLINIC + 'logo = ""\n[fonts.Latn]\nregular = "scrambled.ttf"\n')
    refused_whole(clinic, "-l", "en", needles=("scrambled.ttf", "this font is damaged"))
    # the same without -l: the English leaflet fails alone, in one line, never as an internal error
    result = build(clinic)
    assert "internal error" not in result.stderr + result.stdout
    refused(result, "scrambled.ttf", "this font is damaged")


def test_a_font_padded_past_the_limit_is_refused_unread(clinic):
    font = clinic / "padded.ttf"
    shutil.copy(ASSETS / "fonts" / "DejaVuSans.ttf", font)
    os.truncate(font, GIGABYTE)
    configure(clinic, CLINIC + 'logo = ""\n[fonts.Latn]\nregular = "padded.ttf"\n')
    refused_whole(clinic, "-l", "en", needles=("padded.ttf", "over 64 MB"))


# --- leaflet.toml: the clinic's fields and audio_url --------------------------------------------------


CLINIC_FIELDS = {
    "name-of-10000-marks": ('name = "e' + "\u0301" * 10_000 + '"\nphone = "555 0199"\n', "clinic.name"),
    "name-of-50-marks": ('name = "Riverside Clinice' + "\u0301" * 50 + '"\nphone = "555 0199"\n', "combining marks"),
    "name-zero-width": ('name = "\\u200b\\u200c\\u200d"\nphone = "555 0199"\n', "clinic.name has nothing visible"),
    "phone-zero-width": ('name = "Riverside Clinic"\nphone = "\\u2060\\ufeff\\u200b"\n', "clinic.phone has nothing visible"),
    "name-only-marks": ('name = "\\u0301\\u0302"\nphone = "555 0199"\n', "clinic.name has nothing visible"),
}


@pytest.mark.parametrize("case", CLINIC_FIELDS)
def test_a_clinic_field_that_cannot_be_drawn_is_refused_naming_the_key(clinic, case):
    fields, needle = CLINIC_FIELDS[case]
    configure(clinic, "[clinic]\n" + fields + 'logo = ""\n')
    refused_whole(clinic, needles=("leaflet.toml", needle))


BAD_URLS = {
    "javascript": ('"javascript:alert(1)"', "https://"),
    "file": ('"file:///etc/passwd"', "https://"),
    "data": ('"data:text/html,x"', "https://"),
    "no-host": ('"https:///guides/"', "https://"),
    "relative": ('"guides/{locale}/"', "https://"),
    "newline": ('"https://example.org/\\nguides/"', "U+000A"),
    "nul": ('"https://example.org/\\u0000/"', "U+0000"),
    "rlo": ('"https://example.org/\\u202egnp.exe"', "U+202E"),
    "space": ('"https://example.org/my guides/"', "U+0020"),
    "301-characters": ('"https://example.org/' + "a" * 281 + '"', "301 characters"),
    "user-before-host": ('"https://clinic.example@elsewhere.example/"', "user name"),
    "bad-port": ('"https://example.org:https/"', "not a web address"),
}


@pytest.mark.parametrize("case", BAD_URLS)
def test_a_bad_audio_url_is_refused_when_the_configuration_is_read(clinic, case):
    value, needle = BAD_URLS[case]
    configure(clinic, f"audio_url = {value}\n" + CLINIC + 'logo = ""\n')
    line = refused_whole(clinic, needles=("leaflet.toml", "audio_url", needle))
    assert "\u202e" not in line and "\x00" not in line


def test_an_http_audio_url_builds_with_a_warning(clinic):
    configure(clinic, 'audio_url = "http://example.org/{domain}/{locale}/"\n' + CLINIC + 'logo = ""\n')
    result = build(clinic)
    assert result.returncode == 0, result
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("leaflet: warning: ") and "http:" in warnings[0], result.stderr
    pages, text, figures, images = leaflet_pdf(clinic / "out" / "knee-check" / "en" / "knee-check.pdf")
    assert pages >= 1 and text.startswith("Knee check\n") and "Scan to listen to this leaflet" in text
    assert figures == ["Scan to listen to this leaflet: http://example.org/knee-check/en/"]  # the QR code, as asked
    assert images == []  # drawn as squares, not a picture


def test_a_300_character_https_audio_url_builds(clinic):
    configure(clinic, 'audio_url = "https://example.org/' + "a" * 280 + '"\n' + CLINIC + 'logo = ""\n')
    result = build(clinic)
    assert result.returncode == 0 and not result.stderr, result


# --- catalogs --------------------------------------------------------------------------------------


@pytest.fixture
def spanish(clinic) -> Path:
    """knee-check in Spanish: its catalog with every message translated (as the source: a pseudo-translation the
    checks only warn about) and the shipped leaflet wording, copied."""
    result = run("init", "knee-check.txt", "-l", "es", cwd=clinic, timeout=TIMEOUT)
    assert result.returncode == 0, result
    po = clinic / "translations" / "es" / "LC_MESSAGES" / "knee-check.po"
    text = po.read_text("utf-8")
    text = re.sub(r'msgid "(.+)"\nmsgstr ""', lambda m: f'msgid "{m[1]}"\nmsgstr "{m[1]}"', text)
    po.write_text(text, encoding="utf-8")
    shutil.copy(WORDS, po.with_name("leaflet.po"))
    assert build(clinic, "-l", "es").returncode == 0
    shutil.rmtree(clinic / "out")
    return po.parent


def translate(folder: Path, name: str, msgid: str, msgstr: str) -> int:
    """Set one translation in folder/name; the line of its msgid."""
    path = folder / name
    text = path.read_text("utf-8")
    entry = re.search(r'msgid "' + re.escape(msgid) + r'"\nmsgstr "[^\n]*"', text)
    assert entry, msgid
    path.write_text(text[: entry.start()] + f'msgid "{msgid}"\nmsgstr "{msgstr}"' + text[entry.end() :], encoding="utf-8")
    return text[: entry.start()].count("\n") + 1


def check_line(cwd: Path, needle: str) -> str:
    result = run("check", cwd=cwd, timeout=TIMEOUT)
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout, result
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert len(errors) == 1 and needle in errors[0], result.stdout
    return errors[0]


LONG_FOOTER = "Página {page} de {pages} " + " ".join(["palabra"] * 60)


@pytest.mark.parametrize("size", [[], ["--font-size", "36"]], ids=["default-size", "36pt"])
def test_a_footer_translation_too_long_for_two_lines_is_refused_naming_the_entry(spanish, size):
    line = translate(spanish, "leaflet.po", "Page {page} of {pages}", LONG_FOOTER)
    where = f"leaflet.po:{line}"
    assert where in check_line(spanish.parents[2], "must fit two lines")
    refused_whole(spanish.parents[2], "-l", "es", *size, needles=(where, "Page {page} of {pages}", "two lines"))
    # with --allow-incomplete the English line stands in for it, as for any translation with an error
    result = build(spanish.parents[2], "-l", "es", "--allow-incomplete", *size)
    assert result.returncode == 0 and "internal error" not in result.stdout + result.stderr, result


def test_a_tower_of_marks_in_a_translation_is_refused_naming_the_entry(spanish):
    line = translate(spanish, "knee-check.po", "Go home the same day.", "Vuelva a casa" + "\u0301" * 10_000 + ".")
    where = f"knee-check.po:{line}"
    assert where in check_line(spanish.parents[2], "10000 combining marks on one letter")
    refused_whole(spanish.parents[2], "-l", "es", needles=(where, "combining marks"))


def test_a_translation_of_zero_width_characters_only_is_refused(spanish):
    line = translate(spanish, "knee-check.po", "Go home the same day.", "\u200b\u200d\u2060")
    where = f"knee-check.po:{line}"
    assert where in check_line(spanish.parents[2], "nothing visible")
    refused_whole(spanish.parents[2], "-l", "es", needles=(where, "nothing visible"))


def test_a_catalog_padded_past_the_limit_is_refused_unread(spanish):
    po = spanish / "knee-check.po"
    os.truncate(po, GIGABYTE)
    result = run("check", cwd=spanish.parents[2], timeout=TIMEOUT)
    assert result.returncode == 1 and "over 4 MB" in result.stdout and "Traceback" not in result.stderr, result
    refused_whole(spanish.parents[2], "-l", "es", needles=("knee-check.po", "over 4 MB"))


def test_a_configuration_padded_past_the_limit_is_refused_unread(clinic):
    os.truncate(clinic / "leaflet.toml", GIGABYTE)
    refused_whole(clinic, needles=("leaflet.toml", "over 1 MB"))


def test_a_tower_of_marks_in_the_source_is_refused_naming_its_line(clinic):
    source = clinic / "knee-check.txt"
    source.write_text(SOURCE.replace("same day.", "same day" + "\u0301" * 50 + "."), encoding="utf-8")
    refused_whole(clinic, needles=("knee-check.txt:8", "combining marks"))


def test_a_library_caller_who_skips_the_checks_gets_a_refusal_not_a_layout_error(tmp_path):
    """The build checks catalogs before it draws; a caller of the writer who does not still gets a RenderError
    naming the catalog entry (what the page line would be at 36 pt), never ReportLab's LayoutError."""
    from dataclasses import replace

    from leaflet.catalogs import Layout, read_catalog, translations_of
    from leaflet.config import Config
    from leaflet.errors import RenderError
    from leaflet.localize import Words, localize
    from leaflet.reader import read
    from leaflet.render.pdf import PdfOptions, render

    folder = tmp_path / "translations" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(WORDS, folder / "leaflet.po")
    line = translate(folder, "leaflet.po", "Page {page} of {pages}", LONG_FOOTER)
    (tmp_path / "knee-check.txt").write_text(SOURCE, encoding="utf-8")
    (folder / "knee-check.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
        '"Content-Type: text/plain; charset=utf-8\\n"\n', encoding="utf-8")
    doc = localize(read(tmp_path / "knee-check.txt"), "es", Layout(tmp_path / "translations"))
    words = Words(translations_of(read_catalog(folder / "leaflet.po")), False)  # unchecked
    words.places = doc.words.places
    with pytest.raises(RenderError) as refusal:
        render(replace(doc, words=words), Config(logo=None), PdfOptions(font_size=36))
    assert f"leaflet.po:{line}" in str(refusal.value) and "Page {page} of {pages}" in str(refusal.value)


def garbled_letter_font(path: Path, letter: str = "e") -> None:
    """DejaVu Sans with the points of one letter's outline overwritten by random bytes: its glyph's place, box and
    contour count are intact (the tables pass as whole), its outline is not."""
    font = TTFont(str(ASSETS / "fonts" / "DejaVuSans.ttf"))
    gid = font.getGlyphID(font.getBestCmap()[ord(letter)])
    data = bytearray((ASSETS / "fonts" / "DejaVuSans.ttf").read_bytes())
    tables = {}
    for i in range(struct.unpack_from(">H", data, 4)[0]):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = offset
    short = struct.unpack_from(">h", data, tables[b"head"] + 50)[0] == 0
    start, end = (2 * x for x in struct.unpack_from(">HH", data, tables[b"loca"] + 2 * gid)) if short else \
        struct.unpack_from(">LL", data, tables[b"loca"] + 4 * gid)
    glyph = tables[b"glyf"] + start
    contours = struct.unpack_from(">h", data, glyph)[0]
    points = glyph + 10 + 2 * contours + 2 + struct.unpack_from(">H", data, glyph + 10 + 2 * contours)[0]
    rnd = random.Random(5)
    data[points : tables[b"glyf"] + end] = bytes(rnd.randrange(256) for _ in range(tables[b"glyf"] + end - points))
    path.write_bytes(bytes(data))


def test_a_font_with_one_garbled_outline_is_refused_when_a_leaflet_draws_it(clinic):
    garbled_letter_font(clinic / "garbled.ttf")
    configure(clinic, CLINIC + 'logo = ""\n[fonts.Latn]\nregular = "garbled.ttf"\n')
    before = snapshot(clinic)
    result = build(clinic, "-l", "en")
    refused(result, "garbled.ttf", "this font is damaged", "cannot be drawn")
    assert snapshot(clinic) == before


@pytest.mark.parametrize("key, setting", [("clinic.logo", 'logo = "~nouser-leaflet/logo.png"\n'),
                                          ("fonts.Latn.regular", '\n[fonts.Latn]\nregular = "~nouser-leaflet/a.ttf"\n')])
def test_a_path_in_the_home_of_no_such_user_is_refused_naming_the_key(clinic, key, setting):
    """Python cannot expand "~nouser" and raised RuntimeError: an internal error (exit 70)."""
    configure(clinic, CLINIC + setting)
    refused_whole(clinic, needles=("leaflet.toml", key, "no such user's home folder"))


def test_a_pipe_where_extract_writes_a_template_is_refused_not_waited_on(clinic):
    """extract compares a template with what stands there before writing it: a pipe was read, and waited on."""
    (clinic / "translations").mkdir()
    os.mkfifo(clinic / "translations" / "leaflet.pot")
    refused(run("extract", "knee-check.txt", cwd=clinic, timeout=TIMEOUT), "translations/leaflet.pot",
            "not a regular file")
