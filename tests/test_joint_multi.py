"""Joint texts of more than two parties: grouping of wordings, blocks some parties lack,
changes against a base, and the properties that must hold for 2 to 6 drafts."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from drafting.model import Block, Document
from drafting.negotiate.joint import JointText, build
from drafting.readers.markdown import read_text
from drafting.writers.joint import SIDE_COLOURS, render_html, render_markdown

PARTIES = ("us", "rok", "dprk", "chn", "rus", "jpn")


def article(days: str, tail: str = "", modal: str = "shall", second: bool = True) -> Document:
    text = (f"## Article 1\n\nThe Parties {modal} meet within {days} days after entry into "
            f"force{tail}.\n\nThe Commission shall report annually.\n")
    if second:
        text += "\n## Article 2\n\nEach Party shall designate a liaison officer.\n"
    return read_text(text)


def five(base: Document | None = None) -> JointText:
    return build([("us", "US", article("thirty (30)")),
                  ("rok", "ROK", article("thirty (30)", second=False)),
                  ("dprk", "DPRK", article("ninety (90)", " of this Agreement")),
                  ("chn", "China", article("sixty (60)", modal="may")),
                  ("rus", "Russia", article("sixty (60)"))], base)


def body(md: str) -> list[str]:
    return [line for line in md.splitlines() if line and not line.startswith((">", "# "))]


def test_each_wording_once_labelled_with_every_party_proposing_it():
    md = render_markdown(five(), PARTIES[:5])
    assert body(md)[1] == (
        "The Parties [US, ROK, DPRK, RUS: shall][CHN: may] meet within [US, ROK: thirty "
        "(30)][DPRK: ninety (90)][CHN, RUS: sixty (60)] days after entry into force[US, ROK, "
        "CHN, RUS: —][DPRK: of this Agreement].")
    assert body(md)[2] == "The Commission shall report annually."
    # ROK has no Article 2: the block is bracketed whole, ROK standing for "—"
    assert body(md)[4] == "[US, DPRK, CHN, RUS: Each Party shall designate a liaison " \
        "officer.][ROK: —]"
    assert "> 5 places where the texts differ; each wording appears once, labelled with " \
        "every party proposing it ([US, ROK: ...][DPRK: ...]); — means those parties " \
        "propose no text there." in md
    assert "> Standing alone (a wording no other party proposes): US 0, ROK 2, DPRK 2, " \
        "CHN 1, RUS 0." in md


def test_alone_counts_and_open_points():
    joint = five()
    assert joint.differences() == 5
    assert joint.alone() == {"us": 0, "rok": 2, "dprk": 2, "chn": 1, "rus": 0}


def test_against_a_base_each_difference_says_who_changed_it_and_whether_they_agree():
    base = article("[thirty (30)][sixty (60)]")
    md = render_markdown(five(base), PARTIES[:5], "base")
    lines = body(md)
    assert "[US, ROK, DPRK, RUS: shall][CHN: may] {>>REOPENS AGREED TEXT: changed by CHN<<}" \
        in lines[1]
    # the numbers stood in brackets: changing them reopens nothing
    assert "[US, ROK: thirty (30)][DPRK: ninety (90)][CHN, RUS: sixty (60)] {>>changed by " \
        "all, differently (US, ROK; CHN, RUS alike)<<} days" in lines[1]
    assert lines[4] == "[US, DPRK, CHN, RUS: Each Party shall designate a liaison officer.]" \
        "[ROK: —] {>>REOPENS AGREED TEXT: changed by ROK<<}"
    assert "> Since the base: 4 changed by one party only (US 0, ROK 2, DPRK 1, CHN 1, " \
        "RUS 0), 0 by several alike, 1 by several differently." in md
    assert "> WARNING: 3 changes reopen text agreed in the base" in md


def test_several_parties_changing_the_base_alike():
    base = article("thirty (30)")
    drafts = [(k, k.upper(), article("ninety (90)" if k in ("dprk", "chn") else "thirty (30)"))
              for k in PARTIES[:4]]
    md = render_markdown(build(drafts, base), PARTIES[:4], "base")
    assert "within [US, ROK: thirty (30)][DPRK, CHN: ninety (90)] {>>REOPENS AGREED TEXT: " \
        "changed by DPRK, CHN alike<<} days" in md
    assert "0 by several differently" in md and "1 by several alike" in md


def test_a_block_only_some_parties_have_keeps_their_differences_inside():
    a = article("thirty (30)")
    extra = lambda n: read_text(  # noqa: E731
        "## Article 1\n\nThe Parties shall meet within thirty (30) days after entry into "
        f"force.\n\nThe Commission shall report annually.\n\nEach Party may send {n} "
        "observers.\n\n## Article 2\n\nEach Party shall designate a liaison officer.\n")
    joint = build([("us", "US", a), ("rok", "ROK", extra("two")), ("dprk", "DPRK", extra("two")),
                   ("chn", "CHN", extra("three"))], lead="us")
    lines = body(render_markdown(joint, PARTIES[:4]))
    assert "[US: —][ROK, DPRK, CHN: Each Party may send [ROK, DPRK: two][CHN: three] " \
        "observers.]" in lines
    for key, doc in (("us", a), ("rok", extra("two")), ("chn", extra("three"))):
        assert joint.choose(key) == doc


def test_six_parties_six_colours_in_html():
    drafts = [(k, k.upper(), article(f"{n + 1} ({n + 1})")) for n, k in enumerate(PARTIES)]
    page = render_html(build(drafts), PARTIES)
    for n, colour in enumerate(SIDE_COLOURS):
        assert f".side{n} {{ color: {colour}; }}" in page
        assert f'<span class="side{n}">[<b>{PARTIES[n].upper()}:</b> {n + 1} ({n + 1})]' \
            "</span>" in page
    assert len(set(SIDE_COLOURS)) == 6


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _lab(colour: str) -> tuple[float, float, float]:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    xyz = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, \
        0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def test_party_colours_are_distinguishable_and_legible_in_greyscale():
    for colour in SIDE_COLOURS:  # WCAG contrast with white paper, which a grey print keeps
        assert 1.05 / (_luminance(colour) + 0.05) >= 6
    labs = [_lab(c) for c in SIDE_COLOURS]
    for i in range(len(labs)):
        for j in range(i + 1, len(labs)):
            distance = sum((x - y) ** 2 for x, y in zip(labs[i], labs[j], strict=True)) ** 0.5
            assert distance >= 25, (SIDE_COLOURS[i], SIDE_COLOURS[j], distance)


def test_build_refuses_fewer_than_two_drafts_and_repeated_parties():
    with pytest.raises(ValueError, match="two or more"):
        build([("us", "US", article("1"))])
    with pytest.raises(ValueError, match="named twice"):
        build([("us", "US", article("1")), ("us", "US", article("2"))])


# -- properties, 2 to 6 drafts --------------------------------------------------------------

WORDS = ["The", "Parties", "shall", "may", "within", "thirty", "(30)", "90", "days",
         "notify", "each", "other", "Article", "(a)", ",", ";", "."]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)


def _document(articles: list[list[str]]) -> Document:
    blocks = []
    for n, paragraphs in enumerate(articles, 1):
        blocks.append(Block("heading", 2, f"art{n}", f"Article {n}", f"Title {n}"))
        blocks += [Block("paragraph", 1, f"art{n}#p{k}", f"{n}.{k}", text)
                   for k, text in enumerate(paragraphs, 1)]
    return Document("T", tuple(blocks))


@st.composite
def negotiation(draw: st.DrawFn, parties: int | None = None) -> list[Document]:
    """A common text and each party's draft of it: paragraphs kept, reworded word by word,
    dropped or added; Articles dropped."""
    count = parties or draw(st.integers(2, 6))
    common = draw(st.lists(st.lists(sentence, min_size=1, max_size=3), min_size=1,
                           max_size=3))
    drafts = []
    for _ in range(count):
        articles = []
        for paragraphs in common:
            if len(common) > 1 and draw(st.integers(0, 9)) == 0:
                continue  # this party drops the Article
            kept = []
            for text in paragraphs:
                action = draw(st.sampled_from(["keep", "keep", "edit", "drop", "add"]))
                if action == "edit":
                    words = text.split(" ")
                    at = draw(st.integers(0, len(words) - 1))
                    words[at] = draw(st.sampled_from(WORDS))
                    text = " ".join(words)
                if action != "drop":
                    kept.append(text)
                if action == "add":
                    kept.append(draw(sentence))
            articles.append(kept or [paragraphs[0]])
        drafts.append(_document(articles))
    return drafts


def _joint(drafts: list[Document], order: list[int], lead: int) -> JointText:
    return build([(PARTIES[n], PARTIES[n].upper(), drafts[n]) for n in order],
                 lead=PARTIES[lead])


def _shape(joint: JointText) -> list[object]:
    """The joint text with the order of labels taken out: per block, who has it and its
    segments, each difference as a set of (parties, wording)."""
    return [(frozenset(b.versions), b.lead,
             [(s.text, frozenset((frozenset(m), t) for m, t in s.groups()))
              for s in b.segments]) for b in joint.blocks]


@settings(max_examples=120, deadline=None)
@given(st.integers(2, 6), negotiation(parties=1))
def test_identical_drafts_give_no_brackets(count, drafts):
    joint = _joint(drafts * count, list(range(count)), count - 1)
    assert joint.differences() == 0
    assert not any("[" in line for line in body(render_markdown(joint, PARTIES[:count])))


@settings(max_examples=200, deadline=None)
@given(negotiation())
def test_choosing_every_alternative_of_one_party_gives_back_its_draft(drafts):
    joint = _joint(drafts, list(range(len(drafts))), len(drafts) - 1)
    for n, draft in enumerate(drafts):
        assert joint.choose(PARTIES[n]) == draft


@settings(max_examples=150, deadline=None)
@given(negotiation(), negotiation(parties=1))
def test_with_a_base_choosing_still_gives_back_each_draft(drafts, base):
    joint = build([(PARTIES[n], PARTIES[n], d) for n, d in enumerate(drafts)], base[0])
    for n, draft in enumerate(drafts):
        assert joint.choose(PARTIES[n]) == draft


@settings(max_examples=150, deadline=None)
@given(negotiation(), st.randoms(use_true_random=False))
def test_the_joint_text_does_not_depend_on_the_order_of_the_drafts(drafts, rnd: random.Random):
    lead = rnd.randrange(len(drafts))
    order = list(range(len(drafts)))
    shuffled = order[:]
    rnd.shuffle(shuffled)
    assert _shape(_joint(drafts, shuffled, lead)) == _shape(_joint(drafts, order, lead))


# -- the multilateral example through the command line --------------------------------------

TALKS = [f"talks@{side}" for side in ("chn", "dprk", "jpn", "rok", "rus", "us")]


def draft(*args: str):
    from click.testing import CliRunner

    from drafting.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def talks(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("multi") / "talks"
    r = draft("init", "--example", "multilateral", str(target))
    assert r.exit_code == 0
    assert r.output.splitlines() == [
        f"created workspace {target} (28 files, with a .gitignore for caches and locks)",
        "next:", f"  cd {target}",
        "  draft joint talks  # the joint text of every party's latest draft",
        "  draft progress talks  # open points round by round",
        "  git init && git add . && git commit -m 'Start'  # share it with your delegation"]
    return target


def test_the_example_has_six_parties_and_two_recorded_rounds(talks):
    assert draft("-C", str(talks), "verify", "talks").output == \
        "talks: 11 revisions verified, none altered\n"
    for side in ("chn", "dprk", "jpn", "rok", "rus", "us"):  # positions are the latest round
        r = draft("-C", str(talks), "build", "talks", "--side", side)
        assert r.exit_code == 0 and r.output.startswith("unchanged, same as talks@r"), r.output
    assert draft("-C", str(talks), "check", "talks").output == \
        "talks: 0 errors, 0 warnings, 0 notes\n"


def test_joint_of_six_drafts_from_the_command_line(talks):
    scrambled = [TALKS[n] for n in (4, 1, 5, 0, 3, 2)]
    r = draft("-C", str(talks), "joint", *scrambled)
    assert r.exit_code == 0
    assert r.output == draft("-C", str(talks), "joint", "talks").output  # all latest drafts
    lines = r.output.splitlines()
    assert lines[2].startswith("> Joint negotiating text of People's Republic of China "
                               "(talks@chn, r1 ")  # the agreement's order, not the given one
    assert "> 8 places where the texts differ; each wording appears once" in r.output
    assert "> Standing alone (a wording no other party proposes): CHN 0, DPRK 4, JPN 4, " \
        "ROK 0, RUS 0, US 1." in lines
    assert "1.2 The DPRK shall submit a complete and correct declaration of all its nuclear " \
        "programmes (the \"Declaration\") within [CHN, ROK, RUS: ninety (90)][DPRK: one " \
        "hundred and twenty (120)][JPN, US: sixty (60)] days after the entry into force of " \
        "this Agreement." in lines
    assert "### Article 4 — [CHN, DPRK, ROK, RUS, US: Light-Water Reactor][JPN: —]" in lines
    assert "> Numbers follow United States of America's draft; Articles and paragraphs " \
        "numbered differently: JPN 10." in lines


def test_numbering_follows_the_party_asked_for(talks):
    r = draft("-C", str(talks), "joint", "talks", "--numbering", "JPN")
    assert "> Numbers follow Japan's draft; Articles and paragraphs numbered differently: " \
        "CHN 10, DPRK 10, ROK 10, RUS 10, US 10." in r.output
    assert "### Article 5 — Normalization of Relations" not in r.output
    r = draft("-C", str(talks), "joint", "talks", "--numbering", "fra")
    assert r.exit_code == 2
    assert "draft: error: --numbering fra: not one of the parties (chn, dprk, jpn, rok, rus, " \
        "us)" in r.output


def test_joint_with_a_base_of_six(talks):
    r = draft("-C", str(talks), "joint", "talks", "--base", "talks@r1")
    assert "> Since the base: 4 changed by one party only (CHN 0, DPRK 1, JPN 3, ROK 0, " \
        "RUS 0, US 0), 1 by several alike, 3 by several differently." in r.output
    assert "2.2 The verifiers shall have access to [CHN, DPRK, ROK, RUS: the declared " \
        "facilities][JPN, US: all declared facilities and to other sites] {>>REOPENS AGREED " \
        "TEXT: changed by JPN, US alike<<} as agreed by the Parties." in r.output


def test_joint_needs_two_drafts_and_at_most_26(talks, tmp_path):
    r = draft("-C", str(talks), "joint", "talks@us")
    assert r.exit_code == 2
    assert "draft: error: a joint text needs two or more drafts" in r.output
    files = []
    for n in range(27):
        path = tmp_path / f"p{n:02d}.md"
        path.write_text(f"## Article 1\n\nThe Parties shall meet within {n} days.\n")
        files.append(str(path))
    r = draft("joint", *files[:26])
    assert r.exit_code == 0
    assert "within [P00: 0][P01: 1]" in r.output and "[P25: 25] days." in r.output
    r = draft("joint", *files)
    assert r.exit_code == 2
    assert "draft: error: too many drafts for one joint text: 27 (at most 26)" in r.output


def test_an_agreement_alone_with_fewer_than_two_sides_built(tmp_path):
    ws = tmp_path / "ws"
    assert draft("init", str(ws)).exit_code == 0
    assert draft("-C", str(ws), "build", "treaty", "--side", "north").exit_code == 0
    r = draft("-C", str(ws), "joint", "treaty")
    assert r.exit_code == 2
    assert "draft: error: a joint text needs two or more drafts; treaty has drafts of 1 " \
        "side" in r.output


def test_progress_among_six_parties(talks, tmp_path):
    r = draft("-C", str(talks), "progress", "talks")
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0].split() == ["rev", "id", "side", "date", "(UTC)", "brackets",
                                "alternatives", "unbalanced", "drafts", "open", "points"]
    rows = [line.split() for line in lines[1:12]]
    assert [row[-2] for row in rows] == ["1/6", "2/6", "3/6", "4/6", "5/6", *["6/6"] * 6]
    assert [row[-1] for row in rows] == ["-", "12", "16", "17", "17", "16", "12", "14", "14",
                                         "12", "8"]
    at = lines.index("where each party stands alone (a wording no other party proposes), "
                     "after each revision:")
    assert lines[at + 1].split() == ["rev", "side", "CHN", "DPRK", "JPN", "ROK", "RUS", "US"]
    assert lines[at + 2].split() == ["r1", "chn", "-", "-", "-", "-", "-", "-"]
    assert lines[at + 12].split() == ["r11", "us", "0", "4", "4", "0", "0", "1"]
    assert "r1 chn   (fewer than two parties have a draft yet)" in lines
    data = json.loads(draft("-C", str(talks), "progress", "talks", "--json").output)
    assert data[-1]["parties"] == 6 and data[-1]["open_points"] == 8
    assert data[-1]["alone"] == {"chn": 0, "dprk": 4, "jpn": 4, "rok": 0, "rus": 0, "us": 1}
    svg = tmp_path / "p.svg"
    assert draft("-C", str(talks), "progress", "talks", "-o", str(svg)).exit_code == 0
    root = etree.parse(str(svg)).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f".//{ns}polyline")) == 8  # open points, brackets, six parties
    legend = [t.text for t in root.iter(f"{ns}text")]
    assert "DPRK alone" in legend and "open points among the parties" in legend
    colours = {p.get("stroke") for p in root.iter(f"{ns}polyline")}
    assert set(SIDE_COLOURS) <= colours


def test_joint_html_of_six(talks, tmp_path):
    from test_diff_cli import _Collector

    out = tmp_path / "talks.html"
    assert draft("-C", str(talks), "joint", "talks", "-o", str(out)).exit_code == 0
    page = out.read_text()
    parser = _Collector()
    parser.feed(page)
    assert parser.stack == [] and parser.external == []
    assert '<span class="group">[<b><span class="side0">CHN</span>, <span class="side3">ROK' \
        '</span>, <span class="side4">RUS</span>:</b> ninety (90)]</span>' in page
    assert '<span class="side1">[<b>DPRK:</b> one hundred and twenty (120)]</span>' in page


def _tag_colours(docx: Path) -> dict[str, set[str]]:
    with zipfile.ZipFile(docx) as z:
        xml = etree.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    found: dict[str, set[str]] = {}
    for run in xml.iter(f"{w}r"):
        text = "".join(t.text or "" for t in run.iter(f"{w}t")).strip(" ,:")
        colour = run.find(f"{w}rPr/{w}color")
        bold = run.find(f"{w}rPr/{w}b")
        if bold is not None and colour is not None and text.isupper():
            found.setdefault(text, set()).add(colour.get(f"{w}val"))
    return found


def test_joint_word_file_of_six_colours_each_party(talks, tmp_path):
    out = tmp_path / "talks.docx"
    assert draft("-C", str(talks), "joint", "talks", "-o", str(out)).exit_code == 0
    expected = {tag: {SIDE_COLOURS[n].lstrip("#")} for n, tag in
                enumerate(("CHN", "DPRK", "JPN", "ROK", "RUS", "US"))}
    assert _tag_colours(out) == expected


@pytest.mark.office
def test_joint_word_file_of_six_in_libreoffice(talks, tmp_path):
    from conftest import lo_probe

    out = tmp_path / "talks.docx"
    assert draft("-C", str(talks), "joint", "talks", "--base", "talks@r1", "-o",
                 str(out)).exit_code == 0
    (found,) = lo_probe("inspect", str(out))
    texts = [p["text"] for p in found["paragraphs"]]
    assert found["redlines"] == []
    assert "1.2\tThe DPRK shall submit a complete and correct declaration of all its nuclear " \
        "programmes (the \"Declaration\") within [CHN, ROK, RUS: ninety (90)][DPRK: one " \
        "hundred and twenty (120)][JPN, US: sixty (60)] (REOPENS AGREED TEXT: changed by " \
        "DPRK, JPN, US, differently (JPN, US alike)) days after the entry into force of this " \
        "Agreement." in texts


def test_joint_as_json_gives_back_every_party_draft(talks, tmp_path):
    out = tmp_path / "talks.json"
    assert draft("-C", str(talks), "joint", "talks", "--base", "talks@r1", "-o",
                 str(out)).exit_code == 0
    data = json.loads(out.read_text())
    assert [p["key"] for p in data["parties"]] == ["chn", "dprk", "jpn", "rok", "rus", "us"]
    assert data["lead"] == "us" and data["base"] == "talks@r1" and data["open_points"] == 8
    assert data["alone"] == {"chn": 0, "dprk": 4, "jpn": 4, "rok": 0, "rus": 0, "us": 1}
    from drafting.inputs import open_source

    for party in data["parties"]:
        key = party["key"]
        texts = []
        for block in data["blocks"]:
            if key not in block["parties"]:
                continue
            texts.append("".join(s["text"] if "text" in s else next(
                a["text"] for a in s["alternatives"] if key in a["parties"])
                for s in block["segments"]))
        document = open_source(f"talks@{key}", talks).document
        assert texts == [b.text for b in document.blocks]
    point = next(s for b in data["blocks"] if b["label"] == "1.2" for s in b["segments"]
                 if "alternatives" in s)
    assert point == {"alternatives": [
        {"parties": ["chn", "rok", "rus"], "text": "ninety (90)"},
        {"parties": ["dprk"], "text": "one hundred and twenty (120)"},
        {"parties": ["jpn", "us"], "text": "sixty (60)"}],
        "changed": ["dprk", "jpn", "us"], "alike": False, "reopened": True}


def test_progress_reuses_the_comparisons_of_drafts_that_did_not_change(monkeypatch):
    import drafting.negotiate.joint as joint_module
    from drafting.negotiate.progress import rounds

    history = [(1, "a", "us", "t1", article("thirty (30)")),
               (2, "b", "rok", "t2", article("sixty (60)")),
               (3, "c", "dprk", "t3", article("ninety (90)")),
               (4, "d", "rok", "t4", article("thirty (30)")),
               (5, "e", "us", "t5", article("ninety (90)", modal="may"))]
    sides = ("us", "rok", "dprk")
    calls = []
    real = joint_module.compare
    monkeypatch.setattr(joint_module, "compare", lambda a, b: calls.append(1) or real(a, b))
    found = rounds(history, sides)
    # r2: rok~us; r3: us~dprk, rok~dprk; r4: rok's new draft~dprk; r5: us's new draft~dprk
    assert len(calls) == 5
    fresh = [joint_module.build([(s, s, d) for s, d in latest]) for latest in (
        [("us", history[0][4]), ("rok", history[1][4])],
        [("us", history[0][4]), ("rok", history[1][4]), ("dprk", history[2][4])],
        [("us", history[0][4]), ("rok", history[3][4]), ("dprk", history[2][4])],
        [("us", history[4][4]), ("rok", history[3][4]), ("dprk", history[2][4])])]
    assert [r.open_points for r in found] == [None, *(j.differences() for j in fresh)]
    assert [r.alone for r in found[1:]] == [j.alone() for j in fresh]


def test_every_example_file_is_packaged():
    """An installed (not editable) copy must carry both examples: setup.cfg's globs."""
    import fnmatch

    from setuptools.config.setupcfg import read_configuration

    root = Path(__file__).resolve().parents[1]
    globs = read_configuration(root / "setup.cfg")["options"]["package_data"]["drafting.scaffold"]
    scaffold = root / "drafting" / "scaffold"
    files = [p.relative_to(scaffold).as_posix() for p in scaffold.rglob("*")
             if p.is_file() and p.parts[-2:] != ("scaffold", "__init__.py")
             and "__pycache__" not in p.parts]
    assert len([f for f in files if f.startswith("multilateral/")]) == 27
    for name in files:
        assert any(fnmatch.fnmatch(name, g) and name.count("/") == g.count("/")
                   for g in globs), name
