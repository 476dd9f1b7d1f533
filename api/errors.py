"""The one mapping from error types to HTTP answers, and the one error body.

Every refusal answers `{"error": {"code", "message", "details"}}`: a stable code, a Norwegian
message from the catalogue, and details, one per refused line or parameter: the stable name of
the rule or check (`code`), the kind of refusal (`kind`), the `field` at fault, the Norwegian
`message` (projections/refusal_texts.py, a dwelling named by its address where the read models
know it), its `params`, and the contract's English reason in `detail_en` (the same text the
import gives) — never the submitted values beyond ids, never a stack trace.

Longer than 300 lines because it is that one place: the table of error types, the body, and the
refused lines explained for a person, kept together so that no answer is built elsewhere.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import psycopg
import psycopg_pool
from eventsourcing import persistence
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api.messages import message, validation_message
from api.security_headers import add_security_headers
from domain import store_faults
from domain.application import Refused
from domain.errors import (
    AlreadyRestricted,
    DomainError,
    NotRestricted,
    StoreFull,
    StoreUnavailable,
    UnknownCase,
    UnknownUser,
    UserRefused,
)
from domain.payloads import field_names
from domain.refs import ID_PATTERN
from projections.db import Transaction
from projections.event_log import dwelling_addresses
from projections.refusal_texts import Explained, dwelling_refs, explain

Reading = Callable[[], AbstractContextManager[Transaction]]

log = logging.getLogger("boligspor.api")

RETRY_AFTER_SECONDS = 5
PERSON_KEYS = ("name", "national_id", "phone", "adults", "children")


class ApiError(Exception):
    """Raised when a request is refused by the API itself (who asks, or what the request is)."""

    code = "invalid_request"

    def __init__(self, code: str | None = None) -> None:
        super().__init__(code or self.code)
        if code is not None:
            self.code = code


class Unauthenticated(ApiError):
    """Raised when a request carries no valid bearer token."""

    code = "unauthenticated"


class Forbidden(ApiError):
    """Raised when the signed-in user's role or team does not allow the request."""

    code = "forbidden"


class RestrictedCase(Forbidden):
    """Raised when a user who is no admin reads, lists or writes a restricted case: the API
    answers it as any 403 `forbidden`; the pages say the case is restricted."""


class NotFound(ApiError):
    """Raised when a dwelling (or other resource) named in the path does not exist."""

    code = "not_found"


class InvalidRequest(ApiError):
    """Raised when a request body has the wrong shape before any event is looked at."""


UNAVAILABLE: tuple[type[Exception], ...] = (
    StoreUnavailable,
    persistence.OperationalError,
    persistence.InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    psycopg_pool.PoolTimeout,
    sqlite3.OperationalError,
)

# The one table: error type -> HTTP status. A Refused answers 409 only when every refused line
# is an id already stored with other content; otherwise 422.
STATUS: dict[type[Exception], int] = {
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    UnknownCase: 404,
    UnknownUser: 404,
    AlreadyRestricted: 409,
    NotRestricted: 409,
    UserRefused: 422,
    InvalidRequest: 422,
    Refused: 422,
    **dict.fromkeys(UNAVAILABLE, 503),
}
REFUSAL_STATUS: dict[str, int] = {"duplicate_conflict": 409}
# The library's and the drivers' own errors get the one error body too (a full disk or a
# read-only database is one of them): 503 for a fault of the store, 500 for anything else.
DRIVER_ERRORS: tuple[type[Exception], ...] = (
    persistence.PersistenceError,
    psycopg.Error,
    sqlite3.Error,
)


# The event rules' messages name a wrong value ("… (got "x")", "unknown type x") for the one
# who imports a file; an answer over HTTP must not send submitted values back. Key names are not
# values: an unknown key is named as the import names it ("unknown key prio on
# ApplicationDecided"), when it looks like a key name (letters, digits, `_`, one `.`, no long
# run of digits); anything else is not a name a person typed as a key, and is left out.
CONTRACT_KEYS = frozenset(
    field_names()
    | {f"{outer}.{inner}" for outer in ("person", "household") for inner in PERSON_KEYS}
)
KEY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}(?:\.[A-Za-z_][A-Za-z0-9_]{0,39})?")
DIGIT_RUN = re.compile(r"\d{8}")  # a phone number or national id is no key name
GOT = re.compile(r" \(got .*\)$", re.DOTALL)
UNKNOWN_TYPE = re.compile(r"^unknown type .*$", re.DOTALL)
UNKNOWN_KEY = re.compile(r"^unknown key (?P<key>.*?)(?P<on> on \w+)?$", re.DOTALL)


def shown_key(key: str) -> bool:
    """Whether an unknown key may be named back: a contract key, or one shaped like a key."""
    return key in CONTRACT_KEYS or (
        KEY_NAME.fullmatch(key) is not None and DIGIT_RUN.search(key) is None
    )


def without_values(message: str) -> str:
    """A refusal's reason with the submitted value it quotes taken out."""
    message = UNKNOWN_TYPE.sub("unknown type", GOT.sub("", message))
    found = UNKNOWN_KEY.match(message)
    if found is not None and not shown_key(found["key"]):
        return f"unknown key, not shown: not a key name{found['on'] or ''}"
    return message


def error_body(code: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message(code), "details": details or []}}


def _status_of(error: Exception) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 500


