"""Every shortcut taken for speed gives exactly what the long way gives: each is checked
against the code it skips, on generated input (the outputs of whole pairs are checked
byte for byte by bench/diff_outputs.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.compare import words
from drafting.readers import markdown

# stripped lines as the reader makes them, with every kind of white space inside
_SPACES = " \t\u00a0\u2009\u2028\u3000\x85"
lines = st.lists(st.text(st.sampled_from(f"ab.\u00ad\u200b{_SPACES}"), max_size=12)
                 .map(str.strip).filter(bool), max_size=5)


@settings(max_examples=500, deadline=None)
@given(lines)
def test_collapsing_white_space_skips_only_paragraphs_without_any_to_collapse(parts):
    assert markdown._collapse(parts) == markdown._SPACES.sub(" ", " ".join(parts))


def test_a_paragraph_too_long_to_split_is_collapsed_the_same(monkeypatch):
    parts = ["a \t b", "c\u00a0\u00a0d", "e"]
    monkeypatch.setattr(markdown, "_SPLIT_MAX", 3)
    assert markdown._collapse(parts) == "a b c d e"


spaced = st.text(st.sampled_from(f"aA,{_SPACES}\n\x0b\x1c"), max_size=8)


@settings(max_examples=500, deadline=None)
@given(spaced, spaced)
def test_a_change_of_white_space_only_is_told_as_the_regex_tells_it(a, b):
    import re

    by_regex = re.sub(r"\s", "", a) == re.sub(r"\s", "", b)
    assert (words.change_kind(a, b) == "whitespace") == by_regex
