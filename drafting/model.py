"""The document model every stage shares: readers and the assembler produce it, the store
keeps it, the diff engine compares it, writers print it.

A Document is an ordered list of Blocks. Numbers ("Article 3", "3.2") live in labels: in
our own drafts they are computed, never typed. A document read from outside keeps its
labels as its authors printed them ("ARTICLE III", "(a).", ".2") in `written`, beside the
label we recognise in them, which gives the structure (Article 3, its paragraph 2) that
alignment, renumbering and cross-reference checks work on. A block's id is stable across
renumbering so that comparisons can align by what a block *is* rather than where it
happens to stand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

HEADING = "heading"
PARAGRAPH = "paragraph"
FOOTNOTE, ENDNOTE = "footnote", "endnote"  # what a note block is (Block.note)

PART_LEVEL = 1  # heading levels: 1 Part, 2 Article, 3+ sub-headings of imported files
ARTICLE_LEVEL = 2
UNNUMBERED, NUMBERED, ITEM = 0, 1, 2  # paragraph levels

# Ids a reader had to invent from position ("auto:p12") say nothing about identity.
_POSITIONAL_ID = re.compile(r"^auto:|#p\d+(\.\d+)?$|#h\d+$")


@dataclass(frozen=True, slots=True)
class Ref:
    """A cross-reference inside a block's text: text[start:end] is the target's label."""

    start: int
    end: int
    target: str


# Inline marks: formatting and hyperlinks over a span of a block's text, and the visible
# tokens that stand for opaque objects (images, equations, text boxes...).
BOLD, ITALIC, UNDERLINE = "bold", "italic", "underline"
SUPERSCRIPT, SUBSCRIPT, SMALLCAPS = "superscript", "subscript", "smallcaps"
LINK = "link"  # value: the URL, or "#anchor" for a place in the same document
OBJECT = "object"  # value: what the token stands for (image, equation, text box...)
MARK_KINDS = (BOLD, ITALIC, UNDERLINE, SUPERSCRIPT, SUBSCRIPT, SMALLCAPS, LINK, OBJECT)
OBJECT_OPEN, OBJECT_CLOSE = "⟦", "⟧"  # not "[": square brackets are negotiating brackets


@dataclass(frozen=True, slots=True, order=True)
class Mark:
    """text[start:end] is bold, a link to `value`, an object token... Marks of one block
    are sorted and never empty; marks of different kinds may overlap."""

    start: int
    end: int
    kind: str
    value: str = ""

    def to_list(self) -> list[Any]:
        return [self.start, self.end, self.kind, *([self.value] if self.value else [])]


def clip_marks(marks: tuple[Mark, ...] | list[Mark], start: int, end: int
               ) -> tuple[Mark, ...]:
    """The marks over text[start:end], counted from `start` (what a reader keeps when it
    cuts a label off the front of a paragraph)."""
    out = []
    for m in marks:
        a, b = max(m.start, start) - start, min(m.end, end) - start
        if a < b:
            out.append(Mark(a, b, m.kind, m.value))
    return tuple(sorted(out))


def merge_marks(marks: list[Mark] | tuple[Mark, ...]) -> tuple[Mark, ...]:
    """Marks of one kind and value that touch or overlap made one; sorted."""
    merged: dict[tuple[str, str], list[Mark]] = {}
    for mark in sorted(marks):
        same = merged.setdefault((mark.kind, mark.value), [])
        if same and mark.start <= same[-1].end:
            if mark.end > same[-1].end:
                same[-1] = Mark(same[-1].start, mark.end, mark.kind, mark.value)
        else:
            same.append(mark)
    return tuple(sorted(m for ms in merged.values() for m in ms if m.start < m.end))


@dataclass(frozen=True, slots=True)
class CellPlace:
    """Where a block stands in a table, so that writers can rebuild it: the table's number
    in the document (from 1, in the order tables open, nested ones included), the row and
    the cell in that row (from 1), the grid columns the cell spans, and whether it starts
    a vertical merge ("restart") or is merged into the cell above ("continue"). A nested
    table's cells carry the place of the cell that holds it in `outer`."""

    table: int
    row: int
    cell: int
    span: int = 1
    merge: str = ""  # "", "restart" or "continue"
    outer: CellPlace | None = None

    def chain(self) -> tuple[CellPlace, ...]:
        """The places from the outermost table in."""
        places = [self]
        while places[-1].outer is not None:
            places.append(places[-1].outer)  # type: ignore[arg-type]
        return tuple(reversed(places))

    def describe(self) -> str:
        """For people: "table 1, row 2, cell 3" (the innermost table)."""
        return f"table {self.table}, row {self.row}, cell {self.cell}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"table": self.table, "row": self.row, "cell": self.cell}
        if self.span != 1:
            out["span"] = self.span
        if self.merge:
            out["merge"] = self.merge
        if self.outer is not None:
            out["outer"] = self.outer.to_dict()
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CellPlace:
        """Its JSON form, walked without recursion (a revision file may nest "outer" as
        deep as JSON can; Document.from_dict refuses what is over the readers' limit)."""
        places = [d]
        while places[-1].get("outer") is not None:
            places.append(places[-1]["outer"])
        place = None
        for x in reversed(places):
            place = cls(x["table"], x["row"], x["cell"], x.get("span", 1), x.get("merge", ""),
                        place)
        return place  # type: ignore[return-value]


