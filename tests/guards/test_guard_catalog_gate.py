"""The catalog gate, through the real path a build takes: PO files on disk, read by Babel, turned into the leaflet a
patient reads by localize() and into the spoken guide by guide.script(). A fuzzy translation (an unchecked
suggestion) is never printed; a plural message with a form left blank is an error, set aside whole; a leaflet is a
draft, and says so in print and aloud, while any catalog it uses is unreviewed or changed since its review.

The procedure and its Russian catalogs are russian.py's."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from babel.messages.catalog import Message

from leaflet import reader, wording
from leaflet.catalogs import Catalog, Layout, procedure_template, read_catalog, serialize
from leaflet.checks import Pair, check_empty, errors_in, set_aside_wrong
from leaflet.config import Config
from leaflet.errors import CatalogError
from leaflet.localize import Localized, _Catalog, completeness, localize, require_complete
from leaflet.memory import Memory, is_translated
from leaflet.render.pdf import render

from conftest import ROOT
from russian import SOURCE, localized, procedure_catalog, procedure_of, put, spoken_lines, wording_catalog

NOTICE = "Черновой перевод — ещё не проверен квалифицированным медицинским переводчиком"
STEPS = "This guide has {count} step."


# --- a fuzzy translation is never printed ------------------------------------------------------------------------


def test_a_fuzzy_translation_is_not_printed_the_english_source_stands_in_and_it_is_counted(tmp_path):
    """A fuzzy entry is a suggestion nobody checked; here it says the opposite of the source."""
    root = tmp_path / "translations"
    procedure = procedure_of(tmp_path)
    catalog = procedure_catalog(procedure)
    fuzzy = catalog.get("Do not eat after midnight.", context="preparation")
    fuzzy.string, fuzzy.flags = "Ешьте после полуночи.", {"fuzzy"}
    put(root, catalog)
    put(root, wording_catalog())
    doc = localized(tmp_path, procedure)
    preparation = next(part for part in doc.parts if part.key == "preparation")
    assert [(e.text, e.lang) for e in preparation.entries] == [
        ("Do not eat after midnight.", "en"), ("Возьмите с собой таблетки.", None)]
    assert all("Ешьте" not in e.text for part in doc.parts for e in part.entries)
    assert doc.source_missing == 1 and doc.draft
    templates = {procedure.domain: procedure_template(procedure)}
    assert completeness(Layout(root), "ru", templates) == (0, 1)
    with pytest.raises(CatalogError, match="0 untranslated, 1 fuzzy"):
        require_complete(procedure, Layout(root), "ru", templates)


def test_a_fuzzy_title_is_not_printed_either(tmp_path):
    root = tmp_path / "translations"
    procedure = procedure_of(tmp_path)
    catalog = procedure_catalog(procedure)
    catalog.get("Hip injection", context="title").flags = {"fuzzy"}
    put(root, catalog)
    put(root, wording_catalog())
    doc = localized(tmp_path, procedure)
    assert doc.title == "Hip injection" and doc.source_missing == 1


def test_a_fuzzy_wording_translation_is_not_printed(tmp_path):
    root = tmp_path / "translations"
    procedure = procedure_of(tmp_path)
    put(root, procedure_catalog(procedure))
    words = wording_catalog()
    words.get(wording.DRAFT_NOTICE).flags = {"fuzzy"}
    put(root, words)
    doc = localized(tmp_path, procedure)
    assert doc.words.gettext(wording.DRAFT_NOTICE) == wording.DRAFT_NOTICE
    assert doc.words.fallbacks[wording.DRAFT_NOTICE] == "untranslated"


# --- a plural message with a form left blank ----------------------------------------------------------------------


@pytest.mark.parametrize("blank", [0, 1, 2])
def test_a_plural_with_one_form_left_blank_is_an_error_in_the_gate(blank):
    words = wording_catalog()
    forms = list(words.get(STEPS).string)
    forms[blank] = ""
    words.get(STEPS).string = tuple(forms)
    found = errors_in(words, "leaflet", "ru", "leaflet.po")
    assert [(f.code, f.excerpt, f.message) for f in found] == [
        ("empty", STEPS, "1 of the 3 plural forms are empty")]


@pytest.mark.parametrize("blank", [0, 1, 2])
def test_a_plural_with_one_form_left_blank_is_set_aside_whole_and_the_guide_says_the_english(tmp_path, blank):
    """Every number gets the English sentence, said in English, and the message counts as missing: not the
    translated forms for some numbers and, for the numbers of the blank form, English passed off as Russian."""
    root = tmp_path / "translations"
    procedure = procedure_of(tmp_path)
    put(root, procedure_catalog(procedure))
    words = wording_catalog()
    forms = list(words.get(STEPS).string)
    forms[blank] = ""
    words.get(STEPS).string = tuple(forms)
    put(root, words)
    doc = localized(tmp_path, procedure)
    for n, said in ((1, "This guide has 1 step."), (2, "This guide has 2 steps."), (5, "This guide has 5 steps."),
                    (21, "This guide has 21 steps.")):
        assert wording.guide_length(doc.words, n) == said
        assert doc.words.last_fallback
    assert STEPS in doc.words.fallbacks
    lines = spoken_lines(doc, root)
    length = [(text, lang) for text, lang in lines if "guide" in text or "аудиогиде" in text]
    assert len(length) == 1 and length[0][1] == "en" and length[0][0].startswith("This guide has ")


def test_the_same_plural_fully_translated_is_said_in_russian(tmp_path):
    """The test above can fail: with every form written, the guide says the Russian form."""
    root = tmp_path / "translations"
    procedure = procedure_of(tmp_path)
    put(root, procedure_catalog(procedure))
    put(root, wording_catalog())
    doc = localized(tmp_path, procedure)
    assert [wording.guide_length(doc.words, n) for n in (1, 2, 5)] == [
        "В этом аудиогиде 1 шаг.", "В этом аудиогиде 2 шага.", "В этом аудиогиде 5 шагов."]
    assert STEPS not in doc.words.fallbacks


# --- the review state of every catalog used ---------------------------------------------------------------------


@pytest.mark.parametrize("procedure_reviewed, wording_reviewed", [(True, False), (False, True), (False, False)])
def test_a_leaflet_is_a_draft_while_any_catalog_it_uses_is_unreviewed(tmp_path, procedure_reviewed, wording_reviewed):
    """The headings, buttons and notices of the wording catalog are read by the patient as much as the text."""
    root = tmp_path / "translations"
    procedure = procedure_of(tmp_path)
    put(root, procedure_catalog(procedure), reviewed=procedure_reviewed)
    put(root, wording_catalog(), reviewed=wording_reviewed)
    doc = localized(tmp_path, procedure)
    assert doc.draft and doc.review.state == "draft"
    assert (NOTICE, None) in spoken_lines(doc, root)


@pytest.mark.parametrize("wording_reviewed, notice", [(False, True), (True, False)])
def test_the_printed_leaflet_of_a_reviewed_procedure_has_the_notice_while_its_wording_is_unreviewed(
        tmp_path, wording_reviewed, notice):
    root = tmp_path / "translations"
    procedure = procedure_of(tmp_path)
    put(root, procedure_catalog(procedure), reviewed=True)
    put(root, wording_catalog(), reviewed=wording_reviewed)
    with pdfplumber.open(io.BytesIO(render(localized(tmp_path, procedure), Config(logo=None)))) as pdf:
        text = "".join("".join(page.extract_text().split()) for page in pdf.pages)
    assert ("".join(NOTICE.split()) in text) is notice
    assert ("".join(wording.DRAFT_NOTICE.split()) in text) is notice  # said again in English
    assert "Этапамяткарассказываетобинъекции." in text


def test_a_reviewed_procedure_with_no_wording_catalog_at_all_is_a_draft(tmp_path):
    root = tmp_path / "translations"
    procedure = procedure_of(tmp_path)
    put(root, procedure_catalog(procedure), reviewed=True)
    doc = localized(tmp_path, procedure)
    assert doc.draft and doc.review.state == "draft"


def test_a_leaflet_whose_catalogs_are_all_reviewed_is_no_draft_and_says_no_notice(tmp_path):
    root = tmp_path / "translations"
    procedure = procedure_of(tmp_path)
    put(root, procedure_catalog(procedure), reviewed=True)
    put(root, wording_catalog(), reviewed=True)
    doc = localized(tmp_path, procedure)
    assert not doc.draft and doc.review.state == "reviewed" and doc.review.by == "Dr Ana Silva"
    assert all(text != NOTICE for text, _ in spoken_lines(doc, root))


@pytest.mark.parametrize("changed", ["procedure", "wording"])
def test_a_catalog_changed_since_its_review_makes_a_draft_that_says_so_aloud(tmp_path, changed):
    """Reviewed, then a translation edited on disk: the state is "changed", a draft again, and the guide says
    the draft notice as for a catalog never reviewed."""
    root = tmp_path / "translations"
    procedure = procedure_of(tmp_path)
    paths = {"procedure": put(root, procedure_catalog(procedure), reviewed=True),
             "wording": put(root, wording_catalog(), reviewed=True)}
    path = paths[changed]
    edited = read_catalog(path, locale="ru")
    message = next(m for m in edited
                   if m.id and isinstance(m.string, str) and m.string and m.id != wording.DRAFT_NOTICE)
    message.string += " (изменено)"
    path.write_bytes(serialize(edited, document=False))
    doc = localized(tmp_path, procedure)
    assert doc.draft and doc.review.state == "changed" and doc.review.by == "Dr Ana Silva"
    lines = spoken_lines(doc, root)
    assert (NOTICE, None) in lines
    assert lines.index((NOTICE, None)) < lines.index(("Эта памятка рассказывает об инъекции.", None))


# --- the gate's own findings and what it sets aside -------------------------------------------------------------


def test_every_plural_form_left_blank_is_untranslated_not_an_error():
    """The test above can fail: a message with no form written is only untranslated (a warning elsewhere)."""
    words = wording_catalog()
    words.get(STEPS).string = ("", "", "")
    assert errors_in(words, "leaflet", "ru", "leaflet.po") == []
    assert list(check_empty(Pair(("a", "b"), ("", "", ""), None, False, (), True), "ru")) == []


def test_a_translation_of_only_white_space_is_an_error_that_says_how_to_mark_it_untranslated():
    assert list(check_empty(Pair(("Rest.",), (" \u00a0",), None, False, (), False), "ru")) == [
        ("error", "empty", "the translation is only white space; write it, or leave it empty to mark it untranslated")]


WHITE_SPACE = "the translation is only white space; write it, or leave it empty to mark it untranslated"


@pytest.mark.parametrize("forms", [("", " "), (" ", ""), (" ", "x"), ("\u00a0", "")])
def test_a_plural_with_a_form_of_only_white_space_is_an_error_beside_an_empty_one(forms):
    """A white-space form would print a blank instruction for its numbers: an error, whatever the other forms."""
    assert list(check_empty(Pair(("{count} tablet", "{count} tablets"), forms, None, False, (), True), "es")) == [
        ("error", "empty", WHITE_SPACE)]


@pytest.mark.parametrize("forms", [(" ", "x", "y"), ("x", "\t", "y"), ("", "", " "), (" ", " ", " ")])
def test_a_russian_plural_with_a_form_of_only_white_space_is_an_error_in_the_gate(forms):
    words = wording_catalog()
    words.get(STEPS).string = forms
    found = errors_in(words, "leaflet", "ru", "leaflet.po")
    assert [(f.code, f.excerpt, f.message) for f in found] == [("empty", STEPS, WHITE_SPACE)]
    assert set_aside_wrong(words, "ru", "leaflet") == 1 and words.get(STEPS).string == ("", "", "")


def test_a_finding_of_the_gate_names_its_severity_domain_locale_file_and_line(tmp_path):
    path = tmp_path / "hip.po"
    path.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgctxt "step"\nmsgid "Take 2 tablets."\nmsgstr "Примите 3."\n', "utf-8")
    catalog = read_catalog(path, locale="ru", domain="hip")
    (finding,) = errors_in(catalog, "hip", "ru", "translations/ru/LC_MESSAGES/hip.po")
    assert finding.to_dict() == {
        "severity": "error", "check": "number", "domain": "hip", "locale": "ru", "msgctxt": "step",
        "excerpt": "Take 2 tablets.", "message": "the number 2 of the source is missing or changed (the translation has 3)",
        "where": "translations/ru/LC_MESSAGES/hip.po:5"}  # the line of its msgid


def test_every_wrong_translation_is_set_aside_singular_and_plural_and_only_those():
    words = wording_catalog()
    steps = words.get(STEPS)
    steps.string = tuple(f"<b>{form}</b>" for form in steps.string)  # markup, in every form
    kept = next(m for m in words if m.id and m.string and not m.pluralizable and m.id != STEPS and not m.fuzzy)
    kept_string = kept.string
    words.add("Take 2 tablets.", "Примите 3 таблетки.", context="step")
    assert set_aside_wrong(words, "ru", "leaflet") == 2
    assert steps.string == ("", "", "")
    assert words.get("Take 2 tablets.", context="step").string == ""
    assert kept.string == kept_string
    assert errors_in(words, "leaflet", "ru", "leaflet.po") == []


def test_a_missing_catalog_file_is_a_fallback_and_no_catalog_at_all_is_the_source_itself(tmp_path):
    """A locale whose PO file is missing prints the English, marked as such; the source locale (no file asked
    for) prints its own text, which is no stand-in."""
    absent = _Catalog(tmp_path / "ru" / "hip.po", "ru", "hip")
    assert absent.text("Rest.", "step") == ("Rest.", True)
    assert _Catalog(None, "en", "hip").text("Rest.", "step") == ("Rest.", False)


def test_each_message_missing_is_counted_once_and_every_one_is_counted(tmp_path):
    path = put(tmp_path, Catalog(locale="ru", domain="hip"))
    texts = _Catalog(path, "ru", "hip")
    for msgid, context in (("Rest.", "step"), ("Rest.", "step"), ("Rest.", "title"), ("Walk.", "step")):
        assert texts.text(msgid, context) == (msgid, True)
    assert texts.missing == 3


# --- the gate checks a catalog with the rules of its own locale ---------------------------------------------------

# The count of plural forms each language has, written out: Russian 3 (1, 2-4, 5-20), Spanish 2 (1, other).
WRONG_PLURAL_HEADERS = {
    "ru": ("nplurals=2; plural=(n != 1);", 2),  # a header copied from a Spanish catalog
    "es": ("nplurals=3; plural=(n==1 ? 0 : n==0 ? 1 : 2);", 3),
}


def shipped_wording(locale: str) -> Catalog:
    return read_catalog(ROOT / "translations" / locale / "LC_MESSAGES" / "leaflet.po", locale=locale, domain="leaflet")


@pytest.mark.parametrize("locale", ["ru", "es"])
def test_a_plural_with_the_wrong_number_of_forms_for_its_language_is_not_printed(tmp_path, locale):
    """The only error of the catalog is the count of plural forms its header gives (Russian with 2, Spanish with
    3): gettext would pick a form by the wrong rule ("5 шага"). Under --allow-incomplete the English stands in
    for the message, in the catalog's own locale, not read as some other language."""
    header, count = WRONG_PLURAL_HEADERS[locale]
    words = shipped_wording(locale)
    words.mime_headers = [("Plural-Forms", header)]
    for message in words:
        if message.id and message.pluralizable:
            forms = list(message.string)
            message.string = tuple((forms + forms[-1:] * count)[:count])
    path = Layout(tmp_path / "translations").po("leaflet", locale)
    path.parent.mkdir(parents=True)
    path.write_bytes(serialize(words, document=False))
    on_disk = read_catalog(path, locale=locale, domain="leaflet")
    assert len(on_disk.get(STEPS).string) == count and all(on_disk.get(STEPS).string)
    assert [f.code for f in errors_in(on_disk, "leaflet", locale, str(path)) if f.excerpt == STEPS] == ["plural-forms"]
    doc = localize(procedure_of(tmp_path), locale, Layout(tmp_path / "translations"), source_bytes=SOURCE.encode())
    assert [wording.guide_length(doc.words, n) for n in (1, 2, 5)] == [
        "This guide has 1 step.", "This guide has 2 steps.", "This guide has 5 steps."]
    assert doc.words.fallbacks[STEPS] == "untranslated"
    assert doc.words.gettext(wording.DRAFT_NOTICE) != wording.DRAFT_NOTICE  # the rest of the catalog is used


