"""Tables as structure: every block in a cell knows its table, row and cell (spans,
vertical merges, nesting), as LibreOffice counts them; the Markdown and JSON forms keep
it, HTML and the clean Word export rebuild real tables, and the diff says which cell a
change is in."""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import CORPUS, lo_probe, need_corpus
from hypothesis import given, settings
from hypothesis import strategies as st
from test_docx_notes import SEPARATORS, import_and_show
from test_docx_reader import make_docx, p, r, read

from drafting.cli import main
from drafting.compare import compare
from drafting.model import Block, CellPlace, Document
from drafting.readers import markdown as md_reader
from drafting.readers.docx import read_bytes, read_file
from drafting.readers.docx.body import MAX_SPAN
from drafting.readers.md_tables import MAX_NESTING
from drafting.writers import critic, docx_clean
from drafting.writers import markdown as md_writer
from drafting.writers.word import Meta

WC = CORPUS / "docx" / "compare" / "oxpt-WC"
RP = CORPUS / "docx" / "tracked" / "oxpt-RP"
TABLE_PAIRS = [  # (older, newer): each differs in a table
    ("WC006-Table", "WC006-Table-Delete-Row"), ("WC006-Table-Delete-Row", "WC006-Table"),
    ("WC006-Table", "WC006-Table-Delete-Contests-of-Row"),
    ("WC007-Unmodified", "WC007-Moved-into-Table"),
    ("WC009-Table-Unmodified", "WC009-Table-Cell-1-1-Mod"),
    ("WC010-Para-Before-Table-Unmodified", "WC010-Para-Before-Table-Mod"),
    ("WC023-Table-4-Row-Image-Before", "WC023-Table-4-Row-Image-After-Delete-1-Row"),
    ("WC024-Table-Before", "WC024-Table-After"), ("WC024-Table-Before", "WC024-Table-After2"),
]
# Word's own accept-all results of tracked table changes: LibreOffice's accept-all applies
# no tracked cell merge or cell deletion, and keeps a table all of whose rows are deleted;
# the tracked files are compared with these results below
TRACKED_TABLES = [f"{name}-Accepted" for name in (
    "RP001-Tracked-Revisions-01", "RP009-Deleted-Table-Row", "RP010-Inserted-Table-Row",
    "RP011-Multiple-Deleted-Rows", "RP012-Multiple-Inserted-Rows", "RP034-Deleted-Cells",
    "RP035-Inserted-Cells", "RP036-Vert-Merged-Cells", "RP041-Cell-With-Empty-Paras-at-End")]
# LibreOffice's cell text leaves out equations (m:oMath): their tables' counts are compared
NO_MATH_TEXT = {"WC023-Table-4-Row-Image-Before.docx",
                "WC023-Table-4-Row-Image-After-Delete-1-Row.docx"}
EXPECTED = [name.removesuffix("-Accepted") for name in TRACKED_TABLES]
# LibreOffice's cell text leaves out equations (m:oMath): their tables' counts are compared
NO_MATH_TEXT = {"WC023-Table-4-Row-Image-Before.docx",
                "WC023-Table-4-Row-Image-After-Delete-1-Row.docx"}


