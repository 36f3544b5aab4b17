"""`draft inspect FILE.docx`: what is inside a Word file besides its text, one line per
finding, exit 1 when something needs review before sending, --json; hostile files
refused as by import."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import CORPUS, built_example, need_corpus, rewrite_zip, written_docx, zip_part

from drafting.cli import main
from drafting.readers.docx.inspect import inspect_bytes

RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def inspect(path: Path, *args: str):
    return CliRunner().invoke(main, ["inspect", str(path), *args])


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    return built_example(tmp_path_factory.mktemp("inspect") / "ws")


def loaded() -> bytes:
    """A Word file carrying one of everything a sender may not mean to send."""
    doc = docx.Document()
    p = doc.add_paragraph("The Parties shall meet ")
    hidden = p.add_run("fallback: accept sixty days")
    hidden.font.hidden = True
    doc.add_comment(p.runs[0], text="we cannot accept Kangson", author="Ri Yong", initials="RY")
    doc.core_properties.author = "Jane Negotiator"
    doc.core_properties.comments = "internal: do not send"
    out = io.BytesIO()
    doc.save(out)
    data = out.getvalue()
    body = zip_part(data, "word/document.xml").decode().replace(
        "</w:p>", '<w:ins w:id="900" w:author="Kim" w:date="2026-01-01T00:00:00Z"><w:r>'
        '<w:t>later</w:t></w:r></w:ins><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r>'
        '<w:instrText xml:space="preserve"> INCLUDETEXT "\\\\\\\\server\\\\brief.docx" '
        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x'
        '</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>', 1)
    rels = zip_part(data, "word/_rels/document.xml.rels").decode().replace("</Relationships>", (
        f'<Relationship Id="rIdX9" Type="{RELS}/hyperlink" Target="https://example.org/" '
        'TargetMode="External"/>'
        f'<Relationship Id="rIdX8" Type="{RELS}/image" Target="http://tracker.example/p.png" '
        'TargetMode="External"/></Relationships>'))
    settings = zip_part(data, "word/settings.xml").decode().replace(
        "<w:rsids>", '<w:docVars><w:docVar w:name="fallback" w:val="60"/></w:docVars>'
        "<w:rsids>")
    return rewrite_zip(data, {
        "word/document.xml": body.encode(),
        "word/_rels/document.xml.rels": rels.encode(),
        "word/settings.xml": settings.encode(),
        "customXml/item9.xml": b'<?xml version="1.0"?><notes xmlns="urn:delegation:notes">'
                               b"<n>red line: 60 days</n></notes>",
        "word/vbaProject.bin": b"macro",
        "word/embeddings/oleObject1.bin": b"ole",
    })


def test_a_loaded_file_lists_every_finding_and_exits_1(tmp_path):
    path = tmp_path / "loaded.docx"
    path.write_bytes(loaded())
    r = inspect(path)
    assert r.exit_code == 1, r.output
    lines = r.output.splitlines()
    assert lines[0] == f"{path}: 11 finding(s) to review before sending"
    expected = [
        '  review  properties: document properties say author "Jane Negotiator", '
        'comments "internal: do not send"',
        "  review  tracked changes: 1 pending, by 1 author(s): Kim 1",
        "  review  comments: 1 by Ri Yong 1",
        '  review  hidden text: 1 hidden run(s): "fallback: accept sixty days"',
        '  review  fields: 1 field(s) that pull content from elsewhere when updated: '
        'INCLUDETEXT "\\\\\\\\server\\\\brief.docx"',
        "  review  document variables: 1: fallback",
        "  review  custom XML: customXml/item9.xml: data in urn:delegation:notes",
        "  review  macros: word/vbaProject.bin",
        "  review  embedded objects: 1: word/embeddings/oleObject1.bin",
        "  review  thumbnail: a picture of the first page as last saved: "
        "docProps/thumbnail.jpeg",  # python-docx's template has one
        "  review  external targets: 1 that Word may fetch or open: image "
        "http://tracker.example/p.png",
    ]
    assert lines[1:12] == expected
    assert lines[12:] == [
        "  info    rsids: 10 editing-session ids (they can tie copies of a file together)",
        "  info    hyperlinks: 1 to outside the file"]
    data = json.loads(inspect(path, "--json").output)
    assert data["review"] == 11
    comments = next(f for f in data["findings"] if f["category"] == "comments")
    assert comments["items"] == ["Ri Yong: we cannot accept Kangson"]


def test_our_export_for_the_other_side_is_clean_and_internal_copy_is_not(ws, tmp_path):
    sent = tmp_path / "us.docx"
    sent.write_bytes(written_docx(ws, "export", "phased-agreement@us"))
    r = inspect(sent)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        f"{sent}: nothing a sender would not mean to send",
        "  info    custom XML: customXml/item1.xml: drafting paragraph levels only"]
    internal = tmp_path / "internal.docx"
    internal.write_bytes(written_docx(ws, "export", "phased-agreement@us", "--internal"))
    r = inspect(internal)
    assert r.exit_code == 1
    assert "  review  custom XML: customXml/item1.xml: drafting block ids, clauses and " \
        "editions (an --internal copy)" in r.output.splitlines()
    redline = tmp_path / "redline.docx"
    redline.write_bytes(written_docx(ws, "diff", "phased-agreement@us",
                                     "phased-agreement@dprk", "--format", "docx", code=1))
    r = inspect(redline)
    assert r.exit_code == 1
    assert any(line.startswith("  review  tracked changes: ") and
               line.endswith("by 1 author(s): Democratic People's Republic of Korea "
                             + line.rsplit(" ", 1)[-1]) for line in r.output.splitlines())


def test_word_files_from_the_corpus():
    path = need_corpus("docx", "tracked", "usgpo", "USLM-2_0-Review-Guide-v2_0_12-changes.docx")
    found = {f.category: f for f in inspect_bytes(path.read_bytes(), path.name).findings}
    assert found["tracked changes"].detail == "26 pending, by 1 author(s): Author 26"
    assert found["hyperlinks"].severity == "info"
    expected = need_corpus("docx", "compare", "python-redlines", "expected_redline.docx")
    found = {f.category: f for f in inspect_bytes(expected.read_bytes(), "x").findings}
    assert 'author "John Scrudato"' in found["properties"].detail


def test_every_corpus_word_file_is_inspected_or_refused_in_one_line():
    need_corpus("docx")
    for path in sorted((CORPUS / "docx").rglob("*.docx")):
        r = inspect(path, "--json")
        if r.exit_code == 2:
            assert len(r.output.strip().splitlines()) == 1, path
            continue
        assert r.exit_code in (0, 1), (path, r.output)
        data = json.loads(r.output)
        assert (data["review"] > 0) == (r.exit_code == 1), path


@pytest.mark.parametrize("content, message", [
    (b"\x89PNG\r\n\x1a\n....", "not a Word .docx file: it is a PNG image"),
    (b"PK\x03\x04broken", "damaged or truncated .docx"),
])
def test_hostile_files_are_refused_as_by_import(tmp_path, content, message):
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    r = inspect(path)
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    assert message in r.output


def test_an_entity_in_any_part_is_refused(tmp_path):
    data = loaded()
    settings = zip_part(data, "word/settings.xml").decode().replace(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>",
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
    path = tmp_path / "entity.docx"
    path.write_bytes(rewrite_zip(data, {"word/settings.xml": settings.encode()}))
    r = inspect(path)
    assert r.exit_code == 2
    assert "refused: word/settings.xml declares a DOCTYPE or entities" in r.output


def test_links_to_local_files_or_script_are_for_review(tmp_path):
    """Hyperlinks (relationships and HYPERLINK fields) that name a file on a computer or a
    network share, or run script, are findings; web and mail links stay information."""
    from test_attack_output import linked_docx

    data = linked_docx(["https://example.org/", "file:///C:/Users/alice/brief.docx",
                        "mailto:a@example.org", "javascript:alert(1)"])
    body = zip_part(data, "word/document.xml").decode().replace(
        "</w:body>", '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
        r'xml:space="preserve"> HYPERLINK "\\\\server\\share\\plan.docx" </w:instrText>'
        '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>plan</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        '<w:p><w:fldSimple w:instr=\' HYPERLINK "https://example.org/ok" \'><w:r><w:t>ok'
        '</w:t></w:r></w:fldSimple></w:p></w:body>')
    path = tmp_path / "links.docx"
    path.write_bytes(rewrite_zip(data, {"word/document.xml": body.encode()}))
    r = inspect(path)
    assert r.exit_code == 1, r.output
    assert "  review  local links: 3 hyperlink(s) to files on a computer or network, or to " \
        "script: file:///C:/Users/alice/brief.docx; javascript:alert(1); " \
        r"\\server\share\plan.docx" \
        in r.output.splitlines()  # the field's address as Word reads it, unescaped
    assert "  info    hyperlinks: 4 to outside the file" in r.output.splitlines()
    found = next(f for f in json.loads(inspect(path, "--json").output)["findings"]
                 if f["category"] == "local links")
    assert found["severity"] == "review" and found["items"][2] == r"\\server\share\plan.docx"


def test_web_and_mail_links_alone_are_not_for_review(tmp_path):
    from test_attack_output import linked_docx

    path = tmp_path / "links.docx"
    path.write_bytes(linked_docx(["https://example.org/", "mailto:a@example.org", "#top"]))
    assert "local links" not in inspect(path).output
