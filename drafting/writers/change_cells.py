"""Where each block change of a table stands in a redline's one table, which shows the old
and the new rows together: a row kept (some block in it is in both versions, and the row
has the same cells, spans and merges in both) is one row, its deleted blocks in the cells
they had; a row only the older version has is a deleted row of its own, after the kept row
it followed. The comparison lists a changed cell as a deletion and an insertion wherever
the alignment put them; placed here, the two stand in their cell, and when a cell holds
nothing else they are one paragraph with the old text deleted and the new inserted, as
Word shows an edited cell.

A nested table is placed the same way, in the redline cell that holds it, and so on down:
each version's rows of it are gridded together at every depth.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..model import CHANGED, DELETE, DELETED, INSERT, INSERTED, BlockChange, CellPlace, Op

_Shape = dict[int, tuple[int, str]]  # a row's cells: cell number -> (span, merge)


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


@dataclass(frozen=True, slots=True)
class _Item:
    """A change on its way to its place: each version's places of it (outermost first;
    empty where that version does not have it in a table), and its places in the
    redline as far as they are decided (outermost first, each without `outer`)."""
    index: int
    change: BlockChange
    old: tuple[CellPlace, ...]
    new: tuple[CellPlace, ...]
    placed: tuple[CellPlace, ...] = ()

    @property
    def own(self) -> tuple[CellPlace, ...]:
        """The places of the block the redline shows (the newer one where it has it)."""
        return self.new if self.change.in_new else self.old

    def side(self, old: bool, depth: int) -> CellPlace | None:
        chain = self.old if old else self.new
        return chain[depth] if len(chain) > depth else None


def _item(index: int, change: BlockChange, placed: tuple[CellPlace, ...] = ()) -> _Item:
    old = change.old.cell if change.in_old and change.old is not None else None
    new = change.new.cell if change.in_new and change.new is not None else None
    return _Item(index, change, old.chain() if old else (), new.chain() if new else (),
                 placed)


def placed(items: Sequence[tuple[int, BlockChange]]) -> list[Placed]:
    """The changes in the order the redline shows them, each with its place."""
    out = _level([_item(index, change) for index, change in items], 0, [0])
    return _one_paragraph_cells([Placed(item.index, item.change, _chain(item.placed))
                                 for item in out])


def _chain(levels: tuple[CellPlace, ...]) -> CellPlace | None:
    place = None
    for level in levels:
        place = replace(level, outer=place)
    return place


def _level(items: list[_Item], depth: int, count: list[int]) -> list[_Item]:
    """The items of one redline cell (or of the body, at depth 0) in order, each table at
    this depth placed and the cells of its rows placed in turn; `count`: the tables
    numbered so far."""
    items = [part for item in items for part in (
        _halves(item) if item.change.in_old and item.change.in_new and
        (len(item.old) > depth) != (len(item.new) > depth) else (item,))]  # into, out of
    out: list[_Item] = []
    k = 0
    while k < len(items):
        if len(items[k].own) <= depth:
            out.append(items[k])
            k += 1
            continue
        before, table, after, k = _table_items(items, k, depth)
        out.extend(before)
        count[0] += 1
        cells = _table(table, count[0], depth)
        for _, run in itertools.groupby(cells, lambda item: (item.placed[depth].row,
                                                             item.placed[depth].cell)):
            out.extend(_level(list(run), depth + 1, count))
        out.extend(after)
    return out


def _table_items(items: Sequence[_Item], start: int, depth: int
                 ) -> tuple[list[_Item], list[_Item], list[_Item], int]:
    """The paragraphs only one version has that the comparison put between the rows of
    the table that starts at `start` and stand before its rows in their version, the
    items of the table, those that stand after them (each version's table is whole, so
    each such paragraph is before it or after it), and where the table ends."""
    before: list[_Item] = []
    table: list[_Item] = []
    after: list[_Item] = []
    tables: list[int | None] = [None, None]
    seen = [False, False]  # whether the table has items of the older, the newer version
    k = start
    while True:
        end, tables = _table_end(items, k, tables, depth)
        table.extend(items[k:end])
        seen = [seen[0] or any(x.change.in_old for x in items[k:end]),
                seen[1] or any(x.change.in_new for x in items[k:end])]
        gap = end
        while gap < len(items) and len(items[gap].own) <= depth and \
                items[gap].change.in_old != items[gap].change.in_new:
            gap += 1
        if gap == end or gap == len(items) or len(items[gap].own) <= depth or \
                _table_end(items, gap, tables, depth)[0] == gap:
            return before, table, after, end
        for item in items[end:gap]:
            (after if seen[item.change.in_new] else before).append(item)
        k = gap


def _table_end(items: Sequence[_Item], start: int, tables: list[int | None], depth: int
               ) -> tuple[int, list[int | None]]:
    """The end of the run of items in the table that starts at `start`: it goes on
    while either version's table number does (or is first seen), from `tables`."""
    k = start
    while k < len(items) and len(items[k].own) > depth:
        sides = (items[k].side(True, depth), items[k].side(False, depth))
        numbers = [s.table if s else None for s in sides]
        if (k > start or tables != [None, None]) and not any(
                n is not None and t in (None, n)
                for n, t in zip(numbers, tables, strict=True)):
            break
        tables = [n if n is not None else t for n, t in zip(numbers, tables, strict=True)]
        k += 1
    return k, tables


