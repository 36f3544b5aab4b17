"""`draft joint`: open the drafts, build the joint text, write it in the chosen format."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import DraftingError
from .exporting import meta_for
from .inputs import Source, open_source
from .negotiate.joint import JointText, build


def side_key(source: Source) -> str:
    return source.side or re.sub(r"[^A-Za-z0-9-]", "", Path(source.ref).stem)[:20] or "side"


def make_joint(ref_a: str, ref_b: str, base_ref: str | None, root: Path | None
               ) -> tuple[JointText, Source, Source]:
    a, b = open_source(ref_a, root), open_source(ref_b, root)
    key_a, key_b = side_key(a), side_key(b)
    if key_a == key_b:  # two drafts of one side: tell them apart by revision
        key_a, key_b = f"{key_a}-A", f"{key_b}-B"
    base = open_source(base_ref, root).document if base_ref else None
    return build(a.document, b.document, ((key_a, a.name), (key_b, b.name)), base), a, b


def render_joint(ref_a: str, ref_b: str, base_ref: str | None, root: Path | None,
                 output: str | None) -> str | bytes:
    joint, a, b = make_joint(ref_a, ref_b, base_ref, root)
    refs = (a.ref, b.ref)
    suffix = Path(output).suffix.lower() if output else ".md"
    if suffix in (".md", ".markdown", ".txt"):
        from .writers.joint import render_markdown

        return render_markdown(joint, refs, base_ref)
    if suffix in (".html", ".htm"):
        from .writers.joint import render_html

        return render_html(joint, refs, base_ref)
    if suffix == ".docx":
        from dataclasses import replace

        from .writers.joint_docx import render

        meta = replace(meta_for(b, root), side="", status="Joint negotiating text",
                       title=joint.title)
        return render(joint, meta, refs, base_ref)
    raise DraftingError(f"unknown output format {suffix!r} (use .md, .html or .docx)")
