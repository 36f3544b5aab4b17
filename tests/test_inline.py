"""Inline content: marks (bold, italic, underline, superscript, subscript, small caps,
links) read from Word and Markdown, carried in the model and its JSON, written back as
canonical Markdown, HTML and Word; non-breaking spaces and tabs kept as such; a change of
formatting alone reported by the diff."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import assume, given
from hypothesis import strategies as st
from lxml import etree

from drafting.cli import main
from drafting.compare import Options, compare
from drafting.markup import parse_inline, render_inline
from drafting.model import Block, Document, Mark, merge_marks
from drafting.readers.docx import read_bytes
from drafting.readers.markdown import read_text
from drafting.writers import html
from drafting.writers import markdown as md_writer

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def draft(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _hyperlink(paragraph, text: str, address: str) -> None:
    """A real w:hyperlink with an external relationship, as Word writes one."""
    rid = paragraph.part.relate_to(address, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def formatted_docx(nbsp: bool = False, bold: bool = True) -> bytes:
    """A paragraph with each kind of mark, built with python-docx's run API."""
    document = docx.Document()
    document.add_heading("Treaty on Marks", 0)
    p = document.add_paragraph()
    p.add_run("The ")
    p.add_run("Parties").bold = bold
    p.add_run(" agree, ")
    p.add_run("mutatis mutandis").italic = True
    p.add_run(", to ")
    p.add_run("consult").underline = True
    p.add_run(" (see note")
    p.add_run("1").font.superscript = True
    p.add_run("), CO")
    p.add_run("2").font.subscript = True
    p.add_run(" and the ")
    p.add_run("Treaty").font.small_caps = True
    p.add_run(" at ")
    _hyperlink(p, "the site", "https://example.org/treaty")
    p.add_run(".")
    q = document.add_paragraph()
    q.add_run("Article\u00a05 applies" if nbsp else "Article 5 applies")
    q.add_run("\tin full.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


EXPECTED_TEXT = ("The Parties agree, mutatis mutandis, to consult (see note1), CO2 and the "
                 "Treaty at the site.")


def _marked(block: Block) -> list[tuple[str, str, str]]:
    return [(block.text[m.start:m.end], m.kind, m.value) for m in block.marks]


def test_word_marks_and_links_are_read_over_the_text() -> None:
    word = read_bytes(formatted_docx(), "marks.docx")
    first, second = word.accepted.blocks
    assert first.text == EXPECTED_TEXT
    assert _marked(first) == [
        ("Parties", "bold", ""), ("mutatis mutandis", "italic", ""), ("consult", "underline", ""),
        ("1", "superscript", ""), ("2", "subscript", ""), ("Treaty", "smallcaps", ""),
        ("the site", "link", "https://example.org/treaty")]
    assert second.text == "Article 5 applies\tin full."  # a tab is kept as such


def test_nbsp_is_kept_and_a_change_that_is_only_one_is_a_whitespace_change(tmp_path) -> None:
    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    old.write_bytes(formatted_docx())
    new.write_bytes(formatted_docx(nbsp=True))
    assert read_bytes(new.read_bytes(), "new").accepted.blocks[1].text == \
        "Article\u00a05 applies\tin full."
    result = draft("diff", str(old), str(new), "--format", "json")
    assert result.exit_code == 1
    ops = [op for b in json.loads(result.stdout)["blocks"] for op in b["ops"]]
    assert ["delete", " ", "whitespace"] in ops and ["insert", "\u00a0", "whitespace"] in ops
    assert draft("diff", str(old), str(new), "--ignore-whitespace").exit_code == 0


def test_a_change_of_formatting_alone_is_reported(tmp_path) -> None:
    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    old.write_bytes(formatted_docx())
    new.write_bytes(formatted_docx(bold=False))
    result = draft("diff", str(old), str(new), "--format", "json")
    assert result.exit_code == 1
    blocks = json.loads(result.stdout)["blocks"]
    assert blocks[0]["status"] == "changed"
    assert all(op[0] == "equal" for op in blocks[0]["ops"])  # the words are the same
    assert blocks[0]["format"] == [{"at": [4, 11], "text": "Parties", "removed": ["bold"],
                                    "added": []}]
    term = draft("diff", str(old), str(new))
    assert "changes: 1 format" in term.stdout
    assert "  format: “Parties” -bold" in term.stdout
    assert draft("diff", str(old), str(old)).exit_code == 0


def _format_changes_by_character(ops, old, new):
    """What format_changes means, one character at a time: each maximal stretch of an
    equal op over which the old and new sets of (kind, value) stay the same and differ."""
    from drafting.compare.formats import _change

    def keys(marks):
        out: dict[int, set] = {}
        for m in marks:
            if m.kind != "object":
                for k in range(m.start, m.end):
                    out.setdefault(k, set()).add((m.kind, m.value))
        return {k: frozenset(v) for k, v in out.items()}

    old_keys, new_keys = keys(old), keys(new)
    out, at_old, at_new = [], 0, 0
    for op in ops:
        if op.op == "equal":
            pairs = [(old_keys.get(at_old + k, frozenset()), new_keys.get(at_new + k, frozenset()))
                     for k in range(len(op.text))]
            k = 0
            while k < len(pairs):
                end = k
                while end < len(pairs) and pairs[end] == pairs[k]:
                    end += 1
                if pairs[k][0] != pairs[k][1]:
                    out.append(_change(op.text, k, end, at_new, *pairs[k]))
                k = end
        at_old += len(op.text) if op.op != "insert" else 0
        at_new += len(op.text) if op.op != "delete" else 0
    return tuple(c for c in out if c.text.strip())


_MARKS = st.lists(st.builds(lambda a, n, kind, value: Mark(a, a + n, kind, value),
                            st.integers(0, 30), st.integers(0, 12),
                            st.sampled_from(["bold", "italic", "link", "object"]),
                            st.sampled_from(["", "x"])), max_size=6)


@given(st.lists(st.tuples(st.sampled_from(["equal", "delete", "insert"]),
                          st.text(alphabet="ab ", min_size=1, max_size=9)), max_size=6),
       _MARKS, _MARKS)
def test_format_changes_are_those_of_each_character(ops, old, new) -> None:
    """The stretches of formatting (cut where a mark starts or ends) give what comparing
    every character's marks gives: overlapping, touching, empty and object marks too."""
    from drafting.compare.formats import format_changes
    from drafting.model import Op

    ops = [Op(kind, text) for kind, text in ops]
    old, new = tuple(sorted(old)), tuple(sorted(new))
    assert format_changes(ops, old, new) == _format_changes_by_character(ops, old, new)


def test_marks_go_through_json_markdown_and_back() -> None:
    word = read_bytes(formatted_docx(), "marks.docx")
    doc = word.accepted
    assert Document.from_dict(json.loads(doc.to_json())) == doc
    line = md_writer.block_line(doc.blocks[0])
    assert line == ('The **Parties** agree, *mutatis mutandis*, to <u>consult</u> (see note'
                    '<sup>1</sup>), CO<sub>2</sub> and the <span class="smallcaps">Treaty'
                    '</span> at [the site](https://example.org/treaty).')
    again = read_text(md_writer.render(doc))
    assert [(b.text, b.marks) for b in again.blocks] == [(b.text, b.marks) for b in doc.blocks]


def test_literal_stars_and_brackets_stay_literal() -> None:
    for text in ("5 * 3 * 2", "[shall][may] apply", "a \\* b", "in [x](a) above",
                 "*Being* a Party"):
        doc = read_text(f"# T\n\n{text}\n")
        again = read_text(md_writer.render(doc))
        assert [(b.text, b.marks) for b in again.blocks] == \
            [(b.text, b.marks) for b in doc.blocks], text
    assert read_text("# T\n\n*Being* a Party\n").blocks[0].marks == (Mark(0, 5, "italic"),)
    assert read_text("# T\n\n5 * 3 * 2\n").blocks[0].text == "5 * 3 * 2"


_WORDS = st.lists(st.text(alphabet="ab*\\<[]()x1", min_size=1, max_size=4), min_size=1,
                  max_size=8)
_KINDS = st.sampled_from(["bold", "italic", "underline", "superscript", "subscript",
                          "smallcaps", "link"])


@given(_WORDS, st.lists(st.tuples(st.integers(0, 7), st.integers(1, 3), _KINDS), max_size=4))
def test_markdown_marks_round_trip(words: list[str], spans: list[tuple[int, int, str]]) -> None:
    """Any text with marks over whole words, nested or apart (not crossing), reads back
    as the same text and marks."""
    text = " ".join(words)
    starts = [sum(len(w) + 1 for w in words[:k]) for k in range(len(words))]
    marks = []
    for first, count, kind in spans:
        if first < len(words):
            last = min(len(words), first + count) - 1
            value = "https://example.org/a(b)" if kind == "link" else ""
            marks.append(Mark(starts[first], starts[last] + len(words[last]), kind, value))
    marks = list(merge_marks(marks))
    for m in marks:  # a link's text holds no square brackets (documented in markup.py)
        assume(m.kind != "link" or not any(c in text[m.start:m.end] for c in "[]"))
    for a in marks:
        for b in marks:
            assume(not (a.start < b.start < a.end < b.end))  # crossing: split at a space
    assert parse_inline(render_inline(text, tuple(marks))) == (text, tuple(marks))


def test_html_renders_marks_and_only_safe_links() -> None:
    doc = read_bytes(formatted_docx(), "marks.docx").accepted
    hostile = Document("T", (Block("paragraph", 0, "a", "", "click here",
                                   marks=(Mark(0, 10, "link", "javascript:alert(1)"),)),))
    page = html.render(compare(Document("T"), doc), "old", "new")
    assert "<strong>Parties</strong>" in page and "<em>mutatis mutandis</em>" in page
    assert '<a href="https://example.org/treaty">the site</a>' in page
    assert "<sup>1</sup>" in page and "<sub>2</sub>" in page
    page = html.render(compare(Document("T"), hostile), "old", "new")
    assert "javascript:" not in page.replace('title="javascript:alert(1)"', "")


def test_clean_export_writes_marks_as_runs_and_links_as_hyperlinks(tmp_path) -> None:
    source = tmp_path / "marks.docx"
    source.write_bytes(formatted_docx())
    out = tmp_path / "export.docx"
    result = draft("export", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert [r.findtext(f"{W}t") for r in body.iter(f"{W}r") if r.find(f"{W}rPr/{W}b")
            is not None] == ["Parties"]
    assert [r.findtext(f"{W}t") for r in body.iter(f"{W}r")
            if r.find(f"{W}rPr/{W}vertAlign") is not None] == ["1", "2"]
    links = list(body.iter(f"{W}hyperlink"))
    assert ["".join(link.itertext()) for link in links] == ["the site"]
    assert 'Target="https://example.org/treaty" TargetMode="External"' in rels
    back = read_bytes(out.read_bytes(), "export.docx").accepted.blocks
    paragraph = next(b for b in back if b.text == EXPECTED_TEXT)
    original = read_bytes(source.read_bytes(), "marks.docx").accepted.blocks[0]
    assert paragraph.marks == original.marks


@pytest.mark.office
def test_libreoffice_sees_the_exported_marks(tmp_path) -> None:
    from conftest import lo_probe

    source = tmp_path / "marks.docx"
    source.write_bytes(formatted_docx(nbsp=True))
    out = tmp_path / "export.docx"
    assert draft("export", str(source), "-o", str(out)).exit_code == 0
    (seen,) = lo_probe("inspect", str(out))
    texts = [p["text"] for p in seen["paragraphs"]]
    assert EXPECTED_TEXT in texts and "Article\u00a05 applies\tin full." in texts


def test_ignore_whitespace_sees_no_nbsp_change() -> None:
    old = Document("T", (Block("paragraph", 0, "a", "", "Article 5"),))
    new = Document("T", (Block("paragraph", 0, "a", "", "Article\u00a05"),))
    assert compare(old, new).differs
    assert not compare(old, new, Options(ignore_whitespace=True)).differs


def test_markdown_keeps_tabs_and_nbsp_inside_a_line(tmp_path: Path) -> None:
    doc = read_text("# T\n\nArticle\u00a05   applies\tin  full.\n")
    assert doc.blocks[0].text == "Article\u00a05 applies\tin full."


def test_export_says_objects_are_written_as_their_tokens(tmp_path) -> None:
    source = tmp_path / "picture.md"
    source.write_text("# T\n\nSee ⟦image: the map · 3fa2c1⟧ and ⟦equation: A=πr^2⟧.\n")
    out = tmp_path / "out.docx"
    result = draft("export", str(source), "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr == (f"draft: warning: {out}: 1 equation, 1 picture written as their "
                             "⟦...⟧ tokens: the model does not carry the objects themselves\n")
