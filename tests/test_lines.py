"""Line breaks: the width a file was wrapped at, and whether a break was the author's or an editor's."""

from __future__ import annotations

import textwrap

from leaflet.reader.lines import Breaks, Line, clean, wrap_width

from conftest import SEED


def lines_of(text: str) -> list[Line]:
    return [Line(n, raw.rstrip(), clean(raw)) for n, raw in enumerate(text.splitlines(), start=1)]


PARAGRAPH = (
    "Hip joint denervation is a minimally invasive procedure that involves disrupting nerve signals from "
    "specific nerves to alleviate chronic hip pain. This is typically done using radiofrequency ablation."
)


def test_the_width_of_a_wrapped_file_is_measured():
    for width in (40, 60, 72):
        wrapped = "\n".join(textwrap.wrap(PARAGRAPH, width))
        measured = wrap_width(lines_of(wrapped))
        assert measured is not None and width - 8 <= measured <= width


def test_a_file_of_long_lines_is_not_wrapped():
    assert wrap_width(lines_of(SEED.read_text(encoding="utf-8"))) is None


def test_a_break_that_leaves_room_for_the_next_word_is_the_authors():
    text = "\n".join(textwrap.wrap(PARAGRAPH, 50)) + "\nLess pain\nBetter sleep\n"
    lines = lines_of(text)
    breaks = Breaks(lines)
    less, better = lines[-2], lines[-1]
    assert breaks.deliberate(less, better)
    assert all(breaks.continues(a, b) for a, b in zip(lines[:-3], lines[1:-2]))
