"""The other side's imported text, read against our clauses: which of its differences
are our clause rendered with other parameter values. The search is negotiate.explain;
this module gives it our library's declarations and a render function that goes through
the assembler (the same sandbox, filters and clause bodies a build uses)."""

from __future__ import annotations

from typing import Any

from .assemble import Assembler
from .errors import DraftingError
from .library import load_library
from .model import Document
from .negotiate.explain import Search, explain
from .store import Revision
from .workspace import Position, Workspace, load_agreement


def is_imported(revision: Revision) -> bool:
    """Recorded by `draft import` from a file, not built from the library."""
    return bool(revision.origin.get("file"))


def explain_import(ws: Workspace, ours: Revision, positions: dict[str, Any],
                   theirs: Document) -> Search:
    """Their blocks that our clauses, with other values of their declared parameters,
    render exactly; our values are those `positions` (ours, as recorded) gives."""
    library = load_library(ws.clauses_dir)
    agreement = load_agreement(ws, ours.agreement)
    nothing = Position(ours.side, {}, {}, None, None, None)  # every value is passed in
    assembler = Assembler(ws, library, agreement, nothing, collect=True)
    our_labels = ref_labels(ours.document)
    # their text cites a block as their draft numbers it (as ours does one they dropped)
    their_labels = our_labels | ref_labels(theirs)

    def render(clause: str, values: dict[str, Any], as_theirs: bool
               ) -> list[tuple[str, str]] | None:
        try:
            return assembler.render_clause(clause, values,
                                           their_labels if as_theirs else our_labels)
        except DraftingError:
            return None  # a value the clause cannot take: it explains nothing

    declared = {c.id: (c.edition, c.params) for c in library.clauses.values()}
    return explain(ours.document, theirs, positions, declared, render,
                   renumbered=any(their_labels[k] != v for k, v in our_labels.items()))


def ref_labels(doc: Document) -> dict[str, str]:
    """Block id -> the label ref() printed for it in this draft ("Article 7", "Article
    4.1"): read from the draft's own references, else made from the block's label."""
    out: dict[str, str] = {}
    article = ""
    for block in doc.blocks:
        if block.is_heading and block.label.startswith("Article"):
            article = block.label
        if block.is_heading:
            out[block.id] = block.label or block.text
        elif block.label:
            out[block.id] = f"Article {block.label}"
        elif article:
            out[block.id] = article
    for block in doc.blocks:
        for ref in block.refs:
            out[ref.target] = block.text[ref.start:ref.end]
    return out
