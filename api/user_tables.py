"""The tables behind users, in the event store's database: every process shares them.

`ensure_user_tables(sql)` creates them all (idempotent, on SQLite and PostgreSQL):

- `users`: name, role, team, whether active, the token's id and the SHA-256 of its secret;
- `user_changes`: who changed whom, what and when, append-only (database triggers refuse UPDATE,
  DELETE and, on PostgreSQL, TRUNCATE, as for the access log);
- `web_sessions`: the web pages' sessions, by the SHA-256 of the session id (never the id);
- `web_session_reasons`: the reasons a session's user stated for reading a case;
- `login_failures`: failed sign-ins, a row per typed name and one per client address (`kind`
  "name" or "address"), each by its SHA-256.
"""

from __future__ import annotations

from domain.storage import Sql

APPEND_ONLY = ("user_changes",)


def ensure_user_tables(sql: Sql) -> None:
    key = (
        "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        if sql.postgres
        else "id INTEGER PRIMARY KEY AUTOINCREMENT"
    )
    sql.execute(
        f"CREATE TABLE IF NOT EXISTS {sql.table('users')} ("
        " name TEXT PRIMARY KEY, role TEXT NOT NULL, team TEXT, created_at TEXT NOT NULL,"
        " token_id TEXT NOT NULL UNIQUE, token_hash TEXT NOT NULL,"
        " active BOOLEAN NOT NULL DEFAULT TRUE)",
    )
    _add_active_column(sql)
    sql.execute(
        f"CREATE TABLE IF NOT EXISTS {sql.table('user_changes')} ({key}, at TEXT NOT NULL,"
        " by_name TEXT NOT NULL, via TEXT NOT NULL, user_name TEXT NOT NULL,"
        " change TEXT NOT NULL, detail TEXT)",
    )
    sql.execute(
        f"CREATE INDEX IF NOT EXISTS user_changes_by_user ON {sql.table('user_changes')}"
        " (user_name, id)",
    )
    for table in APPEND_ONLY:
        _refuse_rewrites(sql, table)
    sql.execute(
        f"CREATE TABLE IF NOT EXISTS {sql.table('web_sessions')} ("
        " sid_hash TEXT PRIMARY KEY, csrf TEXT NOT NULL, user_name TEXT,"
        " created_at TEXT NOT NULL, last_seen TEXT NOT NULL, expires_at TEXT NOT NULL)",
    )
    sql.execute(
        f"CREATE INDEX IF NOT EXISTS web_sessions_by_user ON {sql.table('web_sessions')}"
        " (user_name)",
    )
    sql.execute(
        f"CREATE TABLE IF NOT EXISTS {sql.table('web_session_reasons')} ("
        " sid_hash TEXT NOT NULL, case_ref TEXT NOT NULL, reason TEXT NOT NULL,"
        " PRIMARY KEY (sid_hash, case_ref))",
    )
    real = "DOUBLE PRECISION" if sql.postgres else "REAL"
    sql.execute(
        f"CREATE TABLE IF NOT EXISTS {sql.table('login_failures')} ({key}, at {real} NOT NULL,"
        " kind TEXT NOT NULL, key_hash TEXT NOT NULL)",
    )
    sql.execute(
        "CREATE INDEX IF NOT EXISTS login_failures_by_key"
        f" ON {sql.table('login_failures')} (kind, key_hash, at)",
    )


def _add_active_column(sql: Sql) -> None:
    """Stores made before users could be deactivated lack the column: every user is active."""
    if sql.postgres:
        sql.execute(
            f"ALTER TABLE {sql.table('users')}"
            " ADD COLUMN IF NOT EXISTS active BOOLEAN NOT NULL DEFAULT TRUE",
        )
        return
    columns = {str(row[1]) for row in sql.query("PRAGMA table_info(users)")}
    if "active" not in columns:
        sql.execute("ALTER TABLE users ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE")


def _refuse_rewrites(sql: Sql, table: str) -> None:
    if not sql.postgres:
        for action in ("UPDATE", "DELETE"):
            sql.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{action.lower()}"
                f" BEFORE {action} ON {table}"
                f" BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
            )
        return
    function = f"{sql.schema}.{table}_append_only"
    sql.execute(
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS"
        f" $$ BEGIN RAISE EXCEPTION '{table} is append-only'; END $$",
    )
    exists = sql.query(
        "SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = ? AND c.relname = ? AND t.tgname = ?",
        [sql.schema, table, f"{table}_append_only"],
    )
    if not exists:
        sql.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE"
            f" ON {sql.table(table)} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        )
