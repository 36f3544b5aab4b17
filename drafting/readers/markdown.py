"""Read a Markdown or plain-text agreement into a Document.

Headings are `#` lines, or lines that are only a label ("Article 3", "PART II"). Labels
typed in the text ("ARTICLE III", "Article 2. Title", "1.", "(a).") are kept as written
and recognised for their structure (labels.py), so that renumbering between two files can
be seen as such. Paragraphs are runs of non-blank lines, joined into one line, white space
collapsed. A heading's '#'s and a paragraph's indentation are kept where the Markdown
writer would not put them back by itself, so that `draft show` prints the file as it was.
A paragraph that opens with a footnote definition, "[^1]: text", is a note block labelled
"[^1]"; an endnote's token starts with "e" ("[^ei]: text"), as the Word reader writes it.
Tables (md_tables.py): each cell of a GFM pipe table is a block, its text read as is; a
block opened by a cell's place, "{table 1 row 2 cell 3} text", stands in that cell.
Ids are positional: a file carries no identity.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..errors import DraftingError
from ..markup import parse_inline
from ..model import (
    ENDNOTE,
    FOOTNOTE,
    HEADING,
    PARAGRAPH,
    UNNUMBERED,
    Block,
    CellPlace,
    Document,
    Mark,
    merge_marks,
)
from ..sourcefile import check_control_decoded
from . import grid, md_tables
from .files import read_limited
from .labels import HEADING_LABEL, Labeller, marks_of
from .mark_budget import MarkBudget
from .spacing import collapse, collapse_mapped

# Ten times the 1,000-page WTO Agreement (2.2 MB, 15,800 lines); within them a file is
# read in about a second and 300 MB (bench/hostile_bench.py).
MAX_TEXT_BYTES = 20_000_000
MAX_LINES = 500_000
# Where a block starts: a "#" line, a list item ("- ", "1. "), an "(a)" item;
# negotiate/brackets.py repeats this rule to find the line of each block.
_STARTS_BLOCK = re.compile(r"#|[-*+]\s|\d{1,6}\.\s|\((?:[a-z]{1,3}|[ivx]{1,5})\)\s")
_NOTE = re.compile(r"(?P<label>\[\^(?P<token>[^\s\[\]^]+)\]):(?: (?P<text>.*))?$")


def read_file(path: Path) -> Document:
    raw = read_limited(path, MAX_TEXT_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DraftingError(f"not UTF-8 text (byte {e.start})", path) from None
    check_control_decoded(raw, text, path)
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise DraftingError(f"refused: {lines} lines (limit {MAX_LINES})", path)
    return read_text(text, source=path)


def read_text(text: str, default_title: str = "", source: str | Path | None = None
              ) -> Document:
    """The Document of a Markdown text; `source` names the file in a refusal (a table
    over the limits of grid.py, more marks than mark_budget.py allows)."""
    if "\r" in text:  # one scan in C; most files have none
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = _paragraphs(text)
    title = default_title
    if paragraphs and paragraphs[0][2] is None and paragraphs[0][1].startswith("# ") \
            and not HEADING_LABEL.match(paragraphs[0][1][2:].strip()):
        title = paragraphs.pop(0)[1][2:].strip()
    blocks = _blocks(paragraphs, MarkBudget(source))
    grid.check(blocks, source)
    return Document(title=title, blocks=tuple(blocks))


# A run of lines read: (indentation of its first line, text, its table cell or None, True
# for a pipe table's cell, whose text is only text). Plain tuples: one is made per block.
_Paragraph = tuple[str, str, "CellPlace | None", bool]


def _paragraphs(text: str) -> list[_Paragraph]:
    """Each run of non-blank lines, white space collapsed as the Word reader collapses it;
    a heading, list or cell line always starts a new run, and each cell of a pipe table is
    one of its own."""
    out: list[_Paragraph] = []
    current: list[str] = []
    indent = ""
    place: CellPlace | None = None
    tables = 0  # the highest table number met

    def flush() -> None:
        if current or place is not None:
            out.append((indent, _collapse(current), place, False))

    lines = text.split("\n")
    after_table = 0  # lines before this one were a pipe table's
    for k, line in enumerate(lines):
        if k < after_table:
            continue
        stripped = line.strip()
        first = stripped[:1]
        table = md_tables.pipe_table(lines, k) if first == "|" and not current else None
        if table is not None:
            rows, after_table = table
            tables += 1
            out.extend(("", cell, CellPlace(tables, r, c), True)
                       for r, row in enumerate(rows, 1) for c, cell in enumerate(row, 1))
            continue
        cell = md_tables.address(stripped) if first == "{" else None
        if cell is not None:
            if current:
                flush()
            current, place = [], cell[0]
            tables = max(tables, *(p.table for p in place.chain()))
            line = cell[1]
            stripped = line.strip()
            indent = line[: len(line) - len(line.lstrip())]
            if stripped:
                current = [stripped]
            if not stripped or stripped.startswith("#"):
                flush()
                current, place = [], None
            continue
        if not stripped or _STARTS_BLOCK.match(stripped):
            if current or place is not None:  # flush(), inline: once per blank line
                out.append((indent, _collapse(current), place, False))
            current = [stripped] if stripped else []
            place = None
            indent = line[: len(line) - len(line.lstrip())]
            if stripped.startswith("#"):
                out.append((indent, stripped, None, False))
                current = []
        else:
            if not current:
                indent = line[: len(line) - len(line.lstrip())]
            current.append(stripped)
    flush()
    return out


def _collapse(lines: list[str]) -> str:
    """Lines joined, runs of white space made one space (without a list of every word:
    a 20 MB paragraph must not become millions of strings). Most paragraphs have none to
    collapse, which two scans in C tell: every white space character but the space is
    unprintable, so a printable text without two spaces in a row has no run. Tabs and
    non-breaking spaces are kept (spacing.py)."""
    text = " ".join(lines)
    if text.isprintable() and "  " not in text:
        return text
    return collapse(text)


def _blocks(paragraphs: list[_Paragraph], budget: MarkBudget) -> list[Block]:
    labeller = Labeller()
    blocks: list[Block] = []
    for n, (indent, para, place, literal) in enumerate(paragraphs, 1):
        if literal:
            kind, level, label, text, written = labeller.plain(para)
            blocks.append(Block(kind, level, f"auto:{n}", label, text, cell=place))
            continue
        depth = len(para) - len(para.lstrip("#"))
        body = para[depth:].strip() if depth else para
        note = _NOTE.match(body) if body[:2] == "[^" and not (depth or indent) else None
        if note:
            token = note.group("token")
            said, marks = _inline(note.group("text") or "", budget)
            blocks.append(Block(PARAGRAPH, UNNUMBERED, f"auto:{n}", note.group("label"),
                                said, cell=place, marks=marks,
                                note=ENDNOTE if token[0] == "e" and len(token) > 1 else FOOTNOTE))
            continue
        body, marks = _inline(body, budget)
        kind, level, label, text, written = labeller.typed(body, depth)
        block = Block(kind, level, f"auto:{n}", label, text, written=written,
                      lead=_lead(kind, level, depth, indent), marks=marks_of(body, text, marks))
        blocks.append(block if place is None else replace(block, cell=place))
    return blocks


def _inline(text: str, budget: MarkBudget) -> tuple[str, tuple[Mark, ...]]:
    """The text without its inline markup, and its marks (markup.py, charged to the
    document's budget), white space collapsed again where markup stood between spaces."""
    text, marks = parse_inline(text, budget)
    if marks and ("  " in text or text != text.strip()):
        text, where = collapse_mapped(text, (p for m in marks for p in (m.start, m.end)))
        marks = merge_marks([Mark(where[m.start], where[m.end], m.kind, m.value)
                             for m in marks])
    return text, marks


def _lead(kind: str, level: int, depth: int, indent: str) -> str | None:
    """How the line began, when the Markdown writer would not begin it so: a heading's
    '#'s ("" for a body line that is only a label), a paragraph's indentation."""
    if kind == HEADING:
        hashes = "#" * depth
        return None if hashes == "#" * (level + 1) else hashes
    return indent.replace("\t", "    ") or None
