"""Signed-in sessions of the web pages, kept in the database every server process shares.

A session is a random id in an HttpOnly, SameSite=Strict cookie (Secure and `__Host-` prefixed
in production) and a per-session CSRF token that every form must send back. The database holds
only the SHA-256 of the id, so its rows cannot be replayed as cookies. A visitor who is not
signed in gets a session too, so that the login form is protected the same way; signing in
replaces it with a new one (no session fixation).

A session ends on logout, when its user is deactivated or their token rotated (`UserStore`
deletes the rows), after `idle` without a request and `lifetime` after it began. The time of
the last request is written at most every TOUCH_EVERY, so a page view rarely writes.

A field user who states a reason for reading a case outside their team gets it kept with the
session, for that case only, until the session ends; every read is still logged and flagged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain.storage import Sql

PRODUCTION_COOKIE = "__Host-boligspor"
DEVELOPMENT_COOKIE = "boligspor"
TOUCH_EVERY = timedelta(seconds=30)


@dataclass(frozen=True)
class Session:
    """One browser's session: who is signed in (None before login) and its CSRF token."""

    sid: str
    csrf: str
    user_name: str | None
    expires: datetime

    def csrf_matches(self, sent: str) -> bool:
        return bool(sent) and hmac.compare_digest(self.csrf.encode(), sent.encode())


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def _stamp(moment: datetime) -> str:
    """A fixed-width UTC time, so that text order is time order on both databases."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class SessionStore:
    """The sessions in the database; any process finds a session any other one started."""

    def __init__(self, sql: Sql, *, idle: timedelta, lifetime: timedelta) -> None:
        self.sql = sql
        self.idle = idle
        self.lifetime = lifetime
        self.table = sql.table("web_sessions")
        self.reasons = sql.table("web_session_reasons")

    def start(self, user_name: str | None, *, now: datetime) -> Session:
        self._forget_ended(now)
        sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        ends = now + self.lifetime
        self.sql.execute(
            f"INSERT INTO {self.table}"
            " (sid_hash, csrf, user_name, created_at, last_seen, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [_hash(sid), csrf, user_name, _stamp(now), _stamp(now), _stamp(ends)],
        )
        return Session(sid, csrf, user_name, min(ends, now + self.idle))

    def find(self, sid: str | None, *, now: datetime) -> Session | None:
        """The live session of this id, its last request noted; None if it ended or never was."""
        if not sid:
            return None
        rows = self.sql.query(
            f"SELECT csrf, user_name, last_seen, expires_at FROM {self.table} WHERE sid_hash = ?",
            [_hash(sid)],
        )
        if not rows:
            return None
        csrf, user_name, last_seen_text, expires_text = rows[0]
        last_seen = datetime.fromisoformat(str(last_seen_text))
        ends = datetime.fromisoformat(str(expires_text))
        if ends <= now or last_seen + self.idle <= now:
            self.end(sid)
            return None
        if now - last_seen >= TOUCH_EVERY:
            self.sql.execute(
                f"UPDATE {self.table} SET last_seen = ? WHERE sid_hash = ?",
                [_stamp(now), _hash(sid)],
            )
            last_seen = now
        name = None if user_name is None else str(user_name)
        return Session(sid, str(csrf), name, min(ends, last_seen + self.idle))

    def end(self, sid: str) -> None:
        with self.sql.transaction() as cursor:
            for table in (self.reasons, self.table):
                cursor.execute(self._sql(f"DELETE FROM {table} WHERE sid_hash = ?"), [_hash(sid)])

    def state_reason(self, session: Session, ref: str, reason: str) -> None:
        """Keep the reason the session's user gave for reading the case outside their team."""
        digest = _hash(session.sid)
        self.sql.execute(
            f"INSERT INTO {self.reasons} (sid_hash, case_ref, reason)"
            f" SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM {self.table} WHERE sid_hash = ?)"
            " ON CONFLICT (sid_hash, case_ref) DO UPDATE SET reason = excluded.reason",
            [digest, ref, reason, digest],
        )

    def reason(self, session: Session, ref: str) -> str | None:
        """The reason the session's user gave for reading the case, if any."""
        rows = self.sql.query(
            f"SELECT reason FROM {self.reasons} WHERE sid_hash = ? AND case_ref = ?",
            [_hash(session.sid), ref],
        )
        return str(rows[0][0]) if rows else None

    def _forget_ended(self, now: datetime) -> None:
        with self.sql.transaction() as cursor:
            cursor.execute(
                self._sql(f"DELETE FROM {self.table} WHERE expires_at <= ? OR last_seen <= ?"),
                [_stamp(now), _stamp(now - self.idle)],
            )
            cursor.execute(
                self._sql(
                    f"DELETE FROM {self.reasons} WHERE sid_hash NOT IN"
                    f" (SELECT sid_hash FROM {self.table})"
                ),
                [],
            )

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.sql.postgres else statement


def cookie_name(production: bool) -> str:
    return PRODUCTION_COOKIE if production else DEVELOPMENT_COOKIE
