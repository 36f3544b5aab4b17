"""Reviewers' comments in a redline of two Word files. The newer file's comments are its
own and stay as they are (comments.xml, commentsExtended.xml and the rest are its parts).

A comment of the older file is brought in when the newer file has no comment of the same
author, date and text (one that has is the same comment, kept or moved: it is not written
twice). It keeps its words: its range start, end and reference are placed where the
redline shows those words, around the w:del of the deleted ones. When every word it
covers is deleted its reference is deleted too, so that accepting all removes it (the
newer file has no such comment) and rejecting all gives it back on its words; a comment
of the older file on words both files have stays through both. Likewise a newer comment
that covers only inserted words has its reference inserted, so that rejecting all
removes it.

A comment brought in gets an id above the newer file's and, where the older file threads
its comments (commentsExtended.xml, [MS-DOCX] 2.6.5), a w14:paraId unused in the newer
package, its done state and its parent (the newer file's copy of that comment when only
the reply is new); commentsIds.xml and commentsExtensible.xml rows follow with a fresh
durable id. Parts the newer file lacks are started from the older file's.

References: ECMA-376 Part 1, 17.13.4 (comments); [MS-DOCX] 2.6.2.6 (paraId: 8 hex
digits below 0x80000000).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from ..errors import DraftingError
from ..model import Comment
from ..readers.docx.comments import W14, W15, read_comments
from ..readers.docx.xml import MC, w
from .marks import DEL, INS, XML_SPACE, Marker
from .parts import Parts
from .walk import _ATOMS, _CHARS

W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
W16CEX = "http://schemas.microsoft.com/office/word/2018/wordml/cex"
START, END, REF = w("commentRangeStart"), w("commentRangeEnd"), w("commentReference")
MARKS = {START, END, REF}
_R, _RPR, _T, _DEL_TEXT, _P = w("r"), w("rPr"), w("t"), w("delText"), w("p")
_ONE = {*_ATOMS, *_CHARS, w("delInstrText")}  # one character of a paragraph's text
_MATH = {"{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath",
         "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMathPara"}
_SKIPPED = {INS, w("moveTo")}  # text the older file does not have
_SEEN = {w("hyperlink"), w("smartTag"), w("customXml"), w("fldSimple"), w("dir"), w("bdo"),
         DEL, w("moveFrom"), w("sdtContent")}
_NOT_CONTENT = {_RPR, REF, w("annotationRef"), w("lastRenderedPageBreak")}
_PARA_ID = f"{{{W14}}}paraId"
_LIMIT = 0x80000000
_PARA_IDS = re.compile(rb'paraId="([0-9A-Fa-f]{1,8})"')
_PERSON, _AUTHOR, _PRESENCE = f"{{{W15}}}person", f"{{{W15}}}author", f"{{{W15}}}presenceInfo"
_ACCOUNT = (f"{{{W15}}}providerId", f"{{{W15}}}userId")
_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"


@dataclass(slots=True)
class _Bit:
    """A stretch of a paragraph's older text: [start, end), the element carrying it
    (w:t, w:delText, an atom) and the node among runs (its w:r, or the math)."""

    start: int
    end: int
    element: etree._Element
    node: etree._Element


class Comments:
    """The comments of both files; `carried(old id)` names what an older comment is in
    the redline ("" when it is not brought in)."""

    def __init__(self, old: Parts, new: Parts, marker: Marker,
                 bring: Callable[[etree._Element, str, str], etree._Element],
                 stories: list[str]):
        self.old, self.new, self.marker, self.bring = old, new, marker, bring
        self.stories = stories
        self.old_part = old.related(old.main, "comments")  # by its relationship
        self.ids: dict[str, str] = {}  # old id -> new id, "" when not brought in
        self.warnings: list[str] = []
        self._old = {c.id: c for c in self._readable(old)}
        self._new = read_comments(new.package, new.main, quoted=False) if self._old else []
        self._keys = {(c.author, c.date, c.text): c.id for c in self._new}
        self._next = 1 + max((int(c.id) for c in self._new if c.id.isdigit()), default=-1)

    def _readable(self, old: Parts) -> list[Comment]:
        """The older file's comments; none, with a warning, when their part cannot be
        read (`unreadable`): the redline is made without them."""
        if self.old_part is None:
            return []
        why = unreadable(old)
        if why is not None:
            self.warnings.append(f"{old.source}: its comments ({self.old_part}) cannot be "
                                 f"read, so none is brought in: {why}")
            self.old_part = None
            return []
        return read_comments(old.package, old.main, quoted=False)

    def carried(self, old_id: str) -> str:
        if old_id not in self.ids:
            comment = self._old.get(old_id)
            if comment is None or (comment.author, comment.date, comment.text) in self._keys:
                self.ids[old_id] = ""
            else:
                self.ids[old_id] = str(self._next)
                self._next += 1
        return self.ids[old_id]

    def paired(self, old_p: etree._Element, new_p: etree._Element, old_part: str,
               new_part: str) -> None:
        """Place the brought-in comments' marks of the older paragraph `old_p` in the
        redline of it, `new_p`, at the same place in the older text."""
        if not self._old or next(old_p.iter(*MARKS), None) is None:
            return
        _, marks = _layout(old_p)
        groups: dict[int, list[etree._Element]] = {}
        for at, mark in marks:
            node = mark.find(REF) if mark.tag == _R else mark
            if self.carried(node.get(w("id")) or ""):
                groups.setdefault(at, []).append(self.bring(_mark_copy(mark), old_part,
                                                            new_part))
        for at, group in groups.items():
            self._place(new_p, at, group)

    def _place(self, p: etree._Element, at: int, group: list[etree._Element]) -> None:
        """Put `group` at offset `at` of the older text of `p`: after the text that ends
        there, or (a group of range starts only) before the text that starts there."""
        bits, _ = _layout(p)
        inside = next((b for b in bits if b.start < at < b.end), None)
        if inside is not None:
            _split(inside, at)
            bits = _layout(p)[0]
        before = next((b for b in bits if b.end == at), None)
        after = next((b for b in bits if b.start == at), None)
        if before is not None and (after is None or any(e.tag != START for e in group)):
            cursor = _edge(before.node, last=True, marker=self.marker)
            for element in group:
                cursor.addnext(element)
                cursor = element
        elif after is not None:
            anchor = _edge(after.node, last=False, marker=self.marker)
            for element in group:
                anchor.addprevious(element)
        else:  # an empty paragraph
            ppr = p.find(w("pPr"))
            at_index = 0 if ppr is None else 1
            for k, element in enumerate(group):
                p.insert(at_index + k, element)

    def finish(self) -> None:
        """Drop marks of brought-in comments that lost their reference or half their
        range, mark references deleted or inserted with their words, and write the
        brought-in comments into the newer file's comment parts."""
        if not self._old and self.new.related(self.new.main, "comments") is None:
            return
        roots = [self.new.xml(s) for s in self.stories]
        brought = {v: k for k, v in self.ids.items() if v}
        found: dict[str, dict[str, list[etree._Element]]] = {}
        for root in roots:
            for node in root.iter(*MARKS):
                found.setdefault(node.get(w("id")) or "", {}).setdefault(node.tag, []).append(
                    node)
        for new_id in brought:
            marks = found.get(new_id, {})
            if not marks.get(REF):
                _drop(marks.get(START, []) + marks.get(END, []))
                self.ids[brought[new_id]] = ""
            elif len(marks.get(START, [])) != 1 or len(marks.get(END, [])) != 1:
                _drop(marks.get(START, []) + marks.get(END, []))
        for root in roots:
            for cid, fate in _fates(root).items():
                if (fate == {DEL} and cid in brought) or (fate == {INS} and cid not in brought):
                    for ref in found.get(cid, {}).get(REF, []):
                        _revised(ref.getparent(), next(iter(fate)), self.marker)
        self._write([old for old, new in self.ids.items() if new])

    # -- the comment parts --------------------------------------------------------------

    def _write(self, olds: list[str]) -> None:
        if not olds or self.old_part is None:
            return
        part = self._part_like("comments")
        assert part is not None
        threaded = self.old.related(self.old.main, "commentsExtended") is not None
        if threaded:
            _ignorable(self.new, part, "w14", W14)  # before any w14:paraId is set
        root = self.new.xml(part)
        old_root = self.old.xml(self.old_part)
        elements = {c.get(w("id")) or "": c for c in old_root.findall(w("comment"))}
        para_ids = _ParaIds(self.new) if threaded else None
        new_para = {}  # old id -> paraId of its last paragraph in the redline
        for old_id in olds:
            element = self.bring(copy.deepcopy(elements[old_id]), self.old_part, part)
            element.set(w("id"), self.ids[old_id])
            paras = element.findall(_P)
            if para_ids is not None and paras:
                new_para[old_id] = para_ids.fresh()
                paras[-1].set(_PARA_ID, new_para[old_id])
            root.append(element)
        if para_ids is not None:
            self._threads(olds, new_para)
        self._people(dict.fromkeys(self._old[o].author for o in olds))

    def _people(self, authors: dict[str, None]) -> None:
        """The brought-in comments' authors in the newer file's people.xml (w15:people,
        [MS-DOCX] CT_People: one w15:person per author, its w15:presenceInfo optional),
        each with the older file's account of them where it has one (the provider and
        user ids only, whatever else a hostile entry holds). A part is started only when
        the older file has one (the newer file's authors are then not listed there, as
        they were not before); an older one that is not XML is said in a warning."""
        old_part = self.old.related(self.old.main, "people")
        why = unreadable(self.old, "people")
        if why is not None:
            self.warnings.append(f"{self.old.source}: its people.xml ({old_part}) cannot be "
                                 f"read, so its reviewers' accounts are not carried: {why}")
            old_part = None
        if old_part is None and self.new.related(self.new.main, "people") is None:
            return
        known = {} if old_part is None else {
            p.get(_AUTHOR): p for p in self.old.xml(old_part).iter(_PERSON)}
        part = self._part_like("people")  # the newer file's, if the older one's is unread
        assert part is not None
        root = self.new.xml(part)
        listed = {p.get(_AUTHOR) for p in root.iter(_PERSON)}
        for author in authors:
            if author not in listed:
                person = etree.SubElement(root, _PERSON, {_AUTHOR: author})
                info = known[author].find(_PRESENCE) if author in known else None
                if info is not None and all(info.get(a) is not None for a in _ACCOUNT):
                    etree.SubElement(person, _PRESENCE, {a: info.get(a) for a in _ACCOUNT})

    def _threads(self, olds: list[str], new_para: dict[str, str]) -> None:
        """commentsExtended rows of the brought-in comments (and commentsIds,
        commentsExtensible rows where the older file has them)."""
        part = self._part_like("commentsExtended")
        assert part is not None
        root = self.new.xml(part)
        newer_para = _last_para_ids(self.new)
        listed = {e.get(f"{{{W15}}}paraId") for e in root.iter(f"{{{W15}}}commentEx")}
        olds = [o for o in olds if o in new_para]  # a comment without paragraphs has none
        for old_id in olds:
            comment = self._old[old_id]
            ex = etree.SubElement(root, f"{{{W15}}}commentEx")
            ex.set(f"{{{W15}}}paraId", new_para[old_id])
            parent = comment.parent
            if parent is not None:
                answered = new_para.get(parent) if self.ids.get(parent) else newer_para.get(
                    self._newer_twin(parent))
                if answered and (answered in new_para.values() or answered in listed):
                    ex.set(f"{{{W15}}}paraIdParent", answered)
            ex.set(f"{{{W15}}}done", "1" if comment.done else "0")
        self._durable(olds, new_para)

    def _newer_twin(self, old_id: str) -> str:
        c = self._old.get(old_id)
        return self._keys.get((c.author, c.date, c.text), "") if c else ""

    def _durable(self, olds: list[str], new_para: dict[str, str]) -> None:
        """Rows of commentsIds.xml (paraId -> durable id) and commentsExtensible.xml
        (durable id -> UTC date) for the brought-in comments the older file lists."""
        ids_part = self.old.related(self.old.main, "commentsIds")
        if ids_part is None:
            return
        old_para = _last_para_ids(self.old)
        rows = {e.get(f"{{{W16CID}}}paraId"): e for e in
                self.old.xml(ids_part).iter(f"{{{W16CID}}}commentId")}
        ext_part = self.old.related(self.old.main, "commentsExtensible")
        ext_rows = {} if ext_part is None else {
            e.get(f"{{{W16CEX}}}durableId"): e for e in
            self.old.xml(ext_part).iter(f"{{{W16CEX}}}commentExtensible")}
        target = self.new.xml(self._part_like("commentsIds") or "")
        target_ext = self.new.xml(name) if ext_rows and (
            name := self._part_like("commentsExtensible")) else None
        used = {v for root in (target, target_ext) if root is not None
                for e in root.iter() for k, v in e.attrib.items() if k.endswith("durableId")}
        fresh = (f"{n:08X}" for n in range(1, _LIMIT) if f"{n:08X}" not in used)
        for old_id in olds:
            row = rows.get(old_para.get(old_id))
            if row is None:
                continue
            durable = next(fresh)
            copied = etree.SubElement(target, row.tag, dict(row.attrib))
            copied.set(f"{{{W16CID}}}paraId", new_para[old_id])
            copied.set(f"{{{W16CID}}}durableId", durable)
            ext = ext_rows.get(row.get(f"{{{W16CID}}}durableId"))
            if ext is not None and target_ext is not None:
                ext_copy = etree.SubElement(target_ext, ext.tag, dict(ext.attrib))
                ext_copy.set(f"{{{W16CEX}}}durableId", durable)

    def _part_like(self, kind: str) -> str | None:
        """The newer file's part of this kind, started empty from the older file's when
        it has none."""
        name = self.new.related(self.new.main, kind)
        old_name = self.old.related(self.old.main, kind)
        if name is not None or old_name is None:
            return name
        rel = next(r for r in self.old.rels(self.old.main).values()
                   if r.kind == kind and r.target == old_name)
        root = copy.deepcopy(self.old.xml(old_name))
        del root[:]
        name = self.new.free_name(f"word/{kind}.xml")  # not the older file's name
        # its content type as Word writes it, whatever the older file declares (or not)
        self.new.add_part(name, etree.tostring(root), _CONTENT.format(kind))
        self.new.add_rel(self.new.main, rel.type, name, False)
        return name


