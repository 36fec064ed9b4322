"""The header of a procedure: the title, the code and the names above the first section, and where the sections
begin (a heading, or text under the title that says what the procedure is)."""

from __future__ import annotations

import re

from ..model import OTHER
from .fields import CODE, NO_CODE, ORGANISATION, label, letterhead
from .headings import explicit_heading, known_heading
from .lines import Line, is_rule

_OTHER_LABEL = re.compile(r"[A-Z][\w/ -]{0,30}:\s+\S")  # "Laterality: N/A", "Body site: left hip"


class HeaderReader:
    """The text reader's part that reads the header; it works on the reader's lines, fields and notes."""

    def _parse_header(self) -> int:
        current: str | None = None  # the field wrapped lines join
        expect_code = False
        prev: Line | None = None
        for i, line in enumerate(self.lines):
            text = line.text
            if not text or is_rule(text):
                if current and current in self.fields:
                    current = None
                prev = None
                continue
            if line.marked:
                if line.marked in ("title", "heading") and "title" not in self.fields and not known_heading(text):
                    self.fields["title"] = (line.number, [text])
                    self._note(line.number, f"title ({line.why or line.marked})")
                    current = None
                    continue
                self.intro = line.marked != "heading" and "title" in self.fields
                return i
            # A label written without its value ("Name of the Procedure:") takes the next line as its value,
            # even when that line is shaped like a heading.
            awaiting_value = current is not None and current not in self.fields
            numbered_inline = text[0].isdigit() and self._next_heading_number(text, prev, known=True) is not None
            if current == "title" and ORGANISATION.search(text) and not known_heading(text) and self._key(text) == OTHER:
                self.intro = True  # the clinic's name under the title ("Hematology and Oncology Clinic"): text
                return i
            if known_heading(text, numbered_inline=numbered_inline) or (
                self.fields and not awaiting_value and self._other_heading(i, prev, in_body=False)
            ):
                return i
            field_label = label(text)
            if field_label:
                name, rest = field_label
                expect_code, current = False, None
                self._note(line.number, f"header field: {name.replace('_', ' ')} (its label)")
                if name == "code":
                    value = rest.rstrip(".").strip()
                    if value.lower() in NO_CODE:
                        expect_code = not value
                    else:
                        self.code = value
                        if not CODE.fullmatch(value):
                            self._warn(line.number, f"the CPT code {value!r} does not look like one (such as 27035); kept as written")
                else:
                    current = name
                    if rest and name in self.fields:  # "Common names: ..." and later "Also known as: ..."
                        self.fields[name][1][-1] += ","
                        self.fields[name][1].append(rest)
                    elif rest:
                        self.fields[name] = (line.number, [rest])
            elif expect_code:
                expect_code = False
                if CODE.fullmatch(text.rstrip(".")):
                    self.code = text.rstrip(".")
                elif text.lower().rstrip(".") not in NO_CODE:
                    self._header_text(line)
            elif _OTHER_LABEL.match(text) and current in self.fields:
                current = None  # "Laterality: left" is a field of its own, not the rest of the one before
                self._header_text(line)
            elif (
                current == "title" and len(self.fields["title"][1]) == 1  # only a title's first line is a letterhead
                and letterhead(self.fields["title"][1]) and not letterhead([text]) and not ORGANISATION.search(text)
            ):
                first, _ = self.fields["title"]
                self._warn(first, f"{' '.join(self.fields['title'][1])!r} reads as a letterhead, not the title; left out")
                self.fields["title"] = (line.number, [text])
            elif current == "title" and (_prose(text) or self._wraps_on(i) or ORGANISATION.search(text)) and not self.breaks.continues(prev, line):
                self.intro = True  # a sentence under the title, not the rest of a title that wrapped
                return i
            elif current:
                self.fields.setdefault(current, (line.number, []))[1].append(text)
                self._note(line.number, f"header field: {current.replace('_', ' ')} (goes on from the line before)")
            elif "title" not in self.fields:
                self.fields["title"] = (line.number, [explicit_heading(text) or text])
                self._note(line.number, "title: the first line")
                current = "title"
            elif _prose(text) or self._wraps_on(i) or self.styled or ORGANISATION.search(text):
                # text, or the clinic's name under the title ("Pediatric ENT Clinic, Westfield Hospital"): kept
                self.intro = True  # the text under the title, before any heading, says what the procedure is
                return i
            else:
                self._header_text(line)
            prev = line
        return len(self.lines)

    def _wraps_on(self, i: int) -> bool:
        """Does line i go on in the line after it (a paragraph an editor wrapped)?"""
        following = self.lines[i + 1] if i + 1 < len(self.lines) else None
        return following is not None and bool(following.text) and len(self.lines[i].text.split()) >= 4 and (
            self.breaks.continues(self.lines[i], following)
        )

    def _field(self, line: Line) -> bool:
        """A header field's label line with its value ("Also known as: ...", "CDT code: D6010")."""
        found = label(line.text) if not line.marked else None
        if found is None or not found[1] or found[0] in self.fields or (found[0] == "code" and self.code):
            return False
        if found[0] == "code":
            value = found[1].rstrip(".").strip()
            if value.lower() in NO_CODE or not CODE.fullmatch(value):
                return False
            self.code = value
        else:
            self.fields[found[0]] = (line.number, [found[1]])
        self._note(line.number, f"header field: {found[0].replace('_', ' ')} (its label)")
        return True

    def _header_text(self, line: Line) -> None:
        self._note(line.number, "left out: text before the first section that is no header field or sentence")
        excerpt = line.text if len(line.text) <= 60 else line.text[:57] + "..."
        self._warn(line.number, f"text before the first section is not part of any section and was left out: {excerpt!r}")


def _prose(text: str) -> bool:
    """A sentence or more: text, not a letterhead line or a label."""
    return len(text.split()) >= 4 and (text[-1:] in ".!?" or len(text) > 80)
