"""Restricting a case and lifting the restriction: both kept, in order, in an append-only log,
the reasons sealed with the case's key; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from domain.application import Boligspor
from domain.errors import AlreadyRestricted, NotRestricted, UnknownCase
from domain.restrictions import LIFTED, LOG, RESTRICTED
from domain.sealing import ERASED
from tests.conftest import TODAY_NOW, DatabaseFactory, make_settings

OPENED = {
    "id": "r1",
    "type": "CaseOpened",
    "case": "S-1",
    "on": "2026-01-05",
    "group": "other",
    "household": {"adults": 1, "children": 0},
    "situation": "rough",
    "person": {"name": "Kari Nordmann"},
}


def opened(app: Boligspor) -> Boligspor:
    app.submit([(1, json.dumps(OPENED))])
    return app


def test_a_restriction_is_lifted_and_both_stay_in_the_log_in_order(
    new_app: Callable[[], Boligspor],
) -> None:
    app = opened(new_app())
    assert not app.is_restricted("S-1")
    app.restrict_case("S-1", reason="ansatt i kommunen", by="anne")
    assert app.is_restricted("S-1") and app.restricted_cases() == {"S-1"}
    app.lift_restriction("S-1", reason="ikke lenger nødvendig", by="per")
    assert not app.is_restricted("S-1") and app.restricted_cases() == frozenset()
    changes = app.restriction_changes("S-1")
    assert [(c.action, c.by, c.reason) for c in changes] == [
        (RESTRICTED, "anne", "ansatt i kommunen"),
        (LIFTED, "per", "ikke lenger nødvendig"),
    ]
    app.restrict_case("S-1", reason="igjen", by="anne")
    assert app.is_restricted("S-1") and len(app.restriction_changes("S-1")) == 3


def test_restricting_twice_lifting_nothing_and_unknown_cases_are_refused(
    new_app: Callable[[], Boligspor],
) -> None:
    app = opened(new_app())
    with pytest.raises(NotRestricted):
        app.lift_restriction("S-1", reason="x", by="anne")
    app.restrict_case("S-1", reason="sperret", by="anne")
    with pytest.raises(AlreadyRestricted):
        app.restrict_case("S-1", reason="sperret", by="anne")
    with pytest.raises(UnknownCase):
        app.restrict_case("S-404", reason="sperret", by="anne")
    assert len(app.restriction_changes("S-1")) == 1


def test_the_log_refuses_update_and_delete_and_holds_no_reason_in_plaintext(
    new_app: Callable[[], Boligspor],
) -> None:
    app = opened(new_app())
    app.restrict_case("S-1", reason="Kari Nordmann er ansatt", by="anne")
    table = app.sql.table(LOG)
    stored = app.sql.query(f"SELECT * FROM {table}")
    assert "Kari Nordmann" not in repr(stored)
    for statement in (f"UPDATE {table} SET action = 'lifted'", f"DELETE FROM {table}"):
        with pytest.raises(Exception, match="append-only"):
            app.sql.execute(statement)
    assert app.is_restricted("S-1")


def test_an_erased_case_keeps_its_restrictions_with_the_reasons_erased(
    new_app: Callable[[], Boligspor],
) -> None:
    app = opened(new_app())
    app.restrict_case("S-1", reason="ansatt i kommunen", by="anne")
    app.erase_case("S-1", reason="oppbevaringstiden er ute", by="anne")
    app.lift_restriction("S-1", reason="slettet uansett", by="anne")
    assert [(c.action, c.reason) for c in app.restriction_changes("S-1")] == [
        (RESTRICTED, ERASED),
        (LIFTED, ERASED),
    ]


def test_a_store_made_before_the_log_keeps_its_restrictions(
    database_urls: DatabaseFactory,
) -> None:
    url = database_urls()
    app = opened(Boligspor(make_settings(url), clock=lambda: TODAY_NOW))
    old = app.sql.table("case_restrictions")
    app.sql.execute(
        f"INSERT INTO {old} (case_ref, restricted_at, restricted_by, reason) VALUES (?, ?, ?, ?)",
        ["S-1", "2025-03-01T10:00:00+00:00", "anne", "sperret etter vedtak"],
    )
    app.close()
    reopened = Boligspor(make_settings(url), clock=lambda: TODAY_NOW)
    try:
        assert reopened.is_restricted("S-1")
        changes = reopened.restriction_changes("S-1")
        assert [(c.at, c.by, c.action, c.reason) for c in changes] == [
            ("2025-03-01T10:00:00+00:00", "anne", RESTRICTED, "sperret etter vedtak")
        ]
        assert reopened.sql.query(f"SELECT * FROM {old}") == []
    finally:
        reopened.close()
