"""README works when pasted: every ```console block is run, in README's order, in one fresh
copy of the repository (as a user who cloned it and follows along), with `draft` on the
PATH, and what it prints is compared with the lines README shows.

In the documented output a line `...` stands for any number of lines, and `...` inside a
line for any text. Revision hashes, dates and times, and byte counts are masked on both
sides: they cannot be reproduced. Blocks that read the real-document corpus
(`../shared/corpus`) need it beside the copy and are skipped, saying so, without it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

README = ROOT / "README.md"
_MASKS = [
    (re.compile(r"\b[0-9a-f]{64}\b"), "<sha256>"),
    (re.compile(r"\b[0-9a-f]{10}\b"), "<id>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?)?"), "<date>"),
    (re.compile(r"\([\d,]+ bytes\)"), "(<n> bytes)"),
]
_COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", ".cache",
                                      ".lock", ".pytest_cache", ".ruff_cache", ".hypothesis",
                                      "build", "dist", "bench")


@dataclass
class Command:
    line: int  # in README.md
    text: str
    expected: list[str]


def console_blocks(text: str) -> list[list[Command]]:
    """Each ```console block as its commands, with the output lines README shows."""
    blocks: list[list[Command]] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        commands: list[Command] = []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            line = lines[i]
            if line.startswith("$ "):
                start, command = i + 1, line[2:]
                while command.endswith("\\") and i + 1 < len(lines):
                    i += 1
                    command = command[:-1] + "\n" + lines[i]
                heredoc = re.search(r"<<-?\s*'?(\w+)'?\s*$", command)
                while heredoc and i + 1 < len(lines):  # the document is part of the command
                    i += 1
                    command += "\n" + lines[i]
                    if lines[i] == heredoc.group(1):
                        break
                commands.append(Command(start, command, []))
            elif commands:
                commands[-1].expected.append(line)
            i += 1
        blocks.append(commands)
        i += 1
    return blocks


def mask(line: str) -> str:
    for pattern, token in _MASKS:
        line = pattern.sub(token, line)
    return line.rstrip()


def matches(expected: list[str], actual: list[str]) -> bool:
    """`...` alone matches any run of lines; `...` inside a line matches any text (glob
    matching over lines, by dynamic programming: fine for outputs of any length)."""
    def line_ok(want: str, got: str) -> bool:
        if "..." not in want:
            return want == got
        pattern = ".*".join(re.escape(part) for part in want.split("..."))
        return re.fullmatch(pattern, got) is not None

    # ok[a]: expected[:e] matches actual[:a], for the e reached so far
    ok = [True] + [False] * len(actual)
    for want in expected:
        if want.strip() == "...":
            for a in range(1, len(ok)):
                ok[a] = ok[a] or ok[a - 1]
        else:
            ok = [False] + [ok[a] and line_ok(want, actual[a]) for a in range(len(actual))]
    return ok[-1]


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """The repository as a user gets it, with the corpus beside it when we have it."""
    top = tmp_path_factory.mktemp("readme")
    target = top / "drafting"
    shutil.copytree(ROOT, target, ignore=_COPY_IGNORE, symlinks=True)
    if CORPUS.is_dir():
        (top / "shared").mkdir()
        (top / "shared" / "corpus").symlink_to(CORPUS)
    return target


def run(command: str, cwd: Path, env: dict[str, str]) -> tuple[str, Path]:
    """Run one command in bash as a user would type it; return what it printed (stdout and
    stderr, as a terminal shows them) and the folder it left the shell in."""
    script = f"{command}\n__status=$?\nprintf '\\n__PWD__%s' \"$PWD\"\nexit $__status\n"
    proc = subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=False,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=600)
    out, _, where = proc.stdout.rpartition("\n__PWD__")
    return out, Path(where)


def test_every_console_block_runs_as_documented(clone):
    blocks = console_blocks(README.read_text("utf-8"))
    assert len(blocks) >= 10
    env = {**os.environ, "NO_COLOR": "1", "PATH": f"{Path(sys.executable).parent}:"
           f"{os.environ.get('PATH', '')}", "DRAFTING_AUTHOR": "K. Alvarez"}
    env.pop("DRAFTING_CORPUS", None)
    cwd, skipped, failures = clone, [], []
    for commands in blocks:
        if any("../shared/corpus" in c.text for c in commands) and \
                not (clone.parent / "shared" / "corpus").is_dir():
            skipped.append(commands[0].line)
            continue
        for command in commands:
            out, cwd = run(command.text, cwd, env)
            actual = [mask(x) for x in out.split("\n")]
            while actual and not actual[-1]:
                actual.pop()
            expected = [mask(x) for x in command.expected]
            while expected and not expected[-1]:
                expected.pop()
            if not matches(expected, actual):
                failures.append(f"README.md:{command.line}: $ {command.text}\n"
                                + "\n".join(f"  want| {x}" for x in expected) + "\n"
                                + "\n".join(f"  got | {x}" for x in actual[:40]))
    assert not failures, "\n\n".join(failures)
    if skipped:
        pytest.skip(f"corpus not found at {CORPUS}: README blocks at lines "
                    f"{', '.join(map(str, skipped))} not run")


def test_the_matcher():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "...", "d"], ["a", "d"])
    assert not matches(["a", "...", "d"], ["a", "b"])
    assert matches(["x ... z"], ["x yyy z"]) and not matches(["x ... z"], ["x y"])
    assert matches(["[US: ...][DPRK: ...]"], ["[US: ...][DPRK: ...]"])
    assert mask("r1   a4de3b2708  us  2026-10-05 09:30") == "r1   <id>  us  <date>"
    blocks = console_blocks("text\n```console\n$ draft a \\\n  --b\nout\n\n$ c\n"
                            "$ cat > f <<'EOF'\n$ not a command\nEOF\n```\n")
    assert [(c.text, c.expected) for c in blocks[0]] == [
        ("draft a \n  --b", ["out", ""]), ("c", []),
        ("cat > f <<'EOF'\n$ not a command\nEOF", [])]


def test_every_command_and_option_is_in_readme():
    """Help and README say the same: each command and each long option appears in README
    (a --x/--no-x pair by either half), and each option README gives a command exists."""
    import click

    from drafting.cli import main

    text = README.read_text("utf-8")
    missing = []
    for name, command in sorted(main.commands.items()):
        if f"draft {name}" not in text:
            missing.append(f"draft {name}")
        for param in command.params:
            if not isinstance(param, click.Option):
                continue
            names = [o for o in (*param.opts, *param.secondary_opts) if o.startswith("--")]
            if names and not any(re.search(re.escape(o) + r"(?![\w-])", text) for o in names):
                missing.append(f"draft {name} {names[0]}")
    assert missing == []
    wrong = []
    for m in re.finditer(r"`draft ([a-z]+)( [^`]*)`", text):
        command = main.commands.get(m.group(1))
        if command is None:
            continue
        known = {o for p in command.params if isinstance(p, click.Option)
                 for o in (*p.opts, *p.secondary_opts)} | {"--help", "-h"}
        wrong += [f"`draft {m.group(1)} ... {o}`"
                  for o in re.findall(r"(?<![\w-])--?[a-zA-Z][\w-]*", m.group(2))
                  if o not in known]
    assert wrong == []
