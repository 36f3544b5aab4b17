"""What the clean export and the redline share: the Word package (styles, multilevel
numbering, header and footer, properties), one paragraph per block, and deterministic bytes.

Styles come from a reference document when one is given (as pandoc's --reference-doc):
only the styles we use and lack are added. Articles and paragraphs are numbered by a real
Word multilevel list whose levels print exactly the labels the assembler computed; when a
document's labels cannot be produced that way (a text imported with odd numbering), the
labels are typed instead, so that what the reader sees is always our label.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.text.run import Run
from lxml import etree

from .. import links, wording
from ..model import (
    ARTICLE_LEVEL,
    HEADING,
    ITEM,
    NUMBERED,
    PART_LEVEL,
    Block,
    Comment,
    bookmark_name,
)
from . import comment_threads, docx_package, ooxml

STYLE_TITLE, STYLE_SUBTITLE = "Title", "Subtitle"
STYLE_PART, STYLE_ARTICLE = "Heading 1", "Heading 2"
STYLE_BODY = "Body Text"
STYLE_NOTE = "Drafting Note"  # front matter: status line and summary; not agreement text
FRONT_MATTER_STYLES = (STYLE_SUBTITLE, STYLE_NOTE)
# (list, ilvl) of each kind of numbered block: Parts have a list of their own, so that
# nothing restarts the Articles' count (LibreOffice's REF fields ignore w:lvlRestart).
LEVEL_OF = {("heading", PART_LEVEL): ("parts", 0), ("heading", ARTICLE_LEVEL): ("articles", 0),
            ("paragraph", NUMBERED): ("articles", 1), ("paragraph", ITEM): ("articles", 2)}
TWIPS = 720  # half an inch of indent per level


@dataclass(frozen=True)
class Meta:
    """What the header, footer and document properties say, and how block ids travel."""

    title: str
    agreement: str  # the agreement's folder name, in our own copies only ("" otherwise)
    side: str  # display name of the side whose text this is ("" for a file)
    revision: str  # "r3 5c53c5c2a6", or a file name
    time: str  # ISO time of the revision: the document's dates come from it, not the clock
    sides: tuple[str, ...] = ()
    status: str = "Draft for discussion"
    id_key: bytes | None = None  # the workspace's key for block-id tokens (idkey.py)
    internal: bool = False  # our own team's copy: block ids, clauses and editions readable


def numbered_labels(blocks: tuple[Block, ...] | list[Block]) -> bool:
    """Whether our Word list, counting like Word does, prints every block's label."""
    parts = 0
    counters = [0, 0, 0]  # article, paragraph, item
    for block in blocks:
        where = LEVEL_OF.get((block.kind, block.level))
        if where is None or not block.label:
            if block.marker:
                return False
            continue
        if where[0] == "parts":
            parts += 1
            ok = block.marker == f"Part {wording.roman(parts)}"
        else:
            level = where[1]
            counters[level] += 1
            counters[level + 1:] = [0] * (2 - level)
            expected = (f"Article {counters[0]}" if level == 0 else
                        f"{counters[0]}.{counters[1]}" if level == 1 else
                        f"({wording.letter(counters[2])})")
            ok = block.marker == expected
        if not ok:
            return False
    return True


