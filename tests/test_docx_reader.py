"""The Word reader: tracked changes against other tools' expected results (Open-XML-PowerTools,
pandoc, a real US GPO document), legal numbering against the numbers Word shows, and small
files built here for every feature the reader claims."""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from pathlib import Path

import docx
import pytest
from conftest import CORPUS, need_corpus
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from drafting.errors import DraftingError
from drafting.model import ARTICLE_LEVEL, HEADING, ITEM, NUMBERED, PARAGRAPH, UNNUMBERED, Document
from drafting.readers.docx import TrackedChange, read_bytes, read_file

TRACKED = CORPUS / "docx" / "tracked"


def seen(doc: Document) -> list[object]:
    """What a reader of the document sees, for comparing two readings: the title, then
    (kind, level, label, text) of each block, leaving out blocks with neither text nor
    label (empty paragraphs, which carry nothing). Texts are already whitespace-collapsed
    by the reader, so this is an exact comparison of words, punctuation and numbering."""
    return [doc.title, *((b.kind, b.level, b.label, b.text) for b in doc.blocks
                         if b.text or b.label)]


# -- Open-XML-PowerTools: RPxxx.docx against RPxxx-Accepted.docx / -Rejected.docx ------------

def _oxpt_cases() -> list[object]:
    folder = TRACKED / "oxpt-RP"
    if not folder.exists():
        return [pytest.param("", "", id="corpus-missing")]
    cases = []
    for source in sorted(folder.glob("*.docx")):
        if source.stem.endswith(("-Accepted", "-Rejected")):
            continue
        for suffix, view in (("Accepted", "accepted"), ("Rejected", "original")):
            if (folder / f"{source.stem}-{suffix}.docx").exists():
                cases.append(pytest.param(source.stem, suffix, id=f"{source.stem}-{view}"))
    return cases


@pytest.mark.corpus
@pytest.mark.parametrize(("stem", "suffix"), _oxpt_cases())
def test_powertools_accept_and_reject_all(stem: str, suffix: str) -> None:
    folder = need_corpus("docx", "tracked", "oxpt-RP")
    ours = read_file(folder / f"{stem}.docx")
    expected = read_file(folder / f"{stem}-{suffix}.docx")
    assert not expected.changes  # the expected files hold no revisions themselves
    view = ours.accepted if suffix == "Accepted" else ours.original
    assert seen(view) == seen(expected.accepted)


@pytest.mark.corpus
def test_powertools_files_have_real_differences() -> None:
    """Guard against a vacuous conformance run: in 37 of the 53 files accepting and
    rejecting give different documents (the others change only properties, content
    control wrappers or empty paragraphs)."""
    folder = need_corpus("docx", "tracked", "oxpt-RP")
    sources = [p for p in folder.glob("RP0*.docx")
               if not p.stem.endswith(("-Accepted", "-Rejected"))]
    differing = [p for p in sources
                 if seen((word := read_file(p)).accepted) != seen(word.original)]
    assert (len(differing), len(sources)) == (37, 53)


# -- pandoc: track_changes_*.docx against its native-format expected results ----------------

