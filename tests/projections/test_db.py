"""The read-store adapter runs the same SQL on both backends."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest

from projections.db import ReadStore


def test_question_mark_parameters_and_literal_percent_signs_work_on_both_backends(
    store: ReadStore,
) -> None:
    with store.transaction() as tx:
        tx.execute("CREATE TABLE rm_test_words (word TEXT, n INTEGER)")
        tx.executemany(
            "INSERT INTO rm_test_words (word, n) VALUES (?, ?)", [("100%", 1), ("halv", 2)]
        )

    with store.reading() as tx:
        rows = tx.query(
            "SELECT word, n FROM rm_test_words WHERE word LIKE '%\\%' ESCAPE '\\' OR n = ?", (2,)
        )

    assert sorted(rows) == [("100%", 1), ("halv", 2)]


def test_a_transaction_that_raises_is_rolled_back(store: ReadStore) -> None:
    with store.transaction() as tx:
        tx.execute("CREATE TABLE rm_test_numbers (n INTEGER)")
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.execute("INSERT INTO rm_test_numbers (n) VALUES (?)", (1,))
        raise RuntimeError("stop")

    with store.reading() as tx:
        assert tx.query_one("SELECT COUNT(*) FROM rm_test_numbers") == (0,)


def test_a_database_error_rolls_the_transaction_back_and_the_store_stays_usable(
    store: ReadStore,
) -> None:
    with store.transaction() as tx:
        tx.execute("CREATE TABLE rm_test_keys (k INTEGER PRIMARY KEY)")
    duplicate_key = (sqlite3.IntegrityError, psycopg.errors.UniqueViolation)
    with pytest.raises(duplicate_key), store.transaction() as tx:
        tx.execute("INSERT INTO rm_test_keys (k) VALUES (?)", (1,))
        tx.execute("INSERT INTO rm_test_keys (k) VALUES (?)", (1,))
        tx.query("SELECT k FROM rm_test_keys")

    with store.transaction() as tx:
        tx.execute("INSERT INTO rm_test_keys (k) VALUES (?)", (2,))
    with store.reading() as tx:
        assert tx.query("SELECT k FROM rm_test_keys") == [(2,)]
