"""Reviewers' comments of both texts beside `draft diff` (term, CriticMarkup, HTML, JSON)
and in the Word redline, as real Word comments on the same words: on Word files with
comments built here (a reply, a done comment, a comment on words the newer text deletes,
one in both texts) and on the corpus file that has a comment."""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from commented_docx import Note, build
from conftest import copy_workspace, lo_probe, need_corpus
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from test_compare import _accept, _reject

from drafting.cli import main
from drafting.commenting import word_comments
from drafting.compare import compare
from drafting.compare.comments import BOTH, NEW, OLD, place
from drafting.model import Comment, Document
from drafting.readers import docx as docx_reader
from drafting.writers import critic

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OLD_TEXT = [
    "The Parties shall freeze the uranium enrichment facility at Kangson within thirty days.",
    "Inspectors shall have access to every declared site.",
    "This paragraph will be deleted entirely by the newer text.",
    "The Commission shall meet twice a year."]
NEW_TEXT = [
    "The Parties shall freeze the uranium enrichment facility at Yongbyon within sixty days.",
    "Inspectors shall have access to every declared site.",
    "The Commission shall meet twice a year in Geneva."]


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("commented")
    old = build(folder / "old.docx", "Agreement", OLD_TEXT, [
        Note(0, "at Kangson", "Ri Yong", "We cannot accept Kangson."),
        Note(0, "at Kangson", "Kim", "Noted; to be discussed.", answers=0, done=True),
        Note(2, "deleted entirely", "Smith", "Why is this here?"),
        Note(3, "twice a year", "Lee", "Once is enough.")])
    new = build(folder / "new.docx", "Agreement", NEW_TEXT, [
        Note(0, "Yongbyon", "Ri Yong", "Yongbyon is acceptable."),
        Note(0, "Yongbyon", "Kim", "Agreed.", answers=0),
        Note(2, "twice a year", "Lee", "Once is enough.")])
    return old, new


def diff(*args: str, code: int = 1) -> str:
    r = CliRunner().invoke(main, ["diff", *args], catch_exceptions=False)
    assert r.exit_code == code, r.output
    return r.output


def test_term_shows_each_comment_under_its_block_with_side_and_quoted_words(pair):
    out = diff(*map(str, pair), "--color", "never").splitlines()
    at = out.index("@@ (preamble)")
    assert out[at + 1:at + 6] == [
        "The Parties shall freeze the uranium enrichment facility at [-Kangson-]{+Yongbyon+}"
        " within [-thirty-]{+sixty+} days.",
        '    comment (old: old.docx) Ri Yong on "at Kangson": We cannot accept Kangson.',
        "      reply (old: old.docx, done) Kim: Noted; to be discussed.",
        '    comment (new: new.docx) Ri Yong on "Yongbyon": Yongbyon is acceptable.',
        "      reply (new: new.docx) Kim: Agreed."]
    assert out[-4:] == [
        "[deleted] [-This paragraph will be deleted entirely by the newer text.-]",
        '    comment (old: old.docx) Smith on "deleted entirely": Why is this here?',
        "The Commission shall meet twice a year{+ in Geneva+}.",
        '    comment (both: old.docx, new.docx) Lee on "twice a year": Once is enough.']


def test_term_shows_an_unchanged_block_because_it_has_a_comment(tmp_path):
    old = build(tmp_path / "a.docx", "T", ["Same words here.", "One two."],
                [Note(0, "words", "A", "Look.")])
    new = build(tmp_path / "b.docx", "T", ["Same words here.", "One three."], [])
    out = diff(str(old), str(new), "--color", "never")
    assert "Same words here.\n    comment (old: a.docx) A on \"words\": Look.\n" in out
    assert "One [-two-]{+three+}." in out


def test_criticmarkup_puts_each_comment_after_its_words_and_round_trips(pair):
    md = diff(*map(str, pair), "--format", "md")
    body = md.split("\n\n")[2:]
    assert body[0] == (
        "The Parties shall freeze the uranium enrichment facility at {~~Kangson~>Yongbyon~~}"
        "{>>Ri Yong (old: old.docx): We cannot accept Kangson.<<}"
        "{>>Kim (old: old.docx, reply, done): Noted; to be discussed.<<}"
        "{>>Ri Yong (new: new.docx): Yongbyon is acceptable.<<}"
        "{>>Kim (new: new.docx, reply): Agreed.<<} within {~~thirty~>sixty~~} days.")
    assert body[2] == ("{--This paragraph will be deleted entirely--}"
                       "{>>Smith (old: old.docx): Why is this here?<<}{-- by the newer text.--}")
    assert body[3].startswith("The Commission shall meet twice a year"
                              "{>>Lee (both: old.docx, new.docx): Once is enough.<<}")
    accepted = [_accept(b) for b in body if _accept(b)]
    rejected = [_reject(b) for b in body if _reject(b)]
    assert "\n".join(accepted).rstrip() == "\n".join(NEW_TEXT)
    assert "\n".join(rejected).rstrip() == "\n".join(OLD_TEXT)


