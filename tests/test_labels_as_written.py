"""A document from outside keeps its own numbering: labels exactly as the file prints them
in every output, the structure behind them (level, our label, the number's value) still
recognised for alignment, renumbering and cross-reference checks, nothing invented, and
`draft import` + `draft show` give the file back (whitespace normalised as README says)."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import need_corpus

from drafting.cli import main
from drafting.compare import compare
from drafting.model import ARTICLE_LEVEL, HEADING, ITEM, NUMBERED, PARAGRAPH, Block
from drafting.readers.docx import read_file as read_docx
from drafting.readers.markdown import read_text
from drafting.readers.spacing import collapse
from drafting.writers import critic
from drafting.writers import markdown as md_writer

CONVENTION = """\
### ARTICLE  I
#### Definitions

1. For the purposes of this Convention:

(a). "Party" means a State bound by it;

(b). "Organization" means the body set up under Article II.

.2 The annexes form part of this Convention.

### ARTICLE II

1.2.3 Regulation text numbered in three parts.

5-1 Regulation numbers of the code.

- a bullet point

An unnumbered closing paragraph.

## Article 1bis. Provisional application

## Article 2 bis

The Parties shall apply Article I provisionally.
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def normalised(text: str) -> str:
    """The whitespace normalisation README documents: a paragraph's lines joined into one
    line, runs of spaces collapsed (leading indentation kept, a tab as four spaces; tabs
    and non-breaking spaces inside a line kept), one space after a heading's '#'s, one
    blank line between blocks."""
    blocks: list[str] = []
    current: list[str] = []
    indent = ""

    def flush() -> None:
        if current:
            blocks.append(indent + " ".join(current))
            current.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = collapse(line)
        if not stripped:
            flush()
            continue
        lead = line[: len(line) - len(line.lstrip())].replace("\t", "    ")
        if stripped.startswith("#"):
            flush()
            hashes = len(stripped) - len(stripped.lstrip("#"))
            blocks.append(f"{'#' * hashes} {stripped[hashes:].strip()}".rstrip())
            continue
        if re.match(r"[-*+]\s|\d{1,6}\.\s|\((?:[a-z]{1,3}|[ivx]{1,5})\)\s", stripped):
            flush()
        if not current:
            indent = lead
        current.append(stripped)
    flush()
    return "\n\n".join(blocks) + "\n"


def body(rendered: str) -> str:
    """A rendered document without its title line."""
    return rendered.split("\n\n", 1)[1]


# -- the labels themselves ------------------------------------------------------------------

def test_every_label_style_is_kept_as_written_and_read_for_its_structure() -> None:
    doc = read_text(CONVENTION)
    got = [(b.kind, b.level, b.label, b.written, b.text[:12]) for b in doc.blocks]
    assert got == [
        (HEADING, ARTICLE_LEVEL, "Article 1", "ARTICLE I", ""),
        (HEADING, 3, "", None, "Definitions"),
        (PARAGRAPH, NUMBERED, "1.1", "1.", "For the purp"),
        (PARAGRAPH, ITEM, "1.1(a)", "(a).", '"Party" mean'),
        (PARAGRAPH, ITEM, "1.1(b)", "(b).", '"Organizatio'),
        (PARAGRAPH, NUMBERED, "1.2", ".2", "The annexes "),
        (HEADING, ARTICLE_LEVEL, "Article 2", "ARTICLE II", ""),
        (PARAGRAPH, NUMBERED, "1.2.3", "1.2.3", "Regulation t"),
        (PARAGRAPH, NUMBERED, "5.1", "5-1", "Regulation n"),
        (PARAGRAPH, ITEM, "", "-", "a bullet poi"),
        (PARAGRAPH, NUMBERED, "", None, "An unnumbere"),
        (HEADING, ARTICLE_LEVEL, "Article 1bis", "Article 1bis.", "Provisional "),
        (HEADING, ARTICLE_LEVEL, "Article 2bis", "Article 2 bis", ""),
        (PARAGRAPH, NUMBERED, "", None, "The Parties "),
    ]


def test_nothing_is_invented() -> None:
    """A block that shows no label has none, in the model and when printed."""
    doc = read_text(CONVENTION)
    for block in doc.blocks:
        if block.written is None:
            assert block.marker == "" and block.shown_label == ""
        else:
            assert CONVENTION.count(block.written.split()[0]) > 0
    assert [b.marker for b in doc.blocks if b.level == ITEM and b.kind == PARAGRAPH] == \
        ["(a).", "(b).", "-"]


