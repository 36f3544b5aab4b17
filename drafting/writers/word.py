"""What the clean export and the redline share: the Word package (styles, multilevel
numbering, header and footer, properties), one paragraph per block, and deterministic bytes.

Styles come from a reference document when one is given (as pandoc's --reference-doc):
only the styles we use and lack are added. Articles and paragraphs are numbered by a real
Word multilevel list whose levels print exactly the labels the assembler computed; when a
document's labels cannot be produced that way (a text imported with odd numbering), the
labels are typed instead, so that what the reader sees is always our label.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from .. import wording
from ..errors import DraftingError
from ..model import ARTICLE_LEVEL, HEADING, ITEM, NUMBERED, PART_LEVEL, Block, bookmark_name
from . import ooxml

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
    """What the header, footer and document properties say."""

    title: str
    agreement: str
    side: str  # display name of the side whose text this is ("" for a file)
    revision: str  # "r3 5c53c5c2a6", or a file name
    time: str  # ISO time of the revision: the document's dates come from it, not the clock
    sides: tuple[str, ...] = ()
    status: str = "Draft for discussion"


def numbered_labels(blocks: tuple[Block, ...] | list[Block]) -> bool:
    """Whether our Word list, counting like Word does, prints every block's label."""
    parts = 0
    counters = [0, 0, 0]  # article, paragraph, item
    for block in blocks:
        where = LEVEL_OF.get((block.kind, block.level))
        if where is None or not block.label:
            if block.label:
                return False
            continue
        if where[0] == "parts":
            parts += 1
            ok = block.label == f"Part {wording.roman(parts)}"
        else:
            level = where[1]
            counters[level] += 1
            counters[level + 1:] = [0] * (2 - level)
            expected = (f"Article {counters[0]}" if level == 0 else
                        f"{counters[0]}.{counters[1]}" if level == 1 else
                        f"({wording.letter(counters[2])})")
            ok = (block.label if level == 0 else block.marker) == expected
        if not ok:
            return False
    return True


class WordDocument:
    def __init__(self, meta: Meta, reference: Path | None = None, auto_numbers: bool = True):
        self.meta = meta
        self.doc = _open(reference)
        self.body = self.doc.element.body
        self.ids = ooxml.Ids()
        self._style_ids: dict[str, str] = {}
        self._sect = self.body.find(qn("w:sectPr"))
        for child in list(self.body):
            if child is not self._sect:
                self.body.remove(child)
        self._ensure_styles()
        self.num_ids = self._add_numbering() if auto_numbers else {}
        self._header_footer()
        self._bookmarks: list[tuple[str, str, str | None, int | None, int]] = []

    # -- building blocks ----------------------------------------------------------------

    def append(self, element: etree._Element) -> None:
        if self._sect is not None:
            self._sect.addprevious(element)
        else:
            self.body.append(element)

    def paragraph(self, style: str, align: str | None = None) -> etree._Element:
        p = ooxml.el("w:p")
        ppr = ooxml.sub(p, "w:pPr")
        ooxml.sub(ppr, "w:pStyle", {"w:val": self.style_id(style)})
        if align:
            ooxml.sub(ppr, "w:jc", {"w:val": align})
        return p

    def block_paragraph(self, block: Block) -> tuple[etree._Element, list[etree._Element]]:
        """The paragraph for a block, and the runs that print its label when typed."""
        if block.kind == HEADING:
            style = STYLE_PART if block.level <= PART_LEVEL else STYLE_ARTICLE
            p = self.paragraph(style, "center")
        else:
            p = self.paragraph(STYLE_BODY, "both")
        ppr = p.find(qn("w:pPr"))
        where = LEVEL_OF.get((block.kind, block.level)) if block.label else None
        typed: list[etree._Element] = []
        if where is not None and self.num_ids:
            num = ooxml.sub(ppr, "w:numPr")
            ooxml.sub(num, "w:ilvl", {"w:val": str(where[1])})
            ooxml.sub(num, "w:numId", {"w:val": self.num_ids[where[0]]})
        elif block.label and block.kind == HEADING:
            typed = [ooxml.text_run(block.label)]
        elif block.marker:
            typed = [ooxml.text_run(block.marker + "\t")]
        if block.kind != HEADING:
            indent = {ITEM: 2 * TWIPS, NUMBERED: TWIPS}.get(block.level, 0)
            if block.label or block.level == ITEM:
                ooxml.sub(ppr, "w:ind", {"w:left": str(indent), "w:hanging": str(TWIPS)})
        return p, typed

    @staticmethod
    def heading_break(block: Block) -> list[etree._Element]:
        """A heading prints "Article 3", then its title on a line of its own."""
        if block.kind == HEADING and block.text and block.label:
            return [ooxml.el("w:r", None, ooxml.el("w:br"))]
        return []

    def bookmark(self, block: Block) -> tuple[etree._Element, etree._Element]:
        name = bookmark_name(block.id)
        self._bookmarks.append((name, block.id, block.clause, block.edition, block.level))
        return ooxml.bookmark(self.ids, name)

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
        props = self.doc.core_properties
        moment = _moment(self.meta.time)
        props.title = self.meta.title
        props.subject = self.meta.agreement
        props.author = props.last_modified_by = self.meta.side or "drafting"
        props.created = props.modified = moment
        props.last_printed = moment
        props.revision = 1
        props.comments = f"{self.meta.status}; {self.meta.revision}"
        props.keywords = "drafting"
        out = io.BytesIO()
        self.doc.save(out)
        return _fixed_zip(out.getvalue(), moment)

    def _ids_part(self) -> None:
        """Bookmark -> block id, for readers that meet this file again."""
        if not self._bookmarks:
            return
        package = self.doc.part.package
        name = package.next_partname("/customXml/item%d.xml")
        part = Part(name, "application/xml", ooxml.ids_part_xml(self._bookmarks), package)
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
                    ooxml.sub(style.element.get_or_add_pPr(), "w:outlineLvl",
                              {"w:val": "0" if name == STYLE_PART else "1"})
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
        who = f" — {meta.side}" if meta.side else ""
        fp._p.append(ooxml.text_run(f"{meta.agreement}{who} — {meta.revision} — page "))
        fp._p.extend(ooxml.field("PAGE", "1"))
        fp._p.append(ooxml.text_run(" of "))
        fp._p.extend(ooxml.field("NUMPAGES", "1"))


def _empty_paragraph(part):  # type: ignore[no-untyped-def]
    """The first paragraph of a header or footer of our own, emptied of a reference
    document's content."""
    part.is_linked_to_previous = False
    paragraph = part.paragraphs[0] if part.paragraphs else part.add_paragraph()
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    return paragraph


def _open(reference: Path | None) -> docx.document.Document:
    """python-docx's default template, or the user's reference document (whose package the
    caller has already checked for hostile content)."""
    if reference is None:
        return docx.Document()
    try:
        return docx.Document(str(reference))
    except Exception as e:  # python-docx raises several types for a broken package
        raise DraftingError(f"cannot use as reference document: {e}", reference) from None


def _moment(time: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(time.replace("Z", "+00:00"))
    except ValueError:
        moment = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)


def word_date(time: str) -> str:
    """w:date form: seconds precision, UTC."""
    return _moment(time).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fixed_zip(data: bytes, moment: dt.datetime) -> bytes:
    """Rewrite the package with fixed entry times, so that the same input gives the same
    bytes (python-docx stamps entries with the current time)."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute,
             moment.second // 2 * 2)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
