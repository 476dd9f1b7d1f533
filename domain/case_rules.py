"""The rules of a case's history (EVENTS.md), checked over the history ordered by (on, recording).

Longer than 300 lines because every rule of a case's own history is here, one method per event
type of one fold, so that a reader finds each of them in one place.

`CaseState.apply` checks one entry against the state before it and then changes the state; it
checks everything before it changes anything, so a refused entry leaves the state as it was.
What an event ends is the table of `domain.endings`; what a dwelling allows, the dwelling
decides (`DwellingRules`, implemented in `domain.dwelling`). Each RuleBroken names its rule
and facts as listed in `domain.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from domain import values as v
from domain.endings import Ends, ended_by
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


class DwellingRules(Protocol):
    """What a case's rules ask of a dwelling; the dwelling decides (`domain.dwelling`)."""

    def check_registered_by(self, on: date) -> None: ...
    def check_can_settle(self, on: date, tenure: str) -> None: ...


class DwellingLookup(Protocol):
    """The dwelling of a ref, None when it is not registered."""

    def __call__(self, ref: str) -> DwellingRules | None: ...


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

    ref: str = ""
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
    # The teams the case belongs to: each team that logged a follow-up, and housing_first
    # once the case was enrolled in Housing First (api/case_access.py checks writes on it).
    teams: frozenset[str] = frozenset()
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

    def check_can_open(self) -> None:
        """A case is opened once: a CaseOpened needs a new case ref."""
        if self.opened:
            raise RuleBroken(f"case {self.ref} already exists", rule="case_exists", case=self.ref)

    def apply(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        """Check `entry` against this state, then change the state; raise RuleBroken if refused."""
        kind = entry.type
        if kind == "EventRetracted":
            return
        if kind == "CaseOpened":
            self.check_can_open()
        elif not self.opened:
            raise RuleBroken(
                "the case is not open yet on that date (CaseOpened comes first)",
                rule="case_not_open_yet",
                on=entry.on,
            )
        if self.closed and kind != "CaseReopened":
            raise RuleBroken(
                "the case is closed on that date: only CaseReopened may follow the closing",
                rule="case_closed",
                on=entry.on,
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
            raise RuleBroken("an application is already pending", rule="application_pending")
        if self.appeal_pending:
            raise RuleBroken("an appeal is pending", rule="appeal_pending")
        if self.waiting:
            raise RuleBroken(
                "the case is already on the waiting list", rule="already_on_waiting_list"
            )
        self.application_pending = True
        self.appealable = False

    def _on_ApplicationDecided(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if not self.application_pending:
            raise RuleBroken("no application is pending", rule="no_application_pending")
        self.application_pending = False
        if entry.fields["decision"] == "approved":
            self.waiting = True
            self.appealable = False
        else:
            self.appealable = True

    def _on_AppealReceived(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if self.appeal_pending:
            raise RuleBroken("an appeal is already pending", rule="appeal_pending")
        if not self.appealable:
            raise RuleBroken(
                "an appeal needs a rejection not yet appealed, with no newer application or"
                " closing",
                rule="nothing_to_appeal",
            )
        self.appeal_pending = True
        self.appealable = False

    def _on_AppealDecided(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if not self.appeal_pending:
            raise RuleBroken("no appeal is pending", rule="no_appeal_pending")
        self.appeal_pending = False
        if entry.fields["outcome"] == "overturned":
            self.waiting = True

    def _on_TemporaryStayStarted(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        stay = entry.fields["stay"]
        if self.open_stay is not None:
            raise RuleBroken(
                f"stay {self.open_stay} is still open",
                rule="stay_still_open",
                stay=stay,
                open_stay=self.open_stay,
            )
        if stay in self.stay_endings:
            raise RuleBroken(
                f"stay {stay} already exists in this case", rule="stay_exists", stay=stay
            )
        self.open_stay = stay
        self.stay_endings[stay] = ""

    def _on_TemporaryStayEnded(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        stay = entry.fields["stay"]
        if stay not in self.stay_endings:
            raise RuleBroken(
                f"stay {stay} has not started in this case", rule="stay_not_started", stay=stay
            )
        if self.open_stay != stay:
            how = self.stay_endings[stay]
            raise RuleBroken(
                f"stay {stay} is not open (ended by the {how})",
                rule="stay_not_open",
                stay=stay,
                ended_by=how,
            )
        self.open_stay = None
        self.stay_endings[stay] = "end of the stay"

    def _on_Settled(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if self.settled is not None:
            raise RuleBroken(
                f"the case is already settled (since {self.settled.start})",
                rule="already_settled",
                since=self.settled.start,
            )
        tenure = entry.fields["tenure"]
        ref = entry.dwelling
        if ref is not None and dwellings is not None:
            _registered(dwellings, ref).check_can_settle(entry.on, tenure)
        self._end(entry, "settlement")
        settlement = Settlement(entry.event_id, entry.on, tenure, ref)
        self.settled = settlement
        self.settlements.append(settlement)

    def _on_LeaseRenewed(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if self.settled is None:
            raise RuleBroken("the case is not settled on that date", rule="not_settled")

    def _on_MovedOut(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if self.settled is None:
            raise RuleBroken("the case is not settled on that date", rule="not_settled")
        self._end(entry, "move-out")

    def _on_ComplaintReceived(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        ref = entry.fields["complaint"]
        if ref in self.complaints:
            raise RuleBroken(
                f"complaint {ref} already exists in this case",
                rule="complaint_exists",
                complaint=ref,
            )
        if entry.dwelling is not None and dwellings is not None:
            _registered(dwellings, entry.dwelling).check_registered_by(entry.on)
        self.complaints[ref] = True

    def _on_ComplaintClosed(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        ref = entry.fields["complaint"]
        if not self.complaints.get(ref, False):
            if ref in self.complaints:
                raise RuleBroken(
                    f"complaint {ref} is already closed",
                    rule="complaint_already_closed",
                    complaint=ref,
                )
            raise RuleBroken(
                f"complaint {ref} does not exist", rule="complaint_unknown", complaint=ref
            )
        self.complaints[ref] = False

    def _on_FollowUpLogged(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        self.teams = self.teams | {entry.fields["team"]}

    def _on_HousingFirstEnrolled(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if self.enrolled:
            raise RuleBroken(
                "the case is already enrolled in Housing First", rule="already_enrolled"
            )
        self.enrolled = True
        self.teams = self.teams | {"housing_first"}

    def _on_HousingFirstEnded(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if not self.enrolled:
            raise RuleBroken("the case is not enrolled in Housing First", rule="not_enrolled")
        self.enrolled = False

    def _on_Withdrawn(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if not (self.waiting or self.application_pending or self.appeal_pending):
            raise RuleBroken(
                "nothing to withdraw: no waiting list, pending application or appeal",
                rule="nothing_to_withdraw",
            )
        self._end(entry, "withdrawal")

    def _on_CaseClosed(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if self.settled is not None and self.settled.tenure in v.MANAGED_TENURES:
            raise RuleBroken(
                f"the case is settled under {self.settled.tenure} in {self.settled.dwelling}:"
                " move out first",
                rule="settled_under_managed_tenure",
                tenure=self.settled.tenure,
                dwelling=self.settled.dwelling,
            )
        if self.enrolled:
            raise RuleBroken(
                "the case is enrolled in Housing First: end the enrolment first",
                rule="enrolled_in_housing_first",
            )
        self.closed = True
        self._end(entry, "closing")

    def _on_CaseReopened(self, entry: Entry, dwellings: DwellingLookup | None) -> None:
        if not self.closed:
            raise RuleBroken("the case is not closed", rule="case_not_closed")
        self.closed = False

    def _end(self, entry: Entry, how: str) -> None:
        """End what this entry ends (domain/endings.py); `how` names it for a stay's ending."""
        ends = ended_by(entry.type)
        if Ends.STAY in ends and self.open_stay is not None:
            self.stay_endings[self.open_stay] = how
            self.open_stay = None
        if Ends.WAITING_LIST in ends:
            self.waiting = False
        if Ends.APPLICATION in ends:
            self.application_pending = False
        if Ends.APPEAL in ends:
            self.appeal_pending = self.appealable = False
        settled = self.settled
        if settled is not None and (
            Ends.SETTLEMENT in ends
            or (Ends.UNMANAGED_SETTLEMENT in ends and settled.tenure not in v.MANAGED_TENURES)
        ):
            settled.end = entry.on
            self.settled = None


def _registered(dwellings: DwellingLookup, ref: str) -> DwellingRules:
    dwelling = dwellings(ref)
    if dwelling is None:
        raise RuleBroken(
            f"dwelling {ref} is not registered", rule="dwelling_not_registered", dwelling=ref
        )
    return dwelling


def ordered(entries: Iterable[Entry]) -> list[Entry]:
    """The history in rule order: by business date, ties by recording order."""
    return sorted(entries, key=lambda e: (e.on, e.seq))


@dataclass(frozen=True)
class Breach:
    """An entry that a history cannot take, with the reason."""

    entry: Entry
    broken: RuleBroken

    @property
    def reason(self) -> str:
        return self.broken.message

    def describe(self) -> str:
        return f"{self.entry.type} {self.entry.event_id} on {self.entry.on}: {self.reason}"


def replay(
    entries: Iterable[Entry], dwellings: DwellingLookup | None, *, ref: str = ""
) -> tuple[CaseState, list[Breach]]:
    """Fold the history of case `ref` in rule order; entries that break a rule are listed and
    skipped."""
    state = CaseState(ref)
    breaches: list[Breach] = []
    for entry in ordered(entries):
        try:
            state.apply(entry, dwellings)
        except RuleBroken as broken:
            breaches.append(Breach(entry, broken))
    return state, breaches
