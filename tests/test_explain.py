"""Imported text explained by parameters: the other side's Word reply, read against our
clauses rendered with other values of their declared parameters, in every diff format,
in `draft positions`, and adopted with `draft adopt`; bounded in renders."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import copy_workspace, lo_probe

from drafting.build import open_revision
from drafting.cli import main
from drafting.explaining import explain_import
from drafting.negotiate import explain as search_module
from drafting.substance import recorded_positions
from drafting.workspace import Workspace

FREEZE = "4.1 = nuclear.freeze.days: 60; ours: 45"
SCOPE = "5.2 = nuclear.testing.missile_scope: all-ballistic; ours: " \
        "intermediate-and-intercontinental"
REMAINS = "13.2 = normalisation.remains.first_operation: 2026-08-01; ours: 2026-05-01"


def run(args, cwd: Path, now: str | None = None, code: int | None = None):
    env = {"NO_COLOR": "1", **({"DRAFTING_NOW": now} if now else {})}
    r = CliRunner().invoke(main, ["-C", str(cwd), *args], catch_exceptions=False, env=env)
    if code is not None:
        assert r.exit_code == code, r.output
    return r


def edited(source: Path, target: Path, edits: list[tuple[str, str]]) -> Path:
    """The Word file as the other side sends it back: words replaced in the first run
    that has them."""
    document = docx.Document(str(source))
    for old, new in edits:
        runs = [r for p in document.paragraphs for r in p.runs if old in r.text]
        assert runs, old
        runs[0].text = runs[0].text.replace(old, new)
    document.save(str(target))
    return target


REPLY = [("forty-five (45)", "sixty (60)"),  # the freeze Article: a number
         ("missile of intermediate or intercontinental range", "missile of any range"),  # choice
         ("no later than 1 May 2026", "no later than 1 August 2026"),  # a date
         ("in duplicate, in the English", "in two originals, in the English")]  # free words


@pytest.fixture
def replied(tmp_path) -> Path:
    """The shipped example with DPRK's reply to our export of r3 imported as r5."""
    ws = copy_workspace(tmp_path / "ws", with_revisions=True)
    run(["export", "phased-agreement@us", "-o", str(tmp_path / "us.docx")], ws, code=0)
    reply = edited(tmp_path / "us.docx", tmp_path / "reply.docx", REPLY)
    r = run(["import", str(reply), "-a", "phased-agreement", "-s", "dprk", "-m", "Reply"], ws,
            "2026-11-20T09:00:00Z", code=0)
    assert r.output.startswith("recorded phased-agreement@r5 ")
    return ws


