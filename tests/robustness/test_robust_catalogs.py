"""Bad catalogs and untrusted translations, through the real `leaflet` command: a catalog that does not parse, a
wrong charset or Plural-Forms, invisible characters, a huge translation, and markup in a translation.

Each case works on a copy: a small procedure and its Spanish catalogs in tmp_path, never the shipped ones.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import unicodedata
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import FIXTURES, ROOT, run_leaflet

SHORT = FIXTURES / "audio" / "short-visit.txt"
WORDS = ROOT / "translations" / "es" / "LC_MESSAGES" / "leaflet.po"
# A clinic of its own: no logo (so a PDF with an image in it has one a translation asked for) and no warning
# about the example clinic on stderr.
CONFIG = '[clinic]\nname = "Knee Clinic"\nphone = "555 0199"\nlogo = ""\n'

HEADER = r'''# Spanish translation of short-visit.
msgid ""
msgstr ""
"Project-Id-Version: leaflet 0.1.0\n"
"Language: es\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=utf-8\n"
"Content-Transfer-Encoding: 8bit\n"
'''
# (msgctxt, msgid, msgstr) of every message of short-visit.txt
ENTRIES = [
    ("title", "Short visit", "Visita corta"),
    ("name", "Short Visit", "Visita corta"),
    ("summary", "A short visit checks your knee. It takes little time.", "Una visita corta revisa su rodilla. Dura poco."),
    ("procedure", "You sit on the bed.", "Usted se sienta en la cama."),
    ("procedure", "The nurse looks at your knee <and> asks questions & listens.",
     "La enfermera mira su rodilla <and> pregunta & escucha."),
    ("duration", "It takes 10-15 minutes.", "Dura 10-15 minutos."),
    ("setting", "Done in the clinic.", "Se hace en la clínica."),
    ("recovery", "Go home the same day.", "Vuelva a casa el mismo día."),
    ("recovery", "Call us on 555 0100 if it hurts, e.g. at night.", "Llámenos al 555 0100 si le duele, p. ej. de noche."),
    ("alternatives", "Wait and see.", "Esperar y ver."),
]
SUMMARY = ENTRIES[2][2]


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def po_text(strings: dict[str, str] | None = None) -> str:
    """The Spanish catalog of short-visit, every message translated; `strings` replaces translations by msgid."""
    strings = strings or {}
    blocks = [HEADER]
    for context, msgid, msgstr in ENTRIES:
        blocks.append(f"msgctxt {quoted(context)}\nmsgid {quoted(msgid)}\nmsgstr {quoted(strings.get(msgid, msgstr))}\n")
    return "\n".join(blocks)


class Project:
    """A working folder: short-visit.txt, leaflet.toml and translations/es/LC_MESSAGES/{leaflet,short-visit}.po."""

    def __init__(self, root: Path):
        self.root = root
        self.translations = root / "translations"
        self.po = self.translations / "es" / "LC_MESSAGES" / "short-visit.po"
        self.words = self.po.with_name("leaflet.po")
        self.out = root / "out"
        self.pdf = self.out / "short-visit" / "es" / "short-visit.pdf"
        self.po.parent.mkdir(parents=True)
        shutil.copy(SHORT, root / SHORT.name)
        shutil.copy(WORDS, self.words)
        (root / "leaflet.toml").write_text(CONFIG, encoding="utf-8")
        self.po.write_text(po_text(), encoding="utf-8")

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return run_leaflet(*args, "--translations", "translations", cwd=self.root)

    def build(self, *extra: str) -> subprocess.CompletedProcess:
        return self.run("build", SHORT.name, "-l", "es", "--format", "pdf", "-o", "out", *extra)

    def check(self) -> subprocess.CompletedProcess:
        return self.run("check")

    def files(self) -> dict[str, bytes]:
        """Every file under the project, for "nothing written" (hidden temporary files included)."""
        return {str(p.relative_to(self.root)): p.read_bytes() for p in sorted(self.root.rglob("*")) if p.is_file()}

    def edit(self, path: Path, old: bytes | str, new: bytes | str, count: int = 1) -> None:
        data = path.read_bytes()
        old = old.encode("utf-8") if isinstance(old, str) else old
        new = new.encode("utf-8") if isinstance(new, str) else new
        assert old in data, old
        path.write_bytes(data.replace(old, new, count))


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "clinic")


def refused(result: subprocess.CompletedProcess, *needles: str) -> str:
    """One clear line on stderr, exit status 1, no traceback."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("leaflet: error: "), lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def check_errors(result: subprocess.CompletedProcess) -> list[str]:
    """The error lines `leaflet check` prints (exit status 1 when there is one)."""
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert result.returncode == (1 if errors else 0), result
    return errors


