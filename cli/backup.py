"""`boligspor backup` and `boligspor restore`: the whole store (events, keys wrapped by the
master key, users, access log, read models and the jobs' tables) to one file and back.

SQLite: the online backup API (a consistent copy while servers and workers keep writing).
PostgreSQL: pg_dump of the store's schema in the custom format, pg_restore into a database
that does not hold the schema yet. The payload and master keys are never in the backup:
they come from the environment or the secret store, and are kept (and backed up) apart.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Annotated

import typer

from cli.context import err, settings
from settings import DatabaseTarget, Settings, parse_database_url


class RestoreRefused(Exception):
    """Raised when the store to restore into already holds data."""


def register(app: typer.Typer) -> None:
    """Add the `backup` and `restore` commands to the command line."""
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)


def backup_command(
    destination: Annotated[Path, typer.Argument(help="the backup file to write")],
) -> None:
    """Write a consistent copy of the whole store to a file (not the keys)."""
    backup(settings(), destination)
    print(f"backed up to {destination}; the payload and master keys are not in it")


def restore_command(
    source: Annotated[Path, typer.Argument(help="a file written by `boligspor backup`")],
) -> None:
    """Restore a backup into an empty store (BOLIGSPOR_DATABASE_URL), with the same keys."""
    try:
        restore(settings(), source)
    except RestoreRefused as refused:
        err.print(str(refused), markup=False)
        raise typer.Exit(1) from None
    print(f"restored from {source}")


def backup(config: Settings, destination: Path) -> None:
    target = parse_database_url(config.database_url)
    destination.parent.mkdir(parents=True, exist_ok=True)
    if target.kind == "sqlite":
        assert target.sqlite_path is not None
        with _sqlite(target.sqlite_path) as source, _sqlite(destination) as copy:
            source.backup(copy)
        return
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
    command += [f'--schema="{_schema(target)}"', f"--file={destination}"]
    # An argument list, no shell: the schema and the file name cannot become commands.
    subprocess.run(command, env=_libpq_environment(target), check=True)  # noqa: S603


def restore(config: Settings, source: Path) -> None:
    target = parse_database_url(config.database_url)
    if target.kind == "sqlite":
        assert target.sqlite_path is not None
        with _sqlite(target.sqlite_path) as store:
            if store.execute("SELECT count(*) FROM sqlite_master").fetchone() != (0,):
                raise RestoreRefused(f"{target.sqlite_path} is not empty; restore into a new file")
            with _sqlite(source) as backup_file:
                backup_file.backup(store)
        return
    if _schema_exists(target):
        raise RestoreRefused(
            f"schema {_schema(target)} already exists in {target.dbname}; restore into a"
            " database without it"
        )
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    command += [f"--dbname={target.dbname}", str(source)]
    subprocess.run(command, env=_libpq_environment(target), check=True)  # noqa: S603


class _sqlite:
    """A SQLite connection closed when the block ends (sqlite3's own only commits)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(str(path))

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *_: object) -> None:
        self.connection.close()


def _schema(target: DatabaseTarget) -> str:
    return target.schema or "public"


def _schema_exists(target: DatabaseTarget) -> bool:
    import psycopg

    with psycopg.connect(target.conninfo) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_namespace WHERE nspname = %s", (_schema(target),)
        ).fetchone()
        return bool(row and row[0])


def _libpq_environment(target: DatabaseTarget) -> dict[str, str]:
    """pg_dump and pg_restore find the server in PG* variables (the password never appears
    on a command line)."""
    env = dict(os.environ)
    env.update(
        PGHOST=target.host,
        PGPORT=str(target.port),
        PGUSER=target.user,
        PGDATABASE=target.dbname,
    )
    if target.password:
        env["PGPASSWORD"] = target.password
    return env
