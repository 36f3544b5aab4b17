"""Markdown redline in CriticMarkup: {++inserted++}, {--deleted--}, {~~old~>new~~}, and
{>>comments<<} for moves and for the reviewers' comments of both revisions (each right
after the words it quotes, or after its block when they are gone), preceded by the summary.

Accepting every change gives the new text and rejecting every change the old one, moves
included: a moved block is a deletion at its old place and an insertion at its new place,
each with a comment naming the other end (and, at the new place, the edits made on the
way, which CriticMarkup cannot nest inside an insertion). A block in a table is written
with its cell's place, "{table 1 row 2 cell 3} ", as the Markdown writer writes a table it
cannot write as a pipe table (a changed row cannot be marked up inside one)."""

from __future__ import annotations

from ..compare.comments import NONE, Remark, Remarks, locate
from ..markup import render_inline, trim_marks
from ..model import DELETE, EQUAL, INSERT, BlockChange, Comparison, Mark, Move, Op, clip_marks
from ..negotiate.positions import PositionsComparison
from . import markdown, summary
from . import positions as positions_writer


def _ops(ops: tuple[Op, ...], moves: dict[str, Move],
         after: dict[int, list[str]] | None = None, old: tuple[Mark, ...] = (),
         new: tuple[Mark, ...] = ()) -> str:
    """The marked-up text; `after[i]`: comments that follow op i. Each piece carries the
    inline marks of its side (equal text whose marks differ is a substitution of the old
    formatting by the new), written piece by piece without the white space at a piece's
    edges (Markdown cannot mark it there): accepting or rejecting gives each side's text
    exactly, and its marks but over such spaces."""
    out = []
    at = [0, 0]  # offset in the old and the new text

    def shown(op: Op, side: int) -> str:
        marks = clip_marks(old if side == 0 else new, at[side], at[side] + len(op.text))
        return render_inline(op.text, trim_marks(op.text, marks))

    def advance(op: Op) -> None:
        if op.op != INSERT:
            at[0] += len(op.text)
        if op.op != DELETE:
            at[1] += len(op.text)

    i = 0
    while i < len(ops):
        op = ops[i]
        nxt = ops[i + 1] if i + 1 < len(ops) else None
        if op.op == EQUAL:
            before, now = shown(op, 0), shown(op, 1)
            out.append(now if before == now else f"{{~~{before}~>{now}~~}}")
        elif _substitution(op, nxt):
            deleted = shown(op, 0)
            advance(op)
            op = nxt  # type: ignore[assignment]
            out.append(f"{{~~{deleted}~>{shown(op, 1)}~~}}")
            i += 1
        else:
            mark = "--" if op.op == DELETE else "++"
            continued = nxt is not None and nxt.move == op.move and nxt.op == op.op
            # a moved run cut where a comment ends is noted once, after its last piece
            out.append(f"{{{mark}{shown(op, 0 if op.op == DELETE else 1)}{mark}}}"
                       + ("" if continued else _move_note(op, moves)))
        advance(op)
        out += (after or {}).get(i, [])
        i += 1
    return "".join(out)


def _substitution(op: Op, nxt: Op | None) -> bool:
    return op.op == DELETE and nxt is not None and nxt.op == INSERT and not op.move \
        and not nxt.move


def remark(r: Remark) -> str:
    """{>>Ri Yong (new r3): We cannot accept Kangson.<<}: the author, the side and
    revision it came in, replies and done state said; nothing that closes the comment."""
    c = r.comment
    state = "".join(x for x, on in ((", reply", r.parent), (", done", c.done)) if on)
    text = " / ".join(c.text.splitlines()).replace("<<}", "<< }")
    return f"{{>>{c.author or 'Reviewer'} ({r.tag}{state}): {text}<<}}"


def _commented_ops(ops: tuple[Op, ...], remarks: list[Remark]
                   ) -> tuple[tuple[Op, ...], dict[int, list[str]], list[str]]:
    """The ops cut where comments' words end, which op each comment follows, and the
    comments whose words are gone (they follow the block)."""
    cut_ops, spans = locate(ops, remarks, starts=False)
    after: dict[int, list[str]] = {}
    gone: list[str] = []
    for r, span in spans:
        if span is None:
            gone.append(remark(r))
            continue
        index = span[1]
        if index + 1 < len(cut_ops) and _substitution(cut_ops[index], cut_ops[index + 1]):
            index += 1  # after the whole {~~old~>new~~}
        after.setdefault(index, []).append(remark(r))
    return tuple(cut_ops), after, gone


