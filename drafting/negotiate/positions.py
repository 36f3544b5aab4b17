"""Positions compared: every template variable and clause parameter whose value differs
between two revisions, with a typed delta and the places in the text where it shows.

The values come from each revision's recorded positions (what the assembler used), never
from reading the text back. Where a value shows is found from the two documents' blocks:
the blocks of that clause whose text differs between the drafts (for a variable: the
template's own blocks that differ and the clauses that came, went or changed Part).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from ..model import ARTICLE_LEVEL, PART_LEVEL, Block, Document
from .explain import Search

_UNITS = ("days", "hours", "weeks", "months", "years", "meetings", "members", "staff")


@dataclass(frozen=True)
class Place:
    """Where a clause stands in one draft."""

    article: str  # "Article 4"
    part: str  # "Part II" or ""
    part_title: str

    def text(self) -> str:
        """"Article 18 in Phase Two" (a Part's title up to its colon), or "Article 18"."""
        if not self.part:
            return self.article
        return f"{self.article} in {self.part_title.split(':')[0] or self.part}"


@dataclass(frozen=True)
class Delta:
    """One variable or parameter whose value differs."""

    clause: str | None  # None for a template variable
    name: str
    type: str
    old: Any
    new: Any
    change: str  # "45 -> 60 days (+15)"
    description: str = ""
    title: str = ""  # the clause's Article heading
    article: str = ""  # "Article 4" in the new draft (else the old)
    where: tuple[str, ...] = ()  # labels of the blocks it changes ("4.1", "4.2(c)")
    where_old: tuple[str, ...] = ()  # labels of the old draft's blocks that it removed
    difference: float | int | None = None
    added: tuple[Any, ...] = ()
    removed: tuple[Any, ...] = ()
    unit: str = ""  # "days", from the parameter's name or description

    @property
    def key(self) -> str:
        return f"{self.clause}.{self.name}" if self.clause else self.name

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "clause": self.clause, "name": self.name,
                               "type": self.type, "old": self.old, "new": self.new,
                               "change": self.change, "where": list(self.where),
                               "where_old": list(self.where_old)}
        if self.description:
            out["description"] = self.description
        if self.title:
            out["title"] = self.title
        if self.article:
            out["article"] = self.article
        if self.difference is not None:
            out["difference"] = self.difference
        if self.type == "list":
            out["added"], out["removed"] = list(self.added), list(self.removed)
        return out


@dataclass(frozen=True)
class ClauseOnly:
    """A clause in one draft and not the other."""

    clause: str
    title: str
    side: str  # "old" or "new"
    place: str

    def to_dict(self) -> dict[str, Any]:
        return {"clause": self.clause, "title": self.title, "in": self.side,
                "place": self.place}


@dataclass(frozen=True)
class PositionsComparison:
    old_name: str
    new_name: str
    deltas: tuple[Delta, ...] = ()
    only: tuple[ClauseOnly, ...] = ()
    moved: tuple[str, ...] = ()  # clauses that came, went or changed Part (the variables)
    unavailable: tuple[str, ...] = field(default=())  # why a side's positions are unknown
    # when one side is an imported text: its blocks our clauses give with other values
    # (then the deltas are those values, read from the text, not recorded)
    explained: Search | None = None
    explained_from: str = ""  # that text: "DPRK's imported text", "reply.docx"
    explained_new: bool = True  # whether that text is the new one of the comparison

    @property
    def variables(self) -> list[Delta]:
        return [d for d in self.deltas if d.clause is None]

    @property
    def parameters(self) -> list[Delta]:
        return [d for d in self.deltas if d.clause is not None]

    @property
    def differs(self) -> bool:
        return bool(self.deltas or self.only)

    def summary(self) -> str:
        if self.unavailable:
            return "positions: not compared: " + "; ".join(self.unavailable)
        if self.explained is not None and not self.explained.compared:
            return f"positions: {self.explained_from} holds none of our " \
                   "clauses as we built them (no ids of ours in it: a file we did not " \
                   "export, or exported from another workspace)"
        if not self.differs and self.explained is not None:
            return f"positions: no difference in {self.explained_from} is " \
                   "our clauses with other values"
        if not self.differs:
            return "positions: the same variables and parameters"
        parts = [f"{len(self.variables)} variable{'s' * (len(self.variables) != 1)}",
                 f"{len(self.parameters)} clause parameter"
                 f"{'s' * (len(self.parameters) != 1)}"]
        only = f", {len(self.only)} clause{'s' * (len(self.only) != 1)} in one draft only" \
            if self.only else ""
        read = f", read from {self.explained_from} (our clauses with " \
            "other values)" if self.explained is not None else ""
        return f"positions: {len(self.deltas)} differ ({', '.join(parts)}){only}{read}"

    def groups(self) -> list[tuple[str, list[Delta]]]:
        """Deltas under headings: the template's variables, then each clause (by Article)."""
        out: list[tuple[str, list[Delta]]] = []
        if self.variables:
            out.append(("Variables of the template", self.variables))
        seen: dict[str, list[Delta]] = {}
        for d in self.parameters:
            seen.setdefault(d.clause or "", []).append(d)
        for clause, deltas in seen.items():
            head = " ".join(x for x in (deltas[0].article, deltas[0].title) if x)
            out.append((f"{head or clause} ({clause})", deltas))
        return out

    def to_dict(self) -> dict[str, Any]:
        out = {"old": self.old_name, "new": self.new_name,
               "unavailable": list(self.unavailable),
               "deltas": [d.to_dict() for d in self.deltas],
               "moved": list(self.moved),
               "only": [o.to_dict() for o in self.only]}
        if self.explained is not None:
            out["explained_from"] = self.explained_from
            out.update(self.explained.to_dict())
        return out


