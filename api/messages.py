"""Every message the API gives a person, in Norwegian bokmål, keyed by a stable error code."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "invalid_event": "Hendelsen følger ikke formatet. Ingenting ble lagret.",
    "rule_broken": "Hendelsen bryter en regel for saken eller boligen. Ingenting ble lagret.",
    "unknown_case": "Saken finnes ikke.",
    "unknown_dwelling": "Boligen finnes ikke.",
    "duplicate_conflict": (
        "Hendelses-ID-en er allerede lagret med annet innhold. Ingenting ble lagret."
    ),
    "case_erased": "Saken er slettet. Ingenting ble lagret.",
    "refused": "Én eller flere hendelser ble avvist. Ingenting ble lagret.",
    "store_unavailable": "Databasen er midlertidig utilgjengelig. Prøv igjen om litt.",
    "store_full": (
        "Databasen er full (ikke mer plass på disken). Ingenting ble lagret. Prøv igjen når"
        " driften har frigjort plass."
    ),
    "store_read_only": (
        "Databasen er skrivebeskyttet. Ingenting ble lagret; det som er lagret, kan fortsatt leses."
    ),
    "unauthenticated": "Du må være innlogget: tilgangsnøkkelen mangler eller er ugyldig.",
    "forbidden": "Du har ikke tilgang til dette.",
    "not_your_team": "Saken hører ikke til teamet ditt.",
    "reason_required": (
        "Saken hører ikke til teamet ditt. Oppgi grunn for innsyn (X-Access-Reason, minst fem"
        " bokstaver eller sifre); lesingen logges og merkes."
    ),
    "not_found": "Finnes ikke.",
    "user_refused": "Brukeren ble ikke lagt til eller endret.",
    "unknown_user": "Brukeren finnes ikke.",
    "invalid_request": "Forespørselen er ugyldig.",
    "batch_not_a_list": "Forventet en JSON-liste med hendelser.",
    "batch_empty": "Listen med hendelser er tom.",
    "batch_too_large": "For mange hendelser i én forespørsel.",
    "internal_error": "Noe gikk galt hos oss. Feilen er logget.",
    # forms (issue 12): what a field worker may not log
    "not_your_entry": "Du kan bare trekke tilbake registreringer du selv har gjort.",
    "first_contact_needs_follow_up": (
        "En feltarbeider åpner en sak bare sammen med teamets første oppfølging av den."
    ),
    # summary (issue 12, goal 6): restricting a case and lifting a restriction
    "already_restricted": "Saken er allerede sperret.",
    "not_restricted": "Saken er ikke sperret.",
}


def message(code: str) -> str:
    """The Norwegian message for an error code (the generic one for a code not listed)."""
    return MESSAGES.get(code, MESSAGES["invalid_request"])
