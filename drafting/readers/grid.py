"""A budget on the tables a file from outside declares, shared by the Markdown and Word
readers. Writers build every grid cell of a table (python-docx makes a w:tc for each, the
HTML writer a cell), so a small file that declares long rows of wide spans costs work in
proportion to its grid, not to its bytes: 2,000 lines of `{table 1 row N cell 1 span 99}`
(78 KB) made `draft export` run for minutes.

The limits: at most MAX_COLUMNS grid columns in a row (Word's own limit is 63 columns),
at most MAX_GRID_CELLS grid cells (rows x grid columns, over all the tables of a document:
some 200 times a 50-row, 10-column schedule), and tables nested at most MAX_DEPTH deep.
A file just under them is exported in about two seconds (bench/hostile_bench.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import DraftingError
from ..model import Block

MAX_COLUMNS = 63
MAX_GRID_CELLS = 100_000
MAX_DEPTH = 32


class _Table:
    __slots__ = ("cell", "row", "rows", "wide", "width")

    def __init__(self) -> None:
        self.row = self.cell = -1  # the last cell met
        self.rows = 0
        self.width = 0  # grid columns of the row so far
        self.wide = 0  # of the widest row


def check(blocks: Iterable[Block], source: str | Path | None = None) -> None:
    """Refuse, with one line naming the limit, blocks whose tables go over it. Rows and
    columns are counted as the writers group cells (writers/cells.py): a row starts where
    the row number changes or the cell number does not go up."""
    tables: dict[tuple[int, int], _Table] = {}  # by (depth, table number)
    cells = 0
    for block in blocks:
        if block.cell is None:
            continue
        chain = block.cell.chain()
        if len(chain) > MAX_DEPTH:
            raise too_deep(source)
        for depth, place in enumerate(chain):
            table = tables.setdefault((depth, place.table), _Table())
            if (place.row, place.cell) == (table.row, table.cell):
                continue  # another block of the same cell
            before = table.rows * table.wide
            if place.row != table.row or place.cell <= table.cell:
                table.rows += 1
                table.width = 0
            table.row, table.cell = place.row, place.cell
            table.width += place.span
            if table.width > MAX_COLUMNS:
                raise DraftingError(f"refused: row {place.row} of table {place.table} spans "
                                    f"more than {MAX_COLUMNS} grid columns (Word's limit)",
                                    source)
            table.wide = max(table.wide, table.width)
            cells += table.rows * table.wide - before
            if cells > MAX_GRID_CELLS:
                raise DraftingError(f"refused: tables of more than {MAX_GRID_CELLS} grid "
                                    "cells (rows x columns)", source)


def too_deep(source: str | Path | None) -> DraftingError:
    return DraftingError(f"refused: tables nested more than {MAX_DEPTH} deep (the readers' "
                         "limit)", source)
