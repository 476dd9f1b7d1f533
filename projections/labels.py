"""Every label a user reads in a report, in one catalogue per language.

Longer than 300 lines because it is a catalogue (data, not logic): every label of every report,
in each language.

Keys are of three kinds:
- value-set codes, prefixed by their value set: ``group.families``, ``event.FollowUpLogged``
  (the school districts' names are the municipality's configuration, domain/municipality.py;
  only ``district.unknown`` is here);
- report figures, as their dotted path in the FIGURES.md JSON (list positions left out):
  ``waiting_list.median_days_waiting``, ``months.inflow.newly_identified``;
- table titles and other layout words: ``table.waiting_list``, ``word.total``.

``label(key, lang)`` looks a key up. A language other than the default that lacks a key falls
back to the default language with a ``MissingLabelWarning``; a key missing from the default
language is a programming error and raises ``MissingLabelError``.

Longer than 300 lines because it is one catalogue: every label of a language side by side, so
that a translator (or a reviewer) reads and checks them in one place.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

DEFAULT_LANGUAGE = "nb"


class MissingLabelError(KeyError):
    """Raised when a label key is in no catalogue, not even the default language's."""


class MissingLabelWarning(UserWarning):
    """Warned when a language lacks a label and the default language's label is shown."""


_VALUE_LABELS_NB: dict[str, str] = {
    # KOSTRA groups (KOSTRA skjema 13: the outcome report's allocations and waiting list)
    "kostra_group.refugees": "Flyktninger",
    "kostra_group.adapted": "Personer med behov for tilrettelagt bolig",
    "kostra_group.mental_health_substance": "Personer med rusproblemer og/eller psykiske lidelser",
    "kostra_group.other": "Andre vanskeligstilte",
    # data-quality checks
    "check.lease_expired": "Leiekontrakten er utløpt",
    "check.municipal_rental_without_lease_end": "Kommunal leie uten sluttdato på kontrakten",
    "check.stay_without_contact_30_days": "I midlertidig botilbud, ingen registrering på 30 dager",
    "check.decision_pending_over_30_days": "Søknad ubehandlet i mer enn 30 dager",
    "check.waiting_without_contact_365_days": "På ventelisten, ingen registrering på 365 dager",
    "check.homeless_without_follow_up_30_days": "Uten fast bolig, ingen oppfølging siste 30 dager",
    # group (EVENTS.md)
    "group.families": "Barnefamilier",
    "group.families_adapted": "Barnefamilier – tilrettelagt",
    "group.adults_adapted": "Enslige/par – tilrettelagt",
    "group.mental_health_substance": "Psykiske lidelser/rus",
    "group.other": "Andre problemer (enslige, samlivsbrudd o.l.)",
    "group.refugee": "Bosetting av flyktninger",
    "group.refugee_ukraine": "Bosetting av ukrainske flyktninger",
    # situation
    "situation.temporary": "Midlertidig botilbud",
    "situation.friends_family": "Hos venner/familie",
    "situation.rough": "Uten tak over hodet",
    "situation.institution": "Institusjon/fengsel, ut innen 2 måneder uten bolig",
    "situation.unsuitable": "Egen bolig, uegnet",
    "situation.other": "Annet",
    # category
    "category.ordinary_co_owned": "Ordinære kommunale boliger i sameier og borettslag",
    "category.ordinary_municipal": "Ordinære helkommunale boliger",
    "category.lifetime_standard": "Boliger med livsløpsstandard / tilrettelagte",
    "category.leased_in": "Innleide boliger",
    "category.small_house": "Kommunale småhus",
    "category.emergency_families": "Nødboliger – familier",
    "category.emergency_substance_mental": "Nødboliger – rus og psykiatri",
    "category.referral": "Boliger med tilvisningsavtale",
    # team
    "team.housing_first": "Housing First",
    "team.caretaker": "Miljøvaktmester",
    "team.housing_office": "Boligsosial avdeling",
    "team.nav": "NAV",
    "team.other": "Andre",
    # priority, decision, appeal outcome
    "priority.urgent": "Haster",
    "priority.high": "Høy",
    "priority.normal": "Normal",
    "decision.approved": "Innvilget",
    "decision.rejected": "Avslag",
    "appeal_outcome.upheld": "Avslaget opprettholdt",
    "appeal_outcome.overturned": "Omgjort",
    # stay kind
    "stay_kind.hotel": "Hotell",
    "stay_kind.hostel": "Hospits",
    "stay_kind.emergency_dwelling": "Nødbolig",
    "stay_kind.camping_cabin": "Campinghytte",
    "stay_kind.crisis_centre": "Krisesenter",
    "stay_kind.other": "Annet",
    # tenure
    "tenure.municipal_rental": "Kommunal utleiebolig",
    "tenure.referral_agreement": "Tilvisningsavtale",
    "tenure.private_rental": "Privat leie",
    "tenure.start_loan_purchase": "Kjøp med startlån",
    "tenure.other": "Annet",
    # reasons and outcomes
    "move_out_reason.lease_ended": "Leiekontrakt utløpt",
    "move_out_reason.eviction": "Utkastelse",
    "move_out_reason.own_choice": "Eget ønske",
    "move_out_reason.deceased": "Død",
    "move_out_reason.other": "Annet",
    "complaint_category.noise": "Støy",
    "complaint_category.threats_violence": "Trusler/vold",
    "complaint_category.damage": "Skadeverk",
    "complaint_category.hygiene": "Hygiene/forsøpling",
    "complaint_category.other": "Annet",
    "complaint_source.neighbour": "Nabo",
    "complaint_source.housing_cooperative": "Borettslag/sameie",
    "complaint_source.police": "Politiet",
    "complaint_source.other": "Annet",
    "complaint_outcome.resolved": "Løst",
    "complaint_outcome.warning_issued": "Advarsel gitt",
    "complaint_outcome.unfounded": "Ubegrunnet",
    "complaint_outcome.eviction_started": "Utkastelse startet",
    "follow_up_kind.home_visit": "Hjemmebesøk",
    "follow_up_kind.phone": "Telefon",
    "follow_up_kind.accompaniment": "Følge (NAV, lege o.l.)",
    "follow_up_kind.meeting": "Møte",
    "follow_up_kind.practical_help": "Praktisk hjelp",
    "concern_recipient.child_welfare": "Barnevernet",
    "concern_recipient.nav": "NAV",
    "concern_recipient.health": "Helsetjenesten",
    "concern_recipient.police": "Politiet",
    "concern_recipient.other": "Andre",
    "housing_first_end_reason.completed": "Fullført",
    "housing_first_end_reason.dropped_out": "Falt fra",
    "housing_first_end_reason.moved_away": "Flyttet fra kommunen",
    "housing_first_end_reason.deceased": "Død",
    "housing_first_end_reason.other": "Annet",
    "withdrawal_reason.own_solution": "Egen løsning",
    "withdrawal_reason.moved_away": "Flyttet fra kommunen",
    "withdrawal_reason.no_contact": "Ingen kontakt",
    "withdrawal_reason.deceased": "Død",
    "withdrawal_reason.other": "Annet",
    "retirement_reason.sold": "Solgt",
    "retirement_reason.demolished": "Revet",
    "retirement_reason.lease_ended": "Innleie avsluttet",
    "retirement_reason.other": "Annet",
    "district.unknown": "Ukjent",
    # event types
    "event.CaseOpened": "Sak opprettet",
    "event.ApplicationReceived": "Søknad mottatt",
    "event.ApplicationDecided": "Søknad avgjort (vedtak)",
    "event.AppealReceived": "Klage mottatt",
    "event.AppealDecided": "Klage avgjort",
    "event.GroupChanged": "Gruppe endret",
    "event.HouseholdChanged": "Husstand endret",
    "event.SituationChanged": "Bosituasjon endret",
    "event.TemporaryStayStarted": "Midlertidig opphold startet",
    "event.TemporaryStayEnded": "Midlertidig opphold avsluttet",
    "event.Settled": "Bosatt",
    "event.LeaseRenewed": "Leiekontrakt fornyet",
    "event.MovedOut": "Flyttet ut",
    "event.ComplaintReceived": "Naboklage mottatt",
    "event.ComplaintClosed": "Naboklage avsluttet",
    "event.FollowUpLogged": "Oppfølging registrert",
    "event.ConcernReported": "Bekymringsmelding sendt",
    "event.HousingFirstEnrolled": "Tatt inn i Housing First",
    "event.HousingFirstEnded": "Housing First avsluttet",
    "event.Withdrawn": "Trukket uten bosetting",
    "event.CaseClosed": "Sak avsluttet",
    "event.CaseReopened": "Sak gjenåpnet",
    "event.EventRetracted": "Registrering trukket tilbake",
    "event.DwellingRegistered": "Bolig registrert",
    "event.DwellingRetired": "Bolig tatt ut av bruk",
}

