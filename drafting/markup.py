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

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

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

_TAGS = {"u": UNDERLINE, "sup": SUPERSCRIPT, "sub": SUBSCRIPT}
ADDRESS = r"(?:[a-z][a-z0-9+.-]*:|#)(?:[^\s()]|\([^\s()]*\))*"
_TOKEN = re.compile(
    r"\\(?P<escaped>[*<\\])|(?P<stars>\*+)|(?P<open_link>\[)"
    rf"|\]\((?P<address>{ADDRESS})\)|<(?P<close>/?)(?P<tag>u|sup|sub)>"
    r'|(?P<span><span class="smallcaps">)|(?P<end_span></span>)'
    rf"|(?P<object>{OBJECT_OPEN}[^{OBJECT_OPEN}{OBJECT_CLOSE}]*{OBJECT_CLOSE})")
_SPECIAL = re.compile(rf"[\\*\[<{OBJECT_OPEN}]")


@dataclass(slots=True)
class _Open:
    kind: str
    delimiter: str  # the text it was, if it stays unmatched
    value: str = ""
    matched: bool = False
    twin: bool = False  # opened in the same run of stars as the opener below it


def parse_inline(text: str) -> tuple[str, tuple[Mark, ...]]:
    """The text without its inline markup, and the marks that markup made."""
    if not _SPECIAL.search(text):
        return text, ()
    events: list[str | _Open | tuple[_Open]] = []  # text, an opener, (its opener,) = closer
    stack: list[_Open] = []

    def close(kind: str, alone: bool = False) -> _Open | None:
        """Close the innermost `kind`, and leave what was opened inside it unmatched
        (literal) unless `alone` (its twin, opened at the same place, stays open)."""
        for k in range(len(stack) - 1, -1, -1):
            if stack[k].kind == kind:
                opener = stack[k]
                if alone:
                    del stack[k]
                    stack[k].twin = False
                else:
                    del stack[k:]
                opener.matched = True
                events.append((opener,))
                return opener
        return None

    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            events.append(text[pos : m.start()])
        pos = m.end()
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if m.group("escaped"):
            events.append(m.group("escaped"))
        elif m.group("stars"):
            _stars(len(m.group("stars")), before, after, stack, events, close)
        elif m.group("open_link"):
            opener = _Open(LINK, "[")
            stack.append(opener)
            events.append(opener)
        elif m.group("address") is not None:
            if any(o.kind == LINK for o in stack):
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
                stack.append(_Open(kind, m.group()))
                events.append(stack[-1])
        elif m.group("span"):
            stack.append(_Open(SMALLCAPS, m.group()))
            events.append(stack[-1])
        elif m.group("end_span"):
            if close(SMALLCAPS) is None:
                events.append(m.group())
        else:
            opener = _Open(OBJECT, "", m.group()[1:].split(":")[0].split(" ·")[0]
                           .rstrip(OBJECT_CLOSE), True)
            events += [opener, m.group(), (opener,)]
    events.append(text[pos:])
    return _resolve(events)


def _stars(n: int, before: str, after: str, stack: list[_Open],
           events: list[str | _Open | tuple[_Open]], close) -> None:  # type: ignore[no-untyped-def]
    """A run of asterisks closes the innermost open bold or italic while it can (when not
    after white space), then opens bold and italic (when not before white space); what is
    left is literal."""
    if not before.isspace():
        while n:
            inner = next((o for o in reversed(stack) if o.kind in (BOLD, ITALIC)), None)
            if inner is not None and inner.twin and n == 2:  # "***a** b*": bold ends first
                close(BOLD, alone=True)
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
            stack.append(_Open(BOLD, "**"))
            events.append(stack[-1])
            n -= 2
        if n:
            stack.append(_Open(ITALIC, "*", twin=both))
            events.append(stack[-1])
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
    if not marks and not _SPECIAL.search(text):
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
    cuts = sorted({0, len(text), *(m.start for m in shown), *(m.end for m in shown)})
    out: list[str] = []
    stack: list[Mark] = []
    pending = list(shown)
    k = 0
    while k < len(cuts):
        at = cuts[k]
        reopen = []
        while any(m.end == at for m in stack):
            top = stack.pop()
            out.append(closing(top))
            if top.end != at:
                reopen.append(top)
        for mark in reopen:
            start = at + len(text[at : mark.end]) - len(text[at : mark.end].lstrip())
            if start < mark.end:
                bisect.insort(pending, Mark(start, mark.end, mark.kind, mark.value),
                              key=_opening_order)
                if start not in cuts:
                    bisect.insort(cuts, start)
        while pending and pending[0].start == at:
            mark = pending.pop(0)
            out.append(opening(mark))
            stack.append(mark)
        if k + 1 < len(cuts):
            out.append(literal(text[at : cuts[k + 1]]))
        k += 1
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
