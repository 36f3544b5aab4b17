"""Headers and footers (ECMA-376 Part 1, 17.10): each section's w:sectPr refers to its
header and footer parts by type (default, first, even) with w:headerReference and
w:footerReference; a section that names none of a type shows the previous section's.

Each part is a story of its own, named for people by the first section that shows it:
"header", "first-page footer", "even-page header, section 2". A first-page one is shown
only in a section with w:titlePg, an even-page one only where settings.xml has
w:evenAndOddHeaders (17.10.1, 17.15.1.35): the others are `shown` False.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from .xml import R, w

KINDS = ("header", "footer")
_TYPES = {"default": "", "first": "first-page ", "even": "even-page "}
_OFF = ("0", "false", "off")


@dataclass(frozen=True)
class Margin:
    """One header or footer part as the sections show it."""

    name: str  # "header", "first-page footer, section 2"
    part: str  # its part name in the package
    shown: bool  # whether a reader of the file sees it (see the module's docstring)


def sections(body: etree._Element) -> list[etree._Element]:
    """The w:sectPr of each section in order: those in paragraph marks, then the body's."""
    out = []
    for sect in body.iter(w("sectPr")):
        parent = sect.getparent()
        if parent is body or (parent is not None and parent.tag == w("pPr")
                              and parent.getparent() is not None
                              and parent.getparent().tag == w("p")):
            out.append(sect)
    return out


def margins(body: etree._Element, settings: etree._Element | None,
            target: Callable[[str], str | None]) -> list[Margin]:
    """Every header and footer part the sections refer to, once each, in the order the
    sections show them; `target(rid)` names the part a relationship id of the document
    points at (None when it points at nothing)."""
    even = _on(settings.find(w("evenAndOddHeaders"))) if settings is not None else False
    out: dict[str, Margin] = {}
    sects = sections(body)
    for number, sect in enumerate(sects, 1):
        title_page = _on(sect.find(w("titlePg")))
        for kind in KINDS:
            for ref in sect.findall(w(f"{kind}Reference")):
                kind_of = ref.get(w("type")) or "default"
                part = target(ref.get(f"{{{R}}}id") or "")
                if part is None or part in out or kind_of not in _TYPES:
                    continue
                shown = {"default": True, "first": title_page, "even": even}[kind_of]
                name = _TYPES[kind_of] + kind + (f", section {number}" if number > 1 else "")
                out[part] = Margin(name, part, shown)
    return list(out.values())


def _on(element: etree._Element | None) -> bool:
    """An on/off property (ECMA-376 17.17.4): present and not switched off."""
    return element is not None and (element.get(w("val")) or "true") not in _OFF
