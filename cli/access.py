"""CLI commands for access: users over their whole life (`user add|list|change|deactivate|
reactivate|rotate-token|changes`) and `access-log`. Changes are recorded as made by the
operating-system user through "cli"."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, TypeVar

import typer

from api.access_log import AccessLog, operating_system_user
from api.user_changes import UserChanges
from api.users import Actor, Role, UserStore
from domain.application import Boligspor
from domain.errors import UnknownUser, UserRefused
from domain.values import TEAMS
from settings import load_settings, scrub_library_environment

T = TypeVar("T")
TeamOption = Annotated[str | None, typer.Option(help=f"team (bare for field): {', '.join(TEAMS)}")]
NameArgument = Annotated[str, typer.Argument(help="brukernavn, f.eks. kari.nordmann")]


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


def _actor() -> Actor:
    return Actor(operating_system_user(), "cli")


@contextmanager
def _user_store(refusal: str) -> Iterator[UserStore]:
    """The user store of a fresh application; a refusal ends the command with exit code 1."""
    application = _application()
    try:
        yield _users(application)
    except (UserRefused, UnknownUser) as refused:
        typer.echo(f"{refusal}: {refused.message}", err=True)
        raise typer.Exit(1) from None
    finally:
        application.close()


def _act(refusal: str, act: Callable[[UserStore, datetime], T]) -> T:
    with _user_store(refusal) as users:
        return act(users, datetime.now(UTC))


def register(app: typer.Typer) -> None:
    """Add the `user` commands and `access-log` to the boligspor command."""
    user_app = typer.Typer(help="Brukere av API-et og nettsidene.", no_args_is_help=True)
    app.add_typer(user_app, name="user")

    @user_app.command("add")
    def user_add(
        name: NameArgument,
        role: Annotated[str, typer.Option(help=f"rolle: {', '.join(r.value for r in Role)}")],
        team: TeamOption = None,
    ) -> None:
        """Legg til en bruker og skriv ut tilgangsnøkkelen (vises bare denne ene gangen)."""
        user, token = _act(
            "Brukeren ble ikke lagt til",
            lambda users, now: users.add(name, role, team, now=now, by=_actor()),
        )
        typer.echo(f"La til {user.name} ({user.role.value}). Tilgangsnøkkel (vises bare nå):")
        typer.echo(token)

    @user_app.command("list")
    def user_list() -> None:
        """Vis alle brukere med rolle, team, når de ble lagt til og om de er aktive (aldri
        nøklene)."""
        users = _act("Kunne ikke vise brukerne", lambda store, _: store.all())
        for user in users:
            state = "aktiv" if user.active else "deaktivert"
            typer.echo(
                f"{user.name}\t{user.role.value}\t{user.team or '-'}\t{user.created_at}\t{state}"
            )

    @user_app.command("change")
    def user_change(
        name: NameArgument,
        role: Annotated[str, typer.Option(help=f"rolle: {', '.join(r.value for r in Role)}")],
        team: TeamOption = None,
    ) -> None:
        """Gi en bruker en annen rolle eller et annet team (gjelder fra neste forespørsel)."""
        user = _act(
            "Brukeren ble ikke endret",
            lambda users, now: users.change(name, role=role, team=team, now=now, by=_actor()),
        )
        typer.echo(f"{user.name} har nå rollen {user.role.value}, team {user.team or '-'}.")

    @user_app.command("deactivate")
    def user_deactivate(name: NameArgument) -> None:
        """Ta bort tilgangen: nøkkelen og innloggingene slutter å virke med én gang."""
        _act(
            "Brukeren ble ikke deaktivert",
            lambda users, now: users.deactivate(name, now=now, by=_actor()),
        )
        typer.echo(f"{name} er deaktivert.")

    @user_app.command("reactivate")
    def user_reactivate(name: NameArgument) -> None:
        """Gi en deaktivert bruker tilgang igjen, med nøkkelen de hadde."""
        _act(
            "Brukeren ble ikke aktivert",
            lambda users, now: users.reactivate(name, now=now, by=_actor()),
        )
        typer.echo(f"{name} er aktiv igjen.")

    @user_app.command("rotate-token")
    def user_rotate_token(name: NameArgument) -> None:
        """Lag en ny tilgangsnøkkel (vises bare nå); den gamle og innloggingene slutter å
        virke."""
        token = _act(
            "Ingen ny nøkkel",
            lambda users, now: users.rotate_token(name, now=now, by=_actor()),
        )
        typer.echo(f"Ny tilgangsnøkkel for {name} (vises bare nå):")
        typer.echo(token)

    @user_app.command("changes")
    def user_changes(
        user: Annotated[str | None, typer.Option(help="bare endringer av denne brukeren")] = None,
        limit: Annotated[int, typer.Option(min=1, help="høyst så mange, nyeste først")] = 1000,
    ) -> None:
        """Vis hver endring av brukere: når, av hvem, gjennom hva, hvem og hva (nyeste først)."""
        changes = _act(
            "Kunne ikke vise endringene",
            lambda store, _: UserChanges(store.sql).entries(user, limit),
        )
        for c in changes:
            typer.echo(f"{c.at}\t{c.by}\t{c.via}\t{c.user}\t{c.change}\t{c.detail or '-'}")

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
