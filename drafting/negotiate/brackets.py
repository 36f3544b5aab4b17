"""Square brackets as data: every bracketed span, alternative set and stray bracket of a
Document, each located by Article, paragraph and source line.

Negotiators compare bracket counts from round to round, so the rules are fixed here:

What is a bracket
  The characters "[" and "]" only; braces and parentheses are text. A backslash-escaped
  "\\[" or "\\]" counts too: it is how Markdown, and pandoc converting a Word draft, writes a
  literal bracket (the backslash is not part of the span's text). Markdown syntax is not
  negotiating text, and its brackets are skipped:
  - footnote markers "[^3]", also where "[^3]:" opens a footnote;
  - inline links and images "[text](target)" whose target looks like an address (a scheme
    "https://" or "mailto:", or "/", "./", "../", "#", "www.", or a file name such as
    "annex.pdf"), so "paragraph [x](a) above" is a bracket followed by "(a)", not a link;
  - reference links "[text][ref]", "[ref][]" and "[ref]" where the document defines
    "[ref]: address", and those definitions.
  Everything else counts, including brackets in headings and in footnote text.

Matching
  One stack over the whole document in reading order. A "[" still open at the end of a
  paragraph, a heading or an Article stays open (drafts bracket whole paragraphs and
  Articles) until a "]" closes it. A "]" with nothing open is a stray where it stands and is
  otherwise ignored: the depth never goes below zero, so it cannot shift later matching. A
  "[" still open at the end of the document is a stray located where it opened. Because
  brackets may legitimately stay open across paragraphs, a missing "]" shows only at the
  end: the bracket stays open until the next surplus "]", however far on, closes it.
  `depth` counts the brackets open around a span (0 = outermost). Brackets nested more than
  MAX_DEPTH deep (real drafts stop near 10) are refused with a DraftingError: each span keeps
  its text, so deeper nesting of hostile input would cost memory as the square of its size.

Alternatives
  A maximal run of two or more spans with the same parent, each "[" following the previous
  span's "]" in the same block with nothing between but whitespace (a line break inside a
  paragraph is whitespace) and footnote markers: "[a][b]", "[a] [b]", "[a][^2][b]",
  "\\[a\\]\\[b\\]". A block boundary ends a run: consecutive bracketed paragraphs are
  separate proposals.

Side labels
  "[US: within 30 days]" has label "US": right after the "[", an upper-case letter and up to
  19 more upper-case letters, digits or hyphens ("DPRK", "G77"), then ": ". Capitalised
  words are not labels: the Paris drafts have "[Preamble: ...]" and "[Placeholder: ...]".
  Span.text keeps the label as written.

Where things are
  `article` is the label of the Article (or Part, Annex, Chapter, Section) heading above,
  with an unlabelled heading that names an Article ("[Article 3bis] (REDD-plus)") and a
  "bis"/"ter" after the number taken into account; "preamble" before the first; "footnotes"
  from the first footnote definition "[^1]: ..." to the next heading. A span, and an
  alternative set, counts where it opens. `line` is the source line where the bracket's
  block starts (see `block_lines`): a paragraph is one block however many lines it has.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import DraftingError
from ..model import (
    ARTICLE_LEVEL,
    PARAGRAPH,
    UNNUMBERED,
    Block,
    Document,
    citations,
    from_outside,
)

_BRACKET = re.compile(r"[\[\]]")
_FOOTNOTE = re.compile(r"(?<!\\)\[\^[^\s\[\]]+\]")
_FOOTNOTE_DEFINITION = re.compile(r"\[\^[^\s\[\]]+\]:")
_INLINE_LINK = re.compile(
    r"(?<!\\)\[[^\[\]]*(?P<close>\])\((?:<(?P<bracketed>[^<>\n]*)>|(?P<target>[^\s()<>]+))"
    r"""(?:\s+(?:"[^"]*"|'[^']*'))?\)""")
_ADDRESS = re.compile(
    r"[a-z][a-z0-9+.-]*://|mailto:|[/#]|\.\.?/|www\.|\S*\.[a-z][a-z0-9]{1,4}(?:#\S*)?$", re.I)
