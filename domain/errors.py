"""Domain errors: one base class, each error says what was refused and why."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Raised when a command or an event is refused; the message names the field or event."""

    code = "refused"

    def __init__(self, message: str, *, rule: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        # Which rule was broken, as a stable name (`dwelling_occupied`, `too_long`), and the
        # facts that broke it: what a person's message in the label catalogue is made of.
        self.rule = rule or self.code
        self.params = params


class InvalidEvent(DomainError):
    """Raised when an event line breaks the format of EVENTS.md (JSON, keys, types, values)."""

    code = "invalid_event"

    def __init__(
        self, message: str, field: str | None = None, *, rule: str | None = None, **params: Any
    ) -> None:
        super().__init__(message, rule=rule, **params)
        self.field = field


class RuleBroken(DomainError):
    """Raised when an event breaks a rule of the case's or dwelling's history."""

    code = "rule_broken"


class UnknownCase(DomainError):
    """Raised when an event names a case that does not exist."""

    code = "unknown_case"


class UnknownDwelling(DomainError):
    """Raised when an event names a dwelling that is not registered."""

    code = "unknown_dwelling"


class DuplicateConflict(DomainError):
    """Raised when an event id is already stored with other content."""

    code = "duplicate_conflict"


class CaseErased(DomainError):
    """Raised when personal data of an erased case is asked for or written."""

    code = "case_erased"


class AlreadyRestricted(DomainError):
    """Raised when a case that is restricted is restricted again."""

    code = "already_restricted"


class NotRestricted(DomainError):
    """Raised when a restriction is lifted from a case that is not restricted."""

    code = "not_restricted"


class StoreUnavailable(DomainError):
    """Raised when the database cannot be reached or stays locked; the command may be retried."""

    code = "store_unavailable"


class UserRefused(DomainError):
    """Raised when a user cannot be added or changed as asked (bad name, role or team, name
    taken, or the change makes no sense for the user as they are)."""

    code = "user_refused"


class UnknownUser(DomainError):
    """Raised when a user named in a command does not exist."""

    code = "unknown_user"


class KeysMissing(DomainError):
    """Raised when a process has no keys to open the store with (none set and no key file)."""

    code = "keys_missing"


class WrongKeys(DomainError):
    """Raised when the configured keys do not open the store: it was written with others."""

    code = "wrong_keys"


class StoreFull(StoreUnavailable):
    """Raised when the database's disk is full: nothing more can be written until there is room."""

    code = "store_full"


class StoreReadOnly(StoreUnavailable):
    """Raised when the database is read-only: reads work, nothing can be written."""

    code = "store_read_only"
