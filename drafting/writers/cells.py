"""Blocks that stand in table cells, grouped back into tables for the writers that rebuild
them (Markdown, HTML, Word): each item carries its cell's place (Block.cell), and items of
the same cell in a row are consecutive, nested tables inside the cell that holds them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ..model import Block, CellPlace

T = TypeVar("T")


@dataclass
class CellNode(Generic[T]):
    place: CellPlace
    content: list[T | TableNode[T]] = field(default_factory=list)

    def items(self) -> Iterator[T]:
        for part in self.content:
            if isinstance(part, TableNode):
                yield from part.items()
            else:
                yield part


@dataclass
class TableNode(Generic[T]):
    number: int
    rows: list[list[CellNode[T]]] = field(default_factory=list)

    def add(self, place: CellPlace) -> CellNode[T]:
        """The next cell; a new row when the row changes or the cell number does not go
        on (a redline's deleted row followed by the row now in its place)."""
        if not self.rows or self.rows[-1][0].place.row != place.row or \
                place.cell <= self.rows[-1][-1].place.cell:
            self.rows.append([])
        cell: CellNode[T] = CellNode(place)
        self.rows[-1].append(cell)
        return cell

    def grid(self) -> Iterator[tuple[int, int, CellNode[T], int, int]]:
        """(row index, grid column, cell, columns, rows) of each cell that shows, from 0:
        a cell merged into the one above ("continue") is left out and counted in the rows
        of the cell that starts the merge. Linear in the cells: the rows each merge goes
        down are counted once, from the bottom up (a scan down from every "restart" was
        quadratic in the rows of a long merge)."""
        columns = [self._columns(row) for row in self.rows]
        below: dict[int, int] = {}  # grid column -> "continue" cells from the next row down
        downs: list[dict[int, int]] = [below] * len(self.rows)
        for r in range(len(self.rows) - 1, -1, -1):
            downs[r] = below
            below = {c: below.get(c, 0) + 1 for c, cell in zip(columns[r], self.rows[r],
                                                                   strict=True)
                     if cell.place.merge == "continue"}
        for r, row in enumerate(self.rows):
            for column, cell in zip(columns[r], row, strict=True):
                if cell.place.merge == "continue":
                    continue
                down = 1 + downs[r].get(column, 0) if cell.place.merge == "restart" else 1
                yield r, column, cell, cell.place.span, down

    @staticmethod
    def _columns(row: list[CellNode[T]]) -> list[int]:
        out, column = [], 0
        for cell in row:
            out.append(column)
            column += cell.place.span
        return out

    def width(self) -> int:
        """Grid columns: the widest row's."""
        return max((sum(c.place.span for c in row) for row in self.rows), default=0)

    def items(self) -> Iterator[T]:
        """Every item in the table, nested tables' too, in order."""
        for row in self.rows:
            for cell in row:
                yield from cell.items()


def _same_cell(a: CellPlace, b: CellPlace) -> bool:
    return a.table == b.table and a.row == b.row and a.cell == b.cell


def group(items: Sequence[T], place_of: Callable[[T], CellPlace | None]
          ) -> list[T | TableNode[T]]:
    """Items outside tables as they are; each run of items in one table as a TableNode."""
    out: list[T | TableNode[T]] = []
    open_: list[tuple[TableNode[T], CellNode[T]]] = []  # outermost first
    for item in items:
        place = place_of(item)
        if place is None and not open_:
            out.append(item)
            continue
        chain = place.chain() if place else ()
        depth = 0
        while depth < min(len(open_), len(chain)) and _same_cell(open_[depth][1].place,
                                                                 chain[depth]):
            depth += 1
        if depth < min(len(open_), len(chain)) and open_[depth][0].number == chain[depth].table:
            table = open_[depth][0]  # the same table, the next cell
            del open_[depth:]
            open_.append((table, table.add(chain[depth])))
            depth += 1
        else:
            del open_[depth:]
        for inner in chain[depth:]:
            table = TableNode(inner.table)
            (open_[-1][1].content if open_ else out).append(table)
            open_.append((table, table.add(inner)))
        (open_[-1][1].content if open_ else out).append(item)
    return out


def blocks(doc_blocks: Sequence[Block]) -> list[Block | TableNode[Block]]:
    return group(doc_blocks, lambda b: b.cell)
