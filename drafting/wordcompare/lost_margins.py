"""Headers and footers only the older file has, brought into the redline as deleted.

OOXML has no tracked change for a header or footer reference: w:sectPrChange records a
section's former properties as CT_SectPrBase, which leaves out w:headerReference and
w:footerReference (ECMA-376 Part 1, 17.13.5.32, and wml.xsd), and neither Word nor
LibreOffice tracks a header part coming or going. So the deletion is written the way a
removed paragraph is: the older file's part is copied in (carry.py brings its
relationships, images and styles), related to the document and referred to by the same
section of the newer file, and all of its content is marked deleted. Reject-all then shows
the older file's header; accept-all leaves a header of one empty paragraph (a header part
must hold one: CT_HdrFtr), which shows no text where the newer file has no header.

A header is brought in only where that changes nothing the newer file shows: the section
(or one before it, whose header it would inherit) names no header of that kind and type,
and the section shows that type (w:titlePg for a first-page one, w:evenAndOddHeaders for
an even-page one). Otherwise it is said in a warning, as before.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from ..readers.docx.margins import Margin, margins, sections
from ..readers.docx.xml import R, w
from .carry import usable
from .parts import Parts

_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"
_PLACEHOLDER = "\ue000lost"  # a relationship id no file has, for the trial reference
_REFERENCES = {w("headerReference"), w("footerReference")}
Compare = Callable[[str, str, etree._Element], None]  # (old part, new part, new root)


def carry_lost(old: Parts, new: Parts, lost: list[str], compare: Compare,
               stories: list[str]) -> list[str]:
    """Bring in the older file's headers and footers named `lost` (see the module's
    docstring), each compared against an empty part by `compare`, which marks its content
    deleted; each one's part is added to `stories`. The warnings for those left out."""
    old_margins = {m.name: m for m in file_margins(old)}
    warnings = []
    for name in lost:
        margin = old_margins[name]
        found = _reference(old, margin.part)
        sect = _free_section(new, name, *found) if margin.shown and found else None
        if sect is None:
            warnings.append(f"{old.source}: its {name} is not in the newer file, nor in the "
                            "redline")
            continue
        _, kind, type_ = found  # type: ignore[misc]
        part = new.free_name(margin.part if usable(margin.part) else f"word/{kind}.xml")
        old_root = old.xml(margin.part)
        root = etree.Element(old_root.tag, dict(old_root.attrib), nsmap=old_root.nsmap)
        new.add_part(part, etree.tostring(root),
                     old.content_type(margin.part) or _CONTENT.format(kind))
        rel = next(r for r in old.rels(old.main).values() if r.target == margin.part)
        _referred(sect, kind, type_, new.add_rel(new.main, rel.type, part, False))
        stories.append(part)
        compare(margin.part, part, new.xml(part))
    return warnings


def file_margins(parts: Parts) -> list[Margin]:
    """The file's header and footer parts, named ("header", "first-page footer, section
    2": readers/docx/margins.py), those no section shows included."""
    settings = parts.related(parts.main, "settings")
    return margins(parts.xml(parts.main).find(w("body")),
                   parts.xml(settings) if settings else None, _target(parts))


def _target(parts: Parts, extra: dict[str, str] | None = None
            ) -> Callable[[str], str | None]:
    rels = parts.rels(parts.main)

    def target(rid: str) -> str | None:
        if extra and rid in extra:
            return extra[rid]
        rel = rels.get(rid)
        return rel.target if rel and not rel.external and parts.has(rel.target) else None

    return target


def _reference(parts: Parts, part: str) -> tuple[int, str, str] | None:
    """The first section that refers to `part`: its number, "header" or "footer", and
    the reference's type ("default", "first", "even")."""
    target = _target(parts)
    for number, sect in enumerate(sections(parts.xml(parts.main).find(w("body"))), 1):
        for kind in ("header", "footer"):
            for ref in sect.findall(w(f"{kind}Reference")):
                if target(ref.get(f"{{{R}}}id") or "") == part:
                    return number, kind, ref.get(w("type")) or "default"
    return None


def _free_section(new: Parts, name: str, number: int, kind: str, type_: str
                  ) -> etree._Element | None:
    """The newer file's section `number` (its last, if it has fewer), when a reference of
    this kind and type put there shows as `name` and hides no header of the newer file."""
    sects = sections(new.xml(new.main).find(w("body")))
    if not sects:
        return None
    at = min(number, len(sects)) - 1
    if any((ref.get(w("type")) or "default") == type_
           for sect in sects[: at + 1] for ref in sect.findall(w(f"{kind}Reference"))):
        return None
    trial = _referred(sects[at], kind, type_, _PLACEHOLDER)
    try:
        settings = new.related(new.main, "settings")
        shown = margins(new.xml(new.main).find(w("body")),
                        new.xml(settings) if settings else None,
                        _target(new, {_PLACEHOLDER: _PLACEHOLDER}))
    finally:
        sects[at].remove(trial)
    return sects[at] if any(m.part == _PLACEHOLDER and m.shown and m.name == name
                            for m in shown) else None


def _referred(sect: etree._Element, kind: str, type_: str, rid: str) -> etree._Element:
    """A new w:headerReference (w:footerReference) of `sect`, after those it has: they
    come first in a w:sectPr."""
    reference = etree.Element(w(f"{kind}Reference"), {w("type"): type_, f"{{{R}}}id": rid})
    sect.insert(sum(1 for c in sect if c.tag in _REFERENCES), reference)
    return reference
