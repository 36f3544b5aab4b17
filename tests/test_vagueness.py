"""Vague text in `draft check`: each kind on a seeded clause, at its file and line; notes by
default, warnings with --strict; the shipped example's notes, counted."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT

from drafting.cli import main
from drafting.model import ARTICLE_LEVEL, HEADING, NUMBERED, PARAGRAPH, Block, Document
from drafting.negotiate.vagueness import (
    AGENTLESS,
    NO_TIME_LIMIT,
    QUALIFIER,
    UNQUANTIFIED,
    find,
)

SEEDED = """\
---
id: seeded
title: Cooperation
edition: 1
---
## Cooperation

Inspections shall be permitted at every site.

Each Party shall submit its report within thirty (30) days after entry into force.

Each Party shall designate a liaison officer.

Each Party shall, as appropriate, exchange hydrological data.

The Parties shall take adequate measures to prevent pollution.
"""


def run(args, cwd: Path):
    return CliRunner().invoke(main, ["-C", str(cwd), *args], catch_exceptions=False)


def seeded(small_workspace: Path) -> Path:
    (small_workspace / "clauses" / "seeded.md").write_text(SEEDED)
    template = small_workspace / "templates" / "treaty.md.j2"
    text = template.read_text()
    template.write_text(text.replace('{{ clause("final") }}',
                                     '{{ clause("seeded") }}\n\n{{ clause("final") }}'))
    return small_workspace


def test_each_kind_at_its_clause_line(small_workspace):
    ws = seeded(small_workspace)
    r = run(["check", "treaty"], ws)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines == [
        'clauses/seeded.md:8: info: vague: "Inspections shall be permitted at every site" names '
        "no one who must do it: say who",
        'clauses/seeded.md:12: info: vague: "Each Party shall designate a liaison officer" has '
        "no time limit, though the other obligations of Each Party in the same Article have "
        "one",
        'clauses/seeded.md:14: info: vague: "as appropriate" leaves it to Each Party whether '
        "and how much to do: state the obligation, or its limits",
        'clauses/seeded.md:16: info: vague: "adequate" is neither quantified nor defined: give '
        "a number, a threshold or a defined term",
        "treaty: 0 errors, 0 warnings, 4 notes"]


def test_strict_makes_them_warnings(small_workspace):
    ws = seeded(small_workspace)
    r = run(["check", "treaty", "--strict", "--json"], ws)
    found = json.loads(r.output)
    assert r.exit_code == 0  # warnings, not errors
    assert [(f["severity"], f["line"], f["check"]) for f in found] == [
        ("warning", 8, "vagueness"), ("warning", 12, "vagueness"),
        ("warning", 14, "vagueness"), ("warning", 16, "vagueness")]


def test_build_is_not_held_up_by_notes(small_workspace):
    ws = seeded(small_workspace)
    r = run(["build", "treaty", "--side", "north"], ws)
    assert r.exit_code == 0 and r.output.startswith("recorded treaty@r1")


def _doc(*texts: str) -> Document:
    blocks = [Block(HEADING, ARTICLE_LEVEL, "a", "Article 1", "T", None, None)]
    blocks += [Block(PARAGRAPH, NUMBERED, f"a#p{n}", f"1.{n}", t, None, None)
               for n, t in enumerate(texts, 1)]
    return Document("T", tuple(blocks))


def test_what_is_not_vague():
    doc = _doc("Inspections shall be permitted by the DPRK.",  # an agent
               "The DPRK shall submit a declaration within 30 days. The DPRK shall maintain "
               "the seals.",  # a continuing duty needs no deadline
               "Each Party may, where appropriate, consult.",  # only a permission...
               '"Significant Non-Performance" means a failure. A Party in Significant '
               "Non-Performance shall pay.")  # a defined term
    kinds = [(v.kind, v.label) for v in find(doc, {"Significant Non-Performance"})]
    # ...but a qualifier empties a permission as much as a duty
    assert kinds == [(QUALIFIER, "1.3")]


def test_every_qualifier_listed_in_the_issue():
    qualifiers = ["as appropriate", "where possible", "to the extent practicable",
                  "endeavour", "best efforts", "in principle", "as soon as possible",
                  "in due course"]
    doc = _doc(*(f"The DPRK shall, {q}, report." for q in qualifiers))
    assert [v.needle for v in find(doc)] == qualifiers
    measures = _doc("The Parties shall make significant, substantial and adequate progress.")
    assert [v.needle for v in find(measures)] == ["significant", "substantial", "adequate"]
    assert {v.kind for v in find(measures)} == {UNQUANTIFIED}


def test_shipped_example_notes():
    r = run(["check", "phased-agreement", "--json"], ROOT)
    found = [f for f in json.loads(r.output) if f["check"] == "vagueness"]
    assert r.exit_code == 0
    kinds = {}
    for f in found:
        for kind, marker in ((AGENTLESS, "names no one"), (NO_TIME_LIMIT, "no time limit"),
                             (QUALIFIER, "leaves it to"), (UNQUANTIFIED, "neither quantified")):
            if marker in f["message"]:
                kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds == {AGENTLESS: 8, NO_TIME_LIMIT: 6, QUALIFIER: 2, UNQUANTIFIED: 1}
    assert all(f["severity"] == "info" and f["line"] for f in found)
    assert {"file": "clauses/nuclear/inspectors.md", "line": 30, "severity": "info",
            "message": 'vague: "Access shall be granted" names no one who must do it: say '
                       "who"}.items() <= next(f for f in found if "Access" in f["message"]).items()
