"""A Word redline: the newer text with real tracked changes (w:ins, w:del, paragraph-mark
revisions) attributed to the side that made them, so that a reviewer can accept or reject
each one. Accept all gives the newer revision's text; reject all gives the older one's.

Moves are written as a deletion at the old place and an insertion at the new one (both
open without repair in Word and LibreOffice); the summary table names them.

What the clean export writes, the redline writes with its changes: blocks in table cells
as real tables (change_cells places the changes of both versions in one grid; a row only
one version has is a tracked row), notes as real footnotes and endnotes, inline marks as
run properties (w:rPrChange where only they changed).

Reviewers' comments of the newer revision, and of the older one (at their block's old
text, which the redline still shows), are real Word comments on the same words: a comment
on words the newer text deleted spans the deleted runs, inside their w:del, so that it
goes with them when the deletion is accepted and stays when it is rejected.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from ..compare.comments import NONE, OLD, Remark, Remarks, covering, locate, side_text
from ..compare.tokens import word_count
from ..model import (
    DELETE,
    EQUAL,
    INSERT,
    LINK,
    BlockChange,
    CellPlace,
    Comparison,
    Mark,
    Op,
    clip_marks,
)
from ..negotiate.positions import Delta, PositionsComparison
from . import cells, change_cells, docx_notes, ooxml, summary
from .cells import TableNode
from .docx_cells import word_table
from .docx_tables import grid, note
from .word import STYLE_NOTE, Meta, WordDocument, numbered_labels, word_date

_Shown = tuple[list[etree._Element], list[etree._Element]]  # what a paragraph shows, its runs


def render(c: Comparison, meta: Meta, old_ref: str, new_ref: str, *,
           summary_table: bool = True, reference: Path | None = None,
           positions: PositionsComparison | None = None, remarks: Remarks = NONE) -> bytes:
    old_blocks = [b.old for b in c.blocks if b.in_old and b.old]
    new_blocks = [b.new for b in c.blocks if b.in_new and b.new]
    auto = numbered_labels(old_blocks) and numbered_labels(new_blocks)
    word = WordDocument(meta, reference, auto_numbers=auto)
    word.front_matter([f"Comparison of {c.old_name or old_ref} with {c.new_name or new_ref}",
                       f"{old_ref} → {new_ref}",
                       f"Changes by {meta.side or c.new_name or new_ref} are shown as tracked "
                       "changes"])
    if summary_table:
        _summary(word, c)
        if positions is not None:
            _terms(word, positions)
    writer = _Redline(word, meta.side or c.new_name or "drafting", word_date(meta.time), auto,
                      _Notes(c.blocks))
    items = change_cells.placed([(i, ch) for i, ch in enumerate(c.blocks)
                                 if not writer.notes.takes(ch)])
    places = [_container(item.place) for item in items]
    changes = _separate_insertions([item.change for item in items], auto, places)
    marks = _paragraph_marks(changes, places)

    def paragraph(k: int) -> etree._Element:
        return writer.paragraph(k, changes[k], *marks[k], _remarks_of(items[k], remarks))

    for entry in cells.group(range(len(items)), lambda k: items[k].place):
        if isinstance(entry, TableNode):
            word.append(writer.table(entry, changes, marks, paragraph))
        else:
            word.append(paragraph(entry))
    writer.notes.write(word, writer.note_runs)
    return word.save()


def _remarks_of(item: change_cells.Placed, remarks: Remarks) -> list[Remark]:
    """The comments on what a paragraph shows, each shown by the part whose text holds
    its side's words: an edited cell shows those of its deletion and of its insertion, a
    block that changed cell its old side's where it was deleted and its new side's where
    it was inserted (so none is anchored twice)."""
    return [r for index, part in item.parts for r in remarks.at(index)
            if (part.in_old if r.text_side == OLD else part.in_new)]


def _container(place: CellPlace | None) -> tuple[CellPlace, ...] | None:
    """The cell a paragraph stands in (None: the body): the places of its chain, without
    spans and merges."""
    return None if place is None else tuple(replace(p, span=1, merge="", outer=None)
                                           for p in place.chain())


def _separate_insertions(changes: list[BlockChange], auto: bool,
                         places: list[tuple[CellPlace, ...] | None]) -> list[BlockChange]:
    """LibreOffice joins an insertion at the end of a paragraph and one at the start of the
    next into a single change spanning the paragraph break, so that rejecting it joins the
    two paragraphs. Where that would happen, end the first paragraph with a deletion: a
    final replacement is written insertion-first, and a final pure insertion takes the
    word before it along ("[-apply-][+apply mutatis mutandis+]")."""
    out = list(changes)
    for i in range(len(out) - 1):
        p, q = out[i], out[i + 1]
        if places[i] != places[i + 1] or not (
                p.in_old and p.in_new and q.in_old and q.in_new and p.ops
                and p.ops[-1].op == INSERT):
            continue
        label_inserted = not auto and q.old is not None and q.new is not None \
            and not q.old.marker and bool(q.new.marker)
        if label_inserted or (q.ops and q.ops[0].op == INSERT):
            out[i] = replace(p, ops=tuple(_ending_with_deletion(list(p.ops))))
    return out


def _ending_with_deletion(ops: list[Op]) -> list[Op]:
    if len(ops) >= 2 and ops[-2].op == DELETE:
        return [*ops[:-2], ops[-1], ops[-2]]
    if len(ops) >= 2 and ops[-2].op == EQUAL:
        kept = ops[-2].text
        m = re.search(r"\S+\s*$", kept)
        if m:
            word = kept[m.start():]
            return [*ops[:-2], Op(EQUAL, kept[: m.start()]),
                    Op(INSERT, word + ops[-1].text, ops[-1].kind), Op(DELETE, word, ops[-1].kind)]
    return ops


def _paragraph_marks(changes: list[BlockChange], places: list[tuple[CellPlace, ...] | None]
                     ) -> list[tuple[str | None, int | None]]:
    """For each paragraph: how its mark is tracked ("w:ins", "w:del" or None), and the
    paragraph whose formatting its mark had before (for w:pPrChange), if any.

    Normally an inserted paragraph's own mark is inserted. But when the paragraph before a
    run of inserted paragraphs ends with inserted text, LibreOffice merges that text with
    the inserted paragraphs and, on rejection, joins the paragraphs around them. So there
    the preceding paragraph's mark is the inserted one, and the last inserted paragraph
    keeps the original mark with a record of the formatting it had: the form Word itself
    writes when someone types at the end of a paragraph and presses Enter. (Within one
    cell: a cell's last mark is its end, never tracked; see _Redline.table.)"""
    marks: list[tuple[str | None, int | None]] = [
        ("w:ins" if not ch.in_old else "w:del" if not ch.in_new else None, None)
        for ch in changes]
    for i, change in enumerate(changes[:-1]):
        if not (change.in_old and change.in_new and change.ops and change.ops[-1].op == INSERT):
            continue
        j = i
        while j + 1 < len(changes) and changes[j + 1].in_new and not changes[j + 1].in_old \
                and places[j + 1] == places[i]:
            j += 1
        if j > i:
            marks[i] = ("w:ins", None)
            marks[j] = (None, i)
    return marks


class _Redline:
    def __init__(self, word: WordDocument, author: str, date: str, auto: bool,
                 notes: _Notes):
        self.word, self.author, self.date, self.auto = word, author, date, auto
        self.notes = notes
        self.formats: dict[int, etree._Element] = {}  # each paragraph's own w:pPr, by place

    def _mark(self, kind: str, runs: list[etree._Element]) -> etree._Element:
        return ooxml.revision(kind, self.word.ids, self.author, self.date, runs)

    def paragraph(self, at: int, change: BlockChange, mark: str | None, formerly: int | None,
                  remarks: list[Remark]) -> etree._Element:
        block = change.block
        p, typed = self.word.block_paragraph(block)
        ppr = p.find(qn("w:pPr"))
        self.formats[at] = copy.deepcopy(ppr)
        whole = None
        if not change.in_old:
            whole = "w:ins"
        elif not change.in_new:
            whole = "w:del"
        if mark:
            ooxml.mark_paragraph(ppr, mark, self.word.ids, self.author, self.date)
        if formerly is not None:
            ppr.append(ooxml.revision("w:pPrChange", self.word.ids, self.author, self.date,
                                      [copy.deepcopy(self.formats[formerly])]))
        if change.in_new:
            start, end = self.word.bookmark(block)
            p.append(start)
        p.extend(self._label(change, typed, whole))
        p.extend(self._heading_break(change, whole))
        ops, spans = locate(change.ops, remarks)
        runs = self._runs(ops, whole, change)
        for shown in runs:
            if shown is not None:
                p.extend(shown[0])
        if change.in_new:
            p.append(end)
        for remark, span in spans:
            self._comment(remark, span or _whole(ops, remark.text_side), runs)
        return p

    def _comment(self, remark: Remark, span: tuple[int, int] | None, runs: list[_Shown | None]
                 ) -> None:
        """The comment on the runs of its words (inside their w:ins or w:del)."""
        if span is None:
            return  # a block without text on its side: nothing to anchor to
        first, last = runs[span[0]], runs[span[1]]
        if first is not None and last is not None:
            self.word.comment(first[1][0], last[1][-1], remark.comment, remark.key,
                              remark.parent)

    def table(self, node: TableNode[int], changes: list[BlockChange],
              marks: list[tuple[str | None, int | None]],
              paragraph: Callable[[int], etree._Element]) -> etree._Element:
        """The table as the export writes it, a row whose blocks are all inserted (or all
        deleted) a tracked row insertion (deletion): w:trPr/w:ins (w:del), in nested
        tables too. A cell's last paragraph mark is the cell's end, which Word never
        tracks: the mark change moves to the paragraph before it, where there is one of
        both versions."""
        tracked: dict[int, list[str | None]] = {}  # id of each table -> its rows' states
        self._rows(node, changes, marks, tracked)

        def done(table: TableNode[int], tbl: etree._Element) -> None:
            for tr, whole in zip(tbl.findall(qn("w:tr")), tracked[id(table)], strict=True):
                if whole:
                    tr.get_or_add_trPr().append(ooxml.revision(whole, self.word.ids,
                                                               self.author, self.date))
        return word_table(self.word, node, paragraph, done=done)

    def _rows(self, node: TableNode[int], changes: list[BlockChange],
              marks: list[tuple[str | None, int | None]],
              tracked: dict[int, list[str | None]]) -> None:
        rows = tracked[id(node)] = []
        for row in node.rows:
            shown = [changes[k] for cell in row for k in cell.items()]
            whole = "w:ins" if not any(ch.in_old for ch in shown) else \
                "w:del" if not any(ch.in_new for ch in shown) else None
            rows.append(whole)
            for cell in row:
                for part in cell.content:
                    if isinstance(part, TableNode):
                        self._rows(part, changes, marks, tracked)
                own = [k for k in cell.content if not isinstance(k, TableNode)]
                if whole is None and own and marks[own[-1]][0]:
                    before = [k for k in own[:-1] if marks[k][0] is None
                              and changes[k].in_old and changes[k].in_new]
                    if before and before[-1] == own[-2]:
                        marks[before[-1]] = (marks[own[-1]][0], None)
                    marks[own[-1]] = (None, marks[own[-1]][1])

    def note_runs(self, change: BlockChange) -> list[etree._Element]:
        """A note's text with its changes tracked, for the notes part."""
        whole = "w:ins" if not change.in_old else "w:del" if not change.in_new else None
        return [element for shown in self._runs(list(change.ops), whole, change, notes=False)
                if shown is not None for element in shown[0]]

    def _label(self, change: BlockChange, typed: list[etree._Element], whole: str | None
               ) -> list[etree._Element]:
        """Typed labels (when Word numbering cannot print them) are text like any other:
        a renumbered label is a deletion of the old one and an insertion of the new."""
        if self.auto:
            return typed
        if whole:
            return [self._mark(whole, typed)] if typed else []
        old, new = change.old, change.new
        if old is None or new is None or old.marker == new.marker:
            return typed
        old_typed = self.word.block_paragraph(old)[1]
        out = [self._mark("w:del", [_as_deleted(r) for r in old_typed])] if old_typed else []
        return out + ([self._mark("w:ins", typed)] if typed else [])

    def _heading_break(self, change: BlockChange, whole: str | None) -> list[etree._Element]:
        """The line break between a heading's label and its title exists in a version only
        when that version's heading has a title."""
        old = bool(change.old and change.in_old and self.word.heading_break(change.old))
        new = bool(change.new and change.in_new and self.word.heading_break(change.new))
        runs = self.word.heading_break(change.block) or self.word.heading_break(
            change.old or change.block)
        if whole:
            return [self._mark(whole, runs)] if runs else []
        if old and new:
            return runs
        if old or new:
            return [self._mark("w:ins" if new else "w:del", runs)]
        return []

    def _runs(self, ops: list[Op], whole: str | None, change: BlockChange, notes: bool = True
              ) -> list[_Shown | None]:
        """For each op, what the paragraph shows of it (runs in their w:ins or w:del, in
        w:hyperlink where the text is a link) and its runs, or None for an op the
        paragraph does not show. Runs carry their side's inline marks; on text both keep,
        marks that changed are a w:rPrChange recording the old ones."""
        old_marks = change.old.marks if change.old is not None else ()
        new_marks = change.new.marks if change.new is not None else ()
        at = [0, 0]
        out: list[_Shown | None] = []
        for op in ops:
            start = tuple(at)
            if op.op != INSERT:
                at[0] += len(op.text)
            if op.op != DELETE:
                at[1] += len(op.text)
            if (whole == "w:ins" and op.op == DELETE) or (whole == "w:del" and op.op == INSERT):
                out.append(None)
                continue
            kind = whole or {EQUAL: None, INSERT: "w:ins", DELETE: "w:del"}[op.op]
            new_side = op.op == INSERT or (op.op == EQUAL and change.in_new)
            side_marks = new_marks if new_side else old_marks
            mine = clip_marks(side_marks, start[new_side], start[new_side] + len(op.text)) \
                if side_marks else ()
            before = None
            if op.op == EQUAL and change.in_new and change.in_old:
                before = clip_marks(old_marks, start[0], start[0] + len(op.text)) \
                    if old_marks else ()
            out.append(self._shown(op.text, kind, mine, before, new_side if notes else None))
        return out

    def _shown(self, text: str, kind: str | None, marks: tuple[Mark, ...],
               before: tuple[Mark, ...] | None, side: bool | None) -> _Shown:
        """The runs of one op's text, cut where its marks start and end; `before`: the
        marks the older version had on the same text; `side`: which version's notes its
        note tokens refer to (True: the newer), None for none."""
        deleted = kind == "w:del"
        if not marks and not before and "[^" not in text:  # plain text: one run
            run = ooxml.text_run(text, deleted)
            return ([self._mark(kind, [run])] if kind else [run]), [run]
        edges = sorted({0, len(text), *(x for m in (*marks, *(before or ()))
                                        for x in (m.start, m.end) if 0 < x < len(text))})
        pieces: list[tuple[str | None, list[etree._Element]]] = []
        for a, b in itertools.pairwise(edges):
            kinds = {m.kind for m in marks if m.start <= a and b <= m.end}
            link = next((m.value for m in marks if m.kind == LINK and m.start <= a
                         and b <= m.end), None)
            was = None if before is None else \
                {m.kind for m in before if m.start <= a and b <= m.end}
            runs = [run for _, run in docx_notes.split(
                text[a:b], deleted, lambda token: self.notes.reference(token, side))]
            for run in runs:
                if run.find(qn("w:rPr")) is None:
                    self._properties(run, kinds, was)
            if pieces and pieces[-1][0] == link:
                pieces[-1][1].extend(runs)
            else:
                pieces.append((link, runs))
        shown, runs = [], []
        for link, group in pieces or [(None, [ooxml.text_run(text, deleted)])]:
            runs.extend(group)
            elements = [self._mark(kind, group)] if kind else group
            attrs = self.word.hyperlink(link) if link else None  # None: not for this file
            shown.extend([ooxml.hyperlink(attrs, elements)] if attrs else elements)
        return shown, runs

    def _properties(self, run: etree._Element, kinds: set[str], was: set[str] | None) -> None:
        """The run's marks as run properties; with the marks it had (`was`) where they
        differ, a w:rPrChange that records them."""
        rpr = ooxml.run_properties(kinds)
        if was is not None and was & ooxml.RUN_MARKS != kinds & ooxml.RUN_MARKS:
            rpr = rpr if rpr is not None else ooxml.el("w:rPr")
            old = ooxml.run_properties(was)
            rpr.append(ooxml.revision("w:rPrChange", self.word.ids, self.author, self.date,
                                      [old if old is not None else ooxml.el("w:rPr")]))
        if rpr is not None:
            run.insert(0, rpr)


class _Notes:
    """The note blocks either version's text refers to, written as real notes. Each
    reference is a note of its own, with the note's text and its changes: a reference
    deleted at one place and inserted at another are two notes, one in each version."""

    def __init__(self, changes: Sequence[BlockChange]):
        old = {t for ch in changes if ch.in_old and ch.old and ch.old.note is None
               for t in docx_notes.tokens(ch.old.text)}
        new = {t for ch in changes if ch.in_new and ch.new and ch.new.note is None
               for t in docx_notes.tokens(ch.new.text)}
        self.old = {ch.old.label: ch for ch in changes if ch.in_old and ch.old is not None
                    and ch.old.note is not None and ch.old.label in old}
        self.new = {ch.new.label: ch for ch in changes if ch.in_new and ch.new is not None
                    and ch.new.note is not None and ch.new.label in new}
        self._taken = {id(ch) for ch in (*self.old.values(), *self.new.values())}
        self.made: list[tuple[str, str, BlockChange]] = []

    def takes(self, change: BlockChange) -> bool:
        return id(change) in self._taken

    def reference(self, token: str, new: bool | None) -> etree._Element | None:
        """The reference run of a token of the newer (or older) text, None for a token
        that stands for no note."""
        change = None if new is None else (self.new if new else self.old).get(token)
        if change is None:
            return None
        kind = change.block.note or ""
        note_id = str(1 + sum(k == kind for k, _, _ in self.made))
        self.made.append((kind, note_id, change))
        return docx_notes.reference_run(kind, note_id)

    def write(self, word: WordDocument, runs: Callable[[BlockChange], list[etree._Element]]
              ) -> None:
        docx_notes.write_parts(word, ((kind, note_id, [ooxml.text_run(" "), *runs(change)])
                                      for kind, note_id, change in self.made))


def _whole(ops: list[Op], side: str) -> tuple[int, int] | None:
    """A comment whose words are gone covers its block's text on its side."""
    return covering(ops, side, (0, len(side_text(ops, side))))


def _as_deleted(run: etree._Element) -> etree._Element:
    for t in run.iter(qn("w:t")):
        t.tag = qn("w:delText")
    return run


def _terms(word: WordDocument, pc: PositionsComparison) -> None:
    """The numbers, dates and lists that changed, and the Articles that moved between
    Parts, by the paragraphs where they stand. A file for the other side: no parameter
    names, no descriptions, no choice keys, only what the text itself says."""
    def where(d: Delta) -> str:
        if d.where:
            return ", ".join(d.where)
        if d.where_old:
            return f"{pc.old_name}'s " + ", ".join(d.where_old)
        return d.article or "—"

    def change(d: Delta) -> str:
        if d.difference is None or d.type == "date":
            return d.change
        unit = f" {d.unit}" if d.unit in ("days", "hours", "weeks", "months", "years") else ""
        sign = "+" if d.difference >= 0 else ""
        return f"{d.old:g} -> {d.new:g}{unit} ({sign}{d.difference:g})"

    rows = [[where(d), change(d)] for d in pc.parameters
            if d.type in ("int", "float", "date", "list")]
    rows += [["moved", m] for m in pc.moved]
    if not rows:
        return
    note(word, "Terms that changed", bold=True)
    grid(word, ["Where", "Change"], rows, (3.5, 12.5))


def _summary(word: WordDocument, c: Comparison) -> None:
    """The change summary professional comparison tools put in front: totals, notes
    (renumbering, moves, broken references), and words changed per Article."""
    note = word.paragraph(STYLE_NOTE)
    note.append(ooxml.text_run(summary.totals_line(c)))
    word.append(note)
    for line in summary.notes(c):
        p = word.paragraph(STYLE_NOTE)
        p.append(ooxml.text_run(line))
        word.append(p)
    rows = summary.article_stats(c)
    table = word.doc.add_table(rows=1 + len(rows), cols=3)
    table.style = word.doc.styles["Table Grid"] if "Table Grid" in [
        st.name for st in word.doc.styles] else None
    cells = [*zip(table.rows[0].cells, ("Article", "Words inserted", "Words deleted"),
                  strict=True)]
    for row, (article, ins, dele) in zip(table.rows[1:], rows, strict=True):
        cells += zip(row.cells, (article, str(ins), str(dele)), strict=True)
    note_style = word.style_id(STYLE_NOTE)
    for cell, text in cells:
        cell.text = text
        # not agreement text
        cell.paragraphs[0]._p.get_or_add_pPr().get_or_add_pStyle().val = note_style
    tail = word.paragraph(STYLE_NOTE)
    tail.append(ooxml.text_run(f"{sum(word_count(b.new_text()) for b in c.blocks if b.in_new)}"
                               " words in the newer text."))
    ooxml.sub(ooxml.sub(tail, "w:r"), "w:br", {"w:type": "page"})
    word.append(tail)
