"""Blocks that stand in table cells written as a real Word table, with python-docx's
table API: spans and vertical merges become w:gridSpan and w:vMerge, nested tables stay in
the cells that hold them."""

from __future__ import annotations

from collections.abc import Callable

from docx.oxml.ns import qn
from docx.table import _Cell
from lxml import etree

from ..model import Block
from .cells import TableNode
from .ooxml import el
from .word import WordDocument

TABLE_STYLE = "Table Grid"


def word_table(word: WordDocument, table: TableNode[Block],
               paragraph: Callable[[Block], etree._Element],
               parent: _Cell | None = None) -> etree._Element:
    """The table, each block a paragraph made by `paragraph`; returns its w:tbl, for the
    caller to place (a nested one is already in its cell)."""
    rows, columns = len(table.rows), max(table.width(), 1)
    made = parent.add_table(rows, columns) if parent is not None else \
        word.doc.add_table(rows, columns)
    if TABLE_STYLE in [s.name for s in word.doc.styles]:
        made.style = word.doc.styles[TABLE_STYLE]
    cells = made._cells  # python-docx builds the whole grid on every made.cell(): once here
    for r, column, cell, across, down in table.grid():
        target = cells[r * columns + column]
        if across > 1 or down > 1:
            last_row, last_column = min(r + down, rows) - 1, min(column + across, columns) - 1
            target = target.merge(cells[last_row * columns + last_column])
            for covered in range(r, last_row + 1):  # as python-docx's grid now reads
                start = covered * columns
                cells[start + column:start + last_column + 1] = \
                    [target] * (last_column + 1 - column)
        tc = target._tc
        for child in list(tc):
            if child.tag != qn("w:tcPr"):
                tc.remove(child)
        for part in cell.content:
            if isinstance(part, TableNode):
                word_table(word, part, paragraph, target)
            else:
                tc.append(paragraph(part))
        if tc[-1].tag != qn("w:p"):
            tc.append(el("w:p"))  # Word ends every cell with a paragraph
    return made._tbl
