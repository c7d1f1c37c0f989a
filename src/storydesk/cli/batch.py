"""`storydesk batch` and `storydesk load`: corpora that outgrow one process (docs/scale.md)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from storydesk.cli import main
from storydesk.cli.common import console, db_option, err_console, settings_for, store_for


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (Parquet tables). Run again with the same folder to finish a killed job.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="Where the reading and comparing run: this process, or Spark (needs Java 17+).",
)
@click.option("--master", default="local[*]", show_default=True, help="Spark master URL (spark-submit's wins).")
@click.option(
    "--partitions",
    type=click.IntRange(min=1),
    default=None,
    help="Read tasks at least: big JSONL files are split until there are this many. Default: the engine's cores.",
)
@click.option(
    "--processes",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="--engine local: reading processes, 0 = one per core when the input is big enough, 1 = this process.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line and errors.")
def batch(
    inputs: tuple[str, ...],
    out: Path,
    engine: str,
    master: str,
    partitions: int | None,
    processes: int,
    quiet: bool,
) -> None:
    """Read INPUTS (files, folders, globs; with Spark also s3a://, gs://, hdfs://, file:// URIs) into Parquet.

    The same articles, stories and findings as `storydesk ingest` over the same
    inputs, written to OUT as articles, entities, stories and findings tables
    (`storydesk load OUT --db ...` puts them in a store). One line per failed
    input, also in OUT/errors.jsonl; exit code 1 when any input failed.
    """
    from storydesk.batch import run_batch
    from storydesk.batch.engines import SparkUnavailable

    settings = settings_for(None)
    settings.batch.min_tasks = partitions
    settings.read.processes = processes

    def progress(line: str) -> None:
        if line.startswith("failed:"):
            err_console.print(f"[red]{escape(line)}[/red]", soft_wrap=True)
        elif not quiet:
            err_console.print(escape(line), soft_wrap=True)

    try:
        summary = run_batch(list(inputs), out, settings, engine=engine, master=master, progress=progress)
    except (SparkUnavailable, ValueError) as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        raise SystemExit(1) from None
    for source, reason in summary.failed:
        err_console.print(f"[red]failed:[/red] {escape(source)}: {escape(reason)}", soft_wrap=True)
    console.print(f"{summary.line}; wrote {out}")
    if summary.failed:
        raise SystemExit(1)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@db_option
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line.")
def load(folder: Path, db: str | None, quiet: bool) -> None:
    """Load FOLDER, the output of `storydesk batch`, into the store (SQLite or PostgreSQL).

    Into an empty store it copies the job's articles, stories and findings as
    they are; into a store with other articles it adds the articles and links
    them there. Running it again (after a kill, or twice) adds nothing twice.
    """
    from storydesk.batch.load import check_output
    from storydesk.batch.load import load as load_output

    try:
        check_output(folder)
    except FileNotFoundError as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise SystemExit(1) from None
    settings = settings_for(db)
    with store_for(settings) as store:
        summary = load_output(folder, store, settings, progress=None if quiet else err_console.print)
    console.print(summary.line)
