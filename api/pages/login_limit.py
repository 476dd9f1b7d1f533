"""Failed sign-ins are limited per user name and per client address, in the shared database.

After `tries_per_user` failed sign-ins as one name (from any address), or `tries_per_address`
from one address (as any names), within `window` seconds, further tries answer 429 (with
Retry-After) until enough failures leave the window; the token is not even checked then. Every
server process counts the same rows. A successful sign-in clears the name's failures, not the
address's: someone with one good token cannot wipe out their guesses at others. Rows hold only
SHA-256 digests of the name and the address. Tokens are long random secrets, so this is defence
in depth against guessing and against filling the logs.

The client address is the peer's, or, when the peer is a configured proxy, the nearest address
in `X-Forwarded-For` that is not a proxy (`client_address`).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from collections.abc import Callable, Iterable

from starlette.requests import Request

from domain.storage import Sql

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


class LoginLimiter:
    """Counts failed sign-ins per name and per address, across processes."""

    def __init__(
        self,
        sql: Sql,
        *,
        tries_per_user: int,
        tries_per_address: int,
        window: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.sql = sql
        self.table = sql.table("login_failures")
        self.tries_per_user = tries_per_user
        self.tries_per_address = tries_per_address
        self.window = window
        self.clock = clock

    def retry_after(self, address: str, name: str) -> int | None:
        """Seconds to wait before this address may try this name again, or None."""
        now = self.clock()
        waits = [
            self._wait(kind, _digest(value), tries, now)
            for kind, value, tries in (
                ("name", name, self.tries_per_user),
                ("address", address, self.tries_per_address),
            )
        ]
        longest = max((wait for wait in waits if wait is not None), default=None)
        return None if longest is None else max(1, math.ceil(longest))

    def _wait(self, kind: str, digest: str, tries: int, now: float) -> float | None:
        rows = self.sql.query(
            f"SELECT at FROM {self.table} WHERE kind = ? AND key_hash = ? AND at > ?"
            " ORDER BY at DESC LIMIT ?",
            [kind, digest, now - self.window, tries],
        )
        if len(rows) < tries:
            return None
        return float(rows[-1][0]) + self.window - now

    def failed(self, address: str, name: str) -> None:
        now = self.clock()
        with self.sql.transaction() as cursor:
            cursor.execute(
                self._sql(f"DELETE FROM {self.table} WHERE at <= ?"), [now - self.window]
            )
            for kind, value in (("name", name), ("address", address)):
                cursor.execute(
                    self._sql(f"INSERT INTO {self.table} (at, kind, key_hash) VALUES (?, ?, ?)"),
                    [now, kind, _digest(value)],
                )

    def succeeded(self, address: str, name: str) -> None:
        self.sql.execute(
            f"DELETE FROM {self.table} WHERE kind = 'name' AND key_hash = ?", [_digest(name)]
        )

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.sql.postgres else statement


def trusted_networks(proxies: Iterable[str]) -> tuple[Network, ...]:
    """The configured proxies as networks (a plain address is a network of one)."""
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in trusted)


def client_address(request: Request, trusted: tuple[Network, ...]) -> str:
    """The address the request came from: `X-Forwarded-For` is believed only from a proxy.

    From a trusted peer, the header is read from the right (the hop nearest to us) and the
    first address that is not itself a trusted proxy is the client's."""
    peer = request.client.host if request.client is not None else "unknown"
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
        if hop.strip()
    ]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer
