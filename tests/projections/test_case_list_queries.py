"""The queries a page of the case list asks, on both backends: one page's latest contacts, and
the cases of a group on a day."""

from __future__ import annotations

import pytest

from domain.values import GROUPS
from projections.case_status import cases_in_group_on, open_cases_on, profiles_on
from projections.db import ReadStore
from projections.follow_ups import latest_contacts
from projections.leases import leases_on
from projections.runner import catch_up
from projections.source import JsonlChangeSource
from tests.projections.conftest import StoreFactory
from tests.projections.samples import SAMPLES

DAY = "2023-09-01"


@pytest.fixture(scope="module")
def moss(module_stores: StoreFactory) -> ReadStore:
    store = module_stores()
    catch_up(JsonlChangeSource(SAMPLES / "moss-2023.jsonl"), store)
    return store


def test_the_latest_contacts_of_some_cases_are_theirs_of_the_latest_contacts_of_all(
    moss: ReadStore,
) -> None:
    with moss.reading() as tx:
        everyone = latest_contacts(tx, DAY)
        some = [*sorted(everyone)[1:], "S-NO-SUCH-CASE"]
        page = latest_contacts(tx, DAY, some)
        nobody = latest_contacts(tx, DAY, [])

    assert len(some) > 400  # asked in more than one chunk
    assert page == {ref: everyone[ref] for ref in some if ref in everyone}
    assert nobody == {}


def test_the_groups_on_a_day_split_the_cases_as_their_profiles_say(moss: ReadStore) -> None:
    with moss.reading() as tx:
        by_group = {group: cases_in_group_on(tx, DAY, group) for group in GROUPS}
        cases = open_cases_on(tx, DAY)
        profiles = profiles_on(tx, ((ref, DAY) for ref in cases))

    for ref in cases:
        assert ref in by_group[profiles[(ref, DAY)].group]
    assert sum(map(len, by_group.values())) == len(set().union(*by_group.values()))


def test_the_leases_of_some_cases_are_theirs_of_the_leases_of_all(moss: ReadStore) -> None:
    with moss.reading() as tx:
        everyone = leases_on(tx, DAY)
        some = [*sorted(everyone)[::2], "S-NO-SUCH-CASE"]
        page = leases_on(tx, DAY, some)

    assert everyone
    assert page == {ref: everyone[ref] for ref in some if ref in everyone}
