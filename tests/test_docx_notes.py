"""Footnotes and endnotes: read where their mark stands, numbered as Word and LibreOffice
show them, carried through the Markdown and JSON forms, and seen by the diff."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, lo_probe, need_corpus
from test_docx_reader import WHEN, make_docx, p, r, read

from drafting.cli import main
from drafting.model import ENDNOTE, FOOTNOTE, Document
from drafting.readers import markdown as md_reader
from drafting.readers.docx import read_bytes, read_file
from drafting.readers.docx.notes import MAX_START
from drafting.writers import docx_clean
from drafting.writers import markdown as md_writer
from drafting.writers.word import Meta

WC = CORPUS / "docx" / "compare" / "oxpt-WC"
SEPARATORS = ('<w:{0} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
              '</w:{0}><w:{0} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
              '<w:continuationSeparator/></w:r></w:p></w:{0}>')


def note_xml(kind: str, n: int, *paragraphs: str) -> str:
    """One note, its reference mark opening its first paragraph."""
    first, *more = paragraphs
    return (f'<w:{kind} w:id="{n}"><w:p><w:r><w:{kind}Ref/></w:r>{r(" " + first)}</w:p>'
            + "".join(p(r(text)) for text in more) + f"</w:{kind}>")


def notes_xml(kind: str, texts: dict[int, str]) -> str:
    """A footnotes or endnotes part's content: the separators and one note per id."""
    return SEPARATORS.format(kind) + "".join(note_xml(kind, n, text)
                                             for n, text in texts.items())


def endnote_ref(n: int) -> str:
    return f'<w:r><w:endnoteReference w:id="{n}"/></w:r>'


def footnote_ref(n: int) -> str:
    return f'<w:r><w:footnoteReference w:id="{n}"/></w:r>'


def shown(doc: Document) -> list[tuple[str, str, str | None]]:
    return [(b.label, b.text, b.note) for b in doc.blocks]


def test_endnotes_are_read_where_their_mark_is_numbered_i_ii_by_default() -> None:
    body = p(r("One") + endnote_ref(2) + r(" two") + footnote_ref(1)) + p(r("Three") +
                                                                          endnote_ref(1))
    word = read(make_docx(body, footnotes=notes_xml("footnote", {1: "A footnote."}),
                          endnotes=notes_xml("endnote", {1: "Second end.", 2: "First end."})))
    assert shown(word.accepted) == [
        ("", "One[^ei] two[^1]", None), ("", "Three[^eii]", None),
        ("[^1]", "A footnote.", FOOTNOTE), ("[^ei]", "First end.", ENDNOTE),
        ("[^eii]", "Second end.", ENDNOTE)]


def test_note_numbers_follow_the_documents_settings_and_its_last_section() -> None:
    body = p(r("One") + endnote_ref(1) + footnote_ref(1))
    parts = {"footnotes": notes_xml("footnote", {1: "F."}),
             "endnotes": notes_xml("endnote", {1: "E."})}
    settings = ('<w:footnotePr><w:numFmt w:val="upperRoman"/><w:numStart w:val="4"/>'
                '</w:footnotePr><w:endnotePr><w:numFmt w:val="decimal"/></w:endnotePr>')
    word = read(make_docx(body, settings=settings, **parts))
    assert word.accepted.blocks[0].text == "One[^e1][^IV]"
    # a section's own w:footnotePr wins over the settings'
    section = ('<w:sectPr><w:footnotePr><w:numFmt w:val="chicago"/></w:footnotePr>'
               '</w:sectPr>')
    word = read(make_docx(p(r("x")) + section + p(r("One") + footnote_ref(1)),
                          settings=settings, **parts))
    assert word.accepted.blocks[1].text == "One[^IV]"  # the last section has none: settings


def test_a_tracked_note_reference_is_in_one_reading_only() -> None:
    deleted = (f'<w:del w:id="9" w:author="Bob" w:date="{WHEN}">'
               f'{endnote_ref(1)}</w:del>')
    word = read(make_docx(p(r("Text") + deleted + r(" more")),
                          endnotes=notes_xml("endnote", {1: "Gone."})))
    assert shown(word.accepted) == [("", "Text more", None)]
    assert shown(word.original) == [("", "Text[^ei] more", None),
                                    ("[^ei]", "Gone.", ENDNOTE)]


def test_the_placeholder_characters_in_a_files_text_are_not_references() -> None:
    word = read(make_docx(p(r("a\ufff9f1\ufffbb")),
                          footnotes=notes_xml("footnote", {1: "Never referenced."})))
    assert shown(word.accepted) == [("", "af1b", None)]


def test_a_reference_to_a_missing_note_keeps_its_token_and_an_empty_note() -> None:
    word = read(make_docx(p(r("Text") + footnote_ref(7))))
    assert shown(word.accepted) == [("", "Text[^1]", None), ("[^1]", "", FOOTNOTE)]


