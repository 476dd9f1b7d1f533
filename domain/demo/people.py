"""Synthetic people: names, valid synthetic national ids, and the demo's user ids."""

from __future__ import annotations

import random
from datetime import date

FIRST_NAMES = (
    "Kari", "Ola", "Ingrid", "Lars", "Sofie", "Jonas", "Nora", "Emil", "Hanne", "Per", "Mari",
    "Knut", "Astrid", "Sindre", "Ida", "Tor", "Aisha", "Mohammed", "Olena", "Andrii", "Fatima",
    "Yonas", "Amina", "Piotr", "Agnieszka", "Liv", "Geir", "Tone", "Bjørn", "Sara", "Jan",
)  # fmt: skip
SURNAMES = (
    "Nordmann", "Eksempelsen", "Prøvesen", "Testrud", "Demoberg", "Fiktivdal", "Liksomvik",
    "Utprøvingsen", "Modellstad", "Øvingsli", "Skissebakken", "Utkastsen", "Tenkeland",
    "Forsøkshaug", "Påskuddsen", "Mønsterud",
)  # fmt: skip
USERS = {
    "housing_office": ("bs.nora", "bs.erik", "bs.sara"),
    "housing_first": ("hf.kari", "hf.jonas", "hf.aisha"),
    "caretaker": ("mv.ali", "mv.per"),
    "nav": ("nav.liv", "nav.tor"),
    "other": ("bs.nora",),
}


def _control(digits: list[int], weights: tuple[int, ...]) -> int:
    value = 11 - sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if value == 11 else value


def national_id(rng: random.Random, born: date) -> str:
    """A valid synthetic fødselsnummer for `born`, individual number by the century rule
    (000–499: 1900–1999; 900–999: 1940–1999; 500–999: 2000–2039)."""
    if 1900 <= born.year <= 1999:
        ranges = [(0, 499)] + ([(900, 999)] if born.year >= 1940 else [])
    elif 2000 <= born.year <= 2039:
        ranges = [(500, 999)]
    else:
        raise ValueError(f"no individual numbers for {born.year}")
    while True:
        low, high = rng.choice(ranges)
        digits = [int(c) for c in f"{born:%d%m}{born.year % 100:02d}{rng.randint(low, high):03d}"]
        k1 = _control(digits, (3, 7, 6, 1, 8, 9, 4, 5, 2))
        if k1 == 10:
            continue  # a remainder giving 10 is invalid: pick another individual number
        k2 = _control([*digits, k1], (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
        if k2 == 10:
            continue
        return "".join(map(str, [*digits, k1, k2]))
