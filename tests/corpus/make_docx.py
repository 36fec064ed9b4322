"""Build the corpus's Word documents (.docx) the way clinics make them.

python-docx writes the paragraphs, styles and tables; what it has no API for is written as raw XML
(OxmlElement / lxml): list numbering (numbering.xml with a bullet and a decimal abstract list, two levels
each), hyperlinks, fields (a PAGE field in a footer, a field whose result shows in the text), tracked
changes (insertions kept, deletions dropped when accepted) and soft line breaks.

Three documents are typed without styles, as many are: bold Normal paragraphs as headings, "•" and a tab
for bullets, "1." typed by hand, one instruction a paragraph.

The documents are not committed: the corpus test builds them into a temporary folder.

    python tests/corpus/make_docx.py OUTDIR
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

FIXED_TIME = dt.datetime(2025, 3, 3, 9, 0, 0)
REVIEWER = "M. Alvarez, RN"
REVISION_DATE = "2025-02-14T10:30:00Z"

# --- the raw XML python-docx has no API for -------------------------------------------------------------

BULLET_LIST = 90  # abstractNumId: "" (Symbol) then "o" (Courier New), as Word writes bullets
DECIMAL_LIST = 91  # abstractNumId: "1." then "a."

_ABSTRACT_NUMS = {
    BULLET_LIST: (("bullet", "\uf0b7", "Symbol"), ("bullet", "o", "Courier New")),
    DECIMAL_LIST: (("decimal", "%1.", None), ("lowerLetter", "%2.", None)),
}


def _abstract_num_xml(abstract_id: int) -> str:
    levels = []
    for ilvl, (fmt, text, font) in enumerate(_ABSTRACT_NUMS[abstract_id]):
        fonts = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>' if font else ""
        levels.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{720 * (ilvl + 1)}" w:hanging="360"/></w:pPr>{fonts}</w:lvl>'
        )
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}</w:abstractNum>')


def add_list_definitions(doc) -> None:
    """Put the two abstract lists into numbering.xml (before its first w:num, as the schema wants)."""
    numbering = doc.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for abstract_id in _ABSTRACT_NUMS:
        element = parse_xml(_abstract_num_xml(abstract_id))
        if first_num is not None:
            first_num.addprevious(element)
        else:
            numbering.append(element)


def new_list(doc, abstract_id: int) -> int:
    """A new list instance (w:num) of an abstract list, numbered from 1; its numId."""
    numbering = doc.part.numbering_part.element
    num_id = max([int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))] + [0]) + 1
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    ))
    return num_id


def list_item(doc, text: str, num_id: int, level: int = 0):
    """A List Paragraph numbered by the list `num_id` at `level` (0 or 1)."""
    paragraph = doc.add_paragraph(text, style="List Paragraph")
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id
    return paragraph


def add_hyperlink(paragraph, text: str, url: str) -> None:
    """A w:hyperlink to an external address (a relationship of the document part)."""
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.extend([color, underline])
    run.append(props)
    run.append(_text("w:t", text))
    link.append(run)
    paragraph._p.append(link)


def _text(tag: str, text: str):
    element = OxmlElement(tag)
    element.text = text
    element.set(qn("xml:space"), "preserve")
    return element


def _run(*children):
    run = OxmlElement("w:r")
    run.extend(children)
    return run


def add_simple_field(paragraph, instruction: str, result: str) -> None:
    """<w:fldSimple> with its last computed result."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    field.append(_run(_text("w:t", result)))
    paragraph._p.append(field)


def add_complex_field(paragraph, instruction: str, result: str) -> None:
    """begin / instrText / separate / result / end: Word shows the result, never the instruction."""
    def char(kind):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return _run(element)

    paragraph._p.extend([
        char("begin"), _run(_text("w:instrText", f" {instruction} ")), char("separate"),
        _run(_text("w:t", result)), char("end"),
    ])


_change_id = [100]


def _change(tag: str):
    _change_id[0] += 1
    element = OxmlElement(tag)
    element.set(qn("w:id"), str(_change_id[0]))
    element.set(qn("w:author"), REVIEWER)
    element.set(qn("w:date"), REVISION_DATE)
    return element


def add_insertion(paragraph, text: str) -> None:
    """Text a reviewer typed with Track Changes on (kept when the changes are accepted)."""
    insertion = _change("w:ins")
    insertion.append(_run(_text("w:t", text)))
    paragraph._p.append(insertion)


def add_deletion(paragraph, text: str) -> None:
    """Text a reviewer struck out with Track Changes on (gone when the changes are accepted)."""
    deletion = _change("w:del")
    deletion.append(_run(_text("w:delText", text)))
    paragraph._p.append(deletion)


