"""Joint negotiating text as Markdown (brackets as negotiators type them) and as an HTML
page (each side's proposals in that side's colour)."""

from __future__ import annotations

from html import escape

from ..negotiate.joint import BOTH_ALIKE, CONFLICT, ONLY_A, ONLY_B, JointBlock, JointText, Segment

EMPTY = "—"  # a side that proposes no text at this place
SIDE_COLOURS = ("#1f4e9c", "#a3211f")  # side A, side B (the Word output uses the same)


def status_note(joint: JointText, segment: Segment) -> str:
    """What a difference is, when a base was given."""
    (key_a, _), (key_b, _) = joint.sides
    note = {ONLY_A: f"changed by {joint.tag(key_a)}", ONLY_B: f"changed by {joint.tag(key_b)}",
            CONFLICT: "changed by both, differently", BOTH_ALIKE: "changed by both alike"
            }.get(segment.status or "", "")
    if segment.reopened:
        note = f"REOPENS AGREED TEXT: {note}"
    return note


def alternatives(joint: JointText, segment: Segment) -> str:
    return "".join(f"[{joint.tag(key)}: {text.strip() or EMPTY}]" for key, text in
                   segment.options)


def label(joint: JointText, block: JointBlock) -> tuple[str, bool]:
    """The label to print (B's numbering, where B has the block), and whether it is a
    heading. Numbers are not negotiated: they follow from the text."""
    (key_a, _), (key_b, _) = joint.sides
    main = block.versions.get(key_b) or block.versions[key_a]
    return (main.label if main.is_heading else main.marker), main.is_heading


def renumbered(joint: JointText) -> int:
    """How many blocks the two sides number differently."""
    (key_a, _), (key_b, _) = joint.sides
    return sum(1 for b in joint.blocks if key_a in b.versions and key_b in b.versions
               and b.versions[key_a].label != b.versions[key_b].label)


def summary_lines(joint: JointText, refs: tuple[str, str], base_ref: str | None) -> list[str]:
    (key_a, name_a), (key_b, name_b) = joint.sides
    lines = [f"Joint negotiating text of {name_a} ({refs[0]}) and {name_b} ({refs[1]})"
             + (f", against the base {base_ref}" if base_ref else "") + ".",
             f"{joint.differences()} places where the texts differ, each written as "
             f"[{joint.tag(key_a)}: ...][{joint.tag(key_b)}: ...]; {EMPTY} means that side "
             "proposes no text there."]
    if renumbered(joint):
        lines.append(f"Numbers follow {name_b}'s draft; {renumbered(joint)} Articles and "
                     f"paragraphs are numbered differently in {name_a}'s.")
    if joint.base:
        counts = joint.counts()
        parts = [f"{counts.get(ONLY_A, 0)} changed only by {joint.tag(key_a)}",
                 f"{counts.get(ONLY_B, 0)} only by {joint.tag(key_b)}",
                 f"{counts.get(BOTH_ALIKE, 0)} by both alike",
                 f"{counts.get(CONFLICT, 0)} by both differently"]
        lines.append("Since the base: " + ", ".join(parts) + ".")
        if counts.get("reopened"):
            lines.append(f"WARNING: {counts['reopened']} changes reopen text agreed in the "
                         "base (outside brackets); they are marked REOPENS AGREED TEXT.")
    return lines


def render_markdown(joint: JointText, refs: tuple[str, str], base_ref: str | None = None) -> str:
    out = [f"# {joint.title}", ""]
    out += [f"> {line}" for line in summary_lines(joint, refs, base_ref)]
    out.append("")
    for block in joint.blocks:
        body = []
        for segment in block.segments:
            if segment.options:
                body.append(alternatives(joint, segment))
            else:
                body.append(segment.text)
            note = status_note(joint, segment)
            if note and (segment.options or segment.reopened):
                body.append(f" {{>>{note}<<}}")
        text = "".join(body)
        marker, heading = label(joint, block)
        level = next(iter(block.versions.values())).level
        if heading:
            out.append(f"{'#' * (level + 1)} {' — '.join(p for p in (marker, text) if p)}")
        else:
            out.append(f"{marker} {text}" if marker else text)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


CSS = """
body { font: 16px/1.55 "Liberation Serif", Georgia, serif; max-width: 900px; margin: 24px auto;
       padding: 0 24px; color: #1d232b; }
h1 { font-size: 1.45em; } .summary { font: 0.9em system-ui, sans-serif; background: #f5f6f8;
     padding: 10px 14px; border-left: 4px solid #5f6b7a; }
.summary .warn { color: #8a1c00; font-weight: 600; }
.heading { font-weight: bold; text-align: center; margin-top: 22px; }
.label { font: 0.85em system-ui, sans-serif; color: #5f6b7a; margin-right: .5em; }
.alt { white-space: normal; } .alt b { font: 600 0.75em system-ui, sans-serif; }
.note { font: 0.75em system-ui, sans-serif; color: #5f6b7a; }
.reopened { background: #fff1a8; outline: 2px solid #d99b00; }
""" + "".join(f".side{n} {{ color: {c}; }}\n" for n, c in enumerate(SIDE_COLOURS))


def render_html(joint: JointText, refs: tuple[str, str], base_ref: str | None = None) -> str:
    sides = [key for key, _ in joint.sides]
    lines = summary_lines(joint, refs, base_ref)
    parts = ["<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{escape(joint.title)}: joint text</title>", f"<style>{CSS}</style>",
             "</head>", "<body>", f"<h1>{escape(joint.title)}</h1>", '<div class="summary">',
             *(f'<p class="{"warn" if line.startswith("WARNING") else ""}">{escape(line)}</p>'
               for line in lines), "</div>"]
    for block in joint.blocks:
        body = []
        for segment in block.segments:
            if not segment.options:
                body.append(escape(segment.text))
            else:
                cls = "alt reopened" if segment.reopened else "alt"
                alts = "".join(
                    f'<span class="side{sides.index(key)}">[<b>{escape(joint.tag(key))}:</b> '
                    f"{escape(text.strip() or '—')}]</span>" for key, text in segment.options)
                body.append(f'<span class="{cls}">{alts}</span>')
            note = status_note(joint, segment)
            if note and (segment.options or segment.reopened):
                body.append(f' <span class="note">({escape(note)})</span>')
        marker, heading = label(joint, block)
        mark = f'<span class="label">{escape(marker)}</span>' if marker else ""
        parts.append(f'<p class="{"heading" if heading else "para"}">{mark}{"".join(body)}</p>')
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
