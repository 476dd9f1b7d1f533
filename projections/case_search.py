"""The read-model side of a search: cases by their ref (any letter case) and the cases settled
in dwellings, then which of the found cases a user's list would hold today.

Names, national ids and phone numbers are found in the keyed index (domain/search_index.py),
never here: the read models hold no personal data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from projections.cases_on_day import CaseQuery, matching_refs
from projections.db import Transaction, one_of

# Refs bound in one query: one query for the thousands of cases a common surname finds (SQLite
# binds up to 32,766 values, PostgreSQL 65,535).
CHUNK = 5000


def cases_by_ref(tx: Transaction, text: str) -> set[str]:
    """The cases whose ref is the text, in its own, upper or lower case."""
    spellings = sorted({text, text.upper(), text.lower()})
    marks = ", ".join("?" for _ in spellings)
    return {
        str(ref)
        for (ref,) in tx.query(
            f"SELECT DISTINCT case_ref FROM rm_case_profile_spans WHERE case_ref IN ({marks})",
            spellings,
        )
    }


def cases_settled_in(tx: Transaction, dwellings: Iterable[str]) -> set[str]:
    """The cases ever settled in one of these dwellings."""
    wanted = sorted(set(dwellings))
    found: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        condition, params = one_of(tx.dialect, "dwelling_ref", wanted[start : start + CHUNK])
        found.update(
            str(ref)
            for (ref,) in tx.query(
                f"SELECT DISTINCT case_ref FROM rm_settlements WHERE {condition}", params
            )
        )
    return found


def visible_cases(tx: Transaction, day: str, query: CaseQuery, found: Iterable[str]) -> list[str]:
    """Those of the found cases that the query (a user's list on the day) holds, by ref."""
    wanted = sorted(set(found))
    shown: list[str] = []
    for start in range(0, len(wanted), CHUNK):
        chunk = frozenset(wanted[start : start + CHUNK])
        shown += matching_refs(tx, day, dataclasses.replace(query, among=chunk))
    return sorted(shown)
