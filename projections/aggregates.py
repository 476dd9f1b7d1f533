"""Pre-aggregated report counts, kept by database triggers on the read-model tables.

Longer than 300 lines because every figure's trigger contributions are one table (`_counts`)
and the trigger SQL is built from it here: apart, a contribution and the statement that applies
it could no longer be read side by side.

A country-wide figure counted from the read-model rows touches every case; the reports read
these counts instead, in O(days × groups) rows. `agg_day_counts` holds, per figure, group and
day, a count n:

- a *span* figure ("how many on day D") stores +1 on a span's first day and −1 on the day
  after its last (the `to`/`ended` day of the read-model span), so the figure as of D is the
  sum of n over the days ≤ D;
- a *point* figure ("how many in [first, last]") stores +1 on the day of each counted row, so
  the figure over a period is the sum of n over its days.

Each contribution is a SELECT over the changed row (NEW or OLD), possibly joined with another
read-model table (a settlement's group is its case's profile on the settlement day). The
trigger of each side of such a pair adds the pairs it forms with the rows present in the
other table when a row is inserted and subtracts them when it is deleted, so the counts equal
the sum over the pairs present whatever order the rows are written in.

Two figures count distinct things and keep a per-key table whose transitions move the count:
occupied municipal dwellings (a dwelling counts on the days at least one settlement occupies
it: `agg_occupancy_points` holds each dwelling's +1/−1 points and the count moves where a
dwelling's running total goes 0 → >0 and back) and follow-up households per team and year
(`agg_follow_up_firsts` holds each case's first contact day per team and year; the count is
+1 on that day).

The triggers fire on every INSERT, UPDATE and DELETE of the read-model rows, however the
runner writes them, so the counts are exact for any day, backdated events and retractions
included. They are created with the read-model tables; a store whose read models predate
them is filled once by writing its rows again (`ensure`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from projections.db import Table, Transaction
from projections.figure_definitions import LEASE_HORIZON_DAYS, LONG_STAY_NIGHTS
from projections.history import END_OF_TIME

DAY_COUNTS = Table(
    "agg_day_counts",
    (
        ("figure", "TEXT NOT NULL"),
        ("grp", "TEXT NOT NULL"),
        ("on_date", "TEXT NOT NULL"),
        ("n", "BIGINT NOT NULL"),
    ),
    primary_key=("figure", "grp", "on_date"),
    indexes=(("figure", "on_date", "grp", "n"),),
)
OCCUPANCY_POINTS = Table(
    "agg_occupancy_points",
    (("dwelling_ref", "TEXT NOT NULL"), ("on_date", "TEXT NOT NULL"), ("n", "BIGINT NOT NULL")),
    primary_key=("dwelling_ref", "on_date"),
)
FOLLOW_UP_FIRSTS = Table(
    "agg_follow_up_firsts",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("team", "TEXT NOT NULL"),
        ("yr", "TEXT NOT NULL"),
        ("first_on", "TEXT NOT NULL"),
    ),
    primary_key=("case_ref", "team", "yr"),
)
VERSION = Table("agg_version", (("version", "INTEGER NOT NULL"),))
TABLES = (DAY_COUNTS, OCCUPANCY_POINTS, FOLLOW_UP_FIRSTS, VERSION)
# Which counts and triggers a store holds: a store with another version is counted again.
COUNTS_VERSION = 1
# A dwelling's triggers look up the complaints naming it (for their district).
INDEXES = (
    "CREATE INDEX IF NOT EXISTS agg_rm_complaints_by_dwelling_ref ON rm_complaints (dwelling_ref)",
)

NOT_MUNICIPAL = "referral"
UPSERT = " ON CONFLICT ({keys}) DO UPDATE SET n = {table}.n + excluded.n"


@dataclass(frozen=True)
class Count:
    """One contribution of a changed row `r` to `agg_day_counts`: SQL expressions over `r`
    (written `{r}`) and over the tables in `joined`, counted where `where` holds."""

    figure: str
    grp: str
    day: str
    where: str = "true"
    joined: str = ""
    n: str = "1"

    def select(self, row: str, sign: int) -> str:
        def fill(expression: str) -> str:
            return expression.format(r=row)

        source = f" FROM {fill(self.joined)}" if self.joined else ""
        n = fill(self.n) if sign > 0 else f"-({fill(self.n)})"
        return (
            f"SELECT '{self.figure}' AS figure, CAST({fill(self.grp)} AS TEXT) AS grp,"
            f" {fill(self.day)} AS on_date, {n} AS n{source} WHERE {fill(self.where)}"
        )


def span(
    figure: str, grp: str, start: str, end: str, where: str = "true", joined: str = ""
) -> tuple[Count, Count]:
    """Counted on the days start ≤ D < end (nothing when end ≤ start). An open span's end is
    END_OF_TIME, a day no report asks for: it gets no −1, so that no row is updated by every
    open span (on PostgreSQL a row updated many times in one transaction gets slower each time)."""
    held = f"({where}) AND {start} < {end}"
    ends = f"{held} AND {end} < '{END_OF_TIME}'"
    return (Count(figure, grp, start, held, joined), Count(figure, grp, end, ends, joined, "-1"))


def _later(a: str, b: str) -> str:
    return f"(CASE WHEN {a} > {b} THEN {a} ELSE {b} END)"


def _earlier(a: str, b: str) -> str:
    return f"(CASE WHEN {a} < {b} THEN {a} ELSE {b} END)"


def _shift(dialect: str, expression: str, days: int) -> str:
    if dialect == "sqlite":
        return f"date({expression}, '{days:+d} days')"
    return f"to_char(CAST({expression} AS date) + ({days}), 'YYYY-MM-DD')"


def _days_between(dialect: str, start: str, end: str) -> str:
    if dialect == "sqlite":
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"
    return f"(CAST({end} AS date) - CAST({start} AS date))"


def _counts(dialect: str) -> dict[str, tuple[Count, ...]]:
    """Every contribution, by the read-model table whose rows it counts."""
    lease_from = _later("{r}.from_on", _shift(dialect, "{r}.lease_until", -LEASE_HORIZON_DAYS))
    stay_over_90 = _shift(dialect, "{r}.started_on", LONG_STAY_NIGHTS + 1)
    profile = "rm_case_profile_spans p"
    stay = "rm_stays s"
    return {
        "rm_waitlist_spans": (
            *span("waiting", "{r}.grp || '|' || {r}.priority", "{r}.from_on", "{r}.to_on"),
        ),
        "rm_waitlist_memberships": (
            Count("waitlist_joined", "''", "{r}.joined_on"),
            Count("waitlist_left", "{r}.left_reason", "{r}.left_on", "{r}.left_reason IS NOT NULL"),
            Count(
                "waitlist_settled_after_days",
                _days_between(dialect, "{r}.joined_on", "{r}.left_on"),
                "{r}.left_on",
                "{r}.left_reason = 'settled'",
            ),
        ),
        "rm_homeless_spans": (
            *span(
                "homeless",
                "{r}.situation || '|' || CAST({r}.with_children AS TEXT)",
                "{r}.from_on",
                "{r}.to_on",
            ),
        ),
        "rm_stays": (
            *span("staying", "''", "{r}.started_on", "{r}.ended_on"),
            *span("staying_over_90", "''", stay_over_90, "{r}.ended_on"),
            Count("stays_started", "''", "{r}.started_on"),
            Count(
                "stays_ended_after_nights",
                _days_between(dialect, "{r}.started_on", "{r}.ended_on"),
                "{r}.ended_on",
                f"{{r}}.ended_on < '{END_OF_TIME}'",
            ),
            *span(
                "staying_with_children",
                "''",
                _later("{r}.started_on", "p.from_on"),
                _earlier("{r}.ended_on", "p.to_on"),
                "p.case_ref = {r}.case_ref AND p.children > 0",
                profile,
            ),
        ),
        "rm_case_profile_spans": (
            *span(
                "staying_with_children",
                "''",
                _later("s.started_on", "{r}.from_on"),
                _earlier("s.ended_on", "{r}.to_on"),
                "s.case_ref = {r}.case_ref AND {r}.children > 0",
                stay,
            ),
            Count(
                "settled_by_group",
                "{r}.grp",
                "s.settled_on",
                "s.case_ref = {r}.case_ref AND s.settled_on >= {r}.from_on"
                " AND s.settled_on < {r}.to_on",
                "rm_settlements s",
            ),
        ),
        "rm_settlements": (
            Count("settled_by_tenure", "{r}.tenure", "{r}.settled_on"),
            Count(
                "settled_by_group",
                "p.grp",
                "{r}.settled_on",
                "p.case_ref = {r}.case_ref AND p.from_on <= {r}.settled_on"
                " AND p.to_on > {r}.settled_on",
                profile,
            ),
            Count(
                "moved_out",
                "{r}.moved_out_reason",
                "{r}.ended_on",
                "{r}.ended_by = 'MovedOut' AND {r}.moved_out_reason IS NOT NULL",
            ),
        ),
        "rm_dwellings": (
            *span(
                "dwellings",
                "{r}.category || '|' || {r}.district",
                "{r}.registered_on",
                "{r}.retired_on",
            ),
            Count(
                "complaints_by_district",
                "{r}.district",
                "c.received_on",
                "c.dwelling_ref = {r}.dwelling_ref",
                "rm_complaints c",
            ),
        ),
        "rm_complaints": (
            Count("complaints_by_category", "{r}.category", "{r}.received_on"),
            Count(
                "complaints_by_district",
                "d.district",
                "{r}.received_on",
                "d.dwelling_ref = {r}.dwelling_ref",
                "rm_dwellings d",
            ),
            Count("complaints_closed", "{r}.outcome", "{r}.closed_on", "{r}.closed_on IS NOT NULL"),
        ),
        "rm_follow_up_contacts": (
            Count("follow_up_contacts", "{r}.team", "{r}.on_date"),
            Count("follow_up_minutes", "{r}.team", "{r}.on_date", n="{r}.minutes"),
        ),
        "rm_concerns_reported": (Count("concerns", "{r}.recipient", "{r}.on_date"),),
        "rm_housing_first_enrolments": (
            *span("enrolled", "''", "{r}.enrolled_on", "{r}.ended_on"),
            Count("enrolments_new", "''", "{r}.enrolled_on"),
            Count("enrolments_ended", "''", "{r}.ended_on", f"{{r}}.ended_on < '{END_OF_TIME}'"),
        ),
        "rm_lease_spans": (
            *span(
                "lease_expiring",
                "''",
                lease_from,
                _earlier("{r}.to_on", "{r}.lease_until"),
            ),
        ),
        "rm_application_steps": (Count("application_steps", "{r}.step", "{r}.on_date"),),
    }


def _add_counts(counts: Sequence[tuple[Count, str, int]]) -> str:
    union = " UNION ALL ".join(count.select(row, sign) for count, row, sign in counts)
    return (
        "INSERT INTO agg_day_counts (figure, grp, on_date, n)"
        f" SELECT figure, grp, on_date, SUM(n) FROM ({union}) AS x"
        " WHERE true GROUP BY figure, grp, on_date"
        + UPSERT.format(keys="figure, grp, on_date", table="agg_day_counts")
    )


def _occupancy_moves(dwelling: str, sign: int) -> str:
    """Move the occupied count by a dwelling's 0 → >0 (+1) and >0 → 0 (−1) transitions."""
    before = (
        "(SELECT COALESCE(SUM(q.n), 0) FROM agg_occupancy_points q"
        f" WHERE q.dwelling_ref = {dwelling} AND q.on_date < p.on_date)"
    )
    step = (
        f"CASE WHEN b.before = 0 AND b.before + b.n > 0 THEN {sign}"
        f" WHEN b.before > 0 AND b.before + b.n = 0 THEN {-sign} ELSE 0 END"
    )
    return (
        "INSERT INTO agg_day_counts (figure, grp, on_date, n)"
        f" SELECT 'occupied', '', b.on_date, {step} FROM"
        f" (SELECT p.on_date, p.n, {before} AS before FROM agg_occupancy_points p"
        f" WHERE p.dwelling_ref = {dwelling}) AS b"
        f" WHERE b.n <> 0 AND b.on_date < '{END_OF_TIME}'"
        + UPSERT.format(keys="figure, grp, on_date", table="agg_day_counts")
    )


