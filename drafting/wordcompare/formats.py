"""Formatting changed on text that stayed: a word made bold, a defined term italic, a
paragraph given another style. ECMA-376 Part 1, 17.13.5.31 and 17.13.5.29: w:rPrChange
in a run's w:rPr, and w:pPrChange in a paragraph's w:pPr, hold the properties as they were.

Only what a reader sees counts as a run's formatting (the marks below), so that a
language tag or a revision-session id is not a change.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable

from lxml import etree

from ..readers.docx.xml import w
from .marks import Marker
from .walk import Para, Piece, shape

SHOWN = tuple(w(t) for t in ("rStyle", "b", "i", "caps", "smallCaps", "strike", "dstrike",
                             "vanish", "color", "sz", "highlight", "u", "vertAlign", "shd"))
_RPR, _PPR = w("rPr"), w("pPr")
_NOT_BASE = {w("rPr"), w("sectPr"), w("pPrChange")}  # what w:pPr holds besides its base


Bring = Callable[[etree._Element], etree._Element]  # a copy from the older file made fit


def run_key(piece: Piece) -> tuple:
    """What a reader sees of the formatting of the run carrying `piece`."""
    rpr = piece.node.find(_RPR) if piece.node.tag == w("r") else None
    return () if rpr is None else _shown(rpr)


def _shown(rpr: etree._Element) -> tuple:
    return shape(c for c in rpr if c.tag in SHOWN)


def spans(para: Para) -> list[tuple[int, int, Piece]]:
    out, at = [], 0
    for piece in para.pieces:
        out.append((at, at + len(piece.text), piece))
        at += len(piece.text)
    return out


def differences(old: Para, new: Para, equal: list[tuple[int, int, int]], bring: Bring
                ) -> list[tuple[int, int, etree._Element | None]]:
    """(start, end, old w:rPr) in the newer text where kept text is formatted otherwise
    than it was, once the older file's character style ids are the newer file's (`bring`);
    `equal` lists the kept stretches as (old start, new start, length)."""
    old_spans, new_spans = spans(old), spans(new)
    out: list[tuple[int, int, etree._Element | None]] = []
    for oa, na, size in equal:
        cuts = {0, size}
        cuts.update(s - oa for s, e, _ in old_spans if oa < s < oa + size)
        cuts.update(s - na for s, e, _ in new_spans if na < s < na + size)
        points = sorted(cuts)
        for a, b in itertools.pairwise(points):
            before = _at(old_spans, oa + a)
            after = _at(new_spans, na + a)
            if before is None or after is None or run_key(before) == run_key(after):
                continue
            rpr = before.node.find(_RPR) if before.node.tag == w("r") else None
            if rpr is not None and rpr.find(w("rStyle")) is not None and _shown(
                    bring(_copied(_RPR, rpr, {w("rPrChange")}))) == run_key(after):
                continue  # two ids of one character style
            if out and out[-1][1] == na + a and out[-1][2] is rpr:
                out[-1] = (out[-1][0], na + b, rpr)
            else:
                out.append((na + a, na + b, rpr))
    return out


def _at(spans_: list[tuple[int, int, Piece]], offset: int) -> Piece | None:
    return next((p for s, e, p in spans_ if s <= offset < e), None)




def mark_runs(new: Para, changed: list[tuple[int, int, etree._Element | None]],
              marker: Marker, bring: Bring) -> None:
    """Record the old formatting on each run of the (already split) paragraph in `changed`."""
    done = set()
    for start, end, old_rpr in changed:
        for s, e, piece in spans(new):
            run = piece.node
            if s < start or e > end or run.tag != w("r") or id(run) in done:
                continue
            done.add(id(run))
            rpr = run.find(_RPR)
            if rpr is None:
                rpr = etree.Element(_RPR)
                run.insert(0, rpr)
            rpr.append(bring(_recorded(marker, w("rPrChange"), _RPR, old_rpr,
                                       {w("rPrChange")})))


def paragraph_props(old: etree._Element, new: etree._Element, marker: Marker,
                    bring: Bring) -> None:
    """A w:pPrChange on the newer paragraph when its own properties (style, numbering,
    indents) are not the older one's: compared once the older file's style and list ids
    are the newer file's (two ids may name one style), so that no change records the
    properties the paragraph has."""
    if base(old) == base(new):
        return
    original = bring(_copied(_PPR, old.find(_PPR), _NOT_BASE))
    if _shape_of(original) == base(new):
        return
    ppr = new.find(_PPR)
    if ppr is None:
        ppr = etree.Element(_PPR)
        new.insert(0, ppr)
    change = marker.revision(w("pPrChange"))
    change.append(original)
    ppr.append(change)


def _recorded(marker: Marker, tag: str, props: str, old: etree._Element | None,
              skipped: set[str]) -> etree._Element:
    """A property change (`tag`) holding a copy of the old properties `old`."""
    change = marker.revision(tag)
    change.append(_copied(props, old, skipped))
    return change


def _copied(props: str, old: etree._Element | None, skipped: set[str]) -> etree._Element:
    """A `props` element holding copies of the children of `old` not in `skipped`."""
    original = etree.Element(props)
    if old is not None:
        original.extend(copy.deepcopy(c) for c in old if c.tag not in skipped)
    return original


def base(p: etree._Element) -> tuple:
    """A paragraph's own properties (style, numbering, indents), not its mark's, as
    _shape_of gives them."""
    ppr = p.find(_PPR)
    return () if ppr is None else _shape_of(ppr)


def _shape_of(ppr: etree._Element) -> tuple:
    """The children of a w:pPr but its mark's properties and changes, as walk.shape
    gives them."""
    return shape(c for c in ppr if c.tag not in _NOT_BASE)
