"""Where each revision stands in an agreement's history: its number, its parents, forks.

A revision records its number (`seq`) when it is built; one recorded before numbers were is
numbered along its parent chain. So the `r5` someone quoted stays that revision after two
clones are merged with git, even when both built an r5: that is a fork, shown with the
tip of each branch, and closed by the next build, which records the other tips (`merges`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_HASH = re.compile(r"[0-9a-f]{64}")
Link = tuple[str | None, int | None]  # (parent, recorded seq)


@dataclass(frozen=True)
class RevisionInfo:
    """What `log` and ref resolution need, without loading the whole document."""

    id: str
    side: str
    parent: str | None
    time: str
    author: str
    message: str
    articles: int
    words: int
    inputs: str = ""
    seq: int = 0
    merges: tuple[str, ...] = ()  # other branch tips this revision was built on (after a fork)

    @property
    def short(self) -> str:
        return self.id[:10]


@dataclass(frozen=True)
class Fork:
    """Revisions that follow the same parent (or several first revisions): what a git merge
    of two clones that both built gives. Each branch is named by its tip's id."""

    parent: RevisionInfo | None  # None: separate histories, each with its own r1
    children: tuple[RevisionInfo, ...]
    tips: tuple[RevisionInfo, ...]  # the latest revision along each child's branch
    joined: RevisionInfo | None = None  # the first revision built on all of them

    def describe(self) -> str:
        where = (f"fork after r{self.parent.seq} {self.parent.short}" if self.parent
                 else "separate histories")
        children = " and ".join(f"r{c.seq} {c.short} ({c.side}, {c.author})"
                                for c in self.children)
        if self.joined is not None:
            return f"{where}: {children}; joined again in r{self.joined.seq} {self.joined.short}"
        tips = " and ".join(f"@{t.short} (r{t.seq})" for t in self.tips)
        return f"{where}: {children}; branch tips {tips}"


def is_revision_id(value: object) -> bool:
    return isinstance(value, str) and bool(_HASH.fullmatch(value))


def link(record: dict[str, Any]) -> Link | None:
    """(parent, recorded seq) of a record, when both are of the right type."""
    parent, seq = record.get("parent"), record.get("seq")
    if parent is not None and not is_revision_id(parent):
        return None
    if seq is not None and not (type(seq) is int and seq >= 1):
        return None
    return parent, seq


def in_order(rows: dict[str, dict[str, Any]], damaged: dict[str, Link]) -> list[RevisionInfo]:
    """Infos of rows (id -> the fields of RevisionInfo, `seq` as recorded or None) in
    sequence order. An unrecorded number is the parent's plus one, through a damaged parent
    too (its link, never its content); a revision whose parent is missing starts a line of
    its own."""
    links = {**damaged, **{i: (row["parent"], row["seq"]) for i, row in rows.items()}}
    seqs: dict[str, int] = {}
    for rev_id in rows:
        chain: list[str] = []
        current: str | None = rev_id
        while current in links and current not in seqs:
            parent, recorded = links[current]
            if recorded is not None:
                seqs[current] = recorded
                break
            chain.append(current)
            current = parent
        base = seqs.get(current, 0) if current is not None else 0
        for n, chained in enumerate(reversed(chain), 1):
            seqs[chained] = base + n
    ordered = sorted(rows.values(), key=lambda row: (seqs[row["id"]], row["time"], row["id"]))
    names = RevisionInfo.__dataclass_fields__
    return [RevisionInfo(**{**{k: v for k, v in row.items() if k in names},
                            "seq": seqs[row["id"]], "merges": tuple(row["merges"])})
            for row in ordered]


def next_place(infos: list[RevisionInfo]) -> tuple[str | None, int, list[str]]:
    """(parent, seq, merges) of a revision built now: the latest revision is its parent, its
    number the next after the highest, and every other branch tip is merged."""
    latest = infos[-1] if infos else None
    linked = {i.parent for i in infos} | {m for i in infos for m in i.merges}
    merges = sorted(i.id for i in infos if i.id not in linked and i is not latest)
    return (latest.id if latest else None, max((i.seq for i in infos), default=0) + 1,
            merges)


def forks(infos: list[RevisionInfo]) -> list[Fork]:
    """Where the history branches, oldest first (empty for one straight line)."""
    by_id = {i.id: i for i in infos}
    children: dict[str | None, list[RevisionInfo]] = {}
    for info in infos:  # a missing parent is verify's business, not a fork
        children.setdefault(info.parent, []).append(info)

    def tip(info: RevisionInfo) -> RevisionInfo:
        while children.get(info.id):
            info = children[info.id][-1]
        return info

    def ancestry(info: RevisionInfo) -> set[str]:
        seen, todo = set(), [info.id]
        while todo:
            current = todo.pop()
            if current in by_id and current not in seen:
                seen.add(current)
                todo += [p for p in (by_id[current].parent, *by_id[current].merges) if p]
        return seen

    joins = [(i, ancestry(i)) for i in infos if i.merges]
    found = []
    for parent, kids in children.items():
        if len(kids) > 1:
            tips = tuple(tip(k) for k in kids)
            joined = next((i for i, seen in joins if all(t.id in seen for t in tips)), None)
            found.append(Fork(by_id.get(parent) if parent else None, tuple(kids), tips,
                              joined))
    return found
