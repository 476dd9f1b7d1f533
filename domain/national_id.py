"""Norwegian national identity numbers (fødselsnummer, D-number, H-number): the mod-11 check."""

from __future__ import annotations

from datetime import date

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _control(digits: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    control = 11 - remainder
    if control == 11:
        return 0
    if control == 10:
        return None
    return control


def national_id_problem(value: object) -> str | None:
    """Return why `value` is not a valid national id, or None when it is valid.

    Checks: 11 digits, both mod-11 control digits, and that the embedded date is a real date
    (D-numbers: day + 40; H-numbers: month + 40). Never refuses on age or century.
    """
    if not isinstance(value, str) or len(value) != 11 or not value.isascii() or not value.isdigit():
        return "must be 11 digits"
    digits = [int(c) for c in value]
    k1 = _control(digits[:9], K1_WEIGHTS)
    if k1 is None or k1 != digits[9]:
        return "first control digit (mod 11) is wrong"
    k2 = _control(digits[:10], K2_WEIGHTS)
    if k2 is None or k2 != digits[10]:
        return "second control digit (mod 11) is wrong"
    day = int(value[0:2])
    month = int(value[2:4])
    if day > 40:
        day -= 40
    if month > 40:
        month -= 40
    try:
        date(2000, month, day)  # a leap year, so 29 February passes whatever the century
    except ValueError:
        return "the embedded birth date is not a real date"
    return None