def test_a_russian_negation_in_the_spoken_range_form_is_not_said(tmp_path):
    """"не {low}–{high}" ("not 6-8") has a negation only a Russian reader of it sees: set aside, the English form
    stands in."""
    root = tmp_path / "translations"
    procedure = procedure_of(tmp_path)
    put(root, procedure_catalog(procedure))
    words = wording_catalog()
    words.get("{low} to {high}", context="spoken").string = "не {low}–{high}"
    put(root, words)
    doc = localized(tmp_path, procedure)
    assert wording.spoken_range(doc.words) == "{low} to {high}"
    assert doc.words.fallbacks["{low} to {high}"] == "untranslated"


def test_the_russian_spoken_range_form_as_shipped_is_said(tmp_path):
    """The test above can fail."""
    root = tmp_path / "translations"
    procedure = procedure_of(tmp_path)
    put(root, procedure_catalog(procedure))
    put(root, wording_catalog())
    assert wording.spoken_range(localized(tmp_path, procedure).words) == "{low}–{high}"


# --- what the gate leaves alone: fuzzy entries and warnings -------------------------------------------------------


def test_a_fuzzy_entry_with_a_wrong_number_is_no_error_and_is_not_set_aside():
    """A fuzzy entry is never printed: its wrong number must not block a build or a review, and the suggestion
    stays for the translator to correct."""
    words = wording_catalog()
    words.add("Take 2 tablets.", "Примите 3 таблетки.", context="step", flags={"fuzzy"})
    assert errors_in(words, "leaflet", "ru", "leaflet.po") == []
    assert set_aside_wrong(words, "ru", "leaflet") == 0
    assert words.get("Take 2 tablets.", context="step").string == "Примите 3 таблетки."


