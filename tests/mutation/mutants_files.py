"""Mutants of the file and state guards: the review fingerprint and draft state, the draft notice and its language
tags, the atomic write, and the path checks of the output folder. See run.py."""

GUARDS = {
    "review": ("leaflet.review.x_fingerprint", "leaflet.review.x_review_of", "leaflet.review.x_record_problem",
               "leaflet.review.x_record"),
    "draft-notice": ("leaflet.render.pdf.x__draft_notice", "leaflet.guide.xǁ_Sayerǁsentence",
                     "leaflet.guide.xǁ_Sayerǁphrase"),
    "atomic-write": ("leaflet.fsutil.x_atomic_write", "leaflet.fsutil.x__write", "leaflet.fsutil.x__temporary",
                     "leaflet.fsutil.x_write_if_changed"),
    "output-folder": ("leaflet.fsutil.x__below", "leaflet.fsutil.x__step", "leaflet.build.x__apart",
                      "leaflet.manifest.x_begun_as_leaflets"),
}

# (guard, name, file, old text, new text, tests that must fail). mutmut leaves decorated functions alone
# (Review.reviewed and Localized.draft are properties, fsutil.open_folder a context manager): mutants of theirs are here.
MANUAL = ()

TABLES = ()