def test_every_diff_format_says_which_values_explain_their_words(replied, tmp_path):
    ws = replied
    r = run(["diff", "phased-agreement@us", "phased-agreement@dprk"], ws, code=1)
    lines = r.output.splitlines()
    assert "positions: 3 differ (0 variables, 3 clause parameters), read from DPRK's " \
           "imported text (our clauses with other values)" in lines
    assert "    days: 45 -> 60 days (+15)  [4.1]" in lines
    assert "    first_operation: 2026-05-01 -> 2026-08-01 (+92 days, about 3 months)  [13.2]" \
        in lines
    # each explained block says so under its text; the free rewording is not explained
    for note in (FREEZE, SCOPE, REMAINS):
        at = lines.index(f"  {note}")
        assert lines[at - 1].startswith(note.split(" = ")[0] + " ")
    done = next(i for i, x in enumerate(lines) if x.startswith("Done at Panmunjom"))
    assert lines[done + 1:] == []
    assert "[-duplicate-]{+two originals+}" in lines[done]

    stat = run(["diff", "phased-agreement@us", "phased-agreement@dprk", "--stat"], ws).output
    assert f"  Explained blocks\n    {FREEZE}\n    {SCOPE}\n    {REMAINS}\n" in stat

    md = run(["diff", "phased-agreement@us", "phased-agreement@dprk", "--format", "md"],
             ws).output
    assert f"of this Agreement.{{>>{FREEZE}<<}}\n" in md
    assert f"for the duration of this Agreement.{{>>{SCOPE}<<}}\n" in md
    assert "{~~duplicate~>two originals~~}, in the English and Korean languages, both texts " \
           "being equally authentic.\n" in md

    page = run(["diff", "phased-agreement@us", "phased-agreement@dprk", "--format", "html"],
               ws).output
    assert f'<span class="explained">{FREEZE}</span></p>' in page
    assert page.count('<span class="explained">') == 3

    data = json.loads(run(["diff", "phased-agreement@us", "phased-agreement@dprk",
                           "--format", "json"], ws).output)
    assert data["positions"]["explanations"] == [
        {"block": "nuclear.freeze#cessation", "label": "4.1", "clause": "nuclear.freeze",
         "param": "days", "type": "int", "theirs": 60, "ours": 45, "in": "theirs",
         "partial": False},
        {"block": "nuclear.testing#p2", "label": "5.2", "clause": "nuclear.testing",
         "param": "missile_scope", "type": "choice", "theirs": "all-ballistic",
         "ours": "intermediate-and-intercontinental", "in": "theirs",
         "partial": False},
        {"block": "normalisation.remains#operations", "label": "13.2",
         "clause": "normalisation.remains", "param": "first_operation", "type": "date",
         "theirs": "2026-08-01", "ours": "2026-05-01", "in": "theirs",
         "partial": False}]
    assert data["positions"]["stopped"] == []
    assert 3 <= data["positions"]["renders"] <= 12

    out = tmp_path / "redline.docx"
    run(["diff", "phased-agreement@us", "phased-agreement@dprk", "-o", str(out)], ws, code=1)
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert "Terms that changed" in xml
    assert "45 -&gt; 60 days (+15)" in xml and "2026-05-01 -&gt; 2026-08-01" in xml
    for internal in ("nuclear.freeze", "first_operation", "all-ballistic", "ours:"):
        assert internal not in xml  # a file for the other side


def test_positions_of_an_imported_reply_are_the_values_it_shows(replied):
    r = run(["positions", "phased-agreement@us", "phased-agreement@dprk"], replied, code=1)
    assert r.output.splitlines()[2:] == [
        "positions: 3 differ (0 variables, 3 clause parameters), read from DPRK's imported "
        "text (our clauses with other values)",
        "  Article 4 Freeze of Fissile Material Production (nuclear.freeze)",
        "    days: 45 -> 60 days (+15)  [4.1]",
        "      (Days after entry into force by which the freeze must be complete at every "
        "Covered Facility)",
        "  Article 5 Moratorium on Nuclear Tests and Missile Launches (nuclear.testing)",
        "    missile_scope: intermediate-and-intercontinental -> all-ballistic  [5.2]",
        "      (Which ballistic missile launches the moratorium covers)",
        "  Article 13 Recovery of Remains (normalisation.remains)",
        "    first_operation: 2026-05-01 -> 2026-08-01 (+92 days, about 3 months)  [13.2]",
        "      (Date by which the first joint recovery operation begins)",
        "  Explained blocks", f"    {FREEZE}", f"    {SCOPE}", f"    {REMAINS}"]
    # the other way round, the deltas run from theirs to ours
    data = json.loads(run(["positions", "phased-agreement@dprk", "phased-agreement@us",
                           "--json"], replied).output)
    assert [(d["key"], d["old"], d["new"]) for d in data["deltas"]] == [
        ("nuclear.freeze.days", 60, 45),
        ("nuclear.testing.missile_scope", "all-ballistic", "intermediate-and-intercontinental"),
        ("normalisation.remains.first_operation", "2026-08-01", "2026-05-01")]


