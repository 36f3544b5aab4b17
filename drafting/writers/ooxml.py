"""WordprocessingML that python-docx has no API for: tracked changes, bookmarks, fields,
multilevel numbering. All raw XML the writers produce is built here, in one place.

References: ECMA-376 Part 1, 17.13 (annotations: w:ins, w:del, w:delText, paragraph-mark
revisions in w:rPr), 17.9 (numbering), 17.16 (fields), 17.13.6 (bookmarks).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable

from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import oxml_parser
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
IDS_NAMESPACE = "urn:drafting:ids"


def el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element
       ) -> etree._Element:
    """An element "w:tag" with "w:" attributes, of python-docx's class for that tag, so that
    its get_or_add_* methods (which keep the schema's child order) are at hand."""
    clark, nsmap = _tag(tag)
    element = oxml_parser.makeelement(
        clark, attrib={_tag(key)[0]: value for key, value in (attrs or {}).items()},
        nsmap=nsmap)
    element.extend(children)
    return element


@functools.cache
def _tag(name: str) -> tuple[str, dict[str, str]]:
    """Clark name and namespace map of "w:name", computed once (python-docx's OxmlElement
    parses them on every call)."""
    tag = NamespacePrefixedTag(name)
    return tag.clark_name, tag.nsmap


_WHOLE = 2_000  # elements of a subtree lxml moves into another document in one piece


def adopt(element: etree._Element, put: Callable[[etree._Element], None],
          home: etree._Element) -> None:
    """put(element) into the document whose root is `home`, an element built elsewhere
    moved in pieces: lxml moves a subtree into another document in time quadratic in the
    attributes it holds of a namespace the subtree does not declare (xml:space, r:id), and
    what el() builds starts in a document of its own. A big subtree goes as its root, then
    each child the same way (one paragraph of 50,000 links took 0.6 s to move whole, of
    100,000 runs 2.5 s)."""
    pending = [(element, put)]
    while pending:
        node, place = pending.pop()
        if node.getroottree().getroot() is home or \
                sum(1 for _ in itertools.islice(node.iter(), _WHOLE)) < _WHOLE:
            place(node)
            continue
        children = list(node)
        for child in children:
            node.remove(child)
        place(node)
        pending.extend((child, node.append) for child in reversed(children))


def sub(parent: etree._Element, tag: str, attrs: dict[str, str] | None = None
        ) -> etree._Element:
    child = el(tag, attrs)
    parent.append(child)
    return child


class Ids:
    """w:id values must be unique within the document."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return str(self.n)


def text_run(text: str, deleted: bool = False, rpr: etree._Element | None = None
             ) -> etree._Element:
    """A run; tabs and line breaks become w:tab and w:br; deleted text uses w:delText."""
    run = el("w:r")
    if rpr is not None:
        run.append(rpr)
    tag = "w:delText" if deleted else "w:t"
    parts = text.replace("\r\n", "\n").split("\n")
    for n, line in enumerate(parts):
        if n:
            sub(run, "w:br")
        pieces = line.split("\t")
        for k, piece in enumerate(pieces):
            if k:
                sub(run, "w:tab")
            if piece:
                t = sub(run, tag)
                t.text = piece
                if piece != piece.strip():
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


# inline marks as run properties, in the order CT_RPr's sequence has them (17.3.2.28)
_RUN_PROPERTIES = (("bold", "w:b", None), ("italic", "w:i", None),
                   ("smallcaps", "w:smallCaps", None), ("underline", "w:u", "single"),
                   ("superscript", "w:vertAlign", "superscript"),
                   ("subscript", "w:vertAlign", "subscript"))
RUN_MARKS = frozenset(kind for kind, _, _ in _RUN_PROPERTIES)  # the marks that are formatting


def run_properties(kinds: Iterable[str]) -> etree._Element | None:
    """w:rPr for bold, italic, small caps, underline, superscript or subscript (one
    vertical alignment: superscript wins); None for none of them."""
    wanted = set(kinds)
    if not wanted & RUN_MARKS:
        return None
    rpr = el("w:rPr")
    aligned = False
    for kind, tag, value in _RUN_PROPERTIES:
        if kind in wanted and not (tag == "w:vertAlign" and aligned):
            sub(rpr, tag, {"w:val": value} if value else None)
            aligned = aligned or tag == "w:vertAlign"
    return rpr


def hyperlink(attrs: dict[str, str], runs: Iterable[etree._Element]) -> etree._Element:
    """w:hyperlink around runs: r:id of an external relationship, or w:anchor."""
    link = el("w:hyperlink", attrs)
    link.extend(runs)
    return link


def revision(kind: str, ids: Ids, author: str, date: str,
             children: Iterable[etree._Element] = ()) -> etree._Element:
    """w:ins or w:del (or w:moveFrom / w:moveTo) wrapping runs."""
    mark = el(kind, {"w:id": ids(), "w:author": author, "w:date": date})
    mark.extend(children)
    return mark


def mark_paragraph(ppr: etree._Element, kind: str, ids: Ids, author: str, date: str) -> None:
    """Record that the paragraph mark itself was inserted or deleted (w:pPr/w:rPr/w:ins,
    which the schema puts first in the mark's properties)."""
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = ppr.insert_element_before(el("w:rPr"), "w:sectPr", "w:pPrChange")
    rpr.insert(0, el(kind, {"w:id": ids(), "w:author": author, "w:date": date}))


def bookmark(ids: Ids, name: str) -> tuple[etree._Element, etree._Element]:
    n = ids()
    return el("w:bookmarkStart", {"w:id": n, "w:name": name}), el("w:bookmarkEnd", {"w:id": n})


def field(instruction: str, result: str, rpr: etree._Element | None = None,
          deleted: bool = False) -> list[etree._Element]:
    """A complex field (begin, instruction, separate, cached result, end) as runs, so the
    document shows `result` before any update and Word can refresh it."""
    def char(kind: str) -> etree._Element:
        run = el("w:r")
        if rpr is not None:
            run.append(_copy(rpr))
        sub(run, "w:fldChar", {"w:fldCharType": kind})
        return run

    instr = el("w:r")
    if rpr is not None:
        instr.append(_copy(rpr))
    t = sub(instr, "w:delInstrText" if deleted else "w:instrText")
    t.text = f" {instruction} "
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return [char("begin"), instr, char("separate"), text_run(result, deleted, _copy(rpr)),
            char("end")]


def _copy(element: etree._Element | None) -> etree._Element | None:
    return None if element is None else etree.fromstring(etree.tostring(element))


def numbering_level(ilvl: int, fmt: str, text: str, start: int = 1, restart: int | None = None,
                    indent: int = 0, hanging: int = 0, suffix: str = "tab",
                    justification: str = "left") -> etree._Element:
    lvl = el("w:lvl", {"w:ilvl": str(ilvl)})
    sub(lvl, "w:start", {"w:val": str(start)})
    sub(lvl, "w:numFmt", {"w:val": fmt})
    if restart is not None:
        sub(lvl, "w:lvlRestart", {"w:val": str(restart)})
    sub(lvl, "w:suff", {"w:val": suffix})
    sub(lvl, "w:lvlText", {"w:val": text})
    sub(lvl, "w:lvlJc", {"w:val": justification})
    ppr = sub(lvl, "w:pPr")
    if indent or hanging:
        sub(ppr, "w:ind", {"w:left": str(indent), "w:hanging": str(hanging)})
    return lvl


def ids_part_xml(rows: Iterable[tuple[str, str | None, str | None, int | None, int]]
                 ) -> bytes:
    """The custom XML part giving each bookmark its paragraph's level and, in our own
    team's copies only, its block id, clause and edition."""
    root = etree.Element(f"{{{IDS_NAMESPACE}}}blocks", nsmap={None: IDS_NAMESPACE})
    for name, block_id, clause, edition, level in rows:
        item = etree.SubElement(root, f"{{{IDS_NAMESPACE}}}block")
        item.set("bookmark", name)
        if block_id:
            item.set("id", block_id)
        item.set("level", str(level))
        if clause:
            item.set("clause", clause)
            item.set("edition", str(edition))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
