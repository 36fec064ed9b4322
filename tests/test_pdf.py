"""The PDF leaflet, opened and checked as a patient's reader and a checker would: text, sizes, fonts, tags.

Every shipped locale is built once (module fixture); each test looks at the files produced.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from fontTools.ttLib import TTFont as ToolsFont

from leaflet import wording
from leaflet.build import build
from leaflet.catalogs import Layout
from leaflet.config import Config, ConfigError, load
from leaflet.errors import CatalogError, RenderError
from leaflet.localize import localize
from leaflet.reader import read
from leaflet.render.pdf import render, render_counted

from conftest import ROOT, SEED

TRANSLATIONS = ROOT / "translations"
SHIPPED = sorted(p.name for p in TRANSLATIONS.iterdir() if (p / "LC_MESSAGES").is_dir())
LOCALES = ["en", *SHIPPED]
MM = 72 / 25.4
HARAKAT = re.compile("[\u064b-\u065f\u0670]")


def pdftotext(path: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("poppler's pdftotext is missing: run make setup")
    return subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout


def body_text(path: Path) -> str:
    """pdftotext of each page above its footer (the footer is an artifact; a reader of the text skips it)."""
    tool = shutil.which("pdftotext")
    pages = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            furniture = [c["top"] for c in page.chars if c.get("tag") == "Artifact"]
            bottom = int(min(furniture) - 1) if furniture else int(page.height)
            pages.append(subprocess.run(
                [tool, "-enc", "UTF-8", "-f", str(number), "-l", str(number), "-x", "0", "-y", "0",
                 "-W", str(int(page.width)), "-H", str(bottom), str(path), "-"],
                capture_output=True, text=True, check=True,
            ).stdout)
    return "\n".join(pages)


def squeeze(text: str) -> str:
    """Compare text as a reader gets it: Unicode-normalized, without white space and without the invisible
    direction marks poppler adds around a left-to-right piece of a right-to-left line. Arabic vowel marks
    (harakat) are set aside too: poppler puts a mark before its letter when it turns a right-to-left line
    back into logical order ("عادةً" comes out as "عادًة"), whatever the file says."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        ch for ch in text
        if not ch.isspace() and unicodedata.category(ch) != "Cf" and not ("\u064b" <= ch <= "\u065f" or ch == "\u0670")
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    report = build([SEED], layout=Layout(TRANSLATIONS), config=load(), out=out, locales=LOCALES, fmt="pdf")
    return {o.locale: o.path for o in report.outputs}


def test_build_writes_every_requested_locale_in_the_documented_layout(built):
    assert sorted(built) == sorted(LOCALES)
    for locale, path in built.items():
        assert path.parts[-3:] == ("hip-joint-denervation", locale, "hip-joint-denervation.pdf")
        assert path.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_of_the_leaflet_is_in_the_extracted_text_in_reading_order(built, locale):
    doc = localize(read(SEED), locale, Layout(TRANSLATIONS))
    text = squeeze(body_text(built[locale]))
    expected = [doc.title, *(e.text for e in doc.lead)]
    for part in doc.parts:
        expected.append(part.heading)
        expected.extend(e.text for e in part.entries)
    expected.append(doc.words.gettext(wording.CONTACT_HEADING))
    position = 0
    for message in expected:
        if HARAKAT.search(message) or (locale == "ar" and re.search("[A-Za-z]", message)):
            # poppler's own right-to-left reordering breaks a line where a vowel mark sits, and puts a bracket
            # next to a Latin word on the wrong side of it ("(MRI)" comes out "()MRI"), whatever the file
            # says. For these messages every word must be there; their order is not checked.
            for word in re.findall(r"\w+", message):
                assert squeeze(word) in text, f"{locale}: missing word {word!r} of {message!r}"
            continue
        found = text.find(squeeze(message), position)
        assert found >= 0, f"{locale}: missing or out of order: {message!r}"
        position = found
    for label, value in doc.staff:
        if HARAKAT.search(value):
            assert all(squeeze(w) in text for w in re.findall(r"\w+", value)), f"{locale}: staff entry {label} missing"
        else:
            assert squeeze(value) in text, f"{locale}: staff entry {label} missing"


def _chars(path: Path):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                yield page, char


@pytest.mark.parametrize("locale", LOCALES)
def test_nothing_on_the_page_is_smaller_than_the_body_size(built, locale):
    sizes = [round(c["size"], 1) for _, c in _chars(built[locale]) if c["text"].strip()]
    assert sizes and min(sizes) >= 18.0
    assert max(sizes) <= 22.0  # H1; nothing blown up either


@pytest.mark.parametrize("locale", ["en", "ar", "zh_Hans"])
def test_text_keeps_25_mm_margins_and_one_column(built, locale):
    for page, char in _chars(built[locale]):
        if not char["text"].strip():
            continue
        assert char["x0"] >= 25 * MM - 0.5 and char["x1"] <= page.width - 25 * MM + 0.5, char["text"]
        assert char["top"] >= 25 * MM - 0.5 and char["bottom"] <= page.height - 25 * MM + 2, char["text"]


def _baselines(path: Path, size: float) -> list[float]:
    gaps = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tops = sorted({round(c["bottom"], 1) for c in page.chars if round(c["size"], 1) == size and c["text"].strip()})
            gaps.extend(b - a for a, b in zip(tops, tops[1:]))
    return gaps


