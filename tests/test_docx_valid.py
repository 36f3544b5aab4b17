"""Word files Word accepts: what we write validates against the ECMA-376 schemas and keeps
the invariants they cannot state; and the checker itself finds what Word would refuse (it
passes Word's own files and fails broken ones)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import built_example, need_corpus, rewrite_zip, written_docx, zip_part
from docxcheck import available, problems

from drafting.cli import main

pytestmark = pytest.mark.skipif(not available(), reason="ECMA-376 schemas not found at "
                                "../shared/schemas (set DRAFTING_SCHEMAS)")


def draft(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    return built_example(tmp_path_factory.mktemp("valid") / "ws")


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """A reference document with content of its own: header, body, page setup."""
    import docx
    from docx.shared import Cm

    doc = docx.Document()
    doc.add_paragraph("Reference body text", style="Heading 1")
    doc.sections[0].header.paragraphs[0].text = "Reference header"
    doc.sections[0].left_margin = Cm(3.3)
    path = tmp_path_factory.mktemp("ref") / "ref.docx"
    doc.save(path)
    return path


@pytest.mark.parametrize("with_reference", [False, True])
def test_example_clean_export_redline_and_joint_text_validate(ws, reference, with_reference):
    extra = ("--reference-doc", str(reference)) if with_reference else ()
    files = {
        "export": written_docx(ws, "export", "phased-agreement@us", *extra),
        "redline": written_docx(ws, "diff", "phased-agreement@us", "phased-agreement@dprk",
                           "--format", "docx", *extra, code=1),
        "export --against": written_docx(ws, "export", "phased-agreement@dprk", "--against",
                                    "phased-agreement@us", *extra),
        "joint": written_docx(ws, "joint", "phased-agreement@us", "phased-agreement@dprk"),
    }
    for what, data in files.items():
        assert problems(data) == [], what


def test_paris_chain_exports_and_redlines_validate(tmp_path, monkeypatch):
    folder = need_corpus("agreements", "paris")
    monkeypatch.chdir(tmp_path)  # files, not revisions: no workspace
    versions = sorted(folder.glob("paris_v*.md"))
    assert len(versions) == 5
    for old, new in itertools.pairwise(versions):
        out = tmp_path / "r.docx"
        r = draft("diff", str(old), str(new), "--format", "docx", "-o", str(out))
        assert r.exit_code == 1, r.output
        assert problems(out.read_bytes()) == [], (old.name, new.name)
    out = tmp_path / "v1.docx"
    assert draft("export", str(versions[0]), "-o", str(out)).exit_code == 0
    assert problems(out.read_bytes()) == []


@pytest.mark.parametrize("name", ["numbering/article-section-isLgl.docx",
                                  "numbering/arabic_numbering.docx",
                                  "tracked/usgpo/USLM-2_0-Review-Guide-v2_0_12-changes.docx"])
def test_imported_word_files_re_exported_validate(ws, name):
    path = need_corpus("docx", *name.split("/"))
    r = draft("-C", str(ws), "import", str(path), "-a", "phased-agreement", "--side",
              "dprk", "-m", "their file")
    assert r.exit_code == 0, r.output
    assert problems(written_docx(ws, "export", "phased-agreement@dprk")) == []
    assert problems(written_docx(ws, "export", str(path))) == []
    assert problems(written_docx(ws, "diff", "phased-agreement@us", "phased-agreement@dprk",
                            "--format", "docx", code=1)) == []


@pytest.mark.parametrize("name", ["USLM-2_0-Review-Guide_previous.docx",
                                  "USLM-2_0-Review-Guide-v2_0_12-changes.docx"])
def test_word_s_own_files_pass_the_checker(name):
    path = need_corpus("docx", "tracked", "usgpo", name)
    assert problems(path.read_bytes()) == []


# -- the checker fails what Word would refuse ------------------------------------------

@pytest.fixture(scope="module")
def good(ws) -> bytes:
    return written_docx(ws, "diff", "phased-agreement@us", "phased-agreement@dprk", "--format",
                   "docx", code=1)


def test_checker_finds_paragraph_properties_out_of_schema_order(good):
    doc = zip_part(good, "word/document.xml")
    swapped, n = re.subn(rb"(<w:ind [^>]*/>)(<w:jc [^>]*/>)", rb"\2\1", doc, count=1)
    assert n == 1
    found = problems(rewrite_zip(good, {"word/document.xml": swapped}))
    assert len(found) == 1 and "Element 'w:ind': This element is not expected" in found[0]
    assert found[0].startswith("word/document.xml: /w:document/w:body/w:p[")


def test_checker_finds_zoom_without_percent(good):
    settings = zip_part(good, "word/settings.xml").replace(b'w:percent="100"', b'w:val="bestFit"')
    found = problems(rewrite_zip(good, {"word/settings.xml": settings}))
    assert found == ["word/settings.xml: /w:settings/w:zoom: Element 'w:zoom': The attribute "
                     "'w:percent' is required but missing."]


def test_checker_finds_duplicate_revision_ids_and_unpaired_bookmarks(good):
    doc = zip_part(good, "word/document.xml")
    ids = re.findall(rb'<w:(?:ins|del) w:id="(\d+)"', doc)
    doubled = doc.replace(b'w:id="%s"' % ids[1], b'w:id="%s"' % ids[0], 1)
    found = problems(rewrite_zip(good, {"word/document.xml": doubled}))
    assert f"revision id {ids[0].decode()} used 2 times" in found
    unpaired = re.sub(rb'<w:bookmarkEnd w:id="\d+"/>', b"", doc, count=1)
    found = problems(rewrite_zip(good, {"word/document.xml": unpaired}))
    assert len(found) == 1 and re.fullmatch(
        r"word/document\.xml: bookmark \d+: 1 start\(s\), 0 end\(s\)", found[0])


def test_checker_finds_missing_targets_and_undeclared_content_types(good):
    found = problems(rewrite_zip(good, {"word/numbering.xml": None, "word/extra.bin": b"x"}))
    assert "word/_rels/document.xml.rels: relationship rId2 points at missing " \
        "word/numbering.xml" in " ".join(found) or any(
            "points at missing word/numbering.xml" in f for f in found)
    assert "word/extra.bin: no content type declared" in found
    assert "[Content_Types].xml: override for missing part /word/numbering.xml" in found


def test_markup_compatibility_drops_what_mc_ignorable_allows(good):
    doc = zip_part(good, "word/document.xml")
    assert b'mc:Ignorable="w14 wp14"' in doc  # python-docx's template declares them
    extended = re.sub(rb"<w:p>", b'<w:p w14:paraId="1A2B3C4D">', doc, count=1)
    assert problems(rewrite_zip(good, {"word/document.xml": extended})) == []
    not_ignorable = extended.replace(b'mc:Ignorable="w14 wp14"', b'mc:Ignorable="wp14"', 1)
    assert any("paraId" in f for f in problems(
        rewrite_zip(good, {"word/document.xml": not_ignorable})))


def test_checker_finds_replies_that_answer_nothing_and_stray_paragraph_ids(tmp_path):
    """commentsExtended.xml has no ECMA-376 schema: its links to comments.xml are
    checked instead."""
    from commented_docx import Note, build

    good = build(tmp_path / "c.docx", "T", ["Within thirty days."], [
        Note(0, "thirty", "A", "Too short."), Note(0, "thirty", "B", "Agreed.", answers=0,
                                                   done=True)]).read_bytes()
    assert [f for f in problems(good) if "comment" in f.lower() or "paraId" in f] == []
    extended = zip_part(good, "word/commentsExtended.xml")
    broken = extended.replace(b'w15:paraIdParent="1A2B0000"', b'w15:paraIdParent="0BADBEEF"')
    assert "word/commentsExtended.xml: commentEx 1A2B0001: answers 0BADBEEF, which is no " \
        "other comment" in problems(rewrite_zip(good, {"word/commentsExtended.xml": broken}))
    comments = zip_part(good, "word/comments.xml")
    stray = comments.replace(b'w14:paraId="1A2B0001"', b'w14:paraId="9A2B0001"')
    found = problems(rewrite_zip(good, {"word/comments.xml": stray}))
    assert "w14:paraId 9A2B0001: not 8 hex digits below 80000000" in found
    assert "word/commentsExtended.xml: commentEx 1A2B0001: no comment ends with that " \
        "paragraph" in found
