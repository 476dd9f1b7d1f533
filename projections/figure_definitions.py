"""The thresholds FIGURES.md defines figures by, each named once; the SQL that counts them is
built from these constants."""

from __future__ import annotations

LONG_STAY_NIGHTS = 90
"""A temporary stay is long once it holds more than this many nights (D − start > 90)."""

LEASE_HORIZON_DAYS = 90
"""A lease is expiring on D when its latest lease_until is in (D, D + 90]."""
