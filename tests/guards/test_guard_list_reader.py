"""The list reader's guard, bent on purpose: an author's instructions written one a line must stay apart (a
wrong join can put one instruction inside another), a lead-in line ending in a colon must lead into a list of
the lines under it, and a sentence an editor wrapped must stay one sentence. The limits that decide it (a line
under 50 characters is short, a file wrapped at 30 to 100 characters, 8 of slack) are pinned at their edges. A
line's indent is no part of its text (a short line is short by what the author wrote in it) but is part of its
width (an editor wraps at a column, counted from the margin).

Expectations are written out here, character counts included, never read from the reader's own constants."""

from __future__ import annotations

import textwrap

import pytest

from leaflet import reader
from leaflet.reader.lines import Breaks, Line, bare_short, clean, text_line, wrap_width

PROSE = ("Your dentist numbs the area with a small injection so that you feel pressure but no pain. The tooth is "
         "loosened with a tool and then lifted out. You may need a few stitches, which dissolve on their own within "
         "a week or two. Most people go back to work the next day.")
# A file an editor wrapped at 60 characters: its prose goes on in lower case from line to line.
WRAPPED = "Tooth extraction\n\nWhat happens during the procedure?\n" + "\n".join(textwrap.wrap(PROSE, 60)) + "\n\n"
UNWRAPPED = "Tooth extraction\n\nWhat happens during the procedure?\n" + PROSE + "\n\n"


def blocks(text: str, key: str) -> list[tuple[str, str]]:
    procedure = reader.parse(text, source="clinic.txt")
    return [(b.kind, b.text) for b in procedure.section(key).blocks]


def lines_of(*raw: str) -> list[Line]:
    return [Line(n, r.rstrip(), clean(r)) for n, r in enumerate(raw, start=1)]


# --- instructions one a line ------------------------------------------------------------------------------------

INSTRUCTIONS = [  # 46, 40, 44 and 49 characters, none ending a sentence
    "Do not spit, rinse or use a straw for 24 hours",
    "Keep your head up on two pillows tonight",
    "Eat only soft food and cool drinks for a day",
    "Take the pain medicine the dentist gave you today",
]


def test_instructions_of_36_to_49_characters_one_a_line_stay_apart_in_a_wrapped_file():
    assert [len(i) for i in INSTRUCTIONS] == [46, 40, 44, 49]
    text = WRAPPED + "Aftercare\n" + "\n".join(INSTRUCTIONS) + "\n"
    assert blocks(text, "recovery") == [("item", i) for i in INSTRUCTIONS]
    assert blocks(text, "procedure") == [("paragraph", PROSE)], "the wrapped prose is still one paragraph"


def test_instructions_one_a_line_stay_apart_in_a_file_of_long_lines():
    text = UNWRAPPED + "Aftercare\n" + "\n".join(INSTRUCTIONS) + "\n"
    assert blocks(text, "recovery") == [("item", i) for i in INSTRUCTIONS]


def test_a_line_of_50_characters_in_a_wrapped_file_is_no_entry_by_its_length_alone():
    # 57 characters ending on "ask", the next word fitting the width: an author's break, but no short entry
    first = "Rinse gently with warm salt water after each meal and ask"
    assert len(first) == 57
    text = WRAPPED + "Aftercare\n" + first + "\nDr Patel about it at your next visit.\n"
    assert blocks(text, "recovery") == [("paragraph", first + " Dr Patel about it at your next visit.")]


def test_an_instruction_starting_with_a_number_is_an_entry_of_its_own_not_the_end_of_the_one_before():
    # before, "Rest today" and "2 tablets ..." were read as one instruction: "Rest today 2 tablets of ..."
    text = UNWRAPPED + "Aftercare\nRest today\n2 tablets of paracetamol every 6 hours\nNo hot drinks\n"
    assert blocks(text, "recovery") == [
        ("item", "Rest today"), ("item", "2 tablets of paracetamol every 6 hours"), ("item", "No hot drinks"),
    ]


def test_a_line_in_brackets_goes_on_from_the_one_before():
    text = UNWRAPPED + "Aftercare\nRest today\n(ask the nurse first)\n"
    assert blocks(text, "recovery") == [("paragraph", "Rest today (ask the nurse first)")]