def _occupancy_points(select_pairs: str, sign: int) -> str:
    """Add (sign +1) or subtract (−1) the points of the settlement–dwelling pairs selected as
    (dwelling_ref, start, end)."""
    return (
        "INSERT INTO agg_occupancy_points (dwelling_ref, on_date, n)"
        " SELECT dwelling_ref, on_date, SUM(n) FROM ("
        f"SELECT dwelling_ref, start_on AS on_date, {sign} AS n FROM ({select_pairs}) AS a"
        " WHERE start_on < end_on UNION ALL"
        f" SELECT dwelling_ref, end_on AS on_date, {-sign} AS n FROM ({select_pairs}) AS e"
        " WHERE start_on < end_on) AS x WHERE true GROUP BY dwelling_ref, on_date"
        + UPSERT.format(keys="dwelling_ref, on_date", table="agg_occupancy_points")
    )


def _occupancy(table: str, row: str, sign: int) -> list[str]:
    """A settlement or a dwelling changed: recount that dwelling's occupied days."""
    dwelling = f"{row}.dwelling_ref"
    if table == "rm_settlements":
        pairs = (
            f"SELECT d.dwelling_ref, {_later(f'{row}.settled_on', 'd.registered_on')} AS start_on,"
            f" {_earlier(f'{row}.ended_on', 'd.retired_on')} AS end_on FROM rm_dwellings d"
            f" WHERE d.dwelling_ref = {dwelling} AND d.category <> '{NOT_MUNICIPAL}'"
        )
    else:
        pairs = (
            f"SELECT s.dwelling_ref, {_later('s.settled_on', f'{row}.registered_on')} AS start_on,"
            f" {_earlier('s.ended_on', f'{row}.retired_on')} AS end_on FROM rm_settlements s"
            f" WHERE s.dwelling_ref = {dwelling} AND {row}.category <> '{NOT_MUNICIPAL}'"
        )
    return [
        _occupancy_moves(dwelling, -1),
        _occupancy_points(pairs, sign),
        f"DELETE FROM agg_occupancy_points WHERE dwelling_ref = {dwelling} AND n = 0",
        _occupancy_moves(dwelling, 1),
    ]


