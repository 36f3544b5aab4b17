"""Blocks cited for people (obligation rows, bracket places, moves, renumbering, stale
references) by the labels the file prints, qualified by the heading above where the label
alone names more than one block (model.citations); our own drafts keep our labels; a block
with no label is cited by the labelled paragraph it follows, never by an invented label."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import need_corpus

from drafting.cli import main
from drafting.compare import compare
from drafting.markup import parse_inline
from drafting.model import AFTER, Block, citations
from drafting.negotiate.brackets import block_lines, parse
from drafting.negotiate.obligations import extract
from drafting.readers.docx import read_file as read_docx
from drafting.readers.markdown import read_file, read_text

CONVENTION = """\
# Convention on the Amber River

## ARTICLE I. Definitions

1. "Commission" means the body set up by Article II.

## ARTICLE II

1. The Commission shall meet every year.

(a). It shall keep the register within 30 days.

(b). It may publish the register.

.2 Each Party shall report within 60 days.

Each Party shall notify the Depositary of [its authority].

## Article 1bis

5-1 The Secretariat shall circulate the report.

5-2 The Parties may comment [within 90 days].

## ARTICLE III

1. [Each Party shall] ratify this Convention.

(a). [the reactor;]
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def parts(citation: str) -> list[str]:
    """The labels a citation is made of: "ARTICLE II, 1. (a)." -> ARTICLE II, 1., (a)."""
    return [p for p in re.split(r", | (?=\()", citation.removeprefix(AFTER)) if p]


def assert_verbatim(cited: list[str], text: str) -> None:
    """Every label cited stands in the file as written (runs of spaces collapsed, as the
    readers collapse them: the WTO Agreement has "### PART  III"; inline markup such as
    "<sup>1)</sup>" taken out, as the Markdown reader takes it out of the text)."""
    assert cited
    text = " ".join(" ".join(parse_inline(line)[0] for line in text.splitlines()).split())
    for citation in cited:
        for part in parts(citation):
            assert part in text, (citation, part)


def test_labels_are_cited_as_written_and_qualified_where_they_repeat() -> None:
    doc = read_text(CONVENTION)
    assert list(zip((b.text[:22] for b in doc.blocks), citations(doc.blocks),
                    strict=True)) == [
        ("Definitions", "ARTICLE I"),
        ('"Commission" means the', "ARTICLE I, 1."),
        ("", "ARTICLE II"),
        ("The Commission shall m", "ARTICLE II, 1."),
        ("It shall keep the regi", "ARTICLE II, 1. (a)."),
        ("It may publish the reg", "ARTICLE II, 1. (b)."),  # as its sibling (a). needs
        ("Each Party shall repor", "ARTICLE II, .2"),
        ("Each Party shall notif", "paragraph after ARTICLE II, .2"),  # no label: none
        ("", "Article 1bis"),
        ("The Secretariat shall ", "5-1"),  # no other 5-1: alone
        ("The Parties may commen", "5-2"),
        ("", "ARTICLE III"),
        ("[Each Party shall] rat", "ARTICLE III, 1."),
        ("[the reactor;]", "ARTICLE III, 1. (a)."),
    ]


def test_an_item_under_a_repeated_paragraph_is_cited_by_all_that_is_above_it() -> None:
    doc = read_text("## Article 2\n\n1. A.\n\n(a). B.\n\n2. C.\n\n(a). D.\n\n"
                    "## Article 3\n\n1. E.\n")
    assert citations(doc.blocks)[1:5] == ("Article 2, 1.", "Article 2, 1. (a).",
                                          "Article 2, 2.", "Article 2, 2. (a).")


def test_an_item_under_a_number_follows_it_as_drafters_write_it() -> None:
    doc = read_text("## Article 4\n\n4.1 A.\n\n4.2 B.\n\n(c) C.\n\n## Article 5\n\n"
                    "5.1 D.\n\n(c) E.\n")
    assert citations(doc.blocks) == ("Article 4", "4.1", "4.2", "4.2(c)", "Article 5", "5.1",
                                     "5.1(c)")


