"""Joint negotiating text as a Word document: each party's proposals in that party's
colour, changes that reopen agreed text highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from ..model import Block
from ..negotiate.joint import JointText
from . import ooxml
from .joint import (
    EMPTY,
    block_groups,
    block_note,
    colour,
    label,
    segment_note,
    spacing,
    summary_lines,
)
from .word import STYLE_NOTE, Meta, WordDocument

Wording = str | list[etree._Element]  # a party's text, or for a whole block its runs


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


def _note_run(note: str) -> etree._Element:
    return ooxml.text_run(f" ({note})", rpr=_rpr("#5f6b7a", small=True))


def _alternatives(joint: JointText, groups: Sequence[tuple[tuple[str, ...], Wording]],
                  reopened: bool) -> list[etree._Element]:
    """Runs for one set of alternatives: "[", the parties' names (bold, each in its
    colour), the wording, "]". A wording of one party is wholly in its colour; a wording
    several propose is in plain text. A wording is text or, for a whole block, runs."""
    runs = []
    for members, wording in groups:
        own = colour(joint, members[0]) if len(members) == 1 else None
        runs.append(ooxml.text_run("[", rpr=_rpr(own, highlight=reopened)))
        for n, member in enumerate(members):
            name = joint.tag(member) + (", " if n < len(members) - 1 else ": ")
            runs.append(ooxml.text_run(name, rpr=_rpr(colour(joint, member), bold=True,
                                                      highlight=reopened)))
        if isinstance(wording, str) or not wording:
            runs.append(ooxml.text_run(f"{wording.strip() or EMPTY}]",
                                       rpr=_rpr(own, highlight=reopened)))
        else:
            runs += wording
            runs.append(ooxml.text_run("]", rpr=_rpr(own, highlight=reopened)))
    return runs


def render(joint: JointText, meta: Meta, refs: Sequence[str], base_ref: str | None = None,
           reference: Path | None = None) -> bytes:
    word = WordDocument(meta, reference, auto_numbers=False)
    word.front_matter([])
    for line in summary_lines(joint, refs, base_ref):
        note = word.paragraph(STYLE_NOTE)
        note.append(ooxml.text_run(line, rpr=_rpr(small=True, bold=line.startswith("WARN"))))
        word.append(note)
    for block in joint.blocks:
        version = block.versions[block.lead]
        marker, heading = label(joint, block)
        shown = Block(version.kind, version.level, version.id, marker if heading else "",
                      "", version.clause, version.edition)
        p, typed = word.block_paragraph(shown)
        if not heading and marker:
            typed = [ooxml.text_run(marker + "\t")]
        p.extend(typed)
        if heading and marker and any(s.text.strip() or s.options for s in block.segments):
            p.append(ooxml.el("w:r", None, ooxml.el("w:br")))
        runs = []
        for segment in block.segments:
            if not segment.options:
                runs.append(ooxml.text_run(segment.text))
            before, after = spacing(segment)
            if before:
                runs.append(ooxml.text_run(before))
            runs += _alternatives(joint, segment.groups(), segment.reopened)
            note = segment_note(joint, segment)
            if note:
                runs.append(_note_run(note))
            if after:
                runs.append(ooxml.text_run(after))
        if block.absent(joint.keys):
            whole = block.segments[0].text if len(block.versions) == 1 else runs
            runs = _alternatives(joint, [(m, whole if has else "") for m, has in
                                         block_groups(joint, block)], block.reopened)
            note = block_note(joint, block)
            if note:
                runs.append(_note_run(note))
        p.extend(runs)
        word.append(p)
    return word.save()
