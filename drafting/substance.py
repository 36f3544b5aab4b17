"""Substance views of revisions: the positions each was built from, compared; the
phasing of two sides' drafts side by side.

A revision built by this version records its positions. An older one does not; its
positions are rebuilt from its inputs when every file it was built from still has the
sha256 its provenance recorded (so the values are exactly those it used), else they are
reported as unknown rather than guessed.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .errors import DraftingError
from .explaining import explain_import, is_imported
from .inputs import Source
from .model import Document
from .negotiate.phasing import Phasing, compare_phasing
from .negotiate.positions import (
    PositionsComparison,
    compare_positions,
    explained_positions,
    unavailable,
)
from .store import Revision
from .workspace import Workspace, load_agreement


def recorded_positions(ws: Workspace, revision: Revision) -> tuple[dict[str, Any] | None, str]:
    """(positions, "") or (None, why they cannot be known)."""
    if revision.positions:
        return revision.positions, ""
    label = f"r{revision.seq} {revision.short}"
    if not revision.sources or is_imported(revision):
        return None, f"{label} was imported, not built from the library"
    for path, digest in sorted(revision.sources.items()):
        file = ws.root / path
        try:
            current = hashlib.sha256(file.read_bytes()).hexdigest()
        except OSError:
            current = None
        if current != digest:
            return None, (f"{label} records no positions and {path} has changed since it was "
                          "built")
    from .build import assemble_side

    agreement = load_agreement(ws, revision.agreement)
    try:
        assembly = assemble_side(ws, agreement, revision.side, revision.overrides)
    except DraftingError as e:
        return None, f"{label} records no positions and its inputs no longer build: {e}"
    if assembly.document != revision.document:
        return None, f"{label} records no positions and its inputs now build another text"
    return assembly.positions, ""


def positions_between(ws: Workspace, old: Revision, new: Revision, old_name: str,
                      new_name: str) -> PositionsComparison:
    a, why_a = recorded_positions(ws, old)
    b, why_b = recorded_positions(ws, new)
    if (a is None) != (b is None) and is_imported(old if a is None else new):
        ours, positions = (new, b) if a is None else (old, a)
        assert positions is not None
        side = old_name if a is None else new_name
        return _explained(ws, ours, positions, ours is old, old.document, new.document,
                          old_name, new_name, f"{side}'s imported text")
    if a is None or b is None:
        return unavailable(old_name, new_name, [w for w in (why_a, why_b) if w])
    return compare_positions(a, b, old.document, new.document, old_name, new_name)


def positions_for_diff(ws: Workspace, a: Source, b: Source) -> PositionsComparison | None:
    """The positions section of a diff: between two revisions; between a revision built
    from the library and a file (a Word file we exported, returned) when the file holds
    our clauses, read against them; else none."""
    if a.revision is not None and b.revision is not None:
        return positions_between(ws, a.revision, b.revision, short_name(a), short_name(b))
    built = a.revision or b.revision
    positions = recorded_positions(ws, built)[0] if built is not None else None
    if built is None or positions is None:
        return None
    file = b if a.revision is not None else a
    compared = _explained(ws, built, positions, built is a.revision, a.document,
                          b.document, short_name(a), short_name(b), file.ref)
    return compared if compared.explained and compared.explained.compared else None


def _explained(ws: Workspace, ours: Revision, positions: dict[str, Any], ours_old: bool,
               old_doc: Document, new_doc: Document, old_name: str, new_name: str,
               theirs: str) -> PositionsComparison:
    search = explain_import(ws, ours, positions, new_doc if ours_old else old_doc)
    return explained_positions(search, positions, ours_old, old_doc, new_doc, old_name,
                               new_name, theirs)


def short_name(source: Source) -> str:
    """How a side is named inside a sentence: "US", "DPRK"; a long key by its name."""
    side = source.side or ""
    return side.upper() if 0 < len(side) <= 5 else source.name


def phasing_between(ws: Workspace, a: Source, b: Source) -> Phasing:
    """Two revisions of one agreement, phase by phase; the parties are its sides."""
    if a.revision is None or b.revision is None:
        raise DraftingError("phasing compares two revisions of one agreement, not files")
    if a.revision.agreement != b.revision.agreement:
        raise DraftingError(f"phasing compares two drafts of one agreement, not "
                            f"{a.revision.agreement} and {b.revision.agreement}")
    agreement = load_agreement(ws, a.revision.agreement)
    old, new = a.revision.side, b.revision.side
    if old == new:
        old, new = f"{old}:{a.revision.short}", f"{new}:{b.revision.short}"
    names = {old: short_name(a) + ("" if ":" not in old else f" r{a.revision.seq}"),
             new: short_name(b) + ("" if ":" not in new else f" r{b.revision.seq}")}
    return compare_phasing(a.revision.document, b.revision.document, dict(agreement.sides),
                           old, new, names)
