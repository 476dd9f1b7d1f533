"""One case's history replayed into the facts and day spans that the read models store.

Longer than 300 lines because the facts of a timeline and the one replay that builds them all
belong together: every read model of a case is fed from this single pass.

What ends what (a settlement ends an open stay and the waiting-list membership; a closing ends
a stay, the membership, a pending application and a privately held settlement; ...) is the
table of `domain.endings`, which the case rules read too. A settlement also sets the
situation to `other`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from domain.endings import Ends, ended_by
from domain.values import HOMELESS_SITUATIONS, MANAGED_TENURES
from projections.history import Recorded, Span, SpanBuilder, counting_events


@dataclass(frozen=True)
class Profile:
    """Group, household and situation of a case on a day."""

    group: str
    adults: int
    children: int
    situation: str


@dataclass(frozen=True)
class HomelessState:
    """How a homeless case counts on a day: its shown situation, whether it is in a stay."""

    situation: str
    in_stay: bool
    with_children: bool


@dataclass(frozen=True)
class WaitingState:
    """How a member of the waiting list counts on a day: since when, priority, group."""

    joined_on: str
    priority: str
    group: str


@dataclass
class Membership:
    joined_on: str
    priority: str
    left_on: str | None = None
    left_reason: str | None = None


@dataclass
class PendingApplication:
    """An application from its ApplicationReceived until the ApplicationDecided, Withdrawn or
    CaseClosed that ends it."""

    received_on: str
    ended_on: str | None = None


@dataclass
class PendingAppeal:
    """An appeal from its AppealReceived until the AppealDecided, Withdrawn or CaseClosed that
    ends it."""

    received_on: str
    ended_on: str | None = None


@dataclass
class Stay:
    stay_ref: str
    kind: str
    started_on: str
    ended_on: str | None = None
    ended_by: str | None = None


@dataclass
class Settlement:
    settled_on: str
    tenure: str
    dwelling_ref: str | None
    lease_until: str | None
    ended_on: str | None = None
    ended_by: str | None = None
    moved_out_reason: str | None = None


@dataclass
class Enrolment:
    enrolled_on: str
    ended_on: str | None = None
    end_reason: str | None = None


@dataclass
class Complaint:
    complaint_ref: str
    received_on: str
    category: str
    source: str
    dwelling_ref: str | None
    closed_on: str | None = None
    outcome: str | None = None


@dataclass
class CaseTimeline:
    """Everything the read models know about one case, without personal data."""

    case_ref: str
    open_spans: list[Span[bool]] = field(default_factory=list)
    profile_spans: list[Span[Profile]] = field(default_factory=list)
    homeless_spans: list[Span[HomelessState]] = field(default_factory=list)
    waiting_spans: list[Span[WaitingState]] = field(default_factory=list)
    lease_spans: list[Span[str]] = field(default_factory=list)
    activity_days: list[str] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    stays: list[Stay] = field(default_factory=list)
    settlements: list[Settlement] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    complaints: list[Complaint] = field(default_factory=list)
    application_steps: list[tuple[str, str]] = field(default_factory=list)
    applications: list[PendingApplication] = field(default_factory=list)
    appeals: list[PendingAppeal] = field(default_factory=list)
    follow_ups: list[tuple[str, str, str, int]] = field(default_factory=list)
    concerns: list[tuple[str, str]] = field(default_factory=list)


APPLICATION_STEPS = {
    ("ApplicationReceived", None): "received",
    ("ApplicationDecided", "approved"): "approved",
    ("ApplicationDecided", "rejected"): "rejected",
    ("AppealReceived", None): "appeal_received",
    ("AppealDecided", "upheld"): "appeal_upheld",
    ("AppealDecided", "overturned"): "appeal_overturned",
}


class _Replay:
    """The running state of a case while its counting events are applied in order."""

    def __init__(self, timeline: CaseTimeline) -> None:
        self.timeline = timeline
        self.is_open = False
        self.profile: Profile | None = None
        self.membership: Membership | None = None
        self.stay: Stay | None = None
        self.settlement: Settlement | None = None
        self.enrolment: Enrolment | None = None
        self.application: PendingApplication | None = None
        self.appeal: PendingAppeal | None = None
        self.open_complaints: dict[str, Complaint] = {}

    def apply(self, e: Recorded) -> None:
        handler = getattr(self, f"_on_{e.type}", None)
        if handler is not None:
            handler(e)
        step = APPLICATION_STEPS.get((e.type, e.field("decision") or e.field("outcome")))
        if step is not None:
            self.timeline.application_steps.append((e.on, step))

    def homeless_state(self) -> HomelessState | None:
        if not self.is_open or self.settlement is not None or self.profile is None:
            return None
        in_stay = self.stay is not None
        if not in_stay and self.profile.situation not in HOMELESS_SITUATIONS:
            return None
        situation = "temporary" if in_stay else self.profile.situation
        return HomelessState(situation, in_stay, self.profile.children > 0)

    def waiting_state(self) -> WaitingState | None:
        if self.membership is None or self.profile is None:
            return None
        return WaitingState(self.membership.joined_on, self.membership.priority, self.profile.group)

    def lease_state(self) -> str | None:
        return self.settlement.lease_until if self.settlement is not None else None

    def _change_profile(self, **changes: Any) -> None:
        if self.profile is None:
            return
        self.profile = replace(self.profile, **changes)

    def _join(self, on: str, priority: str) -> None:
        if self.membership is None:
            self.membership = Membership(on, priority)
            self.timeline.memberships.append(self.membership)

    def _leave(self, on: str, reason: str) -> None:
        if self.membership is not None:
            self.membership.left_on, self.membership.left_reason = on, reason
            self.membership = None

    def _end_application(self, on: str) -> None:
        if self.application is not None:
            self.application.ended_on = on
            self.application = None

    def _end_appeal(self, on: str) -> None:
        if self.appeal is not None:
            self.appeal.ended_on = on
            self.appeal = None

    def _end_stay(self, on: str, by: str) -> None:
        if self.stay is not None:
            self.stay.ended_on, self.stay.ended_by = on, by
            self.stay = None

    def _end_settlement(self, on: str, by: str, reason: str | None = None) -> None:
        if self.settlement is not None:
            self.settlement.ended_on, self.settlement.ended_by = on, by
            self.settlement.moved_out_reason = reason
            self.settlement = None

    def _end(self, e: Recorded, left_reason: str, moved_out_reason: str | None = None) -> None:
        """End what `e` ends (domain/endings.py); `left_reason` for the waiting list."""
        ends = ended_by(e.type)
        if Ends.STAY in ends:
            self._end_stay(e.on, e.type)
        if Ends.WAITING_LIST in ends:
            self._leave(e.on, left_reason)
        if Ends.APPLICATION in ends:
            self._end_application(e.on)
        if Ends.APPEAL in ends:
            self._end_appeal(e.on)
        settlement = self.settlement
        if settlement is not None and (
            Ends.SETTLEMENT in ends
            or (Ends.UNMANAGED_SETTLEMENT in ends and settlement.tenure not in MANAGED_TENURES)
        ):
            self._end_settlement(e.on, e.type, moved_out_reason)

    def _on_CaseOpened(self, e: Recorded) -> None:
        household = e.field("household")
        self.is_open = True
        self.profile = Profile(
            e.field("group"), household["adults"], household["children"], e.field("situation")
        )

    def _on_GroupChanged(self, e: Recorded) -> None:
        self._change_profile(group=e.field("group"))

    def _on_HouseholdChanged(self, e: Recorded) -> None:
        household = e.field("household")
        self._change_profile(adults=household["adults"], children=household["children"])

    def _on_SituationChanged(self, e: Recorded) -> None:
        self._change_profile(situation=e.field("situation"))

    def _on_ApplicationReceived(self, e: Recorded) -> None:
        if self.application is None:
            self.application = PendingApplication(e.on)
            self.timeline.applications.append(self.application)

    def _on_ApplicationDecided(self, e: Recorded) -> None:
        self._end_application(e.on)
        if e.field("decision") == "approved":
            self._join(e.on, e.field("priority"))

    def _on_AppealReceived(self, e: Recorded) -> None:
        if self.appeal is None:
            self.appeal = PendingAppeal(e.on)
            self.timeline.appeals.append(self.appeal)

    def _on_AppealDecided(self, e: Recorded) -> None:
        self._end_appeal(e.on)
        if e.field("outcome") == "overturned":
            self._join(e.on, e.field("priority"))

    def _on_TemporaryStayStarted(self, e: Recorded) -> None:
        self._end_stay(e.on, "TemporaryStayStarted")
        self.stay = Stay(e.field("stay"), e.field("kind"), e.on)
        self.timeline.stays.append(self.stay)

    def _on_TemporaryStayEnded(self, e: Recorded) -> None:
        if self.stay is not None and self.stay.stay_ref == e.field("stay"):
            self._end_stay(e.on, "TemporaryStayEnded")

    def _on_Settled(self, e: Recorded) -> None:
        self._end(e, "settled")
        self.settlement = Settlement(
            e.on, e.field("tenure"), e.field("dwelling"), e.field("lease_until")
        )
        self.timeline.settlements.append(self.settlement)
        self._change_profile(situation="other")

    def _on_LeaseRenewed(self, e: Recorded) -> None:
        if self.settlement is not None:
            self.settlement.lease_until = e.field("lease_until")

    def _on_MovedOut(self, e: Recorded) -> None:
        self._end(e, "moved_out", e.field("reason"))

    def _on_Withdrawn(self, e: Recorded) -> None:
        self._end(e, "withdrawn")

    def _on_CaseClosed(self, e: Recorded) -> None:
        self.is_open = False
        self._end(e, "closed")

    def _on_CaseReopened(self, e: Recorded) -> None:
        self.is_open = True

    def _on_HousingFirstEnrolled(self, e: Recorded) -> None:
        if self.enrolment is None:
            self.enrolment = Enrolment(e.on)
            self.timeline.enrolments.append(self.enrolment)

    def _on_HousingFirstEnded(self, e: Recorded) -> None:
        if self.enrolment is not None:
            self.enrolment.ended_on, self.enrolment.end_reason = e.on, e.field("reason")
            self.enrolment = None

    def _on_ComplaintReceived(self, e: Recorded) -> None:
        dwelling = e.field("dwelling")
        if dwelling is None and self.settlement is not None:
            dwelling = self.settlement.dwelling_ref
        complaint = Complaint(
            e.field("complaint"), e.on, e.field("category"), e.field("source"), dwelling
        )
        self.open_complaints[complaint.complaint_ref] = complaint
        self.timeline.complaints.append(complaint)

    def _on_ComplaintClosed(self, e: Recorded) -> None:
        complaint = self.open_complaints.pop(e.field("complaint"), None)
        if complaint is not None:
            complaint.closed_on, complaint.outcome = e.on, e.field("outcome")

    def _on_FollowUpLogged(self, e: Recorded) -> None:
        self.timeline.follow_ups.append(
            (e.on, e.field("team"), e.field("kind"), e.field("minutes"))
        )

    def _on_ConcernReported(self, e: Recorded) -> None:
        self.timeline.concerns.append((e.on, e.field("to")))


class CaseReplay:
    """A case's timeline with the running state of its replay, so that events recorded later
    can continue it when they come in order (see `can_continue`) instead of replaying the
    whole history again."""

    def __init__(self, case_ref: str) -> None:
        self.timeline = CaseTimeline(case_ref)
        self.position = 0  # the last recorded position seen, retracted or not
        self.last_on: str | None = None  # the date of the last counting event applied
        self.retracted: set[str] = set()
        self._replay = _Replay(self.timeline)
        self._opened: SpanBuilder[bool] = SpanBuilder()
        self._profiles: SpanBuilder[Profile] = SpanBuilder()
        self._homeless: SpanBuilder[HomelessState] = SpanBuilder()
        self._leases: SpanBuilder[str] = SpanBuilder()
        self._waiting: SpanBuilder[WaitingState] = SpanBuilder()

    def can_continue(self, events: Iterable[Recorded]) -> bool:
        """Whether the events (in recording order) leave every earlier event where it was in
        (on, recording order) and retract nothing: recorded after, and dated on or after, the
        last one applied, none of them a retraction or retracted already."""
        last_on, position = self.last_on or "", self.position
        for e in events:
            if (
                e.position <= position
                or e.on < last_on
                or e.type == "EventRetracted"
                or e.id in self.retracted
            ):
                return False
            last_on, position = e.on, e.position
        return True

    def extend(self, events: Iterable[Recorded]) -> None:
        """Apply events for which `can_continue` holds."""
        for e in events:
            self._apply(e)
            self.position = e.position

    def subject(self) -> CaseTimeline:
        """The timeline, its spans brought up to date."""
        timeline = self.timeline
        timeline.open_spans = self._opened.spans()
        timeline.profile_spans = self._profiles.spans()
        timeline.homeless_spans = self._homeless.spans()
        timeline.lease_spans = self._leases.spans()
        timeline.waiting_spans = self._waiting.spans()
        return timeline

    def _apply(self, e: Recorded) -> None:
        replay = self._replay
        replay.apply(e)
        self._opened.add(e.on, True if replay.is_open else None)
        self._profiles.add(e.on, replay.profile)
        self._homeless.add(e.on, replay.homeless_state())
        self._leases.add(e.on, replay.lease_state())
        self._waiting.add(e.on, replay.waiting_state())
        if e.on != self.last_on:
            self.timeline.activity_days.append(e.on)
        self.last_on = e.on


def case_replay(case_ref: str, history: Iterable[Recorded]) -> CaseReplay:
    """Replay a case's recorded events (any order, retractions included) from the start."""
    events = list(history)
    replay = CaseReplay(case_ref)
    for e in counting_events(events):
        replay._apply(e)
    replay.position = max((e.position for e in events), default=0)
    replay.retracted = {str(e.field("target")) for e in events if e.type == "EventRetracted"}
    return replay


def case_timeline(case_ref: str, history: Iterable[Recorded]) -> CaseTimeline:
    """Replay a case's recorded events (any order, retractions included) into its timeline."""
    return case_replay(case_ref, history).subject()
