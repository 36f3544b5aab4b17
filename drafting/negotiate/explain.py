"""Imported text explained by parameters: where the other side's wording of one of our
clauses is exactly that clause rendered with other values of its declared parameters,
say which values ("4.1 = nuclear.freeze.days: 60; ours: 45").

The search is bounded and typed. Only the clause's declared parameters are varied, each
only to values of its type taken from what the other side wrote: numbers and dates read
from their wording of the clause and absent from ours, the other options of a choice,
the other value of a flag, a list with the items they kept (and those they added). Free
text (`str`) is never guessed. Each candidate is rendered by the caller (through the
assembler's sandbox) and kept only when a block comes out exactly as theirs reads; a
block that two parameters change together is tried with their candidates combined. At
most MAX_RENDERS_PER_CLAUSE renders for one clause and MAX_RENDERS for one comparison,
and at most MAX_RENDER_SECONDS of CPU time in all its renders (each render has the
sandbox's own budget, which a clause looping on a number they wrote can spend in full):
past any of these the search stops and says so.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..model import ITEM, Block, Document, citations

MAX_RENDERS_PER_CLAUSE = 32
MAX_RENDERS = 256
MAX_RENDER_SECONDS = 4.0  # CPU time of one comparison's renders
TYPED = ("int", "float", "date", "bool", "choice", "list")

_MONTHS = ("January February March April May June July August September October November "
           "December").split()
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.])\d+(?:\.\d+)?"
                     r"(?![\w])")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_LONG = re.compile(r"\b(\d{1,2}) (" + "|".join(_MONTHS) + r") (\d{4})\b")
_ITEM_END = re.compile(r"(?:[;,.]|\s+(?:and|or))+\s*$")

# (clause id, values, references numbered as their draft numbers them?) -> (block id, text)
# of each block, or None when it does not render
Render = Callable[[str, dict[str, Any], bool], "list[tuple[str, str]] | None"]


class ParamSpec(Protocol):
    """What a clause file declares of a parameter (library.Param has these)."""

    type: str
    options: tuple[Any, ...]
    min: float | None
    max: float | None


@dataclass(frozen=True)
class Explanation:
    """One block of their text that is our clause with one parameter's value changed
    (with others, when several are listed for the same block)."""

    block: str  # the block's id
    label: str  # as printed: "4.1", "Article 32"
    clause: str  # "nuclear.freeze" (or "id:2" for a clause's second inclusion)
    param: str
    type: str
    theirs: Any
    ours: Any
    dropped: bool = False  # a block of our draft that their text lacks (else one of theirs)
    partial: bool = False  # the value changes other blocks too, which their text does not

    @property
    def key(self) -> str:
        return f"{self.clause}.{self.param}"

    def text(self, label: str | None = None) -> str:
        """"4.1 = nuclear.freeze.days: 60; ours: 45"."""
        rest = " (only here: elsewhere their text reads as ours)" if self.partial else ""
        return f"{label or self.label} = {self.key}: {show(self.theirs, self.ours)}; ours: " \
               f"{show(self.ours)}{rest}"

    def to_dict(self) -> dict[str, Any]:
        return {"block": self.block, "label": self.label, "clause": self.clause,
                "param": self.param, "type": self.type, "theirs": self.theirs,
                "ours": self.ours, "in": "ours" if self.dropped else "theirs",
                "partial": self.partial}


@dataclass(frozen=True)
class Search:
    """What the search found and what it cost."""

    explanations: tuple[Explanation, ...] = ()
    renders: int = 0
    per_clause: tuple[tuple[str, int], ...] = ()  # (clause, renders) where it rendered
    compared: int = 0  # clauses both texts hold at the same edition
    stopped: tuple[str, ...] = ()  # clauses whose search hit a bound, with the bound

    def lines(self) -> list[str]:
        """One line per parameter value, with every block it explains: "4.2(c), 4.2(d) =
        nuclear.freeze.sites: ..."."""
        groups: dict[tuple[str, str], list[Explanation]] = {}
        for e in self.explanations:
            groups.setdefault((e.key, repr(e.theirs)), []).append(e)
        return [found[0].text(", ".join(dict.fromkeys(e.label for e in found)))
                for found in groups.values()]

    def notes(self) -> list[str]:
        return [f"not fully searched: {s}" for s in self.stopped]

    def to_dict(self) -> dict[str, Any]:
        return {"explanations": [e.to_dict() for e in self.explanations],
                "renders": self.renders, "stopped": list(self.stopped),
                "clauses_compared": self.compared}


