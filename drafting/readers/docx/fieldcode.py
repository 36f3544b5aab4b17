r"""Read a Word field code as Word does (ECMA-376 Part 1, 17.16.1): arguments are words or
"quoted text", in which a backslash escapes the next backslash or quote (`\\` is one
backslash, `\"` a quote); a switch is a backslash and one character (`\l`, `\o`, `\*`). A
network share, which Word writes `HYPERLINK "\\\\server\\share\\x"`, is an address however
it is spelt, never a switch: a link this reader missed would be one the links policy
(links.py) never sees.
"""

from __future__ import annotations

from typing import NamedTuple

_SWITCH_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ*#@!")
# HYPERLINK's switches that take an argument: \l anchor, \o tooltip, \t target frame;
# \* (a general format switch) too. \m and \n take none.
_WITH_ARGUMENT = frozenset("lot*")


class Word(NamedTuple):
    text: str
    switch: bool  # a switch (its letter in `text`), not an argument


def words(code: str) -> list[Word]:
    """The field code's words: quoted ones unescaped, switches marked."""
    out: list[Word] = []
    k, n = 0, len(code)
    while k < n:
        c = code[k]
        if c.isspace():
            k += 1
        elif c == '"':
            k = _quoted(code, k + 1, out)
        elif c == "\\" and k + 1 < n and code[k + 1] in _SWITCH_CHARS and (
                k + 2 == n or code[k + 2].isspace() or code[k + 2] == '"'):
            out.append(Word(code[k + 1], True))
            k += 2
        else:
            k = _bare(code, k, out)
    return out


def _quoted(code: str, k: int, out: list[Word]) -> int:
    """Text up to the closing quote (or the end of the code); returns where it stopped."""
    text = []
    while k < len(code) and code[k] != '"':
        if code[k] == "\\" and k + 1 < len(code) and code[k + 1] in '\\"':
            k += 1
        text.append(code[k])
        k += 1
    out.append(Word("".join(text), False))
    return k + 1


def _bare(code: str, k: int, out: list[Word]) -> int:
    """An unquoted word, up to white space or a quote, as it is written."""
    start = k
    while k < len(code) and not code[k].isspace() and code[k] != '"':
        k += 1
    out.append(Word(code[start:k], False))
    return k


def hyperlink(code: str) -> str:
    r"""The target of a HYPERLINK field: its address, `#anchor` for \\l alone, address and
    `#anchor` for both; "" for any other field or a HYPERLINK naming nothing."""
    found = words(code)
    if not found or found[0].switch or found[0].text.upper() != "HYPERLINK":
        return ""
    address = anchor = ""
    k = 1
    while k < len(found):
        word = found[k]
        if word.switch and word.text.lower() in _WITH_ARGUMENT:
            argument = found[k + 1] if k + 1 < len(found) and not found[k + 1].switch else None
            if word.text.lower() == "l" and argument is not None:
                anchor = argument.text
            k += 2 if argument is not None else 1
            continue
        if not word.switch and not address:
            address = word.text
        k += 1
    return address + (f"#{anchor}" if anchor else "")
