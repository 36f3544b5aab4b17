"""`draft diff` end to end: every output format, exit statuses, options, files and refs."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting.cli import main


def draft(*args: str, env=None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def sides(workspace: Path) -> Path:
    for side in ("us", "dprk"):
        assert draft("-C", str(workspace), "build", "phased-agreement", "--side", side
                     ).exit_code == 0
    return workspace


def diff(ws: Path, *args: str, env=None):
    return draft("-C", str(ws), "diff", "phased-agreement@us", "phased-agreement@dprk", *args,
                 env=env)


def test_term_plain_when_not_a_terminal(sides):
    r = diff(sides)
    assert r.exit_code == 1
    out = r.output
    assert "\x1b[" not in out
    assert out.startswith("--- United States of America  phased-agreement@us, r1 ")
    assert "+++ Democratic People's Republic of Korea  phased-agreement@dprk, r2 " in out
    assert "@@ Article 4 — Freeze of Fissile Material Production" in out
    assert "within [-forty-five-]{+sixty+} ([-45-]{+60+}) days" in out
    assert re.search(r"renumbered: Articles \d+-\d+ renumbered \d+-\d+", out)
    assert "moved: Article" in out


def test_term_colours_and_no_color(sides):
    out = diff(sides, "--color", "always").output
    assert "\x1b[34;4msixty\x1b[0m" in out and "\x1b[31;9mforty-five\x1b[0m" in out
    assert "\x1b[32m" in out  # moved text
    assert "\x1b[" not in diff(sides, env={"NO_COLOR": "1"}).output


def test_context_shows_unchanged_neighbours(sides):
    plain = diff(sides).output.count("\n")
    wider = diff(sides, "--context", "2").output.count("\n")
    assert wider > plain


def test_stat_prints_only_the_summary(sides):
    r = diff(sides, "--stat")
    assert r.exit_code == 1
    assert "blocks:" in r.output
    assert re.search(r"Article 4 — Freeze of Fissile Material Production +\| \+\d+ -\d+", r.output)
    assert "{+" not in r.output


def test_markdown_criticmarkup(sides):
    out = diff(sides, "--format", "md").output
    assert out.startswith("# Agreement between")
    assert "within {~~forty-five~>sixty~~} ({~~45~>60~~}) days" in out
    assert "{>>moved from Article" in out
    assert "> renumbered: Articles" in out


def test_json_change_model(sides):
    data = json.loads(diff(sides, "--format", "json").output)
    assert set(data) >= {"old", "new", "stats", "blocks", "moves", "renumbered", "stale_refs"}
    assert data["old"]["name"] == "United States of America"
    statuses = {b["status"] for b in data["blocks"]}
    assert statuses <= {"equal", "changed", "inserted", "deleted", "moved"}
    assert {"equal", "changed", "moved"} <= statuses
    freeze = next(b for b in data["blocks"] if b["new"] and b["new"]["id"] ==
                  "nuclear.freeze#cessation")
    assert freeze["status"] == "changed" and freeze["new"]["clause"] == "nuclear.freeze"
    assert ["delete", "forty-five", "number"] in freeze["ops"]
    assert ["insert", "sixty", "number"] in freeze["ops"]
    total = sum(len(o[1].split()) for b in data["blocks"] for o in b["ops"] if o[0] == "insert"
                and len(o) < 4 and b.get("move", {}).get("role") != "from")
    assert data["stats"]["words_inserted"] <= total


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.ids, self.external, self.stack = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if "id" in attrs:
            assert attrs["id"] not in self.ids, f"duplicate id {attrs['id']}"
            self.ids.add(attrs["id"])
        for key in ("src", "href"):
            if attrs.get(key, "#").split(":")[0] in ("http", "https", "//"):
                self.external.append(attrs[key])
        if tag not in ("meta", "col", "br", "link"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def test_html_is_one_self_contained_well_formed_page(sides, tmp_path):
    out = tmp_path / "diff.html"
    r = diff(sides, "--format", "html", "-o", str(out))
    assert r.exit_code == 1 and r.output == ""
    page = out.read_text()
    parser = _Collector()
    parser.feed(page)
    assert parser.stack == [] and parser.external == []
    assert parser.tags.count("style") == 1 and "script" not in parser.tags
    assert {"article-4", "article-12"} <= parser.ids
    assert '<table class="sbs">' in page and "<th>Words inserted</th>" in page
    assert "<del>forty-five</del>" in page and "<ins>sixty</ins>" in page
    links = set(re.findall(r'href="#([^"]+)"', page))
    assert links and links <= parser.ids


def test_identical_inputs_exit_0(sides):
    r = draft("-C", str(sides), "diff", "phased-agreement@us", "phased-agreement@us")
    assert r.exit_code == 0
    assert "blocks: 0 changed, 0 inserted, 0 deleted; 0 words inserted, 0 deleted" in r.output


def test_files_and_refs_mix(sides, tmp_path):
    shown = draft("-C", str(sides), "show", "phased-agreement@dprk").output
    path = tmp_path / "dprk.md"
    path.write_text(shown.replace("Freeze shall be complete within sixty (60)",
                                  "Freeze shall be complete within seventy (70)"))
    r = draft("-C", str(sides), "diff", "phased-agreement@dprk", str(path))
    assert r.exit_code == 1
    assert "[-sixty-]{+seventy+} ([-60-]{+70+})" in r.output
    assert r.output.count("@@") == 1  # the Markdown form reads back as the same text


@pytest.mark.parametrize("flag, old, new", [
    ("--ignore-case", "The Parties shall", "the parties shall"),
    ("--ignore-whitespace", "The Parties shall ,", "The Parties shall,"),
    ("--ignore-punctuation", "The Parties shall;", "The Parties shall,"),
])
def test_ignore_flags(tmp_path, flag, old, new):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(f"Article 1\n\n{old} act.\n")
    b.write_text(f"Article 1\n\n{new} act.\n")
    assert draft("diff", str(a), str(b)).exit_code == 1
    assert draft("diff", str(a), str(b), flag).exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["diff", "missing.md", "other.md"], "missing.md: no such file"),
    (["diff", "phased-agreement@us", "phased-agreement@nobody"], "no revision"),
])
def test_diff_errors_exit_2(sides, monkeypatch, args, message):
    monkeypatch.chdir(sides)
    r = draft(*args)
    assert r.exit_code == 2 and message in r.stderr


def test_binary_input_is_refused(tmp_path):
    bad = tmp_path / "x.md"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    r = draft("diff", str(bad), str(bad))
    assert r.exit_code == 2 and "x.md: not UTF-8 text (byte 0)" in r.stderr


def test_paris_v4_to_v5_is_small_and_readable(paris):
    r = draft("diff", str(paris[3]), str(paris[4]), "--stat")
    assert r.exit_code == 1
    assert "blocks: 48 changed, 0 inserted, 0 deleted;" in r.output
    r = draft("diff", str(paris[3]), str(paris[4]))
    assert "Parties to [-the Paris-]{+this+} Agreement" in r.output