def deleted_paragraph(doc, text: str, style: str | None = None, num_id: int | None = None):
    """A whole paragraph deleted with Track Changes: its text and its paragraph mark."""
    paragraph = doc.add_paragraph(style=style) if num_id is None else list_item(doc, "", num_id)
    add_deletion(paragraph, text)
    mark = OxmlElement("w:rPr")
    mark.append(_change("w:del"))
    paragraph._p.get_or_add_pPr().append(mark)
    return paragraph


def inserted_paragraph(doc, text: str, num_id: int | None = None, level: int = 0):
    """A whole paragraph added with Track Changes."""
    paragraph = doc.add_paragraph() if num_id is None else list_item(doc, "", num_id, level)
    add_insertion(paragraph, text)
    mark = OxmlElement("w:rPr")
    mark.append(_change("w:ins"))
    paragraph._p.get_or_add_pPr().append(mark)
    return paragraph


def lines_paragraph(doc, lines: list[str], style: str | None = None):
    """One paragraph whose lines are ended with Shift+Enter (w:br, a soft line break)."""
    paragraph = doc.add_paragraph(style=style)
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        if i < len(lines) - 1:
            run.add_break()
    return paragraph


def header_footer(doc, header: str | None, footer: str | None, numpages: bool = False) -> None:
    """Text in the header part and in the footer part, with a PAGE (and NUMPAGES) field in the footer."""
    section = doc.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        paragraph = section.footer.paragraphs[0]
        paragraph.text = footer + "Page "
        add_simple_field(paragraph, "PAGE", "1")
        if numpages:
            paragraph.add_run(" of ")
            add_simple_field(paragraph, "NUMPAGES", "2")


def table(doc, rows: list[tuple[str, ...]], header: bool = True, style: str = "Table Grid"):
    """A Word table; the first row bold and marked to repeat as a header row when `header`."""
    grid = doc.add_table(rows=len(rows), cols=len(rows[0]))
    grid.style = doc.styles[style]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.text = ""
            run = cell.paragraphs[0].add_run(value)
            run.bold = header and r == 0
    if header:
        tr_pr = grid.rows[0]._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:tblHeader"))
    return grid


# --- typed without styles ---------------------------------------------------------------------------------


def bold_line(doc, text: str, size: int | None = None):
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = True
    if size:
        run.font.size = Pt(size)
    return paragraph


def typed(doc, text: str):
    return doc.add_paragraph(text)


def blank(doc):
    return doc.add_paragraph()


# --- documents --------------------------------------------------------------------------------------------


def new_document():
    doc = Document()
    props = doc.core_properties
    props.author = "Patient Education"
    props.last_modified_by = REVIEWER
    props.created = props.modified = FIXED_TIME
    props.revision = 3
    _change_id[0] = 100  # the same revision ids at every build
    add_list_definitions(doc)
    return doc


