"""`draft export`: a clean Word document of one revision, with real numbering, REF fields
for cross-references, a hidden bookmark carrying each block's stable id, the reviewers'
comments recorded with the revision, anchored to the words they quote, and the tables and
footnotes and endnotes of an imported file as real Word tables and notes."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from pathlib import Path

from lxml import etree

from ..compare.comments import anchor
from ..model import Block, Comment, Document
from . import cells, ooxml
from .cells import TableNode
from .docx_cells import word_table
from .docx_notes import WordNotes
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
    return [run for _, run in _spans(block, document, token, deleted)]


def _spans(block: Block, document: Document, token: Callable[[str], str],
           deleted: bool = False, cuts: Iterable[int] = (), notes: WordNotes | None = None
           ) -> list[tuple[int, etree._Element]]:
    """(offset in the block's text, run) of each run; plain text is also cut at `cuts`,
    so that a comment can start and end on a run boundary, and its note tokens are
    references to the `notes` written as Word notes."""
    runs: list[tuple[int, etree._Element]] = []
    marks = sorted(set(cuts))

    def plain(start: int, end: int) -> None:
        edges = [start, *(c for c in marks if start < c < end), end]
        for a, b in itertools.pairwise(edges):
            if notes is None:
                runs.append((a, ooxml.text_run(block.text[a:b], deleted)))
            else:
                runs.extend((a + k, run) for k, run in notes.runs(block.text[a:b], deleted))

    pos = 0
    for ref in block.refs:
        if ref.start > pos:
            plain(pos, ref.start)
        shown = block.text[ref.start : ref.end]
        target = document.find(ref.target)
        prefix = ""
        if target is not None and not target.is_heading and shown.startswith("Article "):
            prefix, shown = "Article ", shown[len("Article "):]  # the field gives "3.2"
        if prefix:
            runs.append((ref.start, ooxml.text_run(prefix, deleted)))
        if target is None:
            runs.append((ref.start, ooxml.text_run(shown, deleted)))
        else:
            name = token(target.id)
            runs.extend((ref.start, run) for run in
                        ooxml.field(f"REF {name} \\n \\h", shown, deleted=deleted))
        pos = ref.end
    if pos < len(block.text):
        plain(pos, len(block.text))
    return runs


def render(document: Document, meta: Meta, reference: Path | None = None,
           comments: Iterable[Comment] = ()) -> bytes:
    word = WordDocument(meta, reference, auto_numbers=numbered_labels(document.blocks))
    word.front_matter(subtitle_lines(meta))
    by_block: dict[str, list[Comment]] = {}
    for comment in comments:
        by_block.setdefault(comment.block or "", []).append(comment)

    def paragraph(block: Block) -> etree._Element:
        p, typed = word.block_paragraph(block)
        start, end = word.bookmark(block)
        mine = by_block.get(block.id, [])
        anchors = [anchor(block.text, c.quoted) for c in mine]
        spans = _spans(block, document, word.token, cuts=[x for a in anchors for x in a],
                       notes=notes)
        p.append(start)
        p.extend(typed)
        p.extend(word.heading_break(block))
        p.extend(run for _, run in spans)
        p.append(end)
        for comment, (first, last) in zip(mine, anchors, strict=True):
            covered = [run for offset, run in spans if offset < max(last, first + 1)]
            opening = [run for offset, run in spans if offset <= first]
            if covered and opening:
                word.comment(opening[-1], covered[-1], comment, comment.id, comment.parent)
        return p

    notes = WordNotes(document)
    for item in cells.blocks([b for b in document.blocks if not notes.takes(b)]):
        if isinstance(item, TableNode):
            word.append(word_table(word, item, paragraph))
        else:
            word.append(paragraph(item))
    notes.write(word)
    return word.save()
