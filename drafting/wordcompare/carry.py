"""Content copied from the older file into the newer one (deleted text, paragraphs, rows,
notes) keeps working there: each relationship id it uses (an image's r:embed, a
hyperlink's r:id) is re-created in the newer package, with the part it points at copied
in (with that part's own relationships, as a chart or diagram has) when the newer file has
no identical part. What only numbers things in one file is taken off the copy: bookmarks,
comment anchors, permission ranges and paragraph ids, which would collide or dangle.
"""

from __future__ import annotations

from lxml import etree

from ..readers.docx.xml import R, w
from .parts import Parts

_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_UNPAIRED = {w(t) for t in ("bookmarkStart", "bookmarkEnd", "commentRangeStart",
                            "commentRangeEnd", "commentReference", "permStart", "permEnd",
                            "proofErr")}
_NUMBERING_ATTRS = (f"{{{_W14}}}paraId", f"{{{_W14}}}textId")
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

    def bring(self, element: etree._Element, old_part: str, new_part: str) -> etree._Element:
        """`element` (a copy already taken from `old_part`) made fit for `new_part`."""
        for node in list(element.iter()):
            if node.tag in _UNPAIRED or _namespace(node.tag) in self._foreign:
                parent = node.getparent()
                if parent is not None:
                    parent.remove(node)
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

    def rid(self, rid: str, old_part: str, new_part: str) -> str | None:
        """The id in `new_part` of what `rid` names in `old_part` (None if nothing)."""
        key = (old_part, rid, new_part)
        if key not in self._rids:
            rel = self.old.rels(old_part).get(rid)
            if rel is None or (not rel.external and not self.old.has(rel.target)):
                self._rids[key] = ""  # it pointed at nothing in the older file either
            else:
                target = rel.target if rel.external else self._part(rel.target)
                same = next((r.id for r in self.new.rels(new_part).values()
                             if r.type == rel.type and r.target == target
                             and r.external == rel.external), None)
                self._rids[key] = same or self.new.add_rel(new_part, rel.type, target,
                                                            rel.external)
        return self._rids[key] or None

    def _part(self, name: str) -> str:
        """The newer package's copy of the older one's part `name`: the same name when the
        bytes are the same, else a copy under a free name, with its relationships."""
        if name in self._copied:
            return self._copied[name]
        data = self.old.read(name)
        if self.new.has(name) and self.new.read(name) == data and not self.old.rels(name):
            self._copied[name] = name
            return name
        copy = self.new.free_name(name)
        self._copied[name] = copy
        self.new.add_part(copy, data, self.old.content_type(name))
        for rel in self.old.rels(name).values():  # its XML uses the same ids
            target = rel.target if rel.external else self._part(rel.target)
            self.new.add_rel(copy, rel.type, target, rel.external, rel.id)
        return copy


def _ignorable(root: etree._Element) -> set[str]:
    """The namespaces a part's root lists in mc:Ignorable."""
    prefixes = (root.get(f"{{{_MC}}}Ignorable") or "").split()
    return {root.nsmap[p] for p in prefixes if p in root.nsmap}


def _namespace(name: object) -> str:
    return name[1:].split("}", 1)[0] if isinstance(name, str) and name.startswith("{") else ""


def _doc_pr_ids(root: etree._Element) -> list[int]:
    return [int(v) for e in root.iter(_DOC_PR) if (v := e.get("id", "")).isdigit()]