def dental_extraction(doc) -> None:
    header_footer(doc, "Lakeview Dental Care - Patient Instructions", "Lakeview Dental Care  |  555-0108  |  ")
    doc.add_paragraph("Tooth Extraction (Simple)", style="Title")
    doc.add_paragraph("CDT code: D7140")
    doc.add_paragraph(
        "Having a tooth taken out (an extraction) is one of the most common dental procedures. A simple "
        "extraction is done when the whole tooth can be seen above the gum. Most people feel back to normal "
        "in a few days.")

    doc.add_heading("Why is this done?", 1)
    doc.add_paragraph("Your dentist may suggest taking out a tooth that cannot be saved, for example because of:")
    bullets = new_list(doc, BULLET_LIST)
    list_item(doc, "Severe decay that has reached the nerve", bullets)
    list_item(doc, "A cracked or broken tooth", bullets)
    list_item(doc, "Gum disease that has loosened the tooth", bullets)
    list_item(doc, "Crowding, before braces", bullets)

    doc.add_heading("How do I prepare?", 1)
    steps = new_list(doc, DECIMAL_LIST)
    list_item(doc, "Eat a light meal before your appointment, unless you are having sedation.", steps)
    list_item(doc, "If you are having sedation:", steps)
    list_item(doc, "Do not eat or drink for 6 hours before.", steps, 1)
    list_item(doc, "Have an adult drive you home.", steps, 1)
    list_item(doc, "Tell us about every medicine you take, including the ones below.", steps)

    doc.add_heading("Your medicines", 1)
    doc.add_paragraph("Do not stop any medicine without asking the doctor who prescribed it.")
    table(doc, [
        ("Medicine", "What to do"),
        ("Aspirin", "Keep taking it unless your doctor says to stop"),
        ("Warfarin (Coumadin)", "Have an INR blood test 1 to 2 days before"),
        ("Eliquis or Xarelto", "Ask your doctor; you may skip the morning dose"),
        ("Bisphosphonates for bones (Fosamax)", "Tell your dentist before the extraction"),
    ])

    doc.add_heading("What happens during the procedure?", 1)
    doc.add_paragraph(
        "Your dentist numbs the tooth and the gum around it with an injection. You will feel pressure, but "
        "you should not feel pain. The dentist loosens the tooth with a small tool and then lifts it out. "
        "Sometimes a few stitches are placed. Most extractions take 20 to 40 minutes.")

    doc.add_heading("Aftercare", 1)
    doc.add_paragraph("A blood clot forms in the socket. It protects the bone while it heals. To keep it in place:")
    care = new_list(doc, BULLET_LIST)
    list_item(doc, "Bite firmly on the gauze for 30 to 45 minutes.", care)
    list_item(doc, "For the first 24 hours, do not:", care)
    list_item(doc, "rinse or spit hard", care, 1)
    list_item(doc, "drink through a straw", care, 1)
    list_item(doc, "smoke or vape", care, 1)
    list_item(doc, "After 24 hours, rinse gently with warm salt water after meals.", care)
    list_item(doc, "Eat soft foods and chew on the other side for a few days.", care)
    doc.add_paragraph(
        "Some swelling and soreness for 2 to 3 days is normal. Ibuprofen (Advil) or acetaminophen (Tylenol) "
        "usually helps. An ice pack on your cheek for 20 minutes at a time helps with swelling.")

    doc.add_heading("When to call us", 1)
    doc.add_paragraph(
        "Call us if bleeding does not stop after 4 hours of firm pressure, if the pain gets worse after day 3 "
        "(this can be a dry socket), or if you have a fever or swelling that keeps growing. If you have "
        "trouble breathing or swallowing, call 911.")


def upper_endoscopy(doc) -> None:
    header_footer(doc, None, "Endoscopy Unit, Harbor General Hospital    ")
    doc.add_paragraph("Upper Endoscopy (EGD)", style="Title")
    table(doc, [
        ("Procedure name", "Esophagogastroduodenoscopy with biopsy"),
        ("CPT code", "43239"),
        ("Also known as", "Upper GI endoscopy, gastroscopy"),
    ], header=False)

    doc.add_heading("What is an upper endoscopy?", 1)
    doc.add_paragraph(
        "An upper endoscopy lets the doctor look at the lining of your food pipe (esophagus), your stomach, "
        "and the first part of your small intestine. A thin, flexible tube with a light and a camera is "
        "passed through your mouth.")

    doc.add_heading("Before your procedure", 1)
    doc.add_heading("Eating and drinking", 2)
    food = new_list(doc, DECIMAL_LIST)
    item = list_item(doc, "Do not eat solid food ", food)
    add_deletion(item, "after midnight")
    add_insertion(item, "for 6 hours before your arrival time")
    item.add_run(".")
    list_item(doc, "You may drink clear liquids until 2 hours before you arrive:", food)
    list_item(doc, "water, apple juice, or clear sports drinks", food, 1)
    list_item(doc, "black coffee or tea, with no milk", food, 1)
    list_item(doc, "Do not chew gum or suck on mints on the day.", food)
    doc.add_heading("Medicines", 2)
    medicines = new_list(doc, BULLET_LIST)
    list_item(doc, "Take your heart, blood pressure, and seizure medicines with a sip of water.", medicines)
    list_item(doc, "Diabetes medicines need changes. Follow the sheet from your diabetes team.", medicines)
    list_item(doc, "Blood thinners: the doctor who prescribes them will tell you whether to stop.", medicines)

    doc.add_heading("On the day", 1)
    doc.add_paragraph(
        "Come to the Endoscopy Unit on the 2nd floor 1 hour before your procedure time. You must have an "
        "adult to take you home. Your procedure will be cancelled if you do not have someone with you.")

    doc.add_heading("What happens during the procedure?", 1)
    doc.add_paragraph(
        "You will get medicine through an IV to make you sleepy. Your throat may be sprayed to numb it. A "
        "mouth guard protects your teeth. The doctor passes the scope gently down your throat. You can "
        "breathe normally. Small tissue samples (biopsies) may be taken; this does not hurt. The procedure "
        "takes 10 to 20 minutes.")

    doc.add_heading("After your procedure", 1)
    paragraph = doc.add_paragraph("You will rest in the recovery area for about 30 minutes. ")
    add_insertion(paragraph, "Your throat may be sore for a day or two. ")
    paragraph.add_run("You may feel bloated from the air used during the test.")
    deleted_paragraph(doc, "You can drive yourself home once you feel awake.")
    doc.add_paragraph("Do not drive, work, or drink alcohol for the rest of the day.")

    doc.add_heading("Warning signs", 1)
    doc.add_paragraph("Go to the nearest emergency room or call 911 if you have:")
    signs = new_list(doc, BULLET_LIST)
    list_item(doc, "Chest pain or severe belly pain", signs)
    list_item(doc, "Vomiting blood or material that looks like coffee grounds", signs)
    list_item(doc, "Black, tarry stools", signs)
    list_item(doc, "Trouble swallowing or breathing", signs)
    paragraph = doc.add_paragraph("Your results will be in the patient portal. Read more on ")
    add_hyperlink(paragraph, "our endoscopy page", "https://example.org/harbor/endoscopy")


