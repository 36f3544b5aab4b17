"""A story of a Word file (the body, a table cell, a footnote) as the comparer sees it:
items that are paragraphs or tables, each paragraph's text mapped back to the XML that
carries it.

Text comes from w:t; everything else a reader sees is an atom, one private-use character
standing for it, so that a removed image, note reference or field is a change like a
removed word: w:tab, w:br, w:cr, w:drawing, w:pict, w:object, w:sym, math (m:oMath), note
references and the field characters and codes of complex fields (their results are
ordinary text). Two atoms are one character when they are the same thing: an image by
its XML with relationship ids replaced by what they point at, a field code by its code.
Hyperlinks, smart tags, content controls, custom XML and simple fields are transparent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from ..readers.docx.body import _unwrap  # rows and cells, through content controls
from ..readers.docx.xml import MC, M, R, w

HEADING_STYLE_PREFIXES = ("heading", "title")
_P, _TBL, _TR, _TC, _R = w("p"), w("tbl"), w("tr"), w("tc"), w("r")
_PPR, _RPR, _T = w("pPr"), w("rPr"), w("t")
_INLINE_WRAPPERS = {w("hyperlink"), w("smartTag"), w("customXml"), w("fldSimple"),
                    w("dir"), w("bdo"), w("ins"), w("moveTo")}
_SDT, _SDT_CONTENT = w("sdt"), w("sdtContent")
_MATH = {f"{{{M}}}oMath", f"{{{M}}}oMathPara"}
_CHARS = {w("tab"): "\t", w("ptab"): "\t", w("br"): "", w("cr"): "",
          w("noBreakHyphen"): "\u2011", w("softHyphen"): "\u00ad"}
_BREAKS = {w("br"), w("cr")}  # atoms of their own: a page break is not a line break
NOTE_REFS = {w("footnoteReference"): "footnote", w("endnoteReference"): "endnote"}
_ALTERNATE = f"{{{MC}}}AlternateContent"  # a text box's DrawingML and VML, one atom
_ATOMS = {w("drawing"), w("pict"), w("object"), w("sym"), w("fldChar"), w("instrText"),
          w("footnoteRef"), w("endnoteRef"), w("separator"), w("continuationSeparator"),
          _ALTERNATE, *NOTE_REFS}
TEXT_BOX = w("txbxContent")
_NOT_IDENTITY = {"id", "paraId", "textId", "anchorId", "editId"}  # numbering, not content
_PUA = [*range(0xE000, 0xF900), *range(0xF0000, 0xFFFFE)]


class Atoms:
    """One private-use character per distinct atom, shared by both files of a comparison
    so that equal atoms are equal characters. `resolve` gives what a relationship id of
    a file points at, so that the same image under another id is the same atom."""

    def __init__(self) -> None:
        self._chars: dict[bytes, str] = {}

    def char(self, key: bytes) -> str:
        found = self._chars.get(key)
        if found is None:
            found = self._chars[key] = chr(_PUA[len(self._chars) % len(_PUA)])
        return found


@dataclass(slots=True)
class Piece:
    """What one element contributes to its paragraph's text. `node` is the element that
    sits among runs (the w:r, or an m:oMath standing alone) and is what gets wrapped."""

    text: str
    element: etree._Element
    node: etree._Element
    atom: bool


@dataclass(slots=True)
class Para:
    element: etree._Element
    pieces: list[Piece]
    text: str
    heading: int  # outline level + 1 of a heading style, 0 for a body paragraph


@dataclass(slots=True)
class Table:
    element: etree._Element
    rows: list[Row]
    text: str


@dataclass(slots=True)
class Row:
    element: etree._Element
    cells: list[list[Item]]
    text: str


Item = Para | Table


@dataclass
class Walker:
    """Walks one file's stories; `resolve(rid)` names a relationship's target, per part."""

    atoms: Atoms
    resolve: Callable[[str], str] = field(default=lambda rid: rid)

    def container(self, parent: etree._Element) -> list[Item]:
        out: list[Item] = []
        for child in parent:
            tag = child.tag
            if tag == _P:
                out.append(self.paragraph(child))
            elif tag == _TBL:
                out.append(self.table(child))
            elif tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    out.extend(self.container(content))
            elif tag == w("customXml"):
                out.extend(self.container(child))
        return out

    def table(self, tbl: etree._Element) -> Table:
        rows = []
        for tr in _unwrap(tbl, _TR):
            cells = [self.container(tc) for tc in _unwrap(tr, _TC)]
            rows.append(Row(tr, cells, "\t".join(_text(c) for c in cells)))
        return Table(tbl, rows, "\n".join(r.text for r in rows))

    def paragraph(self, p: etree._Element) -> Para:
        pieces: list[Piece] = []
        self._inline(p, pieces)
        return Para(p, pieces, "".join(x.text for x in pieces), heading_level(p))

    def _inline(self, parent: etree._Element, pieces: list[Piece]) -> None:
        for child in parent:
            tag = child.tag
            if tag == _R:
                self._run(child, pieces)
            elif tag in _MATH:
                pieces.append(Piece(self._atom(child), child, child, True))
            elif tag in _INLINE_WRAPPERS:
                self._inline(child, pieces)
            elif tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    self._inline(content, pieces)

    def _run(self, run: etree._Element, pieces: list[Piece]) -> None:
        for child in run:
            tag = child.tag
            if tag == _T:
                if child.text:
                    pieces.append(Piece(child.text, child, run, False))
            elif tag in _CHARS:
                text = self._atom(child) if tag in _BREAKS else _CHARS[tag]
                pieces.append(Piece(text, child, run, True))
            elif tag in _ATOMS:
                pieces.append(Piece(self._atom(child), child, run, True))

    def _atom(self, element: etree._Element) -> str:
        return self.atoms.char(identity(element, self.resolve))


def identity(element: etree._Element, resolve: Callable[[str], str]) -> bytes:
    """What makes two atoms the same: their XML without ids that only number things, with
    relationship ids replaced by their targets. A note reference is only "a footnote
    reference": which note it is, is the notes' own comparison; a text box's paragraphs
    likewise are its own (boxes), so a shape whose text alone changed is the same shape."""
    if element.tag in NOTE_REFS:
        return element.tag.encode()
    copy = etree.fromstring(etree.tostring(element))
    for box in copy.iter(TEXT_BOX):
        box[:] = []
    for node in copy.iter():
        for name in list(node.attrib):
            local = etree.QName(name).localname
            if name.startswith(f"{{{R}}}"):
                node.set(name, resolve(node.get(name)))
            elif local in _NOT_IDENTITY and node.tag != w("fldChar"):
                del node.attrib[name]
    return hashlib.sha256(repr(shape([copy])).encode()).digest()


def shape(elements: Iterable[etree._Element]) -> tuple:
    """Elements as their tags, attributes, texts and child counts in document order:
    equal for equal XML whatever namespaces its file declares (serialised bytes, even
    canonical ones, carry every declaration in scope, and files of two Word versions
    declare different ones)."""
    return tuple((n.tag, tuple(sorted(n.attrib.items())), n.text or "", len(n))
                 for c in elements for n in c.iter())


def boxes(element: etree._Element) -> list[etree._Element]:
    """The text boxes (w:txbxContent) of a drawing, VML shape or alternate content, outer
    ones only (a box in a box is the outer box's content), in document order."""
    found = list(element.iter(TEXT_BOX))
    outer = set(found)
    return [box for box in found if not any(a in outer for a in box.iterancestors(TEXT_BOX))]


def heading_level(p: etree._Element) -> int:
    """1 + the level of a "Heading N" (or Title) paragraph style, else 0."""
    style = p.find(f"{_PPR}/{w('pStyle')}")
    name = (style.get(w("val")) or "").lower() if style is not None else ""
    if not name.startswith(HEADING_STYLE_PREFIXES):
        return 0
    digits = "".join(c for c in name if c.isdigit())
    return int(digits[:1] or "0") + 1


def paragraphs(items: list[Item]) -> Iterator[Para]:
    """Every paragraph of a container, tables' cells included, in reading order."""
    for item in items:
        if isinstance(item, Para):
            yield item
        else:
            for row in item.rows:
                for cell in row.cells:
                    yield from paragraphs(cell)


def _text(items: list[Item]) -> str:
    return "\n".join(item.text for item in items)
