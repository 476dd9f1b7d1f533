"""The rules of a case's history (EVENTS.md), checked over the history ordered by (on, recording).

`CaseState.apply` checks one entry against the state before it and then changes the state; it
checks everything before it changes anything, so a refused entry leaves the state as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from domain import values as v
from domain.errors import RuleBroken


class Entry(Protocol):
    """What the rules need of an event in a case's history."""

    @property
    def event_id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def on(self) -> date: ...
    @property
    def seq(self) -> int: ...
    @property
    def fields(self) -> Mapping[str, Any]: ...
    @property
    def dwelling(self) -> str | None: ...


@dataclass(frozen=True)
class DwellingFacts:
    """What a case's rules need to know of a dwelling."""

    ref: str
    registered_on: date
    category: str
    retired_on: date | None


class DwellingLookup(Protocol):
    def __call__(self, ref: str) -> DwellingFacts | None: ...


@dataclass
class Settlement:
    """A settlement of the case: [start, end) in a dwelling (or none)."""

    event_id: str
    start: date
    tenure: str
    dwelling: str | None
    end: date | None = None


@dataclass
class CaseState:
    """The case as its history so far leaves it."""

    opened: bool = False
    closed: bool = False
    application_pending: bool = False
    appeal_pending: bool = False
    appealable: bool = False
    waiting: bool = False
    settled: Settlement | None = None
    open_stay: str | None = None
    stay_endings: dict[str, str] = field(default_factory=dict)
    complaints: dict[str, bool] = field(default_factory=dict)
    enrolled: bool = False
    last_on: date | None = None
    last_seq: int = -1
    settlements: list[Settlement] = field(default_factory=list)

    def copy(self) -> CaseState:
        """A copy that `apply` can change without changing this state.

        Only the open settlement is ever changed (its end), so only it is copied; the ended
        ones are shared.
        """
        twin = CaseState.__new__(CaseState)
        twin.__dict__.update(self.__dict__)
        twin.stay_endings = dict(self.stay_endings)
        twin.complaints = dict(self.complaints)
        twin.settlements = list(self.settlements)
        if self.settled is not None:
            settled = replace(self.settled)
            twin.settlements[self.settlements.index(self.settled)] = settled
            twin.settled = settled
        return twin

    def apply(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        """Check `entry` against this state, then change the state; raise RuleBroken if refused."""
        kind = entry.type
        if kind == "EventRetracted":
            return
        if not self.opened and kind != "CaseOpened":
            raise RuleBroken("the case is not open yet on that date (CaseOpened comes first)")
        if kind == "CaseOpened" and self.opened:
            raise RuleBroken("the case is already opened")
        if self.closed and kind != "CaseReopened":
            raise RuleBroken(
                "the case is closed on that date: only CaseReopened may follow the closing"
            )
        handler = getattr(self, f"_on_{kind}", None)
        if handler is not None:
            handler(entry, dwellings)
        self.last_on = entry.on
        self.last_seq = entry.seq

    # --- one method per event type with rules --------------------------------------------------

    def _on_CaseOpened(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        self.opened = True

    def _on_ApplicationReceived(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if self.application_pending:
            raise RuleBroken("an application is already pending")
        if self.appeal_pending:
            raise RuleBroken("an appeal is pending")
        if self.waiting:
            raise RuleBroken("the case is already on the waiting list")
        self.application_pending = True
        self.appealable = False

    def _on_ApplicationDecided(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if not self.application_pending:
            raise RuleBroken("no application is pending")
        self.application_pending = False
        if entry.fields["decision"] == "approved":
            self.waiting = True
            self.appealable = False
        else:
            self.appealable = True

    def _on_AppealReceived(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if self.appeal_pending:
            raise RuleBroken("an appeal is already pending")
        if not self.appealable:
            raise RuleBroken(
                "an appeal needs a rejection not yet appealed, with no newer application or closing"
            )
        self.appeal_pending = True
        self.appealable = False

    def _on_AppealDecided(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if not self.appeal_pending:
            raise RuleBroken("no appeal is pending")
        self.appeal_pending = False
        if entry.fields["outcome"] == "overturned":
            self.waiting = True

    def _on_TemporaryStayStarted(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        stay = entry.fields["stay"]
        if self.open_stay is not None:
            raise RuleBroken(f"stay {self.open_stay} is still open")
        if stay in self.stay_endings:
            raise RuleBroken(f"stay {stay} already exists in this case")
        self.open_stay = stay
        self.stay_endings[stay] = ""

    def _on_TemporaryStayEnded(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        stay = entry.fields["stay"]
        if stay not in self.stay_endings:
            raise RuleBroken(f"stay {stay} has not started in this case")
        if self.open_stay != stay:
            how = self.stay_endings[stay]
            raise RuleBroken(f"stay {stay} is not open (ended by the {how})")
        self.open_stay = None
        self.stay_endings[stay] = "end of the stay"

    def _on_Settled(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if self.settled is not None:
            raise RuleBroken(f"the case is already settled (since {self.settled.start})")
        tenure = entry.fields["tenure"]
        ref = entry.dwelling
        if ref is not None and dwellings is not None:
            facts = dwellings(ref)
            if facts is None:
                raise RuleBroken(f"dwelling {ref} is not registered")
            if facts.registered_on > entry.on:
                raise RuleBroken(f"dwelling {ref} is registered only from {facts.registered_on}")
            if facts.retired_on is not None and facts.retired_on <= entry.on:
                raise RuleBroken(f"dwelling {ref} is retired from {facts.retired_on}")
            if tenure == "municipal_rental" and facts.category == "referral":
                raise RuleBroken(
                    f"municipal_rental needs a municipal dwelling; {ref} is a referral dwelling"
                )
            if tenure == "referral_agreement" and facts.category != "referral":
                raise RuleBroken(
                    f"referral_agreement needs a referral dwelling; {ref} is {facts.category}"
                )
        settlement = Settlement(entry.event_id, entry.on, tenure, ref)
        self.settled = settlement
        self.settlements.append(settlement)
        self.waiting = False
        self._end_stay("settlement")

    def _on_LeaseRenewed(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if self.settled is None:
            raise RuleBroken("the case is not settled on that date")

    def _on_MovedOut(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if self.settled is None:
            raise RuleBroken("the case is not settled on that date")
        self.settled.end = entry.on
        self.settled = None

    def _on_ComplaintReceived(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        ref = entry.fields["complaint"]
        if ref in self.complaints:
            raise RuleBroken(f"complaint {ref} already exists in this case")
        if entry.dwelling is not None and dwellings is not None:
            facts = dwellings(entry.dwelling)
            if facts is None:
                raise RuleBroken(f"dwelling {entry.dwelling} is not registered")
            if facts.registered_on > entry.on:
                raise RuleBroken(
                    f"dwelling {entry.dwelling} is registered only from {facts.registered_on}"
                )
        self.complaints[ref] = True

    def _on_ComplaintClosed(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        ref = entry.fields["complaint"]
        if not self.complaints.get(ref, False):
            state = "is already closed" if ref in self.complaints else "does not exist"
            raise RuleBroken(f"complaint {ref} {state}")
        self.complaints[ref] = False

    def _on_HousingFirstEnrolled(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if self.enrolled:
            raise RuleBroken("the case is already enrolled in Housing First")
        self.enrolled = True

    def _on_HousingFirstEnded(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if not self.enrolled:
            raise RuleBroken("the case is not enrolled in Housing First")
        self.enrolled = False

    def _on_Withdrawn(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if not (self.waiting or self.application_pending or self.appeal_pending):
            raise RuleBroken("nothing to withdraw: no waiting list, pending application or appeal")
        self.waiting = self.application_pending = self.appeal_pending = False

    def _on_CaseClosed(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if self.settled is not None and self.settled.tenure in v.MANAGED_TENURES:
            raise RuleBroken(
                f"the case is settled under {self.settled.tenure} in {self.settled.dwelling}:"
                " move out first"
            )
        if self.enrolled:
            raise RuleBroken("the case is enrolled in Housing First: end the enrolment first")
        self.closed = True
        self.waiting = self.application_pending = self.appeal_pending = self.appealable = False
        if self.settled is not None:
            self.settled.end = entry.on
            self.settled = None
        self._end_stay("closing")

    def _on_CaseReopened(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if not self.closed:
            raise RuleBroken("the case is not closed")
        self.closed = False

    def _end_stay(self, how: str) -> None:
        if self.open_stay is not None:
            self.stay_endings[self.open_stay] = how
            self.open_stay = None


def ordered(entries: Iterable[Entry]) -> list[Entry]:
    """The history in rule order: by business date, ties by recording order."""
    return sorted(entries, key=lambda e: (e.on, e.seq))


@dataclass(frozen=True)
class Breach:
    """An entry that a history cannot take, with the reason."""

    entry: Entry
    reason: str

    def describe(self) -> str:
        return f"{self.entry.type} {self.entry.event_id} on {self.entry.on}: {self.reason}"


def replay(
    entries: Iterable[Entry], dwellings: DwellingLookup | None
) -> tuple[CaseState, list[Breach]]:
    """Fold a history in rule order; entries that break a rule are listed and skipped."""
    state = CaseState()
    breaches: list[Breach] = []
    for entry in ordered(entries):
        try:
            state.apply(entry, dwellings)
        except RuleBroken as broken:
            breaches.append(Breach(entry, broken.message))
    return state, breaches
