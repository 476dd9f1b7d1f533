"""`boligspor import` and `boligspor export`: event files in and out (docs/events.md)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from cli import failures
from cli.context import err, open_app, progress_bar, record_reads, settings
from domain.application import Refused
from domain.errors import DomainError, InvalidEvent
from domain.refs import escaped_text


def register(app: typer.Typer) -> None:
    """Add the `import` and `export` commands to the command line."""
    app.command("import")(import_files)
    app.command("export", epilog="The format: docs/events.md in the repository.")(export)


def numbered_lines(handle: BinaryIO) -> Iterator[tuple[int, str]]:
    """The non-blank lines of a file with their numbers; a line that is not UTF-8 stops the
    import with its number (the refusal is printed escaped: no control character reaches
    the terminal)."""
    for number, raw in enumerate(handle, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidEvent(
                f"line {number}: not UTF-8 (byte {error.start + 1} of the line)"
            ) from None
        if line.strip():
            yield number, line


def import_files(
    files: Annotated[
        list[Path], typer.Argument(help="JSON Lines files (docs/events.md)", exists=True)
    ],
) -> None:
    """Import event files; each file is stored whole or not at all.

    The format, its rules and value sets: docs/events.md; JSON Schema: docs/events.schema.json.
    """
    config = settings()
    service = open_app(config)
    failed = False
    for path in files:
        try:
            with path.open("rb") as handle, progress_bar(f"Importerer {path.name}") as update:
                lines = numbered_lines(handle)
                result = service.import_lines(lines, default_by="import", progress=update)
        except Refused as refused:
            failed = True
            err.print(f"{path}: nothing stored; {len(refused.refusals)} line(s) refused:")
            for refusal in refused.refusals:
                err.print(f"  {path}:{escaped_text(str(refusal))}", markup=False, highlight=False)
            continue
        except DomainError as error:
            failed = True
            err.print(
                f"{path}: nothing stored: {escaped_text(failures.described(error).message)}",
                markup=False,
            )
            continue
        print(f"{path}: {result.stored} stored, {result.duplicates} already stored")
    if failed:
        raise typer.Exit(1)


def export(
    case: Annotated[str | None, typer.Option(help="only this case")] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="file (default stdout)")
    ] = None,
) -> None:
    """Write every event in recording order, in the import format (a read of personal data,
    kept in the access log with the operating-system user: the case, or for a whole export an
    entry for every case besides one, made first, for the whole store)."""
    service = open_app(settings())
    if case is None:
        record_reads(service, None, "cli export")
    seen: dict[str, None] = {}
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for event in service.export(case=case):
            ref = event.get("case")
            if isinstance(ref, str) and ref not in seen:
                seen[ref] = None
                if case is not None:
                    record_reads(service, [case], "cli export --case")
            out.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
        if case is None:
            record_reads(service, list(seen), "cli export")
    except DomainError as error:
        err.print(error.message, markup=False)
        raise typer.Exit(1) from None
    finally:
        if output:
            out.close()
