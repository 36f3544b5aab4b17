"""How numbers, dates and lists are written in an agreement: "thirty (30)", "1 March 2026",
"a, b and c", roman numerals for Parts, letters for sub-paragraphs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_MONTHS = ("January February March April May June July August September October November "
           "December").split()


def number_words(n: int) -> str:
    """English words for 0 <= n < 10**9, as treaties write them ("one hundred and twenty")."""
    if n < 0 or n >= 10**9:
        raise ValueError(f"cannot write {n} in words")
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" and {number_words(rest)}" if rest else "")
    for size, name in ((10**6, "million"), (1000, "thousand")):
        if n >= size:
            high, rest = divmod(n, size)
            joiner = " and " if 0 < rest < 100 else " "
            return f"{number_words(high)} {name}" + (joiner + number_words(rest) if rest else "")
    raise AssertionError("unreachable")


def words(n: int) -> str:
    """30 -> "thirty (30)": the way agreements state periods and quantities."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"'words' needs a whole number, got {n!r}")
    return f"{number_words(n)} ({n})"


def longdate(value: dt.date | str) -> str:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def series(items: Iterable[object], conjunction: str = "and") -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    parts = [str(i) for i in items]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {conjunction} {parts[-1]}"


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(n: int) -> str:
    if n <= 0:
        raise ValueError(f"no roman numeral for {n}")
    out = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def from_roman(text: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    text = text.upper()
    if not text or any(c not in values for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        v = values[c]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total if roman(total) == text else None


def letter(n: int) -> str:
    """1 -> "a", 26 -> "z", 27 -> "aa", 28 -> "bb": sub-paragraph letters in legal style."""
    if n <= 0:
        raise ValueError(f"no letter for {n}")
    repeat, index = divmod(n - 1, 26)
    return chr(ord("a") + index) * (repeat + 1)
