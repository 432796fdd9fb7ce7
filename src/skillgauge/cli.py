"""The command line: thin commands over the library (:mod:`skillgauge.database` and the stages).

Each command parses options, calls one library function and prints. Errors a user can fix
(:class:`skillgauge.exceptions.SkillgaugeError`) become one line on stderr and exit code 2; there is no
traceback unless ``SKILLGAUGE_DEBUG=1``.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from skillgauge import __version__, cli_spark
from skillgauge.cli_taxonomy_import import import_app
from skillgauge.exceptions import InputError, MappingError, SkillgaugeError
from skillgauge.settings import Settings, load_settings
from skillgauge.sources.registry import is_secret_option

if TYPE_CHECKING:  # imported where used: pandas, pyarrow and DuckDB cost 0.8 s at start-up
    from skillgauge.database import Database
    from skillgauge.store.db import Counts

app = typer.Typer(
    name="skillgauge",
    help="Measure which technology skills employers ask for, per role, from real job postings.\n\n"
    "Example: skillgauge run postings.csv -o report.html",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
roles_app = typer.Typer(help="Roles: classify job titles.", no_args_is_help=True)
taxonomy_app = typer.Typer(help="The technology taxonomy.", no_args_is_help=True)
app.add_typer(roles_app, name="roles")
app.add_typer(taxonomy_app, name="taxonomy")
app.add_typer(cli_spark.spark_app, name="spark")
taxonomy_app.add_typer(import_app, name="import")

out = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    db: Path | None = None
    config: Path | None = None
    taxonomy: Path | None = None
    vocab: Path | None = None
    vocab_mode: str | None = None
    workers: int | None = None
    verbose: bool = False


state = _State()


def command_line(argv: list[str] | None = None) -> str:
    """The shell command that reproduces this invocation (for report manifests and run records),
    with the values of secret ``--opt`` options (keys, tokens, emails) replaced by ``***``: the
    command is stored in the database and printed in reports."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        value = arg.removeprefix("--opt=")
        if (arg.startswith("--opt=") or (i and args[i - 1] == "--opt")) and "=" in value:
            name, _, _ = value.partition("=")
            if is_secret_option(name):
                args[i] = ("--opt=" if arg.startswith("--opt=") else "") + f"{name}=***"
    return "skillgauge " + shlex.join(args)


def settings() -> Settings:
    return load_settings(
        state.config,
        db=state.db,
        taxonomy=state.taxonomy,
        vocab=state.vocab,
        vocab_mode=state.vocab_mode,
        workers=state.workers,
    )


@contextmanager
def database(read_only: bool = False) -> Iterator[Database]:
    from skillgauge.database import Database

    db = Database(settings=settings(), read_only=read_only)
    try:
        yield db
    finally:
        db.close()


@app.callback()
def main_options(
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Database file (default ./skillgauge.duckdb, env SKILLGAUGE_DB).",
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="A TOML settings file (env SKILLGAUGE_CONFIG).")
    ] = None,
    taxonomy: Annotated[
        Path | None,
        typer.Option("--taxonomy", help="Use this taxonomy file instead of the built-in one."),
    ] = None,
    vocab: Annotated[
        Path | None,
        typer.Option(
            "--vocab",
            help="Your own vocabulary (YAML or CSV of terms), merged with the taxonomy "
            "(env SKILLGAUGE_VOCAB).",
        ),
    ] = None,
    vocab_mode: Annotated[
        str | None,
        typer.Option(
            "--vocab-mode",
            help="merge (default: add to the taxonomy) or replace (use the vocabulary alone).",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Worker processes (0 = one per core).")
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print a line per committed batch.")
    ] = False,
) -> None:
    """Global options apply to every command."""
    state.db, state.config, state.taxonomy = db, config, taxonomy
    state.vocab, state.vocab_mode = vocab, vocab_mode
    state.workers, state.verbose = workers, verbose


# -- ingest / run -------------------------------------------------------------------------------------


def _parse_maps(maps: list[str] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in maps or []:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise MappingError(f"--map takes field=column, got '{item}'")
        result[field.strip()] = column.strip()
    return result


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"--as-of takes a date like 2018-07-22, got '{value}'") from exc


