"""Plain text as clinics write it: capitals headings, instructions one a line, tables, exported page furniture,
the intro under the title, the header codes, and `inspect --explain`."""

from __future__ import annotations

from leaflet import reader

from conftest import SEED, run_leaflet

TITLE = "Tooth extraction\n"


def read(text: str):
    return reader.parse(text, source="clinic.txt")


def shape(procedure, key):
    return [(b.kind, b.level, b.ordered, b.text) for b in procedure.section(key).blocks]


def test_capitals_and_colon_headings_are_headings_also_right_before_a_list():
    p = read(TITLE + "WHY IT IS DONE:\n- Severe decay\n- A cracked tooth\nCALL US RIGHT AWAY IF YOU HAVE:\n- Bleeding\n- A fever\n")
    assert [(s.key, s.heading) for s in p.sections] == [
        ("purpose", "WHY IT IS DONE"), ("warning", "CALL US RIGHT AWAY IF YOU HAVE")
    ]
    assert [b.text for b in p.section("warning").blocks] == ["Bleeding", "A fever"]


def test_an_instruction_in_capitals_is_no_heading():
    p = read(TITLE + "Preparation\nDO NOT EAT OR DRINK AFTER MIDNIGHT\nBring your medicines.\n")
    assert [s.key for s in p.sections] == ["preparation"]


def test_instructions_written_one_a_line_are_a_list_not_one_paragraph():
    p = read(TITLE + "Aftercare\nBite on the gauze for 30 minutes.\nDo not spit, rinse or use a straw for 24 hours.\n"
             "Do not drive until the next day.\nEat soft foods.\n")
    assert shape(p, "recovery") == [
        ("item", 0, False, "Bite on the gauze for 30 minutes."),
        ("item", 0, False, "Do not spit, rinse or use a straw for 24 hours."),
        ("item", 0, False, "Do not drive until the next day."),
        ("item", 0, False, "Eat soft foods."),
    ]


def test_sentences_one_a_line_are_entries_and_a_long_line_among_them_a_paragraph():
    long_line = ("Your knee may feel numb and pain-free for a few hours from the numbing medicine. Then the pain may"
                 " come back until the steroid starts to work in 2 to 7 days.")
    p = read(TITLE + f"After the injection\n{long_line}\nRest the knee today.\nYou can put ice on it.\n"
             "Clear liquids you can have:\n")
    assert [(b.kind, b.text[:20]) for b in p.section("recovery").blocks] == [
        ("paragraph", long_line[:20]), ("item", "Rest the knee today."), ("item", "You can put ice on i"),
        ("paragraph", "Clear liquids you ca"),
    ]


def test_wrapped_prose_still_joins_into_one_paragraph():
    prose = (
        "Your dentist numbs the area with a small injection so that you\n"
        "feel pressure but no pain. The tooth is loosened with a tool and\n"
        "then lifted out. You may need a few stitches, which dissolve on\n"
        "their own within a week or two.\n"
    )
    p = read(TITLE + "What happens during the procedure?\n" + prose)
    assert [b.kind for b in p.section("procedure").blocks] == ["paragraph"]
    assert p.section("procedure").blocks[0].text.endswith("within a week or two.")


def test_a_medicine_table_of_bar_rows_keeps_each_instruction_with_its_medicine():
    p = read(TITLE + "Before your visit\nMedicine | What to do\nWarfarin | Stop 5 days before. Ask your doctor first.\n"
             "Metformin | Do not take them the morning of the procedure.\nAspirin | Keep taking it.\n")
    assert shape(p, "preparation") == [
        ("paragraph", 0, False, "Medicine: What to do"),
        ("item", 0, False, "Warfarin: Stop 5 days before. Ask your doctor first."),
        ("item", 0, False, "Metformin: Do not take them the morning of the procedure."),
        ("item", 0, False, "Aspirin: Keep taking it."),
    ]