def _follow_up_households(row: str) -> list[str]:
    """A contact changed: recount its case's first contact day with the team in the year."""
    key = f"case_ref = {row}.case_ref AND team = {row}.team AND yr = substr({row}.on_date, 1, 4)"
    moved = (
        "INSERT INTO agg_day_counts (figure, grp, on_date, n)"
        " SELECT 'follow_up_households', team, first_on, {n} FROM agg_follow_up_firsts"
        f" WHERE {key}" + UPSERT.format(keys="figure, grp, on_date", table="agg_day_counts")
    )
    return [
        moved.format(n=-1),
        f"DELETE FROM agg_follow_up_firsts WHERE {key}",
        "INSERT INTO agg_follow_up_firsts (case_ref, team, yr, first_on)"
        " SELECT case_ref, team, substr(on_date, 1, 4), MIN(on_date) FROM rm_follow_up_contacts"
        f" WHERE case_ref = {row}.case_ref AND team = {row}.team"
        f" AND substr(on_date, 1, 4) = substr({row}.on_date, 1, 4)"
        " GROUP BY case_ref, team, substr(on_date, 1, 4)",
        moved.format(n=1),
    ]


def _statements(dialect: str, table: str, changes: Sequence[tuple[str, int]]) -> list[str]:
    """What one row change does: `changes` is [("OLD", -1)] for a delete, [("NEW", 1)] for an
    insert, both for an update."""
    counts = _counts(dialect).get(table, ())
    statements = []
    if counts:
        statements.append(
            _add_counts([(count, row, sign) for row, sign in changes for count in counts])
        )
    for row, sign in changes:
        if table in ("rm_settlements", "rm_dwellings"):
            statements.extend(_occupancy(table, row, sign))
        if table == "rm_follow_up_contacts":
            statements.extend(_follow_up_households(row))
    return statements