def test_a_fuzzy_plural_with_a_form_left_blank_is_no_error_either():
    words = wording_catalog()
    steps = words.get(STEPS)
    steps.string, steps.flags = ("В этом аудиогиде {count} шаг.", "", ""), {"fuzzy"}
    assert errors_in(words, "leaflet", "ru", "leaflet.po") == []
    assert set_aside_wrong(words, "ru", "leaflet") == 0
    assert steps.string == ("В этом аудиогиде {count} шаг.", "", "")


@pytest.mark.parametrize("source, translation", [
    ("Rest.", "Descanse 2 días."),  # a number added: a warning
    ("Bring your tablets.", "Bring your tablets."),  # the same as the source: a warning
    ("Bring your tablets", "Traiga sus comprimidos."),  # another end punctuation: a warning
])
def test_a_translation_with_only_a_warning_is_no_error_and_is_printed(tmp_path, source, translation):
    catalog = Catalog(locale="es", domain="hip")
    catalog.add(source, translation, context="step")
    assert errors_in(catalog, "hip", "es", "hip.po") == []
    assert set_aside_wrong(catalog, "es", "hip") == 0
    assert catalog.get(source, context="step").string == translation
    path = Layout(tmp_path).po("hip", "es")
    path.parent.mkdir(parents=True)
    path.write_bytes(serialize(catalog, document=False))
    assert _Catalog(path, "es", "hip").text(source, "step") == (translation, False)