def test_entries_of_any_length_one_a_line_stay_apart_in_a_file_of_long_lines():
    entries = ["Sciatica from a disc bulge that has lasted more than six weeks",
               "Pain in the hip that wakes you up at night and lasts for hours"]
    assert [len(e) for e in entries] == [62, 62]
    text = UNWRAPPED + "Aftercare\n" + "\n".join(entries) + "\n"
    assert blocks(text, "recovery") == [("item", e) for e in entries]


def test_a_sentence_an_editor_wrapped_before_a_capital_stays_one_sentence():
    # wrapped at 40: "Patel" did not fit on the line of 40 before it, so the editor broke the line there
    wrapped = "Tooth extraction\n\nWhat happens during the procedure?\n" + "\n".join(textwrap.wrap(PROSE, 40)) + "\n\n"
    first = "If the bleeding goes on, please phone Mr"
    assert len(first) == 40
    text = wrapped + "Aftercare\n" + first + "\nPatel at the clinic straight away.\n"
    assert blocks(text, "recovery") == [("paragraph", first + " Patel at the clinic straight away.")]


def test_lines_that_each_start_with_a_label_are_entries():
    text = UNWRAPPED + "Side effects\nCommon: bruising and soreness.\nRare: infection.\n"
    assert blocks(text, "risks") == [("item", "Common: bruising and soreness."), ("item", "Rare: infection.")]
    text = UNWRAPPED + "Side effects\nCommon: bruising\nRare: infection\n"
    assert blocks(text, "risks") == [("item", "Common: bruising"), ("item", "Rare: infection")]
    text = UNWRAPPED + "Aftercare\nFasting: no food after midnight.\nBring your medicines.\n"
    assert blocks(text, "recovery") == [("item", "Fasting: no food after midnight."), ("item", "Bring your medicines.")]


# --- an indented line: short by its text, wrapped by its columns ---------------------------------------------------

INDENTED = ("Tooth extraction\n\nWhat happens during the procedure?\n"  # the prose wrapped at 60, 4 of them the indent
            + "\n".join(textwrap.wrap(PROSE, 60, initial_indent="    ", subsequent_indent="    ")) + "\n\n")
KEEP = "Keep your head up on two pillows tonight"
ASK = "Dr Patel about it at your next visit."


@pytest.mark.parametrize("indent", [0, 4])
@pytest.mark.parametrize("first, length, second, apart", [
    ("Take the pain medicine the dentist gave you today", 49, KEEP, True),  # short; the next word fits
    ("Do not spit, rinse or use a straw for 24 hours", 46, KEEP, True),  # 50 with an indent of 4
    ("Rinse with warm salt water after each meal and ask", 50, ASK, False),  # not short: goes on
    ("Rinse with warm salt water after every meal and ask", 51, ASK, False),
])
def test_a_short_line_is_short_by_its_text_not_its_indent(indent, first, length, second, apart):
    """An indented instruction of 46 to 49 characters is as short as one at the margin: it stays apart. Counting
    the indent would make it 50 to 53 and join it with the next instruction ("... today Keep your head up ...")."""
    assert len(first) == length
    for source in (WRAPPED, INDENTED):  # whether the prose above is at the margin or indented too
        text = source + "Aftercare\n" + " " * indent + first + "\n" + " " * indent + second + "\n"
        expected = [("item", first), ("item", second)] if apart else [("paragraph", f"{first} {second}")]
        assert blocks(text, "recovery") == expected, (indent, source is WRAPPED)


def test_an_editors_wrap_is_found_by_columns_counted_from_the_margin():
    """49 characters after an indent of 4 reach column 53: "Riverside" (9) would end at 63, past the width of 60, so
    the editor wrapped the line there and the sentence is one. Counted without the indent it would end at 59, fit,
    and the sentence be split in two after "phone"."""
    first, second = "If the bleeding has not stopped in an hour, phone", "Riverside Clinic on 555 0199."
    assert len(first) == 49
    for source in (WRAPPED, INDENTED):
        text = source + "Aftercare\n    " + first + "\n    " + second + "\n"
        assert blocks(text, "recovery") == [("paragraph", f"{first} {second}")], source is WRAPPED
        # at the margin the same line ends at column 49: "Riverside" would have fitted, so the author broke it
        text = source + "Aftercare\n" + first + "\n" + second + "\n"
        assert blocks(text, "recovery") == [("paragraph", first), ("paragraph", second)], source is WRAPPED