def _table(items: Sequence[_Item], number: int, depth: int) -> list[_Item]:
    """The items of one table, in the order of the redline's rows and cells, each with
    its place at `depth` (the table `number`, the row's rank) added."""
    old_rows, new_rows = _shapes(items, depth)
    rows: dict[int, int] = {}  # old row -> new row, where a block is in both
    last = 0
    for item in items:
        old, new = item.side(True, depth), item.side(False, depth)
        if old and new and old.cell == new.cell and old.row not in rows and \
                new.row > last and old_rows[old.row] == new_rows[new.row]:
            rows[old.row] = last = new.row
    _pair_rows(old_rows, new_rows, rows)
    _unmerge_gaps(old_rows, new_rows, rows)
    items = [part for item in items for part in _split(item, rows, depth)]
    new_cells = {(n.row, n.cell): n for item in items
                 if (n := item.side(False, depth)) is not None}
    gaps = _gaps(old_rows, new_rows, rows)
    keyed = []
    for order, item in enumerate(items):
        top = item.own[depth]
        if item.change.in_new:
            key = (top.row, 0, 0)
        elif top.row in rows:
            key = (rows[top.row], 0, 0)
            top = new_cells.get((rows[top.row], top.cell), top)
        else:
            key = (gaps[top.row], 1, top.row)
        keyed.append((key, top.cell, order, item, top))
    keyed.sort(key=lambda x: x[:3])
    ranks = {key: n for n, key in enumerate(sorted({x[0] for x in keyed}), 1)}
    return [replace(item, placed=(*item.placed, replace(top, table=number, row=ranks[key],
                                                        outer=None)))
            for key, _, _, item, top in keyed]


def _shapes(items: Sequence[_Item], depth: int) -> tuple[dict[int, _Shape], dict[int, _Shape]]:
    """Each version's rows of the table: their cells, spans and vertical merges."""
    old: dict[int, _Shape] = {}
    new: dict[int, _Shape] = {}
    for item in items:
        for side, found in ((item.side(True, depth), old), (item.side(False, depth), new)):
            if side is not None:
                found.setdefault(side.row, {})[side.cell] = (side.span, side.merge)
    return old, new


def _pair_rows(old: dict[int, _Shape], new: dict[int, _Shape], rows: dict[int, int]) -> None:
    """Rows of the older and the newer version between the same two kept rows, in order
    and of the same shape, are one row whose cells changed (as Word compares), not a row
    deleted and another inserted."""
    kept = [(0, 0), *sorted(rows.items()), (max([*old, *new], default=0) + 1,) * 2]
    for (r0, s0), (r1, s1) in itertools.pairwise(kept):
        olds = [r for r in sorted(old) if r0 < r < r1 and r not in rows]
        news = [s for s in sorted(new) if s0 < s < s1]
        for r, s in zip(olds, news, strict=False):
            if old[r] == new[s]:
                rows[r] = s


def _unmerge_gaps(old: dict[int, _Shape], new: dict[int, _Shape], rows: dict[int, int]
                  ) -> None:
    """A kept row with a cell merged into the one above, after rows deleted and rows
    inserted, is not kept: only one of the two versions' rows can stand right above it,
    so the other's merge would be cut. It is deleted and inserted with them."""
    previous = (0, 0)
    for r, s in sorted(rows.items()):
        deleted = any(x in old for x in range(previous[0] + 1, r))
        inserted = any(x in new for x in range(previous[1] + 1, s))
        if deleted and inserted and "continue" in {merge for _, merge in old[r].values()}:
            del rows[r]
        else:
            previous = (r, s)