def _placed(old: Document, new: Document, old_comments, new_comments):
    c = compare(old, new)
    return c, place(c, old_comments, new_comments, "r1", "r2")


def test_criticmarkup_comment_whose_words_are_gone_follows_the_block():
    old = Document("T", (docx_block("p1", "Pay within thirty days."),))
    new = Document("T", (docx_block("p1", "Pay within sixty days."),))
    gone = Comment("0", "A", "", "", "Too short", quoted="not in the text", block="p1")
    closing = Comment("1", "B", "", "", "ends <<} here", quoted="thirty", block="p1")
    c, remarks = _placed(old, new, [gone, closing], [])
    out = critic.render(c, "a", "b", remarks=remarks).split("\n\n")[-1].strip()
    assert out == ("Pay within {~~thirty~>sixty~~}{>>B (old: r1): ends << } here<<} days."
                   "{>>A (old: r1): Too short<<}")
    assert _accept(out) == "Pay within sixty days." and _reject(out) == \
        "Pay within thirty days."


def docx_block(block_id: str, text: str):
    from drafting.model import Block

    return Block("paragraph", 0, block_id, "", text)


def test_placement_sides_both_and_comments_on_text_in_neither():
    old = Document("T", (docx_block("p1", "Alpha beta."), docx_block("p2", "Gamma.")))
    new = Document("T", (docx_block("p1", "Alpha delta."),))
    same = dict(author="A", initials="", date="2026-01-01T00:00:00Z", text="Same")
    c, remarks = _placed(old, new, [
        Comment("0", quoted="beta", block="p1", **same),
        Comment("1", "B", "", "", "On gamma", quoted="Gamma", block="p2"),
        Comment("2", "C", "", "", "Nowhere", quoted="x", block="p9")],
        [Comment("7", quoted="Alpha", block="p1", **same)])
    rows = [(r.comment.text, r.side, r.revisions, r.change) for r in remarks.items]
    assert rows == [("On gamma", OLD, ("r1",), 1), ("Nowhere", OLD, ("r1",), None),
                    ("Same", BOTH, ("r1", "r2"), 0)]
    assert [r.comment.text for r in remarks.unplaced] == ["Nowhere"]
    assert remarks.at(0)[0].text_side == NEW
    term = diff_term(c, remarks)
    assert term[-2:] == ["@@ comments on text in neither version",
                         '    comment (old: r1) C on "x": Nowhere']


def diff_term(c, remarks) -> list[str]:
    from drafting.writers import term

    return term.render(c, "a", "b", remarks=remarks).splitlines()


def test_json_lists_the_comments_with_side_revisions_and_block_change(pair):
    data = json.loads(diff(*map(str, pair), "--format", "json"))
    rows = [(x["author"], x["side"], x["revisions"], x["change"], x["parent"], x["done"])
            for x in data["comments"]]
    assert rows == [("Ri Yong", "old", ["old.docx"], 0, None, False),
                    ("Kim", "old", ["old.docx"], 0, "0", True),
                    ("Smith", "old", ["old.docx"], 2, None, False),
                    ("Ri Yong", "new", ["new.docx"], 0, None, False),
                    ("Kim", "new", ["new.docx"], 0, "0", False),
                    ("Lee", "both", ["old.docx", "new.docx"], 3, None, False)]
    for x in data["comments"]:
        block = data["blocks"][x["change"]]
        side = block["old"] if x["side"] == "old" else block["new"]
        assert side["id"] == x["block"]
    no_comments = json.loads(diff(str(pair[0]), str(pair[0]), "--format", "json", code=0))
    assert no_comments["comments"][0]["side"] == "both"


