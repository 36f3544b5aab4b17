"""Read a Markdown or plain-text agreement into a Document.

Headings are `#` lines, or lines that are only a label ("Article 3", "PART II"). Labels
already typed in the text ("Article 3 — Title", "3.2 ...", "1. ...", "(a) ...") are
recognised and kept as labels, so that renumbering between two files can be seen as such.
Paragraphs are runs of non-blank lines. Ids are positional: a file carries no identity.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import DraftingError
from ..model import Block, Document
from ..textrules import find_control
from .files import read_limited
from .labels import HEADING_LABEL, ITEM_LABEL, LIST_ITEM, Labeller

# Ten times the 1,000-page WTO Agreement (2.2 MB, 15,800 lines); within them a file is
# read in about a second and 300 MB (bench/hostile_bench.py).
MAX_TEXT_BYTES = 20_000_000
MAX_LINES = 500_000


def read_file(path: Path) -> Document:
    raw = read_limited(path, MAX_TEXT_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DraftingError(f"not UTF-8 text (byte {e.start})", path) from None
    control = find_control(text)
    if control is not None:
        line, char = control
        raise DraftingError(f"control character {char} is not text (a binary or corrupted "
                            "file?)", path, line)
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise DraftingError(f"refused: {lines} lines (limit {MAX_LINES})", path)
    return read_text(text)


def read_text(text: str, default_title: str = "") -> Document:
    paragraphs = _paragraphs(text.replace("\r\n", "\n").replace("\r", "\n"))
    title = default_title
    if paragraphs and paragraphs[0].startswith("# ") and not HEADING_LABEL.match(
            paragraphs[0][2:].strip()):
        title = paragraphs.pop(0)[2:].strip()
    return Document(title=title, blocks=tuple(_blocks(paragraphs)))


def _paragraphs(text: str) -> list[str]:
    """Runs of non-blank lines; a heading or list line always starts a new run."""
    out: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        starts_new = stripped.startswith("#") or LIST_ITEM.match(stripped) \
            or ITEM_LABEL.match(stripped)
        if not stripped or starts_new:
            if current:
                out.append(" ".join(current))
            current = [stripped] if stripped else []
            if stripped.startswith("#"):
                out.append(stripped)
                current = []
        else:
            current.append(stripped)
    if current:
        out.append(" ".join(current))
    return out


def _blocks(paragraphs: list[str]) -> list[Block]:
    labeller = Labeller()
    blocks: list[Block] = []
    for n, para in enumerate(paragraphs, 1):
        depth = len(para) - len(para.lstrip("#"))
        body = para[depth:].strip() if depth else para
        kind, level, label, text = labeller.typed(body, depth)
        blocks.append(Block(kind, level, f"auto:{n}", label, text))
    return blocks
