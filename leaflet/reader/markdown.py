"""Markdown (CommonMark, with GFM tables) -> the lines the text reader reads."""
from __future__ import annotations

from .lines import Line
from .text import text_lines
from .textfile import decode


def lines(data: bytes, where: str) -> list[Line]:
    return text_lines(decode(data, where))  # placeholder until the CommonMark reader lands