def test_a_paragraph_in_a_table_is_cited_by_its_cell() -> None:
    doc = read_text("## Article 2\n\n1. Each Party shall report.\n\n| Party | Limit |\n"
                    "|---|---|\n| North | The North shall keep [30] days. |\n\n2. Next.\n")
    assert citations(doc.blocks)[4:] == ("table 1, row 2, cell 1", "table 1, row 2, cell 2",
                                         "2.")
    assert [r.label for r in extract(doc)] == ["1.", "table 1, row 2, cell 2"]
    assert [s.start.describe() for s in parse(doc).spans] == ["table 1, row 2, cell 2"]


def test_our_own_drafts_keep_our_labels() -> None:
    blocks = (Block("heading", 2, "a", "Article 4", "Freeze"),
              Block("paragraph", 1, "a#1", "4.1", "The DPRK shall freeze."),
              Block("paragraph", 2, "a#1a", "4.1(a)", "the reactor;"),
              Block("paragraph", 1, "a#2", "", "Unnumbered."))
    assert citations(blocks) == ("Article 4", "4.1", "4.1(a)", "")


def test_obligations_and_brackets_cite_the_files_labels(tmp_path: Path) -> None:
    path = tmp_path / "convention.md"
    path.write_text(CONVENTION)
    rows = extract(read_file(path))
    assert [(r.label, r.article, r.modality) for r in rows] == [
        ("ARTICLE II, 1.", "ARTICLE II", "shall"), ("ARTICLE II, 1. (a).", "ARTICLE II", "shall"),
        ("ARTICLE II, 1. (b).", "ARTICLE II", "may"), ("ARTICLE II, .2", "ARTICLE II", "shall"),
        ("paragraph after ARTICLE II, .2", "ARTICLE II", "shall"),
        ("5-1", "Article 1bis", "shall"), ("5-2", "Article 1bis", "may"),
        ("ARTICLE III, 1.", "ARTICLE III", "shall")]
    assert_verbatim([r.label for r in rows], CONVENTION)
    listed = run("obligations", str(path)).output
    assert re.search(r"^paragraph after ARTICLE II, \.2 +Each Party +shall", listed, re.M)
    assert "2.2" not in listed and "3.1" not in listed  # our structure: nowhere in the file
    report = parse(read_file(path), block_lines(CONVENTION))
    assert [s.start.describe() for s in report.spans] == [
        "paragraph after ARTICLE II, .2 (line 17)", "5-2 (line 23)",
        "ARTICLE III, 1. (line 27)", "ARTICLE III, 1. (a). (line 29)"]
    assert_verbatim([s.start.label for s in report.spans], CONVENTION)
    broken = tmp_path / "broken.md"
    broken.write_text(CONVENTION.replace("[the reactor;]", "the reactor;]"))
    assert "unmatched ']' in ARTICLE III, 1. (a). (line 29)" in run("brackets", str(broken)).output


@pytest.mark.corpus
def test_paris_obligations_cite_the_paris_labels(paris: list[Path]) -> None:
    path = paris[3]  # the adopted text
    text = path.read_text(encoding="utf-8")
    rows = extract(read_file(path))
    assert_verbatim([r.label for r in rows], text)
    assert {r.label for r in rows} >= {"Article 4, 2.", "Article 22", "Article 28, 3."}
    assert not any(re.fullmatch(r"\d+\.\d+", r.label) for r in rows)


@pytest.mark.corpus
def test_paris_bracket_places_cite_the_paris_labels(paris: list[Path]) -> None:
    path = paris[1]
    text = path.read_text(encoding="utf-8")
    report = parse(read_file(path), block_lines(text))
    assert_verbatim([s.start.label for s in report.spans if s.start.label], text)
    assert {s.start.label for s in report.spans} >= {"Article 4, 2.", "Article 9, 1."}


@pytest.mark.corpus
def test_wto_obligations_cite_the_wto_labels() -> None:
    path = need_corpus("agreements", "wto", "wto_2013-11-18.md")
    text = path.read_text(encoding="utf-8")
    rows = extract(read_file(path))
    assert_verbatim([r.label for r in rows], text)
    labels = {r.label for r in rows}
    assert {"Article VIII, 1.", "PART IV, Annex II"} <= labels  # Annex II is in two Parts


