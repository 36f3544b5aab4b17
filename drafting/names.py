"""Validation of the names users type that end up in paths or ids: agreements, sides,
clause ids, template names. A name like "../../x" must never reach the file system."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from .errors import DraftingError

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_CLAUSE_ID = re.compile(r"[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*")


def shorten(value: object, width: int = 60) -> str:
    """A value as quoted in an error message: a 5,000-character name is cut."""
    text = str(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def check_name(kind: str, value: object) -> str:
    """Return value if it is a safe single path component (agreement, side, template)."""
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise DraftingError(
            f"invalid {kind} name {shorten(repr(value))}: use letters, digits, '-' and '_' "
            "(no path separators, no '..', at most 64 characters)"
        )
    return value


def check_clause_id(value: object) -> str:
    if not isinstance(value, str) or len(value) > 200 or not _CLAUSE_ID.fullmatch(value):
        raise DraftingError(
            f"invalid clause id {shorten(repr(value))}: use dotted lower-case words such as "
            "'freeze.fissile'"
        )
    return value


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest candidate, or '' when none is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