def test_line_spacing_is_one_and_a_half_times_the_body_size(built):
    gaps = _baselines(built["en"], 18.0)
    assert min(gaps) >= 18 * 1.5 - 0.5
    assert min(gaps) == pytest.approx(27, abs=0.5)


def test_right_to_left_lines_end_at_the_right_margin(built):
    with pdfplumber.open(built["ar"]) as pdf:
        page = pdf.pages[1]
        lines: dict[float, list[dict]] = {}
        for char in page.chars:  # letters only: a raised vowel mark or a bracket has a bottom of its own
            if char["text"].strip() and unicodedata.category(unicodedata.normalize("NFKC", char["text"])[0]).startswith("L"):
                lines.setdefault(round(char["bottom"]), []).append(char)
        right = page.width - 25 * MM
        arabic = [chars for chars in lines.values() if any("\u0600" <= c["text"] <= "\u06ff" or "\ufb50" <= c["text"] <= "\ufeff" for c in chars)]
        ends = [max(c["x1"] for c in chars) for chars in arabic]
        # each line ends at the right margin, or (a list item's text) at the edge of its bullet column
        assert len(ends) > 5 and abs(max(ends) - right) < 1.5
        assert len({round(end) for end in ends}) <= 2 and right - min(ends) < 18 * 1.5, ends


def test_arabic_text_extracts_in_logical_order_with_numbers_left_to_right(built):
    text = squeeze(pdftotext(built["ar"]))
    # "6-8" would show as "8-6" in a right-to-left line (Unicode bidi) and poppler reads it back as "8-6":
    # the Arabic catalog writes ranges in words, "from 6 to 8".
    assert squeeze("الصيام من 6 إلى 8 ساعات") in text
    # letters come back as letters, not the joined shapes drawn (copy, search, screen readers); only a
    # ligature of two letters (lam-alef) stays a presentation form
    raw = pdftotext(built["ar"])
    assert "إزالة تعصيب مفصل الورك" in raw
    forms = set(re.findall("[\ufb50-\ufdff\ufe70-\ufeff]", raw))
    assert all(len(unicodedata.normalize("NFKC", form)) > 1 for form in forms), forms


def test_chinese_keeps_its_numbers(built):
    doc = localize(read(SEED), "zh_Hans", Layout(TRANSLATIONS))
    duration = next(p for p in doc.parts if p.key == "duration").entries[0].text
    assert re.search(r"\d", duration)
    assert squeeze(duration) in squeeze(pdftotext(built["zh_Hans"]))


def _truetype_fonts(pdf: pikepdf.Pdf):
    seen = {}
    for page in pdf.pages:
        for name, font in page.Resources.get("/Font", {}).items():
            seen[font.objgen] = (name, font)
    return seen.values()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_font_is_embedded_with_a_unicode_map_and_no_italics(built, locale):
    with pikepdf.open(built[locale]) as pdf:
        fonts = list(_truetype_fonts(pdf))
        assert fonts
        for _, font in fonts:
            assert font.Subtype == "/TrueType", font.BaseFont
            assert "/ToUnicode" in font
            descriptor = font.FontDescriptor
            assert "/FontFile2" in descriptor, font.BaseFont
            assert float(descriptor.ItalicAngle) == 0
            assert not re.search(r"Italic|Oblique|Light|Thin", str(font.BaseFont))


@pytest.mark.parametrize("locale", LOCALES)
def test_no_character_is_drawn_from_a_font_that_lacks_it(built, locale):
    """ReportLab draws a character missing from its font with the font's .notdef glyph, silently: every code
    drawn must map, in the embedded subset, to a real glyph."""
    drawn: dict[tuple, set[int]] = {}
    fonts: dict[tuple, pikepdf.Dictionary] = {}
    with pikepdf.open(built[locale]) as pdf:
        for page in pdf.pages:
            resources = {str(k): v for k, v in page.Resources.Font.items()}
            current = None
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "Tf":
                    current = resources[str(operands[0])]
                    fonts[current.objgen] = current
                elif op in ("Tj", "TJ"):
                    strings = operands[0] if op == "TJ" else [operands[0]]
                    for item in strings:
                        if isinstance(item, pikepdf.String):
                            drawn.setdefault(current.objgen, set()).update(bytes(item))
        assert drawn
        for key, codes in drawn.items():
            font = fonts[key]
            program = ToolsFont(io.BytesIO(font.FontDescriptor.FontFile2.read_bytes()))
            notdef = program.getGlyphOrder()[0]
            cmap: dict[int, str] = {}
            for table in program["cmap"].tables:
                cmap.update(table.cmap)
            for code in codes:
                assert cmap.get(code) not in (None, notdef), f"{locale}: {font.BaseFont} draws code {code} with no glyph"


def _document(pdf: pikepdf.Pdf):
    kids = pdf.Root.StructTreeRoot.K
    return kids[0] if isinstance(kids, pikepdf.Array) else kids


def _elements(element, found: list) -> None:
    found.append(element)
    kids = element.get("/K")
    for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            _elements(kid, found)


