"""Every rule a RuleBroken names, with the facts it carries: what a person's message is made of.

`RuleBroken(message, rule=NAME, **params)`: the English `message` is the one the import, the
API and tests/samples/*.refused.jsonl show; `rule` is one of the names below, stable across
versions, and `params` are the facts named beside it (dates as `date`, refs as `str`). A label
catalogue gives each name a Norwegian sentence with these facts in it.

Where each rule is decided: a case's history in `domain.case_rules.CaseState` (and, for
retractions and backdated entries, `domain.case.Case.decide`); a dwelling's in
`domain.dwelling` (`DwellingFacts` for its registration and retirement, `Dwelling` for who
lives in it).
"""

from __future__ import annotations

RULES: dict[str, tuple[str, ...]] = {
    # --- the case's own history (CaseState) ---
    "case_exists": ("case",),  # a CaseOpened for a case ref already opened
    "case_not_open_yet": ("on",),  # an event dated before the case's CaseOpened
    "case_closed": ("on",),  # an event other than CaseReopened after the closing
    "case_not_closed": (),  # CaseReopened on an open case
    "application_pending": (),  # ApplicationReceived while one is pending
    "appeal_pending": (),  # ApplicationReceived or AppealReceived while an appeal is pending
    "already_on_waiting_list": (),  # ApplicationReceived while on the waiting list
    "no_application_pending": (),  # ApplicationDecided with nothing to decide
    "nothing_to_appeal": (),  # AppealReceived without a rejection open to appeal
    "no_appeal_pending": (),  # AppealDecided with nothing to decide
    "stay_still_open": ("stay", "open_stay"),  # a stay starting while another is open
    "stay_exists": ("stay",),  # a stay ref used twice in the case
    "stay_not_started": ("stay",),  # TemporaryStayEnded for a stay never started
    "stay_not_open": ("stay", "ended_by"),  # ... for a stay already ended (and by what)
    "already_settled": ("since",),  # Settled while settled
    "not_settled": (),  # LeaseRenewed or MovedOut while not settled
    "complaint_exists": ("complaint",),  # a complaint ref used twice in the case
    "complaint_already_closed": ("complaint",),
    "complaint_unknown": ("complaint",),  # ComplaintClosed for a complaint never received
    "already_enrolled": (),  # HousingFirstEnrolled while enrolled
    "not_enrolled": (),  # HousingFirstEnded while not enrolled
    "nothing_to_withdraw": (),  # Withdrawn with no waiting list, application or appeal
    "settled_under_managed_tenure": ("tenure", "dwelling"),  # CaseClosed: move out first
    "enrolled_in_housing_first": (),  # CaseClosed while enrolled
    # --- retractions and backdated entries (Case.decide) ---
    "retraction_target_unknown": ("case", "target"),
    "not_retractable": ("target", "target_type"),  # a CaseOpened or an EventRetracted
    "already_retracted": ("target", "retracted_by"),
    # later entries that break a rule once the target is gone: (event id, rule, params) each
    "retraction_breaks_history": ("target", "target_type", "breaks"),
    # a backdated entry that breaks rules for entries dated after it: (event id, rule, params)
    "conflicts_with_history": ("event", "breaks"),
    # --- the dwelling (domain/dwelling.py) ---
    "dwelling_already_registered": ("dwelling",),
    "dwelling_not_registered": ("dwelling",),  # a case event naming an unregistered dwelling
    "dwelling_not_yet_registered": ("dwelling", "on", "registered_on"),
    "dwelling_retired": ("dwelling", "retired_on", "start", "end"),  # start/end: when known
    "dwelling_already_retired": ("dwelling", "retired_on"),
    "tenure_needs_municipal_dwelling": ("dwelling", "tenure", "category"),
    "tenure_needs_referral_dwelling": ("dwelling", "tenure", "category"),
    # one household at a time: `case` would overlap `other_case`'s [start, end)
    "dwelling_occupied": ("dwelling", "case", "other_case", "start", "end"),
    # a retirement while `other_case` lives there [start, end) on or after `on`
    "dwelling_held_at_retirement": ("dwelling", "other_case", "start", "end", "on"),
}
