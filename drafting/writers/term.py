"""Terminal redline: inserted text blue and underlined, deleted red and struck through,
moved text green. Without colour (NO_COLOR, or not a terminal) the marks are git's
word-diff marks: [-deleted-] {+inserted+}."""

from __future__ import annotations

from ..compare.comments import NONE, Remark, Remarks
from ..model import DELETE, EQUAL, INSERT, SAME, BlockChange, Comparison, Move, Op
from ..negotiate.positions import PositionsComparison
from . import positions as positions_writer
from . import summary

RESET = "\x1b[0m"
STYLE = {INSERT: "\x1b[34;4m", DELETE: "\x1b[31;9m", "move": "\x1b[32m", "head": "\x1b[1m",
         "dim": "\x1b[2m", "warn": "\x1b[33m", "note": "\x1b[35m"}
PLAIN = {INSERT: ("{+", "+}"), DELETE: ("[-", "-]")}


class _Painter:
    def __init__(self, color: bool):
        self.color = color

    def __call__(self, style: str, text: str) -> str:
        return f"{STYLE[style]}{text}{RESET}" if self.color and text else text

    def op(self, op: Op, moves: dict[str, Move]) -> str:
        if op.op == EQUAL:
            return op.text
        if self.color:
            style = "move" if op.move else op.op
            text = self(style, op.text)
            if op.op == DELETE and op.move:
                text = f"{STYLE['move']}\x1b[9m{op.text}{RESET}"
        else:
            start, end = PLAIN[op.op]
            text = f"{start}{op.text}{end}"
        if op.move and op.move in moves:
            move = moves[op.move]
            arrow = f"moved to {move.to_label}" if op.op == DELETE else \
                f"moved from {move.from_label}"
            text += self("dim", f" ({arrow})")
        return text


def header(c: Comparison, old_ref: str, new_ref: str, paint: _Painter) -> list[str]:
    lines = [paint("head", f"--- {c.old_name or old_ref}  {old_ref}"),
             paint("head", f"+++ {c.new_name or new_ref}  {new_ref}"),
             summary.totals_line(c)]
    kinds = summary.kinds_line(c)
    if kinds:
        lines.append(f"changes: {kinds}")
    lines += [paint("warn", n) if n.startswith("check:") else n for n in summary.notes(c)]
    return lines


def render(c: Comparison, old_ref: str, new_ref: str, *, color: bool = False,
           context: int = 0, stat: bool = False,
           positions: PositionsComparison | None = None, remarks: Remarks = NONE) -> str:
    """The header, then each changed block (and each block with comments) by Article,
    its comments under it."""
    paint = _Painter(color)
    lines = header(c, old_ref, new_ref, paint)
    if positions is not None:
        lines += ["", *positions_writer.text(positions, describe=not stat)]
    if stat:
        rows = summary.article_stats(c)
        width = max((len(a) for a, _, _ in rows), default=0)
        lines.append("")
        for article, ins, dele in rows:
            bar = paint(INSERT, "+" * min(ins, 30)) + paint(DELETE, "-" * min(dele, 30))
            lines.append(f" {article.ljust(width)} | +{ins} -{dele} {bar}")
        return "\n".join(lines) + "\n"
    moves = {m.id: m for m in c.moves}
    located = list(summary.located(c))
    shown = _with_context([loc.change for loc in located], context)
    shown.update(i for i in range(len(located)) if remarks.at(i))
    last_article = None
    previous = -2
    for index, loc in enumerate(located):
        if index not in shown:
            continue
        if index != previous + 1 or loc.article != last_article:
            lines.append("")
            lines.append(paint("head", f"@@ {loc.article or '(preamble)'}"))
            last_article = loc.article
        previous = index
        lines.append(_block_line(loc.change, paint, moves))
        lines += [paint("dim", f"  format: {f.describe()}") for f in loc.change.formats]
        lines += [paint("dim", f"  {note}")
                  for note in positions_writer.block_notes(positions, loc.change)]
        lines += [_remark_line(r, paint) for r in remarks.at(index)]
    if remarks.unplaced:
        lines += ["", paint("head", "@@ comments on text in neither version")]
        lines += [_remark_line(r, paint) for r in remarks.unplaced]
    return "\n".join(lines) + "\n"


def remark_lines(remarks: Remarks, color: bool = False) -> list[str]:
    """Each comment on a line of its own, replies under what they answer."""
    return [_remark_line(r, _Painter(color)) for r in remarks.items]


def _remark_line(r: Remark, paint: _Painter) -> str:
    """'    comment (new r3) Ri Yong on "the words": text', a reply indented under it."""
    c = r.comment
    what = "reply" if r.parent else "comment"
    state = ", done" if c.done else ""
    quoted = f' on "{c.quoted}"' if c.quoted and not r.parent else ""
    text = " / ".join(c.text.splitlines())
    indent = "      " if r.parent else "    "
    return indent + paint("note", f"{what} ({r.tag}{state}) {c.author or 'Reviewer'}"
                                  f"{quoted}: {text}")


def _with_context(changes: list[BlockChange], context: int) -> set[int]:
    changed = [i for i, ch in enumerate(changes) if ch.status != SAME]
    shown: set[int] = set()
    for i in changed:
        shown.update(range(max(0, i - context), min(len(changes), i + context + 1)))
    return shown


def _block_line(change: BlockChange, paint: _Painter, moves: dict[str, Move]) -> str:
    block = change.block
    label = block.marker
    if change.renumbered and change.old and change.new:
        label = f"{change.old.marker}->{change.new.marker}"
    body = "".join(paint.op(op, moves) for op in change.ops)
    status = ""
    if change.status not in (SAME, "changed"):
        status = change.status
        if change.move and change.move in moves:
            move = moves[change.move]
            status = f"moved to {move.to_label}" if change.role == "from" else \
                f"moved from {move.from_label}"
    prefix = paint("dim", f"[{status}] ") if status else ""
    cell = summary.cell_note(change)
    if cell:
        prefix += paint("dim", f"[{cell}] ")
    if block.is_heading:
        return f"{prefix}{paint('head', label)} {body}".rstrip()
    return f"{prefix}{label} {body}".strip() if label else f"{prefix}{body}"
