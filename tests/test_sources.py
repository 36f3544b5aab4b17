"""Source files stay inside the workspace and are text; bad values are one line, exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_assemble import art, build_doc, make_workspace
from test_cli import run

from drafting.errors import DraftingError
from drafting.yamlfile import parse_yaml

LINK = "is a symbolic link: source files must be regular files inside the workspace"


@pytest.fixture
def outside(tmp_path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md.j2").write_text("SECRET\n")
    (folder / "secret.md").write_text("---\nid: secret\ntitle: S\nedition: 1\n---\nSECRET\n")
    return folder


def refused(ws, message: str, path: str, line: int | None = None) -> None:
    with pytest.raises(DraftingError) as e:
        build_doc(ws)
    assert e.value.message == message
    assert e.value.path.endswith(path) and e.value.line == line


def test_a_linked_template_or_include_is_refused(tmp_path, outside):
    ws = make_workspace(tmp_path / "w", 'A.\n\n{% include "secret.md.j2" %}\n', {})
    (ws.templates_dir / "secret.md.j2").symlink_to(outside / "secret.md.j2")
    refused(ws, LINK, "templates/secret.md.j2")
    (ws.templates_dir / "secret.md.j2").unlink()
    (ws.templates_dir / "sub").symlink_to(outside)
    (ws.templates_dir / "t.md.j2").write_text('A.\n\n{% include "sub/secret.md.j2" %}\n')
    refused(ws, LINK, "templates/sub")
    (ws.templates_dir / "t.md.j2").write_text('A.\n\n{% include "../outside/secret.md.j2" %}')
    refused(ws, "template '../outside/secret.md.j2' not found", "templates/t.md.j2", 3)


def test_a_linked_main_template_or_templates_folder_is_refused(tmp_path, outside):
    ws = make_workspace(tmp_path / "w", "A.\n", {})
    (ws.templates_dir / "t.md.j2").unlink()
    (ws.templates_dir / "t.md.j2").symlink_to(outside / "secret.md.j2")
    refused(ws, LINK, "templates/t.md.j2")
    (ws.templates_dir / "t.md.j2").unlink()
    os.rename(ws.templates_dir, tmp_path / "real")
    ws.templates_dir.symlink_to(tmp_path / "real")
    refused(ws, LINK, "w/templates")


def test_linked_clause_files_and_folders_are_refused_hidden_names_skipped(tmp_path, outside):
    ws = make_workspace(tmp_path / "w", '{{ clause("one") }}\n', {"one": art("one", "One")})
    (ws.clauses_dir / ".#one.md").symlink_to("user@host.1234")  # an editor's lock file
    assert build_doc(ws).blocks[0].text == "One"
    (ws.clauses_dir / "secret.md").symlink_to(outside / "secret.md")
    refused(ws, "is a symbolic link: clause files and folders must be real, inside clauses/",
            "clauses/secret.md")
    (ws.clauses_dir / "secret.md").unlink()
    (ws.clauses_dir / "more").symlink_to(outside)
    refused(ws, "is a symbolic link: clause files and folders must be real, inside clauses/",
            "clauses/more")


def test_position_files_are_regular_files_of_the_agreement(tmp_path, outside):
    ws = make_workspace(tmp_path / "w", "A {{ x | default('none') }}.\n", {})
    position = ws.root / "drafts" / "t" / "positions" / "a.yaml"
    position.unlink()
    assert build_doc(ws).blocks[0].text == "A none."  # missing: an empty position
    (outside / "a.yaml").write_text("vars:\n  x: from elsewhere\n")
    position.symlink_to(outside / "a.yaml")
    refused(ws, LINK, "positions/a.yaml")
    position.unlink()
    os.mkfifo(position)
    refused(ws, "is a FIFO: source files must be regular files inside the workspace",
            "positions/a.yaml")
    position.unlink()
    position.parent.rmdir()
    position.parent.symlink_to(outside)
    refused(ws, LINK, "drafts/t/positions")


@pytest.mark.parametrize("text, code, line", [
    ("A.\n\nB \x00.\n", "0000", 3), ("A.\x01\n", "0001", 1), ("A.\n\x1b[31m\n", "001B", 2),
    ("A.\x7f\n", "007F", 1)])
def test_control_characters_in_a_template_are_refused_at_their_line(tmp_path, text, code,
                                                                     line):
    ws = make_workspace(tmp_path, text, {})
    refused(ws, f"control character U+{code} is not allowed in text", "templates/t.md.j2",
            line)


def test_windows_line_ends_and_tabs_are_text(tmp_path):
    ws = make_workspace(tmp_path, "A\tb.\r\n\r\n{{ clause('one') }}\r\n",
                        {"one": art("one", "One").replace("\n", "\r\n")})
    assert [b.text for b in build_doc(ws).blocks[:2]] == ["A b.", "One"]


def test_control_characters_in_a_clause_file_are_refused_at_their_line(tmp_path):
    bad = art("one", "One").replace("Second paragraph.", "Second\x00paragraph.")
    ws = make_workspace(tmp_path, '{{ clause("one") }}\n', {"one": bad})
    refused(ws, "control character U+0000 is not allowed in text", "clauses/one.md", 12)


@pytest.mark.parametrize("position, message, line", [
    ('vars:\n  x: "a\\0b"\n', "control character U+0000 is not allowed in text", 2),
    ('vars:\n  x: ok\n  "y\\x01": 1\n', "control character U+0001 is not allowed in text", 3),
    ("vars:\n  when: 2026-02-30\n",
     "invalid date '2026-02-30': day is out of range for month", 2),
    ("clauses:\n  one:\n    days: " + "9" * 5000 + "\n",
     "invalid number '" + "9" * 40 + "': more than 4,300 digits", 3),
])
def test_bad_yaml_values_are_one_line_with_file_and_line(tmp_path, position, message, line):
    ws = make_workspace(tmp_path, '{{ clause("one") }}\n', {"one": art("one", "One")},
                        position)
    refused(ws, message, "positions/a.yaml", line)


def test_a_number_of_4300_digits_is_a_value(tmp_path):
    ws = make_workspace(tmp_path, "{{ n|string|length }}\n", {},
                        "vars:\n  n: " + "9" * 4300 + "\n")
    assert build_doc(ws).blocks[0].text == "4300"


@pytest.mark.parametrize("setting, message", [
    ("x=a\x00b", "--set x: control character U+0000 is not allowed in text"),
    ("x=a\x1bb", "--set x: control character U+001B is not allowed in text"),
    ('x="a\\x01"', "--set x: control character U+0001 is not allowed in text"),
    ("x=2026-02-30", "--set x: invalid date '2026-02-30': day is out of range for month"),
    ("x=" + "1" * 5000, "--set x: invalid number '" + "1" * 40 + "': more than 4,300 digits"),
])
def test_bad_set_values_are_one_line(tmp_path, setting, message):
    ws = make_workspace(tmp_path, "A {{ x }}.\n", {})
    with pytest.raises(DraftingError) as e:
        build_doc(ws, overrides=[setting])
    assert e.value.message == message


def test_set_values_with_tabs_newlines_and_unparsable_yaml_are_text(tmp_path):
    ws = make_workspace(tmp_path, "A {{ x }}.\n", {})
    assert build_doc(ws, overrides=["x=a\tb\nc"]).blocks[0].text == "A a b c."
    assert build_doc(ws, overrides=["x=[1, 2"]).blocks[0].text == "A [1, 2."


@pytest.mark.parametrize("ref, message", [
    ("treaty@r" + "9" * 5000, "no revision 'treaty@r" + "9" * 49 + "...': treaty has r1-r1"),
    ("treaty~" + "9" * 5000, "invalid revision ref 'treaty~" + "9" * 50 + "...': use "
     "AGREEMENT[@WHICH][~N] (N of at most 9 digits)"),
    ("treaty@north~" + "9" * 5000, "invalid revision ref 'treaty@north~"),
])
def test_refs_with_huge_numbers_are_one_line(tmp_path, ref, message):
    run(["init", str(tmp_path / "w")])
    assert run(["build", "treaty", "--side", "north"], tmp_path / "w").exit_code == 0
    for command in (["show", ref], ["diff", ref, "treaty"]):
        r = run(command, tmp_path / "w")
        assert r.exit_code == 2
        assert r.output.startswith("draft: error: " + message)
        assert len(r.output.splitlines()) == 1 and len(r.output) < 400


def test_init_where_nothing_can_be_created_is_one_line(tmp_path):
    r = run(["init", "/proc/x"])
    assert r.exit_code == 2
    assert r.output == "draft: error: /proc/x: cannot create the workspace: No such file " \
        "or directory\n"


YAML_KEYS = ["a", "b", "1", "<<", "=", "!!int 3", "[k]", "{k: v}", "'q'", "yes", "~"]
YAML_VALUES = ["1", "0x1F", "1_000", "1.5", ".inf", "yes", "Off", "true", "~", "null", "",
               "2026-02-30", "2026-01-01", "2026-01-01 10:00:00", '"q\\tx"', "'s'",
               "[a, 1, {b: 2}]", "{type: int, default: 3}", "!!str 5", "!!int x",
               "!!float 1", "{<<: {a: 1}, b: 2}", "&x 1", "!foo x", "[]", "{}", "9" * 5000,
               "\n  c: 1\n  d: [1, 2]", "\n  - 1\n  - x: y", "\n  <<: {a: 1}\n  b: 2"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(YAML_KEYS), st.sampled_from(YAML_VALUES)),
                min_size=1, max_size=6))
def test_yaml_is_read_as_pyyaml_reads_it(pairs):
    """Our shortcut past PyYAML's constructor gives PyYAML's values, or fails where it
    fails."""
    text = "".join(f"{key}: {value}\n" for key, value in pairs)
    try:
        expected = repr(yaml.load(text, Loader=yaml.SafeLoader))
    except (yaml.YAMLError, ValueError, OverflowError):
        with pytest.raises(DraftingError):
            parse_yaml(text, "x.yaml")
        return
    assert repr(parse_yaml(text, "x.yaml").data) == expected
