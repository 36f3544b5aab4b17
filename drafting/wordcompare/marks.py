"""The XML edits that make tracked changes (ECMA-376 Part 1, 17.13.5): runs split where a
change begins or ends, inserted runs wrapped in w:ins, deleted ones (w:t become w:delText,
w:instrText w:delInstrText) in w:del, paragraph marks in w:pPr/w:rPr, table rows in
w:trPr. Every revision gets an id unique in the file, the author and one fixed date.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterable

from lxml import etree

from ..readers.docx.xml import w
from .walk import Para, Piece, Walker

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
INS, DEL = w("ins"), w("del")
_R, _RPR, _PPR, _T, _LINK = w("r"), w("rPr"), w("pPr"), w("t"), w("hyperlink")
_DELETED = {w("t"): w("delText"), w("instrText"): w("delInstrText")}
_PPR_AFTER_RPR = {w("sectPr"), w("pPrChange")}  # the only w:pPr children after w:rPr
_TRPR_BEFORE = {w("tblPrEx")}


class Marker:
    """Makes the revision elements of one redline."""

    def __init__(self, author: str, date: str):
        self.author, self.date = author, date
        self.count = 0

    def revision(self, tag: str) -> etree._Element:
        self.count += 1
        return etree.Element(tag, {w("id"): str(self.count), w("author"): self.author,
                                   w("date"): self.date})

    def wrap(self, nodes: Iterable[etree._Element], tag: str) -> None:
        """Put each stretch of neighbouring `nodes` (runs, math) into one w:ins or w:del."""
        group: list[etree._Element] = []
        for node in dict.fromkeys(nodes):
            if group and group[-1].getnext() is not node:
                self._wrap_group(group, tag)
                group = []
            group.append(node)
        if group:
            self._wrap_group(group, tag)

    def _wrap_group(self, group: list[etree._Element], tag: str) -> None:
        change = self.revision(tag)
        group[0].addprevious(change)
        change.extend(group)

    def paragraph_mark(self, p: etree._Element, tag: str) -> None:
        ppr = p.find(_PPR)
        if ppr is None:
            ppr = etree.Element(_PPR)
            p.insert(0, ppr)
        rpr = ppr.find(_RPR)
        if rpr is None:
            rpr = etree.Element(_RPR)
            after = next((c for c in ppr if c.tag in _PPR_AFTER_RPR), None)
            if after is None:
                ppr.append(rpr)
            else:
                after.addprevious(rpr)
        rpr.insert(0, self.revision(tag))  # w:ins and w:del come first in a mark's w:rPr

    def row(self, tr: etree._Element, tag: str) -> None:
        trpr = tr.find(w("trPr"))
        if trpr is None:
            trpr = etree.Element(w("trPr"))
            tr.insert(1 if len(tr) and tr[0].tag in _TRPR_BEFORE else 0, trpr)
        trpr.append(self.revision(tag))

    def deleted(self, pieces: list[tuple[etree._Element | None, etree._Element]]
                ) -> list[etree._Element]:
        """Deleted content to stand among runs: each stretch of new runs and math (with
        the hyperlink it was in, or None) in a w:del, inside a copy of its hyperlink."""
        out: list[etree._Element] = []
        previous: object = False
        for link, node in pieces:
            _as_deleted(node)
            if link is not previous:
                change = self.revision(DEL)
                if link is None:
                    out.append(change)
                else:
                    shell = etree.Element(link.tag, dict(link.attrib))
                    shell.append(change)
                    out.append(shell)
                previous = link
            change.append(node)
        return out

    def delete_pieces(self, pieces: list[Piece]) -> None:
        """Mark content already in place (copied from the older file) as deleted."""
        nodes = list(dict.fromkeys(p.node for p in pieces))
        for node in nodes:
            _as_deleted(node)
        self.wrap(nodes, DEL)


def _as_deleted(node: etree._Element) -> None:
    runs = [node] if node.tag == _R else []
    for run in runs:
        for child in run:
            if child.tag in _DELETED:
                child.tag = _DELETED[child.tag]


def piece_runs(old: list[Piece], start: int, end: int
               ) -> list[tuple[etree._Element | None, etree._Element]]:
    """New runs (and math) carrying old[start:end] of a paragraph's text, each with the
    properties of the run it came from, and the hyperlink that run was in (or None)."""
    out: list[tuple[etree._Element | None, etree._Element]] = []
    at = 0
    for piece in old:
        lo, hi = at, at + len(piece.text)
        at = hi
        if hi <= start or lo >= end:
            continue
        parent = piece.node.getparent()
        link = parent if parent is not None and parent.tag == _LINK else None
        if piece.node is piece.element:  # math standing among runs
            out.append((link, copy.deepcopy(piece.element)))
            continue
        if piece.atom:
            content = copy.deepcopy(piece.element)
        else:
            content = etree.Element(_T)
            content.text = piece.text[max(start, lo) - lo : min(end, hi) - lo]
            content.set(XML_SPACE, "preserve")
        run = _run_like(piece.node)
        run.append(content)
        out.append((link, run))
    return out


def _run_like(run: etree._Element) -> etree._Element:
    new = etree.Element(_R)
    rpr = run.find(_RPR)
    if rpr is not None:
        new.append(copy.deepcopy(rpr))
    return new


def split(para: Para, cuts: set[int], walker: Walker) -> Para:
    """The paragraph with one content element per run and runs cut at `cuts` (offsets in
    its text), walked again."""
    for run in dict.fromkeys(p.node for p in para.pieces if p.node.tag == _R):
        content = [c for c in run if c.tag != _RPR]
        for child in reversed(content[1:]):
            twin = _run_like(run)
            twin.append(child)
            run.addnext(twin)
    para = walker.paragraph(para.element)
    at = 0
    for piece in para.pieces:
        lo, hi = at, at + len(piece.text)
        at = hi
        inner = sorted(c - lo for c in cuts if lo < c < hi)
        if piece.atom or not inner:
            continue
        text = piece.text
        bounds = [0, *inner, len(text)]
        piece.element.text = text[: bounds[1]]
        piece.element.set(XML_SPACE, "preserve")
        node = piece.node
        for a, b in itertools.pairwise(bounds[1:]):
            twin = _run_like(piece.node)
            t = etree.SubElement(twin, _T)
            t.text = text[a:b]
            t.set(XML_SPACE, "preserve")
            node.addnext(twin)
            node = twin
    return walker.paragraph(para.element)