def _word_file(tmp_path: Path, name: str, paragraphs: list[tuple[str, str]]) -> Path:
    """docx4j's Article / Section / (a) legal numbering file with its body replaced by
    `paragraphs` (style, text): Word numbers the headings, as in the original."""
    import zipfile
    from xml.sax.saxutils import escape

    source = need_corpus("docx", "numbering", "article-section-NotIsLgl.docx")
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{escape(text)}</w:t></w:r>'
        "</w:p>" if style else f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>"
        for style, text in paragraphs)
    out = tmp_path / name
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                start, end = xml.index("<w:body>") + len("<w:body>"), xml.index("<w:sectPr")
                data = (xml[:start] + body + xml[end:]).encode("utf-8")
            zout.writestr(item, data)
    return out


WORD_BODY = [
    ("Heading1", "Notification"),
    ("Heading2", "Duties of the Parties"),
    ("", "Each Party shall notify the Commission within 30 days."),
    ("Heading3", "Reports"),
    ("", "The Commission may publish [the notifications]."),
    ("Heading1", "Register"),
    ("Heading2", "Keeping the register"),
    ("", "The Secretariat shall keep the register."),
    ("Heading3", "Access"),
    ("", "Each Party may consult the register [at any time]."),
]


@pytest.mark.corpus
def test_word_list_numbers_are_cited_as_word_shows_them(tmp_path: Path) -> None:
    path = _word_file(tmp_path, "numbered.docx", WORD_BODY)
    doc = read_docx(path).accepted
    rows = extract(doc)
    assert [(r.label, r.modality) for r in rows] == [
        ("Section I.01", "shall"), ("Section I.01, (a)", "may"),
        ("Section II.01", "shall"), ("Section II.01, (a)", "may")]
    spans = parse(doc).spans
    assert [s.start.describe() for s in spans] == ["Section I.01, (a)", "Section II.01, (a)"]
    assert_verbatim([r.label for r in rows] + [s.start.label for s in spans], _shown(path))
    assert "Article 1" not in " ".join(r.label for r in rows)  # our structure: not shown


def _shown(path: Path) -> str:
    """What LibreOffice shows of a Word file: each paragraph's list number, then its text."""
    from conftest import lo_probe

    return " ".join(f"{p['label']} {p['text']}" for p in lo_probe("inspect", str(path))[0][
        "paragraphs"])


@pytest.mark.corpus
def test_word_renumbering_and_moves_are_told_in_words_numbers(tmp_path: Path) -> None:
    old = _word_file(tmp_path, "old.docx", WORD_BODY)
    moved = WORD_BODY[2]
    body = [p for p in WORD_BODY if p != moved]
    body.insert(body.index(("Heading3", "Access")) + 1, moved)
    new = _word_file(tmp_path, "new.docx", [("Heading1", "Definitions"),
                                            ("", "Terms are defined here."), *body])
    c = compare(read_docx(old).accepted, read_docx(new).accepted)
    assert [r.text for r in c.renumberings] == ["Articles I-II renumbered II-III"]
    assert [(m.from_label, m.to_label) for m in c.moves] == [
        ("Section I.01", "Section III.01, (a)")]
    old_shown, new_shown = _shown(old), _shown(new)
    for r in c.renumberings:
        assert_verbatim(list(r.old_labels), old_shown)
        assert_verbatim(list(r.new_labels), new_shown)
    assert_verbatim([c.moves[0].from_label], old_shown)
    assert_verbatim([c.moves[0].to_label], new_shown)


# -- the diff: moves, renumbering, stale references ------------------------------------------

MOVED_OLD = """\
## ARTICLE I

1. Each Party shall report to the Commission on the measures it has taken every year.

2. The Commission shall meet once a year.

## ARTICLE II

1. The Secretariat shall keep the register of notifications and make it public.

5-1 Regulation text stays.
"""


