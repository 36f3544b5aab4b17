"""The canonical Markdown form of a Document: what `draft show` prints and what the
Markdown reader reads back (labels included, ids not)."""

from __future__ import annotations

from ..model import HEADING, Block, Document

HEADING_SEPARATOR = " — "


def heading_line(block: Block) -> str:
    hashes = "#" * (block.level + 1)
    parts = [p for p in (block.label, block.text) if p]
    return f"{hashes} {HEADING_SEPARATOR.join(parts)}"


def block_line(block: Block) -> str:
    if block.kind == HEADING:
        return heading_line(block)
    return f"{block.marker} {block.text}" if block.marker else block.text


def render(doc: Document) -> str:
    lines = [f"# {doc.title}", ""]
    for block in doc.blocks:
        lines += [block_line(block), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
