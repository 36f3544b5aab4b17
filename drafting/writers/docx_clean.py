"""`draft export`: a clean Word document of one revision, with real numbering, REF fields
for cross-references, a hidden bookmark carrying each block's stable id, the reviewers'
comments recorded with the revision, anchored to the words they quote, and the tables and
footnotes and endnotes of an imported file as real Word tables and notes."""

from __future__ import annotations

import bisect
import copy
import itertools
from collections.abc import Callable, Iterable
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from ..compare.comments import anchor
from ..model import LINK, Block, Comment, Document, Mark
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
           deleted: bool = False, cuts: Iterable[int] = (), notes: WordNotes | None = None,
           link: Callable[[str], dict[str, str] | None] | None = None
           ) -> list[tuple[int, etree._Element]]:
    """(offset in the block's text, run) of each run; plain text is also cut at `cuts`,
    so that a comment can start and end on a run boundary, and where its inline marks
    start and end (bold, italic... as run properties); its note tokens are references to
    the `notes` written as Word notes. With `link` (a hyperlink's attributes for an
    address), links are w:hyperlink elements around their runs."""
    runs: list[tuple[int, etree._Element]] = []
    edges_at = sorted({*cuts, *(m.start for m in block.marks), *(m.end for m in block.marks)})
    marks_at = _MarksAt(block.marks)

    def plain(start: int, end: int) -> None:
        edges = [start, *edges_at[bisect.bisect_right(edges_at, start):
                                  bisect.bisect_left(edges_at, end)], end]
        for a, b in itertools.pairwise(edges):
            rpr = ooxml.run_properties(marks_at.kinds(a))
            if notes is None:
                runs.append((a, ooxml.text_run(block.text[a:b], deleted, rpr)))
                continue
            for k, run in notes.runs(block.text[a:b], deleted):
                if rpr is not None and run.find(qn("w:rPr")) is None:
                    run.insert(0, copy.deepcopy(rpr))
                runs.append((a + k, run))

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
    return _linked(runs, block.marks, link) if link else runs


class _MarksAt:
    """The kinds of the marks over each piece of a block's text, pieces asked in order:
    a sweep over the marks' starts and ends, not a pass over every mark per piece (25,000
    italics in a paragraph took 44 s to write)."""

    def __init__(self, marks: tuple[Mark, ...]) -> None:
        self.starts = sorted(marks, key=lambda m: m.start)
        self.ends = sorted(marks, key=lambda m: m.end)
        self.started = self.ended = 0
        self.active: dict[str, int] = {}

    def kinds(self, at: int) -> set[str]:
        """Kinds of the marks with start <= at < end (`at` never goes back; no mark
        starts or ends inside the piece that starts there)."""
        while self.started < len(self.starts) and self.starts[self.started].start <= at:
            kind = self.starts[self.started].kind
            self.active[kind] = self.active.get(kind, 0) + 1
            self.started += 1
        while self.ended < len(self.ends) and self.ends[self.ended].end <= at:
            self.active[self.ends[self.ended].kind] -= 1
            self.ended += 1
        return {kind for kind, count in self.active.items() if count}


def _linked(runs: list[tuple[int, etree._Element]], marks: tuple[Mark, ...],
            link: Callable[[str], dict[str, str] | None]
            ) -> list[tuple[int, etree._Element]]:
    """The runs inside each link mark wrapped in one w:hyperlink (left as they are where
    `link` gives no attributes). Runs come in offset order and links sorted by start, so
    one pointer walks both: the first link not yet ended is the first that holds the run,
    if any does (a search of every link per run took 30 s for 10,000 links)."""
    out: list[tuple[int, etree._Element]] = []
    links = [m for m in marks if m.kind == LINK]
    j = k = 0
    while k < len(runs):
        offset = runs[k][0]
        while j < len(links) and links[j].end <= offset:
            j += 1
        if j == len(links) or links[j].start > offset:
            out.append(runs[k])
            k += 1
            continue
        mark, inside = links[j], []
        while k < len(runs) and mark.start <= runs[k][0] < mark.end:
            inside.append(runs[k])
            k += 1
        attrs = link(mark.value)
        if attrs is None:
            out.extend(inside)
        else:
            out.append((offset, ooxml.hyperlink(attrs, [run for _, run in inside])))
    return out


def _first_run(element: etree._Element) -> etree._Element:
    """A comment starts at a run: the first inside a hyperlink."""
    return element if element.tag != qn("w:hyperlink") else element.find(qn("w:r"))


def _last_run(element: etree._Element) -> etree._Element:
    return element if element.tag != qn("w:hyperlink") else element.findall(qn("w:r"))[-1]


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
                       notes=notes, link=word.hyperlink)
        p.append(start)
        p.extend(typed)
        p.extend(word.heading_break(block))
        p.extend(run for _, run in spans)
        p.append(end)
        offsets = [offset for offset, _ in spans]  # in order: each comment bisects them
        for comment, (first, last) in zip(mine, anchors, strict=True):
            opening = bisect.bisect_right(offsets, first) - 1  # the last run at or before
            covered = bisect.bisect_left(offsets, max(last, first + 1)) - 1  # before the end
            if opening >= 0:  # (a scan of every run per comment: 4,000 comments took 15 s)
                word.comment(_first_run(spans[opening][1]), _last_run(spans[covered][1]),
                             comment, comment.id, comment.parent)
        return p

    notes = WordNotes(document)
    for item in cells.blocks([b for b in document.blocks if not notes.takes(b)]):
        if isinstance(item, TableNode):
            word.append(word_table(word, item, paragraph))
        else:
            word.append(paragraph(item))
    notes.write(word)
    return word.save()
