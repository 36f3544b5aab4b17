"""Benchmark: `draft diff --format json` end to end on agreement-like pairs with planted
edits, against git's word diff and the `redlines` package on the same files.

Run: python bench/diff_bench.py [--sizes 10000,100000,500000] [--redlines-max 100000]
                                [--shapes plain,hostile,wto]

Three shapes of pair:
- plain: titled Articles; NEW has word substitutions, insertions and deletions, changed
  numbers and dates, three moved paragraphs and an inserted Article.
- hostile: what breaks an aligner that compares sets of words. Headings are only a number
  ("Article 12"), the vocabulary is about 100 words, every paragraph has 2% of its words
  edited (so no section is left identical to anchor on), 40 paragraphs move to other
  Articles, 20 heading lines move (two Articles merge at the old place, one splits at the
  new), 20 paragraphs are deleted and 20 inserted.
- wto: the real WTO Agreement pair of the corpus (no planted truth).

For each pair it reports wall time (median of --repeat) and peak memory of `draft diff
--format json` and of `git diff --no-index --word-diff=porcelain`, and for ours the blocks
changed / inserted / deleted / moved against the planted truth (a moved heading line counts
as one deleted and one inserted block; ours may report it as a move of the heading alone
when it can tell which heading went where), planted moves found,
changed words reported / planted, changes that split a word, and the cost of each stage
of the engine measured in this process (alignment, word diff, moved runs).
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
from collections.abc import Callable
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
# The hostile shape's whole vocabulary: 100 words, as in boilerplate-heavy texts.
VOCABULARY = sorted(set(WORDS) | set(
    "member state states annex schedule protocol secretariat conference decision procedure "
    "review body committee general council ministerial trade goods services tariff "
    "measure import export duty".split()))[:100]


@dataclass
class Planted:
    """The truth a pair was built with."""

    changed_words: int = 0  # words deleted plus words inserted
    moves: list[tuple[int, int]] = field(default_factory=list)  # (old, new) Article numbers
    blocks: dict[str, int] = field(default_factory=dict)  # changed/inserted/deleted/moved


@dataclass
class Pair:
    name: str
    old: str
    new: str
    truth: Planted | None


# -- plain shape: titled Articles, light edits ------------------------------------------

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
    touched: set[int] = set()  # ids of the paragraphs edited
    for _ in range(edits):
        _, paras = rng.choice(new)
        para = rng.choice(paras)
        touched.add(id(para))
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
    moved: set[int] = set()
    for _ in range(3):
        a = rng.randrange(len(new) // 2)
        b = rng.randrange(len(new) // 2, len(new))
        if len(new[a][1]) < 3:
            continue
        para = new[a][1].pop(rng.randrange(len(new[a][1])))
        new[b][1].append(para)
        moved.add(id(para))
        truth.moves.append((a, b))  # article indices before the inserted Article
    # an inserted Article in the middle renumbers everything after it
    middle = len(new) // 2
    inserted = ("Additional Provision", [paragraph(rng) for _ in range(2)])
    truth.changed_words += sum(len(s) for p in inserted[1] for s in p) + 2
    new.insert(middle, inserted)
    truth.moves = [(a + 1, b + 2 if b >= middle else b + 1) for a, b in truth.moves]
    truth.blocks = {"changed": len(touched - moved), "inserted": 3, "deleted": 0,
                    "moved": len(moved)}
    return new, truth


def plain_pair(size: int, rate: float) -> Pair:
    rng = random.Random(size)
    articles = generate(size, seed=size)
    changed, truth = plant(articles, rng, rate)
    return Pair(f"plain {size:,}", render(articles), render(changed), truth)


# -- hostile shape: numbered-only headings, tiny vocabulary, every paragraph edited -----

HEADING = None  # an item of the hostile shape's flat document: a heading line


def hostile_pair(size: int, rate: float = 0.02, moves: int = 40, heading_moves: int = 20,
                 churn: int = 20) -> Pair:
    """Old and new documents as flat lists of items, HEADING or (paragraph id, words)."""
    rng = random.Random(size + 1)
    next_id = iter(range(10**9))

    def fresh() -> tuple[int, list[str]]:
        return next(next_id), [rng.choice(VOCABULARY) for _ in range(rng.randint(50, 110))]

    old: list = []
    total = 0
    while total < size:
        old.append(HEADING)
        for _ in range(rng.randint(2, 6)):
            old.append(fresh())
            total += len(old[-1][1])
    truth = Planted()
    new = []
    for item in old:
        if item is HEADING:
            new.append(HEADING)
            continue
        pid, words = item[0], list(item[1])
        truth.changed_words += edit_words(words, rng, rate)
        new.append((pid, words))
    paragraphs = lambda doc: [k for k, it in enumerate(doc) if it is not HEADING]  # noqa: E731
    moved: set[int] = set()
    for _ in range(moves):  # to another Article at least a tenth of the text away
        src = rng.choice([k for k in paragraphs(new) if new[k][0] not in moved])
        item = new.pop(src)
        spots = [k for k in range(1, len(new) + 1) if abs(k - src) > len(new) // 10]
        new.insert(rng.choice(spots), item)
        moved.add(item[0])
    for _ in range(heading_moves):  # a heading line cut and pasted between two paragraphs
        heads = [k for k, it in enumerate(new) if it is HEADING and k > 0]
        src = rng.choice(heads)
        new.pop(src)
        spots = [k for k in range(2, len(new)) if new[k - 1] is not HEADING
                 and new[k] is not HEADING and abs(k - src) > len(new) // 10]
        new.insert(rng.choice(spots), HEADING)
    for _ in range(churn):
        k = rng.choice([k for k in paragraphs(new) if new[k][0] not in moved
                        and new[k - 1] is not HEADING])
        truth.changed_words += len(new.pop(k)[1])
    for _ in range(churn):
        item = fresh()
        new.insert(rng.choice(paragraphs(new)) + 1, item)
        truth.changed_words += len(item[1])
    old_text, old_where = render_flat(old)
    new_text, new_where = render_flat(new)
    old_words = {it[0]: it[1] for it in old if it is not HEADING}
    both = [pid for pid in new_where if pid in old_where]
    truth.moves = [(old_where[pid], new_where[pid]) for pid in both if pid in moved]
    truth.blocks = {
        "changed": sum(1 for pid in both if pid not in moved
                       and old_words[pid] != next(it[1] for it in new if it is not HEADING
                                                  and it[0] == pid)),
        "inserted": churn + heading_moves, "deleted": churn + heading_moves, "moved": moves}
    return Pair(f"hostile {size:,}", old_text, new_text, truth)


def edit_words(words: list[str], rng: random.Random, rate: float) -> int:
    """Edit rate of the words (at least one edit), edits at least 3 words apart so that
    each is one change; return the words changed (a substitution changes two)."""
    count = max(1, round(len(words) * rate))
    spots = sorted(rng.sample(range(1, len(words) - 1, 4), count), reverse=True)
    changed = 0
    for pos in spots:
        kind = rng.random()
        near = set(words[pos - 1: pos + 2])
        if kind < 0.5:
            words[pos] = rng.choice([w for w in VOCABULARY if w not in near])
            changed += 2
        elif kind < 0.75:
            words.insert(pos, rng.choice([w for w in VOCABULARY if w not in near]))
            changed += 1
        else:
            del words[pos]
            changed += 1
    return changed


def render_flat(items: list) -> tuple[str, dict[int, int]]:
    """Markdown with numbered-only headings and "1." paragraphs; and the Article number
    of each paragraph id."""
    out = ["# Hostile Agreement", ""]
    where: dict[int, int] = {}
    article = number = 0
    for item in items:
        if item is HEADING:
            article, number = article + 1, 0
            out += [f"### Article {article}", ""]
        else:
            number += 1
            where[item[0]] = article
            out += [f"{number}. {' '.join(item[1]).capitalize()}.", ""]
    return "\n".join(out), where


# -- measuring --------------------------------------------------------------------------

def run(cmd: list[str], timeout: float | None = None) -> tuple[float, int, str, float]:
    """Wall seconds, peak RSS in MB (of the command's process tree), stdout, and CPU
    seconds (user + system of the tree: what the command costs, however loaded the
    machine is). Python may write its bytecode caches (some environments forbid it,
    which would time the compiler at every start, as no installed package runs)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    wrapper = ("import resource, subprocess, sys\n"
               "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)\n"
               "sys.stdout.buffer.write(p.stdout)\n"
               "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
               "sys.stderr.write(f'{u.ru_maxrss} {u.ru_utime + u.ru_stime}')\n")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True,
                          timeout=timeout, env=env)
    elapsed = time.perf_counter() - start
    rss, cpu = proc.stderr.decode().strip().splitlines()[-1].split()
    return elapsed, int(rss) // 1024, proc.stdout.decode(errors="replace"), float(cpu)


