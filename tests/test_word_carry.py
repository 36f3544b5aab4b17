"""What a redline of two Word files copies from the older file (carry.py), attacked: the
older file's relationships of deleted content point outside the package, outside word/,
at parts that are missing, at file:// and UNC paths, or down a long chain of parts. Nothing
is read outside the package, no part is written outside word/, external web targets are
kept as links (never fetched) and flagged, links to files and shares withheld."""

from __future__ import annotations

import base64
import io
import itertools
import posixpath
import zipfile
from pathlib import Path

import docx
import docxcheck
import pytest
from conftest import rewrite_zip, zip_part
from lxml import etree

from drafting.wordcompare import redline_files
from drafting.wordcompare.carry import usable

PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
                       "DwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
HYPERLINK = f"{R}/hyperlink"


def _files(tmp_path: Path) -> tuple[bytes, bytes]:
    """An older file whose deleted paragraph holds a picture and a link; the newer file."""
    (tmp_path / "dot.png").write_bytes(PNG)
    old = docx.Document()
    old.add_paragraph("Kept.")
    p = old.add_paragraph("Gone: ")
    p.add_run().add_picture(str(tmp_path / "dot.png"))
    rid = old.part.relate_to("https://example.org/", HYPERLINK, is_external=True)
    link = etree.SubElement(p._p, f"{{{W}}}hyperlink", {f"{{{R}}}id": rid})
    etree.SubElement(etree.SubElement(link, f"{{{W}}}r"), f"{{{W}}}t").text = "a link"
    new = docx.Document()
    new.add_paragraph("Kept.")
    out = []
    for doc in (old, new):
        buffer = io.BytesIO()
        doc.settings.element.find(f"{{{W}}}zoom").set(f"{{{W}}}percent", "100")
        doc.save(buffer)
        out.append(buffer.getvalue())
    return out[0], out[1]


def _retarget(old: bytes, kind: str, target: str, external: bool = False,
              extra: dict[str, bytes] | None = None) -> bytes:
    rels = etree.fromstring(zip_part(old, "word/_rels/document.xml.rels"))
    for rel in rels.iter(f"{{{PKG}}}Relationship"):
        if rel.get("Type", "").endswith("/" + kind):
            rel.set("Target", target)
            if external:
                rel.set("TargetMode", "External")
    return rewrite_zip(old, {"word/_rels/document.xml.rels": etree.tostring(rels),
                             **(extra or {})})


def _redline(old: bytes, new: bytes):  # type: ignore[no-untyped-def]
    result = redline_files(old, new, "old.docx", "new.docx", "me")
    docxcheck.assert_valid(result.data, "redline")
    names = zipfile.ZipFile(io.BytesIO(result.data)).namelist()
    added = set(names) - set(zipfile.ZipFile(io.BytesIO(new)).namelist())
    assert all(usable(n.replace("_rels/", "").removesuffix(".rels")) for n in added), added
    return result, names


def test_a_picture_and_a_link_of_deleted_text_are_carried(tmp_path):
    old, new = _files(tmp_path)
    result, names = _redline(old, new)
    assert any(n.startswith("word/media/") for n in names)
    assert result.warnings == ()  # a web link is not flagged


@pytest.mark.parametrize("target, entry", [
    ("../../../etc/passwd", "../../etc/passwd"),  # a zip entry that climbs out
    ("/word/../x.png", "x.png"),  # absolute, at the package's root
    ("media/..\\..\\x.png", "word/media/..\\..\\x.png"),  # a backslash path
    ("_rels/document.xml.rels", None),  # a relationships part as a picture
])
def test_a_picture_target_outside_word_is_refused_not_copied(tmp_path, target, entry):
    old, new = _files(tmp_path)
    hostile = _retarget(old, "image", target, extra={entry: PNG} if entry else None)
    result, names = _redline(hostile, new)
    assert not any(n.startswith("word/media/") for n in names)
    assert entry is None or entry not in names
    if entry is not None:
        assert result.warnings == (f"old.docx: refused: the older file's relationship "
                                   f"target {_normalised(target)!r} is outside word/ "
                                   "(dropped)",)