def test_columns_typed_with_tabs_or_lined_up_spaces_are_table_rows():
    tabs = read(TITLE + "Preparation\nWarfarin\tStop 5 days before.\nAspirin\tKeep taking it.\n")
    assert [b.text for b in tabs.section("preparation").blocks] == ["Warfarin: Stop 5 days before.", "Aspirin: Keep taking it."]
    spaces = read(TITLE + "Preparation\nWarfarin       Stop 5 days before.\nInsulin        Take half your dose.\n")
    assert [(b.kind, b.text) for b in spaces.section("preparation").blocks] == [
        ("item", "Warfarin: Stop 5 days before."), ("item", "Insulin: Take half your dose.")
    ]


def test_a_label_and_value_table_at_the_top_gives_the_header_fields():
    p = read("Colonoscopy\nCPT code | 45378\nAlso known as | Scope of the colon\nSummary\nA look inside the bowel.\n")
    assert (p.code, p.common_names.text) == ("45378", "Scope of the colon")


def test_cdt_hcpcs_and_procedure_code_labels_are_the_code():
    for label, code in (("CDT code: D7140", "D7140"), ("HCPCS: G0121", "G0121"), ("Procedure code: 93458", "93458")):
        p = read(f"Title\n{label}\nSummary\nText.\n")
        assert p.code == code, label
        assert not p.warnings, p.warnings


def test_page_headers_and_footers_of_an_export_are_left_out_and_a_cut_sentence_joins():
    text = (
        "St. Mary's Endoscopy | Patient Information\nColonoscopy\nPreparation\n"
        "Stop eating solid food the day before and drink only clear\n\n"
        "Page 1 of 2   Rev. 02/2025\n\nSt. Mary's Endoscopy | Patient Information\n\n"
        "liquids such as water, broth and apple juice.\nRecovery\nRest today.\n"
        "Page 2 of 2   Rev. 02/2025\n"
    )
    p = read(text)
    assert p.title.text == "Colonoscopy"
    assert shape(p, "preparation") == [
        ("paragraph", 0, False,
         "Stop eating solid food the day before and drink only clear liquids such as water, broth and apple juice.")
    ]
    assert sum("page header or footer was left out" in w for w in p.warnings) == 4
    assert all("Page" not in b.text and "Patient Information" not in b.text for s in p.sections for b in s.blocks)


def test_a_repeated_line_without_the_marks_of_a_footer_is_content():
    p = read(TITLE + "Risks\n- Bleeding\nWarning signs\n- Bleeding\n")
    assert [b.text for s in p.sections for b in s.blocks] == ["Bleeding", "Bleeding"]


def test_text_under_the_title_before_any_heading_is_the_summary():
    p = read(TITLE + "Having a tooth out is a common procedure. It takes about 30 minutes.\nAftercare\nRest.\n")
    assert (p.sections[0].key, p.sections[0].heading) == ("summary", "")
    assert p.sections[0].blocks[0].text.startswith("Having a tooth out")


def test_inspect_explain_says_why_each_line_was_read_as_it_was(tmp_path):
    (tmp_path / "tooth.txt").write_text(
        "Tooth extraction\nCDT code: D7140\nWHY IT IS DONE:\n- Severe decay\nAftercare\nDo not spit.\nDo not drive.\n"
        "Page 1 of 1\n",
        encoding="utf-8",
    )
    result = run_leaflet("inspect", "tooth.txt", "--explain", cwd=tmp_path, check=True)
    lines = result.stdout.splitlines()
    assert "line 3: heading, capitals and colon → purpose (its words: why)" in lines
    assert "line 2: header field: code (its label)" in lines
    assert "line 4: item, bulleted (a list mark)" in lines
    assert any(l.startswith("line 6: ") and "sentences written one a line" in l for l in lines)
    assert any(l.startswith("line 8: page header or footer") for l in lines)


