"""The second set's Word documents, written by another hand and kept aside while the reader was tuned to the
first set (its first score is in issue 19's note), then added to the corpus. make_docx.build_all builds them too.

    .venv/bin/python tests/corpus/make_docx_second.py FOLDER

Four documents, each written the way a different clinic's staff would type it in Word:
  gallbladder-surgery.docx  Title + Heading 1/2 styles, bullets and two-level numbering from numbering.xml
  bone-marrow-biopsy.docx   no styles at all: bold Normal lines as headings, "•"+tab and "1."+tab typed
  holter-monitor.docx       a label/value table at the top, Heading 2 sections, a medicine table, a footer
  epidural-steroid.docx     header and footer parts (PAGE/NUMPAGES fields), a hyperlink, tracked changes
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

DOCUMENTS = ("gallbladder-surgery.docx", "bone-marrow-biopsy.docx", "holter-monitor.docx",
             "epidural-steroid.docx")
AUTHOR = "J. Okafor"
DATE = "2025-03-04T10:12:00Z"


# --- helpers ------------------------------------------------------------------------------------------


def _el(tag: str, **attrs) -> OxmlElement:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(name.replace("_", ":", 1)), str(value))
    return element


def _run(text: str, deleted: bool = False, bold: bool = False):
    run = _el("w:r")
    if bold:
        rpr = _el("w:rPr")
        rpr.append(_el("w:b"))
        run.append(rpr)
    t = _el("w:delText" if deleted else "w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    return run


def _change(kind: str, change_id: int, *runs):
    element = _el(f"w:{kind}", w_id=change_id, w_author=AUTHOR, w_date=DATE)
    for run in runs:
        element.append(run)
    return element


def _mark_paragraph(paragraph, kind: str, change_id: int) -> None:
    """Mark the paragraph mark itself inserted or deleted (a whole paragraph added or removed)."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = _el("w:rPr")
    rpr.append(_el(f"w:{kind}", w_id=change_id, w_author=AUTHOR, w_date=DATE))
    ppr.append(rpr)


def _numbered(doc, text: str, num_id: int, level: int = 0):
    paragraph = doc.add_paragraph(text, style="List Paragraph")
    ppr = paragraph._p.get_or_add_pPr()
    numpr = _el("w:numPr")
    numpr.append(_el("w:ilvl", w_val=level))
    numpr.append(_el("w:numId", w_val=num_id))
    ppr.append(numpr)
    return paragraph


def _add_numbering(doc, abstract_id: int, num_id: int, levels) -> None:
    """Add an abstractNum with the given (format, text, indent) levels and a num pointing at it."""
    numbering = doc.part.numbering_part.element
    abstract = _el("w:abstractNum", w_abstractNumId=abstract_id)
    abstract.append(_el("w:multiLevelType", w_val="hybridMultilevel"))
    for ilvl, (fmt, text, indent) in enumerate(levels):
        lvl = _el("w:lvl", w_ilvl=ilvl)
        lvl.append(_el("w:start", w_val=1))
        lvl.append(_el("w:numFmt", w_val=fmt))
        lvl.append(_el("w:lvlText", w_val=text))
        lvl.append(_el("w:lvlJc", w_val="left"))
        ppr = _el("w:pPr")
        ppr.append(_el("w:ind", w_left=indent, w_hanging=360))
        lvl.append(ppr)
        if fmt == "bullet":
            rpr = _el("w:rPr")
            rpr.append(_el("w:rFonts", w_ascii="Symbol", w_hAnsi="Symbol", w_hint="default"))
            lvl.append(rpr)
        abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = _el("w:num", w_numId=num_id)
    num.append(_el("w:abstractNumId", w_val=abstract_id))
    numbering.append(num)


def _field(paragraph, instruction: str, shown: str) -> None:
    simple = _el("w:fldSimple", w_instr=f" {instruction} ")
    simple.append(_run(shown))
    paragraph._p.append(simple)


