"""The Word reader's budgets (drafting/readers/docx/budget.py) bound the work a file can
cause inside every package limit. Each limit is tried just under it (the file reads) and
just over it (one line naming the limit); the files of the report are refused too."""

from __future__ import annotations

from pathlib import Path

import hostile_docx as make
import pytest
from test_docx_hostile import refused

from drafting.errors import DraftingError
from drafting.readers import markdown
from drafting.readers.docx import budget, read_bytes


def read(data: bytes):
    return read_bytes(data, "hostile.docx")


def over(count: int, what: str, where: str = "") -> str:
    where = f", reached in {where}" if where else ""
    return f"refused: more than {count} {what} (the Word reader's limit{where})"


def test_the_reported_paragraph_bomb_is_refused_before_parsing() -> None:
    """About a megabyte of .docx, 98 MB of document.xml, 400,000 empty paragraphs: it took
    320 s and 13.8 GB; now the byte count of the part refuses it before lxml sees it."""
    data = make.paragraph_bomb()
    assert len(data) < 2_000_000
    assert refused(data) == over(budget.MAX_XML_BYTES, "bytes of XML", "word/document.xml")


def test_xml_bytes_just_under_and_over_the_limit() -> None:
    assert read(make.exact_xml_bytes(budget.MAX_XML_BYTES)).accepted.blocks == ()
    assert refused(make.exact_xml_bytes(budget.MAX_XML_BYTES + 1)) == \
        over(budget.MAX_XML_BYTES, "bytes of XML", "word/document.xml")


def test_xml_nodes_just_under_and_over_the_limit() -> None:
    """Each empty run is two nodes (a tag and an attribute); the package's own parts
    (the relationships and the document wrapper) count too."""
    base = sum(part.count(b"<") + part.count(b"=") for part in
               (make.PACKAGE_RELS, make.document_xml("<w:p></w:p>")))
    runs = (budget.MAX_XML_NODES - base) // 2
    word = read(make.empty_runs(runs))
    assert len(word.accepted.blocks) == 0
    assert refused(make.empty_runs(runs + 1)) == \
        over(budget.MAX_XML_NODES, "XML tags and attributes", "word/document.xml")


def test_paragraphs_just_under_and_over_the_limit() -> None:
    assert read(make.empty_paragraphs(budget.MAX_PARAGRAPHS)).accepted.blocks == ()
    assert refused(make.empty_paragraphs(budget.MAX_PARAGRAPHS + 1)) == \
        over(budget.MAX_PARAGRAPHS, "paragraphs")


def test_tracked_changes_just_under_and_over_the_limit() -> None:
    word = read(make.tracked_changes(budget.MAX_TRACKED_CHANGES))
    assert len(word.changes) == budget.MAX_TRACKED_CHANGES
    assert word.changes[-1].text == f"w{budget.MAX_TRACKED_CHANGES - 1} "
    assert refused(make.tracked_changes(budget.MAX_TRACKED_CHANGES + 1)) == \
        over(budget.MAX_TRACKED_CHANGES, "tracked changes")


def test_tracked_change_text_just_under_and_over_the_limit() -> None:
    """Nested insertions around a long text each keep 100,001 characters of it; 249 of
    them stay under 25 million characters, 251 do not."""
    body = "<w:r><w:t>" + "word " * 30_000 + "</w:t></w:r>"
    word = read(make.nested_insertions(249, body))
    assert len(word.changes) == 249
    assert refused(make.nested_insertions(251, body)) == \
        over(budget.MAX_TRACKED_TEXT, "characters of tracked-change text")


def test_text_walked_inside_nested_changes_just_under_and_over_the_limit() -> None:
    """100 nested insertions around 20,000 empty runs: collecting their text walks two
    million elements, which is the limit; one run more goes over it."""
    runs = budget.MAX_TRACKED_NODES // 100
    word = read(make.nested_insertions(100, "<w:r><w:t/></w:r>" * runs))
    assert len(word.changes) == 100 and word.accepted.blocks == ()
    assert refused(make.nested_insertions(100, "<w:r><w:t/></w:r>" * (runs + 1))) == \
        over(budget.MAX_TRACKED_NODES, "text elements inside tracked changes")


def test_the_reported_level_text_is_refused() -> None:
    """w:lvlText "%1" repeated 400,000 times cost a second per numbered paragraph."""
    assert refused(make.numbered_docx("%1" * 400_000, 3)) == \
        "refused: a list level text (w:lvlText) of 800000 characters (limit 200)"