_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([\[\](),])|([A-Za-z_][\w\']*)|(-?\d+))')


def _haskell_string(literal: str) -> str:
    body = literal[1:-1].replace("\\&", "")
    return re.sub(r'\\(\d+|.)', lambda m: chr(int(m.group(1))) if m.group(1).isdigit()
                  else {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def parse_native(text: str) -> object:
    """pandoc's native format is Haskell `show` output: constructors with arguments,
    lists, tuples and strings. Returns nested Python values: a constructor is
    (name, [args]), a list a list, a tuple a tuple, a string a str."""
    tokens = [m for m in _TOKEN.finditer(text) if m.group(0).strip()]
    pos = 0

    def value() -> object:
        nonlocal pos
        m = tokens[pos]
        pos += 1
        string, punct, name, number = m.groups()
        if string:
            return _haskell_string(string)
        if number:
            return int(number)
        if punct in ("[", "("):
            close = "]" if punct == "[" else ")"
            items = []
            while tokens[pos].group(2) != close:
                items.append(value())
                if tokens[pos].group(2) == ",":
                    pos += 1
            pos += 1
            return items if punct == "[" else tuple(items)
        args = []
        while pos < len(tokens) and tokens[pos].group(2) not in (",", "]", ")"):
            args.append(value())
        return (name, args)

    return value()


def native_paragraphs(path: Path, drop: str = "") -> list[str]:
    """Text of each paragraph (Str and spaces), leaving out Spans of class `drop`
    ("insertion" or "deletion": pandoc's all-changes output, read as accept or reject) and
    comments (a "comment-start" Span holds the comment's own text); paragraphs left empty
    are omitted, as pandoc omits them."""
    def inline(node: object) -> str:
        name, args = node  # type: ignore[misc]
        if name == "Str":
            return args[0]
        if name in ("Space", "SoftBreak", "LineBreak"):
            return " "
        if name == "Span":
            (_, classes, _), content = args
            if drop in classes or "comment-start" in classes:
                return ""
            return "".join(inline(n) for n in content)
        return "".join(inline(n) for n in args[-1]) if args and isinstance(args[-1], list) \
            else ""

    out = []
    for name, args in parse_native(path.read_text(encoding="utf-8")):  # type: ignore[misc]
        assert name == "Para"
        text = " ".join("".join(inline(n) for n in args[0]).split())
        if text:
            out.append(text)
    return out


def texts(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if b.text]


@pytest.mark.corpus
@pytest.mark.parametrize("case", ["deletion", "insertion", "move"])
def test_pandoc_accept_and_reject(case: str) -> None:
    folder = need_corpus("docx", "tracked", "pandoc")
    word = read_file(folder / f"track_changes_{case}.docx")
    assert texts(word.accepted) == native_paragraphs(folder / f"track_changes_{case}_accept.native")
    assert texts(word.original) == native_paragraphs(folder / f"track_changes_{case}_reject.native")


@pytest.mark.corpus
@pytest.mark.parametrize(("case", "native"), [
    ("deletion", "track_changes_deletion_all"), ("insertion", "track_changes_insertion_all"),
    ("move", "track_changes_move_all"), ("scrubbed_metadata", "track_changes_scrubbed_metadata")])
def test_pandoc_all_changes(case: str, native: str) -> None:
    """pandoc's all-changes output marks insertions and deletions with their author (and
    date, unless scrubbed): dropping deletions gives the accepted text, dropping
    insertions the original, and the authors and dates are the ones we list."""
    folder = need_corpus("docx", "tracked", "pandoc")
    word = read_file(folder / f"track_changes_{case}.docx")
    expected = folder / f"{native}.native"
    assert texts(word.accepted) == native_paragraphs(expected, drop="deletion")
    assert texts(word.original) == native_paragraphs(expected, drop="insertion")
    spans = re.findall(r'\["(insertion|deletion)"\],\[\("author","([^"]*)"\)'
                       r'(?:,\("date","([^"]*)"\))?', expected.read_text(encoding="utf-8"))
    listed = {("insertion" if c.kind in ("insert", "move-to") else "deletion", c.author,
               c.date or "") for c in word.changes}
    assert set(spans) == listed


@pytest.mark.corpus
def test_pandoc_scrubbed_metadata_changes() -> None:
    folder = need_corpus("docx", "tracked", "pandoc")
    word = read_file(folder / "track_changes_scrubbed_metadata.docx")
    assert word.changes == (TrackedChange("delete", "Author", None, "dummy", "paragraph 1"),
                            TrackedChange("insert", "Author", None, "test", "paragraph 1"))
    assert word.authors == ("Author",)


# -- a real US GPO document ------------------------------------------------------------------

@pytest.mark.corpus
def test_usgpo_changes_accepted_is_the_clean_version_and_rejected_the_previous() -> None:
    folder = need_corpus("docx", "tracked", "usgpo")
    changes = read_file(folder / "USLM-2_0-Review-Guide-v2_0_12-changes.docx")
    clean = read_file(folder / "USLM-2_0-Review-Guide-v2_0_12-clean.docx")
    previous = read_file(folder / "USLM-2_0-Review-Guide_previous.docx")
    assert not clean.changes and not previous.changes
    assert seen(changes.accepted) == seen(clean.accepted)
    assert seen(changes.original) == seen(previous.accepted)
    assert len(changes.accepted.blocks) > 150


@pytest.mark.corpus
def test_usgpo_change_list() -> None:
    """MANIFEST says 18 insertions and 8 deletions: the file has 18 w:ins elements, of
    which 3 mark inserted paragraph marks, and 8 w:del; all by "Author", dates scrubbed."""
    folder = need_corpus("docx", "tracked", "usgpo")
    word = read_file(folder / "USLM-2_0-Review-Guide-v2_0_12-changes.docx")
    kinds = Counter(c.kind for c in word.changes)
    assert kinds == {"insert": 15, "paragraph-insert": 3, "delete": 8}
    assert word.authors == ("Author",)
    assert {c.date for c in word.changes} == {None}
    assert TrackedChange("delete", "Author", None, "August 17, 2021", "paragraph 4") \
        in word.changes
    assert TrackedChange("insert", "Author", None, "April 11, 2023", "paragraph 4") \
        in word.changes
    assert [b.text for b in word.accepted.blocks][3] == "Revised: April 11, 2023"
    assert [b.text for b in word.original.blocks][3] == "Revised: August 17, 2021"


# -- real legal numbering (docx4j test files) -------------------------------------------------

_EXPECT = re.compile(r"^\[expect\](?P<number>.*?)\[/expect\]")


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "labels"), [
    ("article-section-isLgl.docx",
     ["Article 1", "Section 1.01", "(a)", "Article 2", "Section 2.01", "(a)"]),
    ("article-section-NotIsLgl.docx",
     ["Article 1", "Section I.01", "(a)", "Article 2", "Section II.01", "(a)"]),
    ("startOverride.docx",
     ["1)", "2)", "3)", "4)", "10)", "11)", "12)", "13)", "14)", "15)", "16)", "17)"]),
])
def test_legal_numbering_labels(name: str, labels: list[str]) -> None:
    """Each paragraph of these files starts with "[expect]N[/expect]", the number Word
    shows for it (LibreOffice shows the same, except that it ignores w:isLgl and prints
    "Section I.01" in the isLgl file). Each block keeps that number exactly as its written
    label, and printed ("Article I."); the label we read in it drops a trailing "." and
    counts Articles in arabic figures, for alignment ("Article I." -> "Article 1")."""
    word = read_file(need_corpus("docx", "numbering", name))
    blocks = word.accepted.blocks
    assert [b.label for b in blocks] == labels
    for block in blocks:
        shown = _EXPECT.match(block.text).group("number")  # type: ignore[union-attr]
        assert block.marker == shown and block.written in (None, shown)
        key = shown.rstrip(".")
        if key.startswith("Article "):
            key = "Article " + {"I": "1", "II": "2"}[key.split()[1]]
        assert block.label == key


@pytest.mark.corpus
def test_legal_numbering_levels() -> None:
    blocks = read_file(need_corpus("docx", "numbering", "article-section-isLgl.docx")) \
        .accepted.blocks
    # Heading 1 carries the Articles, so Heading 2 and 3 sit below them
    assert [(b.kind, b.level) for b in blocks[:3]] == [(HEADING, 2), (HEADING, 3), (HEADING, 4)]
    assert blocks[0].text == "[expect]Article I.[/expect]Name and Purpose"


@pytest.mark.corpus
def test_arabic_text_matches_libreoffice() -> None:
    """LibreOffice's text export of this file (its paragraphs, whitespace collapsed)."""
    word = read_file(need_corpus("docx", "numbering", "arabic_numbering.docx"))
    texts_ = [b.text for b in word.accepted.blocks]
    assert texts_[:3] == ["rFonts hint and rtl", "وثيقة تجربة : 123456789", "rFonts hint only"]
    assert texts_[10:12] == ["وثيقة تجربة123456789",
                             "ثيقة تجربة1234567ثيقة تجربة123456789"]
    assert len(texts_) == 16 and not any(b.label for b in word.accepted.blocks)


# -- small files built here -------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSMAP = (f'xmlns:w="{W_NS}" '
         'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
         'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
         'xmlns:v="urn:schemas-microsoft-com:vml"')