def test_adopt_from_the_reply_then_the_change_is_no_longer_a_difference(replied):
    ws = replied
    path = ws / "drafts/phased-agreement/positions/us.yaml"
    before = path.read_text().splitlines()
    r = run(["adopt", "phased-agreement@dprk", "--param", "nuclear.freeze.days", "--param",
             "normalisation.remains.first_operation"], ws, code=0)
    revision = open_revision(Workspace(ws), "phased-agreement@dprk")
    source = f"adopted from DPRK's r5 {revision.short}"
    assert r.output.splitlines() == [
        f"drafts/phased-agreement/positions/us.yaml: nuclear.freeze.days: 45 -> 60 ({source})",
        "drafts/phased-agreement/positions/us.yaml: normalisation.remains.first_operation: "
        f"2026-05-01 -> 2026-08-01 ({source})"]
    after = path.read_text().splitlines()
    assert [(a, b) for a, b in zip(before, after, strict=True) if a != b] == [
        ("    days: 45", f"    days: 60  # {source}"),
        ("    first_operation: 2026-05-01", f"    first_operation: 2026-08-01  # {source}")]
    r = run(["build", "phased-agreement", "-s", "us", "-m", "Their 60 days and August"], ws,
            "2026-11-21T09:00:00Z", code=0)
    assert r.output.splitlines()[1:] == [
        f"nuclear.freeze.days = 60 ({source})",
        f"normalisation.remains.first_operation = 2026-08-01 ({source})"]
    r = run(["diff", "phased-agreement@us", "phased-agreement@dprk"], ws, code=1)
    assert "sixty" not in r.output and "August" not in r.output and FREEZE not in r.output
    assert "  Explained blocks\n    " + SCOPE in r.output  # the one not adopted
    assert "[-duplicate-]{+two originals+}" in r.output


def test_adopt_refuses_a_value_the_reply_does_not_show(replied):
    path = replied / "drafts/phased-agreement/positions/us.yaml"
    original = path.read_bytes()
    r = CliRunner().invoke(main, ["-C", str(replied), "adopt", "phased-agreement@dprk",
                                  "--param", "nuclear.freeze.days", "--param",
                                  "final.signature.place"])
    assert r.exit_code == 2
    assert r.stderr.startswith(
        "draft: error: phased-agreement@dprk was imported, and no value of "
        "final.signature.place gives its text: our clauses rendered with other values explain "
        "normalisation.remains.first_operation, nuclear.freeze.days, "
        "nuclear.testing.missile_scope (against us's r3 c43f304864)")
    assert path.read_bytes() == original


def test_rewording_no_parameter_explains_gets_no_explanation(tmp_path):
    ws = copy_workspace(tmp_path / "ws", with_revisions=True)
    run(["export", "phased-agreement@us", "-o", str(tmp_path / "us.docx")], ws, code=0)
    reply = edited(tmp_path / "us.docx", tmp_path / "reply.docx", [
        ("forty-five (45)", "forty-five (60)"),  # digits alone: no value renders this
        ("missile of intermediate or intercontinental range", "missile of long range"),
        ("no later than 1 May 2026", "no later than 1 May 2027 or earlier")])
    run(["import", str(reply), "-a", "phased-agreement", "-s", "dprk"], ws, code=0)
    r = run(["diff", "phased-agreement@us", "phased-agreement@dprk"], ws, code=1)
    assert "positions: no difference in DPRK's imported text is our clauses with other " \
           "values\n" in r.output and " = " not in r.output
    assert "[-45-]{+60+}" in r.output
    data = json.loads(run(["diff", "phased-agreement@us", "phased-agreement@dprk", "--format",
                           "json"], ws).output)
    assert data["positions"]["explanations"] == [] and data["positions"]["deltas"] == []
    assert data["positions"]["renders"] >= 3  # 60 and 2027-05-01 and each option were tried


