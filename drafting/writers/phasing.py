"""Phasing side by side as Markdown (also what the terminal shows) and as an HTML page made
to be printed (landscape, the header row repeated on each page)."""

from __future__ import annotations

from html import escape

from ..negotiate.phasing import BOTH, Phasing


def who(p: Phasing, party: str) -> str:
    """"DPRK (US receives)": a row of the matrix says who must, and who receives."""
    if party == BOTH:
        return "Both Parties"
    others = [k for k in p.sides if k != party]
    receives = f" ({', '.join(short(p, k) for k in others)} receives)" if others else ""
    return f"{short(p, party)} must{receives}"


def short(p: Phasing, key: str) -> str:
    return key.upper() if len(key) <= 5 else p.sides.get(key, key)


def matrix(p: Phasing) -> list[tuple[str, str, list[str], list[str]]]:
    """(phase, who, lines in the first draft, lines in the second), phase named once."""
    out = []
    for row in p.rows:
        first = True
        for party in [*p.sides, BOTH]:
            a = [d.text() for d in row.duties[p.old].get(party, [])]
            b = [d.text() for d in row.duties[p.new].get(party, [])]
            if not a and not b:
                continue
            out.append((row.phase if first else "", who(p, party), a, b))
            first = False
    return out


def notes(p: Phasing) -> list[tuple[str, list[str]]]:
    """The sections under the matrix: moves, one-sided obligations, time limits."""
    a, b = p.names[p.old], p.names[p.new]
    sections = [("What moved between phases", [m.text(a, b) for m in p.moved])]
    for draft in (p.old, p.new):
        rows = [o.row for o in p.only if o.draft == draft]
        sections.append((f"Obligations only in {p.names[draft]}'s draft", [
            f"{r.label} {r.bearer or '(no one named)'} {r.modality} {r.action}"
            + (f" ({r.time_limit.short})" if r.time_limit else "") for r in rows]))
    sections.append(("Time limits that differ", [d.text() for d in p.limits]))
    return sections


def headline(p: Phasing, refs: tuple[str, str]) -> str:
    return (f"{p.names[p.old]}'s draft ({refs[0]}; {p.counts[p.old]} obligations) compared "
            f"with {p.names[p.new]}'s draft ({refs[1]}; {p.counts[p.new]} obligations)")


def markdown(p: Phasing, refs: tuple[str, str]) -> str:
    a, b = p.names[p.old], p.names[p.new]
    lines = [f"# {p.title}: phasing", "", headline(p, refs), "",
             f"| Phase | Who | {a}'s draft | {b}'s draft |", "|---|---|---|---|"]
    for phase, party, x, y in matrix(p):
        lines.append(f"| {_cell(phase)} | {_cell(party)} | {_lines(x)} | {_lines(y)} |")
    for heading, items in notes(p):
        lines += ["", f"## {heading}", ""]
        lines += [f"- {item}" for item in items] or ["- none"]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _lines(items: list[str]) -> str:
    return "<br>".join(_cell(i) for i in items) or "—"


CSS = """
body { font: 10pt/1.35 Georgia, "Times New Roman", serif; margin: 1.5em auto; max-width: 75em;
       color: #1b1f24; }
h1 { font-size: 1.35em; margin-bottom: .2em; } h2 { font-size: 1.1em; margin-top: 1.4em; }
p.head { color: #444; margin-top: 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid #b9c0ca; padding: .3em .45em; vertical-align: top; text-align: left; }
thead th { background: #e9edf2; }
col.phase { width: 16%; } col.who { width: 14%; }
td.phase { font-weight: bold; background: #f6f7f9; }
tr.first td { border-top: 2px solid #6b7380; }
ul { margin: .2em 0; padding-left: 1.2em; } li { margin: .1em 0; }
td ul { list-style: none; padding-left: 0; }
@page { size: A4 landscape; margin: 1.4cm; }
@media print { body { margin: 0; max-width: none; } thead { display: table-header-group; }
               tr { page-break-inside: avoid; } }
"""


def html(p: Phasing, refs: tuple[str, str]) -> str:
    a, b = p.names[p.old], p.names[p.new]
    parts = ["<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{escape(p.title)}: phasing</title>", f"<style>{CSS}</style>", "</head>",
             "<body>", f"<h1>{escape(p.title)}: phasing</h1>",
             f'<p class="head">{escape(headline(p, refs))}</p>',
             '<table><colgroup><col class="phase"><col class="who"><col><col></colgroup>',
             f"<thead><tr><th>Phase</th><th>Who</th><th>{escape(a)}'s draft</th>"
             f"<th>{escape(b)}'s draft</th></tr></thead><tbody>"]
    for phase, party, x, y in matrix(p):
        cls = ' class="first"' if phase else ""
        parts.append(f'<tr{cls}><td class="phase">{escape(phase)}</td><td>{escape(party)}</td>'
                     f"<td>{_list(x)}</td><td>{_list(y)}</td></tr>")
    parts.append("</tbody></table>")
    for heading, items in notes(p):
        parts.append(f"<h2>{escape(heading)}</h2>")
        parts.append(_list(items, bullets=True) if items else "<p>None.</p>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _list(items: list[str], bullets: bool = False) -> str:
    if not items:
        return "—"
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"
