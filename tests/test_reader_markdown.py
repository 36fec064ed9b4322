"""The Markdown reader: CommonMark (with GFM tables) -> marked lines, and through the text reader -> Procedure."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet import reader
from leaflet.errors import SourceError
from leaflet.reader.lines import Line
from leaflet.reader.markdown import lines

KNEE = """\
# Knee arthroscopy

**CPT code:** 29881

A knee arthroscopy lets the surgeon look inside your knee through a *small* cut.

## Why is this done?

To find and treat the cause of _knee pain_.

## How do I prepare?

- Stop eating at **midnight**.
- Bring:
  - your medicines
  - a friend to drive you home

| Medicine | What to do |
| --- | --- |
| Warfarin | Stop 5 days before |
| Aspirin | Keep taking |

> **Important:** Do not drink alcohol the day before.

If you have questions, [call us](https://example.org/contact).

## Recovery

1. Rest with your leg up.
2. Put ice on the knee.
"""


def md(text: str) -> list[Line]:
    return lines(text.encode("utf-8"), "test.md")


def shape(found: list[Line]) -> list[tuple]:
    """Each line as (number, marked, text, level, ordered); a blank line as (number, "")."""
    return [(l.number, l.marked, l.text, l.level, l.ordered) if l.text else (l.number, "") for l in found]


def texts(found: list[Line]) -> list[str]:
    return [l.text for l in found]


def write(tmp_path: Path, text: str, name: str = "knee-arthroscopy.md", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def by_heading(procedure) -> dict:
    """The sections under the page's own headings (the text reader may add one for text before them)."""
    return {section.heading: section for section in procedure.sections if section.heading}


def all_texts(procedure) -> list[str]:
    data = procedure.to_dict()
    found = [data[key] for key in ("title", "name", "common_names", "medical_terms")]
    for section in data["sections"]:
        found.append(section["heading"])
        found.extend(block["text"] for block in section["blocks"])
    return found


# --- lines: headings, lists, paragraphs ----------------------------------------------------------


def test_atx_and_setext_headings_are_marked_headings_with_their_level():
    found = md("# Knee arthroscopy\n\nText.\n\nRecovery\n========\n\nAt home\n-------\n\n### Day *one*\n")
    headings = [(l.number, l.text, l.level, l.why) for l in found if l.marked == "heading"]
    assert headings == [
        (1, "Knee arthroscopy", 1, "Markdown heading, level 1"),
        (5, "Recovery", 1, "Markdown heading, level 1"),
        (8, "At home", 2, "Markdown heading, level 2"),
        (11, "Day one", 3, "Markdown heading, level 3"),
    ]
    assert all(l.raw == l.text for l in found)


def test_list_items_carry_their_true_nesting_depth_in_order():
    found = md("- one\n  - two\n    - three\n      - four\n- five\n")
    assert shape(found) == [
        (1, "item", "one", 0, False),
        (2, "item", "two", 1, False),
        (3, "item", "three", 2, False),
        (4, "item", "four", 3, False),
        (5, "item", "five", 0, False),
    ]


def test_ordered_and_bullet_items_are_told_apart_and_raw_is_the_plain_text_form():
    found = md("1. Breathe in.\n2. Hold still.\n   * Do not *talk*.\n")
    assert [(l.raw, l.ordered, l.why) for l in found] == [
        ("1. Breathe in.", True, "Markdown numbered list"),
        ("2. Hold still.", True, "Markdown numbered list"),
        ("  - Do not talk.", False, "Markdown list"),
    ]


def test_an_items_own_paragraphs_join_into_one_line_that_comes_before_its_nested_items():
    found = md("- Tell us if you take\n  blood thinners.\n\n  Bring the list.\n  - warfarin\n- Fast.\n")
    assert shape(found) == [
        (1, "item", "Tell us if you take blood thinners. Bring the list.", 0, False),
        (5, "item", "warfarin", 1, False),
        (6, "item", "Fast.", 0, False),
    ]


def test_a_paragraph_of_three_instruction_lines_is_three_plain_lines_then_one_blank():
    found = md("Take off your jewellery\nPut on the gown\nLie on the bed\n\nThe nurse will help.\n")
    assert shape(found) == [
        (1, "", "Take off your jewellery", 0, False),
        (2, "", "Put on the gown", 0, False),
        (3, "", "Lie on the bed", 0, False),
        (4, ""),
        (5, "", "The nurse will help.", 0, False),
    ]


def test_a_hard_break_with_two_spaces_or_a_backslash_ends_a_line():
    found = md("Fast from midnight.  \nDrink water until 6 am.\\\nTake your pills.\n")
    assert texts(found) == ["Fast from midnight.", "Drink water until 6 am.", "Take your pills."]
    assert [l.number for l in found] == [1, 2, 3]


# --- lines: tables, quotes, inline marks, HTML, code ---------------------------------------------


def test_a_table_header_row_is_a_lead_in_and_each_body_row_one_row_with_its_cells_in_order():
    found = md("| Medicine | What to do | Why |\n|---|---|---|\n| Warfarin | Stop 5 days before | Bleeding |\n| *Aspirin* | Keep taking. | |\n")
    assert [(l.number, l.marked, l.text, l.why) for l in found] == [
        (1, "paragraph", "Medicine: What to do; Why", "table header row"),
        (3, "row", "Warfarin: Stop 5 days before; Bleeding", "table row"),
        (4, "row", "Aspirin: Keep taking.", "table row"),
    ]


def test_a_two_column_row_whose_first_cell_is_a_header_label_becomes_a_plain_label_line():
    found = md("| CPT code | 29881 |\n|---|---|\n| **Common names:** | Knee scope |\n| Medicine | Warfarin |\n")
    assert [(l.marked, l.text) for l in found] == [
        ("", "CPT code: 29881"),
        ("", "Common names: Knee scope"),
        ("row", "Medicine: Warfarin"),
    ]


def test_a_block_quote_with_bold_is_a_plain_paragraph_without_marks():
    found = md("> **Important:** Do not eat\n> after midnight.\n")
    assert shape(found) == [(1, "", "Important: Do not eat", 0, False), (2, "", "after midnight.", 0, False)]


def test_emphasis_strong_strikethrough_and_code_are_reduced_to_their_text():
    found = md("Take *one* __tablet__ ~~twice~~ daily with `water` &amp; food.\n")
    assert texts(found) == ["Take one tablet twice daily with water & food."]


def test_a_link_keeps_its_address_in_brackets_unless_its_text_is_the_address():
    found = md(
        "[Call us](https://example.org/contact) or see <https://example.org>.\n"
        "Visit [example.org](https://example.org/) or mail <help@example.org>.\n"
        "Phone [0123 456 789](tel:0123456789) or [write to us](mailto:help@example.org).\n"
        "See [Risks](#risks) and [![logo](logo.png)](https://example.org/home).\n"
    )
    assert texts(found) == [
        "Call us (https://example.org/contact) or see https://example.org.",
        "Visit example.org or mail help@example.org.",
        "Phone 0123 456 789 or write to us (help@example.org).",
        "See Risks and https://example.org/home.",
    ]


def test_images_and_html_comments_are_left_out_and_html_tags_keep_their_text():
    found = md(
        "![Clinic logo](logo.png)\n\n<!-- draft: check with Dr Smith\nbefore printing -->\n\n"
        "Rest for <b>two</b> days.<!-- or three -->\nNo<i>t</i> before<br>Monday.\n\n<div>\n<p>Call us</p><p>any time.</p>\n</div>\n"
    )
    assert shape(found) == [
        (6, "", "Rest for two days.", 0, False),
        (7, "", "Not before Monday.", 0, False),
        (8, ""),
        (10, "", "Call us any time.", 0, False),
    ]


def test_fenced_and_indented_code_blocks_keep_their_lines_as_plain_lines():
    found = md("Before.\n\n    This paragraph was indented by accident\n    and must not vanish.\n\n```\nKeep the dressing dry.\n```\n")
    assert shape(found) == [
        (1, "", "Before.", 0, False),
        (2, ""),
        (3, "", "This paragraph was indented by accident", 0, False),
        (4, "", "and must not vanish.", 0, False),
        (5, ""),
        (7, "", "Keep the dressing dry.", 0, False),
    ]


# --- lines: front matter, blank lines, numbers, bad input --------------------------------------


def test_front_matter_is_no_content_and_its_title_becomes_a_title_line_not_a_setext_heading():
    found = md('---\nlayout: leaflet\ntitle: "Knee arthroscopy"\ndate: 2024-01-01\n---\n\n# Summary\n\nA short operation.\n')
    assert shape(found) == [
        (3, "title", "Knee arthroscopy", 0, False),
        (6, ""),
        (7, "heading", "Summary", 1, False),
        (8, ""),
        (9, "", "A short operation.", 0, False),
    ]
    assert found[0].why == "front matter title"


def test_a_thematic_break_then_markdown_is_not_taken_for_front_matter():
    found = md("---\nNote: bring your card.\n\nSummary\n---\n\nA short operation.\n")
    assert [(l.marked, l.text) for l in found if l.text] == [
        ("", "Note: bring your card."),
        ("heading", "Summary"),
        ("", "A short operation."),
    ]


def test_a_thematic_break_and_gaps_give_single_blank_lines_and_never_a_leading_one():
    found = md("\n\n<!-- top -->\n\nFirst.\n\n---\n\n\n***\n\nSecond.\n")
    assert shape(found) == [(5, "", "First.", 0, False), (6, ""), (12, "", "Second.", 0, False)]


def test_line_numbers_are_the_markdown_source_lines_each_block_starts_on():
    found = md(KNEE)
    numbers = {l.text: l.number for l in found if l.text}
    assert numbers["Knee arthroscopy"] == 1
    assert numbers["CPT code: 29881"] == 3
    assert numbers["your medicines"] == 15
    assert numbers["Medicine: What to do"] == 18
    assert numbers["Aspirin: Keep taking"] == 21
    assert numbers["Important: Do not drink alcohol the day before."] == 23
    assert numbers["Put ice on the knee."] == 30


def test_crlf_input_gives_the_same_lines_as_lf_input():
    assert shape(lines(KNEE.replace("\n", "\r\n").encode(), "t.md")) == shape(md(KNEE))


def test_a_control_character_is_refused_with_its_line_and_white_space_stays_white_space(tmp_path):
    found = lines("Fast &#12; from midnight\tnow.\n\n- a\u0085b\n".encode("utf-8"), "t.md")
    assert texts(found) == ["Fast from midnight now.", "", "a b"]  # NEL is a line end, inside an item a space
    page = tmp_path / "c1.md"
    page.write_text("# Scope\n\n## Summary\n\nFast from \u009bmidnight.\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"control character U\+009B") as err:
        reader.read(page)
    assert err.value.where == f"{page}:5"


@pytest.mark.parametrize(
    "text",
    ["---\nlayout: leaflet\n---\n", "<!-- nothing yet -->\n", "---\n\n***\n", "![logo](logo.png)\n"],
    ids=["front-matter", "comment", "rules", "image"],
)
def test_a_document_without_content_gives_no_text(text):
    assert not any(l.text for l in md(text))


def test_lists_nested_deeper_than_the_parser_reads_are_refused_not_cut_short():
    nested = "".join("  " * depth + f"- step {depth}\n" for depth in range(12)) + "\nAfter the list.\n"
    with pytest.raises(SourceError, match="nested too deeply") as refused:
        md(nested)
    assert refused.value.where.startswith("test.md:")
    assert md("".join("  " * depth + f"- step {depth}\n" for depth in range(6)))[-1].level == 5


# --- end to end: a .md file read into a Procedure ------------------------------------------------


def test_a_clinic_page_reads_into_sections_whose_blocks_are_the_markdown_blocks(tmp_path):
    procedure = reader.read(write(tmp_path, KNEE))
    data = procedure.to_dict()
    assert (data["title"], data["code"]) == ("Knee arthroscopy", "29881")
    sections = [s for s in data["sections"] if s["heading"]]
    assert [s["heading"] for s in sections] == ["Why is this done?", "How do I prepare?", "Recovery"]
    why, prepare, recovery = ([(b["kind"], b["text"], b["level"], b["ordered"]) for b in s["blocks"]] for s in sections)
    assert why == [("paragraph", "To find and treat the cause of knee pain.", 0, False)]
    assert prepare[:4] == [
        ("item", "Stop eating at midnight.", 0, False),
        ("item", "Bring:", 0, False),
        ("item", "your medicines", 1, False),
        ("item", "a friend to drive you home", 1, False),
    ]
    assert prepare[-2:] == [
        ("paragraph", "Important: Do not drink alcohol the day before.", 0, False),
        ("paragraph", "If you have questions, call us (https://example.org/contact).", 0, False),
    ]
    assert recovery == [("item", "Rest with your leg up.", 0, True), ("item", "Put ice on the knee.", 0, True)]


def test_no_markdown_marks_are_left_in_any_text_of_the_procedure(tmp_path):
    for text in all_texts(reader.read(write(tmp_path, KNEE))):
        assert not set(text) & set("*_|>#`"), text


def test_a_table_becomes_its_header_as_a_lead_in_then_one_item_per_row(tmp_path):
    procedure = reader.read(write(tmp_path, KNEE))
    blocks = [(b.kind, b.text) for b in by_heading(procedure)["How do I prepare?"].blocks]
    start = blocks.index(("paragraph", "Medicine: What to do"))
    assert blocks[start + 1 : start + 3] == [("item", "Warfarin: Stop 5 days before"), ("item", "Aspirin: Keep taking")]


def test_each_block_of_the_procedure_keeps_its_markdown_line(tmp_path):
    sections = by_heading(reader.read(write(tmp_path, KNEE)))
    assert [s.line for s in sections.values()] == [7, 11, 27]
    assert [b.line for b in sections["Why is this done?"].blocks] == [9]
    assert [b.line for b in sections["How do I prepare?"].blocks] == [13, 14, 15, 16, 18, 20, 21, 23, 25]
    assert [b.line for b in sections["Recovery"].blocks] == [29, 30]


def test_a_crlf_markdown_file_reads_into_the_same_procedure_as_an_lf_one(tmp_path):
    crlf = reader.read(write(tmp_path, KNEE, "knee-crlf.md", newline="\r\n")).to_dict()
    lf = reader.read(write(tmp_path, KNEE, "knee-lf.md")).to_dict()
    assert crlf["sections"] == lf["sections"]


def test_a_markdown_file_with_front_matter_setext_heading_and_comment_reads_its_sections(tmp_path):
    page = "---\ntitle: Knee arthroscopy\n---\n<!-- reviewed 2024 -->\nRecovery\n--------\n\nRest with your leg up\nPut ice on the knee\nTake your painkillers\n"
    procedure = reader.read(write(tmp_path, page))
    assert procedure.title.text == "Knee arthroscopy"
    (section,) = procedure.sections
    assert section.heading == "Recovery"
    assert [b.text for b in section.blocks] == ["Rest with your leg up", "Put ice on the knee", "Take your painkillers"]
    assert all("reviewed" not in text for text in all_texts(procedure))


@pytest.mark.parametrize(
    "text",
    ["# Knee arthroscopy\n\n<!-- to be written -->\n", "---\ntitle: Knee arthroscopy\n---\n", "<!-- draft -->\n"],
    ids=["title-only", "front-matter-only", "comment-only"],
)
def test_a_markdown_file_with_no_sections_is_refused(tmp_path, text):
    with pytest.raises(SourceError, match="no recognisable section"):
        reader.read(write(tmp_path, text))


def test_a_binary_file_named_md_is_refused_as_not_text(tmp_path):
    path = tmp_path / "scan.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SourceError, match="not a text file"):
        reader.read(path)


def test_an_html_block_keeps_its_text_and_a_script_never_closed_hides_nothing_after_it():
    from leaflet.reader.markdown import _html_text

    assert _html_text('<div>Call <b>us</b> &amp; <!-- a < b > c --> now<script>x()</script> ok\n<p>Two</p></div>', 5) == [
        (5, " Call us &  now   ok"), (6, " Two  ")]
    assert _html_text("<style> never closed\nDo not eat.", 1) == [(1, "  never closed"), (2, "Do not eat.")]
    # "<a " without ">" many times: each "<" is text, found in one pass (html.parser took minutes, CVE-2025-6069)
    assert "".join(t for _, t in _html_text("<div>" + "<a " * 20000, 1)).count("<a") == 20000


def test_a_link_address_too_long_to_type_is_left_out_and_not_repeated(tmp_path):
    address = "https://example.org/" + "x" * 600
    page = tmp_path / "links.md"
    page.write_text(f"# Scope\n\n## Summary\n\nSee [our page][a] and [again][a].\n\n[a]: {address}\n", encoding="utf-8")
    assert [b.text for b in reader.read(page).section("summary").blocks] == ["See our page and again."]