_FIGURE_LABELS_NB: dict[str, str] = {
    # outcome report (KOSTRA skjema 13 and the outcomes of the help)
    "kostra.dwellings_at_end.municipal": "Kommunalt eide og innleide boliger per 31.12",
    "kostra.dwellings_at_end.referral": "Boliger med tilvisningsavtale per 31.12",
    "kostra.applications.received": "Søknader om kommunalt disponert bolig mottatt i året",
    "kostra.applications.new_households": "herav fra nye husstander",
    "kostra.applications.approved": "Søknader innvilget",
    "kostra.applications.rejected": "Søknader avslått",
    "kostra.allocated.total": "Husstander tildelt kommunalt disponert bolig i året",
    "kostra.allocated.new_households": "herav nye husstander",
    "kostra.allocated.by_group": "Tildelt etter gruppe",
    "kostra.waiting_list_end.total": "Husstander på venteliste per 31.12",
    "kostra.waiting_list_end.new_households": "herav nye husstander",
    "kostra.waiting_list_end.by_group": "Venteliste per 31.12 etter gruppe",
    "kostra.temporary_housing.households": "Husstander i midlertidig botilbud i året",
    "kostra.temporary_housing.with_children": "herav husstander med barn",
    "kostra.temporary_housing.nights": "Døgn i midlertidig botilbud i året",
    "kostra.temporary_housing.households_14_nights_or_fewer": "Husstander med 0–14 døgn",
    "kostra.temporary_housing.households_90_nights_or_more": "Husstander med tre måneder eller mer",
    "kostra.temporary_housing.share_14_nights_or_fewer": "Andel husstander med 0–14 døgn (prosent)",
    "outcomes.homeless_in_year": "Husstander uten fast bolig i løpet av året",
    "outcomes.first_time_homeless": "herav uten fast bolig for første gang (ikke de to"
    " foregående årene)",
    "outcomes.median_days_homeless": "Median antall dager uten fast bolig i året",
    "outcomes.returns_to_homelessness.cohort": "Bosatt fra bostedsløshet for to år siden",
    "outcomes.returns_to_homelessness.within_6_months": "Bostedsløse igjen innen 6 måneder",
    "outcomes.returns_to_homelessness.within_12_months": "Bostedsløse igjen innen 12 måneder",
    "outcomes.returns_to_homelessness.within_24_months": "Bostedsløse igjen innen 24 måneder",
    # status report
    "as_of": "Per dato",
    "waiting_list": "Venteliste",
    "waiting_list.total": "Venteliste totalt",
    "waiting_list.by_group": "Venteliste etter gruppe",
    "waiting_list.by_priority": "Venteliste etter prioritet",
    "waiting_list.median_days_waiting": "Median ventetid (dager)",
    "homeless": "Uten fast bolig (UFB)",
    "homeless.total": "UFB – uten fast bolig totalt",
    "homeless.with_children": "UFB – familier med barn",
    "homeless.by_situation": "UFB etter bosituasjon",
    "temporary_housing": "Midlertidig botilbud",
    "temporary_housing.current_stays": "Husstander i midlertidig botilbud",
    "temporary_housing.households_with_children": "Husstander med barn",
    "temporary_housing.over_90_nights": "Over 90 netter",
    "temporary_housing.median_nights": "Median antall netter",
    "temporary_housing.max_nights": "Lengste opphold (netter)",
    "dwellings": "Kommunale boliger",
    "dwellings.total_municipal": "Totalt antall kommunale boliger",
    "dwellings.by_category": "Boliger etter kategori",
    "dwellings.by_district": "Boliger fordelt på skolekrets",
    "dwellings.by_district.lifetime_standard": "Livsløpsstandard / tilrettelagte",
    "dwellings.by_district.other": "Øvrige boliger",
    "dwellings.occupied": "Utleide (bebodde) boliger",
    "dwellings.vacant": "Ledige boliger",
    "housing_first": "Housing First",
    "housing_first.enrolled": "Deltakere i Housing First",
    "leases_expiring_90_days": "Leiekontrakter som utløper innen 90 dager",
    # annual report
    "year": "År",
    "applications": "Søknader og klager",
    "applications.received": "Søknader mottatt",
    "applications.approved": "Innvilget",
    "applications.rejected": "Avslag",
    "applications.appeals_received": "Klager mottatt",
    "applications.appeals_overturned": "Klager omgjort",
    "waiting_list.start": "Venteliste ved årets start",
    "waiting_list.end": "Venteliste ved årets slutt",
    "waiting_list.joined": "Satt på venteliste",
    "waiting_list.left_settled": "Gått ut: bosatt",
    "waiting_list.left_withdrawn": "Gått ut: trukket",
    "waiting_list.left_closed": "Gått ut: sak avsluttet",
    "waiting_list.median_days_to_settlement": "Median dager fra venteliste til bosetting",
    "settlements": "Bosettinger",
    "settlements.total": "Bosatte husstander totalt",
    "settlements.by_tenure": "Bosettinger etter disposisjonsform",
    "settlements.by_group": "Bosettinger etter gruppe",
    "moved_out": "Utflyttinger",
    "moved_out.total": "Utflyttinger totalt",
    "moved_out.by_reason": "Utflyttinger etter årsak",
    "temporary_housing.stays_started": "Opphold startet",
    "temporary_housing.nights": "Netter i midlertidig botilbud",
    "temporary_housing.households": "Husstander med minst én natt",
    "temporary_housing.stays_over_90_nights": "Opphold over 90 netter",
    "temporary_housing.median_nights_ended": "Median netter, avsluttede opphold",
    "complaints": "Naboklager",
    "complaints.received": "Naboklager mottatt",
    "complaints.by_district": "Naboklager etter skolekrets",
    "complaints.by_category": "Naboklager etter type",
    "complaints.closed_by_outcome": "Avsluttede naboklager etter utfall",
    "follow_up": "Oppfølging",
    "follow_up.by_team": "Oppfølging etter team",
    "follow_up.by_team.contacts": "Kontakter",
    "follow_up.by_team.minutes": "Minutter",
    "follow_up.by_team.households": "Husstander",
    "concerns": "Bekymringsmeldinger",
    "concerns.by_recipient": "Bekymringsmeldinger etter mottaker",
    "housing_first.new": "Nye deltakere",
    "housing_first.ended": "Avsluttet",
    "housing_first.enrolled_end": "Deltakere ved årets slutt",
    # monthly by-name list
    "months": "Måneder",
    "months.month": "Måned",
    "months.active": "Aktivt bostedsløse",
    "months.inflow": "Tilgang",
    "months.inflow.newly_identified": "Nye",
    "months.inflow.returned_from_housing": "Tilbake fra bolig",
    "months.inflow.returned_from_inactive": "Tilbake fra inaktiv",
    "months.outflow": "Avgang",
    "months.outflow.housed": "Bosatt",
    "months.outflow.inactive": "Inaktive",
    "months.outflow.no_longer_homeless": "Ikke lenger bostedsløse",
}