def shoulder_injection(doc) -> None:
    """Typed without styles: bold Normal lines, "•" + tab bullets, "1." typed by hand."""
    bold_line(doc, "Shoulder Joint Injection", 16)
    typed(doc, "CPT code: 20610")
    blank(doc)
    typed(doc, "Your doctor has recommended a steroid injection into your shoulder. This sheet explains what to "
               "expect. Please read it before your appointment.")
    blank(doc)
    bold_line(doc, "WHY IT IS DONE:")
    typed(doc, "•\tTo ease pain and stiffness from arthritis or frozen shoulder")
    typed(doc, "•\tTo calm inflammation of the tendons (rotator cuff) or the bursa")
    typed(doc, "•\tTo help you take part in physical therapy")
    blank(doc)
    bold_line(doc, "BEFORE YOUR APPOINTMENT")
    typed(doc, "You can eat and drink as usual.")
    typed(doc, "Wear a loose top or a tank top so we can reach your shoulder.")
    typed(doc, "Tell us if you take a blood thinner or have diabetes.")
    typed(doc, "Tell us if you have a fever or an infection on the day.")
    blank(doc)
    bold_line(doc, "THE INJECTION")
    typed(doc, "You will sit on the exam table. The doctor cleans the skin and may use ultrasound to guide the "
               "needle. The medicine is a mix of a steroid and a numbing medicine. You will feel a sharp "
               "scratch and some pressure. The whole visit takes about 20 minutes.")
    blank(doc)
    bold_line(doc, "AFTERCARE")
    typed(doc, "1.\tKeep the bandage on for 4 hours.")
    typed(doc, "2.\tRest your arm for the rest of the day. Avoid lifting and reaching overhead.")
    typed(doc, "3.\tUse an ice pack for 15 minutes at a time if the shoulder is sore.")
    typed(doc, "4.\tStart your normal activities again the next day.")
    typed(doc, "The steroid starts to work in 3 to 7 days.")
    blank(doc)
    bold_line(doc, "CALL US RIGHT AWAY IF YOU HAVE:")
    typed(doc, "•\tA hot, red, or swollen shoulder")
    typed(doc, "•\tA fever over 100.4 F (38 C)")
    typed(doc, "•\tSevere pain that gets worse after 2 days")
    typed(doc, "Phone: 555-0122 (Monday to Friday, 8 am to 5 pm). After hours, go to urgent care.")
    blank(doc)
    bold_line(doc, "Parking")
    typed(doc, "Park in the garage on Elm Street. We validate parking for up to 2 hours.")


