"""Mutants of the file and state guards: the review fingerprint and draft state, the draft notice and its language
tags, the atomic write and the limited read, and the path checks of the output folder. See run.py."""

GUARDS = {
    "review": ("leaflet.review.x_fingerprint", "leaflet.review.x_review_of", "leaflet.review.x_record_problem",
               "leaflet.review.x_record"),
    "draft-notice": ("leaflet.render.pdf.x__draft_notice", "leaflet.guide.xǁ_Sayerǁsentence",
                     "leaflet.guide.xǁ_Sayerǁphrase"),
    "atomic-write": ("leaflet.fsutil.x_atomic_write", "leaflet.fsutil.x__write", "leaflet.fsutil.x__temporary",
                     "leaflet.fsutil.x_write_if_changed"),
    "output-folder": ("leaflet.fsutil.x__below", "leaflet.fsutil.x__step", "leaflet.fsutil.x__opened",
                      "leaflet.fsutil.x_planted", "leaflet.build.x__apart", "leaflet.build.x__within",
                      "leaflet.manifest.x_begun_as_leaflets", "leaflet.manifest.x__sound"),
}

# (guard, name, file, old text, new text, tests that must fail). mutmut leaves decorated functions alone
# (Review.reviewed and Localized.draft are properties, fsutil.open_folder a context manager): mutants of theirs are here.
REVIEW = ("tests/guards/test_guard_review.py",)
NOTICE = ("tests/guards/test_guard_draft_notice.py",)
WRITE = ("tests/guards/test_guard_atomic_write.py",)
FOLDER = ("tests/guards/test_guard_output_folder.py",)
_STATE = "        return self.state == \"reviewed\""
_DRAFT = "        return not self.is_source and not self.review.reviewed"
_OPENING = "_OPENING = re.compile(rb'\\s*\\{\\s*\"(?:manifest|generator)\"\\s*:')"
_TEMPORARY = """    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    while True:
        tmp = f".{path.name}.{secrets.token_hex(4)}.tmp\""""

MANUAL = (
    ("review", "a review changed since is still reviewed", "leaflet/review.py", _STATE,
     "        return self.state != \"draft\"", REVIEW),
    ("review", "a named reviewer is enough", "leaflet/review.py", _STATE, "        return bool(self.by)", REVIEW),
    ("review", "the source text is a draft", "leaflet/localize.py", _DRAFT,
     "        return not self.review.reviewed", REVIEW),
    ("review", "no translation is a draft", "leaflet/localize.py", _DRAFT, "        return not self.is_source", REVIEW),
    ("review", "a translation is a draft only if never reviewed", "leaflet/localize.py", _DRAFT,
     "        return not self.is_source and self.review.state == \"draft\"", REVIEW),
    ("review", "draft: or for and", "leaflet/localize.py", _DRAFT,
     "        return not self.is_source or not self.review.reviewed", REVIEW),
    ("review", "MAX_NAME + 1", "leaflet/review.py", "MAX_NAME = 120", "MAX_NAME = 121", REVIEW),
    ("review", "MAX_NAME - 1", "leaflet/review.py", "MAX_NAME = 120", "MAX_NAME = 119", REVIEW),
    ("review", "a date of one-digit month and day", "leaflet/review.py", r'_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")',
     r'_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")', REVIEW),
    ("review", "any date Python reads (20240305, 2024-W10-2)", "leaflet/review.py",
     r'_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")', r'_DATE = re.compile(r".+")', REVIEW),
    ("review", "the digest under another header", "leaflet/review.py", 'REVIEWED_DIGEST = "X-Reviewed-Digest"',
     'REVIEWED_DIGEST = "X-Reviewed-Fingerprint"', REVIEW),
    ("review", "the list's digest under another header", "leaflet/review.py",
     'REVIEWED_PRONUNCIATION = "X-Reviewed-Pronunciation"', 'REVIEWED_PRONUNCIATION = "X-Reviewed-List"', REVIEW),
    ("draft-notice", "the source leaflet has the notice", "leaflet/render/pdf.py", "    if doc.draft:",
     "    if not doc.review.reviewed:", NOTICE),
    ("draft-notice", "a translation changed since its review has no notice", "leaflet/render/pdf.py",
     "    if doc.draft:", "    if doc.draft and doc.review.state == \"draft\":", NOTICE),
    ("draft-notice", "no draft notice", "leaflet/render/pdf.py", "    if doc.draft:", "    if False:", NOTICE),
    ("draft-notice", "a shorter pause after a sentence", "leaflet/guide.py", "SENTENCE_PAUSE = 0.6",
     "SENTENCE_PAUSE = 0.5", NOTICE),
    ("draft-notice", "an untranslated draft notice said by the locale's voice", "leaflet/guide.py",
     "self.words.is_fallback(text):", "self.words.is_fallback(text) and text != wording.DRAFT_NOTICE:", NOTICE),
    ("atomic-write", "written in place (a failed rewrite deletes the old file)", "leaflet/fsutil.py", _TEMPORARY,
     _TEMPORARY.replace("os.O_EXCL | os.O_NOFOLLOW", "os.O_TRUNC").replace(
         'f".{path.name}.{secrets.token_hex(4)}.tmp"', "path.name"), WRITE),
    ("atomic-write", "outputs left at mode 0600", "leaflet/fsutil.py", "os.open(tmp, flags, 0o666, dir_fd=folder)",
     "os.open(tmp, flags, 0o600, dir_fd=folder)", WRITE),
    ("atomic-write", "a temporary name not hidden", "leaflet/fsutil.py", 'tmp = f".{path.name}.',
     'tmp = f"{path.name}.', WRITE),
    ("atomic-write", "a file over the limit cut at it, not refused", "leaflet/fsutil.py",
     "data = file.read(limit + 1)", "data = file.read(limit)", WRITE),
    ("output-folder", "open_folder leaves its folder open", "leaflet/fsutil.py",
     "        yield fd\n    finally:\n        os.close(fd)", "        yield fd\n    finally:\n        pass", FOLDER),
    ("output-folder", "open_folder forgets OUT (links under it followed)", "leaflet/fsutil.py",
     "    fd = _opened(path, inside)", "    fd = _opened(path, None)", FOLDER),
    ("output-folder", "a manifest's opening without its leading white space", "leaflet/manifest.py", _OPENING,
     _OPENING.replace("rb'\\s*\\{", "rb'\\{"), FOLDER),
    ("output-folder", "a manifest's opening: any first key", "leaflet/manifest.py", _OPENING,
     _OPENING.replace('(?:manifest|generator)', '\\w+'), FOLDER),
    ("output-folder", "a manifest's opening: manifest alone", "leaflet/manifest.py", _OPENING,
     _OPENING.replace('(?:manifest|generator)', 'manifest'), FOLDER),
    ("output-folder", "a manifest's opening: generator alone", "leaflet/manifest.py", _OPENING,
     _OPENING.replace('(?:manifest|generator)', 'generator'), FOLDER),
    ("output-folder", "a manifest's opening without its colon", "leaflet/manifest.py", _OPENING,
     _OPENING.replace('"\\s*:', '"'), FOLDER),
    ("output-folder", "a manifest's opening case-blind", "leaflet/manifest.py", _OPENING,
     _OPENING.replace(":')", ":', re.I)"), FOLDER),
)

# The area's tables are not strings of entries (the limits and patterns above are mutated by hand instead).
TABLES = ()
