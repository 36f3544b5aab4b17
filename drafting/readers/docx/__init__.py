"""Read a Word .docx, tracked changes and all, into our model.

A file with tracked changes is two documents: `accepted` (every change accepted) and
`original` (every change rejected); `changes` lists each revision with its author, date
and the block it is in. Tables are read cell by cell, row after row: each paragraph of a
cell is a block of its own. Footnotes and endnotes are blocks after the body, labelled by
the token ("[^1]", "[^ei]") that stands where their reference mark is (notes.py).
Hostile files are refused with a one-line DraftingError (see package.py and xml.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ...errors import DraftingError
from ...model import ENDNOTE, FOOTNOTE, Block, Document
from .. import grid
from ..files import read_limited
from ..mark_budget import MarkBudget
from .blocks import Reading, build
from .body import ACCEPTED, ORIGINAL, Item, Revision, Walker
from .ids import identities, written_by_us
from .margins import Margin, margins
from .notes import note_formats
from .numbering import Numbering
from .objects import Objects, object_warnings
from .package import MAX_FILE_BYTES, Package
from .styles import Styles
from .xml import W_STRICT, w

__all__ = ["TrackedChange", "WordFile", "read_bytes", "read_file"]

# the reading in which each kind of change can be seen, to say where it is
_SEEN_IN = {"delete": ORIGINAL, "move-from": ORIGINAL, "paragraph-delete": ORIGINAL,
            "row-delete": ORIGINAL}


@dataclass(frozen=True)
class TrackedChange:
    """One revision. `where` is found in the reading where the change can be seen (a
    deletion in the original, anything else in the accepted text): the block's label, or
    "paragraph N" for the N-th block of that reading when it has none."""

    kind: str  # insert, delete, move-from, move-to, paragraph-insert, paragraph-delete,
    #            row-insert, row-delete, format (property changes)
    author: str
    date: str | None  # as written in w:date
    text: str  # the inserted/deleted text ("" for marks)
    where: str  # label of the block it is in ("Article 3", "3.2") or "paragraph 17"


@dataclass(frozen=True)
class WordFile:
    """A Word file read both ways, with its revisions."""

    accepted: Document  # all tracked changes accepted
    original: Document  # all tracked changes rejected
    changes: tuple[TrackedChange, ...]
    authors: tuple[str, ...]  # distinct authors of tracked changes, in order of appearance
    sha256: str  # of the file bytes
    # what the reader could not carry into the model, one line each, for the user
    # ("2 images kept as [image: ...] tokens only"); the CLI prints them on stderr
    warnings: tuple[str, ...] = ()
    # the headers and footers a reader sees (margins.py), beside the body, not in it: the
    # blocks of each reading (accepted, original), each with its story's name
    stories: tuple[tuple[Block, ...], tuple[Block, ...]] = ((), ())

    def stories_of(self, document: Document) -> tuple[Block, ...]:
        """The headers and footers of the reading `document` is (accepted or original)."""
        return self.stories[ORIGINAL] if document is self.original else \
            self.stories[ACCEPTED]


def _where(revision: Revision, readings: list[Reading]) -> str:
    """The block a change is in, in the reading where it can be seen (a deletion in the
    original, anything else in the accepted text), else in the other one."""
    seen = _SEEN_IN.get(revision.kind, ACCEPTED)
    for view in (seen, 1 - seen):
        if revision.paragraph in readings[view].located:
            return readings[view].located[revision.paragraph]
    return readings[seen].nearest(revision.paragraph)


def _margins(body: etree._Element, package: Package, parts: dict[str, str],
             objects: Objects, main: str) -> list[Margin]:
    """The headers and footers a reader of the file sees; none of a file we wrote, whose
    header and footer say the revision's status, side and number, not the agreement."""
    if written_by_us(package):
        return []
    settings = package.xml(parts["settings"]) if "settings" in parts else None

    def target(rid: str) -> str | None:
        found = objects.target(rid, main)
        return found[0] if found and not found[1] and package.has(found[0]) else None

    return [m for m in margins(body, settings, target) if m.shown]


def read_file(path: Path, known_ids: Iterable[str] = ()) -> WordFile:
    return read_bytes(read_limited(path, MAX_FILE_BYTES), str(path), known_ids)


def read_bytes(data: bytes, name: str, known_ids: Iterable[str] = ()) -> WordFile:
    """`name` is what error messages call the file."""
    if len(data) > MAX_FILE_BYTES:
        raise DraftingError(f"file too large (over {MAX_FILE_BYTES} bytes)", name)
    package = Package(data, name)
    main = next((part for kind, part in package.relationships("")
                 if kind == "officeDocument"), "word/document.xml")
    if not package.has(main):
        raise DraftingError("not a Word document (no word/document.xml)", name)
    root = package.xml(main)
    if root.tag == f"{{{W_STRICT}}}document":
        raise DraftingError("Strict Open XML is not supported: save it from Word as a "
                            "normal .docx", name)
    body = root.find(w("body"))
    if root.tag != w("document") or body is None:
        raise DraftingError(f"not a Word document ({main} has no w:document body)", name)
    parts = {}
    for kind, part in package.relationships(main):
        if package.has(part):
            parts.setdefault(kind, part)
    styles = Styles(package.xml(parts["styles"]) if "styles" in parts else None)
    numbering = Numbering(package.xml(parts["numbering"]) if "numbering" in parts else None,
                          styles, package.budget)
    objects = Objects(package)
    walker = Walker(package.budget, styles, objects)
    objects.part = main
    content = walker.container(body)
    notes: dict[str, dict[str, list[Item]]] = {}
    for kind in (FOOTNOTE, ENDNOTE):
        part = parts.get(f"{kind}s")
        objects.part = part or ""  # a note's pictures are in its part's relationships
        notes[kind] = walker.notes(package.xml(part), kind) if part else {}
    formats = note_formats(package.xml(parts["settings"]) if "settings" in parts else None,
                           body, walker.warnings)
    margins = []
    for margin in _margins(body, package, parts, objects, main):
        objects.part = margin.part
        margins.append((margin.name, walker.container(package.xml(margin.part))))
    ids = identities(package, known_ids)
    readings = [build(content, notes, formats, view, numbering, ids, walker.warnings)
                for view in (ACCEPTED, ORIGINAL)]
    for reading in readings:
        grid.check(reading.document.blocks, name)
        # the budget's formatted runs bound the work over both readings; each reading is
        # a document, held to the readers' limit as a Markdown file or a revision is
        MarkBudget(name).spend(sum(len(b.marks) for b in reading.document.blocks))
    stories = []
    for view, reading in enumerate(readings):
        blocks: list[Block] = []
        for story_name, items in margins:
            story = build(items, {}, formats, view, numbering, ids, walker.warnings,
                          story_name)
            blocks.extend(story.document.blocks)
            reading.located.update(story.located)
        stories.append(tuple(blocks))
    changes = tuple(TrackedChange(r.kind, r.author, r.date, r.text, _where(r, readings))
                    for r in walker.revisions)
    return WordFile(accepted=readings[ACCEPTED].document, original=readings[ORIGINAL].document,
                    changes=changes, authors=tuple(dict.fromkeys(c.author for c in changes)),
                    sha256=hashlib.sha256(data).hexdigest(), stories=(stories[0], stories[1]),
                    warnings=tuple(dict.fromkeys([*walker.warnings,
                                                  *object_warnings(objects, walker.pulling)])))
