"""White space as the readers keep it: runs of ordinary spaces and line breaks become one
space, but a tab, a non-breaking space (U+00A0) or any other special space is kept as
such (the ordinary spaces around it dropped), so that a change that is only a
non-breaking space is a change the diff can see (of kind `whitespace`, which
--ignore-whitespace ignores). Both ends are stripped."""

from __future__ import annotations

import re
from collections.abc import Iterable

SPLIT_MAX = 100_000  # characters of a text collapsed by splitting it into words
_ORDINARY = " \n\r\f\v"
_SPECIAL = re.compile(r"[^\S \n\r\f\v]")
_RUN = re.compile(r"\s+")
_ORDINARY_RUN = re.compile(r"[ \n\r\f\v]{2,}|[\n\r\f\v]")
_DROP = str.maketrans("", "", _ORDINARY)


def has_special(text: str) -> bool:
    """Whether the text holds a special space. Every white space character but the space
    is unprintable, so a printable text has none, which one scan in C tells (the regex
    takes five times as long)."""
    return not text.isprintable() and _SPECIAL.search(text) is not None


def collapse(text: str) -> str:
    """Below SPLIT_MAX characters, splitting on white space is faster than a regex and
    gives the same; above it a 20 MB paragraph must not become millions of strings."""
    if not has_special(text):
        if len(text) <= SPLIT_MAX:
            return " ".join(text.split())
        return _ORDINARY_RUN.sub(" ", text).strip(_ORDINARY)
    return _RUN.sub(_keep, text).strip()


def collapse_mapped(text: str, positions: Iterable[int]) -> tuple[str, dict[int, int]]:
    """The collapsed text, and where each of `positions` of `text` (0..len) ends up in it.
    Text between runs of white space is kept as it is, so only the runs are looked at:
    one inside the text becomes what `_keep` makes of it, one at either end nothing; a
    position inside a run is where the run's characters kept before it end (a walk over
    every character took 0.05 CPU s on the WTO Agreement pair's long marked paragraphs,
    this 0.03)."""
    out = collapse(text)
    special = has_special(text)  # else every run inside the text becomes one space
    wanted = sorted(set(positions), reverse=True)  # the next one last
    where: dict[int, int] = {}
    i = j = 0  # text[:i] became out[:j]
    for run in _RUN.finditer(text) if wanted else ():
        start, end = run.span()
        while wanted and wanted[-1] <= start:
            k = wanted.pop()
            where[k] = j + k - i
        j += start - i
        i = end
        if wanted and wanted[-1] < end:  # a position inside the run: walk it
            for k, ch in enumerate(run.group(), start):
                while wanted and wanted[-1] == k:
                    where[k] = j
                    wanted.pop()
                if j < len(out) and (out[j] == ch or (out[j] == " " and ch in _ORDINARY)):
                    j += 1
        elif start > 0 and end < len(text):
            j += len(_keep(run)) if special else 1
        if not wanted:
            break
    for k in wanted:
        where[k] = j + k - i
    return out, where


def _keep(run: re.Match[str]) -> str:
    return run.group().translate(_DROP) or " "
