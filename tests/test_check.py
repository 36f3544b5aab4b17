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
    # clean but for the notes on vague wording (tests/test_vagueness.py counts them)
    found = check(Workspace(workspace), "phased-agreement")
    assert [f for f in found if f.check != "vagueness"] == []
    assert {f.severity for f in found} == {"info"}
    r = CliRunner().invoke(main, ["-C", str(workspace), "check"])
    assert r.exit_code == 0
    assert r.output.strip().splitlines()[-1] == \
        f"phased-agreement: 0 errors, 0 warnings, {len(found)} notes"


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
    assert findings(small_workspace, "north") == [
        "drafts/treaty/positions/north.yaml:5: error: unknown clause 'allocaton' (did you mean "
        "'allocation'?)"]


def test_missing_parameter(small_workspace):
    edit(small_workspace / "drafts/treaty/positions/north.yaml", "    share: 60\n", "")
    assert findings(small_workspace, "north") == [
        "templates/treaty.md.j2:8: error: clause 'allocation': missing required parameter "
        "'share' (int)"]
    assert findings(small_workspace) == [  # both sides checked: whose draft fails is said
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
        "defined in this draft (clause 'allocation', which defines it, is not included)",
        "drafts/treaty/positions/south.yaml:5: warning: clause 'allocation' is not in south's "
        "draft, so its values change nothing"]


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
        "this draft (did you mean 'allocation#notice'?)")


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
        assert r.stderr == "draft: warning: clauses/final.md:12: Article 4 refers to Article " \
            "9, which does not exist (the draft has 4 Articles) (recorded with --force)\n"
    else:
        assert r.exit_code == 2 and revisions == []
        assert r.stderr == (
            "draft: error: clauses/final.md:12: Article 4 refers to Article 9, which does not "
            "exist (the draft has 4 Articles); not recorded; or build with --force to record "
            "it anyway\n")


def build(root: Path, *args: str):
    return CliRunner().invoke(main, ["-C", str(root), "build", "treaty", *args])


def revisions(root: Path) -> list[Path]:
    folder = root / "drafts/treaty/revisions"
    return sorted(folder.glob("*.json")) if folder.exists() else []


@pytest.mark.parametrize("setting, message", [
    ("share=5", "--set share=5: the template has no variable 'share' (did you mean --set "
                "allocation.share=5? a clause parameter is set as CLAUSE.PARAM=VALUE)"),
    ("comission=false", "--set comission=false: the template has no variable 'comission' "
                        "(did you mean 'commission'?)"),
    ("nonsense=1", "--set nonsense=1: the template has no variable 'nonsense' (it reads: "
                   "commission, river)"),
    ("alocation.share=5", "--set alocation.share=5: unknown clause 'alocation' (did you mean "
                          "'allocation'?)"),
    ("allocation.shar=5", "--set allocation.shar=5: clause 'allocation' has no parameter "
                          "'shar' (did you mean 'share'?) (it takes: share, notice_days)"),
    ("allocation.share=sixty", "--set allocation.share=sixty: clause 'allocation': parameter "
                               "'share' (int): expected a whole number, got text 'sixty'"),
])
@pytest.mark.parametrize("force", [False, True])
def test_a_mistake_in_set_is_never_silent_nor_forced(small_workspace, setting, message, force):
    r = build(small_workspace, "-s", "north", "--set", setting, *(["--force"] if force else []))
    assert r.exit_code == 2
    assert r.stderr == f"draft: error: {message}; not recorded\n"  # no --force offered
    assert revisions(small_workspace) == []


def test_set_for_a_clause_the_draft_leaves_out_is_an_error(small_workspace):
    r = build(small_workspace, "-s", "north", "--set", "commission=false", "--set",
              "commission.members=7")
    assert r.exit_code == 2 and r.stderr == (
        "draft: error: --set commission.members=7: clause 'commission' is not in north's draft, "
        "so its values change nothing; not recorded\n")
    assert revisions(small_workspace) == []


