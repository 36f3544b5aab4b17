"""Comments in the redline of two Word files (drafting.wordcompare): the newer file's kept
as they are, the older file's brought in on their words (deleted ones too) without
duplicating those both files have, with fresh ids and their threads; checked against the
schemas (docxcheck) and as LibreOffice reads them after accept-all and reject-all."""

from __future__ import annotations

import copy
import io
import tempfile
import zipfile
from pathlib import Path

import docx
import docxcheck
import pytest
from commented_docx import W14, W15, Note, build
from conftest import lo_probe, need_corpus, rewrite_zip, zip_part
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from test_diff_comments import _pdf_notes
from test_word_into import _story_text

from drafting.errors import DraftingError
from drafting.readers.docx.comments import MAX_COMMENTS, read_comments
from drafting.readers.docx.package import Package
from drafting.wordcompare import redline_files
from drafting.wordcompare.pending import ACCEPT, REJECT

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "w15": W15, "w14": W14}
OLD = ["The parties meet at Kangson twice a year.", "This sentence is deleted entirely.",
       "Unchanged words here."]
NEW = ["The parties meet at Yongbyon twice a year in Geneva.", "Unchanged words here."]
OLD_NOTES = [Note(0, "at Kangson", "Ri Yong", "We cannot accept Kangson."),
             Note(0, "at Kangson", "Kim", "Noted.", answers=0, done=True),
             Note(1, "deleted entirely", "Smith", "Why is this here?"),
             Note(2, "Unchanged", "Lee", "Old only, on kept words."),
             Note(2, "words here", "Park", "In both."),
             Note(2, "words here", "Kim", "A reply the newer file lacks.", answers=4)]
NEW_NOTES = [Note(0, "twice a year", "Ri Yong", "Once is enough."),
             Note(0, "in Geneva", "Kim", "On inserted words."),
             Note(1, "words here", "Park", "In both.")]


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("wc-comments")
    old = build(folder / "old.docx", "Agreement", OLD, OLD_NOTES)
    new = build(folder / "new.docx", "Agreement", NEW, NEW_NOTES)
    out = folder / "redline.docx"
    out.write_bytes(redline_files(old.read_bytes(), new.read_bytes(), "old.docx",
                                  "new.docx", "Secretariat").data)
    return old, new, out


