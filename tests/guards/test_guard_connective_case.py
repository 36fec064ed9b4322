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
