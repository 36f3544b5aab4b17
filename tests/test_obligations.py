"""Obligations: rows for every Article of the shipped example, a counted and hand-checked
sample of the Paris Agreement, the grammar rules one by one, every output format."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, need_corpus
from obligation_samples import (
    PARIS_SAMPLE,
    PARIS_V4,
    WTO,
    WTO_SAMPLE,
    by_label,
    by_sentence,
    precision,
)

from drafting.cli import main
from drafting.inputs import open_source, read_document
from drafting.model import ARTICLE_LEVEL, HEADING, NUMBERED, PARAGRAPH, Block, Document
from drafting.negotiate.obligations import extract, parse_number, sides_of


def run(args, cwd: Path = ROOT):
    return CliRunner().invoke(main, ["-C", str(cwd), *args], catch_exceptions=False,
                              env={"NO_COLOR": "1"})


def rows_of(*sentences: str):
    blocks = [Block(HEADING, ARTICLE_LEVEL, "a", "Article 1", "Test", None, None)]
    blocks += [Block(PARAGRAPH, NUMBERED, f"a#p{n}", f"1.{n}", s, None, None)
               for n, s in enumerate(sentences, 1)]
    return extract(Document("T", tuple(blocks)))


# Every row of the United States' round-2 draft (r3): label | bearer | modality | limit.
# Reviewed by hand against the text; "-" is an obligation in the passive with no agent.
US_R3 = """\
2.2|The Parties|shall|
2.3|Each Party|shall|
2.3|The first measure|shall|
3.1|Each Party|shall|
3.1|Each Party|shall|
3.2|A Party|shall|
3.2|A Party|shall|
4.1|The DPRK|shall|
4.1|The Freeze|shall|45 days
4.3|The DPRK|shall not|
4.3|The DPRK|shall not|
4.4|The DPRK|shall not|
4.4|The DPRK|shall not|
4.5|The DPRK|may|
4.5|The Agency|shall|
5.1|The DPRK|shall not|
5.1|The DPRK|shall|
5.2|The DPRK|shall not|
5.3|The DPRK|shall|90 days
6.1|The DPRK|shall|90 days
6.2|The Declaration|shall|
6.2|The Declaration|shall|
6.3|The Agency|may|
6.3|The DPRK|shall|30 days
6.3|The DPRK|shall|30 days
6.4|The Joint Commission|shall|
7.1|The DPRK|shall|
7.1|The DPRK|shall|21 days
7.2|The DPRK|shall not|
7.2|The DPRK|shall|
7.2|The Agency|may|
7.3|The Inspectors|shall|
7.3|-|shall|24 hours
7.4|The DPRK|shall|
8.1|The DPRK|shall|
8.2|The DPRK|shall|
8.2|The DPRK|shall not|
8.3|The DPRK|shall not|
8.3|The DPRK|shall|
8.3|The DPRK|shall|48 hours
8.4|The Agency|may|
8.4|The Joint Commission|shall|
9.1|The Parties|shall|
9.2|The Parties|shall|30 days
9.3|The Parties|shall|90 days
9.4|The Parties|shall|
10.2|The United States|shall|
10.2|The United States|shall not|
10.3|The United States|shall|20 days
10.4|The United States|shall|
11.1|The United States|shall not|
11.2|The Parties|shall|
11.2|The Parties|shall not|
11.2|The DPRK|shall not|
11.3|Each Party|shall|
11.3|The Parties|shall|
11.4|The Parties|shall|60 days
12.1|Each Party|shall|90 days
12.1|The Liaison Office of the United States|shall|
12.2|Each Party|shall|
12.3|The staff of each Liaison Office|shall not|
12.3|Each Party|shall|
12.4|The Parties|shall|
13.1|The Parties|shall|
13.1|The Parties|shall not|
13.2|The Parties|shall|
13.2|The first of joint recovery operations|shall|
13.2|The Parties|shall|
13.3|The DPRK|shall|
13.3|The DPRK|shall|
13.3|The United States|shall|
13.4|-|shall|
14.1|The DPRK|shall|
14.1|The DPRK|shall|
14.2|Dismantlement|shall|
14.2|The Agency|shall|
14.3|-|shall|120 days
14.3|The DPRK|shall|
14.4|-|shall|270 days
14.4|The DPRK|shall|
14.5|-|shall|540 days
14.5|The DPRK|shall|
14.5|The DPRK|shall|
14.6|The DPRK|shall|
14.6|The United States|may|
15.1|The DPRK|shall|270 days
15.2|The DPRK|shall|
15.2|The Agency|shall|
15.3|The United States|shall|
16.1|The DPRK|shall|270 days
16.2|The DPRK|shall|
16.2|The DPRK|shall|
16.3|The United States|shall|
17.1|The DPRK|shall not|
17.1|The DPRK|shall not|
17.2|The DPRK|shall|
17.2|The DPRK|may|
18.1|Relief from sanctions under this Agreement|shall|
18.1|The Resolutions|shall|
18.2|The United States|shall|
18.2|The United States|shall not|
18.3|Each measure of relief|shall|
18.3|The Parties|shall|
19.1|The United States|shall|30 days
19.2|The exemptions|shall|
19.2|The exemptions|shall not|
19.3|The United States|shall|
19.3|The United States|shall|
20.1|The United States|shall|60 days
20.2|The United States|shall|
20.2|The United States|shall|
20.3|The United States|shall not|
21.1|The United States|shall|30 days
21.2|The Parties|shall|
21.2|The Parties|may|
22.1|A failure by a Party to carry out a commitment under this Agreement|shall|
22.2|The United States|may|15 days
22.2|The United States|may|
22.3|Reimposition|shall not|180 days
22.4|The DPRK|may|
23.1|The Parties|shall|
23.1|The Parties|shall|
23.2|The DPRK|shall|
23.2|The first of reunions|shall|90 days
23.2|The Parties|shall|
24.1|The Parties|shall|
24.1|-|shall|180 days
24.2|-|shall|
24.3|The Parties|shall|
24.3|The Parties|may|
24.4|The Parties|shall|
24.4|The Parties|shall|
25.1|The Joint Commission|shall|30 days
25.1|The Joint Commission|shall|
25.2|The Joint Commission|shall|
25.2|Representatives of the Agency|may|
25.3|The Joint Commission|shall|7 days
25.4|The Joint Commission|shall|
25.4|-|shall|
25.5|The Joint Commission|shall|
26.1|The Joint Commission|shall|
26.1|Each of the following working groups|shall|
26.2|The Joint Commission|may|
26.2|The Joint Commission|may|
26.2|Each working group|shall|
26.2|Each working group|shall|
27.1|Either Party|may|
27.1|The Parties|shall|7 days
27.1|The Parties|shall|30 days
27.2|Either Party|may|
27.2|The Joint Commission|shall|30 days
27.3|Either Party|may|15 days
27.3|The Secretary-General|shall|30 days
27.4|Each Party|shall|
28.1|Nothing in this Agreement|shall|
28.2|Nothing in this Agreement|shall|
29.1|The Parties|may|
29.1|An amendment|shall|
29.2|The Joint Commission|may|
29.2|Such a decision|shall not|
30.1|This Agreement|shall|
30.2|The Parties|shall|
31.1|This Agreement|shall|
31.2|Either Party|may|
31.2|Either Party|shall|
31.3|The Party concerned|shall|
Article 32|The Joint Commission|shall|
"""


def _line(r) -> str:
    t = r.time_limit
    limit = f"{t.amount} {t.unit}" if t and t.amount is not None else ""
    return f"{r.label}|{r.bearer or '-'}|{r.modality}|{limit}"


def test_every_article_of_the_shipped_example():
    document = open_source("phased-agreement@r3", ROOT).document
    rows = extract(document)
    assert [_line(r) for r in rows] == US_R3.splitlines()
    articles = {b.label for b in document.blocks if b.is_heading and b.level == ARTICLE_LEVEL}
    with_rows = {r.article for r in rows}
    # every Article binds someone, except the definitions (Article 1)
    assert articles - with_rows == {"Article 1"}


def test_time_limits_events_and_conditions_in_the_example():
    rows = extract(open_source("phased-agreement@r3", ROOT).document)
    freeze = next(r for r in rows if r.label == "4.1" and r.time_limit)
    assert freeze.bearer == "The Freeze" and freeze.action == "be complete"
    assert freeze.time_limit.text == ("within forty-five (45) days after the date of entry into "
                                      "force of this Agreement")
    assert freeze.time_limit.days == 45
    assert freeze.time_limit.event == "the date of entry into force of this Agreement"
    assert freeze.phase == "Phase One: Freeze and Verification"
    report = next(r for r in rows if r.label == "19.1")
    assert report.bearer == "The United States" and report.time_limit.days == 30
    assert report.conditions[0].startswith("after the issuance of the Verification Report")
    snap = next(r for r in rows if r.label == "22.2")
    assert snap.bearer == "The United States" and snap.modality == "may"
    assert snap.conditions[0].startswith("If the United States considers that the DPRK is in "
                                         "Significant Non-Performance")
    assert next(r for r in rows if r.label == "24.3").time_limit.event == "31 December 2028"


def test_paris_shall_count_matches_grep():
    path = need_corpus(*PARIS_V4)
    # counted independently: every "shall" as a word, less the definitions' "shall mean"
    shall = int(subprocess.run(f"grep -ow shall '{path}' | wc -l", shell=True, check=True,
                               capture_output=True, text=True).stdout)
    defining = int(subprocess.run(f"grep -o 'shall mean' '{path}' | wc -l", shell=True,
                                  check=True, capture_output=True, text=True).stdout)
    shall_not = int(subprocess.run(f"grep -ow 'shall not' '{path}' | wc -l", shell=True,
                                   check=True, capture_output=True, text=True).stdout)
    rows = extract(read_document(path))
    modalities = Counter(r.modality for r in rows)
    assert modalities["shall"] + modalities["shall not"] == shall - defining == 116
    assert modalities["shall not"] == shall_not == 4


def test_paris_hand_checked_sample():
    rows = extract(read_document(need_corpus(*PARIS_V4)))
    bearers, modalities, n, misses = precision(PARIS_SAMPLE, by_label(rows))
    assert n == 40 and modalities == 40
    assert misses == ["('Article 16, 8.', 1): bearer None, by hand 'The United Nations and its "
                      "specialized agencies and the International Atomic Energy Agency'"]
    assert bearers == 39


def test_wto_hand_checked_sample():
    rows = extract(read_document(need_corpus(*WTO)))
    bearers, modalities, n, misses = precision(WTO_SAMPLE, by_sentence(rows))
    assert n == 30 and modalities == 30
    assert bearers >= 26, misses  # 26 of 30: the misses are listed by the bench


@pytest.mark.parametrize(("sentence", "bearer", "modality", "passive"), [
    ("Inspections shall be permitted at every site.", None, "shall", True),
    ("The Freeze shall be verified by the Agency.", "The Agency", "shall", True),
    ("Each Party undertakes to notify the other.", "Each Party", "undertakes to", False),
    ("The Parties agree not to raise tariffs.", "The Parties", "agrees not to", False),
    ("The DPRK must not export fissile material.", "The DPRK", "must not", False),
    ("Within thirty (30) days, the Agency shall report.", "The Agency", "shall", False),
    ("If the United States considers it necessary, it may request consultations.",
     "The United States", "may", False),
    ("Any Party that withdraws shall be considered as having withdrawn.", "Any Party",
     "shall", False),
    ("Either Party may refer it to the Joint Commission, which shall consider it.",
     "Either Party", "may", False),
])
def test_grammar_rules(sentence, bearer, modality, passive):
    row = rows_of(sentence)[0]
    assert (row.bearer, row.modality, row.passive) == (bearer, modality, passive)


def test_second_modal_keeps_or_changes_its_subject():
    rows = rows_of("Either Party may refer it to the Joint Commission, which shall consider it "
                   "within thirty (30) days of the referral. The DPRK shall act and shall "
                   "report, and the Agency shall verify.")
    assert [(r.bearer, r.modality) for r in rows] == [
        ("Either Party", "may"), ("The Joint Commission", "shall"), ("The DPRK", "shall"),
        ("The DPRK", "shall"), ("The Agency", "shall")]
    assert rows[1].time_limit.days == 30 and rows[1].time_limit.event == "the referral"


def test_not_obligations():
    assert rows_of('"Freeze" shall mean the cessation of production.') == []
    assert rows_of("The meeting shall begin no later than 1 May 2026.")[0].modality == "shall"
    assert len(rows_of("The meeting shall begin no later than 1 May 2026.")) == 1
    assert rows_of("Costs are borne as the case may be.") == []
    assert rows_of("Parties aim to peak emissions, recognizing that peaking will take "
                   "longer.") == []


@pytest.mark.parametrize(("text", "value"), [
    ("sixty (60)", 60), ("ninety", 90), ("one hundred and eighty", 180), ("45", 45),
    ("twenty-one", 21), ("two thousand and five", 2005), ("several", None)])
def test_number_words(text, value):
    assert parse_number(text) == value


def test_sides_named_by_bearers():
    sides = {"us": "United States of America", "dprk": "Democratic People's Republic of Korea"}
    assert sides_of("The United States", sides) == ["us"]
    assert sides_of("The DPRK", sides) == ["dprk"]
    assert sides_of("Each Party", sides) == ["us", "dprk"]
    assert sides_of("The Parties", sides) == ["us", "dprk"]
    assert sides_of("The Agency", sides) == []
    assert sides_of(None, sides) == []


def test_cli_formats(tmp_path):
    r = run(["obligations", "phased-agreement@r3"])
    assert r.exit_code == 0
    assert r.output.splitlines()[0] == (
        "phased-agreement@r3, r3 c43f304864: 167 obligations: 125 shall, 22 shall not, "
        "20 may; 34 with a time limit; 8 with no named bearer")
    r = run(["obligations", "phased-agreement@r3", "--by-phase"])
    assert "== Phase One: Freeze and Verification: 65 obligations: 46 shall, 15 shall not, " \
           "4 may; 14 with a time limit; 2 with no named bearer" in r.output
    data = json.loads(run(["obligations", "phased-agreement@r3", "--json", "--by-phase"]).output)
    assert [p["phase"] for p in data["phases"]] == [
        "General Provisions", "Phase One: Freeze and Verification",
        "Phase Two: Dismantlement and Normalisation", "Institutional and Final Provisions"]
    table = list(csv.DictReader(io.StringIO(run(["obligations", "phased-agreement@r3",
                                                 "--csv"]).output)))
    assert len(table) == 167
    freeze = next(t for t in table if t["label"] == "4.1" and t["days"])
    assert (freeze["bearer"], freeze["days"], freeze["event"]) == (
        "The Freeze", "45", "the date of entry into force of this Agreement")
    html = tmp_path / "ob.html"
    assert run(["obligations", "phased-agreement@r3", "-o", str(html)]).exit_code == 0
    page = html.read_text()
    assert page.count("<tr") == 168 and "<td class=\"bearer\">The DPRK</td>" in page
    out = tmp_path / "ob.docx"
    assert run(["obligations", "phased-agreement@r3", "-o", str(out), "--by-phase"]
               ).exit_code == 0
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert xml.count("<w:tbl>") == 4 and "w:orient=\"landscape\"" in xml
    assert "The Freeze" in xml and "within 45 days after the date of entry into force" in xml
    again = tmp_path / "again.docx"
    run(["obligations", "phased-agreement@r3", "-o", str(again), "--by-phase"])
    assert again.read_bytes() == out.read_bytes()


def test_cli_refuses_contradictions(tmp_path):
    r = CliRunner().invoke(main, ["-C", str(ROOT), "obligations", "phased-agreement@r3",
                                  "--json", "--csv"])
    assert r.exit_code == 2 and "contradicts" in r.stderr
