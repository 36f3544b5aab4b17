"""White space as the readers keep it: runs of ordinary spaces and line breaks become one
space, but a tab, a non-breaking space (U+00A0) or any other special space is kept as
such (the ordinary spaces around it dropped), so that a change that is only a
non-breaking space is a change the diff can see (of kind `whitespace`, which
--ignore-whitespace ignores). Both ends are stripped."""

from __future__ import annotations

import re

SPLIT_MAX = 100_000  # characters of a text collapsed by splitting it into words
_ORDINARY = " \n\r\f\v"
_SPECIAL = re.compile(r"[^\S \n\r\f\v]")
_RUN = re.compile(r"\s+")
_ORDINARY_RUN = re.compile(r"[ \n\r\f\v]{2,}|[\n\r\f\v]")
_DROP = str.maketrans("", "", _ORDINARY)


def collapse(text: str) -> str:
    """Below SPLIT_MAX characters, splitting on white space is faster than a regex and
    gives the same; above it a 20 MB paragraph must not become millions of strings."""
    if not _SPECIAL.search(text):
        if len(text) <= SPLIT_MAX:
            return " ".join(text.split())
        return _ORDINARY_RUN.sub(" ", text).strip(_ORDINARY)
    return _RUN.sub(_keep, text).strip()


def collapse_mapped(text: str) -> tuple[str, list[int]]:
    """The collapsed text, and where each position of `text` (0..len) ends up in it."""
    out = collapse(text)
    where = [0] * (len(text) + 1)
    j = 0
    for i, ch in enumerate(text):
        where[i] = j
        if j < len(out) and (out[j] == ch or (out[j] == " " and ch in _ORDINARY)):
            j += 1
    where[len(text)] = len(out)
    return out, where


def _keep(run: re.Match[str]) -> str:
    return run.group().translate(_DROP) or " "
