"""How a reader turns paragraphs into labelled blocks, shared by the Markdown and Word
readers so that the same agreement read from either gets the same labels and levels.

Labels already typed in the text ("Article 3 — Title", "3.2 ...", "1. ...", "(a) ...") are
recognised and kept as labels, so that renumbering between two files can be seen as such.
Paragraphs under an Article are NUMBERED, "(a)" items are ITEMs labelled "3.2(a)", and
paragraphs before any Article are UNNUMBERED.
"""

from __future__ import annotations

import re

from .. import wording
from ..model import ARTICLE_LEVEL, HEADING, ITEM, NUMBERED, PARAGRAPH, PART_LEVEL, UNNUMBERED

HEADING_LABEL = re.compile(
    r"^(?P<label>(?P<kind>article|part|annex|chapter|section)\s+(?P<num>[0-9]+|[IVXLCDM]+)\b)"
    r"\s*(?:[.:—–-]\s*)?(?P<rest>.*)$", re.IGNORECASE)
PARA_LABEL = re.compile(r"^(?P<num>\d+(?:\.\d+)*)(?:\.|\s)\s*(?P<rest>\S.*)$")
ITEM_LABEL = re.compile(r"^\((?P<mark>[a-z]{1,3}|[ivx]{1,5})\)\s+(?P<rest>.*)$")
LIST_ITEM = re.compile(r"^[-*+]\s+(?P<rest>.*)$")
_PARA_NUMBER = re.compile(r"\d+(?:\.\d+)*")
_ITEM_MARK = re.compile(r"\((?P<mark>[a-z]{1,3}|[ivx]{1,5})\)")

# (kind, level, label, text) of one block
Labelled = tuple[str, int, str, str]


class Labeller:
    """Labels and levels for the paragraphs of one document, in order: what an Article
    heading or a numbered paragraph says decides the labels of what follows it."""

    def __init__(self) -> None:
        self.article = ""  # number of the current Article, for paragraph labels
        self.paragraph_label = ""
        self.items = 0
        self.depth_of_articles: int | None = None

    def typed(self, body: str, depth: int = 0) -> Labelled:
        """A paragraph whose label, if any, is typed at the start of its text. `depth` is
        its heading depth (Markdown '#'s, Word outline level + 1), 0 for body text; a body
        line that is only a label ("Article 3") is a heading too."""
        heading = HEADING_LABEL.match(body)
        if depth or (heading and not heading.group("rest")):
            label, text, level = self._heading(body, heading, depth)
            return self._enter_heading(label, level, depth, text)
        item = ITEM_LABEL.match(body) or LIST_ITEM.match(body)
        if item:
            label = self._item(item.groupdict().get("mark") or wording.letter(self.items + 1))
            return PARAGRAPH, ITEM, label, item.group("rest").strip()
        self.items = 0
        numbered = PARA_LABEL.match(body)
        if numbered and self.article:
            num = numbered.group("num")
            self.paragraph_label = num if "." in num else f"{self.article}.{num}"
            return PARAGRAPH, NUMBERED, self.paragraph_label, numbered.group("rest").strip()
        self.paragraph_label = ""
        return PARAGRAPH, NUMBERED if self.article else UNNUMBERED, "", body

    def numbered(self, number: str, body: str, depth: int = 0) -> Labelled:
        """A paragraph whose number is not part of its text (Word auto-numbering): the
        number decides the label, read the way a typed one would be ("Article III." ->
        "Article 3", "(a)" -> "3.2(a)", "2." -> "3.2" inside Article 3)."""
        number = number.strip().rstrip(".").strip()
        heading = HEADING_LABEL.match(number)
        if heading and heading.group("rest"):
            heading = None
        if depth or heading:
            label, _, level = self._heading(number, heading, depth)
            return self._enter_heading(label or number, level, depth, body)
        item = _ITEM_MARK.fullmatch(number)
        if item:
            return PARAGRAPH, ITEM, self._item(item.group("mark")), body
        self.items = 0
        if self.article and _PARA_NUMBER.fullmatch(number) and "." not in number:
            number = f"{self.article}.{number}"
        self.paragraph_label = number
        return PARAGRAPH, NUMBERED if self.article else UNNUMBERED, number, body

    def _item(self, mark: str) -> str:
        self.items += 1
        prefix = self.paragraph_label or self.article
        return f"{prefix}({mark})" if prefix else f"({mark})"

    def _enter_heading(self, label: str, level: int, depth: int, text: str) -> Labelled:
        if level == ARTICLE_LEVEL and depth and self.depth_of_articles is None:
            self.depth_of_articles = depth
        self.article = label.split()[-1] if label.lower().startswith("article") else ""
        self.paragraph_label, self.items = "", 0
        return HEADING, level, label, " ".join(text.split())

    def _heading(self, body: str, match: re.Match[str] | None, depth: int
                 ) -> tuple[str, str, int]:
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
        base = self.depth_of_articles or 2
        return "", body, max(1, min(6, depth - base + ARTICLE_LEVEL)) if depth \
            else ARTICLE_LEVEL
