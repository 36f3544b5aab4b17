"""One story of the newer file (the body, a footnote) made into the redline against the
same story of the older one: items paired in order (drafting.compare's alignment), paired
paragraphs word-diffed (its word diff), tables row by row and cell by cell; what the older
file alone has is copied in and marked deleted, what the newer alone has marked inserted.

Paragraph marks. Inserting paragraph P after paragraph O inserts the characters "¶P"
(O's mark, then P's text) as much as "P¶"; we write the first: O's mark is marked inserted
and P ends with the mark that was O's. A reject then joins O's text to P's mark, and an
accept of a deletion joins likewise, so the paragraph that survives is always the one
whose text comes first, which is the paragraph whose properties LibreOffice keeps: a
heading after an inserted paragraph stays a heading, and list labels stay as they were.
Only where no paragraph precedes (the start of a cell, after a table) does a paragraph
carry its own mark's change.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from ..compare import Options
from ..compare.align import align
from ..compare.words import diff_text
from ..model import DELETE, EQUAL, HEADING, INSERT, PARAGRAPH, Block, Op
from ..readers.docx.xml import w
from . import formats
from .carry import Carrier, unwrapped
from .marks import DEL, INS, Marker, piece_runs, split
from .walk import NOTE_REFS, TEXT_BOX, Item, Para, Row, Table, Walker, boxes, paragraphs

PAIRED, INSERTED, DELETED = "paired", "inserted", "deleted"
_MARK = {INSERTED: INS, DELETED: DEL}
_SECT = f"{w('pPr')}/{w('sectPr')}"
_LINK = w("hyperlink")
_MATH_PARA = "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMathPara"
_GAP_LIMIT = 10_000  # items (old x new) between two pairs paired optimally by kind


@dataclass
class Story:
    """The redline of one story: what it needs of both files, and the note references it
    found paired ((kind, old id, new id)) for the notes' own comparison."""

    marker: Marker
    carrier: Carrier
    old_walker: Walker
    new_walker: Walker
    old_part: str
    new_part: str
    note_pairs: list[tuple[str, str, str]]
    on_note: Callable[[etree._Element], None]  # a note reference copied from the older file

    def container(self, old: list[Item], new: list[Item], parent: etree._Element) -> None:
        pairs = pair_items(old, new)
        out: list[tuple[str, etree._Element]] = []  # (status, element) in reading order
        cursor: etree._Element | None = None
        i = j = 0
        for pi, pj in [*pairs, (len(old), len(new))]:
            for item in old[i:pi]:
                if isinstance(item, Table) and not item.rows:
                    continue  # a table without rows shows nothing (and is not valid)
                element = self._copied(item)
                _place(element, cursor, new[j].element if j < len(new) else None, parent)
                cursor = element
                out.append((DELETED, element))
            for item in new[j:pj]:
                self._inserted(item)
                cursor = item.element
                out.append((INSERTED, item.element))
            if pi < len(old):
                a, b = old[pi], new[pj]
                if isinstance(a, Para):
                    self.paragraph(a, b)  # type: ignore[arg-type]
                    self.carrier.paired(a.element, b.element, self.old_part, self.new_part)
                else:
                    self.table(a, b)  # type: ignore[arg-type]
                cursor = b.element
                out.append((PAIRED, b.element))
            i, j = pi + 1, pj + 1
        self._marks(out)

    # -- items only one file has -------------------------------------------------------

    def _copied(self, item: Item) -> etree._Element:
        element = self.carrier.bring(copy.deepcopy(item.element), self.old_part, self.new_part)
        for node in element.iter(*NOTE_REFS):
            self.on_note(node)
        for sect in element.findall(_SECT):
            sect.getparent().remove(sect)  # a section break the newer file does not have
        copied = self.new_walker.paragraph(element) if isinstance(item, Para) else \
            self.new_walker.table(element)
        self._all(copied, DELETED)
        return element

    def _inserted(self, item: Item) -> None:
        self._all(item, INSERTED)

    def _all(self, item: Item, status: str) -> None:
        """Every run of a paragraph, or every row of a table, inserted or deleted (the
        paragraph marks of a paragraph are the caller's; those in cells are marked)."""
        if isinstance(item, Para):
            self._runs(item, status)
            return
        for row in item.rows:
            self._row(row, status)

    def _row(self, row: Row, status: str) -> None:
        self.marker.row(row.element, _MARK[status])
        for cell in row.cells:
            for para in paragraphs(cell):
                self._runs(para, status)
            cell_paras = [p for p in cell if isinstance(p, Para)]
            for para in cell_paras[:-1]:
                self.marker.paragraph_mark(para.element, _MARK[status])

    def _runs(self, para: Para, status: str) -> None:
        if status == DELETED:
            self.marker.delete_pieces(para.pieces)
        else:
            self.marker.wrap((p.node for p in para.pieces), INS)

    # -- paired items ------------------------------------------------------------------

    def paragraph(self, old: Para, new: Para) -> None:
        formats.paragraph_props(old.element, new.element, self.marker, self._bring)
        ops = diff_text(old.text, new.text) if old.text != new.text else \
            [Op(EQUAL, new.text)]
        equal, oa, na = [], 0, 0
        for op in ops:
            if op.op == EQUAL:
                equal.append((oa, na, len(op.text)))
            oa += 0 if op.op == INSERT else len(op.text)
            na += 0 if op.op == DELETE else len(op.text)
        formatted = formats.differences(old, new, equal, self._bring)
        if old.text == new.text and not formatted:
            self._pair_inner(old.pieces, new.pieces)
            return
        cuts, at = {c for s, e, _ in formatted for c in (s, e)}, 0
        for op in ops:
            if op.op != DELETE:
                cuts.update((at, at + len(op.text)))
                at += len(op.text)
        new = split(new, cuts, self.new_walker)
        starts, ends = _bounds(new)
        oa = na = 0
        inserted = []
        for op in ops:
            size = len(op.text)
            if op.op == EQUAL:
                self._pair_inner(_within(old, oa, oa + size), _within(new, na, na + size))
                oa, na = oa + size, na + size
            elif op.op == DELETE:
                changes = [c for node in
                           self.marker.deleted(piece_runs(old.pieces, oa, oa + size))
                           for c in unwrapped(self._bring(node))]
                for change in changes:
                    for node in change.iter(*NOTE_REFS):
                        self.on_note(node)
                if any(c.tag == _LINK for c in changes) and (na in ends or na in starts):
                    changes = _placed_beside_link(changes, ends, starts, na)
                first = changes[0]
                if na in ends:
                    ends[na].addnext(first)
                elif na in starts:
                    starts[na].addprevious(first)
                else:
                    ppr = new.element.find(w("pPr"))
                    new.element.insert(0 if ppr is None else 1, first)
                for before, after in itertools.pairwise(changes):
                    before.addnext(after)
                ends[na] = changes[-1]
                oa += size
            else:
                inserted.extend(p.node for p in _within(new, na, na + size))
                na += size
        self.marker.wrap(inserted, INS)
        formats.mark_runs(new, formatted, self.marker, self._bring)

    def _bring(self, element: etree._Element) -> etree._Element:
        return self.carrier.bring(element, self.old_part, self.new_part)

    def _pair_inner(self, old: list, new: list) -> None:
        """Kept text's note references, paired for the notes' own comparison, and its text
        boxes, whose paragraphs are compared here as containers of their own (a shape is
        the same atom whatever its text: walk.identity)."""
        olds = [p.element for p in old if p.element.tag in NOTE_REFS]
        news = [p.element for p in new if p.element.tag in NOTE_REFS]
        for a, b in zip(olds, news, strict=False):
            if a.tag == b.tag:
                self.note_pairs.append((NOTE_REFS[a.tag], a.get(w("id")), b.get(w("id"))))
        for a, b in zip(_boxed(old), _boxed(new), strict=False):  # equal atoms: as many
            for x, y in zip(boxes(a), boxes(b), strict=True):
                self.container(self.old_walker.container(x), self.new_walker.container(y), y)

    def table(self, old: Table, new: Table) -> None:
        pairs = [(i, j) for i, j in pair_blocks([r.text for r in old.rows],
                                                [r.text for r in new.rows])
                 if len(old.rows[i].cells) == len(new.rows[j].cells)]
        cursor: etree._Element | None = None
        i = j = 0
        for pi, pj in [*pairs, (len(old.rows), len(new.rows))]:
            for row in old.rows[i:pi]:
                element = self._copied_row(row)
                _place(element, cursor, new.rows[j].element if j < len(new.rows) else None,
                       new.element)
                cursor = element
            for row in new.rows[j:pj]:
                self._row(row, INSERTED)
                cursor = row.element
            if pi < len(old.rows):
                a, b = old.rows[pi], new.rows[pj]
                for old_cell, new_cell, tc in zip(a.cells, b.cells, _cells(b.element),
                                                  strict=False):
                    self.container(old_cell, new_cell, tc)
                cursor = b.element
            i, j = pi + 1, pj + 1

    def _copied_row(self, row: Row) -> etree._Element:
        element = self.carrier.bring(copy.deepcopy(row.element), self.old_part, self.new_part)
        for node in element.iter(*NOTE_REFS):
            self.on_note(node)
        walked = self.new_walker.table(_wrapped_row(element)).rows[0]
        self._row(walked, DELETED)
        return element

    # -- paragraph marks ---------------------------------------------------------------

    def _marks(self, out: list[tuple[str, etree._Element]]) -> None:
        """Mark the paragraph marks of a container's paragraphs (see the module's
        docstring): in each stretch of paragraphs between tables, a paragraph's mark takes
        the change of the paragraph after it once a paired paragraph has been met, its own
        change before."""
        stretch: list[tuple[str, etree._Element]] = []
        for status, element in [*out, ("", None)]:
            if element is not None and element.tag == w("p"):
                stretch.append((status, element))
                if element.find(_SECT) is None:
                    continue
            self._mark_stretch(stretch, last=element is None)
            stretch = []

    def _mark_stretch(self, stretch: list[tuple[str, etree._Element]], last: bool) -> None:
        """`last`: the stretch ends the container, whose final mark both files have."""
        k = 0
        while k < len(stretch):
            if stretch[k][0] == PAIRED:
                k += 1
                continue
            end = k
            while end < len(stretch) and stretch[end][0] != PAIRED:
                end += 1
            group = stretch[k:end]
            following = stretch[end][1] if end < len(stretch) else None
            if k > 0 and (following is None or any(
                    formats.base(e) != formats.base(following) for _, e in group)):
                # the mark before the group carries the first change, each paragraph's
                # mark the next one's (the last keeps its mark)
                marks = [(stretch[k - 1][1], group[0][0])] + [
                    (e, group[n + 1][0]) for n, (_, e) in enumerate(group[:-1])]
            else:
                marks = [(e, status) for status, e in group]
                if following is None and last:
                    marks.pop()  # the container's final mark
            for element, status in marks:
                if element.find(_SECT) is None:
                    self.marker.paragraph_mark(element, _MARK[status])
            k = end


