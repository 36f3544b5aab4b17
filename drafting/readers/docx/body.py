"""Walk WordprocessingML (the body, each footnote and endnote) once, keeping both readings
of every tracked change side by side: each paragraph carries its text with all changes accepted
and with all rejected, whether its paragraph mark exists in each, and its properties in
each (w:pPrChange keeps the old ones). Every revision met on the way is recorded with the
paragraph it stands in.

Text: w:t and w:delText; w:tab -> tab, w:br/w:cr -> space, w:noBreakHyphen -> "-",
w:softHyphen dropped, w:sym -> its character; field codes (w:instrText) are not text, field
results are kept but for page numbers (PAGE, NUMPAGES: laid_out); smart tags, content
controls (w:sdt), w:customXml and w:fldSimple are transparent wrappers. Each run's
formatting (bold, italic, underline, superscript, subscript, small caps: direct or from its
character style; w:rPrChange gives the original reading its old formatting) and each
hyperlink (w:hyperlink, a HYPERLINK field) is kept as a span of the paragraph's text in each
reading. Pictures, charts, SmartArt, shapes, OLE objects and equations become visible tokens
(objects.py). A text box is read where it is anchored: its paragraphs are kept with the
anchor's position in each reading, and views.py shows them there as one `⟦text box: ...⟧`
token (mc:AlternateContent: the first w:Choice only, so a box is not read twice). A footnote
or endnote reference stays in the text where its mark is, as a placeholder the reading
numbers (notes.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from ...model import LINK, OBJECT
from ..grid import MAX_COLUMNS, MAX_DEPTH, too_deep
from ..md_tables import MAX_NESTING
from . import fieldcode
from .budget import Budget
from .objects import Objects, equation, token
from .styles import NumPr, Styles, numpr, outline_level, run_toggles
from .xml import MC, M, R, attr, w

ACCEPTED, ORIGINAL = 0, 1  # the two readings of a file with tracked changes
MAX_CHANGE_TEXT = 100_000  # characters of text kept per revision (some 50 pages)
NOTE_TYPES_SKIPPED = {"separator", "continuationSeparator", "continuationNotice"}
# A note reference stands in the text as NOTE_OPEN + "f" or "e" + its w:id + NOTE_CLOSE
# until the reading numbers it (notes.py); the two characters are dropped from file text.
NOTE_OPEN, NOTE_CLOSE = "\ufff9", "\ufffb"
_NOT_TEXT = str.maketrans("", "", NOTE_OPEN + NOTE_CLOSE)

_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT, _CUSTOM = (
    w("p"), w("tbl"), w("tr"), w("tc"), w("sdt"), w("sdtContent"), w("customXml"))
_PPR, _RPR = w("pPr"), w("rPr")
_INS, _DEL, _MOVE_FROM, _MOVE_TO = w("ins"), w("del"), w("moveFrom"), w("moveTo")
_FLD_CHAR, _SYM, _BOOKMARK = w("fldChar"), w("sym"), w("bookmarkStart")
_NOTE_REFS = {w("footnoteReference"): "f", w("endnoteReference"): "e"}
_TEXT_BOX, _RPR_CHANGE = w("txbxContent"), w("rPrChange")
_ALTERNATE, _CHOICE, _FALLBACK = (f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice",
                                  f"{{{MC}}}Fallback")
_TEXT = {w("t"), w("delText")}
_R, _HYPERLINK, _DRAWING, _PICT, _OBJECT = w("r"), w("hyperlink"), w("drawing"), w("pict"), \
    w("object")
_MATH = {f"{{{M}}}oMath", f"{{{M}}}oMathPara"}
_INSTR = {w("instrText"), w("delInstrText")}
_FLD_SIMPLE = w("fldSimple")
_CHARS = {w("tab"): "\t", w("ptab"): "\t", w("br"): " ", w("cr"): " ",
          w("noBreakHyphen"): "-", w("softHyphen"): ""}
_SKIP = {_PPR, w("sdtPr"), w("sdtEndPr"), w("customXmlPr"),
         w("smartTagPr"), w("fldData"), w("commentReference"),
         w("footnoteRef"), w("endnoteRef"), w("separator"),
         w("continuationSeparator")}
_REVISIONS = {_INS: "insert", _DEL: "delete", _MOVE_FROM: "move-from", _MOVE_TO: "move-to"}
# content controls and custom XML wrappers added or removed: no text changes either
_WRAPPER_MARKS = {w("customXmlInsRangeStart"), w("customXmlDelRangeStart"),
                  w("customXmlMoveFromRangeStart"), w("customXmlMoveToRangeStart")}
_FORMAT = (w("rPrChange"), w("pPrChange"), w("sectPrChange"), w("tblPrChange"),
           w("tblGridChange"), w("tblPrExChange"), w("trPrChange"), w("tcPrChange"),
           w("numberingChange"), w("cellMerge"))


# Formatting of a stretch of text: (kind, value) pairs, e.g. (("bold", ""), ("link", url))
Format = tuple[tuple[str, str], ...]
Span = tuple[int, int, Format]  # text[start:end] of a paragraph's raw text has that format
_NO_FORMAT: tuple[Format, Format] = ((), ())
_PULLS = ("INCLUDETEXT", "INCLUDEPICTURE", "LINK", "DDE", "DDEAUTO", "IMPORT", "INCLUDE")
_LAID_OUT = ("PAGE", "NUMPAGES", "SECTIONPAGES")
MAX_FIELD_CODE = 2_000  # characters of one field code kept to read what it is


@dataclass(frozen=True, slots=True)
class Props:
    """The paragraph properties the reader needs, in one reading."""

    style: str | None = None
    numpr: NumPr | None = None
    outline: int | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int  # position among all paragraphs read, in document order
    texts: tuple[str, str]  # raw text, accepted and original
    marks: tuple[bool, bool]  # whether the paragraph mark exists in each reading
    props: tuple[Props, Props]
    bookmarks: tuple[str, ...]
    boxes: tuple[list[Item], ...]  # text boxes anchored here
    # formatted spans of each reading's raw text; where each box stands in each reading
    # (its offset in that reading's raw text, None where the box is not in it)
    formats: tuple[tuple[Span, ...], tuple[Span, ...]] = ((), ())
    box_at: tuple[tuple[int | None, int | None], ...] = ()


@dataclass(frozen=True, slots=True)
class Cell:
    present: tuple[bool, bool]  # False where its row (or the cell) is inserted/deleted
    content: list[Item]
    row: int = 0  # the row's position in the table, from 0
    span: int = 1  # grid columns (w:gridSpan)
    merge: tuple[str, str] = ("", "")  # vertical merge per reading: restart, continue or ""


@dataclass(frozen=True, slots=True)
class Table:
    """A table is read cell by cell, row after row: each cell holds paragraphs (and
    tables)."""

    cells: tuple[Cell, ...]


Item = Paragraph | Table


@dataclass(frozen=True, slots=True)
class Revision:
    kind: str
    author: str
    date: str | None
    text: str
    paragraph: int  # index of the paragraph it is in (or the first one it concerns)


class Walker:
    """Reads containers of block content; collects revisions as it goes, charging
    paragraphs, revisions and their text to the file's budget."""

    def __init__(self, budget: Budget, styles: Styles | None = None,
                 objects: Objects | None = None) -> None:
        self.budget = budget
        self.styles = styles
        self.objects = objects or Objects(None)
        self.revisions: list[Revision] = []
        self.warnings: list[str] = []  # what could not be carried (WordFile.warnings)
        self.count = 0  # paragraphs read so far
        self.pulling: dict[str, int] = {}  # fields that pull content from outside, by name
        self._fields = _Fields(self.pulling)
        self._nesting = 0  # tables open around what is read

    def container(self, parent: etree._Element) -> list[Item]:
        items: list[Item] = []
        bookmarks: list[str] = []  # bookmarks standing between paragraphs
        for child in parent:
            tag = child.tag
            if tag == _P:
                items.append(self._paragraph(child, bookmarks))
                bookmarks = []
            elif tag == _TBL:
                items.append(self._table(child))
            elif tag in (_SDT, _CUSTOM):
                content = child.find(_SDT_CONTENT) if tag == _SDT else child
                if content is not None:
                    items.extend(self.container(content))
            elif tag == _BOOKMARK:
                bookmarks.append(child.get(w("name")) or "")
            elif tag == w("sectPr"):
                self._formats(child, max(0, self.count - 1))
            elif tag in _WRAPPER_MARKS:
                self._record("format", child, "", self.count)
        return items

    def notes(self, root: etree._Element, tag: str) -> dict[str, list[Item]]:
        """The content of each real footnote (tag "footnote") or endnote ("endnote"), by
        w:id (separators skipped)."""
        self._fields = _Fields(self.pulling)
        return {note.get(w("id")) or "": self.container(note)
                for note in root.iter(w(tag))
                if note.get(w("type")) not in NOTE_TYPES_SKIPPED}

    # -- paragraphs ---------------------------------------------------------------------

    def _paragraph(self, p: etree._Element, bookmarks: list[str]) -> Paragraph:
        index = self.count
        self.count += 1
        self.budget.spend("paragraphs")
        marks, props = self._properties(p.find(_PPR), index)
        sink = _Sink(self._fields, bookmarks)
        self._inline(p, False, False, sink, index)
        self.budget.spend("formatted runs", len(sink.formats[0]) + len(sink.formats[1]))
        return Paragraph(index, ("".join(sink.parts[0]), "".join(sink.parts[1])), marks,
                         props, tuple(sink.bookmarks), tuple(sink.boxes),
                         (tuple(sink.formats[0]), tuple(sink.formats[1])), tuple(sink.box_at))

    def _properties(self, ppr: etree._Element | None, index: int
                    ) -> tuple[tuple[bool, bool], tuple[Props, Props]]:
        if ppr is None:
            return (True, True), (Props(), Props())
        now = _props(ppr)
        old = now
        numbering = ppr.find(w("numPr"))
        if numbering is not None and numbering.find(_INS) is not None:
            old = Props(now.style, None, now.outline)  # numbering was added
        change = ppr.find(w("pPrChange"))
        if change is not None:
            old = _props(change.find(_PPR))
        inserted = deleted = False
        rpr = ppr.find(_RPR)
        for mark in () if rpr is None else rpr:
            if mark.tag in (_INS, _MOVE_TO):
                inserted = True
                self._record("paragraph-insert", mark, "", index)
            elif mark.tag in (_DEL, _MOVE_FROM):
                deleted = True
                self._record("paragraph-delete", mark, "", index)
        if numbering is not None:
            for mark in numbering.iter(_INS):
                self._record("format", mark, "", index)
        self._formats(ppr, index)
        return (not deleted, not inserted), (now, old)

    def _inline(self, parent: etree._Element, ins: bool, dele: bool, sink: _Sink,
                index: int, fmt: tuple[Format, Format] = _NO_FORMAT) -> None:
        for child in parent:
            tag = child.tag
            if tag in _TEXT:
                sink.text(child.text or "", ins, dele, fmt)
            elif tag == _R:
                self._inline(child, ins, dele, sink, index, self._run_format(child, fmt))
            elif tag in _CHARS:
                sink.text(_CHARS[tag], ins, dele, fmt)
            elif tag in _REVISIONS:
                self._record(_REVISIONS[tag], child, self._text_of(child), index)
                self._inline(child, ins or tag in (_INS, _MOVE_TO),
                             dele or tag in (_DEL, _MOVE_FROM), sink, index, fmt)
            elif tag == _RPR:
                self._run_marks(child, index)
            elif tag == _FLD_CHAR:
                sink.field(child.get(w("fldCharType")) or "", ins, dele)
            elif tag in _INSTR:
                sink.code(child.text or "", ins, dele)
            elif tag in _NOTE_REFS:
                sink.note(_NOTE_REFS[tag] + (child.get(w("id")) or ""), ins, dele)
                if child.get(w("customMarkFollows")) in ("1", "true", "on"):
                    self.warnings.append("a note with its own reference mark (w:customMarkFollows)"
                                         " is numbered like the others; its mark stays as text")
            elif tag == _SYM:
                sink.text(_symbol(child.get(w("char")) or ""), ins, dele, fmt)
            elif tag == _BOOKMARK:
                sink.bookmarks.append(child.get(w("name")) or "")
            elif tag in _WRAPPER_MARKS:
                self._record("format", child, "", index)
            elif tag == _TEXT_BOX:
                sink.box(self.container(child), ins, dele)
            elif tag == _HYPERLINK:
                self._inline(child, ins, dele, sink, index, _with(fmt, self._link(child)))
            elif tag == _FLD_SIMPLE:
                code = child.get(w("instr")) or ""
                self._fields.pulls(code)
                if not laid_out(code):
                    self._inline(child, ins, dele, sink, index, _with(fmt, _field_link(code)))
            elif tag in (_DRAWING, _PICT, _OBJECT):
                self._object(child, ins, dele, sink, index, fmt)
            elif tag in _MATH:
                self._equation(child, ins, dele, sink, index, fmt)
            elif tag == _ALTERNATE:
                choice = child.find(_CHOICE)
                if choice is None:
                    choice = child.find(_FALLBACK)
                if choice is not None:
                    self._inline(choice, ins, dele, sink, index, fmt)
            elif tag not in _SKIP:
                self._inline(child, ins, dele, sink, index, fmt)

    def _run_format(self, run: etree._Element, outer: tuple[Format, Format]
                    ) -> tuple[Format, Format]:
        """The formatting of a run in each reading: the hyperlink it is in, its character
        style's and its own; a w:rPrChange holds what the original had."""
        rpr = run.find(_RPR)
        if rpr is None:
            return outer
        now = self._formatting(rpr)
        change = rpr.find(_RPR_CHANGE)
        old = self._formatting(change.find(_RPR)) if change is not None else now
        return (outer[0] + now, outer[1] + old)

    def _formatting(self, rpr: etree._Element | None) -> Format:
        if rpr is None:
            return ()
        kinds = dict.fromkeys(self.styles.run_marks(attr(rpr.find(w("rStyle"))))
                              if self.styles is not None else (), True)
        kinds.update(run_toggles(rpr))
        return tuple((kind, "") for kind, on in kinds.items() if on)

    def _link(self, hyperlink: etree._Element) -> tuple[tuple[str, str], ...]:
        """Where a w:hyperlink goes: its external address (never fetched) or "#anchor"."""
        found = self.objects.target(hyperlink.get(f"{{{R}}}id"))
        if found is not None and found[1]:
            return ((LINK, found[0]),)
        anchor = hyperlink.get(w("anchor"))
        return ((LINK, f"#{anchor}"),) if anchor else ()

    def _object(self, element: etree._Element, ins: bool, dele: bool, sink: _Sink,
                index: int, fmt: tuple[Format, Format]) -> None:
        """A picture, chart, SmartArt, shape or OLE object as its token; text boxes in it
        are read as boxes anchored here."""
        if element.tag == _DRAWING:
            tokens = self.objects.drawing(element)
        elif element.tag == _PICT:
            tokens = self.objects.pict(element)
        else:
            tokens = self.objects.ole(element)
        for kind, said in tokens:
            sink.text(said, ins, dele, _with(fmt, ((OBJECT, kind),)))
        for box in element.iter(_TEXT_BOX):
            if next(box.iterancestors(_TEXT_BOX), None) is None:  # nested ones: in it
                sink.box(self.container(box), ins, dele)

    def _equation(self, element: etree._Element, ins: bool, dele: bool, sink: _Sink,
                  index: int, fmt: tuple[Format, Format]) -> None:
        """An equation as one token in each reading; its tracked changes are listed."""
        scratch = _Sink(_Fields({}), [])
        self._inline(element, ins, dele, scratch, index)  # records the revisions inside
        accepted, original = (equation(element, view) for view in (ACCEPTED, ORIGINAL))
        sink.views(token("equation", accepted) if accepted else "",
                   token("equation", original) if original else "", ins, dele,
                   _with(fmt, ((OBJECT, "equation"),)))

    def _run_marks(self, rpr: etree._Element, index: int) -> None:
        """Run properties hold formatting changes, and in math the insertion or deletion
        of a control character (no text)."""
        for mark in rpr.iterchildren(_INS, _DEL, _RPR_CHANGE):
            self._record(_REVISIONS.get(mark.tag, "format"), mark, "", index)

    # -- tables -------------------------------------------------------------------------

    def _table(self, tbl: etree._Element) -> Table:
        self._nesting += 1
        if self._nesting > MAX_DEPTH:
            raise too_deep(self.budget.source)
        try:
            return self._rows(tbl)
        finally:
            self._nesting -= 1

    def _rows(self, tbl: etree._Element) -> Table:
        if self._nesting == MAX_NESTING + 1:
            self.warnings.append(f"tables nested more than {MAX_NESTING} deep: the Markdown "
                                 "form cannot name their cells (JSON keeps them)")
        first = self.count
        self._formats(tbl.find(w("tblPr")), first)
        self._formats(tbl.find(w("tblGrid")), first)
        cells = []
        for number, row in enumerate(_unwrap(tbl, _TR)):
            row_present = [True, True]
            trpr = row.find(w("trPr"))
            for mark in () if trpr is None else trpr:
                if mark.tag == _INS:
                    row_present[ORIGINAL] = False
                    self._record("row-insert", mark, "", self.count)
                elif mark.tag == _DEL:
                    row_present[ACCEPTED] = False
                    self._record("row-delete", mark, "", self.count)
            self._formats(trpr, self.count)
            self._formats(row.find(w("tblPrEx")), self.count)
            if trpr is not None and (trpr.find(w("gridBefore")) is not None or
                                     trpr.find(w("gridAfter")) is not None):
                self.warnings.append("a table row leaves grid columns empty before or after "
                                     "its cells (w:gridBefore, w:gridAfter): not kept")
            for tc in _unwrap(row, _TC):
                present = list(row_present)
                tcpr = tc.find(w("tcPr"))
                for mark in () if tcpr is None else tcpr:
                    if mark.tag == w("cellIns"):
                        present[ORIGINAL] = False
                        self._record("insert", mark, self._text_of(tc), self.count)
                    elif mark.tag == w("cellDel"):
                        present[ACCEPTED] = False
                        self._record("delete", mark, self._text_of(tc), self.count)
                self._formats(tcpr, self.count)
                span, merge = _cell_layout(tcpr)
                cells.append(Cell((present[0], present[1]), self.container(tc), number, span,
                                  merge))
        return Table(tuple(cells))

    # -- revisions ----------------------------------------------------------------------

    def _record(self, kind: str, mark: etree._Element, text: str, index: int) -> None:
        self.budget.spend("tracked changes")
        self.budget.spend("characters of tracked-change text", len(text))
        self.revisions.append(Revision(kind, mark.get(w("author")) or "", mark.get(w("date")),
                                       text, index))

    def _text_of(self, element: etree._Element) -> str:
        """The text a revision carries, cut at MAX_CHANGE_TEXT characters: revisions nest,
        and a hostile file nesting hundreds of them around one long text must not make us
        hold hundreds of copies, nor walk its runs hundreds of times unbounded."""
        parts, size, visits = [], 0, 0
        left = self.budget.left("text elements inside tracked changes")
        for t in element.iter(*_TEXT):
            visits += 1
            if visits > left:
                break
            parts.append(t.text or "")
            size += len(parts[-1])
            if size > MAX_CHANGE_TEXT:
                parts = ["".join(parts)[:MAX_CHANGE_TEXT], "…"]
                break
        self.budget.spend("text elements inside tracked changes", visits)
        return "".join(parts)

    def _formats(self, properties: etree._Element | None, index: int) -> None:
        """Property changes alter no text: they are only listed."""
        if properties is not None:
            for change in properties.iter(*_FORMAT):
                self._record("format", change, "", index)


