"""The municipality Boligspor serves, read from one TOML file (docs/municipality.md).

Longer than 300 lines because every key of the file is checked here, with a message naming it.

The file names the municipality, its school districts (code, display name, area), the line the
reports print in their headings, the housing plan's targets, the watch list's thresholds and
the allocation rule (domain/allocation.py).
`Settings.municipality` holds its path; without one, Moss's bundled file
(`domain/municipalities/moss.toml`) is used.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

from domain.allocation import DEFAULT_ALLOCATION, AllocationRule, parse_allocation
from settings import Settings

BUNDLED = Path(__file__).resolve().parent / "municipalities"
MOSS_FILE = BUNDLED / "moss.toml"
DISTRICT_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")
MUNICIPALITY_NUMBER = re.compile(r"\d{4}")
FIGURE_PATH = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")
OUTCOME_PREFIX = "outcomes."

Number = int | float


class MunicipalityConfigError(ValueError):
    """Raised when a municipality file is missing, is not TOML, or breaks a rule of its keys."""


@dataclass(frozen=True)
class District:
    """A school district (skolekrets): the code events carry, the name readers see, its area."""

    code: str
    name: str
    area: str


@dataclass(frozen=True)
class PlanTarget:
    """A target of the housing plan: a report figure, its value on a base date, and its goal.

    `figure` is a dotted path into the status report's JSON (`waiting_list.total`) or, with the
    prefix `outcomes.`, into the outcome report's (`outcomes.kostra.allocated.total`).
    """

    figure: str
    label: str
    base_date: date
    base_value: Number
    target_year: int
    target_value: Number


@dataclass(frozen=True)
class WatchListThresholds:
    """When the watch list's conditions start to hold: a stay over each of `stay_nights`, a
    lease ending within `lease_days`, a Housing First follow-up gap of `follow_up_gap_days`,
    a complaint open over `complaint_days`. A file without them takes Moss's."""

    stay_nights: tuple[int, ...]
    lease_days: int
    follow_up_gap_days: int
    complaint_days: int


WATCH_LIST_KEYS = ("stay_nights", "lease_days", "follow_up_gap_days", "complaint_days")


@dataclass(frozen=True)
class Municipality:
    """One municipality's configuration."""

    name: str
    number: str
    heading: str
    areas: tuple[str, ...]
    districts: tuple[District, ...]
    targets: tuple[PlanTarget, ...]
    watch_list: WatchListThresholds
    allocation: AllocationRule = DEFAULT_ALLOCATION

    @property
    def district_codes(self) -> tuple[str, ...]:
        """The codes a `DwellingRegistered` may name, in the order reports list them."""
        return tuple(district.code for district in self.districts)

    @property
    def district_table(self) -> tuple[tuple[str, str, str], ...]:
        """(code, display name, area) per district, as the report formats take them."""
        return tuple((d.code, d.name, d.area) for d in self.districts)

    @property
    def district_names(self) -> dict[str, str]:
        return {district.code: district.name for district in self.districts}


def municipality_of(settings: Settings) -> Municipality:
    """The municipality the settings name (Moss's bundled file when they name none)."""
    return load_municipality(settings.municipality or MOSS_FILE)


def load_municipality(path: Path | str) -> Municipality:
    """Read and check a municipality file; raise MunicipalityConfigError saying what is wrong."""
    return _load(str(Path(path).resolve()))


