"""Joint texts of more than two parties: grouping of wordings, blocks some parties lack,
changes against a base, and the properties that must hold for 2 to 6 drafts."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
