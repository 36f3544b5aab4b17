"""Phasing side by side: for each phase (a Part of the agreement), what each party must do
in each side's draft, with its time limits; what one party must do is what the other
receives. Then what moved between phases, what one draft has and the other has not, and
the time limits that differ.

Articles are matched across the drafts by the clause they come from (their title when a
text has no clause ids); obligations within an Article by bearer, modality and the first
words of the action with numbers left out, so that "within 45 days" against "within 60
days" is one obligation whose time limit changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..model import ARTICLE_LEVEL, PART_LEVEL, Document, citations, from_outside
from .obligations import Obligation, extract, sides_of

BOTH = "both"
_NUMBERISH = re.compile(r"\b(?:\d[\d,]*|\(\d+\)|(?:one|two|three|four|five|six|seven|eight|"
                        r"nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|"
                        r"seventy|eighty|ninety|hundred|thousand|and)(?:-\w+)?)\b")


@dataclass(frozen=True)
class Duty:
    """An Article's obligations of one party in one draft, as a matrix cell line."""

    article: str  # "Article 4", as obligation rows cite it ("ARTICLE III")
    title: str
    limits: tuple[str, ...]  # "45 days", "1 May 2026"
    actions: tuple[str, ...]
    ours: bool = True  # our label, shortened to "Art. 4"; a file's stays as it prints it

    def text(self) -> str:
        limits = f" ({'; '.join(self.limits)})" if self.limits else ""
        number = self.article.replace("Article ", "Art. ") if self.ours else self.article
        return f"{number} {self.title}{limits}".strip()

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "title": self.title, "limits": list(self.limits),
                "actions": list(self.actions)}


@dataclass(frozen=True)
class PhaseRow:
    phase: str
    # side of the draft -> party (side key or BOTH) -> duties
    duties: dict[str, dict[str, list[Duty]]]

    def to_dict(self) -> dict[str, Any]:
        return {"phase": self.phase, "drafts": {
            draft: {party: [d.to_dict() for d in duties] for party, duties in parties.items()}
            for draft, parties in self.duties.items()}}


@dataclass(frozen=True)
class Moved:
    titles: tuple[str, ...]
    old_articles: tuple[str, ...]
    old_phase: str
    new_articles: tuple[str, ...]
    new_phase: str

    def text(self, old_name: str, new_name: str) -> str:
        what = ", ".join(self.titles)
        return (f"{what} ({_span(self.old_articles)} in {old_name}'s draft, "
                f"{_phase(self.old_phase)}) stand{'s' * (len(self.titles) == 1)} in "
                f"{_phase(self.new_phase)} in {new_name}'s draft ({_span(self.new_articles)})")

    def to_dict(self) -> dict[str, Any]:
        return {"titles": list(self.titles), "old_articles": list(self.old_articles),
                "old_phase": self.old_phase, "new_articles": list(self.new_articles),
                "new_phase": self.new_phase}


@dataclass(frozen=True)
class OneSided:
    draft: str  # side key of the draft that has it
    row: Obligation

    def to_dict(self) -> dict[str, Any]:
        return {"in": self.draft, "label": self.row.label, "bearer": self.row.bearer,
                "modality": self.row.modality, "action": self.row.action,
                "phase": self.row.phase}


