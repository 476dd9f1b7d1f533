"""What every report file says before and after its tables: the municipality, the date it was
made, and what its figures mean (the definitions of the label catalogue, one per table)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from projections.formats.model import NamedMunicipality, Table, norwegian_date
from projections.labels import has_label, label


def municipality_title(municipality: NamedMunicipality) -> str:
    """«Moss kommune» for the configured name «Moss» (a name given with «kommune» kept)."""
    name = municipality.name
    return name if name.endswith(" kommune") else f"{name} kommune"


def municipality_line(municipality: NamedMunicipality) -> str:
    """«Moss kommune (3103)»."""
    return f"{municipality_title(municipality)} ({municipality.number})"


def made_on_line(made_on: date) -> str:
    """«Laget 02.12.2026»."""
    return f"{label('front.made_on')} {norwegian_date(made_on.isoformat())}"


def definitions(tables: Sequence[Table]) -> list[tuple[str, str]]:
    """(table title, definition) for each table that has a definition, in the tables' order;
    a table shown twice (a chart's numbers and the report's table) is defined once."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for table in tables:
        key = f"definition.{table.key}"
        if key in seen or not has_label(key):
            continue
        seen.add(key)
        out.append((table.title, label(key)))
    return out
