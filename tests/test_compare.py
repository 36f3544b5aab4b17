"""Document comparison: alignment by clause, moves, renumbering, stale references, and the
real Paris Agreement drafts."""

from __future__ import annotations

import itertools
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from drafting.compare import compare
from drafting.markup import parse_inline
from drafting.model import DELETE, EQUAL, INSERT, Block, Document
from drafting.readers.markdown import read_file, read_text
from drafting.writers import critic

LOREM = ("The Parties shall cooperate in good faith to implement the measures set out in "
         "this Agreement and shall keep each other informed of the progress made").split()


def para(seed: int, n: int = 14) -> str:
    words = [LOREM[(seed * 7 + k * 3) % len(LOREM)] for k in range(n)]
    return f"Clause {seed}: " + " ".join(words) + "."


def agreement(articles: list[tuple[str, list[str]]], refs: dict[str, str] | None = None
              ) -> Document:
    """Articles as (clause id, paragraph texts), numbered the way the assembler does."""
    blocks = []
    for n, (cid, paras) in enumerate(articles, 1):
        blocks.append(Block("heading", 2, cid, f"Article {n}", cid.title(), clause=cid))
        for k, text in enumerate(paras, 1):
            label = f"{n}.{k}" if len(paras) > 1 else ""
            blocks.append(Block("paragraph", 1, f"{cid}#p{k}", label, text, clause=cid))
    return Document("Test", tuple(blocks))


def test_identical_documents_have_no_changes():
    doc = agreement([("a", [para(1), para(2)]), ("b", [para(3)])])
    c = compare(doc, doc)
    assert not c.differs
    assert c.stats.words_inserted == c.stats.words_deleted == 0
    assert {b.status for b in c.blocks} == {"equal"}


def test_word_change_in_a_clause():
    old = agreement([("freeze", ["The DPRK shall freeze within 30 days."])])
    new = agreement([("freeze", ["The DPRK may freeze within 90 days."])])
    c = compare(old, new)
    changed = [b for b in c.blocks if b.status == "changed"]
    assert len(changed) == 1
    assert [(o.op, o.text, o.kind) for o in changed[0].ops if o.op != EQUAL] == [
        (DELETE, "shall", "modal"), (INSERT, "may", "modal"),
        (DELETE, "30", "number"), (INSERT, "90", "number")]
    assert (c.stats.words_inserted, c.stats.words_deleted) == (2, 2)


def test_inserted_article_is_reported_once_as_renumbering():
    arts = [(f"c{k}", [para(k), para(k + 50)]) for k in range(1, 13)]
    old = agreement(arts)
    new = agreement([*arts[:3], ("new", [para(99), para(98)]), *arts[3:]])
    c = compare(old, new)
    assert [r.text for r in c.renumberings] == ["Articles 4-12 renumbered 5-13"]
    assert c.stats.blocks_inserted == 3 and c.stats.blocks_changed == 0
    assert c.stats.renumbered == 9
    headings = [b for b in c.blocks if b.block.is_heading and b.status == "equal"]
    assert all(b.status == "equal" for b in headings)
    assert [b.status for b in c.blocks if b.status != "equal"] == ["inserted"] * 3


def test_alignment_by_clause_id_survives_heavy_rewording():
    old = agreement([("a", [para(1)]), ("relief", ["Sanctions relief shall be granted."]),
                     ("b", [para(2)])])
    new = agreement([("a", [para(1)]), ("relief", ["Waivers may be issued by the Party."]),
                     ("b", [para(2)])])
    c = compare(old, new)
    heading = next(b for b in c.blocks if b.block.id == "relief")
    assert heading.status == "equal" and heading.old.id == heading.new.id == "relief"
    assert c.stats.blocks_inserted == c.stats.blocks_deleted == 0


def test_moved_article_is_one_move_with_its_edits():
    arts = [(f"c{k}", [para(k), para(k + 50)]) for k in range(1, 7)]
    moved = ("c2", [para(2) + " Promptly.", para(52)])
    old = agreement(arts)
    new = agreement([arts[0], *arts[2:5], moved, arts[5]])
    c = compare(old, new)
    assert [(m.kind, m.from_label, m.to_label) for m in c.moves] == [
        ("article", "Article 2", "Article 5")]
    to = [b for b in c.blocks if b.role == "to"]
    away = [b for b in c.blocks if b.role == "from"]
    assert len(to) == len(away) == 3 and {b.move for b in to} == {"m1"}
    edits = [(o.op, o.text) for b in to for o in b.ops if o.op != EQUAL]
    assert edits == [(INSERT, " Promptly.")]
    assert c.stats.words_inserted == 1 and c.stats.words_deleted == 0
    assert [r.text for r in c.renumberings] == ["Articles 3-5 renumbered 2-4"]


