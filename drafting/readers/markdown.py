"""Read a Markdown or plain-text agreement into a Document.

Headings are `#` lines, or lines that are only a label ("Article 3", "PART II"). Labels
already typed in the text ("Article 3 — Title", "3.2 ...", "1. ...", "(a) ...") are
recognised and kept as labels, so that renumbering between two files can be seen as such.
Paragraphs are runs of non-blank lines. Ids are positional: a file carries no identity.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import wording
from ..errors import DraftingError
from ..model import (
    ARTICLE_LEVEL,
    HEADING,
    ITEM,
    NUMBERED,
    PARAGRAPH,
    PART_LEVEL,
    UNNUMBERED,
    Block,
    Document,
)

MAX_TEXT_BYTES = 100_000_000
_HEADING_LABEL = re.compile(
    r"^(?P<label>(?P<kind>article|part|annex|chapter|section)\s+(?P<num>[0-9]+|[IVXLCDM]+)\b)"
    r"\s*(?:[.:—–-]\s*)?(?P<rest>.*)$", re.IGNORECASE)
_PARA_LABEL = re.compile(r"^(?P<num>\d+(?:\.\d+)*)(?:\.|\s)\s*(?P<rest>\S.*)$")
_ITEM_LABEL = re.compile(r"^\((?P<mark>[a-z]{1,3}|[ivx]{1,5})\)\s+(?P<rest>.*)$")
_LIST_ITEM = re.compile(r"^[-*+]\s+(?P<rest>.*)$")


def read_file(path: Path) -> Document:
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise DraftingError(f"file too large (over {MAX_TEXT_BYTES} bytes)", path)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DraftingError("no such file", path) from None
    except IsADirectoryError:
        raise DraftingError("is a folder, not a file", path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DraftingError(f"not UTF-8 text (byte {e.start})", path) from None
    if "\x00" in text:
        raise DraftingError("binary file, not text", path)
    return read_text(text)


def read_text(text: str, default_title: str = "") -> Document:
    paragraphs = _paragraphs(text.replace("\r\n", "\n").replace("\r", "\n"))
    title = default_title
    if paragraphs and paragraphs[0].startswith("# ") and not _HEADING_LABEL.match(
            paragraphs[0][2:].strip()):
        title = paragraphs.pop(0)[2:].strip()
    return Document(title=title, blocks=tuple(_blocks(paragraphs)))


def _paragraphs(text: str) -> list[str]:
    """Runs of non-blank lines; a heading or list line always starts a new run."""
    out: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        starts_new = stripped.startswith("#") or _LIST_ITEM.match(stripped) \
            or _ITEM_LABEL.match(stripped)
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
    blocks: list[Block] = []
    article = ""  # number of the current Article, for paragraph labels
    paragraph_label = ""
    items = 0
    depth_of_articles = None
    for n, para in enumerate(paragraphs, 1):
        block_id = f"auto:{n}"
        depth = len(para) - len(para.lstrip("#"))
        body = para[depth:].strip() if depth else para
        heading = _HEADING_LABEL.match(body)
        if depth or (heading and not heading.group("rest")):
            label, text, level = _heading(body, heading, depth, depth_of_articles)
            if level == ARTICLE_LEVEL and depth and depth_of_articles is None:
                depth_of_articles = depth
            article = label.split()[-1] if label.lower().startswith("article") else ""
            paragraph_label, items = "", 0
            blocks.append(Block(HEADING, level, block_id, label, " ".join(text.split())))
            continue
        item = _ITEM_LABEL.match(body) or _LIST_ITEM.match(body)
        if item:
            items += 1
            mark = item.groupdict().get("mark") or wording.letter(items)
            prefix = paragraph_label or article
            label = f"{prefix}({mark})" if prefix else f"({mark})"
            blocks.append(Block(PARAGRAPH, ITEM, block_id, label, item.group("rest").strip()))
            continue
        items = 0
        numbered = _PARA_LABEL.match(body)
        if numbered and article:
            num = numbered.group("num")
            paragraph_label = num if "." in num else f"{article}.{num}"
            blocks.append(Block(PARAGRAPH, NUMBERED, block_id, paragraph_label,
                                numbered.group("rest").strip()))
        else:
            paragraph_label = ""
            blocks.append(Block(PARAGRAPH, NUMBERED if article else UNNUMBERED, block_id, "",
                                body))
    return blocks


def _heading(body: str, match: re.Match[str] | None, depth: int,
             depth_of_articles: int | None) -> tuple[str, str, int]:
    if match:
        kind = match.group("kind").lower()
        num = match.group("num")
        if kind == "part" and num.isdigit():
            num = wording.roman(int(num))
        if kind == "article" and not num.isdigit():
            num = str(wording.from_roman(num) or num)
        label = f"{kind.capitalize()} {num.upper() if kind == 'part' else num}"
        level = {"part": PART_LEVEL, "article": ARTICLE_LEVEL}.get(kind, ARTICLE_LEVEL)
        return label, match.group("rest"), level
    base = depth_of_articles or 2
    return "", body, max(1, min(6, depth - base + ARTICLE_LEVEL)) if depth else ARTICLE_LEVEL
