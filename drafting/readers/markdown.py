"""Read a Markdown or plain-text agreement into a Document.

Headings are `#` lines, or lines that are only a label ("Article 3", "PART II"). Labels
typed in the text ("ARTICLE III", "Article 2. Title", "1.", "(a).") are kept as written
and recognised for their structure (labels.py), so that renumbering between two files can
be seen as such. Paragraphs are runs of non-blank lines, joined into one line, white space
collapsed. A heading's '#'s and a paragraph's indentation are kept where the Markdown
writer would not put them back by itself, so that `draft show` prints the file as it was.
Ids are positional: a file carries no identity.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import DraftingError
from ..model import HEADING, Block, Document
from ..sourcefile import check_control
from .files import read_limited
from .labels import HEADING_LABEL, Labeller

# Ten times the 1,000-page WTO Agreement (2.2 MB, 15,800 lines); within them a file is
# read in about a second and 300 MB (bench/hostile_bench.py).
MAX_TEXT_BYTES = 20_000_000
MAX_LINES = 500_000
# Where a block starts: a "#" line, a list item ("- ", "1. "), an "(a)" item;
# negotiate/brackets.py repeats this rule to find the line of each block.
_SPACES = re.compile(r"\s{2,}|[^\S ]")
_SPLIT_MAX = 100_000  # characters of a paragraph collapsed by splitting it into words
_STARTS_BLOCK = re.compile(r"#|[-*+]\s|\d{1,6}\.\s|\((?:[a-z]{1,3}|[ivx]{1,5})\)\s")


def read_file(path: Path) -> Document:
    raw = read_limited(path, MAX_TEXT_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DraftingError(f"not UTF-8 text (byte {e.start})", path) from None
    check_control(text, path)
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise DraftingError(f"refused: {lines} lines (limit {MAX_LINES})", path)
    return read_text(text)


def read_text(text: str, default_title: str = "") -> Document:
    paragraphs = _paragraphs(text.replace("\r\n", "\n").replace("\r", "\n"))
    title = default_title
    if paragraphs and paragraphs[0][1].startswith("# ") and not HEADING_LABEL.match(
            paragraphs[0][1][2:].strip()):
        title = paragraphs.pop(0)[1][2:].strip()
    return Document(title=title, blocks=tuple(_blocks(paragraphs)))


def _paragraphs(text: str) -> list[tuple[str, str]]:
    """(indentation of its first line, text) of each run of non-blank lines, white space
    collapsed as the Word reader collapses it; a heading or list line always starts a new
    run."""
    out: list[tuple[str, str]] = []
    current: list[str] = []
    indent = ""
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped or _STARTS_BLOCK.match(stripped):
            if current:
                out.append((indent, _collapse(current)))
            current = [stripped] if stripped else []
            indent = line[: len(line) - len(line.lstrip())]
            if stripped.startswith("#"):
                out.append((indent, stripped))
                current = []
        else:
            if not current:
                indent = line[: len(line) - len(line.lstrip())]
            current.append(stripped)
    if current:
        out.append((indent, _collapse(current)))
    return out


def _collapse(lines: list[str]) -> str:
    """Lines joined, runs of white space made one space (without a list of every word:
    a 20 MB paragraph must not become millions of strings). Most paragraphs have none to
    collapse, which two scans in C tell: every white space character but the space is
    unprintable, so a printable text without two spaces in a row has no run. Below
    _SPLIT_MAX characters, splitting on white space is faster than the regex and gives
    the same (the lines are stripped, so the text neither starts nor ends with a space)."""
    text = " ".join(lines)
    if text.isprintable() and "  " not in text:
        return text
    if len(text) <= _SPLIT_MAX:
        return " ".join(text.split())
    return _SPACES.sub(" ", text)


def _blocks(paragraphs: list[tuple[str, str]]) -> list[Block]:
    labeller = Labeller()
    blocks: list[Block] = []
    for n, (indent, para) in enumerate(paragraphs, 1):
        depth = len(para) - len(para.lstrip("#"))
        body = para[depth:].strip() if depth else para
        kind, level, label, text, written = labeller.typed(body, depth)
        blocks.append(Block(kind, level, f"auto:{n}", label, text, written=written,
                            lead=_lead(kind, level, depth, indent)))
    return blocks


def _lead(kind: str, level: int, depth: int, indent: str) -> str | None:
    """How the line began, when the Markdown writer would not begin it so: a heading's
    '#'s ("" for a body line that is only a label), a paragraph's indentation."""
    if kind == HEADING:
        hashes = "#" * depth
        return None if hashes == "#" * (level + 1) else hashes
    return indent.replace("\t", "    ") or None