def test_show_gives_the_file_back() -> None:
    assert body(md_writer.render(read_text(CONVENTION))) == normalised(CONVENTION)


def test_our_own_drafts_keep_their_computed_labels() -> None:
    ours = Block(HEADING, ARTICLE_LEVEL, "nuclear.freeze", "Article 3", "Freeze")
    item = Block(PARAGRAPH, ITEM, "nuclear.freeze#a", "3.2(a)", "the reactor;")
    assert (md_writer.block_line(ours), md_writer.block_line(item)) == \
        ("### Article 3 — Freeze", "(a) the reactor;")
    assert "written" not in ours.to_dict() and "lead" not in ours.to_dict()
    assert Block.from_dict(ours.to_dict()) == ours  # revisions stored before still load


def test_the_model_keeps_written_labels_through_json() -> None:
    doc = read_text(CONVENTION)
    again = type(doc).from_dict(json.loads(doc.to_json()))
    assert again == doc


# -- structure behind the labels: alignment, renumbering, cross-references ------------------

def test_renumbering_is_recognised_under_roman_labels_and_printed_as_written() -> None:
    old = "### ARTICLE I\n\nScope.\n\n### ARTICLE II\n\nDuties.\n\n### ARTICLE III\n\n" \
          "Review under Article II.\n"
    new = "### ARTICLE I\n\nScope.\n\n### ARTICLE II\n\nNew duties.\n\n### ARTICLE III\n\n" \
          "Duties.\n\n### ARTICLE IV\n\nReview under Article II.\n"
    c = compare(read_text(old), read_text(new))
    assert [r.text for r in c.renumberings] == ["Articles II-III renumbered III-IV"]
    assert [s.message for s in c.stale_refs] == [
        "ARTICLE IV still refers to Article II, but that Article is now ARTICLE III"]
    blocks = critic.render(c, "old.md", "new.md").split("\n\n", 2)[2]
    assert "### {~~ARTICLE II~>ARTICLE III~~}" in blocks
    assert not re.search(r"Article \d", blocks)


def test_paragraph_numbers_as_written_in_every_diff_format(tmp_path: Path) -> None:
    """The held-out-style treaty text of the report: "2.1" appears nowhere in it."""
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text("## Article 2. Freeze of Production\n\n1. Belmor shall freeze.\n")
    new.write_text("## Article 2. Freeze of Production\n\n1. Belmor shall freeze at once.\n")
    outputs = {fmt: run("diff", str(old), str(new), "--format", fmt).output
               for fmt in ("md", "html", "json", "term")}
    assert "## Article 2. Freeze of Production" in outputs["md"]
    assert "1. Belmor shall freeze{++ at once++}." in outputs["md"]
    assert ">1.<" in outputs["html"] and ">2.1<" not in outputs["html"]
    assert "1." in outputs["term"] and "2.1" not in outputs["term"]
    blocks = json.loads(outputs["json"])["blocks"]
    assert [b["new"]["written"] for b in blocks] == ["Article 2.", "1."]
    for fmt in ("md", "html", "term"):
        assert "Article 2 —" not in outputs[fmt] and "2.1 " not in outputs[fmt]


# -- round trips on real documents ------------------------------------------------------------

def _critic_sides(rendered: str) -> tuple[str, str]:
    """Accept every change, and reject every change, of a CriticMarkup diff's body."""
    text = rendered.split("\n\n", 2)[2]  # after the title and the summary
    pattern = re.compile(r"\{\+\+(.*?)\+\+\}|\{--(.*?)--\}|\{~~(.*?)~>(.*?)~~\}|\{>>.*?<<\}",
                         re.S)
    accepted = pattern.sub(lambda m: m[1] or m[4] or "", text)
    rejected = pattern.sub(lambda m: m[2] or m[3] or "", text)
    return normalised(accepted), normalised(rejected)


def _read_back(markdown: str) -> list[tuple[str, str, str | None, str]]:
    """What a reader of the text sees: each block's kind, label as written and text (the
    redline carries marks piece by piece, not over the spaces at a change's edges)."""
    return [(b.kind, b.label, b.written, b.text) for b in read_text(markdown).blocks]


def _same_reading(shown: str, source: str) -> bool:
    """`shown` reads back as exactly the document `source` reads as (title, texts, labels
    as written, marks), and differs from it only in inline markup: how a star is escaped,
    where a space next to a tag stands, two touching superscripts written as one."""
    original = read_text(source)
    again = read_text(shown if original.title else body(shown))  # "# " and no title
    same = again.title == original.title and \
        [(x.kind, x.label, x.written, x.text, x.marks) for x in again.blocks] == \
        [(x.kind, x.label, x.written, x.text, x.marks) for x in original.blocks]
    source = body(normalised(source)) if original.title else normalised(source)

    def markup_aside(text: str) -> str:  # stars, escapes, tags and the spaces by them
        text = re.sub(r" +", " ", re.sub(r" *</?\w+> *", " ", re.sub(r"[\\*]", "", text)))
        return re.sub(r"(?m)^ | $", "", text)

    return same and markup_aside(body(shown)) == markup_aside(source)


