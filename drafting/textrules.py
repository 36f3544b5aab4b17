"""What counts as text: C0 control characters (other than tab and line breaks) are not.

A NUL or an escape character in an agreement is a corrupted or hostile file, never
wording; JSON stores each as a six-character escape, so a file of them also grows sixfold
in the revision store. Carriage returns are line breaks (Windows files), so they pass.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def find_control(text: str) -> tuple[int, str] | None:
    """(line number, 'U+0001') of the first control character in text, or None."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return text.count("\n", 0, found.start()) + 1, f"U+{ord(found.group()):04X}"