def note_label(kind: str, number: str) -> str:
    """The token that stands for a note where its mark is, and labels the note block:
    "[^1]" for footnote 1, "[^ei]" for endnote i (numbers as the file shows them)."""
    return f"[^{'e' if kind == ENDNOTE else ''}{number}]"


@dataclass(frozen=True, slots=True)
class Block:
    """One heading or paragraph: what it is (kind, level), how it is cited (label), its
    text, and the id that stays with it across renumbering."""

    kind: str  # HEADING or PARAGRAPH
    level: int
    id: str
    label: str  # "Part I", "Article 3", "3.2", "3.2(a)" or ""
    text: str
    clause: str | None = None  # clause id the block came from
    edition: int | None = None  # that clause's edition
    refs: tuple[Ref, ...] = ()
    # Read from a file: its label as printed ("ARTICLE III", "1.", "(a)."), None for
    # our own drafts; and how its Markdown line began ("##", "    ") where that is not
    # what the Markdown writer would put, so that `draft show` prints the file back.
    written: str | None = None
    lead: str | None = None
    # A footnote or endnote (FOOTNOTE, ENDNOTE): its label is the token ("[^1]", "[^ei]")
    # that stands in the text of the block that refers to it, where its mark is.
    note: str | None = None
    cell: CellPlace | None = None  # where the block stands when it is in a table
    marks: tuple[Mark, ...] = ()  # over `text`, sorted (see Mark)
    # A block of a story beside the body (a Word file's header or footer): the story's
    # name for people ("header", "first-page footer, section 2"); None in the body
    story: str | None = None

    @property
    def is_heading(self) -> bool:
        return self.kind == HEADING

    @property
    def marker(self) -> str:
        """What stands before the text when printed: the label as the file wrote it, or
        ours: "Article 3", "3.2", "(a)"."""
        if self.written is not None:
            return self.written
        if self.kind == PARAGRAPH and self.level == ITEM and "(" in self.label:
            return self.label[self.label.rindex("(") :]
        return self.label

    @property
    def shown_label(self) -> str:
        """The label as printed, "" for a block that has none (a bullet's "-" is none)."""
        return self.marker if self.label else ""

    @property
    def cell_shape(self) -> tuple[int, int, str, int] | None:
        """Where in a table the block stands, as far as a comparison cares: its cell's
        position in the row, span, merge and nesting depth (None outside tables). Table
        and row numbers are left out: a row inserted above shifts them, as an inserted
        Article renumbers the rest."""
        place = self.cell
        return None if place is None else (place.cell, place.span, place.merge,
                                           len(place.chain()))

    @property
    def stable_id(self) -> bool:
        """True when the id names the block itself, not merely its position."""
        return bool(self.id) and not _POSITIONAL_ID.search(self.id)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "level": self.level,
            "id": self.id,
            "label": self.label,
            "text": self.text,
        }
        if self.clause is not None:
            out["clause"] = self.clause
            out["edition"] = self.edition
        if self.refs:
            out["refs"] = [[r.start, r.end, r.target] for r in self.refs]
        if self.written is not None:
            out["written"] = self.written
        if self.lead is not None:
            out["lead"] = self.lead
        if self.note is not None:
            out["note"] = self.note
        if self.cell is not None:
            out["cell"] = self.cell.to_dict()
        if self.marks:
            out["marks"] = [m.to_list() for m in self.marks]
        if self.story is not None:
            out["story"] = self.story
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Block:
        return cls(
            kind=d["kind"],
            level=d["level"],
            id=d["id"],
            label=d["label"],
            text=d["text"],
            clause=d.get("clause"),
            edition=d.get("edition"),
            refs=tuple(Ref(*r) for r in d.get("refs", ())),
            written=d.get("written"),
            lead=d.get("lead"),
            note=d.get("note"),
            cell=CellPlace.from_dict(d["cell"]) if d.get("cell") is not None else None,
            marks=tuple(Mark(*m) for m in d.get("marks", ())),
            story=d.get("story"),
        )


