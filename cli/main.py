"""The `boligspor` command line: import, export, history, reports, demo data, admin acts.

Each command group lives in its own module; this one only assembles them (the order of
registration is the order `boligspor --help` lists them in).
"""

from __future__ import annotations

import typer

from cli import (
    access,
    backup,
    cases,
    demo,
    event_files,
    failures,
    keys,
    read_models,
    reports,
    search,
    serving,
    worker,
)

app = typer.Typer(
    help="Boligspor: event-sourced case tracking for housing-social follow-up.",
    no_args_is_help=True,
    add_completion=False,
)
for part in (
    read_models,
    event_files,
    cases,
    reports,
    demo,
    access,
    backup,
    keys,
    search,
    serving,
    worker,
):
    part.register(app)


def main() -> None:
    failures.run_command_line(app)


if __name__ == "__main__":
    main()
