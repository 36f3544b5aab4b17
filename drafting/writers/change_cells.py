"""Where each block change of a table stands in a redline's one table, which shows the old
and the new rows together: a row kept (some block in it is in both versions) is one row,
its deleted blocks in the cells they had; a row only the older version has is a deleted
row of its own, after the kept row it followed. The comparison lists a changed cell as a
deletion and an insertion wherever the alignment put them; placed here, the two stand in
their cell, and when a cell holds nothing else they are one paragraph with the old text
deleted and the new inserted, as Word shows an edited cell.

Only the outermost table is placed so; nested tables keep their own places, in the cell
that holds them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..model import CHANGED, DELETE, DELETED, INSERT, INSERTED, BlockChange, CellPlace, Op


@dataclass(frozen=True, slots=True)
class Placed:
    index: int  # the change's position in the comparison
    change: BlockChange
    place: CellPlace | None  # where it stands in the redline (None: outside tables)
    merged: tuple[tuple[int, BlockChange], ...] = ()  # an edited cell's deletion, insertion

    @property
    def parts(self) -> tuple[tuple[int, BlockChange], ...]:
        """(position in the comparison, change) of what it shows: itself, or the deletion
        and the insertion an edited cell's one change was made of. A part that is half of
        a change (the deletion or insertion of a block that changed cell) has that side
        only: the comments it shows are those on that side's words."""
        return self.merged or ((self.index, self.change),)


def _top(place: CellPlace) -> CellPlace:
    return place.chain()[0]


def _with_top(place: CellPlace, top: CellPlace) -> CellPlace:
    return top if place.outer is None else replace(place, outer=_with_top(place.outer, top))


def _old_cell(change: BlockChange) -> CellPlace | None:
    return change.old.cell if change.in_old and change.old is not None else None


def _new_cell(change: BlockChange) -> CellPlace | None:
    return change.new.cell if change.in_new and change.new is not None else None


def placed(items: Sequence[tuple[int, BlockChange]]) -> list[Placed]:
    """The changes in the order the redline shows them, each with its place."""
    items = [part for index, change in items for part in (
        _halves(index, change) if change.in_old and change.in_new and change.old is not None
        and change.new is not None and (change.old.cell is None) != (change.new.cell is None)
        else [(index, change)])]  # moved into or out of a table
    out: list[Placed] = []
    k, number = 0, 0
    while k < len(items):
        if items[k][1].block.cell is None:
            out.append(Placed(items[k][0], items[k][1], None))
            k += 1
            continue
        table, after, k = _table_items(items, k)
        number += 1
        out.extend(_table(table, number))
        out.extend(Placed(index, change, None) for index, change in after)
    return out


def _table_items(items: Sequence[tuple[int, BlockChange]], start: int
                 ) -> tuple[list[tuple[int, BlockChange]], list[tuple[int, BlockChange]], int]:
    """The changes of the table that starts at `start`, the paragraphs only one version
    has that the comparison put between its rows (each version's table is whole, so
    they stand after it), and where the table ends."""
    table: list[tuple[int, BlockChange]] = []
    after: list[tuple[int, BlockChange]] = []
    tables: list[int | None] = [None, None]
    k = start
    while True:
        end, tables = _table_end(items, k, tables)
        table.extend(items[k:end])
        gap = end
        while gap < len(items) and items[gap][1].block.cell is None and \
                items[gap][1].in_old != items[gap][1].in_new:
            gap += 1
        if gap == end or gap == len(items) or items[gap][1].block.cell is None or \
                _table_end(items, gap, tables)[0] == gap:
            return table, after, end
        after.extend(items[end:gap])
        k = gap


def _table_end(items: Sequence[tuple[int, BlockChange]], start: int,
               tables: list[int | None]) -> tuple[int, list[int | None]]:
    """The end of the run of changes in the table that starts at `start`: it goes on
    while either version's table number does (or is first seen), from `tables`."""
    k = start
    while k < len(items) and items[k][1].block.cell is not None:
        sides = (_old_cell(items[k][1]), _new_cell(items[k][1]))
        numbers = [_top(s).table if s else None for s in sides]
        if (k > start or tables != [None, None]) and not any(
                n is not None and t in (None, n)
                for n, t in zip(numbers, tables, strict=True)):
            break
        tables = [n if n is not None else t for n, t in zip(numbers, tables, strict=True)]
        k += 1
    return k, tables


