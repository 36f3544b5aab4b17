"""The model redline (our revisions, Markdown and outside pairs) writes what the clean
export writes, with the changes tracked: real tables (rows inserted and deleted as rows,
cells edited inside their cells, spans and vertical merges kept), real footnotes and
endnotes (their references inside the w:ins or w:del of the words around them, their
own edits tracked in the notes part) and inline marks on every run (a change of
formatting alone a w:rPrChange). Checked in our reader, the schemas and LibreOffice."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path

import docxcheck
import pytest
from conftest import CORPUS, lo_probe, need_corpus
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.compare import compare
from drafting.model import ENDNOTE, FOOTNOTE, PARAGRAPH, Block, CellPlace, Document
from drafting.readers.docx import read_bytes, read_file
from drafting.readers.markdown import read_text
from drafting.writers import docx_clean, docx_redline
from drafting.writers.word import Meta

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
META = Meta("T", "", "", "r2", "2026-01-01T00:00:00Z")
WC = CORPUS / "docx" / "compare" / "oxpt-WC"

TABLE_OLD = """# T

Before the table.

| Site | State |
|---|---|
| Yongbyon | frozen |
| Kangson | open |
| Punggye | sealed |

After the table.
"""
TABLE_NEW = TABLE_OLD.replace("| frozen |", "| dismantled |").replace(
    "| Kangson | open |\n", "").replace("sealed |\n", "sealed |\n| Sohae | closed |\n")
NOTES_OLD = """# T

Inspections begin at once[^1] and end later[^2].

Reports are public.

[^1]: Within thirty days.

[^2]: As the Commission decides.
"""
NOTES_NEW = """# T

Inspections begin at once[^1] and end later.

Reports are public[^2].

[^1]: Within sixty days.

[^2]: Save where the Parties agree.
"""
MARKS_OLD = """# T

The **Parties** shall meet *yearly* at the site named in Annex I.
"""
MARKS_NEW = """# T

