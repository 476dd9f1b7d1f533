"""Every text the web pages show that is not a code label, in Norwegian bokmål.

Code labels (groups, event types, reasons …) come from ``projections.labels``; this catalogue
holds the words of the pages themselves, so that another language is one more dictionary.
"""

from __future__ import annotations

from collections.abc import Mapping

from projections.labels import DEFAULT_LANGUAGE, MissingLabelError, code_label

_PAGE_TEXTS_NB: dict[str, str] = {
    "app.name": "Boligspor",
    "app.skip": "Hopp til innholdet",
    "nav.label": "Hovedmeny",
    "nav.mine": "Mine saker",
    "nav.cases": "Saker",
    "nav.waiting_list": "Venteliste",
    "nav.figures": "Tall",
    "nav.dwellings": "Boliger",
    "nav.access_log": "Innsynslogg",
    "nav.logout": "Logg ut",
    "nav.signed_in_as": "Innlogget som",
    # login
    "login.title": "Logg inn",
    "login.name": "Brukernavn",
    "login.token": "Tilgangsnøkkel",
    "login.token_hint": "Nøkkelen du fikk da brukeren ble opprettet.",
    "login.submit": "Logg inn",
    "login.failed": "Feil brukernavn eller tilgangsnøkkel.",
    "login.logged_out": "Du er logget ut.",
    # errors
    "error.title": "Noe gikk galt",
    "error.csrf": "Skjemaet var utløpt eller ugyldig. Ingenting ble lagret. Last siden på nytt"
    " og prøv igjen.",
    "error.forbidden": "Du har ikke tilgang til denne siden.",
    "error.too_many_tries": "For mange mislykkede innlogginger. Vent et minutt og prøv igjen.",
    "error.not_your_team": "Saken hører ikke til teamet ditt.",
    "error.not_found": "Finnes ikke.",
    "error.unknown_case": "Saken finnes ikke.",
    "error.bad_ref": "Ugyldig saksnummer. Et saksnummer har 1–32 tegn: bokstavene A–Z og a–z,"
    " sifrene 0–9 og tegnene . _ : -",
    "error.bad_date": "Ugyldig dato. Bruk formatet ÅÅÅÅ-MM-DD.",
    "error.back": "Tilbake",
    "error.not_saved": "Ikke lagret",
    "error.details": "Begrunnelse",
    # mine / cases
    "mine.title": "Mine saker",
    "mine.team": "Team",
    "cases.title": "Saker",
    "cases.intro": "Åpne saker med varsler først.",
    "cases.find": "Gå til sak",
    "cases.find_label": "Saksnummer",
    "cases.find_submit": "Åpne",
    "cases.none": "Ingen åpne saker.",
    "cases.count": "åpne saker",
    "cases.latest_follow_up": "Siste oppfølging",
    "cases.no_follow_up": "Ingen oppfølging registrert",
    "cases.stay": "Midlertidig opphold",
    "cases.nights": "netter",
    "cases.nights_so_far": "netter så langt",
    "cases.open": "Åpne saken",
    "cases.flags": "Varsler",
    "flag.stay_over_90": "Over 90 netter i midlertidig botilbud",
    "flag.children_in_temporary": "Barn i midlertidig botilbud",
    "flag.lease_ending": "Leiekontrakten utløper innen 90 dager",
    "flag.no_follow_up_14": "Ingen oppfølging på 14 dager",
    "flag.alert": "Varsel",
    "alert.stay": "Midlertidig opphold har passert {n} netter",
    "alert.stay-children": "Barnefamilie i midlertidig botilbud",
    "alert.lease-ending": "Leiekontrakten utløper innen 90 dager",
    "alert.follow-up-gap": "Housing First: ingen oppfølging på 14 dager",
    "alert.complaint": "Klage åpen i mer enn {n} dager",
    # case page
    "case.title": "Sak",
    "case.person": "Kontaktperson",
    "case.erased": "Personopplysninger slettet",
    "case.household": "Husstand",
    "case.adults": "voksne",
    "case.children": "barn",
    "case.group": "Gruppe",
    "case.situation": "Bosituasjon",
    "case.timeline": "Tidslinje",
    "case.log": "Registrer",
    "case.saved": "Lagret.",
    "case.already_saved": "Dette var allerede lagret. Ingenting ble lagt til to ganger.",
    "case.recorded_by": "registrert av",
    "case.recorded_at": "den",
    "case.retracted": "Trukket tilbake",
    "case.retracted_reason": "Begrunnelse",
    "case.retract": "Trekk tilbake",
    "case.retract_reason": "Hvorfor er registreringen feil?",
    "case.retract_submit": "Trekk tilbake registreringen",
    "case.restricted": "Saken er sperret.",
    "case.no_entries": "Ingen registreringer.",
    "case.outside_team": (
        "Saken hører ikke til teamet ditt. Du kan lese den, ikke registrere noe; lesingen er"
        " logget og merket med grunnen du oppga."
    ),
    # reading a case outside one's team
    "reason.title": "Oppgi grunn for innsyn",
    "reason.intro": (
        "Saken hører ikke til teamet ditt. For å lese den må du oppgi hvorfor. Lesingen logges"
        " med grunnen og merkes, og administrator ser den."
    ),
    "reason.label": "Grunn for innsyn",
    "reason.submit": "Vis saken",
    "reason.too_short": (
        "Skriv en grunn på minst fem bokstaver eller sifre, uten telefonnummer eller fødselsnummer."
    ),
    # the access log (admins)
    "access_log.title": "Innsynslogg",
    "access_log.intro": "Hver lesing av personopplysninger i en sak, nyeste først.",
    "access_log.only_flagged": "Bare merkede lesinger (utenfor eget team)",
    "access_log.show": "Vis",
    "access_log.at": "Tidspunkt",
    "access_log.user": "Bruker",
    "access_log.role": "Rolle",
    "access_log.case": "Sak",
    "access_log.route": "Hva",
    "access_log.reason": "Grunn",
    "access_log.flagged": "Merket",
    "access_log.none": "Ingen lesinger.",
    # form fields
    "field.on": "Dato",
    "field.kind": "Type",
    "field.minutes": "Minutter",
    "field.team": "Team",
    "field.note": "Notat (valgfritt)",
    "field.category": "Type klage",
    "field.source": "Fra",
    "field.dwelling": "Bolig (bolignummer)",
    "field.to": "Sendt til",
    "field.place": "Sted (valgfritt)",
    "field.stay": "Opphold",
    "field.decision": "Vedtak",
    "field.priority": "Prioritet",
    "field.priority_hint": "Bare ved innvilgelse / omgjøring.",
    "field.legal_basis": "Hjemmel (valgfritt)",
    "field.outcome": "Utfall",
    "field.tenure": "Disposisjonsform",
    "field.lease_until": "Leiekontrakt til (valgfritt)",
    "field.reason": "Årsak",
    "field.choose": "Velg …",
    "field.group": "Gruppe",
    "field.situation": "Bosituasjon",
    "field.household": "Husstand",
    "field.person": "Kontaktperson",
    "field.target": "Gjelder registrering",
    "field.complaint": "Klage",
    "field.retraction_reason": "Begrunnelse",
    "detail.note": "Notat",
    "detail.place": "Sted",
    "form.submit": "Lagre",
    "form.follow_up": "Oppfølging",
    "form.complaint": "Naboklage",
    "form.concern": "Bekymringsmelding",
    "form.stay_start": "Start midlertidig opphold",
    "form.stay_end": "Avslutt midlertidig opphold",
    "form.application": "Søknad mottatt",
    "form.decision": "Vedtak på søknad",
    "form.appeal": "Klage mottatt",
    "form.appeal_decision": "Vedtak på klage",
    "form.settled": "Bosetting",
    "form.moved_out": "Utflytting",
    "form.sending": "Sender …",
    "form.offline": "Ikke sendt: ingen forbindelse. Trykk Lagre igjen når du har dekning;"
    " det blir ikke lagret to ganger.",
    # waiting list
    "waiting.title": "Venteliste",
    "waiting.as_of": "Per dato",
    "waiting.show": "Vis",
    "waiting.total": "Totalt på venteliste",
    "waiting.by_group": "Etter gruppe",
    "waiting.by_priority": "Etter prioritet",
    "waiting.median": "Median ventetid (dager)",
    "waiting.members": "Husstander på ventelisten",
    "waiting.case": "Sak",
    "waiting.group": "Gruppe",
    "waiting.priority": "Prioritet",
    "waiting.joined": "På listen fra",
    "waiting.days": "Dager ventet",
    "waiting.members_hidden": "Listen over enkeltsaker vises bare for saksbehandlere.",
    # figures
    "figures.title": "Tall",
    "figures.status": "Statusrapport",
    "figures.annual": "Årsrapport",
    "figures.year": "År",
    "figures.public": "Publiseringsversjon (små tall skjult)",
    "figures.show": "Vis",
    "figures.download": "Last ned",
    "figures.xlsx": "Regneark (xlsx)",
    "figures.csv": "CSV",
    # dwellings
    "dwellings.title": "Boliger",
    "dwellings.occupancy": "Utleie per skolekrets",
    "dwellings.area": "Område",
    "dwellings.district": "Skolekrets",
    "dwellings.total": "Kommunale boliger",
    "dwellings.occupied": "Bebodd",
    "dwellings.vacant": "Ledige",
    "dwellings.complaints": "Naboklager per adresse",
    "dwellings.complaints_year": "Mottatt i",
    "dwellings.dwelling": "Bolig",
    "dwellings.address": "Adresse",
    "dwellings.received": "Klager",
    "dwellings.open": "Åpne",
    "dwellings.no_complaints": "Ingen naboklager.",
    "dwellings.sum": "Sum",
    "word.yes": "Ja",
    "word.no": "Nei",
}

CATALOGUES: dict[str, Mapping[str, str]] = {"nb": _PAGE_TEXTS_NB}


def text(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A page text; a missing key is a programming error."""
    catalogue = CATALOGUES.get(lang, CATALOGUES[DEFAULT_LANGUAGE])
    if key in catalogue:
        return catalogue[key]
    if key in CATALOGUES[DEFAULT_LANGUAGE]:
        return CATALOGUES[DEFAULT_LANGUAGE][key]
    raise MissingLabelError(f"no page text for {key!r}")


def code(value_set: str, value: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The label of a code, e.g. ``code("follow_up_kind", "phone")`` → «Telefon»."""
    return code_label(value_set, value, lang)