def show(value: Any, other: Any = None) -> str:
    """A value as the explanation prints it; a list by its length and, given the list it
    differs from, what it lacks or adds ("3 items, without: X; Y")."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        others = other if isinstance(other, list) else value
        without = [str(x) for x in others if x not in value]
        extra = [str(x) for x in value if x not in others]
        pieces = [f"{len(value)} item{'s' * (len(value) != 1)}"]
        if without:
            pieces.append("without: " + "; ".join(without))
        if extra:
            pieces.append("with: " + "; ".join(extra))
        return ", ".join(pieces)
    return "(not set)" if value is None else str(value)


@dataclass
class _Budget:
    left: int
    seconds: float  # CPU time the renders may still spend
    renders: int = 0
    stopped: list[str] = field(default_factory=list)


def explain(ours: Document, theirs: Document, positions: Mapping[str, Any],
            declared: Mapping[str, tuple[int, Mapping[str, ParamSpec]]], render: Render,
            renumbered: bool = False, max_per_clause: int = MAX_RENDERS_PER_CLAUSE,
            max_renders: int = MAX_RENDERS, max_seconds: float | None = None) -> Search:
    """Explain their blocks of each clause our draft includes, whose edition they kept
    and our library declares (declared: clause id -> (edition, parameters)), from our
    recorded positions ({"params": {clause: {name: {"type", "value"}}}}). renumbered:
    their draft numbers some block otherwise, so references to it read otherwise."""
    budget = _Budget(max_renders, MAX_RENDER_SECONDS if max_seconds is None else max_seconds)
    found: list[Explanation] = []
    per_clause = []
    compared = 0
    our_blocks, their_blocks = _regions(ours), _regions(theirs)
    labels = (_printed_labels(theirs), _printed_labels(ours))  # by "dropped"
    for key, params in (positions.get("params") or {}).items():
        clause = key.split(":", 1)[0]
        mine, yours = our_blocks.get(key, []), their_blocks.get(key, [])
        if clause not in declared or not mine or not yours:
            continue
        edition, specs = declared[clause]
        if {b.edition for b in mine} != {edition} or \
                {b.edition for b in yours if b.clause} != {edition}:
            continue  # another wording of the clause: rendering says nothing of theirs
        compared += 1
        if [b.text for b in mine] == [b.text for b in yours]:
            continue
        before = budget.renders
        renders = _Renders(key, clause, render, budget, max_per_clause, renumbered)
        found += _explain_clause(key, clause, mine, yours, params, specs, renders, labels)
        if budget.renders > before:
            per_clause.append((key, budget.renders - before))
    return Search(tuple(found), budget.renders, tuple(per_clause), compared,
                  tuple(budget.stopped))


class _Renders:
    """The renders of one clause, each counted against every bound."""

    def __init__(self, key: str, clause: str, render: Render, budget: _Budget, limit: int,
                 renumbered: bool):
        self.key, self.clause, self.render = key, clause, render
        self.budget, self.limit, self.renumbered = budget, limit, renumbered
        self.spent = 0

    def _bound(self) -> str:
        if self.spent >= self.limit:
            return f"{self.limit} renders for one clause"
        if self.budget.left <= 0:
            return f"{self.budget.renders} renders for one comparison"
        return "the CPU time allowed for renders"

    def __call__(self, values: dict[str, Any], as_theirs: bool | None = None
                 ) -> dict[str, str] | None:
        """Block id -> text of the clause with these values (None: it does not render)."""
        if self.spent >= self.limit or self.budget.left <= 0 or self.budget.seconds <= 0:
            self.budget.stopped.append(f"{self.key} (stopped at {self._bound()})")
            raise _Stop
        self.spent += 1
        self.budget.left -= 1
        self.budget.renders += 1
        started = time.process_time()
        try:
            out = self.render(self.clause, values,
                              self.renumbered if as_theirs is None else as_theirs)
        finally:
            self.budget.seconds -= time.process_time() - started
        if out is None:
            return None
        if self.key == self.clause:
            return dict(out)
        return {self.key + i[len(self.clause):] if i.startswith(self.clause) else i: t
                for i, t in out}  # a later inclusion's ids: "id:2#p1"


class _Stop(Exception):
    """A render bound was reached."""


@dataclass
class _Found:
    """A rendering that gives one of their blocks (or drops one they dropped)."""

    values: dict[str, Any]
    whole: bool  # every block it makes is ours or theirs


def _explain_clause(key: str, clause: str, mine: list[Block], yours: list[Block],
                    params: Mapping[str, Any], specs: Mapping[str, ParamSpec],
                    renders: _Renders, labels: tuple[dict[str, str], dict[str, str]]
                    ) -> list[Explanation]:
    ours = {name: entry.get("value") for name, entry in params.items()}
    candidates = {name: values for name, spec in specs.items()
                  if name in ours and spec.type in TYPED
                  and (values := _candidates(spec, ours[name], mine, yours))}
    if not candidates:
        return []
    base = {b.id: b.text for b in mine}
    theirs = {b.id: b.text for b in yours}
    # by text, not by id alone: an unnamed block's id is its place in the clause ("#p4"),
    # which a shorter list gives to the paragraph after it
    our_texts, their_texts = set(base.values()), set(theirs.values())
    differing = [b.id for b in yours if b.text not in our_texts]  # changed or added
    gone = [b.id for b in mine if b.text not in their_texts and b.id not in differing]
    explained: dict[str, _Found] = {}
    try:
        if renders(ours, False) != base:
            return []  # the library no longer renders what our revision says
        start = renders(ours) if renders.renumbered else base
        if start is None:
            return []
        # a block that our values give as theirs reads differs only by the numbers of the
        # blocks it cites: no parameter to explain there
        differing = [i for i in differing if theirs[i] not in set(start.values())]
        # what a rendering may make besides what our values make: ours or theirs
        texts = (base, theirs, our_texts | their_texts | set(start.values()))
        touched: dict[str, set[str]] = {}
        for name, values in candidates.items():
            for value in values:
                if all(i in explained for i in (*differing, *gone)):
                    break  # every difference has its value: nothing left to render for
                out = renders({**ours, name: value})
                if out is None:
                    continue
                touched.setdefault(name, set()).update(
                    i for i, t in out.items() if start.get(i) != t)
                _record(explained, out, {name: value}, differing, gone, texts)
        for block_id in [i for i in differing if i not in explained]:
            names = [n for n in candidates if block_id in touched.get(n, ())]
            if len(names) < 2:
                continue  # a block two parameters change together: their values combined
            for combo in itertools.product(*(candidates[n] for n in names)):
                choice = dict(zip(names, combo, strict=True))
                out = renders({**ours, **choice})
                if out is not None and _record(explained, out, choice, [block_id], gone,
                                               texts):
                    break
    except _Stop:
        pass
    return [Explanation(block_id, labels[dropped].get(block_id, ""), key, name,
                        specs[name].type, value, ours[name], dropped,
                        not explained[block_id].whole)
            for dropped, ids in ((False, differing), (True, gone))
            for block_id in ids if block_id in explained
            for name, value in explained[block_id].values.items()]


def _record(explained: dict[str, _Found], out: dict[str, str], choice: dict[str, Any],
            differing: list[str], gone: list[str],
            texts: tuple[dict[str, str], dict[str, str], set[str]]) -> bool:
    """Note the blocks this rendering explains: their changed or added blocks that read as
    one of its blocks; and, when every block it makes is ours or theirs, our blocks they
    dropped that it drops too. A list must make only blocks ours or theirs has."""
    base, theirs, either = texts
    made = set(out.values())
    whole = made <= either
    if any(isinstance(v, list) for v in choice.values()) and not whole:
        return False  # a list that makes an item neither text has is not theirs
    hit = False
    for block_id in differing:
        if block_id not in explained and theirs[block_id] in made:
            explained[block_id] = _Found(choice, whole)
            hit = True
    if whole:
        for block_id in gone:
            if block_id not in explained and base[block_id] not in made:
                explained[block_id] = _Found(choice, whole)
                hit = True
    return hit


# -- candidates -----------------------------------------------------------------------------


def _candidates(spec: ParamSpec, ours: Any, mine: list[Block], yours: list[Block]
                ) -> list[Any]:
    """Typed values other than ours, taken from their wording of the clause."""
    our_text = "\n".join(b.text for b in mine)
    their_text = "\n".join(b.text for b in yours)
    out: list[Any] = []
    if spec.type == "choice":
        out = [o for o in spec.options if o != ours]
    elif spec.type == "bool" and isinstance(ours, bool):
        out = [not ours]
    elif spec.type in ("int", "float"):
        known = set(_numbers(our_text))
        for number in dict.fromkeys(n for n in _numbers(their_text) if n not in known):
            value: float | int = number if spec.type == "float" else int(number)
            if spec.type == "int" and value != number:
                continue
            if (spec.min is None or value >= spec.min) and \
                    (spec.max is None or value <= spec.max):
                out.append(float(value) if spec.type == "float" else value)
    elif spec.type == "date":
        dates = set(_dates(our_text))
        out = list(dict.fromkeys(d.isoformat() for d in _dates(their_text) if d not in dates))
    elif spec.type == "list" and isinstance(ours, list):
        out = _lists(ours, mine, yours)
    return [v for v in out if v != ours]


def _numbers(text: str) -> list[float]:
    return [float(m.group().replace(",", "")) for m in _NUMBER.finditer(text)]


def _dates(text: str) -> list[dt.date]:
    out = []
    for m in _ISO.finditer(text):
        out += _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for m in _LONG.finditer(text):
        out += _date(int(m.group(3)), _MONTHS.index(m.group(2)) + 1, int(m.group(1)))
    return out


def _date(year: int, month: int, day: int) -> list[dt.date]:
    try:
        return [dt.date(year, month, day)]
    except ValueError:
        return []


def _lists(ours: list[Any], mine: list[Block], yours: list[Block]) -> list[list[Any]]:
    """Our items they kept (in our order); and the items of their sub-paragraphs in their
    order, each without the punctuation that joins items (ours where it reads as ours)."""
    their_text = "\n".join(b.text for b in yours)
    kept = [x for x in ours if str(x) in their_text]
    by_text = {str(x): x for x in ours}
    theirs = [by_text.get(item, item) for block in yours
              if block.level == ITEM and not block.is_heading
              and (item := _ITEM_END.sub("", block.text).strip())]
    out: list[list[Any]] = []
    for candidate in (kept, theirs):
        if candidate and candidate != ours and candidate not in out:
            out.append(candidate)
    return out


# -- blocks -----------------------------------------------------------------------------------


def _regions(doc: Document) -> dict[str, list[Block]]:
    """The blocks of each clause inclusion, keyed as positions key them ("id", "id:2"):
    those carrying the clause's id, and blocks without a clause between two of them (a
    paragraph the other side added)."""
    out: dict[str, list[Block]] = {}
    current: str | None = None
    pending: list[Block] = []
    for block in doc.blocks:
        if block.clause is None:
            if current is not None:
                pending.append(block)
            continue
        owner = block.id.split("#", 1)[0]
        key = owner if owner.startswith(f"{block.clause}:") else block.clause
        if key != current:
            current, pending = key, []
            out.setdefault(key, [])
        else:
            out[key] += pending
            pending = []
        out[key].append(block)
    return out


def _printed_labels(doc: Document) -> dict[str, str]:
    """Each block as cited (model.citations), or its Article's for a block without one."""
    out: dict[str, str] = {}
    article = ""
    for block, cited in zip(doc.blocks, citations(doc.blocks), strict=True):
        if block.is_heading and cited:
            article = cited
        out[block.id] = cited or article or "preamble"
    return out

