"""Every shortcut taken for speed gives exactly what the long way gives: each is checked
against the code it skips, on generated input (the outputs of whole pairs are checked
byte for byte by bench/diff_outputs.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.readers import markdown

# stripped lines as the reader makes them, with every kind of white space inside
_SPACES = " \t\u00a0\u2009\u2028\u3000\x85"
lines = st.lists(st.text(st.sampled_from(f"ab.\u00ad\u200b{_SPACES}"), max_size=12)
                 .map(str.strip).filter(bool), max_size=5)


@settings(max_examples=500, deadline=None)
@given(lines)
def test_collapsing_white_space_skips_only_paragraphs_without_any_to_collapse(parts):
    assert markdown._collapse(parts) == markdown._SPACES.sub(" ", " ".join(parts))