def pair_items(old: list[Item], new: list[Item]) -> list[tuple[int, int]]:
    """In-order pairs of two containers' items; a table pairs only with a table. What is
    left between two pairs is paired in order, item for item while the two are of one
    kind (a table, a heading of one level, a body paragraph): a paragraph rewritten is
    then one paragraph with its words changed, and keeps its mark."""
    pairs = pair_blocks([_key(x) for x in old], [_key(x) for x in new],
                        [_level(x) for x in old], [_level(x) for x in new])
    pairs = [(i, j) for i, j in pairs if type(old[i]) is type(new[j])]
    if old and new and isinstance(old[-1], Para) and isinstance(new[-1], Para) and (
            not pairs or (pairs[-1][0] < len(old) - 1 and pairs[-1][1] < len(new) - 1)):
        pairs.append((len(old) - 1, len(new) - 1))  # the final marks: both files have one
    out: list[tuple[int, int]] = []
    i = j = 0
    for pi, pj in [*pairs, (len(old), len(new))]:
        out.extend(_same_kinds([_level(x) for x in old[i:pi]], [_level(x) for x in new[j:pj]],
                               i, j))
        if pi < len(old):
            out.append((pi, pj))
        i, j = pi + 1, pj + 1
    return [(i, j) for i, j in out if not _display_math_changed(old[i], new[j])]


