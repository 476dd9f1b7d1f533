"""Synthetic demo data: a Moss-like municipality's events, obeying every rule of EVENTS.md.

``generate(seed, today=…)`` runs a small discrete-event simulation day by day from about ten
years before `today`: dwellings are registered (and a few retired), existing tenancies are taken
over when the system is put into use, households apply, are decided on, appeal, wait, stay in
temporary housing, are settled by tenure (municipal dwellings allocated by priority and fit,
never two households in one dwelling), renew leases, move out, complain, are followed up by the
teams (Housing First clients about weekly), are closed and sometimes come back. Everything is
checked against the simulated state before it is emitted, so the stream never breaks a rule.
Afterwards a few follow-ups are recorded some days late (backdated) and a few events that nothing
depends on are retracted. The same seed and `today` give the same events.

Names are synthetic (placeholder-style surnames); national ids are valid synthetic
fødselsnumre (mod-11 control digits, the official century rule for individual numbers).
"""

from domain.demo.people import USERS, national_id
from domain.demo.recording import generate, write_jsonl
from domain.demo.state import SCALES, Event, Scale

__all__ = ["SCALES", "USERS", "Event", "Scale", "generate", "national_id", "write_jsonl"]
