"""One reading (accepted or original) of the walked content, as a flat list of paragraphs.

Where a paragraph mark does not exist in the reading (w:pPr/w:rPr/w:del when accepting,
w:ins when rejecting) the paragraph runs on into the next one in the same container, and
the merged paragraph keeps the properties of the mark that survives, the later one; with
no next paragraph to run into (end of a cell, before a table) it stands alone, and is
dropped if it has no text. Rows and cells that do not exist in the reading are skipped.

A paragraph in a table cell carries the cell's place in this reading (tables numbered in
the order they open, rows and cells counted as the reading has them). A cell with no text
of its own still yields one line, marked `keep`, so that the table keeps its shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import CellPlace
from .body import Cell, Item, Paragraph, Props, Table


@dataclass(slots=True)
class Line:
    """A paragraph as the reading shows it."""

    text: str  # whitespace collapsed
    props: Props
    sources: list[int]  # indices of the Word paragraphs it is made of
    bookmarks: list[str] = field(default_factory=list)
    cell: CellPlace | None = None
    keep: bool = False  # the only line of an empty cell: a block even with no text


def flatten(items: list[Item], view: int) -> list[Line]:
    return _Flattener(view).items(items, None)


class _Flattener:
    def __init__(self, view: int):
        self.view = view
        self.tables = 0  # tables opened so far in this reading

    def items(self, items: list[Item], place: CellPlace | None) -> list[Line]:
        view = self.view
        out: list[Line] = []
        pending: list[Paragraph] = []  # paragraphs whose mark is gone, waiting for the next

        def close(paragraphs: list[Paragraph], standalone: bool) -> None:
            last = paragraphs[-1]
            text = " ".join("".join(p.texts[view] for p in paragraphs).split())
            if text or not standalone:
                out.append(Line(text, last.props[view], [p.index for p in paragraphs],
                                [b for p in paragraphs for b in p.bookmarks], place))
            for p in paragraphs:
                for box in p.boxes:
                    out.extend(self.items(box, place))

        for item in items:
            if isinstance(item, Table):
                if pending:
                    close(pending, True)
                    pending = []
                out.extend(self.table(item, place))
                continue
            pending.append(item)
            if item.marks[view]:
                close(pending, False)
                pending = []
        if pending:
            close(pending, True)
        return out

    def table(self, table: Table, outer: CellPlace | None) -> list[Line]:
        cells = [cell for cell in table.cells if cell.present[self.view]]
        if not cells:
            return []
        self.tables += 1
        number = self.tables
        out: list[Line] = []
        row = column = 0
        last_row: int | None = None
        for cell in cells:
            if cell.row != last_row:
                row, column, last_row = row + 1, 0, cell.row
            column += 1
            place = CellPlace(number, row, column, cell.span, cell.merge[self.view], outer)
            out.extend(self.cell(cell, place))
        return out

    def cell(self, cell: Cell, place: CellPlace) -> list[Line]:
        lines = self.items(cell.content, place)
        own = [line for line in lines if line.cell is place]
        if not any(line.text for line in own):
            if own:
                own[0].keep = True
            else:
                lines.insert(0, Line("", Props(), [], cell=place, keep=True))
        return lines
