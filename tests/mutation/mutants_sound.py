"""Mutants of the loudness and true-peak correction of each audio step, and of the list reader's rules (a line
of its own, a lead-in, a nested item, a line cut after a joining word, a line after a list item). See run.py."""

GUARDS = {
    "loudness": ("leaflet.render.steps.x_make_ready", "leaflet.render.sound.x_normalize", "leaflet.render.sound.x__limit",
                 "leaflet.render.sound.x__limiter_gain", "leaflet.render.sound.x__stretches",
                 "leaflet.render.sound.x_true_peak", "leaflet.render.sound.x__near_peaks",
                 "leaflet.render.sound.x__interpolated_peak", "leaflet.render.sound.x__gated"),
    "list-reader": ("leaflet.reader.lines.x_bare_short", "leaflet.reader.lines.x_wrap_width",
                    "leaflet.reader.lines.xǁBreaksǁ__init__", "leaflet.reader.lines.xǁBreaksǁcontinues",
                    "leaflet.reader.lines.xǁBreaksǁcut", "leaflet.reader.lines.xǁBreaksǁdeliberate",
                    "leaflet.reader.text.xǁ_Parserǁ_entry_a_line", "leaflet.reader.text.xǁ_Parserǁ_after_list"),
}

# (guard, name, file, old text, new text, tests that must fail)
_LOUDNESS = ("tests/guards/test_guard_loudness.py",)
_LISTS = ("tests/guards/test_guard_list_reader.py",)
_CONNECTIVES = ("tests/guards/test_guard_connective_case.py",)
_SOUND, _STEPS, _LINES, _TEXT = ("leaflet/render/sound.py", "leaflet/render/steps.py", "leaflet/reader/lines.py",
                                 "leaflet/reader/text.py")


def _moved(guard: str, path: str, name: str, value: str, others: tuple[str, ...], tests: tuple[str, ...],
           end: str = " "):
    """One mutant per other value of a module-level limit `name = value`, followed by `end` (the space before
    its comment, or the end of the line)."""
    return tuple((guard, f"{name} {value} -> {other}", path, f"\n{name} = {value}{end}", f"\n{name} = {other}{end}",
                  tests) for other in others)


MANUAL = (
    *_moved("loudness", _SOUND, "TARGET_LUFS", "-19.0", ("-20.0", "-18.0"), _LOUDNESS),
    *_moved("loudness", _SOUND, "PEAK_CEILING_DBTP", "-1.0", ("-0.5", "-1.5"), _LOUDNESS, "\n"),
    *_moved("loudness", _SOUND, "LIMIT_DBFS", "-2.5", ("-2.0", "-3.0"), _LOUDNESS, "\n"),
    *_moved("loudness", _SOUND, "MP3_LOUDNESS_LOSS", "0.4", ("0.0", "0.8"), _LOUDNESS, "\n"),
    *_moved("loudness", _SOUND, "ABSOLUTE_GATE", "-70.0", ("-69.0", "-71.0"), _LOUDNESS, "\n"),
    *_moved("loudness", _SOUND, "RELATIVE_GATE", "-10.0", ("-9.0", "-11.0"), _LOUDNESS, "\n"),
    *_moved("loudness", _STEPS, "PEAK_MARGIN", "0.2", ("0.0", "0.4"), _LOUDNESS),
    *_moved("loudness", _STEPS, "ROUNDS", "4", ("3", "5"), _LOUDNESS),
    *_moved("list-reader", _LINES, "SHORT_LINE", "50", ("35", "65", "49", "51"), _LISTS),
    *_moved("list-reader", _LINES, "_MIN_WRAP", "30", ("25", "35"), _LISTS),
    *_moved("list-reader", _LINES, "_MAX_WRAP", "100", ("90", "110"), _LISTS),
    *_moved("list-reader", _LINES, "_SLACK", "8", ("4", "12"), _LISTS),
    ("list-reader", "the lead-in rule off (a line ending in a colon leads into no entry)", _TEXT,
     'return prev.text.endswith(":") or bare_short(', "return bare_short(", _LISTS),
    ("list-reader", "a lead-in's entries not items", _TEXT, 'lead_in = prev.text.endswith(":")', "lead_in = False",
     _LISTS),
    ("list-reader", "a line after a lead-in may head a section", _TEXT,
     'return None  # "The team will include:" leads into a list', 'pass  # "The team will include:" leads into a list',
     _LISTS),
    ("list-reader", "a bullet nested only 2 spaces deeper", _TEXT, "level = 1 if indent > list_indent else 0",
     "level = 1 if indent > list_indent + 1 else 0", _LISTS),
    ("list-reader", "a line cut after \"must\" ends there", _LINES, "should|must|your", "should|your", _CONNECTIVES),
    ("list-reader", "a line cut after an en dash ends there", _LINES, r"[,(\-\u2013/&]", r"[,(\-/&]", _CONNECTIVES),
    ("loudness", "the relative gate from every block, pauses too", _SOUND, "loud = power[block_lufs >= ABSOLUTE_GATE]",
     "loud = power", _LOUDNESS),
    ("loudness", "no relative gate", _SOUND, "kept = power[(block_lufs > relative) & (block_lufs > ABSOLUTE_GATE)]",
     "kept = power[block_lufs > ABSOLUTE_GATE]", _LOUDNESS),
    ("loudness", "blocks under -70 kept when over the relative gate", _SOUND,
     "kept = power[(block_lufs > relative) & (block_lufs > ABSOLUTE_GATE)]", "kept = power[block_lufs > relative]",
     _LOUDNESS),
)

TABLES = ()
