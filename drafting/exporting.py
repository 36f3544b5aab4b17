"""Word output for the CLI: what a document's header and properties say, a checked
reference document (reference_doc.py), and the two kinds of file (clean export, redline).

Files are for the other side unless `internal`: they carry block ids only as tokens keyed
with the workspace's secret (idkey.py), and name compared files by file name, never by
the path on our machine."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from .compare import Options, compare
from .compare.comments import NONE, Remarks
from .errors import DraftingError
from .inputs import Source, is_word_pair
from .model import OBJECT, Comparison, Document
from .negotiate.positions import PositionsComparison
from .reference_doc import checked_reference
from .store import format_time
from .writers.formats import Written
from .writers.word import Meta


def meta_for(source: Source, workspace_root: Path | None, title: str | None = None,
             internal: bool = False) -> Meta:
    from .idkey import workspace_key
    from .workspace import Workspace, find_workspace, load_agreement

    revision = source.revision
    try:
        ws = Workspace(workspace_root) if workspace_root else find_workspace(Path.cwd())
    except DraftingError:
        if revision is not None:
            raise
        ws = None  # a file exported outside any workspace: its ids are the file's own
    key = workspace_key(ws.root) if ws is not None else None
    if revision is None:
        stamp = dt.datetime.fromtimestamp(Path(source.ref).stat().st_mtime, dt.UTC)
        return Meta(title=title or source.document.title or Path(source.ref).stem,
                    agreement=Path(source.ref).stem, side="", revision=Path(source.ref).name,
                    time=format_time(stamp), id_key=key, internal=internal)
    assert ws is not None
    agreement = load_agreement(ws, revision.agreement)
    return Meta(title=title or revision.document.title,
                agreement=agreement.name if internal else "",
                side=agreement.side_name(revision.side),
                revision=f"revision r{revision.seq} {revision.short}", time=revision.time,
                sides=tuple(agreement.sides.values()), id_key=key, internal=internal)


_OBJECT_NAMES = {"image": "picture", "text box": "text box", "equation": "equation"}


def object_warnings(document: Document) -> tuple[str, ...]:
    """What a Word file written from the model cannot hold as the original did: each
    object is written as its ⟦...⟧ token (the model keeps its identity and text, not the
    object itself)."""
    counts = Counter(m.value for b in document.blocks for m in b.marks if m.kind == OBJECT)
    if not counts:
        return ()
    said = ", ".join(f"{n} {_OBJECT_NAMES.get(kind, kind)}{'s' if n > 1 else ''}"
                     for kind, n in sorted(counts.items()))
    return (f"{said} written as their ⟦...⟧ tokens: the model does not carry the objects "
            "themselves",)


def shown_ref(source: Source) -> str:
    """How a file for the other side names a compared text: a revision by its number and
    id ("r3 c43f304864"; the side is said beside it), a file by its name, never its path."""
    revision = source.revision
    return f"r{revision.seq} {revision.short}" if revision else Path(source.ref).name


def export_docx(source: Source, workspace_root: Path | None, reference: Path | None = None,
                internal: bool = False) -> bytes:
    from .commenting import source_comments
    from .writers import docx_clean

    comments = source_comments(source)
    return docx_clean.render(source.document,
                             meta_for(source, workspace_root, internal=internal),
                             checked_reference(reference), comments)


def word_redline(old: Source, new: Source, internal: bool = False) -> Written:
    """The newer Word file with the changes from the older one tracked in it, by the newer
    file's name, and what it could not bring in as the older file had it (stale links
    withheld, parts refused, lost headers, notes, comments). The files' own tracked
    changes are resolved as they were read: the reader has said so, so the redline's
    note of it is not said twice."""
    from .readers.docx.package import MAX_FILE_BYTES
    from .readers.files import read_limited
    from .wordcompare import redline_files

    old_path, new_path = Path(old.ref), Path(new.ref)
    made = redline_files(read_limited(old_path, MAX_FILE_BYTES),
                         read_limited(new_path, MAX_FILE_BYTES), str(old_path), str(new_path),
                         new.name, new.pending, internal)
    return Written(made.data, made.warnings)


def redline_docx(comparison: Comparison, old: Source, new: Source,
                 workspace_root: Path | None, reference: Path | None = None,
                 summary_table: bool = True, internal: bool = False,
                 positions: PositionsComparison | None = None, remarks: Remarks = NONE
                 ) -> Written:
    from .writers import docx_redline

    if is_word_pair(old, new):
        if reference is not None:
            raise DraftingError("--reference-doc does not apply to a redline of two Word "
                                "files: it keeps the newer file's own styles", reference)
        return word_redline(old, new, internal)
    return Written(docx_redline.render(
        comparison, meta_for(new, workspace_root, internal=internal), shown_ref(old),
        shown_ref(new), summary_table=summary_table, reference=checked_reference(reference),
        positions=positions, remarks=remarks))


def redline_between(old: Source, new: Source, workspace_root: Path | None,
                    reference: Path | None = None, internal: bool = False) -> Written:
    from .commenting import remarks_between

    comparison = compare(old.document, new.document, Options(), old.name, new.name)
    return redline_docx(comparison, old, new, workspace_root, reference, internal=internal,
                        remarks=remarks_between(comparison, old, new))
