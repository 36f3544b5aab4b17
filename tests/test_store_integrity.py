"""An honest store: reads check hashes, the cache cannot lie, stray files and links are
handled, outputs never land in the store or replace a device, files honour the umask, and
nothing is written that the store would refuse to read."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_workspace
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting import store as store_module
from drafting import store_index
from drafting.build import build, open_store
from drafting.cli import main
from drafting.workspace import Workspace

AGREEMENT = "phased-agreement"
R3 = "c43f3048646aba376c4e4552b7e815a38a05bfedb7c3c58280226cdec156d163"  # shipped us r3
R4 = "f79fab7386172d597543bb5e79dc71cee018ef70469d2ee7ac1d210e17441aa4"  # shipped dprk r4


def run(ws: Path, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["-C", str(ws), *args], env=env, catch_exceptions=False)


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """The example workspace with its four recorded revisions."""
    return copy_workspace(tmp_path / "ws", with_revisions=True)


def revisions(ws: Path) -> Path:
    return ws / "drafts" / AGREEMENT / "revisions"


def alter(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"shall", b"may", 1))


def one_error(result, *parts: str) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("draft: error: "), result.stderr
    for part in parts:
        assert part in lines[0]
    return lines[0]


# -- item 6: reads verify what they read -------------------------------------------------

def test_the_shipped_revisions_keep_their_numbers(shipped):
    infos = open_store(Workspace(shipped), AGREEMENT).infos()
    assert [(i.seq, i.short, i.side) for i in infos] == [
        (1, "a4de3b2708", "us"), (2, "77c80d6bd8", "dprk"), (3, "c43f304864", "us"),
        (4, "f79fab7386", "dprk")]


@pytest.mark.parametrize("args", [
    ["show", f"{AGREEMENT}@c43f30"],
    ["show", f"{AGREEMENT}@r3"],
    ["show", f"{AGREEMENT}@r4~1"],
    ["diff", f"{AGREEMENT}@c43f30", f"{AGREEMENT}@r4"],
    ["export", f"{AGREEMENT}@c43f30", "-o", "out.docx"],
    ["joint", f"{AGREEMENT}@c43f30", f"{AGREEMENT}@r4"],
])
def test_an_altered_revision_is_refused_and_points_at_verify(shipped, args):
    alter(revisions(shipped) / f"{R3}.json")
    result = run(shipped, *args)
    assert result.exit_code == 2
    assert f"run 'draft verify {AGREEMENT}'" in result.stderr or \
        f"see 'draft verify {AGREEMENT}'" in result.stderr
    assert "ALTERED" in result.stderr or "damaged" in result.stderr
    assert not (shipped / "out.docx").exists()


def test_the_revisions_after_an_altered_one_keep_their_numbers(shipped):
    alter(revisions(shipped) / f"{R3}.json")
    result = run(shipped, "log", AGREEMENT)
    assert result.exit_code == 0
    assert [line.split()[:2] for line in result.stdout.splitlines()[1:]] == [
        ["r1", "a4de3b2708"], ["r2", "77c80d6bd8"], ["r4", "f79fab7386"]]
    assert run(shipped, "show", f"{AGREEMENT}@r4").exit_code == 0


def test_an_altered_revision_read_directly_is_an_error(shipped):
    store = open_store(Workspace(shipped), AGREEMENT)
    store.infos()  # the cache now knows r3
    path = revisions(shipped) / f"{R3}.json"
    alter(path)
    with pytest.raises(store_module.DamagedFile, match="ALTERED: content hash is"):
        store.load(R3, 3)


def test_build_refuses_to_record_on_top_of_an_altered_revision(shipped):
    alter(revisions(shipped) / f"{R4}.json")
    result = run(shipped, "build", AGREEMENT, "--side", "us", "--set",
                 "nuclear.freeze.days=50")
    one_error(result, "not recorded: revision file f79fab7386 of phased-agreement: ALTERED",
              "run 'draft verify phased-agreement'")
    assert len(list(revisions(shipped).iterdir())) == 4


@pytest.mark.parametrize("field, value", [("side", "dprk"), ("author", "Mallory"),
                                          ("message", "Agreed by both sides")])
def test_a_doctored_cache_changes_nothing(shipped, field, value):
    ws = Workspace(shipped)
    before = run(shipped, "log", AGREEMENT).output
    cache_path = shipped / "drafts" / AGREEMENT / ".cache" / "index.json"
    cache = json.loads(cache_path.read_text())
    cache["entries"][R3][field] = value  # r3 is us's latest
    cache_path.write_text(json.dumps(cache))
    assert run(shipped, "log", AGREEMENT).output == before
    assert open_store(ws, AGREEMENT).resolve("dprk").id == R4
    assert open_store(ws, AGREEMENT).resolve("us").id == R3


def test_a_cache_with_a_recomputed_checksum_is_still_checked_against_the_files(shipped):
    """Copied from another clone or machine: its entries do not describe these files."""
    run(shipped, "log", AGREEMENT)
    cache_path = shipped / "drafts" / AGREEMENT / ".cache" / "index.json"
    cache = json.loads(cache_path.read_text())
    cache["entries"][R4]["side"] = "us"
    cache["entries"][R4]["stat"] = [1, 2, 3, 4]
    cache["checksum"] = store_index.checksum(cache["entries"])
    cache_path.write_text(json.dumps(cache))
    assert open_store(Workspace(shipped), AGREEMENT).resolve("dprk").id == R4


@pytest.mark.parametrize("junk", [
    "[]", "null", '{"version": 2, "entries": []}', '{"version": 2, "entries": {"x": 1}}',
    json.dumps({"version": 2, "entries": {R3: {"id": R3, "seq": "three"}}}),
    json.dumps({"version": 2, "entries": {R3: []}}),
    "\x00" * 100, '{"' * 100000, json.dumps({R3: 5}), json.dumps({R3: {"inputs": 1}}),
])
def test_a_cache_of_the_wrong_shape_is_rebuilt(shipped, junk):
    cache_path = shipped / "drafts" / AGREEMENT / ".cache" / "index.json"
    cache_path.parent.mkdir(exist_ok=True)
    cache_path.write_text(junk)
    result = run(shipped, "log", AGREEMENT)
    assert result.exit_code == 0 and result.output.count("\nr") == 4
    assert json.loads(cache_path.read_text())["version"] == 2


@pytest.mark.parametrize("kind", ["fifo", "link"])
def test_an_index_that_is_a_fifo_or_a_link_is_not_read(shipped, tmp_path, kind):
    cache_path = shipped / "drafts" / AGREEMENT / ".cache" / "index.json"
    cache_path.parent.mkdir(exist_ok=True)
    cache_path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(cache_path)
    else:
        run(shipped, "log", AGREEMENT)
        forged = json.loads(cache_path.read_text())
        forged["entries"][R3]["side"] = "dprk"
        forged["checksum"] = store_index.checksum(forged["entries"])
        (tmp_path / "forged.json").write_text(json.dumps(forged))
        cache_path.unlink()
        cache_path.symlink_to(tmp_path / "forged.json")
    result = run(shipped, "log", AGREEMENT)  # a FIFO would block an open() for ever
    assert result.exit_code == 0 and result.stdout.count("\nr") == 4
    assert open_store(Workspace(shipped), AGREEMENT).resolve("us").id == R3


def test_cache_entries_of_the_wrong_type_are_reread(shipped):
    run(shipped, "log", AGREEMENT)
    cache_path = shipped / "drafts" / AGREEMENT / ".cache" / "index.json"
    cache = json.loads(cache_path.read_text())
    cache["entries"][R3]["seq"] = "three"
    cache["entries"][R4]["articles"] = True
    cache["checksum"] = store_index.checksum(cache["entries"])
    cache_path.write_text(json.dumps(cache))
    infos = open_store(Workspace(shipped), AGREEMENT).infos()
    assert [i.seq for i in infos] == [1, 2, 3, 4] and infos[3].articles == 32


# -- item 5: stray files are skipped with a warning; -o never touches the store -------------

def test_one_stray_file_in_revisions_is_reported_and_skipped(shipped):
    stray = revisions(shipped) / ("1" * 64 + ".json")
    stray.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    result = run(shipped, "log", AGREEMENT)
    assert result.exit_code == 0 and result.stdout.count("\nr") == 4
    assert result.stderr == (f"draft: warning: {AGREEMENT}: skipped revisions/{'1' * 64}.json: "
                             "not a revision (its content does not hash to its name) "
                             f"(see 'draft verify {AGREEMENT}')\n")
    assert run(shipped, "show", f"{AGREEMENT}@r3").exit_code == 0
    built = run(shipped, "build", AGREEMENT, "--side", "us", "--set", "nuclear.freeze.days=50")
    assert built.exit_code == 0 and built.stdout.startswith(f"recorded {AGREEMENT}@r5 ")
    verified = run(shipped, "verify", AGREEMENT)
    assert verified.exit_code == 1
    assert verified.stdout.splitlines() == [
        f"{AGREEMENT}: 1111111111: not a revision (its content does not hash to its name)"]


def test_a_revision_of_another_agreement_is_foreign(shipped, small_workspace):
    ws = Workspace(small_workspace)
    foreign = build(ws, "treaty", "north").revision
    source = small_workspace / "drafts" / "treaty" / "revisions" / f"{foreign.id}.json"
    (revisions(shipped) / source.name).write_bytes(source.read_bytes())
    result = run(shipped, "log", AGREEMENT)
    assert result.exit_code == 0 and result.stdout.count("\nr") == 4
    assert "belongs to agreement 'treaty'" in result.stderr
    assert f"{foreign.short}: belongs to agreement 'treaty'" in \
        run(shipped, "verify", AGREEMENT).stdout


@pytest.mark.parametrize("target", [
    f"drafts/{AGREEMENT}/revisions/{R3}.json",
    f"drafts/{AGREEMENT}/revisions/{'1' * 64}.json",
    f"drafts/{AGREEMENT}/.cache/index.json",
    f"drafts/{AGREEMENT}/.lock",
    "link-to-revisions/new.json",
])
@pytest.mark.parametrize("command", [
    ["diff", f"{AGREEMENT}@r1", f"{AGREEMENT}@r2", "--format", "json"],
    ["progress", AGREEMENT, "--format", "json"],
])
def test_outputs_into_the_store_are_refused(shipped, target, command):
    (shipped / "link-to-revisions").symlink_to(revisions(shipped))
    before = sorted(p.name for p in revisions(shipped).iterdir())
    original = (revisions(shipped) / f"{R3}.json").read_bytes()
    result = run(shipped, *command, "-o", str(shipped / target))
    one_error(result, "refusing to write into the revision store", "choose another output")
    assert sorted(p.name for p in revisions(shipped).iterdir()) == before
    assert (revisions(shipped) / f"{R3}.json").read_bytes() == original


def test_an_output_to_a_device_is_written_not_replaced(shipped):
    result = run(shipped, "diff", f"{AGREEMENT}@r1", f"{AGREEMENT}@r2", "--format", "md",
                 "-o", "/dev/null")
    assert result.exit_code == 1
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_an_output_to_dev_full_is_an_error_and_the_device_stays(shipped):
    result = run(shipped, "diff", f"{AGREEMENT}@r1", f"{AGREEMENT}@r2", "--format", "md",
                 "-o", "/dev/full")
    one_error(result, "/dev/full: cannot write: No space left on device")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_an_output_to_a_fifo_is_written_into_the_pipe(shipped, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen([sys.executable, "-c", f"print(len(open({str(fifo)!r}).read()))"],
                              stdout=subprocess.PIPE, text=True)
    result = run(shipped, "diff", f"{AGREEMENT}@r1", f"{AGREEMENT}@r2", "--format", "md",
                 "-o", str(fifo))
    assert result.exit_code == 1
    assert int(reader.communicate(timeout=60)[0]) > 1000
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


# -- item 2 (store part): no links out of the agreement's folder ---------------------------

@pytest.mark.parametrize("name", ["revisions", ".cache", ".lock"])
def test_store_paths_that_are_links_are_refused(shipped, tmp_path, name):
    folder = shipped / "drafts" / AGREEMENT
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if name == "revisions":
        (folder / name).rename(elsewhere / name)
    elif name == ".cache":
        run(shipped, "log", AGREEMENT)
        (folder / name).rename(elsewhere / name)
    (folder / name).symlink_to(elsewhere / name)
    result = run(shipped, "build", AGREEMENT, "--side", "us", "--set", "nuclear.freeze.days=50")
    one_error(result, f"drafts/{AGREEMENT}/{name}: is a symbolic link; the revision store does "
              "not follow links")
    assert not (elsewhere / ".lock").exists()
    if name != ".lock":
        one_error(run(shipped, "log", AGREEMENT), "is a symbolic link")


@pytest.mark.parametrize("link", ["drafts", f"drafts/{AGREEMENT}"])
def test_an_agreement_folder_that_is_a_link_is_refused(shipped, tmp_path, link):
    (shipped / link).rename(tmp_path / "moved")
    (shipped / link).symlink_to(tmp_path / "moved")
    for args in (["log", AGREEMENT], ["build", AGREEMENT, "--side", "us", "--set",
                                      "nuclear.freeze.days=50"]):
        one_error(run(shipped, *args), f"{link}: is a symbolic link; agreement "
                  "folders must be real folders inside the workspace")
    assert len([p for p in (tmp_path / "moved").rglob("*.json")
                if p.parent.name == "revisions"]) == 4


def test_a_revision_file_that_is_a_link_is_skipped(shipped, tmp_path):
    outside = tmp_path / "secret.json"
    outside.write_text('{"agreement": "phased-agreement"}')
    (revisions(shipped) / ("2" * 64 + ".json")).symlink_to(outside)
    result = run(shipped, "log", AGREEMENT)
    assert result.exit_code == 0 and "a symbolic link, not a revision file" in result.stderr


# -- item 10: the umask -------------------------------------------------------------------

@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_files_honour_the_umask(workspace, umask, mode):
    old = os.umask(umask)
    try:
        ws = Workspace(workspace)
        revision = build(ws, AGREEMENT, "us").revision
        run(workspace, "export", f"{AGREEMENT}@us", "-o", str(workspace / "us.docx"))
    finally:
        os.umask(old)
    folder = workspace / "drafts" / AGREEMENT
    for path in (folder / "revisions" / f"{revision.id}.json", folder / ".cache" / "index.json",
                 folder / ".lock", workspace / "us.docx"):
        assert stat.S_IMODE(path.stat().st_mode) == mode, path


# -- item 4 (store side): the store never writes what it will refuse to read --------------

@pytest.mark.parametrize("char, line", [("\x00", 4), ("\x01", 4), ("\x1b", 4), ("\x0c", 4),
                                        ("\x7f", 4), ("\t", None), ("\u00a0", None)])
def test_imported_text_with_control_characters_is_refused(shipped, tmp_path, char, line):
    path = tmp_path / "reply.md"
    path.write_text(f"# Reply\n\nFirst paragraph.\nSecond line {char} here.\n")
    result = run(shipped, "import", str(path), "--agreement", AGREEMENT, "--side", "dprk")
    if line is None:
        assert result.exit_code == 0, result.output
        return
    one_error(result, f"{path}:{line}: control character U+{ord(char):04X} is not allowed "
              "in text")
    assert len(list(revisions(shipped).iterdir())) == 4


def test_a_crlf_file_is_still_text(shipped, tmp_path):
    path = tmp_path / "reply.txt"
    path.write_bytes(b"Article 1\r\n\r\nThe Parties agree.\r\n")
    result = run(shipped, "import", str(path), "--agreement", AGREEMENT, "--side", "dprk")
    assert result.exit_code == 0, result.output


def test_a_control_character_in_a_message_is_not_recorded(shipped):
    result = run(shipped, "build", AGREEMENT, "--side", "us", "--set", "nuclear.freeze.days=50",
                 "-m", "round\x1b[2J two")
    one_error(result, "not recorded: the message: control character U+001B is not allowed "
              "in text")


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.text(st.sampled_from("a\\ubf0\t\n\r\x00\x08\x0b\x0c\x1b\x1f\x7f\x80é")),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.text(st.sampled_from("k\\u\x07"), max_size=3), inner, max_size=3),
                    max_leaves=8))
def test_the_quick_control_look_misses_nothing(value):
    """The store looks at each text for a control character only when its JSON shows one
    may be there: whenever the full look refuses a record, the quick one sent it there."""
    record = {"message": "", "author": "a", "document": {"title": "t", "blocks": []},
              "provenance": value}
    try:
        store_module._refuse_controls(record)
    except Exception:
        assert store_module._MAYBE_CONTROL.search(store_module.encode(record))


@pytest.mark.parametrize("spare, recorded", [(0, True), (-1, False)])
def test_the_size_limit_applies_on_write(workspace, monkeypatch, spare, recorded):
    """The limit on reading applies on writing: a revision exactly at it is recorded and
    reads back; one byte over is refused and nothing is written."""
    folder = workspace / "drafts" / AGREEMENT
    first = build(Workspace(workspace), AGREEMENT, "us").revision
    size = (folder / "revisions" / f"{first.id}.json").stat().st_size
    (folder / "revisions" / f"{first.id}.json").unlink()
    monkeypatch.setattr(store_module, "MAX_REVISION_BYTES", size + spare)
    result = run(workspace, "build", AGREEMENT, "--side", "us")
    if recorded:
        assert result.exit_code == 0, result.output
        assert run(workspace, "show", f"{AGREEMENT}@r1").exit_code == 0
    else:
        one_error(result, f"not recorded: the revision would be {size:,} bytes, over the "
                  f"store's limit of {size - 1:,}")
        assert not list((folder / "revisions").iterdir())