def screening_colonoscopy(doc) -> None:
    header_footer(doc, "Metro GI Associates", None)
    doc.add_paragraph("Screening Colonoscopy", style="Title")
    doc.add_paragraph("HCPCS: G0121")
    doc.add_paragraph("Medical terms: Colorectal cancer screening; colonoscopy on individual not meeting "
                      "criteria for high risk")

    doc.add_heading("Who needs this test?", 1)
    doc.add_paragraph(
        "Colon cancer often starts as a small growth called a polyp. Removing polyps prevents cancer. Most "
        "people should start screening at age 45. You may need to start earlier if a parent, brother, "
        "sister, or child had colon cancer or advanced polyps.")

    doc.add_heading("Benefits and risks", 1)
    doc.add_paragraph(
        "Colonoscopy is the only screening test that can find and remove polyps during the same test. If "
        "your colon is normal, you may not need another one for 10 years. Serious problems are rare: "
        "bleeding or a tear in the colon happens in about 1 in 1,000 tests, mostly when large polyps are "
        "removed.")

    doc.add_heading("Your bowel prep", 1)
    doc.add_paragraph("Follow this schedule. Start the day before your colonoscopy.")
    table(doc, [
        ("Time", "What to do"),
        ("All day", "Clear liquids only: no solid food, milk, or anything red or purple"),
        ("5 pm", "Drink the first half of your prep over one hour"),
        ("6 to 9 pm", "Drink at least 4 more glasses of clear liquids"),
        ("5 hours before you arrive", "Drink the second half of your prep"),
        ("3 hours before you arrive", "Stop drinking everything"),
    ])

    doc.add_heading("On the day", 1)
    lines_paragraph(doc, [
        "Check in at: Metro GI Associates, 1200 Park Avenue, Suite 300",
        "Arrive: 1 hour before your procedure time",
        "Bring: photo ID, insurance card, and a list of your medicines",
    ])
    doc.add_paragraph(
        "An adult must drive you home. You may not take a bus or a taxi alone. Plan to spend about 3 hours "
        "with us.")

    doc.add_heading("Other options", 1)
    doc.add_paragraph("Other screening tests are available. If one of these tests is positive, you will "
                      "still need a colonoscopy.")
    options = new_list(doc, BULLET_LIST)
    list_item(doc, "A stool test (FIT) every year", options)
    list_item(doc, "A stool DNA test (Cologuard) every 3 years", options)
    list_item(doc, "CT colonography every 5 years", options)

    doc.add_heading("When to call us", 1)
    paragraph = doc.add_paragraph("Call us at ")
    add_complex_field(paragraph, 'DOCPROPERTY "ClinicPhone" \\* MERGEFORMAT', "555-0166")
    paragraph.add_run(" if you cannot finish the prep, or if after your colonoscopy you have a fever, severe "
                      "belly pain, or more than a cup of blood from your bottom.")


def hysteroscopy(doc) -> None:
    doc.add_paragraph("Hysteroscopy", style="Title")
    doc.add_paragraph("CPT code: 58558")
    doc.add_paragraph("Also known as: Camera check of the womb")

    doc.add_heading("What is a hysteroscopy?", 1)
    doc.add_paragraph(
        "A hysteroscopy is a procedure to look inside your womb (uterus) with a thin telescope called a "
        "hysteroscope. It goes in through the vagina and the cervix, so there are no cuts. Small growths can "
        "be removed and a sample of the lining can be taken at the same time.")

    doc.add_heading("Why is it done?", 1)
    reasons = new_list(doc, BULLET_LIST)
    list_item(doc, "Heavy or irregular periods", reasons)
    list_item(doc, "Bleeding after menopause", reasons)
    list_item(doc, "Polyps or fibroids seen on an ultrasound", reasons)
    list_item(doc, "Trouble getting pregnant, or repeated miscarriages", reasons)

    doc.add_heading("Before your procedure", 1)
    steps = new_list(doc, DECIMAL_LIST)
    list_item(doc, "You will have a pregnancy test on the day.", steps)
    list_item(doc, "Take ibuprofen 400 mg one hour before, unless you cannot take it.", steps)
    list_item(doc, "If you are having general anesthesia:", steps)
    list_item(doc, "Do not eat for 6 hours before.", steps, 1)
    list_item(doc, "You may drink water until 2 hours before.", steps, 1)
    list_item(doc, "Arrange for someone to take you home.", steps, 1)

    doc.add_heading("What happens during the procedure?", 1)
    doc.add_paragraph(
        "You lie on a couch with your legs in supports, as for a smear test. A speculum is placed in the "
        "vagina. The hysteroscope is passed gently through the cervix, and fluid is used to open up the womb "
        "so the doctor can see. You may feel cramps like period pains.")

    doc.add_heading("How long will it take?", 1)
    doc.add_paragraph("The procedure takes 10 to 30 minutes. Most people go home the same day.")

    doc.add_heading("Recovery", 1)
    doc.add_paragraph("You can go home when you feel ready, usually within an hour.")
    doc.add_heading("At home", 2)
    doc.add_paragraph(
        "Cramps and light bleeding are normal for a few days. Use pads, not tampons, until the bleeding stops. "
        "Most people go back to work the next day.")
    table(doc, [
        ("Activity", "When you can start"),
        ("Shower", "The same day"),
        ("Work", "The next day"),
        ("Sex and swimming", "When the bleeding stops"),
    ])
    doc.add_heading("When to call us", 2)
    warn = new_list(doc, BULLET_LIST)
    list_item(doc, "Heavy bleeding that soaks a pad every hour", warn)
    list_item(doc, "A fever over 100.4 F (38 C)", warn)
    list_item(doc, "Smelly discharge from the vagina", warn)
    list_item(doc, "Pain that gets worse, not better", warn)

    doc.add_heading("Cost and insurance", 1)
    doc.add_paragraph("Our billing office can give you an estimate before your procedure. Call 555-0148, "
                      "option 3.")