def test_the_width_of_an_indented_file_is_counted_from_the_margin():
    """Prose indented by 4 and wrapped at 60 is wrapped at 60, not 56: an indented instruction reaching column 53
    leaves room for "Keep" (53 + 1 + 4 = 58), so the author ended it; measured without the indent, 58 > 56 would
    join the two instructions."""
    text = INDENTED + "Aftercare\n    Take the pain medicine the dentist gave you today\n    " + KEEP + "\n"
    assert blocks(text, "recovery") == [("item", "Take the pain medicine the dentist gave you today"), ("item", KEEP)]
    assert Breaks([text_line(n, raw) for n, raw in enumerate(text.splitlines(), start=1)]).width == 60


# --- a lead-in ----------------------------------------------------------------------------------------------------

def test_a_lead_in_ending_in_a_colon_leads_into_a_list_of_the_lines_under_it():
    for source in (WRAPPED, UNWRAPPED):
        text = source + "Aftercare\nPlease follow these rules for the first day:\nDo not spit, rinse or use a straw\n" \
                        "Keep your head up on two pillows tonight\n"
        assert blocks(text, "recovery") == [
            ("paragraph", "Please follow these rules for the first day:"),
            ("item", "Do not spit, rinse or use a straw"),
            ("item", "Keep your head up on two pillows tonight"),
        ]


def test_a_lead_in_before_a_single_line_makes_it_an_item_too():
    text = UNWRAPPED + "Before your visit\nBring these with you:\nYour photo ID card\n"
    assert blocks(text, "preparation") == [("paragraph", "Bring these with you:"), ("item", "Your photo ID card")]


def test_a_heading_in_capitals_ending_in_a_colon_heads_the_list_written_one_a_line_under_it():
    text = WRAPPED + "CALL US RIGHT AWAY IF YOU HAVE:\nBleeding that does not stop after an hour\nA fever\n" \
                     "Swelling that gets worse after three days\n"
    procedure = reader.parse(text, source="clinic.txt")
    assert [(s.key, s.heading) for s in procedure.sections][-1] == ("warning", "CALL US RIGHT AWAY IF YOU HAVE")
    assert blocks(text, "warning") == [
        ("item", "Bleeding that does not stop after an hour"), ("item", "A fever"),
        ("item", "Swelling that gets worse after three days"),
    ]


@pytest.mark.parametrize("source", [WRAPPED, UNWRAPPED], ids=["wrapped file", "unwrapped file"])
@pytest.mark.parametrize("entries", [
    ["Medicines", "Your glasses"],
    ["Medicines", "Your glasses", "A dressing gown"],
    ["Medicines", "Take all your tablets in their boxes."],
])
def test_the_first_line_after_a_lead_in_ending_in_a_colon_is_an_entry_not_a_heading(source, entries):
    """ "Medicines" has a heading's shape, but after "The things to bring are:" it is the first thing to bring:
    read as a heading it would open a section of its own and vanish from the list."""
    text = source + "Before your visit\nThe things to bring are:\n" + "\n".join(entries) + "\n"
    procedure = reader.parse(text, source="clinic.txt")
    assert [(s.key, s.heading) for s in procedure.sections] == [
        ("procedure", "What happens during the procedure?"), ("preparation", "Before your visit")]
    assert blocks(text, "preparation") == [("paragraph", "The things to bring are:")] + [("item", e) for e in entries]


# --- a line after a list item -------------------------------------------------------------------------------------

def after_item(source: str, *lines: str) -> list[tuple[str, str]]:
    return blocks(source + "Before your visit\n" + "\n".join(lines) + "\n- Bring your tablets.\n", "preparation")