_PAIR = re.compile(r"(?<!\\)\[(?P<inside>[^\[\]]*)\]")  # innermost pair, for reference links
_DEFINITION = re.compile(r"\s*\[(?P<label>[^\^\[\]][^\[\]]*)\]:[ \t]*<?(?P<target>[^\s<>]+)>?"
                         r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?""")
# What may stand between two alternatives: whitespace, footnote markers, the next one's "\".
_GAP = re.compile(r"(?:\s|\[\^[^\s\[\]]+\])*\\?")
_SIDE = re.compile(r"(?P<label>[A-Z][A-Z0-9-]{0,19}): ")
_NAMES_ARTICLE = re.compile(r"\W*article\s+(?P<number>\w+)", re.I)
_SUFFIX = re.compile(r"(bis|ter|quater|quinquies|sexies|septies|octies|novies|decies)\b", re.I)
# The Markdown reader's rules for where a block starts (drafting/readers/markdown.py).
_STARTS_BLOCK = re.compile(r"#|[-*+]\s|\d{1,6}\.\s|\((?:[a-z]{1,3}|[ivx]{1,5})\)\s")
_HEADING_NAME = re.compile(r"(article|part|annex|chapter|section)\s+([0-9]+|[IVXLCDM]+)\b",
                           re.I)

MAX_DEPTH = 50
PREAMBLE = "preamble"
FOOTNOTES = "footnotes"


@dataclass(frozen=True, slots=True)
class Position:
    """Where a bracket stands: the block and offset for programs, the rest for people."""

    block: int  # index into document.blocks
    offset: int  # character offset in that block's text
    label: str  # the block as cited (model.citations): "Article 3", "3.2", "Article 3, 2.", ""
    article: str  # "Article 3", "ARTICLE III", "preamble", "footnotes" ...
    line: int | None  # 1-based source line where the block starts, when known
    place: str  # for people: "Article 3.2" (ours), "Article 3, 2." (a file's), "Article 3"

    def describe(self) -> str:
        """"Article 4.2 (line 117)": the paragraph when it has a number, else the Article."""
        return self.place if self.line is None else f"{self.place} (line {self.line})"

    def to_dict(self) -> dict[str, Any]:
        return {"block": self.block, "offset": self.offset, "label": self.label,
                "article": self.article, "line": self.line}


@dataclass(frozen=True, slots=True)
class Span:
    """One matched [ ... ]; `end` is the position of its "]"."""

    start: Position
    end: Position
    depth: int
    text: str  # inside the brackets, blocks joined by "\n"
    label: str | None  # side label ("US") when the text starts with one

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.to_dict(), "end": self.end.to_dict(), "depth": self.depth,
                "text": self.text, "label": self.label}


@dataclass(frozen=True, slots=True)
class AlternativeSet:
    """Two or more adjacent spans with the same parent: [a][b][c]."""

    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Stray:
    """An unmatched "]" (where it stands) or an unclosed "[" (where it opened)."""

    char: str
    position: Position
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"char": self.char, "position": self.position.to_dict(), "message": self.message}


@dataclass(frozen=True, slots=True)
class BracketReport:
    spans: tuple[Span, ...]  # in the order they open
    alternatives: tuple[AlternativeSet, ...]
    strays: tuple[Stray, ...]

    def by_article(self) -> list[tuple[str, int, int, int]]:
        """(article, spans, alternative sets, strays) in document order; bracket-free
        articles are left out."""
        items = [(s.start, 0) for s in self.spans]
        items += [(a.spans[0].start, 1) for a in self.alternatives]
        items += [(s.position, 2) for s in self.strays]
        items.sort(key=lambda item: (item[0].block, item[0].offset))
        counts: dict[str, list[int]] = {}
        for position, kind in items:
            counts.setdefault(position.article, [0, 0, 0])[kind] += 1
        return [(article, row[0], row[1], row[2]) for article, row in counts.items()]

    def to_dict(self) -> dict[str, Any]:
        """For `--json`: alternative sets refer to spans by their index in "spans"."""
        index = {span: n for n, span in enumerate(self.spans)}
        return {
            "counts": {"spans": len(self.spans), "alternatives": len(self.alternatives),
                       "strays": len(self.strays)},
            "by_article": [{"article": a, "spans": s, "alternatives": k, "strays": t}
                           for a, s, k, t in self.by_article()],
            "spans": [s.to_dict() for s in self.spans],
            "alternatives": [[index[s] for s in alt.spans] for alt in self.alternatives],
            "strays": [s.to_dict() for s in self.strays],
        }


@dataclass(slots=True)
class _Open:
    position: Position
    follows: int | None  # the span whose "]" this "[" stands right after, if any


def parse(document: Document, source_lines: Sequence[int] | None = None) -> BracketReport:
    """All spans, alternative sets and strays of `document`. `source_lines[i]` is the
    1-based source line where block i starts (see `block_lines`)."""
    blocks = document.blocks
    if source_lines is not None and len(source_lines) != len(blocks):
        raise ValueError(f"{len(source_lines)} source lines for {len(blocks)} blocks")
    cited = citations(blocks)
    articles = _articles(blocks, cited)
    outside = from_outside(blocks)
    places = [_place(block, label, article, outside)
              for block, label, article in zip(blocks, cited, articles, strict=True)]
    references = _reference_labels(blocks)
    stack: list[_Open] = []
    spans: list[Span] = []
    runs: list[int] = []  # per span (in closing order): the first span of its run
    strays: list[Stray] = []
    last: tuple[int, int, int] | None = None  # block, end, index of the span closed last
    for b, block in enumerate(blocks):
        text = block.text
        markdown = _markdown_brackets(text, references)
        line = source_lines[b] if source_lines is not None else None
        for match in _BRACKET.finditer(text):
            at = match.start()
            if at in markdown:
                continue
            position = Position(b, at, cited[b], articles[b], line, places[b])
            if text[at] == "[":
                if len(stack) == MAX_DEPTH:
                    raise DraftingError(f"brackets nested more than {MAX_DEPTH} deep in "
                                        f"{position.describe()}", line=line)
                follows = last[2] if last and last[0] == b and _GAP.fullmatch(
                    text, last[1], at) else None
                stack.append(_Open(position, follows))
                last = None
            elif stack:
                opened = stack.pop()
                runs.append(len(spans) if opened.follows is None else runs[opened.follows])
                spans.append(_span(blocks, opened.position, position, len(stack)))
                last = (b, at + 1, len(spans) - 1)
            else:
                strays.append(_stray("]", position))
                last = None
    strays += [_stray("[", opened.position) for opened in stack]
    return _report(spans, runs, strays)


def count_text(text: str) -> BracketReport:
    """The report for a plain string: one block per run of non-blank lines, no headings."""
    paragraphs = list(_plain_paragraphs(text))
    blocks = tuple(Block(PARAGRAPH, UNNUMBERED, f"auto:{n}", "", body)
                   for n, (_, body) in enumerate(paragraphs, 1))
    return parse(Document("", blocks), [line for line, _ in paragraphs])


def block_lines(text: str) -> list[int]:
    """The 1-based line where each block of `drafting.readers.markdown.read_text(text)`
    starts: that reader keeps no line numbers, so this repeats its splitting rules (a
    paragraph is a run of non-blank lines; a "#" line is a block of its own; a list item
    "- ...", "1. ..." or "(a) ..." starts a block; a first "# Title" is the title, not a block)."""
    starts: list[int] = []
    continues = False  # whether a non-blank line would join the block above
    first = ""
    for n, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = raw.strip()
        if not line:
            continues = False
        elif not (continues and not _STARTS_BLOCK.match(line)):
            starts.append(n)
            first = first or line
            continues = not line.startswith("#")
    if first.startswith("# ") and not _HEADING_NAME.match(first[2:].strip()):
        starts.pop(0)
    return starts


# -- matching helpers ----------------------------------------------------------------------

def _span(blocks: Sequence[Block], start: Position, end: Position, depth: int) -> Span:
    last = blocks[end.block].text
    stop = end.offset - 1 if _escaped(last, end.offset) else end.offset  # "\]" ends before "\"
    if start.block == end.block:
        inside = last[start.offset + 1:stop]
    else:
        inside = "\n".join([blocks[start.block].text[start.offset + 1:],
                            *(b.text for b in blocks[start.block + 1:end.block]), last[:stop]])
    side = _SIDE.match(inside)
    return Span(start, end, depth, inside, side.group("label") if side else None)


def _escaped(text: str, at: int) -> bool:
    """Whether text[at] follows an odd run of backslashes."""
    n = at
    while n and text[n - 1] == "\\":
        n -= 1
    return (at - n) % 2 == 1


def _stray(char: str, position: Position) -> Stray:
    what = "unclosed '[' opened in" if char == "[" else "unmatched ']' in"
    return Stray(char, position, f"{what} {position.describe()}")


def _report(spans: list[Span], runs: list[int], strays: list[Stray]) -> BracketReport:
    """Put everything in document order; spans were collected in closing order."""
    groups: dict[int, list[Span]] = {}
    for span, run in zip(spans, runs, strict=True):
        groups.setdefault(run, []).append(span)
    alternatives = sorted((AlternativeSet(tuple(g)) for g in groups.values() if len(g) > 1),
                          key=lambda a: _order(a.spans[0].start))
    return BracketReport(
        spans=tuple(sorted(spans, key=lambda s: _order(s.start))),
        alternatives=tuple(alternatives),
        strays=tuple(sorted(strays, key=lambda s: _order(s.position))),
    )


def _order(position: Position) -> tuple[int, int]:
    return position.block, position.offset


# -- where things are ----------------------------------------------------------------------

def _articles(blocks: Sequence[Block], cited: Sequence[str]) -> list[str]:
    """The article name each block stands in."""
    names: list[str] = []
    article, in_footnotes = PREAMBLE, False
    for block, label in zip(blocks, cited, strict=True):
        if block.is_heading:
            in_footnotes = False
            if block.level <= ARTICLE_LEVEL:
                article = _heading_name(block, label) or article
        elif block.note is not None or _FOOTNOTE_DEFINITION.match(block.text):
            in_footnotes = True
        names.append(FOOTNOTES if in_footnotes else article)
    return names


def _heading_name(heading: Block, cited: str) -> str | None:
    """"Article 3", "Article 8bis" for label "Article 8" and text "bis", "Article 3bis" for
    an unlabelled "[Article 3bis] (REDD-plus)", "Part II", "ARTICLE III" as a file prints
    it; None for "Preamble"."""
    if heading.label:
        suffix = _SUFFIX.match(heading.text)
        return cited + suffix.group(1).lower() if suffix else cited
    named = _NAMES_ARTICLE.match(heading.text)
    return f"Article {named.group('number')}" if named else None


def _place(block: Block, cited: str, article: str, outside: bool) -> str:
    """Where people look for a block: a file's own label as cited ("Article 4, 2."); our
    paragraph 4.2 as "Article 4.2"; a heading, or a paragraph with no label, by its
    Article."""
    if outside or not block.label:
        return cited if cited and not block.is_heading else article
    number = article.removeprefix("Article ")
    if not (cited[:1].isdigit() or cited.startswith("(")):
        return article
    if cited.startswith((f"{number}.", f"{number}(")):
        return f"Article {cited}"
    return f"{article}, {cited}"


# -- Markdown brackets that are not negotiation brackets -----------------------------------

def _markdown_brackets(text: str, references: frozenset[str]) -> set[int]:
    """Offsets of the "[" and "]" that belong to footnotes, links and link definitions."""
    if "[" not in text:
        return set()
    skip: set[int] = set()
    if "[^" in text:
        for m in _FOOTNOTE.finditer(text):
            skip.update((m.start(), m.end() - 1))
    if "](" in text:
        for m in _INLINE_LINK.finditer(text):
            target = m.group("bracketed") if m.group("target") is None else m.group("target")
            if _ADDRESS.match(target):
                skip.update((m.start(), m.start("close")))
    if references:
        if _definitions(text) is not None:
            return skip | {m.start() for m in _BRACKET.finditer(text)}
        skip.update(_reference_links(text, references))
    return skip


def _reference_labels(blocks: Sequence[Block]) -> frozenset[str]:
    """Labels defined by "[ref]: address" blocks, normalised as Markdown compares them."""
    labels: set[str] = set()
    for block in blocks:
        labels.update(_definitions(block.text) or ())
    return frozenset(labels)


def _definitions(text: str) -> list[str] | None:
    """The labels when `text` is nothing but link reference definitions, else None."""
    if "]:" not in text:
        return None
    labels: list[str] = []
    at, end = 0, len(text.rstrip())
    while at < end:
        m = _DEFINITION.match(text, at)
        if not m or not _ADDRESS.match(m.group("target")):
            return None
        labels.append(_normal(m.group("label")))
        at = m.end()
    return labels or None


def _reference_links(text: str, references: frozenset[str]) -> Iterator[int]:
    """Brackets of "[text][ref]", "[ref][]" and "[ref]" where ref is defined."""
    pairs = list(_PAIR.finditer(text))
    n = 0
    while n < len(pairs):
        pair = pairs[n]
        after = pairs[n + 1] if n + 1 < len(pairs) and pairs[n + 1].start() == pair.end() \
            else None
        if after and _normal(after.group("inside") or pair.group("inside")) in references:
            yield from (pair.start(), pair.end() - 1, after.start(), after.end() - 1)
            n += 2
            continue
        if not text.startswith("(", pair.end()) and _normal(pair.group("inside")) in references:
            yield from (pair.start(), pair.end() - 1)
        n += 1


def _normal(label: str) -> str:
    return " ".join(label.split()).casefold()


def _plain_paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(first line, text) of each run of non-blank lines."""
    start, lines = 0, []
    for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if not line.strip():
            if lines:
                yield start, "\n".join(lines)
            lines = []
        else:
            start = start if lines else n
            lines.append(line)
    if lines:
        yield start, "\n".join(lines)
