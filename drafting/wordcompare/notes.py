"""Footnotes and endnotes in the redline. A note is paired with the older file's note whose
reference mark the body's diff found equal, and the two are compared as stories of their
own; a note whose reference was deleted is copied in from the older file (a new id, its
runs deleted); a note whose reference was inserted has its runs inserted.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from lxml import etree

from ..readers.docx.xml import w
from .carry import Carrier
from .marks import Marker
from .parts import Parts
from .walk import NOTE_REFS, Walker, paragraphs

KINDS = {"footnote": "footnotes", "endnote": "endnotes"}  # note -> relationship type
_SKIPPED_TYPES = {"separator", "continuationSeparator", "continuationNotice"}


def notes_of(root: etree._Element | None, kind: str) -> dict[str, etree._Element]:
    """The notes people write (not the separators), by id."""
    if root is None:
        return {}
    return {n.get(w("id")) or "": n for n in root.findall(w(kind))
            if n.get(w("type")) not in _SKIPPED_TYPES}


class Notes:
    """The note parts of both files, and the notes brought over from the older one."""

    def __init__(self, old: Parts, new: Parts, carrier: Carrier, marker: Marker,
                 walker: Callable[[str, str], Walker]):
        self.old, self.new, self.carrier, self.marker = old, new, carrier, marker
        self.walker = walker  # (side, part) -> its walker
        self.parts: dict[str, tuple[str | None, str | None]] = {
            kind: (old.related(old.main, rel), new.related(new.main, rel))
            for kind, rel in KINDS.items()}
        self.carried: dict[tuple[str, str], str] = {}
        self.warnings: list[str] = []

    def carry(self, ref: etree._Element) -> None:
        """Point a note reference copied from the older file at a copy of its note."""
        kind = NOTE_REFS[ref.tag]
        old_id = ref.get(w("id")) or ""
        key = (kind, old_id)
        if key not in self.carried:
            self.carried[key] = self._copy(kind, old_id)
        if self.carried[key]:
            ref.set(w("id"), self.carried[key])
        else:
            ref.getparent().remove(ref)

    def _copy(self, kind: str, old_id: str) -> str:
        old_part, new_part = self.parts[kind]
        note = notes_of(self.old.xml(old_part), kind).get(old_id) if old_part else None
        if note is None:
            return ""
        if new_part is None:
            new_part = self._new_part(kind)
            self.parts[kind] = (old_part, new_part)
        root = self.new.xml(new_part)
        ids = [int(i) for n in root.findall(w(kind)) if (i := n.get(w("id"), "")).lstrip(
            "-").isdigit()]
        new_id = str(max(ids, default=0) + 1)
        element = self.carrier.bring(copy.deepcopy(note), old_part, new_part)
        element.set(w("id"), new_id)
        root.append(element)
        for para in paragraphs(self.walker("new", new_part).container(element)):
            self.marker.delete_pieces(para.pieces)
        return new_id

    def _new_part(self, kind: str) -> str:
        """The newer file has no notes of this kind: start its part with the older file's
        separators."""
        old_part = self.parts[kind][0]
        assert old_part is not None
        root = copy.deepcopy(self.old.xml(old_part))
        for note in notes_of(root, kind).values():
            root.remove(note)
        rel = next(r for r in self.old.rels(self.old.main).values()
                   if r.kind == KINDS[kind] and r.target == old_part)
        name = self.new.free_name(f"word/{KINDS[kind]}.xml")  # not the older file's name
        self.new.add_part(name, etree.tostring(root), self.old.content_type(old_part))
        self.new.add_rel(self.new.main, rel.type, name, False)
        return name