def test_html_has_margin_notes_beside_their_paragraph(pair, tmp_path):
    page = diff(*map(str, pair), "--format", "html")
    redline = page[page.index('<section class="redline">'):]
    notes = re.findall(r'<div class="commented"><p class="[^"]*">(.*?)</p>'
                       r'<aside class="margin">(.*?)</aside></div>', redline)
    assert len(notes) == 3  # the commented paragraphs, the unchanged-but-commented too
    text, aside = notes[0]
    assert "<mark>at </mark><mark><del>Kangson</del></mark><sup class=\"cref\">1,2</sup>" in text
    assert re.findall(r'<span class="n">(\d)</span> <span class="who">([^<]*)</span> '
                      r'<span class="tag">([^<]*)</span>', aside) == [
        ("1", "Ri Yong", "old: old.docx"), ("2", "Kim", "old: old.docx · done"),
        ("3", "Ri Yong", "new: new.docx"), ("4", "Kim", "new: new.docx")]
    assert '<div class="remark old reply">' in aside and "<q>at Kangson</q>" in aside
    side_by_side = page[page.index('<table class="sbs">'):page.index('<section class="redline">')]
    assert side_by_side.count('<div class="remark') == 6


# -- the Word redline of two revisions (written from the model) ---------------------------

@pytest.fixture(scope="module")
def imported(pair, tmp_path_factory) -> Path:
    """A workspace where DPRK's side has the two files as revisions r1 and r2."""
    root = copy_workspace(tmp_path_factory.mktemp("imported") / "ws")
    for path in pair:
        r = CliRunner().invoke(main, ["-C", str(root), "import", str(path), "-a",
                                      "phased-agreement", "--side", "dprk"])
        assert r.exit_code == 0, r.output
    return root


def _redline(root: Path, tmp_path: Path, old: str = "phased-agreement@dprk~1",
             new: str = "phased-agreement@dprk") -> Path:
    out = tmp_path / "redline.docx"
    r = CliRunner().invoke(main, ["-C", str(root), "diff", old, new, "-o", str(out)])
    assert r.exit_code == 1, r.output
    return out


def test_redline_writes_both_sides_comments_on_their_words(imported, tmp_path):
    path = _redline(imported, tmp_path)
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    deleted = body.xpath("//w:del[w:commentRangeEnd]", namespaces={"w": W})
    assert len(deleted) == 2  # Kangson's comment ends in its deletion, Smith's is inside one
    smith = next(d for d in deleted if d.xpath("string(.//w:delText)", namespaces={"w": W})
                 == "deleted entirely")
    assert [etree.QName(e).localname for e in smith] == [
        "commentRangeStart", "r", "commentRangeEnd", "r"]  # the reference run is deleted too
    found = docx_reader.read_file(path)
    comments = word_comments(path.read_bytes(), str(path), found.accepted)
    assert [(c.author, c.text, c.done, c.parent) for c in comments] == [
        ("Ri Yong", "We cannot accept Kangson.", False, None),
        ("Kim", "Noted; to be discussed.", True, "0"),
        ("Ri Yong", "Yongbyon is acceptable.", False, None),
        ("Kim", "Agreed.", False, "2"),
        ("Smith", "Why is this here?", False, None),
        ("Lee", "Once is enough.", False, None)]


def test_redline_comments_as_libreoffice_reads_them(imported, tmp_path):
    path = _redline(imported, tmp_path)
    (seen,) = lo_probe("inspect", str(path))
    assert [(c["author"], c["text"], c["anchored"], c["resolved"]) for c in seen["comments"]] \
        == [("Kim", "Noted; to be discussed.", "at Kangson", True),
            ("Ri Yong", "We cannot accept Kangson.", "at Kangson", False),
            ("Ri Yong", "Yongbyon is acceptable.", "Yongbyon", False),
            ("Kim", "Agreed.", "Yongbyon", False),
            ("Smith", "Why is this here?", "deleted entirely", False),
            ("Lee", "Once is enough.", "twice a year", False)]
    body = [p["text"] for p in seen["accepted"] if p["style"] != "table"]
    assert body[-3:] == NEW_TEXT
    assert [p["text"] for p in seen["rejected"]][-4:] == OLD_TEXT
    kept = {c["text"]: c["anchored"] for c in seen["rejected_comments"]}
    assert kept["Why is this here?"] == "deleted entirely"  # still on the deleted words
    accepted = {c["text"]: c["anchored"] for c in seen["accepted_comments"]}
    assert accepted["Why is this here?"] == "" and accepted["Agreed."] == "Yongbyon"


