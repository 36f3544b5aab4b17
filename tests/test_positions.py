"""Positions compared: recorded at build, typed deltas, where each shows, in every diff format."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT, copy_workspace
from hypothesis import given
from hypothesis import strategies as st

from drafting.cli import main
from drafting.model import ARTICLE_LEVEL, HEADING, NUMBERED, PARAGRAPH, Block, Document
from drafting.negotiate.positions import compare_positions


def run(args, cwd: Path | None = None):
    prefix = ["-C", str(cwd)] if cwd else []
    return CliRunner().invoke(main, [*prefix, *args], catch_exceptions=False,
                              env={"NO_COLOR": "1"})


def _doc(*texts: str, clause: str = "c") -> Document:
    blocks = [Block(HEADING, ARTICLE_LEVEL, clause, "Article 1", "Terms", clause, 1)]
    blocks += [Block(PARAGRAPH, NUMBERED, f"{clause}#p{n}", f"1.{n}", t, clause, 1)
               for n, t in enumerate(texts, 1)]
    return Document("T", tuple(blocks))


def _pos(**params) -> dict:
    return {"vars": {}, "params": {"c": {
        k: {"type": t, "value": v, "description": ""} for k, (t, v) in params.items()}}}


def test_typed_deltas_and_where_each_value_shows():
    old = _pos(days=("int", 45), start=("date", "2026-05-01"),
               sites=("list", ["Yongbyon", "Kangson", "Sohae"]), snap=("bool", True),
               mode=("choice", "iaea"), rate=("float", 2.5))
    new = _pos(days=("int", 60), start=("date", "2026-07-01"),
               sites=("list", ["Yongbyon", "Sohae", "Punggye-ri"]), snap=("bool", False),
               mode=("choice", "joint"), rate=("float", 2.5))
    a = _doc("within forty-five (45) days", "from 1 May 2026", "at Yongbyon, Kangson, Sohae",
             "may reimpose", "verified by the Agency")
    b = _doc("within sixty (60) days", "from 1 July 2026", "at Yongbyon, Sohae, Punggye-ri",
             "shall not reimpose", "verified by the Commission")
    pc = compare_positions(old, new, a, b, "US", "DPRK")
    by = {d.name: d for d in pc.deltas}
    assert set(by) == {"days", "start", "sites", "snap", "mode"}  # rate is the same
    assert by["days"].change == "45 -> 60 days (+15)" and by["days"].difference == 15
    assert by["days"].where == ("1.1",)
    assert by["start"].change == "2026-05-01 -> 2026-07-01 (+61 days, about 2 months)"
    assert by["start"].where == ("1.2",)
    assert by["sites"].change == "-2: Kangson; +3: Punggye-ri"
    assert by["sites"].added == ("Punggye-ri",) and by["sites"].removed == ("Kangson",)
    assert by["sites"].where == ("1.3",)
    assert by["snap"].change == "yes -> no"
    assert by["mode"].change == "iaea -> joint"
    # flags and choices show no value of their own: they get the blocks nobody else explains
    assert by["snap"].where == by["mode"].where == ("1.4", "1.5")
    assert pc.summary() == "positions: 5 differ (0 variables, 5 clause parameters)"


def test_negative_and_unset_values():
    pc = compare_positions(_pos(notice_days=("int", 150), note=("str", None)),
                           _pos(notice_days=("int", 120), note=("str", "as agreed")),
                           _doc("x"), _doc("x"))
    by = {d.name: d for d in pc.deltas}
    assert by["notice_days"].change == "150 -> 120 days (-30)"
    assert by["note"].change == "(not set) -> as agreed"
    assert by["note"].where == () and by["note"].where_old == ()


@given(st.lists(st.text(min_size=3, max_size=8), unique=True, max_size=6),
       st.lists(st.text(min_size=3, max_size=8), unique=True, max_size=6))
def test_list_deltas_account_for_every_item(old, new):
    pc = compare_positions(_pos(items=("list", old)), _pos(items=("list", new)), _doc("x"),
                           _doc("x"))
    if old == new:
        assert not pc.deltas
        return
    delta = pc.deltas[0]
    assert set(delta.removed) == set(old) - set(new)
    assert set(delta.added) == set(new) - set(old)
    kept = [x for x in old if x not in delta.removed] + list(delta.added)
    assert sorted(kept) == sorted(new)


def test_shipped_example_us_against_dprk():
    r = run(["positions", "phased-agreement@us", "phased-agreement@dprk"], ROOT)
    assert r.exit_code == 1, r.output
    lines = r.output.splitlines()
    assert lines[2] == "positions: 48 differ (2 variables, 46 clause parameters)"
    assert "    relief_sequencing: freeze-first -> simultaneous  [moves clauses]" in lines
    assert ("    moved: Nature of Sanctions Relief: Article 18 in Phase Two -> Article 11 in "
            "Phase One") in lines
    assert "  Article 4 Freeze of Fissile Material Production (nuclear.freeze)" in lines
    assert "    days: 45 -> 60 days (+15)  [4.1]" in lines
    assert ("    sites: -4: the uranium enrichment facility at Kangson; -5: the Experimental "
            "Light Water Reactor at Yongbyon; -6: the Nuclear Fuel Rod Fabrication Plant at "
            "Yongbyon  [US's draft: 4.2(d), 4.2(e), 4.2(f)]") in lines
    assert "    notice_hours: 24 -> 48 hours (+24)  [7.3]" in lines
    assert ("    target_date: 2028-12-31 -> 2027-06-30 (-550 days, about 18 months)  [17.3]"
            in lines)
    assert "    denuclearization: dprk -> korean-peninsula  [preamble, paragraph 4]" in lines
    data = json.loads(run(["positions", "phased-agreement@us", "phased-agreement@dprk",
                           "--json"], ROOT).output)
    freeze = next(d for d in data["deltas"] if d["key"] == "nuclear.freeze.days")
    assert freeze == {"key": "nuclear.freeze.days", "clause": "nuclear.freeze", "name": "days",
                      "type": "int", "old": 45, "new": 60, "change": "45 -> 60 days (+15)",
                      "where": ["4.1"], "where_old": [], "article": "Article 4",
                      "title": "Freeze of Fissile Material Production", "difference": 15,
                      "description": "Days after entry into force by which the freeze must "
                                     "be complete at every Covered Facility"}


def test_old_revision_without_positions_is_refused_with_the_reason():
    r = CliRunner().invoke(
        main, ["-C", str(ROOT), "positions", "phased-agreement@r1", "phased-agreement@r4"])
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == (
        "draft: error: positions not compared: r1 a4de3b2708 records no positions and "
        "drafts/phased-agreement/positions/us.yaml has changed since it was built\n")


def test_files_are_refused(tmp_path):
    (tmp_path / "a.md").write_text("text\n")
    r = CliRunner().invoke(main, ["positions", str(tmp_path / "a.md"),
                                                  str(tmp_path / "a.md")])
    assert r.exit_code == 2
    assert "positions compares two revisions built from the library, not files" in r.stderr


def test_recorded_at_build_and_shown_in_every_diff_format(tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    assert run(["build", "phased-agreement", "-s", "us"], ws).exit_code == 0
    assert run(["build", "phased-agreement", "-s", "us", "--set", "nuclear.freeze.days=75",
                "--set", "relief_sequencing=simultaneous"], ws).exit_code == 0
    record = json.loads(next(
        p for p in (ws / "drafts/phased-agreement/revisions").glob("*.json")
        if "nuclear.freeze.days=75" in p.read_text()).read_text())
    assert record["positions"]["params"]["nuclear.freeze"]["days"]["value"] == 75
    assert record["positions"]["vars"]["relief_sequencing"] == {"type": "str",
                                                                "value": "simultaneous"}
    r = run(["diff", "phased-agreement@r1", "phased-agreement@r2", "--stat"], ws)
    assert "positions: 3 differ (1 variable, 2 clause parameters)" in r.output
    assert "    days: 45 -> 75 days (+30)  [4.1]" in r.output
    # the template passes the sequencing on to the clause: its argument changed too
    assert "    trigger: verification -> freeze  [12.1]" in r.output
    data = json.loads(run(["diff", "phased-agreement@r1", "phased-agreement@r2", "--format",
                           "json"], ws).output)
    assert [d["key"] for d in data["positions"]["deltas"]] == [
        "relief_sequencing", "nuclear.freeze.days", "relief.un_exemptions.trigger"]
    md = run(["diff", "phased-agreement@r1", "phased-agreement@r2", "--format", "md"], ws)
    assert "## Positions" in md.output and "| `days` | 45 -> 75 days (+30) | 4.1 |" in md.output
    html = run(["diff", "phased-agreement@r1", "phased-agreement@r2", "--format", "html"], ws)
    assert '<section class="positions">' in html.output
    assert "<td>45 -> 75 days (+30)</td><td>4.1</td>" in html.output.replace("&gt;", ">")
    # files have no positions: no section
    r = run(["diff", str(ROOT / "README.md"), str(ROOT / "README.md")], ws)
    assert "positions:" not in r.output


def test_word_redline_summary_says_what_the_text_says_and_nothing_internal(tmp_path):
    out = tmp_path / "redline.docx"
    r = run(["diff", "phased-agreement@us", "phased-agreement@dprk", "-o", str(out)], ROOT)
    assert r.exit_code == 1
    import zipfile

    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "Terms that changed" in xml
    assert "45 -&gt; 60 days (+15)" in xml and "25 -&gt; 15 (-10)" in xml
    assert "US's 4.2(d), 4.2(e), 4.2(f)" in xml
    assert "Nature of Sanctions Relief: Article 18 in Phase Two -&gt; Article 11 in Phase " \
           "One" in xml
    # no parameter names, clause ids, descriptions or choice keys
    for internal in ("nuclear.freeze", "notice_hours", "freeze-first", "korean-peninsula",
                     "Days after entry into force by which", "15 staff"):
        assert internal not in xml