def line_of(path: Path, text: str, nth: int = 1, encoding: str = "utf-8") -> int:
    """The number of the nth line of a file that is exactly `text`."""
    lines = path.read_bytes().decode(encoding).split("\n")  # line feeds only, as gettext counts
    found = [n for n, line in enumerate(lines, 1) if line == text]
    assert len(found) >= nth, (text, found)
    return found[nth - 1]


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout


def squeeze(text: str) -> str:
    """Text without white space: poppler guesses spaces from gaps and breaks lines where the layout did."""
    return re.sub(r"\s+", "", text)


def images_in(path: Path) -> list:
    with pikepdf.open(path) as pdf:
        return [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]


# --- 1. a PO file that does not parse -------------------------------------------------------------------------

# (id, old text, new text, the line the error must name (its exact text, which occurrence), words of the reason)
SYNTAX = [
    ("unterminated string", 'msgstr "Dura 10-15 minutos."', 'msgstr "Dura 10-15 minutos.',
     ('msgstr "Dura 10-15 minutos.', 1), "no closing quote"),
    ("msgstr without msgid", 'msgctxt "setting"\nmsgid "Done in the clinic."\n', 'msgctxt "setting"\n',
     ('msgstr "Se hace en la clínica."', 1), "no msgid"),
    ("garbage line", 'msgctxt "setting"', 'this line is not PO\nmsgctxt "setting"',
     ("this line is not PO", 1), "keyword"),
    ("unknown escape", "Dura 10-15 minutos.", "Dura 10-15 \\q minutos.",
     ('msgstr "Dura 10-15 \\q minutos."', 1), "escape"),
    ("hex escape Babel would print as written", "Dura 10-15 minutos.", "Dura 10-15 \\x41 minutos.",
     ('msgstr "Dura 10-15 \\x41 minutos."', 1), "escape"),
    ("duplicate msgid", 'msgctxt "setting"',
     'msgctxt "duration"\nmsgid "It takes 10-15 minutes."\nmsgstr "Otra vez."\n\nmsgctxt "setting"',
     ('msgid "It takes 10-15 minutes."', 2), "second entry"),
    ("text after the closing quote", 'msgstr "Dura 10-15 minutos."', 'msgstr "Dura" 10-15 minutos."',
     ('msgstr "Dura" 10-15 minutos."', 1), "after its closing quote"),
    ("plural index on a singular message", 'msgstr "Dura 10-15 minutos."', 'msgstr[1] "Dura 10-15 minutos."',
     ('msgstr[1] "Dura 10-15 minutos."', 1), "msgid_plural"),
    ("a second msgstr", 'msgstr "Dura 10-15 minutos."', 'msgstr "Dura 10-15 minutos."\nmsgstr "Otra."',
     ('msgid "It takes 10-15 minutes."', 1), "two msgstr"),
    ("msgid without msgstr", 'msgstr "Se hace en la clínica."\n', "",
     ('msgid "Done in the clinic."', 1), "missing msgstr"),
    ("an escaped terminal command", "Dura 10-15 minutos.", "Dura 10-15 \\\x1b]0;owned\x07 minutos.",
     ('msgstr "Dura 10-15 \\\x1b]0;owned\x07 minutos."', 1), "escape"),
]
TERMINAL_COMMANDS = ("\x1b", "\x07", "\x9b")


@pytest.mark.parametrize("old, new, line, reason", [case[1:] for case in SYNTAX], ids=[case[0] for case in SYNTAX])
def test_a_po_syntax_error_is_refused_naming_file_and_line_and_nothing_is_written(project, old, new, line, reason):
    project.edit(project.po, old, new)
    where = f"translations/es/LC_MESSAGES/short-visit.po:{line_of(project.po, *line)}: "
    before = project.files()
    built, checked = project.build(), project.check()
    refused(built, where, reason)
    errors = check_errors(checked)
    assert len(errors) == 1 and errors[0].startswith(where) and reason in errors[0], errors
    assert project.files() == before  # no PDF, no .mo, no manifest, no temporary file
    assert not any(c in built.stderr + checked.stdout for c in TERMINAL_COMMANDS)  # shown as codes, never sent


