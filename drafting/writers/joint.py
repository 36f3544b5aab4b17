"""Joint negotiating text as Markdown (brackets as negotiators type them), as an HTML
page (each party's proposals in that party's colour) and as JSON for other tools."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from html import escape

from ..negotiate.joint import JointBlock, JointText, Segment
from . import markdown

EMPTY = "—"  # a party that proposes no text at this place
# One colour per party, in the parties' order; the Word output uses the same. Hues far
# apart for six parties (blue, red, green, purple, brown, teal), and each dark enough to
# keep a contrast of at least 6:1 on white, so that a greyscale print stays legible (there
# the labels tell the parties apart).
SIDE_COLOURS = ("#1f4e9c", "#a3211f", "#1b6e35", "#6a3d9a", "#9a4a00", "#00666e")
NEUTRAL = "#1d232b"  # text proposed by several parties at once


def colour(joint: JointText, party: str) -> str:
    return SIDE_COLOURS[joint.keys.index(party) % len(SIDE_COLOURS)]


def change_note(joint: JointText, changed: Sequence[str], alike: bool, reopened: bool,
                groups: Sequence[tuple[tuple[str, ...], str]] = ()) -> str:
    """Who changed the base text at a place, and whether they agree."""
    if not changed:
        return ""
    everyone = len(changed) == len(joint.parties)
    who = ("both" if len(joint.parties) == 2 else "all") if everyone else joint.tags(changed)
    if len(changed) == 1:
        note = f"changed by {who}"
    elif alike:
        note = f"changed by {who} alike"
    else:
        together = [joint.tags(m) for m, _ in groups if len(m) > 1 and set(m) <= set(changed)]
        note = f"changed by {who}, differently" + (
            f" ({'; '.join(together)} alike)" if together else "")
    return f"REOPENS AGREED TEXT: {note}" if reopened else note


def segment_note(joint: JointText, segment: Segment) -> str:
    if not (segment.options or segment.reopened):
        return ""
    return change_note(joint, segment.changed, segment.alike, segment.reopened,
                       segment.groups())


def spacing(segment: Segment) -> tuple[str, str]:
    """The spaces every wording of a difference begins and ends with: they stand outside
    its brackets, so that "facilities [A: x][B: y] as" keeps the space before "as"."""
    texts = [text for _, text in segment.options]
    if not texts:
        return "", ""
    before = [t[: len(t) - len(t.lstrip())] for t in texts]
    after = [t[len(t.rstrip()) :] for t in texts]
    return min(before, key=len) if all(before) else "", min(after, key=len) if all(after) \
        else ""


def block_note(joint: JointText, block: JointBlock) -> str:
    return change_note(joint, block.changed, True, block.reopened)


def block_groups(joint: JointText, block: JointBlock) -> list[tuple[tuple[str, ...], bool]]:
    """For a block some parties lack: the parties that have it (True) and those that do
    not, in the order of each group's first party."""
    present = tuple(k for k in joint.keys if k in block.versions)
    groups = [(present, True), (block.absent(joint.keys), False)]
    return sorted(groups, key=lambda g: joint.keys.index(g[0][0]))


def label(joint: JointText, block: JointBlock) -> tuple[str, bool]:
    """The label to print (the lead's numbering, where the lead has the block), and
    whether it is a heading. Numbers are not negotiated: they follow from the text."""
    main = block.versions[block.lead]
    return main.marker, main.is_heading


def renumbered(joint: JointText) -> dict[str, int]:
    """Per party, how many blocks it numbers differently from the block's lead."""
    out = dict.fromkeys(joint.keys, 0)
    for block in joint.blocks:
        main = block.versions[block.lead].label
        for key, version in block.versions.items():
            if version.label != main:
                out[key] += 1
    return {k: n for k, n in out.items() if n}


def _names(joint: JointText, refs: Sequence[str]) -> str:
    named = [f"{name} ({ref})" for (_, name), ref in zip(joint.parties, refs, strict=True)]
    return ", ".join(named[:-1]) + " and " + named[-1]


