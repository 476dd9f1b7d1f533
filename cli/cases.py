"""`boligspor history` and `boligspor case restrict|lift-restriction|erase`: one case's
timeline, and the acts that protect its personal data."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

import typer

from cli.context import err, open_app, record_reads, settings
from domain.application import Boligspor
from domain.errors import DomainError

case_app = typer.Typer(help="Restrict (sperre) or erase a case.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the `history` and `case` commands to the command line."""
    app.command("history")(history)
    app.add_typer(case_app, name="case")


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


@case_app.command("restrict")
def case_restrict(
    ref: Annotated[str, typer.Argument(help="case reference")],
    reason: Annotated[str, typer.Option(help="why (kept in the log)")],
    by: Annotated[str, typer.Option(help="who decided")] = "admin",
) -> None:
    """Sperring: only admins may read or write the case from now on; every read is logged."""
    _protect(ref, lambda app: app.restrict_case(ref, reason=reason, by=by), "is restricted")


@case_app.command("lift-restriction")
def case_lift_restriction(
    ref: Annotated[str, typer.Argument(help="case reference")],
    reason: Annotated[str, typer.Option(help="why (kept in the log)")],
    by: Annotated[str, typer.Option(help="who decided")] = "admin",
) -> None:
    """End a case's restriction (the restriction and its lifting both stay in the log)."""
    _protect(ref, lambda app: app.lift_restriction(ref, reason=reason, by=by), "restriction lifted")


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
