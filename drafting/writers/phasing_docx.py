"""Phasing side by side as a landscape Word table, the notes under it."""

from __future__ import annotations

from ..negotiate.phasing import Phasing
from .docx_tables import grid, note, report
from .phasing import headline, matrix, notes
from .word import Meta


def render(p: Phasing, meta: Meta, refs: tuple[str, str]) -> bytes:
    word = report(meta, [headline(p, refs)])
    a, b = p.names[p.old], p.names[p.new]
    grid(word, ["Phase", "Who", f"{a}'s draft", f"{b}'s draft"],
         [[phase, party, "\n".join(x) or "—", "\n".join(y) or "—"]
          for phase, party, x, y in matrix(p)], (4.2, 3.6, 8.9, 8.9))
    for heading, items in notes(p):
        note(word, heading, bold=True)
        for item in items or ["None."]:
            note(word, f"• {item}" if items else item)
    return word.save()
