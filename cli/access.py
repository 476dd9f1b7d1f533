"""CLI commands for access: `user add`, `user list` and `access-log`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from api.access_log import AccessLog
from api.users import Role, UserRefused, UserStore
from domain.application import Boligspor
from domain.values import TEAMS
from settings import load_settings, scrub_library_environment


def _application() -> Boligspor:
    scrub_library_environment()
    return Boligspor(load_settings())


def _users(app: Boligspor) -> UserStore:
    users = UserStore(app.sql)
    users.ensure_table()
    return users


def _access_log(app: Boligspor) -> AccessLog:
    log = AccessLog(app.sql)
    log.ensure_table()
    return log


def register(app: typer.Typer) -> None:
    """Add `user add`, `user list` and `access-log` to the boligspor command."""
    user_app = typer.Typer(help="Brukere av API-et og nettsidene.", no_args_is_help=True)
    app.add_typer(user_app, name="user")

    @user_app.command("add")
    def user_add(
        name: Annotated[str, typer.Argument(help="brukernavn, f.eks. kari.nordmann")],
        role: Annotated[str, typer.Option(help=f"rolle: {', '.join(r.value for r in Role)}")],
        team: Annotated[
            str | None, typer.Option(help=f"team (bare for field): {', '.join(TEAMS)}")
        ] = None,
    ) -> None:
        """Legg til en bruker og skriv ut tilgangsnøkkelen (vises bare denne ene gangen)."""
        application = _application()
        try:
            user, token = _users(application).add(name, role, team, now=datetime.now(UTC))
        except UserRefused as refused:
            typer.echo(f"Brukeren ble ikke lagt til: {refused}", err=True)
            raise typer.Exit(1) from None
        finally:
            application.close()
        typer.echo(f"La til {user.name} ({user.role.value}). Tilgangsnøkkel (vises bare nå):")
        typer.echo(token)

    @user_app.command("list")
    def user_list() -> None:
        """Vis alle brukere med rolle og team (aldri nøklene)."""
        application = _application()
        try:
            users = _users(application).all()
        finally:
            application.close()
        for user in users:
            typer.echo(f"{user.name}\t{user.role.value}\t{user.team or '-'}\t{user.created_at}")

    @app.command("access-log")
    def access_log(
        case: Annotated[str | None, typer.Option(help="bare lesinger av denne saken")] = None,
        limit: Annotated[int, typer.Option(min=1, help="høyst så mange, nyeste først")] = 1000,
        flagged: Annotated[
            bool, typer.Option("--flagged", help="bare merkede lesinger (utenfor eget team)")
        ] = False,
    ) -> None:
        """Vis hvem som har lest hvilke saker, når, hvordan og hvorfor (nyeste først); merkede
        lesinger (utenfor eget team) slutter med «merket»."""
        application = _application()
        try:
            entries = _access_log(application).entries(
                case, limit, flagged=True if flagged else None
            )
        finally:
            application.close()
        for e in entries:
            mark = "merket" if e.flagged else "-"
            typer.echo(
                f"{e.at}\t{e.user}\t{e.role}\t{e.case}\t{e.route}\t{e.reason or '-'}\t{mark}"
            )