@dataclass(frozen=True)
class LimitDelta:
    old: Obligation
    new: Obligation

    @property
    def difference(self) -> int | None:
        a, b = self.old.time_limit, self.new.time_limit
        if a and b and a.days is not None and b.days is not None:
            return b.days - a.days
        return None

    def text(self) -> str:
        a, b = self.old.time_limit, self.new.time_limit
        diff = self.difference
        delta = f" ({'+' if diff >= 0 else ''}{diff} days)" if diff is not None else ""
        where = self.new.label if self.new.label == self.old.label else \
            f"{self.old.label} -> {self.new.label}"
        if a and b and a.event == b.event and a.unit == b.unit and a.amount is not None \
                and b.amount is not None:
            change = f"{a.amount} -> {b.amount} {a.unit}" + (
                f" from {a.event}" if a.event else "")
        else:
            change = f"{a.short if a else 'no time limit'} -> {b.short if b else 'no time limit'}"
        return (f"{where} {self.new.bearer or '(no one named)'} {self.new.modality} "
                f"{self.new.action}: {change}{delta}")

    def to_dict(self) -> dict[str, Any]:
        return {"old_label": self.old.label, "new_label": self.new.label,
                "bearer": self.new.bearer, "action": self.new.action,
                "old": self.old.time_limit.to_dict() if self.old.time_limit else None,
                "new": self.new.time_limit.to_dict() if self.new.time_limit else None,
                "difference": self.difference}


@dataclass(frozen=True)
class Phasing:
    title: str
    sides: dict[str, str]  # party key -> name ("us" -> "United States of America")
    old: str  # side key (or name) of the first draft
    new: str
    names: dict[str, str]  # draft key -> short name used in sentences ("US")
    rows: tuple[PhaseRow, ...]
    moved: tuple[Moved, ...] = ()
    only: tuple[OneSided, ...] = ()
    limits: tuple[LimitDelta, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)  # draft -> obligations found

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "sides": self.sides, "old": self.old, "new": self.new,
                "phases": [r.to_dict() for r in self.rows],
                "moved": [m.to_dict() for m in self.moved],
                "only": [o.to_dict() for o in self.only],
                "time_limits": [d.to_dict() for d in self.limits]}


def compare_phasing(old_doc: Document, new_doc: Document, sides: dict[str, str],
                    old: str, new: str, names: dict[str, str]) -> Phasing:
    old_rows, new_rows = extract(old_doc), extract(new_doc)
    phases = _phase_order(old_doc, new_doc)
    rows = []
    ours = {old: not from_outside(old_doc.blocks), new: not from_outside(new_doc.blocks)}
    for phase in phases:
        rows.append(PhaseRow(phase, {old: _duties(old_rows, phase, sides, ours[old]),
                                     new: _duties(new_rows, phase, sides, ours[new])}))
    only, limits = _matched(old_rows, new_rows, old_doc, new_doc, old, new)
    return Phasing(new_doc.title or old_doc.title, sides, old, new, names, tuple(rows),
                   tuple(_moves(old_doc, new_doc)), tuple(only), tuple(limits),
                   {old: len(old_rows), new: len(new_rows)})


def _phase_order(a: Document, b: Document) -> list[str]:
    order: list[str] = []
    for doc in (b, a):
        for block, cited in zip(doc.blocks, citations(doc.blocks), strict=True):
            if block.is_heading and block.level == PART_LEVEL:
                name = block.text or cited
                if name not in order:
                    order.append(name)
    return order or [""]


def _binding(row: Obligation) -> bool:
    return row.modality.split()[0] in ("shall", "must", "will", "undertakes", "agrees")


def _duties(rows: list[Obligation], phase: str, sides: dict[str, str], ours: bool
            ) -> dict[str, list[Duty]]:
    by_party: dict[str, dict[str, list[Obligation]]] = {k: {} for k in [*sides, BOTH]}
    for row in rows:
        if row.phase != phase or not _binding(row):
            continue
        parties = sides_of(row.bearer, sides)
        if not parties:
            continue
        key = BOTH if len(parties) > 1 else parties[0]
        by_party[key].setdefault(row.article, []).append(row)
    out: dict[str, list[Duty]] = {}
    for party, articles in by_party.items():
        out[party] = [Duty(article, members[0].article_title,
                           tuple(dict.fromkeys(_limit(r) for r in members if r.time_limit)),
                           tuple(r.action for r in members), ours)
                      for article, members in articles.items()]
    return out


def _limit(row: Obligation) -> str:
    t = row.time_limit
    assert t is not None
    if t.amount is not None:
        return f"{t.amount} {t.unit}"
    return t.event or t.short