@pytest.mark.parametrize("source", [WRAPPED, UNWRAPPED], ids=["wrapped file", "unwrapped file"])
@pytest.mark.parametrize("item, line", [
    ("- Bleeding", "2 tablets every 6 hours."),
    ("- Bleeding", "2 tablets every 6 hours"),
    ("- Swelling that gets worse", "48 hours after the injection, call us."),
    ("- Take your tablets with a glass of water at breakfast.", "2 hours later, eat something light."),
], ids=["short item", "short item, no full stop", "short item of 26", "item ended on a full stop"])
def test_a_line_starting_with_a_number_after_a_short_or_finished_item_is_not_joined_onto_it(source, item, line):
    """ "- Bleeding" / "2 tablets every 6 hours." joined would read "Bleeding 2 tablets every 6 hours.": a dose
    for a bleeding nobody prescribed. The item ended where its author ended it; the number starts a line of its own."""
    assert after_item(source, item, line) == [
        ("item", item[2:]), ("paragraph", line), ("item", "Bring your tablets.")]


@pytest.mark.parametrize("source", [WRAPPED, UNWRAPPED], ids=["wrapped file", "unwrapped file"])
@pytest.mark.parametrize("item, line", [
    ("- Do not eat for", "6 hours before."),
    ("- Stop taking warfarin and", "5 days before, stop aspirin too."),
    ("- Take 1 tablet every", "6 hours."),
    ("- Fast for at least", "6 hours before."),
    ("- Drink at most", "2 glasses of water."),
    ("- Rest for approximately", "2 days."),
    ("- Wait around", "30 minutes."),
    ("- Do not", "2 things at once."),
], ids=["cut after 'for'", "cut after 'and'", "cut after 'every'", "cut after 'least'", "cut after 'most'",
        "cut after 'approximately'", "cut after 'around'", "cut after 'not'"])
def test_an_item_cut_after_a_joining_word_goes_on_in_a_line_starting_with_a_number(source, item, line):
    """The test above can fail: an item cut after a joining word is unfinished, whatever the next line starts with."""
    assert after_item(source, item, line) == [("item", f"{item[2:]} {line}"), ("item", "Bring your tablets.")]


def test_a_long_item_an_editor_wrapped_goes_on_in_a_line_starting_with_a_number():
    """In a file wrapped at 60, an item of 52 characters (its mark included) ending without punctuation was wrapped
    there, though the next word would have fitted: long and unfinished, it goes on in "30 minutes before eating."."""
    item = "- Take your tablets with a glass of water, then wait"
    assert len(item) == 52
    assert after_item(WRAPPED, item, "30 minutes before eating.") == [
        ("item", "Take your tablets with a glass of water, then wait 30 minutes before eating."),
        ("item", "Bring your tablets.")]


@pytest.mark.parametrize("source", [WRAPPED, UNWRAPPED], ids=["wrapped file", "unwrapped file"])
@pytest.mark.parametrize("item, line, expected", [
    ("- Do not eat or drink anything", "after midnight.", "Do not eat or drink anything after midnight."),
    ("- Stop taking warfarin", " 5 days before the injection.", "Stop taking warfarin 5 days before the injection."),
    ("  - Bleeding", "   Call us if it does not stop.", "Bleeding Call us if it does not stop."),
], ids=["in lower case", "indented 1 past the mark", "indented 1 past an indented list's mark"])
def test_an_item_goes_on_in_a_line_in_lower_case_or_indented_past_its_mark(source, item, line, expected):
    assert after_item(source, item, line) == [("item", expected), ("item", "Bring your tablets.")]


def test_a_line_less_indented_than_the_lists_marks_is_not_the_items_continuation():
    """The test above can fail: indented 1, under a list indented 2, "2 tablets ..." is no part of "Bleeding"."""
    assert after_item(UNWRAPPED, "  - Bleeding", " 2 tablets every 6 hours.") == [
        ("item", "Bleeding"), ("paragraph", "2 tablets every 6 hours."), ("item", "Bring your tablets.")]


def test_where_a_file_indents_the_wrapped_lines_of_its_items_a_line_at_the_margin_ends_the_list():
    """The item's last line is 50 characters and unfinished, which in a file wrapped at 60 would go on; but this
    file indents what it wraps, so "Your nurse ..." at the margin is a paragraph of its own."""
    rest = "injection; you may drink water until early morning"
    assert len(rest) == 50
    lines = ["- Do not eat anything for six hours before the", "  " + rest, "Your nurse will call you the day before."]
    assert after_item(WRAPPED, *lines) == [
        ("item", f"Do not eat anything for six hours before the {rest}"),
        ("paragraph", "Your nurse will call you the day before."), ("item", "Bring your tablets.")]


