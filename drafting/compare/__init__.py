"""The diff engine: align blocks, diff words inside aligned pairs, find moves and
renumbering, and return the Change model (`drafting.model.Comparison`)."""

from __future__ import annotations

import itertools
from bisect import bisect_left

from ..model import (
    CHANGED,
    DELETE,
    DELETED,
    EQUAL,
    INSERT,
    INSERTED,
    MOVED,
    OBJECT_CLOSE,
    OBJECT_OPEN,
    SAME,
    Block,
    BlockChange,
    Comparison,
    Document,
    Move,
    Op,
    Stats,
    citations,
)
from .align import Alignment, align
from .formats import format_changes
from .moves import Tokens, find_moved_runs
from .renumber import find_renumberings, find_stale_refs
from .tokens import EXACT, Options, tokenize, word_count
from .words import TokenCodec, diff_text, diff_tokens, new_engine

__all__ = ["EXACT", "Options", "compare", "diff_text"]


def compare(old: Document, new: Document, options: Options = EXACT, old_name: str = "",
            new_name: str = "") -> Comparison:
    alignment = align(old.blocks, new.blocks, options)
    differ = _Differ(options)
    changes: list[BlockChange] = []
    run_tokens: Tokens = {}  # the tokens of each change's inserted and deleted runs
    move_ids: dict[int, str] = {}  # move group -> id
    for i, j, role in _display_order(len(old.blocks), len(new.blocks), alignment):
        a = old.blocks[i] if i is not None else None
        b = new.blocks[j] if j is not None else None
        move_id = None
        if role:
            group = alignment.move_group[i]  # type: ignore[index]
            move_id = move_ids.setdefault(group, f"m{len(move_ids) + 1}")
        changes.append(differ.block_change(a, b, i, j, role, move_id))
        if differ.run_tokens:
            run_tokens[len(changes) - 1] = differ.run_tokens
    where = _Locator(old, new)
    block_moves = _block_moves(changes, where)
    changes, word_moves = find_moved_runs(changes, len(block_moves) + 1, where, run_tokens)
    renumberings, renumbered = find_renumberings(changes, where)
    for index in renumbered:
        c = changes[index]
        changes[index] = BlockChange(c.status, c.old, c.new, c.ops, c.old_index, c.new_index,
                                     c.move, c.role, renumbered=True, formats=c.formats)
    moves = [*block_moves, *word_moves]
    return Comparison(
        old_title=old.title, new_title=new.title, old_name=old_name, new_name=new_name,
        blocks=tuple(changes), moves=tuple(moves), renumberings=tuple(renumberings),
        stale_refs=tuple(find_stale_refs(changes, where)), stats=_stats(changes, moves, renumbered),
        options={"ignore_case": options.ignore_case,
                 "ignore_whitespace": options.ignore_whitespace,
                 "ignore_punctuation": options.ignore_punctuation})


