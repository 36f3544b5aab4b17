"""Benchmark: `draft diff --format json` end to end on agreement-like pairs with planted
edits, against git's word diff and the `redlines` package on the same files.

Run: python bench/diff_bench.py [--sizes 10000,100000,500000] [--redlines-max 100000]

For each size it writes OLD.md and NEW.md, where NEW has known edits planted: word
substitutions, insertions and deletions, changed numbers and dates, moved paragraphs and an
inserted Article. It reports wall time and peak memory of each tool, and for ours the
quality: changed words reported / planted, planted moves found, changes that split a word.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

WORDS = ("Party Parties shall may Agreement Article paragraph Commission Agency facility "
         "measures implementation verification notify written request provided that within "
         "days after date entry into force consultation each other obligations rights "
         "under pursuant accordance with relevant provisions Security Council resolution "
         "exemption waiver sanctions relief dismantlement inspection access report period "
         "the of and to in for by on as such any all its their this that which").split()
MONTHS = ("January February March April May June July August September October November "
          "December").split()


@dataclass
class Planted:
    changed_words: int = 0  # words deleted plus words inserted
    moves: list[tuple[int, int]] = field(default_factory=list)  # (old, new) Article numbers


def sentence(rng: random.Random) -> list[str]:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 28))]
    if rng.random() < 0.3:
        words += ["within", str(rng.choice([15, 30, 45, 60, 90, 120])), "days"]
    if rng.random() < 0.15:
        words += ["by", str(rng.randint(1, 28)), rng.choice(MONTHS), str(rng.randint(2026, 2030))]
    words[0] = words[0].capitalize()
    return words


def paragraph(rng: random.Random) -> list[list[str]]:
    return [sentence(rng) for _ in range(rng.randint(2, 4))]


def generate(words: int, seed: int) -> list[tuple[str, list[list[list[str]]]]]:
    """Articles: (title, paragraphs), each paragraph a list of sentences of words."""
    rng = random.Random(seed)
    articles, total = [], 0
    while total < words:
        paras = [paragraph(rng) for _ in range(rng.randint(2, 6))]
        total += sum(len(s) for p in paras for s in p)
        articles.append((" ".join(rng.choice(WORDS) for _ in range(3)).title(), paras))
    return articles


def render(articles) -> str:
    """Our canonical Markdown: numbered Articles and paragraphs."""
    out = ["# Benchmark Agreement", ""]
    for n, (title, paras) in enumerate(articles, 1):
        out += [f"### Article {n} — {title}", ""]
        for k, para in enumerate(paras, 1):
            text = " ".join(" ".join(s) + "." for s in para)
            out += [f"{n}.{k} {text}" if len(paras) > 1 else text, ""]
    return "\n".join(out)


def plant(articles, rng: random.Random, rate: float) -> tuple[list, Planted]:
    """Copy articles with edits; count what was changed."""
    new = [(t, [[list(s) for s in p] for p in paras]) for t, paras in articles]
    truth = Planted()
    total = sum(len(s) for _, ps in new for p in ps for s in p)
    edits = max(10, int(total * rate / 2))
    for _ in range(edits):
        _, paras = rng.choice(new)
        para = rng.choice(paras)
        sent = rng.choice(para)
        kind = rng.random()
        pos = rng.randrange(1, len(sent))
        if kind < 0.5:  # substitution of one word (or a number / date)
            old = sent[pos]
            if old.isdigit():
                sent[pos] = str(int(old) + rng.choice([1, 5, 15, 30]))
            elif old in MONTHS:
                sent[pos] = MONTHS[(MONTHS.index(old) + 1) % 12]
            else:
                choices = [w for w in WORDS if w != old and w not in sent[pos - 1: pos + 2]]
                sent[pos] = rng.choice(choices)
            truth.changed_words += 2
        elif kind < 0.75:  # insertion of two words
            sent[pos:pos] = ["duly", "authorised"]
            truth.changed_words += 2
        else:  # deletion of one word
            del sent[pos]
            truth.changed_words += 1
    # moved paragraphs: taken out of one Article and put into another, far away
    for _ in range(3):
        a = rng.randrange(len(new) // 2)
        b = rng.randrange(len(new) // 2, len(new))
        if len(new[a][1]) < 3:
            continue
        para = new[a][1].pop(rng.randrange(len(new[a][1])))
        new[b][1].append(para)
        truth.moves.append((a, b))  # article indices before the inserted Article
    # an inserted Article in the middle renumbers everything after it
    middle = len(new) // 2
    inserted = ("Additional Provision", [paragraph(rng) for _ in range(2)])
    truth.changed_words += sum(len(s) for p in inserted[1] for s in p) + 2
    new.insert(middle, inserted)
    truth.moves = [(a + 1, b + 2 if b >= middle else b + 1) for a, b in truth.moves]
    return new, truth


def run(cmd: list[str], timeout: float | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MB (of the command's process tree) and stdout. Python may
    write its bytecode caches (some environments forbid it, which would time the compiler
    at every start, as no installed package runs)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    wrapper = ("import resource, subprocess, sys\n"
               "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)\n"
               "sys.stdout.buffer.write(p.stdout)\n"
               "sys.stderr.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True,
                          timeout=timeout, env=env)
    elapsed = time.perf_counter() - start
    return elapsed, int(proc.stderr.decode().strip().splitlines()[-1]) // 1024, \
        proc.stdout.decode()


def quality(result: dict, truth: Planted) -> tuple[int, int, int]:
    """(changed words reported, planted moves found, changes splitting a word)."""
    stats = result["stats"]
    reported = stats["words_inserted"] + stats["words_deleted"]
    found = {(article_of(m["from"]), article_of(m["to"])) for m in result["moves"]}
    moves_found = sum(1 for m in truth.moves if m in found)
    splits = 0
    for block in result["blocks"]:
        for side in ("delete", "insert"):  # boundaries in the old text, then in the new
            ops = [op for op in block["ops"] if op[0] != side]
            text = "".join(op[1] for op in ops)
            pos = 0
            for op in ops[:-1]:
                pos += len(op[1])
                if 0 < pos < len(text) and re.match(r"\w\w", text[pos - 1: pos + 1]):
                    splits += 1
    return reported, moves_found, splits


def article_of(label: str) -> int | None:
    """12 for "12.3", "12(a)" or "Article 12"."""
    m = re.match(r"(?:Article )?(\d+)", label)
    return int(m.group(1)) if m else None


def redlines_cmd(old: Path, new: Path) -> list[str]:
    code = ("import sys; from redlines import Redlines\n"
            "a = open(sys.argv[1]).read(); b = open(sys.argv[2]).read()\n"
            "sys.stdout.write(Redlines(a, b, markdown_style='none').output_markdown)\n")
    return [sys.executable, "-c", code, str(old), str(new)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,500000")
    ap.add_argument("--redlines-max", type=int, default=100_000)
    ap.add_argument("--rate", type=float, default=0.01, help="share of words edited")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--repeat", type=int, default=3, help="runs of ours (median reported)")
    args = ap.parse_args()
    draft = shutil.which("draft") or str(Path(sys.executable).with_name("draft"))
    has_redlines = subprocess.run([sys.executable, "-c", "import redlines"],
                                  capture_output=True).returncode == 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            rng = random.Random(size)
            articles = generate(size, seed=size)
            changed, truth = plant(articles, rng, args.rate)
            old, new = Path(tmp, f"old{size}.md"), Path(tmp, f"new{size}.md")
            old.write_text(render(articles))
            new.write_text(render(changed))
            words = len(old.read_text().split())
            run([draft, "--version"])  # warm up: bytecode caches, file system
            timings = [run([draft, "diff", str(old), str(new), "--format", "json"])
                       for _ in range(args.repeat)]
            ours_t = statistics.median(t for t, _, _ in timings)
            ours_mb, out = max(mb for _, mb, _ in timings), timings[0][2]
            reported, moves, splits = quality(json.loads(out), truth)
            git_t, _, _ = run(["git", "diff", "--no-index", "--word-diff=porcelain",
                                    str(old), str(new)])
            red_t = red_mb = None
            if has_redlines and size <= args.redlines_max:
                try:
                    red_t, red_mb, _ = run(redlines_cmd(old, new), timeout=args.timeout)
                except subprocess.TimeoutExpired:
                    red_t = float("inf")
            rows.append((words, ours_t, ours_mb, git_t, red_t, red_mb, reported,
                         truth.changed_words, moves, len(truth.moves), splits))
    print(f"draft diff --format json, end to end (median of {args.repeat}); planted edit "
          f"rate {args.rate:.0%} of words")
    head = ("words", "ours s", "ours MB", "git s", "redlines s", "redlines/ours", "git/ours",
            "changed words rep/planted", "moves found", "split words")
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    for (words, ours_t, ours_mb, git_t, red_t, _red_mb, rep, planted, moves, n_moves,
         splits) in rows:
        red = "n/a" if red_t is None else ("timeout" if red_t == float("inf") else
                                           f"{red_t:.2f}")
        ratio = "n/a" if red_t in (None, float("inf")) else f"{red_t / ours_t:.0f}x"
        print(f"{words:,} | {ours_t:.2f} | {ours_mb} | {git_t:.2f} | {red} | {ratio} | "
              f"{git_t / ours_t:.2f}x | {rep}/{planted} = {rep / planted:.2f} | "
              f"{moves}/{n_moves} | {splits}")


if __name__ == "__main__":
    main()