_LAYOUT_LABELS_NB: dict[str, str] = {
    "table.kostra_dwellings": "KOSTRA 13: Boliger kommunen disponerer",
    "table.kostra_applications": "KOSTRA 13: Søknader om kommunalt disponert bolig",
    "table.kostra_allocated": "KOSTRA 13: Tildelinger av kommunalt disponert bolig",
    "table.kostra_waiting_list": "KOSTRA 13: Venteliste per 31.12",
    "table.kostra_temporary_housing": "KOSTRA 13: Midlertidig botilbud",
    "table.outcomes_homeless": "Bostedsløshet i året",
    "table.outcomes_returns": "Tilbake til bostedsløshet etter bosetting",
    "table.data_quality": "Datakvalitet: saker som bør ses på",
    "report.outcomes": "KOSTRA og resultater",
    "report.data_quality": "Datakvalitet",
    "word.case": "Sak",
    "word.cases": "Saker",
    "word.no_cases": "Ingen saker",
    "note.kostra": "Tabellene følger rekkefølgen i KOSTRA skjema 13. «Nye husstander» bor ikke"
    " allerede i en kommunalt disponert bolig.",
    "note.returns": "Husstander bosatt i året to år før rapportåret, som var uten fast bolig dagen"
    " før; hver telling tar med de kortere.",
    "table.waiting_list": "Venteliste",
    "table.waiting_list_priority": "Venteliste etter prioritet",
    "table.homeless": "Uten fast bolig (UFB)",
    "table.dwellings": "Kommunale boliger og boliger med tilvisningsavtale",
    "table.dwellings_by_district": "Boliger fordelt på skolekrets",
    "table.temporary_housing": "Midlertidig botilbud",
    "table.follow_through": "Housing First og leiekontrakter",
    "table.applications": "Søknader og klager",
    "table.waiting_list_flow": "Venteliste gjennom året",
    "table.settlements_by_tenure": "Bosettinger etter disposisjonsform",
    "table.settlements_by_group": "Bosettinger etter gruppe",
    "table.moved_out": "Utflyttinger etter årsak",
    "table.temporary_housing_year": "Midlertidig botilbud gjennom året",
    "table.complaints_by_district": "Naboklager etter skolekrets",
    "table.complaints_by_category": "Naboklager etter type",
    "table.complaints_closed": "Avsluttede naboklager etter utfall",
    "table.follow_up": "Oppfølging etter team",
    "table.concerns": "Bekymringsmeldinger etter mottaker",
    "table.housing_first_year": "Housing First gjennom året",
    "table.by_name_list": "Bostedsløse måned for måned (by-name-liste)",
    "chart.waiting_list_month_end": "Venteliste ved utgangen av hver måned",
    "chart.nights_per_month": "Netter i midlertidig botilbud per måned",
    "chart.complaints_by_district": "Naboklager per skolekrets",
    "chart.waiting_list_by_group": "Venteliste etter gruppe",
    "chart.by_name_active": "Aktivt bostedsløse ved utgangen av hver måned",
    "chart.plan_target": "Faktisk tall og rett linje mot målet",
    "chart.highest": "høyest",
    "chart.lowest": "lavest",
    "chart.last": "siste",
    "chart.no_numbers": "ingen tall å vise.",
    "chart.numbers": "Tallene i diagrammet",
    "month.1": "januar",
    "month.2": "februar",
    "month.3": "mars",
    "month.4": "april",
    "month.5": "mai",
    "month.6": "juni",
    "month.7": "juli",
    "month.8": "august",
    "month.9": "september",
    "month.10": "oktober",
    "month.11": "november",
    "month.12": "desember",
    # Sheet names of the workbooks: at most 31 characters (Excel's limit), never cut.
    "sheet.front": "Forside",
    "sheet.dwellings": "Kommunale boliger",
    "sheet.settlements_by_tenure": "Bosatt etter disposisjonsform",
    "sheet.temporary_housing_year": "Midlertidig botilbud i året",
    "sheet.complaints_closed": "Avsluttede naboklager",
    "sheet.concerns": "Bekymringsmeldinger",
    "sheet.by_name_list": "By-name-liste",
    "sheet.plan": "Boligplanens mål",
    "sheet.chart.waiting_list_by_group": "Venteliste etter gruppe",
    "sheet.chart.waiting_list_month_end": "Venteliste per måned",
    "sheet.chart.nights_per_month": "Netter per måned",
    "sheet.chart.complaints_by_district": "Naboklager per skolekrets",
    "sheet.chart.by_name_active": "Aktive per måned",
    "sheet.chart.plan_target": "Mål",
    "front.municipality": "Kommune",
    "front.report": "Rapport",
    "front.made_on": "Laget",
    "front.definitions": "Definisjoner av tallene",
    "front.sheets": "Arkene i boken",
    "front.figure": "Tabell",
    "front.definition": "Definisjon",
    "front.open_html": "Åpne rapporten som nettside",
    "report.plan": "Boligplanens mål",
    "plan.figure": "Tall",
    "plan.base": "Utgangspunkt",
    "plan.base_date": "Dato for utgangspunkt",
    "plan.target": "Mål",
    "plan.target_year": "Målår",
    "plan.latest": "Siste faktiske tall",
    "plan.by_year": "innen",
    "plan.year": "År",
    "plan.actual": "Faktisk",
    "plan.path": "Rett linje mot målet",
    "plan.on_track": "På sporet",
    "plan.yes": "Ja",
    "plan.no": "Nei",
    "plan.as_of": "Tall per",
    "report.status": "Statusrapport",
    "report.annual": "Årsrapport",
    "report.by_name_list": "By-name-liste",
    "word.total": "Totalt",
    "word.sum": "Sum",
    "word.count": "Antall",
    "word.area": "Område",
    "word.district": "Skolekrets",
    "word.figure": "Tall",
    "word.table": "Tabell",
    "word.row": "Rad",
    "word.column": "Kolonne",
    "word.value": "Verdi",
    "word.key": "Nøkkel",
    "word.month": "Måned",
    "word.as_of": "per",
    "word.year": "år",
    "word.generated_by": "Laget med Boligspor",
    "word.figure_definitions": "Hvert tall har en skriftlig definisjon i Boligspor.",
    "note.suppressed": "«<5»: 1–4, vises ikke av personvernhensyn. «:»: skjult for at små tall"
    " ikke skal kunne regnes ut fra summer.",
    "note.homeless": "Kategoriene er de fire UFB-kategoriene i den nasjonale kartleggingen; en"
    " husstand i midlertidig botilbud telles der.",
    "note.dwellings": "Boliger med tilvisningsavtale er privateide og telles ikke i totalen.",
    "note.chart_text_alternative": "Tallene i diagrammet står også i tabellen.",
}

