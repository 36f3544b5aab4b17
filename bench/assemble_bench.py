"""Benchmark: assemble a template that includes 1,000 clauses and store the revision.

Run: python bench/assemble_bench.py [--clauses 1000] [--repeat 5]
Prints wall times for a cold build (a fresh process: library load, Jinja compilation,
rendering, numbering, hashing, writing) and a warm rebuild with one parameter changed, plus
the in-process split between loading, assembling and storing. Target: under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLAUSE = """---
id: gen.c{n:04d}
title: Provision {n}
edition: 1
params:
  days: {{type: int, default: {days}, min: 1}}
  party: {{type: choice, options: [the DPRK, the United States], default: the DPRK}}
---
## Provision {n}

Within {{{{ days | words }}}} days after the date of entry into force of this Agreement,
{{{{ party }}}} shall take the measures set out in this Article and shall inform the Joint
Commission of the steps taken. {{: #main}}

The Joint Commission shall review the implementation of this Article at its next regular
meeting and may recommend further measures to the Parties, consistent with
{{{{ ref("gen.c{prev:04d}#main") }}}}.

Nothing in this Article shall prejudice the rights and obligations of either Party under
other international agreements to which it is a party.
"""


def make_workspace(root: Path, count: int) -> None:
    (root / "clauses").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "drafts" / "bench" / "positions").mkdir(parents=True)
    for n in range(1, count + 1):
        (root / "clauses" / f"c{n:04d}.md").write_text(
            CLAUSE.format(n=n, days=30 + n % 60, prev=max(1, n - 1)))
    parts = "\n".join(f'{{{{ clause("gen.c{n:04d}") }}}}' +
                      (f"\n\n# Part {n // 100 + 1}\n" if n % 100 == 0 else "")
                      for n in range(1, count + 1))
    (root / "templates" / "bench.md.j2").write_text(
        "The Parties to this Agreement,\n\nHave agreed as follows:\n\n# Part 1\n\n" + parts)
    (root / "drafts" / "bench" / "agreement.yaml").write_text(
        "title: Benchmark Agreement\ntemplate: bench\nsides:\n  a: Side A\n  b: Side B\n")


def timed_cli(root: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "drafting.cli", "-C", str(root), *args], check=True,
                   capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clauses", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from drafting.assemble import assemble
    from drafting.build import inputs_digest, open_store
    from drafting.library import load_library
    from drafting.store import NewRevision
    from drafting.workspace import Workspace, load_agreement, load_position

    cold, warm, phases = [], [], []
    for rep in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            make_workspace(root, args.clauses)
            cold.append(timed_cli(root, "build", "bench", "--side", "a"))
            warm.append(timed_cli(root, "build", "bench", "--side", "a", "--set",
                                  f"gen.c0500.days={rep + 100}"))
            ws = Workspace(root)
            t0 = time.perf_counter()
            library = load_library(ws.clauses_dir)
            agreement = load_agreement(ws, "bench")
            position = load_position(agreement, "b")
            t1 = time.perf_counter()
            assembly = assemble(ws, library, agreement, position)
            t2 = time.perf_counter()
            open_store(ws, agreement).add(NewRevision(
                side="b", author="bench", message="", document=assembly.document,
                inputs=inputs_digest("b", assembly.sources, []), sources=assembly.sources,
                clauses=assembly.clauses))
            t3 = time.perf_counter()
            phases.append((t1 - t0, t2 - t1, t3 - t2))
            doc = assembly.document
            assert doc.article_count() == args.clauses

    def fmt(values: list[float]) -> str:
        return f"{statistics.median(values):.3f} s (min {min(values):.3f})"

    print(f"assemble + store, {args.clauses} clauses, {doc.word_count():,} words, "
          f"{len(doc.blocks):,} blocks; median of {args.repeat} runs")
    print(f"  draft build, fresh process, cold      {fmt(cold)}")
    print(f"  draft build, one parameter changed    {fmt(warm)}")
    print(f"  in process: load library + positions  {fmt([p[0] for p in phases])}")
    print(f"  in process: assemble (render, number) {fmt([p[1] for p in phases])}")
    print(f"  in process: store revision            {fmt([p[2] for p in phases])}")
    for name, values in (("first build (Jinja compiles every clause)", cold),
                         ("rebuild (compiled clauses cached)", warm)):
        median = statistics.median(values)
        print(f"target < 1 s, {name}: {'met' if median < 1 else 'NOT met'} ({median:.3f} s)")


if __name__ == "__main__":
    main()
