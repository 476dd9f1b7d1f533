"""Failed sign-ins are limited per client address and user name: a sliding window in memory.

After `tries` failed sign-ins within `window` seconds from one address for one name, further
tries answer 429 (with Retry-After) until the oldest failure leaves the window; the token is not
even checked then. A successful sign-in clears the count. Tokens are long random secrets, so
this is defence in depth against guessing and against filling the logs.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

DEFAULT_TRIES = 5
DEFAULT_WINDOW_SECONDS = 60.0
MAX_KEYS = 10_000


class LoginLimiter:
    """Counts failed sign-ins per (address, name); thread-safe."""

    def __init__(
        self,
        tries: int = DEFAULT_TRIES,
        window: float = DEFAULT_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.tries = tries
        self.window = window
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, address: str, name: str) -> int | None:
        """Seconds to wait before this address may try this name again, or None."""
        now = self.clock()
        with self._lock:
            failures = self._recent((address, name), now)
            if len(failures) < self.tries:
                return None
            return max(1, math.ceil(failures[0] + self.window - now))

    def failed(self, address: str, name: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) >= MAX_KEYS:
                self._forget_old(now)
            self._recent((address, name), now).append(now)

    def succeeded(self, address: str, name: str) -> None:
        with self._lock:
            self._failures.pop((address, name), None)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def _forget_old(self, now: float) -> None:
        for key in list(self._failures):
            if not self._recent(key, now):
                del self._failures[key]