# What each table's figures mean, in a reader's words (FIGURES.md is the exact contract); shown
# on the workbooks' front sheet and under the HTML reports. Keyed by the table's key.
_DEFINITIONS_NB: dict[str, str] = {
    "definition.waiting_list": "Saker på ventelisten på dagen: søknaden er godkjent (eller klagen"
    " omgjort), og saken er ennå ikke bosatt, trukket eller avsluttet. Gruppen er sakens gruppe"
    " på dagen. Median ventetid: dager fra saken kom på listen til dagen (nedre median).",
    "definition.waiting_list_priority": "Ventelisten på dagen etter sakens prioritet.",
    "definition.homeless": "Åpne saker som ikke er bosatt på dagen og som er i midlertidig"
    " botilbud eller bor hos venner/familie, er uten tak over hodet eller skal ut av institusjon"
    " uten bolig. En sak i midlertidig botilbud telles der.",
    "definition.dwellings": "Boliger registrert og ikke tatt ut av bruk på dagen. Totalen er alle"
    " kategorier unntatt boliger med tilvisningsavtale. Utleid: kommunale boliger med en bosatt"
    " sak på dagen; ledige er totalen minus de utleide.",
    "definition.dwellings_by_district": "Boligene på dagen etter skolekrets: med"
    " livsløpsstandard og andre (alle unntatt livsløpsstandard og tilvisningsavtale).",
    "definition.temporary_housing": "Opphold i midlertidig botilbud som har begynt og ikke sluttet"
    " på dagen. Netter: dagen minus startdagen; over 90 netter er flere enn 90. Median er nedre"
    " median.",
    "definition.follow_through": "Housing First: saker innskrevet på dagen. Leiekontrakter: bosatte"
    " saker der siste kontrakt utløper innen 90 dager etter dagen.",
    "definition.applications": "Søknader og klager med dato i året, fra 1. januar til rapportens"
    " skjæringsdato (den tidligste av 31. desember og i dag).",
    "definition.waiting_list_flow": "Start: ventelisten 31. desember året før; slutt: 31."
    " desember. Kom på og gikk av teller medlemskap, ikke saker. Median tid til bosetting: dager"
    " fra saken kom på listen til den ble bosatt (nedre median).",
    "definition.settlements_by_tenure": "Bosettinger i året etter disposisjonsform.",
    "definition.settlements_by_group": "Bosettinger i året etter sakens gruppe på bosettingsdagen.",
    "definition.moved_out": "Utflyttinger i året etter årsak.",
    "definition.temporary_housing_year": "Netter i året over alle opphold (et åpent opphold telles"
    " til og med 31. desember, i inneværende år til og med i går). Husstander: saker med minst én"
    " natt i året. Over 90 netter: opphold med natt i året og flere enn 90 netter i alt. Median:"
    " lengden på opphold som sluttet i året (nedre median).",
    "definition.complaints_by_district": "Naboklager mottatt i året etter skolekretsen til boligen"
    " klagen gjelder, eller sakens bolig den dagen; ukjent når ingen bolig er kjent.",
    "definition.complaints_by_category": "Naboklager mottatt i året etter type.",
    "definition.complaints_closed": "Naboklager avsluttet i året etter utfall.",
    "definition.follow_up": "Oppfølging registrert i året per team: kontakter, minutter og ulike"
    " husstander.",
    "definition.concerns": "Bekymringsmeldinger sendt i året etter mottaker.",
    "definition.housing_first_year": "Housing First: nye innskrivinger og avslutninger i året, og"
    " innskrevne ved årets slutt.",
    "definition.by_name_list": "Aktivt bostedsløse ved utgangen av hver måned: med i tallet for"
    " uten fast bolig, og i midlertidig botilbud eller med en registrering de siste 90 dagene."
    " Tilgang og avgang sammenligner med måneden før, slik Built for Zero teller.",
    "definition.plan": "For hvert mål: tallet på grunnlagsdatoen, målet for målåret og den rette"
    " linjen mellom dem; hvert år det faktiske tallet ved årets utgang (i inneværende år per i"
    " dag), og om det er på sporet mot målet.",
}

