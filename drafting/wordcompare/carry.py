"""Content copied from the older file into the newer one (deleted text, paragraphs, rows,
notes) keeps working there: each relationship id it uses (an image's r:embed, a
hyperlink's r:id) is re-created in the newer package, with the part it points at copied
in (with that part's own relationships, as a chart or diagram has, and a content type of
content_types.py's) when the newer file has no identical part. A link the redline, a file
for the other side, may not carry (links.py: a local file, a share, script) is withheld,
whether a relationship or a HYPERLINK field's code: its text stays, as plain text, and a
w:hyperlink left with no address gives way to its runs, without the Hyperlink style, so
that nothing in the redline looks like a link that goes nowhere. So is an external target
other than a link (a picture at a web address, which Word would fetch on opening the
file), unless the newer file points at it too.
What only numbers things in one file is taken off the copy: bookmarks, permission ranges
and paragraph ids, which would collide or dangle, and the marks of comments the redline
does not bring in (comments.py renumbers the others). Style and list ids are made the
newer file's (definitions.py).
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from lxml import etree

from .. import links
from ..readers.docx import fieldcode
from ..readers.docx.xml import R, w
from .content_types import carried_type
from .definitions import REFS, Definitions
from .fieldlinks import CODES, field_links
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
_FLD_SIMPLE, _INSTR = w("fldSimple"), w("instr")
_LINK, _RSTYLE, _RPR = w("hyperlink"), w("rStyle"), w("rPr")
_LINK_TARGETS = {f"{{{R}}}id", w("anchor")}
_EXTERNAL_DATA = "{http://schemas.openxmlformats.org/drawingml/2006/chart}externalData"


class Carrier:
    """Brings elements of `old`'s parts into `new`'s parts."""

    def __init__(self, old: Parts, new: Parts, stories: list[str], internal: bool = False):
        self.old, self.new, self.internal = old, new, internal
        self._stories = stories  # the newer file's parts compared (headers added later)
        self._copied: dict[str, str] = {}  # old part name -> its copy in new
        self._edited: set[str] = set()  # copies whose XML is the older part's, edited
        self._rids: dict[tuple[str, str, str], str] = {}  # (old part, rid, new part) -> rid
        # by old part: the code pieces of its HYPERLINK fields not to be carried -> address
        self._codes: dict[str, dict[str, str]] = {}
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
            if node.tag in CODES or node.tag == _FLD_SIMPLE:
                self._field(node, old_part)
            for name in [k for k in node.attrib if k.startswith(f"{{{R}}}")]:
                rid = self.rid(node.get(name) or "", old_part, new_part)
                if rid:
                    node.set(name, rid)
                else:
                    del node.attrib[name]
        for link in [n for n in element.iter(_LINK) if not _LINK_TARGETS & set(n.attrib)]:
            self._unlinked(link)
        return element

    def _unlinked(self, link: etree._Element) -> None:
        """A w:hyperlink that goes nowhere (its address withheld, or missing in the older
        file): its runs lose the Hyperlink style and, inside what is brought, take its
        place (a brought link itself is unwrapped by its caller: unwrapped())."""
        for style in list(link.iter(_RSTYLE)):
            if self.definitions.name("character", style.get(w("val")) or "") == "hyperlink":
                rpr = style.getparent()
                rpr.remove(style)
                if len(rpr) == 0 and rpr.tag == _RPR:
                    rpr.getparent().remove(rpr)
        parent = link.getparent()
        if parent is not None:
            for child in list(link):
                link.addprevious(child)
            parent.remove(link)

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

    def _field(self, node: etree._Element, old_part: str) -> None:
        """Empty the code of a HYPERLINK field (a piece of it, or a simple field's) whose
        address is not to be carried: its result stays, as text."""
        if node.tag == _FLD_SIMPLE:
            address = fieldcode.hyperlink(node.get(_INSTR) or "")
            if not address or links.written(address, self.internal):
                return
            node.set(_INSTR, "")
        else:
            if old_part not in self._codes:
                self._codes[old_part] = field_links(self.old.xml(old_part), self.internal)
            address = self._codes[old_part].get(node.text or "", "")
            if not address:
                return
            node.text = ""
        self._withheld(address, "HYPERLINK field")

    def _withheld(self, target: str, kind: str) -> None:
        self._warn(f"content brought in from the older file points at {target!r} ({kind}): "
                   "withheld, its text kept as plain text (it names a local file or runs "
                   "script)")

    def _target(self, rel: Rel) -> str | None:
        """What `rel` of the older file points at in the newer one: an external link as
        it is when links.py lets it be written (flagged unless it is a web or mail link),
        another external target (a picture) only where the newer file has it,
        an internal part copied in; None for a link withheld, or a part that is missing,
        named outside word/ (never read, never written) or of a kind not carried."""
        if rel.external:
            if not links.written(rel.target, self.internal):
                self._withheld(rel.target, f"{rel.kind}, external")
                return None
            if rel.kind != "hyperlink" and not self._newer_has(rel):
                self._warn(f"content brought in from the older file points at "
                           f"{rel.target!r} ({rel.kind}, external): withheld (Word would "
                           "fetch it on opening the redline)")
                return None
            if rel.kind == "hyperlink" and links.kind(rel.target) != links.SHARED:
                self._warn(f"content brought in from the older file points at {rel.target!r} "
                           f"({rel.kind}, external): kept as it is, never fetched")
            return rel.target
        if not usable(rel.target):
            self._warn(f"refused: the older file's relationship target {rel.target!r} "
                       "is outside word/ (dropped)")
            return None
        return self._part(rel) if self.old.has(rel.target) else None

    def _newer_has(self, rel: Rel) -> bool:
        """Whether a story of the newer file already points at `rel`'s external target
        the same way (the redline then fetches nothing the newer file does not)."""
        return any(r.type == rel.type and r.target == rel.target and r.external
                   for part in self._stories for r in self.new.rels(part).values())

    def _part(self, rel: Rel) -> str | None:
        """The newer package's copy of the older one's part `name`: the same name when the
        bytes are the same, else a copy under a free name, with its relationships (and
        theirs, followed without recursion: a chain of parts may be long); None when it is
        not carried."""
        pending = [rel.target] if self._copy(rel) else []
        while pending:
            part = pending.pop()
            for sub in self.old.rels(part).values():  # its XML uses the same ids
                if not sub.external and usable(sub.target) and self.old.has(sub.target):
                    if self._copy(sub):
                        pending.append(sub.target)
                    target = self._copied[sub.target] or None
                else:
                    target = self._target(sub)  # external, or None (missing, refused)
                if target is not None:
                    self.new.add_rel(self._copied[part], sub.type, target, sub.external,
                                     sub.id)
                else:
                    self._unreferred(part, sub.id)
        return self._copied[rel.target] or None

    def _unreferred(self, part: str, rid: str) -> None:
        """The copy of the older part `part` no longer uses `rid`, which it keeps no
        relationship for: a chart's c:externalData (its workbook) goes, another element
        loses the attribute (as bring() does), so that no id names a relationship not
        there. An XML copy is edited as the older file's part parsed (readers' parser)."""
        copy_name = self._copied[part]
        content_type = self.new.content_type(copy_name) or ""
        if content_type.startswith("image/") or not content_type.endswith("+xml"):
            return  # a picture's bytes (an SVG's too) name no relationship id
        if copy_name not in self._edited:
            self._edited.add(copy_name)
            self.new.replace(copy_name, copy.deepcopy(self.old.xml(part)))
        for node in list(self.new.xml(copy_name).iter()):
            for name in [k for k, v in node.attrib.items()
                         if k.startswith(f"{{{R}}}") and v == rid]:
                if node.tag == _EXTERNAL_DATA:
                    node.getparent().remove(node)
                    break
                del node.attrib[name]

    def _copy(self, rel: Rel) -> bool:
        """Give the older part `rel` points at its place in the newer package ("" when it
        is not carried); whether it was copied (its relationships still to follow)."""
        name = rel.target
        if name in self._copied:
            return False
        data = self.old.read(name)
        if self.new.has(name) and self.new.read(name) == data and not self.old.rels(name):
            self._copied[name] = name
            return False
        content_type = carried_type(rel.kind, name, self.old.content_type(name))
        if content_type is None:
            self._copied[name] = ""
            self._warn(f"refused: the older file's part {name!r} ({rel.kind}) is of a kind "
                       "a redline does not carry (dropped)")
            return False
        copy = self.new.free_name(name)
        self._copied[name] = copy
        self.new.add_part(copy, data, content_type)
        return True

    def _warn(self, line: str) -> None:
        line = f"{self.old.source}: {line}"
        if line not in self.warnings:
            self.warnings.append(line)


def unwrapped(element: etree._Element) -> list[etree._Element]:
    """What a brought element stands for in the text: a link that goes nowhere, its
    runs (Carrier.bring took its style off them); anything else, itself."""
    if element.tag == _LINK and not _LINK_TARGETS & set(element.attrib):
        return list(element)
    return [element]


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
