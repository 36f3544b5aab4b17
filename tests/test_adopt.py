"""`draft adopt`: the other side's value into our position file, comments and layout kept;
the next build says what was adopted."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import copy_workspace

from drafting.cli import main


def run(args, cwd: Path, now: str | None = None):
    env = {"NO_COLOR": "1", **({"DRAFTING_NOW": now} if now else {})}
    return CliRunner().invoke(main, ["-C", str(cwd), *args], catch_exceptions=False, env=env)


def test_adopt_keeps_the_file_and_the_build_says_so(tmp_path):
    ws = copy_workspace(tmp_path / "ws", with_revisions=True)
    path = ws / "drafts/phased-agreement/positions/us.yaml"
    before = path.read_text().splitlines()
    r = run(["adopt", "phased-agreement@dprk", "--param", "nuclear.freeze.days",
             "--param", "normalisation.remains.first_operation"], ws)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "drafts/phased-agreement/positions/us.yaml: nuclear.freeze.days: 45 -> 60 (adopted "
        "from DPRK's r4 f79fab7386)",
        "drafts/phased-agreement/positions/us.yaml: normalisation.remains.first_operation: "
        "2026-05-01 -> 2026-07-01 (adopted from DPRK's r4 f79fab7386)"]
    after = path.read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        ("    days: 45", "    days: 60  # adopted from DPRK's r4 f79fab7386"),
        ("    first_operation: 2026-05-01",
         "    first_operation: 2026-07-01  # adopted from DPRK's r4 f79fab7386")]
    assert after[0] == "# Round 2: current position of the United States delegation."
    r = run(["build", "phased-agreement", "-s", "us", "-m", "adopt"], ws,
            "2026-11-10T10:00:00Z")
    assert r.output.splitlines()[1:] == [
        "nuclear.freeze.days = 60 (adopted from DPRK's r4 f79fab7386)",
        "normalisation.remains.first_operation = 2026-07-01 (adopted from DPRK's r4 "
        "f79fab7386)"]
    data = json.loads(run(["positions", "phased-agreement@us", "phased-agreement@dprk",
                           "--json"], ws).output)
    keys = {d["key"] for d in data["deltas"]}
    assert "nuclear.freeze.days" not in keys and "nuclear.freeze.sites" in keys
    # built again with another change: the adoption is not announced twice
    r = run(["build", "phased-agreement", "-s", "us", "--set", "nuclear.inspectors.days=30"],
            ws, "2026-11-11T10:00:00Z")
    assert len(r.output.splitlines()) == 1


def test_lists_and_variables(tmp_path):
    ws = copy_workspace(tmp_path / "ws", with_revisions=True)
    r = run(["adopt", "phased-agreement@dprk", "--param", "nuclear.freeze.sites",
             "--param", "relief_sequencing"], ws)
    assert r.exit_code == 0, r.output
    text = (ws / "drafts/phased-agreement/positions/us.yaml").read_text()
    assert ("  relief_sequencing: simultaneous  # adopted from DPRK's r4 f79fab7386; before: "
            "relief still follows the Verification Report\n") in text  # the old note kept
    assert ("    sites:  # adopted from DPRK's r4 f79fab7386\n"
            "      - the 5 MWe Experimental Nuclear Power Plant at Yongbyon\n"
            "      - the Radiochemical Laboratory at Yongbyon\n"
            "      - the uranium enrichment plant at Yongbyon\n"
            "  nuclear.testing:\n") in text
    assert run(["build", "phased-agreement", "-s", "us"], ws,
               "2026-11-10T10:00:00Z").exit_code == 0


def test_refusals(tmp_path):
    ws = copy_workspace(tmp_path / "ws", with_revisions=True)
    path = ws / "drafts/phased-agreement/positions/us.yaml"
    original = path.read_bytes()
    for args, message in (
            (["--param", "nuclear.freeze.weeks"], "clause 'nuclear.freeze' has no parameter "
             "'weeks' in phased-agreement@dprk (it has: sites, days, extension)"),
            (["--param", "nuclear.nothing.days"], "phased-agreement@dprk includes no clause "
             "'nuclear.nothing'"),
            (["--param", "colour"], "phased-agreement@dprk sets no variable 'colour' (it sets: "
             "include_peace_regime, peace_regime_phase, relief_sequencing)"),
            (["--param", "nuclear.freeze.days", "--side", "dprk"], "phased-agreement@dprk is "
             "dprk's own draft: adopt takes the other side's values")):
        r = CliRunner().invoke(main, ["-C", str(ws), "adopt", "phased-agreement@dprk", *args])
        assert r.exit_code == 2 and r.stderr == f"draft: error: {message}\n"
    assert path.read_bytes() == original  # nothing half-written
    r = CliRunner().invoke(main, ["-C", str(ws), "adopt", "phased-agreement@r1", "--param",
                                  "nuclear.freeze.days", "--side", "dprk"])
    assert r.exit_code == 2 and "nothing to adopt from phased-agreement@r1: r1 a4de3b2708 " \
        "records no positions" in r.stderr
