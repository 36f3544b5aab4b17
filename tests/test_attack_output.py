"""Attacks on what we write and on the engine's own work bounds: links a file for the other
side may not carry (local files, network shares, script), pictures that lie about their
size or point outside the package, and inputs that would make the diff or the explain
search work without end."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree
from test_inline import _hyperlink

from drafting import links
from drafting.cli import main
from drafting.model import LINK, Block, CellPlace, Comment, Document, Mark
from drafting.writers import docx_clean, ooxml
from drafting.writers.word import Meta, WordDocument

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

SHARED = ["https://example.org/treaty", "HTTP://EXAMPLE.ORG/", "mailto:secretariat@example.org",
          "#article-3", 'https://example.org/"><script>alert(1)</script>']
LOCAL = ["file:///C:/Users/alice/Desktop/fallback%20positions.docx", r"\\server\share\x.docx",
         "smb://nas/plans/red-lines.docx", "../drafts/plan.docx", r"C:\Users\alice\a.docx",
         "/home/alice/a.docx", "ftp://intranet/x", "https:no-slashes", "https://a b"]
ACTIVE = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
          "java\tscript:alert(1)", "vbscript:msgbox(1)",
          "data:text/html,<script>alert(1)</script>"]


def draft(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def linked_docx(addresses: list[str], text: str = "Para") -> bytes:
    """One paragraph per address: "Para i " then a link "link i" to it."""
    document = docx.Document()
    for i, address in enumerate(addresses):
        _hyperlink(document.add_paragraph(f"{text} {i} "), f"link {i}", address)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _written_links(path: Path) -> list[tuple[str, str]]:
    """(link text, target) of each w:hyperlink in an exported file's body."""
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    return [("".join(h.itertext()), targets.get(h.get(R_ID)) or "#" + h.get(f"{W}anchor"))
            for h in body.iter(f"{W}hyperlink")]


@pytest.mark.parametrize("address", SHARED)
def test_web_mail_and_anchor_links_are_shared(address: str) -> None:
    assert links.kind(address) == links.SHARED
    assert links.written(address) and links.written(address, internal=True)


@pytest.mark.parametrize("address", LOCAL)
def test_links_to_files_stay_in_internal_copies(address: str) -> None:
    assert links.kind(address) == links.LOCAL
    assert not links.written(address) and links.written(address, internal=True)


@pytest.mark.parametrize("address", ACTIVE)
def test_links_that_run_script_are_never_written(address: str) -> None:
    assert links.kind(address) == links.ACTIVE
    assert not links.written(address) and not links.written(address, internal=True)


