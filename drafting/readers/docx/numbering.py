"""Word's automatic list numbers (word/numbering.xml), computed the way Word shows them.

A paragraph's w:numPr names a w:num, which points to a w:abstractNum: the list's levels
(start value, number format, level text such as "Article %1" or "%1.%2", legal-style
w:isLgl, w:lvlRestart). Counters belong to the abstractNum, so several w:num sharing one
continue a single list; a w:num's w:startOverride restarts its level the first time that
w:num is used. Advancing a level restarts the deeper ones (unless their w:lvlRestart says
otherwise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml import etree

from ... import wording
from .budget import Budget
from .styles import MAX_ILVL, NumPr, Styles
from .xml import attr, w

_PLACEHOLDER = re.compile(r"%([1-9])")
_DECIMAL = {"decimal", "decimalZero"}
MAX_LETTERED = 1000


@dataclass(frozen=True, slots=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # restart after this (1-based) level only; 0: never
    legal: bool = False  # w:isLgl: every number in the text in arabic digits
    style: str | None = None  # paragraph style linked to this level


@dataclass(frozen=True, slots=True)
class NumDefinition:
    """A w:num: the abstract list it counts in, and its levels as it shows them."""

    abstract: str
    levels: dict[int, Level]  # the abstract's levels with this num's overrides applied
    restarts: tuple[int, ...]  # levels whose w:startOverride restarts the list


class Numbering:
    """The list definitions of one document; the numbers they make are charged to the
    file's budget."""

    def __init__(self, root: etree._Element | None, styles: Styles, budget: Budget):
        self.styles = styles
        self.budget = budget
        abstracts = {a.get(w("abstractNumId")): a
                     for a in ([] if root is None else root.iter(w("abstractNum")))}
        nums = {n.get(w("numId")): n for n in ([] if root is None else root.iter(w("num")))}
        targets = {num_id: attr(n.find(w("abstractNumId"))) for num_id, n in nums.items()}
        self._nums: dict[str, NumDefinition] = {}
        for num_id, num in nums.items():
            abstract_id = targets[num_id]
            if num_id is None or abstract_id not in abstracts:
                continue
            # w:numStyleLink: the levels are those of the list the numbering style names
            link = attr(abstracts[abstract_id].find(w("numStyleLink")))
            linked = targets.get(styles.numbering(link).num_id) if link else None
            abstract_id = linked if linked in abstracts else abstract_id
            levels = _levels(abstracts[abstract_id])
            restarts = []
            for override in num.iter(w("lvlOverride")):
                ilvl = _int(override.get(w("ilvl")))
                if ilvl is None or not 0 <= ilvl <= MAX_ILVL:
                    continue
                lvl = override.find(w("lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                start = _int(attr(override.find(w("startOverride"))))
                if start is not None:
                    levels[ilvl] = replace(levels.get(ilvl, Level()), start=start)
                    restarts.append(ilvl)
            for level in levels.values():
                budget.short(level.text, "a list level text (w:lvlText)")
            self._nums[num_id] = NumDefinition(str(abstract_id), levels, tuple(restarts))

    def num(self, num_id: str) -> NumDefinition:
        """The definition of a numId that resolve() returned."""
        return self._nums[num_id]

    def resolve(self, own: NumPr | None, style: str | None) -> tuple[str, int] | None:
        """(numId, ilvl) of a paragraph from its own w:numPr and its style's; None when it
        is not in a list (numId 0 takes it out of its style's list)."""
        inherited = self.styles.numbering(style)
        num_id = own.num_id if own and own.num_id is not None else inherited.num_id
        if num_id is None or num_id not in self._nums:
            return None
        ilvl = own.ilvl if own and own.ilvl is not None else inherited.ilvl
        if ilvl is None:  # a heading style linked to a level of a multilevel list
            levels = self._nums[num_id].levels
            ilvl = next((i for i, lvl in levels.items() if style and lvl.style == style), 0)
        return num_id, ilvl


class Counters:
    """The running numbers of one reading of the document (each view counts its own)."""

    def __init__(self, numbering: Numbering):
        self._numbering = numbering
        self._values: dict[str, dict[int, int]] = {}
        self._used: set[str] = set()

    def next(self, num_id: str, ilvl: int) -> str:
        """Advance the list at this level and return the number text Word shows
        ("Article 3", "3.2", "(a)"); "" for bullets and levels without a number."""
        num = self._numbering.num(num_id)
        values = self._values.setdefault(num.abstract, {})
        if num_id not in self._used:
            self._used.add(num_id)
            for restarted in num.restarts:
                values.pop(restarted, None)
        level = num.levels.get(ilvl, Level())
        values[ilvl] = values[ilvl] + 1 if ilvl in values else level.start
        for deeper in [d for d in values if d > ilvl]:
            restart = num.levels.get(deeper, Level()).restart
            if restart is None or ilvl < restart:
                del values[deeper]
        if level.fmt == "bullet":
            return ""

        def number(m: re.Match[str]) -> str:
            at = int(m.group(1)) - 1
            shown = num.levels.get(at, Level())
            fmt = "decimal" if level.legal and shown.fmt not in _DECIMAL else shown.fmt
            return format_counter(values.get(at, shown.start - 1), fmt)

        return self._numbering.budget.label(_PLACEHOLDER.sub(number, level.text))


def _levels(abstract: etree._Element) -> dict[int, Level]:
    out = {}
    for lvl in abstract.findall(w("lvl")):
        ilvl = _int(lvl.get(w("ilvl")))
        if ilvl is not None and 0 <= ilvl <= MAX_ILVL:
            out[ilvl] = _level(lvl)
    return out


def _level(lvl: etree._Element) -> Level:
    start = _int(attr(lvl.find(w("start"))))
    legal = lvl.find(w("isLgl"))
    return Level(start=0 if start is None else start,
                 fmt=attr(lvl.find(w("numFmt"))) or "decimal",
                 text=attr(lvl.find(w("lvlText"))) or "",
                 restart=_int(attr(lvl.find(w("lvlRestart")))),
                 legal=legal is not None and attr(legal) not in ("0", "false", "off"),
                 style=attr(lvl.find(w("pStyle"))))


def format_counter(n: int, fmt: str) -> str:
    """A counter in a w:numFmt. Formats we cannot write (ordinals, words, other scripts)
    fall back to arabic digits, and so do letters and roman numerals out of their range
    (a hostile w:start must not make a label of a million "a"s); "none" prints nothing."""
    if fmt == "none":
        return ""
    if fmt == "decimalZero":
        return f"{n:02d}"
    if 0 < n <= MAX_LETTERED and fmt in ("lowerLetter", "upperLetter"):
        text = wording.letter(n)
        return text.upper() if fmt == "upperLetter" else text
    if 0 < n <= MAX_LETTERED and fmt in ("lowerRoman", "upperRoman"):
        text = wording.roman(n)
        return text.lower() if fmt == "lowerRoman" else text
    return str(n)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