def echocardiogram(doc) -> None:
    """Typed without styles: a bold title line, "CPT4 code" with the code on the next line."""
    bold_line(doc, "ECHOCARDIOGRAM (HEART ULTRASOUND)", 14)
    typed(doc, "CPT4 code")
    typed(doc, "93306")
    blank(doc)
    bold_line(doc, "What is an echocardiogram?")
    typed(doc, "An echocardiogram, or echo, uses sound waves to make moving pictures of your heart. It shows the "
               "size of your heart, how well it pumps, and how the valves work. It does not use radiation.")
    blank(doc)
    bold_line(doc, "How do I prepare?")
    typed(doc, "You can eat, drink, and take your medicines as usual.")
    typed(doc, "Wear a top that is easy to take off. You will change into a gown from the waist up.")
    typed(doc, "Do not put lotion or oil on your chest.")
    typed(doc, "Arrive 15 minutes early to check in.")
    blank(doc)
    bold_line(doc, "What happens during the test?")
    typed(doc, "1. You lie on your left side on an exam bed.")
    typed(doc, "2. The sonographer puts sticky patches on your chest to track your heartbeat.")
    typed(doc, "3. Cool gel is put on your chest, and a small probe is moved over it. You may feel some pressure.")
    typed(doc, "4. You may be asked to breathe in, hold your breath, or roll a little.")
    typed(doc, "The room is kept dark so the pictures are easy to see. You may hear whooshing sounds; this is the "
               "sound of blood flowing through your heart.")
    blank(doc)
    bold_line(doc, "How long will it take?")
    typed(doc, "About 45 minutes to 1 hour.")
    blank(doc)
    bold_line(doc, "Your results")
    typed(doc, "A cardiologist reviews the pictures. Your doctor will have the results in 2 to 3 working days.")


def carpal_tunnel(doc) -> None:
    header_footer(doc, "Hand & Upper Extremity Center", "Form HC-22 (rev. 08/2024)        ", numpages=True)
    doc.add_paragraph("Carpal Tunnel Release", style="Title")
    doc.add_paragraph("CPT code: 64721")

    doc.add_heading("What is carpal tunnel syndrome?", 1)
    doc.add_paragraph(
        "The carpal tunnel is a narrow space in your wrist. A nerve (the median nerve) passes through it into "
        "your hand. When the tunnel gets too tight, it squeezes the nerve. This causes numbness, tingling, "
        "and weakness in your thumb and fingers, often worse at night.")

    doc.add_heading("Why is surgery done?", 1)
    doc.add_paragraph(
        "Surgery gives the nerve more room by cutting the ligament that forms the roof of the tunnel. It is "
        "done when splints and injections have not helped, or when the nerve is being damaged.")

    doc.add_heading("Before surgery", 1)
    before = new_list(doc, BULLET_LIST)
    list_item(doc, "Stop these medicines 7 days before, unless your surgeon says otherwise:", before)
    list_item(doc, "Aspirin and ibuprofen", before, 1)
    list_item(doc, "Fish oil and vitamin E", before, 1)
    deleted_paragraph(doc, "Do not eat or drink after midnight.", num_id=before)
    inserted_paragraph(doc, "You can eat a light breakfast. The surgery is done with numbing medicine only.",
                       num_id=before)
    list_item(doc, "Remove rings and your watch from the hand having surgery.", before)

    doc.add_heading("What happens during surgery?", 1)
    doc.add_paragraph(
        "The surgery is done in the procedure room with local anesthetic. You are awake. The surgeon makes a "
        "cut of about 1 inch in your palm, cuts the ligament, and closes the skin with stitches. It takes "
        "about 15 minutes.")

    doc.add_heading("Going home", 1)
    steps = new_list(doc, DECIMAL_LIST)
    list_item(doc, "Keep your hand raised above your heart for 2 days.", steps)
    list_item(doc, "Move your fingers often to prevent stiffness:", steps)
    list_item(doc, "make a full fist, then open your hand wide", steps, 1)
    list_item(doc, "do this 10 times every hour while awake", steps, 1)
    list_item(doc, "Keep the dressing dry. Cover it with a plastic bag to shower.", steps)
    list_item(doc, "Your stitches come out at your visit in 10 to 14 days.", steps)

    doc.add_heading("Your recovery timeline", 1)
    table(doc, [
        ("Time after surgery", "What to expect"),
        ("First 2 days", "Soreness in the palm; the numbness at night often gets better right away"),
        ("2 weeks", "Stitches out; light use of the hand"),
        ("6 weeks", "Most people are back to all normal activities"),
    ])

    doc.add_heading("Get help right away if", 1)
    signs = new_list(doc, BULLET_LIST)
    list_item(doc, "Your fingers turn white, blue, or cold", signs)
    list_item(doc, "The dressing is soaked with blood", signs)
    list_item(doc, "You have a fever, or redness that spreads up the arm", signs)


