"""Input that costs work out of proportion to its bytes, from Markdown and Word alike:
tables that declare huge grids or nest deep. Every limit (drafting/readers/grid.py) is
tried just under it (read and written, real output checked) and just over it (one line,
exit status 2, nothing written) through the API and the CLI."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import docx
import hostile_docx as make
import pytest
from click.testing import CliRunner

from drafting.cli import main
from drafting.errors import DraftingError
from drafting.model import Document
from drafting.readers import grid
from drafting.readers import markdown as md_reader
from drafting.readers.docx import read_bytes
from drafting.readers.mark_budget import MAX_MARKS
from drafting.writers import docx_clean
from drafting.writers.word import Meta

META = Meta("T", "a", "us", "r1", "2026-03-01T10:00:00Z")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def spans(rows: int, span: int) -> str:
    """A Markdown table of `rows` rows, each one cell spanning `span` grid columns."""
    return "# T\n\n" + "".join(f"{{table 1 row {r} cell 1 span {span}}} x{r}\n"
                               for r in range(1, rows + 1))


def wide_row(columns: int) -> str:
    return "# T\n\n" + "".join(f"{{table 1 row 1 cell {c}}} c{c}\n"
                               for c in range(1, columns + 1))


def exported(doc) -> docx.table.Table:
    return docx.Document(io.BytesIO(docx_clean.render(doc, META))).tables[0]


def md_refused(text: str) -> str:
    with pytest.raises(DraftingError) as caught:
        md_reader.read_text(text, source="hostile.md")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("hostile.md: ")
    return caught.value.message


def docx_refused(body: str) -> str:
    with pytest.raises(DraftingError) as caught:
        read_bytes(make.docx(make.document_xml(body)), "hostile.docx")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("hostile.docx: ")
    return caught.value.message


COLUMNS = f"refused: row 1 of table 1 spans more than {grid.MAX_COLUMNS} grid columns " \
          "(Word's limit)"
CELLS = f"refused: tables of more than {grid.MAX_GRID_CELLS} grid cells (rows x columns)"
DEEP = f"refused: tables nested more than {grid.MAX_DEPTH} deep (the readers' limit)"


# -- columns per row --------------------------------------------------------------------------

def test_a_markdown_row_of_63_columns_is_written_64_refused() -> None:
    table = exported(md_reader.read_text(wide_row(grid.MAX_COLUMNS)))
    assert len(table.columns) == grid.MAX_COLUMNS
    assert table.cell(0, grid.MAX_COLUMNS - 1).text == f"c{grid.MAX_COLUMNS}"
    assert md_refused(wide_row(grid.MAX_COLUMNS + 1)) == COLUMNS
    assert md_refused(spans(1, grid.MAX_COLUMNS + 1)) == COLUMNS


def test_a_word_row_of_63_cells_is_read_64_refused() -> None:
    word = read_bytes(make.docx(make.document_xml(make.table(1, grid.MAX_COLUMNS))), "w.docx")
    assert [b.cell.cell for b in word.accepted.blocks] == list(range(1, grid.MAX_COLUMNS + 1))
    assert docx_refused(make.table(1, grid.MAX_COLUMNS + 1)) == COLUMNS


def test_a_span_of_zero_is_no_cell_address() -> None:
    """It would put two cells on one grid column; the line stays text, as written."""
    doc = md_reader.read_text("# T\n\n{table 1 row 1 cell 1 span 0} x\n")
    assert [(b.text, b.cell) for b in doc.blocks] == [("{table 1 row 1 cell 1 span 0} x", None)]


# -- grid cells -------------------------------------------------------------------------------

def test_the_reported_file_is_refused_at_once() -> None:
    """2,000 cells spanning 99 columns (78 KB): `draft export` ran for minutes."""
    assert md_refused(spans(2000, 99)) == COLUMNS


def test_grid_cells_just_under_and_over_the_limit_in_markdown() -> None:
    rows = grid.MAX_GRID_CELLS // 50
    table = exported(md_reader.read_text(spans(rows, 50)))
    assert (len(table.rows), len(table.columns)) == (rows, 50)
    assert table.cell(rows - 1, 49).text == f"x{rows}"
    tc = table.rows[0]._tr.tc_lst
    assert len(tc) == 1 and tc[0].grid_span == 50
    assert md_refused(spans(rows + 1, 50)) == CELLS


def test_grid_cells_just_under_and_over_the_limit_in_word() -> None:
    rows = grid.MAX_GRID_CELLS // grid.MAX_COLUMNS
    word = read_bytes(make.docx(make.document_xml(make.table(rows, span=grid.MAX_COLUMNS))),
                      "w.docx")
    assert len(word.accepted.blocks) == rows
    assert word.accepted.blocks[-1].cell.span == grid.MAX_COLUMNS
    assert docx_refused(make.table(rows + 1, span=grid.MAX_COLUMNS)) == CELLS


def test_a_long_vertical_merge_is_written() -> None:
    """1,500 rows merged into one cell: python-docx's merge recursed once per row
    (RecursionError)."""
    lines = ["# T", ""] + [f"{{table 1 row {r} cell 1 merge {'restart' if r == 1 else 'continue'}}}"
                           f" x{r}" for r in range(1, 1501)]
    table = exported(md_reader.read_text("\n".join(lines) + "\n"))
    merges = [tc.vMerge for tr in table._tbl.tr_lst for tc in tr.tc_lst]
    assert merges == ["restart"] + ["continue"] * 1499
    assert table.cell(0, 0).text == "x1"


# -- nesting ----------------------------------------------------------------------------------

def test_word_tables_nested_32_deep_are_read_33_refused() -> None:
    word = read_bytes(make.docx(make.document_xml(make.nested_tables(grid.MAX_DEPTH))),
                      "w.docx")
    blocks = word.accepted.blocks  # each outer cell is an empty block before its table
    assert [(b.text, len(b.cell.chain())) for b in blocks] == [
        ("", depth) for depth in range(1, grid.MAX_DEPTH)] + [("deep", grid.MAX_DEPTH)]
    assert docx_refused(make.nested_tables(grid.MAX_DEPTH + 1)) == DEEP


def test_word_tables_nested_thousands_deep_are_refused_by_the_parser() -> None:
    """libxml2 refuses XML nested over 256 deep before our walker recurses."""
    assert docx_refused(make.nested_tables(10_000)).startswith("malformed XML in "
                                                                "word/document.xml: ")


# -- the JSON form (a revision file, read back by the store) ---------------------------------

def cells_json(places: list[dict]) -> dict:
    """A Document's JSON form with one block in each cell place."""
    return {"title": "T", "blocks": [
        {"kind": "paragraph", "level": 0, "id": f"auto:{n}", "label": "", "text": f"x{n}",
         "cell": place} for n, place in enumerate(places, 1)]}