def schedule() -> bytes:
    """A Word table with a horizontal span, a vertical merge and a nested table."""
    d = docx.Document()
    d.add_paragraph("Schedule of sites", style="Title")
    d.add_paragraph("Before the table.")
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "Site and location"
    t.cell(0, 2).text = "Status"
    t.cell(1, 0).text = "Yongbyon"
    t.cell(1, 1).text = "5 MWe reactor | fuel rod plant"
    t.cell(1, 2).merge(t.cell(2, 2)).text = "Frozen"
    inner = t.cell(2, 0).add_table(rows=2, cols=2)
    for row in range(2):
        for column in range(2):
            inner.cell(row, column).text = f"n{row}{column}"
    t.cell(2, 1).text = "Kangson"
    d.add_paragraph("After the table.")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def simple_table(rows: list[list[str]], title: str = "Sites") -> bytes:
    d = docx.Document()
    d.add_paragraph(title, style="Title")
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for n, row in enumerate(rows):
        for column, text in enumerate(row):
            t.cell(n, column).text = text
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def shape(doc: Document) -> list[tuple[int, int]]:
    """(rows, cells) of each table, in the order tables open, as LibreOffice counts them:
    a cell merged into the one above is not a cell of its own."""
    tables: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for block in doc.blocks:
        for place in block.cell.chain() if block.cell else ():
            tables.setdefault(place.table, set())
            if place.merge != "continue":
                tables[place.table].add((place.row, place.cell))
    return [(len({r for r, _ in cells}), len(cells)) for _, cells in sorted(tables.items())]


def cell_texts(doc: Document) -> list[list[str]]:
    """Each cell's own non-empty paragraphs, table after table."""
    cells: dict[tuple[int, int, int], list[str]] = {}
    for block in doc.blocks:
        if block.cell and block.cell.merge != "continue":
            place = block.cell
            own = cells.setdefault((place.table, place.row, place.cell), [])
            if block.text:
                own.append(block.text)
    return [cells[key] for key in sorted(cells)]


def office_texts(structure: dict) -> list[list[str]]:
    return [[" ".join(p.split()) for p in text.split("\n") if p.strip()]
            for table in structure["tables"] for text in table["texts"]]


def _diff(a: Path, b: Path, *args: str):
    return CliRunner().invoke(main, ["diff", str(a), str(b), *args], catch_exceptions=False)


# -- reading, as LibreOffice reads --------------------------------------------------------

def test_every_table_of_the_corpus_reads_as_libreoffice_counts_it() -> None:
    need_corpus("docx", "compare", "oxpt-WC")
    paths = sorted({WC / f"{name}.docx" for pair in TABLE_PAIRS for name in pair} |
                   {RP / f"{name}.docx" for name in TRACKED_TABLES})
    probed = lo_probe("inspect", *map(str, paths))
    for path, office in zip(paths, probed, strict=True):
        doc = read_file(path).accepted
        structure = office["structure"]
        assert shape(doc) == [(t["rows"], t["cells"]) for t in structure["tables"]], path.name
        if path.name not in NO_MATH_TEXT:
            assert cell_texts(doc) == office_texts(structure), path.name


def test_merged_and_nested_cells_carry_their_place() -> None:
    doc = read_bytes(schedule(), "schedule.docx").accepted
    placed = [(b.text, b.cell) for b in doc.blocks]
    outer = CellPlace(1, 3, 1)
    assert placed[:7] == [
        ("Before the table.", None),
        ("Site and location", CellPlace(1, 1, 1, span=2)),
        ("Status", CellPlace(1, 1, 2)),
        ("Yongbyon", CellPlace(1, 2, 1)),
        ("5 MWe reactor | fuel rod plant", CellPlace(1, 2, 2)),
        ("Frozen", CellPlace(1, 2, 3, merge="restart")),
        ("", outer)]  # the cell's own (empty) paragraph before the nested table
    assert placed[7:] == [
        ("n00", CellPlace(2, 1, 1, outer=outer)), ("n01", CellPlace(2, 1, 2, outer=outer)),
        ("n10", CellPlace(2, 2, 1, outer=outer)), ("n11", CellPlace(2, 2, 2, outer=outer)),
        ("Kangson", CellPlace(1, 3, 2)), ("", CellPlace(1, 3, 3, merge="continue")),
        ("After the table.", None)]


def test_the_schedule_reads_as_libreoffice_counts_it(tmp_path: Path) -> None:
    path = tmp_path / "schedule.docx"
    path.write_bytes(schedule())
    office = lo_probe("inspect", str(path))[0]["structure"]
    doc = read_file(path).accepted
    assert shape(doc) == [(t["rows"], t["cells"]) for t in office["tables"]] == [(3, 7), (2, 4)]