# --- a plural with a form left blank is not translated ------------------------------------------------------------


@pytest.mark.parametrize("forms, translated", [
    (("x", ""), False), (("", "x"), False), (("x", " "), False), (("\u00a0", "x"), False), (("", ""), False),
    (("x", "x"), True), (("x", "y", "z"), True), (("x", "y", ""), False),
])
def test_a_plural_is_translated_only_when_every_form_has_text(forms, translated):
    assert is_translated(Message(("{count} step", "{count} steps"), forms)) is translated


def test_a_fuzzy_message_is_never_translated():
    assert is_translated(Message("Rest.", "Descanse.", flags={"fuzzy"})) is False
    assert is_translated(Message("Rest.", "Descanse.")) is True


STEPS_PLURAL = "This guide has {count} steps."


def partly_blank(blank: int) -> Catalog:
    """The Russian wording catalog with one form of the steps plural left blank."""
    words = wording_catalog()
    forms = list(words.get(STEPS).string)
    forms[blank] = ""
    words.get(STEPS).string = tuple(forms)
    return words


@pytest.mark.parametrize("blank", [0, 1, 2])
def test_a_plural_with_a_form_left_blank_counts_as_untranslated(tmp_path, blank):
    template = Catalog(domain="leaflet")
    template.add((STEPS, STEPS_PLURAL), context=None)
    put(tmp_path, partly_blank(blank))
    assert completeness(Layout(tmp_path), "ru", {"leaflet": template}) == (1, 0)
    put(tmp_path, wording_catalog())
    assert completeness(Layout(tmp_path), "ru", {"leaflet": template}) == (0, 0)  # the test can fail


