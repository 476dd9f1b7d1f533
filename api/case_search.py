"""One search over the cases a user may see: by a part of a name, a national id or a phone
number (the keyed index, domain/search_index.py), by case ref in any letter case, and by a
dwelling's address or ref (the cases settled there).

The results are the user's case list narrowed to what the search found: a field user's
team's cases only, restricted cases for admins only, as `GET /api/cases` lists them. Every
case a search shows is logged in the access log (who, when, which case; never the text).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from api.services import Services
from api.users import User
from domain.refs import REF_PATTERN
from projections.case_search import cases_by_ref, cases_settled_in, visible_cases
from projections.cases_on_day import CaseQuery

MAX_TEXT = 200
HIDDEN = ("Cc", "Cf", "Cs", "Zl", "Zp")


@dataclass(frozen=True)
class Searched:
    """All the cases a search found that the user may see (by ref), and one page of them."""

    total: int
    page: list[str]


def search_cases(
    services: Services,
    user: User,
    text: str,
    query: CaseQuery,
    *,
    limit: int,
    offset: int,
    route: str,
) -> Searched:
    """The cases the text finds among those the query (the user's list) holds; the page shown
    is logged as read by the user."""
    refs = found_cases(services, text, query)
    page = refs[offset : offset + limit]
    services.access_log.record_many(user, page, route, now=services.now())
    return Searched(len(refs), page)


def found_cases(services: Services, text: str, query: CaseQuery) -> list[str]:
    """Every case the text finds that the query holds, by ref (nothing logged: the caller
    logs what it shows)."""
    text = cleaned(text)
    if not text:
        return []
    found = services.app.search_index.find(text)
    day = services.today().isoformat()
    with services.reads.reading() as tx:
        by_ref = cases_by_ref(tx, text) if REF_PATTERN.fullmatch(text) else set()
        candidates = found.cases | by_ref | cases_settled_in(tx, found.dwellings)
        return visible_cases(tx, day, query, candidates)


def cleaned(text: str) -> str:
    """The search text with runs of spaces as one, and without the characters no stored
    text holds (control and format characters, lone surrogates: docs/refs.md)."""
    visible = "".join(" " if unicodedata.category(c) in HIDDEN else c for c in text)
    return " ".join(visible.split())[:MAX_TEXT]