@pytest.mark.parametrize("name", EXPECTED)
def test_tracked_tables_read_as_their_expected_results(name: str) -> None:
    tracked = read_file(need_corpus("docx", "tracked", "oxpt-RP", f"{name}.docx"))
    for view, expected in (("accepted", "Accepted"), ("original", "Rejected")):
        path = RP / f"{name}-{expected}.docx"
        if path.exists():
            done = read_file(path).accepted
            assert shape(getattr(tracked, view)) == shape(done), (name, view)
            assert cell_texts(getattr(tracked, view)) == cell_texts(done), (name, view)


def test_tracked_rows_and_cells_count_in_the_reading_that_has_them() -> None:
    word = read_file(need_corpus("docx", "tracked", "oxpt-RP", "RP010-Inserted-Table-Row.docx"))
    accepted, original = shape(word.accepted), shape(word.original)
    assert accepted[0][0] == original[0][0] + 1  # the inserted row exists only accepted
    where = {c.where for c in word.changes if c.kind == "row-insert"}
    assert all(w.startswith("table 1, row ") for w in where), where


# -- Markdown and JSON forms ------------------------------------------------------------------

def test_a_simple_table_is_a_gfm_pipe_table_and_reads_back() -> None:
    doc = read_bytes(simple_table([["Site", "Status"], ["Yongbyon", "frozen | sealed"],
                                   ["Kangson", ""]]), "t.docx").accepted
    text = md_writer.render(doc)
    assert text == ("# Sites\n\n| Site | Status |\n| --- | --- |\n"
                    "| Yongbyon | frozen \\| sealed |\n| Kangson |  |\n")
    again = md_reader.read_text(text)
    assert [(b.text, b.cell) for b in again.blocks] == [(b.text, b.cell) for b in doc.blocks]
    assert md_writer.render(again) == text


def test_merged_and_nested_cells_round_trip_through_markdown_and_json() -> None:
    doc = read_bytes(schedule(), "schedule.docx").accepted
    text = md_writer.render(doc)
    assert "{table 1 row 1 cell 1 span 2} Site and location\n" in text
    assert "{table 1 row 2 cell 3 merge restart} Frozen\n" in text
    assert "{table 1 row 3 cell 1 > table 2 row 2 cell 1} n10\n" in text
    assert "\n{table 1 row 3 cell 3 merge continue}\n" in text
    again = md_reader.read_text(text)
    assert [(b.kind, b.label, b.text, b.cell) for b in again.blocks] == [
        (b.kind, b.label, b.text, b.cell) for b in doc.blocks]
    assert md_writer.render(again) == text
    assert Document.from_dict(json.loads(doc.to_json())) == doc
    nested = json.loads(doc.to_json())["blocks"][7]
    assert nested["cell"] == {"table": 2, "row": 1, "cell": 1,
                              "outer": {"table": 1, "row": 3, "cell": 1}}


def test_a_heading_and_a_labelled_paragraph_in_a_cell_round_trip() -> None:
    text = ("# T\n\n## Article 1\n\n{table 1 row 1 cell 1} ### Sites\n\n"
            "{table 1 row 1 cell 1} 1. The first site.\n\n{table 1 row 1 cell 2}     indented\n")
    doc = md_reader.read_text(text)
    assert [(b.kind, b.label, b.text, b.cell is not None) for b in doc.blocks] == [
        ("heading", "Article 1", "", False), ("heading", "", "Sites", True),
        ("paragraph", "1.1", "The first site.", True), ("paragraph", "", "indented", True)]
    assert md_writer.render(doc) == text


def test_pipe_text_the_model_cannot_keep_stays_a_paragraph() -> None:
    aligned = "# T\n\n| a | b |\n|:---|---:|\n| c | d |\n"
    ragged = "# T\n\n| a | b |\n| --- | --- |\n| c |\n"
    for text in (aligned, ragged):
        doc = md_reader.read_text(text)
        assert [b.cell for b in doc.blocks] == [None]
        assert len(doc.blocks) == 1


