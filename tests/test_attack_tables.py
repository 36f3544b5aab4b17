"""Hostile tables: a small Markdown file that declares a long or wide table must cost
work in proportion to its cells when written as Word (python-docx rebuilds the whole grid
on every Table.cell(), and its merge rescans a row per cell it swallows; the writer asked
it once per cell, so 5,000 rows took minutes). The writer now keeps its own grid of w:tc
and never asks python-docx for one."""

from __future__ import annotations

import io

import docx
import pytest
from docx.table import Table

from drafting.readers import markdown as md_reader
from drafting.writers import docx_clean
from drafting.writers.word import Meta

META = Meta("T", "a", "us", "r1", "2026-03-01T10:00:00Z")


@pytest.fixture
def grids(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the grids python-docx builds (Table._cells)."""
    built: list[int] = []
    original = Table._cells

    def counted(self: Table):
        built.append(1)
        return original.fget(self)  # type: ignore[attr-defined]

    monkeypatch.setattr(Table, "_cells", property(counted))
    return built


def _pipe_table(rows: int, columns: int) -> str:
    line = "|" + "|".join("x" for _ in range(columns)) + "|\n"
    return "# T\n\n" + line + "|" + "|".join("-" for _ in range(columns)) + "|\n" + \
        line * (rows - 1)


@pytest.mark.parametrize(("rows", "columns"), [(2000, 1), (2, 63)])
def test_a_long_or_wide_table_builds_no_python_docx_grid(grids: list[int], rows: int,
                                                    columns: int) -> None:
    doc = md_reader.read_text(_pipe_table(rows, columns))
    data = docx_clean.render(doc, META)
    assert grids == []
    table = docx.Document(io.BytesIO(data)).tables[0]
    assert (len(table.rows), len(table.columns)) == (rows, columns)


def test_merged_cells_build_no_python_docx_grid_and_keep_their_text(grids: list[int]) -> None:
    lines = ["# T", ""]
    for r in range(1, 301):  # every row: a cell spanning 2 columns, one merged down
        lines.append(f"{{table 1 row {r} cell 1 span 2}} a{r}")
        merge = "restart" if r % 2 else "continue"
        lines.append(f"{{table 1 row {r} cell 2 merge {merge}}} {'b' if r % 2 else ''}{r}")
    data = docx_clean.render(md_reader.read_text("\n".join(lines) + "\n"), META)
    assert grids == []
    table = docx.Document(io.BytesIO(data)).tables[0]
    assert (len(table.rows), len(table.columns)) == (300, 3)
    assert table.cell(0, 0).text == table.cell(0, 1).text == "a1"
    assert table.cell(0, 2).text == table.cell(1, 2).text
    assert table.cell(299, 0).text == "a300"