def compare_positions(old: dict[str, Any], new: dict[str, Any], old_doc: Document,
                      new_doc: Document, old_name: str = "old", new_name: str = "new"
                      ) -> PositionsComparison:
    """Typed deltas between two recorded positions ({"vars": ..., "params": ...})."""
    old_blocks, new_blocks = _by_clause(old_doc), _by_clause(new_doc)
    old_places, new_places = _places(old_doc), _places(new_doc)
    deltas: list[Delta] = []
    moved = _moved(old_places, new_places, old_doc, new_doc, old_name, new_name)
    template_where = _Changed.of(old_blocks.get(None, []), new_blocks.get(None, []))
    old_vars, new_vars = old.get("vars", {}), new.get("vars", {})
    for name in sorted(set(old_vars) | set(new_vars)):
        a, b = old_vars.get(name), new_vars.get(name)
        if _value(a) == _value(b):
            continue
        kind = (b or a)["type"]
        deltas.append(_delta(None, name, kind, _value(a), _value(b), "", "",
                             template_where))
    old_params, new_params = old.get("params", {}), new.get("params", {})
    for clause in _clause_order(old_params, new_params, new_places, old_places):
        if clause not in old_params or clause not in new_params:
            continue
        changed = _Changed.of(old_blocks.get(_base(clause), []),
                              new_blocks.get(_base(clause), []))
        title = _title(new_doc, _base(clause)) or _title(old_doc, _base(clause)) or (
            "Preamble" if _base(clause).startswith("preamble") else "")
        a_params, b_params = old_params[clause], new_params[clause]
        differing = []
        for name in list(b_params) + [n for n in a_params if n not in b_params]:
            a, b = a_params.get(name), b_params.get(name)
            if _value(a) != _value(b):
                differing.append((name, (b or a)["type"], _value(a), _value(b)))
        where = _attribute(changed, differing)
        for name, kind, a, b in differing:
            description = (b_params.get(name) or a_params.get(name) or {}).get("description", "")
            place = new_places.get(_base(clause)) or old_places.get(_base(clause))
            deltas.append(replace(_delta(clause, name, kind, a, b, description, title,
                                         where[name]),
                                  article=place.article if place else ""))
    only = [ClauseOnly(c, _title(old_doc, _base(c)), "old",
                       old_places[_base(c)].text() if _base(c) in old_places else "")
            for c in old_params if c not in new_params]
    only += [ClauseOnly(c, _title(new_doc, _base(c)), "new",
                        new_places[_base(c)].text() if _base(c) in new_places else "")
             for c in new_params if c not in old_params]
    return PositionsComparison(old_name, new_name, tuple(deltas), tuple(only),
                               moved if any(d.clause is None for d in deltas) else ())


def unavailable(old_name: str, new_name: str, reasons: list[str]) -> PositionsComparison:
    return PositionsComparison(old_name, new_name, unavailable=tuple(reasons))


