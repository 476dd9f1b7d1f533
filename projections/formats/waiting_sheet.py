"""The waiting list's download for the allocation meeting: one workbook (the front sheet and
one sheet of households in the waiting list's order), Norwegian headings from the label
catalogue. The names are the caller's (the pages open them for the roles that may read the
cases, and log the download as a read of every case in it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from projections.formats.model import Cell, NamedMunicipality, Row, Table, text
from projections.formats.spreadsheet import render_xlsx
from projections.labels import code_label, label
from projections.working_list import WaitingHousehold

COLUMNS = (
    "position",
    "name",
    "case",
    "group",
    "adults",
    "children",
    "rooms_needed",
    "priority",
    "joined_on",
    "days_waited",
    "situation",
    "appeal_pending",
)


def situation_text(row: WaitingHousehold) -> str:
    """«Hotell fra 2023-05-02» for a household in a stay; its situation's label otherwise."""
    if row.stay_kind is not None:
        since = label("waiting_households.in_stay_since")
        return f"{code_label('stay_kind', row.stay_kind)} {since} {row.stay_started}"
    return code_label("situation", row.situation)


def waiting_table(
    rows: Sequence[WaitingHousehold], names: Mapping[str, str], day: str, filters: str
) -> Table:
    """The households as a table: one row each, in the order given."""
    body = tuple(
        Row(
            (
                Cell(position),
                text(names.get(row.case_ref, "")),
                text(row.case_ref),
                text(code_label("group", row.group)),
                Cell(row.adults),
                Cell(row.children),
                Cell(row.rooms_needed),
                text(code_label("priority", row.priority)),
                text(row.joined_on),
                Cell(row.days_waited),
                text(situation_text(row)),
                text(label(f"waiting_households.{'yes' if row.appeal_pending else 'no'}")),
            )
        )
        for position, row in enumerate(rows, start=1)
    )
    title = f"{label('table.waiting_households')} {label('word.as_of')} {day}"
    return Table(
        key="waiting_households",
        title=title,
        columns=tuple(label(f"waiting_households.{column}") for column in COLUMNS),
        rows=body,
        stub=3,
        notes=(f"{label('waiting_households.filters')}: {filters}",),
    )


def waiting_list_workbook(
    rows: Sequence[WaitingHousehold],
    names: Mapping[str, str],
    day: str,
    filters: str,
    *,
    heading: str,
    municipality: NamedMunicipality,
    made_on: date,
) -> bytes:
    """The workbook of the waiting list on the day."""
    table = waiting_table(rows, names, day, filters)
    return render_xlsx([table], heading, municipality=municipality, made_on=made_on)
