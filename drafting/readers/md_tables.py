"""Tables in the Markdown form (writers/markdown.py): GFM pipe tables, and blocks opened by
their cell's place, "{table 1 row 2 cell 3 span 2 merge restart > table 2 row 1 cell 1}".

A pipe table is read as a table when it is what the writer writes: a header row, a
delimiter row of dashes only, and rows with the header's number of cells, each line
opening with "|". A table with column alignment (":---") or ragged rows stays a paragraph,
read as before: the model keeps no alignment, and `draft show` must give the file back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import CellPlace

MAX_NESTING = 16  # tables inside tables one address may name
_PLACE = (r"table (\d{1,6}) row (\d{1,6}) cell (\d{1,6})(?: span ([1-9]\d?))?"
          r"(?: merge (restart|continue))?")
_ADDRESS = re.compile(r"\{(" + _PLACE + r"(?: > " + _PLACE + r"){0," + str(MAX_NESTING - 1) +
                      r"})\}(?: |$)")
_ONE = re.compile(_PLACE)
_DELIMITER = re.compile(r"\|(?:\s*-+\s*\|)+")
_PIPE = re.compile(r"(?<!\\)\|")


def address(line: str) -> tuple[CellPlace, str] | None:
    """The cell place that opens a line, and the rest of the line."""
    match = _ADDRESS.match(line)
    if not match:
        return None
    place = None
    for part in match.group(1).split(" > "):
        table, row, cell, span, merge = _ONE.fullmatch(part).groups()  # type: ignore[union-attr]
        place = CellPlace(int(table), int(row), int(cell), int(span or 1), merge or "", place)
    return place, line[match.end():]  # type: ignore[return-value]


def _cells(line: str) -> list[str] | None:
    if not (line.startswith("|") and line.endswith("|") and not line.endswith("\\|")) or \
            len(line) < 2:
        return None
    return [cell.strip().replace("\\|", "|") for cell in _PIPE.split(line[1:-1])]


def pipe_table(lines: Sequence[str], start: int) -> tuple[list[list[str]], int] | None:
    """The rows of cell texts of the pipe table whose header is lines[start], and the
    index of the line after it; None when no table of ours starts there."""
    header = _cells(lines[start].strip())
    delimiter = lines[start + 1].strip() if start + 1 < len(lines) else ""
    if header is None or not _DELIMITER.fullmatch(delimiter) or \
            delimiter.count("|") != len(header) + 1:
        return None
    rows = [header]
    end = start + 2
    while end < len(lines) and lines[end].lstrip().startswith("|"):
        row = _cells(lines[end].strip())
        if row is None or len(row) != len(header):
            return None
        rows.append(row)
        end += 1
    if any("\\" in cell for row in rows for cell in row):
        return None  # the writer never writes one: a backslash could not come back as it was
    return rows, end
