"""The canonical Markdown form of a Document: what `draft show` prints and what the
Markdown reader reads back (labels included, ids not). A block read from a file is printed
as the file printed it: its label as written, its heading '#'s and indentation."""

from __future__ import annotations

from ..model import HEADING, Block, Document

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
    if not block.text:
        return block.marker
    return block.marker + (HEADING_SEPARATOR if block.kind == HEADING and block.written is None
                           else " ")


def block_line(block: Block) -> str:
    return line_start(block) + labelled(block) + block.text


def render(doc: Document) -> str:
    lines = [f"# {doc.title}", ""]
    for block in doc.blocks:
        lines += [block_line(block), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