def test_a_list_shortened_and_two_parameters_of_one_sentence(tmp_path):
    ws = copy_workspace(tmp_path / "ws", with_revisions=True)
    run(["export", "phased-agreement@us", "-o", str(tmp_path / "us.docx")], ws, code=0)
    document = docx.Document(str(tmp_path / "us.docx"))
    for text in ("the uranium enrichment facility at Kangson;",
                 "the Experimental Light Water Reactor at Yongbyon;",
                 "the Nuclear Fuel Rod Fabrication Plant at Yongbyon."):  # in Article 4 only
        first = next(p for p in document.paragraphs if p.text == text)
        first._p.getparent().remove(first._p)
    document.save(str(tmp_path / "cut.docx"))
    reply = edited(tmp_path / "cut.docx", tmp_path / "reply.docx", [
        ("the uranium enrichment plant at Yongbyon;", "the uranium enrichment plant at "
         "Yongbyon."),
        ("missile of intermediate or intercontinental range, nor any space launch vehicle "
         "using ballistic missile technology,", "missile of intercontinental range")])
    run(["import", str(reply), "-a", "phased-agreement", "-s", "dprk"], ws, code=0)
    data = json.loads(run(["diff", "phased-agreement@us", "phased-agreement@dprk", "--format",
                           "json"], ws).output)
    found = [(e["label"], e["param"], e["theirs"]) for e in data["positions"]["explanations"]]
    kept = ["the 5 MWe Experimental Nuclear Power Plant at Yongbyon",
            "the Radiochemical Laboratory at Yongbyon", "the uranium enrichment plant at Yongbyon"]
    assert found == [("4.2(c)", "sites", kept), ("4.2(d)", "sites", kept),
                     ("4.2(e)", "sites", kept), ("4.2(f)", "sites", kept),
                     ("5.2", "missile_scope", "intercontinental"),
                     ("5.2", "space_launches", False)]
    r = run(["diff", "phased-agreement@us", "phased-agreement@dprk"], ws)
    assert "  4.2(c) = nuclear.freeze.sites: 3 items, without: the uranium enrichment " \
           "facility at Kangson; the Experimental Light Water Reactor at Yongbyon; the " \
           "Nuclear Fuel Rod Fabrication Plant at Yongbyon; ours: 6 items\n" in r.output
    assert "  5.2 = nuclear.testing.space_launches: no; ours: yes\n" in r.output
    assert "    4.2(c), 4.2(d), 4.2(e), 4.2(f) = nuclear.freeze.sites: 3 items, without: " \
           "the uranium enrichment facility at Kangson;" in r.output  # the section: once
    assert "Article 14" not in r.output


@pytest.mark.office
def test_word_summary_in_libreoffice(replied, tmp_path):
    out = tmp_path / "redline.docx"
    run(["diff", "phased-agreement@us", "phased-agreement@dprk", "-o", str(out)], replied,
        code=1)
    (found,) = lo_probe("inspect", str(out))
    cells = [p["text"] for p in found["paragraphs"] if p["style"] == "table"]
    at = cells.index("4.1")
    assert cells[at:at + 4] == ["4.1", "45 -> 60 days (+15)", "13.2",
                                "2026-05-01 -> 2026-08-01 (+92 days, about 3 months)"]


# -- the bound on the work ------------------------------------------------------------------

OPTIONS = [f"o{i}" for i in range(40)]


def choice_workspace(root: Path, clauses: int) -> Path:
    """A workspace of `clauses` clauses, each with one choice among 40 options."""
    (root / "clauses").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "drafts/pact/positions").mkdir(parents=True)
    for n in range(1, clauses + 1):
        (root / "clauses" / f"c{n}.md").write_text(
            f"---\nid: c{n}\ntitle: Clause {n}\nedition: 1\nparams:\n  pick:\n"
            f"    type: choice\n    options: [{', '.join(OPTIONS)}]\n    default: o0\n---\n"
            f"## Clause {n}\n\nThe Parties choose {{{{ pick }}}} in Article {n}.\n")
    (root / "templates/pact.md.j2").write_text(
        "".join(f'{{{{ clause("c{n}") }}}}\n\n' for n in range(1, clauses + 1)))
    (root / "drafts/pact/agreement.yaml").write_text(
        "title: Pact\ntemplate: pact\nsides:\n  north: North\n  south: South\n")
    return root


