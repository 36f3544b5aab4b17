"""Joint negotiating texts, bracket counts and progress per round, through the library and
the command line."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_workspace
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from test_diff_cli import _Collector

from drafting.cli import main
from drafting.model import Block, Document
from drafting.negotiate.joint import build
from drafting.readers.markdown import read_text
from drafting.writers.joint import render_markdown


def two(a: Document, b: Document, base: Document | None = None):
    return build([("us", "United States", a), ("dprk", "DPRK", b)], base)


def draft(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    """The shipped example with its two recorded rounds."""
    return copy_workspace(tmp_path_factory.mktemp("joint") / "ws", with_revisions=True)


def test_joint_text_of_the_example_brackets_the_differing_phrase(history):
    r = draft("-C", str(history), "joint", "phased-agreement@us", "phased-agreement@dprk")
    assert r.exit_code == 0
    out = r.output
    assert "The Freeze shall be complete within [US: forty-five (45)][DPRK: sixty (60)] days " \
           "after the date of entry into force" in out
    assert "> Joint negotiating text of United States of America" in out
    assert re.search(r"> \d+ places where the texts differ, each written as \[US: \.\.\.\]"
                     r"\[DPRK: \.\.\.\]", out)


def test_joint_with_a_base_classifies_and_flags_reopened_text():
    base = read_text("## Article 1\n\nThe Parties shall meet [within 30 days]. Each Party "
                     "shall notify the other in writing. The Commission shall report.\n")
    a = read_text("## Article 1\n\nThe Parties shall meet within 45 days. Each Party shall "
                  "notify the other in writing. The Commission shall report annually.\n")
    b = read_text("## Article 1\n\nThe Parties shall meet within 60 days. Each Party may "
                  "notify the other in writing. The Commission shall report annually.\n")
    joint = two(a, b, base)
    segments = [s for blk in joint.blocks for s in blk.segments if s.changed]
    found = [(s.changed, s.alike, s.reopened, s.options or s.text) for s in segments]
    both = ("us", "dprk")
    assert (both, False, False, (("us", "45"), ("dprk", "60"))) in found
    assert (("dprk",), True, True, (("us", "shall"), ("dprk", "may"))) in found
    assert (both, True, True, " annually") in found
    assert (both, True, False, "") in found  # both took out the brackets: agreed now
    assert sorted(joint.changes()) == [(("dprk",), True, True), (both, False, False),
                                       (both, True, False), (both, True, False),
                                       (both, True, True)]
    md = render_markdown(joint, ("a", "b"), "base")
    assert "Each Party [US: shall][DPRK: may] {>>REOPENS AGREED TEXT: changed by DPRK<<} " \
           "notify" in md
    assert "shall report annually {>>REOPENS AGREED TEXT: changed by both alike<<}." in md
    assert "meet within [US: 45][DPRK: 60] {>>changed by both, differently<<} days." in md
    assert "WARNING: 2 changes reopen text agreed in the base" in md
    assert joint.choose("us") == a and joint.choose("dprk") == b


def test_a_block_only_one_side_has():
    a = read_text("## Article 1\n\nFirst.\n\n## Article 2\n\nKept by US only.\n")
    b = read_text("## Article 1\n\nFirst.\n")
    joint = two(a, b)
    md = render_markdown(joint, ("a", "b"))
    assert "### [US: Article 2 — Kept by US only.]" not in md
    assert "[US: Kept by US only.][DPRK: —]" in md
    with_base = two(a, b, base=a)
    lone = with_base.blocks[-1]
    assert lone.changed == ("dprk",) and lone.reopened  # DPRK deleted agreed text
    assert "[US: Kept by US only.][DPRK: —] {>>REOPENS AGREED TEXT: changed by DPRK<<}" in \
        render_markdown(with_base, ("a", "b"), "a")


def doc(paragraphs: list[str]) -> Document:
    blocks = [Block("heading", 2, "art", "Article 1", "Commitments")]
    blocks += [Block("paragraph", 1, f"art#p{k}", f"1.{k}" if len(paragraphs) > 1 else "", p)
               for k, p in enumerate(paragraphs, 1)]
    return Document("T", tuple(blocks))


words = st.sampled_from(["The", "Parties", "shall", "may", "within", "30", "90", "days",
                         "notify", "each", "other", "Article", "(a)", ",", ";", "."])
paragraph = st.lists(words, min_size=1, max_size=25).map(" ".join)
drafts = st.lists(paragraph, min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(drafts)
def test_joint_text_of_identical_drafts_has_no_brackets(paragraphs):
    d = doc(paragraphs)
    joint = two(d, d)
    assert joint.differences() == 0
    body = [line for line in render_markdown(joint, ("a", "b")).splitlines()
            if not line.startswith(">")]
    assert not any("[US:" in line or "[DPRK:" in line for line in body)


@settings(max_examples=200, deadline=None)
@given(drafts, drafts)
def test_choosing_one_sides_alternatives_gives_back_its_draft(pa, pb):
    a, b = doc(pa), doc(pb)
    joint = two(a, b)
    assert joint.choose("us") == a
    assert joint.choose("dprk") == b


@settings(max_examples=100, deadline=None)
@given(drafts, drafts, drafts)
def test_with_a_base_choosing_still_gives_back_each_draft(pbase, pa, pb):
    a, b = doc(pa), doc(pb)
    joint = two(a, b, doc(pbase))
    assert joint.choose("us") == a
    assert joint.choose("dprk") == b


def test_joint_word_output_colours_each_side(history, tmp_path):
    out = tmp_path / "joint.docx"
    r = draft("-C", str(history), "joint", "phased-agreement@us", "phased-agreement@dprk",
              "--base", "phased-agreement@r1", "-o", str(out))
    assert r.exit_code == 0
    with zipfile.ZipFile(out) as z:
        xml = etree.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    colours = {}
    for run in xml.iter(f"{w}r"):
        text = "".join(t.text or "" for t in run.iter(f"{w}t"))
        colour = run.find(f"{w}rPr/{w}color")
        if text.strip() in ("US:", "DPRK:") and colour is not None:
            colours.setdefault(text.strip(), set()).add(colour.get(f"{w}val"))
    assert colours == {"US:": {"1f4e9c"}, "DPRK:": {"a3211f"}}


def test_joint_html_output(history, tmp_path):
    out = tmp_path / "joint.html"
    assert draft("-C", str(history), "joint", "phased-agreement@r1", "phased-agreement@r2",
                 "-o", str(out)).exit_code == 0
    page = out.read_text()
    parser = _Collector()
    parser.feed(page)
    assert parser.stack == [] and parser.external == []
    assert '<span class="side0">[<b>US:</b>' in page and '<span class="side1">[<b>DPRK:</b>' \
        in page


def test_joint_of_two_revisions_of_one_side(history):
    r = draft("-C", str(history), "joint", "phased-agreement@r1", "phased-agreement@r3")
    assert r.exit_code == 0 and "[US-A: thirty (30)][US-B: forty-five (45)]" in r.output


def test_brackets_command(paris):
    r = draft("brackets", str(paris[0]))
    assert r.exit_code == 0
    first = r.output.splitlines()[0]
    assert first.endswith(": 1024 bracketed spans, 232 sets of alternatives, 3 unbalanced "
                          "brackets")
    assert "unbalanced: unmatched ']' in preamble (line 7)" in r.output
    r = draft("brackets", str(paris[0]), "--by-article")
    table = r.output.splitlines()
    assert table[1].split() == ["article", "spans", "alternatives", "unbalanced"]
    assert table[2].split() == ["preamble", "44", "8", "2"]
    data = json.loads(draft("brackets", str(paris[3]), "--json").output)
    assert data["counts"] == {"spans": 0, "alternatives": 0, "strays": 0}


def test_brackets_of_a_revision(history):
    r = draft("-C", str(history), "brackets", "phased-agreement@r1")
    assert r.output.startswith("phased-agreement@r1, r1 ")
    assert ": 2 bracketed spans, 0 sets of alternatives, 0 unbalanced brackets" in r.output


def test_progress_table_chart_and_svg(history, tmp_path):
    svg = tmp_path / "progress.svg"
    written = draft("-C", str(history), "progress", "phased-agreement", "-o", str(svg))
    assert written.exit_code == 0 and written.output == ""  # -o: the chart goes to the file
    r = draft("-C", str(history), "progress", "phased-agreement")
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0].split()[:5] == ["rev", "id", "side", "date", "(UTC)"]
    rows = [line.split() for line in lines[1:5]]
    assert [row[2] for row in rows] == ["us", "dprk", "us", "dprk"]
    assert [row[5] for row in rows] == ["2", "2", "0", "0"]  # brackets in each side's own text
    open_points = [int(row[-1]) for row in rows[1:]]
    assert rows[0][-1] == "-" and open_points == sorted(open_points, reverse=True)
    assert open_points[0] > open_points[-1]  # the sides moved closer in round 2
    assert "r4 dprk  " in r.output and "█" in r.output
    tree = etree.parse(str(svg))
    assert tree.getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert len(tree.getroot().findall(".//{http://www.w3.org/2000/svg}polyline")) == 2
    data = json.loads(draft("-C", str(history), "progress", "phased-agreement", "--json").output)
    assert [d["open_points"] for d in data][1:] == open_points