EVENTS = {"INSERT": (("NEW", 1),), "DELETE": (("OLD", -1),), "UPDATE": (("OLD", -1), ("NEW", 1))}


def source_tables(dialect: str = "sqlite") -> list[str]:
    """The read-model tables whose rows the triggers count."""
    return sorted({*_counts(dialect), "rm_settlements", "rm_dwellings", "rm_follow_up_contacts"})


def trigger_statements(dialect: str) -> list[str]:
    """CREATE statements of every trigger (and, on PostgreSQL, its function)."""
    created = []
    for table in source_tables(dialect):
        for event, changes in EVENTS.items():
            name = f"agg_{table}_{event.lower()}"
            body = _statements(dialect, table, changes)
            statements = "; ".join(body)
            if dialect == "sqlite":
                created.append(
                    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table}"
                    f" FOR EACH ROW BEGIN {statements}; END"
                )
            else:
                created.append(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS"
                    f" $body$ BEGIN {statements}; RETURN NULL; END $body$"
                )
                created.append(
                    f"CREATE OR REPLACE TRIGGER {name} AFTER {event} ON {table}"
                    f" FOR EACH ROW EXECUTE FUNCTION {name}()"
                )
    return created


def _exists(tx: Transaction, table: str) -> bool:
    if tx.dialect == "sqlite":
        found = tx.query_one(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        )
    else:
        found = tx.query_one(
            "SELECT COUNT(*) FROM pg_tables WHERE tablename = ? AND schemaname = current_schema()",
            (table,),
        )
    return bool(found and found[0])


