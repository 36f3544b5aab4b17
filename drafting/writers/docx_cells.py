"""Blocks that stand in table cells written as a real Word table, with python-docx's
table API: spans and vertical merges become w:gridSpan and w:vMerge, nested tables stay in
the cells that hold them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_Merge
from docx.oxml.table import CT_Tc
from docx.shared import Length
from docx.table import _Cell
from lxml import etree

from .cells import TableNode
from .ooxml import adopt, el
from .word import WordDocument

TABLE_STYLE = "Table Grid"
T = TypeVar("T")


def word_table(word: WordDocument, table: TableNode[T], paragraph: Callable[[T], etree._Element],
               parent: _Cell | None = None,
               done: Callable[[TableNode[T], etree._Element], None] | None = None
               ) -> etree._Element:
    """The table, each item a paragraph made by `paragraph`; returns its w:tbl, for the
    caller to place (a nested one is already in its cell). `done` is given each table
    (nested ones too) with its w:tbl once its rows are written."""
    rows, columns = len(table.rows), max(table.width(), 1)
    made = parent.add_table(rows, columns) if parent is not None else \
        word.doc.add_table(rows, columns)
    if TABLE_STYLE in [s.name for s in word.doc.styles]:
        made.style = word.doc.styles[TABLE_STYLE]
    grid = [list(tr.tc_lst) for tr in made._tbl.tr_lst]  # the tc at each grid place
    fresh = [[True] * columns for _ in range(rows)]  # not yet part of a merge
    for r, column, cell, across, down in table.grid():
        tc = grid[r][column]
        if fresh[r][column]:  # else an earlier merge covers it: its text joins that cell's
            for child in list(tc):
                if child.tag != qn("w:tcPr"):
                    tc.remove(child)
            if across > 1 or down > 1:
                _merge(grid, fresh, r, column, across, down)
            fresh[r][column] = False  # a second cell at this place (span 0) joins it
        for part in cell.content:
            if isinstance(part, TableNode):
                word_table(word, part, paragraph, _Cell(tc, made), done)
            else:
                adopt(paragraph(part), tc.append, word.doc.element)
        if tc[-1].tag != qn("w:p"):
            tc.append(el("w:p"))  # Word ends every cell with a paragraph
    for r, row in enumerate(table.rows):  # a row narrower than the grid ends early
        for column in range(sum(cell.place.span for cell in row), columns):
            if fresh[r][column]:
                grid[r][column].getparent().remove(grid[r][column])
    if done is not None:
        done(table, made._tbl)
    return made._tbl


def _merge(grid: list[list[CT_Tc]], fresh: list[list[bool]], r: int, column: int,
           across: int, down: int) -> None:
    """Merge the cells from (r, column) `across` grid columns and `down` rows into one, as
    python-docx's merge writes it (w:gridSpan and the summed w:tcW on the first cell of
    each row, w:vMerge restart/continue down), in time linear in the cells merged:
    python-docx's own merge rescans the row for every cell it swallows and recurses once
    per row, so a 2,000-row merge hit RecursionError and 2,000 cells spanning 99 columns
    took minutes. The merge is clipped to cells no earlier merge took (a hostile file's
    overlapping spans)."""
    row = fresh[r]
    width = 1
    while width < across and column + width < len(row) and row[column + width]:
        width += 1
    height = 1
    while height < down and r + height < len(fresh) and all(
            fresh[r + height][column:column + width]):
        height += 1
    top = grid[r][column]
    for covered in range(r, r + height):
        first = grid[covered][column]
        if width > 1:  # cells no merge took keep the width python-docx gave every one
            for swallowed in grid[covered][column + 1:column + width]:
                first.getparent().remove(swallowed)
            first.width = Length(first.width * width)
            first.grid_span = width
        if height > 1:
            first.vMerge = ST_Merge.RESTART if covered == r else ST_Merge.CONTINUE
        grid[covered][column:column + width] = [top] * width
        fresh[covered][column:column + width] = [False] * width
