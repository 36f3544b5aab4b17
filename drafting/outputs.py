"""What each command can write, and with which writer (see writers/formats.py for the
rule that picks one). The CLI imports this at start-up, so it stays light: each writer
imports what it needs when it runs.

A new command declares its table here: `THING = Writers("thing", default="term")`, one
result type, one small function per format; the CLI's `output_options(THING)` does the rest.
The result types are NamedTuples: a frozen dataclass generates and compiles its methods
when it is created, which for all of them cost each `draft` run 27 M instructions of start-
up (callgrind), though a run uses one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .writers.formats import Writers

if TYPE_CHECKING:
    from .commenting import CommentsResult
    from .compare.comments import Remarks
    from .inputs import Source
    from .model import Comparison
    from .negotiate.brackets import BracketReport
    from .negotiate.joint import JointText
    from .negotiate.obligations import Obligation
    from .negotiate.phasing import Phasing
    from .negotiate.positions import PositionsComparison
    from .negotiate.progress import Round
    from .readers.docx.inspect import Inspection
    from .writers.formats import Written


# --- diff ------------------------------------------------------------------------------

class DiffResult(NamedTuple):
    comparison: Comparison
    old: Source
    new: Source
    workspace_root: Path | None = None
    stat: bool = False
    color: bool = False
    context: int = 0
    reference_doc: Path | None = None
    summary_table: bool = True
    positions: PositionsComparison | None = None  # when both sides are built revisions
    remarks: Remarks | None = None  # both sides' comments, placed at their blocks

    @property
    def comments(self) -> Remarks:
        from .compare.comments import NONE

        return self.remarks or NONE


DIFF = Writers("diff", default="term")


@DIFF.writer("term")
def _diff_term(r: DiffResult) -> str:
    from .writers import term

    return term.render(r.comparison, r.old.ref, r.new.ref, color=r.color, context=r.context,
                       stat=r.stat, positions=r.positions, remarks=r.comments)


@DIFF.writer("md")
def _diff_md(r: DiffResult) -> str:
    from .writers import critic

    return critic.render(r.comparison, r.old.ref, r.new.ref, stat=r.stat,
                         positions=r.positions, remarks=r.comments)


@DIFF.writer("html")
def _diff_html(r: DiffResult) -> str:
    from .writers import html

    return html.render(r.comparison, r.old.ref, r.new.ref, stat=r.stat,
                       positions=r.positions, remarks=r.comments)


@DIFF.writer("json")
def _diff_json(r: DiffResult) -> str:
    from .writers import jsonout

    extra = {"positions": r.positions.to_dict()} if r.positions else {}
    return jsonout.dumps({"old_ref": r.old.ref, "new_ref": r.new.ref, **extra,
                          "comments": [x.to_dict() for x in r.comments.items],
                          **r.comparison.to_dict()})


@DIFF.writer("docx")
def _diff_docx(r: DiffResult) -> Written:
    from .exporting import redline_docx

    return redline_docx(r.comparison, r.old, r.new, r.workspace_root, r.reference_doc,
                        r.summary_table, positions=r.positions, remarks=r.comments)


# --- positions -------------------------------------------------------------------------

class PositionsResult(NamedTuple):
    positions: PositionsComparison
    old: Source
    new: Source


POSITIONS = Writers("positions", default="term")


@POSITIONS.writer("term")
def _positions_term(r: PositionsResult) -> str:
    from .writers import positions

    return "\n".join([f"--- {r.old.name}  {r.old.ref}", f"+++ {r.new.name}  {r.new.ref}",
                      *positions.text(r.positions)]) + "\n"


@POSITIONS.writer("json")
def _positions_json(r: PositionsResult) -> str:
    import json

    return json.dumps({"old_ref": r.old.ref, "new_ref": r.new.ref, **r.positions.to_dict()},
                      ensure_ascii=False, indent=1) + "\n"


# --- obligations -----------------------------------------------------------------------

class ObligationsResult(NamedTuple):
    rows: list[Obligation]
    source: Source
    by_phase: bool = False
    workspace_root: Path | None = None


OBLIGATIONS = Writers("obligations", default="term")


@OBLIGATIONS.writer("term")
def _obligations_term(r: ObligationsResult) -> str:
    from .writers import obligations

    return obligations.term(r.rows, r.source.ref, r.by_phase)


@OBLIGATIONS.writer("json")
def _obligations_json(r: ObligationsResult) -> str:
    import json

    from .negotiate.obligations import by_phase, summary

    payload: dict[str, object] = {"source": r.source.ref, "summary": summary(r.rows)}
    if r.by_phase:
        payload["phases"] = [{"phase": phase, "summary": summary(rows),
                              "obligations": [x.to_dict() for x in rows]}
                             for phase, rows in by_phase(r.rows)]
    else:
        payload["obligations"] = [x.to_dict() for x in r.rows]
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


@OBLIGATIONS.writer("csv")
def _obligations_csv(r: ObligationsResult) -> str:
    from .writers import obligations

    rows = sorted(r.rows, key=lambda x: [p for p, _ in _phases(r.rows)].index(x.phase)) \
        if r.by_phase else r.rows
    return obligations.csv_text(rows)


def _phases(rows: list[Obligation]) -> list[tuple[str, list[Obligation]]]:
    from .negotiate.obligations import by_phase

    return by_phase(rows)


@OBLIGATIONS.writer("html")
def _obligations_html(r: ObligationsResult) -> str:
    from .writers import obligations

    return obligations.html(r.rows, r.source.ref, r.source.document.title or r.source.ref,
                            r.by_phase)


@OBLIGATIONS.writer("docx")
def _obligations_docx(r: ObligationsResult) -> bytes:
    from dataclasses import replace

    from .exporting import meta_for
    from .writers import obligations_docx

    meta = replace(meta_for(r.source, r.workspace_root), status="Obligations (internal)")
    return obligations_docx.render(r.rows, meta, r.source.ref, r.by_phase)


# --- phasing ---------------------------------------------------------------------------

class PhasingResult(NamedTuple):
    phasing: Phasing
    a: Source
    b: Source
    workspace_root: Path | None = None

    @property
    def refs(self) -> tuple[str, str]:
        return self.a.ref, self.b.ref


PHASING = Writers("phasing", default="md")


@PHASING.writer("md")
def _phasing_md(r: PhasingResult) -> str:
    from .writers import phasing

    return phasing.markdown(r.phasing, r.refs)


@PHASING.writer("html")
def _phasing_html(r: PhasingResult) -> str:
    from .writers import phasing

    return phasing.html(r.phasing, r.refs)


@PHASING.writer("json")
def _phasing_json(r: PhasingResult) -> str:
    import json

    return json.dumps({"old_ref": r.a.ref, "new_ref": r.b.ref, **r.phasing.to_dict()},
                      ensure_ascii=False, indent=1) + "\n"


@PHASING.writer("docx")
def _phasing_docx(r: PhasingResult) -> bytes:
    from dataclasses import replace

    from .exporting import meta_for
    from .writers import phasing_docx

    meta = replace(meta_for(r.b, r.workspace_root), side="", status="Phasing (internal)",
                   title=f"{r.phasing.title}: phasing")
    return phasing_docx.render(r.phasing, meta, r.refs)


# --- export ----------------------------------------------------------------------------

class ExportRequest(NamedTuple):
    source: Source  # what to write
    workspace_root: Path | None = None
    against: Source | None = None  # the older text: write the source's changes from it
    reference_doc: Path | None = None
    internal: bool = False  # our own team's copy: block ids, clauses, editions readable


EXPORT = Writers("export", default="docx")


@EXPORT.writer("docx")
def _export_docx(r: ExportRequest) -> bytes | Written:
    from .exporting import export_docx, redline_between

    if r.against:
        return redline_between(r.against, r.source, r.workspace_root, r.reference_doc,
                               r.internal)
    return export_docx(r.source, r.workspace_root, r.reference_doc, r.internal)


# --- inspect ---------------------------------------------------------------------------

INSPECT = Writers("inspect", default="term")


@INSPECT.writer("term")
def _inspect_term(r: Inspection) -> str:
    from .readers.docx.inspect import text_lines

    return "\n".join(text_lines(r)) + "\n"


@INSPECT.writer("json")
def _inspect_json(r: Inspection) -> str:
    import json

    return json.dumps(r.to_dict(), ensure_ascii=False, indent=1) + "\n"


# --- comments --------------------------------------------------------------------------

COMMENTS = Writers("comments", default="term")


@COMMENTS.writer("term")
def _comments_term(r: CommentsResult) -> str:
    from .commenting import text_lines

    return "\n".join(text_lines(r)) + "\n"


@COMMENTS.writer("json")
def _comments_json(r: CommentsResult) -> str:
    import json

    return json.dumps({"file": r.file, "comments": [c.to_dict() for c in r.comments]},
                      ensure_ascii=False, indent=1) + "\n"


# --- joint -----------------------------------------------------------------------------

class JointResult(NamedTuple):
    joint: JointText
    sources: tuple[Source, ...]  # in the joint text's order of parties
    base_ref: str | None = None
    workspace_root: Path | None = None

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(s.ref for s in self.sources)

    @property
    def lead(self) -> Source:
        """The draft whose order and numbers the joint text follows."""
        return self.sources[self.joint.keys.index(self.joint.lead)]


JOINT = Writers("joint", default="md")


@JOINT.writer("md")
def _joint_md(r: JointResult) -> str:
    from .writers.joint import render_markdown

    return render_markdown(r.joint, r.refs, r.base_ref)


@JOINT.writer("html")
def _joint_html(r: JointResult) -> str:
    from .writers.joint import render_html

    return render_html(r.joint, r.refs, r.base_ref)


@JOINT.writer("json")
def _joint_json(r: JointResult) -> str:
    from .writers.joint import render_json

    return render_json(r.joint, r.refs, r.base_ref)


@JOINT.writer("docx")
def _joint_docx(r: JointResult) -> bytes:
    from dataclasses import replace

    from .exporting import meta_for, shown_ref
    from .inputs import open_source
    from .writers.joint_docx import render

    meta = replace(meta_for(r.lead, r.workspace_root), side="", status="Joint negotiating text",
                   title=r.joint.title)
    base = shown_ref(open_source(r.base_ref, r.workspace_root)) if r.base_ref else None
    return render(r.joint, meta, tuple(shown_ref(s) for s in r.sources), base)


# --- brackets --------------------------------------------------------------------------

class BracketsResult(NamedTuple):
    ref: str
    report: BracketReport
    by_article: bool = False


BRACKETS = Writers("brackets", default="term")


@BRACKETS.writer("term")
def _brackets_term(r: BracketsResult) -> str:
    from .writers import table

    report = r.report
    lines = [f"{r.ref}: {len(report.spans)} bracketed spans, {len(report.alternatives)} sets "
             f"of alternatives, {len(report.strays)} unbalanced brackets"]
    if r.by_article:
        rows = [[a, str(s), str(alt), str(st)] for a, s, alt, st in report.by_article()]
        lines.append(table.render(["article", "spans", "alternatives", "unbalanced"], rows,
                                  right={1, 2, 3}))
    lines += [f"unbalanced: {stray.message}" for stray in report.strays]
    return "\n".join(lines) + "\n"


@BRACKETS.writer("json")
def _brackets_json(r: BracketsResult) -> str:
    import json

    return json.dumps({"source": r.ref, **r.report.to_dict()}, ensure_ascii=False,
                      indent=1) + "\n"


# --- progress --------------------------------------------------------------------------

class ProgressResult(NamedTuple):
    agreement: str
    rounds: list[Round]
    sides: tuple[str, ...]


PROGRESS = Writers("progress", default="term")


@PROGRESS.writer("term")
def _progress_term(r: ProgressResult) -> str:
    from .writers import progress

    return progress.render(r.rounds, r.sides)


@PROGRESS.writer("json")
def _progress_json(r: ProgressResult) -> str:
    import json

    return json.dumps([x.to_dict() for x in r.rounds], indent=1) + "\n"


@PROGRESS.writer("svg")
def _progress_svg(r: ProgressResult) -> str:
    from .writers import progress

    return progress.svg(r.agreement, r.rounds, r.sides)
