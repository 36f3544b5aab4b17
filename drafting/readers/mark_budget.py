"""The limit on inline marks (formatted runs, links, object tokens) one document read from
outside may carry, shared by the Markdown and text reader, the Word reader (budget.py) and
a revision read back from the store (Document.from_dict). Bytes alone do not bound the
work: writers and the diff pay for every mark, and a 4 MB Markdown file of 1,000,000
italics took 9 CPU s to read and `draft export` of it 46 s and 1.7 GB.

Marks are counted while the markup is parsed, as the file writes them (before marks that
touch are merged), so that going over stops the work at once. MAX_MARKS is per document;
the Word reader builds two of each file (accepted and original) and counts both. The
300-page agreement of bench/import_bench.py has some 750; a Markdown file just under the
limit is read in about a second (bench/hostile_bench.py).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import DraftingError

MAX_MARKS = 100_000


class MarkBudget:
    """The marks one document may still make; `source` names it in the refusal."""

    __slots__ = ("left", "source")

    def __init__(self, source: str | Path | None) -> None:
        self.source = source
        self.left = MAX_MARKS

    def spend(self, count: int = 1) -> None:
        self.left -= count
        if self.left < 0:
            raise DraftingError(f"refused: more than {MAX_MARKS} formatted runs, links and "
                                "object tokens (the readers' limit)", self.source)
