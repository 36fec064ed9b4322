"""The placeholder and markup guards, adversarially: a {phone} dropped, renamed or added, and markup the source
does not have, are errors in `leaflet check`; and at build time Words never uses a translation whose
placeholders differ: the English source stands in, and the fallback is recorded."""

from __future__ import annotations

import gettext
import io
import textwrap

import pytest
from babel.messages.pofile import read_po

from leaflet.checks import Pair, check_markup, check_placeholders, errors_in
from leaflet.localize import Words


def pair(source: str, translation: str) -> Pair:
    return Pair((source,), (translation,), None, False, (), False)


def plural(singular: str, many: str, *forms: str) -> Pair:
    return Pair((singular, many), forms, None, False, (), True)


MISSING = "the placeholder {{{}}} is missing; keep it exactly as written"
FOREIGN = "{{{}}} is not a placeholder of this message; remove it or write it as it is meant"


# --- check_placeholders ------------------------------------------------------------------------------------


def test_a_dropped_placeholder_is_an_error_naming_it():
    assert list(check_placeholders(pair("Call us on {phone}.", "Llámenos."), "es")) == [
        ("error", "placeholder", "the placeholder {phone} is missing; keep it exactly as written")]


def test_a_renamed_placeholder_is_two_errors_the_lost_one_first():
    assert list(check_placeholders(pair("Call us on {phone}.", "Llámenos al {telefono}."), "es")) == [
        ("error", "placeholder", "the placeholder {phone} is missing; keep it exactly as written"),
        ("error", "placeholder", "{telefono} is not a placeholder of this message; remove it or write it as it is meant")]


def test_an_added_placeholder_is_an_error():
    assert list(check_placeholders(pair("Call us.", "Llámenos al {phone.__class__}."), "es")) == [
        ("error", "placeholder", FOREIGN.format("phone.__class__"))]


def test_several_lost_placeholders_are_named_in_alphabetical_order():
    assert list(check_placeholders(pair("{clinic}: {phone} or {email}", "Llámenos"), "es")) == [
        ("error", "placeholder", MISSING.format(n)) for n in ("clinic", "email", "phone")]


@pytest.mark.parametrize("translation", ["Llame al {phone}, {phone}.", "{phone} llame", "Llame {phone}"])
def test_a_placeholder_kept_passes_wherever_it_stands(translation):
    assert list(check_placeholders(pair("Call {phone}.", translation), "es")) == []


def test_doubled_braces_are_no_placeholder():
    assert list(check_placeholders(pair("Write {{name}} here.", "Escriba {{name}} aquí."), "es")) == []
    assert list(check_placeholders(pair("Write {{name}} here.", "Escriba {name} aquí."), "es")) == [
        ("error", "placeholder", FOREIGN.format("name"))]


def test_a_plural_form_may_drop_count_but_no_other_placeholder():
    assert list(check_placeholders(plural("{count} day at {clinic}", "{count} days at {clinic}",
                                          "un día en {clinic}", "{count} días en {clinic}"), "es")) == []
    assert list(check_placeholders(plural("{count} day at {clinic}", "{count} days at {clinic}",
                                          "un día", "{count} días en {clinic}"), "es")) == [
        ("error", "placeholder", MISSING.format("clinic"))]
    assert list(check_placeholders(plural("one day", "many days", "un día", "{count} días"), "es")) == []


@pytest.mark.parametrize("forms", [
    ("{count} toma a las {time}", "{count} tomas"),  # Spanish: the second form
    ("{count} prise à {time}", "{count} prises à {time}", "{count} prises"),  # three forms: the last
    ("{count} dawka o {time}", "{count} dawki", "{count} dawek o {time}"),  # Polish: the middle one
])
def test_a_placeholder_lost_in_any_later_plural_form_is_an_error(forms):
    """Every form is printed for some number: one that drops {time} prints no time for that number."""
    assert list(check_placeholders(plural("{count} dose at {time}", "{count} doses at {time}", *forms), "ru")) == [
        ("error", "placeholder", MISSING.format("time"))]


def test_a_placeholder_added_in_a_later_plural_form_is_an_error():
    assert list(check_placeholders(plural("{count} dose", "{count} doses", "{count} доза", "{count} дозы",
                                          "{count} доз {phone}"), "ru")) == [("error", "placeholder", FOREIGN.format("phone"))]


def test_a_placeholder_lost_in_a_later_plural_form_of_a_po_file_is_a_build_error():
    """Through a PO file as Babel reads it, and the gate a build and `leaflet check` use."""
    po = textwrap.dedent("""\
        msgid ""
        msgstr ""
        "Language: ru\\n"
        "Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

        msgid "{count} dose at {time}"
        msgid_plural "{count} doses at {time}"
        msgstr[0] "{count} доза в {time}"
        msgstr[1] "{count} дозы в {time}"
        msgstr[2] "{count} доз"
        """)
    catalog = read_po(io.StringIO(po), locale="ru")
    assert [(f.code, f.message) for f in errors_in(catalog, "hip", "ru", "hip.po")] == [
        ("placeholder", MISSING.format("time"))]


