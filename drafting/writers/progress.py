"""`draft progress` for the terminal: a table of the rounds, for more than two parties a
table of who stands alone where, and a bar chart of the open points."""

from __future__ import annotations

from collections.abc import Sequence

from ..negotiate.progress import Round
from . import chart, table
from .joint import SIDE_COLOURS


def _when(r: Round) -> str:
    return r.time[:16].replace("T", " ")


def _rows(rounds: Sequence[Round], last: str) -> list[list[str]]:
    return [[f"r{r.seq}", r.short, r.side, _when(r), str(r.spans), str(r.alternatives),
             str(r.strays), *([f"{r.parties}/{last}"] if last else []),
             "-" if r.open_points is None else str(r.open_points)] for r in rounds]


def render(rounds: Sequence[Round], sides: Sequence[str]) -> str:
    header = ["rev", "id", "side", "date (UTC)", "brackets", "alternatives", "unbalanced"]
    labels = [(f"r{r.seq} {r.side}", r.open_points) for r in rounds]
    if len(sides) == 2:
        a, b = sides
        return "\n".join([
            table.render([*header, f"open points {a}/{b}"], _rows(rounds, ""),
                         right={4, 5, 6, 7}), "",
            f"open points between the two sides' latest drafts ({a} and {b}), after each "
            "revision:",
            chart.bars(labels, missing="(other side has no draft yet)")]) + "\n"
    tags = [s.upper() for s in sides]
    alone = [[f"r{r.seq}", r.side, *(str(r.alone[s]) if s in r.alone else "-" for s in sides)]
             for r in rounds]
    return "\n".join([
        table.render([*header, "drafts", "open points"], _rows(rounds, str(len(sides))),
                     right={4, 5, 6, 7, 8}), "",
        "where each party stands alone (a wording no other party proposes), after each "
        "revision:",
        table.render(["rev", "side", *tags], alone, right=set(range(2, 2 + len(sides)))), "",
        "open points among the latest drafts of all parties that have one, after each "
        "revision:",
        chart.bars(labels, missing="(fewer than two parties have a draft yet)")]) + "\n"


def svg(agreement: str, rounds: Sequence[Round], sides: Sequence[str]) -> str:
    """A line chart for a briefing: open points and brackets over the revisions, and for
    more than two parties where each stands alone, in its colour of the joint text."""
    labels = [f"r{r.seq} {r.side}" for r in rounds]
    title = f"{agreement}: progress by revision"
    brackets = [r.spans for r in rounds]
    if len(sides) == 2:
        return chart.svg(title, labels, {"open points between the sides":
                                         [r.open_points for r in rounds],
                                         "brackets in the revision": brackets})
    series = {"open points among the parties": [r.open_points for r in rounds],
              "brackets in the revision": brackets}
    series.update({f"{s.upper()} alone": [r.alone.get(s) for r in rounds] for s in sides})
    colours = ["#1d232b", "#8a94a3", *(SIDE_COLOURS[n % len(SIDE_COLOURS)]
                                       for n in range(len(sides)))]
    return chart.svg(title, labels, series, colours=colours)
