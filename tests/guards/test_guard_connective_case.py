"""The list reader's guard of a line cut after a joining word, in any case: clinics write warnings in capitals
("DO NOT EAT OR" / "DRINK ANYTHING AFTER MIDNIGHT."), and a capital on the next line must not split the one
instruction into two, the second read without its "DO NOT". Expectations are written out here."""

from __future__ import annotations

import pytest

from leaflet import reader


def preparation(*lines: str) -> list[tuple[str, str]]:
    text = "Hip injection\n\nPreparation\n" + "\n".join(lines) + "\n- Bring your tablets.\n"
    procedure = reader.parse(text, source="clinic.txt")
    return [(b.kind, b.text) for b in procedure.section("preparation").blocks]


@pytest.mark.parametrize("first, second", [
    ("DO NOT EAT OR", "DRINK ANYTHING AFTER MIDNIGHT."),
    ("Do not eat or", "Drink anything after midnight."),
    ("Do Not Eat Or", "Drink Anything After Midnight."),
    ("DO NOT DRIVE AND", "DO NOT DRINK ALCOHOL FOR A DAY."),
    ("TAKE YOUR TABLETS WITH", "A SIP OF WATER ONLY."),
    ("STOP TAKING ASPIRIN BEFORE", "THE DAY OF THE INJECTION."),
    ("DO NOT EAT ANYTHING AFTER", "MIDNIGHT BEFORE THE INJECTION."),
])
def test_an_item_cut_after_a_joining_word_in_capitals_or_title_case_is_one_item(first, second):
    assert preparation(f"- {first}", second) == [("item", f"{first} {second}"), ("item", "Bring your tablets.")]


def test_the_same_lines_cut_after_a_word_that_joins_nothing_stay_apart():
    """What joins the lines above is the word they end on, not their capitals."""
    assert preparation("- DO NOT EAT", "DRINK ANYTHING AFTER MIDNIGHT.") == [
        ("item", "DO NOT EAT"), ("paragraph", "DRINK ANYTHING AFTER MIDNIGHT."), ("item", "Bring your tablets.")]


def test_unmarked_lines_in_capitals_cut_after_or_are_one_paragraph():
    """Not a short entry of a list written without marks: a line ending on "OR" is no whole instruction."""
    assert preparation("DO NOT EAT OR", "DRINK ANYTHING AFTER MIDNIGHT.") == [
        ("paragraph", "DO NOT EAT OR DRINK ANYTHING AFTER MIDNIGHT."), ("item", "Bring your tablets.")]


# Every word and mark after which a line is read as cut mid-sentence, written out here (not read from the reader):
# a line ending on one of them goes on in the next line, whatever the next line's first letter.
JOINING_WORDS = (
    "and or nor but of the a an to with without for in into onto by on at from as is are was were be been will may "
    "can should must your their his her its our my this that these those which who whose than between about after "
    "before over under through during until within such like including every each per very more less if when "
    "while because least most approximately around not"
).split()
JOINING_MARKS = (",", "(", "-", "\u2013", "/", "&")  # the en dash: "Take 2 paracetamol tablets –" / "Every 6 hours."


@pytest.mark.parametrize("word", JOINING_WORDS + [word.upper() for word in JOINING_WORDS])
def test_an_item_cut_after_any_joining_word_is_one_item(word):
    """ "- ... and you must" / "Not take a bath for 2 weeks." is one instruction: as two, the second says the
    opposite of the first; a dose cut from its frequency is a dose without one."""
    first = f"Take 2 paracetamol tablets {word}"
    assert preparation(f"- {first}", "Every 6 hours.") == [
        ("item", f"{first} Every 6 hours."), ("item", "Bring your tablets.")]


@pytest.mark.parametrize("mark", JOINING_MARKS)
def test_an_item_cut_after_a_joining_mark_is_one_item(mark):
    first = f"Take 2 paracetamol tablets {mark}"
    assert preparation(f"- {first}", "Every 6 hours.") == [
        ("item", f"{first} Every 6 hours."), ("item", "Bring your tablets.")]


def test_an_item_cut_after_must_before_a_capital_not_is_one_item():
    assert preparation("- Keep the wound dry and you must", "Not take a bath for 2 weeks.") == [
        ("item", "Keep the wound dry and you must Not take a bath for 2 weeks."), ("item", "Bring your tablets.")]


@pytest.mark.parametrize("word", ["daily", "brand", "tutor", "Tuesday", "OPERAND"])  # "brand", "OPERAND" end in "and", "tutor" in "or"
def test_an_item_ending_on_a_word_that_joins_nothing_stays_apart_from_the_next_line(word):
    """The tests above can fail: what joins the lines is the last word, a whole word."""
    first = f"Take 2 paracetamol tablets {word}"
    assert preparation(f"- {first}", "Every 6 hours.") == [
        ("item", first), ("paragraph", "Every 6 hours."), ("item", "Bring your tablets.")]
