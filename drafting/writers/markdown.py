"""The canonical Markdown form of a Document: what `draft show` prints and what the
Markdown reader reads back (labels included, ids not). A block read from a file is printed
as the file printed it: its label as written, its heading '#'s and indentation. A footnote
or endnote is a definition, "[^1]: text", as Markdown writes footnotes.

A table whose cells each hold one plain paragraph (no label, no heading, no merged or
nested cells) is a GFM pipe table, its first row the header; any other table is written
block by block, each block's line opened by its cell's place, "{table 1 row 2 cell 3}"
(with " span 2", " merge restart" or " merge continue" where the cell has them, and a
nested table's place after its outer cell's: "{table 1 row 1 cell 1 > table 2 row 1 cell
1}"). The reader reads both back."""

from __future__ import annotations

from ..markup import render_inline
from ..model import HEADING, PARAGRAPH, Block, CellPlace, Document
from .cells import TableNode, blocks

HEADING_SEPARATOR = " — "  # between our own computed label and a heading's title


def line_start(block: Block) -> str:
    """What a block's line begins with: a heading's '#'s and a space (none for a file's
    body line that was only a label), a paragraph's indentation."""
    if block.kind == HEADING:
        hashes = block.lead if block.lead is not None else "#" * (block.level + 1)
        return f"{hashes} " if hashes else ""
    return block.lead or ""


def labelled(block: Block) -> str:
    """The label as printed and what separates it from the text, "" for no label."""
    if not block.marker:
        return ""
    if block.note is not None:
        return block.marker + (": " if block.text else ":")
    if not block.text:
        return block.marker
    return block.marker + (HEADING_SEPARATOR if block.kind == HEADING and block.written is None
                           else " ")


def place_text(place: CellPlace) -> str:
    def one(p: CellPlace) -> str:
        extra = (f" span {p.span}" if p.span != 1 else "") + (f" merge {p.merge}" if p.merge
                                                              else "")
        return f"table {p.table} row {p.row} cell {p.cell}{extra}"
    return "{" + " > ".join(one(p) for p in place.chain()) + "}"


def story_prefix(block: Block) -> str:
    """"{footer} " before a header's or footer's block in a comparison (a Document's own
    blocks are the body's)."""
    return "{" + block.story + "} " if block.story is not None else ""


def cell_prefix(block: Block) -> str:
    """"{table 1 row 2 cell 3} " before a block in a table written block by block."""
    return place_text(block.cell) + " " if block.cell else ""


def block_line(block: Block) -> str:
    rest = line_start(block) + labelled(block) + render_inline(block.text, block.marks)
    return cell_prefix(block) + rest if rest else cell_prefix(block).rstrip()


def _plain(block: Block) -> bool:
    """A cell a pipe table can hold (its text is read back as it is: no inline marks)."""
    place = block.cell
    return (block.kind == PARAGRAPH and not block.label and block.written is None
            and block.lead is None and block.note is None and not block.refs
            and not block.marks and place is not None and place.span == 1
            and not place.merge and place.outer is None and "\\" not in block.text)


def pipe_table(table: TableNode[Block]) -> list[str] | None:
    """The table as GFM pipe table lines, or None when it is not that simple."""
    width = len(table.rows[0])
    cells = []
    for row in table.rows:
        if len(row) != width:
            return None
        texts = []
        for cell in row:
            if len(cell.content) != 1 or not isinstance(cell.content[0], Block) or \
                    not _plain(cell.content[0]):
                return None
            texts.append(cell.content[0].text.replace("|", "\\|"))
        cells.append(texts)
    lines = ["| " + " | ".join(row) + " |" for row in cells]
    return [lines[0], "| " + " | ".join(["---"] * width) + " |", *lines[1:]]


def render(doc: Document) -> str:
    lines = [f"# {doc.title}", ""]
    for item in blocks(doc.blocks):
        if isinstance(item, TableNode):
            pipe = pipe_table(item)
            lines += ["\n".join(pipe), ""] if pipe else [
                part for block in item.items() for part in (block_line(block), "")]
        else:
            lines += [block_line(item), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
