"""Reviewers' comments beside a comparison: each comment of the older and of the newer
revision placed at the block change its words belong to, marked with the side it came in,
and located in that change's runs of text, so that every writer can show it next to its
words (or write it around them, as the redline does).

A comment found in both revisions (same author, date and text: a file that went out with
its comments and came back with them) is shown once, as the newer side's, marked "both".
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..model import DELETE, EQUAL, INSERT, Comment, Comparison, Op

OLD, NEW, BOTH = "old", "new", "both"


@dataclass(frozen=True)
class Remark:
    """A comment placed in a comparison."""

    comment: Comment
    side: str  # OLD, NEW or BOTH
    revisions: tuple[str, ...]  # where it came in: "r3", a file name; two for BOTH
    change: int | None  # index of its block change in Comparison.blocks; None: not there
    key: str  # unique in the comparison: side of origin and the comment's id there
    parent: str | None = None  # key of the comment this one answers

    @property
    def text_side(self) -> str:
        """Which text its words are in: the old one for a comment of the old side only."""
        return OLD if self.side == OLD else NEW

    @property
    def tag(self) -> str:
        """"old: r2", "new: r3", "both: r2, r3": for people."""
        return f"{self.side}: {', '.join(self.revisions)}"

    def to_dict(self) -> dict[str, object]:
        return {**self.comment.to_dict(), "side": self.side, "revisions": list(self.revisions),
                "change": self.change}


@dataclass(frozen=True)
class Remarks:
    items: tuple[Remark, ...] = ()
    _at: dict[int, list[Remark]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        at: dict[int, list[Remark]] = {}
        for remark in self.items:
            if remark.change is not None:
                at.setdefault(remark.change, []).append(remark)
        object.__setattr__(self, "_at", at)

    def __bool__(self) -> bool:
        return bool(self.items)

    def at(self, index: int) -> list[Remark]:
        """The remarks on the block change at `index`, threads kept together."""
        return self._at.get(index, [])

    @property
    def unplaced(self) -> list[Remark]:
        """Comments whose block is in neither text compared."""
        return [r for r in self.items if r.change is None]

    @property
    def replies(self) -> set[str]:
        return {r.key for r in self.items if r.parent}


NONE = Remarks()


def _same(comment: Comment) -> tuple[str, str, str]:
    return comment.author, comment.date, comment.text


def place(c: Comparison, old: Sequence[Comment], new: Sequence[Comment],
          old_revision: str, new_revision: str) -> Remarks:
    """The comments of both sides at the block changes their blocks are in (old comments
    at the old block, new ones at the new block: a moved block's two ends)."""
    if not old and not new:
        return NONE
    at_old = {ch.old.id: i for i, ch in enumerate(c.blocks) if ch.in_old and ch.old}
    at_new = {ch.new.id: i for i, ch in enumerate(c.blocks) if ch.in_new and ch.new}
    in_new = {_same(x) for x in new}
    in_old = {_same(x) for x in old}
    out: list[Remark] = []
    for side, comments, at, tags in ((OLD, old, at_old, (old_revision,)),
                                     (NEW, new, at_new, (new_revision,))):
        for comment in comments:
            shared = _same(comment) in (in_new if side == OLD else in_old)
            if side == OLD and shared:
                continue  # shown as the newer side's
            out.append(Remark(comment, BOTH if shared else side,
                              (old_revision, new_revision) if shared else tags,
                              at.get(comment.block or ""), f"{side}:{comment.id}",
                              f"{side}:{comment.parent}" if comment.parent else None))
    keys = {r.key for r in out}
    out = [r if r.parent in keys or r.parent is None else
           Remark(r.comment, r.side, r.revisions, r.change, r.key, None) for r in out]
    return Remarks(tuple(_threads(out)))


def _threads(remarks: list[Remark]) -> Iterable[Remark]:
    """Each reply right after what it answers (and that answer's own replies), however
    long the chain (a hostile file may chain thousands: no recursion)."""
    children: dict[str, list[Remark]] = {}
    for r in remarks:
        if r.parent:
            children.setdefault(r.parent, []).append(r)
    seen: set[str] = set()
    roots = [r for r in remarks if r.parent is None] + remarks  # then cycles, once
    for root in roots:
        stack = [root]
        while stack:
            r = stack.pop()
            if r.key in seen:
                continue
            seen.add(r.key)
            yield r
            stack.extend(reversed(children.get(r.key, [])))


# -- where a comment's words are ---------------------------------------------------------

def anchor_span(text: str, quoted: str) -> tuple[int, int] | None:
    """Where a comment's quoted words are in a text (spacing aside), None when gone."""
    if not quoted.strip():
        return None
    at = text.find(quoted)
    if at >= 0:  # as written: most comments; no pattern to compile
        return at, at + len(quoted)
    found = re.search(r"\s+".join(map(re.escape, quoted.split())), text)
    return found.span() if found else None


def anchor(text: str, quoted: str) -> tuple[int, int]:
    """The quoted words' place, or the whole text when they are no longer there."""
    return anchor_span(text, quoted) or (0, len(text))


def counts(op: Op, side: str) -> bool:
    """Whether an op's text is part of that side's text."""
    return op.op == EQUAL or op.op == (DELETE if side == OLD else INSERT)


def side_text(ops: Sequence[Op], side: str) -> str:
    return "".join(op.text for op in ops if counts(op, side))


def cut(ops: Sequence[Op], side: str, offsets: Iterable[int]) -> list[Op]:
    """The ops with each op of `side`'s text cut at the given offsets in that text, so
    that a comment can start and end on an op's edge."""
    marks = sorted(set(offsets))
    out: list[Op] = []
    pos = 0
    for op in ops:
        if not counts(op, side):
            out.append(op)
            continue
        end = pos + len(op.text)
        edges = [pos, *marks[bisect_right(marks, pos):bisect_left(marks, end)], end]
        out += [Op(op.op, op.text[a - pos : b - pos], op.kind, op.move)
                for a, b in itertools.pairwise(edges)]
        pos = end
    return out


def covering(ops: Sequence[Op], side: str, span: tuple[int, int],
             where: tuple[list[int], list[int], list[int]] | None = None
             ) -> tuple[int, int] | None:
    """Indices of the first and last op of `side` whose text is inside span (ops cut at
    its edges); a span of no text takes the op it stands in. `where`: the ops' places
    (`places`), when many spans are looked up in the same ops."""
    index, starts, ends = where or places(ops, side)
    start, end = span
    first = bisect_right(ends, start)  # the first op ending after the span starts
    last = bisect_left(starts, max(end, start + 1)) - 1  # the last starting before it ends
    return (index[first], index[last]) if first <= last else None


def places(ops: Sequence[Op], side: str) -> tuple[list[int], list[int], list[int]]:
    """Each op of `side`'s text with text: its index, and where it starts and ends."""
    index, starts, ends = [], [], []
    pos = 0
    for i, op in enumerate(ops):
        if counts(op, side) and op.text:
            index.append(i)
            starts.append(pos)
            pos += len(op.text)
            ends.append(pos)
    return index, starts, ends


def locate(ops: Sequence[Op], remarks: Sequence[Remark], starts: bool = True
           ) -> tuple[list[Op], list[tuple[Remark, tuple[int, int] | None]]]:
    """The ops cut at the edges of each comment's words (only where they end, without
    `starts`), and for each comment the first and last op of its words (in its side's
    text), or None when they are gone."""
    if not remarks:
        return list(ops), []
    texts = {side: side_text(ops, side) for side in {r.text_side for r in remarks}}
    spans = [(r, anchor_span(texts[r.text_side], r.comment.quoted)) for r in remarks]
    cut_ops = list(ops)
    for side in (OLD, NEW):
        edges = [x for r, span in spans if span and r.text_side == side
                 for x in (span if starts else span[1:])]
        if edges:
            cut_ops = cut(cut_ops, side, edges)
    where = {side: places(cut_ops, side) for side in texts}
    return cut_ops, [(r, covering(cut_ops, r.text_side, span, where[r.text_side])
                      if span else None) for r, span in spans]