class _Differ:
    """Word diffs of block pairs. After each, `run_tokens` holds the tokens of its
    inserted and deleted runs by op index, so the search for moves need not split them
    again (none with ignore options: an equal run then need not match both sides)."""

    def __init__(self, options: Options):
        self.options = options
        self.codec = TokenCodec(options)
        self.dmp = new_engine()
        self.run_tokens: dict[int, list[str]] = {}

    def block_change(self, a: Block | None, b: Block | None, i: int | None, j: int | None,
                     role: str | None, move_id: str | None) -> BlockChange:
        self.run_tokens = {}
        if role == "from":
            return BlockChange(MOVED, a, b, _whole(DELETE, a.text), i, j, move_id, role)  # type: ignore[union-attr]
        if a is None:
            return BlockChange(INSERTED, None, b, _whole(INSERT, b.text), None, j)  # type: ignore[union-attr]
        if b is None:
            return BlockChange(DELETED, a, None, _whole(DELETE, a.text), i, None)
        ops = self.ops(a.text, b.text)
        if a.refs and b.refs:
            ops = _followed_references(ops, a, b)
        formats = format_changes(ops, a.marks, b.marks)
        changed = bool(formats) or any(op.op != EQUAL for op in ops) or \
            a.cell_shape != b.cell_shape
        status = MOVED if role else (CHANGED if changed else SAME)
        return BlockChange(status, a, b, tuple(ops), i, j, move_id, role, formats=formats)

    def ops(self, old: str, new: str) -> list[Op]:
        """Word diff of two block texts. The shared start and end (cut back to a space, so
        no word is cut) are set aside first: most of an edited paragraph is unchanged,
        and tokenizing it would be most of the work."""
        if old == new:
            return [Op(EQUAL, new)] if new else []
        head = _back_to_space(old, self.dmp.diff_commonPrefix(old, new), -1)
        tail = len(old) - _back_to_space(
            old, len(old) - self.dmp.diff_commonSuffix(old[head:], new[head:]), 0)
        old_tokens = tokenize(old[head : len(old) - tail])
        new_tokens = tokenize(new[head : len(new) - tail])
        middle = diff_tokens(old_tokens, new_tokens, self.codec, self.dmp)
        runs = {} if self.options.any else _run_tokens(middle, old_tokens, new_tokens)
        out: list[Op] = []
        pieces = [(Op(EQUAL, old[:head]), None), *((op, runs.get(k)) for k, op in
                                                   enumerate(middle)),
                  (Op(EQUAL, old[len(old) - tail :]), None)]
        for op, tokens in pieces:
            if not op.text:
                continue
            if out and op.op == EQUAL and out[-1].op == EQUAL:
                out[-1] = Op(EQUAL, out[-1].text + op.text)
            else:
                out.append(op)
                if tokens is not None:
                    self.run_tokens[len(out) - 1] = tokens
        return out


def _run_tokens(ops: list[Op], old: list[str], new: list[str]) -> dict[int, list[str]]:
    """The tokens of each inserted or deleted op (by index), cut from the token lists the
    ops were made of: the ops use the tokens in order, old ones for kept and deleted text,
    new ones for kept and inserted text (found by character offset, by bisection)."""
    ends = ([0, *itertools.accumulate(map(len, old))], [0, *itertools.accumulate(map(len, new))])
    out: dict[int, list[str]] = {}
    at = [0, 0]  # next token on each side
    for k, op in enumerate(ops):
        for side, tokens, used in ((0, old, op.op != INSERT), (1, new, op.op != DELETE)):
            if not used:
                continue
            start = at[side]
            at[side] = bisect_left(ends[side], ends[side][start] + len(op.text))
            if op.op != EQUAL:
                out[k] = tokens[start : at[side]]
                if "".join(out[k]) != op.text:
                    return {}  # not cut the way the ops were made: let the search split it
    return out


def _back_to_space(text: str, at: int, side: int) -> int:
    """Move the cut `at` so that it falls next to a space and no word is split: back to
    just after a space (side -1, the end of a shared start) or forward to just before one
    (side 0, the start of a shared end)."""
    if side < 0:
        while at > 0 and not text[at - 1].isspace():
            at -= 1
        opened = text.rfind(OBJECT_OPEN, 0, at)  # nor an object token ("⟦image · 3fa2c1⟧")
        if opened >= 0 and text.rfind(OBJECT_CLOSE, 0, at) < opened:
            at = opened
    else:
        while at < len(text) and not text[at].isspace():
            at += 1
        closed, opened = text.find(OBJECT_CLOSE, at), text.find(OBJECT_OPEN, at)
        if closed >= 0 and (opened < 0 or closed < opened):
            at = closed + 1
    return at


def _followed_references(ops: list[Op], a: Block, b: Block) -> list[Op]:
    """A cross-reference whose label changed because its target was renumbered ("Article
    14" -> "Article 18", both pointing at the same clause) is kind "reference": the
    assembler kept it right, and a reviewer need not weigh it as a change of substance."""
    def targets(block: Block, start: int, end: int) -> set[str]:
        return {r.target for r in block.refs if r.start < end and start < r.end}

    out = list(ops)
    old_pos = new_pos = 0
    spans: list[tuple[int, set[str], set[str]]] = []  # (op index, old targets, new targets)
    for k, op in enumerate(ops):
        if op.op == DELETE:
            spans.append((k, targets(a, old_pos, old_pos + len(op.text)), set()))
        elif op.op == INSERT:
            spans.append((k, set(), targets(b, new_pos, new_pos + len(op.text))))
        if op.op != INSERT:
            old_pos += len(op.text)
        if op.op != DELETE:
            new_pos += len(op.text)
    for (k1, old_t, _), (k2, _, new_t) in itertools.pairwise(spans):
        if k2 == k1 + 1 and ops[k1].op == DELETE and ops[k2].op == INSERT and old_t \
                and old_t == new_t:
            out[k1] = Op(DELETE, ops[k1].text, "reference")
            out[k2] = Op(INSERT, ops[k2].text, "reference")
    return out