The *Parties* shall meet *yearly* at the [site](https://example.org/sites) named in Annex \
I<sup>2</sup>, <span class="smallcaps">as agreed</span>.
"""


def redline(old: Document, new: Document) -> bytes:
    data = docx_redline.render(compare(old, new), META, "r1", "r2", summary_table=False)
    docxcheck.assert_valid(data, "the redline")
    return data


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(BytesIO(data)) as z:
        return z.read(name).decode() if name in z.namelist() else ""


def texts(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks]


def read_back(data: bytes, old: Document, new: Document) -> None:
    """Our reader, accepting every change, reads the newer text; rejecting, the older: the
    same paragraphs in the same table cells."""
    word = read_bytes(data, "r.docx")
    for reading, doc in ((word.accepted, new), (word.original, old)):
        body = len(reading.blocks) - len(doc.blocks)
        assert [(b.text, b.cell) for b in reading.blocks[body:]] == \
            [(b.text, b.cell) for b in doc.blocks]


def cell_block(text: str, table: int, row: int, cell: int, span: int = 1, merge: str = ""
               ) -> Block:
    return Block(PARAGRAPH, 0, f"auto:{table}.{row}.{cell}", "", text,
                 cell=CellPlace(table, row, cell, span, merge))


def merged(state: str) -> Document:
    """A two-row table: a header cell spanning two columns, a cell merged down two rows."""
    return Document("T", (
        cell_block("Schedule", 1, 1, 1, span=2),
        cell_block("Sites", 1, 2, 1, merge="restart"), cell_block(state, 1, 2, 2),
        cell_block("", 1, 3, 1, merge="continue"), cell_block("sealed", 1, 3, 2)))


def noted(kind: str, texts_: dict[str, str], body: str) -> Document:
    label = "[^e{}]" if kind == ENDNOTE else "[^{}]"
    return Document("T", (Block(PARAGRAPH, 0, "auto:1", "", body),
                          *(Block(PARAGRAPH, 0, f"auto:n{n}", label.format(n), text,
                                  note=kind) for n, text in texts_.items())))


def pairs() -> dict[str, tuple[Document, Document]]:
    endnotes = (noted(ENDNOTE, {"i": "First end."}, "One[^ei] two."),
                noted(ENDNOTE, {"i": "First end, revised.", "ii": "Second end."},
                      "One[^ei] two[^eii]."))
    return {**gridded(), "table": (read_text(TABLE_OLD), read_text(TABLE_NEW)),
            "merged": (merged("frozen"), merged("dismantled")),
            "notes": (read_text(NOTES_OLD), read_text(NOTES_NEW)),
            "endnotes": endnotes,
            "marks": (read_text(MARKS_OLD), read_text(MARKS_NEW))}


def gridded() -> dict[str, tuple[Document, Document]]:
    """Tables whose rows change shape (a column added, cells merged across and down),
    and a table nested in a cell that gains a row, a column, merged cells."""
    def doc(grid: Grid) -> Document:
        return Document("T", (Block(PARAGRAPH, 0, "auto:a", "", "Before."), *grid.blocks([0]),
                              Block(PARAGRAPH, 0, "auto:z", "", "After.")))

    def rows_(*texts: str, span: bool = False, down: bool = False) -> tuple:
        return list(texts), span, down, {}

    plain = Grid(2, [rows_("a", "b"), rows_("c", "d")])
    wider = Grid(3, [rows_("a", "b", "x"), rows_("c", "d", "y")])
    merged_ = Grid(2, [rows_("ab", "", span=True), rows_("c", "d"), rows_("", "f", down=True)])
    taller = Grid(2, [rows_("a", "b"), rows_("e", "f"), rows_("c", "d")])

    def holding(inner: Grid) -> Grid:
        return Grid(2, [(["", "right"], False, False, {0: inner}), rows_("o", "p")])
    return {"columns": (doc(plain), doc(wider)), "merges": (doc(taller), doc(merged_)),
            **{f"nested {name}": (doc(holding(plain)), doc(holding(inner))) for name, inner in
               (("rows", taller), ("columns", wider), ("merges", merged_))}}


def rows(document_xml: str) -> list[tuple[str, str]]:
    """Each table row: its tracked state ("ins", "del" or "") and its visible words."""
    out = []
    for tr in re.findall(r"<w:tr\b.*?</w:tr>", document_xml, re.S):
        state = re.search(r"<w:trPr>.*?<w:(ins|del)\b", tr, re.S)
        words = re.findall(r"<w:(?:t|delText)(?: [^>]*)?>([^<]*)<", tr)
        out.append((state.group(1) if state else "", " ".join(words)))
    return out


def test_rows_inserted_and_deleted_are_tracked_rows_and_an_edited_cell_stays_in_its_cell(
) -> None:
    old, new = pairs()["table"]
    data = redline(old, new)
    body = part(data, "word/document.xml")
    assert body.count("<w:tbl>") == 1
    assert rows(body) == [("", "Site State"), ("", "Yongbyon frozen dismantled"),
                          ("del", "Kangson open"), ("", "Punggye sealed"),
                          ("ins", "Sohae closed")]
    cell = re.search(r"<w:tc>(?:(?!</w:tc>).)*frozen.*?</w:tc>", body, re.S).group()
    assert cell.count("<w:p>") == 1  # one paragraph: old text deleted, new inserted
    assert re.search(r"<w:del [^>]*><w:r><w:delText>frozen</w:delText></w:r></w:del>"
                     r"<w:ins [^>]*><w:r><w:t>dismantled</w:t>", cell)
    read_back(data, old, new)


def test_merged_cells_keep_their_spans_and_vertical_merges() -> None:
    old, new = pairs()["merged"]
    data = redline(old, new)
    body = part(data, "word/document.xml")
    assert body.count("<w:tbl>") == 1 and '<w:gridSpan w:val="2"/>' in body
    assert '<w:vMerge w:val="restart"/>' in body and "<w:vMerge/>" in body
    assert rows(body) == [("", "Schedule"), ("", "Sites frozen dismantled"), ("", "sealed")]


def test_notes_added_removed_and_edited_are_real_notes_with_tracked_references() -> None:
    old, new = pairs()["notes"]
    data = redline(old, new)
    body, notes = part(data, "word/document.xml"), part(data, "word/footnotes.xml")
    assert "[^" not in body and "[^" not in notes
    references = re.findall(r'<w:(ins|del) [^>]*>(?:(?!</w:\1>).)*?<w:footnoteReference '
                            r'w:id="(\d+)"/>', body, re.S)
    assert sorted(kind for kind, _ in references) == ["del", "ins"]  # [^2] moved: two notes
    assert body.count("<w:footnoteReference") == 3
    assert re.search(r"<w:del [^>]*><w:r><w:delText>thirty</w:delText></w:r></w:del>"
                     r"<w:ins [^>]*><w:r><w:t>sixty</w:t>", notes)
    note_of = {n: re.search(rf'<w:footnote w:id="{n}">(.*?)</w:footnote>', notes).group(1)
               for _, n in references}
    deleted = next(n for kind, n in references if kind == "del")
    inserted = next(n for kind, n in references if kind == "ins")
    assert re.findall(r"<w:delText>([^<]*)", note_of[deleted]) == ["As the Commission decides."]
    assert re.findall(r"<w:t>([^<]*)", note_of[inserted]) == ["Save where the Parties agree."]
    read_back(data, old, new)


def test_an_endnote_added_is_an_inserted_reference_and_an_edited_one_tracked() -> None:
    old, new = pairs()["endnotes"]
    data = redline(old, new)
    body, notes = part(data, "word/document.xml"), part(data, "word/endnotes.xml")
    assert re.search(r'<w:ins [^>]*>(?:(?!</w:ins>).)*<w:endnoteReference w:id="2"/>', body)
    assert re.search(r"<w:ins [^>]*><w:r><w:t>, revised</w:t>", notes)
    assert re.search(r'<w:endnote w:id="2"><w:p>.*<w:ins [^>]*><w:r><w:t>Second end.', notes)
    assert part(data, "word/footnotes.xml") == ""


def test_marks_are_on_every_run_and_a_change_of_formatting_alone_is_rpr_change() -> None:
    old, new = pairs()["marks"]
    data = redline(old, new)
    body = part(data, "word/document.xml")
    # "Parties": bold before, italic now, the same text: formatting changed
    assert re.search(r'<w:rPr><w:i/><w:rPrChange [^>]*><w:rPr><w:b/></w:rPr></w:rPrChange>'
                     r'</w:rPr><w:t>Parties</w:t>', body)
    assert re.search(r"<w:rPr><w:i/></w:rPr><w:t>yearly</w:t>", body)  # unchanged italic
    assert "yearly</w:t>" in body and body.count("w:rPrChange ") == 1
    link = re.search(r'<w:hyperlink r:id="(rId\d+)">(.*?)</w:hyperlink>', body).group(2)
    assert "<w:t>site</w:t>" in link
    inserted = re.search(r"<w:ins [^>]*>((?:(?!</w:ins>).)*)</w:ins>", body).group(1)
    assert '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>2</w:t>' in inserted
    assert "<w:r><w:rPr><w:smallCaps/></w:rPr><w:t>as agreed</w:t>" in inserted
    read_back(data, old, new)


def test_deleted_text_keeps_its_marks() -> None:
    old = read_text("# T\n\nThe **Parties** shall *meet*.\n")
    new = read_text("# T\n\nThe States shall convene.\n")
    body = part(redline(old, new), "word/document.xml")
    assert re.search(r"<w:del [^>]*><w:r><w:rPr><w:b/></w:rPr><w:delText>Parties", body)
    assert re.search(r"<w:del [^>]*><w:r><w:rPr><w:i/></w:rPr><w:delText>meet", body)


def test_a_note_no_text_refers_to_stays_a_paragraph() -> None:
    old = noted(FOOTNOTE, {"1": "Orphan."}, "No mark here.")
    new = noted(FOOTNOTE, {"1": "Orphan, edited."}, "No mark here still.")
    data = redline(old, new)
    assert part(data, "word/footnotes.xml") == ""
    assert "Orphan" in part(data, "word/document.xml")


def _structure(state: dict) -> tuple:
    """Tables (rows, cell texts), footnotes and endnotes (their texts) as LibreOffice lays
    them out. LibreOffice 7.4 leaves a zero-width joiner in an empty cell of a tracked row
    it accepted, and reads an object token as the object it stands for: neither is text."""
    def clean(text: str) -> str:
        return re.sub(r"⟦[^⟧]*⟧", "", text).replace("\u200d", "").strip()

    return ([(t["rows"], [clean(x) for x in t["texts"]]) for t in state["tables"]],
            [clean(n["text"]) for n in state["footnotes"]],
            [clean(n["text"]) for n in state["endnotes"]])


def _accepted_and_rejected(seen: list[dict]) -> list[tuple[dict, dict, dict]]:
    """(redline, older, newer) of each three files LibreOffice read, once it is checked
    that the redline's accept-all has the newer one's tables and notes, its reject-all
    the older one's."""
    out = []
    for k in range(0, len(seen), 3):
        red, old, new = seen[k : k + 3]
        assert _structure(red["structure"]) == _structure(new["structure"]), red["file"]
        assert _structure(red["rejected_structure"]) == _structure(old["structure"]), \
            red["file"]
        out.append((red, old, new))
    return out


def _body(paragraphs: list[dict]) -> list[str]:
    return [p["text"].strip() for p in paragraphs if p["style"] != "table" and
            p["text"].strip()]


def test_libreoffice_accepts_the_newer_and_rejects_to_the_older_tables_and_notes_included(
        tmp_path: Path) -> None:
    """Accept-all gives what LibreOffice reads in the clean export of the newer version,
    reject-all the older one's: body text, tables with their rows and cells, footnotes,
    endnotes."""
    files = []
    for name, (old, new) in pairs().items():
        for what, data in (("redline", redline(old, new)),
                           ("old", docx_clean.render(old, META)),
                           ("new", docx_clean.render(new, META))):
            files.append(tmp_path / f"{name}-{what}.docx")
            files[-1].write_bytes(data)
    seen = lo_probe("inspect", *map(str, files))
    for red, old, new in _accepted_and_rejected(seen):
        for state, clean in ((red["accepted"], new), (red["rejected"], old)):
            text = _body(clean["paragraphs"])[2:]  # past the title and the status line
            assert _body(state)[len(_body(state)) - len(text):] == text, red["file"]
        assert red["redlines"], red["file"]
    counted = {f.name: _structure(s["structure"]) for f, s in zip(files, seen, strict=True)}
    assert len(counted["table-redline.docx"][0]) == 1 and \
        len(counted["notes-redline.docx"][1]) == 2 and \
        len(counted["endnotes-redline.docx"][2]) == 2


WC_PAIRS = [("WC006-Table", "WC006-Table-Delete-Row"),
            ("WC006-Table", "WC006-Table-Delete-Contests-of-Row"),
            ("WC009-Table-Unmodified", "WC009-Table-Cell-1-1-Mod"),
            ("WC024-Table-Before", "WC024-Table-After2"),
            ("WC023-Table-4-Row-Image-Before", "WC023-Table-4-Row-Image-After-Delete-1-Row"),
            ("WC020-FootNote-Before", "WC020-FootNote-After-1"),
            ("WC020-FootNote-Before", "WC020-FootNote-After-2"),
            ("WC019-Hyperlink-Before", "WC019-Hyperlink-After-1")]


def test_imported_word_pairs_redlined_from_the_model_accept_and_reject_to_the_inputs(
        tmp_path: Path) -> None:
    """Two imported Word files (tables, footnotes, links) redlined from the model, not
    written into the newer file: LibreOffice's accept-all gives the newer file's tables
    and notes, its reject-all the older file's."""
    need_corpus("docx", "compare", "oxpt-WC")
    files = []
    for old_name, new_name in WC_PAIRS:
        old_path, new_path = WC / f"{old_name}.docx", WC / f"{new_name}.docx"
        data = redline(read_file(old_path).accepted, read_file(new_path).accepted)
        files += [tmp_path / f"{new_name}.redline.docx", old_path, new_path]
        files[-3].write_bytes(data)
    _accepted_and_rejected(lo_probe("inspect", *map(str, files)))


@pytest.mark.parametrize("name", ["notes", "marks"])
def test_a_markdown_pair_redlined_by_the_cli_is_the_same_file(tmp_path: Path, name: str
                                                              ) -> None:
    """`draft diff OLD.md NEW.md -o X.docx` takes this path: notes and marks written."""
    from click.testing import CliRunner

    from drafting.cli import main

    texts_ = {"notes": (NOTES_OLD, NOTES_NEW), "marks": (MARKS_OLD, MARKS_NEW)}[name]
    for n, text in enumerate(texts_):
        (tmp_path / f"{n}.md").write_text(text)
    out = tmp_path / "r.docx"
    r = CliRunner().invoke(main, ["diff", str(tmp_path / "0.md"), str(tmp_path / "1.md"),
                                  "-o", str(out)])
    assert r.exit_code == 1, r.output
    data = out.read_bytes()
    assert ("<w:footnoteReference" if name == "notes" else "w:rPrChange") in \
        part(data, "word/document.xml")


def test_cells_of_a_row_kept_but_moved_to_another_column_are_deleted_and_inserted() -> None:
    """A block that changed cell cannot move in Word: its text is deleted where it was and
    inserted where it is, so that reject-all puts it back (WC024's second pair)."""
    old = Document("T", tuple(cell_block(t, 1, r, c) for r, row in enumerate(
        [["1", "2"], ["4", "Lorem."], ["7", "8"]], 1) for c, t in enumerate(row, 1)))
    new = Document("T", tuple(cell_block(t, 1, r, c) for r, row in enumerate(
        [["1", "2"], ["Lorem.", "8"]], 1) for c, t in enumerate(row, 1)))
    data = redline(old, new)
    read_back(data, old, new)
    assert [state for state, _ in rows(part(data, "word/document.xml"))].count("del") == 1


WORDS = st.sampled_from(["alpha", "beta", "gamma", "delta", "one two", ""])


@dataclass
class Grid:
    """A table to build a block list from: `width` grid columns; each row its cells'
    texts, whether its last two columns are one cell (`span`), whether its first cell
    is merged into the one above (`down`, kept where the row above has the same spans),
    and the tables nested in its cells (by cell index)."""
    width: int
    rows: list[tuple[list[str], bool, bool, dict[int, Grid]]]

    def blocks(self, count: list[int], outer: CellPlace | None = None) -> list[Block]:
        count[0] += 1
        number, out = count[0], []
        for r, (texts, span, _, nested) in enumerate(self.rows):
            below = r + 1 < len(self.rows) and self._down(r + 1)
            for c, text in enumerate(texts[:self.width - 1] if span else texts):
                wide = 2 if span and c == self.width - 2 else 1
                merge = ("continue" if self._down(r) else "restart" if below else "") \
                    if c == 0 else ""
                place = CellPlace(number, r + 1, c + 1, wide, merge, outer)
                out.append(cell_block("" if merge == "continue" else text, 0, 0, 0))
                out[-1] = replace(out[-1], id=f"auto:{number}.{r}.{c}", cell=place)
                if c in nested and merge != "continue":
                    out += nested[c].blocks(count, place)
        return out

    def _down(self, r: int) -> bool:
        return r > 0 and self.rows[r][2] and self.rows[r][1] == self.rows[r - 1][1] and \
            (self.width > 1 or not self.rows[r][1])


@st.composite
def grids(draw, depth: int = 0, width: int | None = None) -> Grid:
    width = width or draw(st.integers(1, 3))
    return Grid(width, [draw(grid_rows(width, depth))
                        for _ in range(draw(st.integers(1, 3 if depth else 4)))])


@st.composite
def grid_rows(draw, width: int, depth: int):
    nested = {c: draw(grids(depth + 1)) for c in range(width)
              if depth < 2 and draw(st.integers(0, 5 + 3 * depth)) == 0}
    return (draw(st.lists(WORDS, min_size=width, max_size=width)),
            width > 1 and draw(st.integers(0, 4)) == 0, draw(st.integers(0, 3)) == 0, nested)


@st.composite
def edited(draw, grid: Grid, depth: int = 0) -> Grid:
    """The grid with rows dropped, added and edited, a column added or dropped, spans
    and merges changed, nested tables edited, dropped and added, at random."""
    width, rows = grid.width, [row for row in grid.rows if draw(st.booleans())] or \
        grid.rows[:1]
    change = draw(st.integers(0, 7))
    if change == 0 or (change == 1 and width > 1):
        width += 1 if change == 0 else -1
        rows = [([*texts, "new"] if change == 0 else texts[:-1], span, down,
                 {c: g for c, g in nested.items() if c < width}) for texts, span, down,
                nested in rows]
    out = []
    for texts, span, down, nested in rows:
        texts = [draw(WORDS) if draw(st.integers(0, 3)) == 0 else t for t in texts]
        if draw(st.integers(0, 5)) == 0:
            span = width > 1 and not span
        if draw(st.integers(0, 5)) == 0:
            down = not down
        nested = {c: draw(edited(g, depth + 1)) for c, g in nested.items()
                  if draw(st.integers(0, 5))}
        if depth < 2 and draw(st.integers(0, 7)) == 0:
            nested.setdefault(draw(st.integers(0, width - 1)), draw(grids(depth + 1)))
        out.append((texts, span and width > 1, down, nested))
    if draw(st.booleans()):
        out.insert(draw(st.integers(0, len(out))), draw(grid_rows(width, depth)))
    return Grid(width, out)


@st.composite
def table_pairs(draw) -> tuple[Document, Document]:
    """Two versions of a paragraph, a table of 1-4 rows of 1-3 cells (spans, vertical
    merges, tables nested two deep in its cells) and a paragraph, edited at random."""
    old = draw(grids())
    new = draw(edited(old))

    def doc(grid: Grid, tail: str) -> Document:
        return Document("T", (Block(PARAGRAPH, 0, "auto:a", "", "Before."),
                              *grid.blocks([0]), Block(PARAGRAPH, 0, "auto:z", "", tail)))
    return doc(old, "After."), doc(new, draw(st.sampled_from(["After.", "Later."])))


@settings(max_examples=60, deadline=None)
@given(table_pairs())
def test_any_table_edit_reads_back_as_the_newer_and_the_older_table(pair) -> None:
    """Our reader, accepting every change of the redline, reads the newer table's cells in
    order, at their places (rows, spans, merges, nested tables), rejecting them the older
    one's; the file validates."""
    old, new = pair
    data = redline(old, new)
    assert re.findall(r"<w:tbl>|</w:tbl>", part(data, "word/document.xml"))[:2] != \
        ["</w:tbl>", "<w:tbl>"]  # one outermost table
    read_back(data, old, new)


def test_a_paragraph_only_one_version_has_between_rows_stands_after_the_table() -> None:
    """The comparison may list the old closing paragraph between the kept row and the
    inserted one; each version's table is whole, so the redline keeps one table."""
    def doc(rows_: int, tail: str) -> Document:
        return Document("T", (*(cell_block("alpha", 1, r, 1) for r in range(1, rows_ + 1)),
                              Block(PARAGRAPH, 0, "auto:z", "", tail)))
    old, new = doc(1, "After."), doc(2, "Later.")
    data = redline(old, new)
    assert rows(part(data, "word/document.xml")) == [("", "alpha"), ("ins", "alpha")]
    read_back(data, old, new)


# -- reviewers' comments on table cells ----------------------------------------------------

def _commented(old: Document, new: Document, quotes: dict[str, list[str]]) -> bytes:
    """The redline with a comment of each side on the first block of its text holding
    each of its `quotes` ("old", "new"): "<side> on <words>", by "<side> reviewer"."""
    from drafting.compare.comments import place
    from drafting.model import Comment

    def notes(doc: Document, side: str) -> list[Comment]:
        return [Comment(f"{side}{n}", f"{side} reviewer", "", "", f"{side} on {words}", words,
                        next(b.id for b in doc.blocks if words in b.text))
                for n, words in enumerate(quotes.get(side, []))]

    c = compare(old, new)
    data = docx_redline.render(c, META, "r1", "r2", summary_table=False, remarks=place(
        c, notes(old, "old"), notes(new, "new"), "r1", "r2"))
    docxcheck.assert_valid(data, "the redline")
    return data


def _comment_marks(data: bytes) -> list[tuple[str, int]]:
    """Each comment's text, and how many references to it the body has."""
    from lxml import etree

    with zipfile.ZipFile(BytesIO(data)) as z:
        comments = etree.fromstring(z.read("word/comments.xml"))
        body = z.read("word/document.xml").decode()
    return sorted(("".join(c.itertext()).strip(), len(re.findall(
        f'<w:commentReference w:id="{c.get(f"{W}id")}"/>', body))) for c in comments)


SWAPPED = TABLE_OLD.replace("| Yongbyon | frozen |", "| frozen | Yongbyon |")


def test_comments_on_an_edited_cell_and_on_blocks_that_changed_cell_are_each_written_once(
        ) -> None:
    """An edited cell ("frozen" -> "dismantled": one change made of a deletion and an
    insertion) keeps the comments of both sides, the old one on the deleted words; blocks
    that changed column (the deletion where they were, the insertion where they are) have
    each comment once, on its side's words."""
    edited = _commented(read_text(TABLE_OLD, "a.md"), read_text(TABLE_NEW, "b.md"),
                        {"old": ["frozen"], "new": ["dismantled"]})
    assert _comment_marks(edited) == [("new on dismantled", 1), ("old on frozen", 1)]
    body = part(edited, "word/document.xml")
    assert re.search(r'<w:del [^>]*><w:commentRangeStart w:id="(\d+)"/><w:r><w:delText>'
                     r'frozen</w:delText></w:r><w:commentRangeEnd w:id="\1"/><w:r>.*?'
                     r'<w:commentReference w:id="\1"/></w:r></w:del>', body)  # goes with them
    quotes = {"old": ["Yongbyon", "frozen"], "new": ["Yongbyon", "frozen"]}
    swapped = _commented(read_text(TABLE_OLD, "a.md"), read_text(SWAPPED, "b.md"), quotes)
    assert _comment_marks(swapped) == sorted(
        (f"{side} on {words}", 1) for side in quotes for words in quotes[side])


WORDS_OF_CELLS = ["alpha beta", "gamma delta", "epsilon zeta", "eta theta", "iota kappa"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(WORDS_OF_CELLS), min_size=4, max_size=4),
       st.lists(st.tuples(st.integers(0, 3), st.integers(0, 1), st.integers(0, 4)),
                min_size=1, max_size=3))