def ensure(tx: Transaction) -> None:
    """Create the aggregate tables and the triggers; when the tables are new, count the rows
    the read-model tables already hold (by writing them again with the triggers in place)."""
    sources = source_tables(tx.dialect)
    if not all(_exists(tx, table) for table in sources):
        return
    fresh = _version(tx) != COUNTS_VERSION
    if fresh:
        for statement in _drop_trigger_statements(tx.dialect):
            tx.execute(statement)
        drop(tx)
    for aggregate in TABLES:
        for statement in aggregate.create_statements():
            tx.execute(statement)
    for statement in INDEXES:
        tx.execute(statement)
    if fresh:
        for table in sources:
            tx.execute(f"CREATE TEMPORARY TABLE agg_refill_{table} AS SELECT * FROM {table}")
            tx.execute(f"DELETE FROM {table}")
    for statement in trigger_statements(tx.dialect):
        tx.execute(statement)
    if fresh:
        for table in sources:
            tx.execute(f"INSERT INTO {table} SELECT * FROM agg_refill_{table}")
            tx.execute(f"DROP TABLE agg_refill_{table}")
        tx.execute("INSERT INTO agg_version (version) VALUES (?)", (COUNTS_VERSION,))


def _version(tx: Transaction) -> int | None:
    if not (_exists(tx, VERSION.name) and _exists(tx, DAY_COUNTS.name)):
        return None
    row = tx.query_one("SELECT MAX(version) FROM agg_version")
    return None if row is None or row[0] is None else int(row[0])


def _drop_trigger_statements(dialect: str) -> list[str]:
    on = " ON {table}" if dialect == "postgres" else ""
    return [
        f"DROP TRIGGER IF EXISTS agg_{table}_{event.lower()}{on.format(table=table)}"
        for table in source_tables(dialect)
        for event in EVENTS
    ]


def drop(tx: Transaction) -> None:
    """Drop the aggregate tables (a rebuild drops the read-model tables and their triggers)."""
    for aggregate in TABLES:
        tx.execute(f"DROP TABLE IF EXISTS {aggregate.name}")


def as_of(tx: Transaction, figure: str, day: str) -> dict[str, int]:
    """A span figure on the day, by group."""
    return {
        str(grp): int(n)
        for grp, n in tx.query(
            "SELECT grp, SUM(n) FROM agg_day_counts WHERE figure = ? AND on_date <= ? GROUP BY grp",
            (figure, day),
        )
    }


def between(tx: Transaction, figure: str, first: str, last: str) -> dict[str, int]:
    """A point figure over the days first ≤ D ≤ last, by group."""
    return {
        str(grp): int(n)
        for grp, n in tx.query(
            "SELECT grp, SUM(n) FROM agg_day_counts WHERE figure = ? AND on_date >= ?"
            " AND on_date <= ? GROUP BY grp",
            (figure, first, last),
        )
    }


def daily(tx: Transaction, figure: str, last: str) -> list[tuple[str, int]]:
    """A span figure's changes (day, n, all groups) up to and including the day, in order."""
    return [
        (str(on), int(n))
        for on, n in tx.query(
            "SELECT on_date, SUM(n) FROM agg_day_counts WHERE figure = ? AND on_date <= ?"
            " GROUP BY on_date ORDER BY on_date",
            (figure, last),
        )
    ]