SHORT_ITEM = "- Ask the nurse for all the tablets you will need"  # 49 characters, its mark included: short
LONG_ITEM = "- Ask the nurse for the pain tablets you will need"  # 50: long enough to have been wrapped at 60


@pytest.mark.parametrize("line", ["Tomorrow, after the injection.", "2 days after the injection."])
def test_an_item_under_50_characters_ended_there_and_one_of_50_in_a_wrapped_file_goes_on(line):
    """Both breaks leave room for the next word on the line (50 + 1 + 9 = 60): the item's length alone decides."""
    assert (len(SHORT_ITEM), len(LONG_ITEM)) == (49, 50)
    assert after_item(WRAPPED, SHORT_ITEM, line) == [
        ("item", SHORT_ITEM[2:]), ("paragraph", line), ("item", "Bring your tablets.")]
    assert after_item(WRAPPED, LONG_ITEM, line) == [(
        "item", f"{LONG_ITEM[2:]} {line}"), ("item", "Bring your tablets.")]


# --- a minus sign is no list mark -----------------------------------------------------------------------------------

@pytest.mark.parametrize("lines, expected", [
    (["Store the vaccine at:", "-2 °C to 8 °C"], [("paragraph", "Store the vaccine at: -2 °C to 8 °C")]),
    (["Store the vaccine at:", "\u22122 °C to 8 °C"], [("paragraph", "Store the vaccine at: \u22122 °C to 8 °C")]),
    (["-5 kg in a week: tell your doctor."], [("paragraph", "-5 kg in a week: tell your doctor.")]),
], ids=["hyphen-minus after a lead-in", "minus sign U+2212", "a paragraph's first line"])
def test_a_minus_before_a_digit_is_the_numbers_sign_not_a_list_mark(lines, expected):
    """ "-2 °C to 8 °C" read as a bullet would say "2 °C to 8 °C": the vaccine kept warmer than the clinic said."""
    text = UNWRAPPED + "Before your visit\n" + "\n".join(lines) + "\n"
    assert blocks(text, "preparation") == expected


def test_a_dash_before_a_letter_is_a_list_mark():
    """The test above can fail: "-Bring" is an item, its dash no part of its text."""
    assert blocks(UNWRAPPED + "Before your visit\n-Bring your photo ID.\n", "preparation") == [
        ("item", "Bring your photo ID.")]


# --- a short line -------------------------------------------------------------------------------------------------

def test_a_short_line_is_one_under_50_characters_that_ends_without_punctuation():
    assert bare_short(lines_of("x" * 49)[0]) and not bare_short(lines_of("x" * 50)[0])
    assert bare_short(lines_of("Keep your head up on two pillows tonight" + " " * 30)[0]), "trailing space is no text"
    assert bare_short(lines_of("x" * 120)[0], any_length=True)
    assert not bare_short(None) and not bare_short(lines_of("")[0])
    for ended in ("Rest today.", "Why?", "Do not drive!", "Bring:", "Sleep well;", "Rest (rare)."):
        assert not bare_short(lines_of(ended)[0]) and not bare_short(lines_of(ended)[0], any_length=True), ended
    for cut in ("Rinse with warm salt water and", "Take the", "Bleeding, swelling,"):
        assert not bare_short(lines_of(cut)[0], any_length=True), cut
    for marked in ("- Bleeding", "1. Rest", "* A fever", "\u2022 Swelling"):
        assert not bare_short(lines_of(marked)[0], any_length=True), marked
    assert bare_short(lines_of("Rest (rare)")[0]) and bare_short(lines_of("A fever")[0])
    assert bare_short(lines_of("X")[0]), "one character is a line"


# --- the width a file was wrapped at ----------------------------------------------------------------------------

