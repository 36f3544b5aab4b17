"""Proof that a speed-up changed nothing: `draft diff` outputs of a fixed set of pairs,
stored once and compared byte for byte after each change.

Run: python bench/diff_outputs.py save DIR     (store today's outputs in DIR)
     python bench/diff_outputs.py check DIR    (compare; exit 1 on any difference)

The pairs: the benchmark's generated pairs (plain and hostile, 10k, 100k and 500k words),
the Paris Agreement chain of the corpus (each draft against the next, and the first
against the last) and the WTO Agreement pair; each in `--format json` and `--format md`,
and a few with the ignore options, which take other paths through the engine. The CPU
seconds of each run (user + system) are printed too, so that a check doubles as a
rough profile.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from diff_bench import hostile_pair, plain_pair

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "agreements"
FORMATS = ("json", "md")
IGNORING = ("-i", "-w", "--ignore-punctuation")


def pairs(folder: Path) -> list[tuple[str, Path, Path]]:
    """(name, old file, new file) of every pair checked."""
    out = []
    for make in (plain_pair, hostile_pair):
        for size in (10_000, 100_000, 500_000):
            pair = make(size, 0.01) if make is plain_pair else make(size)
            name = pair.name.replace(" ", "-").replace(",", "")
            old, new = folder / f"{name}.old.md", folder / f"{name}.new.md"
            old.write_text(pair.old)
            new.write_text(pair.new)
            out.append((name, old, new))
    chain = sorted((CORPUS / "paris").glob("paris_v*.body.md"))
    steps = [*itertools.pairwise(chain), (chain[0], chain[-1])] if chain else []
    out += [(f"paris-{a.name[6:8]}-{b.name[6:8]}", a, b) for a, b in steps]
    wto = CORPUS / "wto"
    if wto.is_dir():
        out.append(("wto", wto / "wto_1995-01-01.md", wto / "wto_2013-11-18.md"))
    return out


def runs(folder: Path) -> list[tuple[str, list[str]]]:
    """(name of the stored output, diff arguments) of every run."""
    out = []
    for name, old, new in pairs(folder):
        for fmt in FORMATS:
            out.append((f"{name}.{fmt}", [str(old), str(new), "--format", fmt]))
        if name.startswith(("paris", "wto", "hostile-100000", "plain-100000")):
            out.append((f"{name}.ignoring.json",
                        [str(old), str(new), "--format", "json", *IGNORING]))
    return out


def draft(args: list[str]) -> tuple[bytes, int, float]:
    """Standard output, exit status and CPU seconds of `draft diff ARGS`."""
    exe = shutil.which("draft") or str(Path(sys.executable).with_name("draft"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([exe, "diff", *args], capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"draft diff {' '.join(args)} failed: {proc.stderr.decode()}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return proc.stdout, proc.returncode, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("save", "check"))
    ap.add_argument("folder", type=Path)
    ap.add_argument("--only", default="", help="run only outputs whose name contains this")
    args = ap.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    inputs = args.folder / "inputs"  # the same paths each time: outputs name their files
    inputs.mkdir(exist_ok=True)
    differ = 0
    total = 0.0
    for name, diff_args in runs(inputs):
        if args.only not in name:
            continue
        out, status, cpu = draft(diff_args)
        total += cpu
        stored = args.folder / name
        data = out + f"\nexit {status}\n".encode()
        if args.action == "save":
            stored.write_bytes(data)
            verdict = "saved"
        elif not stored.exists():
            verdict, differ = "MISSING", differ + 1
        elif stored.read_bytes() == data:
            verdict = "same"
        else:
            verdict, differ = "DIFFERENT", differ + 1
        digest = hashlib.sha256(data).hexdigest()[:12]
        print(f"{name:40} {cpu:6.2f} cpu s  {digest}  {verdict}", flush=True)
    print(f"total {total:.2f} cpu s; {differ} different")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
