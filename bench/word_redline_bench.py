"""Benchmark: the redline of two Word files written into the newer one (drafting/wordcompare)
against LibreOffice's Compare Document on the same files, in the same run: the real
300-page usgpo pair (previous version vs clean) and the 102,823-word pair export_bench.py
builds (2% of words changed), and that pair with 200 comments in each file (100 in
both, which the redline writes once).

Run: python bench/word_redline_bench.py [--repeat 3] [--no-libreoffice]
Targets: at least 3x faster than LibreOffice's whole run (start, load, compare, save), and
at most 1.5 s on the 102,823-word pair. LibreOffice's CPU seconds are those of its process
tree (lo_probe.py and soffice, as children of this one).
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "tests"))

import docx  # noqa: E402
from diff_bench import generate  # noqa: E402
from export_bench import changed, document, timed  # noqa: E402

from drafting.wordcompare import redline_files  # noqa: E402
from drafting.writers import docx_clean  # noqa: E402
from drafting.writers.word import Meta  # noqa: E402

USGPO = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "docx" / "tracked" / "usgpo"
PROBE = ROOT / "tests" / "office" / "lo_probe.py"


def generated_pair() -> tuple[bytes, bytes]:
    old = document(generate(100_000, seed=1))
    new = changed(old, 0.02, seed=2)
    meta = Meta(old.title, "bench", "Side A", "r1 0123456789", "2026-11-25T12:00:00Z",
                ("Side A", "Side B"))
    return docx_clean.render(old, meta), docx_clean.render(new, meta)


def with_comments(data: bytes, side: str, count: int = 200, shared: int = 100) -> bytes:
    """The file with `count` comments spread over its paragraphs, the first `shared` of
    them (author, text, no date) the same in both files of a pair (python-docx's API)."""
    doc = docx.Document(io.BytesIO(data))
    paragraphs = [p for p in doc.paragraphs if p.runs]
    step = max(1, len(paragraphs) // count)
    for k in range(count):
        mine = k >= shared
        comment = doc.add_comment(paragraphs[k * step % len(paragraphs)].runs[0],
                                  text=f"{side if mine else 'Both'} note {k}.",
                                  author=side if mine else "Both", initials="R")
        comment._comment_elm.date = None
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def libreoffice(old: bytes, new: bytes) -> tuple[float, float, float, int] | str:
    """Wall and CPU seconds of LibreOffice's whole run, the compare dispatch alone, and
    its redline count (or why it failed)."""
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp, "old.docx"), Path(tmp, "new.docx")
        a.write_bytes(old)
        b.write_bytes(new)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/python3", str(PROBE), "compare", str(a), str(b),
                               str(Path(tmp, "lo.docx"))], capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        return f"failed ({proc.stderr.strip()[-200:]})"
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    found = json.loads(proc.stdout)
    return wall, cpu, found["seconds"], found["redlines"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-libreoffice", action="store_true")
    args = ap.parse_args()
    old, new = generated_pair()
    pairs = [("102,823-word pair (2% of words changed)", old, new, 1.5),
             ("the same with 200 comments a side, 100 in both",
              with_comments(old, "Old"), with_comments(new, "New"), 1.5)]
    if USGPO.is_dir():
        pairs.insert(0, ("usgpo, 300 pages (previous vs clean)",
                         (USGPO / "USLM-2_0-Review-Guide_previous.docx").read_bytes(),
                         (USGPO / "USLM-2_0-Review-Guide-v2_0_12-clean.docx").read_bytes(),
                         None))
    else:
        print(f"usgpo pair not found at {USGPO}: skipped")
    for name, old, new, target in pairs:
        wall, cpu, result = timed(lambda o=old, n=new: redline_files(o, n, "old.docx",
                                                                     "new.docx", "B"),
                                  args.repeat)
        limit = f"  target <= {target} s" if target else ""
        print(f"{name}; median of {args.repeat}")
        print(f"  drafting (written into the newer file)  {wall:.2f} s, {cpu:.2f} s CPU  "
              f"({result.changes} tracked changes, {len(result.data):,} bytes){limit}")
        if args.no_libreoffice:
            continue
        lo = libreoffice(old, new)
        if isinstance(lo, str):
            print(f"  LibreOffice Compare Document: {lo}")
            continue
        lo_wall, lo_cpu, dispatch, redlines = lo
        print(f"  LibreOffice Compare Document, whole run  {lo_wall:.2f} s, {lo_cpu:.2f} s CPU "
              f"({redlines} redlines; the compare dispatch alone {dispatch:.2f} s)")
        print(f"  LibreOffice / drafting: {lo_wall / wall:.1f}x wall, {lo_cpu / cpu:.1f}x CPU"
              "  target >= 3x")


if __name__ == "__main__":
    main()
