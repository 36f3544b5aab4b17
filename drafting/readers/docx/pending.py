"""Which reading of a Word file with pending tracked changes a command works on, and the
warning that says so: a reply that still carries someone's tracked changes is read as it
stands after accepting them unless the user asks for the other reading, or for a refusal;
it is never read one way in silence."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ...errors import DraftingError

if TYPE_CHECKING:
    from ...model import Document
    from . import TrackedChange, WordFile

ACCEPT, REJECT, REFUSE = "accept", "reject", "refuse"
CHOICES = (ACCEPT, REJECT, REFUSE)

# what one revision is called in the warning; a move counts once, at its source
_NOUNS = {"insert": "insertion", "paragraph-insert": "insertion", "row-insert": "insertion",
          "delete": "deletion", "paragraph-delete": "deletion", "row-delete": "deletion",
          "move-from": "move", "format": "formatting change"}
_ORDER = ("insertion", "deletion", "move", "formatting change")


def summary(changes: tuple[TrackedChange, ...]) -> str:
    """"3 pending tracked changes (2 insertions, 1 deletion by Jane Doe)": counted by
    author (in order of appearance) and kind."""
    by_author: dict[str, Counter[str]] = {}
    for change in changes:
        noun = _NOUNS.get(change.kind)
        if noun:
            by_author.setdefault(change.author or "an unnamed author", Counter())[noun] += 1
    total = sum(sum(c.values()) for c in by_author.values())
    if not total:  # only the far ends of moves
        return _count(len(changes), "pending tracked change")
    parts = [", ".join(_count(counts[noun], noun) for noun in _ORDER if counts[noun])
             + f" by {author}" for author, counts in by_author.items()]
    return f"{_count(total, 'pending tracked change')} ({'; '.join(parts)})"


def choose(word: WordFile, pending: str, name: str) -> tuple[Document, tuple[str, ...]]:
    """The document a command reads (all accepted or all rejected) and the file's warnings,
    the pending changes named first; `refuse` makes a file with any a one-line error."""
    if pending not in CHOICES:
        raise DraftingError(f"--pending {pending}: choose one of {', '.join(CHOICES)}")
    if not word.changes:
        return word.accepted, word.warnings
    said = summary(word.changes)
    if pending == REFUSE:
        raise DraftingError(f"{said}; refused (--pending refuse): accept or reject them "
                            "first, or give --pending accept|reject", name)
    if pending == ACCEPT:
        note = f"{said} accepted; --pending reject|refuse to change that"
        return word.accepted, (note, *word.warnings)
    note = f"{said} rejected (--pending reject)"
    return word.original, (note, *word.warnings)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