def nested(depth: int) -> dict:
    place = None
    for _ in range(depth):
        place = {"table": 1, "row": 1, "cell": 1, **({"outer": place} if place else {})}
    return place


def json_refused(data: dict) -> str:
    with pytest.raises(DraftingError) as caught:
        Document.from_dict(data, "r.json")
    assert str(caught.value) == f"r.json: {caught.value.message}"
    return caught.value.message


def test_a_json_row_of_63_columns_is_read_64_refused() -> None:
    row = [{"table": 1, "row": 1, "cell": c} for c in range(1, grid.MAX_COLUMNS + 2)]
    doc = Document.from_dict(cells_json(row[:-1]))
    assert [b.cell.cell for b in doc.blocks] == list(range(1, grid.MAX_COLUMNS + 1))
    assert Document.from_dict(doc.to_dict()) == doc
    assert json_refused(cells_json(row)) == COLUMNS
    assert json_refused(cells_json([{"table": 1, "row": 1, "cell": 1,
                                     "span": grid.MAX_COLUMNS + 1}])) == COLUMNS


def test_grid_cells_just_under_and_over_the_limit_in_json() -> None:
    rows = grid.MAX_GRID_CELLS // 50
    places = [{"table": 1, "row": r, "cell": 1, "span": 50} for r in range(1, rows + 2)]
    doc = Document.from_dict(cells_json(places[:-1]))
    assert (len(doc.blocks), doc.blocks[-1].cell.row) == (rows, rows)
    assert json_refused(cells_json(places)) == CELLS