class _Fields:
    """Open complex fields, per reading: text shows only outside field codes; a HYPERLINK
    field's result is a link, a field that pulls content from outside is counted. Text in
    the result of a field nested in another's code is part of that code, as in Word (a
    HYPERLINK's address may be another field's result)."""

    def __init__(self, pulling: dict[str, int]) -> None:
        self.stacks: tuple[list[bool], list[bool]] = ([], [])  # True: in the code part
        self.in_code = [0, 0]
        self.codes: tuple[list[str], list[str]] = ([], [])  # code of each open field
        # where in `codes` each field still in its code part stands, innermost last
        self.coding: tuple[list[int], list[int]] = ([], [])
        # the link its result is in, its own or the innermost enclosing one's: each text
        # asks it of the innermost field, never of every open one (100,000 nested
        # fields made that quadratic)
        self.links: tuple[list[Format], list[Format]] = ([], [])
        self.pulling = pulling

    def char(self, view: int, kind: str) -> None:
        stack, codes, links = self.stacks[view], self.codes[view], self.links[view]
        if kind == "begin":
            stack.append(True)
            self.coding[view].append(len(codes))
            codes.append("")
            links.append(())
            self.in_code[view] += 1
        elif kind == "separate" and stack and stack[-1]:
            if laid_out(codes[-1]):
                return  # its result stays out of the text, as its code does
            stack[-1] = False
            self.coding[view].pop()
            self.in_code[view] -= 1
            links[-1] = _field_link(codes[-1]) or (links[-2] if len(links) > 1 else ())
            if view == ACCEPTED:
                self.pulls(codes[-1])
        elif kind == "end" and stack:
            codes.pop()
            links.pop()
            if stack.pop():
                self.coding[view].pop()
                self.in_code[view] -= 1

    def code(self, view: int, text: str) -> None:
        """Field code text, or a nested field's result inside a code: the code of the
        innermost field still in its code part."""
        coding, codes = self.coding[view], self.codes[view]
        if coding and len(codes[coding[-1]]) < MAX_FIELD_CODE:
            codes[coding[-1]] += text[: MAX_FIELD_CODE - len(codes[coding[-1]])]

    def link(self, view: int) -> Format:
        """The link of the innermost HYPERLINK field whose result this text is in."""
        links = self.links[view]
        return links[-1] if links else ()

    def pulls(self, code: str) -> None:
        words = code.split()
        if words and words[0].upper() in _PULLS:
            name = words[0].upper()
            self.pulling[name] = self.pulling.get(name, 0) + 1


