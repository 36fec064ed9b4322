"""The draft notice, in-process: a draft leaflet says it is one in the locale's words, then in English tagged
lang="en" in the PDF's structure tree (a screen reader switches to an English voice), and says nothing of the kind
once reviewed; the audio guide says its English stand-in lines with an English voice (lang "en")."""

from __future__ import annotations

import io

import pdfplumber
import pikepdf
import pytest

from leaflet.catalogs import Catalog, translations_of
from leaflet.config import Config
from leaflet.guide import Line, _Sayer
from leaflet.localize import Entry, Localized, Words
from leaflet.render.pdf import PdfOptions, render
from leaflet.review import Review
from leaflet.speech.spoken import Rules

from russian import localized, procedure_catalog, procedure_of, put, spoken_lines, wording_catalog

ENGLISH = "Draft translation - not yet checked by a qualified medical translator"
FRENCH = "Traduction provisoire - pas encore vérifiée par un traducteur médical qualifié"
ARABIC = "ترجمة أولية - لم يراجعها مترجم طبي مؤهل بعد"
LEAD = "Cette brochure explique la dénervation."


def words(locale: str, notice: str | None) -> Words:
    made = Catalog(locale=locale, domain="leaflet")
    if notice is not None:
        made.add(ENGLISH, notice)
    return Words(translations_of(made), locale == "en")


def leaflet(locale: str, notice: str | None, review: Review = Review()) -> Localized:
    return Localized(domain="hip", locale=locale, lang=locale, title="Dénervation", lead=(Entry("paragraph", LEAD),),
                     parts=(), staff=(), source_missing=0, review=review, is_source=locale == "en", digest="0",
                     words=words(locale, notice), numbering="latn")


def pdf_of(doc: Localized) -> bytes:
    return render(doc, Config(logo=None))


KINDS = {
    "fr": ("fr", FRENCH, Review()),
    "ar": ("ar", ARABIC, Review()),
    "fr untranslated": ("fr", None, Review()),
    "fr reviewed": ("fr", FRENCH, Review("reviewed", "Dr Ana Silva", "2024-03-05")),
    "fr changed": ("fr", FRENCH, Review("changed", "Dr Ana Silva", "2024-03-05")),
    "en": ("en", None, Review()),
}


class Leaflets(dict):
    """Small leaflets of each kind, made when a test first asks for one (a fifth of a second each). Made within
    each test, not once per module: mutmut runs for a mutant only the tests that reached the mutated function."""

    def __missing__(self, kind: str) -> bytes:
        self[kind] = pdf_of(leaflet(*KINDS[kind]))
        return self[kind]


@pytest.fixture
def pdfs() -> Leaflets:
    return Leaflets()