def test_a_mistake_in_a_position_file_names_its_line_with_a_suggestion(small_workspace):
    edit(small_workspace / "drafts/treaty/positions/north.yaml", "  commission: true",
         "  comission: true\n  share: 3")
    edit(small_workspace / "drafts/treaty/positions/north.yaml", "  allocation:",
         "  alocation:\n    share: 2\n  allocation:")
    assert findings(small_workspace, "north")[:3] == [
        "drafts/treaty/positions/north.yaml:3: error: the template has no variable 'comission' "
        "(did you mean 'commission'?)",
        "drafts/treaty/positions/north.yaml:4: error: the template has no variable 'share' (a "
        "parameter of clause 'allocation' goes under 'clauses: allocation:')",
        "drafts/treaty/positions/north.yaml:6: error: unknown clause 'alocation' (did you mean "
        "'allocation'?)"]
    r = build(small_workspace, "-s", "north", "--force")
    assert r.exit_code == 2 and r.stderr.startswith(
        "draft: error: drafts/treaty/positions/north.yaml:3: the template has no variable "
        "'comission' (did you mean 'commission'?) (and ")
    assert "see 'draft check treaty'); not recorded\n" in r.stderr and "error: " not in \
        r.stderr[len("draft: error: "):]


def test_check_goes_on_after_an_unknown_ref(small_workspace):
    edit(small_workspace / "clauses/commission.md", 'ref("allocation#notice")',
         'ref("allocation#notise")')
    edit(small_workspace / "clauses/commission.md", "each Party shall appoint",
         "each Party shall [appoint")
    r = CliRunner().invoke(main, ["-C", str(small_workspace), "check", "treaty"])
    assert r.exit_code == 1
    lines = r.output.splitlines()
    assert lines[-1] == "treaty: 2 errors, 0 warnings, 0 notes"
    assert any("ref('allocation#notise'): no block with that id" in x for x in lines)
    assert any("unbalanced bracket: unclosed '['" in x for x in lines)


def test_each_finding_once_across_sides_and_counted_right(small_workspace):
    edit(small_workspace / "drafts/treaty/positions/north.yaml", "share: 60", "share: sixty")
    r = CliRunner().invoke(main, ["-C", str(small_workspace), "check"])
    assert r.exit_code == 1
    assert r.stdout == (
        "drafts/treaty/positions/north.yaml:6: error: clause 'allocation': parameter 'share' "
        "(int): expected a whole number, got text 'sixty'\n"
        "treaty: 1 error, 0 warnings, 0 notes\n")


def test_build_and_check_name_files_alike(small_workspace, monkeypatch):
    edit(small_workspace / "clauses/commission.md", 'ref("allocation#notice")',
         'ref("allocation#notise")')
    checked = CliRunner().invoke(main, ["-C", str(small_workspace), "check"]).output
    assert checked.startswith("clauses/commission.md:16: error: ref('allocation#notise')")
    expected = ("draft: error: clauses/commission.md:16: ref('allocation#notise'): no block "
                "with that id in this draft (did you mean 'allocation#notice'?)\n")
    assert build(small_workspace.resolve(), "-s", "north").stderr == expected
    monkeypatch.chdir(small_workspace / "drafts")
    assert CliRunner().invoke(main, ["build", "treaty", "-s", "north"]).stderr == expected


def test_force_records_errors_in_the_text(small_workspace):
    edit(small_workspace / "clauses/commission.md", "each Party shall appoint",
         "each Party shall [appoint")
    r = build(small_workspace, "-s", "north")
    assert r.exit_code == 2 and r.stderr.endswith(
        "; not recorded; or build with --force to record it anyway\n")
    r = build(small_workspace, "-s", "north", "--force")
    assert r.exit_code == 0 and r.stdout.startswith("recorded treaty@r1 ")
    assert r.stderr.startswith("draft: warning: clauses/commission.md:13: unbalanced bracket: ")
    assert r.stderr.endswith(" (recorded with --force)\n") and len(revisions(small_workspace)) == 1