def _normalised(target: str) -> str:
    return posixpath.normpath(target[1:] if target.startswith("/") else "word/" + target)


def test_a_missing_picture_part_leaves_no_dangling_id(tmp_path):
    old, new = _files(tmp_path)
    hostile = _retarget(old, "image", "media/nowhere.png")
    result, _ = _redline(hostile, new)
    body = etree.fromstring(zip_part(result.data, "word/document.xml"))
    blips = list(body.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))
    assert blips and all(f"{{{R}}}embed" not in b.attrib for b in blips)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "\\\\server\\share\\brief.docx",
                                    "file://server/share/x"])
def test_a_link_to_a_file_or_share_is_withheld_and_flagged(tmp_path, target):
    old, new = _files(tmp_path)
    hostile = _retarget(old, "hyperlink", target, external=True)
    result, _ = _redline(hostile, new)
    assert result.warnings == (
        f"old.docx: content brought in from the older file points at {target!r} "
        "(hyperlink, external): withheld, its text kept as plain text (it names a local "
        "file or runs script)",)
    rels = etree.fromstring(zip_part(result.data, "word/_rels/document.xml.rels"))
    assert not [r for r in rels.iter(f"{{{PKG}}}Relationship") if r.get("Target") == target]
    body = etree.fromstring(zip_part(result.data, "word/document.xml"))
    assert not list(body.iter(f"{{{W}}}hyperlink"))  # its text stays, as plain text
    assert "a link" in "".join(t.text for t in body.iter(f"{{{W}}}delText"))


def test_an_external_picture_is_withheld(tmp_path):
    """Word would fetch it on opening the redline (a tracking pixel)."""
    old, new = _files(tmp_path)
    hostile = _retarget(old, "image", "https://tracker.example/pixel.png", external=True)
    result, _ = _redline(hostile, new)
    assert result.warnings == (
        "old.docx: content brought in from the older file points at "
        "'https://tracker.example/pixel.png' (image, external): withheld (Word would fetch "
        "it on opening the redline)",)
    assert b"tracker" not in zip_part(result.data, "word/_rels/document.xml.rels")


def test_a_long_chain_of_related_parts_is_followed_without_recursion(tmp_path):
    """The picture's part relates to a part, which relates to the next, 1,200 deep (a
    recursive copy would overflow Python's stack), the last one missing."""
    old, new = _files(tmp_path)
    names = zipfile.ZipFile(io.BytesIO(old)).namelist()
    (image,) = [n for n in names if n.startswith("word/media/")]
    extra: dict[str, bytes] = {}
    chain = [image] + [f"word/media/c{k}.png" for k in range(1200)]
    for here, there in itertools.pairwise(chain):
        rels = etree.Element(f"{{{PKG}}}Relationships", nsmap={None: PKG})
        etree.SubElement(rels, f"{{{PKG}}}Relationship", Id="rId1", Type=f"{R}/image",
                         Target=there.rsplit("/", 1)[1])
        folder, base = here.rsplit("/", 1)
        extra[f"{folder}/_rels/{base}.rels"] = etree.tostring(rels)
        if there != chain[-1]:
            extra[there] = b"x"
    _, out = _redline(rewrite_zip(old, extra), new)
    assert sum(n.startswith("word/media/c") and not n.endswith(".rels") for n in out) == 1199


# -- a chart and its embedded workbook ------------------------------------------------------

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MACRO_BOOK = "application/vnd.ms-excel.sheet.macroEnabled.12"


