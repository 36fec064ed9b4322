"""The invisible-character guards, adversarially: characters no font draws or that reorder what a patient reads
(zero-width only, bidi overrides, control and private-use characters), and towers of combining marks at the
limit (4 marks on a letter) and one above."""

from __future__ import annotations

import pytest

from leaflet.checks import Pair, check_invisible, check_marks, check_nothing_visible
from leaflet.legible import most_marks, too_many_marks, unprintable, visible


def pair(source: str, translation: str) -> Pair:
    return Pair((source,), (translation,), None, False, (), False)


def invisible(source: str, translation: str) -> list[tuple[str, str, str]]:
    return list(check_invisible(pair(source, translation), "es"))


def told(why: str, code: str) -> tuple[str, str, str]:
    return ("error", "invisible", f"{why} U+{code} the source does not have; delete it or retype the text around it")


# --- check_invisible ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "char, expected",
    [
        ("\x07", told("a control character", "0007")),
        ("\x00", told("a control character", "0000")),
        ("\r", told("a control character", "000D")),
        ("\x1b", told("a control character", "001B")),
        ("\x85", told("a control character", "0085")),
        ("\u202e", told("a bidi override", "202E")),
        ("\u202d", told("a bidi override", "202D")),
        ("\ue000", told("an unassigned or private-use code point", "E000")),
        ("\U000f0000", told("an unassigned or private-use code point", "F0000")),
        ("\u0378", told("an unassigned or private-use code point", "0378")),
        ("\ufff9", told("an invisible format character", "FFF9")),
        ("\ufffa", told("an invisible format character", "FFFA")),
        ("\ufffb", told("an invisible format character", "FFFB")),
        ("\U000e0001", told("an invisible format character", "E0001")),
        ("\U000e0041", told("an invisible format character", "E0041")),
        ("\U000e007f", told("an invisible format character", "E007F")),
        ("\ufffd", told("the replacement character (a character lost in a conversion)", "FFFD")),
    ],
)
def test_each_kind_of_invisible_character_is_an_error_saying_what_it_is(char, expected):
    assert invisible("Take 2 tablets.", f"Tome 2{char} comprimidos.") == [expected]


# The control characters str.strip() takes for white space: a check that looked at a stripped translation would
# miss them at its very start or end.
@pytest.mark.parametrize("char, code", [("\x0b", "000B"), ("\x0c", "000C"), ("\r", "000D"), ("\x1c", "001C"),
                                        ("\x1d", "001D"), ("\x1e", "001E"), ("\x1f", "001F"), ("\x85", "0085")])
@pytest.mark.parametrize("where", ["{}Tome 2 comprimidos.", "Tome 2 comprimidos.{}", "{}Tome 2 comprimidos.{}",
                                   " {}Tome 2 comprimidos.", "Tome 2 comprimidos.{}\n"])
def test_a_control_character_at_the_very_start_or_end_is_an_error(char, code, where):
    assert invisible("Take 2 tablets.", where.format(char, char)) == [told("a control character", code)]


@pytest.mark.parametrize(
    "char",
    ["\t", "\n", "\u200d", "\u200c", "\u200b", "\u200e", "\u200f", "\u2066", "\u2067", "\u2068", "\u2069",
     "\u061c", "\u00ad", "\ufffc", "\U000e0100", "\u202a", "\u202b", "\u202c",
     "\u2028", "\u2029"],  # line and paragraph separators: no control characters, printed as a space like \n
)
def test_joiners_direction_marks_isolates_tabs_and_line_ends_are_left_alone(char):
    assert invisible("Take 2 tablets.", f"Tome 2{char} comprimidos.") == []


def test_an_invisible_character_the_source_has_is_no_error():
    assert invisible("Take \u202e2 tablets.", "Tome \u202e2 comprimidos.") == []


def test_an_invisible_character_in_the_source_excuses_only_itself_not_another():
    """A lost character (U+FFFD) in the source does not let a bidi override into the translation, nor the other
    way round: the source is searched for the very character, not for any invisible one."""
    assert invisible("Take 10 mg\ufffd", "\u202eTake 10 mg") == [told("a bidi override", "202E")]
    assert invisible("\u202eTake 10 mg", "Take 10 mg\ufffd") == [
        told("the replacement character (a character lost in a conversion)", "FFFD")]
    assert invisible("Take\x07 10 mg\ufffd", "Tome\x07 10 mg\ufffd\ue000") == [
        told("an unassigned or private-use code point", "E000")]