@pytest.mark.parametrize("locale", ["en", "ar", "hi"])
def test_the_file_is_tagged_with_language_title_and_structure(built, locale):
    with pikepdf.open(built[locale]) as pdf:
        root = pdf.Root
        assert root.Lang == locale.replace("_", "-")
        assert root.MarkInfo.Marked is True
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title)
        with pdf.open_metadata() as meta:
            assert meta["dc:title"] == str(pdf.docinfo.Title)
            assert meta["{http://www.aiim.org/pdfua/ns/id/}part"] == "1"
        document = _document(pdf)
        assert document.S == "/Document"
        elements: list = []
        _elements(document, elements)
        kinds = [str(e.S) for e in elements]
        assert kinds.index("/H1") < kinds.index("/H2")
        for kind in ("/P", "/L", "/LI", "/Lbl", "/LBody", "/Figure"):
            assert kind in kinds
        assert root.Outlines.Count != 0
        for page in pdf.pages:
            assert "/StructParents" in page.obj


def test_page_footers_are_artifacts_and_every_other_text_is_tagged(built):
    with pikepdf.open(built["en"]) as pdf:
        page = pdf.pages[0]
        depth_tagged = depth_artifact = 0
        stack = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                stack.append(str(operands[0]))
            elif op == "EMC":
                stack.pop()
            elif op in ("Tj", "TJ"):
                assert stack, "text outside marked content"
                if "/Artifact" in stack:
                    depth_artifact += 1
                else:
                    depth_tagged += 1
        assert depth_tagged and depth_artifact


def pdfua_findings(path: Path) -> str:
    result = subprocess.run(
        [str(Path(__import__("sys").executable)), "-m", "pdfua", "check", str(path)], capture_output=True, text=True
    )
    return result.stdout + result.stderr


@pytest.mark.parametrize("locale", LOCALES)
def test_the_pdfua_checker_reports_no_findings(built, locale):
    report = pdfua_findings(built[locale])
    assert "result: PASS (no findings)" in report, report
    assert "[skip" not in report, report


def test_paper_follows_the_locales_country_or_the_option(built, tmp_path):
    with pikepdf.open(built["en"]) as pdf:  # en: United States
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 612, 792]
    with pikepdf.open(built["ru"]) as pdf:
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]
    report = build([SEED], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path, locales=["en"], fmt="pdf", paper="a4")
    with pikepdf.open(report.outputs[0].path) as pdf:
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]


def test_a_draft_translation_says_so_in_the_locale_and_in_english_on_page_one(built):
    with pdfplumber.open(built["ru"]) as pdf:
        first = squeeze(pdf.pages[0].extract_text())
    assert squeeze(wording.DRAFT_NOTICE) in first
    doc = localize(read(SEED), "ru", Layout(TRANSLATIONS))
    assert squeeze(doc.words.gettext(wording.DRAFT_NOTICE)) in first
    with pdfplumber.open(built["en"]) as pdf:
        assert squeeze(wording.DRAFT_NOTICE) not in squeeze(pdf.pages[0].extract_text())


def test_footer_has_localized_page_numbers_and_the_stamp_on_every_page(built):
    with pdfplumber.open(built["en"]) as pdf:
        total = len(pdf.pages)
        for number, page in enumerate(pdf.pages, 1):
            text = squeeze(page.extract_text())
            assert squeeze(f"Page {number} of {total}") in text
            assert squeeze("Leaflet 0.1.0,") in text and "original" in text
    assert "صفحة1من" in squeeze(pdftotext(built["ar"]))


def test_numbers_leaflet_prints_itself_use_the_digits_the_translation_uses():
    from leaflet.localize import _numbering

    assert _numbering("الصيام لمدة ٦-٨ ساعات و٣٠ دقيقة") == "arab"
    assert _numbering("الصيام لمدة 6-8 ساعات") == "latn"
    doc = localize(read(SEED), "ar", Layout(TRANSLATIONS))
    arabic = type(doc)(**{**doc.__dict__, "numbering": "arab"})
    assert arabic.number(12) == "١٢"


# --- untrusted text ---------------------------------------------------------------------------------------------

MARKUP_LINES = [
    '<img src="/etc/passwd"/>',
    '<font size="200" color="red">BIG</font>',
    '<font color="[[[expression]]]">',
    "a & b < c",
    "{page.__class__} &amp; <b>bold?</b>",
]


def _procedure_with(tmp_path: Path, lines: list[str]) -> Path:
    text = SEED.read_text(encoding="utf-8").replace(
        "Summary\n", "Summary\n" + "\n\n".join(lines) + "\n\n", 1
    )
    path = tmp_path / "markup-test.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_markup_in_the_document_prints_exactly_as_written_at_the_normal_size(tmp_path):
    source = _procedure_with(tmp_path, MARKUP_LINES)
    report = build([source], layout=Layout(tmp_path / "translations"), config=load(), out=tmp_path / "out", fmt="pdf")
    pdf_path = report.outputs[0].path
    with pdfplumber.open(pdf_path) as pdf:
        first_page = pdf.pages[0].extract_text()  # the characters as drawn, spaces included
    text = squeeze(pdftotext(pdf_path))  # poppler guesses spaces from gaps: compared without them
    for line in MARKUP_LINES:
        assert line in first_page, line
        assert squeeze(line) in text, line
    sizes = {round(c["size"], 1) for _, c in _chars(pdf_path)}
    assert max(sizes) <= 22
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            assert "/XObject" not in page.Resources or all(
                x.Subtype == "/Image" and x.Width == 240 for x in page.Resources.XObject.values()
            )  # no image but the logo


