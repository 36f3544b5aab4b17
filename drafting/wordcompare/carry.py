"""Content copied from the older file into the newer one (deleted text, paragraphs, rows,
notes) keeps working there: each relationship id it uses (an image's r:embed, a
hyperlink's r:id) is re-created in the newer package, with the part it points at copied
in (with that part's own relationships, as a chart or diagram has) when the newer file has
no identical part. What only numbers things in one file is taken off the copy: bookmarks,
permission ranges and paragraph ids, which would collide or dangle, and the marks of
comments the redline does not bring in (comments.py renumbers the others). Style and list
ids are made the newer file's (definitions.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from .. import links
from ..readers.docx.xml import R, w
from .definitions import REFS, Definitions
from .parts import Parts, Rel

if TYPE_CHECKING:
    from .comments import Comments

_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_UNPAIRED = {w(t) for t in ("bookmarkStart", "bookmarkEnd", "commentRangeStart",
                            "commentRangeEnd", "commentReference", "permStart", "permEnd",
                            "proofErr")}
_COMMENT_MARKS = {w("commentRangeStart"), w("commentRangeEnd"), w("commentReference")}
_NUMBERING_ATTRS = (f"{{{_W14}}}paraId", f"{{{_W14}}}textId")
_BAD = re.compile(r"[\\:\x00-\x1f*?\"<>|]")
_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


class Carrier:
    """Brings elements of `old`'s parts into `new`'s parts."""

    def __init__(self, old: Parts, new: Parts, stories: list[str]):
        self.old, self.new = old, new
        self._copied: dict[str, str] = {}  # old part name -> its copy in new
        self._rids: dict[tuple[str, str, str], str] = {}  # (old part, rid, new part) -> rid
        # what the older file marks ignorable (mc:Ignorable) and the newer one does not:
        # taken off copies, which would otherwise carry undeclared extensions
        self._foreign = _ignorable(old.xml(old.main)) - _ignorable(new.xml(new.main))
        # drawing ids are unique in a document: copies get ones above the newer file's
        self._drawing_ids = 1 + max((n for part in stories
                                     for n in _doc_pr_ids(new.xml(part))), default=0)
        self.comments: Comments | None = None  # the older file's comments brought in
        self.warnings: list[str] = []
        self.definitions = Definitions(old, new, self.warnings)  # style and list ids

    def bring(self, element: etree._Element, old_part: str, new_part: str) -> etree._Element:
        """`element` (a copy already taken from `old_part`) made fit for `new_part`."""
        for node in list(element.iter()):
            if node.tag in REFS and not self.definitions.fit(node):
                _remove(node)
                continue
            if node.tag in _UNPAIRED or _namespace(node.tag) in self._foreign:
                if node.tag in _COMMENT_MARKS and self.comments is not None and (
                        cid := self.comments.carried(node.get(w("id")) or "")):
                    node.set(w("id"), cid)
                    continue
                _remove(node)
                continue
            for name in [k for k in node.attrib if k in _NUMBERING_ATTRS
                         or _namespace(k) in self._foreign]:
                del node.attrib[name]
            if node.tag == _DOC_PR:
                node.set("id", str(self._drawing_ids))
                self._drawing_ids += 1
            for name in [k for k in node.attrib if k.startswith(f"{{{R}}}")]:
                rid = self.rid(node.get(name) or "", old_part, new_part)
                if rid:
                    node.set(name, rid)
                else:
                    del node.attrib[name]
        return element

    def paired(self, old_p: etree._Element, new_p: etree._Element, old_part: str,
               new_part: str) -> None:
        """The older file's comment marks of a paragraph paired with `new_p` (redlined)."""
        if self.comments is not None:
            self.comments.paired(old_p, new_p, old_part, new_part)

    def rid(self, rid: str, old_part: str, new_part: str) -> str | None:
        """The id in `new_part` of what `rid` names in `old_part` (None if nothing)."""
        key = (old_part, rid, new_part)
        if key not in self._rids:
            rel = self.old.rels(old_part).get(rid)
            target = None if rel is None else self._target(rel)
            if rel is None or target is None:
                self._rids[key] = ""  # it pointed at nothing usable in the older file
            else:
                same = next((r.id for r in self.new.rels(new_part).values()
                             if r.type == rel.type and r.target == target
                             and r.external == rel.external), None)
                self._rids[key] = same or self.new.add_rel(new_part, rel.type, target,
                                                            rel.external)
        return self._rids[key] or None

    def _target(self, rel: Rel) -> str | None:
        """What `rel` of the older file points at in the newer one: an external target as
        it is (flagged unless it is a web or mail link), an internal part copied in; None
        for a part that is missing or named outside word/ (never read, never written)."""
        if rel.external:
            if rel.kind != "hyperlink" or links.kind(rel.target) != links.SHARED:
                self._warn(f"content brought in from the older file points at {rel.target!r} "
                           f"({rel.kind}, external): kept as it is, never fetched")
            return rel.target
        if not usable(rel.target):
            self._warn(f"refused: the older file's relationship target {rel.target!r} "
                       "is outside word/ (dropped)")
            return None
        return self._part(rel.target) if self.old.has(rel.target) else None

    def _part(self, name: str) -> str:
        """The newer package's copy of the older one's part `name`: the same name when the
        bytes are the same, else a copy under a free name, with its relationships (and
        theirs, followed without recursion: a chain of parts may be long)."""
        pending = [name] if self._copy(name) else []
        while pending:
            part = pending.pop()
            for rel in self.old.rels(part).values():  # its XML uses the same ids
                if not rel.external and usable(rel.target) and self.old.has(rel.target):
                    if self._copy(rel.target):
                        pending.append(rel.target)
                    target: str | None = self._copied[rel.target]
                else:
                    target = self._target(rel)  # external, or None (missing, refused)
                if target is not None:
                    self.new.add_rel(self._copied[part], rel.type, target, rel.external,
                                     rel.id)
        return self._copied[name]

    def _copy(self, name: str) -> bool:
        """Give the older part `name` its place in the newer package; whether it was
        copied (its relationships still to follow)."""
        if name in self._copied:
            return False
        data = self.old.read(name)
        if self.new.has(name) and self.new.read(name) == data and not self.old.rels(name):
            self._copied[name] = name
            return False
        copy = self.new.free_name(name)
        self._copied[name] = copy
        self.new.add_part(copy, data, self.old.content_type(name))
        return True

    def _warn(self, line: str) -> None:
        line = f"{self.old.source}: {line}"
        if line not in self.warnings:
            self.warnings.append(line)