def _article_key(doc: Document) -> dict[str, str]:
    """Article as obligation rows cite it -> identity (clause id, else title)."""
    out = {}
    for block, cited in zip(doc.blocks, citations(doc.blocks), strict=True):
        if block.is_heading and block.level == ARTICLE_LEVEL:
            out[cited or block.text] = block.clause or block.text.lower()
    return out


def _action_key(row: Obligation) -> str:
    words = _NUMBERISH.sub(" ", row.action.lower()).split()
    return " ".join(words[:4])


def _matched(old_rows: list[Obligation], new_rows: list[Obligation], old_doc: Document,
             new_doc: Document, old: str, new: str
             ) -> tuple[list[OneSided], list[LimitDelta]]:
    old_ids, new_ids = _article_key(old_doc), _article_key(new_doc)

    def keyed(rows: list[Obligation], ids: dict[str, str]) -> dict[tuple[str, ...], Obligation]:
        out: dict[tuple[str, ...], Obligation] = {}
        for row in rows:
            if not _binding(row):
                continue
            key = (ids.get(row.article, row.article), row.bearer or "", row.modality,
                   _action_key(row))
            out.setdefault(key, row)
        return out

    a, b = keyed(old_rows, old_ids), keyed(new_rows, new_ids)
    only = [OneSided(old, row) for key, row in a.items() if key not in b]
    only += [OneSided(new, row) for key, row in b.items() if key not in a]
    limits = []
    for key, row in b.items():
        before = a.get(key)
        if before is None:
            continue
        x, y = before.time_limit, row.time_limit
        if (x is None) != (y is None) or (x and y and (x.amount, x.unit, x.event) !=
                                          (y.amount, y.unit, y.event)):
            limits.append(LimitDelta(before, row))
    return only, limits


class _Place(NamedTuple):
    key: str  # clause id, else title
    title: str
    cited: str  # as people find it (model.citations): "Article 11", "ARTICLE III"
    phase: str
    label: str  # the structure behind it, "Article 3", for telling neighbours


def _moves(old_doc: Document, new_doc: Document) -> list[Moved]:
    """Articles standing in another Part, runs of neighbours taken together."""
    def places(doc: Document) -> list[_Place]:
        out, phase = [], ""
        for block, cited in zip(doc.blocks, citations(doc.blocks), strict=True):
            if block.is_heading and block.level == PART_LEVEL:
                phase = block.text or cited
            elif block.is_heading and block.level == ARTICLE_LEVEL:
                out.append(_Place(block.clause or block.text.lower(), block.text, cited, phase,
                                  block.label))
        return out

    old_places = {p.key: p for p in places(old_doc)}
    runs: list[list[tuple[_Place, _Place]]] = []
    for now in places(new_doc):
        before = old_places.get(now.key)
        if before is None or before.phase == now.phase:
            continue
        last = runs[-1][-1] if runs else None
        if last and last[0].phase == before.phase and last[1].phase == now.phase \
                and _next(last[0].label, before.label) and _next(last[1].label, now.label):
            runs[-1].append((before, now))
        else:
            runs.append([(before, now)])
    return [Moved(tuple(b.title for _, b in run), tuple(a.cited for a, _ in run),
                  run[0][0].phase, tuple(b.cited for _, b in run), run[0][1].phase)
            for run in runs]


def _next(a: str, b: str) -> bool:
    x, y = a.split()[-1], b.split()[-1]
    return x.isdigit() and y.isdigit() and int(y) == int(x) + 1


def _phase(name: str) -> str:
    """"Phase One: Freeze and Verification" -> "Phase One"."""
    return name.split(":")[0].strip() or "no Part"


def _span(labels: tuple[str, ...]) -> str:
    if len(labels) == 1:
        return labels[0]
    return f"Articles {labels[0].split()[-1]}-{labels[-1].split()[-1]}"
