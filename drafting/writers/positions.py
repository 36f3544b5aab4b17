"""Positions compared, as a section of `draft diff` and as `draft positions`: plain text
(terminal and --stat), Markdown and HTML. The JSON is PositionsComparison.to_dict()."""

from __future__ import annotations

from html import escape

from ..model import BlockChange
from ..negotiate.positions import Delta, PositionsComparison


def _where(delta: Delta, old_name: str) -> str:
    shown = ", ".join(delta.where)
    if delta.where_old:
        shown += ("; " if shown else "") + f"{old_name}'s draft: " + ", ".join(delta.where_old)
    if not shown:
        return "moves clauses" if delta.clause is None else "no change in the text"
    return shown


def _only(pc: PositionsComparison) -> list[str]:
    names = {"old": pc.old_name, "new": pc.new_name}
    return [f"{o.title or o.clause} ({o.clause}): only in {names[o.side]}'s draft"
            + (f", {o.place}" if o.place else "") for o in pc.only]


def block_notes(pc: PositionsComparison | None, change: BlockChange) -> list[str]:
    """What explains this block of an imported text: "4.1 = nuclear.freeze.days: 60;
    ours: 45", one line per parameter."""
    if pc is None or pc.explained is None:
        return []
    theirs, ours = (change.new, change.old) if pc.explained_new else (change.old, change.new)
    return [e.text() for e in pc.explained.explanations
            if (ours if e.dropped else theirs) is not None
            and e.block == (ours if e.dropped else theirs).id]


def _explained(pc: PositionsComparison) -> list[str]:
    """Each explained block, then where the search stopped at its bound."""
    if pc.explained is None:
        return []
    return pc.explained.lines() + pc.explained.notes()


def text(pc: PositionsComparison, describe: bool = True) -> list[str]:
    """The section as lines: the summary, then each group and its deltas."""
    lines = [pc.summary()]
    for heading, deltas in pc.groups():
        lines.append(f"  {heading}")
        for d in deltas:
            lines.append(f"    {d.name}: {d.change}  [{_where(d, pc.old_name)}]")
            if describe and d.description:
                lines.append(f"      ({d.description})")
        if deltas[0].clause is None:
            lines += [f"    moved: {m}" for m in pc.moved]
    lines += [f"  {line}" for line in _only(pc)]
    explained = _explained(pc)
    if explained:
        lines += ["  Explained blocks", *(f"    {line}" for line in explained)]
    return lines


def markdown(pc: PositionsComparison) -> list[str]:
    lines = ["## Positions", "", pc.summary(), ""]
    for heading, deltas in pc.groups():
        lines += [f"### {heading}", ""]
        lines += ["| | change | where |", "|---|---|---|"]
        for d in deltas:
            lines.append(f"| `{d.name}` | {_cell(d.change)} | "
                         f"{_cell(_where(d, pc.old_name))} |")
        lines.append("")
        if deltas[0].clause is None and pc.moved:
            lines += [f"- moved: {m}" for m in pc.moved] + [""]
    lines += [f"- {line}" for line in _only(pc)]
    explained = _explained(pc)
    if explained:
        lines += ["### Explained blocks", "", *(f"- {_cell(line)}" for line in explained), ""]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def html(pc: PositionsComparison) -> list[str]:
    parts = ['<section class="positions"><h2>Positions</h2>',
             f"<p>{escape(pc.summary())}</p>"]
    groups = pc.groups()
    if groups:
        parts += ['<table class="positions">',
                  '<tr><th>Parameter</th><th>Change</th><th>Where</th></tr>']
        for heading, deltas in groups:
            parts.append(f'<tr class="group"><th colspan="3">{escape(heading)}</th></tr>')
            for d in deltas:
                title = f' title="{escape(d.description)}"' if d.description else ""
                parts.append(f"<tr><td{title}><code>{escape(d.name)}</code></td>"
                             f"<td>{escape(d.change)}</td>"
                             f"<td>{escape(_where(d, pc.old_name))}</td></tr>")
            if deltas[0].clause is None and pc.moved:
                moved = "<br>".join(escape(m) for m in pc.moved)
                parts.append(f'<tr><td>moved</td><td colspan="2">{moved}</td></tr>')
        parts.append("</table>")
    only = _only(pc)
    if only:
        parts += ["<ul>", *(f"<li>{escape(x)}</li>" for x in only), "</ul>"]
    explained = _explained(pc)
    if explained:
        parts += ['<h3>Explained blocks</h3><ul class="explained">',
                  *(f"<li>{escape(x)}</li>" for x in explained), "</ul>"]
    parts.append("</section>")
    return parts