def test_json_tables_nested_32_deep_are_read_33_refused() -> None:
    doc = Document.from_dict(cells_json([nested(grid.MAX_DEPTH)]))
    assert len(doc.blocks[0].cell.chain()) == grid.MAX_DEPTH
    assert json_refused(cells_json([nested(grid.MAX_DEPTH + 1)])) == DEEP


def test_json_tables_nested_as_deep_as_json_parses_are_refused_not_recursed() -> None:
    """Nearly a recursion limit of "outer": read without recursing, refused as too deep."""
    data = json.loads(json.dumps(cells_json([nested(900)])))
    assert json_refused(data) == DEEP


def json_over_the_mark_limit() -> tuple[dict, str]:
    """A document's JSON form with one mark more than the readers' limit, its refusal."""
    from test_attack_marks import OVER, marks_json

    return marks_json([MAX_MARKS + 1]), OVER


OVER_IN_JSON = {"table": lambda: (cells_json([{"table": 1, "row": 1, "cell": 1,
                                               "span": grid.MAX_COLUMNS + 1}]), COLUMNS),
                "marks": json_over_the_mark_limit}


@pytest.mark.parametrize("limit", ["table", "marks"])
def test_a_revision_file_over_the_limits_is_skipped_as_damaged(workspace: Path,
                                                               limit: str) -> None:
    """A revision file is named by its hash, so anyone can add one: the store reports it and
    goes on, as it does any damaged file."""
    from drafting.build import build, open_store
    from drafting.workspace import Workspace

    ws = Workspace(workspace)
    built = build(ws, "phased-agreement", "us").revision
    folder = workspace / "drafts" / "phased-agreement" / "revisions"
    record = json.loads((folder / f"{built.id}.json").read_bytes())
    record["document"], refusal = OVER_IN_JSON[limit]()
    data = json.dumps(record).encode()
    name = hashlib.sha256(data).hexdigest()
    (folder / f"{name}.json").write_bytes(data)
    store = open_store(ws, "phased-agreement")
    assert [info.id for info in store.infos()] == [built.id]
    assert store.damaged[f"{name}.json"].reason == refusal
    result = CliRunner().invoke(main, ["-C", str(workspace), "verify", "phased-agreement"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"phased-agreement: {name[:10]}: {refusal}"]


# -- the command line: one line, exit 2, nothing written --------------------------------------

def over_the_mark_limit() -> tuple[str, str]:
    """A file of table cells with one mark more than the readers' limit, and its refusal."""
    from test_attack_marks import OVER, cells

    return cells(MAX_MARKS + 1), OVER


HOSTILE = {"table": lambda: (spans(2000, 99), COLUMNS), "marks": over_the_mark_limit}


@pytest.mark.parametrize(("hostile_name", "limit"), [("hostile.md", "table"),
                                                     ("hostile.md", "marks"),
                                                     ("hostile.txt", "marks")])
@pytest.mark.parametrize("command", ["export", "diff", "import"])
def test_the_cli_refuses_an_over_limit_file_and_writes_nothing(
        workspace: Path, command: str, hostile_name: str, limit: str) -> None:
    text, refusal = HOSTILE[limit]()
    hostile = workspace / hostile_name
    hostile.write_text(text)
    (workspace / "small.md").write_text("# T\n\nA.\n")
    out = workspace / "out.docx"
    args = {"export": ["export", str(hostile), "-o", str(out)],
            "diff": ["diff", str(workspace / "small.md"), str(hostile), "-o", str(out)],
            "import": ["import", str(hostile), "-a", "phased-agreement", "--side", "dprk"]}
    before = sorted(p.relative_to(workspace) for p in workspace.rglob("*"))
    result = CliRunner().invoke(main, ["-C", str(workspace), *args[command]],
                                catch_exceptions=False)
    assert result.exit_code == 2
    shown = hostile_name if command == "import" else hostile  # import: in the workspace
    assert result.output.splitlines() == [f"draft: error: {shown}: {refusal}"]
    assert sorted(p.relative_to(workspace) for p in workspace.rglob("*")) == before


# -- regular expressions and inline markup on adversarial text --------------------------------
# Each input is some 100,000 characters: a pattern or a parser that went superlinear on it
# would make the test hang visibly (three of them ran for minutes).

N = 100_000


def one_block(text: str):
    blocks = md_reader.read_text("# T\n\n" + text + "\n").blocks
    assert len(blocks) == 1
    return blocks[0]


@pytest.mark.parametrize("text", [
    "[^" * (N // 2),  # note tokens never closed
    "[^" + "a" * N,
    "{table " + "row 1 " * (N // 6),  # a cell address that never ends
    "{" + "table 1 row 1 cell 1 > " * (N // 24) + "x",
    "[a](http:" + "a" * N,  # a link address never closed
    "[a](http:" + "(a" * (N // 2),
    "](a:" * (N // 4),
    "\u27e6" * N,  # object tokens never closed
])
def test_unclosed_markup_stays_text(text: str) -> None:
    block = one_block(text)
    assert (block.text, block.marks) == (" ".join(text.split()), ())


@pytest.mark.parametrize("label", ["Article 1", "1.", "(a)"])
def test_labels_before_long_white_space(label: str) -> None:
    block = one_block(label + " " * N + "x")
    assert (block.kind, block.text[-1], len(block.text) < 12) == ("paragraph", "x", True)


def test_a_run_of_backslashes_is_half_as_many() -> None:
    assert (one_block("\\" * N).text, one_block("\\" * N).marks) == ("\\" * (N // 2), ())


def test_unclosed_links_before_closing_tags_stay_text() -> None:
    """50,000 "[" then 12,500 "</u>": each closer scanned every open link (minutes)."""
    text = "[" * (N // 2) + "</u>" * (N // 8)
    block = one_block(text)
    assert (block.text, block.marks) == (text, ())


def test_open_underlines_before_link_ends_are_one_link_each() -> None:
    """16,666 "<u>" then 5,555 "](http:x)": each address asked whether a link was open by
    scanning every open tag (7 s)."""
    block = one_block("<u>" * (N // 6) + "](http:x)" * (N // 18))
    assert block.text == "<u>" * (N // 6) + "](http:x)" * (N // 18) and block.marks == ()


def test_unclosed_links_before_italics_keep_the_italics() -> None:
    """50,000 "[" then 25,000 "a*": each star scanned every open link for a bold or italic
    (minutes)."""
    block = one_block("[" * (N // 2) + "a*" * (N // 4))
    assert block.text.startswith("[" * (N // 2)) and len(block.marks) == N // 8
    assert {m.kind for m in block.marks} == {"italic"}


def test_ten_thousand_nested_links_read_back_the_same() -> None:
    """Each link closes the innermost one open, so they nest 10,000 deep; writing them
    scanned every open mark at every cut (11 s)."""
    from drafting.writers import markdown as md_writer

    text = "".join(f"[w{k} " for k in range(10_000)) + \
        "".join(f"](http:x{k}) b" for k in range(10_000))
    doc = md_reader.read_text("# T\n\n" + text + "\n")
    assert len(doc.blocks[0].marks) == 10_000
    assert md_reader.read_text(md_writer.render(doc)) == doc


def test_bold_and_italic_nested_ten_thousand_deep() -> None:
    from drafting.writers import markdown as md_writer

    text = "".join("**a *b " for _ in range(5_000)) + "c" + "* d**" * 5_000
    doc = md_reader.read_text("# T\n\n" + text + "\n")
    assert {m.kind for m in doc.blocks[0].marks} == {"bold", "italic"}
    assert md_reader.read_text(md_writer.render(doc)) == doc


# -- notes ------------------------------------------------------------------------------------

def _noted(body: str, notes: str) -> bytes:
    from test_docx_notes import SEPARATORS
    from test_docx_reader import make_docx

    return make_docx(body, footnotes=SEPARATORS.format("footnote") + notes)


def _ref(n: int) -> str:
    return f'<w:r><w:footnoteReference w:id="{n}"/></w:r>'


def _note(n: int, text: str, *refs: int) -> str:
    return (f'<w:footnote w:id="{n}"><w:p><w:r><w:t>{text}</w:t></w:r>'
            + "".join(_ref(k) for k in refs) + "</w:p></w:footnote>")


def test_notes_that_refer_to_themselves_or_each_other_are_read_once() -> None:
    word = read_bytes(_noted(f"<w:p><w:r><w:t>A</w:t></w:r>{_ref(1)}</w:p>",
                             _note(1, "one", 1, 2) + _note(2, "two", 1)), "n.docx")
    assert [(b.label, b.text) for b in word.accepted.blocks] == [("", "A[^1]"),
                                                                   ("[^1]", "one")]


def test_references_to_missing_notes_are_one_warning() -> None:
    body = "<w:p>" + "".join(f"<w:r><w:t>w{k}</w:t></w:r>{_ref(k)}" for k in range(2, 5002)) \
        + "</w:p>"
    word = read_bytes(_noted(body, _note(1, "never referred to")), "n.docx")
    assert word.warnings == ("5000 footnote references to no footnote in the file: kept as "
                             "empty notes",)
    assert [b.text for b in word.accepted.blocks[1:]] == [""] * 5000
    assert word.accepted.blocks[0].text.endswith("w5001[^5000]")


def test_thousands_of_formatted_references_in_one_paragraph() -> None:
    """10,000 bold runs, each followed by a reference: every mark was moved past the
    references by a scan of all of them (13.6 s to read)."""
    body = "<w:p>" + "".join(f"<w:r><w:rPr><w:b/></w:rPr><w:t>b{k * 2654435761 % 2**32:x}"
                             f"</w:t></w:r><w:r><w:t>x</w:t></w:r>{_ref(1)}"
                             for k in range(10_000)) + "</w:p>"
    word = read_bytes(_noted(body, _note(1, "F.")), "n.docx")
    first, note = word.accepted.blocks
    assert first.text.count("[^1]") == 10_000 and note.text == "F."
    assert len(first.marks) == 10_000 and {m.kind for m in first.marks} == {"bold"}
    assert all(first.text[m.start] == "b" and first.text[m.end:m.end + 5] == "x[^1]"
               for m in first.marks)


# -- deep inline wrappers in Word -------------------------------------------------------------

def _one_paragraph(body: str):
    return read_bytes(make.docx(make.document_xml(body)), "w.docx").accepted.blocks


def test_content_controls_nested_ten_thousand_deep_are_refused_by_the_parser() -> None:
    body = "<w:p>" + "<w:sdt><w:sdtContent>" * 10_000 + "<w:r><w:t>x</w:t></w:r>" + \
        "</w:sdtContent></w:sdt>" * 10_000 + "</w:p>"
    assert docx_refused(body).startswith("malformed XML in word/document.xml: Excessive depth")


@pytest.mark.parametrize(("open_", "close"), [
    ("<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>"),
    ("<w:smartTag>", "</w:smartTag>"),
    ('<w:hyperlink w:anchor="a"><w:fldSimple w:instr="HYPERLINK http://x">',
     "</w:fldSimple></w:hyperlink>"),
])
def test_inline_wrappers_nested_as_deep_as_the_parser_allows(open_: str, close: str) -> None:
    depth = 240 // (open_.count("<w:") + 1)  # libxml2 stops at 256 elements deep
    blocks = _one_paragraph("<w:p>" + open_ * depth + "<w:r><w:t>x</w:t></w:r>" +
                            close * depth + "</w:p>")
    assert [b.text for b in blocks] == ["x"]


def test_a_hundred_thousand_runs_alternating_bold() -> None:
    body = "<w:p>" + "".join(f'<w:r>{"<w:rPr><w:b/></w:rPr>" if k % 2 else ""}<w:t>{k:x}'
                             "</w:t></w:r>" for k in range(100_000)) + "</w:p>"
    word = read_bytes(make.docx(make.document_xml(body)), "w.docx")
    (block,) = word.accepted.blocks
    assert len(block.marks) == 50_000 and block.text.startswith("0123456789abcdef10")
    document = zipfile.ZipFile(io.BytesIO(docx_clean.render(word.accepted, META)))
    assert document.read("word/document.xml").count(b"<w:b/>") == 50_000