def _display_math_changed(a: Item, b: Item) -> bool:
    """A changed paragraph holding a display equation (m:oMathPara) is deleted and inserted
    whole: LibreOffice reads a change around an m:oMathPara as a change of its paragraph."""
    return isinstance(a, Para) and isinstance(b, Para) and a.text != b.text and any(
        p.element.tag == _MATH_PARA for p in (*a.pieces, *b.pieces))


def _same_kinds(old: list[int], new: list[int], i: int, j: int) -> list[tuple[int, int]]:
    """The longest in-order pairing of items of one kind (a longest common subsequence),
    offset by i and j; in order, item for item, where the gap is too large for that."""
    if len(old) * len(new) > _GAP_LIMIT:
        return [(i + a, j + b) for a, b in zip(range(len(old)), range(len(new)), strict=False)
                if old[a] == new[b]]
    best = [[0] * (len(new) + 1) for _ in range(len(old) + 1)]
    for a in range(len(old) - 1, -1, -1):
        for b in range(len(new) - 1, -1, -1):
            best[a][b] = best[a + 1][b + 1] + 1 if old[a] == new[b] else max(
                best[a + 1][b], best[a][b + 1])
    out, a, b = [], 0, 0
    while a < len(old) and b < len(new):
        if old[a] == new[b]:
            out.append((i + a, j + b))
            a, b = a + 1, b + 1
        elif best[a + 1][b] >= best[a][b + 1]:
            a += 1
        else:
            b += 1
    return out


