"""`draft joint`: open the drafts and build their joint text (outputs.JOINT writes it)."""

from __future__ import annotations

import re
from pathlib import Path

from .inputs import Source, open_source
from .negotiate.joint import build
from .outputs import JointResult


def side_key(source: Source) -> str:
    return source.side or re.sub(r"[^A-Za-z0-9-]", "", Path(source.ref).stem)[:20] or "side"


def make_joint(ref_a: str, ref_b: str, base_ref: str | None, root: Path | None) -> JointResult:
    a, b = open_source(ref_a, root), open_source(ref_b, root)
    key_a, key_b = side_key(a), side_key(b)
    if key_a == key_b:  # two drafts of one side: tell them apart by revision
        key_a, key_b = f"{key_a}-A", f"{key_b}-B"
    base = open_source(base_ref, root).document if base_ref else None
    joint = build(a.document, b.document, ((key_a, a.name), (key_b, b.name)), base)
    return JointResult(joint, a, b, base_ref, root)
