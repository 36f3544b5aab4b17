"""Note blocks written as real Word footnotes and endnotes: the token that stands for a
note in a block's text ("[^1]", "[^ei]") becomes a w:footnoteReference or
w:endnoteReference run, and the note its w:footnote or w:endnote in word/footnotes.xml or
word/endnotes.xml, after the two separators Word expects (ECMA-376 Part 1, 17.11). Word
numbers them itself, in its default formats. A note no text refers to stays a paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from ..model import ENDNOTE, Block, Document
from . import ooxml
from .ooxml import W_NS, el, sub
from .word import WordDocument

_TOKEN = re.compile(r"\[\^[^\s\[\]^]+\]")
_PARTS = {"footnote": ("/word/footnotes.xml", CT.WML_FOOTNOTES, RT.FOOTNOTES),
          ENDNOTE: ("/word/endnotes.xml", CT.WML_ENDNOTES, RT.ENDNOTES)}


class WordNotes:
    """The note blocks of a document that its text refers to, by token."""

    def __init__(self, document: Document):
        notes = {b.label: b for b in document.blocks if b.note is not None}
        referred = {m.group() for b in document.blocks if b.note is None and "[^" in b.text
                    for m in _TOKEN.finditer(b.text)}
        self.notes = {label: block for label, block in notes.items() if label in referred}
        self.ids = {label: str(n) for n, label in enumerate(self.notes, 1)}

    def takes(self, block: Block) -> bool:
        """Whether the block is written as a note rather than as a paragraph."""
        return block.note is not None and self.notes.get(block.label) is block

    def runs(self, text: str, deleted: bool = False) -> Iterator[tuple[int, etree._Element]]:
        """(offset, run) of the text, each note token a reference run."""
        pos = 0
        for match in _TOKEN.finditer(text) if "[^" in text else ():
            block = self.notes.get(match.group())
            if block is None:
                continue
            if match.start() > pos:
                yield pos, ooxml.text_run(text[pos:match.start()], deleted)
            run = el("w:r")
            sub(sub(run, "w:rPr"), "w:vertAlign", {"w:val": "superscript"})
            sub(run, f"w:{block.note}Reference", {"w:id": self.ids[match.group()]})
            yield match.start(), run
            pos = match.end()
        if pos < len(text):
            yield pos, ooxml.text_run(text[pos:], deleted)

    def write(self, word: WordDocument) -> None:
        """The notes parts, related to the main document."""
        for kind, (name, content_type, reltype) in _PARTS.items():
            mine = [(self.ids[label], b) for label, b in self.notes.items() if b.note == kind]
            if not mine:
                continue
            root = etree.Element(f"{{{W_NS}}}{kind}s", nsmap={"w": W_NS})
            for note_id, special in (("-1", "separator"), ("0", "continuationSeparator")):
                note = sub(root, f"w:{kind}", {"w:type": special, "w:id": note_id})
                sub(sub(note, "w:p"), "w:r").append(el(f"w:{special}"))
            for note_id, block in mine:
                p = sub(sub(root, f"w:{kind}", {"w:id": note_id}), "w:p")
                mark = sub(p, "w:r")
                sub(sub(mark, "w:rPr"), "w:vertAlign", {"w:val": "superscript"})
                sub(mark, f"w:{kind}Ref")
                p.append(ooxml.text_run(" " + block.text if block.text else ""))
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                  standalone=True)
            package = word.doc.part.package
            word.doc.part.relate_to(Part(PackURI(name), content_type, data, package), reltype)
