"""The `draft` command: parse arguments, call one library function, call one writer."""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import streams
from .errors import DraftingError
from .inputs import compared, open_source
from .outputs import (
    BRACKETS,
    COMMENTS,
    DIFF,
    EXPORT,
    INSPECT,
    JOINT,
    OBLIGATIONS,
    PHASING,
    POSITIONS,
    PROGRESS,
)
from .writers.formats import Writers, Written

EXIT_ERROR = 2


def _fail(message: str) -> None:
    click.echo(f"draft: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def handles_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a DraftingError into one line on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DraftingError as e:
            ctx = click.get_current_context(silent=True)
            ws = ctx.obj.get("ws") if ctx and isinstance(ctx.obj, dict) else None
            _fail(str(e.relative_to(ws.root) if ws else e))
        except KeyboardInterrupt:
            _fail("interrupted")
        except BrokenPipeError:
            sys.exit(0)

    return wrapper


def output_options(writers: Writers, output_help: str | None = None,
                   required: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--format` (choices from the command's table of writers) and `-o FILE`; the command
    passes both to `writers.choose`, which applies the one rule for every command."""
    names = "|".join(writers.names)

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func = click.option(
            "-o", "--output", type=click.Path(dir_okay=False), required=required,
            help=output_help or f"Write to FILE ({writers.extensions()}) instead of standard "
            "output; its extension chooses the format.")(func)
        return click.option(
            "--format", "fmt", type=click.Choice(writers.names), default=None, metavar=names,
            help=f"Output format (default: from -o's extension, else {writers.default}).")(func)

    return decorate


def _json_flag(as_json: bool, fmt: str | None) -> str | None:
    """`--json` is short for `--format json`."""
    if as_json and fmt not in (None, "json"):
        raise DraftingError(f"--json contradicts --format {fmt}")
    return "json" if as_json else fmt


def _warn(name: str | None, warnings: tuple[str, ...]) -> None:
    """What a reader or writer could not carry, one line each on stderr, naming the file
    (None: each line names its own)."""
    for warning in warnings:
        click.echo(f"draft: warning: {name + ': ' if name else ''}{warning}", err=True)


def _pending_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--pending", type=click.Choice(["accept", "reject", "refuse"]), default="accept",
        show_default=True,
        help="A .docx that still carries tracked changes: read it with them accepted, "
        "rejected, or refuse it (a warning names them).")(func)


def _count(n: int, noun: str) -> str:
    """'1 tracked change', '2 tracked changes'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _root(ctx: click.Context) -> Path | None:
    """The workspace given with -C, if any (else commands look up from the current folder)."""
    if not ctx.obj.get("workspace"):
        return None
    root = Path(ctx.obj["workspace"])
    if not root.is_dir():
        raise DraftingError("no such folder (given with -C)", root)
    return root


def _workspace(ctx: click.Context):  # type: ignore[no-untyped-def]
    from .workspace import Workspace, find_workspace

    root = _root(ctx)
    ws = Workspace(root) if root else find_workspace(Path.cwd())
    ctx.obj["ws"] = ws  # errors name its files relative to it, as `draft check` does
    return ws


def _sentence(message: str) -> str:
    """"No such option '--sid'. (Did you mean ...?)" -> "no such option '--sid'; did you
    mean ...?": click's messages in the form of ours."""
    message = re.sub(r"\.?\s*\(?Did you mean([^)]*)\)?\.?$", r"; did you mean\1", message)
    return (message[:1].lower() + message[1:]).rstrip(".")


class DraftGroup(click.Group):
    """Click's usage errors (a missing argument, a bad option) as one line like every other
    error, naming the command and where its help is.

    A command runs with Python's cyclic garbage collector paused: what a command builds
    (documents, alignments, word diffs, outputs) lives until it ends and holds no cycles
    worth collecting, and the collector would walk all of it again and again as it grows
    (a third of `draft diff` on 500k words: 2.1 -> 1.4 CPU s). Memory is freed as before,
    when the last reference goes."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as e:
            where = e.ctx.command_path if e.ctx else "draft"
            _fail(f"{_sentence(e.format_message())} (see '{where} --help')")
        except click.ClickException as e:
            click.echo(f"draft: error: {e.format_message()}", err=True)
            sys.exit(e.exit_code)
        except click.Abort:
            _fail("interrupted")
        finally:
            if was_enabled:
                gc.enable()
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=DraftGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "--workspace", type=click.Path(file_okay=False), default=None,
              help="Workspace folder (default: the nearest one at or above the current folder).")
@click.version_option(package_name="drafting")
@click.pass_context
def main(ctx: click.Context, workspace: str | None) -> None:
    """Assemble, version, compare and redline negotiated agreements."""
    ctx.ensure_object(dict)
    ctx.obj["workspace"] = workspace
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--example", type=click.Choice(["bilateral", "multilateral"]), default="bilateral",
              show_default=True, help="bilateral: two delegations, positions to build; "
              "multilateral: six parties with two rounds of drafts recorded.")
@handles_errors
def init(directory: str, example: str) -> None:
    """Create a new workspace in DIRECTORY with a small working example."""
    from .scaffold import EXAMPLES, create_workspace

    created = create_workspace(Path(directory), example)
    click.echo(f"created workspace {directory} ({len(created)} files, with a .gitignore for "
               "caches and locks)")
    click.echo("next:")
    for step, why in ((f"cd {directory}", ""), *EXAMPLES[example],
                      ("git init && git add . && git commit -m 'Start'",
                       "share it with your delegation")):
        click.echo(f"  {step}" + (f"  # {why}" if why else ""))


@main.command()
@click.argument("agreement")
@click.option("--side", "-s", required=True, metavar="SIDE", help="The side whose draft this is.")
@click.option("-m", "--message", default="", metavar="MESSAGE", help="What this revision is for.")
@click.option("--author", default=None, metavar="NAME",
              help="Who built it (default: $DRAFTING_AUTHOR, else your user name).")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override a variable (name=value) or a clause parameter "
              "(clause.id.param=value).")
@click.option("--force", is_flag=True,
              help="Record the draft despite errors in its text (brackets, references, "
              "terms); mistakes in the inputs are always refused.")
@click.pass_context
@handles_errors
def build(ctx: click.Context, agreement: str, side: str, message: str, author: str | None,
          overrides: tuple[str, ...], force: bool) -> None:
    """Assemble AGREEMENT for one side and record it as a revision (refused when `draft
    check` finds errors, unless --force)."""
    from .build import build as run_build

    result = run_build(_workspace(ctx), agreement, side, author=author, message=message,
                       overrides=overrides, force=force)
    for finding in result.forced:
        click.echo(f"draft: warning: {finding.where}: {finding.message} (recorded with --force)",
                   err=True)
    rev = result.revision
    doc = rev.document
    verb = "recorded" if result.created else "unchanged, same as"
    click.echo(f"{verb} {agreement}@r{rev.seq} {rev.short} ({rev.side}): "
               f"{doc.article_count()} articles, {doc.word_count()} words, "
               f"{len(rev.clauses)} clauses")
    if result.created:
        from .adopting import adopted_at_build

        for line in adopted_at_build(_workspace(ctx), rev):
            click.echo(line)


@main.command()
@click.argument("ref")
@click.option("--param", "keys", multiple=True, required=True, metavar="CLAUSE.PARAM",
              help="A clause parameter (clause.id.param) or a template variable to adopt; "
              "repeat for more.")
@click.option("--side", "-s", default=None,
              help="Whose position file takes the values (default: the other side).")
@click.pass_context
@handles_errors
def adopt(ctx: click.Context, ref: str, keys: tuple[str, ...], side: str | None) -> None:
    """Take the values REF's draft was built with into our position file, keeping its
    comments and layout; the next build records them (and says they were adopted)."""
    from .adopting import adopt as run_adopt

    changes, path, source = run_adopt(_workspace(ctx), ref, list(keys), side)
    for change in changes:
        click.echo(f"{path}: {change.key}: {change.old} -> {change.new} ({source})")


@main.command()
@click.argument("agreement")
@click.option("--side", "-s", default=None, metavar="SIDE", help="Only this side's revisions.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@handles_errors
def log(ctx: click.Context, agreement: str, side: str | None, as_json: bool) -> None:
    """List the revisions of AGREEMENT, oldest first."""
    from .build import open_store
    from .workspace import load_agreement
    from .writers import table

    ws = _workspace(ctx)
    loaded = load_agreement(ws, agreement)
    if side:
        loaded.check_side(side)
    store = open_store(ws, loaded)
    infos = [i for i in store.infos() if side in (None, i.side)]
    if as_json:
        click.echo(json.dumps([{**i.__dict__} for i in infos], indent=1, ensure_ascii=False))
        return
    rows = [[f"r{i.seq}", i.short, i.side, i.author, i.time[:16].replace("T", " "),
             str(i.articles), str(i.words), i.message] for i in infos]
    click.echo(table.render(["rev", "id", "side", "author", "date (UTC)", "articles", "words",
                             "message"], rows, right={5, 6}))
    for fork in store.forks():
        click.echo(fork.describe())


@main.command()
@click.argument("ref")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md",
              show_default=True)
@click.option("--comments", "with_comments", is_flag=True,
              help="Then the reviewers' comments recorded with it (as draft comments REF).")
@click.pass_context
@handles_errors
def show(ctx: click.Context, ref: str, fmt: str, with_comments: bool) -> None:
    """Print a revision (REF such as phased-agreement@us~1) as Markdown or JSON."""
    from .build import open_revision
    from .commenting import comments_of
    from .writers import markdown

    if with_comments and fmt == "json":
        raise DraftingError("--comments goes with Markdown; for JSON: draft comments REF --json")
    revision = open_revision(_workspace(ctx), ref)
    if fmt == "json":
        click.echo(revision.document.to_json(), nl=False)
    else:
        click.echo(markdown.render(revision.document), nl=False)
    if with_comments:
        click.echo("\n" + COMMENTS.render(COMMENTS.choose(None, None),
                                          comments_of(ref, _root(ctx))), nl=False)


@main.command()
@click.argument("agreement")
@click.pass_context
@handles_errors
def verify(ctx: click.Context, agreement: str) -> None:
    """Re-hash every revision of AGREEMENT and report any that was altered. Exit 0: none
    altered, 1: some revision was altered (each is named), 2: error."""
    from .build import open_store
    from .workspace import load_agreement

    store = open_store(_workspace(ctx), load_agreement(_workspace(ctx), agreement))
    problems = store.verify()
    for problem in problems:
        click.echo(f"{agreement}: {problem}")
    for fork in store.forks():
        click.echo(f"{agreement}: {fork.describe()}")
    if problems:
        sys.exit(1)
    click.echo(f"{agreement}: {len(store.ids())} revisions verified, none altered")


def _emit(text: str | bytes | Written, output: str | None, color: bool | None = None
          ) -> int:
    """Write to the output file atomically, or to stdout (click would strip colour codes
    from a non-terminal unless told that colour was asked for), after the writer's own
    warnings; how long it was. Writers.choose has made sure binary formats have a file."""
    if isinstance(text, Written):
        _warn(None, text.warnings)
        text = text.data
    if output:
        from .outfile import write_output

        write_output(Path(output), text)
    else:
        click.echo(text, nl=False, color=color)
    return len(text)


def _use_color(choice: str, output: str | None) -> bool:
    import os

    if choice != "auto":
        return choice == "always"
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR") \
        and os.environ.get("TERM") != "dumb"


@main.command()
@click.argument("old")
@click.argument("new")
@output_options(DIFF)
@click.option("--stat", is_flag=True, help="Print only the summary.")
@click.option("--context", "-U", type=click.IntRange(0), default=0, show_default=True,
              help="Unchanged blocks to show around each change (term).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour for term output (auto: a terminal, no NO_COLOR).")
@click.option("--ignore-case", "-i", is_flag=True, help="Ignore changes of case.")
@click.option("--ignore-whitespace", "-w", is_flag=True, help="Ignore changes of spacing.")
@click.option("--ignore-punctuation", is_flag=True, help="Ignore changes of punctuation.")
@click.option("--summary-table/--no-summary-table", default=True,
              help="docx: a table of changes at the front.")
@click.option("--reference-doc", type=click.Path(dir_okay=False, exists=True), default=None,
              help="docx: take styles (fonts, margins, headings) from this Word file.")
@_pending_option
@click.pass_context
@handles_errors
def diff(ctx: click.Context, old: str, new: str, fmt: str | None, output: str | None,
         stat: bool, context: int, color: str, ignore_case: bool, ignore_whitespace: bool,
         ignore_punctuation: bool, summary_table: bool, reference_doc: str | None,
         pending: str) -> None:
    """Compare two revisions or files (.md, .txt, .docx). Exit 0: no differences, 1:
    differences, 2: error."""
    from .commenting import remarks_between
    from .compare import Options, compare
    from .outputs import DiffResult

    chosen = DIFF.choose(fmt, output)
    root = _root(ctx)
    a, b = open_source(old, root, pending), open_source(new, root, pending)
    _warn(old, a.warnings)
    _warn(new, b.warnings)
    options = Options(ignore_case, ignore_whitespace, ignore_punctuation)
    comparison = compare(*compared(a, b), options, a.name, b.name)
    colored = chosen.name == "term" and _use_color(color, output)
    _emit(DIFF.render(chosen, DiffResult(
        comparison, a, b, root, stat=stat, color=colored, context=context,
        reference_doc=Path(reference_doc) if reference_doc else None,
        summary_table=summary_table, positions=_positions(ctx, a, b),
        remarks=None if stat else remarks_between(comparison, a, b))), output,
        color=colored or None)
    if not stat:
        from .links import link_warnings

        _warn(output or "standard output", link_warnings(chosen.name, a, b))
    sys.exit(1 if comparison.differs else 0)


def _positions(ctx: click.Context, a: Any, b: Any) -> Any:
    """The positions compared (None where there are none to compare)."""
    if a.revision is None and b.revision is None:
        return None
    from .substance import positions_for_diff

    return positions_for_diff(_workspace(ctx), a, b)


@main.command()
@click.argument("source")
@click.option("--by-phase", is_flag=True, help="Group the rows by phase (the Part they stand in).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON; same as --format json.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV; same as --format csv.")
@output_options(OBLIGATIONS)
@click.pass_context
@handles_errors
def obligations(ctx: click.Context, source: str, by_phase: bool, as_json: bool, as_csv: bool,
                fmt: str | None, output: str | None) -> None:
    """Who must (or may) do what, by when, on what condition: one row per obligation of a
    revision or a file (.md, .txt, .docx)."""
    from .negotiate.obligations import extract
    from .outputs import ObligationsResult

    if as_csv:
        fmt = _json_flag(False, fmt) if fmt not in (None, "csv") else "csv"
        if fmt != "csv":
            raise DraftingError(f"--csv contradicts --format {fmt}")
    chosen = OBLIGATIONS.choose(_json_flag(as_json, fmt), output)
    opened = open_source(source, _root(ctx))
    _emit(OBLIGATIONS.render(chosen, ObligationsResult(extract(opened.document), opened,
                                                       by_phase, _root(ctx))), output)


@main.command()
@click.argument("ref_a")
@click.argument("ref_b")
@output_options(PHASING)
@click.pass_context
@handles_errors
def phasing(ctx: click.Context, ref_a: str, ref_b: str, fmt: str | None,
            output: str | None) -> None:
    """Two sides' drafts phase by phase: what each party must do (and so what the other
    receives), what moved between phases, what one draft has and the other not, and the
    time limits that differ."""
    from .outputs import PhasingResult
    from .substance import phasing_between

    chosen = PHASING.choose(fmt, output)
    a, b = open_source(ref_a, _root(ctx)), open_source(ref_b, _root(ctx))
    result = phasing_between(_workspace(ctx), a, b)
    _emit(PHASING.render(chosen, PhasingResult(result, a, b, _root(ctx))), output)


@main.command()
@click.argument("ref_a")
@click.argument("ref_b")
@click.option("--json", "as_json", is_flag=True, help="Print JSON; same as --format json.")
@output_options(POSITIONS)
@click.pass_context
@handles_errors
def positions(ctx: click.Context, ref_a: str, ref_b: str, as_json: bool, fmt: str | None,
              output: str | None) -> None:
    """Every template variable and clause parameter whose value differs between two
    revisions, with the change and where it shows. Exit 0: same positions, 1: they differ."""
    from .outputs import PositionsResult

    chosen = POSITIONS.choose(_json_flag(as_json, fmt), output)
    a, b = open_source(ref_a, _root(ctx)), open_source(ref_b, _root(ctx))
    if a.revision is None or b.revision is None:
        raise DraftingError("positions compares two revisions built from the library, "
                            "not files")
    compared = _positions(ctx, a, b)
    if compared.unavailable:
        raise DraftingError("positions not compared: " + "; ".join(compared.unavailable))
    _emit(POSITIONS.render(chosen, PositionsResult(compared, a, b)), output)
    sys.exit(1 if compared.differs else 0)


@main.command()
@click.argument("ref")
@output_options(EXPORT, "The .docx file to write.", required=True)
@click.option("--against", default=None, metavar="OLDER",
              help="Write a redline instead: the changes from OLDER (a revision or file) to "
              "REF, as tracked changes.")
@click.option("--reference-doc", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Take styles (fonts, margins, headings) from this Word file.")
@click.option("--internal", is_flag=True,
              help="Our own team's copy: block ids, clauses and editions readable in it.")
@_pending_option
@click.pass_context
@handles_errors
def export(ctx: click.Context, ref: str, fmt: str | None, output: str, against: str | None,
           reference_doc: str | None, internal: bool, pending: str) -> None:
    """Write REF (a revision or a file) as a Word document."""
    from .outputs import ExportRequest

    chosen = EXPORT.choose(fmt, output)
    older = open_source(against, _root(ctx), pending) if against else None
    source = open_source(ref, _root(ctx), pending)
    for name, opened in ((against, older), (ref, source)):
        if name and opened:
            _warn(name, opened.warnings)
    data = EXPORT.render(chosen, ExportRequest(
        source, _root(ctx), older, Path(reference_doc) if reference_doc else None, internal))
    from .exporting import object_warnings
    from .links import link_warnings

    if older is None:
        _warn(output, object_warnings(source.document))
    _warn(output, link_warnings(chosen.name, older, source, internal))
    click.echo(f"wrote {output} ({_emit(data, output):,} bytes)")


@main.command()
@click.argument("source")
@click.option("--by-article", is_flag=True, help="Counts per Article.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON (every span and stray); same as --format json.")
@output_options(BRACKETS)
@click.pass_context
@handles_errors
def brackets(ctx: click.Context, source: str, by_article: bool, as_json: bool,
             fmt: str | None, output: str | None) -> None:
    """Count square brackets (text not yet agreed) in a revision or a file."""
    from .negotiate.brackets import block_lines, parse
    from .outputs import BracketsResult

    chosen = BRACKETS.choose(_json_flag(as_json, fmt), output)
    opened = open_source(source, _root(ctx))
    lines = None
    if opened.revision is None and Path(source).suffix.lower() in (".md", ".markdown", ".txt"):
        lines = block_lines(Path(source).read_text("utf-8-sig"))
    report = parse(opened.document, lines)
    _emit(BRACKETS.render(chosen, BracketsResult(opened.ref, report, by_article)), output)


@main.command()
@click.argument("agreement")
@click.option("--json", "as_json", is_flag=True, help="Print JSON; same as --format json.")
@output_options(PROGRESS, "Write to FILE instead: .svg for a line chart (for a briefing), "
                ".json or .txt.")
@click.pass_context
@handles_errors
def progress(ctx: click.Context, agreement: str, as_json: bool, fmt: str | None,
             output: str | None) -> None:
    """Brackets and open points per revision of AGREEMENT, as a table and a chart."""
    from .history import progress as compute
    from .outputs import ProgressResult

    chosen = PROGRESS.choose(_json_flag(as_json, fmt), output)
    rounds, sides = compute(_workspace(ctx), agreement)
    _emit(PROGRESS.render(chosen, ProgressResult(agreement, rounds, sides)), output)


@main.command()
@click.argument("refs", nargs=-1, required=True, metavar="REF... | AGREEMENT")
@click.option("--base", default=None, metavar="REF",
              help="The last agreed or last sent text (a revision or a file).")
@click.option("--numbering", default=None, metavar="PARTY",
              help="Whose draft gives the order and numbers (default: the last party).")
@output_options(JOINT)
@click.pass_context
@handles_errors
def joint(ctx: click.Context, refs: tuple[str, ...], base: str | None, numbering: str | None,
          fmt: str | None, output: str | None) -> None:
    """Build a joint negotiating text of two or more drafts (revisions or files; an
    agreement named alone: the latest draft of each side): each differing wording once,
    labelled with every party that proposes it."""
    from .joint_text import make_joint

    chosen = JOINT.choose(fmt, output)
    _emit(JOINT.render(chosen, make_joint(refs, base, _root(ctx), numbering)), output)


@main.command()
@click.argument("agreement", required=False)
@click.option("--side", "-s", "sides", multiple=True, metavar="SIDE",
              help="Only these sides (default: all).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--strict", is_flag=True,
              help="Vague text (obligations naming no one, missing time limits, emptying "
              "qualifiers, unquantified measures) as warnings rather than notes.")
@click.pass_context
@handles_errors
def check(ctx: click.Context, agreement: str | None, sides: tuple[str, ...],
          as_json: bool, strict: bool) -> None:
    """Find drafting errors in AGREEMENT (default: every agreement). Exit 1 on errors."""
    from .check import ERROR
    from .check import check as run_check

    ws = _workspace(ctx)
    names = [agreement] if agreement else ws.agreements()
    findings = [f for name in names for f in run_check(ws, name, list(sides) or None,
                                                         strict)]
    if as_json:
        click.echo(json.dumps([f.to_dict() for f in findings], indent=1, ensure_ascii=False))
    else:
        for finding in findings:
            click.echo(str(finding))
        counts = [(sum(1 for f in findings if f.severity == s), word)
                  for s, word in (("error", "error"), ("warning", "warning"), ("info", "note"))]
        click.echo(f"{', '.join(names)}: "
                   + ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts))
    sys.exit(1 if any(f.severity == ERROR for f in findings) else 0)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print JSON; same as --format json.")
@output_options(INSPECT)
@click.pass_context
@handles_errors
def inspect(ctx: click.Context, file: str, as_json: bool, fmt: str | None,
            output: str | None) -> None:
    """What a Word file carries besides its text (authors, comments, tracked changes,
    hidden text, custom XML, macros, external links...). Exit 1: something to review
    before sending it."""
    from .readers.docx.inspect import inspect_file

    chosen = INSPECT.choose(_json_flag(as_json, fmt), output)
    found = inspect_file(Path(file))
    _emit(INSPECT.render(chosen, found), output)
    sys.exit(1 if found.to_review else 0)


@main.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print JSON; same as --format json.")
@output_options(COMMENTS)
@click.pass_context
@handles_errors
def comments(ctx: click.Context, source: str, as_json: bool, fmt: str | None,
             output: str | None) -> None:
    """Reviewers' comments in a Word file, or recorded with a revision imported from one:
    author, date, the words each is anchored to and the Article or paragraph they are in."""
    from .commenting import comments_of

    chosen = COMMENTS.choose(_json_flag(as_json, fmt), output)
    _emit(COMMENTS.render(chosen, comments_of(source, _root(ctx))), output)


@main.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--agreement", "-a", required=True, metavar="AGREEMENT",
              help="The agreement it belongs to.")
@click.option("--side", "-s", required=True, metavar="SIDE", help="The side whose text it is.")
@click.option("-m", "--message", default="", metavar="MESSAGE", help="What this revision is.")
@click.option("--author", default=None, metavar="NAME",
              help="Who wrote it (default: the file's last tracked-change author, else its "
              "author property, else $DRAFTING_AUTHOR or your user name).")
@_pending_option
@click.pass_context
@handles_errors
def import_(ctx: click.Context, file: str, agreement: str, side: str, message: str,
            author: str | None, pending: str) -> None:
    """Record a .docx (tracked changes accepted), .md or .txt as a revision of SIDE."""
    from .importing import import_file

    result = import_file(_workspace(ctx), Path(file), agreement, side, author=author,
                         message=message, pending=pending)
    _warn(file, result.warnings)
    rev = result.revision
    verb = "recorded" if result.created else "unchanged, same as"
    tracked = f"; {_count(result.tracked, 'tracked change')} by {', '.join(result.authors)} " \
        f"{pending}ed" if result.tracked else ""
    click.echo(f"{verb} {agreement}@r{rev.seq} {rev.short} ({rev.side}): "
               f"{rev.document.article_count()} articles, {rev.document.word_count()} words"
               f"{tracked}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--against", required=True, metavar="REF", help="The revision we sent.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True,
              help="Colour for the untracked edits (auto: a terminal, no NO_COLOR).")
@click.pass_context
@handles_errors
def audit(ctx: click.Context, file: str, against: str, color: str) -> None:
    """Check that every change in FILE from the revision we sent was tracked. Exit 0 when
    clean, 1 when untracked edits were found."""
    from .importing import audit as run_audit
    from .writers import term

    result = run_audit(_workspace(ctx), Path(file), against)
    _warn(file, result.warnings)
    sent = f"{against} (r{result.revision.seq} {result.revision.short})"
    if result.tracked:
        by = f" by {', '.join(result.authors)}" if result.authors else ""
        how = f"with its {_count(result.tracked, 'tracked change')}{by} rejected it"
    else:
        how = "it has no tracked changes and"
    colored = _use_color(color, None)
    if result.clean:
        click.echo(f"{file}: clean: {how} is exactly {sent}")
        if result.remarks:
            click.echo("\n".join([f"{_count(len(result.remarks.items), 'comment')}:",
                                   *term.remark_lines(result.remarks, colored)]),
                       color=colored or None)
        return
    click.echo(f"{file}: UNTRACKED EDITS: {how} differs from {sent}:")
    click.echo(term.render(result.comparison, against, file, color=colored,
                           remarks=result.remarks), nl=False, color=colored or None)
    sys.exit(1)


def run() -> None:
    """The `draft` program. Once a command has ended and its output is flushed, the
    process exits without tearing down what it built one object at a time (a 500k-word
    comparison is millions of them; the operating system frees them at once): 0.25 of
    the 5 CPU s of `draft diff` on 500k words, measured under load. Calling `main` (as
    click's test runner does) exits as click does. Standard streams closed or unwritable
    are streams.py's."""
    streams.hold_closed()
    try:
        main()
        code: object = 0
    except SystemExit as e:
        code = e.code
    except BrokenPipeError:
        code = 0  # the reader has gone (`| head -1`), as handles_errors says
    except OSError as e:
        code = streams.failed(e)
    if code is not None and not isinstance(code, int):
        with contextlib.suppress(OSError, ValueError):
            print(code, file=sys.stderr)
        code = 1
    unwritten = streams.flush()
    if unwritten is not None and code != EXIT_ERROR:
        code = streams.failed(unwritten)
    os._exit(code or 0)


if __name__ == "__main__":
    run()
