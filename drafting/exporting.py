"""Word output for the CLI: what a document's header and properties say, a checked
reference document, and the two kinds of file (clean export, redline)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .compare import Options, compare
from .inputs import Source, open_source
from .model import Comparison
from .store import format_time
from .writers.word import Meta


def meta_for(source: Source, workspace_root: Path | None, title: str | None = None) -> Meta:
    from .workspace import Workspace, find_workspace, load_agreement

    revision = source.revision
    if revision is None:
        stamp = dt.datetime.fromtimestamp(Path(source.ref).stat().st_mtime, dt.UTC)
        return Meta(title=title or source.document.title or Path(source.ref).stem,
                    agreement=Path(source.ref).stem, side="", revision=Path(source.ref).name,
                    time=format_time(stamp))
    ws = Workspace(workspace_root) if workspace_root else find_workspace(Path.cwd())
    agreement = load_agreement(ws, revision.agreement)
    return Meta(title=title or revision.document.title, agreement=agreement.name,
                side=agreement.side_name(revision.side),
                revision=f"revision r{revision.seq} {revision.short}", time=revision.time,
                sides=tuple(agreement.sides.values()))


def checked_reference(path: Path | None) -> Path | None:
    """A user's reference document is read like any other Word file: refused if hostile."""
    if path is None:
        return None
    from .errors import DraftingError
    from .readers.docx.package import MAX_FILE_BYTES, Package

    if path.stat().st_size > MAX_FILE_BYTES:
        raise DraftingError("reference document too large", path)
    package = Package(path.read_bytes(), str(path))
    if not package.has("word/document.xml"):
        raise DraftingError("not a Word document (no word/document.xml)", path)
    for name in package.names():
        if name.endswith((".xml", ".rels")):
            package.xml(name)  # refuses DOCTYPEs and entities before python-docx sees them
    return path


def export_docx(ref: str, workspace_root: Path | None, reference: Path | None = None) -> bytes:
    from .writers import docx_clean

    source = open_source(ref, workspace_root)
    return docx_clean.render(source.document, meta_for(source, workspace_root),
                             checked_reference(reference))


def redline_docx(comparison: Comparison, old: Source, new: Source,
                 workspace_root: Path | None, reference: Path | None = None,
                 summary_table: bool = True) -> bytes:
    from .writers import docx_redline

    return docx_redline.render(comparison, meta_for(new, workspace_root), old.ref, new.ref,
                               summary_table=summary_table,
                               reference=checked_reference(reference))


def redline_between(old_ref: str, new_ref: str, workspace_root: Path | None,
                    reference: Path | None = None) -> bytes:
    old, new = open_source(old_ref, workspace_root), open_source(new_ref, workspace_root)
    comparison = compare(old.document, new.document, Options(), old.name, new.name)
    return redline_docx(comparison, old, new, workspace_root, reference)