def _charted(tmp_path: Path, book: str, declared: str) -> bytes:
    """The older file of _files with a chart in its deleted paragraph, whose data is the
    workbook `book` (a package relationship) declared as `declared`."""
    old, _ = _files(tmp_path)
    body = etree.fromstring(zip_part(old, "word/document.xml"))
    gone = next(p for p in body.iter(f"{{{W}}}p") if "".join(p.itertext()).startswith("Gone"))
    gone.append(etree.fromstring(
        f'<w:r xmlns:w="{W}"><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats'
        '.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="914400" cy="914400"/>'
        '<wp:docPr id="7" name="Chart 1"/><a:graphic xmlns:a="http://schemas.openxmlformats'
        f'.org/drawingml/2006/main"><a:graphicData uri="{C}"><c:chart xmlns:c="{C}" '
        f'xmlns:r="{R}" r:id="rIdChart"/></a:graphicData></a:graphic></wp:inline></w:drawing>'
        "</w:r>"))
    rels = etree.fromstring(zip_part(old, "word/_rels/document.xml.rels"))
    etree.SubElement(rels, f"{{{PKG}}}Relationship", Id="rIdChart", Type=f"{R}/chart",
                     Target="charts/chart1.xml")
    types = etree.fromstring(zip_part(old, "[Content_Types].xml"))
    for name, content_type in (("/word/charts/chart1.xml", "application/vnd.openxmlformats-"
                                "officedocument.drawingml.chart+xml"), (f"/word/{book}",
                                                                        declared)):
        etree.SubElement(types, f"{{{CT}}}Override", PartName=name, ContentType=content_type)
    chart = (f'<c:chartSpace xmlns:c="{C}" xmlns:r="{R}"><c:chart><c:plotArea><c:layout/>'
             '</c:plotArea></c:chart><c:externalData r:id="rId1"><c:autoUpdate val="0"/>'
             "</c:externalData></c:chartSpace>")
    chart_rels = (f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{R}/package" '
                  f'Target="../{book}"/></Relationships>')
    return rewrite_zip(old, {"word/document.xml": etree.tostring(body),
                             "word/_rels/document.xml.rels": etree.tostring(rels),
                             "[Content_Types].xml": etree.tostring(types),
                             "word/charts/chart1.xml": chart.encode(),
                             "word/charts/_rels/chart1.xml.rels": chart_rels.encode(),
                             f"word/{book}": b"PK\x05\x06" + bytes(18)})


def test_a_charts_workbook_is_carried_as_a_workbook(tmp_path):
    old = _charted(tmp_path, "embeddings/Book1.xlsx", WORKBOOK)
    result, names = _redline(old, _files(tmp_path)[1])
    assert result.warnings == ()
    assert "word/embeddings/Book1.xlsx" in names
    rels = etree.fromstring(zip_part(result.data, "word/charts/_rels/chart1.xml.rels"))
    assert [(r.get("Type"), r.get("Target")) for r in rels] == [
        (f"{R}/package", "../embeddings/Book1.xlsx")]
    chart = etree.fromstring(zip_part(result.data, "word/charts/chart1.xml"))
    assert chart.find(f"{{{C}}}externalData").get(f"{{{R}}}id") == rels[0].get("Id")
    types = etree.fromstring(zip_part(result.data, "[Content_Types].xml"))
    assert [d.get("ContentType") for d in types.iter(f"{{{CT}}}Default")
            if d.get("Extension") == "xlsx"] == [WORKBOOK]


@pytest.mark.parametrize("book, declared", [
    ("embeddings/Book1.xlsm", MACRO_BOOK),  # macro-enabled
    ("embeddings/Book1.xlsx", MACRO_BOOK),  # an .xlsx said to be macro-enabled
    ("embeddings/oleObject1.bin", "application/vnd.openxmlformats-officedocument."
                                  "oleObject"),
])
def test_a_charts_refused_workbook_leaves_no_dangling_reference(tmp_path, book, declared):
    """The chart stays (its cached values are what it shows); its link to the data it
    was drawn from goes, relationship and c:externalData both, said in a warning."""
    old = _charted(tmp_path, book, declared)
    result, names = _redline(old, _files(tmp_path)[1])  # validates: no id to nowhere
    assert result.warnings == (f"old.docx: refused: the older file's part 'word/{book}' "
                               "(package) is of a kind a redline does not carry (dropped)",)
    assert f"word/{book}" not in names and "word/charts/chart1.xml" in names
    chart = etree.fromstring(zip_part(result.data, "word/charts/chart1.xml"))
    assert chart.find(f"{{{C}}}externalData") is None
    assert chart.find(f"{{{C}}}chart/{{{C}}}plotArea") is not None
    assert "word/charts/_rels/chart1.xml.rels" not in names
    assert b"macroEnabled" not in zip_part(result.data, "[Content_Types].xml")
