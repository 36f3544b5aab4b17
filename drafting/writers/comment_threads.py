"""Replies and the done state of Word comments: word/commentsExtended.xml, which
python-docx does not write. Word (2013 and later) threads a reply under the comment it
answers when the reply's w15:commentEx names, as its paraIdParent, the w14:paraId of
the last paragraph of that comment; w15:done marks a comment resolved.

References: [MS-DOCX] 2.6.5 (commentsEx), 2.6.6 (commentEx); w14:paraId values are
8 hex digits below 0x80000000 ([MS-DOCX] 2.6.2.6, ST_LongHexNumber restricted).
"""

from __future__ import annotations

from docx.document import Document
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELATIONSHIP = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
PART_NAME = "/word/commentsExtended.xml"


class Threads:
    """The comments written so far, by key: their paragraph id, what each answers, and
    whether it is done."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str | None, bool]] = []  # para id, key, parent, done
        self.by_key: dict[str, str] = {}

    def add(self, comment: etree._Element, key: str, parent: str | None, done: bool) -> None:
        para_id = f"{len(self.rows) + 1:08X}"
        comment.findall(f"{{{W_NS}}}p")[-1].set(f"{{{W14}}}paraId", para_id)
        self.rows.append((para_id, key, parent, done))
        self.by_key.setdefault(key, para_id)

    def write(self, doc: Document) -> None:
        """commentsExtended.xml beside comments.xml, and comments.xml's w14 attributes
        declared ignorable (for a reader that knows only ECMA-376)."""
        if not self.rows:
            return
        comments = doc.part._comments_part.element
        comments.set(f"{{{MC}}}Ignorable", "w14")
        root = etree.Element(f"{{{W15}}}commentsEx", nsmap={"mc": MC, "w15": W15})
        root.set(f"{{{MC}}}Ignorable", "w15")
        for para_id, _, parent, done in self.rows:
            ex = etree.SubElement(root, f"{{{W15}}}commentEx")
            ex.set(f"{{{W15}}}paraId", para_id)
            if parent in self.by_key and self.by_key[parent] != para_id:
                ex.set(f"{{{W15}}}paraIdParent", self.by_key[parent])
            ex.set(f"{{{W15}}}done", "1" if done else "0")
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        part = Part(PackURI(PART_NAME), CONTENT_TYPE, blob, doc.part.package)
        doc.part.relate_to(part, RELATIONSHIP)
