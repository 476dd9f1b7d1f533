"""`boligspor demo`: a synthetic municipality (no real people) and its demo users."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cli.context import catch_up_read_models, open_app, progress_bar, settings
from domain.application import Boligspor
from domain.errors import DomainError


def register(app: typer.Typer) -> None:
    """Add the `demo` command to the command line."""
    app.command("demo")(demo)


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