WHEN = "2026-03-01T10:00:00Z"


def fragment(xml: str) -> list[etree._Element]:
    return list(etree.fromstring(f"<root {NSMAP}>{xml}</root>"))


def make_docx(body: str, *, numbering: str = "", styles: str = "", footnotes: str = "",
              endnotes: str = "", settings: str = "", ids: str = "") -> bytes:
    """A .docx from python-docx's default template with raw WordprocessingML for the body
    (and optionally list definitions, extra styles, footnotes, endnotes, elements of
    settings.xml, our ids part)."""
    doc = docx.Document()
    sect = doc.element.body.find(qn("w:sectPr"))
    for element in fragment(body):
        sect.addprevious(element)
    if numbering:
        root = doc.part.numbering_part.element
        for child in list(root):
            root.remove(child)
        root.extend(fragment(numbering))
    if styles:
        doc.styles.element.extend(fragment(styles))
    package = doc.part.package
    if footnotes:
        xml = f'<w:footnotes {NSMAP}>{footnotes}</w:footnotes>'.encode()
        doc.part.relate_to(Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml, package),
                           RT.FOOTNOTES)
    if endnotes:
        xml = f'<w:endnotes {NSMAP}>{endnotes}</w:endnotes>'.encode()
        doc.part.relate_to(Part(PackURI("/word/endnotes.xml"), CT.WML_ENDNOTES, xml, package),
                           RT.ENDNOTES)
    if settings:
        doc.settings.element.extend(fragment(settings))
    if ids:
        part = Part(package.next_partname("/customXml/item%d.xml"), "application/xml",
                    ids.encode(), package)
        doc.part.relate_to(part, RT.CUSTOM_XML)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def ins(text: str, author: str = "Ann", date: str = WHEN) -> str:
    return f'<w:ins w:id="1" w:author="{author}" w:date="{date}">{r(text)}</w:ins>'