# The plan progress (projections/plan_progress.py) as `report --plan --format table` prints it.
_PLAN_PROGRESS_LABELS_NB: dict[str, str] = {
    "plan_progress.title": "Boligpolitisk plan – måloppnåelse",
    "plan_progress.year": "År",
    "plan_progress.actual": "Faktisk",
    "plan_progress.path": "Bane mot målet",
    "plan_progress.on_track": "På sporet",
    "plan_progress.base": "Utgangspunkt",
    "plan_progress.target": "Mål",
    "plan_progress.yes": "ja",
    "plan_progress.no": "nei",
    "plan_progress.note_actual": "Faktisk: tallet per 31.12 (inneværende år: per dato);"
    " bane: rett linje fra utgangspunktet til målet 31.12 i målåret.",
}

# --- messages (issue 12 goal 4): a person's message for every refusal -----------------------
# `refusal.<rule>` for every rule name of domain/rules.py and domain/payloads/checks.py and every
# DomainError code; projections/refusal_texts.py fills in the parameters (named in plain words).
_REFUSAL_LABELS_NB: dict[str, str] = {
    # the format of a line (domain/payloads/checks.py, domain/records.py)
    "refusal.not_json": "Linjen er ikke gyldig JSON (feil ved tegn {column}).",
    "refusal.too_deep": "Linjen er ikke en registrering: lister eller objekter ligger for dypt.",
    "refusal.number_too_long": "Linjen er ikke en registrering: et tall har for mange sifre.",
    "refusal.not_an_object": "{field} må være et objekt med sine felt.",
    "refusal.missing_field": "{field} mangler.",
    "refusal.unknown_field": "{key} hører ikke til {kind}.",
    "refusal.unknown_type": "Ukjent type registrering.",
    "refusal.not_a_string": "{field} må være tekst.",
    "refusal.too_short": "{field} er for kort ({got} tegn; må ha {low}–{high} tegn).",
    "refusal.too_long": "{field} er for lang ({got} tegn; kan ha høyst {high} tegn).",
    "refusal.hidden_character": (
        "{field} inneholder et kontrolltegn eller usynlig tegn ({code_point}) på plass {position}."
    ),
    "refusal.outside_alphabet": (
        "{field} inneholder et tegn som ikke er tillatt ({code_point} på plass {position});"
        " bruk bare A–Z, a–z, 0–9 og . _ : -"
    ),
    "refusal.looks_like_national_id": (
        "{field} ser ut som et fødselsnummer; bruk en referanse uten personopplysninger."
    ),
    "refusal.not_in_set": "{field} har en verdi som ikke er på listen. Velg en av: {options}.",
    "refusal.not_an_integer": "{field} må være et heltall.",
    "refusal.out_of_range": "{field} må være fra {low} til {high}.",
    "refusal.bad_date": "{field} må være en dato, skrevet ÅÅÅÅ-MM-DD.",
    "refusal.not_a_real_date": "{field} er ikke en dato som finnes.",
    "refusal.date_too_early": "{field} kan ikke være før {low}.",
    "refusal.date_too_late": "{field} kan ikke være etter {high}.",
    "refusal.date_in_future": "{field} kan ikke være etter dagens dato ({today}).",
    "refusal.bad_national_id": "Fødselsnummeret er ikke gyldig: {problem}.",
    "refusal.required_when": "{key} må fylles ut når {when} er «{value}».",
    "refusal.only_when": "{key} skal bare fylles ut når {when} er «{value}».",
    "refusal.not_after": "{key} må være etter {after} ({low}).",
    # the case's own history (domain/case_rules.py)
    "refusal.case_exists": "Saken {case} finnes allerede.",
    "refusal.case_not_open_yet": (
        "Saken er ikke opprettet per {on}: «Sak opprettet» må komme først."
    ),
    "refusal.case_closed": (
        "Saken er avsluttet per {on}: etter avslutningen kan bare «Sak gjenåpnet» registreres."
    ),
    "refusal.case_not_closed": "Saken er ikke avsluttet, så den kan ikke gjenåpnes.",
    "refusal.application_pending": "Saken har allerede en søknad som venter på vedtak.",
    "refusal.appeal_pending": "Saken har en klage på vedtaket som venter på avgjørelse.",
    "refusal.already_on_waiting_list": "Saken står allerede på ventelisten.",
    "refusal.no_application_pending": "Saken har ingen søknad som venter på vedtak.",
    "refusal.nothing_to_appeal": (
        "Det finnes ikke noe avslag å klage på: et avslag som ikke er påklaget, uten nyere"
        " søknad eller avslutning."
    ),
    "refusal.no_appeal_pending": "Saken har ingen klage som venter på avgjørelse.",
    "refusal.stay_still_open": (
        "Saken har allerede et midlertidig opphold som ikke er avsluttet; avslutt det før et"
        " nytt starter."
    ),
    "refusal.stay_exists": "Dette midlertidige oppholdet er allerede registrert i saken.",
    "refusal.stay_not_started": "Dette midlertidige oppholdet er ikke startet i saken.",
    "refusal.stay_not_open": "Det midlertidige oppholdet er allerede avsluttet, {ended_by}.",
    "refusal.already_settled": (
        "Saken er allerede bosatt (fra {since}); registrer utflytting først."
    ),
    "refusal.not_settled": "Saken er ikke bosatt på denne datoen.",
    "refusal.complaint_exists": "Denne naboklagen er allerede registrert i saken.",
    "refusal.complaint_already_closed": "Naboklagen er allerede avsluttet.",
    "refusal.complaint_unknown": "Naboklagen finnes ikke i denne saken.",
    "refusal.already_enrolled": "Saken er allerede tatt inn i Housing First.",
    "refusal.not_enrolled": "Saken er ikke med i Housing First.",
    "refusal.nothing_to_withdraw": (
        "Ingenting å trekke: saken står ikke på ventelisten og har ingen søknad eller klage til"
        " behandling."
    ),
    "refusal.settled_under_managed_tenure": (
        "Saken er bosatt i {dwelling} ({tenure}): registrer utflytting før saken avsluttes."
    ),
    "refusal.enrolled_in_housing_first": (
        "Saken er med i Housing First: avslutt Housing First før saken avsluttes."
    ),
    # retractions and backdated entries (domain/case.py)
    "refusal.retraction_target_unknown": (
        "Registreringen som skal trekkes tilbake, finnes ikke i denne saken."
    ),
    "refusal.not_retractable": "En registrering av typen «{target_type}» kan ikke trekkes tilbake.",
    "refusal.already_retracted": "Registreringen er allerede trukket tilbake.",
    "refusal.retraction_breaks_history": (
        "«{target_type}» kan ikke trekkes tilbake fordi senere registreringer bygger på den."
        " {first}{more}"
    ),
    "refusal.conflicts_with_history": (
        "Den tilbakedaterte registreringen passer ikke med det som er registrert senere."
        " {first}{more}"
    ),
    "refusal.more_breaks": " Det gjelder også {count} andre senere registreringer.",
    # the dwelling (domain/dwelling.py)
    "refusal.dwelling_already_registered": "{dwelling} er allerede registrert.",
    "refusal.dwelling_not_registered": "{dwelling} er ikke registrert.",
    "refusal.dwelling_not_yet_registered": (
        "{dwelling} er registrert først fra {registered_on}, etter datoen {on}."
    ),
    "refusal.dwelling_retired": "{dwelling} er tatt ut av bruk fra {retired_on}.",
    "refusal.dwelling_already_retired": "{dwelling} er allerede tatt ut av bruk fra {retired_on}.",
    "refusal.tenure_needs_municipal_dwelling": (
        "«{tenure}» krever en kommunal bolig; {dwelling} er i kategorien «{category}»."
    ),
    "refusal.tenure_needs_referral_dwelling": (
        "«{tenure}» krever en bolig med tilvisningsavtale; {dwelling} er i kategorien «{category}»."
    ),
    "refusal.dwelling_occupied": "{dwelling} bebos av en annen sak {period}.",
    "refusal.dwelling_held_at_retirement": (
        "{dwelling} bebos av en sak {period}, så den kan ikke tas ut av bruk {on}."
    ),
    # the other refusals (domain/errors.py)
    "refusal.refused": "Én eller flere registreringer ble avvist. Ingenting ble lagret.",
    "refusal.invalid_event": "Registreringen følger ikke formatet. Ingenting ble lagret.",
    "refusal.rule_broken": "Registreringen bryter en regel for saken eller boligen.",
    "refusal.unknown_case": "Saken finnes ikke.",
    "refusal.unknown_dwelling": "Boligen er ikke registrert.",
    "refusal.duplicate_conflict": "Registreringen er allerede lagret med annet innhold.",
    "refusal.case_erased": "Saken er slettet; ingenting mer kan registreres.",
    "refusal.already_restricted": "Saken er allerede sperret.",
    "refusal.not_restricted": "Saken er ikke sperret.",
    "refusal.user_refused": "Brukeren ble ikke lagt til eller endret: {reason}",
    "refusal.unknown_user": "Brukeren finnes ikke.",
    "refusal.store_unavailable": "Databasen er midlertidig utilgjengelig. Prøv igjen om litt.",
    "refusal.store_full": "Databasen er full. Ingenting ble lagret.",
    "refusal.store_read_only": "Databasen er skrivebeskyttet. Ingenting ble lagret.",
    "refusal.keys_missing": "Nøklene til databasen mangler.",
    "refusal.wrong_keys": "Nøklene åpner ikke denne databasen.",
    # the words the messages are made of
    "refusal.dwelling_at": "boligen i {address}",
    "refusal.dwelling_ref": "bolig {ref}",
    "refusal.period_closed": "fra {start} til {end}",
    "refusal.period_open": "fra {start}",
    "refusal.unknown_key": "Et ukjent felt",
    "refusal.named_key": "Feltet «{key}»",
    "refusal.this_part": "denne delen av registreringen",
    "refusal.ended_by.settlement": "ved bosettingen",
    "refusal.ended_by.move-out": "ved utflyttingen",
    "refusal.ended_by.withdrawal": "da saken ble trukket",
    "refusal.ended_by.closing": "da saken ble avsluttet",
    "refusal.ended_by.end of the stay": "med en egen avslutning",
    "refusal.national_id.digits": "det må ha 11 sifre",
    "refusal.national_id.first_control": "det første kontrollsifferet stemmer ikke",
    "refusal.national_id.second_control": "det andre kontrollsifferet stemmer ikke",
    "refusal.national_id.birth_date": "fødselsdatoen i nummeret finnes ikke",
    "refusal.national_id.other": "sifrene stemmer ikke",
    # the fields named in the messages (the event's keys, docs/events.md)
    "refusal.field.event": "registreringen",
    "refusal.field.id": "hendelses-ID-en",
    "refusal.field.type": "typen registrering",
    "refusal.field.case": "saksnummeret",
    "refusal.field.on": "datoen",
    "refusal.field.by": "hvem som registrerte",
    "refusal.field.note": "notatet",
    "refusal.field.address": "adressen",
    "refusal.field.category": "kategorien",
    "refusal.field.complaint": "naboklagen",
    "refusal.field.decision": "vedtaket",
    "refusal.field.district": "skolekretsen",
    "refusal.field.dwelling": "boligen",
    "refusal.field.group": "gruppen",
    "refusal.field.household": "husstanden",
    "refusal.field.household.adults": "antall voksne",
    "refusal.field.household.children": "antall barn",
    "refusal.field.person": "kontaktpersonen",
    "refusal.field.person.name": "navnet",
    "refusal.field.person.national_id": "fødselsnummeret",
    "refusal.field.person.phone": "telefonnummeret",
    "refusal.field.kind": "typen",
    "refusal.field.lease_until": "leiekontraktens sluttdato",
    "refusal.field.legal_basis": "hjemmelen",
    "refusal.field.minutes": "antall minutter",
    "refusal.field.outcome": "utfallet",
    "refusal.field.place": "stedet",
    "refusal.field.priority": "prioriteten",
    "refusal.field.reason": "årsaken",
    "refusal.field.rooms": "antall rom",
    "refusal.field.situation": "bosituasjonen",
    "refusal.field.source": "hvem klagen kom fra",
    "refusal.field.stay": "oppholdet",
    "refusal.field.target": "registreringen som skal trekkes tilbake",
    "refusal.field.team": "teamet",
    "refusal.field.tenure": "disposisjonsformen",
    "refusal.field.to": "mottakeren",
    "refusal.field.other": "feltet",
}

