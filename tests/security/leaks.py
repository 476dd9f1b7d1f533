"""What no answer may hold: a stack trace, SQL or a driver's message, a submitted value echoed
back, or anything that passes the national id check."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from api.messages import MESSAGES
from domain import values
from domain.national_id import national_id_problem
from domain.payloads import PAYLOADS, own_fields

TRACE = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+|\.py\", line")
SQL = re.compile(
    r"\b(SELECT\s+\S+.*\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b"
    r"|sqlite3?\.|psycopg|UNIQUE constraint|syntax error at or near|IntegrityError"
    r"|OperationalError|no such table|relation \"\w+\" does not exist",
    re.IGNORECASE,
)
ELEVEN_DIGITS = re.compile(r"(?<!\d)\d{11}(?!\d)")
# Keys whose values are identifiers the writer chose: the API may name them back (EVENTS.md).
ID_KEYS = frozenset({"id", "case", "dwelling", "target", "stay", "complaint", "ref", "by"})
KNOWN = frozenset(
    {
        *PAYLOADS,
        *(spec.name for kind in PAYLOADS for spec in own_fields(kind)),
        *(v for name in dir(values) if name.isupper() for v in getattr(values, name)),
    }
)
# Text every error answer may hold whatever was sent: the catalogue, codes and keys.
BENIGN = json.dumps(MESSAGES, ensure_ascii=False) + " line event_id details message field code"
MIN_ECHO = 6  # shorter strings turn up by chance (dates, numbers, words of the messages)


def national_ids(text: str) -> list[str]:
    """Every 11-digit run in the text that passes the national id check."""
    return [run for run in ELEVEN_DIGITS.findall(text) if national_id_problem(run) is None]


def leaves(
    value: Any, key: str | None = None, *, keys: bool = True
) -> Iterator[tuple[str | None, str]]:
    """(key, text) of every string (and, with `keys`, object key) inside a decoded JSON value."""
    if isinstance(value, dict):
        for k, v in value.items():
            if keys:
                yield None, str(k)
            yield from leaves(v, str(k), keys=keys)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item, key, keys=keys)
    elif isinstance(value, str):
        yield key, value


def answer_values(text: str) -> list[tuple[str | None, str]]:
    """The string values (not keys) of a JSON answer; the whole text if it is not JSON."""
    try:
        decoded = json.loads(text)
    except ValueError:
        return [(None, text)]
    return list(leaves(decoded, keys=False))


def submitted_texts(body: bytes | str | None, params: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(values that must not be echoed, identifiers that may be) of a request."""
    found: list[tuple[str | None, str]] = [(k, str(v)) for k, v in params.items()]
    if body:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        try:
            found += list(leaves(json.loads(text)))
        except ValueError:
            found.append((None, text))
    ids = {text for key, text in found if key in ID_KEYS}
    secret = {
        text
        for key, text in found
        if key not in ID_KEYS and len(text.strip()) >= MIN_ECHO and text not in KNOWN
    }
    return secret - ids, ids


def problems(
    status: int,
    text: str,
    body: bytes | str | None = None,
    params: dict[str, Any] | None = None,
    *,
    personal: bool = False,
) -> list[str]:
    """What is wrong with an answer to a request (empty when nothing).

    `personal`: the answer is a logged read of one case's personal data (the case and its
    history), where the contact person's national id is the point of the read."""
    found = []
    if TRACE.search(text):
        found.append("a stack trace")
    if SQL.search(text):
        found.append(f"SQL or a driver message: {SQL.search(text).group(0)!r}")  # type: ignore[union-attr]
    secret, ids = submitted_texts(body, params or {})
    if status >= 400:
        answer = [leaf for _, leaf in answer_values(text)]
        echoed = sorted(s for s in secret if s not in BENIGN and any(s in leaf for leaf in answer))
        if echoed:
            found.append(f"submitted values echoed: {echoed[:3]}")
    leaked = [n for n in national_ids(text) if not any(n in i for i in ids)]
    if leaked and not personal:
        found.append(f"national ids: {leaked[:3]}")
    return found