class WordDocument:
    def __init__(self, meta: Meta, reference: Path | None = None, auto_numbers: bool = True):
        self.meta = meta
        self.doc = docx_package.base_document(reference)
        self.body = self.doc.element.body
        self.ids = ooxml.Ids()
        self._style_ids: dict[str, str] = {}
        self._pprs: dict[tuple[object, ...], etree._Element] = {}
        self._sect = self.body.find(qn("w:sectPr"))
        self._ensure_styles()
        self.num_ids = self._add_numbering() if auto_numbers else {}
        self._header_footer()
        self._bookmarks: list[tuple[str, str, str | None, int | None, int]] = []
        self._threads = comment_threads.Threads()
        self._comment_shape: _CommentShape | None = None
        self._link_rids: dict[str, str] | None = None  # address -> rId, made at first link
        self._free_rid = 1  # no rIdN below this is free

    # -- building blocks ----------------------------------------------------------------

    def append(self, element: etree._Element) -> None:
        """Put a paragraph or table into the body (ooxml.adopt: a table python-docx made
        is in the body's document already, a paragraph we built is not)."""
        ooxml.adopt(element, self._sect.addprevious if self._sect is not None else
                    self.body.append, self.doc.element)

    def paragraph(self, style: str, align: str | None = None,
                  numbering: tuple[int, int] | None = None,
                  indent: tuple[int, int] | None = None) -> etree._Element:
        """A paragraph with its properties: style, list level and number, (left, hanging)
        indent, justification. Each distinct set is built once with python-docx's
        get_or_add_* methods, which keep the schema's order, and copied after (fast)."""
        key = (style, align, numbering, indent)
        proto = self._pprs.get(key)
        if proto is None:
            proto = ooxml.el("w:pPr")
            proto.get_or_add_pStyle().val = self.style_id(style)
            if numbering is not None:
                num = proto.get_or_add_numPr()
                num.get_or_add_ilvl().val, num.get_or_add_numId().val = numbering
            if indent is not None:
                ind = proto.get_or_add_ind()
                ind.left, ind.hanging = Twips(indent[0]), Twips(indent[1])
            if align:
                proto.get_or_add_jc().set(qn("w:val"), align)
            self._pprs[key] = proto
        p = ooxml.el("w:p")
        p.append(copy.deepcopy(proto))
        return p

    def block_paragraph(self, block: Block) -> tuple[etree._Element, list[etree._Element]]:
        """The paragraph for a block, and the runs that print its label when typed."""
        heading = block.kind == HEADING
        where = LEVEL_OF.get((block.kind, block.level)) if block.label else None
        typed: list[etree._Element] = []
        numbering = None
        if where is not None and self.num_ids:
            numbering = (where[1], int(self.num_ids[where[0]]))
        elif block.marker and heading:
            typed = [ooxml.text_run(block.marker)]
        elif block.marker:
            typed = [ooxml.text_run(block.marker + "\t")]
        indent = None
        if not heading and (block.label or block.level == ITEM):
            indent = ({ITEM: 2 * TWIPS, NUMBERED: TWIPS}.get(block.level, 0), TWIPS)
        if heading:
            style = STYLE_PART if block.level <= PART_LEVEL else STYLE_ARTICLE
            return self.paragraph(style, "center", numbering), typed
        return self.paragraph(STYLE_BODY, "both", numbering, indent), typed

    @staticmethod
    def heading_break(block: Block) -> list[etree._Element]:
        """A heading prints "Article 3", then its title on a line of its own."""
        if block.kind == HEADING and block.text and block.marker:
            return [ooxml.el("w:r", None, ooxml.el("w:br"))]
        return []

    def hyperlink(self, address: str) -> dict[str, str] | None:
        """A w:hyperlink's attributes: "#name" is a place in the document (w:anchor), any
        other address an external relationship (written, never opened); None for a link
        this file may not carry (links.py): its text is written without it."""
        if not links.written(address, self.meta.internal):
            return None
        if address.startswith("#"):
            return {"w:anchor": address[1:]}
        return {"r:id": self._link_rid(address)}

    def _link_rid(self, address: str) -> str:
        """The id of the external relationship to `address`, added the first time: the one
        python-docx's relate_to gives (the lowest free rIdN), found without its scan of every
        relationship per call (quadratic: 10,000 links took 23 s to write). Nothing removes a
        relationship while the document is written, so the lowest free N only grows."""
        rels = self.doc.part.rels
        if self._link_rids is None:
            self._link_rids = {}
            for rel in rels.values():
                if rel.is_external and rel.reltype == RT.HYPERLINK:
                    self._link_rids.setdefault(rel.target_ref, rel.rId)
        rid = self._link_rids.get(address)
        if rid is None:
            while f"rId{self._free_rid}" in rels:
                self._free_rid += 1
            rid = f"rId{self._free_rid}"
            rels.add_relationship(RT.HYPERLINK, address, rid, is_external=True)
            self._link_rids[address] = rid
        return rid

    def token(self, block_id: str) -> str:
        """The bookmark name that stands for a block id in this file."""
        return bookmark_name(block_id, self.meta.id_key)

    def bookmark(self, block: Block) -> tuple[etree._Element, etree._Element]:
        name = self.token(block.id)
        self._bookmarks.append((name, block.id, block.clause, block.edition, block.level))
        return ooxml.bookmark(self.ids, name)

    def comment(self, first: etree._Element, last: etree._Element, comment: Comment,
                key: str, parent: str | None = None) -> None:
        """A Word comment on the runs from `first` to `last`, dated as the reviewer dated
        it, not by the clock. `key` names it for the replies that answer it (`parent`: the
        key of the one it answers). The first comment of a file is made with python-docx's
        comments API; later ones of a single paragraph are copies of it with their own id,
        author and text (a tenth of the time, which a file of hundreds of comments shows)."""
        shape = self._comment_shape
        if shape is None or not _one_line(comment.text):
            made = self.doc.add_comment([Run(first, None), Run(last, None)],
                                        text=comment.text, author=comment.author or "Reviewer",
                                        initials=comment.initials or None)
            element = made._comment_elm
            if shape is not None:  # python-docx took the next free id
                shape.next_id = max(shape.next_id, int(element.get(qn("w:id"))) + 1)
            elif _one_line(comment.text):
                self._comment_shape = _CommentShape(element, first, last)
        else:
            element = self._comment_shape.copy(first, last, comment, self._comments_xml())
        if comment.date:
            element.set(qn("w:date"), word_date(comment.date))
        elif qn("w:date") in element.attrib:
            del element.attrib[qn("w:date")]
        self._threads.add(element, key, parent, comment.done)

    def _comments_xml(self) -> etree._Element:
        return self.doc.part._comments_part.element

    def front_matter(self, subtitle_lines: list[str]) -> None:
        title = self.paragraph(STYLE_TITLE, "center")
        title.append(ooxml.text_run(self.meta.title))
        self.append(title)
        for line in subtitle_lines:
            p = self.paragraph(STYLE_SUBTITLE, "center")
            p.append(ooxml.text_run(line))
            self.append(p)

    # -- package ------------------------------------------------------------------------

    def save(self) -> bytes:
        self._ids_part()
        self._threads.write(self.doc)
        props = self.doc.core_properties  # made afresh by docx_package.base_document
        moment = _moment(self.meta.time)
        props.title = self.meta.title
        props.created = props.modified = moment
        props.revision = 1
        # a file for the other side says its side and revision on its pages, not as
        # personal information in its properties (what draft inspect would flag)
        props.last_modified_by = ""
        if self.meta.internal:
            props.subject = self.meta.agreement
            props.author = props.last_modified_by = self.meta.side or "drafting"
            props.comments = f"{self.meta.status}; {self.meta.revision}"
        return docx_package.package_bytes(self.doc, moment)

    def _ids_part(self) -> None:
        """Bookmark -> paragraph level (which Word numbering cannot show), for readers
        that meet this file again; in our own team's copies also the block id, clause and
        edition, readable."""
        if not self._bookmarks:
            return
        rows = [(name, block_id, clause, edition, level) if self.meta.internal else
                (name, None, None, None, level)
                for name, block_id, clause, edition, level in self._bookmarks]
        package = self.doc.part.package
        name = package.next_partname("/customXml/item%d.xml")
        part = Part(name, "application/xml", ooxml.ids_part_xml(rows), package)
        self.doc.part.relate_to(part, RT.CUSTOM_XML)

    def style_id(self, name: str) -> str:
        """Looked up once per name: python-docx searches the styles part on each lookup."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    def _ensure_styles(self) -> None:
        styles = self.doc.styles
        for name, base in ((STYLE_TITLE, "Normal"), (STYLE_SUBTITLE, "Normal"),
                           (STYLE_PART, "Normal"), (STYLE_ARTICLE, "Normal"),
                           (STYLE_BODY, "Normal"), (STYLE_NOTE, "Normal")):
            try:
                styles[name]
            except KeyError:
                style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                style.base_style = styles[base]
                if name in (STYLE_PART, STYLE_ARTICLE):
                    style.font.bold = True
                    style.paragraph_format.keep_with_next = True
                    style.element.get_or_add_pPr().get_or_add_outlineLvl().val = (
                        0 if name == STYLE_PART else 1)
                if name == STYLE_NOTE:
                    style.font.size = Pt(9)
                    style.font.italic = True

    def _add_numbering(self) -> dict[str, str]:
        """Two lists: "Part %1" for Parts; "Article %1", "%1.%2", "(%3)" for the rest."""
        numbering = self.doc.part.numbering_part.element
        abstract_ids = [int(a.get(qn("w:abstractNumId")))
                        for a in numbering.findall(qn("w:abstractNum"))]
        num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        levels = {
            "parts": [ooxml.numbering_level(0, "upperRoman", "Part %1", suffix="nothing",
                                            justification="center")],
            "articles": [
                ooxml.numbering_level(0, "decimal", "Article %1", suffix="nothing",
                                      justification="center"),
                ooxml.numbering_level(1, "decimal", "%1.%2", indent=TWIPS, hanging=TWIPS),
                ooxml.numbering_level(2, "lowerLetter", "(%3)", indent=2 * TWIPS,
                                      hanging=TWIPS)],
        }
        out = {}
        first_num = numbering.find(qn("w:num"))
        for n, (name, defined) in enumerate(levels.items(), 1):
            abstract_id = str(max(abstract_ids, default=0) + n)
            num_id = str(max(num_ids, default=0) + n)
            abstract = ooxml.el("w:abstractNum", {"w:abstractNumId": abstract_id})
            ooxml.sub(abstract, "w:multiLevelType", {"w:val": "multilevel"})
            abstract.extend(defined)
            for ilvl in range(len(defined), 9):  # Word expects nine levels
                abstract.append(ooxml.numbering_level(ilvl, "none", ""))
            if first_num is not None:
                first_num.addprevious(abstract)  # every abstractNum precedes every w:num
            else:
                numbering.append(abstract)
            num = ooxml.el("w:num", {"w:numId": num_id})
            ooxml.sub(num, "w:abstractNumId", {"w:val": abstract_id})
            numbering.append(num)
            out[name] = num_id
        return out

    def _header_footer(self) -> None:
        section = self.doc.sections[0]
        meta = self.meta
        hp = _empty_paragraph(section.header)
        hp.alignment = 2  # right
        hp._p.append(ooxml.text_run(f"{meta.status.upper()} — not agreed text"))
        fp = _empty_paragraph(section.footer)
        fp.alignment = 1  # centre
        said = [part for part in (meta.agreement, meta.side, meta.revision) if part]
        fp._p.append(ooxml.text_run(" — ".join([*said, "page "])))
        fp._p.extend(ooxml.field("PAGE", "1"))
        fp._p.append(ooxml.text_run(" of "))
        fp._p.extend(ooxml.field("NUMPAGES", "1"))


def _one_line(text: str) -> bool:
    """A comment python-docx writes as one paragraph with one run of text."""
    return bool(text) and "\n" not in text and "\t" not in text


class _CommentShape:
    """A comment made by python-docx (its w:comment, range start and end, reference run),
    to copy for the next ones."""

    def __init__(self, element: etree._Element, first: etree._Element, last: etree._Element):
        start, end = first.getprevious(), last.getnext()
        self.parts = [copy.deepcopy(x) for x in (element, start, end, end.getnext())]
        self.next_id = int(element.get(qn("w:id"))) + 1

    def copy(self, first: etree._Element, last: etree._Element, comment: Comment,
             comments: etree._Element) -> etree._Element:
        element, start, end, reference = (copy.deepcopy(x) for x in self.parts)
        ident = str(self.next_id)
        self.next_id += 1
        element.set(qn("w:id"), ident)
        element.set(qn("w:author"), comment.author or "Reviewer")
        if comment.initials:
            element.set(qn("w:initials"), comment.initials)
        else:
            element.attrib.pop(qn("w:initials"), None)
        text = element.findall(f".//{qn('w:t')}")[-1]
        text.text = comment.text
        preserve = "{http://www.w3.org/XML/1998/namespace}space"
        if comment.text != comment.text.strip():
            text.set(preserve, "preserve")
        else:
            text.attrib.pop(preserve, None)
        comments.append(element)
        for marker in (start, end, reference.find(qn("w:commentReference"))):
            marker.set(qn("w:id"), ident)
        first.addprevious(start)
        last.addnext(reference)
        last.addnext(end)
        return element


def _empty_paragraph(part):  # type: ignore[no-untyped-def]
    """The first paragraph of a header or footer of our own (docx_package dropped the
    reference document's)."""
    part.is_linked_to_previous = False
    return part.paragraphs[0]


def _moment(time: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(time.replace("Z", "+00:00"))
    except ValueError:
        moment = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)


def word_date(time: str) -> str:
    """w:date form: seconds precision, UTC."""
    return _moment(time).strftime("%Y-%m-%dT%H:%M:%SZ")
