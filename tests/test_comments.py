"""Reviewers' comments read from Word files: author, initials, date, text, the words they
are anchored to and the block those are in; replies and done state from
commentsExtended.xml; `draft comments FILE.docx [--json]`."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import built_example, need_corpus, rewrite_zip, written_docx

from drafting.cli import main

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


def comments(*args: str):
    return CliRunner().invoke(main, ["comments", *args])


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    return built_example(tmp_path_factory.mktemp("comments") / "ws")


def reviewed(ws: Path, target: Path) -> Path:
    """Our export, with two reviewer comments added as Word adds them (python-docx 1.2's
    comments API), the second answering the first and marked done."""
    doc = docx.Document(io.BytesIO(written_docx(ws, "export", "phased-agreement@us")))
    paragraph = next(p for p in doc.paragraphs if "uranium enrichment facility at Kangson"
                     in p.text)
    run = next(r for r in paragraph.runs if "Kangson" in r.text)
    first = doc.add_comment(run, text="We cannot accept Kangson.", author="Ri Yong",
                            initials="RY")
    doc.add_comment(run, text="Noted; to be discussed in Vienna.", author="Kim", initials="K")
    first.paragraphs[0]._p.set(f"{{{W14}}}paraId", "00000001")
    out = io.BytesIO()
    doc.save(out)
    data = _with_extended(out.getvalue())
    target.write_bytes(data)
    return target


def _with_extended(data: bytes) -> bytes:
    """Mark the second comment as an answer to the first, and done (Word 2013+)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/comments.xml"].decode()
    last = xml.rindex("<w:p>") if "<w:p>" in xml[xml.index("Noted") - 400:] else None
    assert last is not None
    xml = xml[:last] + f'<w:p xmlns:w14="{W14}" w14:paraId="00000002">' + xml[last + 5:]
    parts["word/comments.xml"] = xml.encode()
    parts["word/commentsExtended.xml"] = (
        f'<?xml version="1.0"?><w15:commentsEx xmlns:w15="{W15}">'
        '<w15:commentEx w15:paraId="00000001" w15:done="0"/>'
        '<w15:commentEx w15:paraId="00000002" w15:paraIdParent="00000001" w15:done="1"/>'
        "</w15:commentsEx>").encode()
    rels = parts["word/_rels/document.xml.rels"].decode().replace("</Relationships>", (
        '<Relationship Id="rIdCx" Type="http://schemas.microsoft.com/office/2011/relationships/'
        'commentsExtended" Target="commentsExtended.xml"/></Relationships>'))
    parts["word/_rels/document.xml.rels"] = rels.encode()
    types = parts["[Content_Types].xml"].decode().replace("</Types>", (
        '<Override PartName="/word/commentsExtended.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"/></Types>'))
    parts["[Content_Types].xml"] = types.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def test_comments_of_a_reviewed_file_with_anchor_block_and_replies(ws, tmp_path):
    path = reviewed(ws, tmp_path / "reviewed.docx")
    r = CliRunner().invoke(main, ["-C", str(ws), "comments", str(path)])
    assert r.exit_code == 0, r.output
    lines = [re.sub(r" \d{4}-\d\d-\d\d ", " DATE ", line) for line in r.output.splitlines()]
    assert lines == [
        "reviewed.docx: 2 comment(s)",
        '  #0 Ri Yong (RY) DATE 4.2(d) on "the uranium enrichment facility at Kangson;": '
        "We cannot accept Kangson.",
        '    ↳ #1 Kim (K) DATE 4.2(d) on "the uranium enrichment facility at Kangson;" '
        "[done]: Noted; to be discussed in Vienna."]
    data = json.loads(CliRunner().invoke(main, ["-C", str(ws), "comments", str(path),
                                                "--json"]).output)
    first, second = data["comments"]
    assert (first["id"], first["author"], first["initials"], first["text"]) == (
        "0", "Ri Yong", "RY", "We cannot accept Kangson.")
    assert first["quoted"] == "the uranium enrichment facility at Kangson;"
    assert first["block"] == "nuclear.freeze#p4"  # our workspace maps the token back
    assert second["parent"] == "0" and second["done"] and not first["done"]
    outside = json.loads(comments(str(path), "--json").output)  # no workspace of ours
    assert outside["comments"][0]["block"].startswith("auto:")
    assert outside["comments"][0]["label"] == "4.2(d)"


def test_quoted_text_leaves_out_deleted_words(tmp_path):
    doc = docx.Document()
    p = doc.add_paragraph()
    kept = p.add_run("within thirty days")
    doc.add_comment(kept, text="too short", author="A")
    out = io.BytesIO()
    doc.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    body = parts["word/document.xml"].decode().replace(
        "<w:t>within thirty days</w:t></w:r>",
        '<w:t xml:space="preserve">within </w:t></w:r><w:del w:id="99" w:author="B">'
        "<w:r><w:delText>thirty</w:delText></w:r></w:del><w:r><w:t> sixty days</w:t></w:r>")
    parts["word/document.xml"] = body.encode()
    path = tmp_path / "c.docx"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    (only,) = json.loads(comments(str(path), "--json").output)["comments"]
    assert only["quoted"] == "within sixty days"