def test_moves_cite_the_files_labels_at_both_ends(tmp_path: Path) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(MOVED_OLD)
    moved = ("1. Each Party shall report to the Commission on the measures it has taken "
             "every year.\n\n")
    new.write_text(MOVED_OLD.replace(moved, "").replace("2. The Commission", "1. The Commission")
                   .replace("5-1 Regulation", moved.replace("1.", "2.") + "5-1 Regulation"))
    c = compare(read_file(old), read_file(new))
    assert [(m.from_label, m.to_label) for m in c.moves] == [("ARTICLE I, 1.", "ARTICLE II, 2.")]
    shown = run("diff", str(old), str(new), "--format", "md").output
    assert "moved from ARTICLE I, 1." in shown and "moved to ARTICLE II, 2." in shown
    assert_verbatim([c.moves[0].from_label], MOVED_OLD)
    assert_verbatim([c.moves[0].to_label], new.read_text())
    assert not re.search(r"\b[12]\.[12]\b", shown)  # our structure, "1.1", nowhere


def test_renumbering_and_stale_references_are_told_in_the_files_labels(tmp_path: Path) -> None:
    old = ("## ARTICLE I\n\n1. Scope.\n\n2. Duties.\n\n3. Review.\n\n"
           "## ARTICLE II\n\n1. Functions.\n\n2. Reports.\n\n"
           "## ARTICLE III\n\n1. Review under Article II.\n")
    new = ("## ARTICLE I\n\n1. Scope.\n\n2. New duty.\n\n3. Duties.\n\n4. Review.\n\n"
           "## ARTICLE II\n\n1. A new Article.\n\n## ARTICLE III\n\n1. Functions.\n\n"
           "2. Reports.\n\n## ARTICLE IV\n\n1. Review under Article II.\n")
    c = compare(read_text(old), read_text(new))
    assert [r.text for r in c.renumberings] == [
        "Paragraphs 2.-3. of ARTICLE I renumbered 3.-4.",
        "Articles II-III renumbered III-IV"]
    assert [(r.old_labels, r.new_labels) for r in c.renumberings] == [
        (("ARTICLE I, 2.", "ARTICLE I, 3."), ("ARTICLE I, 3.", "ARTICLE I, 4.")),
        (("ARTICLE II", "ARTICLE III"), ("ARTICLE III", "ARTICLE IV"))]
    assert [s.message for s in c.stale_refs] == [
        "ARTICLE IV, 1. still refers to Article II, but that Article is now ARTICLE III"]
    for r in c.renumberings:
        assert_verbatim(list(r.old_labels), old)
        assert_verbatim(list(r.new_labels), new)


def test_renumbered_regulation_numbers_and_point_numbers() -> None:
    old = ("## Article 1bis\n\n5-1 Alpha text.\n\n5-2 Beta text.\n\n## ARTICLE II\n\n"
           ".1 Gamma text.\n\n.2 Delta text.\n\n## ARTICLE III\n\n5-1 Epsilon.\n\n"
           ".1 Zeta.\n")
    new = old.replace("5-1 Alpha text.\n\n5-2 Beta text.", "5-1 New.\n\n5-2 Alpha text."
                      "\n\n5-3 Beta text.").replace(".1 Gamma text.", ".1 New.\n\n.2 Gamma "
                                                      "text.").replace(".2 Delta", ".3 Delta")
    c = compare(read_text(old), read_text(new))
    assert [r.text for r in c.renumberings] == [
        "Paragraphs 5-1 to 5-2 of Article 1bis renumbered 5-2 to 5-3",
        "Paragraphs .1-.2 of ARTICLE II renumbered .2-.3"]
    for r in c.renumberings:
        assert_verbatim(list(r.old_labels), old)
        assert_verbatim(list(r.new_labels), new)


def test_our_own_renumbering_keeps_our_labels() -> None:
    from drafting.compare.renumber import _describe
    assert _describe("article", ("Article 4", "Article 12"), ("Article 5", "Article 13")) == \
        "Articles 4-12 renumbered 5-13"
    assert _describe("paragraph", ("3.2", "3.3"), ("3.3", "3.4")) == \
        "Paragraphs 3.2-3.3 renumbered 3.3-3.4"


