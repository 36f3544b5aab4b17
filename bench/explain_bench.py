"""Imported text explained by parameters, on the shipped example: the search's renders and
CPU time, beside the diff of the same pair and the positions of two built revisions.

    .venv/bin/python bench/explain_bench.py

Two replies: our r3 exported to Word and edited as tests/test_explain.py does (a number, a
choice, a date, a free rewording), and DPRK's whole round (r4) as a Word file read back,
whose 46 differing clause parameters the search should recover from the text alone.
Peers in the same run: `compare` of the same two documents (what `draft diff` costs
anyway) and `positions_between` of two built revisions (values read from provenance).
CPU seconds (time.process_time), median of 5 after a warm-up.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import copy_workspace  # noqa: E402
from test_explain import REPLY, edited  # noqa: E402

from drafting.build import open_revision  # noqa: E402
from drafting.compare import compare  # noqa: E402
from drafting.exporting import export_docx  # noqa: E402
from drafting.importing import import_file, known_ids, read_any  # noqa: E402
from drafting.inputs import open_source  # noqa: E402
from drafting.substance import positions_between  # noqa: E402
from drafting.workspace import Workspace  # noqa: E402


def cpu(func, runs: int = 5) -> tuple[float, object]:
    result = func()
    times = []
    for _ in range(runs):
        start = time.process_time()
        result = func()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="explain-bench-"))
    try:
        root = copy_workspace(folder / "ws", with_revisions=True)
        ws = Workspace(root)
        us = open_revision(ws, "phased-agreement@us")
        r4 = open_revision(ws, "phased-agreement@dprk")
        (folder / "us.docx").write_bytes(export_docx(open_source("phased-agreement@us", root),
                                                             root))
        edited(folder / "us.docx", folder / "reply.docx", REPLY)
        reply = import_file(ws, folder / "reply.docx", "phased-agreement", "dprk").revision
        (folder / "r4.docx").write_bytes(export_docx(open_source("phased-agreement@r4", root),
                                                            root))
        read_back = read_any(folder / "r4.docx", known_ids(ws, "phased-agreement"))[0]
        whole = replace(r4, document=read_back, positions={}, origin={"file": "r4.docx"})
        truth = {d.key: d.new for d in positions_between(ws, us, r4, "US", "DPRK").parameters}

        print("case                                   CPU s   renders  max/clause  found")
        for name, theirs in (("reply to r3 (4 edits)", reply),
                             ("DPRK's r4 read back from Word", whole)):
            t_diff, _ = cpu(lambda t=theirs: compare(us.document, t.document))
            t_pos, pc = cpu(lambda t=theirs: positions_between(ws, us, t, "US", "DPRK"))
            search = pc.explained
            worst = max((n for _, n in search.per_clause), default=0)
            shown = {e.key: e.theirs for e in search.explanations}
            right = sum(1 for k, v in shown.items() if truth.get(k) == v)
            found = f"{len(shown)} ({right} as r4 records)" if theirs is whole else \
                f"{len(shown)}"
            print(f"  {name:36} {t_pos:6.3f}  {search.renders:7}  {worst:10}  {found}")
            print(f"    peer: compare of the same pair     {t_diff:6.3f}")
        t_built, _ = cpu(lambda: positions_between(ws, us, r4, "US", "DPRK"))
        print(f"  peer: positions of r3 and r4 as built {t_built:6.3f}  (from provenance; "
              f"{len(truth)} parameters differ)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