def searched(root: Path, picks: dict[str, str]):
    """Build north with the defaults and south with these picks; search south's text."""
    (root / "drafts/pact/positions/south.yaml").write_text(
        "clauses:\n" + "".join(f"  {c}:\n    pick: {v}\n" for c, v in picks.items()))
    for side in ("north", "south"):
        run(["build", "pact", "-s", side], root, code=0)
    ws = Workspace(root)
    ours, theirs = open_revision(ws, "pact@north"), open_revision(ws, "pact@south")
    return explain_import(ws, ours, recorded_positions(ws, ours)[0], theirs.document)


def test_renders_per_clause_just_under_and_just_over_the_bound(tmp_path):
    limit = search_module.MAX_RENDERS_PER_CLAUSE
    # our own wording is rendered first, then the options in declared order: the option
    # at index `limit - 1` is the limit-th render
    under = searched(choice_workspace(tmp_path / "a", 1), {"c1": OPTIONS[limit - 1]})
    assert [(e.label, e.theirs) for e in under.explanations] == [("Article 1", OPTIONS[limit - 1])]
    assert under.renders == limit and under.stopped == ()
    over = searched(choice_workspace(tmp_path / "b", 1), {"c1": OPTIONS[limit]})
    assert over.explanations == () and over.renders == limit
    assert over.stopped == (f"c1 (stopped at {limit} renders for one clause)",)
    assert over.notes() == [f"not fully searched: c1 (stopped at {limit} renders for one "
                            "clause)"]


def test_renders_per_comparison_just_under_and_just_over_the_bound(tmp_path):
    per, total = search_module.MAX_RENDERS_PER_CLAUSE, search_module.MAX_RENDERS
    count = total // per  # clauses that each take the whole per-clause allowance
    picks = {f"c{n}": OPTIONS[per - 1] for n in range(1, count + 2)}
    under = searched(choice_workspace(tmp_path / "a", count), dict(list(picks.items())[:count]))
    assert len(under.explanations) == count and under.renders == total
    assert under.stopped == ()
    over = searched(choice_workspace(tmp_path / "b", count + 1), picks)
    assert len(over.explanations) == count and over.renders == total
    assert over.stopped == (f"c{count + 1} (stopped at {total} renders for one comparison)",)


def looping_pair(root: Path, loop: str, offered: str):
    """c1 runs `loop` before its sentence "The Parties meet {{ n }} times."; north keeps
    n = 3, south sets 9, and south's text also offers n = `offered` in a block before it,
    so that `offered` is tried first."""
    from dataclasses import replace

    from drafting.model import Document

    root = choice_workspace(root, 1)
    (root / "clauses/c1.md").write_text(
        "---\nid: c1\ntitle: Clause 1\nedition: 1\nparams:\n  n:\n    type: int\n"
        f"    default: 3\n---\n## Clause 1\n\n{loop}The Parties meet {{{{ n }}}} times.\n")
    (root / "drafts/pact/positions/south.yaml").write_text("clauses:\n  c1:\n    n: 9\n")
    for side in ("north", "south"):
        run(["build", "pact", "-s", side], root, code=0)
    ws = Workspace(root)
    ours, theirs = open_revision(ws, "pact@north"), open_revision(ws, "pact@south")
    blocks = list(theirs.document.blocks)
    doc = Document(theirs.document.title,
                   (blocks[0], replace(blocks[1], id="c1#p9", text=offered), blocks[1]))
    return ws, ours, doc


