"""Landscape Word reports made of tables (obligations, phasing): python-docx's table API,
the front-matter styles of the Word writer, deterministic bytes."""

from __future__ import annotations

from collections.abc import Sequence

from docx.enum.section import WD_ORIENT
from docx.shared import Cm

from . import ooxml
from .word import STYLE_NOTE, Meta, WordDocument


def report(meta: Meta, lines: Sequence[str]) -> WordDocument:
    """A landscape document with the title and the given summary lines."""
    word = WordDocument(meta, auto_numbers=False)
    section = word.doc.sections[0]
    if section.orientation != WD_ORIENT.LANDSCAPE:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1.8)
    word.front_matter([])
    for line in lines:
        note(word, line)
    return word


def note(word: WordDocument, text: str, bold: bool = False) -> None:
    p = word.paragraph(STYLE_NOTE)
    rpr = ooxml.el("w:rPr")
    if bold:
        ooxml.sub(rpr, "w:b")
    p.append(ooxml.text_run(text, rpr=rpr))
    word.append(p)


def grid(word: WordDocument, header: Sequence[str], rows: Sequence[Sequence[str]],
         widths_cm: Sequence[float] | None = None) -> None:
    """A bordered table with a repeated bold header row; each cell's lines (split on
    newlines) are paragraphs in the note style (upright), so that they read as a report,
    not as agreement text."""
    table = word.doc.add_table(rows=1 + len(rows), cols=len(header))
    if "Table Grid" in [s.name for s in word.doc.styles]:
        table.style = word.doc.styles["Table Grid"]
    table.autofit = widths_cm is None
    for column, width in zip(table.columns, widths_cm or (), strict=False):
        column.width = Cm(width)  # the grid: LibreOffice lays out by it, Word by the cells
    style = word.style_id(STYLE_NOTE)
    for r, values in enumerate([header, *rows]):
        row = table.rows[r]
        if r == 0:
            trpr = row._tr.get_or_add_trPr()
            trpr.append(ooxml.el("w:tblHeader"))
        for c, value in enumerate(values):
            cell = row.cells[c]
            if widths_cm:
                cell.width = Cm(widths_cm[c])
            lines = str(value).split("\n")
            first = cell.paragraphs[0]
            for n, line in enumerate(lines):
                paragraph = first if n == 0 else cell.add_paragraph()
                paragraph._p.get_or_add_pPr().insert(0, ooxml.el("w:pStyle", {"w:val": style}))
                run = paragraph.add_run(line)
                run.bold = r == 0
                run.italic = False  # the note style is italic: a table reads upright