def prostate_biopsy(doc) -> None:
    """Heading 1 is the title here; the sections are Heading 2, with Heading 3 below them."""
    doc.add_heading("Prostate Biopsy (Transperineal)", 1)
    doc.add_paragraph("Procedure code: 55706")

    doc.add_heading("About this test", 2)
    doc.add_paragraph(
        "A prostate biopsy takes small samples of tissue from your prostate gland. The samples are checked "
        "for cancer. In a transperineal biopsy, the needle goes through the skin between the scrotum and the "
        "back passage, not through the bowel. This lowers the chance of infection.")

    doc.add_heading("Why is this test done?", 2)
    doc.add_paragraph("Your urologist may advise a biopsy if you have a high PSA blood test, a prostate that "
                      "feels abnormal, or an area of concern on an MRI scan.")

    doc.add_heading("How do I prepare?", 2)
    doc.add_paragraph("Tell us if you take any medicine that thins the blood. You may need to stop it:")
    table(doc, [
        ("Medicine", "When to stop"),
        ("Aspirin 81 mg", "Usually keep taking it"),
        ("Clopidogrel (Plavix)", "7 days before"),
        ("Apixaban (Eliquis)", "2 days before"),
        ("Warfarin", "5 days before, with a blood test the day before"),
    ])
    doc.add_paragraph("You can eat and drink normally. Bring someone to drive you home if you have sedation.")

    doc.add_heading("What happens during the procedure?", 2)
    doc.add_paragraph(
        "You lie on your back with your legs raised in supports. An ultrasound probe is placed in your back "
        "passage to guide the needle. The skin is numbed, and 12 to 24 samples are taken. The procedure takes "
        "about 30 minutes.")

    doc.add_heading("After the biopsy", 2)
    doc.add_heading("The first 48 hours", 3)
    doc.add_paragraph("Drink plenty of fluids. Avoid hard exercise, cycling, and heavy lifting for 48 hours.")
    doc.add_heading("What you may feel", 3)
    doc.add_paragraph(
        "Some bruising and aching between your legs is normal. You may see blood in your urine for a few days "
        "and in your semen for up to 6 weeks.")

    doc.add_heading("Call 911 if", 2)
    doc.add_paragraph("you have a high fever with shaking chills, or you cannot pass urine at all.")
    lines_paragraph(doc, [
        "Urology clinic: 555-0161",
        "After hours: 555-0100 and ask for the urologist on call",
    ])
    paragraph = doc.add_paragraph("Your results will be ready in about 1 week. More information: ")
    add_hyperlink(paragraph, "Prostate biopsy guide", "https://example.org/urology/prostate-biopsy")


def eye_injection(doc) -> None:
    """Typed without styles: capitals with a colon as headings, "•" + tab bullets, "a." typed sub-steps."""
    bold_line(doc, "Intravitreal Injection (Eye Injection)", 14)
    typed(doc, "CPT code: 67028")
    typed(doc, "Also known as: Anti-VEGF injection, eye shot")
    blank(doc)
    bold_line(doc, "WHAT IS IT:")
    typed(doc, "An intravitreal injection puts medicine into the gel inside the back of your eye. The medicine "
               "helps control leaky blood vessels that can damage your central vision.")
    blank(doc)
    bold_line(doc, "WHY IS IT DONE:")
    typed(doc, "•\tWet age-related macular degeneration (AMD)")
    typed(doc, "•\tDiabetic eye disease with swelling of the retina")
    typed(doc, "•\tA blocked vein in the retina")
    blank(doc)
    bold_line(doc, "ON THE DAY:")
    typed(doc, "Eat and take your medicines as usual.")
    typed(doc, "Do not wear eye makeup.")
    typed(doc, "Bring sunglasses for the trip home.")
    typed(doc, "Your pupils may be dilated, so you should not drive. Bring a driver.")
    blank(doc)
    bold_line(doc, "DURING THE INJECTION:")
    typed(doc, "1.\tNumbing drops are put in your eye.")
    typed(doc, "2.\tYour eye is cleaned:")
    typed(doc, "\ta.\tiodine drops are put on the eye and eyelids")
    typed(doc, "\tb.\ta small clip holds your eyelids open")
    typed(doc, "3.\tThe doctor gives the injection. You will feel pressure for a second.")
    typed(doc, "4.\tThe eye is rinsed, and your eye pressure is checked.")
    typed(doc, "The visit takes about 1 hour, but the injection itself takes only a few seconds.")
    blank(doc)
    bold_line(doc, "AFTER THE INJECTION:")
    typed(doc, "•\tYour eye may feel gritty or scratchy for 1 to 2 days.")
    typed(doc, "•\tYou may see floating dark spots or bubbles. These go away in a few days.")
    typed(doc, "•\tA red spot on the white of the eye is common and harmless.")
    typed(doc, "•\tDo not rub your eye or swim for 3 days.")
    blank(doc)
    bold_line(doc, "WARNING SIGNS:")
    typed(doc, "Call the retina clinic at 555-0179 the same day if you have:")
    typed(doc, "•\tEye pain that gets worse")
    typed(doc, "•\tVision that gets worse")
    typed(doc, "•\tMore redness, or sensitivity to light")
    blank(doc)
    bold_line(doc, "ABOUT OUR CLINIC:")
    typed(doc, "Valley Retina Specialists has offices in Springfield and Oak Grove. Our doctors are "
               "board-certified retina specialists.")