def test_a_source_without_a_warning_section_is_pointed_out_by_inspect_and_build(tmp_path):
    (tmp_path / "tooth.txt").write_text("Tooth extraction\nSummary\nA tooth is taken out.\n", encoding="utf-8")
    result = run_leaflet("inspect", "tooth.txt", cwd=tmp_path, check=True)
    assert "no section tells the patient when to get help" in result.stderr
    (tmp_path / "safe.txt").write_text("Tooth extraction\nSummary\nA tooth is taken out.\nWhen to call us\n- Bleeding\n",
                                       encoding="utf-8")
    assert "when to get help" not in run_leaflet("inspect", "safe.txt", cwd=tmp_path, check=True).stderr
    built = run_leaflet("build", str(SEED), "-l", "en", "--format", "pdf", "-o", "out", cwd=tmp_path, check=True)
    assert "no section tells the patient when to get help" in built.stderr
    assert (tmp_path / "out" / "hip-joint-denervation" / "en" / "hip-joint-denervation.pdf").is_file()


def test_a_clinics_name_beside_the_title_is_text_not_the_title():
    p = read("BONE MARROW BIOPSY\nHematology and Oncology Clinic\nWhy is it done?\nTo look at the marrow.\n")
    assert p.title.text == "BONE MARROW BIOPSY"
    assert [(s.key, [b.text for b in s.blocks]) for s in p.sections][0] == ("summary", ["Hematology and Oncology Clinic"])


def test_label_lines_among_the_text_under_the_title_are_header_fields():
    p = read("Gallbladder surgery\nThe gallbladder is taken out through small cuts.\nAlso called: keyhole surgery\n"
             "Medical term: Laparoscopic cholecystectomy\nProcedure code (CPT): 47562\nRisks\n- Bleeding\n")
    assert (p.common_names.text, p.medical_terms.text, p.code) == (
        "keyhole surgery", "Laparoscopic cholecystectomy", "47562")
    assert [b.text for b in p.section("summary").blocks] == ["The gallbladder is taken out through small cuts."]


def test_a_subheading_stays_in_its_section_unless_it_names_another_moment(tmp_path):
    page = tmp_path / "scope.md"
    page.write_text(
        "# Knee scope\n\n## Before your procedure\n\n### Eating and drinking\n\nDo not eat after midnight.\n\n"
        "## During the procedure\n\nThe surgeon looks inside.\n\n### What you may feel\n\nSome pressure.\n\n"
        "## After your procedure\n\n### At home\n\nRest.\n\n### When to call us\n\n- A fever\n",
        encoding="utf-8",
    )
    p = reader.read(page)
    assert [(s.key, s.heading, [b.text for b in s.blocks]) for s in p.sections] == [
        ("preparation", "Before your procedure", ["Eating and drinking", "Do not eat after midnight."]),
        ("procedure", "During the procedure", ["The surgeon looks inside."]),
        ("experience", "What you may feel", ["Some pressure."]),
        ("recovery", "After your procedure", ["At home", "Rest."]),
        ("warning", "When to call us", ["A fever"]),
    ]


def test_a_control_character_is_refused_with_its_line_whatever_the_format(tmp_path):
    import pytest

    from leaflet.errors import SourceError

    for name, data in (("c1.txt", "Title\nSummary\nRest \u009b31m today.\n"), ("esc.md", "# T\n\n## Summary\n\nRest \u009b today.\n")):
        (tmp_path / name).write_text(data, encoding="utf-8")
        with pytest.raises(SourceError, match=r"control character U\+009B") as err:
            reader.read(tmp_path / name)
        assert err.value.where.endswith((":3", ":5")), err.value.where


def test_a_line_or_item_of_zero_width_spaces_only_is_no_block():
    """It printed an empty bullet (or an empty paragraph): nothing to read, so it is a blank line."""
    procedure = reader.parse("Title: Knee\n\nWhat it is\n- Take it.\n- \u200b\u200b\n- Rest.\n\u200b\u2060\nAfter\nGo home.\n")
    blocks = [(block.kind, block.text) for section in procedure.sections for block in section.blocks]
    assert blocks == [("item", "Take it."), ("item", "Rest."), ("paragraph", "Go home.")]
