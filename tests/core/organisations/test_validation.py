"""SIREN, SIRET and UAI: the check digit or letter catches typing errors.

The expected values are never computed with the code under test: known numbers, worked
out by hand below, and a small reference implementation written differently (a table of
doubled digits for Luhn, Horner's rule for the UAI's remainder).
"""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from marshmallow import ValidationError

from tremplin.organisations.schemas import OrganisationInputSchema
from tremplin.organisations.validation import is_siren, is_siret, is_uai

pytestmark = pytest.mark.one_database  # nothing here depends on the database

# Reference Luhn: the check digit that completes ``payload``. From the right of the
# payload, digits in odd positions are doubled (the check digit will take position 1);
# DOUBLED[d] is 2d with its two digits added.
DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]


def luhn_check_digit(payload: str) -> str:
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = ord(char) - ord("0")
        total += DOUBLED[digit] if position % 2 == 0 else digit
    return str((10 - total % 10) % 10)


# Reference UAI: 23 letters (no I, O, Q), and the remainder by Horner's rule.
UAI_ALPHABET = "".join(letter for letter in map(chr, range(65, 91)) if letter not in "IOQ")


def uai_letter(digits: str) -> str:
    remainder = 0
    for char in digits:
        remainder = (remainder * 10 + int(char)) % 23
    return UAI_ALPHABET[remainder]


digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def numbers(size: int):
    return st.text(alphabet="0123456789", min_size=size, max_size=size)


def with_one_digit_changed(number: str, data) -> str:
    position = data.draw(st.integers(0, len(number) - 1))
    replacement = data.draw(digits.filter(lambda d: d != number[position]))
    return number[:position] + replacement + number[position + 1 :]


# Known numbers


def test_the_reference_agrees_with_known_numbers():
    assert UAI_ALPHABET == "ABCDEFGHJKLMNPRSTUVWXYZ"
    # INSEE's own SIRET: SIREN 732829320 (check digit 0) and establishment 0007 + 4.
    assert luhn_check_digit("73282932") == "0"
    assert luhn_check_digit("7328293200007") == "4"


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000074",  # INSEE
        "35600000000048",  # La Poste's head office: an ordinary Luhn number
        "35600000049837",  # a La Poste establishment: 3+5+6+4+9+8+3+7 = 45, a multiple of 5
    ],
)
def test_known_sirets_are_valid(siret):
    assert is_siret(siret)


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000079",  # INSEE's with a wrong check digit
        "35600000049838",  # La Poste: digits add up to 46
        "7328293200007",  # 13 digits
        "732829320000744",  # 15 digits
        "7328293200007A",
        "",
    ],
)
def test_wrong_sirets_are_refused(siret):
    assert not is_siret(siret)


def test_a_siret_needs_a_valid_siren():
    # 12345678 + 9 fails Luhn as a SIREN; complete the SIRET so that the 14 digits pass.
    payload = "1234567890000"
    siret = payload + luhn_check_digit(payload)
    assert not is_siren(siret[:9])
    assert not is_siret(siret)


def test_known_uais():
    # 590117 = 23 x 25657 + 6, and the 7th letter (index 6) of ABCDEFGHJKLMNPRSTUVWXYZ is G.
    assert is_uai("0590117G")
    # 620001 = 23 x 26956 + 13: index 13 is P (A B C D E F G H J K L M N P).
    assert is_uai("0620001P")
    assert not is_uai("0590117H")
    assert not is_uai("059011G")  # six digits
    assert not is_uai("0590117")  # no letter
    assert not is_uai("0590117I")  # I is never a check letter


# Properties


@given(numbers(8))
def test_any_siren_with_its_luhn_digit_is_valid(payload):
    assert is_siren(payload + luhn_check_digit(payload))


@given(numbers(8), st.data())
def test_changing_one_digit_of_a_siren_is_caught(payload, data):
    siren = payload + luhn_check_digit(payload)
    assert not is_siren(with_one_digit_changed(siren, data))


@given(numbers(8), numbers(4))
def test_any_siret_with_its_luhn_digits_is_valid(siren_payload, establishment):
    siren = siren_payload + luhn_check_digit(siren_payload)
    assume(siren != "356000000")  # La Poste's numbers follow their own rule (below)
    payload = siren + establishment
    assert is_siret(payload + luhn_check_digit(payload))


@given(numbers(8), numbers(4), st.data())
def test_changing_one_digit_of_a_siret_is_caught(siren_payload, establishment, data):
    siren = siren_payload + luhn_check_digit(siren_payload)
    assume(siren != "356000000")
    payload = siren + establishment
    changed = with_one_digit_changed(payload + luhn_check_digit(payload), data)
    assume(not changed.startswith("356000000"))  # La Poste's rule would apply instead
    assert not is_siret(changed)


@given(numbers(5))
def test_la_poste_sirets_are_valid_when_their_digits_add_up_to_a_multiple_of_5(establishment):
    siret = "356000000" + establishment
    assume(siret != "35600000000048")
    assert is_siret(siret) == (sum(map(int, siret)) % 5 == 0)


@given(numbers(7))
def test_any_uai_with_its_check_letter_is_valid(number):
    assert is_uai(number + uai_letter(number))


@given(numbers(7), st.sampled_from(UAI_ALPHABET))
def test_a_uai_with_another_letter_is_refused(number, letter):
    assume(letter != uai_letter(number))
    assert not is_uai(number + letter)


@given(numbers(7), st.data())
def test_changing_one_digit_of_a_uai_is_caught(number, data):
    # 23 is prime and divides no d x 10^k (d in 1..9): every single change moves the letter.
    uai = number + uai_letter(number)
    assert not is_uai(with_one_digit_changed(number, data) + uai[-1])


# As forms and the API read them


def organisation(**values):
    return {"name": "X", "kind": "college", "territory": "59", **values}


def test_a_uai_may_be_typed_in_lower_case_and_is_kept_in_upper_case():
    assert OrganisationInputSchema().load(organisation(uai=" 0590117g "))["uai"] == "0590117G"


def test_a_siret_may_be_typed_with_spaces():
    loaded = OrganisationInputSchema().load(organisation(siret="732 829 320 00074"))
    assert loaded["siret"] == "73282932000074"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("uai", "0590117H", "This UAI is not valid: its letter does not match its digits."),
        ("uai", "590117G", "A UAI is 7 digits followed by a letter, for example 0590117G."),
        ("siret", "73282932000079", "its check digit does not match"),
        ("siret", "7328293200007", "A SIRET is 14 digits"),
    ],
)
def test_a_wrong_identifier_is_explained(field, value, message):
    from tremplin.i18n import using_locale

    with using_locale("en"), pytest.raises(ValidationError) as raised:
        OrganisationInputSchema().load(organisation(**{field: value}))
    assert message in raised.value.messages[field][0]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("oui", True), ("X", True), ("1", True), ("Non", False), ("", False), ("0", False)],
)
def test_flags_read_as_people_write_them(typed, expected):
    assert OrganisationInputSchema().load(organisation(rep=typed))["rep"] is expected