def hearing_test(doc) -> None:
    """Bullets by style (List Bullet, List Bullet 2): the numbering comes from the style definition."""
    doc.add_paragraph("Hearing Test (Audiogram)", style="Title")
    doc.add_paragraph("CPT code: 92557")
    doc.add_paragraph(
        "A hearing test measures how well you hear sounds of different pitches and how well you understand "
        "speech. It is painless. The results help us decide whether hearing aids or other treatment could "
        "help you.")

    doc.add_heading("Why is this test done?", 1)
    doc.add_paragraph("You may have a hearing test if:", style="Normal")
    doc.add_paragraph("You or your family notice that you have trouble hearing", style="List Bullet")
    doc.add_paragraph("You have ringing in the ears (tinnitus)", style="List Bullet")
    doc.add_paragraph("You have had dizziness or an ear infection that affects hearing", style="List Bullet")
    doc.add_paragraph("You take medicines that can harm hearing, such as:", style="List Bullet")
    doc.add_paragraph("some chemotherapy drugs", style="List Bullet 2")
    doc.add_paragraph("some strong antibiotics", style="List Bullet 2")

    doc.add_heading("Before your visit", 1)
    doc.add_paragraph(
        "Avoid loud noise, such as concerts or power tools, for 24 hours before your test. If you have a cold "
        "or your ears feel blocked, call us to move your appointment. If you wear hearing aids, bring them.")

    doc.add_heading("What happens during the test?", 1)
    doc.add_paragraph("You sit in a quiet booth and wear headphones. The audiologist does several short tests:")
    table(doc, [
        ("Test", "What it checks"),
        ("Pure tones", "The softest beeps you can hear at each pitch"),
        ("Speech", "How well you repeat words said softly"),
        ("Tympanometry", "How your eardrum moves"),
    ])

    doc.add_heading("How long will it take?", 1)
    doc.add_paragraph("About 30 to 45 minutes.")

    doc.add_heading("Your care team", 1)
    paragraph = doc.add_paragraph("Your test is done by a licensed audiologist. Meet our team on ")
    add_hyperlink(paragraph, "the audiology page", "https://example.org/audiology/team")

    doc.add_heading("Cost and insurance", 1)
    doc.add_paragraph("Most insurance plans and Medicare cover a hearing test when your doctor orders it.")

    doc.add_heading("About our clinic", 1)
    doc.add_paragraph("Clearview Audiology has served the community for 20 years. We are open Monday to "
                      "Saturday.")


DOCUMENTS = {
    "dental-extraction.docx": dental_extraction,
    "upper-endoscopy.docx": upper_endoscopy,
    "shoulder-injection.docx": shoulder_injection,
    "screening-colonoscopy.docx": screening_colonoscopy,
    "hysteroscopy.docx": hysteroscopy,
    "echocardiogram.docx": echocardiogram,
    "carpal-tunnel.docx": carpal_tunnel,
    "prostate-biopsy.docx": prostate_biopsy,
    "eye-injection.docx": eye_injection,
    "hearing-test.docx": hearing_test,
}


def _second_set():
    """The Word documents of the second set (make_docx_second.py), written by another hand."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("corpus_make_docx_second", Path(__file__).with_name("make_docx_second.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SECOND = _second_set()
NAMES = (*DOCUMENTS, *SECOND.DOCUMENTS)


def build_all(folder: Path) -> list[Path]:
    """Write every corpus .docx (both sets) into `folder`; their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, write in DOCUMENTS.items():
        doc = new_document()
        write(doc)
        path = folder / name
        doc.save(path)
        paths.append(path)
    return paths + SECOND.build_all(folder)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/corpus/make_docx.py OUTDIR")
    for built in build_all(Path(sys.argv[1])):
        print(built)
