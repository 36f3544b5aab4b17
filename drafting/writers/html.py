"""A self-contained HTML comparison: summary table, changes by Article, a side-by-side
view with an anchor per Article, and the inline redline. Blackline colours as legal
comparison tools use them: insertions blue with a double underline, deletions red struck
through, moves green. Reviewers' comments of both revisions stand in the margin beside
their paragraph of the redline (and under their side's cell in the side-by-side view),
their words highlighted and numbered in the text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from .. import links
from ..compare.comments import NONE, Remark, Remarks, locate
from ..markup import nest
from ..model import (
    BOLD,
    DELETE,
    EQUAL,
    INSERT,
    ITALIC,
    LINK,
    SAME,
    SMALLCAPS,
    SUBSCRIPT,
    SUPERSCRIPT,
    UNDERLINE,
    BlockChange,
    Comparison,
    Mark,
    Move,
    Op,
    clip_marks,
)
from ..negotiate.positions import PositionsComparison
from . import cells, summary
from . import positions as positions_writer
from .cells import TableNode

CSS = """
:root { --ins: #0645ad; --del: #c00000; --move: #1b7f3b; --rule: #d0d4da; --muted: #5f6b7a; }
* { box-sizing: border-box; }
body { font: 16px/1.5 "Liberation Serif", "Times New Roman", Georgia, serif; margin: 0;
       color: #1d232b; background: #fff; }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; border-bottom: 2px solid #1d232b; }
h1 { font-size: 1.5em; margin: 0 0 8px; }
h2 { font: 600 1.1em system-ui, sans-serif; margin: 32px 0 8px; }
.sides { font-family: system-ui, sans-serif; margin: 0 0 16px; }
.sides .old { color: var(--del); } .sides .new { color: var(--ins); }
table { border-collapse: collapse; width: 100%; }
.summary th, .summary td, .by-article th, .by-article td {
  font: 0.9em system-ui, sans-serif; text-align: left; padding: 4px 8px;
  border-bottom: 1px solid var(--rule); }
.summary th { width: 16em; color: var(--muted); font-weight: normal; }
.by-article td.n, .by-article th.n { text-align: right; width: 8em; }
ul.notes { font: 0.9em system-ui, sans-serif; padding-left: 1.2em; }
ul.notes li.warn { color: #8a5300; }
.legend { font: 0.85em system-ui, sans-serif; color: var(--muted); }
ins { color: var(--ins); text-decoration: underline double; background: #eef3ff; }
del { color: var(--del); text-decoration: line-through; background: #fff0f0; }
ins.move, del.move { color: var(--move); background: #eefaf1; }
del.move { text-decoration: line-through double; }
.note { font: 0.8em system-ui, sans-serif; color: var(--move); }
.explained { display: block; font: 0.8em system-ui, sans-serif; color: var(--muted);
             margin-top: 2px; }
table.sbs { table-layout: fixed; }
table.sbs th { font: 600 0.9em system-ui, sans-serif; text-align: left; padding: 6px 8px;
               border-bottom: 2px solid #1d232b; position: sticky; top: 0; background: #fff; }
table.sbs tr[id] { scroll-margin-top: 3.5em; }  /* a linked Article clears the sticky header */
table.sbs td { vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--rule);
               overflow-wrap: anywhere; }
table.sbs col.label { width: 7em; } td.label { font: 0.85em system-ui, sans-serif;
               color: var(--muted); white-space: nowrap; }
tr.equal td.old, tr.equal td.new { color: #4a5563; }
tr.moved td.old, tr.moved td.new, .redline p.moved { color: var(--move); }
tr.heading td { font-weight: bold; padding-top: 16px; }
tr.changed td.label, tr.inserted td.label, tr.deleted td.label, tr.moved td.label {
  border-left: 4px solid var(--ins); }
tr.deleted td.label { border-left-color: var(--del); }
tr.moved td.label { border-left-color: var(--move); }
.redline p { margin: 0 0 10px; }
.smallcaps { font-variant: small-caps; }
.object { font-family: system-ui, sans-serif; font-size: 0.85em; background: #eef1f5;
          border-radius: 3px; padding: 0 3px; }
.redline .heading { font-weight: bold; margin-top: 18px; }
.redline .label { font-family: system-ui, sans-serif; font-size: 0.85em; color: var(--muted);
                  margin-right: 0.5em; }
.commented { display: grid; grid-template-columns: minmax(0, 1fr) 17em; gap: 0 24px; }
aside.margin { font: 0.8em/1.4 system-ui, sans-serif; margin: 0 0 10px; }
.remark { border-left: 3px solid #b8860b; background: #fffbea; padding: 3px 8px;
          margin: 0 0 6px; break-inside: avoid; }
.remark.reply { margin-left: 1.2em; }
.remark .who { font-weight: 600; } .remark .tag { color: var(--muted); }
.remark.old .tag { color: var(--del); } .remark.new .tag { color: var(--ins); }
.remark q { font-style: italic; display: block; color: var(--muted); }
.remark .n, sup.cref { font: 600 0.75em system-ui, sans-serif; color: #8a6500; }
mark { background: #fff1b8; color: inherit; } mark > ins, mark > del { background: none; }
td .remark { font: 0.8em/1.4 system-ui, sans-serif; margin-top: 6px; }
.redline table.cells { width: auto; margin: 0 0 10px; }
.redline table.cells td { border: 1px solid var(--rule); padding: 4px 8px; vertical-align: top; }
.redline table.cells p { margin: 0; }
span.cell { font-size: 0.85em; color: var(--muted); white-space: normal; }
@media print { table.sbs th { position: static; }
  .commented { grid-template-columns: minmax(0, 1fr) 15em; gap: 0 16px; }
  mark, .remark { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


_TAGS = {BOLD: "strong", ITALIC: "em", UNDERLINE: "u", SUPERSCRIPT: "sup", SUBSCRIPT: "sub"}


def _open(mark: Mark) -> str:
    if mark.kind == LINK:  # a link to a file or to script is its text only (links.py)
        return f'<a href="{escape(mark.value)}">' if links.written(mark.value) else "<a>"
    if mark.kind in _TAGS:
        return f"<{_TAGS[mark.kind]}>"
    return f'<span class="{"smallcaps" if mark.kind == SMALLCAPS else "object"}">'


def _close(mark: Mark) -> str:
    return "</a>" if mark.kind == LINK else f"</{_TAGS.get(mark.kind, 'span')}>"


def _marked(text: str, marks: tuple[Mark, ...]) -> str:
    """Text with its inline marks as HTML (bold, italic, links, object tokens...)."""
    return nest(text, marks, escape, _open, _close) if marks else escape(text)


def _ops(ops: tuple[Op, ...] | list[Op], side: str | None, moves: dict[str, Move],
         marked: set[int] | None = None, refs: dict[int, list[int]] | None = None,
         marks: tuple[tuple[Mark, ...], tuple[Mark, ...]] = ((), ())) -> str:
    """Inline marks; side "old" shows only deletions, "new" only insertions, None both.
    `marked`: ops under a comment (highlighted); `refs[i]`: numbers of the comments
    whose words end with op i; `marks`: the old and the new block's formatting."""
    out = []
    at = [0, 0]
    for i, op in enumerate(ops):
        side_of = 0 if op.op == DELETE else 1
        start = at[side_of]
        if op.op != INSERT:
            at[0] += len(op.text)
        if op.op != DELETE:
            at[1] += len(op.text)
        text = _marked(op.text, clip_marks(marks[side_of], start, start + len(op.text)))
        if op.op != EQUAL and (
                (side == "old" and op.op == INSERT) or (side == "new" and op.op == DELETE)):
            continue
        if op.op != EQUAL:
            tag = "ins" if op.op == INSERT else "del"
            cls = ' class="move"' if op.move else ""
            text = f"<{tag}{cls}{_move_title(op, moves)}>{text}</{tag}>"
        if marked and i in marked:
            text = f"<mark>{text}</mark>"
        numbers = (refs or {}).get(i)
        if numbers:
            text += f'<sup class="cref">{",".join(map(str, numbers))}</sup>'
        out.append(text)
    return "".join(out)


def _marks_of(change: BlockChange) -> tuple[tuple[Mark, ...], tuple[Mark, ...]]:
    return (change.old.marks if change.old else (), change.new.marks if change.new else ())


def _remark(r: Remark, number: int | None = None) -> str:
    c = r.comment
    state = " · done" if c.done else ""
    n = f'<span class="n">{number}</span> ' if number is not None else ""
    quoted = f"<q>{escape(c.quoted)}</q>" if c.quoted and not r.parent else ""
    text = "<br>".join(escape(line) for line in c.text.splitlines())
    kind = "reply" if r.parent else "comment"
    return (f'<div class="remark {r.side} {kind}">{n}<span class="who">'
            f'{escape(c.author or "Reviewer")}</span> <span class="tag">{escape(r.tag)}'
            f"{state}</span>{quoted}<div>{text}</div></div>")


class _Numbers:
    """Each comment's number in the page, in the order the redline shows them."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> int:
        self.n += 1
        return self.n


def _move_title(op: Op, moves: dict[str, Move]) -> str:
    if not op.move or op.move not in moves:
        return ""
    m = moves[op.move]
    where = f"moved to {m.to_label}" if op.op == DELETE else f"moved from {m.from_label}"
    return f' title="{escape(where)}"'


def _anchor(label: str, prefix: str = "") -> str:
    return prefix + re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def _note(change: BlockChange, moves: dict[str, Move]) -> str:
    if not change.move or change.move not in moves:
        return ""
    m = moves[change.move]
    text = f"moved to {m.to_label}" if change.role == "from" else f"moved from {m.from_label}"
    return f' <span class="note">({escape(text)})</span>'


def _cell_note(change: BlockChange) -> str:
    note = summary.place_note(change)
    return f'<br><span class="cell">{escape(note)}</span>' if note else ""


Indexed = tuple[int, BlockChange]  # a block change and its index in the comparison


def _redline(c: Comparison, moves: dict[str, Move], positions: PositionsComparison | None,
             remarks: Remarks, number: _Numbers) -> list[str]:
    """Changed or commented paragraphs and every heading; a table in which anything
    changed, whole, as a real table: its cells' paragraphs in their cells, with their
    column and row spans, nested tables inside the cells that hold them."""
    def paragraph(item: Indexed) -> str:
        return _redline_paragraph(item[1], moves, positions, remarks.at(item[0]), number)

    def table(node: TableNode[Indexed]) -> str:
        rows: list[list[str]] = [[] for _ in node.rows]
        for r, _, cell, columns, down in node.grid():
            span = (f' colspan="{columns}"' if columns > 1 else "") + \
                (f' rowspan="{down}"' if down > 1 else "")
            inner = "".join(table(part) if isinstance(part, TableNode) else paragraph(part)
                            for part in cell.content)
            rows[r].append(f"<td{span}>{inner}</td>")
        return '<table class="cells">' + "".join(f"<tr>{''.join(r)}</tr>" for r in rows) + \
            "</table>"

    out = []
    for item in cells.group(list(enumerate(c.blocks)), lambda ic: ic[1].block.cell):
        if isinstance(item, TableNode):
            if any(ch.status != SAME or remarks.at(i) for i, ch in item.items()):
                out.append(table(item))
        elif item[1].status != SAME or item[1].block.is_heading or remarks.at(item[0]):
            out.append(paragraph(item))
    return out


def _row(change: BlockChange, moves: dict[str, Move], remarks: list[Remark]) -> str:
    block = change.block
    classes = [change.status, "heading" if block.is_heading else "para"]
    anchor = ""
    if block.is_heading and block.label:
        prefix = "old-" if not change.in_new else ""
        anchor = f' id="{_anchor(block.label, prefix)}"'
    old_label = change.old.marker if change.old else ""
    new_label = change.new.marker if change.new else ""
    label = new_label if change.in_new else old_label
    if change.renumbered and old_label and new_label:
        label = f"{old_label} → {new_label}"
    marks = _marks_of(change)
    old = _ops(change.ops, "old", moves, marks=marks) if change.in_old else ""
    new = _ops(change.ops, "new", moves, marks=marks) if change.in_new else ""
    note = _note(change, moves)
    if change.role == "from":
        old += note
    elif change.role == "to":
        new += note
    old += "".join(_remark(r) for r in remarks if r.text_side == "old")
    new += "".join(_remark(r) for r in remarks if r.text_side == "new")
    return (f'<tr class="{" ".join(classes)}"{anchor}><td class="label">{escape(label)}'
            f'{_cell_note(change)}</td>'
            f'<td class="old">{old}</td><td class="new">{new}</td></tr>')


def _redline_paragraph(change: BlockChange, moves: dict[str, Move],
                       positions: PositionsComparison | None,
                       remarks: Sequence[Remark] = (), number: _Numbers | None = None) -> str:
    """The paragraph; with comments, their notes in the margin beside it."""
    block = change.block
    label = f'<span class="label">{escape(block.marker)}</span>' if block.marker else ""
    cls = "heading" if block.is_heading else "para"
    ops, spans = locate(change.ops, remarks)
    numbers = [number() if number else None for _ in spans]
    marked = {i for _, span in spans if span for i in range(span[0], span[1] + 1)}
    refs: dict[int, list[int]] = {}
    for (_, span), n in zip(spans, numbers, strict=True):
        if span and n is not None:
            refs.setdefault(span[1], []).append(n)
    body = _ops(ops, None, moves, marked, refs, _marks_of(change)) + _note(change, moves) + "".join(
        f'<span class="explained">{escape(n)}</span>'
        for n in positions_writer.block_notes(positions, change))
    if change.status == "inserted" and not block.is_heading:
        body = body or "<ins>(empty)</ins>"
    paragraph = f'<p class="{cls} {change.status}">{label}{body}</p>'
    if not remarks:
        return paragraph
    notes = "".join(_remark(r, n) for (r, _), n in zip(spans, numbers, strict=True))
    return f'<div class="commented">{paragraph}<aside class="margin">{notes}</aside></div>'


def render(c: Comparison, old_ref: str, new_ref: str, stat: bool = False,
           positions: PositionsComparison | None = None, remarks: Remarks = NONE) -> str:
    moves = {m.id: m for m in c.moves}
    number = _Numbers()
    old_name, new_name = c.old_name or old_ref, c.new_name or new_ref
    s = c.stats
    rows = [("Compared", f"{escape(old_name)} ({escape(old_ref)}) with "
                         f"{escape(new_name)} ({escape(new_ref)})"),
            ("Words inserted", str(s.words_inserted)), ("Words deleted", str(s.words_deleted)),
            ("Blocks changed", str(s.blocks_changed)),
            ("Blocks inserted", str(s.blocks_inserted)),
            ("Blocks deleted", str(s.blocks_deleted)), ("Blocks moved", str(s.blocks_moved)),
            ("Moves", str(s.moves)), ("Renumbered blocks", str(s.renumbered))]
    kinds = summary.kinds_line(c)
    if kinds:
        rows.append(("Changes by kind", escape(kinds)))
    parts = [
        "<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(c.new_title)}: comparison</title>", f"<style>{CSS}</style>",
        "</head>", "<body>", "<header>", f"<h1>{escape(c.new_title)}</h1>",
        f'<p class="sides"><span class="old">{escape(old_name)}</span> → '
        f'<span class="new">{escape(new_name)}</span></p>', "</header>", "<main>",
        '<section class="summary"><h2>Summary</h2><table>',
        *(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows), "</table>"]
    notes = summary.notes(c)
    if notes:
        parts.append('<ul class="notes">')
        parts += [f'<li class="{"warn" if n.startswith("check:") else ""}">{escape(n)}</li>'
                  for n in notes]
        parts.append("</ul>")
    parts += ['<h2>Changes by Article</h2><table class="by-article">',
              '<tr><th>Article</th><th class="n">inserted</th><th class="n">deleted</th></tr>']
    for article, ins, dele in summary.article_stats(c):
        label = article.split(" — ")[0]
        link = f'<a href="#{_anchor(label)}">{escape(article)}</a>' if not stat and \
            label.startswith(("Article", "Part")) else escape(article)  # --stat: no anchors
        parts.append(f'<tr><td>{link}</td><td class="n">{ins}</td><td class="n">{dele}</td></tr>')
    parts.append("</table></section>")
    if positions is not None:
        parts += positions_writer.html(positions)
    if not stat:
        parts += ['<p class="legend"><ins>inserted</ins> · <del>deleted</del> · '
                  '<ins class="move">moved</ins></p>',
                  '<section><h2>Side by side</h2><table class="sbs">',
                  '<colgroup><col class="label"><col><col></colgroup>',
                  f'<thead><tr><th></th><th>{escape(old_name)}</th>'
                  f'<th>{escape(new_name)}</th></tr></thead><tbody>',
                  *(_row(ch, moves, remarks.at(i)) for i, ch in enumerate(c.blocks)),
                  "</tbody></table></section>",
                  '<section class="redline"><h2>Redline</h2>',
                  *_redline(c, moves, positions, remarks, number), "</section>"]
        if remarks.unplaced:
            parts += ['<section class="unplaced"><h2>Comments on text in neither version'
                      "</h2>", *(_remark(r) for r in remarks.unplaced), "</section>"]
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
