"""One reading (accepted or original) of the walked content, as a flat list of paragraphs.

Where a paragraph mark does not exist in the reading (w:pPr/w:rPr/w:del when accepting,
w:ins when rejecting) the paragraph runs on into the next one in the same container, and
the merged paragraph keeps the properties of the mark that survives, the later one; with
no next paragraph to run into (end of a cell, before a table) it stands alone, and is
dropped if it has no text. Rows and cells that do not exist in the reading are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .body import Item, Paragraph, Props, Table


@dataclass(slots=True)
class Line:
    """A paragraph as the reading shows it."""

    text: str  # whitespace collapsed
    props: Props
    sources: list[int]  # indices of the Word paragraphs it is made of
    bookmarks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def flatten(items: list[Item], view: int) -> list[Line]:
    out: list[Line] = []
    pending: list[Paragraph] = []  # paragraphs whose mark is gone, waiting for the next

    def close(paragraphs: list[Paragraph], standalone: bool) -> None:
        last = paragraphs[-1]
        text = " ".join("".join(p.texts[view] for p in paragraphs).split())
        if text or not standalone:
            out.append(Line(text, last.props[view], [p.index for p in paragraphs],
                            [b for p in paragraphs for b in p.bookmarks],
                            [n for p in paragraphs for n in p.notes[view]]))
        for p in paragraphs:
            for box in p.boxes:
                out.extend(flatten(box, view))

    for item in items:
        if isinstance(item, Table):
            if pending:
                close(pending, True)
                pending = []
            for cell in item.cells:
                if cell.present[view]:
                    out.extend(flatten(cell.content, view))
            continue
        pending.append(item)
        if item.marks[view]:
            close(pending, False)
            pending = []
    if pending:
        close(pending, True)
    return out
