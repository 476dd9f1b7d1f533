"""The `boligspor` command line: import, export, history, reports, demo data, admin acts."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli import failures, logs
from domain.application import Boligspor, Refused
from domain.errors import DomainError
from settings import Settings, load_settings, scrub_library_environment

app = typer.Typer(
    help="Boligspor: event-sourced case tracking for housing-social follow-up.",
    no_args_is_help=True,
    add_completion=False,
)
projections_app = typer.Typer(help="Read models: catch up, rebuild, lag.", no_args_is_help=True)
case_app = typer.Typer(help="Restrict (sperre) or erase a case.", no_args_is_help=True)
app.add_typer(projections_app, name="projections")
app.add_typer(case_app, name="case")
err = Console(stderr=True, soft_wrap=True)


def settings() -> Settings:
    scrub_library_environment()
    loaded = load_settings()
    logs.configure(loaded.log_level, json_lines=loaded.log_json)
    return loaded


def open_app(config: Settings) -> Boligspor:
    return Boligspor(config)


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


@app.command("import")
def import_files(
    files: Annotated[list[Path], typer.Argument(help="JSON Lines files (EVENTS.md)", exists=True)],
) -> None:
    """Import event files; each file is stored whole or not at all."""
    config = settings()
    service = open_app(config)
    failed = False
    for path in files:
        try:
            with (
                path.open(encoding="utf-8") as handle,
                progress_bar(f"Importerer {path.name}") as update,
            ):
                lines = ((n, line) for n, line in enumerate(handle, 1) if line.strip())
                result = service.import_lines(lines, default_by="import", progress=update)
        except Refused as refused:
            failed = True
            err.print(f"{path}: nothing stored; {len(refused.refusals)} line(s) refused:")
            for refusal in refused.refusals:
                err.print(f"  {path}:{refusal}", markup=False, highlight=False)
            continue
        except DomainError as error:
            failed = True
            err.print(f"{path}: nothing stored: {failures.described(error).message}", markup=False)
            continue
        print(f"{path}: {result.stored} stored, {result.duplicates} already stored")
    if failed:
        raise typer.Exit(1)


@app.command("export")
def export(
    case: Annotated[str | None, typer.Option(help="only this case")] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="file (default stdout)")
    ] = None,
) -> None:
    """Write every event in recording order, in the import format."""
    service = open_app(settings())
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for event in service.export(case=case):
            out.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
    except DomainError as error:
        err.print(error.message, markup=False)
        raise typer.Exit(1) from None
    finally:
        if output:
            out.close()


@app.command("history")
def history(ref: Annotated[str, typer.Argument(help="case reference, e.g. S-2023-0142")]) -> None:
    """Show a case's timeline: business date, recorded when and by whom, what, retractions."""
    service = open_app(settings())
    try:
        items = service.case_history(ref)
    except DomainError as error:
        err.print(error.message, markup=False)
        raise typer.Exit(1) from None
    print(f"{'dato':<10}  {'registrert (UTC)':<19}  {'av':<12}  hendelse")
    for item in sorted(items, key=lambda i: i.record.on):
        record = item.record
        details = {
            k: v for k, v in record.to_json().items() if k not in ("id", "type", "case", "on", "by")
        }
        mark = ""
        if item.retracted_by:
            mark = f"  [TRUKKET TILBAKE av {item.retracted_by}: {item.retraction_reason}]"
        if item.erased:
            mark += "  [personopplysninger slettet]"
        print(
            f"{record.on.isoformat():<10}  {item.recorded_at:%Y-%m-%d %H:%M:%S}  "
            f"{(record.by or ''):<12}  {record.type} {record.id} "
            f"{json.dumps(details, ensure_ascii=False)}{mark}"
        )


