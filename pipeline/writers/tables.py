"""How wide a table's columns are and the size its text takes, from the texts in them.

A column is as wide as its longest text (its header's included, so a header stays on one
line) plus one and a half characters: the cell's margins, and room for a font wider than
the character grid (a stand-in font wraps the last character otherwise). The text takes the largest of 四号, 小四 and
五号 at which every column fits the width; the room left over is shared in proportion. A
table too wide even at 五号 keeps the columns that must not wrap — 序号, figures and other
numbers, whose "1.02万元" would break into "1.02万/元" — as wide as their texts, and wraps
the longest texts of the others first, never a header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.shared import Length, Pt

from ..model import FigureText, Table, plain
from .text import text_width

SIZES = (14, 12, 10.5)               # 四号, 小四, 五号: points
SLACK = 1.5                          # characters added to each column's longest text
SERIAL = "序号"
# A cell holding a bare number ("1,200", "97.5%") is printed like a figure: kept whole.
NUMBER = re.compile(r"[-+]?\d[\d,]*(\.\d+)?%?")


@dataclass(frozen=True)
class TableLayout:
    size: float                      # points, one of SIZES
    widths: list[Length]             # one per column, summing to the width given


def is_number(content) -> bool:
    """Whether a cell holds a figure or a bare number: printed right-aligned, never wrapped."""
    return bool(content) and (all(isinstance(span, FigureText) for span in content)
                              or bool(NUMBER.fullmatch(plain(content))))


def table_layout(table: Table, width: Length) -> TableLayout:
    """The text size and column widths of `table` printed `width` wide."""
    columns = list(zip(table.header, *table.rows))
    needs = [max([text_width(header)] + [text_width(plain(cell)) for cell in cells]) + SLACK
             for header, *cells in columns]
    for size in SIZES:
        if sum(needs) * Pt(size) <= width:
            return TableLayout(size, _shared(needs, width))
    size = SIZES[-1]
    whole = [header == SERIAL or all(is_number(cell) for cell in cells if cell)
             for header, *cells in columns]
    room = width / Pt(size) - sum(need for need, kept in zip(needs, whole) if kept)
    floors = [text_width(header) + SLACK for header in table.header]
    cap = _cap([(need, floor) for need, floor, kept in zip(needs, floors, whole) if not kept], room)
    fitted = [need if kept else max(floor, min(need, cap))
              for need, floor, kept in zip(needs, floors, whole)]
    return TableLayout(size, _shared(fitted, width))


def _cap(columns: list[tuple[float, float]], room: float) -> float:
    """The widest a wrapping column may be (in characters) so that the columns, each its
    own width up to the cap but not below its header's, fill `room`."""
    cap = max((need for need, _ in columns), default=0)
    step = 0.5
    while cap > step and sum(max(floor, min(need, cap)) for need, floor in columns) > room:
        cap -= step
    return cap


def _shared(needs: list[float], width: Length) -> list[Length]:
    """Widths summing to `width`, each in proportion to its need."""
    return [Length(round(width * need / sum(needs))) for need in needs]
