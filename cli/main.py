"""The `boligspor` command line: import, export, history, reports, demo data, admin acts."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli import failures, logs
from domain.application import Boligspor, Refused
from domain.errors import DomainError, InvalidEvent
from domain.municipality import MunicipalityConfigError
from domain.refs import escaped_text
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


def numbered_lines(handle: BinaryIO) -> Iterator[tuple[int, str]]:
    """The non-blank lines of a file with their numbers; a line that is not UTF-8 stops the
    import with its number (the refusal is printed escaped: no control character reaches
    the terminal)."""
    for number, raw in enumerate(handle, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidEvent(
                f"line {number}: not UTF-8 (byte {error.start + 1} of the line)"
            ) from None
        if line.strip():
            yield number, line


@app.command("import")
def import_files(
    files: Annotated[
        list[Path], typer.Argument(help="JSON Lines files (docs/events.md)", exists=True)
    ],
) -> None:
    """Import event files; each file is stored whole or not at all.

    The format, its rules and value sets: docs/events.md; JSON Schema: docs/events.schema.json.
    """
    config = settings()
    service = open_app(config)
    failed = False
    for path in files:
        try:
            with path.open("rb") as handle, progress_bar(f"Importerer {path.name}") as update:
                lines = numbered_lines(handle)
                result = service.import_lines(lines, default_by="import", progress=update)
        except Refused as refused:
            failed = True
            err.print(f"{path}: nothing stored; {len(refused.refusals)} line(s) refused:")
            for refusal in refused.refusals:
                err.print(f"  {path}:{escaped_text(str(refusal))}", markup=False, highlight=False)
            continue
        except DomainError as error:
            failed = True
            err.print(
                f"{path}: nothing stored: {escaped_text(failures.described(error).message)}",
                markup=False,
            )
            continue
        print(f"{path}: {result.stored} stored, {result.duplicates} already stored")
    if failed:
        raise typer.Exit(1)


@app.command("export", epilog="The format: docs/events.md in the repository.")
def export(
    case: Annotated[str | None, typer.Option(help="only this case")] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="file (default stdout)")
    ] = None,
) -> None:
    """Write every event in recording order, in the import format (a read of personal data,
    kept in the access log with the operating-system user: the case, or for a whole export an
    entry for every case besides one, made first, for the whole store)."""
    service = open_app(settings())
    if case is None:
        record_reads(service, None, "cli export")
    seen: dict[str, None] = {}
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for event in service.export(case=case):
            ref = event.get("case")
            if isinstance(ref, str) and ref not in seen:
                seen[ref] = None
                if case is not None:
                    record_reads(service, [case], "cli export --case")
            out.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
        if case is None:
            record_reads(service, list(seen), "cli export")
    except DomainError as error:
        err.print(error.message, markup=False)
        raise typer.Exit(1) from None
    finally:
        if output:
            out.close()


@app.command("history")
def history(ref: Annotated[str, typer.Argument(help="case reference, e.g. S-2023-0142")]) -> None:
    """Show a case's timeline: business date, recorded when and by whom, what, retractions
    (a read of personal data, kept in the access log with the operating-system user)."""
    service = open_app(settings())
    try:
        items = service.case_history(ref)
    except DomainError as error:
        err.print(error.message, markup=False)
        raise typer.Exit(1) from None
    record_reads(service, [ref], "cli history")
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


def record_reads(service: Boligspor, cases: list[str] | None, route: str) -> None:
    """Keep reads of personal data through the command line in the access log: of these
    cases, or of the whole store when `cases` is None."""
    from api.access_log import WHOLE_STORE, AccessLog

    log = AccessLog(service.sql)
    log.ensure_table()
    log.record_cli([WHOLE_STORE] if cases is None else cases, route, now=service.clock())


def _print_data_quality(store: Any, day: date, fmt: str | None, output: Path | None) -> None:
    """The data-quality lists as JSON (case refs only) or as a table."""
    from projections.data_quality import data_quality
    from projections.formats.outcome_tables import data_quality_table
    from projections.formats.text_table import render_text
    from projections.labels import label

    lists = data_quality(store, day)
    chosen = fmt or ("table" if sys.stdout.isatty() and output is None else "json")
    if chosen not in ("json", "table"):
        err.print("--data-quality is given as json or table")
        raise typer.Exit(2)
    if chosen == "json":
        rendered = json.dumps(lists, ensure_ascii=False, indent=1)
    else:
        heading = f"{label('report.data_quality')} {label('word.as_of')} {day:%d.%m.%Y}"
        rendered = render_text([data_quality_table(lists)], heading)
    if output is not None:
        output.write_text(rendered + "\n", encoding="utf-8")
    else:
        typer.echo(rendered)


@app.command("report")
def report(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="status report as of YYYY-MM-DD")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="annual report for a year")] = None,
    by_name_list: Annotated[
        bool, typer.Option("--by-name-list", help="monthly by-name figures for --year")
    ] = False,
    plan: Annotated[
        bool,
        typer.Option("--plan", help="progress towards the housing plan's targets"),
    ] = False,
    outcomes: Annotated[
        bool, typer.Option("--outcomes", help="KOSTRA figures and outcomes for --year")
    ] = False,
    data_quality: Annotated[
        bool, typer.Option("--data-quality", help="data-quality work lists for --as-of")
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
    """Produce the status report (--as-of), the annual report (--year), the by-name list, the
    outcome report (--outcomes --year), the data-quality lists (--data-quality --as-of) or the
    plan's progress (--plan).

    Every report and figure, with its definition: docs/figures.md in the repository.
    """
    from projections.annual_report import annual_report
    from projections.by_name_list import by_name_list as by_name_figures
    from projections.formats import FORMATS, render
    from projections.status_report import status_report
    from projections.suppression import suppress

    if fmt is not None and fmt not in FORMATS:
        err.print(f"--format {fmt} is not one of {', '.join(FORMATS)}", markup=False)
        raise typer.Exit(2)
    config = settings()
    service = open_app(config)
    if plan:
        _print_plan_progress(service, config, fmt, output)
        return
    if (as_of is None) == (year is None):
        err.print("give exactly one of --as-of YYYY-MM-DD, --year YYYY or --plan")
        raise typer.Exit(2)
    if by_name_list and year is None:
        err.print("--by-name-list needs --year")
        raise typer.Exit(2)
    if outcomes and year is None:
        err.print("--outcomes needs --year")
        raise typer.Exit(2)
    if data_quality and as_of is None:
        err.print("--data-quality needs --as-of")
        raise typer.Exit(2)
    store = catch_up_read_models(service, config)
    today = service.today()
    municipality = service.municipality
    districts = municipality.district_codes
    if (as_reported or changes_since_reported) and year is None:
        err.print("--as-reported and --changes-since-reported need --year")
        raise typer.Exit(2)
    if changes_since_reported:
        assert year is not None
        _print_changes_since_reported(service, store, year, today, fmt)
        return
    if as_reported:
        from projections.reported_figures import as_reported as frozen_report

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
        if data_quality:
            _print_data_quality(store, day, fmt, output)
            return
        figures, kind = status_report(store, day, districts), "status"
    elif outcomes:
        from projections.outcome_report import outcome_report

        assert year is not None
        figures, kind = outcome_report(store, year, today, districts), "outcomes"
    elif by_name_list:
        assert year is not None
        figures, kind = by_name_figures(store, year, today), "by_name_list"
    else:
        assert year is not None
        figures, kind = annual_report(store, year, today, districts), "annual"
    if public:
        figures = suppress(figures)
    chosen = fmt or ("table" if sys.stdout.isatty() and output is None else "json")
    series = None
    if chosen in ("html", "xlsx") and kind == "annual" and year is not None:
        from projections.monthly_series import monthly_series
        from projections.suppression import suppress_series

        series = monthly_series(store, year, today)
        series = suppress_series(series) if public else series
    rendered = render(
        figures,
        kind,
        chosen,
        series=series,
        districts=municipality.district_table,
        heading=municipality.heading,
        municipality=municipality,
        made_on=today,
    )
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


def _print_plan_progress(
    service: Boligspor, config: Settings, fmt: str | None, output: Path | None
) -> None:
    from projections.formats.plan_progress_table import render_plan_progress_text
    from projections.formats.plan_tables import PLAN_FORMATS, render_plan
    from projections.plan_progress import plan_progress

    chosen = fmt or ("table" if sys.stdout.isatty() and output is None else "json")
    if chosen not in PLAN_FORMATS:
        err.print(f"--plan is written as {', '.join(PLAN_FORMATS)} (not {chosen})")
        raise typer.Exit(2)
    store = catch_up_read_models(service, config)
    progress = plan_progress(store, service.municipality, service.today())
    rendered: str | bytes
    if chosen == "json":
        rendered = json.dumps(progress, ensure_ascii=False, indent=1) + "\n"
    elif chosen == "table":
        rendered = render_plan_progress_text(progress, service.municipality.heading)
    else:
        rendered = render_plan(progress, chosen, made_on=service.today())
    if isinstance(rendered, bytes):
        if output is None:
            err.print(f"--format {chosen} needs -o FILE")
            raise typer.Exit(2)
        output.write_bytes(rendered)
    elif output is not None:
        output.write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered)


def _print_changes_since_reported(
    service: Boligspor, store: Any, year: int, today: date, fmt: str | None
) -> None:
    from projections.reported_figures import changes_since_reported

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
    events = list(
        generate(seed, today=service.today(), districts=service.municipality.district_codes)
    )
    lines = [(n, event) for n, event in enumerate(events, 1)]
    with progress_bar("Lager demodata") as update:
        result = service.submit(lines, default_by="demo", progress=update)
    catch_up_read_models(service, config)
    print(f"demo: {len(result.stored)} events stored in {config.database_url}")
    print("demo users (log in at /app/ with the name and the token; shown only now):")
    for name, role, team in DEMO_USERS:
        try:
            _, token = _user_store(service).add(name, role, team, now=service.clock())
        except DomainError:
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


def _register_commands() -> None:
    from cli import access, backup, keys, serving
    from workers import cli as worker_cli

    access.register(app)
    backup.register(app)
    keys.register(app)
    serving.register(app)
    worker_cli.register(app)


_register_commands()


def main() -> None:
    failures.run_reporting_failures(app)


if __name__ == "__main__":
    main()
