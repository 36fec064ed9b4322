"""The review guard, in-process: the fingerprint of what the patient reads, the review state read back from a
catalog's header (a reviewed catalog edited afterwards is a draft again), the record written by `leaflet review`,
and the problems of a record written by hand. Expectations are written out here, never taken from review.py."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from babel.messages.catalog import Catalog as BabelCatalog

from leaflet.catalogs import Catalog, read_catalog
from leaflet.errors import CatalogError
from leaflet.localize import Localized, Words
from leaflet.review import Review, checked_date, fingerprint, record, record_problem, review_of

BY, DATE, DIGEST, HEARD = "X-Reviewed-By", "X-Reviewed-Date", "X-Reviewed-Digest", "X-Reviewed-Pronunciation"


def catalog(*messages, reverse: bool = False) -> Catalog:
    """A French catalog of (id, string[, context[, flags]]) rows; a tuple id is a plural message."""
    made = Catalog(locale="fr", domain="hip")
    rows = list(reversed(messages)) if reverse else list(messages)
    for row in rows:
        ident, string, context, flags = (*row, None, ())[:4] if len(row) == 2 else (*row, ())[:4] if len(row) == 3 \
            else row
        made.add(ident, string, context=context, flags=flags)
    return made


BASE = (("Do not eat for 6 hours.", "Ne mangez pas pendant 6 heures."),
        ("Call {phone}.", "Appelez le {phone}."),
        ("Stop", "Arrêtez", "warning"),
        (("{count} tablet", "{count} tablets"), ("{count} comprimé", "{count} comprimés")))


def reviewed(*messages, pronunciation=None) -> Catalog:
    made = catalog(*messages)
    record(made, "Dr Ana Silva", "2024-03-05", pronunciation)
    return made


# --- the fingerprint ------------------------------------------------------------------------------------------

def test_the_fingerprint_is_the_one_every_recorded_review_holds():
    """A review's X-Reviewed-Digest is written into the clinics' catalogs: a fingerprint computed another way
    would turn every reviewed catalog into a draft (or, worse, match what it should not). Pinned values."""
    assert fingerprint(catalog(*BASE)) == "9ca4e9d0a9ae0f92"
    assert fingerprint(catalog(("Stop", "Arrêtez"))) == "ca72bc023979cb59"
    assert fingerprint(catalog(("Stop", ""))) == "023f5bc28376e568"
    assert fingerprint(catalog()) == "e3b0c44298fc1c14"  # sha256 of nothing: no message, no row


@pytest.mark.parametrize("changed", [
    (("Do not eat for 6 hours.", "Ne mangez pas pendant 8 heures."), *BASE[1:]),  # a translation edited
    (BASE[0], ("Call {phone}.", "Appelez le {phone}"), *BASE[2:]),  # one character
    (*BASE[:2], ("Stop", "Arrêtez", "heading"), BASE[3]),  # another context
    (*BASE[:2], ("Stop", "Arrêtez"), BASE[3]),  # no context
    (*BASE[:3], (("{count} tablet", "{count} tablets"), ("{count} comprimé", "{count} comprimé"))),  # plural form 2
    (*BASE[:3], (("{count} tablet", "{count} pills"), ("{count} comprimé", "{count} comprimés"))),  # msgid_plural
    (*BASE[:3], ("{count} tablet", "{count} comprimé")),  # no longer a plural
    (BASE[0], ("Call {phone}.", ""), *BASE[2:]),  # a translation removed
    (BASE[0], ("Call {phone}.", "   "), *BASE[2:]),  # blanked: white space is no translation
    (BASE[0], ("Call {phone}.", "Appelez le {phone}.", None, ("fuzzy",)), *BASE[2:]),  # made fuzzy
    BASE[1:],  # a message gone
    (*BASE, ("Rest.", "Reposez-vous.")),  # a message added
    (*BASE, ("Rest.", "")),  # an untranslated message added
])
def test_the_fingerprint_changes_with_whatever_the_patient_reads(changed):
    assert fingerprint(catalog(*changed)) != fingerprint(catalog(*BASE))


def test_an_untranslated_and_a_fuzzy_message_read_the_same_and_differ_from_any_translation():
    """Neither is used (the source stands in), so they are the same to the patient."""
    fuzzy = fingerprint(catalog(("Stop", "Arrêtez", None, ("fuzzy",))))
    assert fuzzy == fingerprint(catalog(("Stop", ""))) == fingerprint(catalog(("Stop", " \n")))
    assert fuzzy != fingerprint(catalog(("Stop", "untranslated")))


@pytest.mark.parametrize("forms", [("{count} comprimé", ""), ("", "{count} comprimés"), ("{count} comprimé", " ")])
def test_a_plural_with_a_form_left_blank_reads_as_untranslated(forms):
    """It is set aside whole (the source stands in for every number), so the patient reads the same as with no
    translation at all."""
    ids = ("{count} tablet", "{count} tablets")
    untranslated = fingerprint(catalog((ids, ("", ""))))
    assert fingerprint(catalog((ids, forms))) == untranslated
    assert fingerprint(catalog((ids, ("{count} comprimé", "{count} comprimés")))) != untranslated


def test_the_fingerprint_ignores_order_comments_flags_other_than_fuzzy_and_the_header():
    plain = fingerprint(catalog(*BASE))
    assert fingerprint(catalog(*BASE, reverse=True)) == plain
    noted = catalog(*BASE)
    noted.add("Call {phone}.", "Appelez le {phone}.", auto_comments=["TRANSLATORS: a phone"],
              user_comments=["checked"], locations=[("hip.txt", 4)], flags=("python-format",))
    noted.extra_headers["X-Generator"] = "Poedit 3.4"
    noted.extra_headers[BY] = "Someone"
    noted.project = "another"
    assert fingerprint(noted) == plain


def test_an_obsolete_entry_is_not_part_of_the_fingerprint():
    made = catalog(*BASE)
    made.obsolete["Old"] = made.get("Stop", context="warning").__class__("Old", "Vieux")
    assert fingerprint(made) == fingerprint(catalog(*BASE))


def test_one_message_cannot_be_shifted_into_its_neighbour_without_changing_the_fingerprint():
    """Separators between context, ids and strings: "a"+"bc" is not "ab"+"c"."""
    assert fingerprint(catalog(("ab", "c"))) != fingerprint(catalog(("a", "bc")))
    assert fingerprint(catalog(("a", "b", "c"))) != fingerprint(catalog(("ca", "b")))
    two = catalog(("a", "b"), ("c", "d"))
    assert fingerprint(two) != fingerprint(catalog(("a", "bc"), ("", "d")))


# --- the state read back --------------------------------------------------------------------------------------

def test_no_catalog_and_a_catalog_never_reviewed_are_drafts():
    assert review_of(None) == Review("draft", "", "", "")
    assert review_of(catalog(*BASE)) == Review("draft", "", "", "")
    assert review_of(catalog(*BASE), "abc") == Review("draft", "", "", "")
    plain = BabelCatalog(locale="fr")  # Babel's own, without the kept headers
    plain.add("Stop", "Arrêtez")
    assert review_of(plain) == Review()


def test_a_recorded_review_stands_while_nothing_changed():
    made = reviewed(*BASE)
    assert made.extra_headers == {BY: "Dr Ana Silva", DATE: "2024-03-05", DIGEST: "9ca4e9d0a9ae0f92"}
    assert review_of(made) == Review("reviewed", "Dr Ana Silva", "2024-03-05", "")
    assert review_of(made).reviewed
    made.add("Stop", "Arrêtez", context="warning", auto_comments=["a comment added after the review"])
    assert review_of(made) == Review("reviewed", "Dr Ana Silva", "2024-03-05")


@pytest.mark.parametrize("edit", [
    lambda c: setattr(c.get("Stop", context="warning"), "string", "Arrêtez tout"),
    lambda c: c.add("Rest.", "Reposez-vous."),
    lambda c: c.add("Rest.", ""),
    lambda c: c.delete("Call {phone}."),
    lambda c: setattr(c.get("Call {phone}."), "flags", {"fuzzy"}),
])
def test_a_reviewed_catalog_edited_afterwards_is_a_draft_again(edit):
    made = reviewed(*BASE)
    edit(made)
    state = review_of(made)
    assert state == Review("changed", "Dr Ana Silva", "2024-03-05", "")
    assert not state.reviewed
    assert state.describe() == "draft (changed since the review by Dr Ana Silva on 2024-03-05)"
    assert _localized(state).draft


def test_a_reviewed_po_file_edited_on_disk_is_a_draft_again(tmp_path):
    text = ('msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n'
            '"X-Reviewed-By: Dr Ana Silva\\n"\n"X-Reviewed-Date: 2024-03-05\\n"\n'
            '"X-Reviewed-Digest: ca72bc023979cb59\\n"\n\nmsgid "Stop"\nmsgstr "{}"\n')
    path = tmp_path / "hip.po"
    path.write_text(text.replace("{}", "Arrêtez"), encoding="utf-8")
    assert review_of(read_catalog(path)) == Review("reviewed", "Dr Ana Silva", "2024-03-05")
    path.write_text(text.replace("{}", "Continuez"), encoding="utf-8")
    assert review_of(read_catalog(path)) == Review("changed", "Dr Ana Silva", "2024-03-05")


def test_a_review_written_by_hand_without_a_digest_is_taken_as_the_header_says():
    made = catalog(*BASE)
    made.extra_headers.update({BY: "  Dr Ana Silva \t", DATE: " 2024-03-05 "})
    assert review_of(made) == Review("reviewed", "Dr Ana Silva", "2024-03-05")
    assert review_of(made, "0123abcd") == Review("reviewed", "Dr Ana Silva", "2024-03-05")  # no digest: no list check
    made.extra_headers[DIGEST] = "   "
    assert review_of(made, "0123abcd") == Review("reviewed", "Dr Ana Silva", "2024-03-05")


def test_a_review_written_by_hand_without_a_date_is_reviewed_by_its_reviewer_alone():
    made = catalog(*BASE)
    made.extra_headers[BY] = "Dr Ana Silva"
    assert review_of(made) == Review("reviewed", "Dr Ana Silva", "", "")
    assert review_of(made).describe() == "reviewed by Dr Ana Silva"


def test_a_digest_written_with_spaces_around_it_still_matches():
    made = reviewed(*BASE)
    made.extra_headers[DIGEST] = " 9ca4e9d0a9ae0f92 \t"
    assert review_of(made) == Review("reviewed", "Dr Ana Silva", "2024-03-05")
    made.extra_headers[DIGEST] = "9ca4e9d0a9ae0f93"
    assert review_of(made) == Review("changed", "Dr Ana Silva", "2024-03-05")


@pytest.mark.parametrize("by", ["", "   ", "\t"])
def test_a_record_without_a_reviewer_vouches_for_nothing(by):
    made = reviewed(*BASE)
    made.extra_headers[BY] = by
    assert review_of(made) == Review()
    del made.extra_headers[BY]
    assert review_of(made) == Review()


@pytest.mark.parametrize("field, value", [(BY, "Dr Ana\u200bSilva"), (BY, "x" * 121), (BY, "\u200b\u200c"),
                                          (DATE, "2024-02-30"), (DATE, "5 March 2024")])
def test_a_record_that_cannot_be_printed_as_it_stands_is_a_draft(field, value):
    made = reviewed(*BASE)
    made.extra_headers[field] = value
    assert review_of(made) == Review()


def test_the_pronunciation_list_the_review_heard_must_be_the_one_used_now():
    made = reviewed(*BASE, pronunciation="5f3a9c")
    assert made.extra_headers[HEARD] == "5f3a9c"
    assert review_of(made, "5f3a9c") == Review("reviewed", "Dr Ana Silva", "2024-03-05")
    assert review_of(made) == Review("reviewed", "Dr Ana Silva", "2024-03-05")  # not asked about the list
    changed = review_of(made, "5f3a9d")
    assert changed == Review("changed", "Dr Ana Silva", "2024-03-05", "the pronunciation list changed")
    assert changed.describe() == ("draft (changed since the review by Dr Ana Silva on 2024-03-05: the pronunciation"
                                  " list changed)")
    assert review_of(made, "none") == Review("changed", "Dr Ana Silva", "2024-03-05", "the pronunciation list changed")
    made.extra_headers[HEARD] = "  5f3a9c "
    assert review_of(made, "5f3a9c") == Review("reviewed", "Dr Ana Silva", "2024-03-05")


def test_a_review_recorded_before_lists_were_reviewed_does_not_vouch_for_the_guide():
    made = reviewed(*BASE)
    assert HEARD not in made.extra_headers
    assert review_of(made, "5f3a9c") == Review("changed", "Dr Ana Silva", "2024-03-05",
                                               "the pronunciation list was not part of the review")
    made.extra_headers[HEARD] = "  "
    assert review_of(made, "none").why == "the pronunciation list was not part of the review"


def test_a_changed_catalog_says_so_before_its_list_is_compared():
    made = reviewed(*BASE, pronunciation="5f3a9c")
    made.get("Stop", context="warning").string = "Arrêtez tout"
    assert review_of(made, "0000") == Review("changed", "Dr Ana Silva", "2024-03-05", "")


# --- the record ------------------------------------------------------------------------------------------------

def test_record_writes_the_reviewer_as_printed_and_nothing_else_when_no_list_is_given():
    made = catalog(*BASE)
    made.extra_headers["X-Generator"] = "Poedit"
    record(made, "  Dr   Ana  Silva ", "2024-03-05")
    assert made.extra_headers == {"X-Generator": "Poedit", BY: "Dr Ana Silva", DATE: "2024-03-05",
                                  DIGEST: "9ca4e9d0a9ae0f92"}
    record(made, "Jo", "2024-04-01", "none")
    assert made.extra_headers[HEARD] == "none"
    assert made.extra_headers[BY] == "Jo" and made.extra_headers[DATE] == "2024-04-01"


def test_record_refuses_a_name_that_cannot_be_printed_and_writes_nothing():
    made = catalog(*BASE)
    with pytest.raises(CatalogError, match="control characters"):
        record(made, "Ana\nX-Reviewed-Digest: 0", "2024-03-05")
    assert made.extra_headers == {}


def test_record_fingerprints_the_catalog_as_it_is_when_recorded():
    made = catalog(("Stop", "Arrêtez"))
    record(made, "Jo", "2024-03-05")
    assert made.extra_headers[DIGEST] == "ca72bc023979cb59"


# --- what is wrong with a record written by hand -----------------------------------------------------------------

def problem(**headers) -> str | None:
    made = catalog(*BASE)
    made.extra_headers.update(headers)
    return record_problem(made)


NAME_RULE = "X-Reviewed-By must be a name of at most 120 characters, with no control characters"


def test_a_sound_record_or_none_has_no_problem():
    assert problem() is None
    assert problem(**{BY: "Dr Ana Silva", DATE: "2024-03-05"}) is None
    assert problem(**{BY: " Dr Ana Silva ", DATE: " 2024-02-29 "}) is None  # a leap day
    assert problem(**{DATE: "2024-03-05"}) is None  # a date alone: no name to print
    assert problem(**{BY: "   ", DATE: ""}) is None
    assert problem(**{BY: "é" * 120}) is None
    assert problem(**{BY: "  " + "a" * 120 + "  "}) is None
    assert problem(**{BY: "Nguyễn Thị Hồng"}) is None
    assert record_problem(BabelCatalog(locale="fr")) is None


@pytest.mark.parametrize("by", ["Ana\nSilva", "Ana\x07", "Ana\u200bSilva", "Ana\u202eavliS", "\x00", "a" * 121,
                                "Ana\ue000"])
def test_a_name_with_control_characters_or_too_long_is_a_problem(by):
    assert problem(**{BY: by}) == NAME_RULE


def test_a_name_with_nothing_visible_or_a_tower_of_marks_is_a_problem():
    assert problem(**{BY: "\u3164\u3164"}) == ("X-Reviewed-By must be a name that can be printed: nothing visible in"
                                              " it (only invisible or zero-width characters)")
    assert problem(**{BY: "A" + "\u0301" * 5}) == ("X-Reviewed-By must be a name that can be printed: 5 combining marks"
                                                   " on one letter (at most 4): they would be drawn as a line through"
                                                   " the text")


@pytest.mark.parametrize("date", ["2024-02-30", "2023-02-29", "2024-13-01", "2024-3-5", "05-03-2024", "20240305",
                                  "2024-03-05x", "x2024-03-05", "2024-03-05\n1", "٢٠٢٤-٠٣-٠٥",
                                  "2024-W10-2", "2024-065"])
def test_a_date_that_is_not_a_real_yyyy_mm_dd_is_a_problem(date):
    assert problem(**{BY: "Jo", DATE: date}) == f"X-Reviewed-Date must be a date as YYYY-MM-DD, not {date!r}"


@pytest.mark.parametrize("date, says", [
    ("2024-3-5", "--date must be a date as YYYY-MM-DD, not '2024-3-5'"),
    ("20240305", "--date must be a date as YYYY-MM-DD, not '20240305'"),
    ("2024-02-30", "--date is not a real date: 2024-02-30"),
    ("2024-03-06", "--date 2024-03-06 is in the future"),
])
def test_a_review_date_given_on_the_command_line_is_held_to_the_same_form(date, says):
    with pytest.raises(CatalogError) as caught:
        checked_date(date, datetime.date(2024, 3, 5))
    assert caught.value.message == says
    assert checked_date("2024-03-05", datetime.date(2024, 3, 5)) == "2024-03-05"


def test_a_long_bad_date_is_quoted_cut_at_20_characters():
    assert problem(**{DATE: "March the fifth, 2024, in the afternoon"}) == \
        "X-Reviewed-Date must be a date as YYYY-MM-DD, not 'March the fifth, 202'"


def test_the_name_is_judged_before_the_date():
    assert problem(**{BY: "a" * 121, DATE: "nope"}) == NAME_RULE


# --- the state properties the build asks ---------------------------------------------------------------------------

def _localized(review: Review, *, is_source: bool = False) -> Localized:
    return Localized(domain="hip", locale="fr", lang="fr", title="t", lead=(), parts=(), staff=(), source_missing=0,
                     review=review, is_source=is_source, digest="0", words=Words(None, is_source), numbering="latn")


@pytest.mark.parametrize("state, is_reviewed", [("reviewed", True), ("changed", False), ("draft", False),
                                                ("Reviewed", False), ("", False)])
def test_only_a_review_that_stands_is_reviewed(state, is_reviewed):
    assert Review(state, "Jo", "2024-03-05").reviewed is is_reviewed


@pytest.mark.parametrize("state, is_source, draft", [
    ("draft", False, True), ("changed", False, True), ("reviewed", False, False),
    ("draft", True, False), ("reviewed", True, False), ("changed", True, False),
])
def test_a_translation_is_a_draft_until_its_review_stands_and_the_source_never_is(state, is_source, draft):
    assert _localized(Review(state, "Jo"), is_source=is_source).draft is draft


def test_a_review_is_a_value():
    assert dataclasses.replace(Review("reviewed", "Jo"), by="Al") == Review("reviewed", "Al")
