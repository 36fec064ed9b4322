"""Mutants of the loudness and true-peak correction of each audio step, and of the list reader's rules (a line
of its own, a lead-in). See run.py."""

GUARDS = {
    "loudness": ("leaflet.render.steps.x_make_ready", "leaflet.render.sound.x_normalize", "leaflet.render.sound.x__limit",
                 "leaflet.render.sound.x__limiter_gain", "leaflet.render.sound.x__stretches",
                 "leaflet.render.sound.x_true_peak", "leaflet.render.sound.x__near_peaks",
                 "leaflet.render.sound.x__interpolated_peak", "leaflet.render.sound.x__gated"),
}

# (guard, name, file, old text, new text, tests that must fail)
MANUAL = ()

TABLES = ()
