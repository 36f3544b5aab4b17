"""What a paragraph's style says about it (word/styles.xml): whether it is the title, its
outline level as a heading, and the list numbering it carries, each looked up along the
w:basedOn chain the way Word does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lxml import etree

from .xml import attr, w

_HEADING_NAME = re.compile(r"heading\s*([1-9])", re.IGNORECASE)
BODY_OUTLINE = 9  # w:outlineLvl 9 means body text
MAX_ILVL = 8  # list levels are 0-8; others are ignored, so a list counts at most nine
MAX_BASED_ON = 50  # w:basedOn links followed: real style sheets need a handful


@dataclass(frozen=True, slots=True)
class NumPr:
    """w:numPr: either part may be missing and be taken from the style."""

    num_id: str | None
    ilvl: int | None


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    numpr: NumPr | None
    rpr: etree._Element | None = None  # run properties (character styles' formatting)


FRONT_MATTER = ("subtitle", "drafting note")


class Styles:
    """The paragraph (and numbering) styles of one document, looked up by style id."""

    def __init__(self, root: etree._Element | None):
        self._styles: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        for style in () if root is None else root.iter(w("style")):
            style_id = style.get(w("styleId"))
            if not style_id:
                continue
            ppr = style.find(w("pPr"))
            self._styles[style_id] = _Style(
                name=(attr(style.find(w("name"))) or style_id).strip(),
                based_on=attr(style.find(w("basedOn"))),
                outline=outline_level(ppr),
                numpr=numpr(ppr),
                rpr=style.find(w("rPr")) if style.get(w("type")) == "character" else None)
            if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true"):
                self.default_paragraph = style_id
        self.outline = cache(self._outline)
        self.is_title = cache(self._is_title)
        self.is_front_matter = cache(self._is_front_matter)
        self.numbering = cache(self._numbering)
        self.run_marks = cache(self._run_marks)

    def _chain(self, style_id: str | None) -> list[tuple[str, _Style]]:
        """The style and those it is based on, nearest first (cycles and chains longer
        than MAX_BASED_ON cut)."""
        out: list[tuple[str, _Style]] = []
        seen = set()
        while style_id and style_id in self._styles and style_id not in seen \
                and len(out) < MAX_BASED_ON:
            seen.add(style_id)
            out.append((style_id, self._styles[style_id]))
            style_id = self._styles[style_id].based_on
        return out

    def _run_marks(self, style_id: str | None) -> tuple[str, ...]:
        """What a character style makes its runs: ("bold", "italic"...), the nearest
        style in the chain that sets a toggle deciding it."""
        decided: dict[str, bool] = {}
        for _, style in self._chain(style_id):
            if style.rpr is not None:
                for kind, on in run_toggles(style.rpr).items():
                    decided.setdefault(kind, on)
        return tuple(kind for kind, on in decided.items() if on)

    def _outline(self, style_id: str | None) -> int | None:
        """0 for "Heading 1" and styles with w:outlineLvl 0, ...; None for body text."""
        for sid, style in self._chain(style_id):
            if style.outline is not None:
                return None if style.outline >= BODY_OUTLINE else style.outline
            m = _HEADING_NAME.fullmatch(style.name) or _HEADING_NAME.fullmatch(sid)
            if m:
                return int(m.group(1)) - 1
        return None

    def _is_title(self, style_id: str | None) -> bool:
        return any(style.name.lower() == "title" or sid.lower() == "title"
                   for sid, style in self._chain(style_id))

    def _is_front_matter(self, style_id: str | None) -> bool:
        """Subtitles and notes about a document (our writers' "Drafting Note": status
        lines, change summaries) are not part of its text."""
        return any(style.name.lower() in FRONT_MATTER for _, style in self._chain(style_id))

    def _numbering(self, style_id: str | None) -> NumPr:
        """The list a style puts its paragraphs in (the nearest numId and ilvl)."""
        num_id = ilvl = None
        for _, style in self._chain(style_id):
            if style.numpr is not None:
                num_id = num_id if num_id is not None else style.numpr.num_id
                ilvl = ilvl if ilvl is not None else style.numpr.ilvl
        return NumPr(num_id, ilvl)


def outline_level(ppr: etree._Element | None) -> int | None:
    value = attr(None if ppr is None else ppr.find(w("outlineLvl")))
    return int(value) if value is not None and value.isdigit() else None


def numpr(ppr: etree._Element | None) -> NumPr | None:
    element = None if ppr is None else ppr.find(w("numPr"))
    if element is None:
        return None
    ilvl = attr(element.find(w("ilvl")))
    level = int(ilvl) if ilvl is not None and ilvl.isdigit() and len(ilvl) < 3 else None
    return NumPr(attr(element.find(w("numId"))),
                 level if level is not None and level <= MAX_ILVL else None)


_TOGGLES = (("b", "bold"), ("i", "italic"), ("smallCaps", "smallcaps"))


def run_toggles(rpr: etree._Element) -> dict[str, bool]:
    """The inline marks a w:rPr sets on or off: bold, italic, small caps (w:val 0, false
    or off turns one off), underline (w:val none is off), superscript and subscript."""
    out: dict[str, bool] = {}
    for tag, kind in _TOGGLES:
        found = rpr.find(w(tag))
        if found is not None:
            out[kind] = (attr(found) or "true").lower() not in ("0", "false", "off")
    underline = rpr.find(w("u"))
    if underline is not None:
        out["underline"] = (attr(underline) or "single") != "none"
    position = attr(rpr.find(w("vertAlign")))
    if position is not None:
        out["superscript"] = position == "superscript"
        out["subscript"] = position == "subscript"
    return out
