"""The Word (.docx) reader: documents built here with python-docx (and raw WordprocessingML where python-docx writes
none) -> the lines the text reader reads, and end to end -> the Procedure; and every file it refuses, in one line."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from leaflet import reader
from leaflet.errors import SourceError
from leaflet.reader import docx as word

from conftest import SEED

W = nsdecls("w")


# --- building documents -----------------------------------------------------------------------------


def save(document, tmp_path: Path, name: str = "procedure.docx") -> Path:
    path = tmp_path / name
    document.save(str(path))
    return path


def lines_of(path: Path):
    return word.lines(path.read_bytes(), str(path))


def shapes(path: Path) -> list[tuple]:
    """(marked, raw, level, ordered) of each line: enough to see a document's structure at a glance."""
    return [(line.marked, line.raw, line.level, line.ordered) for line in lines_of(path)]


def run(text: str, *, bold: bool = False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r {W}>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def with_runs(document, *snippets: str, style: str | None = None):
    """A paragraph made of raw WordprocessingML (runs, w:ins, fields...), for what python-docx cannot write."""
    paragraph = document.add_paragraph(style=style)
    for snippet in snippets:
        paragraph._p.append(parse_xml(snippet))
    return paragraph


def rezip(data: bytes, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The package with some parts replaced, dropped (None) or added."""
    replace, out = replace or {}, io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = replace.get(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def simple_document():
    document = docx.Document()
    document.add_heading("Summary", 1)
    document.add_paragraph("A needle numbs the nerves of the hip.")
    return document


def refusal(tmp_path: Path, data: bytes, name: str = "procedure.docx") -> str:
    """The one-line message `leaflet.reader.read` refuses the file with."""
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SourceError) as caught:
        reader.read(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    assert "Traceback" not in message and "Error:" not in message and "docx.opc" not in message
    return message


# --- structure from styles --------------------------------------------------------------------------


def test_title_headings_and_word_lists_become_marked_lines_with_their_levels(tmp_path):
    document = docx.Document()
    document.add_paragraph("Hip joint denervation", style="Title")
    document.add_heading("Preparation", 1)
    document.add_heading("The day before", 2)
    document.add_paragraph("Fast for 6 hours.", style="List Bullet")
    document.add_paragraph("Stop blood thinners.", style="List Bullet")
    document.add_paragraph("Warfarin: ask your doctor.", style="List Bullet 2")
    document.add_heading("Procedure description", 1)
    document.add_paragraph("Lie on your back.", style="List Number")
    document.add_paragraph("The doctor numbs the skin.", style="List Number")
    assert shapes(save(document, tmp_path)) == [
        ("title", "Hip joint denervation", 0, False),
        ("", "", 0, False),
        ("heading", "Preparation", 1, False),
        ("", "", 0, False),
        ("heading", "The day before", 2, False),
        ("", "", 0, False),
        ("item", "- Fast for 6 hours.", 0, False),
        ("item", "- Stop blood thinners.", 0, False),
        ("item", "  - Warfarin: ask your doctor.", 1, False),
        ("", "", 0, False),
        ("heading", "Procedure description", 1, False),
        ("", "", 0, False),
        ("item", "1. Lie on your back.", 0, True),
        ("item", "2. The doctor numbs the skin.", 0, True),
    ]
    first = lines_of(save(document, tmp_path))
    assert [line.why for line in first if line.text][:3] == ["Title style", "Heading 1 style", "Heading 2 style"]
    assert first[6].why == "Word numbering (bulleted)" and first[12].why == "Word numbering (numbered)"
    assert first[6].text == "Fast for 6 hours."  # the words; the mark is in raw
    assert [line.number for line in first if line.text] == [1, 2, 3, 4, 5, 6, 7, 8, 9]


def test_styles_based_on_a_heading_and_paragraph_outline_levels_are_headings(tmp_path):
    document = docx.Document()
    localized = document.styles.add_style("Überschrift Klinik", WD_STYLE_TYPE.PARAGRAPH)
    localized.base_style = document.styles["Heading 2"]
    document.add_paragraph("Recovery", style="Überschrift Klinik")
    outlined = document.add_paragraph("Risks")
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W} w:val="0"/>'))
    lines = [line for line in lines_of(save(document, tmp_path)) if line.text]
    assert [(line.marked, line.text, line.level) for line in lines] == [("heading", "Recovery", 2), ("heading", "Risks", 1)]
    assert lines[0].why == "Überschrift Klinik style (Heading 2)"
    assert lines[1].why == "outline level 1"


def numbering(document, formats: list[str]) -> str:
    """A list definition with one level per format ("bullet", "lowerLetter", "none"...): its numId."""
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%{i + 1}."/></w:lvl>'
        for i, fmt in enumerate(formats)
    )
    part = document.part.numbering_part.element
    part.append(parse_xml(f'<w:abstractNum {W} w:abstractNumId="90">{levels}</w:abstractNum>'))
    part.append(parse_xml(f'<w:num {W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def numbered(document, text: str, num_id: str, ilvl: int):
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def test_the_numbering_format_of_each_level_decides_ordered_and_ilvl_the_nesting(tmp_path):
    document = docx.Document()
    num_id = numbering(document, ["bullet", "lowerLetter", "none", "decimal"])
    numbered(document, "Bring your medicines.", num_id, 0)
    numbered(document, "Pain medicines first.", num_id, 1)
    numbered(document, "Then the others.", num_id, 1)
    numbered(document, "In their boxes.", num_id, 2)
    numbered(document, "Step one.", num_id, 3)
    numbered(document, "Not a list: numId 0 switches numbering off.", "0", 0)
    numbered(document, "Not a list: an undefined numId.", "777", 0)
    items = [(line.marked, line.raw, line.level, line.ordered) for line in lines_of(save(document, tmp_path)) if line.text]
    assert items == [
        ("item", "- Bring your medicines.", 0, False),
        ("item", "  1. Pain medicines first.", 1, True),
        ("item", "  2. Then the others.", 1, True),
        ("item", "    - In their boxes.", 2, False),
        ("item", "      1. Step one.", 3, True),
        ("", "Not a list: numId 0 switches numbering off.", 0, False),
        ("", "Not a list: an undefined numId.", 0, False),
    ]


def test_a_soft_break_inside_an_item_continues_the_item_on_a_line_indented_to_its_text(tmp_path):
    document = docx.Document()
    with_runs(document, f"<w:r {W}><w:t>Bring your medicines</w:t><w:br/><w:t>in their boxes.</w:t></w:r>", style="List Number")
    assert [(line.marked, line.raw, line.text) for line in lines_of(save(document, tmp_path))] == [
        ("item", "1. Bring your medicines", "Bring your medicines"),
        ("", "   in their boxes.", "in their boxes."),
    ]


# --- tables -------------------------------------------------------------------------------------------


def table(document, rows: list[list[str]], *, bold_first: bool = False, header: bool = False):
    made = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            made.cell(r, c).paragraphs[0].add_run(text).bold = bold_first and r == 0 or None
    if header:
        made.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {W}/>"))
    return made


def test_table_rows_become_row_lines_and_a_header_row_a_lead_in(tmp_path):
    document = docx.Document()
    document.add_paragraph("Before.")
    table(document, [["Medicine", "What to do"], ["Warfarin", "Stop 5 days before."], ["Insulin", "Take half the dose."]])
    table(document, [["Risk", "How often"], ["Bleeding", "rare"]], bold_first=True)
    table(document, [["When", "What"], ["Morning", "Eat"], ["Evening", "Rest"]], header=True)
    table(document, [["Aspirin", "Continue"], ["Warfarin", "Stop"], ["Insulin", "Half"]])  # no row says more
    lines = lines_of(save(document, tmp_path))
    assert [(line.marked, line.text, line.why) for line in lines] == [
        ("", "Before.", ""),
        ("", "", ""),
        ("paragraph", "Medicine: What to do", "table header row"),
        ("row", "Warfarin: Stop 5 days before.", "table row"),
        ("row", "Insulin: Take half the dose.", "table row"),
        ("", "", ""),
        ("paragraph", "Risk: How often", "table header row"),
        ("row", "Bleeding: rare", "table row"),
        ("", "", ""),
        ("paragraph", "When: What", "table header row"),
        ("row", "Morning: Eat", "table row"),
        ("row", "Evening: Rest", "table row"),
        ("", "", ""),
        ("row", "Aspirin: Continue", "table row"),
        ("row", "Warfarin: Stop", "table row"),
        ("row", "Insulin: Half", "table row"),
    ]
    assert [line.number for line in lines if line.text] == list(range(1, 13))  # a paragraph or a row each


def test_a_row_with_a_header_label_is_a_label_line_for_the_header_reader(tmp_path):
    document = docx.Document()
    table(document, [["CPT4 code:", "27035"], ["Name of the procedure", "Denervation of the hip joint"],
                     ["Also known as", "Hip denervation"], ["HCPCS", "64625"], ["Medicine", "Stop 5 days before."]])
    assert [(line.marked, line.raw) for line in lines_of(save(document, tmp_path))] == [
        ("", "CPT4 code: 27035"),
        ("", "Name of the procedure: Denervation of the hip joint"),
        ("", "Also known as: Hip denervation"),
        ("", "HCPCS: 64625"),
        ("row", "Medicine: Stop 5 days before."),
    ]


def test_a_one_cell_table_is_its_paragraphs_and_a_nested_table_its_text_in_reading_order(tmp_path):
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].add_run("Important").bold = True
    frame.add_paragraph("Call us if the wound bleeds.")
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Fasting"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Food", (0, 1): "6 hours", (1, 0): "Water", (1, 1): "2 hours"}.items():
        inner.cell(r, c).text = text
    lines = lines_of(save(document, tmp_path))
    assert [(line.marked, line.raw) for line in lines] == [
        ("", "**Important**"),
        ("", "Call us if the wound bleeds."),
        ("", ""),
        ("row", "Fasting: Food: 6 hours Water: 2 hours"),
    ]
    assert lines[0].number == lines[1].number == 1 and lines[3].number == 2


# --- inside a paragraph ----------------------------------------------------------------------------------


def test_soft_line_breaks_split_a_paragraph_and_typed_bullets_and_tabs_stay_as_typed(tmp_path):
    document = docx.Document()
    with_runs(document, f"<w:r {W}><w:t>Bring:</w:t><w:br/><w:t>Photo ID</w:t><w:cr/><w:t>Your medicines</w:t>"
                        f'<w:br w:type="page"/><w:t>and glasses</w:t></w:r>')
    with_runs(document, f"<w:r {W}><w:t>\u2022</w:t><w:tab/><w:t>Loose clothes</w:t></w:r>")
    with_runs(document, run("1. Lie down."))
    with_runs(document, f'<w:r {W}><w:sym w:font="Symbol" w:char="F0B7"/><w:tab/><w:t>Comfortable shoes</w:t></w:r>')
    lines = lines_of(save(document, tmp_path))
    assert [(line.number, line.marked, line.raw, line.text) for line in lines] == [
        (1, "", "Bring:", "Bring:"),
        (1, "", "Photo ID", "Photo ID"),
        (1, "", "Your medicines and glasses", "Your medicines and glasses"),
        (2, "", "\u2022   Loose clothes", "\u2022 Loose clothes"),
        (3, "", "1. Lie down.", "1. Lie down."),
        (4, "", "\uf0b7   Comfortable shoes", "\uf0b7 Comfortable shoes"),
    ]


def test_a_short_all_bold_paragraph_is_a_bold_line_and_a_partly_bold_one_is_not(tmp_path):
    document = docx.Document()
    with_runs(document, run("Before you ", bold=True), run("come", bold=True), run(" "))
    with_runs(document, run("Warning:", bold=True), run(" do not drive."))
    bold_style = document.styles.add_style("Clinic Lead", WD_STYLE_TYPE.PARAGRAPH)
    bold_style.font.bold = True
    document.add_paragraph("After the procedure", style="Clinic Lead")
    with_runs(document, run("A bold sentence that goes on and on for far longer than any heading would ever go on.", bold=True))
    lines = lines_of(save(document, tmp_path))
    assert [(line.raw, line.text, line.why) for line in lines] == [
        ("**Before you come**", "**Before you come**", "bold line"),
        ("Warning: do not drive.", "Warning: do not drive.", ""),
        ("**After the procedure**", "**After the procedure**", "bold line"),
        ("A bold sentence that goes on and on for far longer than any heading would ever go on.",) * 2 + ("",),
    ]


def hyperlink(document, paragraph, text: str, address: str) -> None:
    rid = document.part.relate_to(address, RT.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(f'<w:hyperlink {W} {nsdecls("r")} r:id="{rid}">{run(text)}</w:hyperlink>'))


def test_a_hyperlink_is_its_text_with_the_address_in_brackets_unless_the_text_is_the_address(tmp_path):
    document = docx.Document()
    first = with_runs(document, run("See "))
    hyperlink(document, first, "our website", "https://clinic.example/hip")
    first._p.append(parse_xml(run(" for more.")))
    second = with_runs(document, run("Or "))
    hyperlink(document, second, "www.clinic.example", "http://www.clinic.example/")
    anchor = with_runs(document, run("Back to "))
    anchor._p.append(parse_xml(f'<w:hyperlink {W} w:anchor="top">{run("the top")}</w:hyperlink>'))
    assert [line.text for line in lines_of(save(document, tmp_path))] == [
        "See our website (https://clinic.example/hip) for more.",
        "Or www.clinic.example",
        "Back to the top",
    ]


def complex_field(instruction: str, result: str) -> list[str]:
    return [
        f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {W}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>',
        run(result),
        f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>',
    ]


def test_fields_show_their_result_never_their_instruction(tmp_path):
    document = docx.Document()
    with_runs(document, run("Updated "), *complex_field(r'DATE \@ "d MMMM yyyy"', "3 March 2025"), run("."))
    with_runs(document, run("Page "), f'<w:fldSimple {W} w:instr=" PAGE ">{run("2")}</w:fldSimple>')
    with_runs(document, run("Read "), *complex_field('HYPERLINK "https://clinic.example/faq"', "the questions"), run("."))
    with_runs(document, run("Nested "), f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>',
              f'<w:r {W}><w:instrText> IF </w:instrText></w:r>', *complex_field("PAGE", "1"),
              f'<w:r {W}><w:instrText> = 1 "yes" </w:instrText></w:r>', f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>',
              run("yes"), f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>')
    texts = [line.text for line in lines_of(save(document, tmp_path))]
    assert texts == ["Updated 3 March 2025.", "Page 2", "Read the questions (https://clinic.example/faq).", "Nested yes"]
    assert not any(code in " ".join(texts) for code in ("PAGE", "DATE", "HYPERLINK", "IF", "MMMM"))


def test_tracked_changes_read_as_accepted_and_the_first_changed_line_says_so(tmp_path):
    document = docx.Document()
    document.add_paragraph("Unchanged first line.")
    change = 'w:id="{}" w:author="Editor" w:date="2025-01-01T00:00:00Z"'
    with_runs(document, run("Fast for "),
              f'<w:del {W} {change.format(1)}><w:r><w:delText>12</w:delText></w:r></w:del>',
              f'<w:ins {W} {change.format(2)}><w:r><w:t>6</w:t></w:r></w:ins>', run(" hours."))
    with_runs(document, f'<w:moveFrom {W} {change.format(3)}><w:r><w:t>Moved away text.</w:t></w:r></w:moveFrom>',
              run("Stay still."), f'<w:moveTo {W} {change.format(4)}><w:r><w:t> Moved here.</w:t></w:r></w:moveTo>')
    gone = document.add_paragraph()
    gone._p.get_or_add_pPr().append(parse_xml(f'<w:rPr {W}><w:del {change.format(5)}/></w:rPr>'))
    gone._p.append(parse_xml(f'<w:del {W} {change.format(6)}><w:r><w:delText>A deleted paragraph.</w:delText></w:r></w:del>'))
    document.add_paragraph("Last line.")
    lines = lines_of(save(document, tmp_path))
    assert [(line.text, line.why) for line in lines] == [
        ("Unchanged first line.", ""),
        ("Fast for 6 hours.", "tracked changes accepted"),
        ("Stay still. Moved here.", ""),
        ("Last line.", ""),
    ]


def test_a_document_with_tracked_changes_is_read_as_accepted_with_a_warning_naming_the_paragraph(tmp_path):
    document = docx.Document()
    document.add_paragraph("Knee scope")
    document.add_heading("Preparation", 1)
    change = 'w:id="1" w:author="Editor" w:date="2025-01-01T00:00:00Z"'
    with_runs(document, run("Fast for "), f'<w:del {W} {change}><w:r><w:delText>12</w:delText></w:r></w:del>',
              f'<w:ins {W} w:id="2" w:author="Editor"><w:r><w:t>6</w:t></w:r></w:ins>', run(" hours."))
    path = save(document, tmp_path)
    procedure = reader.read(path)
    assert [b.text for b in procedure.section("preparation").blocks] == ["Fast for 6 hours."]
    assert [w for w in procedure.warnings if "tracked changes" in w] == [
        f"{path}:3: the Word document has tracked changes: read as if every change were accepted;"
        " accept or reject them in Word so that the leaflet says what you meant"
    ]


def test_headers_footers_comments_footnote_marks_and_text_boxes_are_no_content(tmp_path):
    document = simple_document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Clinic letterhead"
    section.footer.paragraphs[0].text = "Page footer text"
    commented = document.add_paragraph("Rest for a day.")
    document.add_comment(commented.runs, text="Reviewer comment text", author="Reviewer")
    with_runs(document, run("Bruising is common."), f'<w:r {W}><w:footnoteReference w:id="1"/></w:r>')
    box = (f'<w:r {W} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
           f"<w:p><w:r><w:t>Text box words</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>")
    with_runs(document, run("Walk a little."), box)
    hidden = f'<w:r {W}><w:rPr><w:vanish/></w:rPr><w:t>Hidden text</w:t></w:r>'
    with_runs(document, run("Drink water."), hidden)
    text = " ".join(line.text for line in lines_of(save(document, tmp_path)) if line.text)
    assert "Rest for a day. Bruising is common. Walk a little. Drink water." in text
    for absent in ("letterhead", "footer", "Reviewer", "Text box", "Hidden"):
        assert absent not in text


def test_a_table_of_contents_is_left_out(tmp_path):
    document = simple_document()
    toc = document.add_paragraph("Summary\t1")
    toc.style = document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    contents = document.styles["TOC Heading"].style_id  # python-docx's template has Word's style
    document.element.body.insert(0, parse_xml(
        f'<w:sdt {W}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
        f'<w:sdtContent><w:p><w:pPr><w:pStyle w:val="{contents}"/></w:pPr><w:r><w:t>Contents</w:t></w:r></w:p>'
        f"</w:sdtContent></w:sdt>"))
    assert [line.text for line in lines_of(save(document, tmp_path)) if line.text] == [
        "Summary", "A needle numbs the nerves of the hip."]


# --- blank lines ------------------------------------------------------------------------------------------


def test_a_styled_document_sets_each_paragraph_apart_and_an_unstyled_one_keeps_lines_together(tmp_path):
    styled = docx.Document()
    styled.add_heading("Summary", 1)
    styled.add_paragraph("One.")
    styled.add_paragraph("Two.")
    styled.add_paragraph("")
    styled.add_paragraph("")
    styled.add_paragraph("Three.", style="List Bullet")
    styled.add_paragraph("Four.")
    assert [line.raw for line in lines_of(save(styled, tmp_path, "styled.docx"))] == [
        "Summary", "", "One.", "", "Two.", "", "- Three.", "", "Four."]
    plain = docx.Document()
    plain.add_paragraph("")
    plain.add_paragraph("Summary")
    plain.add_paragraph("One.")
    plain.add_paragraph("Two.")
    plain.add_paragraph("")
    plain.add_paragraph("")
    plain.add_paragraph("Three.")
    plain.add_paragraph("")
    assert [line.raw for line in lines_of(save(plain, tmp_path, "plain.docx"))] == ["Summary", "One.", "Two.", "", "Three."]


# --- end to end -------------------------------------------------------------------------------------------


def styled_procedure() -> docx.Document:
    document = docx.Document()
    document.sections[0].footer.paragraphs[0].text = "Confidential footer"
    document.add_paragraph("Hip joint denervation", style="Title")
    table(document, [["CPT4 code", "27035"], ["Name of the procedure", "Denervation of the hip joint"],
                     ["Common names", "Hip denervation"]])
    document.add_heading("Summary", 1)
    change = 'w:id="{}" w:author="Editor" w:date="2025-01-01T00:00:00Z"'
    with_runs(document, run("The doctor numbs the "),
              f'<w:del {W} {change.format(1)}><w:r><w:delText>OBSOLETE-WORD </w:delText></w:r></w:del>',
              f'<w:ins {W} {change.format(2)}><w:r><w:t>hip nerves</w:t></w:r></w:ins>', run(" to ease pain."))
    document.add_heading("Preparation", 1)
    document.add_paragraph("Fast for 6 hours.", style="List Bullet")
    document.add_paragraph("Stop blood thinners if told to.", style="List Bullet")
    document.add_paragraph("Warfarin: 5 days before.", style="List Bullet 2")
    document.add_heading("Procedure description", 1)
    document.add_paragraph("You lie on your back.", style="List Number")
    document.add_paragraph("A needle goes in.", style="List Number")
    document.add_heading("Recovery", 1)
    with_runs(document, run("Rest today (page "), f'<w:fldSimple {W} w:instr=" PAGE ">{run("2")}</w:fldSimple>', run(")."))
    return document


def test_a_styled_document_reads_end_to_end_into_its_header_sections_and_blocks(tmp_path):
    procedure = reader.read(save(styled_procedure(), tmp_path, "hip-joint-denervation.docx")).to_dict()
    assert procedure["title"] == "Hip joint denervation"
    assert procedure["code"] == "27035"
    assert procedure["name"] == "Denervation of the hip joint"
    assert procedure["common_names"] == "Hip denervation"
    sections = {s["key"]: [(b["kind"], b["text"], b["level"], b["ordered"]) for b in s["blocks"]] for s in procedure["sections"]}
    assert list(sections) == ["summary", "preparation", "procedure", "recovery"]
    assert sections["summary"] == [("paragraph", "The doctor numbs the hip nerves to ease pain.", 0, False)]
    assert sections["preparation"] == [
        ("item", "Fast for 6 hours.", 0, False),
        ("item", "Stop blood thinners if told to.", 0, False),
        ("item", "Warfarin: 5 days before.", 1, False),
    ]
    assert sections["procedure"] == [("item", "You lie on your back.", 0, True), ("item", "A needle goes in.", 0, True)]
    assert sections["recovery"] == [("paragraph", "Rest today (page 2).", 0, False)]
    everything = str(procedure)
    assert "footer" not in everything and "OBSOLETE" not in everything and "PAGE" not in everything


def test_the_seed_typed_into_word_without_styles_reads_like_the_plain_text_file(tmp_path):
    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    from_word = reader.read(save(document, tmp_path, SEED.stem + ".docx")).to_dict()
    assert from_word == reader.read(SEED).to_dict()


# --- refusals -----------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unpacked(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        with bomb.open("word/document.xml", "w") as member:
            zeros = bytes(2**20)
            for _ in range(200):
                member.write(zeros)
    data = out.getvalue()
    assert len(data) < 1_000_000
    assert "refused as a zip bomb" in refusal(tmp_path, data)


def test_a_part_compressed_over_100_to_1_is_refused_even_under_the_total_limit(tmp_path):
    data = rezip(docx_bytes(simple_document()), add={"word/media/zeros.bin": bytes(20 * 2**20)})
    assert "refused as a zip bomb" in refusal(tmp_path, data)


def test_a_zip_header_that_understates_the_document_part_is_refused_without_unpacking_more(tmp_path):
    data = docx_bytes(simple_document())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        head, rest = package.read("word/document.xml").split(b"?>", 1)
    padded = head + b"?><!--" + b" " * (4 * 2**20) + b"-->" + rest  # 4 MB that compress to a few kB
    data = bytearray(rezip(data, {"word/document.xml": padded}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info, entry = package.getinfo("word/document.xml"), package.start_dir
    struct.pack_into("<I", data, info.header_offset + 22, 1000)  # the local header's uncompressed size
    while data[entry + 46: entry + 46 + len(info.orig_filename)] != info.orig_filename.encode():
        name, extra, comment = struct.unpack_from("<HHH", data, entry + 28)
        entry += 46 + name + extra + comment
    struct.pack_into("<I", data, entry + 24, 1000)  # and the central directory's: "1000 bytes"
    assert "the Word document is damaged" in refusal(tmp_path, bytes(data))


def test_an_encrypted_docx_or_a_renamed_doc_is_refused_with_what_to_do(tmp_path):
    message = refusal(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    assert "password-protected or encrypted, or an old .doc saved with a new name" in message
    assert "remove the password" in message and "save it as .docx" in message


def test_a_zip_without_a_word_document_is_refused(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("notes.txt", "Summary: nothing here")
    assert "not a Word document (.docx): it has no word/document.xml" in refusal(tmp_path, out.getvalue())


def test_random_bytes_are_not_a_word_document(tmp_path):
    message = refusal(tmp_path, random.Random(7).randbytes(5000))
    assert "this is not a Word document (.docx)" in message


def test_an_empty_file_is_refused(tmp_path):
    assert refusal(tmp_path, b"").endswith("the file is empty")


def test_a_macro_enabled_document_is_refused_by_its_content_type_or_its_macro_part(tmp_path):
    data = docx_bytes(simple_document())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        types = package.read("[Content_Types].xml")
    docm = rezip(data, {"[Content_Types].xml": types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")})
    assert "contains macros: save it as a plain .docx" in refusal(tmp_path, docm)
    with_macros = rezip(data, add={"word/vbaProject.bin": b"\x00" * 64})
    assert "contains macros" in refusal(tmp_path, with_macros)


def test_a_document_without_text_is_refused(tmp_path):
    document = docx.Document()
    document.add_paragraph("")
    document.sections[0].footer.paragraphs[0].text = "Only a footer"
    assert refusal(tmp_path, docx_bytes(document)).endswith("the Word document has no text")


def test_malformed_xml_is_refused_as_a_damaged_document(tmp_path):
    data = rezip(docx_bytes(simple_document()), {"word/document.xml": b'<?xml version="1.0"?><w:document ' + W.encode() + b"><w:body><w:p>"})
    message = refusal(tmp_path, data)
    assert "the Word document is damaged (its XML is not well-formed" in message and "save it again" in message


def test_an_xml_entity_pointing_at_a_local_file_is_refused_and_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    data = docx_bytes(simple_document())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode("utf-8")
    head, rest = body.split("?>", 1)
    doctype = f'<!DOCTYPE w:document [<!ENTITY leak SYSTEM "file://{secret}">]>'
    body = head + "?>" + doctype + rest.replace("A needle numbs", "&leak; A needle numbs")
    message = refusal(tmp_path, rezip(data, {"word/document.xml": body.encode("utf-8")}))
    assert "DOCTYPE" in message and "TOP-SECRET" not in message
    # python-docx's own parser, which reads every other part, leaves an entity unexpanded in text ...
    parsed = parse_xml(doctype.replace("w:document", "w:p") + f"<w:p {W}><w:r><w:t>&leak;</w:t></w:r></w:p>")
    assert "TOP-SECRET" not in "".join(parsed.itertext())
    # ... and refuses one in an attribute: a damaged document, in one line
    styles = docx_bytes(simple_document())
    with zipfile.ZipFile(io.BytesIO(styles)) as package:
        head, rest = package.read("word/styles.xml").decode("utf-8").split("?>", 1)
    part = head + "?>" + doctype.replace("w:document", "w:styles") + rest.replace(
        '<w:name w:val="heading 1"/>', '<w:name w:val="&leak;"/>', 1)
    message = refusal(tmp_path, rezip(styles, {"word/styles.xml": part.encode("utf-8")}), "styles-entity.docx")
    assert "damaged" in message and "TOP-SECRET" not in message


def test_every_refusal_is_a_source_error_never_an_exception_from_zipfile_or_python_docx(tmp_path):
    data = docx_bytes(simple_document())
    damaged = [
        data[: len(data) // 2],  # cut short
        rezip(data, {"word/styles.xml": b"<w:styles"}),
        rezip(data, {"[Content_Types].xml": b"<Types/>"}),
        rezip(data, {"word/_rels/document.xml.rels": b"not xml"}),
    ]
    for index, content in enumerate(damaged):
        refusal(tmp_path, content, f"damaged-{index}.docx")


# --- what an attacker would send (each found by trying, then fixed) ----------------------------------------


def lying_zip(members: dict[str, bytes], liar: str, method: int, extra: int) -> bytes:
    """A zip whose `liar` part declares the size and CRC of its real bytes, while its stream goes on for `extra`
    more bytes of zeros: the zip's directory passes every size check."""
    import zlib, bz2

    body, central = b"", b""
    for name, data in members.items():
        stream, kind = data, 0
        if name == liar:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15) if method == 8 else bz2.BZ2Compressor(9)
            zeros = b"\0" * (1 << 20)
            stream = packer.compress(data) + b"".join(packer.compress(zeros) for _ in range(extra >> 20)) + packer.flush()
            kind = method
        encoded, crc, offset = name.encode(), zlib.crc32(data), len(body)
        body += struct.pack("<4sHHHHHIIIHH", b"PK\3\4", 20, 0, kind, 0, 0x21, crc, len(stream), len(data), len(encoded), 0)
        body += encoded + stream
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\1\2", 20, 20, 0, kind, 0, 0x21, crc, len(stream), len(data),
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<4sHHHHIIH", b"PK\5\6", 0, 0, len(members), len(members), len(central), len(body), 0)
    return body + central + end


def parts_of(document) -> dict[str, bytes]:
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_a_part_whose_stream_runs_past_its_declared_size_is_read_to_that_size_only(tmp_path):
    # Its directory says a few kB; its stream holds 300 MB of zeros after them. python-docx would have unpacked up
    # to 1 GB of it at once: the reader gives python-docx the parts as declared, unpacked a piece at a time.
    import subprocess
    import sys

    path = tmp_path / "bomb.docx"
    path.write_bytes(lying_zip(parts_of(simple_document()), "word/styles.xml", 8, 300 << 20))
    assert path.stat().st_size < 1 << 20
    # VmHWM: the peak of this process's own memory (getrusage's peak keeps the forking pytest's, a Linux quirk)
    script = (f"from leaflet import reader; print(reader.read({str(path)!r}).sections[0].key,"
              " next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    key, peak = done.stdout.split()
    assert key == "summary"
    assert int(peak) < 200 * 1024  # kB, the reading process's own peak: far under the 300 MB the stream holds


def test_a_part_compressed_as_word_never_does_is_refused(tmp_path):
    path = tmp_path / "bzip2.docx"
    path.write_bytes(lying_zip(parts_of(simple_document()), "word/styles.xml", 12, 0))
    with pytest.raises(SourceError, match="compressed in a way Word never uses"):
        reader.read(path)


def test_a_document_of_thousands_of_parts_is_refused(tmp_path):
    parts = parts_of(simple_document())
    parts.update({f"word/media/image{n}.png": b"x" for n in range(2100)})
    path = tmp_path / "parts.docx"
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    with pytest.raises(SourceError, match=r"has 2117 parts"):
        reader.read(path)


def test_a_doctype_is_refused_in_utf16_too(tmp_path):
    parts = parts_of(simple_document())
    xml = parts["word/document.xml"].decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    head, _, rest = xml.partition("?>")
    parts["word/document.xml"] = (head + '?><!DOCTYPE w:document [<!ENTITY x "y">]>' + rest).encode("utf-16")
    path = tmp_path / "dtd.docx"
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    with pytest.raises(SourceError, match="declares XML entities"):
        reader.read(path)


def test_symbols_that_are_control_characters_or_surrogates_are_left_out(tmp_path):
    document = simple_document()
    for code in ("1B", "D800", "9B", "0"):
        with_runs(document, run("Rest"), f'<w:r {W}><w:sym w:font="Symbol" w:char="{code}"/></w:r>', run(" today."))
    with_runs(document, f'<w:r {W}><w:sym w:font="Symbol" w:char="F0B7"/></w:r>', run("\tBring your inhaler"))
    texts = [b.text for b in reader.read(save(document, tmp_path)).section("summary").blocks]
    assert texts[1:] == ["Rest today."] * 4 + ["Bring your inhaler"]


def test_numbers_word_never_writes_are_read_as_none(tmp_path):
    document = simple_document()
    for value in ("\u00b2", "9" * 5000):
        paragraph = document.add_paragraph("Fast for 6 hours.")
        paragraph._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W} w:val="{value}"/>'))
    blocks = reader.read(save(document, tmp_path)).section("summary").blocks
    assert [b.text for b in blocks] == ["A needle numbs the nerves of the hip.", "Fast for 6 hours.", "Fast for 6 hours."]
