"""Inline marks in the canonical Markdown, written and read back.

`**bold**`, `*italic*`, `[text](address)` (an address that starts with a scheme, http:
https: ftp: mailto: file:, or "#"; parentheses in it balanced, one deep), `<u>underline</u>`,
`<sup>superscript</sup>`, `<sub>subscript</sub>`, `<span class="smallcaps">small
caps</span>`. Marks are written properly nested (one that crosses another's end is closed
and opened again after any white space). A backslash before *, < or a backslash makes it
literal; `\\[` and `\\]` stay as they are, the escapes of negotiating brackets
(negotiate/brackets.py). A delimiter with no partner, and a `*` with white space after it
(opening) or before it (closing), is literal text, so "5 * 3 * 2" stays as written. Text
is written as it is when it reads back the same, so a Markdown file is printed as its
author wrote it; otherwise its `*`, `\\` and the `<` that would read as markup are
escaped (a literal "[text](https://...)" cannot be written: it reads as a link; nor can a
link whose text holds square brackets). Object tokens (`⟦image · 3fa2c1⟧`) are text,
marked as objects again when read.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import (
    BOLD,
    ITALIC,
    LINK,
    OBJECT,
    OBJECT_CLOSE,
    OBJECT_OPEN,
    SMALLCAPS,
    SUBSCRIPT,
    SUPERSCRIPT,
    UNDERLINE,
    Mark,
    merge_marks,
)

if TYPE_CHECKING:
    from .readers.mark_budget import MarkBudget

_TAGS = {"u": UNDERLINE, "sup": SUPERSCRIPT, "sub": SUBSCRIPT}
ADDRESS = r"(?:[a-z][a-z0-9+.-]*:|#)(?:[^\s()]|\([^\s()]*\))*"
# Every alternative opens with a literal character, so that the regex engine skips in C
# to the next of them (a group first made it try every alternative at every character:
# parsing the paragraphs of the WTO Agreement pair took 0.10 CPU s, now 0.02).
_TOKEN = re.compile(
    r"\\(?P<escaped>[*<\\])|\*(?P<stars>\**)|\[(?P<open_link>)"
    rf"|\]\((?P<address>{ADDRESS})\)|<(?P<close>/?)(?P<tag>u|sup|sub)>"
    r'|<(?P<span>span class="smallcaps">)|<(?P<end_span>/span>)'
    rf"|{OBJECT_OPEN}(?P<object>[^{OBJECT_OPEN}{OBJECT_CLOSE}]*){OBJECT_CLOSE}")


def _may_hold_markup(text: str) -> bool:
    """Whether a character that can open markup is in the text: five searches in C, seven
    times as fast as one regex of the five."""
    return "*" in text or "\\" in text or "[" in text or "<" in text or OBJECT_OPEN in text


@dataclass(slots=True)
class _Open:
    kind: str
    delimiter: str  # the text it was, if it stays unmatched
    value: str = ""
    matched: bool = False
    twin: bool = False  # opened in the same run of stars as the opener below it
    seq: int = 0  # when it was opened
    gone: bool = False  # closed, or left unmatched by a closer outside it


class _Stack:
    """The open marks, innermost last, with the innermost of each kind at hand: closing
    one, or asking whether a link is open, costs no scan of what is open (a scan per
    delimiter was quadratic: 50,000 "[" then 12,500 "</u>" ran for minutes)."""

    __slots__ = ("kinds", "opened", "seq")

    def __init__(self) -> None:
        self.opened: list[_Open] = []  # closed ones are dropped from it lazily
        self.kinds: dict[str, list[_Open]] = {}
        self.seq = 0

    def push(self, opener: _Open) -> _Open:
        self.seq += 1
        opener.seq = self.seq
        self.opened.append(opener)
        self.kinds.setdefault(opener.kind, []).append(opener)
        return opener

    def innermost(self, kind: str) -> _Open | None:
        same = self.kinds.get(kind)
        while same and same[-1].gone:
            same.pop()
        return same[-1] if same else None

    def close(self, opener: _Open, alone: bool) -> None:
        """Close it, and leave what was opened inside it unmatched unless `alone`."""
        opener.gone = True
        if alone:
            return
        while True:
            top = self.opened.pop()
            top.gone = True
            if top is opener:
                return


def parse_inline(text: str, budget: MarkBudget | None = None
                 ) -> tuple[str, tuple[Mark, ...]]:
    """The text without its inline markup, and the marks that markup made; each mark is
    charged to `budget` as it is made, so that a file over the limit stops here."""
    if not _may_hold_markup(text):  # most paragraphs have none
        return text, ()
    events: list[str | _Open | tuple[_Open]] = []  # text, an opener, (its opener,) = closer
    stack = _Stack()

    def close(kind: str, alone: bool = False) -> _Open | None:
        """Close the innermost `kind`, and leave what was opened inside it unmatched
        (literal) unless `alone` (its twin, opened at the same place, stays open)."""
        opener = stack.innermost(kind)
        if opener is None:
            return None
        stack.close(opener, alone)
        if budget is not None:
            budget.spend()
        opener.matched = True
        events.append((opener,))
        return opener

    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            events.append(text[pos : m.start()])
        pos = m.end()
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if m.group("escaped"):
            events.append(m.group("escaped"))
        elif m.group("stars") is not None:
            _stars(len(m.group()), before, after, stack, events, close)
        elif m.group("open_link") is not None:
            events.append(stack.push(_Open(LINK, "[")))
        elif m.group("address") is not None:
            if stack.innermost(LINK) is not None:
                found = close(LINK)
                assert found is not None
                found.value = m.group("address")
            else:
                events.append(m.group())
        elif m.group("tag"):
            kind = _TAGS[m.group("tag")]
            if m.group("close"):
                if close(kind) is None:
                    events.append(m.group())
            else:
                events.append(stack.push(_Open(kind, m.group())))
        elif m.group("span"):
            events.append(stack.push(_Open(SMALLCAPS, m.group())))
        elif m.group("end_span"):
            if close(SMALLCAPS) is None:
                events.append(m.group())
        else:
            if budget is not None:
                budget.spend()
            opener = _Open(OBJECT, "", m.group()[1:].split(":")[0].split(" ·")[0]
                           .rstrip(OBJECT_CLOSE), True)
            events += [opener, m.group(), (opener,)]
    events.append(text[pos:])
    return _resolve(events)


def _stars(n: int, before: str, after: str, stack: _Stack,
           events: list[str | _Open | tuple[_Open]], close) -> None:  # type: ignore[no-untyped-def]
    """A run of asterisks closes the innermost open bold or italic while it can (when not
    after white space), then opens bold and italic (when not before white space); what is
    left is literal."""
    if not before.isspace():
        while n:
            inner = max((o for o in (stack.innermost(BOLD), stack.innermost(ITALIC)) if o),
                        key=lambda o: o.seq, default=None)
            if inner is not None and inner.twin and n == 2:  # "***a** b*": bold ends first
                close(BOLD, alone=True)
                inner.twin = False
                n -= 2
                continue
            size = 2 if inner is not None and inner.kind == BOLD else 1
            if inner is None or n < size:
                break
            close(inner.kind)  # an unmatched "[" or tag inside it stays literal
            n -= size
    if n and not after.isspace():
        both = n >= 3
        if n >= 2:
            events.append(stack.push(_Open(BOLD, "**")))
            n -= 2
        if n:
            events.append(stack.push(_Open(ITALIC, "*", twin=both)))
            n -= 1
    if n:
        events.append("*" * n)


def _resolve(events: list[str | _Open | tuple[_Open]]) -> tuple[str, tuple[Mark, ...]]:
    pieces: list[str] = []
    starts: dict[int, int] = {}
    marks: list[Mark] = []
    size = 0
    for event in events:
        if isinstance(event, str):
            pieces.append(event)
            size += len(event)
        elif isinstance(event, _Open):
            if event.matched:
                starts[id(event)] = size
            else:
                pieces.append(event.delimiter)
                size += len(event.delimiter)
        else:
            opener = event[0]
            if starts[id(opener)] < size:
                marks.append(Mark(starts[id(opener)], size, opener.kind, opener.value))
    return "".join(pieces), merge_marks(marks)


# -- writing ----------------------------------------------------------------------

_DELIMITERS = {BOLD: ("**", "**"), ITALIC: ("*", "*"), UNDERLINE: ("<u>", "</u>"),
               SUPERSCRIPT: ("<sup>", "</sup>"), SUBSCRIPT: ("<sub>", "</sub>"),
               SMALLCAPS: ('<span class="smallcaps">', "</span>")}
_ORDER = (LINK, OBJECT, BOLD, ITALIC, UNDERLINE, SMALLCAPS, SUPERSCRIPT, SUBSCRIPT)
_PLAIN_ADDRESS = re.compile(ADDRESS, re.I)
_ADDRESS_START = r"\]\((?:[a-z][a-z0-9+.-]*:|#)"
_MARKUP_AHEAD = re.compile(r'\\|\*|<(?:/?(?:u|sup|sub)>|span class="smallcaps">|/span>)',
                           re.I)


def escape(text: str) -> str:
    """Literal text that the reader must not take for markup (square brackets are left
    alone: negotiating brackets keep their own escapes, brackets.py)."""
    if not any(c in text for c in "\\*<"):
        return text
    return _MARKUP_AHEAD.sub(lambda m: "\\" + m.group(), text)


def opening(mark: Mark) -> str:
    return "[" if mark.kind == LINK else _DELIMITERS[mark.kind][0]


def closing(mark: Mark) -> str:
    if mark.kind == LINK:
        address = mark.value
        if not _PLAIN_ADDRESS.fullmatch(address):  # spaces or parentheses it cannot hold
            address = re.sub(r"[\s()]", lambda m: f"%{ord(m.group()):02X}", address)
        return f"]({address})"
    return _DELIMITERS[mark.kind][1]


def render_inline(text: str, marks: tuple[Mark, ...]) -> str:
    """The text with its marks as Markdown; as written where that reads back the same."""
    if not marks and not _may_hold_markup(text):
        return text
    expected = (text, merge_marks(marks))
    shown = tuple(m for m in marks if m.kind != OBJECT and m.kind in (LINK, *_DELIMITERS))
    plain = nest(text, shown, str, opening, closing)
    if parse_inline(plain) == expected:
        return plain
    return nest(text, shown, escape, opening, closing)


def nest(text: str, marks: tuple[Mark, ...], literal: Callable[[str], str],
         opening: Callable[[Mark], str], closing: Callable[[Mark], str]) -> str:
    """The text (each piece through `literal`) with the marks opened and closed properly
    nested, in Markdown or HTML alike: a mark that another's end crosses is closed and
    opened again, after any white space there."""
    shown = sorted(marks, key=_opening_order)
    if not shown:
        return literal(text)
    # heaps, not sorted lists with scans: a crossing mark reopened, or a mark that ends,
    # costs a logarithm, not a pass over every open mark (10,000 links nested in a
    # paragraph took 11 s)
    cuts = sorted({0, len(text), *(m.start for m in shown), *(m.end for m in shown)})
    seen = set(cuts)
    pending = [(_opening_order(m), n, m) for n, m in enumerate(shown)]  # already a heap
    added = len(pending)
    out: list[str] = []
    stack: list[Mark] = []
    ends: dict[int, int] = {}  # how many open marks end at each position
    while cuts:
        at = heapq.heappop(cuts)
        reopen = []
        while ends.get(at):
            top = stack.pop()
            ends[top.end] -= 1
            out.append(closing(top))
            if top.end != at:
                reopen.append(top)
        for mark in reopen:
            start = at + len(text[at : mark.end]) - len(text[at : mark.end].lstrip())
            if start < mark.end:
                again = Mark(start, mark.end, mark.kind, mark.value)
                heapq.heappush(pending, (_opening_order(again), added, again))
                added += 1
                if start not in seen:
                    seen.add(start)
                    heapq.heappush(cuts, start)
        while pending and pending[0][2].start == at:
            mark = heapq.heappop(pending)[2]
            out.append(opening(mark))
            stack.append(mark)
            ends[mark.end] = ends.get(mark.end, 0) + 1
        if cuts:
            out.append(literal(text[at : cuts[0]]))
    return "".join(out)


def trim_marks(text: str, marks: tuple[Mark, ...]) -> tuple[Mark, ...]:
    """Marks without the white space at their edges (object tokens as they are)."""
    out = []
    for mark in marks:
        start, end = mark.start, mark.end
        if mark.kind != OBJECT:
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
        if start < end:
            out.append(Mark(start, end, mark.kind, mark.value))
    return tuple(sorted(out))


def _opening_order(mark: Mark) -> tuple[int, int, int]:
    """Where it opens; of those opening together the longest first (the outer one)."""
    return mark.start, -mark.end, _ORDER.index(mark.kind)
