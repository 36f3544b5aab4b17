"""Every shortcut taken for speed gives exactly what the long way gives: each is checked
against the code it skips, on generated input (the outputs of whole pairs are checked
byte for byte by bench/diff_outputs.py)."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting import sourcefile
from drafting.compare import words
from drafting.errors import DraftingError
from drafting.model import ITEM, NUMBERED, PARAGRAPH, UNNUMBERED
from drafting.readers import labels, markdown, spacing

# stripped lines as the reader makes them, with every kind of white space inside
_SPACES = " \t\u00a0\u2009\u2028\u3000\x85"
lines = st.lists(st.text(st.sampled_from(f"ab.\u00ad\u200b{_SPACES}"), max_size=12)
                 .map(str.strip).filter(bool), max_size=5)


def _kept(text: str) -> str:
    """The rule readers/spacing.py states, as one regex: a run of white space becomes its
    tabs and special spaces, or one space when it has none; both ends stripped."""
    return re.sub(r"\s+", lambda m: re.sub(r"[ \n\r\f\v]", "", m.group()) or " ",
                  text).strip()


@settings(max_examples=500, deadline=None)
@given(lines)
def test_collapsing_white_space_skips_only_paragraphs_without_any_to_collapse(parts):
    assert markdown._collapse(parts) == _kept(" ".join(parts))


def test_a_paragraph_too_long_to_split_is_collapsed_the_same(monkeypatch):
    monkeypatch.setattr(spacing, "SPLIT_MAX", 3)
    assert markdown._collapse(["a  b", "c", "e"]) == "a b c e"
    assert markdown._collapse(["a \t b", "c\u00a0\u00a0d", "e"]) == "a\tb c\u00a0\u00a0d e"


def _walked(text: str) -> list[int]:
    """Where each position of `text` ends up in its collapsed text, by walking every
    character: the long way spacing.collapse_mapped skips."""
    out = spacing.collapse(text)
    where, j = [], 0
    for ch in text:
        where.append(j)
        if j < len(out) and (out[j] == ch or (out[j] == " " and ch in " \n\r\f\v")):
            j += 1
    return [*where, len(out)]


@settings(max_examples=1000, deadline=None)
@given(st.text(st.sampled_from(f"ab*{_SPACES}\n\x0b\x1c"), max_size=30), st.data())
def test_positions_mapped_through_collapsing_are_those_of_the_character_walk(text, data):
    positions = data.draw(st.lists(st.integers(0, len(text)), max_size=8))
    out, where = spacing.collapse_mapped(text, positions)
    assert out == spacing.collapse(text)
    walked = _walked(text)
    assert where == {p: walked[p] for p in positions}
    everywhere = spacing.collapse_mapped(text, range(len(text) + 1))[1]
    assert [everywhere[p] for p in range(len(text) + 1)] == walked


spaced = st.text(st.sampled_from(f"aA,{_SPACES}\n\x0b\x1c"), max_size=8)


@settings(max_examples=500, deadline=None)
@given(spaced, spaced)
def test_a_change_of_white_space_only_is_told_as_the_regex_tells_it(a, b):
    import re

    by_regex = re.sub(r"\s", "", a) == re.sub(r"\s", "", b)
    assert (words.change_kind(a, b) == "whitespace") == by_regex


word_lists = st.lists(st.sampled_from("a b c d e f g h shall may article".split()), max_size=80)


@settings(max_examples=300, deadline=None)
@given(word_lists)
def test_shingles_and_bit_masks_are_those_of_the_plain_loops(words_):
    import zlib

    from drafting.compare.align import _SAMPLE, _SHINGLE, _Features

    features = _Features(lambda _: list(words_))
    n, sample = _SHINGLE, _SAMPLE
    if len(words_) <= n:
        shingles = [tuple(words_)] if words_ else []
    else:
        starts = [k for k in range(len(words_) - n + 1) if len(words_) < n * sample
                  or zlib.crc32(words_[k].encode()) % sample == 0]
        shingles = [tuple(words_[k : k + n]) for k in starts]
    assert features.shingles(0) == shingles
    masks: dict[str, int] = {}
    for k, w in enumerate(words_):
        masks[w] = masks.get(w, 0) | 1 << k
    assert features.masks(0) == masks


def test_bit_masks_grow_past_the_precomputed_positions():
    from drafting.compare.align import _Features

    words_ = ["a", "b"] * 1500
    mask = _Features(lambda _: words_).masks(0)["b"]
    assert mask == sum(1 << k for k in range(1, 3000, 2))


@settings(max_examples=300, deadline=None)
@given(spaced, spaced, st.integers(0, 80))
def test_a_remembered_kind_is_the_kind(a, b, pad):
    """Kinds of short changes are remembered; long ones are worked out each time: the
    same kind either way, whatever was asked before."""
    a, b = a + "x" * pad, b + "x" * pad
    assert words.change_kind(a, b) == words._kind(a, b) == words.change_kind(a, b)


@settings(max_examples=300, deadline=None)
@given(word_lists, word_lists, st.floats(0, 100))
def test_the_lcs_is_that_of_the_textbook_table(a, b, need):
    from drafting.compare.align import _Features, _lcs_length, _lcs_reaches

    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for x in range(len(a) - 1, -1, -1):
        for y in range(len(b) - 1, -1, -1):
            table[x][y] = table[x + 1][y + 1] + 1 if a[x] == b[y] else max(
                table[x + 1][y], table[x][y + 1])
    masks = _Features(lambda _: list(a)).masks(0)
    assert _lcs_length(masks, len(a), b) == table[0][0]
    assert _lcs_reaches(masks, len(a), b, need) == (table[0][0] >= need)


def test_the_first_characters_of_heading_labels_are_all_that_the_regex_matches():
    """The labeller tries HEADING_LABEL only on text that starts with one of HEADING_FIRST:
    over every character of Unicode, those are the ones the regex can start a label with
    (IGNORECASE takes the long s for an s)."""
    tails = [kind[1:] + " 1" for kind in ("article", "part", "annex", "chapter", "section")]
    match = labels.HEADING_LABEL.match
    starts = {c for c in map(chr, range(sys.maxunicode + 1)) if any(match(c + t) for t in tails)}
    assert starts == set(labels.HEADING_FIRST)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(st.sampled_from("(a).-*+ 1.2-3ivArticle PART sſ\u0663x"), max_size=14),
                max_size=8))
def test_labelling_by_first_character_is_labelling_by_every_regex(bodies):
    """Each body gets what the Labeller gave when it tried every regex in turn."""
    fast, slow = labels.Labeller(), labels.Labeller()
    for body in ["Article 3", *bodies]:
        assert fast.typed(body) == _typed_the_long_way(slow, body)


def _typed_the_long_way(labeller: labels.Labeller, body: str) -> labels.Labelled:
    heading = labels._heading_match(body)
    if heading and not heading.group("rest"):
        label, written, text, level = labeller._heading(body, heading, 0)
        return labeller._enter_heading(label, level, 0, text, written)
    item = labels.ITEM_LABEL.match(body)
    if item:
        return labels.Labelled(PARAGRAPH, ITEM, labeller._item(item.group("mark")),
                               item.group("rest").strip(), item.group("written"))
    bullet = labels.LIST_ITEM.match(body)
    if bullet:
        return labels.Labelled(PARAGRAPH, ITEM, "", bullet.group("rest").strip(),
                               bullet.group("written"))
    numbered = labels.PARA_LABEL.match(body)
    if numbered and labeller.article:
        labeller.paragraph_label = labeller._paragraph(numbered.group("num"))
        return labels.Labelled(PARAGRAPH, NUMBERED, labeller.paragraph_label,
                               numbered.group("rest").strip(), numbered.group("written"))
    labeller.paragraph_label = ""
    return labels.Labelled(PARAGRAPH, NUMBERED if labeller.article else UNNUMBERED, "", body,
                           None)


def _refusal(check, *args) -> str | None:
    try:
        check(*args)
    except DraftingError as e:
        return str(e)
    return None


@settings(max_examples=300, deadline=None)
@given(st.text(st.one_of(st.characters(max_codepoint=0x9f),
                         st.sampled_from("\u00e9\u20ac\U0001f600")), max_size=12))
def test_control_characters_found_in_the_bytes_are_those_the_regex_finds(text):
    """check_control_decoded looks at the UTF-8 bytes first; what it refuses, and the line
    it names, are check_control's."""
    raw = text.encode("utf-8", "surrogatepass")
    assert _refusal(sourcefile.check_control_decoded, raw, text, "f.md") == \
        _refusal(sourcefile.check_control, text, "f.md")