def _refused(request: Request, error: Refused) -> tuple[int, str, list[dict[str, Any]]]:
    codes = {r.code for r in error.refusals}
    code = codes.pop() if len(codes) == 1 else "refused"
    statuses = {REFUSAL_STATUS.get(r.code, STATUS[Refused]) for r in error.refusals}
    status = statuses.pop() if len(statuses) == 1 else STATUS[Refused]
    services = getattr(request.app.state, "services", None)
    explained = explain_refusals(None if services is None else services.reads.reading, error)
    details = [
        {
            "line": r.line,
            "event_id": r.event_id if r.event_id and ID_PATTERN.fullmatch(r.event_id) else None,
            "code": e.code,
            "kind": r.code,
            "field": e.field if e.field is None or shown_key(e.field) else None,
            "message": e.message,
            "params": e.params,
            "detail_en": without_values(r.message),
        }
        for r, e in zip(error.refusals, explained, strict=True)
    ]
    return status, code, details


def explain_refusals(reading: Reading | None, error: Refused) -> list[Explained]:
    """Each refused line as a person reads it (projections/refusal_texts.py), the dwellings it
    names by their addresses as the read models know them (by ref when they cannot be read:
    the refusal is answered all the same)."""
    refs = dwelling_refs(error)
    addresses: dict[str, str] = {}
    if refs and reading is not None:
        with contextlib.suppress(*UNAVAILABLE, *DRIVER_ERRORS), reading() as tx:
            addresses = {ref: found for ref, found in dwelling_addresses(tx, refs).items() if found}
    return [
        explain(r.error or DomainError(r.message, rule=r.code), addresses=addresses)
        for r in error.refusals
    ]


def _own(error: UserRefused | UnknownUser) -> list[dict[str, Any]]:
    """Our own Norwegian reason, naming no submitted value."""
    explained = explain(error)
    return [{"code": explained.code, "kind": error.code, "message": error.message}]


def handle_error(request: Request, error: Exception) -> JSONResponse:
    """Answer any mapped error with the one error body."""
    error = _as_fault(request, error)
    status = _status_of(error)
    headers: dict[str, str] = {}
    details: list[dict[str, Any]] = []
    if isinstance(error, Refused):
        status, code, details = _refused(request, error)
    elif isinstance(error, ApiError | AlreadyRestricted | NotRestricted):
        code = error.code
    elif isinstance(error, UserRefused | UnknownUser):
        code, details = error.code, _own(error)
    elif status == 404:
        code = "unknown_case"
    elif status == 503:
        code = error.code if isinstance(error, StoreUnavailable) else "store_unavailable"
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        if code == "store_unavailable":
            log.warning("database unavailable", extra={"error_type": type(error).__name__})
    else:
        code = "internal_error"
        _log_unexpected(error)
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    response = JSONResponse(error_body(code, details), status_code=status, headers=headers)
    if status == 500:
        # Starlette runs the catch-all handler outside the middleware that adds these.
        production = bool(getattr(request.app.state, "production", True))
        add_security_headers(request.url.path, response.headers, production)
    return response


def _as_fault(request: Request, error: Exception) -> Exception:
    """The error as StoreFull / StoreReadOnly when that is what it comes from, logged by name
    and remembered for the health check; any other error as it is."""
    fault = store_faults.named(error)
    if fault is None:
        return error
    services = getattr(request.app.state, "services", None)
    if services is not None and isinstance(fault, StoreFull):
        store_faults.RECENT.met(services.settings.database_url, StoreFull)
    log.error(
        f"database fault: {fault.code}",
        extra={"fault": fault.code, "error_type": type(error).__name__},
    )
    return fault


def handle_validation(request: Request, error: Exception) -> JSONResponse:
    """A path, query or header parameter of the wrong form: where, and why, but not the value."""
    assert isinstance(error, RequestValidationError)
    details = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ())),
            "code": str(e.get("type", "")),
            "message": validation_message(str(e.get("type", ""))),
            "detail_en": str(e.get("msg", "")),
        }
        for e in error.errors()
    ]
    return JSONResponse(error_body("invalid_request", details), status_code=422)


def handle_http(request: Request, error: Exception) -> JSONResponse:
    """Starlette's own answers (unknown path, wrong method) in the one error body."""
    assert isinstance(error, HTTPException)
    code = {404: "not_found", 405: "invalid_request"}.get(error.status_code, "invalid_request")
    # A body that cannot be parsed is an invalid request like any other: 422, as documented.
    status = 422 if error.status_code == 400 else error.status_code
    return JSONResponse(error_body(code), status_code=status, headers=dict(error.headers or {}))


def _log_unexpected(error: Exception) -> None:
    """Type and place of an unexpected error; its message may hold data, so it is left out."""
    trace = error.__traceback__
    where = "?"
    while trace is not None:
        where = f"{trace.tb_frame.f_code.co_filename}:{trace.tb_lineno}"
        trace = trace.tb_next
    log.error("unexpected error", extra={"error_type": type(error).__name__, "at": where})


def install(app: FastAPI) -> None:
    """Register the mapping on the app: every type in STATUS, validation, and the rest (500)."""
    for kind in (*STATUS, *DRIVER_ERRORS):
        app.add_exception_handler(kind, handle_error)
    app.add_exception_handler(RequestValidationError, handle_validation)
    app.add_exception_handler(HTTPException, handle_http)
    app.add_exception_handler(Exception, handle_error)
