"""What the command line prints when a command cannot run at all: one line, no traceback.

Keys that do not open the store, keys that cannot be found, and a database that is full,
read-only or unreachable end every command the same way: `boligspor: <what is wrong>` on
standard error and exit status 2. A wrong argument or option (an unknown command, a missing
argument, a value of the wrong form) is one line too, `boligspor report: <what is wrong> (see
boligspor report --help)`, exit status 2; any other refusal a command does not handle itself is
`boligspor: <why>`, exit status 1.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable

import psycopg
import typer
from eventsourcing import persistence

# typer 0.29 carries its own copy of click; its exceptions are these, not the `click` package's.
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

from domain import store_faults
from domain.errors import DomainError, KeysMissing, StoreUnavailable, WrongKeys

EXIT_STATUS = 2


def run_command_line(app: typer.Typer, args: list[str] | None = None) -> None:
    """Run the command line on `args` (the process's by default); exit with its status."""
    run_reporting_failures(lambda: _run(app, sys.argv[1:] if args is None else args))


def _run(app: typer.Typer, args: list[str]) -> None:
    command = typer.main.get_command(app)
    try:
        status = command.main(args=args, prog_name="boligspor", standalone_mode=False)
    except NoArgsIsHelpError as error:
        print(error.ctx.get_help() if error.ctx else error.format_message())
        raise SystemExit(EXIT_STATUS) from None
    except UsageError as error:
        where = error.ctx.command_path if error.ctx else "boligspor"
        print(f"{where}: {one_line(error.format_message())} (see {where} --help)", file=sys.stderr)
        raise SystemExit(EXIT_STATUS) from None
    except ClickException as error:
        print(f"boligspor: {one_line(error.format_message())}", file=sys.stderr)
        raise SystemExit(error.exit_code) from None
    except typer.Abort:
        print("boligspor: aborted", file=sys.stderr)
        raise SystemExit(1) from None
    raise SystemExit(status if isinstance(status, int) else 0)


def one_line(text: str) -> str:
    return " ".join(text.split())


def run_reporting_failures(command: Callable[[], object]) -> None:
    """Run the command line; a failure to start or to reach the store ends it in one line."""
    try:
        command()
    except (KeysMissing, WrongKeys) as error:
        print(f"boligspor: {error.message}", file=sys.stderr)
        raise SystemExit(EXIT_STATUS) from None
    except UNREACHABLE as error:
        print(f"boligspor: {described(error).message}", file=sys.stderr)
        raise SystemExit(EXIT_STATUS) from None
    except DomainError as error:
        print(f"boligspor: {one_line(error.message)}", file=sys.stderr)
        raise SystemExit(1) from None


UNREACHABLE: tuple[type[Exception], ...] = (
    StoreUnavailable,
    persistence.OperationalError,
    persistence.InterfaceError,
    persistence.InternalError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    psycopg.errors.ReadOnlySqlTransaction,
    sqlite3.OperationalError,
)
UNREACHABLE_MESSAGE = "the database cannot be reached or stays locked; nothing was written"


def described(error: Exception) -> DomainError:
    """A domain error that says what is wrong with the store: full, read-only, unreachable."""
    fault = store_faults.named(error)
    if fault is not None:
        return fault
    if isinstance(error, DomainError):
        return error
    return StoreUnavailable(UNREACHABLE_MESSAGE)