def dele(text: str, author: str = "Bob", date: str = WHEN) -> str:
    return (f'<w:del w:id="2" w:author="{author}" w:date="{date}"><w:r>'
            f'<w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>')


def p(content: str, style: str = "", num: tuple[int, int] | None = None, mark: str = "",
      ppr: str = "") -> str:
    """A paragraph; `mark` "ins"/"del" records its paragraph mark as inserted/deleted."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    props += ppr
    if mark:
        author = "Ann" if mark == "ins" else "Bob"
        props += f'<w:rPr><w:{mark} w:id="9" w:author="{author}" w:date="{WHEN}"/></w:rPr>'
    return f"<w:p><w:pPr>{props}</w:pPr>{content}</w:p>"


def read(data: bytes, known_ids: tuple[str, ...] = ()):  # -> WordFile
    return read_bytes(data, "test.docx", known_ids)


def test_inserted_and_deleted_runs() -> None:
    word = read(make_docx(p(r("The Parties ") + dele("shall") + ins("may") + r(" consult."))))
    assert texts(word.accepted) == ["The Parties may consult."]
    assert texts(word.original) == ["The Parties shall consult."]
    assert word.changes == (TrackedChange("delete", "Bob", WHEN, "shall", "paragraph 1"),
                            TrackedChange("insert", "Ann", WHEN, "may", "paragraph 1"))
    assert word.authors == ("Bob", "Ann")


def test_nested_insertion_then_deletion_exists_in_neither_reading() -> None:
    body = p(r("a ") + f'<w:ins w:id="1" w:author="Ann" w:date="{WHEN}">'
             f'<w:del w:id="2" w:author="Bob"><w:r><w:delText>gone</w:delText></w:r></w:del>'
             "</w:ins>" + r("b"))
    word = read(make_docx(body))
    assert texts(word.accepted) == texts(word.original) == ["a b"]
    assert [(c.kind, c.author, c.date, c.text) for c in word.changes] == [
        ("insert", "Ann", WHEN, "gone"), ("delete", "Bob", None, "gone")]


def test_deleted_paragraph_mark_joins_paragraphs_when_accepted() -> None:
    word = read(make_docx(p(r("First half, "), mark="del") + p(r("second half."))
                          + p(r("Next."))))
    assert texts(word.accepted) == ["First half, second half.", "Next."]
    assert texts(word.original) == ["First half,", "second half.", "Next."]
    assert [c.kind for c in word.changes] == ["paragraph-delete"]


def test_inserted_paragraph_disappears_when_rejected() -> None:
    body = p(r("Kept.")) + p(ins("A new paragraph."), mark="ins") + p(r("Also kept."))
    word = read(make_docx(body))
    assert texts(word.accepted) == ["Kept.", "A new paragraph.", "Also kept."]
    assert texts(word.original) == ["Kept.", "Also kept."]
    assert [(c.kind, c.where) for c in word.changes] == [
        ("paragraph-insert", "paragraph 2"), ("insert", "paragraph 2")]


def test_inserted_paragraph_mark_splits_paragraph() -> None:
    word = read(make_docx(p(r("One sentence."), mark="ins") + p(r("Another sentence."))))
    assert texts(word.accepted) == ["One sentence.", "Another sentence."]
    assert texts(word.original) == ["One sentence.Another sentence."]


def test_merged_paragraph_keeps_the_surviving_mark_properties() -> None:
    """A wholly inserted heading must not turn the next paragraph into a heading when the
    insertion is rejected: the merged paragraph has the properties of the later mark."""
    body = p(ins("New Article"), style="Heading2", mark="ins") + p(r("Body text."))
    word = read(make_docx(body))
    assert [(b.kind, b.text) for b in word.accepted.blocks] == [
        (HEADING, "New Article"), (PARAGRAPH, "Body text.")]
    assert [(b.kind, b.text) for b in word.original.blocks] == [(PARAGRAPH, "Body text.")]


def test_moves() -> None:
    move_from = (f'<w:moveFrom w:id="3" w:author="Cy" w:date="{WHEN}">'
                 '<w:r><w:t>Moved.</w:t></w:r></w:moveFrom>')
    move_to = (f'<w:moveTo w:id="4" w:author="Cy" w:date="{WHEN}">'
               '<w:r><w:t>Moved.</w:t></w:r></w:moveTo>')
    body = p(move_to) + p(r("Stays.")) + p(move_from)
    word = read(make_docx(body))
    assert texts(word.accepted) == ["Moved.", "Stays."]
    assert texts(word.original) == ["Stays.", "Moved."]
    assert [(c.kind, c.text) for c in word.changes] == [("move-to", "Moved."),
                                                        ("move-from", "Moved.")]


def _row(cells: list[str], mark: str = "") -> str:
    trpr = f'<w:trPr><w:{mark} w:id="5" w:author="Dee" w:date="{WHEN}"/></w:trPr>' \
        if mark else ""
    return "<w:tr>" + trpr + "".join(f"<w:tc>{p(r(c))}</w:tc>" for c in cells) + "</w:tr>"


def test_tables_are_read_cell_by_cell_and_rows_follow_their_marks() -> None:
    table = ("<w:tbl>" + _row(["Party", "Date"]) + _row(["Atlantis", "1 May"], "ins")
             + _row(["Utopia", "2 May"], "del") + "</w:tbl>")
    word = read(make_docx(p(r("Before.")) + table + p(r("After."))))
    assert texts(word.accepted) == ["Before.", "Party", "Date", "Atlantis", "1 May", "After."]
    assert texts(word.original) == ["Before.", "Party", "Date", "Utopia", "2 May", "After."]
    # each where it can be seen: the inserted row in the accepted table, the deleted one in
    # the original
    assert [(c.kind, c.author, c.where) for c in word.changes] == [
        ("row-insert", "Dee", "table 1, row 2, cell 1"),
        ("row-delete", "Dee", "table 1, row 2, cell 1")]


def test_rows_and_cells_inside_content_controls_are_read() -> None:
    table = ("<w:tbl><w:sdt><w:sdtPr/><w:sdtContent>" + _row(["In a row control"])
             + "</w:sdtContent></w:sdt><w:tr><w:customXml w:element='cell'><w:tc>"
             + p(r("In a custom XML cell")) + "</w:tc></w:customXml></w:tr></w:tbl>")
    word = read(make_docx(table))
    assert texts(word.accepted) == ["In a row control", "In a custom XML cell"]


def test_deleted_mark_before_a_table_does_not_merge_into_it() -> None:
    table = "<w:tbl>" + _row(["Cell"]) + "</w:tbl>"
    word = read(make_docx(p(r("Para."), mark="del") + table))
    assert texts(word.accepted) == texts(word.original) == ["Para.", "Cell"]


NOTES = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
         '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
         '<w:continuationSeparator/></w:r></w:p></w:footnote>'
         '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
         '<w:r><w:t xml:space="preserve"> First note.</w:t></w:r></w:p></w:footnote>'
         '<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r>'
         '<w:r><w:t xml:space="preserve"> Second </w:t></w:r>' + ins("note.")
         + '</w:p></w:footnote>')


def test_footnotes_are_anchored_where_their_mark_is_numbered_by_reference_order() -> None:
    deleted_ref = (f'<w:del w:id="7" w:author="Bob" w:date="{WHEN}"><w:r>'
                   '<w:footnoteReference w:id="2"/></w:r></w:del>')
    body = p(r("Text") + deleted_ref + r(" more") + '<w:r><w:footnoteReference w:id="1"/></w:r>')
    word = read(make_docx(body, footnotes=NOTES))
    assert [(b.label, b.text, b.note) for b in word.accepted.blocks] == [
        ("", "Text more[^1]", None), ("[^1]", "First note.", "footnote")]
    assert [(b.label, b.text) for b in word.original.blocks] == [
        ("", "Text[^1] more[^2]"), ("[^1]", "Second"), ("[^2]", "First note.")]
    # the insertion inside footnote 2 is where that note is: only the original has it
    assert [(c.kind, c.where) for c in word.changes] == [("delete", "paragraph 1"),
                                                         ("insert", "[^1]")]
    assert word.accepted.blocks[-1].level == UNNUMBERED


LISTS = """
<w:abstractNum w:abstractNumId="10"><w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
    <w:pStyle w:val="ArticleHeading"/><w:lvlText w:val="Article %1"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
    <w:lvlText w:val="%1.%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>
    <w:lvlText w:val="(%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%4)"/>
    <w:lvlRestart w:val="2"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="11">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>
    <w:lvlText w:val="Part %1"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimalZero"/><w:isLgl/>
    <w:lvlText w:val="Section %1.%2"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="12">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="*"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="13">
  <w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="upperLetter"/>
    <w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="11"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="12"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="13"/></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="13"/></w:num>
