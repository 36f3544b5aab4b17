"""The readers' limit on inline marks (readers/mark_budget.py): a small file of many
formatted runs cost work out of proportion to its bytes (a 4 MB Markdown file of 1,000,000
italics: 9 CPU s to read, `draft export` 46 s and 1.7 GB). Just under the limit is read,
just over it is refused with one line, for Markdown (body and table cells) and the JSON
form a revision is read back from; test_attack_input.py runs the command line on files
over it (.md and .txt) and a revision file over it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting.cli import main
from drafting.errors import DraftingError
from drafting.markup import parse_inline
from drafting.model import Document
from drafting.readers import markdown as md_reader
from drafting.readers.docx import budget as word_budget
from drafting.readers.mark_budget import MAX_MARKS, MarkBudget

OVER = f"refused: more than {MAX_MARKS} formatted runs, links and object tokens (the " \
       "readers' limit)"


def italics(n: int) -> str:
    return "# T\n\n" + "*a* " * n + "\n"


def cells(n: int, per_cell: int = 100) -> str:
    """Cells of `per_cell` italics each, n italics in all, the last cell holding the rest."""
    rows = [f"{{table 1 row {r} cell 1}} " + "*a* " * min(per_cell, n - k)
            for r, k in enumerate(range(0, n, per_cell), 1)]
    return "# T\n\n" + "\n".join(rows) + "\n"


def md_refused(text: str) -> str:
    with pytest.raises(DraftingError) as caught:
        md_reader.read_text(text, source="hostile.md")
    assert str(caught.value) == f"hostile.md: {caught.value.message}"
    return caught.value.message


def marks_of(doc: Document) -> int:
    return sum(len(b.marks) for b in doc.blocks)


def test_the_word_reader_counts_the_same_limit_in_both_readings() -> None:
    assert word_budget.LIMITS["formatted runs"] == 2 * MAX_MARKS


def test_markdown_italics_just_under_the_limit_are_read_over_refused() -> None:
    doc = md_reader.read_text(italics(MAX_MARKS))
    assert marks_of(doc) == MAX_MARKS
    assert {(m.kind, doc.blocks[0].text[m.start:m.end]) for m in doc.blocks[0].marks} == \
        {("italic", "a")}
    assert md_refused(italics(MAX_MARKS + 1)) == OVER


def test_links_and_object_tokens_count_with_formatted_runs() -> None:
    third = MAX_MARKS // 3
    text = "# T\n\n" + "[w](https://x.org) " * third + "⟦image · 3fa2c1⟧ " * third + \
        "**b** " * (MAX_MARKS - 2 * third)
    kinds: dict[str, int] = {}
    for mark in md_reader.read_text(text).blocks[0].marks:
        kinds[mark.kind] = kinds.get(mark.kind, 0) + 1
    assert kinds == {"link": third, "object": third, "bold": MAX_MARKS - 2 * third}
    assert md_refused(text[:-1] + " [w](https://x.org)\n") == OVER


def test_marks_in_table_cells_just_under_the_limit_are_read_over_refused() -> None:
    doc = md_reader.read_text(cells(MAX_MARKS))
    assert len(doc.blocks) == MAX_MARKS // 100 and marks_of(doc) == MAX_MARKS
    assert doc.blocks[-1].cell.row == MAX_MARKS // 100
    assert md_refused(cells(MAX_MARKS + 1)) == OVER


def test_marks_are_counted_over_the_whole_file_not_per_paragraph() -> None:
    half = "*a* " * (MAX_MARKS // 2)
    doc = md_reader.read_text(f"# T\n\n{half}\n\n{half}\n")
    assert [len(b.marks) for b in doc.blocks] == [MAX_MARKS // 2] * 2
    assert md_refused(f"# T\n\n{half}\n\n{half}*b*\n") == OVER


def test_the_parser_stops_at_the_mark_over_the_budget() -> None:
    """Charged as each mark is made: the refusal comes from inside parse_inline, with the
    marks before it spent and nothing after it parsed."""
    budget = MarkBudget("f.md")
    budget.left = 2
    with pytest.raises(DraftingError) as caught:
        parse_inline("*a* **b** <u>c</u> [d](#e)", budget)
    assert str(caught.value) == f"f.md: {OVER}"
    assert budget.left == -1
    assert parse_inline("*a* **b** <u>c</u>")[1] != ()  # no budget: as before


def test_markdown_just_under_the_limit_diffs_against_a_copy_with_one_change(
        tmp_path: Path) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(italics(MAX_MARKS))
    new.write_text(italics(MAX_MARKS).replace("*a* ", "*b* ", 1))
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--stat"])
    assert result.exit_code == 1, result.output
    assert "blocks: 1 changed, 0 inserted, 0 deleted; 1 words inserted, 1 deleted" in \
        result.stdout.splitlines()


# -- the JSON form (a revision file, read back by the store) ---------------------------------

def marks_json(counts: list[int]) -> dict:
    """A Document's JSON form, one block of `count` italics for each count."""
    return {"title": "T", "blocks": [
        {"kind": "paragraph", "level": 0, "id": f"auto:{n}", "label": "",
         "text": "a " * count, "marks": [[2 * k, 2 * k + 1, "italic"] for k in range(count)]}
        for n, count in enumerate(counts, 1)]}


def test_json_marks_just_under_the_limit_are_read_over_refused() -> None:
    counts = [MAX_MARKS // 4] * 4
    doc = Document.from_dict(marks_json(counts))
    assert [len(b.marks) for b in doc.blocks] == counts
    assert Document.from_dict(doc.to_dict()) == doc
    with pytest.raises(DraftingError) as caught:
        Document.from_dict(marks_json([*counts, 1]), "r.json")
    assert str(caught.value) == f"r.json: {OVER}"


# -- Word: the budget bounds both readings, each reading is held to the limit ---------------

def inserted_bold_runs(n: int) -> bytes:
    """One paragraph whose n bold runs are all a tracked insertion: the accepted reading
    has n marks, the original none."""
    import hostile_docx as make

    runs = "<w:r><w:rPr><w:b/></w:rPr><w:t>x</w:t></w:r><w:r><w:t>-</w:t></w:r>" * n
    return make.docx(make.document_xml(
        f'<w:p><w:ins w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z">{runs}</w:ins>'
        "</w:p>"))


def test_one_word_reading_just_under_the_limit_is_read_over_refused(monkeypatch) -> None:
    from drafting.readers import mark_budget
    from drafting.readers.docx import read_bytes

    monkeypatch.setattr(mark_budget, "MAX_MARKS", 1_000)
    word = read_bytes(inserted_bold_runs(1_000), "under.docx")
    assert [len(b.marks) for b in word.accepted.blocks] == [1_000]
    assert word.original.blocks == ()  # the paragraph is all inserted
    with pytest.raises(DraftingError) as caught:
        read_bytes(inserted_bold_runs(1_001), "over.docx")
    assert str(caught.value) == "over.docx: " + OVER.replace(str(MAX_MARKS), "1000")