def test_corpus_file_with_a_comment():
    path = need_corpus("docx", "tracked", "pandoc", "track_changes_scrubbed_metadata.docx")
    data = json.loads(comments(str(path), "--json").output)
    assert [(c["author"], c["text"]) for c in data["comments"]] == [
        ("Author", "With a comment!")]
    assert data["comments"][0]["quoted"] == "document"


def test_a_file_without_comments_and_a_text_file(ws, tmp_path):
    path = tmp_path / "plain.docx"
    path.write_bytes(written_docx(ws, "export", "phased-agreement@us"))
    assert comments(str(path)).output == "plain.docx: 0 comment(s)\n"
    text = tmp_path / "a.md"
    text.write_text("# A\n")
    r = comments(str(text))
    assert r.exit_code == 2 and "comments are read from Word files (.docx)" in r.output


def test_comments_are_kept_with_the_imported_revision_and_written_back(ws, tmp_path):
    path = reviewed(ws, tmp_path / "reviewed.docx")
    r = CliRunner().invoke(main, ["-C", str(ws), "import", str(path), "-a", "phased-agreement",
                                  "--side", "dprk", "-m", "reply with comments"])
    assert r.exit_code == 0, r.output
    stored = json.loads(CliRunner().invoke(main, ["-C", str(ws), "comments",
                                                  "phased-agreement@dprk", "--json"]).output)
    read = json.loads(CliRunner().invoke(main, ["-C", str(ws), "comments", str(path),
                                                "--json"]).output)
    assert stored["comments"] == read["comments"]  # with the revision, as the file had them
    text = CliRunner().invoke(main, ["-C", str(ws), "show", "phased-agreement@dprk"]).output
    assert "cannot accept" not in text  # the revision's text is the document's, unchanged
    shown = CliRunner().invoke(main, ["-C", str(ws), "show", "phased-agreement@dprk",
                                      "--comments"]).output
    listed = CliRunner().invoke(main, ["-C", str(ws), "comments", "phased-agreement@dprk"])
    assert shown == text + "\n" + listed.output and "We cannot accept Kangson." in shown
    r = CliRunner().invoke(main, ["-C", str(ws), "show", "phased-agreement@dprk",
                                  "--comments", "--format", "json"])
    assert r.exit_code == 2 and "for JSON: draft comments REF --json" in r.output
    again = tmp_path / "again.docx"
    again.write_bytes(written_docx(ws, "export", "phased-agreement@dprk"))
    back = json.loads(CliRunner().invoke(main, ["-C", str(ws), "comments", str(again),
                                                "--json"]).output)["comments"]
    keys = ("author", "initials", "date", "text", "quoted", "block", "label")
    assert [{k: c[k] for k in keys} for c in back] == [
        {k: c[k] for k in keys} for c in stored["comments"]]  # real Word comments again
    with zipfile.ZipFile(again) as z:
        body = z.read("word/document.xml").decode()
    quoted = re.search(r'<w:commentRangeStart w:id="0"/>(.*?)<w:commentRangeEnd w:id="0"/>',
                       body).group(1)
    assert "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", quoted)) == \
        "the uranium enrichment facility at Kangson;"


def test_audit_lists_the_returned_files_comments(ws, tmp_path):
    """A file sent back clean but commented: audit says it is clean, then its comments;
    with an untracked edit, they stand under their blocks in the edits shown."""
    path = reviewed(ws, tmp_path / "reviewed.docx")
    r = CliRunner().invoke(main, ["-C", str(ws), "audit", str(path), "--against",
                                  "phased-agreement@us", "--color", "never"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith(f"{path}: clean: it has no tracked changes and is exactly")
    assert lines[1:] == [
        "2 comments:",
        '    comment (new: reviewed.docx) Ri Yong on "the uranium enrichment facility at '
        'Kangson;": We cannot accept Kangson.',
        "      reply (new: reviewed.docx, done) Kim: Noted; to be discussed in Vienna."]
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode()
    edited = tmp_path / "edited.docx"
    edited.write_bytes(rewrite_zip(path.read_bytes(), {"word/document.xml": body.replace(
        "Kangson", "Kangsong", 1).encode()}))
    r = CliRunner().invoke(main, ["-C", str(ws), "audit", str(edited), "--against",
                                  "phased-agreement@us", "--color", "never"])
    assert r.exit_code == 1
    out = r.output.splitlines()
    at = out.index("(d) the uranium enrichment facility at [-Kangson-]{+Kangsong+};")
    assert out[at + 1:at + 3] == [
        '    comment (new: edited.docx) Ri Yong on "the uranium enrichment facility at '
        'Kangsong;": We cannot accept Kangson.',
        "      reply (new: edited.docx, done) Kim: Noted; to be discussed in Vienna."]
