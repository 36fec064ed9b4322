"""What is a heading, and which section it starts: the seed's headings, the lexicon of the many ways clinics
phrase them (questions included), and the shape of a heading the reader does not know."""

from __future__ import annotations

import re

from .lines import CONNECTIVE_END, clean
from ..model import OTHER, SECTION_KEYS

# The seed's headings (normalized: lower case, "&" read as "and"), plus a few plain variants.
HEADINGS = {
    "summary": "summary",
    "purpose": "purpose",
    "indications": "indications",
    "preparation": "preparation",
    "procedure description": "procedure",
    "description of the procedure": "procedure",
    "duration": "duration",
    "setting": "setting",
    "personnel": "personnel",
    "risks and complications": "risks",
    "risks": "risks",
    "benefits": "benefits",
    "recovery": "recovery",
    "alternatives": "alternatives",
    "patient experience": "experience",
    "warning signs": "warning",
}
assert set(HEADINGS.values()) == set(SECTION_KEYS)

# Topics rather than moments ("Eating and drinking", "Medicines", "Activity"): at the top they start the section the
# lexicon says; under a heading of a higher level they belong to it, whatever moment it is.
_CARE_TOPICS = "pain medicine*/medication*/relief/control/management / managing pain / activit* / eating drinking"
_MEDICINES = "medicine*/medication*/drug*"
TOPICAL = frozenset({_CARE_TOPICS, _MEDICINES})

# The heading lexicon: how clinics phrase each section, by the words a heading contains, in any order.
# Rules are tried top to bottom and the first whose words are all in the heading wins, so a more specific
# rule comes before a broader one ("other options" before "options", "what happens after" is recovery, not the
# procedure). A word ending in "*" matches any word it starts ("prepar*": prepare, preparing, preparation);
# "a/b" is either word. Extend it here, or per clinic with [headings] in leaflet.toml. A heading no rule
# matches is a section of the clinic's own ("other"), and so is one the first rule matches ("Paying for your
# treatment" is not the procedure).
LEXICON: tuple[tuple[str, str], ...] = (
    ("other", "pay/paying/payment*/cost/costs/insurance/billing/fee/fees/price*/parking/directions/contact"),
    # When to get help: the safety content. First, so that "Risks and when to call us" is not only risks.
    ("warning", "when call/contact/phone/ring/seek/get"),
    ("warning", "call/phone/ring 911/999/112/000/right/straight/immediately/urgently"),
    ("warning", "call/contact/phone/tell if"),
    ("warning", "get/seek/getting/seeking help/care/advice"),
    ("warning", "warning* / danger* / emergenc* / urgent* / red flag*"),
    ("warning", "problem* after call/contact"),
    ("warning", "cuándo/cuando/quand consult*/llam*/appel*"),
    ("warning", "llame/llámenos/llamar/appelez/appeler"),
    ("warning", "signe* alerte / signos alarma / señales alarma"),
    ("alternatives", "alternativ* / instead / choice* / other/another option*/treatment*/way*/choice*"),
    ("alternatives", "option* / otras opciones / autres options"),
    ("risks", "risk* / complication* / side effect* / safe / riesgo* / risque* / danger"),
    ("benefits", "benefit* / advantage* / beneficio* / bénéfice* / avantage* / help me"),
    ("experience", "feel* / notice* / hurt* / painful / experience* / sensation* / sentir* / sentirá* / ressentir"),
    ("recovery", "recover* / heal* / recuperaci* / récupération"),
    ("recovery", _CARE_TOPICS),
    ("recovery", "caring for / care incision*/wound*/stitches/dressing*/scar*"),
    ("duration", "how long / duration / length / much time / take* long / duración / durée / combien temps / cuánto/cuanto dura*"),
    ("recovery", "after* / afterward* / home / discharge* / follow* / later / después / après"),
    ("preparation", "prepar* / prépar* / prep / before* / ready / fast* / bring / on day / day of / antes / avant / préparation"),
    ("preparation", _MEDICINES),
    ("purpose", "why / purpose / reason* / aim* / goal* / por qué / pourquoi / objectif* / objetivo*"),
    ("indications", "indicat* / who need*/should/can/benefit* / who for / suitable / candidate* / right for me/you"),
    ("setting", "where / setting / location / place / venue / dónde / où / lieu"),
    ("personnel", "who / team / personnel / staff / doctor* / nurse* / quién / qui / équipe / equipo"),
    ("summary", "summary / overview / introduc* / about your/this/the / what is/are / resumen / résumé / qu'est / qué es"),
    ("procedure", "during / while / fitted / fitting / happen* / descri* / how done/performed/carried/put/placed/inserted/fitted/given / step* / expect / procedimiento / déroulement"),
    ("procedure", "the/your procedure/test/operation/surgery/scan/exam*/injection/biopsy/treatment/operation"),
)
_HEADING_FIRST_WORDS = frozenset(heading.split()[0] for heading in HEADINGS)
_HEADING_FIRST_WORDS_TUPLE = tuple(sorted(_HEADING_FIRST_WORDS))
_LONGEST_FIRST_WORD = max(map(len, _HEADING_FIRST_WORDS))

