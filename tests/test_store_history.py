"""History that survives two machines: numbers recorded along the parent chain, forks
shown and named, impossible times refused or harmless, and a real git merge of two clones."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting.build import open_store
from drafting.cli import main
from drafting.scaffold import create_workspace
from drafting.workspace import Workspace

GIT = shutil.which("git")
need_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def draft(ws: Path, *args: str, now: str | None = None):
    env = {"DRAFTING_NOW": now} if now else {"DRAFTING_NOW": None}
    return CliRunner().invoke(main, ["-C", str(ws), *args], env=env, catch_exceptions=False)


def built(ws: Path, side: str, river: str, now: str) -> str:
    result = draft(ws, "build", "treaty", "--side", side, "--set", f"river={river}",
                   "--author", side.title(), now=now)
    assert result.exit_code == 0, result.output
    return result.stdout.split()[1]  # treaty@rN


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run([GIT, "-C", str(folder), *args], env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def numbers(ws: Path) -> dict[str, int]:
    return {i.id: i.seq for i in open_store(Workspace(ws), "treaty").infos()}


@need_git
def test_two_clones_merged_with_git_keep_every_number(tmp_path):
    origin = tmp_path / "origin"
    create_workspace(origin)
    git(origin, "init", "-q", "-b", "main")
    assert built(origin, "north", "Nile", "2026-11-01T09:00:00Z") == "treaty@r1"
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "r1")
    alice, bob = tmp_path / "alice", tmp_path / "bob"
    git(tmp_path, "clone", "-q", str(origin), str(alice))
    git(tmp_path, "clone", "-q", str(origin), str(bob))

    assert built(alice, "north", "Volta", "2026-11-02T09:00:00Z") == "treaty@r2"
    git(alice, "add", "-A")
    git(alice, "commit", "-qm", "alice r2")
    # bob's clock is a century fast: his numbers must still come from the chain
    assert built(bob, "south", "Niger", "2126-11-02T08:00:00Z") == "treaty@r2"
    assert built(bob, "south", "Congo", "2126-11-03T08:00:00Z") == "treaty@r3"
    git(bob, "add", "-A")
    git(bob, "commit", "-qm", "bob r2 r3")
    quoted = {"alice": numbers(alice), "bob": numbers(bob)}

    git(alice, "pull", "-q", "--no-rebase", "--no-edit", str(bob), "main")  # no conflict
    merged = numbers(alice)
    assert len(merged) == 4
    for clone in quoted.values():
        assert all(merged[rev] == n for rev, n in clone.items())  # nobody's rN moved

    log = draft(alice, "log", "treaty").stdout.splitlines()
    assert [line.split()[0] for line in log[1:5]] == ["r1", "r2", "r2", "r3"]
    alice_r2 = next(r for r, n in quoted["alice"].items() if n == 2)
    bob_r2 = next(r for r, n in quoted["bob"].items() if n == 2)
    bob_r3 = next(r for r, n in quoted["bob"].items() if n == 3)
    r1 = next(r for r, n in quoted["alice"].items() if n == 1)
    fork = (f"fork after r1 {r1[:10]}: r2 {alice_r2[:10]} (north, North) and r2 "
            f"{bob_r2[:10]} (south, South); branch tips @{alice_r2[:10]} (r2) and "
            f"@{bob_r3[:10]} (r3)")
    assert log[5] == fork

    verified = draft(alice, "verify", "treaty")
    assert verified.exit_code == 0
    assert verified.stdout.splitlines() == [
        f"treaty: {fork}", "treaty: 4 revisions verified, none altered"]
    ambiguous = draft(alice, "show", "treaty@r2")
    assert ambiguous.exit_code == 2
    assert ambiguous.stderr == (
        f"draft: error: ambiguous revision 'treaty@r2': 2 revisions are r2 (built on two "
        f"machines, then merged): @{alice_r2[:10]} (north, North), @{bob_r2[:10]} (south, "
        "South); name one by its id\n")
    assert "Volta" in draft(alice, "show", f"treaty@{alice_r2[:10]}").stdout
    assert "Congo" in draft(alice, "show", "treaty@r3").stdout
    assert "Niger" in draft(alice, "show", "treaty@r3~1").stdout

    # alice builds on the merged history: r4 follows the latest, whatever the clocks said
    assert built(alice, "north", "Mekong", "2026-11-04T09:00:00Z") == "treaty@r4"
    git(alice, "add", "-A")
    git(alice, "commit", "-qm", "alice r4")
    git(bob, "pull", "-q", "--no-rebase", "--no-edit", str(alice), "main")
    assert numbers(bob) == numbers(alice)
    r4 = open_revision_id(bob, "treaty@r4")
    assert json.loads((bob / "drafts/treaty/revisions" / f"{r4}.json").read_text())[
        "parent"] == bob_r3
    assert git(alice, "status", "--porcelain") == ""  # the cache stays out of git
    record = json.loads((bob / "drafts/treaty/revisions" / f"{r4}.json").read_text())
    assert record["merges"] == [alice_r2]  # built on both branches: the fork is closed
    assert draft(bob, "log", "treaty").stdout.splitlines()[-1] == (
        f"fork after r1 {r1[:10]}: r2 {alice_r2[:10]} (north, North) and r2 {bob_r2[:10]} "
        f"(south, South); joined again in r4 {r4[:10]}")


def open_revision_id(ws: Path, ref: str) -> str:
    from drafting.build import open_revision

    return open_revision(Workspace(ws), ref).id


def test_numbers_are_recorded_in_each_revision(small_workspace):
    built(small_workspace, "north", "Nile", "2026-11-01T09:00:00Z")
    built(small_workspace, "south", "Nile", "2026-11-01T10:00:00Z")
    records = [json.loads(p.read_text())
               for p in (small_workspace / "drafts/treaty/revisions").glob("*.json")]
    assert sorted(r["seq"] for r in records) == [1, 2]


def test_numbers_do_not_follow_the_clock(small_workspace):
    """A revision built later by a slower clock is still the next number."""
    assert built(small_workspace, "north", "Nile", "2030-01-01T00:00:00Z") == "treaty@r1"
    assert built(small_workspace, "south", "Nile", "2026-01-01T00:00:00Z") == "treaty@r2"
    assert draft(small_workspace, "show", "treaty@latest").stdout == \
        draft(small_workspace, "show", "treaty@south").stdout
    assert draft(small_workspace, "show", "treaty@r2~1").stdout == \
        draft(small_workspace, "show", "treaty@north").stdout


@pytest.mark.parametrize("now", ["9999-12-31T23:59:59.999999Z", "0001-01-01T00:00:00Z",
                                 "1969-12-31T23:59:59Z", "9999-12-31T23:59:59-05:00",
                                 "tomorrow", "2026-02-30T10:00:00Z"])
def test_impossible_times_are_refused(small_workspace, now):
    result = draft(small_workspace, "build", "treaty", "--side", "north", now=now)
    assert result.exit_code == 2
    assert result.stderr == (f"draft: error: DRAFTING_NOW={now!r} is not a possible time: give "
                             "one between 1970 and 9998, e.g. 2026-11-20T09:00:00Z\n")
    assert not (small_workspace / "drafts/treaty/revisions").exists() or not list(
        (small_workspace / "drafts/treaty/revisions").iterdir())


@pytest.mark.parametrize("now", ["1970-01-01T00:00:00Z", "9998-12-31T23:59:59.999999Z"])
def test_times_at_the_limits_are_recorded(small_workspace, now):
    assert built(small_workspace, "north", "Nile", now) == "treaty@r1"


def test_a_far_future_revision_does_not_break_later_builds(small_workspace):
    """A revision stamped with the end of time (an older version, or another machine's
    broken clock, wrote it): every later build still records, numbered after it."""
    import hashlib

    from drafting.store import encode

    assert built(small_workspace, "north", "Nile", "2026-11-01T09:00:00Z") == "treaty@r1"
    folder = small_workspace / "drafts/treaty/revisions"
    first = next(folder.glob("*.json"))
    record = json.loads(first.read_text())
    record.update(parent=first.stem, time="9999-12-31T23:59:59.999999Z", side="south")
    del record["seq"]  # as an older version wrote it
    data = encode(record)
    (folder / f"{hashlib.sha256(data).hexdigest()}.json").write_bytes(data)
    assert built(small_workspace, "north", "Volta", None) == "treaty@r3"  # the real clock
    assert built(small_workspace, "south", "Congo", "2026-11-01T09:00:00Z") == "treaty@r4"
    log = draft(small_workspace, "log", "treaty").stdout.splitlines()
    assert [line.split()[0] for line in log[1:]] == ["r1", "r2", "r3", "r4"]
    assert log[2].split()[4] == "9999-12-31"
    assert draft(small_workspace, "verify", "treaty").exit_code == 0


def test_revisions_from_before_numbers_were_recorded_keep_theirs(tmp_path):
    """The shipped example's four revisions carry no number: the chain gives r1-r4."""
    from conftest import copy_workspace

    ws = copy_workspace(tmp_path / "ws", with_revisions=True)
    records = [json.loads(p.read_text())
               for p in (ws / "drafts/phased-agreement/revisions").glob("*.json")]
    assert not any("seq" in r for r in records)
    log = draft(ws, "log", "phased-agreement").stdout.splitlines()
    assert [line.split()[:3] for line in log[1:]] == [
        ["r1", "a4de3b2708", "us"], ["r2", "77c80d6bd8", "dprk"], ["r3", "c43f304864", "us"],
        ["r4", "f79fab7386", "dprk"]]
    result = draft(ws, "build", "phased-agreement", "--side", "us", "--set",
                   "nuclear.freeze.days=50", now="2026-11-20T09:00:00Z")
    assert result.stdout.startswith("recorded phased-agreement@r5 ")
