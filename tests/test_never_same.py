"""Never "no differences" when the files differ: on every pair of the Open-XML-PowerTools
WC set, `draft diff` exits 1 exactly where a reader of the two files sees a difference,
and 0 where none.

What a reader sees is taken from LibreOffice (tests/office/lo_probe.py reading, every
tracked change accepted, as `draft diff` reads them by default): the body's paragraphs
(white space collapsed, empty ones left out, and whether each stands in a table cell),
footnotes and endnotes, the text of text frames, headers and footers (page numbers
left out: they are the page's, not the file's), each picture's alt text and size, the
number of drawing objects (a removed picture or SmartArt changes no text). LibreOffice
here has no Math module, so equations come straight from the XML: the m:t text of each
m:oMath outside w:del. Each pair is a test of its own, named by its test id and files,
so the run lists every pair and its status; pairs our readers do not yet get right are
marked xfail (strict: fixing one fails the run until the mark is removed) with the
reason.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path

import pytest
from conftest import CORPUS, PROBE, SYSTEM_PYTHON, need_office
from lxml import etree

from drafting.readers.spacing import collapse

FOLDER = CORPUS / "docx" / "compare" / "oxpt-WC"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# pairs a reader of ours does not yet read as a reader of the file does, and why
KNOWN: dict[str, str] = {}


def _pairs() -> list[object]:
    if not (FOLDER / "expected_revision_counts.csv").exists():
        return [pytest.param("", "", "", id="corpus-missing")]
    with open(FOLDER / "expected_revision_counts.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for row in rows:
        old, new = (row[k].split("/")[-1] for k in ("original", "revised"))
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN[row["test_id"]])] \
            if row["test_id"] in KNOWN else []
        out.append(pytest.param(row["test_id"], old, new, marks=marks,
                                id=f"{row['test_id']}:{Path(old).stem}->{Path(new).stem}"))
    return out


@cache
def _libreoffice() -> dict[str, dict]:
    """LibreOffice's reading of every file of the set, in one LibreOffice."""
    need_office()
    files = sorted(str(p) for p in FOLDER.glob("*.docx"))
    proc = subprocess.run([SYSTEM_PYTHON, str(PROBE), "reading", *files], capture_output=True,
                          text=True, timeout=900)
    if proc.returncode != 0:
        pytest.fail(f"lo_probe reading failed ({proc.returncode}): {proc.stderr[-500:]}")
    return {Path(r["file"]).name: r for r in json.loads(proc.stdout)}


def _equations(path: Path) -> list[str]:
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    return ["".join(t.text or "" for t in math.iter(f"{M}t")
                    if next(t.iterancestors(f"{W}del"), None) is None)
            for math in root.iter(f"{M}oMath")]


def seen(name: str) -> dict[str, object]:
    """What a reader of the file sees (see the module's docstring)."""
    lo = _libreoffice()[name]

    def texts(items: list[str]) -> list[str]:
        return [collapse(t) for t in items if collapse(t)]

    return {"text": [[collapse(t), cell] for t, cell in lo["paragraphs"] if collapse(t)],
            "notes": texts(lo["footnotes"] + lo["endnotes"]), "frames": texts(lo["frames"]),
            "pictures": lo["pictures"], "drawings": lo["shapes"], "margins": lo["margins"],
            "equations": _equations(FOLDER / name)}


@pytest.mark.corpus
@pytest.mark.office
@pytest.mark.parametrize(("test_id", "old", "new"), _pairs())
def test_diff_differs_exactly_where_a_reader_sees_a_difference(test_id: str, old: str,
                                                                new: str) -> None:
    if not test_id:
        pytest.skip(f"corpus not found at {FOLDER}")
    a, b = seen(old), seen(new)
    differ = sorted(k for k in a if a[k] != b[k])
    proc = subprocess.run([sys.executable, "-m", "drafting.cli", "diff", str(FOLDER / old),
                           str(FOLDER / new), "--stat"], capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr
    assert (proc.returncode == 1) == bool(differ), \
        f"{test_id}: reader sees {differ or 'no difference'}, draft diff exit {proc.returncode}"
