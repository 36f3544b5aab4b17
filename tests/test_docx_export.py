"""Word export and redline: the XML inside the .docx, determinism, reference documents, and
what a real LibreOffice makes of the files (text, numbering, tracked changes, accept/reject,
PDF pages)."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import lo_probe, need_corpus
from docx.shared import Pt
from lxml import etree

from drafting.cli import main
from drafting.inputs import open_source
from drafting.writers.word import numbered_labels

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FRONT = ("Title", "Subtitle", "Drafting Note", "table")


def draft(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The example with both sides built, and the Word files made from them."""
    from conftest import copy_workspace

    root = copy_workspace(tmp_path_factory.mktemp("export") / "ws")
    for side in ("us", "dprk"):
        assert draft("-C", str(root), "build", "phased-agreement", "--side", side).exit_code == 0
    out = root / "out"
    out.mkdir()
    r = draft("-C", str(root), "export", "phased-agreement@us", "-o", str(out / "us.docx"))
    assert r.exit_code == 0, r.output
    r = draft("-C", str(root), "diff", "phased-agreement@us", "phased-agreement@dprk",
              "--format", "docx", "-o", str(out / "redline.docx"))
    assert r.exit_code == 1, r.output
    return root


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def texts(document, auto: bool = True) -> list[str]:
    """Block texts as LibreOffice should show them: labels printed by numbering are not
    part of a paragraph's text; typed labels are."""
    out = []
    for b in document.blocks:
        text = b.text
        if not auto:
            text = f"{b.marker} {text}" if b.marker else text
        text = " ".join(text.split())
        if text:
            out.append(text)
    return out


def body(paragraphs: list[dict]) -> list[str]:
    return [" ".join(p["text"].split()) for p in paragraphs
            if p["style"] not in FRONT and p["text"].strip()]


