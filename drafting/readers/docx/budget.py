"""Budgets on the work of reading one Word file. The package limits (package.py) bound
the bytes of the archive; these bound what those bytes can make us do: XML bytes and nodes
parsed, paragraphs walked, tracked changes listed and the text they carry, list numbers
computed from w:lvlText.

Each limit is several times what a long real agreement needs (the 300-page document of
bench/import_bench.py has 6 MB of XML, some 400,000 XML tags and attributes, 3,500
paragraphs, 782 tracked changes and 15,000 characters of list numbers) and low enough that
a file just under them is read in about two seconds and 300 MB (bench/hostile_bench.py).
Going over one is a one-line refusal that names it.
"""

from __future__ import annotations

from ...errors import DraftingError
from ..mark_budget import MAX_MARKS

MAX_XML_BYTES = 40_000_000  # over all parts parsed (the package allows 300 MB)
MAX_XML_NODES = 1_000_000  # tags and attributes over all parts parsed
MAX_PARAGRAPHS = 20_000  # w:p in the body, tables, text boxes and footnotes
MAX_TRACKED_CHANGES = 50_000
MAX_TRACKED_TEXT = 25_000_000  # characters of text kept over all tracked changes
MAX_TRACKED_NODES = 2_000_000  # text elements visited to collect it (revisions nest)
MAX_LABEL_CHARS = 200  # one list number as Word shows it, or one w:lvlText
MAX_LABEL_TEXT = 1_000_000  # characters of list numbers, over both readings
# formatted stretches of text (a run that is bold, italic..., a link, an object token):
# the readers' limit per document (mark_budget.py), over both readings
MAX_FORMATTED = 2 * MAX_MARKS

LIMITS = {"bytes of XML": MAX_XML_BYTES, "XML tags and attributes": MAX_XML_NODES,
          "paragraphs": MAX_PARAGRAPHS,
          "tracked changes": MAX_TRACKED_CHANGES,
          "characters of tracked-change text": MAX_TRACKED_TEXT,
          "text elements inside tracked changes": MAX_TRACKED_NODES,
          "characters of list numbers": MAX_LABEL_TEXT,
          "formatted runs": MAX_FORMATTED}


class Budget:
    """What one file has spent so far; `source` names it in the refusal."""

    __slots__ = ("source", "used")

    def __init__(self, source: str):
        self.source = source
        self.used = dict.fromkeys(LIMITS, 0)

    def spend(self, what: str, amount: int = 1, where: str = "") -> None:
        used = self.used[what] + amount
        self.used[what] = used
        if used > LIMITS[what]:
            where = f", reached in {where}" if where else ""
            raise DraftingError(f"refused: more than {LIMITS[what]} {what} (the Word "
                                f"reader's limit{where})", self.source)

    def left(self, what: str) -> int:
        return LIMITS[what] - self.used[what]

    def xml(self, data: bytes, part: str) -> None:
        """Charge a part before it is parsed: every element starts with "<" and every
        attribute has its "=", so their counts bound what the tree will hold."""
        self.spend("bytes of XML", len(data), part)
        self.spend("XML tags and attributes", data.count(b"<") + data.count(b"="), part)

    def short(self, text: str, what: str) -> str:
        if len(text) > MAX_LABEL_CHARS:
            raise DraftingError(f"refused: {what} of {len(text)} characters (limit "
                                f"{MAX_LABEL_CHARS})", self.source)
        return text

    def label(self, label: str) -> str:
        """A list number as computed: short, and charged to the file's label text."""
        self.spend("characters of list numbers", len(self.short(label, "a list number")))
        return label