class _Progress:
    """A Rich progress bar per file: bytes for the ETA, rows and rows/s as text."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[rows]:>10,} rows  {task.fields[rate]:>8,.0f} rows/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=err,
            transient=False,
        )
        self.tasks: dict[Path, Any] = {}
        self.started: dict[Path, float] = {}

    def __call__(self, path: Path, done: int, total: int, counts: Counts) -> None:
        if path not in self.tasks:
            self.tasks[path] = self.progress.add_task(path.name, total=total, rows=0, rate=0.0)
            self.started[path] = time.perf_counter()
        elapsed = max(time.perf_counter() - self.started[path], 1e-9)
        self.progress.update(
            self.tasks[path], completed=done, rows=counts.read, rate=counts.read / elapsed
        )
        if state.verbose and counts.read:
            err.print(f"committed {path.name}: {counts.line()}", highlight=False)


def _ingest(
    db: Database,
    paths: list[Path],
    maps: list[str] | None,
    source: str | None,
    as_of: str | None,
) -> None:
    prog = _Progress()
    with prog.progress:
        result = db.ingest(
            paths,
            mapping=_parse_maps(maps),
            source=source,
            as_of=_parse_date(as_of),
            command=command_line(),
            progress=prog,
        )
    for f in result.files:
        resumed = (
            f" (resumed run {f.resumed_from_run} after {f.skipped:,} records)"
            if (f.resumed_from_run is not None)
            else ""
        )
        out.print(f"[bold]{f.path}[/] as '{f.source}' ({f.format}){resumed}", highlight=False)
        if state.verbose:
            mapped = ", ".join(f"{k}<-{v}" for k, v in f.mapping.items())
            out.print(f"  fields: {mapped}", highlight=False)
        out.print(f"  {f.counts.line()}", highlight=False)
    out.print(f"run {result.run_id}: {result.counts.line()}", highlight=False)


PathsArg = Annotated[
    list[Path],
    typer.Argument(
        help="Files to read (CSV/TSV, JSON, JSONL, Parquet, HTML with JSON-LD; .gz/.zst too)."
    ),
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option("--map", help="Field mapping override, field=column (repeatable)."),
]
SourceOpt = Annotated[
    str | None, typer.Option("--source", help="Source name to record (default: from the file).")
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Date that relative dates ('3 days ago') count back from."),
]


@app.command()
def ingest(
    paths: PathsArg,
    maps: MapOpt = None,
    source: SourceOpt = None,
    as_of: AsOfOpt = None,
    backend: cli_spark.BackendOpt = "duckdb",
    out_dir: cli_spark.OutDirOpt = None,
) -> None:
    """Read posting files into the store as one recorded run.

    Example: skillgauge ingest jobs.csv.gz --map title="Job Name"
    """
    if backend != "duckdb":  # --backend spark --out DIR: a Parquet dataset (docs/scale.md)
        _args = (_parse_maps(maps), source, _parse_date(as_of))
        cli_spark.ingest_backend(backend, paths, out_dir, *_args)
        return
    with database() as db:
        _ingest(db, paths, maps, source, as_of)


# -- report -------------------------------------------------------------------------------------------

RoleOpt = Annotated[
    str, typer.Option("--role", help="Role id to profile, or 'all' (see: skillgauge roles list).")
]
CompareOpt = Annotated[
    list[str] | None, typer.Option("--compare", help="Role id to compare with (repeatable).")
]
TopOpt = Annotated[int, typer.Option("--top", min=1, max=200, help="How many terms.")]
FormatOpt = Annotated[
    str | None,
    typer.Option("--format", help="table, html, md, csv or json (default: from -o, else table)."),
]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")]

FORMATS = ("table", "html", "md", "csv", "json")


def _format_for(fmt: str | None, output: Path | None) -> str:
    if fmt is None:
        if output is None:
            return "table"
        suffix = output.suffix.lower().lstrip(".")
        fmt = {"htm": "html", "markdown": "md"}.get(suffix, suffix)
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    return fmt


def _report(
    db: Database,
    role: str,
    compare: list[str] | None,
    top: int,
    fmt: str | None,
    output: Path | None,
) -> None:
    from skillgauge.report.render import rich_table, write_report

    kind = _format_for(fmt, output)
    report = db.report(role, compare or [], top=top, command=command_line())
    if kind == "table" or output is None:
        if kind == "table":
            out.print(rich_table(report))
            return
        from skillgauge.report import render

        text = {
            "html": render.render_html,
            "csv": render.render_csv,
            "json": render.render_json,
        }.get(kind)
        if text is None:
            out.print(render.render_markdown(report, None), markup=False, highlight=False)
        else:
            sys.stdout.write(text(report))
        return
    for written in write_report(report, output, kind):
        out.print(f"wrote {written}", highlight=False)


@app.command()
def report(
    role: RoleOpt = "machine-learning-engineer",
    compare: CompareOpt = None,
    top: TopOpt = 20,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="The full report: comparison, differences, trends, co-occurrence, salary and "
            "learning path (html, md + PNGs, csv, json; needs -o).",
        ),
    ] = False,
    trend_source: Annotated[
        str, typer.Option("--trend-source", help="With --full: the source trends use ('' = all).")
    ] = "hackernews",
) -> None:
    """Share of postings mentioning each technology, per role, with n and 95% intervals; with
    --full, the whole role profile.

    Example: skillgauge report --role machine-learning-engineer --compare data-scientist
    --compare data-engineer -o report.html
    """
    with database(read_only=True) as db:
        if not full:
            _report(db, role, compare, top, fmt, output)
            return
        from skillgauge.report.full import build_full_report
        from skillgauge.report.render_full import write_full_report

        if output is None:
            raise InputError("--full writes files: give -o report.html (or .md, .csv, .json)")
        kind = _format_for(fmt, output)
        if kind == "table":
            raise InputError("--full writes html, md, csv or json")
        rep = build_full_report(
            db,
            role,
            compare or [],
            top=top,
            command=command_line(),
            trend_source=trend_source or None,
        )
        for written in write_full_report(rep, output, kind):
            out.print(f"wrote {written}", highlight=False)


@app.command()
def run(
    paths: PathsArg,
    output: OutputOpt = None,
    role: RoleOpt = "machine-learning-engineer",
    compare: CompareOpt = None,
    top: TopOpt = 20,
    fmt: FormatOpt = None,
    maps: MapOpt = None,
    source: SourceOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """The main job: ingest + clean + extract + report, in one command.

    Example: skillgauge run postings.jsonl.gz -o report.html --compare data-scientist
    """
    if compare is None:
        compare = ["data-scientist", "data-engineer"]
    with database() as db:
        for r in [role, *compare]:
            db.check_role(r)
        _ingest(db, paths, maps, source, as_of)
        _report(db, role, compare, top, fmt, output)


# -- live sources -------------------------------------------------------------------------------------


def _parse_since(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        if len(value) == 7:  # YYYY-MM: from the first of that month
            return dt.date.fromisoformat(value + "-01")
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"--since takes YYYY-MM or YYYY-MM-DD, got '{value}'") from exc


def _parse_opts(opts: list[str] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in opts or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--opt takes name=value, got '{item.split('=')[0]}=...'")
        result[name.strip()] = value
    return result


def _boards(boards: list[str] | None, boards_file: Path | None) -> list[str]:
    found = list(boards or [])
    if boards_file is not None:
        if not boards_file.is_file():
            raise InputError(f"no such file: {boards_file}")
        for line in boards_file.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                found.append(line)
    return list(dict.fromkeys(found))


SourceArg = Annotated[str, typer.Argument(help="Source name (see: skillgauge sources).")]
BoardOpt = Annotated[
    list[str] | None,
    typer.Option("--board", help="Company board name/token (repeatable) for board sources."),
]


@app.command()
def collect(
    source: SourceArg,
    board: BoardOpt = None,
    boards_file: Annotated[
        Path | None, typer.Option("--boards-file", help="A file of board names, one per line.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only postings from this month/date on.")
    ] = None,
    opt: Annotated[
        list[str] | None,
        typer.Option("--opt", help="Source option name=value (or env SKILLGAUGE_<SOURCE>_<NAME>)."),
    ] = None,
) -> None:
    """Collect postings from a live source into the store, as one recorded run.

    Example: skillgauge collect hackernews --since 2025-01
    """
    boards = _boards(board, boards_file)
    with database() as db:
        result = db.collect(
            source,
            boards=boards,
            since=_parse_since(since),
            options=_parse_opts(opt),
            command=command_line(),
        )
    for b in result.boards:
        where = f"{b.source}:{b.board}" if b.board else b.source
        if b.error:
            err.print(f"error: {b.error}", highlight=False, markup=False)
        closed = f", closed {b.closed:,}, reopened {b.reopened:,}" if b.closed or b.reopened else ""
        out.print(f"{where}: {b.pages} pages; {b.counts.line()}{closed}", highlight=False)
    out.print(f"run {result.run_id}: {result.counts.line()}", highlight=False)
    if result.status != "complete":
        raise typer.Exit(1)


@app.command()
def parse(
    source: SourceArg,
    file: Annotated[Path, typer.Argument(help="A saved response of that source.")],
    board: Annotated[str | None, typer.Option("--board", help="The board it came from.")] = None,
) -> None:
    """Parse one saved API response offline and print its normalised postings as JSONL.

    Example: skillgauge parse greenhouse saved/jobs.json --board acme
    """
    import json

    from skillgauge.pipeline.source_collect import parse_response
    from skillgauge.sources import registry

    if not file.is_file():
        raise InputError(f"no such file: {file}")
    src = registry.source_class(source)()
    for row in parse_response(src, file.read_bytes(), board=board):
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


@app.command()
def sources() -> None:
    """Every live source: what it needs (keys, board names) and its terms of use.

    Example: skillgauge sources
    """
    from skillgauge.sources import registry

    table = Table("source", "kind", "needs", "terms of use", title="live sources")
    for name in registry.names():
        try:
            info = registry.info(name)
        except (InputError, ImportError) as exc:
            table.add_row(name, "unavailable", str(exc), "")
            continue
        needs = ", ".join(info.needs) or "nothing"
        if info.extra:
            needs += f" (pip install 'skillgauge[{info.extra}]')"
        table.add_row(name, info.kind, needs, info.terms)
    out.print(table)


# -- analyses -----------------------------------------------------------------------------------------

AnalysisFormatOpt = Annotated[
    str | None,
    typer.Option("--format", help="table, csv, json or md (default: from -o, else table)."),
]
AnalysisOutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write the data (.csv/.json/.md) or the chart (.png/.svg)."
    ),
]
SourceFilterOpt = Annotated[
    str | None, typer.Option("--source", help="Only postings from this source (e.g. hackernews).")
]
RowsOpt = Annotated[int, typer.Option("--rows", min=1, help="Rows to show in the table.")]


def _population_lines(df: Any) -> list[str]:
    lines = []
    for key in ("population", "population_a", "population_b"):
        pop = df.attrs.get(key)
        if pop is not None:
            lines.append(f"{key.replace('_', ' ')}: {pop}")
    method = df.attrs.get("method")
    if method:
        lines.append(f"method: {method}")
    for col in ("method", "ci_method", "test_method", "adjust_method"):
        if not method and col in df.columns and len(df):
            lines.append(f"{col.replace('_', ' ')}: {df[col].iloc[0]}")
    return lines


def _emit(
    df: Any,
    columns: list[str],
    title: str,
    fmt: str | None,
    output: Path | None,
    chart: Callable[[], Any] | None = None,
    rows: int = 30,
) -> None:
    """Print or write an analysis: a table with its population and method, data, or its chart."""
    suffix = output.suffix.lower().lstrip(".") if output is not None else None
    if suffix in ("png", "svg", "pdf"):
        if chart is None:
            raise InputError(
                f"this command has no chart; write .csv, .json or .md instead of .{suffix}"
            )
        assert output is not None
        output.parent.mkdir(parents=True, exist_ok=True)
        chart().savefig(output, dpi=150, bbox_inches="tight")
        out.print(f"wrote {output}", highlight=False)
        return
    kind = fmt or {"csv": "csv", "json": "json", "md": "md"}.get(suffix or "", "table")
    shown = df[[c for c in columns if c in df.columns]]
    if kind == "table":
        table = Table(title=title)
        for col in shown.columns:
            table.add_column(str(col), overflow="fold")
        for row in shown.head(rows).itertuples(index=False):
            table.add_row(*[_cell(v) for v in row])
        out.print(table)
        for line in _population_lines(df):
            out.print(line, highlight=False, markup=False)
        return
    if kind == "csv":
        text = df.to_csv(index=False)
    elif kind == "json":
        text = df.to_json(orient="records", date_format="iso", indent=1)
    elif kind == "md":
        text = (
            shown.to_markdown(index=False) if hasattr(shown, "to_markdown") else shown.to_string()
        )
    else:
        raise InputError(f"unknown format '{kind}'; use table, csv, json or md")
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        out.print(f"wrote {output}", highlight=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return f"{value:.3f}" if abs(value) < 10 else f"{value:,.0f}"
    return str(value)


@app.command()
def compare(
    role_a: Annotated[str, typer.Argument(help="A role id.")],
    role_b: Annotated[
        str, typer.Argument(help="Another role id, or 'rest' (all others).")
    ] = "rest",
    source: SourceFilterOpt = None,
    overlap: Annotated[
        str, typer.Option("--overlap", help="exclude (default) or include postings of both roles.")
    ] = "exclude",
    rows: RowsOpt = 30,
    fmt: AnalysisFormatOpt = None,
    output: AnalysisOutputOpt = None,
) -> None:
    """Which differences between two roles are real: share difference per term with a 95% Newcombe
    interval, a two-proportion test and Benjamini-Hochberg q-values.

    Example: skillgauge compare machine-learning-engineer data-scientist -o diff.png
    """
    from skillgauge.report.compare_chart import plot_differences

    with database(read_only=True) as db:
        df = db.compare(role_a, role_b, overlap=overlap, source=source)
        cols = [
            "label",
            "share_a",
            "share_b",
            "diff",
            "diff_low",
            "diff_high",
            "q_value",
            "significant",
            "n_a",
            "n_b",
        ]
        _emit(df, cols, f"{role_a} vs {role_b}", fmt, output, lambda: plot_differences(df), rows)


@app.command()
def balance(
    role: Annotated[str, typer.Option("--role", help="Role id, or 'all'.")] = "all",
    rows: RowsOpt = 30,
    fmt: AnalysisFormatOpt = None,
    output: AnalysisOutputOpt = None,
) -> None:
    """Source balance: the seed article's share-per-site-then-averaged beside the pooled share.

    Example: skillgauge balance --role data-scientist
    """
    with database(read_only=True) as db:
        df = db.balance(role)
        cols = [
            "label",
            "pooled_share",
            "pooled_low",
            "pooled_high",
            "site_average",
            "site_min",
            "site_max",
            "difference",
            "sources_used",
            "sources_excluded",
        ]
        _emit(df, cols, f"site-averaged vs pooled shares ({role})", fmt, output, None, rows)


@app.command()
def trends(
    terms: Annotated[
        list[str] | None, typer.Argument(help="Term ids to chart; none: test every term.")
    ] = None,
    role: Annotated[str | None, typer.Option("--role", help="Only this role.")] = None,
    freq: Annotated[str, typer.Option("--freq", help="month or quarter.")] = "month",
    source: SourceFilterOpt = "hackernews",
    rows: RowsOpt = 30,
    fmt: AnalysisFormatOpt = None,
    output: AnalysisOutputOpt = None,
) -> None:
    """Demand over time: shares per period with 95% intervals for TERMS, or, without terms, a test
    for trend of every term (binomial GLM, BH-controlled) listing emerging and fading ones. Uses one
    source (default hackernews) so that mixing sources does not fake a trend; --source '' for all.

    Example: skillgauge trends python typescript rust --freq quarter -o trends.png
    """
    from skillgauge.report.trend_charts import trend_chart

    src = source or None
    with database(read_only=True) as db:
        if terms:
            df = db.trends(terms, role=role, freq=freq, source=src)
            labels = db.term_labels()
            cols = ["period", "term", "count", "n", "share", "ci_low", "ci_high"]
            _emit(
                df,
                cols,
                "shares over time",
                fmt,
                output,
                lambda: trend_chart(df, labels=labels),
                rows,
            )
        else:
            df = db.trend_tests(role=role, freq=freq, source=src)
            cols = [
                "term",
                "direction",
                "odds_ratio_per_year",
                "or_ci_low",
                "or_ci_high",
                "q_value",
                "first_period",
                "first_share",
                "last_period",
                "last_share",
                "n",
            ]
            _emit(df, cols, "emerging and fading terms", fmt, output, None, rows)


@app.command()
def cooccur(
    term: Annotated[
        str | None, typer.Argument(help="A term id: what postings asking for it also ask for.")
    ] = None,
    role: Annotated[str | None, typer.Option("--role", help="Only this role.")] = None,
    source: SourceFilterOpt = None,
    clusters: Annotated[bool, typer.Option("--clusters", help="Skill clusters instead.")] = False,
    rows: RowsOpt = 30,
    fmt: AnalysisFormatOpt = None,
    output: AnalysisOutputOpt = None,
) -> None:
    """Skills asked together: pairs with lift, NPMI and Jaccard; 'postings that ask for X also ask
    for ...'; or skill clusters (community detection). A .png output draws the heatmap.

    Example: skillgauge cooccur pytorch --role machine-learning-engineer
    """
    from skillgauge.report.cooccurrence_chart import conditional_heatmap

    with database(read_only=True) as db:
        labels = db.term_labels()
        if clusters:
            df = db.skill_clusters(role=role, source=source)
            _emit(
                df,
                ["cluster", "term", "cluster_size", "degree"],
                "skill clusters",
                fmt,
                output,
                None,
                rows,
            )
        elif term:
            df = db.also_asked(term, role=role, source=source, top=rows)
            cols = ["other", "count", "n_term", "share", "ci_low", "ci_high", "base_share", "lift"]
            _emit(df, cols, f"postings asking for {term} also ask for", fmt, output, None, rows)
        else:
            df = db.cooccurrence(role=role, source=source)
            df = df.sort_values("npmi", ascending=False)
            cols = ["term_a", "term_b", "count", "support", "lift", "npmi", "jaccard"]
            _emit(
                df,
                cols,
                "term pairs",
                fmt,
                output,
                lambda: conditional_heatmap(df, labels=labels, min_count=5),
                rows,
            )


@app.command()
def salary(
    terms: Annotated[list[str] | None, typer.Argument(help="Term ids (default: all).")] = None,
    role: Annotated[str | None, typer.Option("--role", help="Only this role.")] = None,
    currency: Annotated[str, typer.Option("--currency", help="Salaries in this currency.")] = "USD",
    regression: Annotated[
        bool, typer.Option("--regression", help="OLS with controls (needs TERMS).")
    ] = False,
    coverage: Annotated[
        bool, typer.Option("--coverage", help="Share of postings stating a salary.")
    ] = False,
    rows: RowsOpt = 30,
    fmt: AnalysisFormatOpt = None,
    output: AnalysisOutputOpt = None,
) -> None:
    """Which skills pay: median stated annual salary with and without each term (bootstrap 95%
    interval), a regression controlling for role, seniority and remote/location, or coverage.

    Example: skillgauge salary python typescript --role software-engineer --regression
    """
    from skillgauge.report.salary_chart import salary_difference_chart

    with database(read_only=True) as db:
        if coverage:
            df = db.salary_coverage(role)
            _emit(
                df,
                ["source", "n", "with_salary", "share", "ci_low", "ci_high"],
                "postings stating a salary",
                fmt,
                output,
                None,
                rows,
            )
        elif regression:
            if not terms:
                raise InputError("--regression needs the terms to estimate, e.g. python sql")
            df = db.salary_regression(terms, role=role, currency=currency)
            cols = [
                "term_id",
                "pct_effect",
                "pct_ci_low",
                "pct_ci_high",
                "p_value",
                "n",
                "n_with",
                "low_n",
                "note",
            ]
            _emit(
                df,
                cols,
                f"salary premium ({currency}, log-linear OLS, HC3)",
                fmt,
                output,
                None,
                rows,
            )
        else:
            df = db.salary(role=role, terms=terms, currency=currency)
            cols = [
                "term_id",
                "n_with",
                "median_with",
                "n_without",
                "median_without",
                "difference",
                "ci_low",
                "ci_high",
                "low_n",
            ]
            labels = db.term_labels()
            _emit(
                df,
                cols,
                f"median stated salary ({currency}, annual)",
                fmt,
                output,
                lambda: salary_difference_chart(df, labels=labels),
                rows,
            )


# -- advice -------------------------------------------------------------------------------------------


@app.command()
def path(
    role: Annotated[str, typer.Argument(help="Role id (see: skillgauge roles list).")],
    top: Annotated[int, typer.Option("--top", min=1, max=100, help="Terms on the path.")] = 25,
    fmt: Annotated[
        str | None, typer.Option("--format", help="table, md or html (default: from -o).")
    ] = None,
    output: OutputOpt = None,
) -> None:
    """A learning path for a role: foundations, core, specialisation, nice to have; each step with
    its demand (share, 95% interval, n) and why it is where it is.

    Example: skillgauge path machine-learning-engineer -o path.md
    """
    with database(read_only=True) as db:
        lp = db.path(role, top=top)
    kind = fmt or (output.suffix.lstrip(".").lower() if output else "table")
    if kind == "table":
        table = Table(
            "#",
            "stage",
            "technology",
            "share [95% CI]",
            "why",
            title=f"learning path: {lp.role_label}",
        )
        for i, st in enumerate(lp.steps, 1):
            table.add_row(
                str(i),
                st.stage,
                st.label,
                f"{st.share:.0%} [{st.ci_low:.0%}-{st.ci_high:.0%}]",
                st.why,
            )
        out.print(table)
        if lp.message:
            out.print(lp.message, highlight=False, markup=False)
        return
    text = {"md": lp.to_markdown, "html": lp.to_html}.get(kind)
    if text is None:
        raise InputError(f"unknown format '{kind}'; use table, md or html")
    if output is None:
        sys.stdout.write(text() + "\n")
    else:
        output.write_text(text(), encoding="utf-8")
        out.print(f"wrote {output}", highlight=False)


@app.command()
def gap(
    role: Annotated[str, typer.Option("--role", help="The role you aim for.")],
    skills: Annotated[
        str, typer.Option("--skills", help='Your technologies, e.g. "python, sql, pandas".')
    ] = "",
    resume: Annotated[
        Path | None,
        typer.Option("--resume", help="A résumé (PDF, DOCX, Markdown, text), read locally only."),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=50, help="Next skills to rank.")] = 10,
    fmt: Annotated[str | None, typer.Option("--format", help="table or md.")] = None,
    output: OutputOpt = None,
) -> None:
    """Your gap for a role: the technologies found in your skills or résumé (check them), the share
    of the role's postings you already fully cover, the next skills ranked by how many more
    postings each would cover, and the roles that fit you best. The résumé is never stored.

    Example: skillgauge gap --role data-engineer --skills "python, sql, pandas"
    """
    if not skills.strip() and resume is None:
        raise InputError('give --skills "python, sql" or --resume FILE')
    with database(read_only=True) as db:
        g, ids, unknown = db.gap(role, skills=skills, resume=resume, top=top)
        labels = db.term_labels()
    found = ", ".join(labels.get(i, i) for i in ids) or "none"
    kind = fmt or (output.suffix.lstrip(".").lower() if output else "table")
    if kind == "md":
        text = g.to_markdown()
        if output is None:
            sys.stdout.write(text + "\n")
        else:
            output.write_text(text, encoding="utf-8")
            out.print(f"wrote {output}", highlight=False)
        return
    if kind != "table":
        raise InputError(f"unknown format '{kind}'; use table or md")
    out.print(f"technologies found (correct them with --skills): {found}", highlight=False)
    if unknown:
        out.print(f"not recognised: {', '.join(unknown)}", highlight=False, markup=False)
    out.print(g.message, highlight=False, markup=False)
    steps = g.to_frame()
    cols = ["step", "label", "gain", "gain_pp", "covered", "coverage", "share", "ci_low", "ci_high"]
    _print_frame(
        steps[[c for c in cols if c in steps.columns]],
        "next skills, greedy over the role's postings (coverage after each step)",
    )
    roles = g.best_roles_frame()
    cols = ["role_label", "covered", "n", "coverage", "ci_low", "ci_high", "low_n"]
    _print_frame(
        roles[[c for c in cols if c in roles.columns]], "roles your current skills fit best"
    )


# -- evaluation ---------------------------------------------------------------------------------------


@app.command("eval")
def evaluate(
    data: Annotated[
        Path,
        typer.Option("--data", help="Folder holding skillspan/ and decorte_skill_extraction/."),
    ] = Path("../shared/data"),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the full results (.md or .html).")
    ] = None,
    dataset: Annotated[
        list[str] | None,
        typer.Option(
            "--dataset",
            help="gold (the project's 400 labelled postings), gold-heldout (151 more, never "
            "used to tune the taxonomy), skillspan, decorte-tech; repeat for several (default: all).",
        ),
    ] = None,
) -> None:
    """Score the extractor against human annotations (the project's gold set of 400 postings,
    SkillSpan KNOWLEDGE spans, Decorte TECH): precision, recall and F1 with 95% intervals and n,
    per term, every error with its context, and the gold set's targets and reader agreement.

    Example: skillgauge eval --data ../shared/data -o accuracy.html
    """
    from skillgauge.evaluate import run_evaluation
    from skillgauge.pipeline import tools_for

    if not data.is_dir():
        raise InputError(f"no annotation folder at {data}: give --data PATH")
    tools = tools_for(settings())
    chosen = tuple(dataset) if dataset else ("gold", "gold-heldout", "skillspan", "decorte-tech")
    result = run_evaluation(data, tools.matcher, tools.taxonomy, datasets=chosen)
    for line in result.summary_lines():
        out.print(line, highlight=False, markup=False)
    if output is not None:
        kind = output.suffix.lower().lstrip(".")
        if kind not in ("md", "html"):
            raise InputError("eval writes .md or .html")
        output.write_text(
            result.to_html() if kind == "html" else result.to_markdown(), encoding="utf-8"
        )
        out.print(f"wrote {output}", highlight=False)


# -- serve --------------------------------------------------------------------------------------------


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
) -> None:
    """The REST API and the web dashboard (read-only unless SKILLGAUGE_API_TOKEN is set, which
    enables the upload and collect endpoints for requests carrying that token).

    Example: skillgauge serve --port 8000   (then open http://127.0.0.1:8000/)
    """
    from skillgauge.api.serve import serve as run_server

    s = settings()
    if not s.db.exists():
        raise InputError(f"no database at {s.db}: ingest or collect something first")
    run_server(
        s.db,
        host=host,
        port=port,
        token=os.environ.get("SKILLGAUGE_API_TOKEN") or None,
        settings=s,
    )


# -- extract ------------------------------------------------------------------------------------------


@app.command()
def extract(
    file: Annotated[
        str, typer.Argument(help="Plain text or JSONL {id, text}; '-' for stdin.")
    ] = "-",
    rerun: Annotated[
        bool, typer.Option("--rerun", help="Re-extract stored postings with the current taxonomy.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --rerun: every posting, not only changed ones.")
    ] = False,
) -> None:
    """Find technology terms: in text/JSONL (prints JSONL), or again in stored postings (--rerun).

    Example: echo '{"id": "1", "text": "Python, SQL and Spark"}' | skillgauge extract
    """
    if rerun:
        with database() as db:
            run_id, n = db.reextract(force=force, command=command_line())
            out.print(
                f"run {run_id}: re-extracted {n:,} postings with taxonomy "
                f"{db.tools.taxonomy.version} ({db.tools.taxonomy.content_hash[:12]})",
                highlight=False,
            )
        return
    from skillgauge.extract.matcher import Matcher
    from skillgauge.extract.stream import extract_stream
    from skillgauge.taxonomy.vocab import taxonomy_in_use

    s = settings()
    # Only what matching needs (not the pipeline's role book and MinHasher): start-up is part of
    # this command's throughput.
    tax = taxonomy_in_use(s.taxonomy, s.vocab, s.vocab_mode)
    with _open_text(file) as fh:
        extract_stream(fh, sys.stdout, tax, Matcher.from_taxonomy(tax), workers=s.workers)


@contextmanager
def _open_text(file: str) -> Iterator[Any]:
    if file == "-":
        yield sys.stdin
        return
    path = Path(file)
    if not path.is_file():
        raise InputError(f"no such file: {file}")
    with path.open(encoding="utf-8", errors="replace") as fh:
        yield fh


# -- roles / taxonomy ---------------------------------------------------------------------------------


@roles_app.command("classify")
def roles_classify(
    file: Annotated[
        str, typer.Argument(help="Titles, one per line, or JSONL with 'title'; '-' for stdin.")
    ] = "-",
) -> None:
    """Print JSONL {"title", "role", "roles", "seniority"} for each title.

    Example: printf 'Senior ML Engineer\\nData Analyst\\n' | skillgauge roles classify
    """
    import json

    from skillgauge.clean.roles import load_roles

    book = load_roles(settings().roles)
    with _open_text(file) as fh:
        for line in fh:
            text = line.strip()
            if not text:
                continue
            title = text
            if text.startswith("{"):
                try:
                    obj = json.loads(text)
                except json.JSONDecodeError:
                    obj = None
                if isinstance(obj, dict):
                    title = str(obj.get("title") or "")
            got = book.classify(title)
            sys.stdout.write(
                json.dumps(
                    {
                        "title": title,
                        "role": got.roles[0],
                        "roles": list(got.roles),
                        "seniority": got.seniority,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )


@roles_app.command("list")
def roles_list() -> None:
    """The role ids, their labels, and (with a database) unique postings per role.

    Example: skillgauge roles list
    """
    from skillgauge.clean.roles import load_roles

    s = settings()
    book = load_roles(s.roles)
    counts: dict[str, int] = {}
    if s.db.exists():
        with database(read_only=True) as db:
            counts = {str(r): int(n) for r, n in db.roles().itertuples(index=False)}
    table = Table("role", "label", "postings", title=f"roles {book.version}")
    for rid in book.ids:
        table.add_row(rid, book.label(rid), f"{counts.get(rid, 0):,}")
    out.print(table)


@taxonomy_app.command("export")
def taxonomy_export() -> None:
    """Print the taxonomy (version, content hash, terms) as JSON.

    Example: skillgauge taxonomy export > taxonomy.json
    """
    from skillgauge.taxonomy.vocab import taxonomy_in_use

    s = settings()
    sys.stdout.write(taxonomy_in_use(s.taxonomy, s.vocab, s.vocab_mode).to_json() + "\n")


@taxonomy_app.command("check")
def taxonomy_check(
    file: Annotated[
        Path | None, typer.Argument(help="Taxonomy file (default: the one in use).")
    ] = None,
) -> None:
    """Validate a taxonomy file and print its version, hash and size.

    Example: skillgauge taxonomy check my-terms.yaml
    """
    from skillgauge.taxonomy.loader import load_taxonomy

    tax = load_taxonomy(file or settings().taxonomy)
    out.print(
        f"ok: {len(tax.terms)} terms, version {tax.version}, hash {tax.content_hash[:12]}",
        highlight=False,
    )


# -- audit trail --------------------------------------------------------------------------------------


def _print_frame(df: Any, title: str) -> None:
    table = Table(title=title)
    for col in df.columns:
        table.add_column(str(col), overflow="fold")
    for row in df.itertuples(index=False):
        table.add_row(*[_cell(v) for v in row])
    out.print(table)


@app.command()
def runs(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many runs.")] = 20,
) -> None:
    """The audit trail: every run, its counts, and whether they reconcile; incomplete runs marked.

    Example: skillgauge runs --limit 5
    """
    with database(read_only=True) as db:
        df = db.runs(limit)
        df["status"] = [
            "INCOMPLETE (interrupted)" if inc else st
            for st, inc in zip(df["status"], df["incomplete"], strict=True)
        ]
        cols = [
            "run_id",
            "kind",
            "status",
            "incomplete",
            "started_at",
            "n_read",
            "n_stored",
            "n_rejected",
            "n_duplicates",
            "reconciles",
            "resumed_run_id",
            "message",
        ]
        _print_frame(df[cols], "runs")


@app.command()
def rejected(
    run_id: Annotated[int | None, typer.Option("--run", help="Only this run.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many rows.")] = 50,
) -> None:
    """Quarantined records with their reasons (payload shortened).

    Example: skillgauge rejected --run 3
    """
    with database(read_only=True) as db:
        _print_frame(db.rejected(run_id, limit), "rejected records")


@app.command()
def version() -> None:
    """Print skillgauge's version.

    Example: skillgauge version
    """
    out.print(f"skillgauge {__version__}")


# taxonomy diff / candidates / accept: the curator's tools (skillgauge.cli_taxonomy_tools)
from skillgauge.cli_taxonomy_tools import register as _register_taxonomy_tools  # noqa: E402

_register_taxonomy_tools(taxonomy_app, settings)


def main() -> None:
    """Entry point: run the app, turning SkillgaugeErrors into one line and exit code 2."""
    try:
        # Without standalone mode, click returns (rather than raises) a command's exit code.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except SkillgaugeError as exc:
        if os.environ.get("SKILLGAUGE_DEBUG"):
            raise
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted: committed batches are kept; run the command again to resume")
        sys.exit(130)
    except (typer.Abort, typer.Exit) as exc:
        sys.exit(getattr(exc, "exit_code", 1))
    except Exception as exc:  # usage errors (bad option, missing argument) from Typer's click
        show = getattr(exc, "show", None)
        code = getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        raise


if __name__ == "__main__":  # pragma: no cover
    main()