@pytest.mark.parametrize("depth", [MAX_NESTING, MAX_NESTING + 1])
def test_a_cell_address_names_at_most_the_nesting_limit(depth: int) -> None:
    address = " > ".join(f"table {n} row 1 cell 1" for n in range(1, depth + 1))
    doc = md_reader.read_text(f"# T\n\n{{{address}}} deep\n")
    block = doc.blocks[0]
    if depth <= MAX_NESTING:
        assert block.text == "deep" and len(block.cell.chain()) == depth
    else:
        assert block.cell is None and block.text.endswith("} deep")


def test_import_then_show_gives_a_markdown_file_with_tables_back(workspace: Path) -> None:
    doc = read_bytes(schedule(), "schedule.docx").accepted
    text = md_writer.render(doc) + "\n| Site | Status |\n| --- | --- |\n| Kangson | open |\n"
    assert import_and_show(workspace, "schedule.md", text) == text
    as_json = json.loads(CliRunner().invoke(main, ["-C", str(workspace), "show",
                                                   "phased-agreement@us", "--format",
                                                   "json"]).output)
    assert as_json["blocks"][-1]["cell"] == {"table": 3, "row": 2, "cell": 2}


# -- the diff ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new"), TABLE_PAIRS)
def test_every_wc_pair_with_a_table_change_differs(old: str, new: str) -> None:
    a = need_corpus("docx", "compare", "oxpt-WC", f"{old}.docx")
    run = _diff(a, WC / f"{new}.docx")
    assert run.exit_code == 1, run.output
    assert "[table 1, row " in run.output or "table 1, row" in run.output


def test_the_diff_says_which_row_and_cell_a_change_is_in(tmp_path: Path) -> None:
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    a.write_bytes(simple_table([["Site", "Status"], ["Yongbyon", "frozen under seal"]]))
    b.write_bytes(simple_table([["Site", "Status"], ["Yongbyon", "dismantled under seal"]]))
    term = _diff(a, b)
    assert term.exit_code == 1
    assert "[table 1, row 2, cell 2] [-frozen-]{+dismantled+} under seal" in term.output
    data = json.loads(_diff(a, b, "--format", "json").output)
    changed = [blk for blk in data["blocks"] if blk["status"] == "changed"]
    assert [blk["new"]["cell"] for blk in changed] == [{"table": 1, "row": 2, "cell": 2}]
    html = _diff(a, b, "--format", "html").output
    assert '<span class="cell">table 1, row 2, cell 2</span>' in html
    redline = html[html.index('<section class="redline">'):]
    assert redline.count("<tr>") == 2 and "<del>frozen</del><ins>dismantled</ins>" in redline


def test_the_html_redline_rebuilds_spans_and_nested_tables(tmp_path: Path) -> None:
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    plain = docx.Document()
    plain.add_paragraph("Schedule of sites", style="Title")
    plain.save(str(a))
    b.write_bytes(schedule())
    html = _diff(a, b, "--format", "html").output
    redline = html[html.index('<section class="redline">'):]
    assert '<td colspan="2">' in redline and '<td rowspan="2">' in redline
    assert redline.count('<table class="cells">') == 2  # the nested one inside its cell


# -- the clean Word export of an imported file ----------------------------------------------

