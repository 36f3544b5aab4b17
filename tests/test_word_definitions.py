"""Style and list ids copied from the older file into the redline (a w:pPrChange's old
properties, a deleted paragraph) name the newer file's definitions
(drafting/wordcompare/definitions.py): a style by its name, else the older file's style
copied in; a list by its levels, else its definition copied in. LibreOffice's reject-all
then gives each paragraph of the older file with its style and list label."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docxcheck
from conftest import lo_probe
from lxml import etree

from drafting.wordcompare import redline_files

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _file(path: Path, old: bool, style_id: str | None = None) -> Path:
    """The older file: a paragraph in the style "Treaty Text" and two in a list of its own
    ("(a)", "(b)"); the newer: those paragraphs plain, the second gone, and (style_id) a
    "Treaty Text" style of its own under another id."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.add_paragraph("Article 1", style="Heading 1")
    if old or style_id:
        style = document.styles.add_style("Treaty Text", WD_STYLE_TYPE.PARAGRAPH)
        style.font.italic = True
        if style_id:
            style.element.set(q("styleId"), style_id)
    if old:
        numbering = document.part.numbering_part.element
        abstract = etree.Element(q("abstractNum"), {q("abstractNumId"): "90"})
        level = etree.SubElement(abstract, q("lvl"), {q("ilvl"): "0"})
        for tag, value in (("start", "1"), ("numFmt", "lowerLetter"), ("lvlText", "(%1)")):
            etree.SubElement(level, q(tag), {q("val"): value})
        first = numbering.find(q("num"))
        if first is not None:
            first.addprevious(abstract)
        else:
            numbering.append(abstract)
        num = etree.SubElement(numbering, q("num"), {q("numId"): "90"})
        etree.SubElement(num, q("abstractNumId"), {q("val"): "90"})
    document.add_paragraph("The Parties shall cooperate.",
                           style="Treaty Text" if old else "Normal")
    for text in ["First obligation.", "Second obligation."] if old else ["First obligation."]:
        p = document.add_paragraph(text)
        if old:
            numpr = etree.SubElement(p._p.get_or_add_pPr(), q("numPr"))
            etree.SubElement(numpr, q("ilvl"), {q("val"): "0"})
            etree.SubElement(numpr, q("numId"), {q("val"): "90"})
    document.add_paragraph("Closing paragraph.")
    document.settings.element.find(q("zoom")).set(q("percent"), "100")
    document.save(str(path))
    return path