def test_a_singular_message_must_keep_count():
    assert list(check_placeholders(pair("{count} days", "unos días"), "es")) == [
        ("error", "placeholder", MISSING.format("count"))]
    assert list(check_placeholders(pair("days", "{count} días"), "es")) == [
        ("error", "placeholder", FOREIGN.format("count"))]


# --- check_markup ------------------------------------------------------------------------------------------


MARKUP = "markup-like text the source does not have: {} (it would be printed as it is)"


@pytest.mark.parametrize(
    "translation, token",
    [
        ("<b>No</b> coma.", "<b>"),
        ("No coma &amp; beba.", "&amp;"),
        ("No coma &#60; nada.", "&#60;"),
        ("No coma &#x3C; nada.", "&#x3C;"),
        ("No <!-- x --> coma.", "<!-- x -->"),
        ("No coma <![CDATA[ x", "<![CDATA["),
        ("No coma ]]> x", "]]>"),
        ("No coma <?php x ?>", "<?php x ?>"),
        ("No coma </ b >.", "</ b >"),
    ],
)
def test_markup_the_source_lacks_is_an_error_naming_the_first_token(translation, token):
    assert list(check_markup(pair("Do not eat.", translation), "es"))[0] == ("error", "markup", MARKUP.format(token))


def test_each_markup_token_is_named_once():
    assert list(check_markup(pair("Eat.", "<i>Coma</i> <i>ya</i>"), "es")) == [
        ("error", "markup", MARKUP.format("<i>")), ("error", "markup", MARKUP.format("</i>"))]


def test_a_long_tag_is_cut_in_the_message():
    token = '<img src="/etc/passwd/and/a/long/path.png"/>'
    assert list(check_markup(pair("Eat.", f"Coma {token}"), "es")) == [
        ("error", "markup", MARKUP.format('<img src="/etc/passwd/and/a/l\u2026'))]


@pytest.mark.parametrize("forms", [("{count} día", "{count} <b>días</b>"),
                                   ("{count} день", "{count} дня", "{count} дней &amp;")])
def test_markup_in_a_later_plural_form_is_an_error(forms):
    found = list(check_markup(plural("{count} day", "{count} days", *forms), "ru"))
    assert found and all(code == "markup" for _, code, _ in found)
    assert found[0] == ("error", "markup", MARKUP.format("<b>" if len(forms) == 2 else "&amp;"))


@pytest.mark.parametrize(
    "source, translation",
    [
        ("Take <b>2</b> tablets.", "Tome <b>2</b> comprimidos."),
        ("Take <B>2</B> tablets.", "Tome <b>2</b> comprimidos."),  # case does not matter
        ("Take <b  class='x'>2</b>.", "Tome <b class='x'>2</b>."),  # nor runs of spaces
        ("Less than 5 mg.", "Menos de < 5 mg."),  # "<" then a space is a sign
        ("Less than 5 mg.", "Menos de <5 mg."),
        ("Eat.", "Coma & beba."),
        ("Eat.", "Coma &amp beba."),  # no ";" no entity
    ],
)
def test_markup_the_source_has_or_no_markup_at_all_passes(source, translation):
    assert list(check_markup(pair(source, translation), "es")) == []


def test_markup_keys_are_lower_cased_not_upper_cased():
    # "ß" upper-cases to "SS": a tag <straße> of the source does not allow <strasse>
    assert list(check_markup(pair("Go to <straße>.", "Vaya a <strasse>."), "es")) == [
        ("error", "markup", MARKUP.format("<strasse>"))]


def test_markup_of_the_source_with_other_words_is_still_an_error():
    assert list(check_markup(pair("Take <b>2</b>.", "Tome <b class='x'>2</b>."), "es")) == [
        ("error", "markup", MARKUP.format("<b class='x'>"))]


@pytest.mark.parametrize(
    "source, translation, token",
    [
        ('See <a href="https://clinic.example">the clinic</a>.', 'Vea <a href="https://evil.example">la clínica</a>.',
         '<a href="https://evil.example\u2026'),  # another address: the patient is sent elsewhere
        ('<font color="red">Do not eat.</font>', '<font color="white">No coma.</font>',
         '<font color="white">'),  # a warning printed white on white
        ("See <a href=leaflet>the leaflet</a>.", "Vea <a href=https://evil.example>el folleto</a>.",
         "<a href=https://evil.example>"),
    ],
)
def test_a_tag_of_the_source_with_other_attributes_is_an_error(source, translation, token):
    assert list(check_markup(pair(source, translation), "es")) == [("error", "markup", MARKUP.format(token))]