def _hyperlink(paragraph, text: str, url: str) -> None:
    rel_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = _el("w:hyperlink", r_id=rel_id)
    run = _el("w:r")
    rpr = _el("w:rPr")
    rpr.append(_el("w:rStyle", w_val="Hyperlink"))
    rpr.append(_el("w:color", w_val="0563C1"))
    rpr.append(_el("w:u", w_val="single"))
    run.append(rpr)
    t = _el("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _bold_line(doc, text: str, size: int | None = None):
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = True
    if size:
        run.font.size = Pt(size)
    return paragraph


def _table(doc, rows, style: str | None = "Table Grid", bold_header: bool = True):
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    if style:
        try:
            table.style = style
        except (KeyError, ValueError):
            pass
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = bold_header and r == 0
    return table


# --- the documents ------------------------------------------------------------------------------------


def gallbladder(path: Path) -> None:
    doc = docx.Document()
    _add_numbering(doc, 20, 20, [("bullet", "\uf0b7", 720), ("bullet", "o", 1440)])
    _add_numbering(doc, 21, 21, [("decimal", "%1.", 720), ("bullet", "\uf0b7", 1440)])
    doc.add_paragraph("Laparoscopic Gallbladder Removal", style="Title")
    doc.add_paragraph("CPT code: 47562")
    doc.add_paragraph("Also called: keyhole gallbladder surgery, lap chole")
    doc.add_paragraph("Medical term: Laparoscopic cholecystectomy")

    doc.add_paragraph("What is the gallbladder?", style="Heading 1")
    doc.add_paragraph("The gallbladder is a small pouch under your liver. It stores bile, a fluid that helps "
                      "you digest fat. You can live a normal, healthy life without it.")

    doc.add_paragraph("Why do I need surgery?", style="Heading 1")
    doc.add_paragraph("Gallstones can block the flow of bile and cause:")
    for text in ("Sudden, severe pain in the upper right belly, often after a fatty meal",
                 "Swelling and infection of the gallbladder (cholecystitis)",
                 "Yellow skin or eyes (jaundice)",
                 "Inflammation of the pancreas (pancreatitis)"):
        _numbered(doc, text, 20)
    doc.add_paragraph("Taking out the gallbladder stops these problems from coming back.")

    doc.add_paragraph("Getting ready for surgery", style="Heading 1")
    _numbered(doc, "You will have a pre-op visit with blood tests about a week before surgery.", 21)
    _numbered(doc, "Stop these medicines before surgery, unless your surgeon tells you otherwise:", 21)
    _numbered(doc, "Aspirin and other blood thinners: 5 to 7 days before", 21, 1)
    _numbered(doc, "Ibuprofen and naproxen: 3 days before", 21, 1)
    _numbered(doc, "Herbal supplements and fish oil: 1 week before", 21, 1)
    _numbered(doc, "Do not eat after midnight. You may drink clear liquids until 2 hours before your "
                   "arrival time.", 21)
    _numbered(doc, "Shower the night before or the morning of surgery.", 21)

    doc.add_paragraph("What happens during the operation?", style="Heading 1")
    doc.add_paragraph("You will be asleep under general anesthesia. The surgeon makes 4 small cuts in your "
                      "belly and fills it with carbon dioxide gas to make room to work. A tiny camera and thin "
                      "tools are passed through the cuts, and the gallbladder is taken out through the cut at "
                      "your belly button. Sometimes the surgeon needs to change to one larger cut to finish "
                      "safely.")

    doc.add_paragraph("How long will it take?", style="Heading 1")
    doc.add_paragraph("The operation takes 1 to 2 hours. Most people go home the same day or the next "
                      "morning.")

    doc.add_paragraph("After surgery", style="Heading 1")
    doc.add_paragraph("Pain relief", style="Heading 2")
    doc.add_paragraph("Pain in your shoulder is common for 1 to 2 days. It is caused by the gas used during "
                      "surgery and goes away on its own. Take your pain medicine as prescribed.")
    doc.add_paragraph("Eating", style="Heading 2")
    for text in ("Start with small, light meals.",
                 "Avoid greasy or fatty food for a few weeks.",
                 "Loose stools after fatty meals are common and usually settle."):
        _numbered(doc, text, 20)
    doc.add_paragraph("Driving and work", style="Heading 2")
    doc.add_paragraph("Do not drive for at least 24 hours, or while you take opioid pain medicine. Most "
                      "people go back to desk work in 1 week and to heavy work in 4 weeks.")

    doc.add_paragraph("Risks", style="Heading 1")
    for text in ("Bleeding or infection at the cuts",
                 "Bile leaking into the belly (about 1 in 100)",
                 "Injury to the bile duct, bowel or blood vessels (rare)",
                 "Blood clots in the legs or lungs"):
        _numbered(doc, text, 20)

    doc.add_paragraph("When to call us", style="Heading 1")
    doc.add_paragraph("Call the Surgery Clinic at 555-0160 if you have:")
    for text in ("A fever over 101 F (38.3 C)",
                 "Redness, swelling or pus at a cut",
                 "Yellow skin or eyes",
                 "Belly pain or swelling that gets worse",
                 "Vomiting that does not stop"):
        _numbered(doc, text, 20)
    doc.add_paragraph("If you have chest pain or trouble breathing, call 911.")
    doc.save(path)


def bone_marrow(path: Path) -> None:
    doc = docx.Document()
    _bold_line(doc, "BONE MARROW BIOPSY AND ASPIRATION", 16)
    doc.add_paragraph("Hematology and Oncology Clinic")
    doc.add_paragraph("CPT 38222")
    doc.add_paragraph()

    def head(text):
        _bold_line(doc, text)

    def para(text):
        doc.add_paragraph(text)

    def bullet(text):
        doc.add_paragraph("\u2022\t" + text)

    head("What is a bone marrow biopsy?")
    para("Bone marrow is the soft tissue inside your bones where blood cells are made. In this test, the "
         "doctor takes a small amount of liquid marrow (aspiration) and a small core of bone with marrow in it "
         "(biopsy), usually from the back of your hip bone.")
    doc.add_paragraph()
    head("Why do I need this test?")
    para("It can find the cause of low or high blood counts, check for leukemia, lymphoma or myeloma, and "
         "show how well your treatment is working.")
    doc.add_paragraph()
    head("Before the test:")
    bullet("You may eat a light breakfast unless you are having sedation.")
    bullet("If you are having sedation, do not eat or drink for 6 hours before, and bring an adult to drive "
           "you home.")
    bullet("Tell us if you take blood thinners or are allergic to any medicines, latex or tape.")
    bullet("Take your other usual medicines.")
    doc.add_paragraph()
    head("What happens during the test")
    for n, text in enumerate((
            "You lie on your stomach or on your side.",
            "The doctor cleans the skin over the back of your hip and numbs it with local anesthetic.",
            "A needle is put through the bone and a small amount of liquid marrow is drawn out. This may cause "
            "a brief, deep pulling pain.",
            "A slightly larger needle takes a small core of bone.",
            "Pressure is put on the site and it is covered with a bandage."), 1):
        doc.add_paragraph(f"{n}.\t{text}")
    doc.add_paragraph()
    head("How long does it take?")
    para("The test takes 20 to 30 minutes. Plan to be here for about 2 hours if you have sedation.")
    doc.add_paragraph()
    head("After the test:")
    bullet("Lie on your back for 15 minutes to press on the site.")
    bullet("Keep the bandage on and dry for 24 hours. Then you can shower.")
    bullet("Do not swim or take a bath for 3 days.")
    bullet("Your hip may ache for a few days. Take acetaminophen (Tylenol). Do not take aspirin or ibuprofen "
           "unless your doctor says it is OK.")
    doc.add_paragraph()
    head("Possible risks")
    para("Bleeding and infection at the site are uncommon. The risk of bleeding is higher if your platelet "
         "count is low.")
    doc.add_paragraph()
    head("Your results")
    para("Some results are ready in a few days. Others, such as genetic tests, can take 2 to 3 weeks. Your "
         "doctor will go over them with you at your next visit.")
    doc.add_paragraph()
    head("When to call us")
    para("Call the clinic at 555-0150 if you have:")
    bullet("Bleeding that soaks through the bandage")
    bullet("A fever of 100.4 F (38 C) or higher")
    bullet("Pain that gets worse instead of better")
    doc.add_paragraph()
    head("Call 911 if")
    bullet("You have heavy bleeding that does not stop after 10 minutes of firm pressure")
    bullet("You feel faint or short of breath")
    doc.save(path)


def holter(path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("Holter Monitor", style="Title")
    _table(doc, [("CPT code", "93224"),
                 ("Also called", "Ambulatory ECG, 48-hour heart monitor"),
                 ("Medical term", "External electrocardiographic recording up to 48 hours")], bold_header=False)

    doc.add_paragraph("About the test", style="Heading 2")
    doc.add_paragraph("A Holter monitor is a small, battery-powered recorder that you wear for 48 hours. It "
                      "records every heartbeat while you go about your normal day.")

    doc.add_paragraph("Why is this test done?", style="Heading 2")
    doc.add_paragraph("It can show heart rhythm problems that come and go, such as skipped beats or a racing "
                      "heart, and help find the cause of dizziness, fainting or palpitations.")

    doc.add_paragraph("Your medicines", style="Heading 2")
    doc.add_paragraph("Take your medicines as usual unless your doctor has told you otherwise.")
    _table(doc, [("Medicine", "What to do"),
                 ("Heart rhythm medicines (for example, amiodarone or sotalol)", "Keep taking them as usual"),
                 ("Beta blockers (for example, metoprolol)",
                  "Ask your cardiologist. You may be asked to stop them 2 days before."),
                 ("Water pills (diuretics)", "Take as usual"),
                 ("Caffeine pills or energy drinks", "Avoid them during the test")])

    doc.add_paragraph("Before your appointment", style="Heading 2")
    for text in ("Take a bath or shower. You will not be able to for 48 hours.",
                 "Do not put lotion, oil or powder on your chest.",
                 "Wear a loose top that buttons at the front."):
        doc.add_paragraph(text, style="List Bullet")

    doc.add_paragraph("Getting the monitor fitted", style="Heading 2")
    doc.add_paragraph("A technician cleans small areas of your chest, shaves them if needed and sticks on 5 "
                      "electrode pads. Wires connect the pads to the recorder, which clips to your belt or "
                      "hangs around your neck. Fitting takes about 15 minutes.")

    doc.add_paragraph("While you wear the monitor", style="Heading 2")
    for text in ("Carry on with your usual activities, including exercise, unless we tell you otherwise.",
                 "Do not get the monitor wet. Do not shower, bathe or swim.",
                 "Keep away from electric blankets, magnets and metal detectors.",
                 "Write down any symptoms, and the time they happen, in the diary."):
        doc.add_paragraph(text, style="List Bullet")

    doc.add_paragraph("Returning the monitor", style="Heading 2")
    doc.add_paragraph("Bring the monitor and your diary back to the Heart Rhythm Clinic 48 hours later. Your "
                      "cardiologist will send the results to your doctor within 2 weeks.")

    doc.add_paragraph("Are there any risks?", style="Heading 2")
    doc.add_paragraph("There are no risks from the monitor itself. The pads can make your skin itchy or red.")

    doc.add_paragraph("When to call us", style="Heading 2")
    for text in ("A pad comes off and you cannot stick it back on",
                 "The skin under a pad blisters or burns"):
        doc.add_paragraph(text, style="List Bullet")

    doc.add_paragraph("Call 911 if", style="Heading 2")
    for text in ("You have chest pain or pressure",
                 "You faint or nearly faint",
                 "You are very short of breath"):
        doc.add_paragraph(text, style="List Bullet")

    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = "Heart Rhythm Clinic \u00b7 HRC-07 \u00b7 Rev. 11/2024 \u00b7 Page "
    _field(footer, "PAGE", "1")
    doc.save(path)


def epidural(path: Path) -> None:
    doc = docx.Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "Spine & Pain Center \u2013 Patient Education"
    footer = section.footer.paragraphs[0]
    footer.text = "SPC-112   Page "
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "2")

    doc.add_paragraph("Lumbar Epidural Steroid Injection", style="Title")
    doc.add_paragraph("Procedure code (CPT): 62323")

    doc.add_paragraph("What is an epidural steroid injection?", style="Heading 1")
    doc.add_paragraph("An epidural steroid injection puts a strong anti-inflammatory medicine (a steroid) into "
                      "the space around the nerves in your lower back. It can ease back and leg pain caused by "
                      "irritated nerves.")

    doc.add_paragraph("Who is it for?", style="Heading 1")
    doc.add_paragraph("People with sciatica, a slipped disc or narrowing of the spine (spinal stenosis) whose "
                      "pain has not improved with rest, medicines and physical therapy.")

    doc.add_paragraph("Preparing for your injection", style="Heading 1")
    doc.add_paragraph("Tell us if you take blood thinners. You may need to stop them for a few days.",
                      style="List Bullet")
    edited = doc.add_paragraph("You may eat a light meal up to ", style="List Bullet")
    edited._p.append(_change("del", 1, _run("6", deleted=True)))
    edited._p.append(_change("ins", 2, _run("2")))
    edited.add_run(" hours before.")
    removed = doc.add_paragraph(style="List Bullet")
    _mark_paragraph(removed, "del", 3)
    removed._p.append(_change("del", 4, _run("Bring a urine sample to your appointment.", deleted=True)))
    added = doc.add_paragraph(style="List Bullet")
    _mark_paragraph(added, "ins", 5)
    added._p.append(_change("ins", 6, _run("If you have diabetes, check your blood sugar more often for 3 days "
                                           "afterwards. The steroid can raise it.")))
    doc.add_paragraph("Arrange for someone to drive you home.", style="List Bullet")

    doc.add_paragraph("During the injection", style="Heading 1")
    doc.add_paragraph("You lie on your stomach on an X-ray table. The doctor numbs your skin, then uses X-ray "
                      "to guide a thin needle into the epidural space. A small amount of contrast dye checks "
                      "the position before the steroid and a numbing medicine are injected.")
    doc.add_paragraph("If you are nervous", style="Heading 2")
    doc.add_paragraph("Tell the nurse. We can play music, and a nurse will stay with you the whole time.")
    doc.add_paragraph("What you may feel", style="Heading 2")
    doc.add_paragraph("You may feel pressure and a brief ache in your back or leg as the medicine goes in.")

    doc.add_paragraph("How long will it take?", style="Heading 1")
    doc.add_paragraph("The injection takes 15 to 20 minutes. You will rest for 30 minutes before going home.")

    doc.add_paragraph("Who will do the injection?", style="Heading 1")
    doc.add_paragraph("A pain medicine doctor, helped by an X-ray technologist and a nurse.")

    doc.add_paragraph("After the injection", style="Heading 1")
    for text in ("Your leg may feel numb or weak for a few hours.",
                 "Rest for the rest of the day. You can go back to work the next day.",
                 "The steroid starts to work in 3 to 7 days.",
                 "Keep a pain diary for 2 weeks so we can see how well it worked."):
        doc.add_paragraph(text, style="List Bullet")

    doc.add_paragraph("Side effects and risks", style="Heading 1")
    doc.add_paragraph("You may have a flushed face, trouble sleeping or higher blood sugar for a few days. Rare "
                      "risks include infection, bleeding, nerve damage and a headache from a leak of spinal "
                      "fluid.")

    doc.add_paragraph("Other treatments", style="Heading 1")
    doc.add_paragraph("Physical therapy, pain medicines, nerve blocks and, for some people, surgery.")

    doc.add_paragraph("Warning signs", style="Heading 1")
    doc.add_paragraph("Go to the nearest emergency room if you have:")
    for text in ("Loss of bladder or bowel control",
                 "New weakness or numbness in your legs",
                 "Fever with a severe headache or a stiff neck",
                 "Redness, swelling or pus where the needle went in"):
        doc.add_paragraph(text, style="List Bullet")

    doc.add_paragraph("More information", style="Heading 1")
    info = doc.add_paragraph("For questions, call us at 555-0170 or read more in the ")
    _hyperlink(info, "Spine & Pain Center patient library", "https://example.org/spine/library")
    info.add_run(".")
    doc.save(path)


BUILDERS = {
    "gallbladder-surgery.docx": gallbladder,
    "bone-marrow-biopsy.docx": bone_marrow,
    "holter-monitor.docx": holter,
    "epidural-steroid.docx": epidural,
}


def build_all(folder: Path) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    built = []
    for name in DOCUMENTS:
        path = folder / name
        BUILDERS[name](path)
        built.append(path)
    return built


if __name__ == "__main__":
    for built_path in build_all(Path(sys.argv[1])):
        print(built_path)
