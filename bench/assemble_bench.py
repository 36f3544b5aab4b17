"""Benchmark: assemble a template that includes 1,000 clauses and store the revision.

Run: python bench/assemble_bench.py [--clauses 1000] [--repeat 5]
Prints wall and CPU times for a cold build (a fresh process with an empty compiled-template
cache: library load, checks, rendering, numbering, hashing, writing) and a rebuild with one
parameter changed, plus the in-process split between loading, assembling and storing; for
clause bodies that are text with `{{ }}` outputs, for bodies with an `{% if %}` too and for
bodies with a `{% for %}` (all three rendered without Jinja's compiler). Targets (issue
12): first build at most 1.0 s, rebuild at most 0.5 s. The load average is printed: on a loaded
machine wall times grow, CPU times much less.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from diff_bench import compile_bytecode

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
other international agreements to which it is a party.{statement}
"""
STATEMENTS = {
    "plain": "",
    "if": "{% if days > 60 %} This period may be extended once.{% endif %}",
    "for": "{% for word in ['This', 'period'] %} {{ word }}{% endfor %} may be extended.",
}
KINDS = {"plain": "plain", "if": "with an {% if %} (not compiled)",
         "for": "with a {% for %} (not compiled)"}


def make_workspace(root: Path, count: int, kind: str = "plain") -> None:
    (root / "clauses").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "drafts" / "bench" / "positions").mkdir(parents=True)
    for n in range(1, count + 1):
        (root / "clauses" / f"c{n:04d}.md").write_text(
            CLAUSE.format(n=n, days=30 + n % 60, prev=max(1, n - 1),
                          statement=STATEMENTS[kind]))
    parts = "\n".join(f'{{{{ clause("gen.c{n:04d}") }}}}' +
                      (f"\n\n# Part {n // 100 + 1}\n" if n % 100 == 0 else "")
                      for n in range(1, count + 1))
    (root / "templates" / "bench.md.j2").write_text(
        "The Parties to this Agreement,\n\nHave agreed as follows:\n\n# Part 1\n\n" + parts)
    (root / "drafts" / "bench" / "agreement.yaml").write_text(
        "title: Benchmark Agreement\ntemplate: bench\nsides:\n  a: Side A\n  b: Side B\n")


def timed_cli(root: Path, cache: Path, *args: str) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one `draft` run in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "drafting.cli", "-C", str(root), *args], check=True,
                   capture_output=True, env={**os.environ, "DRAFTING_CACHE": str(cache)})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def measure(count: int, repeat: int, kind: str) -> None:
    from drafting.assemble import assemble
    from drafting.build import inputs_digest, open_store
    from drafting.library import load_library
    from drafting.store import NewRevision
    from drafting.workspace import Workspace, load_agreement, load_position

    cold, warm, phases = [], [], []
    for rep in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            root, cache = Path(tmp) / "ws", Path(tmp) / "cache"
            make_workspace(root, count, kind)
            cold.append(timed_cli(root, cache, "build", "bench", "--side", "a"))
            warm.append(timed_cli(root, cache, "build", "bench", "--side", "a", "--set",
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
            assert doc.article_count() == count

    def fmt(values: list[float]) -> str:
        return f"{statistics.median(values):.3f} s (min {min(values):.3f})"

    print(f"assemble + store, {count} clauses {KINDS[kind]}, {doc.word_count():,} words, "
          f"{len(doc.blocks):,} blocks; median of {repeat} runs")
    for name, runs in (("first build, empty cache ", cold), ("one parameter changed    ", warm)):
        print(f"  draft build, {name} wall {fmt([r[0] for r in runs])}, "
              f"CPU {fmt([r[1] for r in runs])}")
    print(f"  in process: load library + positions  {fmt([p[0] for p in phases])}")
    print(f"  in process: assemble (render, number) {fmt([p[1] for p in phases])}")
    print(f"  in process: store revision            {fmt([p[2] for p in phases])}")
    for name, runs, target in (("first build", cold, 1.0), ("rebuild", warm, 0.5)):
        wall, cpu = (statistics.median(r[i] for r in runs) for i in (0, 1))
        print(f"  target <= {target} s, {name}: wall {'met' if wall <= target else 'NOT met'} "
              f"({wall:.3f} s), CPU {'met' if cpu <= target else 'NOT met'} ({cpu:.3f} s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clauses", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    compile_bytecode()
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores: above 2 the machine is "
          "loaded and wall times grow)")
    for kind in STATEMENTS:
        measure(args.clauses, args.repeat, kind)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