def test_corpus_comment_stays_on_text_the_diff_deleted(tmp_path):
    folder = need_corpus("docx", "tracked", "pandoc")
    commented = folder / "track_changes_scrubbed_metadata.docx"
    root = copy_workspace(tmp_path / "ws")
    for path in (commented, folder / "track_changes_insertion.docx"):
        r = CliRunner().invoke(main, ["-C", str(root), "import", str(path), "-a",
                                      "phased-agreement", "--side", "dprk"])
        assert r.exit_code == 0, r.output
    out = _redline(root, tmp_path)
    with zipfile.ZipFile(out) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    (start,) = body.iter(f"{{{W}}}commentRangeStart")
    assert etree.QName(start.getparent()).localname == "del"
    assert start.getparent().xpath("string(.//w:delText)", namespaces={"w": W}) == "document"
    text = diff(str(commented), str(folder / "track_changes_insertion.docx"), "--color",
                "never")
    assert ('    comment (old: track_changes_scrubbed_metadata.docx) Author on "document": '
            "With a comment!") in text
    (seen,) = lo_probe("inspect", str(out))
    assert [(c["author"], c["text"], c["anchored"]) for c in seen["comments"]] == [
        ("Author", "With a comment!", "document")]


def test_revisions_comments_are_shown_with_their_revision_numbers(imported, tmp_path):
    root = imported
    out = CliRunner().invoke(main, ["-C", str(root), "diff", "phased-agreement@dprk~1",
                                    "phased-agreement@dprk", "--color", "never"]).output
    assert '    comment (old: r1) Smith on "deleted entirely": Why is this here?' in out
    assert '    comment (both: r1, r2) Lee on "twice a year": Once is enough.' in out
    redline = tmp_path / "r.docx"
    r = CliRunner().invoke(main, ["-C", str(root), "export", "phased-agreement@dprk",
                                  "--against", "phased-agreement@dprk~1", "-o", str(redline)])
    assert r.exit_code == 0, r.output
    doc = docx.Document(io.BytesIO(redline.read_bytes()))
    assert sorted(c.text for c in doc.comments) == sorted(
        ["We cannot accept Kangson.", "Noted; to be discussed.", "Why is this here?",
         "Yongbyon is acceptable.", "Agreed.", "Once is enough."])


MARGIN_LAYOUT = """[...document.querySelectorAll('.redline .commented')].map(d => {
    const p = d.querySelector('p').getBoundingClientRect();
    const a = d.querySelector('aside').getBoundingClientRect();
    return {gap: a.left - p.right, top: a.top - p.top, aside: a.width, text: p.width,
            right: a.right, font: parseFloat(getComputedStyle(d.querySelector('.remark'))
                                             .fontSize)}; })"""


@pytest.mark.parametrize("media, width", [("screen", 1280), ("print", 720)])
def test_margin_notes_stand_beside_their_paragraph_on_screen_and_paper(pair, tmp_path, media,
                                                                       width):
    """At 1280 px and at a printed page's width (A4 less its margins): each paragraph's
    notes start level with it, to its right, inside the page, in a readable size."""
    from chromium import Page, need_chromium

    page_file = tmp_path / "diff.html"
    diff(*map(str, pair), "-o", str(page_file))
    page = Page(need_chromium(), width=width)
    try:
        page.call("Emulation.setEmulatedMedia", {"media": media})
        page.open(page_file)
        boxes = page.js(MARGIN_LAYOUT)
        assert len(boxes) == 3
        for box in boxes:
            assert box["gap"] >= 12 and abs(box["top"]) < 2, box
            assert box["right"] <= width and box["text"] > 1.5 * box["aside"], box
            assert box["font"] >= 10, box
        assert page.js("document.documentElement.scrollWidth") <= width
        shots = Path(os.environ.get("DRAFTING_SCREENSHOTS") or tmp_path)
        page.screenshot(shots / f"diff-comments-{media}.png")
        assert page.errors == []
    finally:
        page.close()


