"""A Word redline: the newer text with real tracked changes (w:ins, w:del, paragraph-mark
revisions) attributed to the side that made them, so that a reviewer can accept or reject
each one. Accept all gives the newer revision's text; reject all gives the older one's.

Moves are written as a deletion at the old place and an insertion at the new one (both
open without repair in Word and LibreOffice); the summary table names them.

Reviewers' comments of the newer revision, and of the older one (at their block's old
text, which the redline still shows), are real Word comments on the same words: a comment
on words the newer text deleted spans the deleted runs, inside their w:del, so that it
goes with them when the deletion is accepted and stays when it is rejected.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from ..compare.comments import NONE, Remark, Remarks, covering, locate, side_text
from ..compare.tokens import word_count
from ..model import DELETE, EQUAL, INSERT, BlockChange, Comparison, Op
from ..negotiate.positions import Delta, PositionsComparison
from . import ooxml, summary
from .docx_tables import grid, note
from .word import STYLE_NOTE, Meta, WordDocument, numbered_labels, word_date


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
    writer = _Redline(word, meta.side or c.new_name or "drafting", word_date(meta.time), auto)
    changes = _separate_insertions(list(c.blocks), auto)
    marks = _paragraph_marks(changes)
    for index, change in enumerate(changes):
        word.append(writer.paragraph(change, *marks[index], remarks.at(index)))
    return word.save()


def _separate_insertions(changes: list[BlockChange], auto: bool) -> list[BlockChange]:
    """LibreOffice joins an insertion at the end of a paragraph and one at the start of the
    next into a single change spanning the paragraph break, so that rejecting it joins the
    two paragraphs. Where that would happen, end the first paragraph with a deletion: a
    final replacement is written insertion-first, and a final pure insertion takes the
    word before it along ("[-apply-][+apply mutatis mutandis+]")."""
    out = list(changes)
    for i in range(len(out) - 1):
        p, q = out[i], out[i + 1]
        if not (p.in_old and p.in_new and q.in_old and q.in_new and p.ops
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


def _paragraph_marks(changes: list[BlockChange]) -> list[tuple[str | None, int | None]]:
    """For each paragraph: how its mark is tracked ("w:ins", "w:del" or None), and the
    paragraph whose formatting its mark had before (for w:pPrChange), if any.

    Normally an inserted paragraph's own mark is inserted. But when the paragraph before a
    run of inserted paragraphs ends with inserted text, LibreOffice merges that text with
    the inserted paragraphs and, on rejection, joins the paragraphs around them. So there
    the preceding paragraph's mark is the inserted one, and the last inserted paragraph
    keeps the original mark with a record of the formatting it had: the form Word itself
    writes when someone types at the end of a paragraph and presses Enter."""
    marks: list[tuple[str | None, int | None]] = [
        ("w:ins" if not ch.in_old else "w:del" if not ch.in_new else None, None)
        for ch in changes]
    for i, change in enumerate(changes[:-1]):
        if not (change.in_old and change.in_new and change.ops and change.ops[-1].op == INSERT):
            continue
        j = i
        while j + 1 < len(changes) and changes[j + 1].in_new and not changes[j + 1].in_old:
            j += 1
        if j > i:
            marks[i] = ("w:ins", None)
            marks[j] = (None, i)
    return marks


class _Redline:
    def __init__(self, word: WordDocument, author: str, date: str, auto: bool):
        self.word, self.author, self.date, self.auto = word, author, date, auto
        self.formats: list[etree._Element] = []  # each paragraph's own w:pPr, in order

    def _mark(self, kind: str, runs: list[etree._Element]) -> etree._Element:
        return ooxml.revision(kind, self.word.ids, self.author, self.date, runs)

    def paragraph(self, change: BlockChange, mark: str | None, formerly: int | None,
                  remarks: list[Remark]) -> etree._Element:
        block = change.block
        p, typed = self.word.block_paragraph(block)
        ppr = p.find(qn("w:pPr"))
        self.formats.append(copy.deepcopy(ppr))
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
        runs = self._runs(ops, whole)
        p.extend(run if run.getparent() is None else run.getparent() for run in runs
                 if run is not None)
        if change.in_new:
            p.append(end)
        for remark, span in spans:
            self._comment(remark, span or _whole(ops, remark.text_side), runs)
        return p

    def _comment(self, remark: Remark, span: tuple[int, int] | None,
                 runs: list[etree._Element | None]) -> None:
        """The comment on the runs of its words (inside their w:ins or w:del)."""
        if span is None:
            return  # a block without text on its side: nothing to anchor to
        first, last = runs[span[0]], runs[span[1]]
        if first is not None and last is not None:
            self.word.comment(first, last, remark.comment, remark.key, remark.parent)

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

    def _runs(self, ops: list[Op], whole: str | None) -> list[etree._Element | None]:
        """One run per op (in its w:ins or w:del, if any), None for an op the paragraph
        does not show."""
        out: list[etree._Element | None] = []
        for op in ops:
            kind = whole or {EQUAL: None, INSERT: "w:ins", DELETE: "w:del"}[op.op]
            if (whole == "w:ins" and op.op == DELETE) or (whole == "w:del" and op.op == INSERT):
                out.append(None)
                continue
            run = ooxml.text_run(op.text, deleted=kind == "w:del")
            if kind:
                self._mark(kind, [run])
            out.append(run)
        return out


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
