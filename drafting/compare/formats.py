"""Formatting changes on text that is the same on both sides: "Parties" made bold, a link
pointed elsewhere. The diff compares words; this compares the inline marks over each
equal run the word diff kept (object tokens aside: a changed token is changed text).

The formatting of a block is piecewise constant: it changes only where a mark starts or
ends. Each side is swept once into its stretches of one formatting, and an equal run is
cut where either side's formatting changes, so the work grows with the marks and ops,
not with the characters."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter

from ..model import DELETE, EQUAL, INSERT, OBJECT, FormatChange, Mark, Op

Key = frozenset[tuple[str, str]]
_NONE: Key = frozenset()


def format_changes(ops: tuple[Op, ...] | list[Op], old: tuple[Mark, ...],
                   new: tuple[Mark, ...]) -> tuple[FormatChange, ...]:
    """Each stretch of equal text whose marks differ, at its offsets in the new text."""
    if not old and not new:
        return ()
    old_f, new_f = _Formatting(old), _Formatting(new)
    out: list[FormatChange] = []
    at_old = at_new = 0
    for op in ops:
        n = len(op.text)
        if op.op == EQUAL and n:
            cuts = sorted({0, *old_f.cuts(at_old, n), *new_f.cuts(at_new, n)})
            run: tuple[Key, Key] | None = None
            start = 0
            for k, end in zip(cuts, [*cuts[1:], n], strict=True):
                pair = (old_f.at(at_old + k), new_f.at(at_new + k))
                if pair != run:
                    if run is not None and run[0] != run[1]:
                        out.append(_change(op.text, start, k, at_new, *run))
                    run, start = pair, k
                if end == n and run[0] != run[1]:
                    out.append(_change(op.text, start, n, at_new, *run))
        if op.op != INSERT:
            at_old += n
        if op.op != DELETE:
            at_new += n
    return tuple(c for c in out if c.text.strip())


class _Formatting:
    """The formatting of one block's characters as stretches: `keys[i]` holds from
    `starts[i]` to the next start (before the first, none)."""

    def __init__(self, marks: tuple[Mark, ...]):
        events: dict[int, list[tuple[int, tuple[str, str]]]] = {}
        for m in marks:
            if m.kind != OBJECT and m.start < m.end:
                events.setdefault(m.start, []).append((1, (m.kind, m.value)))
                events.setdefault(m.end, []).append((-1, (m.kind, m.value)))
        self.starts: list[int] = []
        self.keys: list[Key] = []
        active: Counter[tuple[str, str]] = Counter()
        last = _NONE
        for at in sorted(events):
            for step, key in events[at]:
                active[key] += step
            now = frozenset(k for k, count in active.items() if count > 0)
            if now != last:
                self.starts.append(at)
                self.keys.append(now)
                last = now

    def at(self, pos: int) -> Key:
        i = bisect_right(self.starts, pos) - 1
        return self.keys[i] if i >= 0 else _NONE

    def cuts(self, start: int, n: int) -> list[int]:
        """Where the formatting changes inside text[start:start + n], from `start`."""
        lo, hi = bisect_right(self.starts, start), bisect_left(self.starts, start + n)
        return [s - start for s in self.starts[lo:hi]]


def _change(text: str, start: int, end: int, offset: int, before: Key, after: Key
            ) -> FormatChange:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece.rstrip())
    return FormatChange(offset + start + lead, offset + start + trail, piece.strip(),
                        tuple(sorted(_names(before - after))),
                        tuple(sorted(_names(after - before))))


def _names(keys: Key) -> list[str]:
    return [f"{kind} {value}" if value else kind for kind, value in keys]