<w:num w:numId="6"><w:abstractNumId w:val="13"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
"""


def labelled(doc: Document) -> list[tuple[str, int, str, str]]:
    return [(b.kind, b.level, b.label, b.text) for b in doc.blocks]


def test_auto_numbering_becomes_labels_like_typed_ones() -> None:
    body = (p(r("Scope"), "Heading2", (1, 0))
            + p(r("The Parties agree."), num=(1, 1))
            + p(r("first;"), num=(1, 2))
            + p(r("second."), num=(1, 2))
            + p(r("Unnumbered text."))
            + p(r("Duration"), "Heading2", (1, 0))
            + p(r("Ten years."), num=(1, 1))
            + p(r("in any case;"), num=(1, 2)))
    assert labelled(read(make_docx(body, numbering=LISTS)).accepted) == [
        (HEADING, ARTICLE_LEVEL, "Article 1", "Scope"),
        (PARAGRAPH, NUMBERED, "1.1", "The Parties agree."),
        (PARAGRAPH, ITEM, "1.1(a)", "first;"),
        (PARAGRAPH, ITEM, "1.1(b)", "second."),
        (PARAGRAPH, NUMBERED, "", "Unnumbered text."),
        (HEADING, ARTICLE_LEVEL, "Article 2", "Duration"),  # the deeper levels restart
        (PARAGRAPH, NUMBERED, "2.1", "Ten years."),
        (PARAGRAPH, ITEM, "2.1(a)", "in any case;")]


def test_lvl_restart_limits_what_restarts_a_level() -> None:
    """Level 4 restarts only after level 2 (w:lvlRestart 2), not after level 3."""
    body = (p(r("A"), "Heading2", (1, 0)) + p(r("B"), num=(1, 1)) + p(r("c"), num=(1, 2))
            + p(r("i"), num=(1, 3)) + p(r("d"), num=(1, 2)) + p(r("ii"), num=(1, 3))
            + p(r("E"), num=(1, 1)) + p(r("i again"), num=(1, 3)))
    doc = read(make_docx(body, numbering=LISTS)).accepted
    assert [b.label for b in doc.blocks] == [
        "Article 1", "1.1", "1.1(a)", "1.1(i)", "1.1(b)", "1.1(ii)", "1.2", "1.2(i)"]


def test_legal_style_parts_bullets_and_shared_lists() -> None:
    body = (p(r("General"), "Heading1", (2, 0))
            + p(r("Definitions"), num=(2, 1))
            + p(r("Dot"), num=(3, 0))
            + p(r("C item"), num=(4, 0)) + p(r("D item"), num=(4, 0))
            + p(r("continues the list of numId 4"), num=(5, 0))
            + p(r("restarted"), num=(6, 0)) + p(r("numId 4 again"), num=(4, 0)))
    doc = read(make_docx(body, numbering=LISTS)).accepted
    assert labelled(doc) == [
        (HEADING, 1, "Part I", "General"),
        (PARAGRAPH, UNNUMBERED, "Section 1.01", "Definitions"),  # isLgl: roman -> 1
        (PARAGRAPH, UNNUMBERED, "", "Dot"),  # bullets have no label
        (PARAGRAPH, UNNUMBERED, "C", "C item"),
        (PARAGRAPH, UNNUMBERED, "D", "D item"),
        (PARAGRAPH, UNNUMBERED, "E", "continues the list of numId 4"),
        (PARAGRAPH, UNNUMBERED, "A", "restarted"),
        (PARAGRAPH, UNNUMBERED, "B", "numId 4 again")]


STYLES = """
<w:style w:type="paragraph" w:styleId="ArticleHeading"><w:name w:val="Article Heading"/>
  <w:basedOn w:val="Heading2"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Clause"><w:name w:val="Clause"/>
  <w:basedOn w:val="Normal"/>
  <w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="ClauseTwo"><w:name w:val="Clause Two"/>
  <w:basedOn w:val="Clause"/></w:style>
