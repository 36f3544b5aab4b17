"""Nothing internal leaves in a file for the other side: no clause ids, editions, template
or parameter names in any part, no leftovers of python-docx's template; block ids travel
as tokens only our workspace maps back. `draft export --internal` keeps them readable."""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, built_example, copy_workspace, written_docx
from lxml import etree

from drafting.cli import main
from drafting.library import load_library

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VISIBLE = {f"{W}t", f"{W}delText"}  # the agreement's own words, which may say "days"


def draft(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _names() -> tuple[set[str], set[str]]:
    """(identifiers that must appear nowhere, plain words that must appear only as text):
    clause ids, template names, variable and parameter names of the shipped example."""
    library = load_library(ROOT / "clauses")
    anywhere = set(library.clauses) | {"phased-agreement", "phased-agreement.md.j2"}
    words = {name for clause in library.clauses.values() for name in clause.params}
    for position in (ROOT / "drafts" / "phased-agreement" / "positions").glob("*.yaml"):
        words |= set((yaml.safe_load(position.read_text()) or {}).get("vars", {}))
    anywhere |= {w for w in words if "_" in w}  # no English word looks like relief_sequencing
    return anywhere, words - anywhere


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    return built_example(tmp_path_factory.mktemp("private") / "ws")


def sent_files(root: Path) -> dict[str, bytes]:
    return {
        "export": written_docx(root, "export", "phased-agreement@us"),
        "redline": written_docx(root, "diff", "phased-agreement@us", "phased-agreement@dprk",
                           "--format", "docx", code=1),
        "export --against": written_docx(root, "export", "phased-agreement@dprk", "--against",
                                    "phased-agreement@us"),
        "joint": written_docx(root, "joint", "phased-agreement@us", "phased-agreement@dprk"),
    }


def hidden_text(data: bytes) -> dict[str, str]:
    """Each part as a reader of the file cannot see it: every attribute, element name,
    field code and property value, without the visible words of the text."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            raw = z.read(name)
            if not name.endswith((".xml", ".rels")):
                out[name] = raw.decode("latin-1")
                continue
            root = etree.fromstring(raw)
            for element in root.iter():
                if element.tag in VISIBLE:
                    element.text = ""
            out[name] = etree.tostring(root, encoding="unicode")
    return out


def leaks(data: bytes) -> list[str]:
    anywhere, words = _names()
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        raw = {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()}
    for name, text in raw.items():
        found += [f"{name}: {n}" for n in sorted(anywhere) if n in text]
        if "edition" in text.lower():
            found.append(f"{name}: edition")
    for name, text in hidden_text(data).items():
        found += [f"{name}: {w}" for w in sorted(words)
                  if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text)]
    return found


def test_names_to_look_for_are_the_example_s():
    anywhere, words = _names()
    assert {"nuclear.freeze", "relief.snapback", "relief_sequencing"} <= anywhere
    assert {"days", "scope"} <= words


def test_files_for_the_other_side_reveal_no_internal_names(ws):
    for what, data in sent_files(ws).items():
        assert leaks(data) == [], what


def test_internal_copy_keeps_readable_provenance(ws):
    data = written_docx(ws, "export", "phased-agreement@us", "--internal")
    found = leaks(data)
    assert "customXml/item1.xml: nuclear.freeze" in found
    assert "customXml/item1.xml: edition" in found
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        footer = "".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
    assert "phased-agreement" in footer


def test_no_template_leftovers(ws):
    for what, data in sent_files(ws).items():
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            everything = b"".join(z.read(n) for n in names)
        assert not {n for n in names if re.search(
            r"thumbnail|stylesWithEffects|webSettings|docProps/app|itemProps", n)}, what
        assert sorted(n for n in names if n.startswith("customXml/")) == (
            [] if what == "joint" else ["customXml/item1.xml"]), what  # no bibliography
        for leftover in (b"python-docx", b"Macintosh", b"Normal.dotm", b"w:rsid",
                         b"b:Sources", b"savePreviewPicture"):
            assert leftover not in everything, (what, leftover)


def test_block_tokens_map_back_only_in_our_workspace(ws, tmp_path):
    from drafting.importing import known_ids
    from drafting.readers import docx as reader
    from drafting.workspace import Workspace

    sent = tmp_path / "sent.docx"
    sent.write_bytes(written_docx(ws, "export", "phased-agreement@us"))
    ours = reader.read_file(sent, known_ids(Workspace(ws), "phased-agreement")).accepted
    theirs = reader.read_file(sent).accepted
    original = {b.id: b for b in draft_blocks(ws)}
    assert [b.id for b in ours.blocks] == list(original)
    assert {b.clause for b in ours.blocks} == {b.clause for b in original.values()}
    assert not {b.id for b in theirs.blocks} & set(original)  # opaque without the key
    assert {b.clause for b in theirs.blocks} == {None}
    other = copy_workspace(tmp_path / "other")  # another workspace: another key
    assert draft("-C", str(other), "build", "phased-agreement", "--side", "us").exit_code == 0
    assert written_docx(other, "export", "phased-agreement@us") != sent.read_bytes()


def draft_blocks(root: Path):
    from drafting.inputs import open_source

    return open_source("phased-agreement@us", root).document.blocks


def test_the_key_is_private_and_never_committed(ws):
    key = ws / "drafts" / ".private" / "id-key"
    assert key.is_file() and len(key.read_bytes()) == 32
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert (key.parent / ".gitignore").read_text().splitlines()[-1] == "*"
    before = key.read_bytes()
    written_docx(ws, "export", "phased-agreement@us")
    assert key.read_bytes() == before  # made once, then reused


def test_a_damaged_key_is_a_clear_error(tmp_path):
    root = copy_workspace(tmp_path / "ws")
    assert draft("-C", str(root), "build", "phased-agreement", "--side", "us").exit_code == 0
    key = root / "drafts" / ".private" / "id-key"
    key.parent.mkdir(parents=True)
    key.write_bytes(b"short")
    r = CliRunner().invoke(main, ["-C", str(root), "export", "phased-agreement@us", "-o",
                                  str(tmp_path / "x.docx")])
    assert r.exit_code == 2
    assert r.output.strip().endswith("damaged id key (5 bytes, expected 32)")
    assert not (tmp_path / "x.docx").exists()