class _Sink:
    """What one paragraph yields in each reading."""

    __slots__ = ("bookmarks", "box_at", "boxes", "fields", "formats", "parts", "size")

    def __init__(self, fields: _Fields, bookmarks: list[str]):
        self.fields = fields
        self.parts: tuple[list[str], list[str]] = ([], [])
        self.bookmarks = list(bookmarks)
        self.boxes: list[list[Item]] = []
        self.box_at: list[tuple[int | None, int | None]] = []
        self.formats: tuple[list[Span], list[Span]] = ([], [])
        self.size = [0, 0]  # characters of raw text so far, per reading

    def text(self, text: str, ins: bool, dele: bool,
             fmt: tuple[Format, Format] = _NO_FORMAT) -> None:
        self.views(text, text, ins, dele, fmt)

    def views(self, accepted: str, original: str, ins: bool, dele: bool,
              fmt: tuple[Format, Format] = _NO_FORMAT) -> None:
        """Text that reads differently in the two readings (an equation with changes)."""
        for view, text, shown in ((ACCEPTED, accepted, not dele), (ORIGINAL, original, not ins)):
            if not shown or not text:
                continue
            if self.fields.in_code[view]:
                self.fields.code(view, text)
                continue
            if NOTE_OPEN in text or NOTE_CLOSE in text:
                text = text.translate(_NOT_TEXT)
            formats = fmt[view] + self.fields.link(view)
            if formats:
                self.formats[view].append((self.size[view], self.size[view] + len(text),
                                           formats))
            self.parts[view].append(text)
            self.size[view] += len(text)

    def box(self, items: list[Item], ins: bool, dele: bool) -> None:
        self.boxes.append(items)
        self.box_at.append((None if dele else self.size[ACCEPTED],
                            None if ins else self.size[ORIGINAL]))

    def code(self, text: str, ins: bool, dele: bool) -> None:
        if not dele:
            self.fields.code(ACCEPTED, text)
        if not ins:
            self.fields.code(ORIGINAL, text)

    def field(self, kind: str, ins: bool, dele: bool) -> None:
        if not dele:
            self.fields.char(ACCEPTED, kind)
        if not ins:
            self.fields.char(ORIGINAL, kind)

    def note(self, key: str, ins: bool, dele: bool) -> None:
        """A note's reference, where its mark is (key: "f" or "e" and its w:id); a field
        code cannot hide it."""
        for view, shown in ((ACCEPTED, not dele), (ORIGINAL, not ins)):
            if shown:
                self.parts[view].append(NOTE_OPEN + key + NOTE_CLOSE)
                self.size[view] += len(key) + 2


