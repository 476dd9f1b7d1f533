"""`boligspor report`: the status, annual, by-name, outcome, data-quality and plan reports
(every figure with its definition: docs/figures.md)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.context import catch_up_read_models, err, open_app, settings
from domain.application import Boligspor
from settings import Settings


def register(app: typer.Typer) -> None:
    """Add the `report` command to the command line."""
    app.command("report")(report)


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
    as_counted: Annotated[
        bool,
        typer.Option(
            "--as-counted",
            help="with --by-name-list: the months as the worker counted them when each ended",
        ),
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
    if as_counted and not by_name_list:
        err.print("--as-counted needs --by-name-list --year")
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
    elif by_name_list and as_counted:
        assert year is not None
        chosen_json = (
            fmt or ("table" if sys.stdout.isatty() and output is None else "json")
        ) == "json"
        figures, kind = _as_counted(store, year, keep_counted_at=chosen_json), "by_name_list"
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


def _as_counted(store: Any, year: int, *, keep_counted_at: bool) -> dict[str, Any]:
    """The year's by-name months as stored when each ended (JSON keeps when each was counted)."""
    from projections.monthly_figures import monthly_by_name_figures

    months = monthly_by_name_figures(store, f"{year}-01", f"{year}-12")
    if not months:
        err.print(f"no month of {year} was counted (the worker counts each month after it ends)")
        raise typer.Exit(1)
    err.print(
        f"by-name figures of {year} as counted: {months[0]['month']} to {months[-1]['month']}"
    )
    if not keep_counted_at:
        months = [{k: v for k, v in m.items() if k != "counted_at"} for m in months]
    return {"year": year, "months": months}


def _print_plan_progress(
    service: Boligspor, config: Settings, fmt: str | None, output: Path | None
) -> None:
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
    else:
        rendered = render_plan(
            progress,
            chosen,
            made_on=service.today(),
            municipality_heading=service.municipality.heading,
        )
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