def quality(result: dict, truth: Planted | None) -> tuple[int, int, int]:
    """(changed words reported, planted moves found, changes splitting a word)."""
    stats = result["stats"]
    reported = stats["words_inserted"] + stats["words_deleted"]
    found = {(article_of(m["from"]), article_of(m["to"])) for m in result["moves"]}
    moves_found = sum(1 for m in truth.moves if m in found) if truth else 0
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


def git_changed_words(porcelain: str) -> int:
    return sum(len(line[1:].split()) for line in porcelain.splitlines()
               if line[:1] in "+-" and not line.startswith(("+++ ", "--- ")))


def similarity_check(pairs: int = 2000, seed: int = 5) -> str:
    """Why alignment checks order: on the hostile shape's paragraphs (100 words of
    vocabulary), the overlap of sets of words cannot tell a paragraph with 2% of its
    words edited from an unrelated one; the share of words kept in order (LCS) can."""
    from drafting.compare.align import _Features, _order

    rng = random.Random(seed)
    texts = []
    for _ in range(pairs):
        words = [rng.choice(VOCABULARY) for _ in range(rng.randint(50, 110))]
        edited = list(words)
        edit_words(edited, rng, 0.02)
        texts += [" ".join(words), " ".join(edited)]
    f = _Features(lambda k: texts[k].split())

    def dice(i: int, j: int) -> float:
        a, b = set(f.words(i)), set(f.words(j))
        return 2 * len(a & b) / (len(a) + len(b))

    edited = [(2 * k, 2 * k + 1) for k in range(pairs)]
    unrelated = [(2 * k, 2 * k + 3) for k in range(pairs - 1)]
    out = []
    for name, measure in (("sets of words (Dice)", dice),
                          ("words in order (LCS)", lambda i, j: _order(f, i, f, j))):
        low_edited = min(measure(i, j) for i, j in edited)
        high_unrelated = max(measure(i, j) for i, j in unrelated)
        out.append(f"{name}: edited copies >= {low_edited:.2f}, unrelated <= "
                   f"{high_unrelated:.2f}")
    return "; ".join(out)


