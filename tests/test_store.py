"""The revision store: content-addressed files, refs, deduplication, integrity, locking."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from drafting.build import build, open_revision, open_store
from drafting.errors import DraftingError
from drafting.store import split_ref
from drafting.workspace import Workspace


def test_build_records_an_immutable_revision_with_provenance(workspace):
    ws = Workspace(workspace)
    result = build(ws, "phased-agreement", "us", author="A. Negotiator", message="opening")
    rev = result.revision
    path = workspace / "drafts/phased-agreement/revisions" / f"{rev.id}.json"
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == rev.id
    record = json.loads(data)
    assert record["side"] == "us" and record["parent"] is None
    assert record["author"] == "A. Negotiator" and record["message"] == "opening"
    assert record["time"].endswith("Z")
    sources = record["sources"]
    for name in ("drafts/phased-agreement/agreement.yaml",
                 "drafts/phased-agreement/positions/us.yaml",
                 "templates/phased-agreement.md.j2", "clauses/nuclear/freeze.md"):
        assert sources[name] == hashlib.sha256((workspace / name).read_bytes()).hexdigest()
    assert record["clauses"]["nuclear.freeze"] >= 1
    assert record["document"]["blocks"][0]["kind"] == "paragraph"


def test_unchanged_inputs_name_the_existing_revision(workspace):
    ws = Workspace(workspace)
    first = build(ws, "phased-agreement", "us")
    again = build(ws, "phased-agreement", "us", message="same again")
    assert not again.created and again.revision.id == first.revision.id
    changed = build(ws, "phased-agreement", "us", overrides=["nuclear.freeze.days=50"])
    assert changed.created and changed.revision.parent == first.revision.id
    assert len(open_store(ws, "phased-agreement").ids()) == 2


@pytest.fixture
def history(workspace):
    ws = Workspace(workspace)
    ids = [build(ws, "phased-agreement", side, overrides=overrides).revision.id
           for side, overrides in (("us", []), ("dprk", []), ("us", ["nuclear.freeze.days=40"]),
                                   ("dprk", ["nuclear.freeze.days=70"]))]
    return ws, ids


@pytest.mark.parametrize("ref, index", [
    ("phased-agreement", 3), ("phased-agreement@latest", 3), ("phased-agreement@r1", 0),
    ("phased-agreement@r3", 2), ("phased-agreement@us", 2), ("phased-agreement@dprk", 3),
    ("phased-agreement@us~1", 1), ("phased-agreement@latest~3", 0),
    ("phased-agreement@dprk~2", 1), ("phased-agreement@dprk~1~1", 1),
])
def test_refs(history, ref, index):
    ws, ids = history
    assert open_revision(ws, ref).id == ids[index]


def test_hash_prefix_ref(history):
    ws, ids = history
    rev = open_revision(ws, f"phased-agreement@{ids[1][:8]}")
    assert rev.id == ids[1] and rev.seq == 2


@pytest.mark.parametrize("ref, message", [
    ("phased-agreement@r9", "no revision 'phased-agreement@r9': phased-agreement has r1-r4"),
    ("phased-agreement@eu", "phased-agreement has no side 'eu' (sides: us, dprk); use "
                            "@latest, @SIDE, @rN or @<hash prefix>"),
    ("phased-agreement@r1~1", "r1 has no parent"),
    ("nothing@latest", "no agreement 'nothing' (agreements: phased-agreement)"),
    ("../../etc@latest", "invalid agreement name '../../etc'"),
])
def test_bad_refs_say_what_exists(history, ref, message):
    ws, _ = history
    with pytest.raises(DraftingError) as e:
        open_revision(ws, ref)
    assert message in str(e.value)


def test_split_ref():
    assert split_ref("a@us~2") == ("a", "us", 2)
    assert split_ref("a~") == ("a", "latest", 1)
    assert split_ref("a@r3~~") == ("a", "r3", 2)


@pytest.mark.parametrize("side", ["../us", "us/..", "", "a b"])
def test_path_traversal_side_names_are_refused(workspace, side):
    with pytest.raises(DraftingError, match="invalid side name"):
        build(Workspace(workspace), "phased-agreement", side)
    assert not (workspace / "drafts" / "phased-agreement" / "revisions").exists()


def test_unknown_side(workspace):
    with pytest.raises(DraftingError, match="has no side 'eu' \\(sides: us, dprk\\)"):
        build(Workspace(workspace), "phased-agreement", "eu")


def test_verify_detects_an_altered_revision(history):
    ws, ids = history
    store = open_store(ws, "phased-agreement")
    assert store.verify() == []
    path = store.dir / f"{ids[1]}.json"
    path.write_bytes(path.read_bytes().replace(b"shall", b"may", 1))
    problems = store.verify()
    assert len(problems) == 1 and problems[0].startswith(f"{ids[1][:10]}: ALTERED")


def _killed_build(root: str) -> None:
    """Build, but die (SIGKILL) right after the temporary file is written and synced."""
    def die(fd: int) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    os.fsync = die
    build(Workspace(Path(root)), "phased-agreement", "dprk")


def test_a_killed_writer_leaves_no_partial_revision(history):
    ws, ids = history
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(target=_killed_build, args=(str(ws.root),))
    proc.start()
    proc.join(60)
    assert proc.exitcode == -signal.SIGKILL
    store = open_store(ws, "phased-agreement")
    leftovers = list(store.dir.glob("*.tmp"))
    assert len(leftovers) == 1  # the interrupted write, which never became a revision
    assert sorted(store.ids()) == sorted(ids)
    assert any("interrupted write" in p for p in store.verify())
    result = build(ws, "phased-agreement", "dprk", overrides=["nuclear.freeze.days=75"])
    assert result.created and not list(store.dir.glob("*.tmp")) and store.verify() == []


def _build_many(root: str, worker: int, count: int) -> None:
    ws = Workspace(Path(root))
    for k in range(count):
        build(ws, "treaty", "north", overrides=[f"river=River {worker}-{k}"])


def test_concurrent_builds_all_land(small_workspace):
    """8 processes x 25 builds: 200 revisions, none lost, one unbroken chain of parents."""
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_build_many, args=(str(small_workspace), w, 25))
             for w in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
        assert p.exitcode == 0
    store = open_store(Workspace(small_workspace), "treaty")
    infos = store.infos()
    assert len(infos) == 200
    assert store.verify() == []
    parents = [i.parent for i in infos]
    assert parents[0] is None and len(set(parents)) == 200
    assert all(infos[n].parent == infos[n - 1].id for n in range(1, 200))
    rivers = {open_revision(Workspace(small_workspace), f"treaty@{i.id}").document.find(
        "purpose#p1").text
              for i in infos[:3]}
    assert len(rivers) == 3


def test_revision_json_is_canonical(history):
    ws, ids = history
    store = open_store(ws, "phased-agreement")
    data = (store.dir / f"{ids[0]}.json").read_text()
    assert data == json.dumps(json.loads(data), ensure_ascii=False, sort_keys=True,
                              separators=(",", ":")) + "\n"


def test_store_is_readable_without_its_cache(history):
    ws, ids = history
    store = open_store(ws, "phased-agreement")
    (store.dir.parent / ".cache" / "index.json").unlink()
    assert [i.id for i in store.infos()] == ids
    (store.dir.parent / ".cache" / "index.json").write_text("{broken")
    assert [i.id for i in store.infos()] == ids


if __name__ == "__main__":  # pragma: no cover
    sys.exit(subprocess.call([sys.executable, "-m", "pytest", __file__]))
