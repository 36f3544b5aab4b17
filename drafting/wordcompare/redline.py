"""The redline of two Word files, written into the newer one: its package stays as it is
(styles, numbering, headers, images, fields, settings) and the changes from the older
file are tracked changes in its XML, as Word's and LibreOffice's Compare Document do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from ..errors import DraftingError
from ..readers.docx.package import Package
from ..readers.docx.xml import w
from .carry import Carrier
from .comments import Comments, unreadable
from .lost_margins import carry_lost, file_margins
from .marks import INS, Marker
from .notes import KINDS, Notes, notes_of
from .parts import Parts
from .pending import ACCEPT, REFUSE, REJECT, resolve
from .story import Story
from .walk import Atoms, Walker, paragraphs

FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # when the newer file says no date
_STORY_KINDS = ("footnotes", "endnotes", "header", "footer", "comments")
_CORE_NS = "http://purl.org/dc/terms/"


@dataclass(frozen=True)
class Redline:
    data: bytes
    changes: int  # tracked changes written
    warnings: tuple[str, ...]  # what the redline could not bring in as the older file had it
    resolved: tuple[str, ...] = ()  # the files' own tracked changes, accepted or rejected


def redline_files(old: bytes, new: bytes, old_name: str, new_name: str, author: str,
                  pending: str = ACCEPT, internal: bool = False) -> Redline:
    """The newer file `new` with the changes from `old` tracked in it; `pending` says what
    to do first with tracked changes already in either file (accept, reject, or refuse
    the file); `internal`: our own team's copy, which may keep the older file's links to
    files (links.py)."""
    if pending not in (ACCEPT, REJECT, REFUSE):
        raise ValueError(f"pending must be accept, reject or refuse, not {pending!r}")
    sides = (Parts(Package(old, old_name)), Parts(Package(new, new_name)))
    # the older file's comments may be unreadable: comments.py says so, and brings none
    skipped = {sides[0].related(sides[0].main, "comments")} if unreadable(sides[0]) else set()
    resolved = tuple(line for parts, skip in zip(sides, (skipped, set()), strict=True)
                     for line in _resolved(parts, pending, skip))
    old_parts, new_parts = sides
    moment = _date(new_parts)
    marker = Marker(author, moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
    atoms = Atoms()
    walkers: dict[tuple[str, str], Walker] = {}

    def walker(side: str, part: str) -> Walker:
        if (side, part) not in walkers:
            parts = old_parts if side == "old" else new_parts
            walkers[side, part] = Walker(atoms, _resolver(parts, part))
        return walkers[side, part]

    margins = [{m.name: m.part for m in file_margins(parts)} for parts in sides]
    stories = [new_parts.main, *(p for kind in KINDS.values()
                                 if (p := new_parts.related(new_parts.main, kind))),
               *margins[1].values()]
    carrier = Carrier(old_parts, new_parts, stories, internal)
    comments = Comments(old_parts, new_parts, marker, carrier.bring, stories)
    carrier.comments = comments
    notes = Notes(old_parts, new_parts, carrier, marker, walker)
    pairs: list[tuple[str, str, str]] = []

    def story(old_part: str, new_part: str) -> Story:
        return Story(marker, carrier, walker("old", old_part), walker("new", new_part),
                     old_part, new_part, pairs, notes.carry)

    old_body = old_parts.xml(old_parts.main).find(w("body"))
    new_body = new_parts.xml(new_parts.main).find(w("body"))
    body = story(old_parts.main, new_parts.main)
    body.container(body.old_walker.container(old_body), body.new_walker.container(new_body),
                   new_body)
    _notes(notes, pairs, story, walker)
    for name, new_part in margins[1].items():  # headers and footers, paired by name
        old_part = margins[0].get(name)
        s = story(old_part or new_part, new_part)
        new_root = new_parts.xml(new_part)
        s.container(s.old_walker.container(old_parts.xml(old_part)) if old_part else [],
                    s.new_walker.container(new_root), new_root)

    def deleted(old_part: str, new_part: str, root: etree._Element) -> None:
        s = story(old_part, new_part)
        s.container(s.old_walker.container(old_parts.xml(old_part)), [], root)

    warnings = carry_lost(old_parts, new_parts, [n for n in margins[0] if n not in margins[1]],
                          deleted, stories)
    comments.finish()
    return Redline(new_parts.to_bytes(moment), marker.count,
                   tuple(warnings + notes.warnings + carrier.warnings + comments.warnings),
                   resolved)


def _notes(notes: Notes, pairs: list[tuple[str, str, str]], story, walker) -> None:  # type: ignore[no-untyped-def]
    """Compare the paired notes; mark inserted the newer file's notes no pair reached."""
    done = set()
    for kind, old_id, new_id in pairs:
        old_part, new_part = notes.parts[kind]
        if old_part is None or new_part is None or (kind, new_id) in done:
            continue
        a = notes_of(notes.old.xml(old_part), kind).get(old_id)
        b = notes_of(notes.new.xml(new_part), kind).get(new_id)
        if a is None or b is None:
            continue
        done.add((kind, new_id))
        s = story(old_part, new_part)
        s.container(s.old_walker.container(a), s.new_walker.container(b), b)
    carried = {(kind, new_id) for (kind, _), new_id in notes.carried.items()}
    for kind in KINDS:
        new_part = notes.parts[kind][1]
        if new_part is None:
            continue
        for new_id, note in notes_of(notes.new.xml(new_part), kind).items():
            if (kind, new_id) in done or (kind, new_id) in carried:
                continue
            for para in paragraphs(walker("new", new_part).container(note)):
                notes.marker.wrap((p.node for p in para.pieces), INS)


