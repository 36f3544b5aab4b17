"""`--reference-doc` takes styles, numbering definitions, page setup, fonts and theme, and
nothing else: no header text, comments, macros, properties or external relationships of
the reference end up in our file; hostile reference documents are refused in one line."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import built_example, rewrite_zip, zip_part
from docx.shared import Cm, Pt

from drafting.cli import main
from drafting.reference_doc import MAX_RELATIONSHIPS

RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    return built_example(tmp_path_factory.mktemp("refdoc") / "ws")


def _base() -> bytes:
    doc = docx.Document()
    doc.styles["Normal"].font.name = "Garamond"
    doc.styles["Normal"].font.size = Pt(12.5)
    doc.sections[0].left_margin = Cm(3.3)
    doc.sections[0].header.paragraphs[0].text = "SECRET HEADER OF THE REFERENCE"
    doc.add_paragraph("Reference body: internal instructions")
    doc.core_properties.author = "Reference Author"
    doc.core_properties.category = "Internal category"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _with_rels(data: bytes, extra: str) -> bytes:
    rels = zip_part(data, "word/_rels/document.xml.rels").decode()
    return rewrite_zip(data, {"word/_rels/document.xml.rels":
                           rels.replace("</Relationships>", extra + "</Relationships>").encode()})


def hostile_contents(data: bytes) -> bytes:
    """A reference with comments, a macro part, a remote image, an attached template on a
    file share, document variables and a custom property, besides header text."""
    data = _with_rels(data, (
        f'<Relationship Id="rIdC1" Type="{RELS}/comments" Target="comments.xml"/>'
        '<Relationship Id="rIdV1" Type="http://schemas.microsoft.com/office/2006/relationships/'
        'vbaProject" Target="vbaProject.bin"/>'
        f'<Relationship Id="rIdX1" Type="{RELS}/image" Target="http://tracker.example/p.png" '
        'TargetMode="External"/>'))
    settings = zip_part(data, "word/settings.xml").decode()
    settings = re.sub(r"(<w:zoom[^>]*/>)", r'\1<w:attachedTemplate r:id="rIdT1"/>', settings)
    settings = settings.replace("<w:rsids>", '<w:docVars><w:docVar w:name="negotiator_note" '
                                'w:val="fallback position: 60 days"/></w:docVars><w:rsids>')
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    types = zip_part(data, "[Content_Types].xml").decode().replace("</Types>", (
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.comments+xml"/></Types>'))
    return rewrite_zip(data, {
        "[Content_Types].xml": types.encode(),
        "word/settings.xml": settings.encode(),
        "word/_rels/settings.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rIdT1" '
            f'Type="{RELS}/attachedTemplate" Target="file://share.example/templates/t.dotm" '
            'TargetMode="External"/></Relationships>').encode(),
        "word/comments.xml": (f'<?xml version="1.0"?><w:comments xmlns:w="{w}"><w:comment '
                              'w:id="0" w:author="Reviewer"><w:p><w:r><w:t>REVIEWER-REMARK '
                              'we cannot accept Kangson</w:t></w:r></w:p></w:comment>'
                              '</w:comments>').encode(),
        "word/vbaProject.bin": b"MACRO-BYTES-AutoOpen",
    })


def export(ws: Path, reference: Path, *args: str):
    out = reference.parent / "out.docx"
    out.unlink(missing_ok=True)
    r = CliRunner().invoke(main, ["-C", str(ws), *args, "-o", str(out), "--reference-doc",
                                  str(reference)])
    return r, out


def test_reference_gives_styles_page_setup_fonts_and_theme_only(ws, tmp_path):
    reference = tmp_path / "ref.docx"
    reference.write_bytes(hostile_contents(_base()))
    for args in (("export", "phased-agreement@us"),
                 ("diff", "phased-agreement@us", "phased-agreement@dprk", "--format", "docx")):
        r, out = export(ws, reference, *args)
        assert r.exit_code in (0, 1), r.output
        data = out.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            everything = b"".join(z.read(n) for n in names)
        assert b"Garamond" in zip_part(data, "word/styles.xml")  # styles taken
        assert b'w:left="1871"' in zip_part(data, "word/document.xml")  # 3.3 cm margin taken
        assert "word/theme/theme1.xml" in names and "word/fontTable.xml" in names
        for leaked in (b"SECRET HEADER", b"Reference body", b"Reference Author",
                       b"Internal category", b"REVIEWER-REMARK", b"MACRO-BYTES", b"vbaProject",
                       b"tracker.example", b"share.example", b"attachedTemplate",
                       b"negotiator_note", b'TargetMode="External"', b"comments"):
            assert leaked not in everything, (args[0], leaked)
        assert not {n for n in names if "comments" in n or n.endswith(".bin")}


def test_a_macro_enabled_reference_is_refused_in_one_line(ws, tmp_path):
    data = _base()
    types = zip_part(data, "[Content_Types].xml").decode().replace(
        "wordprocessingml.document.main+xml", "ms-word.document.macroEnabled.main+xml")
    reference = tmp_path / "macro.docx"
    reference.write_bytes(rewrite_zip(data, {"[Content_Types].xml": types.encode()}))
    r, out = export(ws, reference, "export", "phased-agreement@us")
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    assert "cannot use as reference document" in r.output and not out.exists()


@pytest.mark.parametrize("case, message", [
    ("duplicate styles", "word/document.xml has more than one styles relationship"),
    ("styles at document.xml", "its styles relationship points at word/document.xml, which "
     "is not a styles part"),
    ("styles at a missing part", "its styles relationship points at word/nothing.xml, which "
     "is not a styles part"),
    ("500,000 relationships", f"word/_rels/document.xml.rels has more than "
     f"{MAX_RELATIONSHIPS:,} relationships"),
])
def test_hostile_reference_documents_are_refused_in_one_line(ws, tmp_path, case, message):
    data = _base()
    rels = zip_part(data, "word/_rels/document.xml.rels").decode()
    if case == "duplicate styles":
        data = _with_rels(data, f'<Relationship Id="rIdS2" Type="{RELS}/styles" '
                          'Target="styles.xml"/>')
    elif case == "500,000 relationships":
        data = _with_rels(data, "".join(
            f'<Relationship Id="rIdH{n}" Type="{RELS}/hyperlink" Target="http://x.example/{n}" '
            'TargetMode="External"/>' for n in range(500_000)))
    else:
        target = "document.xml" if "document" in case else "nothing.xml"
        data = rewrite_zip(data, {"word/_rels/document.xml.rels": re.sub(
            r'(Type="[^"]*/styles" Target=")styles.xml', rf"\g<1>{target}", rels).encode()})
    reference = tmp_path / "hostile.docx"
    reference.write_bytes(data)
    r, out = export(ws, reference, "export", "phased-agreement@us")
    assert r.exit_code == 2, r.output
    assert r.output.strip() == \
        f"draft: error: {reference}: refused as reference document: {message}"
    assert not out.exists()


@pytest.mark.parametrize("extra, refused", [(0, False), (1, True)])
def test_relationship_limit_just_under_and_just_over(ws, tmp_path, extra, refused):
    data = _base()
    have = zip_part(data, "word/_rels/document.xml.rels").count(b"<Relationship ")
    data = _with_rels(data, "".join(
        f'<Relationship Id="rIdH{n}" Type="{RELS}/hyperlink" Target="http://x.example/{n}" '
        'TargetMode="External"/>' for n in range(MAX_RELATIONSHIPS - have + extra)))
    reference = tmp_path / "many.docx"
    reference.write_bytes(data)
    r, out = export(ws, reference, "export", "phased-agreement@us")
    if refused:
        assert r.exit_code == 2 and "more than 10,000 relationships" in r.output
    else:
        assert r.exit_code == 0, r.output
        assert b"x.example" not in b"".join(
            zipfile.ZipFile(out).read(n) for n in zipfile.ZipFile(out).namelist())