# -- Markdown and JSON forms ------------------------------------------------------------------

NOTED = """# Notes

Some text[^1] and more[^ei].

## Article 1

1. Shall[^2].

[^1]: First note.

[^2]: Second.

[^ei]: An endnote.

[^3]:
"""


def test_markdown_notes_round_trip_and_read_as_note_blocks() -> None:
    doc = md_reader.read_text(NOTED)
    assert md_writer.render(doc) == NOTED
    assert [(b.label, b.note) for b in doc.blocks if b.note] == [
        ("[^1]", FOOTNOTE), ("[^2]", FOOTNOTE), ("[^ei]", ENDNOTE), ("[^3]", FOOTNOTE)]
    assert Document.from_dict(doc.to_dict()) == doc


def test_word_notes_survive_markdown_and_json(tmp_path: Path) -> None:
    body = p(r("Noted"), style="Title") + p(r("One") + endnote_ref(1) + footnote_ref(1))
    word = read(make_docx(body, footnotes=notes_xml("footnote", {1: "F note."}),
                          endnotes=notes_xml("endnote", {1: "E note."})))
    text = md_writer.render(word.accepted)
    assert text.endswith("One[^ei][^1]\n\n[^1]: F note.\n\n[^ei]: E note.\n")
    again = md_reader.read_text(text)
    assert shown(again) == shown(word.accepted)
    assert md_writer.render(again) == text
    assert '"note": "endnote"' in word.accepted.to_json()
    assert Document.from_dict(word.accepted.to_dict()) == word.accepted