@lru_cache(maxsize=16)
def _load(path: str) -> Municipality:
    try:
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise MunicipalityConfigError(f"municipality file {path} does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise MunicipalityConfigError(f"municipality file {path} is not TOML: {error}") from None
    return parse_municipality(raw, source=path)


def parse_municipality(raw: dict[str, Any], *, source: str = "municipality") -> Municipality:
    """Check the decoded TOML of a municipality file and build its configuration."""
    check = _Checker(source)
    required = ("name", "number", "areas", "districts", "reports")
    check.keys(raw, "", required=required, optional=("plan", "watch_list", "allocation"))
    name = check.text(raw["name"], "name")
    number = check.text(raw["number"], "number")
    if not MUNICIPALITY_NUMBER.fullmatch(number):
        check.fail("number", f"must be the four digits of the municipality number (got {number!r})")
    reports = check.table(raw["reports"], "reports")
    check.keys(reports, "reports", required=("heading",))
    heading = check.text(reports["heading"], "reports.heading")
    areas = _areas(check, raw["areas"])
    districts = _districts(check, raw["districts"], areas)
    targets = _targets(check, raw["plan"]) if "plan" in raw else ()
    watch_list = _watch_list(check, raw.get("watch_list", {}))
    allocation = parse_allocation(raw.get("allocation", {}), check.fail)
    return Municipality(name, number, heading, areas, districts, targets, watch_list, allocation)


def _watch_list(check: _Checker, raw: Any) -> WatchListThresholds:
    chosen = check.table(raw, "watch_list")
    check.keys(chosen, "watch_list", required=(), optional=WATCH_LIST_KEYS)
    given: dict[str, Any] = {
        key: check.days(chosen[key], f"watch_list.{key}")
        for key in WATCH_LIST_KEYS[1:]
        if key in chosen
    }
    if "stay_nights" in chosen:
        nights = check.array(chosen["stay_nights"], "watch_list.stay_nights")
        given["stay_nights"] = tuple(
            check.days(n, f"watch_list.stay_nights[{i}]") for i, n in enumerate(nights)
        )
    if len(given) == len(WATCH_LIST_KEYS):
        return WatchListThresholds(**given)
    if check.source == str(MOSS_FILE):
        missing = next(key for key in WATCH_LIST_KEYS if key not in given)
        check.fail(f"watch_list.{missing}", "is missing (Moss's file gives every threshold)")
    return replace(_load(str(MOSS_FILE)).watch_list, **given)


def _areas(check: _Checker, raw: Any) -> tuple[str, ...]:
    items = check.array(raw, "areas")
    areas = tuple(check.text(item, f"areas[{n}]") for n, item in enumerate(items))
    check.unique(areas, "areas", "area")
    return areas


def _districts(check: _Checker, raw: Any, areas: tuple[str, ...]) -> tuple[District, ...]:
    districts = []
    for n, item in enumerate(check.array(raw, "districts")):
        where = f"districts[{n}]"
        entry = check.table(item, where)
        check.keys(entry, where, required=("code", "name", "area"))
        code = check.text(entry["code"], f"{where}.code")
        if not DISTRICT_CODE.fullmatch(code):
            check.fail(
                f"{where}.code",
                f"{code!r} must be 1–40 of a-z 0-9 _ and start with a letter",
            )
        area = check.text(entry["area"], f"{where}.area")
        if area not in areas:
            check.fail(f"{where}.area", f"{area!r} is not one of areas ({', '.join(areas)})")
        districts.append(District(code, check.text(entry["name"], f"{where}.name"), area))
    check.unique([d.code for d in districts], "districts", "district code")
    check.unique([d.name for d in districts], "districts", "district name")
    unused = [area for area in areas if all(d.area != area for d in districts)]
    if unused:
        check.fail("areas", f"{', '.join(unused)} has no district")
    return tuple(districts)


def _targets(check: _Checker, raw: Any) -> tuple[PlanTarget, ...]:
    plan = check.table(raw, "plan")
    check.keys(plan, "plan", required=("targets",), optional=("base_date", "target_year"))
    targets = []
    for n, item in enumerate(check.array(plan["targets"], "plan.targets")):
        where = f"plan.targets[{n}]"
        entry = check.table(item, where)
        check.keys(
            entry,
            where,
            required=("figure", "label", "base_value", "target_value"),
            optional=("base_date", "target_year"),
        )
        figure = check.text(entry["figure"], f"{where}.figure")
        if not FIGURE_PATH.fullmatch(figure):
            check.fail(
                f"{where}.figure",
                f"{figure!r} must be a dotted path of a report figure, e.g. waiting_list.total",
            )
        base_date = entry.get("base_date", plan.get("base_date"))
        if not isinstance(base_date, date) or isinstance(base_date, datetime):
            check.fail(f"{where}.base_date", "must be a date (2023-09-01), here or in [plan]")
        target_year = entry.get("target_year", plan.get("target_year"))
        if not isinstance(target_year, int) or isinstance(target_year, bool):
            check.fail(f"{where}.target_year", "must be a year (2035), here or in [plan]")
        if target_year <= base_date.year:
            check.fail(
                f"{where}.target_year",
                f"{target_year} must come after the base date's year ({base_date.year})",
            )
        targets.append(
            PlanTarget(
                figure=figure,
                label=check.text(entry["label"], f"{where}.label"),
                base_date=base_date,
                base_value=check.number(entry["base_value"], f"{where}.base_value"),
                target_year=target_year,
                target_value=check.number(entry["target_value"], f"{where}.target_value"),
            )
        )
    check.unique([t.figure for t in targets], "plan.targets", "figure")
    return tuple(targets)


class _Checker:
    """Checks of decoded TOML values; each failure names the file and the key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> NoReturn:
        raise MunicipalityConfigError(f"{self.source}: {where}: {problem}")

    def keys(
        self,
        table: dict[str, Any],
        where: str,
        *,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> None:
        prefix = f"{where}." if where else ""
        for key in required:
            if key not in table:
                self.fail(f"{prefix}{key}", "is missing")
        for key in table:
            if key not in required and key not in optional:
                allowed = ", ".join((*required, *optional))
                self.fail(f"{prefix}{key}", f"is not a known key (expected {allowed})")

    def table(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, "must be a table")
        return value

    def array(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list) or not value:
            self.fail(where, "must be a non-empty array")
        return value

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, "must be a non-empty string")
        return value

    def number(self, value: Any, where: str) -> Number:
        if not isinstance(value, int | float) or isinstance(value, bool):
            self.fail(where, f"must be a number (got {value!r})")
        return value

    def days(self, value: Any, where: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.fail(where, f"must be a whole number of days, 1 or more (got {value!r})")
        return value

    def unique(self, values: Any, where: str, what: str) -> None:
        seen: set[str] = set()
        for value in values:
            if value in seen:
                self.fail(where, f"{what} {value!r} appears more than once")
            seen.add(value)


MOSS = load_municipality(MOSS_FILE)
"""Moss's bundled configuration: the default of functions that take a district list."""