def test_export_for_the_other_side_writes_only_shared_links(tmp_path: Path) -> None:
    source, out = tmp_path / "theirs.docx", tmp_path / "out.docx"
    addresses = SHARED[:3] + LOCAL[:4] + ACTIVE[:1]
    source.write_bytes(linked_docx(addresses))
    result = draft("export", str(source), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert _written_links(out) == [(f"link {i}", a) for i, a in enumerate(SHARED[:3])]
    with zipfile.ZipFile(out) as z:
        everything = b"".join(z.read(n) for n in z.namelist())
    for address in LOCAL[:4] + ACTIVE[:1]:
        assert address.encode() not in everything
    text = "".join(etree.fromstring(zipfile.ZipFile(out).read("word/document.xml")).itertext())
    assert "Para 3 link 3" in text  # the link's text is kept
    assert result.stderr.splitlines()[-1] == (
        f"draft: warning: {out}: 5 links (file:///C:/Users/alice/Desktop/fallback%20positions."
        r"docx, \\server\share\x.docx, smb://nas/plans/red-lines.docx and 2 more) written as "
        "text only: they name local files or run script; --internal keeps links to files")


def test_internal_export_keeps_links_to_files_but_not_script(tmp_path: Path) -> None:
    source, out = tmp_path / "theirs.docx", tmp_path / "out.docx"
    source.write_bytes(linked_docx([LOCAL[0], LOCAL[1], ACTIVE[0], ACTIVE[5]]))
    result = draft("export", str(source), "-o", str(out), "--internal")
    assert result.exit_code == 0, result.stderr
    assert _written_links(out) == [("link 0", LOCAL[0]), ("link 1", LOCAL[1])]
    assert result.stderr.splitlines()[-1] == (
        f"draft: warning: {out}: 2 links (javascript:alert(1), data:text/html,<script>alert(1)"
        "</script>) written as text only: they name local files or run script")


def test_export_of_only_shared_links_says_nothing(tmp_path: Path) -> None:
    source, out = tmp_path / "theirs.docx", tmp_path / "out.docx"
    source.write_bytes(linked_docx(SHARED[:3]))
    result = draft("export", str(source), "-o", str(out))
    assert result.exit_code == 0 and "link" not in result.stderr


def test_a_markdown_revision_link_to_a_file_is_not_exported(tmp_path: Path) -> None:
    source, out = tmp_path / "ours.md", tmp_path / "out.docx"
    source.write_text("# Treaty\n\nSee [the brief](file:///C:/Users/alice/brief.docx) and "
                      "[the site](https://example.org/) and [me](javascript:alert(1)).\n")
    result = draft("export", str(source), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert _written_links(out) == [("the site", "https://example.org/")]
    assert "2 links (file:///C:/Users/alice/brief.docx, javascript:alert(1))" in result.stderr


def test_html_diff_links_only_shared_addresses_and_escapes_them(tmp_path: Path) -> None:
    old, new, page = tmp_path / "old.md", tmp_path / "new.docx", tmp_path / "diff.html"
    old.write_text("Nothing.\n")
    new.write_bytes(linked_docx([SHARED[4], LOCAL[0], ACTIVE[3], SHARED[3]]))
    result = draft("diff", str(old), str(new), "-o", str(page))
    assert result.exit_code == 1, result.stderr
    html = page.read_text()
    assert '<a href="https://example.org/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">' \
        'link 0</a>' in html
    assert "<a>link 1</a>" in html and "<a>link 2</a>" in html
    assert '<a href="#article-3">link 3</a>' in html
    assert "<script" not in html and "javascript" not in html.lower()
    assert "file:" not in html and "Users" not in html
    assert result.stderr.splitlines()[-1] == (
        f"draft: warning: {page}: 2 links (file:///C:/Users/alice/Desktop/fallback%20positions"
        ".docx, java script:alert(1)) shown as text only: they name local files or run script")


def test_term_and_markdown_diffs_say_nothing_of_links(tmp_path: Path) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.docx"
    old.write_text("Nothing.\n")
    new.write_bytes(linked_docx([LOCAL[0]]))
    for fmt in ("term", "md"):
        result = draft("diff", str(old), str(new), "--format", fmt)
        assert result.exit_code == 1 and "link" not in result.stderr


def test_a_word_pair_redline_warns_of_the_newer_files_own_local_links(tmp_path: Path) -> None:
    old, new, out = tmp_path / "old.docx", tmp_path / "new.docx", tmp_path / "redline.docx"
    old.write_bytes(linked_docx([LOCAL[1]], "Old"))
    new.write_bytes(linked_docx([LOCAL[1]], "New"))
    result = draft("export", str(new), "--against", str(old), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == (
        rf"draft: warning: {out}: 1 link (\\server\share\x.docx) kept as new.docx has them "
        "(the redline is written into that file): they name local files or run script")


def test_a_redline_of_our_drafts_writes_only_shared_links(tmp_path: Path) -> None:
    old, new, out = tmp_path / "old.md", tmp_path / "new.md", tmp_path / "redline.docx"
    old.write_text("See the brief.\n")
    new.write_text("See [the brief](file:///C:/Users/alice/brief.docx) and "
                   "[the site](https://example.org/).\n")
    result = draft("export", str(new), "--against", str(old), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out) as z:
        assert not any(b"alice" in z.read(n) for n in z.namelist())
    assert _written_links(out) == [("the site", "https://example.org/")]
    assert result.stderr.splitlines()[-1] == (
        f"draft: warning: {out}: 1 link (file:///C:/Users/alice/brief.docx) written as text "
        "only: they name local files or run script; --internal keeps links to files")


def _many_links(n: int) -> tuple[Document, list[tuple[str, str]]]:
    """One paragraph of `n` links, every 7th to a network share (not written), every 5th
    to an address an earlier link has (one relationship for both), every 11th to a place in
    the document; and the (text, target) of each w:hyperlink an export must write."""
    text, marks, expected = [], [], []
    pos = 0
    for i in range(n):
        address = (rf"\\server\share\{i}.docx" if i % 7 == 0 else
                   f"#article-{i}" if i % 11 == 0 else
                   f"https://example.org/{i // 5 * 5 if i % 5 == 0 else i}")
        shown = f"link {i}"
        text.append(f"w{i} {shown} ")
        start = pos + len(f"w{i} ")
        marks.append(Mark(start, start + len(shown), LINK, address))
        pos += len(text[-1])
        if i % 7:
            expected.append((shown, address))
    block = Block("paragraph", 0, "p", "", "".join(text), marks=tuple(marks))
    return Document("Links", (block,)), expected


def test_ten_thousand_links_in_one_paragraph_are_each_written_once() -> None:
    document, expected = _many_links(10_000)
    data = docx_clean.render(document, Meta("Links", "", "", "links.docx", "2026-01-01T00:00:00Z"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    written = [("".join(h.itertext()), targets.get(h.get(R_ID)) or "#" + h.get(f"{W}anchor"))
               for h in body.iter(f"{W}hyperlink")]
    assert len(written) == 10_000 - 1429 and written == expected
    external = [r for r in rels if r.get("TargetMode") == "External"]
    assert sorted(r.get("Target") for r in external) == sorted(
        {a for _, a in expected if not a.startswith("#")})  # one relationship per address
    assert len(targets) == len(rels)  # ids never reused
    assert b"server" not in data
    assert "".join(body.itertext()).count("link 7 w8") == 1  # a withheld link keeps its text


def test_link_relationships_are_numbered_as_python_docx_numbers_them(monkeypatch) -> None:
    """The same bytes as with python-docx's relate_to (lowest free rId, one per address),
    in the gaps the template's dropped relationships leave too."""
    document, _ = _many_links(300)
    meta = Meta("Links", "", "", "links.docx", "2026-01-01T00:00:00Z")
    fast = docx_clean.render(document, meta)
    monkeypatch.setattr(WordDocument, "_link_rid", lambda self, address:
                        self.doc.part.relate_to(address, RT.HYPERLINK, is_external=True))
    assert docx_clean.render(document, meta) == fast


def test_big_paragraphs_moved_in_pieces_give_the_bytes_of_a_whole_move(monkeypatch) -> None:
    """ooxml.adopt moves a paragraph of thousands of runs into the document piece by
    piece (lxml's move of one subtree is quadratic): the file is the same as moved whole,
    for a paragraph of the body and one in a table cell."""
    links_paragraph = _many_links(3000)[0].blocks[0]
    italic = "".join(f"w{i} " for i in range(3000))
    marks = tuple(Mark(k, k + 2, "italic") for k in range(0, len(italic) - 2, 8))
    cell = Block("paragraph", 0, "c", "", italic, marks=marks, cell=CellPlace(1, 1, 1))
    after = Block("paragraph", 0, "d", "", "After.", cell=CellPlace(1, 1, 2))
    document = Document("Big", (links_paragraph, cell, after))
    meta = Meta("Big", "", "", "big.docx", "2026-01-01T00:00:00Z")
    pieces = docx_clean.render(document, meta)
    monkeypatch.setattr(ooxml, "_WHOLE", 10**9)
    assert docx_clean.render(document, meta) == pieces
    with zipfile.ZipFile(io.BytesIO(pieces)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    (table,) = body.iter(f"{W}tbl")
    assert "".join(table.itertext()) == italic + "After."
    assert len(list(body.iter(f"{W}hyperlink"))) == 3000 - 429


def test_ten_thousand_comments_on_one_paragraph_each_cover_their_words() -> None:
    """As many comments as the Word reader takes (10,000), all on one paragraph, each
    quoting one word: each comment's range holds that word and nothing else."""
    words = [f"w{i}" for i in range(10_000)]
    block = Block("paragraph", 0, "p", "", " ".join(words))
    comments = [Comment(str(i), "Ann", "A", "", f"on {w}", quoted=w, block="p")
                for i, w in enumerate(words)]
    data = docx_clean.render(Document("C", (block,)),
                             Meta("C", "", "", "c.docx", "2026-01-01T00:00:00Z"),
                             comments=comments)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        notes = etree.fromstring(z.read("word/comments.xml"))
    covered: dict[str, list[str]] = {}
    open_ids: set[str] = set()
    for node in body.iter(f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}t"):
        if node.tag == f"{W}t":
            for cid in open_ids:
                covered[cid].append(node.text or "")
        elif node.tag == f"{W}commentRangeStart":
            open_ids.add(node.get(f"{W}id"))
            covered[node.get(f"{W}id")] = []
        else:
            open_ids.discard(node.get(f"{W}id"))
    said = {c.get(f"{W}id"): "".join(c.itertext()) for c in notes}
    assert len(covered) == 10_000
    assert sorted("".join(t).strip() for t in covered.values()) == sorted(words)
    assert all(said[cid] == "on " + "".join(t).strip() for cid, t in covered.items())


def test_a_warning_names_three_links_and_counts_the_rest_on_one_line() -> None:
    assert links.said(["a"]) == "1 link (a)"
    assert links.said(["a", "b", "c"]) == "3 links (a, b, c)"
    assert links.said(["a", "b", "c", "d"]) == "4 links (a, b, c and 1 more)"
    assert links.said(["x\ny" + "z" * 100]) == "1 link (x y" + "z" * 76 + "…)"


# -- pictures: sizes that lie, one part named thousands of times, targets outside ------

def _read(data: bytes):
    from drafting.readers.docx import read_bytes

    return read_bytes(data, "pictures.docx")


def _reads_of(monkeypatch, name: str) -> list[str]:
    """Every read of package part `name` from now on."""
    from drafting.readers.docx.package import Package

    seen: list[str] = []
    real = Package.read

    def counted(self, part: str) -> bytes:
        if part == name:
            seen.append(part)
        return real(self, part)

    monkeypatch.setattr(Package, "read", counted)
    return seen


def test_a_picture_named_by_thousands_of_drawings_is_hashed_once(monkeypatch) -> None:
    import hashlib

    from hostile_objects import compressible, one_big_picture_many_ids

    reads = _reads_of(monkeypatch, "word/media/image1.png")
    word = _read(one_big_picture_many_ids(2000, 2_000_000))
    digest = hashlib.sha256(compressible(2_000_000)).hexdigest()[:6]
    assert word.accepted.blocks[0].text == "Annex." + f"⟦image · {digest}⟧" * 2000
    assert reads == ["word/media/image1.png"]  # not 2,000 (x 2 readings) times


def test_a_word_pair_redline_hashes_a_shared_picture_once_per_story(monkeypatch) -> None:
    from hostile_objects import one_big_picture_many_ids

    from drafting.wordcompare import redline_files

    old = one_big_picture_many_ids(500, 2_000_000, "Annex one.")
    new = one_big_picture_many_ids(500, 2_000_000, "Annex two.")
    reads = _reads_of(monkeypatch, "word/media/image1.png")
    out = redline_files(old, new, "old.docx", "new.docx", "Bob").data
    assert len(reads) <= 4  # hashed once a file, copied once into the output
    from drafting.readers.docx import read_bytes

    assert read_bytes(out, "out.docx").accepted.blocks[0].text.startswith("Annex two.⟦image")


@pytest.mark.parametrize("extent", ["1000000000000000000", "-1", "9" * 400, "x"])
def test_a_drawing_that_declares_any_size_is_one_token_and_exports_as_one(
        tmp_path: Path, extent: str) -> None:
    from hostile_objects import drawing, image_rel, pictures_docx

    data = pictures_docx(drawing("rId1", extent, extent), image_rel("rId1", "media/a.png"),
                         **{"word/media/a.png": b"\x89PNG small"})
    source, out = tmp_path / "big.docx", tmp_path / "out.docx"
    source.write_bytes(data)
    result = draft("export", str(source), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out) as z:
        body = z.read("word/document.xml").decode()
    assert "⟦image · " in body and "<w:drawing" not in body and "wp:extent" not in body
    assert "1 picture written as their ⟦...⟧ tokens" in result.stderr


@pytest.mark.parametrize(("target", "external", "token"), [
    ("../../etc/passwd", False, "⟦image · missing⟧"),
    ("/etc/hostname", False, "⟦image · missing⟧"),
    ("file:///etc/passwd", True, None),
    (r"\\server\share\logo.png", True, None),
    ("http://tracker.example/pixel.png", True, None),
])
def test_a_picture_pointing_outside_the_package_is_never_read_or_fetched(
        monkeypatch, target: str, external: bool, token: str | None) -> None:
    import builtins
    import hashlib
    import socket

    from hostile_objects import drawing, image_rel, pictures_docx

    data = pictures_docx(drawing("rId1"), image_rel("rId1", target, external))

    def refuse(*args, **kwargs):
        raise AssertionError(f"touched the outside: {args}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(socket, "socket", refuse)
    word = _read(data)
    monkeypatch.undo()
    expected = token or f"⟦image · linked {hashlib.sha256(target.encode()).hexdigest()[:6]}⟧"
    assert word.accepted.blocks[0].text == "Annex." + expected
    if external:
        assert "1 picture linked from outside the file, named by address only (never " \
            "fetched)" in word.warnings


# -- the word diff's own work bounds ---------------------------------------------------

def _tokens(n: int, prefix: str) -> list[str]:
    """n tokens: words, full stops (after every tenth word) and single spaces."""
    from drafting.compare.tokens import tokenize

    text = " ".join(f"{prefix}{k}{'.' if k % 10 == 9 else ''}" for k in range(n))
    return tokenize(text)[:n]


def test_a_word_diff_up_to_its_limit_is_of_tokens_and_over_it_of_sentences() -> None:
    from drafting.compare import words

    half = words.MAX_DIFF_TOKENS // 2
    old, new = _tokens(half, "w"), _tokens(half, "z")
    assert words.bounded(old, new) == (old, new)
    old2, new2 = words.bounded([*old, "x"], new)
    assert old2[0] == "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9. " and "".join(old2) == "".join(old) + "x"
    assert len(old2) == old.count(".") and "".join(new2) == "".join(new)


def test_over_the_limit_even_in_sentences_a_text_is_one_unit() -> None:
    from drafting.compare import words

    old = ["a", " "] * (words.MAX_DIFF_TOKENS // 2)
    assert words.bounded(old, ["b"]) == (["".join(old)], ["b"])


def test_a_paragraph_of_200000_words_every_other_one_changed_is_compared_whole() -> None:
    from drafting.compare import Options, compare
    from drafting.readers.markdown import read_text

    old = " ".join(f"w{i}" for i in range(200_000))
    new = " ".join(f"w{i}" if i % 2 else f"z{i}" for i in range(200_000))
    changes = compare(read_text(old, "a.md"), read_text(new, "b.md"), Options()).blocks
    ops = [op for c in changes for op in c.ops]
    assert [op.op for op in ops] == ["delete", "insert"]
    assert ops[0].text == old and ops[1].text == new


@pytest.mark.parametrize("n", [20_000, 20_001])
def test_order_of_long_items_is_judged_with_and_without_the_exact_lcs(n: int) -> None:
    """Just under MAX_LCS_WORDS the exact LCS; over it the sampled words: both find a text
    with one word in ten replaced in order, and a shuffled one out of order."""
    import importlib
    import random

    align = importlib.import_module("drafting.compare.align")

    assert align.MAX_LCS_WORDS == 20_000
    old = [f"w{k}" for k in range(n)]
    edited = [w if k % 10 else "x" for k, w in enumerate(old)]
    shuffled = random.Random(1).sample(old, n)
    features = align._Features(lambda k: [old, edited, shuffled][k])
    assert align.in_order(features, 0, features, 1)
    assert not align.in_order(features, 0, features, 2)


@pytest.mark.parametrize("n", [9_997, 9_998])
@pytest.mark.parametrize("where", ["near the ends", "at the ends"])
def test_thousands_of_edited_paragraphs_pair_on_either_side_of_the_gap_bound(
        n: int, where: str) -> None:
    """Every paragraph with one word changed and three new ones: the new side's n + 3
    paragraphs make a gap just under MAX_SHINGLED_GAP (every shingle anchors) and just
    over it, where the alike ends are walked (the new paragraphs near the ends stop the
    walk two paragraphs in) and what is left is anchored on sampled shingles (new
    paragraphs at the very ends leave all of it). Every way finds every paragraph changed
    in its one word and the three insertions."""
    import importlib

    from drafting.compare import Options, compare
    from drafting.readers.markdown import read_text

    align = importlib.import_module("drafting.compare.align")
    assert align.MAX_SHINGLED_GAP == 10_000
    old = [" ".join(f"w{i}x{k}" for k in range(10)) for i in range(n)]
    new = [p.replace("x3", "y3") for p in old]
    for at in (n - 2, n // 2, 2) if where == "near the ends" else (n, n // 2, 0):
        new.insert(at, f"an inserted paragraph number {at} of new words")
    c = compare(read_text("\n\n".join(old)), read_text("\n\n".join(new)), Options())
    s = c.stats
    assert (s.blocks_changed, s.blocks_inserted, s.blocks_deleted, s.blocks_moved) == \
        (n, 3, 0, 0)
    changed = [b for b in c.blocks if b.status == "changed"]
    assert [b.old_index for b in changed] == list(range(n))
    assert all([(op.op, op.text) for op in b.ops if op.op != "equal"] ==
               [("delete", f"w{b.old_index}x3"), ("insert", f"w{b.old_index}y3")]
               for b in changed)
