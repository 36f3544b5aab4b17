"""Joint negotiating text as a Word document: each side's proposals in that side's colour,
changes that reopen agreed text highlighted."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..model import Block
from ..negotiate.joint import JointText
from . import ooxml
from .joint import EMPTY, SIDE_COLOURS, label, status_note, summary_lines
from .word import STYLE_NOTE, Meta, WordDocument


def _rpr(colour: str | None = None, bold: bool = False, highlight: bool = False,
         small: bool = False) -> etree._Element:
    rpr = ooxml.el("w:rPr")
    if bold:
        ooxml.sub(rpr, "w:b")
    if small:
        ooxml.sub(rpr, "w:i")
    if colour:
        ooxml.sub(rpr, "w:color", {"w:val": colour.lstrip("#")})
    if small:
        ooxml.sub(rpr, "w:sz", {"w:val": "16"})
    if highlight:
        ooxml.sub(rpr, "w:highlight", {"w:val": "yellow"})
    return rpr


def render(joint: JointText, meta: Meta, refs: tuple[str, str], base_ref: str | None = None,
           reference: Path | None = None) -> bytes:
    word = WordDocument(meta, reference, auto_numbers=False)
    word.front_matter([])
    for line in summary_lines(joint, refs, base_ref):
        note = word.paragraph(STYLE_NOTE)
        note.append(ooxml.text_run(line, rpr=_rpr(small=True, bold=line.startswith("WARN"))))
        word.append(note)
    sides = [key for key, _ in joint.sides]
    for block in joint.blocks:
        version = next(iter(block.versions.values()))
        marker, heading = label(joint, block)
        shown = Block(version.kind, version.level, version.id, marker if heading else "",
                      "", version.clause, version.edition)
        p, typed = word.block_paragraph(shown)
        if not heading and marker:
            typed = [ooxml.text_run(marker + "\t")]
        p.extend(typed)
        if heading and marker and any(s.text.strip() or s.options for s in block.segments):
            p.append(ooxml.el("w:r", None, ooxml.el("w:br")))
        for segment in block.segments:
            if not segment.options:
                p.append(ooxml.text_run(segment.text))
            for key, text in segment.options:
                colour = SIDE_COLOURS[sides.index(key)]
                p.append(ooxml.text_run("[", rpr=_rpr(colour, highlight=segment.reopened)))
                p.append(ooxml.text_run(f"{joint.tag(key)}: ",
                                        rpr=_rpr(colour, bold=True, highlight=segment.reopened)))
                p.append(ooxml.text_run(f"{text.strip() or EMPTY}]",
                                        rpr=_rpr(colour, highlight=segment.reopened)))
            note = status_note(joint, segment)
            if note and (segment.options or segment.reopened):
                p.append(ooxml.text_run(f" ({note})", rpr=_rpr("#5f6b7a", small=True)))
        word.append(p)
    return word.save()