def test_every_comment_on_any_table_edit_is_written_once(cells_, edits) -> None:
    """Cells edited, swapped within their row, rows moved and inserted; a comment of each
    side on every block: each is written once, with one reference."""
    rows_ = [cells_[0:2], cells_[2:4]]
    new = [list(r) for r in rows_]
    for kind, r, value in edits:
        r = min(r, len(new) - 1)
        if kind == 0:
            new[r][value % 2] = WORDS_OF_CELLS[value]
        elif kind == 1:
            new[r].reverse()
        elif kind == 2:
            new.append(new.pop(r))
        else:
            new.insert(r, ["fresh row", WORDS_OF_CELLS[value]])

    def table(rows__: list[list[str]]) -> Document:
        return read_text("# T\n\nBefore.\n\n| A | B |\n|---|---|\n" + "".join(
            f"| {a} | {b} |\n" for a, b in rows__) + "\nAfter.\n", "t.md")

    old_doc, new_doc = table(rows_), table(new)
    quotes = {"old": [b.text for b in old_doc.blocks if b.cell],
              "new": [b.text for b in new_doc.blocks if b.cell]}
    data = _commented(old_doc, new_doc, quotes)
    assert _comment_marks(data) == sorted(
        (f"{side} on {words}", 1) for side in quotes for words in quotes[side])


