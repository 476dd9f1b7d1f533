"""What every command shares: the settings (with logging), the application, the error console,
the progress bar, the read models caught up, and reads of personal data kept in the access log."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli import logs
from domain.application import Boligspor
from domain.municipality import MunicipalityConfigError
from settings import Settings, load_settings, scrub_library_environment

err = Console(stderr=True, soft_wrap=True)


def settings() -> Settings:
    scrub_library_environment()
    loaded = load_settings()
    logs.configure(loaded.log_level, json_lines=loaded.log_json)
    return loaded


def open_app(config: Settings) -> Boligspor:
    """The application; its tables are created under the schema lock (other processes may be
    starting on the same empty database)."""
    from domain import locks

    try:
        with locks.holding(config.database_url, locks.SCHEMA):
            return Boligspor(config)
    except MunicipalityConfigError as error:
        err.print(f"BOLIGSPOR_MUNICIPALITY: {error}", markup=False)
        raise typer.Exit(2) from None


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on a terminal; silent otherwise."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield update


def catch_up_read_models(service: Boligspor, config: Settings) -> Any:
    from projections.db import ReadStore
    from projections.runner import catch_up

    store = ReadStore.open(config.database_url)
    with progress_bar("Oppdaterer lesemodeller") as update:
        catch_up(service, store, progress=update)
    return store


def record_reads(service: Boligspor, cases: list[str] | None, route: str) -> None:
    """Keep reads of personal data through the command line in the access log: of these
    cases, or of the whole store when `cases` is None."""
    from api.access_log import WHOLE_STORE, AccessLog

    log = AccessLog(service.sql)
    log.ensure_table()
    log.record_cli([WHOLE_STORE] if cases is None else cases, route, now=service.clock())