def stage_costs(old: Path, new: Path) -> str:
    """CPU seconds of each stage of compare() on this pair, in this process (CPU time,
    not wall time, so that other work on the machine does not inflate it), with the
    garbage collector paused as `draft` pauses it."""
    import gc

    import drafting.compare as engine
    from drafting.readers.markdown import read_file

    costs: dict[str, float] = {}

    def timed(name: str, fn: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                costs[name] = costs.get(name, 0.0) + time.process_time() - start
        return wrapper

    gc.disable()
    start = time.process_time()
    a, b = read_file(old), read_file(new)
    costs["read"] = time.process_time() - start
    saved = engine.align, engine.find_moved_runs
    engine.align = timed("align", engine.align)
    engine.find_moved_runs = timed("moved runs", engine.find_moved_runs)
    try:
        start = time.process_time()
        engine.compare(a, b)
        costs["compare"] = time.process_time() - start
    finally:
        engine.align, engine.find_moved_runs = saved
        gc.enable()
    costs["word diff and rest"] = costs["compare"] - costs["align"] - costs["moved runs"]
    return ", ".join(f"{k} {v:.2f}" for k, v in costs.items())


def redlines_cmd(old: Path, new: Path) -> list[str]:
    code = ("import sys; from redlines import Redlines\n"
            "a = open(sys.argv[1]).read(); b = open(sys.argv[2]).read()\n"
            "sys.stdout.write(Redlines(a, b, markdown_style='none').output_markdown)\n")
    return [sys.executable, "-c", code, str(old), str(new)]


def compile_bytecode() -> None:
    """Write drafting's bytecode, as `pip install` of the package does. In an editable
    install under PYTHONDONTWRITEBYTECODE=1 (set on this workplace's machines) every
    `draft` run would compile all its modules again: about 0.05 CPU s a run, which users
    do not pay."""
    import compileall

    import drafting
    compileall.compile_dir(str(Path(drafting.__file__).parent), quiet=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,500000")
    ap.add_argument("--shapes", default="plain,hostile,wto")
    ap.add_argument("--redlines-max", type=int, default=100_000)
    ap.add_argument("--rate", type=float, default=0.01, help="share of words edited (plain)")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--repeat", type=int, default=3, help="runs of ours (median reported)")
    args = ap.parse_args()
    compile_bytecode()
    draft = shutil.which("draft") or str(Path(sys.executable).with_name("draft"))
    has_redlines = subprocess.run([sys.executable, "-c", "import redlines"],
                                  capture_output=True).returncode == 0
    shapes = args.shapes.split(",")
    sizes = [int(s) for s in args.sizes.split(",")]
    pairs: list[Pair | tuple[str, Path, Path]] = []
    pairs += [plain_pair(size, args.rate) for size in sizes if "plain" in shapes]
    pairs += [hostile_pair(size) for size in sizes if "hostile" in shapes]
    wto = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "agreements" / "wto"
    if "wto" in shapes and wto.is_dir():
        pairs.append(("wto 1995 -> 2013", wto / "wto_1995-01-01.md", wto / "wto_2013-11-18.md"))
    print("Similarity of paragraphs of the hostile shape, over", similarity_check())
    print(f"draft diff --format json, end to end (median of {args.repeat}); "
          f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    head = ("pair", "words", "ours s", "ours cpu s", "ours MB", "git s", "git cpu s", "git MB",
            "redlines s",
            "changed/ins/del/moved blocks rep (planted)", "moves found",
            "changed words rep/planted", "git changed words", "split words", "stages (cpu s)")
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    with tempfile.TemporaryDirectory() as tmp:
        for pair in pairs:
            if isinstance(pair, Pair):
                name, truth = pair.name, pair.truth
                old, new = Path(tmp, "old.md"), Path(tmp, "new.md")
                old.write_text(pair.old)
                new.write_text(pair.new)
            else:
                (name, old, new), truth = pair, None
            words = len(old.read_text().split())
            run([draft, "--version"])  # warm up: bytecode caches, file system
            timings = [run([draft, "diff", str(old), str(new), "--format", "json"])
                       for _ in range(args.repeat)]
            ours_t = statistics.median(t[0] for t in timings)
            ours_cpu = statistics.median(t[3] for t in timings)
            ours_mb, out = max(t[1] for t in timings), timings[0][2]
            result = json.loads(out)
            reported, moves, splits = quality(result, truth)
            git_t, git_mb, git_out, git_cpu = run(["git", "diff", "--no-index",
                                                   "--word-diff=porcelain", str(old), str(new)])
            red = "n/a"
            if has_redlines and words <= args.redlines_max:
                try:
                    red = f"{run(redlines_cmd(old, new), timeout=args.timeout)[0]:.2f}"
                except subprocess.TimeoutExpired:
                    red = "timeout"
            s = result["stats"]
            got = [s["blocks_changed"], s["blocks_inserted"], s["blocks_deleted"],
                   s["blocks_moved"]]
            if truth:
                want = [truth.blocks[k] for k in ("changed", "inserted", "deleted", "moved")]
                blocks = " / ".join(f"{g} ({w})" for g, w in zip(got, want, strict=True))
                found = f"{moves}/{len(truth.moves)} (of {s['moves']})"
                words_q = f"{reported}/{truth.changed_words} = " \
                          f"{reported / truth.changed_words:.2f}"
            else:
                blocks = " / ".join(map(str, got))
                found, words_q = f"{s['moves']} moves", str(reported)
            print(f"{name} | {words:,} | {ours_t:.2f} | {ours_cpu:.2f} | {ours_mb} | {git_t:.2f} | "
                  f"{git_cpu:.2f} | {git_mb} | "
                  f"{red} | {blocks} | {found} | {words_q} | {git_changed_words(git_out):,} | "
                  f"{splits} | {stage_costs(old, new)}", flush=True)


if __name__ == "__main__":
    main()