@pytest.mark.parametrize("command", [["status"], ["compile"], ["update", SHORT.name], ["init", "other-visit.txt", "-l", "es"],
                                     ["review", "translations/es/LC_MESSAGES/short-visit.po", "-l", "es", "--by", "Ana"]],
                         ids=lambda c: c[0])
def test_every_catalog_command_refuses_a_broken_catalog_and_changes_nothing(project, command):
    project.edit(project.po, "Dura 10-15 minutos.", "Dura 10-15 \\q minutos.")
    line = line_of(project.po, 'msgstr "Dura 10-15 \\q minutos."')
    shutil.copy(SHORT, project.root / "other-visit.txt")  # init reads the locale's catalogs as translation memory
    before = project.files()
    refused(project.run(*command), f"translations/es/LC_MESSAGES/short-visit.po:{line}: ", "escape")
    assert project.files() == before


# --- 2. the charset ---------------------------------------------------------------------------------------------


CLINICA = 'msgstr "Se hace en la clínica."'


def test_a_latin_1_header_over_utf_8_text_is_refused_not_printed_as_mojibake(project):
    project.edit(project.po, "charset=utf-8", "charset=ISO-8859-1")
    where = f"short-visit.po:{line_of(project.po, CLINICA)}: "
    before = project.files()
    refused(project.build(), where, "charset=ISO-8859-1", "UTF-8")
    assert check_errors(project.check())[0].startswith("translations/es/LC_MESSAGES/" + where)
    assert project.files() == before


def test_a_latin_1_header_over_utf_8_cyrillic_is_refused(project):
    project.po.write_text(po_text({"Wait and see.": "Подождите и посмотрите."}).replace("charset=utf-8", "charset=KOI8-R"),
                          encoding="utf-8")
    where = f"short-visit.po:{line_of(project.po, CLINICA)}: "
    refused(project.build(), where, "KOI8-R")


def test_a_utf_8_header_over_latin_1_bytes_is_refused_with_its_line(project):
    project.po.write_bytes(po_text().encode("latin-1"))
    where = f"short-visit.po:{line_of(project.po, CLINICA, encoding='latin-1')}: "
    refused(project.build(), where, "utf-8")


def test_an_unknown_charset_is_refused_with_the_header_line(project):
    project.edit(project.po, "charset=utf-8", "charset=klingon-8")
    line = line_of(project.po, r'"Content-Type: text/plain; charset=klingon-8\n"')
    refused(project.build(), f"short-visit.po:{line}: ", "unknown charset 'klingon-8'")


def test_a_true_latin_1_catalog_still_builds_with_its_accents(project):
    project.po.write_bytes(po_text().replace("charset=utf-8", "charset=ISO-8859-1").encode("latin-1"))
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "Se hace en la clínica." in pdf_text(project.pdf)


# --- 3. Plural-Forms --------------------------------------------------------------------------------------------

PLURAL_FORMS = '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"'
MARKER = "evaluated.txt"


@pytest.mark.parametrize(
    "value, reason",
    [
        ("nplurals=2; plural=(n != ;", "cannot be read"),
        (f"nplurals=2; plural=__import__('os').system('touch {MARKER}');", "cannot be read"),
        ("nplurals=2; plural=().__class__.__base__.__subclasses__();", "cannot be read"),
        ("nplurals=0; plural=0;", "nplurals must be a whole number from 1 to 6"),
        ("nplurals=two; plural=(n != 1);", "nplurals must be"),
        ("nplurals=99999999999; plural=(n != 1);", "nplurals must be"),
        ("nplurals=2; plural=n+5;", "gives form 5"),
        ("nplurals=2; plural=n/0;", "divides by zero"),
        ("nplurals=2; plural=" + "(" * 30 + "n" + ")" * 30 + ";", "too complex"),
        ("nplurals=2; plural=" + "n+" * 600 + "1;", "too long"),
        ("nplurals=1; plural=0;", "msgstr[1], but the header's Plural-Forms has nplurals=1"),
    ],
    ids=["malformed", "python code", "python attributes", "nplurals=0", "nplurals=two", "nplurals huge", "form out of range",
         "division by zero", "too deep", "too long", "fewer forms than the messages have"],
)
def test_a_plural_forms_header_gettext_cannot_use_is_refused_and_never_evaluated(project, value, reason):
    project.edit(project.words, PLURAL_FORMS, f'"Plural-Forms: {value}\\n"')
    before = project.files()
    started = time.monotonic()
    line = refused(project.build(), "translations/es/LC_MESSAGES/leaflet.po:", reason)
    assert time.monotonic() - started < 60  # nplurals=99999999999 must not make 10^11 forms of a message
    if "msgstr[1]" not in reason:
        header_line = line_of(project.words, f'"Plural-Forms: {value}' + r'\n"')
        assert f"leaflet.po:{header_line}: " in line
    assert not (project.root / MARKER).exists()  # nothing of the header was run as Python
    assert project.files() == before