def wrapped_at(width: int, extra: list[str] = ()) -> list[Line]:
    """Three lines of `width` characters each going on in lower case on the next, then short lines."""
    body = ["W" + "x" * (width - 1), "going " + "y" * (width - 6), "on " + "z" * (width - 3), "and ends here."]
    return lines_of(*body, *extra, *["Short line"] * 30)


def test_a_file_is_wrapped_at_the_longest_line_that_goes_on_in_lower_case():
    assert wrap_width(wrapped_at(60)) == 60
    assert wrap_width(lines_of("A" * 70, "goes on.", "Short", "Rest today.")) is None, "one wrapped line is no width"
    assert wrap_width(lines_of("A" * 70, "- goes on.", "B" * 60, "- and on.")) is None, "an item is no wrapped line"
    assert wrap_width(lines_of("A" * 70, "", "B" * 60, "and on.", "C" * 50, "and on.")) == 60


def test_a_wrap_width_is_30_to_100_characters():
    assert wrap_width(wrapped_at(30)) == 30
    assert wrap_width(wrapped_at(29)) is None
    assert wrap_width(wrapped_at(34)) == 34
    assert wrap_width(wrapped_at(100)) == 100
    assert wrap_width(wrapped_at(101)) is None
    assert wrap_width(wrapped_at(95)) == 95


def test_a_wrapped_file_allows_8_characters_of_slack_and_one_longer_line_in_20():
    assert wrap_width(wrapped_at(60, ["L" * 68, "M" * 68])) == 60  # a long word sticking out: fine
    assert wrap_width(wrapped_at(60, ["L" * 69, "M" * 69])) is None  # two lines of 69 in 36: not wrapped
    assert wrap_width(wrapped_at(60, ["L" * 64, "M" * 64, "N" * 64])) == 60
    assert wrap_width(wrapped_at(60, ["L" * 72, "M" * 72])) is None
    assert wrap_width(wrapped_at(60, ["L" * 90])) == 60, "one longer line is allowed"
    few = wrapped_at(60)[:4] + lines_of("L" * 90)
    assert wrap_width(few) == 60, "one longer line in 5 too"
    many = wrapped_at(60, ["L" * 90] * 3) + lines_of(*["Short line"] * 23)
    assert len(many) == 60 and wrap_width(many) == 60, "3 longer lines in 60: one in 20"
    assert wrap_width(many[:-1]) is None, "3 in 59 are more"
    assert wrap_width(many + lines_of("N" * 90)) is None


def test_a_wrapped_files_width_and_its_longer_lines_count_the_indent():
    indented = [Line(line.number, "    " + line.raw, line.text) for line in wrapped_at(56)[:4]]
    assert wrap_width(indented + lines_of(*["Short line"] * 30)) == 60, "56 characters after 4 of indent: 60"
    assert wrap_width(wrapped_at(60, ["    " + "L" * 64] * 2)) == 60, "68 columns: within the slack"
    assert wrap_width(wrapped_at(60, ["    " + "L" * 65] * 2)) is None, "69 columns, though 65 characters"
    assert bare_short(lines_of("    " + "x" * 49)[0]) and not bare_short(lines_of("    " + "x" * 50)[0])


# --- the breaks ---------------------------------------------------------------------------------------------------

def test_a_break_where_the_next_word_would_have_fitted_is_the_authors():
    lines = wrapped_at(60)
    breaks = Breaks(lines)
    assert breaks.width == 60
    prev = lines_of("x" * 54)[0]
    assert not breaks.cut(prev, lines_of("Fifth")[0]), "54 + 1 + 5 = 60 fits"
    assert breaks.cut(prev, lines_of("Sixths")[0]), "54 + 1 + 6 = 61 does not"
    assert breaks.cut(prev, lines_of("Sixths and more")[0]), "the next word, not the next line"
    assert breaks.cut(lines_of("Rinse with warm salt water and")[0], lines_of("A")[0]), "a line ending on 'and'"
    unwrapped = Breaks(lines_of("A" * 70, "B" * 70))
    assert unwrapped.width is None
    assert not unwrapped.cut(lines_of("x" * 95)[0], lines_of("Anything")[0]), "no width: nothing is cut by it"
    assert unwrapped.cut(lines_of("Take the")[0], lines_of("Tablets")[0])