def unreadable(parts: Parts, kind: str = "comments") -> str | None:
    """Why the file's comments part (or its part of another `kind`, found by its
    relationship whatever its content type) cannot be read, as malformed XML; None when
    it can or there is none. A refusal (a DOCTYPE, entities) is raised."""
    part = parts.related(parts.main, kind)
    if part is None:
        return None
    try:
        parts.xml(part)
    except DraftingError as e:
        if e.message.startswith("refused"):
            raise
        return e.message
    return None


class _ParaIds:
    """Paragraph ids unused in the newer package's parts (any paraId attribute counts)."""

    def __init__(self, parts: Parts):
        self.used = {v.decode().upper() for name in parts.order if name.endswith(".xml")
                     for v in _PARA_IDS.findall(parts.read(name))}
        self._n = 0

    def fresh(self) -> str:
        while True:
            self._n += 1
            value = f"{self._n:08X}"
            if value not in self.used:
                self.used.add(value)
                return value


def _last_para_ids(parts: Parts) -> dict[str, str]:
    """Comment id -> w14:paraId of its last paragraph."""
    part = parts.related(parts.main, "comments")
    if part is None:
        return {}
    return {c.get(w("id")) or "": ps[-1].get(_PARA_ID) or ""
            for c in parts.xml(part).findall(w("comment")) if (ps := c.findall(_P))}


