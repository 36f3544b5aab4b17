"""The output format follows -o: one rule for every command that writes (writers/formats.py)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting import outputs
from drafting.cli import main
from drafting.errors import DraftingError
from drafting.writers.formats import FORMATS, Writers, format_of


def draft(ws: Path, *args: str):
    return CliRunner().invoke(main, ["-C", str(ws), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from drafting.scaffold import create_workspace

    ws = tmp_path_factory.mktemp("formats") / "ws"
    create_workspace(ws)
    for side in ("north", "south"):
        assert draft(ws, "build", "treaty", "--side", side).exit_code == 0
    return ws


def diff(ws: Path, *args: str):
    return draft(ws, "diff", "treaty@north", "treaty@south", *args)


@pytest.mark.parametrize("name, starts", [
    ("out.html", "<!doctype html>"), ("out.HTM", "<!doctype html>"),
    ("out.md", "# Agreement on the Shared Waters"), ("out.txt", "--- Republic of North"),
    ("out.json", "{"), ("out.docx", "PK\x03\x04")])
def test_diff_writes_the_format_its_file_name_asks_for(built, tmp_path, name, starts):
    out = tmp_path / name
    r = diff(built, "-o", str(out))
    assert r.exit_code == 1 and r.output == "" and r.stderr == ""
    assert out.read_bytes().decode("latin-1").startswith(starts)
    if name.endswith(".md"):
        assert "{--60--}{++45++}" in out.read_text() or "{~~60~>45~~}" in out.read_text()
    if name.endswith(".txt"):
        text = out.read_text()
        assert "[-60-]{+45+}" in text and "\x1b[" not in text
    if name.endswith(".json"):
        assert json.loads(out.read_text())["new_ref"].startswith("treaty@south")
    if name.endswith(".docx"):
        assert "word/document.xml" in zipfile.ZipFile(out).namelist()


@pytest.mark.parametrize("args, message", [
    (["--format", "html", "-o", "{tmp}/out.docx"],
     "--format html contradicts -o {tmp}/out.docx (a .docx file): name the file .html or "
     "drop --format"),
    (["-o", "{tmp}/out.pdf"],
     "cannot tell the format from the file name '{tmp}/out.pdf': name it .txt, .md, .html, "
     ".json or .docx, or give --format"),
    (["-o", "{tmp}/out"],
     "cannot tell the format from the file name '{tmp}/out': name it .txt, .md, .html, "
     ".json or .docx, or give --format"),
    (["-o", "{tmp}/chart.svg"],
     "diff cannot write .svg files ({tmp}/chart.svg): use .txt, .md, .html, .json or .docx"),
    (["--format", "docx"], "--format docx needs an output file: -o FILE.docx"),
])
def test_diff_refuses_a_format_that_contradicts_the_file(built, tmp_path, args, message):
    r = diff(built, *(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert r.exit_code == 2
    assert r.stderr == f"draft: error: {message.replace('{tmp}', str(tmp_path))}\n"
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a temporary file


def test_explicit_format_with_a_neutral_file_name_is_obeyed(built, tmp_path):
    out = tmp_path / "changes.log"
    assert diff(built, "--format", "md", "-o", str(out)).exit_code == 1
    assert "{++45++}" in out.read_text() or "~>45~~}" in out.read_text()
    assert diff(built, "--format", "md", "-o", str(tmp_path / "c.markdown")).exit_code == 1


def test_joint_follows_the_extension_and_refuses_others(built, tmp_path):
    for name, starts in (("j.md", "# "), ("j.html", "<!doctype html>"), ("j.docx", "PK"),
                         ("j.json", '{\n "title"')):
        r = draft(built, "joint", "treaty@north", "treaty@south", "-o", str(tmp_path / name))
        assert r.exit_code == 0, r.stderr
        assert (tmp_path / name).read_bytes().decode("latin-1").startswith(starts)
    r = draft(built, "joint", "treaty@north", "treaty@south", "-o", str(tmp_path / "j.svg"))
    assert r.exit_code == 2 and r.stderr == (
        f"draft: error: joint cannot write .svg files ({tmp_path / 'j.svg'}): use .md, .html, "
        ".json or .docx\n")
    r = draft(built, "joint", "treaty@north", "treaty@south", "--format", "docx")
    assert r.exit_code == 2 and "--format docx needs an output file: -o FILE.docx" in r.stderr


def test_export_writes_word_only(built, tmp_path):
    r = draft(built, "export", "treaty@north", "-o", str(tmp_path / "n.md"))
    assert r.exit_code == 2 and r.stderr == (
        f"draft: error: export cannot write .md files ({tmp_path / 'n.md'}): use .docx\n")
    r = draft(built, "export", "treaty@north", "--format", "docx", "-o", str(tmp_path / "n.docx"))
    assert r.exit_code == 0 and r.output.startswith(f"wrote {tmp_path / 'n.docx'} (")


def test_brackets_and_progress_write_json_text_and_svg(built, tmp_path):
    out = tmp_path / "b.json"
    assert draft(built, "brackets", "treaty@north", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text())["source"].startswith("treaty@north")
    printed = draft(built, "brackets", "treaty@north", "--json").output
    assert printed == out.read_text()
    r = draft(built, "brackets", "treaty@north", "--json", "--format", "term")
    assert r.exit_code == 2 and r.stderr == "draft: error: --json contradicts --format term\n"
    table = tmp_path / "p.txt"
    assert draft(built, "progress", "treaty", "-o", str(table)).exit_code == 0
    assert table.read_text() == draft(built, "progress", "treaty").output
    assert table.read_text().startswith("rev  id")
    svg = tmp_path / "p.svg"
    assert draft(built, "progress", "treaty", "-o", str(svg)).exit_code == 0
    assert svg.read_text().startswith("<svg")
    r = draft(built, "progress", "treaty", "--format", "json", "-o", str(tmp_path / "p.svg"))
    assert r.exit_code == 2 and "--format json contradicts -o" in r.stderr


def test_help_lists_each_commands_own_formats():
    r = CliRunner().invoke(main, ["joint", "--help"])
    assert "--format md|html|json|docx" in r.output
    assert "default: from -o's extension, else md" in " ".join(r.output.split())
    r = CliRunner().invoke(main, ["diff", "--format", "svg", "a", "b"])
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1


def test_every_table_writes_only_known_formats_and_its_default():
    tables = [w for w in vars(outputs).values() if isinstance(w, Writers)]
    assert {w.command for w in tables} >= {"diff", "joint", "export", "brackets", "progress"}
    for writers in tables:
        assert writers.default in writers.names
        assert set(writers.names) <= set(FORMATS)
    extensions = [e for f in FORMATS.values() for e in f.extensions]
    assert len(extensions) == len(set(extensions))  # an extension names one format
    assert format_of("A.DOCX") is FORMATS["docx"] and format_of("notes") is None


def test_choose_the_rule():
    w = Writers("thing", default="term")
    for name in ("term", "json", "docx"):
        w.writer(name)(lambda r: "")
    assert w.choose(None, None).name == "term"
    assert w.choose(None, "x.json").name == "json"
    assert w.choose("json", "x.out").name == "json"
    assert w.choose("term", "x.txt").name == "term"
    with pytest.raises(DraftingError, match="thing cannot write --format md"):
        w.choose("md", None)
    with pytest.raises(DraftingError, match="needs an output file"):
        w.choose(None, None) if w.default == "docx" else w.choose("docx", None)
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        w.writer("pdf")


def test_output_files_get_the_usual_permissions(built, tmp_path):
    import os

    old = os.umask(0o022)
    try:
        out = tmp_path / "redline.html"
        assert diff(built, "-o", str(out)).exit_code == 1
        assert out.stat().st_mode & 0o777 == 0o644  # readable by the team, as cp would make it
    finally:
        os.umask(old)
