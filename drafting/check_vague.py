"""`draft check`'s notes on vague text (warnings with --strict), each at the clause line it
comes from. The rules are in negotiate/vagueness.py; this module only places and grades."""

from __future__ import annotations

from typing import Any

from .model import Document
from .negotiate.vagueness import find

CHECK = "vagueness"


def check_vagueness(checker: Any, document: Document, clauses: list[str], severity: str
                    ) -> None:
    """Add a finding for each vague passage: checker is check's _Checker (add, _where)."""
    defined = {term for cid in clauses if cid in checker.library.clauses
               for term in checker.library.clauses[cid].defines}
    index = {b.id: i for i, b in enumerate(document.blocks)}
    for vague in find(document, defined):
        path, line = _place(checker, document, index[vague.block_id], vague.needle)
        checker.add(severity, path, line, f"vague: {vague.message}", CHECK)


def _place(checker: Any, document: Document, block: int, needle: str) -> tuple[Any, int | None]:
    """The clause line of the words; shorter probes when the source interleaves Jinja."""
    words = needle.split()
    for n in (len(words), 4, 3):
        path, line = checker._where(document, block, " ".join(words[:n]))
        if line is not None:
            break
    return path, line