def test_export_numbering_is_real_word_numbering(built):
    doc = part(built / "out/us.docx", "word/document.xml")
    numbering = part(built / "out/us.docx", "word/numbering.xml")
    texts_ = [lvl.find(f"{W}lvlText").get(f"{W}val") for lvl in numbering.iter(f"{W}lvl")]
    assert {"Part %1", "Article %1", "%1.%2", "(%3)"} <= set(texts_)
    paragraphs = doc.iter(f"{W}p")
    numbered = [p for p in paragraphs if p.find(f"{W}pPr/{W}numPr") is not None]
    assert len(numbered) > 100
    headings = [p for p in doc.iter(f"{W}p")
                if p.find(f"{W}pPr/{W}pStyle") is not None
                and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") in ("Heading1", "Heading2")]
    assert len(headings) > 30
    for heading in headings:  # the number comes from the list, not from typed text
        assert heading.find(f"{W}pPr/{W}numPr") is not None
        assert not "".join(heading.itertext()).startswith(("Article", "Part"))


def test_export_cross_references_are_ref_fields_to_bookmarks(built):
    doc = part(built / "out/us.docx", "word/document.xml")
    bookmarks = {b.get(f"{W}name") for b in doc.iter(f"{W}bookmarkStart")}
    instructions = [t.text.strip() for t in doc.iter(f"{W}instrText")]
    refs = [i for i in instructions if i.startswith("REF ")]
    assert len(refs) >= 20
    for instruction in refs:
        name = instruction.split()[1]
        assert name in bookmarks and re.fullmatch(r"_Dft_[0-9a-f]{12}", name)
    source = open_source("phased-agreement@us", built)
    assert len(bookmarks) == len(source.document.blocks)
    with zipfile.ZipFile(built / "out/us.docx") as z:
        mapping = [etree.fromstring(z.read(n)) for n in z.namelist()
                   if n.startswith("customXml/item") and b"urn:drafting:ids" in z.read(n)]
    assert len(mapping) == 1
    rows = {b.get("bookmark"): dict(b.attrib) for b in mapping[0]}
    assert set(rows) == bookmarks  # bookmark and level only: no id, clause or edition
    assert {tuple(sorted(r)) for r in rows.values()} == {("bookmark", "level")}
    from drafting.idkey import workspace_key
    from drafting.model import bookmark_name

    key = workspace_key(built)
    block = source.document.find("nuclear.freeze#cessation")
    assert bookmark_name(block.id, key) in bookmarks  # the workspace maps tokens back
    assert bookmark_name(block.id) not in bookmarks  # an unkeyed hash would be guessable


def test_export_header_footer_and_properties(built):
    with zipfile.ZipFile(built / "out/us.docx") as z:
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
        headers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/header")]
        core = z.read("docProps/core.xml").decode()
    footer = "".join(footers)
    assert "PAGE" in footer and "NUMPAGES" in footer
    source = open_source("phased-agreement@us", built)
    assert source.revision.short in footer and "United States of America" in footer
    assert "DRAFT FOR DISCUSSION" in "".join(headers)
    assert source.revision.time[:19] in core


def test_export_is_deterministic(built, tmp_path):
    for name in ("a.docx", "b.docx"):
        assert draft("-C", str(built), "export", "phased-agreement@us", "-o",
                     str(tmp_path / name)).exit_code == 0
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    for name in ("a", "b"):
        assert draft("-C", str(built), "diff", "phased-agreement@us", "phased-agreement@dprk",
                     "--format", "docx", "-o", str(tmp_path / f"r{name}.docx")).exit_code == 1
    assert (tmp_path / "ra.docx").read_bytes() == (tmp_path / "rb.docx").read_bytes()


def test_reference_doc_styles_are_used(built, tmp_path):
    reference = docx.Document()
    reference.styles["Normal"].font.name = "Carlito"
    reference.styles["Normal"].font.size = Pt(13)
    reference.styles["Heading 2"].font.name = "Caladea"
    reference.sections[0].left_margin = docx.shared.Cm(4)
    reference.add_paragraph("This text is not carried over.")
    reference.save(tmp_path / "ref.docx")
    out = tmp_path / "styled.docx"
    r = draft("-C", str(built), "export", "phased-agreement@us", "-o", str(out),
              "--reference-doc", str(tmp_path / "ref.docx"))
    assert r.exit_code == 0, r.output
    result = docx.Document(out)
    assert result.styles["Normal"].font.name == "Carlito"
    assert result.styles["Normal"].font.size == Pt(13)
    assert result.styles["Heading 2"].font.name == "Caladea"
    assert abs(result.sections[0].left_margin - docx.shared.Cm(4)) < 1000  # twips rounding
    assert "not carried over" not in "\n".join(p.text for p in result.paragraphs)


def test_hostile_reference_doc_is_refused(built, tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml",
                   '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><w:document/>')
    out = tmp_path / "out.docx"
    r = draft("-C", str(built), "export", "phased-agreement@us", "-o", str(out),
              "--reference-doc", str(bomb))
    assert r.exit_code == 2 and "DOCTYPE" in r.stderr
    assert not out.exists()


def test_redline_tracked_changes_xml(built):
    doc = part(built / "out/redline.docx", "word/document.xml")
    source = open_source("phased-agreement@dprk", built)
    inserted, deleted = list(doc.iter(f"{W}ins")), list(doc.iter(f"{W}del"))
    assert inserted and deleted
    for mark in inserted + deleted:
        assert mark.get(f"{W}author") == "Democratic People's Republic of Korea"
        assert mark.get(f"{W}date") == source.revision.time[:19] + "Z"
    ids = [m.get(f"{W}id") for m in doc.iter() if m.get(f"{W}id") is not None
           and m.tag in (f"{W}ins", f"{W}del", f"{W}pPrChange")]
    assert len(ids) == len(set(ids))
    deleted_text = "".join(t.text for t in doc.iter(f"{W}delText"))
    assert "forty-five" in deleted_text
    paragraph_marks = [m for m in doc.iter(f"{W}ins", f"{W}del")
                       if m.getparent().tag == f"{W}rPr"
                       and m.getparent().getparent().tag == f"{W}pPr"]
    assert paragraph_marks  # inserted and deleted paragraphs mark their paragraph mark


def test_export_against_writes_the_same_redline(built, tmp_path):
    out = tmp_path / "against.docx"
    assert draft("-C", str(built), "export", "phased-agreement@dprk", "--against",
                 "phased-agreement@us", "-o", str(out)).exit_code == 0
    assert part(out, "word/document.xml").find(f".//{W}ins") is not None


def test_bad_export_arguments(built, tmp_path):
    r = draft("-C", str(built), "export", "phased-agreement@us", "-o", str(tmp_path / "x.pdf"))
    assert r.exit_code == 2 and r.stderr == (
        f"draft: error: cannot tell the format from the file name '{tmp_path / 'x.pdf'}': "
        "name it .docx\n")
    r = draft("-C", str(built), "diff", "phased-agreement@us", "phased-agreement@dprk",
              "--format", "docx")
    assert r.exit_code == 2 and "needs an output file" in r.stderr


# -- LibreOffice: what a real client sees ------------------------------------------------


@pytest.mark.office
def test_libreoffice_reads_export_and_redline_of_the_example(built):
    us = open_source("phased-agreement@us", built).document
    dprk = open_source("phased-agreement@dprk", built).document
    clean, redline = lo_probe("inspect", str(built / "out/us.docx"),
                              str(built / "out/redline.docx"))
    # the clean export: same text, and Word numbering prints our labels
    assert clean["redlines"] == []
    assert body(clean["paragraphs"]) == texts(us)
    labels = [p["label"] for p in clean["paragraphs"] if p["label"]]
    assert labels == [b.marker for b in us.blocks if b.marker]
    # the redline: authors, accept all = the newer text, reject all = the older
    assert redline["redlines"]
    assert {r["author"] for r in redline["redlines"]} == {
        "Democratic People's Republic of Korea"}
    assert {"Insert", "Delete"} <= {r["type"] for r in redline["redlines"]} <= {
        "Insert", "Delete", "ParagraphFormat"}
    assert body(redline["accepted"]) == texts(dprk)
    assert body(redline["rejected"]) == texts(us)
    accepted_labels = [p["label"] for p in redline["accepted"] if p["label"]]
    assert accepted_labels == [b.marker for b in dprk.blocks if b.marker]


@pytest.mark.office
@pytest.mark.corpus
def test_libreoffice_round_trip_of_the_paris_v3_v4_redline(tmp_path, monkeypatch):
    folder = need_corpus("agreements", "paris")
    monkeypatch.chdir(tmp_path)  # files, not revisions: no workspace
    v3 = next(folder.glob("paris_v3_*.md"))
    v4 = next(folder.glob("paris_v4_*.md"))
    out = tmp_path / "paris.docx"
    assert draft("diff", str(v3), str(v4), "--format", "docx", "-o", str(out)).exit_code == 1
    old, new = open_source(str(v3), None).document, open_source(str(v4), None).document
    auto = numbered_labels(old.blocks) and numbered_labels(new.blocks)
    (found,) = lo_probe("inspect", str(out))
    assert len(found["redlines"]) > 300
    assert body(found["accepted"]) == texts(new, auto)
    assert body(found["rejected"]) == texts(old, auto)


@pytest.mark.office
def test_what_a_person_sees_in_the_pdf(built, tmp_path):
    """Rendered by LibreOffice: page count and the words on page 1."""
    for name, pages, first_page in (
            ("us.docx", range(12, 20), ["Agreement between the United States of America",
                                        "DRAFT FOR DISCUSSION", "page 1 of"]),
            ("redline.docx", range(14, 24), ["Comparison of United States of America with",
                                             "renumbered: Articles", "Words inserted"])):
        result = lo_probe("pdf", str(built / "out" / name), str(tmp_path))
        pdf = Path(result["pdf"])
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert count in pages
        page1 = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
                               capture_output=True, text=True).stdout
        flat = " ".join(page1.split())
        for words in first_page:
            assert words in flat, (name, words)
        assert f"of {count}" in flat


def test_redline_of_files_needs_no_workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("## Article 1\n\nThe Parties shall meet within 30 days.\n")
    b.write_text("## Article 1\n\nThe Parties may meet within 60 days.\n")
    out = tmp_path / "r.docx"
    assert draft("diff", str(a), str(b), "--format", "docx", "-o", str(out)).exit_code == 1
    with zipfile.ZipFile(out) as z:
        xml = z.read("word/document.xml")
    assert b"<w:delText>shall</w:delText>" in xml and b"may</w:t>" in xml
    assert docx.Document(io.BytesIO(out.read_bytes())).paragraphs
