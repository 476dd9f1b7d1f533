"""What refs, ids and free text may hold, and the dates the store accepts (docs/refs.md).

A ref is typed, shown and addressed in a URL one way only: a short run of the id alphabet.
Free text may hold any character a person can see, plus newline and tab; never a character
that either backend cannot store (NUL, a lone surrogate) or that a person cannot see (other
control characters, zero-width and bidirectional controls, line and paragraph separators).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

ALPHABET = "A-Za-z0-9._:-"
ALPHABET_SHOWN = "A-Z a-z 0-9 . _ : -"
REF_MAX = 32
ID_MAX = 64
REF_PATTERN = re.compile(rf"[{ALPHABET}]{{1,{REF_MAX}}}")
ID_PATTERN = re.compile(rf"[{ALPHABET}]{{1,{ID_MAX}}}")
REF_REGEX = rf"^[{ALPHABET}]{{1,{REF_MAX}}}$"  # for request models and path parameters
ID_REGEX = rf"^[{ALPHABET}]{{1,{ID_MAX}}}$"
OUTSIDE_ALPHABET = re.compile(rf"[^{ALPHABET}]")
CODE_REGEX = r"^[a-z0-9_]{1,64}$"  # a value of a value set (group, team, category, district)
REF_RULE = f"1–{REF_MAX} characters of {ALPHABET_SHOWN} (docs/refs.md)"
ID_RULE = f"1–{ID_MAX} characters of {ALPHABET_SHOWN} (docs/refs.md)"

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)

# Unicode categories no text may hold: controls (Cc), invisible format characters such as
# zero-width spaces and joiners, bidirectional controls, the byte order mark and the soft
# hyphen (Cf), lone surrogates (Cs), and the line and paragraph separators (Zl, Zp).
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
FREE_TEXT_CONTROLS = "\n\t"  # the only controls free text may hold


def code_point(character: str) -> str:
    """U+0000 style, as a person can read it whatever the character is."""
    return f"U+{ord(character):04X}"


def hidden_character(text: str, allowed: str = "") -> tuple[int, str] | None:
    """The first (position from 1, character) of `text` no text may hold, `allowed` aside."""
    if text.isprintable():  # the common case, in C: no control, format or separator at all
        return None
    for index, character in enumerate(text, start=1):
        if character not in allowed and unicodedata.category(character) in HIDDEN_CATEGORIES:
            return index, character
    return None


def outside_alphabet(text: str) -> tuple[int, str] | None:
    """The first (position from 1, character) of `text` outside the id alphabet."""
    found = OUTSIDE_ALPHABET.search(text)
    return None if found is None else (found.start() + 1, found.group())


def escaped_text(text: str, controls: str = "") -> str:
    """`text` with every character no text may hold (but `controls`) written as `\\uXXXX`."""
    if hidden_character(text, controls) is None:
        return text
    out = []
    for character in text:
        if hidden_character(character, controls) is None:
            out.append(character)
        elif ord(character) > 0xFFFF:
            out.append(f"\\U{ord(character):08X}")
        else:
            out.append(f"\\u{ord(character):04X}")
    return "".join(out)
