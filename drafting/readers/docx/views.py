"""One reading (accepted or original) of the walked content, as a flat list of paragraphs.

Where a paragraph mark does not exist in the reading (w:pPr/w:rPr/w:del when accepting,
w:ins when rejecting) the paragraph runs on into the next one in the same container, and
the merged paragraph keeps the properties of the mark that survives, the later one; with
no next paragraph to run into (end of a cell, before a table) it stands alone, and is
dropped if it has no text. Rows and cells that do not exist in the reading are skipped.

A paragraph in a table cell carries the cell's place in this reading (tables numbered in
the order they open, rows and cells counted as the reading has them). A cell with no text
of its own still yields one line, marked `keep`, so that the table keeps its shape.

A text box stands where it is anchored, as one `⟦text box: ...⟧` token whose paragraphs
are separated by " ¶ ". Formatted spans become the line's marks (spacing.py says how
white space is kept).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...markup import trim_marks
from ...model import OBJECT, CellPlace, Mark, merge_marks
from ..spacing import collapse, collapse_mapped
from .body import Cell, Item, Paragraph, Props, Span, Table
from .objects import token

BOX_PARAGRAPHS = " ¶ "  # between the paragraphs of a text box, inside its token


@dataclass(slots=True)
class Line:
    """A paragraph as the reading shows it."""

    text: str  # whitespace collapsed
    props: Props
    sources: list[int]  # indices of the Word paragraphs it is made of
    bookmarks: list[str] = field(default_factory=list)
    cell: CellPlace | None = None
    keep: bool = False  # the only line of an empty cell: a block even with no text
    marks: list[Mark] = field(default_factory=list)  # over text, sorted


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
            raw, spans = self.joined(paragraphs, place)
            if spans:
                text, where = collapse_mapped(raw, (p for a, b, _ in spans for p in (a, b)))
                marks = to_marks(text, [(where[a], where[b], f) for a, b, f in spans])
            else:
                text, marks = collapse(raw), []
            if text or not standalone:
                out.append(Line(text, last.props[view], [p.index for p in paragraphs],
                                [b for p in paragraphs for b in p.bookmarks], place,
                                marks=marks))

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

    def joined(self, paragraphs: list[Paragraph], place: CellPlace | None
               ) -> tuple[str, list[Span]]:
        """The raw text of paragraphs that read as one, text boxes put in where they are
        anchored, and the formatted spans over it."""
        view = self.view
        pieces: list[str] = []
        spans: list[Span] = []
        size = 0
        for p in paragraphs:
            text = p.texts[view]
            boxes = sorted(((at[view], box) for at, box in zip(p.box_at, p.boxes, strict=False)
                            if at[view] is not None), key=lambda x: x[0] or 0)
            own = list(p.formats[view])
            cut = 0
            for at, box in boxes:
                assert at is not None
                said, inner = self.box(box, place)
                pieces.append(text[cut:at])
                spans.extend(_shifted(own, cut, at, size - cut))
                size += at - cut
                if said:
                    spans.append((size, size + len(said), ((OBJECT, "text box"),)))
                    spans.extend((size + a, size + b, f) for a, b, f in inner)
                    pieces.append(said)
                    size += len(said)
                cut = at
            pieces.append(text[cut:])
            spans.extend(_shifted(own, cut, len(text), size - cut))
            size += len(text) - cut
        return "".join(pieces), spans

    def box(self, items: list[Item], place: CellPlace | None) -> tuple[str, list[Span]]:
        """A text box as its token, and the marks of its paragraphs inside the token."""
        lines = [line for line in self.items(items, place) if line.text]
        if not lines:
            return "", []
        at = len(token("text box", "x")) - len("x⟧")
        spans: list[Span] = []
        for line in lines:
            spans.extend((at + m.start, at + m.end, ((m.kind, m.value),)) for m in line.marks)
            at += len(line.text) + len(BOX_PARAGRAPHS)
        return token("text box", BOX_PARAGRAPHS.join(line.text for line in lines)), spans

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


def _shifted(spans: list[Span], start: int, end: int, by: int) -> list[Span]:
    return [(max(a, start) + by, min(b, end) + by, f) for a, b, f in spans
            if max(a, start) < min(b, end)]


def to_marks(text: str, spans: list[Span]) -> list[Mark]:
    """Formatted spans as marks: one per stretch of each (kind, value), adjacent runs
    joined, white space at the edges left out (except for object tokens)."""
    marks = merge_marks([Mark(a, b, kind, value) for a, b, f in spans if a < b
                         for kind, value in f])
    return list(trim_marks(text, marks))
