"""Headers and footers of Word files: read as stories of their own beside the body
(drafting/readers/docx/margins.py), compared by `draft diff` of two Word files in every
format, and tracked inside the newer file's header and footer parts by the Word-into-Word
redline, where LibreOffice's accept-all gives the newer file's headers and footers and its
reject-all the older file's."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

import docxcheck
import pytest
from click.testing import CliRunner
from conftest import lo_probe
from lxml import etree

from drafting.cli import main
from drafting.readers.docx import read_bytes
from drafting.wordcompare import redline_files

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BODY = "The Parties shall cooperate in good faith."
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
                       "DwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _file(path: Path, header: str | None, footer: str | None, *, first: str | None = None,
          page: str | None = None, picture: bool = False, title_page: bool = False,
          second: str | None = None) -> Path:
    """A one-page Word file with these headers and footers; `picture` puts one in the
    header, `title_page` sets w:titlePg alone, `second` starts a section 2 with a header
    of its own (else section 2, when there is one, shows section 1's)."""
    import docx

    document = docx.Document()
    document.add_paragraph(BODY)
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if picture:
        (path.parent / "dot.png").write_bytes(PNG)
        section.header.paragraphs[0].add_run().add_picture(str(path.parent / "dot.png"))
    if title_page:
        section.different_first_page_header_footer = True
    if second is not None:
        later = document.add_section()
        document.add_paragraph("The second section.")
        if second:
            later.header.is_linked_to_previous = False
            later.header.paragraphs[0].text = second
    if footer is not None:
        section.footer.paragraphs[0].text = footer
        if page is not None:  # "Page 7": a PAGE field whose saved result is `page`
            p = section.footer.paragraphs[0]._p
            for kind, text in (("begin", None), (None, " PAGE "), ("separate", None),
                               (None, page), ("end", None)):
                run = etree.SubElement(p, f"{{{W}}}r")
                if kind:
                    etree.SubElement(run, f"{{{W}}}fldChar", {f"{{{W}}}fldCharType": kind})
                else:
                    tag = "instrText" if text.startswith(" ") else "t"
                    etree.SubElement(run, f"{{{W}}}{tag}").text = text
    if first is not None:
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = first
    document.settings.element.find(f"{{{W}}}zoom").set(f"{{{W}}}percent", "100")
    document.save(str(path))
    return path


def test_headers_and_footers_are_stories_beside_the_body(tmp_path):
    data = _file(tmp_path / "a.docx", "Draft of 1 May", "Confidential",
                 first="Cover header").read_bytes()
    word = read_bytes(data, "a.docx")
    assert [b.text for b in word.accepted.blocks] == [BODY]
    assert [(b.story, b.text) for b in word.stories_of(word.accepted)] == [
        ("header", "Draft of 1 May"), ("first-page header", "Cover header"),
        ("footer", "Confidential")]
    assert word.stories_of(word.original) == word.stories_of(word.accepted)


def test_a_first_page_header_the_section_does_not_show_is_not_read(tmp_path):
    path = _file(tmp_path / "a.docx", "Draft", None, first="Cover header")
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml":
                body = body.replace(b"<w:titlePg/>", b"")
            dst.writestr(info, body)
    word = read_bytes(out.getvalue(), "a.docx")
    assert [b.text for b in word.stories_of(word.accepted)] == ["Draft"]


def _diff(old: Path, new: Path, fmt: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", fmt])
    return result.exit_code, result.output


def test_draft_diff_reports_a_header_or_footer_change_in_every_format(tmp_path):
    old = _file(tmp_path / "old.docx", "Draft of 1 May", "Confidential")
    header = _file(tmp_path / "header.docx", "Draft of 2 May", "Confidential")
    footer = _file(tmp_path / "footer.docx", "Draft of 1 May", "Restricted")
    code, out = _diff(old, header, "term")
    assert code == 1 and "@@ header\nDraft of [-1-]{+2+} May" in out
    code, out = _diff(old, footer, "md")
    assert code == 1 and "{--{footer} --}{--Confidential--}" in out
    assert "{++{footer} ++}{++Restricted++}" in out
    code, out = _diff(old, footer, "html")
    assert code == 1 and '<span class="cell">footer</span>' in out
    code, out = _diff(old, header, "json")
    changed = [b for b in json.loads(out)["blocks"] if b["status"] != "equal"]
    assert code == 1 and [b["new"]["story"] for b in changed] == ["header"]
    assert _diff(old, old, "term")[0] == 0


def test_a_header_added_is_a_difference_and_a_saved_page_number_is_not(tmp_path):
    bare = _file(tmp_path / "bare.docx", None, None)
    headed = _file(tmp_path / "headed.docx", "Draft of 1 May", None)
    code, out = _diff(bare, headed, "term")
    assert code == 1 and "[inserted] {+Draft of 1 May+}" in out
    paged = _file(tmp_path / "paged.docx", None, "Page ", page="7")
    repaged = _file(tmp_path / "repaged.docx", None, "Page ", page="17")
    assert b"<w:t>17</w:t>" in zipfile.ZipFile(repaged).read("word/footer1.xml")
    assert _diff(paged, repaged, "term")[0] == 0


def test_the_redline_tracks_header_and_footer_changes_in_their_parts(tmp_path):
    """Header changed, footer changed, a header added, headers and footers only the older
    file has (one with a picture; a first-page one): the changes are w:del/w:ins in their
    parts; LibreOffice's accept-all gives the newer file's headers and footers, its
    reject-all the older file's; each redline is valid."""
    old = _file(tmp_path / "old.docx", "Draft of 1 May", "Confidential")
    bare = _file(tmp_path / "bare.docx", None, None)
    new = _file(tmp_path / "new.docx", "Draft of 2 May", "Restricted")
    pictured = _file(tmp_path / "pictured.docx", "Draft of 1 May", "Confidential",
                     picture=True)
    cover = _file(tmp_path / "cover.docx", "Draft", None, first="Cover header")
    titled = _file(tmp_path / "titled.docx", "Draft", None, title_page=True)
    cases = {"changed": (old, new), "added": (bare, old), "removed": (pictured, bare),
             "first-page removed": (cover, titled)}
    files = []
    for name, (a, b) in cases.items():
        result = redline_files(a.read_bytes(), b.read_bytes(), a.name, b.name, "Them")
        out = tmp_path / f"{name}.docx"
        out.write_bytes(result.data)
        assert docxcheck.problems(result.data) == [] and result.warnings == ()
        files += [str(out), str(a), str(b)]
    with zipfile.ZipFile(tmp_path / "changed.docx") as z:
        header = etree.fromstring(z.read("word/header1.xml"))
        footer = etree.fromstring(z.read("word/footer1.xml"))
    assert (_texts(header, "del"), _texts(header, "ins")) == (["1"], ["2"])
    assert (_texts(footer, "del"), _texts(footer, "ins")) == (["Confidential"], ["Restricted"])
    read = lo_probe("inspect", *files)
    for k in range(0, len(read), 3):
        ours, theirs_old, theirs_new = read[k : k + 3]
        assert ours["accepted_margins"] == theirs_new["accepted_margins"]
        assert ours["rejected_margins"] == theirs_old["accepted_margins"]
        assert ours["accepted_margins"] != ours["rejected_margins"]


def _texts(root: etree._Element, tag: str) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{{{W}}}{tag}")]


def _referred(data: bytes) -> dict[str, tuple[str, str]]:
    """(kind, type) -> the part the body's sections refer to, as relationships say."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
    targets = {r.get("Id"): (r.get("Type").rsplit("/", 1)[1], "word/" + r.get("Target"))
               for r in rels}
    out = {}
    for ref in body.iter(f"{{{W}}}headerReference", f"{{{W}}}footerReference"):
        kind, part = targets[ref.get(f"{{{R}}}id")]
        assert ref.tag == f"{{{W}}}{kind}Reference"
        out[f"{kind} {ref.get(f'{{{W}}}type')}"] = part
    return out


def test_a_header_and_footer_only_the_older_file_has_are_brought_in_deleted(tmp_path):
    """Copied from the older package with its picture, related to the document, referred
    to by the section, every run deleted and the last paragraph mark kept (a header holds
    one paragraph at least)."""
    pictured = _file(tmp_path / "pictured.docx", "Draft of 1 May", "Confidential",
                     picture=True)
    bare = _file(tmp_path / "bare.docx", None, None)
    result = redline_files(pictured.read_bytes(), bare.read_bytes(), "a.docx", "b.docx", "R")
    assert result.warnings == () and result.changes == 2
    referred = _referred(result.data)
    assert sorted(referred) == ["footer default", "header default"]
    with zipfile.ZipFile(io.BytesIO(result.data)) as z:
        header = etree.fromstring(z.read(referred["header default"]))
        footer = etree.fromstring(z.read(referred["footer default"]))
        rels = etree.fromstring(z.read(referred["header default"].replace(
            "word/", "word/_rels/") + ".rels"))
        media = {"word/" + r.get("Target"): z.read("word/" + r.get("Target")) for r in rels}
    assert list(media.values()) == [PNG]
    assert _texts(header, "del") == ["Draft of 1 May"] and _texts(header, "t") == []
    (drawing,) = header.iter(f"{{{W}}}drawing")
    assert drawing.getparent().getparent().tag == f"{{{W}}}del"
    embed = next(e for e in drawing.iter() if e.get(f"{{{R}}}embed"))
    assert embed.get(f"{{{R}}}embed") == rels[0].get("Id")
    assert _texts(footer, "del") == ["Confidential"]
    assert [len(root.findall(f"{{{W}}}p")) for root in (header, footer)] == [1, 1]
    assert next(header.iter(f"{{{W}}}rPr"), None) is None  # the last mark is not deleted


def test_a_header_the_redline_cannot_bring_in_is_said_in_a_warning(tmp_path):
    """Where the newer file's section would not show it (no w:titlePg for a first-page
    header), or where it would hide the newer file's own header (section 2 shows section
    1's), the header stays out, said in a warning."""
    cover = _file(tmp_path / "cover.docx", "Draft", None, first="Cover header")
    plain = _file(tmp_path / "plain.docx", "Draft", None)
    two = _file(tmp_path / "two.docx", "Draft", None, second="Annex header")
    inherited = _file(tmp_path / "inherited.docx", "Draft", None, second="")
    for a, b, name in ((cover, plain, "first-page header"), (two, inherited,
                                                              "header, section 2")):
        result = redline_files(a.read_bytes(), b.read_bytes(), a.name, b.name, "R")
        assert result.warnings == (f"{a.name}: its {name} is not in the newer file, nor in "
                                   "the redline",)
        assert _referred(result.data) == _referred(b.read_bytes())


@pytest.mark.parametrize("fmt", ["term", "json"])
def test_our_own_drafts_have_no_stories(fmt, tmp_path):
    """Markdown files (and revisions) carry no headers: nothing is compared beside them."""
    (tmp_path / "a.md").write_text("# T\n\nThe Parties agree.\n")
    (tmp_path / "b.md").write_text("# T\n\nThe Parties agree.\n")
    code, out = _diff(tmp_path / "a.md", tmp_path / "b.md", fmt)
    assert code == 0 and "story" not in out