@pytest.mark.parametrize("blank", [0, 1, 2])
def test_a_plural_with_a_form_left_blank_is_never_suggested_by_the_memory(blank):
    memory = Memory.from_catalogs([partly_blank(blank)])
    assert memory.suggest((STEPS, STEPS_PLURAL), None) is None
    whole = Memory.from_catalogs([wording_catalog()]).suggest((STEPS, STEPS_PLURAL), None)
    assert whole is not None and whole.exact  # the test can fail


# --- a wrong translation is set aside wherever it stands, whatever the review says ------------------------------

TWICE = ("Hip injection\n\nSummary\nThis leaflet explains the injection.\n\n"
         "Preparation\n- Take 2 tablets.\n\nAftercare\n- Take 2 tablets.\n")


def twice_catalog(procedure, before: str, after: str) -> Catalog:
    """The same English sentence in two sections (two contexts), each with its own translation."""
    made = Catalog(locale="ru", domain=procedure.domain)
    made.add("Hip injection", "Инъекция в тазобедренный сустав", context="title")
    made.add("This leaflet explains the injection.", "Эта памятка рассказывает об инъекции.", context="summary")
    made.add("Take 2 tablets.", before, context="preparation")
    made.add("Take 2 tablets.", after, context="recovery")
    return made


def twice_localized(tmp_path: Path, before: str, after: str, *, reviewed: bool = False) -> Localized:
    path = tmp_path / "hip-injection.txt"
    path.write_text(TWICE, encoding="utf-8")
    procedure = reader.read(path)
    root = tmp_path / "translations"
    put(root, twice_catalog(procedure, before, after), reviewed=reviewed)
    put(root, wording_catalog(), reviewed=reviewed)
    return localize(procedure, "ru", Layout(root), source_bytes=TWICE.encode())


