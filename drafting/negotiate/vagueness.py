"""Vague text: the wording that lets a party say later it never promised anything.

Four kinds, each a reasoned rule over the obligations and the words of the text:
- an obligation that names no one ("Inspections shall be permitted": by whom?);
- an obligation with no time limit where the same party's other obligations in that
  Article have one (a deadline here and none there is usually an omission);
- a qualifier that empties an obligation ("as appropriate", "best efforts"...);
- an unquantified measure ("significant", "substantial", "adequate") that is not part of a
  defined term, so no one can say when it is met.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Document
from .obligations import Obligation, extract

AGENTLESS, NO_TIME_LIMIT, QUALIFIER, UNQUANTIFIED = (
    "agentless", "no-time-limit", "qualifier", "unquantified")
QUALIFIERS = ("as appropriate", "where appropriate", "where possible", "wherever possible",
              "to the extent practicable", "to the extent possible", "as far as possible",
              "endeavour", "endeavor", "best efforts", "best endeavours", "in principle",
              "as soon as possible", "as soon as practicable", "in due course")
_QUALIFIER = re.compile(r"\b(?:" + "|".join(re.escape(q).replace(r"\ ", r"\s+")
                                               for q in QUALIFIERS) + r")s?\b", re.IGNORECASE)
_MEASURE = re.compile(r"\b(?:significant|substantial|adequate)(?:ly)?\b", re.IGNORECASE)
# acts done once, by a date: a continuing duty ("respect", "accord", "maintain") needs none
_ONE_OFF = {"submit", "notify", "provide", "establish", "open", "adopt", "conclude", "request",
            "inform", "report", "designate", "transfer", "complete", "begin", "hold", "issue",
            "propose", "authorise", "authorize", "invite", "grant", "declare", "deliver", "pay",
            "remove", "dismantle", "close", "appoint", "communicate", "present", "publish",
            "ratify", "enact", "repeal", "lift", "terminate", "withdraw", "return", "release",
            "destroy", "dispose", "decommission", "convene", "prepare", "send", "deposit",
            "answer", "reply", "respond", "state", "confirm", "verify", "transmit"}
# a sentence that already says when: continuously, at set times, or by another clock
_TIMED = re.compile(r"\b(?:until|for the duration|at all times|at any time|each year|every|"
                    r"annually|periodically|regularly|promptly|without delay|immediately|"
                    r"at (?:its|their|each) (?:first|next|regular)|thereafter|pending|"
                    r"from the date|on the date|upon|when|once|before|after|during|within|"
                    r"no later than|not later than|by \d)", re.IGNORECASE)


@dataclass(frozen=True)
class Vague:
    kind: str
    block_id: str
    label: str
    needle: str  # words of the text that locate it in its clause file
    message: str


def find(document: Document, defined_terms: set[str] | frozenset[str] = frozenset(),
         rows: list[Obligation] | None = None) -> list[Vague]:
    """Every vague passage of the operative text, in document order."""
    rows = extract(document) if rows is None else rows
    found = _agentless(rows) + _untimed(rows) + _qualifiers(rows) + _measures(rows,
                                                                            defined_terms)
    order = {b.id: i for i, b in enumerate(document.blocks)}
    return sorted(found, key=lambda v: (order.get(v.block_id, 0), v.kind))


def _binding(row: Obligation) -> bool:
    return row.modality in ("shall", "must", "will", "undertakes to", "agrees to")


def _agentless(rows: list[Obligation]) -> list[Vague]:
    out = []
    for r in rows:
        if r.bearer is None and r.passive and _binding(r):
            said = f"{r.subject} {r.modality} {' '.join(r.action.split()[:3])}"
            out.append(Vague(AGENTLESS, r.block_id, r.label, _words(said, r.sentence),
                             f'"{_clip(r.subject)} {r.modality} {r.action}" names no one who '
                             "must do it: say who"))
    return out


def _untimed(rows: list[Obligation]) -> list[Vague]:
    """A party's positive obligation with no time limit, in an Article where that same
    party's other obligations have one."""
    timed: dict[tuple[str, str], list[Obligation]] = {}
    for r in rows:
        if r.time_limit and r.bearer and _binding(r):
            timed.setdefault((r.article, r.bearer), []).append(r)
    out = []
    for r in rows:
        peers = timed.get((r.article, r.bearer or ""))
        verb = r.action.split(" ", 1)[0].lower()
        if not peers or r.time_limit or not _binding(r) or verb not in _ONE_OFF \
                or r.passive or _TIMED.search(r.sentence):
            continue
        out.append(Vague(NO_TIME_LIMIT, r.block_id, r.label, _words(r.action, r.sentence),
                         f'"{r.bearer} {r.modality} {_clip(r.action)}" has no time limit, '
                         f"though the other obligations of {_mid(r.bearer or '')} in the same "
                         "Article have one"))
    return out


def _qualifiers(rows: list[Obligation]) -> list[Vague]:
    return [Vague(QUALIFIER, r.block_id, r.label, m.group(0),
                  f'"{m.group(0)}" leaves it to {_mid(r.bearer or "the party")} whether '
                  "and how much to do: state the obligation, or its limits")
            for r, m in _each_match(rows, _QUALIFIER)]


def _measures(rows: list[Obligation], defined: set[str] | frozenset[str]) -> list[Vague]:
    return [Vague(UNQUANTIFIED, r.block_id, r.label, m.group(0),
                  f'"{m.group(0)}" is neither quantified nor defined: give a number, '
                  "a threshold or a defined term")
            for r, m in _each_match(rows, _MEASURE)
            if not _in_term(r.sentence, m, defined)]


def _each_match(rows: list[Obligation],
                pattern: re.Pattern[str]) -> list[tuple[Obligation, re.Match[str]]]:
    """Each place pattern matches, once: a sentence with two obligations gives two rows
    that share its words."""
    out, seen = [], set()
    for r in rows:
        for m in pattern.finditer(r.sentence):
            key = (r.block_id, r.sentence, m.start())
            if key not in seen:
                seen.add(key)
                out.append((r, m))
    return out


def _in_term(sentence: str, m: re.Match[str], defined: set[str] | frozenset[str]) -> bool:
    """Part of a defined term ("Significant Non-Performance"), used or being defined."""
    return any(term.lower().startswith(m.group(0).lower()) and sentence[m.start():].startswith(
        term) for term in defined) or (m.group(0)[0].isupper() and re.match(
            r"\s+[A-Z]", sentence[m.end():]) is not None and m.start() > 0)


def _mid(name: str) -> str:
    """A bearer inside a sentence: "The Parties" -> "the Parties"."""
    return "the" + name[3:] if name.startswith("The ") else name


def _words(phrase: str, sentence: str) -> str:
    """A few words of the text, to find the clause line they come from."""
    probe = " ".join(phrase.split()[:6])
    return probe if probe and probe in sentence else " ".join(sentence.split()[:4])


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"
