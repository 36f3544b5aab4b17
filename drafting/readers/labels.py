"""How a reader turns paragraphs into labelled blocks, shared by the Markdown and Word
readers so that the same agreement read from either gets the same labels and levels.

A label typed at the start of a paragraph ("ARTICLE III", "Article 2. Title", "1.",
"1.2.3", ".2", "5-1", "(a).") or shown by Word's list numbering is kept exactly as written
(whitespace collapsed), and read for the structure behind it: the label we give the block
("Article 3", "3.2", "3.2(a)"), which alignment, renumbering and cross-reference checks
compare. Paragraphs under an Article are NUMBERED, "(a)" items and bullets are ITEMs, and
paragraphs before any Article are UNNUMBERED. A block that shows no label gets none:
bullets keep their "-" and nothing more.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .. import wording
from ..model import (
    ARTICLE_LEVEL,
    HEADING,
    ITEM,
    NUMBERED,
    PARAGRAPH,
    PART_LEVEL,
    UNNUMBERED,
    Mark,
    clip_marks,
)
from .spacing import collapse

SUFFIXES = "bis|ter|quater|quinquies|sexies|septies|octies|novies|decies"
HEADING_LABEL = re.compile(
    r"^(?P<label>(?P<kind>article|part|annex|chapter|section)\s+"
    rf"(?P<num>[0-9]{{1,6}}|[IVXLCDM]{{1,12}})(?:\s*(?P<suffix>{SUFFIXES}))?)\b"
    r"(?P<sep>\s*[.:—–-])?(?:\s+|$)(?P<rest>.*)$", re.IGNORECASE)
# "1.", "1.2.3", ".2", "5-1" (numbers of at most 6 digits, at most 8 levels deep)
PARA_LABEL = re.compile(r"^(?P<written>(?P<num>\.?\d{1,6}(?:[.-]\d{1,6}){0,7})\.?)\s+"
                        r"(?P<rest>\S.*)$")
ITEM_LABEL = re.compile(r"^(?P<written>\((?P<mark>[a-z]{1,3}|[ivx]{1,5})\)\.?)\s+(?P<rest>.*)$")
LIST_ITEM = re.compile(r"^(?P<written>[-*+])\s+(?P<rest>.*)$")
_PARA_NUMBER = re.compile(r"\d+(?:\.\d+)*")
_PARA_SEPARATOR = re.compile(r"[.-]")
# What a HEADING_LABEL can start with: the first letters of its kinds, in either case, and
# the long s, which the regex's IGNORECASE takes for an s ("ſection 2")
HEADING_FIRST = "AaPpCcSs\u017f"
_ITEM_MARK = re.compile(r"\((?P<mark>[a-z]{1,3}|[ivx]{1,5})\)")


class Labelled(NamedTuple):
    kind: str
    level: int
    label: str  # ours: "Article 3", "3.2", "3.2(a)" or ""
    text: str
    written: str | None  # as printed: "ARTICLE III", "1.", "(a)."; None when none is


def _collapse(text: str) -> str:
    return collapse(text)


class Labeller:
    """Labels and levels for the paragraphs of one document, in order: what an Article
    heading or a numbered paragraph says decides the labels of what follows it."""

    def __init__(self) -> None:
        self.article = ""  # number of the current Article, for paragraph labels
        self.paragraph_label = ""
        self.depth_of_articles: int | None = None

    def typed(self, body: str, depth: int = 0) -> Labelled:
        """A paragraph whose label, if any, is typed at the start of its text. `depth` is
        its heading depth (Markdown '#'s, Word outline level + 1), 0 for body text; a body
        line that is only a label ("Article 3") is a heading too."""
        first = body[:1]  # each label has its own first characters: one regex is tried
        heading = _heading_match(body) if first in HEADING_FIRST else None
        if depth or (heading and not heading.group("rest")):
            label, written, text, level = self._heading(body, heading, depth)
            return self._enter_heading(label, level, depth, text, written)
        if first == "(":
            item = ITEM_LABEL.match(body)
            if item:
                return Labelled(PARAGRAPH, ITEM, self._item(item.group("mark")),
                                item.group("rest").strip(), item.group("written"))
        elif first in "-*+":
            bullet = LIST_ITEM.match(body)
            if bullet:
                return Labelled(PARAGRAPH, ITEM, "", bullet.group("rest").strip(),
                                bullet.group("written"))
        elif self.article and (first.isdigit() or first == "."):
            numbered = PARA_LABEL.match(body)
            if numbered:
                self.paragraph_label = self._paragraph(numbered.group("num"))
                return Labelled(PARAGRAPH, NUMBERED, self.paragraph_label,
                                numbered.group("rest").strip(), numbered.group("written"))
        self.paragraph_label = ""
        return Labelled(PARAGRAPH, NUMBERED if self.article else UNNUMBERED, "", body, None)

    def plain(self, body: str) -> Labelled:
        """A paragraph whose text is only text (a pipe table's cell): no label is read."""
        self.paragraph_label = ""
        return Labelled(PARAGRAPH, NUMBERED if self.article else UNNUMBERED, "", body, None)

    def numbered(self, number: str, body: str, depth: int = 0) -> Labelled:
        """A paragraph whose number is not part of its text (Word auto-numbering): the
        number as Word shows it is the written label, read the way a typed one would be
        ("Article III." -> Article 3, "(a)" -> 3.2(a), "2." -> 3.2 inside Article 3)."""
        written = _collapse(number)
        number = written.rstrip(".").strip()
        heading = _heading_match(number)
        if heading and heading.group("rest"):
            heading = None
        if depth or heading:
            label, _, _, level = self._heading(number, heading, depth)
            return self._enter_heading(label or number, level, depth, body, written)
        item = _ITEM_MARK.fullmatch(number)
        if item:
            return Labelled(PARAGRAPH, ITEM, self._item(item.group("mark")), body, written)
        if self.article and _PARA_NUMBER.fullmatch(number) and "." not in number:
            number = f"{self.article}.{number}"
        self.paragraph_label = number
        return Labelled(PARAGRAPH, NUMBERED if self.article else UNNUMBERED, number, body,
                        written)

    def _paragraph(self, number: str) -> str:
        """Our label of a typed paragraph number: "2" and ".2" are paragraph 2 of the
        current Article, "1.2.3" and "5-1" stand for themselves ("5.1")."""
        parts = _PARA_SEPARATOR.split(number.lstrip("."))
        if len(parts) == 1 or number.startswith("."):
            return f"{self.article}.{'.'.join(parts)}"
        return ".".join(parts)

    def _item(self, mark: str) -> str:
        prefix = self.paragraph_label or self.article
        return f"{prefix}({mark})" if prefix else f"({mark})"

    def _enter_heading(self, label: str, level: int, depth: int, text: str,
                       written: str | None) -> Labelled:
        if level == ARTICLE_LEVEL and depth and self.depth_of_articles is None:
            self.depth_of_articles = depth
        if label or level <= ARTICLE_LEVEL:  # an Article's own sub-headings stay in it
            self.article = label.split()[-1] if label.lower().startswith("article") else ""
        self.paragraph_label = ""
        return Labelled(HEADING, level, label, _collapse(text), written if label else None)

    def _heading(self, body: str, match: re.Match[str] | None, depth: int
                 ) -> tuple[str, str | None, str, int]:
        """(our label, the label as written with its separator, the rest, level)."""
        if match:
            kind = match.group("kind").lower()
            num = match.group("num")
            if kind == "part" and num.isdigit():
                num = wording.roman(int(num)) if 0 < int(num) < 4000 else num
            if kind == "article" and not num.isdigit():
                num = str(wording.from_roman(num))
            num = num.upper() if kind == "part" else num
            suffix = (match.group("suffix") or "").lower()
            label = f"{kind.capitalize()} {num}{suffix}"
            level = {"part": PART_LEVEL, "article": ARTICLE_LEVEL}.get(kind, ARTICLE_LEVEL)
            written = _collapse(body[: match.end("sep") if match.group("sep")
                                     else match.end("label")])
            return label, written, match.group("rest"), level
        base = self.depth_of_articles or 2
        return "", None, body, max(1, min(6, depth - base + ARTICLE_LEVEL)) if depth \
            else ARTICLE_LEVEL


def marks_of(line: str, text: str, marks: list[Mark] | tuple[Mark, ...]) -> tuple[Mark, ...]:
    """The marks of a line that are over `text`, what the labeller left of it once the
    label was cut off its front (so `text` ends the line)."""
    if not marks:
        return ()
    start = len(line) - len(text)
    if start < 0 or not line.endswith(text):
        start = line.find(text)
        if start < 0:
            return ()
    return clip_marks(marks, start, start + len(text))


def _heading_match(text: str) -> re.Match[str] | None:
    """A heading label, unless its "number" is a word made of roman digits that is no
    numeral ("Part Civil")."""
    match = HEADING_LABEL.match(text)
    if match and not match.group("num").isdigit() and wording.from_roman(match.group("num")) \
            is None:
        return None
    return match
