"""What every diff format says before the text: who is compared with whom, the totals,
renumbering, moves and broken cross-references; and where each change stands."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from ..compare.tokens import word_count
from ..model import ARTICLE_LEVEL, DELETE, INSERT, BlockChange, Comparison


def totals_line(c: Comparison) -> str:
    s = c.stats
    parts = [f"{s.blocks_changed} changed", f"{s.blocks_inserted} inserted",
             f"{s.blocks_deleted} deleted"]
    if s.blocks_moved:
        parts.append(f"{s.blocks_moved} moved")
    words = f"{s.words_inserted} words inserted, {s.words_deleted} deleted"
    moves = f", {s.moves} move{'s' if s.moves != 1 else ''}" if s.moves else ""
    return f"blocks: {', '.join(parts)}; {words}{moves}"


def change_kinds(c: Comparison) -> Counter[str]:
    """How many changes of each kind (modal, number, text, punctuation...)."""
    kinds: Counter[str] = Counter()
    for block in c.blocks:
        previous = None
        for op in block.ops:
            replacing = previous is not None and previous.op == DELETE and op.op == INSERT
            if op.op in (INSERT, DELETE) and op.kind and op.kind != "move" and not replacing:
                kinds[op.kind] += 1
            previous = op
        kinds["format"] += len(block.formats)
    return kinds


def kinds_line(c: Comparison) -> str:
    kinds = change_kinds(c)
    order = ["modal", "number", "text", "reference", "case", "punctuation", "whitespace",
             "object", "format"]
    return ", ".join(f"{kinds[k]} {k}" for k in order if kinds[k])


def notes(c: Comparison) -> list[str]:
    """Renumbering, moves and stale references, one line each."""
    lines = [f"renumbered: {r.text}" for r in c.renumberings]
    for m in c.moves:
        what = "moved" if m.kind != "words" else f"moved {m.words} words"
        lines.append(f"{what}: {m.from_label or '(start)'} -> {m.to_label or '(start)'}"
                     f"  \"{m.text}\"")
    lines += [f"check: {s.message}" for s in c.stale_refs]
    return lines


@dataclass(frozen=True)
class Located:
    change: BlockChange
    article: str  # "Article 4 — Freeze of Fissile Material Production", or ""
    where: str  # the block's own label, or its article's


def located(c: Comparison) -> Iterator[Located]:
    """Each block change with the Article it stands in (in the new text, or the old); one
    of a header or footer with its story ("footer") for Article."""
    article = heading = ""
    for change in c.blocks:
        block = change.block
        if block.story is not None:  # a header or footer stands in no Article
            yield Located(change, block.story, block.shown_label or block.story)
            continue
        if block.is_heading and block.level <= ARTICLE_LEVEL:
            separator = " " if block.written is not None else " — "
            article = separator.join(p for p in (block.shown_label, block.text) if p)
            heading = block.shown_label or article
        yield Located(change, article, block.shown_label or heading)


def cell_note(change: BlockChange) -> str:
    """Which table cell a block change is in ("table 1, row 2, cell 3"), or how it moved
    into, out of or between cells; "" outside tables."""
    old = change.old.cell if change.old is not None and change.in_old else None
    new = change.new.cell if change.new is not None and change.in_new else None
    if change.old is not None and change.new is not None and \
            change.old.cell_shape != change.new.cell_shape and change.role is None:
        old, new = change.old.cell, change.new.cell
        if old is None:
            return f"moved into {new.describe()}"  # type: ignore[union-attr]
        if new is None:
            return f"moved out of {old.describe()}"
        return f"{old.describe()} -> {new.describe()}"
    place = new or old
    return place.describe() if place else ""


def place_note(change: BlockChange) -> str:
    """cell_note, after the header or footer the block stands in: "footer", "header,
    table 1, row 1, cell 2"."""
    return ", ".join(p for p in (change.block.story, cell_note(change)) if p)


def article_stats(c: Comparison) -> list[tuple[str, int, int]]:
    """(article, words inserted, words deleted) for each Article with changes."""
    rows: dict[str, list[int]] = {}
    for loc in located(c):
        if loc.change.role == "from":
            continue
        for op in loc.change.ops:
            if op.op in (INSERT, DELETE) and not op.move:
                row = rows.setdefault(loc.article or "(preamble)", [0, 0])
                row[0 if op.op == INSERT else 1] += word_count(op.text) or 0
        if loc.change.status != "equal" and (loc.article or "(preamble)") not in rows:
            rows[loc.article or "(preamble)"] = [0, 0]
    return [(k, v[0], v[1]) for k, v in rows.items()]