def test_the_export_of_an_imported_file_has_real_tables(tmp_path: Path) -> None:
    doc = read_bytes(schedule(), "schedule.docx").accepted
    data = docx_clean.render(doc, Meta("Schedule of sites", "sites", "us", "r1",
                                       "2026-03-01T10:00:00Z"))
    exported = docx.Document(io.BytesIO(data))
    assert len(exported.tables) == 1
    table = exported.tables[0]
    assert (len(table.rows), len(table.columns)) == (3, 3)
    first = table.rows[0]._tr.tc_lst
    assert [tc.grid_span for tc in first] == [2, 1]
    assert [tc.vMerge for tc in table.rows[1]._tr.tc_lst] == [None, None, "restart"]
    assert [tc.vMerge for tc in table.rows[2]._tr.tc_lst] == [None, None, "continue"]
    assert [len(c.tables) for c in table.rows[2].cells][:1] == [1]
    assert table.cell(2, 0).tables[0].cell(1, 0).text == "n10"
    back = read_bytes(data, "exported.docx").accepted
    assert [(b.text, b.cell) for b in back.blocks if b.cell] == [
        (b.text, b.cell) for b in doc.blocks if b.cell]
    path = tmp_path / "exported.docx"
    path.write_bytes(data)
    office = lo_probe("inspect", str(path))[0]["structure"]
    assert [(t["rows"], t["cells"]) for t in office["tables"]] == [(3, 7), (2, 4)]


def test_the_export_of_a_wc_table_keeps_it() -> None:
    path = need_corpus("docx", "compare", "oxpt-WC", "WC024-Table-Before.docx")
    doc = read_file(path).accepted
    data = docx_clean.render(doc, Meta("T", "a", "us", "r1", "2026-03-01T10:00:00Z"))
    back = read_bytes(data, "exported.docx").accepted
    assert shape(back) == shape(doc) and cell_texts(back) == cell_texts(doc)


# -- limits and warnings ----------------------------------------------------------------------

@pytest.mark.parametrize(("span", "kept"), [(MAX_SPAN, MAX_SPAN), (MAX_SPAN + 1, MAX_SPAN)])
def test_a_grid_span_is_bounded(span: int, kept: int) -> None:
    cell = f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>{p(r("wide"))}</w:tc>'
    word = read(make_docx(f"<w:tbl><w:tr>{cell}</w:tr></w:tbl>"))
    assert word.accepted.blocks[0].cell == CellPlace(1, 1, 1, span=kept)


def test_a_row_offset_in_the_grid_is_said_not_kept() -> None:
    row = ('<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc>' + p(r("late")) +
           "</w:tc></w:tr>")
    word = read(make_docx(f"<w:tbl>{row}</w:tbl>"))
    assert word.accepted.blocks[0].cell == CellPlace(1, 1, 1)
    assert word.warnings == ("a table row leaves grid columns empty before or after its "
                             "cells (w:gridBefore, w:gridAfter): not kept",)


def test_a_table_in_a_note_is_read_as_its_text_and_said() -> None:
    table = "<w:tbl><w:tr><w:tc>" + p(r("in a cell")) + "</w:tc></w:tr></w:tbl>"
    footnotes = (SEPARATORS.format("footnote") + '<w:footnote w:id="1">'
                 + p(r("See:")) + table + p(r("")) + "</w:footnote>")
    word = read(make_docx(p(r("x") + '<w:r><w:footnoteReference w:id="1"/></w:r>'),
                          footnotes=footnotes))
    assert [(b.text, b.cell) for b in word.accepted.blocks] == [
        ("x[^1]", None), ("See: in a cell", None)]
    assert word.warnings == ("footnote [^1] holds a table: its cells are read as its text",)


# -- properties: any table the model holds comes back from Markdown -------------------------

WORDS = st.lists(st.sampled_from(["site", "frozen", "reactor", "sealed", "plant", "fuel",
                                  "rod", "north", "open", "a|b"]), min_size=0, max_size=4
                 ).map(" ".join)