# waiting (issue 13): the waiting list's download for the allocation meeting
# (projections/formats/waiting_sheet.py).
_WORKING_LIST_LABELS_NB: dict[str, str] = {
    "table.waiting_households": "Venteliste – husstander i prioritert rekkefølge",
    "sheet.waiting_households": "Venteliste",
    "definition.waiting_households": "Husstandene på ventelisten på dagen, etter prioritet"
    " (haster, høy, normal) og så etter hvor mange dager de har ventet (lengst først). Rom:"
    " antall rom husstanden trenger etter kommunens tildelingsregel.",
    "waiting_households.position": "Nr.",
    "waiting_households.name": "Kontaktperson",
    "waiting_households.case": "Sak",
    "waiting_households.group": "Gruppe",
    "waiting_households.adults": "Voksne",
    "waiting_households.children": "Barn",
    "waiting_households.rooms_needed": "Rom",
    "waiting_households.priority": "Prioritet",
    "waiting_households.joined_on": "På listen fra",
    "waiting_households.days_waited": "Dager ventet",
    "waiting_households.situation": "Situasjon eller opphold",
    "waiting_households.appeal_pending": "Klage til behandling",
    "waiting_households.filters": "Utvalg",
    "waiting_households.all": "alle",
    "waiting_households.in_stay_since": "fra",
    "waiting_households.yes": "Ja",
    "waiting_households.no": "Nei",
}

