"""Turn one reading's paragraphs into a Document: the first Title paragraph is the title;
headings come from the style or outline level (model level = outline level + 1); Word's
list numbers, as Word shows them, and typed labels are kept as written and read the way
the Markdown reader reads them (bullets carry none; a number counts even on an empty
paragraph, as Word shows it); ids come from our bookmarks, else they are positional
("auto:<n>"). A note reference is a token ("[^1]", "[^ei]") where its mark is, and each
note a block after the body, labelled by that token (notes.py).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property

from ...model import ENDNOTE, FOOTNOTE, PARAGRAPH, UNNUMBERED, Block, CellPlace, Document, Mark
from ..labels import Labeller, marks_of
from .body import NOTE_CLOSE, NOTE_OPEN, Item
from .ids import Identity
from .notes import NoteFormat, NoteNumbers, Notes, strip_references
from .numbering import Counters, Numbering
from .styles import BODY_OUTLINE
from .views import Line, flatten

TITLE = "title"


@dataclass(frozen=True)
class Reading:
    document: Document
    located: dict[int, str]  # Word paragraph index -> label or "paragraph N"

    @cached_property
    def _order(self) -> list[int]:
        return sorted(self.located)

    def nearest(self, index: int) -> str:
        """Where a Word paragraph that this reading dropped (empty, or not in it) would
        be: at the next paragraph that remains, else the last."""
        keys = self._order
        if not keys:
            return "document"
        return self.located[keys[min(bisect_left(keys, index), len(keys) - 1)]]


def build(body: list[Item], notes: Notes, formats: dict[str, NoteFormat], view: int,
          numbering: Numbering, identities: dict[str, Identity], warnings: list[str],
          story: str | None = None) -> Reading:
    """`warnings` gets what the Document cannot carry. A `story` (a header or footer, by
    name) has no title: its blocks carry the story's name."""
    styles = numbering.styles
    counters = Counters(numbering)
    labeller = Labeller()
    title: str | None = None
    blocks: list[Block] = []
    located: dict[int, str] = {}  # Word paragraph index -> where it ended up
    used: set[str] = set()
    references = NoteNumbers(formats)

    def add(kind: str, level: int, label: str, text: str, sources: list[int],
            bookmarks: list[str], written: str | None = None, note: str | None = None,
            cell: CellPlace | None = None, marks: tuple[Mark, ...] = ()) -> None:
        if written == label:
            written = None  # Word shows our own label: print it as ours
        who = next((identities[b] for b in bookmarks
                    if b in identities and identities[b].id not in used), None)
        n = len(blocks) + 1
        if who is not None:
            used.add(who.id)
            if kind == PARAGRAPH and who.level is not None:
                level = who.level  # e.g. an unnumbered closing paragraph inside an Article
            block = Block(kind, level, who.id, label, text, who.clause, who.edition,
                          written=written, note=note, cell=cell, marks=marks, story=story)
        else:
            block = Block(kind, level, f"auto:{story}:{n}" if story else f"auto:{n}", label,
                          text, written=written, note=note, cell=cell, marks=marks,
                          story=story)
        blocks.append(block)
        where = block.shown_label or story or (cell.describe() if cell else f"paragraph {n}")
        for source in sources:
            located[source] = where

    lines = flatten(body, view)
    for line in lines:
        _resolve_notes(references, line)
        style = line.props.style or styles.default_paragraph
        ref = numbering.resolve(line.props.numpr, style)
        number = counters.next(*ref).strip() if ref else ""
        if title is None and story is None and styles.is_title(style) and line.text:
            title = line.text
            located.update((source, TITLE) for source in line.sources)
            continue
        if styles.is_front_matter(style):
            located.update((source, TITLE) for source in line.sources)
            continue
        if not line.text and not number and not line.keep:
            continue
        outline = line.props.outline if line.props.outline is not None else \
            styles.outline(style)
        depth = outline + 1 if outline is not None and outline < BODY_OUTLINE else 0
        if number:
            kind, level, label, text, written = labeller.numbered(number, line.text, depth)
        else:
            kind, level, label, text, written = labeller.typed(line.text, depth)
        if text or label or written or line.keep:
            add(kind, level, label, text, line.sources, line.bookmarks, written,
                cell=line.cell, marks=marks_of(line.text, text, line.marks))

    missing = {FOOTNOTE: 0, ENDNOTE: 0}
    for kind, note_id, label in references.referenced():
        if note_id not in notes[kind]:
            missing[kind] += 1
        parts = flatten(notes[kind].get(note_id, []), view)
        text = " ".join(strip_references(part.text) for part in parts if part.text)
        if any(part.cell for part in parts):
            warnings.append(f"{kind} {label} holds a table: its cells are read as its text")
        elif sum(1 for part in parts if part.text) > 1:
            warnings.append(f"{kind} {label} has several paragraphs: joined into one")
        add(PARAGRAPH, UNNUMBERED, label, " ".join(text.split()),
            [source for part in parts for source in part.sources], [], note=kind)
    warnings.extend(f"{count} {kind} reference{'s' if count > 1 else ''} to no {kind} in the "
                    "file: kept as empty notes" for kind, count in missing.items() if count)
    return Reading(Document(title or "", tuple(blocks)), located)


def _resolve_notes(references: NoteNumbers, line: Line) -> None:
    """The line's note placeholders made their tokens ("[^1]"), its marks moved with the
    text around them."""
    if not line.marks or NOTE_OPEN not in line.text:
        line.text = references.resolve(line.text)
        return
    text, pieces, moves = line.text, [], []  # moves: (raw start, raw end, new start, new end)
    at = size = 0
    while (start := text.find(NOTE_OPEN, at)) >= 0 and (end := text.find(NOTE_CLOSE, start)) > 0:
        pieces.append(text[at:start])
        size += start - at
        said = references.resolve(text[start : end + 1])
        moves.append((start, end + 1, size, size + len(said)))
        pieces.append(said)
        size += len(said)
        at = end + 1
    pieces.append(text[at:])

    raw_ends = [move[1] for move in moves]

    def moved(position: int) -> int:
        """Found by bisection: a scan of the moves per mark was quadratic in a paragraph
        of thousands of formatted references."""
        k = bisect_right(raw_ends, position)
        shift = moves[k - 1][3] - moves[k - 1][1] if k else 0
        if k == len(moves):
            return position + shift
        return position + shift if position <= moves[k][0] else moves[k][2]

    line.text = "".join(pieces)
    line.marks = [Mark(moved(m.start), moved(m.end), m.kind, m.value) for m in line.marks]
