"""Parse the XML parts of a Word file without trusting them: no DTD, no entities, no
network, libxml2's default size and depth limits. A part that declares a DOCTYPE or an
entity is refused before parsing, in UTF-8 and UTF-16 alike, so an entity bomb is never
expanded and an external entity is never fetched."""

from __future__ import annotations

from lxml import etree

from ...errors import DraftingError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"

_FORBIDDEN = tuple(word.encode(codec) for word in ("<!DOCTYPE", "<!ENTITY")
                   for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def w(tag: str) -> str:
    """Clark name of a WordprocessingML element or attribute: w("p") -> "{...main}p"."""
    return f"{{{W}}}{tag}"


def parse(data: bytes, part: str, source: str) -> etree._Element:
    """The root element of one part; `source` names the file in error messages."""
    if any(word in data for word in _FORBIDDEN):
        raise DraftingError(f"refused: {part} declares a DOCTYPE or entities, which Word "
                            "files never contain (possible entity bomb)", source)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise DraftingError(f"malformed XML in {part}: {e}", source) from None
    if root.getroottree().docinfo.doctype:  # an encoding the byte check cannot see
        raise DraftingError(f"refused: {part} declares a DOCTYPE", source)
    return root


def attr(element: etree._Element | None, name: str = "val") -> str | None:
    """A w: attribute of an optional element (most WordprocessingML values are w:val)."""
    return None if element is None else element.get(w(name))