def _resolved(parts: Parts, pending: str, skipped: set[str | None]) -> list[str]:
    """Resolve the tracked changes already in a file's stories (but `skipped`); a warning
    naming them."""
    names = [parts.main, *(r.target for r in parts.rels(parts.main).values()
                           if r.kind in _STORY_KINDS and not r.external
                           and parts.has(r.target) and r.target not in skipped)]
    found: Counter[str] = Counter()
    for name in dict.fromkeys(names):
        found += resolve(parts.xml(name), ACCEPT if pending == REFUSE else pending)
    if not found:
        return []
    if pending == REFUSE:
        raise DraftingError("refused: the file has tracked changes of its own (--pending "
                            "refuse)", parts.source)
    what = ", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in sorted(found.items()))
    verb = "accepted" if pending == ACCEPT else "rejected"
    return [f"{parts.source}: has tracked changes of its own ({what}); {verb} before "
            "comparing"]


def _resolver(parts: Parts, part: str):  # type: ignore[no-untyped-def]
    """What a relationship id of `part` points at, the same in both files for the same
    image or link: a URL, or the hash of the target part's bytes."""
    cache: dict[str, str] = {}
    hashed: dict[str, str] = {}  # by target part: thousands of ids naming one picture hash it once

    def resolve_id(rid: str) -> str:
        if rid not in cache:
            rel = parts.rels(part).get(rid)
            if rel is None:
                cache[rid] = ""
            elif rel.external:
                cache[rid] = rel.target
            else:
                if rel.target not in hashed:
                    data = parts.read(rel.target) if parts.has(rel.target) else b""
                    hashed[rel.target] = hashlib.sha256(data).hexdigest()
                cache[rid] = hashed[rel.target]
        return cache[rid]

    return resolve_id


def _date(parts: Parts) -> dt.datetime:
    """The newer file's own modification date (so the same files give the same bytes)."""
    core = next((r.target for r in parts.rels("").values()
                 if r.kind == "core-properties" and parts.has(r.target)), None)
    if core is not None:
        modified = parts.xml(core).find(f"{{{_CORE_NS}}}modified")
        if modified is not None and modified.text:
            try:
                return dt.datetime.fromisoformat(modified.text.strip().replace("Z", "+00:00")
                                                 ).astimezone(dt.UTC).replace(microsecond=0)
            except ValueError:
                pass
    return FIXED_DATE