def test_moved_sentence_of_eight_words_is_a_move():
    sentence = "Each Party shall notify the other of any change in writing."
    old = agreement([("a", [f"First provision here. {sentence}", para(5)]), ("b", [para(6)])])
    new = agreement([("a", ["First provision here.", para(5)]), ("b", [f"{para(6)} {sentence}"])])
    c = compare(old, new)
    words = [m for m in c.moves if m.kind == "words"]
    assert len(words) == 1 and words[0].words == 11
    assert (words[0].from_label, words[0].to_label) == ("1.1", "Article 2")
    moved = sentence.rstrip(".")
    tagged = [(o.op, o.text) for b in c.blocks for o in b.ops if o.move]
    assert tagged == [(DELETE, moved), (INSERT, moved)]
    assert c.stats.words_deleted == 0 and c.stats.words_inserted == 0


def test_short_runs_are_not_moves():
    old = agreement([("a", ["one two three four five six seven. Other words here."])])
    new = agreement([("a", ["Other words here. one two three four five six seven."])])
    assert not [m for m in compare(old, new).moves if m.kind == "words"]


def test_stale_cross_reference_is_flagged():
    old = read_text("## Article 1\n\nSee Article 2.\n\n## Article 2\n\nText two.\n\n"
                    "## Article 3\n\nText three.\n")
    new = read_text("## Article 1\n\nSee Article 2.\n\n## Article 2\n\nA new Article.\n\n"
                    "## Article 3\n\nText two.\n\n## Article 4\n\nText three.\n")
    c = compare(old, new)
    assert [s.message for s in c.stale_refs] == [
        "Article 1 still refers to Article 2, but that Article is now Article 3"]


def test_reference_that_followed_its_target_is_not_flagged():
    old = read_text("## Article 1\n\nSee Article 2.\n\n## Article 2\n\nText two.\n")
    new = read_text("## Article 1\n\nSee Article 3.\n\n## Article 2\n\nNew one.\n\n"
                    "## Article 3\n\nText two.\n")
    assert compare(old, new).stale_refs == ()


paragraphs = st.lists(st.integers(0, 40).map(para), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(paragraphs, min_size=1, max_size=5), st.lists(paragraphs, min_size=1,
                                                              max_size=5))
def test_the_change_model_rebuilds_both_texts(old_arts, new_arts):
    old = agreement([(f"c{k}", p) for k, p in enumerate(old_arts)])
    new = agreement([(f"c{k}", p) for k, p in enumerate(new_arts)])
    c = compare(old, new)
    assert c.new_document_text() == new.plain_text()
    assert c.old_document_text() == old.plain_text()
    assert not compare(old, old).differs


def test_paris_drafts_compare_and_round_trip(paris):
    docs = [read_file(p) for p in paris]
    assert len(docs) == 5
    for old, new in itertools.pairwise(docs):
        c = compare(old, new)
        assert c.new_document_text() == new.plain_text()
        assert c.old_document_text() == old.plain_text()
        assert c.differs


def test_paris_editorial_corrections_are_small_and_readable(paris):
    """v4 (adopted 12 Dec 2015) -> v5 (editorial corrections, 29 Jan 2016)."""
    c = compare(read_file(paris[3]), read_file(paris[4]))
    s = c.stats
    assert s.blocks_inserted == s.blocks_deleted == s.moves == 0
    assert s.words_inserted + s.words_deleted < 200
    assert not c.renumberings
    replacements = {(o.text, n.text) for b in c.blocks for o, n in zip(b.ops, b.ops[1:],
                                                                         strict=False)
                    if o.op == DELETE and n.op == INSERT}
    assert ("the Paris", "this") in replacements  # "the Paris Agreement" -> "this Agreement"
    assert ("percent", "per cent") in replacements
    assert ("Article", "Articles") in replacements


def test_a_reference_that_followed_its_renumbered_target_is_kind_reference():
    from drafting.model import Ref

    def draft(number: int) -> Document:
        text = f"As provided in Article {number}, the Parties shall meet within 30 days."
        ref = Ref(text.index("Article"), text.index(","), "relief")
        return Document("T", (Block("heading", 2, "relief", f"Article {number}", "Relief"),
                              Block("paragraph", 1, "x#p1", "", text, refs=(ref,))))

    old, new = draft(14), draft(18)
    new = Document("T", (new.blocks[0], Block(
        "paragraph", 1, "x#p1", "", new.blocks[1].text.replace("30", "60"),
        refs=new.blocks[1].refs)))
    kinds = [(o.op, o.text, o.kind) for b in compare(old, new).blocks for o in b.ops
             if o.op != EQUAL]
    assert kinds == [(DELETE, "14", "reference"), (INSERT, "18", "reference"),
                     (DELETE, "30", "number"), (INSERT, "60", "number")]