def test_nplurals_that_do_not_fit_the_language_are_an_error_and_english_stands_in(project):
    """Spanish has two plural forms; a header that says three leaves the third empty and is wrong for the language."""
    project.edit(project.words, PLURAL_FORMS, '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);\\n"')
    errors = check_errors(project.check())
    assert any("3 plural forms, but Spanish" in e and "nplurals=2; plural=(n != 1)" in e for e in errors), errors
    assert all(e.startswith("translations/es/LC_MESSAGES/leaflet.po:") for e in errors)
    assert refused(project.build())
    result = project.build("--allow-incomplete")
    assert result.returncode == 0, result.stderr
    assert "Una visita corta revisa su rodilla." in pdf_text(project.pdf)


# --- 4. invisible and control characters ------------------------------------------------------------------------

# One per message of the catalog: each would be invisible garbage, a crash (no font draws it) or, for the bidi
# override, a dose read backwards ("10" drawn as "01").
REFUSED_CHARACTERS = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u202e", "\ufff9", "\U000e0041", "\ue000", "\ufffd"]


def test_control_and_invisible_characters_are_refused_by_check_and_the_build_gate(project):
    strings = {}
    for (_, msgid, msgstr), char in zip(ENTRIES, REFUSED_CHARACTERS):
        words = msgstr.split(" ")
        strings[msgid] = " ".join(words[:1] + [char + words[1] if len(words) > 1 else char] + words[2:])
    project.po.write_text(po_text(strings), encoding="utf-8")
    errors = check_errors(project.check())
    for (_, msgid, _), char in zip(ENTRIES, REFUSED_CHARACTERS):
        line = line_of(project.po, f"msgid {quoted(msgid)}")
        code = f"U+{ord(char):04X}"
        assert any(e.startswith(f"translations/es/LC_MESSAGES/short-visit.po:{line}: error:") and code in e
                   for e in errors), (code, errors)
    before = project.files()
    refused(project.build(), "short-visit.po:", "leaflet check")
    assert project.files() == before
    # --allow-incomplete: the English stands in for every one of them; nothing invisible reaches the page
    result = project.build("--allow-incomplete")
    assert result.returncode == 0, result.stderr
    text = pdf_text(project.pdf)
    assert "A short visit checks your knee. It takes little time." in text
    assert "Una visita" not in text
    assert not any(char in text for char in REFUSED_CHARACTERS)


# Hindi and Persian need the joiners, Arabic the direction marks; the others are harmless. One per message.
DRAWN_SAFELY = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\t", "\u00ad", "\u2069"]


def test_joiners_marks_and_a_tab_pass_the_gate_and_are_drawn_as_nothing_never_as_garbage(project):
    strings = {msgid: msgstr.replace(" ", char + " ", 1) + char for (_, msgid, msgstr), char in zip(ENTRIES, DRAWN_SAFELY)}
    project.po.write_text(po_text(strings), encoding="utf-8")
    assert check_errors(project.check()) == []
    result = project.build()
    assert result.returncode == 0, result.stderr
    text = " ".join(pdf_text(project.pdf).split())
    for _, _, msgstr in ENTRIES[2:]:  # the title and name are also in the staff part; these are each once
        assert msgstr in text, msgstr
    with pdfplumber.open(project.pdf) as pdf:
        drawn = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert not [c for c in drawn if unicodedata.category(c) in ("Cc", "Co", "Cn") or c == "\ufffd"], ascii(drawn)


# --- 5. a huge translation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("huge, unit, count", [("Una visita corta revisa su rodilla. " * 2800, "rodilla", 2800),
                                               ("A" * 100_000, "A", 100_000)],
                         ids=["100 kB of words", "100 kB without a space"])
