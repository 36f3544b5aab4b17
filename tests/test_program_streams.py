"""The `draft` program itself (launch.run, then cli.run, which ends with os._exit), run
as a process: its standard streams full, closed or read by a reader that leaves early, an
interrupt while it loads and in the middle of writing a file. Each failure is one line and
a non-zero status; each file it writes is whole or absent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAM = [sys.executable, "-c", "from drafting.launch import run; run()"]


def _texts(folder: Path) -> tuple[Path, Path]:
    old, new = folder / "old.md", folder / "new.md"
    old.write_text("# Treaty\n\n" + "".join(f"The Parties shall meet {i} times.\n\n"
                                           for i in range(3000)))
    new.write_text("# Treaty\n\n" + "".join(f"The Parties may meet {i} times.\n\n"
                                           for i in range(3000)))
    return old, new


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PROGRAM, *args], text=True, stderr=subprocess.PIPE, timeout=120,
                          **kwargs)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("args", [("--version",), ("diff", "OLD", "NEW")])
def test_a_full_output_is_one_line_and_status_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    old, new = _texts(tmp_path)
    args = tuple({"OLD": str(old), "NEW": str(new)}.get(a, a) for a in args)
    with open("/dev/full", "w") as full:
        result = _run(*args, stdout=full)
    assert result.returncode == 2
    assert result.stderr == "draft: error: cannot write the output: No space left on device\n"


def test_a_closed_output_is_refused_and_a_file_is_written_whole(tmp_path: Path) -> None:
    old, new = _texts(tmp_path)
    closed = {"preexec_fn": lambda: os.close(1)}
    result = _run("diff", str(old), str(new), **closed)
    assert result.returncode == 2
    assert result.stderr == ("draft: error: cannot write the output: standard output was "
                             "closed when draft started\n")
    out, expected = tmp_path / "diff.md", tmp_path / "expected.md"
    result = _run("diff", str(old), str(new), "-o", str(out), **closed)
    assert (result.returncode, result.stderr) == (1, "")
    assert _run("diff", str(old), str(new), "-o", str(expected)).returncode == 1
    assert out.read_bytes() == expected.read_bytes()  # not a byte of it on descriptor 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "diff.md", "expected.md", "new.md", "old.md"]


def test_a_reader_that_leaves_early_is_no_error(tmp_path: Path) -> None:
    old, new = _texts(tmp_path)
    process = subprocess.Popen([*PROGRAM, "diff", str(old), str(new)], text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline().startswith("--- ")  # as `| head -1`
    process.stdout.close()
    assert process.stderr.read() == ""
    assert process.wait(timeout=120) == 1  # the texts differ, as the command found


def test_an_interrupt_while_writing_leaves_no_file(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT) as the output's temporary file is renamed into place."""
    old, new = _texts(tmp_path)
    out = tmp_path / "diff.html"
    interrupted = ("import os, signal; from drafting import outfile; from drafting.launch import "
                   "run\ndef replace(*a): os.kill(os.getpid(), signal.SIGINT)\n"
                   "outfile.os.replace = replace\nrun()")
    result = subprocess.run([sys.executable, "-c", interrupted, "diff", str(old), str(new),
                             "-o", str(out)], text=True, stderr=subprocess.PIPE, timeout=120,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert (result.returncode, result.stderr) == (2, "draft: error: interrupted\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.md", "old.md"]


@pytest.mark.parametrize("module", ["click", "outputs"])  # outputs: `from .outputs import`
def test_an_interrupt_while_the_program_loads_is_one_line(tmp_path: Path, module: str) -> None:
    """Ctrl-C while the command line's modules are imported, before any command runs."""
    old, new = _texts(tmp_path)
    loading = ("import builtins, os, signal\nreal = builtins.__import__\n"
               "def hook(name, *a, **k):\n"
               f"    if name == {module!r}:\n"
               "        os.kill(os.getpid(), signal.SIGINT)\n"
               "    return real(name, *a, **k)\n"
               "builtins.__import__ = hook\nfrom drafting.launch import run\nrun()")
    result = subprocess.run([sys.executable, "-c", loading, "diff", str(old), str(new)],
                            text=True, capture_output=True, timeout=120,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", "draft: error: interrupted\n")