def _set_translation(po: Path, msgid: str, msgstr: str) -> None:
    text = po.read_text(encoding="utf-8")
    pattern = re.compile(r'(msgid "' + re.escape(msgid) + r'"\nmsgstr )"(?:[^"\\]|\\.)*"')
    assert pattern.search(text), msgid
    escaped = msgstr.replace("\\", "\\\\").replace('"', '\\"')
    po.write_text(pattern.sub(lambda m: m.group(1) + '"' + escaped + '"', text), encoding="utf-8")


def test_markup_and_format_fields_in_a_translation_are_refused_and_would_print_literally(tmp_path, monkeypatch):
    translations = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, translations)
    po = translations / "pl" / "LC_MESSAGES" / "leaflet.po"
    _set_translation(po, "Page {page} of {pages}", '<font size="200">{page}</font> {pages.__class__} & {pages}')
    # The gate: leaflet check calls it an error, so the build refuses it, and --allow-incomplete prints the English.
    with pytest.raises(CatalogError, match="leaflet check"):
        build([SEED], layout=Layout(translations), config=load(), out=tmp_path / "out", locales=["pl"], fmt="pdf")
    report = build([SEED], layout=Layout(translations), config=load(), out=tmp_path / "out", locales=["pl"], fmt="pdf",
                   allow_incomplete=True)
    assert "Page 1 of" in pdftotext(report.outputs[0].path) and "__class__" not in pdftotext(report.outputs[0].path)
    # Behind the gate, the drawing never reads catalog text as markup or format fields: with the gate off, the
    # translation prints exactly as written, at the normal size.
    monkeypatch.setattr("leaflet.checks.set_aside_wrong", lambda *args: 0)
    report = build([SEED], layout=Layout(translations), config=load(), out=tmp_path / "out", locales=["pl"], fmt="pdf",
                   allow_incomplete=True, force=True)  # the inputs are the same: only the code was changed
    extracted = pdftotext(report.outputs[0].path)
    pages = report.outputs[0].pages
    assert f'<font size="200">1</font> {{pages.__class__}} & {pages}' in extracted
    sizes = {round(c["size"], 1) for _, c in _chars(report.outputs[0].path)}
    assert max(sizes) <= 22


def test_a_translation_that_loses_a_placeholder_or_is_blank_is_not_used(tmp_path):
    """A phone number must never vanish because a translator retyped {phone}: the English stands in, marked
    as English for a screen reader, and the build reports it."""
    translations = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, translations)
    po = translations / "ru" / "LC_MESSAGES" / "leaflet.po"
    _set_translation(po, "Phone: {phone}", "Телефон: {телефон}")
    _set_translation(po, "What are the risks?", "   ")
    config = Config(clinic="Riverside Clinic", phone="020 7946 0958", logo=None)
    with pytest.raises(CatalogError, match="1 untranslated"):  # the blank one is no translation
        build([SEED], layout=Layout(translations), config=config, out=tmp_path / "out", locales=["ru"], fmt="pdf")
    report = build([SEED], layout=Layout(translations), config=config, out=tmp_path / "out", locales=["ru"], fmt="pdf",
                   allow_incomplete=True)
    path = report.outputs[0].path
    text = squeeze(pdftotext(path))
    assert squeeze("Phone: 020 7946 0958") in text and "{телефон}" not in text
    assert squeeze("What are the risks?") in text
    assert report.outputs[0].missing == 2
    with pikepdf.open(path) as pdf:
        elements: list = []
        _elements(_document(pdf), elements)
        english = [e for e in elements if str(e.get("/Lang", "")) == "en"]
    assert {str(e.S) for e in english} >= {"/P", "/H2"}


def test_a_phone_number_reads_left_to_right_in_an_arabic_leaflet(tmp_path):
    config = Config(clinic="Riverside Clinic", phone="+44 20 7946-0958", logo=None)
    report = build([SEED], layout=Layout(TRANSLATIONS), config=config, out=tmp_path, locales=["ar"], fmt="pdf")
    lines: dict[tuple, list] = {}
    with pdfplumber.open(report.outputs[0].path) as pdf:
        for number, page in enumerate(pdf.pages):
            for char in page.chars:  # grouped by baseline, whatever the font's height: the line as it is seen
                lines.setdefault((number, round(char["matrix"][5])), []).append(char)
    seen = ["".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])) for chars in lines.values()]
    assert any("+44 20 7946-0958" in line for line in seen), [l for l in seen if "7946" in l]


# --- fonts and refusals -------------------------------------------------------------------------------------------


def test_latin_locales_build_with_no_system_fonts_and_other_scripts_are_refused_naming_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv("LEAFLET_SYSTEM_FONTS", "0")
    report = build([SEED], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path, locales=["en", "pl", "vi"], fmt="pdf")
    for output in report.outputs:
        with pikepdf.open(output.path) as pdf:
            names = {str(f.BaseFont) for _, f in _truetype_fonts(pdf)}
        assert all("DejaVuSans" in n for n in names), names
    with pytest.raises(RenderError, match="fonts-noto-core"):
        build([SEED], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / "x", locales=["ar"], fmt="pdf")
    assert not (tmp_path / "x").exists()


def test_a_font_set_in_config_is_used_for_its_script(tmp_path):
    dejavu = ROOT / "assets" / "fonts" / "DejaVuSans.ttf"
    config = Config(fonts={"Cyrl": {"regular": str(dejavu)}}, logo=None)
    report = build([SEED], layout=Layout(TRANSLATIONS), config=config, out=tmp_path, locales=["ru"], fmt="pdf")
    with pikepdf.open(report.outputs[0].path) as pdf:
        names = {str(f.BaseFont) for _, f in _truetype_fonts(pdf)}
    assert any("DejaVuSans" in n for n in names)


