"""A text box whose text alone changed is the same shape (drafting/wordcompare/walk.py):
the Word-into-Word redline tracks the change inside the box's paragraphs, in its DrawingML
and in its VML fallback, instead of deleting and inserting the whole drawing; LibreOffice's
accept-all gives the newer file's box text and its reject-all the older one's. No file of
the corpus has a text box: these are built as Word writes them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docxcheck
from conftest import lo_probe
from lxml import etree

from drafting.wordcompare import redline_files

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:v="urn:schemas-microsoft-com:vml"')
_BOX = ('<w:r ' + _NS + '><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="2540000" '
        'cy="508000"/><wp:docPr id="7" name="Text Box 7"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        '<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2540000" '
        'cy="508000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
        '<wps:txbx><w:txbxContent>{0}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>'
        '</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback>'
        '<w:pict><v:shape id="tb7" type="#_x0000_t202" style="width:200pt;height:40pt">'
        '<v:textbox><w:txbxContent>{0}</w:txbxContent></v:textbox></v:shape></w:pict>'
        '</mc:Fallback></mc:AlternateContent></w:r>')
_VML = ('<w:r ' + _NS + '><w:pict><v:shape id="tb8" type="#_x0000_t202" '
        'style="width:200pt;height:40pt"><v:textbox><w:txbxContent>{0}</w:txbxContent>'
        '</v:textbox></v:shape></w:pict></w:r>')


def _file(path: Path, box: list[str], shape: str = _BOX, before: str = "The Parties agree: "
          ) -> Path:
    import docx

    document = docx.Document()
    p = document.add_paragraph(before)
    p._p.append(etree.fromstring(shape.format(
        "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in box))))
    p.add_run(" and sign.")
    document.add_paragraph("Next paragraph.")
    document.settings.element.find(f"{{{W}}}zoom").set(f"{{{W}}}percent", "100")
    document.save(str(path))
    return path


OLD = ["Boxed text one.", "Second line of the box."]
NEW = ["Boxed text two.", "Second line of the box.", "Added line."]


def _redline(tmp_path: Path, old: Path, new: Path, name: str) -> Path:
    out = tmp_path / name
    out.write_bytes(redline_files(old.read_bytes(), new.read_bytes(), old.name, new.name,
                                  "Them").data)
    assert docxcheck.problems(out.read_bytes()) == []
    return out


def test_a_text_box_change_is_tracked_inside_the_box(tmp_path):
    old, new = _file(tmp_path / "old.docx", OLD), _file(tmp_path / "new.docx", NEW)
    out = _redline(tmp_path, old, new, "redline.docx")
    body = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
    assert len(body.findall(f".//{{{W}}}drawing")) == 1  # the shape is not copied in
    for box in body.iter(f"{{{W}}}txbxContent"):  # its DrawingML and its VML fallback
        deleted = ["".join(e.itertext()) for e in box.iter(f"{{{W}}}del")]
        inserted = ["".join(e.itertext()) for e in box.iter(f"{{{W}}}ins")]
        assert (deleted, [t for t in inserted if t]) == (["one"], ["two", "Added line."])
    assert not [r for r in body.iter(f"{{{W}}}ins", f"{{{W}}}del")
                if next(r.iterancestors(f"{{{W}}}txbxContent"), None) is None]


def test_libreoffice_accepts_and_rejects_to_each_files_box_text(tmp_path):
    """Both ways, and a VML text box alone; the body around the box changes too."""
    old, new = _file(tmp_path / "old.docx", OLD), _file(tmp_path / "new.docx", NEW,
                                                         before="The Parties decide: ")
    vml_old = _file(tmp_path / "vml_old.docx", OLD, _VML)
    vml_new = _file(tmp_path / "vml_new.docx", NEW, _VML)
    pairs = [(old, new), (new, old), (vml_old, vml_new)]
    files = []
    for k, (a, b) in enumerate(pairs):
        files += [str(_redline(tmp_path, a, b, f"r{k}.docx")), str(a), str(b)]
    read = lo_probe("inspect", *files)
    for k in range(0, len(read), 3):
        ours, theirs_old, theirs_new = read[k : k + 3]
        assert ours["accepted_boxes"] == theirs_new["accepted_boxes"] != []
        assert ours["rejected_boxes"] == theirs_old["accepted_boxes"]
        assert [p["text"] for p in ours["accepted"]] == [p["text"] for p in
                                                         theirs_new["accepted"]]
        assert [p["text"] for p in ours["rejected"]] == [p["text"] for p in
                                                         theirs_old["accepted"]]