def tagged(data: bytes) -> list[tuple[str, str | None, str, str]]:
    """The Document's children in structure order: (type, /Lang or None, text, font of its first character)."""
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        chars = {}
        for number, page in enumerate(plumber.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    chars.setdefault((number, char["mcid"]), []).append(char)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        kids = pdf.Root.StructTreeRoot.K
        document = kids[0] if isinstance(kids, pikepdf.Array) else kids
        assert document.S == "/Document"
        found = []
        for element in document.K:
            content = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
            page = pages[element.Pg.objgen]
            drawn = [c for mcid in content if isinstance(mcid, int) for c in chars.get((page, mcid), [])]
            lang = str(element.Lang) if "/Lang" in element else None
            text = "".join(c["text"] for c in drawn)
            found.append((str(element.S), lang, text, drawn[0]["fontname"].split("+")[-1] if drawn else ""))
        return found


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_a_draft_says_so_in_its_language_then_in_english_tagged_english(pdfs):
    found = tagged(pdfs["fr"])
    assert [(kind, lang, squeezed(text)) for kind, lang, text, _ in found[:4]] == [
        ("/H1", None, "Dénervation"),
        ("/P", None, squeezed(FRENCH)),
        ("/P", "en", squeezed(ENGLISH)),
        ("/P", None, squeezed(LEAD)),
    ]
    assert found[1][3] == "NotoSans-Bold" and found[2][3] == "NotoSans-Regular"


def test_a_right_to_left_draft_says_it_in_arabic_then_in_english_tagged_english(pdfs):
    found = tagged(pdfs["ar"])
    assert [(kind, lang) for kind, lang, _, _ in found[1:3]] == [("/P", None), ("/P", "en")]
    assert squeezed(found[2][2]) == squeezed(ENGLISH)
    assert found[1][3].endswith("-Bold") and not found[2][3].endswith("-Bold")


def test_the_english_notice_reads_left_to_right_from_the_left_edge_of_its_box(pdfs):
    """In a right-to-left leaflet the English lines still start at the left, as English does."""
    with pdfplumber.open(io.BytesIO(pdfs["ar"])) as pdf:
        page = pdf.pages[0]
        box = min(page.rects, key=lambda r: r["top"])
        english = [w for w in page.extract_words() if w["text"] in ("Draft", "medical")]
        local = [c for c in page.chars if c["top"] < english[0]["top"] and c["top"] > box["top"]]
    assert {round(w["x0"], 1) for w in english} == {round(english[0]["x0"], 1)}
    margin = english[0]["x0"] - box["x0"]
    assert 8 < margin < 14  # the box's padding
    assert box["x1"] - max(c["x1"] for c in local) == pytest.approx(margin, abs=0.5)  # Arabic ends at the right


def test_the_notice_is_boxed_with_half_a_line_between_its_languages_and_none_under_the_last(pdfs):
    def measure(data: bytes) -> tuple[list[float], dict]:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page = pdf.pages[0]
            box = min(page.rects, key=lambda r: r["top"])
            inside = sorted({round(c["bottom"], 1) for c in page.chars if box["top"] < c["top"] < box["bottom"]})
            return inside, box

    lines, box = measure(pdfs["fr"])
    french, english = lines[:-2], lines[-2:]  # the English notice takes two lines at 18 pt
    assert english[1] - english[0] == pytest.approx(27, abs=0.2)  # leading 1.5 at 18 pt
    assert english[0] - french[-1] == pytest.approx(27 + 13.5, abs=0.2)  # and half a line between the two
    alone, alone_box = measure(pdfs["fr untranslated"])
    assert len(alone) == 2
    # the same room under the last line of the box, with one language or two
    assert box["bottom"] - lines[-1] == pytest.approx(alone_box["bottom"] - alone[-1], abs=0.2)
    assert lines[0] - box["top"] == pytest.approx(alone[0] - alone_box["top"], abs=0.2)


def test_a_notice_left_untranslated_is_said_once_in_english_tagged_english(pdfs):
    """The English stands in for a missing translation: once, and a screen reader must read it as English."""
    found = tagged(pdfs["fr untranslated"])
    assert [(kind, lang, squeezed(text)) for kind, lang, text, _ in found[1:3]] == [
        ("/P", "en", squeezed(ENGLISH)),
        ("/P", None, squeezed(LEAD)),
    ]
    assert found[1][3] == "NotoSans-Bold"


@pytest.mark.parametrize("kind", ["fr reviewed", "en"])
def test_a_reviewed_translation_and_the_source_have_no_notice(pdfs, kind):
    found = tagged(pdfs[kind])
    assert [kind for kind, _, _, _ in found[:2]] == ["/H1", "/P"]
    assert squeezed(found[1][2]) == squeezed(LEAD)
    assert all(squeezed(ENGLISH) not in squeezed(text) and squeezed(FRENCH) not in squeezed(text)
               for _, _, text, _ in found)


def test_a_translation_changed_since_its_review_has_the_notice_again(pdfs):
    found = tagged(pdfs["fr changed"])
    assert [(kind, lang, squeezed(text)) for kind, lang, text, _ in found[1:3]] == [
        ("/P", None, squeezed(FRENCH)), ("/P", "en", squeezed(ENGLISH))]


# --- the audio guide's English stand-ins ----------------------------------------------------------------------------

LOCAL = Rules(say=(("ml", "millilitres"),))
SOURCE = Rules(say=(("ml", "milliliters"),))


def test_a_sentence_is_said_in_the_locales_voice_with_the_locales_spoken_forms():
    lines: list[Line] = []
    _Sayer(LOCAL, SOURCE, words("fr", FRENCH)).sentence(lines, "Buvez 5 ml. Puis attendez")
    assert lines == [Line("Buvez 5 ml.", "Buvez 5 millilitres.", 0.6, None),
                     Line("Puis attendez", "Puis attendez.", 0.6, None)]


def test_a_sentence_keeps_the_pause_it_is_given_and_says_nothing_for_a_stray_mark():
    lines: list[Line] = []
    sayer = _Sayer(LOCAL)
    sayer.sentence(lines, "Buvez 5 ml.", 0.75)
    sayer.sentence(lines, " - ")
    sayer.sentence(lines, "* . !")
    sayer.sentence(lines, "Fin. - ! Vraiment")
    assert lines == [Line("Buvez 5 ml.", "Buvez 5 millilitres.", 0.75, None),
                     Line("Fin.", "Fin.", 0.6, None), Line("Vraiment", "Vraiment.", 0.6, None)]


@pytest.mark.parametrize("digits", ["112", "08:00", "2"])
def test_a_sentence_of_digits_alone_is_said_as_the_leaflet_shows_it(digits):
    """An emergency number, a time or a count on a line of its own is printed in the PDF: the guide says it too,
    one line, not left out as if it were a stray mark. An item keeps an item's pause."""
    lines: list[Line] = []
    sayer = _Sayer(LOCAL)
    sayer.sentence(lines, f"Appelez le {digits}. {digits}")
    sayer.entry(lines, Entry("item", digits))
    assert lines == [Line(f"Appelez le {digits}.", f"Appelez le {digits}.", 0.6, None),
                     Line(digits, digits + ".", 0.6, None), Line(digits, digits + ".", 0.75, None)]


def test_the_english_source_standing_in_for_a_translation_is_said_in_english():
    t = words("fr", FRENCH)
    t.gettext("Drink 5 ml of water.")  # untranslated: the source stands in
    lines: list[Line] = []
    _Sayer(LOCAL, SOURCE, t).sentence(lines, "Drink 5 ml of water.")
    assert lines == [Line("Drink 5 ml of water.", "Drink 5 milliliters of water.", 0.6, "en")]


def test_a_line_marked_english_is_said_with_the_english_forms_and_without_them_by_default():
    lines: list[Line] = []
    _Sayer(LOCAL, SOURCE).sentence(lines, "Drink 5 ml.", lang="en")
    _Sayer(LOCAL).sentence(lines, "Drink 5 ml.", lang="en")  # no English list: the default rules
    assert lines == [Line("Drink 5 ml.", "Drink 5 milliliters.", 0.6, "en"), Line("Drink 5 ml.", "Drink 5 ml.", 0.6, "en")]


def test_a_phrase_the_guide_adds_is_english_exactly_when_its_lookup_fell_back():
    t = words("fr", FRENCH)
    sayer = _Sayer(LOCAL, SOURCE, t)
    lines: list[Line] = []
    sayer.phrase(lines, t.gettext(ENGLISH), 0.8)
    t.gettext("Step {number}")
    sayer.phrase(lines, "Step 1: 5 ml")
    _Sayer(LOCAL).phrase(lines, "Étape 2: 5 ml")
    assert lines == [Line(FRENCH, FRENCH + ".", 0.8, None),
                     Line("Step 1: 5 ml", "Step 1: 5 milliliters.", 0.6, "en"),
                     Line("Étape 2: 5 ml", "Étape 2: 5 millilitres.", 0.6, None)]


class PlainWords:
    """Translations that do not say which lookups fell back (a plain gettext object, as a caller may pass)."""

    def is_fallback(self, text: str) -> bool:
        return False


def test_a_phrase_is_said_in_the_locales_voice_when_the_words_do_not_track_their_lookups():
    lines: list[Line] = []
    _Sayer(LOCAL, SOURCE, PlainWords()).phrase(lines, "Étape 2: 5 ml")
    assert lines == [Line("Étape 2: 5 ml", "Étape 2: 5 millilitres.", 0.6, None)]


@pytest.mark.parametrize("kind, size", [("fr", 36), ("fr untranslated", 60)])  # 36: --font-size's most; the API takes more
def test_in_very_large_print_the_notice_goes_on_without_its_box_and_the_leaflet_follows_a_line_below(kind, size):
    """Taller than a page, the notice is set without its frame: the leaflet's first line then comes one line
    (1.5 times the size) below the notice's last, as between any two lines, not a blank line further down."""
    data = render(leaflet(*KINDS[kind]), Config(logo=None), PdfOptions(font_size=size))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            said = {w["text"]: w["bottom"] for w in page.extract_words()}
            if "Cette" in said and "translator" in said:
                assert not page.rects  # no frame
                assert said["Cette"] - said["translator"] == pytest.approx(size * 1.5, abs=0.2)
                return
    pytest.fail("the notice's last line and the leaflet's first are not on one page")


# --- the draft notice left untranslated, through the real path: catalogs on disk, localize(), guide.script() -------

RUSSIAN_NOTICE = "Черновой перевод — ещё не проверен квалифицированным медицинским переводчиком"


def spoken_guide(tmp_path, wording: str) -> list[tuple[str, str | None]]:
    """The Russian guide of a small procedure, every procedure message translated; the shipped Russian wording
    catalog copied in as it is ("shipped"), without its draft-notice entry ("no notice"), or not at all ("none")."""
    root = tmp_path / "translations"
    procedure = procedure_of(tmp_path)
    put(root, procedure_catalog(procedure))
    if wording != "none":
        shipped = wording_catalog()
        assert shipped.get(ENGLISH).string == RUSSIAN_NOTICE  # the notice's msgid, written out above
        if wording == "no notice":
            shipped.delete(ENGLISH)
        put(root, shipped)
    doc = localized(tmp_path, procedure)
    assert doc.draft
    return spoken_lines(doc, root)


@pytest.mark.parametrize("wording_catalog", ["no notice", "none"])
def test_a_draft_notice_left_untranslated_is_said_by_the_english_voice_in_the_guide(tmp_path, wording_catalog):
    """The English notice stands in for the missing Russian one: the Russian voice must not read it (it would
    mangle it past understanding), so its line is lang "en", said once, before the leaflet's own text."""
    lines = spoken_guide(tmp_path, wording_catalog)
    notices = [line for line in lines if line[0] in (ENGLISH, RUSSIAN_NOTICE)]
    assert notices == [(ENGLISH, "en")]
    assert lines.index((ENGLISH, "en")) < lines.index(("Эта памятка рассказывает об инъекции.", None))


def test_a_translated_draft_notice_is_said_by_the_locales_voice_in_the_guide(tmp_path):
    """The test above can fail: with the notice translated, the Russian line is said by the Russian voice."""
    lines = spoken_guide(tmp_path, "shipped")
    assert [line for line in lines if line[0] in (ENGLISH, RUSSIAN_NOTICE)] == [(RUSSIAN_NOTICE, None)]