def _table(items: Sequence[tuple[int, BlockChange]], number: int) -> list[Placed]:
    rows: dict[int, int] = {}  # old row -> new row, where a block is in both
    for _, change in items:
        old, new = _old_cell(change), _new_cell(change)
        if old and new and _top(old).cell == _top(new).cell and \
                _top(old).row not in rows and all(_top(new).row > r for r in rows.values()):
            rows[_top(old).row] = _top(new).row
    _pair_rows(items, rows)
    items = [part for index, change in items for part in _split(index, change, rows)]
    new_cells = {(_top(n).row, _top(n).cell): _top(n) for _, ch in items
                 if (n := _new_cell(ch)) is not None}
    keyed = []
    for order, (index, change) in enumerate(items):
        place = change.block.cell
        assert place is not None
        top = _top(place)
        if change.in_new:
            key = (top.row, 0, 0)
        elif top.row in rows:
            key = (rows[top.row], 0, 0)
            top = new_cells.get((rows[top.row], top.cell), top)
        else:
            after = max((s for r, s in rows.items() if r < top.row), default=0)
            key = (after, 1, top.row)
        keyed.append((key, top.cell, order, index, change, place, top))
    keyed.sort(key=lambda x: x[:3])
    ranks = {key: n for n, key in enumerate(sorted({x[0] for x in keyed}), 1)}
    out = [Placed(index, change, _with_top(place, replace(top, table=number, row=ranks[key])))
           for key, _, _, index, change, place, top in keyed]
    return _one_paragraph_cells(out)


def _pair_rows(items: Sequence[tuple[int, BlockChange]], rows: dict[int, int]) -> None:
    """Rows of the older and the newer version between the same two kept rows, in order
    and as wide as each other, are one row whose cells changed (as Word compares), not
    a row deleted and another inserted."""
    old: dict[int, set[int]] = {}
    new: dict[int, set[int]] = {}
    for _, change in items:
        for cell, found in ((_old_cell(change), old), (_new_cell(change), new)):
            if cell is not None:
                found.setdefault(_top(cell).row, set()).add(_top(cell).cell)
    kept = [(0, 0), *sorted(rows.items()), (max([*old, *new], default=0) + 1,) * 2]
    for (r0, s0), (r1, s1) in itertools.pairwise(kept):
        olds = [r for r in sorted(old) if r0 < r < r1 and r not in rows]
        news = [s for s in sorted(new) if s0 < s < s1]
        for r, s in zip(olds, news, strict=False):
            if old[r] == new[s]:
                rows[r] = s


def _split(index: int, change: BlockChange, rows: dict[int, int]
           ) -> list[tuple[int, BlockChange]]:
    """A block that changed cell (another column, or a row not kept) is deleted from its
    old cell and inserted in its new one: Word tracks text in cells, not cells moving."""
    old, new = _old_cell(change), _new_cell(change)
    if old is None or new is None or (rows.get(_top(old).row) == _top(new).row
                                      and _top(old).cell == _top(new).cell):
        return [(index, change)]
    return _halves(index, change)


def _halves(index: int, change: BlockChange) -> list[tuple[int, BlockChange]]:
    """The change as the deletion of its old text and the insertion of its new text."""
    gone, came = change.old_text(), change.new_text()
    return [(index, BlockChange(DELETED, change.old, None,
                                (Op(DELETE, gone),) if gone else (), change.old_index)),
            (index, BlockChange(INSERTED, None, change.new,
                                (Op(INSERT, came),) if came else (), None, change.new_index))]


def _one_paragraph_cells(out: list[Placed]) -> list[Placed]:
    """A cell holding only a deleted block and an inserted one becomes one change: the
    old text deleted, the new inserted (its row has both versions, so it is kept)."""
    merged: list[Placed] = []
    k = 0
    while k < len(out):
        cell = _cell_of(out[k])
        end = k + 1
        while end < len(out) and cell is not None and _cell_of(out[end]) == cell:
            end += 1
        gone, came = sorted((out[k], out[end - 1]), key=lambda item: item.change.in_new)
        old, new = gone.change, came.change
        if end - k == 2 and out[k].place.outer is None and out[end - 1].place.outer is None \
                and old.status == DELETED and new.status == INSERTED:
            merged.append(Placed(out[end - 1].index, BlockChange(
                CHANGED, old.old, new.new, old.ops + new.ops, old.old_index, new.new_index),
                out[end - 1].place, ((gone.index, old), (came.index, new))))
        else:
            merged.extend(out[k:end])
        k = end
    return merged


def _cell_of(item: Placed) -> tuple[int, int] | None:
    """The row and cell of the outermost table the item stands in."""
    if item.place is None:
        return None
    top = _top(item.place)
    return top.row, top.cell