<w:style w:type="paragraph" w:styleId="Schedule"><w:name w:val="Schedule"/>
  <w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
"""


def test_headings_and_numbering_from_styles_and_outline_levels() -> None:
    body = (p(r("Objective"), "ArticleHeading")  # basedOn Heading2; level from lvl pStyle
            + p(r("Clause from style."), "Clause")
            + p(r("Clause from the base style."), "ClauseTwo")
            + p(r("Not numbered."), "Clause", num=(0, 1))  # numId 0 leaves the list
            + p(r("Side heading"), ppr='<w:outlineLvl w:val="2"/>')
            + p(r("Annex"), "Schedule"))
    doc = read(make_docx(body, numbering=LISTS, styles=STYLES)).accepted
    assert labelled(doc) == [
        (HEADING, ARTICLE_LEVEL, "Article 1", "Objective"),
        (PARAGRAPH, NUMBERED, "1.1", "Clause from style."),
        (PARAGRAPH, NUMBERED, "1.2", "Clause from the base style."),
        (PARAGRAPH, NUMBERED, "", "Not numbered."),
        (HEADING, 3, "", "Side heading"),
        (HEADING, 1, "", "Annex")]


def test_title_and_typed_labels() -> None:
    body = (p(r("Agreement on Things"), "Title")
            + p(r("1. Recital before any Article."))
            + p(r("Article 3 — Scope"), "Heading2")
            + p(r("1. The Parties shall act."))
            + p(r("(a)\tfirst;"))
            + p(r("2. Second paragraph."))
            + p(r("Article 4"))
            + p(r("A later title-styled line"), "Title"))
    doc = read(make_docx(body)).accepted
    assert doc.title == "Agreement on Things"
    assert labelled(doc) == [
        (PARAGRAPH, UNNUMBERED, "", "1. Recital before any Article."),
        (HEADING, ARTICLE_LEVEL, "Article 3", "Scope"),
        (PARAGRAPH, NUMBERED, "3.1", "The Parties shall act."),
        (PARAGRAPH, ITEM, "3.1(a)", "first;"),
        (PARAGRAPH, NUMBERED, "3.2", "Second paragraph."),
        (HEADING, ARTICLE_LEVEL, "Article 4", ""),
        (PARAGRAPH, NUMBERED, "", "A later title-styled line")]


def test_text_content_of_runs_fields_and_wrappers() -> None:
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText xml:space="preserve"> REF _Ref1 \\h </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("Article 7")
             + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    body = p('<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>non</w:t>'
             '<w:noBreakHyphen/><w:t>breaking co</w:t><w:softHyphen/><w:t>operation</w:t>'
             '<w:sym w:font="Symbol" w:char="F0B7"/><w:sym w:font="Arial" w:char="00A7"/></w:r>'
             + r(" see ") + field + r(", ")
             + '<w:fldSimple w:instr=" PAGE "><w:r><w:t>12</w:t></w:r></w:fldSimple>'
             + '<w:hyperlink r:id="rId99" xmlns:r="http://schemas.openxmlformats.org/'
               'officeDocument/2006/relationships">' + r(" link") + "</w:hyperlink>"
             + '<w:smartTag w:uri="u" w:element="place">' + r(" Geneva") + "</w:smartTag>"
             + "<w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>" + r(" control")
             + "</w:sdtContent></w:sdt>"
             + '<w:customXml w:element="party">' + r(" party") + "</w:customXml>")
    block_sdt = ("<w:sdt><w:sdtPr/><w:sdtContent>" + p(r("In a block control."))
                 + "</w:sdtContent></w:sdt>")
    box = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>'
           '<w:txbxContent>' + p(r("Boxed text.")) + '</w:txbxContent></wps:txbx></w:drawing>'
           '</mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>'
           + p(r("Boxed text.")) + '</w:txbxContent></v:textbox></w:pict></mc:Fallback>'
           '</mc:AlternateContent></w:r>')
    word = read(make_docx(body + block_sdt + p(r("Anchor.") + box) + p(r("  spaced   out  "))))
    # a tab is kept as such; a text box stands where it is anchored, read once; a page
    # number (PAGE) is the page's, not text of the file
    assert texts(word.accepted) == [
        "a\tb c non-breaking cooperation·§ see Article 7, link Geneva control party",
        "In a block control.", "Anchor.⟦text box: Boxed text.⟧", "spaced out"]


def test_property_changes_are_listed_and_the_original_keeps_old_properties() -> None:
    change = (f'<w:pPrChange w:id="3" w:author="Eve" w:date="{WHEN}"><w:pPr/></w:pPrChange>')
    inserted_numbering = (f'<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/>'
                          f'<w:ins w:id="4" w:author="Eve" w:date="{WHEN}"/></w:numPr>')
    run_format = (f'<w:r><w:rPr><w:b/><w:rPrChange w:id="5" w:author="Fay" w:date="{WHEN}">'
                  '<w:rPr/></w:rPrChange></w:rPr><w:t>Scope</w:t></w:r>')
    body = (p(run_format, "Heading2", (1, 0), ppr=change)
            + p(r("Now numbered."), ppr=inserted_numbering))
    word = read(make_docx(body, numbering=LISTS))
    assert labelled(word.accepted) == [(HEADING, ARTICLE_LEVEL, "Article 1", "Scope"),
                                       (PARAGRAPH, NUMBERED, "1.1", "Now numbered.")]
    assert labelled(word.original) == [(PARAGRAPH, UNNUMBERED, "", "Scope"),
                                       (PARAGRAPH, UNNUMBERED, "", "Now numbered.")]
    assert word.changes == (TrackedChange("format", "Eve", WHEN, "", "Article 1"),
                            TrackedChange("format", "Fay", WHEN, "", "Article 1"),
                            TrackedChange("format", "Eve", WHEN, "", "1.1."))
    assert word.authors == ("Eve", "Fay")


def test_changes_say_where_they_are() -> None:
    body = (p(r("Scope"), "Heading2", (1, 0))
            + p(r("The Parties ") + ins("shall") + r(" act."), num=(1, 1))
            + p(r("Closing words") + dele(" here")))
    word = read(make_docx(body, numbering=LISTS))
    assert [(c.kind, c.where) for c in word.changes] == [("insert", "1.1."),
                                                         ("delete", "paragraph 3")]


# -- ids ------------------------------------------------------------------------------------

def _bookmark_name(block_id: str) -> str:
    return "_Dft_" + hashlib.sha256(block_id.encode()).hexdigest()[:12]


def _marked(block_id: str, text: str, n: int) -> str:
    name = _bookmark_name(block_id)
    return p(f'<w:bookmarkStart w:id="{n}" w:name="{name}"/>' + r(text)
             + f'<w:bookmarkEnd w:id="{n}"/>')


IDS_BODY = (_marked("nuclear.freeze#p1", "The DPRK shall freeze.", 1)
            + _marked("nuclear.freeze#p2", "Inspectors shall verify.", 2)
            + p(r("Typed in by the other side.")))


def test_ids_from_our_custom_xml_part() -> None:
    rows = "".join(
        f'<block bookmark="{_bookmark_name(i)}" id="{i}" clause="nuclear.freeze" edition="3"/>'
        for i in ("nuclear.freeze#p1", "nuclear.freeze#p2"))
    doc = read(make_docx(IDS_BODY, ids=f'<blocks xmlns="urn:drafting:ids">{rows}</blocks>')
               ).accepted
    assert [(b.id, b.clause, b.edition) for b in doc.blocks] == [
        ("nuclear.freeze#p1", "nuclear.freeze", 3), ("nuclear.freeze#p2", "nuclear.freeze", 3),
        ("auto:3", None, None)]


def test_ids_from_known_ids_when_the_part_is_gone() -> None:
    doc = read(make_docx(IDS_BODY), known_ids=("nuclear.freeze#p2", "other#p1")).accepted
    assert [b.id for b in doc.blocks] == ["auto:1", "nuclear.freeze#p2", "auto:3"]


def test_ids_are_positional_without_mapping() -> None:
    word = read(make_docx(IDS_BODY))
    assert [b.id for b in word.accepted.blocks] == ["auto:1", "auto:2", "auto:3"]


def test_a_split_paragraph_keeps_its_id_once() -> None:
    """The other side pressed Enter inside a marked paragraph: the bookmark starts in the
    first half; the second half must not claim the same id."""
    name = _bookmark_name("a#p1")
    body = (p(f'<w:bookmarkStart w:id="1" w:name="{name}"/>' + r("First half."), mark="ins")
            + p(r("Second half.") + '<w:bookmarkEnd w:id="1"/>'))
    word = read(make_docx(body), known_ids=("a#p1",))
    assert [(b.id, b.text) for b in word.accepted.blocks] == [
        ("a#p1", "First half."), ("auto:2", "Second half.")]
    assert [(b.id, b.text) for b in word.original.blocks] == [("a#p1", "First half.Second half.")]


# -- the file itself ------------------------------------------------------------------------

def test_hash_and_file_errors(tmp_path: Path) -> None:
    data = make_docx(p(r("Text.")))
    path = tmp_path / "draft.docx"
    path.write_bytes(data)
    assert read_file(path).sha256 == hashlib.sha256(data).hexdigest()
    with pytest.raises(DraftingError, match="no such file"):
        read_file(tmp_path / "missing.docx")
    with pytest.raises(DraftingError, match="is a folder"):
        read_file(tmp_path)
