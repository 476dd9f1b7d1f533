"""One import, as `boligspor import FILE` does it (the file streamed in chunks, one
transaction), in its own process: prints JSON with the wall and CPU time, the events stored and
the process's peak resident memory.

    BOLIGSPOR_DATABASE_URL=… python -m bench.import_worker FILE
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from domain.application import Boligspor
from settings import load_settings, scrub_library_environment


def main(path: Path) -> None:
    scrub_library_environment()
    app = Boligspor(load_settings())
    started = time.perf_counter()
    cpu = time.process_time()
    with path.open(encoding="utf-8") as handle:
        lines = ((n, line) for n, line in enumerate(handle, 1) if line.strip())
        result = app.import_lines(lines, default_by="import")
    done = time.perf_counter()
    cpu_seconds = time.process_time() - cpu
    app.close()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "events": result.stored,
                "seconds": done - started,
                "cpu_seconds": cpu_seconds,
                "peak_mib": peak_kib / 1024,
            }
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
