"""The numbers guard, adversarially: a translation or a spoken form that changes, drops, repeats or regroups a
number is an error. Counts, not sets: "2 tablets, then 2 more" has two 2s. Every expectation is written out
here, never read from leaflet's own tables."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from leaflet.checks import Pair, check_numbers, check_spoken_form, number_shape, numbers, pronunciation_findings
from leaflet.speech.pronunciation import Entry, PronunciationList


def pair(source: str, translation: str) -> Pair:
    return Pair((source,), (translation,), None, False, (), False)


def problems(source: str, translation: str) -> list[tuple[str, str, str]]:
    return list(check_numbers(pair(source, translation), "es"))


def said(written: str, spoken: str, language: str = "es", table: str = "say") -> list[tuple[str, str, str]]:
    plist = PronunciationList(Path("p.toml"), (Entry(written, spoken, 3, table),), None, 0, "")
    return [(f.severity, f.code, f.message) for entry, f in pronunciation_findings(plist, language) if entry]


# --- numbers(): what counts as the same number -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Take 2 tablets, then 2 more.", {"2": 2}),
        ("6-8 hours", {"6": 1, "8": 1}),
        ("٣٠ دقيقة", {"30": 1}),  # Arabic-Indic
        ("۶ ساعت", {"6": 1}),  # Persian
        ("६-८ घंटे", {"6": 1, "8": 1}),  # Devanagari
        ("３０分", {"30": 1}),  # fullwidth
        ("1,000 mg", {"1000": 1}),
        ("1.000 mg", {"1000": 1}),
        ("1 000 mg", {"1000": 1}),
        ("1\u00a0000 mg", {"1000": 1}),
        ("1\u202f000 mg", {"1000": 1}),
        ("1\u2009000 mg", {"1000": 1}),
        ("1'000 mg", {"1000": 1}),
        ("١٬٠٠٠ ملغ", {"1000": 1}),
        ("1,000,000", {"1000000": 1}),
        ("0.5 mg", {"0": 1, "5": 1}),  # a decimal point is no grouping
        ("1,50 €", {"1": 1, "50": 1}),  # two digits after a comma: no grouping
        ("1,0000", {"1": 1, "0000": 1}),  # four digits: no grouping, and a decimal keeps its zeros
        ("1,000a", {"1000": 1}),
        ("a1, 000", {"1": 1, "0": 1}),  # a comma then a space is two numbers, not one
        ("08 and 8", {"8": 2}),  # leading zeros are the same number
        ("0 and 00", {"0": 2}),
        ("8:00", {"8": 1}),
        ("8.00", {"8": 1}),
        ("8h00", {"8": 1}),
        ("8 H 00", {"8": 1}),
        ("8 h00", {"8": 1}),
        ("18: 00", {"18": 1}),
        ("8:30", {"8": 1, "30": 1}),
        ("8:000", {"8": 1, "000": 1}),  # a colon is no grouping, and 000 no hour
        ("8:001", {"8": 1, "001": 1}),
        ("108:00", {"108": 1, "00": 1}),  # three digits: no hour
        ("1.8:00", {"1": 1, "8": 1, "00": 1}),
        ("5 tablets", {"5": 1}),
        ("no number", {}),
    ],
)
def test_numbers_are_counted_across_digit_systems_grouping_and_hours(text, expected):
    assert numbers(text) == Counter(expected)


# --- check_numbers -----------------------------------------------------------------------------------------


def test_a_repeated_number_said_once_is_an_error_counts_not_sets():
    assert problems("Take 2 tablets, then 2 more.", "Tome 2 comprimidos, luego más.") == [
        ("error", "number", "the number 2 of the source is missing or changed")]


def test_a_number_said_twice_where_the_source_says_it_once_is_a_warning():
    assert problems("Take 2 tablets.", "Tome 2 comprimidos, 2 veces.") == [
        ("warning", "number-added", "the translation has a number the source does not: 2")]


def test_a_changed_number_names_both_the_lost_and_the_new_one():
    assert problems("Do not eat for 6-8 hours.", "No coma durante 6-9 horas.") == [
        ("error", "number", "the number 8 of the source is missing or changed (the translation has 9)")]


def test_the_lost_numbers_are_listed_shortest_first_each_as_often_as_lost():
    assert problems("Take 100, 9, 10 and 9 mg.", "Tome mg.") == [
        ("error", "number", "the number 9, 9, 10, 100 of the source is missing or changed")]
    assert problems("Take 1 mg.", "Tome 30, 4 y 200 mg.") == [
        ("error", "number", "the number 1 of the source is missing or changed (the translation has 4, 30, 200)")]


def test_only_added_numbers_are_listed_in_order_in_the_warning():
    assert problems("Rest.", "Descanse 12 o 3 días.") == [
        ("warning", "number-added", "the translation has a number the source does not: 3, 12")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0.125 mg", {"0": 1, "125": 1}),  # after a lone 0 the point is a decimal point, never grouping
        ("0,125 mg", {"0": 1, "125": 1}),
        ("0\u00a0125", {"0": 1, "125": 1}),
        ("10.125", {"10125": 1}),  # after 10 it may group: the same reading on both sides
        ("0.05 mg", {"0": 1, "05": 1}),  # a decimal's leading zeros count
        ("0,05 mg", {"0": 1, "05": 1}),
        ("٠٫٠٥", {"0": 1, "05": 1}),  # Arabic decimal separator
        ("8:05", {"8": 1, "05": 1}),  # minutes as written in every style are the same
        ("8.05", {"8": 1, "05": 1}),
        ("8h05", {"8": 1, "05": 1}),
        ("8 h 05", {"8": 1, "05": 1}),
        (".05", {"05": 0, "5": 1}),  # no digit before the point: a whole number's zeros
        ("½", {"1/2": 1}),
        ("¼", {"1/4": 1}),
        ("¾", {"3/4": 1}),
        ("1½", {"1": 1, "1/2": 1}),
        ("1 1/2", {"1": 1, "1/2": 1}),
        ("1\u20442", {"1/2": 1}),  # the fraction slash
        ("2/1", {"2/1": 1}),
        ("10²", {"10": 1, "2": 1}),
        ("Ⅻ", {"12": 1}),  # no digit in its compatible form: its value
        ("⑩", {"10": 1}),
        ("\u0bf0", {"10": 1}),  # Tamil ten
    ],
)
def test_decimals_fractions_and_number_signs_are_read_as_a_patient_reads_them(text, expected):
    assert numbers(text) == Counter(expected)


@pytest.mark.parametrize(
    "source, translation, lost",
    [
        ("Take 0.125 mg.", "Tome 125 mg.", "0"),  # an eighth of a milligram is not 125 milligrams
        ("Take 0.05 mg.", "Tome 0,5 mg.", "05"),
        ("Take 0.5 mg.", "Tome 0,05 mg.", "5"),
        ("Take ½ tablet.", "Tome ¼ de comprimido.", "1/2"),
        ("Take 1½ tablets.", "Tome 1 comprimido.", "1/2"),
        ("Take 1/2 tablet.", "Tome 2/1 comprimidos.", "1/2"),
        ("Take ½ tablet.", "Tome medio comprimido.", "1/2"),
        ("Take 1.5 mg.", "Tome 15 mg.", "1, 5"),
    ],
)
def test_a_changed_decimal_or_fraction_is_an_error(source, translation, lost):
    (severity, code, message), = problems(source, translation)
    assert (severity, code) == ("error", "number")
    assert message.startswith(f"the number {lost} of the source is missing or changed")


@pytest.mark.parametrize(
    "source, translation",
    [
        ("Take 0.125 mg.", "Tome 0,125 mg."),
        ("Take 0.05 mg.", "Tome 0,05 mg."),
        ("Take ½ tablet.", "Tome 1/2 comprimido."),
        ("Take 1½ tablets.", "Tome 1 1/2 comprimidos."),
        ("Arrive at 8:05.", "Llegue a las 8 h 05."),
        ("Arrive at 8:05.", "Kommen Sie um 8.05 Uhr."),
    ],
)
def test_the_same_decimal_or_fraction_written_another_way_passes(source, translation):
    assert problems(source, translation) == []


@pytest.mark.parametrize(
    "source, translation",
    [
        ("Fast for 6-8 hours.", "لا تأكل لمدة ٦-٨ ساعات."),
        ("Up to 1,000 mg.", "Hasta 1.000 mg."),
        ("Arrive at 8:00.", "Llegue a las 8 h."),
        ("Take 2 tablets, then 2 more.", "Tome 2 comprimidos y luego 2 más."),
        ("No numbers.", "Sin números."),
    ],
)
def test_the_same_numbers_pass(source, translation):
    assert problems(source, translation) == []


def test_every_plural_form_is_held_to_the_english_plural():
    plural = Pair(("{count} tablet, 2 a day", "{count} tablets, 2 a day"), ("{count} comprimido, 2", "{count} comprimidos"),
                  None, False, (), True)
    assert list(check_numbers(plural, "es")) == [("error", "number", "the number 2 of the source is missing or changed")]


# --- number_shape: how a spoken form must write its numbers ------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,500 mg", ["1,500"]),
        ("take −5 or +2", ["−5", "+2"]),
        ("٣٠ and 4", ["30", "4"]),
        ("½ tablet", ["½"]),
        ("Ⅻ and ⅳ", ["Ⅻ", "ⅳ"]),  # Roman numerals are letter numbers, not letters
        ("三 tablets", ["三"]),
        ("555-0100", ["555-0100"]),
        ("<5 mg ≥2", ["<5", "≥2"]),
        ("a b", []),
        ("1.5, 2", ["1.5, 2"]),
    ],
)
def test_number_shape_keeps_signs_gaps_and_order(text, expected):
    assert number_shape(text) == expected


# --- pronunciation entries ---------------------------------------------------------------------------------


def test_a_spoken_form_that_drops_a_number_is_an_error():
    assert said("5 mg", "mg") == [("error", "pron-number", "the spoken form does not say the number 5")]


def test_a_spoken_form_that_changes_a_number_says_what_it_says():
    assert said("5 mg", "6 miligramos") == [
        ("error", "pron-number", "the spoken form does not say the number 5 (it says 6)")]


def test_a_number_said_in_words_outside_the_numbers_table_is_sent_there():
    assert said("31", "treinta y uno") == [
        ("error", "pron-number", "the spoken form does not say the number 31 (a number said in words goes under"
                                 " [numbers], where a reviewer listens to it)")]


def test_a_spoken_form_that_adds_a_number_is_an_error():
    assert said("mg", "2 miligramos") == [
        ("error", "pron-number", "the spoken form says a number the written form does not have: 2")]


def test_a_spoken_form_that_regroups_a_number_is_an_error():
    assert said("1,500 mg", "1500 miligramos") == [
        ("error", "pron-number", "the numbers must be said as written, in order and grouped the same way"
                                 " (1,500 written, 1500 spoken)")]


def test_a_spoken_form_that_reorders_numbers_is_an_error():
    assert said("6-8 h", "8-6 horas") == [
        ("error", "pron-number", "the numbers must be said as written, in order and grouped the same way"
                                 " (6-8 written, 8-6 spoken)")]


REORDERED = "the numbers must be said as written, in order and grouped the same way ({} written, {} spoken)"


@pytest.mark.parametrize(
    "written, spoken, shapes",
    [
        ("5 mg en 10 ml", "10 mg en 5 ml", ("5 10", "10 5")),  # the same numbers, the dose and the volume swapped
        ("2 comprimidos cada 8 h", "8 comprimidos cada 2 h", ("2 8", "8 2")),
        ("de 6 a 8 h", "de 8 a 6 h", ("6 8", "8 6")),
        ("6-8 h y 10 min", "10 h y 6-8 min", ("6-8 10", "10 6-8")),
        ("6-8 h", "8-6 h", ("6-8", "8-6")),
        ("1,500 mg y 2 ml", "2 mg y 1,500 ml", ("1,500 2", "2 1,500")),
    ],
)
def test_a_spoken_form_with_the_same_numbers_in_another_order_is_an_error(written, spoken, shapes):
    assert said(written, spoken) == [("error", "pron-number", REORDERED.format(*shapes))]


def test_the_regrouped_numbers_are_all_named_in_the_message():
    assert said("1,500 or 2,000 mg", "1500 o 2000 mg") == [
        ("error", "pron-number", "the numbers must be said as written, in order and grouped the same way"
                                 " (1,500 2,000 written, 1500 2000 spoken)")]


def test_a_fraction_said_in_words_is_a_number_dropped_by_name():
    assert said("½ cup", "media taza") == [("error", "pron-number", "the spoken form does not say the number 1/2")]
    assert said("cup", "taza ½") == [
        ("error", "pron-number", "the spoken form says a number the written form does not have: 1/2")]


def test_a_chinese_numeral_dropped_or_added_is_named_against_none():
    """Chinese numerals are letters to numbers() and numbers to number_shape(): only the shape sees them."""
    assert said("三次", "次", "zh") == [
        ("error", "pron-number", "the numbers must be said as written, in order and grouped the same way"
                                 " (三 written, none spoken)")]
    assert said("次", "三次", "zh") == [
        ("error", "pron-number", "the numbers must be said as written, in order and grouped the same way"
                                 " (none written, 三 spoken)")]


def test_a_fraction_sign_said_as_its_digits_must_keep_its_shape():
    assert said("½ cup", "1/2 taza") == [
        ("error", "pron-number", "the numbers must be said as written, in order and grouped the same way"
                                 " (½ written, 1/2 spoken)")]


def test_a_spoken_form_that_drops_a_sign_is_an_error():
    assert said("−5 °C", "5 grados") == [
        ("error", "pron-number", "the numbers must be said as written, in order and grouped the same way"
                                 " (−5 written, 5 spoken)")]


def test_an_entry_without_letters_must_be_a_known_symbol():
    message = ("the written form has no letter: an entry says how a word or a unit is said, and leaves numbers,"
               " punctuation and signs as written (a symbol said in words may be one of"
               " % ~ ° ٪ ‰ ℃ ℉ ％ ～)")
    assert said(",", "punto") == [("error", "pron-symbol", message)]
    assert said("<", "menos de") == [("error", "pron-symbol", message)]
    assert said("%", "por ciento") == []
    assert said("℃", "grados") == []
    assert said("mg", ".") == [("error", "pron-symbol", message.replace("written form", "spoken form"))]


def test_chinese_numerals_are_numbers_not_letters():
    assert said("三", "五")[0][:2] == ("error", "pron-symbol")
    assert said("三片", "五片") == [
        ("error", "pron-number", "the numbers must be said as written, in order and grouped the same way"
                                 " (三 written, 五 spoken)")]


def test_the_numbers_table_takes_digits_only_and_says_them_without_a_digit():
    message = "under [numbers] a whole number written in digits (31) is said in words, with no digit"
    assert said("31", "treinta y uno", table="numbers") == []
    assert said("31", "treinta y 1", table="numbers") == [("error", "pron-number", message)]
    assert said("31", "treinta y ½", table="numbers") == [("error", "pron-number", message)]
    assert said("31", "treinta y 三", table="numbers") == [("error", "pron-number", message)]
    assert said("31", "treinta y Ⅻ", table="numbers") == [("error", "pron-number", message)]  # a letter number (Nl)
    assert said("3a", "tres", table="numbers") == [("error", "pron-number", message)]
    assert said("1234567", "mucho", table="numbers") == [("error", "pron-number", message)]
    assert said("123456", "mucho", table="numbers") == []


@pytest.mark.parametrize("spoken", [" ", "   ", "\u00a0", "\u3000", "\u2003 \u00a0"])
def test_a_spoken_form_of_only_white_space_is_empty(spoken):
    assert said("mg", spoken) == [
        ("error", "pron-empty", "the spoken form is empty: the voice would skip what the patient reads; write what it says")]


def test_a_spoken_form_of_only_a_tab_is_empty_and_has_a_line_break():
    assert said("mg", " \t") == [
        ("error", "pron-empty", "the spoken form is empty: the voice would skip what the patient reads; write what it says"),
        ("error", "pron-invisible", "a line break U+0009 in the entry; write it as plain text")]


# --- the spoken range form ("{low} to {high}") -------------------------------------------------------------


def spoken_range(translation: str) -> list[tuple[str, str, str]]:
    return list(check_spoken_form(Pair(("{low} to {high}",), (translation,), "spoken", False, (), False), "es"))


@pytest.mark.parametrize("number", ["0", "三", "½", "Ⅻ", "²", "٣", "\u0bf0"])  # CJK, fraction, Roman, superscript,
def test_a_spoken_range_form_says_no_number_of_its_own_in_any_script(number):  # Arabic-Indic, Tamil ten
    own = ("error", "spoken-form", "no number of its own: the voice says the range's numbers, and only them")
    assert spoken_range(f"de {{low}} a {{high}} {number}") == [own]
    assert spoken_range(f"{number} de {{low}} a {{high}}") == [own]


def test_the_spoken_range_form_with_words_only_passes():
    assert spoken_range("de {low} a {high}") == []