@pytest.mark.corpus
def test_paris_moves_and_renumbering_cite_the_paris_labels(paris: list[Path]) -> None:
    old, new = paris[1], paris[2]
    c = compare(read_file(old), read_file(new))
    assert c.moves and c.renumberings
    old_text, new_text = old.read_text(encoding="utf-8"), new.read_text(encoding="utf-8")
    labelled = [m for m in c.moves if m.from_label != "preamble"]
    assert_verbatim([m.from_label for m in labelled], old_text)
    assert_verbatim([m.to_label for m in c.moves if m.to_label != "preamble"], new_text)
    for r in c.renumberings:
        assert_verbatim(list(r.old_labels), old_text)
        assert_verbatim(list(r.new_labels), new_text)
    assert not any(re.fullmatch(r"\d+\.\d+", label) for m in c.moves
                   for label in (m.from_label, m.to_label))


PHASED = """\
# Agreement

## PART I. Freeze

## ARTICLE I. Freeze

1. The Republic of North shall freeze the reactor within 45 days.

2. The Republic of South shall lift sanctions within 30 days.

## PART II. Dismantlement

## ARTICLE II. Dismantlement

1. The Republic of North shall dismantle the reactor within 90 days.
"""


def test_the_phasing_view_cites_the_files_labels(small_workspace: Path, tmp_path: Path) -> None:
    ws = str(small_workspace)
    for side, text in (("north", PHASED), ("south", PHASED.replace("45 days", "60 days"))):
        path = tmp_path / f"{side}.md"
        path.write_text(text)
        assert run("-C", ws, "import", str(path), "-a", "treaty", "-s", side).exit_code == 0
    shown = run("-C", ws, "phasing", "treaty@north", "treaty@south").output
    assert "| Freeze | NORTH must (SOUTH receives) | ARTICLE I Freeze (45 days) | " \
           "ARTICLE I Freeze (60 days) |" in shown
    assert "- ARTICLE I, 1. The Republic of North shall freeze the reactor: 45 -> 60 days " \
           "(+15 days)" in shown
    assert "Art. " not in shown and "1.1" not in shown


@pytest.mark.corpus
def test_wto_moves_cite_the_wto_labels() -> None:
    folder = need_corpus("agreements", "wto")
    old, new = folder / "wto_1995-01-01.md", folder / "wto_2013-11-18.md"
    c = compare(read_file(old), read_file(new))
    assert len(c.moves) > 100
    assert_verbatim([m.from_label for m in c.moves if m.from_label != "preamble"],
                    old.read_text(encoding="utf-8"))
    assert_verbatim([m.to_label for m in c.moves if m.to_label != "preamble"],
                    new.read_text(encoding="utf-8"))
    assert ("PART III, Article 4, 2.", "PART III, Article 4, 2.") in {
        (m.from_label, m.to_label) for m in c.moves}


def test_articles_moved_between_phases_are_told_in_the_files_numbers(small_workspace: Path,
                                                                      tmp_path: Path) -> None:
    north = ("## PART I. Freeze\n\n## ARTICLE I. Freeze\n\n1. The Republic of North shall "
             "freeze the reactor.\n\n## PART II. Dismantlement\n\n## ARTICLE II. Dismantlement"
             "\n\n1. The Republic of North shall dismantle it.\n\n## ARTICLE III. Removal\n\n"
             "1. The Republic of North shall remove the fuel.\n")
    part_two = north.index("## PART II"), north.index("## ARTICLE II.")
    south = north[:part_two[0]] + north[part_two[1]:] + north[part_two[0]:part_two[1]] + \
        "## ARTICLE IV. Review\n\n1. The Republic of South shall review the plan.\n"
    ws = str(small_workspace)
    for side, text in (("north", north), ("south", south)):
        path = tmp_path / f"{side}.md"
        path.write_text(text)
        assert run("-C", ws, "import", str(path), "-a", "treaty", "-s", side).exit_code == 0
    shown = run("-C", ws, "phasing", "treaty@north", "treaty@south").output
    assert "- Dismantlement, Removal (Articles II-III in NORTH's draft, Dismantlement) stand " \
           "in Freeze in SOUTH's draft (Articles II-III)" in shown  # one run, roman numbers
