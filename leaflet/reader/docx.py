"""Word documents (.docx) -> the lines the text reader reads."""
from __future__ import annotations

from ..errors import SourceError
from .lines import Line


def lines(data: bytes, where: str) -> list[Line]:
    raise SourceError("Word documents (.docx) cannot be read yet", where=where)
