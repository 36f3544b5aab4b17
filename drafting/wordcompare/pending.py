"""Tracked changes already in a file, resolved in its XML before comparing: accepted (the
file as its author meant it) or rejected (the file as it was before them).

ECMA-376 Part 1, 17.13.5: w:ins/w:moveTo hold inserted runs, w:del/w:moveFrom deleted
ones; a paragraph mark is inserted or deleted by w:ins/w:del in w:pPr/w:rPr (a removed
mark joins the paragraph to the next one); a table row by w:ins/w:del in w:trPr; a cell by
w:cellIns/w:cellDel; w:*PrChange holds the properties as they were before a formatting
change.
"""

from __future__ import annotations

from collections import Counter

from lxml import etree

from ..readers.docx.xml import w

ACCEPT, REJECT, REFUSE = "accept", "reject", "refuse"
_KINDS = {w("ins"): "insertion", w("moveTo"): "move", w("del"): "deletion",
          w("moveFrom"): "move"}
_PROPERTY_CHANGES = {w(t) for t in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange",
                                    "tblGridChange", "tblPrExChange", "trPrChange",
                                    "tcPrChange")}
_RANGE_MARKS = {w(t) for t in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
                               "moveToRangeEnd", "customXmlInsRangeStart",
                               "customXmlInsRangeEnd", "customXmlDelRangeStart",
                               "customXmlDelRangeEnd", "customXmlMoveFromRangeStart",
                               "customXmlMoveFromRangeEnd", "customXmlMoveToRangeStart",
                               "customXmlMoveToRangeEnd", "numberingChange")}
_DELETED_TEXT = {w("delText"): w("t"), w("delInstrText"): w("instrText")}


def resolve(root: etree._Element, mode: str) -> Counter[str]:
    """Accept or reject every tracked change under `root`, in place; returns how many of
    each kind there were ("insertion", "deletion", "move", "paragraph mark", "table row",
    "formatting")."""
    keep, drop = ((w("ins"), w("moveTo")), (w("del"), w("moveFrom"))) if mode == ACCEPT \
        else ((w("del"), w("moveFrom")), (w("ins"), w("moveTo")))
    found: Counter[str] = Counter()
    for mark in [e for e in root.iter(w("trPr")) if e.find(w("ins")) is not None
                 or e.find(w("del")) is not None]:
        found["table row"] += 1
        row = mark.getparent()
        if mark.find(drop[0]) is not None:
            table = row.getparent()
            table.remove(row)
            if table.tag == w("tbl") and table.find(w("tr")) is None:
                table.getparent().remove(table)  # every row gone: so is the table
        else:
            for change in mark.findall(keep[0]):
                mark.remove(change)
    for cell_mark in list(root.iter(w("cellIns"), w("cellDel"), w("cellMerge"))):
        found["table cell"] += 1
        cell_mark.getparent().remove(cell_mark)
    joined = []
    for rpr in list(root.iter(w("rPr"))):
        parent = rpr.getparent()
        if parent is None or parent.tag != w("pPr"):
            continue
        for change in [c for c in rpr if c.tag in _KINDS]:
            found["paragraph mark"] += 1
            if change.tag in drop:
                joined.append(parent.getparent())
            rpr.remove(change)
    for change in list(root.iter(*_KINDS)):
        if change.getparent() is None or change.getparent().tag == w("rPr"):
            continue  # inside content already removed
        found[_KINDS[change.tag]] += 1
        if change.tag in drop:
            change.getparent().remove(change)
        else:
            _unwrap(change)
    if mode == REJECT:
        for text in list(root.iter(*_DELETED_TEXT)):
            text.tag = _DELETED_TEXT[text.tag]
    for change in list(root.iter(*_PROPERTY_CHANGES)):
        found["formatting"] += 1
        if mode == REJECT:
            _restore(change)
        else:
            change.getparent().remove(change)
    for mark in list(root.iter(*_RANGE_MARKS)):
        mark.getparent().remove(mark)
    for p in joined:
        _join_next(p)
    return found


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    at = parent.index(element)
    parent[at : at + 1] = list(element)


def _restore(change: etree._Element) -> None:
    """Put back the properties a w:*PrChange recorded: its one child is the old set."""
    props = change.getparent()
    old = change[0] if len(change) else None
    props.remove(change)
    kept = [c for c in props if c.tag in _PROPERTY_CHANGES or (c.tag == w("rPr")
            and props.tag == w("pPr")) or c.tag == w("sectPr")]
    for child in list(props):
        if child not in kept:
            props.remove(child)
    if old is not None:
        for k, child in enumerate(list(old)):
            props.insert(k, child)


def _join_next(p: etree._Element) -> None:
    """A removed paragraph mark: the paragraph's content runs on into the next one, which
    keeps its own properties (Word's rule: they live in the mark that remains)."""
    parent = p.getparent()
    if parent is None:
        return
    following = p.getnext()
    while following is not None and following.tag != w("p"):
        if following.tag == w("tbl") or following.tag == w("sectPr"):
            return  # nothing to join: the paragraph simply keeps its mark
        following = following.getnext()
    if following is None:
        return
    content = [c for c in p if c.tag != w("pPr")]
    ppr = following.find(w("pPr"))
    at = 0 if ppr is None else following.index(ppr) + 1
    following[at:at] = content
    parent.remove(p)