def _whole(op: str, text: str) -> tuple[Op, ...]:
    return (Op(op, text, "text"),) if text else ()


def _display_order(n_old: int, n_new: int, alignment: Alignment
                   ) -> list[tuple[int | None, int | None, str | None]]:
    """Rows in reading order of the new document; blocks only in the old one stand where
    they stood, before what replaced them. Moved blocks appear at both places."""
    in_order = {i: j for i, j in alignment.old_to_new.items() if i not in alignment.moved}
    new_to_old = {j: i for i, j in in_order.items()}
    moved_to = {j: i for i, j in alignment.old_to_new.items() if i in alignment.moved}
    next_anchor = [n_old] * (n_new + 1)  # old index of the next in-order pair at or after j
    for j in range(n_new - 1, -1, -1):
        next_anchor[j] = new_to_old.get(j, next_anchor[j + 1])
    rows: list[tuple[int | None, int | None, str | None]] = []
    i = 0

    def flush(until: int) -> None:
        nonlocal i
        while i < until:
            if i not in in_order:
                rows.append((i, None, "from" if i in alignment.moved else None))
            i += 1

    for j in range(n_new):
        flush(next_anchor[j])
        if j in new_to_old:
            rows.append((new_to_old[j], j, None))
            i = new_to_old[j] + 1
        elif j in moved_to:
            rows.append((moved_to[j], j, "to"))
        else:
            rows.append((None, j, None))
    flush(n_old)
    return rows


class _Locator:
    """Where a block stands, for messages: its own label, else its Article's, else
    "preamble" (an unnumbered paragraph has no label of its own)."""

    def __init__(self, old: Document, new: Document):
        self.old, self.new = _places(old), _places(new)

    def __call__(self, change: BlockChange, side: str) -> str:
        if side == "old":
            return self.old[change.old_index] if change.old_index is not None else ""
        return self.new[change.new_index] if change.new_index is not None else ""


def _places(doc: Document) -> list[str]:
    """Each block as cited (model.citations: "4.1", "Article 4, 1."), else its Article."""
    places, article = [], "preamble"
    for block, cited in zip(doc.blocks, citations(doc.blocks), strict=True):
        if block.is_heading:
            article = cited or block.text or article
        places.append(article if block.is_heading else cited or article)
    return places


def _block_moves(changes: list[BlockChange], where: _Locator) -> list[Move]:
    """One Move per group of blocks that moved together (a section counts once)."""
    ends: dict[str, list[BlockChange]] = {}
    for change in changes:
        if change.move and change.role == "to":
            ends.setdefault(change.move, []).append(change)
    moves = []
    for move_id, blocks in ends.items():
        first = blocks[0]
        words = sum(word_count(b.new.text) for b in blocks if b.new)
        kind = "article" if first.new and first.new.is_heading else "block"
        text = first.new.text if first.new and kind == "article" else " ".join(
            b.new.text for b in blocks if b.new)
        moves.append(Move(move_id, kind, where(first, "old"), where(first, "new"), words,
                          text[:80]))
    return moves


def _stats(changes: list[BlockChange], moves: list[Move], renumbered: set[int]) -> Stats:
    inserted = deleted = 0
    for change in changes:
        if change.role == "from":
            continue
        for op in change.ops:
            if op.move:
                continue
            if op.op == INSERT:
                inserted += word_count(op.text)
            elif op.op == DELETE:
                deleted += word_count(op.text)
    count = lambda status: sum(1 for c in changes if c.status == status)  # noqa: E731
    return Stats(
        words_inserted=inserted, words_deleted=deleted, blocks_changed=count(CHANGED),
        blocks_inserted=count(INSERTED), blocks_deleted=count(DELETED),
        blocks_moved=sum(1 for c in changes if c.role == "to"), moves=len(moves),
        renumbered=len(renumbered))