def test_a_render_the_sandbox_refuses_explains_nothing(tmp_path):
    """Each render runs under the sandbox's budget: a value whose rendering the sandbox
    stops is a candidate that explains nothing, and the search goes on."""
    # 5000 (5,000,000 loop steps, over the sandbox's 2,000,000) is tried first and refused
    ws, ours, doc = looping_pair(tmp_path / "ws", "{% for i in range(n * 1000) %}{% endfor %}",
                                 "5000")
    result = explain_import(ws, ours, recorded_positions(ws, ours)[0], doc)
    assert [(e.param, e.theirs) for e in result.explanations] == [("n", 9)]
    assert result.renders == 3  # ours, 5000 (refused by the sandbox), 9


def costly_pair(root: Path):
    """c1 loops n times 1,000 times; their text offers n = 500 (500,000 steps: within the
    sandbox's budget, a real cost) before the 9 their sentence says."""
    return looping_pair(
        root, "{% for i in range(n) %}{% for j in range(1000) %}{% endfor %}{% endfor %}", "500")


def test_renders_stop_once_their_cpu_time_is_spent(tmp_path, monkeypatch):
    """Each render may spend the sandbox's whole budget, so the search has a CPU bound of
    its own: with the default every candidate is rendered and 9 found; with almost none
    left after the costly render, the search stops there and says so."""
    ws, ours, doc = costly_pair(tmp_path / "a")
    under = explain_import(ws, ours, recorded_positions(ws, ours)[0], doc)
    assert [(e.param, e.theirs) for e in under.explanations] == [("n", 9)]
    assert under.renders == 3 and under.stopped == ()
    monkeypatch.setattr(search_module, "MAX_RENDER_SECONDS", 0.01)
    over = explain_import(ws, ours, recorded_positions(ws, ours)[0], doc)
    assert over.explanations == () and over.renders == 2  # ours, then 500
    assert over.stopped == ("c1 (stopped at the CPU time allowed for renders)",)
    assert over.notes() == ["not fully searched: c1 (stopped at the CPU time allowed for "
                            "renders)"]


def test_their_whole_round_read_back_from_word_matches_what_they_built_it_from(tmp_path):
    """DPRK's r4 as a Word file, read back as if they had typed it over our export: the
    search finds every value r4 records, from its text alone, and nothing else."""

    from drafting.importing import known_ids, read_any
    from drafting.substance import positions_between

    ws = copy_workspace(tmp_path / "ws", with_revisions=True)
    run(["export", "phased-agreement@dprk", "-o", str(tmp_path / "dprk.docx")], ws, code=0)
    space = Workspace(ws)
    us, r4 = open_revision(space, "phased-agreement@us"), open_revision(space,
                                                                         "phased-agreement@dprk")
    document = read_any(tmp_path / "dprk.docx", known_ids(space, "phased-agreement"))[0]
    found = explain_import(space, us, recorded_positions(space, us)[0], document)
    truth = {d.key: d.new for d in positions_between(space, us, r4, "US", "DPRK").parameters}
    shown = {e.key: e.theirs for e in found.explanations}
    assert len(truth) == 46 and found.stopped == ()
    assert shown == truth  # every value r4 used, and only those
    assert found.renders <= search_module.MAX_RENDERS


def clause_workspace(root: Path, body: str, params: str) -> Path:
    """A workspace of one clause c1 with these parameter declarations and body."""
    choice_workspace(root, 1)
    (root / "clauses/c1.md").write_text(
        f"---\nid: c1\ntitle: Clause 1\nedition: 1\nparams:\n{params}---\n## Clause 1\n\n"
        f"{body}\n")
    return root


def against(root: Path, texts: dict[str, str]):
    """North built with the defaults; their text: north's with these blocks reworded."""
    from dataclasses import replace

    from drafting.model import Document

    (root / "drafts/pact/positions/south.yaml").write_text("")
    run(["build", "pact", "-s", "north"], root, code=0)
    ws = Workspace(root)
    ours = open_revision(ws, "pact@north")
    blocks = tuple(replace(b, text=texts.get(b.id, b.text)) for b in ours.document.blocks)
    theirs = replace(ours, document=Document(ours.document.title, blocks))
    return explain_import(ws, ours, recorded_positions(ws, ours)[0], theirs.document)


