"""The Word package every file we write is built on, and its bytes.

A file for the other side starts from python-docx's default template or from the user's
reference document (as pandoc's --reference-doc), reduced to what that option promises:
styles, numbering definitions, page setup (the final w:sectPr's size, margins, columns),
fonts and theme. Everything else is dropped: the template's or the reference's body,
headers, footers, comments, notes, macros, custom XML, thumbnail, properties, settings
such as an attached template or document variables, and every external relationship
(which Word would fetch when the other side opens our file). Settings are our own, with
the reference's few layout settings carried over.

`stamped_zip` is the one exit of every .docx the toolkit writes (package_bytes for the
files built on python-docx, and the redline written into a Word file): call it through the
module (docx_package.stamped_zip) so that the test suite's validator sees every file.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from lxml import etree

from ..errors import DraftingError

# what the main document part keeps of its template's relationships
KEPT_RELATIONSHIPS = (RT.STYLES, RT.NUMBERING, RT.FONT_TABLE, RT.THEME, RT.SETTINGS)
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# settings that shape the layout, carried over from a reference document, in schema order;
# None marks where our own zoom and compat go
_SETTINGS_ORDER = ("w:zoom", "w:mirrorMargins", "w:gutterAtTop", "w:defaultTabStop",
                   "w:autoHyphenation", "w:consecutiveHyphenLimit", "w:hyphenationZone",
                   "w:doNotHyphenateCaps", "w:characterSpacingControl", "w:compat",
                   "w:themeFontLang", "w:clrSchemeMapping", "w:decimalSymbol",
                   "w:listSeparator")
_W = nsdecls("w")
_OURS = {
    "w:zoom": f'<w:zoom {_W} w:percent="100"/>',
    "w:defaultTabStop": f'<w:defaultTabStop {_W} w:val="720"/>',
    "w:characterSpacingControl": f'<w:characterSpacingControl {_W} w:val="doNotCompress"/>',
    "w:compat": f'<w:compat {_W}><w:compatSetting w:name="compatibilityMode" '
                'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>',
}
# what kept parts lose: embedded fonts, picture bullets, revision-session ids
_REMOVED = {
    RT.FONT_TABLE: ("w:embedRegular", "w:embedBold", "w:embedItalic", "w:embedBoldItalic"),
    RT.NUMBERING: ("w:numPicBullet", "w:lvlPicBulletId"),
    RT.STYLES: ("w:rsid",),
}
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True)


def base_document(reference: Path | None) -> Document:
    """python-docx's default template or the reference document, reduced to styles,
    numbering, page setup, fonts and theme (the caller has already refused a hostile
    reference package)."""
    try:
        doc = docx.Document(str(reference)) if reference is not None else docx.Document()
    except Exception as e:  # python-docx raises several types for a broken package
        raise DraftingError(f"cannot use as reference document: {e}", reference) from None
    package, main = doc.part.package, doc.part
    _keep(package.rels, (RT.OFFICE_DOCUMENT,))  # core properties are made afresh
    _keep(main.rels, KEPT_RELATIONSHIPS)
    for rel in main.rels.values():
        part = rel.target_part
        _keep(part.rels, ())
        if rel.reltype == RT.SETTINGS:
            part._element = _settings(part.element)
        else:
            _edit(part, _REMOVED.get(rel.reltype, ()))
    body = doc.element.body
    sect = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sect:
            body.remove(child)
    if sect is not None:
        for child in list(sect):
            if child.tag in (qn("w:titlePg"), qn("w:sectPrChange")) or any(
                    k.startswith(f"{{{R_NS}}}") for k in child.attrib):
                sect.remove(child)  # header/footer references, printer settings
        for name in [k for k in sect.attrib if k.startswith(qn("w:rsid"))]:
            del sect.attrib[name]
    return doc


def _keep(rels, types: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """Drop every relationship not of `types`, and every external one."""
    for rId, rel in list(rels.items()):
        if rel.is_external or rel.reltype not in types:
            rels.pop(rId)
            rels._target_parts_by_rId.pop(rId, None)  # python-docx's own index of targets


def _strip(root: etree._Element, tags: tuple[str, ...]) -> None:
    for element in list(root.iter(*(qn(t) for t in tags))) if tags else []:
        element.getparent().remove(element)


def _edit(part: Part, tags: tuple[str, ...]) -> None:
    """Remove `tags` from a kept part, and every attribute that names a relationship (a
    theme's picture fill, say): the part has lost its relationships, and the schema makes
    such references optional. python-docx holds some parts as XML, others as bytes."""
    is_xml = isinstance(part, XmlPart)
    root = part.element if is_xml else etree.fromstring(part.blob, _SAFE)
    _strip(root, tags)
    for element in root.iter():
        for name in [k for k in element.attrib if k.startswith(f"{{{R_NS}}}")]:
            del element.attrib[name]
    if not is_xml:
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)


def _settings(source: etree._Element) -> etree._Element:
    """Our settings, with the reference's layout settings where it has them."""
    out = parse_xml(f"<w:settings {_W}/>")
    for tag in _SETTINGS_ORDER:
        theirs = None if tag in ("w:zoom", "w:compat") else source.find(qn(tag))
        if theirs is not None:
            out.append(copy.deepcopy(theirs))
        elif tag in _OURS:
            out.append(parse_xml(_OURS[tag]))
    return out


def package_bytes(doc: Document, moment: dt.datetime) -> bytes:
    """The saved package, its zip entries stamped with the revision's time, so that the
    same input gives the same bytes (python-docx stamps them with the clock)."""
    out = io.BytesIO()
    doc.save(out)
    with zipfile.ZipFile(out) as src:
        return stamped_zip([(info.filename, src.read(info.filename))
                            for info in src.infolist()], moment)


def stamped_zip(entries: list[tuple[str, bytes]], moment: dt.datetime) -> bytes:
    """A .docx of these parts, in this order, every entry stamped with `moment`: the one
    place every .docx we write leaves through (called through the module, so that the
    test suite's validator sees each)."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute,
             moment.second // 2 * 2)
    fixed_out = io.BytesIO()
    with zipfile.ZipFile(fixed_out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            fixed = zipfile.ZipInfo(name, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    return fixed_out.getvalue()
