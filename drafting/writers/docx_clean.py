"""`draft export`: a clean Word document of one revision, with real numbering, REF fields
for cross-references and a hidden bookmark carrying each block's stable id."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree

from ..model import Block, Document
from . import ooxml
from .word import Meta, WordDocument, numbered_labels


def subtitle_lines(meta: Meta) -> list[str]:
    lines = []
    if len(meta.sides) >= 2:
        lines.append("between " + " and ".join(meta.sides))
    who = f" — text of the {meta.side}" if meta.side else ""
    lines.append(f"{meta.status}{who} — {meta.revision}")
    return lines


def text_runs(block: Block, document: Document, token: Callable[[str], str],
              deleted: bool = False) -> list[etree._Element]:
    """The block's text as runs, its cross-references as REF fields to their targets'
    bookmarks, named by `token` (the current label is the field's cached result)."""
    runs: list[etree._Element] = []
    pos = 0
    for ref in block.refs:
        if ref.start > pos:
            runs.append(ooxml.text_run(block.text[pos : ref.start], deleted))
        shown = block.text[ref.start : ref.end]
        target = document.find(ref.target)
        prefix = ""
        if target is not None and not target.is_heading and shown.startswith("Article "):
            prefix, shown = "Article ", shown[len("Article "):]  # the field gives "3.2"
        if prefix:
            runs.append(ooxml.text_run(prefix, deleted))
        if target is None:
            runs.append(ooxml.text_run(shown, deleted))
        else:
            name = token(target.id)
            runs.extend(ooxml.field(f"REF {name} \\n \\h", shown, deleted=deleted))
        pos = ref.end
    if pos < len(block.text):
        runs.append(ooxml.text_run(block.text[pos:], deleted))
    return runs


def render(document: Document, meta: Meta, reference: Path | None = None) -> bytes:
    word = WordDocument(meta, reference, auto_numbers=numbered_labels(document.blocks))
    word.front_matter(subtitle_lines(meta))
    for block in document.blocks:
        p, typed = word.block_paragraph(block)
        start, end = word.bookmark(block)
        p.append(start)
        p.extend(typed)
        p.extend(word.heading_break(block))
        p.extend(text_runs(block, document, word.token))
        p.append(end)
        word.append(p)
    return word.save()
