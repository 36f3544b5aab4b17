"""Renumbering and the cross-references it breaks.

When an Article is inserted, every later Article's number shifts. That is one fact, not
twenty changed headings: it is reported once per run ("Articles 4-12 renumbered 5-13").
A reference in the text ("Article 4") that kept its old number while its target moved on
is flagged, since that is exactly the error a renumbering leaves behind in a Word file.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import wording
from ..model import ARTICLE_LEVEL, EQUAL, PART_LEVEL, BlockChange, Renumbering, StaleRef

_PARAGRAPH = re.compile(r"(\d+)\.(\d+)")
_REF = re.compile(r"\bArticles?\s+(\d+|[IVXLCDM]+)\b")  # "Article 4", "Article IV"


def _number(kind: str, label: str) -> int | None:
    if kind == "paragraph":
        m = _PARAGRAPH.fullmatch(label)
        return int(m.group(2)) if m else None
    word, _, num = label.partition(" ")
    if kind == "part":
        return wording.from_roman(num) if word == "Part" else None
    return int(num) if word == "Article" and num.isdigit() else None


def _kind(change: BlockChange) -> str | None:
    block = change.new
    if block is None:
        return None
    if block.is_heading:
        return {PART_LEVEL: "part", ARTICLE_LEVEL: "article"}.get(block.level)
    return "paragraph" if _PARAGRAPH.fullmatch(block.label) else None


def find_renumberings(changes: list[BlockChange], where: Callable[[BlockChange, str], str]
                      ) -> tuple[list[Renumbering], set[int]]:
    """Runs of blocks whose number shifted by the same amount, told in their labels as
    cited (`where`); and the indices (into changes) of every renumbered block."""
    runs: list[list[tuple[int, int, int]]] = []  # (index into changes, old, new)
    open_runs: dict[str, list[tuple[int, int, int]]] = {}
    renumbered: set[int] = set()
    for index, change in enumerate(changes):
        kind = _kind(change)
        if kind is None or change.move or change.old is None or change.new is None \
                or change.old.label == change.new.label:
            continue
        old, new = _number(kind, change.old.label), _number(kind, change.new.label)
        if old is None or new is None:
            continue
        if kind == "paragraph" and not _same_article_shift(change):
            continue
        renumbered.add(index)
        key = kind if kind != "paragraph" else f"paragraph {change.new.label.split('.')[0]}"
        run = open_runs.get(key)
        if run and run[-1][2] - run[-1][1] == new - old and run[-1][2] + 1 == new:
            run.append((index, old, new))
        else:
            open_runs[key] = [(index, old, new)]
            runs.append(open_runs[key])
    result = []
    for run in runs:
        kind = _kind(changes[run[0][0]]) or "article"
        old_labels = tuple(where(changes[i], "old") for i, _, _ in run)
        new_labels = tuple(where(changes[i], "new") for i, _, _ in run)
        result.append(Renumbering(kind, old_labels, new_labels,
                                  _describe(kind, old_labels, new_labels)))
    return result, renumbered


def _same_article_shift(change: BlockChange) -> bool:
    """A paragraph renumbered within its Article (3.2 -> 3.3), not merely carried along
    by its Article's new number (4.2 -> 5.2)."""
    old = _PARAGRAPH.fullmatch(change.old.label)  # type: ignore[union-attr]
    new = _PARAGRAPH.fullmatch(change.new.label)  # type: ignore[union-attr]
    return bool(old and new and old.group(2) != new.group(2))


def _describe(kind: str, old: tuple[str, ...], new: tuple[str, ...]) -> str:
    """"Articles 4-12 renumbered 5-13"; in a file's own labels "Articles II-III renumbered
    III-IV", "Paragraphs 2.-3. of Article 2 renumbered 3.-4." (what cites them, once)."""
    if kind == "paragraph":
        noun = "Paragraphs" if len(old) > 1 else "Paragraph"
    else:
        noun = {"part": "Parts", "article": "Articles"}[kind]
        noun = noun if len(old) > 1 else noun[:-1]
    (old_range, old_of), (new_range, new_of) = _range(kind, old), _range(kind, new)
    new_of = "" if new_of == old_of else new_of
    return f"{noun} {old_range}{old_of} renumbered {new_range}{new_of}"


def _range(kind: str, labels: tuple[str, ...]) -> tuple[str, str]:
    """("4-12", "") for Articles 4 to 12, ("2.-3.", " of Article 2") for a file's
    paragraphs cited "Article 2, 2." to "Article 2, 3."; a run of one names it alone."""
    within = {label.rpartition(", ")[0] for label in labels}
    if len(within) > 1:  # the run crosses what qualifies it: cite each end whole
        return _span(labels[0], labels[-1]), ""
    own = [label.rpartition(", ")[2] for label in labels]
    if kind != "paragraph":
        own = [label.split(" ", 1)[-1] for label in own]
    (qualifier,) = within
    return _span(own[0], own[-1]), f" of {qualifier}" if qualifier else ""


def _span(first: str, last: str) -> str:
    """"4-12"; "5-1 to 5-3" where the labels have hyphens of their own."""
    if first == last:
        return first
    return f"{first} to {last}" if "-" in first + last else f"{first}-{last}"


def find_stale_refs(changes: list[BlockChange], where: Callable[[BlockChange, str], str]
                    ) -> list[StaleRef]:
    """References to "Article N" that stayed N on both sides although old Article N is now
    numbered differently, or was deleted."""
    fate: dict[int, int | None] = {}  # old article number -> new number (None: deleted)
    now: dict[int, str] = {}  # old article number -> its new label as printed
    for change in changes:
        old = change.old
        if old is None or not old.is_heading or old.level != ARTICLE_LEVEL:
            continue
        old_num = _number("article", old.label)
        if old_num is None or change.role == "from":
            continue
        new_num = _number("article", change.new.label) if change.in_new and change.new \
            else None
        fate[old_num] = new_num
        if change.new is not None:
            now[old_num] = where(change, "new")
    if all(old == new for old, new in fate.items()):
        return []
    stale = []
    for change in changes:
        if change.old is None or change.new is None or change.role == "from":
            continue
        for op in change.ops:  # a reference in unchanged text kept its old number
            if op.op != EQUAL or "rticle" not in op.text:
                continue
            for match in _REF.finditer(op.text):
                written = match.group(1)
                number = int(written) if written.isdigit() else wording.from_roman(written)
                if number not in fate or fate[number] == number:
                    continue
                at = where(change, "new")
                if fate[number] is None:
                    message = f"{at} refers to Article {written}, which was deleted"
                else:
                    message = (f"{at} still refers to Article {written}, but that Article "
                               f"is now {now[number]}")
                stale.append(StaleRef(at, f"Article {written}", message))
    return stale