def test_font_size_below_16_is_refused_and_16_is_honoured(tmp_path):
    with pytest.raises(ConfigError, match="too small"):
        build([SEED], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path, locales=["en"], fmt="pdf", font_size=15)
    report = build([SEED], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path, locales=["en"], fmt="pdf", font_size=16)
    sizes = [round(c["size"], 1) for _, c in _chars(report.outputs[0].path) if c["text"].strip()]
    assert min(sizes) == 16.0 and max(sizes) == 20.0


def test_an_incomplete_catalog_is_refused_unless_allowed(tmp_path):
    translations = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, translations)
    po = translations / "ru" / "LC_MESSAGES" / "hip-joint-denervation.po"
    po.write_text(re.sub(r'msgstr "[^"]+"\n\n#', 'msgstr ""\n\n#', po.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    with pytest.raises(CatalogError, match="1 untranslated"):
        build([SEED], layout=Layout(translations), config=load(), out=tmp_path / "out", locales=["ru"], fmt="pdf")
    assert not (tmp_path / "out").exists()
    report = build([SEED], layout=Layout(translations), config=load(), out=tmp_path / "out", locales=["ru"], fmt="pdf",
                   allow_incomplete=True)
    assert report.outputs[0].missing == 1
    default = build([SEED], layout=Layout(translations), config=load(), out=tmp_path / "d", fmt="pdf")
    assert "ru" not in {o.locale for o in default.outputs} and "en" in {o.locale for o in default.outputs}


def test_qr_code_to_the_audio_guide_with_a_localized_caption(tmp_path):
    config = Config(audio_url="https://example.org/guides/{domain}/{locale}/", logo=None)
    report = build([SEED], layout=Layout(TRANSLATIONS), config=config, out=tmp_path, locales=["pl"], fmt="pdf")
    path = report.outputs[0].path
    doc = localize(read(SEED), "pl", Layout(TRANSLATIONS))
    assert squeeze(doc.words.gettext(wording.QR_CAPTION)) in squeeze(pdftotext(path))
    with pikepdf.open(path) as pdf:
        elements: list = []
        _elements(_document(pdf), elements)
        alts = [str(e.get("/Alt", "")) for e in elements if e.S == "/Figure"]
    assert any("https://example.org/guides/hip-joint-denervation/pl/" in alt for alt in alts)
    assert "result: PASS (no findings)" in pdfua_findings(path)


def test_the_same_inputs_give_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    first = build([SEED], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / "a", locales=["ar"], fmt="pdf")
    second = build([SEED], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / "b", locales=["ar"], fmt="pdf")
    assert first.outputs[0].path.read_bytes() == second.outputs[0].path.read_bytes()


def test_the_page_count_comes_with_the_file_and_a_second_render_in_the_process_gives_the_same_bytes(monkeypatch):
    """The page count comes with the file, so that no one need read the file again to count them; what a render
    keeps (lines set in its first pass, fonts registered once a process) changes nothing in the next render."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    doc = localize(read(SEED), "ru", Layout(TRANSLATIONS))
    data, pages = render_counted(doc, load())
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pages == len(pdf.pages) > 1
    assert render(doc, load()) == data


def test_a_paragraph_split_across_pages_is_one_element_read_in_order(built):
    """ru has a paragraph that runs onto the next page: one P whose content is on both pages, in page order."""
    with pikepdf.open(built["ru"]) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        elements: list = []
        _elements(_document(pdf), elements)
        split = []
        for element in elements:
            kids = element.get("/K")
            refs = [k for k in (list(kids) if isinstance(kids, pikepdf.Array) else [kids]) if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR"]
            on = [pages[k.Pg.objgen] for k in refs]
            if len(set(on)) > 1:
                split.append(on)
        assert split, "expected a paragraph running over a page break in the Russian leaflet"
        assert all(on == sorted(on) for on in split)


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_every_section_has_a_bookmark(built, locale):
    doc = localize(read(SEED), locale, Layout(TRANSLATIONS))
    with pikepdf.open(built[locale]) as pdf:
        with pdf.open_outline() as outline:
            titles = []
            stack = list(outline.root)
            while stack:
                item = stack.pop(0)
                titles.append(item.title)
                stack[:0] = list(item.children)
    assert titles[0] == doc.title
    for part in doc.parts:
        assert part.heading in titles
    assert doc.words.gettext(wording.CONTACT_HEADING) in titles and doc.words.gettext(wording.STAFF_HEADING) in titles


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_all_text_is_black_on_white_and_upright(built, locale):
    for _, char in _chars(built[locale]):
        assert tuple(char["non_stroking_color"] or (0,)) in ((0,), (0, 0, 0), (0, 0, 0, 1)), char
        assert char["upright"], char["text"]


def test_a_country_variant_uses_its_languages_catalogs_and_english_variants_are_the_source(tmp_path):
    report = build([SEED], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path, locales=["ru-RU", "en-GB"], fmt="pdf")
    by_locale = {o.locale: o for o in report.outputs}
    assert by_locale["ru_RU"].draft and by_locale["ru_RU"].missing == 0
    assert not by_locale["en_GB"].draft
    with pikepdf.open(by_locale["ru_RU"].path) as pdf:
        assert pdf.Root.Lang == "ru-RU"
    with pikepdf.open(by_locale["en_GB"].path) as pdf:  # Great Britain: A4
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]


def test_a_locale_with_no_catalog_at_all_is_refused_even_when_incomplete_is_allowed(tmp_path):
    with pytest.raises(CatalogError, match="no ja catalog"):
        build([SEED], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path, locales=["en", "ja"], fmt="pdf",
              allow_incomplete=True)
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("size", [24.0, 36.0])
def test_giant_print_builds_with_nothing_smaller_and_the_stamp_kept(tmp_path, size):
    report = build([SEED], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path, locales=["ru"], fmt="pdf",
                   font_size=size)
    path = report.outputs[0].path
    sizes = [round(c["size"], 1) for _, c in _chars(path) if c["text"].strip()]
    assert min(sizes) == size and max(sizes) == size + 4
    assert "0.1.0" in pdftotext(path)  # the stamp: in every footer, or once at the end when it would fill pages
    assert "result: PASS (no findings)" in pdfua_findings(path)
    with pytest.raises(ConfigError, match="too large"):
        build([SEED], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path, locales=["ru"], fmt="pdf", font_size=37)


def test_a_character_beyond_the_basic_plane_reads_back_as_itself(tmp_path):
    source = _procedure_with(tmp_path, ["Please smile \U0001F600 and relax."])
    report = build([source], layout=Layout(tmp_path / "translations"), config=load(), out=tmp_path / "out", fmt="pdf")
    assert "Please smile \U0001F600 and relax." in pdftotext(report.outputs[0].path)


def _oblique(upright: Path, path: Path) -> None:
    """The upright font marked as DejaVu Sans Oblique is: the OS/2 and head italic bits, a slant of -11 degrees in
    'post', and Oblique for its style name."""
    from fontTools.ttLib import TTFont

    font = TTFont(upright)
    font["OS/2"].fsSelection = (font["OS/2"].fsSelection | 1) & ~(1 << 6)  # italic, not regular
    font["head"].macStyle |= 2
    font["post"].italicAngle = -11.0
    for record in font["name"].names:
        if record.nameID in (2, 17):
            record.string = "Oblique"
    font.save(path)


@pytest.mark.parametrize(
    "setting,needle",
    [
        ('[clinic]\nlogo = "logo.png"\n', "not a PNG or JPEG image"),
        ('[clinic]\nname = "A\\u0000B"\n', "control character"),
        ('[fonts.Latn]\nregular = "oblique.ttf"\n', "italic"),  # made by the test, as DejaVu Sans Oblique is marked
        ('[fonts.Latn]\nregular = "x.ttf"\nindex = "x"\n', "whole number"),
    ],
)
def test_config_mistakes_are_refused_in_one_clear_error(tmp_path, setting, needle):
    (tmp_path / "logo.png").write_text("not an image")
    if "oblique.ttf" in setting:  # make setup installs no italic font: this one is the shipped one, marked slanted
        _oblique(ROOT / "assets" / "fonts" / "DejaVuSans.ttf", tmp_path / "oblique.ttf")
    (tmp_path / "leaflet.toml").write_text(setting)
    with pytest.raises((ConfigError, RenderError), match=needle):
        config = load(tmp_path / "leaflet.toml")
        build([SEED], layout=Layout(TRANSLATIONS), config=config, out=tmp_path / "out", locales=["en"], fmt="pdf")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("angle,upright", [(0.0, True), (-12.0, False), (-0.5, False)])
def test_a_font_slanted_only_by_its_post_table_is_refused_as_italic(tmp_path, angle, upright):
    from fontTools.ttLib import TTFont

    from leaflet.render.fonts import load_face

    font = TTFont(ROOT / "assets" / "fonts" / "DejaVuSans.ttf")
    font["OS/2"].fsSelection &= ~1  # not marked italic where the OS/2 table says so
    font["post"].italicAngle = angle
    path = tmp_path / f"slanted{angle}.ttf"
    font.save(path)
    if upright:
        assert load_face("Test", path).covers("A")
    else:
        with pytest.raises(RenderError, match="italic"):
            load_face("Test", path)


def test_a_font_path_in_config_is_relative_to_the_config_file(tmp_path):
    shutil.copy(ROOT / "assets" / "fonts" / "DejaVuSans.ttf", tmp_path / "Custom.ttf")
    (tmp_path / "leaflet.toml").write_text('[clinic]\nlogo = ""\n[fonts.Cyrl]\nregular = "Custom.ttf"\n')
    report = build([SEED], layout=Layout(TRANSLATIONS), config=load(tmp_path / "leaflet.toml"), out=tmp_path / "o",
                   locales=["ru"], fmt="pdf")
    with pikepdf.open(report.outputs[0].path) as pdf:
        assert any("DejaVuSans" in str(f.BaseFont) for _, f in _truetype_fonts(pdf))  # not Noto Sans


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_structure_order_is_the_order_content_is_drawn(built, locale):
    """Marked-content ids are given out in drawing order, so the structure tree, read in order, must meet
    each page's ids in increasing order: what a screen reader reads is what the page shows, in order."""
    with pikepdf.open(built[locale]) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        order: list[tuple[int, int]] = []

        def walk(element):
            kids = element.get("/K")
            for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                    walk(kid)
                elif isinstance(kid, pikepdf.Dictionary):  # a marked-content reference
                    order.append((pages[kid.Pg.objgen], int(kid.MCID)))
                else:  # a plain MCID on the element's page
                    order.append((pages[element.Pg.objgen], int(kid)))

        walk(_document(pdf))
    assert order == sorted(order)
    assert len(order) == len(set(order)) > 50


def test_devanagari_is_shaped_and_says_which_letters_its_glyphs_stand_for(built):
    """Conjuncts such as "प्र" are glyphs of their own (HarfBuzz); each shaped run carries its text as ActualText,
    so extraction and screen readers get the letters, not private codes."""
    actual = []
    with pikepdf.open(built["hi"]) as pdf:
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
            if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/ActualText" in operands[1]:
                actual.append(str(operands[1].ActualText))
    assert any("प्र" in text for text in actual)
    from leaflet.render.fonts import FontSet
    from leaflet.render.layout import Shaper

    (line,) = Shaper(FontSet("hi"), 18).lines("प्रक्रिया", 400)
    assert str(line.runs[0].glyphs) != "प्रक्रिया"  # shaped: fewer, other glyphs than letters


def test_two_sections_under_one_heading_keep_their_own_lists(tmp_path):
    source = tmp_path / "merged.txt"
    source.write_text(
        "Title\nPurpose\n- To ease pain.\n- To help you walk.\nIndications\n1) Pain for months.\n2) Pain at night.\n"
        "Setting\nA clinic.\nPersonnel\n- A nurse.\n- A doctor.\nSummary\nWhat it is. Say namaste (नमस्ते) to the nurse.\n",
        encoding="utf-8",
    )
    report = build([source], layout=Layout(tmp_path / "t"), config=Config(logo=None), out=tmp_path / "o", fmt="pdf")
    with pdfplumber.open(report.outputs[0].path) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert re.search(r"1\.\s*Pain for months", text) and re.search(r"2\.\s*Pain at night", text)
    assert not re.search(r"3\.\s*Pain", text)
    with pikepdf.open(report.outputs[0].path) as pdf:
        elements: list = []
        _elements(_document(pdf), elements)
    assert sum(1 for e in elements if e.S == "/L") == 3  # purpose bullets, indications steps, personnel
    assert "नमस्ते" in pdftotext(report.outputs[0].path)  # a word of another script: that script's font


# --- when to get help: the warning box before the contact box ---------------------------------------------------

WARNING_SIGNS = [
    "A fever of 38 C or higher.",
    "Redness, swelling or pus where the needle went in, or bleeding that does not stop after 10 minutes.",
    "New weakness or numbness in your leg.",
]
WARNING_CLOSING = "If you cannot reach us, call 911."


@pytest.fixture(scope="module")
def warned(tmp_path_factory):
    """The seed with a warning section and, after it in the source, a section of the clinic's own; built in
    English, Spanish (its catalogs know the headings, not the new text) and Arabic (right to left)."""
    folder = tmp_path_factory.mktemp("warned")
    source = folder / SEED.name  # the seed's name: its catalogs apply
    source.write_text(
        SEED.read_text(encoding="utf-8").rstrip("\n") + "\nWarning signs\n" + "".join(f"- {s}\n" for s in WARNING_SIGNS)
        + WARNING_CLOSING + "\nParking\nPark at the back of the clinic.\n",
        encoding="utf-8",
    )
    report = build([source], layout=Layout(TRANSLATIONS), config=load(), out=folder / "out", locales=["en", "es", "ar"],
                   fmt="pdf", allow_incomplete=True)
    return source, {o.locale: o.path for o in report.outputs}


def _framed(path: Path, heading: str) -> tuple[object, dict, list[dict]]:
    """The page whose H2 line is `heading`, the stroked rectangle around that line and the characters inside it.
    The H2's characters are compared as a multiset: pdfplumber gives a right-to-left line in visual order."""
    from collections import Counter

    wanted = Counter(squeeze(heading))
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines: dict[int, list] = {}
            for char in page.chars:
                if char.get("tag") == "H2":
                    lines.setdefault(round(char["top"]), []).append(char)
            for top, chars in lines.items():
                if Counter(squeeze("".join(c["text"] for c in chars))) == wanted:
                    (frame,) = [r for r in page.rects if r["stroke"] and not r["fill"] and r["top"] < top < r["bottom"]]
                    inside = [c for c in page.chars if c["text"].strip() and frame["top"] < c["top"] < frame["bottom"]]
                    return page, frame, inside
    raise AssertionError(f"no framed H2 {heading!r}")


def test_the_warning_part_is_read_after_every_other_part_and_right_before_the_contact_box(warned):
    source, paths = warned
    doc = localize(read(source), "en", Layout(TRANSLATIONS))
    assert [p.key for p in doc.parts][-2:] == ["other", "warning"]
    text = squeeze(body_text(paths["en"]))
    last_other = text.find(squeeze("Park at the back of the clinic."))
    heading = text.find(squeeze("When should I get help?"))
    contact = text.find(squeeze(wording.CONTACT_HEADING))
    assert 0 <= last_other < heading < contact
    position = heading
    for sign in [*WARNING_SIGNS, WARNING_CLOSING]:
        found = text.find(squeeze(sign), position)
        assert found > position, f"missing or out of order: {sign!r}"
        position = found
    assert text[position + len(squeeze(WARNING_CLOSING)):contact] == ""  # nothing between the two boxes
    for part in doc.parts[:-1]:
        assert text.find(squeeze(part.heading)) < heading, part.heading


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_warning_box_has_a_black_frame_of_at_least_2_5_pt_heavier_than_the_contact_box(warned, locale):
    source, paths = warned
    doc = localize(read(source), locale, Layout(TRANSLATIONS))
    page, box, inside = _framed(paths[locale], doc.parts[-1].heading)
    contact_page, contact, _ = _framed(paths[locale], doc.words.gettext(wording.CONTACT_HEADING))
    assert box["linewidth"] >= 2.5 and box["linewidth"] >= 1.5 * contact["linewidth"]
    assert (page.page_number, box["bottom"]) < (contact_page.page_number, contact["top"]), "the warning box first"
    assert box["stroking_color"] in (0, (0,), [0], (0, 0, 0), [0, 0, 0])  # black on white paper: 21:1
    assert box["tag"] == "Artifact" and box["mcid"] is None  # decoration, not content
    # the frame surrounds its text, and the text stays clear of the heavy line
    half = box["linewidth"] / 2
    assert {c["tag"] for c in inside} >= {"H2", "Lbl", "LBody"}
    assert all(box["x0"] + half < c["x0"] and c["x1"] < box["x1"] - half for c in inside)
    assert all(box["top"] + half < c["top"] and c["bottom"] < box["bottom"] - half for c in inside)
    # and the frame is inside the 25 mm margins
    assert box["x0"] - half >= 25 * MM - 0.5 and box["x1"] + half <= page.width - 25 * MM + 0.5


def test_the_warning_box_keeps_large_print_and_its_text_is_tagged_as_any_part(warned):
    source, paths = warned
    page, box, inside = _framed(paths["en"], "When should I get help?")
    sizes = {round(c["size"], 1) for c in inside}
    assert min(sizes) >= 18.0 and {round(c["size"], 1) for c in inside if c["tag"] == "H2"} == {20.0}
    assert {c["tag"] for c in inside} == {"H2", "Lbl", "LBody", "P"}
    assert "".join(c["text"] for c in inside if c["tag"] == "Lbl") == "\u2022" * len(WARNING_SIGNS)
    lines: dict[float, list] = {}
    for char in inside:
        lines.setdefault(round(char["bottom"], 1), []).append(char)
    baselines = sorted(lines)
    assert min(b - a for a, b in zip(baselines, baselines[1:])) == pytest.approx(27, abs=0.5)  # 1.5 x 18
    starts = sorted({round(min(c["x0"] for c in chars)) for chars in lines.values()})
    # ragged right, aligned left: every line starts at the box's text edge, or after a bullet
    assert len(starts) == 2 and starts[0] == round(min(c["x0"] for c in inside if c["tag"] == "H2"))
    with pikepdf.open(paths["en"]) as document:
        elements: list = []
        _elements(_document(document), elements)
        kinds = [str(e.S) for e in elements]
        assert kinds.count("/H2") == len(localize(read(source), "en", Layout(TRANSLATIONS)).parts) + 2  # contact, staff
        for item in (e for e in elements if str(e.S) == "/LI"):
            assert [str(kid.S) for kid in item.K] == ["/Lbl", "/LBody"]
        # the frame's path is drawn inside an artifact, with its heavier line width
        stack, width, framed = [], None, []
        for operands, operator in pikepdf.parse_content_stream(document.pages[page.page_number - 1]):
            op = str(operator)
            if op in ("BDC", "BMC"):
                stack.append(str(operands[0]))
            elif op == "EMC":
                stack.pop()
            elif op == "w":
                width = float(operands[0])
            elif op == "re":
                framed.append((width, "/Artifact" in stack))
        assert (box["linewidth"], True) in framed and all(artifact for _, artifact in framed)


@pytest.mark.parametrize("locale", ["en", "es", "ar"])
def test_a_leaflet_with_a_warning_box_passes_the_pdfua_checker(warned, locale):
    report = pdfua_findings(warned[1][locale])
    assert "result: PASS (no findings)" in report, report
    assert "[skip" not in report, report


def test_a_spanish_leaflet_prints_the_warning_heading_from_its_catalog_before_the_contact_box(warned):
    source, paths = warned
    doc = localize(read(source), "es", Layout(TRANSLATIONS))
    heading = doc.words.gettext("When should I get help?")
    assert heading != "When should I get help?" and doc.parts[-1].heading == heading
    assert doc.parts[-1].heading_lang is None
    text = squeeze(body_text(paths["es"]))
    assert squeeze("When should I get help?") not in text
    assert 0 <= text.find(squeeze(heading)) < text.find(squeeze(WARNING_SIGNS[0])) < text.find(
        squeeze(doc.words.gettext(wording.CONTACT_HEADING)))
    with pikepdf.open(paths["es"]) as pdf:
        with pdf.open_outline() as outline:
            titles, stack = [], list(outline.root)
            while stack:
                item = stack.pop(0)
                titles.append(item.title)
                stack[:0] = list(item.children)
    assert titles[-3:] == [heading, doc.words.gettext(wording.CONTACT_HEADING), doc.words.gettext(wording.STAFF_HEADING)]


def test_a_leaflet_without_a_warning_section_has_no_warning_box(built):
    assert "When should I get help?" not in pdftotext(built["en"])
    with pdfplumber.open(built["en"]) as pdf:
        frames = [r for page in pdf.pages for r in page.rects if r["stroke"] and not r["fill"]]
    assert frames and max(r["linewidth"] for r in frames) == 2.0  # the contact box's only