def _part(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def test_a_style_and_a_list_the_newer_file_lacks_are_copied_in(tmp_path):
    old, new = _file(tmp_path / "old.docx", True), _file(tmp_path / "new.docx", False)
    result = redline_files(old.read_bytes(), new.read_bytes(), "old.docx", "new.docx", "R")
    assert docxcheck.problems(result.data) == [] and result.warnings == ()
    styles = _part(result.data, "word/styles.xml")
    assert [s.get(q("styleId")) for s in styles.iter(q("style"))
            if s.find(q("name")).get(q("val")) == "Treaty Text"] == ["TreatyText"]
    numbering = _part(result.data, "word/numbering.xml")
    body = _part(result.data, "word/document.xml")
    used = {n.get(q("val")) for n in body.iter(q("numId"))}
    defined = {n.get(q("numId")) for n in numbering.iter(q("num"))}
    assert used and used <= defined
    (copied,) = [n for n in numbering.iter(q("num")) if n.get(q("numId")) in used]
    abstract_id = copied.find(q("abstractNumId")).get(q("val"))
    (abstract,) = [a for a in numbering.iter(q("abstractNum"))
                   if a.get(q("abstractNumId")) == abstract_id]
    assert abstract.find(f"{q('lvl')}/{q('lvlText')}").get(q("val")) == "(%1)"


def test_a_style_the_newer_file_has_under_another_id_is_named_by_that_id(tmp_path):
    old = _file(tmp_path / "old.docx", True)
    new = _file(tmp_path / "new.docx", False, style_id="Style1")
    result = redline_files(old.read_bytes(), new.read_bytes(), "old.docx", "new.docx", "R")
    body = _part(result.data, "word/document.xml")
    recorded = [s.get(q("val")) for c in body.iter(q("pPrChange")) for s in c.iter(q("pStyle"))]
    assert recorded == ["Style1"]
    styles = _part(result.data, "word/styles.xml")
    assert "TreatyText" not in {s.get(q("styleId")) for s in styles.iter(q("style"))}


def test_libreoffice_rejects_to_the_older_files_styles_and_labels(tmp_path):
    old, new = _file(tmp_path / "old.docx", True), _file(tmp_path / "new.docx", False)
    renamed = _file(tmp_path / "renamed.docx", False, style_id="Style1")
    files = []
    for a, b in ((old, new), (new, old), (old, renamed)):
        out = tmp_path / f"{a.stem}-{b.stem}.docx"
        out.write_bytes(redline_files(a.read_bytes(), b.read_bytes(), a.name, b.name,
                                      "R").data)
        files += [str(out), str(a), str(b)]
    read = lo_probe("inspect", *files)

    def shown(paragraphs: list[dict]) -> list[tuple[str, str, str]]:
        return [(p["style"], p["label"], p["text"]) for p in paragraphs]

    for k in range(0, len(read), 3):
        ours, theirs_old, theirs_new = read[k : k + 3]
        assert shown(ours["rejected"]) == shown(theirs_old["paragraphs"])
        assert shown(ours["accepted"]) == shown(theirs_new["paragraphs"])
    assert {("Treaty Text", "", "The Parties shall cooperate."),
            ("Standard", "(b)", "Second obligation.")} <= set(shown(read[0]["rejected"]))


def _same_style_file(path: Path, style_id: str, num_id: str, declared: str = "") -> Path:
    """A "Treaty Text" paragraph (that style under `style_id`) in a list (`num_id`, of
    one "(a)" level), a bold word and words in a "Defined Term" character style;
    `declared`: a namespace declaration more on the document's and numbering's roots."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    style = document.styles.add_style("Treaty Text", WD_STYLE_TYPE.PARAGRAPH)
    style.element.set(q("styleId"), style_id)
    numbering = document.part.numbering_part.element
    abstract = etree.Element(q("abstractNum"), {q("abstractNumId"): str(int(num_id) - 10)})
    first = numbering.find(q("num"))
    (first.addprevious(abstract) if first is not None else numbering.append(abstract))
    level = etree.SubElement(abstract, q("lvl"), {q("ilvl"): "0"})
    for tag, value in (("start", "1"), ("numFmt", "lowerLetter"), ("lvlText", "(%1)")):
        etree.SubElement(level, q(tag), {q("val"): value})
    num = etree.SubElement(numbering, q("num"), {q("numId"): num_id})
    etree.SubElement(num, q("abstractNumId"), {q("val"): str(int(num_id) - 10)})
    p = document.add_paragraph("The Parties shall ", style="Treaty Text")
    p.add_run("cooperate").bold = True
    term = document.styles.add_style("Defined Term", WD_STYLE_TYPE.CHARACTER)
    term.element.set(q("styleId"), style_id + "Term")
    p.add_run(" in good faith", style="Defined Term")
    numpr = etree.SubElement(p._p.get_or_add_pPr(), q("numPr"))
    etree.SubElement(numpr, q("ilvl"), {q("val"): "0"})
    etree.SubElement(numpr, q("numId"), {q("val"): num_id})
    document.settings.element.find(q("zoom")).set(q("percent"), "100")
    document.save(str(path))
    if declared:
        from conftest import rewrite_zip

        path.write_bytes(rewrite_zip(path.read_bytes(), {
            f"word/{root}.xml": zipfile.ZipFile(path).read(f"word/{root}.xml").replace(
                f"<w:{root} ".encode(), f"<w:{root} {declared} ".encode(), 1)
            for root in ("document", "numbering")}))
    return path


def test_no_format_change_is_written_where_two_ids_name_one_style_and_list(tmp_path):
    """The older file's "Treaty Text" is TreatyText, its "Defined Term" TreatyTextTerm,
    its list 95, the newer file's Style1, Style1Term and 97, defined alike; the older
    file's roots declare a namespace more: the paragraph and its runs are unchanged, so no
    w:pPrChange or w:rPrChange is written. The
    same files with another style name do get a w:pPrChange, naming the newer file's
    style."""
    old = _same_style_file(tmp_path / "old.docx", "TreatyText", "95",
                           declared='xmlns:foo="urn:example:foo"')
    new = _same_style_file(tmp_path / "new.docx", "Style1", "97")
    result = redline_files(old.read_bytes(), new.read_bytes(), "old.docx", "new.docx", "R")
    assert docxcheck.problems(result.data) == [] and result.warnings == ()
    body = _part(result.data, "word/document.xml")
    assert result.changes == 0
    assert body.find(f".//{q('pPrChange')}") is None and body.find(f".//{q('rPrChange')}") is None
    assert _part(result.data, "word/document.xml").find(f".//{q('pStyle')}").get(
        q("val")) == "Style1"
    import docx

    plain = tmp_path / "plain.docx"

    renamed = docx.Document(str(new))
    renamed.styles["Treaty Text"].name = "Annex Text"
    renamed.save(str(plain))
    result = redline_files(old.read_bytes(), plain.read_bytes(), "old.docx", "plain.docx", "R")
    recorded = [s.get(q("val")) for c in _part(result.data, "word/document.xml").iter(
        q("pPrChange")) for s in c.iter(q("pStyle"))]
    assert result.changes == 1 and recorded == ["TreatyText"]