def _ignorable(parts: Parts, part: str, prefix: str, ns: str) -> None:
    """Make sure the root of `part` declares `ns` as `prefix` and lists it ignorable."""
    root = parts.xml(part)
    if root.nsmap.get(prefix) != ns or root.nsmap.get("mc") != MC:
        fresh = etree.Element(root.tag, dict(root.attrib), nsmap={**root.nsmap, prefix: ns,
                                                                  "mc": MC})
        fresh.extend(list(root))
        parts.replace(part, fresh)
        root = fresh
    listed = (root.get(f"{{{MC}}}Ignorable") or "").split()
    if prefix not in listed:
        root.set(f"{{{MC}}}Ignorable", " ".join([*listed, prefix]))


def _mark_copy(mark: etree._Element) -> etree._Element:
    """A range mark, or a reference run reduced to its properties and the reference."""
    if mark.tag != _R:
        return copy.deepcopy(mark)
    run = etree.Element(_R)
    for child in mark:
        if child.tag in (_RPR, REF):
            run.append(copy.deepcopy(child))
    return run


def _layout(p: etree._Element) -> tuple[list[_Bit], list[tuple[int, etree._Element]]]:
    """The older text of a paragraph (its own, or the redline's without insertions) as
    bits, and the comment marks in it at their offsets (a reference as its run), read as
    walk.py reads a paragraph."""
    bits: list[_Bit] = []
    marks: list[tuple[int, etree._Element]] = []
    at = 0

    def inline(parent: etree._Element) -> None:
        nonlocal at
        for child in parent:
            tag = child.tag
            if tag in (START, END):
                marks.append((at, child))
            elif tag == _R:
                for c in child:
                    n = len(c.text or "") if c.tag in (_T, _DEL_TEXT) else \
                        1 if c.tag in _ONE else 0
                    if c.tag == REF:
                        marks.append((at, child))
                    if n:
                        bits.append(_Bit(at, at + n, c, child))
                        at += n
            elif tag in _MATH:
                bits.append(_Bit(at, at + 1, child, child))
                at += 1
            elif tag in _SEEN or tag == w("sdt"):
                inline(child.find(w("sdtContent")) if tag == w("sdt") else child)

    inline(p)
    return bits, marks