def summary_lines(joint: JointText, refs: Sequence[str], base_ref: str | None) -> list[str]:
    two = len(joint.parties) == 2
    keys = joint.keys
    lines = [f"Joint negotiating text of {_names(joint, refs)}"
             + (f", against the base {base_ref}" if base_ref else "") + "."]
    n = joint.differences()
    places = "1 place where the texts differ" if n == 1 else \
        f"{n} places where the texts differ"
    if not n:
        lines.append("The texts are the same: there is nothing in brackets.")
    elif two:
        lines.append(f"{places}, {'written' if n == 1 else 'each written'} as "
                     f"[{joint.tag(keys[0])}: ...][{joint.tag(keys[1])}: ...]; {EMPTY} means "
                     "that side proposes no text there.")
    else:
        lines.append(f"{places}; each wording "
                     "appears once, labelled with every party proposing it "
                     f"([{joint.tags(keys[:2])}: ...][{joint.tag(keys[2])}: ...]); {EMPTY} "
                     "means those parties propose no text there.")
        alone = joint.alone()
        lines.append("Standing alone (a wording no other party proposes): " + ", ".join(
            f"{joint.tag(k)} {alone[k]}" for k in keys) + ".")
    numbered = renumbered(joint)
    if numbered:
        lead = joint.names[joint.lead]
        if two:
            other = next(k for k in keys if k != joint.lead)
            lines.append(f"Numbers follow {lead}'s draft; {sum(numbered.values())} Articles "
                         f"and paragraphs are numbered differently in {joint.names[other]}'s.")
        else:
            lines.append(f"Numbers follow {lead}'s draft; Articles and paragraphs numbered "
                         "differently: " + ", ".join(f"{joint.tag(k)} {n}" for k, n in
                                                     numbered.items()) + ".")
    if joint.base:
        lines += _base_lines(joint)
    return lines


def _base_lines(joint: JointText) -> list[str]:
    changes = joint.changes()
    alone = {k: sum(1 for c, _, _ in changes if c == (k,)) for k in joint.keys}
    alike = sum(1 for c, same, _ in changes if len(c) > 1 and same)
    different = sum(1 for c, same, _ in changes if len(c) > 1 and not same)
    if len(joint.parties) == 2:
        a, b = (joint.tag(k) for k in joint.keys)
        line = (f"Since the base: {alone[joint.keys[0]]} changed only by {a}, "
                f"{alone[joint.keys[1]]} only by {b}, {alike} by both alike, {different} by "
                "both differently.")
    else:
        line = (f"Since the base: {sum(alone.values())} changed by one party only ("
                + ", ".join(f"{joint.tag(k)} {n}" for k, n in alone.items())
                + f"), {alike} by several alike, {different} by several differently.")
    lines = [line]
    reopened = sum(1 for _, _, r in changes if r)
    if reopened:
        lines.append(f"WARNING: {reopened} changes reopen text agreed in the base (outside "
                     "brackets); they are marked REOPENS AGREED TEXT.")
    return lines


# -- Markdown ------------------------------------------------------------------------------

def _md_groups(joint: JointText, groups: Sequence[tuple[tuple[str, ...], str]]) -> str:
    return "".join(f"[{joint.tags(members)}: {text.strip() or EMPTY}]"
                   for members, text in groups)


def _md_body(joint: JointText, block: JointBlock) -> str:
    body = []
    for segment in block.segments:
        if not segment.options:
            body.append(segment.text)
        before, after = spacing(segment)
        body += [before, _md_groups(joint, segment.groups())] if segment.options else []
        note = segment_note(joint, segment)
        if note:
            body.append(f" {{>>{note}<<}}")
        body.append(after)
    text = "".join(body)
    if block.absent(joint.keys):
        text = _md_groups(joint, [(members, text if has else "")
                                  for members, has in block_groups(joint, block)])
        note = block_note(joint, block)
        if note:
            text += f" {{>>{note}<<}}"
    return text


def render_markdown(joint: JointText, refs: Sequence[str], base_ref: str | None = None) -> str:
    out = [f"# {joint.title}", ""]
    out += [f"> {line}" for line in summary_lines(joint, refs, base_ref)]
    out.append("")
    for block in joint.blocks:  # printed as the lead party prints it, labels as written
        out += [markdown.block_line(replace(block.versions[block.lead],
                                            text=_md_body(joint, block))), ""]
    return "\n".join(out).rstrip("\n") + "\n"