# --- Words: the build's own placeholder guard --------------------------------------------------------------


class Catalog(gettext.NullTranslations):
    """A compiled catalog's lookups, from a dict (msgid or (msgid, form) -> translation)."""

    def __init__(self, messages: dict):
        super().__init__()
        self._catalog = messages

    def gettext(self, message):
        return self._catalog.get(message, message)

    def ngettext(self, singular, many, n):
        return self._catalog.get((singular, 0 if n == 1 else 1), singular if n == 1 else many)


def test_words_uses_a_translation_whose_placeholders_match():
    words = Words(Catalog({"Call {phone}.": "Llame al {phone}."}), is_source=False)
    assert words.gettext("Call {phone}.") == "Llame al {phone}."
    assert words.fallbacks == {} and words.last_fallback is False and not words.is_fallback("Call {phone}.")


@pytest.mark.parametrize(
    "translation, why",
    [
        ("Llámenos.", "placeholders differ (phone)"),
        ("Llame al {telefono}.", "placeholders differ (phone, telefono)"),
        ("Llame al {phone} o {email}.", "placeholders differ (email)"),
        ("   ", "blank translation"),
    ],
)
def test_words_falls_back_to_the_source_and_records_why(translation, why):
    words = Words(Catalog({"Call {phone}.": translation}), is_source=False)
    assert words.gettext("Call {phone}.") == "Call {phone}."
    assert words.fallbacks == {"Call {phone}.": why}
    assert words.last_fallback is True and words.is_fallback("Call {phone}.")


def test_words_falls_back_for_an_untranslated_message():
    words = Words(Catalog({"Other": "Otro"}), is_source=False)
    assert words.gettext("Call {phone}.") == "Call {phone}."
    assert words.fallbacks == {"Call {phone}.": "untranslated"} and words.last_fallback is True
    assert words.gettext("Other") == "Otro" and words.last_fallback is False


def test_words_knows_a_message_with_a_context():
    words = Words(Catalog({"footer\x04Call {phone}.": "Llame al {phone}."}), is_source=False)
    words._t.gettext = lambda message: "Llame al {phone}."
    assert words.gettext("Call {phone}.") == "Llame al {phone}." and words.fallbacks == {}


def test_the_source_language_is_used_as_written():
    words = Words(Catalog({}), is_source=True)
    assert words.gettext("Call {phone}.") == "Call {phone}."
    assert words.fallbacks == {} and words.last_fallback is False
    assert words.ngettext("{count} day", "{count} days", 2) == "{count} days"
    assert words.fallbacks == {} and words.last_fallback is False


def test_a_translation_the_same_as_the_source_is_no_fallback():
    words = Words(Catalog({"OK": "OK"}), is_source=False)
    assert words.gettext("OK") == "OK" and words.last_fallback is False and words.fallbacks == {}


def test_words_plural_may_say_count_in_words_but_keeps_other_placeholders():
    words = Words(Catalog({("{count} day at {clinic}", 0): "un día en {clinic}",
                           ("{count} day at {clinic}", 1): "{count} días en {clinic}"}), is_source=False)
    assert words.ngettext("{count} day at {clinic}", "{count} days at {clinic}", 1) == "un día en {clinic}"
    assert words.ngettext("{count} day at {clinic}", "{count} days at {clinic}", 3) == "{count} días en {clinic}"
    assert words.fallbacks == {} and words.last_fallback is False


def test_words_plural_that_loses_a_placeholder_falls_back():
    words = Words(Catalog({("{count} day at {clinic}", 0): "un día",
                           ("{count} day at {clinic}", 1): "{count} días {phone}"}), is_source=False)
    assert words.ngettext("{count} day at {clinic}", "{count} days at {clinic}", 1) == "{count} day at {clinic}"
    assert words.fallbacks == {"{count} day at {clinic}": "placeholders differ (clinic)"}
    assert words.last_fallback is True
    assert words.ngettext("{count} day at {clinic}", "{count} days at {clinic}", 3) == "{count} days at {clinic}"
    assert words.fallbacks == {"{count} day at {clinic}": "placeholders differ (clinic, phone)"}
    assert words.last_fallback is True


def test_words_plural_untranslated_gives_the_english_form_for_the_number():
    words = Words(Catalog({}), is_source=False)
    assert words.ngettext("{count} day", "{count} days", 1) == "{count} day"
    assert words.last_fallback is True and words.fallbacks == {"{count} day": "untranslated"}
    assert words.ngettext("{count} day", "{count} days", 2) == "{count} days"
    assert words.ngettext("{count} day", "{count} days", 0) == "{count} days"
    words._known.add("{count} day")
    words._t = Catalog({("{count} day", 1): "{count} días"})
    assert words.ngettext("{count} day", "{count} days", 2) == "{count} días" and words.last_fallback is False