# The search index's command (issue 13: search): `boligspor search-index rebuild`.
_SEARCH_LABELS_NB: dict[str, str] = {
    "search_index.rebuilt": "Søkeindeksen er bygd på nytt: {rows} oppføringer.",
}

CATALOGUES: dict[str, Mapping[str, str]] = {
    "nb": {
        **_WORKING_LIST_LABELS_NB,
        **_VALUE_LABELS_NB,
        **_FIGURE_LABELS_NB,
        **_LAYOUT_LABELS_NB,
        **_DEFINITIONS_NB,
        **_PLAN_PROGRESS_LABELS_NB,
        **_REFUSAL_LABELS_NB,
        **_SEARCH_LABELS_NB,
    },
}

# Which value set names the entries of each by-X block of the reports.
DIMENSIONS: dict[str, str] = {
    "waiting_list.by_group": "group",
    "waiting_list.by_priority": "priority",
    "homeless.by_situation": "situation",
    "dwellings.by_category": "category",
    "dwellings.by_district": "district",
    "settlements.by_tenure": "tenure",
    "settlements.by_group": "group",
    "moved_out.by_reason": "move_out_reason",
    "complaints.by_district": "district",
    "complaints.by_category": "complaint_category",
    "complaints.closed_by_outcome": "complaint_outcome",
    "follow_up.by_team": "team",
    "concerns.by_recipient": "concern_recipient",
    "kostra.allocated.by_group": "kostra_group",
    "kostra.waiting_list_end.by_group": "kostra_group",
}


def label(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The label for `key` in `lang`; see the module docstring for the fallback rules."""
    catalogue = CATALOGUES.get(lang)
    if catalogue is not None and key in catalogue:
        return catalogue[key]
    default = CATALOGUES[DEFAULT_LANGUAGE]
    if key not in default:
        raise MissingLabelError(f"no label for {key!r} in language {DEFAULT_LANGUAGE!r}")
    warnings.warn(
        f"no label for {key!r} in language {lang!r}; showing {DEFAULT_LANGUAGE!r}",
        MissingLabelWarning,
        stacklevel=2,
    )
    return default[key]


def code_label(value_set: str, code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The label of one code of a value set: ``code_label("group", "families")``."""
    return label(f"{value_set}.{code}", lang)


def entry_label(block: str, code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The label of one entry of a by-X block: ``entry_label("waiting_list.by_group", "other")``."""
    return code_label(DIMENSIONS[block], code, lang)


def has_label(key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    """Whether a catalogue (the language's or the default) has `key`."""
    return key in CATALOGUES.get(lang, {}) or key in CATALOGUES[DEFAULT_LANGUAGE]


def languages() -> tuple[str, ...]:
    """The languages that have a catalogue."""
    return tuple(CATALOGUES)