def _gaps(old: dict[int, _Shape], new: dict[int, _Shape], rows: dict[int, int]
          ) -> dict[int, int]:
    """For each row only the older version has, the newer row it stands after: the kept
    row it followed; or, where the rows the newer version inserted there go on a vertical
    merge that the deleted rows would cut (and not the other way round), the last of
    those (a cell merges down only from the cell right above it)."""
    kept = sorted(rows.items())
    olds = [r for r, _ in kept]
    highest = list(itertools.accumulate((s for _, s in kept), max))
    deleted: dict[int, list[int]] = {}  # kept newer row -> the rows deleted after it
    for r in sorted(old):
        if r not in rows:
            at = bisect.bisect_left(olds, r)
            deleted.setdefault(highest[at - 1] if at else 0, []).append(r)
    kept_new = sorted(rows.values())
    inserted: dict[int, list[int]] = {}  # kept newer row -> the rows inserted after it
    for s in sorted(new):
        at = bisect.bisect_left(kept_new, s)
        if at == len(kept_new) or kept_new[at] != s:
            inserted.setdefault(kept_new[at - 1] if at else 0, []).append(s)
    out: dict[int, int] = {}
    for s0, gone in deleted.items():
        came = inserted.get(s0, [])
        first = bool(came) and _cuts(old[gone[-1]], new[came[0]]) and \
            not _cuts(new[came[-1]], old[gone[0]])
        out.update((r, came[-1] if first else s0) for r in gone)
    return out


def _cuts(above: _Shape, below: _Shape) -> bool:
    """Whether `below` has a cell merged into the cell above that `above` does not
    start or go on at the same grid columns."""
    return bool(_merged(below, ("continue",)) - _merged(above, ("restart", "continue")))


def _merged(row: _Shape, kinds: tuple[str, ...]) -> set[tuple[int, int]]:
    out, column = set(), 0
    for cell in sorted(row):
        span, merge = row[cell]
        if merge in kinds:
            out.add((column, span))
        column += span
    return out


def _split(item: _Item, rows: dict[int, int], depth: int) -> tuple[_Item, ...]:
    """A block that changed cell (another column, or a row not kept) is deleted from its
    old cell and inserted in its new one: Word tracks text in cells, not cells moving."""
    old, new = item.side(True, depth), item.side(False, depth)
    if old is None or new is None or (rows.get(old.row) == new.row and old.cell == new.cell):
        return (item,)
    return _halves(item)


def _halves(item: _Item) -> tuple[_Item, _Item]:
    """The change as the deletion of its old text and the insertion of its new text."""
    change = item.change
    gone, came = change.old_text(), change.new_text()
    return (replace(item, change=BlockChange(DELETED, change.old, None,
                                             (Op(DELETE, gone),) if gone else (),
                                             change.old_index), new=()),
            replace(item, change=BlockChange(INSERTED, None, change.new,
                                             (Op(INSERT, came),) if came else (), None,
                                             change.new_index), old=()))


def _one_paragraph_cells(out: list[Placed]) -> list[Placed]:
    """A cell holding only a deleted block and an inserted one (no nested table either)
    becomes one change: the old text deleted, the new inserted (its row has both
    versions, so it is kept)."""
    cells = [_cell_of(item) for item in out]
    merged: list[Placed] = []
    k = 0
    while k < len(out):
        cell = cells[k]
        if cell is not None and k + 1 < len(out) and cells[k + 1] == cell and \
                not (k and _within(cells[k - 1], cell)) and \
                not (k + 2 < len(out) and _within(cells[k + 2], cell)):
            gone, came = sorted((out[k], out[k + 1]), key=lambda item: item.change.in_new)
            old, new = gone.change, came.change
            if old.status == DELETED and new.status == INSERTED:
                merged.append(Placed(out[k + 1].index, BlockChange(
                    CHANGED, old.old, new.new, old.ops + new.ops, old.old_index,
                    new.new_index), out[k + 1].place, ((gone.index, old), (came.index, new))))
                k += 2
                continue
        merged.append(out[k])
        k += 1
    return merged


def _cell_of(item: Placed) -> tuple[tuple[int, int, int], ...] | None:
    """The table, row and cell of each table the item stands in, outermost first."""
    if item.place is None:
        return None
    return tuple((p.table, p.row, p.cell) for p in item.place.chain())


def _within(cell: tuple[tuple[int, int, int], ...] | None,
            outer: tuple[tuple[int, int, int], ...]) -> bool:
    return cell is not None and cell[:len(outer)] == outer
