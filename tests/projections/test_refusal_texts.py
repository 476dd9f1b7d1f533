"""Every refusal has a Norwegian message with its parameters filled in, and the real rules,
provoked by the samples' refused lines, give the sentences a person reads."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import domain.errors
from domain.application import Boligspor, Refused
from domain.errors import DomainError, InvalidEvent, RuleBroken
from domain.rules import RULES
from projections.labels import has_label, label
from projections.refusal_texts import RULE_FIELDS, dwelling_refs, explain
from tests.conftest import SAMPLES, sample_lines

DOMAIN = Path(domain.errors.__file__).parent
RAISED_RULE = re.compile(r'rule="([a-z_]+)"')
CHECKS_TABLE = re.compile(r"^\| ([a-z_, ]+) \|([a-z_, ]*)\|", re.MULTILINE)


def raised_rules() -> set[str]:
    """Every rule name the domain's code raises (`rule="..."`), read from its source."""
    found: set[str] = set()
    for path in DOMAIN.rglob("*.py"):
        found |= set(RAISED_RULE.findall(path.read_text(encoding="utf-8")))
    return found


def format_rules() -> dict[str, tuple[str, ...]]:
    """The format checks' table of domain/payloads/checks.py: rule -> its parameters."""
    text = (DOMAIN / "payloads" / "checks.py").read_text(encoding="utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for names, params in CHECKS_TABLE.findall(text):
        if names.strip() == "rule":
            continue
        for name in names.split(","):
            table[name.strip()] = tuple(p.strip() for p in params.split(",") if p.strip())
    return table


def error_codes() -> set[str]:
    kinds: list[type[DomainError]] = [DomainError]
    codes: set[str] = set()
    while kinds:
        kind = kinds.pop()
        codes.add(kind.code)
        kinds.extend(kind.__subclasses__())
    return codes


SAMPLE_VALUES: dict[str, Any] = {
    "case": "S-1",
    "other_case": "S-2",
    "on": date(2024, 3, 1),
    "since": date(2023, 5, 2),
    "start": date(2024, 3, 1),
    "end": date(2024, 9, 1),
    "registered_on": date(2024, 4, 1),
    "retired_on": date(2024, 2, 1),
    "stay": "t2",
    "open_stay": "t1",
    "ended_by": "settlement",
    "complaint": "k1",
    "tenure": "municipal_rental",
    "category": "referral",
    "dwelling": "B-1",
    "target": "ev-1",
    "target_type": "ApplicationReceived",
    "retracted_by": "ev-2",
    "event": "ev-3",
    "breaks": [("ev-4", "case_closed", {"on": date(2024, 5, 1)}), ("ev-5", "not_settled", {})],
    "column": 7,
    "shape": "household",
    "key": "priority",
    "type": "FollowUpLogged",
    "got": 3,
    "low": 1,
    "high": 40,
    "position": 4,
    "code_point": "U+200B",
    "options": ("families", "other"),
    "today": date(2026, 11, 21),
    "problem": "first control digit (mod 11) is wrong",
    "when": "decision",
    "value": "approved",
    "after": "on",
}


def all_rules() -> dict[str, tuple[str, ...]]:
    return {**format_rules(), **RULES}


def test_the_walk_covers_every_rule_the_domain_raises() -> None:
    assert raised_rules() <= set(all_rules()), raised_rules() - set(all_rules())
    assert set(RULES) <= set(RULE_FIELDS)
    assert len(format_rules()) >= 20


@pytest.mark.parametrize("rule", sorted(all_rules()))
def test_every_rule_has_a_message_with_every_parameter_filled_in(rule: str) -> None:
    assert has_label(f"refusal.{rule}"), f"no message for {rule}"
    params = {name: SAMPLE_VALUES[name] for name in all_rules()[rule]}
    if rule in RULES:
        error: DomainError = RuleBroken("English", rule=rule, **params)
    else:
        error = InvalidEvent("English", "household.adults", rule=rule, **params)
    explained = explain(error)
    assert explained.code == rule
    assert explained.message and "{" not in explained.message and "}" not in explained.message
    # Not the message of its kind, which stands in when a parameter is missing.
    assert explained.message not in (label("refusal.rule_broken"), label("refusal.invalid_event"))
    assert "English" not in explained.message
    assert explained.message.lstrip("«")[0].isupper()
    for internal in ("t1", "t2", "k1", "ev-4", "2024-03-01", "None"):
        assert internal not in explained.message, (rule, explained.message)
    json.dumps(explained.params)  # the API sends them as they are


@pytest.mark.parametrize("code", sorted(error_codes()))
def test_every_kind_of_domain_error_has_a_message(code: str) -> None:
    assert has_label(f"refusal.{code}")
    kind = next(k for k in _kinds() if k.code == code)
    error = kind("English reason") if kind is not InvalidEvent else InvalidEvent("English")
    explained = explain(error)
    assert explained.code == code
    assert "{" not in explained.message
    if code != "user_refused":  # its reason is the users' own Norwegian text
        assert "English" not in explained.message


def _kinds() -> list[type[DomainError]]:
    kinds: list[type[DomainError]] = [DomainError]
    out: list[type[DomainError]] = []
    while kinds:
        kind = kinds.pop()
        out.append(kind)
        kinds.extend(kind.__subclasses__())
    return out


def test_a_dwelling_is_named_by_its_address_and_the_period_in_dates() -> None:
    error = RuleBroken(
        "dwelling B-1 holds S-2 from 2024-03-01 to the day before 2024-09-01",
        rule="dwelling_occupied",
        dwelling="B-1",
        case="S-1",
        other_case="S-2",
        start=date(2024, 3, 1),
        end=date(2024, 9, 1),
    )
    explained = explain(error, addresses={"B-1": "Storgata 3"})
    assert (
        explained.message == "Boligen i Storgata 3 bebos av en annen sak fra 1.3.2024 til 1.9.2024."
    )
    assert explained.field == "dwelling"
    assert explained.params["start"] == "2024-03-01"
    assert dwelling_refs(error) == ["B-1"]
    assert explain(error).message.startswith("Bolig B-1 bebos")


def test_a_submitted_value_is_never_quoted_back() -> None:
    error = InvalidEvent(
        "group must be one of …", "group", rule="not_in_set", options=("a",), got="12017512345"
    )
    explained = explain(error)
    assert "12017512345" not in explained.message
    assert "got" not in explained.params
    unknown_key = InvalidEvent("unknown key", "x", rule="unknown_field", key="12017512345")
    assert "12017512345" not in explain(unknown_key).message
    assert "key" not in explain(unknown_key).params


def test_a_message_is_the_catalogues_sentence() -> None:
    explained = explain(RuleBroken("the case is not settled on that date", rule="not_settled"))
    assert explained.message == label("refusal.not_settled")


# The last line of each invalid sample, refused by the real rules: (code, field, message).
SAMPLE_MESSAGES: dict[str, tuple[str, str | None, str]] = {
    "not-json.jsonl": ("not_json", None, "Linjen er ikke gyldig JSON (feil ved tegn 71)."),
    "unknown-type.jsonl": ("unknown_type", "type", "Ukjent type registrering."),
    "unknown-key.jsonl": (
        "unknown_field",
        "prio",
        "Feltet «prio» hører ikke til «Søknad mottatt».",
    ),
    "dwelling-key-on-follow-up.jsonl": (
        "unknown_field",
        "dwelling",
        "Feltet «dwelling» hører ikke til «Oppfølging registrert».",
    ),
    "bad-national-id.jsonl": (
        "bad_national_id",
        "person.national_id",
        "Fødselsnummeret er ikke gyldig: det første kontrollsifferet stemmer ikke.",
    ),
    "future-date.jsonl": (
        "date_in_future",
        "on",
        "Datoen kan ikke være etter dagens dato (21.11.2026).",
    ),
    "missing-field.jsonl": ("missing_field", "kind", "Typen mangler."),
    "bad-date.jsonl": ("not_a_real_date", "on", "Datoen er ikke en dato som finnes."),
    "float-minutes.jsonl": ("not_an_integer", "minutes", "Antall minutter må være et heltall."),
    "unknown-case.jsonl": ("unknown_case", "case", "Saken finnes ikke."),
    "priority-on-rejection.jsonl": (
        "only_when",
        "priority",
        "Prioriteten skal bare fylles ut når vedtaket er «Innvilget».",
    ),
    "overlapping-stays.jsonl": (
        "stay_still_open",
        "stay",
        "Saken har allerede et midlertidig opphold som ikke er avsluttet; avslutt det før et"
        " nytt starter.",
    ),
    "backdated-conflict.jsonl": (
        "conflicts_with_history",
        "on",
        "Den tilbakedaterte registreringen passer ikke med det som er registrert senere. Saken"
        " er avsluttet per 1.3.2023: etter avslutningen kan bare «Sak gjenåpnet» registreres.",
    ),
    "double-occupancy.jsonl": (
        "dwelling_occupied",
        "dwelling",
        "Bolig B-1 bebos av en annen sak fra 1.3.2023.",
    ),
    "tenure-does-not-fit.jsonl": (
        "tenure_needs_referral_dwelling",
        "dwelling",
        "«Tilvisningsavtale» krever en bolig med tilvisningsavtale; bolig B-1 er i kategorien"
        " «Ordinære helkommunale boliger».",
    ),
    "close-managed-tenancy.jsonl": (
        "settled_under_managed_tenure",
        None,
        "Saken er bosatt i bolig B-1 (Kommunal utleiebolig): registrer utflytting før saken"
        " avsluttes.",
    ),
    "end-a-stay-already-ended.jsonl": (
        "stay_not_open",
        "stay",
        "Det midlertidige oppholdet er allerede avsluttet, ved bosettingen.",
    ),
    "same-id-other-content.jsonl": (
        "duplicate_conflict",
        "id",
        "Registreringen er allerede lagret med annet innhold.",
    ),
    "retract-with-dependants.jsonl": (
        "retraction_breaks_history",
        "target",
        "«Søknad mottatt» kan ikke trekkes tilbake fordi senere registreringer bygger på den."
        " Saken har ingen søknad som venter på vedtak.",
    ),
}


def test_the_real_rules_of_every_invalid_sample_speak_norwegian(
    new_app: Callable[[], Boligspor],
) -> None:
    files = sorted(p.name for p in (SAMPLES / "invalid").glob("*.jsonl"))
    assert files == sorted(SAMPLE_MESSAGES)
    app = new_app()
    for name in files:
        with pytest.raises(Refused) as refused:
            # Each file on a store of its own: the case refs of the files overlap.
            fresh = new_app() if name != files[0] else app
            fresh.submit(sample_lines(f"invalid/{name}"))
        [refusal] = refused.value.refusals
        assert refusal.error is not None
        explained = explain(refusal.error)
        assert (explained.code, explained.field, explained.message) == SAMPLE_MESSAGES[name]
        # The whole submission's refusal explains as its one line.
        assert explain(refused.value) == explained


def test_the_refused_lines_of_the_edge_sample_have_their_messages(
    new_app: Callable[[], Boligspor],
) -> None:
    app = new_app()
    lines = sample_lines("edge-2017-2025.jsonl")
    cases = [
        json.loads(t) for t in (SAMPLES / "edge-2017-2025.refused.jsonl").read_text().splitlines()
    ]
    done = 0
    seen: set[str] = set()
    for case in sorted(cases, key=lambda c: c["after_line"]):
        app.submit(lines[done : case["after_line"]])
        done = case["after_line"]
        with pytest.raises(Refused) as refused:
            app.submit([(done + 1, case["event"])])
        error = refused.value.refusals[0].error
        assert error is not None
        explained = explain(error)
        assert explained.code == error.rule
        assert explained.message == explain(refused.value).message
        assert re.search(r"\d{4}-\d{2}-\d{2}", explained.message) is None, explained.message
        seen.add(explained.code)
    assert {"retraction_breaks_history", "retraction_target_unknown"} <= seen


def test_a_rule_raised_without_its_parameters_gets_its_kinds_message() -> None:
    explained = explain(RuleBroken("occupied", rule="dwelling_occupied", by_case="S-1"))
    assert explained.code == "dwelling_occupied"
    assert explained.message == label("refusal.rule_broken")
    assert explained.params == {"by_case": "S-1"}