def _split(bit: _Bit, at: int) -> None:
    """Cut the run of a text bit at `at` (its twin takes the rest of the run)."""
    run, element = bit.node, bit.element
    cut = at - bit.start
    twin = etree.Element(_R)
    rpr = run.find(_RPR)
    if rpr is not None:
        twin.append(copy.deepcopy(rpr))
    rest = etree.SubElement(twin, element.tag)
    rest.text = (element.text or "")[cut:]
    rest.set(XML_SPACE, "preserve")
    element.text = (element.text or "")[:cut]
    element.set(XML_SPACE, "preserve")
    follows = element.getnext()
    while follows is not None:
        following = follows.getnext()
        twin.append(follows)
        follows = following
    run.addnext(twin)


def _edge(node: etree._Element, last: bool, marker: Marker) -> etree._Element:
    """The outermost element that starts (or ends) with `node` among the revisions
    around it: a w:del it is inside of is split there (the second half a new revision)."""
    parent = node.getparent()
    while parent is not None and parent.tag in (DEL, INS):
        edge = parent[-1] if last else parent[0]
        if edge is not node:
            twin = marker.revision(parent.tag)
            parent.addnext(twin)
            moved = list(node.itersiblings()) if last else [node, *node.itersiblings()]
            twin.extend(moved)
            if not last:
                parent = twin  # which now starts with node
        node, parent = parent, parent.getparent()
    return node