def test_level_text_just_under_and_over_the_limit() -> None:
    word = read(make.numbered_docx("x" * 198 + "%1", 2))
    assert [b.label for b in word.accepted.blocks] == ["x" * 198 + "1", "x" * 198 + "2"]
    assert refused(make.numbered_docx("x" * 199 + "%1", 2)) == \
        "refused: a list level text (w:lvlText) of 201 characters (limit 200)"


def test_one_list_number_just_under_and_over_the_limit() -> None:
    """A w:start of 200 digits makes a 200-character number; 201 digits are refused."""
    word = read(make.numbered_docx("%1", 1, start=10**199))
    assert [len(b.label) for b in word.accepted.blocks] == [200]
    assert refused(make.numbered_docx("%1", 1, start=10**200)) == \
        "refused: a list number of 201 characters (limit 200)"


def test_list_number_text_just_under_and_over_the_limit() -> None:
    """Numbers of 100 digits, computed in both readings: 5,000 paragraphs make exactly a
    million characters, 5,001 go over."""
    paragraphs = budget.MAX_LABEL_TEXT // 200
    word = read(make.numbered_docx("%1", paragraphs, start=10**99))
    assert len(word.accepted.blocks) == paragraphs
    assert refused(make.numbered_docx("%1", paragraphs + 1, start=10**99)) == \
        over(budget.MAX_LABEL_TEXT, "characters of list numbers")


def test_list_levels_outside_0_to_8_are_ignored() -> None:
    """Each paragraph on a level of its own would make every list number walk all the
    levels before it; levels beyond Word's nine count as the list's first."""
    body = "".join(f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{9 + k}"/><w:numId w:val="1"/>'
                   f"</w:numPr></w:pPr><w:r><w:t>Item.</w:t></w:r></w:p>" for k in range(3))
    data = make.docx(make.document_xml(body), **{
        "word/_rels/document.xml.rels": make.DOCUMENT_RELS,
        "word/numbering.xml": make.numbering_xml("%1.")})
    assert [b.label for b in read(data).accepted.blocks] == ["1", "2", "3"]


def test_a_style_chain_is_followed_only_so_far() -> None:
    """Styles based on styles 5,000 deep, "heading 1" at the root: a chain of 50 styles is
    followed, a longer one is cut there, so each lookup is bounded."""
    styles = "".join(f'<w:style w:type="paragraph" w:styleId="s{k}"><w:name w:val="s{k}"/>'
                     f'<w:basedOn w:val="s{k - 1}"/></w:style>' for k in range(1, 5000))
    root = '<w:style w:type="paragraph" w:styleId="s0"><w:name w:val="heading 1"/></w:style>'
    rels = make.DOCUMENT_RELS.replace(b"numbering", b"styles")
    kinds = []
    for style in ("s49", "s50", "s4999"):
        body = (f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>General '
                "Provisions</w:t></w:r></w:p>")
        data = make.docx(make.document_xml(body), **{
            "word/_rels/document.xml.rels": rels,
            "word/styles.xml": make.styles_xml(root + styles)})
        kinds.extend(b.kind for b in read(data).accepted.blocks)
    assert kinds == ["heading", "paragraph", "paragraph"]


def test_markdown_lines_just_under_and_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "lines.md"
    path.write_text("x\n" * (markdown.MAX_LINES - 1))
    assert len(markdown.read_file(path).blocks) == 1
    path.write_text("x\n" * markdown.MAX_LINES)
    with pytest.raises(DraftingError) as caught:
        markdown.read_file(path)
    assert str(caught.value) == f"{path}: refused: {markdown.MAX_LINES + 1} lines (limit " \
        f"{markdown.MAX_LINES})"


def test_markdown_bytes_just_under_and_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.md"
    path.write_bytes(b"word " * (markdown.MAX_TEXT_BYTES // 5))
    assert markdown.read_file(path).word_count() == markdown.MAX_TEXT_BYTES // 5
    path.write_bytes(b"word " * (markdown.MAX_TEXT_BYTES // 5) + b"x")
    with pytest.raises(DraftingError) as caught:
        markdown.read_file(path)
    assert str(caught.value) == f"{path}: file too large (over {markdown.MAX_TEXT_BYTES} bytes)"