@app.command("report")
def report(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="status report as of YYYY-MM-DD")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="annual report for a year")] = None,
    by_name_list: Annotated[
        bool, typer.Option("--by-name-list", help="monthly by-name figures for --year")
    ] = False,
    fmt: Annotated[
        str | None, typer.Option("--format", help="json, table, csv, xlsx or html")
    ] = None,
    public: Annotated[
        bool, typer.Option("--public", help="suppress counts 1-4 for publishing")
    ] = False,
    as_reported: Annotated[
        bool, typer.Option("--as-reported", help="with --year: the figures as frozen on 1 January")
    ] = False,
    changes_since_reported: Annotated[
        bool,
        typer.Option(
            "--changes-since-reported",
            help="with --year: figures late entries changed since they were frozen, and why",
        ),
    ] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="file (default stdout)")
    ] = None,
) -> None:
    """Produce the status report (--as-of), the annual report (--year) or the by-name list."""
    from projections.annual_report import annual_report
    from projections.by_name_list import by_name_list as by_name_figures
    from projections.formats import render
    from projections.status_report import status_report
    from projections.suppression import suppress

    config = settings()
    service = open_app(config)
    if (as_of is None) == (year is None):
        err.print("give exactly one of --as-of YYYY-MM-DD or --year YYYY")
        raise typer.Exit(2)
    if by_name_list and year is None:
        err.print("--by-name-list needs --year")
        raise typer.Exit(2)
    store = catch_up_read_models(service, config)
    today = service.today()
    if (as_reported or changes_since_reported) and year is None:
        err.print("--as-reported and --changes-since-reported need --year")
        raise typer.Exit(2)
    if changes_since_reported:
        assert year is not None
        _print_changes_since_reported(service, store, year, today, fmt)
        return
    if as_reported:
        from workers.reported_figures import as_reported as frozen_report

        assert year is not None
        snapshot = frozen_report(store, year)
        if snapshot is None:
            err.print(f"the figures of {year} were never frozen (the worker does it on 1 January)")
            raise typer.Exit(1)
        err.print(f"figures of {year} as frozen at {snapshot.made_at}")
        figures, kind = snapshot.report, "annual"
    elif as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            err.print(f"--as-of {as_of} is not a date YYYY-MM-DD")
            raise typer.Exit(2) from None
        figures, kind = status_report(store, day), "status"
    elif by_name_list:
        assert year is not None
        figures, kind = by_name_figures(store, year, today), "by_name_list"
    else:
        assert year is not None
        figures, kind = annual_report(store, year, today), "annual"
    if public:
        figures = suppress(figures)
    chosen = fmt or ("table" if sys.stdout.isatty() and output is None else "json")
    series = None
    if chosen == "html" and kind == "annual" and year is not None:
        from projections.monthly_series import monthly_series
        from projections.suppression import suppress_series

        series = monthly_series(store, year, today)
        series = suppress_series(series) if public else series
    rendered = render(figures, kind, chosen, series=series)
    if output is not None:
        if isinstance(rendered, bytes):
            output.write_bytes(rendered)
        else:
            output.write_text(
                rendered + ("" if rendered.endswith("\n") else "\n"), encoding="utf-8"
            )
    elif isinstance(rendered, bytes):
        sys.stdout.buffer.write(rendered)
    else:
        print(rendered)


def _print_changes_since_reported(
    service: Boligspor, store: Any, year: int, today: date, fmt: str | None
) -> None:
    from workers.reported_figures import changes_since_reported

    changes = changes_since_reported(service, store, year, today)
    if changes is None:
        err.print(f"the figures of {year} were never frozen (the worker does it on 1 January)")
        raise typer.Exit(1)
    if fmt == "json":
        print(json.dumps(changes.to_json(), ensure_ascii=False, indent=1))
    else:
        print("\n".join(changes.lines()))


