"""`draft check`: each kind of finding seeded on purpose, with its exact message and place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting.check import check
from drafting.cli import main
from drafting.workspace import Workspace


def findings(root: Path, *sides: str) -> list[str]:
    return [str(f) for f in check(Workspace(root), "treaty", list(sides) or None)]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_shipped_example_checks_clean(workspace):
    assert check(Workspace(workspace), "phased-agreement") == []
    r = CliRunner().invoke(main, ["-C", str(workspace), "check"])
    assert r.exit_code == 0
    assert r.output.strip().splitlines()[-1] == "phased-agreement: 0 errors, 0 warnings, 0 notes"


def test_scaffold_checks_clean(small_workspace):
    assert findings(small_workspace) == []


def test_unknown_parameter_in_a_position(small_workspace):
    edit(small_workspace / "drafts/treaty/positions/south.yaml", "    members: 5",
         "    members: 5\n    chair: rotating")
    assert findings(small_workspace, "south")[0] == (
        "drafts/treaty/positions/south.yaml:10: error: clause 'commission' has no parameter "
        "'chair' (it takes: members)")


def test_wrong_type_in_a_position(small_workspace):
    edit(small_workspace / "drafts/treaty/positions/north.yaml", "share: 60", "share: sixty")
    assert findings(small_workspace, "north")[0] == (
        "drafts/treaty/positions/north.yaml:6: error: clause 'allocation': parameter 'share' "
        "(int): expected a whole number, got text 'sixty'")


def test_unknown_clause_in_a_position(small_workspace):
    edit(small_workspace / "drafts/treaty/positions/north.yaml", "clauses:\n",
         "clauses:\n  allocaton:\n    share: 1\n")
    assert "drafts/treaty/positions/north.yaml:5: error: unknown clause 'allocaton'" in \
        findings(small_workspace, "north")


def test_missing_parameter(small_workspace):
    edit(small_workspace / "drafts/treaty/positions/north.yaml", "    share: 60\n", "")
    assert findings(small_workspace, "north") == [
        "templates/treaty.md.j2:8: error: clause 'allocation': missing required parameter "
        "'share' (int) (drafting for north)"]


def test_declared_but_unused_parameter(small_workspace):
    edit(small_workspace / "clauses/final.md", "    default: Geneva\n",
         "    default: Geneva\n  copies:\n    type: int\n    default: 2\n")
    assert findings(small_workspace) == [
        "clauses/final.md:9: warning: parameter 'copies' is declared but never used in the "
        "clause text"]


def test_term_used_but_not_defined(small_workspace):
    edit(small_workspace / "clauses/commission.md", "members.", "members to monitor the "
         "Annual Flow.")
    edit(small_workspace / "templates/treaty.md.j2", '{{ clause("allocation") }}',
         '{% if side.key == "north" %}{{ clause("allocation") }}{% endif %}')
    edit(small_workspace / "clauses/commission.md", 'made under {{ ref("allocation#notice") }}',
         "made under this Agreement")
    assert findings(small_workspace, "south") == [
        "clauses/commission.md:14: error: \"Annual Flow\" is used in Article 2.1 but not "
        "defined in this draft (clause 'allocation', which defines it, is not included)"]


def test_term_defined_but_never_used(small_workspace):
    edit(small_workspace / "clauses/purpose.md", "---\n## Purpose",
         "defines: [Basin]\n---\n## Purpose")
    edit(small_workspace / "clauses/purpose.md", "the waters",
         'the waters (the "Basin") ... ')
    edit(small_workspace / "clauses/purpose.md", 'the waters (the "Basin") ... ',
         'the waters (the "Basin")')
    assert findings(small_workspace) == [
        'clauses/purpose.md:13: warning: "Basin" is defined but never used']


def test_term_defined_twice(small_workspace):
    edit(small_workspace / "clauses/commission.md", "title: Joint River Commission\n",
         "title: Joint River Commission\ndefines: [Annual Flow]\n")
    edit(small_workspace / "clauses/commission.md", "members.",
         'members. "Annual Flow" means the flow.')
    found = findings(small_workspace, "north")
    assert ('clauses/commission.md:15: error: "Annual Flow" is defined twice: here and in clause '
            "'allocation'") in found
    assert ('clauses/commission.md:15: error: "Annual Flow" is defined twice in the text '
            "(Article 2.1 and Article 3.1)") in found


def test_term_used_before_its_definition(small_workspace):
    edit(small_workspace / "clauses/purpose.md", "by the Parties.",
         "by the Parties, measured as Annual Flow.")
    assert findings(small_workspace) == [
        'clauses/purpose.md:13: warning: "Annual Flow" is used in Article 1 before its '
        "definition in Article 2.1"]


def test_reference_to_an_article_that_does_not_exist(small_workspace):
    edit(small_workspace / "clauses/final.md", "date of its signature.",
         "date of its signature, subject to Article 9.")
    assert findings(small_workspace)[0] == (
        "clauses/final.md:12: error: Article 4 refers to Article 9, which does not exist "
        "(the draft has 4 Articles)")


def test_typed_reference_is_noted(small_workspace):
    edit(small_workspace / "clauses/final.md", "date of its signature.",
         "date of its signature, subject to Article 2.")
    assert findings(small_workspace) == [
        "clauses/final.md:12: info: typed reference 'Article 2' in Article 4: use ref() so "
        "that it follows renumbering"]


def test_ref_to_a_missing_block(small_workspace):
    edit(small_workspace / "clauses/commission.md", 'ref("allocation#notice")',
         'ref("allocation#notices")')
    assert findings(small_workspace)[0] == (
        "clauses/commission.md:16: error: ref('allocation#notices'): no block with that id in "
        "this draft (did you mean 'allocation#notice'?) (drafting for north)")


def test_unbalanced_bracket(small_workspace):
    edit(small_workspace / "clauses/commission.md", "each Party shall appoint",
         "each Party shall [appoint")
    found = findings(small_workspace)
    assert len(found) == 1
    assert found[0].startswith("clauses/commission.md:13: error: unbalanced bracket: unclosed "
                               "'[' opened in Article 3.1")


def test_staleness(small_workspace):
    runner = CliRunner()
    assert runner.invoke(main, ["-C", str(small_workspace), "build", "treaty", "-s", "north"]
                         ).exit_code == 0
    edit(small_workspace / "clauses/commission.md", "hereby establish", "hereby create")
    assert findings(small_workspace, "north") == [
        "clauses/commission.md:4: warning: clause 'commission' changed since north's r1 but "
        "its edition is still 1: bump the edition when the wording changes"]
    edit(small_workspace / "clauses/commission.md", "edition: 1", "edition: 2")
    assert findings(small_workspace, "north") == [
        "clauses/commission.md:4: warning: clause 'commission' is now edition 2; north's "
        "latest revision r1 was built with edition 1"]


def test_check_command_json_and_exit_status(small_workspace):
    edit(small_workspace / "drafts/treaty/positions/north.yaml", "share: 60", "share: sixty")
    r = CliRunner().invoke(main, ["-C", str(small_workspace), "check", "treaty", "--json"])
    assert r.exit_code == 1
    rows = json.loads(r.output)
    assert rows[0] == {"severity": "error", "file": "drafts/treaty/positions/north.yaml",
                       "line": 6, "check": "parameters",
                       "message": "clause 'allocation': parameter 'share' (int): expected a "
                                  "whole number, got text 'sixty'"}


@pytest.mark.parametrize("force", [False, True])
def test_build_refuses_errors_unless_forced(small_workspace, force):
    edit(small_workspace / "clauses/final.md", "date of its signature.",
         "date of its signature, subject to Article 9.")
    args = ["-C", str(small_workspace), "build", "treaty", "-s", "north"]
    r = CliRunner().invoke(main, args + (["--force"] if force else []))
    revisions = list((small_workspace / "drafts/treaty/revisions").glob("*.json")) \
        if (small_workspace / "drafts/treaty/revisions").exists() else []
    if force:
        assert r.exit_code == 0 and len(revisions) == 1
        assert "draft: warning: recorded despite: clauses/final.md:12: error: Article 4 " \
               "refers to Article 9" in r.stderr
    else:
        assert r.exit_code == 2 and revisions == []
        assert r.stderr.startswith("draft: error: not recorded: clauses/final.md:12: error: "
                                   "Article 4 refers to Article 9, which does not exist")
        assert "or build with --force" in r.stderr
