"""Signed-in sessions of the web pages, kept in the server's memory.

A session is a random id in an HttpOnly, SameSite=Strict cookie (Secure and `__Host-` prefixed
in production) and a per-session CSRF token that every form must send back. A visitor who is
not signed in gets a session too, so that the login form is protected the same way; signing in
replaces it with a new one (no session fixation).

A field user who states a reason for reading a case outside their team gets it kept with the
session, for that case only, until the session ends; every read is still logged and flagged.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

SESSION_LIFETIME = timedelta(hours=12)
PRODUCTION_COOKIE = "__Host-boligspor"
DEVELOPMENT_COOKIE = "boligspor"


@dataclass(frozen=True)
class Session:
    """One browser's session: who is signed in (None before login) and its CSRF token."""

    sid: str
    csrf: str
    user_name: str | None
    expires: datetime

    def csrf_matches(self, sent: str) -> bool:
        return bool(sent) and hmac.compare_digest(self.csrf.encode(), sent.encode())


class SessionStore:
    """The live sessions; safe to use from the server's worker threads."""

    def __init__(self) -> None:
        self._sessions: dict[str, Session] = {}
        self._reasons: dict[str, dict[str, str]] = {}  # sid -> case ref -> stated reason
        self._lock = threading.Lock()

    def start(self, user_name: str | None, *, now: datetime) -> Session:
        session = Session(
            sid=secrets.token_urlsafe(32),
            csrf=secrets.token_urlsafe(32),
            user_name=user_name,
            expires=now + SESSION_LIFETIME,
        )
        with self._lock:
            self._sessions = {k: s for k, s in self._sessions.items() if s.expires > now}
            self._reasons = {k: r for k, r in self._reasons.items() if k in self._sessions}
            self._sessions[session.sid] = session
        return session

    def find(self, sid: str | None, *, now: datetime) -> Session | None:
        if not sid:
            return None
        with self._lock:
            session = self._sessions.get(sid)
        if session is None or session.expires <= now:
            return None
        return session

    def end(self, sid: str) -> None:
        with self._lock:
            self._sessions.pop(sid, None)
            self._reasons.pop(sid, None)

    def state_reason(self, session: Session, ref: str, reason: str) -> None:
        """Keep the reason the session's user gave for reading the case outside their team."""
        with self._lock:
            if session.sid in self._sessions:
                self._reasons.setdefault(session.sid, {})[ref] = reason

    def reason(self, session: Session, ref: str) -> str | None:
        """The reason the session's user gave for reading the case, if any."""
        with self._lock:
            return self._reasons.get(session.sid, {}).get(ref)


def cookie_name(production: bool) -> str:
    return PRODUCTION_COOKIE if production else DEVELOPMENT_COOKIE