def entries_of(doc: Localized) -> list[tuple[str, str, str | None]]:
    return [(part.key, e.text, e.lang) for part in doc.parts if part.key in ("preparation", "recovery")
            for e in part.entries]


def test_the_same_sentence_wrong_in_two_contexts_is_set_aside_in_both():
    """One msgid, two msgctxt, two messages: each is its own wrong translation, and both are blanked."""
    catalog = Catalog(locale="ru", domain="hip")
    catalog.add("Take 2 tablets.", "Примите 3 таблетки.", context="preparation")
    catalog.add("Take 2 tablets.", "Примите 4 таблетки.", context="recovery")
    assert set_aside_wrong(catalog, "ru", "hip") == 2
    assert catalog.get("Take 2 tablets.", context="preparation").string == ""
    assert catalog.get("Take 2 tablets.", context="recovery").string == ""


def test_the_same_sentence_wrong_in_two_contexts_prints_the_english_in_both(tmp_path):
    doc = twice_localized(tmp_path, "Примите 3 таблетки.", "Примите 4 таблетки.")
    assert entries_of(doc) == [("preparation", "Take 2 tablets.", "en"), ("recovery", "Take 2 tablets.", "en")]
    assert doc.source_missing == 2


def test_the_same_sentence_right_in_two_contexts_is_printed_in_both(tmp_path):
    """The test above can fail."""
    doc = twice_localized(tmp_path, "Примите 2 таблетки.", "Примите 2 таблетки до еды.")
    assert entries_of(doc) == [("preparation", "Примите 2 таблетки.", None),
                               ("recovery", "Примите 2 таблетки до еды.", None)]


def test_a_wrong_number_in_a_reviewed_catalog_is_still_not_printed(tmp_path):
    """A review records who read the catalog; it never lets a changed dose through."""
    doc = twice_localized(tmp_path, "Примите 3 таблетки.", "Примите 2 таблетки.", reviewed=True)
    assert doc.review.state == "reviewed"
    assert entries_of(doc) == [("preparation", "Take 2 tablets.", "en"), ("recovery", "Примите 2 таблетки.", None)]
    assert all("3" not in e.text for part in doc.parts for e in part.entries)
