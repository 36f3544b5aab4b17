"""Clause files: front matter, parameter declarations and value checks, one-line errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from drafting.errors import DraftingError
from drafting.library import load_library, parse_clause

GOOD = """---
id: freeze.fissile
title: Freeze
edition: 2
params:
  days: {type: int, default: 30, min: 1}
  sites: {type: list}
  mode: {type: choice, options: [iaea, joint], default: iaea}
  start: date
  place: {type: str, required: false}
defines: [Freeze]
tags: [phase-one]
---
## Freeze

The DPRK shall cease production within {{ days }} days.
"""


def clause(text: str, name: str = "c.md"):
    return parse_clause(Path(name), text.encode())


def test_parses_front_matter_and_body():
    c = clause(GOOD)
    assert (c.id, c.title, c.edition, c.defines, c.tags) == (
        "freeze.fissile", "Freeze", 2, ("Freeze",), ("phase-one",))
    assert list(c.params) == ["days", "sites", "mode", "start", "place"]
    assert c.params["days"].default == 30 and not c.params["days"].required
    assert c.params["sites"].required
    assert c.params["place"].default is None and not c.params["place"].required
    assert c.body_line == 14 and c.body.startswith("## Freeze")


def test_bind_checks_and_converts_values():
    c = clause(GOOD)
    values = c.bind({"sites": ["a"], "start": "2026-03-01"})
    assert values == {"days": 30, "sites": ["a"], "mode": "iaea",
                      "start": dt.date(2026, 3, 1), "place": None}


@pytest.mark.parametrize("given, message", [
    ({"sites": [], "start": "2026-01-01", "dayz": 3},
     "unknown parameter 'dayz' (it takes: days, sites, mode, start, place)"),
    ({"start": "2026-01-01"}, "missing required parameter 'sites' (list)"),
    ({"sites": [], "start": "2026-01-01", "days": "thirty"},
     "parameter 'days' (int): expected a whole number, got text 'thirty'"),
    ({"sites": [], "start": "2026-01-01", "days": True},
     "parameter 'days' (int): expected a whole number, got boolean True"),
    ({"sites": [], "start": "2026-01-01", "days": 0}, "parameter 'days' (int): must be at least 1"),
    ({"sites": [], "start": "2026-01-01", "mode": "un"},
     "parameter 'mode' (choice): expected one of iaea, joint, got text 'un'"),
    ({"sites": [], "start": "1 March"}, "parameter 'start' (date): expected a date as YYYY-MM-DD"),
    ({"sites": "Yongbyon", "start": "2026-01-01"}, "parameter 'sites' (list): expected a list"),
])
def test_bind_refuses_bad_values(given, message):
    with pytest.raises(ValueError) as e:
        clause(GOOD).bind(given)
    assert str(e.value).startswith(message)


@pytest.mark.parametrize("front, message, line", [
    ("id: a\ntitle: T\nedition: 1\nparams:\n  days: {type: integer}",
     "parameter 'days': unknown type 'integer' (use one of: str, int, float, bool, date, list, "
     "choice)", 6),
    ("id: a\ntitle: T\nedition: 1\nparams:\n  days: [int", "invalid YAML", 6),
    ("id: a\ntitle: T\nedition: one", "'edition' must be a whole number >= 1, got 'one'", 4),
    ("id: A/../b\ntitle: T\nedition: 1", "invalid clause id 'A/../b'", 2),
    ("id: a\ntitle: T\nedition: 1\ncolour: red", "unknown front-matter key 'colour'", 5),
    ("id: a\ntitle: T\nedition: 1\nparams:\n  n: {type: int, default: x}",
     "parameter 'n': default expected a whole number, got text 'x'", 6),
    ("id: a\ntitle: T\nedition: 1\nparams:\n  c: {type: choice}",
     "parameter 'c': a choice needs a non-empty list of 'options'", 6),
    ("id: a\ntitle: T\nedition: 1\nx: &a [1]\ny: *a",
     "invalid YAML: aliases (*name) are not allowed", 6),
])
def test_bad_front_matter_gives_file_and_line(front, message, line):
    with pytest.raises(DraftingError) as e:
        clause(f"---\n{front}\n---\nbody\n", "clauses/x.md")
    assert e.value.path == "clauses/x.md"
    assert e.value.line == line
    assert message in e.value.message
    assert "\n" not in str(e.value)


def test_missing_front_matter():
    with pytest.raises(DraftingError, match="must start with '---' front matter"):
        clause("## Heading\n")
    with pytest.raises(DraftingError, match="not closed"):
        clause("---\nid: a\n")


def test_duplicate_id_names_both_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.md").write_text("---\nid: same\ntitle: T\nedition: 1\n---\nx\n")
    (tmp_path / "a" / "two.md").write_text("---\ntitle: T\nid: same\nedition: 1\n---\nx\n")
    with pytest.raises(DraftingError) as e:
        load_library(tmp_path)
    assert e.value.path.endswith("two.md") and e.value.line == 3
    assert "duplicate clause id 'same' (also in" in e.value.message and "one.md" in e.value.message


def test_shipped_library_loads():
    from conftest import ROOT

    library = load_library(ROOT / "clauses")
    assert len(library.clauses) >= 20
    assert {"nuclear.freeze", "relief.un_exemptions", "institutions.disputes",
            "final.languages"} <= set(library.clauses)


def test_parsed_clauses_are_cached_between_runs_and_a_change_is_a_miss(tmp_path, monkeypatch):
    from drafting import library

    monkeypatch.setenv("DRAFTING_CACHE", str(tmp_path / "cache"))
    root = tmp_path / "clauses"
    root.mkdir()
    text = "---\nid: one\ntitle: One\nedition: 1\nparams:\n  days: int\n---\nIn {{ days }}.\n"
    (root / "one.md").write_text(text)
    first = load_library(root).clauses["one"]
    parsed, original = [], library.parse_clause
    monkeypatch.setattr(library, "parse_clause",
                        lambda *a: parsed.append(a[0].name) or original(*a))
    again = load_library(root).clauses["one"]
    assert parsed == [] and again == first and again.params["days"].required
    (root / "one.md").write_text(text.replace("edition: 1", "edition: 2"))
    monkeypatch.undo()
    assert load_library(root).clauses["one"].edition == 2


def test_a_cache_folder_others_can_write_to_is_not_trusted(tmp_path, monkeypatch):
    """Cached clauses are unpickled: a folder another user could plant a file in is
    passed over (the build parses the files), not loaded."""
    import os

    from drafting import usercache

    monkeypatch.setenv("DRAFTING_CACHE", str(tmp_path / "cache"))
    folder = usercache.cache_folder("clauses")
    assert folder is not None
    os.chmod(folder, 0o777)
    assert usercache.cache_folder("clauses") is None
    os.chmod(folder, 0o755)
    assert usercache.cache_folder("clauses") == folder
    os.rmdir(folder)
    os.symlink(tmp_path, folder)
    assert usercache.cache_folder("clauses") is None