def _with(fmt: tuple[Format, Format], extra: Format) -> tuple[Format, Format]:
    return (fmt[0] + extra, fmt[1] + extra) if extra else fmt


def laid_out(code: str) -> bool:
    """A field whose result is the page it is laid out on (PAGE, NUMPAGES, SECTIONPAGES):
    every reader computes it anew, so the number a file saved is not its text."""
    words = code.split(None, 1)
    return bool(words) and words[0].upper() in _LAID_OUT


def _field_link(code: str) -> Format:
    """A HYPERLINK field's target as a link; other fields: none."""
    target = fieldcode.hyperlink(code)
    return ((LINK, target),) if target else ()


def _props(ppr: etree._Element | None) -> Props:
    if ppr is None:
        return Props()
    return Props(attr(ppr.find(w("pStyle"))), numpr(ppr), outline_level(ppr))


MAX_SPAN = MAX_COLUMNS  # grid columns a cell may span (as many as Word allows)


_MERGES = {"restart": "restart", "rest": "restart", "continue": "continue",
           "cont": "continue"}


def _cell_layout(tcpr: etree._Element | None) -> tuple[int, tuple[str, str]]:
    """A cell's grid span and its vertical merge in each reading: w:vMerge (without a
    value it continues), or a tracked w:cellMerge (w:vMerge after, w:vMergeOrig before)."""
    if tcpr is None:
        return 1, ("", "")
    span = attr(tcpr.find(w("gridSpan")))
    try:
        columns = min(max(int(span), 1), MAX_SPAN) if span else 1
    except ValueError:
        columns = 1
    merge = tcpr.find(w("vMerge"))
    now = "" if merge is None else _MERGES.get(attr(merge) or "continue", "continue")
    tracked = tcpr.find(w("cellMerge"))
    if tracked is None:
        return columns, (now, now)
    return columns, (_MERGES.get(tracked.get(w("vMerge")) or "", ""),
                     _MERGES.get(tracked.get(w("vMergeOrig")) or "", ""))


def _unwrap(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Rows of a table or cells of a row, also those wrapped in content controls."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _unwrap(content, tag)
        elif child.tag == _CUSTOM:
            yield from _unwrap(child, tag)


def _symbol(code: str) -> str:
    """w:sym's character; symbol fonts use U+F020-U+F0FF for their 8-bit codes."""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if 0xF020 <= value <= 0xF0FF:
        value -= 0xF000
    return chr(value) if 0x20 <= value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else ""