@pytest.mark.parametrize("char", ["\ufffd", "\u202e", "\x07", "\ue000", "\U000e0041"])
def test_the_same_invisible_character_in_both_is_no_error(char):
    assert invisible(f"Take 10 mg{char}", f"{char}Tome 10 mg") == []


def test_each_invisible_character_is_named_once_in_the_order_found():
    assert invisible("Take 2.", "\u202eTome\u202e 2\x07.") == [told("a bidi override", "202E"),
                                                              told("a control character", "0007")]


# --- check_marks and most_marks ----------------------------------------------------------------------------


def test_four_marks_on_a_letter_pass_and_five_are_an_error():
    assert list(check_marks(pair("Rest.", "Descanse" + "\u0301" * 4 + "."), "es")) == []
    assert list(check_marks(pair("Rest.", "Descanse" + "\u0301" * 5 + "."), "es")) == [
        ("error", "marks", "the translation has 5 combining marks on one letter (at most 4): they would be drawn"
                           " as a line through the text")]


def test_a_tower_the_source_has_too_is_no_error():
    assert list(check_marks(pair("Re" + "\u0301" * 6 + "st.", "Descanse" + "\u0301" * 9 + "."), "es")) == []


@pytest.mark.parametrize(
    "text, most",
    [
        ("", 0),
        ("plain", 0),
        ("a\u0300", 1),  # the first combining mark
        ("\u0300", 1),
        ("e\u0301\u0302 o\u0303", 2),
        ("a\u0301\u200d\u0301\u0301", 3),  # a joiner between marks neither ends the run nor counts
        ("a\u0301\u0301 \u0301", 2),  # a space ends it
        ("a\u0301b\u0301\u0301", 2),  # a letter ends it
        ("क\u093e\u093e\u093e", 3),  # spacing marks (Mc) count
        ("a\u20dd\u20dd", 2),  # enclosing marks (Me) count
        ("ı\u0301" * 3, 1),
    ],
)
def test_most_marks_counts_the_longest_run_on_one_letter(text, most):
    assert most_marks(text) == most


def test_too_many_marks_says_how_many_and_the_limit():
    assert too_many_marks("a" + "\u0301" * 4) is None
    assert too_many_marks("a" + "\u0301" * 5) == (
        "5 combining marks on one letter (at most 4): they would be drawn as a line through the text")
    assert too_many_marks("a" + "\u0301" * 300) == (
        "300 combining marks on one letter (at most 4): they would be drawn as a line through the text")


# --- nothing visible ---------------------------------------------------------------------------------------


NOTHING = ("error", "invisible-only", "the translation has nothing visible in it (only invisible or zero-width"
                                      " characters); write it, or leave it empty to mark it untranslated")


@pytest.mark.parametrize("translation", ["\u200b", "\u200b \u200d", "\u3164", "\u115f", "\u1160", "\uffa0", "\u2800",
                                         "\u0301\u0301", "\u20dd", "\u200e\u2066"])
def test_a_translation_of_only_invisible_characters_is_an_error(translation):
    assert list(check_nothing_visible(pair("Rest.", translation), "es")) == [NOTHING]


@pytest.mark.parametrize("translation", ["", "   ", "a", "\u200bx", "1", ".", "\u3164ㅎ"])
def test_empty_white_space_or_anything_visible_is_not_this_error(translation):
    assert list(check_nothing_visible(pair("Rest.", translation), "es")) == []


def test_an_invisible_source_may_have_an_invisible_translation():
    assert list(check_nothing_visible(pair("\u200b", "\u200b"), "es")) == []


@pytest.mark.parametrize(
    "text, expected",
    [("Clinic", True), ("\u200b\u200b", False), ("", False), (" \t\n", False), ("\u3164", False),
     ("\u0301", False), ("\u093e", False), ("\u20dd", False), ("\u00ad", False), ("a\u200b", True)],
)
def test_visible(text, expected):
    assert visible(text) is expected


def test_unprintable_says_why_a_name_cannot_be_printed():
    assert unprintable("City Clinic") is None
    assert unprintable("Clínica" + "\u0301" * 4) is None
    assert unprintable("\u200b\u2060") == "nothing visible in it (only invisible or zero-width characters)"
    assert unprintable("C" + "\u0301" * 5) == (
        "5 combining marks on one letter (at most 4): they would be drawn as a line through the text")