# -- HTML ----------------------------------------------------------------------------------

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
"""


def _css(joint: JointText) -> str:
    """The page's style, with a colour class for each party present."""
    count = min(len(joint.parties), len(SIDE_COLOURS))
    return CSS + "".join(f".side{n} {{ color: {c}; }}\n"
                         for n, c in enumerate(SIDE_COLOURS[:count]))


def _html_groups(joint: JointText, groups: Sequence[tuple[tuple[str, ...], str]],
                 reopened: bool, raw: bool = False) -> str:
    """One bracketed alternative per group: a group of one party wholly in its colour,
    a group of several in plain text with each party's name in its colour."""
    def side(party: str) -> str:
        return f"side{joint.keys.index(party) % len(SIDE_COLOURS)}"

    alts = []
    for members, text in groups:
        shown = (text if raw else escape(text.strip())) or EMPTY
        if len(members) == 1:
            alts.append(f'<span class="{side(members[0])}">[<b>'
                        f"{escape(joint.tag(members[0]))}:</b> {shown}]</span>")
        else:
            names = ", ".join(f'<span class="{side(m)}">{escape(joint.tag(m))}</span>'
                              for m in members)
            alts.append(f'<span class="group">[<b>{names}:</b> {shown}]</span>')
    cls = "alt reopened" if reopened else "alt"
    return f'<span class="{cls}">{"".join(alts)}</span>'


def _html_body(joint: JointText, block: JointBlock) -> str:
    body = []
    for segment in block.segments:
        before, after = spacing(segment)
        if not segment.options:
            body.append(escape(segment.text))
        else:
            body += [before, _html_groups(joint, segment.groups(), segment.reopened)]
        note = segment_note(joint, segment)
        if note:
            body.append(f' <span class="note">({escape(note)})</span>')
        body.append(after)
    text = "".join(body)
    if block.absent(joint.keys):
        text = _html_groups(joint, [(members, text.strip() if has else "")
                                    for members, has in block_groups(joint, block)],
                            block.reopened, raw=True)
        note = block_note(joint, block)
        if note:
            text += f' <span class="note">({escape(note)})</span>'
    return text


def render_html(joint: JointText, refs: Sequence[str], base_ref: str | None = None) -> str:
    lines = summary_lines(joint, refs, base_ref)
    parts = ["<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{escape(joint.title)}: joint text</title>", f"<style>{_css(joint)}</style>",
             "</head>", "<body>", f"<h1>{escape(joint.title)}</h1>", '<div class="summary">',
             *(f'<p class="{"warn" if line.startswith("WARNING") else ""}">{escape(line)}</p>'
               for line in lines), "</div>"]
    for block in joint.blocks:
        marker, heading = label(joint, block)
        mark = f'<span class="label">{escape(marker)}</span>' if marker else ""
        parts.append(f'<p class="{"heading" if heading else "para"}">{mark}'
                     f"{_html_body(joint, block)}</p>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


# -- JSON ----------------------------------------------------------------------------------

def _segment_dict(joint: JointText, segment: Segment) -> dict[str, object]:
    out: dict[str, object] = (
        {"alternatives": [{"parties": list(m), "text": t} for m, t in segment.groups()]}
        if segment.options else {"text": segment.text})
    if segment.changed:
        out.update(changed=list(segment.changed), alike=segment.alike,
                   reopened=segment.reopened)
    return out


def render_json(joint: JointText, refs: Sequence[str], base_ref: str | None = None) -> str:
    """The joint text as data: per block who has it and its segments, shared text or the
    alternatives with the parties proposing each, and with a base who changed what."""
    import json

    blocks = []
    for block in joint.blocks:
        marker, heading = label(joint, block)
        entry: dict[str, object] = {
            "kind": "heading" if heading else "paragraph",
            "level": block.versions[block.lead].level, "label": marker,
            "parties": [k for k in joint.keys if k in block.versions],
            "absent": list(block.absent(joint.keys)),
            "segments": [_segment_dict(joint, s) for s in block.segments]}
        if block.changed:
            entry.update(changed=list(block.changed), reopened=block.reopened)
        blocks.append(entry)
    data = {"title": joint.title, "lead": joint.lead, "base": base_ref,
            "parties": [{"key": k, "name": n, "tag": joint.tag(k), "ref": ref}
                        for (k, n), ref in zip(joint.parties, refs, strict=True)],
            "open_points": joint.differences(), "alone": joint.alone(), "blocks": blocks}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
