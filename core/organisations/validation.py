"""Identifiers of French organisations: SIREN and SIRET (INSEE), UAI (Éducation nationale).

Pure functions, no database: the same rules serve forms, the API and CSV imports.
"""

from __future__ import annotations

import re

# The 23 letters of a UAI's check letter: the alphabet without I, O and Q, which are
# too easily read as 1, 0 and 0.
UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
UAI_PATTERN = re.compile(r"[0-9]{7}[A-Z]")

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"


def luhn_valid(digits: str) -> bool:
    """Whether ``digits`` (a non-empty string of digits) ends with a correct Luhn check digit."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:  # every second digit from the right is doubled
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def compact_number(value: str) -> str:
    """``value`` without the spaces, non-breaking spaces and dots people type in numbers."""
    return re.sub(r"[\s.\u00a0\u202f]", "", value)


def is_siren(value: str) -> bool:
    """Whether ``value`` is a valid SIREN: 9 digits whose last is a Luhn check digit."""
    return len(value) == 9 and luhn_valid(value)


def is_siret(value: str) -> bool:
    """Whether ``value`` is a valid SIRET: a valid SIREN, 5 digits, checked as a whole.

    The whole 14 digits follow the Luhn rule, except La Poste's: its establishments are
    too many for Luhn numbering, so INSEE checks that the sum of their digits is a
    multiple of 5 instead; its head office (35600000000048) is an ordinary Luhn number.
    Same rule as python-stdnum (``stdnum/fr/siret.py``) and INSEE's SIRENE documentation.
    """
    if len(value) != 14 or not value.isascii() or not value.isdigit():
        return False
    if not is_siren(value[:9]):
        return False
    if value.startswith(LA_POSTE_SIREN) and value != LA_POSTE_HEAD_OFFICE:
        return sum(int(char) for char in value) % 5 == 0
    return luhn_valid(value)


def uai_check_letter(digits: str) -> str:
    """The check letter of a UAI's 7 digits: the number modulo 23, as a letter of UAI_LETTERS."""
    return UAI_LETTERS[int(digits) % 23]


def compact_uai(value: str) -> str:
    """``value`` as a UAI is stored: no spaces, letter in upper case."""
    return re.sub(r"\s", "", value).upper()


def is_uai(value: str) -> bool:
    """Whether ``value`` (upper case) is a valid UAI: 7 digits and their check letter."""
    return bool(UAI_PATTERN.fullmatch(value)) and uai_check_letter(value[:7]) == value[7]