_SEPARATOR = re.compile(r"[\s.:—–-]+$")  # what joins "Article 2." to its title
AFTER = "paragraph after "


def from_outside(blocks: Sequence[Block]) -> bool:
    """Whether the blocks were read from a file (some label kept as the file prints it),
    not assembled by us."""
    return any(b.written is not None for b in blocks)


def citations(blocks: Sequence[Block]) -> tuple[str, ...]:
    """How each block is cited for people (an obligation's row, a bracket's place, a move,
    a renumbering, a stale reference), "" where it has nothing to be cited by.

    Our own drafts: the label the assembler computed ("Article 4", "4.1", "4.1(a)"). A file
    from outside: the label as the file prints it, alone where no other block of the file
    prints the same ("ARTICLE III", "5-1"), else after the citation of what it stands in,
    a heading's with a comma, a paragraph's with a space or none ("Article 2, 1.", "4.2(c)",
    "Article 2, 1. (a)."); every labelled block of one kind in one place is cited the same
    way. A heading is cited without the separator before its title ("Article 2." ->
    "Article 2"). A paragraph with no label of its own is never given one: in a table,
    its cell ("table 1, row 2, cell 3"); else "paragraph after X" for the labelled
    paragraph X it follows under the same heading, else that heading ("Section 1.01,
    (a)"), else "". One of a header or footer is cited by its story ("footer")."""
    if not from_outside(blocks):
        return tuple(b.label or _story_place(b) for b in blocks)
    own: list[str | None] = []
    parent: list[int | None] = []  # what a labelled block stands in
    under: list[int | None] = []  # the labelled heading a block stands under
    headings: list[tuple[int, int]] = []  # (level, index) of the enclosing labelled headings
    paragraph: int | None = None  # the labelled paragraph items stand in
    for i, block in enumerate(blocks):
        heading = block.kind == HEADING  # (is_heading, without a property call per use)
        shown = block.marker if block.label else None  # a Word number that is ours: ours
        if shown and heading and shown[:1].isalpha():
            shown = _SEPARATOR.sub("", shown)
        own.append(shown)
        if heading:
            while headings and headings[-1][0] >= block.level:
                headings.pop()
            paragraph = None
        under.append(headings[-1][1] if headings else None)
        parent.append(paragraph if block.level == ITEM and not heading
                      and paragraph is not None else under[-1])
        if heading and shown:
            headings.append((block.level, i))
        elif not heading and block.level != ITEM:
            paragraph = i if shown else None
    return _cited(blocks, own, parent, under)


def _cited(blocks: Sequence[Block], own: list[str | None], parent: list[int | None],
           under: list[int | None]) -> tuple[str, ...]:
    """Each label alone, or after its parent's citation where some label of its kind in
    the same parent is printed more than once in the file."""
    counts: dict[str, int] = {}
    for label in own:
        if label:
            counts[label] = counts.get(label, 0) + 1
    qualified: set[tuple[object, ...]] = set()
    for block, label, up in zip(blocks, own, parent, strict=True):
        if label and counts[label] > 1 and up is not None:
            qualified.add((up, block.kind, block.level))
    out: list[str] = []
    last = ""  # the last labelled paragraph's citation under the current heading
    for block, label, up, heading in zip(blocks, own, parent, under, strict=True):
        if block.is_heading:
            last = ""
        if not label and block.story is not None:
            out.append(_story_place(block))
            continue
        if not label:
            out.append("" if block.is_heading else block.cell.describe() if block.cell
                       else AFTER + last if last else out[heading] if heading is not None
                       else "")
            continue
        if up is not None and (up, block.kind, block.level) in qualified:
            label = out[up] + _joint(blocks[up], out[up], label) + label
        out.append(label)
        last = "" if block.is_heading else label
    return tuple(out)


def _story_place(block: Block) -> str:
    """A block of a header or footer, cited by its story (and cell): "footer", "header,
    table 1, row 1, cell 2"; "" for a block of the body."""
    if block.story is None:
        return ""
    return block.story + (", " + block.cell.describe() if block.cell else "")


def _joint(parent: Block, cited: str, label: str) -> str:
    """What stands between a citation and the label under it: a comma after a heading
    ("Article 2, 1."), nothing between a number and its item ("4.2(c)", as drafters write
    it), else a space ("1. (a).")."""
    if parent.is_heading:
        return ", "
    return "" if cited[-1:].isdigit() and label.startswith("(") else " "


