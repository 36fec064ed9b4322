"""Translation memory's guard: a close match that may say the opposite is never offered."""

from __future__ import annotations

import pytest

from leaflet.memory import negation_differs


@pytest.mark.parametrize(
    "a, b",
    [
        ("Eat for 2 hours before the procedure.", "Do not eat for 2 hours before the procedure."),
        ("Resume activities gradually, avoiding strenuous exercise.", "Resume activities gradually, including strenuous exercise."),
        ("Do not eat before the procedure.", "Do not eat after the procedure."),
        ("It is necessary to fast.", "It is unnecessary to fast."),
        ("Numbness of the left hip.", "Numbness of the right hip."),
        ("Take the tablets with food.", "Take the tablets without food."),
        ("Start taking aspirin the next day.", "Stop taking aspirin the next day."),
        ("You can drive home.", "You can\u2019t drive home."),
    ],
)
def test_sentences_that_may_say_the_opposite(a, b):
    assert negation_differs(a, b) and negation_differs(b, a)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Bring a list of your medicines.", "Bring a list of your medicines and allergies."),
        ("Stop aspirin 7 days before.", "Stop aspirin 5 days before."),
        ("Do not eat after midnight.", "Do not eat or drink after midnight."),
        ("Most people go home the same day.", "Most people go home later the same day."),
        ("Go to the ward.", "Go into the ward."),
    ],
)
def test_sentences_that_only_say_more_or_other_details(a, b):
    assert not negation_differs(a, b)
