"""Small-count suppression for published figures (``--public``).

Rules, applied to a copy of a FIGURES.md report dict:

1. **Primary.** Every count from 1 to 4 becomes «<5» (``SMALL``). Zero stays 0.
2. **Secondary.** Some figures add up: a total and its breakdown (``waiting_list.total`` =
   the sum of ``by_group`` = the sum of ``by_priority``), the year's waiting-list flow
   (start + joined − left_* = end) and the by-name months (active last month + inflow − outflow
   = active). In every such group exactly one hidden cell could be worked out from the others,
   so while a group has exactly one hidden cell, its smallest non-zero visible cell (a breakdown
   cell before the total) is hidden too, as «:» (``WITHHELD``, Statistics Norway's symbol for
   "not shown for confidentiality"). This repeats until every group has 0 or ≥ 2 hidden cells.
3. **Subsets.** A published subset of a total (``homeless.with_children``,
   ``temporary_housing.over_90_nights``, …) is withheld when the total minus the subset is 1–4,
   since that difference would itself be a small count.
4. **Quantities.** Medians, maxima, nights and minutes are not counts and are kept, except where
   the count they were computed over is a small count (1–4 items): then they are withheld too,
   since a median over one to four households describes those households.
   ``temporary_housing.median_nights_ended`` is computed over the stays that ended in the year, a
   count the report does not carry; it is withheld when ``temporary_housing.households`` is
   small, which is the published count closest to it.
5. The dwelling stock (the ``dwellings`` block) describes buildings, not people, and is the
   municipality's own published plan figure: it is left as it is.

``suppress(report)`` returns the published copy; ``hidden_cells(report)`` says which paths were
hidden and why, for tests and for the notes of a published table.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from domain.values import TEAMS

SMALL = "<5"
WITHHELD = ":"

Path = tuple[str | int, ...]
# The chart series (projections.formats.html_page.Series), named here by its shape only: the
# formats read this module's markers, so this module does not import them.
SeriesT = TypeVar("SeriesT", bound=Mapping[str, Any])

# Counts exempt from suppression: descriptions of buildings (rule 5).
EXEMPT_BLOCKS: tuple[str, ...] = ("dwellings",)

# Quantities that are not counts, with the count each one was computed over (rule 4).
QUANTITY_BASIS: dict[Path, Path] = {
    ("waiting_list", "median_days_waiting"): ("waiting_list", "total"),
    ("temporary_housing", "median_nights"): ("temporary_housing", "current_stays"),
    ("temporary_housing", "max_nights"): ("temporary_housing", "current_stays"),
    ("waiting_list", "median_days_to_settlement"): ("waiting_list", "left_settled"),
    ("temporary_housing", "nights"): ("temporary_housing", "households"),
    ("temporary_housing", "median_nights_ended"): ("temporary_housing", "households"),
    **{
        ("follow_up", "by_team", team, "minutes"): ("follow_up", "by_team", team, "households")
        for team in TEAMS
    },
}

FLOW_PARTS = ("joined", "left_settled", "left_withdrawn", "left_closed")

# Fields that are identifiers, not figures.
NOT_FIGURES: frozenset[str] = frozenset({"as_of", "year", "month"})

# (total, subset) pairs of rule 3.
SUBSETS: tuple[tuple[Path, Path], ...] = (
    (("homeless", "total"), ("homeless", "with_children")),
    (("temporary_housing", "current_stays"), ("temporary_housing", "households_with_children")),
    (("temporary_housing", "current_stays"), ("temporary_housing", "over_90_nights")),
    (("temporary_housing", "households"), ("temporary_housing", "households_with_children")),
    (("applications", "appeals_received"), ("applications", "appeals_overturned")),
)


@dataclass(frozen=True)
class Group:
    """Cells that satisfy one additive identity; `totals` are listed first and hidden last."""

    name: str
    totals: tuple[Path, ...]
    parts: tuple[Path, ...]

    @property
    def cells(self) -> tuple[Path, ...]:
        return self.totals + self.parts


def _breakdown(total: Path, block: Path, report: Mapping[str, Any]) -> Group | None:
    node = _get(report, block)
    if not isinstance(node, Mapping) or _get(report, total) is None:
        return None
    return Group(".".join(map(str, block)), (total,), tuple((*block, k) for k in node))


def groups(report: Mapping[str, Any]) -> list[Group]:
    """The additive groups present in `report` (status, annual or by-name list)."""
    found: list[Group] = []
    for total, block in (
        (("waiting_list", "total"), ("waiting_list", "by_group")),
        (("waiting_list", "total"), ("waiting_list", "by_priority")),
        (("homeless", "total"), ("homeless", "by_situation")),
        (("settlements", "total"), ("settlements", "by_tenure")),
        (("settlements", "total"), ("settlements", "by_group")),
        (("moved_out", "total"), ("moved_out", "by_reason")),
        (("complaints", "received"), ("complaints", "by_district")),
        (("complaints", "received"), ("complaints", "by_category")),
    ):
        group = _breakdown(total, block, report)
        if group is not None:
            found.append(group)
    flow = ("waiting_list",)  # start + joined − left_* = end
    if _get(report, (*flow, "joined")) is not None:
        found.append(
            Group(
                "waiting_list.flow",
                ((*flow, "end"), (*flow, "start")),
                tuple((*flow, k) for k in FLOW_PARTS),
            )
        )
    months = report.get("months")
    if isinstance(months, list):
        for i in range(1, len(months)):
            parts = [("months", i, "inflow", k) for k in months[i]["inflow"]]
            parts += [("months", i, "outflow", k) for k in months[i]["outflow"]]
            found.append(
                Group(
                    f"months.{months[i]['month']}",
                    (("months", i, "active"), ("months", i - 1, "active")),
                    tuple(parts),
                )
            )
    return found


def _get(node: Any, path: Path) -> Any:
    for step in path:
        if isinstance(node, Mapping) and isinstance(step, str) and step in node:
            node = node[step]
            continue
        if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            continue
        return None
    return node


def _set(node: Any, path: Path, value: object) -> None:
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


def _count_paths(node: Any, path: Path = ()) -> Iterator[Path]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key in NOT_FIGURES or (not path and key in EXEMPT_BLOCKS):
                continue
            yield from _count_paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _count_paths(value, (*path, index))
    elif isinstance(node, int) and not isinstance(node, bool) and path not in QUANTITY_BASIS:
        yield path


def hidden_cells(report: Mapping[str, Any]) -> dict[Path, str]:
    """The paths of `report` that a published copy hides, each with SMALL or WITHHELD."""
    hidden: dict[Path, str] = {}
    for path in _count_paths(report):
        if 1 <= _get(report, path) <= 4:
            hidden[path] = SMALL
    for total, subset in SUBSETS:
        whole, part = _get(report, total), _get(report, subset)
        both_visible = total not in hidden and subset not in hidden
        numbers = isinstance(whole, int) and isinstance(part, int)
        if both_visible and numbers and 1 <= whole - part <= 4:
            hidden[subset] = WITHHELD
    all_groups = groups(report)
    changed = True
    while changed:
        changed = False
        for group in all_groups:
            hidden_here = [cell for cell in group.cells if cell in hidden]
            if len(hidden_here) != 1:
                continue
            candidate = _smallest_visible(report, group, hidden)
            if candidate is not None:
                hidden[candidate] = WITHHELD
                changed = True
    for quantity, basis in QUANTITY_BASIS.items():
        if _get(report, quantity) is not None and hidden.get(basis) == SMALL:
            hidden[quantity] = WITHHELD
    return hidden


def _smallest_visible(
    report: Mapping[str, Any], group: Group, hidden: Mapping[Path, str]
) -> Path | None:
    for cells in (group.parts, group.totals):
        visible = [
            (value, cell)
            for cell in cells
            if cell not in hidden and isinstance(value := _get(report, cell), int) and value > 0
        ]
        if visible:
            return min(visible, key=lambda pair: pair[0])[1]
    return None


def suppress(report: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `report` fit for publication (see the module docstring for the rules)."""
    published: dict[str, Any] = copy.deepcopy(dict(report))
    for path, marker in hidden_cells(report).items():
        _set(published, path, marker)
    return published


def is_hidden(value: object) -> bool:
    """Whether a published value is a suppression marker rather than a number."""
    return value in (SMALL, WITHHELD)


def suppress_series(series: SeriesT) -> SeriesT:
    """A copy of the HTML chart series fit for publication: the monthly waiting-list counts and
    the complaints per district show 1–4 as «<5»; nights per month are a quantity and stay."""
    published: dict[str, Any] = dict(series)

    def small(value: Any) -> Any:
        return SMALL if isinstance(value, int) and 1 <= value <= 4 else value

    if "waiting_list_month_end" in series:
        published["waiting_list_month_end"] = [
            (month, small(value)) for month, value in series["waiting_list_month_end"]
        ]
    if "complaints_by_district" in series:
        published["complaints_by_district"] = {
            code: small(value) for code, value in series["complaints_by_district"].items()
        }
    return cast("SeriesT", published)