@dataclass(frozen=True, slots=True)
class Document:
    """A title and its blocks in order: what readers and the assembler make, the store
    keeps and the diff compares."""

    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "blocks": [b.to_dict() for b in self.blocks]}

    @classmethod
    def from_dict(cls, d: dict[str, Any], source: str | Path | None = None) -> Document:
        """Its JSON form (a revision file, a record), refused with one line (DraftingError
        naming `source`) when its tables or marks go over the limits the readers hold a
        Markdown or Word file to (readers/grid.py, readers/mark_budget.py): writers build
        every grid cell a table declares and pay for every mark. Marks are counted before
        any is built."""
        from .readers import grid
        from .readers.mark_budget import MarkBudget

        MarkBudget(source).spend(sum(len(b.get("marks", ())) for b in d["blocks"]))
        blocks = tuple(Block.from_dict(b) for b in d["blocks"])
        grid.check(blocks, source)
        return cls(title=d["title"], blocks=blocks)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    def find(self, block_id: str) -> Block | None:
        return next((b for b in self.blocks if b.id == block_id), None)

    def article_count(self) -> int:
        return sum(1 for b in self.blocks if b.is_heading and b.level == ARTICLE_LEVEL)

    def word_count(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)

    def plain_text(self) -> str:
        """Block texts, one per line: what a redline accepted or rejected must reproduce."""
        return "\n".join(b.text for b in self.blocks)


@dataclass(frozen=True)
class Comment:
    """A reviewer's comment on a revision: kept with it (not in its text), anchored to the
    words it quotes in one block, and written back as a Word comment."""

    id: str
    author: str
    initials: str
    date: str  # as the file has it, "" when absent
    text: str
    quoted: str = ""  # the words it is anchored to
    block: str | None = None  # id of the block those words are in
    label: str = ""  # that block as cited for people (citations): "4.2", "Article 2, 1."
    parent: str | None = None  # the comment this one answers
    done: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "author": self.author, "initials": self.initials,
                "date": self.date, "text": self.text, "quoted": self.quoted,
                "block": self.block, "label": self.label, "parent": self.parent,
                "done": self.done}


BOOKMARK_PREFIX = "_Dft_"


def bookmark_name(block_id: str, key: bytes | None = None) -> str:
    """The hidden Word bookmark that carries a block's id through a .docx: writers set it,
    readers recover the id from it (Word allows 40 characters of letters, digits and _).
    With the workspace's key it is an HMAC, which only that workspace can map back."""
    import hashlib  # here, not at start: a diff of two files makes no bookmark
    import hmac

    digest = hmac.new(key, block_id.encode(), hashlib.sha256) if key else \
        hashlib.sha256(block_id.encode())
    return BOOKMARK_PREFIX + digest.hexdigest()[:12]



# -- the Change model: what `draft diff` found ------------------------------------------

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
# Block statuses
SAME, CHANGED, INSERTED, DELETED, MOVED = "equal", "changed", "inserted", "deleted", "moved"


@dataclass(frozen=True, slots=True)
class Op:
    """A run of text: kept, inserted or deleted. `kind` says what a change is (text,
    number, modal, case, punctuation, whitespace); `move` links the two ends of moved words."""

    op: str
    text: str
    kind: str | None = None
    move: str | None = None

    def to_list(self) -> list[Any]:
        out: list[Any] = [self.op, self.text]
        if self.kind or self.move:
            out.append(self.kind)
        if self.move:
            out.append(self.move)
        return out



@dataclass(frozen=True, slots=True)
class FormatChange:
    """Text the same on both sides whose inline marks changed: new_text[start:end] lost
    `removed` and gained `added` ("bold", "link https://..." )."""

    start: int
    end: int
    text: str
    removed: tuple[str, ...]
    added: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"at": [self.start, self.end], "text": self.text, "removed": list(self.removed),
                "added": list(self.added)}

    def describe(self) -> str:
        said = [f"+{k}" for k in self.added] + [f"-{k}" for k in self.removed]
        return f"“{self.text}” {' '.join(said)}"


def _block_ref(block: Block | None) -> dict[str, Any] | None:
    if block is None:
        return None
    out = {"id": block.id, "kind": block.kind, "level": block.level, "label": block.label,
           "clause": block.clause}
    if block.written is not None:
        out["written"] = block.written
    if block.note is not None:
        out["note"] = block.note
    if block.cell is not None:
        out["cell"] = block.cell.to_dict()
    if block.story is not None:
        out["story"] = block.story
    return out


