"""Benchmark: hostile input is refused, or read, within a time and memory budget.

Run: python bench/hostile_bench.py [--only SUBSTRING ...] [--list]

Each case builds its files in a scratch folder and names the command line to run on them;
the command runs in a fresh process under `/usr/bin/time -v`, which reports its wall time
and peak resident memory. Target: every case refused (exit status 2, one line) or read,
within 2 s and 300 MB. The table is sorted by the share of that budget a case uses, the
worst case printed last. On a loaded machine the seconds grow; the column "x ref" compares
each case with reading a 300-page agreement (bench/import_bench.py's), measured alongside.

Adding a case: append `Case(name, expect, setup)` to CASES, where `setup(folder)` writes
what the case needs into `folder` (the command's working directory) and returns the
command line to time, e.g. `draft("diff", "a.docx", "b.docx")`, or `call(function, ...)`
to time a module-level function of an importable module in a fresh process.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

import hostile_docx as make  # noqa: E402 (the tests' builders of hostile files)
import hostile_objects  # noqa: E402

from drafting.readers import grid, mark_budget, markdown  # noqa: E402
from drafting.readers.docx import budget  # noqa: E402

TARGET_SECONDS = 2.0
TARGET_MB = 300.0
TIMEOUT = 120  # a case still running then is reported as such and stopped
REFUSED, READ = "refused", "read"


@dataclass(frozen=True)
class Case:
    name: str
    expect: str  # REFUSED (exit status 2) or READ (exit status 0 or 1)
    setup: Callable[[Path], list[str]]
    reference: bool = False  # the yardstick of the "x ref" column


def draft(*args: str) -> list[str]:
    """The command line of `draft ARGS` with this interpreter."""
    return [sys.executable, "-c", "from drafting.cli import main; main()", *args]


def call(function: Callable[..., object], *args: str) -> list[str]:
    """The command line that runs module.function(*args) in a fresh interpreter."""
    code = (f"import sys; sys.path[:0] = {[str(ROOT / 'tests'), str(ROOT / 'bench')]!r}; "
            f"from {function.__module__} import {function.__name__} as f; f(*sys.argv[1:])")
    return [sys.executable, "-c", code, *args]


def word_file(name: str, build: Callable[[], bytes], *command: str) -> Callable[[Path], list[str]]:
    """A case on one built .docx: `draft brackets` reads it and prints its bracket counts
    (the cheapest command that reads a whole file), or the command given, where "{}"
    stands for the file."""

    def setup(folder: Path) -> list[str]:
        (folder / name).write_bytes(build())
        (folder / "small.docx").write_bytes(make.docx())
        return draft(*[name if arg == "{}" else arg for arg in command or ("brackets", "{}")])

    return setup


def text_file(name: str, text: Callable[[], str], *command: str
              ) -> Callable[[Path], list[str]]:
    """A case on one text file: `draft brackets` reads it, or the command given."""

    def setup(folder: Path) -> list[str]:
        (folder / name).write_text(text(), encoding="utf-8")
        return draft(*(command or ("brackets", name)))

    return setup


def workspace(template: str, position: str = "", *args: str,
              link: tuple[str, str] | None = None) -> Callable[[Path], list[str]]:
    """A case on a workspace whose template (and position file of side a) is given:
    `draft build t --side a ARGS`; link=(name, target) adds a symbolic link."""

    def setup(folder: Path) -> list[str]:
        for sub in ("templates", "clauses", "drafts/t/positions"):
            (folder / sub).mkdir(parents=True)
        (folder / "templates" / "t.md.j2").write_text(template, encoding="utf-8")
        (folder / "drafts" / "t" / "agreement.yaml").write_text(
            "title: T\ntemplate: t\nsides:\n  a: Side A\n")
        if position:
            (folder / "drafts" / "t" / "positions" / "a.yaml").write_text(position)
        if link:
            (folder / link[0]).symlink_to(link[1])
        return draft("build", "t", "--side", "a", *args)

    return setup


def _workspace(folder: Path) -> None:
    """The shipped example with its four recorded revisions."""
    import shutil

    for name in ("clauses", "templates", "drafts"):
        shutil.copytree(ROOT / name, folder / name,
                        ignore=shutil.ignore_patterns(".cache", ".lock", "*.tmp"))


R3 = "c43f3048646aba376c4e4552b7e815a38a05bfedb7c3c58280226cdec156d163"  # the shipped us r3


def store_case(prepare: Callable[[Path], None], *command: str,
               env: str | None = None) -> Callable[[Path], list[str]]:
    """A case on a copy of the shipped workspace that prepare(folder) has damaged."""

    def setup(folder: Path) -> list[str]:
        _workspace(folder)
        prepare(folder)
        return (["env", env] if env else []) + draft(*command)

    return setup


def _fifo_position(folder: Path) -> list[str]:
    argv = workspace("A.\n")(folder)
    os.mkfifo(folder / "drafts" / "t" / "positions" / "a.yaml")
    return argv


_NESTED = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
_DOUBLING = ("{% set ns = namespace(s='x') %}{% for i in range(60) %}"
             "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}")


def _revisions(folder: Path) -> Path:
    return folder / "drafts" / "phased-agreement" / "revisions"


def _alter_r3(folder: Path) -> None:
    path = _revisions(folder) / f"{R3}.json"
    path.write_bytes(path.read_bytes().replace(b"shall", b"may", 1))


def _stray(folder: Path) -> None:
    (_revisions(folder) / ("1" * 64 + ".json")).write_text("<svg/>")


def _doctored_cache(folder: Path) -> None:
    import json

    subprocess.run(draft("-C", str(folder), "log", "phased-agreement"), check=True,
                   capture_output=True)
    path = folder / "drafts" / "phased-agreement" / ".cache" / "index.json"
    cache = json.loads(path.read_text())
    cache["entries"][R3]["side"] = "dprk"
    path.write_text(json.dumps(cache))


def _end_of_time(folder: Path) -> None:
    """A revision an older version wrote with DRAFTING_NOW=9999-12-31T23:59:59.999999Z."""
    import hashlib
    import json

    from drafting.store import encode

    record = json.loads((_revisions(folder) / f"{R3}.json").read_text())
    record.update(parent="f79fab7386172d597543bb5e79dc71cee018ef70469d2ee7ac1d210e17441aa4",
                  time="9999-12-31T23:59:59.999999Z")
    data = encode(record)
    (_revisions(folder) / f"{hashlib.sha256(data).hexdigest()}.json").write_bytes(data)


def _control_characters(folder: Path) -> None:
    (folder / "reply.md").write_bytes(b"# Reply\n\n" + b"\x01" * (markdown.MAX_TEXT_BYTES - 20))


def _spans(rows: int, span: int) -> str:
    return "# T\n\n" + "".join(f"{{table 1 row {r} cell 1 span {span}}} x{r}\n"
                               for r in range(1, rows + 1))


def _long_merge() -> str:
    return "# T\n\n" + "".join(
        f"{{table 1 row {r} cell 1 merge {'restart' if r == 1 else 'continue'}}} x\n"
        for r in range(1, 20_001))


def _edited_paragraphs(folder: Path) -> list[str]:
    """200,000 paragraphs of ten words and the same with one word of each changed: one
    gap of 200,000 blocks a side for the alignment (compare.align.MAX_SHINGLED_GAP)."""
    old = [" ".join(f"w{i}x{k}" for k in range(10)) for i in range(200_000)]
    (folder / "old.md").write_text("\n\n".join(old), encoding="utf-8")
    (folder / "new.md").write_text("\n\n".join(p.replace("x3", "y3") for p in old),
                                   encoding="utf-8")
    return draft("diff", "old.md", "new.md", "--stat")


def _italics_pair(folder: Path) -> list[str]:
    text = "*a* " * mark_budget.MAX_MARKS
    (folder / "a.md").write_text(text, encoding="utf-8")
    (folder / "b.md").write_text(text.replace("*a*", "*b*", 1), encoding="utf-8")
    return draft("diff", "a.md", "b.md", "--stat")


def _marked_cells(n: int) -> str:
    return "".join(f"{{table 1 row {r} cell 1}} " + "*a* " * min(100, n - k) + "\n"
                   for r, k in enumerate(range(0, n, 100), 1))


def _word_grid(rows: int) -> bytes:
    return make.docx(make.document_xml(make.table(rows, span=grid.MAX_COLUMNS)))


def _picture_pair(folder: Path) -> list[str]:
    """Two Word files of 2,000 drawings of one 99 MB picture, redlined into the newer."""
    for name, text in (("old.docx", "Annex one."), ("new.docx", "Annex two.")):
        (folder / name).write_bytes(hostile_objects.one_big_picture_many_ids(
            2000, 99_000_000, text))
    return draft("diff", "old.docx", "new.docx", "-o", "redline.docx")


def _three_hundred_pages() -> bytes:
    from import_bench import generate

    return generate(100_000)


CASES: list[Case] = [
    # -- reader: Word and text files whose cost explodes inside every package limit -----
    Case("docx: 300-page agreement, 782 tracked changes (reference)", READ,
         word_file("agreement.docx", _three_hundred_pages), reference=True),
    Case("docx: the reported 98 MB of empty paragraphs in a 1.4 MB file", REFUSED,
         word_file("bomb.docx", make.paragraph_bomb)),
    Case("docx: w:lvlText '%1' x 400,000", REFUSED,
         word_file("lvltext.docx", lambda: make.numbered_docx("%1" * 400_000, 3))),
    Case("docx: XML bytes at the limit", READ,
         word_file("bytes.docx", lambda: make.exact_xml_bytes(budget.MAX_XML_BYTES))),
    Case("docx: 38 MB of text in 19,000 paragraphs", READ,
         word_file("text.docx", lambda: make.long_text(19_000, 2_000))),
    Case("docx: XML nodes at the limit (499,990 empty runs)", READ,
         word_file("nodes.docx", lambda: make.empty_runs(budget.MAX_XML_NODES // 2 - 10))),
    Case("docx: XML nodes over the limit", REFUSED,
         word_file("nodes2.docx", lambda: make.empty_runs(budget.MAX_XML_NODES // 2 + 1))),
    Case("docx: empty paragraphs at the limit", READ,
         word_file("empty.docx", lambda: make.empty_paragraphs(budget.MAX_PARAGRAPHS))),
    Case("docx: paragraphs over the limit", REFUSED,
         word_file("empty2.docx", lambda: make.empty_paragraphs(budget.MAX_PARAGRAPHS + 1))),
    Case("docx: numbered paragraphs at the limit, diffed", READ,
         word_file("numbered.docx", lambda: make.numbered_docx("%1.", budget.MAX_PARAGRAPHS),
                   "diff", "{}", "small.docx", "--stat")),
    Case("docx: list-number text at the limit", READ,
         word_file("labels.docx", lambda: make.numbered_docx(
             "%1", budget.MAX_LABEL_TEXT // 200, start=10**99))),
    Case("docx: tracked changes at the limit", READ,
         word_file("tracked.docx", lambda: make.tracked_changes(budget.MAX_TRACKED_CHANGES))),
    Case("docx: tracked changes over the limit", REFUSED,
         word_file("tracked2.docx",
                   lambda: make.tracked_changes(budget.MAX_TRACKED_CHANGES + 1))),
    Case("docx: 249 insertions nested around 150,000 characters", READ,
         word_file("nested.docx", lambda: make.nested_insertions(
             249, "<w:r><w:t>" + "word " * 30_000 + "</w:t></w:r>"))),
    Case("docx: 100 insertions nested around 20,000 runs", READ,
         word_file("nested2.docx", lambda: make.nested_insertions(
             100, "<w:r><w:t/></w:r>" * (budget.MAX_TRACKED_NODES // 100)))),
    Case("md: bytes at the limit, one paragraph", READ,
         text_file("long.md", lambda: "word " * (markdown.MAX_TEXT_BYTES // 5))),
    Case("md: lines at the limit, paragraphs of one word", READ,
         text_file("lines.md", lambda: "x\n\n" * (markdown.MAX_LINES // 2 - 1))),
    Case("md: lines over the limit", REFUSED,
         text_file("lines2.md", lambda: "x\n" * markdown.MAX_LINES)),
    # tables: grids declared out of proportion to the bytes (readers/grid.py)
    Case("md: 2,000 cells spanning 99 columns, exported", REFUSED,
         text_file("span.md", lambda: _spans(2000, 99), "export", "span.md", "-o", "o.docx")),
    Case("md: grid cells at the limit (2,000 rows x 50 columns), exported", READ,
         text_file("grid.md", lambda: _spans(grid.MAX_GRID_CELLS // 50, 50), "export",
                   "grid.md", "-o", "o.docx")),
    Case("md: grid cells over the limit", REFUSED,
         text_file("grid2.md", lambda: _spans(grid.MAX_GRID_CELLS // 50 + 1, 50), "export",
                   "grid2.md", "-o", "o.docx")),
    Case("md: 200,000 paragraphs, one word of each changed, diffed", READ,
         _edited_paragraphs),
    Case("md: one vertical merge of 20,000 rows, exported", READ,
         text_file("merge.md", _long_merge, "export", "merge.md", "-o", "o.docx")),
    Case("docx: grid cells at the limit (1,587 rows x 63 columns), exported", READ,
         word_file("grid.docx", lambda: _word_grid(grid.MAX_GRID_CELLS // grid.MAX_COLUMNS),
                   "export", "{}", "-o", "o.docx")),
    Case("docx: grid cells over the limit", REFUSED,
         word_file("grid2.docx", lambda: _word_grid(grid.MAX_GRID_CELLS // grid.MAX_COLUMNS
                                                    + 1))),
    Case("docx: tables nested 10,000 deep", REFUSED,
         word_file("deep.docx", lambda: make.docx(make.document_xml(
             make.nested_tables(10_000))))),
    Case("docx: tables nested at the limit", READ,
         word_file("deep2.docx", lambda: make.docx(make.document_xml(
             make.nested_tables(grid.MAX_DEPTH))), "export", "{}", "-o", "o.docx")),
    # inline markup that scanned every open mark per delimiter (markup.py)
    Case("md: 50,000 '[' then 12,500 '</u>'", READ,
         text_file("links.md", lambda: "[" * 50_000 + "</u>" * 12_500, "export", "links.md",
                   "-o", "o.docx")),
    Case("md: 50,000 '[' then 25,000 'a*'", READ,
         text_file("stars.md", lambda: "[" * 50_000 + "a*" * 25_000, "export", "stars.md",
                   "-o", "o.docx")),
    Case("md: 10,000 nested links, exported", READ,
         text_file("nested.md", lambda: "# T\n\n" + "".join(f"[w{k} " for k in range(10_000))
                   + "".join(f"](http:x{k}) b" for k in range(10_000)), "export", "nested.md",
                   "-o", "o.docx")),
    # inline marks out of proportion to the bytes (readers/mark_budget.py)
    Case("md: 1,000,000 italics (4 MB), exported", REFUSED,
         text_file("italics.md", lambda: "*a* " * 1_000_000, "export", "italics.md", "-o",
                   "o.docx")),
    Case("md: italics at the limit, diffed --stat against a copy with one change", READ,
         _italics_pair),
    Case("md: italics over the limit in table cells", REFUSED,
         text_file("cells.md", lambda: _marked_cells(mark_budget.MAX_MARKS + 1))),
    # -- other owners: add your cases below ----------------------------------------------
    # sandbox: templates that would allocate gigabytes or run for minutes
    *(Case(f"template: {text}", REFUSED, workspace(f"A.\n\n{text}\n")) for text in (
        "{{ 'x'|center(10**10) }}", "{{ '{:>10000000000}'.format('x') }}",
        "{{ '%010000000000d' % 1 }}", "{{ 'x'.ljust(10**10) }}", "{{ 'x'.zfill(10**10) }}",
        "{{ ('\\t' * 1000).expandtabs(10**8) }}", "{{ ('a\\n' * 50000)|indent(10**6) }}",
        "{{ ('x' * 100000)|replace('x', 'y' * 100000) }}", "{{ (['x'*100000]*100000)|join }}",
        "{{ (10**13)|roman }}", _DOUBLING, _NESTED, "{{ lipsum(10**6) }}",
        "{{ ['x' * 100000] * 100000 }}",
        "{% macro m(n) %}{% if n %}{{ m(n-1) }}{{ m(n-1) }}{% endif %}{% endmacro %}{{ m(40) }}")),
    Case("template: 19.9 million characters (under the limit)", READ, workspace(
        "{% set s %}{% for i in range(199) %}{{ 'x' * 100000 }}{% endfor %}{% endset %}"
        "{{ s|length }}\n")),
    Case("template: 1,900,000 loop steps (under the limit)", READ, workspace(
        "{% for i in range(19) %}{% for j in range(100000) %}{% endfor %}{% endfor %}x\n")),
    # pictures: one 99 MB part (1.1 MB deflated) that 2,000 drawings name
    Case("docx: 2,000 drawings of one 99 MB picture", READ, word_file(
        "pictures.docx", lambda: hostile_objects.one_big_picture_many_ids(2000, 99_000_000))),
    Case("docx: redline of two files of 2,000 drawings of one 99 MB picture", READ,
         _picture_pair),
    # sources: links, FIFOs and bad values
    Case("template: include through a link to /etc", REFUSED, workspace(
        '{% include "etc/hostname" %}\n', link=("templates/etc", "/etc"))),
    Case("position file: a FIFO", REFUSED, _fifo_position),
    Case("position file: a date 2026-02-30", REFUSED, workspace(
        "A {{ d }}.\n", "vars:\n  d: 2026-02-30\n")),
    Case("position file: a number of 5,000 digits", REFUSED, workspace(
        "A {{ n }}.\n", "vars:\n  n: " + "9" * 5000 + "\n")),
    Case("--set: the assembly marker U+E000 (read as text)", READ, workspace(
        "A {{ river }}.\n", "", "--set", "river=\ue000R7\ue000")),
    Case("--set: a control character U+0001", REFUSED,
         workspace("A {{ x }}.\n", "", "--set", "x=a\x01b")),
    Case("store: import of 20 MB of control characters", REFUSED,
         store_case(_control_characters, "import", "reply.md", "--agreement",
                    "phased-agreement", "--side", "dprk")),
    Case("store: show an altered revision", REFUSED,
         store_case(_alter_r3, "show", "phased-agreement@c43f30")),
    Case("store: build on top of an altered revision", REFUSED,
         store_case(_alter_r3, "build", "phased-agreement", "--side", "us", "--set",
                    "nuclear.freeze.days=50")),
    Case("store: log with a stray file in revisions/", READ,
         store_case(_stray, "log", "phased-agreement")),
    Case("store: log with a doctored cache", READ,
         store_case(_doctored_cache, "log", "phased-agreement")),
    Case("store: diff -o into revisions/", REFUSED,
         store_case(lambda f: None, "diff", "phased-agreement@r1", "phased-agreement@r2",
                    "--format", "json", "-o", f"drafts/phased-agreement/revisions/{R3}.json")),
    Case("store: diff -o /dev/full", REFUSED,
         store_case(lambda f: None, "diff", "phased-agreement@r1", "phased-agreement@r2",
                    "--format", "md", "-o", "/dev/full")),
    Case("store: build with DRAFTING_NOW=9999-12-31T23:59:59.999999Z", REFUSED,
         store_case(lambda f: None, "build", "phased-agreement", "--side", "us", "--set",
                    "nuclear.freeze.days=50", env="DRAFTING_NOW=9999-12-31T23:59:59.999999Z")),
    Case("store: build after a revision stamped 9999-12-31", READ,
         store_case(_end_of_time, "build", "phased-agreement", "--side", "us", "--set",
                    "nuclear.freeze.days=50")),
]


@dataclass(frozen=True)
class Result:
    case: Case
    status: int | None  # None: timed out
    seconds: float
    mb: float
    message: str

    @property
    def outcome(self) -> str:
        if self.status is None:
            return "timeout"
        return REFUSED if self.status == 2 else READ if self.status in (0, 1) else "crashed"

    @property
    def share(self) -> float:
        return max(self.seconds / TARGET_SECONDS, self.mb / TARGET_MB)

    @property
    def met(self) -> bool:
        return self.outcome == self.case.expect and self.share <= 1


def run(case: Case) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        argv = case.setup(Path(tmp))
        try:
            done = subprocess.run(["/usr/bin/time", "-v", *argv], cwd=tmp, capture_output=True,
                                  text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return Result(case, None, float(TIMEOUT), 0.0, f"still running after {TIMEOUT} s")
    report = done.stderr
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):"
                     r"([\d.]+)", report)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    seconds = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60
               + float(wall.group(3))) if wall else float("nan")
    own = [line for line in report[: report.find("\tCommand being timed")].split("\n")
           if line.strip() and not line.startswith("Command exited")]
    status = int(m.group(1)) if (m := re.search(r"Exit status: (\d+)", report)) else -1
    message = own[0] if own else done.stdout.split("\n", 1)[0]
    return Result(case, status, seconds, int(peak.group(1)) / 1024 if peak else float("nan"),
                  message)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", default=[],
                    help="run only the cases whose name contains this (repeatable)")
    ap.add_argument("--list", action="store_true", help="list the cases and stop")
    args = ap.parse_args()
    cases = [c for c in CASES if not args.only or any(s in c.name for s in args.only)]
    if args.list:
        print("\n".join(f"{c.expect:8} {c.name}" for c in cases))
        return
    results = []
    for case in cases:
        results.append(run(case))
        print(f"  ran {case.name}", file=sys.stderr)
    results.sort(key=lambda r: r.share)
    width = max(len(r.case.name) for r in results)
    yardstick = next((r.seconds for r in results if r.case.reference), float("nan"))
    print(f"{'case':{width}}  expect   outcome      s  x ref     MB  target   first line of "
          "output")
    for r in results:
        print(f"{r.case.name:{width}}  {r.case.expect:7}  {r.outcome:7}  {r.seconds:5.2f}  "
              f"{r.seconds / yardstick:5.2f}  {r.mb:5.0f}  {'met' if r.met else 'NOT met':7}  "
              f"{r.message[:90]}")
    worst = results[-1]
    missed = [r for r in results if not r.met]
    print(f"worst: {worst.case.name}: {worst.outcome} in {worst.seconds:.2f} s, "
          f"{worst.mb:.0f} MB peak")
    print(f"target: each case as expected within {TARGET_SECONDS:g} s and {TARGET_MB:g} MB: "
          + ("met by all" if not missed else f"NOT met by {len(missed)} of {len(results)}"))


if __name__ == "__main__":
    main()