def _move_note(op: Op, moves: dict[str, Move]) -> str:
    if not op.move or op.move not in moves:
        return ""
    move = moves[op.move]
    return f"{{>>moved to {move.to_label}<<}}" if op.op == DELETE else \
        f"{{>>moved from {move.from_label}<<}}"


def _moved_block(change: BlockChange, move: Move) -> str:
    if change.role == "from":
        old = change.old.marks if change.old else ()
        return _wrap("--", render_inline(change.old_text(), old)) + \
            f"{{>>moved to {move.to_label}<<}}"
    note = f"moved from {move.from_label}"
    edits = _edits(change.ops)
    if edits:
        note += f"; edited on the way: {edits}"
    new = change.new.marks if change.new else ()
    return _wrap("++", render_inline(change.new_text(), new)) + f"{{>>{note}<<}}"


def _wrap(mark: str, text: str) -> str:
    return f"{{{mark}{text}{mark}}}" if text else ""


def _edits(ops: tuple[Op, ...], limit: int = 5) -> str:
    """The word changes inside a moved block, as a comment can hold them."""
    edits: list[str] = []
    deleted = inserted = ""
    for op in (*ops, Op(EQUAL, "")):
        if op.op == DELETE:
            deleted += op.text
        elif op.op == INSERT:
            inserted += op.text
        elif deleted or inserted:
            if not (deleted + inserted).strip():
                edits.append("spacing changed")
            elif deleted and inserted:
                edits.append(f"{_quote(deleted)} → {_quote(inserted)}")
            elif deleted:
                edits.append(f"{_quote(deleted)} deleted")
            else:
                edits.append(f"{_quote(inserted)} inserted")
            deleted = inserted = ""
    more = f"; and {len(edits) - limit} more" if len(edits) > limit else ""
    return "; ".join(edits[:limit]) + more


def _quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


def _block(change: BlockChange, moves: dict[str, Move], remarks: list[Remark]) -> str:
    if change.move and change.move in moves:
        body = _moved_block(change, moves[change.move]) + "".join(map(remark, remarks))
    else:
        old = change.old.marks if change.old else ()
        new = change.new.marks if change.new else ()
        ops, after, gone = _commented_ops(change.ops, remarks) if remarks else \
            (change.ops, None, [])
        body = _ops(ops, moves, after, old, new) + "".join(gone)
    return prefix(change) + body


def prefix(change: BlockChange) -> str:
    """How the block's line begins (its '#'s or indentation) and its label as printed,
    each change marked up like the text, so that accepting or rejecting every change
    gives back each side's labels too: an inserted block's {++label ++}, a renumbered
    {~~1.~>2.~~}, a cell's place; a header's or footer's block opens with its story,
    "{footer} "."""
    old = change.old if change.in_old else None
    new = change.new if change.in_new else None
    return "".join(_changed(part(old) if old else "", part(new) if new else "")
                   for part in (markdown.story_prefix, markdown.cell_prefix,
                                markdown.line_start, markdown.labelled))


def _changed(old: str, new: str) -> str:
    if old == new:
        return new
    if not old or not new:
        return f"{{++{new}++}}" if new else f"{{--{old}--}}"
    return f"{{~~{old}~>{new}~~}}"


def render(c: Comparison, old_ref: str, new_ref: str, stat: bool = False,
           positions: PositionsComparison | None = None, remarks: Remarks = NONE) -> str:
    title = c.new_title if c.old_title == c.new_title else \
        f"{{~~{c.old_title}~>{c.new_title}~~}}"
    lines = [f"# {title}", "",
             f"> Comparison of **{c.old_name or old_ref}** ({old_ref}) with "
             f"**{c.new_name or new_ref}** ({new_ref})", ">",
             f"> {summary.totals_line(c)}"]
    kinds = summary.kinds_line(c)
    if kinds:
        lines.append(f"> changes: {kinds}")
    lines += [f"> {n}" for n in summary.notes(c)]
    if remarks.unplaced:
        lines += [">", "> comments on text in neither version: "
                  + "".join(remark(r) for r in remarks.unplaced)]
    if positions is not None:
        lines += ["", *positions_writer.markdown(positions)]
    if stat:
        lines += ["", "| Article | words inserted | words deleted |", "|---|---:|---:|"]
        lines += [f"| {a} | {i} | {d} |" for a, i, d in summary.article_stats(c)]
        return "\n".join(lines) + "\n"
    moves = {m.id: m for m in c.moves}
    lines.append("")
    for index, change in enumerate(c.blocks):
        notes = positions_writer.block_notes(positions, change)
        lines += [_block(change, moves, remarks.at(index))
                  + "".join(f"{{>>{n}<<}}" for n in notes), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