def _part(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(zip_part(data, name))


def _comments(data: bytes) -> list[tuple[str, str, str]]:
    """(author, text, accepted quoted words) of each comment, by id."""
    return sorted((c.author, c.text, c.quoted) for c in
                  read_comments(Package(data, "redline.docx")))


def test_both_files_comments_are_in_the_redline_once_and_valid(pair):
    data = pair[2].read_bytes()
    docxcheck.assert_valid(data, "redline")
    assert _comments(data) == sorted([
        ("Ri Yong", "Once is enough.", "twice a year"),
        ("Kim", "On inserted words.", "in Geneva"),
        ("Park", "In both.", "words here"),
        ("Ri Yong", "We cannot accept Kangson.", "at"),  # "Kangson" deleted
        ("Kim", "Noted.", "at"),
        ("Smith", "Why is this here?", ""),  # all its words deleted
        ("Lee", "Old only, on kept words.", "Unchanged"),
        ("Kim", "A reply the newer file lacks.", "words here")])
    ids = [c.get(f"{{{W}}}id") for c in _part(data, "word/comments.xml")]
    assert len(ids) == len(set(ids)) == 8


def test_a_comment_on_deleted_words_stays_on_them_inside_deletions(pair):
    body = _part(pair[2].read_bytes(), "word/document.xml")
    smith = body.xpath("//w:p[.//w:delText='deleted entirely']", namespaces=NS)[0]
    (start,) = smith.xpath(".//w:commentRangeStart", namespaces=NS)
    cid = start.get(f"{{{W}}}id")
    assert start.getnext().xpath("string(.)") == "deleted entirely"
    assert etree.QName(start.getnext()).localname == "del"
    (ref,) = body.xpath(f"//w:commentReference[@w:id='{cid}']", namespaces=NS)
    assert etree.QName(ref.getparent().getparent()).localname == "del"  # accept removes it
    # a comment on inserted words only is inserted with them; one on mixed words is not
    for author, kind in (("Kim", "ins"), ("Ri Yong", None)):
        (c,) = [c for c in read_comments(Package(pair[2].read_bytes(), "r.docx"))
                if c.author == author and c.text in ("On inserted words.",
                                                     "We cannot accept Kangson.")]
        (ref,) = body.xpath(f"//w:commentReference[@w:id='{c.id}']", namespaces=NS)
        wrapper = etree.QName(ref.getparent().getparent()).localname
        assert (wrapper if wrapper in ("ins", "del") else None) == kind


def test_replies_and_done_are_threaded_with_fresh_paragraph_ids(pair):
    data = pair[2].read_bytes()
    threads = {(c.author, c.text): (c.parent, c.done) for c in
               read_comments(Package(data, "r.docx"))}
    by_id = {c.id: c.text for c in read_comments(Package(data, "r.docx"))}
    parent, done = threads["Kim", "Noted."]
    assert by_id[parent] == "We cannot accept Kangson." and done
    parent, done = threads["Kim", "A reply the newer file lacks."]
    assert by_id[parent] == "In both." and not done  # the newer file's copy of it
    ex = _part(data, "word/commentsExtended.xml").findall(f"{{{W15}}}commentEx")
    para_ids = [e.get(f"{{{W15}}}paraId") for e in ex]
    assert len(para_ids) == len(set(para_ids)) == 8  # the newer file's 3, 5 brought in


def test_the_older_file_alone_having_comments_gives_the_redline_its_parts(tmp_path):
    old = build(tmp_path / "old.docx", "Agreement", OLD, OLD_NOTES)
    new = build(tmp_path / "new.docx", "Agreement", NEW, [])
    data = redline_files(old.read_bytes(), new.read_bytes(), "old.docx", "new.docx",
                         "me").data
    docxcheck.assert_valid(data, "redline")
    assert {a for a, _, _ in _comments(data)} == {"Ri Yong", "Kim", "Smith", "Lee", "Park"}
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert {"word/comments.xml", "word/commentsExtended.xml"} <= set(names)
    # and the other way round: the older file's comments only, none of them kept
    back = redline_files(new.read_bytes(), old.read_bytes(), "new.docx", "old.docx",
                         "me").data
    docxcheck.assert_valid(back, "redline")
    assert len(_comments(back)) == len(OLD_NOTES)


def test_a_file_against_itself_keeps_one_copy_of_each_comment(pair):
    old = pair[0].read_bytes()
    data = redline_files(old, old, "a.docx", "b.docx", "me").data
    assert _comments(data) == _comments(old)
    docxcheck.assert_valid(data, "redline")


def test_comment_ids_rows_get_fresh_durable_ids(tmp_path):
    """commentsIds.xml (Word 2016+) rows follow the brought-in comments."""
    cid = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
    old = build(tmp_path / "old.docx", "Agreement", OLD, OLD_NOTES[:3]).read_bytes()
    ids = etree.Element(f"{{{cid}}}commentsIds", nsmap={"w16cid": cid})
    for k in range(3):
        etree.SubElement(ids, f"{{{cid}}}commentId", {f"{{{cid}}}paraId": f"{0x1A2B0000 + k:08X}",
                                                       f"{{{cid}}}durableId": "0000000A"})
    rels = _part(old, "word/_rels/document.xml.rels")
    etree.SubElement(rels, "{http://schemas.openxmlformats.org/package/2006/relationships}"
                     "Relationship", Id="rIdCid", Target="commentsIds.xml", Type=(
                         "http://schemas.microsoft.com/office/2016/09/relationships/"
                         "commentsIds"))
    types = _part(old, "[Content_Types].xml")
    etree.SubElement(types, "{http://schemas.openxmlformats.org/package/2006/content-types}"
                     "Override", PartName="/word/commentsIds.xml", ContentType=(
                         "application/vnd.openxmlformats-officedocument.wordprocessingml."
                         "commentsIds+xml"))
    old = rewrite_zip(old, {"word/commentsIds.xml": etree.tostring(ids),
                            "word/_rels/document.xml.rels": etree.tostring(rels),
                            "[Content_Types].xml": etree.tostring(types)})
    new = build(tmp_path / "new.docx", "Agreement", NEW, NEW_NOTES).read_bytes()
    data = redline_files(old, new, "old.docx", "new.docx", "me").data
    docxcheck.assert_valid(data, "redline")
    rows = _part(data, "word/commentsIds.xml").findall(f"{{{cid}}}commentId")
    extended = {e.get(f"{{{W15}}}paraId") for e in
                _part(data, "word/commentsExtended.xml").iter(f"{{{W15}}}commentEx")}
    assert len(rows) == 3 and len({r.get(f"{{{cid}}}durableId") for r in rows}) == 3
    assert {r.get(f"{{{cid}}}paraId") for r in rows} <= extended


def test_corpus_comment_on_deleted_words_in_both_directions():
    folder = need_corpus("docx", "tracked", "pandoc")
    commented = (folder / "track_changes_scrubbed_metadata.docx").read_bytes()
    other = (folder / "track_changes_insertion.docx").read_bytes()
    for old, new, quoted in ((commented, other, ""), (other, commented, "document"),
                             (commented, commented, "document")):
        data = redline_files(old, new, "old.docx", "new.docx", "me").data
        docxcheck.assert_valid(data, "redline")
        assert _comments(data) == [("Author", "With a comment!", quoted)]


def test_libreoffice_reads_the_comments_after_accept_and_reject(pair):
    (seen,) = lo_probe("inspect", str(pair[2]))
    shown = {(c["author"], c["text"]): c["anchored"] for c in seen["comments"]}
    assert shown == {
        ("Ri Yong", "Once is enough."): "twice a year",
        ("Kim", "On inserted words."): "in Geneva",
        ("Park", "In both."): "words here",
        ("Ri Yong", "We cannot accept Kangson."): "at Kangson",
        ("Kim", "Noted."): "at Kangson",
        ("Smith", "Why is this here?"): "deleted entirely",
        ("Lee", "Old only, on kept words."): "Unchanged",
        ("Kim", "A reply the newer file lacks."): "words here"}
    accepted = {(c["author"], c["text"]): c["anchored"] for c in seen["accepted_comments"]}
    rejected = {(c["author"], c["text"]): c["anchored"] for c in seen["rejected_comments"]}
    assert accepted[("Ri Yong", "We cannot accept Kangson.")] == "at "
    assert accepted[("Smith", "Why is this here?")] == ""  # its words and reference gone
    assert accepted[("Kim", "On inserted words.")] == "in Geneva"
    assert rejected[("Smith", "Why is this here?")] == "deleted entirely"
    assert rejected[("Ri Yong", "We cannot accept Kangson.")] == "at Kangson"
    assert rejected[("Kim", "On inserted words.")] == ""
    assert [p["text"] for p in seen["accepted"]][1:] == NEW
    assert [p["text"] for p in seen["rejected"]][1:] == OLD


WORDS = ["freeze", "the", "facility", "within", "thirty", "sixty", "days", "inspectors",
         "access", "site"]


@st.composite
def commented_word_pairs(draw):
    """Two files of paragraphs, the newer one edited word by word (kept, deleted,
    replaced, inserted) and some paragraphs dropped, each with comments on runs of words;
    some comments are in both (the same author and text)."""
    old = [" ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8)))
           for _ in range(draw(st.integers(1, 4)))]
    new = []
    for text in old:
        if draw(st.integers(0, 5)) == 0:
            continue  # the paragraph deleted
        words = []
        for word in text.split():
            action = draw(st.sampled_from(["keep", "keep", "drop", "swap", "add"]))
            words += {"keep": [word], "drop": [], "swap": [draw(st.sampled_from(WORDS))],
                      "add": [word, draw(st.sampled_from(WORDS))]}[action]
        new.append(" ".join(words) or "empty")

    def notes(paragraphs: list[str], side: str, shared: list[Note]) -> list[Note]:
        out = [n for n in shared if n.paragraph < len(paragraphs)
               and n.words in paragraphs[n.paragraph]]
        for k, text in enumerate(paragraphs):
            words = text.split()
            if draw(st.booleans()):
                a = draw(st.integers(0, len(words) - 1))
                b = draw(st.integers(a + 1, len(words)))
                reply = draw(st.booleans()) and bool(out)
                out.append(Note(k, " ".join(words[a:b]), side, f"{side} note {k}",
                                answers=len(out) - 1 if reply else None,
                                done=draw(st.booleans())))
        return out

    old_notes = notes(old, "Old", [])
    shared = [n for n in old_notes if n.answers is None and draw(st.booleans())]
    return old, new, old_notes, notes(new, "New", [Note(n.paragraph, n.words, n.author,
                                                        n.text) for n in shared])


@settings(max_examples=30, deadline=None)
@given(commented_word_pairs())
def test_comments_anywhere_keep_the_redline_valid_and_both_texts(case):
    """Every redline validates (ranges paired, ids and paragraph ids unique, threads
    sound), holds the newer file's comments and each comment only the older one has,
    once, and still accepts to the newer text and rejects to the older one."""
    old_text, new_text, old_notes, new_notes = case
    folder = Path(tempfile.mkdtemp())
    old = build(folder / "old.docx", "T", old_text, old_notes).read_bytes()
    new = build(folder / "new.docx", "T", new_text, new_notes).read_bytes()
    data = redline_files(old, new, "old.docx", "new.docx", "me").data
    assert docxcheck.problems(data) == []
    keys = {(n.author, n.text) for n in new_notes}
    expected = [(n.author, n.text) for n in new_notes] + [
        (n.author, n.text) for n in old_notes if (n.author, n.text) not in keys]
    assert sorted((c.author, c.text) for c in read_comments(Package(data, "r.docx"))) \
        == sorted(expected)
    assert _story_text(data, ACCEPT)[1:] == new_text
    assert _story_text(data, REJECT)[1:] == old_text


def test_threads_brought_into_a_newer_file_whose_comments_have_none(tmp_path):
    """The newer file's comments.xml as python-docx writes it (no w14, no
    commentsExtended.xml): the older file's paragraph ids are declared ignorable there."""
    old = build(tmp_path / "old.docx", "Agreement", OLD, OLD_NOTES).read_bytes()
    doc = docx.Document()
    doc.settings.element.find(f"{{{W}}}zoom").set(f"{{{W}}}percent", "100")
    doc.add_heading("Agreement", 0)
    for text in NEW:
        run = doc.add_paragraph().add_run(text)
    doc.add_comment(run, text="Plain.", author="Ng", initials="N")
    buffer = io.BytesIO()
    doc.save(buffer)
    data = redline_files(old, buffer.getvalue(), "old.docx", "new.docx", "me").data
    docxcheck.assert_valid(data, "redline")
    comments = _part(data, "word/comments.xml")
    assert comments.nsmap["w14"] == W14 and "w14" in comments.get(
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable").split()
    threads = {c.text: c.parent for c in read_comments(Package(data, "r.docx"))}
    by_id = {c.id: c.text for c in read_comments(Package(data, "r.docx"))}
    assert by_id[threads["Noted."]] == "We cannot accept Kangson."
    assert len(threads) == len(OLD_NOTES) + 1


def test_the_redline_renders_every_comment_with_its_author(pair, tmp_path):
    """Rendered by LibreOffice (lo_probe pdf): each comment a PDF note with its author,
    the done one resolved. This LibreOffice (7.4) has no ExportNotesInMargin (7.5+):
    the notes are icons at their places, not text in the margin."""
    result = lo_probe("pdf", str(pair[2]), str(tmp_path))
    notes = _pdf_notes(Path(result["pdf"]).read_bytes())
    assert sorted((title.split(",")[0], body) for title, body in notes) == sorted(
        {(n.author, n.text) for n in [*NEW_NOTES, *OLD_NOTES]})  # "In both." once
    assert [body for title, body in notes if "RESOLVED" in title] == ["Noted."]


@pytest.mark.parametrize("count", [MAX_COMMENTS, MAX_COMMENTS + 1])
def test_the_older_file_s_comment_limit_is_that_of_import(tmp_path, count):
    """Up to MAX_COMMENTS comments are read (those anchored nowhere are not brought in);
    one more is refused with one line, as `draft import` refuses it."""
    old = build(tmp_path / "old.docx", "Agreement", OLD, OLD_NOTES[:1]).read_bytes()
    comments = _part(old, "word/comments.xml")
    (first,) = comments
    for k in range(1, count):
        twin = copy.deepcopy(first)
        twin.set(f"{{{W}}}id", str(k))
        for p in twin.iter(f"{{{W}}}p"):
            p.attrib.pop(f"{{{W14}}}paraId", None)
        comments.append(twin)
    old = rewrite_zip(old, {"word/comments.xml": etree.tostring(comments)})
    new = build(tmp_path / "new.docx", "Agreement", NEW, NEW_NOTES).read_bytes()
    if count > MAX_COMMENTS:
        with pytest.raises(DraftingError, match=f"refused: more than {MAX_COMMENTS} comments"):
            redline_files(old, new, "old.docx", "new.docx", "me")
        return
    data = redline_files(old, new, "old.docx", "new.docx", "me").data
    assert len(_comments(data)) == len(NEW_NOTES) + 1  # the one anchored to words


PEOPLE_REL = "http://schemas.microsoft.com/office/2011/relationships/people"
PEOPLE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def _with_people(data: bytes, people: dict[str, str | None]) -> bytes:
    """The file with a word/people.xml listing these authors, each with the user id of
    its w15:presenceInfo (or none), as Word writes it."""
    root = etree.Element(f"{{{W15}}}people", nsmap={"w15": W15})
    for author, user in people.items():
        person = etree.SubElement(root, f"{{{W15}}}person", {f"{{{W15}}}author": author})
        if user is not None:
            etree.SubElement(person, f"{{{W15}}}presenceInfo",
                             {f"{{{W15}}}providerId": "AD", f"{{{W15}}}userId": user})
    rels = _part(data, "word/_rels/document.xml.rels")
    etree.SubElement(rels, f"{{{PKG}}}Relationship", Id="rIdPeople", Type=PEOPLE_REL,
                     Target="people.xml")
    types = _part(data, "[Content_Types].xml")
    etree.SubElement(types, f"{{{CT_NS}}}Override", PartName="/word/people.xml",
                     ContentType=PEOPLE_TYPE)
    return rewrite_zip(data, {"word/people.xml": etree.tostring(root),
                              "word/_rels/document.xml.rels": etree.tostring(rels),
                              "[Content_Types].xml": etree.tostring(types)})


PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _people(data: bytes) -> dict[str, str | None]:
    """people.xml's authors, each with its presence user id (None without one)."""
    rels = _part(data, "word/_rels/document.xml.rels")
    (target,) = [r.get("Target") for r in rels if r.get("Type") == PEOPLE_REL]
    types = _part(data, "[Content_Types].xml")
    assert [o.get("ContentType") for o in types.iter(f"{{{CT_NS}}}Override")
            if o.get("PartName") == "/word/" + target] == [PEOPLE_TYPE]
    out = {}
    for person in _part(data, "word/" + target).iter(f"{{{W15}}}person"):
        info = person.find(f"{{{W15}}}presenceInfo")
        out[person.get(f"{{{W15}}}author")] = None if info is None else info.get(
            f"{{{W15}}}userId")
    return out


def test_the_brought_in_comments_authors_are_in_the_newer_files_people(tmp_path):
    """The newer file lists Ri Yong and Park; the comments brought in are by Ri Yong,
    Kim, Smith and Lee: Kim, Smith and Lee are added, Smith with the older file's
    presence information. A newer file without people.xml gets one listing them when
    the older file has one; none when neither has."""
    old = build(tmp_path / "old.docx", "Agreement", OLD, OLD_NOTES).read_bytes()
    old = _with_people(old, {"Smith": "S::smith@example.org::1", "Park": None})
    new = build(tmp_path / "new.docx", "Agreement", NEW, NEW_NOTES).read_bytes()
    listed = _with_people(new, {"Ri Yong": "R::ri@example.org::2", "Park": None})
    data = redline_files(old, listed, "old.docx", "new.docx", "me").data
    assert docxcheck.problems(data) == []
    assert _people(data) == {"Ri Yong": "R::ri@example.org::2", "Park": None, "Kim": None,
                             "Smith": "S::smith@example.org::1", "Lee": None}
    twice = zip_part(data, "word/people.xml").replace(b"</w15:people>", b'<w15:person '
                                                      b'w15:author="Kim"/></w15:people>')
    assert docxcheck.problems(rewrite_zip(data, {"word/people.xml": twice})) == [
        "word/people.xml: 'Kim' listed 2 times"]  # the check can fail
    data = redline_files(old, new, "old.docx", "new.docx", "me").data
    assert docxcheck.problems(data) == []
    assert _people(data) == {"Ri Yong": None, "Kim": None,
                             "Smith": "S::smith@example.org::1", "Lee": None}
    plain = build(tmp_path / "old2.docx", "Agreement", OLD, OLD_NOTES).read_bytes()
    data = redline_files(plain, new, "old.docx", "new.docx", "me").data
    assert not any("people" in n for n in zipfile.ZipFile(io.BytesIO(data)).namelist())
    # hostile: an entry with more than an account; a people.xml that is not XML
    odd = zip_part(old, "word/people.xml").replace(b'w15:userId="S::smith@example.org::1"/>',
                                                   b'w15:userId="S::smith@example.org::1"/>'
                                                   b'<w15:x/>')
    data = redline_files(rewrite_zip(old, {"word/people.xml": odd}), listed, "old.docx",
                         "new.docx", "me").data
    assert docxcheck.problems(data) == [] and _people(data)["Smith"] == \
        "S::smith@example.org::1"
    broken = rewrite_zip(old, {"word/people.xml": b"<w15:people"})
    result = redline_files(broken, listed, "old.docx", "new.docx", "me")
    assert docxcheck.problems(result.data) == [] and _people(result.data)["Smith"] is None
    (warning,) = [w for w in result.warnings if "people" in w]
    assert warning.startswith("old.docx: its people.xml (word/people.xml) cannot be read, "
                              "so its reviewers' accounts are not carried: malformed XML in "
                              "word/people.xml: ")


def test_an_undeclared_or_unreadable_comments_part_of_the_older_file(tmp_path):
    """The older file's comments part found by its relationship though [Content_Types].xml
    has no override for it: brought in, under Word's content type for comments. One that
    is not XML: the redline is made without the older file's comments, said in a warning
    (its comment marks dropped); a DOCTYPE in it is still refused."""
    old = build(tmp_path / "old.docx", "Agreement", OLD, OLD_NOTES).read_bytes()
    new = build(tmp_path / "new.docx", "Agreement", NEW, []).read_bytes()
    types = _part(old, "[Content_Types].xml")
    for override in list(types.iter(f"{{{CT_NS}}}Override")):
        if override.get("PartName", "").startswith("/word/comments"):
            types.remove(override)
    bare = rewrite_zip(old, {"[Content_Types].xml": etree.tostring(types)})
    result = redline_files(bare, new, "old.docx", "new.docx", "me")
    declared = redline_files(old, new, "old.docx", "new.docx", "me")
    assert docxcheck.problems(result.data) == [] and result.warnings == declared.warnings
    assert len(_comments(result.data)) == len(OLD_NOTES)
    out = _part(result.data, "[Content_Types].xml")
    assert {o.get("PartName"): o.get("ContentType") for o in out.iter(f"{{{CT_NS}}}Override")
            }["/word/comments.xml"] == COMMENTS_TYPE
    broken = rewrite_zip(old, {"word/comments.xml": b"<w:comments xmlns:w='" + W.encode()
                               + b"'><w:comment"})
    result = redline_files(broken, new, "old.docx", "new.docx", "me")
    assert docxcheck.problems(result.data) == [] and _comments(result.data) == []
    (warning,) = set(result.warnings) - set(declared.warnings)
    assert warning.startswith("old.docx: its comments (word/comments.xml) cannot be read, "
                              "so none is brought in: malformed XML in word/comments.xml")
    assert b"commentReference" not in zip_part(result.data, "word/document.xml")
    hostile = rewrite_zip(old, {"word/comments.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><x/>'})
    with pytest.raises(DraftingError, match=r"refused: word/comments\.xml declares a DOCTYPE"):
        redline_files(hostile, new, "old.docx", "new.docx", "me")
