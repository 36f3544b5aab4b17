"""Obligations as a Word table, one row per obligation, grouped by phase on request."""

from __future__ import annotations

from ..negotiate.obligations import Obligation, by_phase, summary
from .docx_tables import grid, note, report
from .obligations import COLUMNS, cells
from .word import Meta

WIDTHS = (1.6, 3.6, 2.0, 7.2, 5.2, 4.6, 3.0)


def render(rows: list[Obligation], meta: Meta, source: str, grouped: bool = False) -> bytes:
    word = report(meta, [f"Obligations: {source}", summary(rows)])
    groups = by_phase(rows) if grouped else [("", rows)]
    for phase, members in groups:
        if grouped:
            note(word, f"{phase or '(no Part)'}: {summary(members)}", bold=True)
        header = COLUMNS[:-1] if grouped else COLUMNS
        grid(word, header, [cells(r)[:len(header)] for r in members],
             WIDTHS[:len(header)])
    return word.save()