def _level(item: Item) -> int:
    return item.heading if isinstance(item, Para) else -1


def pair_blocks(old: list[str], new: list[str], old_levels: list[int] | None = None,
                new_levels: list[int] | None = None) -> list[tuple[int, int]]:
    """drafting.compare's block alignment on these texts (a level > 0 makes a heading),
    kept to the pairs in order: what moved is deleted where it was and inserted where it
    is."""
    def blocks(texts: list[str], levels: list[int] | None) -> list[Block]:
        return [Block(HEADING if levels and levels[k] else PARAGRAPH,
                      levels[k] if levels else 0, f"auto:{k}", "", text)
                for k, text in enumerate(texts)]

    alignment = align(blocks(old, old_levels), blocks(new, new_levels), Options())
    out, last = [], -1
    for i in sorted(alignment.old_to_new):
        j = alignment.old_to_new[i]
        if i not in alignment.moved and j > last:
            out.append((i, j))
            last = j
    return out


def _key(item: Item) -> str:
    return item.text if isinstance(item, Para) else "\ue000table " + item.text


def _place(element: etree._Element, cursor: etree._Element | None,
           following: etree._Element | None, parent: etree._Element) -> None:
    """Put copied content after what was placed last, else before the first item, else
    at the end of the container (before a body's w:sectPr)."""
    if cursor is not None:
        cursor.addnext(element)
    elif following is not None:
        following.addprevious(element)
    else:
        sect = parent.find(w("sectPr"))
        if sect is not None and parent.tag == w("body"):
            sect.addprevious(element)
        else:
            parent.append(element)


def _placed_beside_link(changes: list[etree._Element], ends: dict, starts: dict,
                        at: int) -> list[etree._Element]:
    """Deleted text that was a link goes next to the newer file's link at that place,
    not into it (no link in a link): beside it when the place is at the link's edge, else
    without its own link."""
    after = at in ends
    node = ends[at] if after else starts[at]
    parent = node.getparent()
    while parent is not None and parent.tag == _LINK and (
            parent[-1] is node if after else parent[0] is node):
        node, parent = parent, parent.getparent()
    if parent is not None and (parent.tag == _LINK or any(
            a.tag == _LINK for a in parent.iterancestors())):
        return [c for change in changes for c in (list(change) if change.tag == _LINK
                                                  else [change])]
    (ends if after else starts)[at] = node
    return changes


def _boxed(pieces: list) -> list[etree._Element]:
    """The atoms among `pieces` that hold text boxes."""
    return [p.element for p in pieces if p.atom and p.element.find(f".//{TEXT_BOX}") is not None]


def _bounds(para: Para) -> tuple[dict[int, etree._Element], dict[int, etree._Element]]:
    """The node that starts and the node that ends at each offset of the text."""
    starts: dict[int, etree._Element] = {}
    ends: dict[int, etree._Element] = {}
    at = 0
    for piece in para.pieces:
        starts.setdefault(at, piece.node)
        at += len(piece.text)
        ends[at] = piece.node
    return starts, ends


def _within(para: Para, start: int, end: int) -> list:
    out, at = [], 0
    for piece in para.pieces:
        if start <= at < end:
            out.append(piece)
        at += len(piece.text)
    return out


def _cells(tr: etree._Element) -> list[etree._Element]:
    return [tc for tc in tr.iter(w("tc")) if _owner_row(tc) is tr]


def _owner_row(tc: etree._Element) -> etree._Element | None:
    node = tc.getparent()
    while node is not None and node.tag != w("tr"):
        node = node.getparent()
    return node


def _wrapped_row(tr: etree._Element) -> etree._Element:
    """A table element holding only `tr`, for walking it (the row stays where it is)."""
    holder = etree.Element(w("tbl"))
    holder.append(tr)
    return holder