def _assert_critic_round_trip(old: Path, new: Path) -> None:
    rendered = run("diff", str(old), str(new), "--format", "md").output
    accepted, rejected = _critic_sides(rendered)
    assert _read_back(accepted) == _read_back(new.read_text(encoding="utf-8"))
    assert _read_back(rejected) == _read_back(old.read_text(encoding="utf-8"))


@pytest.mark.corpus
def test_criticmarkup_accept_and_reject_give_the_paris_drafts(paris: list[Path]) -> None:
    for old, new in itertools.pairwise(paris):
        _assert_critic_round_trip(old, new)


@pytest.mark.corpus
def test_criticmarkup_accept_and_reject_give_the_wto_pair() -> None:
    folder = need_corpus("agreements", "wto")
    _assert_critic_round_trip(folder / "wto_1995-01-01.md", folder / "wto_2013-11-18.md")


@pytest.mark.corpus
def test_the_wto_agreement_keeps_its_roman_articles() -> None:
    text = need_corpus("agreements", "wto", "wto_1995-01-01.md").read_text(encoding="utf-8")
    doc = read_text(text)
    articles = [b for b in doc.blocks if b.is_heading and b.label.startswith("Article")]
    assert [(b.label, b.written) for b in articles[:3]] == [
        ("Article 1", "Article I"), ("Article 2", "Article II"), ("Article 3", "Article III")]
    # printed as written but for inline markup, which is written canonically ("\\*" where
    # a literal star needs it, nowhere else): it reads back as the same document
    assert _same_reading(md_writer.render(doc), text)


def _import_and_show(small_workspace: Path, path: Path) -> str:
    imported = run("-C", str(small_workspace), "import", str(path), "-a", "treaty",
                   "-s", "north")
    assert imported.exit_code == 0, imported.output
    return run("-C", str(small_workspace), "show", "treaty@north").output


@pytest.mark.corpus
def test_import_then_show_gives_back_each_paris_draft(small_workspace: Path,
                                                      paris: list[Path]) -> None:
    for path in paris:
        shown = _import_and_show(small_workspace, path)
        assert _same_reading(shown, path.read_text(encoding="utf-8")), path.name


def test_import_then_show_gives_back_a_file_with_every_label_style(small_workspace: Path,
                                                                   tmp_path: Path) -> None:
    path = tmp_path / "convention.md"
    path.write_text(CONVENTION)
    assert body(_import_and_show(small_workspace, path)) == normalised(CONVENTION)


# -- Word files -------------------------------------------------------------------------------

@pytest.mark.corpus
def test_word_legal_numbering_is_printed_as_word_shows_it() -> None:
    """docx4j's files print, after each number, the number Word shows for it."""
    path = need_corpus("docx", "numbering", "article-section-NotIsLgl.docx")
    doc = read_docx(path).accepted
    lines = md_writer.render(doc).split("\n\n")
    assert "### Article I. [expect]Article I.[/expect]Name and Purpose" in lines
    assert any(line.startswith("#### Section I.01 — [expect]Section I.01[/expect]")
               for line in lines)  # Word shows our own label: printed as ours
    shown = run("diff", str(path), str(path.with_name("article-section-isLgl.docx")),
                "--format", "md").output
    assert "#### {~~Section I.01 — ~>Section 1.01 — ~~}[expect]Section {~~I.01~>1.01~~}" \
        in shown


def test_joint_text_and_brackets_print_the_files_labels(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("## Article 2. Freeze\n\n1. Belmor shall freeze within 30 days.\n\n"
                 "(a). the reactor;\n\n## ARTICLE III\n\n[Text.]\n")
    b.write_text(a.read_text().replace("30", "45"))
    joint = run("joint", str(a), str(b)).output.split("\n\n", 2)[2]
    assert joint == ("## Article 2. Freeze\n\n1. Belmor shall freeze within [A: 30][B: 45] "
                     "days.\n\n(a). the reactor;\n\n## ARTICLE III\n\n[Text.]\n")
    counts = run("brackets", str(a), "--by-article").output
    assert re.search(r"^ARTICLE III +1 ", counts, re.M)
