"""Obligations as a table: terminal, CSV, Markdown and HTML (Word: obligations_docx)."""

from __future__ import annotations

import csv
import io
from html import escape

from ..negotiate.obligations import Obligation, by_phase, summary
from . import table

COLUMNS = ("label", "bearer", "modality", "action", "time limit", "conditions", "phase")
NO_BEARER = "(none named)"
WIDTHS = (40, 36, 13, 56, 56, 40, 36)  # terminal columns: longer cells end in "…"


def cells(row: Obligation) -> list[str]:
    return [row.label, row.bearer or NO_BEARER, row.modality, row.action,
            row.time_limit.short if row.time_limit else "", "; ".join(row.conditions),
            row.phase]


def _groups(rows: list[Obligation], grouped: bool) -> list[tuple[str, list[Obligation]]]:
    return by_phase(rows) if grouped else [("", rows)]


def term(rows: list[Obligation], source: str, grouped: bool = False) -> str:
    lines = [f"{source}: {summary(rows)}"]
    for phase, members in _groups(rows, grouped):
        if grouped:
            lines += ["", f"== {phase or '(no Part)'}: {summary(members)}"]
        shown = [c[:-1] if grouped else c for c in map(cells, members)]
        header = COLUMNS[:-1] if grouped else COLUMNS
        lines.append(table.render(header, [[_clip(x, WIDTHS[i]) for i, x in enumerate(c)]
                                           for c in shown]))
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def csv_text(rows: list[Obligation]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["label", "article", "bearer", "modality", "action", "time_limit",
                     "days", "event", "conditions", "phase", "passive", "sentence"])
    for r in rows:
        t = r.time_limit
        writer.writerow([r.label, r.article, r.bearer or "", r.modality, r.action,
                         t.text if t else "", "" if t is None or t.days is None else t.days,
                         t.event if t else "", "; ".join(r.conditions), r.phase,
                         "yes" if r.passive else "no", r.sentence])
    return out.getvalue()


CSS = """
body { font: 10.5pt/1.4 Georgia, "Times New Roman", serif; margin: 2em auto; max-width: 72em;
       color: #1b1f24; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
p.summary { color: #444; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #c9ced6; padding: .3em .45em; vertical-align: top;
         text-align: left; }
thead th { background: #eef1f5; }
td.label { white-space: nowrap; }
td.modality { white-space: nowrap; font-style: italic; }
tr.none td.bearer { color: #a33; }
@page { size: A4 landscape; margin: 1.5cm; }
@media print { body { margin: 0; max-width: none; } thead { display: table-header-group; }
               tr { page-break-inside: avoid; } }
"""


def html(rows: list[Obligation], source: str, title: str, grouped: bool = False) -> str:
    parts = ["<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{escape(title)}: obligations</title>", f"<style>{CSS}</style>",
             "</head>", "<body>", f"<h1>{escape(title)}: obligations</h1>",
             f'<p class="summary">{escape(source)}: {escape(summary(rows))}</p>']
    for phase, members in _groups(rows, grouped):
        if grouped:
            parts.append(f"<h2>{escape(phase or '(no Part)')}</h2>")
            parts.append(f'<p class="summary">{escape(summary(members))}</p>')
        header = COLUMNS[:-1] if grouped else COLUMNS
        parts.append("<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header)
                     + "</tr></thead><tbody>")
        for row in members:
            values = cells(row)[:len(header)]
            cls = ' class="none"' if row.bearer is None else ""
            parts.append(f"<tr{cls}>" + "".join(
                f'<td class="{h.split()[0]}">{escape(v)}</td>' for h, v in zip(header, values,
                                                                              strict=True))
                + "</tr>")
        parts.append("</tbody></table>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
