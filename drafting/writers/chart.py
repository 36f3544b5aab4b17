"""Charts of progress: horizontal bars in the terminal, and an SVG line chart for slides.

Bars, one per revision and read top to bottom as time runs, work in any terminal, log and
e-mail, and their lengths compare at a glance; the SVG plots the same counts over the
rounds for a briefing."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape


def bars(rows: Sequence[tuple[str, int | None]], width: int = 40,
         missing: str = "(no value yet)") -> str:
    """One bar per row; a row without a value says `missing`."""
    top = max((v for _, v in rows if v), default=0) or 1
    label_width = max((len(label) for label, _ in rows), default=0)
    lines = []
    for label, value in rows:
        if value is None:
            lines.append(f"{label.ljust(label_width)}  {missing}")
            continue
        length = round(value / top * width)
        lines.append(f"{label.ljust(label_width)}  {'█' * length}{'▏' if not length else ''} "
                     f"{value}")
    return "\n".join(lines)


LEGEND_PER_ROW = 3


def svg(title: str, labels: Sequence[str], series: dict[str, Sequence[int | None]],
        width: int = 720, height: int = 360, colours: Sequence[str] = ()) -> str:
    """A line per series over the revisions; values of None leave a gap. colours: one per
    series, in order (default: a fixed palette); the legend takes a row per three."""
    legend_rows = max(1, -(-len(series) // LEGEND_PER_ROW))
    height += 18 * (legend_rows - 1)
    left, right, top, bottom = 56, 24, 48, 64 + 18 * (legend_rows - 1)
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((v for values in series.values() for v in values if v is not None),
               default=0) or 1
    step = plot_w / max(1, len(labels) - 1)
    colours = tuple(colours) or ("#a3211f", "#1f4e9c", "#1b7f3b", "#6b4fa0")

    def x(i: int) -> float:
        return left + i * step

    def y(v: int) -> float:
        return top + plot_h - v / peak * plot_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="24" font-size="15" font-weight="bold">{escape(title)}</text>',
           f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
           'stroke="#333"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>']
    for tick in range(0, 5):
        value = round(peak * tick / 4)
        out.append(f'<text x="{left - 8}" y="{y(value) + 4:.1f}" text-anchor="end">{value}'
                   "</text>")
        out.append(f'<line x1="{left}" y1="{y(value):.1f}" x2="{left + plot_w}" '
                   f'y2="{y(value):.1f}" stroke="#e3e6ea"/>')
    for i, label in enumerate(labels):
        out.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 18}" text-anchor="middle">'
                   f"{escape(label)}</text>")
    for n, (name, values) in enumerate(series.items()):
        colour = colours[n % len(colours)]
        points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        if points:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                       'stroke-width="2.5"/>')
            out += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"/>'
                    for px, py in points]
        column, row = n % LEGEND_PER_ROW, n // LEGEND_PER_ROW
        base = height - 22 - 18 * (legend_rows - 1 - row)
        out.append(f'<rect x="{left + 10 + column * 220}" y="{base}" width="12" height="12" '
                   f'fill="{colour}"/><text x="{left + 28 + column * 220}" y="{base + 10}">'
                   f"{escape(name)}</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