def explained_positions(search: Search, ours: dict[str, Any], ours_old: bool,
                        old_doc: Document, new_doc: Document, old_name: str, new_name: str,
                        theirs: str) -> PositionsComparison:
    """The other side's positions as their text (`theirs` names it) shows them: one delta
    per parameter an explanation found, between our recorded value and theirs, where the
    explained blocks stand."""
    params = ours.get("params", {})
    places = _places(new_doc) | {k: v for k, v in _places(old_doc).items()
                                 if k not in _places(new_doc)}
    deltas = []
    for key in dict.fromkeys(e.key for e in search.explanations):
        found = [e for e in search.explanations if e.key == key]
        first = found[0]
        entry = params.get(first.clause, {}).get(first.param, {})
        old, new = (first.ours, first.theirs) if ours_old else (first.theirs, first.ours)
        delta = _delta(first.clause, first.param, first.type, old, new,
                       entry.get("description", ""), _title(new_doc, _base(first.clause))
                       or _title(old_doc, _base(first.clause)), _Changed((), ()))
        place = places.get(_base(first.clause))
        deltas.append(replace(delta, where=tuple(dict.fromkeys(e.label for e in found)),
                              article=place.article if place else ""))
    return PositionsComparison(old_name, new_name, tuple(deltas), explained=search,
                               explained_from=theirs, explained_new=ours_old)


# -- typed deltas ---------------------------------------------------------------------------


def _value(entry: dict[str, Any] | None) -> Any:
    return None if entry is None else entry.get("value")


def _delta(clause: str | None, name: str, kind: str, old: Any, new: Any, description: str,
           title: str, where: _Changed) -> Delta:
    unit = _unit(name, description)
    difference: float | int | None = None
    added: tuple[Any, ...] = ()
    removed: tuple[Any, ...] = ()
    if old is None or new is None:
        change = f"{_show(old, unit)} -> {_show(new, unit)}"
    elif kind in ("int", "float") and _is_number(old) and _is_number(new):
        difference = new - old
        change = f"{_number(old)} -> {_number(new)}{' ' + unit if unit else ''} " \
                 f"({'+' if difference >= 0 else ''}{_number(difference)})"
    elif kind == "date" and _date(old) and _date(new):
        days = (_date(new) - _date(old)).days  # type: ignore[operator]
        difference = days
        change = f"{old} -> {new} ({'+' if days >= 0 else ''}{days} days" \
                 f"{_months(_date(old), _date(new))})"
    elif kind == "list" and isinstance(old, list) and isinstance(new, list):
        removed = tuple(x for x in old if x not in new)
        added = tuple(x for x in new if x not in old)
        pieces = [f"-{old.index(x) + 1}: {x}" for x in removed]
        pieces += [f"+{new.index(x) + 1}: {x}" for x in added]
        change = "; ".join(pieces) if pieces else "same items, in another order"
    else:
        change = f"{_show(old, unit)} -> {_show(new, unit)}"
    return Delta(clause, name, kind, old, new, change, description, title, "",
                 where.labels(), where.gone(), difference, added, removed, unit)


def _unit(name: str, description: str) -> str:
    words = name.lower().split("_")
    for unit in _UNITS:
        if unit in words:
            return unit
    first = description.split(" ", 1)[0].lower() if description else ""
    return first if first in _UNITS else ""


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _number(v: float) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _date(v: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        return None


def _months(a: dt.date | None, b: dt.date | None) -> str:
    """', about 3 months' when the interval is long enough for months to help."""
    if a is None or b is None or abs((b - a).days) < 60:
        return ""
    return f", about {round(abs((b - a).days) / 30.44)} months"


def _show(v: Any, unit: str = "") -> str:
    if v is None:
        return "(not set)"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, list):
        return "; ".join(map(str, v)) or "(none)"
    return f"{v} {unit}".strip() if _is_number(v) else str(v)


# -- where values show ------------------------------------------------------------------


def _base(clause_key: str) -> str:
    return clause_key.split(":", 1)[0]


def _by_clause(doc: Document) -> dict[str | None, list[tuple[Block, str]]]:
    """Blocks of each clause, each with the label a reader would cite ("4.1", "Article 6",
    "preamble, paragraph 3")."""
    out: dict[str | None, list[tuple[Block, str]]] = {}
    article = ""
    preamble = 0
    for block in doc.blocks:
        if block.is_heading and block.level in (ARTICLE_LEVEL, PART_LEVEL):
            article = block.label
        if block.label:
            label = block.label
        elif article:
            label = article
        else:
            preamble += 1
            label = f"preamble, paragraph {preamble}"
        out.setdefault(block.clause, []).append((block, label))
    return out


