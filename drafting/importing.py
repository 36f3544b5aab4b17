"""The other side's file comes back: `draft import` records it as their revision, and
`draft audit` checks that every change they made to what we sent was tracked."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .build import default_author, open_revision, open_store
from .compare import compare
from .compare.comments import NONE, Remarks, place
from .errors import DraftingError
from .inputs import TEXT_SUFFIXES, WORD_SUFFIXES
from .model import Comparison, Document
from .sourcefile import check_control
from .store import NewRevision, Revision
from .workspace import Workspace, load_agreement

if TYPE_CHECKING:
    from .readers.docx import WordFile
    from .readers.docx.ids import Identity


@dataclass(frozen=True)
class Imported:
    revision: Revision
    created: bool
    tracked: int  # tracked changes in the file (accepted into the revision, or rejected)
    authors: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # what reading the file could not carry, for stderr


def known_ids(ws: Workspace, agreement: str) -> dict[str, Identity]:
    """Bookmark token -> identity of every block our revisions of this agreement carry:
    a file we sent names blocks only by tokens keyed with the workspace's secret (and,
    before that key existed, by unkeyed hashes)."""
    from .idkey import saved_key
    from .model import bookmark_name
    from .readers.docx.ids import Identity

    key = saved_key(ws.root)
    store = open_store(ws, agreement)
    out: dict[str, Identity] = {}
    for info in store.infos():
        for b in store.load(info.id).document.blocks:
            identity = Identity(b.id, b.clause, b.edition, b.level)
            if key:
                out.setdefault(bookmark_name(b.id, key), identity)
            out.setdefault(bookmark_name(b.id), identity)
    return out


def read_any(path: Path, ids: dict[str, Identity] | None = None
             ) -> tuple[Document, Document, WordFile | None]:
    """(accepted document, original document, Word file or None) of a .docx/.md/.txt."""
    suffix = path.suffix.lower()
    if suffix in WORD_SUFFIXES:
        from .readers import docx

        word = docx.read_file(path, ids or ())
        return word.accepted, word.original, word
    if suffix in TEXT_SUFFIXES:
        from .readers import markdown

        doc = markdown.read_file(path)
        return doc, doc, None
    raise DraftingError("unknown file type (use .docx, .md or .txt)", path)


def import_file(ws: Workspace, path: Path, agreement_name: str, side: str, *,
                author: str | None = None, message: str = "",
                pending: str = "accept") -> Imported:
    """`pending`: record a Word file's pending tracked changes accepted (the default),
    rejected, or refuse the file (readers/docx/pending.py)."""
    agreement = load_agreement(ws, agreement_name)
    agreement.check_side(side)
    accepted, _, word = read_any(path, known_ids(ws, agreement_name))
    warnings: tuple[str, ...] = ()
    if word is not None:
        from .readers.docx.pending import choose

        accepted, warnings = choose(word, pending, str(path))
    if not accepted.blocks:
        raise DraftingError("the file has no text to record", path)
    _refuse_controls(accepted, path)
    document = Document(accepted.title or agreement.title, accepted.blocks)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    origin = {"file": path.name, "sha256": digest, "format": path.suffix.lower().lstrip(".")}
    if word is not None:
        from .commenting import word_comments

        origin["tracked_changes"] = len(word.changes)
        origin["tracked_change_authors"] = list(word.authors)
        comments = word_comments(data, str(path), document)
        if comments:  # kept with the revision, not in its text
            origin["comments"] = [c.to_dict() for c in comments]
    same = _same_as(ws, agreement_name, side, digest, document)
    if same is not None and same.origin.get("comments", []) == origin.get("comments", []):
        return Imported(same, False, len(word.changes) if word else 0,
                        word.authors if word else (), warnings)
    new = NewRevision(side=side,
                      author=author or _file_author(data, str(path), word) or default_author(),
                      message=message or f"Imported from {path.name}", document=document,
                      inputs=hashlib.sha256(f"import\0{side}\0{digest}".encode()).hexdigest(),
                      sources={path.name: digest}, origin=origin)
    revision, created = open_store(ws, agreement).add(new)
    return Imported(revision, created, len(word.changes) if word else 0,
                    word.authors if word else (), warnings)


def _refuse_controls(document: Document, path: Path) -> None:
    """The store would refuse it anyway; here the message can name the file's paragraph."""
    for n, block in enumerate(document.blocks, 1):
        check_control(block.text, None, what=f"{path}: paragraph {n}: ")


def _same_as(ws: Workspace, agreement: str, side: str, digest: str, document: Document
             ) -> Revision | None:
    """A revision we already have of this file: the same bytes imported for this side, or
    the same text as any revision (a file sent back unchanged); the latest such."""
    store = open_store(ws, agreement)
    for info in reversed(store.infos()):
        revision = store.load(info.id, info.seq)
        if (info.side == side and revision.origin.get("sha256") == digest) or \
                _text(revision.document) == _text(document):
            return revision
    return None


def _text(document: Document) -> list[tuple[object, ...]]:
    """What a reader sees: headings, labels, text, its inline marks, notes and table cells
    (ids, clause editions and the level of an unlabelled paragraph do not survive every
    round trip)."""
    return [(b.kind, b.level if b.is_heading else 0, b.label, b.text, b.marks, b.note,
             b.cell) for b in document.blocks]


def _file_author(data: bytes, name: str, word: WordFile | None) -> str | None:
    """Who the file says wrote it: its last tracked change's author (the latest by date,
    then the last in the text), else its last-modified-by, else its author property."""
    if word is None:
        return None
    authored = [c for c in word.changes if c.author]
    if authored:
        return max(enumerate(authored), key=lambda ic: (ic[1].date or "", ic[0]))[1].author
    from .readers.docx.package import Package
    from .readers.docx.properties import core_authors

    modified_by, creator = core_authors(Package(data, name))  # read_any has checked its size
    return modified_by or creator


@dataclass(frozen=True)
class Audit:
    comparison: Comparison  # what we sent -> their file with all tracked changes rejected
    revision: Revision
    tracked: int
    authors: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # what reading the file could not carry, for stderr
    remarks: Remarks = NONE  # the file's comments, at the blocks of its text

    @property
    def clean(self) -> bool:
        return not self.comparison.differs


def audit(ws: Workspace, path: Path, ref: str) -> Audit:
    revision = open_revision(ws, ref)
    _, original, word = read_any(path, known_ids(ws, revision.agreement))
    sent = Document(original.title, revision.document.blocks)
    # titles are not part of the audit: ours may be typed differently in Word
    theirs = Document(original.title, original.blocks)
    comparison = compare(sent, theirs, old_name=f"{ref} as sent",
                         new_name=f"{path.name} with every tracked change rejected")
    remarks = NONE
    if word is not None:
        from .commenting import word_comments
        from .readers.docx.package import MAX_FILE_BYTES
        from .readers.files import read_limited

        comments = word_comments(read_limited(path, MAX_FILE_BYTES), str(path), theirs)
        remarks = place(comparison, [], comments, "", path.name)
    return Audit(comparison, revision, len(word.changes) if word else 0,
                 word.authors if word else (), word.warnings if word else (), remarks)