NUMBERED_HEADING = re.compile(r"(?P<number>\d{1,2})[.)]\s+")
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+(?P<text>.+?)(?:\s+#+)?")
EMPHASISED_LINE = re.compile(r"(\*\*|__)(?P<text>[^*_]+?)\1:?")
_HEADING_DECORATION = re.compile(r"\s*(?:#+|\d{1,2}[.)])\s+")
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")
_EMPHASIS = re.compile(r"\*\*|__")
_MAX_HEADING = 60  # characters; a heading is a short line
_MAX_HEADING_WORDS = 6
_MAX_QUESTION_WORDS = 8
_MAX_LABEL_WORDS = 3  # "Before you come:" is a heading; "Give pain medicine as follows:" leads into a list
# Whole headings ("Results", "Diet"), or how one starts ("When to call", "After your procedure"); never a
# word inside a list entry ("Anaesthetist", "Results clerk").
_USUAL_HEADINGS = re.compile(
    r"(?:follow[- ]?up|after ?care|discharge|contact(?: us| details| information)?|questions|warning signs|"
    r"emergencies|emergency|results|consent|an(?:a)?esthesia|medications|medicines|diet|activity|activities|"
    r"instructions|home care|notes?|costs?|insurance|what to expect)"
    r"|(?:when to|what to|how to|before|after|during|follow[- ]?up|caring for|care after|going home)\b.*",
    re.I,
)


_QUESTION_WORDS = frozenset("what when how why where who which".split())
# A line ending in one of these and a colon leads into a list ("Rare problems include:"); it heads no section.
_LEAD_IN_ENDS = frozenset("include includes including are is as following these have has be like follows below".split())
# A line with one of these is a sentence, not a heading ("Swimming is fine after 2 weeks").
_FINITE_VERBS = frozenset(
    "is are was were will would can could may might should must shall has have had does do did "
    "isn't aren't won't can't don't doesn't".split()
)
# Instructions start with one of these ("Wear loose trousers"); headings do not.
_IMPERATIVES = frozenset(
    "wear bring take avoid keep call stop start eat drink use rest walk go come remove tell ask arrange "
    "apply put let leave make try expect allow continue check contact".split()
)
# ... and these too start instructions written one a line ("Do not drive.", "Don't smoke.", "No lifting.").
INSTRUCTION_VERBS = _IMPERATIVES | frozenset(
    "do don't never no please change clean cover drive follow lie sit stand shower bathe wash plan "
    "read sign fill book return wait hold breathe swallow gargle rinse spit brush lift sleep raise "
    "place press ice remember make note skip".split()
)


def known_heading(text: str, *, numbered_inline: bool = False) -> tuple[str, str, str] | None:
    """(key, heading as written, inline value) when the line is one of the known headings.

    "1. Summary: text" is a numbered step, unless the file numbers its headings (`numbered_inline`).
    """
    if len(text) > 200 and ":" not in text[:60]:
        return None
    if text.startswith("#"):
        text = _CLOSING_HASHES.sub("", text)  # "## Summary ##"
    lead = text.lstrip("#*_0123456789.) ")[:_LONGEST_FIRST_WORD + 1].lower()
    if not lead.startswith(_HEADING_FIRST_WORDS_TUPLE):  # most lines: decided here, cheaply
        return None
    bare = _HEADING_DECORATION.sub("", text, count=1) if _HEADING_DECORATION.match(text) else text
    head, colon, rest = bare.partition(":")
    head = _EMPHASIS.sub("", head)  # "**Benefits**", "__Duration:__ 20 minutes"
    first = head.replace("&", " ").replace("/", " ").split(None, 1)[0].lower().rstrip(".") if head.strip() else ""
    if first not in _HEADING_FIRST_WORDS:  # "Summaryx" passed the cheap test above
        return None
    key = HEADINGS.get(_normal_heading(head))
    if key is None or (head.rstrip().endswith(".") and not head.lstrip()[:1].isupper()):
        return None  # "Preparation." is a heading; "setting." ends a sentence
    rest = _EMPHASIS.sub("", rest, count=1) if rest.lstrip().startswith(("**", "__")) else rest
    if rest.strip() and bare is not text and not text.lstrip().startswith("#") and not numbered_inline:
        return None
    return key, head.strip().rstrip(":.").strip(), rest.strip() if colon else ""


def _first_rule(heading: str) -> tuple[str, str, str] | None:
    """(key, rule, the alternative that matched) of the first lexicon rule a heading's words satisfy."""
    words = _words(normal_heading(heading))
    for key, rule in LEXICON:
        if found := _rule_matches(rule, words):
            return key, rule, found
    return None


def topical(heading: str) -> bool:
    """Does the heading name a topic (TOPICAL) rather than a moment of the procedure?"""
    first = _first_rule(heading)
    return first is not None and first[1] in TOPICAL


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:'[^\W_]+)?|\d+", text.lower().replace("\u2019", "'"))


def _rule_matches(rule: str, words: list[str]) -> str | None:
    """The alternative of `rule` ("a b / c d": a and b, or c and d) whose words are all in `words`."""
    for alternative in rule.split(" / "):
        if all(any(_word_matches(choice, words) for choice in needed.split("/")) for needed in alternative.split()):
            return alternative
    return None


def _word_matches(pattern: str, words: list[str]) -> bool:
    if pattern.endswith("*"):
        return any(w.startswith(pattern[:-1]) for w in words)
    if " " in pattern:
        return False
    return pattern in words


def heading_key(heading: str, own: dict[str, str] | None = None) -> str:
    """The section key a heading starts: the clinic's own phrasing ([headings] in leaflet.toml), the seed's
    headings, then the lexicon; "other" when nothing fits."""
    normal = normal_heading(heading)
    if own and normal in own:
        return own[normal]
    if normal in HEADINGS:
        return HEADINGS[normal]
    first = _first_rule(heading)
    return first[0] if first else OTHER


def lexicon_rule(heading: str) -> str | None:
    """The words of the lexicon rule that gives a heading its key ("why", "when call"), for `inspect --explain`."""
    first = _first_rule(heading)
    return first[2] if first else None


def normal_heading(heading: str) -> str:
    """A heading as the lexicon and [headings] compare it: lower case, marks and a final colon gone."""
    return _normal_heading(heading.strip("*_# ")) or clean(heading).lower()[:_MAX_HEADING]


def _normal_heading(text: str) -> str:
    if len(text) > _MAX_HEADING:
        return ""
    return clean(text.replace("&", " and ").replace("/", " and ")).lower().rstrip(":.").strip()


def capitals(text: str) -> bool:
    """Set in capitals: three letters or more, every one a capital ("WHY IT IS DONE:", "5 DAYS BEFORE")."""
    if not text.isupper():  # most lines: one C call decides
        return False
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def explicit_heading(text: str) -> str | None:
    """The heading of a line marked as one: "## Follow-up", "**Aftercare**"."""
    m = _MARKDOWN_HEADING.fullmatch(text)
    if m is None:
        m = EMPHASISED_LINE.fullmatch(text)
        if m is None or m.group("text").rstrip()[-1:] in ".!" or len(m.group("text").split()) > _MAX_QUESTION_WORDS + 4:
            return None  # "**Do not eat after midnight.**" is an instruction in bold, not a heading
    return clean(m.group("text")).rstrip(":").strip()


def usual_heading(text: str) -> bool:
    """A heading patient material often has beyond the 13 known ones, or a question: a heading even where
    the lines around it look like a list written one entry a line."""
    return text.endswith("?") or bool(_USUAL_HEADINGS.fullmatch(text.rstrip(":").strip()))


def heading_shape(text: str) -> bool:
    """Could this line be a heading the reader does not know ("Follow-up", "When should I call?")?

    Not a sentence that lacks its full stop: "Swimming is fine after 2 weeks", "Wear loose trousers".
    """
    question = text.endswith("?")
    words = text.split()
    if not text or len(text) > _MAX_HEADING or len(words) > _MAX_QUESTION_WORDS:
        return False
    in_capitals = capitals(text)
    if not (text.lstrip("\u00bf\u00a1")[:1].isupper() or in_capitals):  # "¿Cuándo debe consultar?", "5 DAYS BEFORE"
        return False
    if re.search(r"[.!;]$|[,;]", text):
        return False
    if in_capitals:
        # "WHY IT IS DONE:", "CALL US RIGHT AWAY IF YOU HAVE:": set as headings are, even before a list; not
        # an instruction in capitals ("DO NOT EAT OR DRINK").
        return words[0].lower() not in INSTRUCTION_VERBS or heading_key(text) == "warning"
    lowered = [w.lower() for w in words]
    if text.endswith(":") and lowered[-1].rstrip(":") in _LEAD_IN_ENDS:
        return False  # "Rare problems include:", "Clear liquids you can have:" lead into a list
    if heading_key(text) == "warning" and (len(words) <= _MAX_HEADING_WORDS or text.endswith(":") or lowered[-1] == "if"):
        return True  # "Call 911 if", "Call your doctor if you have:": the safety heading, however it ends
    if lowered[0] in _QUESTION_WORDS and len(words) <= _MAX_QUESTION_WORDS:
        return True  # "What you may feel", "How to care for your wound"
    if len(words) > _MAX_HEADING_WORDS and not question:
        return False
    usual = usual_heading(text)
    if text.endswith(":") and len(words) > _MAX_LABEL_WORDS and not usual:
        return False  # "Give pain medicine as follows:" leads into a list; it heads no section
    body = text[:-1] if text.endswith((":", "?")) else text
    if re.search(r"[.!?]$|[,;:]", body):
        return False
    if question or usual:
        return True
    if CONNECTIVE_END.search(body) or lowered[0] in _IMPERATIVES or _FINITE_VERBS.intersection(lowered):
        return False
    return True
