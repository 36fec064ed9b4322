"""Tables typed as text: "Medicine | What to do" rows, or columns lined up with tabs or runs of spaces.

Each row is one list item with its cells kept together, so that "Do not take them the morning of the procedure"
stays with its medicine; a header row ("Medicine | What to do") is the lead-in before the rows.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .lines import ITEM, MARK_ONLY, SENTENCE_END, Line, clean, join_cells

_PIPE_SEPARATOR = re.compile(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?")  # |---|:---:|
_SPACE_RUN = re.compile(r"\S(?: ?\S)*")  # a cell: words with single spaces between them
_MIN_GAP = 3  # spaces between two columns; prose has one or two
_ALIGN = 2  # columns may drift this many characters from row to row


def pipe_cells(line: Line) -> list[str] | None:
    """ "Warfarin | Stop 5 days before" -> its cells (leading and trailing bars aside)."""
    if "|" not in line.text:
        return None
    cells = [clean(c) for c in line.text.strip().strip("|").split("|")]
    return cells if len(cells) >= 2 and all(cells) else None


def column_cells(line: Line) -> list[tuple[int, str]] | None:
    """(column, cell) of a line typed in columns: cells split by a tab, or by three spaces or more."""
    if line.cells:
        return [(index, clean(cell)) for index, cell in enumerate(line.cells)]
    raw = line.raw
    if " " * _MIN_GAP not in raw.strip():
        return None
    cells = [(m.start(), m.group()) for m in re.finditer(r"\S+(?: {1,2}\S+)*", raw)]
    return cells if len(cells) >= 2 and not MARK_ONLY.fullmatch(cells[0][1]) else None


def _is_header(cells: list[str], rows: list[list[str]]) -> bool:
    """A first row of short labels ("Medicine", "What to do") above rows that say more."""
    short = all(len(c.split()) <= 4 and not SENTENCE_END.search(c) and not any(ch.isdigit() for ch in c) for c in cells)
    return short and any(len(c.split()) > 4 or SENTENCE_END.search(c) for row in rows for c in row)


def mark_tables(lines: list[Line], label) -> list[Line]:
    """The lines with every table row marked (`row`, its cells joined; a header row `paragraph`).

    A table is two or more consecutive lines with as many cells each: cells split by bars, or by tabs or runs of
    spaces that line up from row to row. A row whose first cell is a header label ("CPT code | 27035") is given
    as "label: value" for the header instead (`label(text)` says whether text is one).
    """
    out = list(lines)
    # Most lines have no bar, tab or gap that could split them into cells: only the others are looked at.
    starts = [i for i, line in enumerate(lines) if line.cells or "|" in line.text or "   " in line.raw]
    done = 0
    for index in starts:
        if index < done:
            continue
        run, kind = _table_at(lines, index)
        if len(run) < 2:
            continue
        rows = [cells for _, cells in run]
        header = _is_header(rows[0], rows[1:])
        for position, (line_index, cells) in enumerate(run):
            line = lines[line_index]
            if label(cells[0]) and len(cells) == 2:
                text = f"{cells[0].rstrip(':')}: {cells[1]}"
                out[line_index] = replace(line, raw=text, text=text, why=f"a {kind} table row with a header label")
            elif position == 0 and header:
                out[line_index] = replace(line, text=join_cells(cells), marked="paragraph", why=f"a {kind} table's header row")
            else:
                out[line_index] = replace(line, text=join_cells(cells), marked="row", why=f"a {kind} table row")
        rows_at = {i for i, _ in run}
        for separator in range(run[0][0], run[-1][0] + 1):
            if separator not in rows_at:
                out[separator] = replace(lines[separator], raw="", text="", why="a table's rule")
        done = run[-1][0] + 1
    return out


def _table_at(lines: list[Line], start: int) -> tuple[list[tuple[int, list[str]]], str]:
    first = lines[start]
    if first.marked or ITEM.fullmatch(first.raw):
        return [], ""
    if pipe_cells(first):
        return _pipe_run(lines, start), "bar-separated"
    return _column_run(lines, start), "column"


def _pipe_run(lines: list[Line], start: int) -> list[tuple[int, list[str]]]:
    run: list[tuple[int, list[str]]] = []
    width = len(pipe_cells(lines[start]) or ())
    for index in range(start, len(lines)):
        line = lines[index]
        if _PIPE_SEPARATOR.fullmatch(line.text):
            continue
        cells = pipe_cells(line) if not line.marked else None
        if cells is None or abs(len(cells) - width) > 0:
            break
        run.append((index, cells))
    return run


def _column_run(lines: list[Line], start: int) -> list[tuple[int, list[str]]]:
    first = column_cells(lines[start])
    if first is None:
        return []
    starts = [column for column, _ in first]
    run: list[tuple[int, list[str]]] = []
    for index in range(start, len(lines)):
        line = lines[index]
        cells = column_cells(line) if not line.marked and not ITEM.fullmatch(line.raw) else None
        if cells is None or len(cells) != len(starts):
            break
        tabbed = bool(line.cells)
        if not tabbed and any(abs(column - s) > _ALIGN for (column, _), s in zip(cells, starts)):
            break
        run.append((index, [cell for _, cell in cells]))
    return run