def test_a_line_goes_on_from_the_one_before_in_lower_case_or_after_a_cut():
    breaks = Breaks(wrapped_at(60))
    rest = lines_of("Rest today")[0]
    assert breaks.continues(rest, lines_of("and tomorrow")[0])
    assert not breaks.continues(rest, lines_of("Sleep well")[0])
    assert breaks.continues(lines_of("Take the")[0], lines_of("Tablets")[0])
    assert breaks.continues(lines_of("x" * 58)[0], lines_of("Then")[0]), "58 + 1 + 4 > 60"
    assert not breaks.continues(None, lines_of("and more")[0]) and not breaks.continues(lines_of("")[0], rest)


def test_a_new_block_may_start_only_where_the_author_ended_the_line():
    breaks = Breaks(wrapped_at(60))
    rest = lines_of("Rest today")[0]
    assert breaks.deliberate(None, rest) and breaks.deliberate(lines_of("")[0], rest)
    assert breaks.deliberate(rest, lines_of("Sleep well")[0])
    assert not breaks.deliberate(rest, lines_of("and sleep")[0])
    assert breaks.deliberate(rest, lines_of("purpose")[0], heading=True), "a heading may be in lower case"
    assert not breaks.deliberate(lines_of("Take the")[0], lines_of("purpose")[0], heading=True)
    assert not breaks.deliberate(lines_of("x" * 58)[0], lines_of("Then")[0], heading=True), "cut at the width"
    assert breaks.deliberate(lines_of("x" * 54)[0], lines_of("Fifth")[0], heading=True)


# --- a nested item ------------------------------------------------------------------------------------------------

def levels(text: str, key: str) -> list[tuple[str, str, int]]:
    procedure = reader.parse(text, source="clinic.txt")
    return [(b.kind, b.text, b.level) for b in procedure.section(key).blocks]


@pytest.mark.parametrize("margin", ["", "  "], ids=["list at the margin", "list indented 2"])
@pytest.mark.parametrize("more", [" ", "  ", "\t"], ids=["1 space", "2 spaces", "a tab"])  # a tab: to the next 4th column
def test_a_bullet_indented_by_any_space_more_than_the_one_above_is_nested_under_it(margin, more):
    """One space deeper is deeper: read flat, "Warfarin" would be a medicine of its own among the instructions,
    no longer one of the medicines to stop."""
    text = (UNWRAPPED + f"Before your visit\n{margin}- Stop these medicines 5 days before:\n"
            f"{margin}{more}- Warfarin\n{margin}{more}- Clopidogrel\n{margin}- Bring your tablets.\n")
    assert levels(text, "preparation") == [
        ("item", "Stop these medicines 5 days before:", 0), ("item", "Warfarin", 1), ("item", "Clopidogrel", 1),
        ("item", "Bring your tablets.", 0)]


def test_bullets_at_the_same_indent_are_one_level():
    """The test above can fail: no deeper indent, no nesting."""
    text = UNWRAPPED + "Before your visit\n - Stop these medicines 5 days before:\n - Warfarin\n - Bring your tablets.\n"
    assert levels(text, "preparation") == [
        ("item", "Stop these medicines 5 days before:", 0), ("item", "Warfarin", 0), ("item", "Bring your tablets.", 0)]


def test_an_item_ending_in_a_capital_letter_has_not_ended_its_sentence():
    """Only ".", "!" and "?" end an item: one of 52 characters ending in "X" (an X-ray cut at its hyphen), broken
    where the next word would have fitted, goes on in the next line."""
    item = "- Before the scan, take off anything metal and your X"
    assert len(item) == 53
    assert after_item(WRAPPED, item, "Ray gown goes on after that.") == [
        ("item", "Before the scan, take off anything metal and your X Ray gown goes on after that."),
        ("item", "Bring your tablets.")]


def test_a_line_after_a_short_item_ending_in_a_capital_letter_is_no_sentence_of_its_own():
    """After a short entry, a line is its own only if it ends a sentence; one ending in "X" goes on the item."""
    assert after_item(WRAPPED, "- Bring the form", "Sign where the nurse marks an X") == [
        ("item", "Bring the form Sign where the nurse marks an X"), ("item", "Bring your tablets.")]
