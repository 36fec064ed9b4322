"""The header fields of a procedure: the labels clinics put before a code or a name, and what a code looks like.
Every format's reader asks here, so that "CPT code | 27035" in a table reads as "CPT code: 27035" on a line."""

from __future__ import annotations

import re

from .lines import clean

LABELS = (
    # "CPT4 code", "CPT-4 Code:", "CPT® code(s) -", "CPT:", "CPT 4 code #", "CDT code", "HCPCS:", "Procedure code"
    ("code", re.compile(
        r"(?:(?:cpt\s*(?:\u00ae|\(r\))?\s*-?\s*4?|cdt|hcpcs)\s*(?:codes?|code\(s\))?|procedure\s+codes?)"
        r"(?:\s*\((?:cpt|cdt|hcpcs)[^)]{0,10}\))?"  # "Procedure code (CPT): 62323"
        r"(?:\s*[:#\-\u2013]\s*|\s+|$)(?P<rest>.*)", re.I)),
    ("name", re.compile(r"(?:name of (?:the )?procedure|procedure name)\s*(?::\s*(?P<rest>.*))?", re.I)),
    ("common_names", re.compile(r"(?:common names?|other names?|also known as|also called|a\.?k\.?a\.?)\s*(?::\s*(?P<rest>.*))?", re.I)),
    ("medical_terms", re.compile(r"medical terms?\s*(?::\s*(?P<rest>.*))?", re.I)),
)
# CPT codes ("27035", "0232T"), and the dental CDT ("D7240") and HCPCS ("G0121") codes clinics put in the same place.
ONE_CODE = r"(?:[0-9]{4}[0-9A-Z]|[A-V][0-9]{4})"
CODE = re.compile(rf"{ONE_CODE}(?:\s*(?:[,/;]|and|or)\s*{ONE_CODE})*", re.I)
# A letterhead line: the clinic's or department's name ("Lakeside Dermatology - Patient Handout"), not the title.
ORGANISATION = re.compile(
    r"\b(?:clinic|hospital|department|dept|centre|center|practice|dentistry|health ?care|medical group|"
    r"trust|nhs|institute|associates|patient (?:handout|information|education|leaflet))\b",
    re.I,
)
NO_CODE = {"", "n/a", "na", "none", "unknown", "not assigned", "tbd", "-", "\u2013", "\u2014"}


def letterhead(parts: list[str]) -> bool:
    """ "PATIENT INFORMATION SHEET": capitals only, as a letterhead is set and an official descriptor is not."""
    letters = [c for part in parts for c in part if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def label(text: str) -> tuple[str, str] | None:
    """(field, the value after the label) when `text` starts with a header field's label ("CPT4 code: 27035")."""
    if "**" in text or "__" in text:  # "**CPT4 code:** 31622"
        text = clean(text.replace("**", " ").replace("__", " "))
    for name, pattern in LABELS:
        m = pattern.fullmatch(text)
        if m:
            return name, (m.group("rest") or "").strip()
    return None
