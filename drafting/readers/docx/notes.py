"""Footnotes and endnotes in one reading: each reference in the text is numbered as Word
shows it (footnotes 1, 2, ... and endnotes i, ii, ... in the order their references
appear, or in the number format and start the document sets: its last section's
w:footnotePr / w:endnotePr, else settings.xml's) and becomes a token ("[^1]", "[^ei]")
where its mark stands; each note becomes a block of its own after the body, labelled by
that token, its paragraphs joined into one text. Numbering that restarts on each page or
section is read as continuous (there are no pages here).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from ...model import ENDNOTE, FOOTNOTE, note_label
from .body import NOTE_CLOSE, NOTE_OPEN, Item
from .numbering import format_counter
from .xml import attr, w

_KINDS = {"f": FOOTNOTE, "e": ENDNOTE}
_DEFAULT_FORMAT = {FOOTNOTE: "decimal", ENDNOTE: "lowerRoman"}
_PLACEHOLDER = re.compile(re.escape(NOTE_OPEN) + r"([fe])([^" + NOTE_CLOSE + r"]*)" +
                          re.escape(NOTE_CLOSE))
_CHICAGO = "*†‡§"
MAX_START = 1_000_000  # a hostile w:numStart must not make a label of a million marks


@dataclass(frozen=True)
class NoteFormat:
    fmt: str
    start: int = 1

    def number(self, n: int) -> str:
        """The n-th note's number as Word prints it (n from 0)."""
        value = self.start + n
        if self.fmt == "chicago" and 0 < value <= 4 * 8:
            return _CHICAGO[(value - 1) % 4] * ((value - 1) // 4 + 1)
        if self.fmt == "chicago":
            return str(value)
        return format_counter(value, self.fmt)


_FORMATS = {"decimal", "lowerRoman", "upperRoman", "lowerLetter", "upperLetter", "chicago",
            "decimalZero"}


def note_formats(settings: etree._Element | None, body: etree._Element,
                 warnings: list[str]) -> dict[str, NoteFormat]:
    """The format of each kind of note: the document's last section decides, then the
    settings, then Word's default; what cannot be followed is said in `warnings`."""
    sections = body.findall(w("sectPr"))
    places = [sections[-1]] if sections else []
    if settings is not None:
        places.append(settings)
    out = {}
    for kind, default in _DEFAULT_FORMAT.items():
        fmt, start = default, 1
        for place in reversed(places):
            props = place.find(w(f"{kind}Pr"))
            if props is None:
                continue
            fmt = attr(props.find(w("numFmt"))) or fmt
            start = _start(attr(props.find(w("numStart"))), start)
            if attr(props.find(w("numRestart"))) in ("eachPage", "eachSect"):
                warnings.append(f"{kind} numbers restart on each page or section in Word: "
                                "numbered continuously here")
        if fmt not in _FORMATS:
            warnings.append(f"{kind} numbers in the format {fmt!r}: written in arabic numerals")
            fmt = "decimal"
        out[kind] = NoteFormat(fmt, start)
    return out


def _start(value: str | None, default: int) -> int:
    try:
        start = int(value) if value is not None else default
    except ValueError:
        return default
    return start if 0 <= start <= MAX_START else default


class NoteNumbers:
    """Numbers the references of one reading in order, and keeps which note each is."""

    def __init__(self, formats: dict[str, NoteFormat]):
        self.formats = formats
        self.labels: dict[tuple[str, str], str] = {}  # (kind, w:id) -> "[^1]", in order
        self._counts = {FOOTNOTE: 0, ENDNOTE: 0}

    def resolve(self, text: str) -> str:
        """The text with each reference placeholder made its token."""
        if NOTE_OPEN not in text:
            return text
        return _PLACEHOLDER.sub(self._token, text)

    def _token(self, match: re.Match[str]) -> str:
        key = (_KINDS[match.group(1)], match.group(2))
        if key not in self.labels:
            kind = key[0]
            self.labels[key] = note_label(kind, self.formats[kind].number(self._counts[kind]))
            self._counts[kind] += 1
        return self.labels[key]

    def referenced(self) -> Iterable[tuple[str, str, str]]:
        """(kind, w:id, label) of every note referenced, footnotes first, each in order."""
        for kind in (FOOTNOTE, ENDNOTE):
            for (k, note_id), label in self.labels.items():
                if k == kind:
                    yield kind, note_id, label


def strip_references(text: str) -> str:
    """A note's own text: a reference inside a note (Word makes none) is dropped."""
    return _PLACEHOLDER.sub("", text) if NOTE_OPEN in text else text


Notes = dict[str, dict[str, list[Item]]]  # kind -> w:id -> content