def test_a_100_kb_translation_is_laid_out_in_bounded_time_and_the_pdf_opens(project, huge, unit, count):
    project.po.write_text(po_text({ENTRIES[2][1]: huge.strip()}), encoding="utf-8")
    started = time.monotonic()
    result = project.build()
    assert time.monotonic() - started < 60, "a hang"
    assert result.returncode == 0, result.stderr
    with pikepdf.open(project.pdf) as pdf:
        assert len(pdf.pages) > 20
    text = squeeze(pdf_text(project.pdf))
    assert text.count(unit) >= count  # every word (every letter) is on a page: nothing cut off
    assert "Dura10-15minutos." in text  # and the rest of the leaflet follows it


# --- 6. markup in a translation -----------------------------------------------------------------------------------

MARKUP = [
    '<img src="{png}"/>',
    '<font color="[[[red]]]">',
    '<a href="file:///etc/passwd">',
    "<para>",
    "&amp;",
    "&#x41;",
    "<b>",
    "<![CDATA[",
    "]]>",
    '<?xml version="1.0"?>',
    '<!ENTITY xxe SYSTEM "file:///etc/passwd">',
]


def _png(folder: Path) -> Path:
    """A real image (7 x 13 pixels), for markup to point at: drawn, it would show as an image XObject."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (7, 13), (255, 0, 0)).save(buffer, format="PNG")
    path = folder / "picture.png"
    path.write_bytes(buffer.getvalue())
    return path


def test_markup_a_translation_adds_is_refused_and_with_allow_incomplete_never_reaches_the_page(project):
    png = _png(project.root)
    tokens = [token.format(png=png) for token in MARKUP]
    strings = {msgid: f"{msgstr} {token}" for (_, msgid, msgstr), token in zip(ENTRIES, tokens)}
    strings[ENTRIES[0][1]] += " " + tokens[-1]  # eleven tokens, ten messages
    project.po.write_text(po_text(strings), encoding="utf-8")
    errors = check_errors(project.check())
    for token in tokens:
        assert any("markup-like text the source does not have" in e and token[:25] in e for e in errors), (token, errors)
    before = project.files()
    refused(project.build(), "leaflet check", "markup-like text")
    assert project.files() == before
    # English stands in for every message the check calls wrong: no markup, interpreted or not, on the page
    result = project.build("--allow-incomplete")
    assert result.returncode == 0, result.stderr
    text = pdf_text(project.pdf)
    assert "The nurse looks at your knee <and> asks questions & listens." in " ".join(text.split())
    for token in ["<img", "<font", "<a ", "<para>", "&amp;", "&#x41;", "<b>", "CDATA", "]]>", "<?xml", "ENTITY"]:
        assert token not in text, token
    assert images_in(project.pdf) == []
    assert "root:" not in text


def test_check_shows_a_translations_terminal_commands_as_codes_never_sends_them(project):
    project.po.write_text(po_text({ENTRIES[2][1]: "Una visita <b\x1b[2J\x1b]0;owned\x07> corta revisa su rodilla."}),
                          encoding="utf-8")
    for result in (project.check(), project.run("check", "--json")):
        assert result.returncode == 1 and "markup-like text" in result.stdout, result
        assert not any(c in result.stdout + result.stderr for c in TERMINAL_COMMANDS), ascii(result.stdout)
        assert "U+001B" in result.stdout


def test_markup_the_source_also_has_is_printed_literally_never_interpreted(project):
    """The gate lets a translation keep markup-like text its source has: the drawing still reads none of it.
    The image is not drawn, the file is not read, the font is not changed, the entity is not expanded."""
    png = _png(project.root)
    tokens = [token.format(png=png) for token in MARKUP] + ["{page.__class__}"]
    name = 'Markup Visit <b>&amp;]]><?xml version="1.0"?>'  # also the PDF's title, in its XMP (XML) and Info
    source = SHORT.read_text(encoding="utf-8").replace("\nShort Visit\n", f"\n{name}\n", 1).replace(
        "Procedure Description\n", "\nThese stay as written " + " ".join(tokens) + " here.\n\nProcedure Description\n")
    (project.root / "markup-visit.txt").write_text(source, encoding="utf-8")
    assert project.run("init", "markup-visit.txt", "-l", "es").returncode == 0
    from leaflet import catalogs

    path = project.po.with_name("markup-visit.po")
    catalog = catalogs.read_catalog(path, locale="es")
    for message in catalog:
        if message.id:
            message.string = "ES " + message.id
    catalogs.write_catalog(path, catalog, document=True)
    assert check_errors(project.run("check", str(path.relative_to(project.root)))) == []
    result = project.run("build", "markup-visit.txt", "-l", "es", "--format", "pdf", "-o", "out")
    assert result.returncode == 0, result.stderr
    pdf = project.out / "markup-visit" / "es" / "markup-visit.pdf"
    text = pdf_text(pdf)
    assert squeeze("ES These stay as written " + " ".join(tokens) + " here.") in squeeze(text)
    assert "root:" not in text  # /etc/passwd was not read
    assert images_in(pdf) == []  # nor the picture drawn
    with pdfplumber.open(pdf) as document:
        sizes = {round(c["size"]) for page in document.pages for c in page.chars}
    assert max(sizes) <= 22  # the title's size: <font> changed nothing
    with pikepdf.open(pdf) as document:
        assert all("/Annots" not in page.obj for page in document.pages)  # <a href> made no link
        assert str(document.docinfo.Title) == f"ES {name}"
        with document.open_metadata() as meta:
            assert meta["dc:title"] == f"ES {name}"


def test_the_audio_script_and_transcript_keep_markup_as_text(project):
    """The guide's script (its .txt) carries a translation as written, and the WebVTT transcript escapes it, so
    that a player shows it as text: no tag, no entity, no cue cut short by "-->"."""
    from leaflet import guide
    from leaflet.catalogs import Layout
    from leaflet.localize import localize
    from leaflet.reader import read
    from leaflet.render.audio import Cue, playlist, webvtt
    from leaflet.speech.spoken import Rules

    source = SHORT.read_text(encoding="utf-8").replace("It takes 10-15 minutes.", "It takes 10-15 minutes <b>.")
    (project.root / SHORT.name).write_text(source, encoding="utf-8")
    written = '<b> --> <font size="200">&amp;</font>\nWEBVTT'
    project.po.write_text(po_text().replace('msgid "It takes 10-15 minutes."', 'msgid "It takes 10-15 minutes <b>."')
                          .replace('msgstr "Dura 10-15 minutos."', f'msgstr {quoted("Dura 10-15 minutos <b>.")}'),
                          encoding="utf-8")
    doc = localize(read(project.root / SHORT.name), "es", Layout(project.translations))
    script = guide.script(doc, Rules(), "Knee Clinic", "555 0199")
    assert "Dura 10-15 minutos <b>." in script.text()
    vtt = webvtt([Cue(0.0, 1.0, written), Cue(1.0, 2.0, "Dura 10-15 minutos <b>.")])
    blocks = vtt.split("\n\n")
    assert len(blocks) == 3 and "<" not in vtt and "-->" not in blocks[1].split("\n", 2)[2]
    assert "&lt;b&gt; --&gt; &lt;font size=\"200\"&gt;&amp;amp;&lt;/font&gt; WEBVTT" in vtt
    assert "\n#EXTINF" not in playlist(guide.Script("x", "es", "a\n#EXTINF:1,b", "", (), False), []).split("\n", 1)[1]


# --- the review record in a header written by hand ----------------------------------------------------------------


@pytest.mark.parametrize("name, date, field", [("Ana\x07 \u202e01 Ruiz", "2026-01-02", "X-Reviewed-By"),
                                              ("A" * 500, "2026-01-02", "X-Reviewed-By"),
                                              ("Ana Ruiz", "<b>" + "9" * 300, "X-Reviewed-Date")],
                         ids=["control characters", "500 letters", "not a date"])
def test_a_hand_written_review_record_that_cannot_be_printed_leaves_the_leaflet_a_draft(project, name, date, field):
    for po in (project.po, project.words):
        project.edit(po, '"Content-Transfer-Encoding: 8bit\\n"',
                     f'"Content-Transfer-Encoding: 8bit\\n"\n"X-Reviewed-By: {name}\\n"\n"X-Reviewed-Date: {date}\\n"')
    warned = run_leaflet("-v", "check", "--translations", "translations", cwd=project.root)
    assert warned.returncode == 0 and f"warning: short-visit es: {field} must be" in warned.stdout, warned
    status = project.run("status")
    assert status.returncode == 0 and "Ana" not in status.stdout and "AAAA" not in status.stdout
    assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in status.stdout)
    result = project.build()
    assert result.returncode == 0, result.stderr
    text = pdf_text(project.pdf)
    assert "Traducción preliminar" in text and "Ruiz" not in text and "AAAA" not in text and "999" not in text