def test_a_value_their_text_changes_in_one_place_of_two_is_said_to_be_partial(tmp_path):
    root = clause_workspace(tmp_path / "ws", "The Commission meets {{ n | words }} times a "
                            "year.\n\nIts reports follow each of its {{ n | words }} meetings.",
                            "  n:\n    type: int\n    default: 4\n")
    found = against(root, {"c1#p1": "The Commission meets six (6) times a year."})
    assert [e.text() for e in found.explanations] == [
        "1.1 = c1.n: 6; ours: 4 (only here: elsewhere their text reads as ours)"]
    both = against(clause_workspace(tmp_path / "ws2", "The Commission meets {{ n | words }} "
                                    "times a year.\n\nIts reports follow each of its "
                                    "{{ n | words }} meetings.",
                                    "  n:\n    type: int\n    default: 4\n"),
                   {"c1#p1": "The Commission meets six (6) times a year.",
                    "c1#p2": "Its reports follow each of its six (6) meetings."})
    assert [e.text() for e in both.explanations] == ["1.1 = c1.n: 6; ours: 4",
                                                      "1.2 = c1.n: 6; ours: 4"]


def test_a_text_full_of_numbers_costs_no_more_than_the_bound(tmp_path):
    """Hostile input: every number of their text is a candidate, but no more of them are
    rendered than the bound allows; the search says where it stopped."""
    root = clause_workspace(tmp_path / "ws", "The Commission meets {{ n }} times a year.",
                            "  n:\n    type: int\n    default: 4\n")
    numbers = " ".join(str(i) for i in range(100, 100_100))
    found = against(root, {"c1#p1": f"The Commission meets {numbers} times a year."})
    limit = search_module.MAX_RENDERS_PER_CLAUSE
    assert found.explanations == () and found.renders == limit
    assert found.stopped == (f"c1 (stopped at {limit} renders for one clause)",)


def test_a_text_without_our_ids_says_so(tmp_path):
    ws = copy_workspace(tmp_path / "ws", with_revisions=True)
    text = run(["show", "phased-agreement@us"], ws, code=0).output
    (tmp_path / "reply.md").write_text(text.replace("forty-five (45)", "sixty (60)"))
    run(["import", str(tmp_path / "reply.md"), "-a", "phased-agreement", "-s", "dprk"], ws,
        code=0)
    r = run(["positions", "phased-agreement@us", "phased-agreement@dprk"], ws, code=0)
    assert r.output.splitlines()[2:] == [
        "positions: DPRK's imported text holds none of our clauses as we built them (no ids "
        "of ours in it: a file we did not export, or exported from another workspace)"]


def test_a_word_file_not_yet_imported_is_read_against_our_clauses(tmp_path):
    ws = copy_workspace(tmp_path / "ws", with_revisions=True)
    run(["export", "phased-agreement@us", "-o", str(tmp_path / "us.docx")], ws, code=0)
    reply = edited(tmp_path / "us.docx", tmp_path / "reply.docx", REPLY)
    r = run(["diff", "phased-agreement@us", str(reply)], ws, code=1)
    assert f"positions: 3 differ (0 variables, 3 clause parameters), read from {reply} " \
           "(our clauses with other values)\n" in r.output
    assert f"\n  {FREEZE}\n" in r.output
    back = run(["diff", str(reply), "phased-agreement@us"], ws, code=1).output
    assert "    days: 60 -> 45 days (-15)  [4.1]\n" in back
    # a file with none of our ids (Markdown) has no positions section, as before
    text = run(["show", "phased-agreement@us"], ws, code=0).output
    (tmp_path / "reply.md").write_text(text.replace("forty-five (45)", "sixty (60)"))
    r = run(["diff", "phased-agreement@us", str(tmp_path / "reply.md")], ws, code=1)
    assert "positions:" not in r.output