@st.composite
def tables(draw: st.DrawFn, counter: list[int], outer: CellPlace | None = None,
           depth: int = 0) -> list[Block]:
    """The blocks of one table (numbered next), with spans, merges and nested tables."""
    counter[0] += 1
    number = counter[0]
    blocks: list[Block] = []
    rows, columns = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    merged = draw(st.sets(st.integers(1, columns), max_size=columns)) if rows > 1 else set()
    for row in range(1, rows + 1):
        cell = 1
        while cell <= columns:
            span = draw(st.integers(1, columns - cell + 1)) if cell not in merged else 1
            merge = ("restart" if row == 1 else "continue") if cell in merged else ""
            place = CellPlace(number, row, cell, span, merge, outer)
            texts = draw(st.lists(WORDS, min_size=1, max_size=2))
            if merge == "continue":
                texts = [""]
            elif len(texts) > 1:
                texts = [t or "x" for t in texts]
            blocks += [Block("paragraph", 0, "", "", t, cell=place) for t in texts]
            if depth < 1 and draw(st.booleans()) and merge != "continue":
                blocks += draw(tables(counter, place, depth + 1))
            cell += span
    return blocks


@st.composite
def documents(draw: st.DrawFn) -> Document:
    counter = [0]
    blocks: list[Block] = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            blocks.append(Block("paragraph", 0, "", "", draw(WORDS) or "text"))
        else:
            blocks += draw(tables(counter))
        blocks.append(Block("paragraph", 0, "", "", "between"))
    return Document("Tables", tuple(blocks))


@settings(max_examples=150, deadline=None)
@given(documents())
def test_any_table_comes_back_from_markdown(doc: Document) -> None:
    text = md_writer.render(doc)
    again = md_reader.read_text(text)
    assert [(b.kind, b.text, b.cell) for b in again.blocks] == [
        (b.kind, b.text, b.cell) for b in doc.blocks]
    assert md_writer.render(again) == text


def test_accepting_or_rejecting_a_table_diff_in_criticmarkup_gives_each_table() -> None:
    older = read_bytes(simple_table([["Site", "Status"], ["Yongbyon", "frozen"],
                                     ["Kangson", "open"]]), "a.docx").accepted
    newer = read_bytes(schedule(), "b.docx").accepted
    rendered = critic.render(compare(older, newer), "a", "b")
    body = rendered.split("\n\n", 2)[2]
    pattern = re.compile(r"\{\+\+(.*?)\+\+\}|\{--(.*?)--\}|\{~~(.*?)~>(.*?)~~\}|\{>>.*?<<\}",
                         re.S)
    for side, chosen in ((newer, lambda m: m[1] or m[4] or ""),
                         (older, lambda m: m[2] or m[3] or "")):
        back = md_reader.read_text("# T\n\n" + pattern.sub(chosen, body))
        assert [(b.text, b.cell) for b in back.blocks if b.text or b.cell] == [
            (b.text, b.cell) for b in side.blocks]


@pytest.mark.parametrize("depth", [MAX_NESTING, MAX_NESTING + 1])
def test_tables_nested_beyond_what_markdown_names_are_said(depth: int) -> None:
    inner = p(r("deep"))
    for _ in range(depth):
        inner = "<w:tbl><w:tr><w:tc>" + inner + p(r("")) + "</w:tc></w:tr></w:tbl>"
    word = read(make_docx(inner))
    assert len(word.accepted.blocks[0].cell.chain()) == depth
    said = ("tables nested more than 16 deep: the Markdown form cannot name their cells "
            "(JSON keeps them)",)
    assert word.warnings == (said if depth > MAX_NESTING else ())


def test_a_deleted_row_is_a_row_of_its_own_in_the_html_redline() -> None:
    old = need_corpus("docx", "compare", "oxpt-WC", "WC006-Table.docx")
    html = _diff(old, WC / "WC006-Table-Delete-Row.docx", "--format", "html").output
    redline = html[html.index('<section class="redline">'):]
    rows = re.findall(r"<tr>(.*?)</tr>", redline)
    assert [re.findall(r"<p class=\"para (\w+)\">(?:<del>)?(\w+)", row) for row in rows] == [
        [("equal", "111"), ("equal", "222")], [("deleted", "333"), ("deleted", "444")],
        [("equal", "555"), ("equal", "666")]]