@dataclass(frozen=True)
class _Changed:
    """The blocks of one clause (or of the template) whose text differs between drafts."""

    new: tuple[tuple[Block, str], ...]
    old: tuple[tuple[Block, str], ...]  # blocks of the old draft whose text is gone

    @classmethod
    def of(cls, old: list[tuple[Block, str]], new: list[tuple[Block, str]]) -> _Changed:
        old_texts = {b.text for b, _ in old}
        new_texts = {b.text for b, _ in new}
        return cls(tuple((b, lb) for b, lb in new if b.text not in old_texts),
                   tuple((b, lb) for b, lb in old if b.text not in new_texts))

    def labels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(lb for _, lb in self.new))

    def gone(self) -> tuple[str, ...]:
        """Labels of old blocks with no changed counterpart in the new draft."""
        still = {b.id for b, _ in self.new}
        return tuple(dict.fromkeys(lb for b, lb in self.old if b.id not in still))

    def mentioning(self, old_forms: list[str], new_forms: list[str]) -> _Changed:
        def has(block: Block, forms: list[str]) -> bool:
            return any(f in block.text for f in forms)

        return _Changed(tuple(x for x in self.new if has(x[0], new_forms)),
                        tuple(x for x in self.old if has(x[0], old_forms)))

    def minus(self, other: list[_Changed]) -> _Changed:
        taken_new = {b.id for c in other for b, _ in c.new}
        taken_old = {b.id for c in other for b, _ in c.old}
        return _Changed(tuple(x for x in self.new if x[0].id not in taken_new),
                        tuple(x for x in self.old if x[0].id not in taken_old))

    def __bool__(self) -> bool:
        return bool(self.new or self.old)


def _forms(value: Any, kind: str, other: Any) -> list[str]:
    """How a value can read in the text, to tell which changed block shows which value:
    numbers as digits, list items (only those not in the other list) as written, dates
    as written and as "1 July 2026"; choices and booleans choose wording, so none."""
    if value is None or kind in ("bool", "choice"):
        return []
    if kind in ("int", "float") and _is_number(value):
        return [f"({_number(value)})", f" {_number(value)} "]
    if kind == "list" and isinstance(value, list):
        others = other if isinstance(other, list) else []
        return [str(x) for x in value if x not in others and len(str(x)) >= 3]
    if kind == "date" and _date(value):
        day = _date(value)
        return [str(value), f"{day.day} {day:%B} {day.year}"]  # type: ignore[union-attr]
    text = str(value)
    return [text] if len(text) >= 3 else []


def _attribute(changed: _Changed, params: list[tuple[str, str, Any, Any]]
               ) -> dict[str, _Changed]:
    """For each (name, type, old, new) of one clause: the labels of the changed blocks that
    show its value; a parameter whose value shows nowhere (a choice, a flag) gets the
    changed blocks no other parameter accounts for, or all of them."""
    found = {name: changed.mentioning(_forms(a, kind, b), _forms(b, kind, a))
             for name, kind, a, b in params}
    rest = changed.minus([c for c in found.values() if c])
    out = {}
    for name, _, _, _ in params:
        out[name] = found[name] or rest or changed
    return out


def _places(doc: Document) -> dict[str, Place]:
    """Each clause's Article and Part, from its first heading."""
    out: dict[str, Place] = {}
    part = part_title = ""
    for block in doc.blocks:
        if block.is_heading and block.level == PART_LEVEL:
            part, part_title = block.label, block.text
        elif block.is_heading and block.level == ARTICLE_LEVEL and block.clause \
                and block.clause not in out:
            out[block.clause] = Place(block.label, part, part_title)
    return out


def _title(doc: Document, clause: str) -> str:
    return next((b.text for b in doc.blocks if b.clause == clause and b.is_heading), "")


def _moved(old: dict[str, Place], new: dict[str, Place], old_doc: Document,
           new_doc: Document, old_name: str, new_name: str) -> tuple[str, ...]:
    """Clauses that came, went or changed Part: what template variables decide."""
    out = []
    for clause, place in new.items():
        if clause not in old:
            out.append(f"{_title(new_doc, clause)}: only in {new_name}'s draft, "
                       f"{place.text()}")
        elif old[clause].part != place.part or old[clause].part_title != place.part_title:
            out.append(f"{_title(new_doc, clause)}: {old[clause].text()} -> {place.text()}")
    out += [f"{_title(old_doc, c)}: only in {old_name}'s draft, {p.text()}"
            for c, p in old.items() if c not in new]
    return tuple(out)


def _clause_order(old: dict[str, Any], new: dict[str, Any], new_places: dict[str, Place],
                  old_places: dict[str, Place]) -> list[str]:
    """Clauses in the order the new draft has them, then those only the old one has."""
    keys = list(new) + [k for k in old if k not in new]

    def order(key: str) -> tuple[int, int]:
        place = new_places.get(_base(key)) or old_places.get(_base(key))
        if place is None:
            return (1, keys.index(key))
        return (0, int(place.article.split()[-1]) if place.article.split()[-1].isdigit()
                else 0)

    return sorted(keys, key=order)