def test_replies_and_done_survive_export_and_import_again(pair, tmp_path):
    """Import a file with a reply and a done comment, export the revision, import that
    export: the same threads (which answers which) and done marks, read by our reader
    from the commentsExtended.xml we wrote."""
    root = copy_workspace(tmp_path / "ws")

    def run(*args: str) -> str:
        r = CliRunner().invoke(main, ["-C", str(root), *args], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return r.output

    def threads(listing: str) -> list[tuple[str, str, str | None, bool]]:
        rows = json.loads(listing)["comments"]
        by_id = {c["id"]: c["text"] for c in rows}
        return [(c["author"], c["text"], by_id.get(c["parent"]), c["done"]) for c in rows]

    run("import", str(pair[0]), "-a", "phased-agreement", "--side", "dprk")
    stored = threads(run("comments", "phased-agreement@dprk", "--json"))
    assert stored[1] == ("Kim", "Noted; to be discussed.", "We cannot accept Kangson.", True)
    exported = tmp_path / "sent.docx"
    run("export", "phased-agreement@dprk", "-o", str(exported))
    with zipfile.ZipFile(exported) as z:
        assert "word/commentsExtended.xml" in z.namelist()
    assert threads(run("comments", str(exported), "--json")) == stored
    again = run("import", str(exported), "-a", "phased-agreement", "--side", "us")
    assert "unchanged, same as" in again  # same text, and the same comments to the letter


def test_comments_of_every_shape_keep_their_text_and_unique_ids():
    """One-line comments after the first are copies of it; a comment of several lines,
    or of none, is python-docx's own: ids stay unique across both (the session's checker
    validates the file), texts and authors as given."""
    from drafting.writers import docx_clean
    from drafting.writers.word import Meta

    doc = Document("T", (docx_block("p1", "Alpha beta gamma delta."),))
    texts = ["One.", "Two\nlines.", " padded ", "", "Three."]
    notes = [Comment(str(n), f"A{n}", "", "2026-01-02T03:04:05Z" if n % 2 else "", text,
                     quoted="beta", block="p1") for n, text in enumerate(texts)]
    data = docx_clean.render(doc, Meta("T", "", "", "r1", "2026-01-01T00:00:00Z"),
                             comments=notes)
    back = docx.Document(io.BytesIO(data)).comments
    assert [(c.author, c.text, c.comment_id) for c in back] == [
        (f"A{n}", text, n) for n, text in enumerate(texts)]
    read = word_comments(data, "x.docx", doc)
    assert [c.date for c in read] == ["", "2026-01-02T03:04:05Z", "", "2026-01-02T03:04:05Z", ""]
    assert {c.quoted for c in read} == {"beta"}


def _pdf_notes(pdf: bytes) -> list[tuple[str, str]]:
    """(title, text) of each PDF text note: LibreOffice titles it "author, date"."""
    def text(hex_string: bytes) -> str:
        return bytes.fromhex(hex_string.decode())[2:].decode("utf-16-be")

    return sorted((text(t), text(c)) for c, t in re.findall(
        rb"/Subtype /Text [^>]*?/Contents <([0-9A-F]+)>\s*/T <([0-9A-F]+)>", pdf))


def test_redline_pdf_shows_every_comment_with_its_author(imported, tmp_path):
    """Rendered by LibreOffice (lo_probe pdf): each comment a note at its place, with its
    author and text (this LibreOffice, 7.4, cannot put them in the margin: the probe asks
    for ExportNotesInMargin, which 7.5 and later honour)."""
    path = _redline(imported, tmp_path)
    result = lo_probe("pdf", str(path), str(tmp_path))
    notes = _pdf_notes(Path(result["pdf"]).read_bytes())
    assert [(title.split(",")[0], body) for title, body in notes] == sorted([
        ("Kim", "Agreed."), ("Kim", "Noted; to be discussed."), ("Lee", "Once is enough."),
        ("Ri Yong", "We cannot accept Kangson."), ("Ri Yong", "Yongbyon is acceptable."),
        ("Smith", "Why is this here?")])
    assert sum("RESOLVED" in title for title, _ in notes) == 1  # Kim's done comment


# -- properties: comments anywhere change no text -----------------------------------------

@st.composite
def commented_pairs(draw):
    """A pair of agreements (moves, insertions, deletions, edits) and comments of both
    sides on words of their blocks, some on words the other side no longer has."""
    from test_compare import pairs_with_moves

    old, new = draw(pairs_with_moves())

    def notes(doc: Document, side: str) -> list[Comment]:
        out = []
        for n, block in enumerate(b for b in doc.blocks if b.text):
            if not draw(st.booleans()):
                continue
            words = block.text.split()
            start = draw(st.integers(0, len(words) - 1))
            end = draw(st.integers(start + 1, min(len(words), start + 6)))
            out.append(Comment(f"{side}{n}", f"{side} reviewer", "", "", f"{side} note {n}",
                               " ".join(words[start:end]), block.id, block.label))
        return out

    return old, new, notes(old, "o"), notes(new, "n")


@settings(max_examples=60, deadline=None)
@given(commented_pairs())
def test_comments_anywhere_leave_criticmarkup_accept_and_reject_as_they_were(case):
    old, new, old_notes, new_notes = case
    c = compare(old, new)
    remarks = place(c, old_notes, new_notes, "r1", "r2")
    assert len(remarks.items) == len(old_notes) + len(new_notes)
    plain = critic.render(c, "a", "b")
    commented = critic.render(c, "a", "b", remarks=remarks)
    assert commented.count("{>>") - plain.count("{>>") == len(remarks.items)
    assert _accept(commented) == _accept(plain) and _reject(commented) == _reject(plain)


@settings(max_examples=25, deadline=None)
@given(commented_pairs())
def test_comments_anywhere_in_the_word_redline_change_neither_text(case):
    """Every comment written, on the words it quotes in its side's text; accepting every
    tracked change still gives the newer text and rejecting them the older one (read back
    by our reader); the session's checker validates each file."""
    from drafting.writers import docx_redline
    from drafting.writers.word import Meta

    old, new, old_notes, new_notes = case
    c = compare(old, new)
    remarks = place(c, old_notes, new_notes, "r1", "r2")
    data = docx_redline.render(c, Meta("T", "", "", "r2", "2026-01-01T00:00:00Z"), "r1", "r2",
                               summary_table=False, remarks=remarks)
    path = Path(tempfile.mkdtemp()) / "r.docx"
    path.write_bytes(data)
    read = docx_reader.read_file(path)
    assert [b.text for b in read.accepted.blocks] == [b.text for b in new.blocks]
    assert [b.text for b in read.original.blocks] == [b.text for b in old.blocks]
    written = docx.Document(io.BytesIO(data)).comments
    assert sorted(x.text for x in written) == sorted(r.comment.text for r in remarks.items)
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    for r in remarks.items:
        cid = str(next(x.comment_id for x in written if x.text == r.comment.text))
        words = _covered(body, cid, "ins" if r.text_side == OLD else "del")
        assert " ".join(r.comment.quoted.split()) in " ".join(words.split())


def _covered(body: etree._Element, cid: str, other: str) -> str:
    """The text between a comment's range start and end, leaving out the other side's
    (w:ins for an old comment, w:del for a new one)."""
    inside, out = False, []
    for e in body.iter(f"{{{W}}}commentRangeStart", f"{{{W}}}commentRangeEnd",
                       f"{{{W}}}t", f"{{{W}}}delText"):
        tag = etree.QName(e).localname
        if tag.startswith("commentRange"):
            if e.get(f"{{{W}}}id") == cid:
                if tag == "commentRangeEnd":
                    break
                inside = True
        elif inside and not any(etree.QName(x).localname == other for x in e.iterancestors()):
            out.append(e.text or "")
    return "".join(out)


def test_export_of_a_word_file_keeps_its_comments_and_threads(pair, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # outside any workspace
    out = tmp_path / "clean.docx"
    r = CliRunner().invoke(main, ["export", str(pair[0]), "-o", str(out)])
    assert r.exit_code == 0, r.output
    mine = json.loads(CliRunner().invoke(main, ["comments", str(pair[0]), "--json"]).output)
    back = json.loads(CliRunner().invoke(main, ["comments", str(out), "--json"]).output)
    keys = ("author", "text", "quoted", "parent", "done")
    assert [[c[k] for k in keys] for c in back["comments"]] == \
        [[c[k] for k in keys] for c in mine["comments"]]


def test_a_long_chain_of_replies_and_a_cycle_are_placed_in_order():
    """A hostile file can chain thousands of replies, or make two answer each other."""
    doc = Document("T", (docx_block("p1", "Alpha beta."),))
    chain = [Comment(str(n), "A", "", "", f"r{n}", quoted="beta", block="p1",
                     parent=str(n - 1) if n else None) for n in range(5000)]
    cycle = [Comment("x", "B", "", "", "x", quoted="beta", block="p1", parent="y"),
             Comment("y", "B", "", "", "y", quoted="beta", block="p1", parent="x")]
    _, remarks = _placed(doc, doc, [], [*reversed(chain), *cycle])
    assert [r.comment.text for r in remarks.items] == [f"r{n}" for n in range(5000)] + ["x", "y"]