def test_libreoffice_reads_the_comments_of_an_edited_cell_after_accept_and_reject(
        tmp_path: Path) -> None:
    """The old side's comment on the deleted "frozen", the new side's on the inserted
    "dismantled": after accept-all the old one is on no words (as a comment on deleted
    words is), after reject-all the new one; the moved cells' comments each once, on
    their words."""
    edited = tmp_path / "edited.docx"
    edited.write_bytes(_commented(read_text(TABLE_OLD, "a.md"), read_text(TABLE_NEW, "b.md"),
                                  {"old": ["frozen"], "new": ["dismantled"]}))
    swapped = tmp_path / "swapped.docx"
    swapped.write_bytes(_commented(read_text(TABLE_OLD, "a.md"), read_text(SWAPPED, "b.md"),
                                   {"old": ["Yongbyon"], "new": ["frozen"]}))
    seen_edited, seen_swapped = lo_probe("inspect", str(edited), str(swapped))

    def shown(comments: list[dict]) -> list[tuple[str, str]]:
        return sorted((c["text"], c["anchored"]) for c in comments)

    assert shown(seen_edited["comments"]) == [("new on dismantled", "dismantled"),
                                              ("old on frozen", "frozen")]
    assert shown(seen_edited["accepted_comments"]) == [("new on dismantled", "dismantled"),
                                                       ("old on frozen", "")]
    assert shown(seen_edited["rejected_comments"]) == [("new on dismantled", ""),
                                                       ("old on frozen", "frozen")]
    assert shown(seen_swapped["comments"]) == [("new on frozen", "frozen"),
                                               ("old on Yongbyon", "Yongbyon")]
