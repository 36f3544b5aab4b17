"""Note blocks written as real Word footnotes and endnotes: the token that stands for a
note in a block's text ("[^1]", "[^ei]") becomes a w:footnoteReference or
w:endnoteReference run, and the note its w:footnote or w:endnote in word/footnotes.xml or
word/endnotes.xml, after the two separators Word expects (ECMA-376 Part 1, 17.11). Word
numbers them itself, in its default formats. A note no text refers to stays a paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from ..model import ENDNOTE, Block, Document
from . import ooxml
from .ooxml import W_NS, el, sub
from .word import WordDocument

TOKEN = re.compile(r"\[\^[^\s\[\]^]+\]")
_PARTS = {"footnote": ("/word/footnotes.xml", CT.WML_FOOTNOTES, RT.FOOTNOTES),
          ENDNOTE: ("/word/endnotes.xml", CT.WML_ENDNOTES, RT.ENDNOTES)}


def tokens(text: str) -> Iterator[str]:
    """The note tokens in a text."""
    return (m.group() for m in TOKEN.finditer(text)) if "[^" in text else iter(())


def reference_run(kind: str, note_id: str) -> etree._Element:
    """The superscript mark of note `note_id` (kind "footnote" or "endnote")."""
    run = el("w:r")
    sub(sub(run, "w:rPr"), "w:vertAlign", {"w:val": "superscript"})
    sub(run, f"w:{kind}Reference", {"w:id": note_id})
    return run


def split(text: str, deleted: bool, reference: Callable[[str], etree._Element | None]
          ) -> Iterator[tuple[int, etree._Element]]:
    """(offset, run) of the text, each note token for which `reference` gives a run that
    run, the rest text runs."""
    pos = 0
    for match in TOKEN.finditer(text) if "[^" in text else ():
        run = reference(match.group())
        if run is None:
            continue
        if match.start() > pos:
            yield pos, ooxml.text_run(text[pos:match.start()], deleted)
        yield match.start(), run
        pos = match.end()
    if pos < len(text):
        yield pos, ooxml.text_run(text[pos:], deleted)


def write_parts(word: WordDocument, notes: Iterable[tuple[str, str, list[etree._Element]]]
                ) -> None:
    """The notes parts, related to the main document: each note (kind, id, the runs of
    its text) one paragraph after its own mark."""
    notes = list(notes)
    for kind, (name, content_type, reltype) in _PARTS.items():
        mine = [(note_id, runs) for k, note_id, runs in notes if k == kind]
        if not mine:
            continue
        root = etree.Element(f"{{{W_NS}}}{kind}s", nsmap={"w": W_NS})
        for note_id, special in (("-1", "separator"), ("0", "continuationSeparator")):
            note = sub(root, f"w:{kind}", {"w:type": special, "w:id": note_id})
            sub(sub(note, "w:p"), "w:r").append(el(f"w:{special}"))
        for note_id, runs in mine:
            p = sub(sub(root, f"w:{kind}", {"w:id": note_id}), "w:p")
            mark = sub(p, "w:r")
            sub(sub(mark, "w:rPr"), "w:vertAlign", {"w:val": "superscript"})
            sub(mark, f"w:{kind}Ref")
            p.extend(runs)
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        package = word.doc.part.package
        word.doc.part.relate_to(Part(PackURI(name), content_type, data, package), reltype)


class WordNotes:
    """The note blocks of a document that its text refers to, by token."""

    def __init__(self, document: Document):
        notes = {b.label: b for b in document.blocks if b.note is not None}
        referred = {t for b in document.blocks if b.note is None for t in tokens(b.text)}
        self.notes = {label: block for label, block in notes.items() if label in referred}
        self.ids = {label: str(n) for n, label in enumerate(self.notes, 1)}

    def takes(self, block: Block) -> bool:
        """Whether the block is written as a note rather than as a paragraph."""
        return block.note is not None and self.notes.get(block.label) is block

    def runs(self, text: str, deleted: bool = False) -> Iterator[tuple[int, etree._Element]]:
        """(offset, run) of the text, each note token a reference run."""
        return split(text, deleted, self._reference)

    def _reference(self, token: str) -> etree._Element | None:
        block = self.notes.get(token)
        return None if block is None else reference_run(block.note or "", self.ids[token])

    def write(self, word: WordDocument) -> None:
        """The notes parts, related to the main document."""
        write_parts(word, ((b.note or "", self.ids[label],
                            [ooxml.text_run(" " + b.text if b.text else "")])
                           for label, b in self.notes.items()))