@dataclass(frozen=True, slots=True)
class BlockChange:
    """One block's fate. A moved block appears twice: role "from" at its old place (all
    deleted) and role "to" at its new place (with any edits made on the way)."""

    status: str
    old: Block | None
    new: Block | None
    ops: tuple[Op, ...]
    old_index: int | None = None  # position in the old document's blocks
    new_index: int | None = None
    move: str | None = None
    role: str | None = None
    renumbered: bool = False
    formats: tuple[FormatChange, ...] = ()  # formatting changed on equal text

    @property
    def block(self) -> Block:
        return self.new if self.new is not None and self.role != "from" else self.old  # type: ignore[return-value]

    @property
    def in_old(self) -> bool:
        return self.old is not None and self.role != "to"

    @property
    def in_new(self) -> bool:
        return self.new is not None and self.role != "from"

    def old_text(self) -> str:
        return "".join(o.text for o in self.ops if o.op != INSERT)

    def new_text(self) -> str:
        return "".join(o.text for o in self.ops if o.op != DELETE)

    def to_dict(self) -> dict[str, Any]:
        out = {"status": self.status, "old": _block_ref(self.old), "new": _block_ref(self.new),
               "ops": [o.to_list() for o in self.ops]}
        if self.move:
            out["move"] = {"id": self.move, "role": self.role}
        if self.renumbered:
            out["renumbered"] = True
        if self.formats:
            out["format"] = [f.to_dict() for f in self.formats]
        return out


@dataclass(frozen=True, slots=True)
class Move:
    """Text that left one place and arrived at another: a whole block, or a run of words."""

    id: str
    kind: str  # "block" or "words"
    from_label: str  # each end as cited (citations): "4.2", "Article 2, 1.", "preamble"
    to_label: str
    words: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "from": self.from_label, "to": self.to_label,
                "words": self.words, "text": self.text}


@dataclass(frozen=True, slots=True)
class Renumbering:
    """Labels that changed only because something before them was added or removed."""

    kind: str  # "part", "article" or "paragraph"
    old_labels: tuple[str, ...]  # as cited (citations): "Article 4", "ARTICLE II"
    new_labels: tuple[str, ...]
    text: str  # "Articles 4-12 renumbered 5-13"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "old": list(self.old_labels), "new": list(self.new_labels),
                "text": self.text}


@dataclass(frozen=True, slots=True)
class StaleRef:
    """A cross-reference whose wording did not follow its renumbered or deleted target."""

    label: str  # where the reference stands
    ref: str  # as written, e.g. "Article 4"
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.label, "ref": self.ref, "message": self.message}


@dataclass(frozen=True, slots=True)
class Stats:
    """The counts a comparison reports at its head (and `--stat` alone)."""

    words_inserted: int = 0
    words_deleted: int = 0
    blocks_changed: int = 0
    blocks_inserted: int = 0
    blocks_deleted: int = 0
    blocks_moved: int = 0
    moves: int = 0
    renumbered: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True)
class Comparison:
    """What `draft diff` found between two documents: every block's fate, the moves,
    renumberings and stale references, and the counts; what every diff writer prints."""

    old_title: str
    new_title: str
    old_name: str  # who or what each side is: "United States of America", a file name
    new_name: str
    blocks: tuple[BlockChange, ...]
    moves: tuple[Move, ...]
    renumberings: tuple[Renumbering, ...]
    stale_refs: tuple[StaleRef, ...]
    stats: Stats
    options: dict[str, bool] = field(default_factory=dict)

    @property
    def differs(self) -> bool:
        return any(b.status != SAME for b in self.blocks) or self.old_title != self.new_title

    def old_document_text(self) -> str:
        """The old text rebuilt from the change model alone (blocks in old order)."""
        rows = sorted((b for b in self.blocks if b.in_old), key=lambda b: b.old_index or 0)
        return "\n".join(b.old_text() for b in rows)

    def new_document_text(self) -> str:
        return "\n".join(b.new_text() for b in self.blocks if b.in_new)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": {"title": self.old_title, "name": self.old_name},
            "new": {"title": self.new_title, "name": self.new_name},
            "options": self.options,
            "stats": self.stats.to_dict(),
            "renumbered": [r.to_dict() for r in self.renumberings],
            "moves": [m.to_dict() for m in self.moves],
            "stale_refs": [s.to_dict() for s in self.stale_refs],
            "blocks": [b.to_dict() for b in self.blocks],
        }
