"""The HYPERLINK fields of an older file's part whose address a redline may not carry
(links.py): a complex field's code is spread over pieces (w:instrText) that the redline
copies one run at a time, so the address is read from the whole field in the older file,
and each of its pieces is known by its text."""

from __future__ import annotations

from lxml import etree

from .. import links
from ..readers.docx import fieldcode
from ..readers.docx.xml import w

_FLD_CHAR, _TYPE = w("fldChar"), w("fldCharType")
CODES = (w("instrText"), w("delInstrText"))  # a field code's pieces, as written or deleted


def field_links(root: etree._Element, internal: bool = False) -> dict[str, str]:
    """The text of each code piece of `root`'s HYPERLINK fields that may not be written
    -> the field's address."""
    out: dict[str, str] = {}
    fields: list[list[etree._Element]] = []  # the code pieces of each open field
    coding: list[bool] = []  # whether each open field is still in its code part

    def done(pieces: list[etree._Element]) -> None:
        address = fieldcode.hyperlink("".join(p.text or "" for p in pieces))
        if address and not links.written(address, internal):
            out.update((p.text, address) for p in pieces if p.text)

    for node in root.iter(_FLD_CHAR, *CODES):
        if node.tag != _FLD_CHAR:
            if coding and coding[-1]:
                fields[-1].append(node)
            continue
        kind = node.get(_TYPE)
        if kind == "begin":
            fields.append([])
            coding.append(True)
        elif kind in ("separate", "end") and fields:
            if coding[-1]:
                done(fields[-1])
                coding[-1] = False
            if kind == "end":
                fields.pop()
                coding.pop()
    return out