@app.command("demo")
def demo(
    seed: Annotated[int, typer.Option(help="random seed of the synthetic municipality")] = 2023,
) -> None:
    """Fill an empty store with a realistic synthetic municipality (no real people)."""
    from domain.demo import generate

    config = settings()
    service = open_app(config)
    if service.max_position() > 0:
        print("the store already holds events: demo data goes only into an empty store")
        return
    events = list(generate(seed, today=service.today()))
    lines = [(n, event) for n, event in enumerate(events, 1)]
    with progress_bar("Lager demodata") as update:
        result = service.submit(lines, default_by="demo", progress=update)
    catch_up_read_models(service, config)
    print(f"demo: {len(result.stored)} events stored in {config.database_url}")
    print("demo users (log in at /app/ with the name and the token; shown only now):")
    for name, role, team in DEMO_USERS:
        try:
            _, token = _user_store(service).add(name, role, team, now=service.clock())
        except ValueError:
            continue
        print(f"  {name:<14} {role:<10} {team or '':<13} {token}")


DEMO_USERS = (
    ("hf-demo", "field", "housing_first"),
    ("vakt-demo", "field", "caretaker"),
    ("saksbehandler", "caseworker", None),
    ("leder", "leader", None),
    ("admin", "admin", None),
)


def _user_store(service: Boligspor) -> Any:
    from api.users import UserStore

    store = UserStore(service.sql)
    store.ensure_table()
    return store


@projections_app.command("rebuild")
def projections_rebuild() -> None:
    """Drop every read model and build it again from the event store."""
    from projections.db import ReadStore
    from projections.runner import rebuild

    config = settings()
    service = open_app(config)
    store = ReadStore.open(config.database_url)
    with progress_bar("Bygger lesemodeller") as update:
        count = rebuild(service, store, progress=update)
    print(f"rebuilt read models from {count} events")


@projections_app.command("catch-up")
def projections_catch_up() -> None:
    """Apply every event the read models have not seen yet."""
    config = settings()
    catch_up_read_models(open_app(config), config)
    print("read models are up to date")


@projections_app.command("lag")
def projections_lag() -> None:
    """How many positions each read model is behind the event store."""
    from projections.db import ReadStore
    from projections.runner import lag

    config = settings()
    for name, behind in lag(open_app(config), ReadStore.open(config.database_url)).items():
        print(f"{name}: {behind}")


@case_app.command("restrict")
def case_restrict(
    ref: Annotated[str, typer.Argument(help="case reference")],
    reason: Annotated[str, typer.Option(help="why (kept in the log)")],
    by: Annotated[str, typer.Option(help="who decided")] = "admin",
) -> None:
    """Sperring: only admins may read the case from now on; every read is logged."""
    _protect(ref, lambda app: app.restrict_case(ref, reason=reason, by=by), "is restricted")


@case_app.command("erase")
def case_erase(
    ref: Annotated[str, typer.Argument(help="case reference")],
    reason: Annotated[str, typer.Option(help="legal basis, e.g. retention period ended")],
    by: Annotated[str, typer.Option(help="who decided")] = "admin",
) -> None:
    """Erase a case's personal data for good (its key is destroyed); figures are unchanged."""
    _protect(ref, lambda app: app.erase_case(ref, reason=reason, by=by), "personal data erased")


def _protect(ref: str, act: Callable[[Boligspor], None], done: str) -> None:
    service = open_app(settings())
    try:
        act(service)
    except DomainError as error:
        err.print(error.message, markup=False)
        raise typer.Exit(1) from None
    print(f"{ref}: {done}")


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
) -> None:
    """Run the HTTP API and the web pages."""
    import uvicorn

    config = settings()
    from api.app import create_app

    uvicorn.run(create_app(config), host=host, port=port, log_config=None, access_log=False)


def _register_commands() -> None:
    from cli import access, keys
    from workers import cli as worker_cli

    access.register(app)
    keys.register(app)
    worker_cli.register(app)


_register_commands()


def main() -> None:
    failures.run_reporting_failures(app)


if __name__ == "__main__":
    main()