def _fates(root: etree._Element) -> dict[str, set[str]]:
    """Comment id -> what the content of its range is: DEL, INS, or "" for text both
    files have (each kind found)."""
    open_: set[str] = set()
    out: dict[str, set[str]] = {}
    for node in root.iter(START, END, _R):
        if node.tag == START:
            open_.add(node.get(w("id")) or "")
            out.setdefault(node.get(w("id")) or "", set())
        elif node.tag == END:
            open_.discard(node.get(w("id")) or "")
        elif open_ and any(c.tag not in _NOT_CONTENT for c in node):
            kind = _revision_of(node)
            for cid in open_:
                out[cid].add(kind)
    return out


def _revision_of(node: etree._Element) -> str:
    for parent in node.iterancestors():
        if parent.tag in (DEL, INS):
            return parent.tag
        if parent.tag == _P:
            break
    return ""


def _revised(run: etree._Element, tag: str, marker: Marker) -> None:
    """Wrap a reference run in a revision of its own (unless it is in one already)."""
    if _revision_of(run):
        return
    change = marker.revision(tag)
    run.addprevious(change)
    change.append(run)


def _drop(nodes: list[etree._Element]) -> None:
    for node in nodes:
        parent = node.getparent()
        if parent is not None:
            parent.remove(node)