# -- CriticMarkup round trip: accept all gives the new text, reject all the old one --------

_CRITIC = re.compile(r"\{\+\+(.*?)\+\+\}|\{--(.*?)--\}|\{~~(.*?)~>(.*?)~~\}|\{>>.*?<<\}", re.S)


def _accept(text: str) -> str:
    return _CRITIC.sub(lambda m: m[1] or m[4] or "", text)


def _reject(text: str) -> str:
    return _CRITIC.sub(lambda m: m[2] or m[3] or "", text)


def _critic_bodies(c) -> list[str]:
    """The rendered text of each block with its label (and heading marks) taken off."""
    chunks = critic.render(c, "old", "new").removesuffix("\n").split("\n\n")[2:]
    assert len(chunks) == len(c.blocks)
    bodies = []
    for change, chunk in zip(c.blocks, chunks, strict=True):
        start = critic.prefix(change)
        assert chunk.startswith(start.rstrip())
        bodies.append(chunk[len(start):])
    return bodies


def assert_critic_round_trip(old: Document, new: Document) -> None:
    c = compare(old, new)
    bodies = _critic_bodies(c)
    # each body is Markdown: its text is what it reads as (inline marks and escapes aside)
    accepted = [parse_inline(_accept(b))[0] for change, b in zip(c.blocks, bodies, strict=True)
                if change.in_new]
    rejected = [parse_inline(_reject(b))[0] for change, b in zip(c.blocks, bodies, strict=True)
                if change.in_old]
    assert "\n".join(accepted) == new.plain_text()
    assert "\n".join(rejected) == old.plain_text()
    leftovers = [_accept(b) for change, b in zip(c.blocks, bodies, strict=True)
                 if not change.in_new] + [_reject(b) for change, b in zip(c.blocks, bodies,
                                                                          strict=True)
                                          if not change.in_old]
    assert not any(leftovers)  # a block on one side only leaves nothing on the other


@st.composite
def pairs_with_moves(draw):
    """Articles of distinct paragraphs; the new side moves some paragraphs (edited or not)
    to other Articles, moves a whole Article, deletes and inserts a few."""
    seeds = iter(range(1, 1000))
    old = [[para(next(seeds), draw(st.integers(9, 20))) for _ in range(draw(st.integers(1, 4)))]
           for _ in range(draw(st.integers(2, 6)))]
    new = [list(p) for p in old]
    for _ in range(draw(st.integers(1, 4))):
        source = draw(st.sampled_from([k for k, p in enumerate(new) if p] or [0]))
        if not new[source]:
            continue
        text = new[source].pop(draw(st.integers(0, len(new[source]) - 1)))
        if draw(st.booleans()):
            text = text.replace(" the ", " every ", 1) + " Promptly."
        target = draw(st.integers(0, len(new) - 1))
        new[target].insert(draw(st.integers(0, len(new[target]))), text)
    if draw(st.booleans()):
        new.insert(draw(st.integers(0, len(new) - 1)), new.pop(0))
    if draw(st.booleans()):
        new[-1].append(para(next(seeds)))
    return (agreement([(f"c{k}", p) for k, p in enumerate(old)]),
            agreement([(f"c{k}", p) for k, p in enumerate(new)]))


@settings(max_examples=150, deadline=None)
@given(pairs_with_moves())
def test_criticmarkup_accepts_to_the_new_text_and_rejects_to_the_old(pair):
    assert_critic_round_trip(*pair)


def test_criticmarkup_moved_paragraph_is_deleted_there_and_inserted_here():
    arts = [(f"c{k}", [para(k), para(k + 50)]) for k in range(1, 5)]
    new = [arts[0], ("c2", [para(2)]), arts[2], ("c4", [para(4), para(54), para(52) + " Now."])]
    c = compare(agreement(arts), agreement(new))
    md = critic.render(c, "old", "new")
    text = para(52)
    assert f"{{--2.2 --}}{{--{text}--}}{{>>moved to 4.3<<}}" in md
    assert f"{{++4.3 ++}}{{++{text} Now.++}}{{>>moved from 2.2; edited on the way: “Now.” " \
        "inserted<<}" in md
    assert_critic_round_trip(agreement(arts), agreement(new))


def test_criticmarkup_round_trip_on_the_paris_chain(paris):
    docs = [read_file(p) for p in paris]
    for old, new in itertools.pairwise(docs):
        assert_critic_round_trip(old, new)


