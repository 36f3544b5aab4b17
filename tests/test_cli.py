"""The `draft` command through click's CliRunner, and once as the installed program."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting.cli import main


def run(args, cwd: Path | None = None, env=None):
    runner = CliRunner()
    prefix = ["-C", str(cwd)] if cwd else []
    return runner.invoke(main, [*prefix, *args], env=env, catch_exceptions=False)


def test_build_log_show_verify(workspace):
    r = run(["build", "phased-agreement", "--side", "us", "-m", "opening", "--author", "Kim"],
            workspace)
    assert r.exit_code == 0, r.output
    assert r.output.startswith("recorded phased-agreement@r1 ")
    assert "(us): 32 articles" in r.output
    r = run(["build", "phased-agreement", "--side", "us"], workspace)
    assert r.output.startswith("unchanged, same as phased-agreement@r1 ")
    run(["build", "phased-agreement", "-s", "dprk", "--set", "nuclear.freeze.days=75"],
        workspace)
    r = run(["log", "phased-agreement"], workspace)
    lines = r.output.splitlines()
    assert lines[0].split() == ["rev", "id", "side", "author", "date", "(UTC)", "articles",
                                "words", "message"]
    assert lines[1].split()[0] == "r1" and lines[1].split()[2:4] == ["us", "Kim"]
    assert lines[1].endswith("opening") and lines[2].split()[2] == "dprk"
    r = run(["log", "phased-agreement", "--side", "dprk", "--json"], workspace)
    rows = json.loads(r.output)
    assert [row["side"] for row in rows] == ["dprk"] and rows[0]["seq"] == 2
    r = run(["show", "phased-agreement@dprk"], workspace)
    assert r.output.startswith("# Agreement between the United States of America")
    assert "### Article 4 — Freeze of Fissile Material Production" in r.output
    assert "within seventy-five (75) days" in r.output
    r = run(["show", "phased-agreement@r1", "--format", "json"], workspace)
    assert json.loads(r.output)["blocks"][0]["id"] == "phased-agreement#p1"
    r = run(["verify", "phased-agreement"], workspace)
    assert r.exit_code == 0 and r.output == "phased-agreement: 2 revisions verified, none altered\n"


def test_verify_reports_tampering_with_exit_1(workspace):
    run(["build", "phased-agreement", "--side", "us"], workspace)
    revision = next((workspace / "drafts/phased-agreement/revisions").glob("*.json"))
    revision.write_text(revision.read_text().replace("thirty", "ninety"))
    r = run(["verify", "phased-agreement"], workspace)
    assert r.exit_code == 1 and "ALTERED" in r.output


@pytest.mark.parametrize("args, message", [
    (["show", "phased-agreement@r7"], "draft: error: no revision 'phased-agreement@r7': "
                                      "phased-agreement has no revisions yet"),
    (["build", "../../x", "--side", "us"], "draft: error: invalid agreement name '../../x'"),
    (["build", "phased-agreement", "--side", "../us"], "draft: error: invalid side name"),
    (["build", "phased-agreement", "--side", "us", "--set", "nuclear.freeze.days=soon"],
     "draft: error: --set nuclear.freeze.days=soon: clause 'nuclear.freeze': parameter "
     "'days' (int): expected a whole number, got text 'soon'; not recorded"),
    (["build", "phased-agreement", "--side", "us", "--set", "novalue"],
     "draft: error: --set expects key=value, got 'novalue'"),
])
def test_errors_are_one_line_with_exit_2(workspace, args, message):
    r = run(args, workspace)
    assert r.exit_code == 2
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (workspace / "drafts/phased-agreement/revisions").exists() or not list(
        (workspace / "drafts/phased-agreement/revisions").glob("*.json"))


def test_bad_override_value_names_the_parameter(workspace):
    r = run(["build", "phased-agreement", "--side", "us", "--set", "nuclear.freeze.days=soon"],
            workspace)
    assert "clause 'nuclear.freeze': parameter 'days' (int): expected a whole number, got " \
           "text 'soon'" in r.stderr


def test_bad_yaml_in_a_clause_names_file_and_line(workspace):
    path = workspace / "clauses/nuclear/freeze.md"
    lines = path.read_text().split("\n")
    lines[3] = "edition: [3"
    path.write_text("\n".join(lines))
    r = run(["build", "phased-agreement", "--side", "us"], workspace)
    assert r.exit_code == 2
    assert "clauses/nuclear/freeze.md:" in r.stderr and "invalid YAML" in r.stderr


def test_sandbox_escape_in_a_template_is_refused(workspace):
    template = workspace / "templates/phased-agreement.md.j2"
    template.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n" + template.read_text())
    r = run(["build", "phased-agreement", "--side", "us"], workspace)
    assert r.exit_code == 2
    assert "templates/phased-agreement.md.j2:1: refused by the sandbox" in r.stderr


def test_init_creates_a_working_example(tmp_path):
    target = tmp_path / "new"
    r = run(["init", str(target)])
    assert r.exit_code == 0
    assert r.output.startswith(f"created workspace {target} (9 files, with a .gitignore")
    assert f"next:\n  cd {target}\n  draft build treaty --side north  #" in r.output
    for side in ("north", "south"):
        assert run(["build", "treaty", "--side", side], target).exit_code == 0
    r = run(["diff", "treaty@north", "treaty@south", "--color", "never"], target)
    assert r.exit_code == 1
    assert "no more than [-60-]{+45+} per cent" in r.output
    r = run(["init", str(target)])
    assert r.exit_code == 2 and "not empty" in r.stderr


def test_no_workspace_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["log", "x"])
    assert r.exit_code == 2 and "no workspace here" in r.stderr


def test_installed_program_runs(workspace):
    """A real process: the console script installed with the package."""
    exe = shutil.which("draft", path=os.path.dirname(sys.executable)) or shutil.which("draft")
    if exe is None:
        pytest.fail("the 'draft' console script is not installed")
    out = subprocess.run([exe, "build", "phased-agreement", "--side", "us"], cwd=workspace,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    out = subprocess.run([exe, "build", "phased-agreement", "--side", "dprk"], cwd=workspace,
                         capture_output=True, text=True, timeout=120)
    out = subprocess.run([exe, "diff", "phased-agreement@us", "phased-agreement@dprk", "--stat"],
                         cwd=workspace, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and "renumbered: Articles" in out.stdout
    assert "\x1b[" not in out.stdout  # not a terminal: no colour
    # the process ends without tearing its objects down: its output is flushed whole first
    out = subprocess.run([exe, "diff", "phased-agreement@us", "phased-agreement@dprk",
                          "--format", "json"], cwd=workspace, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 1 and json.loads(out.stdout)["stats"]["blocks_changed"] > 0
    out = subprocess.run([exe, "show", "phased-agreement@nobody"], cwd=workspace,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and out.stderr.startswith("draft: error: no revision")


@pytest.mark.parametrize("args, message", [
    (["build"], "draft: error: missing argument 'AGREEMENT' (see 'draft build --help')"),
    (["bild"], "draft: error: no such command 'bild'; did you mean 'build'? "
               "(see 'draft --help')"),
    (["build", "x", "--sid", "us"], "draft: error: no such option '--sid'; did you mean one "
                                    "of: '--set', '--side'? (see 'draft build --help')"),
    (["diff", "a", "b", "--format", "pdf"], "draft: error: invalid value for '--format': 'pdf' "
     "is not one of 'term', 'md', 'html', 'json', 'docx' (see 'draft diff --help')"),
])
def test_usage_errors_are_one_line_with_exit_2(args, message):
    r = CliRunner().invoke(main, args, prog_name="draft")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == message + "\n"


def test_draft_alone_prints_the_commands():
    r = CliRunner().invoke(main, [], prog_name="draft")
    assert r.exit_code == 0 and r.stdout.startswith("Usage: draft [OPTIONS] [COMMAND]")
    assert "  build " in r.stdout and "  diff " in r.stdout


def test_messages_say_what_is_wrong(small_workspace, tmp_path):
    r = CliRunner().invoke(main, ["-C", str(tmp_path / "nonexistent"), "log", "treaty"])
    assert r.exit_code == 2 and r.stderr == (
        f"draft: error: {tmp_path / 'nonexistent'}: no such folder (given with -C)\n")
    assert run(["build", "treaty", "-s", "north"], small_workspace).exit_code == 0
    r = run(["show", "treaty@south"], small_workspace)
    assert r.exit_code == 2 and r.stderr == (
        "draft: error: no revision 'treaty@south': side 'south' has no revision yet (run "
        "'draft build treaty --side south', or 'draft import FILE -a treaty -s south')\n")
    r = run(["show", "treaty@east"], small_workspace)
    assert r.stderr == ("draft: error: no revision 'treaty@east': treaty has no side 'east' "
                        "(sides: north, south); use @latest, @SIDE, @rN or @<hash prefix>, "
                        "with ~N for ancestors\n")
    notes = tmp_path / "notes.pdf"
    r = run(["diff", "treaty@north", str(notes)], small_workspace)
    assert r.exit_code == 2 and r.stderr == f"draft: error: {notes}: no such file\n"
    notes.write_bytes(b"%PDF-1.4")
    r = run(["diff", "treaty@north", str(notes)], small_workspace)
    assert r.stderr == f"draft: error: {notes}: unknown file type (use .md, .txt or .docx)\n"


def test_zero_and_one_are_said_in_words(small_workspace, tmp_path):
    assert run(["build", "treaty", "-s", "north"], small_workspace).exit_code == 0
    r = run(["joint", "treaty@north", "treaty@north"], small_workspace)
    assert "> The texts are the same: there is nothing in brackets." in r.output
    sent = tmp_path / "sent.docx"
    assert run(["export", "treaty@north", "-o", str(sent)], small_workspace).exit_code == 0
    r = run(["audit", str(sent), "--against", "treaty@north"], small_workspace)
    assert r.exit_code == 0 and r.output == (
        f"{sent}: clean: it has no tracked changes and is exactly treaty@north (r1 "
        f"{r.output.split('(r1 ')[1]}")
    assert "0 tracked" not in r.output


def test_init_keeps_caches_and_locks_out_of_git(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    target = tmp_path / "talks"
    assert run(["init", str(target)]).exit_code == 0
    assert run(["build", "treaty", "-s", "north"], target).exit_code == 0
    (target / "drafts/treaty/revisions/.x.json.abc.tmp").write_text("interrupted")
    assert (target / "drafts/treaty/.cache").is_dir() and (target / "drafts/treaty/.lock").exists()
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=target, capture_output=True, text=True, check=True).stdout
    files = sorted(line[3:] for line in status.splitlines())
    assert ".gitignore" in files and "drafts/treaty/positions/north.yaml" in files
    assert [f for f in files if f.startswith("drafts/treaty/revisions/")] == [
        f"drafts/treaty/revisions/{p.name}" for p in
        (target / "drafts/treaty/revisions").glob("*.json")]
    assert not [f for f in files if ".cache" in f or ".lock" in f or f.endswith(".tmp")]


@pytest.mark.parametrize("enabled", [True, False])
def test_a_command_pauses_the_garbage_collector_and_leaves_it_as_it_was(enabled, tmp_path):
    import gc

    seen = []
    old, new = tmp_path / "a.md", tmp_path / "b.md"
    old.write_text("Article 1\n\nThe Parties shall cooperate.\n")
    new.write_text("Article 1\n\nThe Parties may cooperate.\n")
    from drafting import compare as engine

    real = engine.compare

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(engine, "compare", spy)
            r = run(["diff", str(old), str(new), "--format", "json"])
        assert r.exit_code == 1 and json.loads(r.output)["stats"]["words_inserted"] == 1
        assert seen == [False]
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
