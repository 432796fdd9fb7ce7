"""The Spark backend's commands: ``skillgauge ingest --backend spark`` and the ``skillgauge spark``
group (ingest to a Parquet dataset, then shares, compare and trends on it).

pyspark is imported only inside the commands, after :func:`skillgauge.backends.require_spark`, so
without the extra every command prints the install line instead of a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from skillgauge.backends import check_backend, require_spark
from skillgauge.exceptions import InputError

if TYPE_CHECKING:
    from skillgauge.backends.spark.aggregate import SparkAnalyses

spark_app = typer.Typer(
    help="The Spark backend: ingest to a Parquet dataset, analyse it on a cluster.\n\n"
    "Example: skillgauge spark ingest postings/*.jsonl --out dataset/",
    no_args_is_help=True,
)

BackendOpt = Annotated[
    str,
    typer.Option(
        "--backend",
        help="duckdb (the database file) or spark (a Parquet dataset, needs --out; "
        "pip install 'skillgauge[spark]').",
    ),
]
OutDirOpt = Annotated[
    Path | None,
    typer.Option("--out", help="With --backend spark: the Parquet dataset directory to write."),
]
DataOpt = Annotated[
    Path, typer.Option("--data", help="A dataset written by 'skillgauge spark ingest'.")
]
MasterOpt = Annotated[
    str | None,
    typer.Option(
        "--master", help="Spark master URL (default: settings, env SKILLGAUGE_SPARK_MASTER)."
    ),
]


def _cli() -> Any:
    from skillgauge import cli  # the main CLI module (consoles, settings, printing)

    return cli


def _session(master: str | None) -> Any:
    require_spark()
    from skillgauge.backends.spark.session import spark_session

    return spark_session(_cli().settings(), master=master)


def _analyses(data: Path, master: str | None) -> SparkAnalyses:
    require_spark()
    from skillgauge.backends.spark.aggregate import SparkAnalyses
    from skillgauge.pipeline import tools_for

    if not (data / "postings").is_dir() and "://" not in str(data):
        raise InputError(f"{data} is not a dataset written by 'skillgauge spark ingest'")
    settings = _cli().settings()
    return SparkAnalyses(_session(master), data, tools_for(settings), settings.min_n)


def ingest_backend(
    backend: str,
    paths: list[Path],
    out_dir: Path | None,
    maps: Mapping[str, str],
    source: str | None,
    as_of: dt.date | None,
    master: str | None = None,
) -> None:
    """``skillgauge ingest --backend spark ... --out DIR``: the Spark ingest (the install line when
    pyspark is missing)."""
    check_backend(backend)
    require_spark()
    if out_dir is None:
        raise InputError("--backend spark writes a Parquet dataset: give --out DIR")
    from skillgauge.backends.spark.pipeline import ingest_spark
    from skillgauge.pipeline import tools_for

    cli = _cli()
    settings = cli.settings()
    spark = _session(master)
    run = ingest_spark(
        spark,
        paths,
        out_dir,
        settings,
        tools_for(settings),
        overrides=maps,
        source=source,
        as_of=as_of,
        command=cli.command_line(),
    )
    for plan in run.files:
        cli.out.print(f"[bold]{plan.path}[/] as '{plan.source}' ({plan.fmt.kind})", highlight=False)
    cli.out.print(f"{run.out}: {run.counts.line()} ({run.splits} splits)", highlight=False)


@spark_app.command("ingest")
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files to read (as 'skillgauge ingest').")],
    out_dir: Annotated[Path, typer.Option("--out", help="The Parquet dataset directory.")],
    maps: Annotated[
        list[str] | None, typer.Option("--map", help="Field mapping override, field=column.")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Source name to record.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date relative dates count back from.")
    ] = None,
    master: MasterOpt = None,
) -> None:
    """Read, clean, de-duplicate and extract on Spark into a Parquet dataset (the same as
    'skillgauge ingest --backend spark').

    Example: skillgauge spark ingest hn.jsonl.gz jobs.parquet --out dataset/ --master local[4]
    """
    cli = _cli()
    ingest_backend(
        "spark",
        paths,
        out_dir,
        cli._parse_maps(maps),
        source,
        cli._parse_date(as_of),
        master,
    )


@spark_app.command("shares")
def shares(
    data: DataOpt,
    role: Annotated[str, typer.Option("--role", help="Role id, or 'all'.")] = "all",
    compare: Annotated[
        list[str] | None, typer.Option("--compare", help="Another role (repeatable).")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=200, help="How many terms.")] = 20,
    master: MasterOpt = None,
) -> None:
    """Share of postings mentioning each technology, per role, with n and 95% intervals.

    Example: skillgauge spark shares --data dataset/ --role data-scientist --compare data-engineer
    """
    roles = list(dict.fromkeys([role, *(compare or [])]))
    df = _analyses(data, master).shares(roles=roles, top=top)
    _cli()._print_frame(df, f"shares: {', '.join(roles)}")


@spark_app.command("compare")
def compare(
    data: DataOpt,
    role_a: Annotated[str, typer.Argument(help="The role to profile.")],
    role_b: Annotated[str, typer.Argument(help="The role to compare with, or 'rest'.")] = "rest",
    overlap: Annotated[str, typer.Option("--overlap", help="exclude or include.")] = "exclude",
    source: Annotated[str | None, typer.Option("--source", help="One source only.")] = None,
    master: MasterOpt = None,
) -> None:
    """Which terms one role asks for more or less often than another (Newcombe CI, BH q).

    Example: skillgauge spark compare --data dataset/ machine-learning-engineer data-scientist
    """
    df = _analyses(data, master).compare(role_a, role_b, overlap=overlap, source=source)
    _cli()._print_frame(df.head(30), f"{role_a} vs {role_b}")


@spark_app.command("trends")
def trends(
    data: DataOpt,
    terms: Annotated[list[str], typer.Argument(help="Term ids to follow.")],
    role: Annotated[str | None, typer.Option("--role", help="One role only.")] = None,
    freq: Annotated[str, typer.Option("--freq", help="month or quarter.")] = "month",
    source: Annotated[str | None, typer.Option("--source", help="One source only.")] = None,
    master: MasterOpt = None,
) -> None:
    """Share per period of postings mentioning each term, with 95% Wilson intervals.

    Example: skillgauge spark trends --data dataset/ python pytorch --freq quarter
    """
    df = _analyses(data, master).trends(terms, role=role, freq=freq, source=source)
    _cli()._print_frame(df, "trends")
