"""Word files with reviewers' comments, built as Word builds them: python-docx 1.2's
comments API for the comments and their ranges, and word/commentsExtended.xml (which
python-docx does not write) for replies and the done state, with the w14:paraId of each
comment's last paragraph, its relationship and its content type."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from pathlib import Path

import docx
from conftest import rewrite_zip, zip_part
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"


@dataclass(frozen=True)
class Note:
    paragraph: int  # index of the paragraph it is on
    words: str  # the words it quotes (must be in that paragraph)
    author: str
    text: str
    answers: int | None = None  # index of the Note this one answers (same words)
    done: bool = False


def build(path: Path, title: str, paragraphs: list[str], notes: list[Note]) -> Path:
    """A Word file: a title, then one paragraph per text, each commented where `notes`
    say (one run per quoted piece, so that a comment starts and ends on run edges)."""
    doc = docx.Document()
    doc.settings.element.find(f"{{{W}}}zoom").set(f"{{{W}}}percent", "100")  # as Word has it
    doc.add_heading(title, 0)
    for n, text in enumerate(paragraphs):
        mine = [x for x in notes if x.paragraph == n]
        cuts = sorted({c for x in mine for c in _span(text, x.words)} | {0, len(text)})
        p = doc.add_paragraph()
        runs = {a: p.add_run(text[a:b]) for a, b in itertools.pairwise(cuts)}
        for note in mine:
            start, end = _span(text, note.words)
            last = max(a for a in runs if a < end)
            comment = doc.add_comment([runs[start], runs[last]], text=note.text,
                                      author=note.author, initials=note.author[:1])
            comment._comment_elm.date = None
    out = io.BytesIO()
    doc.save(out)
    path.write_bytes(_threaded(out.getvalue(), notes) if notes else out.getvalue())
    return path


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _threaded(data: bytes, notes: list[Note]) -> bytes:
    """The comments' paragraph ids and word/commentsExtended.xml, as Word 2013+ writes."""
    comments = etree.fromstring(zip_part(data, "word/comments.xml"))
    comments.set(f"{{{MC}}}Ignorable", "w14")
    order = sorted(range(len(notes)), key=lambda i: (notes[i].paragraph, i))
    para_ids = {}
    for element, index in zip(comments.findall(f"{{{W}}}comment"), order, strict=True):
        para_ids[index] = f"{0x1A2B0000 + index:08X}"
        element.findall(f"{{{W}}}p")[-1].set(f"{{{W14}}}paraId", para_ids[index])
    extended = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15, "mc": MC})
    extended.set(f"{{{MC}}}Ignorable", "w15")
    for index in order:
        ex = etree.SubElement(extended, f"{{{W15}}}commentEx")
        ex.set(f"{{{W15}}}paraId", para_ids[index])
        if notes[index].answers is not None:
            ex.set(f"{{{W15}}}paraIdParent", para_ids[notes[index].answers])
        ex.set(f"{{{W15}}}done", "1" if notes[index].done else "0")
    rels = etree.fromstring(zip_part(data, "word/_rels/document.xml.rels"))
    etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id="rIdCommentsEx", Type=(
        "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"),
        Target="commentsExtended.xml")
    types = etree.fromstring(zip_part(data, "[Content_Types].xml"))
    etree.SubElement(types, f"{{{CT}}}Override", PartName="/word/commentsExtended.xml",
                     ContentType="application/vnd.openxmlformats-officedocument."
                     "wordprocessingml.commentsExtended+xml")
    return rewrite_zip(data, {name: etree.tostring(root, xml_declaration=True,
                                                   encoding="UTF-8", standalone=True)
                              for name, root in (("word/comments.xml", comments),
                                                 ("word/commentsExtended.xml", extended),
                                                 ("word/_rels/document.xml.rels", rels),
                                                 ("[Content_Types].xml", types))})