# -- alignment at any shape: numbered-only headings, small vocabulary, everything edited --

VOCABULARY = [f"w{k}" for k in range(100)]


def small_vocabulary_text(rng, n: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(n))


def edited(rng, text: str) -> str:
    """One word in about fifty replaced (at least one)."""
    words = text.split()
    for pos in rng.sample(range(len(words)), max(1, len(words) // 50)):
        words[pos] = rng.choice([w for w in VOCABULARY if w != words[pos]])
    return " ".join(words)


def numbered_only(articles: list[list[str]]) -> Document:
    """Articles whose headings are only their number, as a reader sees a treaty."""
    lines = []
    for n, paras in enumerate(articles, 1):
        lines += [f"## Article {n}", ""]
        lines += [f"{k}. {p}\n" for k, p in enumerate(paras, 1)]
    return read_text("\n".join(lines))


def test_similarity_sees_order_where_sets_of_words_cannot():
    import random

    from drafting.compare.align import BLOCK_SIMILARITY, _Features, similarity
    rng = random.Random(4)
    a, b = small_vocabulary_text(rng, 85), small_vocabulary_text(rng, 85)
    texts = [a, b, edited(rng, a)]
    features = _Features(lambda k: texts[k].split(), {})
    set_dice = 2 * len(set(a.split()) & set(b.split())) / (len(set(a.split())) +
                                                            len(set(b.split())))
    assert set_dice > BLOCK_SIMILARITY  # what the old aligner saw: "alike"
    assert similarity(features, 0, features, 1) < 0.35
    assert similarity(features, 0, features, 2) > 0.9 > BLOCK_SIMILARITY


@st.composite
def _sections(draw) -> tuple[list[list[str]], list[list[str]]]:
    """A section's blocks and another's: the same blocks reordered, a few dropped, some
    edited, or new ones."""
    block = st.lists(st.sampled_from("abc"), max_size=6)
    old = draw(st.lists(block, min_size=1, max_size=4))
    new = [b if draw(st.booleans()) else draw(block)
           for b in draw(st.permutations(old))[: draw(st.integers(1, len(old)))]]
    return old, new + draw(st.lists(block, max_size=2))


@settings(max_examples=500)
@given(_sections())
@example(([["a"], ["b"]], [["b"], ["a"]]))  # blocks swapped: paired in order, not crosswise
def test_a_sections_cheap_order_bound_never_exceeds_its_lcs(pair) -> None:
    """The shared ends of a section's blocks (paired from the first or from the last)
    are words kept in order: whenever they reach what in_order needs, so does the LCS."""
    from drafting.compare.align import _Features, _lcs_length, _Section, _SectionFeatures

    old, new = pair
    blocks = [*old, *new]
    features = _Features(lambda k: blocks[k])
    sections = [_Section(0, len(old), 0, ""), _Section(len(old), len(blocks), 1, "")]
    sides = _SectionFeatures(features, sections)
    a, b = sides.words(0), sides.words(1)
    lcs = _lcs_length(sides.masks(0), len(a), b)
    for need in range(len(a) + len(b) + 1):
        if sides.keeps(0, sides, 1, need):
            assert lcs >= need


def test_every_section_edited_with_numbered_headings_pairs_in_order():
    """120 Articles, every paragraph edited: no identical section to anchor on, and more
    sections than the optimal pairing handles (120 x 120 > 4,000): anchors align them."""
    import random
    rng = random.Random(7)
    old = [[small_vocabulary_text(rng, rng.randint(40, 80)) for _ in range(3)]
           for _ in range(120)]
    new = [[edited(rng, p) for p in paras] for paras in old]
    del new[50], new[10]  # two Articles struck out, two new ones
    new[30:30] = [[small_vocabulary_text(rng, 60) for _ in range(3)]]
    new[80:80] = [[small_vocabulary_text(rng, 60) for _ in range(3)]]
    c = compare(numbered_only(old), numbered_only(new))
    s = c.stats
    assert (s.blocks_changed, s.blocks_inserted, s.blocks_deleted, s.moves) == (354, 8, 8, 0)


def test_moved_paragraphs_and_moved_heading_lines_in_an_all_edited_text():
    import random
    rng = random.Random(11)
    old = [[small_vocabulary_text(rng, rng.randint(40, 80)) for _ in range(4)]
           for _ in range(60)]
    new = [[edited(rng, p) for p in paras] for paras in old]
    for source, target in [(3, 40), (10, 55), (30, 2)]:  # paragraphs to far Articles
        new[target].insert(2, new[source].pop(1))
    new[20] = new[20] + new.pop(21)  # Article 22's heading line cut ...
    new[45:46] = [new[45][:2], new[45][2:]]  # ... and pasted inside (old) Article 47
    c = compare(numbered_only(old), numbered_only(new))
    s = c.stats
    assert sorted((m.kind, m.from_label, m.to_label) for m in c.moves) == [
        ("article", "Article 22", "Article 47"),  # the heading line alone: its paragraphs
        # cited as the file prints them (model.citations)
        ("block", "Article 11, 2.", "Article 56, 3."), ("block", "Article 31, 2.", "Article 3, 3."),
        ("block", "Article 4, 2.", "Article 40, 3.")]
    assert s.blocks_moved == 4
    assert s.blocks_inserted == s.blocks_deleted == 0  # stayed in place, edited
    assert s.blocks_changed == 240 - 3
    assert c.new_document_text() == numbered_only(new).plain_text()


def test_a_moved_sentence_is_found_past_boilerplate_and_the_search_is_bounded():
    """A phrase repeated all over the inserted text seeds no move (bounded work), but a
    moved sentence around it is still found through its other words."""
    phrase = "the Conference of the Parties serving as the meeting of the Parties"
    sentence = f"Each Party shall report to {phrase} on its progress every second year."
    filler = [f"Under Article {k}, {phrase} shall decide on item {k} of its agenda."
              for k in range(40)]
    old = agreement([("a", [f"First provision. {sentence}", para(5)]), ("b", [para(6)])])
    new = agreement([("a", ["First provision.", para(5)]),
                     ("b", [f"{para(6)} {' '.join(filler)} {sentence}"])])
    c = compare(old, new)
    words = [m for m in c.moves if m.kind == "words"]
    assert [(m.from_label, m.to_label, m.words) for m in words] == [("1.1", "Article 2", 23)]


def _lcs_by_table(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        row = [0]
        for k, y in enumerate(b):
            row.append(prev[k] + 1 if x == y else max(prev[k + 1], row[k]))
        prev = row
    return prev[-1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("abcde"), max_size=70), st.lists(st.sampled_from("abcde"),
                                                                 max_size=70))
def test_bit_parallel_lcs_is_the_lcs(a, b):
    from drafting.compare.align import _lcs_length, _lcs_reaches
    masks: dict[str, int] = {}
    for k, w in enumerate(a):
        masks[w] = masks.get(w, 0) | 1 << k
    length = _lcs_by_table(a, b)
    assert _lcs_length(masks, len(a), b) == length
    for need in (length - 0.5, length, length + 0.5):
        assert _lcs_reaches(masks, len(a), b, need) == (length >= need)


_SIMILARITY = st.one_of(st.floats(0, 1), st.sampled_from([0.0, 0.5, 0.9, 0.95, 1.0]))


@settings(max_examples=500, deadline=None)
@given(st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(lambda pq: st.lists(
    st.lists(_SIMILARITY, min_size=pq[1], max_size=pq[1]), min_size=pq[0], max_size=pq[0])))
def test_pairing_without_the_whole_table_is_the_optimal_pairing(table):
    """The shortcuts (pairing in order for runs of one length, the band next to the
    diagonal for runs of two lengths) give what the full table gives, ties included."""
    import importlib
    module = importlib.import_module("drafting.compare.align")  # not the function align
    p, q = len(table), len(table[0])
    asked: list[tuple[int, int]] = []

    def similar(a: int, b: int) -> float:
        asked.append((a, b))
        return table[a][b]

    pairs = module._pair_gap_optimal(range(p), range(q), similar, 0.5)
    assert pairs == module._pair_by_table(table, 0.5)
    assert len(asked) == len(set(asked))  # each similarity computed once


def test_copies_of_one_paragraph_each_edited_pair_in_order():
    """Nothing anchors paragraphs that are all the same text: each copy, with its own word
    changed, is still that copy changed, not a deletion and an insertion (200 copies: too
    many to pair optimally)."""
    words = LOREM[:20]
    old = "\n\n".join(" ".join(words) for _ in range(200))
    new = "\n\n".join(" ".join([*words[:k % 20], f"edit{k}", *words[k % 20 + 1:]])
                      for k in range(200))
    c = compare(read_text(old), read_text(new))
    assert (c.stats.blocks_changed, c.stats.blocks_inserted, c.stats.blocks_deleted,
            c.stats.blocks_moved) == (200, 0, 0, 0)
    assert (c.stats.words_inserted, c.stats.words_deleted) == (200, 200)
    assert [(b.old_index, b.new_index) for b in c.blocks] == [(k, k) for k in range(200)]
