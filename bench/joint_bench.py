"""Benchmark: the joint negotiating text of up to six drafts of a 100k-word agreement.

Run: python bench/joint_bench.py [--words 100000] [--parties 2,4,6] [--repeat 3]
Target: six drafts of 100k words in at most 3 s on a 2-core machine (`draft joint` end to
end, from six Markdown files to the joint text).

Each party's draft is the common text with its own edits: 0.5% of words replaced by that
party alone, points where the parties split into camps (a wording shared by two or three
of them), a paragraph or two dropped, a paragraph added, and for one party an Article
dropped. Reported, per number of drafts (median of --repeat):
- `draft joint` end to end on the files (read, build, write Markdown), and in process the
  build of the joint text and the Markdown writer alone, and with --base the common text;
- that choosing each party's alternatives gives back its draft exactly, and the open points
  found;
- `draft progress` in process over two rounds of revisions by every party;
- peers on the same files: `git diff --no-index --word-diff` of the lead's draft with each
  other draft (the pairwise comparisons a person would otherwise read), and for three
  drafts `git merge-file`, the three-way merge git uses (it compares lines, not words).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from diff_bench import generate  # noqa: E402
from export_bench import document, timed  # noqa: E402

from drafting.model import Block, Document  # noqa: E402
from drafting.negotiate.joint import build  # noqa: E402
from drafting.negotiate.progress import rounds  # noqa: E402
from drafting.readers.markdown import read_file  # noqa: E402
from drafting.writers.joint import render_markdown  # noqa: E402
from drafting.writers.markdown import render as markdown  # noqa: E402

PARTIES = ("chn", "dprk", "jpn", "rok", "rus", "us")
CAMP_WORDS = ("thirty (30)", "sixty (60)", "ninety (90)", "promptly", "jointly")


def drafts(common: Document, count: int, seed: int = 11) -> list[Document]:
    """Each party's draft of the common text (see the module's docstring)."""
    rng = random.Random(seed)
    paragraphs = [n for n, b in enumerate(common.blocks) if not b.is_heading and not b.refs]
    camps = {n: rng.randrange(1 << 16) for n in rng.sample(paragraphs, len(paragraphs) // 20)}
    articles = [n for n, b in enumerate(common.blocks) if b.is_heading]
    out = []
    for party in range(count):
        own = random.Random(seed * 31 + party)
        dropped = set(own.sample(paragraphs, 2))
        if party == 1:  # this party drops an Article
            start = own.choice(articles[1:-1])
            dropped |= set(range(start, articles[articles.index(start) + 1]))
        added = own.choice(paragraphs)
        blocks = []
        for n, block in enumerate(common.blocks):
            if n in dropped:
                continue
            text = block.text
            if not block.is_heading and not block.refs:
                words = text.split(" ")
                for i in range(len(words)):
                    if own.random() < 0.005:
                        words[i] = f"{words[i]}-{party}"
                if n in camps:  # parties fall into camps of two or three on this point
                    camp = (camps[n] >> (party * 2)) % 3
                    words[len(words) // 2] = CAMP_WORDS[camp]
                text = " ".join(words)
            blocks.append(Block(block.kind, block.level, block.id, block.label, text,
                                block.clause, block.edition, block.refs if text == block.text
                                else ()))
            if n == added:
                blocks.append(Block("paragraph", 1, f"added{party}", "",
                                    f"Party {party} proposes that the Commission shall meet "
                                    "within thirty (30) days of any request."))
        out.append(Document(common.title, tuple(blocks)))
    return out


def run(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def cpu_run(cmd: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of a command: on a shared, loaded machine the
    CPU time is what the command would take on an idle one."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--parties", default="2,4,6")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    common = document(generate(args.words, 5))
    counts = [int(n) for n in args.parties.split(",")]
    every = drafts(common, max(counts))
    draft_cli = str(Path(sys.executable).with_name("draft"))
    git = shutil.which("git")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = []
        for party, doc in zip(PARTIES, every, strict=False):
            path = folder / f"{party}.md"
            path.write_text(markdown(doc), "utf-8")
            files.append(path)
        (folder / "base.md").write_text(markdown(common), "utf-8")
        docs = [read_file(p) for p in files]  # as the command line reads them
        print(f"{common.word_count():,} words, {len(common.blocks):,} blocks, "
              f"{sum(1 for b in common.blocks if b.is_heading)} Articles; median of "
              f"{args.repeat}")
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print("drafts | draft joint s (end to end) | its CPU s | build s | md s | "
              "build --base s | open points | choose() exact | git word diffs s | "
              "git merge-file s")
        print("--- | --- | --- | --- | --- | --- | --- | --- | --- | ---")
        for count in counts:
            parties = [(PARTIES[n], PARTIES[n].upper(), docs[n]) for n in range(count)]
            runs = [cpu_run([draft_cli, "joint", *map(str, files[:count]), "-o",
                             str(folder / "out.md")]) for _ in range(args.repeat)]
            cli = statistics.median(w for w, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            built, _, joint = timed(lambda p=parties: build(p), args.repeat)
            names = [str(f) for f in files[:count]]
            md, _, _ = timed(lambda j=joint, n=names: render_markdown(j, n), args.repeat)
            based, _, _ = timed(lambda p=parties: build(p, read_file(folder / "base.md")),
                                   args.repeat)
            exact = all(joint.choose(key) == doc for key, _, doc in parties)  # type: ignore[attr-defined]
            lead = str(files[count - 1])
            words = sum(run([git, "diff", "--no-index", "--word-diff=porcelain", lead, str(f)])
                        for f in files[: count - 1]) if git else float("nan")
            merge = "n/a"
            if git and count >= 3:
                for n in (0, 1):
                    shutil.copy(files[n], folder / f"merge{n}.md")
                merge = f"{run([git, 'merge-file', '-p', str(folder / 'merge0.md'), str(folder / 'base.md'), str(folder / 'merge1.md')]):.2f}"  # noqa: E501
            print(f"{count} | {cli:.2f} | {cpu:.2f} | {built:.2f} | {md:.2f} | {based:.2f} | "
                  f"{joint.differences()} | {'yes' if exact else 'NO'} | "  # type: ignore[attr-defined]
                  f"{words:.2f} | {merge}")
        six = max(counts)
        history = [(n + 1, f"r{n + 1}", PARTIES[n % six], "", doc) for n, doc in
                   enumerate(every[:six] + drafts(common, six, seed=12))]
        took, _, _ = timed(lambda: rounds(history, PARTIES[:six]), 1)
        print(f"draft progress in process, {len(history)} revisions of {six} parties (a joint "
              f"text after each from the fifth on): {took:.2f} s")
        print(f"target: {six} drafts of {common.word_count():,} words in at most 3 s end to "
              f"end: {'met' if cli <= 3 else 'NOT met'} ({cli:.2f} s wall, {cpu:.2f} s CPU; "
              f"load average after: {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
