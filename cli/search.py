"""`boligspor search-index rebuild`: the keyed search index (domain/search_index.py) written
anew from the stored events, for a store made before the index existed."""

from __future__ import annotations

import typer

from cli.context import open_app, settings
from projections.labels import label

search_app = typer.Typer(help="The search index of names, ids and addresses.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the `search-index` commands to the command line."""
    app.add_typer(search_app, name="search-index")


@search_app.command("rebuild")
def rebuild() -> None:
    """Write the search index anew from every stored event (erased cases get no entries)."""
    service = open_app(settings())
    try:
        rows = service.rebuild_search_index()
    finally:
        service.close()
    print(label("search_index.rebuilt").format(rows=rows))
