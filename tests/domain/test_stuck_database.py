"""A session that holds the events table's lock cannot block writers for long."""

from __future__ import annotations

import time

import psycopg
import pytest

from domain.application import Boligspor
from domain.errors import StoreUnavailable
from settings import parse_database_url
from tests.conftest import (
    TEST_POSTGRES_URL,
    TODAY_NOW,
    drop_schema,
    make_settings,
    require_postgres,
)
from tests.reliability.events import dwelling

DWELLING = dwelling("B-1", "d1")


def test_a_held_table_lock_gives_a_clean_retryable_error_within_about_ten_seconds() -> None:
    require_postgres()
    schema = "t_stuck_lock"
    drop_schema(schema)
    app = Boligspor(make_settings(f"{TEST_POSTGRES_URL}?schema={schema}"), clock=lambda: TODAY_NOW)
    try:
        with psycopg.connect(parse_database_url(TEST_POSTGRES_URL).conninfo) as holder:
            holder.execute(f"LOCK TABLE {schema}.boligspor_events IN EXCLUSIVE MODE")
            started = time.monotonic()
            with pytest.raises(StoreUnavailable):
                app.submit([(1, DWELLING)])
            waited = time.monotonic() - started
            holder.rollback()
        assert waited < 15, waited
        assert app.max_position() == 0
        app.submit([(1, DWELLING)])
        assert app.max_position() > 0
    finally:
        drop_schema(schema)
