"""Words, spaces and punctuation: the units a legal redline is made of.

A word keeps its inner punctuation ("1.2", "30,000", "co-operation", "don't", "2015/16")
so that a change can never start or end inside it; an object token is one unit too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A picture, chart, shape or OLE object token ("⟦image · 3fa2c1⟧") is one unit: replaced
# whole, never edited inside (an equation's or a text box's text is diffed word by word).
TOKEN = re.compile(r"⟦(?:image|chart|shape|object)[^⟦⟧]*⟧|\w+(?:[.,'’/\-]\w+)*|\s+|[^\w\s]")
WORD = re.compile(r"\w")
# The words TOKEN finds in a text without object tokens: scanning for words alone steps
# over spaces and punctuation one run or character at a time, as TOKEN does.
_WORDS = re.compile(r"\w+(?:[.,'’/\-]\w+)*")


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text)


def word_count(text: str) -> int:
    if "⟦" not in text:
        return len(_WORDS.findall(text))
    return sum(1 for t in TOKEN.findall(text) if WORD.match(t))


@dataclass(frozen=True)
class Options:
    """What a comparison may ignore, as `diff -i -w` and professional comparers offer."""

    ignore_case: bool = False
    ignore_whitespace: bool = False
    ignore_punctuation: bool = False

    def key(self, token: str) -> str:
        """The form of a token that comparison sees."""
        if self.ignore_case:
            token = token.lower()
        if self.ignore_whitespace and token.isspace():
            return " "
        return token

    def normalise(self, text: str) -> str:
        """The form of a whole block that alignment sees."""
        if self.ignore_case:
            text = text.lower()
        if self.ignore_punctuation:
            text = re.sub(r"[^\w\s]", "", text)
        if self.ignore_whitespace or self.ignore_punctuation:
            text = " ".join(text.split())
        return text

    @property
    def any(self) -> bool:
        return self.ignore_case or self.ignore_whitespace or self.ignore_punctuation


EXACT = Options()
