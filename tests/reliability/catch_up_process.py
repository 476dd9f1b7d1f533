"""A catch-up in its own process, to be killed: `python -m tests.reliability.catch_up_process
BATCH` applies every new change in batches of BATCH, after printing "ready", and prints
"batch" after each committed batch so that a test can kill it in the middle of its work."""

from __future__ import annotations

import sys

from projections.db import ReadStore
from projections.runner import catch_up
from settings import load_settings, scrub_library_environment


def main() -> None:
    scrub_library_environment()
    from domain.application import Boligspor

    settings = load_settings()
    app = Boligspor(settings)
    store = ReadStore.open(settings.database_url)
    print("ready", flush=True)
    catch_up(
        app,
        store,
        batch_size=int(sys.argv[1]),
        progress=lambda done, total: print("batch", flush=True),
    )
    print("done", flush=True)


if __name__ == "__main__":
    main()