def import_and_show(workspace: Path, name: str, text: str, *show: str) -> str:
    """`draft import` of a Markdown file as the US revision, then `draft show` of it."""
    source = workspace / name
    source.write_text(text, encoding="utf-8")
    run = CliRunner().invoke(main, ["-C", str(workspace), "import", str(source), "-a",
                                    "phased-agreement", "-s", "us"], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return CliRunner().invoke(main, ["-C", str(workspace), "show", "phased-agreement@us",
                                     *show]).output


def test_import_then_show_gives_a_markdown_file_with_notes_back(workspace: Path) -> None:
    assert import_and_show(workspace, "noted.md", NOTED) == NOTED


# -- the diff sees notes ----------------------------------------------------------------------

def _pair(tmp_path: Path, old: bytes, new: bytes) -> tuple[Path, Path]:
    a, b = tmp_path / "old.docx", tmp_path / "new.docx"
    a.write_bytes(old)
    b.write_bytes(new)
    return a, b


def _diff(a: Path, b: Path, *args: str):
    return CliRunner().invoke(main, ["diff", str(a), str(b), *args], catch_exceptions=False)


ENDNOTE_PAIRS = {  # (old endnotes, old body refs), (new ...): each differs only in endnotes
    "edited": ({1: "Ratified in 2019."}, [1], {1: "Ratified in 2020."}, [1]),
    "added": ({}, [], {1: "Ratified in 2019."}, [1]),
    "removed": ({1: "Ratified in 2019.", 2: "Signed."}, [1, 2], {1: "Ratified in 2019."}, [1]),
}


@pytest.mark.parametrize("name", sorted(ENDNOTE_PAIRS))
def test_a_pair_differing_only_in_an_endnote_differs(tmp_path: Path, name: str) -> None:
    old_notes, old_refs, new_notes, new_refs = ENDNOTE_PAIRS[name]

    def build(notes: dict[int, str], refs: list[int]) -> bytes:
        body = p(r("The Agreement enters into force.") + "".join(map(endnote_ref, refs)))
        return make_docx(body, endnotes=notes_xml("endnote", notes))

    a, b = _pair(tmp_path, build(old_notes, old_refs), build(new_notes, new_refs))
    run = _diff(a, b)
    assert run.exit_code == 1, run.output
    assert "[^ei]" in run.output


def test_wc020_footnote_pairs_differ_and_read_as_libreoffice_reads_them() -> None:
    before = need_corpus("docx", "compare", "oxpt-WC", "WC020-FootNote-Before.docx")
    after1, after2 = WC / "WC020-FootNote-After-1.docx", WC / "WC020-FootNote-After-2.docx"
    for after in (after1, after2):
        assert _diff(before, after).exit_code == 1
    probed = lo_probe("inspect", str(before), str(after1), str(after2))
    for path, office in zip((before, after1, after2), probed, strict=True):
        doc = read_file(path).accepted
        for kind, key in ((FOOTNOTE, "footnotes"), (ENDNOTE, "endnotes")):
            ours = [b for b in doc.blocks if b.note == kind]
            theirs = office["structure"][key]
            assert [b.text for b in ours] == [" ".join(n["text"].split()) for n in theirs]
            prefix = "e" if kind == ENDNOTE else ""
            assert [b.label for b in ours] == [f"[^{prefix}{n['mark']}]" for n in theirs]


def test_usgpo_footnotes_are_where_libreoffice_puts_them() -> None:
    folder = need_corpus("docx", "tracked", "usgpo")
    path = folder / "USLM-2_0-Review-Guide_previous.docx"
    doc = read_file(path).accepted
    office = lo_probe("inspect", str(path))[0]["structure"]
    notes = [b for b in doc.blocks if b.note]
    assert [b.label for b in notes] == [f"[^{n['mark']}]" for n in office["footnotes"]]
    assert [b.text for b in notes] == [" ".join(n["text"].split())
                                       for n in office["footnotes"]]
    referring = [b for b in doc.blocks if not b.note and "[^" in b.text]
    assert sum(b.text.count("[^") for b in referring) == len(notes)


# -- what the model cannot carry is said ------------------------------------------------------

@pytest.mark.parametrize(("start", "shown_"), [(MAX_START, f"[^{MAX_START}]"),
                                               (MAX_START + 1, "[^1]")])
def test_a_note_numbering_start_beyond_the_limit_is_not_followed(start: int,
                                                                 shown_: str) -> None:
    settings = f'<w:footnotePr><w:numStart w:val="{start}"/></w:footnotePr>'
    word = read(make_docx(p(r("x") + footnote_ref(1)), settings=settings,
                          footnotes=notes_xml("footnote", {1: "F."})))
    assert word.accepted.blocks[0].text == "x" + shown_


def test_what_notes_cannot_keep_is_said_in_warnings(tmp_path: Path) -> None:
    settings = ('<w:footnotePr><w:numFmt w:val="hebrew1"/><w:numRestart w:val="eachPage"/>'
                '</w:footnotePr>')
    custom = '<w:r><w:footnoteReference w:customMarkFollows="1" w:id="2"/><w:t>*</w:t></w:r>'
    footnotes = (SEPARATORS.format("footnote") + note_xml("footnote", 1, "One.", "Two.")
                 + note_xml("footnote", 2, "Starred."))
    data = make_docx(p(r("x") + footnote_ref(1) + custom), settings=settings,
                     footnotes=footnotes)
    word = read(data)
    assert shown(word.accepted)[0] == ("", "x[^1][^2]*", None)
    assert word.accepted.blocks[1].text == "One. Two."
    assert word.warnings == (
        "a note with its own reference mark (w:customMarkFollows) is numbered like the "
        "others; its mark stays as text",
        "footnote numbers restart on each page or section in Word: numbered continuously here",
        "footnote numbers in the format 'hebrew1': written in arabic numerals",
        "footnote [^1] has several paragraphs: joined into one")
    path = tmp_path / "noted.docx"
    path.write_bytes(data)
    run = CliRunner().invoke(main, ["diff", str(path), str(path)])
    assert run.exit_code == 0
    assert f"draft: warning: {path}: footnote [^1] has several paragraphs: joined into one\n" \
        in run.stderr


# -- the clean Word export writes real notes --------------------------------------------------

def test_the_export_of_an_imported_file_has_real_footnotes_and_endnotes(tmp_path: Path) -> None:
    body = p(r("Noted"), style="Title") + p(r("One") + endnote_ref(1) + r(" two") +
                                            footnote_ref(1)) + p(r("Three") + footnote_ref(2))
    word = read(make_docx(body, footnotes=notes_xml("footnote", {1: "F one.", 2: "F two."}),
                          endnotes=notes_xml("endnote", {1: "E one."})))
    data = docx_clean.render(word.accepted, Meta("Noted", "a", "us", "r1",
                                                 "2026-03-01T10:00:00Z"))
    back = read_bytes(data, "exported.docx").accepted
    assert [b for b in shown(back) if b[2] or "[^" in b[1]] == [
        b for b in shown(word.accepted) if b[2] or "[^" in b[1]]
    path = tmp_path / "exported.docx"
    path.write_bytes(data)
    office = lo_probe("inspect", str(path))[0]["structure"]
    assert [(n["mark"], n["text"]) for n in office["footnotes"]] == [("1", " F one."),
                                                                      ("2", " F two.")]
    assert [(n["mark"], n["text"]) for n in office["endnotes"]] == [("i", " E one.")]


def test_a_note_no_text_refers_to_is_exported_as_a_paragraph() -> None:
    doc = md_reader.read_text("# T\n\nNo reference here.\n\n[^1]: An orphan note.\n")
    data = docx_clean.render(doc, Meta("T", "a", "us", "r1", "2026-03-01T10:00:00Z"))
    back = read_bytes(data, "exported.docx").accepted
    # the export puts a tab between a typed label and its text; the reader keeps tabs
    assert [b.text for b in back.blocks][-1] == "[^1]\tAn orphan note."
