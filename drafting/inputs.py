"""What `diff`, `export`, `brackets` and `joint` accept: a revision ref or a file path."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DraftingError
from .model import Block, Document

if TYPE_CHECKING:  # the store is imported where a revision is opened, not at start
    from .readers.docx.ids import Identity
    from .store import Revision

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
WORD_SUFFIXES = (".docx",)


@dataclass(frozen=True)
class Source:
    document: Document
    name: str  # who or what: a side's display name, or a file name
    ref: str  # as the user wrote it
    revision: Revision | None = None
    side: str | None = None
    warnings: tuple[str, ...] = ()  # what reading the file could not carry, for stderr
    pending: str = "accept"  # how a Word file's own tracked changes were read
    stories: tuple[Block, ...] | None = None  # a Word file's headers and footers (the
    #                                           reading's), None for any other source


def is_file_argument(spec: str) -> bool:
    """A path, not a ref: it exists, or it looks like a file name (a ref's agreement name
    has no '.' or '/', so 'notes.pdf' or 'out/x' is a file, missing or not)."""
    name = spec.split("@", 1)[0]
    return os.path.isfile(spec) or "." in name or "/" in name or "\\" in name


def read_document(path: Path, workspace_root: Path | None = None) -> Document:
    return read_with_warnings(path, workspace_root)[0]


def read_with_warnings(path: Path, workspace_root: Path | None = None,
                       pending: str = "accept") -> tuple[Document, tuple[str, ...]]:
    """A file's document and what its reader could not carry. A Word file with pending
    tracked changes is read with them accepted, rejected or refused (`pending`), and the
    warnings name them."""
    document, warnings, _ = _read(path, workspace_root, pending)
    return document, warnings


def _read(path: Path, workspace_root: Path | None, pending: str
          ) -> tuple[Document, tuple[str, ...], tuple[Block, ...] | None]:
    """read_with_warnings, and a Word file's headers and footers in the same reading."""
    suffix = path.suffix.lower()
    if suffix in WORD_SUFFIXES:
        from .readers import docx
        from .readers.docx.pending import choose

        word = docx.read_file(path, _workspace_tokens(workspace_root))
        document, warnings = choose(word, pending, str(path))
        return document, warnings, word.stories_of(document)
    if suffix in TEXT_SUFFIXES:
        from .readers import markdown

        return markdown.read_file(path), (), None
    raise DraftingError("unknown file type (use .md, .txt or .docx)", path)


def compared(old: Source, new: Source) -> tuple[Document, Document]:
    """The documents `draft diff` compares: two Word files with their headers and footers
    after the body (a revision or a Markdown file has none to compare them with)."""
    if old.stories is None or new.stories is None:
        return old.document, new.document
    return (Document(old.document.title, (*old.document.blocks, *old.stories)),
            Document(new.document.title, (*new.document.blocks, *new.stories)))


def _workspace_tokens(workspace_root: Path | None) -> dict[str, Identity]:
    """The block-id tokens of every agreement of the workspace (if there is one), so that a
    Word file we sent aligns by clause again."""
    from .importing import known_ids
    from .workspace import Workspace, find_workspace

    try:
        ws = Workspace(workspace_root) if workspace_root else find_workspace(Path.cwd())
    except DraftingError:
        return {}
    out: dict[str, Identity] = {}
    for agreement in ws.agreements():
        out.update(known_ids(ws, agreement))
    return out


def open_source(spec: str, workspace_root: Path | None, pending: str = "accept") -> Source:
    """A file when spec names one (by suffix or existence), else a revision ref; `pending`
    says how a Word file's pending tracked changes are read (accept, reject, refuse)."""
    if os.path.isdir(spec):  # os.path: False, not an error, for a name too long
        raise DraftingError("is a folder: give a file (.md, .txt, .docx) or a revision ref",
                            spec)
    if is_file_argument(spec):
        path = Path(spec)
        if not os.path.exists(path):
            raise DraftingError("no such file", path)
        document, warnings, stories = _read(path, workspace_root, pending)
        return Source(document, path.name, spec, warnings=warnings, pending=pending,
                      stories=stories)
    from .build import open_revision
    from .workspace import Workspace, find_workspace, load_agreement

    ws = Workspace(workspace_root) if workspace_root else find_workspace(Path.cwd())
    revision = open_revision(ws, spec)
    agreement = load_agreement(ws, revision.agreement)
    return Source(revision.document, agreement.side_name(revision.side),
                  f"{spec}, r{revision.seq} {revision.short}", revision, revision.side)


def is_word_pair(old: Source, new: Source) -> bool:
    """Two Word files (not revisions of ours): their redline is written into the newer
    file (wordcompare) instead of being rebuilt from the model."""
    return all(s.revision is None and Path(s.ref).suffix.lower() in WORD_SUFFIXES
               for s in (old, new))
