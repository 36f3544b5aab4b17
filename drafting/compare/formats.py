"""Formatting changes on text that is the same on both sides: "Parties" made bold, a link
pointed elsewhere. The diff compares words; this compares the inline marks over each
equal run the word diff kept (object tokens aside: a changed token is changed text)."""

from __future__ import annotations

from ..model import DELETE, EQUAL, INSERT, OBJECT, FormatChange, Mark, Op

Key = frozenset[tuple[str, str]]


def format_changes(ops: tuple[Op, ...] | list[Op], old: tuple[Mark, ...],
                   new: tuple[Mark, ...]) -> tuple[FormatChange, ...]:
    """Each stretch of equal text whose marks differ, at its offsets in the new text."""
    if not old and not new:
        return ()
    old_keys, new_keys = _keys(old), _keys(new)
    out: list[FormatChange] = []
    at_old = at_new = 0
    for op in ops:
        if op.op == EQUAL:
            start, run = None, (_NONE, _NONE)
            for k in range(len(op.text) + 1):
                before = old_keys.get(at_old + k, _NONE) if k < len(op.text) else None
                after = new_keys.get(at_new + k, _NONE) if k < len(op.text) else None
                differs = before != after
                if start is not None and (not differs or (before, after) != run):
                    out.append(_change(op.text, start, k, at_new, *run))
                    start = None
                if differs and start is None and k < len(op.text):
                    start, run = k, (before, after)
        if op.op != INSERT:
            at_old += len(op.text)
        if op.op != DELETE:
            at_new += len(op.text)
    return tuple(c for c in out if c.text.strip())


_NONE: Key = frozenset()


def _keys(marks: tuple[Mark, ...]) -> dict[int, Key]:
    """The formatting of each marked character."""
    sets: dict[int, set[tuple[str, str]]] = {}
    for m in marks:
        if m.kind != OBJECT:
            for k in range(m.start, m.end):
                sets.setdefault(k, set()).add((m.kind, m.value))
    return {k: frozenset(v) for k, v in sets.items()}


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