def usable(name: str) -> bool:
    """Whether a part name may be read from the older package and written into the newer
    one: under word/, no empty, "." or ".." segment, no backslash, colon or control
    character (which an unzipper could take for a path), not a relationships part."""
    segments = name.split("/")
    return len(segments) > 1 and segments[0] == "word" and not _BAD.search(name) \
        and all(s not in ("", ".", "..", "_rels") for s in segments) \
        and not name.endswith(".rels")


def _remove(node: etree._Element) -> None:
    """Take `node` off its parent, and a comment reference's run with it when that run
    holds nothing else."""
    parent = node.getparent()
    if parent is None:
        return
    parent.remove(node)
    holder = parent.getparent()
    if node.tag == w("commentReference") and parent.tag == w("r") and holder is not None \
            and all(c.tag == w("rPr") for c in parent):
        holder.remove(parent)


def _ignorable(root: etree._Element) -> set[str]:
    """The namespaces a part's root lists in mc:Ignorable."""
    prefixes = (root.get(f"{{{_MC}}}Ignorable") or "").split()
    return {root.nsmap[p] for p in prefixes if p in root.nsmap}


def _namespace(name: object) -> str:
    return name[1:].split("}", 1)[0] if isinstance(name, str) and name.startswith("{") else ""


def _doc_pr_ids(root: etree._Element) -> list[int]:
    return [int(v) for e in root.iter(_DOC_PR) if (v := e.get("id", "")).isdigit()]
