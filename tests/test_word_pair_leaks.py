r"""A redline of two Word files (`draft export NEW --against OLD`, `draft diff OLD NEW -o
x.docx`) is a file for the other side: what it brings in from the older file follows the
links policy (links.py) as an export does, its warnings reach stderr, and the parts it
copies are declared with safe content types. Attacked with an older file whose deleted text
links to a local file, a share or script (a relationship or a HYPERLINK field, whole or
split over runs), and whose [Content_Types].xml leaves a picture undeclared or declares it
as a macro-enabled document."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import docx
import docxcheck
import pytest
from click.testing import CliRunner
from conftest import lo_probe, rewrite_zip, zip_part
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from lxml import etree

from drafting.cli import main
from drafting.wordcompare.pending import resolve

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
HYPERLINK = f"{R}/hyperlink"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
                       "DwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
BRIEF = "file:///C:/Users/alice/fallback.docx"
SHARE = r"\\server\share\x.docx"
SCRIPT = "javascript:alert(1)"
MACRO = "application/vnd.ms-word.document.macroEnabled.main+xml"


def draft(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _saved(document) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    document.settings.element.find(f"{W}zoom").set(f"{W}percent", "100")
    document.save(out)
    return out.getvalue()


def _linked(paragraph, text: str, address: str) -> None:  # type: ignore[no-untyped-def]
    rid = paragraph.part.relate_to(address, HYPERLINK, is_external=True)
    link = etree.SubElement(paragraph._p, f"{W}hyperlink", {f"{{{R}}}id": rid})
    etree.SubElement(etree.SubElement(link, f"{W}r"), f"{W}t").text = text


def _field(paragraph, pieces: list[str], result: str) -> None:  # type: ignore[no-untyped-def]
    """A complex field whose code is `pieces`, one w:instrText run each."""
    runs = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            + "".join(f'<w:r><w:instrText xml:space="preserve">{escape(p)}</w:instrText></w:r>'
                      for p in pieces)
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:t>{escape(result)}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
    for run in etree.fromstring(f'<w:p xmlns:w="{W_NS}">{runs}</w:p>'):
        paragraph._p.append(parse_xml(etree.tostring(run)))


def _pair(tmp_path: Path, gone, kept=None) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """old.docx: "Kept." and a paragraph `gone` fills (deleted in the redline); new.docx:
    "Kept." and what `kept` adds to it."""
    old, new = docx.Document(), docx.Document()
    old.add_paragraph("Kept.")
    gone(old.add_paragraph("Gone: "))
    paragraph = new.add_paragraph("Kept.")
    if kept:
        kept(paragraph)
    paths = tmp_path / "old.docx", tmp_path / "new.docx"
    for path, document in zip(paths, (old, new), strict=True):
        path.write_bytes(_saved(document))
    return paths


def _redline(tmp_path: Path, old: Path, new: Path, *extra: str, command: str = "export"):  # type: ignore[no-untyped-def]
    out = tmp_path / "out.docx"
    args = ("export", str(new), "--against", str(old), "-o", str(out), *extra) \
        if command == "export" else ("diff", str(old), str(new), "-o", str(out), *extra)
    result = draft(*args)
    assert result.exit_code == (0 if command == "export" else 1), result.output
    data = out.read_bytes()
    docxcheck.assert_valid(data, "redline")
    return result, data


def _everything(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return b"".join(z.read(n) for n in z.namelist())


def _rels(data: bytes) -> list[etree._Element]:
    return list(etree.fromstring(zip_part(data, "word/_rels/document.xml.rels"))
                .iter(f"{{{PKG}}}Relationship"))


def _body(data: bytes) -> etree._Element:
    return etree.fromstring(zip_part(data, "word/document.xml"))


def _withheld(old: Path, target: str, kind: str) -> str:
    return (f"draft: warning: {old}: content brought in from the older file points at "
            f"{target!r} ({kind}): withheld, its text kept as plain text (it names a local "
            "file or runs script)")


# -- 1. the redline's own warnings reach stderr --------------------------------------------

def _external_picture(paragraph) -> None:  # type: ignore[no-untyped-def]
    """A picture fetched from the web when the file is opened (a tracking pixel)."""
    rid = paragraph.part.relate_to("https://tracker.example/pixel.png", f"{R}/image",
                                   is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:r xmlns:w="{W_NS}"><w:drawing><wp:inline xmlns:wp="http://schemas.openxml'
        'formats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="9525" cy="9525"/>'
        '<wp:docPr id="1" name="pixel"/><a:graphic xmlns:a="http://schemas.openxmlformats.'
        'org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/'
        'drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/'
        'drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="0" name="pixel"/><pic:cNvPicPr/>'
        f'</pic:nvPicPr><pic:blipFill><a:blip xmlns:r="{R}" r:link="{rid}"/><a:stretch>'
        '<a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="9525" cy="9525"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic>'
        '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'))


@pytest.mark.parametrize("command", ["export", "diff"])
def test_the_redlines_own_warnings_are_printed(tmp_path: Path, command: str) -> None:
    old, new = _pair(tmp_path, _external_picture)
    result, data = _redline(tmp_path, old, new, command=command)
    assert result.stderr.splitlines() == [
        f"draft: warning: {old}: 1 picture linked from outside the file, named by address "
        "only (never fetched)",  # the reader's
        f"draft: warning: {old}: content brought in from the older file points at "
        "'https://tracker.example/pixel.png' (image, external): withheld (Word would fetch "
        "it on opening the redline)"]
    assert b"tracker" not in _everything(data)  # nothing for Word to fetch on opening it
    (blip,) = _body(data).iter(f"{{{A}}}blip")
    assert not blip.attrib
    assert blip.getparent().getparent().getparent().getparent().getparent().getparent() \
        .getparent().getparent().tag == f"{W}del"  # the picture's run, deleted


def test_an_external_picture_the_newer_file_has_too_is_kept(tmp_path: Path) -> None:
    """The redline then makes Word fetch nothing the newer file did not. (The older file
    has it twice: one is paired with the newer file's, the other deleted.)"""
    old, new = _pair(tmp_path, lambda p: (_external_picture(p), _external_picture(p)),
                     _external_picture)
    result, data = _redline(tmp_path, old, new)
    assert not [line for line in result.stderr.splitlines() if "brought in" in line]
    (rel,) = [r for r in _rels(data) if r.get("Target") == "https://tracker.example/pixel.png"]
    assert rel.get("TargetMode") == "External"
    assert [b.get(f"{{{R}}}link") for b in _body(data).iter(f"{{{A}}}blip")] == \
        [rel.get("Id")] * 2


def test_a_files_own_tracked_changes_are_said_once(tmp_path: Path) -> None:
    """The reader says they were accepted; the redline, which resolves them the same way,
    does not say it again."""
    old, new = _pair(tmp_path, lambda p: p.add_run("text"))
    body = etree.fromstring(zip_part(new.read_bytes(), "word/document.xml"))
    run = body.find(f".//{W}r")
    insertion = etree.Element(f"{W}ins", {f"{W}id": "1", f"{W}author": "Jane"})
    run.addprevious(insertion)
    insertion.append(run)
    new.write_bytes(rewrite_zip(new.read_bytes(), {"word/document.xml": etree.tostring(body)}))
    result, _ = _redline(tmp_path, old, new)
    assert result.stderr.splitlines() == [
        f"draft: warning: {new}: 1 pending tracked change (1 insertion by Jane) accepted; "
        "--pending reject|refuse to change that"]


# -- 2. the older file's links follow the links policy ---------------------------------------

@pytest.mark.parametrize("target", [BRIEF, SHARE, SCRIPT, " JaVa\tScRiPt:alert(1)"])
def test_a_deleted_link_to_a_file_share_or_script_is_withheld(tmp_path: Path,
                                                               target: str) -> None:
    old, new = _pair(tmp_path, lambda p: _linked(p, "the fallback", target))
    result, data = _redline(tmp_path, old, new)
    assert result.stderr.splitlines() == [_withheld(old, target, "hyperlink, external")]
    assert target.encode() not in _everything(data)
    assert not [r for r in _rels(data) if r.get("Type") == HYPERLINK]
    body = _body(data)
    assert not list(body.iter(f"{W}hyperlink"))  # no link-looking run that goes nowhere
    assert [t.text for t in body.iter(f"{W}delText")] == ["Gone: ", "the fallback"]


def _styled_link(text: str, address: str):  # type: ignore[no-untyped-def]
    """A link as Word writes one: its run in the Hyperlink character style."""
    def fill(paragraph) -> None:  # type: ignore[no-untyped-def]
        _linked(paragraph, text, address)
        run = list(paragraph._p.iter(f"{W}hyperlink"))[-1].find(f"{W}r")
        run.insert(0, parse_xml(f'<w:rPr xmlns:w="{W_NS}"><w:rStyle w:val="Hyperlink"/>'
                                "<w:b/></w:rPr>"))
    return fill


def _with_hyperlink_style(*paths: Path) -> None:
    for path in paths:
        document = docx.Document(str(path))
        style = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        style.font.underline = True
        path.write_bytes(_saved(document))


@pytest.mark.parametrize("whole", [True, False], ids=["paragraph-deleted", "words-deleted"])
def test_a_withheld_link_is_plain_deleted_text_in_libreoffice(tmp_path: Path,
                                                              whole: bool) -> None:
    """The withheld link's runs keep their text, deletion and own formatting, not its
    element nor its Hyperlink style: neither Word nor LibreOffice shows a link there, and
    reject-all gives the older text back. A web link beside it stays a link."""
    def links(p) -> None:  # type: ignore[no-untyped-def]
        _styled_link("the share", SHARE)(p)
        p.add_run(" and ")
        _styled_link("the site", "https://example.org/")(p)

    old, new = _pair(tmp_path, links)
    if not whole:  # the paragraph stays, less its links
        document = docx.Document(str(new))
        document.add_paragraph("Gone: ").add_run(" and ")
        new.write_bytes(_saved(document))
    _with_hyperlink_style(old, new)
    result, data = _redline(tmp_path, old, new)
    assert result.stderr.splitlines() == [_withheld(old, SHARE, "hyperlink, external")]
    body = _body(data)
    (link,) = body.iter(f"{W}hyperlink")
    assert "".join(link.itertext()) == "the site"
    (share,) = [r for r in body.iter(f"{W}r") if "".join(r.itertext()) == "the share"]
    assert share.getparent().tag == f"{W}del"
    assert [e.tag for e in share.find(f"{W}rPr")] == [f"{W}b"]  # its bold kept
    styled = [r for r in body.iter(f"{W}rStyle") if r.get(f"{W}val") == "Hyperlink"]
    assert [link in s.iterancestors() for s in styled] == [True]
    out = tmp_path / "out.docx"
    (read,) = lo_probe("inspect", str(out))
    assert "Gone: the share and the site" in [p["text"] for p in read["rejected"]]
    assert [text for text, _, _ in read["rejected_links"]] == ["the site"]
    assert read["rejected_links"][0][1] == "https://example.org/"


def test_a_deleted_web_link_is_carried_and_an_internal_copy_keeps_a_file_link(
        tmp_path: Path) -> None:
    def links(p) -> None:  # type: ignore[no-untyped-def]
        _linked(p, "site", "https://example.org/")
        _linked(p, "brief", BRIEF)
        _linked(p, "run", SCRIPT)

    old, new = _pair(tmp_path, links)
    result, data = _redline(tmp_path, old, new, "--internal")
    assert result.stderr.splitlines() == [
        f"draft: warning: {old}: content brought in from the older file points at "
        f"{BRIEF!r} (hyperlink, external): kept as it is, never fetched",
        _withheld(old, SCRIPT, "hyperlink, external")]
    assert sorted(r.get("Target") for r in _rels(data) if r.get("Type") == HYPERLINK) == \
        sorted([BRIEF, "https://example.org/"])


def test_the_newer_files_own_links_are_kept_and_named_beside_the_older_files(
        tmp_path: Path) -> None:
    old, new = _pair(tmp_path, lambda p: _linked(p, "old brief", BRIEF),
                     lambda p: _linked(p, "new share", SHARE))
    result, data = _redline(tmp_path, old, new)
    out = tmp_path / "out.docx"
    assert result.stderr.splitlines() == [
        rf"draft: warning: {out}: 1 link ({SHARE}) kept as new.docx has them (the redline "
        "is written into that file): they name local files or run script",
        _withheld(old, BRIEF, "hyperlink, external")]
    assert [r.get("Target") for r in _rels(data) if r.get("Type") == HYPERLINK] == [SHARE]
    assert b"alice" not in _everything(data)


UNC_CODE = r'HYPERLINK "\\\\server\\share\\x.docx" \o "fallback"'


@pytest.mark.parametrize("pieces", [
    [UNC_CODE],
    [' HYPERLINK "\\\\\\\\ser', 'ver\\\\share\\\\x.docx" '],  # split inside the address
    [" HYPERLINK ", '"javascript:alert(1)"'],
])
def test_a_deleted_hyperlink_field_loses_its_code_and_keeps_its_text(
        tmp_path: Path, pieces: list[str]) -> None:
    old, new = _pair(tmp_path, lambda p: _field(p, pieces, "the share"))
    result, data = _redline(tmp_path, old, new)
    address = SCRIPT if "javascript" in pieces[-1] else SHARE
    assert result.stderr.splitlines() == [_withheld(old, address, "HYPERLINK field")]
    everything = _everything(data)
    assert b"server" not in everything and b"javascript" not in everything
    body = _body(data)
    assert [c.text for c in body.iter(f"{W}delInstrText")] == [None] * len(pieces)
    resolve(body, "reject")  # what the other side gets back by rejecting every change
    assert "".join(t.text or "" for t in body.iter(f"{W}instrText")) == ""
    assert "Gone: the share" in ["".join(p.itertext()) for p in body.iter(f"{W}p")]


def test_a_changed_field_address_withholds_the_old_one_only(tmp_path: Path) -> None:
    """A paragraph in both files whose field now links to the web: the older code is
    deleted text, emptied; the newer one is kept."""
    old, new = _pair(tmp_path, lambda p: None)
    for path, code in ((old, UNC_CODE), (new, 'HYPERLINK "https://example.org/ok"')):
        document = docx.Document(str(path))
        _field(document.add_paragraph("See "), [code], "the plan")
        path.write_bytes(_saved(document))
    result, data = _redline(tmp_path, old, new)
    assert result.stderr.splitlines() == [_withheld(old, SHARE, "HYPERLINK field")]
    body = _body(data)
    assert b"server" not in _everything(data)
    assert [c.text for c in body.iter(f"{W}delInstrText")] == [None]
    assert [c.text for c in body.iter(f"{W}instrText")] == ['HYPERLINK "https://example.org/ok"']


def test_a_deleted_simple_field_to_a_share_loses_its_code(tmp_path: Path) -> None:
    def simple(p) -> None:  # type: ignore[no-untyped-def]
        p._p.append(parse_xml(f'<w:fldSimple xmlns:w="{W_NS}" w:instr={quoteattr(UNC_CODE)}>'
                              '<w:r><w:t>the share</w:t></w:r></w:fldSimple>'))

    old, new = _pair(tmp_path, simple)
    result, data = _redline(tmp_path, old, new)
    assert result.stderr.splitlines() == [_withheld(old, SHARE, "HYPERLINK field")]
    (field,) = _body(data).iter(f"{W}fldSimple")
    assert field.get(f"{W}instr") == "" and b"server" not in _everything(data)


# -- 3. content types of carried parts --------------------------------------------------------

def _picture(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "dot.png").write_bytes(PNG)
    return lambda p: p.add_run().add_picture(str(tmp_path / "dot.png"))


def _types(data: bytes) -> etree._Element:
    return etree.fromstring(zip_part(data, "[Content_Types].xml"))


def _with_png_declared(old: Path, content_type: str | None) -> None:
    types = _types(old.read_bytes())
    for default in types.findall(f"{{{CT}}}Default[@Extension='png']"):
        if content_type is None:
            types.remove(default)
        else:
            default.set("ContentType", content_type)
    old.write_bytes(rewrite_zip(old.read_bytes(), {"[Content_Types].xml": etree.tostring(types)}))


@pytest.mark.parametrize("declared", [None, MACRO, "application/x-msdownload"])
def test_a_carried_picture_is_declared_as_a_picture(tmp_path: Path, declared: str | None
                                                    ) -> None:
    old, new = _pair(tmp_path, _picture(tmp_path))
    _with_png_declared(old, declared)
    result, data = _redline(tmp_path, old, new)
    assert result.stderr == ""
    assert "word/media/image1.png" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    types = _types(data)
    assert [d.get("ContentType") for d in types.iter(f"{{{CT}}}Default")
            if d.get("Extension") == "png"] == ["image/png"]
    assert b"macroEnabled" not in zip_part(data, "[Content_Types].xml")
    assert b"msdownload" not in zip_part(data, "[Content_Types].xml")


def test_a_picture_of_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, _picture(tmp_path))
    data = old.read_bytes()
    rels = etree.fromstring(zip_part(data, "word/_rels/document.xml.rels"))
    (rel,) = [r for r in rels if r.get("Type", "").endswith("/image")]
    rel.set("Target", "media/tool.exe")
    types = _types(data)
    etree.SubElement(types, f"{{{CT}}}Override", PartName="/word/media/tool.exe",
                     ContentType="application/x-msdownload")
    old.write_bytes(rewrite_zip(data, {"word/_rels/document.xml.rels": etree.tostring(rels),
                                       "word/media/tool.exe": b"MZ\x90\x00",
                                       "[Content_Types].xml": etree.tostring(types)}))
    result, out = _redline(tmp_path, old, new)
    assert result.stderr.splitlines() == [
        f"draft: warning: {old}: refused: the older file's part 'word/media/tool.exe' (image) "
        "is of a kind a redline does not carry (dropped)"]
    names = zipfile.ZipFile(io.BytesIO(out)).namelist()
    assert not any(n.endswith(".exe") for n in names)
    assert b"msdownload" not in zip_part(out, "[Content_Types].xml")
    blips = list(_body(out).iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))
    assert blips and all(f"{{{R}}}embed" not in b.attrib for b in blips)
