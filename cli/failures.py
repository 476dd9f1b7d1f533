"""What the command line prints when a command cannot run at all: one line, no traceback.

Keys that do not open the store, keys that cannot be found, and a database that is full,
read-only or unreachable end every command the same way: `boligspor: <what is wrong>` on
standard error and exit status 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from domain.errors import KeysMissing, WrongKeys

EXIT_STATUS = 2


def run_reporting_failures(command: Callable[[], object]) -> None:
    """Run the command line; a failure to start or to reach the store ends it in one line."""
    try:
        command()
    except (KeysMissing, WrongKeys) as error:
        print(f"boligspor: {error.message}", file=sys.stderr)
        raise SystemExit(EXIT_STATUS) from None
