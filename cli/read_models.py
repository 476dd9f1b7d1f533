"""`boligspor projections rebuild|catch-up|lag`: the read models kept up with the event store."""

from __future__ import annotations

import typer

from cli.context import catch_up_read_models, open_app, progress_bar, settings

projections_app = typer.Typer(help="Read models: catch up, rebuild, lag.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the `projections` commands to the command line."""
    app.add_typer(projections_app, name="projections")


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
