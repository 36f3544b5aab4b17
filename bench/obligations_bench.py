"""Obligations extracted from the shipped example, the Paris Agreement (v4) and the WTO
Agreement: rows, time to read and to extract (best of 3 after a warm-up), and the
precision of bearer and modality on the hand-checked samples of tests/obligation_samples.py.

    .venv/bin/python bench/obligations_bench.py

Peers: none does this (contract-analysis services extract obligations with trained
models, not for treaty texts); the figure to compare with is reading the text at all:
the `read` column is the Markdown reader alone.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from obligation_samples import (  # noqa: E402
    PARIS_SAMPLE,
    PARIS_V4,
    WTO,
    WTO_SAMPLE,
    by_label,
    by_sentence,
    precision,
)

from drafting.inputs import open_source, read_document  # noqa: E402
from drafting.negotiate.obligations import extract  # noqa: E402

CORPUS = Path(os.environ.get("DRAFTING_CORPUS", ROOT.parent / "shared" / "corpus"))


def best(func, runs: int = 3) -> tuple[float, object]:
    func()
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(figures are wall-clock; a loaded machine makes them slower)")
    sources = [("shipped example (us r3)", lambda: open_source("phased-agreement@r3",
                                                                 ROOT).document, None, None)]
    for name, parts, sample, key in (("Paris Agreement v4", PARIS_V4, PARIS_SAMPLE, by_label),
                                     ("WTO Agreement 2013", WTO, WTO_SAMPLE, by_sentence)):
        path = CORPUS.joinpath(*parts)
        if not path.exists():
            print(f"{name}: corpus file missing at {path}; skipped")
            continue
        sources.append((name, lambda p=path: read_document(p), sample, key))
    print(f"{'text':26} {'words':>8} {'rows':>6} {'shall':>6} {'none':>5} {'read s':>7} "
          f"{'extract s':>9} {'rows/s':>8}  bearer     modality")
    for name, read, sample, key in sources:
        read_s, document = best(read)
        extract_s, rows = best(lambda d=document: extract(d))
        counts = Counter(r.modality for r in rows)
        words = document.word_count()
        if sample:
            bearers, modalities, n, misses = precision(sample, key(rows))
            scores = f"{bearers}/{n} {bearers / n:4.0%}  {modalities}/{n} {modalities / n:4.0%}"
        else:
            scores, misses = "every row reviewed (tests/test_obligations.py)", []
        print(f"{name:26} {words:8,} {len(rows):6,} {counts['shall'] + counts['shall not']:6,} "
              f"{sum(r.bearer is None for r in rows):5,} {read_s:7.3f} {extract_s:9.3f} "
              f"{len(rows) / extract_s:8,.0f}  {scores}")
        for miss in misses:
            print(f"    miss: {miss}")


if __name__ == "__main__":
    main()
