"""The leaflet's own words, in the "leaflet" domain: patient-friendly headings, page furniture, the guide's phrases.

Every string here is marked for Babel's extractor (N_, gettext, ngettext, pgettext) and translated per
locale through a gettext translations object, so one catalog serves every procedure.
"""

from __future__ import annotations

import gettext as _gettext

DOMAIN = "leaflet"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is used."""
    return message


# TRANSLATORS: Headings a patient reads, one per section of a procedure description.
SECTION_HEADINGS = {
    "summary": N_("What is this procedure?"),
    "purpose": N_("Why is it done?"),
    "indications": N_("Why might I need this?"),
    "preparation": N_("How do I get ready?"),
    "procedure": N_("What happens during the procedure?"),
    "duration": N_("How long does it take?"),
    "setting": N_("Where is it done?"),
    "personnel": N_("Who will be there?"),
    "setting+personnel": N_("Where is it done, and who will be there?"),
    "experience": N_("What will I feel?"),
    "recovery": N_("What happens afterwards?"),
    "risks": N_("What are the risks?"),
    "benefits": N_("What are the benefits?"),
    "alternatives": N_("What else could I do?"),
    "warning": N_("When should I get help?"),
}

# TRANSLATORS: Titles of the audio guide's steps, spoken after "Step 2 of 7:".
GUIDE_STEPS = {
    "introduction": N_("About this procedure"),
    "before": N_("Before your procedure"),
    "arriving": N_("When you arrive"),
    "during": N_("During the procedure"),
    "after": N_("After the procedure"),
    "risks": N_("Risks, and when to get help"),
    "options": N_("Your other options"),
    "warning": N_("When to get help"),
}

STAFF_HEADING = N_("For staff")
STAFF_LABELS = {
    "common_names": N_("Other names"),
    "medical_terms": N_("Medical terms"),
    "title": N_("Official description"),
    "code": N_("CPT code"),
    "dental_code": N_("CDT code"),
    "hcpcs_code": N_("HCPCS code"),
}
CONTACT_HEADING = N_("Questions? Contact us")
# TRANSLATORS: In the contact box; {phone} is the clinic's phone number.
CONTACT_PHONE = N_("Phone: {phone}")
OTHER_FORMATS = N_(
    "This leaflet is available in other languages, in large print and as audio. "
    "Ask {clinic} on {phone}."
)
DRAFT_NOTICE = N_("Draft translation - not yet checked by a qualified medical translator")
QR_CAPTION = N_("Scan to listen to this leaflet")
LOGO_ALT = N_("Logo of {clinic}")


def fill(template: str, **values: object) -> str:
    """Fill {name} placeholders by plain replacement, never str.format: a translation is untrusted input,
    and "{page.__class__}" must print as written, not reach into Python objects."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", str(value))
    return template


def translator(translations: _gettext.NullTranslations | None = None) -> _gettext.NullTranslations:
    return translations if translations is not None else _gettext.NullTranslations()


def page_of(t: _gettext.NullTranslations, page: object, pages: object) -> str:
    # TRANSLATORS: The page number in the footer of every page.
    return fill(t.gettext("Page {page} of {pages}"), page=page, pages=pages)


def version_stamp(t: _gettext.NullTranslations, version: str, digest: str, state: str, date: str) -> str:
    # TRANSLATORS: Footer stamp for consent records. {state} is "draft" or "reviewed by ...".
    template = t.gettext("Leaflet {version}, {digest}, {state}, printed {date}")
    return fill(template, version=version, digest=digest, state=state, date=date)


def draft_state(t: _gettext.NullTranslations) -> str:
    return t.pgettext("review state", "draft")


def reviewed_state(t: _gettext.NullTranslations, reviewer: str, date: str) -> str:
    return fill(t.pgettext("review state", "reviewed by {reviewer} on {date}"), reviewer=reviewer, date=date)


def step_announcement(t: _gettext.NullTranslations, number: int, total: int, title: str) -> str:
    # TRANSLATORS: Spoken before each step of the audio guide, e.g. "Step 2 of 7: Before your procedure".
    return fill(t.gettext("Step {number} of {total}: {title}"), number=number, total=total, title=title)


def guide_length(t: _gettext.NullTranslations, steps: int) -> str:
    # TRANSLATORS: Spoken in the introduction of the audio guide.
    return fill(t.ngettext("This guide has {count} step.", "This guide has {count} steps.", steps), count=steps)


def minutes(t: _gettext.NullTranslations, count: int) -> str:
    return fill(t.ngettext("{count} minute", "{count} minutes", count), count=count)


def call_for_help(t: _gettext.NullTranslations, clinic: str, phone: str) -> str:
    # TRANSLATORS: Spoken at the end of the risks step of the audio guide.
    template = t.gettext("If you are worried after your procedure, call {clinic} on {phone}.")
    return fill(template, clinic=clinic, phone=phone)


def call_on_this_number(t: _gettext.NullTranslations, clinic: str) -> str:
    # TRANSLATORS: Ends the guide's last step, "When to get help". The clinic's phone number is said right after it, alone.
    return fill(t.gettext("If you have any of these, call {clinic} on this number:"), clinic=clinic)


def spoken_range(t: _gettext.NullTranslations) -> str:
    # TRANSLATORS: How the audio guide says a range of numbers written "6-8" ("6 to 8 hours"). Keep {low} and {high}.
    return t.pgettext("spoken", "{low} to {high}")


def heading_for(t: _gettext.NullTranslations, key: str) -> str:
    return t.gettext(SECTION_HEADINGS[key])


# The footer's lines as page_of and version_stamp ask for them, named for the checks that bound their length. Kept
# at the end of the module: the catalogs' references give the line of each message above.
PAGE_OF = "Page {page} of {pages}"
STAMP = "Leaflet {version}, {digest}, {state}, printed {date}"
